//! Course packs: a published version downloaded as one zip that opens from local storage, and
//! taken by another Lantern through `lantern import` once every checksum matches.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::content;
use lantern_tests::TestApp;
use reqwest::StatusCode;
use std::collections::BTreeMap;
use std::io::{Read, Write};

const SLUG: &str = "hand-hygiene-shared";

/// Publishes a copy of the hand-hygiene demo under another slug, which a fresh server lacks.
async fn publish_copy(app: &TestApp) {
    let mut package = app.state.courses.export("hand-hygiene").await.unwrap();
    package.slug = SLUG.into();
    package.title = "Hand hygiene (shared copy)".into();
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(SLUG);
    let files = lantern::courses::package::write(&package).unwrap();
    lantern::courses::package::write_to_dir(&files, &dir).unwrap();
    let report = content::import(&app.state, &dir).await.unwrap();
    assert_eq!(report.courses_published, 1, "the copy is published");
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        files.insert(entry.name().unwrap().into_owned(), content);
    }
    files
}

fn zip(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (path, bytes) in files {
        writer.start_file(path.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap();
    buffer.into_inner()
}

#[tokio::test]
async fn a_downloaded_pack_opens_without_a_server_and_imports_into_another_lantern() {
    let app = TestApp::spawn().await;
    publish_copy(&app).await;
    let browser = app.browser();

    let course = browser.get_text(&format!("/courses/{SLUG}")).await;
    assert!(
        course.contains(&format!("href=\"/courses/{SLUG}/pack.zip\"")),
        "the course page offers the pack"
    );

    let response = browser.get(&format!("/courses/{SLUG}/pack.zip")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{SLUG}-v1.zip\"").as_str()
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = response.bytes().await.unwrap().to_vec();
    let again = browser.get(&format!("/courses/{SLUG}/pack.zip")).await.bytes().await.unwrap();
    assert_eq!(bytes, again.to_vec(), "the same version gives the same bytes");
    let cached = browser
        .client
        .get(browser.url(&format!("/courses/{SLUG}/pack.zip")))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED, "a second download of the same pack costs nothing");

    // To look at the pack by eye: LANTERN_PACK_OUT=/tmp/pack.zip cargo test -p lantern-tests --test packs
    if let Ok(out) = std::env::var("LANTERN_PACK_OUT") {
        std::fs::write(out, &bytes).unwrap();
    }
    let files = unzip(&bytes);
    let lessons: Vec<_> = files.keys().filter(|p| p.starts_with("lessons/")).collect();
    assert_eq!(lessons.len(), 5, "{lessons:?}");
    assert!(files.keys().any(|p| p.starts_with("media/") && p.ends_with(".webp")), "the image variants");
    for (path, content) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(content);
        assert!(!text.contains("\"/"), "{path}: every address is relative");
        assert!(!text.contains("<script"), "{path}: no script");
    }
    let page = String::from_utf8_lossy(&files["lessons/the-five-moments.html"]);
    assert!(page.contains("srcset=\"../media/"), "the diagram's WebP variant is in the pack: {page}");
    assert!(
        page.contains("src=\"../package/media/five-moments.png\""),
        "its original is the package's: {page}"
    );

    // Another clinic's server takes the course from the pack.
    let other = TestApp::spawn().await;
    assert_eq!(other.browser().get(&format!("/courses/{SLUG}")).await.status(), StatusCode::NOT_FOUND);
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join(format!("{SLUG}-v1.zip"));
    std::fs::write(&path, &bytes).unwrap();
    let report = content::import(&other.state, &path).await.expect("the pack imports");
    assert_eq!(report.courses_published, 1);
    let visitor = other.browser();
    let outline = visitor.get_text(&format!("/courses/{SLUG}")).await;
    assert!(outline.contains("Hand hygiene (shared copy)"), "the course is there");
    let lesson = visitor.get(&format!("/courses/{SLUG}/lessons/the-five-moments")).await;
    assert_eq!(lesson.status(), StatusCode::OK, "with its lessons");
    assert!(lesson.text().await.unwrap().contains("src=\"/media/"), "rendered by the importing server");
    let report = content::import(&other.state, &path).await.unwrap();
    assert_eq!(report.courses_unchanged, 1, "the same pack twice changes nothing");

    // A damaged card: one byte of a lesson page changed.
    let mut damaged = files.clone();
    let page = damaged.get_mut("lessons/the-five-moments.html").unwrap();
    page[300] ^= 0x20;
    let path = temp.path().join("damaged.zip");
    std::fs::write(&path, zip(&damaged)).unwrap();
    let error = content::import(&other.state, &path).await.expect_err("refused").to_string();
    assert!(error.contains("lessons/the-five-moments.html"), "the damaged file is named: {error}");
    assert!(error.contains("damaged"), "{error}");
}
