//! Courses offline: the manifest a phone saves a course from (who may read it, what it lists, that
//! its sizes add up and that reading it changes nothing), the scripts, and answers queued offline
//! and sent again: recorded once, with their idempotency key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::courses::entity::{enrolment, quiz_attempt};
use lantern_tests::{Browser, TestApp, answers};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::Value;

async fn manifest(browser: &Browser, course: &str) -> Value {
    let response = browser.get(&format!("/courses/{course}/offline")).await;
    assert_eq!(response.status(), StatusCode::OK, "an enrolled learner reads the manifest");
    assert_eq!(response.headers()["cache-control"], "no-store", "personal: never stored on the way");
    response.json().await.unwrap()
}

async fn attempts(app: &TestApp) -> u64 {
    quiz_attempt::Entity::find().count(app.state.db.read()).await.unwrap()
}

#[tokio::test]
async fn the_manifest_is_for_an_enrolled_learner_only() {
    let app = TestApp::spawn().await;
    let anonymous = app.browser();
    let response = anonymous.get("/courses/hand-hygiene/offline").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "anonymous: to the sign-in page");
    assert!(response.headers()["location"].to_str().unwrap().starts_with("/sign-in"));

    let learner = app.sign_up("Nia Wambui", "nia@example.org").await;
    assert_eq!(
        learner.get("/courses/hand-hygiene/offline").await.status(),
        StatusCode::NOT_FOUND,
        "not enrolled: nothing to save"
    );
    assert_eq!(learner.get("/courses/hand-hygiene/offline/saved").await.status(), StatusCode::NOT_FOUND);
    let page = learner.get_text("/courses/hand-hygiene").await;
    assert!(!page.contains("id=\"offline-course\""), "no offline section before enrolling");

    learner.post_form("/courses/hand-hygiene/enrol", &[]).await;
    manifest(&learner, "hand-hygiene").await;
    let page = learner.get_text("/courses/hand-hygiene").await;
    assert!(
        page.contains("<section class=\"card\" id=\"offline-course\" hidden"),
        "the section is there, hidden until the script shows it"
    );
    assert!(page.contains("src=\"/offline/courses/offline-"), "the page script is loaded");
    let saved = learner.get_text("/courses/hand-hygiene/offline/saved").await;
    assert!(
        saved.contains("Your answers are saved on this phone and will be sent when you are back online.")
    );

    let other = app.sign_up("Other Learner", "other@example.org").await;
    assert_eq!(
        other.get("/courses/hand-hygiene/offline").await.status(),
        StatusCode::NOT_FOUND,
        "another learner's enrolment does not open it"
    );
}

