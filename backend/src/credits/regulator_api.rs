//! A regulator's side of CPD as JSON (`/api/v1/regulators/{slug}/…`): its rules, the roster of
//! its licensees, their compliance and the audits drawn from them, through the same services as
//! the pages at `/orgs/{slug}/…`. Only the regulator's officers may call them.

use super::api::credits;
use super::audit::{AuditView, CaseLine};
use super::compliance::{Compliance, parse_roster};
use super::http::{accreditors, into_app_error, officer, rules_from};
use super::rules::Status;
use super::service::CreditsError;
use super::views::DashboardFilter;
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::api::{PageQuery, Problem, json_body, media_type, read_body};
use crate::platform::ui::components::FormFields;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/regulators/{slug}/rules", web::get().to(api_rules))
        .route("/api/v1/regulators/{slug}/roster", web::post().to(api_roster))
        .route("/api/v1/regulators/{slug}/compliance", web::get().to(api_compliance))
        .route("/api/v1/regulators/{slug}/audits", web::get().to(api_audits))
        .route("/api/v1/regulators/{slug}/audits", web::post().to(api_start_audit))
        .route("/api/v1/regulators/{slug}/rules", web::post().to(api_set_rules))
        .route("/api/v1/regulators/{slug}/audits/{audit}", web::get().to(api_audit))
        .route("/api/v1/regulators/{slug}/audits/{audit}/cases/{case}", web::post().to(api_decide_case));
}

type Answer = Result<HttpResponse, AppError>;

/// The largest roster the API reads, as the upload form.
const ROSTER_LIMIT: usize = 20 * 1024 * 1024;

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
    let (audit, lines) = compliance.audit(organisation.id, id).await.map_err(into_app_error)?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/regulators/{slug}/audits/{id}")))
        .json(audit_item(audit_view(audit, &lines))))
}

/// A profession's CPD rules, to set; credits as numbers with at most two decimals.
#[derive(Deserialize, ToSchema)]
pub struct RulesBody {
    #[schema(example = "midwife")]
    pub profession: String,
    /// Years a cycle lasts.
    #[schema(example = 3)]
    pub cycle_years: u32,
    /// `MM-DD` (such as `01-01`): every licensee's cycle starts that day; `renewal`: from each
    /// licensee's renewal date.
    #[schema(example = "01-01")]
    pub anchor: String,
    /// Credits required per cycle.
    #[schema(example = 30)]
    pub total: f64,
    /// Least credits per category (`clinical`, `ethics`, `leadership`, `wellbeing`, `research`).
    #[serde(default)]
    #[schema(example = json!({"ethics": 5}))]
    pub minimums: BTreeMap<String, f64>,
    /// Most credits a kind of activity may count for (such as `self_directed`).
    #[serde(default)]
    #[schema(example = json!({"self_directed": 10}))]
    pub maximums: BTreeMap<String, f64>,
    /// A credit counts this many months after it was earned; absent: the whole cycle.
    pub rolling_validity_months: Option<u32>,
    /// Associations whose credits count, by slug; empty: any.
    #[serde(default)]
    pub accreditors: Vec<String>,
}

/// Sets a profession's CPD rules, replacing those before; every licensee's standing follows.
///
/// Checked as the rules page checks them: a problem is answered 400 naming the field.
#[utoipa::path(
    post, path = "/api/v1/regulators/{slug}/rules", tag = "regulators",
    params(("slug" = String, Path, description = "The regulator's slug", example = "dnmc")),
    request_body(content = RulesBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The rules of each profession", body = Vec<RulesItem>),
    ),
)]
pub(crate) async fn api_set_rules(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let body: RulesBody = json_body(&req, &body)?;
    let pairs = |map: &BTreeMap<String, f64>| {
        map.iter().map(|(name, credits)| format!("{name}:{credits}")).collect::<Vec<_>>().join(", ")
    };
    // The page's own reading of the rules, so both check them alike.
    let form = FormFields(vec![
        ("cycle_years".into(), body.cycle_years.to_string()),
        ("anchor".into(), body.anchor.clone()),
        ("total".into(), body.total.to_string()),
        ("minimums".into(), pairs(&body.minimums)),
        ("maximums".into(), pairs(&body.maximums)),
        (
            "rolling_validity_months".into(),
            body.rolling_validity_months.map(|m| m.to_string()).unwrap_or_default(),
        ),
    ]);
    let mut rules = rules_from(&form).map_err(|(field, message)| {
        into_app_error(CreditsError::Invalid { field, message: message.into() })
    })?;
    rules.accepted_accreditors =
        accreditors(&accounts, &body.accreditors.join(",")).await.map_err(into_app_error)?;
    compliance.set_rules(organisation.id, &body.profession, rules).await.map_err(into_app_error)?;
    api_rules(visit, accounts, compliance, slug).await
}

