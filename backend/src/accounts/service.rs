//! The accounts feature's use cases: sign-up, sign-in (password or one-time link), sessions,
//! password reset, email verification, profiles and licences, organisations and memberships.
//! Async functions over the database; no actix types.

use super::emails;
use super::entity::{
    account, invitation, licence, membership, one_time_token, organisation, session, sign_in_failure,
};
use super::model::{
    self, Actor, Capability, OrgKind, PROFESSIONS, Problem, Role, SETTINGS, authorize, check_password,
    is_valid_email, is_valid_slug, normalise_email, parse_country, parse_languages,
};
use crate::config::Config;
use crate::platform::audit::{self, AuditEvent};
use crate::platform::clock::SharedClock;
use crate::platform::db::{Db, is_unique_violation};
use crate::platform::mail;
use crate::platform::tokens::{hash_token, new_token};
use crate::platform::ui::Lang;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{Notify, Semaphore};

/// Why an accounts operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    /// Input that breaks a rule: each field with a message key.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<Problem>),
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("too many attempts")]
    TooMany { retry_after_seconds: u64 },
    #[error("link expired or already used")]
    LinkInvalid,
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("password hashing: {0}")]
    Hash(String),
}

type Result<T, E = AccountsError> = std::result::Result<T, E>;

fn invalid<T>(field: &'static str, key: &'static str) -> Result<T> {
    Err(AccountsError::Invalid(vec![(field, key)]))
}

/// The settings accounts work by, taken from [`Config`].
#[derive(Clone, Debug)]
pub struct AccountSettings {
    pub public_url: String,
    pub password_min_length: usize,
    pub idle: Duration,
    pub absolute: Duration,
    pub failures_per_account: u32,
    pub failures_per_address: u32,
    pub link_emails_per_hour: u32,
    pub verify_link: Duration,
    pub reset_link: Duration,
    pub sign_in_link: Duration,
    pub invitation: Duration,
}

impl AccountSettings {
    pub fn from_config(config: &Config) -> Self {
        Self {
            public_url: config.public_url(),
            password_min_length: config.security.password_min_length,
            idle: Duration::minutes(config.session.idle_minutes),
            absolute: Duration::days(config.session.absolute_days),
            failures_per_account: config.security.sign_in_failures_per_account,
            failures_per_address: config.security.sign_in_failures_per_address,
            link_emails_per_hour: config.security.link_emails_per_hour,
            verify_link: Duration::hours(config.mail.verify_link_hours),
            reset_link: Duration::minutes(config.mail.reset_link_minutes),
            sign_in_link: Duration::minutes(config.mail.sign_in_link_minutes),
            invitation: Duration::days(config.mail.invitation_days),
        }
    }
}

/// Argon2id hashing, off the async threads and bounded in concurrency so that a burst of
/// sign-ins queues instead of exhausting memory (each hash holds `memory_kib`).
#[derive(Clone)]
pub struct Passwords {
    params: Params,
    permits: Arc<Semaphore>,
    /// Argon2id's working memory, reused: at most one buffer per permit ever exists. Allocating
    /// and freeing `memory_kib` for every hash made glibc keep each freed buffer (it raises its
    /// mmap threshold after the first), so a server grew by 19 MiB a sign-in.
    buffers: Arc<Mutex<Vec<Vec<Block>>>>,
    /// A real hash of a random password, verified when the account does not exist so that
    /// unknown and known emails take the same time (ASVS 6.3.8).
    dummy: Arc<String>,
}

/// Argon2id v1.3 of `password` with `salt` and `params`, computed in `memory`, as a PHC hash.
fn argon2id(params: &Params, password: &[u8], salt: &[u8], memory: &mut [Block]) -> Result<PasswordHash> {
    let failed = |e: &dyn std::fmt::Display| AccountsError::Hash(e.to_string());
    let salt = Salt::new(salt).map_err(|e| failed(&e))?;
    let length = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let mut buffer = [0u8; Output::MAX_LENGTH];
    let out = buffer.get_mut(..length).ok_or_else(|| failed(&"output length"))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password, salt.as_ref(), &mut *out, memory)
        .map_err(|e| failed(&e))?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(|e| failed(&e))?,
        salt: Some(salt),
        hash: Some(Output::new(out).map_err(|e| failed(&e))?),
    })
}

impl Passwords {
    pub fn new(memory_kib: u32, iterations: u32, concurrent: usize) -> Result<Self> {
        let params =
            Params::new(memory_kib, iterations, 1, None).map_err(|e| AccountsError::Hash(e.to_string()))?;
        // The start-up hash's memory is given back at once: an idle server holds none.
        let mut memory = vec![Block::new(); params.block_count()];
        let dummy = argon2id(&params, new_token().as_bytes(), &random_salt(), &mut memory)?.to_string();
        drop(memory);
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(concurrent.max(1))),
            buffers: Arc::new(Mutex::new(Vec::new())),
            dummy: Arc::new(dummy),
        })
    }

    /// A buffer of at least `blocks` blocks from the pool, or a new one.
    fn take_buffer(&self, blocks: usize) -> Vec<Block> {
        let pooled = self.buffers.lock().unwrap_or_else(PoisonError::into_inner).pop();
        match pooled {
            Some(buffer) if buffer.len() >= blocks => buffer,
            _ => vec![Block::new(); blocks],
        }
    }

    fn give_back(&self, buffer: Vec<Block>) {
        self.buffers.lock().unwrap_or_else(PoisonError::into_inner).push(buffer);
    }

    /// Runs `work` on the blocking pool with a buffer of `blocks` blocks, holding a permit.
    async fn with_memory<T: Send + 'static>(
        &self,
        blocks: usize,
        work: impl FnOnce(&mut [Block]) -> T + Send + 'static,
    ) -> Result<T> {
        let _permit = self.permits.acquire().await.map_err(|e| AccountsError::Hash(e.to_string()))?;
        let mut buffer = self.take_buffer(blocks);
        let (result, buffer) = tokio::task::spawn_blocking(move || (work(&mut buffer), buffer))
            .await
            .map_err(|e| AccountsError::Hash(e.to_string()))?;
        self.give_back(buffer);
        Ok(result)
    }

    /// Hashes a new password to a PHC string.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let params = self.params.clone();
        let password = password.to_owned();
        let salt = random_salt();
        self.with_memory(self.params.block_count(), move |memory| {
            argon2id(&params, password.as_bytes(), &salt, memory).map(|hash| hash.to_string())
        })
        .await?
    }

    /// Checks `password` against `hash`, or against a dummy hash when there is none.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool> {
        let known = hash.is_some();
        let stored = hash.unwrap_or(self.dummy.as_str());
        // A stored value that is not an Argon2id v1.3 hash (Lantern stores no other) matches nothing.
        let Ok(parsed) = PasswordHash::new(stored) else { return Ok(false) };
        let Ok(params) = Params::try_from(&parsed) else { return Ok(false) };
        if parsed.algorithm != Algorithm::Argon2id.ident() || parsed.version != Some(Version::V0x13.into()) {
            return Ok(false);
        }
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return Ok(false) };
        let password = password.to_owned();
        let blocks = params.block_count();
        let matches = self
            .with_memory(blocks, move |memory| {
                // Output's equality is constant-time.
                argon2id(&params, password.as_bytes(), salt.as_ref(), memory)
                    .is_ok_and(|computed| computed.hash == Some(expected))
            })
            .await?;
        Ok(known && matches)
    }
}

