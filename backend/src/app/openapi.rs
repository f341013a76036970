//! The API's OpenAPI 3.1 document and its reference page.
//!
//! The document is built from the handlers' own annotations (`#[utoipa::path]`, schemas derived
//! from the response types); who may call each operation comes from the table that enforces it
//! ([`API_ROUTES`]), and the errors every operation can answer are added here once. A test checks
//! that every `/api/v1/` route the server registers is in it and nothing else. Served at
//! `/api/v1/openapi.json`; `/api` renders it as a page that needs no script.

use crate::accounts::Visit;
use crate::accounts::api_tokens::required_scope;
use crate::error::AppError;
use crate::platform::api::{Problem, SecuritySchemes};
use crate::platform::ui::page;
use crate::platform::ui::respond::html;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::{Markup, html};
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Content, Ref, Required, ResponseBuilder};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lantern API",
        version = "1",
        description = "Every action a learner, author, reviewer, association or regulator takes on a page, \
            as JSON. Call it with an API token (`Authorization: Bearer lt_…`, made at /account/tokens and \
            scoped per feature) or a signed-in browser's session. Errors are `application/problem+json`; \
            lists go on with `cursor`; reads carry an ETag and answer 304 to `If-None-Match`.",
        license(name = "AGPL-3.0-or-later"),
    ),
    paths(
        crate::courses::api::api_courses,
        crate::courses::api::api_course,
        crate::courses::api::api_enrol,
        crate::courses::api::api_move_to_latest,
        crate::courses::api::api_read_lesson,
        crate::courses::api::api_start_attempt,
        crate::courses::api::api_attempt,
        crate::courses::api::api_submit_attempt,
        crate::courses::api::api_my_courses,
        crate::competencies::http::api_frameworks,
        crate::competencies::http::api_framework,
        crate::competencies::http::api_profile,
        crate::competencies::http::api_gaps,
        crate::competencies::http::api_assess_self,
        crate::courses::review_api::api_organisation_courses,
        crate::courses::review_api::api_upload,
        crate::courses::review_api::api_version,
        crate::courses::review_api::api_submit,
        crate::courses::review_api::api_approve,
        crate::courses::review_api::api_return,
        crate::mentorship::api::api_programmes,
        crate::mentorship::api::api_create_programme,
        crate::mentorship::api::api_reassign,
        crate::mentorship::api::api_match_now,
        crate::mentorship::api::api_programme,
        crate::mentorship::api::api_run_round,
        crate::mentorship::api::api_publish_round,
        crate::mentorship::api::api_my_mentoring,
        crate::mentorship::api::api_save_mentor,
        crate::mentorship::api::api_request,
        crate::mentorship::api::api_withdraw,
        crate::mentorship::api::api_accept,
        crate::mentorship::api::api_decline,
        crate::mentorship::api::api_log_session,
        crate::mentorship::api::api_end,
        crate::mentorship::api::api_feedback,
        crate::mentorship::api::api_concern,
        crate::competencies::http::api_sign_observation,
        crate::competencies::http::api_decline_observation,
        crate::competencies::frameworks_api::api_import_framework,
        crate::competencies::frameworks_api::api_publish_framework,
        crate::credits::regulator_api::api_set_rules,
        crate::credits::regulator_api::api_audit,
        crate::credits::regulator_api::api_decide_case,
        crate::credits::api::api_consent,
        crate::credits::api::api_my_certificates,
        crate::credits::association_api::api_report_activity,
        crate::credits::association_api::api_accreditations,
        crate::credits::association_api::api_accredit,
        crate::credits::association_api::api_pending_activities,
        crate::credits::association_api::api_decide_activity,
        crate::credits::association_api::api_issued,
        crate::credits::association_api::api_revoke,
        crate::credits::regulator_api::api_rules,
        crate::credits::regulator_api::api_roster,
        crate::credits::regulator_api::api_compliance,
        crate::credits::regulator_api::api_audits,
        crate::credits::regulator_api::api_start_audit,
        crate::search::http::search_api,
        crate::credits::api::api_my_credits,
        crate::credits::http::bulk_api,
        crate::insights::http::api_insights,
    ),
    components(schemas(Problem)),
    modifiers(&SecuritySchemes, &Conventions),
    tags(
        (name = "courses", description = "The catalogue, a course's outline, enrolling, reading and quizzes"),
        (name = "authoring", description = "An association's courses: upload, submit, approve, return"),
        (name = "mentoring", description = "An association's programmes and matching rounds; the caller's mentoring"),
        (name = "competencies", description = "Frameworks, and the caller's competencies and gaps"),
        (name = "search", description = "Courses, lessons, competencies and mentors"),
        (name = "credits", description = "The caller's CPD ledger, activities, consent and certificates; an association's accreditations, activity reviews and revocations; a regulator's bulk verification"),
        (name = "regulators", description = "A regulator's rules, roster, licensees' compliance and audits"),
        (name = "insights", description = "Aggregate figures, with small counts hidden"),
    ),
)]
struct ApiDoc;

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(ApiDoc::openapi)
}

