//! Search: published courses and their lessons (competencies and mentor profiles join when
//! their features land), in the searcher's language first, at `/search` and `/api/v1/search`.
//! Depends on `courses` and `platform`.

pub mod http;
pub mod service;
pub mod views;

pub use http::routes;
pub use service::Search;
