//! Workforce insights for an association of 100,000 members and a regulator of 100,000 consenting
//! licensees, on SQLite and (when `LANTERN_BENCH_DATABASE_URL` names a PostgreSQL server) on
//! PostgreSQL. Each member has 2 enrolments over the last year (one in three completed), 5 credit
//! entries, and one in ten asked for a mentor (half of them have one). Times the service call
//! behind each page (reading the kept figures and suppressing them), which is the server's work
//! for the page but for rendering a few kilobytes; and counting the figures again (every table's
//! grouped query), which a server does in the background every `insights.refresh_minutes`, and
//! which an organisation's very first page waits for. Goal: the association's page under 200 ms.
//!
//! ```sh
//! cargo bench -p lantern --bench insights
//! LANTERN_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432 cargo bench -p lantern --bench insights
//! MEMBERS=10000 cargo bench -p lantern --bench insights   # quicker
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

mod common;

use lantern::AppState;
use lantern::credits::rules::{CycleAnchor, RuleSet};
use lantern::platform::clock::{Clock, SystemClock};
use lantern::platform::db::statement;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::time::{Duration, Instant};

const GOAL: Duration = Duration::from_millis(200);
const RUNS: usize = 7;

#[tokio::main]
async fn main() {
    let members: i64 = std::env::var("MEMBERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let temp = tempfile::tempdir().unwrap();
    println!("## Insights benchmark: {members} members and licensees\n");
    println!(
        "| database | seed | association page (median / max of {RUNS}) | goal < 200 ms | counting its figures (median / max of 3) | regulator page | counting its figures |"
    );
    println!("|---|---|---|---|---|---|---|");
    for target in common::targets("insights", temp.path()).await {
        run(&target, members).await;
    }
    common::drop_postgres("insights").await;
}

async fn run(target: &common::Target, members: i64) {
    let name = target.name;
    let state = common::open_with_demo(target).await;
    let started = Instant::now();
    let (association, regulator) = seed(&state, members).await;
    let seeded = started.elapsed();

    let insights = &state.insights;
    let count = |of_regulator: bool| async move {
        let id = if of_regulator { regulator } else { association };
        let mut times = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            insights.refresh_now(id, of_regulator).await.unwrap();
            times.push(t.elapsed());
        }
        times.sort();
        (times[1], times[2])
    };
    let counting = count(false).await;
    let regulator_counting = count(true).await;

    let mut times = Vec::new();
    let mut sections = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let all = insights.association(association).await.unwrap().sections;
        times.push(t.elapsed());
        assert_eq!(all[0].table.people.total, lantern::insights::table::Figure::Shown(members));
        sections = all.len();
    }
    times.sort();
    let (median, max) = (times[RUNS / 2], times[RUNS - 1]);
    let met = if median < GOAL { "met" } else { "NOT met" };
    let mut regulator_times = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        insights.regulator(regulator).await.unwrap();
        regulator_times.push(t.elapsed());
    }
    regulator_times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "| {name} | {:.1} s | {:.1} / {:.1} ms ({sections} tables) | {met} | {:.2} / {:.2} s | {:.1} / {:.1} ms | {:.2} / {:.2} s |",
        seeded.as_secs_f64(),
        ms(median),
        ms(max),
        counting.0.as_secs_f64(),
        counting.1.as_secs_f64(),
        ms(regulator_times[RUNS / 2]),
        ms(regulator_times[RUNS - 1]),
        regulator_counting.0.as_secs_f64(),
        regulator_counting.1.as_secs_f64(),
    );
}

