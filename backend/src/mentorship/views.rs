//! Mentoring pages: a learner's mentoring (as mentor and mentee), the mentor profile and request
//! forms, a pair's page, and an association's programmes with their matching rounds. Every page
//! works without script at 360 px.

use super::entity::{mentee_request, mentoring_programme};
use super::matching::Reason;
use super::service::{ACTIVE, CLOSED, MentorView, OFFERED, PROPOSED, PairView, ProgrammeView};
use crate::accounts::model::PROFESSIONS;
use crate::competencies::service::FrameworkView;
use crate::platform::ui::components::{
    Field, FormErrors, FormFields, csrf_field, error_summary, select_field,
};
use crate::platform::ui::{Chrome, Lang, page};
use maud::{Markup, html};
use std::collections::HashMap;

/// A reason a pair was matched, in the reader's words.
pub fn reason_text(t: Lang, reason: &Reason) -> String {
    match reason {
        Reason::Covers { covered, wanted, verified } => t.ta(
            "reason-covers",
            &[
                ("covered", i64::from(*covered).into()),
                ("wanted", i64::from(*wanted).into()),
                ("verified", i64::from(*verified).into()),
            ],
        ),
        Reason::Language { language } => {
            let name = t.try_t(&format!("language-{language}")).unwrap_or_else(|| language.clone());
            t.ta("reason-language", &[("language", name.into())])
        }
        Reason::Profession { profession } => {
            t.ta("reason-profession", &[("profession", t.t(&format!("profession-{profession}")).into())])
        }
        Reason::InPerson { region } => t.ta("reason-in-person", &[("region", region.clone().into())]),
        Reason::TimeDifference { hours } => t.ta("reason-hours", &[("hours", i64::from(*hours).into())]),
        Reason::Rural => t.t("reason-rural"),
    }
}

fn reasons_list(t: Lang, reasons: &[Reason]) -> Markup {
    html! { ul.reasons { @for r in reasons { li { (reason_text(t, r)) } } } }
}

