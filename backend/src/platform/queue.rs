//! Work kept as rows of a table and done after the change that caused it commits: the email outbox
//! (`platform::mail`), the xAPI statements (`xapi`). A row is `pending` until it is due; a worker
//! claims a batch under a lease (status `sending`, `locked_until`), does it, and settles each row
//! as `sent`, `pending` again with a later `next_attempt_at`, or `failed`. On PostgreSQL the claim
//! skips rows another server holds (`FOR UPDATE SKIP LOCKED`), so no two servers take the same
//! one; a server that dies mid-batch leaves its rows to be claimed again when the lease ends.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::future::Future;
use tokio::sync::{Notify, watch};

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// How long a claimed row stays reserved for the server that claimed it.
pub const LEASE_MINUTES: i64 = 5;

/// The columns a queue table has.
pub struct Columns<C> {
    pub id: C,
    pub status: C,
    pub next_attempt_at: C,
    pub locked_until: C,
    /// Counted up when a row is claimed, so that a row whose worker dies still uses an attempt;
    /// None where the worker counts when it settles.
    pub attempts_on_claim: Option<C>,
}

/// Reserves up to `batch` due rows (and rows whose lease ended) for this server, oldest first.
pub async fn claim<E>(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    columns: &Columns<E::Column>,
    batch: u64,
    id_of: fn(&E::Model) -> i32,
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Column: Copy,
{
    let txn = crate::platform::db::begin_write(db).await?;
    let due = columns
        .status
        .eq(PENDING)
        .and(columns.next_attempt_at.lte(now))
        .or(columns.status.eq(SENDING).and(columns.locked_until.lt(now)));
    let mut query = E::find().filter(due).order_by_asc(columns.id).limit(batch);
    if sea_orm::ConnectionTrait::get_database_backend(&txn) == DbBackend::Postgres {
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let claimed = query.all(&txn).await?;
    if !claimed.is_empty() {
        let mut update = E::update_many()
            .col_expr(columns.status, Expr::value(SENDING))
            .col_expr(columns.locked_until, Expr::value(now + Duration::minutes(LEASE_MINUTES)));
        if let Some(attempts) = columns.attempts_on_claim {
            update = update.col_expr(attempts, Expr::col(attempts).add(1));
        }
        update.filter(columns.id.is_in(claimed.iter().map(id_of))).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(claimed)
}

/// Does `work` until `shutdown` turns true: at once, then every `poll` or as soon as `wake` is
/// notified (a request that queued something).
pub async fn run<F, Fut>(
    mut shutdown: watch::Receiver<bool>,
    wake: &Notify,
    poll: std::time::Duration,
    mut work: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        work().await;
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
}

/// How long after failed attempt `attempts` (from 1) to try again: 30 s, 1 min, 2 min … capped
/// at one hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = std::cmp::min(u32::try_from(attempts.saturating_sub(1)).unwrap_or(0), 7);
    Duration::seconds(std::cmp::min(30_i64 << exponent, 3600))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_and_stops_at_an_hour() {
        assert_eq!(backoff(1).num_seconds(), 30);
        assert_eq!(backoff(2).num_seconds(), 60);
        assert_eq!(backoff(4).num_seconds(), 240);
        assert_eq!(backoff(20).num_seconds(), 3600);
    }
}
