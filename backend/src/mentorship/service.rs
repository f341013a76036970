//! The mentorship feature's use cases over the database: mentor profiles, programmes, requests,
//! matching rounds (exact, by the [`solver`](super::solver)) and the life of a pair, from proposal
//! to close. No actix types.

use super::entity::{
    matching_round, mentee_request, mentor_offer, mentor_profile, mentoring_concern, mentoring_programme,
    mentoring_session, mentorship,
};
use super::matching::{self, Mentee, Mentor, Reason};
use super::solver::{self, Edge, Problem};
use crate::accounts::entity::{account, membership};
use crate::accounts::service::names_by_id;
use crate::competencies::Competencies;
use crate::competencies::service::FrameworkView;
use crate::config::MentoringConfig;
use crate::platform::clock::SharedClock;
use crate::platform::db::{Db, statement};
use crate::platform::mail;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

/// Statuses of a mentorship.
pub const PROPOSED: &str = "proposed";
pub const OFFERED: &str = "offered";
pub const ACTIVE: &str = "active";
pub const DECLINED: &str = "declined";
pub const WITHDRAWN: &str = "withdrawn";
pub const CLOSED: &str = "closed";
/// A pair that holds a place of the mentor's capacity and a mentee's request.
const LIVE: [&str; 3] = [PROPOSED, OFFERED, ACTIVE];

/// Statuses of a request.
pub const OPEN: &str = "open";
pub const MATCHED: &str = "matched";

