//! Mentoring routes: a learner's mentoring, mentor profile and requests; a pair's page and its
//! actions (for the two of them only); an association's programmes and matching rounds (for its
//! admins only).

use super::service::{MentorInput, Mentoring, MentorshipError, RequestInput, parse_wanted};
use super::views;
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::model::Capability;
use crate::accounts::service::Accounts;
use crate::competencies::Competencies;
use crate::error::AppError;
use crate::platform::ui::components::{FormErrors, FormFields};
use crate::platform::ui::respond::{html, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    super::api::routes(cfg);
    cfg.route("/me/mentoring", web::get().to(overview))
        .route("/me/mentoring/mentor", web::get().to(mentor_form))
        .route("/me/mentoring/mentor", web::post().to(save_mentor))
        .route("/me/mentoring/request", web::get().to(request_form))
        .route("/me/mentoring/request", web::post().to(send_request))
        .route("/me/mentoring/requests/{id}/withdraw", web::post().to(withdraw_request))
        .route("/me/mentoring/requests/{id}/now", web::post().to(match_now))
        .route("/mentorships/{id}", web::get().to(show_pair))
        .route("/mentorships/{id}/accept", web::post().to(accept))
        .route("/mentorships/{id}/decline", web::post().to(decline))
        .route("/mentorships/{id}/sessions", web::post().to(log_session))
        .route("/mentorships/{id}/end", web::post().to(end))
        .route("/mentorships/{id}/feedback", web::post().to(feedback))
        .route("/mentorships/{id}/concern", web::post().to(concern))
        .route("/orgs/{slug}/mentoring", web::get().to(programmes))
        .route("/orgs/{slug}/mentoring", web::post().to(create_programme))
        .route("/orgs/{slug}/mentoring/{programme}", web::get().to(show_programme))
        .route("/orgs/{slug}/mentoring/{programme}/rounds", web::post().to(run_round))
        .route("/orgs/{slug}/mentoring/{programme}/rounds/{id}/publish", web::post().to(publish_round))
        .route("/orgs/{slug}/mentoring/{programme}/pairs/{id}/reassign", web::post().to(reassign));
}

type Page = Result<HttpResponse, AppError>;
type Form = web::Form<Vec<(String, String)>>;

pub fn into_app_error(error: MentorshipError) -> AppError {
    match error {
        MentorshipError::NotFound => AppError::NotFound,
        MentorshipError::Invalid { field, message } => AppError::BadRequest(format!("{field}: {message}")),
        MentorshipError::Conflict(message) => AppError::Conflict(message),
        MentorshipError::Competencies(error) => crate::competencies::http::into_app_error(error),
        MentorshipError::Solver(error) => AppError::internal(error),
        MentorshipError::Db(error) => error.into(),
    }
}

/// A rule broken by a form: said beside its field, the form kept; anything else as a status.
fn form_error(error: MentorshipError) -> Result<FormErrors, AppError> {
    match error {
        MentorshipError::Invalid { field, message } => {
            let mut errors = FormErrors::new();
            errors.add(field, message);
            Ok(errors)
        }
        other => Err(into_app_error(other)),
    }
}

fn languages(text: &str) -> Vec<String> {
    text.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase).collect()
}

async fn overview(visit: Visit, mentoring: web::Data<Mentoring>) -> Page {
    let me = visit.require()?.account.id;
    let mentor = mentoring.mentor(me).await.map_err(into_app_error)?;
    let pairs = mentoring.pairs_of(me).await.map_err(into_app_error)?;
    let requests = mentoring.requests_of(me).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::overview_page(&visit.chrome(), mentor.as_ref(), &pairs, &requests, me)))
}

/// The levels the learner's own profile holds (what makes a mentor's offer verified).
async fn held(competencies: &Competencies, account: i32) -> Result<HashMap<String, u32>, AppError> {
    let slug = competencies.default_framework().await.map_err(crate::competencies::http::into_app_error)?;
    let profile =
        competencies.profile(account, &slug).await.map_err(crate::competencies::http::into_app_error)?;
    Ok(profile.holdings.into_iter().filter(|(_, h)| h.level > 0).map(|(code, h)| (code, h.level)).collect())
}

