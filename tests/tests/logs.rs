//! Secrets never reach the logs: a server logging at debug level in Lantern's own JSON format
//! goes through sign-up, wrong and right passwords, a password reset, a one-time sign-in link
//! and an API token; none of the passwords, cookies, links' tokens or API tokens appear in what
//! it wrote (OWASP ASVS 16.2.5). This test binary owns the process's log subscriber.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::config::{LogConfig, LogFormat};
use lantern_tests::{PASSWORD, TestApp, make_token};
use reqwest::StatusCode;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Everything the subscriber writes, kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The token at the end of a link such as `http://…/reset-password/<token>`.
fn last_segment(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn no_password_cookie_link_token_or_api_token_is_ever_logged() {
    let captured = Captured::default();
    let config = LogConfig { format: LogFormat::Json, level: "debug".into() };
    // Debug for the server's whole stack; the test's own HTTP client is not the server's log.
    let filter = tracing_subscriber::EnvFilter::new("debug,reqwest=warn,hyper=warn,hyper_util=warn");
    let writer = captured.clone();
    let subscriber = lantern::platform::telemetry::subscriber(&config, filter, move || writer.clone());
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let app = TestApp::spawn().await;
    let mut secrets: Vec<String> = vec![PASSWORD.into()];
    let browser = app.sign_up("Ines Moreau", "ines@example.org").await;
    secrets.extend(browser.cookie("lantern-session"));
    secrets.extend(browser.cookie("lantern-csrf"));
    let verify = app.email_containing("ines@example.org", "/verify-email/").await.link("/verify-email/");
    secrets.push(last_segment(&verify));
    assert_eq!(browser.post_form(&verify, &[]).await.status(), StatusCode::SEE_OTHER);

    let guesser = app.browser();
    let wrong = "wrong horse battery staple";
    secrets.push(wrong.into());
    let response = guesser.post_form("/sign-in", &[("email", "ines@example.org"), ("password", wrong)]).await;
    assert_ne!(response.status(), StatusCode::SEE_OTHER, "a wrong password does not sign in");

    let phone = app.browser();
    phone.post_form("/forgot-password", &[("email", "ines@example.org")]).await;
    let reset = app.email_containing("ines@example.org", "/reset-password/").await.link("/reset-password/");
    secrets.push(last_segment(&reset));
    let new_password = "river lantern orange kettle";
    secrets.push(new_password.into());
    assert_eq!(phone.post_form(&reset, &[("password", new_password)]).await.status(), StatusCode::SEE_OTHER);
    secrets.extend(phone.cookie("lantern-session"));
    secrets.extend(phone.cookie("lantern-csrf"));

    let tablet = app.browser();
    tablet.post_form("/sign-in/link", &[("email", "ines@example.org")]).await;
    let link = app.email_containing("ines@example.org", "/sign-in/link/").await.link("/sign-in/link/");
    secrets.push(last_segment(&link));
    assert_eq!(tablet.post_form(&link, &[]).await.status(), StatusCode::SEE_OTHER);
    secrets.extend(tablet.cookie("lantern-session"));
    secrets.extend(tablet.cookie("lantern-csrf"));

    let token = make_token(&tablet, &["search:read"], "30").await;
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/search?q=hand", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the token works");
    secrets.push(token);

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The events of the flows above are there, each with its request's span: what a leak would
    // ride on.
    for action in ["account.created", "sign_in.failed", "password.reset", "sign_in.link"] {
        assert!(log.contains(&format!("\"action\":\"{action}\"")), "{action} logged:\n{log}");
    }
    assert!(log.contains("\"http.route\":\"/reset-password/{token}\""), "requests logged by route");
    assert_eq!(secrets.len(), 13, "every secret was collected");
    for secret in &secrets {
        assert!(secret.len() >= 12, "a real secret: {secret:?}");
        if let Some(line) = log.lines().find(|line| line.contains(secret.as_str())) {
            panic!("a secret reached the log: {line}");
        }
    }
}
