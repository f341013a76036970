//! The messages mentorship sends, as plain text and HTML, in the recipient's language.

use super::matching::Reason;
use super::views::reason_text;
use crate::accounts::emails::{Words, compose, to};
use crate::accounts::entity::account;
use crate::platform::mail::Email;
use crate::platform::ui::Lang;

fn lang_of(account: &account::Model) -> Lang {
    Lang::from_code(&account.locale).unwrap_or(Lang::En)
}

/// A match offered to one of the pair, with its reasons.
pub fn proposal(
    recipient: &account::Model,
    other: &account::Model,
    as_mentor: bool,
    reasons: &[Reason],
    url: &str,
) -> Email {
    let lang = lang_of(recipient);
    let why: Vec<String> = reasons.iter().take(3).map(|r| reason_text(lang, r)).collect();
    let key = if as_mentor { "email-proposal-mentor" } else { "email-proposal-mentee" };
    let words = Words {
        subject: lang.t("email-proposal-subject"),
        intro: lang.ta(key, &[("name", other.name.clone().into()), ("reasons", why.join("; ").into())]),
        action: lang.t("email-proposal-action"),
        note: lang.t("email-proposal-note"),
    };
    compose(lang, to(recipient), words, url)
}

/// Both accepted: the other's contact details.
pub fn active(recipient: &account::Model, other: &account::Model, url: &str) -> Email {
    let lang = lang_of(recipient);
    let words = Words {
        subject: lang.t("email-active-subject"),
        intro: lang.ta(
            "email-active-intro",
            &[("name", other.name.clone().into()), ("email", other.email.clone().into())],
        ),
        action: lang.t("email-active-action"),
        note: lang.t("email-active-note"),
    };
    compose(lang, to(recipient), words, url)
}

/// The other ended the mentorship.
pub fn ended(recipient: &account::Model, ender: &account::Model, url: &str) -> Email {
    let lang = lang_of(recipient);
    let words = Words {
        subject: lang.t("email-ended-subject"),
        intro: lang.ta("email-ended-intro", &[("name", ender.name.clone().into())]),
        action: lang.t("email-ended-action"),
        note: lang.t("email-ended-note"),
    };
    compose(lang, to(recipient), words, url)
}

/// No session logged for a while.
pub fn reminder(recipient: &account::Model, other: &account::Model, url: &str) -> Email {
    let lang = lang_of(recipient);
    let words = Words {
        subject: lang.t("email-session-reminder-subject"),
        intro: lang.ta("email-session-reminder-intro", &[("name", other.name.clone().into())]),
        action: lang.t("email-session-reminder-action"),
        note: lang.t("email-session-reminder-note"),
    };
    compose(lang, to(recipient), words, url)
}
