//! The messages credits send, as plain text and HTML, in the recipient's language.

use super::rules::Evaluation;
use super::views::explanation_text;
use crate::accounts::emails::{Words, compose, to};
use crate::accounts::entity::account;
use crate::platform::mail::Email;
use crate::platform::ui::Lang;

/// A licensee short of credits before the cycle ends: what is missing, by when.
pub fn short_of_credits(
    learner: &account::Model,
    regulator: &str,
    evaluation: &Evaluation,
    url: &str,
) -> Email {
    let lang = Lang::from_code(&learner.locale).unwrap_or(Lang::En);
    let why: Vec<String> =
        evaluation.explanations.iter().take(3).map(|e| explanation_text(lang, e)).collect();
    let words = Words {
        subject: lang.ta("email-cpd-short-subject", &[("regulator", regulator.to_owned().into())]),
        intro: why.join(" "),
        action: lang.t("email-cpd-short-action"),
        note: lang.t("email-cpd-short-note"),
    };
    compose(lang, to(learner), words, url)
}

/// The monthly compliance summary to a regulator's officer: counts by status.
pub fn monthly_summary(
    officer: &account::Model,
    regulator: &str,
    month: chrono::NaiveDate,
    counts: &[(super::rules::Status, usize)],
    url: &str,
) -> Email {
    let lang = Lang::from_code(&officer.locale).unwrap_or(Lang::En);
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let lines: Vec<String> = counts
        .iter()
        .map(|(status, n)| format!("{}: {n}", lang.t(super::views::status_key(*status))))
        .collect();
    let words = Words {
        subject: lang.ta(
            "email-summary-subject",
            &[
                ("regulator", regulator.to_owned().into()),
                ("month", month.format("%Y-%m").to_string().into()),
            ],
        ),
        intro: format!(
            "{} {}.",
            lang.ta("email-summary-intro", &[("count", (total as i64).into())]),
            lines.join(", ")
        ),
        action: lang.t("email-summary-action"),
        note: lang.t("email-summary-note"),
    };
    compose(lang, to(officer), words, url)
}
