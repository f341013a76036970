//! Accounts: people, organisations (associations and regulators), memberships with roles,
//! sign-in (password or one-time email link), database sessions, profiles and licences.
//! Depends only on `platform`; every other feature may use its services and `Visit` extractor.

pub mod api_tokens;
pub mod emails;
pub mod entity;
pub mod http;
pub mod model;
pub mod service;
pub mod views;

pub use http::{Visit, routes};
pub use service::Accounts;
