//! The offline certificate verifier: a dependency-free script for the verify pages (it ports the
//! compact-form and status-list rules of `certificate` and `status_list` to WebCrypto) and the
//! service worker that keeps the page, the keys and the status lists for a phone without network.
//! Static files only, compiled into the binary; depends on `platform::ui` and nothing else.
//!
//! The script lives under a content-hashed URL kept for a year; the worker at a fixed URL,
//! revalidated on every check (browsers compare its bytes to install a new version). The worker
//! sits at the root because `/verify/{id}` takes every name under `/verify/`; a worker may control
//! any scope below its own folder, so `/verify-sw.js` can register the scope `/verify/`.

use crate::platform::security::SharedPage;
use crate::platform::ui::precompressed::Precompressed;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const VERIFIER: &str = include_str!("offline/verify.js");
const WORKER: &str = include_str!("offline/sw.js");
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";

/// The service worker's URL (as routed below).
pub const WORKER_URL: &str = "/verify-sw.js";

struct Script {
    url: String,
    body: Precompressed,
}

fn verifier() -> &'static Script {
    static SCRIPT: OnceLock<Script> = OnceLock::new();
    SCRIPT.get_or_init(|| {
        let digest = Sha256::digest(VERIFIER.as_bytes());
        let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        Script {
            url: format!("/offline/verify-{hash}.js"),
            body: Precompressed::immutable(JAVASCRIPT, VERIFIER),
        }
    })
}

/// The hashed URL of the verifier script.
pub fn verifier_url() -> &'static str {
    &verifier().url
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/offline/{name}", web::get().to(serve_verifier))
        .route("/verify-sw.js", web::get().to(serve_worker));
}

async fn serve_verifier(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let script = verifier();
    if script.url.rsplit('/').next() != Some(name.as_str()) {
        return HttpResponse::NotFound().finish();
    }
    script.body.respond(&req)
}

async fn serve_worker() -> HttpResponse {
    let mut response = HttpResponse::Ok()
        .content_type(JAVASCRIPT)
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(WORKER);
    // The same for everyone: no CSRF cookie.
    response.extensions_mut().insert(SharedPage);
    response
}
