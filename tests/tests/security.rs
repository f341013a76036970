//! Security properties every response shares: CSRF on every state change, security headers on
//! every kind of response, error pages that explain without leaking, bounded bodies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern_tests::{PASSWORD, TestApp, html, texts};
use reqwest::StatusCode;

/// Every state-changing route the application registers, read from the source so that a new
/// route cannot escape this sweep.
fn post_routes() -> Vec<String> {
    lantern_tests::routes().into_iter().filter(|(method, _)| method == "post").map(|(_, path)| path).collect()
}

async fn account_count(app: &TestApp) -> usize {
    app.state.accounts.recent_accounts(1000).await.unwrap().len()
}

#[tokio::test]
async fn every_form_without_a_valid_token_or_from_another_site_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let browser = app.sign_up("Victim Person", "victim@example.org").await;
    let token = browser.csrf().await;
    let before = account_count(&app).await;
    let routes = post_routes();
    assert!(routes.len() >= 20, "found {} POST routes", routes.len());
    for route in routes {
        let path = route.replace("{token}", "x").replace("{id}", "1").replace("{slug}", "eanma");
        let fields = [("name", "Mallory"), ("email", "mallory@example.org"), ("password", PASSWORD)];

        let no_token = browser.post_form_raw(&path, &fields).await;
        assert_eq!(no_token.status(), StatusCode::FORBIDDEN, "POST {path} without a token");

        let mut wrong: Vec<(&str, &str)> = fields.to_vec();
        wrong.push(("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        let response = browser.client.post(browser.url(&path)).form(&wrong).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path} with a wrong token");

        let mut right: Vec<(&str, &str)> = fields.to_vec();
        right.push(("csrf_token", &token));
        let cross_site = browser
            .client
            .post(browser.url(&path))
            .header("Sec-Fetch-Site", "cross-site")
            .form(&right)
            .send()
            .await
            .unwrap();
        assert_eq!(cross_site.status(), StatusCode::FORBIDDEN, "POST {path} from another site");

        let foreign = browser
            .client
            .post(browser.url(&path))
            .header("Origin", "https://evil.example")
            .form(&right)
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), StatusCode::FORBIDDEN, "POST {path} with a foreign Origin");
        let page = foreign.text().await.unwrap();
        assert!(page.contains("did not come from Lantern"), "the refusal explains itself");
    }
    assert_eq!(account_count(&app).await, before, "no account was created by a refused form");
    assert_eq!(browser.get("/account").await.status(), StatusCode::OK, "the victim is still signed in");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let stylesheet = {
        let page = browser.get_text("/").await;
        let document = html(&page);
        let selector = scraper::Selector::parse("link[rel=stylesheet]").unwrap();
        document.select(&selector).next().unwrap().value().attr("href").unwrap().to_owned()
    };
    let responses = vec![
        ("page", browser.get("/").await),
        ("stylesheet", browser.get(&stylesheet).await),
        ("not found", browser.get("/no/such/page").await),
        ("health", browser.get("/healthz").await),
        ("csrf refusal", browser.post_form_raw("/sign-in", &[]).await),
        ("json error", browser.client.get(browser.url("/api/v1/nothing")).send().await.unwrap()),
        ("too many", {
            for _ in 0..10 {
                browser.post_form("/sign-in", &[("email", "x@example.org"), ("password", "wrong one")]).await;
            }
            browser.post_form("/sign-in", &[("email", "x@example.org"), ("password", "wrong one")]).await
        }),
    ];
    for (kind, response) in responses {
        let headers = response.headers();
        let csp =
            headers.get("content-security-policy").unwrap_or_else(|| panic!("{kind}: CSP")).to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{kind}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{kind}: no unsafe-inline");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{kind}");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{kind}");
        assert!(headers.contains_key("content-type"), "{kind}: a content type");
    }
}

#[tokio::test]
async fn error_pages_explain_in_the_layout_and_json_clients_get_problems() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let response = browser.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = response.text().await.unwrap();
    assert!(page.contains("Page not found") && page.contains("<footer"), "a page in the layout");

    let french =
        browser.client.get(browser.url("/nope")).header("Accept-Language", "fr").send().await.unwrap();
    assert!(french.text().await.unwrap().contains("Page introuvable"), "in the visitor's language");

    let json = browser.client.get(browser.url("/api/v1/missing")).send().await.unwrap();
    assert_eq!(json.status(), StatusCode::NOT_FOUND);
    assert_eq!(json.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = json.json().await.unwrap();
    assert_eq!(problem["status"], 404);

    let gone = browser.get("/reset-password/not-a-real-token").await;
    assert_eq!(gone.status(), StatusCode::GONE);
    assert!(gone.text().await.unwrap().contains("expired or has already been used"));
}

