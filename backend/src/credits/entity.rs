//! Tables the credits feature owns.

/// An association's accreditation of a course version.
pub mod accreditation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "accreditation")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub organisation_id: i32,
        pub version_id: i32,
        pub credits: i64,
        pub category: String,
        pub valid_from: Date,
        pub valid_until: Option<Date>,
        pub certificate_months: Option<i32>,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        pub withdrawn_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One entry of a learner's credit ledger (never updated or deleted).
pub mod credit_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_entry")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub seq: i32,
        pub kind: String,
        pub amount: i64,
        pub category: String,
        pub accreditor_id: Option<i32>,
        pub title: String,
        pub earned_on: Date,
        pub source_key: String,
        pub corrects_id: Option<i32>,
        pub prev_hash: String,
        pub hash: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A signed checkpoint of every chain's head.
pub mod ledger_checkpoint {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ledger_checkpoint")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub chains: i32,
        pub entries: i64,
        pub root: String,
        pub heads: String,
        pub kid: String,
        pub signature: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An Ed25519 signing key of an issuer (or of the platform, for checkpoints).
pub mod issuer_key {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "issuer_key")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub organisation_id: Option<i32>,
        pub kid: String,
        pub public_key: String,
        pub secret_key: String,
        pub valid_from: DateTimeUtc,
        pub retired_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A signed certificate of an accredited course's completion.
pub mod certificate {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "certificate")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub public_id: String,
        pub account_id: i32,
        pub accreditation_id: i32,
        pub organisation_id: i32,
        pub credit_entry_id: Option<i32>,
        pub status_index: i32,
        pub jwt: String,
        pub issued_at: DateTimeUtc,
        pub expires_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        pub revocation_reason: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An activity outside Lantern a learner reports for credits.
pub mod outside_activity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outside_activity")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub organisation_id: i32,
        pub kind: String,
        pub title: String,
        pub held_on: Date,
        pub credits: i64,
        pub category: String,
        pub description: String,
        pub file_media_id: Option<i32>,
        pub status: String,
        pub reviewer_id: Option<i32>,
        pub reason: String,
        pub decided_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A regulator's CPD rules for one profession (the rule set as JSON).
pub mod cpd_rule {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cpd_rule")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub regulator_id: i32,
        pub profession: String,
        pub rules: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A licence on a regulator's roster.
pub mod roster_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "roster_entry")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub regulator_id: i32,
        pub number: String,
        pub name: String,
        pub profession: String,
        pub renewed_on: Date,
        pub region: String,
        pub imported_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A reminder sent to a licensee short of credits (once per licence, cycle and threshold).
pub mod credit_reminder {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_reminder")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub licence_id: i32,
        pub cycle_end: Date,
        pub days_before: i32,
        pub sent_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A learner's consent to share their credits with a regulator.
pub mod credit_consent {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_consent")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub regulator_id: i32,
        pub granted_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A regulator's audit: a reproducible sample of its consenting licensees.
pub mod credit_audit {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_audit")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub regulator_id: i32,
        pub title: String,
        pub as_of: Date,
        pub per_ten_thousand: i32,
        pub seed: String,
        pub population: i32,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One sampled licensee of an audit, with the officer's outcome.
pub mod audit_case {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_case")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub audit_id: i32,
        pub licence_id: i32,
        pub outcome: String,
        pub note: String,
        pub decided_by: Option<i32>,
        pub decided_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A monthly compliance summary sent to a regulator (one per regulator and month).
pub mod compliance_summary {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "compliance_summary")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub regulator_id: i32,
        pub month: Date,
        pub sent_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
