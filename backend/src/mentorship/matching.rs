//! Who may mentor whom, and how well: the hard constraints and the score of a pair, with the
//! reasons a person reads. Pure functions; the service gathers the people, the
//! [`solver`](super::solver) chooses the pairs.
//!
//! **Hard constraints** (no edge at all when one fails): a language both speak; not the same
//! person; not a pair that already exists or was declined; the mentee's preferences (same
//! profession, same country) and a way to meet — in person (the mentor meets in person, same
//! country and region) or remotely (the mentor mentors remotely and the mentee accepts it); and
//! the mentor covers at least one wanted competency at the level sought. Both being opted in,
//! programme eligibility and capacity are the service's and the solver's.
//!
//! **Score** (weights in `[mentoring]` of the configuration): for each wanted competency, the
//! verified weight if the mentor offers it at the level sought and their profile holds it, the
//! offered weight if offered at that level, the partial weight if offered lower; plus the
//! profession weight if the mentor mentors the mentee's profession; plus the time-zone weight,
//! in full in person or in the same zone, falling linearly to nothing at 12 hours apart; then
//! the rural priority adds a percentage for mentees working in a rural setting.

use crate::config::MentoringConfig;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A mentor as matching sees them.
#[derive(Clone, Debug, Default)]
pub struct Mentor {
    pub account_id: i32,
    pub profession: String,
    pub professions: Vec<String>,
    pub languages: Vec<String>,
    pub country: String,
    pub region: String,
    pub utc_offset_minutes: i32,
    pub remote: bool,
    pub in_person: bool,
    /// Places left.
    pub capacity: u32,
    /// Code → (level offered, held at that level on their profile).
    pub offers: HashMap<String, (u32, bool)>,
}

/// A mentee's request as matching sees it.
#[derive(Clone, Debug, Default)]
pub struct Mentee {
    pub request_id: i32,
    pub account_id: i32,
    pub profession: String,
    pub languages: Vec<String>,
    pub country: String,
    pub region: String,
    pub rural: bool,
    pub utc_offset_minutes: i32,
    /// (code, level sought)
    pub wanted: Vec<(String, u32)>,
    pub same_profession: bool,
    pub same_country: bool,
    pub remote_ok: bool,
    /// Mentors this mentee is or was paired with (or declined).
    pub excluded: HashSet<i32>,
}

/// Why a pair scored as it did, strongest first; shown in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Covers { covered: u32, wanted: u32, verified: u32 },
    Language { language: String },
    Profession { profession: String },
    InPerson { region: String },
    TimeDifference { hours: u32 },
    Rural,
}

/// A pair's points and reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    pub score: i64,
    pub reasons: Vec<Reason>,
}

