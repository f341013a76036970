//! Email over a real SMTP server: `.ci/run` starts aiosmtpd with a Maildir and runs this suite
//! with `--features smtp`, `LANTERN_TEST_SMTP_PORT` and `LANTERN_TEST_MAILDIR`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::config::{SmtpConfig, SmtpTls};
use lantern_tests::{Email, TestApp};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn smtp_settings() -> (u16, PathBuf) {
    let port = std::env::var("LANTERN_TEST_SMTP_PORT")
        .expect("LANTERN_TEST_SMTP_PORT names the SMTP sink (see .ci/run)");
    let maildir =
        std::env::var("LANTERN_TEST_MAILDIR").expect("LANTERN_TEST_MAILDIR names the sink's Maildir");
    (port.parse().expect("a port number"), PathBuf::from(maildir))
}

async fn app_with_smtp(port: u16) -> TestApp {
    TestApp::spawn_with(|config| {
        config.smtp = Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            username: None,
            password: None,
            tls: SmtpTls::None,
            timeout_seconds: 5,
        });
    })
    .await
}

/// Messages the sink received for `to`, waiting up to ten seconds for `count`.
async fn received(maildir: &Path, to: &str, count: usize) -> Vec<Email> {
    for _ in 0..200 {
        let mut found = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(maildir.join(sub)) {
                for entry in entries.flatten() {
                    let email = Email::parse(&std::fs::read(entry.path()).unwrap());
                    if email.to.contains(to) {
                        found.push(email);
                    }
                }
            }
        }
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the SMTP sink did not receive {count} message(s) for {to}");
}

#[tokio::test]
async fn the_verification_email_travels_over_smtp_once_with_both_bodies() {
    let (port, maildir) = smtp_settings();
    let app = app_with_smtp(port).await;
    let to = format!("smtp-{}@example.org", lantern::platform::tokens::new_token()[..8].to_lowercase());
    let browser = app.sign_up("Mariam Keita", &to).await;
    let emails = received(&maildir, &to, 1).await;
    assert_eq!(emails.len(), 1, "sent exactly once");
    let email = &emails[0];
    assert!(email.subject.contains("Confirm your email"), "{}", email.subject);
    assert!(email.message_id.ends_with("@lantern>"), "a stable Message-ID: {}", email.message_id);
    assert!(
        email.text.contains("/verify-email/") && email.html.contains("/verify-email/"),
        "text and HTML carry the link"
    );
    assert!(!app.data_dir.join("mail").exists(), "with SMTP configured no .eml files are written");

    // The link from the real email works.
    let link = email.link("/verify-email/");
    assert_eq!(browser.post_form(&link, &[]).await.status(), reqwest::StatusCode::SEE_OTHER);

    // Nothing is sent twice, however long the worker keeps polling.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(received(&maildir, &to, 1).await.len(), 1);
}

#[tokio::test]
async fn a_french_speaker_gets_french_email() {
    let (port, maildir) = smtp_settings();
    let app = app_with_smtp(port).await;
    let to = format!("fr-{}@example.org", lantern::platform::tokens::new_token()[..8].to_lowercase());
    let browser = app.browser();
    browser
        .client
        .post(browser.url("/sign-up"))
        .header("Origin", &browser.base)
        .header("Accept-Language", "fr-SN,fr;q=0.9")
        .form(&[
            ("name", "Awa Ndiaye"),
            ("email", &to),
            ("password", lantern_tests::PASSWORD),
            ("csrf_token", &browser.csrf().await),
        ])
        .send()
        .await
        .unwrap();
    let email = received(&maildir, &to, 1).await.remove(0);
    assert!(email.text.contains("Bonjour"), "French body: {}", email.text);
}

#[tokio::test]
async fn an_unreachable_relay_keeps_the_message_for_a_retry() {
    // A port where nothing listens: the message stays queued with its error.
    let app = app_with_smtp(1).await;
    let to = "unreachable@example.org";
    app.sign_up("Nadia Benali", to).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let counts = lantern::platform::mail::counts(app.state.db.read()).await.unwrap();
    let pending = counts.iter().find(|(s, _)| s == "pending").map_or(0, |(_, n)| *n);
    assert_eq!(pending, 1, "queued again for later, not lost: {counts:?}");
}
