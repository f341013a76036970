//! One typed configuration: built-in defaults < `lantern.toml` (or `LANTERN_CONFIG`) < `LANTERN_*`
//! environment variables. Every key is documented in `deploy/lantern.example.toml`.

use secrecy::SecretString;
use serde::{Deserialize, Serialize, Serializer};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

/// Lantern's whole configuration.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the embedded defaults keep their files (database, media, index, mail, keys).
    pub data_dir: PathBuf,
    /// Address and port to serve on.
    pub listen: String,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/lantern.db`.
    pub database_url: String,
    /// The origin people reach Lantern at, used in emails and to check `Origin` on forms.
    /// Empty means `http://<listen>`.
    pub public_url: String,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Folder of content packages imported into an empty database at start.
    pub content_dir: PathBuf,
    /// Import `content_dir` when the database holds no course yet.
    pub import_content_on_start: bool,
    pub database: DatabaseConfig,
    pub session: SessionConfig,
    pub security: SecurityConfig,
    pub mail: MailConfig,
    /// SMTP relay; without it, messages are written as `.eml` files under `<data_dir>/mail`.
    pub smtp: Option<SmtpConfig>,
    pub log: LogConfig,
    pub mentoring: MentoringConfig,
    pub media: MediaConfig,
    pub insights: InsightsConfig,
    /// Learning events sent as xAPI statements to a Learning Record Store; off when absent.
    pub xapi: Option<XapiConfig>,
}

/// Where media live and what uploads may be.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    /// `fs` (files under `<data_dir>/media`) or `s3` (any S3-compatible store, see `[media.s3]`).
    pub store: MediaStore,
    pub s3: S3Config,
    /// Largest image accepted, in megabytes.
    pub image_max_mb: u64,
    /// Largest audio file accepted, in megabytes.
    pub audio_max_mb: u64,
    /// Largest video accepted, in megabytes.
    pub video_max_mb: u64,
    /// Largest PDF accepted, in megabytes.
    pub document_max_mb: u64,
    /// Largest image accepted, in megapixels (a guard against decompression bombs).
    pub image_max_megapixels: u64,
    /// Widths in pixels of the phone-sized variants made of every image.
    pub variant_widths: Vec<u32>,
    /// How often the variant worker looks for work, in milliseconds.
    pub job_poll_milliseconds: u64,
    /// Memory for blocks of media read in small ranges (video, audio, PDF), in megabytes; 0 keeps
    /// none. See `Storage::with_memory_cache`.
    pub memory_cache_mb: u64,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MediaStore {
    #[default]
    Fs,
    S3,
}

/// An S3-compatible bucket (AWS, Garage, MinIO, Ceph…), addressed path-style.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Config {
    /// Such as `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:3900`.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    #[serde(serialize_with = "redacted")]
    pub secret_access_key: Option<SecretString>,
    /// A folder inside the bucket; empty means the bucket's root.
    pub root: String,
}

/// How a mentor–mentee pair is scored (see `mentorship::matching`). Every weight is in points;
/// the solver maximises the sum of the pairs' points.
/// A Learning Record Store that receives learning events as xAPI 1.0.3 statements.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct XapiConfig {
    /// The store's xAPI base address; statements are posted to `{endpoint}/statements`.
    pub endpoint: String,
    /// Basic authentication, when the store asks for it (most do).
    #[serde(default)]
    pub username: String,
    #[serde(default, serialize_with = "redacted")]
    pub password: Option<SecretString>,
    #[serde(default = "default_xapi_timeout")]
    pub timeout_seconds: u64,
    /// How often the queue is looked at, besides when an event wakes it.
    #[serde(default = "default_xapi_poll")]
    pub poll_milliseconds: u64,
}

fn default_xapi_timeout() -> u64 {
    20
}

fn default_xapi_poll() -> u64 {
    5_000
}

/// Aggregate figures about members and licensees (`/orgs/{slug}/insights`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct InsightsConfig {
    /// The least number of people a shown figure may describe (k-anonymity); smaller figures, and
    /// those that would reveal them by subtraction from totals, are hidden.
    pub min_cell: i64,
    /// Minutes a page shows the figures as counted before they are counted again (in the
    /// background, while the page shows them with their time).
    pub refresh_minutes: i64,
}

