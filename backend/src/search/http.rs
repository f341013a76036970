//! `/search` (a page that needs no script) and `/api/v1/search` (the same answer as JSON).

use super::service::Search;
use super::views;
use crate::accounts::Visit;
use crate::error::AppError;
use crate::platform::ui::respond::html;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use lantern_search::{Filters, Request, Results};
use serde::{Deserialize, Serialize};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/search", web::get().to(search_page)).route("/api/v1/search", web::get().to(search_api));
}

/// Results per page.
pub const PAGE_SIZE: usize = 10;

/// The query string both answers read. Unknown values simply match nothing.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub profession: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub language: String,
    /// A competency code, e.g. `IPC.1`: what teaches it.
    #[serde(default)]
    pub competency: String,
    /// From 1; anything unreadable is the first page.
    #[serde(default)]
    pub page: String,
}

impl SearchQuery {
    pub fn page(&self) -> usize {
        self.page.parse::<usize>().unwrap_or(1).clamp(1, 1_000)
    }

    /// The request; mentors are found only by signed-in people (a mentor opts in to be found by
    /// colleagues on Lantern, not by everyone on the web).
    fn request(&self, language: &str, signed_in: bool) -> Request {
        Request {
            text: self.q.clone(),
            language: language.to_owned(),
            filters: Filters {
                kind: self.kind.clone(),
                profession: self.profession.clone(),
                topic: self.topic.clone(),
                language: self.language.clone(),
                competency: self.competency.clone(),
                hidden_kinds: if signed_in { Vec::new() } else { vec!["mentor".to_owned()] },
            },
            offset: (self.page() - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        }
    }
}

async fn run(search: &Search, query: &SearchQuery, visit: &Visit) -> Result<Results, AppError> {
    let request = query.request(visit.lang.code(), visit.session.is_some());
    search.search(request).await.map_err(|error| {
        tracing::error!(%error, "search failed");
        AppError::Unavailable
    })
}

async fn search_page(
    visit: Visit,
    search: web::Data<Search>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let chrome = visit.chrome();
    let results = run(&search, &query, &visit).await?;
    Ok(html(StatusCode::OK, views::search_page(&chrome, &query, &results)))
}

#[derive(Serialize)]
struct ApiHit<'a> {
    kind: &'a str,
    title: &'a str,
    url: &'a str,
    language: &'a str,
    organisation: &'a str,
    credits: f64,
    /// The passage with matched words between `<mark>` and `</mark>` (the text is escaped).
    snippet: String,
}

#[derive(Serialize)]
struct ApiFacet<'a> {
    value: &'a str,
    count: u64,
}

async fn search_api(
    visit: Visit,
    search: web::Data<Search>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let results = run(&search, &query, &visit).await?;
    let facet = |values: &[(String, u64)]| -> Vec<serde_json::Value> {
        values.iter().map(|(value, count)| serde_json::json!(ApiFacet { value, count: *count })).collect()
    };
    let hits: Vec<ApiHit> = results
        .hits
        .iter()
        .map(|hit| ApiHit {
            kind: &hit.kind,
            title: &hit.title,
            url: &hit.url,
            language: &hit.language,
            organisation: &hit.organisation,
            credits: hit.credits_hundredths as f64 / 100.0,
            snippet: views::snippet_html(&hit.snippet),
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "query": query.q,
        "total": results.total,
        "page": query.page(),
        "page_size": PAGE_SIZE,
        "hits": hits,
        "facets": {
            "kind": facet(&results.facets.kind),
            "profession": facet(&results.facets.profession),
            "topic": facet(&results.facets.topic),
            "language": facet(&results.facets.language),
        },
    })))
}
