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
    standing: &[LicenceStanding],
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
            (standing_section(chrome, standing))
            h2 { (t.t("credits-ledger")) }
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

// ----- Compliance --------------------------------------------------------------------------------

use super::compliance::{LicenceStanding, Licensee, RosterRow, RowProblem};
use super::rules::{Explanation, RuleSet, Status};

pub fn status_key(status: Status) -> &'static str {
    match status {
        Status::Compliant => "compliance-compliant",
        Status::OnTrack => "compliance-on-track",
        Status::AtRisk => "compliance-at-risk",
        Status::NonCompliant => "compliance-non-compliant",
    }
}

fn long_date(t: Lang, date: chrono::NaiveDate) -> String {
    let month = t.t(&format!("month-{}", date.format("%m")));
    format!("{} {month} {}", date.format("%-d"), date.format("%Y"))
}

fn category_name(t: Lang, category: Option<&str>) -> String {
    category.map_or_else(String::new, |c| t.t(&format!("category-{c}")))
}

/// An explanation of a licensee's standing in the reader's words.
pub fn explanation_text(t: Lang, e: &Explanation) -> String {
    match e {
        Explanation::Missed { category, amount, ended } => t.ta(
            if category.is_some() { "explain-missed-in" } else { "explain-missed" },
            &[
                ("amount", format_credits(*amount).into()),
                ("category", category_name(t, category.as_deref()).into()),
                ("date", long_date(t, *ended).into()),
            ],
        ),
        Explanation::BehindPace { expected, counted } => t.ta(
            "explain-behind",
            &[("expected", format_credits(*expected).into()), ("counted", format_credits(*counted).into())],
        ),
        Explanation::NeedMore { category, amount, by } => t.ta(
            if category.is_some() { "explain-need-more-in" } else { "explain-need-more" },
            &[
                ("amount", format_credits(*amount).into()),
                ("category", category_name(t, category.as_deref()).into()),
                ("date", long_date(t, *by).into()),
            ],
        ),
        Explanation::StopCounting { amount, count, on } => t.ta(
            "explain-stop",
            &[
                ("count", (*count as i64).into()),
                ("amount", format_credits(*amount).into()),
                ("date", long_date(t, *on).into()),
            ],
        ),
        Explanation::Met { cycle_end } => t.ta("explain-met", &[("date", long_date(t, *cycle_end).into())]),
        Explanation::OverKindMaximum { kind, maximum, not_counted } => t.ta(
            "explain-over-kind",
            &[
                ("kind", t.t(&format!("activity-{kind}")).into()),
                ("maximum", format_credits(*maximum).into()),
                ("amount", format_credits(*not_counted).into()),
            ],
        ),
        Explanation::NotAccepted { count, amount } => t.ta(
            "explain-not-accepted",
            &[("count", (*count as i64).into()), ("amount", format_credits(*amount).into())],
        ),
        Explanation::Expired { count, amount, months } => t.ta(
            "explain-expired",
            &[
                ("count", (*count as i64).into()),
                ("amount", format_credits(*amount).into()),
                ("months", i64::from(*months).into()),
            ],
        ),
    }
}

/// A learner's licences with their standing and consent, on the ledger page.
pub fn standing_section(chrome: &Chrome, standing: &[LicenceStanding]) -> Markup {
    let t = chrome.lang;
    html! {
        h2 id="compliance" { (t.t("compliance-title")) }
        @if standing.is_empty() { p { (t.t("compliance-no-licence")) " " a href="/account#licences" { (t.t("compliance-add-licence")) } } }
        @for s in standing {
            article.card {
                p { strong { (s.regulator.name) } " · " (s.licence.number) " · " (t.t(&format!("licence-{}", s.licence.status))) }
                @match &s.evaluation {
                    Some(e) => {
                        p { strong { (t.t(status_key(e.status))) } " · "
                            (t.ta("compliance-cycle", &[("start", long_date(t, e.start).into()), ("end", long_date(t, e.last_day()).into()), ("counted", format_credits(e.counted).into())])) }
                        ul { @for x in &e.explanations { li { (explanation_text(t, x)) } } }
                    }
                    None => { p.muted { (t.t("compliance-no-rules")) } }
                }
                form.inline method="post" action={"/me/credits/consent/" (s.regulator.id)} {
                    (csrf_field(&chrome.csrf))
                    @if s.consented {
                        input type="hidden" name="grant" value="no";
                        span.muted { (t.t("consent-given")) " " } button.link type="submit" { (t.t("consent-revoke")) }
                    } @else {
                        input type="hidden" name="grant" value="yes";
                        button.secondary type="submit" { (t.t("consent-give")) }
                    }
                }
            }
        }
    }
}