impl Default for InsightsConfig {
    fn default() -> Self {
        Self { min_cell: 5, refresh_minutes: 15 }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MentoringConfig {
    /// Per wanted competency the mentor offers at the level sought and holds on their profile.
    pub verified_competency: i64,
    /// Per wanted competency the mentor offers at the level sought, not (yet) on their profile.
    pub offered_competency: i64,
    /// Per wanted competency the mentor offers below the level sought.
    pub partial_competency: i64,
    /// When the mentor mentors the mentee's profession.
    pub profession: i64,
    /// For working hours in common: in full for in-person pairs and remote pairs in the same time
    /// zone, falling to nothing at 12 hours apart.
    pub time_zone: i64,
    /// Extra points, in percent of the pair's score, for a mentee working in a rural setting.
    pub rural_priority_percent: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Connections in the read pool (PostgreSQL: the only pool).
    pub max_connections: u32,
    /// Seconds to wait for a connection or a SQLite lock before failing a request.
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionConfig {
    /// A session unused for this many minutes ends.
    pub idle_minutes: i64,
    /// A session ends this many days after sign-in, however active.
    pub absolute_days: i64,
    /// Mark cookies `Secure` (and use the `__Host-` prefix) and send HSTS: for a server reached
    /// over TLS at a proxy. Always on when `public_url` starts with `https://`.
    pub secure_cookies: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    /// Shortest password accepted, in characters.
    pub password_min_length: usize,
    /// Failed sign-ins per account in one minute before further tries are refused.
    pub sign_in_failures_per_account: u32,
    /// Failed sign-ins per client address in one minute before further tries are refused.
    pub sign_in_failures_per_address: u32,
    /// Emails with links (reset, sign-in) per address in one hour.
    pub link_emails_per_hour: u32,
    /// Argon2id memory in KiB (OWASP minimum 19456).
    pub argon2_memory_kib: u32,
    /// Argon2id passes.
    pub argon2_iterations: u32,
    /// Password hashes computed at once; more wait (bounds memory and CPU).
    pub concurrent_hashes: usize,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Addresses allowed to read `/metrics` (loopback is always allowed).
    pub metrics_allow: Vec<IpAddr>,
    /// Largest request body accepted for forms and JSON, in bytes.
    pub max_form_bytes: usize,
    /// Requests a minute each API token may make (a burst of as many, refilled evenly); beyond,
    /// 429 with `Retry-After`. Counted per server.
    pub api_requests_per_minute: u32,
    /// The 32-byte key sealing the signing keys kept in the database; empty means
    /// `<data_dir>/secrets.key`, made on first start. Every server of one deployment needs the same.
    pub secrets_key_file: PathBuf,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The `From:` of every message.
    pub from: String,
    /// How often the outbox worker looks for work, in milliseconds.
    pub poll_milliseconds: u64,
    /// Attempts before a message is marked failed.
    pub max_attempts: i32,
    /// Hours an email-verification link stays valid.
    pub verify_link_hours: i64,
    /// Minutes a password-reset link stays valid.
    pub reset_link_minutes: i64,
    /// Minutes a one-time sign-in link stays valid.
    pub sign_in_link_minutes: i64,
    /// Days an invitation to an organisation stays valid.
    pub invitation_days: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default, serialize_with = "redacted")]
    pub password: Option<SecretString>,
    /// `starttls` (default), `tls` (implicit, port 465) or `none` (local relays and tests only).
    #[serde(default)]
    pub tls: SmtpTls,
    #[serde(default = "default_smtp_timeout")]
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    #[default]
    Starttls,
    Tls,
    None,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `text` or `json`.
    pub format: LogFormat,
    /// A tracing filter such as `info` or `lantern=debug,info`.
    pub level: String,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Secrets never leave as text, even in a serialised configuration (which exists for the tests
/// that check every key is documented).
fn redacted<S: Serializer>(_: &Option<SecretString>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str("[redacted]")
}

fn default_smtp_port() -> u16 {
    587
}

fn default_smtp_timeout() -> u64 {
    20
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            listen: "127.0.0.1:8080".into(),
            database_url: String::new(),
            public_url: String::new(),
            workers: 0,
            content_dir: PathBuf::from("./content"),
            import_content_on_start: true,
            database: DatabaseConfig::default(),
            session: SessionConfig::default(),
            security: SecurityConfig::default(),
            mail: MailConfig::default(),
            smtp: None,
            log: LogConfig::default(),
            mentoring: MentoringConfig::default(),
            media: MediaConfig::default(),
            insights: InsightsConfig::default(),
            xapi: None,
        }
    }
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            store: MediaStore::Fs,
            s3: S3Config::default(),
            image_max_mb: 15,
            audio_max_mb: 50,
            video_max_mb: 200,
            document_max_mb: 20,
            image_max_megapixels: 40,
            variant_widths: vec![360, 720, 1080],
            job_poll_milliseconds: 1000,
            memory_cache_mb: 64,
        }
    }
}