async fn mentor_page(
    visit: &Visit,
    competencies: &Competencies,
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let me = visit.require()?.account.id;
    let slug = competencies.default_framework().await.map_err(crate::competencies::http::into_app_error)?;
    let view =
        competencies.framework(&slug, false).await.map_err(crate::competencies::http::into_app_error)?;
    let held = held(competencies, me).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(html(status, views::mentor_page(&visit.chrome(), &view, values, &held, &errors)))
}

async fn mentor_form(
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    competencies: web::Data<Competencies>,
) -> Page {
    let account = &visit.require()?.account;
    let mut values = Vec::new();
    match mentoring.mentor(account.id).await.map_err(into_app_error)? {
        Some(m) => {
            let p = &m.profile;
            if p.active {
                values.push(("active".to_owned(), "on".to_owned()));
            }
            values.push(("capacity".to_owned(), p.capacity.to_string()));
            values.push(("languages".to_owned(), p.languages.replace(',', ", ")));
            values.extend(p.professions.split(',').map(|x| ("professions".to_owned(), x.to_owned())));
            values.push(("utc_offset_minutes".to_owned(), p.utc_offset_minutes.to_string()));
            if p.remote {
                values.push(("remote".to_owned(), "on".to_owned()));
            }
            if p.in_person {
                values.push(("in_person".to_owned(), "on".to_owned()));
            }
            values.push(("availability".to_owned(), p.availability.clone()));
            values.push(("about".to_owned(), p.about.clone()));
            values.extend(m.offers.iter().map(|o| (format!("offer-{}", o.code), o.level.to_string())));
        }
        None => {
            values.push(("active".to_owned(), "on".to_owned()));
            values.push(("capacity".to_owned(), "3".to_owned()));
            values.push(("languages".to_owned(), account.languages.replace(',', ", ")));
            values.extend(account.profession.iter().map(|p| ("professions".to_owned(), p.clone())));
            values.push(("utc_offset_minutes".to_owned(), "0".to_owned()));
            values.push(("remote".to_owned(), "on".to_owned()));
        }
    }
    mentor_page(&visit, &competencies, &FormFields(values), FormErrors::new()).await
}

async fn save_mentor(
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    competencies: web::Data<Competencies>,
    form: Form,
) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    let offers = form
        .0
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("offer-")?.to_owned(), v.parse().ok()?)))
        .collect();
    let input = MentorInput {
        active: form.get("active") == "on",
        professions: form.all("professions"),
        languages: languages(form.get("languages")),
        utc_offset_minutes: form.get("utc_offset_minutes").parse().unwrap_or(i32::MIN),
        capacity: form.get("capacity").parse().unwrap_or(0),
        remote: form.get("remote") == "on",
        in_person: form.get("in_person") == "on",
        availability: form.get("availability").to_owned(),
        about: form.get("about").to_owned(),
        offers,
    };
    match mentoring.save_mentor(me, input).await {
        Ok(()) => Ok(see_other("/me/mentoring?notice=saved")),
        Err(error) => mentor_page(&visit, &competencies, &form, form_error(error)?).await,
    }
}

async fn request_page(
    visit: &Visit,
    mentoring: &Mentoring,
    competencies: &Competencies,
    suggested: Vec<(String, u32)>,
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let me = visit.require()?.account.id;
    let slug = competencies.default_framework().await.map_err(crate::competencies::http::into_app_error)?;
    let view =
        competencies.framework(&slug, false).await.map_err(crate::competencies::http::into_app_error)?;
    let programmes = mentoring.programmes_for(me).await.map_err(into_app_error)?;
    let offering = mentoring.mentors_offering(&suggested).await.map_err(into_app_error)?;
    let held = held(competencies, me).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = views::request_page(
        &visit.chrome(),
        &programmes,
        &view,
        &suggested,
        &offering,
        &held,
        values,
        &errors,
    );
    Ok(html(status, page))
}