/// The demo association's and regulator's ids, after inserting `members` accounts that are
/// members of the one and consenting licensees of the other, with their activity.
async fn seed(state: &AppState, members: i64) -> (i32, i32) {
    let db = state.db.write();
    let backend = db.get_database_backend();
    let now = SystemClock.now();
    let exec = |sql: &str, values: Vec<sea_orm::Value>| db.execute_raw(statement(backend, sql, values));
    let id_of = |sql: &'static str| async move {
        let row = db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
        row.try_get_by_index::<i32>(0).unwrap()
    };
    let association = id_of("SELECT id FROM organisation WHERE slug = 'eanma'").await;
    let regulator = id_of("SELECT id FROM organisation WHERE slug = 'dnmc'").await;
    let framework = id_of("SELECT MIN(id) FROM framework").await;
    let people = "FROM account a WHERE a.email LIKE '%@bench.invalid'";
    exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO account (email, name, locale, profession, region, setting, created_at, updated_at) \
         SELECT 'l' || i || '@bench.invalid', 'Member ' || i, 'en', \
                CASE i % 4 WHEN 0 THEN 'nurse' WHEN 1 THEN 'midwife' WHEN 2 THEN 'clinical-officer' \
                           ELSE 'community-health-worker' END, \
                'Region ' || (i % 40), CASE WHEN i % 3 = 0 THEN 'urban' ELSE 'rural' END, $2, $3 FROM n",
        vec![members.into(), now.into(), now.into()],
    )
    .await
    .unwrap();
    exec(
        &format!("INSERT INTO membership (organisation_id, account_id, role, created_at) SELECT $1, a.id, 'member', $2 {people}"),
        vec![association.into(), now.into()],
    )
    .await
    .unwrap();
    // Dates spread over the last year, written as each database writes timestamps.
    let ago = |days: &str| match backend {
        DbBackend::Postgres => format!("CAST($1 AS TIMESTAMPTZ) - ({days}) * INTERVAL '1 day'"),
        _ => format!("strftime('%Y-%m-%d %H:%M:%S+00:00', $1, '-' || ({days}) || ' days')"),
    };
    exec(
        &format!(
            "INSERT INTO enrolment (account_id, course_id, version_id, enrolled_at, completed_at) \
             SELECT a.id, c.id, c.published_version_id, {}, CASE WHEN a.id % 3 = 0 THEN {} END \
             FROM account a CROSS JOIN course c \
             WHERE a.email LIKE '%@bench.invalid' AND c.organisation_id = $3 AND c.published_version_id IS NOT NULL \
               AND (a.id + c.id) % 2 = 0",
            ago("(a.id * 7 + c.id) % 365"),
            ago("(a.id * 7 + c.id) % 365 - 10").replace("$1", "$2"),
        ),
        vec![now.to_rfc3339().into(), now.to_rfc3339().into(), association.into()],
    )
    .await
    .unwrap();
    let earned = match backend {
        DbBackend::Postgres => "CAST($1 AS DATE) - ((a.id * 13 + n.i * 19) % 900)",
        _ => "date($1, '-' || ((a.id * 13 + n.i * 19) % 900) || ' days')",
    };
    exec(
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) \
             INSERT INTO credit_entry (account_id, seq, kind, amount, category, accreditor_id, title, earned_on, \
                                       source_key, corrects_id, prev_hash, hash, created_at) \
             SELECT a.id, n.i, 'course', 100 + ((a.id * 7 + n.i) % 4) * 50, \
                    CASE WHEN (a.id + n.i) % 5 = 0 THEN 'ethics' ELSE 'clinical' END, NULL, 'Bench course', \
                    {earned}, 'bench:' || n.i, NULL, '', '', $2 \
             FROM account a CROSS JOIN n WHERE a.email LIKE '%@bench.invalid'"
        ),
        vec![now.date_naive().to_string().into(), now.into()],
    )
    .await
    .unwrap();
    // A programme; one member in ten asks for a mentor, and every other one of those has one.
    exec(
        "INSERT INTO mentoring_programme (organisation_id, slug, title, description, instant, created_at) \
         VALUES ($1, 'bench', 'Bench programme', '', FALSE, $2)",
        vec![association.into(), now.into()],
    )
    .await
    .unwrap();
    let programme = id_of("SELECT MAX(id) FROM mentoring_programme").await;
    exec(
        &format!(
            "INSERT INTO mentee_request (account_id, programme_id, framework_id, goals, wanted, languages, \
               same_profession, same_country, remote_ok, utc_offset_minutes, status, created_at, updated_at) \
             SELECT a.id, $1, $2, '', '', 'en', FALSE, FALSE, TRUE, 180, 'open', $3, $4 {people} AND a.id % 10 = 0"
        ),
        vec![programme.into(), framework.into(), now.into(), now.into()],
    )
    .await
    .unwrap();
    exec(
        "INSERT INTO mentorship (programme_id, request_id, mentor_id, mentee_id, status, score, reasons, \
           end_reason, mentor_feedback, mentee_feedback, created_at, updated_at) \
         SELECT q.programme_id, q.id, q.account_id - 1, q.account_id, 'active', 0, '', '', '', '', $1, $2 \
         FROM mentee_request q WHERE q.programme_id = $3 AND q.account_id % 20 = 0",
        vec![now.into(), now.into(), programme.into()],
    )
    .await
    .unwrap();
    // Every member a consenting licensee of the regulator.
    exec(
        &format!(
            "INSERT INTO licence (account_id, regulator_id, number, status, verified_at, created_at) \
             SELECT a.id, $1, 'B-' || a.id, 'verified', $2, $3 {people}"
        ),
        vec![regulator.into(), now.into(), now.into()],
    )
    .await
    .unwrap();
    exec(
        &format!(
            "INSERT INTO credit_consent (account_id, regulator_id, granted_at) SELECT a.id, $1, $2 {people}"
        ),
        vec![regulator.into(), now.into()],
    )
    .await
    .unwrap();
    exec(
        &format!(
            "INSERT INTO roster_entry (regulator_id, number, name, profession, renewed_on, region, imported_at) \
             SELECT $1, 'B-' || a.id, a.name, a.profession, $2, a.region, $3 {people}"
        ),
        vec![regulator.into(), (now.date_naive() - chrono::Duration::days(200)).into(), now.into()],
    )
    .await
    .unwrap();
    let rules = RuleSet {
        cycle_years: 1,
        cycle: CycleAnchor::Fixed { month: 1, day: 1 },
        total: 500,
        category_minimums: vec![("ethics".into(), 100)],
        kind_maximums: vec![],
        accepted_accreditors: None,
        rolling_validity_months: None,
    };
    for profession in ["nurse", "midwife", "clinical-officer", "community-health-worker"] {
        state.compliance.set_rules(regulator, profession, rules.clone()).await.unwrap();
    }
    db.execute_unprepared("ANALYZE").await.unwrap();
    (association, regulator)
}
