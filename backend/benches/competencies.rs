//! Competency figures at scale, on SQLite and (when `LANTERN_BENCH_DATABASE_URL` names a
//! PostgreSQL server) on PostgreSQL:
//!
//! - a learner's profile computed from 1,000 pieces of evidence;
//! - an association's aggregated gaps for a role over 100,000 member learners (about 1.2 million
//!   pieces of evidence), which the database computes by grouped counts.
//!
//! ```sh
//! cargo bench -p lantern --bench competencies
//! LANTERN_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432 cargo bench -p lantern --bench competencies
//! LEARNERS=10000 cargo bench -p lantern --bench competencies   # quicker
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

mod common;

use lantern::AppState;
use lantern::platform::clock::{Clock, SystemClock};
use lantern::platform::db::statement;
use sea_orm::{ConnectionTrait, Statement};
use std::time::{Duration, Instant};

const FRAMEWORK: &str = "primary-care-nursing-midwifery";
const GOAL: Duration = Duration::from_secs(1);

#[tokio::main]
async fn main() {
    let learners: i64 = std::env::var("LEARNERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let temp = tempfile::tempdir().unwrap();
    println!("## Competencies benchmark: {learners} member learners\n");
    println!(
        "| database | seed | profile, 1,000 evidence (median / max of 20) | aggregated gaps (median / max of 5) | goal < 1 s |"
    );
    println!("|---|---|---|---|---|");
    for target in common::targets("competencies", temp.path()).await {
        run(&target, learners).await;
    }
    common::drop_postgres("competencies").await;
}

async fn run(target: &common::Target, learners: i64) {
    let name = target.name;
    let state = common::open_with_demo(target).await;
    let started = Instant::now();
    let (organisation, heavy) = seed(&state, learners).await;
    let seeded = started.elapsed();

    let mut profile = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let p = state.competencies.profile(heavy, FRAMEWORK).await.unwrap();
        profile.push(t.elapsed());
        assert_eq!(p.holdings.values().map(|h| h.evidence.len()).sum::<usize>(), 1_015);
    }
    let mut gaps = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let g = state.competencies.workforce_gaps(organisation, FRAMEWORK, "rural-midwife").await.unwrap();
        gaps.push(t.elapsed());
        let members: i64 = g.cells.iter().map(|c| c.members).sum::<i64>() + g.suppressed_members;
        assert_eq!(members, learners + 1);
    }
    let (p50, pmax) = spread(&mut profile);
    let (g50, gmax) = spread(&mut gaps);
    let met = if gmax < GOAL && pmax < GOAL { "met" } else { "NOT met" };
    println!(
        "| {name} | {:.1} s | {:.1} / {:.1} ms | {:.0} / {:.0} ms | {met} |",
        seeded.as_secs_f64(),
        ms(p50),
        ms(pmax),
        ms(g50),
        ms(gmax)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn spread(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

/// Inserts `learners` members of the demo association with about 12 pieces of evidence each
/// (levels 1–4, some expired), and one more learner with 1,015; returns the association's id and
/// that learner's.
async fn seed(state: &AppState, learners: i64) -> (i32, i32) {
    let db = state.db.write();
    let backend = db.get_database_backend();
    let now = SystemClock.now();
    let exec = |sql: &str, values: Vec<sea_orm::Value>| db.execute_raw(statement(backend, sql, values));
    let one = |sql: &str| {
        let sql = sql.to_owned();
        async move {
            let row = db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
            row.try_get_by_index::<i32>(0).unwrap()
        }
    };
    let organisation = one("SELECT id FROM organisation WHERE slug = 'eanma'").await;
    let framework = one(&format!("SELECT id FROM framework WHERE slug = '{FRAMEWORK}'")).await;
    let version =
        one(&format!("SELECT published_version_id FROM framework WHERE slug = '{FRAMEWORK}'")).await;
    let later = now + chrono::Duration::days(700);
    let earlier = now - chrono::Duration::days(10);
    exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO account (email, name, locale, profession, region, created_at, updated_at) \
         SELECT 'b' || i || '@bench.invalid', 'Bench ' || i, 'en', \
                CASE i % 3 WHEN 0 THEN 'nurse' WHEN 1 THEN 'midwife' ELSE 'community-health-worker' END, \
                'Region ' || (i % 40), $2, $3 FROM n",
        vec![learners.into(), now.into(), now.into()],
    )
    .await
    .unwrap();
    exec(
        "INSERT INTO membership (organisation_id, account_id, role, created_at) \
         SELECT $1, id, 'member', $2 FROM account WHERE email LIKE '%@bench.invalid'",
        vec![organisation.into(), now.into()],
    )
    .await
    .unwrap();
    // About a third of the 35 competencies per learner; one in ten pieces already expired.
    exec(
        "INSERT INTO evidence (account_id, framework_id, code, level, kind, source_key, source, occurred_at, expires_at, created_at) \
         SELECT a.id, $1, c.code, 1 + (a.id + c.position) % 4, 'course', 'bench', 'Bench course', $2, \
                CASE WHEN (a.id + c.position) % 10 = 0 THEN $3 ELSE $4 END, $5 \
         FROM account a JOIN competency c ON c.version_id = $6 AND c.kind = 'competency' \
         WHERE a.email LIKE '%@bench.invalid' AND (a.id * 7 + c.position) % 3 = 0",
        vec![framework.into(), now.into(), earlier.into(), later.into(), now.into(), version.into()],
    )
    .await
    .unwrap();
    exec(
        "INSERT INTO account (email, name, locale, profession, region, created_at, updated_at) \
         VALUES ('heavy@bench.invalid', 'Heavy', 'en', 'midwife', 'Region 1', $1, $2)",
        vec![now.into(), now.into()],
    )
    .await
    .unwrap();
    let heavy = one("SELECT id FROM account WHERE email = 'heavy@bench.invalid'").await;
    exec(
        "INSERT INTO membership (organisation_id, account_id, role, created_at) VALUES ($1, $2, 'member', $3)",
        vec![organisation.into(), heavy.into(), now.into()],
    )
    .await
    .unwrap();
    exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 29) \
         INSERT INTO evidence (account_id, framework_id, code, level, kind, source_key, source, occurred_at, expires_at, created_at) \
         SELECT $1, $2, c.code, 1 + (n.i + c.position) % 4, 'quiz', 'bench:' || n.i, 'Bench quiz', $3, $4, $5 \
         FROM competency c CROSS JOIN n WHERE c.version_id = $6 AND c.kind = 'competency'",
        vec![heavy.into(), framework.into(), now.into(), later.into(), now.into(), version.into()],
    )
    .await
    .unwrap();
    // Fresh statistics, as a running database has them.
    db.execute_unprepared("ANALYZE").await.unwrap();
    (organisation, heavy)
}