fn operations(item: &PathItem) -> impl Iterator<Item = (&'static str, &Operation)> {
    [
        ("GET", &item.get),
        ("POST", &item.post),
        ("PUT", &item.put),
        ("DELETE", &item.delete),
        ("PATCH", &item.patch),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_ref().map(|o| (method, o)))
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("GET", &mut item.get),
        ("POST", &mut item.post),
        ("PUT", &mut item.put),
        ("DELETE", &mut item.delete),
        ("PATCH", &mut item.patch),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_mut().map(|o| (method, o)))
}

/// The scope a token needs for an operation, or None where tokens are refused.
fn scope(method: &str, path: &str) -> Option<String> {
    required_scope(matches!(method, "GET" | "HEAD"), path)
}

/// What every operation shares: who may call it, and the errors any of them can answer.
struct Conventions;

impl utoipa::Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/problem+json", Content::new(Some(Ref::from_schema_name("Problem"))))
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, operation) in operations_mut(item) {
                let scope = scope(method, path);
                // Operations open to anyone say so with an empty requirement (`security(())`).
                let mut security = operation.security.take().unwrap_or_default();
                if let Some(scope) = &scope {
                    security.push(SecurityRequirement::new("token", [scope.as_str()]));
                }
                security.push(SecurityRequirement::new("session", Vec::<String>::new()));
                operation.security = Some(security);
                let responses = &mut operation.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses.entry(status.to_owned()).or_insert_with(|| problem(description).into());
                };
                let queried = operation.parameters.iter().flatten().any(|p| match p {
                    utoipa::openapi::RefOr::T(p) => p.parameter_in == ParameterIn::Query,
                    utoipa::openapi::RefOr::Ref(_) => false,
                });
                if path.contains('{') {
                    add("404", "Nothing by that name: the detail says what");
                }
                if queried {
                    add("400", "A query string that cannot be read; the detail names the parameter");
                }
                if operation.request_body.is_some() {
                    add(
                        "400",
                        "A body that cannot be read, or a field that does not fit; the detail says where",
                    );
                    add("415", "A body of another media type than the one documented");
                }
                if scope.is_some() {
                    add("401", "Not signed in, or a token that is unknown, expired or revoked");
                    add(
                        "403",
                        "A token without the scope this operation needs, or a caller it does not serve",
                    );
                    add("429", "Over the token's budget of requests a minute; see Retry-After");
                }
                add("503", "The database cannot be reached; try again after Retry-After");
            }
        }
    }
}

/// `/api/v1/openapi.json`
pub async fn openapi_json() -> HttpResponse {
    static JSON: OnceLock<String> = OnceLock::new();
    let body = JSON.get_or_init(|| document().to_json().unwrap_or_default());
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Cache-Control", "public, max-age=300"))
        .body(body.clone())
}

