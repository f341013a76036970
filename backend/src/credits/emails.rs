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
