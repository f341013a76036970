//! Builds the shared state and the actix application from every feature's routes. The only
//! module that knows every feature.

mod home;
pub mod openapi;

use crate::accounts::http::SessionCookie;
use crate::accounts::service::{AccountSettings, Passwords};
use crate::accounts::{self, Accounts};
use crate::config::Config;
use crate::content;
use crate::courses::{self, Courses};
use crate::error::AppError;
use crate::notify;
use crate::platform::clock::{SharedClock, SystemClock};
use crate::platform::db::Db;
use crate::platform::mail::{Mailer, Transport};
use crate::platform::security::{self, CsrfSettings, TrustedProxies, client_ip};
use crate::platform::storage::Storage;
use crate::platform::telemetry::{RequestSpan, metrics_handle, record_metrics};
use crate::platform::ui::assets::serve_stylesheet;
use crate::platform::ui::errors::error_pages;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::Context;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tracing_actix_web::TracingLogger;

/// What every request handler and background worker shares.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: SharedClock,
    pub accounts: Accounts,
    pub courses: Courses,
    pub competencies: crate::competencies::Competencies,
    pub mentoring: crate::mentorship::Mentoring,
    pub credits: crate::credits::Credits,
    pub compliance: crate::credits::Compliance,
    pub insights: crate::insights::Insights,
    pub outbox_wake: Arc<Notify>,
    pub search: crate::search::Search,
    pub media: crate::media::Media,
}

impl AppState {
    /// Connects to the database, applies migrations and builds the services.
    pub async fn open(config: Config, clock: SharedClock) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating the data directory {}", config.data_dir.display()))?;
        let db = Db::connect(&config.database_url(), &config.database)
            .await
            .context("connecting to the database")?;
        let lock = db.startup_lock().await.context("waiting for other servers to start")?;
        db.migrate().await.context("applying migrations")?;
        lock.release().await.context("applying migrations")?;
        let passwords = Passwords::new(
            config.security.argon2_memory_kib,
            config.security.argon2_iterations,
            config.security.concurrent_hashes,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let outbox_wake = Arc::new(Notify::new());
        let accounts = Accounts::new(
            db.clone(),
            clock.clone(),
            AccountSettings::from_config(&config),
            passwords,
            outbox_wake.clone(),
        );
        let storage = Storage::from_config(&config).context("opening the media store")?;
        let media =
            crate::media::Media::new(db.clone(), clock.clone(), storage.clone(), config.media.clone());
        let competencies = crate::competencies::Competencies::new(db.clone(), clock.clone(), storage.clone());
        let sealer = crate::platform::secrets::Sealer::open_or_create(&config.secrets_key_file())
            .with_context(|| format!("opening the secrets key {}", config.secrets_key_file().display()))?;
        let credits = crate::credits::Credits::new(
            db.clone(),
            clock.clone(),
            (storage.clone(), sealer),
            &config.public_url(),
        );
        credits.seal_stored_keys().await.context("sealing the signing keys")?;
        let compliance = crate::credits::Compliance::new(db.clone(), clock.clone());
        let insights = crate::insights::Insights::new(
            db.clone(),
            clock.clone(),
            compliance.clone(),
            config.insights.min_cell,
            config.insights.refresh_minutes,
        );
        let mut courses = Courses::new(db.clone(), clock.clone(), media.clone())
            .with_listener(Arc::new(competencies.clone()))
            .with_listener(Arc::new(credits.clone()));
        if config.xapi.is_some() {
            courses = courses
                .with_listener(Arc::new(crate::xapi::Recorder::new(&config.public_url(), clock.clone())));
        }
        let mentoring = crate::mentorship::Mentoring::new(
            db.clone(),
            clock.clone(),
            config.mentoring.clone(),
            competencies.clone(),
            &config.public_url(),
        );
        let search = crate::search::Search::open(
            &config.data_dir.join("index"),
            db.clone(),
            (courses.clone(), competencies.clone(), mentoring.clone()),
        )
        .context("opening the search index")?;
        Ok(Self {
            config: Arc::new(config),
            db,
            clock,
            accounts,
            courses,
            competencies,
            mentoring,
            credits,
            compliance,
            insights,
            outbox_wake,
            search,
            media,
        })
    }

    /// The xAPI statement sender, when `[xapi]` is configured.
    pub fn xapi_sender(&self) -> anyhow::Result<Option<crate::xapi::Sender>> {
        let Some(xapi) = &self.config.xapi else { return Ok(None) };
        let store = crate::xapi::Store {
            endpoint: xapi.endpoint.clone(),
            username: xapi.username.clone(),
            password: xapi.password.clone(),
            timeout: Duration::from_secs(xapi.timeout_seconds.max(1)),
        };
        let sender = crate::xapi::Sender::new(
            self.db.write().clone(),
            self.clock.clone(),
            store,
            Duration::from_millis(xapi.poll_milliseconds.max(10)),
            Arc::new(Notify::new()),
        )
        .context("setting up the xAPI client")?;
        Ok(Some(sender))
    }

