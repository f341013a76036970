//! The CPD rules engine: a regulator's rules for a profession, applied to one licensee's credit
//! entries, with the result explained as structured items the interface translates. Pure: no
//! database, no clock, no I/O; the service loads the rules and credits and passes `today`.
//!
//! 1. **The cycle.** Cycles last `cycle_years` (0 is read as 1) and tile time without gaps:
//!    [`CycleAnchor::FromRenewal`] starts them on the licence's renewal date and every
//!    `cycle_years` after it; [`CycleAnchor::Fixed`] starts them on a calendar day (1 January),
//!    phased so that one starts on the last such day on or before the renewal date (this only
//!    matters for cycles longer than a year). A date that a month lacks becomes that month's last
//!    day, each time computed from the anchor itself: a licence renewed on 29 February 2024 has
//!    cycles from 28 February 2025, 28 February 2026 … and 29 February 2028 again.
//! 2. **Which credits count.** A credit counts when earned within the cycle, on or after its
//!    first day and before its end (`[start, end)`), and not after the day of evaluation; when
//!    its accreditor is accepted (`accepted_accreditors`: `None` accepts all, unaccredited
//!    entries included); and, under `rolling_validity_months`, while it is younger than that:
//!    a credit earned on 10 March 2025 valid 24 months stops counting on 10 March 2027. The first
//!    failing test is the reason given. Amounts below zero count as zero.
//! 3. **Kind maximums.** Credits of a kind above its maximum are not counted. When they compete,
//!    the engine counts first what helps with category minimums, as much as possible across all
//!    kinds (a small maximum flow from kinds to the categories still short); within that, and for
//!    the room left, oldest first (`earned_on`, then `id`). The total counted is the same either
//!    way; this only decides where it goes, always in the learner's favour, deterministically.
//! 4. **Status.** `Compliant` when the total and every category minimum are met. Otherwise, in an
//!    open cycle, `OnTrack` when the counted total keeps pace with time (counted / total ≥ days
//!    elapsed / days in the cycle, days elapsed counted from the first day, so 0 on the first
//!    day) and, once more than half the cycle has passed, no category with a minimum is at zero;
//!    `AtRisk` otherwise. [`evaluate_cycle_end`] judges a cycle as of its last day and says
//!    `NonCompliant` when a requirement is unmet; [`evaluate`] always looks at the open cycle
//!    that contains `today`.
//! 5. **Explanations**, most urgent first: what was missed (a closed cycle), falling behind pace,
//!    what is still needed (the total, then categories by amount), credits that stop counting in
//!    the next 60 days grouped by month (with the amount actually lost, since a credit held back
//!    by a kind maximum may take an expired one's place), that everything is met, then what does
//!    not count (over a kind maximum, not accepted, too old).
//!
//! Cost: one pass over the credits, one sort of those that count by kind and date, and sorts of
//! the few categories and kinds; O(n log n) for n credits, with a handful of allocations per
//! evaluation and none per credit beyond the outcome list. The flow in rule 3 runs only when a
//! kind is over its maximum and a category is short, over a graph as small as the rules. On the
//! 2-core reference machine, in release, 100,000 licensees of 20 credits each evaluate in 0.2 s
//! (a yearly cycle) to 0.35 s (3 years, rolling validity, two kind maximums): 2 to 3.5 µs each.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Credits are counted in hundredths (2.5 credits = 250) so sums are exact.
pub type Hundredths = i64;

/// How far ahead [`Evaluation::stopping`] and the stop-counting explanations look.
pub const STOP_COUNTING_HORIZON_DAYS: i64 = 60;

/// Where a licence's cycles start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CycleAnchor {
    /// On a calendar day every `cycle_years` (1 January; 1 May). Out-of-range values are
    /// clamped: month to 1–12, day to the month's length.
    Fixed { month: u32, day: u32 },
    /// On the licence's renewal date and every `cycle_years` after it.
    FromRenewal,
}

/// A regulator's CPD rules for one profession.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    pub cycle_years: u32,
    pub cycle: CycleAnchor,
    /// Credits required per cycle.
    pub total: Hundredths,
    /// (category, minimum per cycle); a category listed twice needs the larger.
    pub category_minimums: Vec<(String, Hundredths)>,
    /// (activity kind, most counted per cycle); a kind listed twice gets the smaller.
    pub kind_maximums: Vec<(String, Hundredths)>,
    /// `None`: any accreditor, or none; `Some(list)`: only credits accredited by one of these.
    pub accepted_accreditors: Option<Vec<i32>>,
    /// A credit counts only this many months after it was earned, within the cycle as well.
    pub rolling_validity_months: Option<u32>,
}

impl Default for RuleSet {
    /// A yearly cycle from 1 January with no requirement: a base for building rules.
    fn default() -> Self {
        Self {
            cycle_years: 1,
            cycle: CycleAnchor::Fixed { month: 1, day: 1 },
            total: 0,
            category_minimums: Vec::new(),
            kind_maximums: Vec::new(),
            accepted_accreditors: None,
            rolling_validity_months: None,
        }
    }
}

/// One credit entry as the rules read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    pub id: i32,
    pub amount: Hundredths,
    pub category: String,
    pub kind: String,
    /// The organisation that accredited the activity, if any.
    pub accreditor: Option<i32>,
    pub earned_on: NaiveDate,
}

/// The licence the rules apply to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    /// The date the current licence was issued or renewed; anchors the cycles (rule 1).
    pub renewal: NaiveDate,
}

/// Where a licensee stands in a cycle (rule 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Compliant,
    OnTrack,
    AtRisk,
    NonCompliant,
}

/// Why a credit, or part of it, does not count (rule 2 and 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotCounted {
    /// Earned before the cycle's first day.
    BeforeCycle,
    /// Earned on or after the cycle's end.
    AfterCycle,
    /// Dated after the day of evaluation.
    NotYetEarned,
    /// Its accreditor is not one the rules accept.
    NotAccepted,
    /// Older than the rolling validity.
    Expired,
    /// Above its kind's maximum: not counted, or counted in part.
    OverKindMaximum,
}

/// What became of one credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditOutcome {
    pub credit_id: i32,
    /// How much of it counts.
    pub counted: Hundredths,
    /// Why some or all of it does not count; `None` when it counts in full.
    pub not_counted: Option<NotCounted>,
    /// Under rolling validity, the first day it no longer counts.
    pub stops_counting_on: Option<NaiveDate>,
}

/// A counted credit that stops counting before the cycle ends, within the horizon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopsCounting {
    pub credit_id: i32,
    pub on: NaiveDate,
    /// What it counts for now.
    pub counted: Hundredths,
}

/// One thing to tell the licensee; words come from the interface ([`describe`] is the fallback).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Explanation {
    /// A requirement unmet when the cycle ended (`category: None` is the total).
    Missed { category: Option<String>, amount: Hundredths, ended: NaiveDate },
    /// The counted total is behind the pace the cycle's elapsed time asks for.
    BehindPace { expected: Hundredths, counted: Hundredths },
    /// Still needed by the cycle's last day (`category: None` is the total).
    NeedMore { category: Option<String>, amount: Hundredths, by: NaiveDate },
    /// `count` counted credits stop counting in `on`'s month, first on `on`; the counted total
    /// falls by `amount`.
    StopCounting { amount: Hundredths, count: usize, on: NaiveDate },
    /// Every requirement of the cycle ending on `cycle_end` (its last day) is met.
    Met { cycle_end: NaiveDate },
    /// Credits of `kind` above its `maximum` are not counted.
    OverKindMaximum { kind: String, maximum: Hundredths, not_counted: Hundredths },
    /// Credits from this cycle whose accreditor is not accepted.
    NotAccepted { count: usize, amount: Hundredths },
    /// Credits from this cycle older than the rolling validity of `months`.
    Expired { count: usize, amount: Hundredths, months: u32 },
}

/// The rules applied to a licensee's credits for one cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The cycle's first day.
    pub start: NaiveDate,
    /// The day after the cycle's last day.
    pub end: NaiveDate,
    /// The day the credits were judged on.
    pub as_of: NaiveDate,
    /// Whether the cycle was judged as ended ([`evaluate_cycle_end`]).
    pub closed: bool,
    pub status: Status,
    /// Credits counted in all.
    pub counted: Hundredths,
    /// Counted per category, by name; categories with a minimum appear even at zero.
    pub by_category: Vec<(String, Hundredths)>,
    /// Counted per activity kind, by name, for the kinds of the credits that count.
    pub by_kind: Vec<(String, Hundredths)>,
    /// What the total still lacks.
    pub shortfall: Hundredths,
    /// What each category still lacks, by name; only those short.
    pub category_shortfalls: Vec<(String, Hundredths)>,
    /// One outcome per credit, in the order given.
    pub credits: Vec<CreditOutcome>,
    /// Counted credits that stop counting in the next [`STOP_COUNTING_HORIZON_DAYS`] and before
    /// the cycle ends, soonest first.
    pub stopping: Vec<StopsCounting>,
    pub explanations: Vec<Explanation>,
}

