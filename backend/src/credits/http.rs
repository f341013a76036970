//! Credit routes: a learner's ledger and outside activities; an association's accreditations
//! and review queue (its reviewers only).

use super::compliance::{Compliance, parse_roster};
use super::rules::{CycleAnchor, RuleSet};
use super::service::{
    AccreditationInput, ActivityInput, Credits, CreditsError, format_credits, parse_credits,
};
use super::verification::{BulkInput, Format, Verifier, answer_stream};
use super::views;
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::model::Capability;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::ui::components::{FormErrors, FormFields};
use crate::platform::ui::respond::{html, private_file, see_other};
use crate::platform::ui::spreadsheet;
use crate::platform::ui::upload::FormWithFile;
use crate::platform::ui::upload::UploadStream;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

pub fn routes(cfg: &mut web::ServiceConfig) {
    super::api::routes(cfg);
    cfg.route("/me/credits", web::get().to(ledger))
        .route("/me/credits/activities", web::post().to(report_activity))
        .route("/activities/{id}/file", web::get().to(activity_file))
        .route("/orgs/{slug}/accreditations", web::get().to(accreditations))
        .route("/orgs/{slug}/accreditations", web::post().to(accredit))
        .route("/orgs/{slug}/activities", web::get().to(review_queue))
        .route("/orgs/{slug}/activities/{id}/approve", web::post().to(approve))
        .route("/orgs/{slug}/activities/{id}/reject", web::post().to(reject))
        .route("/me/credits/consent/{regulator}", web::post().to(consent))
        .route("/orgs/{slug}/cpd-rules", web::get().to(rules))
        .route("/orgs/{slug}/cpd-rules", web::post().to(set_rules))
        .route("/orgs/{slug}/roster", web::get().to(roster))
        .route("/orgs/{slug}/roster", web::post().to(upload_roster))
        .route("/orgs/{slug}/compliance", web::get().to(dashboard))
        .route("/orgs/{slug}/compliance.csv", web::get().to(dashboard_csv))
        .route("/orgs/{slug}/audits", web::get().to(audits))
        .route("/orgs/{slug}/audits", web::post().to(start_audit))
        .route("/orgs/{slug}/audits/{id}", web::get().to(audit))
        .route("/orgs/{slug}/audits/{id}/cases/{case}", web::get().to(audit_case))
        .route("/orgs/{slug}/audits/{id}/cases/{case}", web::post().to(decide_case))
        .route("/orgs/{slug}/verifications", web::get().to(bulk_form))
        .route("/orgs/{slug}/verifications", web::post().to(bulk_upload))
        .route("/api/v1/regulators/{slug}/verifications", web::post().to(bulk_api))
        .route("/verify", web::get().to(verify_form))
        .route("/verify", web::post().to(verify_pasted))
        .route("/verify/{id}", web::get().to(verify_certificate))
        .route("/certificates/{id}", web::get().to(certificate_link))
        .route("/.well-known/jwks.json", web::get().to(all_keys))
        .route("/issuers/{slug}", web::get().to(issuer_profile))
        .route("/issuers/{slug}/jwks.json", web::get().to(issuer_keys))
        .route("/status/{slug}/revocation", web::get().to(status_list))
        .route("/me/certificates", web::get().to(my_certificates))
        .route("/me/certificates/{id}", web::get().to(my_certificate))
        .route("/me/certificates/{id}/pdf", web::get().to(certificate_pdf))
        .route("/me/credits/transcripts/{licence}", web::get().to(transcript))
        .route("/me/credits/transcripts/{licence}/csv", web::get().to(transcript_csv))
        .route("/me/credits/transcripts/{licence}/pdf", web::get().to(transcript_pdf))
        .route("/orgs/{slug}/certificates", web::get().to(issued))
        .route("/orgs/{slug}/certificates/{id}/revoke", web::post().to(revoke));
}

type Page = Result<HttpResponse, AppError>;
type Form = web::Form<Vec<(String, String)>>;

pub fn into_app_error(error: CreditsError) -> AppError {
    match error {
        CreditsError::NotFound => AppError::NotFound,
        CreditsError::Invalid { field, message } => AppError::BadRequest(format!("{field}: {message}")),
        CreditsError::Conflict(message) => AppError::Conflict(message),
        CreditsError::Db(error) => error.into(),
        CreditsError::Storage(error) => AppError::internal(error),
    }
}

