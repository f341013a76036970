//! The learner's use cases: enrolling (on the version published at that moment, kept until
//! they choose to move), reading lessons, quiz attempts and completion. A course is complete
//! when every lesson of the learner's version is read and every quiz in it has been passed.

use super::entity::{
    course, course_version, enrolment, lesson, lesson_progress, question, question_option, quiz, quiz_attempt,
};
use super::events::LearningEvent;
use super::package::CompetencyLevel;
use super::service::{Courses, CoursesError};
use rand::seq::SliceRandom;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

type Result<T, E = CoursesError> = std::result::Result<T, E>;

/// The highest level per competency over stored `[{code, level}]` lists, by code.
fn highest_levels<'a>(lists: impl IntoIterator<Item = &'a str>) -> Vec<CompetencyLevel> {
    let mut highest: std::collections::BTreeMap<String, i32> = std::collections::BTreeMap::new();
    for list in lists {
        for tag in serde_json::from_str::<Vec<CompetencyLevel>>(list).unwrap_or_default() {
            let level = highest.entry(tag.code).or_insert(tag.level);
            *level = (*level).max(tag.level);
        }
    }
    highest.into_iter().map(|(code, level)| CompetencyLevel { code, level }).collect()
}

/// The order an attempt shows: questions, and each question's options.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Layout {
    pub questions: Vec<(i32, Vec<i32>)>,
}

/// One question as an attempt shows it.
#[derive(Clone, Debug)]
pub struct AttemptQuestion {
    pub id: i32,
    pub kind: String,
    pub prompt: String,
    pub options: Vec<question_option::Model>,
    /// After submission: what was chosen and whether it was right.
    pub chosen: Vec<i32>,
    pub correct: Option<bool>,
}

/// An attempt with its questions, in its shuffled order.
#[derive(Clone, Debug)]
pub struct AttemptView {
    pub attempt: quiz_attempt::Model,
    pub quiz: quiz::Model,
    pub questions: Vec<AttemptQuestion>,
}

/// A learner's place in a course.
#[derive(Clone, Debug)]
pub struct Progress {
    pub enrolment: enrolment::Model,
    pub read: HashSet<i32>,
    pub lessons: usize,
    pub passed_quizzes: HashSet<i32>,
}

impl Progress {
    pub fn percent(&self) -> i64 {
        (self.read.len() * 100).checked_div(self.lessons).map_or(0, |p| p as i64)
    }
}

/// A course on "My learning".
#[derive(Clone, Debug)]
pub struct LearningItem {
    pub enrolment_id: i32,
    pub slug: String,
    pub title: String,
    pub percent: i64,
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub resume: Option<String>,
}

/// What a learner saves of a course for offline reading: their version's outline and progress,
/// its lessons, its quizzes with their attempts, and its media.
#[derive(Clone, Debug)]
pub struct OfflineContent {
    pub outline: super::service::CourseOutline,
    pub progress: Progress,
    /// In reading order.
    pub lessons: Vec<lesson::Model>,
    pub quizzes: Vec<OfflineQuiz>,
    pub media: super::render::MediaMap,
}

/// A quiz as a phone keeps it.
#[derive(Clone, Debug)]
pub struct OfflineQuiz {
    pub quiz: quiz::Model,
    pub attempts: Vec<quiz_attempt::Model>,
    /// The attempt page a phone will keep: the open attempt, or a new one as it would show
    /// (questions in package order; its size is what matters).
    pub sample: AttemptView,
    /// Whether an attempt can be started or resumed (not passed yet, attempts left or one open).
    pub startable: bool,
}

