//! Mentoring as JSON: an association's programmes and matching rounds (`/api/v1/orgs/{slug}/
//! mentoring…`), and the caller's own mentoring (`/api/v1/me/mentoring`), through the same
//! services as the pages.

use super::entity::{matching_round, mentorship};
use super::http::{into_app_error, runs};
use super::matching::Reason;
use super::service::Mentoring;
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::api::{PageQuery, Problem};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/orgs/{slug}/mentoring", web::get().to(api_programmes))
        .route("/api/v1/orgs/{slug}/mentoring/{programme}", web::get().to(api_programme))
        .route("/api/v1/orgs/{slug}/mentoring/{programme}/rounds", web::post().to(api_run_round))
        .route(
            "/api/v1/orgs/{slug}/mentoring/{programme}/rounds/{round}/publish",
            web::post().to(api_publish_round),
        )
        .route("/api/v1/me/mentoring", web::get().to(api_my_mentoring));
}

type Answer = Result<HttpResponse, AppError>;

/// A mentoring programme of an association.
#[derive(Serialize, ToSchema)]
pub struct ProgrammeItem {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The last day requests are taken, when there is one.
    pub deadline: Option<NaiveDate>,
    /// Whether a request is matched at once rather than in rounds.
    pub instant: bool,
    pub created_at: DateTime<Utc>,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammePage {
    pub items: Vec<ProgrammeItem>,
    pub next_cursor: Option<String>,
}

fn programme_item(slug: &str, p: &super::entity::mentoring_programme::Model) -> ProgrammeItem {
    ProgrammeItem {
        url: format!("/api/v1/orgs/{slug}/mentoring/{}", p.slug),
        slug: p.slug.clone(),
        title: p.title.clone(),
        description: p.description.clone(),
        deadline: p.deadline,
        instant: p.instant,
        created_at: p.created_at,
    }
}

/// The association's mentoring programmes, newest first.
///
/// For the association's admins.
#[utoipa::path(
    get, path = "/api/v1/orgs/{slug}/mentoring", tag = "mentoring",
    params(("slug" = String, Path, description = "The association's slug", example = "eanma"), PageQuery),
    responses((status = 200, description = "A page of programmes", body = ProgrammePage)),
)]
pub(crate) async fn api_programmes(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    slug: web::Path<String>,
    page: web::Query<PageQuery>,
) -> Answer {
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, runs).await?;
    let programmes = mentoring.programmes(organisation.id).await.map_err(into_app_error)?;
    // Newest first: the key counts down from the newest id.
    let key = |p: &super::entity::mentoring_programme::Model| {
        crate::platform::api::number_key(i64::MAX - i64::from(p.id))
    };
    let (programmes, next_cursor) = page.page(programmes, key)?;
    let items = programmes.iter().map(|p| programme_item(&slug, p)).collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-cache"))
        .json(ProgrammePage { items, next_cursor }))
}

/// A proposed or made pair, with why it scored as it did.
#[derive(Serialize, ToSchema)]
pub struct PairItem {
    pub id: i32,
    pub mentee: String,
    pub mentor: String,
    /// `proposed`, `offered`, `active`, `declined`, `withdrawn` or `closed`.
    pub status: String,
    /// The round that proposed it; absent for a pair matched at once.
    pub round: Option<i32>,
    pub score: i64,
    /// Strongest first, each an object with its `kind` (`covers`, `language`, `profession`,
    /// `in_person`, `time_difference`, `rural`) and that kind's figures.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Reason>,
}

/// A matching round: an optimal assignment of the open requests to mentors.
#[derive(Serialize, ToSchema)]
pub struct RoundItem {
    pub id: i32,
    pub mentees: i32,
    pub mentors: i32,
    pub matched: i32,
    pub total_score: i64,
    /// What matching each mentee in turn to their best free mentor would have scored.
    pub greedy_score: i64,
    pub solve_ms: i32,
    pub created_at: DateTime<Utc>,
    /// When its pairs were offered; absent while it is a proposal.
    pub published_at: Option<DateTime<Utc>>,
}

fn round_item(r: &matching_round::Model) -> RoundItem {
    RoundItem {
        id: r.id,
        mentees: r.mentees,
        mentors: r.mentors,
        matched: r.matched,
        total_score: r.total_score,
        greedy_score: r.greedy_score,
        solve_ms: r.solve_ms,
        created_at: r.created_at,
        published_at: r.published_at,
    }
}

/// A programme with its rounds and pairs, as its admins see it.
#[derive(Serialize, ToSchema)]
pub struct ProgrammeDetail {
    pub programme: ProgrammeItem,
    /// Requests waiting for a round.
    pub open_requests: u64,
    /// The association's mentors who offer to mentor.
    pub mentors: Vec<String>,
    /// Newest first.
    pub rounds: Vec<RoundItem>,
    /// Pairs of every status, newest first.
    pub pairs: Vec<PairItem>,
    /// Concerns raised by a mentee or mentor (never the pair's private notes).
    pub concerns: u64,
}

async fn programme_detail(
    mentoring: &Mentoring,
    organisation_id: i32,
    (slug, programme): (&str, &str),
) -> Answer {
    let programme = mentoring.programme(organisation_id, programme).await.map_err(into_app_error)?;
    let view = mentoring.programme_view(programme).await.map_err(into_app_error)?;
    let pair_item =
        |(pair, mentee, mentor, reasons): (mentorship::Model, String, String, Vec<Reason>)| PairItem {
            id: pair.id,
            mentee,
            mentor,
            status: pair.status,
            round: pair.round_id,
            score: pair.score,
            reasons,
        };
    let detail = ProgrammeDetail {
        programme: programme_item(slug, &view.programme),
        open_requests: view.open_requests,
        mentors: view.mentors.into_iter().map(|(_, name)| name).collect(),
        rounds: view.rounds.iter().map(round_item).collect(),
        pairs: view.pairs.into_iter().map(pair_item).collect(),
        concerns: view.concerns.len() as u64,
    };
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "private, no-cache")).json(detail))
}

