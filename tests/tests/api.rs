//! The JSON API's reads: ETags, and `304 Not Modified` when nothing changed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern_tests::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn an_api_read_carries_an_etag_and_answers_304_when_it_still_holds() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    for path in [
        "/api/v1/search?q=hygiene",
        "/api/v1/frameworks",
        "/api/v1/frameworks/primary-care-nursing-midwifery",
    ] {
        let first = visitor.get(path).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let tag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert!(tag.starts_with('"') && tag.len() == 34, "{path}: a strong tag of 128 bits: {tag}");
        let body = first.text().await.unwrap();
        // The same answer, the same tag.
        let again = visitor.get(path).await;
        assert_eq!(again.headers()["etag"].to_str().unwrap(), tag);
        assert_eq!(again.text().await.unwrap(), body);
        // Named in If-None-Match (alone, weak, or in a list): 304 and no body.
        for header in [tag.clone(), format!("W/{tag}"), format!("\"other\", {tag}")] {
            let response =
                visitor.client.get(visitor.url(path)).header("If-None-Match", header).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{path}");
            assert_eq!(response.headers()["etag"].to_str().unwrap(), tag);
            assert!(response.bytes().await.unwrap().is_empty());
        }
        let changed =
            visitor.client.get(visitor.url(path)).header("If-None-Match", "\"other\"").send().await.unwrap();
        assert_eq!(changed.status(), StatusCode::OK);
    }
    // Another question, another tag; errors and pages carry none.
    let other = visitor.get("/api/v1/search?q=burnout").await;
    let hygiene = visitor.get("/api/v1/search?q=hygiene").await;
    assert_ne!(other.headers()["etag"], hygiene.headers()["etag"]);
    let missing = visitor.get("/api/v1/frameworks/nosuch").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers().get("etag").is_none());
    assert!(visitor.get("/courses").await.headers().get("etag").is_none());
}

/// Every `/api/v1/` route the server registers is in the OpenAPI document, and nothing else is;
/// who may call each operation is the scope table's answer, and the errors every operation can
/// give are there.
#[tokio::test]
async fn the_openapi_document_describes_every_api_route_and_no_other() {
    let app = TestApp::spawn().await;
    let response = app.browser().get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let document: serde_json::Value = response.json().await.unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            documented.push((method.clone(), path.clone()));
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("503"), "{method} {path}");
            let security = operation["security"].as_array().unwrap();
            let scope = lantern::accounts::api_tokens::required_scope(method == "get", path);
            let token =
                security.iter().find_map(|s| s.get("token")).map(|s| s[0].as_str().unwrap().to_owned());
            assert_eq!(token, scope, "{method} {path}: the scope the server enforces");
            if scope.is_some() {
                for status in ["401", "403", "429"] {
                    assert!(responses.contains_key(status), "{method} {path} {status}");
                }
            }
            assert!(operation["summary"].as_str().is_some_and(|s| !s.is_empty()), "{method} {path}");
        }
    }
    documented.sort();
    let registered: Vec<(String, String)> = lantern_tests::routes()
        .into_iter()
        .filter(|(_, path)| path.starts_with("/api/v1/") && path != "/api/v1/openapi.json")
        .collect();
    assert_eq!(documented, registered);
    // Every schema an operation names is defined.
    let text = document.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(document["components"]["schemas"].get(name).is_some(), "{name} is defined");
    }

    // The reference page is drawn from it, with no script.
    let page = app.browser().get_text("/api").await;
    for (method, path) in &documented {
        assert!(page.contains(&format!("{} {}", method.to_uppercase(), path)), "{method} {path} on /api");
    }
    assert!(!page.contains("<script"));
}

