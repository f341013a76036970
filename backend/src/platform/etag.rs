//! ETags on API reads: a `GET` under `/api/v1/` answered `200` carries a strong ETag (128 bits
//! of the SHA-256 of its body), and a request whose `If-None-Match` names it is answered `304`
//! with no body, so a phone polling for changes downloads nothing when nothing changed. The body
//! is hashed before compression; API answers are small (lists are paginated), so holding one in
//! memory to hash it costs little.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use sha2::{Digest, Sha256};

/// The middleware (see the module's documentation).
pub async fn api_etags(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let applies = req.method() == Method::GET && req.path().starts_with("/api/v1/");
    let wanted = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let response = next.call(req).await?;
    if !applies || response.status() != StatusCode::OK || response.headers().contains_key(header::ETAG) {
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("reading the answer"))?;
    let hash = Sha256::digest(&bytes);
    let tag: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    let tag = format!("\"{tag}\"");
    let value = header::HeaderValue::from_str(&tag).map_err(actix_web::error::ErrorInternalServerError)?;
    if wanted.as_deref().is_some_and(|wanted| matches(wanted, &tag)) {
        let mut not_modified = HttpResponse::NotModified();
        for name in [header::CACHE_CONTROL, header::VARY] {
            if let Some(v) = head.headers().get(&name) {
                not_modified.insert_header((name, v.clone()));
            }
        }
        not_modified.insert_header((header::ETAG, value));
        return Ok(ServiceResponse::new(request, not_modified.finish()));
    }
    head.headers_mut().insert(header::ETAG, value);
    Ok(ServiceResponse::new(request, head.set_body(BoxBody::new(bytes))))
}

/// Whether an `If-None-Match` list names `tag` (weak comparison, as RFC 9110 asks for it).
fn matches(wanted: &str, tag: &str) -> bool {
    wanted.split(',').map(str::trim).any(|w| w == "*" || w.trim_start_matches("W/") == tag)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn if_none_match_takes_lists_weak_tags_and_the_star() {
        assert!(matches("\"a\"", "\"a\""));
        assert!(matches("\"b\", W/\"a\"", "\"a\""));
        assert!(matches("*", "\"a\""));
        assert!(!matches("\"b\"", "\"a\""));
        assert!(!matches("", "\"a\""));
    }
}
