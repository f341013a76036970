//! The database: SQLite (WAL, one writer connection, a pool of query-only readers) or PostgreSQL
//! (one pool for both). Services read through [`Db::read`] and write through [`Db::write`].

use crate::config::DatabaseConfig;
use lantern_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, SqlxSqliteConnector, Statement, TransactionOptions, TransactionTrait,
};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Starts a transaction that writes. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken
/// at once (waiting out the busy timeout), whereas a deferred transaction that reads first and
/// writes later fails at once with `SQLITE_BUSY` if another process (a second server on the same
/// file) committed in between, whatever the busy timeout.
pub async fn begin_write(connection: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if connection.get_database_backend() != DbBackend::Sqlite {
        return connection.begin().await;
    }
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    connection.begin_with_options(options).await
}

/// The advisory lock key servers take at start-up ("LANTERN" in ASCII, as a number).
const STARTUP_LOCK_KEY: i64 = 0x004c_414e_5445_524e;

/// Held while starting up; see [`Db::startup_lock`].
pub struct StartupLock(Held);

enum Held {
    Transaction(DatabaseTransaction),
    File(std::fs::File),
    Nothing,
}

impl StartupLock {
    pub async fn release(self) -> Result<(), DbErr> {
        match self.0 {
            Held::Transaction(txn) => txn.commit().await,
            Held::File(file) => file.unlock().map_err(|e| DbErr::Custom(format!("start-up lock file: {e}"))),
            Held::Nothing => Ok(()),
        }
    }
}

/// Connections to the one source of truth.
#[derive(Clone, Debug)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
    /// Statements run since start, on both connections: exported as a metric, and the way
    /// tests hold a page to its query budget.
    queries: Arc<AtomicU64>,
    /// SQLite: the database file (for the start-up lock beside it and for backups).
    sqlite_file: Option<PathBuf>,
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
            let file = options.get_filename();
            let sqlite_file =
                (!file.as_os_str().is_empty() && file != Path::new(":memory:")).then(|| file.to_path_buf());
            // Processes opening one new file at once would race to switch it to WAL, and the
            // loser gets "database is locked" whatever the busy timeout: they take turns.
            let opening = match &sqlite_file {
                Some(file) => Some(lock_file(startup_lock_path(file)).await?),
                None => None,
            };
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
            drop(opening);
            let queries = Arc::new(AtomicU64::new(0));
            let mut read = SqlxSqliteConnector::from_sqlx_sqlite_pool(reader);
            let mut write = SqlxSqliteConnector::from_sqlx_sqlite_pool(writer);
            read.set_metric_callback(count_into(&queries));
            write.set_metric_callback(count_into(&queries));
            Ok(Self { read, write, queries, sqlite_file })
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
            Ok(Self { read: pool.clone(), write: pool, queries, sqlite_file: None })
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

    /// Starts a write transaction; see [`begin_write`].
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        begin_write(&self.write).await
    }

    pub fn backend(&self) -> DbBackend {
        self.write.get_database_backend()
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), DbErr> {
        Migrator::up(&self.write, None).await
    }

    /// Taken while a server migrates the database and imports the demo content, so that
    /// servers starting together on one database take turns. PostgreSQL: a transaction-scoped
    /// advisory lock; SQLite: an exclusive lock on a file beside the database. Both end with
    /// [`StartupLock::release`], or when the process ends, even if it is killed.
    pub async fn startup_lock(&self) -> Result<StartupLock, DbErr> {
        if self.backend() == DbBackend::Postgres {
            let txn = self.write.begin().await?;
            txn.execute_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT pg_advisory_xact_lock({STARTUP_LOCK_KEY})"),
            ))
            .await?;
            return Ok(StartupLock(Held::Transaction(txn)));
        }
        let Some(file) = &self.sqlite_file else { return Ok(StartupLock(Held::Nothing)) };
        let locked = lock_file(startup_lock_path(file)).await?;
        Ok(StartupLock(Held::File(locked)))
    }

    /// Writes a consistent copy of a SQLite database to `path` with `VACUUM INTO`, on a
    /// connection of its own: it reads one snapshot, so writers (WAL) and readers carry on
    /// meanwhile. PostgreSQL is backed up with `pg_dump` instead (see `deploy/README.md`).
    pub async fn backup_to(&self, path: &Path) -> Result<(), DbErr> {
        let Some(file) = &self.sqlite_file else {
            return Err(DbErr::Custom(
                "backup copies a SQLite database file; for PostgreSQL use pg_dump (see deploy/README.md)"
                    .into(),
            ));
        };
        if path.exists() {
            return Err(DbErr::Custom(format!("{} already exists; choose a new file", path.display())));
        }
        let target = path.to_str().ok_or_else(|| DbErr::Custom("the backup path must be UTF-8".into()))?;
        let options = SqliteConnectOptions::new().filename(file).busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
        let connection = SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
        let copied = connection
            .execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [target.into()]))
            .await;
        connection.close().await?;
        copied.map(drop)
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

/// The file beside a SQLite database that servers lock while opening it and starting up.
fn startup_lock_path(database: &Path) -> PathBuf {
    PathBuf::from(format!("{}-startup.lock", database.display()))
}

/// Waits for an exclusive lock on `path` (created if missing); it ends when the file is closed
/// or unlocked, or the process ends, even if killed.
async fn lock_file(path: PathBuf) -> Result<std::fs::File, DbErr> {
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
        file.lock()?;
        Ok::<_, std::io::Error>(file)
    })
    .await
    .map_err(|e| DbErr::Custom(format!("start-up lock: {e}")))?
    .map_err(|e| DbErr::Custom(format!("start-up lock file: {e}")))
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

#[cfg(test)]
mod tests {
    use super::Db;
    use crate::config::DatabaseConfig;
    use sea_orm::{ConnectionTrait, DbBackend, Statement};

    fn sql(text: &str) -> Statement {
        Statement::from_string(DbBackend::Sqlite, text)
    }

    /// Two servers on one SQLite file: a transaction that reads and then writes must not fail
    /// because the other server committed in between. A deferred transaction fails at its first
    /// write with SQLITE_BUSY (its snapshot is stale) whatever the busy timeout; this one takes
    /// the write lock at `BEGIN` and the other server waits for it instead.
    #[tokio::test]
    async fn a_transaction_that_reads_first_survives_a_write_from_another_server() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("lantern.db").display());
        let config = DatabaseConfig::default();
        let first = Db::connect(&url, &config).await.expect("first server");
        let second = Db::connect(&url, &config).await.expect("second server");
        first.write().execute_raw(sql("CREATE TABLE t (n INTEGER)")).await.expect("table");

        let txn = first.begin().await.expect("begin");
        txn.query_one_raw(sql("SELECT count(*) FROM t")).await.expect("read");
        let other = tokio::spawn(async move {
            second.write().execute_raw(sql("INSERT INTO t VALUES (2)")).await.map(|_| ())
        });
        // Long enough for the other server's insert to commit, had nothing held it back.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        txn.execute_raw(sql("INSERT INTO t VALUES (1)")).await.expect("the write after the read");
        txn.commit().await.expect("commit");
        other.await.expect("joined").expect("the other server's write waited its turn");

        let row = first.read().query_one_raw(sql("SELECT count(*) FROM t")).await.expect("count");
        let count: i64 = row.expect("a row").try_get_by_index(0).expect("a number");
        assert_eq!(count, 2);
    }
}
