//! Accounts end to end: sign-up, verification, sign-in and out, reset, one-time links, sessions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::Duration;
use lantern_tests::{PASSWORD, TestApp, html, texts};
use reqwest::StatusCode;

#[tokio::test]
async fn a_clinician_signs_up_verifies_signs_out_and_signs_in_again() {
    let app = TestApp::spawn().await;
    let browser = app.sign_up("Amina Otieno", "Amina@Example.org").await;

    let profile = browser.get_text("/account").await;
    assert!(profile.contains("Amina Otieno"), "the profile shows the name");
    assert!(profile.contains("amina@example.org"), "the email is stored lower-cased");

    let email = app.email_to("amina@example.org", 1).await;
    assert!(email.subject.contains("Confirm"), "verification subject: {}", email.subject);
    assert!(!email.html.is_empty() && !email.text.is_empty(), "HTML and text alternatives");
    let link = email.link("/verify-email/");
    // The link opens a confirmation page; only the button uses it up (mail scanners follow links).
    assert_eq!(browser.get(&link).await.status(), StatusCode::OK);
    assert_eq!(browser.get(&link).await.status(), StatusCode::OK, "opening the link twice uses nothing");
    assert_eq!(browser.post_form(&link, &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(browser.get_text("/account").await.contains("verified"), "the address is verified");
    assert_eq!(browser.post_form(&link, &[]).await.status(), StatusCode::GONE, "a used link is refused");

    let response = browser.post_form("/sign-out", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/account").await.status(), StatusCode::SEE_OTHER, "signed out: sent to sign in");

    let response = browser
        .post_form(
            "/sign-in",
            &[("email", "amina@example.org"), ("password", PASSWORD), ("next", "/account")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/account", "back to where they were going");
    assert_eq!(browser.get("/account").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_up_refuses_bad_input_with_each_field_named_and_writes_nothing() {
    let app = TestApp::spawn().await;
    app.sign_up("Existing Person", "taken@example.org").await;
    let browser = app.browser();

    // (the form, the field whose message appears, a phrase of that message)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        (
            &[("name", "A"), ("email", "taken@example.org"), ("password", PASSWORD)],
            "f-email",
            "already uses this email",
        ),
        (
            &[("name", "A"), ("email", "new@example.org"), ("password", "password123")],
            "f-password",
            "too easy to guess",
        ),
        (&[("name", "A"), ("email", "new@example.org"), ("password", "short")], "f-password", "too short"),
        (&[("name", ""), ("email", "new@example.org"), ("password", PASSWORD)], "f-name", "Enter a name"),
        (
            &[("name", "A"), ("email", "not-an-email"), ("password", PASSWORD)],
            "f-email",
            "like name@example.org",
        ),
    ];
    for (fields, field, message) in cases {
        let response = browser.post_form("/sign-up", fields).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{fields:?} explains: {message}");
        let document = html(&page);
        assert_eq!(texts(&document, &format!("#{field}-error")).len(), 1, "the error stands beside {field}");
        // What was typed is kept (never the password).
        if let Some((_, email)) = fields.iter().find(|(k, _)| *k == "email") {
            assert!(page.contains(&format!("value=\"{email}\"")), "email kept");
        }
        assert!(!page.contains(PASSWORD), "the password is never echoed");
    }
    assert!(browser.get("/account").await.status() == StatusCode::SEE_OTHER, "no session was created");
    let count = app.state.accounts.recent_accounts(100).await.unwrap().len();
    assert_eq!(count, 1, "only the first account exists");
}

#[tokio::test]
async fn the_eleventh_wrong_password_in_a_minute_is_refused_with_429() {
    let app = TestApp::spawn().await;
    app.sign_up("Brian Mwangi", "brian@example.org").await;
    let attacker = app.browser();
    for attempt in 1..=10 {
        let response = attacker
            .post_form("/sign-in", &[("email", "brian@example.org"), ("password", "wrong horse battery")])
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert!(response.text().await.unwrap().contains("not right"), "attempt {attempt} explains");
    }
    let response =
        attacker.post_form("/sign-in", &[("email", "brian@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After of {retry} s");

    app.clock.advance(Duration::seconds(61));
    let response =
        attacker.post_form("/sign-in", &[("email", "brian@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "after a minute the right password works");
}

#[tokio::test]
async fn unknown_and_known_emails_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.sign_up("Chidi Okafor", "chidi@example.org").await;
    let browser = app.browser();
    let known = browser
        .post_form("/sign-in", &[("email", "chidi@example.org"), ("password", "not the password")])
        .await;
    let unknown = browser
        .post_form("/sign-in", &[("email", "nobody@example.org"), ("password", "not the password")])
        .await;
    assert_eq!(known.status(), unknown.status());
    let strip = |page: String| texts(&html(&page), "main").join(" ");
    assert_eq!(
        strip(known.text().await.unwrap()).replace("chidi@example.org", "X"),
        strip(unknown.text().await.unwrap()).replace("nobody@example.org", "X")
    );

    for (path, email) in
        [("/forgot-password", "chidi@example.org"), ("/forgot-password", "nobody@example.org")]
    {
        let response = browser.post_form(path, &[("email", email)]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.text().await.unwrap().contains("If an account uses that address"));
    }
}

#[tokio::test]
async fn a_password_reset_link_works_once_ends_other_sessions_and_expires() {
    let app = TestApp::spawn().await;
    let phone = app.sign_up("Dalia Hassan", "dalia@example.org").await;
    let laptop = app.browser();
    laptop.post_form("/sign-in", &[("email", "dalia@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(laptop.get("/account").await.status(), StatusCode::OK);

    let stranger = app.browser();
    stranger.post_form("/forgot-password", &[("email", "dalia@example.org")]).await;
    let link = app.email_containing("dalia@example.org", "/reset-password/").await.link("/reset-password/");
    assert_eq!(stranger.get(&link).await.status(), StatusCode::OK);

    let weak = stranger.post_form(&link, &[("password", "123456789012")]).await;
    assert_eq!(
        weak.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a weak new password is refused and the link kept"
    );

    let new_password = "mango tree by the clinic door";
    let response = stranger.post_form(&link, &[("password", new_password)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(stranger.get("/account").await.status(), StatusCode::OK, "the reset signs in");
    assert_eq!(phone.get("/account").await.status(), StatusCode::SEE_OTHER, "other sessions ended");
    assert_eq!(laptop.get("/account").await.status(), StatusCode::SEE_OTHER, "other sessions ended");
    assert_eq!(
        stranger.post_form(&link, &[("password", "another long passphrase here")]).await.status(),
        StatusCode::GONE,
        "the link works once"
    );

    let old =
        app.browser().post_form("/sign-in", &[("email", "dalia@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED, "the old password no longer works");

    // A second link, left for more than an hour, has expired.
    stranger.post_form("/forgot-password", &[("email", "dalia@example.org")]).await;
    let late = app.email_to("dalia@example.org", 3).await.link("/reset-password/");
    app.clock.advance(Duration::minutes(61));
    assert_eq!(stranger.get(&late).await.status(), StatusCode::GONE, "an expired link is refused");
}

#[tokio::test]
async fn a_one_time_email_link_signs_in_without_a_password() {
    let app = TestApp::spawn().await;
    app.sign_up("Esther Banda", "esther@example.org").await;
    let phone = app.browser();
    let response = phone.post_form("/sign-in/link", &[("email", "esther@example.org")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let email = app.email_containing("esther@example.org", "/sign-in/link/").await;
    assert!(email.subject.contains("sign-in link"), "{}", email.subject);
    let link = email.link("/sign-in/link/");
    assert_eq!(phone.get(&link).await.status(), StatusCode::OK, "a confirmation page first");
    assert_eq!(phone.post_form(&link, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/account").await.status(), StatusCode::OK);
    assert_eq!(app.browser().post_form(&link, &[]).await.status(), StatusCode::GONE, "used once only");
}

#[tokio::test]
async fn sessions_rotate_expire_and_end_everywhere() {
    let app = TestApp::spawn().await;
    let first = app.sign_up("Fatou Diop", "fatou@example.org").await;
    let before = first.cookie("lantern-session").expect("session cookie");

    // Signing in again from the same browser issues a new session id; the old one is dead.
    let response =
        first.post_form("/sign-in", &[("email", "fatou@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("lantern-session="))
        .expect("new cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let after = first.cookie("lantern-session").unwrap();
    assert_ne!(before, after, "a new session id at sign-in");
    let replay = app.browser();
    replay.jar.add_cookie_str(&format!("lantern-session={before}"), &app.address.parse().unwrap());
    assert_eq!(replay.get("/account").await.status(), StatusCode::SEE_OTHER, "the old session id is refused");

    // Idle expiry, with the clock moved past it.
    app.clock.advance(Duration::days(15));
    assert_eq!(first.get("/account").await.status(), StatusCode::SEE_OTHER, "idle for 15 days: signed out");

    let a = app.browser();
    a.post_form("/sign-in", &[("email", "fatou@example.org"), ("password", PASSWORD)]).await;
    let b = app.browser();
    b.post_form("/sign-in", &[("email", "fatou@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(b.post_form("/account/sessions/end-all", &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(a.get("/account").await.status(), StatusCode::SEE_OTHER, "every session ended");
    assert_eq!(b.get("/account").await.status(), StatusCode::SEE_OTHER, "including this one");
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let phone = app.sign_up("Grace Achieng", "grace@example.org").await;
    let laptop = app.browser();
    laptop.post_form("/sign-in", &[("email", "grace@example.org"), ("password", PASSWORD)]).await;

    let wrong = phone
        .post_form(
            "/account/password",
            &[("current_password", "not it at all"), ("new_password", "a brand new long passphrase")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.unwrap().contains("current password is not right"));

    let ok = phone
        .post_form(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "a brand new long passphrase")],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/account").await.status(), StatusCode::OK, "this device stays signed in");
    assert_eq!(
        laptop.get("/account").await.status(),
        StatusCode::SEE_OTHER,
        "the other device is signed out"
    );
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.platform_admin("admin@example.org").await;
    let learner = app.sign_up("Hassan Ali", "hassan@example.org").await;
    assert_eq!(learner.get("/account").await.status(), StatusCode::OK);
    let id = app
        .state
        .accounts
        .recent_accounts(10)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email == "hassan@example.org")
        .unwrap()
        .id;
    assert_eq!(
        admin.post_form(&format!("/admin/accounts/{id}/disable"), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(learner.get("/account").await.status(), StatusCode::SEE_OTHER, "the session no longer works");
    let again =
        app.browser().post_form("/sign-in", &[("email", "hassan@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "and it cannot sign in");
}

#[tokio::test]
async fn the_profile_keeps_typed_values_and_names_each_bad_field() {
    let app = TestApp::spawn().await;
    let browser = app.sign_up("Ibrahim Sow", "ibrahim@example.org").await;
    let bad = [
        ("name", "Ibrahim Sow"),
        ("profession", "astronaut"),
        ("country", "XX"),
        ("region", "Kaolack"),
        ("setting", "rural"),
        ("languages", "wolof!!"),
        ("locale", "fr"),
    ];
    let response = browser.post_form("/account", &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    let document = html(&page);
    for field in ["profession", "country", "languages"] {
        assert_eq!(texts(&document, &format!("#f-{field}-error")).len(), 1, "{field} has its message");
    }
    assert!(page.contains("value=\"Kaolack\""), "typed values are kept");

    let good = [
        ("name", "Ibrahim Sow"),
        ("profession", "nurse"),
        ("country", "sn"),
        ("region", "Kaolack"),
        ("setting", "rural"),
        ("languages", "wo, fr"),
        ("locale", "fr"),
        ("data_saver", "on"),
    ];
    assert_eq!(browser.post_form("/account", &good).await.status(), StatusCode::SEE_OTHER);
    let page = browser.get_text("/account").await;
    assert!(page.contains("lang=\"fr\""), "the interface switches to French");
    assert!(page.contains("value=\"SN\""), "country stored as an ISO code");
}

#[tokio::test]
async fn licences_are_added_against_a_regulator_and_removed() {
    let app = TestApp::spawn().await;
    let browser = app.sign_up("Joyce Wanjiru", "joyce@example.org").await;
    let regulators = app.state.accounts.regulators().await.unwrap();
    let regulator = regulators.first().expect("the demo content ships a regulator");
    let id = regulator.id.to_string();
    assert_eq!(
        browser.post_form("/account/licences", &[("regulator", &id), ("number", "rn-12345")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = browser.get_text("/account").await;
    assert!(
        page.contains("RN-12345") && page.contains("awaiting confirmation"),
        "unverified until the regulator confirms"
    );

    let duplicate = browser.post_form("/account/licences", &[("regulator", &id), ("number", "RN-999")]).await;
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown =
        browser.post_form("/account/licences", &[("regulator", "999999"), ("number", "<script>")]).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unknown.text().await.unwrap();
    assert!(page.contains("Choose a regulator") && page.contains("licence number as printed"));

    let licence = app
        .state
        .accounts
        .licences(app.state.accounts.recent_accounts(1).await.unwrap()[0].id)
        .await
        .unwrap();
    let other = app.sign_up("Someone Else", "else@example.org").await;
    assert_eq!(
        other.post_form(&format!("/account/licences/{}/delete", licence[0].id), &[]).await.status(),
        StatusCode::NOT_FOUND,
        "not theirs"
    );
    assert_eq!(
        browser.post_form(&format!("/account/licences/{}/delete", licence[0].id), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn an_association_admin_invites_a_member_who_accepts_by_email() {
    let app = TestApp::spawn().await;
    let admin = app.platform_admin("root@example.org").await;
    let manager = app.sign_up("Kofi Mensah", "kofi@example.org").await;
    app.join(&admin, &manager, "kofi@example.org", "eanma", "admin").await;

    let author = app.sign_up("Lindiwe Dube", "lindiwe@example.org").await;
    let response = manager
        .post_form("/orgs/eanma/invitations", &[("email", "lindiwe@example.org"), ("role", "author")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let link = app.email_containing("lindiwe@example.org", "/invitations/").await.link("/invitations/");

    let stranger = app.sign_up("Not Lindiwe", "other@example.org").await;
    assert_eq!(
        stranger.post_form(&link, &[]).await.status(),
        StatusCode::FORBIDDEN,
        "only the invited address may accept"
    );
    assert_eq!(author.post_form(&link, &[]).await.status(), StatusCode::SEE_OTHER);
    let page = author.get_text("/orgs/eanma").await;
    assert!(page.contains("Lindiwe Dube") && page.contains("Author"));
    assert_eq!(author.post_form(&link, &[]).await.status(), StatusCode::GONE, "an invitation is used once");

    let bad = manager
        .post_form("/orgs/eanma/invitations", &[("email", "x@example.org"), ("role", "officer")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "associations have no officers");
}

#[tokio::test]
async fn a_signed_out_cookie_replayed_is_refused_and_sessions_end_after_thirty_days_however_active() {
    let app = TestApp::spawn().await;
    let browser = app.sign_up("Kamala Phiri", "kamala@example.org").await;
    let cookie = browser.cookie("lantern-session").unwrap();
    browser.post_form("/sign-out", &[]).await;
    let replay = app.browser();
    replay.jar.add_cookie_str(&format!("lantern-session={cookie}"), &app.address.parse().unwrap());
    assert_eq!(
        replay.get("/account").await.status(),
        StatusCode::SEE_OTHER,
        "a signed-out session stays dead"
    );

    let active = app.browser();
    let signed_in =
        active.post_form("/sign-in", &[("email", "kamala@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(active.get("/account").await.status(), StatusCode::OK);
    for (step, day) in [(10, 10), (10, 20), (9, 29)] {
        app.clock.advance(Duration::days(step));
        assert_eq!(active.get("/account").await.status(), StatusCode::OK, "still signed in on day {day}");
    }
    app.clock.advance(Duration::days(2));
    assert_eq!(
        active.get("/account").await.status(),
        StatusCode::SEE_OTHER,
        "31 days after sign-in: signed out"
    );
}

#[tokio::test]
async fn extra_fields_in_a_form_change_nothing_they_should_not() {
    let app = TestApp::spawn().await;
    let browser = app.sign_up("Lwazi Khumalo", "lwazi@example.org").await;
    let response = browser
        .post_form(
            "/account",
            &[
                ("name", "Lwazi Khumalo"),
                ("locale", "en"),
                ("is_platform_admin", "true"),
                ("email", "attacker@example.org"),
                ("email_verified_at", "2020-01-01T00:00:00Z"),
                ("id", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let account = app.state.accounts.recent_accounts(1).await.unwrap().remove(0);
    assert_eq!(account.email, "lwazi@example.org");
    assert!(!account.is_platform_admin, "no self-promotion");
    assert!(account.email_verified_at.is_none(), "no self-verification");
    assert_eq!(browser.get("/admin").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn long_non_ascii_passphrases_work_exactly_as_typed() {
    let app = TestApp::spawn().await;
    let passphrase = "Ni muhimu kunawa mikono — ñandú, 看護師, ممرضة ".repeat(3);
    assert!(passphrase.chars().count() > 128);
    let browser = app.browser();
    let response = browser
        .post_form(
            "/sign-up",
            &[("name", "Mwanaisha Juma"), ("email", "mwanaisha@example.org"), ("password", &passphrase)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "a 140-character passphrase in four scripts");
    let again = app.browser();
    let response =
        again.post_form("/sign-in", &[("email", "mwanaisha@example.org"), ("password", &passphrase)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "signs in with exactly what was typed");
    let trimmed = app
        .browser()
        .post_form("/sign-in", &[("email", "mwanaisha@example.org"), ("password", passphrase.trim_end())])
        .await;
    assert_eq!(trimmed.status(), StatusCode::UNAUTHORIZED, "not truncated or trimmed");
}