fn form_error(error: CreditsError) -> Result<FormErrors, AppError> {
    match error {
        CreditsError::Invalid { field, message } => {
            let mut errors = FormErrors::new();
            errors.add(field, message);
            Ok(errors)
        }
        other => Err(into_app_error(other)),
    }
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn status(errors: &FormErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

async fn ledger_page(
    visit: &Visit,
    (credits, compliance): (&Credits, &Compliance),
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let me = visit.require()?.account.id;
    let entries = credits.entries(me).await.map_err(into_app_error)?;
    let activities = credits.activities_of(me).await.map_err(into_app_error)?;
    let associations = credits.associations().await.map_err(into_app_error)?;
    let standing = compliance.standing(me).await.map_err(into_app_error)?;
    let page =
        views::ledger_page(&visit.chrome(), &standing, &entries, &activities, &associations, values, &errors);
    Ok(html(status(&errors), page))
}

/// The activity form may come pre-filled (`?kind=mentoring&title=…&credits=…&held_on=…`), as
/// a mentorship's page links it to turn logged hours into CPD credits.
async fn ledger(
    visit: Visit,
    credits: web::Data<Credits>,
    compliance: web::Data<Compliance>,
    query: web::Query<Vec<(String, String)>>,
) -> Page {
    const PREFILL: [&str; 5] = ["kind", "title", "credits", "held_on", "category"];
    let values = query.into_inner().into_iter().filter(|(k, _)| PREFILL.contains(&k.as_str())).collect();
    ledger_page(&visit, (&credits, &compliance), &FormFields(values), FormErrors::new()).await
}

async fn report_activity(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    credits: web::Data<Credits>,
    compliance: web::Data<Compliance>,
) -> Page {
    let me = visit.require()?.account.id;
    let FormWithFile { fields: form, file } =
        FormWithFile::read(&req, payload, "file", crate::platform::media::EVIDENCE_FILE_LIMIT).await?;
    let input = ActivityInput {
        organisation_id: form.get("organisation").parse().unwrap_or(0),
        kind: form.get("kind").to_owned(),
        title: form.get("title").to_owned(),
        held_on: date(form.get("held_on")),
        credits: parse_credits(form.get("credits")),
        category: form.get("category").to_owned(),
        description: form.get("description").to_owned(),
        file,
    };
    match credits.report_activity(me, input).await {
        Ok(_) => Ok(see_other("/me/credits?notice=activity-reported")),
        Err(error) => ledger_page(&visit, (&credits, &compliance), &form, form_error(error)?).await,
    }
}

/// An outside activity's evidence file: for its learner, the reviewers of the association it was
/// reported to, and the officers of a regulator the learner shares their credits with (audits);
/// not found for anyone else.
async fn activity_file(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    id: web::Path<i32>,
) -> Page {
    let actor = visit.actor(&accounts).await?;
    let (content_type, bytes) = credits.activity_file(&actor, *id).await.map_err(into_app_error)?;
    Ok(private_file(&content_type, bytes, None))
}

pub(super) fn reviews(organisation_id: i32) -> Capability {
    Capability::ReviewFor { organisation_id }
}

async fn accreditations_page(
    visit: &Visit,
    accounts: &Accounts,
    credits: &Credits,
    slug: &str,
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let (organisation, _) = organisation_for(visit, accounts, slug, reviews).await?;
    let list = credits.accreditations(organisation.id).await.map_err(into_app_error)?;
    let courses = credits.courses_of(organisation.id).await.map_err(into_app_error)?;
    let page = views::accreditations_page(&visit.chrome(), slug, &list, &courses, values, &errors);
    Ok(html(status(&errors), page))
}

async fn accreditations(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    slug: web::Path<String>,
) -> Page {
    accreditations_page(&visit, &accounts, &credits, &slug, &FormFields::default(), FormErrors::new()).await
}

async fn accredit(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    slug: web::Path<String>,
    form: Form,
) -> Page {
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, reviews).await?;
    let form = FormFields(form.into_inner());
    let input = AccreditationInput {
        course_slug: form.get("course").to_owned(),
        version: form.get("version").trim().parse().unwrap_or(0),
        credits: parse_credits(form.get("credits")),
        category: form.get("category").to_owned(),
        valid_from: date(form.get("valid_from")),
        valid_until: date(form.get("valid_until")),
        certificate_months: form.get("certificate_months").trim().parse().ok(),
    };
    if !form.get("valid_until").trim().is_empty() && input.valid_until.is_none() {
        let mut errors = FormErrors::new();
        errors.add("valid_until", "give the date as YYYY-MM-DD, or leave it empty");
        return accreditations_page(&visit, &accounts, &credits, &slug, &form, errors).await;
    }
    match credits.accredit(organisation.id, actor.account_id, input).await {
        Ok(_) => Ok(see_other(&format!("/orgs/{slug}/accreditations?notice=accredited"))),
        Err(error) => {
            accreditations_page(&visit, &accounts, &credits, &slug, &form, form_error(error)?).await
        }
    }
}

async fn review_page(
    visit: &Visit,
    accounts: &Accounts,
    credits: &Credits,
    slug: &str,
    errors: FormErrors,
) -> Page {
    let (organisation, _) = organisation_for(visit, accounts, slug, reviews).await?;
    let pending = credits.pending_activities(organisation.id).await.map_err(into_app_error)?;
    Ok(html(status(&errors), views::review_page(&visit.chrome(), slug, &pending, &errors)))
}

async fn review_queue(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    slug: web::Path<String>,
) -> Page {
    review_page(&visit, &accounts, &credits, &slug, FormErrors::new()).await
}

async fn decide(
    visit: &Visit,
    accounts: &Accounts,
    credits: &Credits,
    (slug, id): (String, i32),
    approve: bool,
    reason: &str,
) -> Page {
    let (organisation, actor) = organisation_for(visit, accounts, &slug, reviews).await?;
    match credits.review_activity(organisation.id, actor.account_id, id, approve, reason).await {
        Ok(()) => Ok(see_other(&format!("/orgs/{slug}/activities?notice=reviewed"))),
        Err(error) => review_page(visit, accounts, credits, &slug, form_error(error)?).await,
    }
}

async fn approve(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    path: web::Path<(String, i32)>,
) -> Page {
    decide(&visit, &accounts, &credits, path.into_inner(), true, "").await
}

async fn reject(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    path: web::Path<(String, i32)>,
    form: Form,
) -> Page {
    let form = FormFields(form.into_inner());
    decide(&visit, &accounts, &credits, path.into_inner(), false, form.get("reason")).await
}

// ----- Consent and regulators ----------------------------------------------------------------------

async fn consent(
    visit: Visit,
    compliance: web::Data<Compliance>,
    regulator: web::Path<i32>,
    form: Form,
) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    compliance.set_consent(me, *regulator, form.get("grant") == "yes").await.map_err(into_app_error)?;
    Ok(see_other("/me/credits?notice=saved#compliance"))
}

