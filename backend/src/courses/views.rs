//! Pages of the courses feature.

use super::entity::{lesson, quiz, quiz_attempt};
use super::learning::{AttemptView, LearningItem, Progress};
use super::service::{CatalogueFilter, CourseCard, CourseOutline};
use crate::platform::ui::components::csrf_field;
use crate::platform::ui::{Chrome, Lang, page};
use maud::{Markup, PreEscaped, html};
use std::collections::BTreeSet;

/// "1.25" from hundredths.
pub fn credits(hundredths: i32) -> String {
    let whole = hundredths / 100;
    match hundredths % 100 {
        0 => whole.to_string(),
        part if part % 10 == 0 => format!("{whole}.{}", part / 10),
        part => format!("{whole}.{part:02}"),
    }
}

fn language_name(code: &str, t: Lang) -> String {
    t.try_t(&format!("language-{code}")).unwrap_or_else(|| code.to_owned())
}

fn facet_link(label: String, key: &str, value: &str, filter: &CatalogueFilter) -> Markup {
    let mut pairs = vec![
        ("profession", filter.profession.as_str()),
        ("topic", filter.topic.as_str()),
        ("language", filter.language.as_str()),
    ];
    let mut active = false;
    for pair in &mut pairs {
        if pair.0 == key {
            active = pair.1 == value;
            pair.1 = if active { "" } else { value };
        }
    }
    let query: Vec<String> =
        pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={v}")).collect();
    let href = if query.is_empty() { "/courses".to_owned() } else { format!("/courses?{}", query.join("&")) };
    html! { a.chip.active[active] href=(href) aria-current=[active.then_some("true")] { (label) } }
}

pub fn catalogue_page(
    chrome: &Chrome,
    all: &[CourseCard],
    shown: &[CourseCard],
    filter: &CatalogueFilter,
) -> Markup {
    let t = chrome.lang;
    let professions: BTreeSet<&str> =
        all.iter().flat_map(|c| c.professions.iter().map(String::as_str)).collect();
    let topics: BTreeSet<&str> = all.iter().flat_map(|c| c.topics.iter().map(String::as_str)).collect();
    let languages: BTreeSet<&str> = all.iter().map(|c| c.language.as_str()).collect();
    page(
        chrome,
        &t.t("courses-title"),
        html! {
            h1 { (t.t("courses-title")) }
            details.filters open[!filter.profession.is_empty() || !filter.topic.is_empty() || !filter.language.is_empty()] {
                summary { (t.t("courses-filter")) }
                p.chips { strong { (t.t("field-profession")) } " " @for p in &professions { (facet_link(t.t(&format!("profession-{p}")), "profession", p, filter)) " " } }
                p.chips { strong { (t.t("courses-topic")) } " " @for topic in &topics { (facet_link(topic.replace('-', " "), "topic", topic, filter)) " " } }
                p.chips { strong { (t.t("courses-language")) } " " @for l in &languages { (facet_link(language_name(l, t), "language", l, filter)) " " } }
            }
            p.muted { (t.ta("courses-count", &[("count", (shown.len() as i64).into())])) }
            ul.list {
                @for card in shown {
                    li {
                        h2.card-title { a href={"/courses/" (card.slug)} lang=(card.language) { (card.title) } }
                        p lang=(card.language) { (card.summary) }
                        p.muted {
                            (t.ta("courses-minutes", &[("minutes", i64::from(card.minutes).into())])) " · "
                            (t.ta("courses-credits", &[("credits", credits(card.credits_hundredths).into())])) " · "
                            (language_name(&card.language, t)) " · " (card.organisation)
                        }
                    }
                }
            }
        },
    )
}

