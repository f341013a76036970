//! What no feature owns: the database pools, the clock, HTTP security (headers, CSRF, client
//! address), the email outbox and its transport, stored media objects, uploads, telemetry, the
//! sealing of secrets kept in the database, and the page layout.
//! `platform` depends on no feature; every feature may depend on it.

pub mod api;
pub mod audit;
pub mod changes;
pub mod clock;
pub mod db;
pub mod etag;
pub mod mail;
pub mod media;
pub mod queue;
pub mod secrets;
pub mod security;
pub mod storage;
pub mod telemetry;
pub mod tokens;
pub mod ui;
