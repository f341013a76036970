//! The two answers every page handler gives: an HTML page with a status, or a redirect after a
//! form (POST → 303 → GET, so a reload never resubmits); and a private file.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use maud::Markup;

/// An HTML page. Pages may show personal data, so browsers must not store them.
pub fn html(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(markup.into_string())
}

/// A 303 redirect after a successful form.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

/// A private file (evidence, a transcript): never cached by anything between, never sniffed into
/// another type; shown in the browser, or saved under `download` when one is given.
pub fn private_file(content_type: &str, body: Vec<u8>, download: Option<&str>) -> HttpResponse {
    let disposition = match download {
        Some(name) => format!("attachment; filename=\"{name}\""),
        None => "inline".to_owned(),
    };
    HttpResponse::Ok()
        .content_type(content_type.to_owned())
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .body(body)
}
