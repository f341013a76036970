//! The email outbox and its sender. A message is a row written in the same transaction as the
//! change that caused it; after commit a worker claims rows (PostgreSQL: `FOR UPDATE SKIP LOCKED`,
//! so two servers never take the same one) and sends them over SMTP with lettre, or writes `.eml`
//! files under `<data_dir>/mail` when no SMTP relay is configured. Failures are retried with
//! exponential backoff; permanent ones are kept for a platform admin to see.

use crate::config::{Config, SmtpConfig, SmtpTls};
use crate::platform::clock::SharedClock;
use crate::platform::tokens::new_token;
use chrono::{DateTime, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use secrecy::ExposeSecret;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{Notify, watch};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox_message")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub message_id: String,
        pub to_address: String,
        pub to_name: String,
        pub subject: String,
        pub body_text: String,
        pub body_html: String,
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub locked_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity as Outbox};

use crate::platform::queue::{self, Columns};
pub use crate::platform::queue::{FAILED, PENDING, SENDING, SENT, backoff};

const QUEUE: Columns<Column> = Columns {
    id: Column::Id,
    status: Column::Status,
    next_attempt_at: Column::NextAttemptAt,
    locked_until: Column::LockedUntil,
    attempts_on_claim: Some(Column::Attempts),
};

/// A message to send: both a plain-text and an HTML body, already in the recipient's language.
#[derive(Clone, Debug)]
pub struct Email {
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Writes `email` to the outbox inside the caller's transaction.
pub async fn enqueue(conn: &impl ConnectionTrait, clock: &SharedClock, email: Email) -> Result<(), DbErr> {
    let now = clock.now();
    entity::ActiveModel {
        message_id: Set(format!("<{}@lantern>", new_token())),
        to_address: Set(email.to_address),
        to_name: Set(email.to_name),
        subject: Set(email.subject),
        body_text: Set(email.text),
        body_html: Set(email.html),
        status: Set(PENDING.into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// How a message leaves Lantern.
#[derive(Clone)]
pub enum Transport {
    Smtp(Arc<AsyncSmtpTransport<Tokio1Executor>>),
    /// Without SMTP settings: `.eml` files in this folder.
    Files(PathBuf),
}

/// Why sending failed, and whether trying again may help.
#[derive(Debug)]
pub enum SendError {
    Transient(String),
    Permanent(String),
}

impl Transport {
    /// The transport the configuration asks for.
    pub fn from_config(config: &Config) -> Result<Self, lettre::transport::smtp::Error> {
        match &config.smtp {
            Some(smtp) => Ok(Transport::Smtp(Arc::new(smtp_transport(smtp)?))),
            None => Ok(Transport::Files(config.data_dir.join("mail"))),
        }
    }

    /// Sends one message; `.eml` files are named `<row id>-<Message-ID>.eml` so they sort in order.
    async fn send(&self, message: Message, row: i32, id: &str) -> Result<(), SendError> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Transport::Files(dir) => {
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    let name: String =
                        id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
                    let temporary = dir.join(format!(".{row:010}-{name}.tmp"));
                    tokio::fs::write(&temporary, message.formatted()).await?;
                    // Readers never see half a file.
                    tokio::fs::rename(&temporary, dir.join(format!("{row:010}-{name}.eml"))).await
                };
                write.await.map_err(|e| SendError::Transient(e.to_string()))
            }
        }
    }
}

fn smtp_transport(
    smtp: &SmtpConfig,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    let builder = match smtp.tls {
        SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?,
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
    };
    let mut builder =
        builder.port(smtp.port).timeout(Some(std::time::Duration::from_secs(smtp.timeout_seconds)));
    if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.expose_secret().to_owned()));
    }
    Ok(builder.build())
}

/// Drains the outbox.
#[derive(Clone)]
pub struct Mailer {
    pub db: sea_orm::DatabaseConnection,
    pub clock: SharedClock,
    pub transport: Transport,
    pub from: Mailbox,
    pub max_attempts: i32,
    pub poll: std::time::Duration,
    pub wake: Arc<Notify>,
}

