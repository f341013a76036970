//! Bulk verification through HTTP, as a regulator's licensing system does it: an officer's API
//! token posts N certificate ids (default 100,000, the most one request may carry) as one JSON
//! array to `POST /api/v1/regulators/dnmc/verifications` on a real server (SQLite, port picked by
//! the system, in this process); the answers stream back and are counted as they arrive.
//!
//! - time for N rows, median and max of 3 requests, and rows per second;
//! - the server's peak memory for one request of N rows and one of N/10 (it should be flat);
//! - the same N signatures with raw `ed25519-dalek`: `verify_batch` in batches of 128 (as the
//!   product does) and `verify_strict` one at a time, median of 3.
//!
//! Goal: bulk verification through HTTP ≥ 0.5 × the raw batch-verify rate.
//!
//! The certificates are real VC-JWTs: an accreditation and one completion go through the services
//! (so the association `eanma` gets its signing key as in production, sealed under the data
//! directory's key file), then N more are signed with that key by `certificate::issue` and
//! inserted with multi-row INSERTs in one transaction.
//!
//! Peak memory is the rise of this process's `VmHWM` after resetting it (`/proc/self/clear_refs`,
//! Linux), less the request body the client builds; where the reset is refused, `VmRSS` is sampled
//! every 10 ms instead. The client is plain HTTP/1.1 over `std::net` (reqwest is not a dependency
//! of this crate): it sends the body from one thread and reads the chunked answer from another,
//! keeping only a few kilobytes of it.
//!
//! ```sh
//! cargo bench -p lantern --bench bulk_verification
//! CERTIFICATES=10000 cargo bench -p lantern --bench bulk_verification   # quicker
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Months, Utc};
use ed25519_dalek::{Signature, VerifyingKey};
use lantern::courses::events::{LearningEvent, LearningListener};
use lantern::courses::package::CompetencyLevel;
use lantern::credits::bulk::MAX_ROWS;
use lantern::credits::certificate::{
    self, AchievementInput, CertificateInput, CompetencyInput, CpdCredits, IssuerInput, IssuerKey,
    RecipientInput, StatusInput,
};
use lantern::credits::service::AccreditationInput;
use lantern::credits::status_list::MIN_ENTRIES;
use lantern::platform::clock::{Clock, SystemClock};
use lantern::platform::db::statement;
use lantern::platform::secrets::Sealer;
use lantern::{AppState, Config};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, TransactionTrait, Value};
use secrecy::SecretBox;
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Signatures per `verify_batch` call, as `certificate::verify_many` does.
const BATCH: usize = 128;
/// Certificate rows per INSERT statement (8 bound values each).
const INSERT_ROWS: usize = 500;
const FIRST_NAMES: [&str; 10] =
    ["Grace", "Amina", "Juma", "Nguyễn Thị", "Ngozi", "Wanjiru", "Fatou", "Adébáyọ̀", "Achieng", "Mercy"];
