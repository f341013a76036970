//! Enrolments by course and date: an association's insights count its courses' enrolments and
//! completions per month, which without these indexes means reading every enrolment once per
//! course.

use crate::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index("enrolment", &["course_id", "enrolled_at"], false)).await?;
        manager.create_index(index("enrolment", &["course_id", "completed_at"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_enrolment_course_id_enrolled_at", "ix_enrolment_course_id_completed_at"] {
            manager.drop_index(Index::drop().name(name).table("enrolment").to_owned()).await?;
        }
        Ok(())
    }
}
