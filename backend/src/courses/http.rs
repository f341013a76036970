//! Courses over HTTP: the catalogue, a course's page, its lessons and media, and the learner's
//! path through it (enrol, read, quiz attempts, My learning).

use super::editor_http as editor;
use super::learning::Progress;
use super::service::{CatalogueFilter, Courses, CoursesError};
use super::views;
use crate::accounts::Visit;
use crate::accounts::model::{Capability, authorize};
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::ui::assets::stylesheet_url;
use crate::platform::ui::respond::{html, see_other};
use actix_multipart::form::{MultipartForm, bytes::Bytes as UploadedBytes};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// The lesson page, the most requested of all, for the front of the route table: actix tries
/// routes in order, one pattern match each, and behind some 200 routes that search was a fifth
/// of a cached lesson page's time. No other route matches its paths, so the order changes nothing
/// else.
pub fn first_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/courses/{slug}/lessons/{lesson}", web::get().to(show_lesson));
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    super::offline::routes(cfg);
    super::api::routes(cfg);
    super::review_api::routes(cfg);
    cfg.route("/courses", web::get().to(list_courses))
        .route("/courses/{slug}", web::get().to(show_course))
        .route("/courses/{slug}/pack.zip", web::get().to(download_pack))
        .route("/courses/{slug}/enrol", web::post().to(enrol_in_course))
        .route("/courses/{slug}/move-to-latest", web::post().to(move_to_latest))
        .route("/courses/{slug}/lessons/{lesson}/complete", web::post().to(complete_lesson))
        .route("/courses/{slug}/quizzes/{quiz}", web::get().to(show_quiz))
        .route("/courses/{slug}/quizzes/{quiz}/attempts", web::post().to(start_attempt))
        .route("/courses/{slug}/attempts/{attempt}", web::get().to(show_attempt))
        .route("/courses/{slug}/attempts/{attempt}", web::post().to(submit_attempt))
        .route("/learning", web::get().to(my_learning))
        .route("/orgs/{slug}/courses", web::get().to(list_organisation_courses))
        .route("/orgs/{slug}/courses", web::post().to(upload_package))
        .route("/orgs/{slug}/courses/{course}/versions/{number}", web::get().to(show_version))
        .route("/orgs/{slug}/courses/{course}/versions/{number}/submit", web::post().to(submit_version))
        .route("/orgs/{slug}/courses/{course}/versions/{number}/approve", web::post().to(approve_version))
        .route("/orgs/{slug}/courses/{course}/versions/{number}/return", web::post().to(return_version))
        .route("/orgs/{slug}/courses/new", web::get().to(editor::new_course_form))
        .route("/orgs/{slug}/courses/new", web::post().to(editor::create_course))
        .route("/orgs/{slug}/courses/{course}/versions/{number}/draft", web::post().to(editor::start_draft))
        .route("/orgs/{slug}/courses/{course}/versions/{number}/details", web::get().to(editor::edit_details))
        .route(
            "/orgs/{slug}/courses/{course}/versions/{number}/details",
            web::post().to(editor::save_details),
        )
        .route(
            "/orgs/{slug}/courses/{course}/versions/{number}/outline",
            web::post().to(editor::edit_outline),
        )
        .route(
            "/orgs/{slug}/courses/{course}/versions/{number}/lessons/{lesson}",
            web::get().to(editor::edit_lesson),
        )
        .route(
            "/orgs/{slug}/courses/{course}/versions/{number}/lessons/{lesson}",
            web::post().to(editor::save_lesson),
        )
        .route(
            "/orgs/{slug}/courses/{course}/versions/{number}/lessons/{lesson}/media",
            web::post().to(editor::add_media),
        )
        .route(
            "/orgs/{slug}/courses/{course}/versions/{number}/modules/{module}/quiz",
            web::get().to(editor::edit_quiz),
        )
        .route(
            "/orgs/{slug}/courses/{course}/versions/{number}/modules/{module}/quiz",
            web::post().to(editor::save_quiz),
        );
}

type Page = Result<HttpResponse, AppError>;

pub(super) fn into_app_error(error: CoursesError) -> AppError {
    match error {
        CoursesError::NotFound => AppError::NotFound,
        CoursesError::Forbidden => AppError::Forbidden,
        CoursesError::Conflict(key) => AppError::Conflict(key),
        CoursesError::Db(error) => error.into(),
        CoursesError::Package(problems) => {
            AppError::BadRequest(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
        }
        CoursesError::Storage(error) => store_unavailable(error),
        CoursesError::Media(crate::media::MediaError::Storage(error)) => store_unavailable(error),
        CoursesError::Media(error) => AppError::internal(error),
        CoursesError::Pack(error) => AppError::internal(error),
    }
}

/// The media store did not answer (down, unreachable, full): nothing was recorded and the person
/// may try again, so 503 rather than 500.
fn store_unavailable(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "the media store did not answer");
    AppError::Unavailable
}

