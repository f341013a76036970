//! Workforce insights on crafted data: small groups hidden, and with them every figure that would
//! reveal one by subtraction from the totals; the same on the page and in the CSV; a regulator's
//! compliance counts only licensees who consented.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::accounts::entity::{account, licence, membership, organisation};
use lantern::credits::entity::{credit_consent, roster_entry};
use lantern::platform::clock::Clock;
use lantern_tests::{Browser, TestApp, html, texts};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;

async fn organisation_id(app: &TestApp, slug: &str) -> i32 {
    organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .one(app.state.db.read())
        .await
        .unwrap()
        .unwrap()
        .id
}

/// `count` people with this region, profession and setting; their ids.
async fn people(
    app: &TestApp,
    tag: &str,
    count: usize,
    region: &str,
    profession: &str,
    setting: &str,
) -> Vec<i32> {
    let db = app.state.db.write();
    let mut ids = Vec::new();
    for i in 0..count {
        let row = account::ActiveModel {
            email: Set(format!("{tag}{i}@example.org")),
            name: Set(format!("{tag} {i}")),
            locale: Set("en".into()),
            profession: Set(Some(profession.into())),
            region: Set(Some(region.into())),
            setting: Set(Some(setting.into())),
            languages: Set("en".into()),
            created_at: Set(app.clock.now()),
            updated_at: Set(app.clock.now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        ids.push(row.id);
    }
    ids
}

async fn members(app: &TestApp, organisation_id: i32, ids: &[i32]) {
    for id in ids {
        membership::ActiveModel {
            organisation_id: Set(organisation_id),
            account_id: Set(*id),
            role: Set("member".into()),
            created_at: Set(app.clock.now()),
            ..Default::default()
        }
        .insert(app.state.db.write())
        .await
        .unwrap();
    }
}

/// A CSV of insights as (row, column) → figure.
async fn figures(browser: &Browser, path: &str) -> HashMap<(String, String), String> {
    let response = browser.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            ((record[0].to_owned(), record[1].to_owned()), record[2].to_owned())
        })
        .collect()
}

/// Every row and every column, each with its total, hides none of its figures or at least two.
fn assert_no_line_hides_exactly_one(figures: &HashMap<(String, String), String>) {
    let mut lines: HashMap<(bool, &str), usize> = HashMap::new();
    for ((row, column), figure) in figures {
        let hidden = usize::from(figure == "suppressed");
        *lines.entry((true, row.as_str())).or_default() += hidden;
        *lines.entry((false, column.as_str())).or_default() += hidden;
    }
    for ((is_row, name), hidden) in lines {
        assert_ne!(
            hidden,
            1,
            "{} {name} hides exactly one figure: {figures:?}",
            if is_row { "row" } else { "column" }
        );
    }
}

