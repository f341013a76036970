//! Regulators' audits. An officer draws a sample of N % of the licensees whose credits they may
//! see (confirmed licence, consent given, rules for the profession), reviews each sampled
//! licensee's entries and evidence in one view, and records an outcome with a note.
//!
//! THE SAMPLE IS REPRODUCIBLE: each licence is ranked by SHA-256(seed ‖ ":" ‖ licence number)
//! and the lowest ⌈population × N %⌉ are taken. Anyone holding the seed and the list of licence
//! numbers can recompute the sample and see that no one was picked or spared by hand; the order
//! in which the database returns licences does not matter.

use super::compliance::{Compliance, credits_of};
use super::entity::{
    audit_case, certificate, cpd_rule, credit_audit, credit_entry, outside_activity, roster_entry,
};
use super::rules::{self, Evaluation, Licence, RuleSet};
use super::service::CreditsError;
use crate::accounts::entity::{account, licence};
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

type Result<T, E = CreditsError> = std::result::Result<T, E>;

fn invalid(field: &'static str, message: impl Into<String>) -> CreditsError {
    CreditsError::Invalid { field, message: message.into() }
}

/// What an officer may conclude about a sampled licensee.
pub const OUTCOMES: [&str; 3] = ["satisfactory", "follow_up", "unsatisfactory"];

/// The outcome of a case not yet reviewed.
pub const PENDING: &str = "pending";

/// The rank of a licence in the sample drawn with `seed` (lower is drawn first).
pub fn rank(seed: &str, number: &str) -> [u8; 32] {
    Sha256::digest(format!("{seed}:{number}").as_bytes()).into()
}

/// How many of `population` a sample of `per_ten_thousand` / 10,000 takes: rounded up, so a
/// sample of a non-empty population is never empty.
pub fn sample_size(population: usize, per_ten_thousand: u32) -> usize {
    (population * per_ten_thousand as usize).div_ceil(10_000).min(population)
}

/// The sample: the licences (id, number) of lowest rank.
pub fn draw(seed: &str, per_ten_thousand: u32, mut population: Vec<(i32, String)>) -> Vec<(i32, String)> {
    let size = sample_size(population.len(), per_ten_thousand);
    population.sort_by_cached_key(|(_, number)| rank(seed, number));
    population.truncate(size);
    population
}

/// "5" or "2.5" (per cent) → hundredths of a per cent.
pub fn parse_percent(text: &str) -> Option<u32> {
    let hundredths = super::service::parse_credits(text)?;
    u32::try_from(hundredths).ok().filter(|p| (1..=10_000).contains(p))
}

/// An audit with its progress.
#[derive(Clone, Debug)]
pub struct AuditView {
    pub audit: credit_audit::Model,
    pub cases: usize,
    pub decided: usize,
}

/// One line of an audit's list of cases.
#[derive(Clone, Debug)]
pub struct CaseLine {
    pub case: audit_case::Model,
    pub number: String,
    pub name: String,
    pub profession: String,
    pub region: String,
}

/// Everything an officer reviews for one sampled licensee.
#[derive(Clone, Debug)]
pub struct CaseFile {
    pub audit: credit_audit::Model,
    pub line: CaseLine,
    pub evaluation: Option<Evaluation>,
    pub entries: Vec<credit_entry::Model>,
    pub activities: Vec<outside_activity::Model>,
    pub certificates: Vec<certificate::Model>,
}