/// 16 random bytes of salt.
fn random_salt() -> [u8; 16] {
    let mut salt = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt);
    salt
}

/// Where a request came from, for sessions, rate limits and the audit trail.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub ip: String,
    pub user_agent: String,
    pub request_id: String,
}

/// A new session: the cookie value (shown once) and the account it belongs to.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub account: account::Model,
}

/// The session a request carries.
#[derive(Clone, Debug)]
pub struct CurrentSession {
    /// 0 when the request came with an API token rather than a session.
    pub session_id: i32,
    pub account: account::Model,
}

/// What someone typed to sign up.
#[derive(Clone, Debug, Default)]
pub struct SignUp {
    pub name: String,
    pub email: String,
    pub password: String,
    pub lang: Lang,
}

/// The editable part of a clinician's profile.
#[derive(Clone, Debug, Default)]
pub struct ProfileUpdate {
    pub name: String,
    pub profession: String,
    pub country: String,
    pub region: String,
    pub setting: String,
    pub languages: String,
    pub locale: String,
    pub data_saver: bool,
}

/// A member as an organisation's page lists them.
#[derive(Clone, Debug)]
pub struct Member {
    pub membership_id: i32,
    pub account_id: i32,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// A licence with its regulator's name.
#[derive(Clone, Debug)]
pub struct LicenceView {
    pub id: i32,
    pub regulator: String,
    pub number: String,
    pub status: String,
}

/// Purposes of one-time links.
pub mod purpose {
    pub const VERIFY_EMAIL: &str = "verify_email";
    pub const RESET_PASSWORD: &str = "reset_password";
    pub const SIGN_IN: &str = "sign_in";
}

/// How often a session's last-seen time is written: idle expiry needs no finer grain, and most
/// requests then cost no write.
const TOUCH_EVERY_MINUTES: i64 = 5;

/// The accounts service.
#[derive(Clone)]
pub struct Accounts {
    db: Db,
    clock: SharedClock,
    settings: Arc<AccountSettings>,
    passwords: Passwords,
    outbox: Arc<Notify>,
}

impl Accounts {
    pub fn new(
        db: Db,
        clock: SharedClock,
        settings: AccountSettings,
        passwords: Passwords,
        outbox: Arc<Notify>,
    ) -> Self {
        Self { db, clock, settings: Arc::new(settings), passwords, outbox }
    }

    pub fn settings(&self) -> &AccountSettings {
        &self.settings
    }

    /// The clock's present.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    fn link(&self, path: &str, token: &str) -> String {
        format!("{}{path}/{token}", self.settings.public_url)
    }

    async fn audit(
        &self,
        conn: &impl ConnectionTrait,
        actor: Option<i32>,
        action: &str,
        subject: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let event =
            AuditEvent { actor_id: actor, action, subject, ip: &meta.ip, request_id: &meta.request_id };
        audit::record(conn, &self.clock, event).await?;
        Ok(())
    }

    // ---- sign-up, sign-in, sessions -------------------------------------------------------

