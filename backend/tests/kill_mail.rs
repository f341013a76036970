//! `kill -9` in the middle of sending email (issue 10, RELIABILITY.md B5 #8): a real `lantern
//! serve` drains an outbox of MESSAGES messages into its mail folder (the `.eml` transport used
//! when no SMTP server is configured) and is killed with SIGKILL part-way. Nothing is lost: every
//! row marked sent is in the folder, no file is half-written, and once the killed server's lease
//! runs out a restarted server sends the rest. Nothing is duplicated beyond what at-least-once
//! delivery allows: only a message that was in flight at the kill (claimed, not yet marked sent)
//! may leave twice, and then with the same Message-ID, by which receivers drop it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::platform::clock::{SharedClock, SystemClock};
use lantern::platform::mail::{self, Email, entity};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use common::lantern;

const MESSAGES: usize = 600;

fn serve(data: &Path) -> Child {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    lantern(data, &["serve"])
        // Nobody reads a server's stderr while it runs: a full pipe would stop it.
        .stderr(Stdio::null())
        .env("LANTERN_LISTEN", format!("127.0.0.1:{port}"))
        .env("LANTERN_MAIL__POLL_MILLISECONDS", "50")
        .spawn()
        .unwrap()
}

/// The Message-IDs in the mail folder's finished files, with how many files carry each, and
/// how many files are unfinished (`.tmp`).
fn mail_folder(data: &Path) -> (BTreeMap<String, usize>, usize) {
    let mut ids = BTreeMap::new();
    let mut unfinished = 0;
    let Ok(entries) = std::fs::read_dir(data.join("mail")) else { return (ids, 0) };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tmp") {
            unfinished += 1;
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let id = text
            .lines()
            .find_map(|line| line.strip_prefix("Message-ID: "))
            .unwrap_or_else(|| panic!("{}: a whole message with a Message-ID", path.display()));
        *ids.entry(id.trim().to_owned()).or_insert(0) += 1;
    }
    (ids, unfinished)
}

async fn rows(db: &DatabaseConnection) -> Vec<entity::Model> {
    entity::Entity::find().all(db).await.unwrap()
}

#[tokio::test]
async fn an_email_send_killed_part_way_loses_nothing_and_sends_the_rest_after_the_lease() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    assert!(lantern(&data, &["import", content.to_str().unwrap()]).status().unwrap().success());

    let url = format!("sqlite://{}/lantern.db", data.display());
    let db = Database::connect(&url).await.unwrap();
    let clock: SharedClock = Arc::new(SystemClock);
    for n in 0..MESSAGES {
        let email = Email {
            to_address: format!("learner{n}@example.org"),
            to_name: format!("Learner {n}"),
            subject: format!("Your certificate {n}"),
            text: "Your certificate is ready.\n".repeat(40),
            html: "<p>Your certificate is ready.</p>".repeat(40),
        };
        mail::enqueue(&db, &clock, email).await.unwrap();
    }
    // The demo import's own messages (none expected, but counted either way).
    let expected: BTreeSet<String> = rows(&db).await.into_iter().map(|r| r.message_id).collect();
    assert!(expected.len() >= MESSAGES);

    // Killed once some, not all, have left, half-way through a claimed batch (the outbox claims
    // 20 at a time): some messages are then claimed and not yet sent.
    let mut server = serve(&data);
    let started = Instant::now();
    loop {
        let (sent, _) = mail_folder(&data);
        if sent.len() >= 3 * 20 + 7 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the server sent nothing in a minute");
        std::thread::sleep(Duration::from_millis(1));
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();

    let (delivered, unfinished) = mail_folder(&data);
    let after_kill = rows(&db).await;
    let count = |status: &str| after_kill.iter().filter(|r| r.status == status).count();
    let (sent, sending) = (count(mail::SENT), count(mail::SENDING));
    eprintln!(
        "after the kill: {} delivered, {sent} marked sent, {sending} in flight, {} pending, {unfinished} unfinished file(s)",
        delivered.len(),
        count(mail::PENDING)
    );
    assert!(sent < expected.len(), "killed before the end (it sent everything in {:?})", started.elapsed());
    assert!(sending > 0, "killed with messages in flight");
    assert_eq!(sent + sending + count(mail::PENDING), expected.len(), "no message failed or vanished");
    for row in after_kill.iter().filter(|r| r.status == mail::SENT) {
        assert!(delivered.contains_key(&row.message_id), "row {} marked sent but not delivered", row.id);
    }
    assert!(delivered.values().all(|&n| n == 1), "no message twice before the kill");

    // The killed server's lease runs out (five minutes; moved back here rather than waited for).
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    entity::Entity::update_many()
        .col_expr(entity::Column::LockedUntil, Expr::value(an_hour_ago))
        .filter(entity::Column::Status.eq(mail::SENDING))
        .exec(&db)
        .await
        .unwrap();
    let mut server = serve(&data);
    let started = Instant::now();
    while entity::Entity::find().filter(entity::Column::Status.ne(mail::SENT)).count(&db).await.unwrap() > 0 {
        assert!(started.elapsed() < Duration::from_secs(120), "the restarted server did not send the rest");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let (delivered, unfinished) = mail_folder(&data);
    assert_eq!(unfinished, 0, "the file the kill cut short was written again and finished");
    let ids: BTreeSet<String> = delivered.keys().cloned().collect();
    assert_eq!(ids, expected, "every message delivered, and nothing that was not queued");
    let twice: Vec<&String> = delivered.iter().filter(|(_, n)| **n > 1).map(|(id, _)| id).collect();
    eprintln!("sent twice (in flight at the kill, same Message-ID): {}", twice.len());
    assert!(twice.len() <= sending, "only messages in flight at the kill may leave twice: {twice:?}");
    assert!(delivered.values().all(|&n| n <= 2), "none more than twice");
    db.close().await.unwrap();
}
