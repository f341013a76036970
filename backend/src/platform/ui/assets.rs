//! The stylesheet, compiled into the binary and served under a content-hashed name so browsers
//! keep it for a year (`immutable`); precompressed once so that no request pays for compression.

use actix_web::http::header::{self, ContentEncoding};
use actix_web::{HttpRequest, HttpResponse, web};
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::OnceLock;

const STYLESHEET: &str = include_str!("style.css");

struct Stylesheet {
    url: String,
    gzip: Vec<u8>,
}

fn stylesheet() -> &'static Stylesheet {
    static SHEET: OnceLock<Stylesheet> = OnceLock::new();
    SHEET.get_or_init(|| {
        let digest = Sha256::digest(STYLESHEET.as_bytes());
        let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        let gzip =
            encoder.write_all(STYLESHEET.as_bytes()).and_then(|()| encoder.finish()).unwrap_or_default();
        Stylesheet { url: format!("/static/style-{hash}.css"), gzip }
    })
}

/// The hashed URL of the stylesheet.
pub fn stylesheet_url() -> &'static str {
    &stylesheet().url
}

/// Serves the stylesheet, compressed when the client accepts gzip.
pub async fn serve_stylesheet(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let sheet = stylesheet();
    if !sheet.url.ends_with(name.as_str()) {
        return HttpResponse::NotFound().finish();
    }
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::VARY, "Accept-Encoding"));
    let accepts_gzip = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    if accepts_gzip && !sheet.gzip.is_empty() {
        response.insert_header(ContentEncoding::Gzip).body(sheet.gzip.clone())
    } else {
        response.insert_header(ContentEncoding::Identity).body(STYLESHEET)
    }
}
