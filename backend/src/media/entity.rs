//! The media feature's tables; `media_object` itself is `platform::media`'s (every feature stores
//! files through it).

pub use crate::platform::media::media_object;

pub mod media_variant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "media_variant")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub object_id: i32,
        pub width: i32,
        pub height: i32,
        pub content_type: String,
        pub sha256: String,
        pub size_bytes: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod media_job {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "media_job")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub object_id: i32,
        pub attempts: i32,
        pub locked_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub done_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