/// A regulator's rules per profession and the form to set them.
pub fn rules_page(
    chrome: &Chrome,
    organisation: &str,
    rules: &[(String, RuleSet)],
    values: &FormFields,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let pairs = |list: &[(String, i64)]| {
        list.iter().map(|(k, v)| format!("{k}:{}", format_credits(*v))).collect::<Vec<_>>().join(", ")
    };
    let professions: Vec<(String, String)> = crate::accounts::model::PROFESSIONS
        .iter()
        .map(|p| ((*p).to_owned(), t.t(&format!("profession-{p}"))))
        .collect();
    page(
        chrome,
        &t.t("rules-title"),
        html! {
            h1 { (t.t("rules-title")) }
            @for (profession, r) in rules {
                article.card {
                    h2.card-title { (t.t(&format!("profession-{profession}"))) }
                    p { (t.ta("rules-summary", &[("total", format_credits(r.total).into()), ("years", i64::from(r.cycle_years).into())])) }
                    @if !r.category_minimums.is_empty() { p.muted { (t.t("rules-minimums")) ": " (pairs(&r.category_minimums)) } }
                    @if !r.kind_maximums.is_empty() { p.muted { (t.t("rules-maximums")) ": " (pairs(&r.kind_maximums)) } }
                    @if let Some(m) = r.rolling_validity_months { p.muted { (t.ta("rules-rolling", &[("months", i64::from(m).into())])) } }
                    @if let Some(accepted) = &r.accepted_accreditors { p.muted { (t.ta("rules-accepted", &[("count", (accepted.len() as i64).into())])) } }
                }
            }
            h2 { (t.t("rules-set")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form method="post" action={"/orgs/" (organisation) "/cpd-rules"} {
                (csrf_field(&chrome.csrf))
                (select_field("profession", &t.t("rules-profession"), &professions, values.get("profession"), errors))
                (select_field("cycle_years", &t.t("rules-cycle-years"), &(1..=5).map(|n| (n.to_string(), n.to_string())).collect::<Vec<_>>(), values.get("cycle_years"), errors))
                (Field::text("anchor", &t.t("rules-anchor"), values.get("anchor")).hint(&t.t("rules-anchor-hint")).render(errors))
                (Field::text("total", &t.t("rules-total"), values.get("total")).required().render(errors))
                (Field::text("minimums", &t.t("rules-minimums"), values.get("minimums")).hint(&t.t("rules-minimums-hint")).render(errors))
                (Field::text("maximums", &t.t("rules-maximums"), values.get("maximums")).hint(&t.t("rules-maximums-hint")).render(errors))
                (Field::text("rolling_validity_months", &t.t("rules-rolling-label"), values.get("rolling_validity_months")).kind("number").render(errors))
                (Field::text("accreditors", &t.t("rules-accreditors"), values.get("accreditors")).hint(&t.t("rules-accreditors-hint")).render(errors))
                button type="submit" { (t.t("rules-save")) }
            }
        },
    )
}

/// The roster upload, its preview (problems per line, or the rows to import) and the result.
pub fn roster_page(
    chrome: &Chrome,
    organisation: &str,
    preview: Option<(&str, &[RosterRow])>,
    problems: &[RowProblem],
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("roster-title"),
        html! {
            h1 { (t.t("roster-title")) }
            p.muted { (t.t("roster-intro")) }
            p.url { code { (super::compliance::ROSTER_COLUMNS.join(", ")) } }
            @if !problems.is_empty() {
                div.alert.error role="alert" {
                    p { strong { (t.ta("roster-problems", &[("count", (problems.len() as i64).into())])) } }
                    ul { @for p in problems.iter().take(200) { li { code { (p) } } } }
                }
            }
            @if let Some((text, rows)) = preview {
                h2 { (t.ta("roster-preview", &[("count", (rows.len() as i64).into())])) }
                ul.list { @for r in rows.iter().take(20) { li { (r.number) " · " (r.name) " · " (t.t(&format!("profession-{}", r.profession))) " · " (r.renewed_on.to_string()) } } }
                form method="post" action={"/orgs/" (organisation) "/roster"} {
                    (csrf_field(&chrome.csrf))
                    input type="hidden" name="confirm" value="yes";
                    textarea hidden name="csv" { (text) }
                    button type="submit" { (t.ta("roster-import", &[("count", (rows.len() as i64).into())])) }
                }
            }
            form method="post" enctype="multipart/form-data" action={"/orgs/" (organisation) "/roster?csrf_token=" (chrome.csrf)} {
                div.field {
                    label for="f-file" { (t.t("roster-file")) }
                    input #f-file type="file" name="file" accept=".csv,text/csv";
                }
                button.secondary type="submit" { (t.t("roster-check")) }
            }
        },
    )
}

/// A regulator's compliance dashboard: counts per profession and status, then every licensee.
pub fn compliance_page(chrome: &Chrome, organisation: &str, licensees: &[Licensee]) -> Markup {
    let t = chrome.lang;
    let statuses = [Status::Compliant, Status::OnTrack, Status::AtRisk, Status::NonCompliant];
    let mut counts: BTreeMap<(&str, &str), [usize; 4]> = BTreeMap::new();
    for l in licensees {
        for key in [(l.profession.as_str(), ""), ("", l.region.as_str())] {
            let row = counts.entry(key).or_default();
            if let Some(i) = statuses.iter().position(|s| *s == l.status) {
                row[i] += 1;
            }
        }
    }
    page(
        chrome,
        &t.t("dashboard-title"),
        html! {
            h1 { (t.t("dashboard-title")) }
            p.muted { (t.t("dashboard-intro")) }
            div.table-wrap { table {
                thead { tr { th { } @for s in statuses { th { (t.t(status_key(s))) } } } }
                tbody { @for ((profession, region), row) in &counts {
                    tr { th { @if profession.is_empty() { (region) } @else { (t.t(&format!("profession-{profession}"))) } }
                         @for n in row { td { (n) } } }
                } }
            } }
            p { a.button.secondary href={"/orgs/" (organisation) "/compliance.csv"} { (t.t("dashboard-csv")) } }
            h2 { (t.t("dashboard-licensees")) }
            ul.list { @for l in licensees {
                li { strong { (l.name) } " · " (l.number) br;
                     span.muted { (t.t(&format!("profession-{}", l.profession))) " · " (l.region) " · " (format_credits(l.counted)) } " · " strong { (t.t(status_key(l.status))) } }
            } }
        },
    )
}

// ----- Certificates ------------------------------------------------------------------------------

use super::certificate::{Summary, Verdict};
use super::entity::certificate as certificate_row;

fn verdict_key(verdict: &Verdict) -> (&'static str, &'static str) {
    match verdict {
        Verdict::Valid(_) => ("verdict-valid", "ok"),
        Verdict::Revoked(_) => ("verdict-revoked", "error"),
        Verdict::Expired(_) => ("verdict-expired", "error"),
        Verdict::NotYetValid(_) => ("verdict-not-yet-valid", "error"),
        Verdict::StatusUnknown(_) => ("verdict-status-unknown", "warn"),
        Verdict::NotGenuine(_) => ("verdict-not-genuine", "error"),
    }
}

fn summary_list(t: Lang, s: &Summary, issuer: &str) -> Markup {
    html! {
        dl.facts {
            dt { (t.t("certificate-recipient")) } dd { (s.recipient_name) }
            @if let Some(licence) = &s.licence_number { dt { (t.t("certificate-licence")) } dd { (licence) } }
            dt { (t.t("certificate-achievement")) } dd { (s.achievement_name) @if let Some(v) = &s.course_version { " (v" (v) ")" } }
            dt { (t.t("certificate-credits")) } dd { (s.credits.to_string()) " · " (t.t(&format!("category-{}", s.category))) }
            dt { (t.t("certificate-issuer")) } dd { (s.issuer_name.as_deref().unwrap_or(issuer)) }
            dt { (t.t("certificate-issued")) } dd { (long_date(t, s.valid_from.date_naive())) }
            @if let Some(until) = s.valid_until { dt { (t.t("certificate-expires")) } dd { (long_date(t, until.date_naive())) } }
        }
    }
}

/// Where the offline verifier (see `offline`) writes what it finds in the QR code's fragment:
/// empty without script. It reads its words and addresses from these attributes.
fn offline_verdict(chrome: &Chrome) -> Markup {
    let t = chrome.lang;
    html! {
        section #offline-verdict aria-live="polite"
            data-page=(chrome.path) data-worker=(super::offline::WORKER_URL) data-jwks="/.well-known/jwks.json"
            data-heading=(t.t("offline-heading")) data-checking=(t.t("offline-checking"))
            data-unsupported=(t.t("offline-unsupported")) data-no-keys=(t.t("offline-no-keys"))
            data-keys-as-of=(t.t("offline-keys-as-of")) data-list-as-of=(t.t("offline-list-as-of"))
            data-no-list=(t.t("offline-no-list"))
            data-recipient=(t.t("certificate-recipient")) data-achievement=(t.t("certificate-achievement"))
            data-credits=(t.t("certificate-credits")) data-issuer=(t.t("certificate-issuer"))
            data-issued=(t.t("certificate-issued")) data-expires=(t.t("certificate-expires"))
            data-verdict-valid=(t.t("verdict-valid")) data-verdict-revoked=(t.t("verdict-revoked"))
            data-verdict-expired=(t.t("verdict-expired")) data-verdict-not-yet-valid=(t.t("verdict-not-yet-valid"))
            data-verdict-status-unknown=(t.t("verdict-status-unknown"))
            data-verdict-not-genuine=(t.t("verdict-not-genuine"))
            data-category-clinical=(t.t("category-clinical")) data-category-ethics=(t.t("category-ethics"))
            data-category-leadership=(t.t("category-leadership")) data-category-wellbeing=(t.t("category-wellbeing"))
            data-category-research=(t.t("category-research")) {}
        script src=(super::offline::verifier_url()) defer {}
    }
}

/// The public verification page: what anyone sees for a certificate id or a pasted credential.
pub fn verify_page(chrome: &Chrome, verdict: Option<&Verdict>, issuer: &str, pasted: &str) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("certverify-title"),
        html! {
            h1 { (t.t("certverify-title")) }
            @if let Some(verdict) = verdict {
                @let (key, tone) = verdict_key(verdict);
                div #server-verdict {
                    div class={"alert verdict " (tone)} role="status" { p { strong { (t.t(key)) } } }
                    @if let Some(s) = verdict.summary() { (summary_list(t, s, issuer)) }
                }
            }
            (offline_verdict(chrome))
            p.muted { (t.t("verify-intro")) }
            form method="post" action="/verify" {
                (csrf_field(&chrome.csrf))
                div.field {
                    label for="f-credential" { (t.t("verify-paste")) }
                    textarea #f-credential name="credential" rows="4" { (pasted) }
                }
                button type="submit" { (t.t("certverify-submit")) }
            }
            p.muted { a href="/.well-known/jwks.json" { (t.t("verify-keys")) } }
        },
    )
}

