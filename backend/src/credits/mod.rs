//! CPD credits: accreditations, the tamper-evident credit ledger, outside activities and their
//! review; certificates and compliance build on it.

pub mod api;
pub mod association_api;
pub mod audit;
pub mod bulk;
pub mod certificate;
pub mod checkpoint;
pub mod compliance;
pub mod emails;
pub mod entity;
pub mod http;
pub mod issuing;
pub mod ledger;
pub mod offline;
pub mod pdf;
pub mod regulator_api;
pub mod rules;
pub mod service;
pub mod status_list;
pub mod verification;
pub mod views;

pub use compliance::Compliance;
pub use service::{Credits, CreditsError};
