//! Search over the demo content: named queries find their lesson first (a misspelt word, a
//! French query, a profession filter, a phrase); nonsense gets a sensible answer, never a 500; a
//! course published through one server is found through another within two seconds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern_tests::{TestApp, html, texts};
use reqwest::StatusCode;

/// The addresses of the results, in order.
async fn found(app: &TestApp, query: &str) -> Vec<String> {
    let json: serde_json::Value =
        app.browser().get(&format!("/api/v1/search?{query}")).await.json().await.unwrap();
    json["hits"].as_array().unwrap().iter().map(|h| h["url"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn named_queries_find_their_lesson_first() {
    let app = TestApp::spawn().await;
    let first = |urls: Vec<String>| urls.into_iter().next().unwrap_or_default();
    assert_eq!(first(found(&app, "q=five+moments").await), "/courses/hand-hygiene/lessons/the-five-moments");
    let misspelt = first(found(&app, "q=medicaton+erors").await);
    assert!(misspelt.starts_with("/courses/safe-medication"), "two misspelt words: {misspelt}");
    assert_eq!(
        first(found(&app, "q=%22golden+minute%22").await),
        "/courses/newborn-first-hour/lessons/the-golden-minute",
        "a phrase"
    );
    let french = app
        .browser()
        .client
        .get(app.browser().url("/api/v1/search?q=hygiene+des+mains"))
        .header("Accept-Language", "fr")
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(french["hits"][0]["url"], "/courses/prevention-infections/lessons/hygiene-des-mains");
    assert_eq!(french["hits"][0]["language"], "fr", "the searcher's language first");
    let pharmacists = found(&app, "q=stress&profession=pharmacist").await;
    assert!(!pharmacists.is_empty());
    // The burnout course and the wellbeing competencies that apply to pharmacists.
    let courses_or_competencies = |u: &String| {
        u.starts_with("/courses/burnout-health-workers")
            || u.starts_with("/frameworks/primary-care-nursing-midwifery#")
    };
    assert!(pharmacists.iter().all(courses_or_competencies), "{pharmacists:?}");
    assert!(pharmacists.iter().any(|u| u.ends_with("#WEL.1")), "{pharmacists:?}");
    assert_eq!(first(found(&app, "q=hemorragia").await).split('/').nth(2), Some("hemorragia-posparto"));
}

#[tokio::test]
async fn the_page_works_without_script_with_facets_snippets_and_pages() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let page = browser.get_text("/search?q=hands").await;
    let document = html(&page);
    assert!(!texts(&document, "ol.results h2 a").is_empty(), "results");
    assert!(!texts(&document, "ol.results mark").is_empty(), "matched words marked");
    assert!(texts(&document, "script").is_empty());
    let chips = texts(&document, ".facet a.chip");
    assert!(chips.iter().any(|c| c.starts_with("Lesson")), "{chips:?}");
    let next = browser.get_text("/search?q=the&page=2").await;
    assert!(next.contains("start=\"11\""), "page 2 numbers from 11");
    let compressed = browser
        .client
        .get(browser.url("/search?q=hand+hygiene"))
        .header("Accept-Encoding", "br")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(compressed.len() < 14_000, "within the page budget: {} bytes", compressed.len());
}

#[tokio::test]
async fn nonsense_gets_a_sensible_answer_never_a_500() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let long = "a".repeat(10 * 1024);
    for query in [
        "",
        "q=",
        "q=%22",
        "q=(",
        "q=%3A",
        "q=AND",
        "q=title%3Ahands",
        "q=hands+OR+(feet",
        "q=hands&kind=nope&profession=astronaut&topic=%00&language=xx",
        "q=hands&page=999999",
        "q=hands&page=-1",
        "q=hands&page=abc",
        &format!("q={long}"),
    ] {
        let response = browser.get(&format!("/search?{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query:.80}");
        let api = browser.get(&format!("/api/v1/search?{query}")).await;
        assert_eq!(api.status(), StatusCode::OK, "{query:.80}");
        let json: serde_json::Value = api.json().await.unwrap();
        assert!(json["total"].is_u64());
    }
    let empty: serde_json::Value = browser.get("/api/v1/search?q=").await.json().await.unwrap();
    assert_eq!(empty["total"], 0, "an empty query finds nothing");
    let past: serde_json::Value = browser.get("/api/v1/search?q=hands&page=500").await.json().await.unwrap();
    assert!(past["total"].as_u64().unwrap() > 0 && past["hits"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_course_published_through_one_server_is_found_through_another_within_two_seconds() {
    let first = TestApp::spawn().await;
    let second = TestApp::spawn_with(|config| {
        config.database_url = first.database_url.clone();
    })
    .await;
    assert!(found(&second, "q=sterile+dressing+technique").await.is_empty());

    // An operator imports a new course through the first server's database.
    let mut package = first.state.courses.export("hand-hygiene").await.unwrap();
    package.slug = "wound-dressing".into();
    package.title = "Sterile dressing technique".into();
    first.state.courses.import_package(&package, None).await.unwrap();

    let started = std::time::Instant::now();
    loop {
        if found(&second, "q=sterile+dressing+technique").await.first().map(String::as_str)
            == Some("/courses/wound-dressing")
        {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "not found through the other server in 2 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_missing_index_is_rebuilt_from_the_database() {
    let app = TestApp::spawn().await;
    let dir = app.data_dir.join("index-copy");
    let search = lantern::search::Search::open(
        &dir,
        app.state.db.clone(),
        (app.state.courses.clone(), app.state.competencies.clone(), app.state.mentoring.clone()),
    )
    .unwrap();
    assert!(search.is_empty(), "a new folder starts empty");
    search.catch_up().await.unwrap();
    assert!(search.len() > 30, "every course and lesson: {}", search.len());
}
