//! The search change log: a row per change that alters what search finds, written in the same
//! transaction as the change. Every server follows it to keep its own index current.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("search_change")
                    .col(pk_auto("id"))
                    // The documents to rebuild from the database, e.g. `course:hand-hygiene`.
                    .col(string("document_group"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("search_change").to_owned()).await
    }
}
