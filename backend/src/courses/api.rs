//! The learner's path through courses as JSON (`/api/v1/courses…`, `/api/v1/me/courses`): the
//! same services as the pages — the catalogue, a course's outline, enrolling, reading a lesson,
//! quiz attempts, My learning.

use super::http::into_app_error;
use super::learning::{AttemptView, LearningItem, Progress};
use super::service::{CatalogueFilter, CourseCard, CourseOutline, Courses};
use crate::accounts::Visit;
use crate::error::AppError;
use crate::platform::api::{PageQuery, Problem, json_body, number_key};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::{IntoParams, ToSchema};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/courses", web::get().to(api_courses))
        .route("/api/v1/courses/{slug}", web::get().to(api_course))
        .route("/api/v1/courses/{slug}/enrolment", web::post().to(api_enrol))
        .route("/api/v1/courses/{slug}/enrolment/latest", web::post().to(api_move_to_latest))
        .route("/api/v1/courses/{slug}/lessons/{lesson}/read", web::post().to(api_read_lesson))
        .route("/api/v1/courses/{slug}/quizzes/{quiz}/attempts", web::post().to(api_start_attempt))
        .route("/api/v1/courses/{slug}/attempts/{attempt}", web::get().to(api_attempt))
        .route("/api/v1/courses/{slug}/attempts/{attempt}", web::post().to(api_submit_attempt))
        .route("/api/v1/me/courses", web::get().to(api_my_courses));
}

type Answer = Result<HttpResponse, AppError>;

/// A published course as the catalogue lists it.
#[derive(Serialize, ToSchema)]
pub struct CourseItem {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// BCP 47 language tag of the course's text.
    pub language: String,
    pub professions: Vec<String>,
    pub topics: Vec<String>,
    /// Expected study time.
    pub minutes: i32,
    /// CPD credits the course carries (accreditations may differ per regulator).
    pub credits: f64,
    pub organisation: String,
    /// Where the course's outline is.
    pub url: String,
}

impl From<CourseCard> for CourseItem {
    fn from(card: CourseCard) -> Self {
        Self {
            url: format!("/api/v1/courses/{}", card.slug),
            slug: card.slug,
            title: card.title,
            summary: card.summary,
            language: card.language,
            professions: card.professions,
            topics: card.topics,
            minutes: card.minutes,
            credits: f64::from(card.credits_hundredths) / 100.0,
            organisation: card.organisation,
        }
    }
}

/// A page of the catalogue.
#[derive(Serialize, ToSchema)]
pub struct CoursePage {
    pub items: Vec<CourseItem>,
    /// Give it as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Catalogue filters; an empty or unknown value matches nothing more than it says.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogueParams {
    /// Only courses for this profession (e.g. `nurse`).
    profession: Option<String>,
    /// Only courses on this topic.
    topic: Option<String>,
    /// Only courses in this language (e.g. `fr`).
    language: Option<String>,
}

/// Published courses by title, filtered, a page at a time.
#[utoipa::path(
    get, path = "/api/v1/courses", tag = "courses",
    params(CatalogueParams, PageQuery),
    responses(
        (status = 200, description = "A page of courses", body = CoursePage),
    ),
    security(()),
)]
pub(crate) async fn api_courses(
    courses: web::Data<Courses>,
    filter: web::Query<CatalogueParams>,
    page: web::Query<PageQuery>,
) -> Answer {
    let filter = filter.into_inner();
    let filter = CatalogueFilter {
        profession: filter.profession.unwrap_or_default(),
        topic: filter.topic.unwrap_or_default(),
        language: filter.language.unwrap_or_default(),
    };
    let mut cards = courses.catalogue(&filter).await.map_err(into_app_error)?;
    let key = |card: &CourseCard| format!("{}\u{0}{}", card.title.to_lowercase(), card.slug);
    cards.sort_by_cached_key(key);
    let (cards, next_cursor) = page.page(cards, key)?;
    let items = cards.into_iter().map(CourseItem::from).collect();
    Ok(HttpResponse::Ok().json(CoursePage { items, next_cursor }))
}

