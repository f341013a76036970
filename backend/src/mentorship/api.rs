//! Mentoring as JSON: an association's programmes and matching rounds (`/api/v1/orgs/{slug}/
//! mentoring…`), and the caller's own mentoring (`/api/v1/me/mentoring`), through the same
//! services as the pages.

use super::entity::{matching_round, mentorship};
use super::http::{into_app_error, runs};
use super::matching::Reason;
use super::service::{MentorInput, Mentoring, RequestInput};
use crate::accounts::Visit;
use crate::accounts::http::organisation_for;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::api::{PageQuery, Problem, json_body, optional_json_body};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/orgs/{slug}/mentoring", web::get().to(api_programmes))
        .route("/api/v1/orgs/{slug}/mentoring", web::post().to(api_create_programme))
        .route(
            "/api/v1/orgs/{slug}/mentoring/{programme}/pairs/{pair}/reassign",
            web::post().to(api_reassign),
        )
        .route("/api/v1/me/mentoring/requests/{id}/match", web::post().to(api_match_now))
        .route("/api/v1/orgs/{slug}/mentoring/{programme}", web::get().to(api_programme))
        .route("/api/v1/orgs/{slug}/mentoring/{programme}/rounds", web::post().to(api_run_round))
        .route(
            "/api/v1/orgs/{slug}/mentoring/{programme}/rounds/{round}/publish",
            web::post().to(api_publish_round),
        )
        .route("/api/v1/me/mentoring", web::get().to(api_my_mentoring))
        .route("/api/v1/me/mentoring/mentor", web::post().to(api_save_mentor))
        .route("/api/v1/me/mentoring/requests", web::post().to(api_request))
        .route("/api/v1/me/mentoring/requests/{id}/withdraw", web::post().to(api_withdraw))
        .route("/api/v1/mentorships/{id}/accept", web::post().to(api_accept))
        .route("/api/v1/mentorships/{id}/decline", web::post().to(api_decline))
        .route("/api/v1/mentorships/{id}/sessions", web::post().to(api_log_session))
        .route("/api/v1/mentorships/{id}/end", web::post().to(api_end))
        .route("/api/v1/mentorships/{id}/feedback", web::post().to(api_feedback))
        .route("/api/v1/mentorships/{id}/concern", web::post().to(api_concern));
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

/// A mentor a pair may be given.
#[derive(Serialize, ToSchema)]
pub struct MentorRef {
    pub id: i32,
    pub name: String,
}

/// A programme with its rounds and pairs, as its admins see it.
#[derive(Serialize, ToSchema)]
pub struct ProgrammeDetail {
    pub programme: ProgrammeItem,
    /// Requests waiting for a round.
    pub open_requests: u64,
    /// The association's mentors who offer to mentor.
    pub mentors: Vec<MentorRef>,
    /// Newest first.
    pub rounds: Vec<RoundItem>,
    /// Pairs of every status, newest first.
    pub pairs: Vec<PairItem>,
    /// Concerns raised by a mentee or mentor (never the pair's private notes).
    pub concerns: u64,
}

/// A programme with its rounds, mentors and pairs.
async fn programme_body(
    mentoring: &Mentoring,
    organisation_id: i32,
    (slug, programme): (&str, &str),
) -> Result<ProgrammeDetail, AppError> {
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
        mentors: view.mentors.into_iter().map(|(id, name)| MentorRef { id, name }).collect(),
        rounds: view.rounds.iter().map(round_item).collect(),
        pairs: view.pairs.into_iter().map(pair_item).collect(),
        concerns: view.concerns.len() as u64,
    };
    Ok(detail)
}

/// A programme, answered 200.
async fn programme_detail(mentoring: &Mentoring, organisation_id: i32, names: (&str, &str)) -> Answer {
    let detail = programme_body(mentoring, organisation_id, names).await?;
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
    Ok(HttpResponse::Created().json(programme_body(&mentoring, organisation.id, (&slug, &programme)).await?))
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

#[derive(Serialize, Deserialize, ToSchema)]
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
    my_mentoring(&mentoring, me).await
}

async fn my_mentoring_body(mentoring: &Mentoring, me: i32) -> Result<MyMentoring, AppError> {
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
    Ok(MyMentoring { mentor, pairs, requests })
}