    fn mailer(&self) -> anyhow::Result<Mailer> {
        Ok(Mailer {
            db: self.db.write().clone(),
            clock: self.clock.clone(),
            transport: Transport::from_config(&self.config).context("setting up SMTP")?,
            from: self.config.mail.from.parse().context("mail.from")?,
            max_attempts: self.config.mail.max_attempts,
            poll: Duration::from_millis(self.config.mail.poll_milliseconds.max(10)),
            wake: self.outbox_wake.clone(),
        })
    }
}

/// A Lantern server bound to its port, not yet running.
pub struct Server {
    port: u16,
    state: AppState,
    http: actix_web::dev::Server,
}

impl Server {
    /// Builds a server on the wall clock.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// Builds a server with the given clock (tests move it forward). Binds the port now, so that
    /// `port()` is known before `run()`; port 0 picks a free one.
    pub async fn build_with_clock(mut config: Config, clock: SharedClock) -> anyhow::Result<Self> {
        let listener =
            TcpListener::bind(&config.listen).with_context(|| format!("binding {}", config.listen))?;
        let address = listener.local_addr()?;
        let port = address.port();
        if config.public_url.is_empty() {
            // Links in emails must carry the port actually bound (port 0 picks one).
            config.public_url = format!("http://{address}");
        }
        let state = AppState::open(config, clock).await?;
        if state.config.import_content_on_start {
            // Servers starting together on one empty database: one imports, the others find it done.
            let lock = state.db.startup_lock().await.context("waiting for other servers to start")?;
            content::import_if_empty(&state).await.context("importing the demo content")?;
            lock.release().await.context("importing the demo content")?;
        }
        let http = http_server(&state, listener)?;
        Ok(Self { port, state, http })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT/SIGTERM (in-flight requests finish), running the background workers
    /// alongside, then stops them.
    pub async fn run(self) -> anyhow::Result<()> {
        let (stop, stopped) = watch::channel(false);
        let mailer = tokio::spawn(self.state.mailer()?.run(stopped.clone()));
        let xapi = self.state.xapi_sender()?.map(|sender| tokio::spawn(sender.run(stopped.clone())));
        let search = tokio::spawn(self.state.search.clone().run(stopped.clone()));
        let variants = tokio::spawn(self.state.media.clone().run(stopped.clone()));
        let maintenance = tokio::spawn(maintenance(self.state.clone(), stopped));
        let served = self.http.await;
        let _ = stop.send(true);
        let _ = mailer.await;
        if let Some(xapi) = xapi {
            let _ = xapi.await;
        }
        let _ = search.await;
        let _ = variants.await;
        let _ = maintenance.await;
        served.context("serving HTTP")
    }
}

/// Hourly housekeeping: expired sessions, used links, old rate-limit rows; reminders of lapsing
/// evidence and of quiet mentoring pairs; a signed checkpoint of the credit ledger when it has
/// grown. Daily (the first pass of each day): reminders of CPD credits short before a cycle
/// ends, and regulators' monthly summaries.
async fn maintenance(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut last_daily = None;
    loop {
        if let Err(error) = state.accounts.prune().await {
            tracing::warn!(%error, "pruning accounts data");
        }
        match state.competencies.send_lapse_reminders(&state.config.public_url()).await {
            Ok(0) => {}
            Ok(sent) => {
                tracing::info!(sent, "reminded learners of lapsing competency evidence");
                state.outbox_wake.notify_one();
            }
            Err(error) => tracing::warn!(%error, "lapse reminders"),
        }
        // Evaluating every licensee is the expensive part: once a day is enough for reminders
        // counted in days and a summary sent once a month.
        let today = state.clock.now().date_naive();
        if last_daily != Some(today) {
            match state.compliance.send_cycle_reminders(&state.config.public_url()).await {
                Ok(0) => {}
                Ok(sent) => {
                    tracing::info!(sent, "reminded licensees short of CPD credits");
                    state.outbox_wake.notify_one();
                }
                Err(error) => tracing::warn!(%error, "CPD reminders"),
            }
            match state.compliance.send_monthly_summaries(&state.config.public_url()).await {
                Ok(0) => {}
                Ok(sent) => {
                    tracing::info!(sent, "sent regulators their monthly compliance summaries");
                    state.outbox_wake.notify_one();
                }
                Err(error) => tracing::warn!(%error, "monthly compliance summaries"),
            }
            last_daily = Some(today);
        }
        match state.credits.checkpoint().await {
            Ok(Some(id)) => tracing::info!(id, "signed a ledger checkpoint"),
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "ledger checkpoint"),
        }
        match state.mentoring.send_session_reminders().await {
            Ok(0) => {}
            Ok(sent) => {
                tracing::info!(sent, "reminded quiet mentoring pairs");
                state.outbox_wake.notify_one();
            }
            Err(error) => tracing::warn!(%error, "session reminders"),
        }
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}

fn http_server(state: &AppState, listener: TcpListener) -> anyhow::Result<actix_web::dev::Server> {
    let config = state.config.clone();
    let tls = config.secure_cookies();
    let accounts = web::Data::new(state.accounts.clone());
    let courses = web::Data::new(state.courses.clone());
    let search = web::Data::new(state.search.clone());
    let media = web::Data::new(state.media.clone());
    let competencies = web::Data::new(state.competencies.clone());
    let mentoring = web::Data::new(state.mentoring.clone());
    let credits = web::Data::new(state.credits.clone());
    let compliance = web::Data::new(state.compliance.clone());
    let insights = web::Data::new(state.insights.clone());
    let db = web::Data::new(state.db.clone());
    let clock = web::Data::new(state.clock.clone());
    let wake = web::Data::new(state.outbox_wake.clone());
    let api_limits = web::Data::new(crate::accounts::api_tokens::ApiRateLimiter::new(
        config.security.api_requests_per_minute,
    ));
    let csrf = web::Data::new(CsrfSettings::new(tls, config.public_url(), config.security.max_form_bytes));
    let session_cookie = web::Data::new(SessionCookie::new(tls, config.session.absolute_days));
    let proxies = web::Data::new(TrustedProxies(config.security.trusted_proxies.clone()));
    let metrics_allow = web::Data::new(MetricsAllow(config.security.metrics_allow.clone()));
    let limit = config.security.max_form_bytes;
    // Install the recorder before the first request is counted.
    metrics_handle();
    let workers = if config.workers == 0 {
        std::thread::available_parallelism().map(usize::from).unwrap_or(2)
    } else {
        config.workers
    };
    let server = HttpServer::new(move || {
        App::new()
            .app_data(accounts.clone())
            .app_data(courses.clone())
            .app_data(search.clone())
            .app_data(media.clone())
            .app_data(competencies.clone())
            .app_data(mentoring.clone())
            .app_data(credits.clone())
            .app_data(compliance.clone())
            .app_data(insights.clone())
            .app_data(db.clone())
            .app_data(clock.clone())
            .app_data(wake.clone())
            .app_data(api_limits.clone())
            .app_data(csrf.clone())
            .app_data(session_cookie.clone())
            .app_data(proxies.clone())
            .app_data(metrics_allow.clone())
            .app_data(web::FormConfig::default().limit(limit))
            .app_data(crate::platform::api::json_config(limit))
            .app_data(crate::platform::api::query_config())
            .app_data(web::PayloadConfig::new(limit))
            // Media first, outside the pages' stack (see `media::http`).
            .configure(|cfg| crate::media::http::services(cfg, tls))
            .service(
                web::scope("")
                    .wrap(from_fn(crate::platform::etag::api_etags))
                    .wrap(from_fn(security::panic_guard))
                    .wrap(from_fn(security::csrf_guard))
                    .wrap(error_pages())
                    .wrap(security::default_headers(tls))
                    .wrap(from_fn(record_metrics))
                    .wrap(Compress::default())
                    .wrap(TracingLogger::<RequestSpan>::new())
                    .configure(courses::first_routes)
                    .route("/", web::get().to(home::show_home))
                    .route("/healthz", web::get().to(healthz))
                    .route("/readyz", web::get().to(readyz))
                    .route("/metrics", web::get().to(metrics))
                    .route("/static/{name}", web::get().to(serve_stylesheet))
                    .route("/api", web::get().to(openapi::reference))
                    .route("/api/v1/openapi.json", web::get().to(openapi::openapi_json))
                    .configure(accounts::routes)
                    .configure(notify::routes)
                    .configure(courses::routes)
                    .configure(crate::competencies::routes)
                    .configure(crate::mentorship::http::routes)
                    .configure(crate::credits::http::routes)
                    .configure(crate::credits::offline::routes)
                    .configure(crate::search::routes)
                    .configure(crate::insights::routes)
                    .default_service(web::to(not_found)),
            )
    })
    .workers(workers)
    // Compressed bodies leave in several writes; without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK hold each response back ~40 ms.
    .on_connect(|connection, _| {
        if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
            let _ = tcp.set_nodelay(true);
        }
    })
    .shutdown_timeout(30)
    .listen(listener)?
    .run();
    Ok(server)
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok\n")
}

/// Ready when the database answers.
async fn readyz(db: web::Data<Db>) -> HttpResponse {
    match db.ping().await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ready\n"),
        Err(error) => {
            tracing::warn!(%error, "not ready: database");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unreachable\n")
        }
    }
}

/// Addresses allowed to read `/metrics` besides loopback.
#[derive(Clone, Debug)]
struct MetricsAllow(Vec<std::net::IpAddr>);

/// Prometheus text, for loopback and configured addresses only (ASVS 13.4.5).
async fn metrics(req: HttpRequest, allow: web::Data<MetricsAllow>) -> Result<HttpResponse, AppError> {
    let allowed = client_ip(&req).is_some_and(|ip| ip.is_loopback() || allow.0.contains(&ip));
    if !allowed {
        return Err(AppError::NotFound);
    }
    let body = metrics_handle().map(|h| h.render()).unwrap_or_default();
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body))
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
