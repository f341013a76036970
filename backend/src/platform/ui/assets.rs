//! Files compiled into the binary and served under a content-hashed name so browsers keep them
//! for a year (`immutable`): the stylesheet and the page scripts of the offline features,
//! precompressed once so that no request pays for compression. Service workers are the exception:
//! they live at fixed URLs that browsers revalidate on every check.

use super::precompressed::Precompressed;
use crate::platform::security::SharedPage;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";

/// A file served under a URL that holds the first bytes of its SHA-256.
pub struct HashedAsset {
    url: String,
    body: Precompressed,
}

impl HashedAsset {
    /// `prefix` and `extension` frame the hash: `/static/style-` + hash + `.css`.
    pub fn new(prefix: &str, extension: &str, content_type: &'static str, text: &'static str) -> Self {
        let digest = Sha256::digest(text.as_bytes());
        let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        Self { url: format!("{prefix}{hash}{extension}"), body: Precompressed::immutable(content_type, text) }
    }

    /// A script, as `new` with JavaScript's type and extension.
    pub fn script(prefix: &str, text: &'static str) -> Self {
        Self::new(prefix, ".js", JAVASCRIPT, text)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The file when `name` is the last segment of its URL (brotli or gzip as the client takes
    /// it); 404 for any other name, such as an older version's.
    pub fn respond(&self, req: &HttpRequest, name: &str) -> HttpResponse {
        if self.url.rsplit('/').next() != Some(name) {
            return HttpResponse::NotFound().finish();
        }
        self.body.respond(req)
    }
}

/// A service worker's script: revalidated on every check (browsers compare its bytes to install
/// a new version) and the same for everyone, so it carries no CSRF cookie.
pub fn service_worker(script: &'static str) -> HttpResponse {
    let mut response = HttpResponse::Ok()
        .content_type(JAVASCRIPT)
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(script);
    response.extensions_mut().insert(SharedPage);
    response
}

const STYLESHEET: &str = include_str!("style.css");

fn stylesheet() -> &'static HashedAsset {
    static SHEET: OnceLock<HashedAsset> = OnceLock::new();
    SHEET.get_or_init(|| HashedAsset::new("/static/style-", ".css", "text/css; charset=utf-8", STYLESHEET))
}

/// The stylesheet itself, for copies of pages that travel without the server (course packs).
pub fn stylesheet_text() -> &'static str {
    STYLESHEET
}

/// The hashed URL of the stylesheet.
pub fn stylesheet_url() -> &'static str {
    stylesheet().url()
}

/// The stylesheet's size, uncompressed (what a browser keeps).
pub fn stylesheet_bytes() -> u64 {
    STYLESHEET.len() as u64
}

/// Serves the stylesheet, brotli or gzip as the client takes it.
pub async fn serve_stylesheet(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    stylesheet().respond(&req, &name)
}
