//! Courses and their versions, modules, lessons and quizzes; media objects; enrolments,
//! progress, quiz attempts; the review trail and clinical-change notices.

use crate::{cascade, index, set_null};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("media_object")
                    .col(pk_auto("id"))
                    // Content address: the same bytes are stored once.
                    .col(string_uniq("sha256"))
                    .col(string("content_type"))
                    .col(big_integer("size_bytes"))
                    .col(integer_null("width"))
                    .col(integer_null("height"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("course")
                    .col(pk_auto("id"))
                    .col(string_uniq("slug"))
                    .col(integer("organisation_id"))
                    .col(integer_null("created_by"))
                    // The version learners enrol in; set when a version is published.
                    .col(integer_null("published_version_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("course", "organisation_id", "organisation"))
                    .foreign_key(&mut set_null("course", "created_by", "account"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("course_version")
                    .col(pk_auto("id"))
                    .col(integer("course_id"))
                    .col(integer("number"))
                    // 'draft' | 'in_review' | 'published' | 'retired'
                    .col(string("status"))
                    .col(string("title"))
                    .col(text("summary"))
                    .col(string_len("language", 8))
                    // Comma-separated slugs.
                    .col(string("professions"))
                    .col(string("topics"))
                    .col(integer("minutes"))
                    .col(string("licence"))
                    .col(integer("credits_hundredths"))
                    // JSON arrays: objectives (strings), competencies ({code, level}).
                    .col(text("objectives"))
                    .col(text("competencies"))
                    .col(text("change_note").default(""))
                    // SHA-256 of the package's content: re-importing the same package changes nothing.
                    .col(string("content_hash").default(""))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .foreign_key(&mut cascade("course_version", "course_id", "course"))
                    .foreign_key(&mut set_null("course_version", "created_by", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("course_version", &["course_id", "number"], true)).await?;
        manager.create_index(index("course_version", &["status"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("course_module")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    .col(integer("position"))
                    .col(string("title"))
                    .foreign_key(&mut cascade("course_module", "version_id", "course_version"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("course_module", &["version_id", "position"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("lesson")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    .col(integer("module_id"))
                    // Position within the whole version, for previous/next.
                    .col(integer("position"))
                    .col(string("slug"))
                    .col(string("title"))
                    .col(integer("minutes"))
                    .col(text("markdown"))
                    // Rendered and sanitised once, when the version is published.
                    .col(text_null("html"))
                    // SHA-256 of title + Markdown: unchanged lessons keep learners' progress.
                    .col(string("content_hash"))
                    .col(text("competencies"))
                    .col(text_null("clinical_change"))
                    .col(string("source_path").default(""))
                    .foreign_key(&mut cascade("lesson", "version_id", "course_version"))
                    .foreign_key(&mut cascade("lesson", "module_id", "course_module"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("lesson", &["version_id", "slug"], true)).await?;
        manager.create_index(index("lesson", &["version_id", "position"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("lesson_media")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    // The path inside the package, as lessons refer to it.
                    .col(string("path"))
                    .col(integer("media_id"))
                    .foreign_key(&mut cascade("lesson_media", "version_id", "course_version"))
                    .foreign_key(&mut cascade("lesson_media", "media_id", "media_object"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("lesson_media", &["version_id", "path"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("quiz")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    .col(integer_uniq("module_id"))
                    .col(string("title"))
                    .col(integer("pass_mark"))
                    .col(integer("max_attempts"))
                    .col(string("source_path").default(""))
                    .foreign_key(&mut cascade("quiz", "version_id", "course_version"))
                    .foreign_key(&mut cascade("quiz", "module_id", "course_module"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("question")
                    .col(pk_auto("id"))
                    .col(integer("quiz_id"))
                    .col(integer("position"))
                    // 'single' | 'multiple' | 'true_false'
                    .col(string("kind"))
                    .col(text("prompt"))
                    .col(text("competencies"))
                    .foreign_key(&mut cascade("question", "quiz_id", "quiz"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("question_option")
                    .col(pk_auto("id"))
                    .col(integer("question_id"))
                    .col(integer("position"))
                    .col(text("text"))
                    .col(boolean("correct"))
                    .col(text("feedback"))
                    .foreign_key(&mut cascade("question_option", "question_id", "question"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("enrolment")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(integer("course_id"))
                    .col(integer("version_id"))
                    .col(integer_null("last_lesson_id"))
                    .col(timestamp_with_time_zone("enrolled_at"))
                    .col(timestamp_with_time_zone_null("completed_at"))
                    .foreign_key(&mut cascade("enrolment", "account_id", "account"))
                    .foreign_key(&mut cascade("enrolment", "course_id", "course"))
                    .foreign_key(&mut cascade("enrolment", "version_id", "course_version"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("enrolment", &["account_id", "course_id"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("lesson_progress")
                    .col(pk_auto("id"))
                    .col(integer("enrolment_id"))
                    .col(integer("lesson_id"))
                    .col(timestamp_with_time_zone("completed_at"))
                    .foreign_key(&mut cascade("lesson_progress", "enrolment_id", "enrolment"))
                    .foreign_key(&mut cascade("lesson_progress", "lesson_id", "lesson"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("lesson_progress", &["enrolment_id", "lesson_id"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("quiz_attempt")
                    .col(pk_auto("id"))
                    .col(integer("enrolment_id"))
                    .col(integer("quiz_id"))
                    // JSON: the shuffled order shown, then the answers given.
                    .col(text("layout"))
                    .col(text_null("answers"))
                    .col(integer_null("score_percent"))
                    .col(boolean_null("passed"))
                    // Set by clients that may submit twice (offline sync): one attempt per key.
                    .col(string_null("idempotency_key"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone_null("submitted_at"))
                    .foreign_key(&mut cascade("quiz_attempt", "enrolment_id", "enrolment"))
                    .foreign_key(&mut cascade("quiz_attempt", "quiz_id", "quiz"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("quiz_attempt", &["enrolment_id", "quiz_id"], false)).await?;
        manager.create_index(index("quiz_attempt", &["idempotency_key"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("version_event")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    .col(integer_null("actor_id"))
                    // 'created' | 'submitted' | 'returned' | 'published' | 'retired' | 'imported'
                    .col(string("action"))
                    .col(text("comment").default(""))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut cascade("version_event", "version_id", "course_version"))
                    .foreign_key(&mut set_null("version_event", "actor_id", "account"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("course_notice")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(integer("version_id"))
                    .col(text("message"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .foreign_key(&mut cascade("course_notice", "account_id", "account"))
                    .foreign_key(&mut cascade("course_notice", "version_id", "course_version"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("course_notice", &["account_id"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "course_notice",
            "version_event",
            "quiz_attempt",
            "lesson_progress",
            "enrolment",
            "question_option",
            "question",
            "quiz",
            "lesson_media",
            "lesson",
            "course_module",
            "course_version",
            "course",
            "media_object",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
