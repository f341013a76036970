//! The authorisation matrix: every registered route × every role → the expected status. A route
//! added to the backend without a row here fails `every_route_has_a_row`. Every refusal (403)
//! leaves an audit event.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::platform::audit::entity as audit;
use lantern_tests::{Browser, TestApp};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// The actors, in the order of each row's statuses.
const ACTORS: [&str; 7] = [
    "anonymous",
    "learner",
    "author",
    "reviewer",
    "other-association-admin",
    "regulator-officer",
    "platform-admin",
];

/// (method, route as registered, concrete path, form fields, statuses per actor)
type Row = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)], [u16; 7]);

const ALL_200: [u16; 7] = [200; 7];
const ALL_410: [u16; 7] = [410; 7];
const SIGNED_IN_200: [u16; 7] = [303, 200, 200, 200, 200, 200, 200];
const PLATFORM_ONLY: [u16; 7] = [303, 403, 403, 403, 403, 403, 200];

const ROWS: &[Row] = &[
    ("get", "/", "/", &[], ALL_200),
    ("get", "/healthz", "/healthz", &[], ALL_200),
    ("get", "/readyz", "/readyz", &[], ALL_200),
    ("get", "/metrics", "/metrics", &[], ALL_200),
    ("get", "/static/{name}", "/static/style-000000000000.css", &[], [404; 7]),
    ("get", "/sign-up", "/sign-up", &[], [200, 303, 303, 303, 303, 303, 303]),
    ("get", "/sign-in", "/sign-in", &[], [200, 303, 303, 303, 303, 303, 303]),
    ("get", "/sign-in/link", "/sign-in/link", &[], ALL_200),
    ("get", "/forgot-password", "/forgot-password", &[], ALL_200),
    ("get", "/sign-in/link/{token}", "/sign-in/link/bogus", &[], ALL_410),
    ("get", "/reset-password/{token}", "/reset-password/bogus", &[], ALL_410),
    ("get", "/verify-email/{token}", "/verify-email/bogus", &[], ALL_410),
    ("get", "/invitations/{token}", "/invitations/bogus", &[], ALL_410),
    ("get", "/account", "/account", &[], SIGNED_IN_200),
    ("get", "/orgs", "/orgs", &[], SIGNED_IN_200),
    ("get", "/orgs/{slug}", "/orgs/eanma", &[], [303, 403, 200, 200, 403, 403, 200]),
    ("get", "/admin", "/admin", &[], PLATFORM_ONLY),
    ("get", "/admin/outbox", "/admin/outbox", &[], PLATFORM_ONLY),
    ("post", "/sign-up", "/sign-up", &[], [422; 7]),
    ("post", "/sign-in", "/sign-in", &[], [401; 7]),
    ("post", "/sign-in/link", "/sign-in/link", &[], [422; 7]),
    ("post", "/sign-in/link/{token}", "/sign-in/link/bogus", &[], ALL_410),
    ("post", "/forgot-password", "/forgot-password", &[], [422; 7]),
    ("post", "/reset-password/{token}", "/reset-password/bogus", &[], ALL_410),
    ("post", "/verify-email/{token}", "/verify-email/bogus", &[], ALL_410),
    ("post", "/account", "/account", &[], [401, 422, 422, 422, 422, 422, 422]),
    ("post", "/account/verification", "/account/verification", &[], [401, 303, 303, 303, 303, 303, 303]),
    ("post", "/account/password", "/account/password", &[], [401, 422, 422, 422, 422, 422, 422]),
    ("post", "/account/licences", "/account/licences", &[], [401, 422, 422, 422, 422, 422, 422]),
    (
        "post",
        "/account/licences/{id}/delete",
        "/account/licences/999999/delete",
        &[],
        [401, 404, 404, 404, 404, 404, 404],
    ),
    ("post", "/language", "/language", &[("lang", "en")], [303; 7]),
    ("post", "/orgs/{slug}/invitations", "/orgs/eanma/invitations", &[], [401, 403, 403, 403, 403, 403, 422]),
    (
        "post",
        "/orgs/{slug}/members/{id}/delete",
        "/orgs/eanma/members/999999/delete",
        &[],
        [401, 403, 403, 403, 403, 403, 404],
    ),
    ("post", "/invitations/{token}", "/invitations/bogus", &[], [401, 410, 410, 410, 410, 410, 410]),
    ("post", "/admin/organisations", "/admin/organisations", &[], [401, 403, 403, 403, 403, 403, 422]),
    (
        "post",
        "/admin/accounts/{id}/disable",
        "/admin/accounts/999999/disable",
        &[],
        [401, 403, 403, 403, 403, 403, 404],
    ),
    (
        "post",
        "/admin/outbox/{id}/retry",
        "/admin/outbox/999999/retry",
        &[],
        [401, 403, 403, 403, 403, 403, 404],
    ),
    // Ends the session: last.
    (
        "post",
        "/account/sessions/end-all",
        "/account/sessions/end-all",
        &[],
        [401, 303, 303, 303, 303, 303, 303],
    ),
    ("post", "/sign-out", "/sign-out", &[], [303; 7]),
];

