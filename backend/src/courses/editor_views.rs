//! Pages of the course editor: a course's details (also the form that creates a course), a
//! lesson with its rendered preview, a quiz with its preview, and the outline controls a
//! draft's page shows its authors. Plain forms: nothing here needs a script.

use super::editing::{Details, LessonFields};
use super::package::{Problem, QuizSpec};
use super::service::CourseOutline;
use crate::accounts::model::PROFESSIONS;
use crate::platform::ui::components::{Field, FormErrors, csrf_field, problem_list, select_field};
use crate::platform::ui::{Chrome, Lang, page};
use maud::{Markup, PreEscaped, html};

/// Fields of the editor's forms, as the package checker names them in its messages.
const FIELDS: [&str; 14] = [
    "slug",
    "title",
    "summary",
    "language",
    "professions",
    "topics",
    "minutes",
    "licence",
    "credits",
    "objectives",
    "address",
    "clinical_change",
    "competencies",
    "modules.title",
];

/// "lessons/a.md, line 3: raw HTML is not allowed", in the reader's language.
fn describe(t: Lang, problem: &Problem) -> String {
    if problem.line == 0 {
        format!("{}: {}", problem.file, problem.message)
    } else {
        let args = [
            ("file", problem.file.as_str().into()),
            ("line", (problem.line as i64).into()),
            ("message", problem.message.as_str().into()),
        ];
        t.ta("editor-problem-at", &args)
    }
}

/// Splits problems into those of a form field ("minutes: must be…") and the rest, each once.
fn sort_problems(t: Lang, problems: &[Problem]) -> (FormErrors, Vec<String>) {
    let mut errors = FormErrors::new();
    let mut rest: Vec<String> = Vec::new();
    for problem in problems {
        let field = problem
            .message
            .split_once(':')
            .and_then(|(name, _)| FIELDS.iter().find(|f| **f == name.trim()))
            .filter(|f| **f != "modules.title");
        match field {
            Some(field) => errors.add(field, problem.message.clone()),
            None => {
                let text = describe(t, problem);
                if !rest.contains(&text) {
                    rest.push(text);
                }
            }
        }
    }
    (errors, rest)
}

fn textarea(
    name: &'static str,
    label: &str,
    value: &str,
    rows: u8,
    hint: Option<&str>,
    errors: &FormErrors,
) -> Markup {
    let id = format!("f-{name}");
    let error = errors.get(name);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            @if let Some(hint) = hint { p.hint { (hint) } }
            @if let Some(error) = error { p.error { (error) } }
            textarea id=(id) name=(name) rows=(rows) aria-invalid=[error.map(|_| "true")] { (value) }
        }
    }
}

