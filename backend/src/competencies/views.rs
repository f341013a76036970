//! Competency pages: frameworks, a learner's profile and gaps, observations, framework editing
//! and an association's workforce gaps. Every page works without script at 360 px.

use super::framework::FrameworkSpec;
use super::profile::{self, EvidenceKind};
use super::service::{
    FrameworkSummary, FrameworkView, GapAnalysis, MIN_CELL, ObservationView, Profile, WorkforceGaps,
};
use crate::courses::package::Problem;
use crate::platform::ui::components::{
    Field, FormErrors, FormFields, csrf_field, error_summary, problem_list, select_field,
};
use crate::platform::ui::{Chrome, page};
use maud::{Markup, html};

/// A course that evidences a gap, found through search: (title, url).
pub type Suggestion = (String, String);

fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

fn level_label(view: &FrameworkView, level: u32) -> String {
    if level == 0 { "—".to_owned() } else { format!("{level} · {}", view.level_name(level)) }
}

pub fn frameworks_page(chrome: &Chrome, frameworks: &[FrameworkSummary]) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("frameworks-title"),
        html! {
            h1 { (t.t("frameworks-title")) }
            p.muted { (t.t("frameworks-intro")) }
            ul.list {
                @for f in frameworks {
                    li { h2.card-title { a href={"/frameworks/" (f.slug)} { (f.title) } }
                         p.muted { (f.organisation) " · " (t.ta("frameworks-count", &[("count", (f.competencies as i64).into())])) } }
                }
            }
            @if chrome.account.is_some() {
                p { a.button href="/me/competencies" { (t.t("competencies-title")) } }
            }
        },
    )
}

/// The levels, domains with their competencies, and role profiles of a framework.
fn framework_body(chrome: &Chrome, spec: &FrameworkSpec) -> Markup {
    let t = chrome.lang;
    html! {
        h2 { (t.t("framework-levels")) }
        dl.levels {
            @for level in &spec.levels {
                dt { (level.level) " · " (level.name) }
                dd { (level.descriptor) }
            }
        }
        @for domain in &spec.domains {
            h2 id=(domain.code) { (domain.code) " · " (domain.title) }
            ul.list {
                @for c in &domain.competencies {
                    li id=(c.code) {
                        strong { (c.code) " " (c.title) }
                        @if !c.description.is_empty() { p { (c.description) } }
                        p { a href={"/search?competency=" (c.code)} { (t.t("framework-find-courses")) } }
                    }
                }
            }
        }
        @if !spec.roles.is_empty() {
            h2 { (t.t("framework-roles")) }
            @for role in &spec.roles {
                details {
                    summary { (role.title) " (" (role.requirements.len()) ")" }
                    p { (role.description) }
                    ul { @for r in &role.requirements { li { (r.code) " — " (t.t("framework-level")) " " (r.level) } } }
                }
            }
        }
        p.muted { (t.ta("framework-validity", &[("months", i64::from(spec.validity_months).into())])) }
    }
}

pub fn framework_page(chrome: &Chrome, view: &FrameworkView) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &view.spec.title,
        html! {
            h1 { (view.spec.title) }
            p.muted { (view.organisation) " · " (t.ta("framework-version", &[("number", i64::from(view.number).into())])) }
            @if chrome.account.is_some() {
                p { a.button href={"/me/competencies?framework=" (view.spec.slug)} { (t.t("competencies-title")) } }
            }
            (framework_body(chrome, &view.spec))
        },
    )
}

/// What the profile page adds for its owner: forms and observations to sign.
pub struct OwnerParts<'a> {
    pub pending: &'a [ObservationView],
    pub shares: &'a [(i32, String, String)],
    pub errors: &'a FormErrors,
}

