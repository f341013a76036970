//! An association's side of CPD as JSON (`/api/v1/orgs/{slug}/…`): its reviewers accredit
//! courses for credits, decide the outside activities members report and revoke certificates;
//! and a learner reports an outside activity (`/api/v1/me/credits/activities`). The same services
//! as the pages at `/orgs/{slug}/accreditations`, `/activities` and `/certificates`.

use super::api::{credits, hundredths};
use super::entity::outside_activity;
use super::http::{into_app_error, reviews};
use super::service::{AccreditationInput, AccreditationView, ActivityInput, Credits};
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::api::{Problem, json_body};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/orgs/{slug}/accreditations", web::get().to(api_accreditations))
        .route("/api/v1/orgs/{slug}/accreditations", web::post().to(api_accredit))
        .route("/api/v1/orgs/{slug}/activities", web::get().to(api_pending_activities))
        .route("/api/v1/orgs/{slug}/activities/{id}/decision", web::post().to(api_decide_activity))
        .route("/api/v1/orgs/{slug}/certificates", web::get().to(api_issued))
        .route("/api/v1/orgs/{slug}/certificates/{id}/revoke", web::post().to(api_revoke))
        .route("/api/v1/me/credits/activities", web::post().to(api_report_activity));
}

type Answer = Result<HttpResponse, AppError>;

/// A course version accredited for CPD credits.
#[derive(Serialize, ToSchema)]
pub struct AccreditationItem {
    pub id: i32,
    pub course: String,
    pub title: String,
    pub version: i32,
    pub credits: f64,
    pub category: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// How long a certificate of it stays valid; absent: without end.
    pub certificate_months: Option<i32>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

fn accreditation_item(view: AccreditationView) -> AccreditationItem {
    let a = view.accreditation;
    AccreditationItem {
        id: a.id,
        course: view.course_slug,
        title: view.course_title,
        version: view.version,
        credits: credits(a.credits),
        category: a.category,
        valid_from: a.valid_from,
        valid_until: a.valid_until,
        certificate_months: a.certificate_months,
        withdrawn_at: a.withdrawn_at,
    }
}

/// The association's accreditations, newest first.
///
/// For its reviewers.
#[utoipa::path(
    get, path = "/api/v1/orgs/{slug}/accreditations", tag = "credits",
    params(("slug" = String, Path, description = "The association's slug", example = "eanma")),
    responses((status = 200, description = "The accreditations", body = Vec<AccreditationItem>)),
)]
pub(crate) async fn api_accreditations(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits_service: web::Data<Credits>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, reviews).await?;
    let list = credits_service.accreditations(organisation.id).await.map_err(into_app_error)?;
    let items: Vec<AccreditationItem> = list.into_iter().map(accreditation_item).collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "private, no-cache")).json(items))
}

/// A course version to accredit.
#[derive(Deserialize, ToSchema)]
pub struct AccreditationBody {
    /// One of the association's courses, by slug.
    #[schema(example = "hand-hygiene")]
    pub course: String,
    /// A published version of it.
    #[schema(example = 1)]
    pub version: i32,
    /// More than 0, at most two decimals.
    #[schema(example = 2.5)]
    pub credits: f64,
    #[schema(example = "clinical")]
    pub category: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub certificate_months: Option<i32>,
}

/// Accredits a published course version for credits.
///
/// Learners who complete it from `valid_from` earn the credits in their ledger and a signed
/// certificate.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/accreditations", tag = "credits",
    params(("slug" = String, Path, description = "The association's slug", example = "eanma")),
    request_body(content = AccreditationBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Accredited", body = AccreditationItem),
        (status = 409, description = "That version is accredited already", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_accredit(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits_service: web::Data<Credits>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, reviews).await?;
    let body: AccreditationBody = json_body(&req, &body)?;
    let input = AccreditationInput {
        course_slug: body.course,
        version: body.version,
        credits: hundredths(body.credits),
        category: body.category,
        valid_from: Some(body.valid_from),
        valid_until: body.valid_until,
        certificate_months: body.certificate_months,
    };
    let id =
        credits_service.accredit(organisation.id, actor.account_id, input).await.map_err(into_app_error)?;
    let item = credits_service
        .accreditations(organisation.id)
        .await
        .map_err(into_app_error)?
        .into_iter()
        .find(|view| view.accreditation.id == id)
        .map(accreditation_item)
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Created().json(item))
}

/// An activity outside Lantern a learner reported for credits.
#[derive(Serialize, ToSchema)]
pub struct ActivityItem {
    pub id: i32,
    /// The learner's name.
    pub learner: String,
    pub kind: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub credits: f64,
    pub category: String,
    pub description: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// Why it was rejected.
    pub reason: String,
    /// Where its evidence file is, when one was sent.
    pub file_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

fn activity_item(activity: outside_activity::Model, learner: String) -> ActivityItem {
    ActivityItem {
        file_url: activity.file_media_id.map(|_| format!("/activities/{}/file", activity.id)),
        id: activity.id,
        learner,
        kind: activity.kind,
        title: activity.title,
        held_on: activity.held_on,
        credits: credits(activity.credits),
        category: activity.category,
        description: activity.description,
        status: activity.status,
        reason: activity.reason,
        created_at: activity.created_at,
    }
}

/// The outside activities waiting for the association's decision, oldest first.
#[utoipa::path(
    get, path = "/api/v1/orgs/{slug}/activities", tag = "credits",
    params(("slug" = String, Path, description = "The association's slug", example = "eanma")),
    responses((status = 200, description = "The activities waiting", body = Vec<ActivityItem>)),
)]
pub(crate) async fn api_pending_activities(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits_service: web::Data<Credits>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, reviews).await?;
    let pending = credits_service.pending_activities(organisation.id).await.map_err(into_app_error)?;
    let items: Vec<ActivityItem> = pending.into_iter().map(|(a, name)| activity_item(a, name)).collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "private, no-store")).json(items))
}

