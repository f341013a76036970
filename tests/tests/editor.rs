//! Authors write a course in the browser: create it, add and order modules and lessons, write
//! a lesson with a preview, add a quiz, and send it to review; a reviewer publishes it. Edits
//! obey the package rules, name the field or the line, and never touch a published version.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern_tests::{Browser, TestApp, html, texts};
use reqwest::StatusCode;

const ORG: &str = "/orgs/eanma/courses";
const DRAFT: &str = "/orgs/eanma/courses/wound-care/versions/1";

async fn team(app: &TestApp, admin: &Browser) -> (Browser, Browser) {
    let author = app.sign_up("Amina Author", "amina@example.org").await;
    app.join(admin, &author, "amina@example.org", "eanma", "author").await;
    let reviewer = app.sign_up("Rashid Reviewer", "rashid@example.org").await;
    app.join(admin, &reviewer, "rashid@example.org", "eanma", "reviewer").await;
    (author, reviewer)
}

/// The fingerprint a page's forms carry.
fn base(page: &str) -> String {
    let document = html(page);
    let selector = scraper::Selector::parse("input[name=base]").unwrap();
    document.select(&selector).next().expect("a base field").value().attr("value").unwrap().to_owned()
}

fn details<'a>(slug: &'a str, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("title", title),
        ("summary", "Clean, assess and dress a wound at a health centre."),
        ("language", "en"),
        ("professions", "nurse"),
        ("professions", "clinical-officer"),
        ("topics", "wound-care, infection-prevention"),
        ("minutes", "40"),
        ("credits", "1.5"),
        ("licence", "CC-BY-SA-4.0"),
        ("objectives", "Assess a wound\nChoose a dressing"),
    ]
}

async fn outline(author: &Browser, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = author.get_text(DRAFT).await;
    let base = base(&page);
    let mut all = vec![("base", base.as_str())];
    all.extend_from_slice(fields);
    author.post_form(&format!("{DRAFT}/outline"), &all).await
}

