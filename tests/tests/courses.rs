//! Courses as a learner meets them: the demo content imported at first start, the catalogue and
//! its filters, course and lesson pages within the phone budget, media, and package imports
//! that are all or nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::content;
use lantern_tests::{TestApp, html, texts};
use reqwest::StatusCode;
use std::io::Write;

#[tokio::test]
async fn the_demo_courses_are_in_the_catalogue_and_filter_by_language_and_profession() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let page = browser.get_text("/courses").await;
    let titles = texts(&html(&page), "h2.card-title");
    assert!(titles.len() >= 6, "six demo courses: {titles:?}");
    assert!(titles.iter().any(|t| t.contains("Prévention")), "the French course is listed");

    let french = texts(&html(&browser.get_text("/courses?language=fr").await), "h2.card-title");
    assert_eq!(french.len(), 1, "{french:?}");
    let pharmacists =
        texts(&html(&browser.get_text("/courses?profession=pharmacist").await), "h2.card-title");
    assert_eq!(pharmacists.len(), 1, "only the burnout course names pharmacists: {pharmacists:?}");
    let nothing = browser.get_text("/courses?topic=no-such-topic").await;
    assert!(
        texts(&html(&nothing), "h2.card-title").is_empty(),
        "an unknown filter value shows nothing, not an error"
    );
}

#[tokio::test]
async fn a_course_page_lists_objectives_lessons_and_credits() {
    let app = TestApp::spawn().await;
    let page = app.browser().get_text("/courses/hand-hygiene").await;
    let document = html(&page);
    assert!(texts(&document, "h1")[0].contains("hand hygiene"), "title");
    assert!(page.contains("1 CPD credits") || page.contains("CPD credits"), "credits shown");
    let lessons = texts(&document, "section.card ol li a");
    assert_eq!(lessons.len(), 5, "{lessons:?}");
    assert_eq!(app.browser().get("/courses/no-such-course").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_lesson_shows_sanitised_html_callouts_images_and_answers_304_when_unchanged() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let response = browser.get("/courses/hand-hygiene/lessons/the-five-moments").await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let page = response.text().await.unwrap();
    let document = html(&page);
    assert!(!texts(&document, "aside.callout").is_empty(), "callouts rendered");
    assert!(texts(&document, "script").is_empty(), "no script");
    let selector = scraper::Selector::parse("article img").unwrap();
    let image = document.select(&selector).next().expect("the five-moments diagram");
    assert!(image.value().attr("alt").is_some_and(|a| a.len() > 10), "alt text kept");
    assert_eq!(image.value().attr("loading"), Some("lazy"));
    let src = image.value().attr("src").unwrap().to_owned();
    assert!(src.starts_with("/media/"), "{src}");
    let media = browser.get(&src).await;
    assert_eq!(media.status(), StatusCode::OK);
    assert_eq!(media.headers()["content-type"], "image/png");
    assert_eq!(media.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(media.bytes().await.unwrap().starts_with(b"\x89PNG"), "the image's bytes");
    assert_eq!(browser.get("/media/0000").await.status(), StatusCode::NOT_FOUND);

    let again = browser
        .client
        .get(browser.url("/courses/hand-hygiene/lessons/the-five-moments"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "a repeat visit costs no body");
    assert!(page.contains("rel=\"next\""), "a link to the next lesson");
    assert_eq!(
        browser.get("/courses/hand-hygiene/lessons/no-such-lesson").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_demo_lesson_fits_the_phone_budget_with_its_stylesheet() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let home = browser.get_text("/").await;
    let css_path = home
        .split("href=\"")
        .find(|s| s.starts_with("/static/"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let css =
        browser.client.get(browser.url(&css_path)).header("Accept-Encoding", "gzip").send().await.unwrap();
    // reqwest is built without decompression, so these are the bytes on the wire.
    let css_bytes = css.bytes().await.unwrap().len();
    let catalogue = browser.get_text("/courses").await;
    let courses: Vec<String> = catalogue
        .split("href=\"/courses/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| !s.contains('?'))
        .map(str::to_owned)
        .collect();
    let mut sizes = Vec::new();
    for course in courses {
        let page = browser.get_text(&format!("/courses/{course}")).await;
        let lessons: Vec<String> = page
            .split(&format!("href=\"/courses/{course}/lessons/"))
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .map(str::to_owned)
            .collect();
        for lesson in lessons {
            let path = format!("/courses/{course}/lessons/{lesson}");
            let response = browser
                .client
                .get(browser.url(&path))
                .header("Accept-Encoding", "br, gzip")
                .send()
                .await
                .unwrap();
            assert_eq!(response.headers()["content-encoding"], "br", "{path} compressed");
            let bytes = response.bytes().await.unwrap().len();
            sizes.push((bytes + css_bytes, path));
        }
    }
    sizes.sort();
    assert!(sizes.len() >= 30, "{} lessons", sizes.len());
    let (largest, path) = sizes.last().unwrap();
    println!(
        "lesson pages with stylesheet: median {} bytes, largest {largest} ({path})",
        sizes[sizes.len() / 2].0
    );
    assert!(*largest <= 14_000, "{path} is {largest} bytes with its stylesheet");
}

#[tokio::test]
async fn importing_the_same_package_again_changes_nothing() {
    let app = TestApp::spawn().await;
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/courses/safe-medication");
    let report = content::import(&app.state, &folder).await.expect("import");
    assert_eq!((report.courses_published, report.courses_unchanged), (0, 1));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn a_malformed_package_is_refused_whole_with_every_problem_and_nothing_written() {
    let app = TestApp::spawn().await;
    let before = app.state.courses.count().await.unwrap();
    let temp = tempfile::tempdir().unwrap();
    let package = temp.path().join("hand-hygiene-copy");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/courses/hand-hygiene"),
        &package,
    );
    let course = std::fs::read_to_string(package.join("course.toml")).unwrap();
    let course = course
        .replace("slug = \"hand-hygiene\"", "slug = \"hand-hygiene-copy\"")
        .replace("\"nurse\"", "\"nurze\"");
    std::fs::write(package.join("course.toml"), course).unwrap();
    let mut quiz = std::fs::OpenOptions::new().append(true).open(package.join("quiz.toml")).unwrap();
    writeln!(quiz, "\n[[questions]]\nkind = \"single\"\nprompt = \"Which?\"\n[[questions.options]]\ntext = \"a\"\ncorrect = false\nfeedback = \"no\"").unwrap();
    let error = content::import(&app.state, &package).await.expect_err("refused");
    let message = error.to_string();
    assert!(
        message.contains("course.toml:") && message.contains("\"nurze\" is not a known profession"),
        "{message}"
    );
    assert!(
        message.contains("quiz.toml:") && message.contains("exactly 1 is required")
            || message.contains("3 to 5"),
        "{message}"
    );
    assert_eq!(app.state.courses.count().await.unwrap(), before, "nothing written");
}