/// A reviewer's decision on an outside activity.
#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    /// Approving enters its credits in the learner's ledger.
    pub approve: bool,
    /// Needed to reject: what the learner should put right.
    #[serde(default)]
    pub reason: String,
}

/// Approves or rejects an outside activity.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/activities/{id}/decision", tag = "credits",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("id" = i32, Path, description = "The activity's id"),
    ),
    request_body(content = DecisionBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Decided"),
        (status = 400, description = "A rejection without a reason", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "Decided already", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_decide_activity(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits_service: web::Data<Credits>,
    path: web::Path<(String, i32)>,
) -> Answer {
    let (slug, id) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, reviews).await?;
    let decision: DecisionBody = json_body(&req, &body)?;
    credits_service
        .review_activity(organisation.id, actor.account_id, id, decision.approve, &decision.reason)
        .await
        .map_err(into_app_error)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Why a certificate is revoked.
#[derive(Deserialize, ToSchema)]
pub struct RevocationBody {
    /// Required; kept with the certificate.
    pub reason: String,
}

/// Revokes a certificate the association issued.
///
/// Its bit is set in the association's next signed status list, so verifiers see it revoked.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/certificates/{id}/revoke", tag = "credits",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("id" = String, Path, description = "The certificate's public id"),
    ),
    request_body(content = RevocationBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "No reason given", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_revoke(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits_service: web::Data<Credits>,
    path: web::Path<(String, String)>,
) -> Answer {
    let (slug, id) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, reviews).await?;
    let revocation: RevocationBody = json_body(&req, &body)?;
    credits_service.revoke(organisation.id, &id, &revocation.reason).await.map_err(into_app_error)?;
    Ok(HttpResponse::NoContent().finish())
}

/// An outside activity a learner reports.
#[derive(Deserialize, ToSchema)]
pub struct ActivityBody {
    /// The association that reviews it, by slug.
    #[schema(example = "eanma")]
    pub association: String,
    /// `conference`, `workshop`, `journal_club`, `mentoring`, `supervised_practice` or
    /// `self_directed`.
    #[schema(example = "workshop")]
    pub kind: String,
    pub title: String,
    /// Not in the future.
    pub held_on: NaiveDate,
    /// More than 0, at most two decimals.
    #[schema(example = 3)]
    pub credits: f64,
    #[schema(example = "clinical")]
    pub category: String,
    #[serde(default)]
    pub description: String,
}

/// Reports an outside activity for the association's reviewers to decide.
///
/// Evidence files are sent from the page (`/me/credits`); the API reports without one.
#[utoipa::path(
    post, path = "/api/v1/me/credits/activities", tag = "credits",
    request_body(content = ActivityBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Reported, waiting for review", body = ActivityItem),
    ),
)]
pub(crate) async fn api_report_activity(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits_service: web::Data<Credits>,
) -> Answer {
    let me = visit.require()?;
    let (me, name) = (me.account.id, me.account.name.clone());
    let body: ActivityBody = json_body(&req, &body)?;
    let organisation_id = match accounts.organisation(&body.association).await {
        Ok(organisation) if organisation.kind == "association" => organisation.id,
        Ok(_) | Err(crate::accounts::service::AccountsError::NotFound) => {
            return Err(AppError::BadRequest("association: no association by that slug".into()));
        }
        Err(error) => return Err(crate::accounts::http::into_app_error(error)),
    };
    let input = ActivityInput {
        file: None,
        organisation_id,
        kind: body.kind,
        title: body.title,
        held_on: Some(body.held_on),
        credits: hundredths(body.credits),
        category: body.category,
        description: body.description,
    };
    let id = credits_service.report_activity(me, input).await.map_err(into_app_error)?;
    let activity = credits_service
        .activities_of(me)
        .await
        .map_err(into_app_error)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Created().json(activity_item(activity, name)))
}

/// A certificate the association issued.
#[derive(Serialize, ToSchema)]
pub struct IssuedItem {
    /// Its public id.
    pub id: String,
    pub learner: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revocation_reason: String,
}

/// The certificates the association issued, newest first.
///
/// For its reviewers.
#[utoipa::path(
    get, path = "/api/v1/orgs/{slug}/certificates", tag = "credits",
    params(("slug" = String, Path, description = "The association's slug", example = "eanma")),
    responses((status = 200, description = "The certificates", body = Vec<IssuedItem>)),
)]
pub(crate) async fn api_issued(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits_service: web::Data<Credits>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, reviews).await?;
    let issued = credits_service.issued(organisation.id).await.map_err(into_app_error)?;
    let items: Vec<IssuedItem> = issued
        .into_iter()
        .map(|(c, learner)| IssuedItem {
            id: c.public_id,
            learner,
            issued_at: c.issued_at,
            expires_at: c.expires_at,
            revoked_at: c.revoked_at,
            revocation_reason: c.revocation_reason,
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "private, no-cache")).json(items))
}
