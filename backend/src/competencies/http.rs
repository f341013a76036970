//! Competency routes: public frameworks; a learner's profile, gaps, self-assessment and
//! sharing; observations; association authoring and workforce gaps; and the JSON API.

use super::framework::{self, FrameworkSpec};
use super::service::{Competencies, CompetenciesError, EVIDENCE_FILE_LIMIT, NewObservation, Profile};
use super::views::{self, CHECKLIST, ObservationForm, OwnerParts};
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::model::{Capability, authorize};
use crate::accounts::service::Accounts;
use crate::courses::package::Problem;
use crate::error::AppError;
use crate::platform::ui::components::{FormErrors, FormFields};
use crate::platform::ui::respond::{html, private_file, see_other};
use crate::platform::ui::upload::FormWithFile;
use crate::search::Search;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use lantern_search::{Filters, Request};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes(cfg: &mut web::ServiceConfig) {
    super::frameworks_api::routes(cfg);
    cfg.route("/frameworks", web::get().to(list_frameworks))
        .route("/frameworks/{slug}", web::get().to(show_framework))
        .route("/me/competencies", web::get().to(my_profile))
        .route("/me/competencies/gaps", web::get().to(my_gaps))
        .route("/me/competencies/self", web::post().to(assess_self))
        .route("/me/competencies/shares", web::post().to(share_profile))
        .route("/me/competencies/shares/{id}/revoke", web::post().to(revoke_share))
        .route("/people/{id}/competencies", web::get().to(shared_profile))
        .route("/observations", web::get().to(observations))
        .route("/observations", web::post().to(record_observation))
        .route("/observations/{id}/sign", web::post().to(sign_observation))
        .route("/observations/{id}/decline", web::post().to(decline_observation))
        .route("/observations/{id}/file", web::get().to(observation_file))
        .route("/evidence/{id}/file", web::get().to(evidence_file))
        .route("/orgs/{slug}/frameworks", web::get().to(organisation_frameworks))
        .route("/orgs/{slug}/frameworks", web::post().to(import_framework))
        .route("/orgs/{slug}/frameworks/{framework}/draft", web::get().to(edit_framework))
        .route("/orgs/{slug}/frameworks/{framework}/draft", web::post().to(save_framework))
        .route("/orgs/{slug}/frameworks/{framework}/publish", web::post().to(publish_framework))
        .route("/orgs/{slug}/workforce", web::get().to(workforce))
        .route("/api/v1/frameworks", web::get().to(api_frameworks))
        .route("/api/v1/frameworks/{slug}", web::get().to(api_framework))
        .route("/api/v1/me/competencies", web::get().to(api_profile))
        .route("/api/v1/me/competencies/self", web::post().to(api_assess_self))
        .route("/api/v1/me/competencies/observations/{id}/sign", web::post().to(api_sign_observation))
        .route("/api/v1/me/competencies/observations/{id}/decline", web::post().to(api_decline_observation))
        .route("/api/v1/me/gaps", web::get().to(api_gaps));
}

type Page = Result<HttpResponse, AppError>;

pub fn into_app_error(error: CompetenciesError) -> AppError {
    match error {
        CompetenciesError::NotFound => AppError::NotFound,
        CompetenciesError::Invalid { field, message } => AppError::BadRequest(format!("{field}: {message}")),
        CompetenciesError::Framework(problems) => {
            AppError::BadRequest(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
        }
        CompetenciesError::Db(error) => error.into(),
        CompetenciesError::Storage(error) => AppError::internal(error),
    }
}

/// `?framework=&role=`; an empty framework is the default one.
#[derive(Debug, Default, Deserialize)]
struct Choice {
    #[serde(default)]
    framework: String,
    #[serde(default)]
    role: String,
}

async fn framework_slug(competencies: &Competencies, chosen: &str) -> Result<String, AppError> {
    if chosen.is_empty() {
        competencies.default_framework().await.map_err(into_app_error)
    } else {
        Ok(chosen.to_owned())
    }
}

async fn list_frameworks(visit: Visit, competencies: web::Data<Competencies>) -> Page {
    let list = competencies.frameworks(None).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::frameworks_page(&visit.chrome(), &list)))
}

async fn show_framework(
    visit: Visit,
    competencies: web::Data<Competencies>,
    slug: web::Path<String>,
) -> Page {
    let view = competencies.framework(&slug, false).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::framework_page(&visit.chrome(), &view)))
}

