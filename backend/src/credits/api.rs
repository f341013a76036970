//! The learner's CPD credits as JSON (`/api/v1/me/credits`): the entries of their ledger and where
//! each licence stands, from the same services as the `/me/credits` page.

use super::compliance::Compliance;
use super::http::into_app_error;
use super::rules::Status;
use super::service::Credits;
use crate::accounts::Visit;
use crate::error::AppError;
use crate::platform::api::{PageQuery, number_key};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/me/credits", web::get().to(api_my_credits));
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

fn credits(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
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
    let standing = if page.cursor.is_none() {
        let standing = compliance.standing(me).await.map_err(into_app_error)?;
        standing
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
            .collect()
    } else {
        Vec::new()
    };
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
