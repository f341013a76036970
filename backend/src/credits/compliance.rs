//! Regulators' side of CPD over the database: rules per profession, the licence roster (checked
//! whole, then imported all or nothing, confirming the licences learners claimed), learners'
//! consent, and compliance — a learner's own, explained, and a regulator's dashboard over the
//! licensees who consented. No actix types.

use super::entity::{
    compliance_summary, cpd_rule, credit_consent, credit_entry, credit_reminder, roster_entry,
};
use super::rules::{self, Credit, Evaluation, Licence, RuleSet, Status};
use super::service::{CreditsError, MAX_CREDITS};
use crate::accounts::entity::{account, licence, organisation};
use crate::accounts::model::PROFESSIONS;
use crate::platform::clock::SharedClock;
use crate::platform::db::{Db, statement};
use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

type Result<T, E = CreditsError> = std::result::Result<T, E>;

fn invalid(field: &'static str, message: impl Into<String>) -> CreditsError {
    CreditsError::Invalid { field, message: message.into() }
}

/// The roster's columns, in order.
pub const ROSTER_COLUMNS: [&str; 5] = ["licence_number", "name", "profession", "renewed_on", "region"];

/// One row of a roster file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    pub line: usize,
    pub number: String,
    pub name: String,
    pub profession: String,
    pub renewed_on: NaiveDate,
    pub region: String,
}

/// A roster line that cannot be imported: `line` counts from 1 with the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Reads a roster CSV whole: every row's problems (wrong columns, bytes that are not UTF-8, a
/// licence number twice, an unknown profession, a bad date), or every row.
pub fn parse_roster(bytes: &[u8]) -> Result<Vec<RosterRow>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    for (index, record) in reader.byte_records().enumerate() {
        let line = index + 1;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(RowProblem { line, message: format!("unreadable row: {error}") });
                continue;
            }
        };
        let mut fields = Vec::with_capacity(record.len());
        let mut utf8 = true;
        for field in &record {
            match std::str::from_utf8(field) {
                Ok(text) => fields.push(text.trim().to_owned()),
                Err(_) => utf8 = false,
            }
        }
        if !utf8 {
            problems.push(RowProblem { line, message: "not UTF-8 text: save the file as CSV UTF-8".into() });
            continue;
        }
        if line == 1 {
            let header: Vec<String> =
                fields.iter().map(|f| f.trim_start_matches('\u{feff}').to_lowercase()).collect();
            if header != ROSTER_COLUMNS {
                problems.push(RowProblem {
                    line,
                    message: format!(
                        "the columns must be {}; found {}",
                        ROSTER_COLUMNS.join(","),
                        header.join(",")
                    ),
                });
                return Err(problems);
            }
            continue;
        }
        if fields.iter().all(String::is_empty) {
            continue;
        }
        if fields.len() != ROSTER_COLUMNS.len() {
            problems.push(RowProblem {
                line,
                message: format!("{} columns, expected {}", fields.len(), ROSTER_COLUMNS.len()),
            });
            continue;
        }
        let [number, name, profession, renewed_on, region] =
            <[String; 5]>::try_from(fields).unwrap_or_default();
        if number.is_empty() || number.chars().count() > 40 {
            problems.push(RowProblem {
                line,
                message: "licence_number is empty or longer than 40 characters".into(),
            });
        } else if let Some(first) = seen.insert(number.clone(), line) {
            problems.push(RowProblem {
                line,
                message: format!("licence number {number} is also on line {first}"),
            });
        }
        if name.is_empty() {
            problems.push(RowProblem { line, message: "name is empty".into() });
        }
        if !PROFESSIONS.contains(&profession.as_str()) {
            problems.push(RowProblem {
                line,
                message: format!("unknown profession {profession:?}; use one of {}", PROFESSIONS.join(", ")),
            });
        }
        let Ok(renewed_on) = NaiveDate::parse_from_str(&renewed_on, "%Y-%m-%d") else {
            problems.push(RowProblem {
                line,
                message: format!("renewed_on {renewed_on:?} is not a date (YYYY-MM-DD)"),
            });
            continue;
        };
        rows.push(RosterRow { line, number: number.to_uppercase(), name, profession, renewed_on, region });
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(RowProblem { line: 1, message: "the file has no rows".into() });
    }
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

