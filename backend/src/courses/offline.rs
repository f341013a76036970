//! Courses offline: what a learner's phone keeps of a course to read it and answer its quizzes
//! with no network. The list of what to keep (`GET /courses/{slug}/offline`, personal, never
//! stored), the page a queued answer leads to, a page script and a service worker (plain files,
//! no build step, compiled into the binary).
//!
//! The worker (`/course-sw.js`, scope `/courses/`) keeps one cache per account and course; quiz
//! answers given offline wait in IndexedDB and are sent when the network returns, each with an
//! idempotency key (see `offline/sw.js` for the rules). The script is served under a
//! content-hashed URL kept for a year, the worker at a fixed URL revalidated on every check.

use super::http::into_app_error;
use super::learning::OfflineContent;
use super::render::human_size;
use super::service::Courses;
use super::views;
use crate::accounts::Visit;
use crate::accounts::model::storage_key;
use crate::error::AppError;
use crate::media::variant_url;
use crate::platform::ui::Chrome;
use crate::platform::ui::assets::{HashedAsset, service_worker, stylesheet_bytes, stylesheet_url};
use crate::platform::ui::respond::html;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use std::sync::OnceLock;

const SCRIPT: &str = include_str!("offline/course.js");
const WORKER: &str = include_str!("offline/sw.js");

/// The service worker's URL (as routed below) and the pages it controls.
pub const WORKER_URL: &str = "/course-sw.js";
pub const WORKER_SCOPE: &str = "/courses/";

/// The widest image variant a phone keeps: what a 360 px screen at twice its pixel density shows.
const PHONE_WIDTH: u32 = 720;

fn script() -> &'static HashedAsset {
    static SCRIPT_FILE: OnceLock<HashedAsset> = OnceLock::new();
    SCRIPT_FILE.get_or_init(|| HashedAsset::script("/offline/courses/offline-", SCRIPT))
}

/// The hashed URL of the page script.
pub fn script_url() -> &'static str {
    script().url()
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/courses/{slug}/offline", web::get().to(offline_manifest))
        .route("/courses/{slug}/offline/saved", web::get().to(saved_page))
        .route("/offline/courses/{name}", web::get().to(serve_script))
        .route("/course-sw.js", web::get().to(serve_worker));
}

async fn serve_script(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    script().respond(&req, &name)
}

async fn serve_worker() -> HttpResponse {
    service_worker(WORKER)
}

/// One file a phone keeps, with its size as kept (HTML uncompressed).
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct OfflineFile {
    pub url: String,
    pub bytes: u64,
}

/// A quiz: its page, where an attempt starts (or resumes), and the size of the attempt's page.
#[derive(Serialize, Debug)]
pub struct OfflineQuizEntry {
    pub page: String,
    /// `None` when the quiz is passed or no attempt is left: only its page is kept.
    pub start: Option<String>,
    pub bytes: u64,
}

/// What to keep of a course on a phone, and how much it takes.
#[derive(Serialize, Debug)]
pub struct Manifest {
    pub course: String,
    pub title: String,
    pub version: i32,
    /// The account's opaque storage name: caches are per account.
    pub account: String,
    pub files: Vec<OfflineFile>,
    pub quizzes: Vec<OfflineQuizEntry>,
    /// Pages in reading order (lesson pages), for the next lesson after one marked read offline.
    pub lessons: Vec<String>,
    /// The page a queued answer leads to.
    pub saved_page: String,
    pub total_bytes: u64,
    /// E.g. "Saving this course keeps about 1.2 MB on this phone."
    pub size_text: String,
}