/// The owner's profile page, with `errors` from a form they sent (422) or none (200).
async fn owner_profile(
    visit: &Visit,
    competencies: &Competencies,
    framework: &str,
    errors: FormErrors,
) -> Page {
    let account = visit.require()?.account.id;
    let slug = framework_slug(competencies, framework).await?;
    let profile = competencies.profile(account, &slug).await.map_err(into_app_error)?;
    let pending: Vec<_> = competencies
        .observations(account, true)
        .await
        .map_err(into_app_error)?
        .into_iter()
        .filter(|o| o.observation.learner_signed_at.is_none() && o.observation.declined_at.is_none())
        .collect();
    let shares = competencies.shares(account).await.map_err(into_app_error)?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let owner = OwnerParts { pending: &pending, shares: &shares, errors: &errors };
    Ok(html(status, views::profile_page(&visit.chrome(), &profile, Some(owner))))
}

async fn my_profile(visit: Visit, competencies: web::Data<Competencies>, choice: web::Query<Choice>) -> Page {
    owner_profile(&visit, &competencies, &choice.framework, FormErrors::new()).await
}

/// Up to three courses that teach each gap, found through search in the learner's language.
async fn suggestions(search: &Search, language: &str, codes: &[String]) -> Vec<Vec<views::Suggestion>> {
    let lookups = codes.iter().map(|code| async move {
        let request = Request {
            language: language.to_owned(),
            filters: Filters { competency: code.clone(), kind: "course".into(), ..Filters::default() },
            limit: 3,
            ..Request::default()
        };
        let found = search.search(request).await.map(|r| r.hits).unwrap_or_default();
        found.into_iter().map(|h| (h.title, h.url)).collect()
    });
    // The lookups run side by side on the blocking pool.
    futures_util::future::join_all(lookups).await
}

async fn my_gaps(
    visit: Visit,
    competencies: web::Data<Competencies>,
    search: web::Data<Search>,
    choice: web::Query<Choice>,
) -> Page {
    let account = visit.require()?.account.id;
    let slug = framework_slug(&competencies, &choice.framework).await?;
    let analysis = competencies.gaps(account, &slug, &choice.role).await.map_err(into_app_error)?;
    let codes: Vec<String> = analysis.gaps.iter().map(|g| g.code.clone()).collect();
    let chrome = visit.chrome();
    let found = suggestions(&search, chrome.lang.code(), &codes).await;
    Ok(html(StatusCode::OK, views::gaps_page(&chrome, &analysis, &found)))
}

/// A service's refusal of a form, as an error beside its field; anything else passes through.
fn form_error(error: CompetenciesError) -> Result<FormErrors, AppError> {
    match error {
        CompetenciesError::Invalid { field, message } => {
            let mut errors = FormErrors::new();
            errors.add(field, message);
            Ok(errors)
        }
        other => Err(into_app_error(other)),
    }
}

/// A self-rating, with a file if one was chosen. The visitor is known before the body is read.
async fn assess_self(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    competencies: web::Data<Competencies>,
) -> Page {
    let account = visit.require()?.account.id;
    let FormWithFile { fields: form, file } =
        FormWithFile::read(&req, payload, "file", EVIDENCE_FILE_LIMIT).await?;
    let slug = framework_slug(&competencies, form.get("framework")).await?;
    let level = form.get("level").parse().unwrap_or(0);
    match competencies.assess_self(account, &slug, form.get("code"), level, file.as_ref()).await {
        Ok(()) => Ok(see_other(&format!("/me/competencies?framework={slug}&notice=saved"))),
        Err(error) => owner_profile(&visit, &competencies, &slug, form_error(error)?).await,
    }
}

async fn share_profile(
    visit: Visit,
    competencies: web::Data<Competencies>,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let form = FormFields(form.into_inner());
    let account = visit.require()?.account.id;
    match competencies.share(account, form.get("email")).await {
        Ok(()) => Ok(see_other("/me/competencies?notice=shared")),
        Err(error) => owner_profile(&visit, &competencies, "", form_error(error)?).await,
    }
}