pub fn course_page(
    chrome: &Chrome,
    outline: &CourseOutline,
    progress: Option<&Progress>,
    signed_in: bool,
    newer_version: bool,
) -> Markup {
    let t = chrome.lang;
    let version = &outline.version;
    let slug = &outline.course.slug;
    let lessons: Vec<_> = outline.modules.iter().flat_map(|m| m.lessons.iter()).collect();
    let resume = progress
        .and_then(|p| lessons.iter().find(|l| !p.read.contains(&l.id)))
        .or(lessons.first())
        .map(|l| format!("/courses/{slug}/lessons/{}", l.slug));
    page(
        chrome,
        &version.title,
        html! {
            article lang=(version.language) {
                p.muted { a href="/courses" { (t.t("courses-title")) } }
                h1 { (version.title) }
                p.lead { (version.summary) }
                @if newer_version {
                    form.alert.info method="post" action={"/courses/" (slug) "/move-to-latest"} {
                        (csrf_field(&chrome.csrf))
                        p { (t.t("course-newer-version")) }
                        button.secondary type="submit" { (t.t("course-move")) }
                    }
                }
                @if let Some(progress) = progress {
                    @if progress.enrolment.completed_at.is_some() {
                        div.alert.ok role="status" { p { strong { (t.t("course-completed")) } } }
                    } @else {
                        p { (t.ta("course-progress", &[("percent", progress.percent().into())])) }
                        progress max="100" value=(progress.percent()) { (progress.percent()) "%" }
                    }
                }
                div.actions {
                    @match (progress, signed_in) {
                        (Some(_), _) => { @if let Some(resume) = &resume { a.button href=(resume) { (t.t("course-continue")) } } }
                        (None, true) => {
                            form method="post" action={"/courses/" (slug) "/enrol"} {
                                (csrf_field(&chrome.csrf))
                                button type="submit" { (t.t("course-enrol")) }
                            }
                            @if let Some(resume) = &resume { a.button.secondary href=(resume) { (t.t("course-preview")) } }
                        }
                        (None, false) => {
                            a.button href={"/sign-in?next=/courses/" (slug)} { (t.t("course-sign-in-to-enrol")) }
                            @if let Some(resume) = &resume { a.button.secondary href=(resume) { (t.t("course-preview")) } }
                        }
                    }
                }
                dl.facts.card {
                    dt { (t.t("course-time")) } dd { (t.ta("courses-minutes", &[("minutes", i64::from(version.minutes).into())])) }
                    dt { (t.t("course-credits")) } dd { (t.ta("courses-credits", &[("credits", credits(version.credits_hundredths).into())])) }
                    dt { (t.t("course-by")) } dd { (outline.organisation) }
                    dt { (t.t("course-version")) } dd { (version.number) }
                    dt { (t.t("course-licence")) } dd { (version.licence) }
                }
                h2 { (t.t("course-objectives")) }
                ul { @for objective in &outline.objectives { li { (objective) } } }
                @if outline.course.published_version_id == Some(version.id) {
                    @let lessons_count = outline.modules.iter().map(|m| m.lessons.len()).sum();
                    p.pack {
                        a href={"/courses/" (slug) "/pack.zip"} download { (t.t("course-pack-download")) }
                        " · " (super::pack::estimated_size(outline.pack_media_bytes, lessons_count))
                        br; span.muted { (t.t("course-pack-hint")) }
                    }
                }
                h2 { (t.t("course-contents")) }
                @for (index, module) in outline.modules.iter().enumerate() {
                    section.card {
                        h3 { (index + 1) ". " (module.title) }
                        ol {
                            @for lesson in &module.lessons {
                                li {
                                    a href={"/courses/" (slug) "/lessons/" (lesson.slug)} { (lesson.title) }
                                    " " span.muted { "(" (t.ta("courses-minutes", &[("minutes", i64::from(lesson.minutes).into())])) ")" }
                                    @if progress.is_some_and(|p| p.read.contains(&lesson.id)) { " " span.pill { "✓ " (t.t("lesson-read")) } }
                                }
                            }
                        }
                        @if let Some((quiz_id, title, questions)) = &module.quiz {
                            p {
                                @if progress.is_some() {
                                    a href={"/courses/" (slug) "/quizzes/" (quiz_id)} { (title) }
                                } @else { (title) }
                                " " span.muted { "· " (t.ta("course-quiz-questions", &[("count", (*questions as i64).into())])) }
                                @if progress.is_some_and(|p| p.passed_quizzes.contains(quiz_id)) { " " span.pill { "✓ " (t.t("quiz-passed")) } }
                            }
                        }
                    }
                }
            }
            @if progress.is_some() {
                (offline_section(chrome, slug))
                (offline_script(chrome))
            }
        },
    )
}