#[tokio::test]
async fn an_author_writes_a_course_in_the_browser_and_a_reviewer_publishes_it() {
    let app = TestApp::spawn().await;
    let admin = app.platform_admin("admin@example.org").await;
    let (author, reviewer) = team(&app, &admin).await;

    // Bad details: each named at its field, nothing created.
    let mut bad = details("Wound Care!", "Wound care");
    bad.retain(|(k, _)| *k != "professions");
    bad.push(("minutes", "soon"));
    bad.retain(|(k, v)| !(*k == "minutes" && *v == "40"));
    let response = author.post_form(&format!("{ORG}/new"), &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    let errors = texts(&html(&page), ".field.invalid .error");
    for field in ["slug", "professions", "minutes"] {
        assert!(errors.iter().any(|e| e.starts_with(field)), "{field} named: {errors:?}");
    }
    assert!(page.contains("Wound care"), "what was typed is kept");
    assert_eq!(app.state.courses.count().await.unwrap(), 6, "nothing created");

    let response = author.post_form(&format!("{ORG}/new"), &details("wound-care", "Wound care")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], format!("{DRAFT}?notice=created"));
    let taken = author.post_form(&format!("{ORG}/new"), &details("hand-hygiene", "Again")).await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY, "a slug in use is refused");

    // The outline: a second module, lessons added and moved.
    assert_eq!(
        outline(&author, &[("op", "add-module"), ("title", "Dressings")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let added =
        outline(&author, &[("op", "add-lesson"), ("module", "0"), ("title", "Cleaning a wound")]).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    outline(&author, &[("op", "lesson-up"), ("lesson", "cleaning-a-wound")]).await;
    let page = author.get_text(DRAFT).await;
    let lessons = texts(&html(&page), "ol.edit-list li a");
    assert_eq!(lessons, ["Cleaning a wound", "Wound care", "Dressings"]);
    outline(&author, &[("op", "module-up"), ("module", "1")]).await;
    let lessons = texts(&html(&author.get_text(DRAFT).await), "ol.edit-list li a");
    assert_eq!(lessons, ["Dressings", "Cleaning a wound", "Wound care"]);
    let refused = outline(&author, &[("op", "remove-lesson"), ("lesson", "dressings")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "a module keeps at least one lesson");
    assert!(refused.text().await.unwrap().contains("at least one lesson"));

    // A lesson: raw HTML is refused by line, a preview renders without saving, then a save.
    let lesson_url = format!("{DRAFT}/lessons/cleaning-a-wound");
    let page = author.get_text(&lesson_url).await;
    let base_value = base(&page);
    let text =
        "Clean from the centre outwards.\n\n<script>alert(1)</script>\n\n> [!WARNING]\n> Never reuse gauze.";
    let fields = [
        ("base", base_value.as_str()),
        ("title", "Cleaning a wound"),
        ("address", "cleaning-a-wound"),
        ("minutes", "8"),
        ("markdown", text),
        ("action", "preview"),
    ];
    let response = author.post_form(&lesson_url, &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Text (Markdown), line 3: raw HTML"), "the problem at its line in the text box");
    let clean = text.replace("<script>alert(1)</script>\n\n", "");
    let mut fields = fields.to_vec();
    fields[4] = ("markdown", clean.as_str());
    let preview = author.post_form(&lesson_url, &fields).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let page = preview.text().await.unwrap();
    assert_eq!(texts(&html(&page), ".preview aside.callout").len(), 1, "the callout rendered");
    let stored = app
        .state
        .courses
        .outline_of_version(course(&app, "wound-care").await, version_id(&app, "wound-care", 1).await)
        .await
        .unwrap();
    assert_eq!(stored.modules[1].lessons[0].minutes, 5, "a preview saves nothing");
    fields[5] = ("action", "save");
    fields[2] = ("address", "wound-cleaning");
    let saved = author.post_form(&lesson_url, &fields).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved.headers()["location"], format!("{DRAFT}/lessons/wound-cleaning?notice=saved"));
    let page = author.get_text(&format!("{DRAFT}/lessons/wound-cleaning")).await;
    assert!(page.contains("Never reuse gauze."), "the saved text");

    // A form opened before that save is stale now.
    let stale = author
        .post_form(
            &format!("{DRAFT}/outline"),
            &[("base", &base_value), ("op", "add-module"), ("title", "X")],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);

    // Every module gets a quiz from the template, written in the course's true/false words.
    for module in ["0", "1"] {
        let quiz_url = format!("{DRAFT}/modules/{module}/quiz");
        let page = author.get_text(&quiz_url).await;
        let text: String = texts(&html(&page), "textarea").concat();
        assert!(text.contains("true_false"), "{text}");
        let broken = text.replace("correct = true", "correct = false");
        let response = author
            .post_form(&quiz_url, &[("base", &base(&page)), ("text", &broken), ("action", "save")])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("exactly two options, one correct"));
        let response =
            author.post_form(&quiz_url, &[("base", &base(&page)), ("text", &text), ("action", "save")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }

    // Review and publication; the learner finds it.
    assert_eq!(author.post_form(&format!("{DRAFT}/submit"), &[]).await.status(), StatusCode::SEE_OTHER);
    let editing_in_review = author.get(&format!("{DRAFT}/details")).await;
    assert_eq!(editing_in_review.status(), StatusCode::CONFLICT, "a version in review is not edited");
    let approved = reviewer.post_form(&format!("{DRAFT}/approve"), &[("comment", "Clear.")]).await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let learner = app.sign_up("Lerato Learner", "lerato@example.org").await;
    let catalogue = learner.get_text("/courses").await;
    assert!(catalogue.contains("Wound care"));
    let lesson = learner.get_text("/courses/wound-care/lessons/wound-cleaning").await;
    assert!(lesson.contains("Never reuse gauze."));

    // Editing the published course starts draft 2; the published lesson does not change.
    let response = author.post_form(&format!("{DRAFT}/draft"), &[]).await;
    assert_eq!(response.headers()["location"], "/orgs/eanma/courses/wound-care/versions/2?notice=drafted");
    let again = author.post_form(&format!("{DRAFT}/draft"), &[]).await;
    assert_eq!(
        again.headers()["location"],
        "/orgs/eanma/courses/wound-care/versions/2?notice=drafted",
        "one draft at a time"
    );
    let second = "/orgs/eanma/courses/wound-care/versions/2/lessons/wound-cleaning";
    let page = author.get_text(second).await;
    let edited = clean.replace("gauze", "a gauze swab");
    let fields = [
        ("base", base(&page)),
        ("title", "Cleaning a wound".into()),
        ("address", "wound-cleaning".into()),
        ("minutes", "8".into()),
        ("markdown", edited),
        ("clinical_change", "Swabs, not gauze, per the 2026 guideline.".into()),
        ("action", "save".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(author.post_form(second, &fields).await.status(), StatusCode::SEE_OTHER);
    let lesson = learner.get_text("/courses/wound-care/lessons/wound-cleaning").await;
    assert!(lesson.contains("Never reuse gauze."), "learners keep the published text");
}

#[tokio::test]
async fn an_author_of_another_association_cannot_open_the_editor() {
    let app = TestApp::spawn().await;
    let admin = app.platform_admin("admin@example.org").await;
    let (author, _) = team(&app, &admin).await;
    author.post_form(&format!("{ORG}/new"), &details("wound-care", "Wound care")).await;
    let other = app.sign_up("Oumar Author", "oumar@example.org").await;
    app.join(&admin, &other, "oumar@example.org", "ainfao", "author").await;
    assert_eq!(other.get(&format!("{DRAFT}/details")).await.status(), StatusCode::FORBIDDEN);
    let response = other
        .post_form(&format!("{DRAFT}/outline"), &[("base", "x"), ("op", "add-module"), ("title", "Mine")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Their own association's address cannot reach it either.
    assert_eq!(
        other.get("/orgs/ainfao/courses/wound-care/versions/1/details").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn course(app: &TestApp, slug: &str) -> lantern::courses::entity::course::Model {
    use lantern::courses::entity::course;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    course::Entity::find()
        .filter(course::Column::Slug.eq(slug))
        .one(app.state.db.read())
        .await
        .unwrap()
        .unwrap()
}

async fn version_id(app: &TestApp, slug: &str, number: i32) -> i32 {
    use lantern::courses::entity::course_version;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let course = course(app, slug).await;
    course_version::Entity::find()
        .filter(course_version::Column::CourseId.eq(course.id))
        .filter(course_version::Column::Number.eq(number))
        .one(app.state.db.read())
        .await
        .unwrap()
        .unwrap()
        .id
}