#[tokio::test]
async fn the_manifest_lists_every_page_and_a_phone_sized_image_and_its_sizes_add_up() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Nia Wambui", "nia@example.org").await;
    learner.post_form("/courses/hand-hygiene/enrol", &[]).await;
    let before = attempts(&app).await;
    let manifest = manifest(&learner, "hand-hygiene").await;
    assert_eq!(attempts(&app).await, before, "reading the manifest starts no attempt");

    let files = manifest["files"].as_array().unwrap();
    let quizzes = manifest["quizzes"].as_array().unwrap();
    let urls: Vec<&str> = files.iter().map(|f| f["url"].as_str().unwrap()).collect();
    assert!(urls.contains(&"/courses/hand-hygiene"), "the course page: {urls:?}");
    assert_eq!(urls.iter().filter(|u| u.contains("/lessons/")).count(), 5, "every lesson: {urls:?}");
    assert!(urls.iter().any(|u| u.starts_with("/static/style-")), "the stylesheet");
    assert!(urls.iter().any(|u| u.starts_with("/offline/courses/offline-")), "the page script");
    assert!(urls.contains(&"/courses/hand-hygiene/offline/saved"), "the page queued answers lead to");
    assert_eq!(quizzes.len(), 1, "the course's quiz");
    let quiz_page = quizzes[0]["page"].as_str().unwrap();
    assert!(urls.contains(&quiz_page), "the quiz page is kept");
    assert_eq!(
        quizzes[0]["start"].as_str().unwrap(),
        format!("{quiz_page}/attempts"),
        "where an attempt starts"
    );
    assert_eq!(manifest["lessons"].as_array().unwrap().len(), 5, "lessons in reading order");
    assert_eq!(manifest["account"].as_str().unwrap().len(), 16, "an opaque per-account name");
    assert!(!manifest.to_string().contains("nia@example.org"), "the account's name says nothing of it");

    let total: u64 = files.iter().chain(quizzes).map(|f| f["bytes"].as_u64().unwrap()).sum();
    assert_eq!(manifest["total_bytes"].as_u64().unwrap(), total, "the total is the sum of its parts");
    assert!(
        manifest["size_text"].as_str().unwrap().starts_with("Saving this course keeps about "),
        "the size in words: {}",
        manifest["size_text"]
    );

    // Each size is what the phone will keep: exact for files, close for pages (the same page
    // rendered at another address).
    let images: Vec<&Value> =
        files.iter().filter(|f| f["url"].as_str().unwrap().starts_with("/media/")).collect();
    assert_eq!(images.len(), 2, "the course's two pictures");
    for file in files {
        let url = file["url"].as_str().unwrap();
        let response = learner.get(url).await;
        assert_eq!(response.status(), StatusCode::OK, "{url} is there");
        let bytes = response.bytes().await.unwrap().len() as u64;
        let listed = file["bytes"].as_u64().unwrap();
        if url.starts_with("/media/") || url.starts_with("/static/") || url.starts_with("/offline/") {
            assert_eq!(bytes, listed, "{url}: the size listed is the file's");
        } else {
            assert!(bytes.abs_diff(listed) * 20 <= listed, "{url}: {bytes} bytes, listed {listed}");
        }
    }
    for image in images {
        let url = image["url"].as_str().unwrap();
        assert!(url.ends_with(".webp") || !url.contains('.'), "a WebP variant or the original: {url}");
        if let Some(width) = url.rsplit('/').next().and_then(|n| n.strip_suffix(".webp")) {
            assert!(width.parse::<u32>().unwrap() <= 720, "no wider than a phone shows: {url}");
        }
    }

    // The attempt page a phone keeps, started by the ordinary POST, is about the size listed.
    let response = learner.post_form(quizzes[0]["start"].as_str().unwrap(), &[]).await;
    let attempt = response.headers()["location"].to_str().unwrap().to_owned();
    let bytes = learner.get_text(&attempt).await.len() as u64;
    let listed = quizzes[0]["bytes"].as_u64().unwrap();
    assert!(bytes.abs_diff(listed) * 20 <= listed, "attempt page: {bytes} bytes, listed {listed}");
}

#[tokio::test]
async fn a_passed_quiz_is_kept_as_a_page_without_a_new_attempt() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Nia Wambui", "nia@example.org").await;
    lantern_tests::complete(&app, &learner, "hand-hygiene").await;
    let manifest = manifest(&learner, "hand-hygiene").await;
    let quiz = &manifest["quizzes"][0];
    assert!(quiz["start"].is_null(), "passed: nothing to start offline");
    assert_eq!(quiz["bytes"], 0);
}

