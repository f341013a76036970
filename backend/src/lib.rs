//! Lantern: continuous professional development for health workers.
//! `app` assembles the features below into one actix application; `main.rs` is the command line.

pub mod accounts;
pub mod app;
pub mod cli;
pub mod competencies;
pub mod config;
pub mod content;
pub mod courses;
pub mod credits;
pub mod demo;
pub mod error;
pub mod insights;
pub mod media;
pub mod mentorship;
pub mod notify;
pub mod platform;
pub mod search;
pub mod xapi;

pub use app::{AppState, Server};
pub use config::Config;
