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
