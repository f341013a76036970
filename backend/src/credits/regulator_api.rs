//! A regulator's side of CPD as JSON (`/api/v1/regulators/{slug}/…`): its rules, the roster of
//! its licensees, their compliance and the audits drawn from them, through the same services as
//! the pages at `/orgs/{slug}/…`. Only the regulator's officers may call them.

use super::audit::AuditView;
use super::compliance::{Compliance, parse_roster};
use super::http::{into_app_error, officer};
use super::rules::Status;
use super::views::DashboardFilter;
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::api::{PageQuery, Problem, json_body, media_type, read_body};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/regulators/{slug}/rules", web::get().to(api_rules))
        .route("/api/v1/regulators/{slug}/roster", web::post().to(api_roster))
        .route("/api/v1/regulators/{slug}/compliance", web::get().to(api_compliance))
        .route("/api/v1/regulators/{slug}/audits", web::get().to(api_audits))
        .route("/api/v1/regulators/{slug}/audits", web::post().to(api_start_audit));
}

type Answer = Result<HttpResponse, AppError>;

/// The largest roster the API reads, as the upload form.
const ROSTER_LIMIT: usize = 20 * 1024 * 1024;

fn credits(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
}

/// A profession's CPD rules.
#[derive(Serialize, ToSchema)]
pub struct RulesItem {
    pub profession: String,
    /// The cycle (years and anchor), credits required in all and per category, the most a kind
    /// of activity may count for, the accreditors accepted and how long a credit stays valid;
    /// credits in hundredths.
    #[schema(value_type = Object)]
    pub rules: super::rules::RuleSet,
}

/// The regulator's CPD rules, by profession.
#[utoipa::path(
    get, path = "/api/v1/regulators/{slug}/rules", tag = "regulators",
    params(("slug" = String, Path, description = "The regulator's slug", example = "dnmc")),
    responses((status = 200, description = "The rules of each profession", body = Vec<RulesItem>)),
)]
pub(crate) async fn api_rules(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let rules = compliance.rules(organisation.id).await.map_err(into_app_error)?;
    let items: Vec<RulesItem> =
        rules.into_iter().map(|(profession, rules)| RulesItem { profession, rules }).collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "private, no-cache")).json(items))
}

/// What a roster import did.
#[derive(Serialize, ToSchema)]
pub struct RosterResult {
    pub rows: usize,
    /// Licences learners claimed that this roster confirms.
    pub confirmed: usize,
    /// Claimed licences whose number is on the roster under another name (left unconfirmed).
    pub name_mismatches: usize,
}

/// Imports the regulator's roster of licensees, replacing the one before.
///
/// A CSV whose first row names the columns `licence_number,name,profession,renewed_on,region`. The
/// whole file is checked before anything is written: problems are answered 400, one a line,
/// each naming its line, and the old roster stays.
#[utoipa::path(
    post, path = "/api/v1/regulators/{slug}/roster", tag = "regulators",
    params(("slug" = String, Path, description = "The regulator's slug", example = "dnmc")),
    request_body(content = String, content_type = "text/csv", description = "The roster, at most 20 MB"),
    responses(
        (status = 200, description = "Imported", body = RosterResult),
        (status = 400, description = "The roster's problems, one a line, each naming its line", body = Problem,
            content_type = "application/problem+json"),
        (status = 413, description = "Larger than 20 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_roster(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    if media_type(&req) != "text/csv" {
        return Err(AppError::UnsupportedMediaType("send the roster as text/csv".into()));
    }
    let bytes = read_body(payload, ROSTER_LIMIT).await?;
    let rows = parse_roster(&bytes).map_err(|problems| {
        AppError::BadRequest(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    })?;
    let report = compliance.import_roster(organisation.id, &rows).await.map_err(into_app_error)?;
    Ok(HttpResponse::Ok().json(RosterResult {
        rows: report.rows,
        confirmed: report.confirmed,
        name_mismatches: report.name_mismatches,
    }))
}

/// Which licensees to list; empty or absent keeps all.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplianceParams {
    /// `compliant`, `on_track`, `at_risk` or `non_compliant`.
    status: Option<String>,
    profession: Option<String>,
    region: Option<String>,
}

/// A licensee who shares their credits, and where they stand in the current cycle.
#[derive(Serialize, ToSchema)]
pub struct LicenseeItem {
    pub licence: String,
    pub name: String,
    pub profession: String,
    pub region: String,
    #[schema(value_type = String, example = "on_track")]
    pub status: Status,
    pub counted: f64,
    pub shortfall: f64,
}

#[derive(Serialize, ToSchema)]
pub struct CompliancePage {
    pub items: Vec<LicenseeItem>,
    pub next_cursor: Option<String>,
}