const BATCH: u64 = 20;

impl Mailer {
    /// Sends until `shutdown` turns true, waking every `poll` or when [`Mailer::wake`] is notified.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        queue::run(shutdown, &self.wake, self.poll, || async {
            if let Err(error) = self.drain().await {
                tracing::warn!(%error, "outbox: could not drain");
            }
            if let Ok(pending) = self.pending_count().await {
                metrics::gauge!("outbox_pending").set(pending as f64);
            }
        })
        .await;
    }

    /// Sends every message that is due; returns how many were attempted.
    pub async fn drain(&self) -> Result<usize, DbErr> {
        let mut attempted = 0;
        loop {
            let batch = self.claim().await?;
            if batch.is_empty() {
                return Ok(attempted);
            }
            attempted += batch.len();
            for message in batch {
                self.deliver(message).await?;
            }
        }
    }

    /// Reserves up to a batch of due messages for this server.
    async fn claim(&self) -> Result<Vec<entity::Model>, DbErr> {
        queue::claim::<Outbox>(&self.db, self.clock.now(), &QUEUE, BATCH, |m| m.id).await
    }

    async fn deliver(&self, message: entity::Model) -> Result<(), DbErr> {
        let attempts = message.attempts + 1;
        let outcome = match self.build(&message) {
            Ok(built) => self.transport.send(built, message.id, &message.message_id).await,
            Err(error) => Err(SendError::Permanent(error)),
        };
        let now = self.clock.now();
        let mut row: entity::ActiveModel = message.into();
        row.attempts = Set(attempts);
        row.locked_until = Set(None);
        match outcome {
            Ok(()) => {
                row.status = Set(SENT.into());
                row.sent_at = Set(Some(now));
                row.last_error = Set(None);
                metrics::counter!("outbox_sent_total").increment(1);
            }
            Err(SendError::Transient(error)) if attempts < self.max_attempts => {
                tracing::warn!(attempts, %error, "outbox: will retry");
                row.status = Set(PENDING.into());
                row.next_attempt_at = Set(now + backoff(attempts));
                row.last_error = Set(Some(error));
            }
            Err(SendError::Transient(error) | SendError::Permanent(error)) => {
                tracing::error!(attempts, %error, "outbox: message failed for good");
                row.status = Set(FAILED.into());
                row.last_error = Set(Some(error));
                metrics::counter!("outbox_failed_total").increment(1);
            }
        }
        row.update(&self.db).await?;
        Ok(())
    }

    fn build(&self, message: &entity::Model) -> Result<Message, String> {
        let address = message.to_address.parse().map_err(|e| format!("recipient address: {e}"))?;
        let to = Mailbox::new(Some(message.to_name.clone()), address);
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&message.subject)
            .message_id(Some(message.message_id.clone()))
            .date(std::time::SystemTime::from(message.created_at))
            .multipart(MultiPart::alternative_plain_html(
                message.body_text.clone(),
                message.body_html.clone(),
            ))
            .map_err(|e| e.to_string())
    }

    /// Messages waiting to be sent.
    pub async fn pending_count(&self) -> Result<u64, DbErr> {
        Outbox::find().filter(Column::Status.is_in([PENDING, SENDING])).count(&self.db).await
    }
}

/// Messages that failed for good, newest first, for the admin page.
pub async fn failed_messages(conn: &impl ConnectionTrait, limit: u64) -> Result<Vec<entity::Model>, DbErr> {
    Outbox::find().filter(Column::Status.eq(FAILED)).order_by_desc(Column::Id).limit(limit).all(conn).await
}

/// Counts by status, for the admin page and `/metrics`.
pub async fn counts(conn: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    Outbox::find()
        .select_only()
        .column(Column::Status)
        .column_as(Column::Id.count(), "n")
        .group_by(Column::Status)
        .into_tuple::<(String, i64)>()
        .all(conn)
        .await
}

/// Puts a failed message back in the queue.
pub async fn retry(conn: &impl ConnectionTrait, id: i32, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = Outbox::update_many()
        .col_expr(Column::Status, Expr::value(PENDING))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(FAILED))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}