/// A learner's printable certificate with its QR code (the verify URL with the signed compact
/// form, verifiable offline).
pub fn certificate_page(
    chrome: &Chrome,
    verdict: &Verdict,
    issuer: &str,
    qr: &str,
    verify_url: &str,
    public_id: &str,
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("certificate-title"),
        html! {
            article.certificate {
                p.muted { (issuer) }
                h1 { (t.t("certificate-title")) }
                @if let Some(s) = verdict.summary() { (summary_list(t, s, issuer)) }
                @let (key, _) = verdict_key(verdict);
                p { strong { (t.t(key)) } }
                figure.qr {
                    (maud::PreEscaped(qr))
                    figcaption { (t.t("certificate-qr")) }
                }
                p.muted.url { a.verify-link href=(verify_url) { (verify_url.split('#').next().unwrap_or(verify_url)) } }
            }
            p.actions.no-print {
                a.button.secondary href={"/certificates/" (public_id) ".jwt"} download { (t.t("certificate-download")) }
                " " a.button.secondary href={"/verify/" (public_id)} { (t.t("certverify-title")) }
            }
        },
    )
}

/// A learner's certificates.
pub fn certificates_page(chrome: &Chrome, certificates: &[certificate_row::Model]) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("certificates-title"),
        html! {
            h1 { (t.t("certificates-title")) }
            @if certificates.is_empty() { p { (t.t("certificates-none")) } }
            ul.list { @for c in certificates {
                li { a href={"/me/certificates/" (c.public_id)} { (t.ta("certificates-item", &[("date", long_date(t, c.issued_at.date_naive()).into())])) }
                    @if c.revoked_at.is_some() { " · " strong { (t.t("verdict-revoked")) } } }
            } }
        },
    )
}

/// An association's issued certificates, each revocable with a reason.
pub fn issued_page(
    chrome: &Chrome,
    organisation: &str,
    issued: &[(certificate_row::Model, String)],
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("issued-title"),
        html! {
            h1 { (t.t("issued-title")) }
            (error_summary(&t.t("form-has-errors"), errors))
            @if issued.is_empty() { p { (t.t("certificates-none")) } }
            @for (c, learner) in issued {
                article.card {
                    p { strong { (learner) } " · " a href={"/verify/" (c.public_id)} { (c.public_id) } " · " (long_date(t, c.issued_at.date_naive())) }
                    @if c.revoked_at.is_some() { p { strong { (t.t("verdict-revoked")) } " · " (c.revocation_reason) } }
                    @else {
                        form method="post" action={"/orgs/" (organisation) "/certificates/" (c.public_id) "/revoke"} {
                            (csrf_field(&chrome.csrf))
                            (Field::text("reason", &t.t("revoke-reason"), "").render(errors))
                            button.secondary type="submit" { (t.t("revoke-submit")) }
                        }
                    }
                }
            }
        },
    )
}
