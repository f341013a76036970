//! The search page: a form, facet links, results with their snippets, and a pager.

use super::http::{PAGE_SIZE, SearchQuery};
use lantern_search::Results;
use maud::{Markup, html};

/// A snippet as HTML: its text escaped, matched words in `<mark>`.
pub fn snippet_html(pieces: &[(String, bool)]) -> String {
    html! { @for (text, marked) in pieces { @if *marked { mark { (text) } } @else { (text) } } }.into_string()
}

/// The query string for this search with one field changed (an empty value removes it).
fn link(query: &SearchQuery, key: &str, value: &str) -> String {
    let mut pairs = vec![
        ("q", query.q.as_str()),
        ("kind", query.kind.as_str()),
        ("profession", query.profession.as_str()),
        ("topic", query.topic.as_str()),
        ("language", query.language.as_str()),
    ];
    let page = if key == "page" { value.to_owned() } else { String::new() };
    for pair in &mut pairs {
        if pair.0 == key {
            pair.1 = value;
        }
    }
    pairs.push(("page", page.as_str()));
    let encoded =
        serde_urlencoded::to_string(pairs.iter().filter(|(_, v)| !v.is_empty()).collect::<Vec<_>>())
            .unwrap_or_default();
    format!("/search?{encoded}")
}

pub fn search_page(chrome: &crate::platform::ui::Chrome, query: &SearchQuery, results: &Results) -> Markup {
    let t = chrome.lang;
    let facet_groups = [
        ("kind", "search-facet-kind", &results.facets.kind, query.kind.as_str()),
        ("profession", "search-facet-profession", &results.facets.profession, query.profession.as_str()),
        ("topic", "search-facet-topic", &results.facets.topic, query.topic.as_str()),
        ("language", "search-facet-language", &results.facets.language, query.language.as_str()),
    ];
    let label = |key: &str, value: &str| {
        match key {
            "kind" => t.try_t(&format!("search-kind-{value}")),
            "profession" => t.try_t(&format!("profession-{value}")),
            "language" => t.try_t(&format!("language-{value}")),
            _ => None,
        }
        .unwrap_or_else(|| value.to_owned())
    };
    let page = query.page();
    let searched = !query.q.trim().is_empty() || results.total > 0;
    crate::platform::ui::page(
        chrome,
        &t.t("search-title"),
        html! {
            h1 { (t.t("search-title")) }
            form.search method="get" action="/search" role="search" {
                label.visually-hidden for="f-q" { (t.t("search-label")) }
                input #f-q type="search" name="q" value=(query.q) maxlength="500" placeholder=(t.t("search-placeholder"));
                @for (key, value) in [("kind", &query.kind), ("profession", &query.profession), ("topic", &query.topic), ("language", &query.language)] {
                    @if !value.is_empty() { input type="hidden" name=(key) value=(value); }
                }
                button type="submit" { (t.t("search-submit")) }
            }
            @if searched {
                p.muted role="status" { (t.ta("search-count", &[("count", (results.total as i64).into())])) }
            }
            @if results.total > 0 || facet_groups.iter().any(|(_, _, _, chosen)| !chosen.is_empty()) {
                details.filters open[facet_groups.iter().any(|(_, _, _, chosen)| !chosen.is_empty())] {
                    summary { (t.t("search-filters")) }
                    @for (key, title, values, chosen) in facet_groups {
                        @if !values.is_empty() || !chosen.is_empty() {
                            p.facet { strong { (t.t(title)) } " "
                                @for (value, count) in values.iter() {
                                    @let active = chosen == value;
                                    a.chip.active[active] href=(link(query, key, if active { "" } else { value })) aria-current=[active.then_some("true")] { (label(key, value)) " (" (count) ")" }
                                }
                                @if !chosen.is_empty() && values.iter().all(|(v, _)| v != chosen) {
                                    a.chip.active href=(link(query, key, "")) aria-current="true" { (label(key, chosen)) " (0)" }
                                }
                            }
                        }
                    }
                }
            }
            ol.results.list start=((page - 1) * PAGE_SIZE + 1) {
                @for hit in &results.hits {
                    li lang=(hit.language) {
                        h2.card-title { a href=(hit.url) { (hit.title) } }
                        p.muted { (label("kind", &hit.kind)) " · " (hit.organisation) }
                        @if !hit.snippet.is_empty() {
                            p.snippet { (maud::PreEscaped(snippet_html(&hit.snippet))) }
                        }
                    }
                }
            }
            @if page > 1 || page * PAGE_SIZE < results.total {
                nav.pager aria-label=(t.t("search-pages")) {
                    @if page > 1 { a.button.secondary href=(link(query, "page", &(page - 1).to_string())) rel="prev" { "← " (t.t("search-previous")) } }
                    @if page * PAGE_SIZE < results.total { a.button href=(link(query, "page", &(page + 1).to_string())) rel="next" { (t.t("search-next")) " →" } }
                }
            }
        },
    )
}