impl Default for MentoringConfig {
    fn default() -> Self {
        Self {
            verified_competency: 30,
            offered_competency: 20,
            partial_competency: 5,
            profession: 15,
            time_zone: 10,
            rural_priority_percent: 25,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self { max_connections: 8, timeout_seconds: 5 }
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        // Phones are personal but shared phones exist: two weeks idle, thirty days at most.
        Self { idle_minutes: 14 * 24 * 60, absolute_days: 30, secure_cookies: false }
    }
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            password_min_length: 10,
            sign_in_failures_per_account: 10,
            // Clinics share one address behind NAT: the per-address limit is looser.
            sign_in_failures_per_address: 60,
            link_emails_per_hour: 5,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            concurrent_hashes: 4,
            trusted_proxies: Vec::new(),
            metrics_allow: Vec::new(),
            max_form_bytes: 256 * 1024,
            api_requests_per_minute: crate::accounts::api_tokens::RATE_PER_MINUTE,
            secrets_key_file: PathBuf::new(),
        }
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            from: "Lantern <no-reply@lantern.localhost>".into(),
            poll_milliseconds: 1000,
            max_attempts: 8,
            verify_link_hours: 48,
            reset_link_minutes: 60,
            sign_in_link_minutes: 15,
            invitation_days: 14,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { format: LogFormat::Text, level: "info".into() }
    }
}

/// Why the configuration could not be loaded; the message names the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration key `{key}`: {message}")]
    Invalid { key: &'static str, message: String },
}

/// Environment variables that are not configuration keys.
const NOT_KEYS: [&str; 1] = ["LANTERN_CONFIG"];