const LAST_NAMES: [&str; 10] =
    ["Otieno", "Kiprop", "Minh Khai", "Okonkwo", "Diallo", "Mwangi", "Njeri", "Ouma", "Mensah", "Banda"];

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("CERTIFICATES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    assert!((10..=MAX_ROWS).contains(&n), "CERTIFICATES must be from 10 to {MAX_ROWS} (one request's most)");
    let temp = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: temp.path().to_path_buf(),
        listen: "127.0.0.1:0".into(),
        content_dir: std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"),
        ..Config::default()
    };
    // Builds the state, imports the demo content (empty database) and binds the port.
    let server = lantern::Server::build_with_clock(config, Arc::new(SystemClock)).await.unwrap();
    let port = server.port();
    let state = server.state().clone();
    tokio::spawn(server.run());

    let seeded = seed(&state, n).await;
    let ids = Arc::new(seeded.ids);
    let token = Arc::new(seeded.token);
    let post = |rows: usize| {
        let (ids, token) = (ids.clone(), token.clone());
        tokio::task::spawn_blocking(move || post_verifications(port, &token, &ids[..rows]))
    };

    // The same signatures, raw: signing input `header.payload`, signature the third part.
    let public = seeded.public_key;
    let jwts = seeded.jwts;
    let messages: Vec<&[u8]> = jwts.iter().map(|j| j.rsplit_once('.').unwrap().0.as_bytes()).collect();
    let signatures: Vec<Signature> = jwts
        .iter()
        .map(|j| {
            Signature::from_slice(&URL_SAFE_NO_PAD.decode(j.rsplit_once('.').unwrap().1).unwrap()).unwrap()
        })
        .collect();
    let keys = vec![public; BATCH];

    // A warm-up request (not reported) and one of N/10 rows; then three rounds of N rows through
    // HTTP, raw verify_batch and raw verify_strict, interleaved so that anything else running on
    // the machine slows all three alike.
    let load_before = load_average();
    post(n / 10).await.unwrap();
    let small = post(n / 10).await.unwrap();
    let (mut runs, mut batch, mut strict) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..3 {
        runs.push(post(n).await.unwrap());
        let started = Instant::now();
        for (m, s) in messages.chunks(BATCH).zip(signatures.chunks(BATCH)) {
            black_box(ed25519_dalek::verify_batch(m, s, &keys[..m.len()])).unwrap();
        }
        batch.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        for (m, s) in messages.iter().zip(&signatures) {
            black_box(public.verify_strict(m, s)).unwrap();
        }
        strict.push(started.elapsed().as_secs_f64());
    }
    let load = (load_before, load_average());
    let phases = phases(&state, &ids).await;

    let sizes = (seeded.mean_jwt, seeded.service_jwt);
    report(n, &seeded.seeding, sizes, load, &small, &runs, &mut batch, &mut strict);
    report_phases(n, &phases, &runs);
}

// ----- Seeding ---------------------------------------------------------------------------------