/// Most mentees a mentor may take.
pub const MAX_CAPACITY: u32 = 20;
/// Most competencies one request may ask for.
pub const MAX_WANTED: usize = 10;
/// A pair that has not logged a session for this long is reminded, at most this often.
pub const REMIND_AFTER_DAYS: i64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum MentorshipError {
    #[error("not found")]
    NotFound,
    /// Input that breaks a rule, said beside its field.
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    /// The pair or round is not in a state that allows this.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Competencies(#[from] crate::competencies::service::CompetenciesError),
    #[error(transparent)]
    Solver(#[from] solver::SolverError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

type Result<T, E = MentorshipError> = std::result::Result<T, E>;

fn invalid(field: &'static str, message: impl Into<String>) -> MentorshipError {
    MentorshipError::Invalid { field, message: message.into() }
}

pub(super) fn list(csv: &str) -> Vec<String> {
    csv.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// "IPC.1:3,MAT.2:2" → [("IPC.1", 3), ("MAT.2", 2)]
pub fn parse_wanted(text: &str) -> Vec<(String, u32)> {
    list(text)
        .iter()
        .filter_map(|item| {
            let (code, level) = item.split_once(':')?;
            Some((code.to_owned(), level.parse().ok()?))
        })
        .collect()
}

/// Language codes as people type them: "en", "sw", "fra".
fn check_languages(languages: &[String]) -> Result<()> {
    match languages.iter().find(|l| !(2..=3).contains(&l.len()) || !l.chars().all(|c| c.is_ascii_lowercase()))
    {
        Some(bad) => {
            Err(invalid("languages", format!("{bad} is not a language code; use codes such as en, sw, fr")))
        }
        None => Ok(()),
    }
}

fn wanted_text(wanted: &[(String, u32)]) -> String {
    wanted.iter().map(|(code, level)| format!("{code}:{level}")).collect::<Vec<_>>().join(",")
}

/// What a mentor says about themselves.
#[derive(Clone, Debug, Default)]
pub struct MentorInput {
    pub active: bool,
    pub professions: Vec<String>,
    pub languages: Vec<String>,
    pub utc_offset_minutes: i32,
    pub capacity: u32,
    pub remote: bool,
    pub in_person: bool,
    pub availability: String,
    pub about: String,
    /// (code, level) in the default framework.
    pub offers: Vec<(String, u32)>,
}

/// A mentor's profile as their page shows it.
#[derive(Clone, Debug)]
pub struct MentorView {
    pub profile: mentor_profile::Model,
    pub offers: Vec<mentor_offer::Model>,
    /// Mentees now taken (offered or active).
    pub taken: u64,
}

/// What a mentee asks for.
#[derive(Clone, Debug, Default)]
pub struct RequestInput {
    pub programme_id: i32,
    pub goals: String,
    pub wanted: Vec<(String, u32)>,
    pub languages: Vec<String>,
    pub same_profession: bool,
    pub same_country: bool,
    pub remote_ok: bool,
    pub utc_offset_minutes: i32,
}

/// A pair with the names the pages need.
#[derive(Clone, Debug)]
pub struct PairView {
    pub pair: mentorship::Model,
    pub mentor: account::Model,
    pub mentee: account::Model,
    pub programme: mentoring_programme::Model,
    pub reasons: Vec<Reason>,
    pub wanted: Vec<(String, u32)>,
    pub goals: String,
    pub sessions: Vec<mentoring_session::Model>,
    pub minutes: i64,
}

impl PairView {
    /// Contact details are shown once both have accepted.
    pub fn contacts_shown(&self) -> bool {
        self.pair.mentor_accepted_at.is_some() && self.pair.mentee_accepted_at.is_some()
    }
}

/// A programme as its association's admins see it.
#[derive(Clone, Debug)]
pub struct ProgrammeView {
    pub programme: mentoring_programme::Model,
    pub open_requests: u64,
    /// Opted-in mentors of the association (id, name), by name.
    pub mentors: Vec<(i32, String)>,
    pub rounds: Vec<matching_round::Model>,
    /// Pairs of every status, newest first, with mentee and mentor names.
    pub pairs: Vec<(mentorship::Model, String, String, Vec<Reason>)>,
    /// Concerns raised, with the pair's names; never the pair's private notes.
    pub concerns: Vec<(mentoring_concern::Model, String, String)>,
}

/// An association's eligible mentors and mentees for a programme, ready for scoring.
struct Pool {
    mentees: Vec<Mentee>,
    mentors: Vec<Mentor>,
}

/// An opted-in mentor as search indexes them.
#[derive(Clone, Debug)]
pub struct MentorCard {
    pub account_id: i32,
    pub name: String,
    pub professions: Vec<String>,
    pub languages: Vec<String>,
    pub about: String,
    pub framework: String,
    /// Competency codes offered, and each as "CODE Title".
    pub codes: Vec<String>,
    pub offers: Vec<String>,
}

/// The mentorship service.
#[derive(Clone)]
pub struct Mentoring {
    db: Db,
    clock: SharedClock,
    weights: Arc<MentoringConfig>,
    competencies: Competencies,
    base_url: Arc<str>,
}

impl Mentoring {
    pub fn new(
        db: Db,
        clock: SharedClock,
        weights: MentoringConfig,
        competencies: Competencies,
        base_url: &str,
    ) -> Self {
        Self { db, clock, weights: Arc::new(weights), competencies, base_url: base_url.into() }
    }

    /// Today, by the service's clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.now().date_naive()
    }

    /// The programme's opted-in mentors (id, name), for an admin adjusting a proposal.
    pub async fn mentors_of(&self, programme: &mentoring_programme::Model) -> Result<Vec<(i32, String)>> {
        let db = self.db.read();
        // No request has id 0: the pool of mentors alone.
        let pool = self.pool(db, programme, Some(0)).await?;
        let names = names_by_id(db, pool.mentors.iter().map(|m| m.account_id)).await?;
        let mut out: Vec<(i32, String)> = pool
            .mentors
            .iter()
            .map(|m| (m.account_id, names.get(&m.account_id).cloned().unwrap_or_default()))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(out)
    }

    async fn framework(&self) -> Result<FrameworkView> {
        let slug = self.competencies.default_framework().await?;
        Ok(self.competencies.framework(&slug, false).await?)
    }

    // ----- Mentor profiles ----------------------------------------------------------------------

    /// Mentors who opted in (active, with offers, account enabled), as search shows them: all, or
    /// one account's (an empty list when that one is not, or no longer, searchable).
    pub async fn mentors_for_search(&self, only: Option<i32>) -> Result<Vec<MentorCard>> {
        let db = self.db.read();
        let mut query = mentor_profile::Entity::find().filter(mentor_profile::Column::Active.eq(true));
        if let Some(id) = only {
            query = query.filter(mentor_profile::Column::AccountId.eq(id));
        }
        let profiles = query.all(db).await?;
        if profiles.is_empty() {
            return Ok(Vec::new());
        }
        let view = self.framework().await?;
        let ids: Vec<i32> = profiles.iter().map(|p| p.account_id).collect();
        let accounts: HashMap<i32, account::Model> = account::Entity::find()
            .filter(account::Column::Id.is_in(ids.clone()))
            .filter(account::Column::DisabledAt.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let mut offers: HashMap<i32, Vec<String>> = HashMap::new();
        for offer in
            mentor_offer::Entity::find().filter(mentor_offer::Column::AccountId.is_in(ids)).all(db).await?
        {
            offers.entry(offer.account_id).or_default().push(offer.code);
        }
        Ok(profiles
            .into_iter()
            .filter_map(|p| {
                let account = accounts.get(&p.account_id)?;
                let codes = offers.remove(&p.account_id).filter(|c| !c.is_empty())?;
                let titles =
                    codes.iter().filter_map(|c| view.title_of(c).map(|t| format!("{c} {t}"))).collect();
                Some(MentorCard {
                    account_id: p.account_id,
                    name: account.name.clone(),
                    professions: list(&p.professions),
                    languages: list(&p.languages),
                    about: p.about,
                    framework: view.spec.slug.clone(),
                    codes,
                    offers: titles,
                })
            })
            .collect())
    }

    pub async fn mentor(&self, account_id: i32) -> Result<Option<MentorView>> {
        let db = self.db.read();
        let Some(profile) = mentor_profile::Entity::find()
            .filter(mentor_profile::Column::AccountId.eq(account_id))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let offers = mentor_offer::Entity::find()
            .filter(mentor_offer::Column::AccountId.eq(account_id))
            .order_by_asc(mentor_offer::Column::Code)
            .all(db)
            .await?;
        let taken = mentorship::Entity::find()
            .filter(mentorship::Column::MentorId.eq(account_id))
            .filter(mentorship::Column::Status.is_in([OFFERED, ACTIVE]))
            .count(db)
            .await?;
        Ok(Some(MentorView { profile, offers, taken }))
    }

    /// Saves a mentor's profile and offers. Opting out withdraws the pairs not yet active and
    /// re-places their mentees (active pairs go on until one of the pair ends them).
    pub async fn save_mentor(&self, account_id: i32, input: MentorInput) -> Result<()> {
        let view = self.framework().await?;
        if !(1..=MAX_CAPACITY).contains(&input.capacity) {
            return Err(invalid("capacity", format!("choose from 1 to {MAX_CAPACITY} mentees")));
        }
        if input.languages.is_empty() {
            return Err(invalid("languages", "name at least one language you mentor in"));
        }
        check_languages(&input.languages)?;
        if !(-12 * 60..=14 * 60).contains(&input.utc_offset_minutes) {
            return Err(invalid("utc_offset_minutes", "choose your time zone"));
        }
        if !input.remote && !input.in_person {
            return Err(invalid("remote", "mentor remotely, in person or both"));
        }
        for (code, level) in &input.offers {
            if view.title_of(code).is_none() {
                return Err(invalid("offers", format!("{code} is not a competency of {}", view.spec.title)));
            }
            if !(1..=view.spec.top_level()).contains(level) {
                return Err(invalid(
                    "offers",
                    format!("{code}: choose a level from 1 to {}", view.spec.top_level()),
                ));
            }
        }
        if input.active && input.offers.is_empty() {
            return Err(invalid("offers", "offer at least one competency to be matched"));
        }
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let existing = mentor_profile::Entity::find()
            .filter(mentor_profile::Column::AccountId.eq(account_id))
            .one(&txn)
            .await?;
        let was_active = existing.as_ref().is_some_and(|p| p.active);
        let mut row = match existing {
            Some(found) => found.into(),
            None => mentor_profile::ActiveModel {
                account_id: Set(account_id),
                created_at: Set(now),
                ..Default::default()
            },
        };
        row.active = Set(input.active);
        row.professions = Set(input.professions.join(","));
        row.languages = Set(input.languages.join(","));
        row.utc_offset_minutes = Set(input.utc_offset_minutes);
        row.capacity = Set(i32::try_from(input.capacity).unwrap_or(1));
        row.remote = Set(input.remote);
        row.in_person = Set(input.in_person);
        row.availability = Set(input.availability.chars().take(200).collect());
        row.about = Set(input.about.chars().take(2_000).collect());
        row.updated_at = Set(now);
        row.save(&txn).await?;
        mentor_offer::Entity::delete_many()
            .filter(mentor_offer::Column::AccountId.eq(account_id))
            .exec(&txn)
            .await?;
        for (code, level) in &input.offers {
            mentor_offer::ActiveModel {
                account_id: Set(account_id),
                framework_id: Set(view.id),
                code: Set(code.clone()),
                level: Set(i32::try_from(*level).unwrap_or(1)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let affected =
            if was_active && !input.active { self.release_mentor(&txn, account_id).await? } else { vec![] };
        // The mentor's search document follows the profile (in, out, or changed).
        crate::platform::changes::record(&txn, format!("mentor:{account_id}"), now).await?;
        txn.commit().await?;
        for (programme_id, request_id) in affected {
            self.replace(programme_id, request_id).await?;
        }
        Ok(())
    }

    /// A mentor who leaves: pairs not yet active are withdrawn. Returns the requests to re-place.
    async fn release_mentor(&self, txn: &DatabaseTransaction, mentor_id: i32) -> Result<Vec<(i32, i32)>> {
        let pending = mentorship::Entity::find()
            .filter(mentorship::Column::MentorId.eq(mentor_id))
            .filter(mentorship::Column::Status.is_in([PROPOSED, OFFERED]))
            .all(txn)
            .await?;
        let now = self.clock.now();
        let mut affected = Vec::new();
        for pair in pending {
            affected.push((pair.programme_id, pair.request_id));
            let mut update: mentorship::ActiveModel = pair.into();
            update.status = Set(WITHDRAWN.into());
            update.end_reason = Set("The mentor stopped mentoring.".into());
            update.updated_at = Set(now);
            update.update(txn).await?;
        }
        Ok(affected)
    }

    // ----- Programmes ---------------------------------------------------------------------------

    pub async fn create_programme(
        &self,
        organisation_id: i32,
        actor: i32,
        title: &str,
        description: &str,
        deadline: Option<NaiveDate>,
        instant: bool,
    ) -> Result<String> {
        let title = title.trim();
        if title.chars().count() < 3 || title.chars().count() > 120 {
            return Err(invalid("title", "give the programme a title of 3 to 120 characters"));
        }
        if deadline.is_some_and(|d| d < self.clock.now().date_naive()) {
            return Err(invalid("deadline", "the deadline has passed"));
        }
        let slug = crate::courses::editing::slugify(title);
        let db = self.db.write();
        let taken = mentoring_programme::Entity::find()
            .filter(mentoring_programme::Column::OrganisationId.eq(organisation_id))
            .filter(mentoring_programme::Column::Slug.eq(&slug))
            .one(db)
            .await?;
        if taken.is_some() {
            return Err(invalid("title", "a programme with this title exists"));
        }
        mentoring_programme::ActiveModel {
            organisation_id: Set(organisation_id),
            slug: Set(slug.clone()),
            title: Set(title.to_owned()),
            description: Set(description.chars().take(2_000).collect()),
            deadline: Set(deadline),
            instant: Set(instant),
            created_by: Set(Some(actor)),
            created_at: Set(self.clock.now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(slug)
    }

    pub async fn programmes(&self, organisation_id: i32) -> Result<Vec<mentoring_programme::Model>> {
        Ok(mentoring_programme::Entity::find()
            .filter(mentoring_programme::Column::OrganisationId.eq(organisation_id))
            .order_by_desc(mentoring_programme::Column::Id)
            .all(self.db.read())
            .await?)
    }

    /// Programmes a learner may ask a mentor in: those of the associations they belong to.
    pub async fn programmes_for(&self, account_id: i32) -> Result<Vec<mentoring_programme::Model>> {
        let db = self.db.read();
        let organisations: Vec<i32> = membership::Entity::find()
            .filter(membership::Column::AccountId.eq(account_id))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.organisation_id)
            .collect();
        Ok(mentoring_programme::Entity::find()
            .filter(mentoring_programme::Column::OrganisationId.is_in(organisations))
            .order_by_desc(mentoring_programme::Column::Id)
            .all(db)
            .await?)
    }

    pub async fn programme(&self, organisation_id: i32, slug: &str) -> Result<mentoring_programme::Model> {
        mentoring_programme::Entity::find()
            .filter(mentoring_programme::Column::OrganisationId.eq(organisation_id))
            .filter(mentoring_programme::Column::Slug.eq(slug))
            .one(self.db.read())
            .await?
            .ok_or(MentorshipError::NotFound)
    }

    /// Everything an association admin reviews for a programme.
    pub async fn programme_view(&self, programme: mentoring_programme::Model) -> Result<ProgrammeView> {
        let db = self.db.read();
        let open_requests = mentee_request::Entity::find()
            .filter(mentee_request::Column::ProgrammeId.eq(programme.id))
            .filter(mentee_request::Column::Status.eq(OPEN))
            .count(db)
            .await?;
        let mentors = self.mentors_of(&programme).await?;
        let rounds = matching_round::Entity::find()
            .filter(matching_round::Column::ProgrammeId.eq(programme.id))
            .order_by_desc(matching_round::Column::Id)
            .all(db)
            .await?;
        let pairs = mentorship::Entity::find()
            .filter(mentorship::Column::ProgrammeId.eq(programme.id))
            .order_by_desc(mentorship::Column::Id)
            .all(db)
            .await?;
        let concerns = mentoring_concern::Entity::find()
            .filter(mentoring_concern::Column::MentorshipId.is_in(pairs.iter().map(|p| p.id)))
            .order_by_desc(mentoring_concern::Column::Id)
            .all(db)
            .await?;
        let names = names_by_id(db, pairs.iter().flat_map(|p| [p.mentor_id, p.mentee_id])).await?;
        let name = |id: i32| names.get(&id).cloned().unwrap_or_default();
        let by_id: HashMap<i32, &mentorship::Model> = pairs.iter().map(|p| (p.id, p)).collect();
        let concerns = concerns
            .into_iter()
            .map(|c| {
                let pair = by_id.get(&c.mentorship_id);
                let (mentee, mentor) =
                    pair.map_or((String::new(), String::new()), |p| (name(p.mentee_id), name(p.mentor_id)));
                (c, mentee, mentor)
            })
            .collect();
        let pairs = pairs
            .iter()
            .map(|p| (p.clone(), name(p.mentee_id), name(p.mentor_id), reasons(&p.reasons)))
            .collect();
        Ok(ProgrammeView { mentors, programme, open_requests, rounds, pairs, concerns })
    }

    // ----- Requests -----------------------------------------------------------------------------

    /// A member asks for a mentor in a programme of their association.
    pub async fn request(&self, account_id: i32, input: RequestInput) -> Result<i32> {
        let db = self.db.read();
        let programme = mentoring_programme::Entity::find_by_id(input.programme_id)
            .one(db)
            .await?
            .ok_or_else(|| invalid("programme", "choose a programme"))?;
        let member = membership::Entity::find()
            .filter(membership::Column::AccountId.eq(account_id))
            .filter(membership::Column::OrganisationId.eq(programme.organisation_id))
            .one(db)
            .await?;
        if member.is_none() {
            return Err(invalid("programme", "this programme is for its association's members"));
        }
        if programme.deadline.is_some_and(|d| d < self.clock.now().date_naive()) {
            return Err(invalid("programme", "requests for this programme have closed"));
        }
        let view = self.framework().await?;
        if input.wanted.is_empty() {
            return Err(invalid("wanted", "choose at least one competency you want to grow in"));
        }
        if input.wanted.len() > MAX_WANTED {
            return Err(invalid("wanted", format!("choose at most {MAX_WANTED} competencies")));
        }
        for (code, level) in &input.wanted {
            if view.title_of(code).is_none() {
                return Err(invalid("wanted", format!("{code} is not a competency of {}", view.spec.title)));
            }
            if !(1..=view.spec.top_level()).contains(level) {
                return Err(invalid(
                    "wanted",
                    format!("{code}: choose a level from 1 to {}", view.spec.top_level()),
                ));
            }
        }
        if input.languages.is_empty() {
            return Err(invalid("languages", "name at least one language"));
        }
        check_languages(&input.languages)?;
        let open = mentee_request::Entity::find()
            .filter(mentee_request::Column::AccountId.eq(account_id))
            .filter(mentee_request::Column::ProgrammeId.eq(programme.id))
            .filter(mentee_request::Column::Status.eq(OPEN))
            .one(db)
            .await?;
        if open.is_some() {
            return Err(invalid("programme", "you already have an open request in this programme"));
        }
        let now = self.clock.now();
        let row = mentee_request::ActiveModel {
            account_id: Set(account_id),
            programme_id: Set(programme.id),
            framework_id: Set(view.id),
            goals: Set(input.goals.chars().take(2_000).collect()),
            wanted: Set(wanted_text(&input.wanted)),
            languages: Set(input.languages.join(",")),
            same_profession: Set(input.same_profession),
            same_country: Set(input.same_country),
            remote_ok: Set(input.remote_ok),
            utc_offset_minutes: Set(input.utc_offset_minutes.clamp(-12 * 60, 14 * 60)),
            status: Set(OPEN.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(self.db.write())
        .await?;
        Ok(row.id)
    }

    /// A learner's requests, newest first, with their programme.
    pub async fn requests_of(
        &self,
        account_id: i32,
    ) -> Result<Vec<(mentee_request::Model, Option<mentoring_programme::Model>)>> {
        let db = self.db.read();
        let requests = mentee_request::Entity::find()
            .filter(mentee_request::Column::AccountId.eq(account_id))
            .order_by_desc(mentee_request::Column::Id)
            .all(db)
            .await?;
        let programmes: HashMap<i32, mentoring_programme::Model> = mentoring_programme::Entity::find()
            .filter(mentoring_programme::Column::Id.is_in(requests.iter().map(|r| r.programme_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        Ok(requests
            .into_iter()
            .map(|r| {
                let programme = programmes.get(&r.programme_id).cloned();
                (r, programme)
            })
            .collect())
    }

    /// Withdraws an open request and any pair proposed or offered for it.
    pub async fn withdraw_request(&self, account_id: i32, request_id: i32) -> Result<()> {
        let txn = self.db.begin().await?;
        let request = mentee_request::Entity::find_by_id(request_id)
            .one(&txn)
            .await?
            .filter(|r| r.account_id == account_id)
            .ok_or(MentorshipError::NotFound)?;
        if request.status != OPEN {
            return Err(MentorshipError::Conflict("only an open request can be withdrawn".into()));
        }
        let now = self.clock.now();
        mentorship::Entity::update_many()
            .col_expr(mentorship::Column::Status, Expr::value(WITHDRAWN))
            .col_expr(mentorship::Column::UpdatedAt, Expr::value(now))
            .filter(mentorship::Column::RequestId.eq(request_id))
            .filter(mentorship::Column::Status.is_in([PROPOSED, OFFERED]))
            .exec(&txn)
            .await?;
        let mut update: mentee_request::ActiveModel = request.into();
        update.status = Set(WITHDRAWN.into());
        update.updated_at = Set(now);
        update.update(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// How many opted-in mentors offer each code at or above a level (for a learner's gaps).
    pub async fn mentors_offering(&self, wanted: &[(String, u32)]) -> Result<HashMap<String, u64>> {
        let mut out = HashMap::new();
        let db = self.db.read();
        for (code, level) in wanted {
            let count = mentor_offer::Entity::find()
                .filter(mentor_offer::Column::Code.eq(code))
                .filter(mentor_offer::Column::Level.gte(i32::try_from(*level).unwrap_or(1)))
                .filter(
                    mentor_offer::Column::AccountId.in_subquery(
                        Query::select()
                            .column(mentor_profile::Column::AccountId)
                            .from(mentor_profile::Entity)
                            .and_where(mentor_profile::Column::Active.eq(true))
                            .to_owned(),
                    ),
                )
                .count(db)
                .await?;
            out.insert(code.clone(), count);
        }
        Ok(out)
    }

    // ----- Matching -----------------------------------------------------------------------------

    /// The programme's eligible people: open requests without a live pair (or only `request`),
    /// and opted-in mentors who belong to the programme's association, with the places they
    /// have left and what their profile verifies.
    async fn pool(
        &self,
        db: &impl ConnectionTrait,
        programme: &mentoring_programme::Model,
        only_request: Option<i32>,
    ) -> Result<Pool> {
        let now = self.clock.now();
        let mut requests = mentee_request::Entity::find()
            .filter(mentee_request::Column::ProgrammeId.eq(programme.id))
            .filter(mentee_request::Column::Status.eq(OPEN));
        if let Some(id) = only_request {
            requests = requests.filter(mentee_request::Column::Id.eq(id));
        }
        let requests = requests.order_by_asc(mentee_request::Column::Id).all(db).await?;
        let profiles = mentor_profile::Entity::find()
            .filter(mentor_profile::Column::Active.eq(true))
            .filter(
                mentor_profile::Column::AccountId.in_subquery(
                    Query::select()
                        .column(membership::Column::AccountId)
                        .from(membership::Entity)
                        .and_where(membership::Column::OrganisationId.eq(programme.organisation_id))
                        .to_owned(),
                ),
            )
            .order_by_asc(mentor_profile::Column::AccountId)
            .all(db)
            .await?;
        let people =
            accounts(db, requests.iter().map(|r| r.account_id).chain(profiles.iter().map(|p| p.account_id)))
                .await?;
        // Pairs that exist or existed: never proposed again. Live pairs take mentor places and
        // settle a request.
        let pairs = mentorship::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(mentorship::Column::MenteeId.is_in(requests.iter().map(|r| r.account_id)))
                    .add(mentorship::Column::MentorId.is_in(profiles.iter().map(|p| p.account_id))),
            )
            .all(db)
            .await?;
        let mut excluded: HashMap<i32, HashSet<i32>> = HashMap::new();
        let mut taken: HashMap<i32, u32> = HashMap::new();
        let mut settled: HashSet<i32> = HashSet::new();
        for pair in &pairs {
            excluded.entry(pair.mentee_id).or_default().insert(pair.mentor_id);
            if LIVE.contains(&pair.status.as_str()) {
                *taken.entry(pair.mentor_id).or_default() += 1;
                settled.insert(pair.request_id);
            }
        }
        let mut offers: HashMap<i32, HashMap<String, (u32, bool)>> = HashMap::new();
        for offer in mentor_offer::Entity::find()
            .filter(mentor_offer::Column::AccountId.is_in(profiles.iter().map(|p| p.account_id)))
            .all(db)
            .await?
        {
            offers
                .entry(offer.account_id)
                .or_default()
                .insert(offer.code, (u32::try_from(offer.level).unwrap_or(0), false));
        }
        // What each mentor's profile holds, by the competencies rule (highest level of unexpired
        // evidence other than self-assessment), in one grouped query over active mentors.
        let backend = db.get_database_backend();
        let held = db
            .query_all_raw(statement(
                backend,
                "SELECT e.account_id AS account_id, e.code AS code, MAX(e.level) AS level \
                 FROM evidence e JOIN mentor_profile p ON p.account_id = e.account_id AND p.active = $1 \
                 WHERE e.kind <> 'self' AND e.expires_at > $2 \
                 GROUP BY e.account_id, e.code",
                vec![true.into(), now.into()],
            ))
            .await?;
        for row in held {
            let (account_id, code, level): (i32, String, i32) =
                (row.try_get("", "account_id")?, row.try_get("", "code")?, row.try_get("", "level")?);
            if let Some((offered, verified)) = offers.get_mut(&account_id).and_then(|o| o.get_mut(&code)) {
                *verified = u32::try_from(level).unwrap_or(0) >= *offered;
            }
        }
        let field = |id: i32, f: fn(&account::Model) -> &Option<String>| {
            people.get(&id).and_then(|a| f(a).clone()).unwrap_or_default()
        };
        let mentors = profiles
            .iter()
            .map(|p| Mentor {
                account_id: p.account_id,
                profession: field(p.account_id, |a| &a.profession),
                professions: list(&p.professions),
                languages: list(&p.languages),
                country: field(p.account_id, |a| &a.country),
                region: field(p.account_id, |a| &a.region),
                utc_offset_minutes: p.utc_offset_minutes,
                remote: p.remote,
                in_person: p.in_person,
                capacity: u32::try_from(p.capacity)
                    .unwrap_or(0)
                    .saturating_sub(taken.get(&p.account_id).copied().unwrap_or(0)),
                offers: offers.remove(&p.account_id).unwrap_or_default(),
            })
            .collect();
        let mentees = requests
            .iter()
            .filter(|r| !settled.contains(&r.id))
            .map(|r| Mentee {
                request_id: r.id,
                account_id: r.account_id,
                profession: field(r.account_id, |a| &a.profession),
                languages: list(&r.languages),
                country: field(r.account_id, |a| &a.country),
                region: field(r.account_id, |a| &a.region),
                rural: field(r.account_id, |a| &a.setting) == "rural",
                utc_offset_minutes: r.utc_offset_minutes,
                wanted: parse_wanted(&r.wanted),
                same_profession: r.same_profession,
                same_country: r.same_country,
                remote_ok: r.remote_ok,
                excluded: excluded.remove(&r.account_id).unwrap_or_default(),
            })
            .collect();
        Ok(Pool { mentees, mentors })
    }

    /// Scores every allowed pair and solves: (problem, reasons per edge).
    fn problem(&self, pool: &Pool) -> (Problem, HashMap<(u32, u32), Vec<Reason>>) {
        let mut edges = Vec::new();
        let mut why = HashMap::new();
        for (i, mentee) in pool.mentees.iter().enumerate() {
            for (j, mentor) in pool.mentors.iter().enumerate() {
                if mentor.capacity == 0 {
                    continue;
                }
                if let Some(scored) = matching::score(mentee, mentor, &self.weights) {
                    let (i, j) = (u32::try_from(i).unwrap_or(u32::MAX), u32::try_from(j).unwrap_or(u32::MAX));
                    edges.push(Edge { mentee: i, mentor: j, score: scored.score });
                    why.insert((i, j), scored.reasons);
                }
            }
        }
        let problem = Problem {
            mentees: u32::try_from(pool.mentees.len()).unwrap_or(u32::MAX),
            capacities: pool.mentors.iter().map(|m| m.capacity).collect(),
            edges,
        };
        (problem, why)
    }

    /// Runs a matching round: the exact optimum over the programme's open requests and mentors,
    /// written as proposals an admin reviews. Proposals of an earlier unpublished round are
    /// replaced. All or nothing.
    pub async fn run_round(&self, programme: &mentoring_programme::Model, actor: i32) -> Result<i32> {
        let txn = self.db.begin().await?;
        mentorship::Entity::delete_many()
            .filter(mentorship::Column::ProgrammeId.eq(programme.id))
            .filter(mentorship::Column::Status.eq(PROPOSED))
            .exec(&txn)
            .await?;
        let pool = self.pool(&txn, programme, None).await?;
        let (problem, mut why) = self.problem(&pool);
        let started = Instant::now();
        let assignment = solver::solve(&problem)?;
        let solve_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        let greedy = solver::greedy(&problem)?;
        let now = self.clock.now();
        let round = matching_round::ActiveModel {
            programme_id: Set(programme.id),
            run_by: Set(Some(actor)),
            mentees: Set(i32::try_from(pool.mentees.len()).unwrap_or(i32::MAX)),
            mentors: Set(i32::try_from(pool.mentors.len()).unwrap_or(i32::MAX)),
            matched: Set(i32::try_from(assignment.mentor_of.iter().flatten().count()).unwrap_or(i32::MAX)),
            total_score: Set(assignment.total),
            greedy_score: Set(greedy.total),
            solve_ms: Set(solve_ms),
            created_at: Set(now),
            published_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let scores: HashMap<(u32, u32), i64> =
            problem.edges.iter().map(|e| ((e.mentee, e.mentor), e.score)).collect();
        for (i, mentor) in assignment.mentor_of.iter().enumerate() {
            let Some(j) = *mentor else { continue };
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let (Some(mentee), Some(mentor)) = (pool.mentees.get(i as usize), pool.mentors.get(j as usize))
            else {
                continue;
            };
            insert_pair(
                &txn,
                programme.id,
                Some(round.id),
                mentee,
                mentor.account_id,
                PROPOSED,
                scores.get(&(i, j)).copied().unwrap_or(0),
                &why.remove(&(i, j)).unwrap_or_default(),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(round.id)
    }

    /// Publishes a round: its proposals are offered to both people, by email.
    pub async fn publish_round(
        &self,
        programme: &mentoring_programme::Model,
        round_id: i32,
    ) -> Result<usize> {
        let txn = self.db.begin().await?;
        let round = matching_round::Entity::find_by_id(round_id)
            .one(&txn)
            .await?
            .filter(|r| r.programme_id == programme.id)
            .ok_or(MentorshipError::NotFound)?;
        if round.published_at.is_some() {
            return Ok(0);
        }
        let now = self.clock.now();
        let proposals = mentorship::Entity::find()
            .filter(mentorship::Column::ProgrammeId.eq(programme.id))
            .filter(mentorship::Column::Status.eq(PROPOSED))
            .all(&txn)
            .await?;
        let count = proposals.len();
        for pair in proposals {
            self.offer(&txn, pair, now).await?;
        }
        let mut update: matching_round::ActiveModel = round.into();
        update.published_at = Set(Some(now));
        update.update(&txn).await?;
        txn.commit().await?;
        Ok(count)
    }

    /// Turns a pair into an offer to both, and tells them.
    async fn offer(
        &self,
        txn: &DatabaseTransaction,
        pair: mentorship::Model,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let people = accounts(txn, [pair.mentor_id, pair.mentee_id]).await?;
        let reasons = reasons(&pair.reasons);
        let id = pair.id;
        let mut update: mentorship::ActiveModel = pair.clone().into();
        update.status = Set(OFFERED.into());
        update.updated_at = Set(now);
        update.update(txn).await?;
        let url = format!("{}/mentorships/{id}", self.base_url);
        if let (Some(mentor), Some(mentee)) = (people.get(&pair.mentor_id), people.get(&pair.mentee_id)) {
            mail::enqueue(txn, &self.clock, super::emails::proposal(mentor, mentee, true, &reasons, &url))
                .await?;
            mail::enqueue(txn, &self.clock, super::emails::proposal(mentee, mentor, false, &reasons, &url))
                .await?;
        }
        Ok(())
    }

    /// An admin adjusts a proposal by hand: another mentor for its mentee, if the pair is allowed
    /// and the mentor has a place.
    pub async fn reassign(
        &self,
        programme: &mentoring_programme::Model,
        pair_id: i32,
        mentor_id: i32,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        let pair = mentorship::Entity::find_by_id(pair_id)
            .one(&txn)
            .await?
            .filter(|p| p.programme_id == programme.id && p.status == PROPOSED)
            .ok_or(MentorshipError::NotFound)?;
        // The pool without this proposal: its request is open again and its mentor's place free.
        mentorship::Entity::delete_by_id(pair.id).exec(&txn).await?;
        let pool = self.pool(&txn, programme, Some(pair.request_id)).await?;
        let (Some(mentee), Some(mentor)) =
            (pool.mentees.first(), pool.mentors.iter().find(|m| m.account_id == mentor_id))
        else {
            return Err(invalid("mentor", "this mentor is not available in the programme"));
        };
        if mentor.capacity == 0 {
            return Err(invalid("mentor", "this mentor has no place left"));
        }
        let scored = matching::score(mentee, mentor, &self.weights).ok_or_else(|| {
            invalid("mentor", "this pair breaks a rule (language, preferences or competencies)")
        })?;
        let now = self.clock.now();
        insert_pair(
            &txn,
            programme.id,
            pair.round_id,
            mentee,
            mentor_id,
            PROPOSED,
            scored.score,
            &scored.reasons,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The best mentor for one request now (programmes that allow it), offered at once.
    pub async fn match_now(&self, account_id: i32, request_id: i32) -> Result<Option<i32>> {
        let request = mentee_request::Entity::find_by_id(request_id)
            .one(self.db.read())
            .await?
            .filter(|r| r.account_id == account_id && r.status == OPEN)
            .ok_or(MentorshipError::NotFound)?;
        let programme = mentoring_programme::Entity::find_by_id(request.programme_id)
            .one(self.db.read())
            .await?
            .ok_or(MentorshipError::NotFound)?;
        if !programme.instant {
            return Err(MentorshipError::Conflict("this programme matches in rounds".into()));
        }
        self.replace(programme.id, request_id).await
    }

    /// Places one request again (its mentor left or declined, or it asks now): the best mentor
    /// with a place left, every other pair untouched, offered at once. None when nobody fits.
    async fn replace(&self, programme_id: i32, request_id: i32) -> Result<Option<i32>> {
        let txn = self.db.begin().await?;
        let Some(programme) = mentoring_programme::Entity::find_by_id(programme_id).one(&txn).await? else {
            return Ok(None);
        };
        let pool = self.pool(&txn, &programme, Some(request_id)).await?;
        let (problem, mut why) = self.problem(&pool);
        let assignment = solver::solve(&problem)?;
        let (Some(Some(j)), Some(mentee)) = (assignment.mentor_of.first(), pool.mentees.first()) else {
            return Ok(None);
        };
        let Some(mentor) = pool.mentors.get(*j as usize) else { return Ok(None) };
        let score = problem.edges.iter().find(|e| e.mentee == 0 && e.mentor == *j).map_or(0, |e| e.score);
        let now = self.clock.now();
        let pair = insert_pair(
            &txn,
            programme.id,
            None,
            mentee,
            mentor.account_id,
            PROPOSED,
            score,
            &why.remove(&(0, *j)).unwrap_or_default(),
            now,
        )
        .await?;
        let id = pair.id;
        self.offer(&txn, pair, now).await?;
        txn.commit().await?;
        Ok(Some(id))
    }

    // ----- A pair's life ------------------------------------------------------------------------

    /// The pairs a person is in, as mentor or mentee, newest first (proposals under review are
    /// not shown to them).
    pub async fn pairs_of(&self, account_id: i32) -> Result<Vec<(mentorship::Model, String)>> {
        let db = self.db.read();
        let pairs = mentorship::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(mentorship::Column::MentorId.eq(account_id))
                    .add(mentorship::Column::MenteeId.eq(account_id)),
            )
            .filter(mentorship::Column::Status.ne(PROPOSED))
            .order_by_desc(mentorship::Column::Id)
            .all(db)
            .await?;
        let names = names_by_id(db, pairs.iter().flat_map(|p| [p.mentor_id, p.mentee_id])).await?;
        Ok(pairs
            .into_iter()
            .map(|p| {
                let other = if p.mentor_id == account_id { p.mentee_id } else { p.mentor_id };
                let name = names.get(&other).cloned().unwrap_or_default();
                (p, name)
            })
            .collect())
    }

    /// A pair, for one of the two (not found for anyone else).
    pub async fn pair(&self, viewer: i32, id: i32) -> Result<PairView> {
        let db = self.db.read();
        let pair = mentorship::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|p| (p.mentor_id == viewer || p.mentee_id == viewer) && p.status != PROPOSED)
            .ok_or(MentorshipError::NotFound)?;
        let people = accounts(db, [pair.mentor_id, pair.mentee_id]).await?;
        let (Some(mentor), Some(mentee)) = (people.get(&pair.mentor_id), people.get(&pair.mentee_id)) else {
            return Err(MentorshipError::NotFound);
        };
        let programme = mentoring_programme::Entity::find_by_id(pair.programme_id)
            .one(db)
            .await?
            .ok_or(MentorshipError::NotFound)?;
        let request = mentee_request::Entity::find_by_id(pair.request_id).one(db).await?;
        let sessions = mentoring_session::Entity::find()
            .filter(mentoring_session::Column::MentorshipId.eq(id))
            .order_by_desc(mentoring_session::Column::HeldOn)
            .all(db)
            .await?;
        Ok(PairView {
            reasons: reasons(&pair.reasons),
            wanted: request.as_ref().map(|r| parse_wanted(&r.wanted)).unwrap_or_default(),
            goals: request.map(|r| r.goals).unwrap_or_default(),
            minutes: sessions.iter().map(|s| i64::from(s.minutes)).sum(),
            sessions,
            mentor: mentor.clone(),
            mentee: mentee.clone(),
            programme,
            pair,
        })
    }

    async fn pair_for_update(
        &self,
        txn: &DatabaseTransaction,
        viewer: i32,
        id: i32,
    ) -> Result<mentorship::Model> {
        mentorship::Entity::find_by_id(id)
            .one(txn)
            .await?
            .filter(|p| (p.mentor_id == viewer || p.mentee_id == viewer) && p.status != PROPOSED)
            .ok_or(MentorshipError::NotFound)
    }

    /// One of the pair accepts; once both have, the pair is active and both get the other's
    /// contact details by email.
    pub async fn accept(&self, viewer: i32, id: i32) -> Result<()> {
        let txn = self.db.begin().await?;
        let pair = self.pair_for_update(&txn, viewer, id).await?;
        if pair.status != OFFERED {
            return Err(MentorshipError::Conflict("this pair is no longer waiting for an answer".into()));
        }
        let now = self.clock.now();
        let mut update: mentorship::ActiveModel = pair.clone().into();
        let (mentor_ok, mentee_ok) = if viewer == pair.mentor_id {
            update.mentor_accepted_at = Set(Some(now));
            (true, pair.mentee_accepted_at.is_some())
        } else {
            update.mentee_accepted_at = Set(Some(now));
            (pair.mentor_accepted_at.is_some(), true)
        };
        if mentor_ok && mentee_ok {
            update.status = Set(ACTIVE.into());
            mentee_request::Entity::update_many()
                .col_expr(mentee_request::Column::Status, Expr::value(MATCHED))
                .col_expr(mentee_request::Column::UpdatedAt, Expr::value(now))
                .filter(mentee_request::Column::Id.eq(pair.request_id))
                .exec(&txn)
                .await?;
            let people = accounts(&txn, [pair.mentor_id, pair.mentee_id]).await?;
            let url = format!("{}/mentorships/{id}", self.base_url);
            if let (Some(mentor), Some(mentee)) = (people.get(&pair.mentor_id), people.get(&pair.mentee_id)) {
                mail::enqueue(&txn, &self.clock, super::emails::active(mentor, mentee, &url)).await?;
                mail::enqueue(&txn, &self.clock, super::emails::active(mentee, mentor, &url)).await?;
            }
        }
        update.updated_at = Set(now);
        update.update(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// One of the pair declines an offer, with a reason; the mentee is offered the next best
    /// mentor (never this one again). Returns the new pair, if someone fits.
    pub async fn decline(&self, viewer: i32, id: i32, reason: &str) -> Result<Option<i32>> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid("reason", "say briefly why, so the next match is better"));
        }
        let txn = self.db.begin().await?;
        let pair = self.pair_for_update(&txn, viewer, id).await?;
        if pair.status != OFFERED {
            return Err(MentorshipError::Conflict("this pair is no longer waiting for an answer".into()));
        }
        let (programme_id, request_id) = (pair.programme_id, pair.request_id);
        let mut update: mentorship::ActiveModel = pair.into();
        update.status = Set(DECLINED.into());
        update.ended_by = Set(Some(viewer));
        update.end_reason = Set(reason.chars().take(500).collect());
        update.updated_at = Set(self.clock.now());
        update.update(&txn).await?;
        txn.commit().await?;
        self.replace(programme_id, request_id).await
    }

    /// Logs a session of an active pair. The notes are private to the pair.
    pub async fn log_session(
        &self,
        viewer: i32,
        id: i32,
        held_on: Option<NaiveDate>,
        minutes: u32,
        topics: &str,
        notes: &str,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        let pair = self.pair_for_update(&txn, viewer, id).await?;
        if pair.status != ACTIVE {
            return Err(MentorshipError::Conflict("sessions are logged while the pair is active".into()));
        }
        let today = self.clock.now().date_naive();
        let held_on = held_on.ok_or_else(|| invalid("held_on", "give the date as YYYY-MM-DD"))?;
        if held_on > today || held_on < pair.created_at.date_naive() {
            return Err(invalid("held_on", "the date must be between the match and today"));
        }
        if !(5..=600).contains(&minutes) {
            return Err(invalid("minutes", "give the length in minutes, from 5 to 600"));
        }
        if topics.trim().is_empty() {
            return Err(invalid("topics", "say what you talked about"));
        }
        mentoring_session::ActiveModel {
            mentorship_id: Set(id),
            held_on: Set(held_on),
            minutes: Set(i32::try_from(minutes).unwrap_or(0)),
            topics: Set(topics.trim().chars().take(200).collect()),
            notes: Set(notes.chars().take(4_000).collect()),
            logged_by: Set(Some(viewer)),
            created_at: Set(self.clock.now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Either of the pair ends it; the other is told.
    pub async fn end(&self, viewer: i32, id: i32, reason: &str) -> Result<()> {
        let txn = self.db.begin().await?;
        let pair = self.pair_for_update(&txn, viewer, id).await?;
        if pair.status != ACTIVE {
            return Err(MentorshipError::Conflict("only an active pair can be ended".into()));
        }
        let now = self.clock.now();
        let other = if viewer == pair.mentor_id { pair.mentee_id } else { pair.mentor_id };
        let mut update: mentorship::ActiveModel = pair.into();
        update.status = Set(CLOSED.into());
        update.ended_by = Set(Some(viewer));
        update.end_reason = Set(reason.trim().chars().take(500).collect());
        update.updated_at = Set(now);
        update.update(&txn).await?;
        let people = accounts(&txn, [viewer, other]).await?;
        if let (Some(ender), Some(other)) = (people.get(&viewer), people.get(&other)) {
            let url = format!("{}/mentorships/{id}", self.base_url);
            mail::enqueue(&txn, &self.clock, super::emails::ended(other, ender, &url)).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Each of the pair may leave short feedback once it has closed.
    pub async fn feedback(&self, viewer: i32, id: i32, text: &str) -> Result<()> {
        let txn = self.db.begin().await?;
        let pair = self.pair_for_update(&txn, viewer, id).await?;
        if pair.status != CLOSED {
            return Err(MentorshipError::Conflict("feedback comes once the pair has closed".into()));
        }
        if text.trim().is_empty() {
            return Err(invalid("feedback", "write a few words"));
        }
        let text: String = text.trim().chars().take(2_000).collect();
        let is_mentor = viewer == pair.mentor_id;
        let mut update: mentorship::ActiveModel = pair.into();
        if is_mentor {
            update.mentor_feedback = Set(text);
        } else {
            update.mentee_feedback = Set(text);
        }
        update.update(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Either of the pair raises a concern with the programme's association, which sees it and
    /// the pair, never the pair's notes.
    pub async fn report(&self, viewer: i32, id: i32, body: &str) -> Result<()> {
        let txn = self.db.begin().await?;
        let pair = self.pair_for_update(&txn, viewer, id).await?;
        if body.trim().chars().count() < 10 {
            return Err(invalid("concern", "describe the concern in a sentence or two"));
        }
        mentoring_concern::ActiveModel {
            mentorship_id: Set(pair.id),
            reporter_id: Set(viewer),
            body: Set(body.trim().chars().take(4_000).collect()),
            created_at: Set(self.clock.now()),
            acknowledged_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Reminds active pairs with no session for [`REMIND_AFTER_DAYS`] (and not reminded since).
    pub async fn send_session_reminders(&self) -> Result<usize> {
        let now = self.clock.now();
        let quiet_since = now - Duration::days(REMIND_AFTER_DAYS);
        let txn = self.db.begin().await?;
        let active = mentorship::Entity::find()
            .filter(mentorship::Column::Status.eq(ACTIVE))
            .filter(mentorship::Column::UpdatedAt.lt(quiet_since))
            .filter(
                sea_orm::Condition::any()
                    .add(mentorship::Column::RemindedAt.is_null())
                    .add(mentorship::Column::RemindedAt.lt(quiet_since)),
            )
            .all(&txn)
            .await?;
        let mut sent = 0;
        for pair in active {
            let last = mentoring_session::Entity::find()
                .filter(mentoring_session::Column::MentorshipId.eq(pair.id))
                .filter(mentoring_session::Column::CreatedAt.gte(quiet_since))
                .count(&txn)
                .await?;
            if last > 0 {
                continue;
            }
            let people = accounts(&txn, [pair.mentor_id, pair.mentee_id]).await?;
            let url = format!("{}/mentorships/{}", self.base_url, pair.id);
            if let (Some(mentor), Some(mentee)) = (people.get(&pair.mentor_id), people.get(&pair.mentee_id)) {
                mail::enqueue(&txn, &self.clock, super::emails::reminder(mentor, mentee, &url)).await?;
                mail::enqueue(&txn, &self.clock, super::emails::reminder(mentee, mentor, &url)).await?;
                sent += 1;
            }
            let mut update: mentorship::ActiveModel = pair.into();
            update.reminded_at = Set(Some(now));
            update.update(&txn).await?;
        }
        txn.commit().await?;
        Ok(sent)
    }
}

/// Inserts a pair for a mentee's request.
#[allow(clippy::too_many_arguments)]
async fn insert_pair(
    txn: &DatabaseTransaction,
    programme_id: i32,
    round_id: Option<i32>,
    mentee: &Mentee,
    mentor_id: i32,
    status: &str,
    score: i64,
    reasons: &[Reason],
    now: DateTime<Utc>,
) -> Result<mentorship::Model, DbErr> {
    mentorship::ActiveModel {
        programme_id: Set(programme_id),
        request_id: Set(mentee.request_id),
        round_id: Set(round_id),
        mentor_id: Set(mentor_id),
        mentee_id: Set(mentee.account_id),
        status: Set(status.into()),
        score: Set(score),
        reasons: Set(serde_json::to_string(reasons).unwrap_or_else(|_| "[]".into())),
        mentor_accepted_at: Set(None),
        mentee_accepted_at: Set(None),
        ended_by: Set(None),
        end_reason: Set(String::new()),
        mentor_feedback: Set(String::new()),
        mentee_feedback: Set(String::new()),
        reminded_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
}

fn reasons(json: &str) -> Vec<Reason> {
    serde_json::from_str(json).unwrap_or_default()
}

async fn accounts(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, account::Model>, DbErr> {
    let ids: HashSet<i32> = ids.into_iter().collect();
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}
