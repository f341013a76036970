//! HTTP security that every response shares: headers (CSP and friends), CSRF protection for every
//! state-changing request, the client's address behind trusted proxies, and a last-resort guard
//! that turns a panic into a 500 (OWASP ASVS 3.4, 3.5, 16.5.4).

use crate::platform::tokens::{constant_time_eq, new_token};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse};
use futures_util::FutureExt;
use std::net::IpAddr;
use std::panic::AssertUnwindSafe;

/// The policy: no inline script, no plugins, no framing, forms only to ourselves.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; media-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
form-action 'self'; worker-src 'self'; manifest-src 'self'";

/// Headers added to every response that did not set its own.
pub fn default_headers(tls: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"));
    if tls {
        headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"))
    } else {
        headers
    }
}

/// Settings the CSRF guard reads from app data.
#[derive(Clone, Debug)]
pub struct CsrfSettings {
    pub cookie_name: &'static str,
    pub secure: bool,
    /// The configured public origin, e.g. `https://cpd.example.org`.
    pub origin: String,
    /// Largest URL-encoded form read while looking for the token.
    pub max_form_bytes: usize,
}

impl CsrfSettings {
    pub fn new(secure: bool, origin: String, max_form_bytes: usize) -> Self {
        let cookie_name = if secure { "__Host-lantern-csrf" } else { "lantern-csrf" };
        Self { cookie_name, secure, origin, max_form_bytes }
    }
}

/// Marks a response that is the same for every visitor (a precompressed public page): the CSRF
/// guard sets no cookie on it, so it carries nothing of the visitor.
#[derive(Clone, Copy, Debug)]
pub struct SharedPage;

/// The CSRF token of this browser, available to views through request extensions.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// The name of the hidden form field (and the `X-CSRF-Token` header alternative).
pub const CSRF_FIELD: &str = "csrf_token";

/// Why a state-changing request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsrfRefusal {
    CrossSite,
    MissingToken,
    WrongToken,
}

/// Guards every unsafe method with a double-submit token (an `HttpOnly`, `SameSite=Strict` cookie
/// echoed in a hidden field or header) plus `Origin`/`Sec-Fetch-Site` checks. Requests with no
/// cookie that carry a bearer token, or ask under `/api/`, are programs' (see `is_api_client`).
pub async fn csrf_guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(settings) = req.app_data::<actix_web::web::Data<CsrfSettings>>().cloned() else {
        return Err(actix_web::error::ErrorInternalServerError("CSRF settings missing"));
    };
    let cookie = req.cookie(settings.cookie_name).map(|c| c.value().to_owned()).filter(|v| v.len() >= 32);
    let (token, fresh) = match cookie {
        Some(token) => (token, false),
        None => (new_token(), true),
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));

    if is_unsafe(req.method()) && !is_api_client(&req) {
        let refusal = match check_request(&mut req, &settings, &token, fresh).await {
            Ok(refusal) => refusal,
            // An unreadable or oversized body: answered here so the error page can explain it.
            Err(error) => {
                return Ok(req.into_response(HttpResponse::from_error(error)).map_into_right_body());
            }
        };
        if let Some(refusal) = refusal {
            tracing::warn!(?refusal, path = req.path(), "CSRF check failed");
            let mut response = HttpResponse::Forbidden().finish();
            response.extensions_mut().insert(crate::error::ErrorDetail("error-csrf".into()));
            return Ok(req.into_response(response).map_into_right_body());
        }
    }

    let mut response = next.call(req).await?;
    // A page that is the same for every visitor holds no token: it sets no cookie either.
    if fresh && response.response().extensions().get::<SharedPage>().is_none() {
        let cookie = Cookie::build(settings.cookie_name, token)
            .path("/")
            .http_only(true)
            .secure(settings.secure)
            .same_site(SameSite::Strict)
            .finish();
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response.map_into_left_body())
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// A program, not a browser: it sends no cookie, so there is no session for a forged request to
/// ride on. With a bearer token anywhere, or with nothing at all under `/api/` (which then answers
/// 401 as the API does, not the form's 403).
fn is_api_client(req: &ServiceRequest) -> bool {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    !req.headers().contains_key(header::COOKIE) && (bearer || req.path().starts_with("/api/"))
}

async fn check_request(
    req: &mut ServiceRequest,
    settings: &CsrfSettings,
    token: &str,
    fresh: bool,
) -> Result<Option<CsrfRefusal>, Error> {
    let headers = req.headers();
    if let Some(site) = headers.get("Sec-Fetch-Site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Ok(Some(CsrfRefusal::CrossSite));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
        && origin != settings.origin
        && !same_host(origin, req.connection_info().host(), req.connection_info().scheme())
    {
        return Ok(Some(CsrfRefusal::CrossSite));
    }
    if fresh {
        // No cookie yet: nothing this request carries can match.
        return Ok(Some(CsrfRefusal::MissingToken));
    }
    let submitted = match headers.get("X-CSRF-Token").and_then(|v| v.to_str().ok()) {
        Some(value) => Some(value.to_owned()),
        None => submitted_field(req, settings.max_form_bytes).await?,
    };
    Ok(match submitted {
        None => Some(CsrfRefusal::MissingToken),
        Some(value) if constant_time_eq(value.as_bytes(), token.as_bytes()) => None,
        Some(_) => Some(CsrfRefusal::WrongToken),
    })
}

fn same_host(origin: &str, host: &str, scheme: &str) -> bool {
    origin.strip_prefix(scheme).and_then(|rest| rest.strip_prefix("://")) == Some(host)
}

/// Reads the token from a URL-encoded body (then puts the body back for the handler) or, for
/// multipart uploads whose body is streamed, from the query string.
async fn submitted_field(req: &mut ServiceRequest, limit: usize) -> Result<Option<String>, Error> {
    let content_type = req.content_type().to_owned();
    if content_type == "application/x-www-form-urlencoded" {
        let body = read_body(req, limit).await?;
        let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v));
        req.set_payload(Payload::from(body));
        Ok(token)
    } else {
        Ok(serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v)))
    }
}

