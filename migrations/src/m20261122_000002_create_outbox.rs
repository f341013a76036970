//! The email outbox: every message is a row written with the change that caused it.

use crate::index;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("outbox_message")
                    .col(pk_auto("id"))
                    // RFC 5322 Message-ID, fixed at enqueue so that retries are recognisable.
                    .col(string_uniq("message_id"))
                    .col(string("to_address"))
                    .col(string("to_name"))
                    .col(string("subject"))
                    .col(text("body_text"))
                    .col(text("body_html"))
                    // 'pending' | 'sending' | 'sent' | 'failed'
                    .col(string("status"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("outbox_message", &["status", "next_attempt_at"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("outbox_message").to_owned()).await
    }
}
