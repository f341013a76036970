//! What every route of the JSON API shares: the problem body its errors carry, cursor pagination,
//! the OpenAPI security schemes, and the query-string errors that name their parameter.
//!
//! A cursor is opaque to clients: the URL-safe base64 of the last item's sort key. Lists are in a
//! stable order with unique keys, so a page never repeats or skips an item when others are added
//! before it.

use crate::error::AppError;
use actix_web::HttpRequest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoParams, ToSchema};

/// Items a page holds when the client does not say, and at most.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;

/// An error, as RFC 9457 describes it; sent as `application/problem+json`.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[schema(example = "about:blank")]
    pub r#type: String,
    /// The status in words, in the request's language.
    pub title: String,
    pub status: u16,
    /// What to do about it, naming the field or the row where there is one.
    pub detail: String,
    /// Quote it when reporting a server error.
    pub request_id: String,
}

/// The page of a list to answer.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items to answer: 1 to 100 (20 when absent).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// Where to go on from: the `next_cursor` of the page before.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page size asked for, checked.
    pub fn limit(&self) -> Result<usize, AppError> {
        match self.limit.as_deref().map(str::parse::<usize>) {
            None => Ok(DEFAULT_LIMIT),
            Some(Ok(n @ 1..=MAX_LIMIT)) => Ok(n),
            Some(_) => Err(AppError::BadRequest(format!("limit: a whole number from 1 to {MAX_LIMIT}"))),
        }
    }

    /// The sort key of the last item already seen, if any.
    pub fn after(&self) -> Result<Option<String>, AppError> {
        let Some(cursor) = self.cursor.as_deref() else { return Ok(None) };
        URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .map(Some)
            .ok_or_else(|| AppError::BadRequest("cursor: not a cursor this API gave".into()))
    }

    /// One page of `items`, which are sorted by `key` (ascending, unique), and the cursor of the
    /// next page when there is one.
    pub fn page<T>(
        &self,
        items: Vec<T>,
        key: impl Fn(&T) -> String,
    ) -> Result<(Vec<T>, Option<String>), AppError> {
        let limit = self.limit()?;
        let after = self.after()?;
        let mut rest: Vec<T> =
            items.into_iter().filter(|item| after.as_ref().is_none_or(|after| key(item) > *after)).collect();
        let next = (rest.len() > limit).then(|| cursor(&key(&rest[limit - 1])));
        rest.truncate(limit);
        Ok((rest, next))
    }
}

/// The cursor that goes on after an item with this sort key.
pub fn cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key)
}

/// A sort key of text that orders numbers as numbers (a cursor over ids).
pub fn number_key(n: i64) -> String {
    format!("{n:020}")
}

/// A query string the route cannot read answers 400 naming the parameter (a problem body, under
/// `/api/`), never actix's plain-text message.
pub fn query_config() -> actix_web::web::QueryConfig {
    actix_web::web::QueryConfig::default()
        .error_handler(|error, _| AppError::BadRequest(format!("query string: {error}")).into())
}

/// A JSON body the route cannot read answers 400 saying what and where (serde's line, column and
/// field), or 415 when it is not JSON at all; at most `limit` bytes.
pub fn json_config(limit: usize) -> actix_web::web::JsonConfig {
    actix_web::web::JsonConfig::default().limit(limit).error_handler(|error, _| {
        use actix_web::error::JsonPayloadError;
        match error {
            JsonPayloadError::ContentType => {
                AppError::UnsupportedMediaType("send application/json".into()).into()
            }
            other => AppError::BadRequest(format!("body: {other}")).into(),
        }
    })
}

/// A request's media type, lower-case and without parameters (`text/csv; charset=utf-8` →
/// `text/csv`); empty when it names none.
pub fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads a JSON body, once the handler knows who asks (a stranger learns nothing from what is
/// wrong with it): 415 unless it is `application/json`, 400 naming where it could not be read.
pub fn json_body<T: DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> Result<T, AppError> {
    if media_type(req) != "application/json" {
        return Err(AppError::UnsupportedMediaType("send application/json".into()));
    }
    serde_json::from_slice(body).map_err(|error| AppError::BadRequest(format!("body: {error}")))
}

/// [`json_body`] where the body may be left out: none at all is `T::default()`.
pub fn optional_json_body<T: DeserializeOwned + Default>(
    req: &HttpRequest,
    body: &[u8],
) -> Result<T, AppError> {
    if body.is_empty() { Ok(T::default()) } else { json_body(req, body) }
}

/// Reads a whole request body of at most `limit` bytes (413 beyond), once the handler knows who
/// asks: nobody else makes the server read it.
pub async fn read_body(
    payload: actix_web::web::Payload,
    limit: usize,
) -> Result<actix_web::web::Bytes, AppError> {
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) => Err(AppError::BadRequest(format!("body: {error}"))),
        Err(_) => Err(AppError::TooLarge(format!("body: at most {} MB", limit / (1024 * 1024)))),
    }
}

/// The two ways to call the API: a token (`Authorization: Bearer lt_…`, made at
/// `/account/tokens`) or the session cookie of a signed-in browser.
pub struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token made at /account/tokens, scoped per feature (read or write).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "__Host-lantern-session",
                "A signed-in browser's session.",
            ))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(limit: Option<u32>, cursor: Option<String>) -> PageQuery {
        PageQuery { limit: limit.map(|n| n.to_string()), cursor }
    }

    #[test]
    fn pages_walk_a_list_once_in_order_and_stop() {
        let items: Vec<i64> = (1..=45).collect();
        let key = |n: &i64| number_key(*n);
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let (page, next) = query(Some(20), cursor).page(items.clone(), key).unwrap();
            seen.extend(page);
            match next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, items);
        // An item added before the cursor does not shift the next page.
        let (first, next) = query(Some(2), None).page(vec![10, 20, 30], key).unwrap();
        assert_eq!(first, [10, 20]);
        let (second, end) = query(Some(2), next).page(vec![5, 10, 20, 30], key).unwrap();
        assert_eq!((second, end), (vec![30], None));
    }

    #[test]
    fn a_bad_limit_or_cursor_is_refused_by_name() {
        let message = |result: Result<(Vec<i64>, Option<String>), AppError>| match result {
            Err(AppError::BadRequest(message)) => message,
            other => panic!("{:?}", other.map(|r| r.0)),
        };
        assert!(message(query(Some(0), None).page(vec![1], |n| number_key(*n))).starts_with("limit"));
        assert!(message(query(Some(101), None).page(vec![1], |n| number_key(*n))).starts_with("limit"));
        let bad = query(None, Some("%%%".into())).page(vec![1], |n| number_key(*n));
        assert!(message(bad).starts_with("cursor"));
        let words = PageQuery { limit: Some("many".into()), cursor: None };
        assert!(message(words.page(vec![1], |n| number_key(*n))).starts_with("limit"));
    }
}
