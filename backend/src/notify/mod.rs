//! Notifications: the platform admin's view of the email outbox (queued, sent, failed, retry).
//! The outbox itself and its sender live in `platform::mail`; features enqueue their own messages.
//! Depends on `accounts` (who may see it) and `platform`.

pub mod http;
pub mod views;

pub use http::routes;
