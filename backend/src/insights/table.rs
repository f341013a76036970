//! A published cross-table of counts of people, and the rule that keeps any one person out of it:
//! k-anonymity with complementary suppression.
//!
//! A table has rows and columns, a count in each cell, a total for each row and each column, and a
//! grand total. The totals are the sums of the cells, so a reader who knows every cell of a line
//! but one knows that one too. Two passes decide what is shown:
//!
//! 1. **Primary**: every cell and every total describing 1 to k − 1 people is suppressed. Zero is
//!    shown: it describes nobody.
//! 2. **Complementary**: every line (a row with its total, a column with its total, the row of
//!    column totals with the grand total, the column of row totals with the grand total) must hide
//!    none of its entries or at least two, so no hidden entry is the difference of the shown
//!    ones. A line hiding exactly one also hides its smallest shown positive cell (the least
//!    information lost); with none, its smallest shown cell; with no cell left, its total. This
//!    repeats until every line holds, which it must: each step hides one more entry of a finite
//!    table.
//!
//! Known limit, as with every line-based method: when hidden cells form a rectangle whose lines
//! are otherwise shown, a reader can narrow each hidden cell to a range, not to a value. The
//! primary threshold still holds for every shown figure.
//!
//! A table may carry a second figure per cell (credits earned, say) whose people are the counts:
//! it is shown and hidden with exactly the counts' pattern, and its totals are its own sums.

/// One published figure: shown, or hidden because it (or its neighbours) would reveal someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    Shown(i64),
    Suppressed,
}

impl Figure {
    pub fn shown(self) -> Option<i64> {
        match self {
            Figure::Shown(n) => Some(n),
            Figure::Suppressed => None,
        }
    }
}

/// Counts of people by row and column, before anything is hidden.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `people[row][column]`
    pub people: Vec<Vec<i64>>,
    /// An optional figure per cell, summed over the people the count describes.
    pub values: Option<Vec<Vec<i64>>>,
}

impl Counts {
    /// An empty table with these rows and columns.
    pub fn new(rows: Vec<String>, columns: Vec<String>) -> Self {
        let people = vec![vec![0; columns.len()]; rows.len()];
        Self { rows, columns, people, values: None }
    }

    /// Adds `people` (and `value`, when the table carries values) to the cell named by its labels;
    /// a label the table does not have is ignored.
    pub fn add(&mut self, row: &str, column: &str, people: i64, value: Option<i64>) {
        let (Some(r), Some(c)) =
            (self.rows.iter().position(|x| x == row), self.columns.iter().position(|x| x == column))
        else {
            return;
        };
        self.people[r][c] += people;
        if let Some(value) = value {
            let columns = self.columns.len();
            let values = self.values.get_or_insert_with(|| vec![vec![0; columns]; self.people.len()]);
            values[r][c] += value;
        }
    }

    /// The table as it may be published, with at least `k` people behind every shown figure.
    pub fn publish(&self, k: i64) -> Table {
        let columns = self.columns.len();
        let hidden = suppression(&self.people, columns, k);
        let pick = |grid: &Vec<Vec<i64>>| -> Grid {
            let (row_totals, column_totals, total) = margins(grid, columns);
            Grid {
                cells: grid
                    .iter()
                    .zip(&hidden.cells)
                    .map(|(row, hide)| row.iter().zip(hide).map(|(&n, &h)| figure(n, h)).collect())
                    .collect(),
                row_totals: row_totals.iter().zip(&hidden.row_totals).map(|(&n, &h)| figure(n, h)).collect(),
                column_totals: column_totals
                    .iter()
                    .zip(&hidden.column_totals)
                    .map(|(&n, &h)| figure(n, h))
                    .collect(),
                total: figure(total, hidden.total),
            }
        };
        Table {
            rows: self.rows.clone(),
            columns: self.columns.clone(),
            people: pick(&self.people),
            values: self.values.as_ref().map(pick),
            k,
            suppressed: hidden.count(),
        }
    }
}

fn figure(n: i64, hidden: bool) -> Figure {
    if hidden { Figure::Suppressed } else { Figure::Shown(n) }
}

/// A grid of figures with its margins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    pub cells: Vec<Vec<Figure>>,
    pub row_totals: Vec<Figure>,
    pub column_totals: Vec<Figure>,
    pub total: Figure,
}

/// A table ready to publish: every figure shown describes at least `k` people, and no hidden one
/// follows from the shown ones by subtraction along a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub people: Grid,
    pub values: Option<Grid>,
    pub k: i64,
    /// How many figures (cells and totals) are hidden.
    pub suppressed: usize,
}

/// Which figures are hidden.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Hidden {
    cells: Vec<Vec<bool>>,
    row_totals: Vec<bool>,
    column_totals: Vec<bool>,
    total: bool,
}

impl Hidden {
    fn count(&self) -> usize {
        let cells: usize = self.cells.iter().map(|row| row.iter().filter(|h| **h).count()).sum();
        cells
            + self.row_totals.iter().filter(|h| **h).count()
            + self.column_totals.iter().filter(|h| **h).count()
            + usize::from(self.total)
    }
}

