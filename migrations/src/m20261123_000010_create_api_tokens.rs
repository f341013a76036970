//! API tokens: a person's credential for programs (a regulator's system, a script), scoped per
//! feature, expiring and revocable. Only the token's SHA-256 is kept.

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
                    .table("api_token")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(string("name"))
                    // The first characters of the token, shown in lists to tell tokens apart.
                    .col(string("prefix"))
                    .col(string("token_hash"))
                    // Space-separated scopes such as "credits:read competencies:read".
                    .col(string("scopes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut cascade("api_token", "account_id", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("api_token", &["token_hash"], true)).await?;
        manager.create_index(index("api_token", &["account_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("api_token").to_owned()).await
    }
}
