//! The search change log. A feature whose change alters what search finds (a course published,
//! a profile opted in) records the group of documents to rebuild, in the same transaction as the
//! change. The `search` feature follows the log; nothing here knows what a document is.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "search_change")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub document_group: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Records that the documents of `group` (e.g. `course:hand-hygiene`) must be rebuilt.
pub async fn record(
    conn: &impl ConnectionTrait,
    group: String,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    entity::ActiveModel { document_group: Set(group), created_at: Set(at), ..Default::default() }
        .insert(conn)
        .await?;
    Ok(())
}
