//! The messages competencies send, as plain text and HTML, in the recipient's language.

use super::entity::evidence;
use crate::accounts::emails::{Words, compose, to};
use crate::accounts::entity::account;
use crate::platform::mail::Email;
use crate::platform::ui::Lang;

/// Evidence that is about to stop counting: which competencies, and by when.
pub fn lapsing(learner: &account::Model, items: &[evidence::Model], url: &str) -> Email {
    let lang = Lang::from_code(&learner.locale).unwrap_or(Lang::En);
    let first = items.iter().map(|e| e.expires_at).min().unwrap_or_default();
    let mut codes: Vec<&str> = items.iter().map(|e| e.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let words = Words {
        subject: lang.t("email-lapsing-subject"),
        intro: lang.ta(
            "email-lapsing-intro",
            &[("codes", codes.join(", ").into()), ("date", first.format("%Y-%m-%d").to_string().into())],
        ),
        action: lang.t("email-lapsing-action"),
        note: lang.t("email-lapsing-note"),
    };
    compose(lang, to(learner), words, url)
}