#[tokio::test]
async fn malformed_and_oversized_forms_get_clear_answers() {
    let app = TestApp::spawn_with(|config| config.security.max_form_bytes = 8 * 1024).await;
    let browser = app.browser();
    let token = browser.csrf().await;

    let big = "x".repeat(20 * 1024);
    let response = browser
        .post_form("/sign-up", &[("name", &big), ("email", "big@example.org"), ("password", PASSWORD)])
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE, "an oversized body");
    assert!(response.text().await.unwrap().contains("too large"));

    let malformed = browser
        .client
        .post(browser.url("/account/licences/not-a-number/delete"))
        .header("Origin", &browser.base)
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert!(malformed.status().is_client_error(), "a malformed path: {}", malformed.status());

    let not_utf8 = browser
        .client
        .post(browser.url("/sign-in"))
        .header("Origin", &browser.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={token}&email=%FF%FE&password=x"))
        .send()
        .await
        .unwrap();
    assert!(not_utf8.status().is_client_error(), "bytes that are not UTF-8: {}", not_utf8.status());

    let wrong_type = browser
        .client
        .post(browser.url("/sign-up"))
        .header("Origin", &browser.base)
        .header("X-CSRF-Token", &token)
        .json(&serde_json::json!({"name": "A", "email": "json@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "a form sent as JSON");
    assert!(wrong_type.text().await.unwrap().contains("Content type"), "the reason is given");
    assert_eq!(account_count(&app).await, 0, "nothing written");
}

#[tokio::test]
async fn pages_are_escaped_compressed_and_in_the_chosen_language() {
    let app = TestApp::spawn().await;
    let browser = app.sign_up("<script>alert(1)</script> Osei", "osei@example.org").await;
    let page = browser.get_text("/account").await;
    assert!(!page.contains("<script>alert(1)</script>"), "typed markup is escaped");
    assert!(page.contains("&lt;script&gt;"), "and shown as text");
    let document = html(&page);
    assert!(texts(&document, "script").is_empty(), "no script element at all");
    for form in document.select(&scraper::Selector::parse("form[method=post]").unwrap()) {
        let token = scraper::Selector::parse("input[name=csrf_token]").unwrap();
        assert!(form.select(&token).next().is_some(), "every form carries the CSRF token");
    }

    let compressed =
        browser.client.get(browser.url("/")).header("Accept-Encoding", "br").send().await.unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "br", "brotli when asked");
    let gzip = browser.client.get(browser.url("/")).header("Accept-Encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip", "gzip when asked");

    let anonymous = app.browser();
    let french = anonymous
        .client
        .get(anonymous.url("/"))
        .header("Accept-Language", "fr-CI,fr;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert!(french.text().await.unwrap().contains("lang=\"fr\""), "French from Accept-Language");
    let response = anonymous.post_form("/language", &[("lang", "en"), ("back", "/sign-in")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/sign-in");
    let english =
        anonymous.client.get(anonymous.url("/")).header("Accept-Language", "fr").send().await.unwrap();
    assert!(
        english.text().await.unwrap().contains("lang=\"en\""),
        "the picked language wins over the header"
    );
    let escape = anonymous.post_form("/language", &[("lang", "en"), ("back", "//evil.example")]).await;
    assert_eq!(escape.headers()["location"], "/", "no open redirect");

    // Anonymous pages pick the language by GET (a cookie, nothing stored) and hold no token.
    let visitor = app.browser();
    let response = visitor.get("/courses/hand-hygiene/lessons/why-hands-matter").await;
    assert!(response.headers().get("set-cookie").is_none(), "a public page sets no cookie");
    let page = response.text().await.unwrap();
    assert!(!page.contains("csrf_token"), "a public page holds nothing of its visitor");
    let picked = visitor.get("/language?lang=fr&back=/courses").await;
    assert_eq!(picked.status(), StatusCode::SEE_OTHER);
    assert_eq!(picked.headers()["location"], "/courses");
    assert!(visitor.get_text("/courses").await.contains("lang=\"fr\""), "French picked by GET");
    let escape = visitor.get("/language?lang=fr&back=https://evil.example").await;
    assert_eq!(escape.headers()["location"], "/", "no open redirect");
    let page = browser.get_text("/courses").await;
    let document = html(&page);
    let post = scraper::Selector::parse("form.language[method=post] input[name=csrf_token]").unwrap();
    assert!(document.select(&post).next().is_some(), "signed in, the choice is a POST with a token");
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    assert_eq!(browser.get_text("/healthz").await, "ok\n");
    assert_eq!(browser.get_text("/readyz").await, "ready\n");
    browser.get("/").await;
    let metrics = browser.get_text("/metrics").await;
    assert!(metrics.contains("http_requests_total"), "request counts");
    assert!(metrics.contains("http_request_duration_seconds_bucket"), "latency histograms");
    assert!(metrics.contains("route=\"/\""), "labelled by route pattern");
    assert!(metrics.contains("outbox_pending"), "the outbox depth");
}

#[tokio::test]
async fn the_stylesheet_is_cached_for_a_year_under_a_hashed_name() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let page = browser.get_text("/").await;
    let href = page.split("href=\"/static/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert!(href.starts_with("style-") && href.ends_with(".css"), "{href}");
    let response = browser
        .client
        .get(browser.url(&format!("/static/{href}")))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(
        browser.get("/static/style-0000.css").await.status(),
        StatusCode::NOT_FOUND,
        "an old name is gone"
    );
}