/// A programme, with its rounds and pairs.
#[utoipa::path(
    get, path = "/api/v1/orgs/{slug}/mentoring/{programme}", tag = "mentoring",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("programme" = String, Path, description = "The programme's slug"),
    ),
    responses((status = 200, description = "The programme", body = ProgrammeDetail)),
)]
pub(crate) async fn api_programme(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    path: web::Path<(String, String)>,
) -> Answer {
    let (slug, programme) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, runs).await?;
    programme_detail(&mentoring, organisation.id, (&slug, &programme)).await
}

/// Runs a matching round over the programme's open requests.
///
/// Proposes the assignment with the highest total score (each pair's reasons say why); the
/// proposals of an earlier unpublished round are replaced. Nothing is offered to anyone until
/// the round is published. Answers the programme, the new round first.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/mentoring/{programme}/rounds", tag = "mentoring",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("programme" = String, Path, description = "The programme's slug"),
    ),
    responses((status = 201, description = "The programme with the new round", body = ProgrammeDetail)),
)]
pub(crate) async fn api_run_round(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    path: web::Path<(String, String)>,
) -> Answer {
    let (slug, programme) = path.into_inner();
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, runs).await?;
    let model = mentoring.programme(organisation.id, &programme).await.map_err(into_app_error)?;
    mentoring.run_round(&model, actor.account_id).await.map_err(into_app_error)?;
    let mut answer = programme_detail(&mentoring, organisation.id, (&slug, &programme)).await?;
    *answer.status_mut() = actix_web::http::StatusCode::CREATED;
    Ok(answer)
}

/// Publishes a round: its proposed pairs are offered to the mentors and mentees by email.
///
/// Publishing again changes nothing.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/mentoring/{programme}/rounds/{round}/publish", tag = "mentoring",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("programme" = String, Path, description = "The programme's slug"),
        ("round" = i32, Path, description = "The round's id"),
    ),
    responses(
        (status = 200, description = "The programme, its round published", body = ProgrammeDetail),
        (status = 409, description = "A pair's mentor or mentee is no longer free", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_publish_round(
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    path: web::Path<(String, String, i32)>,
) -> Answer {
    let (slug, programme, round) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, runs).await?;
    let model = mentoring.programme(organisation.id, &programme).await.map_err(into_app_error)?;
    mentoring.publish_round(&model, round).await.map_err(into_app_error)?;
    programme_detail(&mentoring, organisation.id, (&slug, &programme)).await
}

/// The caller's offer to mentor.
#[derive(Serialize, ToSchema)]
pub struct MentorItem {
    pub active: bool,
    /// Mentees at once, at most.
    pub capacity: i32,
    /// Mentees now taken (offered or active).
    pub taken: u64,
    pub languages: Vec<String>,
    /// Competencies offered, by code, with the level.
    pub offers: Vec<OfferItem>,
}

#[derive(Serialize, ToSchema)]
pub struct OfferItem {
    pub code: String,
    pub level: i32,
}

/// One of the caller's pairs.
#[derive(Serialize, ToSchema)]
pub struct MyPairItem {
    pub id: i32,
    /// `mentor` or `mentee`: the caller's side.
    pub role: String,
    /// The other person's name.
    pub with: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// One of the caller's requests for a mentor.
#[derive(Serialize, ToSchema)]
pub struct RequestItem {
    pub id: i32,
    pub programme: Option<String>,
    /// `open`, `matched` or `withdrawn`.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct MyMentoring {
    /// Absent when the caller has never offered to mentor.
    pub mentor: Option<MentorItem>,
    /// Newest first; proposals of an unpublished round are not shown.
    pub pairs: Vec<MyPairItem>,
    pub requests: Vec<RequestItem>,
}

/// The caller's mentoring: their offer to mentor, their pairs and their requests.
#[utoipa::path(
    get, path = "/api/v1/me/mentoring", tag = "mentoring",
    responses((status = 200, description = "The caller's mentoring", body = MyMentoring)),
)]
pub(crate) async fn api_my_mentoring(visit: Visit, mentoring: web::Data<Mentoring>) -> Answer {
    let me = visit.require()?.account.id;
    let mentor = mentoring.mentor(me).await.map_err(into_app_error)?.map(|view| MentorItem {
        active: view.profile.active,
        capacity: view.profile.capacity,
        taken: view.taken,
        languages: super::service::list(&view.profile.languages),
        offers: view.offers.iter().map(|o| OfferItem { code: o.code.clone(), level: o.level }).collect(),
    });
    let pairs = mentoring
        .pairs_of(me)
        .await
        .map_err(into_app_error)?
        .into_iter()
        .map(|(pair, with)| MyPairItem {
            id: pair.id,
            role: if pair.mentor_id == me { "mentor" } else { "mentee" }.into(),
            with,
            status: pair.status,
            created_at: pair.created_at,
        })
        .collect();
    let requests = mentoring
        .requests_of(me)
        .await
        .map_err(into_app_error)?
        .into_iter()
        .map(|(request, programme)| RequestItem {
            id: request.id,
            programme: programme.map(|p| p.slug),
            status: request.status,
            created_at: request.created_at,
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(MyMentoring {
        mentor,
        pairs,
        requests,
    }))
}