/// Where the details form goes: a new course of an association, or a draft's details.
pub enum DetailsTarget<'a> {
    New { slug: &'a str },
    Draft { outline: &'a CourseOutline },
}

pub fn details_page(
    chrome: &Chrome,
    organisation: &str,
    target: &DetailsTarget,
    details: &Details,
    problems: &[Problem],
) -> Markup {
    let t = chrome.lang;
    let (errors, rest) = sort_problems(t, problems);
    let (heading, action, back, base) = match target {
        DetailsTarget::New { .. } => (
            t.t("course-new-title"),
            format!("/orgs/{organisation}/courses/new"),
            format!("/orgs/{organisation}/courses"),
            String::new(),
        ),
        DetailsTarget::Draft { outline } => {
            let url = version_url(organisation, outline);
            (t.t("course-details-title"), format!("{url}/details"), url, outline.version.content_hash.clone())
        }
    };
    let languages: Vec<(String, String)> = ["en", "fr", "es", "pt", "sw"]
        .iter()
        .map(|c| ((*c).to_owned(), t.t(&format!("language-{c}"))))
        .collect();
    let professions_error = errors.get("professions");
    page(
        chrome,
        &heading,
        html! {
            p.muted { a href=(back) { "← " (t.t("editor-back")) } }
            h1 { (heading) }
            (problem_list(t, &rest))
            form.card method="post" action=(action) {
                (csrf_field(&chrome.csrf))
                input type="hidden" name="base" value=(base);
                @if let DetailsTarget::New { slug } = target {
                    (Field::text("slug", &t.t("field-course-slug"), slug).required().hint(&t.t("field-course-slug-hint")).render(&errors))
                }
                (Field::text("title", &t.t("field-course-title"), &details.title).required().render(&errors))
                (textarea("summary", &t.t("field-summary"), &details.summary, 3, None, &errors))
                (select_field("language", &t.t("field-course-language"), &languages, &details.language, &errors))
                fieldset.field.invalid[professions_error.is_some()] {
                    legend { (t.t("field-professions")) }
                    @if let Some(error) = professions_error { p.error { (error) } }
                    @for profession in PROFESSIONS {
                        label.choice { input type="checkbox" name="professions" value=(profession) checked[details.professions.iter().any(|p| p == profession)]; (t.t(&format!("profession-{profession}"))) }
                    }
                }
                (Field::text("topics", &t.t("field-topics"), &details.topics).hint(&t.t("field-topics-hint")).render(&errors))
                (Field::text("minutes", &t.t("field-minutes"), &details.minutes).kind("number").render(&errors))
                (Field::text("credits", &t.t("field-credits"), &details.credits).hint(&t.t("field-credits-hint")).render(&errors))
                (Field::text("licence", &t.t("field-licence"), &details.licence).render(&errors))
                (textarea("objectives", &t.t("field-objectives"), &details.objectives, 4, Some(&t.t("field-objectives-hint")), &errors))
                div.actions { button type="submit" { (t.t("editor-save")) } a href=(back) { (t.t("editor-cancel")) } }
            }
        },
    )
}

fn version_url(organisation: &str, outline: &CourseOutline) -> String {
    format!("/orgs/{organisation}/courses/{}/versions/{}", outline.course.slug, outline.version.number)
}

/// What the lesson editor shows besides the form.
pub struct LessonEditor<'a> {
    pub outline: &'a CourseOutline,
    /// The lesson's slug before this edit (the form's address).
    pub slug: &'a str,
    pub fields: &'a LessonFields,
    pub problems: &'a [Problem],
    /// Line of the lesson file where the Markdown starts, to report problems by text-box line.
    pub body_line: usize,
    /// Sanitised HTML of the lesson as learners will see it.
    pub preview: Option<String>,
    pub media: Vec<&'a str>,
}

