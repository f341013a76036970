//! Courses: versions (draft → in review → published → retired), modules, lessons, quizzes,
//! content packages, enrolments, progress and attempts. Depends on `accounts` and `platform`.

pub mod api;
pub mod authoring;
pub mod editing;
pub mod editor_http;
pub mod editor_views;
pub mod entity;
pub mod events;
pub mod http;
pub mod learning;
pub mod model;
pub mod offline;
pub mod pack;
pub mod package;
pub mod render;
pub mod review_api;
pub mod service;
pub mod views;

pub use http::{first_routes, routes};
pub use service::Courses;