impl Evaluation {
    /// Counted in `category` (zero when nothing is).
    pub fn counted_in(&self, category: &str) -> Hundredths {
        lookup(&self.by_category, category).unwrap_or(0)
    }

    /// The cycle's last day.
    pub fn last_day(&self) -> NaiveDate {
        last_day(self.start, self.end)
    }

    /// Counted credits that stop counting within `days` of the day of evaluation (up to the
    /// horizon of 60).
    pub fn stopping_within(&self, days: i64) -> impl Iterator<Item = &StopsCounting> {
        let until = add_days(self.as_of, days);
        self.stopping.iter().filter(move |s| s.on <= until)
    }
}

/// The cycle containing `today`: its first day and the day after its last (rule 1).
pub fn cycle_for(rules: &RuleSet, licence: &Licence, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let years = i64::from(rules.cycle_years.max(1));
    match rules.cycle {
        CycleAnchor::Fixed { month, day } => {
            // The year of the last anchor day on or before `date`.
            let anchor_year = |date: NaiveDate| {
                let year = i64::from(date.year());
                if anchor_day(year, month, day) <= date { year } else { year - 1 }
            };
            let first = anchor_year(licence.renewal);
            let start = first.saturating_add((anchor_year(today) - first).div_euclid(years) * years);
            (anchor_day(start, month, day), anchor_day(start.saturating_add(years), month, day))
        }
        CycleAnchor::FromRenewal => {
            let renewal = licence.renewal;
            let step = years * 12;
            let months = (i64::from(today.year()) - i64::from(renewal.year())) * 12
                + i64::from(today.month())
                - i64::from(renewal.month());
            let mut cycle = months.div_euclid(step);
            let start = |cycle: i64| add_months(renewal, cycle.saturating_mul(step));
            // The month count can be one cycle off when `today` is earlier in its month than the
            // renewal's day; a step each way settles it (and cannot loop at the calendar's ends).
            if start(cycle) > today {
                cycle -= 1;
            }
            if start(cycle + 1) <= today {
                cycle += 1;
            }
            (start(cycle), start(cycle + 1))
        }
    }
}

/// Applies the rules to the open cycle containing `today`, as of `today`.
pub fn evaluate(rules: &RuleSet, licence: &Licence, credits: &[Credit], today: NaiveDate) -> Evaluation {
    let (start, end) = cycle_for(rules, licence, today);
    assess(rules, credits, start, end, today, false)
}

/// Judges the cycle containing `day` as it stood on its last day: `Compliant` or
/// `NonCompliant`. For the cycle that just ended, pass the day before the current one starts.
pub fn evaluate_cycle_end(
    rules: &RuleSet,
    licence: &Licence,
    credits: &[Credit],
    day: NaiveDate,
) -> Evaluation {
    let (start, end) = cycle_for(rules, licence, day);
    assess(rules, credits, start, end, last_day(start, end), true)
}

/// Plain English for an explanation: the fallback text, and what tests read.
pub fn describe(explanation: &Explanation) -> String {
    match explanation {
        Explanation::Missed { category, amount, ended } => format!(
            "You were {} {}short when the cycle ended on {}",
            number(*amount),
            credits_of(category.as_deref(), *amount),
            long_date(*ended)
        ),
        Explanation::BehindPace { expected, counted } => format!(
            "To keep pace you should have {} {} by now; you have {}",
            number(*expected),
            noun(*expected),
            number(*counted)
        ),
        Explanation::NeedMore { category, amount, by } => format!(
            "You need {} more {}by {}",
            number(*amount),
            credits_of(category.as_deref(), *amount),
            long_date(*by)
        ),
        Explanation::StopCounting { amount, count, on } => format!(
            "{count} of your credits, worth {}, {} counting in {}",
            number(*amount),
            if *count == 1 { "stops" } else { "stop" },
            on.format("%B %Y")
        ),
        Explanation::Met { cycle_end } => {
            format!("You have met every requirement of the cycle ending {}", long_date(*cycle_end))
        }
        Explanation::OverKindMaximum { kind, maximum, not_counted } => format!(
            "{} {} {} {} over the maximum of {} and not counted",
            number(*not_counted),
            words(kind),
            noun(*not_counted),
            if *not_counted == 100 { "is" } else { "are" },
            number(*maximum)
        ),
        Explanation::NotAccepted { count, amount } => format!(
            "{count} of your credits, worth {}, {} not counted because the accreditor is not accepted",
            number(*amount),
            if *count == 1 { "is" } else { "are" }
        ),
        Explanation::Expired { count, amount, months } => format!(
            "{count} of your credits, worth {}, no longer {} because {} more than {months} months old",
            number(*amount),
            if *count == 1 { "counts" } else { "count" },
            if *count == 1 { "it is" } else { "they are" }
        ),
    }
}

/// A credit that passed rule 2, as rule 3 reads it.
struct Eligible<'a> {
    credit: &'a Credit,
    /// Its place in the input and the outcomes.
    index: usize,
    /// Its category's place among the minimums, if it has one.
    minimum: Option<usize>,
    amount: Hundredths,
}

/// A kind over its maximum: its credits (oldest first) and the maximum.
struct Contested<'s, 'a> {
    credits: &'s [Eligible<'a>],
    maximum: Hundredths,
}

#[derive(Default)]
struct Tally {
    count: usize,
    amount: Hundredths,
}

