//! The black-box harness: starts a real Lantern on a free port with a fresh database (a SQLite
//! file in a temporary folder, or its own PostgreSQL database when `LANTERN_TEST_DATABASE_URL`
//! names a server) and drives it over HTTP like a browser, cookies and all.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeZone, Utc};
use lantern::Config;
use lantern::platform::clock::ManualClock;
use reqwest::cookie::CookieStore;
use reqwest::{Client, Response, StatusCode, Url};
use sea_orm::{ConnectionTrait, Database};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

/// A running server and what the test needs to reach it.
pub struct TestApp {
    pub address: String,
    pub data_dir: PathBuf,
    pub clock: Arc<ManualClock>,
    pub database_url: String,
    pub state: lantern::AppState,
    _temp: TempDir,
}

/// The S3-compatible store named by `LANTERN_TEST_S3_*` (CI starts Garage), each test under a
/// folder of its own in the bucket; `None` runs the media store on local files.
pub fn test_s3() -> Option<lantern::config::S3Config> {
    let var = |name: &str| std::env::var(format!("LANTERN_TEST_S3_{name}")).ok();
    let endpoint = var("ENDPOINT")?;
    let run: u64 = rand::random();
    Some(lantern::config::S3Config {
        endpoint,
        bucket: var("BUCKET").unwrap_or_else(|| "lantern-test".into()),
        region: var("REGION").unwrap_or_else(|| "garage".into()),
        access_key_id: var("ACCESS_KEY_ID").unwrap_or_default(),
        secret_access_key: var("SECRET_ACCESS_KEY").map(Into::into),
        root: format!("/run-{run:016x}"),
    })
}