#[tokio::test]
async fn an_association_sees_its_members_with_small_groups_and_their_revealers_hidden() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let staff = app.sign_up("Ana Author", "ana@example.org").await;
    app.join(&platform, &staff, "ana@example.org", "eanma", "author").await;
    let eanma = organisation_id(&app, "eanma").await;
    // 3 nurses in Kisumu: too few to show, and 15 − 12 or 23 − 20 would give them away.
    for (tag, count, region, profession, setting) in [
        ("km", 12, "Kisumu", "midwife", "rural"),
        ("kn", 3, "Kisumu", "nurse", "rural"),
        ("nm", 8, "Nakuru", "midwife", "urban"),
        ("nn", 20, "Nakuru", "nurse", "urban"),
    ] {
        let ids = people(&app, tag, count, region, profession, setting).await;
        members(&app, eanma, &ids).await;
    }

    // Eight Kisumu midwives enrol in one of the association's courses this month; two complete it.
    let course = lantern::courses::entity::course::Entity::find()
        .filter(lantern::courses::entity::course::Column::OrganisationId.eq(eanma))
        .filter(lantern::courses::entity::course::Column::PublishedVersionId.is_not_null())
        .one(app.state.db.read())
        .await
        .unwrap()
        .expect("the demo association has a published course");
    let midwives: Vec<i32> = account::Entity::find()
        .filter(account::Column::Email.starts_with("km"))
        .all(app.state.db.read())
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    for (i, id) in midwives.iter().take(8).enumerate() {
        lantern::courses::entity::enrolment::ActiveModel {
            account_id: Set(*id),
            course_id: Set(course.id),
            version_id: Set(course.published_version_id.unwrap()),
            enrolled_at: Set(app.clock.now()),
            completed_at: Set((i < 2).then(|| app.clock.now())),
            ..Default::default()
        }
        .insert(app.state.db.write())
        .await
        .unwrap();
    }
    let month = app.clock.now().format("%Y-%m").to_string();
    let enrolments = figures(&staff, "/orgs/eanma/insights/enrolments.csv").await;
    assert_eq!(enrolments[&("Midwife".to_owned(), month.clone())], "8", "counted in this month's column");
    assert_eq!(enrolments[&("total".to_owned(), "total".to_owned())], "8");
    let completions = figures(&staff, "/orgs/eanma/insights/completions.csv").await;
    assert_eq!(completions[&("Midwife".to_owned(), month)], "suppressed", "two people");
    assert_eq!(completions[&("total".to_owned(), "total".to_owned())], "suppressed");
    assert_no_line_hides_exactly_one(&completions);

    let members = figures(&staff, "/orgs/eanma/insights/members.csv").await;
    let at = |row: &str, column: &str| members[&(row.to_owned(), column.to_owned())].clone();
    assert_eq!(at("Kisumu", "Nurse"), "suppressed");
    for (row, column) in [("Kisumu", "Midwife"), ("Nakuru", "Nurse"), ("Nakuru", "Midwife")] {
        assert_eq!(at(row, column), "suppressed", "{row} {column} would reveal the 3 by subtraction");
    }
    assert_eq!(
        [
            at("Kisumu", "total"),
            at("Nakuru", "total"),
            at("total", "Midwife"),
            at("total", "Nurse"),
            at("total", "total")
        ],
        ["15", "28", "20", "23", "43"]
    );
    assert_no_line_hides_exactly_one(&members);
    // By setting: the same people, the same protection.
    let settings = figures(&staff, "/orgs/eanma/insights/settings.csv").await;
    assert_eq!(settings[&("Nurse".to_owned(), "Rural".to_owned())], "suppressed");
    assert_no_line_hides_exactly_one(&settings);

    let response = staff.get("/orgs/eanma/insights").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = response.text().await.unwrap();
    let document = html(&page);
    assert!(page.contains("<svg class=\"chart\""), "charts drawn on the server");
    assert!(!page.contains("<script"), "no chart script");
    assert!(!page.contains("km0@") && !page.contains("km 0"), "no one named");
    let members_table = texts(&document, "#members tbody td");
    // Kisumu: 4 hidden cells in all, each a dash; the totals shown.
    assert_eq!(members_table.iter().filter(|t| *t == "–").count(), 4, "{members_table:?}");
    assert!(members_table.contains(&"15".to_owned()) && members_table.contains(&"28".to_owned()));
    assert!(texts(&document, "#members tfoot td").contains(&"43".to_owned()));
    // Every table links its CSV.
    for key in ["members", "settings", "enrolments", "completions", "credits", "mentoring"] {
        assert!(page.contains(&format!("/orgs/eanma/insights/{key}.csv")), "{key}");
    }
    assert_eq!(staff.get("/orgs/eanma/insights/nosuch.csv").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(staff.get("/orgs/eanma/insights/members").await.status(), StatusCode::NOT_FOUND);

    // The API answers the same figures by code, a hidden one as null, to a token of the scope.
    let token = lantern_tests::make_token(&staff, &["insights:read"], "30").await;
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/orgs/eanma/insights", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["min_cell"], 5);
    let table = body["tables"].as_array().unwrap().iter().find(|t| t["key"] == "members").unwrap();
    assert_eq!((table["rows"].as_str(), table["columns"].as_str()), (Some("region"), Some("profession")));
    let figure = |row: Option<&str>, column: Option<&str>| {
        let found = table["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["row"].as_str() == row && f["column"].as_str() == column);
        found.unwrap()["people"].clone()
    };
    assert!(figure(Some("Kisumu"), Some("nurse")).is_null());
    assert!(figure(Some("Nakuru"), Some("midwife")).is_null());
    assert_eq!(figure(Some("Kisumu"), None), 15);
    assert_eq!(figure(None, None), 43);
    assert_eq!(table["suppressed"], 4);
    let search_only = lantern_tests::make_token(&staff, &["search:read"], "30").await;
    let refused = reqwest::Client::new()
        .get(format!("{}/api/v1/orgs/eanma/insights", app.address))
        .bearer_auth(&search_only)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_regulator_sees_consenting_licensees_compliance_by_profession_region_and_month() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let officer = app.sign_up("Olive Officer", "olive@example.org").await;
    app.join(&platform, &officer, "olive@example.org", "dnmc", "officer").await;
    let dnmc = organisation_id(&app, "dnmc").await;
    let rules = [
        ("profession", "midwife"),
        ("cycle_years", "1"),
        ("anchor", "01-01"),
        ("total", "5"),
        ("minimums", ""),
        ("maximums", ""),
        ("rolling_validity_months", ""),
        ("accreditors", "eanma"),
    ];
    assert_eq!(officer.post_form("/orgs/dnmc/cpd-rules", &rules).await.status(), StatusCode::SEE_OTHER);
    // Licensed midwives: 7 in Kisumu (one did not consent), 3 in Turkana, 8 in Nakuru.
    let db = app.state.db.write();
    let today = app.clock.now().date_naive();
    for (tag, count, region) in [("k", 7, "Kisumu"), ("t", 3, "Turkana"), ("n", 8, "Nakuru")] {
        for (i, id) in people(&app, tag, count, region, "midwife", "rural").await.into_iter().enumerate() {
            let number = format!("{tag}-{i}");
            roster_entry::ActiveModel {
                regulator_id: Set(dnmc),
                number: Set(number.clone()),
                name: Set(format!("{tag} {i}")),
                profession: Set("midwife".into()),
                renewed_on: Set(today),
                region: Set(region.into()),
                imported_at: Set(app.clock.now()),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
            licence::ActiveModel {
                account_id: Set(id),
                regulator_id: Set(dnmc),
                number: Set(number),
                status: Set("verified".into()),
                verified_at: Set(Some(app.clock.now())),
                created_at: Set(app.clock.now()),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
            if !(tag == "k" && i == 0) {
                credit_consent::ActiveModel {
                    account_id: Set(id),
                    regulator_id: Set(dnmc),
                    granted_at: Set(app.clock.now()),
                    ..Default::default()
                }
                .insert(db)
                .await
                .unwrap();
            }
        }
    }

    let by_region = figures(&officer, "/orgs/dnmc/insights/compliance-regions.csv").await;
    let at = |row: &str, column: &str| by_region[&(row.to_owned(), column.to_owned())].clone();
    assert_eq!(at("total", "total"), "17", "only those who consented");
    assert_eq!(at("Turkana", "total"), "suppressed", "3 is too few");
    assert_eq!(at("Kisumu", "total"), "suppressed", "17 − 8 − 6 would give Turkana's 3");
    assert_eq!(at("Nakuru", "total"), "8");
    assert_no_line_hides_exactly_one(&by_region);
    let by_profession = figures(&officer, "/orgs/dnmc/insights/compliance-professions.csv").await;
    assert_eq!(by_profession[&("Midwife".to_owned(), "total".to_owned())], "17");
    assert_eq!(by_profession[&("Midwife".to_owned(), "Compliant".to_owned())], "0", "no credits yet");
    let trend = figures(&officer, "/orgs/dnmc/insights/compliance-trend.csv").await;
    assert_eq!(trend.len(), 2 * 13, "a profession and the total row, by twelve months and the total");

    let page = officer.get_text("/orgs/dnmc/insights").await;
    assert!(
        page.contains("Licensees&#39; compliance today, by region")
            || page.contains("compliance today, by region")
    );
    assert!(page.contains("<svg class=\"chart\""));
    // An association's page for a regulator's officer, and the reverse: refused.
    assert_eq!(officer.get("/orgs/eanma/insights").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn figures_are_shown_as_counted_with_their_time_and_counted_again_in_the_background() {
    let app = TestApp::spawn().await;
    let platform = app.platform_admin("root@example.org").await;
    let staff = app.sign_up("Ana Author", "ana@example.org").await;
    app.join(&platform, &staff, "ana@example.org", "eanma", "author").await;
    let eanma = organisation_id(&app, "eanma").await;
    let ids = people(&app, "a", 6, "Kisumu", "nurse", "rural").await;
    members(&app, eanma, &ids).await;
    let total = |figures: HashMap<(String, String), String>| {
        figures[&("total".to_owned(), "total".to_owned())].clone()
    };
    assert_eq!(
        total(figures(&staff, "/orgs/eanma/insights/members.csv").await),
        "6",
        "counted on the first page"
    );

    let more = people(&app, "b", 5, "Nakuru", "nurse", "urban").await;
    members(&app, eanma, &more).await;
    assert_eq!(total(figures(&staff, "/orgs/eanma/insights/members.csv").await), "6", "shown as counted");
    let counted = app.clock.now().format("%Y-%m-%d %H:%M UTC").to_string();
    assert!(staff.get_text("/orgs/eanma/insights").await.contains(&format!("Counted at {counted}")));

    // Past the refresh interval: still shown as counted while they are counted again.
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(total(figures(&staff, "/orgs/eanma/insights/members.csv").await), "6");
    let mut latest = String::new();
    for _ in 0..100 {
        latest = total(figures(&staff, "/orgs/eanma/insights/members.csv").await);
        if latest == "11" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(latest, "11", "counted again in the background");
}
