//! Regulators' audits (a seeded random sample of licensees, each with an outcome and a note) and
//! the monthly compliance summaries sent to them (one row per regulator and month, so each is
//! sent once).

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
                    .table("credit_audit")
                    .col(pk_auto("id"))
                    .col(integer("regulator_id"))
                    .col(string("title"))
                    // The day whose cycles are audited.
                    .col(date("as_of"))
                    // Hundredths of a percent (500 = 5 %).
                    .col(integer("per_ten_thousand"))
                    .col(string("seed"))
                    .col(integer("population"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("credit_audit", "regulator_id", "organisation"))
                    .foreign_key(&mut set_null("credit_audit", "created_by", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("credit_audit", &["regulator_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_case")
                    .col(pk_auto("id"))
                    .col(integer("audit_id"))
                    .col(integer("licence_id"))
                    // pending, satisfactory, follow_up or unsatisfactory.
                    .col(string("outcome"))
                    .col(text("note"))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .foreign_key(&mut cascade("audit_case", "audit_id", "credit_audit"))
                    .foreign_key(&mut cascade("audit_case", "licence_id", "licence"))
                    .foreign_key(&mut set_null("audit_case", "decided_by", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("audit_case", &["audit_id", "licence_id"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("compliance_summary")
                    .col(pk_auto("id"))
                    .col(integer("regulator_id"))
                    // The first day of the month summarised.
                    .col(date("month"))
                    .col(timestamp_with_time_zone("sent_at"))
                    .foreign_key(&mut cascade("compliance_summary", "regulator_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("compliance_summary", &["regulator_id", "month"], true)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["compliance_summary", "audit_case", "credit_audit"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
