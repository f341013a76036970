//! The credits feature's use cases over the database: accreditations, the ledger (appended in
//! the transaction of what earned the credits, verified end to end), outside activities and their
//! review. No actix types.

use super::entity::{accreditation, credit_consent, credit_entry, outside_activity};
use super::ledger::{self, Break, Fields, GENESIS, Stored};
use crate::accounts::entity::organisation;
use crate::accounts::model::{Actor, Capability, authorize};
use crate::courses::entity::{course, course_version};
use crate::courses::events::{LearningEvent, LearningListener};
use crate::platform::clock::SharedClock;
use crate::platform::db::Db;
use crate::platform::media;
use crate::platform::secrets::Sealer;
use crate::platform::storage::Storage;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::future::BoxFuture;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// Categories of CPD credits an accreditation or an activity may carry.
pub const CATEGORIES: [&str; 5] = ["clinical", "ethics", "leadership", "wellbeing", "research"];
/// Kinds of outside activity a learner may report.
pub const ACTIVITY_KINDS: [&str; 6] =
    ["conference", "workshop", "journal_club", "mentoring", "supervised_practice", "self_directed"];
/// Most credits one accreditation or activity may carry, in hundredths.
pub const MAX_CREDITS: i64 = 100 * 100;

/// Statuses of an outside activity.
pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const REJECTED: &str = "rejected";

#[derive(Debug, thiserror::Error)]
pub enum CreditsError {
    #[error("not found")]
    NotFound,
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("media store: {0}")]
    Storage(#[from] opendal::Error),
}

type Result<T, E = CreditsError> = std::result::Result<T, E>;

fn invalid(field: &'static str, message: impl Into<String>) -> CreditsError {
    CreditsError::Invalid { field, message: message.into() }
}

/// "2.5" → 250 hundredths; at most two decimals, more than zero, at most [`MAX_CREDITS`].
pub fn parse_credits(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once(['.', ',']).unwrap_or((text, ""));
    if whole.is_empty()
        || fraction.len() > 2
        || !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<2}").parse().ok()? };
    let value = whole.checked_mul(100)?.checked_add(fraction)?;
    (1..=MAX_CREDITS).contains(&value).then_some(value)
}

/// 250 → "2.5", 300 → "3", -50 → "-0.5".
pub fn format_credits(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    match abs % 100 {
        0 => format!("{sign}{}", abs / 100),
        f if f % 10 == 0 => format!("{sign}{}.{}", abs / 100, f / 10),
        f => format!("{sign}{}.{f:02}", abs / 100),
    }
}

/// A new ledger entry.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub kind: String,
    pub amount: i64,
    pub category: String,
    pub accreditor_id: Option<i32>,
    pub title: String,
    pub earned_on: NaiveDate,
    pub source_key: String,
    pub corrects_id: Option<i32>,
}

