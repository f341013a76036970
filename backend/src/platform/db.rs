//! The database: SQLite (WAL, one writer connection, a pool of query-only readers) or PostgreSQL
//! (one pool for both). Services read through [`Db::read`] and write through [`Db::write`].

use crate::config::DatabaseConfig;
use lantern_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr, SqlxSqliteConnector, Statement,
};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Connections to the one source of truth.
#[derive(Clone, Debug)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
    /// Statements run since start, on both connections: exported as a metric, and the way
    /// tests hold a page to its query budget.
    queries: Arc<AtomicU64>,
}

/// Counts every statement and records its duration.
fn count_into(queries: &Arc<AtomicU64>) -> impl Fn(&sea_orm::metric::Info<'_>) + Send + Sync + 'static {
    let queries = Arc::clone(queries);
    move |info| {
        queries.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("lantern_db_queries_total", "failed" => if info.failed { "true" } else { "false" })
            .increment(1);
        metrics::histogram!("lantern_db_query_seconds").record(info.elapsed.as_secs_f64());
    }
}

impl Db {
    /// Connects to `url`, creating a SQLite file if it is missing.
    pub async fn connect(url: &str, config: &DatabaseConfig) -> Result<Self, DbErr> {
        let timeout = Duration::from_secs(config.timeout_seconds.max(1));
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| DbErr::Custom(format!("database_url: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL survives power loss, not only a killed process.
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(timeout)
                .foreign_keys(true);
            // One writer: SQLite allows one at a time, and a single connection turns lock
            // contention into a queue instead of SQLITE_BUSY errors.
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .acquire_timeout(timeout)
                .connect_with(options.clone())
                .await
                .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
            let reader = SqlitePoolOptions::new()
                .max_connections(config.max_connections.max(1))
                .acquire_timeout(timeout)
                .connect_with(options.pragma("query_only", "ON"))
                .await
                .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
            let queries = Arc::new(AtomicU64::new(0));
            let mut read = SqlxSqliteConnector::from_sqlx_sqlite_pool(reader);
            let mut write = SqlxSqliteConnector::from_sqlx_sqlite_pool(writer);
            read.set_metric_callback(count_into(&queries));
            write.set_metric_callback(count_into(&queries));
            Ok(Self { read, write, queries })
        } else {
            let mut options = ConnectOptions::new(url.to_owned());
            options
                .max_connections(config.max_connections.max(2))
                .min_connections(1)
                .acquire_timeout(timeout)
                .connect_timeout(timeout)
                .sqlx_logging(false);
            let mut pool = Database::connect(options).await?;
            let queries = Arc::new(AtomicU64::new(0));
            pool.set_metric_callback(count_into(&queries));
            Ok(Self { read: pool.clone(), write: pool, queries })
        }
    }

    /// The connection for reads (query-only on SQLite).
    pub fn read(&self) -> &DatabaseConnection {
        &self.read
    }

    /// The connection for writes and transactions.
    pub fn write(&self) -> &DatabaseConnection {
        &self.write
    }

    pub fn backend(&self) -> DbBackend {
        self.write.get_database_backend()
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), DbErr> {
        Migrator::up(&self.write, None).await
    }

    /// How many statements have run since start.
    pub fn queries(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.read.ping().await
    }

    /// Closes every connection (so that a SQLite file can be copied or removed).
    pub async fn close(self) -> Result<(), DbErr> {
        self.read.close().await?;
        self.write.close().await
    }
}

/// Whether a database error is a unique-constraint violation (a duplicate), on either backend.
pub fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// A raw statement written with PostgreSQL's `$1, $2 …` placeholders, each used once and in
/// order, for `backend` (SQLite gets `?`). For the few queries sea-query does not express well
/// (grouped aggregates); values are always bound, never formatted into the text.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => sql.to_owned(),
        _ => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    out.push('?');
                } else {
                    out.push(c);
                }
            }
            out
        }
    };
    Statement::from_sql_and_values(backend, sql, values)
}
