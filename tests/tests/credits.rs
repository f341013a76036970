//! CPD credits: accreditation → completion → ledger entry; outside activities reviewed by an
//! association; the ledger's chain names the first entry that does not fit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::credits::entity::credit_entry;
use lantern_tests::{TestApp, complete};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};

#[tokio::test]
async fn an_accredited_course_earns_credits_once_and_a_changed_row_breaks_the_ledger() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let reviewer = app.sign_up("Rita Reviewer", "rita@example.org").await;
    app.join(&platform, &reviewer, "rita@example.org", "eanma", "reviewer").await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;

    // Refused beside the field, the form kept; then accredited.
    let today = app.state.mentoring.today().format("%Y-%m-%d").to_string();
    let mut fields = vec![
        ("course", "hand-hygiene"),
        ("version", "1"),
        ("credits", "2.555"),
        ("category", "clinical"),
        ("valid_from", today.as_str()),
    ];
    let response = reviewer.post_form("/orgs/eanma/accreditations", &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("such as 2 or 2.5"));
    fields[2] = ("credits", "2.5");
    assert_eq!(
        reviewer.post_form("/orgs/eanma/accreditations", &fields).await.status(),
        StatusCode::SEE_OTHER
    );
    let response = reviewer.post_form("/orgs/eanma/accreditations", &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "one accreditation per version");

    // Completion writes the entry with the completion.
    complete(&app, &learner, "hand-hygiene").await;
    let page = learner.get_text("/me/credits").await;
    assert!(page.contains("2.5 credits in total"), "ledger page shows the total");
    let db = app.state.db.read();
    let entries = credit_entry::Entity::find().all(db).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].amount, entries[0].seq, entries[0].kind.as_str()), (250, 1, "course"));

    // An outside activity: checked, reviewed by the association (never by oneself), then counted.
    let activity = [
        ("organisation", "1"),
        ("kind", "workshop"),
        ("title", "Neonatal resuscitation workshop"),
        ("held_on", today.as_str()),
        ("credits", "3"),
        ("category", "clinical"),
    ];
    let organisation = page.split("name=\"organisation\"").nth(1).unwrap();
    let eanma = organisation
        .split("<option")
        .find(|o| o.contains("East African"))
        .and_then(|o| o.split("value=\"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap()
        .to_owned();
    let mut activity: Vec<(&str, &str)> = activity.to_vec();
    activity[0] = ("organisation", eanma.as_str());
    let mut wrong = activity.clone();
    wrong[3] = ("held_on", "2099-01-01");
    let response = learner.post_form("/me/credits/activities", &wrong).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("cannot be in the future"));
    assert_eq!(learner.post_form("/me/credits/activities", &activity).await.status(), StatusCode::SEE_OTHER);
    let queue = reviewer.get_text("/orgs/eanma/activities").await;
    assert!(queue.contains("Neonatal resuscitation workshop") && queue.contains("Amina Otieno"));
    let id = queue.split("/activities/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    let response =
        reviewer.post_form(&format!("/orgs/eanma/activities/{id}/reject"), &[("reason", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a rejection needs a reason");
    let response = reviewer.post_form(&format!("/orgs/eanma/activities/{id}/approve"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(learner.get_text("/me/credits").await.contains("5.5 credits in total"));

    // The chain verifies and a signed checkpoint records its head (once: nothing new, none new).
    let heads = app.state.credits.verify_ledger().await.unwrap().unwrap();
    assert_eq!(heads.len(), 1);
    assert_eq!(heads[0].1, 2);
    assert!(app.state.credits.checkpoint().await.unwrap().is_some());
    assert_eq!(app.state.credits.checkpoint().await.unwrap(), None);
    assert_eq!(app.state.credits.verify_checkpoints().await.unwrap(), Ok(1));

    // Rewriting an entry together with every hash after it fools the chain, not the checkpoint.
    let entries = credit_entry::Entity::find().order_by_asc(credit_entry::Column::Seq).all(db).await.unwrap();
    let rewrite = |entries: &[credit_entry::Model], first_amount: i64| {
        let mut prev = lantern::credits::ledger::GENESIS.to_owned();
        let mut rows = Vec::new();
        for entry in entries {
            let amount = if entry.seq == 1 { first_amount } else { entry.amount };
            let fields = lantern::credits::ledger::Fields {
                account_id: entry.account_id,
                seq: entry.seq,
                kind: &entry.kind,
                amount,
                category: &entry.category,
                accreditor_id: entry.accreditor_id,
                title: &entry.title,
                earned_on: entry.earned_on,
                source_key: &entry.source_key,
                corrects_id: entry.corrects_id,
            };
            let hash = lantern::credits::ledger::hash(&prev, &fields);
            let mut row: credit_entry::ActiveModel = entry.clone().into();
            row.amount = Set(amount);
            row.prev_hash = Set(prev.clone());
            row.hash = Set(hash.clone());
            rows.push(row);
            prev = hash;
        }
        rows
    };
    for row in rewrite(&entries, 9_900) {
        row.update(app.state.db.write()).await.unwrap();
    }
    assert!(
        app.state.credits.verify_ledger().await.unwrap().is_ok(),
        "a consistent rewrite passes the chain"
    );
    let broken = app.state.credits.verify_checkpoints().await.unwrap().unwrap_err();
    assert!(broken.to_string().contains("entry 2 is not what it signed"), "{broken}");
    for row in rewrite(&entries, entries[0].amount) {
        row.update(app.state.db.write()).await.unwrap();
    }
    assert_eq!(app.state.credits.verify_checkpoints().await.unwrap(), Ok(1), "restored");

    // A changed amount alone is named by its entry.
    let first =
        credit_entry::Entity::find().order_by_asc(credit_entry::Column::Id).one(db).await.unwrap().unwrap();
    let mut tampered: credit_entry::ActiveModel = first.clone().into();
    tampered.amount = Set(2_500);
    tampered.update(app.state.db.write()).await.unwrap();
    let broken = app.state.credits.verify_ledger().await.unwrap().unwrap_err();
    assert_eq!((broken.entry_id, broken.seq), (first.id, 1), "{broken}");
    assert!(broken.to_string().contains("does not match its hash"));
}

/// An association's CPD through the API: a reviewer accredits a course, a learner reports an
/// outside activity, the reviewer rejects one (a reason needed) and approves another (credits in
/// the ledger), and revokes a certificate (a reason needed).
#[tokio::test]
async fn a_reviewer_accredits_decides_activities_and_revokes_a_certificate_through_the_api() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let reviewer = app.sign_up("Rita Reviewer", "rita@example.org").await;
    app.join(&platform, &reviewer, "rita@example.org", "eanma", "reviewer").await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    let reviews = lantern_tests::make_token(&reviewer, &["credits:write"], "1").await;
    let reports = lantern_tests::make_token(&learner, &["credits:write"], "1").await;
    let client = reqwest::Client::new();
    let post = |token: &str, path: &str, body: String| {
        client
            .post(format!("{}/api/v1{path}", app.address))
            .bearer_auth(token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let get = |token: &str, path: &str| {
        client.get(format!("{}/api/v1{path}", app.address)).bearer_auth(token).send()
    };
    let today = app.state.mentoring.today().format("%Y-%m-%d").to_string();

    let accreditation = |credits: &str| {
        format!(
            r#"{{"course": "hand-hygiene", "version": 1, "credits": {credits}, "category": "clinical",
                "valid_from": "{today}"}}"#
        )
    };
    let refused = post(&reviews, "/orgs/eanma/accreditations", accreditation("2.555")).await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().starts_with("credits"), "{problem}");
    let made = post(&reviews, "/orgs/eanma/accreditations", accreditation("2.5")).await.unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);
    let made: serde_json::Value = made.json().await.unwrap();
    assert_eq!((made["course"].as_str(), made["credits"].as_f64()), (Some("hand-hygiene"), Some(2.5)));
    let list: serde_json::Value =
        get(&reviews, "/orgs/eanma/accreditations").await.unwrap().json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let activity = |title: &str| {
        format!(
            r#"{{"association": "eanma", "kind": "workshop", "title": "{title}", "held_on": "{today}",
                "credits": 3, "category": "clinical"}}"#
        )
    };
    let unknown = activity("Neonatal resuscitation").replace("\"eanma\"", "\"nosuch\"");
    let refused = post(&reports, "/me/credits/activities", unknown).await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().starts_with("association"), "the field is named: {problem}");
    let first = post(&reports, "/me/credits/activities", activity("Neonatal resuscitation")).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: serde_json::Value = first.json().await.unwrap();
    assert_eq!(first["status"], "pending");
    let second: serde_json::Value =
        post(&reports, "/me/credits/activities", activity("Breastfeeding counselling"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let pending: serde_json::Value =
        get(&reviews, "/orgs/eanma/activities").await.unwrap().json().await.unwrap();
    assert_eq!(pending.as_array().unwrap().len(), 2);
    assert_eq!(pending[0]["learner"], "Amina Otieno");

    let decide = |id: &serde_json::Value| format!("/orgs/eanma/activities/{id}/decision");
    let silent = post(&reviews, &decide(&first["id"]), r#"{"approve": false}"#.into()).await.unwrap();
    assert_eq!(silent.status(), StatusCode::BAD_REQUEST, "a rejection says why");
    let rejected =
        post(&reviews, &decide(&first["id"]), r#"{"approve": false, "reason": "No certificate"}"#.into());
    assert_eq!(rejected.await.unwrap().status(), StatusCode::NO_CONTENT);
    let approved = post(&reviews, &decide(&second["id"]), r#"{"approve": true}"#.into()).await.unwrap();
    assert_eq!(approved.status(), StatusCode::NO_CONTENT);
    let again = post(&reviews, &decide(&second["id"]), r#"{"approve": true}"#.into()).await.unwrap();
    assert!(again.status().is_client_error(), "decided once: {}", again.status());
    let ledger: serde_json::Value = get(&reports, "/me/credits").await.unwrap().json().await.unwrap();
    let titles: Vec<&str> =
        ledger["items"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Breastfeeding counselling"], "only the approved activity earns credits");

    complete(&app, &learner, "hand-hygiene").await;
    let issued: serde_json::Value =
        get(&reviews, "/orgs/eanma/certificates").await.unwrap().json().await.unwrap();
    assert_eq!(issued[0]["learner"], "Amina Otieno");
    let id = issued[0]["id"].as_str().unwrap().to_owned();
    let revoke = format!("/orgs/eanma/certificates/{id}/revoke");
    let silent = post(&reviews, &revoke, r#"{"reason": " "}"#.into()).await.unwrap();
    assert_eq!(silent.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        post(&reviews, &revoke, r#"{"reason": "Issued in error"}"#.into()).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let certificates: serde_json::Value =
        get(&reports, "/me/certificates").await.unwrap().json().await.unwrap();
    assert!(certificates[0]["revoked_at"].is_string());
    // A learner's token of the right scope is not a reviewer's.
    assert_eq!(get(&reports, "/orgs/eanma/activities").await.unwrap().status(), StatusCode::FORBIDDEN);
}
