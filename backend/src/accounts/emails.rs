//! The messages accounts send, each as plain text and HTML, in the recipient's language.

use super::entity::account;
use super::model::Role;
use crate::platform::mail::Email;
use crate::platform::ui::Lang;
use maud::{DOCTYPE, Markup, html};

/// A short, plain email: a greeting, a paragraph, one button, a note.
fn compose(lang: Lang, to_address: &str, to_name: &str, subject: String, intro: String, action: String, url: &str, note: String) -> Email {
    let greeting = lang.ta("email-greeting", &[("name", to_name.into())]);
    let text = format!("{greeting}\n\n{intro}\n\n{action}: {url}\n\n{note}\n\n— Lantern\n");
    let html: Markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head { meta charset="utf-8"; title { (subject) } }
            body style="font-family: system-ui, sans-serif; color: #1d2433; max-width: 36rem; margin: 0 auto; padding: 1rem" {
                p { (greeting) }
                p { (intro) }
                p { a href=(url) style="display: inline-block; background: #0b5d4b; color: #fff; padding: .7rem 1.1rem; border-radius: 8px; text-decoration: none; font-weight: 600" { (action) } }
                p style="color: #525c6e; font-size: .9rem" { (note) }
                p style="color: #525c6e; font-size: .9rem; word-break: break-all" { (url) }
                p { "— Lantern" }
            }
        }
    };
    Email { to_address: to_address.to_owned(), to_name: to_name.to_owned(), subject, text, html: html.into_string() }
}

pub fn verify_email(lang: Lang, account: &account::Model, url: &str, minutes: i64) -> Email {
    compose(
        lang,
        &account.email,
        &account.name,
        lang.t("email-verify-subject"),
        lang.t("email-verify-intro"),
        lang.t("email-verify-action"),
        url,
        lang.ta("email-link-expiry", &[("hours", (minutes / 60).max(1).into())]),
    )
}

pub fn reset_password(lang: Lang, account: &account::Model, url: &str, minutes: i64) -> Email {
    compose(
        lang,
        &account.email,
        &account.name,
        lang.t("email-reset-subject"),
        lang.t("email-reset-intro"),
        lang.t("email-reset-action"),
        url,
        lang.ta("email-link-expiry-minutes", &[("minutes", minutes.into())]),
    )
}

pub fn sign_in_link(lang: Lang, account: &account::Model, url: &str, minutes: i64) -> Email {
    compose(
        lang,
        &account.email,
        &account.name,
        lang.t("email-sign-in-subject"),
        lang.t("email-sign-in-intro"),
        lang.t("email-sign-in-action"),
        url,
        lang.ta("email-link-expiry-minutes", &[("minutes", minutes.into())]),
    )
}

pub fn invitation(lang: Lang, email: &str, inviter: &str, organisation: &str, role: Role, url: &str, days: i64) -> Email {
    let role = lang.t(&format!("role-{}", role.as_str()));
    compose(
        lang,
        email,
        email,
        lang.ta("email-invitation-subject", &[("organisation", organisation.into())]),
        lang.ta("email-invitation-intro", &[("inviter", inviter.into()), ("organisation", organisation.into()), ("role", role.into())]),
        lang.t("email-invitation-action"),
        url,
        lang.ta("email-invitation-expiry", &[("days", days.into())]),
    )
}
