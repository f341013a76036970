//! The learner's CPD credits as JSON (`/api/v1/me/credits`, `/api/v1/me/certificates`): the entries
//! of their ledger, where each licence stands, the consent a regulator needs to see them, and their
//! signed certificates, from the same services as the `/me/credits` and `/me/certificates` pages.

use super::compliance::Compliance;
use super::http::into_app_error;
use super::rules::Status;
use super::service::Credits;
use crate::accounts::Visit;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::api::{PageQuery, Problem, json_body, number_key};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/me/credits", web::get().to(api_my_credits))
        .route("/api/v1/me/credits/consent/{regulator}", web::post().to(api_consent))
        .route("/api/v1/me/certificates", web::get().to(api_my_certificates));
    super::regulator_api::routes(cfg);
    super::association_api::routes(cfg);
}

/// One entry of the ledger: credits earned, or a correction of an earlier entry.
#[derive(Serialize, ToSchema)]
pub struct CreditItem {
    /// Its place in the learner's chain, from 1.
    pub seq: i32,
    /// `course`, `activity`, `correction`…
    pub kind: String,
    /// Credits (negative for a correction that takes some back).
    pub credits: f64,
    pub category: String,
    pub title: String,
    pub earned_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    /// SHA-256 over this entry and the one before: the chain `lantern ledger verify` checks.
    pub hash: String,
}

/// Where a licence stands in its current cycle, under its regulator's rules.
#[derive(Serialize, ToSchema)]
pub struct StandingItem {
    pub regulator: String,
    pub licence: String,
    /// Whether the learner lets the regulator see their credits.
    pub consented: bool,
    /// Absent when the regulator has set no rules for the profession.
    pub cycle: Option<CycleItem>,
}

#[derive(Serialize, ToSchema)]
pub struct CycleItem {
    pub start: NaiveDate,
    /// The cycle's last day.
    pub last_day: NaiveDate,
    #[schema(value_type = String, example = "on_track")]
    /// `compliant`, `on_track`, `at_risk` or `non_compliant`.
    pub status: Status,
    pub counted: f64,
    pub shortfall: f64,
}

#[derive(Serialize, ToSchema)]
pub struct CreditsPage {
    /// The caller's licences (on the first page only; empty on the next).
    pub standing: Vec<StandingItem>,
    /// Entries in the order they were recorded.
    pub items: Vec<CreditItem>,
    pub next_cursor: Option<String>,
}

/// Where each of the learner's licences stands.
async fn standing(compliance: &Compliance, account_id: i32) -> Result<Vec<StandingItem>, AppError> {
    let standing = compliance.standing(account_id).await.map_err(into_app_error)?;
    Ok(standing
        .into_iter()
        .map(|s| StandingItem {
            regulator: s.regulator.slug,
            licence: s.licence.number,
            consented: s.consented,
            cycle: s.evaluation.map(|e| CycleItem {
                start: e.start,
                last_day: e.end.pred_opt().unwrap_or(e.end),
                status: e.status,
                counted: credits(e.counted),
                shortfall: credits(e.shortfall),
            }),
        })
        .collect())
}

/// Credits as the API shows them: hundredths as a number with two decimals at most.
pub(super) fn credits(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
}

/// Credits as a client sends them (a JSON number, at most two decimals) in hundredths; None when
/// out of range, as the pages read them.
pub(super) fn hundredths(amount: f64) -> Option<i64> {
    super::service::parse_credits(&amount.to_string())
}

/// The caller's ledger, oldest entry first, and where each of their licences stands.
#[utoipa::path(
    get, path = "/api/v1/me/credits", tag = "credits",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the caller's ledger", body = CreditsPage),
    ),
)]
pub(crate) async fn api_my_credits(
    visit: Visit,
    credits_service: web::Data<Credits>,
    compliance: web::Data<Compliance>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let me = visit.require()?.account.id;
    let entries = credits_service.entries(me).await.map_err(into_app_error)?;
    let (entries, next_cursor) = page.page(entries, |e| number_key(i64::from(e.seq)))?;
    let standing = if page.cursor.is_none() { standing(&compliance, me).await? } else { Vec::new() };
    let items = entries
        .into_iter()
        .map(|e| CreditItem {
            seq: e.seq,
            kind: e.kind,
            credits: credits(e.amount),
            category: e.category,
            title: e.title,
            earned_on: e.earned_on,
            recorded_at: e.created_at,
            hash: e.hash,
        })
        .collect();
    let body = CreditsPage { standing, items, next_cursor };
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(body))
}

/// Whether a regulator may see the caller's credits.
#[derive(Deserialize, ToSchema)]
pub struct ConsentBody {
    /// `true` lets the regulator see the credits of the caller's licences it issued; `false`
    /// takes that back.
    pub grant: bool,
}

/// Gives or takes back a regulator's sight of the caller's credits.
///
/// Without it, the regulator's compliance list shows the licence as unknown.
#[utoipa::path(
    post, path = "/api/v1/me/credits/consent/{regulator}", tag = "credits",
    params(("regulator" = String, Path, description = "The regulator's slug", example = "dnmc")),
    request_body(content = ConsentBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The caller's licences and where they stand", body = Vec<StandingItem>),
        (status = 404, description = "No regulator by that slug", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_consent(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    regulator: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let me = visit.require()?.account.id;
    let consent: ConsentBody = json_body(&req, &body)?;
    let regulator = accounts.organisation(&regulator).await.map_err(crate::accounts::http::into_app_error)?;
    if regulator.kind != "regulator" {
        return Err(AppError::NotFound);
    }
    compliance.set_consent(me, regulator.id, consent.grant).await.map_err(into_app_error)?;
    let standing = standing(&compliance, me).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(standing))
}

/// A certificate of a completed accredited course, as signed for the learner.
#[derive(Serialize, ToSchema)]
pub struct CertificateItem {
    /// Its public id: anyone may check it at `verify_url`.
    pub id: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The Open Badges 3.0 credential, signed (a JWT, EdDSA): what a wallet keeps.
    pub credential: String,
    pub verify_url: String,
}

/// The caller's certificates, newest first.
#[utoipa::path(
    get, path = "/api/v1/me/certificates", tag = "credits",
    responses((status = 200, description = "The caller's certificates", body = Vec<CertificateItem>)),
)]
pub(crate) async fn api_my_certificates(
    visit: Visit,
    credits_service: web::Data<Credits>,
) -> Result<HttpResponse, AppError> {
    let me = visit.require()?.account.id;
    let items: Vec<CertificateItem> = credits_service
        .certificates_of(me)
        .await
        .map_err(into_app_error)?
        .into_iter()
        .map(|c| CertificateItem {
            verify_url: format!("/verify/{}", c.public_id),
            id: c.public_id,
            issued_at: c.issued_at,
            expires_at: c.expires_at,
            revoked_at: c.revoked_at,
            credential: c.jwt,
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(items))
}
