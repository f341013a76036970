//! xAPI: a learner's enrolment, quiz, completion and credits reach a Learning Record Store as
//! statements, through the queue: written with the event, retried while the store is down, each
//! sent once; nothing is written when no store is configured.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use lantern::config::XapiConfig;
use lantern::xapi::entity as statement;
use lantern_tests::{TestApp, accredit, complete};
use sea_orm::{EntityTrait, PaginatorTrait};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A record store for the test: checks the version header and credentials, refuses the first
/// `down` requests with 503, and keeps every statement it accepts (once per id, as stores do).
#[derive(Default)]
struct Store {
    down: AtomicUsize,
    requests: AtomicUsize,
    kept: Mutex<Vec<serde_json::Value>>,
}

async fn statements(
    store: web::Data<Store>,
    request: HttpRequest,
    body: web::Json<serde_json::Value>,
) -> HttpResponse {
    store.requests.fetch_add(1, Ordering::SeqCst);
    let header =
        |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    if header("X-Experience-API-Version") != "1.0.3" {
        return HttpResponse::BadRequest().body("X-Experience-API-Version 1.0.3 required");
    }
    // "lantern:s3cret"
    if header("Authorization") != "Basic bGFudGVybjpzM2NyZXQ=" {
        return HttpResponse::Unauthorized().finish();
    }
    if store.down.load(Ordering::SeqCst) > 0 {
        store.down.fetch_sub(1, Ordering::SeqCst);
        return HttpResponse::ServiceUnavailable().finish();
    }
    let mut kept = store.kept.lock().unwrap();
    let mut ids = Vec::new();
    for statement in body.as_array().cloned().unwrap_or_default() {
        ids.push(statement["id"].clone());
        if !kept.iter().any(|k| k["id"] == statement["id"]) {
            kept.push(statement);
        }
    }
    HttpResponse::Ok().json(ids)
}

async fn start_store(store: Arc<Store>) -> u16 {
    let data = web::Data::from(store);
    let server = HttpServer::new(move || {
        App::new().app_data(data.clone()).route("/xapi/statements", web::post().to(statements))
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    port
}

async fn queued(app: &TestApp) -> Vec<statement::Model> {
    statement::Entity::find().all(app.state.db.read()).await.unwrap()
}

#[tokio::test]
async fn learning_events_reach_the_record_store_once_even_when_it_was_down() {
    let store = Arc::new(Store::default());
    let port = start_store(store.clone()).await;
    let app = TestApp::spawn_with(|config| {
        config.xapi = Some(XapiConfig {
            endpoint: format!("http://127.0.0.1:{port}/xapi"),
            username: "lantern".into(),
            password: Some(String::from("s3cret").into()),
            timeout_seconds: 5,
            // The test drains the queue itself.
            poll_milliseconds: 3_600_000,
        });
    })
    .await;
    accredit(&app, "hand-hygiene", "2.5").await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    complete(&app, &learner, "hand-hygiene").await;

    // Written with the events: launched, passed (one per quiz), completed, earned.
    let rows = queued(&app).await;
    let verbs: Vec<String> = rows
        .iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["verb"]["display"]["en-US"]
                .to_string()
        })
        .collect();
    for verb in ["launched", "passed", "completed", "earned"] {
        assert!(verbs.iter().any(|v| v.contains(verb)), "{verb} in {verbs:?}");
    }
    assert!(rows.iter().all(|r| r.status == "pending"));

    // The store is down: nothing kept, everything still queued with the reason.
    store.down.store(1, Ordering::SeqCst);
    let sender = app.state.xapi_sender().unwrap().unwrap();
    sender.drain().await.unwrap();
    assert!(store.kept.lock().unwrap().is_empty());
    let rows = queued(&app).await;
    assert!(rows.iter().all(|r| r.status == "pending" && r.attempts == 1));
    assert!(rows[0].last_error.as_deref().unwrap_or("").contains("503"), "{:?}", rows[0].last_error);
    // Not due yet: a drain now sends nothing.
    assert_eq!(sender.drain().await.unwrap(), 0);

    // Back up, and the retry is due: every statement kept once.
    app.clock.advance(chrono::Duration::seconds(31));
    sender.drain().await.unwrap();
    let kept = store.kept.lock().unwrap().clone();
    assert_eq!(kept.len(), rows.len());
    assert!(queued(&app).await.iter().all(|r| r.status == "sent" && r.sent_at.is_some()));
    let earned = kept.iter().find(|s| s["verb"]["display"]["en-US"] == "earned").unwrap();
    assert_eq!(earned["result"]["extensions"]["https://lantern.health/xapi/cpd-credits"], 2.5);
    // Pseudonymous: the account's number on this server, never a name or an address.
    let text = serde_json::to_string(&kept).unwrap();
    assert!(!text.contains("amina") && !text.contains("Amina"));
    assert!(
        kept.iter().all(|s| s["actor"]["account"]["homePage"].as_str().unwrap_or("").starts_with("http"))
    );

    // Nothing left to send; the same events again add nothing.
    let requests = store.requests.load(Ordering::SeqCst);
    assert_eq!(sender.drain().await.unwrap(), 0);
    assert_eq!(store.requests.load(Ordering::SeqCst), requests);
    learner.post_form("/courses/hand-hygiene/enrol", &[]).await;
    assert_eq!(queued(&app).await.len(), rows.len());
}

#[tokio::test]
async fn without_a_record_store_no_statement_is_written() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    complete(&app, &learner, "hand-hygiene").await;
    assert_eq!(statement::Entity::find().count(app.state.db.read()).await.unwrap(), 0);
    assert!(app.state.xapi_sender().unwrap().is_none());
}
