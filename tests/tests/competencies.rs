//! Competencies end to end: the shipped framework, evidence from a completed course, a quiz and
//! a co-signed observation, the profile rule, gaps and the courses that close them, expiry and
//! the reminder before it, framework imports that are all or nothing, consent to share a
//! profile, and an association's aggregated gaps with small groups suppressed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::accounts::entity::{account, membership};
use lantern::competencies::entity::{evidence, framework};
use lantern::platform::clock::Clock;
use lantern_tests::{Browser, PASSWORD, TestApp, complete};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

const FRAMEWORK: &str = "primary-care-nursing-midwifery";

async fn profile(browser: &Browser) -> serde_json::Value {
    let response = browser.get("/api/v1/me/competencies").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn competency<'a>(profile: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    profile["competencies"].as_array().unwrap().iter().find(|c| c["code"] == code).unwrap()
}

async fn account_id(app: &TestApp, email: &str) -> i32 {
    account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(app.state.db.read())
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn the_shipped_framework_is_published_browsable_and_searchable() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    assert!(visitor.get_text("/frameworks").await.contains("Primary care nursing and midwifery"));
    let page = visitor.get_text(&format!("/frameworks/{FRAMEWORK}")).await;
    assert!(page.contains("IPC.1") && page.contains("Rural midwife"), "competencies and roles shown");
    let api: serde_json::Value =
        visitor.get(&format!("/api/v1/frameworks/{FRAMEWORK}")).await.json().await.unwrap();
    assert_eq!(api["framework"]["levels"].as_array().unwrap().len(), 4);
    assert_eq!(visitor.get("/frameworks/no-such-framework").await.status(), StatusCode::NOT_FOUND);

    // Competencies are search documents, and courses are found by the competency they teach.
    let found: serde_json::Value =
        visitor.get("/api/v1/search?q=postpartum+haemorrhage&kind=competency").await.json().await.unwrap();
    assert!(found["hits"][0]["url"].as_str().unwrap().contains("#MAT."), "{found}");
    let teaching: serde_json::Value =
        visitor.get("/api/v1/search?competency=IPC.1&kind=course").await.json().await.unwrap();
    let urls: Vec<&str> =
        teaching["hits"].as_array().unwrap().iter().map(|h| h["url"].as_str().unwrap()).collect();
    assert!(urls.contains(&"/courses/hand-hygiene"), "{urls:?}");
}

