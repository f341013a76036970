//! What the database benchmarks share: the databases they run on, and a server state with the
//! demo content imported.
#![allow(dead_code)]

use lantern::platform::clock::SystemClock;
use lantern::{AppState, Config};
use sea_orm::{ConnectionTrait, Database};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One database to run on: its name for the report, its URL and a data folder of its own.
pub struct Target {
    pub name: &'static str,
    pub url: String,
    pub dir: PathBuf,
}

/// SQLite in `temp`, then PostgreSQL when `LANTERN_BENCH_DATABASE_URL` names a server (in a
/// fresh database `lantern_bench_<bench>`; [`drop_postgres`] removes it afterwards).
pub async fn targets(bench: &str, temp: &Path) -> Vec<Target> {
    let mut out = vec![Target {
        name: "SQLite",
        url: format!("sqlite://{}/bench.db", temp.display()),
        dir: temp.to_path_buf(),
    }];
    if let Ok(server) = std::env::var("LANTERN_BENCH_DATABASE_URL") {
        let server = server.trim_end_matches('/').to_owned();
        let admin = Database::connect(format!("{server}/postgres")).await.unwrap();
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS lantern_bench_{bench}")).await.unwrap();
        admin.execute_unprepared(&format!("CREATE DATABASE lantern_bench_{bench}")).await.unwrap();
        let dir = temp.join("pg");
        std::fs::create_dir_all(&dir).unwrap();
        out.push(Target { name: "PostgreSQL", url: format!("{server}/lantern_bench_{bench}"), dir });
    }
    out
}

/// Drops the PostgreSQL database [`targets`] made, if it made one.
pub async fn drop_postgres(bench: &str) {
    if let Ok(server) = std::env::var("LANTERN_BENCH_DATABASE_URL") {
        let admin = Database::connect(format!("{}/postgres", server.trim_end_matches('/'))).await.unwrap();
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS lantern_bench_{bench}")).await.unwrap();
    }
}

/// A server's state on `target`, migrated, with the demo content imported.
pub async fn open_with_demo(target: &Target) -> AppState {
    let config = Config {
        data_dir: target.dir.clone(),
        database_url: target.url.clone(),
        content_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"),
        ..Config::default()
    };
    let content = config.content_dir.clone();
    let state = AppState::open(config, Arc::new(SystemClock)).await.unwrap();
    lantern::content::import(&state, &content).await.unwrap();
    state
}