pub(super) fn officer(organisation_id: i32) -> Capability {
    Capability::OfficerOf { organisation_id }
}

/// "ethics:5, clinical:2.5" → [("ethics", 500), ("clinical", 250)]; None when a pair is wrong.
fn credit_pairs(text: &str) -> Option<Vec<(String, i64)>> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (name, amount) = pair.split_once(':')?;
            Some((name.trim().to_lowercase().replace(' ', "_"), parse_credits(amount)?))
        })
        .collect()
}

async fn rules_page(
    visit: &Visit,
    accounts: &Accounts,
    compliance: &Compliance,
    slug: &str,
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let (organisation, _) = organisation_for(visit, accounts, slug, officer).await?;
    let rules = compliance.rules(organisation.id).await.map_err(into_app_error)?;
    Ok(html(status(&errors), views::rules_page(&visit.chrome(), slug, &rules, values, &errors)))
}

async fn rules(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Page {
    let values = FormFields(vec![("cycle_years".into(), "1".into()), ("anchor".into(), "01-01".into())]);
    rules_page(&visit, &accounts, &compliance, &slug, &values, FormErrors::new()).await
}

/// The form's rules, or the field that is wrong.
pub(super) fn rules_from(form: &FormFields) -> Result<RuleSet, (&'static str, &'static str)> {
    let anchor = form.get("anchor").trim();
    let cycle = if anchor.is_empty() || anchor.eq_ignore_ascii_case("renewal") {
        CycleAnchor::FromRenewal
    } else {
        let (month, day) =
            anchor.split_once('-').ok_or(("anchor", "give MM-DD (such as 01-01) or renewal"))?;
        let (month, day): (u32, u32) = (
            month.parse().map_err(|_| ("anchor", "give MM-DD (such as 01-01) or renewal"))?,
            day.parse().map_err(|_| ("anchor", "give MM-DD (such as 01-01) or renewal"))?,
        );
        if chrono::NaiveDate::from_ymd_opt(2024, month, day).is_none() {
            return Err(("anchor", "give MM-DD (such as 01-01) or renewal"));
        }
        CycleAnchor::Fixed { month, day }
    };
    let total = parse_credits(form.get("total")).ok_or(("total", "give the credits required, such as 30"))?;
    let category_minimums = credit_pairs(form.get("minimums"))
        .ok_or(("minimums", "write category:credits pairs, such as ethics:5"))?;
    let kind_maximums = credit_pairs(form.get("maximums"))
        .ok_or(("maximums", "write kind:credits pairs, such as self_directed:10"))?;
    if category_minimums.iter().any(|(c, _)| !super::service::CATEGORIES.contains(&c.as_str())) {
        return Err(("minimums", "use the categories clinical, ethics, leadership, wellbeing, research"));
    }
    let rolling = form.get("rolling_validity_months").trim();
    let rolling_validity_months = if rolling.is_empty() {
        None
    } else {
        Some(
            rolling
                .parse()
                .map_err(|_| ("rolling_validity_months", "give a number of months, or leave it empty"))?,
        )
    };
    Ok(RuleSet {
        cycle_years: form.get("cycle_years").parse().unwrap_or(0),
        cycle,
        total,
        category_minimums,
        kind_maximums,
        accepted_accreditors: None,
        rolling_validity_months,
    })
}

async fn set_rules(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
    form: Form,
) -> Page {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let form = FormFields(form.into_inner());
    let result = match rules_from(&form) {
        Ok(mut rules) => match accreditors(&accounts, form.get("accreditors")).await {
            Ok(accepted) => {
                rules.accepted_accreditors = accepted;
                compliance.set_rules(organisation.id, form.get("profession"), rules).await
            }
            Err(error) => Err(error),
        },
        Err((field, message)) => Err(CreditsError::Invalid { field, message: message.into() }),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/orgs/{slug}/cpd-rules?notice=saved"))),
        Err(error) => rules_page(&visit, &accounts, &compliance, &slug, &form, form_error(error)?).await,
    }
}

/// The associations whose credits count, by slug ("eanma, ainfao"); empty means any.
pub(super) async fn accreditors(accounts: &Accounts, text: &str) -> Result<Option<Vec<i32>>, CreditsError> {
    let slugs: Vec<&str> = text.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if slugs.is_empty() {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for slug in slugs {
        match accounts.organisation(slug).await {
            Ok(o) if o.kind == "association" => ids.push(o.id),
            _ => {
                return Err(CreditsError::Invalid {
                    field: "accreditors",
                    message: format!("{slug} is not an association on Lantern"),
                });
            }
        }
    }
    Ok(Some(ids))
}

async fn roster(visit: Visit, accounts: web::Data<Accounts>, slug: web::Path<String>) -> Page {
    organisation_for(&visit, &accounts, &slug, officer).await?;
    Ok(html(StatusCode::OK, views::roster_page(&visit.chrome(), &slug, None, &[])))
}

/// A roster file is checked and previewed (nothing written); the preview's button imports it.
async fn upload_roster(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Page {
    const LIMIT: usize = 20 * 1024 * 1024;
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let FormWithFile { fields, file } = FormWithFile::read(&req, payload, "file", LIMIT).await?;
    let bytes = match &file {
        Some(file) if file.too_large(LIMIT) => {
            let problem = super::compliance::RowProblem {
                line: 0,
                message: format!("{} is larger than 20 MB", file.name),
            };
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                views::roster_page(&visit.chrome(), &slug, None, &[problem]),
            ));
        }
        Some(file) => file.bytes.clone(),
        None => fields.get("csv").as_bytes().to_vec(),
    };
    let rows = match parse_roster(&bytes) {
        Ok(rows) => rows,
        Err(problems) => {
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                views::roster_page(&visit.chrome(), &slug, None, &problems),
            ));
        }
    };
    if fields.get("confirm") != "yes" {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return Ok(html(
            StatusCode::OK,
            views::roster_page(&visit.chrome(), &slug, Some((&text, &rows)), &[]),
        ));
    }
    let report = compliance.import_roster(organisation.id, &rows).await.map_err(into_app_error)?;
    Ok(see_other(&format!(
        "/orgs/{slug}/compliance?imported={}&confirmed={}&mismatches={}",
        report.rows, report.confirmed, report.name_mismatches
    )))
}