async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<Bytes, Error> {
    use futures_util::StreamExt;
    let mut payload = req.take_payload();
    let mut body = actix_web::web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Err(actix_web::error::ErrorPayloadTooLarge("The form is larger than Lantern accepts."));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Turns a panic in a handler into a 500 response; the worker thread survives (ASVS 16.5.4).
/// The request itself is consumed by the panicking service, so the error page is rendered
/// against a stand-in carrying what it needs: path, language headers and the request id.
pub async fn panic_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let uri = req.uri().clone();
    let request_id = req.extensions().get::<tracing_actix_web::RequestId>().copied();
    let keep = |name: header::HeaderName| req.headers().get(&name).cloned().map(|value| (name, value));
    let headers: Vec<_> =
        [header::ACCEPT, header::ACCEPT_LANGUAGE, header::COOKIE].into_iter().filter_map(keep).collect();
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(result) => result.map(ServiceResponse::map_into_left_body),
        Err(_) => {
            tracing::error!(path = %uri.path(), "handler panicked");
            let mut stand_in = actix_web::test::TestRequest::default().uri(&uri.to_string());
            for header in headers {
                stand_in = stand_in.insert_header(header);
            }
            let request = stand_in.to_http_request();
            if let Some(id) = request_id {
                request.extensions_mut().insert(id);
            }
            Ok(ServiceResponse::new(request, HttpResponse::InternalServerError().finish())
                .map_into_right_body())
        }
    }
}

/// The trusted-proxy list, as app data.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Vec<IpAddr>);

/// The client's address: the peer, or the last untrusted hop of `X-Forwarded-For` when the peer
/// is a configured proxy (anything else is trivially forged).
pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let trusted = req.app_data::<actix_web::web::Data<TrustedProxies>>();
    let Some(trusted) = trusted.filter(|t| t.0.contains(&peer)) else {
        return Some(peer);
    };
    let forwarded = req.headers().get("X-Forwarded-For").and_then(|v| v.to_str().ok()).unwrap_or("");
    forwarded
        .rsplit(',')
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .find(|ip| !trusted.0.contains(ip))
        .or(Some(peer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::middleware::from_fn;
    use actix_web::{App, test as actix_test, web};

    async fn explode() -> HttpResponse {
        panic!("a handler bug")
    }

    #[actix_web::test]
    async fn a_panicking_handler_becomes_a_generic_500_page_with_a_request_id() {
        let app = actix_test::init_service(
            App::new()
                .wrap(from_fn(panic_guard))
                .wrap(crate::platform::ui::errors::error_pages())
                .wrap(tracing_actix_web::TracingLogger::default())
                .route("/boom", web::get().to(explode))
                .route("/fine", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let response =
            actix_test::call_service(&app, actix_test::TestRequest::get().uri("/boom").to_request()).await;
        assert_eq!(response.status(), 500);
        let body = String::from_utf8(actix_test::read_body(response).await.to_vec()).expect("utf-8");
        assert!(body.contains("Something went wrong on our side"), "a generic page: {body}");
        assert!(body.contains("<code>"), "with the request id");
        assert!(!body.contains("a handler bug"), "never the cause");
        let again =
            actix_test::call_service(&app, actix_test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(again.status(), 200, "the service keeps serving");
    }

    #[test]
    fn the_client_address_is_the_peer_unless_a_trusted_proxy_forwards_it() {
        let direct = actix_test::TestRequest::default()
            .peer_addr("203.0.113.9:5000".parse().expect("address"))
            .insert_header(("X-Forwarded-For", "1.2.3.4"))
            .to_http_request();
        assert_eq!(
            client_ip(&direct).map(|ip| ip.to_string()),
            Some("203.0.113.9".into()),
            "forged header ignored"
        );
        let proxied = actix_test::TestRequest::default()
            .peer_addr("127.0.0.1:5000".parse().expect("address"))
            .app_data(web::Data::new(TrustedProxies(vec!["127.0.0.1".parse().expect("ip")])))
            .insert_header(("X-Forwarded-For", "1.2.3.4, 198.51.100.7"))
            .to_http_request();
        assert_eq!(
            client_ip(&proxied).map(|ip| ip.to_string()),
            Some("198.51.100.7".into()),
            "the last untrusted hop"
        );
    }
}
