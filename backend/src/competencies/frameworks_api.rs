//! An association's competency frameworks as JSON (`/api/v1/orgs/{slug}/frameworks…`): its
//! authors import a framework (CSV or JSON, checked whole) as a draft, its reviewers publish the
//! draft; through the same services as the pages at `/orgs/{slug}/frameworks`.

use super::http::{author, into_app_error, reviewer, save_text};
use super::service::{Competencies, CompetenciesError};
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::api::{Problem, media_type, read_body};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/orgs/{slug}/frameworks", web::post().to(api_import_framework))
        .route("/api/v1/orgs/{slug}/frameworks/{framework}/publish", web::post().to(api_publish_framework));
}

/// The largest framework the API reads.
const FRAMEWORK_LIMIT: usize = 2 * 1024 * 1024;

/// A framework and the state of its newest version.
#[derive(Serialize, ToSchema)]
pub struct FrameworkState {
    pub framework: String,
    /// `draft` after an import, `published` after publishing.
    pub status: String,
    /// Where the framework is read.
    pub url: String,
}

/// Imports a framework as a draft of the association's: new, or the next version of one.
///
/// CSV (`text/csv`, the first line `kind,…`) or JSON (`application/json`), as the frameworks page
/// reads them. Checked whole: problems are answered 400, one a line, each with its line; nothing
/// is kept.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/frameworks", tag = "competencies",
    params(("slug" = String, Path, description = "The association's slug", example = "eanma")),
    request_body(content = String, content_type = "text/csv", description = "The framework, at most 2 MB"),
    responses(
        (status = 201, description = "Saved as a draft", body = FrameworkState),
        (status = 400, description = "The framework's problems, one a line", body = Problem,
            content_type = "application/problem+json"),
        (status = 413, description = "Larger than 2 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither text/csv nor application/json", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_import_framework(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    accounts: web::Data<Accounts>,
    competencies: web::Data<Competencies>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, author).await?;
    if !matches!(media_type(&req).as_str(), "text/csv" | "application/json") {
        return Err(AppError::UnsupportedMediaType(
            "send the framework as text/csv or application/json".into(),
        ));
    }
    let bytes = read_body(payload, FRAMEWORK_LIMIT).await?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| AppError::BadRequest("body: not UTF-8 text".into()))?;
    match save_text(&competencies, &organisation, actor.account_id, text, None).await? {
        Ok(framework) => Ok(HttpResponse::Created().json(FrameworkState {
            url: format!("/api/v1/frameworks/{framework}"),
            framework,
            status: "draft".into(),
        })),
        Err(problems) => {
            Err(AppError::BadRequest(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")))
        }
    }
}

/// Publishes the draft of one of the association's frameworks.
///
/// Learners' profiles and gaps read the published version from then on.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/frameworks/{framework}/publish", tag = "competencies",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("framework" = String, Path, description = "The framework's slug"),
    ),
    responses(
        (status = 200, description = "Published", body = FrameworkState),
        (status = 409, description = "No draft to publish", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_publish_framework(
    visit: Visit,
    accounts: web::Data<Accounts>,
    competencies: web::Data<Competencies>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, framework) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, reviewer).await?;
    if competencies.organisation_of(&framework).await.map_err(into_app_error)? != organisation.id {
        return Err(AppError::NotFound);
    }
    match competencies.publish_draft(&framework).await {
        Ok(_) => Ok(HttpResponse::Ok().json(FrameworkState {
            url: format!("/api/v1/frameworks/{framework}"),
            framework,
            status: "published".into(),
        })),
        Err(CompetenciesError::Invalid { message, .. }) => Err(AppError::Conflict(message)),
        Err(error) => Err(into_app_error(error)),
    }
}