/// The page script for a signed-in learner: saving courses for offline, and sending answers
/// given offline when the network returns (see `offline`). Nothing without JavaScript.
fn offline_script(chrome: &Chrome) -> Markup {
    html! {
        @if let Some(account) = &chrome.account {
            script src=(super::offline::script_url()) defer data-account=(account.storage_key)
                data-worker=(super::offline::WORKER_URL) data-scope=(super::offline::WORKER_SCOPE) {}
        }
    }
}

/// "Save for offline" on a course page: hidden until the script shows it (it needs a service
/// worker); the size comes from the course's offline manifest before anything is saved.
fn offline_section(chrome: &Chrome, slug: &str) -> Markup {
    let t = chrome.lang;
    html! {
        section #offline-course.card hidden data-course=(slug) data-manifest={"/courses/" (slug) "/offline"}
            data-saving=(t.ta("offline-course-saving", &[("percent", "{percent}".into())]))
            data-saved=(t.ta("offline-course-saved", &[("date", "{date}".into()), ("size", "{size}".into())]))
            data-failed=(t.t("offline-course-failed")) data-no-network=(t.t("offline-course-no-network"))
            data-removed=(t.t("offline-course-removed")) {
            h2 { (t.t("offline-course-heading")) }
            p.hint { (t.t("offline-course-intro")) }
            p #offline-course-status aria-live="polite" {}
            progress #offline-course-progress max="100" value="0" hidden {}
            div.actions {
                button #offline-course-save type="button" disabled { (t.t("offline-course-save")) }
                button #offline-course-remove.secondary type="button" hidden { (t.t("offline-course-remove")) }
            }
        }
    }
}

/// Where an answer given offline leads: it waits on the phone. Kept with each saved course.
pub fn offline_saved_page(chrome: &Chrome, outline: &CourseOutline) -> Markup {
    let t = chrome.lang;
    let slug = &outline.course.slug;
    page(
        chrome,
        &t.t("offline-queued-title"),
        html! {
            p.muted { a href={"/courses/" (slug)} { (outline.version.title) } }
            h1 { (t.t("offline-queued-title")) }
            div.alert.info role="status" { p { (t.t("offline-queued-body")) } }
            div.actions { a.button href={"/courses/" (slug)} { (t.t("lesson-back")) } }
            (offline_script(chrome))
        },
    )
}

pub fn lesson_page(
    chrome: &Chrome,
    outline: &CourseOutline,
    lesson: &lesson::Model,
    read: Option<bool>,
) -> Markup {
    let t = chrome.lang;
    let lessons: Vec<_> = outline.modules.iter().flat_map(|m| m.lessons.iter()).collect();
    let index = lessons.iter().position(|l| l.id == lesson.id).unwrap_or(0);
    let previous = index.checked_sub(1).and_then(|i| lessons.get(i));
    let next = lessons.get(index + 1);
    let base = format!("/courses/{}/lessons/", outline.course.slug);
    page(
        chrome,
        &lesson.title,
        html! {
            article.lesson lang=(outline.version.language) {
                p.muted { a href={"/courses/" (outline.course.slug)} { (outline.version.title) } " · "
                    (t.ta("lesson-position", &[("number", (index as i64 + 1).into()), ("total", (lessons.len() as i64).into())])) }
                h1 { (lesson.title) }
                // Rendered from Markdown and sanitised by ammonia when the version was published.
                @let body = if chrome.data_saver { lesson.html_saver.as_ref().or(lesson.html.as_ref()) } else { lesson.html.as_ref() };
                (PreEscaped(body.map_or("", String::as_str)))
            }
            @match read {
                Some(read) => {
                    form.lesson-done method="post" action={(base) (lesson.slug) "/complete"} {
                        (csrf_field(&chrome.csrf))
                        button type="submit" { @if read { "✓ " (t.t("lesson-read-continue")) } @else { (t.t("lesson-mark-read")) } }
                    }
                }
                None => { p.muted { a href={"/courses/" (outline.course.slug)} { (t.t("lesson-enrol-to-track")) } } }
            }
            nav.pager aria-label=(t.t("lesson-pager")) {
                @if let Some(previous) = previous { a.button.secondary href={(base) (previous.slug)} rel="prev" { "← " (t.t("lesson-previous")) } }
                @if let Some(next) = next { a.button href={(base) (next.slug)} rel="next" { (t.t("lesson-next")) " →" } }
                @else { a.button href={"/courses/" (outline.course.slug)} { (t.t("lesson-back")) } }
            }
            @if read.is_some() { (offline_script(chrome)) }
        },
    )
}

