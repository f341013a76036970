//! API tokens: how a program (a regulator's licensing system, an association's script) acts for
//! a person. A token is 256 random bits shown once; only its SHA-256 is stored. It carries scopes
//! (a feature and read or write), an expiry, and can be revoked at any time. It is accepted only
//! under `/api/`, and only where [`required_scope`] names the scope a route needs: a new API route
//! without an entry in [`API_ROUTES`] refuses tokens until someone decides which scope it takes.
//! Each token is limited to `security.api_requests_per_minute` requests a minute (by default
//! [`RATE_PER_MINUTE`]; 429 with `Retry-After` beyond).

use super::entity::{account, api_token};
use super::model::Problem;
use super::service::{Accounts, AccountsError, CurrentSession};
use crate::platform::tokens::{hash_token, new_token};
use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// The features a token can be scoped to, each `:read` or `:write`.
pub const FEATURES: [&str; 6] = ["courses", "competencies", "mentoring", "credits", "search", "insights"];

/// What a token is prefixed with, so a leaked one is recognisable (and greppable) as Lantern's.
pub const TOKEN_PREFIX: &str = "lt_";

/// Longest and default lifetime, in days.
pub const MAX_DAYS: i64 = 366;

/// Requests a minute per token by default (a burst of as many, refilled evenly).
pub const RATE_PER_MINUTE: u32 = 600;

/// API routes that accept tokens: a path pattern, the feature whose scope it takes, and whether a
/// POST there only reads (so `:read` suffices). GET and HEAD need `:read`, other methods `:write`.
/// A pattern matches a path that starts with its segments, `*` standing for any one segment; the
/// first that matches decides.
pub const API_ROUTES: &[(&str, &str, bool)] = &[
    ("/api/v1/courses", "courses", false),
    ("/api/v1/me/courses", "courses", false),
    ("/api/v1/orgs/*/courses", "courses", false),
    ("/api/v1/me/credits", "credits", false),
    ("/api/v1/me/certificates", "credits", false),
    ("/api/v1/orgs/*/accreditations", "credits", false),
    ("/api/v1/orgs/*/activities", "credits", false),
    ("/api/v1/orgs/*/certificates", "credits", false),
    ("/api/v1/orgs/*/insights", "insights", false),
    ("/api/v1/orgs/*/mentoring", "mentoring", false),
    ("/api/v1/me/mentoring", "mentoring", false),
    ("/api/v1/mentorships", "mentoring", false),
    ("/api/v1/orgs/*/frameworks", "competencies", false),
    ("/api/v1/frameworks", "competencies", false),
    ("/api/v1/me/competencies", "competencies", false),
    ("/api/v1/me/gaps", "competencies", false),
    ("/api/v1/search", "search", false),
    // Bulk verification posts a list to check; it changes nothing.
    ("/api/v1/regulators/*/verifications", "credits", true),
    ("/api/v1/regulators/*", "credits", false),
];

/// Whether `path` starts with the segments of `pattern` (`*` for any one segment).
fn matches(pattern: &str, path: &str) -> bool {
    let mut path = path.split('/');
    pattern
        .split('/')
        .all(|want| path.next().is_some_and(|got| want == got || (want == "*" && !got.is_empty())))
}

/// The scope a token needs for this request, or None where tokens are not accepted.
pub fn required_scope(reads: bool, path: &str) -> Option<String> {
    let (_, feature, post_reads) = API_ROUTES.iter().find(|(pattern, _, _)| matches(pattern, path))?;
    let access = if reads || *post_reads { "read" } else { "write" };
    Some(format!("{feature}:{access}"))
}

/// Whether `granted` (space-separated) includes `scope`; `:write` includes `:read`.
pub fn allows(granted: &str, scope: &str) -> bool {
    granted.split_whitespace().any(|g| {
        g == scope || scope.strip_suffix(":read").is_some_and(|feature| g == format!("{feature}:write"))
    })
}

/// A token as the request that presented it knows it.
#[derive(Clone, Debug)]
pub struct TokenGrant {
    pub id: i32,
    pub scopes: String,
}