/// Appends an entry to a learner's chain in `conn` (the transaction of what earned it). The
/// same source twice appends nothing. Two appends for one learner at once cannot both land:
/// (account, seq) is unique, so the later transaction fails whole.
pub async fn append(
    conn: &impl ConnectionTrait,
    account_id: i32,
    entry: NewEntry,
    now: DateTime<Utc>,
) -> Result<Option<credit_entry::Model>, DbErr> {
    let seen = credit_entry::Entity::find()
        .filter(credit_entry::Column::AccountId.eq(account_id))
        .filter(credit_entry::Column::SourceKey.eq(&entry.source_key))
        .count(conn)
        .await?;
    if seen > 0 {
        return Ok(None);
    }
    let last = credit_entry::Entity::find()
        .filter(credit_entry::Column::AccountId.eq(account_id))
        .order_by_desc(credit_entry::Column::Seq)
        .limit(1)
        .one(conn)
        .await?;
    let (seq, prev_hash) = last.map_or((1, GENESIS.to_owned()), |l| (l.seq + 1, l.hash));
    let hash = ledger::hash(
        &prev_hash,
        &Fields {
            account_id,
            seq,
            kind: &entry.kind,
            amount: entry.amount,
            category: &entry.category,
            accreditor_id: entry.accreditor_id,
            title: &entry.title,
            earned_on: entry.earned_on,
            source_key: &entry.source_key,
            corrects_id: entry.corrects_id,
        },
    );
    let row = credit_entry::ActiveModel {
        account_id: Set(account_id),
        seq: Set(seq),
        kind: Set(entry.kind),
        amount: Set(entry.amount),
        category: Set(entry.category),
        accreditor_id: Set(entry.accreditor_id),
        title: Set(entry.title),
        earned_on: Set(entry.earned_on),
        source_key: Set(entry.source_key),
        corrects_id: Set(entry.corrects_id),
        prev_hash: Set(prev_hash),
        hash: Set(hash),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(Some(row))
}

/// An accreditation with its course's names, as pages list them.
#[derive(Clone, Debug)]
pub struct AccreditationView {
    pub accreditation: accreditation::Model,
    pub course_slug: String,
    pub course_title: String,
    pub version: i32,
}

/// What an association accredits.
#[derive(Clone, Debug, Default)]
pub struct AccreditationInput {
    pub course_slug: String,
    pub version: i32,
    pub credits: Option<i64>,
    pub category: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub certificate_months: Option<i32>,
}

/// What a learner reports.
#[derive(Clone, Debug, Default)]
pub struct ActivityInput {
    /// Evidence: a certificate of attendance, a signed log (PDF, JPEG, PNG or WebP).
    pub file: Option<crate::platform::media::UploadedFile>,
    pub organisation_id: i32,
    pub kind: String,
    pub title: String,
    pub held_on: Option<NaiveDate>,
    pub credits: Option<i64>,
    pub category: String,
    pub description: String,
}

/// The credits service.
#[derive(Clone)]
pub struct Credits {
    db: Db,
    clock: SharedClock,
    storage: Storage,
    sealer: Sealer,
    base_url: std::sync::Arc<str>,
}

impl Credits {
    /// `base_url` is where Lantern is reached: issuer ids, key ids and certificate URLs start
    /// with it, so it must not change once certificates are issued.
    /// Media go to `storage`; signing keys are kept in the database sealed by `sealer`.
    pub fn new(db: Db, clock: SharedClock, (storage, sealer): (Storage, Sealer), base_url: &str) -> Self {
        Self { db, clock, storage, sealer, base_url: base_url.trim_end_matches('/').into() }
    }

    pub(super) fn sealer(&self) -> &Sealer {
        &self.sealer
    }

    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    pub(super) fn clock(&self) -> &SharedClock {
        &self.clock
    }

    pub(super) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The clock's present.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Where Lantern is reached, as certificates name it.
    pub fn public_base(&self) -> &str {
        &self.base_url
    }

    // ----- Accreditation ------------------------------------------------------------------------

    /// An association accredits a published version of one of its own courses.
    pub async fn accredit(&self, organisation_id: i32, actor: i32, input: AccreditationInput) -> Result<i32> {
        let db = self.db.write();
        let course = course::Entity::find()
            .filter(course::Column::Slug.eq(&input.course_slug))
            .filter(course::Column::OrganisationId.eq(organisation_id))
            .one(db)
            .await?
            .ok_or_else(|| invalid("course", "choose one of your association's courses"))?;
        let version = course_version::Entity::find()
            .filter(course_version::Column::CourseId.eq(course.id))
            .filter(course_version::Column::Number.eq(input.version))
            .one(db)
            .await?
            .filter(|v| v.published_at.is_some())
            .ok_or_else(|| invalid("version", "choose a published version"))?;
        let credits = input
            .credits
            .ok_or_else(|| invalid("credits", "give the credits, such as 2 or 2.5 (at most 100)"))?;
        if !CATEGORIES.contains(&input.category.as_str()) {
            return Err(invalid("category", "choose a category"));
        }
        let valid_from =
            input.valid_from.ok_or_else(|| invalid("valid_from", "give the date as YYYY-MM-DD"))?;
        if input.valid_until.is_some_and(|until| until < valid_from) {
            return Err(invalid("valid_until", "the end comes after the start"));
        }
        if input.certificate_months.is_some_and(|m| !(1..=120).contains(&m)) {
            return Err(invalid("certificate_months", "from 1 to 120 months, or empty"));
        }
        let taken = accreditation::Entity::find()
            .filter(accreditation::Column::VersionId.eq(version.id))
            .filter(accreditation::Column::OrganisationId.eq(organisation_id))
            .count(db)
            .await?;
        if taken > 0 {
            return Err(invalid("version", "this version is already accredited"));
        }
        let row = accreditation::ActiveModel {
            organisation_id: Set(organisation_id),
            version_id: Set(version.id),
            credits: Set(credits),
            category: Set(input.category),
            valid_from: Set(valid_from),
            valid_until: Set(input.valid_until),
            certificate_months: Set(input.certificate_months),
            created_by: Set(Some(actor)),
            created_at: Set(self.clock.now()),
            withdrawn_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(row.id)
    }

    /// An association's accreditations, newest first.
    pub async fn accreditations(&self, organisation_id: i32) -> Result<Vec<AccreditationView>> {
        let db = self.db.read();
        let rows = accreditation::Entity::find()
            .filter(accreditation::Column::OrganisationId.eq(organisation_id))
            .order_by_desc(accreditation::Column::Id)
            .all(db)
            .await?;
        let versions: std::collections::HashMap<i32, course_version::Model> = course_version::Entity::find()
            .filter(course_version::Column::Id.is_in(rows.iter().map(|r| r.version_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
        let courses: std::collections::HashMap<i32, course::Model> = course::Entity::find()
            .filter(course::Column::Id.is_in(versions.values().map(|v| v.course_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|a| {
                let version = versions.get(&a.version_id)?;
                let course = courses.get(&version.course_id)?;
                Some(AccreditationView {
                    course_slug: course.slug.clone(),
                    course_title: version.title.clone(),
                    version: version.number,
                    accreditation: a,
                })
            })
            .collect())
    }

    /// Credits for a completed course: every accreditation of the version that is valid on the
    /// day of completion, in the learner's transaction.
    async fn record_completion(&self, txn: &DatabaseTransaction, event: &LearningEvent) -> Result<(), DbErr> {
        let LearningEvent::CourseCompleted {
            account_id,
            course_version_id,
            course_title,
            competencies,
            at,
            ..
        } = event
        else {
            return Ok(());
        };
        let version =
            course_version::Entity::find_by_id(*course_version_id).one(txn).await?.map_or(0, |v| v.number);
        let day = at.date_naive();
        let accreditations = accreditation::Entity::find()
            .filter(accreditation::Column::VersionId.eq(*course_version_id))
            .filter(accreditation::Column::WithdrawnAt.is_null())
            .filter(accreditation::Column::ValidFrom.lte(day))
            .all(txn)
            .await?;
        for a in accreditations.into_iter().filter(|a| a.valid_until.is_none_or(|until| day <= until)) {
            let entry = NewEntry {
                kind: "course".into(),
                amount: a.credits,
                category: a.category.clone(),
                accreditor_id: Some(a.organisation_id),
                title: course_title.clone(),
                earned_on: day,
                source_key: format!("accreditation:{}", a.id),
                corrects_id: None,
            };
            let entry = append(txn, *account_id, entry, self.clock.now()).await?;
            let course = (course_title.as_str(), version, competencies.as_slice());
            self.issue_certificate(txn, *account_id, &a, entry.map(|e| e.id), course, *at).await?;
        }
        Ok(())
    }

    /// An association's courses with a published version: (slug, title), for the form.
    pub async fn courses_of(&self, organisation_id: i32) -> Result<Vec<(String, String)>> {
        let db = self.db.read();
        let courses = course::Entity::find()
            .filter(course::Column::OrganisationId.eq(organisation_id))
            .filter(course::Column::PublishedVersionId.is_not_null())
            .order_by_asc(course::Column::Slug)
            .all(db)
            .await?;
        let titles: std::collections::HashMap<i32, String> = course_version::Entity::find()
            .filter(course_version::Column::Id.is_in(courses.iter().filter_map(|c| c.published_version_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|v| (v.id, v.title))
            .collect();
        Ok(courses
            .into_iter()
            .map(|c| {
                let title = c.published_version_id.and_then(|v| titles.get(&v).cloned()).unwrap_or_default();
                (c.slug, title)
            })
            .collect())
    }

    /// Every association, by name: who may review an outside activity.
    pub async fn associations(&self) -> Result<Vec<organisation::Model>> {
        Ok(organisation::Entity::find()
            .filter(organisation::Column::Kind.eq("association"))
            .order_by_asc(organisation::Column::Name)
            .all(self.db.read())
            .await?)
    }

    // ----- The ledger ---------------------------------------------------------------------------

    /// A learner's entries, oldest first.
    pub async fn entries(&self, account_id: i32) -> Result<Vec<credit_entry::Model>> {
        Ok(credit_entry::Entity::find()
            .filter(credit_entry::Column::AccountId.eq(account_id))
            .order_by_asc(credit_entry::Column::Seq)
            .all(self.db.read())
            .await?)
    }

    /// Checks every chain, in pages so memory stays flat: the heads (account, seq, hash) of all
    /// chains, or the first entry that does not fit.
    pub async fn verify_ledger(&self) -> Result<Result<Vec<(i32, i32, String)>, Break>> {
        const PAGE: u64 = 5_000;
        let db = self.db.read();
        let mut heads: Vec<(i32, i32, String)> = Vec::new();
        let mut after: (i32, i32) = (i32::MIN, 0);
        loop {
            let page = credit_entry::Entity::find()
                .filter(
                    sea_orm::Condition::any().add(credit_entry::Column::AccountId.gt(after.0)).add(
                        sea_orm::Condition::all()
                            .add(credit_entry::Column::AccountId.eq(after.0))
                            .add(credit_entry::Column::Seq.gt(after.1)),
                    ),
                )
                .order_by_asc(credit_entry::Column::AccountId)
                .order_by_asc(credit_entry::Column::Seq)
                .limit(PAGE)
                .all(db)
                .await?;
            let Some(last) = page.last() else { break };
            after = (last.account_id, last.seq);
            // A chain that goes on from the previous page continues from its head.
            let continues = matches!((heads.last(), page.first()), (Some(h), Some(e)) if h.0 == e.account_id);
            let prefix: Vec<(i32, i32, String)> =
                if continues { heads.pop().into_iter().collect() } else { Vec::new() };
            let stored = page.iter().map(|e| Stored {
                id: e.id,
                fields: Fields {
                    account_id: e.account_id,
                    seq: e.seq,
                    kind: &e.kind,
                    amount: e.amount,
                    category: &e.category,
                    accreditor_id: e.accreditor_id,
                    title: &e.title,
                    earned_on: e.earned_on,
                    source_key: &e.source_key,
                    corrects_id: e.corrects_id,
                },
                prev_hash: &e.prev_hash,
                hash: &e.hash,
            });
            match ledger::verify_from(prefix, stored) {
                Ok(page_heads) => heads.extend(page_heads),
                Err(broken) => return Ok(Err(broken)),
            }
            if (page.len() as u64) < PAGE {
                break;
            }
        }
        Ok(Ok(heads))
    }

    // ----- Outside activities -------------------------------------------------------------------

    /// A learner reports an activity to an association for review.
    pub async fn report_activity(&self, account_id: i32, input: ActivityInput) -> Result<i32> {
        let organisation = organisation::Entity::find_by_id(input.organisation_id)
            .one(self.db.read())
            .await?
            .filter(|o| o.kind == "association")
            .ok_or_else(|| invalid("organisation", "choose the association that reviews it"))?;
        if !ACTIVITY_KINDS.contains(&input.kind.as_str()) {
            return Err(invalid("kind", "choose what kind of activity it was"));
        }
        let title = input.title.trim();
        if title.chars().count() < 3 {
            return Err(invalid("title", "name the activity"));
        }
        let held_on = input.held_on.ok_or_else(|| invalid("held_on", "give the date as YYYY-MM-DD"))?;
        if held_on > self.clock.now().date_naive() {
            return Err(invalid("held_on", "the date cannot be in the future"));
        }
        let credits = input
            .credits
            .ok_or_else(|| invalid("credits", "give the credits, such as 2 or 2.5 (at most 100)"))?;
        if !CATEGORIES.contains(&input.category.as_str()) {
            return Err(invalid("category", "choose a category"));
        }
        // The file is checked, then stored, then recorded with the activity: all or nothing for
        // the database (a stored file left unreferenced is harmless, named by its content).
        let stored = match &input.file {
            Some(file) => {
                let kind = media::check_document(file, media::EVIDENCE_FILE_LIMIT)
                    .map_err(|message| invalid("file", message))?;
                Some((self.storage.put(&file.bytes).await?, kind, file.size))
            }
            None => None,
        };
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let file_media_id = match stored {
            Some((sha256, kind, size)) => Some(media::record(&txn, &sha256, kind, size, now).await?.id),
            None => None,
        };
        let row = outside_activity::ActiveModel {
            account_id: Set(account_id),
            organisation_id: Set(organisation.id),
            kind: Set(input.kind),
            title: Set(title.chars().take(200).collect()),
            held_on: Set(held_on),
            credits: Set(credits),
            category: Set(input.category),
            description: Set(input.description.chars().take(4_000).collect()),
            file_media_id: Set(file_media_id),
            status: Set(PENDING.into()),
            reviewer_id: Set(None),
            reason: Set(String::new()),
            decided_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(row.id)
    }

    /// An activity's evidence file (type and bytes) for whoever may see it: the learner, a
    /// reviewer of the association it was reported to, or an officer of a regulator the learner
    /// shares their credits with.
    pub async fn activity_file(&self, actor: &Actor, id: i32) -> Result<(String, Vec<u8>)> {
        let db = self.db.read();
        let activity =
            outside_activity::Entity::find_by_id(id).one(db).await?.ok_or(CreditsError::NotFound)?;
        let mut allowed = activity.account_id == actor.account_id
            || authorize(actor, Capability::ReviewFor { organisation_id: activity.organisation_id });
        if !allowed {
            let regulators = credit_consent::Entity::find()
                .filter(credit_consent::Column::AccountId.eq(activity.account_id))
                .all(db)
                .await?;
            allowed = regulators
                .iter()
                .any(|c| authorize(actor, Capability::OfficerOf { organisation_id: c.regulator_id }));
        }
        let media_id = activity.file_media_id.filter(|_| allowed).ok_or(CreditsError::NotFound)?;
        let media =
            media::media_object::Entity::find_by_id(media_id).one(db).await?.ok_or(CreditsError::NotFound)?;
        Ok((media.content_type, self.storage.get(&media.sha256).await?))
    }

    /// A learner's reported activities, newest first.
    pub async fn activities_of(&self, account_id: i32) -> Result<Vec<outside_activity::Model>> {
        Ok(outside_activity::Entity::find()
            .filter(outside_activity::Column::AccountId.eq(account_id))
            .order_by_desc(outside_activity::Column::Id)
            .all(self.db.read())
            .await?)
    }

    /// Activities waiting for an association's review, oldest first, with the learner's name.
    pub async fn pending_activities(
        &self,
        organisation_id: i32,
    ) -> Result<Vec<(outside_activity::Model, String)>> {
        let db = self.db.read();
        let rows = outside_activity::Entity::find()
            .filter(outside_activity::Column::OrganisationId.eq(organisation_id))
            .filter(outside_activity::Column::Status.eq(PENDING))
            .order_by_asc(outside_activity::Column::Id)
            .all(db)
            .await?;
        Ok(crate::accounts::service::with_names(db, rows, |r| r.account_id).await?)
    }

    /// A reviewer approves (credits enter the ledger in the same transaction) or rejects with a
    /// reason. A decided activity stays decided.
    pub async fn review_activity(
        &self,
        organisation_id: i32,
        reviewer: i32,
        id: i32,
        approve: bool,
        reason: &str,
    ) -> Result<()> {
        let reason = reason.trim();
        if !approve && reason.is_empty() {
            return Err(invalid("reason", "say why, so the learner can put it right"));
        }
        let txn = self.db.begin().await?;
        let activity = outside_activity::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .filter(|a| a.organisation_id == organisation_id)
            .ok_or(CreditsError::NotFound)?;
        if activity.status != PENDING {
            return Err(CreditsError::Conflict("this activity has been reviewed".into()));
        }
        if activity.account_id == reviewer {
            return Err(CreditsError::Conflict("someone else reviews your own activities".into()));
        }
        let now = self.clock.now();
        if approve {
            let entry = NewEntry {
                kind: activity.kind.clone(),
                amount: activity.credits,
                category: activity.category.clone(),
                accreditor_id: Some(organisation_id),
                title: activity.title.clone(),
                earned_on: activity.held_on,
                source_key: format!("activity:{}", activity.id),
                corrects_id: None,
            };
            append(&txn, activity.account_id, entry, now).await?;
        }
        let mut update: outside_activity::ActiveModel = activity.into();
        update.status = Set(if approve { APPROVED } else { REJECTED }.into());
        update.reviewer_id = Set(Some(reviewer));
        update.reason = Set(reason.chars().take(1_000).collect());
        update.decided_at = Set(Some(now));
        update.update(&txn).await?;
        txn.commit().await?;
        Ok(())
    }
}

impl LearningListener for Credits {
    fn record<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        event: &'a LearningEvent,
    ) -> BoxFuture<'a, Result<(), DbErr>> {
        Box::pin(self.record_completion(txn, event))
    }
}

#[cfg(test)]
mod tests {
    use super::{format_credits, parse_credits};

    #[test]
    fn credits_are_read_and_written_in_hundredths() {
        for (text, value) in [
            ("2", Some(200)),
            ("2.5", Some(250)),
            ("2,25", Some(225)),
            ("0.5", Some(50)),
            ("100", Some(10_000)),
        ] {
            assert_eq!(parse_credits(text), value, "{text}");
        }
        for bad in ["", "0", "-1", "2.555", "abc", "1e3", "101", ".5"] {
            assert_eq!(parse_credits(bad), None, "{bad}");
        }
        assert_eq!(
            (format_credits(250), format_credits(300), format_credits(225), format_credits(-50)),
            ("2.5".into(), "3".into(), "2.25".into(), "-0.5".into())
        );
    }
}