/// The score of `mentor` for `mentee`, or `None` when a hard constraint rules the pair out.
pub fn score(mentee: &Mentee, mentor: &Mentor, weights: &MentoringConfig) -> Option<Scored> {
    if mentee.account_id == mentor.account_id || mentee.excluded.contains(&mentor.account_id) {
        return None;
    }
    let language = mentee.languages.iter().find(|l| mentor.languages.contains(l))?;
    if mentee.same_profession && mentee.profession != mentor.profession {
        return None;
    }
    if mentee.same_country && mentee.country != mentor.country {
        return None;
    }
    let nearby = !mentee.country.is_empty()
        && mentee.country == mentor.country
        && !mentee.region.is_empty()
        && mentee.region == mentor.region;
    let in_person = mentor.in_person && nearby;
    let remote = mentor.remote && mentee.remote_ok;
    if !in_person && !remote {
        return None;
    }
    let (mut covered, mut verified, mut points) = (0_u32, 0_u32, 0_i64);
    for (code, level) in &mentee.wanted {
        match mentor.offers.get(code) {
            Some(&(offered, held)) if offered >= *level => {
                covered += 1;
                if held {
                    verified += 1;
                    points += weights.verified_competency;
                } else {
                    points += weights.offered_competency;
                }
            }
            Some(_) => points += weights.partial_competency,
            None => {}
        }
    }
    if covered == 0 {
        return None;
    }
    let wanted = u32::try_from(mentee.wanted.len()).unwrap_or(u32::MAX);
    let mut reasons = vec![Reason::Covers { covered, wanted, verified }];
    reasons.push(Reason::Language { language: language.clone() });
    if !mentee.profession.is_empty() && mentor.professions.contains(&mentee.profession) {
        points += weights.profession;
        reasons.push(Reason::Profession { profession: mentee.profession.clone() });
    }
    let hours = (mentee.utc_offset_minutes - mentor.utc_offset_minutes).unsigned_abs() / 60;
    if in_person {
        points += weights.time_zone;
        reasons.push(Reason::InPerson { region: mentor.region.clone() });
    } else {
        points += weights.time_zone * i64::from(12 - hours.min(12)) / 12;
        reasons.push(Reason::TimeDifference { hours });
    }
    if mentee.rural {
        points += points * weights.rural_priority_percent / 100;
        reasons.push(Reason::Rural);
    }
    Some(Scored { score: points.max(1), reasons })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentor() -> Mentor {
        Mentor {
            account_id: 1,
            profession: "midwife".into(),
            professions: vec!["midwife".into()],
            languages: vec!["sw".into(), "en".into()],
            country: "KE".into(),
            region: "Kisumu".into(),
            utc_offset_minutes: 180,
            remote: true,
            in_person: false,
            capacity: 2,
            offers: HashMap::from([
                ("IPC.1".to_owned(), (3, true)),
                ("MAT.1".to_owned(), (3, false)),
                ("MAT.2".to_owned(), (1, false)),
            ]),
        }
    }

    fn mentee() -> Mentee {
        Mentee {
            request_id: 7,
            account_id: 2,
            profession: "midwife".into(),
            languages: vec!["sw".into()],
            country: "KE".into(),
            region: "Turkana".into(),
            rural: false,
            utc_offset_minutes: 180,
            wanted: vec![("IPC.1".into(), 3), ("MAT.1".into(), 2), ("MAT.2".into(), 3), ("LEA.1".into(), 2)],
            same_profession: false,
            same_country: false,
            remote_ok: true,
            excluded: HashSet::new(),
        }
    }

    #[test]
    fn a_pair_scores_by_coverage_profession_and_hours_in_common_with_its_reasons() {
        let weights = MentoringConfig::default();
        let scored = score(&mentee(), &mentor(), &weights).unwrap();
        // 30 (IPC.1 verified) + 20 (MAT.1 offered) + 5 (MAT.2 below) + 15 (midwives) + 10 (same zone)
        assert_eq!(scored.score, 80);
        assert_eq!(
            scored.reasons,
            vec![
                Reason::Covers { covered: 2, wanted: 4, verified: 1 },
                Reason::Language { language: "sw".into() },
                Reason::Profession { profession: "midwife".into() },
                Reason::TimeDifference { hours: 0 },
            ]
        );
        let far = Mentee { utc_offset_minutes: 180 - 6 * 60, rural: true, ..mentee() };
        // 75 with half the time-zone points, then a quarter more for a rural mentee.
        assert_eq!(score(&far, &mentor(), &weights).unwrap().score, 75 + 75 / 4);
    }

    #[test]
    fn hard_constraints_rule_a_pair_out() {
        let weights = MentoringConfig::default();
        let cases: Vec<(&str, Mentee, Mentor)> = vec![
            ("no shared language", Mentee { languages: vec!["fr".into()], ..mentee() }, mentor()),
            ("oneself", Mentee { account_id: 1, ..mentee() }, mentor()),
            ("an existing pair", Mentee { excluded: HashSet::from([1]), ..mentee() }, mentor()),
            (
                "not the same profession",
                Mentee { profession: "nurse".into(), same_profession: true, ..mentee() },
                mentor(),
            ),
            (
                "not the same country",
                Mentee { country: "UG".into(), same_country: true, ..mentee() },
                mentor(),
            ),
            ("no way to meet", Mentee { remote_ok: false, ..mentee() }, mentor()),
            ("nothing wanted covered", Mentee { wanted: vec![("MAT.2".into(), 3)], ..mentee() }, mentor()),
        ];
        for (case, mentee, mentor) in cases {
            assert_eq!(score(&mentee, &mentor, &weights), None, "{case}");
        }
        // In person works without remote when they share a region.
        let near = Mentee { remote_ok: false, region: "Kisumu".into(), ..mentee() };
        let meets = Mentor { in_person: true, remote: false, ..mentor() };
        let scored = score(&near, &meets, &weights).unwrap();
        assert!(scored.reasons.contains(&Reason::InPerson { region: "Kisumu".into() }));
    }
}
