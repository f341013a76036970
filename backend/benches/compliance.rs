//! Compliance for a regulator's licensees, on SQLite and (when `LANTERN_BENCH_DATABASE_URL`
//! names a PostgreSQL server) on PostgreSQL: 100,000 confirmed licensees who consented, 20 credit
//! entries each (2 million rows), every one evaluated by its profession's rules — what the
//! regulator's dashboard computes. Goal: under 5 s.
//!
//! ```sh
//! cargo bench -p lantern --bench compliance
//! LANTERN_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432 cargo bench -p lantern --bench compliance
//! LICENSEES=10000 cargo bench -p lantern --bench compliance   # quicker
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

mod common;

use lantern::AppState;
use lantern::credits::rules::{CycleAnchor, RuleSet, Status};
use lantern::platform::clock::{Clock, SystemClock};
use lantern::platform::db::statement;
use sea_orm::{ConnectionTrait, Statement};
use std::time::{Duration, Instant};

const GOAL: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() {
    let licensees: i64 = std::env::var("LICENSEES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let temp = tempfile::tempdir().unwrap();
    println!("## Compliance benchmark: {licensees} licensees, 20 credit entries each\n");
    println!(
        "| database | seed | evaluate every licensee (median / max of 3) | compliant / on track / at risk | goal < 5 s |"
    );
    println!("|---|---|---|---|---|");
    for target in common::targets("compliance", temp.path()).await {
        run(&target, licensees).await;
    }
    common::drop_postgres("compliance").await;
}

async fn run(target: &common::Target, licensees: i64) {
    let name = target.name;
    let state = common::open_with_demo(target).await;
    let started = Instant::now();
    let regulator = seed(&state, licensees).await;
    let rules = RuleSet {
        cycle_years: 1,
        cycle: CycleAnchor::Fixed { month: 1, day: 1 },
        total: 3_000,
        category_minimums: vec![("ethics".into(), 500)],
        kind_maximums: vec![("self_directed".into(), 1_000)],
        accepted_accreditors: None,
        rolling_validity_months: Some(24),
    };
    for profession in ["midwife", "nurse"] {
        state.compliance.set_rules(regulator, profession, rules.clone()).await.unwrap();
    }
    let seeded = started.elapsed();
    let mut times = Vec::new();
    let mut counts = [0usize; 3];
    for _ in 0..3 {
        let t = Instant::now();
        let all = state.compliance.licensees(regulator).await.unwrap();
        times.push(t.elapsed());
        assert_eq!(all.len() as i64, licensees);
        counts = [Status::Compliant, Status::OnTrack, Status::AtRisk]
            .map(|s| all.iter().filter(|l| l.status == s).count());
    }
    times.sort();
    let (median, max) = (times[1], times[2]);
    let met = if max < GOAL { "met" } else { "NOT met" };
    println!(
        "| {name} | {:.1} s | {:.2} / {:.2} s | {} / {} / {} | {met} |",
        seeded.as_secs_f64(),
        median.as_secs_f64(),
        max.as_secs_f64(),
        counts[0],
        counts[1],
        counts[2]
    );
}

/// Inserts `licensees` accounts with a confirmed licence with the demo regulator, a roster row,
/// consent, and 20 credit entries over the last year (categories and kinds varied).
async fn seed(state: &AppState, licensees: i64) -> i32 {
    let db = state.db.write();
    let backend = db.get_database_backend();
    let now = SystemClock.now();
    let exec = |sql: &str, values: Vec<sea_orm::Value>| db.execute_raw(statement(backend, sql, values));
    let row =
        db.query_one_raw(Statement::from_string(backend, "SELECT id FROM organisation WHERE slug = 'dnmc'"));
    let regulator: i32 = row.await.unwrap().unwrap().try_get_by_index(0).unwrap();
    exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO account (email, name, locale, profession, region, created_at, updated_at) \
         SELECT 'l' || i || '@bench.invalid', 'Licensee ' || i, 'en', \
                CASE i % 2 WHEN 0 THEN 'nurse' ELSE 'midwife' END, 'Region ' || (i % 40), $2, $3 FROM n",
        vec![licensees.into(), now.into(), now.into()],
    )
    .await
    .unwrap();
    for sql in [
        "INSERT INTO licence (account_id, regulator_id, number, status, verified_at, created_at) \
         SELECT id, $1, 'B-' || id, 'verified', $2, $3 FROM account WHERE email LIKE '%@bench.invalid'",
        "INSERT INTO credit_consent (account_id, regulator_id, granted_at) \
         SELECT id, $1, $2 FROM account WHERE email LIKE '%@bench.invalid'",
    ] {
        let values: Vec<sea_orm::Value> = if sql.contains("licence") {
            vec![regulator.into(), now.into(), now.into()]
        } else {
            vec![regulator.into(), now.into()]
        };
        exec(sql, values).await.unwrap();
    }
    exec(
        "INSERT INTO roster_entry (regulator_id, number, name, profession, renewed_on, region, imported_at) \
         SELECT $1, 'B-' || id, name, profession, $2, region, $3 FROM account WHERE email LIKE '%@bench.invalid'",
        vec![regulator.into(), (now.date_naive() - chrono::Duration::days(200)).into(), now.into()],
    )
    .await
    .unwrap();
    // 20 entries each, spread over the last 330 days; every fifth in ethics, every seventh
    // self-directed.
    let earned = match backend {
        sea_orm::DbBackend::Postgres => "CAST($1 AS DATE) - ((a.id * 13 + n.i * 19) % 330)",
        _ => "date($1, '-' || ((a.id * 13 + n.i * 19) % 330) || ' days')",
    };
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) \
         INSERT INTO credit_entry (account_id, seq, kind, amount, category, accreditor_id, title, earned_on, \
                                   source_key, corrects_id, prev_hash, hash, created_at) \
         SELECT a.id, n.i, CASE WHEN (a.id + n.i) % 7 = 0 THEN 'self_directed' ELSE 'course' END, \
                100 + ((a.id * 7 + n.i) % 4) * 50, \
                CASE WHEN (a.id + n.i) % 5 = 0 THEN 'ethics' ELSE 'clinical' END, NULL, 'Bench course', \
                {earned}, 'bench:' || n.i, NULL, '', '', $2 \
         FROM account a CROSS JOIN n WHERE a.email LIKE '%@bench.invalid'"
    );
    exec(&sql, vec![now.date_naive().to_string().into(), now.into()]).await.unwrap();
    db.execute_unprepared("ANALYZE").await.unwrap();
    regulator
}