async fn revoke_share(visit: Visit, competencies: web::Data<Competencies>, id: web::Path<i32>) -> Page {
    let account = visit.require()?.account.id;
    competencies.revoke(account, *id).await.map_err(into_app_error)?;
    Ok(see_other("/me/competencies?notice=unshared"))
}

/// Someone else's profile: only with their consent (not found otherwise, to say nothing).
async fn shared_profile(
    visit: Visit,
    competencies: web::Data<Competencies>,
    id: web::Path<i32>,
    choice: web::Query<Choice>,
) -> Page {
    let viewer = visit.require()?.account.id;
    if !competencies.may_view(viewer, *id).await.map_err(into_app_error)? {
        return Err(AppError::NotFound);
    }
    let slug = framework_slug(&competencies, &choice.framework).await?;
    let profile = competencies.profile(*id, &slug).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::profile_page(&visit.chrome(), &profile, None)))
}

async fn observation_page(
    visit: &Visit,
    competencies: &Competencies,
    values: &FormFields,
    errors: FormErrors,
) -> Page {
    let account = visit.require()?.account.id;
    let framework = match competencies.default_framework().await {
        Ok(slug) => Some(competencies.framework(&slug, false).await.map_err(into_app_error)?),
        Err(CompetenciesError::NotFound) => None,
        Err(error) => return Err(into_app_error(error)),
    };
    let recorded = competencies.observations(account, false).await.map_err(into_app_error)?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let form = ObservationForm { framework: framework.as_ref(), values, errors: &errors };
    Ok(html(status, views::observations_page(&visit.chrome(), &form, &recorded)))
}

/// `?learner=` fills in whom the observation is of (a mentor's link from a pair's page).
async fn observations(
    visit: Visit,
    competencies: web::Data<Competencies>,
    query: web::Query<Vec<(String, String)>>,
) -> Page {
    let learner = query.iter().find(|(k, _)| k == "learner").map(|(_, v)| v.clone()).unwrap_or_default();
    let values = FormFields(vec![("learner".to_owned(), learner)]);
    observation_page(&visit, &competencies, &values, FormErrors::new()).await
}

async fn record_observation(
    req: HttpRequest,
    payload: web::Payload,
    visit: Visit,
    competencies: web::Data<Competencies>,
) -> Page {
    let observer = visit.require()?.account.id;
    let FormWithFile { fields: form, file } =
        FormWithFile::read(&req, payload, "file", EVIDENCE_FILE_LIMIT).await?;
    let lang = visit.chrome().lang;
    let done = form.all("done");
    let new = NewObservation {
        learner_email: form.get("learner").to_owned(),
        framework: form.get("framework").to_owned(),
        code: form.get("code").to_owned(),
        level: form.get("level").parse().unwrap_or(0),
        checklist: CHECKLIST.iter().map(|key| (lang.t(key), done.iter().any(|d| d == key))).collect(),
        notes: form.get("notes").to_owned(),
        setting: form.get("setting").to_owned(),
        observed_on: chrono::NaiveDate::parse_from_str(form.get("observed_on"), "%Y-%m-%d").ok(),
        file,
    };
    match competencies.observe(observer, new).await {
        Ok(_) => Ok(see_other("/observations?notice=observation-recorded")),
        Err(error) => observation_page(&visit, &competencies, &form, form_error(error)?).await,
    }
}

async fn answer(
    visit: Visit,
    competencies: web::Data<Competencies>,
    id: web::Path<i32>,
    agree: bool,
) -> Page {
    let learner = visit.require()?.account.id;
    competencies.answer_observation(learner, *id, agree).await.map_err(into_app_error)?;
    let notice = if agree { "observation-signed" } else { "observation-declined" };
    Ok(see_other(&format!("/me/competencies?notice={notice}")))
}

/// The file an observation carries: for its learner and its observer.
async fn observation_file(visit: Visit, competencies: web::Data<Competencies>, id: web::Path<i32>) -> Page {
    let viewer = visit.require()?.account.id;
    let file = competencies.observation_file(viewer, *id).await.map_err(into_app_error)?;
    Ok(attachment(file))
}

/// The file a piece of evidence carries: for its learner and those they share their profile with.
async fn evidence_file(visit: Visit, competencies: web::Data<Competencies>, id: web::Path<i32>) -> Page {
    let viewer = visit.require()?.account.id;
    let file = competencies.evidence_file(viewer, *id).await.map_err(into_app_error)?;
    Ok(attachment(file))
}

