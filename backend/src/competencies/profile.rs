//! The profile rule: from a learner's evidence, the level they hold in each competency and the
//! evidence that sets it. Free of I/O, so that it can be read, tested and explained alone.
//!
//! 1. **Evidence counts until it expires.** Each item lasts the framework's validity (for
//!    example 36 months) from the day it happened; expired evidence is still listed, but
//!    counts for nothing.
//! 2. **Self-assessment never sets a level.** It is the learner's own view, shown beside the
//!    level held so that the two can be compared; only a course, a quiz or an observation of
//!    practice sets a level.
//! 3. **The level held is the highest level that counting evidence shows.** Evidence combines
//!    by this rule alone, so order does not matter: a later course at a lower level does not
//!    lower what an earlier one showed, and two courses at level 2 do not make level 3.
//! 4. **The evidence that sets it** is, among the counting evidence at that level, the one that
//!    lasts longest; the level is held until that evidence expires (`lapses_at`), after which
//!    the next rule applies to what is left.
//!
//! Which evidence an item is, and at what level, is decided where it is recorded: a completed
//! course evidences each competency its version or its lessons are tagged with, at the highest
//! tagged level; a quiz attempt evidences a competency when the learner answered at least the
//! quiz's pass mark of the questions tagged with it correctly; an observation of practice
//! evidences its competency at the level the observer rated, once the learner has co-signed it.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// What produced a piece of evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EvidenceKind {
    Course,
    Quiz,
    Observation,
    SelfAssessment,
}

impl EvidenceKind {
    pub const ALL: [Self; 4] = [Self::Course, Self::Quiz, Self::Observation, Self::SelfAssessment];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Course => "course",
            Self::Quiz => "quiz",
            Self::Observation => "observation",
            Self::SelfAssessment => "self",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether this kind can set the level held (rule 2).
    pub fn sets_level(self) -> bool {
        self != Self::SelfAssessment
    }
}

/// One piece of evidence as the rule reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub id: i32,
    pub code: String,
    pub level: u32,
    pub kind: EvidenceKind,
    /// Human words for what produced it.
    pub source: String,
    pub occurred_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Whether a file (a scan, a photo) came with it.
    pub has_file: bool,
}

impl Evidence {
    pub fn counts_at(&self, now: DateTime<Utc>) -> bool {
        self.kind.sets_level() && now < self.expires_at
    }
}

/// What the rule concludes for one competency.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holding {
    /// 0: not held.
    pub level: u32,
    /// The evidence that sets the level (rule 4).
    pub set_by: Option<Evidence>,
    /// When the level stops being held as things stand: `set_by`'s expiry.
    pub lapses_at: Option<DateTime<Utc>>,
    /// The learner's latest self-assessment that has not expired.
    pub self_rated: Option<u32>,
    /// All evidence for the competency, newest first, expired included.
    pub evidence: Vec<Evidence>,
}

/// Applies the rule to every competency that has evidence.
pub fn holdings(
    evidence: impl IntoIterator<Item = Evidence>,
    now: DateTime<Utc>,
) -> BTreeMap<String, Holding> {
    let mut by_code: BTreeMap<String, Holding> = BTreeMap::new();
    for item in evidence {
        by_code.entry(item.code.clone()).or_default().evidence.push(item);
    }
    for holding in by_code.values_mut() {
        holding.evidence.sort_by(|a, b| b.occurred_at.cmp(&a.occurred_at).then(b.id.cmp(&a.id)));
        holding.set_by = holding
            .evidence
            .iter()
            .filter(|e| e.counts_at(now))
            .max_by(|a, b| a.level.cmp(&b.level).then(a.expires_at.cmp(&b.expires_at)).then(a.id.cmp(&b.id)))
            .cloned();
        holding.level = holding.set_by.as_ref().map_or(0, |e| e.level);
        holding.lapses_at = holding.set_by.as_ref().map(|e| e.expires_at);
        holding.self_rated = holding
            .evidence
            .iter()
            .find(|e| e.kind == EvidenceKind::SelfAssessment && now < e.expires_at)
            .map(|e| e.level);
    }
    by_code
}

/// Whether a quiz attempt evidences each competency its questions are tagged with: the share of
/// that competency's questions answered right must reach the pass mark. Returns (code, level)
/// for those it evidences, at the highest level its questions are tagged.
pub fn quiz_evidence(questions: &[(Vec<(String, u32)>, bool)], pass_mark: u32) -> Vec<(String, u32)> {
    let mut tally: BTreeMap<&str, (u32, u32, u32)> = BTreeMap::new(); // right, asked, level
    for (tags, right) in questions {
        for (code, level) in tags {
            let entry = tally.entry(code.as_str()).or_insert((0, 0, 0));
            entry.0 += u32::from(*right);
            entry.1 += 1;
            entry.2 = entry.2.max(*level);
        }
    }
    tally
        .into_iter()
        .filter(|(_, (right, asked, _))| *asked > 0 && right * 100 >= pass_mark * asked)
        .map(|(code, (_, _, level))| (code.to_owned(), level))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(day: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default() + Duration::days(day)
    }

    fn evidence(id: i32, level: u32, kind: EvidenceKind, day: i64) -> Evidence {
        Evidence {
            has_file: false,
            id,
            code: "MAT.1".into(),
            level,
            kind,
            source: format!("source {id}"),
            occurred_at: at(day),
            expires_at: at(day + 1_095),
        }
    }

    #[test]
    fn the_highest_counting_level_holds_whatever_came_last() {
        let items = vec![
            evidence(1, 2, EvidenceKind::Course, 0),
            evidence(2, 1, EvidenceKind::Course, 100), // later, lower: does not lower the level
            evidence(3, 4, EvidenceKind::SelfAssessment, 200), // never sets a level
        ];
        let held = &holdings(items.clone(), at(300))["MAT.1"];
        assert_eq!((held.level, held.set_by.as_ref().map(|e| e.id)), (2, Some(1)));
        assert_eq!(held.self_rated, Some(4));
        assert_eq!(held.evidence.iter().map(|e| e.id).collect::<Vec<_>>(), [3, 2, 1]);
        // The same evidence in another order gives the same answer.
        let reversed: Vec<_> = items.into_iter().rev().collect();
        assert_eq!(holdings(reversed, at(300))["MAT.1"].level, 2);
    }

    #[test]
    fn a_level_lasts_while_its_longest_lasting_evidence_does() {
        let items = vec![
            evidence(1, 3, EvidenceKind::Observation, 0),
            evidence(2, 3, EvidenceKind::Observation, 400),
            evidence(3, 2, EvidenceKind::Course, 900),
        ];
        let held = &holdings(items.clone(), at(1_000))["MAT.1"];
        assert_eq!((held.level, held.lapses_at), (3, Some(at(1_495))));
        // After both observations lapse, the course's level 2 is what is left.
        assert_eq!(holdings(items.clone(), at(1_500))["MAT.1"].level, 2);
        assert_eq!(holdings(items, at(2_000))["MAT.1"].level, 0);
    }

    #[test]
    fn quiz_evidence_needs_the_pass_mark_on_the_competencys_own_questions() {
        let tag = |code: &str, level| vec![(code.to_owned(), level)];
        let questions = vec![
            (tag("MAT.1", 2), true),
            (tag("MAT.1", 1), true),
            (tag("MAT.1", 2), false), // 2 of 3 right: 67%
            (tag("MAT.2", 2), false),
            (vec![], true),
        ];
        assert_eq!(quiz_evidence(&questions, 60), [("MAT.1".to_owned(), 2)]);
        assert!(quiz_evidence(&questions, 70).is_empty());
    }
}
