//! What a learner's course work proves, told to the features below courses (competency
//! evidence now, CPD credits later) inside the transaction that records it: the evidence is
//! written with the completion or the quiz result, or neither is. Courses knows only this
//! trait; the application wires the listeners at start.

use super::package::CompetencyLevel;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use sea_orm::{DatabaseTransaction, DbErr};

/// A learner's course work that may prove something.
#[derive(Clone, Debug)]
pub enum LearningEvent {
    /// A learner enrolled in a course's published version.
    Enrolled { account_id: i32, course_version_id: i32, at: DateTime<Utc> },
    /// Every lesson read and every quiz passed.
    CourseCompleted {
        account_id: i32,
        course_version_id: i32,
        organisation_id: i32,
        course_title: String,
        /// The course's and its lessons' competencies, the highest level per code.
        competencies: Vec<CompetencyLevel>,
        at: DateTime<Utc>,
    },
    /// A submitted quiz attempt, pass or fail.
    QuizSubmitted {
        account_id: i32,
        attempt_id: i32,
        organisation_id: i32,
        title: String,
        pass_mark: i32,
        /// Each question's competencies and whether the learner answered it right.
        questions: Vec<(Vec<CompetencyLevel>, bool)>,
        at: DateTime<Utc>,
    },
}

/// A feature that records something when a learner's course work proves it.
pub trait LearningListener: Send + Sync {
    /// Records what `event` proves, in `txn`. An error undoes the learner's change too.
    fn record<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        event: &'a LearningEvent,
    ) -> BoxFuture<'a, Result<(), DbErr>>;
}
