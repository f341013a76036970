//! Mentorship end to end: gaps → request → round → publish → decline → next best → accept →
//! session → observation → concern → end → feedback; a mentor leaving re-places only their
//! mentees; reminders of quiet pairs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::accounts::entity::account;
use lantern::mentorship::entity::{mentee_request, mentorship};
use lantern_tests::{Browser, PASSWORD, TestApp, complete};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// Signs someone up as a member of the demo association, with where and how they work.
async fn member(
    app: &TestApp,
    admin: &Browser,
    name: &str,
    email: &str,
    place: (&str, &str, &str),
) -> Browser {
    let browser = app.sign_up(name, email).await;
    app.join(admin, &browser, email, "eanma", "member").await;
    let db = app.state.db.write();
    let found =
        account::Entity::find().filter(account::Column::Email.eq(email)).one(db).await.unwrap().unwrap();
    let mut row: account::ActiveModel = found.into();
    let (profession, region, setting) = place;
    row.profession = Set(Some(profession.to_owned()));
    row.country = Set(Some("KE".to_owned()));
    row.region = Set(Some(region.to_owned()));
    row.setting = Set(Some(setting.to_owned()));
    row.update(db).await.unwrap();
    browser
}

/// A new session (after the clock moved past the old one's end).
async fn sign_in(app: &TestApp, email: &str) -> Browser {
    let browser = app.browser();
    let response = browser.post_form("/sign-in", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    browser
}

async fn offer(browser: &Browser, capacity: &str, offers: &[(&str, &str)]) {
    let mut fields = vec![
        ("active", "on"),
        ("capacity", capacity),
        ("languages", "en, sw"),
        ("professions", "midwife"),
        ("utc_offset_minutes", "180"),
        ("remote", "on"),
        ("availability", "Weekday evenings"),
    ];
    let named: Vec<(String, &str)> =
        offers.iter().map(|(code, level)| (format!("offer-{code}"), *level)).collect();
    fields.extend(named.iter().map(|(k, v)| (k.as_str(), *v)));
    let response = browser.post_form("/me/mentoring/mentor", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", response.text().await.unwrap());
}

async fn pairs_of(app: &TestApp, mentee_email: &str) -> Vec<mentorship::Model> {
    let db = app.state.db.read();
    let mentee = account::Entity::find()
        .filter(account::Column::Email.eq(mentee_email))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    mentorship::Entity::find()
        .filter(mentorship::Column::MenteeId.eq(mentee.id))
        .order_by_asc(mentorship::Column::Id)
        .all(db)
        .await
        .unwrap()
}

fn id_of(app_pairs: &[mentorship::Model], status: &str) -> i32 {
    app_pairs
        .iter()
        .find(|p| p.status == status)
        .unwrap_or_else(|| panic!("a {status} pair: {app_pairs:?}"))
        .id
}

#[tokio::test]
async fn from_gaps_to_a_published_round_a_declined_match_the_next_best_and_a_closed_mentorship() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let admin = app.sign_up("Esther Admin", "esther@example.org").await;
    app.join(&platform, &admin, "esther@example.org", "eanma", "admin").await;
    let grace =
        member(&app, &platform, "Grace Wanjiru", "grace@example.org", ("midwife", "Kisumu", "urban")).await;
    let juma =
        member(&app, &platform, "Juma Otieno", "juma@example.org", ("midwife", "Nakuru", "urban")).await;
    let amina =
        member(&app, &platform, "Amina Otieno", "amina@example.org", ("midwife", "Turkana", "rural")).await;
    let stranger = app.sign_up("Sam Stranger", "sam@example.org").await;

    // Grace's infection-prevention level is verified by a completed course; Juma's is declared.
    complete(&app, &grace, "hand-hygiene").await;
    offer(&grace, "1", &[("IPC.1", "2"), ("MAT.1", "3")]).await;
    offer(&juma, "2", &[("IPC.1", "3")]).await;
    let page = grace.get_text("/me/mentoring/mentor").await;
    assert!(page.contains("your profile: level 2"), "verified levels marked on the form");

    // The admin starts a programme; Amina asks, pre-filled from her rural-midwife gaps.
    let response = admin
        .post_form(
            "/orgs/eanma/mentoring",
            &[("title", "Rural midwifery mentoring"), ("description", "A year with a mentor.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = amina.get_text("/me/mentoring/request?role=rural-midwife").await;
    assert!(
        page.contains("IPC.1:3") && page.contains("mentors offer it"),
        "gaps pre-filled with mentor counts"
    );
    let programme = page.split("name=\"programme\"").nth(1).unwrap();
    let programme_id = programme.split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let request = [
        ("programme", programme_id.as_str()),
        ("want", "IPC.1:2"),
        ("want", "MAT.1:3"),
        ("goals", "Safer births at the dispensary"),
        ("languages", "sw"),
        ("remote_ok", "on"),
        ("utc_offset_minutes", "180"),
    ];
    // Nothing wanted is refused beside its field, the form kept.
    let without: Vec<(&str, &str)> = request.iter().copied().filter(|(k, _)| *k != "want").collect();
    let response = amina.post_form("/me/mentoring/request", &without).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Safer births"), "the form is kept");
    assert_eq!(amina.post_form("/me/mentoring/request", &request).await.status(), StatusCode::SEE_OTHER);

    // A round proposes Grace (covers both, one verified); the admin reviews the reasons, publishes.
    let base = "/orgs/eanma/mentoring/rural-midwifery-mentoring";
    assert_eq!(admin.post_form(&format!("{base}/rounds"), &[]).await.status(), StatusCode::SEE_OTHER);
    let page = admin.get_text(base).await;
    assert!(page.contains("Covers 2 of the 2 competencies asked for, 1 verified"), "reasons shown");
    assert!(page.contains("Both speak Swahili") && page.contains("Priority for a rural health worker"));
    assert!(page.contains("1 of 1 mentees matched"));
    let proposed = pairs_of(&app, "amina@example.org").await;
    assert_eq!(proposed.len(), 1);
    let grace_id = proposed[0].mentor_id;
    // Proposals are the association's until published.
    assert_eq!(amina.get(&format!("/mentorships/{}", proposed[0].id)).await.status(), StatusCode::NOT_FOUND);
    let round = page.split("/rounds/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    let response = admin.post_form(&format!("{base}/rounds/{round}/publish"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.state.outbox_wake.notify_one();
    let email = app.email_containing("amina@example.org", "proposed as your mentor").await;
    assert!(
        email.text.contains("Grace Wanjiru") && email.text.contains("Covers 2 of the 2"),
        "{}",
        email.text
    );
    app.email_containing("grace@example.org", "mentor of Amina Otieno").await;

    // Contact details stay hidden until both accept; strangers see nothing.
    let first = id_of(&pairs_of(&app, "amina@example.org").await, "offered");
    let page = amina.get_text(&format!("/mentorships/{first}")).await;
    assert!(page.contains("appear here once you both accept") && !page.contains("grace@example.org"));
    assert_eq!(stranger.get(&format!("/mentorships/{first}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        stranger.post_form(&format!("/mentorships/{first}/accept"), &[]).await.status(),
        StatusCode::NOT_FOUND
    );

    // Grace declines (a reason is required): Amina is offered the next best, Juma, at once.
    let response = grace.post_form(&format!("/mentorships/{first}/decline"), &[("reason", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response =
        grace.post_form(&format!("/mentorships/{first}/decline"), &[("reason", "Leave in March")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let pairs = pairs_of(&app, "amina@example.org").await;
    assert_eq!(pairs.iter().find(|p| p.id == first).unwrap().status, "declined");
    let second = id_of(&pairs, "offered");
    assert_ne!(pairs.iter().find(|p| p.id == second).unwrap().mentor_id, grace_id, "never the same mentor");

    // Both accept: active, contacts shown and sent.
    assert_eq!(
        amina.post_form(&format!("/mentorships/{second}/accept"), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = amina.get_text(&format!("/mentorships/{second}")).await;
    assert!(page.contains("Waiting for the other person"));
    assert_eq!(
        juma.post_form(&format!("/mentorships/{second}/accept"), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = amina.get_text(&format!("/mentorships/{second}")).await;
    assert!(page.contains("mailto:juma@example.org"), "contact shown once both accepted");
    app.state.outbox_wake.notify_one();
    app.email_containing("amina@example.org", "juma@example.org").await;
    let db = app.state.db.read();
    let request = mentee_request::Entity::find().one(db).await.unwrap().unwrap();
    assert_eq!(request.status, "matched");

    // Sessions: refused beside the field when wrong; the notes stay with the pair.
    let today = app.state.mentoring.today().format("%Y-%m-%d").to_string();
    let session = |minutes: &'static str| {
        vec![
            ("held_on", today.clone()),
            ("minutes", minutes.to_owned()),
            ("topics", "Partograph review".to_owned()),
            ("notes", "PRIVATE-NOTE about a hard night".to_owned()),
        ]
    };
    let fields = session("2");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = juma.post_form(&format!("/mentorships/{second}/sessions"), &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("from 5 to 600"));
    let fields = session("45");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = juma.post_form(&format!("/mentorships/{second}/sessions"), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = amina.get_text(&format!("/mentorships/{second}")).await;
    assert!(page.contains("45 minutes of mentoring logged") && page.contains("PRIVATE-NOTE"));
    // Logged hours become an outside CPD activity, reviewed like any other.
    let link =
        page.split("href=\"/me/credits?").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    assert!(link.starts_with("kind=mentoring&credits=0.75&held_on="), "{link}");
    let form = amina.get_text(&format!("/me/credits?{link}")).await;
    assert!(
        form.contains("value=\"0.75\"") && form.contains("Mentoring with Juma Otieno"),
        "pre-filled: {link}"
    );
    // The mentor can record an observation of the mentee's practice (competency evidence).
    let page = juma.get_text(&format!("/mentorships/{second}")).await;
    assert!(page.contains("/observations?learner=amina@example.org"));
    let page = juma.get_text("/observations?learner=amina@example.org").await;
    assert!(page.contains("value=\"amina@example.org\""), "the observation form is pre-filled");
    let observation = [
        ("learner", "amina@example.org"),
        ("framework", "primary-care-nursing-midwifery"),
        ("code", "MAT.1"),
        ("level", "3"),
        ("observed_on", today.as_str()),
    ];
    assert_eq!(juma.post_form("/observations", &observation).await.status(), StatusCode::SEE_OTHER);
    let observed = lantern::competencies::entity::observation::Entity::find().one(db).await.unwrap().unwrap();
    let response = amina.post_form(&format!("/observations/{}/sign", observed.id), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let profile: serde_json::Value = amina.get("/api/v1/me/competencies").await.json().await.unwrap();
    let held = profile["competencies"].as_array().unwrap().iter().find(|c| c["code"] == "MAT.1").unwrap();
    assert_eq!(held["level"], 3, "the mentor's observation is evidence once co-signed: {held}");

    // A concern reaches the association with the pair, never the notes.
    let response = amina
        .post_form(&format!("/mentorships/{second}/concern"), &[("concern", "Sessions are often cancelled.")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = admin.get_text(base).await;
    assert!(page.contains("Sessions are often cancelled.") && page.contains("Juma Otieno"));
    assert!(!page.contains("PRIVATE-NOTE"), "the pair's notes stay private");

    // A quiet month brings one reminder to each, once.
    app.clock.advance(chrono::Duration::days(31));
    assert_eq!(app.state.mentoring.send_session_reminders().await.unwrap(), 1);
    assert_eq!(app.state.mentoring.send_session_reminders().await.unwrap(), 0);
    let (juma, amina) = (sign_in(&app, "juma@example.org").await, sign_in(&app, "amina@example.org").await);

    // Either can end it; the other is told; then each may leave feedback.
    let response =
        juma.post_form(&format!("/mentorships/{second}/end"), &[("end_reason", "Goals met")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.state.outbox_wake.notify_one();
    app.email_containing("amina@example.org", "ended your mentorship").await;
    let response = amina
        .post_form(&format!("/mentorships/{second}/feedback"), &[("feedback", "Thank you, Juma.")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let closed = mentorship::Entity::find_by_id(second).one(db).await.unwrap().unwrap();
    assert_eq!((closed.status.as_str(), closed.mentee_feedback.as_str()), ("closed", "Thank you, Juma."));
}

#[tokio::test]
async fn a_mentor_who_leaves_has_only_their_mentees_placed_again() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let admin = app.sign_up("Esther Admin", "esther@example.org").await;
    app.join(&platform, &admin, "esther@example.org", "eanma", "admin").await;
    let grace =
        member(&app, &platform, "Grace Wanjiru", "grace@example.org", ("midwife", "Kisumu", "urban")).await;
    let juma =
        member(&app, &platform, "Juma Otieno", "juma@example.org", ("midwife", "Nakuru", "urban")).await;
    let amina =
        member(&app, &platform, "Amina Otieno", "amina@example.org", ("midwife", "Turkana", "rural")).await;
    let baraka =
        member(&app, &platform, "Baraka Kiprop", "baraka@example.org", ("midwife", "Kisumu", "urban")).await;
    offer(&grace, "1", &[("IPC.1", "3"), ("MAT.1", "3")]).await;
    offer(&juma, "2", &[("IPC.1", "3")]).await;
    admin.post_form("/orgs/eanma/mentoring", &[("title", "Midwives 2027"), ("instant", "on")]).await;
    let page = amina.get_text("/me/mentoring/request").await;
    let programme = page.split("name=\"programme\"").nth(1).unwrap();
    let programme_id = programme.split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    for (who, wanted) in [(&amina, "MAT.1:3"), (&baraka, "IPC.1:2")] {
        let fields = [
            ("programme", programme_id.as_str()),
            ("want", wanted),
            ("languages", "en"),
            ("remote_ok", "on"),
            ("utc_offset_minutes", "180"),
        ];
        assert_eq!(who.post_form("/me/mentoring/request", &fields).await.status(), StatusCode::SEE_OTHER);
    }
    let base = "/orgs/eanma/mentoring/midwives-2027";
    admin.post_form(&format!("{base}/rounds"), &[]).await;
    let page = admin.get_text(base).await;
    let round = page.split("/rounds/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    admin.post_form(&format!("{base}/rounds/{round}/publish"), &[]).await;
    // Optimal: Amina (only Grace covers MAT.1) with Grace, Baraka with Juma.
    let amina_first = pairs_of(&app, "amina@example.org").await;
    let baraka_first = pairs_of(&app, "baraka@example.org").await;
    assert_eq!((amina_first.len(), baraka_first.len()), (1, 1));

    // Juma stops mentoring: Baraka's offer is withdrawn and re-placed — with nobody, since
    // Grace's one place is Amina's, and Amina's pair is untouched.
    offer(&juma, "2", &[("IPC.1", "3")]).await;
    let fields = [("capacity", "2"), ("languages", "en"), ("utc_offset_minutes", "180"), ("remote", "on")];
    assert_eq!(juma.post_form("/me/mentoring/mentor", &fields).await.status(), StatusCode::SEE_OTHER);
    let baraka_now = pairs_of(&app, "baraka@example.org").await;
    assert_eq!(baraka_now[0].status, "withdrawn");
    assert_eq!(baraka_now.len(), 1, "no one else has a place");
    assert_eq!(pairs_of(&app, "amina@example.org").await, amina_first, "other pairs untouched");

    // Grace takes one more mentee: Baraka asks now (the programme allows it) and is offered Grace.
    offer(&grace, "2", &[("IPC.1", "3"), ("MAT.1", "3")]).await;
    let request = mentee_request::Entity::find()
        .filter(mentee_request::Column::Status.eq("open"))
        .filter(mentee_request::Column::AccountId.eq(baraka_now[0].mentee_id))
        .one(app.state.db.read())
        .await
        .unwrap()
        .unwrap();
    let response = baraka.post_form(&format!("/me/mentoring/requests/{}/now", request.id), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/mentorships/"), "{location}");
    let page = baraka.get_text(&location).await;
    assert!(page.contains("Grace Wanjiru"));
}

#[tokio::test]
async fn opted_in_mentors_are_found_by_what_they_offer_by_signed_in_people_only() {
    let app = TestApp::spawn().await;
    let grace = app.sign_up("Grace Wanjiru", "grace@example.org").await;
    let learner = app.sign_up("Lerato Learner", "lerato@example.org").await;
    let visitor = app.browser();
    offer(&grace, "3", &[("IPC.1", "3")]).await;
    app.state.search.catch_up().await.unwrap();
    let found = learner.get_text("/api/v1/search?q=Grace+Wanjiru&kind=mentor").await;
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert_eq!(found["total"], 1, "{found}");
    assert!(found["hits"][0]["url"].as_str().unwrap().starts_with("/me/mentoring/request?want=IPC.1"));
    let by_code = learner.get_text("/api/v1/search?competency=IPC.1&kind=mentor").await;
    assert!(by_code.contains("Grace Wanjiru"), "found by the competency offered");
    let total = |text: String| serde_json::from_str::<serde_json::Value>(&text).unwrap()["total"].clone();
    let anonymous = visitor.get_text("/api/v1/search?q=Grace+Wanjiru").await;
    assert_eq!(total(anonymous), 0, "not shown to visitors who are not signed in");
    assert_eq!(total(visitor.get_text("/api/v1/search?q=Grace+Wanjiru&kind=mentor").await), 0);

    // Opting out takes the profile out of search.
    let fields = [
        ("capacity", "3"),
        ("languages", "en"),
        ("utc_offset_minutes", "180"),
        ("remote", "on"),
        ("offer-IPC.1", "3"),
    ];
    assert_eq!(grace.post_form("/me/mentoring/mentor", &fields).await.status(), StatusCode::SEE_OTHER);
    app.state.search.catch_up().await.unwrap();
    let gone = learner.get_text("/api/v1/search?q=Grace+Wanjiru&kind=mentor").await;
    assert_eq!(total(gone), 0, "opted out");
}

/// An association's admin runs and publishes a round through the API, with each pair's reasons;
/// the mentee and the mentor see their mentoring there too, proposals hidden until published.
#[tokio::test]
async fn an_admin_runs_and_publishes_a_round_through_the_api_and_each_side_sees_its_pair() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let admin = app.sign_up("Esther Admin", "esther@example.org").await;
    app.join(&platform, &admin, "esther@example.org", "eanma", "admin").await;
    let grace =
        member(&app, &platform, "Grace Wanjiru", "grace@example.org", ("midwife", "Kisumu", "urban")).await;
    let amina =
        member(&app, &platform, "Amina Otieno", "amina@example.org", ("midwife", "Turkana", "rural")).await;
    offer(&grace, "1", &[("IPC.1", "3")]).await;
    let admin_token = lantern_tests::make_token(&admin, &["mentoring:write"], "1").await;
    let start = |title: &str| {
        reqwest::Client::new()
            .post(format!("{}/api/v1/orgs/eanma/mentoring", app.address))
            .bearer_auth(&admin_token)
            .header("Content-Type", "application/json")
            .body(format!(r#"{{"title": "{title}", "description": "A mentor."}}"#))
            .send()
    };
    assert_eq!(
        start("ab").await.unwrap().status(),
        StatusCode::BAD_REQUEST,
        "a title of 3 characters or more"
    );
    let started = start("Rural mentoring").await.unwrap();
    assert_eq!(started.status(), StatusCode::CREATED);
    assert_eq!(started.headers()["location"], "/api/v1/orgs/eanma/mentoring/rural-mentoring");
    // Grace raises her capacity and Amina asks for a mentor, both through the API.
    let grace_token = lantern_tests::make_token(&grace, &["mentoring:write"], "1").await;
    let amina_token = lantern_tests::make_token(&amina, &["mentoring:write"], "1").await;
    let client = reqwest::Client::new();
    let me = |token: &str, path: &str, body: String| {
        client
            .post(format!("{}/api/v1{path}", app.address))
            .bearer_auth(token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let offer_body = r#"{"active": true, "capacity": 2, "professions": ["midwife"], "languages": ["en", "sw"],
        "utc_offset_minutes": 180, "remote": true, "offers": [{"code": "IPC.1", "level": 3}]}"#;
    let saved = me(&grace_token, "/me/mentoring/mentor", offer_body.into()).await.unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(saved.json::<serde_json::Value>().await.unwrap()["mentor"]["capacity"], 2);
    let bad =
        me(&grace_token, "/me/mentoring/mentor", offer_body.replace("\"sw\"", "\"swahili\"")).await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "a language that is not a code is named");
    let request = r#"{"association": "eanma", "programme": "rural-mentoring", "wanted": [{"code": "IPC.1", "level": 2}],
        "goals": "Safer births", "languages": ["sw"], "remote_ok": true, "utc_offset_minutes": 180}"#;
    let unknown = me(&amina_token, "/me/mentoring/requests", request.replace("rural-mentoring", "nosuch"))
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let asked = me(&amina_token, "/me/mentoring/requests", request.into()).await.unwrap();
    assert_eq!(asked.status(), StatusCode::CREATED);
    let asked: serde_json::Value = asked.json().await.unwrap();
    let now = format!("/me/mentoring/requests/{}/match", asked["requests"][0]["id"]);
    let refused = me(&amina_token, &now, String::new()).await.unwrap();
    assert_eq!(refused.status(), StatusCode::CONFLICT, "this programme matches in rounds");

    let token = lantern_tests::make_token(&admin, &["mentoring:write"], "1").await;
    let client = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str| {
        client
            .request(method, format!("{}/api/v1/orgs/eanma/mentoring{path}", app.address))
            .bearer_auth(&token)
            .send()
    };
    let json = |response: reqwest::Response| async move {
        let status = response.status();
        (status, response.json::<serde_json::Value>().await.unwrap())
    };
    let (_, programmes) = json(call(reqwest::Method::GET, "").await.unwrap()).await;
    assert_eq!(programmes["items"][0]["slug"], "rural-mentoring");
    let (status, detail) = json(call(reqwest::Method::POST, "/rural-mentoring/rounds").await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (detail["open_requests"].as_u64(), detail["rounds"][0]["matched"].as_i64()),
        (Some(1), Some(1))
    );
    let pair = &detail["pairs"][0];
    assert_eq!(
        (pair["mentee"].as_str(), pair["mentor"].as_str()),
        (Some("Amina Otieno"), Some("Grace Wanjiru"))
    );
    assert_eq!(
        (pair["status"].as_str(), pair["reasons"][0]["kind"].as_str()),
        (Some("proposed"), Some("covers"))
    );
    let mine: serde_json::Value = amina.get("/api/v1/me/mentoring").await.json().await.unwrap();
    assert_eq!(mine["pairs"].as_array().unwrap().len(), 0, "a proposal is the association's until published");
    assert_eq!(mine["requests"][0]["status"], "open");

    let round = detail["rounds"][0]["id"].as_i64().unwrap();
    let publish = format!("/rural-mentoring/rounds/{round}/publish");
    let (status, detail) = json(call(reqwest::Method::POST, &publish).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail["rounds"][0]["published_at"].is_string());
    assert_eq!(detail["pairs"][0]["status"], "offered");
    let mine: serde_json::Value = amina.get("/api/v1/me/mentoring").await.json().await.unwrap();
    assert_eq!(
        (mine["pairs"][0]["role"].as_str(), mine["pairs"][0]["with"].as_str()),
        (Some("mentee"), Some("Grace Wanjiru"))
    );
    let mentor: serde_json::Value = grace.get("/api/v1/me/mentoring").await.json().await.unwrap();
    assert_eq!(
        (mentor["mentor"]["capacity"].as_i64(), mentor["mentor"]["offers"][0]["code"].as_str()),
        (Some(2), Some("IPC.1"))
    );
    assert_eq!(mentor["pairs"][0]["role"], "mentor");

    // Both accept; Grace logs a session; Amina ends it and gives feedback.
    let pair = mine["pairs"][0]["id"].as_i64().unwrap();
    for token in [&amina_token, &grace_token] {
        let accepted = me(token, &format!("/mentorships/{pair}/accept"), String::new()).await.unwrap();
        assert_eq!(accepted.status(), StatusCode::OK);
    }
    let today = app.state.mentoring.today().format("%Y-%m-%d").to_string();
    let session = format!(r#"{{"held_on": "{today}", "minutes": 45, "topics": "Partograph"}}"#);
    let logged = me(&grace_token, &format!("/mentorships/{pair}/sessions"), session).await.unwrap();
    assert_eq!(logged.status(), StatusCode::CREATED);
    let ended = me(&amina_token, &format!("/mentorships/{pair}/end"), r#"{"text": "Goals met"}"#.into())
        .await
        .unwrap();
    assert_eq!(ended.json::<serde_json::Value>().await.unwrap()["pairs"][0]["status"], "closed");
    let thanked =
        me(&amina_token, &format!("/mentorships/{pair}/feedback"), r#"{"text": "Thank you"}"#.into());
    assert_eq!(thanked.await.unwrap().status(), StatusCode::OK);
    // A stranger to the pair finds nothing there.
    let stranger =
        me(&amina_token, &format!("/mentorships/{}/accept", pair + 1000), String::new()).await.unwrap();
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
    // Another association's programme is not this admin's.
    let other =
        client.get(format!("{}/api/v1/orgs/ainfao/mentoring", app.address)).bearer_auth(&token).send();
    assert_eq!(other.await.unwrap().status(), StatusCode::FORBIDDEN);
}