/// The regulator's licensees who share their credits, by licence number, with where each
/// stands.
#[utoipa::path(
    get, path = "/api/v1/regulators/{slug}/compliance", tag = "regulators",
    params(("slug" = String, Path, description = "The regulator's slug", example = "dnmc"), ComplianceParams, PageQuery),
    responses((status = 200, description = "A page of licensees", body = CompliancePage)),
)]
pub(crate) async fn api_compliance(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
    filter: web::Query<ComplianceParams>,
    page: web::Query<PageQuery>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let filter = filter.into_inner();
    let filter = DashboardFilter {
        status: filter.status.unwrap_or_default(),
        profession: filter.profession.unwrap_or_default(),
        region: filter.region.unwrap_or_default(),
    };
    let mut licensees: Vec<_> = compliance
        .licensees(organisation.id)
        .await
        .map_err(into_app_error)?
        .into_iter()
        .filter(|l| filter.keeps(l))
        .collect();
    licensees.sort_by(|a, b| a.number.cmp(&b.number));
    // A licence number is unique within a regulator.
    let (licensees, next_cursor) = page.page(licensees, |l| l.number.clone())?;
    let items = licensees
        .into_iter()
        .map(|l| LicenseeItem {
            licence: l.number,
            name: l.name,
            profession: l.profession,
            region: l.region,
            status: l.status,
            counted: credits(l.counted),
            shortfall: credits(l.shortfall),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-store"))
        .json(CompliancePage { items, next_cursor }))
}

/// An audit: a random sample of the licensees whose credits an officer checks, case by case.
#[derive(Serialize, ToSchema)]
pub struct AuditItem {
    pub id: i32,
    pub title: String,
    /// The day the licensees' standing was taken at.
    pub as_of: NaiveDate,
    /// The share of licensees drawn, in percent.
    pub percent: f64,
    /// Whoever repeats the draw with this seed over the same licensees draws the same sample.
    pub seed: String,
    /// Licensees it was drawn from.
    pub population: i32,
    pub cases: usize,
    pub decided: usize,
    pub created_at: DateTime<Utc>,
}

fn audit_item(view: AuditView) -> AuditItem {
    AuditItem {
        id: view.audit.id,
        title: view.audit.title,
        as_of: view.audit.as_of,
        percent: f64::from(view.audit.per_ten_thousand) / 100.0,
        seed: view.audit.seed,
        population: view.audit.population,
        cases: view.cases,
        decided: view.decided,
        created_at: view.audit.created_at,
    }
}

/// The regulator's audits, newest first.
#[utoipa::path(
    get, path = "/api/v1/regulators/{slug}/audits", tag = "regulators",
    params(("slug" = String, Path, description = "The regulator's slug", example = "dnmc")),
    responses((status = 200, description = "The audits", body = Vec<AuditItem>)),
)]
pub(crate) async fn api_audits(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let audits = compliance.audits(organisation.id).await.map_err(into_app_error)?;
    let items: Vec<AuditItem> = audits.into_iter().map(audit_item).collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "private, no-cache")).json(items))
}

/// An audit to start.
#[derive(Deserialize, ToSchema)]
pub struct AuditBody {
    /// At most 120 characters.
    #[schema(example = "2026 renewal audit")]
    pub title: String,
    /// The day to take the licensees' standing at.
    pub as_of: NaiveDate,
    /// The share of licensees to draw, from 0.01 to 100.
    #[schema(example = 5.0)]
    pub percent: f64,
    /// Repeats an earlier draw; a fresh random one when absent.
    pub seed: Option<String>,
}

/// Starts an audit: draws its sample of licensees, reproducibly from its seed.
#[utoipa::path(
    post, path = "/api/v1/regulators/{slug}/audits", tag = "regulators",
    params(("slug" = String, Path, description = "The regulator's slug", example = "dnmc")),
    request_body(content = AuditBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The audit, its cases drawn", body = AuditItem),
        (status = 400, description = "A field out of range, or nobody to sample; the detail names the field",
            body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "A body that is not application/json", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_start_audit(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let audit: AuditBody = json_body(&req, &body)?;
    let id = compliance
        .start_audit(
            organisation.id,
            actor.account_id,
            &audit.title,
            Some(audit.as_of),
            &audit.percent.to_string(),
            audit.seed.as_deref().unwrap_or_default(),
        )
        .await
        .map_err(into_app_error)?;
    let view = compliance
        .audits(organisation.id)
        .await
        .map_err(into_app_error)?
        .into_iter()
        .find(|view| view.audit.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/orgs/{slug}/audits/{id}")))
        .json(audit_item(view)))
}