/// `/api`: the reference, from the document.
pub async fn reference(
    visit: Visit,
    limits: actix_web::web::Data<crate::accounts::api_tokens::ApiRateLimiter>,
) -> Result<HttpResponse, AppError> {
    let t = visit.lang;
    let openapi = document();
    let tags: Vec<(String, String)> = openapi
        .tags
        .iter()
        .flatten()
        .map(|tag| (tag.name.clone(), tag.description.clone().unwrap_or_default()))
        .collect();
    let body = html! {
        div.api {
        h1 { (t.t("api-title")) }
        p.lead { (t.t("api-lead")) }
        div.card {
            h2 { (t.t("api-using")) }
            ul {
                li { (t.t("api-auth")) " " a href="/account/tokens" { (t.t("api-tokens-link")) } }
                li { (t.ta("api-limits", &[("rate", i64::from(limits.per_minute()).into())])) }
                li { (t.t("api-errors")) }
                li { (t.t("api-pages")) }
                li { (t.t("api-etags")) }
            }
            p { a href="/api/v1/openapi.json" { (t.t("api-document")) } }
        }
        @for (tag, description) in &tags {
            section {
                h2 { (tag) }
                p.muted { (description) }
                @for (path, item) in openapi.paths.paths.iter() {
                    @for (method, operation) in operations(item) {
                        @if operation.tags.iter().flatten().any(|t| t == tag) {
                            (operation_card(t, method, path, operation))
                        }
                    }
                }
            }
        }
        }
    };
    Ok(html(StatusCode::OK, page(&visit.chrome(), &t.t("api-title"), body)))
}

fn location(place: &ParameterIn) -> &'static str {
    match place {
        ParameterIn::Path => "path",
        ParameterIn::Query => "query",
        ParameterIn::Header => "header",
        ParameterIn::Cookie => "cookie",
        _ => "query string",
    }
}

fn operation_card(t: crate::platform::ui::Lang, method: &str, path: &str, operation: &Operation) -> Markup {
    let parameters: Vec<&utoipa::openapi::path::Parameter> = operation
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            utoipa::openapi::RefOr::T(p) => Some(p),
            utoipa::openapi::RefOr::Ref(_) => None,
        })
        .collect();
    let public = operation.security.iter().flatten().any(|s| s == &SecurityRequirement::default());
    html! {
        details.card.operation id=(operation.operation_id.clone().unwrap_or_default()) {
            summary {
                code { (method) " " (path) }
                @if let Some(summary) = &operation.summary { br; (summary) }
            }
            @if let Some(description) = &operation.description { p.muted { (description) } }
            p {
                @match scope(method, path) {
                    Some(scope) => { (t.t("api-needs-token")) " " code { (scope) } }
                    None => { (t.t("api-session-only")) }
                }
                @if public { " " (t.t("api-public")) }
            }
            @if !parameters.is_empty() {
                h4 { (t.t("api-parameters")) }
                dl {
                    @for p in &parameters {
                        dt {
                            code { (p.name) }
                            " (" (location(&p.parameter_in))
                            @if p.required == Required::True { ", " (t.t("api-required")) }
                            ")"
                        }
                        dd { (p.description.clone().unwrap_or_default()) }
                    }
                }
            }
            @if let Some(utoipa::openapi::RefOr::T(body)) = &operation.request_body {
                h4 { (t.t("api-body")) }
                p { @for (i, kind) in body.content.keys().enumerate() { @if i > 0 { ", " } code { (kind) } } }
                @if let Some(description) = &body.description { p.muted { (description) } }
            }
            h4 { (t.t("api-responses")) }
            ul {
                @for (status, response) in &operation.responses.responses {
                    @if let utoipa::openapi::RefOr::T(response) = response {
                        li { strong { (status) } " " (response.description) }
                    }
                }
            }
        }
    }
}