fn attachment((content_type, bytes): (String, Vec<u8>)) -> HttpResponse {
    private_file(&content_type, bytes, None)
}

async fn sign_observation(visit: Visit, competencies: web::Data<Competencies>, id: web::Path<i32>) -> Page {
    answer(visit, competencies, id, true).await
}

async fn decline_observation(
    visit: Visit,
    competencies: web::Data<Competencies>,
    id: web::Path<i32>,
) -> Page {
    answer(visit, competencies, id, false).await
}

// ----- Association authoring --------------------------------------------------------------------

pub(super) fn author(organisation_id: i32) -> Capability {
    Capability::AuthorFor { organisation_id }
}

pub(super) fn reviewer(organisation_id: i32) -> Capability {
    Capability::ReviewFor { organisation_id }
}

fn workforce_viewer(organisation_id: i32) -> Capability {
    Capability::SeeWorkforce { organisation_id }
}

/// Reads posted framework text: CSV when its first line is the CSV header, else JSON.
fn parse_text(text: &str) -> Result<FrameworkSpec, Vec<Problem>> {
    let name = if text.trim_start().starts_with("kind,") { "framework.csv" } else { "framework.json" };
    framework::parse(name, text)
}

async fn organisation_frameworks(
    visit: Visit,
    accounts: web::Data<Accounts>,
    competencies: web::Data<Competencies>,
    slug: web::Path<String>,
) -> Page {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, author).await?;
    let list = competencies.frameworks(Some(organisation.id)).await.map_err(into_app_error)?;
    Ok(html(
        StatusCode::OK,
        views::organisation_frameworks_page(&visit.chrome(), &organisation.slug, &list, "", &[]),
    ))
}

/// Imports posted text as a draft of its framework, which must belong to this association.
pub(super) async fn save_text(
    competencies: &Competencies,
    organisation: &crate::accounts::entity::organisation::Model,
    actor: i32,
    text: &str,
    expected_slug: Option<&str>,
) -> Result<Result<String, Vec<Problem>>, AppError> {
    let spec = match parse_text(text) {
        Ok(spec) => spec,
        Err(problems) => return Ok(Err(problems)),
    };
    let mismatch = |message: String| Ok(Err(vec![Problem { file: "framework".into(), line: 0, message }]));
    if spec.association != organisation.slug {
        return mismatch(format!("association: this page imports frameworks of \"{}\"", organisation.slug));
    }
    if let Some(expected) = expected_slug.filter(|e| *e != spec.slug) {
        return mismatch(format!(
            "slug: this page edits \"{expected}\"; change the slug on the frameworks page"
        ));
    }
    match competencies.import(&spec, Some(actor), false).await {
        Ok(_) => Ok(Ok(spec.slug)),
        Err(CompetenciesError::Framework(problems)) => Ok(Err(problems)),
        Err(error) => Err(into_app_error(error)),
    }
}

