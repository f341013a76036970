//! Competencies: frameworks (versioned, imported from JSON or CSV, edited in the browser),
//! evidence from courses, quizzes, observed practice and self-assessment, learners' profiles by
//! the rule in [`profile`], role profiles and gaps, consent to share a profile, and aggregated
//! gaps for associations. Depends on `accounts`, `courses` (its learning events) and `platform`.

pub mod emails;
pub mod entity;
pub mod framework;
pub mod frameworks_api;
pub mod profile;
pub mod service;

pub use service::Competencies;
pub mod http;
pub mod views;
pub use http::routes;
