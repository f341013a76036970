//! xAPI: learning statements waiting to be sent to the configured Learning Record Store, written
//! in the learner's transaction and sent by a worker (like the email outbox).

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
                    .table("xapi_statement")
                    .col(pk_auto("id"))
                    // The statement's own id (a UUID): the record store keeps one statement per id,
                    // so a statement sent twice is stored once.
                    .col(string_uniq("statement_id"))
                    .col(text("body"))
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
        manager.create_index(index("xapi_statement", &["status", "next_attempt_at"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("xapi_statement").to_owned()).await
    }
}