/// A lesson in a course's outline.
#[derive(Serialize, ToSchema)]
pub struct LessonItem {
    pub slug: String,
    pub title: String,
    pub minutes: i32,
    /// Whether the learner asking has read it (false when nobody is signed in).
    pub read: bool,
}

/// A module's end-of-module quiz.
#[derive(Serialize, ToSchema)]
pub struct QuizItem {
    pub id: i32,
    pub title: String,
    pub questions: usize,
    pub passed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ModuleItem {
    pub title: String,
    pub lessons: Vec<LessonItem>,
    pub quiz: Option<QuizItem>,
}

/// The learner's enrolment in a course.
#[derive(Serialize, ToSchema)]
pub struct EnrolmentItem {
    pub course: String,
    /// The version they study: kept when a newer one is published, until they move.
    pub version: i32,
    pub enrolled_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Lessons read, in percent.
    pub percent: i64,
}

/// A course with the outline of the version the caller reads.
#[derive(Serialize, ToSchema)]
pub struct CourseDetail {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub language: String,
    pub organisation: String,
    pub version: i32,
    pub minutes: i32,
    pub credits: f64,
    pub objectives: Vec<String>,
    pub modules: Vec<ModuleItem>,
    /// The caller's enrolment, when they have one.
    pub enrolment: Option<EnrolmentItem>,
}

fn enrolment_item(slug: &str, number: i32, progress: &Progress) -> EnrolmentItem {
    EnrolmentItem {
        course: slug.to_owned(),
        version: number,
        enrolled_at: progress.enrolment.enrolled_at,
        completed_at: progress.enrolment.completed_at,
        percent: progress.percent(),
    }
}

fn detail(outline: CourseOutline, progress: Option<&Progress>) -> CourseDetail {
    let version = &outline.version;
    let modules = outline
        .modules
        .into_iter()
        .map(|module| ModuleItem {
            lessons: module
                .lessons
                .into_iter()
                .map(|l| LessonItem {
                    read: progress.is_some_and(|p| p.read.contains(&l.id)),
                    slug: l.slug,
                    title: l.title,
                    minutes: l.minutes,
                })
                .collect(),
            quiz: module.quiz.map(|(id, title, questions)| QuizItem {
                passed: progress.is_some_and(|p| p.passed_quizzes.contains(&id)),
                id,
                title,
                questions,
            }),
            title: module.title,
        })
        .collect();
    CourseDetail {
        enrolment: progress.map(|p| enrolment_item(&outline.course.slug, version.number, p)),
        slug: outline.course.slug,
        title: version.title.clone(),
        summary: version.summary.clone(),
        language: version.language.clone(),
        organisation: outline.organisation,
        version: version.number,
        minutes: version.minutes,
        credits: f64::from(version.credits_hundredths) / 100.0,
        objectives: outline.objectives,
        modules,
    }
}

/// A published course's outline.
///
/// For an enrolled learner, the outline of their version, with what they read and passed.
#[utoipa::path(
    get, path = "/api/v1/courses/{slug}", tag = "courses",
    params(("slug" = String, Path, description = "The course's slug", example = "hand-hygiene")),
    responses(
        (status = 200, description = "The course", body = CourseDetail),
        (status = 404, description = "No published course by that slug", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(()),
)]
pub(crate) async fn api_course(visit: Visit, courses: web::Data<Courses>, slug: web::Path<String>) -> Answer {
    let account = visit.session.as_ref().map(|s| s.account.id);
    let outline = courses.outline(&slug, account).await.map_err(into_app_error)?;
    let progress = courses.progress_in(account, outline.course.id).await.map_err(into_app_error)?;
    let body = detail(outline, progress.as_ref());
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "private, no-cache")).json(body))
}