/// Whether a roster name and an account name are the same person's: every word of the shorter,
/// compared without case or accents, appears in the longer.
pub fn names_match(roster: &str, account: &str) -> bool {
    fn words(name: &str) -> Vec<String> {
        name.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                w.to_lowercase()
                    .chars()
                    .map(|c| match c {
                        'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
                        'ç' => 'c',
                        'è' | 'é' | 'ê' | 'ë' => 'e',
                        'ì' | 'í' | 'î' | 'ï' => 'i',
                        'ñ' => 'n',
                        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
                        'ù' | 'ú' | 'û' | 'ü' => 'u',
                        c => c,
                    })
                    .collect()
            })
            .collect()
    }
    let (a, b) = (words(roster), words(account));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && short.iter().all(|w| long.contains(w))
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterReport {
    pub rows: usize,
    /// Claimed licences confirmed by this roster.
    pub confirmed: usize,
    /// Claimed licences whose number is on the roster under another name (left unconfirmed).
    pub name_mismatches: usize,
}

/// One of a learner's licences and, when the regulator has rules for their profession, how they
/// stand.
#[derive(Clone, Debug)]
pub struct LicenceStanding {
    pub regulator: organisation::Model,
    pub licence: licence::Model,
    pub consented: bool,
    /// The regulator's rules for the profession, and the renewal date cycles count from.
    pub rules: Option<(RuleSet, NaiveDate)>,
    pub evaluation: Option<Evaluation>,
}

/// A learner's credits in one cycle of one licence, as a transcript lists them.
#[derive(Clone, Debug)]
pub struct Transcript {
    pub learner: String,
    pub standing: LicenceStanding,
    /// The cycle judged: as of today while open, at its last day once ended.
    pub evaluation: Evaluation,
    /// Each credit of the cycle with what became of it, oldest first.
    pub rows: Vec<(credit_entry::Model, rules::CreditOutcome)>,
    /// A day in the cycle before, and in the one after (when it has begun).
    pub previous: NaiveDate,
    pub next: Option<NaiveDate>,
}

/// A licensee as the regulator's dashboard lists them.
#[derive(Clone, Debug)]
pub struct Licensee {
    pub number: String,
    pub name: String,
    pub profession: String,
    pub region: String,
    pub status: Status,
    pub counted: i64,
    pub shortfall: i64,
}

/// Regulators' CPD: rules, roster, consent and compliance.
#[derive(Clone)]
pub struct Compliance {
    db: Db,
    clock: SharedClock,
}

/// One entry as [`Compliance::evaluate_licences`] reads it from the database's aggregate
/// ("id:amount:category:kind:accreditor:earned_on:corrects"), with what it corrects.
fn parse_entry(item: &str) -> Option<(Credit, Option<i32>)> {
    let mut parts = item.split(':');
    let id = parts.next()?.parse().ok()?;
    let amount = parts.next()?.parse().ok()?;
    let category = parts.next()?.to_owned();
    let kind = parts.next()?.to_owned();
    let accreditor = parts.next()?.parse().ok();
    // PostgreSQL writes a date as YYYY-MM-DD; SQLite stores what sea-orm wrote, the same.
    let earned_on = NaiveDate::parse_from_str(parts.next()?.get(..10)?, "%Y-%m-%d").ok()?;
    let corrects = parts.next()?.parse().ok();
    Some((Credit { id, amount, category, kind, accreditor, earned_on }, corrects))
}

/// A learner's ledger as the rules read it: corrections folded into the entry they correct.
pub fn credits_of(entries: &[credit_entry::Model]) -> Vec<Credit> {
    let mut corrections: HashMap<i32, i64> = HashMap::new();
    for e in entries.iter().filter(|e| e.corrects_id.is_some()) {
        if let Some(target) = e.corrects_id {
            *corrections.entry(target).or_default() += e.amount;
        }
    }
    entries
        .iter()
        .filter(|e| e.corrects_id.is_none())
        .map(|e| Credit {
            id: e.id,
            amount: e.amount + corrections.get(&e.id).copied().unwrap_or(0),
            category: e.category.clone(),
            kind: e.kind.clone(),
            accreditor: e.accreditor_id,
            earned_on: e.earned_on,
        })
        .collect()
}