/// `?want=CODE:LEVEL` (repeated) or `?role=` (the learner's gaps for that role) pre-fill it.
async fn request_form(
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    competencies: web::Data<Competencies>,
    query: web::Query<Vec<(String, String)>>,
) -> Page {
    let me = visit.require()?.account.id;
    let mut suggested: Vec<(String, u32)> =
        query.iter().filter(|(k, _)| k == "want").flat_map(|(_, v)| parse_wanted(v)).collect();
    if let Some((_, role)) = query.iter().find(|(k, _)| k == "role") {
        let slug =
            competencies.default_framework().await.map_err(crate::competencies::http::into_app_error)?;
        if let Ok(analysis) = competencies.gaps(me, &slug, role).await {
            suggested.extend(analysis.gaps.into_iter().map(|g| (g.code, g.required)));
        }
    }
    suggested.truncate(super::service::MAX_WANTED);
    let account = &visit.require()?.account;
    let mut values: Vec<(String, String)> =
        suggested.iter().map(|(code, level)| ("want".to_owned(), format!("{code}:{level}"))).collect();
    values.push(("languages".to_owned(), account.languages.replace(',', ", ")));
    values.push(("remote_ok".to_owned(), "on".to_owned()));
    values.push(("utc_offset_minutes".to_owned(), "0".to_owned()));
    request_page(&visit, &mentoring, &competencies, suggested, &FormFields(values), FormErrors::new()).await
}

async fn send_request(
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    competencies: web::Data<Competencies>,
    form: Form,
) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    let wanted: Vec<(String, u32)> = form.all("want").iter().flat_map(|w| parse_wanted(w)).collect();
    let input = RequestInput {
        programme_id: form.get("programme").parse().unwrap_or(0),
        goals: form.get("goals").to_owned(),
        wanted: wanted.clone(),
        languages: languages(form.get("languages")),
        same_profession: form.get("same_profession") == "on",
        same_country: form.get("same_country") == "on",
        remote_ok: form.get("remote_ok") == "on",
        utc_offset_minutes: form.get("utc_offset_minutes").parse().unwrap_or(0),
    };
    match mentoring.request(me, input).await {
        Ok(_) => Ok(see_other("/me/mentoring?notice=requested")),
        Err(error) => {
            request_page(&visit, &mentoring, &competencies, wanted, &form, form_error(error)?).await
        }
    }
}

async fn withdraw_request(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>) -> Page {
    let me = visit.require()?.account.id;
    mentoring.withdraw_request(me, *id).await.map_err(into_app_error)?;
    Ok(see_other("/me/mentoring?notice=request-withdrawn"))
}

async fn match_now(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>) -> Page {
    let me = visit.require()?.account.id;
    match mentoring.match_now(me, *id).await.map_err(into_app_error)? {
        Some(pair) => Ok(see_other(&format!("/mentorships/{pair}"))),
        None => Ok(see_other("/me/mentoring?notice=no-mentor")),
    }
}

async fn pair_page(
    visit: &Visit,
    mentoring: &Mentoring,
    id: i32,
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let me = visit.require()?.account.id;
    let view = mentoring.pair(me, id).await.map_err(into_app_error)?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let today = mentoring.today();
    Ok(html(status, views::pair_page(&visit.chrome(), me, &view, today, values, &errors)))
}

async fn show_pair(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>) -> Page {
    pair_page(&visit, &mentoring, *id, &FormFields::default(), FormErrors::new()).await
}

/// Runs one of a pair's actions: back to the pair's page, or the page again with the problem.
async fn pair_action(
    visit: &Visit,
    mentoring: &Mentoring,
    id: i32,
    form: &FormFields,
    result: Result<(), MentorshipError>,
) -> Page {
    match result {
        Ok(()) => Ok(see_other(&format!("/mentorships/{id}"))),
        Err(error) => pair_page(visit, mentoring, id, form, form_error(error)?).await,
    }
}

async fn accept(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>) -> Page {
    let me = visit.require()?.account.id;
    let result = mentoring.accept(me, *id).await;
    pair_action(&visit, &mentoring, *id, &FormFields::default(), result).await
}

async fn decline(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>, form: Form) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    match mentoring.decline(me, *id, form.get("reason")).await {
        Ok(_) => Ok(see_other("/me/mentoring?notice=pair-declined")),
        Err(error) => pair_page(&visit, &mentoring, *id, &form, form_error(error)?).await,
    }
}

async fn log_session(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>, form: Form) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    let held_on = chrono::NaiveDate::parse_from_str(form.get("held_on"), "%Y-%m-%d").ok();
    let minutes = form.get("minutes").trim().parse().unwrap_or(0);
    let result =
        mentoring.log_session(me, *id, held_on, minutes, form.get("topics"), form.get("notes")).await;
    pair_action(&visit, &mentoring, *id, &form, result).await
}

async fn end(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>, form: Form) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    let result = mentoring.end(me, *id, form.get("end_reason")).await;
    pair_action(&visit, &mentoring, *id, &form, result).await
}