#[tokio::test]
async fn the_catalogue_pages_through_with_a_cursor_and_refuses_one_it_did_not_give() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    let all: serde_json::Value = visitor.get("/api/v1/courses?limit=100").await.json().await.unwrap();
    let all: Vec<String> =
        all["items"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap().to_owned()).collect();
    assert!(all.len() >= 5, "the demo courses: {all:?}");
    let mut seen = Vec::new();
    let mut path = "/api/v1/courses?limit=2".to_owned();
    loop {
        let page: serde_json::Value = visitor.get(&path).await.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|c| c["slug"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/courses?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, all, "each course once, in the same order");
    let french: serde_json::Value = visitor.get("/api/v1/courses?language=fr").await.json().await.unwrap();
    assert!(french["items"].as_array().unwrap().iter().all(|c| c["language"] == "fr"));

    for (query, field) in [("limit=0", "limit"), ("limit=101", "limit"), ("cursor=%25%25", "cursor")] {
        let response = visitor.get(&format!("/api/v1/courses?{query}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert!(problem["detail"].as_str().unwrap().starts_with(field), "{query}: {problem}");
    }
    let response = visitor.get("/api/v1/courses?limit=many").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let problem: serde_json::Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().starts_with("limit"), "{problem}");
}

#[tokio::test]
async fn a_learner_enrols_reads_and_sees_their_credits_with_a_token_of_the_right_scope() {
    let app = TestApp::spawn().await;
    let amina = app.sign_up("Amina Otieno", "amina@example.org").await;
    let reader = lantern_tests::make_token(&amina, &["courses:read", "credits:read"], "30").await;
    let writer = lantern_tests::make_token(&amina, &["courses:write"], "30").await;
    let client = reqwest::Client::new();
    let call = |method: reqwest::Method, token: &str, path: &str| {
        client.request(method, format!("{}{path}", app.address)).bearer_auth(token).send()
    };
    use reqwest::Method;

    let enrol = "/api/v1/courses/hand-hygiene/enrolment";
    assert_eq!(call(Method::POST, &reader, enrol).await.unwrap().status(), StatusCode::FORBIDDEN);
    let first = call(Method::POST, &writer, enrol).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(first.headers()["location"], "/api/v1/courses/hand-hygiene");
    let again = call(Method::POST, &writer, enrol).await.unwrap();
    assert_eq!(again.status(), StatusCode::OK, "enrolling again changes nothing");
    let missing = call(Method::POST, &writer, "/api/v1/courses/nosuch/enrolment").await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.headers()["content-type"], "application/problem+json");

    let course: serde_json::Value =
        call(Method::GET, &reader, "/api/v1/courses/hand-hygiene").await.unwrap().json().await.unwrap();
    assert_eq!(course["enrolment"]["percent"], 0);
    let lesson = course["modules"][0]["lessons"][0]["slug"].as_str().unwrap().to_owned();
    let read = format!("/api/v1/courses/hand-hygiene/lessons/{lesson}/read");
    let response = call(Method::POST, &writer, &read).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let enrolment: serde_json::Value = response.json().await.unwrap();
    assert!(enrolment["percent"].as_i64().unwrap() > 0);
    let course: serde_json::Value =
        call(Method::GET, &reader, "/api/v1/courses/hand-hygiene").await.unwrap().json().await.unwrap();
    assert_eq!(course["modules"][0]["lessons"][0]["read"], true);
    let not_enrolled =
        call(Method::POST, &writer, "/api/v1/courses/safe-medication/lessons/x/read").await.unwrap();
    assert_eq!(not_enrolled.status(), StatusCode::NOT_FOUND);

    let mine: serde_json::Value =
        call(Method::GET, &reader, "/api/v1/me/courses").await.unwrap().json().await.unwrap();
    assert_eq!(mine["items"][0]["course"], "hand-hygiene");
    assert_eq!(mine["items"][0]["resume"], lesson.as_str());
    let credits = call(Method::GET, &reader, "/api/v1/me/credits").await.unwrap();
    assert_eq!(credits.status(), StatusCode::OK);
    let credits: serde_json::Value = credits.json().await.unwrap();
    assert_eq!(credits["items"].as_array().unwrap().len(), 0);
    // Write includes read; a token of another feature does not.
    assert_eq!(call(Method::GET, &writer, "/api/v1/me/courses").await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        call(Method::GET, &writer, "/api/v1/me/credits").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // Anonymous: the catalogue and outlines, never anyone's learning.
    let anonymous = app.browser();
    assert_eq!(anonymous.get("/api/v1/courses/hand-hygiene").await.status(), StatusCode::OK);
    assert_eq!(anonymous.get("/api/v1/me/courses").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_learner_takes_a_quiz_through_the_api_and_a_retried_submission_counts_once() {
    use lantern::courses::entity::question_option;
    use reqwest::Method;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::spawn().await;
    let amina = app.sign_up("Amina Otieno", "amina@example.org").await;
    let token = lantern_tests::make_token(&amina, &["courses:write"], "30").await;
    let client = reqwest::Client::new();
    let call = |method: Method, path: &str| {
        client.request(method, format!("{}{path}", app.address)).bearer_auth(&token)
    };
    let enrolled = call(Method::POST, "/api/v1/courses/hand-hygiene/enrolment").send().await.unwrap();
    assert_eq!(enrolled.status(), StatusCode::CREATED);
    let course: serde_json::Value =
        call(Method::GET, "/api/v1/courses/hand-hygiene").send().await.unwrap().json().await.unwrap();
    let quiz = course["modules"].as_array().unwrap().iter().find_map(|m| m["quiz"]["id"].as_i64()).unwrap();

    let start = format!("/api/v1/courses/hand-hygiene/quizzes/{quiz}/attempts");
    let started = call(Method::POST, &start).send().await.unwrap();
    assert_eq!(started.status(), StatusCode::CREATED);
    let attempt: serde_json::Value = started.json().await.unwrap();
    let questions = attempt["questions"].as_array().unwrap();
    assert!(!questions.is_empty());
    assert!(
        questions.iter().flat_map(|q| q["options"].as_array().unwrap()).all(|o| o["correct"].is_null()),
        "no answer given away before submitting"
    );
    let resumed = call(Method::POST, &start).send().await.unwrap();
    assert_eq!(resumed.status(), StatusCode::OK, "the open attempt is resumed");
    let id = attempt["id"].as_i64().unwrap();
    assert_eq!(resumed.json::<serde_json::Value>().await.unwrap()["id"], id);

    // The right options, from the database.
    let mut answers = serde_json::Map::new();
    for question in questions {
        let right: Vec<i32> = question_option::Entity::find()
            .filter(question_option::Column::QuestionId.eq(question["id"].as_i64().unwrap() as i32))
            .filter(question_option::Column::Correct.eq(true))
            .all(app.state.db.read())
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.id)
            .collect();
        answers.insert(question["id"].to_string(), serde_json::json!(right));
    }
    let path = format!("/api/v1/courses/hand-hygiene/attempts/{id}");
    for (body, field) in [
        (serde_json::json!({"answer": {}}), "answers"),
        (serde_json::json!({"answers": {"twelve": [1]}}), "answers"),
        (serde_json::json!({"answers": {}, "idempotency_key": "short"}), "idempotency_key"),
    ] {
        let refused = call(Method::POST, &path).json(&body).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{body}");
        let problem: serde_json::Value = refused.json().await.unwrap();
        assert!(problem["detail"].as_str().unwrap().contains(field), "{body}: {problem}");
    }
    let not_json = call(Method::POST, &path).body("answers=1").send().await.unwrap();
    assert_eq!(not_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body = serde_json::json!({"answers": answers, "idempotency_key": "phone-attempt-0001"});
    let scored: serde_json::Value =
        call(Method::POST, &path).json(&body).send().await.unwrap().json().await.unwrap();
    assert_eq!((scored["score_percent"].as_i64(), scored["passed"].as_bool()), (Some(100), Some(true)));
    assert!(scored["questions"][0]["options"].as_array().unwrap().iter().all(|o| o["correct"].is_boolean()));
    // Sent again (a phone that lost the answer): the same result, nothing new recorded.
    let again: serde_json::Value = call(Method::POST, &path)
        .json(&serde_json::json!({"answers": {}, "idempotency_key": "phone-attempt-0001"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["submitted_at"], scored["submitted_at"]);
    assert_eq!(again["score_percent"], 100);
    let course: serde_json::Value =
        call(Method::GET, "/api/v1/courses/hand-hygiene").send().await.unwrap().json().await.unwrap();
    assert!(course["modules"].as_array().unwrap().iter().any(|m| m["quiz"]["passed"] == true));
    let read: serde_json::Value = call(Method::GET, &path).send().await.unwrap().json().await.unwrap();
    assert_eq!(read["passed"], true);
    // Another learner's attempt is not found.
    let other = app.sign_up("Juma", "juma@example.org").await;
    assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND);
}

/// Tokens in the authorisation matrix: every operation of the document, called with a token of
/// another feature, is refused (403) unless it is open to anyone, and with a token of its own
/// scope it gets past the check (neither 401 nor 403, nor a server error).
#[tokio::test]
async fn every_operation_takes_exactly_the_scope_the_document_names() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    let officer = app.sign_up("Olive Officer", "olive@example.org").await;
    app.join(&platform, &officer, "olive@example.org", "dnmc", "officer").await;
    let author = app.sign_up("Amos Author", "amos@example.org").await;
    app.join(&platform, &author, "amos@example.org", "eanma", "author").await;
    let reviewer = app.sign_up("Rita Reviewer", "rita@example.org").await;
    app.join(&platform, &reviewer, "rita@example.org", "eanma", "reviewer").await;
    let admin = app.sign_up("Oumar Admin", "oumar@example.org").await;
    app.join(&platform, &admin, "oumar@example.org", "ainfao", "admin").await;
    let document: serde_json::Value = app.browser().get("/api/v1/openapi.json").await.json().await.unwrap();
    let client = reqwest::Client::new();
    let mut checked = 0;
    for (template, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let security = operation["security"].as_array().unwrap();
            let Some(scope) = security.iter().find_map(|s| s["token"][0].as_str()) else { continue };
            let open = security.iter().any(|s| s.as_object().is_some_and(|o| o.is_empty()));
            // Each operation called by someone it serves: a regulator's by its officer, an
            // association's by the staff whose role it takes, the rest by a learner.
            let org = |part: &str| template.contains(&format!("/orgs/{{slug}}/{part}"));
            let reviews = ["/approve", "/return", "/publish"].iter().any(|end| template.ends_with(end))
                || ["accreditations", "activities", "certificates"].iter().any(|part| org(part));
            let (caller, slug) = if template.contains("/regulators/") || template.ends_with("/insights") {
                (&officer, "dnmc")
            } else if org("mentoring") {
                (&admin, "ainfao")
            } else if reviews {
                (&reviewer, "eanma")
            } else if org("courses") || org("frameworks") {
                (&author, "eanma")
            } else {
                (&learner, "hand-hygiene")
            };
            let path = template
                .replace("{slug}", slug)
                .replace("{course}", "hand-hygiene")
                .replace("{number}", "1")
                .replace("{programme}", "none")
                .replace("{round}", "1")
                .replace("{regulator}", "dnmc")
                .replace("{id}", "1")
                .replace("{audit}", "1")
                .replace("{case}", "1")
                .replace("{pair}", "1")
                .replace("{framework}", "nosuch")
                .replace("{lesson}", "why-hands-matter")
                .replace("{quiz}", "1")
                .replace("{attempt}", "1")
                + if template.ends_with("/gaps") { "?role=rural-midwife" } else { "" };
            let feature = scope.split(':').next().unwrap();
            let other = if feature == "search" { "mentoring:write" } else { "search:read" };
            let right = lantern_tests::make_token(caller, &[scope], "1").await;
            let wrong = lantern_tests::make_token(caller, &[other], "1").await;
            let call = |token: Option<&str>| {
                let mut request = client
                    .request(method.to_uppercase().parse().unwrap(), format!("{}{path}", app.address))
                    .header("Content-Type", "application/json")
                    .body(if path.contains("/verifications") { "[]" } else { "{\"answers\": {}}" });
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                async move { request.send().await.unwrap().status().as_u16() }
            };
            let (with_right, with_wrong, anonymous) =
                (call(Some(right.as_str())).await, call(Some(wrong.as_str())).await, call(None).await);
            assert!(
                ![401, 403].contains(&with_right) && with_right < 500,
                "{method} {path} with {scope}: {with_right}"
            );
            assert!(
                with_wrong == 403 || (open && with_wrong == anonymous),
                "{method} {path} with {other}: {with_wrong}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 62, "{checked} operations");
}

/// The review workflow through the API: an author uploads a package (a broken one is refused
/// whole, naming the file and line) and submits it; a reviewer returns it (a comment needed),
/// then approves it, and learners see the new version.
#[tokio::test]
async fn an_author_uploads_and_submits_and_a_reviewer_returns_then_publishes_through_the_api() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let author = app.sign_up("Abena Author", "abena@example.org").await;
    app.join(&platform, &author, "abena@example.org", "eanma", "author").await;
    let reviewer = app.sign_up("Rashid Reviewer", "rashid@example.org").await;
    app.join(&platform, &reviewer, "rashid@example.org", "eanma", "reviewer").await;
    let writes = lantern_tests::make_token(&author, &["courses:write"], "1").await;
    let reviews = lantern_tests::make_token(&reviewer, &["courses:write"], "1").await;
    let client = reqwest::Client::new();
    let post = |token: &str, path: &str, content_type: &str, body: Vec<u8>| {
        client
            .post(format!("{}/api/v1/orgs/eanma/courses{path}", app.address))
            .bearer_auth(token)
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    let versions = || async {
        let list: serde_json::Value = client
            .get(format!("{}/api/v1/orgs/eanma/courses", app.address))
            .bearer_auth(&reviews)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let course = list["items"].as_array().unwrap().iter().find(|c| c["slug"] == "hand-hygiene").cloned();
        course.unwrap()["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["status"].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(versions().await, ["\"published\""]);

    let mut broken = app.state.courses.export("hand-hygiene").await.unwrap();
    broken.professions = vec!["astronaut".into()];
    let zip = lantern_tests::zip_package(&lantern::courses::package::write(&broken).unwrap());
    let refused = post(&writes, "", "application/zip", zip).await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("course.toml:"), "{problem}");
    assert_eq!(versions().await, ["\"published\""], "nothing kept of a refused package");
    let not_zip = post(&writes, "", "text/plain", b"hello".to_vec()).await.unwrap();
    assert_eq!(not_zip.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let mut package = app.state.courses.export("hand-hygiene").await.unwrap();
    package.modules[0].lessons[0].markdown.push_str("\n\nUse handrub for at least 20 seconds.\n");
    let zip = lantern_tests::zip_package(&lantern::courses::package::write(&package).unwrap());
    let uploaded = post(&writes, "", "application/zip", zip).await.unwrap();
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let location = uploaded.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, "/api/v1/orgs/eanma/courses/hand-hygiene/versions/2");
    let uploaded: serde_json::Value = uploaded.json().await.unwrap();
    assert_eq!(
        (uploaded["outcome"].as_str(), uploaded["version"]["status"].as_str()),
        (Some("draft"), Some("draft"))
    );

    let version = "/hand-hygiene/versions/2";
    let json = "application/json";
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    let learns = lantern_tests::make_token(&learner, &["courses:write"], "1").await;
    let learn = |path: &str| {
        client.post(format!("{}/api/v1/courses/hand-hygiene{path}", app.address)).bearer_auth(&learns).send()
    };
    assert_eq!(learn("/enrolment/latest").await.unwrap().status(), StatusCode::NOT_FOUND, "not enrolled");
    assert_eq!(learn("/enrolment").await.unwrap().status(), StatusCode::CREATED);
    let early = post(&reviews, &format!("{version}/approve"), json, Vec::new()).await.unwrap();
    assert_eq!(early.status(), StatusCode::CONFLICT, "a draft is not in review");
    let submitted = post(&writes, &format!("{version}/submit"), json, Vec::new()).await.unwrap();
    assert_eq!(submitted.status(), StatusCode::OK);
    assert_eq!(submitted.json::<serde_json::Value>().await.unwrap()["status"], "in_review");
    let by_author = post(&writes, &format!("{version}/approve"), json, Vec::new()).await.unwrap();
    assert_eq!(by_author.status(), StatusCode::FORBIDDEN, "an author is not a reviewer");
    let silent = post(&reviews, &format!("{version}/return"), json, Vec::new()).await.unwrap();
    assert_eq!(silent.status(), StatusCode::CONFLICT, "returning needs a comment");
    let garbled =
        post(&reviews, &format!("{version}/return"), json, b"{\"comment\": 7}".to_vec()).await.unwrap();
    assert_eq!(garbled.status(), StatusCode::BAD_REQUEST);
    let comment = br#"{"comment": "Cite the WHO 2009 guideline"}"#.to_vec();
    let returned = post(&reviews, &format!("{version}/return"), json, comment).await.unwrap();
    assert_eq!(returned.json::<serde_json::Value>().await.unwrap()["status"], "draft");
    post(&writes, &format!("{version}/submit"), json, Vec::new()).await.unwrap();
    let approved = post(&reviews, &format!("{version}/approve"), json, br#"{"comment": "Checked"}"#.to_vec())
        .await
        .unwrap();
    assert_eq!(approved.status(), StatusCode::OK);
    assert_eq!(approved.json::<serde_json::Value>().await.unwrap()["status"], "published");
    assert_eq!(versions().await, ["\"published\"", "\"retired\""]);
    let outline: serde_json::Value =
        app.browser().get("/api/v1/courses/hand-hygiene").await.json().await.unwrap();
    assert_eq!(outline["version"], 2, "learners see the new version");
    let moved = learn("/enrolment/latest").await.unwrap();
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(
        moved.json::<serde_json::Value>().await.unwrap()["version"],
        2,
        "an enrolled learner moves to it"
    );
}

/// A program that calls without credentials gets the API's answer (401, sign in or send a
/// token), not a form's CSRF refusal; a browser's cookie still brings the CSRF check with it.
#[tokio::test]
async fn a_call_without_credentials_is_told_to_authenticate_and_a_cookie_still_needs_its_csrf_token() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let bare = client.post(format!("{}/api/v1/orgs/eanma/courses", app.address)).send().await.unwrap();
    assert_eq!(bare.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(bare.headers()["content-type"], "application/problem+json");
    let signed_in = app.sign_up("Amina Otieno", "amina@example.org").await;
    let forged =
        signed_in.client.post(signed_in.url("/api/v1/courses/hand-hygiene/enrolment")).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a session cookie without the CSRF token is refused");
}