/// Checks the scopes asked for in a form: known features, read or write, at least one.
fn parse_scopes(asked: &[String]) -> Result<String, AccountsError> {
    let mut scopes: Vec<&str> = Vec::new();
    for scope in asked {
        let valid = scope
            .split_once(':')
            .is_some_and(|(f, a)| FEATURES.contains(&f) && matches!(a, "read" | "write"));
        if !valid {
            return Err(AccountsError::Invalid(vec![("scopes", "token-scope-unknown")]));
        }
        if !scopes.contains(&scope.as_str()) {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        return Err(AccountsError::Invalid(vec![("scopes", "token-scope-required")]));
    }
    Ok(scopes.join(" "))
}

impl Accounts {
    /// Makes a token for the account; the secret is returned here once and never again.
    pub async fn create_api_token(
        &self,
        account_id: i32,
        name: &str,
        scopes: &[String],
        days: i64,
    ) -> Result<(api_token::Model, String), AccountsError> {
        let name = name.trim();
        let mut problems: Vec<Problem> = Vec::new();
        if name.is_empty() || name.chars().count() > 80 {
            problems.push(("name", "token-name-required"));
        }
        if !(1..=MAX_DAYS).contains(&days) {
            problems.push(("days", "token-days-range"));
        }
        let scopes = match parse_scopes(scopes) {
            Ok(scopes) => scopes,
            Err(AccountsError::Invalid(more)) => {
                problems.extend(more);
                String::new()
            }
            Err(other) => return Err(other),
        };
        if !problems.is_empty() {
            return Err(AccountsError::Invalid(problems));
        }
        let secret = format!("{TOKEN_PREFIX}{}", new_token());
        let now = self.now();
        let row = api_token::ActiveModel {
            account_id: Set(account_id),
            name: Set(name.to_owned()),
            prefix: Set(secret.chars().take(TOKEN_PREFIX.len() + 6).collect()),
            token_hash: Set(hash_token(&secret)),
            scopes: Set(scopes),
            created_at: Set(now),
            expires_at: Set(now + Duration::days(days)),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(self.db().write())
        .await?;
        Ok((row, secret))
    }

    /// The account's tokens, newest first (revoked and expired ones too, marked as such).
    pub async fn api_tokens(&self, account_id: i32) -> Result<Vec<api_token::Model>, AccountsError> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::AccountId.eq(account_id))
            .order_by_desc(api_token::Column::Id)
            .all(self.db().read())
            .await?)
    }

    /// Revokes one of the account's tokens at once (not found for anyone else's).
    pub async fn revoke_api_token(&self, account_id: i32, id: i32) -> Result<(), AccountsError> {
        let row = api_token::Entity::find_by_id(id)
            .filter(api_token::Column::AccountId.eq(account_id))
            .one(self.db().write())
            .await?
            .ok_or(AccountsError::NotFound)?;
        if row.revoked_at.is_none() {
            let mut update: api_token::ActiveModel = row.into();
            update.revoked_at = Set(Some(self.now()));
            update.update(self.db().write()).await?;
        }
        Ok(())
    }

    /// The person a presented token acts for, when it is known, unexpired, unrevoked and its
    /// account enabled. Marks it used (at most once a minute).
    pub async fn token_session(
        &self,
        token: &str,
    ) -> Result<Option<(CurrentSession, TokenGrant)>, AccountsError> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let found = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(hash_token(token)))
            .one(self.db().read())
            .await?;
        let now = self.now();
        let Some(row) = found.filter(|t| t.revoked_at.is_none() && t.expires_at > now) else {
            return Ok(None);
        };
        let Some(account) = account::Entity::find_by_id(row.account_id)
            .one(self.db().read())
            .await?
            .filter(|a| a.disabled_at.is_none())
        else {
            return Ok(None);
        };
        if row.last_used_at.is_none_or(|at| now - at > Duration::minutes(1)) {
            api_token::Entity::update_many()
                .col_expr(api_token::Column::LastUsedAt, sea_orm::sea_query::Expr::value(now))
                .filter(api_token::Column::Id.eq(row.id))
                .exec(self.db().write())
                .await?;
        }
        let session = CurrentSession { session_id: 0, account };
        Ok(Some((session, TokenGrant { id: row.id, scopes: row.scopes })))
    }
}