async fn feedback(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>, form: Form) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    let result = mentoring.feedback(me, *id, form.get("feedback")).await;
    pair_action(&visit, &mentoring, *id, &form, result).await
}

async fn concern(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>, form: Form) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    let result = mentoring.report(me, *id, form.get("concern")).await;
    pair_action(&visit, &mentoring, *id, &form, result).await
}

// ----- An association's programmes -------------------------------------------------------------

pub(super) fn runs(organisation_id: i32) -> Capability {
    Capability::RunMentoring { organisation_id }
}

async fn programmes_page(
    visit: &Visit,
    accounts: &Accounts,
    mentoring: &Mentoring,
    slug: &str,
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let (organisation, _) = organisation_for(visit, accounts, slug, runs).await?;
    let programmes = mentoring.programmes(organisation.id).await.map_err(into_app_error)?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(html(status, views::programmes_page(&visit.chrome(), slug, &programmes, values, &errors)))
}

async fn programmes(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    slug: web::Path<String>,
) -> Page {
    programmes_page(&visit, &accounts, &mentoring, &slug, &FormFields::default(), FormErrors::new()).await
}

async fn create_programme(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    slug: web::Path<String>,
    form: Form,
) -> Page {
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, runs).await?;
    let form = FormFields(form.into_inner());
    let deadline = match form.get("deadline") {
        "" => None,
        text => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                let mut errors = FormErrors::new();
                errors.add("deadline", "give the date as YYYY-MM-DD");
                return programmes_page(&visit, &accounts, &mentoring, &slug, &form, errors).await;
            }
        },
    };
    let created = mentoring
        .create_programme(
            organisation.id,
            actor.account_id,
            form.get("title"),
            form.get("description"),
            deadline,
            form.get("instant") == "on",
        )
        .await;
    match created {
        Ok(programme) => Ok(see_other(&format!("/orgs/{slug}/mentoring/{programme}"))),
        Err(error) => programmes_page(&visit, &accounts, &mentoring, &slug, &form, form_error(error)?).await,
    }
}

async fn programme_page(
    visit: &Visit,
    accounts: &Accounts,
    mentoring: &Mentoring,
    (slug, programme): (&str, &str),
    errors: FormErrors,
) -> Page {
    let (organisation, _) = organisation_for(visit, accounts, slug, runs).await?;
    let programme = mentoring.programme(organisation.id, programme).await.map_err(into_app_error)?;
    let view = mentoring.programme_view(programme).await.map_err(into_app_error)?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(html(status, views::programme_page(&visit.chrome(), slug, &view, &errors)))
}

async fn show_programme(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    path: web::Path<(String, String)>,
) -> Page {
    programme_page(&visit, &accounts, &mentoring, (&path.0, &path.1), FormErrors::new()).await
}

async fn run_round(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    path: web::Path<(String, String)>,
) -> Page {
    let (slug, programme) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, runs).await?;
    let programme = mentoring.programme(organisation.id, &programme).await.map_err(into_app_error)?;
    mentoring.run_round(&programme, actor.account_id).await.map_err(into_app_error)?;
    Ok(see_other(&format!("/orgs/{slug}/mentoring/{}", programme.slug)))
}

async fn publish_round(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    path: web::Path<(String, String, i32)>,
) -> Page {
    let (slug, programme, round) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, runs).await?;
    let programme = mentoring.programme(organisation.id, &programme).await.map_err(into_app_error)?;
    mentoring.publish_round(&programme, round).await.map_err(into_app_error)?;
    Ok(see_other(&format!("/orgs/{slug}/mentoring/{}?notice=round-published", programme.slug)))
}

async fn reassign(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    path: web::Path<(String, String, i32)>,
    form: Form,
) -> Page {
    let (slug, programme_slug, pair) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, runs).await?;
    let programme = mentoring.programme(organisation.id, &programme_slug).await.map_err(into_app_error)?;
    let form = FormFields(form.into_inner());
    let mentor = form.get("mentor").parse().unwrap_or(0);
    match mentoring.reassign(&programme, pair, mentor).await {
        Ok(()) => Ok(see_other(&format!("/orgs/{slug}/mentoring/{programme_slug}"))),
        Err(error) => {
            programme_page(&visit, &accounts, &mentoring, (&slug, &programme_slug), form_error(error)?).await
        }
    }
}
