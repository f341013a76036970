//! An association's courses as JSON (`/api/v1/orgs/{slug}/courses…`): authors upload packages
//! and submit drafts, reviewers approve (which publishes) or return them, through the same
//! services as the pages at `/orgs/{slug}/courses`.

use super::entity::{course, course_version};
use super::http::{author_capability, into_app_error, review_capability, view_capability};
use super::service::{Courses, Imported};
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::api::{PageQuery, Problem, media_type, optional_json_body, read_body};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::Notify;
use utoipa::ToSchema;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/orgs/{slug}/courses", web::get().to(api_organisation_courses))
        .route("/api/v1/orgs/{slug}/courses", web::post().to(api_upload))
        .route("/api/v1/orgs/{slug}/courses/{course}/versions/{number}", web::get().to(api_version))
        .route("/api/v1/orgs/{slug}/courses/{course}/versions/{number}/submit", web::post().to(api_submit))
        .route("/api/v1/orgs/{slug}/courses/{course}/versions/{number}/approve", web::post().to(api_approve))
        .route("/api/v1/orgs/{slug}/courses/{course}/versions/{number}/return", web::post().to(api_return));
}

type Answer = Result<HttpResponse, AppError>;

/// The largest package the API reads, as the upload form.
const PACKAGE_LIMIT: usize = 50 * 1024 * 1024;

/// A version of a course, in its review workflow.
#[derive(Serialize, ToSchema)]
pub struct VersionItem {
    pub course: String,
    pub number: i32,
    /// `draft`, `in_review`, `published` or `retired`.
    pub status: String,
    pub title: String,
    pub language: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// Where the version is.
    pub url: String,
}

fn version_item(organisation: &str, course: &course::Model, version: &course_version::Model) -> VersionItem {
    VersionItem {
        url: format!("/api/v1/orgs/{organisation}/courses/{}/versions/{}", course.slug, version.number),
        course: course.slug.clone(),
        number: version.number,
        status: version.status.clone(),
        title: version.title.clone(),
        language: version.language.clone(),
        created_at: version.created_at,
        published_at: version.published_at,
    }
}

/// A course of the association with its versions, newest first.
#[derive(Serialize, ToSchema)]
pub struct OrganisationCourse {
    pub slug: String,
    pub versions: Vec<VersionItem>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationCoursePage {
    pub items: Vec<OrganisationCourse>,
    pub next_cursor: Option<String>,
}

/// The association's courses by slug, each with every version.
///
/// For its authors, reviewers and admins.
#[utoipa::path(
    get, path = "/api/v1/orgs/{slug}/courses", tag = "authoring",
    params(("slug" = String, Path, description = "The association's slug", example = "eanma"), PageQuery),
    responses((status = 200, description = "A page of courses", body = OrganisationCoursePage)),
)]
pub(crate) async fn api_organisation_courses(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    slug: web::Path<String>,
    page: web::Query<PageQuery>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, view_capability).await?;
    let list = courses.organisation_courses(organisation.id).await.map_err(into_app_error)?;
    // Already by slug, which is unique.
    let (list, next_cursor) = page.page(list, |(course, _)| course.slug.clone())?;
    let items = list
        .iter()
        .map(|(course, versions)| OrganisationCourse {
            slug: course.slug.clone(),
            versions: versions.iter().map(|v| version_item(&slug, course, v)).collect(),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-cache"))
        .json(OrganisationCoursePage { items, next_cursor }))
}

/// What became of an uploaded package.
#[derive(Serialize, ToSchema)]
pub struct UploadResult {
    /// `draft` (waiting for review), `published` (where the association publishes without
    /// review) or `unchanged` (the package equals the published version: nothing written).
    pub outcome: String,
    pub version: VersionItem,
}