/// The caller's offer to mentor, as they set it.
#[derive(Deserialize, ToSchema)]
pub struct MentorBody {
    /// Whether they take mentees now.
    pub active: bool,
    /// Mentees at once, 1 to 20.
    #[schema(example = 2)]
    pub capacity: u32,
    #[schema(example = json!(["midwife"]))]
    pub professions: Vec<String>,
    /// Language codes.
    #[schema(example = json!(["en", "sw"]))]
    pub languages: Vec<String>,
    /// Their time zone, in minutes from UTC.
    #[schema(example = 180)]
    pub utc_offset_minutes: i32,
    #[serde(default)]
    pub remote: bool,
    #[serde(default)]
    pub in_person: bool,
    #[serde(default)]
    pub availability: String,
    #[serde(default)]
    pub about: String,
    /// Competencies of the default framework they offer, with the level.
    pub offers: Vec<OfferItem>,
}

/// A request for a mentor in a programme of the caller's association.
#[derive(Deserialize, ToSchema)]
pub struct RequestBody {
    #[schema(example = "eanma")]
    pub association: String,
    /// The programme's slug.
    pub programme: String,
    /// Competencies of the default framework wanted, with the level.
    pub wanted: Vec<OfferItem>,
    #[serde(default)]
    pub goals: String,
    #[schema(example = json!(["sw"]))]
    pub languages: Vec<String>,
    #[serde(default)]
    pub same_profession: bool,
    #[serde(default)]
    pub same_country: bool,
    #[serde(default)]
    pub remote_ok: bool,
    #[serde(default)]
    pub utc_offset_minutes: i32,
}

/// What the caller says with a pair's action: a reason, feedback or a concern.
#[derive(Default, Deserialize, ToSchema)]
pub struct NoteBody {
    /// Needed to decline, give feedback or raise a concern; optional to end.
    #[serde(default)]
    pub text: String,
}

/// A mentoring session, as either of the pair logs it.
#[derive(Deserialize, ToSchema)]
pub struct SessionBody {
    /// Not in the future.
    pub held_on: NaiveDate,
    /// 1 to 600.
    #[schema(example = 45)]
    pub minutes: u32,
    #[serde(default)]
    pub topics: String,
    /// Seen by the pair only.
    #[serde(default)]
    pub notes: String,
}

async fn my_mentoring(mentoring: &Mentoring, me: i32) -> Answer {
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(my_mentoring_body(mentoring, me).await?))
}

fn codes(items: Vec<OfferItem>) -> Vec<(String, u32)> {
    items.into_iter().map(|o| (o.code, u32::try_from(o.level).unwrap_or(0))).collect()
}

/// Sets the caller's offer to mentor.
///
/// Levels their own profile shows are marked verified to mentees. Answers their mentoring.
#[utoipa::path(
    post, path = "/api/v1/me/mentoring/mentor", tag = "mentoring",
    request_body(content = MentorBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The caller's mentoring", body = MyMentoring),
    ),
)]
pub(crate) async fn api_save_mentor(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    mentoring: web::Data<Mentoring>,
) -> Answer {
    let me = visit.require()?.account.id;
    let body: MentorBody = json_body(&req, &body)?;
    let input = MentorInput {
        active: body.active,
        professions: body.professions,
        languages: body.languages.into_iter().map(|l| l.trim().to_lowercase()).collect(),
        utc_offset_minutes: body.utc_offset_minutes,
        capacity: body.capacity,
        remote: body.remote,
        in_person: body.in_person,
        availability: body.availability,
        about: body.about,
        offers: codes(body.offers),
    };
    mentoring.save_mentor(me, input).await.map_err(into_app_error)?;
    my_mentoring(&mentoring, me).await
}

/// Asks for a mentor in a programme of the caller's association.
///
/// Matched in the programme's next round, or at once where the programme matches instantly.
#[utoipa::path(
    post, path = "/api/v1/me/mentoring/requests", tag = "mentoring",
    request_body(content = RequestBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Asked; the caller's mentoring", body = MyMentoring),
    ),
)]
pub(crate) async fn api_request(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
) -> Answer {
    let me = visit.require()?.account.id;
    let body: RequestBody = json_body(&req, &body)?;
    let unknown = || AppError::BadRequest("programme: no such programme of that association".into());
    let organisation = accounts.organisation(&body.association).await.map_err(|_| unknown())?;
    let programme = mentoring.programme(organisation.id, &body.programme).await.map_err(|_| unknown())?;
    let input = RequestInput {
        programme_id: programme.id,
        goals: body.goals,
        wanted: codes(body.wanted),
        languages: body.languages.into_iter().map(|l| l.trim().to_lowercase()).collect(),
        same_profession: body.same_profession,
        same_country: body.same_country,
        remote_ok: body.remote_ok,
        utc_offset_minutes: body.utc_offset_minutes,
    };
    mentoring.request(me, input).await.map_err(into_app_error)?;
    Ok(HttpResponse::Created().json(my_mentoring_body(&mentoring, me).await?))
}