async fn import_framework(
    visit: Visit,
    accounts: web::Data<Accounts>,
    competencies: web::Data<Competencies>,
    slug: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let form = FormFields(form.into_inner());
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, author).await?;
    let text = form.get("text");
    match save_text(&competencies, &organisation, actor.account_id, text, None).await? {
        Ok(framework) => {
            Ok(see_other(&format!("/orgs/{}/frameworks/{framework}/draft?notice=saved", organisation.slug)))
        }
        Err(problems) => {
            let list = competencies.frameworks(Some(organisation.id)).await.map_err(into_app_error)?;
            let page = views::organisation_frameworks_page(
                &visit.chrome(),
                &organisation.slug,
                &list,
                text,
                &problems,
            );
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}

async fn editor(
    visit: &Visit,
    accounts: &Accounts,
    competencies: &Competencies,
    (slug, framework): &(String, String),
    text: Option<&str>,
    problems: &[Problem],
) -> Page {
    let (organisation, actor) = organisation_for(visit, accounts, slug, author).await?;
    if competencies.organisation_of(framework).await.map_err(into_app_error)? != organisation.id {
        return Err(AppError::NotFound);
    }
    let draft = competencies.framework(framework, true).await.ok();
    let current = match &draft {
        Some(draft) => Some(draft.clone()),
        None => competencies.framework(framework, false).await.ok(),
    };
    let text = match text {
        Some(text) => text.to_owned(),
        None => current.map(|v| framework::to_csv(&v.spec)).unwrap_or_default(),
    };
    let can_publish = authorize(&actor, reviewer(organisation.id));
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = views::framework_editor_page(
        &visit.chrome(),
        &organisation.slug,
        framework,
        &text,
        draft.as_ref(),
        can_publish,
        problems,
    );
    Ok(html(status, page))
}

async fn edit_framework(
    visit: Visit,
    accounts: web::Data<Accounts>,
    competencies: web::Data<Competencies>,
    path: web::Path<(String, String)>,
) -> Page {
    editor(&visit, &accounts, &competencies, &path, None, &[]).await
}

async fn save_framework(
    visit: Visit,
    accounts: web::Data<Accounts>,
    competencies: web::Data<Competencies>,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let form = FormFields(form.into_inner());
    let (organisation, actor) = organisation_for(&visit, &accounts, &path.0, author).await?;
    if competencies.organisation_of(&path.1).await.map_err(into_app_error)? != organisation.id {
        return Err(AppError::NotFound);
    }
    let text = form.get("text");
    match save_text(&competencies, &organisation, actor.account_id, text, Some(&path.1)).await? {
        Ok(framework) => {
            Ok(see_other(&format!("/orgs/{}/frameworks/{framework}/draft?notice=saved", organisation.slug)))
        }
        Err(problems) => editor(&visit, &accounts, &competencies, &path, Some(text), &problems).await,
    }
}

async fn publish_framework(
    visit: Visit,
    accounts: web::Data<Accounts>,
    competencies: web::Data<Competencies>,
    path: web::Path<(String, String)>,
) -> Page {
    let (organisation, _) = organisation_for(&visit, &accounts, &path.0, reviewer).await?;
    if competencies.organisation_of(&path.1).await.map_err(into_app_error)? != organisation.id {
        return Err(AppError::NotFound);
    }
    match competencies.publish_draft(&path.1).await {
        Ok(_) => Ok(see_other(&format!("/frameworks/{}?notice=framework-published", path.1))),
        Err(CompetenciesError::Invalid { message, .. }) => Err(AppError::Conflict(message)),
        Err(error) => Err(into_app_error(error)),
    }
}

async fn workforce(
    visit: Visit,
    accounts: web::Data<Accounts>,
    competencies: web::Data<Competencies>,
    slug: web::Path<String>,
    choice: web::Query<Choice>,
) -> Page {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, workforce_viewer).await?;
    let framework = framework_slug(&competencies, &choice.framework).await?;
    let view = competencies.framework(&framework, false).await.map_err(into_app_error)?;
    let gaps = if choice.role.is_empty() {
        None
    } else {
        Some(
            competencies
                .workforce_gaps(organisation.id, &framework, &choice.role)
                .await
                .map_err(into_app_error)?,
        )
    };
    Ok(html(StatusCode::OK, views::workforce_page(&visit.chrome(), &organisation.slug, &view, gaps.as_ref())))
}

// ----- JSON ---------------------------------------------------------------------------------------

/// A published framework.
#[derive(Serialize, ToSchema)]
pub struct FrameworkItem {
    pub slug: String,
    pub title: String,
    pub organisation: String,
    /// How many competencies it names.
    pub competencies: usize,
    /// Its published version's number.
    pub version: Option<i32>,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct FrameworkList {
    pub frameworks: Vec<FrameworkItem>,
}

/// Published competency frameworks, by slug.
#[utoipa::path(
    get, path = "/api/v1/frameworks", tag = "competencies",
    responses((status = 200, description = "The frameworks", body = FrameworkList)),
    security(()),
)]
pub(crate) async fn api_frameworks(competencies: web::Data<Competencies>) -> Page {
    let list = competencies.frameworks(None).await.map_err(into_app_error)?;
    let frameworks = list
        .into_iter()
        .map(|f| FrameworkItem {
            url: format!("/api/v1/frameworks/{}", f.slug),
            slug: f.slug,
            title: f.title,
            organisation: f.organisation,
            competencies: f.competencies,
            version: f.published_version,
        })
        .collect();
    Ok(HttpResponse::Ok().json(FrameworkList { frameworks }))
}