    /// Creates an account, sends the verification link and signs the person in.
    pub async fn sign_up(&self, input: SignUp, meta: &RequestMeta) -> Result<SignedIn> {
        let name = input.name.trim().to_owned();
        let email = normalise_email(&input.email);
        let mut problems = Vec::new();
        if name.is_empty() {
            problems.push(("name", "name-required"));
        } else if name.chars().count() > 120 {
            problems.push(("name", "name-too-long"));
        }
        if !is_valid_email(&email) {
            problems.push(("email", "email-invalid"));
        }
        let local = email.split('@').next().unwrap_or("");
        let mut inputs: Vec<&str> = name.split_whitespace().collect();
        inputs.push(local);
        if let Err(key) = check_password(&input.password, self.settings.password_min_length, &inputs) {
            problems.push(("password", key));
        }
        if problems.is_empty() && self.find_by_email(self.db.read(), &email).await?.is_some() {
            problems.push(("email", "email-taken"));
        }
        if !problems.is_empty() {
            return Err(AccountsError::Invalid(problems));
        }
        // Hash before the transaction: it is slow and needs no lock.
        let hash = self.passwords.hash(&input.password).await?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let inserted = account::ActiveModel {
            email: Set(email.clone()),
            name: Set(name),
            password_hash: Set(Some(hash)),
            locale: Set(input.lang.code().into()),
            is_platform_admin: Set(false),
            languages: Set(input.lang.code().into()),
            data_saver: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let account = match inserted {
            Ok(account) => account,
            Err(error) if is_unique_violation(&error) => return invalid("email", "email-taken"),
            Err(error) => return Err(error.into()),
        };
        self.send_link(&txn, &account, purpose::VERIFY_EMAIL, self.settings.verify_link).await?;
        let token = self.create_session(&txn, account.id, meta).await?;
        self.audit(&txn, Some(account.id), "account.created", &account.email, meta).await?;
        txn.commit().await?;
        self.outbox.notify_one();
        Ok(SignedIn { token, account })
    }

    /// Signs in with email and password. Refused with `TooMany` once an account or an address
    /// has failed too often in the last minute, whatever the password.
    pub async fn sign_in(&self, email: &str, password: &str, meta: &RequestMeta) -> Result<SignedIn> {
        let email = normalise_email(email);
        let account_key = format!("account:{email}");
        let address_key = format!("address:{}", meta.ip);
        self.check_rate(&account_key, self.settings.failures_per_account, Duration::minutes(1)).await?;
        self.check_rate(&address_key, self.settings.failures_per_address, Duration::minutes(1)).await?;

        let found = self.find_by_email(self.db.read(), &email).await?;
        let hash = found.as_ref().and_then(|a| a.password_hash.as_deref());
        let matches = self.passwords.verify(password, hash).await?;
        let account = match found {
            Some(account) if matches && account.disabled_at.is_none() => account,
            other => {
                let txn = self.db.begin().await?;
                self.record_failure(&txn, &account_key).await?;
                self.record_failure(&txn, &address_key).await?;
                self.audit(&txn, other.map(|a| a.id), "sign_in.failed", &email, meta).await?;
                txn.commit().await?;
                return Err(AccountsError::WrongCredentials);
            }
        };
        let txn = self.db.begin().await?;
        let token = self.create_session(&txn, account.id, meta).await?;
        self.audit(&txn, Some(account.id), "sign_in.password", "", meta).await?;
        txn.commit().await?;
        Ok(SignedIn { token, account })
    }

    async fn check_rate(&self, key: &str, limit: u32, window: Duration) -> Result<()> {
        let since = self.now() - window;
        let failures = sign_in_failure::Entity::find()
            .filter(sign_in_failure::Column::Key.eq(key))
            .filter(sign_in_failure::Column::At.gt(since))
            .order_by_asc(sign_in_failure::Column::At)
            .all(self.db.read())
            .await?;
        if failures.len() >= limit as usize {
            let oldest = failures.first().map_or(self.now(), |f| f.at);
            let wait = std::cmp::max((oldest + window - self.now()).num_seconds(), 1);
            return Err(AccountsError::TooMany { retry_after_seconds: u64::try_from(wait).unwrap_or(60) });
        }
        Ok(())
    }

    async fn record_failure(&self, conn: &impl ConnectionTrait, key: &str) -> Result<()> {
        sign_in_failure::ActiveModel { key: Set(key.to_owned()), at: Set(self.now()), ..Default::default() }
            .insert(conn)
            .await?;
        Ok(())
    }

    async fn create_session(
        &self,
        conn: &impl ConnectionTrait,
        account_id: i32,
        meta: &RequestMeta,
    ) -> Result<String> {
        let token = new_token();
        let now = self.now();
        session::ActiveModel {
            account_id: Set(account_id),
            token_hash: Set(hash_token(&token)),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(now + self.settings.absolute),
            user_agent: Set(meta.user_agent.chars().take(200).collect()),
            ip: Set(meta.ip.clone()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        Ok(token)
    }

    /// The live session for a cookie value, if any: not past its absolute lifetime, not idle too
    /// long, its account not disabled.
    pub async fn session(&self, token: &str) -> Result<Option<CurrentSession>> {
        let found = session::Entity::find()
            .filter(session::Column::TokenHash.eq(hash_token(token)))
            .find_also_related(account::Entity)
            .one(self.db.read())
            .await?;
        let Some((session, Some(account))) = found else {
            return Ok(None);
        };
        let now = self.now();
        if session.expires_at <= now
            || session.last_seen_at + self.settings.idle <= now
            || account.disabled_at.is_some()
        {
            return Ok(None);
        }
        if now - session.last_seen_at > Duration::minutes(TOUCH_EVERY_MINUTES) {
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
                .filter(session::Column::Id.eq(session.id))
                .exec(self.db.write())
                .await?;
        }
        Ok(Some(CurrentSession { session_id: session.id, account }))
    }

    /// Ends one session.
    pub async fn sign_out(&self, current: &CurrentSession, meta: &RequestMeta) -> Result<()> {
        let txn = self.db.begin().await?;
        session::Entity::delete_by_id(current.session_id).exec(&txn).await?;
        self.audit(&txn, Some(current.account.id), "sign_out", "", meta).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Ends every session of the account, this one included.
    pub async fn sign_out_everywhere(&self, account_id: i32, meta: &RequestMeta) -> Result<u64> {
        let txn = self.db.begin().await?;
        let ended = session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(account_id))
            .exec(&txn)
            .await?;
        self.audit(&txn, Some(account_id), "sign_out.everywhere", "", meta).await?;
        txn.commit().await?;
        Ok(ended.rows_affected)
    }

    /// The account's live sessions, newest first.
    pub async fn sessions_of(&self, account_id: i32) -> Result<Vec<session::Model>> {
        let now = self.now();
        Ok(session::Entity::find()
            .filter(session::Column::AccountId.eq(account_id))
            .filter(session::Column::ExpiresAt.gt(now))
            .filter(session::Column::LastSeenAt.gt(now - self.settings.idle))
            .order_by_desc(session::Column::LastSeenAt)
            .all(self.db.read())
            .await?)
    }

    // ---- one-time links --------------------------------------------------------------------

    async fn send_link(
        &self,
        txn: &DatabaseTransaction,
        account: &account::Model,
        purpose: &str,
        valid: Duration,
    ) -> Result<()> {
        let token = new_token();
        let now = self.now();
        one_time_token::ActiveModel {
            account_id: Set(account.id),
            purpose: Set(purpose.to_owned()),
            token_hash: Set(hash_token(&token)),
            expires_at: Set(now + valid),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let lang = Lang::from_code(&account.locale).unwrap_or_default();
        let minutes = valid.num_minutes();
        let email = match purpose {
            purpose::VERIFY_EMAIL => {
                emails::verify_email(lang, account, &self.link("/verify-email", &token), minutes)
            }
            purpose::RESET_PASSWORD => {
                emails::reset_password(lang, account, &self.link("/reset-password", &token), minutes)
            }
            _ => emails::sign_in_link(lang, account, &self.link("/sign-in/link", &token), minutes),
        };
        mail::enqueue(txn, &self.clock, email).await?;
        Ok(())
    }

    /// Sends a password-reset or sign-in link if the account exists. Says nothing either way, so
    /// that the answer does not reveal who has an account; bounded per address and per email.
    pub async fn request_link(&self, email: &str, purpose: &'static str, meta: &RequestMeta) -> Result<()> {
        let email = normalise_email(email);
        if !is_valid_email(&email) {
            return invalid("email", "email-invalid");
        }
        let limit = self.settings.link_emails_per_hour;
        let address_key = format!("link-address:{}", meta.ip);
        let email_key = format!("link-email:{email}");
        self.check_rate(&address_key, limit * 4, Duration::hours(1)).await?;
        if self.check_rate(&email_key, limit, Duration::hours(1)).await.is_err() {
            // Quietly drop: an attacker must not learn the limit is per account.
            return Ok(());
        }
        let account = self.find_by_email(self.db.read(), &email).await?;
        let txn = self.db.begin().await?;
        self.record_failure(&txn, &address_key).await?;
        self.record_failure(&txn, &email_key).await?;
        if let Some(account) = account.filter(|a| a.disabled_at.is_none()) {
            let valid = if purpose == purpose::RESET_PASSWORD {
                self.settings.reset_link
            } else {
                self.settings.sign_in_link
            };
            self.send_link(&txn, &account, purpose, valid).await?;
            self.audit(&txn, Some(account.id), &format!("link.{purpose}"), "", meta).await?;
        }
        txn.commit().await?;
        self.outbox.notify_one();
        Ok(())
    }

    /// The account a one-time link belongs to, without using it up (for the confirmation page).
    pub async fn peek_link(&self, token: &str, purpose: &str) -> Result<account::Model> {
        let (_, account) = self.find_link(self.db.read(), token, purpose).await?;
        Ok(account)
    }

    async fn find_link(
        &self,
        conn: &impl ConnectionTrait,
        token: &str,
        purpose: &str,
    ) -> Result<(one_time_token::Model, account::Model)> {
        let row = one_time_token::Entity::find()
            .filter(one_time_token::Column::TokenHash.eq(hash_token(token)))
            .filter(one_time_token::Column::Purpose.eq(purpose))
            .one(conn)
            .await?
            .ok_or(AccountsError::LinkInvalid)?;
        if row.used_at.is_some() || row.expires_at <= self.now() {
            return Err(AccountsError::LinkInvalid);
        }
        let account =
            account::Entity::find_by_id(row.account_id).one(conn).await?.ok_or(AccountsError::LinkInvalid)?;
        if account.disabled_at.is_some() {
            return Err(AccountsError::LinkInvalid);
        }
        Ok((row, account))
    }

    /// Marks a link used; fails if another request used it first.
    async fn consume_link(
        &self,
        txn: &DatabaseTransaction,
        token: &str,
        purpose: &str,
    ) -> Result<account::Model> {
        let (row, account) = self.find_link(txn, token, purpose).await?;
        let used = one_time_token::Entity::update_many()
            .col_expr(one_time_token::Column::UsedAt, sea_orm::sea_query::Expr::value(self.now()))
            .filter(one_time_token::Column::Id.eq(row.id))
            .filter(one_time_token::Column::UsedAt.is_null())
            .exec(txn)
            .await?;
        if used.rows_affected != 1 {
            return Err(AccountsError::LinkInvalid);
        }
        Ok(account)
    }

    /// Confirms an email address.
    pub async fn verify_email(&self, token: &str, meta: &RequestMeta) -> Result<account::Model> {
        let txn = self.db.begin().await?;
        let account = self.consume_link(&txn, token, purpose::VERIFY_EMAIL).await?;
        let account = self.mark_verified(&txn, account).await?;
        self.audit(&txn, Some(account.id), "email.verified", "", meta).await?;
        txn.commit().await?;
        Ok(account)
    }

    async fn mark_verified(
        &self,
        txn: &DatabaseTransaction,
        account: account::Model,
    ) -> Result<account::Model> {
        if account.email_verified_at.is_some() {
            return Ok(account);
        }
        let mut active = account.into_active_model();
        active.email_verified_at = Set(Some(self.now()));
        Ok(active.update(txn).await?)
    }

    /// Sends a fresh verification link to a signed-in account whose email is not verified.
    pub async fn resend_verification(&self, account: &account::Model) -> Result<()> {
        if account.email_verified_at.is_some() {
            return Ok(());
        }
        let key = format!("link-email:{}", account.email);
        self.check_rate(&key, self.settings.link_emails_per_hour, Duration::hours(1)).await?;
        let txn = self.db.begin().await?;
        self.record_failure(&txn, &key).await?;
        self.send_link(&txn, account, purpose::VERIFY_EMAIL, self.settings.verify_link).await?;
        txn.commit().await?;
        self.outbox.notify_one();
        Ok(())
    }

    /// Signs in with a one-time link from an email (which also proves the address).
    pub async fn sign_in_with_link(&self, token: &str, meta: &RequestMeta) -> Result<SignedIn> {
        let txn = self.db.begin().await?;
        let account = self.consume_link(&txn, token, purpose::SIGN_IN).await?;
        let account = self.mark_verified(&txn, account).await?;
        let session = self.create_session(&txn, account.id, meta).await?;
        self.audit(&txn, Some(account.id), "sign_in.link", "", meta).await?;
        txn.commit().await?;
        Ok(SignedIn { token: session, account })
    }

    /// Sets a new password from a reset link: every other session ends, a new one starts.
    pub async fn reset_password(&self, token: &str, password: &str, meta: &RequestMeta) -> Result<SignedIn> {
        let account = self.peek_link(token, purpose::RESET_PASSWORD).await?;
        self.check_new_password(&account, password)?;
        let hash = self.passwords.hash(password).await?;
        let txn = self.db.begin().await?;
        let account = self.consume_link(&txn, token, purpose::RESET_PASSWORD).await?;
        let account = self.mark_verified(&txn, account).await?;
        let account = self.store_password(&txn, account, hash).await?;
        let session = self.create_session(&txn, account.id, meta).await?;
        self.audit(&txn, Some(account.id), "password.reset", "", meta).await?;
        txn.commit().await?;
        Ok(SignedIn { token: session, account })
    }

    fn check_new_password(&self, account: &account::Model, password: &str) -> Result<()> {
        let local = account.email.split('@').next().unwrap_or("");
        let mut inputs: Vec<&str> = account.name.split_whitespace().collect();
        inputs.push(local);
        check_password(password, self.settings.password_min_length, &inputs)
            .or_else(|key| invalid("password", key))
    }

    /// Replaces the hash and ends every session of the account.
    async fn store_password(
        &self,
        txn: &DatabaseTransaction,
        account: account::Model,
        hash: String,
    ) -> Result<account::Model> {
        session::Entity::delete_many().filter(session::Column::AccountId.eq(account.id)).exec(txn).await?;
        let mut active = account.into_active_model();
        active.password_hash = Set(Some(hash));
        active.updated_at = Set(self.now());
        Ok(active.update(txn).await?)
    }

    /// Changes the password after checking the current one; other sessions end, the caller gets
    /// a new session token.
    pub async fn change_password(
        &self,
        current: &CurrentSession,
        old: &str,
        new: &str,
        meta: &RequestMeta,
    ) -> Result<SignedIn> {
        let account = &current.account;
        if !self.passwords.verify(old, account.password_hash.as_deref()).await? {
            return invalid("current_password", "password-current-wrong");
        }
        self.check_new_password(account, new)?;
        let hash = self.passwords.hash(new).await?;
        let txn = self.db.begin().await?;
        let account = self.store_password(&txn, account.clone(), hash).await?;
        let token = self.create_session(&txn, account.id, meta).await?;
        self.audit(&txn, Some(account.id), "password.changed", "", meta).await?;
        txn.commit().await?;
        Ok(SignedIn { token, account })
    }

    // ---- profile and licences --------------------------------------------------------------

    /// Saves the editable profile after checking every field.
    pub async fn update_profile(&self, account_id: i32, input: ProfileUpdate) -> Result<account::Model> {
        let mut problems = Vec::new();
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            problems.push(("name", "name-required"));
        } else if name.chars().count() > 120 {
            problems.push(("name", "name-too-long"));
        }
        let profession = optional(&input.profession);
        if profession.as_ref().is_some_and(|p| !PROFESSIONS.contains(&p.as_str())) {
            problems.push(("profession", "profession-invalid"));
        }
        let country = match optional(&input.country) {
            None => None,
            Some(code) => match parse_country(&code) {
                Some(code) => Some(code),
                None => {
                    problems.push(("country", "country-invalid"));
                    None
                }
            },
        };
        let region = optional(&input.region);
        if region.as_ref().is_some_and(|r| r.chars().count() > 100) {
            problems.push(("region", "region-too-long"));
        }
        let setting = optional(&input.setting);
        if setting.as_ref().is_some_and(|s| !SETTINGS.contains(&s.as_str())) {
            problems.push(("setting", "setting-invalid"));
        }
        let languages = parse_languages(&input.languages).unwrap_or_else(|key| {
            problems.push(("languages", key));
            Vec::new()
        });
        let locale = Lang::from_code(&input.locale);
        if locale.is_none() {
            problems.push(("locale", "locale-invalid"));
        }
        if !problems.is_empty() {
            return Err(AccountsError::Invalid(problems));
        }
        let account = account::Entity::find_by_id(account_id)
            .one(self.db.read())
            .await?
            .ok_or(AccountsError::NotFound)?;
        let mut active = account.into_active_model();
        active.name = Set(name);
        active.profession = Set(profession);
        active.country = Set(country);
        active.region = Set(region);
        active.setting = Set(setting);
        active.languages = Set(languages.join(","));
        active.locale = Set(locale.unwrap_or_default().code().into());
        active.data_saver = Set(input.data_saver);
        active.updated_at = Set(self.now());
        Ok(active.update(self.db.write()).await?)
    }

    /// Remembers the interface language of a signed-in person.
    pub async fn set_locale(&self, account_id: i32, lang: Lang) -> Result<()> {
        account::Entity::update_many()
            .col_expr(account::Column::Locale, sea_orm::sea_query::Expr::value(lang.code()))
            .filter(account::Column::Id.eq(account_id))
            .exec(self.db.write())
            .await?;
        Ok(())
    }

    /// The account's licences with their regulators' names.
    pub async fn licences(&self, account_id: i32) -> Result<Vec<LicenceView>> {
        let licences = licence::Entity::find()
            .filter(licence::Column::AccountId.eq(account_id))
            .order_by_asc(licence::Column::Id)
            .all(self.db.read())
            .await?;
        let regulators = self.regulators().await?;
        Ok(licences
            .into_iter()
            .map(|l| LicenceView {
                id: l.id,
                regulator: regulators
                    .iter()
                    .find(|r| r.id == l.regulator_id)
                    .map_or_else(String::new, |r| r.name.clone()),
                number: l.number,
                status: l.status,
            })
            .collect())
    }

    /// Every regulator, by name.
    pub async fn regulators(&self) -> Result<Vec<organisation::Model>> {
        Ok(organisation::Entity::find()
            .filter(organisation::Column::Kind.eq(OrgKind::Regulator.as_str()))
            .order_by_asc(organisation::Column::Name)
            .all(self.db.read())
            .await?)
    }

    /// Records a licence number the clinician holds with a regulator (unverified until the
    /// regulator confirms it from its roster).
    pub async fn add_licence(&self, account_id: i32, regulator_id: &str, number: &str) -> Result<()> {
        let number = number.trim().to_uppercase();
        let mut problems = Vec::new();
        let regulator = match regulator_id.parse::<i32>() {
            Ok(id) => {
                organisation::Entity::find_by_id(id)
                    .filter(organisation::Column::Kind.eq(OrgKind::Regulator.as_str()))
                    .one(self.db.read())
                    .await?
            }
            Err(_) => None,
        };
        if regulator.is_none() {
            problems.push(("regulator", "regulator-invalid"));
        }
        if number.is_empty()
            || number.len() > 40
            || !number.chars().all(|c| c.is_ascii_alphanumeric() || "-/. ".contains(c))
        {
            problems.push(("number", "licence-number-invalid"));
        }
        let Some(regulator) = regulator.filter(|_| problems.is_empty()) else {
            return Err(AccountsError::Invalid(problems));
        };
        let inserted = licence::ActiveModel {
            account_id: Set(account_id),
            regulator_id: Set(regulator.id),
            number: Set(number),
            status: Set("unverified".into()),
            created_at: Set(self.now()),
            ..Default::default()
        }
        .insert(self.db.write())
        .await;
        match inserted {
            Ok(_) => Ok(()),
            Err(error) if is_unique_violation(&error) => invalid("regulator", "licence-duplicate"),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes one of the account's own licences.
    pub async fn remove_licence(&self, account_id: i32, licence_id: i32) -> Result<()> {
        let deleted = licence::Entity::delete_many()
            .filter(licence::Column::Id.eq(licence_id))
            .filter(licence::Column::AccountId.eq(account_id))
            .exec(self.db.write())
            .await?;
        if deleted.rows_affected == 0 {
            return Err(AccountsError::NotFound);
        }
        Ok(())
    }

    // ---- organisations ----------------------------------------------------------------------

    /// Who the account is for authorisation: its memberships and platform role.
    pub async fn actor(&self, account: &account::Model) -> Result<Actor> {
        let memberships = membership::Entity::find()
            .filter(membership::Column::AccountId.eq(account.id))
            .all(self.db.read())
            .await?;
        Ok(Actor {
            account_id: account.id,
            is_platform_admin: account.is_platform_admin,
            memberships: memberships
                .into_iter()
                .filter_map(|m| Role::parse(&m.role).map(|r| (m.organisation_id, r)))
                .collect(),
        })
    }

    /// Creates an organisation (platform admins only).
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        slug: &str,
        name: &str,
        kind: &str,
        country: &str,
        meta: &RequestMeta,
    ) -> Result<organisation::Model> {
        if !authorize(actor, Capability::AdministerPlatform) {
            return Err(AccountsError::Forbidden);
        }
        let slug = slug.trim().to_lowercase();
        let name = name.trim().to_owned();
        let mut problems = Vec::new();
        if !is_valid_slug(&slug) {
            problems.push(("slug", "slug-invalid"));
        }
        if name.is_empty() || name.chars().count() > 160 {
            problems.push(("name", "name-required"));
        }
        let kind = OrgKind::parse(kind);
        if kind.is_none() {
            problems.push(("kind", "kind-invalid"));
        }
        let country = parse_country(country);
        if country.is_none() {
            problems.push(("country", "country-invalid"));
        }
        let (Some(kind), Some(country), true) = (kind, country, problems.is_empty()) else {
            return Err(AccountsError::Invalid(problems));
        };
        let txn = self.db.begin().await?;
        let created = self.insert_organisation(&txn, &slug, &name, kind, &country).await;
        let organisation = match created {
            Ok(organisation) => organisation,
            Err(AccountsError::Db(error)) if is_unique_violation(&error) => {
                return invalid("slug", "slug-taken");
            }
            Err(error) => return Err(error),
        };
        self.audit(&txn, Some(actor.account_id), "organisation.created", &slug, meta).await?;
        txn.commit().await?;
        Ok(organisation)
    }

    /// Inserts an organisation row (also used by content import).
    pub async fn insert_organisation(
        &self,
        conn: &impl ConnectionTrait,
        slug: &str,
        name: &str,
        kind: OrgKind,
        country: &str,
    ) -> Result<organisation::Model> {
        Ok(organisation::ActiveModel {
            slug: Set(slug.to_owned()),
            name: Set(name.to_owned()),
            kind: Set(kind.as_str().into()),
            country: Set(country.to_owned()),
            created_at: Set(self.now()),
            ..Default::default()
        }
        .insert(conn)
        .await?)
    }

    /// Every organisation, by name.
    pub async fn organisations(&self) -> Result<Vec<organisation::Model>> {
        Ok(organisation::Entity::find().order_by_asc(organisation::Column::Name).all(self.db.read()).await?)
    }

    /// The organisations the actor may see: all for platform admins, else their own.
    pub async fn organisations_for(&self, actor: &Actor) -> Result<Vec<(organisation::Model, Vec<Role>)>> {
        let all = self.organisations().await?;
        Ok(all
            .into_iter()
            .filter(|o| authorize(actor, Capability::ViewOrganisation { organisation_id: o.id }))
            .map(|o| {
                let roles =
                    actor.memberships.iter().filter(|(org, _)| *org == o.id).map(|(_, r)| *r).collect();
                (o, roles)
            })
            .collect())
    }

    /// An organisation by its slug.
    pub async fn organisation(&self, slug: &str) -> Result<organisation::Model> {
        organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(slug))
            .one(self.db.read())
            .await?
            .ok_or(AccountsError::NotFound)
    }

    /// An organisation's members (for those who may view it).
    pub async fn members(&self, actor: &Actor, organisation_id: i32) -> Result<Vec<Member>> {
        if !authorize(actor, Capability::ViewOrganisation { organisation_id }) {
            return Err(AccountsError::Forbidden);
        }
        let rows = membership::Entity::find()
            .filter(membership::Column::OrganisationId.eq(organisation_id))
            .find_also_related(account::Entity)
            .order_by_asc(membership::Column::Id)
            .all(self.db.read())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(m, a)| {
                let a = a?;
                Some(Member {
                    membership_id: m.id,
                    account_id: a.id,
                    name: a.name,
                    email: a.email,
                    role: Role::parse(&m.role)?,
                })
            })
            .collect())
    }

    /// Open invitations of an organisation (for its managers).
    pub async fn invitations(&self, actor: &Actor, organisation_id: i32) -> Result<Vec<invitation::Model>> {
        if !authorize(actor, Capability::ManageMembers { organisation_id }) {
            return Err(AccountsError::Forbidden);
        }
        Ok(invitation::Entity::find()
            .filter(invitation::Column::OrganisationId.eq(organisation_id))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(self.now()))
            .order_by_desc(invitation::Column::Id)
            .all(self.db.read())
            .await?)
    }