fn dashboard_filter(query: &[(String, String)]) -> (views::DashboardFilter, usize) {
    let get = |name: &str| {
        query.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
    };
    let filter = views::DashboardFilter {
        status: get("status"),
        profession: get("profession"),
        region: get("region"),
    };
    (filter, get("page").parse().unwrap_or(1))
}

async fn dashboard(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Page {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let licensees = compliance.licensees(organisation.id).await.map_err(into_app_error)?;
    let (filter, page) = dashboard_filter(&query);
    Ok(html(StatusCode::OK, views::compliance_page(&visit.chrome(), &slug, &licensees, &filter, page)))
}

/// The licensees the dashboard's filters keep, as CSV.
async fn dashboard_csv(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Page {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let licensees = compliance.licensees(organisation.id).await.map_err(into_app_error)?;
    let (filter, _) = dashboard_filter(&query);
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut write = |row: [&str; 7]| spreadsheet::write_row(&mut out, row).map_err(AppError::internal);
    write(["licence_number", "name", "profession", "region", "status", "counted", "shortfall"])?;
    for l in licensees.iter().filter(|l| filter.keeps(l)) {
        let status = views::status_key(l.status).trim_start_matches("compliance-");
        write([
            &l.number,
            &l.name,
            &l.profession,
            &l.region,
            status,
            &format_credits(l.counted),
            &format_credits(l.shortfall),
        ])?;
    }
    let body = out.into_inner().map_err(|e| AppError::internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{slug}-compliance.csv\"")))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(body))
}

