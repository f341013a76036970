//! The audit trail: who did what, when and from where, for authentication events and refusals
//! (OWASP ASVS 16.3). Nothing sensitive is recorded: no passwords, tokens or request bodies.

use crate::platform::clock::SharedClock;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_event")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub at: DateTimeUtc,
        pub actor_id: Option<i32>,
        pub action: String,
        pub subject: String,
        pub ip: String,
        pub request_id: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One event to record.
pub struct AuditEvent<'a> {
    pub actor_id: Option<i32>,
    pub action: &'a str,
    pub subject: &'a str,
    pub ip: &'a str,
    pub request_id: &'a str,
}

/// Appends an event, in whatever transaction `conn` is.
pub async fn record(
    conn: &impl ConnectionTrait,
    clock: &SharedClock,
    event: AuditEvent<'_>,
) -> Result<(), DbErr> {
    tracing::info!(
        target: "audit",
        actor = event.actor_id,
        action = event.action,
        subject = %event.subject.escape_debug(),
        ip = event.ip,
        "audit"
    );
    entity::ActiveModel {
        at: Set(clock.now()),
        actor_id: Set(event.actor_id),
        action: Set(event.action.to_owned()),
        subject: Set(event.subject.chars().take(200).collect()),
        ip: Set(event.ip.to_owned()),
        request_id: Set(event.request_id.to_owned()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
