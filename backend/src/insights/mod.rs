//! Workforce insights: aggregate figures about an association's members (by profession, region
//! and setting; enrolments, completions, credits and mentoring) and a regulator's licensees
//! (compliance by profession, region and month), drawn as server-side SVG charts with their
//! tables and CSV files. No figure describes fewer than k people (`insights.min_cell`), and no
//! hidden figure can be recovered from the totals ([`table`]).

pub mod chart;
pub mod http;
pub mod service;
pub mod table;
pub mod views;

pub use http::routes;
pub use service::{Insights, InsightsError};