/// A password zxcvbn accepts, for fixtures.
pub const PASSWORD: &str = "kettle orange lantern river";

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts a server after letting the test adjust the configuration.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let temp = tempfile::tempdir().expect("temporary folder");
        let mut config = Config {
            data_dir: temp.path().to_path_buf(),
            listen: "127.0.0.1:0".into(),
            workers: 2,
            content_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"),
            ..Config::default()
        };
        config.database_url = test_database(&temp).await;
        // Fast hashing in tests: the parameters are exercised, the cost is not the point.
        config.security.argon2_memory_kib = 8 * 1024;
        config.security.argon2_iterations = 1;
        config.mail.poll_milliseconds = 50;
        config.media.job_poll_milliseconds = 50;
        if let Some(s3) = test_s3() {
            config.media.store = lantern::config::MediaStore::S3;
            config.media.s3 = s3;
        }
        adjust(&mut config);
        let database_url = config.database_url();
        let data_dir = config.data_dir.clone();
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()));
        let server = lantern::Server::build_with_clock(config, clock.clone()).await.expect("server builds");
        let address = format!("http://127.0.0.1:{}", server.port());
        let state = server.state().clone();
        // Searchable from the first request: the demo content is indexed before the test starts.
        state.search.catch_up().await.expect("search index built");
        tokio::spawn(server.run());
        TestApp { address, data_dir, clock, database_url, state, _temp: temp }
    }

    /// A new browser: its own cookie jar, redirects not followed (tests look at them).
    pub fn browser(&self) -> Browser {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Browser { client, jar, base: self.address.clone() }
    }

    /// Messages written by the outbox to `<data_dir>/mail` for `to`, oldest first, waiting up to
    /// fifteen seconds (a loaded CI machine) for at least `count` of them.
    pub async fn emails_to(&self, to: &str, count: usize) -> Vec<Email> {
        for _ in 0..300 {
            let emails = self.read_mail_folder(to);
            if emails.len() >= count {
                return emails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {count} email(s) to {to}, found {}", self.read_mail_folder(to).len());
    }

    /// The newest message to `to` (waiting for `count` messages in all).
    pub async fn email_to(&self, to: &str, count: usize) -> Email {
        self.emails_to(to, count).await.pop().unwrap()
    }

    /// The newest message to `to` whose text contains `needle`, waiting up to fifteen seconds.
    pub async fn email_containing(&self, to: &str, needle: &str) -> Email {
        for _ in 0..300 {
            if let Some(email) = self.read_mail_folder(to).into_iter().rev().find(|e| e.text.contains(needle))
            {
                return email;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no email to {to} containing {needle}");
    }

    pub fn read_mail_folder(&self, to: &str) -> Vec<Email> {
        let dir = self.data_dir.join("mail");
        let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
        // Files are named after the outbox row, so their names sort in sending order.
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .filter_map(|path| std::fs::read(path).ok())
            .map(|raw| Email::parse(&raw))
            .filter(|email| email.to.contains(to))
            .collect()
    }

    /// Signs up a new learner in a new browser; returns the signed-in browser.
    pub async fn sign_up(&self, name: &str, email: &str) -> Browser {
        let browser = self.browser();
        let response =
            browser.post_form("/sign-up", &[("name", name), ("email", email), ("password", PASSWORD)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign-up of {email} succeeds");
        browser
    }

    /// A signed-in platform admin (made as `lantern admin create --password-stdin` does).
    pub async fn platform_admin(&self, email: &str) -> Browser {
        self.state
            .accounts
            .create_platform_admin(email, "Platform Admin", Some(PASSWORD))
            .await
            .expect("admin created");
        let browser = self.browser();
        let response = browser.post_form("/sign-in", &[("email", email), ("password", PASSWORD)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "admin signs in");
        browser
    }

    /// Makes `member` hold `role` in organisation `slug`: the admin invites, the member accepts
    /// the link from the email.
    pub async fn join(&self, admin: &Browser, member: &Browser, member_email: &str, slug: &str, role: &str) {
        let invitations = |app: &TestApp| {
            app.read_mail_folder(member_email)
                .into_iter()
                .filter(|e| e.text.contains("/invitations/"))
                .count()
        };
        let before = invitations(self);
        let response = admin
            .post_form(&format!("/orgs/{slug}/invitations"), &[("email", member_email), ("role", role)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "invitation of {member_email} to {slug} as {role}"
        );
        for _ in 0..100 {
            if invitations(self) > before {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let link = self.email_containing(member_email, "/invitations/").await.link("/invitations/");
        let response = member.post_form(&link, &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{member_email} accepts");
    }
}

/// A new, empty database for a test: a SQLite file in `temp`, or a PostgreSQL database of its own.
pub async fn test_database(temp: &TempDir) -> String {
    match std::env::var("LANTERN_TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            let server = server.trim_end_matches('/');
            let name = format!(
                "lantern_t_{}",
                lantern::platform::tokens::new_token().to_lowercase().replace(['-', '_'], "")[..16]
                    .to_owned()
            );
            let admin = Database::connect(format!("{server}/postgres")).await.expect("PostgreSQL reachable");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("database created");
            admin.close().await.ok();
            format!("{server}/{name}")
        }
        _ => format!("sqlite://{}/lantern.db", temp.path().display()),
    }
}

/// A reviewer of the demo association `eanma` (signed up and joined through a platform admin)
/// accredits `course` version 1 for `credits` clinical credits with a 12-month certificate,
/// valid from today; returns the reviewer's browser.
pub async fn accredit(app: &TestApp, course: &str, credits: &str) -> Browser {
    let platform = app.platform_admin("root@example.org").await;
    let reviewer = app.sign_up("Rita Reviewer", "rita@example.org").await;
    app.join(&platform, &reviewer, "rita@example.org", "eanma", "reviewer").await;
    let today = app.state.compliance.today().format("%Y-%m-%d").to_string();
    let form = [
        ("course", course),
        ("version", "1"),
        ("credits", credits),
        ("category", "clinical"),
        ("valid_from", today.as_str()),
        ("certificate_months", "12"),
    ];
    let response = reviewer.post_form("/orgs/eanma/accreditations", &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{course} accredited");
    reviewer
}

/// Makes a token through the page and reads its secret from the answer (the only time it shows).
pub async fn make_token(browser: &Browser, scopes: &[&str], days: &str) -> String {
    let mut form = vec![("name", "Licensing system"), ("days", days)];
    form.extend(scopes.iter().map(|s| ("scopes", *s)));
    let response = browser.post_form("/account/tokens", &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let shown = page.split("<code class=\"secret\">").nth(1).expect("the new token is shown");
    shown.split('<').next().unwrap().to_owned()
}

/// Adds a lesson file's worth of Markdown and a media file to an exported package, checked by
/// the package parser as an upload would be.
pub fn with_media(
    mut package: lantern::courses::package::Package,
    file: &str,
    bytes: &[u8],
    markdown: &str,
) -> lantern::courses::package::Package {
    package.media.insert(format!("media/{file}"), bytes.to_vec());
    package.modules[0].lessons[0].markdown.push_str(&format!("\n\n{markdown}\n"));
    let files = lantern::courses::package::write(&package).unwrap();
    lantern::courses::package::parse(&files, Some(&package.slug)).unwrap()
}

/// A package's files as a .zip, under one top folder, as an author would upload it.
pub fn zip_package(files: &lantern::courses::package::PackageFiles) -> Vec<u8> {
    use std::io::Write;
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (path, bytes) in &files.files {
        writer.start_file(format!("course/{path}"), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap();
    buffer.into_inner()
}

/// The options a learner would pick to answer every question right (or wrong).
pub async fn answers(app: &TestApp, page: &str, right: bool) -> Vec<(String, String)> {
    use lantern::courses::entity::question_option;
    use sea_orm::EntityTrait;
    let options = question_option::Entity::find().all(app.state.db.read()).await.unwrap();
    let document = html(page);
    let selector = scraper::Selector::parse("input[name^=q]").unwrap();
    let mut fields = Vec::new();
    let mut answered = std::collections::HashSet::new();
    for input in document.select(&selector) {
        let name = input.value().attr("name").unwrap().to_owned();
        let value: i32 = input.value().attr("value").unwrap().parse().unwrap();
        let option = options.iter().find(|o| o.id == value).unwrap();
        let kind_multiple = input.value().attr("type") == Some("checkbox");
        let wanted = if right {
            option.correct
        } else {
            // One wrong option per single-choice question; every wrong one for multiple choice.
            !option.correct && (kind_multiple || answered.insert(name.clone()))
        };
        if wanted {
            fields.push((name, value.to_string()));
        }
    }
    fields
}

/// Reads every lesson and passes every quiz of a course as `learner`.
pub async fn complete(app: &TestApp, learner: &Browser, course: &str) {
    learner.post_form(&format!("/courses/{course}/enrol"), &[]).await;
    let page = learner.get_text(&format!("/courses/{course}")).await;
    let prefix = format!("href=\"/courses/{course}/lessons/");
    let lessons: std::collections::BTreeSet<String> =
        page.split(prefix.as_str()).skip(1).filter_map(|s| s.split('"').next()).map(str::to_owned).collect();
    for lesson in lessons {
        learner.post_form(&format!("/courses/{course}/lessons/{lesson}/complete"), &[]).await;
    }
    let page = learner.get_text(&format!("/courses/{course}")).await;
    let quiz_prefix = format!("href=\"/courses/{course}/quizzes/");
    for quiz in page
        .split(quiz_prefix.as_str())
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect::<Vec<_>>()
    {
        let response = learner.post_form(&format!("/courses/{course}/quizzes/{quiz}/attempts"), &[]).await;
        let attempt = response.headers()["location"].to_str().unwrap().to_owned();
        let right = answers(app, &learner.get_text(&attempt).await, true).await;
        let fields: Vec<(&str, &str)> = right.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        learner.post_form(&attempt, &fields).await;
    }
    assert!(
        learner.get_text(&format!("/courses/{course}")).await.contains("You have completed this course"),
        "{course} completed"
    );
}

/// A browser: a client with a cookie jar.
#[derive(Clone)]
pub struct Browser {
    pub client: Client,
    pub jar: Arc<reqwest::cookie::Jar>,
    pub base: String,
}

impl Browser {
    /// The same browser (cookies and all) talking to another server, as a load balancer would
    /// send it there.
    pub fn against(&self, app: &TestApp) -> Browser {
        Browser { client: self.client.clone(), jar: self.jar.clone(), base: app.address.clone() }
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.base) }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn head(&self, path: &str) -> Response {
        self.client.head(self.url(path)).send().await.expect("HEAD")
    }

    pub async fn get_text(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.text().await.unwrap()
    }

    /// The value of a cookie this browser holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let url: Url = self.base.parse().unwrap();
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split("; ")
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
    }

    /// The CSRF token, fetching a page first if the browser has none yet.
    pub async fn csrf(&self) -> String {
        if self.cookie("lantern-csrf").is_none() {
            self.get("/").await;
        }
        self.cookie("lantern-csrf").expect("CSRF cookie set")
    }

    /// Submits a form as a browser does: with the CSRF token and a same-origin `Origin`.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.client.post(self.url(path)).header("Origin", &self.base).form(&form).send().await.expect("POST")
    }

    /// Submits a form with a file as a browser does: multipart, the CSRF token in the address.
    /// `file` is (field, file name, bytes).
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        (field, name, bytes): (&str, &str, Vec<u8>),
    ) -> Response {
        let token = self.csrf().await;
        let mut form = reqwest::multipart::Form::new();
        for (key, value) in fields {
            form = form.text(key.to_string(), value.to_string());
        }
        form = form.part(field.to_owned(), reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
        let separator = if path.contains('?') { '&' } else { '?' };
        self.client
            .post(self.url(&format!("{path}{separator}csrf_token={token}")))
            .header("Origin", &self.base)
            .multipart(form)
            .send()
            .await
            .expect("POST")
    }

    /// Submits a form with no CSRF token at all.
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client.post(self.url(path)).form(fields).send().await.expect("POST")
    }
}

/// An email as the outbox wrote it.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub date: String,
    pub text: String,
    pub html: String,
}

impl Email {
    pub fn parse(raw: &[u8]) -> Email {
        let parsed = mailparse::parse_mail(raw).expect("valid email");
        let header = |name: &str| {
            parsed
                .headers
                .iter()
                .find(|h| h.get_key_ref().eq_ignore_ascii_case(name))
                .map(|h| h.get_value())
                .unwrap_or_default()
        };
        let mut text = String::new();
        let mut html = String::new();
        for part in &parsed.subparts {
            match part.ctype.mimetype.as_str() {
                "text/plain" => text = part.get_body().unwrap(),
                "text/html" => html = part.get_body().unwrap(),
                _ => {}
            }
        }
        Email {
            to: header("To"),
            subject: header("Subject"),
            message_id: header("Message-ID"),
            date: header("Date"),
            text,
            html,
        }
    }

    /// The first link in the text body whose path starts with `prefix`, as a path.
    pub fn link(&self, prefix: &str) -> String {
        self.text
            .split_whitespace()
            .filter_map(|word| word.find("http").map(|at| &word[at..]))
            .filter_map(|url| {
                url.split_once("://").and_then(|(_, rest)| rest.find('/').map(|at| rest[at..].to_owned()))
            })
            .find(|path| path.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} link in {:?}", self.text))
    }
}

/// Parses HTML for assertions with CSS selectors.
pub fn html(text: &str) -> scraper::Html {
    scraper::Html::parse_document(text)
}

/// The text of the elements matching `selector`.
pub fn texts(document: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    document.select(&selector).map(|e| e.text().collect::<String>().trim().to_owned()).collect()
}

/// Every `(method, path)` the backend registers with `.route("…", web::method()…)`, read from its
/// source: tables of routes in tests are checked against this list so that none is forgotten.
pub fn routes() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../backend/src");
    let mut found = Vec::new();
    visit(&root, &mut |text| {
        // Routes of unit tests (after `#[cfg(test)]`) are not the application's.
        let text = text.split("#[cfg(test)]").next().unwrap_or(text);
        // rustfmt puts long routes on their own lines: `.route(\n    "/path",`.
        for piece in text.split(".route(").skip(1) {
            let Some(piece) = piece.trim_start().strip_prefix('"') else { continue };
            let Some((path, rest)) = piece.split_once('"') else { continue };
            let Some(method) = rest.split("web::").nth(1).and_then(|m| m.split('(').next()) else { continue };
            found.push((method.to_owned(), path.to_owned()));
        }
        // A resource with middleware of its own: `web::resource("/path").wrap(..).route(web::get()..)`.
        for piece in text.split("web::resource(").skip(1) {
            let Some(piece) = piece.trim_start().strip_prefix('"') else { continue };
            let Some((path, rest)) = piece.split_once('"') else { continue };
            let chain = rest.split(';').next().unwrap_or(rest);
            for method in chain.split(".route(web::").skip(1).filter_map(|m| m.split('(').next()) {
                found.push((method.to_owned(), path.to_owned()));
            }
        }
    });
    found.sort();
    found.dedup();
    found
}

fn visit(dir: &std::path::Path, f: &mut dyn FnMut(&str)) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            visit(&path, f);
        } else if path.extension().is_some_and(|e| e == "rs") {
            f(&std::fs::read_to_string(&path).unwrap());
        }
    }
}
