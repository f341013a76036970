//! The outbox page.

use crate::platform::mail::entity::Model as Message;
use crate::platform::ui::components::csrf_field;
use crate::platform::ui::{Chrome, page};
use maud::{Markup, html};

pub fn outbox_page(chrome: &Chrome, counts: &[(String, i64)], failed: &[Message]) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("outbox-title"),
        html! {
            h1 { (t.t("outbox-title")) }
            dl.facts.card {
                @for status in ["pending", "sending", "sent", "failed"] {
                    dt { (t.t(&format!("outbox-{status}"))) }
                    dd { (counts.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n)) }
                }
            }
            h2 { (t.t("outbox-failed")) }
            @if failed.is_empty() { p { (t.t("outbox-none-failed")) } }
            ul.list {
                @for message in failed {
                    li {
                        strong { (message.subject) } br;
                        span.muted { (message.to_address) " · " (message.created_at.format("%Y-%m-%d %H:%M UTC")) " · "
                            (t.ta("outbox-attempts", &[("count", i64::from(message.attempts).into())])) }
                        @if let Some(error) = &message.last_error { p.error { (error) } }
                        form method="post" action={"/admin/outbox/" (message.id) "/retry"} {
                            (csrf_field(&chrome.csrf))
                            button.secondary type="submit" { (t.t("outbox-retry")) }
                        }
                    }
                }
            }
        },
    )
}
