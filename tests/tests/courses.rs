//! Courses as a learner meets them: the demo content imported at first start, the catalogue and
//! its filters, course and lesson pages within the phone budget, media, and package imports
//! that are all or nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::content;
use lantern_tests::{TestApp, answers, complete, html, texts, zip_package};
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
    let css = browser
        .client
        .get(browser.url(&css_path))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .unwrap();
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

#[tokio::test]
async fn a_learner_enrols_reads_every_lesson_fails_the_quiz_passes_on_retry_and_completes() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Nia Wambui", "nia@example.org").await;
    assert_eq!(learner.post_form("/courses/hand-hygiene/enrol", &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(learner.get_text("/courses/hand-hygiene").await.contains("0% read"));

    let page = learner.get_text("/courses/hand-hygiene").await;
    let mut lessons: Vec<String> = Vec::new();
    for slug in
        page.split("href=\"/courses/hand-hygiene/lessons/").skip(1).filter_map(|s| s.split('"').next())
    {
        if !lessons.iter().any(|l| l == slug) {
            lessons.push(slug.to_owned());
        }
    }
    assert_eq!(lessons.len(), 5);
    let mut last = String::new();
    for lesson in &lessons {
        let response =
            learner.post_form(&format!("/courses/hand-hygiene/lessons/{lesson}/complete"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        last = response.headers()["location"].to_str().unwrap().to_owned();
    }
    assert!(learner.get_text("/courses/hand-hygiene").await.contains("100% read"));
    let quiz = {
        let page = learner.get_text("/courses/hand-hygiene").await;
        page.split("href=\"/courses/hand-hygiene/quizzes/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    assert!(last.contains("/quizzes/"), "after the last lesson comes the quiz: {last}");

    // First attempt: every answer wrong.
    let response = learner.post_form(&format!("/courses/hand-hygiene/quizzes/{quiz}/attempts"), &[]).await;
    let attempt = response.headers()["location"].to_str().unwrap().to_owned();
    let page = learner.get_text(&attempt).await;
    let wrong = answers(&app, &page, false).await;
    let fields: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(learner.post_form(&attempt, &fields).await.status(), StatusCode::SEE_OTHER);
    let result = learner.get_text(&attempt).await;
    assert!(result.contains("You scored 0%") && result.contains("Try again"), "failed with feedback");
    assert!(
        html(&result).select(&scraper::Selector::parse("p.feedback").unwrap()).count() > 0,
        "feedback per option"
    );
    assert!(!learner.get_text("/courses/hand-hygiene").await.contains("completed this course"));

    // Second attempt, in a fresh order: every answer right.
    let response = learner.post_form(&format!("/courses/hand-hygiene/quizzes/{quiz}/attempts"), &[]).await;
    let second = response.headers()["location"].to_str().unwrap().to_owned();
    assert_ne!(second, attempt, "a new attempt");
    let page = learner.get_text(&second).await;
    let right = answers(&app, &page, true).await;
    let fields: Vec<(&str, &str)> = right.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    learner.post_form(&second, &fields).await;
    let result = learner.get_text(&second).await;
    assert!(result.contains("You scored 100%") && result.contains("you passed"), "passed");
    // A double tap changes nothing.
    learner.post_form(&second, &[]).await;
    assert!(learner.get_text(&second).await.contains("You scored 100%"), "the recorded result stands");

    assert!(learner.get_text("/courses/hand-hygiene").await.contains("You have completed this course"));
    assert!(learner.get_text("/learning").await.contains("completed on"), "My learning shows the completion");

    // Nobody else can see the attempt.
    let other = app.sign_up("Other Learner", "other-learner@example.org").await;
    other.post_form("/courses/hand-hygiene/enrol", &[]).await;
    assert_eq!(other.get(&second).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.post_form(&second, &fields).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unenrolled_or_anonymous_visitor_cannot_record_progress() {
    let app = TestApp::spawn().await;
    let anonymous = app.browser();
    assert_eq!(
        anonymous.post_form("/courses/hand-hygiene/lessons/why-hands-matter/complete", &[]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let learner = app.sign_up("Not Enrolled", "not-enrolled@example.org").await;
    assert_eq!(
        learner.post_form("/courses/hand-hygiene/lessons/why-hands-matter/complete", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(learner.get("/courses/hand-hygiene/quizzes/1").await.status(), StatusCode::NOT_FOUND);
    let page = learner.get_text("/courses/hand-hygiene/lessons/why-hands-matter").await;
    assert!(page.contains("Enrol in the course to keep track"), "reading is open; tracking needs enrolment");
}

#[tokio::test]
async fn an_exported_course_imports_back_exactly() {
    let app = TestApp::spawn().await;
    let temp = tempfile::tempdir().unwrap();
    for slug in [
        "hand-hygiene",
        "newborn-first-hour",
        "burnout-health-workers",
        "safe-medication",
        "prevention-infections",
        "hemorragia-posparto",
    ] {
        let package = app.state.courses.export(slug).await.expect("exported");
        let files = lantern::courses::package::write(&package).unwrap();
        let dir = temp.path().join(slug);
        lantern::courses::package::write_to_dir(&files, &dir).unwrap();
        let report = content::import(&app.state, &dir).await.expect("re-import");
        assert_eq!(
            (report.courses_published, report.courses_unchanged),
            (0, 1),
            "{slug}: import of its export changes nothing"
        );
        let original = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/courses").join(slug);
        let shipped =
            lantern::courses::package::PackageFiles::from_dir(&original, Default::default()).unwrap();
        let shipped = lantern::courses::package::parse(&shipped, Some(slug)).unwrap();
        assert_eq!(
            package.fingerprint(),
            shipped.fingerprint(),
            "{slug}: the export says what the shipped package says"
        );
    }
}

async fn upload(browser: &lantern_tests::Browser, bytes: Vec<u8>) -> reqwest::Response {
    browser.post_multipart("/orgs/eanma/courses", &[], ("package", "hand-hygiene.zip", bytes)).await
}

#[tokio::test]
async fn a_new_version_is_uploaded_reviewed_by_someone_else_published_and_completers_are_told_what_changed() {
    let app = TestApp::spawn().await;
    let admin = app.platform_admin("root@example.org").await;
    let author = app.sign_up("Abena Author", "abena@example.org").await;
    app.join(&admin, &author, "abena@example.org", "eanma", "author").await;
    app.join(&admin, &author, "abena@example.org", "eanma", "reviewer").await;
    let reviewer = app.sign_up("Rashid Reviewer", "rashid@example.org").await;
    app.join(&admin, &reviewer, "rashid@example.org", "eanma", "reviewer").await;
    let finished = app.sign_up("Fola Finished", "fola@example.org").await;
    complete(&app, &finished, "hand-hygiene").await;
    let midway = app.sign_up("Mo Midway", "mo@example.org").await;
    midway.post_form("/courses/hand-hygiene/enrol", &[]).await;
    for lesson in ["why-hands-matter", "how-germs-travel-on-hands"] {
        midway.post_form(&format!("/courses/hand-hygiene/lessons/{lesson}/complete"), &[]).await;
    }

    // A malformed upload is refused whole with its problems listed.
    let mut broken = app.state.courses.export("hand-hygiene").await.unwrap();
    broken.professions = vec!["astronaut".into()];
    let response = upload(&author, zip_package(&lantern::courses::package::write(&broken).unwrap())).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("course.toml:"), "the problem names the file and line");

    // Version 2 changes a lesson for clinical reasons.
    let mut package = app.state.courses.export("hand-hygiene").await.unwrap();
    let lesson = &mut package.modules[0].lessons[0];
    lesson.markdown.push_str("\n\nUpdated guidance: use handrub for at least 20 seconds.\n");
    lesson.clinical_change = Some("Handrub now takes at least 20 seconds.".into());
    let response = upload(&author, zip_package(&lantern::courses::package::write(&package).unwrap())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let version = response.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    assert!(version.ends_with("/versions/2"), "{version}");
    assert!(author.get_text(&version).await.contains("draft"));

    assert_eq!(author.post_form(&format!("{version}/submit"), &[]).await.status(), StatusCode::SEE_OTHER);
    let own = author.post_form(&format!("{version}/approve"), &[("comment", "looks good")]).await;
    assert_eq!(own.status(), StatusCode::CONFLICT, "a reviewer never approves their own version");
    assert!(own.text().await.unwrap().contains("another reviewer must"));
    let empty = reviewer.post_form(&format!("{version}/return"), &[("comment", " ")]).await;
    assert_eq!(empty.status(), StatusCode::CONFLICT, "returning needs a comment");
    assert_eq!(
        reviewer
            .post_form(&format!("{version}/approve"), &[("comment", "Checked against WHO 2009")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let history = reviewer.get_text(&version).await;
    for step in [
        "uploaded",
        "submitted for review",
        "approved",
        "published",
        "Checked against WHO 2009",
        "Rashid Reviewer",
        "Abena Author",
    ] {
        assert!(history.contains(step), "history shows {step}");
    }

    // Newcomers get version 2; an enrolled learner stays on version 1.
    let newcomer = app.browser().get_text("/courses/hand-hygiene/lessons/why-hands-matter").await;
    assert!(newcomer.contains("at least 20 seconds"), "the new version is published");
    let stays = midway.get_text("/courses/hand-hygiene/lessons/why-hands-matter").await;
    assert!(!stays.contains("at least 20 seconds"), "an enrolled learner keeps their version");

    // Whoever completed version 1 is told what changed, on the page and by email.
    assert!(finished.get_text("/learning").await.contains("Handrub now takes at least 20 seconds."));
    let email = app.email_containing("fola@example.org", "20 seconds").await;
    assert!(email.subject.contains("Clinical update"), "{}", email.subject);
    assert!(!midway.get_text("/learning").await.contains("Handrub now takes"), "only completers are told");

    // Moving to version 2 keeps progress on the unchanged lesson only.
    assert!(
        midway
            .get_text("/courses/hand-hygiene")
            .await
            .contains("A newer version of this course is published")
    );
    assert_eq!(
        midway.post_form("/courses/hand-hygiene/move-to-latest", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = midway.get_text("/courses/hand-hygiene").await;
    assert!(page.contains("20% read"), "one of five lessons carried over");
    assert!(
        midway
            .get_text("/courses/hand-hygiene/lessons/why-hands-matter")
            .await
            .contains("at least 20 seconds"),
        "now on version 2"
    );
}

/// Queries a request costs, the least of five tries (a background worker may query meanwhile).
async fn queries_for(app: &TestApp, browser: &lantern_tests::Browser, path: &str) -> u64 {
    let mut least = u64::MAX;
    for _ in 0..5 {
        let before = app.state.db.queries();
        assert_eq!(browser.get(path).await.status(), StatusCode::OK);
        least = least.min(app.state.db.queries() - before);
    }
    least
}

#[tokio::test]
async fn a_lesson_page_costs_at_most_three_queries_and_none_for_an_anonymous_visitor() {
    let app = TestApp::spawn().await;
    let path = "/courses/hand-hygiene/lessons/the-five-moments";
    let anonymous = app.browser();
    assert_eq!(queries_for(&app, &anonymous, path).await, 0, "served from the page cache");

    let learner = app.sign_up("Query Counter", "queries@example.org").await;
    learner.post_form("/courses/hand-hygiene/enrol", &[]).await;
    learner.post_form(&format!("{path}/complete"), &[]).await;
    let queries = queries_for(&app, &learner, path).await;
    assert!(queries <= 3, "a learner's lesson page ran {queries} queries");
    let page = learner.get_text(path).await;
    assert!(page.contains("✓"), "and still shows the lesson as read");
    let unread = learner.get_text("/courses/hand-hygiene/lessons/why-hands-matter").await;
    assert!(!unread.contains("✓"), "an unread lesson is not marked");
}