fn account_id(visit: &Visit) -> Option<i32> {
    visit.session.as_ref().map(|s| s.account.id)
}

async fn progress_of(courses: &Courses, visit: &Visit, course_id: i32) -> Result<Option<Progress>, AppError> {
    courses.progress_in(account_id(visit), course_id).await.map_err(into_app_error)
}

#[derive(Deserialize, Default)]
pub struct CatalogueQuery {
    #[serde(default)]
    profession: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    language: String,
}

async fn list_courses(visit: Visit, courses: web::Data<Courses>, query: web::Query<CatalogueQuery>) -> Page {
    let query = query.into_inner();
    let filter =
        CatalogueFilter { profession: query.profession, topic: query.topic, language: query.language };
    let all = courses.catalogue(&CatalogueFilter::default()).await.map_err(into_app_error)?;
    let shown = courses.catalogue(&filter).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::catalogue_page(&visit.chrome(), &all, &shown, &filter)))
}

async fn show_course(visit: Visit, courses: web::Data<Courses>, slug: web::Path<String>) -> Page {
    let outline = courses.outline(&slug, account_id(&visit)).await.map_err(into_app_error)?;
    let progress = progress_of(&courses, &visit, outline.course.id).await?;
    let newer = progress
        .as_ref()
        .is_some_and(|p| Some(p.enrolment.version_id) != outline.course.published_version_id);
    let page =
        views::course_page(&visit.chrome(), &outline, progress.as_ref(), visit.session.is_some(), newer);
    Ok(html(StatusCode::OK, page))
}

/// The course pack of the published version, to save and share (SD card, Bluetooth): public
/// like the course page. The same version always gives the same bytes, so its ETag is theirs.
async fn download_pack(req: HttpRequest, courses: web::Data<Courses>, slug: web::Path<String>) -> Page {
    let pack = courses.pack(&slug).await.map_err(into_app_error)?;
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == pack.etag));
    if matches {
        return Ok(HttpResponse::NotModified().insert_header((header::ETAG, pack.etag)).finish());
    }
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        // Already compressed: the compression middleware leaves it alone.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header((header::ETAG, pack.etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", pack.file_name)))
        .body(pack.bytes))
}

async fn enrol_in_course(visit: Visit, courses: web::Data<Courses>, slug: web::Path<String>) -> Page {
    let session = visit.require()?;
    courses.enrol(session.account.id, &slug).await.map_err(into_app_error)?;
    Ok(see_other(&format!("/courses/{slug}?notice=enrolled")))
}

async fn move_to_latest(visit: Visit, courses: web::Data<Courses>, slug: web::Path<String>) -> Page {
    let session = visit.require()?;
    courses.move_to_published(session.account.id, &slug).await.map_err(into_app_error)?;
    Ok(see_other(&format!("/courses/{slug}?notice=moved")))
}

/// A lesson page. For a visitor who is not signed in it is the same page for everyone reading
/// in their language, served precompressed from memory without touching the database. A
/// learner's page shows their progress: identified by the lesson's content, their progress on it
/// and what the layout shows of them, so a repeat visit gets a 304.
async fn show_lesson(
    req: HttpRequest,
    visit: Visit,
    courses: web::Data<Courses>,
    path: web::Path<(String, String)>,
) -> Page {
    let (course_slug, lesson_slug) = path.into_inner();
    let chrome = visit.chrome();
    let public = visit.session.is_none() && chrome.notice.is_none();
    if public {
        // Everything the page depends on besides the lesson: the reader's language and the
        // stylesheet's address.
        let variant = format!("{}/{}/{}", chrome.lang.code(), stylesheet_url(), chrome.data_saver);
        let page = courses
            .public_lesson_page(&course_slug, &lesson_slug, &variant, |view| {
                views::lesson_page(&chrome, &view.outline, &view.lesson, None).into_string()
            })
            .await
            .map_err(into_app_error)?;
        let mut response = page.respond(&req);
        let vary = response.headers().get(header::VARY).and_then(|v| v.to_str().ok()).unwrap_or("");
        let vary = if vary.is_empty() { "Save-Data".to_owned() } else { format!("{vary}, Save-Data") };
        if let Ok(value) = header::HeaderValue::from_str(&vary) {
            response.headers_mut().insert(header::VARY, value);
        }
        return Ok(response);
    }
    let view =
        courses.lesson_view(&course_slug, &lesson_slug, account_id(&visit)).await.map_err(into_app_error)?;
    let mut hasher = Sha256::new();
    for part in [
        view.lesson.content_hash.as_str(),
        chrome.lang.code(),
        chrome.csrf.as_str(),
        chrome.account.as_ref().map_or("", |a| a.name.as_str()),
        chrome.notice.as_deref().unwrap_or(""),
        stylesheet_url(),
        if chrome.data_saver { "saver" } else { "full" },
        match view.read {
            None => "-",
            Some(false) => "unread",
            Some(true) => "read",
        },
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let etag =
        format!("\"{}\"", hasher.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect::<String>());
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if matches {
        return Ok(HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish());
    }
    let page = views::lesson_page(&chrome, &view.outline, &view.lesson, view.read);
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(page.into_string()))
}

