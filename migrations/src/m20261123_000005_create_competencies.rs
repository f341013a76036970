//! Competency frameworks and their versions (levels, domains, competencies, role profiles);
//! evidence of competence, observations of practice and consent to share a profile.

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
                    .table("framework")
                    .col(pk_auto("id"))
                    .col(string_uniq("slug"))
                    .col(integer("organisation_id"))
                    .col(integer_null("published_version_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("framework", "organisation_id", "organisation"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("framework_version")
                    .col(pk_auto("id"))
                    .col(integer("framework_id"))
                    .col(integer("number"))
                    // 'draft' | 'published' | 'retired'
                    .col(string("status"))
                    .col(string("title"))
                    .col(string_len("language", 8))
                    .col(integer("validity_months"))
                    // The whole framework as JSON: what editing and export start from.
                    .col(text("source"))
                    .col(string("content_hash"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .foreign_key(&mut cascade("framework_version", "framework_id", "framework"))
                    .foreign_key(&mut set_null("framework_version", "created_by", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("framework_version", &["framework_id", "number"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("framework_level")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    .col(integer("level"))
                    .col(string("name"))
                    .col(text("descriptor"))
                    .foreign_key(&mut cascade("framework_level", "version_id", "framework_version"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("framework_level", &["version_id", "level"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("competency")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    .col(integer("position"))
                    // 'domain' | 'competency'
                    .col(string("kind"))
                    .col(string("code"))
                    // A competency's domain, a domain's parent domain.
                    .col(string_null("parent_code"))
                    .col(string("title"))
                    .col(text("description"))
                    // Comma-separated profession slugs; empty: every profession.
                    .col(string("professions"))
                    .foreign_key(&mut cascade("competency", "version_id", "framework_version"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("competency", &["version_id", "code"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("role_profile")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    .col(string("slug"))
                    .col(string("title"))
                    .col(text("description"))
                    .col(string("professions"))
                    .foreign_key(&mut cascade("role_profile", "version_id", "framework_version"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("role_profile", &["version_id", "slug"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("role_requirement")
                    .col(pk_auto("id"))
                    .col(integer("role_id"))
                    .col(string("code"))
                    .col(integer("level"))
                    .foreign_key(&mut cascade("role_requirement", "role_id", "role_profile"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("role_requirement", &["role_id", "code"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("observation")
                    .col(pk_auto("id"))
                    .col(integer("framework_id"))
                    .col(string("code"))
                    .col(integer("learner_id"))
                    .col(integer("observer_id"))
                    // The level the observer rates the practice at.
                    .col(integer("level"))
                    // JSON: [{item, done}], the checklist as ticked.
                    .col(text("checklist"))
                    .col(text("notes"))
                    .col(string("setting"))
                    .col(date("observed_on"))
                    .col(integer_null("file_media_id"))
                    .col(timestamp_with_time_zone("observer_signed_at"))
                    .col(timestamp_with_time_zone_null("learner_signed_at"))
                    .col(timestamp_with_time_zone_null("declined_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("observation", "framework_id", "framework"))
                    .foreign_key(&mut cascade("observation", "learner_id", "account"))
                    .foreign_key(&mut cascade("observation", "observer_id", "account"))
                    .foreign_key(&mut set_null("observation", "file_media_id", "media_object"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("observation", &["learner_id"], false)).await?;
        manager.create_index(index("observation", &["observer_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("evidence")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(integer("framework_id"))
                    .col(string("code"))
                    .col(integer("level"))
                    // 'course' | 'quiz' | 'observation' | 'self'
                    .col(string("kind"))
                    // What produced it, once per learner and competency: 'course-version:12',
                    // 'quiz-attempt:40', 'observation:7', 'self:<time>'.
                    .col(string("source_key"))
                    // Human words for it: a course title, an observer's name.
                    .col(string("source"))
                    .col(integer_null("file_media_id"))
                    .col(timestamp_with_time_zone("occurred_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    // When the learner was told it is about to lapse.
                    .col(timestamp_with_time_zone_null("reminded_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("evidence", "account_id", "account"))
                    .foreign_key(&mut cascade("evidence", "framework_id", "framework"))
                    .foreign_key(&mut set_null("evidence", "file_media_id", "media_object"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("evidence", &["account_id", "framework_id", "code", "source_key"], true))
            .await?;
        // Aggregates scan evidence by competency; the index covers what they read.
        manager
            .create_index(index(
                "evidence",
                &["framework_id", "code", "kind", "expires_at", "level", "account_id"],
                false,
            ))
            .await?;
        manager.create_index(index("evidence", &["expires_at", "reminded_at"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("profile_share")
                    .col(pk_auto("id"))
                    .col(integer("learner_id"))
                    .col(integer("viewer_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("profile_share", "learner_id", "account"))
                    .foreign_key(&mut cascade("profile_share", "viewer_id", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("profile_share", &["learner_id", "viewer_id"], true)).await?;
        manager.create_index(index("profile_share", &["viewer_id"], false)).await?;
        // Aggregates count an association's members by region and profession.
        manager.create_index(index("membership", &["organisation_id", "role", "account_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "profile_share",
            "evidence",
            "observation",
            "role_requirement",
            "role_profile",
            "competency",
            "framework_level",
            "framework_version",
            "framework",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ix_membership_organisation_id_role_account_id")
                    .table("membership")
                    .to_owned(),
            )
            .await
    }
}
