//! Courses over HTTP: the catalogue, a course's page, its lessons and their media.

use super::service::{CatalogueFilter, Courses, CoursesError};
use super::views;
use crate::accounts::Visit;
use crate::accounts::http::html;
use crate::error::AppError;
use crate::platform::ui::assets::stylesheet_url;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use sha2::{Digest, Sha256};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/courses", web::get().to(list_courses))
        .route("/courses/{slug}", web::get().to(show_course))
        .route("/courses/{slug}/lessons/{lesson}", web::get().to(show_lesson))
        .route("/media/{sha256}", web::get().to(show_media));
}

fn into_app_error(error: CoursesError) -> AppError {
    match error {
        CoursesError::NotFound => AppError::NotFound,
        CoursesError::Db(error) => error.into(),
        CoursesError::Package(problems) => {
            AppError::BadRequest(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
        }
        CoursesError::Storage(error) => AppError::internal(error),
    }
}

#[derive(Deserialize, Default)]
pub struct CatalogueQuery {
    #[serde(default)]
    profession: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    language: String,
}

async fn list_courses(
    visit: Visit,
    courses: web::Data<Courses>,
    query: web::Query<CatalogueQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter =
        CatalogueFilter { profession: query.profession, topic: query.topic, language: query.language };
    let all = courses.catalogue(&CatalogueFilter::default()).await.map_err(into_app_error)?;
    let shown = courses.catalogue(&filter).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::catalogue_page(&visit.chrome(), &all, &shown, &filter)))
}

async fn show_course(
    visit: Visit,
    courses: web::Data<Courses>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let outline = courses.outline(&slug).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::course_page(&visit.chrome(), &outline)))
}

/// Lessons of a published version never change, so the page is identified by the lesson's
/// content and what the layout shows of this visitor; a repeat visit gets a 304.
async fn show_lesson(
    req: HttpRequest,
    visit: Visit,
    courses: web::Data<Courses>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (course_slug, lesson_slug) = path.into_inner();
    let (outline, lesson) = courses.lesson(&course_slug, &lesson_slug).await.map_err(into_app_error)?;
    let chrome = visit.chrome();
    let mut hasher = Sha256::new();
    for part in [
        lesson.content_hash.as_str(),
        chrome.lang.code(),
        chrome.csrf.as_str(),
        chrome.account.as_ref().map_or("", |a| a.name.as_str()),
        stylesheet_url(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let etag =
        format!("\"{}\"", hasher.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect::<String>());
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if matches {
        return Ok(HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish());
    }
    let page = views::lesson_page(&chrome, &outline, &lesson);
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(page.into_string()))
}

/// Media are named by the SHA-256 of their bytes: they never change, so browsers keep them.
async fn show_media(
    courses: web::Data<Courses>,
    sha256: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let sha256 = sha256.into_inner();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let (content_type, bytes) = courses.media(&sha256).await.map_err(into_app_error)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::ETAG, format!("\"{sha256}\"")))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .body(bytes))
}
