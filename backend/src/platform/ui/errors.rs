//! Error pages: every 4xx/5xx that a handler did not render itself becomes a page in the layout
//! (or an `application/problem+json` body for API clients). A 500 shows the request id, never the
//! cause.

use super::i18n::Lang;
use super::layout::{Chrome, page};
use crate::error::{AppError, ErrorDetail};
use crate::platform::security::CsrfToken;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpMessage, HttpRequest};
use maud::html;

/// The cookie that remembers an anonymous visitor's language choice.
pub const LANG_COOKIE: &str = "lantern-lang";

/// The language of a request without knowing the account: cookie, then `Accept-Language`.
pub fn request_lang(req: &HttpRequest) -> Lang {
    req.cookie(LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()))
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// The middleware that renders error pages.
pub fn error_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render)
}

fn render<B: MessageBody + 'static>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let already_rendered = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.contains("json"));
    if already_rendered {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let request = res.request().clone();
    // A page that needs a signed-in person sends the browser to sign in, then back.
    if status.as_u16() == 401
        && request.method() == actix_web::http::Method::GET
        && !request.path().starts_with("/api/")
    {
        let location = format!("/sign-in?next={}", url_path(request.path()));
        let res = res.map_body(|head, _| {
            head.status = actix_web::http::StatusCode::SEE_OTHER;
            head.headers.insert(
                header::LOCATION,
                HeaderValue::from_str(&location).unwrap_or(HeaderValue::from_static("/sign-in")),
            );
            head.headers.remove(header::CONTENT_LENGTH);
            EitherBody::right(BoxBody::new(()))
        });
        return Ok(ErrorHandlerResponse::Response(res));
    }
    let detail = detail(&res);
    let request_id = request
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string())
        .unwrap_or_default();
    let lang = request_lang(&request);
    let wants_json = request.path().starts_with("/api/")
        || request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("json") && !v.contains("text/html"));

    let title =
        lang.try_t(&format!("error-{}-title", status.as_u16())).unwrap_or_else(|| lang.t("error-title"));
    let explanation = detail
        .map(|d| lang.try_t(&d).unwrap_or(d))
        .or_else(|| lang.try_t(&format!("error-{}-text", status.as_u16())))
        .unwrap_or_default();

    let (content_type, body) = if wants_json {
        let problem = serde_json::json!({
            "type": "about:blank",
            "title": title,
            "status": status.as_u16(),
            "detail": explanation,
            "request_id": request_id,
        });
        ("application/problem+json", problem.to_string())
    } else {
        let csrf = request.extensions().get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let chrome = Chrome::minimal(lang, csrf, request.path().to_owned());
        let markup = page(
            &chrome,
            &title,
            html! {
                div.card {
                    p.big aria-hidden="true" { (status.as_u16()) }
                    h1 { (title) }
                    @if !explanation.is_empty() { p { (explanation) } }
                    @if status.as_u16() == 401 {
                        p { a.button href={"/sign-in?next=" (url_path(request.path()))} { (lang.t("nav-sign-in")) } }
                    }
                    @if status.is_server_error() && !request_id.is_empty() {
                        p.muted { (lang.t("error-request-id")) " " code { (request_id) } }
                    }
                    p { a href="/" { (lang.t("error-home")) } }
                }
            },
        );
        ("text/html; charset=utf-8", markup.into_string())
    };
    let res = res.map_body(|head, _| {
        head.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        head.headers.remove(header::CONTENT_LENGTH);
        EitherBody::right(BoxBody::new(body))
    });
    Ok(ErrorHandlerResponse::Response(res))
}

/// What may be told about the error: a message a handler attached, or the reason an extractor
/// refused the request (malformed form, body too large). Never an internal cause.
fn detail<B>(res: &ServiceResponse<B>) -> Option<String> {
    if let Some(detail) = res.response().extensions().get::<ErrorDetail>() {
        return Some(detail.0.clone());
    }
    let error = res.response().error()?;
    if error.as_error::<AppError>().is_some() || res.status().is_server_error() {
        return None;
    }
    Some(error.to_string())
}

fn url_path(path: &str) -> String {
    path.chars().filter(|c| c.is_ascii_alphanumeric() || "/-_.".contains(*c)).collect()
}
