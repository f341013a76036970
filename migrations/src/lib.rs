//! Lantern's schema history: one file per change, applied in order, never edited once landed.
//! Each migration declares its own identifiers and never imports an application entity, so that
//! old migrations keep compiling however the application changes.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_accounts;
mod m20261122_000002_create_outbox;
mod m20261122_000003_create_courses;
mod m20261122_000004_create_search_changes;
mod m20261123_000005_create_competencies;
mod m20261123_000006_create_mentorship;
mod m20261123_000007_create_credits;
mod m20261123_000008_create_compliance;
mod m20261123_000009_create_credit_reminders;
mod m20261123_000010_create_api_tokens;
mod m20261123_000011_create_audits;
mod m20261123_000012_create_media;
mod m20261124_000013_create_xapi_outbox;
mod m20261124_000014_index_enrolment_dates;
mod m20261124_000015_create_insights_snapshot;

/// Applies Lantern's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_accounts::Migration),
            Box::new(m20261122_000002_create_outbox::Migration),
            Box::new(m20261122_000003_create_courses::Migration),
            Box::new(m20261122_000004_create_search_changes::Migration),
            Box::new(m20261123_000005_create_competencies::Migration),
            Box::new(m20261123_000006_create_mentorship::Migration),
            Box::new(m20261123_000007_create_credits::Migration),
            Box::new(m20261123_000008_create_compliance::Migration),
            Box::new(m20261123_000009_create_credit_reminders::Migration),
            Box::new(m20261123_000010_create_api_tokens::Migration),
            Box::new(m20261123_000011_create_audits::Migration),
            Box::new(m20261123_000012_create_media::Migration),
            Box::new(m20261124_000013_create_xapi_outbox::Migration),
            Box::new(m20261124_000014_index_enrolment_dates::Migration),
            Box::new(m20261124_000015_create_insights_snapshot::Migration),
        ]
    }
}

/// A foreign key from `table.column` to `target.id`, removed with its parent.
pub(crate) fn cascade(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A foreign key from `table.column` to `target.id` that becomes NULL when the parent goes.
pub(crate) fn set_null(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

/// An index named after its table and columns.
pub(crate) fn index(table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(format!("ix_{table}_{}", columns.join("_"))).table(table);
    for column in columns {
        statement.col(*column);
    }
    if unique {
        statement.unique();
    }
    statement.to_owned()
}