/// Minutes as hours with at most two decimals: 45 → "0.75", 90 → "1.5", 120 → "2".
fn hours(minutes: i64) -> String {
    let hundredths = minutes * 100 / 60;
    let text = format!("{}.{:02}", hundredths / 100, hundredths % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A query-string value, percent-encoded.
fn urlencoding(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

fn status_text(t: Lang, status: &str) -> String {
    t.t(&format!("mentorship-status-{status}"))
}

/// UTC offsets from −12:00 to +14:00 by half hours, as (minutes, label).
fn offsets() -> Vec<(String, String)> {
    (-24..=28)
        .map(|half| {
            let minutes: i32 = half * 30;
            let sign = if minutes < 0 { '−' } else { '+' };
            let abs = minutes.abs();
            (minutes.to_string(), format!("UTC{sign}{:02}:{:02}", abs / 60, abs % 60))
        })
        .collect()
}

fn checkbox(name: &'static str, value: &str, label: &str, checked: bool) -> Markup {
    html! { label.check { input type="checkbox" name=(name) value=(value) checked[checked]; " " (label) } }
}

/// A learner's mentoring: pairs, requests, their mentor profile and where to ask.
pub fn overview_page(
    chrome: &Chrome,
    mentor: Option<&MentorView>,
    pairs: &[(super::entity::mentorship::Model, String)],
    requests: &[(mentee_request::Model, Option<mentoring_programme::Model>)],
    me: i32,
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("mentoring-title"),
        html! {
            h1 { (t.t("mentoring-title")) }
            p.muted { (t.t("mentoring-intro")) }
            @if !pairs.is_empty() {
                h2 { (t.t("mentoring-pairs")) }
                ul.list { @for (pair, other) in pairs {
                    li { a href={"/mentorships/" (pair.id)} {
                            @if pair.mentor_id == me { (t.ta("mentoring-you-mentor", &[("name", other.clone().into())])) }
                            @else { (t.ta("mentoring-mentored-by", &[("name", other.clone().into())])) } }
                         " · " (status_text(t, &pair.status)) }
                } }
            }
            h2 { (t.t("mentoring-requests")) }
            @if requests.is_empty() { p { (t.t("mentoring-no-requests")) } }
            ul.list { @for (request, programme) in requests {
                li { (programme.as_ref().map_or("", |p| p.title.as_str())) " · " (t.t(&format!("request-status-{}", request.status)))
                    @if request.status == "open" {
                        form.inline method="post" action={"/me/mentoring/requests/" (request.id) "/withdraw"} {
                            (csrf_field(&chrome.csrf)) button.secondary type="submit" { (t.t("request-withdraw")) } }
                        @if programme.as_ref().is_some_and(|p| p.instant) {
                            form.inline method="post" action={"/me/mentoring/requests/" (request.id) "/now"} {
                                (csrf_field(&chrome.csrf)) button type="submit" { (t.t("request-now")) } }
                        }
                    }
                }
            } }
            p { a.button href="/me/mentoring/request" { (t.t("request-new")) } }
            h2 { (t.t("mentor-title")) }
            @match mentor {
                Some(m) => {
                    p { @if m.profile.active { (t.ta("mentor-active", &[("taken", (m.taken as i64).into()), ("capacity", i64::from(m.profile.capacity).into())])) }
                        @else { (t.t("mentor-inactive")) } }
                }
                None => { p { (t.t("mentor-none")) } }
            }
            p { a.button.secondary href="/me/mentoring/mentor" { (t.t("mentor-edit")) } }
        },
    )
}

/// The mentor profile form: who, how, how many, and what they offer (their profile's levels
/// beside, to mark what is verified).
pub fn mentor_page(
    chrome: &Chrome,
    view: &FrameworkView,
    values: &FormFields,
    held: &HashMap<String, u32>,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let chosen = |name: &str, value: &str| values.all(name).iter().any(|v| v == value);
    let level_options: Vec<(String, String)> = std::iter::once((String::new(), "—".to_owned()))
        .chain(view.spec.levels.iter().map(|l| (l.level.to_string(), format!("{} · {}", l.level, l.name))))
        .collect();
    page(
        chrome,
        &t.t("mentor-title"),
        html! {
            h1 { (t.t("mentor-title")) }
            p.muted { (t.t("mentor-intro")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form method="post" action="/me/mentoring/mentor" {
                (csrf_field(&chrome.csrf))
                (checkbox("active", "on", &t.t("mentor-opt-in"), values.get("active") == "on"))
                (select_field("capacity", &t.t("mentor-capacity"), &(1..=super::service::MAX_CAPACITY).map(|n| (n.to_string(), n.to_string())).collect::<Vec<_>>(), values.get("capacity"), errors))
                (Field::text("languages", &t.t("mentor-languages"), values.get("languages")).hint(&t.t("mentor-languages-hint")).required().render(errors))
                fieldset {
                    legend { (t.t("mentor-professions")) }
                    @for p in PROFESSIONS { (checkbox("professions", p, &t.t(&format!("profession-{p}")), chosen("professions", p))) }
                }
                (select_field("utc_offset_minutes", &t.t("mentor-time-zone"), &offsets(), values.get("utc_offset_minutes"), errors))
                fieldset.invalid[errors.get("remote").is_some()] {
                    legend { (t.t("mentor-how")) }
                    @if let Some(e) = errors.get("remote") { p.error { (e) } }
                    (checkbox("remote", "on", &t.t("mentor-remote"), values.get("remote") == "on"))
                    (checkbox("in_person", "on", &t.t("mentor-in-person"), values.get("in_person") == "on"))
                }
                (Field::text("availability", &t.t("mentor-availability"), values.get("availability")).hint(&t.t("mentor-availability-hint")).render(errors))
                div.field {
                    label for="f-about" { (t.t("mentor-about")) }
                    textarea #f-about name="about" rows="3" maxlength="2000" { (values.get("about")) }
                }
                h2 { (t.t("mentor-offers")) }
                p.muted { (t.t("mentor-offers-intro")) }
                @if let Some(e) = errors.get("offers") { p.error role="alert" { (e) } }
                @for domain in &view.spec.domains {
                    @let offered = domain.competencies.iter().any(|c| !values.get(&format!("offer-{}", c.code)).is_empty());
                    details open[offered] {
                    summary { (domain.code) " · " (domain.title) }
                    @for c in &domain.competencies {
                        @let name = format!("offer-{}", c.code);
                        div.field.offer {
                            label for={"f-" (name)} { (c.code) " " (c.title)
                                @if let Some(level) = held.get(&c.code) { " " span.badge { (t.ta("mentor-verified-at", &[("level", i64::from(*level).into())])) } } }
                            select id={"f-" (name)} name=(name) {
                                @for (value, text) in &level_options { option value=(value) selected[*value == values.get(&name)] { (text) } }
                            }
                        }
                    }
                    }
                }
                button type="submit" { (t.t("mentor-save")) }
            }
        },
    )
}

/// The request form: a programme, the competencies wanted (gaps first, with how many mentors
/// offer each), goals and preferences.
#[allow(clippy::too_many_arguments)]
pub fn request_page(
    chrome: &Chrome,
    programmes: &[mentoring_programme::Model],
    view: &FrameworkView,
    suggested: &[(String, u32)],
    offering: &HashMap<String, u64>,
    held: &HashMap<String, u32>,
    values: &FormFields,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let wanted = values.all("want");
    let top = view.spec.top_level();
    let programme_options: Vec<(String, String)> =
        programmes.iter().map(|p| (p.id.to_string(), p.title.clone())).collect();
    page(
        chrome,
        &t.t("request-title"),
        html! {
            h1 { (t.t("request-title")) }
            p.muted { (t.t("request-intro")) }
            (error_summary(&t.t("form-has-errors"), errors))
            @if programmes.is_empty() {
                p.alert { (t.t("request-no-programme")) }
            } @else {
                form method="post" action="/me/mentoring/request" {
                    (csrf_field(&chrome.csrf))
                    (select_field("programme", &t.t("request-programme"), &programme_options, values.get("programme"), errors))
                    fieldset.invalid[errors.get("wanted").is_some()] {
                        legend { (t.t("request-wanted")) }
                        @if let Some(e) = errors.get("wanted") { p.error { (e) } }
                        @if !suggested.is_empty() {
                            p.muted { (t.t("request-suggested")) }
                            @for (code, level) in suggested {
                                @let value = format!("{code}:{level}");
                                @let count = offering.get(code).copied().unwrap_or(0);
                                (checkbox("want", &value, &format!("{code} {} · {} {level} · {}", view.title_of(code).unwrap_or(""), t.t("framework-level"), t.ta("request-mentors-offer", &[("count", (count as i64).into())])), wanted.contains(&value)))
                            }
                        }
                        details {
                            summary { (t.t("request-more")) }
                            @for (_, c) in view.spec.competencies() {
                                @if !suggested.iter().any(|(code, _)| *code == c.code) {
                                    @let level = (held.get(&c.code).copied().unwrap_or(0) + 1).min(top);
                                    @let value = format!("{}:{level}", c.code);
                                    (checkbox("want", &value, &format!("{} {} · {} {level}", c.code, c.title, t.t("framework-level")), wanted.contains(&value)))
                                }
                            }
                        }
                    }
                    div.field {
                        label for="f-goals" { (t.t("request-goals")) }
                        textarea #f-goals name="goals" rows="3" maxlength="2000" { (values.get("goals")) }
                    }
                    (Field::text("languages", &t.t("request-languages"), values.get("languages")).hint(&t.t("mentor-languages-hint")).required().render(errors))
                    (select_field("utc_offset_minutes", &t.t("mentor-time-zone"), &offsets(), values.get("utc_offset_minutes"), errors))
                    fieldset {
                        legend { (t.t("request-preferences")) }
                        (checkbox("remote_ok", "on", &t.t("request-remote-ok"), values.get("remote_ok") == "on"))
                        (checkbox("same_profession", "on", &t.t("request-same-profession"), values.get("same_profession") == "on"))
                        (checkbox("same_country", "on", &t.t("request-same-country"), values.get("same_country") == "on"))
                    }
                    button type="submit" { (t.t("request-submit")) }
                }
            }
        },
    )
}

/// A pair's page, for one of the two.
pub fn pair_page(
    chrome: &Chrome,
    me: i32,
    view: &PairView,
    today: chrono::NaiveDate,
    values: &FormFields,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let pair = &view.pair;
    let i_mentor = pair.mentor_id == me;
    let (other, role) =
        if i_mentor { (&view.mentee, "pair-your-mentee") } else { (&view.mentor, "pair-your-mentor") };
    let mine_accepted =
        if i_mentor { pair.mentor_accepted_at.is_some() } else { pair.mentee_accepted_at.is_some() };
    let today = today.format("%Y-%m-%d").to_string();
    page(
        chrome,
        &t.t("pair-title"),
        html! {
            h1 { (t.t(role)) ": " (other.name) }
            p.muted { (view.programme.title) " · " strong { (status_text(t, &pair.status)) } }
            (error_summary(&t.t("form-has-errors"), errors))
            h2 { (t.t("pair-why")) }
            (reasons_list(t, &view.reasons))
            @if !view.wanted.is_empty() {
                p { (t.t("pair-wanted")) ": " (view.wanted.iter().map(|(c, l)| format!("{c} ({l})")).collect::<Vec<_>>().join(", ")) }
            }
            @if !view.goals.is_empty() { p { (t.t("request-goals")) ": " (view.goals) } }
            @if view.contacts_shown() {
                p.card { (t.t("pair-contact")) ": " a href={"mailto:" (other.email)} { (other.email) } }
            } @else {
                p.muted { (t.t("pair-contact-hidden")) }
            }
            @if pair.status == OFFERED {
                @if mine_accepted { p { (t.t("pair-waiting-other")) } }
                @else {
                    form method="post" action={"/mentorships/" (pair.id) "/accept"} {
                        (csrf_field(&chrome.csrf)) button type="submit" { (t.t("pair-accept")) } }
                    form method="post" action={"/mentorships/" (pair.id) "/decline"} {
                        (csrf_field(&chrome.csrf))
                        (Field::text("reason", &t.t("pair-decline-reason"), values.get("reason")).required().render(errors))
                        button.secondary type="submit" { (t.t("pair-decline")) }
                    }
                }
            }
            @if pair.status == ACTIVE || pair.status == CLOSED {
                h2 { (t.t("pair-sessions")) }
                p { (t.ta("pair-hours", &[("minutes", view.minutes.into())])) }
                @if view.minutes > 0 {
                    @let hours = hours(view.minutes);
                    @let last = view.sessions.first().map(|s| s.held_on.format("%Y-%m-%d").to_string()).unwrap_or_default();
                    @let title = t.ta("pair-cpd-title", &[("name", other.name.clone().into())]);
                    p { a href={"/me/credits?kind=mentoring&credits=" (hours) "&held_on=" (last) "&title=" (urlencoding(&title))} { (t.ta("pair-cpd", &[("hours", hours.clone().into())])) } }
                }
                ul.list { @for s in &view.sessions {
                    li { strong { (s.held_on.format("%Y-%m-%d").to_string()) } " · " (s.minutes) " min · " (s.topics)
                        @if !s.notes.is_empty() { p.muted { (s.notes) } } }
                } }
            }
            @if pair.status == ACTIVE {
                form method="post" action={"/mentorships/" (pair.id) "/sessions"} {
                    (csrf_field(&chrome.csrf))
                    (Field::text("held_on", &t.t("session-date"), if values.get("held_on").is_empty() { &today } else { values.get("held_on") }).kind("date").required().render(errors))
                    (Field::text("minutes", &t.t("session-minutes"), values.get("minutes")).kind("number").required().render(errors))
                    (Field::text("topics", &t.t("session-topics"), values.get("topics")).required().render(errors))
                    div.field {
                        label for="f-notes" { (t.t("session-notes")) }
                        p.hint { (t.t("session-notes-hint")) }
                        textarea #f-notes name="notes" rows="3" maxlength="4000" { (values.get("notes")) }
                    }
                    button type="submit" { (t.t("session-log")) }
                }
                @if i_mentor {
                    p { a.button.secondary href={"/observations?learner=" (other.email)} { (t.t("pair-observe")) } }
                }
                form method="post" action={"/mentorships/" (pair.id) "/end"} {
                    (csrf_field(&chrome.csrf))
                    (Field::text("end_reason", &t.t("pair-end-reason"), values.get("end_reason")).render(errors))
                    button.secondary type="submit" { (t.t("pair-end")) }
                }
            }
            @if pair.status == CLOSED {
                @let mine = if i_mentor { &pair.mentor_feedback } else { &pair.mentee_feedback };
                @if mine.is_empty() {
                    form method="post" action={"/mentorships/" (pair.id) "/feedback"} {
                        (csrf_field(&chrome.csrf))
                        div.field.invalid[errors.get("feedback").is_some()] {
                            label for="f-feedback" { (t.t("pair-feedback")) }
                            @if let Some(e) = errors.get("feedback") { p.error { (e) } }
                            textarea #f-feedback name="feedback" rows="3" maxlength="2000" { (values.get("feedback")) }
                        }
                        button type="submit" { (t.t("pair-feedback-submit")) }
                    }
                } @else { p { (t.t("pair-feedback")) ": " (mine) } }
            }
            details {
                summary { (t.t("pair-concern")) }
                form method="post" action={"/mentorships/" (pair.id) "/concern"} {
                    (csrf_field(&chrome.csrf))
                    div.field.invalid[errors.get("concern").is_some()] {
                        label for="f-concern" { (t.t("pair-concern-label")) }
                        p.hint { (t.t("pair-concern-hint")) }
                        @if let Some(e) = errors.get("concern") { p.error { (e) } }
                        textarea #f-concern name="concern" rows="3" maxlength="4000" { (values.get("concern")) }
                    }
                    button.secondary type="submit" { (t.t("pair-concern-submit")) }
                }
            }
        },
    )
}

/// An association's programmes, with a form to start one.
pub fn programmes_page(
    chrome: &Chrome,
    organisation: &str,
    programmes: &[mentoring_programme::Model],
    values: &FormFields,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("programmes-title"),
        html! {
            h1 { (t.t("programmes-title")) }
            ul.list { @for p in programmes {
                li { a href={"/orgs/" (organisation) "/mentoring/" (p.slug)} { (p.title) }
                    @if let Some(d) = p.deadline { " · " (t.t("programme-deadline")) " " (d.format("%Y-%m-%d").to_string()) } }
            } }
            h2 { (t.t("programme-new")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form method="post" action={"/orgs/" (organisation) "/mentoring"} {
                (csrf_field(&chrome.csrf))
                (Field::text("title", &t.t("programme-title"), values.get("title")).required().render(errors))
                div.field {
                    label for="f-description" { (t.t("programme-description")) }
                    textarea #f-description name="description" rows="3" maxlength="2000" { (values.get("description")) }
                }
                (Field::text("deadline", &t.t("programme-deadline"), values.get("deadline")).kind("date").render(errors))
                (checkbox("instant", "on", &t.t("programme-instant"), values.get("instant") == "on"))
                button type="submit" { (t.t("programme-create")) }
            }
        },
    )
}

/// A programme: requests and mentors, rounds, the proposals to review and adjust, pairs and
/// concerns.
pub fn programme_page(
    chrome: &Chrome,
    organisation: &str,
    view: &ProgrammeView,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let base = format!("/orgs/{organisation}/mentoring/{}", view.programme.slug);
    let proposals: Vec<_> = view.pairs.iter().filter(|(p, ..)| p.status == PROPOSED).collect();
    let unpublished = view.rounds.first().filter(|r| r.published_at.is_none());
    let mentor_options: Vec<(String, String)> =
        view.mentors.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
    page(
        chrome,
        &view.programme.title,
        html! {
            h1 { (view.programme.title) }
            @if !view.programme.description.is_empty() { p { (view.programme.description) } }
            p { (t.ta("programme-counts", &[("requests", (view.open_requests as i64).into()), ("mentors", (view.mentors.len() as i64).into())])) }
            (error_summary(&t.t("form-has-errors"), errors))
            form method="post" action={(base) "/rounds"} {
                (csrf_field(&chrome.csrf)) button type="submit" { (t.t("round-run")) } }
            @if let Some(round) = view.rounds.first() {
                p.muted { (t.ta("round-summary", &[
                    ("matched", i64::from(round.matched).into()), ("mentees", i64::from(round.mentees).into()),
                    ("total", round.total_score.into()), ("greedy", round.greedy_score.into()), ("ms", i64::from(round.solve_ms).into())])) }
            }
            @if !proposals.is_empty() {
                h2 { (t.t("round-proposals")) }
                @for (pair, mentee, mentor, reasons) in &proposals {
                    article.card {
                        p { strong { (mentee) } " ← " (mentor) " · " (pair.score) }
                        (reasons_list(t, reasons))
                        form.inline method="post" action={(base) "/pairs/" (pair.id) "/reassign"} {
                            (csrf_field(&chrome.csrf))
                            (select_field("mentor", &t.t("round-reassign"), &mentor_options, &pair.mentor_id.to_string(), errors))
                            button.secondary type="submit" { (t.t("round-reassign-submit")) }
                        }
                    }
                }
                @if let Some(round) = unpublished {
                    form method="post" action={(base) "/rounds/" (round.id) "/publish"} {
                        (csrf_field(&chrome.csrf)) button type="submit" { (t.t("round-publish")) } }
                }
            }
            h2 { (t.t("programme-pairs")) }
            ul.list { @for (pair, mentee, mentor, _) in view.pairs.iter().filter(|(p, ..)| p.status != PROPOSED) {
                li { (mentee) " ← " (mentor) " · " (status_text(t, &pair.status))
                    @if !pair.end_reason.is_empty() { " · " (pair.end_reason) } }
            } }
            h2 { (t.t("programme-concerns")) }
            @if view.concerns.is_empty() { p.muted { (t.t("programme-no-concerns")) } }
            @for (concern, mentee, mentor) in &view.concerns {
                article.card {
                    p.muted { (concern.created_at.format("%Y-%m-%d").to_string()) " · " (mentee) " ← " (mentor) }
                    p { (concern.body) }
                }
            }
        },
    )
}