/// Row totals, column totals and the grand total of a grid of `columns` columns (it may have no
/// rows).
fn margins(grid: &[Vec<i64>], columns: usize) -> (Vec<i64>, Vec<i64>, i64) {
    let row_totals: Vec<i64> = grid.iter().map(|row| row.iter().sum()).collect();
    let column_totals: Vec<i64> = (0..columns).map(|c| grid.iter().map(|row| row[c]).sum()).collect();
    let total = row_totals.iter().sum();
    (row_totals, column_totals, total)
}

/// One entry of a line: where it is, so that hiding it marks the right flag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    Cell(usize, usize),
    RowTotal(usize),
    ColumnTotal(usize),
    Total,
}

fn suppression(people: &[Vec<i64>], columns: usize, k: i64) -> Hidden {
    let rows = people.len();
    let (row_totals, column_totals, total) = margins(people, columns);
    let small = |n: i64| n > 0 && n < k;
    let mut hidden = Hidden {
        cells: people.iter().map(|row| row.iter().map(|&n| small(n)).collect()).collect(),
        row_totals: row_totals.iter().map(|&n| small(n)).collect(),
        column_totals: column_totals.iter().map(|&n| small(n)).collect(),
        total: small(total),
    };
    // Every line: its cells (parts) and the total they sum to.
    let mut lines: Vec<(Vec<Entry>, Entry)> = Vec::with_capacity(rows + columns + 2);
    for r in 0..rows {
        lines.push(((0..columns).map(|c| Entry::Cell(r, c)).collect(), Entry::RowTotal(r)));
    }
    for c in 0..columns {
        lines.push(((0..rows).map(|r| Entry::Cell(r, c)).collect(), Entry::ColumnTotal(c)));
    }
    lines.push(((0..columns).map(Entry::ColumnTotal).collect(), Entry::Total));
    lines.push(((0..rows).map(Entry::RowTotal).collect(), Entry::Total));
    let value = |entry: Entry| match entry {
        Entry::Cell(r, c) => people[r][c],
        Entry::RowTotal(r) => row_totals[r],
        Entry::ColumnTotal(c) => column_totals[c],
        Entry::Total => total,
    };
    loop {
        let mut changed = false;
        for (parts, sum) in &lines {
            let is_hidden = |hidden: &Hidden, entry: Entry| match entry {
                Entry::Cell(r, c) => hidden.cells[r][c],
                Entry::RowTotal(r) => hidden.row_totals[r],
                Entry::ColumnTotal(c) => hidden.column_totals[c],
                Entry::Total => hidden.total,
            };
            let count = parts.iter().chain([sum]).filter(|e| is_hidden(&hidden, **e)).count();
            if count != 1 {
                continue;
            }
            // The smallest shown positive part, else the smallest shown part, else the total.
            let shown = || parts.iter().copied().filter(|e| !is_hidden(&hidden, *e));
            let pick = shown()
                .filter(|e| value(*e) > 0)
                .min_by_key(|e| value(*e))
                .or_else(|| shown().min_by_key(|e| value(*e)))
                .unwrap_or(*sum);
            match pick {
                Entry::Cell(r, c) => hidden.cells[r][c] = true,
                Entry::RowTotal(r) => hidden.row_totals[r] = true,
                Entry::ColumnTotal(c) => hidden.column_totals[c] = true,
                Entry::Total => hidden.total = true,
            }
            changed = true;
        }
        if !changed {
            return hidden;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(grid: &[&[i64]]) -> Counts {
        Counts {
            rows: (0..grid.len()).map(|r| format!("r{r}")).collect(),
            columns: (0..grid[0].len()).map(|c| format!("c{c}")).collect(),
            people: grid.iter().map(|row| row.to_vec()).collect(),
            values: None,
        }
    }

    /// Every line hides none or at least two of its entries, and every shown figure is 0 or ≥ k.
    fn assert_safe(table: &Table) {
        let grid = &table.people;
        let hidden = |f: &Figure| *f == Figure::Suppressed;
        let mut lines: Vec<Vec<&Figure>> = Vec::new();
        for (r, row) in grid.cells.iter().enumerate() {
            lines.push(row.iter().chain([&grid.row_totals[r]]).collect());
        }
        for c in 0..table.columns.len() {
            lines.push(grid.cells.iter().map(|row| &row[c]).chain([&grid.column_totals[c]]).collect());
        }
        lines.push(grid.column_totals.iter().chain([&grid.total]).collect());
        lines.push(grid.row_totals.iter().chain([&grid.total]).collect());
        for line in lines {
            assert_ne!(
                line.iter().filter(|f| hidden(f)).count(),
                1,
                "a line hides exactly one entry: {line:?}"
            );
        }
        let every = grid
            .cells
            .iter()
            .flatten()
            .chain(&grid.row_totals)
            .chain(&grid.column_totals)
            .chain([&grid.total]);
        for figure in every {
            if let Figure::Shown(n) = figure {
                assert!(*n == 0 || *n >= table.k, "{n} people shown with k = {}", table.k);
            }
        }
    }

    #[test]
    fn a_small_cell_is_hidden_with_a_partner_in_its_row_and_its_column() {
        // 3 midwives in the north: hiding the 3 alone would leave it as 23 − 20 and 13 − 10.
        let table = counts(&[&[20, 3], &[40, 10]]).publish(5);
        assert_eq!(table.people.cells[0][1], Figure::Suppressed);
        assert_eq!(table.people.cells[0][0], Figure::Suppressed, "its row partner");
        assert_eq!(table.people.cells[1][1], Figure::Suppressed, "its column partner");
        assert_eq!(table.people.cells[1][0], Figure::Suppressed, "the rectangle closes");
        assert_eq!(table.people.row_totals, vec![Figure::Shown(23), Figure::Shown(50)]);
        assert_eq!(table.people.column_totals, vec![Figure::Shown(60), Figure::Shown(13)]);
        assert_eq!(table.people.total, Figure::Shown(73));
        assert_safe(&table);
    }

    #[test]
    fn no_hidden_cell_can_be_recovered_by_subtracting_from_the_totals() {
        let table = counts(&[&[30, 2, 15, 0], &[12, 25, 1, 9], &[40, 33, 18, 6], &[0, 0, 7, 0]]).publish(5);
        assert_safe(&table);
        // For every line with hidden entries, the shown ones do not pin any single hidden one.
        let grid = &table.people;
        for (r, row) in grid.cells.iter().enumerate() {
            let unknown =
                row.iter().chain([&grid.row_totals[r]]).filter(|f| **f == Figure::Suppressed).count();
            assert!(unknown == 0 || unknown >= 2);
        }
        // The primary ones are hidden.
        assert_eq!(grid.cells[0][1], Figure::Suppressed);
        assert_eq!(grid.cells[1][2], Figure::Suppressed);
        assert_eq!(grid.cells[2][0], Figure::Shown(40), "a large cell in safe lines stays");
    }

    #[test]
    fn a_row_whose_only_person_is_hidden_hides_its_total_and_that_cascades() {
        // Row 1 holds 2 people in one cell and zeros: its total would say 2.
        let table = counts(&[&[50, 60], &[2, 0], &[30, 40]]).publish(5);
        assert_eq!(table.people.cells[1][0], Figure::Suppressed);
        assert_eq!(table.people.row_totals[1], Figure::Suppressed);
        assert_safe(&table);
    }

    #[test]
    fn a_small_total_is_hidden_even_when_its_cells_are_zero_or_hidden() {
        let table = counts(&[&[1, 1, 1]]).publish(5);
        assert_eq!(table.people.total, Figure::Suppressed);
        assert!(table.people.cells[0].iter().all(|f| *f == Figure::Suppressed));
        assert_safe(&table);
    }

    #[test]
    fn a_table_without_rows_still_has_its_columns_totals() {
        let table = Counts::new(Vec::new(), vec!["compliant".into(), "at-risk".into()]).publish(5);
        assert_eq!(table.people.column_totals, vec![Figure::Shown(0), Figure::Shown(0)]);
        assert_eq!(table.people.total, Figure::Shown(0));
    }

    #[test]
    fn large_cells_are_all_shown_and_k_is_configurable() {
        let table = counts(&[&[5, 6], &[7, 8]]).publish(5);
        assert_eq!(table.suppressed, 0);
        let stricter = counts(&[&[5, 6], &[7, 8]]).publish(10);
        assert_eq!(stricter.people.total, Figure::Shown(26));
        assert_safe(&stricter);
        assert!(stricter.suppressed >= 4);
    }

    #[test]
    fn values_follow_the_pattern_of_the_people_they_sum_over() {
        let mut table =
            Counts::new(vec!["nurse".into(), "midwife".into()], vec!["2025".into(), "2026".into()]);
        table.add("nurse", "2025", 10, Some(1_000));
        table.add("nurse", "2026", 2, Some(5_000));
        table.add("midwife", "2025", 8, Some(800));
        table.add("midwife", "2026", 9, Some(900));
        table.add("pharmacist", "2026", 9, Some(900)); // not a row: ignored
        let published = table.publish(5);
        let values = published.values.as_ref().unwrap();
        for (r, row) in published.people.cells.iter().enumerate() {
            for (c, figure) in row.iter().enumerate() {
                assert_eq!(*figure == Figure::Suppressed, values.cells[r][c] == Figure::Suppressed);
            }
        }
        assert_eq!(values.cells[0][1], Figure::Suppressed);
        assert_eq!(values.total, Figure::Shown(7_700));
    }

    #[test]
    fn random_tables_are_always_safe() {
        // A small linear congruential generator: deterministic, no dependency.
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |bound: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) % bound) as i64
        };
        for _ in 0..500 {
            let rows = 1 + next(6) as usize;
            let columns = 1 + next(6) as usize;
            let grid: Vec<Vec<i64>> = (0..rows)
                .map(|_| (0..columns).map(|_| if next(3) == 0 { next(5) } else { next(40) }).collect())
                .collect();
            let refs: Vec<&[i64]> = grid.iter().map(Vec::as_slice).collect();
            assert_safe(&counts(&refs).publish(1 + next(8)));
        }
    }
}