    /// Invites someone by email to hold `role` in an organisation.
    pub async fn invite(
        &self,
        actor: &Actor,
        inviter: &account::Model,
        organisation: &organisation::Model,
        email: &str,
        role: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        if !authorize(actor, Capability::ManageMembers { organisation_id: organisation.id }) {
            return Err(AccountsError::Forbidden);
        }
        let email = normalise_email(email);
        let mut problems = Vec::new();
        if !is_valid_email(&email) {
            problems.push(("email", "email-invalid"));
        }
        let kind = OrgKind::parse(&organisation.kind).unwrap_or(OrgKind::Association);
        let role = Role::parse(role).filter(|r| kind.roles().contains(r));
        if role.is_none() {
            problems.push(("role", "role-invalid"));
        }
        let (Some(role), true) = (role, problems.is_empty()) else {
            return Err(AccountsError::Invalid(problems));
        };
        let token = new_token();
        let now = self.now();
        let txn = self.db.begin().await?;
        invitation::ActiveModel {
            organisation_id: Set(organisation.id),
            email: Set(email.clone()),
            role: Set(role.as_str().into()),
            token_hash: Set(hash_token(&token)),
            invited_by: Set(Some(inviter.id)),
            expires_at: Set(now + self.settings.invitation),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // The invitee may have no account yet: then write in the inviter's language.
        let inviter_lang = Lang::from_code(&inviter.locale).unwrap_or_default();
        let recipient_lang = self
            .find_by_email(&txn, &email)
            .await?
            .and_then(|a| Lang::from_code(&a.locale))
            .unwrap_or(inviter_lang);
        let url = self.link("/invitations", &token);
        let message = emails::invitation(
            recipient_lang,
            emails::InvitationEmail {
                email: &email,
                inviter: &inviter.name,
                organisation: &organisation.name,
                role,
                url: &url,
                days: self.settings.invitation.num_days(),
            },
        );
        mail::enqueue(&txn, &self.clock, message).await?;
        self.audit(
            &txn,
            Some(actor.account_id),
            "invitation.sent",
            &format!("{} {email} {role}", organisation.slug),
            meta,
        )
        .await?;
        txn.commit().await?;
        self.outbox.notify_one();
        Ok(())
    }

    /// The open invitation a link points to, with its organisation.
    pub async fn invitation(&self, token: &str) -> Result<(invitation::Model, organisation::Model)> {
        let invitation = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(hash_token(token)))
            .one(self.db.read())
            .await?
            .ok_or(AccountsError::LinkInvalid)?;
        if invitation.accepted_at.is_some() || invitation.expires_at <= self.now() {
            return Err(AccountsError::LinkInvalid);
        }
        let organisation = organisation::Entity::find_by_id(invitation.organisation_id)
            .one(self.db.read())
            .await?
            .ok_or(AccountsError::LinkInvalid)?;
        Ok((invitation, organisation))
    }

