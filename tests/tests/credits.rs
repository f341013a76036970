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

    // The chain verifies; a changed amount is named by its entry.
    let heads = app.state.credits.verify_ledger().await.unwrap().unwrap();
    assert_eq!(heads.len(), 1);
    assert_eq!(heads[0].1, 2);
    let first =
        credit_entry::Entity::find().order_by_asc(credit_entry::Column::Id).one(db).await.unwrap().unwrap();
    let mut tampered: credit_entry::ActiveModel = first.clone().into();
    tampered.amount = Set(2_500);
    tampered.update(app.state.db.write()).await.unwrap();
    let broken = app.state.credits.verify_ledger().await.unwrap().unwrap_err();
    assert_eq!((broken.entry_id, broken.seq), (first.id, 1), "{broken}");
    assert!(broken.to_string().contains("does not match its hash"));
}
