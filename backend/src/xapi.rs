//! xAPI (Experience API 1.0.3): learning events sent as statements to an institution's Learning
//! Record Store, so its analytics stack receives them. Off unless `[xapi]` names an endpoint.
//!
//! - **Recorded with the event.** [`Recorder`] is a course listener: the statement row is written
//!   in the learner's transaction (enrolled → `launched`; course completed → `completed`, and
//!   `earned` when the version is accredited; quiz submitted → `passed` or `failed`), so a
//!   statement exists exactly when its event does.
//! - **Sent by a worker**, [`Sender`]: due rows are claimed under a lease (PostgreSQL:
//!   `SKIP LOCKED`), posted in batches to `{endpoint}/statements` with Basic authentication, and
//!   marked sent; a store that is unreachable or answers an error is retried with backoff (30 s
//!   doubling to an hour), and the statements are marked failed after 10 attempts.
//! - **Exactly once at the store.** Each statement's id is derived from its event (a UUID built
//!   from the SHA-256 of, say, `quiz-attempt:42`): the same event gives the same id, so a
//!   repeated event adds no row here and a statement sent twice (a worker killed after the POST)
//!   is kept once by the store, which holds one statement per id.
//! - **Pseudonymous.** The actor is the learner's account number on this server
//!   (`account: {homePage, name}`), never their name or email.

use crate::courses::entity::{course, course_version};
use crate::courses::events::{LearningEvent, LearningListener};
use crate::credits::entity::accreditation;
use crate::platform::clock::SharedClock;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, Set,
};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::{Notify, watch};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "xapi_statement")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub statement_id: String,
        pub body: String,
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

use entity::{Column, Entity as Statements};

use crate::platform::queue::{self, Columns};
pub use crate::platform::queue::{FAILED, PENDING, SENDING, SENT};
const BATCH: u64 = 50;
const QUEUE: Columns<Column> = Columns {
    id: Column::Id,
    status: Column::Status,
    next_attempt_at: Column::NextAttemptAt,
    locked_until: Column::LockedUntil,
    attempts_on_claim: None,
};

const VERBS: [(&str, &str); 5] = [
    ("launched", "http://adlnet.gov/expapi/verbs/launched"),
    ("completed", "http://adlnet.gov/expapi/verbs/completed"),
    ("passed", "http://adlnet.gov/expapi/verbs/passed"),
    ("failed", "http://adlnet.gov/expapi/verbs/failed"),
    ("earned", "http://id.tincanapi.com/verb/earned"),
];