    /// Accepts an invitation: only the account with the invited email may.
    pub async fn accept_invitation(
        &self,
        token: &str,
        account: &account::Model,
        meta: &RequestMeta,
    ) -> Result<organisation::Model> {
        let (invitation, organisation) = self.invitation(token).await?;
        if invitation.email != account.email {
            return Err(AccountsError::Forbidden);
        }
        let txn = self.db.begin().await?;
        let accepted = invitation::Entity::update_many()
            .col_expr(invitation::Column::AcceptedAt, sea_orm::sea_query::Expr::value(self.now()))
            .filter(invitation::Column::Id.eq(invitation.id))
            .filter(invitation::Column::AcceptedAt.is_null())
            .exec(&txn)
            .await?;
        if accepted.rows_affected != 1 {
            return Err(AccountsError::LinkInvalid);
        }
        let exists = membership::Entity::find()
            .filter(membership::Column::OrganisationId.eq(organisation.id))
            .filter(membership::Column::AccountId.eq(account.id))
            .filter(membership::Column::Role.eq(invitation.role.clone()))
            .count(&txn)
            .await?;
        if exists == 0 {
            self.insert_membership(&txn, organisation.id, account.id, &invitation.role).await?;
        }
        // Accepting proves the address.
        self.mark_verified(&txn, account.clone()).await?;
        self.audit(
            &txn,
            Some(account.id),
            "invitation.accepted",
            &format!("{} {}", organisation.slug, invitation.role),
            meta,
        )
        .await?;
        txn.commit().await?;
        Ok(organisation)
    }