// ----- Certificates --------------------------------------------------------------------------------

async fn verify_form(visit: Visit) -> Page {
    Ok(html(StatusCode::OK, views::verify_page(&visit.chrome(), None, "", "")))
}

/// A pasted certificate (the credential itself, or a verify URL) checked as anyone would.
async fn verify_pasted(visit: Visit, credits: web::Data<Credits>, form: Form) -> Page {
    let form = FormFields(form.into_inner());
    let pasted = form.get("credential").trim();
    let jwt = match pasted.rsplit_once("/verify/") {
        // A verify URL: check the stored certificate it names.
        Some((_, rest)) => {
            let id = rest.split(['#', '?']).next().unwrap_or_default();
            match credits.certificate(id).await {
                Ok(view) => view.row.jwt,
                Err(CreditsError::NotFound) => String::new(),
                Err(error) => return Err(into_app_error(error)),
            }
        }
        None => pasted.to_owned(),
    };
    let verdict = credits.verify_certificate(&jwt).await.map_err(into_app_error)?;
    let page = views::verify_page(&visit.chrome(), Some(&verdict), "", pasted);
    Ok(html(StatusCode::OK, page))
}

async fn verify_certificate(visit: Visit, credits: web::Data<Credits>, id: web::Path<String>) -> Page {
    let view = credits.certificate(&id).await.map_err(into_app_error)?;
    let page = views::verify_page(&visit.chrome(), Some(&view.verdict), &view.issuer.name, "");
    Ok(html(StatusCode::OK, page))
}

/// A certificate's id URL: people go to its verify page; `.jwt` gives the credential itself.
async fn certificate_link(credits: web::Data<Credits>, id: web::Path<String>) -> Page {
    match id.strip_suffix(".jwt") {
        Some(public_id) => {
            let view = credits.certificate(public_id).await.map_err(into_app_error)?;
            Ok(HttpResponse::Ok()
                .content_type("application/vc+jwt")
                .insert_header(("Content-Disposition", format!("attachment; filename=\"{public_id}.jwt\"")))
                .body(view.row.jwt))
        }
        None => Ok(see_other(&format!("/verify/{id}"))),
    }
}

fn json_response(body: String, max_age: u32) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Cache-Control", format!("public, max-age={max_age}")))
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(body)
}

async fn all_keys(credits: web::Data<Credits>) -> Page {
    Ok(json_response(credits.jwks(None).await.map_err(into_app_error)?, 300))
}

async fn issuer_keys(credits: web::Data<Credits>, slug: web::Path<String>) -> Page {
    Ok(json_response(credits.jwks(Some(&slug)).await.map_err(into_app_error)?, 300))
}

/// The issuer's Open Badges profile.
async fn issuer_profile(
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    slug: web::Path<String>,
) -> Page {
    let organisation = accounts.organisation(&slug).await.map_err(crate::accounts::http::into_app_error)?;
    if organisation.kind != "association" {
        return Err(AppError::NotFound);
    }
    let base = credits.public_base();
    let profile = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": format!("{base}/issuers/{slug}"),
        "type": ["Profile"],
        "name": organisation.name,
        "url": format!("{base}/orgs/{slug}"),
        "address": { "type": ["Address"], "addressCountry": organisation.country },
    });
    Ok(json_response(profile.to_string(), 3600))
}

async fn status_list(credits: web::Data<Credits>, slug: web::Path<String>) -> Page {
    let jwt = credits.status_list(&slug).await.map_err(into_app_error)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vc+jwt")
        .insert_header(("Cache-Control", "public, max-age=300"))
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(jwt))
}

async fn my_certificates(visit: Visit, credits: web::Data<Credits>) -> Page {
    let me = visit.require()?.account.id;
    let list = credits.certificates_of(me).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::certificates_page(&visit.chrome(), &list)))
}

/// The learner's own certificate, printable, with its QR code (not found for anyone else).
async fn my_certificate(visit: Visit, credits: web::Data<Credits>, id: web::Path<String>) -> Page {
    let me = visit.require()?.account.id;
    let view = credits.certificate(&id).await.map_err(into_app_error)?;
    if view.row.account_id != me {
        return Err(AppError::NotFound);
    }
    let verify_url = credits.qr_url(&view).await.map_err(into_app_error)?;
    let qr = super::certificate::qr_svg(&verify_url).map_err(|e| AppError::internal(e.to_string()))?;
    let page =
        views::certificate_page(&visit.chrome(), &view.verdict, &view.issuer.name, &qr.svg, &verify_url, &id);
    Ok(html(StatusCode::OK, page))
}

