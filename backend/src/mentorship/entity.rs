//! Tables the mentorship feature owns.

/// A learner's opt-in as a mentor.
pub mod mentor_profile {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_profile")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub active: bool,
        pub professions: String,
        pub languages: String,
        pub utc_offset_minutes: i32,
        pub capacity: i32,
        pub remote: bool,
        pub in_person: bool,
        pub availability: String,
        pub about: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A competency a mentor offers, at a level.
pub mod mentor_offer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_offer")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub framework_id: i32,
        pub code: String,
        pub level: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An association's mentoring programme.
pub mod mentoring_programme {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentoring_programme")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub organisation_id: i32,
        pub slug: String,
        pub title: String,
        pub description: String,
        pub deadline: Option<Date>,
        pub instant: bool,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A learner's request for a mentor in a programme.
pub mod mentee_request {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentee_request")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub programme_id: i32,
        pub framework_id: i32,
        pub goals: String,
        pub wanted: String,
        pub languages: String,
        pub same_profession: bool,
        pub same_country: bool,
        pub remote_ok: bool,
        pub utc_offset_minutes: i32,
        pub status: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One run of the solver over a programme.
pub mod matching_round {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "matching_round")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub programme_id: i32,
        pub run_by: Option<i32>,
        pub mentees: i32,
        pub mentors: i32,
        pub matched: i32,
        pub total_score: i64,
        pub greedy_score: i64,
        pub solve_ms: i32,
        pub created_at: DateTimeUtc,
        pub published_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A pair, from proposal to close.
pub mod mentorship {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentorship")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub programme_id: i32,
        pub request_id: i32,
        pub round_id: Option<i32>,
        pub mentor_id: i32,
        pub mentee_id: i32,
        pub status: String,
        pub score: i64,
        pub reasons: String,
        pub mentor_accepted_at: Option<DateTimeUtc>,
        pub mentee_accepted_at: Option<DateTimeUtc>,
        pub ended_by: Option<i32>,
        pub end_reason: String,
        pub mentor_feedback: String,
        pub mentee_feedback: String,
        pub reminded_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A session the pair logged.
pub mod mentoring_session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentoring_session")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub mentorship_id: i32,
        pub held_on: Date,
        pub minutes: i32,
        pub topics: String,
        pub notes: String,
        pub logged_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A concern one of the pair raised with the association.
pub mod mentoring_concern {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentoring_concern")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub mentorship_id: i32,
        pub reporter_id: i32,
        pub body: String,
        pub created_at: DateTimeUtc,
        pub acknowledged_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