pub fn profile_page(chrome: &Chrome, profile: &Profile, owner: Option<OwnerParts<'_>>) -> Markup {
    let t = chrome.lang;
    let view = &profile.framework;
    let slug = &view.spec.slug;
    let title = if owner.is_some() { t.t("competencies-title") } else { profile.name.clone() };
    let kind = |kind: EvidenceKind| t.t(&format!("evidence-{}", kind.as_str()));
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p.muted { a href={"/frameworks/" (slug)} { (view.spec.title) } }
            @if let Some(owner) = &owner {
                (error_summary(&t.t("form-has-errors"), owner.errors))
                @if !owner.pending.is_empty() {
                    section.alert {
                        h2 { (t.t("observation-to-sign")) }
                        @for o in owner.pending {
                            (observation_card(chrome, o, true))
                        }
                    }
                }
                nav.actions {
                    @for role in &view.spec.roles {
                        a.chip href={"/me/competencies/gaps?framework=" (slug) "&role=" (role.slug)} { (t.t("gaps-against")) " " (role.title) }
                    }
                }
            }
            p.muted { (t.t("profile-rule")) }
            @for domain in &view.spec.domains {
                h2 { (domain.title) }
                ul.list {
                    @for c in &domain.competencies {
                        @let holding = profile.holdings.get(&c.code);
                        li {
                            strong { (c.code) " " (c.title) }
                            p {
                                (t.t("profile-held")) ": " strong { (level_label(view, holding.map_or(0, |h| h.level))) }
                                @if let Some(rated) = holding.and_then(|h| h.self_rated) { " · " (t.t("profile-self-rated")) " " (rated) }
                            }
                            @if let Some(h) = holding {
                                @if let Some(set_by) = &h.set_by {
                                    p.muted { (t.t("profile-set-by")) " " (kind(set_by.kind)) ": " (set_by.source) " (" (date(set_by.occurred_at)) ") · " (t.t("profile-lapses")) " " (date(set_by.expires_at)) (file_link(chrome, set_by)) }
                                }
                                @if h.evidence.len() > 1 || (h.set_by.is_none() && !h.evidence.is_empty()) {
                                    details {
                                        summary { (t.ta("profile-evidence-count", &[("count", (h.evidence.len() as i64).into())])) }
                                        ul { @for e in &h.evidence {
                                            li { (kind(e.kind)) " · " (t.t("framework-level")) " " (e.level) " · " (e.source) " · " (date(e.occurred_at))
                                                @if e.expires_at <= profile.now { " · " strong { (t.t("profile-expired")) } } (file_link(chrome, e)) }
                                        } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(owner) = &owner {
                h2 { (t.t("self-title")) }
                form method="post" enctype="multipart/form-data" action={"/me/competencies/self?csrf_token=" (chrome.csrf)} {
                    input type="hidden" name="framework" value=(slug);
                    (select_field("code", &t.t("self-competency"), &competency_options(&view.spec), "", owner.errors))
                    (select_field("level", &t.t("self-level"), &level_options(&view.spec), "", owner.errors))
                    (Field::text("file", &t.t("evidence-file-label"), "").kind("file").hint(&t.t("evidence-file-hint")).render(owner.errors))
                    button type="submit" { (t.t("self-submit")) }
                }
                h2 { (t.t("share-title")) }
                p.muted { (t.t("share-intro")) }
                @if !owner.shares.is_empty() {
                    ul.list { @for (id, name, email) in owner.shares {
                        li { (name) " (" (email) ") "
                            form.inline method="post" action={"/me/competencies/shares/" (id) "/revoke"} {
                                (csrf_field(&chrome.csrf)) button.secondary type="submit" { (t.t("share-revoke")) } } }
                    } }
                }
                form method="post" action="/me/competencies/shares" {
                    (csrf_field(&chrome.csrf))
                    (Field::text("email", &t.t("share-email"), "").kind("email").render(owner.errors))
                    button type="submit" { (t.t("share-submit")) }
                }
                p { a href="/observations" { (t.t("observation-record-link")) } }
            }
        },
    )
}

fn observation_card(chrome: &Chrome, o: &ObservationView, to_sign: bool) -> Markup {
    let t = chrome.lang;
    let obs = &o.observation;
    let checklist: Vec<serde_json::Value> = serde_json::from_str(&obs.checklist).unwrap_or_default();
    html! {
        article.card {
            p { strong { (obs.code) " " (o.competency) } " · " (t.t("framework-level")) " " (obs.level) }
            p.muted { (t.t("observation-by")) " " (o.observer) " · " (t.t("observation-of")) " " (o.learner) " · " (obs.observed_on.format("%Y-%m-%d").to_string()) @if !obs.setting.is_empty() { " · " (obs.setting) } }
            @if !checklist.is_empty() {
                ul { @for item in &checklist {
                    li { @if item["done"].as_bool() == Some(true) { "✓ " } @else { "✗ " } (item["item"].as_str().unwrap_or("")) }
                } }
            }
            @if !obs.notes.is_empty() { p { (obs.notes) } }
            @if obs.file_media_id.is_some() { p { a href={"/observations/" (obs.id) "/file"} { (t.t("evidence-file")) } } }
            @if to_sign {
                div.actions {
                    form.inline method="post" action={"/observations/" (obs.id) "/sign"} { (csrf_field(&chrome.csrf)) button type="submit" { (t.t("observation-sign")) } }
                    form.inline method="post" action={"/observations/" (obs.id) "/decline"} { (csrf_field(&chrome.csrf)) button.secondary type="submit" { (t.t("observation-decline")) } }
                }
            } @else {
                p.muted {
                    @if obs.learner_signed_at.is_some() { (t.t("observation-signed")) }
                    @else if obs.declined_at.is_some() { (t.t("observation-declined")) }
                    @else { (t.t("observation-waiting")) }
                }
            }
        }
    }
}

/// A link to the file a piece of evidence carries, if it carries one.
fn file_link(chrome: &Chrome, evidence: &profile::Evidence) -> Markup {
    html! { @if evidence.has_file { " · " a href={"/evidence/" (evidence.id) "/file"} { (chrome.lang.t("evidence-file")) } } }
}

pub fn gaps_page(chrome: &Chrome, analysis: &GapAnalysis, suggestions: &[Vec<Suggestion>]) -> Markup {
    let t = chrome.lang;
    let view = &analysis.profile.framework;
    let title = format!("{} · {}", t.t("gaps-title"), analysis.role.title);
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p { (analysis.role.description) }
            p role="status" { strong { (t.ta("gaps-summary", &[("met", (analysis.met as i64).into()), ("total", (analysis.role.requirements.len() as i64).into())])) } }
            @if analysis.gaps.is_empty() {
                p.alert { (t.t("gaps-none")) }
            }
            ul.list {
                @for (gap, courses) in analysis.gaps.iter().zip(suggestions.iter().chain(std::iter::repeat(&Vec::new()))) {
                    li {
                        strong { (gap.code) " " (gap.title) }
                        p { (t.t("gaps-required")) " " (level_label(view, gap.required)) " · " (t.t("profile-held")) " " (level_label(view, gap.held)) }
                        @if !courses.is_empty() {
                            p { (t.t("gaps-courses")) ": "
                                @for (i, (title, url)) in courses.iter().enumerate() { @if i > 0 { ", " } a href=(url) { (title) } } }
                        }
                        p { a href={"/search?competency=" (gap.code)} { (t.t("framework-find-courses")) } " · "
                            a href={"/me/mentoring/request?want=" (gap.code) ":" (gap.required)} { (t.t("gaps-mentor")) } }
                    }
                }
            }
            @if !analysis.gaps.is_empty() {
                p { a.button href={"/me/mentoring/request?role=" (analysis.role.slug)} { (t.t("gaps-mentor-all")) } }
            }
            p { a href={"/me/competencies?framework=" (view.spec.slug)} { "← " (t.t("competencies-title")) } }
        },
    )
}

/// A framework's competencies as the options of a select: (code, "code title").
fn competency_options(spec: &FrameworkSpec) -> Vec<(String, String)> {
    spec.competencies().map(|(_, c)| (c.code.clone(), format!("{} {}", c.code, c.title))).collect()
}

/// A framework's levels as the options of a select: (number, "number · name").
fn level_options(spec: &FrameworkSpec) -> Vec<(String, String)> {
    spec.levels.iter().map(|l| (l.level.to_string(), format!("{} · {}", l.level, l.name))).collect()
}

/// The observer's page: the form (against the first published framework) as last posted.
pub struct ObservationForm<'a> {
    pub framework: Option<&'a FrameworkView>,
    pub values: &'a FormFields,
    pub errors: &'a FormErrors,
}

/// The checklist every observation offers, in the spirit of DOPS.
pub const CHECKLIST: [&str; 6] = [
    "observation-item-consent",
    "observation-item-preparation",
    "observation-item-technique",
    "observation-item-asepsis",
    "observation-item-communication",
    "observation-item-documentation",
];

pub fn observations_page(
    chrome: &Chrome,
    form: &ObservationForm<'_>,
    recorded: &[ObservationView],
) -> Markup {
    let t = chrome.lang;
    let value = |name: &str| form.values.get(name);
    let done = form.values.all("done");
    let spec = form.framework.map(|f| &f.spec);
    page(
        chrome,
        &t.t("observation-title"),
        html! {
            h1 { (t.t("observation-title")) }
            p.muted { (t.t("observation-intro")) }
            (error_summary(&t.t("form-has-errors"), form.errors))
            form method="post" enctype="multipart/form-data" action={"/observations?csrf_token=" (chrome.csrf)} {
                input type="hidden" name="framework" value=(spec.map_or("", |s| s.slug.as_str()));
                (Field::text("learner", &t.t("observation-learner"), value("learner")).kind("email").required().render(form.errors))
                (select_field("code", &t.t("self-competency"), &spec.map(competency_options).unwrap_or_default(), value("code"), form.errors))
                (select_field("level", &t.t("observation-level"), &spec.map(level_options).unwrap_or_default(), value("level"), form.errors))
                fieldset {
                    legend { (t.t("observation-checklist")) }
                    @for key in CHECKLIST {
                        label.check { input type="checkbox" name="done" value=(key) checked[done.iter().any(|d| d == key)]; " " (t.t(key)) }
                    }
                }
                (Field::text("observed_on", &t.t("observation-date"), value("observed_on")).kind("date").required().render(form.errors))
                (Field::text("setting", &t.t("observation-setting"), value("setting")).render(form.errors))
                div.field {
                    label for="f-notes" { (t.t("observation-notes")) }
                    textarea #f-notes name="notes" rows="4" maxlength="4000" { (value("notes")) }
                }
                (Field::text("file", &t.t("evidence-file-label"), "").kind("file").hint(&t.t("evidence-file-hint")).render(form.errors))
                button type="submit" { (t.t("observation-submit")) }
            }
            @if !recorded.is_empty() {
                h2 { (t.t("observation-recorded")) }
                @for o in recorded { (observation_card(chrome, o, false)) }
            }
        },
    )
}

/// An association's frameworks, with a box to import one as a draft.
pub fn organisation_frameworks_page(
    chrome: &Chrome,
    organisation: &str,
    frameworks: &[FrameworkSummary],
    text: &str,
    problems: &[Problem],
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("frameworks-title"),
        html! {
            h1 { (t.t("frameworks-title")) }
            ul.list {
                @for f in frameworks {
                    li {
                        strong { (f.title) }
                        p.muted { @for (number, status) in &f.versions { (t.ta("framework-version", &[("number", i64::from(*number).into())])) " (" (t.t(&format!("version-status-{status}"))) ") " } }
                        p { a href={"/orgs/" (organisation) "/frameworks/" (f.slug) "/draft"} { (t.t("framework-edit")) } " · "
                            a href={"/orgs/" (organisation) "/workforce?framework=" (f.slug)} { (t.t("workforce-title")) } }
                    }
                }
            }
            h2 { (t.t("framework-import")) }
            p.muted { (t.t("framework-import-help")) }
            (framework_form(chrome, &format!("/orgs/{organisation}/frameworks"), text, problems))
        },
    )
}

fn framework_form(chrome: &Chrome, action: &str, text: &str, problems: &[Problem]) -> Markup {
    let t = chrome.lang;
    html! {
        (problem_list(t, &problems.iter().map(ToString::to_string).collect::<Vec<_>>()))
        form method="post" action=(action) {
            (csrf_field(&chrome.csrf))
            div.field {
                label for="f-text" { (t.t("framework-text")) }
                textarea #f-text.code name="text" rows="16" spellcheck="false" { (text) }
            }
            button type="submit" { (t.t("framework-save-draft")) }
        }
    }
}

/// Editing a framework's draft as CSV text, with the draft shown below.
pub fn framework_editor_page(
    chrome: &Chrome,
    organisation: &str,
    slug: &str,
    text: &str,
    draft: Option<&FrameworkView>,
    can_publish: bool,
    problems: &[Problem],
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("framework-edit"),
        html! {
            h1 { (t.t("framework-edit")) " · " (slug) }
            p.muted { (t.t("framework-edit-help")) }
            (framework_form(chrome, &format!("/orgs/{organisation}/frameworks/{slug}/draft"), text, problems))
            @if let Some(draft) = draft {
                @if can_publish {
                    form method="post" action={"/orgs/" (organisation) "/frameworks/" (slug) "/publish"} {
                        (csrf_field(&chrome.csrf))
                        button type="submit" { (t.ta("framework-publish", &[("number", i64::from(draft.number).into())])) }
                    }
                }
                h2 { (t.t("framework-draft-preview")) }
                (framework_body(chrome, &draft.spec))
            }
        },
    )
}

pub fn workforce_page(
    chrome: &Chrome,
    organisation: &str,
    view: &FrameworkView,
    gaps: Option<&WorkforceGaps>,
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("workforce-title"),
        html! {
            h1 { (t.t("workforce-title")) }
            p.muted { (view.spec.title) " · " (t.ta("workforce-min-cell", &[("min", MIN_CELL.into())])) }
            nav.actions {
                @for role in &view.spec.roles {
                    a.chip.active[gaps.is_some_and(|g| g.role.slug == role.slug)] href={"/orgs/" (organisation) "/workforce?framework=" (view.spec.slug) "&role=" (role.slug)} { (role.title) }
                }
            }
            @if let Some(gaps) = gaps {
                @if gaps.cells.is_empty() {
                    p.alert { (t.t("workforce-empty")) }
                }
                @for cell in &gaps.cells {
                    section.card {
                        h2.card-title {
                            (if cell.region.is_empty() { t.t("workforce-no-region") } else { cell.region.clone() }) " · "
                            (t.try_t(&format!("profession-{}", cell.profession)).unwrap_or_else(|| cell.profession.clone()))
                        }
                        p.muted { (t.ta("workforce-members", &[("count", cell.members.into())])) }
                        table {
                            thead { tr { th { (t.t("workforce-competency")) } th { (t.t("workforce-with-gap")) } } }
                            tbody {
                                @for ((code, title, level), gap) in gaps.requirements.iter().zip(&cell.with_gap) {
                                    tr { td { (code) " " (title) " (≥ " (level) ")" } td { (gap) " (" (gap * 100 / cell.members.max(1)) "%)" } }
                                }
                            }
                        }
                    }
                }
                @if gaps.suppressed_cells > 0 {
                    p.muted { (t.ta("workforce-suppressed", &[("cells", (gaps.suppressed_cells as i64).into()), ("members", gaps.suppressed_members.into())])) }
                }
            }
        },
    )
}