/// Enrols the caller in a course.
///
/// In its published version. Enrolling again changes nothing and answers the enrolment they
/// have (200 rather than 201).
#[utoipa::path(
    post, path = "/api/v1/courses/{slug}/enrolment", tag = "courses",
    params(("slug" = String, Path, description = "The course's slug", example = "hand-hygiene")),
    responses(
        (status = 201, description = "Enrolled", body = EnrolmentItem),
        (status = 200, description = "Already enrolled", body = EnrolmentItem),
        (status = 404, description = "No published course by that slug", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_enrol(visit: Visit, courses: web::Data<Courses>, slug: web::Path<String>) -> Answer {
    let account = visit.require()?.account.id;
    let course_id = courses.outline(&slug, None).await.map_err(into_app_error)?.course.id;
    let before = courses.enrolment(account, course_id).await.map_err(into_app_error)?.is_some();
    let enrolment = courses.enrol(account, &slug).await.map_err(into_app_error)?;
    let outline = courses.outline(&slug, Some(account)).await.map_err(into_app_error)?;
    let progress = courses.progress(enrolment).await.map_err(into_app_error)?;
    let body = enrolment_item(&slug, outline.version.number, &progress);
    let mut response = if before { HttpResponse::Ok() } else { HttpResponse::Created() };
    Ok(response.insert_header(("Location", format!("/api/v1/courses/{slug}"))).json(body))
}

/// Marks a lesson read.
///
/// In the caller's version of the course, once (again changes nothing); it becomes the place to
/// resume.
#[utoipa::path(
    post, path = "/api/v1/courses/{slug}/lessons/{lesson}/read", tag = "courses",
    params(
        ("slug" = String, Path, description = "The course's slug", example = "hand-hygiene"),
        ("lesson" = String, Path, description = "The lesson's slug", example = "why-hands-matter"),
    ),
    responses(
        (status = 200, description = "Read; the enrolment as it now stands", body = EnrolmentItem),
        (status = 404, description = "Not enrolled in that course, or no such lesson in its version",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_read_lesson(
    visit: Visit,
    courses: web::Data<Courses>,
    path: web::Path<(String, String)>,
) -> Answer {
    let account = visit.require()?.account.id;
    let (slug, lesson) = path.into_inner();
    courses.complete_lesson(account, &slug, &lesson).await.map_err(into_app_error)?;
    let outline = courses.outline(&slug, Some(account)).await.map_err(into_app_error)?;
    let progress = courses
        .progress_in(Some(account), outline.course.id)
        .await
        .map_err(into_app_error)?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(enrolment_item(&slug, outline.version.number, &progress)))
}

/// Moves the caller's enrolment to the course's published version.
///
/// Lessons whose text did not change stay read; the new version's quizzes are taken again; a
/// completion already earned stays. Already on it: nothing changes.
#[utoipa::path(
    post, path = "/api/v1/courses/{slug}/enrolment/latest", tag = "courses",
    params(("slug" = String, Path, description = "The course's slug", example = "hand-hygiene")),
    responses(
        (status = 200, description = "The enrolment, on the published version", body = EnrolmentItem),
        (status = 404, description = "Not enrolled in that course", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_move_to_latest(
    visit: Visit,
    courses: web::Data<Courses>,
    slug: web::Path<String>,
) -> Answer {
    let account = visit.require()?.account.id;
    courses.move_to_published(account, &slug).await.map_err(into_app_error)?;
    let outline = courses.outline(&slug, Some(account)).await.map_err(into_app_error)?;
    let progress = courses
        .progress_in(Some(account), outline.course.id)
        .await
        .map_err(into_app_error)?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(enrolment_item(&slug, outline.version.number, &progress)))
}

/// A course on the caller's My learning.
#[derive(Serialize, ToSchema)]
pub struct LearningEntry {
    pub course: String,
    pub title: String,
    pub percent: i64,
    pub completed_at: Option<DateTime<Utc>>,
    /// The lesson to resume at, when they have read one.
    pub resume: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LearningPage {
    pub items: Vec<LearningEntry>,
    pub next_cursor: Option<String>,
}

/// The caller's courses, newest enrolment first, with progress.
#[utoipa::path(
    get, path = "/api/v1/me/courses", tag = "courses",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the caller's courses", body = LearningPage),
    ),
)]
pub(crate) async fn api_my_courses(
    visit: Visit,
    courses: web::Data<Courses>,
    page: web::Query<PageQuery>,
) -> Answer {
    let account = visit.require()?.account.id;
    let mut items = courses.my_learning(account).await.map_err(into_app_error)?;
    // Newest first: the key counts down from the newest enrolment's id.
    let key = |item: &LearningItem| number_key(i64::MAX - i64::from(item.enrolment_id));
    items.sort_by_cached_key(key);
    let (items, next_cursor) = page.page(items, key)?;
    let items = items
        .into_iter()
        .map(|item| LearningEntry {
            course: item.slug,
            title: item.title,
            percent: item.percent,
            completed_at: item.completed_at,
            resume: item.resume,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(LearningPage { items, next_cursor }))
}

// ----- Quizzes ---------------------------------------------------------------------------------------

/// An option of a question; whether it was right shows once the attempt is submitted.
#[derive(Serialize, ToSchema)]
pub struct OptionItem {
    pub id: i32,
    pub text: String,
    /// Absent until the attempt is submitted.
    pub correct: Option<bool>,
    /// Shown once submitted, for an option chosen or right.
    pub feedback: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionItem {
    pub id: i32,
    /// `single`, `multiple` or `true_false`.
    pub kind: String,
    pub prompt: String,
    /// In this attempt's order.
    pub options: Vec<OptionItem>,
    /// The options chosen (once submitted).
    pub chosen: Vec<i32>,
    /// Whether exactly the right options were chosen (once submitted).
    pub correct: Option<bool>,
}

/// An attempt at a quiz: its questions in the attempt's own order, then its result.
#[derive(Serialize, ToSchema)]
pub struct AttemptItem {
    pub id: i32,
    pub quiz: i32,
    pub title: String,
    /// Percent needed to pass.
    pub pass_mark: i32,
    pub started_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub score_percent: Option<i32>,
    pub passed: Option<bool>,
    pub questions: Vec<QuestionItem>,
}

fn attempt_item(view: AttemptView) -> AttemptItem {
    let submitted = view.attempt.submitted_at.is_some();
    let questions = view
        .questions
        .into_iter()
        .map(|q| QuestionItem {
            options: q
                .options
                .into_iter()
                .map(|o| OptionItem {
                    feedback: (submitted
                        && (o.correct || q.chosen.contains(&o.id))
                        && !o.feedback.is_empty())
                    .then(|| o.feedback.clone()),
                    correct: submitted.then_some(o.correct),
                    id: o.id,
                    text: o.text,
                })
                .collect(),
            id: q.id,
            kind: q.kind,
            prompt: q.prompt,
            chosen: q.chosen,
            correct: q.correct,
        })
        .collect();
    AttemptItem {
        id: view.attempt.id,
        quiz: view.quiz.id,
        title: view.quiz.title,
        pass_mark: view.quiz.pass_mark,
        started_at: view.attempt.started_at,
        submitted_at: view.attempt.submitted_at,
        score_percent: view.attempt.score_percent,
        passed: view.attempt.passed,
        questions,
    }
}

/// Starts an attempt at a quiz.
///
/// Questions and options come in a fresh random order. An attempt not yet submitted is resumed
/// (200) rather than a new one started (201); when the quiz's attempts are used up, 409.
#[utoipa::path(
    post, path = "/api/v1/courses/{slug}/quizzes/{quiz}/attempts", tag = "courses",
    params(
        ("slug" = String, Path, description = "The course's slug", example = "hand-hygiene"),
        ("quiz" = i32, Path, description = "The quiz's id, from the course's outline"),
    ),
    responses(
        (status = 201, description = "A new attempt", body = AttemptItem),
        (status = 200, description = "The attempt not yet submitted", body = AttemptItem),
        (status = 409, description = "No attempts left", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_start_attempt(
    visit: Visit,
    courses: web::Data<Courses>,
    path: web::Path<(String, i32)>,
) -> Answer {
    let account = visit.require()?.account.id;
    let (slug, quiz) = path.into_inner();
    let (_, _, before) = courses.quiz_for(account, &slug, quiz).await.map_err(into_app_error)?;
    let attempt = courses
        .start_attempt(account, &slug, quiz)
        .await
        .map_err(into_app_error)?
        .ok_or_else(|| AppError::Conflict("quiz-no-attempts-left".into()))?;
    let resumed = before.iter().any(|a| a.id == attempt.id);
    let view = courses.attempt(account, &slug, attempt.id).await.map_err(into_app_error)?;
    let mut response = if resumed { HttpResponse::Ok() } else { HttpResponse::Created() };
    Ok(response
        .insert_header(("Location", format!("/api/v1/courses/{slug}/attempts/{}", attempt.id)))
        .insert_header(("Cache-Control", "no-store"))
        .json(attempt_item(view)))
}

/// One of the caller's attempts, with its result once submitted.
#[utoipa::path(
    get, path = "/api/v1/courses/{slug}/attempts/{attempt}", tag = "courses",
    params(
        ("slug" = String, Path, description = "The course's slug", example = "hand-hygiene"),
        ("attempt" = i32, Path, description = "The attempt's id"),
    ),
    responses((status = 200, description = "The attempt", body = AttemptItem)),
)]
pub(crate) async fn api_attempt(
    visit: Visit,
    courses: web::Data<Courses>,
    path: web::Path<(String, i32)>,
) -> Answer {
    let account = visit.require()?.account.id;
    let (slug, attempt) = path.into_inner();
    let view = courses.attempt(account, &slug, attempt).await.map_err(into_app_error)?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(attempt_item(view)))
}

/// The answers to an attempt.
#[derive(Deserialize, ToSchema)]
pub struct AnswersBody {
    /// For each question's id (as text), the ids of the options chosen.
    #[schema(example = json!({"12": [40], "13": [44, 45]}))]
    pub answers: HashMap<String, Vec<i32>>,
    /// Makes a retried submission (a phone that sends again) count once: 8 to 64 letters,
    /// digits, `-` or `_`.
    pub idempotency_key: Option<String>,
}

/// Submits the answers to an attempt and scores it.
///
/// Submitting again changes nothing and answers the recorded result; an idempotency key already
/// recorded on another attempt is refused (409).
#[utoipa::path(
    post, path = "/api/v1/courses/{slug}/attempts/{attempt}", tag = "courses",
    params(
        ("slug" = String, Path, description = "The course's slug", example = "hand-hygiene"),
        ("attempt" = i32, Path, description = "The attempt's id"),
    ),
    request_body(content = AnswersBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Scored", body = AttemptItem),
        (status = 409, description = "The idempotency key was used for another attempt", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_submit_attempt(
    req: actix_web::HttpRequest,
    visit: Visit,
    courses: web::Data<Courses>,
    path: web::Path<(String, i32)>,
    body: web::Bytes,
) -> Answer {
    // Who asks first, then what they sent.
    let account = visit.require()?.account.id;
    let (slug, attempt) = path.into_inner();
    let body: AnswersBody = json_body(&req, &body)?;
    let mut answers: HashMap<i32, HashSet<i32>> = HashMap::new();
    for (question, options) in body.answers {
        let question = question
            .parse::<i32>()
            .map_err(|_| AppError::BadRequest(format!("answers: \"{question}\" is not a question id")))?;
        answers.entry(question).or_default().extend(options);
    }
    let key = body.idempotency_key.filter(|key| !key.is_empty());
    if let Some(key) = &key
        && !super::learning::valid_idempotency_key(key)
    {
        return Err(AppError::BadRequest("idempotency_key: 8 to 64 letters, digits, - or _".into()));
    }
    let view = courses
        .submit_attempt(account, &slug, attempt, answers, key.as_deref())
        .await
        .map_err(into_app_error)?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(attempt_item(view)))
}