#[tokio::test]
async fn evidence_from_a_course_a_quiz_and_an_observation_sets_the_profile_and_closes_gaps() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    let colleague = app.sign_up("Grace Wanjiru", "grace@example.org").await;

    // Nothing yet: every competency at 0, every rural-midwife requirement a gap.
    let before = profile(&learner).await;
    assert_eq!(competency(&before, "IPC.1")["level"], 0);
    let gaps: serde_json::Value =
        learner.get("/api/v1/me/gaps?role=rural-midwife").await.json().await.unwrap();
    assert_eq!(gaps["met"], 0);

    // Completing the course (its quiz answered right) evidences IPC.1 at level 2 twice: the
    // course and the quiz. LEA.3 comes from the course alone.
    complete(&app, &learner, "hand-hygiene").await;
    let after = profile(&learner).await;
    let ipc1 = competency(&after, "IPC.1");
    assert_eq!(ipc1["level"], 2, "{ipc1}");
    assert_eq!(ipc1["evidence"], 2, "course and quiz: {ipc1}");
    assert_eq!(competency(&after, "LEA.3")["level"], 1);

    // The gap page names the gap and links courses that teach it, found through search.
    let page = learner.get_text("/me/competencies/gaps?role=rural-midwife").await;
    assert!(
        page.contains("IPC.1") && page.contains("/search?competency=IPC.1"),
        "gap listed with its courses"
    );
    assert!(page.contains("href=\"/courses/"), "a course suggested for a gap");

    // A colleague observes Amina's practice at level 3. It does not count until she co-signs.
    let today = app.clock.now().format("%Y-%m-%d").to_string();
    let fields = [
        ("learner", "amina@example.org"),
        ("framework", FRAMEWORK),
        ("code", "IPC.1"),
        ("level", "3"),
        ("done", "observation-item-technique"),
        ("observed_on", today.as_str()),
        ("setting", "Maternity ward"),
        ("notes", "All five moments, full technique."),
    ];
    let response = colleague.post_form("/observations", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(competency(&profile(&learner).await, "IPC.1")["level"], 2, "not yet co-signed");
    let page = learner.get_text("/me/competencies").await;
    assert!(page.contains("Observations to co-sign"), "shown to the learner");
    let id = page.split("/observations/").nth(1).and_then(|s| s.split('/').next()).unwrap().to_owned();
    // Only the learner observed can co-sign.
    assert_eq!(
        colleague.post_form(&format!("/observations/{id}/sign"), &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        learner.post_form(&format!("/observations/{id}/sign"), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    // The same through the API: only the learner observed, and again changes nothing.
    let api_sign = |browser: &Browser| {
        let browser = browser.clone();
        let path = format!("/api/v1/me/competencies/observations/{id}/sign");
        async move {
            let token = lantern_tests::make_token(&browser, &["competencies:write"], "1").await;
            let url = browser.url(&path);
            reqwest::Client::new().post(url).bearer_auth(token).send().await.unwrap().status()
        }
    };
    assert_eq!(api_sign(&colleague).await, StatusCode::NOT_FOUND);
    assert_eq!(api_sign(&learner).await, StatusCode::NO_CONTENT);
    let signed = profile(&learner).await;
    let ipc1 = competency(&signed, "IPC.1");
    assert_eq!(
        (ipc1["level"].as_u64(), ipc1["set_by"]["kind"].as_str()),
        (Some(3), Some("observation")),
        "{ipc1}"
    );

    // A self-assessment is shown, never counted.
    let response = learner
        .post_form("/me/competencies/self", &[("framework", FRAMEWORK), ("code", "IPC.1"), ("level", "4")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let rated = profile(&learner).await;
    assert_eq!(
        (competency(&rated, "IPC.1")["level"].as_u64(), competency(&rated, "IPC.1")["self_rated"].as_u64()),
        (Some(3), Some(4))
    );

    // Another course at a lower level later does not lower what is held (the rule, not the order).
    let gaps: serde_json::Value =
        learner.get("/api/v1/me/gaps?role=rural-midwife").await.json().await.unwrap();
    assert_eq!(gaps["met"], 1, "IPC.1 at 3 meets the rural-midwife requirement: {gaps}");
    assert!(gaps["gaps"].as_array().unwrap().iter().all(|g| g["code"] != "IPC.1"));
}

#[tokio::test]
async fn bad_observations_and_self_assessments_are_refused_beside_their_field() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    let today = app.clock.now().format("%Y-%m-%d").to_string();
    app.sign_up("Grace Wanjiru", "grace@example.org").await;
    let base = [
        ("learner", "grace@example.org"),
        ("framework", FRAMEWORK),
        ("code", "IPC.1"),
        ("level", "3"),
        ("observed_on", today.as_str()),
    ];
    for (field, value, expected) in [
        ("learner", "amina@example.org", "someone else"),
        ("learner", "nobody@example.org", "no one with this email"),
        ("level", "9", "choose a level from 1 to 4"),
        ("code", "XYZ.1", "XYZ.1 is not a competency"),
        ("observed_on", "2031-01-01", "not in the future"),
        ("observed_on", "yesterday", "YYYY-MM-DD"),
    ] {
        let mut fields: Vec<(&str, &str)> = base.iter().copied().filter(|(k, _)| *k != field).collect();
        fields.push((field, value));
        let response = learner.post_form("/observations", &fields).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
        assert!(response.text().await.unwrap().contains(expected), "{field}={value}: {expected}");
    }
    let response = learner
        .post_form("/me/competencies/self", &[("framework", FRAMEWORK), ("code", "IPC.1"), ("level", "0")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(evidence::Entity::find().count(app.state.db.read()).await.unwrap(), 0, "nothing written");
}

#[tokio::test]
async fn evidence_files_are_checked_by_content_and_seen_only_by_who_may_see_the_profile() {
    use lantern::competencies::entity::observation;
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    let colleague = app.sign_up("Grace Wanjiru", "grace@example.org").await;
    let stranger = app.sign_up("Juma Stranger", "juma@example.org").await;
    let today = app.clock.now().format("%Y-%m-%d").to_string();
    let fields = [
        ("learner", "amina@example.org"),
        ("framework", FRAMEWORK),
        ("code", "IPC.1"),
        ("level", "3"),
        ("observed_on", today.as_str()),
        ("setting", "Maternity ward"),
    ];
    let scan = b"%PDF-1.7\n% the signed DOPS form\n".to_vec();

    // Refused by content, whatever the name says, and by size; the form is kept, nothing stored.
    let executable = b"MZ\x90\x00 not a document".to_vec();
    let response = colleague.post_multipart("/observations", &fields, ("file", "scan.pdf", executable)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("scan.pdf is not a PDF, JPEG, PNG or WebP file"), "named with its reason");
    assert!(page.contains("Maternity ward"), "the typed form is kept");
    let mut huge = b"%PDF-".to_vec();
    huge.resize(10 * 1024 * 1024 + 1, b' ');
    let response = colleague.post_multipart("/observations", &fields, ("file", "big.pdf", huge)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("big.pdf is 10.0 MB; a file may be at most 10 MB"));
    let db = app.state.db.read();
    assert_eq!(observation::Entity::find().count(db).await.unwrap(), 0, "nothing half-written");

    // A scan of the form, with the observation.
    let response =
        colleague.post_multipart("/observations", &fields, ("file", "dops.pdf", scan.clone())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = observation::Entity::find().one(db).await.unwrap().unwrap().id;
    for (who, expected) in [(&learner, 200), (&colleague, 200), (&stranger, 404)] {
        let response = who.get(&format!("/observations/{id}/file")).await;
        assert_eq!(response.status().as_u16(), expected);
        if expected == 200 {
            assert_eq!(response.headers()["content-type"], "application/pdf");
            assert_eq!(response.headers()["cache-control"], "private, no-store");
            assert_eq!(response.bytes().await.unwrap().to_vec(), scan);
        }
    }

    // Co-signed, the evidence carries the file: the learner and whom she shares with see it.
    learner.post_form(&format!("/observations/{id}/sign"), &[]).await;
    let evidence_id = evidence::Entity::find()
        .filter(evidence::Column::Kind.eq("observation"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let link = format!("/evidence/{evidence_id}/file");
    assert!(learner.get_text("/me/competencies").await.contains(&link), "linked from the profile");
    assert_eq!(learner.get(&link).await.bytes().await.unwrap().to_vec(), scan);
    assert_eq!(stranger.get(&link).await.status(), StatusCode::NOT_FOUND);
    learner.post_form("/me/competencies/shares", &[("email", "juma@example.org")]).await;
    assert_eq!(stranger.get(&link).await.status(), StatusCode::OK, "shared");

    // A self-assessment may carry a file too (a photo of a certificate).
    let photo = b"\x89PNG\r\n\x1a\n a photo".to_vec();
    let response = learner
        .post_multipart(
            "/me/competencies/self",
            &[("framework", FRAMEWORK), ("code", "MAT.1"), ("level", "2")],
            ("file", "certificate.png", photo),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let rated =
        evidence::Entity::find().filter(evidence::Column::Kind.eq("self")).one(db).await.unwrap().unwrap();
    assert!(rated.file_media_id.is_some());
    assert_eq!(
        learner.get(&format!("/evidence/{}/file", rated.id)).await.headers()["content-type"],
        "image/png"
    );
}

#[tokio::test]
async fn evidence_lapses_with_time_and_the_learner_is_told_before() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    complete(&app, &learner, "hand-hygiene").await;
    let base = app.state.config.public_url();
    assert_eq!(app.state.competencies.send_lapse_reminders(&base).await.unwrap(), 0, "nothing lapses soon");

    // 35 months on, the course's evidence lapses within 60 days: one email, once.
    app.clock.advance(chrono::Duration::days(35 * 30));
    assert_eq!(app.state.competencies.send_lapse_reminders(&base).await.unwrap(), 1);
    assert_eq!(app.state.competencies.send_lapse_reminders(&base).await.unwrap(), 0, "told once");
    app.state.outbox_wake.notify_one();
    let email = app.email_containing("amina@example.org", "IPC.1").await;
    assert!(email.subject.contains("lapse"), "{}", email.subject);
    // Three years on, the session has long ended: sign in again.
    let sign_in = || async {
        let learner = app.browser();
        let fields = [("email", "amina@example.org"), ("password", PASSWORD)];
        assert_eq!(learner.post_form("/sign-in", &fields).await.status(), StatusCode::SEE_OTHER);
        learner
    };
    let learner = sign_in().await;
    assert_eq!(competency(&profile(&learner).await, "IPC.1")["level"], 2, "still held");

    // After 36 months it counts no more.
    app.clock.advance(chrono::Duration::days(60));
    let learner = sign_in().await;
    assert_eq!(
        competency(&profile(&learner).await, "IPC.1")["level"],
        0,
        "expired evidence counts for nothing"
    );
    assert!(learner.get_text("/me/competencies").await.contains("expired"));
}

const CSV: &str = "kind,code,parent,level,title,description,professions
setting,slug,,,rural-emergencies,,
setting,title,,,Rural emergencies,,
setting,language,,,en,,
setting,association,,,eanma,,
setting,validity_months,,,24,,
level,,,1,Aware,,
level,,,2,Able,,
domain,EMR,,,Emergencies,,
competency,EMR.1,EMR,,Triage,Sorts patients by urgency,nurse;midwife
competency,EMR.2,EMR,,Referral,,
role,rural-nurse,,,Rural nurse,,nurse
requirement,EMR.1,rural-nurse,2,,,
";

#[tokio::test]
async fn a_framework_is_drafted_as_text_refused_whole_when_wrong_and_published_by_a_reviewer() {
    let app = TestApp::spawn().await;
    let admin = app.platform_admin("admin@example.org").await;
    let author = app.sign_up("Author", "author@example.org").await;
    app.join(&admin, &author, "author@example.org", "eanma", "author").await;
    let reviewer = app.sign_up("Reviewer", "reviewer@example.org").await;
    app.join(&admin, &reviewer, "reviewer@example.org", "eanma", "reviewer").await;
    let count = || async { framework::Entity::find().count(app.state.db.read()).await.unwrap() };
    let before = count().await;

    // Every problem named by its row; nothing written.
    let broken = CSV
        .replace("competency,EMR.2,EMR,", "competency,EMR.1,EMR,")
        .replace("rural-nurse,2,,,", "rural-nurse,3,,,")
        .replace("domain,EMR,,", "domain,EMR,XYZ,");
    let response = author.post_form("/orgs/eanma/frameworks", &[("text", &broken)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    for expected in [
        "framework.csv:11: code EMR.1 is used twice",
        "framework.csv:9: domain EMR: its parent XYZ is missing",
        "framework.csv:13: role rural-nurse: level 3 of EMR.1 is outside the scale 1 to 2",
    ] {
        assert!(page.contains(expected), "{expected}\n{page}");
    }
    assert!(page.contains("EMR.1,EMR,,Referral"), "the text is kept for correction");
    assert_eq!(count().await, before, "nothing half-imported");

    // A good one is a draft; the author cannot publish it, the reviewer can.
    let response = author.post_form("/orgs/eanma/frameworks", &[("text", CSV)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.browser().get("/frameworks/rural-emergencies").await.status(),
        StatusCode::NOT_FOUND,
        "a draft is not public"
    );
    let publish = "/orgs/eanma/frameworks/rural-emergencies/publish";
    assert_eq!(author.post_form(publish, &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(reviewer.post_form(publish, &[]).await.status(), StatusCode::SEE_OTHER);
    let page = app.browser().get_text("/frameworks/rural-emergencies").await;
    assert!(page.contains("Triage") && page.contains("Rural nurse"));

    // Editing starts from the CSV of the published version; a new draft is version 2.
    let editor = author.get_text("/orgs/eanma/frameworks/rural-emergencies/draft").await;
    assert!(editor.contains("competency,EMR.1,EMR,,Triage"), "published version as CSV");
    let edited = CSV.replace(",Triage,", ",Triage at the door,");
    let response =
        author.post_form("/orgs/eanma/frameworks/rural-emergencies/draft", &[("text", &edited)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        !app.browser().get_text("/frameworks/rural-emergencies").await.contains("Triage at the door"),
        "learners see version 1 until the draft is published"
    );
    assert_eq!(reviewer.post_form(publish, &[]).await.status(), StatusCode::SEE_OTHER);
    let page = app.browser().get_text("/frameworks/rural-emergencies").await;
    assert!(page.contains("Triage at the door") && page.contains("Version 2"), "version 2 published");
    // Another association's framework cannot be edited through this one.
    let json = serde_json::json!({"slug": "x"}).to_string();
    let response =
        author.post_form("/orgs/eanma/frameworks/rural-emergencies/draft", &[("text", &json)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "malformed JSON is named, not a 500");
}

#[tokio::test]
async fn a_profile_is_seen_only_by_its_owner_and_those_they_share_it_with() {
    let app = TestApp::spawn().await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    let mentor = app.sign_up("Mentor", "mentor@example.org").await;
    let amina = account_id(&app, "amina@example.org").await;
    let path = format!("/people/{amina}/competencies");
    assert_eq!(mentor.get(&path).await.status(), StatusCode::NOT_FOUND, "no consent, nothing shown");
    assert_eq!(
        learner.post_form("/me/competencies/shares", &[("email", "mentor@example.org")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = mentor.get_text(&path).await;
    assert!(page.contains("Amina Otieno") && page.contains("IPC.1"));
    assert!(!page.contains("/me/competencies/self"), "read-only for the viewer");
    let share = learner.get_text("/me/competencies").await;
    let revoke =
        share.split("/me/competencies/shares/").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
    learner.post_form(&format!("/me/competencies/shares/{revoke}"), &[]).await;
    assert_eq!(mentor.get(&path).await.status(), StatusCode::NOT_FOUND, "revoked");
}

#[tokio::test]
async fn an_association_sees_aggregated_gaps_of_its_members_with_small_groups_suppressed() {
    let app = TestApp::spawn().await;
    let admin = app.platform_admin("admin@example.org").await;
    let staff = app.sign_up("Association admin", "staff@example.org").await;
    app.join(&admin, &staff, "staff@example.org", "eanma", "admin").await;
    let member = app.sign_up("Member", "member@example.org").await;
    app.join(&staff, &member, "member@example.org", "eanma", "member").await;
    assert_eq!(
        member.get("/orgs/eanma/workforce?role=rural-midwife").await.status(),
        StatusCode::FORBIDDEN,
        "members see no aggregates"
    );
    assert_eq!(member.get("/orgs/eanma").await.status(), StatusCode::FORBIDDEN, "nor the member list");

    // Six midwives in Kisumu (one of them the member above) and two nurses in Nakuru.
    let db = app.state.db.write();
    let eanma = lantern::accounts::entity::organisation::Entity::find()
        .filter(lantern::accounts::entity::organisation::Column::Slug.eq("eanma"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut learners = vec![(member.clone(), "member@example.org".to_owned(), "Kisumu", "midwife")];
    for i in 0..7 {
        let email = format!("m{i}@example.org");
        let browser = app.sign_up(&format!("Midwife {i}"), &email).await;
        let (region, profession) = if i < 5 { ("Kisumu", "midwife") } else { ("Nakuru", "nurse") };
        learners.push((browser, email, region, profession));
    }
    for (_, email, region, profession) in &learners {
        let id = account_id(&app, email).await;
        let mut row: account::ActiveModel =
            account::Entity::find_by_id(id).one(db).await.unwrap().unwrap().into();
        row.region = Set(Some((*region).to_owned()));
        row.profession = Set(Some((*profession).to_owned()));
        row.update(db).await.unwrap();
        if email != "member@example.org" {
            membership::ActiveModel {
                organisation_id: Set(eanma),
                account_id: Set(id),
                role: Set("member".into()),
                created_at: Set(app.clock.now()),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
        }
    }
    // Two of the Kisumu midwives complete the hand-hygiene course (IPC.1 at 2, below the 3 required).
    for (browser, _, _, _) in learners.iter().take(2) {
        complete(&app, browser, "hand-hygiene").await;
    }
    let gaps = app.state.competencies.workforce_gaps(eanma, FRAMEWORK, "rural-midwife").await.unwrap();
    assert_eq!(gaps.cells.len(), 1, "Nakuru's two nurses are suppressed");
    assert_eq!((gaps.suppressed_cells, gaps.suppressed_members), (1, 2));
    let cell = &gaps.cells[0];
    assert_eq!((cell.region.as_str(), cell.profession.as_str(), cell.members), ("Kisumu", "midwife", 6));
    assert!(cell.with_gap.iter().all(|g| *g == 6), "IPC.1 at 2 is still below 3: {:?}", cell.with_gap);

    let page = staff.get_text("/orgs/eanma/workforce?role=rural-midwife").await;
    assert!(page.contains("Kisumu") && !page.contains("Nakuru"), "only groups of five or more");
    assert!(page.contains("smaller groups (2 members) are not shown"));
    assert!(!page.contains("Midwife 1"), "no names, only counts");
}

/// Frameworks through the API: an author imports one (a broken one refused whole, by line), a
/// reviewer publishes it, and anyone reads it.
#[tokio::test]
async fn an_author_imports_a_framework_and_a_reviewer_publishes_it_through_the_api() {
    let app = TestApp::spawn().await;
    let admin = app.platform_admin("admin@example.org").await;
    let author = app.sign_up("Author", "author@example.org").await;
    app.join(&admin, &author, "author@example.org", "eanma", "author").await;
    let reviewer = app.sign_up("Reviewer", "reviewer@example.org").await;
    app.join(&admin, &reviewer, "reviewer@example.org", "eanma", "reviewer").await;
    let writes = lantern_tests::make_token(&author, &["competencies:write"], "1").await;
    let publishes = lantern_tests::make_token(&reviewer, &["competencies:write"], "1").await;
    let client = reqwest::Client::new();
    let post = |token: &str, path: &str, content_type: &str, body: String| {
        client
            .post(format!("{}/api/v1/orgs/eanma/frameworks{path}", app.address))
            .bearer_auth(token)
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    let count = || async { framework::Entity::find().count(app.state.db.read()).await.unwrap() };
    let before = count().await;

    let broken = CSV.replace("competency,EMR.2,EMR,", "competency,EMR.1,EMR,");
    let refused = post(&writes, "", "text/csv", broken).await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("framework.csv:11: code EMR.1 is used twice"),
        "{problem}"
    );
    assert_eq!(count().await, before, "nothing written");
    let wrong_type = post(&writes, "", "text/plain", CSV.to_owned()).await.unwrap();
    assert_eq!(wrong_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let saved = post(&writes, "", "text/csv", CSV.to_owned()).await.unwrap();
    assert_eq!(saved.status(), StatusCode::CREATED);
    let saved: serde_json::Value = saved.json().await.unwrap();
    assert_eq!(
        (saved["framework"].as_str(), saved["status"].as_str()),
        (Some("rural-emergencies"), Some("draft"))
    );
    let by_author =
        post(&writes, "/rural-emergencies/publish", "application/json", String::new()).await.unwrap();
    assert_eq!(by_author.status(), StatusCode::FORBIDDEN, "authors draft, reviewers publish");
    let published =
        post(&publishes, "/rural-emergencies/publish", "application/json", String::new()).await.unwrap();
    assert_eq!(published.status(), StatusCode::OK);
    let again =
        post(&publishes, "/rural-emergencies/publish", "application/json", String::new()).await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT, "no draft left to publish");
    let read: serde_json::Value =
        app.browser().get("/api/v1/frameworks/rural-emergencies").await.json().await.unwrap();
    assert_eq!(read["framework"]["slug"], "rural-emergencies");
}