async fn complete_lesson(
    visit: Visit,
    courses: web::Data<Courses>,
    path: web::Path<(String, String)>,
) -> Page {
    let session = visit.require()?;
    let (course_slug, lesson_slug) = path.into_inner();
    courses.complete_lesson(session.account.id, &course_slug, &lesson_slug).await.map_err(into_app_error)?;
    let outline = courses.outline(&course_slug, Some(session.account.id)).await.map_err(into_app_error)?;
    // Next: the following lesson, else the module's quiz, else the course page.
    let mut next = format!("/courses/{course_slug}");
    let mut found = false;
    'modules: for module in &outline.modules {
        for lesson in &module.lessons {
            if found {
                next = format!("/courses/{course_slug}/lessons/{}", lesson.slug);
                break 'modules;
            }
            found = lesson.slug == lesson_slug;
        }
        if found && let Some((quiz, _, _)) = &module.quiz {
            next = format!("/courses/{course_slug}/quizzes/{quiz}");
            break;
        }
    }
    Ok(see_other(&next))
}

async fn show_quiz(visit: Visit, courses: web::Data<Courses>, path: web::Path<(String, i32)>) -> Page {
    let session = visit.require()?;
    let (course_slug, quiz_id) = path.into_inner();
    let (_, quiz, attempts) =
        courses.quiz_for(session.account.id, &course_slug, quiz_id).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::quiz_page(&visit.chrome(), &course_slug, &quiz, &attempts)))
}

async fn start_attempt(visit: Visit, courses: web::Data<Courses>, path: web::Path<(String, i32)>) -> Page {
    let session = visit.require()?;
    let (course_slug, quiz_id) = path.into_inner();
    match courses.start_attempt(session.account.id, &course_slug, quiz_id).await.map_err(into_app_error)? {
        Some(attempt) => Ok(see_other(&format!("/courses/{course_slug}/attempts/{}", attempt.id))),
        None => Err(AppError::Conflict("quiz-no-attempts-left".into())),
    }
}

async fn show_attempt(visit: Visit, courses: web::Data<Courses>, path: web::Path<(String, i32)>) -> Page {
    let session = visit.require()?;
    let (course_slug, attempt_id) = path.into_inner();
    let view = courses.attempt(session.account.id, &course_slug, attempt_id).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::attempt_page(&visit.chrome(), &course_slug, &view)))
}

/// Answers arrive as `q<question id>=<option id>` pairs, repeated for multiple choice.
async fn submit_attempt(
    visit: Visit,
    courses: web::Data<Courses>,
    path: web::Path<(String, i32)>,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let session = visit.require()?;
    let (course_slug, attempt_id) = path.into_inner();
    let mut answers: HashMap<i32, HashSet<i32>> = HashMap::new();
    let mut idempotency_key = None;
    for (key, value) in form.into_inner() {
        if key == "idempotency_key" {
            // Made by the phone's service worker (a UUID); anything else is ignored.
            idempotency_key = super::learning::valid_idempotency_key(&value).then_some(value);
            continue;
        }
        if let (Some(question), Ok(option)) =
            (key.strip_prefix('q').and_then(|q| q.parse::<i32>().ok()), value.parse::<i32>())
        {
            answers.entry(question).or_default().insert(option);
        }
    }
    courses
        .submit_attempt(session.account.id, &course_slug, attempt_id, answers, idempotency_key.as_deref())
        .await
        .map_err(into_app_error)?;
    Ok(see_other(&format!("/courses/{course_slug}/attempts/{attempt_id}")))
}

async fn my_learning(visit: Visit, courses: web::Data<Courses>) -> Page {
    let session = visit.require()?;
    let items = courses.my_learning(session.account.id).await.map_err(into_app_error)?;
    let notices = courses.notices(session.account.id).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::learning_page(&visit.chrome(), &items, &notices)))
}

// ---- authoring and review -------------------------------------------------------------------

pub(super) use crate::accounts::http::organisation_for;

pub(super) fn view_capability(organisation_id: i32) -> Capability {
    Capability::ViewOrganisation { organisation_id }
}

