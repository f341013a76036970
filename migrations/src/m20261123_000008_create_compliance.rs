//! Regulators' side of CPD: rules per profession, the licence roster, and learners' consent to
//! share their credits with a regulator.

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
                    .table("cpd_rule")
                    .col(pk_auto("id"))
                    .col(integer("regulator_id"))
                    .col(string("profession"))
                    // The rule set as JSON (credits::rules::RuleSet).
                    .col(text("rules"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade("cpd_rule", "regulator_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("cpd_rule", &["regulator_id", "profession"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("roster_entry")
                    .col(pk_auto("id"))
                    .col(integer("regulator_id"))
                    .col(string("number"))
                    .col(string("name"))
                    .col(string("profession"))
                    // The licence's last renewal: where a cycle "from renewal" starts.
                    .col(date("renewed_on"))
                    .col(string("region"))
                    .col(timestamp_with_time_zone("imported_at"))
                    .foreign_key(&mut cascade("roster_entry", "regulator_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("roster_entry", &["regulator_id", "number"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("credit_consent")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(integer("regulator_id"))
                    .col(timestamp_with_time_zone("granted_at"))
                    .foreign_key(&mut cascade("credit_consent", "account_id", "account"))
                    .foreign_key(&mut cascade("credit_consent", "regulator_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("credit_consent", &["account_id", "regulator_id"], true)).await?;
        manager.create_index(index("credit_consent", &["regulator_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["credit_consent", "roster_entry", "cpd_rule"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
