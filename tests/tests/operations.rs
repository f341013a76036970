//! Operating Lantern: servers that start together on one empty database take turns to migrate
//! it and import the demo content, so it is imported once; two servers on one database and one
//! media store share sessions, search, media, mail and jobs with nothing done twice; a backup
//! taken while serving restores into a server that carries on where the first left off.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::credits::entity::certificate;
use lantern_tests::{PASSWORD, TestApp, accredit, complete, test_database, with_media, zip_package};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use std::process::Command;
use std::time::Duration;

const GPS_PHOTO: &[u8] = include_bytes!("../fixtures/media/gps_rot6.jpg");

async fn count(app: &TestApp, table: &str) -> i64 {
    let db = app.state.db.read();
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get("", "n").unwrap()
}

#[tokio::test]
async fn servers_starting_together_on_one_empty_database_import_the_demo_once() {
    let temp = tempfile::tempdir().unwrap();
    let url = test_database(&temp).await;
    let (first, second, third) = tokio::join!(
        TestApp::spawn_with(|config| config.database_url = url.clone()),
        TestApp::spawn_with(|config| config.database_url = url.clone()),
        TestApp::spawn_with(|config| config.database_url = url.clone()),
    );
    let demo_courses = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../content/courses"))
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().path().join("course.toml").exists())
        .count();
    assert!(demo_courses > 1);
    assert_eq!(count(&first, "course").await, demo_courses as i64, "each demo course imported once");
    for app in [&first, &second, &third] {
        let catalogue = app.browser().get_text("/courses").await;
        assert!(catalogue.contains("/courses/hand-hygiene"), "every server serves the catalogue");
    }
}

/// Waits up to 20 seconds for `done` to hold, failing the test with `what` otherwise.
async fn eventually<F: std::future::Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
    for _ in 0..400 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
}

#[tokio::test]
async fn two_servers_on_one_database_and_store_share_sessions_search_media_mail_and_jobs() {
    let first = TestApp::spawn().await;
    // The second server shares the first's database, secrets key and media store: S3 (the same
    // bucket and folder) or, on local files, the same folder as a shared mount would give it.
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(first.data_dir.join("media")).unwrap();
    std::os::unix::fs::symlink(first.data_dir.join("media"), data.path().join("media")).unwrap();
    let second = TestApp::spawn_with(|config| {
        config.data_dir = data.path().to_path_buf();
        config.database_url = first.database_url.clone();
        config.security.secrets_key_file = first.state.config.secrets_key_file();
        config.media.s3 = first.state.config.media.s3.clone();
    })
    .await;

    // A session started on one server works on the other, forms (CSRF) included.
    let amina = first.sign_up("Amina Otieno", "amina@example.org").await;
    let there = amina.against(&second);
    assert!(there.get_text("/account").await.contains("Amina Otieno"), "signed in on the second");
    assert_eq!(there.post_form("/courses/hand-hygiene/enrol", &[]).await.status(), StatusCode::SEE_OTHER);

    // Mail: learners sign up through both; each message is sent once, by one of the two.
    for n in 0..10 {
        let server = if n % 2 == 0 { &first } else { &second };
        server.sign_up("Learner", &format!("learner-{n}@example.org")).await;
    }
    let (one, two) = (&first, &second);
    eventually("the outbox drained", || async move {
        count(one, "outbox_message WHERE status <> 'sent'").await == 0
    })
    .await;
    for n in 0..10 {
        let to = format!("learner-{n}@example.org");
        let sent = one.read_mail_folder(&to).len() + two.read_mail_folder(&to).len();
        assert_eq!(sent, 1, "one email to {to}");
    }

    // A course with a new photo, published through the second server: searchable through the
    // first, its media served by the first, its variants made once between the two workers.
    let mut package = second.state.courses.export("hand-hygiene").await.unwrap();
    package.slug = "wound-dressing".into();
    package.title = "Sterile dressing technique".into();
    let package =
        with_media(package, "dressing.jpg", GPS_PHOTO, "![A sterile dressing pack](../media/dressing.jpg)");
    second.state.courses.import_package(&package, None).await.unwrap();
    let visitor = &first.browser();
    eventually("found through the other server", || async move {
        visitor.get_text("/search?q=sterile+dressing+technique").await.contains("/courses/wound-dressing")
    })
    .await;
    eventually("variants made", || async move { count(one, "media_job WHERE done_at IS NULL").await == 0 })
        .await;
    // Publishing makes the variants itself (0 claims) or leaves them to a worker (1 claim).
    assert_eq!(count(&first, "media_job WHERE attempts > 1").await, 0, "no job claimed twice");
    let twice = "(SELECT object_id FROM media_variant GROUP BY object_id, width, content_type \
                 HAVING COUNT(*) > 1) AS repeated";
    assert_eq!(count(&first, twice).await, 0, "no variant recorded twice");
    let lesson = package.modules[0].lessons[0].slug.clone();
    let page = visitor.get_text(&format!("/courses/wound-dressing/lessons/{lesson}")).await;
    let addresses: Vec<&str> =
        page.split(['"', ' ', ',']).filter(|part| part.starts_with("/media/")).collect();
    assert!(addresses.len() > 2, "the photo and its variants: {page}");
    for address in addresses {
        assert_eq!(visitor.get(address).await.status(), StatusCode::OK, "{address} from the first server");
    }
}

