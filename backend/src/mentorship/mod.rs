//! Mentorship: mentors' profiles and what they offer, mentees' requests pre-filled from their
//! competency gaps, matching rounds that maximise the total score exactly (min-cost flow in
//! [`solver`]), explained pairs, and a pair's life from proposal to close.

pub mod api;
pub mod emails;
pub mod entity;
pub mod http;
pub mod matching;
pub mod service;
pub mod solver;
pub mod views;

pub use service::{Mentoring, MentorshipError};