impl Compliance {
    pub fn new(db: Db, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    pub(super) fn clock(&self) -> &SharedClock {
        &self.clock
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.now().date_naive()
    }

    // ----- Rules --------------------------------------------------------------------------------

    pub async fn rules(&self, regulator_id: i32) -> Result<Vec<(String, RuleSet)>> {
        Ok(cpd_rule::Entity::find()
            .filter(cpd_rule::Column::RegulatorId.eq(regulator_id))
            .order_by_asc(cpd_rule::Column::Profession)
            .all(self.db.read())
            .await?
            .into_iter()
            .filter_map(|r| Some((r.profession, serde_json::from_str(&r.rules).ok()?)))
            .collect())
    }

    /// Sets a regulator's rules for a profession (replacing earlier ones).
    pub async fn set_rules(&self, regulator_id: i32, profession: &str, rules: RuleSet) -> Result<()> {
        if !PROFESSIONS.contains(&profession) {
            return Err(invalid("profession", "choose a profession"));
        }
        if !(1..=5).contains(&rules.cycle_years) {
            return Err(invalid("cycle_years", "a cycle lasts 1 to 5 years"));
        }
        if !(0..=MAX_CREDITS * 10).contains(&rules.total) {
            return Err(invalid("total", "give the credits required per cycle"));
        }
        if let Some(months) = rules.rolling_validity_months
            && !(1..=120).contains(&months)
        {
            return Err(invalid("rolling_validity_months", "from 1 to 120 months, or empty"));
        }
        let row = cpd_rule::ActiveModel {
            regulator_id: Set(regulator_id),
            profession: Set(profession.to_owned()),
            rules: Set(serde_json::to_string(&rules).unwrap_or_default()),
            updated_at: Set(self.clock.now()),
            ..Default::default()
        };
        let on_conflict = OnConflict::columns([cpd_rule::Column::RegulatorId, cpd_rule::Column::Profession])
            .update_columns([cpd_rule::Column::Rules, cpd_rule::Column::UpdatedAt])
            .to_owned();
        cpd_rule::Entity::insert(row)
            .on_conflict(on_conflict)
            .exec_without_returning(self.db.write())
            .await?;
        Ok(())
    }

    // ----- Roster -------------------------------------------------------------------------------

    /// Imports checked roster rows, all or nothing: adds or updates each licence number, then
    /// confirms the licences learners claimed with a number on the roster and the same name.
    pub async fn import_roster(&self, regulator_id: i32, rows: &[RosterRow]) -> Result<RosterReport> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        for chunk in rows.chunks(500) {
            let models = chunk.iter().map(|r| roster_entry::ActiveModel {
                regulator_id: Set(regulator_id),
                number: Set(r.number.clone()),
                name: Set(r.name.clone()),
                profession: Set(r.profession.clone()),
                renewed_on: Set(r.renewed_on),
                region: Set(r.region.clone()),
                imported_at: Set(now),
                ..Default::default()
            });
            let on_conflict =
                OnConflict::columns([roster_entry::Column::RegulatorId, roster_entry::Column::Number])
                    .update_columns([
                        roster_entry::Column::Name,
                        roster_entry::Column::Profession,
                        roster_entry::Column::RenewedOn,
                        roster_entry::Column::Region,
                        roster_entry::Column::ImportedAt,
                    ])
                    .to_owned();
            roster_entry::Entity::insert_many(models)
                .on_conflict(on_conflict)
                .exec_without_returning(&txn)
                .await?;
        }
        let by_number: HashMap<&str, &RosterRow> = rows.iter().map(|r| (r.number.as_str(), r)).collect();
        let claimed = licence::Entity::find()
            .filter(licence::Column::RegulatorId.eq(regulator_id))
            .filter(licence::Column::Status.ne("verified"))
            .all(&txn)
            .await?;
        let names: HashMap<i32, String> = account::Entity::find()
            .filter(account::Column::Id.is_in(claimed.iter().map(|l| l.account_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let mut report = RosterReport { rows: rows.len(), ..RosterReport::default() };
        for claim in claimed {
            let Some(row) = by_number.get(claim.number.as_str()) else { continue };
            if !names_match(&row.name, names.get(&claim.account_id).map_or("", String::as_str)) {
                report.name_mismatches += 1;
                continue;
            }
            let mut update: licence::ActiveModel = claim.into();
            update.status = Set("verified".into());
            update.verified_at = Set(Some(now));
            update.update(&txn).await?;
            report.confirmed += 1;
        }
        txn.commit().await?;
        Ok(report)
    }

    // ----- Consent ------------------------------------------------------------------------------

    /// The learner lets a regulator see their credits (`grant`), or stops letting it.
    pub async fn set_consent(&self, account_id: i32, regulator_id: i32, grant: bool) -> Result<()> {
        let db = self.db.write();
        if grant {
            let regulator = organisation::Entity::find_by_id(regulator_id)
                .one(db)
                .await?
                .filter(|o| o.kind == "regulator")
                .ok_or(CreditsError::NotFound)?;
            let row = credit_consent::ActiveModel {
                account_id: Set(account_id),
                regulator_id: Set(regulator.id),
                granted_at: Set(self.clock.now()),
                ..Default::default()
            };
            let on_conflict =
                OnConflict::columns([credit_consent::Column::AccountId, credit_consent::Column::RegulatorId])
                    .do_nothing()
                    .to_owned();
            credit_consent::Entity::insert(row).on_conflict(on_conflict).exec_without_returning(db).await?;
        } else {
            credit_consent::Entity::delete_many()
                .filter(credit_consent::Column::AccountId.eq(account_id))
                .filter(credit_consent::Column::RegulatorId.eq(regulator_id))
                .exec(db)
                .await?;
        }
        Ok(())
    }

    // ----- Compliance ---------------------------------------------------------------------------

    /// A learner's licences, each with its standing where the regulator has rules for the
    /// profession on the roster (or the learner's own profession while unconfirmed).
    pub async fn standing(&self, account_id: i32) -> Result<Vec<LicenceStanding>> {
        let db = self.db.read();
        let me = account::Entity::find_by_id(account_id).one(db).await?.ok_or(CreditsError::NotFound)?;
        let licences = licence::Entity::find()
            .filter(licence::Column::AccountId.eq(account_id))
            .order_by_asc(licence::Column::Id)
            .all(db)
            .await?;
        let entries = credit_entry::Entity::find()
            .filter(credit_entry::Column::AccountId.eq(account_id))
            .order_by_asc(credit_entry::Column::Seq)
            .all(db)
            .await?;
        let credits = credits_of(&entries);
        let consents: Vec<i32> = credit_consent::Entity::find()
            .filter(credit_consent::Column::AccountId.eq(account_id))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.regulator_id)
            .collect();
        let today = self.today();
        let mut out = Vec::new();
        for licence in licences {
            let Some(regulator) = organisation::Entity::find_by_id(licence.regulator_id).one(db).await?
            else {
                continue;
            };
            let roster = roster_entry::Entity::find()
                .filter(roster_entry::Column::RegulatorId.eq(licence.regulator_id))
                .filter(roster_entry::Column::Number.eq(&licence.number))
                .one(db)
                .await?
                .filter(|_| licence.status == "verified");
            let profession = roster.as_ref().map(|r| r.profession.clone()).or_else(|| me.profession.clone());
            let rules = match profession {
                Some(profession) => cpd_rule::Entity::find()
                    .filter(cpd_rule::Column::RegulatorId.eq(licence.regulator_id))
                    .filter(cpd_rule::Column::Profession.eq(profession))
                    .one(db)
                    .await?
                    .and_then(|r| serde_json::from_str::<RuleSet>(&r.rules).ok()),
                None => None,
            };
            let renewal = roster.map_or(licence.created_at.date_naive(), |r| r.renewed_on);
            let evaluation =
                rules.as_ref().map(|rules| rules::evaluate(rules, &Licence { renewal }, &credits, today));
            out.push(LicenceStanding {
                consented: consents.contains(&regulator.id),
                regulator,
                licence,
                rules: rules.map(|r| (r, renewal)),
                evaluation,
            });
        }
        Ok(out)
    }

    /// The learner's transcript for one of their licences, for the cycle containing `day`
    /// (today when None). Not found for a licence that is not theirs or has no rules yet.
    pub async fn transcript(
        &self,
        account_id: i32,
        licence_id: i32,
        day: Option<NaiveDate>,
    ) -> Result<Transcript> {
        let today = self.today();
        let standing = self
            .standing(account_id)
            .await?
            .into_iter()
            .find(|s| s.licence.id == licence_id)
            .ok_or(CreditsError::NotFound)?;
        let (rules, renewal) = standing.rules.clone().ok_or(CreditsError::NotFound)?;
        let licence = Licence { renewal };
        let day = day.unwrap_or(today).min(today);
        let entries = credit_entry::Entity::find()
            .filter(credit_entry::Column::AccountId.eq(account_id))
            .order_by_asc(credit_entry::Column::Seq)
            .all(self.db.read())
            .await?;
        let credits = credits_of(&entries);
        let (start, end) = rules::cycle_for(&rules, &licence, day);
        let evaluation = if end <= today {
            rules::evaluate_cycle_end(&rules, &licence, &credits, day)
        } else {
            rules::evaluate(&rules, &licence, &credits, today)
        };
        let by_id: HashMap<i32, &credit_entry::Model> = entries.iter().map(|e| (e.id, e)).collect();
        let outcomes: HashMap<i32, &rules::CreditOutcome> =
            evaluation.credits.iter().map(|o| (o.credit_id, o)).collect();
        let mut rows: Vec<(credit_entry::Model, rules::CreditOutcome)> = credits
            .iter()
            .filter(|c| (start..end).contains(&c.earned_on))
            .filter_map(|c| {
                let mut entry = (*by_id.get(&c.id)?).clone();
                // Corrections folded in, as the rules counted it.
                entry.amount = c.amount;
                Some((entry, (*outcomes.get(&c.id)?).clone()))
            })
            .collect();
        rows.sort_by_key(|(e, _)| (e.earned_on, e.seq));
        let learner = account::Entity::find_by_id(account_id)
            .one(self.db.read())
            .await?
            .map(|a| a.name)
            .unwrap_or_default();
        let previous = start.pred_opt().unwrap_or(start);
        let next = Some(end).filter(|e| *e <= today);
        Ok(Transcript { learner, standing, evaluation, rows, previous, next })
    }

    /// Evaluates a regulator's confirmed licences today (only those whose holder consented, when
    /// `consenting`; only these licence numbers, when `numbers` are given), calling `each` with
    /// the licence, its roster row and its evaluation.
    pub(super) async fn evaluate_licences(
        &self,
        regulator_id: i32,
        consenting: bool,
        numbers: Option<&[String]>,
        mut each: impl FnMut(&licence::Model, &roster_entry::Model, Evaluation),
    ) -> Result<()> {
        let today = [self.today()];
        self.evaluate_licences_on(regulator_id, consenting, numbers, &today, |licence, row, _, evaluation| {
            each(licence, row, evaluation)
        })
        .await
    }

    /// Each consenting licensee's status on each of `days`, as (roster row, index of the day,
    /// status): what aggregate insights count. Nothing is kept per licensee.
    pub async fn statuses_on(
        &self,
        regulator_id: i32,
        days: &[NaiveDate],
        mut each: impl FnMut(&roster_entry::Model, usize, Status),
    ) -> Result<()> {
        self.evaluate_licences_on(regulator_id, true, None, days, |_, row, day, evaluation| {
            each(row, day, evaluation.status)
        })
        .await
    }

    /// [`Self::evaluate_licences`] on each of `days` (the index of the day is passed to `each`).
    /// Three queries: the licences, the roster, and the holders' credit entries grouped into one
    /// row per learner by the database (only the fields the rules read), read as a stream so
    /// memory holds one learner's entries at a time.
    async fn evaluate_licences_on(
        &self,
        regulator_id: i32,
        consenting: bool,
        numbers: Option<&[String]>,
        days: &[NaiveDate],
        mut each: impl FnMut(&licence::Model, &roster_entry::Model, usize, Evaluation),
    ) -> Result<()> {
        use futures_util::TryStreamExt;
        use sea_orm::StreamTrait;
        use sea_orm::sea_query::Query;
        let db = self.db.read();
        let rules: HashMap<String, RuleSet> = self.rules(regulator_id).await?.into_iter().collect();
        if rules.is_empty() {
            return Ok(());
        }
        let mut holders = Query::select()
            .column(licence::Column::AccountId)
            .from(licence::Entity)
            .and_where(licence::Column::RegulatorId.eq(regulator_id))
            .and_where(licence::Column::Status.eq("verified"))
            .to_owned();
        if consenting {
            holders.and_where(
                licence::Column::AccountId.in_subquery(
                    Query::select()
                        .column(credit_consent::Column::AccountId)
                        .from(credit_consent::Entity)
                        .and_where(credit_consent::Column::RegulatorId.eq(regulator_id))
                        .to_owned(),
                ),
            );
        }
        if let Some(numbers) = numbers {
            holders.and_where(licence::Column::Number.is_in(numbers.iter().cloned()));
        }
        let mut licence_query = licence::Entity::find()
            .filter(licence::Column::RegulatorId.eq(regulator_id))
            .filter(licence::Column::AccountId.in_subquery(holders))
            .filter(licence::Column::Status.eq("verified"));
        let mut roster_query =
            roster_entry::Entity::find().filter(roster_entry::Column::RegulatorId.eq(regulator_id));
        if let Some(numbers) = numbers {
            licence_query = licence_query.filter(licence::Column::Number.is_in(numbers.iter().cloned()));
            roster_query = roster_query.filter(roster_entry::Column::Number.is_in(numbers.iter().cloned()));
        }
        let mut licences: HashMap<i32, Vec<licence::Model>> = HashMap::new();
        for l in licence_query.all(db).await? {
            licences.entry(l.account_id).or_default().push(l);
        }
        let roster: HashMap<String, roster_entry::Model> =
            roster_query.all(db).await?.into_iter().map(|r| (r.number.clone(), r)).collect();
        // One account's licences against its credits (corrections folded in), then forgotten.
        let mut evaluate = |licences: &mut HashMap<i32, Vec<licence::Model>>,
                            account: i32,
                            credits: &mut Vec<Credit>,
                            corrections: &mut HashMap<i32, i64>| {
            for credit in credits.iter_mut() {
                credit.amount += corrections.get(&credit.id).copied().unwrap_or(0);
            }
            for licence in licences.remove(&account).unwrap_or_default() {
                let Some(row) = roster.get(&licence.number) else { continue };
                let Some(rules) = rules.get(&row.profession) else { continue };
                for (index, day) in days.iter().enumerate() {
                    let evaluation =
                        rules::evaluate(rules, &Licence { renewal: row.renewed_on }, credits, *day);
                    each(&licence, row, index, evaluation);
                }
            }
            credits.clear();
            corrections.clear();
        };
        // Each holder's entries as one row: "id:amount:category:kind:accreditor:earned_on:corrects"
        // joined by ';' — the database does the grouping, so the driver hands over one row per
        // learner instead of one per entry. Categories and kinds are codes without ':' or ';'.
        let backend = db.get_database_backend();
        let field = |column: &str| format!("COALESCE(CAST(e.{column} AS TEXT), '')");
        let item = ["id", "amount", "category", "kind", "accreditor_id", "earned_on", "corrects_id"]
            .map(field)
            .join(" || ':' || ");
        // The rules count credits in their own order (oldest first), so the order inside a
        // learner's group does not matter.
        let aggregate = match backend {
            sea_orm::DbBackend::Postgres => format!("string_agg({item}, ';')"),
            _ => format!("group_concat({item}, ';')"),
        };
        let consent = if consenting {
            " AND l.account_id IN (SELECT c.account_id FROM credit_consent c WHERE c.regulator_id = $2)"
        } else {
            ""
        };
        let mut values: Vec<sea_orm::Value> = vec![regulator_id.into()];
        if consenting {
            values.push(regulator_id.into());
        }
        let only = match numbers {
            Some(numbers) => {
                let first = values.len() + 1;
                values.extend(numbers.iter().map(|n| sea_orm::Value::from(n.clone())));
                let places: Vec<String> = (first..values.len() + 1).map(|i| format!("${i}")).collect();
                format!(" AND l.number IN ({})", places.join(", "))
            }
            None => String::new(),
        };
        let sql = format!(
            "SELECT e.account_id AS account_id, {aggregate} AS entries FROM credit_entry e \
             WHERE e.account_id IN (SELECT l.account_id FROM licence l \
                                    WHERE l.regulator_id = $1 AND l.status = 'verified'{consent}{only}) \
             GROUP BY e.account_id"
        );
        let mut rows = db.stream_raw(statement(backend, &sql, values)).await?;
        let (mut credits, mut corrections) = (Vec::new(), HashMap::new());
        while let Some(row) = rows.try_next().await? {
            let account: i32 = row.try_get("", "account_id")?;
            let text: String = row.try_get("", "entries")?;
            for item in text.split(';') {
                let Some(entry) = parse_entry(item) else { continue };
                match entry.1 {
                    Some(target) => *corrections.entry(target).or_default() += entry.0.amount,
                    None => credits.push(entry.0),
                }
            }
            evaluate(&mut licences, account, &mut credits, &mut corrections);
        }
        drop(rows);
        // Licensees with no credits at all.
        let rest: Vec<i32> = licences.keys().copied().collect();
        for account in rest {
            evaluate(&mut licences, account, &mut Vec::new(), &mut HashMap::new());
        }
        Ok(())
    }

    /// Every confirmed licensee of a regulator who consented, evaluated by the rules for their
    /// profession.
    pub async fn licensees(&self, regulator_id: i32) -> Result<Vec<Licensee>> {
        let mut out = Vec::new();
        self.evaluate_licences(regulator_id, true, None, |_, row, evaluation| {
            out.push(Licensee {
                number: row.number.clone(),
                name: row.name.clone(),
                profession: row.profession.clone(),
                region: row.region.clone(),
                status: evaluation.status,
                counted: evaluation.counted,
                shortfall: evaluation.shortfall,
            });
        })
        .await?;
        out.sort_by(|a, b| a.name.cmp(&b.name).then(a.number.cmp(&b.number)));
        Ok(out)
    }

    /// Tells each licensee short of credits, in their language, when their cycle ends within 90,
    /// 30 and then 7 days — each once per cycle (a row per licence, cycle and threshold, written
    /// with the email). Their own standing, so consent is not needed.
    pub async fn send_cycle_reminders(&self, base_url: &str) -> Result<usize> {
        const THRESHOLDS: [i64; 3] = [7, 30, 90];
        let regulators = organisation::Entity::find()
            .filter(organisation::Column::Kind.eq("regulator"))
            .all(self.db.read())
            .await?;
        let today = self.today();
        let mut due = Vec::new();
        for regulator in &regulators {
            self.evaluate_licences(regulator.id, false, None, |licence, _, evaluation| {
                let days_left = (evaluation.last_day() - today).num_days();
                let short = !matches!(evaluation.status, Status::Compliant);
                if let Some(threshold) = THRESHOLDS.iter().find(|t| short && (0..=**t).contains(&days_left)) {
                    due.push((licence.clone(), regulator.name.clone(), *threshold, evaluation));
                }
            })
            .await?;
        }
        let mut sent = 0;
        for (licence, regulator, threshold, evaluation) in due {
            let txn = self.db.begin().await?;
            let row = credit_reminder::ActiveModel {
                licence_id: Set(licence.id),
                cycle_end: Set(evaluation.last_day()),
                days_before: Set(i32::try_from(threshold).unwrap_or(0)),
                sent_at: Set(self.clock.now()),
                ..Default::default()
            };
            let on_conflict = OnConflict::columns([
                credit_reminder::Column::LicenceId,
                credit_reminder::Column::CycleEnd,
                credit_reminder::Column::DaysBefore,
            ])
            .do_nothing()
            .to_owned();
            let inserted = credit_reminder::Entity::insert(row)
                .on_conflict(on_conflict)
                .exec_without_returning(&txn)
                .await?;
            if inserted == 0 {
                continue;
            }
            let Some(learner) = account::Entity::find_by_id(licence.account_id).one(&txn).await? else {
                continue;
            };
            let email = super::emails::short_of_credits(
                &learner,
                &regulator,
                &evaluation,
                &format!("{base_url}/me/credits"),
            );
            crate::platform::mail::enqueue(&txn, &self.clock, email).await?;
            txn.commit().await?;
            sent += 1;
        }
        Ok(sent)
    }
}

impl Compliance {
    /// Sends each regulator's officers, once a month, the counts of their consenting licensees
    /// by status (a row per regulator and month, written with the emails, so each goes once).
    /// The month summarised is the one that just ended.
    pub async fn send_monthly_summaries(&self, base_url: &str) -> Result<usize> {
        use crate::accounts::entity::membership;
        let today = self.today();
        let Some(month) = today.with_day(1).and_then(|d| d.checked_sub_months(chrono::Months::new(1))) else {
            return Ok(0);
        };
        let regulators = organisation::Entity::find()
            .filter(organisation::Column::Kind.eq("regulator"))
            .all(self.db.read())
            .await?;
        let mut sent = 0;
        for regulator in regulators {
            let done = compliance_summary::Entity::find()
                .filter(compliance_summary::Column::RegulatorId.eq(regulator.id))
                .filter(compliance_summary::Column::Month.eq(month))
                .one(self.db.read())
                .await?;
            if done.is_some() {
                continue;
            }
            let mut counts = [
                (Status::Compliant, 0),
                (Status::OnTrack, 0),
                (Status::AtRisk, 0),
                (Status::NonCompliant, 0),
            ];
            self.evaluate_licences(regulator.id, true, None, |_, _, evaluation| {
                if let Some((_, n)) = counts.iter_mut().find(|(s, _)| *s == evaluation.status) {
                    *n += 1;
                }
            })
            .await?;
            let txn = self.db.begin().await?;
            let row = compliance_summary::ActiveModel {
                regulator_id: Set(regulator.id),
                month: Set(month),
                sent_at: Set(self.clock.now()),
                ..Default::default()
            };
            let on_conflict = OnConflict::columns([
                compliance_summary::Column::RegulatorId,
                compliance_summary::Column::Month,
            ])
            .do_nothing()
            .to_owned();
            if compliance_summary::Entity::insert(row)
                .on_conflict(on_conflict)
                .exec_without_returning(&txn)
                .await?
                == 0
            {
                continue;
            }
            let officers = account::Entity::find()
                .filter(
                    account::Column::Id.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(membership::Column::AccountId)
                            .from(membership::Entity)
                            .and_where(membership::Column::OrganisationId.eq(regulator.id))
                            .and_where(membership::Column::Role.eq("officer"))
                            .to_owned(),
                    ),
                )
                .filter(account::Column::DisabledAt.is_null())
                .all(&txn)
                .await?;
            let url = format!("{base_url}/orgs/{}/compliance", regulator.slug);
            for officer in &officers {
                let email = super::emails::monthly_summary(officer, &regulator.name, month, &counts, &url);
                crate::platform::mail::enqueue(&txn, &self.clock, email).await?;
                sent += 1;
            }
            txn.commit().await?;
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_is_refused_with_every_rows_problem() {
        let file = "licence_number,name,profession,renewed_on,region\n\
                    KE-1,Amina Otieno,midwife,2026-01-15,Turkana\n\
                    KE-2,Juma,surgeon,2026-01-15,Kisumu\n\
                    KE-1,Grace Wanjiru,nurse,2026-02-01,Nakuru\n\
                    KE-4,Baraka,nurse,15/01/2026,Kisumu\n\
                    KE-5,Too few\n";
        let problems = parse_roster(file.as_bytes()).unwrap_err();
        let lines: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines[0].0 == 3 && lines[0].1.starts_with("unknown profession \"surgeon\""));
        assert_eq!(lines[1], (4, "licence number KE-1 is also on line 2"));
        assert!(lines[2].0 == 5 && lines[2].1.contains("not a date"));
        assert_eq!(lines[3], (6, "2 columns, expected 5"));
    }

    #[test]
    fn wrong_columns_and_bad_bytes_are_named() {
        let problems = parse_roster(b"number,name\nKE-1,Amina\n").unwrap_err();
        assert_eq!(problems[0].line, 1);
        assert!(problems[0].message.starts_with("the columns must be licence_number,name,profession"));
        let mut latin1 = b"licence_number,name,profession,renewed_on,region\nKE-1,Ren".to_vec();
        latin1.extend_from_slice(&[0xE9, b'e']);
        latin1.extend_from_slice(b",nurse,2026-01-01,Kisumu\n");
        let problems = parse_roster(&latin1).unwrap_err();
        assert_eq!(
            (problems[0].line, problems[0].message.as_str()),
            (2, "not UTF-8 text: save the file as CSV UTF-8")
        );
        let ok = parse_roster(
            "\u{feff}licence_number,name,profession,renewed_on,region\r\nKE-1,Amina,midwife,2026-01-15,\r\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!((ok[0].number.as_str(), ok[0].region.as_str()), ("KE-1", ""));
    }

    #[test]
    fn entries_are_read_from_the_databases_aggregate() {
        let (credit, corrects) = parse_entry("12:250:ethics:workshop:3:2026-05-01:").unwrap();
        assert_eq!(
            (credit.id, credit.amount, credit.category.as_str(), credit.kind.as_str()),
            (12, 250, "ethics", "workshop")
        );
        assert_eq!(
            (credit.accreditor, credit.earned_on.to_string(), corrects),
            (Some(3), "2026-05-01".into(), None)
        );
        let (correction, corrects) = parse_entry("13:-50:ethics:correction::2026-05-02:12").unwrap();
        assert_eq!((correction.amount, correction.accreditor, corrects), (-50, None, Some(12)));
        assert_eq!(parse_entry("garbage"), None);
    }

    #[test]
    fn names_match_without_case_accents_or_middle_names() {
        assert!(names_match("OTIENO Amina", "Amina Achieng Otieno"));
        assert!(names_match("Rénée Mbeki", "renee mbeki"));
        assert!(!names_match("Amina Otieno", "Grace Otieno"));
        assert!(!names_match("", "Amina"));
    }
}