fn assess(
    rules: &RuleSet,
    credits: &[Credit],
    start: NaiveDate,
    end: NaiveDate,
    as_of: NaiveDate,
    closed: bool,
) -> Evaluation {
    let minimums = merged(&rules.category_minimums, Hundredths::max);
    let maximums = merged(&rules.kind_maximums, Hundredths::min);

    // Rule 2, one credit at a time.
    let mut outcomes = Vec::with_capacity(credits.len());
    let mut eligible = Vec::with_capacity(credits.len());
    let (mut not_accepted, mut expired) = (Tally::default(), Tally::default());
    for (index, credit) in credits.iter().enumerate() {
        let stops =
            rules.rolling_validity_months.map(|months| add_months(credit.earned_on, i64::from(months)));
        let amount = credit.amount.max(0);
        let reason = if credit.earned_on < start {
            Some(NotCounted::BeforeCycle)
        } else if credit.earned_on >= end {
            Some(NotCounted::AfterCycle)
        } else if credit.earned_on > as_of {
            Some(NotCounted::NotYetEarned)
        } else if !accepts(rules, credit) {
            not_accepted.count += 1;
            not_accepted.amount = not_accepted.amount.saturating_add(amount);
            Some(NotCounted::NotAccepted)
        } else if stops.is_some_and(|on| on <= as_of) {
            expired.count += 1;
            expired.amount = expired.amount.saturating_add(amount);
            Some(NotCounted::Expired)
        } else {
            None
        };
        if reason.is_none() {
            let minimum = minimums.binary_search_by(|(name, _)| (*name).cmp(credit.category.as_str())).ok();
            eligible.push(Eligible { credit, index, minimum, amount });
        }
        outcomes.push(CreditOutcome {
            credit_id: credit.id,
            counted: 0,
            not_counted: reason,
            stops_counting_on: stops,
        });
    }

    // Rule 3: kinds within their maximum count in full; the others are settled after.
    eligible.sort_unstable_by(|a, b| {
        a.credit
            .kind
            .cmp(&b.credit.kind)
            .then(a.credit.earned_on.cmp(&b.credit.earned_on))
            .then(a.credit.id.cmp(&b.credit.id))
            .then(a.index.cmp(&b.index))
    });
    let mut by_kind = Vec::new();
    let mut contested = Vec::new();
    let mut over = Vec::new();
    let mut short: Vec<Hundredths> = minimums.iter().map(|(_, minimum)| *minimum).collect();
    for group in eligible.chunk_by(|a, b| a.credit.kind == b.credit.kind) {
        let Some(first) = group.first() else { continue };
        let kind = first.credit.kind.as_str();
        let sum = group.iter().fold(0, |sum: Hundredths, e| sum.saturating_add(e.amount));
        match lookup(&maximums, kind) {
            Some(maximum) if sum > maximum => {
                contested.push(Contested { credits: group, maximum });
                over.push((kind, maximum, sum - maximum));
                by_kind.push((kind.to_owned(), maximum));
            }
            _ => {
                for e in group {
                    set_counted(&mut outcomes, e.index, e.amount, None);
                    if let Some(left) = e.minimum.and_then(|m| short.get_mut(m)) {
                        *left = (*left - e.amount).max(0);
                    }
                }
                by_kind.push((kind.to_owned(), sum));
            }
        }
    }
    if !contested.is_empty() {
        let plan = plan_contested(&contested, &short);
        for (k, kind) in contested.iter().enumerate() {
            let mut room = kind.maximum;
            let mut planned: Vec<Hundredths> =
                plan.get(k * short.len()..(k + 1) * short.len()).map(<[_]>::to_vec).unwrap_or_default();
            // First what the plan sends to categories still short, oldest first …
            for e in kind.credits {
                if let Some(want) = e.minimum.and_then(|m| planned.get_mut(m)) {
                    let take = e.amount.min(*want).min(room);
                    *want -= take;
                    room -= take;
                    add_counted(&mut outcomes, e.index, take);
                }
            }
            // … then the room left, oldest first.
            for e in kind.credits {
                let counted = outcomes.get(e.index).map_or(0, |o| o.counted);
                let take = (e.amount - counted).min(room).max(0);
                room -= take;
                let reason = (counted + take < e.amount).then_some(NotCounted::OverKindMaximum);
                set_counted(&mut outcomes, e.index, counted + take, reason);
            }
        }
    }

    // Totals.
    let counted = by_kind.iter().fold(0, |sum: Hundredths, (_, amount)| sum.saturating_add(*amount));
    let mut categories: Vec<(&str, Hundredths)> = credits
        .iter()
        .zip(&outcomes)
        .filter(|(_, outcome)| outcome.counted > 0)
        .map(|(credit, outcome)| (credit.category.as_str(), outcome.counted))
        .chain(minimums.iter().map(|(name, _)| (*name, 0)))
        .collect();
    categories.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut by_category: Vec<(String, Hundredths)> = Vec::new();
    for group in categories.chunk_by(|a, b| a.0 == b.0) {
        if let Some((name, _)) = group.first() {
            let sum = group.iter().fold(0, |sum: Hundredths, (_, amount)| sum.saturating_add(*amount));
            by_category.push(((*name).to_owned(), sum));
        }
    }
    let shortfall = rules.total.saturating_sub(counted).max(0);
    let category_shortfalls: Vec<(String, Hundredths)> = minimums
        .iter()
        .filter_map(|(name, minimum)| {
            let missing = minimum.saturating_sub(lookup(&by_category, name).unwrap_or(0));
            (missing > 0).then(|| ((*name).to_owned(), missing))
        })
        .collect();

    // Status (rule 4).
    let days = (end - start).num_days().max(1);
    let elapsed = (as_of - start).num_days().clamp(0, days);
    let on_pace = i128::from(counted) * i128::from(days) >= i128::from(rules.total) * i128::from(elapsed);
    let zero_late = 2 * elapsed > days
        && minimums
            .iter()
            .any(|(name, minimum)| *minimum > 0 && lookup(&by_category, name).unwrap_or(0) == 0);
    let met = shortfall == 0 && category_shortfalls.is_empty();
    let status = match (met, closed) {
        (true, _) => Status::Compliant,
        (false, true) => Status::NonCompliant,
        (false, false) if on_pace && !zero_late => Status::OnTrack,
        (false, false) => Status::AtRisk,
    };

    // What stops counting soon, and how much the total loses with it.
    let (stopping, stop_explanations) = if rules.rolling_validity_months.is_some() {
        stopping(&eligible, &outcomes, &maximums, as_of, end)
    } else {
        (Vec::new(), Vec::new())
    };

    // Explanations, most urgent first (rule 5).
    let last = last_day(start, end);
    let mut needs: Vec<(Option<String>, Hundredths)> = Vec::with_capacity(category_shortfalls.len() + 1);
    if shortfall > 0 {
        needs.push((None, shortfall));
    }
    let mut by_amount: Vec<&(String, Hundredths)> = category_shortfalls.iter().collect();
    by_amount.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    needs.extend(by_amount.into_iter().map(|(name, amount)| (Some(name.clone()), *amount)));
    let mut explanations = Vec::with_capacity(needs.len() + stop_explanations.len() + over.len() + 3);
    if closed {
        explanations.extend(needs.into_iter().map(|(category, amount)| Explanation::Missed {
            category,
            amount,
            ended: last,
        }));
    } else {
        if !on_pace {
            let expected = i128::from(rules.total) * i128::from(elapsed);
            let expected = Hundredths::try_from((expected + i128::from(days) - 1) / i128::from(days))
                .unwrap_or(Hundredths::MAX);
            explanations.push(Explanation::BehindPace { expected, counted });
        }
        explanations.extend(needs.into_iter().map(|(category, amount)| Explanation::NeedMore {
            category,
            amount,
            by: last,
        }));
    }
    explanations.extend(stop_explanations);
    if met {
        explanations.push(Explanation::Met { cycle_end: last });
    }
    // Largest first; `over` is in kind order, and the sort is stable.
    over.sort_by_key(|(_, _, not_counted)| std::cmp::Reverse(*not_counted));
    explanations.extend(over.into_iter().map(|(kind, maximum, not_counted)| Explanation::OverKindMaximum {
        kind: kind.to_owned(),
        maximum,
        not_counted,
    }));
    if not_accepted.count > 0 {
        explanations
            .push(Explanation::NotAccepted { count: not_accepted.count, amount: not_accepted.amount });
    }
    if let (Some(months), true) = (rules.rolling_validity_months, expired.count > 0) {
        explanations.push(Explanation::Expired { count: expired.count, amount: expired.amount, months });
    }

    Evaluation {
        start,
        end,
        as_of,
        closed,
        status,
        counted,
        by_category,
        by_kind,
        shortfall,
        category_shortfalls,
        credits: outcomes,
        stopping,
        explanations,
    }
}

/// How much each contested kind sends to each category still short (row-major, kinds ×
/// minimums): a maximum flow from the kinds (capacity: their maximum) through the credits they
/// hold in each category to the categories (capacity: what they still lack). It maximises what
/// the capped credits bring to the minimums; Edmonds–Karp over a fixed node order makes the
/// answer deterministic.
fn plan_contested(contested: &[Contested<'_, '_>], short: &[Hundredths]) -> Vec<Hundredths> {
    let (kinds, categories) = (contested.len(), short.len());
    let mut held = vec![0; kinds * categories];
    if !short.iter().any(|left| *left > 0) {
        return held;
    }
    for (k, kind) in contested.iter().enumerate() {
        for e in kind.credits {
            if let Some(cell) = e.minimum.and_then(|m| held.get_mut(k * categories + m)) {
                *cell = cell.saturating_add(e.amount);
            }
        }
    }
    let (source, sink) = (0, kinds + categories + 1);
    let mut network = Network::new(kinds + categories + 2);
    for (k, kind) in contested.iter().enumerate() {
        network.add(source, 1 + k, kind.maximum);
        for m in 0..categories {
            network.add(1 + k, 1 + kinds + m, held.get(k * categories + m).copied().unwrap_or(0));
        }
    }
    for (m, left) in short.iter().enumerate() {
        network.add(1 + kinds + m, sink, *left);
    }
    network.max_flow(source, sink);
    for (k, row) in held.chunks_mut(categories.max(1)).enumerate() {
        for (m, cell) in row.iter_mut().enumerate() {
            *cell -= network.residual(1 + k, 1 + kinds + m);
        }
    }
    held
}

/// A dense residual network, small enough (contested kinds and categories) for a matrix.
struct Network {
    size: usize,
    residual: Vec<Hundredths>,
}

impl Network {
    fn new(size: usize) -> Self {
        Self { size, residual: vec![0; size * size] }
    }

    fn residual(&self, from: usize, to: usize) -> Hundredths {
        self.residual.get(from * self.size + to).copied().unwrap_or(0)
    }

    fn add(&mut self, from: usize, to: usize, amount: Hundredths) {
        if let Some(cell) = self.residual.get_mut(from * self.size + to) {
            *cell = cell.saturating_add(amount);
        }
    }

    /// Edmonds–Karp: augment along shortest paths until none is left.
    fn max_flow(&mut self, source: usize, sink: usize) {
        const UNSEEN: usize = usize::MAX;
        let mut previous = vec![UNSEEN; self.size];
        let mut queue = Vec::with_capacity(self.size);
        loop {
            previous.fill(UNSEEN);
            queue.clear();
            queue.push(source);
            if let Some(p) = previous.get_mut(source) {
                *p = source;
            }
            let mut head = 0;
            while let Some(&node) = queue.get(head) {
                head += 1;
                for next in 0..self.size {
                    if self.residual(node, next) > 0
                        && let Some(p) = previous.get_mut(next)
                        && *p == UNSEEN
                    {
                        *p = node;
                        queue.push(next);
                    }
                }
            }
            let path = |node: usize| previous.get(node).copied().filter(|p| *p != UNSEEN);
            if path(sink).is_none() {
                return;
            }
            let mut bottleneck = Hundredths::MAX;
            let mut node = sink;
            for _ in 0..self.size {
                let Some(from) = path(node).filter(|_| node != source) else { break };
                bottleneck = bottleneck.min(self.residual(from, node));
                node = from;
            }
            if bottleneck <= 0 || node != source {
                return;
            }
            let mut node = sink;
            for _ in 0..self.size {
                let Some(from) = path(node).filter(|_| node != source) else { break };
                self.add(from, node, -bottleneck);
                self.add(node, from, bottleneck);
                node = from;
            }
        }
    }
}

