//! Media: what each stored object is (kind, duration), the phone-sized variants of images, the
//! queue of variants still to make, and the data-saver rendering of each lesson.

use crate::{cascade, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Adds one column (SQLite alters one column per statement).
async fn add(manager: &SchemaManager<'_>, table: &'static str, column: ColumnDef) -> Result<(), DbErr> {
    manager.alter_table(Table::alter().table(table).add_column(column).to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // 'image' | 'audio' | 'video' | 'document'
        add(manager, "media_object", string("kind").default("image").to_owned()).await?;
        add(manager, "media_object", big_integer_null("duration_ms").to_owned()).await?;
        // The lesson as a data saver sees it: images replaced by links that say their size.
        add(manager, "lesson", text_null("html_saver").to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table("media_variant")
                    .col(pk_auto("id"))
                    .col(integer("object_id"))
                    .col(integer("width"))
                    .col(integer("height"))
                    .col(string("content_type"))
                    // The variant's own bytes are stored under their SHA-256, like any object.
                    .col(string("sha256"))
                    .col(big_integer("size_bytes"))
                    .foreign_key(&mut cascade("media_variant", "object_id", "media_object"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("media_variant", &["object_id", "width", "content_type"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("media_job")
                    .col(pk_auto("id"))
                    // One job per object: making its variants.
                    .col(integer_uniq("object_id"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("done_at"))
                    .foreign_key(&mut cascade("media_job", "object_id", "media_object"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("media_job", &["done_at"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("media_job").to_owned()).await?;
        manager.drop_table(Table::drop().table("media_variant").to_owned()).await?;
        for (table, column) in
            [("lesson", "html_saver"), ("media_object", "duration_ms"), ("media_object", "kind")]
        {
            manager.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
