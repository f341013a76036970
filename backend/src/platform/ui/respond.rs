//! The two answers every page handler gives: an HTML page with a status, or a redirect after a
//! form (POST → 303 → GET, so a reload never resubmits).

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