#[tokio::test]
async fn an_unreachable_media_store_answers_503_and_records_nothing() {
    let app = TestApp::spawn().await;
    // A second server on the same database whose S3 store does not answer (nothing listens). It
    // leaves the emails to the first server, whose mail folder the test reads (both share the
    // outbox, and whichever server claims a message writes it to its own folder).
    let cut_off = TestApp::spawn_with(|config| {
        config.database_url = app.database_url.clone();
        config.mail.poll_milliseconds = 3_600_000;
        config.media.store = lantern::config::MediaStore::S3;
        config.media.s3 = lantern::config::S3Config {
            endpoint: "http://127.0.0.1:9".into(),
            bucket: "lantern".into(),
            region: "garage".into(),
            ..Default::default()
        };
    })
    .await;
    let platform = app.platform_admin("root@example.org").await;
    let author = app.sign_up("Abena Author", "abena@example.org").await;
    app.join(&platform, &author, "abena@example.org", "eanma", "author").await;
    let package = app.state.courses.export("hand-hygiene").await.unwrap();
    let package =
        with_media(package, "dressing.jpg", GPS_PHOTO, "![A sterile dressing pack](../media/dressing.jpg)");
    let zipped = zip_package(&lantern::courses::package::write(&package).unwrap());
    let tables = ["course_version", "media_object", "media_job", "lesson"];
    let mut before = Vec::new();
    for table in tables {
        before.push(count(&app, table).await);
    }

    let response = author
        .against(&cut_off)
        .post_multipart("/orgs/eanma/courses", &[], ("package", "hand-hygiene.zip", zipped.clone()))
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "a clean 503, not a 500");
    assert!(response.headers().contains_key("retry-after"));
    for (table, before) in tables.iter().zip(&before) {
        assert_eq!(count(&app, table).await, *before, "nothing recorded in {table}");
    }
    let db = app.state.db.read();
    let sql = "SELECT sha256 FROM media_object ORDER BY id LIMIT 1";
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    let sha256: String = row.try_get_by_index(0).unwrap();
    let response = app.browser().against(&cut_off).get(&format!("/media/{sha256}")).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "media it cannot reach: 503");

    // The same upload through the server whose store answers goes through.
    let response =
        author.post_multipart("/orgs/eanma/courses", &[], ("package", "hand-hygiene.zip", zipped)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "course_version").await, before[0] + 1);
}

#[tokio::test]
async fn a_long_backup_holding_its_snapshot_does_not_stop_sqlite_serving_reads_and_writes() {
    let app = TestApp::spawn().await;
    if app.state.db.backend() != DbBackend::Sqlite {
        return; // PostgreSQL's pg_dump takes no lock writers wait for; the backup test covers it.
    }
    // A backup reads one snapshot from start to end: hold one open on a connection of its own,
    // as a long `VACUUM INTO` or `sqlite3 .backup` would.
    let backup = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let snapshot = sea_orm::TransactionTrait::begin(&backup).await.unwrap();
    let held = |sql: &str| Statement::from_string(DbBackend::Sqlite, sql.to_owned());
    snapshot.query_one_raw(held("SELECT COUNT(*) FROM account")).await.unwrap();

    for n in 0..5 {
        let learner = app.sign_up("Writer", &format!("writer-{n}@example.org")).await;
        let response = learner.post_form("/courses/hand-hygiene/enrol", &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "writes go on");
        assert!(learner.get_text("/courses/hand-hygiene").await.contains("why-hands-matter"), "reads too");
    }
    let seen = snapshot.query_one_raw(held("SELECT COUNT(*) AS n FROM account")).await.unwrap().unwrap();
    assert_eq!(seen.try_get::<i64>("", "n").unwrap(), 0, "the backup's snapshot stays as it began");
    snapshot.commit().await.unwrap();
    assert_eq!(count(&app, "account").await, 5);
}

