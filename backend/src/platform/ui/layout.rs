//! The one page layout: a header with the brand and the account's links, the page, and a footer
//! with the language picker. Works with no script at 360 px wide.

use super::assets;
use super::components::csrf_field;
use super::i18n::Lang;
use maud::{DOCTYPE, Markup, html};

/// What the layout needs to know of the visitor.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub lang: Lang,
    pub csrf: String,
    /// Signed-in person, if any.
    pub account: Option<AccountChip>,
    /// The current path, to mark the active link and to return after a language change.
    pub path: String,
    /// A short message to show above the page (after a redirect).
    pub notice: Option<String>,
    /// Error pages do not know who is signed in: they show no account links.
    pub minimal: bool,
    /// Images as links that say their size: the learner's setting, or `Save-Data: on`.
    pub data_saver: bool,
}

/// The signed-in person as the header shows them.
#[derive(Clone, Debug)]
pub struct AccountChip {
    pub name: String,
    pub is_platform_admin: bool,
    /// An opaque name for what this person keeps in the browser (`accounts::model::storage_key`).
    pub storage_key: String,
}

impl Chrome {
    /// The chrome of an error page.
    pub fn minimal(lang: Lang, csrf: String, path: String) -> Self {
        Self { lang, csrf, account: None, path, notice: None, minimal: true, data_saver: false }
    }
}

/// Renders a whole page.
pub fn page(chrome: &Chrome, title: &str, body: Markup) -> Markup {
    let lang = chrome.lang;
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir="ltr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Lantern" }
                link rel="stylesheet" href=(assets::stylesheet_url());
                link rel="icon" href="data:,";
                meta name="color-scheme" content="light";
            }
            body {
                a.skip href="#main" { (lang.t("nav-skip")) }
                header.top {
                    a.brand href="/" { span.mark aria-hidden="true" { "◆" } " Lantern" }
                    @if !chrome.minimal {
                        nav aria-label=(lang.t("nav-label")) {
                            a href="/courses" aria-current=[current(&chrome.path, "/courses")] { (lang.t("nav-courses")) }
                            a href="/search" aria-current=[current(&chrome.path, "/search")] { (lang.t("nav-search")) }
                            @match &chrome.account {
                                Some(account) => {
                                    a href="/learning" aria-current=[current(&chrome.path, "/learning")] { (lang.t("nav-learning")) }
                                    a href="/account" aria-current=[current(&chrome.path, "/account")] title=(account.name) { (lang.t("nav-profile")) }
                                    @if account.is_platform_admin {
                                        a href="/admin" aria-current=[current(&chrome.path, "/admin")] { (lang.t("nav-admin")) }
                                    }
                                    form.inline method="post" action="/sign-out" {
                                        (csrf_field(&chrome.csrf))
                                        button.link type="submit" { (lang.t("nav-sign-out")) }
                                    }
                                }
                                None => {
                                    a href="/sign-in" aria-current=[current(&chrome.path, "/sign-in")] { (lang.t("nav-sign-in")) }
                                    a.cta href="/sign-up" aria-current=[current(&chrome.path, "/sign-up")] { (lang.t("nav-sign-up")) }
                                }
                            }
                        }
                    }
                }
                main #main {
                    @if let Some(notice) = &chrome.notice {
                        p.notice role="status" { (notice) }
                    }
                    (body)
                }
                footer.bottom {
                    // Anonymous visitors pick by GET (a cookie only): their pages hold nothing
                    // of the visitor and are served precompressed. See accounts::http.
                    form.language method=(if chrome.account.is_some() { "post" } else { "get" }) action="/language" {
                        @if chrome.account.is_some() { (csrf_field(&chrome.csrf)) }
                        input type="hidden" name="back" value=(chrome.path);
                        label for="language-picker" { (lang.t("footer-language")) }
                        select #language-picker name="lang" {
                            @for option in Lang::ALL {
                                option value=(option.code()) selected[option == lang] { (option.endonym()) }
                            }
                        }
                        button.secondary type="submit" { (lang.t("footer-language-apply")) }
                    }
                    p { (lang.t("footer-tagline")) }
                }
            }
        }
    }
}

fn current(path: &str, link: &str) -> Option<&'static str> {
    (path == link || path.starts_with(&format!("{link}/"))).then_some("page")
}
