//! Pages that are the same for every anonymous visitor (a published lesson in one language), and
//! the stylesheet, are compressed once, with brotli at its best quality and with gzip; pages are
//! kept in memory within a size budget. Serving one is a lookup and a copy: no database, no
//! rendering, no compression.
//!
//! Such a page must hold nothing of its visitor: no CSRF token, no name, no notice. The caller
//! keys it by everything it depends on (for a lesson: the version, the lesson, the language and
//! the stylesheet's address).

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::Arc;

/// One page or asset, compressed both ways, with how it is served.
#[derive(Debug)]
pub struct Precompressed {
    etag: String,
    brotli: Bytes,
    gzip: Bytes,
    content_type: &'static str,
    cache_control: &'static str,
    vary: &'static str,
}

/// The page cache: bounded by the bytes it holds, least recently used pages leave first.
pub struct PageCache {
    pages: quick_cache::sync::Cache<String, Arc<Precompressed>, Weight>,
}

#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<String, Arc<Precompressed>> for Weight {
    fn weight(&self, key: &String, page: &Arc<Precompressed>) -> u64 {
        (key.len() + page.brotli.len() + page.gzip.len() + 64) as u64
    }
}

impl PageCache {
    /// A cache holding at most `bytes` of compressed pages.
    pub fn new(bytes: u64) -> Self {
        // An estimate of the number of entries, for the cache's tables: pages of about 8 KB.
        let items = usize::try_from(bytes / 8_192).unwrap_or(1).max(16);
        Self { pages: quick_cache::sync::Cache::with_weighter(items, bytes.max(1), Weight) }
    }

    pub fn get(&self, key: &str) -> Option<Arc<Precompressed>> {
        self.pages.get(key)
    }

    /// Compresses a page and keeps it.
    pub fn insert(&self, key: String, html: &str) -> Arc<Precompressed> {
        let page = Arc::new(Precompressed::page(html));
        self.pages.insert(key, Arc::clone(&page));
        page
    }
}

impl Precompressed {
    /// A page that is the same for every visitor who is not signed in: revalidated on each
    /// visit (a 304 when unchanged), different for a signed-in visitor or another language.
    pub fn page(html: &str) -> Self {
        Self::new(
            html,
            "text/html; charset=utf-8",
            "private, no-cache",
            "Accept-Encoding, Cookie, Accept-Language",
        )
    }

    /// A file under a content-hashed name: it never changes, so browsers keep it for a year.
    pub fn immutable(content_type: &'static str, text: &str) -> Self {
        Self::new(text, content_type, "public, max-age=31536000, immutable", "Accept-Encoding")
    }

    fn new(text: &str, content_type: &'static str, cache_control: &'static str, vary: &'static str) -> Self {
        let etag: String =
            Sha256::digest(text.as_bytes()).iter().take(12).map(|b| format!("{b:02x}")).collect();
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        // Writing into a Vec cannot fail.
        let _ = brotli::BrotliCompress(&mut text.as_bytes(), &mut brotli, &params);
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = gzip.write_all(text.as_bytes());
        let gzip = gzip.finish().unwrap_or_default();
        Self {
            etag: format!("\"p{etag}\""),
            brotli: Bytes::from(brotli),
            gzip: Bytes::from(gzip),
            content_type,
            cache_control,
            vary,
        }
    }

    /// The response for this request: 304 if the browser has it, else the encoding it takes best
    /// (brotli, then gzip; the rare client that takes neither gets the page decompressed).
    pub fn respond(&self, req: &HttpRequest) -> HttpResponse {
        let cached = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == self.etag));
        let mut response = if cached { HttpResponse::NotModified() } else { HttpResponse::Ok() };
        response
            .insert_header((header::ETAG, self.etag.as_str()))
            .insert_header((header::CACHE_CONTROL, self.cache_control))
            .insert_header((header::VARY, self.vary));
        if cached {
            let mut response = response.finish();
            response.extensions_mut().insert(crate::platform::security::SharedPage);
            return response;
        }
        response.content_type(self.content_type);
        let accepts = |name: &str| {
            req.headers().get_all(header::ACCEPT_ENCODING).filter_map(|v| v.to_str().ok()).any(|v| {
                v.split(',').any(|item| {
                    let mut parts = item.split(';');
                    let coding = parts.next().unwrap_or("").trim();
                    let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
                    coding.eq_ignore_ascii_case(name) && !refused
                })
            })
        };
        let mut response = if accepts("br") {
            response.insert_header((header::CONTENT_ENCODING, "br")).body(self.brotli.clone())
        } else if accepts("gzip") {
            response.insert_header((header::CONTENT_ENCODING, "gzip")).body(self.gzip.clone())
        } else {
            let mut html = Vec::new();
            let _ = std::io::copy(&mut flate2::read::GzDecoder::new(&self.gzip[..]), &mut html);
            response.body(html)
        };
        response.extensions_mut().insert(crate::platform::security::SharedPage);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[actix_web::test]
    async fn a_page_is_served_in_the_encoding_asked_for_and_304_when_unchanged() {
        let html = "<!DOCTYPE html><p>".to_owned() + &"Clean your hands. ".repeat(200);
        let cache = PageCache::new(1 << 20);
        let page = cache.insert("k".into(), &html);
        assert!(cache.get("k").is_some());
        let br = page.respond(
            &TestRequest::default().insert_header(("Accept-Encoding", "gzip, br")).to_http_request(),
        );
        assert_eq!(br.headers().get("content-encoding").unwrap(), "br");
        let gzip = page.respond(
            &TestRequest::default().insert_header(("Accept-Encoding", "gzip, br;q=0")).to_http_request(),
        );
        assert_eq!(gzip.headers().get("content-encoding").unwrap(), "gzip");
        let plain = page.respond(&TestRequest::default().to_http_request());
        let body = actix_web::body::to_bytes(plain.into_body()).await.unwrap();
        assert_eq!(body, html.as_bytes(), "decompressed for a client that takes neither");
        let etag = br.headers().get("etag").unwrap().to_str().unwrap().to_owned();
        let again =
            page.respond(&TestRequest::default().insert_header(("If-None-Match", etag)).to_http_request());
        assert_eq!(again.status(), 304);
    }

    #[test]
    fn the_cache_keeps_within_its_budget() {
        let cache = PageCache::new(64 * 1024);
        for i in 0..200 {
            // Hashes do not compress much: each page weighs a few KB.
            let text: String = (0..40).map(|j| hex(&Sha256::digest(format!("{i}-{j}")))).collect();
            cache.insert(format!("page-{i}"), &text);
        }
        let held: usize = (0..200).filter(|i| cache.get(&format!("page-{i}")).is_some()).count();
        assert!(held < 200, "older pages left");
        assert!(cache.get("page-199").is_some(), "the newest stays");
    }
}