    /// Adds a membership row (also used by the `admin` command and content import).
    pub async fn insert_membership(
        &self,
        conn: &impl ConnectionTrait,
        organisation_id: i32,
        account_id: i32,
        role: &str,
    ) -> Result<()> {
        membership::ActiveModel {
            organisation_id: Set(organisation_id),
            account_id: Set(account_id),
            role: Set(role.to_owned()),
            created_at: Set(self.now()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        Ok(())
    }

    /// Removes a membership (organisation managers only).
    pub async fn remove_member(
        &self,
        actor: &Actor,
        organisation_id: i32,
        membership_id: i32,
        meta: &RequestMeta,
    ) -> Result<()> {
        if !authorize(actor, Capability::ManageMembers { organisation_id }) {
            return Err(AccountsError::Forbidden);
        }
        let txn = self.db.begin().await?;
        let deleted = membership::Entity::delete_many()
            .filter(membership::Column::Id.eq(membership_id))
            .filter(membership::Column::OrganisationId.eq(organisation_id))
            .exec(&txn)
            .await?;
        if deleted.rows_affected == 0 {
            return Err(AccountsError::NotFound);
        }
        self.audit(&txn, Some(actor.account_id), "membership.removed", &membership_id.to_string(), meta)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    // ---- administration -----------------------------------------------------------------------

    /// Creates (or promotes) a platform admin; returns a link to set the password when none was given.
    pub async fn create_platform_admin(
        &self,
        email: &str,
        name: &str,
        password: Option<&str>,
    ) -> Result<Option<String>> {
        let email = normalise_email(email);
        if !is_valid_email(&email) {
            return invalid("email", "email-invalid");
        }
        if name.trim().is_empty() {
            return invalid("name", "name-required");
        }
        let hash = match password {
            Some(password) => {
                check_password(password, self.settings.password_min_length, &[name, &email])
                    .or_else(|key| invalid("password", key))?;
                Some(self.passwords.hash(password).await?)
            }
            None => None,
        };
        let now = self.now();
        let txn = self.db.begin().await?;
        let account = match self.find_by_email(&txn, &email).await? {
            Some(existing) => {
                let mut active = existing.into_active_model();
                active.is_platform_admin = Set(true);
                if hash.is_some() {
                    active.password_hash = Set(hash);
                }
                active.updated_at = Set(now);
                active.update(&txn).await?
            }
            None => {
                account::ActiveModel {
                    email: Set(email.clone()),
                    name: Set(name.trim().to_owned()),
                    password_hash: Set(hash),
                    email_verified_at: Set(Some(now)),
                    locale: Set("en".into()),
                    is_platform_admin: Set(true),
                    languages: Set("en".into()),
                    data_saver: Set(false),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        let link = if password.is_none() {
            let token = new_token();
            one_time_token::ActiveModel {
                account_id: Set(account.id),
                purpose: Set(purpose::RESET_PASSWORD.into()),
                token_hash: Set(hash_token(&token)),
                expires_at: Set(now + Duration::hours(24)),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            Some(self.link("/reset-password", &token))
        } else {
            None
        };
        audit::record(
            &txn,
            &self.clock,
            AuditEvent {
                actor_id: Some(account.id),
                action: "admin.created",
                subject: &email,
                ip: "cli",
                request_id: "",
            },
        )
        .await?;
        txn.commit().await?;
        Ok(link)
    }

    /// Deletes expired sessions, used or expired links and old rate-limit rows.
    pub async fn prune(&self) -> Result<()> {
        let now = self.now();
        let db = self.db.write();
        session::Entity::delete_many()
            .filter(
                session::Column::ExpiresAt
                    .lte(now)
                    .or(session::Column::LastSeenAt.lte(now - self.settings.idle)),
            )
            .exec(db)
            .await?;
        one_time_token::Entity::delete_many()
            .filter(one_time_token::Column::ExpiresAt.lte(now - Duration::days(7)))
            .exec(db)
            .await?;
        sign_in_failure::Entity::delete_many()
            .filter(sign_in_failure::Column::At.lte(now - Duration::days(1)))
            .exec(db)
            .await?;
        Ok(())
    }

    /// Records a refused request in the audit trail.
    pub async fn record_denial(&self, actor_id: Option<i32>, path: &str, meta: &RequestMeta) -> Result<()> {
        self.audit(self.db.write(), actor_id, "access.denied", path, meta).await
    }

    /// The account with this address (compared as sign-in compares it), if any.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<account::Model>> {
        self.find_by_email(self.db.read(), &super::model::normalise_email(email)).await
    }

    async fn find_by_email(
        &self,
        conn: &impl ConnectionTrait,
        email: &str,
    ) -> Result<Option<account::Model>> {
        Ok(account::Entity::find().filter(account::Column::Email.eq(email)).one(conn).await?)
    }

    /// Disables an account: its sessions end at once and it can no longer sign in.
    pub async fn disable(&self, actor: &Actor, account_id: i32, meta: &RequestMeta) -> Result<()> {
        if !authorize(actor, Capability::AdministerPlatform) {
            return Err(AccountsError::Forbidden);
        }
        let txn = self.db.begin().await?;
        let updated = account::Entity::update_many()
            .col_expr(account::Column::DisabledAt, sea_orm::sea_query::Expr::value(Some(self.now())))
            .filter(account::Column::Id.eq(account_id))
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(AccountsError::NotFound);
        }
        session::Entity::delete_many().filter(session::Column::AccountId.eq(account_id)).exec(&txn).await?;
        self.audit(&txn, Some(actor.account_id), "account.disabled", &account_id.to_string(), meta).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Accounts by newest first, for the platform admin.
    pub async fn recent_accounts(&self, limit: u64) -> Result<Vec<account::Model>> {
        use sea_orm::QuerySelect;
        Ok(account::Entity::find()
            .order_by_desc(account::Column::Id)
            .limit(limit)
            .all(self.db.read())
            .await?)
    }
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Re-exported for the views of other features.
pub use model::Role as MemberRole;

/// Account names by id, in one query: for pages that list people.
pub async fn names_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, String>, DbErr> {
    let ids: std::collections::HashSet<i32> = ids.into_iter().collect();
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

/// Each row with the name of the account `account_of` names for it, in one query.
pub async fn with_names<T>(
    db: &impl ConnectionTrait,
    rows: Vec<T>,
    account_of: impl Fn(&T) -> i32,
) -> Result<Vec<(T, String)>, DbErr> {
    let names = names_by_id(db, rows.iter().map(&account_of)).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let name = names.get(&account_of(&row)).cloned().unwrap_or_default();
            (row, name)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{PasswordHasher, PasswordVerifier};

    #[tokio::test]
    async fn hashes_verify_both_ways_with_the_standard_argon2_api_and_reuse_their_memory() {
        let passwords = Passwords::new(8 * 1024, 1, 2).unwrap();
        let ours = passwords.hash("kettle orange lantern river").await.unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"), "{ours}");
        assert!(passwords.verify("kettle orange lantern river", Some(&ours)).await.unwrap());
        assert!(!passwords.verify("kettle orange lantern rivers", Some(&ours)).await.unwrap());
        assert!(!passwords.verify("kettle orange lantern river", None).await.unwrap(), "no account");
        assert!(!passwords.verify("anything", Some("not a hash")).await.unwrap());
        // Hashes stored before (made by the argon2 crate's own API) still verify, and ours verify there.
        let params = Params::new(19 * 1024, 2, 1, None).unwrap();
        let standard = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"an older passphrase")
            .unwrap()
            .to_string();
        assert!(passwords.verify("an older passphrase", Some(&standard)).await.unwrap());
        assert!(!passwords.verify("a different one", Some(&standard)).await.unwrap());
        assert!(Argon2::default().verify_password(b"kettle orange lantern river", ours.as_str()).is_ok());
        // At most one buffer per permit is kept (a 19 MiB one from the older hash, reused).
        assert!(passwords.buffers.lock().unwrap().len() <= 2);
    }
}