#[test]
fn every_route_has_a_row() {
    let registered = lantern_tests::routes();
    assert!(registered.len() >= 35, "found {} routes", registered.len());
    for (method, path) in &registered {
        assert!(
            ROWS.iter().any(|(m, route, ..)| m == method && route == path),
            "{} {path} has no row in the authorisation matrix",
            method.to_uppercase()
        );
    }
}

async fn actors(app: &TestApp) -> Vec<Browser> {
    let admin = app.platform_admin("platform@example.org").await;
    let learner = app.sign_up("Lerato Learner", "learner@example.org").await;
    let author = app.sign_up("Amos Author", "author@example.org").await;
    app.join(&admin, &author, "author@example.org", "eanma", "author").await;
    let reviewer = app.sign_up("Rita Reviewer", "reviewer@example.org").await;
    app.join(&admin, &reviewer, "reviewer@example.org", "eanma", "reviewer").await;
    let other_admin = app.sign_up("Oumar Admin", "oadmin@example.org").await;
    app.join(&admin, &other_admin, "oadmin@example.org", "ainfao", "admin").await;
    let officer = app.sign_up("Olive Officer", "officer@example.org").await;
    app.join(&admin, &officer, "officer@example.org", "dnmc", "officer").await;
    vec![app.browser(), learner, author, reviewer, other_admin, officer, admin]
}

#[tokio::test]
async fn each_role_gets_exactly_its_expected_answer_on_every_route() {
    let app = TestApp::spawn().await;
    let browsers = actors(&app).await;
    let denied_before = denials(&app).await;
    let mut failures = Vec::new();
    let mut expected_denials = 0;
    for (method, route, path, fields, expected) in ROWS {
        for ((actor, browser), want) in ACTORS.iter().zip(&browsers).zip(expected) {
            let response = match *method {
                "get" => browser.get(path).await,
                _ => browser.post_form(path, fields).await,
            };
            if *want == 403 {
                expected_denials += 1;
            }
            if response.status().as_u16() != *want {
                failures.push(format!(
                    "{} {route} as {actor}: got {}, expected {want}",
                    method.to_uppercase(),
                    response.status().as_u16()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(denials(&app).await - denied_before, expected_denials, "every refusal is in the audit trail");
}

async fn denials(app: &TestApp) -> u64 {
    audit::Entity::find()
        .filter(audit::Column::Action.eq("access.denied"))
        .count(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_association_admin_cannot_manage_another_association() {
    let app = TestApp::spawn().await;
    let browsers = actors(&app).await;
    let other_admin = &browsers[4];
    assert_eq!(other_admin.get("/orgs/ainfao").await.status(), StatusCode::OK, "their own association");
    let response = other_admin
        .post_form("/orgs/eanma/invitations", &[("email", "spy@example.org"), ("role", "admin")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = other_admin.get("/orgs/eanma").await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(
        !page.text().await.unwrap().contains("author@example.org"),
        "nothing of the other association leaks"
    );
}
