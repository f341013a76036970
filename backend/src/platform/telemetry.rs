//! Logs (tracing, text or JSON, UTC) and Prometheus metrics: request counts and latency by route
//! pattern, plus gauges features set (outbox depth).

use crate::config::{LogConfig, LogFormat};
use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;
use tracing::{Span, Subscriber};
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Starts logging to standard error once per process; later calls do nothing.
pub fn init_logging(config: &LogConfig) {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let filter = EnvFilter::try_from_default_env()
            .or_else(|_| EnvFilter::try_new(&config.level))
            .unwrap_or_else(|_| EnvFilter::new("info"));
        if let Err(error) =
            tracing::subscriber::set_global_default(subscriber(config, filter, std::io::stderr))
        {
            eprintln!("logging was already set up: {error}");
        }
    });
}

/// Lantern's log format (`config.format`, UTC timestamps) writing to `writer`; the tests use it
/// to read what a server logs.
pub fn subscriber<W>(config: &LogConfig, filter: EnvFilter, writer: W) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    match config.format {
        LogFormat::Json => Box::new(builder.json().flatten_event(true).finish()),
        LogFormat::Text => Box::new(builder.compact().finish()),
    }
}

/// A request's route pattern, worked out once by [`RequestSpan`] and read by the metrics.
#[derive(Clone, Debug)]
struct RoutePattern(String);

/// The route pattern the request matched (`unmatched` when none): from the request's span when
/// it has one, else matched now.
fn route_pattern(req: &actix_web::HttpRequest) -> String {
    if let Some(RoutePattern(route)) = req.extensions().get::<RoutePattern>() {
        return route.clone();
    }
    req.match_pattern().unwrap_or_else(|| "unmatched".into())
}

/// The span each request runs in: method, route pattern, client address and request id. The
/// pattern (`/reset-password/{token}`) stands for the path, which may hold a one-time token, and
/// the query string, which may hold a CSRF token, is left out: secrets never reach the logs.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = route_pattern(request.request());
        request.extensions_mut().insert(RoutePattern(route.clone()));
        let request_id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
        let client = crate::platform::security::client_ip(request.request()).map(|ip| ip.to_string());
        tracing::info_span!(
            "request",
            http.method = %request.method(),
            http.route = %route,
            http.client_ip = client.as_deref().unwrap_or(""),
            request_id = %request_id,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// The process-wide Prometheus recorder.
pub fn metrics_handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), &buckets)
                .ok()
                .and_then(|builder| builder.install_recorder().ok())
        })
        .as_ref()
}

/// Counts requests and times them, labelled by the matched route pattern (not the raw path, which
/// would make label cardinality unbounded).
pub async fn record_metrics(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let response = next.call(req).await?;
    let route = route_pattern(response.request());
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels[..2])
        .record(started.elapsed().as_secs_f64());
    Ok(response)
}
