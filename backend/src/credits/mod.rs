//! CPD credits: accreditations, the tamper-evident credit ledger, outside activities and their
//! review; certificates and compliance build on it.

pub mod entity;
pub mod http;
pub mod ledger;
pub mod rules;
pub mod service;
pub mod views;

pub use service::{Credits, CreditsError};
