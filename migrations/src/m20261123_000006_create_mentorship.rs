//! Mentorship: mentor profiles and what they offer, association programmes, mentees' requests,
//! matching rounds, mentorships (proposed → offered → active → closed), logged sessions and
//! concerns raised with the association.

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
                    .table("mentor_profile")
                    .col(pk_auto("id"))
                    .col(integer_uniq("account_id"))
                    // Opted in: visible to matching. Opting out keeps the profile for later.
                    .col(boolean("active"))
                    // Comma-separated profession codes and language codes.
                    .col(string("professions"))
                    .col(string("languages"))
                    .col(integer("utc_offset_minutes"))
                    .col(integer("capacity"))
                    .col(boolean("remote"))
                    .col(boolean("in_person"))
                    .col(string("availability"))
                    .col(text("about"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade("mentor_profile", "account_id", "account"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mentor_offer")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(integer("framework_id"))
                    .col(string("code"))
                    .col(integer("level"))
                    .foreign_key(&mut cascade("mentor_offer", "account_id", "account"))
                    .foreign_key(&mut cascade("mentor_offer", "framework_id", "framework"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentor_offer", &["account_id", "framework_id", "code"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("mentoring_programme")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(string("slug"))
                    .col(string("title"))
                    .col(text("description"))
                    // Requests close then; a round runs after it.
                    .col(date_null("deadline"))
                    // Whether a member may ask for one mentor at once, outside rounds.
                    .col(boolean("instant"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("mentoring_programme", "organisation_id", "organisation"))
                    .foreign_key(&mut set_null("mentoring_programme", "created_by", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentoring_programme", &["organisation_id", "slug"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("mentee_request")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(integer("programme_id"))
                    .col(integer("framework_id"))
                    .col(text("goals"))
                    // Wanted competencies with the level sought: "IPC.1:3,MAT.2:2".
                    .col(text("wanted"))
                    .col(string("languages"))
                    .col(boolean("same_profession"))
                    .col(boolean("same_country"))
                    .col(boolean("remote_ok"))
                    .col(integer("utc_offset_minutes"))
                    // 'open' | 'matched' | 'withdrawn'
                    .col(string("status"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade("mentee_request", "account_id", "account"))
                    .foreign_key(&mut cascade("mentee_request", "programme_id", "mentoring_programme"))
                    .foreign_key(&mut cascade("mentee_request", "framework_id", "framework"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentee_request", &["programme_id", "status"], false)).await?;
        manager.create_index(index("mentee_request", &["account_id", "status"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("matching_round")
                    .col(pk_auto("id"))
                    .col(integer("programme_id"))
                    .col(integer_null("run_by"))
                    .col(integer("mentees"))
                    .col(integer("mentors"))
                    .col(integer("matched"))
                    .col(big_integer("total_score"))
                    .col(big_integer("greedy_score"))
                    .col(integer("solve_ms"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .foreign_key(&mut cascade("matching_round", "programme_id", "mentoring_programme"))
                    .foreign_key(&mut set_null("matching_round", "run_by", "account"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("mentorship")
                    .col(pk_auto("id"))
                    .col(integer("programme_id"))
                    .col(integer("request_id"))
                    .col(integer_null("round_id"))
                    .col(integer("mentor_id"))
                    .col(integer("mentee_id"))
                    // 'proposed' (an admin reviews) | 'offered' (both asked) | 'active' |
                    // 'declined' | 'withdrawn' | 'closed'
                    .col(string("status"))
                    .col(big_integer("score"))
                    // The match's reasons, strongest first, as a JSON array of strings.
                    .col(text("reasons"))
                    .col(timestamp_with_time_zone_null("mentor_accepted_at"))
                    .col(timestamp_with_time_zone_null("mentee_accepted_at"))
                    .col(integer_null("ended_by"))
                    .col(string("end_reason"))
                    .col(text("mentor_feedback"))
                    .col(text("mentee_feedback"))
                    .col(timestamp_with_time_zone_null("reminded_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade("mentorship", "programme_id", "mentoring_programme"))
                    .foreign_key(&mut cascade("mentorship", "request_id", "mentee_request"))
                    .foreign_key(&mut set_null("mentorship", "round_id", "matching_round"))
                    .foreign_key(&mut cascade("mentorship", "mentor_id", "account"))
                    .foreign_key(&mut cascade("mentorship", "mentee_id", "account"))
                    .foreign_key(&mut set_null("mentorship", "ended_by", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentorship", &["mentor_id", "status"], false)).await?;
        manager.create_index(index("mentorship", &["mentee_id", "status"], false)).await?;
        manager.create_index(index("mentorship", &["programme_id", "status"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("mentoring_session")
                    .col(pk_auto("id"))
                    .col(integer("mentorship_id"))
                    .col(date("held_on"))
                    .col(integer("minutes"))
                    .col(string("topics"))
                    // Private to the pair: never shown to the association.
                    .col(text("notes"))
                    .col(integer_null("logged_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("mentoring_session", "mentorship_id", "mentorship"))
                    .foreign_key(&mut set_null("mentoring_session", "logged_by", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentoring_session", &["mentorship_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("mentoring_concern")
                    .col(pk_auto("id"))
                    .col(integer("mentorship_id"))
                    .col(integer("reporter_id"))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("acknowledged_at"))
                    .foreign_key(&mut cascade("mentoring_concern", "mentorship_id", "mentorship"))
                    .foreign_key(&mut cascade("mentoring_concern", "reporter_id", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentoring_concern", &["mentorship_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "mentoring_concern",
            "mentoring_session",
            "mentorship",
            "matching_round",
            "mentee_request",
            "mentoring_programme",
            "mentor_offer",
            "mentor_profile",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
