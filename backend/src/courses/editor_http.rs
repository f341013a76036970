//! The course editor over HTTP: create a course, start a draft from a version, and edit a
//! draft's details, outline, lessons and quizzes. Every form carries the fingerprint of the
//! draft it was opened on (`base`); a save on a draft that changed meanwhile is a 409.

use super::editing::{self, Details, Edit, LessonFields};
use super::editor_views::{self as views, DetailsTarget, LessonEditor};
use super::http::{author_capability, into_app_error, organisation_for};
use super::package::Problem;
use super::render::{Images, render_lesson};
use super::service::{Courses, CoursesError};
use crate::accounts::Visit;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::ui::components::FormFields;
use crate::platform::ui::respond::{html, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};

type Page = Result<actix_web::HttpResponse, AppError>;

/// A course's details as the details form posts them.
fn details_of(fields: &FormFields) -> Details {
    Details {
        title: fields.get("title").to_owned(),
        summary: fields.get("summary").to_owned(),
        language: fields.get("language").to_owned(),
        professions: fields.all("professions"),
        topics: fields.get("topics").to_owned(),
        minutes: fields.get("minutes").to_owned(),
        licence: fields.get("licence").to_owned(),
        credits: fields.get("credits").to_owned(),
        objectives: fields.get("objectives").to_owned(),
    }
}

/// The module an outline form names.
fn module_of(fields: &FormFields) -> Result<usize, AppError> {
    fields.get("module").parse().map_err(|_| AppError::BadRequest("module: not a module number".into()))
}

type VersionPath = web::Path<(String, String, i32)>;

/// The organisation, the author and their draft.
async fn open_draft(
    visit: &Visit,
    accounts: &Accounts,
    courses: &Courses,
    (slug, course_slug, number): &(String, String, i32),
) -> Result<(String, editing::Draft), AppError> {
    let (organisation, actor) = organisation_for(visit, accounts, slug, author_capability).await?;
    let draft = courses.draft(&actor, organisation.id, course_slug, *number).await.map_err(into_app_error)?;
    Ok((organisation.slug, draft))
}

fn draft_url(organisation: &str, draft: &editing::Draft) -> String {
    format!("/orgs/{organisation}/courses/{}/versions/{}", draft.course.slug, draft.version.number)
}

async fn outline_of(
    courses: &Courses,
    draft: &editing::Draft,
) -> Result<super::service::CourseOutline, AppError> {
    courses.outline_of_version(draft.course.clone(), draft.version.id).await.map_err(into_app_error)
}

pub async fn new_course_form(visit: Visit, accounts: web::Data<Accounts>, slug: web::Path<String>) -> Page {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, author_capability).await?;
    let details = Details {
        language: visit.chrome().lang.code().to_owned(),
        minutes: "30".into(),
        credits: "1".into(),
        licence: "CC-BY-SA-4.0".into(),
        ..Details::default()
    };
    let page = views::details_page(
        &visit.chrome(),
        &organisation.slug,
        &DetailsTarget::New { slug: "" },
        &details,
        &[],
    );
    Ok(html(StatusCode::OK, page))
}