/// Withdraws one of the caller's open requests.
#[utoipa::path(
    post, path = "/api/v1/me/mentoring/requests/{id}/withdraw", tag = "mentoring",
    params(("id" = i32, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The caller's mentoring", body = MyMentoring),
        (status = 409, description = "Not possible in the pair's or request's state (such as ending a pair that is not active)",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_withdraw(
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    id: web::Path<i32>,
) -> Answer {
    let me = visit.require()?.account.id;
    mentoring.withdraw_request(me, *id).await.map_err(into_app_error)?;
    my_mentoring(&mentoring, me).await
}

/// Accepts a pair offered to the caller (mentee or mentor); active once both accept.
#[utoipa::path(
    post, path = "/api/v1/mentorships/{id}/accept", tag = "mentoring",
    params(("id" = i32, Path, description = "The pair's id")),
    responses(
        (status = 200, description = "The caller's mentoring", body = MyMentoring),
        (status = 409, description = "Not possible in the pair's or request's state (such as ending a pair that is not active)",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_accept(visit: Visit, mentoring: web::Data<Mentoring>, id: web::Path<i32>) -> Answer {
    let me = visit.require()?.account.id;
    mentoring.accept(me, *id).await.map_err(into_app_error)?;
    my_mentoring(&mentoring, me).await
}

/// One of a pair's actions that takes a text: decline, end, feedback, concern.
async fn pair_note(
    req: &HttpRequest,
    body: &[u8],
    visit: &Visit,
    mentoring: &Mentoring,
    action: impl AsyncFnOnce(i32, String) -> Result<(), super::service::MentorshipError>,
) -> Answer {
    let me = visit.require()?.account.id;
    let note: NoteBody = optional_json_body(req, body)?;
    action(me, note.text).await.map_err(into_app_error)?;
    my_mentoring(mentoring, me).await
}

/// Declines a pair offered to the caller, with a reason; the mentee is offered the next best.
#[utoipa::path(
    post, path = "/api/v1/mentorships/{id}/decline", tag = "mentoring",
    params(("id" = i32, Path, description = "The pair's id")),
    request_body(content = NoteBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The caller's mentoring", body = MyMentoring),
        (status = 409, description = "Not possible in the pair's or request's state (such as ending a pair that is not active)",
            body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "No reason given", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_decline(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    id: web::Path<i32>,
) -> Answer {
    let id = *id;
    pair_note(&req, &body, &visit, &mentoring, async |me, text| {
        mentoring.decline(me, id, &text).await.map(|_| ())
    })
    .await
}

/// Ends an active pair; a reason, when given, is sent to the other side.
#[utoipa::path(
    post, path = "/api/v1/mentorships/{id}/end", tag = "mentoring",
    params(("id" = i32, Path, description = "The pair's id")),
    request_body(content = NoteBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The caller's mentoring", body = MyMentoring),
        (status = 409, description = "Not possible in the pair's or request's state (such as ending a pair that is not active)",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_end(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    id: web::Path<i32>,
) -> Answer {
    let id = *id;
    pair_note(&req, &body, &visit, &mentoring, async |me, text| mentoring.end(me, id, &text).await).await
}

/// Gives feedback on a closed pair (each side once).
#[utoipa::path(
    post, path = "/api/v1/mentorships/{id}/feedback", tag = "mentoring",
    params(("id" = i32, Path, description = "The pair's id")),
    request_body(content = NoteBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The caller's mentoring", body = MyMentoring),
        (status = 409, description = "Not possible in the pair's or request's state (such as ending a pair that is not active)",
            body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "No feedback given", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_feedback(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    id: web::Path<i32>,
) -> Answer {
    let id = *id;
    pair_note(&req, &body, &visit, &mentoring, async |me, text| mentoring.feedback(me, id, &text).await).await
}

/// Raises a concern about a pair with the association's admins (never shown to the other side).
#[utoipa::path(
    post, path = "/api/v1/mentorships/{id}/concern", tag = "mentoring",
    params(("id" = i32, Path, description = "The pair's id")),
    request_body(content = NoteBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The caller's mentoring", body = MyMentoring),
        (status = 409, description = "Not possible in the pair's or request's state (such as ending a pair that is not active)",
            body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Nothing said", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_concern(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    id: web::Path<i32>,
) -> Answer {
    let id = *id;
    pair_note(&req, &body, &visit, &mentoring, async |me, text| mentoring.report(me, id, &text).await).await
}

/// Logs a session of an active pair.
#[utoipa::path(
    post, path = "/api/v1/mentorships/{id}/sessions", tag = "mentoring",
    params(("id" = i32, Path, description = "The pair's id")),
    request_body(content = SessionBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Logged; the caller's mentoring", body = MyMentoring),
        (status = 409, description = "Not possible in the pair's or request's state (such as ending a pair that is not active)",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_log_session(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    id: web::Path<i32>,
) -> Answer {
    let me = visit.require()?.account.id;
    let session: SessionBody = json_body(&req, &body)?;
    mentoring
        .log_session(me, *id, Some(session.held_on), session.minutes, &session.topics, &session.notes)
        .await
        .map_err(into_app_error)?;
    Ok(HttpResponse::Created().json(my_mentoring_body(&mentoring, me).await?))
}

/// A programme to start.
#[derive(Deserialize, ToSchema)]
pub struct ProgrammeBody {
    /// 3 to 120 characters; its slug is made from it.
    #[schema(example = "Rural midwifery mentoring")]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The last day requests are taken; absent: no end.
    pub deadline: Option<NaiveDate>,
    /// Match each request at once rather than in rounds.
    #[serde(default)]
    pub instant: bool,
}

/// Starts a mentoring programme of the association; its members may then ask for a mentor in it.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/mentoring", tag = "mentoring",
    params(("slug" = String, Path, description = "The association's slug", example = "eanma")),
    request_body(content = ProgrammeBody, content_type = "application/json"),
    responses((status = 201, description = "The new programme", body = ProgrammeDetail)),
)]
pub(crate) async fn api_create_programme(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    slug: web::Path<String>,
) -> Answer {
    let (organisation, actor) = organisation_for(&visit, &accounts, &slug, runs).await?;
    let body: ProgrammeBody = json_body(&req, &body)?;
    let programme = mentoring
        .create_programme(
            organisation.id,
            actor.account_id,
            &body.title,
            &body.description,
            body.deadline,
            body.instant,
        )
        .await
        .map_err(into_app_error)?;
    let detail = programme_body(&mentoring, organisation.id, (&slug, &programme)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/orgs/{slug}/mentoring/{programme}")))
        .json(detail))
}

/// Another mentor for a pair.
#[derive(Deserialize, ToSchema)]
pub struct ReassignBody {
    /// The mentor's id, from the programme's `mentors`.
    pub mentor: i32,
}

/// Gives a pair another mentor, offered to both at once.
#[utoipa::path(
    post, path = "/api/v1/orgs/{slug}/mentoring/{programme}/pairs/{pair}/reassign", tag = "mentoring",
    params(
        ("slug" = String, Path, description = "The association's slug", example = "eanma"),
        ("programme" = String, Path, description = "The programme's slug"),
        ("pair" = i32, Path, description = "The pair's id"),
    ),
    request_body(content = ReassignBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The programme", body = ProgrammeDetail),
        (status = 409, description = "Not possible in the pair's state", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_reassign(
    req: HttpRequest,
    body: web::Bytes,
    visit: Visit,
    accounts: web::Data<Accounts>,
    mentoring: web::Data<Mentoring>,
    path: web::Path<(String, String, i32)>,
) -> Answer {
    let (slug, programme, pair) = path.into_inner();
    let (organisation, _) = organisation_for(&visit, &accounts, &slug, runs).await?;
    let body: ReassignBody = json_body(&req, &body)?;
    let model = mentoring.programme(organisation.id, &programme).await.map_err(into_app_error)?;
    mentoring.reassign(&model, pair, body.mentor).await.map_err(into_app_error)?;
    programme_detail(&mentoring, organisation.id, (&slug, &programme)).await
}

/// Matches one of the caller's open requests now, in a programme that matches at once.
///
/// The best mentor with a place left is offered; when nobody fits, the request stays open.
#[utoipa::path(
    post, path = "/api/v1/me/mentoring/requests/{id}/match", tag = "mentoring",
    params(("id" = i32, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The caller's mentoring, with the pair offered when one was found",
            body = MyMentoring),
        (status = 409, description = "The programme matches in rounds", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_match_now(
    visit: Visit,
    mentoring: web::Data<Mentoring>,
    id: web::Path<i32>,
) -> Answer {
    let me = visit.require()?.account.id;
    mentoring.match_now(me, *id).await.map_err(into_app_error)?;
    my_mentoring(&mentoring, me).await
}