async fn issued_page(
    visit: &Visit,
    accounts: &Accounts,
    credits: &Credits,
    slug: &str,
    errors: FormErrors,
) -> Page {
    let (organisation, _) = organisation_for(visit, accounts, slug, reviews).await?;
    let issued = credits.issued(organisation.id).await.map_err(into_app_error)?;
    Ok(html(status(&errors), views::issued_page(&visit.chrome(), slug, &issued, &errors)))
}

async fn issued(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    slug: web::Path<String>,
) -> Page {
    issued_page(&visit, &accounts, &credits, &slug, FormErrors::new()).await
}

async fn revoke(
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    path: web::Path<(String, String)>,
    form: Form,
) -> Page {
    let (slug, id) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, reviews).await?;
    let form = FormFields(form.into_inner());
    match credits.revoke(organisation.id, &id, form.get("reason")).await {
        Ok(()) => Ok(see_other(&format!("/orgs/{slug}/certificates?notice=revoked"))),
        Err(error) => issued_page(&visit, &accounts, &credits, &slug, form_error(error)?).await,
    }
}

// ----- Bulk verification ---------------------------------------------------------------------------

async fn bulk_form(visit: Visit, accounts: web::Data<Accounts>, slug: web::Path<String>) -> Page {
    organisation_for(&visit, &accounts, &slug, officer).await?;
    Ok(html(StatusCode::OK, views::bulk_page(&visit.chrome(), &slug, None)))
}

/// Reads the first batch (so a malformed start is refused with a clear status before anything is
/// sent), then streams every answer.
async fn bulk_answer<S, E>(
    input: S,
    format: Format,
    (credits, compliance): (&Credits, &Compliance),
    regulator_id: i32,
    file_name: &str,
) -> Result<Result<HttpResponse, String>, AppError>
where
    S: futures_util::Stream<Item = Result<web::Bytes, E>> + Unpin + 'static,
    E: std::fmt::Display + 'static,
{
    let keys = credits.key_set().await.map_err(into_app_error)?;
    let mut input = BulkInput::new(input, format);
    let first = match input.next_batch().await {
        Ok(first) => first.unwrap_or_default(),
        Err(problem) => return Ok(Err(problem)),
    };
    let verifier = Verifier {
        credits: credits.clone(),
        compliance: compliance.clone(),
        keys: std::sync::Arc::new(keys),
        regulator_id,
    };
    let mut response = HttpResponse::Ok();
    response.content_type(format.content_type()).insert_header(("Cache-Control", "private, no-store"));
    if format == Format::Csv {
        response.insert_header(("Content-Disposition", format!("attachment; filename=\"{file_name}\"")));
    }
    Ok(Ok(response.streaming(answer_stream(input, first, verifier, format))))
}

/// A CSV file uploaded from the page: the answers come back as a CSV download.
async fn bulk_upload(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Page {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let refuse = |problem: String| {
        html(StatusCode::UNPROCESSABLE_ENTITY, views::bulk_page(&visit.chrome(), &slug, Some(&problem)))
    };
    let Some(file) = UploadStream::open(&req, payload, "file").await? else {
        return Ok(refuse("choose a CSV file".into()));
    };
    let name = format!("{slug}-verification.csv");
    match bulk_answer(file, Format::Csv, (&credits, &compliance), organisation.id, &name).await? {
        Ok(response) => Ok(response),
        Err(problem) => Ok(refuse(problem)),
    }
}

/// A row of a bulk verification: one of the two.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BulkRow {
    pub certificate_id: Option<String>,
    pub licence_number: Option<String>,
}

/// The answer to a JSON body, streamed as the rows are checked.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BulkAnswer {
    /// One answer per row, in order.
    pub results: Vec<super::verification::Answer>,
    /// Rows read.
    pub rows: usize,
    /// Set when the body broke after answering began: what and where (byte and row). The rows
    /// before it are answered.
    pub error: Option<String>,
}

