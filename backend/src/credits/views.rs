//! Credit pages: a learner's ledger and activity form; an association's accreditations and its
//! review queue. Every page works without script at 360 px.

use super::entity::{credit_entry, outside_activity};
use super::service::{ACTIVITY_KINDS, AccreditationView, CATEGORIES, format_credits};
use crate::accounts::entity::organisation;
use crate::platform::ui::components::{
    Field, FormErrors, FormFields, csrf_field, error_summary, select_field,
};
use crate::platform::ui::{Chrome, Lang, page};
use maud::{Markup, html};
use std::collections::BTreeMap;

fn options(t: Lang, prefix: &str, values: &[&str]) -> Vec<(String, String)> {
    values.iter().map(|v| ((*v).to_owned(), t.t(&format!("{prefix}-{v}")))).collect()
}

/// A learner's ledger: totals by category, every entry, activities reported and the form.
pub fn ledger_page(
    chrome: &Chrome,
    entries: &[credit_entry::Model],
    activities: &[outside_activity::Model],
    associations: &[organisation::Model],
    values: &FormFields,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let mut totals: BTreeMap<&str, i64> = BTreeMap::new();
    for e in entries {
        *totals.entry(e.category.as_str()).or_default() += e.amount;
    }
    let total: i64 = totals.values().sum();
    let association_options: Vec<(String, String)> =
        associations.iter().map(|o| (o.id.to_string(), o.name.clone())).collect();
    page(
        chrome,
        &t.t("credits-title"),
        html! {
            h1 { (t.t("credits-title")) }
            p role="status" { strong { (t.ta("credits-total", &[("total", format_credits(total).into())])) } }
            @if !totals.is_empty() {
                ul.chips { @for (category, amount) in &totals { li.chip { (t.t(&format!("category-{category}"))) " " (format_credits(*amount)) } } }
            }
            @if entries.is_empty() { p { (t.t("credits-none")) } }
            ul.list { @for e in entries.iter().rev() {
                li { strong { (e.title) } br;
                    span.muted { (e.earned_on.format("%Y-%m-%d").to_string()) " · " (t.t(&format!("activity-{}", e.kind))) " · " (t.t(&format!("category-{}", e.category))) " · " }
                    strong { (format_credits(e.amount)) } }
            } }
            h2 { (t.t("activity-title")) }
            @if !activities.is_empty() {
                ul.list { @for a in activities {
                    li { (a.title) " · " (format_credits(a.credits)) " · " strong { (t.t(&format!("activity-status-{}", a.status))) }
                        @if !a.reason.is_empty() { br; span.muted { (a.reason) } } }
                } }
            }
            p.muted { (t.t("activity-intro")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form method="post" action="/me/credits/activities" {
                (csrf_field(&chrome.csrf))
                (select_field("organisation", &t.t("activity-association"), &association_options, values.get("organisation"), errors))
                (select_field("kind", &t.t("activity-kind"), &options(t, "activity", &ACTIVITY_KINDS), values.get("kind"), errors))
                (Field::text("title", &t.t("activity-name"), values.get("title")).required().render(errors))
                (Field::text("held_on", &t.t("activity-date"), values.get("held_on")).kind("date").required().render(errors))
                (Field::text("credits", &t.t("activity-credits"), values.get("credits")).hint(&t.t("credits-hint")).required().render(errors))
                (select_field("category", &t.t("credits-category"), &options(t, "category", &CATEGORIES), values.get("category"), errors))
                div.field {
                    label for="f-description" { (t.t("activity-description")) }
                    textarea #f-description name="description" rows="3" maxlength="4000" { (values.get("description")) }
                }
                button type="submit" { (t.t("activity-submit")) }
            }
        },
    )
}

/// An association's accreditations and the form to add one.
pub fn accreditations_page(
    chrome: &Chrome,
    organisation: &str,
    accreditations: &[AccreditationView],
    courses: &[(String, String)],
    values: &FormFields,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("accreditations-title"),
        html! {
            h1 { (t.t("accreditations-title")) }
            ul.list { @for a in accreditations {
                li { strong { (a.course_title) } " · v" (a.version) br;
                    span.muted { (format_credits(a.accreditation.credits)) " · " (t.t(&format!("category-{}", a.accreditation.category))) " · "
                        (a.accreditation.valid_from.format("%Y-%m-%d").to_string()) " → "
                        (a.accreditation.valid_until.map_or_else(|| "…".to_owned(), |d| d.format("%Y-%m-%d").to_string())) } }
            } }
            h2 { (t.t("accreditation-new")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form method="post" action={"/orgs/" (organisation) "/accreditations"} {
                (csrf_field(&chrome.csrf))
                (select_field("course", &t.t("accreditation-course"), courses, values.get("course"), errors))
                (Field::text("version", &t.t("accreditation-version"), values.get("version")).kind("number").required().render(errors))
                (Field::text("credits", &t.t("activity-credits"), values.get("credits")).hint(&t.t("credits-hint")).required().render(errors))
                (select_field("category", &t.t("credits-category"), &options(t, "category", &CATEGORIES), values.get("category"), errors))
                (Field::text("valid_from", &t.t("accreditation-from"), values.get("valid_from")).kind("date").required().render(errors))
                (Field::text("valid_until", &t.t("accreditation-until"), values.get("valid_until")).kind("date").render(errors))
                (Field::text("certificate_months", &t.t("accreditation-months"), values.get("certificate_months")).kind("number").hint(&t.t("accreditation-months-hint")).render(errors))
                button type="submit" { (t.t("accreditation-submit")) }
            }
        },
    )
}

/// Activities waiting for an association's review.
pub fn review_page(
    chrome: &Chrome,
    organisation: &str,
    pending: &[(outside_activity::Model, String)],
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("review-activities-title"),
        html! {
            h1 { (t.t("review-activities-title")) }
            (error_summary(&t.t("form-has-errors"), errors))
            @if pending.is_empty() { p { (t.t("review-activities-none")) } }
            @for (a, learner) in pending {
                article.card {
                    p { strong { (a.title) } br; span.muted { (learner) " · " (a.held_on.format("%Y-%m-%d").to_string()) " · "
                        (t.t(&format!("activity-{}", a.kind))) " · " (t.t(&format!("category-{}", a.category))) " · " (format_credits(a.credits)) } }
                    @if !a.description.is_empty() { p { (a.description) } }
                    form.inline method="post" action={"/orgs/" (organisation) "/activities/" (a.id) "/approve"} {
                        (csrf_field(&chrome.csrf)) button type="submit" { (t.t("review-approve")) } }
                    form method="post" action={"/orgs/" (organisation) "/activities/" (a.id) "/reject"} {
                        (csrf_field(&chrome.csrf))
                        (Field::text("reason", &t.t("review-reason"), "").render(errors))
                        button.secondary type="submit" { (t.t("review-reject")) }
                    }
                }
            }
        },
    )
}