/// An officer's decision on one case of an audit.
#[derive(Deserialize, ToSchema)]
pub struct CaseBody {
    /// `satisfactory`, `follow_up` or `unsatisfactory`.
    #[schema(example = "satisfactory")]
    pub outcome: String,
    #[serde(default)]
    pub note: String,
}

/// Records the outcome of one case of an audit.
#[utoipa::path(
    post, path = "/api/v1/regulators/{slug}/audits/{audit}/cases/{case}", tag = "regulators",
    params(
        ("slug" = String, Path, description = "The regulator's slug", example = "dnmc"),
        ("audit" = i32, Path, description = "The audit's id"),
        ("case" = i32, Path, description = "The case's id"),
    ),
    request_body(content = CaseBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The audit with its cases", body = AuditDetail),
        (status = 400, description = "Not an outcome; the detail names the field", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_decide_case(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    path: web::Path<(String, i32, i32)>,
) -> Answer {
    let (slug, audit, case) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let decision: CaseBody = json_body(&req, &body)?;
    compliance
        .decide_case(organisation.id, audit, case, actor.account_id, &decision.outcome, &decision.note)
        .await
        .map_err(into_app_error)?;
    audit_detail(&compliance, organisation.id, audit).await
}

/// A sampled licensee, and what the officer found.
#[derive(Serialize, ToSchema)]
pub struct CaseItem {
    pub id: i32,
    pub licence: String,
    pub name: String,
    pub profession: String,
    pub region: String,
    /// `pending` until decided.
    pub outcome: String,
    pub note: String,
    pub decided_at: Option<DateTime<Utc>>,
}

/// An audit with its cases.
#[derive(Serialize, ToSchema)]
pub struct AuditDetail {
    pub audit: AuditItem,
    /// By licence number.
    pub cases: Vec<CaseItem>,
}

/// An audit with the count of its cases and of those decided.
fn audit_view(audit: super::entity::credit_audit::Model, lines: &[CaseLine]) -> AuditView {
    let decided = lines.iter().filter(|l| l.case.outcome != super::audit::PENDING).count();
    AuditView { audit, cases: lines.len(), decided }
}

async fn audit_detail(compliance: &Compliance, regulator_id: i32, audit_id: i32) -> Answer {
    let (audit, lines) = compliance.audit(regulator_id, audit_id).await.map_err(into_app_error)?;
    let audit = audit_item(audit_view(audit, &lines));
    let cases = lines
        .into_iter()
        .map(|l| CaseItem {
            id: l.case.id,
            licence: l.number,
            name: l.name,
            profession: l.profession,
            region: l.region,
            outcome: l.case.outcome,
            note: l.case.note,
            decided_at: l.case.decided_at,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-cache"))
        .json(AuditDetail { audit, cases }))
}

/// An audit and its cases.
#[utoipa::path(
    get, path = "/api/v1/regulators/{slug}/audits/{audit}", tag = "regulators",
    params(
        ("slug" = String, Path, description = "The regulator's slug", example = "dnmc"),
        ("audit" = i32, Path, description = "The audit's id"),
    ),
    responses((status = 200, description = "The audit", body = AuditDetail)),
)]
pub(crate) async fn api_audit(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    path: web::Path<(String, i32)>,
) -> Answer {
    let (slug, audit) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    audit_detail(&compliance, organisation.id, audit).await
}
