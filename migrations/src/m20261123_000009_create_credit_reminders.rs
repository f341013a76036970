//! Reminders to licensees short of CPD credits before their cycle ends: one row per licence,
//! cycle and threshold (90, 30 or 7 days), so each is sent once.

use crate::{cascade, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("credit_reminder")
                    .col(pk_auto("id"))
                    .col(integer("licence_id"))
                    .col(date("cycle_end"))
                    .col(integer("days_before"))
                    .col(timestamp_with_time_zone("sent_at"))
                    .foreign_key(&mut cascade("credit_reminder", "licence_id", "licence"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("credit_reminder", &["licence_id", "cycle_end", "days_before"], true))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("credit_reminder").to_owned()).await
    }
}