/// Per-token request budget: a bucket of `per_minute` requests refilled evenly. Kept in this
/// process's memory (each server of a scaled-out deployment counts its own requests).
pub struct ApiRateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<i32, (f64, Instant)>>,
}

impl Default for ApiRateLimiter {
    fn default() -> Self {
        Self::new(RATE_PER_MINUTE)
    }
}

impl ApiRateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute: per_minute.max(1), buckets: Mutex::default() }
    }

    /// The budget of each token, in requests a minute.
    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Takes one request from the token's bucket, or says how many seconds until one is back.
    pub fn take(&self, token_id: i32, now: Instant) -> Result<(), u64> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > 100_000 {
            // Forget idle tokens rather than grow without bound.
            buckets.retain(|_, (left, at)| *left < capacity || now.duration_since(*at).as_secs() < 60);
        }
        let (left, at) = buckets.entry(token_id).or_insert((capacity, now));
        *left = (*left + now.duration_since(*at).as_secs_f64() * per_second).min(capacity);
        *at = now;
        if *left >= 1.0 {
            *left -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *left) / per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration as StdDuration;

    #[test]
    fn routes_take_their_features_scope_and_unknown_routes_refuse_tokens() {
        assert_eq!(required_scope(true, "/api/v1/me/gaps").as_deref(), Some("competencies:read"));
        assert_eq!(required_scope(false, "/api/v1/me/gaps").as_deref(), Some("competencies:write"));
        assert_eq!(required_scope(true, "/api/v1/frameworks/core").as_deref(), Some("competencies:read"));
        assert_eq!(
            required_scope(false, "/api/v1/regulators/dnmc/verifications").as_deref(),
            Some("credits:read")
        );
        // A segment pattern: the organisation's slug is any one segment, the feature its own.
        let scope = |reads, path| required_scope(reads, path).unwrap_or_default();
        assert_eq!(scope(false, "/api/v1/orgs/eanma/courses/x/versions/1/submit"), "courses:write");
        assert_eq!(scope(true, "/api/v1/orgs/eanma/mentoring"), "mentoring:read");
        assert_eq!(scope(true, "/api/v1/orgs/eanma/insights"), "insights:read");
        assert_eq!(scope(false, "/api/v1/regulators/dnmc/roster"), "credits:write");
        assert_eq!(required_scope(true, "/api/v1/orgs//courses"), None);
        assert_eq!(required_scope(true, "/api/v1/regulators/"), None);
        assert_eq!(required_scope(true, "/api/v1/orgs/eanma"), None);
        assert_eq!(required_scope(true, "/api/v1/frameworksX"), None);
        assert_eq!(required_scope(true, "/api/v1/unknown"), None);
        assert_eq!(required_scope(true, "/me/credits"), None);
    }

    #[test]
    fn write_includes_read_but_not_the_other_way() {
        assert!(allows("credits:read search:read", "credits:read"));
        assert!(allows("credits:write", "credits:read"));
        assert!(!allows("credits:read", "credits:write"));
        assert!(!allows("competencies:write", "credits:read"));
        assert!(!allows("", "credits:read"));
    }

    #[test]
    fn scopes_are_checked() {
        assert_eq!(
            parse_scopes(&["credits:read".into(), "credits:read".into()]).ok(),
            Some("credits:read".into())
        );
        assert!(parse_scopes(&["credits:admin".into()]).is_err());
        assert!(parse_scopes(&["payroll:read".into()]).is_err());
        assert!(parse_scopes(&[]).is_err());
    }

    #[test]
    fn a_token_gets_its_budget_then_waits() {
        let limiter = ApiRateLimiter::default();
        let start = Instant::now();
        for _ in 0..RATE_PER_MINUTE {
            assert!(limiter.take(7, start).is_ok());
        }
        assert_eq!(limiter.take(7, start), Err(1));
        assert!(limiter.take(8, start).is_ok(), "another token has its own budget");
        assert!(limiter.take(7, start + StdDuration::from_millis(150)).is_ok(), "refilled evenly");
    }
}