#[derive(Serialize, ToSchema)]
pub struct FrameworkDetail {
    pub version: i32,
    /// The framework as its JSON import file states it: domains, competencies with their levels,
    /// and roles with the levels they require.
    #[schema(value_type = Object)]
    pub framework: FrameworkSpec,
}

/// A published framework in full.
#[utoipa::path(
    get, path = "/api/v1/frameworks/{slug}", tag = "competencies",
    params(("slug" = String, Path, description = "The framework's slug",
        example = "primary-care-nursing-midwifery")),
    responses((status = 200, description = "The framework", body = FrameworkDetail)),
    security(()),
)]
pub(crate) async fn api_framework(competencies: web::Data<Competencies>, slug: web::Path<String>) -> Page {
    let view = competencies.framework(&slug, false).await.map_err(into_app_error)?;
    Ok(HttpResponse::Ok().json(FrameworkDetail { version: view.number, framework: view.spec }))
}

/// The evidence that sets a competency's level.
#[derive(Serialize, ToSchema)]
pub struct EvidenceItem {
    /// `course`, `quiz`, `observation` or `self`.
    pub kind: String,
    pub level: u32,
    pub source: String,
    pub occurred_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct HoldingItem {
    pub code: String,
    pub title: String,
    pub domain: String,
    /// The level held (0: none).
    pub level: u32,
    pub set_by: Option<EvidenceItem>,
    /// When the evidence that sets the level expires.
    pub lapses_at: Option<DateTime<Utc>>,
    /// The learner's own rating: shown, never counted.
    pub self_rated: Option<u32>,
    /// Pieces of evidence recorded.
    pub evidence: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ProfileBody {
    pub framework: String,
    pub version: i32,
    /// How a level is decided.
    pub rule: String,
    pub competencies: Vec<HoldingItem>,
}

fn profile_body(profile: &Profile) -> ProfileBody {
    let competencies = profile
        .framework
        .spec
        .competencies()
        .map(|(domain, c)| {
            let holding = profile.holdings.get(&c.code);
            let set_by = holding.and_then(|h| h.set_by.as_ref()).map(|e| EvidenceItem {
                kind: e.kind.as_str().to_owned(),
                level: e.level,
                source: e.source.clone(),
                occurred_at: e.occurred_at,
                expires_at: e.expires_at,
            });
            HoldingItem {
                code: c.code.clone(),
                title: c.title.clone(),
                domain: domain.code.clone(),
                level: holding.map_or(0, |h| h.level),
                set_by,
                lapses_at: holding.and_then(|h| h.lapses_at),
                self_rated: holding.and_then(|h| h.self_rated),
                evidence: holding.map_or(0, |h| h.evidence.len()),
            }
        })
        .collect();
    ProfileBody {
        framework: profile.framework.spec.slug.clone(),
        version: profile.framework.number,
        rule: "highest level shown by unexpired course, quiz or co-signed observation evidence; \
               self-assessment is shown, never counted"
            .to_owned(),
        competencies,
    }
}

/// `?framework=&role=`
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FrameworkChoice {
    /// A framework's slug; the default framework when absent.
    framework: Option<String>,
}

/// `?framework=&role=`
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct RoleChoice {
    /// A framework's slug; the default framework when absent.
    framework: Option<String>,
    /// A role of the framework, whose required levels are compared.
    #[param(example = "rural-midwife")]
    role: String,
}

/// The caller's competencies in a framework, each with the level their evidence shows.
#[utoipa::path(
    get, path = "/api/v1/me/competencies", tag = "competencies",
    params(FrameworkChoice),
    responses(
        (status = 200, description = "The caller's profile", body = ProfileBody),
        (status = 404, description = "No published framework by that slug", body = crate::platform::api::Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_profile(
    visit: Visit,
    competencies: web::Data<Competencies>,
    choice: web::Query<FrameworkChoice>,
) -> Page {
    let account = visit.require()?.account.id;
    let slug = framework_slug(&competencies, choice.framework.as_deref().unwrap_or_default()).await?;
    let profile = competencies.profile(account, &slug).await.map_err(into_app_error)?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(profile_body(&profile)))
}

/// A self-rating of one competency.
#[derive(Deserialize, ToSchema)]
pub struct SelfAssessment {
    /// A framework's slug; the default framework when absent.
    pub framework: Option<String>,
    #[schema(example = "IPC.1")]
    pub code: String,
    /// 1 to the framework's highest level.
    #[schema(example = 2)]
    pub level: u32,
}

/// Rates one of the caller's competencies themselves.
///
/// Shown on their profile beside the evidence, never counted as evidence. Answers the profile.
#[utoipa::path(
    post, path = "/api/v1/me/competencies/self", tag = "competencies",
    request_body(content = SelfAssessment, content_type = "application/json"),
    responses(
        (status = 200, description = "The caller's profile", body = ProfileBody),
        (status = 400, description = "Not a competency or level of the framework; the detail names the field",
            body = crate::platform::api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No published framework by that slug", body = crate::platform::api::Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_assess_self(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    competencies: web::Data<Competencies>,
) -> Page {
    let account = visit.require()?.account.id;
    let rating: SelfAssessment = crate::platform::api::json_body(&req, &body)?;
    let slug = framework_slug(&competencies, rating.framework.as_deref().unwrap_or_default()).await?;
    competencies
        .assess_self(account, &slug, &rating.code, rating.level, None)
        .await
        .map_err(into_app_error)?;
    let profile = competencies.profile(account, &slug).await.map_err(into_app_error)?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(profile_body(&profile)))
}

/// Signs an observation a colleague recorded of the caller: it counts as evidence from then on.
#[utoipa::path(
    post, path = "/api/v1/me/competencies/observations/{id}/sign", tag = "competencies",
    params(("id" = i32, Path, description = "The observation's id")),
    responses(
        (status = 204, description = "Signed, or answered already: answering again changes nothing"),
    ),
)]
pub(crate) async fn api_sign_observation(
    visit: Visit,
    competencies: web::Data<Competencies>,
    id: web::Path<i32>,
) -> Page {
    api_answer(&visit, &competencies, *id, true).await
}

/// Declines an observation a colleague recorded of the caller: it never counts.
#[utoipa::path(
    post, path = "/api/v1/me/competencies/observations/{id}/decline", tag = "competencies",
    params(("id" = i32, Path, description = "The observation's id")),
    responses(
        (status = 204, description = "Declined, or answered already: answering again changes nothing"),
    ),
)]
pub(crate) async fn api_decline_observation(
    visit: Visit,
    competencies: web::Data<Competencies>,
    id: web::Path<i32>,
) -> Page {
    api_answer(&visit, &competencies, *id, false).await
}

