//! The stylesheet, compiled into the binary and served under a content-hashed name so browsers
//! keep it for a year (`immutable`); precompressed once so that no request pays for compression.

use super::precompressed::Precompressed;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const STYLESHEET: &str = include_str!("style.css");

struct Stylesheet {
    url: String,
    body: Precompressed,
}

fn stylesheet() -> &'static Stylesheet {
    static SHEET: OnceLock<Stylesheet> = OnceLock::new();
    SHEET.get_or_init(|| {
        let digest = Sha256::digest(STYLESHEET.as_bytes());
        let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        Stylesheet {
            url: format!("/static/style-{hash}.css"),
            body: Precompressed::immutable("text/css; charset=utf-8", STYLESHEET),
        }
    })
}

/// The stylesheet itself, for copies of pages that travel without the server (course packs).
pub fn stylesheet_text() -> &'static str {
    STYLESHEET
}

/// The hashed URL of the stylesheet.
pub fn stylesheet_url() -> &'static str {
    &stylesheet().url
}

/// The stylesheet's size, uncompressed (what a browser keeps).
pub fn stylesheet_bytes() -> u64 {
    STYLESHEET.len() as u64
}

/// Serves the stylesheet, brotli or gzip as the client takes it.
pub async fn serve_stylesheet(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let sheet = stylesheet();
    if !sheet.url.ends_with(name.as_str()) {
        return HttpResponse::NotFound().finish();
    }
    sheet.body.respond(&req)
}
