//! A regulator's tools beyond the dashboard: API tokens (shown once, scoped, expiring,
//! revocable), bulk verification of certificates and licence numbers (JSON through the API,
//! CSV from the page, a malformed body refused with where it is), audits drawn from a seed,
//! filters on the dashboard, the monthly summary, and the learner's transcript and PDFs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::accounts::entity::{api_token, organisation};
use lantern::credits::entity::{audit_case, certificate, outside_activity};
use lantern_tests::{Browser, TestApp, complete, make_token};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// A regulator (dnmc) with rules for midwives, a roster of three, two learners with confirmed
/// licences (Amina consents, Juma does not), and Amina's certificate for an accredited course.
struct World {
    app: TestApp,
    officer: Browser,
    reviewer: Browser,
    amina: Browser,
    juma: Browser,
    certificate: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let officer = app.sign_up("Olive Officer", "olive@example.org").await;
    app.join(&platform, &officer, "olive@example.org", "dnmc", "officer").await;
    let reviewer = app.sign_up("Rita Reviewer", "rita@example.org").await;
    app.join(&platform, &reviewer, "rita@example.org", "eanma", "reviewer").await;
    let amina = app.sign_up("Amina Otieno", "amina@example.org").await;
    let juma = app.sign_up("Juma Kiprop", "juma@example.org").await;
    let db = app.state.db.read();
    let dnmc = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq("dnmc"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let rules = [
        ("profession", "midwife"),
        ("cycle_years", "1"),
        ("anchor", "01-01"),
        ("total", "5"),
        ("minimums", ""),
        ("maximums", ""),
        ("rolling_validity_months", ""),
        ("accreditors", ""),
    ];
    assert_eq!(officer.post_form("/orgs/dnmc/cpd-rules", &rules).await.status(), StatusCode::SEE_OTHER);
    let regulator = dnmc.id.to_string();
    for (learner, number) in [(&amina, "KM-1"), (&juma, "KM-2")] {
        let response =
            learner.post_form("/account/licences", &[("regulator", &regulator), ("number", number)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let roster = "licence_number,name,profession,renewed_on,region\n\
                  KM-1,Amina Otieno,midwife,2026-01-15,Turkana\n\
                  KM-2,Juma Kiprop,midwife,2026-01-15,Kisumu\n\
                  KM-3,Grace Wanjiru,midwife,2026-01-15,Kisumu\n";
    let response = officer.post_form("/orgs/dnmc/roster", &[("confirm", "yes"), ("csv", roster)]).await;
    assert!(response.headers()["location"].to_str().unwrap().contains("confirmed=2"));
    assert_eq!(
        amina.post_form(&format!("/me/credits/consent/{}", dnmc.id), &[("grant", "yes")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let today = app.state.compliance.today().format("%Y-%m-%d").to_string();
    let accredit = [
        ("course", "hand-hygiene"),
        ("version", "1"),
        ("credits", "5"),
        ("category", "clinical"),
        ("valid_from", &today),
    ];
    assert_eq!(
        reviewer.post_form("/orgs/eanma/accreditations", &accredit).await.status(),
        StatusCode::SEE_OTHER
    );
    complete(&app, &amina, "hand-hygiene").await;
    let certificate = certificate::Entity::find().one(db).await.unwrap().unwrap().public_id;
    World { app, officer, reviewer, amina, juma, certificate }
}

async fn api(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/v1/regulators/dnmc/verifications", app.address))
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn tokens_are_shown_once_stored_hashed_scoped_and_revocable() {
    let w = world().await;
    let secret = make_token(&w.officer, &["credits:read"], "30").await;
    let db = w.app.state.db.read();
    let row = api_token::Entity::find().one(db).await.unwrap().unwrap();
    assert_ne!(row.token_hash, secret, "only a hash is stored");
    assert!(!w.officer.get_text("/account/tokens").await.contains(&secret), "never shown again");

    let body = format!(r#"[{{"certificate_id": "{}"}}]"#, w.certificate);
    assert_eq!(api(&w.app, &secret, "application/json", body.clone()).await.status(), StatusCode::OK);
    // Wrong scope, a route that takes no tokens, a forged token.
    let search_only = make_token(&w.officer, &["search:read"], "30").await;
    assert_eq!(
        api(&w.app, &search_only, "application/json", body.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    let page = reqwest::Client::new()
        .get(format!("{}/orgs/dnmc/compliance", w.app.address))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_ne!(page.status(), StatusCode::OK, "pages are not for tokens");
    let forged = api(&w.app, "lt_forged", "application/json", body.clone()).await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(forged.headers()["content-type"], "application/problem+json");
    // A learner's token cannot act for the regulator.
    let learner_token = make_token(&w.amina, &["credits:read"], "30").await;
    assert_eq!(
        api(&w.app, &learner_token, "application/json", body.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    // Nonsense is refused beside its field.
    let response = w
        .officer
        .post_form("/account/tokens", &[("name", ""), ("days", "999"), ("scopes", "payroll:read")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("1 to 366 days") && page.contains("Choose scopes from the list"));
    // Revoked, then expired.
    let fresh = make_token(&w.officer, &["credits:write"], "366").await;
    assert_eq!(
        api(&w.app, &fresh, "application/json", body.clone()).await.status(),
        StatusCode::OK,
        "write includes read"
    );
    let id = api_token::Entity::find()
        .filter(api_token::Column::Scopes.eq("credits:write"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let response = w.officer.post_form(&format!("/account/tokens/{id}/revoke"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        api(&w.app, &fresh, "application/json", body.clone()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(api(&w.app, &secret, "application/json", body.clone()).await.status(), StatusCode::OK);
    w.app.clock.advance(chrono::Duration::days(31));
    assert_eq!(api(&w.app, &secret, "application/json", body).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bulk_verification_answers_every_row_and_refuses_a_broken_body_with_where() {
    let w = world().await;
    let token = make_token(&w.officer, &["credits:read"], "30").await;
    // Revoke nothing yet; a tampered id is simply unknown.
    let body = format!(
        r#"[{{"certificate_id": "{c}"}}, {{"certificate_id": "nosuchcertificate"}},
            {{"licence_number": "KM-1"}}, {{"licence_number": "km-2"}}, {{"licence_number": "KM-3"}},
            {{"licence_number": "KM-9"}}, 42, {{"certificate_id": "a", "licence_number": "b"}}]"#,
        c = w.certificate
    );
    let response = api(&w.app, &token, "application/json", body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: serde_json::Value = response.json().await.unwrap();
    assert_eq!(answer["rows"], 8);
    assert!(answer["error"].is_null());
    let results: Vec<(String, String)> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].to_string(), r["result"].as_str().unwrap().to_owned()))
        .collect();
    let expected = [
        ("1", "valid"),
        ("2", "not_found"),
        ("3", "compliant"),
        ("4", "no_consent"),
        ("5", "not_linked"),
        ("6", "not_on_roster"),
        ("7", "invalid"),
        ("8", "invalid"),
    ];
    assert_eq!(results, expected.map(|(a, b)| (a.to_owned(), b.to_owned())).to_vec());
    let first = &answer["results"][0];
    assert_eq!((first["name"].as_str(), first["credits"].as_str()), (Some("Amina Otieno"), Some("5")));
    assert!(answer["results"][3].get("counted").is_none(), "no figures without consent");

    // Revoked by the association: the next answer says so.
    let response = w
        .reviewer
        .post_form(
            &format!("/orgs/eanma/certificates/{}/revoke", w.certificate),
            &[("reason", "Issued in error")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let csv = format!("certificate_id\n{}\n", w.certificate);
    let response = api(&w.app, &token, "text/csv", csv).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(
        // An id that starts with `-` is written as `'-…` (no spreadsheet reads it as a formula).
        text.lines().nth(1).unwrap().starts_with(&format!(
            "2,{},,revoked,Amina Otieno",
            lantern::platform::ui::spreadsheet::cell(&w.certificate)
        )),
        "{text}"
    );

    // A body that is not what it says: refused before anything is answered, with where.
    let response = api(&w.app, &token, "application/json", r#"[{"certificate_id": "x"} {"#).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let problem: serde_json::Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("byte"), "{problem}");
    let response = api(&w.app, &token, "text/csv", "number\nKM-1\n").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = api(&w.app, &token, "text/plain", "KM-1").await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // From the page: a CSV file in, a CSV of answers out.
    let file = "licence_number\nKM-1\nKM-2\n";
    let response = w
        .officer
        .post_multipart("/orgs/dnmc/verifications", &[], ("file", "list.csv", file.as_bytes().to_vec()))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let text = response.text().await.unwrap();
    assert!(text.starts_with("row,certificate_id,licence_number,result"));
    assert!(
        text.contains(",KM-1,compliant,Amina Otieno") && text.contains(",KM-2,no_consent,Juma Kiprop"),
        "{text}"
    );
    let response = w
        .officer
        .post_multipart("/orgs/dnmc/verifications", &[], ("file", "list.csv", b"oops\n1\n".to_vec()))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("line 1"));
}

#[tokio::test]
async fn an_audit_draws_a_reproducible_sample_and_records_outcomes() {
    let w = world().await;
    let today = w.app.state.compliance.today().to_string();
    let response = w
        .officer
        .post_form("/orgs/dnmc/audits", &[("title", "2026 audit"), ("as_of", &today), ("percent", "0")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let audit =
        [("title", "2026 audit"), ("as_of", today.as_str()), ("percent", "100"), ("seed", "council-2026")];
    let response = w.officer.post_form("/orgs/dnmc/audits", &audit).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let page = w.officer.get_text(&location).await;
    assert!(page.contains("seed council-2026") && page.contains("KM-1"), "only Amina consented");
    assert!(!page.contains("KM-2"), "Juma did not consent: not in the population");

    // Her file: standing, ledger, activities with evidence, certificates; then an outcome.
    let db = w.app.state.db.read();
    let case = audit_case::Entity::find().one(db).await.unwrap().unwrap();
    let case_url = format!("{location}/cases/{}", case.id);
    let page = w.officer.get_text(&case_url).await;
    assert!(page.contains("Compliant") && page.contains(&w.certificate));
    let response = w.officer.post_form(&case_url, &[("outcome", "follow_up"), ("note", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a note is required");
    let response = w
        .officer
        .post_form(&case_url, &[("outcome", "follow_up"), ("note", "Ask for the workshop log")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let case = audit_case::Entity::find_by_id(case.id).one(db).await.unwrap().unwrap();
    assert_eq!((case.outcome.as_str(), case.note.as_str()), ("follow_up", "Ask for the workshop log"));
    // Same seed, same sample, drawn again.
    let response = w.officer.post_form("/orgs/dnmc/audits", &audit).await;
    let again = w.officer.get_text(response.headers()["location"].to_str().unwrap()).await;
    assert!(again.contains("KM-1"));
    // Another regulator's officer sees none of it.
    assert_eq!(w.juma.get(&case_url).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn activity_evidence_is_checked_and_seen_by_the_reviewer_and_the_consented_regulator() {
    let w = world().await;
    let eanma = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq("eanma"))
        .one(w.app.state.db.read())
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let today = w.app.state.compliance.today().to_string();
    let form = [
        ("organisation", eanma.as_str()),
        ("kind", "workshop"),
        ("title", "Neonatal resuscitation workshop"),
        ("held_on", today.as_str()),
        ("credits", "3"),
        ("category", "clinical"),
    ];
    let response =
        w.amina.post_multipart("/me/credits/activities", &form, ("file", "log.txt", b"hello".to_vec())).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("log.txt is not a PDF, JPEG, PNG or WebP file"));
    let pdf = b"%PDF-1.4\n% attendance\n".to_vec();
    let response =
        w.amina.post_multipart("/me/credits/activities", &form, ("file", "log.pdf", pdf.clone())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let activity = outside_activity::Entity::find().one(w.app.state.db.read()).await.unwrap().unwrap();
    let url = format!("/activities/{}/file", activity.id);
    for (who, status) in [(&w.amina, 200), (&w.reviewer, 200), (&w.officer, 200), (&w.juma, 404)] {
        let response = who.get(&url).await;
        assert_eq!(response.status().as_u16(), status);
        if status == 200 {
            assert_eq!(response.headers()["cache-control"], "private, no-store");
            assert_eq!(response.bytes().await.unwrap().to_vec(), pdf);
        }
    }
}

#[tokio::test]
async fn the_learner_gets_a_transcript_and_pdfs_and_the_regulator_filters_and_a_monthly_summary() {
    let w = world().await;
    let page = w.amina.get_text("/me/credits").await;
    let link = page.split("/me/credits/transcripts/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let base = format!("/me/credits/transcripts/{link}");
    let page = w.amina.get_text(&base).await;
    assert!(page.contains("hand hygiene") && page.contains("KM-1"), "{page}");
    let csv = w.amina.get_text(&format!("{base}/csv")).await;
    assert!(
        csv.starts_with("Date,Activity,Kind,Category,Credits,Counted,Note") && csv.contains(",5,5,"),
        "{csv}"
    );
    let response = w.amina.get(&format!("{base}/pdf")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF-"));
    assert_eq!(w.juma.get(&base).await.status(), StatusCode::NOT_FOUND, "her transcript is hers");
    let response = w.amina.get(&format!("/me/certificates/{}/pdf", w.certificate)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() < 200_000, "{} bytes", pdf.len());
    assert_eq!(
        w.juma.get(&format!("/me/certificates/{}/pdf", w.certificate)).await.status(),
        StatusCode::NOT_FOUND
    );

    // The dashboard filters by status and region; the CSV follows the filter.
    let page = w.officer.get_text("/orgs/dnmc/compliance?status=compliant&region=Turkana").await;
    assert!(page.contains("One licensee matches") && page.contains("KM-1"));
    let page = w.officer.get_text("/orgs/dnmc/compliance?status=non-compliant").await;
    assert!(page.contains("0 licensees match") && !page.contains("Amina Otieno ·"), "{page}");
    let csv = w.officer.get_text("/orgs/dnmc/compliance.csv?region=Kisumu").await;
    assert_eq!(csv.lines().count(), 1, "only the header: no consenting licensee in Kisumu");

    // Once a month, the officers get the counts (October's went out when the server started).
    w.app.clock.advance(chrono::Duration::days(10));
    let url = w.app.state.config.public_url();
    assert_eq!(w.app.state.compliance.send_monthly_summaries(&url).await.unwrap(), 1);
    assert_eq!(w.app.state.compliance.send_monthly_summaries(&url).await.unwrap(), 0, "once a month");
    w.app.state.outbox_wake.notify_one();
    let email = w.app.email_containing("olive@example.org", "Compliant: 1").await;
    assert!(email.subject.contains("CPD compliance for 2026-11"), "{}", email.subject);
}

/// An officer's work through the API: the rules, a roster (a broken one refused whole by line,
/// the old one kept), the consenting licensees and where they stand, an audit; a learner's
/// consent and certificates.
#[tokio::test]
async fn an_officer_imports_a_roster_lists_compliance_and_starts_an_audit_through_the_api() {
    let World { app, officer, amina, juma, certificate, .. } = world().await;
    let token = make_token(&officer, &["credits:write"], "1").await;
    let client = reqwest::Client::new();
    let call = |method: reqwest::Method, token: &str, path: &str, content_type: &str, body: &str| {
        client
            .request(method, format!("{}/api/v1{path}", app.address))
            .bearer_auth(token)
            .header("Content-Type", content_type)
            .body(body.to_owned())
            .send()
    };
    use reqwest::Method;
    let json = |response: reqwest::Response| async move {
        let status = response.status();
        (status, response.json::<serde_json::Value>().await.unwrap())
    };

    let (status, rules) =
        json(call(Method::GET, &token, "/regulators/dnmc/rules", "", "").await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (rules[0]["profession"].as_str(), rules[0]["rules"]["total"].as_i64()),
        (Some("midwife"), Some(500))
    );

    let broken =
        "licence_number,name,profession,renewed_on,region\nKM-1,Amina Otieno,astronaut,2026-01-15,Turkana\n";
    let (status, problem) =
        json(call(Method::POST, &token, "/regulators/dnmc/roster", "text/csv", broken).await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().contains("line 2"), "{problem}");
    let compliance = || async {
        json(call(Method::GET, &token, "/regulators/dnmc/compliance", "", "").await.unwrap()).await.1["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| format!("{} {}", l["licence"].as_str().unwrap(), l["status"].as_str().unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(compliance().await, ["KM-1 compliant"], "the old roster stays; only Amina consents");

    let roster = "licence_number,name,profession,renewed_on,region\n\
                  KM-1,Amina Otieno,midwife,2026-01-15,Turkana\nKM-2,Juma Kiprop,midwife,2026-01-15,Kisumu\n\
                  KM-4,Wanjiku Mwangi,midwife,2026-01-15,Nakuru\n";
    let (status, report) =
        json(call(Method::POST, &token, "/regulators/dnmc/roster", "text/csv", roster).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    // Amina's and Juma's licences were confirmed by the first roster already.
    let counts = ["rows", "confirmed", "name_mismatches"].map(|k| report[k].as_u64().unwrap());
    assert_eq!(counts, [3, 0, 0]);

    // Juma consents through the API; a regulator unknown by that slug is 404.
    let juma_token = make_token(&juma, &["credits:write"], "1").await;
    let (status, standing) = json(
        call(Method::POST, &juma_token, "/me/credits/consent/dnmc", "application/json", r#"{"grant": true}"#)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(standing[0]["consented"], true);
    let association = call(
        Method::POST,
        &juma_token,
        "/me/credits/consent/eanma",
        "application/json",
        r#"{"grant": true}"#,
    );
    assert_eq!(association.await.unwrap().status(), StatusCode::NOT_FOUND);
    let listed = compliance().await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed[1].starts_with("KM-2 "), "by licence number: {listed:?}");
    let (_, page) = json(
        call(Method::GET, &token, "/regulators/dnmc/compliance?status=compliant&limit=1", "", "")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((page["items"].as_array().unwrap().len(), page["next_cursor"].is_null()), (1, true));
    let bad = call(Method::GET, &token, "/regulators/dnmc/compliance?limit=0", "", "").await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let today = app.state.compliance.today().format("%Y-%m-%d").to_string();
    let audit = format!(
        r#"{{"title": "Renewal audit", "as_of": "{today}", "percent": 100, "seed": "council-2026"}}"#
    );
    let (status, started) = json(
        call(Method::POST, &token, "/regulators/dnmc/audits", "application/json", &audit).await.unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!((started["population"].as_i64(), started["cases"].as_u64()), (Some(2), Some(2)));
    let zero = format!(r#"{{"title": "None", "as_of": "{today}", "percent": 0}}"#);
    let (status, problem) =
        json(call(Method::POST, &token, "/regulators/dnmc/audits", "application/json", &zero).await.unwrap())
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().starts_with("percent"), "{problem}");
    let (_, audits) = json(call(Method::GET, &token, "/regulators/dnmc/audits", "", "").await.unwrap()).await;
    assert_eq!(audits.as_array().unwrap().len(), 1, "nothing kept of the refused one");
    let detail = format!("/regulators/dnmc/audits/{}", started["id"]);
    let (_, audit) = json(call(Method::GET, &token, &detail, "", "").await.unwrap()).await;
    let cases = audit["cases"].as_array().unwrap();
    assert_eq!((cases.len(), cases[0]["outcome"].as_str()), (2, Some("pending")));
    let case = format!("{detail}/cases/{}", cases[0]["id"]);
    let wrong =
        call(Method::POST, &token, &case, "application/json", r#"{"outcome": "fine"}"#).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let decided = r#"{"outcome": "satisfactory", "note": "Ledger and certificate agree"}"#;
    let (status, audit) =
        json(call(Method::POST, &token, &case, "application/json", decided).await.unwrap()).await;
    assert_eq!((status, audit["audit"]["decided"].as_u64()), (StatusCode::OK, Some(1)));

    // Rules set through the API are checked as the rules page checks them.
    let rules = r#"{"profession": "midwife", "cycle_years": 1, "anchor": "13-01", "total": 30}"#;
    let (status, problem) =
        json(call(Method::POST, &token, "/regulators/dnmc/rules", "application/json", rules).await.unwrap())
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().starts_with("anchor"), "{problem}");
    let rules = r#"{"profession": "midwife", "cycle_years": 1, "anchor": "01-01", "total": 30,
        "minimums": {"ethics": 5}, "accreditors": ["eanma"]}"#;
    let (status, rules) =
        json(call(Method::POST, &token, "/regulators/dnmc/rules", "application/json", rules).await.unwrap())
            .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rules[0]["rules"]["total"], 3000);

    // The learner's certificates, signed, each with where anyone may check it.
    let amina_token = make_token(&amina, &["credits:read"], "1").await;
    let (_, certificates) =
        json(call(Method::GET, &amina_token, "/me/certificates", "", "").await.unwrap()).await;
    assert_eq!(certificates[0]["id"].as_str(), Some(certificate.as_str()));
    assert!(certificates[0]["credential"].as_str().unwrap().starts_with("eyJ"));
    // Officers only: a learner's token of the right scope is refused the regulator's list.
    let refused = call(Method::GET, &amina_token, "/regulators/dnmc/compliance", "", "").await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
