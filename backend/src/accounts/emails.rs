//! The messages accounts send, each as plain text and HTML, in the recipient's language.

use super::entity::account;
use super::model::Role;
use crate::platform::mail::Email;
use crate::platform::ui::Lang;
use maud::{DOCTYPE, Markup, html};

/// The words of a short email: a greeting, a paragraph, one button, a note.
pub(crate) struct Words {
    pub subject: String,
    pub intro: String,
    pub action: String,
    pub note: String,
}

/// Who receives a message.
pub(crate) struct Recipient<'a> {
    pub address: &'a str,
    pub name: &'a str,
}

pub(crate) fn compose(lang: Lang, to: Recipient<'_>, words: Words, url: &str) -> Email {
    let Words { subject, intro, action, note } = words;
    let greeting = lang.ta("email-greeting", &[("name", to.name.into())]);
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
    Email {
        to_address: to.address.to_owned(),
        to_name: to.name.to_owned(),
        subject,
        text,
        html: html.into_string(),
    }
}

pub(crate) fn to(account: &account::Model) -> Recipient<'_> {
    Recipient { address: &account.email, name: &account.name }
}

pub fn verify_email(lang: Lang, account: &account::Model, url: &str, minutes: i64) -> Email {
    let words = Words {
        subject: lang.t("email-verify-subject"),
        intro: lang.t("email-verify-intro"),
        action: lang.t("email-verify-action"),
        note: lang.ta("email-link-expiry", &[("hours", (minutes / 60).max(1).into())]),
    };
    compose(lang, to(account), words, url)
}

pub fn reset_password(lang: Lang, account: &account::Model, url: &str, minutes: i64) -> Email {
    let words = Words {
        subject: lang.t("email-reset-subject"),
        intro: lang.t("email-reset-intro"),
        action: lang.t("email-reset-action"),
        note: lang.ta("email-link-expiry-minutes", &[("minutes", minutes.into())]),
    };
    compose(lang, to(account), words, url)
}

pub fn sign_in_link(lang: Lang, account: &account::Model, url: &str, minutes: i64) -> Email {
    let words = Words {
        subject: lang.t("email-sign-in-subject"),
        intro: lang.t("email-sign-in-intro"),
        action: lang.t("email-sign-in-action"),
        note: lang.ta("email-link-expiry-minutes", &[("minutes", minutes.into())]),
    };
    compose(lang, to(account), words, url)
}

/// An invitation to join an organisation; the invitee may have no account yet.
pub struct InvitationEmail<'a> {
    pub email: &'a str,
    pub inviter: &'a str,
    pub organisation: &'a str,
    pub role: Role,
    pub url: &'a str,
    pub days: i64,
}

pub fn invitation(lang: Lang, invitation: InvitationEmail<'_>) -> Email {
    let role = lang.t(&format!("role-{}", invitation.role.as_str()));
    let organisation = invitation.organisation;
    let words = Words {
        subject: lang.ta("email-invitation-subject", &[("organisation", organisation.into())]),
        intro: lang.ta(
            "email-invitation-intro",
            &[
                ("inviter", invitation.inviter.into()),
                ("organisation", organisation.into()),
                ("role", role.into()),
            ],
        ),
        action: lang.t("email-invitation-action"),
        note: lang.ta("email-invitation-expiry", &[("days", invitation.days.into())]),
    };
    compose(lang, Recipient { address: invitation.email, name: invitation.email }, words, invitation.url)
}
