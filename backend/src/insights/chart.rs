//! Small charts drawn on the server as inline SVG: no script, a few hundred bytes each, readable
//! at 360 px (the drawing scales to its box). Colours are presentation attributes, which the
//! Content-Security-Policy allows where inline styles are refused. Every chart stands above its
//! table, which carries the same figures for screen readers and for copying.

use super::table::{Figure, Table};
use maud::{Markup, html};

/// Distinguishable in colour and in grey (alternating light and dark).
const PALETTE: [&str; 6] = ["#1f6f8b", "#e0a458", "#2a9d8f", "#8a4f7d", "#99c24d", "#c8553d"];
const WIDTH: i64 = 320;
const LABEL: i64 = 14;
const BAR: i64 = 12;
const GAP: i64 = 8;

/// The colour of column `index`, shared by the chart and its legend.
pub fn colour(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

/// One horizontal bar per row, split by column; hidden cells are left out, so a bar may fall
/// short of its total (the table says why). Bars share one scale: the largest shown row total.
pub fn stacked_bars(table: &Table, title: &str, row_label: impl Fn(&str) -> String) -> Markup {
    let grid = &table.people;
    let widest = grid
        .cells
        .iter()
        .map(|row| row.iter().filter_map(|f| f.shown()).sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let step = LABEL + BAR + GAP;
    let height = (table.rows.len() as i64 * step).max(step);
    html! {
        svg.chart viewBox={"0 0 " (WIDTH) " " (height)} role="img" aria-label=(title) xmlns="http://www.w3.org/2000/svg" {
            @for (r, row) in grid.cells.iter().enumerate() {
                @let top = r as i64 * step;
                text x="0" y=(top + LABEL - 3) font-size="11" fill="currentColor" { (row_label(&table.rows[r])) }
                @for (x, w, c) in segments(row, widest) {
                    rect x=(x) y=(top + LABEL) width=(w) height=(BAR) fill=(colour(c)) {}
                }
            }
        }
    }
}

/// A row's shown cells laid end to end: (x, width, column), zero-width ones left out.
fn segments(row: &[Figure], widest: i64) -> Vec<(i64, i64, usize)> {
    let mut x = 0;
    let mut out = Vec::new();
    for (c, figure) in row.iter().enumerate() {
        if let Figure::Shown(n) = figure {
            let w = n * WIDTH / widest;
            if w > 0 {
                out.push((x, w, c));
            }
            x += w;
        }
    }
    out
}

/// Vertical bars of the column totals (months or years, in order), for a trend.
pub fn column_bars(table: &Table, title: &str, column_label: impl Fn(&str) -> String) -> Markup {
    let totals = &table.people.column_totals;
    let highest = totals.iter().filter_map(|f| f.shown()).max().unwrap_or(0).max(1);
    let columns = totals.len().max(1) as i64;
    let slot = WIDTH / columns;
    let bar = (slot - 4).max(2);
    let plot = 90;
    html! {
        svg.chart viewBox={"0 0 " (WIDTH) " " (plot + 2 * LABEL)} role="img" aria-label=(title) xmlns="http://www.w3.org/2000/svg" {
            @for (c, figure) in totals.iter().enumerate() {
                @let x = c as i64 * slot + 2;
                @match figure {
                    Figure::Shown(n) => {
                        @let h = n * plot / highest;
                        rect x=(x) y=(LABEL + plot - h) width=(bar) height=(h) fill=(colour(0)) {}
                    }
                    Figure::Suppressed => {
                        text x=(x + bar / 2) y=(LABEL + plot - 2) font-size="10" text-anchor="middle" fill="currentColor" { "–" }
                    }
                }
                // Labels start at their bar (the first one would be cut if centred); every other
                // one when they would crowd.
                @if columns <= 6 || c % 2 == 0 {
                    text x=(x) y=(plot + 2 * LABEL - 2) font-size="9" fill="currentColor" { (column_label(&table.columns[c])) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::table::Counts;

    #[test]
    fn a_chart_is_plain_svg_with_one_bar_per_shown_cell_and_nothing_for_hidden_ones() {
        let mut counts =
            Counts::new(vec!["north".into(), "south".into()], vec!["nurse".into(), "midwife".into()]);
        counts.add("north", "nurse", 40, None);
        counts.add("north", "midwife", 2, None);
        counts.add("south", "nurse", 30, None);
        counts.add("south", "midwife", 20, None);
        let table = counts.publish(5);
        let svg = stacked_bars(&table, "Members", str::to_owned).into_string();
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(!svg.contains("style="), "the CSP refuses inline styles");
        // 2 is hidden and so is its row partner 40 (and the rectangle's 30 and 20 with it).
        assert_eq!(svg.matches("<rect").count(), 0);
        let trend = column_bars(&table, "Members", str::to_owned).into_string();
        assert_eq!(trend.matches("<rect").count(), 2, "column totals 70 and 22 are shown");
    }
}