/// Runs a PostgreSQL client tool, failing the test with its message if it fails.
fn pg_tool(program: &str, args: &[&str]) {
    let output = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_accounts_credits_and_signing_keys() {
    let app = TestApp::spawn().await;
    accredit(&app, "hand-hygiene", "2").await;
    let amina = app.sign_up("Amina Otieno", "amina@example.org").await;
    complete(&app, &amina, "hand-hygiene").await;
    let issued = certificate::Entity::find().one(app.state.db.read()).await.unwrap().unwrap();

    // The backup, the way deploy/README.md says: `lantern backup` on SQLite, pg_dump on
    // PostgreSQL; learners keep signing up while it runs.
    let backup_folder = tempfile::tempdir().unwrap();
    let restored_url = test_database(&backup_folder).await;
    let backing_up = async {
        if app.state.db.backend() == DbBackend::Sqlite {
            let copy = backup_folder.path().join("backup.db");
            app.state.db.backup_to(&copy).await.unwrap();
            assert!(app.state.db.backup_to(&copy).await.is_err(), "an existing file is never overwritten");
            std::fs::rename(&copy, backup_folder.path().join("lantern.db")).unwrap();
        } else {
            let dump = backup_folder.path().join("lantern.dump");
            let dump = dump.to_str().unwrap();
            pg_tool("pg_dump", &["--format=custom", "--file", dump, &app.database_url]);
            pg_tool("pg_restore", &["--no-owner", "--exit-on-error", "--dbname", &restored_url, dump]);
        }
    };
    let signing_up = async {
        for n in 0..5 {
            app.sign_up("During Backup", &format!("during-{n}@example.org")).await;
        }
    };
    tokio::join!(backing_up, signing_up);

    // Restored: a new server on the copy with the same secrets key file (kept apart from it).
    let secrets = app.state.config.secrets_key_file();
    let restored = TestApp::spawn_with(|config| {
        config.database_url = restored_url.clone();
        config.security.secrets_key_file = secrets.clone();
    })
    .await;
    let again = restored.browser();
    let response =
        again.post_form("/sign-in", &[("email", "amina@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "her account and password came back");
    assert!(again.get_text("/me/certificates").await.contains(&issued.public_id), "and her certificate");
    let visitor = restored.browser();
    let page = visitor.get_text(&format!("/verify/{}", issued.public_id)).await;
    assert!(page.contains("Valid: genuine"), "what was signed before still verifies");
    assert_eq!(count(&restored, "course").await, count(&app, "course").await);

    // The sealed signing key opens under the kept secrets file: the restored server signs anew.
    let juma = restored.sign_up("Juma Kiprop", "juma@example.org").await;
    complete(&restored, &juma, "hand-hygiene").await;
    let certificates = certificate::Entity::find().all(restored.state.db.read()).await.unwrap();
    assert_eq!(certificates.len(), 2);
    for cert in certificates {
        let page = visitor.get_text(&format!("/verify/{}", cert.public_id)).await;
        assert!(page.contains("Valid: genuine"), "{}", cert.public_id);
    }
}

/// `lantern demo`: every part of the synthetic population is real. Its learners sign in with the
/// demo password; those who completed a course hold credits on a ledger whose chain verifies and
/// a signed certificate each; its courses are found by search. The same seed twice is refused;
/// another seed adds a population beside the first.
#[tokio::test]
async fn the_demo_population_signs_in_earns_credits_on_an_intact_ledger_and_is_searchable() {
    use lantern::demo::{DEMO_PASSWORD, Population, generate, learner_email};
    let app = TestApp::spawn().await;
    let population = Population { learners: 60, courses: 3, seed: 7 };
    let made = generate(&app.state, &population, &|_| {}).await.unwrap();
    assert_eq!((made.learners, made.courses), (60, 3));
    // Learners 4, 9, … 59 complete a course; 1, 7, … 55 assess two competencies; 2 and 32
    // mentor; 3, 23 and 43 ask for a mentor.
    assert_eq!(made.completions, 12);
    assert_eq!((made.assessments, made.mentors, made.requests), (20, 2, 3));
    assert!(made.enrolments >= 48 && made.lessons_read > 0, "{made:?}");
    assert_eq!(count(&app, "account WHERE email LIKE 'learner-7-%'").await, 60);
    assert_eq!(count(&app, "membership WHERE role = 'member'").await, 60);
    assert_eq!(count(&app, "enrolment WHERE completed_at IS NOT NULL").await, 12);
    assert_eq!(count(&app, "certificate").await, 12, "a certificate per completion");
    assert!(count(&app, "credit_entry").await >= 12);
    let chains = app.state.credits.verify_ledger().await.unwrap().expect("the ledger's chain verifies");
    assert_eq!(chains.len(), 12);

    let learner = app.browser();
    let email = learner_email(7, 1);
    let signed_in = learner.post_form("/sign-in", &[("email", &email), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert!(learner.get_text("/learning").await.contains("/courses/"), "their enrolments show");
    let visitor = &app.browser();
    eventually("synthetic courses are searchable", || async move {
        visitor.get_text("/search?q=practice+course").await.contains("/courses/demo-7-0001")
    })
    .await;

    let again = generate(&app.state, &population, &|_| {}).await.unwrap_err();
    assert!(again.to_string().contains("seed 7 is already here"), "{again}");
    let beside = Population { learners: 5, courses: 0, seed: 8 };
    assert_eq!(generate(&app.state, &beside, &|_| {}).await.unwrap().learners, 5);
}