pub fn quiz_page(
    chrome: &Chrome,
    course_slug: &str,
    quiz: &quiz::Model,
    attempts: &[quiz_attempt::Model],
) -> Markup {
    let t = chrome.lang;
    let used = attempts.iter().filter(|a| a.submitted_at.is_some()).count() as i64;
    let open = attempts.iter().any(|a| a.submitted_at.is_none());
    let left = (quiz.max_attempts > 0).then(|| i64::from(quiz.max_attempts) - used);
    page(
        chrome,
        &quiz.title,
        html! {
            p.muted { a href={"/courses/" (course_slug)} { (t.t("lesson-back")) } }
            h1 { (quiz.title) }
            p { (t.ta("quiz-pass-mark", &[("percent", i64::from(quiz.pass_mark).into())])) " "
                @match left {
                    Some(left) => { (t.ta("quiz-attempts-left", &[("count", left.max(0).into())])) }
                    None => { (t.t("quiz-attempts-unlimited")) }
                }
            }
            @if !attempts.is_empty() {
                h2 { (t.t("quiz-your-attempts")) }
                ul.list {
                    @for (index, attempt) in attempts.iter().enumerate() {
                        li.row {
                            span { (t.ta("quiz-attempt-number", &[("number", (index as i64 + 1).into())])) " "
                                @match (attempt.score_percent, attempt.passed) {
                                    (Some(score), Some(true)) => { span.pill { (score) "% · " (t.t("quiz-passed")) } }
                                    (Some(score), _) => { span.pill.warn { (score) "% · " (t.t("quiz-not-passed")) } }
                                    _ => { span.pill.warn { (t.t("quiz-in-progress")) } }
                                }
                            }
                            a href={"/courses/" (course_slug) "/attempts/" (attempt.id)} { (t.t("quiz-open-attempt")) }
                        }
                    }
                }
            }
            @if open || left.is_none_or(|l| l > 0) {
                form method="post" action={"/courses/" (course_slug) "/quizzes/" (quiz.id) "/attempts"} {
                    (csrf_field(&chrome.csrf))
                    button type="submit" { @if open { (t.t("quiz-resume")) } @else { (t.t("quiz-start")) } }
                }
            } @else {
                div.alert.error { p { (t.t("quiz-no-attempts-left")) } }
            }
            (offline_script(chrome))
        },
    )
}

