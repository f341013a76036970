//! The insights page: per table a chart, its legend, the table itself and a CSV link.

use super::chart;
use super::service::{Axis, Chart, Published, Section};
use super::table::Figure;
use crate::credits::service::format_credits;
use crate::platform::ui::i18n::Lang;
use crate::platform::ui::{Chrome, page};
use maud::{Markup, html};

/// A label as a reader sees it: translated where it is a code, "not given" where it is empty.
pub fn label(t: Lang, axis: Axis, code: &str) -> String {
    if code.is_empty() {
        return t.t("insights-not-given");
    }
    let key = match axis {
        Axis::Profession => format!("profession-{code}"),
        Axis::Setting => format!("setting-{code}"),
        Axis::Status => format!("compliance-{code}"),
        Axis::Mentor => format!("insights-mentor-{code}"),
        Axis::Region | Axis::Month | Axis::Year => return code.to_owned(),
    };
    t.try_t(&key).unwrap_or_else(|| code.to_owned())
}

/// A figure as text: people as a number, credits formatted, hidden ones as a dash.
fn shown(figure: Figure, credits: bool) -> String {
    match figure {
        Figure::Shown(n) if credits => format_credits(n),
        Figure::Shown(n) => n.to_string(),
        Figure::Suppressed => "–".to_owned(),
    }
}

pub fn insights_page(chrome: &Chrome, organisation: (&str, &str), k: i64, published: &Published) -> Markup {
    let t = chrome.lang;
    let sections = &published.sections;
    let counted = published.computed_at.format("%Y-%m-%d %H:%M UTC").to_string();
    let (slug, name) = organisation;
    let hidden = t.ta("insights-hidden", &[("k", k.into())]);
    page(
        chrome,
        &t.t("insights-title"),
        html! {
            h1 { (t.t("insights-title")) }
            p.muted { (name) }
            p { (t.ta("insights-privacy", &[("k", k.into())])) }
            p.muted { (t.ta("insights-counted", &[("at", counted.into())])) }
            // An association's competency gaps by region and profession have a page of their own.
            @if sections.iter().any(|s| s.key == "members") {
                p { a href={ "/orgs/" (slug) "/workforce" } { (t.t("insights-gaps-link")) } }
            }
            @for section in sections {
                @let title = t.t(&format!("insights-{}", section.key));
                @let table = &section.table;
                section.card id=(section.key) {
                    h2.card-title { (title) }
                    @if table.people.total == Figure::Shown(0) || table.rows.is_empty() {
                        p.muted { (t.t("insights-empty")) }
                    } @else {
                        @match section.chart {
                            Chart::Stacked => {
                                (chart::stacked_bars(table, &title, |code| label(t, section.rows, code)))
                                p.legend {
                                    @for (c, column) in table.columns.iter().enumerate() {
                                        svg width="10" height="10" aria-hidden="true" { rect width="10" height="10" fill=(chart::colour(c)) {} }
                                        " " (label(t, section.columns, column)) " "
                                    }
                                }
                            }
                            Chart::Trend => (chart::column_bars(table, &title, |code| label(t, section.columns, code))),
                        }
                        @if section.credits {
                            p.muted { (t.t("insights-credits-note")) }
                        }
                        div.table-wrap {
                            table {
                                thead {
                                    tr {
                                        th scope="col" { (t.t(&format!("insights-axis-{}", axis_key(section.rows)))) }
                                        @for column in &table.columns { th scope="col" { (label(t, section.columns, column)) } }
                                        th scope="col" { (t.t("insights-total")) }
                                    }
                                }
                                tbody {
                                    @for (r, row) in table.rows.iter().enumerate() {
                                        tr {
                                            th scope="row" { (label(t, section.rows, row)) }
                                            @for c in 0..table.columns.len() { td { (cell(section, r, Some(c), &hidden)) } }
                                            td { (cell(section, r, None, &hidden)) }
                                        }
                                    }
                                }
                                tfoot {
                                    tr {
                                        th scope="row" { (t.t("insights-total")) }
                                        @for c in 0..table.columns.len() { td { (total(section, Some(c), &hidden)) } }
                                        td { (total(section, None, &hidden)) }
                                    }
                                }
                            }
                        }
                    }
                    p { a href={"/orgs/" (slug) "/insights/" (section.key) ".csv"} download { (t.t("insights-csv")) } }
                }
            }
        },
    )
}

/// Row `r`'s cell in column `c` (its total with `None`): people, with credits beside them when
/// the table counts credits.
fn cell(section: &Section, r: usize, c: Option<usize>, hidden: &str) -> Markup {
    let pick = |grid: &super::table::Grid| match c {
        Some(c) => grid.cells[r][c],
        None => grid.row_totals[r],
    };
    figure(section, pick(&section.table.people), section.table.values.as_ref().map(pick), hidden)
}

/// Column `c`'s total (the grand total with `None`).
fn total(section: &Section, c: Option<usize>, hidden: &str) -> Markup {
    let pick = |grid: &super::table::Grid| match c {
        Some(c) => grid.column_totals[c],
        None => grid.total,
    };
    figure(section, pick(&section.table.people), section.table.values.as_ref().map(pick), hidden)
}

fn figure(section: &Section, people: Figure, value: Option<Figure>, hidden: &str) -> Markup {
    html! {
        @if people == Figure::Suppressed {
            abbr title=(hidden) { "–" }
        } @else if let (true, Some(value)) = (section.credits, value) {
            (shown(value, true)) " " span.muted { "(" (shown(people, false)) ")" }
        } @else {
            (shown(people, false))
        }
    }
}

pub fn axis_key(axis: Axis) -> &'static str {
    match axis {
        Axis::Region => "region",
        Axis::Profession => "profession",
        Axis::Setting => "setting",
        Axis::Month => "month",
        Axis::Year => "year",
        Axis::Mentor => "mentor",
        Axis::Status => "status",
    }
}
