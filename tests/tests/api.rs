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
