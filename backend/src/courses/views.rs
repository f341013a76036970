//! Pages of the courses feature.

use super::entity::lesson;
use super::service::{CatalogueFilter, CourseCard, CourseOutline};
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

pub fn course_page(chrome: &Chrome, outline: &CourseOutline) -> Markup {
    let t = chrome.lang;
    let version = &outline.version;
    let first = outline.modules.iter().flat_map(|m| m.lessons.first()).next();
    page(
        chrome,
        &version.title,
        html! {
            article lang=(version.language) {
                p.muted { a href="/courses" { (t.t("courses-title")) } }
                h1 { (version.title) }
                p.lead { (version.summary) }
                dl.facts.card {
                    dt { (t.t("course-time")) } dd { (t.ta("courses-minutes", &[("minutes", i64::from(version.minutes).into())])) }
                    dt { (t.t("course-credits")) } dd { (t.ta("courses-credits", &[("credits", credits(version.credits_hundredths).into())])) }
                    dt { (t.t("course-by")) } dd { (outline.organisation) }
                    dt { (t.t("course-version")) } dd { (version.number) }
                    dt { (t.t("course-licence")) } dd { (version.licence) }
                }
                @if let Some(first) = first {
                    p { a.button href={"/courses/" (outline.course.slug) "/lessons/" (first.slug)} { (t.t("course-start")) } }
                }
                h2 { (t.t("course-objectives")) }
                ul { @for objective in &outline.objectives { li { (objective) } } }
                h2 { (t.t("course-contents")) }
                @for (index, module) in outline.modules.iter().enumerate() {
                    section.card {
                        h3 { (index + 1) ". " (module.title) }
                        ol {
                            @for lesson in &module.lessons {
                                li { a href={"/courses/" (outline.course.slug) "/lessons/" (lesson.slug)} { (lesson.title) }
                                    " " span.muted { "(" (t.ta("courses-minutes", &[("minutes", i64::from(lesson.minutes).into())])) ")" } }
                            }
                        }
                        @if let Some((_, title, questions)) = &module.quiz {
                            p.muted { (title) " · " (t.ta("course-quiz-questions", &[("count", (*questions as i64).into())])) }
                        }
                    }
                }
            }
        },
    )
}

pub fn lesson_page(chrome: &Chrome, outline: &CourseOutline, lesson: &lesson::Model) -> Markup {
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
                (PreEscaped(lesson.html.as_deref().unwrap_or("")))
            }
            nav.pager aria-label=(t.t("lesson-pager")) {
                @if let Some(previous) = previous { a.button.secondary href={(base) (previous.slug)} rel="prev" { "← " (t.t("lesson-previous")) } }
                @if let Some(next) = next { a.button href={(base) (next.slug)} rel="next" { (t.t("lesson-next")) " →" } }
                @else { a.button href={"/courses/" (outline.course.slug)} { (t.t("lesson-back")) } }
            }
        },
    )
}