/// Whether a submission's idempotency key is one a phone makes (a UUID or the like): 8 to 64
/// letters, digits, `-` or `_`.
pub fn valid_idempotency_key(key: &str) -> bool {
    (8..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Scores answers: a question counts when exactly its correct options were chosen.
pub fn score(correct: &HashMap<i32, HashSet<i32>>, answers: &HashMap<i32, HashSet<i32>>) -> (usize, usize) {
    let right = correct
        .iter()
        .filter(|(question, options)| answers.get(question).is_some_and(|chosen| chosen == *options))
        .count();
    (right, correct.len())
}

impl Courses {
    /// The learner's enrolment in a course, if any.
    pub async fn enrolment(&self, account_id: i32, course_id: i32) -> Result<Option<enrolment::Model>> {
        Ok(enrolment::Entity::find()
            .filter(enrolment::Column::AccountId.eq(account_id))
            .filter(enrolment::Column::CourseId.eq(course_id))
            .one(self.db().read())
            .await?)
    }

    /// Enrols the learner in the published version (once; enrolling again changes nothing).
    pub async fn enrol(&self, account_id: i32, course_slug: &str) -> Result<enrolment::Model> {
        let course = self.course_by_slug(course_slug).await?;
        if let Some(existing) = self.enrolment(account_id, course.id).await? {
            return Ok(existing);
        }
        let version_id = course.published_version_id.ok_or(CoursesError::NotFound)?;
        let at = self.clock().now();
        let txn = self.db().begin().await?;
        let inserted = enrolment::ActiveModel {
            account_id: Set(account_id),
            course_id: Set(course.id),
            version_id: Set(version_id),
            enrolled_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        match inserted {
            Ok(enrolment) => {
                self.tell(&txn, LearningEvent::Enrolled { account_id, course_version_id: version_id, at })
                    .await?;
                txn.commit().await?;
                Ok(enrolment)
            }
            // Two taps at once: the other request enrolled.
            Err(error) if crate::platform::db::is_unique_violation(&error) => {
                txn.rollback().await?;
                self.enrolment(account_id, course.id).await?.ok_or(CoursesError::NotFound)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The version a visitor reads: their enrolment's, or the published one.
    pub async fn version_for(&self, account_id: Option<i32>, course: &course::Model) -> Result<i32> {
        if let Some(account_id) = account_id
            && let Some(enrolment) = self.enrolment(account_id, course.id).await?
        {
            return Ok(enrolment.version_id);
        }
        course.published_version_id.ok_or(CoursesError::NotFound)
    }

    /// Moves an enrolment to the course's published version. Progress carries over for lessons
    /// whose title and text did not change (same content hash); quizzes of the new version must be
    /// passed again. A completion already earned stays recorded.
    pub async fn move_to_published(&self, account_id: i32, course_slug: &str) -> Result<usize> {
        let course = self.course_by_slug(course_slug).await?;
        let enrolment = self.enrolment(account_id, course.id).await?.ok_or(CoursesError::NotFound)?;
        let published = course.published_version_id.ok_or(CoursesError::NotFound)?;
        if enrolment.version_id == published {
            return Ok(0);
        }
        let txn = self.db().begin().await?;
        let read: HashSet<i32> = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::EnrolmentId.eq(enrolment.id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|p| p.lesson_id)
            .collect();
        let old: HashMap<i32, String> = lesson::Entity::find()
            .filter(lesson::Column::VersionId.eq(enrolment.version_id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|l| (l.id, l.content_hash))
            .collect();
        let read_hashes: HashSet<&String> = read.iter().filter_map(|id| old.get(id)).collect();
        let carried: Vec<i32> = lesson::Entity::find()
            .filter(lesson::Column::VersionId.eq(published))
            .all(&txn)
            .await?
            .into_iter()
            .filter(|l| read_hashes.contains(&l.content_hash))
            .map(|l| l.id)
            .collect();
        lesson_progress::Entity::delete_many()
            .filter(lesson_progress::Column::EnrolmentId.eq(enrolment.id))
            .exec(&txn)
            .await?;
        let now = self.clock().now();
        for lesson_id in &carried {
            lesson_progress::ActiveModel {
                enrolment_id: Set(enrolment.id),
                lesson_id: Set(*lesson_id),
                completed_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let mut row: enrolment::ActiveModel = enrolment.into();
        row.version_id = Set(published);
        row.last_lesson_id = Set(None);
        row.update(&txn).await?;
        txn.commit().await?;
        Ok(carried.len())
    }

    /// Where a visitor stands in a course: nowhere when not signed in or not enrolled.
    pub async fn progress_in(&self, account_id: Option<i32>, course_id: i32) -> Result<Option<Progress>> {
        let Some(account_id) = account_id else { return Ok(None) };
        match self.enrolment(account_id, course_id).await? {
            Some(enrolment) => Ok(Some(self.progress(enrolment).await?)),
            None => Ok(None),
        }
    }

    /// Where the learner stands in a course.
    pub async fn progress(&self, enrolment: enrolment::Model) -> Result<Progress> {
        let db = self.db().read();
        let read = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::EnrolmentId.eq(enrolment.id))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.lesson_id)
            .collect();
        let lessons = lesson::Entity::find()
            .filter(lesson::Column::VersionId.eq(enrolment.version_id))
            .count(db)
            .await? as usize;
        let passed_quizzes = quiz_attempt::Entity::find()
            .filter(quiz_attempt::Column::EnrolmentId.eq(enrolment.id))
            .filter(quiz_attempt::Column::Passed.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.quiz_id)
            .collect();
        Ok(Progress { enrolment, read, lessons, passed_quizzes })
    }

    /// Marks a lesson read (once) and remembers it as the place to resume.
    pub async fn complete_lesson(&self, account_id: i32, course_slug: &str, lesson_slug: &str) -> Result<()> {
        let course = self.course_by_slug(course_slug).await?;
        let enrolment = self.enrolment(account_id, course.id).await?.ok_or(CoursesError::NotFound)?;
        let lesson = lesson::Entity::find()
            .filter(lesson::Column::VersionId.eq(enrolment.version_id))
            .filter(lesson::Column::Slug.eq(lesson_slug))
            .one(self.db().read())
            .await?
            .ok_or(CoursesError::NotFound)?;
        let txn = self.db().begin().await?;
        let done = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::EnrolmentId.eq(enrolment.id))
            .filter(lesson_progress::Column::LessonId.eq(lesson.id))
            .count(&txn)
            .await?;
        if done == 0 {
            lesson_progress::ActiveModel {
                enrolment_id: Set(enrolment.id),
                lesson_id: Set(lesson.id),
                completed_at: Set(self.clock().now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let mut row: enrolment::ActiveModel = enrolment.into();
        row.last_lesson_id = Set(Some(lesson.id));
        let enrolment = row.update(&txn).await?;
        self.check_completion(&txn, enrolment).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Marks the enrolment complete when every lesson is read and every quiz passed.
    async fn check_completion(
        &self,
        conn: &DatabaseTransaction,
        enrolment: enrolment::Model,
    ) -> Result<bool> {
        if enrolment.completed_at.is_some() {
            return Ok(true);
        }
        let lessons = lesson::Entity::find()
            .filter(lesson::Column::VersionId.eq(enrolment.version_id))
            .count(conn)
            .await?;
        let read = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::EnrolmentId.eq(enrolment.id))
            .count(conn)
            .await?;
        let quizzes: HashSet<i32> = quiz::Entity::find()
            .filter(quiz::Column::VersionId.eq(enrolment.version_id))
            .all(conn)
            .await?
            .into_iter()
            .map(|q| q.id)
            .collect();
        let passed: HashSet<i32> = quiz_attempt::Entity::find()
            .filter(quiz_attempt::Column::EnrolmentId.eq(enrolment.id))
            .filter(quiz_attempt::Column::Passed.eq(true))
            .all(conn)
            .await?
            .into_iter()
            .map(|a| a.quiz_id)
            .collect();
        if read >= lessons && quizzes.is_subset(&passed) {
            let (account_id, version_id) = (enrolment.account_id, enrolment.version_id);
            let now = self.clock().now();
            let mut row: enrolment::ActiveModel = enrolment.into();
            row.completed_at = Set(Some(now));
            row.update(conn).await?;
            let event = self.completion_event(conn, account_id, version_id, now).await?;
            self.tell(conn, event).await?;
            return Ok(true);
        }
        Ok(false)
    }

    /// A completion as listeners hear it: the course's and its lessons' competencies.
    async fn completion_event(
        &self,
        conn: &DatabaseTransaction,
        account_id: i32,
        version_id: i32,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<LearningEvent> {
        let version =
            course_version::Entity::find_by_id(version_id).one(conn).await?.ok_or(CoursesError::NotFound)?;
        let course =
            course::Entity::find_by_id(version.course_id).one(conn).await?.ok_or(CoursesError::NotFound)?;
        let mut lists = vec![version.competencies.clone()];
        lists.extend(
            lesson::Entity::find()
                .filter(lesson::Column::VersionId.eq(version_id))
                .all(conn)
                .await?
                .into_iter()
                .map(|l| l.competencies),
        );
        Ok(LearningEvent::CourseCompleted {
            account_id,
            course_version_id: version_id,
            organisation_id: course.organisation_id,
            course_title: version.title,
            competencies: highest_levels(lists.iter().map(String::as_str)),
            at,
        })
    }

    /// A quiz of the learner's version, with how many attempts they have used.
    pub async fn quiz_for(
        &self,
        account_id: i32,
        course_slug: &str,
        quiz_id: i32,
    ) -> Result<(enrolment::Model, quiz::Model, Vec<quiz_attempt::Model>)> {
        let course = self.course_by_slug(course_slug).await?;
        let enrolment = self.enrolment(account_id, course.id).await?.ok_or(CoursesError::NotFound)?;
        let quiz = quiz::Entity::find_by_id(quiz_id)
            .filter(quiz::Column::VersionId.eq(enrolment.version_id))
            .one(self.db().read())
            .await?
            .ok_or(CoursesError::NotFound)?;
        let attempts = quiz_attempt::Entity::find()
            .filter(quiz_attempt::Column::EnrolmentId.eq(enrolment.id))
            .filter(quiz_attempt::Column::QuizId.eq(quiz.id))
            .order_by_asc(quiz_attempt::Column::Id)
            .all(self.db().read())
            .await?;
        Ok((enrolment, quiz, attempts))
    }

    /// Starts an attempt with questions and options in a fresh random order. An unfinished
    /// attempt is resumed rather than a new one started; used-up attempts are refused.
    pub async fn start_attempt(
        &self,
        account_id: i32,
        course_slug: &str,
        quiz_id: i32,
    ) -> Result<Option<quiz_attempt::Model>> {
        let (enrolment, quiz, attempts) = self.quiz_for(account_id, course_slug, quiz_id).await?;
        if let Some(open) = attempts.iter().find(|a| a.submitted_at.is_none()) {
            return Ok(Some(open.clone()));
        }
        if quiz.max_attempts > 0 && attempts.len() >= quiz.max_attempts as usize {
            return Ok(None);
        }
        let questions = question::Entity::find()
            .filter(question::Column::QuizId.eq(quiz.id))
            .all(self.db().read())
            .await?;
        let question_ids: Vec<i32> = questions.iter().map(|q| q.id).collect();
        let options = question_option::Entity::find()
            .filter(question_option::Column::QuestionId.is_in(question_ids))
            .all(self.db().read())
            .await?;
        let layout = {
            let mut rng = rand::rng();
            let mut order: Vec<(i32, Vec<i32>)> = questions
                .iter()
                .map(|q| {
                    let mut ids: Vec<i32> =
                        options.iter().filter(|o| o.question_id == q.id).map(|o| o.id).collect();
                    // True/false keeps its natural order; other options are shuffled.
                    if q.kind != "true_false" {
                        ids.shuffle(&mut rng);
                    } else {
                        ids.sort_unstable();
                    }
                    (q.id, ids)
                })
                .collect();
            order.shuffle(&mut rng);
            Layout { questions: order }
        };
        let attempt = quiz_attempt::ActiveModel {
            enrolment_id: Set(enrolment.id),
            quiz_id: Set(quiz.id),
            layout: Set(serde_json::to_string(&layout).unwrap_or_default()),
            started_at: Set(self.clock().now()),
            ..Default::default()
        }
        .insert(self.db().write())
        .await?;
        Ok(Some(attempt))
    }

    /// An attempt of this learner, with its questions in the attempt's order.
    pub async fn attempt(&self, account_id: i32, course_slug: &str, attempt_id: i32) -> Result<AttemptView> {
        let course = self.course_by_slug(course_slug).await?;
        let enrolment = self.enrolment(account_id, course.id).await?.ok_or(CoursesError::NotFound)?;
        let db = self.db().read();
        let attempt = quiz_attempt::Entity::find_by_id(attempt_id)
            .filter(quiz_attempt::Column::EnrolmentId.eq(enrolment.id))
            .one(db)
            .await?
            .ok_or(CoursesError::NotFound)?;
        let quiz = quiz::Entity::find_by_id(attempt.quiz_id).one(db).await?.ok_or(CoursesError::NotFound)?;
        let layout: Layout =
            serde_json::from_str(&attempt.layout).unwrap_or(Layout { questions: Vec::new() });
        let answers: HashMap<i32, Vec<i32>> =
            attempt.answers.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
        let questions = question::Entity::find().filter(question::Column::QuizId.eq(quiz.id)).all(db).await?;
        let options = question_option::Entity::find()
            .filter(question_option::Column::QuestionId.is_in(questions.iter().map(|q| q.id)))
            .all(db)
            .await?;
        let submitted = attempt.submitted_at.is_some();
        let view_questions = layout
            .questions
            .iter()
            .filter_map(|(question_id, option_ids)| {
                let q = questions.iter().find(|q| q.id == *question_id)?;
                let ordered: Vec<question_option::Model> = option_ids
                    .iter()
                    .filter_map(|id| options.iter().find(|o| o.id == *id).cloned())
                    .collect();
                let chosen = answers.get(question_id).cloned().unwrap_or_default();
                let correct_ids: HashSet<i32> = ordered.iter().filter(|o| o.correct).map(|o| o.id).collect();
                let chosen_set: HashSet<i32> = chosen.iter().copied().collect();
                Some(AttemptQuestion {
                    id: q.id,
                    kind: q.kind.clone(),
                    prompt: q.prompt.clone(),
                    options: ordered,
                    correct: submitted.then_some(chosen_set == correct_ids),
                    chosen,
                })
            })
            .collect();
        Ok(AttemptView { attempt, quiz, questions: view_questions })
    }

    /// Scores and records the answers of an open attempt. Submitting again (a double tap, a
    /// retried request, answers a phone queued offline and sends again) returns the recorded
    /// result and changes nothing. A phone's submission carries an idempotency key, recorded with
    /// the attempt; a key already recorded on another attempt is refused.
    pub async fn submit_attempt(
        &self,
        account_id: i32,
        course_slug: &str,
        attempt_id: i32,
        answers: HashMap<i32, HashSet<i32>>,
        idempotency_key: Option<&str>,
    ) -> Result<AttemptView> {
        let view = self.attempt(account_id, course_slug, attempt_id).await?;
        if view.attempt.submitted_at.is_some() {
            return Ok(view);
        }
        let correct: HashMap<i32, HashSet<i32>> = view
            .questions
            .iter()
            .map(|q| (q.id, q.options.iter().filter(|o| o.correct).map(|o| o.id).collect()))
            .collect();
        // Only options of the question count: anything else a form carries is dropped.
        let answers: HashMap<i32, HashSet<i32>> = view
            .questions
            .iter()
            .map(|q| {
                let valid: HashSet<i32> = q.options.iter().map(|o| o.id).collect();
                let chosen =
                    answers.get(&q.id).map(|c| c.intersection(&valid).copied().collect()).unwrap_or_default();
                (q.id, chosen)
            })
            .collect();
        let (right, total) = score(&correct, &answers);
        let percent = (right * 100).checked_div(total).map_or(0, |p| p as i32);
        let passed = percent >= view.quiz.pass_mark;
        let stored: HashMap<i32, Vec<i32>> =
            answers.iter().map(|(q, c)| (*q, c.iter().copied().collect())).collect();
        let txn = self.db().begin().await?;
        let updated = quiz_attempt::Entity::update_many()
            .col_expr(
                quiz_attempt::Column::Answers,
                sea_orm::sea_query::Expr::value(serde_json::to_string(&stored).unwrap_or_default()),
            )
            .col_expr(quiz_attempt::Column::ScorePercent, sea_orm::sea_query::Expr::value(percent))
            .col_expr(quiz_attempt::Column::Passed, sea_orm::sea_query::Expr::value(passed))
            .col_expr(quiz_attempt::Column::SubmittedAt, sea_orm::sea_query::Expr::value(self.clock().now()))
            .col_expr(
                quiz_attempt::Column::IdempotencyKey,
                sea_orm::sea_query::Expr::value(idempotency_key.map(str::to_owned)),
            )
            .filter(quiz_attempt::Column::Id.eq(view.attempt.id))
            .filter(quiz_attempt::Column::SubmittedAt.is_null())
            .exec(&txn)
            .await
            .map_err(|error| match crate::platform::db::is_unique_violation(&error) {
                true => CoursesError::Conflict("quiz-key-used".into()),
                false => error.into(),
            })?;
        if updated.rows_affected == 1 {
            let enrolment = enrolment::Entity::find_by_id(view.attempt.enrolment_id)
                .one(&txn)
                .await?
                .ok_or(CoursesError::NotFound)?;
            let tags: HashMap<i32, String> = question::Entity::find()
                .filter(question::Column::QuizId.eq(view.quiz.id))
                .all(&txn)
                .await?
                .into_iter()
                .map(|q| (q.id, q.competencies))
                .collect();
            // A question names competencies without levels: it evidences each at the level the
            // course version gives it, or 1.
            let version = course_version::Entity::find_by_id(enrolment.version_id).one(&txn).await?;
            let course_levels = highest_levels(version.as_ref().map(|v| v.competencies.as_str()));
            let questions = view
                .questions
                .iter()
                .map(|q| {
                    let right = correct.get(&q.id) == answers.get(&q.id);
                    let codes: Vec<String> =
                        tags.get(&q.id).and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
                    let levels = codes
                        .into_iter()
                        .map(|code| {
                            let level = course_levels.iter().find(|c| c.code == code).map_or(1, |c| c.level);
                            CompetencyLevel { code, level }
                        })
                        .collect();
                    (levels, right)
                })
                .collect();
            let course = course::Entity::find_by_id(enrolment.course_id)
                .one(&txn)
                .await?
                .ok_or(CoursesError::NotFound)?;
            let event = LearningEvent::QuizSubmitted {
                account_id,
                attempt_id: view.attempt.id,
                organisation_id: course.organisation_id,
                title: view.quiz.title.clone(),
                pass_mark: view.quiz.pass_mark,
                questions,
                at: self.clock().now(),
            };
            self.tell(&txn, event).await?;
            if passed {
                self.check_completion(&txn, enrolment).await?;
            }
        }
        txn.commit().await?;
        self.attempt(account_id, course_slug, attempt_id).await
    }

    /// What the learner needs to follow a course with no network (see [`OfflineContent`]).
    /// Reads only: attempts are started by the phone through `start_attempt`, a POST.
    pub async fn offline_content(&self, account_id: i32, course_slug: &str) -> Result<OfflineContent> {
        let course = self.course_by_slug(course_slug).await?;
        let enrolment = self.enrolment(account_id, course.id).await?.ok_or(CoursesError::NotFound)?;
        let outline = self.outline(course_slug, Some(account_id)).await?;
        let progress = self.progress(enrolment.clone()).await?;
        let db = self.db().read();
        let mut lessons =
            lesson::Entity::find().filter(lesson::Column::VersionId.eq(enrolment.version_id)).all(db).await?;
        let order: Vec<i32> = outline.modules.iter().flat_map(|m| m.lessons.iter().map(|l| l.id)).collect();
        lessons.sort_by_key(|l| order.iter().position(|id| *id == l.id).unwrap_or(usize::MAX));
        let mut quizzes = Vec::new();
        for quiz_id in outline.modules.iter().filter_map(|m| m.quiz.as_ref().map(|(id, _, _)| *id)) {
            let (_, quiz, attempts) = self.quiz_for(account_id, course_slug, quiz_id).await?;
            let open = attempts.iter().find(|a| a.submitted_at.is_none());
            let passed = attempts.iter().any(|a| a.passed == Some(true));
            let left = quiz.max_attempts == 0 || attempts.len() < quiz.max_attempts as usize;
            let sample = match open {
                Some(open) => self.attempt(account_id, course_slug, open.id).await?,
                None => self.sample_attempt(&enrolment, &quiz).await?,
            };
            let startable = !passed && (open.is_some() || left);
            quizzes.push(OfflineQuiz { quiz, attempts, sample, startable });
        }
        let media = super::service::media_map(db, self.media(), enrolment.version_id).await?;
        Ok(OfflineContent { outline, progress, lessons, quizzes, media })
    }

    /// A new attempt as its page would show it, without starting one.
    async fn sample_attempt(&self, enrolment: &enrolment::Model, quiz: &quiz::Model) -> Result<AttemptView> {
        let db = self.db().read();
        let questions = question::Entity::find()
            .filter(question::Column::QuizId.eq(quiz.id))
            .order_by_asc(question::Column::Id)
            .all(db)
            .await?;
        let options = question_option::Entity::find()
            .filter(question_option::Column::QuestionId.is_in(questions.iter().map(|q| q.id)))
            .order_by_asc(question_option::Column::Id)
            .all(db)
            .await?;
        let questions = questions
            .into_iter()
            .map(|q| AttemptQuestion {
                id: q.id,
                options: options.iter().filter(|o| o.question_id == q.id).cloned().collect(),
                kind: q.kind,
                prompt: q.prompt,
                chosen: Vec::new(),
                correct: None,
            })
            .collect();
        let attempt = quiz_attempt::Model {
            id: 0,
            enrolment_id: enrolment.id,
            quiz_id: quiz.id,
            layout: String::new(),
            answers: None,
            score_percent: None,
            passed: None,
            idempotency_key: None,
            started_at: self.clock().now(),
            submitted_at: None,
        };
        Ok(AttemptView { attempt, quiz: quiz.clone(), questions })
    }

    /// The learner's courses, newest first, with progress and where to resume.
    pub async fn my_learning(&self, account_id: i32) -> Result<Vec<LearningItem>> {
        let db = self.db().read();
        let enrolments = enrolment::Entity::find()
            .filter(enrolment::Column::AccountId.eq(account_id))
            .order_by_desc(enrolment::Column::EnrolledAt)
            .all(db)
            .await?;
        let mut items = Vec::new();
        for enrolment in enrolments {
            let course = course::Entity::find_by_id(enrolment.course_id)
                .one(db)
                .await?
                .ok_or(CoursesError::NotFound)?;
            let version = course_version::Entity::find_by_id(enrolment.version_id)
                .one(db)
                .await?
                .ok_or(CoursesError::NotFound)?;
            let resume = match enrolment.last_lesson_id {
                Some(id) => lesson::Entity::find_by_id(id).one(db).await?.map(|l| l.slug),
                None => None,
            };
            let (enrolment_id, completed_at) = (enrolment.id, enrolment.completed_at);
            let progress = self.progress(enrolment).await?;
            items.push(LearningItem {
                enrolment_id,
                slug: course.slug,
                title: version.title,
                percent: progress.percent(),
                completed_at,
                resume,
            });
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_counts_only_with_exactly_its_correct_options() {
        let correct: HashMap<i32, HashSet<i32>> =
            [(1, [10].into()), (2, [20, 21].into()), (3, [30].into())].into();
        let answers: HashMap<i32, HashSet<i32>> =
            [(1, [10].into()), (2, [20].into()), (3, [30, 31].into())].into();
        assert_eq!(score(&correct, &answers), (1, 3), "partial and over-selection both miss");
        let all: HashMap<i32, HashSet<i32>> = correct.clone();
        assert_eq!(score(&correct, &all), (3, 3));
        assert_eq!(score(&correct, &HashMap::new()), (0, 3));
    }
}
