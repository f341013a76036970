//! Authors and reviewers of an association: upload a package as a draft version, submit it for
//! review, and a reviewer (never the version's author or submitter) publishes it or returns it
//! with a comment. Every transition is a `version_event` (who, when, comment).

use super::entity::{course, course_version, enrolment, lesson, version_event};
use super::package::{self, Limits, PackageFiles};
use super::service::{Courses, CoursesError, Imported};
use crate::accounts::entity::{account, organisation};
use crate::accounts::model::{Actor, Capability, authorize};
use crate::platform::mail;
use crate::platform::ui::Lang;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};

type Result<T, E = CoursesError> = std::result::Result<T, E>;

/// A transition in a version's life, with who made it.
#[derive(Clone, Debug)]
pub struct VersionEvent {
    pub action: String,
    pub actor: String,
    pub comment: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Courses {
    /// An association's courses with all their versions, newest first.
    pub async fn organisation_courses(
        &self,
        organisation_id: i32,
    ) -> Result<Vec<(course::Model, Vec<course_version::Model>)>> {
        let db = self.db().read();
        let courses = course::Entity::find()
            .filter(course::Column::OrganisationId.eq(organisation_id))
            .order_by_asc(course::Column::Slug)
            .all(db)
            .await?;
        let mut out = Vec::new();
        for course in courses {
            let versions = course_version::Entity::find()
                .filter(course_version::Column::CourseId.eq(course.id))
                .order_by_desc(course_version::Column::Number)
                .all(db)
                .await?;
            out.push((course, versions));
        }
        Ok(out)
    }

    /// A version of one of the organisation's courses.
    pub async fn version_of(
        &self,
        organisation_id: i32,
        course_slug: &str,
        number: i32,
    ) -> Result<(course::Model, course_version::Model)> {
        let db = self.db().read();
        let course = course::Entity::find()
            .filter(course::Column::Slug.eq(course_slug))
            .filter(course::Column::OrganisationId.eq(organisation_id))
            .one(db)
            .await?
            .ok_or(CoursesError::NotFound)?;
        let version = course_version::Entity::find()
            .filter(course_version::Column::CourseId.eq(course.id))
            .filter(course_version::Column::Number.eq(number))
            .one(db)
            .await?
            .ok_or(CoursesError::NotFound)?;
        Ok((course, version))
    }

    /// A version's transitions in order, with the names of who made them.
    pub async fn version_history(&self, version_id: i32) -> Result<Vec<VersionEvent>> {
        let db = self.db().read();
        let rows = version_event::Entity::find()
            .filter(version_event::Column::VersionId.eq(version_id))
            .order_by_asc(version_event::Column::Id)
            .all(db)
            .await?;
        let ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_id).collect();
        let names: std::collections::HashMap<i32, String> = account::Entity::find()
            .filter(account::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|row| VersionEvent {
                actor: row.actor_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
                action: row.action,
                comment: row.comment,
                at: row.at,
            })
            .collect())
    }

    /// An author uploads a package .zip for their association: checked whole, stored as a draft.
    /// Returns the course's slug with what was stored.
    pub async fn upload(
        &self,
        actor: &Actor,
        organisation: &organisation::Model,
        bytes: &[u8],
    ) -> Result<(String, Imported)> {
        if !authorize(actor, Capability::AuthorFor { organisation_id: organisation.id }) {
            return Err(CoursesError::Forbidden);
        }
        let files = PackageFiles::from_zip(bytes, Limits::default()).map_err(CoursesError::Package)?;
        let package = package::parse(&files, None).map_err(CoursesError::Package)?;
        if package.association != organisation.slug {
            return Err(CoursesError::Package(vec![package::Problem {
                file: "course.toml".into(),
                line: 0,
                message: format!(
                    "association: \"{}\" — you can upload only for {}",
                    package.association, organisation.slug
                ),
            }]));
        }
        let stored = self.store_package(&package, Some(actor.account_id), false).await?;
        Ok((package.slug, stored))
    }

    /// Moves a version from one status to another and records who did it, in a transaction
    /// the caller commits (publishing continues in it). Fails if the version is no longer in
    /// `from`: two reviewers acting at once cannot both succeed.
    async fn transition(
        &self,
        version: &course_version::Model,
        actor: i32,
        (from, to): (&str, &str),
        action: &str,
        comment: &str,
    ) -> Result<DatabaseTransaction> {
        let txn = self.db().begin().await?;
        let moved = course_version::Entity::update_many()
            .col_expr(course_version::Column::Status, sea_orm::sea_query::Expr::value(to))
            .filter(course_version::Column::Id.eq(version.id))
            .filter(course_version::Column::Status.eq(from))
            .exec(&txn)
            .await?;
        if moved.rows_affected != 1 {
            return Err(CoursesError::Conflict("version-wrong-state".into()));
        }
        version_event::ActiveModel {
            version_id: Set(version.id),
            actor_id: Set(Some(actor)),
            action: Set(action.to_owned()),
            comment: Set(comment.to_owned()),
            at: Set(self.clock().now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Ok(txn)
    }

    /// An author submits a draft for review.
    pub async fn submit_for_review(
        &self,
        actor: &Actor,
        organisation_id: i32,
        course_slug: &str,
        number: i32,
    ) -> Result<()> {
        if !authorize(actor, Capability::AuthorFor { organisation_id }) {
            return Err(CoursesError::Forbidden);
        }
        let (_, version) = self.version_of(organisation_id, course_slug, number).await?;
        let txn =
            self.transition(&version, actor.account_id, ("draft", "in_review"), "submitted", "").await?;
        Ok(txn.commit().await?)
    }

    /// A reviewer returns a version to its authors with a comment.
    pub async fn return_for_changes(
        &self,
        actor: &Actor,
        organisation_id: i32,
        course_slug: &str,
        number: i32,
        comment: &str,
    ) -> Result<()> {
        if !authorize(actor, Capability::ReviewFor { organisation_id }) {
            return Err(CoursesError::Forbidden);
        }
        let comment = comment.trim();
        if comment.is_empty() {
            return Err(CoursesError::Conflict("review-comment-required".into()));
        }
        let (_, version) = self.version_of(organisation_id, course_slug, number).await?;
        let txn =
            self.transition(&version, actor.account_id, ("in_review", "draft"), "returned", comment).await?;
        Ok(txn.commit().await?)
    }

    /// A reviewer approves and publishes. Whoever created or submitted the version may not.
    pub async fn approve(
        &self,
        actor: &Actor,
        organisation_id: i32,
        course_slug: &str,
        number: i32,
        comment: &str,
    ) -> Result<()> {
        if !authorize(actor, Capability::ReviewFor { organisation_id }) {
            return Err(CoursesError::Forbidden);
        }
        let (_, version) = self.version_of(organisation_id, course_slug, number).await?;
        let submitters = version_event::Entity::find()
            .filter(version_event::Column::VersionId.eq(version.id))
            .filter(version_event::Column::Action.eq("submitted"))
            .all(self.db().read())
            .await?;
        let own = version.created_by == Some(actor.account_id)
            || submitters.iter().any(|e| e.actor_id == Some(actor.account_id));
        if own {
            return Err(CoursesError::Conflict("review-own-version".into()));
        }
        // A published lesson names only image variants that exist: any still queued are made now.
        let ids: Vec<i32> = super::entity::lesson_media::Entity::find()
            .filter(super::entity::lesson_media::Column::VersionId.eq(version.id))
            .all(self.db().read())
            .await?
            .into_iter()
            .map(|link| link.media_id)
            .collect();
        self.media().ensure_variants(&ids).await?;
        let txn = self
            .transition(&version, actor.account_id, ("in_review", "approving"), "approved", comment.trim())
            .await?;
        let version = self.publish_in(&txn, version.id, Some(actor.account_id)).await?;
        self.notify_clinical_changes(&txn, &version).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Tells learners who completed an earlier version what changed for clinical reasons: a
    /// notice on their page and an email, written with the publication.
    async fn notify_clinical_changes(
        &self,
        txn: &DatabaseTransaction,
        version: &course_version::Model,
    ) -> Result<usize> {
        let changes: Vec<(String, String)> = lesson::Entity::find()
            .filter(lesson::Column::VersionId.eq(version.id))
            .order_by_asc(lesson::Column::Position)
            .all(txn)
            .await?
            .into_iter()
            .filter_map(|l| l.clinical_change.map(|change| (l.title, change)))
            .collect();
        if changes.is_empty() {
            return Ok(0);
        }
        let completed = enrolment::Entity::find()
            .filter(enrolment::Column::CourseId.eq(version.course_id))
            .filter(enrolment::Column::VersionId.ne(version.id))
            .filter(enrolment::Column::CompletedAt.is_not_null())
            .all(txn)
            .await?;
        let summary: Vec<String> =
            changes.iter().map(|(title, change)| format!("{title}: {change}")).collect();
        let message = summary.join("\n");
        for enrolment in &completed {
            super::entity::course_notice::ActiveModel {
                account_id: Set(enrolment.account_id),
                version_id: Set(version.id),
                message: Set(message.clone()),
                created_at: Set(self.clock().now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            if let Some(learner) = account::Entity::find_by_id(enrolment.account_id).one(txn).await? {
                let lang = Lang::from_code(&learner.locale).unwrap_or_default();
                let subject =
                    lang.ta("email-clinical-change-subject", &[("course", version.title.as_str().into())]);
                let intro =
                    lang.ta("email-clinical-change-intro", &[("course", version.title.as_str().into())]);
                let text = format!(
                    "{}\n\n{intro}\n\n{message}\n",
                    lang.ta("email-greeting", &[("name", learner.name.as_str().into())])
                );
                let html = maud::html! {
                    p { (lang.ta("email-greeting", &[("name", learner.name.as_str().into())])) }
                    p { (intro) }
                    ul { @for line in &summary { li { (line) } } }
                }
                .into_string();
                mail::enqueue(
                    txn,
                    self.clock(),
                    mail::Email { to_address: learner.email, to_name: learner.name, subject, text, html },
                )
                .await?;
            }
        }
        Ok(completed.len())
    }

    /// Clinical-change notices for a learner, newest first.
    pub async fn notices(&self, account_id: i32) -> Result<Vec<super::entity::course_notice::Model>> {
        use super::entity::course_notice;
        Ok(course_notice::Entity::find()
            .filter(course_notice::Column::AccountId.eq(account_id))
            .order_by_desc(course_notice::Column::Id)
            .all(self.db().read())
            .await?)
    }
}