impl Config {
    /// Loads defaults, then the config file, then `LANTERN_*` variables from the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_from(file, std::env::vars())
    }

    /// Like [`Config::load`], with the environment given explicitly (for tests).
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let env: config::Map<String, String> = env
            .into_iter()
            .filter(|(key, _)| {
                key.starts_with("LANTERN_")
                    && !NOT_KEYS.contains(&key.as_str())
                    && !key.starts_with("LANTERN_TEST_")
            })
            .collect();
        let mut builder = config::Config::builder();
        let default_file = Path::new("lantern.toml");
        match file {
            Some(path) => builder = builder.add_source(config::File::from(path).required(true)),
            None if default_file.exists() => {
                builder = builder.add_source(config::File::from(default_file).required(true))
            }
            None => {}
        }
        builder = builder.add_source(
            config::Environment::with_prefix("LANTERN")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("security.trusted_proxies")
                .with_list_parse_key("security.metrics_allow")
                .with_list_parse_key("media.variant_widths")
                .source(Some(env)),
        );
        let config: Config = builder.build()?.try_deserialize()?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, message: &str| Err(ConfigError::Invalid { key, message: message.into() });
        if self.listen.parse::<SocketAddr>().is_err() {
            return invalid("listen", "expected an address and port such as 127.0.0.1:8080");
        }
        let url = self.database_url();
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return invalid("database_url", "expected sqlite://… or postgres://…");
        }
        if !self.public_url().starts_with("http://") && !self.public_url().starts_with("https://") {
            return invalid("public_url", "expected an http:// or https:// origin");
        }
        if self.security.password_min_length < 8 {
            return invalid("security.password_min_length", "must be at least 8");
        }
        if self.security.argon2_memory_kib < 8 * 1024 {
            return invalid("security.argon2_memory_kib", "must be at least 8192");
        }
        if self.security.api_requests_per_minute == 0 {
            return invalid("security.api_requests_per_minute", "must be at least 1");
        }
        if self.security.concurrent_hashes == 0 {
            return invalid("security.concurrent_hashes", "must be at least 1");
        }
        if let Some(xapi) = &self.xapi
            && !xapi.endpoint.starts_with("http://")
            && !xapi.endpoint.starts_with("https://")
        {
            return invalid("xapi.endpoint", "expected an http:// or https:// address");
        }
        if self.insights.refresh_minutes < 0 {
            return invalid("insights.refresh_minutes", "must be 0 (count on every page) or more");
        }
        if self.insights.min_cell < 2 {
            return invalid("insights.min_cell", "must be at least 2: a figure of one person names them");
        }
        if self.session.idle_minutes <= 0 || self.session.absolute_days <= 0 {
            return invalid("session", "idle_minutes and absolute_days must be positive");
        }
        if self.media.store == MediaStore::S3 {
            let s3 = &self.media.s3;
            if !s3.endpoint.starts_with("http://") && !s3.endpoint.starts_with("https://") {
                return invalid("media.s3.endpoint", "expected an http:// or https:// address");
            }
            if s3.bucket.is_empty() || s3.region.is_empty() {
                return invalid("media.s3", "bucket and region are required when media.store = \"s3\"");
            }
        }
        if self.media.variant_widths.is_empty()
            || self.media.variant_widths.iter().any(|w| !(16..=4096).contains(w))
        {
            return invalid("media.variant_widths", "expected widths between 16 and 4096 pixels");
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return invalid("mail.from", "expected a mailbox such as Lantern <no-reply@example.org>");
        }
        Ok(())
    }

    /// Whether cookies are `Secure` and HSTS is sent: asked for, or implied by an `https://`
    /// public address (a server behind TLS must never hand out cookies a plain link would leak).
    pub fn secure_cookies(&self) -> bool {
        self.session.secure_cookies || self.public_url().starts_with("https://")
    }

    /// Where the key sealing the database's secrets lives.
    pub fn secrets_key_file(&self) -> PathBuf {
        if self.security.secrets_key_file.as_os_str().is_empty() {
            self.data_dir.join("secrets.key")
        } else {
            self.security.secrets_key_file.clone()
        }
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}/lantern.db", self.data_dir.display())
        } else {
            self.database_url.clone()
        }
    }

    /// The public origin without a trailing slash.
    pub fn public_url(&self) -> String {
        let url = if self.public_url.is_empty() {
            format!("http://{}", self.listen)
        } else {
            self.public_url.clone()
        };
        url.trim_end_matches('/').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn environment_overrides_defaults() {
        let config = Config::load_from(
            None,
            env(&[
                ("LANTERN_LISTEN", "0.0.0.0:9000"),
                ("LANTERN_DATA_DIR", "/srv/lantern"),
                ("LANTERN_SESSION__IDLE_MINUTES", "30"),
                ("LANTERN_SMTP__HOST", "mail.example.org"),
                ("LANTERN_CONFIG", "ignored.toml"),
                ("HOME", "/root"),
            ]),
        )
        .expect("valid configuration");
        assert_eq!(config.listen, "0.0.0.0:9000");
        assert_eq!(config.session.idle_minutes, 30);
        assert_eq!(config.database_url(), "sqlite:///srv/lantern/lantern.db");
        assert_eq!(config.smtp.as_ref().map(|s| s.port), Some(587));
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let error = Config::load_from(None, env(&[("LANTERN_SESSION__IDLE_MINUTES", "soon")]))
            .expect_err("not a number");
        assert!(error.to_string().contains("session.idle_minutes"), "{error}");
        let error =
            Config::load_from(None, env(&[("LANTERN_LISTEN", "everywhere")])).expect_err("bad address");
        assert!(error.to_string().contains("`listen`"), "{error}");
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let error = Config::load_from(None, env(&[("LANTERN_SESION__IDLE_MINUTES", "3")])).expect_err("typo");
        assert!(error.to_string().contains("sesion"), "{error}");
    }

    #[test]
    fn the_example_file_parses_and_names_every_key() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/lantern.example.toml");
        Config::load_from(Some(&path), Vec::new()).expect("the example configuration parses");

        // Every key the configuration has (with [smtp] and [xapi] sections, off by default)...
        let config = Config::load_from(
            None,
            env(&[
                ("LANTERN_SMTP__HOST", "mail.example.org"),
                ("LANTERN_XAPI__ENDPOINT", "https://lrs.example.org/xapi"),
            ]),
        )
        .unwrap();
        let mut keys = Vec::new();
        fn walk(prefix: &str, value: &serde_json::Value, keys: &mut Vec<String>) {
            match value {
                serde_json::Value::Object(fields) => {
                    for (name, value) in fields {
                        let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
                        walk(&key, value, keys);
                    }
                }
                _ => keys.push(prefix.to_owned()),
            }
        }
        walk("", &serde_json::to_value(&config).unwrap(), &mut keys);
        assert!(keys.len() > 50, "{keys:?}");

        // ... stands in the example, set or commented out (`# key = …`), in its section.
        let text = std::fs::read_to_string(&path).unwrap();
        let mut section = String::new();
        let mut documented = std::collections::BTreeSet::new();
        for line in text.lines() {
            let line = line.trim_start_matches('#').trim();
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = format!("{name}.");
            } else if let Some((key, _)) = line.split_once(" = ")
                && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                documented.insert(format!("{section}{key}"));
            }
        }
        let missing: Vec<&String> = keys.iter().filter(|key| !documented.contains(*key)).collect();
        assert!(missing.is_empty(), "keys missing from deploy/lantern.example.toml: {missing:?}");
    }
}
