//! Media over HTTP: `/media/<sha256>` and its variants `/media/<sha256>/<width>.<webp|jpg|png>`,
//! streamed from the store in chunks (memory stays flat for a 1 GB video), with byte ranges
//! (206, or 416 when unsatisfiable), `ETag`/`If-None-Match` (304), `If-Range`, and immutable
//! caching: a content address never changes meaning.
//!
//! Media is registered ahead of the pages' middleware stack (sessions, CSRF cookie, error pages,
//! compression, request spans) and carries only the security headers and the request metrics:
//! it is the same bytes for every visitor, needs none of them, and a video player or PDF viewer
//! asks for it in many small ranges, where that stack cost more than the read itself.

use super::service::{Media, Served};
use crate::error::AppError;
use crate::platform::{security, telemetry};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use std::ops::Range;

/// `/media/…`, to be registered before the scope that holds the pages (`tls`: HSTS too).
pub fn services(cfg: &mut web::ServiceConfig, tls: bool) {
    cfg.service(
        web::resource("/media/{sha256}")
            .wrap(security::default_headers(tls))
            .wrap(from_fn(telemetry::record_metrics))
            .route(web::get().to(object))
            .route(web::head().to(object)),
    )
    .service(
        web::resource("/media/{sha256}/{variant}")
            .wrap(security::default_headers(tls))
            .wrap(from_fn(telemetry::record_metrics))
            .route(web::get().to(variant))
            .route(web::head().to(variant)),
    );
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

async fn object(
    req: HttpRequest,
    media: web::Data<Media>,
    sha256: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let sha256 = sha256.into_inner();
    if !is_sha256(&sha256) {
        return Err(AppError::NotFound);
    }
    let served = media.object(&sha256).await?.ok_or(AppError::NotFound)?;
    serve(&req, &media, served).await
}

/// A variant not made yet (its job still queued) answers with the original, briefly.
async fn variant(
    req: HttpRequest,
    media: web::Data<Media>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (sha256, name) = path.into_inner();
    if !is_sha256(&sha256) {
        return Err(AppError::NotFound);
    }
    match media.variant(&sha256, &name).await? {
        Some(served) => serve(&req, &media, served).await,
        None if media.object(&sha256).await?.is_some() => Ok(HttpResponse::TemporaryRedirect()
            .insert_header((header::LOCATION, format!("/media/{sha256}")))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish()),
        None => Err(AppError::NotFound),
    }
}

/// What a `Range` header asks of a body of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    Whole,
    Part(Range<u64>),
    Unsatisfiable,
}

/// Reads a `Range` header. One range is served; a header naming several, or one that cannot be
/// read, is ignored and the whole body sent (RFC 9110 allows both).
pub fn wanted(header: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let range = match (first.parse::<u64>(), last.parse::<u64>()) {
        // bytes=-N: the last N bytes.
        (Err(_), Ok(suffix)) if first.is_empty() => {
            if suffix == 0 || size == 0 {
                return Wanted::Unsatisfiable;
            }
            size.saturating_sub(suffix)..size
        }
        (Ok(start), Err(_)) if last.is_empty() => start..size,
        (Ok(start), Ok(end)) if end >= start => start..end.saturating_add(1).min(size),
        _ => return Wanted::Whole,
    };
    if range.start >= size { Wanted::Unsatisfiable } else { Wanted::Part(range) }
}

async fn serve(req: &HttpRequest, media: &Media, served: Served) -> Result<HttpResponse, AppError> {
    let etag = format!("\"{}\"", served.sha256);
    let headers = req.headers();
    let header_text = |name| headers.get(name).and_then(|v: &header::HeaderValue| v.to_str().ok());
    if header_text(header::IF_NONE_MATCH).is_some_and(|v| {
        v.split(',').any(|t| t.trim() == etag || t.trim() == "*" || t.trim() == format!("W/{etag}"))
    }) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .finish());
    }
    // If-Range: the range holds only for the same content, which under one address it always is.
    let range_header = match header_text(header::IF_RANGE) {
        Some(tag) if tag.trim() != etag => None,
        _ => header_text(header::RANGE),
    };
    let size = served.size;
    let (status, range) = match wanted(range_header, size) {
        Wanted::Whole => (StatusCode::OK, 0..size),
        Wanted::Part(range) => (StatusCode::PARTIAL_CONTENT, range),
        Wanted::Unsatisfiable => {
            return Ok(HttpResponse::RangeNotSatisfiable()
                .insert_header((header::CONTENT_RANGE, format!("bytes */{size}")))
                .insert_header((header::ACCEPT_RANGES, "bytes"))
                .finish());
        }
    };
    let mut response = HttpResponse::build(status);
    response
        .content_type(served.content_type.as_str())
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        // Already compressed (images, audio, video, PDF): never recompressed, so ranges hold.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"));
    if status == StatusCode::PARTIAL_CONTENT {
        response.insert_header((
            header::CONTENT_RANGE,
            format!("bytes {}-{}/{size}", range.start, range.end.saturating_sub(1)),
        ));
    }
    let length = range.end - range.start;
    if length == 0 {
        return Ok(response.finish());
    }
    if req.method() == actix_web::http::Method::HEAD {
        // A sized body that is never read: the length is announced, nothing is fetched.
        let nothing = futures_util::stream::empty::<Result<bytes::Bytes, std::io::Error>>();
        return Ok(response.body(actix_web::body::SizedStream::new(length, nothing)));
    }
    let unavailable = |error: &dyn std::fmt::Display| {
        tracing::error!(%error, sha256 = %served.sha256, "media: the store did not answer");
        AppError::Unavailable
    };
    let mut stream =
        media.storage().stream(&served.sha256, range, size).await.map_err(|e| unavailable(&e))?;
    // The first chunk is read before the status goes out: a store that does not answer gets a
    // 503 the client can retry, not a 200 with a body that breaks off.
    let first = match stream.next().await {
        Some(Ok(chunk)) => chunk,
        Some(Err(error)) => return Err(unavailable(&error)),
        None => return Err(unavailable(&"the object ended before its first byte")),
    };
    let body = futures_util::stream::once(async { Ok(first) }).chain(stream);
    Ok(response.no_chunking(length).streaming(body))
}

#[cfg(test)]
mod tests {
    use super::{Wanted, wanted};

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(wanted(None, 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-9"), 100), Wanted::Part(0..10));
        assert_eq!(wanted(Some("bytes=90-"), 100), Wanted::Part(90..100));
        assert_eq!(wanted(Some("bytes=-5"), 100), Wanted::Part(95..100));
        assert_eq!(wanted(Some("bytes=-500"), 100), Wanted::Part(0..100));
        assert_eq!(wanted(Some("bytes=50-5000"), 100), Wanted::Part(50..100));
        assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-0"), 0), Wanted::Unsatisfiable);
        // Not understood or several: the whole body.
        assert_eq!(wanted(Some("bytes=9-3"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-1,5-6"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("items=0-1"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=a-b"), 100), Wanted::Whole);
    }
}