/// Uploads a course package (a zip of `course.toml` and Markdown lessons).
///
/// A new version of the course it names, or a new course. The package is checked whole
/// before anything is written: a problem is answered 400 naming the file and line, and
/// nothing is kept.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/courses", tag = "authoring",
    params(("slug" = String, Path, description = "The association's slug", example = "eanma")),
    request_body(content = Vec<u8>, content_type = "application/zip",
        description = "The package, at most 50 MB"),
    responses(
        (status = 201, description = "A new version", body = UploadResult),
        (status = 200, description = "The package equals the published version", body = UploadResult),
        (status = 400, description = "The package's problems, one a line, each naming its file and line",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 50 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/zip", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_upload(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, author_capability).await?;
    if media_type(&req) != "application/zip" {
        return Err(AppError::UnsupportedMediaType("send the package as application/zip".into()));
    }
    let bytes = read_body(payload, PACKAGE_LIMIT).await?;
    let (course_slug, imported) =
        courses.upload(&actor, &organisation, &bytes).await.map_err(into_app_error)?;
    let (course, version) = courses
        .version_of(organisation.id, &course_slug, imported.version())
        .await
        .map_err(into_app_error)?;
    let (mut response, outcome) = match imported {
        Imported::Unchanged { .. } => (HttpResponse::Ok(), "unchanged"),
        Imported::Draft { .. } => (HttpResponse::Created(), "draft"),
        Imported::Published { .. } => (HttpResponse::Created(), "published"),
    };
    let version = version_item(&slug, &course, &version);
    Ok(response
        .insert_header(("Location", version.url.clone()))
        .json(UploadResult { outcome: outcome.into(), version }))
}

/// One version of one of the association's courses.
#[utoipa::path(
    get, path = "/api/v1/orgs/{slug}/courses/{course}/versions/{number}", tag = "authoring",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("course" = String, Path, description = "The course's slug", example = "hand-hygiene"),
        ("number" = i32, Path, description = "The version's number", example = 1),
    ),
    responses((status = 200, description = "The version", body = VersionItem)),
)]
pub(crate) async fn api_version(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32)>,
) -> Answer {
    let (slug, course_slug, number) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, view_capability).await?;
    version_answer(&courses, organisation.id, (&slug, &course_slug, number)).await
}

async fn version_answer(
    courses: &Courses,
    organisation_id: i32,
    (slug, course, number): (&str, &str, i32),
) -> Answer {
    let (course, version) =
        courses.version_of(organisation_id, course, number).await.map_err(into_app_error)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-cache"))
        .json(version_item(slug, &course, &version)))
}

/// Submits a draft for review.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/courses/{course}/versions/{number}/submit", tag = "authoring",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("course" = String, Path, description = "The course's slug", example = "hand-hygiene"),
        ("number" = i32, Path, description = "The version's number", example = 2),
    ),
    responses(
        (status = 200, description = "In review", body = VersionItem),
        (status = 409, description = "Not a draft", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_submit(
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32)>,
) -> Answer {
    let (slug, course_slug, number) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, author_capability).await?;
    courses.submit_for_review(&actor, organisation.id, &course_slug, number).await.map_err(into_app_error)?;
    version_answer(&courses, organisation.id, (&slug, &course_slug, number)).await
}

/// A reviewer's comment.
#[derive(Default, Deserialize, ToSchema)]
pub struct ReviewBody {
    /// Shown to the authors in the version's history; needed to return a version.
    #[serde(default)]
    pub comment: String,
}

/// Approves a version in review, which publishes it.
///
/// Nobody approves a version they made or submitted (409). Learners enrolled in an earlier
/// version keep it; those who completed it hear of clinical changes.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/courses/{course}/versions/{number}/approve", tag = "authoring",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("course" = String, Path, description = "The course's slug", example = "hand-hygiene"),
        ("number" = i32, Path, description = "The version's number", example = 2),
    ),
    request_body(content = Option<ReviewBody>, content_type = "application/json"),
    responses(
        (status = 200, description = "Published", body = VersionItem),
        (status = 409, description = "Not in review, or the reviewer's own version", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_approve(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    wake: web::Data<Arc<Notify>>,
    path: web::Path<(String, String, i32)>,
) -> Answer {
    let (slug, course_slug, number) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, review_capability).await?;
    let review: ReviewBody = optional_json_body(&req, &body)?;
    courses
        .approve(&actor, organisation.id, &course_slug, number, &review.comment)
        .await
        .map_err(into_app_error)?;
    // The search index follows the publication now rather than at its next poll.
    wake.notify_one();
    version_answer(&courses, organisation.id, (&slug, &course_slug, number)).await
}

/// Returns a version in review to its authors, with a comment (required).
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/courses/{course}/versions/{number}/return", tag = "authoring",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("course" = String, Path, description = "The course's slug", example = "hand-hygiene"),
        ("number" = i32, Path, description = "The version's number", example = 2),
    ),
    request_body(content = ReviewBody, content_type = "application/json"),
    responses(
        (status = 200, description = "A draft again", body = VersionItem),
        (status = 409, description = "Not in review, or no comment", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_return(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    courses: web::Data<Courses>,
    path: web::Path<(String, String, i32)>,
) -> Answer {
    let (slug, course_slug, number) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, review_capability).await?;
    let review: ReviewBody = optional_json_body(&req, &body)?;
    courses
        .return_for_changes(&actor, organisation.id, &course_slug, number, &review.comment)
        .await
        .map_err(into_app_error)?;
    version_answer(&courses, organisation.id, (&slug, &course_slug, number)).await
}