#[tokio::test]
async fn answers_sent_again_from_the_offline_queue_are_recorded_once() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Nia Wambui", "nia@example.org").await;
    learner.post_form("/courses/hand-hygiene/enrol", &[]).await;
    let manifest = manifest(&learner, "hand-hygiene").await;
    for lesson in manifest["lessons"].as_array().unwrap() {
        learner.post_form(&format!("{}/complete", lesson.as_str().unwrap()), &[]).await;
    }
    let start = manifest["quizzes"][0]["start"].as_str().unwrap();
    let response = learner.post_form(start, &[]).await;
    let attempt = response.headers()["location"].to_str().unwrap().to_owned();
    let right = answers(&app, &learner.get_text(&attempt).await, true).await;
    let key = "5b0e6a8c-3f57-4d0c-9a51-0c2d1f4e7b11";
    let mut fields: Vec<(&str, &str)> = right.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("idempotency_key", key));

    assert_eq!(learner.post_form(&attempt, &fields).await.status(), StatusCode::SEE_OTHER);
    let db = app.state.db.read();
    let completed = enrolment::Entity::find().one(db).await.unwrap().unwrap().completed_at;
    assert!(completed.is_some(), "the course is complete");
    let evidence = lantern::competencies::entity::evidence::Entity::find().count(db).await.unwrap();

    // The phone sends the queue again (the first answer was lost on the way back), later.
    app.clock.advance(chrono::Duration::minutes(30));
    for _ in 0..2 {
        assert_eq!(learner.post_form(&attempt, &fields).await.status(), StatusCode::SEE_OTHER, "harmless");
    }
    let rows = quiz_attempt::Entity::find().all(db).await.unwrap();
    assert_eq!(rows.len(), 1, "one attempt");
    assert_eq!(rows[0].score_percent, Some(100));
    assert_eq!(rows[0].idempotency_key.as_deref(), Some(key), "the key is recorded with the attempt");
    assert_eq!(
        enrolment::Entity::find().one(db).await.unwrap().unwrap().completed_at,
        completed,
        "the completion is not recorded again"
    );
    assert_eq!(
        lantern::competencies::entity::evidence::Entity::find().count(db).await.unwrap(),
        evidence,
        "no evidence added twice"
    );
    let quiz = learner.get_text(manifest["quizzes"][0]["page"].as_str().unwrap()).await;
    assert_eq!(quiz.matches("Attempt ").count(), 1, "the quiz page shows one attempt");
}

#[tokio::test]
async fn a_key_already_recorded_on_another_attempt_is_refused() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Nia Wambui", "nia@example.org").await;
    learner.post_form("/courses/hand-hygiene/enrol", &[]).await;
    let manifest = manifest(&learner, "hand-hygiene").await;
    let start = manifest["quizzes"][0]["start"].as_str().unwrap();
    let key = "5b0e6a8c-3f57-4d0c-9a51-0c2d1f4e7b11";
    let first = learner.post_form(start, &[]).await.headers()["location"].to_str().unwrap().to_owned();
    let wrong = answers(&app, &learner.get_text(&first).await, false).await;
    let mut fields: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("idempotency_key", key));
    assert_eq!(learner.post_form(&first, &fields).await.status(), StatusCode::SEE_OTHER);
    let second = learner.post_form(start, &[]).await.headers()["location"].to_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(learner.post_form(&second, &[("idempotency_key", key)]).await.status(), StatusCode::CONFLICT);
    assert!(learner.get_text(&second).await.contains("Submit"), "the second attempt stays open");
}

#[tokio::test]
async fn the_worker_and_the_script_are_served_for_phones_to_keep() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let worker = browser.get("/course-sw.js").await;
    assert_eq!(worker.status(), StatusCode::OK);
    assert_eq!(worker.headers()["cache-control"], "no-cache", "revalidated: a new version installs");
    assert!(worker.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert!(worker.headers().get("set-cookie").is_none(), "the same for everyone");

    let learner = app.sign_up("Nia Wambui", "nia@example.org").await;
    learner.post_form("/courses/hand-hygiene/enrol", &[]).await;
    let page = learner.get_text("/courses/hand-hygiene").await;
    let script = page.split("src=\"/offline/courses/").nth(1).unwrap().split('"').next().unwrap();
    let response = browser.get(&format!("/offline/courses/{script}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(browser.get("/offline/courses/offline-000000000000.js").await.status(), StatusCode::NOT_FOUND);
}
