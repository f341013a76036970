//! Credit routes: a learner's ledger and outside activities; an association's accreditations
//! and review queue (its reviewers only).

use super::service::{AccreditationInput, ActivityInput, Credits, CreditsError, parse_credits};
use super::views;
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::model::Capability;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::ui::components::{FormErrors, FormFields};
use crate::platform::ui::respond::{html, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/credits", web::get().to(ledger))
        .route("/me/credits/activities", web::post().to(report_activity))
        .route("/orgs/{slug}/accreditations", web::get().to(accreditations))
        .route("/orgs/{slug}/accreditations", web::post().to(accredit))
        .route("/orgs/{slug}/activities", web::get().to(review_queue))
        .route("/orgs/{slug}/activities/{id}/approve", web::post().to(approve))
        .route("/orgs/{slug}/activities/{id}/reject", web::post().to(reject));
}

type Page = Result<HttpResponse, AppError>;
type Form = web::Form<Vec<(String, String)>>;

pub fn into_app_error(error: CreditsError) -> AppError {
    match error {
        CreditsError::NotFound => AppError::NotFound,
        CreditsError::Invalid { field, message } => AppError::BadRequest(format!("{field}: {message}")),
        CreditsError::Conflict(message) => AppError::Conflict(message),
        CreditsError::Db(error) => error.into(),
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

async fn ledger_page(visit: &Visit, credits: &Credits, values: &FormFields, errors: FormErrors) -> Page {
    let me = visit.require()?.account.id;
    let entries = credits.entries(me).await.map_err(into_app_error)?;
    let activities = credits.activities_of(me).await.map_err(into_app_error)?;
    let associations = credits.associations().await.map_err(into_app_error)?;
    let page = views::ledger_page(&visit.chrome(), &entries, &activities, &associations, values, &errors);
    Ok(html(status(&errors), page))
}

/// The activity form may come pre-filled (`?kind=mentoring&title=…&credits=…&held_on=…`), as
/// a mentorship's page links it to turn logged hours into CPD credits.
async fn ledger(visit: Visit, credits: web::Data<Credits>, query: web::Query<Vec<(String, String)>>) -> Page {
    const PREFILL: [&str; 5] = ["kind", "title", "credits", "held_on", "category"];
    let values = query.into_inner().into_iter().filter(|(k, _)| PREFILL.contains(&k.as_str())).collect();
    ledger_page(&visit, &credits, &FormFields(values), FormErrors::new()).await
}

async fn report_activity(visit: Visit, credits: web::Data<Credits>, form: Form) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    let input = ActivityInput {
        organisation_id: form.get("organisation").parse().unwrap_or(0),
        kind: form.get("kind").to_owned(),
        title: form.get("title").to_owned(),
        held_on: date(form.get("held_on")),
        credits: parse_credits(form.get("credits")),
        category: form.get("category").to_owned(),
        description: form.get("description").to_owned(),
    };
    match credits.report_activity(me, input).await {
        Ok(_) => Ok(see_other("/me/credits?notice=activity-reported")),
        Err(error) => ledger_page(&visit, &credits, &form, form_error(error)?).await,
    }
}

fn reviews(organisation_id: i32) -> Capability {
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
