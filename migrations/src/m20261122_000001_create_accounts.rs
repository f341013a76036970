//! People, organisations, memberships, sessions, one-time links, licences and the audit trail.

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
                    .table("organisation")
                    .col(pk_auto("id"))
                    .col(string_uniq("slug"))
                    .col(string("name"))
                    // 'association' | 'regulator'
                    .col(string("kind"))
                    .col(string_len("country", 2))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("account")
                    .col(pk_auto("id"))
                    // Stored lower-cased; the unique index is what stops duplicates.
                    .col(string_uniq("email"))
                    .col(string("name"))
                    .col(string_null("password_hash"))
                    .col(timestamp_with_time_zone_null("email_verified_at"))
                    .col(string_len("locale", 8))
                    .col(boolean("is_platform_admin").default(false))
                    .col(timestamp_with_time_zone_null("disabled_at"))
                    .col(string_null("profession"))
                    .col(string_len_null("country", 2))
                    .col(string_null("region"))
                    // 'rural' | 'urban'
                    .col(string_null("setting"))
                    // Comma-separated language tags, in order of preference.
                    .col(string("languages").default(""))
                    .col(boolean("data_saver").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("membership")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(integer("account_id"))
                    // 'author' | 'reviewer' | 'admin' (associations), 'officer' (regulators)
                    .col(string("role"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("membership", "organisation_id", "organisation"))
                    .foreign_key(&mut cascade("membership", "account_id", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("membership", &["organisation_id", "account_id", "role"], true)).await?;
        manager.create_index(index("membership", &["account_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("invitation")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(string("email"))
                    .col(string("role"))
                    .col(string_uniq("token_hash"))
                    .col(integer_null("invited_by"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("accepted_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("invitation", "organisation_id", "organisation"))
                    .foreign_key(&mut set_null("invitation", "invited_by", "account"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("session")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    // SHA-256 of the cookie value: a copy of the table grants no session.
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(string("user_agent").default(""))
                    .col(string("ip").default(""))
                    .foreign_key(&mut cascade("session", "account_id", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("session", &["account_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("one_time_token")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    // 'verify_email' | 'reset_password' | 'sign_in'
                    .col(string("purpose"))
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("one_time_token", "account_id", "account"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("sign_in_failure")
                    .col(pk_auto("id"))
                    // 'address:<ip>' or 'account:<email>'
                    .col(string("key"))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("sign_in_failure", &["key", "at"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("licence")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(integer("regulator_id"))
                    .col(string("number"))
                    // 'unverified' | 'verified' | 'rejected'
                    .col(string("status"))
                    .col(timestamp_with_time_zone_null("verified_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("licence", "account_id", "account"))
                    .foreign_key(&mut cascade("licence", "regulator_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("licence", &["account_id", "regulator_id"], true)).await?;
        manager.create_index(index("licence", &["regulator_id", "number"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_event")
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("actor_id"))
                    // e.g. 'sign_in.failed', 'access.denied', 'organisation.created'
                    .col(string("action"))
                    .col(string("subject").default(""))
                    .col(string("ip").default(""))
                    .col(string("request_id").default(""))
                    .foreign_key(&mut set_null("audit_event", "actor_id", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("audit_event", &["action", "at"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "audit_event",
            "licence",
            "sign_in_failure",
            "one_time_token",
            "session",
            "invitation",
            "membership",
            "account",
            "organisation",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