/// Counted credits whose validity ends after `as_of`, before `end` and within the horizon, and
/// the explanations grouped by month, with what the total loses: a kind over its maximum loses
/// only what takes it below the maximum.
fn stopping(
    eligible: &[Eligible<'_>],
    outcomes: &[CreditOutcome],
    maximums: &[(&str, Hundredths)],
    as_of: NaiveDate,
    end: NaiveDate,
) -> (Vec<StopsCounting>, Vec<Explanation>) {
    let horizon = add_days(as_of, STOP_COUNTING_HORIZON_DAYS);
    // (on, kind group, amount, counted now, id); kind groups are runs of `eligible`.
    let mut events = Vec::new();
    let mut groups: Vec<(Option<Hundredths>, Hundredths)> = Vec::new();
    for group in eligible.chunk_by(|a, b| a.credit.kind == b.credit.kind) {
        let kind = group.first().map_or("", |e| e.credit.kind.as_str());
        let sum = group.iter().fold(0, |sum: Hundredths, e| sum.saturating_add(e.amount));
        for e in group {
            let on = outcomes.get(e.index).and_then(|o| o.stops_counting_on);
            if let Some(on) = on.filter(|on| *on > as_of && *on < end && *on <= horizon) {
                let counted = outcomes.get(e.index).map_or(0, |o| o.counted);
                events.push((on, groups.len(), e.amount, counted, e.credit.id));
            }
        }
        groups.push((lookup(maximums, kind), sum));
    }
    events.sort_unstable_by_key(|&(on, _, _, _, id)| (on, id));
    let stopping = events
        .iter()
        .filter(|(_, _, _, counted, _)| *counted > 0)
        .map(|&(on, _, _, counted, credit_id)| StopsCounting { credit_id, on, counted })
        .collect();
    let mut explanations = Vec::new();
    let counted_of = |(maximum, sum): (Option<Hundredths>, Hundredths)| maximum.map_or(sum, |m| sum.min(m));
    for month in events.chunk_by(|a, b| (a.0.year(), a.0.month()) == (b.0.year(), b.0.month())) {
        let (mut lost, mut count) = (0, 0);
        for &(_, group, amount, counted, _) in month {
            if let Some(state) = groups.get_mut(group) {
                let before = counted_of(*state);
                state.1 -= amount;
                lost += before - counted_of(*state);
            }
            count += usize::from(counted > 0);
        }
        if let (Some(first), true) = (month.first(), lost > 0) {
            explanations.push(Explanation::StopCounting { amount: lost, count, on: first.0 });
        }
    }
    (stopping, explanations)
}

fn accepts(rules: &RuleSet, credit: &Credit) -> bool {
    rules
        .accepted_accreditors
        .as_ref()
        .is_none_or(|list| credit.accreditor.is_some_and(|a| list.contains(&a)))
}

fn set_counted(
    outcomes: &mut [CreditOutcome],
    index: usize,
    counted: Hundredths,
    reason: Option<NotCounted>,
) {
    if let Some(outcome) = outcomes.get_mut(index) {
        outcome.counted = counted;
        outcome.not_counted = reason;
    }
}

fn add_counted(outcomes: &mut [CreditOutcome], index: usize, amount: Hundredths) {
    if let Some(outcome) = outcomes.get_mut(index) {
        outcome.counted += amount;
    }
}

/// A rule list by name, each name once (`keep` chooses between repeats), for binary search.
fn merged(
    list: &[(String, Hundredths)],
    keep: fn(Hundredths, Hundredths) -> Hundredths,
) -> Vec<(&str, Hundredths)> {
    let mut sorted: Vec<(&str, Hundredths)> =
        list.iter().map(|(name, n)| (name.as_str(), (*n).max(0))).collect();
    sorted.sort_unstable();
    sorted.dedup_by(|repeat, kept| {
        let same = repeat.0 == kept.0;
        if same {
            kept.1 = keep(kept.1, repeat.1);
        }
        same
    });
    sorted
}

fn lookup<S: AsRef<str>>(sorted: &[(S, Hundredths)], name: &str) -> Option<Hundredths> {
    sorted
        .binary_search_by(|(key, _)| key.as_ref().cmp(name))
        .ok()
        .and_then(|i| sorted.get(i))
        .map(|(_, n)| *n)
}

/// `(month, day)` of `year`, clamped to a real date; the calendar's ends outside its range.
fn anchor_day(year: i64, month: u32, day: u32) -> NaiveDate {
    let outside = if year < 0 { NaiveDate::MIN } else { NaiveDate::MAX };
    let Ok(year) = i32::try_from(year) else { return outside };
    let month = month.clamp(1, 12);
    // Every month has 28 days, so this tries at most four.
    (1..=day.clamp(1, 31)).rev().find_map(|d| NaiveDate::from_ymd_opt(year, month, d)).unwrap_or(outside)
}

/// `date` moved by whole months, a missing day becoming the month's last; saturating.
fn add_months(date: NaiveDate, months: i64) -> NaiveDate {
    let outside = if months < 0 { NaiveDate::MIN } else { NaiveDate::MAX };
    let Ok(step) = u32::try_from(months.unsigned_abs()) else { return outside };
    let moved = if months < 0 {
        date.checked_sub_months(Months::new(step))
    } else {
        date.checked_add_months(Months::new(step))
    };
    moved.unwrap_or(outside)
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(chrono::Duration::days(days)).unwrap_or(NaiveDate::MAX)
}

fn last_day(start: NaiveDate, end: NaiveDate) -> NaiveDate {
    end.pred_opt().unwrap_or(end).max(start)
}

/// Hundredths as a plain number: 300 → "3", 250 → "2.5", 5 → "0.05".
fn number(amount: Hundredths) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    let (whole, cents) = (amount.unsigned_abs() / 100, amount.unsigned_abs() % 100);
    match cents {
        0 => format!("{sign}{whole}"),
        c if c % 10 == 0 => format!("{sign}{whole}.{}", c / 10),
        c => format!("{sign}{whole}.{c:02}"),
    }
}

fn noun(amount: Hundredths) -> &'static str {
    if amount == 100 { "credit" } else { "credits" }
}

/// "ethics credits " or "credits ", with the trailing space the sentences expect.
fn credits_of(category: Option<&str>, amount: Hundredths) -> String {
    match category {
        Some(category) => format!("{} {} ", words(category), noun(amount)),
        None => format!("{} ", noun(amount)),
    }
}

/// A code as words: `self_directed` → "self directed".
fn words(code: &str) -> String {
    code.replace('_', " ")
}

fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn licence(renewal: &str) -> Licence {
        Licence { renewal: d(renewal) }
    }

    fn credit(id: i32, amount: Hundredths, category: &str, kind: &str, earned_on: &str) -> Credit {
        Credit {
            id,
            amount,
            category: category.into(),
            kind: kind.into(),
            accreditor: Some(1),
            earned_on: d(earned_on),
        }
    }

    fn named(pairs: &[(&str, Hundredths)]) -> Vec<(String, Hundredths)> {
        pairs.iter().map(|(name, n)| ((*name).to_owned(), *n)).collect()
    }

    fn counted(evaluation: &Evaluation) -> Vec<Hundredths> {
        evaluation.credits.iter().map(|c| c.counted).collect()
    }

    /// A yearly cycle from 1 January: 20 credits, 5 of them in ethics.
    fn yearly() -> RuleSet {
        RuleSet { total: 2000, category_minimums: named(&[("ethics", 500)]), ..RuleSet::default() }
    }

    #[test]
    fn totals_add_every_counting_credit_exactly() {
        use NotCounted::*;
        // (case, credits, total counted, reason for each credit)
        type Case = (&'static str, Vec<Credit>, Hundredths, Vec<Option<NotCounted>>);
        let cases: Vec<Case> = vec![
            ("nothing yet", vec![], 0, vec![]),
            (
                "whole and fractional credits",
                vec![
                    credit(1, 1000, "clinical", "course", "2026-02-01"),
                    credit(2, 250, "clinical", "course", "2026-03-01"),
                    credit(3, 5, "ethics", "course", "2026-04-01"),
                ],
                1255,
                vec![None, None, None],
            ),
            (
                "a negative amount counts as zero",
                vec![
                    credit(1, 1000, "clinical", "course", "2026-02-01"),
                    credit(2, -500, "x", "course", "2026-02-01"),
                ],
                1000,
                vec![None, None],
            ),
            (
                "credits of other cycles and of the future are left out",
                vec![
                    credit(1, 700, "clinical", "course", "2025-12-31"),
                    credit(2, 800, "clinical", "course", "2026-06-30"),
                    credit(3, 900, "clinical", "course", "2026-07-01"),
                    credit(4, 600, "clinical", "course", "2027-01-01"),
                ],
                800,
                vec![Some(BeforeCycle), None, Some(NotYetEarned), Some(AfterCycle)],
            ),
        ];
        for (case, credits, total, reasons) in cases {
            let evaluation = evaluate(&yearly(), &licence("2020-05-05"), &credits, d("2026-06-30"));
            assert_eq!(evaluation.counted, total, "{case}: total");
            assert_eq!(evaluation.shortfall, (2000 - total).max(0), "{case}: shortfall");
            let got: Vec<_> = evaluation.credits.iter().map(|c| c.not_counted).collect();
            assert_eq!(got, reasons, "{case}: reasons");
        }
    }

    #[test]
    fn each_category_minimum_has_its_own_shortfall() {
        let rules = RuleSet {
            total: 3000,
            category_minimums: named(&[("law", 200), ("ethics", 500), ("ethics", 300)]),
            ..RuleSet::default()
        };
        // (case, credits, counted per category, shortfalls)
        type Case = (&'static str, Vec<Credit>, Vec<(String, Hundredths)>, Vec<(String, Hundredths)>);
        let cases: Vec<Case> = vec![
            (
                "none started: both short, the larger ethics minimum applies",
                vec![credit(1, 3000, "clinical", "course", "2026-02-01")],
                named(&[("clinical", 3000), ("ethics", 0), ("law", 0)]),
                named(&[("ethics", 500), ("law", 200)]),
            ),
            (
                "ethics partly done, law done",
                vec![
                    credit(1, 350, "ethics", "course", "2026-02-01"),
                    credit(2, 200, "law", "course", "2026-02-01"),
                ],
                named(&[("ethics", 350), ("law", 200)]),
                named(&[("ethics", 150)]),
            ),
            (
                "both met, by several credits",
                vec![
                    credit(1, 250, "ethics", "course", "2026-02-01"),
                    credit(2, 250, "ethics", "course", "2026-03-01"),
                    credit(3, 300, "law", "course", "2026-02-01"),
                ],
                named(&[("ethics", 500), ("law", 300)]),
                named(&[]),
            ),
        ];
        for (case, credits, by_category, shortfalls) in cases {
            let evaluation = evaluate(&rules, &licence("2020-05-05"), &credits, d("2026-06-30"));
            assert_eq!(evaluation.by_category, by_category, "{case}: counted per category");
            assert_eq!(evaluation.category_shortfalls, shortfalls, "{case}: shortfalls");
        }
    }

    #[test]
    fn credits_above_a_kind_maximum_are_counted_in_part_helping_minimums_first() {
        let rules = RuleSet {
            total: 5000,
            category_minimums: named(&[("ethics", 500)]),
            kind_maximums: named(&[("self_directed", 1000)]),
            ..RuleSet::default()
        };
        let two = RuleSet {
            category_minimums: named(&[("ethics", 500), ("clinical", 500)]),
            kind_maximums: named(&[("reading", 500), ("video", 500)]),
            ..rules.clone()
        };
        let zero = RuleSet { kind_maximums: named(&[("self_directed", 0)]), ..rules.clone() };
        // (case, rules, credits, total counted, counted of each credit)
        type Case<'r> = (&'static str, &'r RuleSet, Vec<Credit>, Hundredths, Vec<Hundredths>);
        let cases: Vec<Case> = vec![
            (
                "under the maximum",
                &rules,
                vec![credit(1, 600, "clinical", "self_directed", "2026-02-01")],
                600,
                vec![600],
            ),
            (
                "other kinds are not limited",
                &rules,
                vec![
                    credit(1, 1000, "clinical", "self_directed", "2026-02-01"),
                    credit(2, 1500, "clinical", "course", "2026-02-01"),
                ],
                2500,
                vec![1000, 1500],
            ),
            (
                "over it: the oldest first, the newer in part",
                &rules,
                vec![
                    credit(1, 600, "clinical", "self_directed", "2026-03-01"),
                    credit(2, 600, "clinical", "self_directed", "2026-02-01"),
                ],
                1000,
                vec![400, 600],
            ),
            (
                "a credit wholly above it counts for nothing",
                &rules,
                vec![
                    credit(1, 1000, "clinical", "self_directed", "2026-02-01"),
                    credit(2, 300, "clinical", "self_directed", "2026-03-01"),
                ],
                1000,
                vec![1000, 0],
            ),
            (
                "a category still short comes before an older credit",
                &rules,
                vec![
                    credit(1, 800, "clinical", "self_directed", "2026-02-01"),
                    credit(2, 500, "ethics", "self_directed", "2026-03-01"),
                ],
                1000,
                vec![500, 500],
            ),
            (
                "a category already met does not",
                &rules,
                vec![
                    credit(1, 800, "clinical", "self_directed", "2026-02-01"),
                    credit(2, 500, "ethics", "self_directed", "2026-03-01"),
                    credit(3, 500, "ethics", "course", "2026-04-01"),
                ],
                1500,
                vec![800, 200, 500],
            ),
            (
                "two kinds share the categories so that both minimums are met",
                &two,
                vec![
                    credit(1, 500, "ethics", "reading", "2026-01-10"),
                    credit(2, 500, "clinical", "reading", "2026-02-10"),
                    credit(3, 500, "ethics", "video", "2026-03-10"),
                ],
                1000,
                vec![0, 500, 500],
            ),
            (
                "a maximum of zero",
                &zero,
                vec![credit(1, 600, "clinical", "self_directed", "2026-02-01")],
                0,
                vec![0],
            ),
        ];
        for (case, rules, credits, total, each) in cases {
            let evaluation = evaluate(rules, &licence("2020-05-05"), &credits, d("2026-06-30"));
            assert_eq!(evaluation.counted, total, "{case}: total");
            assert_eq!(counted(&evaluation), each, "{case}: each credit");
            for (credit, outcome) in credits.iter().zip(&evaluation.credits) {
                let partial = outcome.counted < credit.amount;
                assert_eq!(
                    outcome.not_counted == Some(NotCounted::OverKindMaximum),
                    partial,
                    "{case}: reason of {}",
                    credit.id
                );
            }
        }
        // The two kinds case meets both minimums, which counting oldest first would not.
        let credits = vec![
            credit(1, 500, "ethics", "reading", "2026-01-10"),
            credit(2, 500, "clinical", "reading", "2026-02-10"),
            credit(3, 500, "ethics", "video", "2026-03-10"),
        ];
        let evaluation = evaluate(&two, &licence("2020-05-05"), &credits, d("2026-06-30"));
        assert_eq!(evaluation.by_category, named(&[("clinical", 500), ("ethics", 500)]));
        assert_eq!(evaluation.by_kind, named(&[("reading", 500), ("video", 500)]));
    }

    #[test]
    fn only_credits_from_accepted_accreditors_count_when_the_rules_name_them() {
        let from = |id, accreditor| Credit {
            accreditor,
            ..credit(id, 100 * i64::from(id), "x", "course", "2026-02-01")
        };
        let credits = vec![from(1, Some(1)), from(2, Some(3)), from(3, None), from(4, Some(2))];
        // (case, accepted accreditors, counted of each credit, explanation)
        type Case = (&'static str, Option<Vec<i32>>, Vec<Hundredths>, Option<Explanation>);
        let cases: Vec<Case> = vec![
            ("any accreditor, or none", None, vec![100, 200, 300, 400], None),
            (
                "accreditors 1 and 2",
                Some(vec![1, 2]),
                vec![100, 0, 0, 400],
                Some(Explanation::NotAccepted { count: 2, amount: 500 }),
            ),
            (
                "none accepted",
                Some(vec![]),
                vec![0, 0, 0, 0],
                Some(Explanation::NotAccepted { count: 4, amount: 1000 }),
            ),
        ];
        for (case, accepted, each, explanation) in cases {
            let rules = RuleSet { accepted_accreditors: accepted, ..yearly() };
            let evaluation = evaluate(&rules, &licence("2020-05-05"), &credits, d("2026-06-30"));
            assert_eq!(counted(&evaluation), each, "{case}");
            let said = evaluation.explanations.iter().find(|e| matches!(e, Explanation::NotAccepted { .. }));
            assert_eq!(said, explanation.as_ref(), "{case}: explanation");
        }
    }

    #[test]
    fn under_rolling_validity_a_credit_counts_for_24_months() {
        // A council's rule: 30 credits a year over a 3-year cycle, 5 a year in ethics, each
        // credit valid 24 months.
        let rules = RuleSet {
            cycle_years: 3,
            cycle: CycleAnchor::FromRenewal,
            total: 9000,
            category_minimums: named(&[("ethics", 1500)]),
            rolling_validity_months: Some(24),
            ..RuleSet::default()
        };
        use NotCounted::*;
        // (earned, reason, stops counting on, within 30 days, within 60 days)
        let cases: Vec<(&str, Option<NotCounted>, &str, bool, bool)> = vec![
            ("2024-02-29", Some(BeforeCycle), "2026-02-28", false, false),
            ("2024-05-01", Some(Expired), "2026-05-01", false, false),
            ("2024-06-15", Some(Expired), "2026-06-15", false, false),
            ("2024-06-16", None, "2026-06-16", true, true),
            ("2024-08-10", None, "2026-08-10", false, true),
            ("2024-09-01", None, "2026-09-01", false, false),
        ];
        let credits: Vec<Credit> = cases
            .iter()
            .zip(1..)
            .map(|((earned, ..), id)| credit(id, 500, "ethics", "course", earned))
            .collect();
        let evaluation = evaluate(&rules, &licence("2024-04-01"), &credits, d("2026-06-15"));
        assert_eq!((evaluation.start, evaluation.end), (d("2024-04-01"), d("2027-04-01")));
        let within = |days| evaluation.stopping_within(days).map(|s| s.credit_id).collect::<Vec<_>>();
        let (soon, later) = (within(30), within(60));
        for ((earned, reason, stops, in_30, in_60), (outcome, id)) in
            cases.iter().zip(evaluation.credits.iter().zip(1..))
        {
            assert_eq!(outcome.not_counted, *reason, "{earned}: reason");
            assert_eq!(outcome.stops_counting_on, Some(d(stops)), "{earned}: stops counting on");
            assert_eq!(soon.contains(&id), *in_30, "{earned}: within 30 days");
            assert_eq!(later.contains(&id), *in_60, "{earned}: within 60 days");
        }
        assert_eq!(evaluation.counted, 1500);
        assert!(evaluation.explanations.contains(&Explanation::Expired {
            count: 2,
            amount: 1000,
            months: 24
        }));
    }

    #[test]
    fn cycles_start_on_their_anchor_and_end_before_the_next() {
        let fixed = |month, day| CycleAnchor::Fixed { month, day };
        let renewal = CycleAnchor::FromRenewal;
        // (case, years, anchor, renewal, today, start, end)
        let cases = [
            ("1 January, yearly", 1, fixed(1, 1), "2019-05-05", "2026-06-30", "2026-01-01", "2027-01-01"),
            (
                "1 January, its first day",
                1,
                fixed(1, 1),
                "2019-05-05",
                "2026-01-01",
                "2026-01-01",
                "2027-01-01",
            ),
            (
                "1 January, its last day",
                1,
                fixed(1, 1),
                "2019-05-05",
                "2025-12-31",
                "2025-01-01",
                "2026-01-01",
            ),
            (
                "1 July, 3 years, phased by renewal",
                3,
                fixed(7, 1),
                "2025-03-10",
                "2026-06-01",
                "2024-07-01",
                "2027-07-01",
            ),
            (
                "1 July, 3 years, the next",
                3,
                fixed(7, 1),
                "2025-03-10",
                "2027-07-01",
                "2027-07-01",
                "2030-07-01",
            ),
            (
                "1 July, 3 years, the one before",
                3,
                fixed(7, 1),
                "2025-03-10",
                "2024-06-30",
                "2021-07-01",
                "2024-07-01",
            ),
            (
                "from renewal, the day before",
                1,
                renewal,
                "2025-03-15",
                "2026-03-14",
                "2025-03-15",
                "2026-03-15",
            ),
            (
                "from renewal, its anniversary",
                1,
                renewal,
                "2025-03-15",
                "2026-03-15",
                "2026-03-15",
                "2027-03-15",
            ),
            ("from renewal, 3 years", 3, renewal, "2025-03-15", "2031-01-01", "2028-03-15", "2031-03-15"),
            ("from renewal, before it", 1, renewal, "2025-03-15", "2024-12-01", "2024-03-15", "2025-03-15"),
            (
                "29 February renewal, first",
                1,
                renewal,
                "2024-02-29",
                "2025-02-27",
                "2024-02-29",
                "2025-02-28",
            ),
            ("29 February renewal, next", 1, renewal, "2024-02-29", "2025-02-28", "2025-02-28", "2026-02-28"),
            (
                "29 February renewal, leap again",
                1,
                renewal,
                "2024-02-29",
                "2028-02-28",
                "2027-02-28",
                "2028-02-29",
            ),
            (
                "29 February renewal, after",
                1,
                renewal,
                "2024-02-29",
                "2028-03-01",
                "2028-02-29",
                "2029-02-28",
            ),
            (
                "29 February renewal, 3 years",
                3,
                renewal,
                "2024-02-29",
                "2027-03-01",
                "2027-02-28",
                "2030-02-28",
            ),
            ("fixed on 29 February", 1, fixed(2, 29), "2020-01-01", "2026-06-01", "2026-02-28", "2027-02-28"),
            ("31 January from renewal", 1, renewal, "2025-01-31", "2026-02-01", "2026-01-31", "2027-01-31"),
            ("31 April is 30 April", 1, fixed(4, 31), "2020-01-01", "2026-05-01", "2026-04-30", "2027-04-30"),
            (
                "month 13, day 0 is 1 December",
                1,
                fixed(13, 0),
                "2020-01-01",
                "2026-05-01",
                "2025-12-01",
                "2026-12-01",
            ),
            ("0 years is 1", 0, fixed(1, 1), "2020-01-01", "2026-05-01", "2026-01-01", "2027-01-01"),
        ];
        for (case, cycle_years, cycle, renewal, today, start, end) in cases {
            let rules = RuleSet { cycle_years, cycle, ..RuleSet::default() };
            assert_eq!(cycle_for(&rules, &licence(renewal), d(today)), (d(start), d(end)), "{case}");
        }
    }

    #[test]
    fn a_credit_on_the_first_day_counts_and_one_on_the_end_date_does_not() {
        let renewal = RuleSet { cycle: CycleAnchor::FromRenewal, ..yearly() };
        // (case, rules, licence renewal, today, earned, counts)
        let cases = [
            ("fixed, first day", yearly(), "2020-05-05", "2026-12-31", "2026-01-01", true),
            ("fixed, last day", yearly(), "2020-05-05", "2026-12-31", "2026-12-31", true),
            ("fixed, end date", yearly(), "2020-05-05", "2026-12-31", "2027-01-01", false),
            ("fixed, the day before", yearly(), "2020-05-05", "2026-12-31", "2025-12-31", false),
            ("renewal, first day", renewal.clone(), "2025-03-15", "2026-06-01", "2026-03-15", true),
            ("renewal, the day before", renewal.clone(), "2025-03-15", "2026-06-01", "2026-03-14", false),
            ("renewal, end date", renewal, "2025-03-15", "2027-03-14", "2027-03-15", false),
        ];
        for (case, rules, renewal, today, earned, counts) in cases {
            let credits = [credit(1, 500, "ethics", "course", earned)];
            let evaluation = evaluate(&rules, &licence(renewal), &credits, d(today));
            assert_eq!(evaluation.counted == 500, counts, "{case}");
        }
    }

    #[test]
    fn two_licences_are_judged_independently_over_the_same_credits() {
        let nursing = yearly();
        let midwifery = RuleSet {
            cycle_years: 3,
            cycle: CycleAnchor::FromRenewal,
            total: 4500,
            category_minimums: named(&[("obstetrics", 1500)]),
            kind_maximums: named(&[("self_directed", 500)]),
            accepted_accreditors: Some(vec![7]),
            rolling_validity_months: None,
        };
        let credits = vec![
            Credit { accreditor: Some(7), ..credit(1, 1500, "obstetrics", "course", "2025-09-01") },
            Credit { accreditor: Some(7), ..credit(2, 800, "obstetrics", "self_directed", "2026-02-01") },
            credit(3, 500, "ethics", "course", "2026-03-01"),
            credit(4, 1200, "clinical", "course", "2026-04-01"),
        ];
        let today = d("2026-05-01");
        let nurse = evaluate(&nursing, &licence("2019-01-10"), &credits, today);
        let midwife = evaluate(&midwifery, &licence("2025-07-01"), &credits, today);
        assert_eq!((nurse.start, nurse.end), (d("2026-01-01"), d("2027-01-01")));
        assert_eq!((midwife.start, midwife.end), (d("2025-07-01"), d("2028-07-01")));
        assert_eq!(counted(&nurse), [0, 800, 500, 1200], "nursing counts this year's credits");
        assert_eq!(counted(&midwife), [1500, 500, 0, 0], "midwifery counts accreditor 7, 5 self-directed");
        assert_eq!(nurse.status, Status::Compliant);
        assert_eq!(midwife.status, Status::OnTrack);
        // Judged together or apart, the answers are the same.
        assert_eq!(evaluate(&midwifery, &licence("2025-07-01"), &credits, today), midwife);
    }

    #[test]
    fn status_moves_with_time_and_credits_and_is_final_at_the_cycle_end() {
        let steady = vec![
            credit(1, 600, "clinical", "course", "2026-02-01"),
            credit(2, 500, "ethics", "course", "2026-09-01"),
            credit(3, 1000, "clinical", "course", "2026-10-01"),
        ];
        let no_ethics = vec![credit(1, 1500, "clinical", "course", "2026-02-01")];
        // (case, credits, today, status)
        let cases = [
            ("the first day, nothing yet", &steady, "2026-01-01", Status::OnTrack),
            ("6 of 20 after two months", &steady, "2026-03-01", Status::OnTrack),
            ("still 6 after five months", &steady, "2026-06-01", Status::AtRisk),
            ("11 after eight months", &steady, "2026-09-01", Status::AtRisk),
            ("21 with ethics in October", &steady, "2026-10-01", Status::Compliant),
            ("ahead, ethics at zero before half", &no_ethics, "2026-05-01", Status::OnTrack),
            ("ahead, ethics at zero after half", &no_ethics, "2026-08-01", Status::AtRisk),
        ];
        for (case, credits, today, status) in cases {
            let evaluation = evaluate(&yearly(), &licence("2020-05-05"), credits, d(today));
            assert_eq!(evaluation.status, status, "{case}");
        }
        let ended = evaluate_cycle_end(&yearly(), &licence("2020-05-05"), &steady, d("2026-05-05"));
        assert_eq!((ended.as_of, ended.closed, ended.status), (d("2026-12-31"), true, Status::Compliant));
        let ended = evaluate_cycle_end(&yearly(), &licence("2020-05-05"), &no_ethics, d("2026-05-05"));
        assert_eq!(ended.status, Status::NonCompliant);
        assert_eq!(
            ended.explanations,
            [
                Explanation::Missed { category: None, amount: 500, ended: d("2026-12-31") },
                Explanation::Missed { category: Some("ethics".into()), amount: 500, ended: d("2026-12-31") },
            ]
        );
        // The next day belongs to a new cycle, judged afresh.
        let next = evaluate(&yearly(), &licence("2020-05-05"), &no_ethics, d("2027-01-01"));
        assert_eq!((next.start, next.counted, next.status), (d("2027-01-01"), 0, Status::OnTrack));
    }

    /// Three years from 1 January 2024, 60 credits, 10 in ethics and 5 in law, 10 self-directed
    /// at most, accreditor 1 only, each credit valid 24 months; judged on 10 January 2026.
    fn busy_licensee() -> (RuleSet, Vec<Credit>) {
        let rules = RuleSet {
            cycle_years: 3,
            cycle: CycleAnchor::FromRenewal,
            total: 6000,
            category_minimums: named(&[("ethics", 1000), ("law", 500)]),
            kind_maximums: named(&[("self_directed", 1000)]),
            accepted_accreditors: Some(vec![1]),
            rolling_validity_months: Some(24),
        };
        let credits = vec![
            credit(1, 300, "clinical", "course", "2024-01-20"),
            credit(2, 200, "clinical", "course", "2024-01-25"),
            credit(3, 800, "clinical", "self_directed", "2024-02-05"),
            credit(4, 700, "clinical", "self_directed", "2024-02-10"),
            credit(5, 500, "clinical", "self_directed", "2025-06-01"),
            credit(6, 100, "clinical", "course", "2024-04-01"),
            Credit { accreditor: Some(9), ..credit(7, 200, "law", "course", "2025-05-01") },
            credit(8, 300, "ethics", "course", "2024-01-05"),
        ];
        (rules, credits)
    }

    #[test]
    fn explanations_come_most_urgent_first_in_plain_words() {
        let (rules, credits) = busy_licensee();
        let evaluation = evaluate(&rules, &licence("2024-01-01"), &credits, d("2026-01-10"));
        assert_eq!(evaluation.status, Status::AtRisk);
        assert_eq!(counted(&evaluation), [300, 200, 800, 200, 0, 100, 0, 0]);
        // 740 of 1,096 days gone: 60 × 740 / 1,096 = 40.51…, rounded up.
        let said: Vec<String> = evaluation.explanations.iter().map(describe).collect();
        assert_eq!(
            said,
            [
                "To keep pace you should have 40.52 credits by now; you have 16",
                "You need 44 more credits by 31 December 2026",
                "You need 10 more ethics credits by 31 December 2026",
                "You need 5 more law credits by 31 December 2026",
                "2 of your credits, worth 5, stop counting in January 2026",
                "2 of your credits, worth 5, stop counting in February 2026",
                "10 self directed credits are over the maximum of 10 and not counted",
                "1 of your credits, worth 2, is not counted because the accreditor is not accepted",
                "1 of your credits, worth 3, no longer counts because it is more than 24 months old",
            ]
        );
    }

    #[test]
    fn what_stops_counting_is_what_the_total_loses_grouped_by_month() {
        let (rules, credits) = busy_licensee();
        let evaluation = evaluate(&rules, &licence("2024-01-01"), &credits, d("2026-01-10"));
        // January: 3 + 2 course credits lapse. February: the 8 self-directed credits lapse first
        // but the 5 held back above the maximum of 10 take their place; when the 7 lapse five
        // days later, only those 5 are left, so the kind falls from 10 to 5.
        let stops: Vec<_> = evaluation
            .explanations
            .iter()
            .filter(|e| matches!(e, Explanation::StopCounting { .. }))
            .collect();
        assert_eq!(
            stops,
            [
                &Explanation::StopCounting { amount: 500, count: 2, on: d("2026-01-20") },
                &Explanation::StopCounting { amount: 500, count: 2, on: d("2026-02-05") },
            ]
        );
        let ids =
            |days| evaluation.stopping_within(days).map(|s| (s.credit_id, s.counted)).collect::<Vec<_>>();
        assert_eq!(ids(30), [(1, 300), (2, 200), (3, 800)], "the next 30 days");
        assert_eq!(ids(60), [(1, 300), (2, 200), (3, 800), (4, 200)], "the next 60 days");
    }

    #[test]
    fn explanations_read_as_sentences() {
        let on = d("2027-06-30");
        let cases = [
            (
                Explanation::NeedMore { category: Some("ethics".into()), amount: 300, by: on },
                "You need 3 more ethics credits by 30 June 2027",
            ),
            (
                Explanation::NeedMore { category: Some("ethics".into()), amount: 100, by: on },
                "You need 1 more ethics credit by 30 June 2027",
            ),
            (
                Explanation::NeedMore { category: None, amount: 250, by: on },
                "You need 2.5 more credits by 30 June 2027",
            ),
            (
                Explanation::Missed {
                    category: Some("patient_safety".into()),
                    amount: 125,
                    ended: d("2026-12-31"),
                },
                "You were 1.25 patient safety credits short when the cycle ended on 31 December 2026",
            ),
            (
                Explanation::StopCounting { amount: 3000, count: 12, on: d("2027-07-03") },
                "12 of your credits, worth 30, stop counting in July 2027",
            ),
            (
                Explanation::StopCounting { amount: 200, count: 1, on: d("2027-07-03") },
                "1 of your credits, worth 2, stops counting in July 2027",
            ),
            (
                Explanation::Met { cycle_end: d("2026-12-31") },
                "You have met every requirement of the cycle ending 31 December 2026",
            ),
            (
                Explanation::OverKindMaximum { kind: "conference".into(), maximum: 1500, not_counted: 100 },
                "1 conference credit is over the maximum of 15 and not counted",
            ),
            (
                Explanation::Expired { count: 2, amount: 550, months: 24 },
                "2 of your credits, worth 5.5, no longer count because they are more than 24 months old",
            ),
            (
                Explanation::BehindPace { expected: 100, counted: 0 },
                "To keep pace you should have 1 credit by now; you have 0",
            ),
        ];
        for (explanation, sentence) in cases {
            assert_eq!(describe(&explanation), sentence);
        }
    }

    #[test]
    fn hundredths_read_as_plain_numbers() {
        for (amount, text) in [
            (0, "0"),
            (300, "3"),
            (250, "2.5"),
            (225, "2.25"),
            (5, "0.05"),
            (-250, "-2.5"),
            (123_456, "1234.56"),
        ] {
            assert_eq!(number(amount), text, "{amount}");
        }
    }

    #[test]
    fn explanations_serialise_with_a_type_tag_and_no_words() {
        let explanation =
            Explanation::NeedMore { category: Some("ethics".into()), amount: 300, by: d("2027-06-30") };
        let json = serde_json::to_string(&explanation).unwrap();
        assert_eq!(json, r#"{"type":"need_more","category":"ethics","amount":300,"by":"2027-06-30"}"#);
        assert_eq!(serde_json::from_str::<Explanation>(&json).unwrap(), explanation);
        let over =
            Explanation::OverKindMaximum { kind: "self_directed".into(), maximum: 1000, not_counted: 5 };
        assert_eq!(
            serde_json::to_string(&over).unwrap(),
            r#"{"type":"over_kind_maximum","kind":"self_directed","maximum":1000,"not_counted":5}"#
        );
    }

    // Properties over random rules and credits -------------------------------------------------

    const CATEGORIES: [&str; 3] = ["clinical", "ethics", "law"];
    const KINDS: [&str; 3] = ["course", "reading", "self_directed"];

    fn arb_rules() -> impl Strategy<Value = RuleSet> {
        (
            1..=3_u32,
            prop::bool::ANY,
            0..6000_i64,
            prop::collection::vec((0..3_usize, 0..1500_i64), 0..4),
            prop::collection::vec((0..3_usize, 0..1500_i64), 0..4),
            prop::option::of(prop::collection::vec(1..4_i32, 0..3)),
            prop::option::of(6..36_u32),
        )
            .prop_map(|(cycle_years, fixed, total, minimums, maximums, accepted, rolling)| RuleSet {
                cycle_years,
                cycle: if fixed { CycleAnchor::Fixed { month: 1, day: 1 } } else { CycleAnchor::FromRenewal },
                total,
                category_minimums: minimums.into_iter().map(|(c, n)| (CATEGORIES[c].to_owned(), n)).collect(),
                kind_maximums: maximums.into_iter().map(|(k, n)| (KINDS[k].to_owned(), n)).collect(),
                accepted_accreditors: accepted,
                rolling_validity_months: rolling,
            })
    }

    fn arb_credits() -> impl Strategy<Value = Vec<Credit>> {
        prop::collection::vec(
            (0..1000_i64, 0..3_usize, 0..3_usize, prop::option::of(1..4_i32), 0..1500_i64),
            0..25,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .zip(1..)
                .map(|((amount, c, k, accreditor, day), id)| Credit {
                    id,
                    amount,
                    category: CATEGORIES[c].to_owned(),
                    kind: KINDS[k].to_owned(),
                    accreditor,
                    earned_on: add_days(d("2023-01-01"), day),
                })
                .collect()
        })
    }

    fn per_kind(credits: &[Credit], evaluation: &Evaluation, kind: &str) -> Hundredths {
        credits.iter().zip(&evaluation.credits).filter(|(c, _)| c.kind == kind).map(|(_, o)| o.counted).sum()
    }

    /// What the counted credits bring to the category minimums.
    fn toward_minimums(rules: &RuleSet, evaluation: &Evaluation) -> Hundredths {
        merged(&rules.category_minimums, Hundredths::max)
            .iter()
            .map(|(name, minimum)| evaluation.counted_in(name).min(*minimum))
            .sum()
    }

    /// The simple rule: each kind's maximum filled oldest first, whatever the categories.
    fn oldest_first_toward_minimums(
        rules: &RuleSet,
        credits: &[Credit],
        evaluation: &Evaluation,
    ) -> Hundredths {
        let maximums = merged(&rules.kind_maximums, Hundredths::min);
        let mut counting: Vec<&Credit> = credits
            .iter()
            .zip(&evaluation.credits)
            .filter(|(_, o)| matches!(o.not_counted, None | Some(NotCounted::OverKindMaximum)))
            .map(|(c, _)| c)
            .collect();
        counting.sort_by_key(|c| (c.earned_on, c.id));
        let mut room: Vec<(&str, Hundredths)> =
            KINDS.iter().map(|k| (*k, lookup(&maximums, k).unwrap_or(Hundredths::MAX))).collect();
        let mut by_category: Vec<(&str, Hundredths)> = CATEGORIES.iter().map(|c| (*c, 0)).collect();
        for c in counting {
            let left = &mut room.iter_mut().find(|(k, _)| *k == c.kind).unwrap().1;
            let take = c.amount.max(0).min(*left);
            *left -= take;
            by_category.iter_mut().find(|(name, _)| *name == c.category).unwrap().1 += take;
        }
        merged(&rules.category_minimums, Hundredths::max)
            .iter()
            .map(|(name, minimum)| {
                by_category.iter().find(|(c, _)| c == name).map_or(0, |(_, n)| *n).min(*minimum)
            })
            .sum()
    }

    proptest! {
        #[test]
        fn counting_never_exceeds_what_was_earned_nor_a_kind_maximum(
            rules in arb_rules(),
            credits in arb_credits(),
            today in 0..1500_i64,
        ) {
            let today = add_days(d("2023-06-01"), today);
            let evaluation = evaluate(&rules, &licence("2023-03-15"), &credits, today);
            let earned: Hundredths = credits.iter().map(|c| c.amount.max(0)).sum();
            prop_assert!(evaluation.counted <= earned);
            prop_assert_eq!(evaluation.counted, evaluation.credits.iter().map(|c| c.counted).sum::<Hundredths>());
            prop_assert_eq!(evaluation.counted, evaluation.by_category.iter().map(|c| c.1).sum::<Hundredths>());
            for (credit, outcome) in credits.iter().zip(&evaluation.credits) {
                prop_assert!((0..=credit.amount.max(0)).contains(&outcome.counted), "credit {}", credit.id);
            }
            for (kind, maximum) in merged(&rules.kind_maximums, Hundredths::min) {
                prop_assert!(per_kind(&credits, &evaluation, kind) <= maximum, "kind {}", kind);
            }
            prop_assert!(toward_minimums(&rules, &evaluation) >= oldest_first_toward_minimums(&rules, &credits, &evaluation));
            let reversed: Vec<Credit> = credits.iter().rev().cloned().collect();
            let again = evaluate(&rules, &licence("2023-03-15"), &reversed, today);
            prop_assert_eq!((&again.by_category, &again.status, &again.explanations), (&evaluation.by_category, &evaluation.status, &evaluation.explanations));
        }

        #[test]
        fn removing_a_credit_never_raises_a_counted_total(
            rules in arb_rules(),
            credits in arb_credits(),
            today in 0..1500_i64,
        ) {
            let today = add_days(d("2023-06-01"), today);
            let before = evaluate(&rules, &licence("2023-03-15"), &credits, today);
            for gone in 0..credits.len() {
                let mut fewer = credits.clone();
                fewer.remove(gone);
                let after = evaluate(&rules, &licence("2023-03-15"), &fewer, today);
                prop_assert!(after.counted <= before.counted);
                for kind in KINDS {
                    prop_assert!(per_kind(&fewer, &after, kind) <= per_kind(&credits, &before, kind), "kind {}", kind);
                }
                // A category's own total can rise (room under a maximum passes to another
                // credit), but what all of them bring to their minimums cannot.
                prop_assert!(toward_minimums(&rules, &after) <= toward_minimums(&rules, &before));
                if rules.kind_maximums.is_empty() {
                    for (name, amount) in &after.by_category {
                        prop_assert!(*amount <= before.counted_in(name), "category {}", name);
                    }
                }
            }
        }

        #[test]
        fn the_cycle_contains_today_and_the_next_starts_where_it_ends(
            cycle_years in 0..12_u32,
            anchor in prop::option::of((0..14_u32, 0..33_u32)),
            renewal in -40_000..40_000_i64,
            today in -40_000..40_000_i64,
        ) {
            let rules = RuleSet {
                cycle_years,
                cycle: anchor.map_or(CycleAnchor::FromRenewal, |(month, day)| CycleAnchor::Fixed { month, day }),
                ..RuleSet::default()
            };
            let licence = Licence { renewal: add_days(d("2000-01-01"), renewal) };
            let today = add_days(d("2000-01-01"), today);
            let (start, end) = cycle_for(&rules, &licence, today);
            prop_assert!(start <= today && today < end, "{} in [{}, {})", today, start, end);
            prop_assert_eq!(cycle_for(&rules, &licence, end).0, end);
            prop_assert_eq!(cycle_for(&rules, &licence, start), (start, end));
        }

        #[test]
        fn extreme_inputs_do_not_panic(
            cycle_years in any::<u32>(),
            anchor in prop::option::of((any::<u32>(), any::<u32>())),
            rolling in prop::option::of(any::<u32>()),
            total in any::<i64>(),
            amounts in prop::collection::vec(any::<i64>(), 0..6),
            renewal in any::<i32>(),
            today in any::<i32>(),
        ) {
            let rules = RuleSet {
                cycle_years,
                cycle: anchor.map_or(CycleAnchor::FromRenewal, |(month, day)| CycleAnchor::Fixed { month, day }),
                total,
                category_minimums: named(&[("ethics", total)]),
                kind_maximums: named(&[("course", total / 2)]),
                rolling_validity_months: rolling,
                ..RuleSet::default()
            };
            let day = |n: i32| NaiveDate::from_num_days_from_ce_opt(n % 95_000_000).unwrap_or(NaiveDate::MIN);
            let credits: Vec<Credit> = amounts
                .iter()
                .zip(1..)
                .map(|(amount, id)| Credit { amount: *amount, earned_on: day(today.wrapping_sub(id * 400)), ..credit(id, 0, "ethics", "course", "2026-01-01") })
                .collect();
            let evaluation = evaluate(&rules, &Licence { renewal: day(renewal) }, &credits, day(today));
            let _ = evaluation.explanations.iter().map(describe).count();
            let _ = evaluate_cycle_end(&rules, &Licence { renewal: day(renewal) }, &credits, day(today));
        }
    }
}