impl Compliance {
    /// Draws an audit's sample and records its cases, all or nothing. An empty seed gets a
    /// random one, kept with the audit.
    pub async fn start_audit(
        &self,
        regulator_id: i32,
        officer: i32,
        title: &str,
        as_of: Option<NaiveDate>,
        percent: &str,
        seed: &str,
    ) -> Result<i32> {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 120 {
            return Err(invalid("title", "name the audit (at most 120 characters)"));
        }
        let as_of = as_of.ok_or_else(|| invalid("as_of", "give the date as YYYY-MM-DD"))?;
        let per_ten_thousand =
            parse_percent(percent).ok_or_else(|| invalid("percent", "give a share from 0.01 to 100 (%)"))?;
        let seed = match seed.trim() {
            "" => crate::platform::tokens::new_token().chars().take(12).collect(),
            seed if seed.chars().count() > 64 => return Err(invalid("seed", "at most 64 characters")),
            seed => seed.to_owned(),
        };
        let mut population = Vec::new();
        self.evaluate_licences(regulator_id, true, None, |licence, _, _| {
            population.push((licence.id, licence.number.clone()));
        })
        .await?;
        if population.is_empty() {
            return Err(invalid(
                "percent",
                "no licensee shares their credits with you yet: there is no one to sample",
            ));
        }
        let count = population.len();
        let sample = draw(&seed, per_ten_thousand, population);
        let now = self.clock().now();
        let txn = self.db().begin().await?;
        let audit = credit_audit::ActiveModel {
            regulator_id: Set(regulator_id),
            title: Set(title.to_owned()),
            as_of: Set(as_of),
            per_ten_thousand: Set(i32::try_from(per_ten_thousand).unwrap_or(10_000)),
            seed: Set(seed),
            population: Set(i32::try_from(count).unwrap_or(i32::MAX)),
            created_by: Set(Some(officer)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for chunk in sample.chunks(500) {
            audit_case::Entity::insert_many(chunk.iter().map(|(licence_id, _)| audit_case::ActiveModel {
                audit_id: Set(audit.id),
                licence_id: Set(*licence_id),
                outcome: Set(PENDING.into()),
                note: Set(String::new()),
                decided_by: Set(None),
                decided_at: Set(None),
                ..Default::default()
            }))
            .exec_without_returning(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(audit.id)
    }

    /// A regulator's audits, newest first, with how many cases are decided.
    pub async fn audits(&self, regulator_id: i32) -> Result<Vec<AuditView>> {
        let db = self.db().read();
        let audits = credit_audit::Entity::find()
            .filter(credit_audit::Column::RegulatorId.eq(regulator_id))
            .order_by_desc(credit_audit::Column::Id)
            .all(db)
            .await?;
        let cases = audit_case::Entity::find()
            .filter(audit_case::Column::AuditId.is_in(audits.iter().map(|a| a.id)))
            .all(db)
            .await?;
        Ok(audits
            .into_iter()
            .map(|audit| {
                let own = cases.iter().filter(|c| c.audit_id == audit.id);
                let (cases, decided) =
                    own.fold((0, 0), |(n, d), c| (n + 1, d + usize::from(c.outcome != PENDING)));
                AuditView { audit, cases, decided }
            })
            .collect())
    }

    async fn own_audit(&self, regulator_id: i32, audit_id: i32) -> Result<credit_audit::Model> {
        credit_audit::Entity::find_by_id(audit_id)
            .one(self.db().read())
            .await?
            .filter(|a| a.regulator_id == regulator_id)
            .ok_or(CreditsError::NotFound)
    }

    /// An audit's cases with the roster's names, in licence-number order.
    pub async fn audit(
        &self,
        regulator_id: i32,
        audit_id: i32,
    ) -> Result<(credit_audit::Model, Vec<CaseLine>)> {
        let db = self.db().read();
        let audit = self.own_audit(regulator_id, audit_id).await?;
        let cases =
            audit_case::Entity::find().filter(audit_case::Column::AuditId.eq(audit.id)).all(db).await?;
        let licences: HashMap<i32, licence::Model> = licence::Entity::find()
            .filter(licence::Column::Id.is_in(cases.iter().map(|c| c.licence_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, l))
            .collect();
        let roster: HashMap<String, roster_entry::Model> = roster_entry::Entity::find()
            .filter(roster_entry::Column::RegulatorId.eq(regulator_id))
            .filter(roster_entry::Column::Number.is_in(licences.values().map(|l| l.number.clone())))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.number.clone(), r))
            .collect();
        let mut lines: Vec<CaseLine> = cases
            .into_iter()
            .map(|case| {
                let number = licences.get(&case.licence_id).map(|l| l.number.clone()).unwrap_or_default();
                let row = roster.get(&number);
                CaseLine {
                    name: row.map(|r| r.name.clone()).unwrap_or_default(),
                    profession: row.map(|r| r.profession.clone()).unwrap_or_default(),
                    region: row.map(|r| r.region.clone()).unwrap_or_default(),
                    number,
                    case,
                }
            })
            .collect();
        lines.sort_by(|a, b| a.number.cmp(&b.number));
        Ok((audit, lines))
    }

    /// One sampled licensee's file: their standing in the audited cycle, every ledger entry, the
    /// outside activities with their evidence, and the certificates. Only while the licensee
    /// still shares their credits with the regulator (else not found).
    pub async fn case_file(&self, regulator_id: i32, audit_id: i32, case_id: i32) -> Result<CaseFile> {
        let db = self.db().read();
        let (audit, lines) = self.audit(regulator_id, audit_id).await?;
        let line = lines.into_iter().find(|l| l.case.id == case_id).ok_or(CreditsError::NotFound)?;
        let licence =
            licence::Entity::find_by_id(line.case.licence_id).one(db).await?.ok_or(CreditsError::NotFound)?;
        let consented = super::entity::credit_consent::Entity::find()
            .filter(super::entity::credit_consent::Column::AccountId.eq(licence.account_id))
            .filter(super::entity::credit_consent::Column::RegulatorId.eq(regulator_id))
            .one(db)
            .await?
            .is_some();
        let holder = account::Entity::find_by_id(licence.account_id).one(db).await?;
        if !consented || holder.is_none() {
            return Err(CreditsError::NotFound);
        }
        let entries = credit_entry::Entity::find()
            .filter(credit_entry::Column::AccountId.eq(licence.account_id))
            .order_by_asc(credit_entry::Column::Seq)
            .all(db)
            .await?;
        let activities = outside_activity::Entity::find()
            .filter(outside_activity::Column::AccountId.eq(licence.account_id))
            .order_by_desc(outside_activity::Column::HeldOn)
            .all(db)
            .await?;
        let certificates = certificate::Entity::find()
            .filter(certificate::Column::AccountId.eq(licence.account_id))
            .order_by_desc(certificate::Column::Id)
            .all(db)
            .await?;
        let roster = roster_entry::Entity::find()
            .filter(roster_entry::Column::RegulatorId.eq(regulator_id))
            .filter(roster_entry::Column::Number.eq(&licence.number))
            .one(db)
            .await?;
        let evaluation = match roster {
            Some(row) => cpd_rule::Entity::find()
                .filter(cpd_rule::Column::RegulatorId.eq(regulator_id))
                .filter(cpd_rule::Column::Profession.eq(&row.profession))
                .one(db)
                .await?
                .and_then(|r| serde_json::from_str::<RuleSet>(&r.rules).ok())
                .map(|rules| {
                    rules::evaluate(
                        &rules,
                        &Licence { renewal: row.renewed_on },
                        &credits_of(&entries),
                        audit.as_of,
                    )
                }),
            None => None,
        };
        Ok(CaseFile { audit, line, evaluation, entries, activities, certificates })
    }

    /// Records the officer's outcome for a case; anything but satisfactory needs a note.
    pub async fn decide_case(
        &self,
        regulator_id: i32,
        audit_id: i32,
        case_id: i32,
        officer: i32,
        outcome: &str,
        note: &str,
    ) -> Result<()> {
        self.own_audit(regulator_id, audit_id).await?;
        let case = audit_case::Entity::find_by_id(case_id)
            .one(self.db().write())
            .await?
            .filter(|c| c.audit_id == audit_id)
            .ok_or(CreditsError::NotFound)?;
        if !OUTCOMES.contains(&outcome) {
            return Err(invalid("outcome", "choose an outcome"));
        }
        let note = note.trim();
        if outcome != "satisfactory" && note.is_empty() {
            return Err(invalid("note", "say what was found and what the licensee must do"));
        }
        let mut update: audit_case::ActiveModel = case.into();
        update.outcome = Set(outcome.to_owned());
        update.note = Set(note.chars().take(4_000).collect());
        update.decided_by = Set(Some(officer));
        update.decided_at = Set(Some(self.clock().now()));
        update.update(self.db().write()).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn population(n: i32) -> Vec<(i32, String)> {
        (1..=n).map(|i| (i, format!("KE-{i:05}"))).collect()
    }

    #[test]
    fn the_same_seed_draws_the_same_sample_whatever_the_order() {
        let forward = draw("audit-2026", 500, population(1000));
        let mut reversed = population(1000);
        reversed.reverse();
        assert_eq!(forward, draw("audit-2026", 500, reversed));
        assert_eq!(forward.len(), 50);
        assert_ne!(forward, draw("audit-2027", 500, population(1000)), "another seed, another sample");
    }

    #[test]
    fn a_sample_can_be_recomputed_from_the_seed_and_the_numbers_alone() {
        let sample = draw("s", 1000, population(200));
        let mut ranked: Vec<([u8; 32], String)> =
            population(200).into_iter().map(|(_, n)| (rank("s", &n), n)).collect();
        ranked.sort();
        let expected: Vec<String> = ranked.into_iter().take(20).map(|(_, n)| n).collect();
        assert_eq!(sample.into_iter().map(|(_, n)| n).collect::<Vec<_>>(), expected);
    }

    #[test]
    fn sizes_round_up_and_percentages_are_checked() {
        assert_eq!(sample_size(0, 500), 0);
        assert_eq!(sample_size(1, 1), 1);
        assert_eq!(sample_size(101, 1000), 11);
        assert_eq!(sample_size(10, 10_000), 10);
        assert_eq!(parse_percent("5"), Some(500));
        assert_eq!(parse_percent("2.5"), Some(250));
        assert_eq!(parse_percent("0"), None);
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("five"), None);
    }
}