/// The manifest of `content` for the viewer of `chrome`: every page as this learner sees it,
/// rendered here to be measured, the stylesheet and script, and for each image the variant a
/// phone shows (the widest WebP up to [`PHONE_WIDTH`], else the widest fallback, else the
/// original). A data saver's pages link images instead: none is kept.
pub fn manifest(chrome: &Chrome, content: &OfflineContent, account: String) -> Manifest {
    let slug = content.outline.course.slug.clone();
    let page_bytes = |markup: maud::Markup| markup.into_string().len() as u64;
    let mut files = vec![
        OfflineFile {
            url: format!("/courses/{slug}"),
            bytes: page_bytes(views::course_page(
                chrome,
                &content.outline,
                Some(&content.progress),
                true,
                false,
            )),
        },
        OfflineFile { url: stylesheet_url().to_owned(), bytes: stylesheet_bytes() },
        OfflineFile { url: script_url().to_owned(), bytes: SCRIPT.len() as u64 },
        OfflineFile {
            url: format!("/courses/{slug}/offline/saved"),
            bytes: page_bytes(views::offline_saved_page(chrome, &content.outline)),
        },
    ];
    let mut lessons = Vec::new();
    for lesson in &content.lessons {
        let url = format!("/courses/{slug}/lessons/{}", lesson.slug);
        let read = Some(content.progress.read.contains(&lesson.id));
        files.push(OfflineFile {
            url: url.clone(),
            bytes: page_bytes(views::lesson_page(chrome, &content.outline, lesson, read)),
        });
        lessons.push(url);
    }
    let mut quizzes = Vec::new();
    for quiz in &content.quizzes {
        let page = format!("/courses/{slug}/quizzes/{}", quiz.quiz.id);
        files.push(OfflineFile {
            url: page.clone(),
            bytes: page_bytes(views::quiz_page(chrome, &slug, &quiz.quiz, &quiz.attempts)),
        });
        quizzes.push(OfflineQuizEntry {
            start: quiz.startable.then(|| format!("{page}/attempts")),
            bytes: if quiz.startable {
                page_bytes(views::attempt_page(chrome, &slug, &quiz.sample))
            } else {
                0
            },
            page,
        });
    }
    if !chrome.data_saver {
        let mut images: Vec<_> = content.media.values().filter(|m| m.kind == "image").collect();
        images.sort_by(|a, b| a.sha256.cmp(&b.sha256));
        images.dedup_by(|a, b| a.sha256 == b.sha256);
        for image in images {
            let fits = |content_type: &str| {
                image
                    .variants
                    .iter()
                    .filter(|v| v.content_type == content_type && v.width <= PHONE_WIDTH)
                    .max_by_key(|v| v.width)
            };
            let fallback = image
                .variants
                .iter()
                .filter(|v| v.content_type != "image/webp" && v.width <= PHONE_WIDTH)
                .max_by_key(|v| v.width);
            files.push(match fits("image/webp").or(fallback) {
                Some(v) => {
                    OfflineFile { url: variant_url(&image.sha256, v.width, &v.content_type), bytes: v.size }
                }
                None => OfflineFile { url: image.url(), bytes: image.size },
            });
        }
    }
    let total_bytes =
        files.iter().map(|f| f.bytes).sum::<u64>() + quizzes.iter().map(|q| q.bytes).sum::<u64>();
    let size_text = chrome.lang.ta("offline-course-size", &[("size", human_size(total_bytes).into())]);
    Manifest {
        title: content.outline.version.title.clone(),
        version: content.outline.version.number,
        saved_page: format!("/courses/{slug}/offline/saved"),
        course: slug,
        account,
        files,
        quizzes,
        lessons,
        total_bytes,
        size_text,
    }
}

/// `GET /courses/{slug}/offline`: the manifest, for an enrolled learner only (else 404). It
/// changes nothing: the phone starts or resumes each quiz's attempt with the ordinary POST.
async fn offline_manifest(
    visit: Visit,
    courses: web::Data<Courses>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let session = visit.require()?;
    let content = courses.offline_content(session.account.id, &slug).await.map_err(into_app_error)?;
    let account = storage_key(session.account.id, session.account.created_at);
    let manifest = manifest(&visit.chrome(), &content, account);
    Ok(HttpResponse::Ok()
        // Personal: never kept by a cache on the way or in the browser.
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(manifest))
}

/// `GET /courses/{slug}/offline/saved`: where an answer given offline leads (the phone keeps it
/// with the course). An enrolled learner only.
async fn saved_page(
    visit: Visit,
    courses: web::Data<Courses>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let session = visit.require()?;
    let outline = courses.outline(&slug, Some(session.account.id)).await.map_err(into_app_error)?;
    if courses.enrolment(session.account.id, outline.course.id).await.map_err(into_app_error)?.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(html(StatusCode::OK, views::offline_saved_page(&visit.chrome(), &outline)))
}