pub(super) fn author_capability(organisation_id: i32) -> Capability {
    Capability::AuthorFor { organisation_id }
}

pub(super) fn review_capability(organisation_id: i32) -> Capability {
    Capability::ReviewFor { organisation_id }
}

async fn courses_page(
    visit: &Visit,
    accounts: &Accounts,
    courses: &Courses,
    slug: &str,
    problems: &[String],
) -> Result<maud::Markup, AppError> {
    let (organisation, actor) = organisation_for(visit, accounts, slug, view_capability).await?;
    let list = courses.organisation_courses(organisation.id).await.map_err(into_app_error)?;
    let can_author = authorize(&actor, Capability::AuthorFor { organisation_id: organisation.id });
    Ok(views::organisation_courses_page(&visit.chrome(), &organisation, &list, can_author, problems))
}

async fn list_organisation_courses(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    slug: web::Path<String>,
) -> Page {
    Ok(html(StatusCode::OK, courses_page(&visit, &accounts, &courses, &slug, &[]).await?))
}

/// A package upload: at most 50 MB in the request (the package limits apply inside).
#[derive(MultipartForm)]
pub struct UploadForm {
    #[multipart(limit = "50MB")]
    package: UploadedBytes,
}

/// Authorises first, then reads the body: nobody else makes the server read 50 MB.
async fn upload_package(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    slug: web::Path<String>,
) -> Page {
    use actix_web::FromRequest;
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, author_capability).await?;
    let form = MultipartForm::<UploadForm>::from_request(&req, &mut payload.into_inner())
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    match courses.upload(&actor, &organisation, &form.package.data).await {
        Ok((_, super::service::Imported::Unchanged { .. })) => {
            Ok(see_other(&format!("/orgs/{slug}/courses?notice=unchanged")))
        }
        Ok((course, stored)) => Ok(see_other(&format!(
            "/orgs/{slug}/courses/{course}/versions/{}?notice=uploaded",
            stored.version()
        ))),
        Err(CoursesError::Package(found)) => {
            let problems: Vec<String> = found.iter().map(ToString::to_string).collect();
            let page = courses_page(&visit, &accounts, &courses, &slug, &problems).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

async fn show_version(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32)>,
) -> Page {
    version_response(&visit, &accounts, &courses, &path, &[]).await
}

/// A version's page: its outline, history and the actions the viewer may take; with problems
/// (422) when an edit of its outline was refused.
pub(super) async fn version_response(
    visit: &Visit,
    accounts: &Accounts,
    courses: &Courses,
    (slug, course_slug, number): &(String, String, i32),
    problems: &[String],
) -> Page {
    let (organisation, actor) = organisation_for(visit, accounts, slug, view_capability).await?;
    let (course, version) =
        courses.version_of(organisation.id, course_slug, *number).await.map_err(into_app_error)?;
    let events = courses.version_history(version.id).await.map_err(into_app_error)?;
    let outline = courses.outline_of_version(course.clone(), version.id).await.map_err(into_app_error)?;
    let rights = views::VersionRights {
        author: authorize(&actor, Capability::AuthorFor { organisation_id: organisation.id }),
        reviewer: authorize(&actor, Capability::ReviewFor { organisation_id: organisation.id }),
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(html(
        status,
        views::version_page(&visit.chrome(), &organisation.slug, &outline, &events, rights, problems),
    ))
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    comment: String,
}

async fn submit_version(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32)>,
) -> Page {
    let (slug, course_slug, number) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, author_capability).await?;
    courses.submit_for_review(&actor, organisation.id, &course_slug, number).await.map_err(into_app_error)?;
    Ok(see_other(&format!("/orgs/{slug}/courses/{course_slug}/versions/{number}?notice=submitted")))
}

async fn approve_version(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    wake: web::Data<std::sync::Arc<tokio::sync::Notify>>,
    path: web::Path<(String, String, i32)>,
    form: web::Form<ReviewForm>,
) -> Page {
    let (slug, course_slug, number) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, review_capability).await?;
    courses
        .approve(&actor, organisation.id, &course_slug, number, &form.comment)
        .await
        .map_err(into_app_error)?;
    wake.notify_one();
    Ok(see_other(&format!("/orgs/{slug}/courses/{course_slug}/versions/{number}?notice=published")))
}

async fn return_version(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32)>,
    form: web::Form<ReviewForm>,
) -> Page {
    let (slug, course_slug, number) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, review_capability).await?;
    courses
        .return_for_changes(&actor, organisation.id, &course_slug, number, &form.comment)
        .await
        .map_err(into_app_error)?;
    Ok(see_other(&format!("/orgs/{slug}/courses/{course_slug}/versions/{number}?notice=returned")))
}