pub fn attempt_page(chrome: &Chrome, course_slug: &str, view: &AttemptView) -> Markup {
    let t = chrome.lang;
    let submitted = view.attempt.submitted_at.is_some();
    let action = format!("/courses/{course_slug}/attempts/{}", view.attempt.id);
    page(
        chrome,
        &view.quiz.title,
        html! {
            p.muted { a href={"/courses/" (course_slug) "/quizzes/" (view.quiz.id)} { (view.quiz.title) } }
            h1 { (view.quiz.title) }
            @if let (Some(score), Some(passed)) = (view.attempt.score_percent, view.attempt.passed) {
                div.alert.ok[passed].error[!passed] role="status" {
                    p { strong { (t.ta("quiz-score", &[("percent", i64::from(score).into())])) } " "
                        @if passed { (t.t("quiz-passed-message")) } @else { (t.ta("quiz-failed-message", &[("percent", i64::from(view.quiz.pass_mark).into())])) } }
                }
            }
            form method="post" action=(action) {
                (csrf_field(&chrome.csrf))
                @for (index, question) in view.questions.iter().enumerate() {
                    fieldset.card.question {
                        legend { (index + 1) ". " (question.prompt) }
                        @if question.kind == "multiple" { p.hint { (t.t("quiz-choose-all")) } }
                        @for option in &question.options {
                            @let chosen = question.chosen.contains(&option.id);
                            label.choice {
                                input type=(if question.kind == "multiple" { "checkbox" } else { "radio" }) name={"q" (question.id)} value=(option.id)
                                    checked[chosen] disabled[submitted];
                                (option.text)
                            }
                            @if submitted && (chosen || option.correct) {
                                p.feedback.right[option.correct].wrong[!option.correct] {
                                    @if option.correct { "✓ " } @else { "✗ " } (option.feedback)
                                }
                            }
                        }
                        @if let Some(correct) = question.correct {
                            p { @if correct { span.pill { (t.t("quiz-correct")) } } @else { span.pill.warn { (t.t("quiz-incorrect")) } } }
                        }
                    }
                }
                @if !submitted { div.actions { button type="submit" { (t.t("quiz-submit")) } } }
            }
            @if submitted {
                div.actions {
                    a.button href={"/courses/" (course_slug)} { (t.t("lesson-back")) }
                    @if view.attempt.passed == Some(false) { a.button.secondary href={"/courses/" (course_slug) "/quizzes/" (view.quiz.id)} { (t.t("quiz-try-again")) } }
                }
            }
            (offline_script(chrome))
        },
    )
}

pub fn learning_page(
    chrome: &Chrome,
    items: &[LearningItem],
    notices: &[super::entity::course_notice::Model],
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("learning-title"),
        html! {
            h1 { (t.t("learning-title")) }
            p.actions { a.button.secondary href="/me/competencies" { (t.t("competencies-title")) } " " a.button.secondary href="/me/mentoring" { (t.t("mentoring-title")) } }
            @if !notices.is_empty() {
                section.alert.info {
                    h2 { (t.t("learning-notices")) }
                    @for notice in notices { p { @for line in notice.message.lines() { (line) br; } } }
                }
            }
            @if items.is_empty() { p { (t.t("learning-none")) " " a href="/courses" { (t.t("courses-title")) } } }
            // Filled by the page script from what the phone keeps (hidden without it).
            section #offline-saved.card hidden
                data-saved=(t.ta("offline-course-saved", &[("date", "{date}".into()), ("size", "{size}".into())])) {
                h2 { (t.t("offline-saved-heading")) }
                p #offline-saved-none hidden { (t.t("offline-saved-none")) }
                ul #offline-saved-list.list {}
                template #offline-saved-item {
                    li.row { span { a href="" {} br; span.muted {} } button.secondary type="button" { (t.t("offline-course-remove")) } }
                }
            }
            ul.list {
                @for item in items {
                    li {
                        h2.card-title { a href={"/courses/" (item.slug)} { (item.title) } }
                        @if let Some(done) = item.completed_at {
                            p { span.pill { "✓ " (t.ta("learning-completed-on", &[("date", done.format("%Y-%m-%d").to_string().into())])) } }
                        } @else {
                            progress max="100" value=(item.percent) { (item.percent) "%" }
                            p.muted { (t.ta("course-progress", &[("percent", item.percent.into())]))
                                @if let Some(resume) = &item.resume { " · " a href={"/courses/" (item.slug) "/lessons/" (resume)} { (t.t("course-continue")) } } }
                        }
                    }
                }
            }
            (offline_script(chrome))
        },
    )
}

fn status_pill(t: Lang, status: &str) -> Markup {
    html! { span.pill.warn[status != "published"] { (t.t(&format!("version-status-{status}"))) } }
}

