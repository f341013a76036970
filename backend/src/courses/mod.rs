//! Courses: versions (draft → in review → published → retired), modules, lessons, quizzes,
//! content packages, enrolments, progress and attempts. Depends on `accounts` and `platform`.

pub mod model;
pub mod package;
pub mod render;
