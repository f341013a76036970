//! The offline certificate verifier: a dependency-free script for the verify pages (it ports the
//! compact-form and status-list rules of `certificate` and `status_list` to WebCrypto) and the
//! service worker that keeps the page, the keys and the status lists for a phone without network.
//! Static files only, compiled into the binary; depends on `platform::ui` and nothing else.
//!
//! The script lives under a content-hashed URL kept for a year; the worker at a fixed URL,
//! revalidated on every check (browsers compare its bytes to install a new version). The worker
//! sits at the root because `/verify/{id}` takes every name under `/verify/`; a worker may control
//! any scope below its own folder, so `/verify-sw.js` can register the scope `/verify/`.

use crate::platform::ui::assets::{HashedAsset, service_worker};
use actix_web::{HttpRequest, HttpResponse, web};
use std::sync::OnceLock;

const VERIFIER: &str = include_str!("offline/verify.js");
const WORKER: &str = include_str!("offline/sw.js");

/// The service worker's URL (as routed below).
pub const WORKER_URL: &str = "/verify-sw.js";

fn verifier() -> &'static HashedAsset {
    static SCRIPT: OnceLock<HashedAsset> = OnceLock::new();
    SCRIPT.get_or_init(|| HashedAsset::script("/offline/verify-", VERIFIER))
}

/// The hashed URL of the verifier script.
pub fn verifier_url() -> &'static str {
    verifier().url()
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/offline/{name}", web::get().to(serve_verifier))
        .route("/verify-sw.js", web::get().to(serve_worker));
}

async fn serve_verifier(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    verifier().respond(&req, &name)
}

async fn serve_worker() -> HttpResponse {
    service_worker(WORKER)
}