async fn api_answer(visit: &Visit, competencies: &Competencies, id: i32, agree: bool) -> Page {
    let learner = visit.require()?.account.id;
    competencies.answer_observation(learner, id, agree).await.map_err(into_app_error)?;
    Ok(HttpResponse::NoContent().finish())
}

/// A competency the caller holds below what the role requires.
#[derive(Serialize, ToSchema)]
pub struct GapItem {
    pub code: String,
    pub title: String,
    pub required: u32,
    pub held: u32,
    /// A search for courses that build it.
    pub courses: String,
}

#[derive(Serialize, ToSchema)]
pub struct GapsBody {
    pub framework: String,
    pub role: String,
    /// Requirements met.
    pub met: usize,
    /// Requirements in all.
    pub required: usize,
    pub gaps: Vec<GapItem>,
}

/// The caller's gaps against a role's required levels, with courses that close them.
#[utoipa::path(
    get, path = "/api/v1/me/gaps", tag = "competencies",
    params(RoleChoice),
    responses(
        (status = 200, description = "The caller's gaps", body = GapsBody),
        (status = 404, description = "No such framework, or no such role in it",
            body = crate::platform::api::Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_gaps(
    visit: Visit,
    competencies: web::Data<Competencies>,
    choice: web::Query<RoleChoice>,
) -> Page {
    let account = visit.require()?.account.id;
    let slug = framework_slug(&competencies, choice.framework.as_deref().unwrap_or_default()).await?;
    let analysis = competencies.gaps(account, &slug, &choice.role).await.map_err(into_app_error)?;
    let gaps = analysis
        .gaps
        .iter()
        .map(|g| GapItem {
            code: g.code.clone(),
            title: g.title.clone(),
            required: g.required,
            held: g.held,
            courses: format!("/api/v1/search?competency={}&kind=course", g.code),
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(GapsBody {
        framework: slug,
        role: analysis.role.slug,
        met: analysis.met,
        required: analysis.role.requirements.len(),
        gaps,
    }))
}