struct Seeded {
    /// Public ids of the N certificates, in insertion order.
    ids: Vec<String>,
    /// Their VC-JWTs, kept (in use, so the allocator cannot hand their memory to the server).
    jwts: Vec<String>,
    public_key: VerifyingKey,
    token: String,
    mean_jwt: usize,
    /// Length of the certificate the service itself issued.
    service_jwt: usize,
    seeding: Vec<(&'static str, Duration)>,
}

async fn scalar(db: &DatabaseConnection, sql: &str, values: Vec<Value>) -> QueryResult {
    db.query_one_raw(statement(db.get_database_backend(), sql, values))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no row for {sql}"))
}

async fn organisation(db: &DatabaseConnection, slug: &str) -> (i32, String) {
    let row = scalar(db, "SELECT id, name FROM organisation WHERE slug = $1", vec![slug.into()]).await;
    (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap())
}

async fn new_account(db: &DatabaseConnection, email: &str, name: &str, now: DateTime<Utc>) -> i32 {
    let backend = db.get_database_backend();
    db.execute_raw(statement(
        backend,
        "INSERT INTO account (email, name, locale, created_at, updated_at) VALUES ($1, $2, 'en', $3, $4)",
        vec![email.into(), name.into(), now.into(), now.into()],
    ))
    .await
    .unwrap();
    scalar(db, "SELECT id FROM account WHERE email = $1", vec![email.into()])
        .await
        .try_get_by_index(0)
        .unwrap()
}

/// As the service names a learner in a certificate (`issuing::pseudonym`).
fn pseudonym(account_id: i32, base_url: &str) -> String {
    let digest = Sha256::digest(format!("lantern learner {account_id} at {base_url}").as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("urn:uuid:{}-{}-4{}-8{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

async fn seed(state: &AppState, n: usize) -> Seeded {
    let db = state.db.write();
    let backend = db.get_database_backend();
    let base = state.config.public_url();
    let mut seeding = Vec::new();
    let mut rng = StdRng::seed_from_u64(2026);

    // An officer of the regulator with a `credits:read` token; a reviewer of the association.
    let started = Instant::now();
    let now = SystemClock.now();
    let (regulator, _) = organisation(db, "dnmc").await;
    let (association, association_name) = organisation(db, "eanma").await;
    let officer = new_account(db, "officer@bench.invalid", "Olive Officer", now).await;
    state.accounts.insert_membership(db, regulator, officer, "officer").await.unwrap();
    let (_, token) = state
        .accounts
        .create_api_token(officer, "bulk verification bench", &["credits:read".into()], 30)
        .await
        .unwrap();
    let reviewer = new_account(db, "reviewer@bench.invalid", "Rita Reviewer", now).await;
    state.accounts.insert_membership(db, association, reviewer, "reviewer").await.unwrap();

    // The association accredits a course and one learner completes it: the service makes the
    // association's signing key and signs the first certificate.
    let course = scalar(
        db,
        "SELECT v.id, v.number, v.title FROM course c JOIN course_version v ON v.id = c.published_version_id \
         WHERE c.slug = 'hand-hygiene'",
        vec![],
    )
    .await;
    let (version_id, version, title): (i32, i32, String) = (
        course.try_get_by_index(0).unwrap(),
        course.try_get_by_index(1).unwrap(),
        course.try_get_by_index(2).unwrap(),
    );
    let accreditation_id = state
        .credits
        .accredit(
            association,
            reviewer,
            AccreditationInput {
                course_slug: "hand-hygiene".into(),
                version,
                credits: Some(250),
                category: "clinical".into(),
                valid_from: Some(now.date_naive()),
                valid_until: None,
                certificate_months: Some(36),
            },
        )
        .await
        .unwrap();
    let first = new_account(db, "first@bench.invalid", "Amina Otieno", now).await;
    let txn = db.begin().await.unwrap();
    let completed = LearningEvent::CourseCompleted {
        account_id: first,
        course_version_id: version_id,
        organisation_id: association,
        course_title: title.clone(),
        competencies: vec![
            CompetencyLevel { code: "IPC.1".into(), level: 2 },
            CompetencyLevel { code: "LEA.3".into(), level: 1 },
        ],
        at: SystemClock.now(),
    };
    state.credits.record(&txn, &completed).await.unwrap();
    txn.commit().await.unwrap();
    let issued = scalar(
        db,
        "SELECT status_index, jwt FROM certificate WHERE organisation_id = $1",
        vec![association.into()],
    )
    .await;
    let (taken_index, service_jwt): (i32, String) =
        (issued.try_get_by_index(0).unwrap(), issued.try_get_by_index(1).unwrap());
    // The key as the service stored it: sealed under the key file in the data directory.
    let stored = scalar(
        db,
        "SELECT kid, secret_key FROM issuer_key WHERE organisation_id = $1 AND retired_at IS NULL \
         ORDER BY id DESC",
        vec![association.into()],
    )
    .await;
    let (kid, sealed): (String, String) =
        (stored.try_get_by_index(0).unwrap(), stored.try_get_by_index(1).unwrap());
    let sealer = Sealer::open_or_create(&state.config.secrets_key_file()).unwrap();
    let secret: [u8; 32] = sealer.open(&kid, &sealed).expect("the signing key opens").try_into().unwrap();
    let key = IssuerKey::from_secret(
        &SecretBox::new(Box::new(secret)),
        &format!("{base}/issuers/eanma/jwks.json"),
        &format!("{base}/issuers/eanma"),
    )
    .unwrap();
    // The competencies as the service wrote them, so the seeded certificates are the same size.
    let payload = service_jwt.split('.').nth(1).unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let competencies: Vec<CompetencyInput> = claims["vc"]["credentialSubject"]["achievement"]["alignment"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|a| CompetencyInput {
                    code: a["targetCode"].as_str().unwrap_or_default().into(),
                    title: a["targetName"].as_str().unwrap_or_default().into(),
                    framework_url: a["targetUrl"].as_str().unwrap_or_default().into(),
                })
                .collect()
        })
        .unwrap_or_default();
    seeding.push(("officer, token, accreditation, first certificate (services)", started.elapsed()));

    // N learners.
    let started = Instant::now();
    let mut names = String::from("WITH names(i, name) AS (VALUES ");
    for i in 0..100 {
        let separator = if i == 0 { "" } else { ", " };
        names.push_str(&format!("{separator}({i}, '{} {}')", FIRST_NAMES[i % 10], LAST_NAMES[i / 10]));
    }
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1), {}) \
         INSERT INTO account (email, name, locale, profession, created_at, updated_at) \
         SELECT 'c' || n.i || '@bench.invalid', names.name, 'en', 'nurse', $2, $3 \
         FROM n JOIN names ON names.i = n.i % 100",
        &names["WITH ".len()..]
    );
    db.execute_raw(statement(backend, &sql, vec![(n as i64).into(), now.into(), now.into()])).await.unwrap();
    let learners: Vec<(i32, String)> = db
        .query_all_raw(statement(
            backend,
            "SELECT id, name FROM account WHERE email LIKE 'c%@bench.invalid' ORDER BY id",
            vec![],
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap()))
        .collect();
    assert_eq!(learners.len(), n);
    seeding.push(("learner accounts", started.elapsed()));

    // N certificates, signed with the association's key on every core.
    let started = Instant::now();
    let mut places: Vec<i32> = (0..MIN_ENTRIES as i32).filter(|&i| i != taken_index).collect();
    places.shuffle(&mut rng);
    let ids: Vec<String> = (0..n).map(|_| URL_SAFE_NO_PAD.encode(rng.random::<[u8; 12]>())).collect();
    let valid_from = SystemClock.now();
    let valid_until = valid_from.checked_add_months(Months::new(36));
    let input = |i: usize| {
        let (account, name) = &learners[i];
        CertificateInput {
            id: format!("{base}/certificates/{}", ids[i]),
            issuer: IssuerInput {
                id: format!("{base}/issuers/eanma"),
                name: association_name.clone(),
                url: format!("{base}/orgs/eanma"),
            },
            recipient: RecipientInput {
                id: pseudonym(*account, &base),
                name: name.clone(),
                licence_number: None,
                licence_consent: false,
                hashed_email: None,
            },
            achievement: AchievementInput {
                id: format!("{base}/accreditations/{accreditation_id}"),
                name: title.clone(),
                short_name: None,
                description: format!("{title}, accredited by {association_name} for CPD."),
                criteria: format!("Completed every lesson and passed every quiz of version {version}."),
                credits: CpdCredits::from_hundredths(250).unwrap(),
                category: "clinical".into(),
                course_version: version.to_string(),
            },
            competencies: competencies.clone(),
            valid_from,
            valid_until,
            awarded: Some(valid_from),
            status: StatusInput {
                list_url: format!("{base}/status/eanma/revocation"),
                index: places[i] as u32,
            },
        }
    };
    let threads = std::thread::available_parallelism().map(usize::from).unwrap_or(2);
    let jwts: Vec<String> = std::thread::scope(|scope| {
        let (key, input) = (&key, &input);
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let range = (n * t / threads)..(n * (t + 1) / threads);
                scope.spawn(move || {
                    range.map(|i| certificate::issue(key, &input(i)).unwrap()).collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    seeding.push(("sign VC-JWTs (certificate::issue)", started.elapsed()));

    // Inserted in one transaction, INSERT_ROWS rows a statement.
    let started = Instant::now();
    let txn = db.begin().await.unwrap();
    for start in (0..n).step_by(INSERT_ROWS) {
        let end = (start + INSERT_ROWS).min(n);
        let mut sql = String::from(
            "INSERT INTO certificate (public_id, account_id, accreditation_id, organisation_id, \
             credit_entry_id, status_index, jwt, issued_at, expires_at, revoked_at, revocation_reason) VALUES ",
        );
        let mut values: Vec<Value> = Vec::with_capacity((end - start) * 8);
        for i in start..end {
            let p = values.len();
            let separator = if i == start { "" } else { ", " };
            sql.push_str(&format!(
                "{separator}(${}, ${}, ${}, ${}, NULL, ${}, ${}, ${}, ${}, NULL, '')",
                p + 1,
                p + 2,
                p + 3,
                p + 4,
                p + 5,
                p + 6,
                p + 7,
                p + 8
            ));
            values.extend([
                ids[i].as_str().into(),
                learners[i].0.into(),
                accreditation_id.into(),
                association.into(),
                places[i].into(),
                jwts[i].as_str().into(),
                valid_from.into(),
                valid_until.into(),
            ]);
        }
        txn.execute_raw(statement(backend, &sql, values)).await.unwrap();
    }
    txn.commit().await.unwrap();
    db.execute_unprepared("ANALYZE").await.unwrap();
    seeding.push(("insert certificate rows (one transaction) + ANALYZE", started.elapsed()));

    // One of them, checked the way a visitor's check is: valid.
    assert!(state.credits.verify_certificate(&jwts[n / 2]).await.unwrap().is_valid());
    let mean_jwt = jwts.iter().map(String::len).sum::<usize>() / n;
    Seeded {
        ids,
        jwts,
        public_key: key.public_key(),
        token,
        mean_jwt,
        service_jwt: service_jwt.len(),
        seeding,
    }
}

// ----- The client --------------------------------------------------------------------------------

/// One request's outcome.
struct Run {
    rows: usize,
    seconds: f64,
    /// Until the response head arrived (after the server answered the first batch).
    first_byte: f64,
    response_bytes: usize,
    request_bytes: usize,
    /// This process's resident memory when the request started, and its peak during it (KiB).
    rss_before: u64,
    peak: u64,
    /// How the peak was measured: `VmHWM` after a reset, or `VmRSS` sampled every 10 ms.
    hwm: bool,
}

impl Run {
    fn rate(&self) -> f64 {
        self.rows as f64 / self.seconds
    }

    /// The rise in KiB, less the request body the client built during the measurement.
    fn server_rise(&self) -> i64 {
        self.peak as i64 - self.rss_before as i64 - (self.request_bytes / 1024) as i64
    }
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap_or_else(|| panic!("{field} missing"));
    line[field.len()..].trim().trim_end_matches("kB").trim().parse().unwrap()
}

/// Posts `ids` as one JSON array with the token; reads the streamed answer, checking that every
/// row came back valid. The body is built after the memory mark, so its size is known exactly.
fn post_verifications(port: u16, token: &str, ids: &[String]) -> Run {
    let rss_before = status_kib("VmRSS:");
    let hwm = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let sampling = Arc::new(AtomicBool::new(!hwm));
    let sampled = Arc::new(AtomicU64::new(rss_before));
    let sampler = (!hwm).then(|| {
        let (sampling, sampled) = (sampling.clone(), sampled.clone());
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                sampled.fetch_max(status_kib("VmRSS:"), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    });

    let length = 2 + ids.iter().map(|id| id.len() + r#"{"certificate_id":""},"#.len()).sum::<usize>() - 1;
    let mut body = Vec::with_capacity(length);
    body.push(b'[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(br#"{"certificate_id":""#);
        body.extend_from_slice(id.as_bytes());
        body.extend_from_slice(br#""}"#);
    }
    body.push(b']');
    assert_eq!((body.len(), body.capacity()), (length, length));
    let head = format!(
        "POST /api/v1/regulators/dnmc/verifications HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\nAccept: application/json\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n"
    );

    let started = Instant::now();
    let mut reading = TcpStream::connect(("127.0.0.1", port)).unwrap();
    reading.set_nodelay(true).unwrap();
    let mut writing = reading.try_clone().unwrap();
    let (answer, first_byte) = std::thread::scope(|scope| {
        // Sending and reading at once: the server answers the first rows before it reads the last.
        let sender = scope.spawn(|| {
            writing.write_all(head.as_bytes()).unwrap();
            writing.write_all(&body).unwrap();
            writing.flush().unwrap();
        });
        let read = read_answer(&mut reading, started);
        sender.join().unwrap();
        read
    });
    let seconds = started.elapsed().as_secs_f64();
    let peak = if hwm {
        status_kib("VmHWM:")
    } else {
        sampling.store(false, Ordering::Relaxed);
        if let Some(sampler) = sampler {
            sampler.join().unwrap();
        }
        sampled.load(Ordering::Relaxed)
    };
    assert_eq!(answer.results, ids.len(), "one answer per row");
    assert_eq!(answer.valid, ids.len(), "every certificate is valid");
    let tail = String::from_utf8_lossy(&answer.tail);
    assert!(tail.ends_with(&format!("],\"rows\":{},\"error\":null}}", ids.len())), "ends with: {tail}");
    Run {
        rows: ids.len(),
        seconds,
        first_byte,
        response_bytes: answer.bytes,
        request_bytes: length,
        rss_before,
        peak,
        hwm,
    }
}

/// Counts answers in the response body as it streams by, keeping only a short carry-over and the
/// last bytes (for the closing `"rows":N`).
#[derive(Default)]
struct Answers {
    carry: Vec<u8>,
    tail: Vec<u8>,
    results: usize,
    valid: usize,
    bytes: usize,
}

impl Answers {
    const RESULT: &[u8] = br#""result":""#;
    const VALID: &[u8] = br#"valid""#;
    const TAIL: usize = 128;

    fn feed(&mut self, data: &[u8]) {
        self.bytes += data.len();
        let mut joined = std::mem::take(&mut self.carry);
        joined.extend_from_slice(data);
        // Only where a whole `"result":"valid"` fits after the match; the rest waits for more.
        let limit = joined.len().saturating_sub(Self::RESULT.len() + Self::VALID.len() - 1);
        let mut at = 0;
        while let Some(offset) = joined[at..limit].iter().position(|&b| b == b'"') {
            let here = at + offset;
            if joined[here..].starts_with(Self::RESULT) {
                self.results += 1;
                if joined[here + Self::RESULT.len()..].starts_with(Self::VALID) {
                    self.valid += 1;
                }
                at = here + Self::RESULT.len();
            } else {
                at = here + 1;
            }
            if at >= limit {
                break;
            }
        }
        let keep_from = at.max(limit).min(joined.len());
        self.tail.extend_from_slice(&data[data.len().saturating_sub(Self::TAIL)..]);
        let excess = self.tail.len().saturating_sub(Self::TAIL);
        self.tail.drain(..excess);
        joined.drain(..keep_from);
        self.carry = joined;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads the response: status line and headers, then the chunked (or sized) body.
fn read_answer(stream: &mut TcpStream, started: Instant) -> (Answers, f64) {
    let mut buffer = vec![0_u8; 64 * 1024];
    let mut pending: Vec<u8> = Vec::with_capacity(128 * 1024);
    let mut more = |pending: &mut Vec<u8>| -> bool {
        let read = stream.read(&mut buffer).unwrap();
        pending.extend_from_slice(&buffer[..read]);
        read > 0
    };
    let head_end = loop {
        if let Some(end) = find(&pending, b"\r\n\r\n") {
            break end + 4;
        }
        assert!(more(&mut pending), "the connection closed before the response head");
    };
    let first_byte = started.elapsed().as_secs_f64();
    let head = String::from_utf8_lossy(&pending[..head_end]).to_lowercase();
    pending.drain(..head_end);
    let mut answers = Answers::default();
    if !head.starts_with("http/1.1 200") {
        while more(&mut pending) {}
        panic!("{head}{}", String::from_utf8_lossy(&pending));
    }
    if !head.contains("transfer-encoding: chunked") {
        answers.feed(&pending);
        pending.clear();
        while more(&mut pending) {
            answers.feed(&pending);
            pending.clear();
        }
        return (answers, first_byte);
    }
    // Chunked: `size\r\n data \r\n`, …, `0\r\n`, trailers, `\r\n`.
    let mut at = 0;
    loop {
        let Some(line) = find(&pending[at..], b"\r\n") else {
            pending.drain(..at);
            at = 0;
            assert!(more(&mut pending), "the connection closed inside the chunked body");
            continue;
        };
        let size_text = String::from_utf8_lossy(&pending[at..at + line]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        at += line + 2;
        if size == 0 {
            break;
        }
        let mut left = size;
        loop {
            let take = left.min(pending.len() - at);
            answers.feed(&pending[at..at + take]);
            at += take;
            left -= take;
            if left == 0 {
                break;
            }
            pending.clear();
            at = 0;
            assert!(more(&mut pending), "the connection closed inside a chunk");
        }
        while pending.len() < at + 2 {
            assert!(more(&mut pending), "the connection closed after a chunk");
        }
        assert_eq!(&pending[at..at + 2], b"\r\n", "a chunk ends with CRLF");
        at += 2;
    }
    (answers, first_byte)
}

// ----- Where the time goes ----------------------------------------------------------------------

/// The server's work for the same N ids, in this task, without HTTP: each phase over all rows,
/// 1,000 at a time as the server does, median of 3 passes (seconds).
async fn phases(state: &AppState, ids: &[String]) -> Vec<(&'static str, f64)> {
    use lantern::credits::bulk::{Item, JsonArrayReader, Query};
    use lantern::credits::entity::certificate as row;
    use lantern::credits::verification::{BATCH as ROWS, answer_batch};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

    let keys = state.credits.key_set().await.unwrap();
    let db = state.db.read();
    let (regulator, _) = organisation(db, "dnmc").await;
    let body = format!(
        "[{}]",
        ids.iter().map(|id| format!(r#"{{"certificate_id":"{id}"}}"#)).collect::<Vec<_>>().join(",")
    );
    let active = |_: &certificate::StatusRef, _| certificate::StatusAnswer::Active;
    let mut passes: Vec<[f64; 6]> = Vec::new();
    for _ in 0..3 {
        let mut t = [0.0; 6];
        let started = Instant::now();
        let (mut reader, mut items) = (JsonArrayReader::new(), Vec::new());
        for chunk in body.as_bytes().chunks(64 * 1024) {
            reader.push(chunk, &mut items).unwrap();
        }
        reader.finish(&mut items).unwrap();
        t[0] = started.elapsed().as_secs_f64();
        assert_eq!(items.len(), ids.len());
        for chunk in ids.chunks(ROWS) {
            let wanted: Vec<&str> = chunk.iter().map(String::as_str).collect();
            let started = Instant::now();
            let rows = row::Entity::find()
                .select_only()
                .columns([
                    row::Column::PublicId,
                    row::Column::OrganisationId,
                    row::Column::StatusIndex,
                    row::Column::Jwt,
                    row::Column::RevokedAt,
                ])
                .filter(row::Column::PublicId.is_in(wanted.iter().copied()))
                .into_tuple::<(String, i32, i32, String, Option<DateTime<Utc>>)>()
                .all(db)
                .await
                .unwrap();
            t[1] += started.elapsed().as_secs_f64();
            let jwts: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
            let started = Instant::now();
            let verdicts = certificate::verify_many(&jwts, &keys, &active, SystemClock.now());
            t[2] += started.elapsed().as_secs_f64();
            assert!(verdicts.iter().all(certificate::Verdict::is_valid));
            let started = Instant::now();
            let answers = state.credits.verify_public_ids(&keys, &wanted).await.unwrap();
            t[3] += started.elapsed().as_secs_f64();
            assert_eq!(answers.len(), chunk.len());
            let batch: Vec<Item> = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| Item { row: i + 1, query: Ok(Query::Certificate(id.clone())) })
                .collect();
            let started = Instant::now();
            let answers =
                answer_batch(&state.credits, &state.compliance, &keys, regulator, &batch).await.unwrap();
            t[4] += started.elapsed().as_secs_f64();
            let started = Instant::now();
            let mut out = Vec::with_capacity(answers.len() * 160);
            for answer in &answers {
                out.push(b',');
                serde_json::to_writer(&mut out, answer).unwrap();
            }
            t[5] += started.elapsed().as_secs_f64();
            black_box(out);
        }
        passes.push(t);
    }
    let names = [
        "parse the JSON body (JsonArrayReader)",
        "fetch the rows (the query of verify_public_ids)",
        "verify_many over the fetched JWTs",
        "verify_public_ids (fetch + issuers + verify_many + answers)",
        "answer_batch (verify_public_ids + licences + rows)",
        "encode the answers as JSON (serde_json)",
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, name)| (*name, median(&mut passes.iter().map(|p| p[i]).collect::<Vec<_>>())))
        .collect()
}

fn report_phases(n: usize, phases: &[(&str, f64)], runs: &[Run]) {
    let mut seconds: Vec<f64> = runs.iter().map(|r| r.seconds).collect();
    let http = median(&mut seconds);
    let value = |name: &str| phases.iter().find(|(p, _)| p.starts_with(name)).map_or(0.0, |(_, s)| *s);
    let in_process = value("parse") + value("answer_batch") + value("encode");
    println!("\n### Where the time goes: the same {n} rows in process, no HTTP (median of 3 passes)\n");
    println!("| phase | time for {n} rows | µs per row | share of the HTTP request |");
    println!("|---|---|---|---|");
    let line = |name: &str, s: f64| {
        println!("| {name} | {s:.2} s | {:.1} | {:.0} % |", s * 1e6 / n as f64, s / http * 100.0);
    };
    for (name, s) in phases {
        line(name, *s);
    }
    line("**parse + answer_batch + encode**", in_process);
    line("HTTP request (median) − the above: actix, streaming, client", http - in_process);
}

// ----- Report ----------------------------------------------------------------------------------

/// The 1, 5 and 15 minute load averages.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn mib(kib: i64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[allow(clippy::too_many_arguments)]
fn report(
    n: usize,
    seeding: &[(&str, Duration)],
    (mean_jwt, service_jwt): (usize, usize),
    load: (String, String),
    small: &Run,
    runs: &[Run],
    batch: &mut [f64],
    strict: &mut [f64],
) {
    let seed_total: f64 = seeding.iter().map(|(_, d)| d.as_secs_f64()).sum();
    // Each round's HTTP rate over the raw batch rate of the same round, before sorting.
    let rounds: Vec<String> =
        runs.iter().zip(batch.iter()).map(|(r, b)| format!("{:.2}", b / r.seconds)).collect();
    let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(0);
    println!("## Bulk verification benchmark: {n} certificates through HTTP (SQLite), median / max of 3\n");
    println!(
        "Mean VC-JWT {mean_jwt} bytes (the one the service issued: {service_jwt}); request body {:.1} MB, \
         response {:.1} MB; the server answers 1,000 rows at a time. {cores} cores; load average \
         {} before the measured requests, {} after.\n",
        runs[0].request_bytes as f64 / 1e6,
        runs[0].response_bytes as f64 / 1e6,
        load.0,
        load.1
    );
    println!("| seeding step | time |");
    println!("|---|---|");
    for (step, took) in seeding {
        println!("| {step} | {:.2} s |", took.as_secs_f64());
    }
    println!("| **total** | **{seed_total:.2} s** |\n");

    let mut seconds: Vec<f64> = runs.iter().map(|r| r.seconds).collect();
    let (http, http_max) = (median(&mut seconds), seconds[seconds.len() - 1]);
    let mut first: Vec<f64> = runs.iter().map(|r| r.first_byte).collect();
    let first = median(&mut first);
    let (batch_s, batch_max) = (median(batch), batch[batch.len() - 1]);
    let (strict_s, strict_max) = (median(strict), strict[strict.len() - 1]);
    let rate = |s: f64| n as f64 / s;
    let ratio = rate(http) / rate(batch_s);
    let verdict = if ratio >= 0.5 { "met" } else { "NOT met" };
    println!(
        "| verifying {n} certificates | median | max | per second (median) | vs raw verify_batch | goal ≥ 0.5 |"
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| POST /api/v1/regulators/dnmc/verifications (first answer after {:.0} ms) | {http:.2} s | {http_max:.2} s | {:.0} | {ratio:.2} | {verdict} |",
        first * 1e3,
        rate(http),
    );
    println!(
        "| raw ed25519-dalek verify_batch ({BATCH}) | {batch_s:.2} s | {batch_max:.2} s | {:.0} | 1.00 | |",
        rate(batch_s)
    );
    println!(
        "| raw ed25519-dalek verify_strict | {strict_s:.2} s | {strict_max:.2} s | {:.0} | {:.2} | |",
        rate(strict_s),
        strict_s.recip() * batch_s
    );
    println!(
        "| POST, {} rows | {:.2} s | – | {:.0} | {:.2} | |\n",
        small.rows,
        small.seconds,
        small.rate(),
        small.rate() / rate(batch_s)
    );

    let method = if runs[0].hwm { "VmHWM after clear_refs" } else { "VmRSS sampled every 10 ms" };
    println!(
        "In order, after one warm-up request of {} rows. Memory freed by a request stays with the \
         allocator and is reused by the next, so a later run's rise is what it needed beyond the \
         peaks before it.\n",
        small.rows
    );
    println!(
        "| peak memory ({method}) | rows | RSS before | peak | rise | client request body | server (rise − body) |"
    );
    println!("|---|---|---|---|---|---|---|");
    let labels = ["N/10", "N, run 1", "N, run 2", "N, run 3"];
    for (label, run) in labels.iter().zip(std::iter::once(small).chain(runs)) {
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} |",
            run.rows,
            mib(run.rss_before as i64),
            mib(run.peak as i64),
            mib(run.peak as i64 - run.rss_before as i64),
            mib((run.request_bytes / 1024) as i64),
            mib(run.server_rise()),
        );
    }
    let server_n = runs.iter().map(Run::server_rise).max().unwrap_or(0);
    println!(
        "\nBulk verification through HTTP: {:.0} rows/s = {ratio:.2} × raw verify_batch ({:.0}/s; rounds {}), goal ≥ 0.5 {verdict}; \
         {n} rows in {http:.2} s (max {http_max:.2} s); server memory +{} for {} rows, then at most +{} more for {n} rows; seeding {seed_total:.1} s.",
        rate(http),
        rate(batch_s),
        rounds.join(", "),
        mib(small.server_rise()),
        small.rows,
        mib(server_n),
    );
}