pub fn lesson_editor_page(chrome: &Chrome, organisation: &str, editor: &LessonEditor) -> Markup {
    let t = chrome.lang;
    let url = version_url(organisation, editor.outline);
    // Problems in the lesson's text are told by their line in the text box.
    let shifted: Vec<Problem> = editor
        .problems
        .iter()
        .map(|p| {
            if p.file != "course.toml" && p.line >= editor.body_line {
                Problem {
                    file: t.t("field-markdown"),
                    line: p.line + 1 - editor.body_line,
                    message: p.message.clone(),
                }
            } else {
                p.clone()
            }
        })
        .collect();
    let (errors, rest) = sort_problems(t, &shifted);
    let fields = editor.fields;
    let media_hint = if editor.media.is_empty() {
        t.t("field-markdown-hint")
    } else {
        format!(
            "{} {}",
            t.t("field-markdown-hint"),
            t.ta("field-markdown-media", &[("paths", editor.media.join(", ").into())])
        )
    };
    page(
        chrome,
        &t.t("lesson-edit-title"),
        html! {
            p.muted { a href=(url) { "← " (editor.outline.version.title) } }
            h1 { (t.t("lesson-edit-title")) }
            (problem_list(t, &rest))
            form.card method="post" action={(url) "/lessons/" (editor.slug)} {
                (csrf_field(&chrome.csrf))
                input type="hidden" name="base" value=(editor.outline.version.content_hash);
                (Field::text("title", &t.t("field-lesson-title"), &fields.title).required().render(&errors))
                (Field::text("address", &t.t("field-lesson-address"), &fields.slug).hint(&t.t("field-lesson-address-hint")).render(&errors))
                (Field::text("minutes", &t.t("field-minutes"), &fields.minutes).kind("number").render(&errors))
                (textarea("markdown", &t.t("field-markdown"), &fields.markdown, 16, Some(&media_hint), &errors))
                (Field::text("clinical_change", &t.t("field-clinical-change"), &fields.clinical_change).hint(&t.t("field-clinical-change-hint")).render(&errors))
                (Field::text("competencies", &t.t("field-competencies"), &fields.competencies).hint(&t.t("field-competencies-hint")).render(&errors))
                div.actions {
                    button.secondary type="submit" name="action" value="preview" { (t.t("editor-preview")) }
                    button type="submit" name="action" value="save" { (t.t("editor-save")) }
                }
            }
            form.card method="post" enctype="multipart/form-data" action={(url) "/lessons/" (editor.slug) "/media?csrf_token=" (chrome.csrf)} {
                h2 { (t.t("media-add-title")) }
                p.hint { (t.t("media-add-hint")) }
                input type="hidden" name="base" value=(editor.outline.version.content_hash);
                div.field {
                    label for="f-file" { (t.t("media-file")) }
                    input #f-file type="file" name="file" accept="image/jpeg,image/png,image/webp,audio/mpeg,audio/ogg,audio/mp4,video/mp4,video/webm,application/pdf" required;
                }
                (Field::text("caption", &t.t("media-caption"), "").hint(&t.t("media-caption-hint")).required().render(&errors))
                div.actions { button type="submit" { (t.t("media-add")) } }
            }
            @if let Some(preview) = &editor.preview {
                section.card.preview aria-label=(t.t("editor-preview")) {
                    p.muted { (t.t("editor-preview-note")) }
                    article.lesson lang=(editor.outline.version.language) {
                        h1 { (fields.title) }
                        // Rendered from Markdown and sanitised by ammonia, as at publication.
                        (PreEscaped(preview))
                    }
                }
            }
        },
    )
}

