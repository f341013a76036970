//! Tables the competencies feature owns.

pub mod framework {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "framework")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub slug: String,
        pub organisation_id: i32,
        pub published_version_id: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod framework_version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "framework_version")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub framework_id: i32,
        pub number: i32,
        pub status: String,
        pub title: String,
        pub language: String,
        pub validity_months: i32,
        pub source: String,
        pub content_hash: String,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        pub published_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod framework_level {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "framework_level")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub version_id: i32,
        pub level: i32,
        pub name: String,
        pub descriptor: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod competency {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "competency")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub version_id: i32,
        pub position: i32,
        pub kind: String,
        pub code: String,
        pub parent_code: Option<String>,
        pub title: String,
        pub description: String,
        pub professions: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod role_profile {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "role_profile")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub version_id: i32,
        pub slug: String,
        pub title: String,
        pub description: String,
        pub professions: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod role_requirement {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "role_requirement")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub role_id: i32,
        pub code: String,
        pub level: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod observation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "observation")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub framework_id: i32,
        pub code: String,
        pub learner_id: i32,
        pub observer_id: i32,
        pub level: i32,
        pub checklist: String,
        pub notes: String,
        pub setting: String,
        pub observed_on: Date,
        pub file_media_id: Option<i32>,
        pub observer_signed_at: DateTimeUtc,
        pub learner_signed_at: Option<DateTimeUtc>,
        pub declined_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod evidence {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "evidence")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub framework_id: i32,
        pub code: String,
        pub level: i32,
        pub kind: String,
        pub source_key: String,
        pub source: String,
        pub file_media_id: Option<i32>,
        pub occurred_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub reminded_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod profile_share {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "profile_share")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub learner_id: i32,
        pub viewer_id: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
