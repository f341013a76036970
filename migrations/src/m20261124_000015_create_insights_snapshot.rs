//! Insights: each organisation's figures as last computed (before suppression, which is applied
//! when they are shown), so that a page is read from one row rather than aggregated from every
//! member's rows on each request; refreshed in the background when older than
//! `insights.refresh_minutes`.

use crate::cascade;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("insights_snapshot")
                    .col(integer("organisation_id").primary_key())
                    .col(timestamp_with_time_zone("computed_at"))
                    // The grouped counts of every table, as JSON.
                    .col(text("figures"))
                    .foreign_key(&mut cascade("insights_snapshot", "organisation_id", "organisation"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("insights_snapshot").to_owned()).await
    }
}