pub fn quiz_editor_page(
    chrome: &Chrome,
    organisation: &str,
    outline: &CourseOutline,
    module: usize,
    text: &str,
    problems: &[Problem],
    preview: Option<&QuizSpec>,
) -> Markup {
    let t = chrome.lang;
    let url = version_url(organisation, outline);
    // The quiz has one field, its text: every problem is listed with its line.
    let mut rest: Vec<String> = Vec::new();
    for text in problems.iter().map(|p| describe(t, p)) {
        if !rest.contains(&text) {
            rest.push(text);
        }
    }
    let errors = FormErrors::new();
    page(
        chrome,
        &t.t("quiz-edit-title"),
        html! {
            p.muted { a href=(url) { "← " (outline.version.title) } }
            h1 { (t.t("quiz-edit-title")) }
            @if let Some(module) = outline.modules.get(module) { p { (module.title) } }
            (problem_list(t, &rest))
            form.card method="post" action={(url) "/modules/" (module) "/quiz"} {
                (csrf_field(&chrome.csrf))
                input type="hidden" name="base" value=(outline.version.content_hash);
                (textarea("text", &t.t("field-quiz-text"), text, 20, Some(&t.t("field-quiz-text-hint")), &errors))
                div.actions {
                    button.secondary type="submit" name="action" value="preview" { (t.t("editor-preview")) }
                    button type="submit" name="action" value="save" { (t.t("editor-save")) }
                }
            }
            @if let Some(quiz) = preview {
                section.card.preview aria-label=(t.t("editor-preview")) {
                    h2 { (quiz.title) }
                    p.muted { (t.ta("quiz-edit-summary", &[("pass", i64::from(quiz.pass_mark).into()), ("attempts", i64::from(quiz.max_attempts).into())])) }
                    ol {
                        @for question in &quiz.questions {
                            li {
                                p { (question.prompt) }
                                ul {
                                    @for option in &question.options {
                                        li { @if option.correct { strong { "✓ " (option.text) } } @else { (option.text) }
                                            @if !option.feedback.is_empty() { br; small.muted { (option.feedback) } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The controls a draft's page shows its authors: details, the order of modules and lessons,
/// lessons and quizzes to edit, modules and lessons to add or remove.
pub fn outline_editor(chrome: &Chrome, organisation: &str, outline: &CourseOutline) -> Markup {
    let t = chrome.lang;
    let url = version_url(organisation, outline);
    let action = format!("{url}/outline");
    let base = outline.version.content_hash.as_str();
    let hidden = |name: &'static str, value: String| {
        html! {
            (csrf_field(&chrome.csrf))
            input type="hidden" name="base" value=(base);
            input type="hidden" name=(name) value=(value);
        }
    };
    html! {
        p { a.button.secondary href={(url) "/details"} { (t.t("course-details-title")) } }
        @for (index, module) in outline.modules.iter().enumerate() {
            section.card.editor {
                form method="post" action=(action) {
                    (hidden("module", index.to_string()))
                    div.field {
                        label for={"f-module-" (index)} { (t.ta("editor-module", &[("number", (index as i64 + 1).into())])) }
                        input id={"f-module-" (index)} name="title" value=(module.title) required;
                    }
                    div.row-actions {
                        button.small.secondary type="submit" name="op" value="rename-module" { (t.t("editor-rename")) }
                        button.small.secondary type="submit" name="op" value="module-up" aria-label=(t.t("editor-up")) disabled[index == 0] { "↑" }
                        button.small.secondary type="submit" name="op" value="module-down" aria-label=(t.t("editor-down")) disabled[index + 1 == outline.modules.len()] { "↓" }
                        button.small.danger type="submit" name="op" value="remove-module" { (t.t("editor-remove")) }
                    }
                }
                ol.edit-list {
                    @for lesson in &module.lessons {
                        li {
                            a href={(url) "/lessons/" (lesson.slug)} { (lesson.title) }
                            form.row-actions method="post" action=(action) {
                                (hidden("lesson", lesson.slug.clone()))
                                button.small.secondary type="submit" name="op" value="lesson-up" aria-label={(t.t("editor-up")) ": " (lesson.title)} { "↑" }
                                button.small.secondary type="submit" name="op" value="lesson-down" aria-label={(t.t("editor-down")) ": " (lesson.title)} { "↓" }
                                button.small.danger type="submit" name="op" value="remove-lesson" aria-label={(t.t("editor-remove")) ": " (lesson.title)} { "✕" }
                            }
                        }
                    }
                }
                form method="post" action=(action) {
                    (hidden("module", index.to_string()))
                    div.field {
                        label for={"f-new-lesson-" (index)} { (t.t("editor-new-lesson")) }
                        input id={"f-new-lesson-" (index)} name="title" required;
                    }
                    button.small.secondary type="submit" name="op" value="add-lesson" { (t.t("editor-add-lesson")) }
                }
                p {
                    @if let Some((_, title, _)) = &module.quiz {
                        a href={(url) "/modules/" (index) "/quiz"} { (t.t("editor-edit-quiz")) ": " (title) }
                        form.inline method="post" action=(action) {
                            (hidden("module", index.to_string()))
                            button.link type="submit" name="op" value="remove-quiz" { (t.t("editor-remove-quiz")) }
                        }
                    } @else {
                        a href={(url) "/modules/" (index) "/quiz"} { (t.t("editor-add-quiz")) }
                    }
                }
            }
        }
        form.card method="post" action=(action) {
            (hidden("op", "add-module".into()))
            div.field {
                label for="f-new-module" { (t.t("editor-new-module")) }
                p.hint { (t.t("editor-new-module-hint")) }
                input #f-new-module name="title" required;
            }
            button.secondary type="submit" { (t.t("editor-add-module")) }
        }
    }
}
