//! Tables the courses feature owns (media objects are the platform's: `platform::media`).

pub use crate::platform::media::media_object;

pub mod course {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "course")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub slug: String,
        pub organisation_id: i32,
        pub created_by: Option<i32>,
        pub published_version_id: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod course_version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "course_version")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub course_id: i32,
        pub number: i32,
        pub status: String,
        pub title: String,
        pub summary: String,
        pub language: String,
        pub professions: String,
        pub topics: String,
        pub minutes: i32,
        pub licence: String,
        pub credits_hundredths: i32,
        pub objectives: String,
        pub competencies: String,
        pub change_note: String,
        pub content_hash: String,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        pub published_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod course_module {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "course_module")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub version_id: i32,
        pub position: i32,
        pub title: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lesson {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lesson")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub version_id: i32,
        pub module_id: i32,
        pub position: i32,
        pub slug: String,
        pub title: String,
        pub minutes: i32,
        pub markdown: String,
        pub html: Option<String>,
        /// As a data saver sees it: images as links that say their size.
        pub html_saver: Option<String>,
        pub content_hash: String,
        pub competencies: String,
        pub clinical_change: Option<String>,
        pub source_path: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lesson_media {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lesson_media")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub version_id: i32,
        pub path: String,
        pub media_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod quiz {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "quiz")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub version_id: i32,
        pub module_id: i32,
        pub title: String,
        pub pass_mark: i32,
        pub max_attempts: i32,
        pub source_path: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod question {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "question")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub quiz_id: i32,
        pub position: i32,
        pub kind: String,
        pub prompt: String,
        pub competencies: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod question_option {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "question_option")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub question_id: i32,
        pub position: i32,
        pub text: String,
        pub correct: bool,
        pub feedback: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod enrolment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "enrolment")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub course_id: i32,
        pub version_id: i32,
        pub last_lesson_id: Option<i32>,
        pub enrolled_at: DateTimeUtc,
        pub completed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lesson_progress {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lesson_progress")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub enrolment_id: i32,
        pub lesson_id: i32,
        pub completed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod quiz_attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "quiz_attempt")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub enrolment_id: i32,
        pub quiz_id: i32,
        pub layout: String,
        pub answers: Option<String>,
        pub score_percent: Option<i32>,
        pub passed: Option<bool>,
        pub idempotency_key: Option<String>,
        pub started_at: DateTimeUtc,
        pub submitted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod version_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "version_event")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub version_id: i32,
        pub actor_id: Option<i32>,
        pub action: String,
        pub comment: String,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod course_notice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "course_notice")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub version_id: i32,
        pub message: String,
        pub created_at: DateTimeUtc,
        pub read_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
