//! Regulators: CPD rules per profession, the roster (previewed with every row's problem, then
//! imported all or nothing, confirming claimed licences), consent, a learner's explained standing
//! and the regulator's dashboard with its CSV.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::accounts::entity::{licence, organisation};
use lantern::credits::entity::roster_entry;
use lantern_tests::{TestApp, complete};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test]
async fn a_regulator_sets_rules_imports_its_roster_and_sees_only_consenting_licensees() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let officer = app.sign_up("Olive Officer", "olive@example.org").await;
    app.join(&platform, &officer, "olive@example.org", "dnmc", "officer").await;
    let reviewer = app.sign_up("Rita Reviewer", "rita@example.org").await;
    app.join(&platform, &reviewer, "rita@example.org", "eanma", "reviewer").await;
    let learner = app.sign_up("Amina Otieno", "amina@example.org").await;
    let db = app.state.db.read();
    let dnmc = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq("dnmc"))
        .one(db)
        .await
        .unwrap()
        .unwrap();

    // Rules for midwives: 5 credits a year from 1 January, 1 in ethics.
    let rules = [
        ("profession", "midwife"),
        ("cycle_years", "1"),
        ("anchor", "01-01"),
        ("total", "5"),
        ("minimums", "ethics:1"),
        ("maximums", ""),
        ("rolling_validity_months", ""),
        ("accreditors", "eanma"),
    ];
    for (index, value, message) in
        [(4, "ethics=1", "category:credits pairs"), (7, "eanma, nosuch", "nosuch is not an association")]
    {
        let mut wrong = rules.to_vec();
        wrong[index].1 = value;
        let response = officer.post_form("/orgs/dnmc/cpd-rules", &wrong).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains(message), "{message}");
    }
    assert_eq!(officer.post_form("/orgs/dnmc/cpd-rules", &rules).await.status(), StatusCode::SEE_OTHER);

    // Amina claims her licence; earns 2.5 clinical credits.
    let regulator = dnmc.id.to_string();
    let response =
        learner.post_form("/account/licences", &[("regulator", &regulator), ("number", "km-2041")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let today = app.state.compliance.today().format("%Y-%m-%d").to_string();
    let accredit = [
        ("course", "hand-hygiene"),
        ("version", "1"),
        ("credits", "2.5"),
        ("category", "clinical"),
        ("valid_from", today.as_str()),
    ];
    assert_eq!(
        reviewer.post_form("/orgs/eanma/accreditations", &accredit).await.status(),
        StatusCode::SEE_OTHER
    );
    complete(&app, &learner, "hand-hygiene").await;

    // A roster with problems is refused whole, each named by line; nothing is written.
    let bad = "licence_number,name,profession,renewed_on,region\n\
               KM-2041,Amina Otieno,midwife,2026-01-15,Turkana\n\
               KM-2042,Juma,surgeon,2026-01-15,Kisumu\n\
               KM-2041,Grace Wanjiru,nurse,2026-02-01,Nakuru\n";
    let response = officer
        .post_multipart("/orgs/dnmc/roster", &[], ("file", "roster.csv", bad.as_bytes().to_vec()))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("line 3: unknown profession")
            && page.contains("line 4: licence number KM-2041 is also on line 2")
    );
    assert_eq!(roster_entry::Entity::find().count(db).await.unwrap(), 0);

    // A good one is previewed first (nothing written), then imported; the claim is confirmed.
    let good = "licence_number,name,profession,renewed_on,region\n\
                KM-2041,OTIENO Amina,midwife,2026-01-15,Turkana\n\
                KM-2042,Juma Kiprop,midwife,2026-01-15,Kisumu\n";
    let response = officer
        .post_multipart("/orgs/dnmc/roster", &[], ("file", "roster.csv", good.as_bytes().to_vec()))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("2 licences ready to import"));
    assert_eq!(roster_entry::Entity::find().count(db).await.unwrap(), 0, "a preview writes nothing");
    let response = officer.post_form("/orgs/dnmc/roster", &[("confirm", "yes"), ("csv", good)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(response.headers()["location"].to_str().unwrap().contains("confirmed=1"));
    let claim = licence::Entity::find().one(db).await.unwrap().unwrap();
    assert_eq!(claim.status, "verified");

    // Amina's standing, explained: short of the total and of ethics.
    let page = learner.get_text("/me/credits").await;
    assert!(page.contains("On track") || page.contains("At risk"), "a status is shown");
    assert!(page.contains("You need 2.5 more credits by 31 December"), "total explained");
    assert!(page.contains("You need 1 more Ethics credits by 31 December"), "category explained");

    // The regulator sees her only with her consent.
    assert!(!officer.get_text("/orgs/dnmc/compliance").await.contains("KM-2041"));
    let response = learner.post_form(&format!("/me/credits/consent/{}", dnmc.id), &[("grant", "yes")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = officer.get_text("/orgs/dnmc/compliance").await;
    assert!(page.contains("KM-2041") && page.contains("OTIENO Amina"));
    let csv = officer.get_text("/orgs/dnmc/compliance.csv").await;
    assert!(
        csv.lines()
            .any(|l| l.starts_with("KM-2041,OTIENO Amina,midwife,Turkana,") && l.ends_with(",2.5,2.5")),
        "{csv}"
    );
    learner.post_form(&format!("/me/credits/consent/{}", dnmc.id), &[("grant", "no")]).await;
    assert!(!officer.get_text("/orgs/dnmc/compliance").await.contains("KM-2041"), "consent revoked");

    // In the cycle's last 30 days, still short: reminded once, in her language, consent or not.
    let today = app.state.compliance.today();
    let december = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 12, 1).unwrap();
    if today < december {
        app.clock.advance(chrono::Duration::days((december - today).num_days()));
    }
    let base = app.state.config.public_url();
    assert_eq!(app.state.compliance.send_cycle_reminders(&base).await.unwrap(), 1);
    assert_eq!(app.state.compliance.send_cycle_reminders(&base).await.unwrap(), 0, "once per threshold");
    app.state.outbox_wake.notify_one();
    let email = app.email_containing("amina@example.org", "more Ethics credits").await;
    assert!(email.subject.contains("Demo Nursing and Midwifery Council"), "{}", email.subject);
}