pub async fn create_course(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    slug: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, author_capability).await?;
    let fields = FormFields(form.into_inner());
    let details = details_of(&fields);
    let course_slug = fields.get("slug").trim().to_owned();
    match courses.create_course(&actor, &organisation, &course_slug, &details).await {
        Ok(number) => Ok(see_other(&format!(
            "/orgs/{}/courses/{course_slug}/versions/{number}?notice=created",
            organisation.slug
        ))),
        Err(super::service::CoursesError::Package(problems)) => {
            let target = DetailsTarget::New { slug: &course_slug };
            let page = views::details_page(&visit.chrome(), &organisation.slug, &target, &details, &problems);
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

pub async fn start_draft(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: VersionPath,
) -> Page {
    let (slug, course_slug, number) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, author_capability).await?;
    let draft =
        courses.start_draft(&actor, organisation.id, &course_slug, number).await.map_err(into_app_error)?;
    Ok(see_other(&format!("/orgs/{slug}/courses/{course_slug}/versions/{draft}?notice=drafted")))
}

pub async fn edit_details(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: VersionPath,
) -> Page {
    let (organisation, draft) = open_draft(&visit, &accounts, &courses, &path).await?;
    let outline = outline_of(&courses, &draft).await?;
    let details = Details::of(&draft.package);
    let page = views::details_page(
        &visit.chrome(),
        &organisation,
        &DetailsTarget::Draft { outline: &outline },
        &details,
        &[],
    );
    Ok(html(StatusCode::OK, page))
}

pub async fn save_details(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: VersionPath,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let (organisation, draft) = open_draft(&visit, &accounts, &courses, &path).await?;
    let fields = FormFields(form.into_inner());
    let details = details_of(&fields);
    match courses.edit_draft(&draft, fields.get("base"), Edit::Details(details.clone())).await {
        Ok(()) => Ok(see_other(&format!("{}?notice=saved", draft_url(&organisation, &draft)))),
        Err(CoursesError::Package(problems)) => {
            let outline = outline_of(&courses, &draft).await?;
            let target = DetailsTarget::Draft { outline: &outline };
            let page = views::details_page(&visit.chrome(), &organisation, &target, &details, &problems);
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

/// Changes to the outline: add, rename, move or remove modules and lessons, remove a quiz.
pub async fn edit_outline(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: VersionPath,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let (organisation, draft) = open_draft(&visit, &accounts, &courses, &path).await?;
    let fields = FormFields(form.into_inner());
    let title = fields.get("title").to_owned();
    let lesson = fields.get("lesson").to_owned();
    let edit = match fields.get("op") {
        "add-module" => Edit::AddModule { title },
        "add-lesson" => Edit::AddLesson { module: module_of(&fields)?, title },
        "rename-module" => Edit::RenameModule { module: module_of(&fields)?, title },
        "module-up" => Edit::MoveModule { module: module_of(&fields)?, up: true },
        "module-down" => Edit::MoveModule { module: module_of(&fields)?, up: false },
        "remove-module" => Edit::RemoveModule { module: module_of(&fields)? },
        "lesson-up" => Edit::MoveLesson { slug: lesson, up: true },
        "lesson-down" => Edit::MoveLesson { slug: lesson, up: false },
        "remove-lesson" => Edit::RemoveLesson { slug: lesson },
        "remove-quiz" => Edit::RemoveQuiz { module: module_of(&fields)? },
        other => return Err(AppError::BadRequest(format!("op: \"{other}\" is not an outline change"))),
    };
    let url = draft_url(&organisation, &draft);
    match courses.edit_draft(&draft, fields.get("base"), edit).await {
        Ok(()) => Ok(see_other(&format!("{url}?notice=saved"))),
        Err(CoursesError::Package(problems)) => {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            super::http::version_response(&visit, &accounts, &courses, &path, &problems).await
        }
        Err(error) => Err(into_app_error(error)),
    }
}

fn lesson_page(
    visit: &Visit,
    organisation: &str,
    outline: &super::service::CourseOutline,
    draft: &editing::Draft,
    slug: &str,
    fields: &LessonFields,
    (problems, body_line, preview): (&[Problem], usize, Option<String>),
) -> maud::Markup {
    let editor = LessonEditor {
        outline,
        slug,
        fields,
        problems,
        body_line,
        preview,
        media: draft.package.media.keys().map(String::as_str).collect(),
    };
    views::lesson_editor_page(&visit.chrome(), organisation, &editor)
}

pub async fn edit_lesson(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32, String)>,
) -> Page {
    let (slug, course_slug, number, lesson_slug) = path.into_inner();
    let (organisation, draft) = open_draft(&visit, &accounts, &courses, &(slug, course_slug, number)).await?;
    let lesson = draft
        .package
        .modules
        .iter()
        .flat_map(|m| &m.lessons)
        .find(|l| l.slug == lesson_slug)
        .ok_or(AppError::NotFound)?;
    let fields = LessonFields::of(lesson);
    let outline = outline_of(&courses, &draft).await?;
    let page = lesson_page(&visit, &organisation, &outline, &draft, &lesson_slug, &fields, (&[], 0, None));
    Ok(html(StatusCode::OK, page))
}

/// Saves a lesson, or with `action=preview` shows it rendered as learners will see it, unsaved.
pub async fn save_lesson(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let (slug, course_slug, number, lesson_slug) = path.into_inner();
    let (organisation, draft) = open_draft(&visit, &accounts, &courses, &(slug, course_slug, number)).await?;
    if !draft.package.modules.iter().flat_map(|m| &m.lessons).any(|l| l.slug == lesson_slug) {
        return Err(AppError::NotFound);
    }
    let form = FormFields(form.into_inner());
    let fields = LessonFields {
        title: form.get("title").to_owned(),
        slug: form.get("address").to_owned(),
        minutes: form.get("minutes").to_owned(),
        clinical_change: form.get("clinical_change").to_owned(),
        competencies: form.get("competencies").to_owned(),
        markdown: form.get("markdown").to_owned(),
    };
    let edit = Edit::Lesson { slug: lesson_slug.clone(), fields: fields.clone() };
    let edited = editing::check(draft.package.clone(), edit.clone());
    let preview = form.get("action") == "preview";
    let (problems, rendered) = match (&edited, preview) {
        (Ok(package), false) => {
            courses.save_draft(&draft, form.get("base"), package).await.map_err(into_app_error)?;
            let url = draft_url(&organisation, &draft);
            return Ok(see_other(&format!("{url}/lessons/{}?notice=saved", fields.slug.trim())));
        }
        (Ok(package), true) => {
            let lesson =
                package.modules.iter().flat_map(|m| &m.lessons).find(|l| l.slug == fields.slug.trim());
            let html =
                lesson.map(|l| render_lesson(&l.markdown, &package.language, &draft.media, Images::Shown));
            (Vec::new(), html)
        }
        (Err(problems), _) => (problems.clone(), None),
    };
    let (status, body_line) = if problems.is_empty() {
        (StatusCode::OK, 0)
    } else {
        // Only a refused edit needs to know where the text box starts in the lesson's file.
        let line = editing::lesson_body_line(&draft.package, &edit).unwrap_or(usize::MAX);
        (StatusCode::UNPROCESSABLE_ENTITY, line)
    };
    let outline = outline_of(&courses, &draft).await?;
    let page = lesson_page(
        &visit,
        &organisation,
        &outline,
        &draft,
        &lesson_slug,
        &fields,
        (&problems, body_line, rendered),
    );
    Ok(html(status, page))
}

/// Adds a media file (image, audio, video or PDF) at the end of a lesson, with its caption. The
/// file is checked like a package's (type by content, size per kind, alt text); a refusal is
/// shown on the lesson's page, naming the file, and nothing is saved.
pub async fn add_media(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    media: web::Data<crate::media::Media>,
    path: web::Path<(String, String, i32, String)>,
) -> Page {
    let (slug, course_slug, number, lesson_slug) = path.into_inner();
    let (organisation, draft) = open_draft(&visit, &accounts, &courses, &(slug, course_slug, number)).await?;
    let Some(lesson) = draft.package.modules.iter().flat_map(|m| &m.lessons).find(|l| l.slug == lesson_slug)
    else {
        return Err(AppError::NotFound);
    };
    let limit = usize::try_from(media.largest_limit()).unwrap_or(usize::MAX);
    let crate::platform::ui::upload::FormWithFile { fields: form, file } =
        crate::platform::ui::upload::FormWithFile::read(&req, payload, "file", limit).await?;
    let caption = form.get("caption").trim().to_owned();
    let t = visit.chrome().lang;
    let mut problems = Vec::new();
    match &file {
        None => problems.push(Problem { file: "file".into(), line: 0, message: t.t("media-file-missing") }),
        Some(file) if file.too_large(limit) => problems.push(Problem {
            file: file.name.clone(),
            line: 0,
            message: t.ta("media-file-too-large", &[("megabytes", (limit / 1_048_576).to_string().into())]),
        }),
        Some(_) => {}
    }
    if caption.is_empty() {
        problems.push(Problem { file: "caption".into(), line: 0, message: t.t("media-caption-missing") });
    }
    if problems.is_empty()
        && let Some(file) = file
    {
        let edit =
            Edit::AddMedia { slug: lesson_slug.clone(), file_name: file.name, bytes: file.bytes, caption };
        match editing::check(draft.package.clone(), edit) {
            Ok(package) => match courses.save_draft(&draft, form.get("base"), &package).await {
                Ok(_) => {
                    let url = draft_url(&organisation, &draft);
                    return Ok(see_other(&format!("{url}/lessons/{lesson_slug}?notice=media-added")));
                }
                Err(CoursesError::Package(refused)) => problems = refused,
                Err(error) => return Err(into_app_error(error)),
            },
            Err(refused) => problems = refused,
        }
    }
    let fields = LessonFields::of(lesson);
    let outline = outline_of(&courses, &draft).await?;
    // The problems name the file or the field, never a line of the lesson's text.
    let page = lesson_page(
        &visit,
        &organisation,
        &outline,
        &draft,
        &lesson_slug,
        &fields,
        (&problems, usize::MAX, None),
    );
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
}

/// A new quiz starts from this text, in the course's language for true/false words.
fn quiz_template(language: &str) -> String {
    let (yes, no) = super::package::true_false_words(language);
    format!(
        "title = \"Check your understanding\"\npass_mark = 80\nmax_attempts = 0\n\n[[questions]]\nkind = \"true_false\"\nprompt = \"Write a statement that is true or false\"\n\n[[questions.options]]\ntext = \"{yes}\"\ncorrect = true\nfeedback = \"Why this is right.\"\n\n[[questions.options]]\ntext = \"{no}\"\ncorrect = false\nfeedback = \"Why this answer is wrong.\"\n"
    )
}

pub async fn edit_quiz(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32, usize)>,
) -> Page {
    let (slug, course_slug, number, module) = path.into_inner();
    let (organisation, draft) = open_draft(&visit, &accounts, &courses, &(slug, course_slug, number)).await?;
    if module >= draft.package.modules.len() {
        return Err(AppError::NotFound);
    }
    let text =
        editing::quiz_text(&draft.package, module).unwrap_or_else(|| quiz_template(&draft.package.language));
    let outline = outline_of(&courses, &draft).await?;
    Ok(html(
        StatusCode::OK,
        views::quiz_editor_page(&visit.chrome(), &organisation, &outline, module, &text, &[], None),
    ))
}

/// Saves a module's quiz, or with `action=preview` shows it as checked, unsaved.
pub async fn save_quiz(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32, usize)>,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let (slug, course_slug, number, module) = path.into_inner();
    let (organisation, draft) = open_draft(&visit, &accounts, &courses, &(slug, course_slug, number)).await?;
    if module >= draft.package.modules.len() {
        return Err(AppError::NotFound);
    }
    let form = FormFields(form.into_inner());
    let text = form.get("text").to_owned();
    let edited = editing::check(draft.package.clone(), Edit::Quiz { module, text: text.clone() });
    let outline = outline_of(&courses, &draft).await?;
    match (edited, form.get("action") == "preview") {
        (Ok(package), false) => {
            courses.save_draft(&draft, form.get("base"), &package).await.map_err(into_app_error)?;
            Ok(see_other(&format!("{}?notice=saved", draft_url(&organisation, &draft))))
        }
        (Ok(package), true) => {
            let quiz = package.modules.get(module).and_then(|m| m.quiz.as_ref());
            let page =
                views::quiz_editor_page(&visit.chrome(), &organisation, &outline, module, &text, &[], quiz);
            Ok(html(StatusCode::OK, page))
        }
        (Err(problems), _) => {
            let page = views::quiz_editor_page(
                &visit.chrome(),
                &organisation,
                &outline,
                module,
                &text,
                &problems,
                None,
            );
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}
