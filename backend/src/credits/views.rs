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
                        @if a.file_media_id.is_some() { " · " a href={"/activities/" (a.id) "/file"} { (t.t("evidence-file")) } }
                        @if !a.reason.is_empty() { br; span.muted { (a.reason) } } }
                } }
            }
            p.muted { (t.t("activity-intro")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form method="post" enctype="multipart/form-data" action={"/me/credits/activities?csrf_token=" (chrome.csrf)} {
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
                (Field::text("file", &t.t("evidence-file-label"), "").kind("file").hint(&t.t("evidence-file-hint")).render(errors))
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
                    @if a.file_media_id.is_some() { p { a href={"/activities/" (a.id) "/file"} { (t.t("evidence-file")) } } }
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

pub fn long_date(t: Lang, date: chrono::NaiveDate) -> String {
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
                        p { a href={"/me/credits/transcripts/" (s.licence.id)} { (t.t("transcript-open")) } }
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

/// The dashboard's filters: a status, a profession and a region ("" = all).
#[derive(Clone, Debug, Default)]
pub struct DashboardFilter {
    pub status: String,
    pub profession: String,
    pub region: String,
}

impl DashboardFilter {
    pub fn keeps(&self, l: &Licensee) -> bool {
        (self.status.is_empty() || status_key(l.status).trim_start_matches("compliance-") == self.status)
            && (self.profession.is_empty() || l.profession == self.profession)
            && (self.region.is_empty() || l.region == self.region)
    }

    fn query(&self) -> String {
        serde_urlencoded::to_string([
            ("status", self.status.as_str()),
            ("profession", self.profession.as_str()),
            ("region", self.region.as_str()),
        ])
        .unwrap_or_default()
    }
}

/// Licensees listed on one page of the dashboard.
pub const DASHBOARD_PAGE: usize = 100;

/// A regulator's compliance dashboard: counts per profession and per region by status (each
/// count links to its list), filters, the licensees that match (a page at a time), the CSV of
/// what is filtered, and the way to audits and bulk verification.
pub fn compliance_page(
    chrome: &Chrome,
    organisation: &str,
    licensees: &[Licensee],
    filter: &DashboardFilter,
    page_number: usize,
) -> Markup {
    let t = chrome.lang;
    let statuses = [Status::Compliant, Status::OnTrack, Status::AtRisk, Status::NonCompliant];
    let mut by_profession: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    let mut by_region: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for l in licensees {
        if let Some(i) = statuses.iter().position(|s| *s == l.status) {
            for (table, key) in
                [(&mut by_profession, l.profession.as_str()), (&mut by_region, l.region.as_str())]
            {
                if let Some(n) = table.entry(key).or_default().get_mut(i) {
                    *n += 1;
                }
            }
        }
    }
    let base = format!("/orgs/{organisation}/compliance");
    let matching: Vec<&Licensee> = licensees.iter().filter(|l| filter.keeps(l)).collect();
    let pages = matching.len().div_ceil(DASHBOARD_PAGE).max(1);
    let page_number = page_number.clamp(1, pages);
    let shown = matching.iter().skip((page_number - 1) * DASHBOARD_PAGE).take(DASHBOARD_PAGE);
    let link = |status: Status, profession: &str, region: &str| {
        let filter = DashboardFilter {
            status: status_key(status).trim_start_matches("compliance-").to_owned(),
            profession: profession.to_owned(),
            region: region.to_owned(),
        };
        format!("{base}?{}#licensees", filter.query())
    };
    let count_table = |caption: String, rows: &BTreeMap<&str, [usize; 4]>, by_region: bool| {
        html! {
            div.table-wrap { table {
                caption { (caption) }
                thead { tr { th { } @for s in statuses { th scope="col" { (t.t(status_key(s))) } } } }
                tbody { @for (key, row) in rows {
                    tr {
                        th scope="row" {
                            @if by_region { @if key.is_empty() { "—" } @else { (key) } }
                            @else { (t.t(&format!("profession-{key}"))) }
                        }
                        @for (s, n) in statuses.iter().zip(row) {
                            td { @if *n == 0 { "0" } @else {
                                a href=(if by_region { link(*s, "", key) } else { link(*s, key, "") }) { (n) }
                            } }
                        }
                    }
                } }
            } }
        }
    };
    let mut professions: Vec<&str> = by_profession.keys().copied().collect();
    professions.dedup();
    let regions: Vec<&str> = by_region.keys().copied().filter(|r| !r.is_empty()).collect();
    let choices = |all: String, values: Vec<(String, String)>| {
        std::iter::once((String::new(), all)).chain(values).collect::<Vec<_>>()
    };
    let status_choices = choices(
        t.t("dashboard-any-status"),
        statuses
            .iter()
            .map(|s| (status_key(*s).trim_start_matches("compliance-").to_owned(), t.t(status_key(*s))))
            .collect(),
    );
    let profession_choices = choices(
        t.t("dashboard-any-profession"),
        professions.iter().map(|p| ((*p).to_owned(), t.t(&format!("profession-{p}")))).collect(),
    );
    let region_choices = choices(
        t.t("dashboard-any-region"),
        regions.iter().map(|r| ((*r).to_owned(), (*r).to_owned())).collect(),
    );
    let no_errors = FormErrors::new();
    page(
        chrome,
        &t.t("dashboard-title"),
        html! {
            h1 { (t.t("dashboard-title")) }
            p.muted { (t.t("dashboard-intro")) }
            p {
                a href={"/orgs/" (organisation) "/audits"} { (t.t("audits-title")) } " · "
                a href={"/orgs/" (organisation) "/verifications"} { (t.t("bulk-title")) } " · "
                a href={"/orgs/" (organisation) "/roster"} { (t.t("roster-title")) } " · "
                a href={"/orgs/" (organisation) "/cpd-rules"} { (t.t("rules-title")) }
            }
            (count_table(t.t("dashboard-by-profession"), &by_profession, false))
            (count_table(t.t("dashboard-by-region"), &by_region, true))
            h2 #licensees { (t.t("dashboard-licensees")) }
            form.card.filters method="get" action=(base) {
                div.grid.three {
                    (select_field("status", &t.t("dashboard-status"), &status_choices, &filter.status, &no_errors))
                    (select_field("profession", &t.t("field-profession"), &profession_choices, &filter.profession, &no_errors))
                    (select_field("region", &t.t("field-region"), &region_choices, &filter.region, &no_errors))
                }
                div.actions { button.secondary type="submit" { (t.t("dashboard-filter")) } }
            }
            p { (t.ta("dashboard-matching", &[("count", (matching.len() as i64).into())])) " "
                a href={(base) ".csv?" (filter.query())} { (t.t("dashboard-csv")) } }
            ul.list { @for l in shown {
                li { strong { (l.name) } " · " (l.number) br;
                     span.muted { (t.t(&format!("profession-{}", l.profession))) " · " (l.region) " · " (format_credits(l.counted)) } " · " strong { (t.t(status_key(l.status))) } }
            } }
            @if pages > 1 {
                nav.pager aria-label=(t.t("pager")) {
                    @if page_number > 1 { a href={(base) "?" (filter.query()) "&page=" (page_number - 1) "#licensees"} { (t.t("pager-previous")) } " " }
                    span { (t.ta("pager-of", &[("page", (page_number as i64).into()), ("pages", (pages as i64).into())])) }
                    @if page_number < pages { " " a href={(base) "?" (filter.query()) "&page=" (page_number + 1) "#licensees"} { (t.t("pager-next")) } }
                }
            }
        },
    )
}

/// Bulk verification: the formats, and the upload whose answer is a CSV download.
pub fn bulk_page(chrome: &Chrome, organisation: &str, problem: Option<&str>) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("bulk-title"),
        html! {
            h1 { (t.t("bulk-title")) }
            p { (t.t("bulk-intro")) }
            @if let Some(problem) = problem {
                div.alert.error role="alert" { p { strong { (t.t("bulk-refused")) } } p { code { (problem) } } }
            }
            form.card method="post" enctype="multipart/form-data" action={"/orgs/" (organisation) "/verifications?csrf_token=" (chrome.csrf)} {
                div.field {
                    label for="f-file" { (t.t("bulk-file")) }
                    p.hint { (t.t("bulk-file-hint")) }
                    input #f-file type="file" name="file" accept=".csv,text/csv";
                }
                div.actions { button type="submit" { (t.t("bulk-check")) } }
            }
            h2 { (t.t("bulk-api")) }
            p { (t.t("bulk-api-intro")) }
            pre { code { "POST /api/v1/regulators/" (organisation) "/verifications\nAuthorization: Bearer lt_…\nContent-Type: application/json\n\n[{\"certificate_id\": \"…\"}, {\"licence_number\": \"…\"}]" } }
            p { a href="/account/tokens" { (t.t("tokens-manage")) } }
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
                a.button href={"/me/certificates/" (public_id) "/pdf"} { (t.t("certificate-pdf")) } " "
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

// ----- Audits ------------------------------------------------------------------------------------

use super::audit::{AuditView, CaseFile, CaseLine, OUTCOMES};
use super::entity::credit_audit;

fn outcome_pill(t: Lang, outcome: &str) -> Markup {
    html! { span.pill.warn[outcome != "satisfactory"] { (t.t(&format!("audit-outcome-{outcome}"))) } }
}

/// A regulator's audits and the form to draw a new sample.
pub fn audits_page(
    chrome: &Chrome,
    organisation: &str,
    audits: &[AuditView],
    values: &FormFields,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("audits-title"),
        html! {
            h1 { (t.t("audits-title")) }
            p.muted { (t.t("audits-intro")) }
            @if audits.is_empty() { p { (t.t("audits-none")) } }
            ul.list { @for a in audits {
                li { a href={"/orgs/" (organisation) "/audits/" (a.audit.id)} { strong { (a.audit.title) } } br;
                     span.muted { (long_date(t, a.audit.as_of)) " · "
                        (t.ta("audits-progress", &[("decided", (a.decided as i64).into()), ("cases", (a.cases as i64).into())])) } }
            } }
            h2 { (t.t("audits-new")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form.card method="post" action={"/orgs/" (organisation) "/audits"} novalidate {
                (csrf_field(&chrome.csrf))
                (Field::text("title", &t.t("audits-name"), values.get("title")).required().render(errors))
                div.grid.two {
                    (Field::text("as_of", &t.t("audits-as-of"), values.get("as_of")).kind("date").required().render(errors))
                    (Field::text("percent", &t.t("audits-percent"), values.get("percent")).required().render(errors))
                }
                (Field::text("seed", &t.t("audits-seed"), values.get("seed")).hint(&t.t("audits-seed-hint")).render(errors))
                div.actions { button type="submit" { (t.t("audits-start")) } }
            }
        },
    )
}

/// One audit: how it was drawn, and its sampled licensees with their outcomes.
pub fn audit_page(
    chrome: &Chrome,
    organisation: &str,
    audit: &credit_audit::Model,
    cases: &[CaseLine],
) -> Markup {
    let t = chrome.lang;
    let percent = format_credits(i64::from(audit.per_ten_thousand));
    page(
        chrome,
        &audit.title,
        html! {
            h1 { (audit.title) }
            p.muted { (t.ta("audits-sample", &[
                ("date", long_date(t, audit.created_at.date_naive()).into()),
                ("percent", percent.into()),
                ("population", i64::from(audit.population).into()),
                ("seed", audit.seed.clone().into()),
            ])) }
            h2 { (t.t("audits-cases")) }
            ul.list { @for c in cases {
                li { a href={"/orgs/" (organisation) "/audits/" (audit.id) "/cases/" (c.case.id)} { strong { (c.name) } " · " (c.number) }
                     " " (outcome_pill(t, &c.case.outcome)) br;
                     span.muted { (t.t(&format!("profession-{}", c.profession))) " · " (c.region) } }
            } }
        },
    )
}

/// One sampled licensee: standing in the audited cycle, entries, activities with evidence,
/// certificates, and the outcome form.
pub fn case_page(
    chrome: &Chrome,
    organisation: &str,
    file: &CaseFile,
    values: &FormFields,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let case = &file.line.case;
    let outcomes: Vec<(String, String)> =
        OUTCOMES.iter().map(|o| ((*o).to_owned(), t.t(&format!("audit-outcome-{o}")))).collect();
    let chosen = if values.get("outcome").is_empty() { case.outcome.as_str() } else { values.get("outcome") };
    let note = if values.get("note").is_empty() { case.note.as_str() } else { values.get("note") };
    page(
        chrome,
        &file.line.name,
        html! {
            p { a href={"/orgs/" (organisation) "/audits/" (file.audit.id)} { "← " (t.t("audit-case-back")) } }
            h1 { (file.line.name) " · " (file.line.number) }
            p.muted { (t.t(&format!("profession-{}", file.line.profession))) " · " (file.line.region) " · " (outcome_pill(t, &case.outcome)) }
            h2 { (t.t("audit-case-standing")) }
            @match &file.evaluation {
                Some(e) => {
                    p { strong { (t.t(status_key(e.status))) } " · "
                        (t.ta("compliance-cycle", &[("start", long_date(t, e.start).into()), ("end", long_date(t, e.last_day()).into()), ("counted", format_credits(e.counted).into())])) }
                    ul { @for x in &e.explanations { li { (explanation_text(t, x)) } } }
                }
                None => { p.muted { (t.t("compliance-no-rules")) } }
            }
            h2 { (t.t("audit-case-entries")) }
            @if file.entries.is_empty() { p { (t.t("credits-none")) } }
            ul.list { @for e in &file.entries {
                li { strong { (e.title) } br;
                    span.muted { (e.earned_on.format("%Y-%m-%d").to_string()) " · " (t.t(&format!("activity-{}", e.kind))) " · " (t.t(&format!("category-{}", e.category))) " · " }
                    strong { (format_credits(e.amount)) } }
            } }
            h2 { (t.t("audit-case-activities")) }
            @if file.activities.is_empty() { p.muted { (t.t("audit-case-none")) } }
            ul.list { @for a in &file.activities {
                li { strong { (a.title) } " · " (format_credits(a.credits)) " · " (t.t(&format!("activity-status-{}", a.status))) br;
                     span.muted { (a.held_on.format("%Y-%m-%d").to_string()) " · " (t.t(&format!("activity-{}", a.kind))) }
                     @if !a.description.is_empty() { br; (a.description) }
                     @if a.file_media_id.is_some() { br; a href={"/activities/" (a.id) "/file"} { (t.t("evidence-file")) } } }
            } }
            h2 { (t.t("audit-case-certificates")) }
            @if file.certificates.is_empty() { p.muted { (t.t("audit-case-none")) } }
            ul.list { @for c in &file.certificates {
                li { a href={"/verify/" (c.public_id)} { (c.public_id) } " · " span.muted { (c.issued_at.format("%Y-%m-%d").to_string()) } }
            } }
            h2 { (t.t("audit-case-outcome")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form.card method="post" action={"/orgs/" (organisation) "/audits/" (file.audit.id) "/cases/" (case.id)} novalidate {
                (csrf_field(&chrome.csrf))
                (select_field("outcome", &t.t("audit-case-outcome"), &outcomes, chosen, errors))
                div.field {
                    label for="f-note" { (t.t("audit-case-note")) }
                    p.hint { (t.t("audit-case-note-hint")) }
                    @if let Some(error) = errors.get("note") { p.error { (error) } }
                    textarea #f-note name="note" rows="4" maxlength="4000" { (note) }
                }
                div.actions { button type="submit" { (t.t("audit-case-save")) } }
            }
        },
    )
}

// ----- Transcripts -------------------------------------------------------------------------------

use super::compliance::Transcript;
use super::rules::NotCounted;

fn not_counted_key(reason: NotCounted) -> &'static str {
    match reason {
        NotCounted::BeforeCycle => "transcript-before-cycle",
        NotCounted::AfterCycle => "transcript-after-cycle",
        NotCounted::NotYetEarned => "transcript-not-yet",
        NotCounted::NotAccepted => "transcript-not-accepted",
        NotCounted::Expired => "transcript-expired",
        NotCounted::OverKindMaximum => "transcript-over-maximum",
    }
}

/// A transcript's table in the reader's words: the same columns and cells for the page, the CSV
/// and the PDF.
pub fn transcript_table(t: Lang, transcript: &Transcript) -> (Vec<String>, Vec<Vec<String>>) {
    let columns = ["date", "activity", "kind", "category", "credits", "counted", "note"]
        .iter()
        .map(|c| t.t(&format!("transcript-col-{c}")))
        .collect();
    let rows = transcript
        .rows
        .iter()
        .map(|(entry, outcome)| {
            vec![
                entry.earned_on.to_string(),
                entry.title.clone(),
                t.t(&format!("activity-{}", entry.kind)),
                t.t(&format!("category-{}", entry.category)),
                format_credits(entry.amount),
                format_credits(outcome.counted),
                outcome.not_counted.map(|r| t.t(not_counted_key(r))).unwrap_or_default(),
            ]
        })
        .collect();
    (columns, rows)
}

/// The transcript's heading line: who, which licence, which cycle.
pub fn transcript_subtitle(t: Lang, transcript: &Transcript) -> String {
    let e = &transcript.evaluation;
    t.ta(
        "transcript-subtitle",
        &[
            ("name", transcript.learner.clone().into()),
            ("regulator", transcript.standing.regulator.name.clone().into()),
            ("licence", transcript.standing.licence.number.clone().into()),
            ("start", long_date(t, e.start).into()),
            ("end", long_date(t, e.last_day()).into()),
        ],
    )
}

/// The standing in plain sentences: the status, then each explanation.
pub fn transcript_summary(t: Lang, transcript: &Transcript) -> Vec<String> {
    let e = &transcript.evaluation;
    std::iter::once(format!(
        "{} · {}",
        t.t(status_key(e.status)),
        t.ta("transcript-counted", &[("counted", format_credits(e.counted).into())])
    ))
    .chain(e.explanations.iter().map(|x| explanation_text(t, x)))
    .collect()
}

/// The learner's transcript for one cycle: standing, every credit of the cycle and whether it
/// counted, other cycles, and the CSV and PDF of the same.
pub fn transcript_page(chrome: &Chrome, transcript: &Transcript) -> Markup {
    let t = chrome.lang;
    let (columns, rows) = transcript_table(t, transcript);
    let base = format!("/me/credits/transcripts/{}", transcript.standing.licence.id);
    let day = transcript.evaluation.start;
    page(
        chrome,
        &t.t("transcript-title"),
        html! {
            h1 { (t.t("transcript-title")) }
            p.muted { (transcript_subtitle(t, transcript)) }
            @for line in transcript_summary(t, transcript) { p { (line) } }
            nav.pager aria-label=(t.t("transcript-cycles")) {
                a href={(base) "?in=" (transcript.previous)} { "← " (t.t("transcript-previous")) }
                @if let Some(next) = transcript.next { " " a href={(base) "?in=" (next)} { (t.t("transcript-next")) " →" } }
            }
            @if rows.is_empty() { p { (t.t("transcript-empty")) } }
            // A list rather than a seven-column table: it reads on a phone (the PDF and the CSV
            // have the table).
            ul.list { @for row in &rows {
                @if let [date, activity, kind, category, credits, counted, note] = row.as_slice() {
                    li { strong { (activity) } br;
                        span.muted { (date) " · " (kind) " · " (category) } br;
                        (columns.get(4).map_or("", String::as_str)) " " strong { (credits) } " · "
                        (columns.get(5).map_or("", String::as_str)) " " strong { (counted) }
                        @if !note.is_empty() { " · " span.muted { (note) } } }
                }
            } }
            p { a.button.secondary href={(base) "/pdf?in=" (day)} { (t.t("transcript-pdf")) } " "
                a href={(base) "/csv?in=" (day)} { (t.t("transcript-csv")) } }
        },
    )
}