/// A UUID (version 8, RFC 9562) made from the SHA-256 of `key`: the same event, the same id.
pub fn statement_id(key: &str) -> String {
    let hash = Sha256::digest(key.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// What a statement says, before it is written as JSON.
pub struct Said<'a> {
    pub key: String,
    pub account_id: i32,
    pub verb: &'static str,
    /// The activity: a course (`/courses/{slug}`) or a quiz.
    pub activity: String,
    pub activity_type: &'static str,
    pub name: &'a str,
    pub result: Option<Value>,
    pub at: DateTime<Utc>,
}

/// The statement's JSON: actor by account, verb, activity, result, timestamp.
pub fn statement(base_url: &str, said: &Said<'_>) -> Value {
    let verb = VERBS.iter().find(|(name, _)| *name == said.verb).map_or("", |(_, id)| id);
    let mut statement = json!({
        "id": statement_id(&said.key),
        "actor": { "objectType": "Agent", "account": { "homePage": base_url, "name": said.account_id.to_string() } },
        "verb": { "id": verb, "display": { "en-US": said.verb } },
        "object": {
            "objectType": "Activity",
            "id": format!("{base_url}{}", said.activity),
            "definition": { "name": { "und": said.name }, "type": said.activity_type },
        },
        "timestamp": said.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "context": { "platform": "Lantern" },
    });
    if let (Some(result), Some(object)) = (&said.result, statement.as_object_mut()) {
        object.insert("result".into(), result.clone());
    }
    statement
}

/// Writes a statement row in `conn` (a repeated event adds nothing).
pub async fn record(
    conn: &impl ConnectionTrait,
    base_url: &str,
    said: &Said<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let body = statement(base_url, said);
    let row = entity::ActiveModel {
        statement_id: Set(statement_id(&said.key)),
        body: Set(body.to_string()),
        status: Set(PENDING.into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    };
    Statements::insert(row)
        .on_conflict(OnConflict::column(Column::StatementId).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

const COURSE: &str = "http://adlnet.gov/expapi/activities/course";
const ASSESSMENT: &str = "http://adlnet.gov/expapi/activities/assessment";

/// The course listener that writes statements (wired only when `[xapi]` is configured).
pub struct Recorder {
    base_url: String,
    clock: SharedClock,
}

impl Recorder {
    pub fn new(base_url: &str, clock: SharedClock) -> Self {
        Self { base_url: base_url.trim_end_matches('/').to_owned(), clock }
    }

    async fn course_of(
        txn: &DatabaseTransaction,
        version_id: i32,
    ) -> Result<Option<(String, String)>, DbErr> {
        let Some(version) = course_version::Entity::find_by_id(version_id).one(txn).await? else {
            return Ok(None);
        };
        let course = course::Entity::find_by_id(version.course_id).one(txn).await?;
        Ok(course.map(|c| (c.slug, version.title)))
    }

    async fn statements(&self, txn: &DatabaseTransaction, event: &LearningEvent) -> Result<(), DbErr> {
        let now = self.clock.now();
        let base = self.base_url.as_str();
        match event {
            LearningEvent::Enrolled { account_id, course_version_id, at } => {
                let Some((slug, title)) = Self::course_of(txn, *course_version_id).await? else {
                    return Ok(());
                };
                let said = Said {
                    key: format!("launched:{account_id}:{course_version_id}"),
                    account_id: *account_id,
                    verb: "launched",
                    activity: format!("/courses/{slug}"),
                    activity_type: COURSE,
                    name: &title,
                    result: None,
                    at: *at,
                };
                record(txn, base, &said, now).await
            }
            LearningEvent::CourseCompleted { account_id, course_version_id, at, .. } => {
                let Some((slug, title)) = Self::course_of(txn, *course_version_id).await? else {
                    return Ok(());
                };
                let mut said = Said {
                    key: format!("completed:{account_id}:{course_version_id}"),
                    account_id: *account_id,
                    verb: "completed",
                    activity: format!("/courses/{slug}"),
                    activity_type: COURSE,
                    name: &title,
                    result: Some(json!({ "completion": true })),
                    at: *at,
                };
                record(txn, base, &said, now).await?;
                // Each accreditation valid on the day: the credits the completion earns (what the
                // credits feature records in this same transaction).
                let day = at.date_naive();
                let accreditations = accreditation::Entity::find()
                    .filter(accreditation::Column::VersionId.eq(*course_version_id))
                    .filter(accreditation::Column::WithdrawnAt.is_null())
                    .filter(accreditation::Column::ValidFrom.lte(day))
                    .all(txn)
                    .await?;
                for accreditation in
                    accreditations.iter().filter(|a| a.valid_until.is_none_or(|until| until >= day))
                {
                    said.key = format!("earned:{account_id}:{}", accreditation.id);
                    said.verb = "earned";
                    said.result = Some(json!({
                        "completion": true,
                        "extensions": {
                            "https://lantern.health/xapi/cpd-credits": accreditation.credits as f64 / 100.0,
                            "https://lantern.health/xapi/cpd-category": accreditation.category,
                        },
                    }));
                    record(txn, base, &said, now).await?;
                }
                Ok(())
            }
            LearningEvent::QuizSubmitted {
                account_id, attempt_id, title, pass_mark, questions, at, ..
            } => {
                let right = questions.iter().filter(|(_, correct)| *correct).count();
                let total = questions.len().max(1);
                let percent = (right * 100 / total) as i32;
                let passed = percent >= *pass_mark;
                let said = Said {
                    key: format!("quiz-attempt:{attempt_id}"),
                    account_id: *account_id,
                    verb: if passed { "passed" } else { "failed" },
                    activity: format!("/quiz-attempts/{attempt_id}"),
                    activity_type: ASSESSMENT,
                    name: title,
                    result: Some(json!({
                        "success": passed,
                        "completion": true,
                        "score": { "raw": right, "min": 0, "max": questions.len(), "scaled": right as f64 / total as f64 },
                    })),
                    at: *at,
                };
                record(txn, base, &said, now).await
            }
        }
    }
}

impl LearningListener for Recorder {
    fn record<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        event: &'a LearningEvent,
    ) -> BoxFuture<'a, Result<(), DbErr>> {
        Box::pin(self.statements(txn, event))
    }
}

/// Where statements go.
#[derive(Clone)]
pub struct Store {
    /// The record store's xAPI base, e.g. `https://lrs.example.org/xapi` (statements are posted
    /// to `{endpoint}/statements`).
    pub endpoint: String,
    /// Basic authentication, unless empty.
    pub username: String,
    pub password: Option<SecretString>,
    pub timeout: std::time::Duration,
}

/// Drains the statement queue to the record store.
#[derive(Clone)]
pub struct Sender {
    pub db: sea_orm::DatabaseConnection,
    pub clock: SharedClock,
    pub store: Store,
    pub max_attempts: i32,
    pub poll: std::time::Duration,
    pub wake: Arc<Notify>,
    client: reqwest::Client,
}

/// How a batch fared.
enum Outcome {
    Sent,
    /// The store is down, busy, refused our credentials or the statements: try again later (an
    /// operator may mend the store's settings meanwhile), and give up after the attempts.
    Retry(String),
}

impl Sender {
    pub fn new(
        db: sea_orm::DatabaseConnection,
        clock: SharedClock,
        store: Store,
        poll: std::time::Duration,
        wake: Arc<Notify>,
    ) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder().timeout(store.timeout).build()?;
        Ok(Self { db, clock, store, max_attempts: 10, poll, wake, client })
    }

    /// Sends until `shutdown` turns true.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        queue::run(shutdown, &self.wake, self.poll, || async {
            if let Err(error) = self.drain().await {
                tracing::warn!(%error, "xapi: could not drain");
            }
        })
        .await;
    }

    /// Sends every due statement, a batch at a time; returns how many were attempted.
    pub async fn drain(&self) -> Result<usize, DbErr> {
        let mut attempted = 0;
        loop {
            let batch = self.claim().await?;
            if batch.is_empty() {
                return Ok(attempted);
            }
            attempted += batch.len();
            let outcome = self.post(&batch).await;
            let failing = !matches!(outcome, Outcome::Sent);
            self.settle(batch, outcome).await?;
            if failing {
                // The store is not taking statements now; the rest wait for their next attempt.
                return Ok(attempted);
            }
        }
    }

    async fn claim(&self) -> Result<Vec<entity::Model>, DbErr> {
        queue::claim::<Statements>(&self.db, self.clock.now(), &QUEUE, BATCH, |m| m.id).await
    }

    async fn post(&self, batch: &[entity::Model]) -> Outcome {
        let statements: Vec<Value> =
            batch.iter().filter_map(|m| serde_json::from_str(&m.body).ok()).collect();
        let url = format!("{}/statements", self.store.endpoint.trim_end_matches('/'));
        let mut request =
            self.client.post(&url).header("X-Experience-API-Version", "1.0.3").json(&statements);
        if !self.store.username.is_empty() {
            let password = self.store.password.as_ref().map(|p| p.expose_secret().to_owned());
            request = request.basic_auth(&self.store.username, password);
        }
        let response = request.send().await;
        match response {
            Err(error) => Outcome::Retry(format!("{url}: {error}")),
            Ok(response) => {
                let status = response.status();
                if status.is_success() {
                    Outcome::Sent
                } else {
                    let text = response.text().await.unwrap_or_default();
                    Outcome::Retry(format!("{url}: {status} {}", text.chars().take(300).collect::<String>()))
                }
            }
        }
    }

    async fn settle(&self, batch: Vec<entity::Model>, outcome: Outcome) -> Result<(), DbErr> {
        let now = self.clock.now();
        for statement in batch {
            let attempts = statement.attempts + 1;
            let mut row: entity::ActiveModel = statement.into();
            row.attempts = Set(attempts);
            row.locked_until = Set(None);
            match &outcome {
                Outcome::Sent => {
                    row.status = Set(SENT.into());
                    row.sent_at = Set(Some(now));
                    row.last_error = Set(None);
                    metrics::counter!("xapi_sent_total").increment(1);
                }
                Outcome::Retry(error) if attempts >= self.max_attempts => {
                    tracing::error!(attempts, %error, "xapi: statement failed for good");
                    row.status = Set(FAILED.into());
                    row.last_error = Set(Some(error.clone()));
                }
                Outcome::Retry(error) => {
                    tracing::warn!(attempts, %error, "xapi: will retry");
                    row.status = Set(PENDING.into());
                    row.next_attempt_at = Set(now + queue::backoff(attempts));
                    row.last_error = Set(Some(error.clone()));
                }
            }
            row.update(&self.db).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_id_is_a_version_8_uuid_fixed_by_its_event() {
        let id = statement_id("quiz-attempt:42");
        assert_eq!(id, statement_id("quiz-attempt:42"));
        assert_ne!(id, statement_id("quiz-attempt:43"));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "8", "version 8");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "RFC 9562 variant");
    }

    #[test]
    fn a_statement_names_the_account_not_the_person() {
        let said = Said {
            key: "completed:7:3".into(),
            account_id: 7,
            verb: "completed",
            activity: "/courses/hand-hygiene".into(),
            activity_type: COURSE,
            name: "Hand hygiene",
            result: Some(json!({ "completion": true })),
            at: DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default(),
        };
        let statement = statement("https://lantern.example.org", &said);
        assert_eq!(statement["actor"]["account"]["name"], "7");
        assert_eq!(statement["actor"]["account"]["homePage"], "https://lantern.example.org");
        assert_eq!(statement["verb"]["id"], "http://adlnet.gov/expapi/verbs/completed");
        assert_eq!(statement["object"]["id"], "https://lantern.example.org/courses/hand-hygiene");
        assert_eq!(statement["result"]["completion"], true);
        assert_eq!(statement["id"], statement_id("completed:7:3"));
    }
}