pub fn organisation_courses_page(
    chrome: &Chrome,
    organisation: &crate::accounts::entity::organisation::Model,
    courses: &[(super::entity::course::Model, Vec<super::entity::course_version::Model>)],
    can_author: bool,
    problems: &[String],
) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("authoring-title"),
        html! {
            p.muted { a href={"/orgs/" (organisation.slug)} { (organisation.name) } }
            h1 { (t.t("authoring-title")) }
            @if can_author {
                (crate::platform::ui::components::problem_list(t, problems))
                p { a.button href={"/orgs/" (organisation.slug) "/courses/new"} { (t.t("course-new-title")) } }
                form.card method="post" enctype="multipart/form-data" action={"/orgs/" (organisation.slug) "/courses?csrf_token=" (chrome.csrf)} {
                    h2 { (t.t("upload-title")) }
                    p.hint { (t.t("upload-hint")) }
                    div.field { label for="f-package" { (t.t("upload-field")) } input #f-package type="file" name="package" accept=".zip,application/zip" required; }
                    div.actions { button type="submit" { (t.t("upload-submit")) } }
                }
            }
            @if courses.is_empty() { p { (t.t("authoring-none")) } }
            ul.list {
                @for (course, versions) in courses {
                    li {
                        h2.card-title { (versions.first().map_or(course.slug.as_str(), |v| v.title.as_str())) }
                        ul {
                            @for version in versions {
                                li { a href={"/orgs/" (organisation.slug) "/courses/" (course.slug) "/versions/" (version.number)} { (t.ta("version-number", &[("number", i64::from(version.number).into())])) } " " (status_pill(t, &version.status)) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// What the viewer may do with a version.
#[derive(Clone, Copy, Debug)]
pub struct VersionRights {
    pub author: bool,
    pub reviewer: bool,
}

pub fn version_page(
    chrome: &Chrome,
    organisation: &str,
    outline: &CourseOutline,
    events: &[super::authoring::VersionEvent],
    rights: VersionRights,
    problems: &[String],
) -> Markup {
    let t = chrome.lang;
    let version = &outline.version;
    let base = format!("/orgs/{organisation}/courses/{}/versions/{}", outline.course.slug, version.number);
    page(
        chrome,
        &version.title,
        html! {
            p.muted { a href={"/orgs/" (organisation) "/courses"} { (t.t("authoring-title")) } }
            h1 { (version.title) }
            p { (t.ta("version-number", &[("number", i64::from(version.number).into())])) " " (status_pill(t, &version.status)) }
            (crate::platform::ui::components::problem_list(t, problems))
            @if version.status == "draft" && rights.author {
                form method="post" action={(base) "/submit"} { (csrf_field(&chrome.csrf)) button type="submit" { (t.t("version-submit")) } }
            }
            @if matches!(version.status.as_str(), "published" | "retired") && rights.author {
                form method="post" action={(base) "/draft"} {
                    (csrf_field(&chrome.csrf))
                    p.hint { (t.t("version-new-draft-hint")) }
                    button.secondary type="submit" { (t.t("version-new-draft")) }
                }
            }
            @if version.status == "in_review" && rights.reviewer {
                form.card method="post" action={(base) "/approve"} {
                    (csrf_field(&chrome.csrf))
                    div.field { label for="f-comment" { (t.t("review-comment")) } textarea #f-comment name="comment" rows="3" {} }
                    div.actions {
                        button type="submit" { (t.t("version-approve")) }
                        button.secondary type="submit" formaction={(base) "/return"} { (t.t("version-return")) }
                    }
                }
            }
            h2 { (t.t("course-contents")) }
            @if version.status == "draft" && rights.author {
                (super::editor_views::outline_editor(chrome, organisation, outline))
            } @else {
                @for module in &outline.modules {
                    section.card {
                        h3 { (module.title) }
                        ol { @for lesson in &module.lessons { li { (lesson.title) } } }
                        @if let Some((_, title, questions)) = &module.quiz { p.muted { (title) " · " (t.ta("course-quiz-questions", &[("count", (*questions as i64).into())])) } }
                    }
                }
            }
            h2 { (t.t("version-history")) }
            ol {
                @for event in events {
                    li { (event.at.format("%Y-%m-%d %H:%M UTC")) " · " (t.t(&format!("version-event-{}", event.action)))
                        @if !event.actor.is_empty() { " · " (event.actor) }
                        @if !event.comment.is_empty() { br; q { (event.comment) } } }
                }
            }
        },
    )
}
