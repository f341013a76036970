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
use utoipa::{IntoParams, ToSchema};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/search", web::get().to(search_page)).route("/api/v1/search", web::get().to(search_api));
}

/// Results per page.
pub const PAGE_SIZE: usize = 10;

/// The query string both answers read. Unknown values simply match nothing.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find: misspellings of longer words are forgiven, the last word may be a prefix,
    /// "quoted words" are a phrase. Empty: everything, by kind.
    #[serde(default)]
    pub q: String,
    /// Only this kind: `course`, `lesson`, `competency` or `mentor` (mentors: signed-in callers).
    #[serde(default)]
    pub kind: String,
    /// Only for this profession (e.g. `midwife`).
    #[serde(default)]
    pub profession: String,
    /// Only on this topic.
    #[serde(default)]
    pub topic: String,
    /// Only in this language (e.g. `fr`); the caller's language ranks first anyway.
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

/// A thing found.
#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    /// `course`, `lesson`, `competency` or `mentor`.
    kind: String,
    title: String,
    /// Its page.
    url: String,
    language: String,
    organisation: String,
    credits: f64,
    /// The passage with matched words between `<mark>` and `</mark>` (the text is escaped).
    snippet: String,
}

/// A value of a facet and how many results have it.
#[derive(Serialize, ToSchema)]
pub struct FacetCount {
    value: String,
    count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Facets {
    kind: Vec<FacetCount>,
    profession: Vec<FacetCount>,
    topic: Vec<FacetCount>,
    language: Vec<FacetCount>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchBody {
    query: String,
    /// Results in all.
    total: usize,
    /// Ranked results are numbered in pages of `page_size`: ask for `page=2` and on.
    page: usize,
    page_size: usize,
    hits: Vec<SearchHit>,
    facets: Facets,
}

/// Finds courses, lessons, competencies and mentors.
///
/// Best first, with facet counts: the same answer as the `/search` page. Mentors are found by
/// signed-in callers only.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "search",
    params(SearchQuery),
    responses((status = 200, description = "A page of results", body = SearchBody)),
    security(()),
)]
pub(crate) async fn search_api(
    visit: Visit,
    search: web::Data<Search>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let results = run(&search, &query, &visit).await?;
    let facet = |values: &[(String, u64)]| -> Vec<FacetCount> {
        values.iter().map(|(value, count)| FacetCount { value: value.clone(), count: *count }).collect()
    };
    let hits = results
        .hits
        .iter()
        .map(|hit| SearchHit {
            kind: hit.kind.clone(),
            title: hit.title.clone(),
            url: hit.url.clone(),
            language: hit.language.clone(),
            organisation: hit.organisation.clone(),
            credits: hit.credits_hundredths as f64 / 100.0,
            snippet: views::snippet_html(&hit.snippet),
        })
        .collect();
    Ok(HttpResponse::Ok().json(SearchBody {
        query: query.q.clone(),
        total: results.total,
        page: query.page(),
        page_size: PAGE_SIZE,
        hits,
        facets: Facets {
            kind: facet(&results.facets.kind),
            profession: facet(&results.facets.profession),
            topic: facet(&results.facets.topic),
            language: facet(&results.facets.language),
        },
    }))
}