/// Checks up to 100,000 certificates or licences at once.
///
/// A JSON array of `{"certificate_id": …}` or `{"licence_number": …}` objects, or a CSV with a
/// `certificate_id` and/or `licence_number` column, answered in the same form as the rows are
/// read. A certificate's answer says whether it is genuine and in force; a licence's, where its
/// holder stands against the regulator's CPD rules (with their consent) or why that cannot be
/// said. A row that cannot be read is that row's `invalid` answer; a body that is not an array or
/// CSV at all is refused with the byte where it broke.
#[utoipa::path(
    post, path = "/api/v1/regulators/{slug}/verifications", tag = "credits",
    params(("slug" = String, Path, description = "The regulator's slug", example = "dnmc")),
    request_body(content((Vec<BulkRow> = "application/json"), (String = "text/csv"))),
    responses(
        (status = 200, description = "One answer per row",
            content((BulkAnswer = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A body that is not a JSON array or a CSV with those columns",
            body = crate::platform::api::Problem, content_type = "application/problem+json"),
        (status = 415, description = "A body that is neither application/json nor text/csv",
            body = crate::platform::api::Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn bulk_api(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    accounts: web::Data<Accounts>,
    credits: web::Data<Credits>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Page {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let format = match crate::platform::api::media_type(&req).as_str() {
        "application/json" => Format::Json,
        "text/csv" => Format::Csv,
        _ => {
            return Err(AppError::UnsupportedMediaType(
                "send application/json (an array) or text/csv".into(),
            ));
        }
    };
    let name = format!("{slug}-verification.csv");
    match bulk_answer(payload, format, (&credits, &compliance), organisation.id, &name).await? {
        Ok(response) => Ok(response),
        Err(problem) => Err(AppError::BadRequest(problem)),
    }
}

// ----- Audits --------------------------------------------------------------------------------------

async fn audits_page(
    visit: &Visit,
    accounts: &Accounts,
    compliance: &Compliance,
    slug: &str,
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let (organisation, _) = organisation_for(visit, accounts, slug, officer).await?;
    let audits = compliance.audits(organisation.id).await.map_err(into_app_error)?;
    Ok(html(status(&errors), views::audits_page(&visit.chrome(), slug, &audits, values, &errors)))
}

async fn audits(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
) -> Page {
    let values =
        FormFields(vec![("as_of".into(), compliance.today().to_string()), ("percent".into(), "5".into())]);
    audits_page(&visit, &accounts, &compliance, &slug, &values, FormErrors::new()).await
}

async fn start_audit(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    slug: web::Path<String>,
    form: Form,
) -> Page {
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let form = FormFields(form.into_inner());
    let started = compliance
        .start_audit(
            organisation.id,
            actor.account_id,
            form.get("title"),
            date(form.get("as_of")),
            form.get("percent"),
            form.get("seed"),
        )
        .await;
    match started {
        Ok(id) => Ok(see_other(&format!("/orgs/{slug}/audits/{id}"))),
        Err(error) => audits_page(&visit, &accounts, &compliance, &slug, &form, form_error(error)?).await,
    }
}

async fn audit(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    path: web::Path<(String, i32)>,
) -> Page {
    let (slug, id) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let (audit, cases) = compliance.audit(organisation.id, id).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::audit_page(&visit.chrome(), &slug, &audit, &cases)))
}

async fn case_page(
    visit: &Visit,
    accounts: &Accounts,
    compliance: &Compliance,
    (slug, audit, case): (&str, i32, i32),
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let (organisation, _) = organisation_for(visit, accounts, slug, officer).await?;
    let file = compliance.case_file(organisation.id, audit, case).await.map_err(into_app_error)?;
    Ok(html(status(&errors), views::case_page(&visit.chrome(), slug, &file, values, &errors)))
}

async fn audit_case(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    path: web::Path<(String, i32, i32)>,
) -> Page {
    let (slug, audit, case) = path.into_inner();
    case_page(&visit, &accounts, &compliance, (&slug, audit, case), &FormFields::default(), FormErrors::new())
        .await
}

async fn decide_case(
    visit: Visit,
    accounts: web::Data<Accounts>,
    compliance: web::Data<Compliance>,
    path: web::Path<(String, i32, i32)>,
    form: Form,
) -> Page {
    let (slug, audit, case) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, officer).await?;
    let form = FormFields(form.into_inner());
    match compliance
        .decide_case(organisation.id, audit, case, actor.account_id, form.get("outcome"), form.get("note"))
        .await
    {
        Ok(()) => Ok(see_other(&format!("/orgs/{slug}/audits/{audit}?notice=saved"))),
        Err(error) => {
            case_page(&visit, &accounts, &compliance, (&slug, audit, case), &form, form_error(error)?).await
        }
    }
}

// ----- Transcripts and PDFs ----------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct CycleQuery {
    #[serde(rename = "in")]
    day: Option<String>,
}

async fn load_transcript(
    visit: &Visit,
    compliance: &Compliance,
    licence: i32,
    query: &CycleQuery,
) -> Result<super::compliance::Transcript, AppError> {
    let me = visit.require()?.account.id;
    let day = query.day.as_deref().and_then(date);
    compliance.transcript(me, licence, day).await.map_err(into_app_error)
}

async fn transcript(
    visit: Visit,
    compliance: web::Data<Compliance>,
    licence: web::Path<i32>,
    query: web::Query<CycleQuery>,
) -> Page {
    let transcript = load_transcript(&visit, &compliance, *licence, &query).await?;
    Ok(html(StatusCode::OK, views::transcript_page(&visit.chrome(), &transcript)))
}

async fn transcript_csv(
    visit: Visit,
    compliance: web::Data<Compliance>,
    licence: web::Path<i32>,
    query: web::Query<CycleQuery>,
) -> Page {
    let transcript = load_transcript(&visit, &compliance, *licence, &query).await?;
    let (columns, rows) = views::transcript_table(visit.lang, &transcript);
    let mut out = csv::Writer::from_writer(Vec::new());
    spreadsheet::write_row(&mut out, &columns).map_err(AppError::internal)?;
    for row in &rows {
        spreadsheet::write_row(&mut out, row).map_err(AppError::internal)?;
    }
    let body = out.into_inner().map_err(|e| AppError::internal(e.to_string()))?;
    let name =
        format!("transcript-{}-{}.csv", transcript.standing.licence.number, transcript.evaluation.start);
    Ok(private_file("text/csv; charset=utf-8", body, Some(&name)))
}

async fn transcript_pdf(
    visit: Visit,
    compliance: web::Data<Compliance>,
    credits: web::Data<Credits>,
    licence: web::Path<i32>,
    query: web::Query<CycleQuery>,
) -> Page {
    let transcript = load_transcript(&visit, &compliance, *licence, &query).await?;
    let t = visit.lang;
    let (columns, rows) = views::transcript_table(t, &transcript);
    let now = credits.now();
    let (title, subtitle, summary) = (
        t.t("transcript-title"),
        views::transcript_subtitle(t, &transcript),
        views::transcript_summary(t, &transcript),
    );
    let footer = t.ta(
        "transcript-footer",
        &[
            ("date", now.date_naive().to_string().into()),
            ("url", format!("{}/verify", credits.public_base()).into()),
        ],
    );
    // Laying out pages is CPU work: done off the async workers.
    let body = web::block(move || {
        super::pdf::transcript_pdf(&super::pdf::TranscriptPdf {
            lang: t.code(),
            title: &title,
            subtitle,
            summary,
            columns: columns.iter().map(String::as_str).collect(),
            rows,
            footer,
            created: now,
        })
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let name =
        format!("transcript-{}-{}.pdf", transcript.standing.licence.number, transcript.evaluation.start);
    Ok(private_file("application/pdf", body, Some(&name)))
}

/// The learner's certificate as a printable PDF with its QR code (not found for anyone else).
async fn certificate_pdf(visit: Visit, credits: web::Data<Credits>, id: web::Path<String>) -> Page {
    let me = visit.require()?.account.id;
    let view = credits.certificate(&id).await.map_err(into_app_error)?;
    if view.row.account_id != me {
        return Err(AppError::NotFound);
    }
    let Some(summary) = view.verdict.summary().cloned() else {
        return Err(AppError::NotFound);
    };
    let verify_url = credits.qr_url(&view).await.map_err(into_app_error)?;
    let code = qrcode::QrCode::with_error_correction_level(verify_url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::internal(e.to_string()))?;
    let qr = super::pdf::QrModules {
        width: code.width(),
        dark: code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect(),
    };
    let t = visit.lang;
    let mut details = vec![(t.t("certificate-issued"), views::long_date(t, summary.valid_from.date_naive()))];
    if let Some(licence) = &summary.licence_number {
        details.push((t.t("certificate-licence"), licence.clone()));
    }
    if let Some(until) = summary.valid_until {
        details.push((t.t("certificate-expires"), views::long_date(t, until.date_naive())));
    }
    details.push((t.t("certificate-id"), view.row.public_id.clone()));
    let achievement = match &summary.course_version {
        Some(v) => format!("{} (v{v})", summary.achievement_name),
        None => summary.achievement_name.clone(),
    };
    let (title, hint) = (t.t("certificate-pdf-title"), t.t("certificate-pdf-hint"));
    let credits_line = format!("{} · {}", summary.credits, t.t(&format!("category-{}", summary.category)));
    let issuer = summary.issuer_name.clone().unwrap_or_else(|| view.issuer.name.clone());
    let pdf = super::pdf::CertificatePdf {
        lang: t.code(),
        title: &title,
        recipient: &summary.recipient_name,
        achievement: &achievement,
        issuer: &issuer,
        credits_line: &credits_line,
        details: details.iter().map(|(label, value)| (label.as_str(), value.clone())).collect(),
        verify_url: &verify_url,
        verify_hint: &hint,
        qr,
        created: view.row.issued_at,
    };
    let body = super::pdf::certificate_pdf(&pdf).map_err(AppError::internal)?;
    Ok(private_file("application/pdf", body, Some(&format!("certificate-{}.pdf", view.row.public_id))))
}
