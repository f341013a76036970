//! The figures: one grouped query per table (the database counts; no person's row reaches
//! Lantern), then suppression. A regulator's compliance is the exception: it is the rules
//! engine's verdict, so each consenting licensee is evaluated as their credits stream past and
//! only the tally is kept.
//!
//! Aggregating every member's rows takes seconds for a large association, so a page does not:
//! the grouped counts are kept per organisation (`insights_snapshot`) and a page reads them,
//! suppressing as it shows them. When they are older than `insights.refresh_minutes` the page
//! still shows them, with their time, and a refresh starts in the background (one at a time per
//! organisation on each server); an organisation's first page computes them while it waits.

use super::table::{Counts, Table};
use crate::accounts::model::{PROFESSIONS, SETTINGS};
use crate::credits::rules::Status;
use crate::credits::{Compliance, CreditsError};
use crate::platform::clock::SharedClock;
use crate::platform::db::{Db, statement};
use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum InsightsError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Credits(#[from] CreditsError),
    #[error("a kept snapshot cannot be read: {0}")]
    Snapshot(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, InsightsError>;

/// What a row or column label names, so that pages and CSV files can word it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    Region,
    Profession,
    Setting,
    /// "2026-11"
    Month,
    /// "2026"
    Year,
    /// `with` or `without` an active mentor
    Mentor,
    /// A compliance status: `compliant`, `on-track`, `at-risk`, `non-compliant`
    Status,
}

/// How a table is best drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    /// A bar per row, split by column.
    Stacked,
    /// The column totals in order: a trend over months or years.
    Trend,
}

/// One published table with what it is about.
#[derive(Clone, Debug)]
pub struct Section {
    /// Names the section's title (`insights-<key>`) and its CSV file.
    pub key: &'static str,
    pub rows: Axis,
    pub columns: Axis,
    pub chart: Chart,
    /// Whether the table's values are credits (in hundredths), beside its counts of people.
    pub credits: bool,
    pub table: Table,
}

/// An organisation's tables as a page shows them, and when their figures were counted.
#[derive(Clone, Debug)]
pub struct Published {
    pub computed_at: DateTime<Utc>,
    pub sections: Vec<Section>,
}

/// Aggregate figures about an association's members or a regulator's licensees.
#[derive(Clone)]
pub struct Insights {
    db: Db,
    clock: SharedClock,
    compliance: Compliance,
    k: i64,
    refresh: chrono::Duration,
    /// Organisations whose figures this server is counting again now.
    refreshing: Arc<Mutex<HashSet<i32>>>,
}

/// The grouped counts of every table of an organisation, before suppression: what the snapshot
/// keeps.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Figures {
    pub computed_at: DateTime<Utc>,
    tables: Vec<Counted>,
}

/// One table's grouped counts, and its columns when they are fixed (months, years, statuses).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Counted {
    key: String,
    rows: Vec<Row>,
    columns: Option<Vec<String>>,
}

fn counted(key: &str, rows: Vec<Row>, columns: Option<Vec<String>>) -> Counted {
    Counted { key: key.to_owned(), rows, columns }
}

const MONTHS: u32 = 12;
const YEARS: i32 = 3;
/// Members of the association, as a sub-query taking the organisation id.
const MEMBERS: &str =
    "SELECT m.account_id FROM membership m WHERE m.organisation_id = $1 AND m.role = 'member'";

impl Insights {
    pub fn new(db: Db, clock: SharedClock, compliance: Compliance, k: i64, refresh_minutes: i64) -> Self {
        Self {
            db,
            clock,
            compliance,
            k: k.max(1),
            refresh: chrono::Duration::minutes(refresh_minutes.max(0)),
            refreshing: Arc::default(),
        }
    }

    /// The least number of people any shown figure describes.
    pub fn k(&self) -> i64 {
        self.k
    }

    /// Every table of an association, in the order its page shows them.
    pub async fn association(&self, organisation_id: i32) -> Result<Published> {
        self.published(organisation_id, false).await
    }

    /// Every table of a regulator: its consenting licensees' compliance today by profession and
    /// by region, and at the end of each of the last twelve months.
    pub async fn regulator(&self, regulator_id: i32) -> Result<Published> {
        self.published(regulator_id, true).await
    }

    /// The kept figures, suppressed; counted now when there are none, and again in the
    /// background when they are older than the refresh interval.
    async fn published(&self, organisation_id: i32, regulator: bool) -> Result<Published> {
        let figures = match self.kept(organisation_id).await? {
            Some(figures) => {
                if self.clock.now() - figures.computed_at >= self.refresh {
                    self.refresh_in_background(organisation_id, regulator);
                }
                figures
            }
            None => self.refresh_now(organisation_id, regulator).await?,
        };
        Ok(self.publish(&figures))
    }

    /// Counts an organisation's figures and keeps them.
    pub async fn refresh_now(&self, organisation_id: i32, regulator: bool) -> Result<Figures> {
        let figures = if regulator {
            self.count_regulator(organisation_id).await?
        } else {
            self.count_association(organisation_id).await?
        };
        let db = self.db.write();
        // Two servers counting at once: the later count stays.
        let sql = "INSERT INTO insights_snapshot (organisation_id, computed_at, figures) VALUES ($1, $2, $3) \
                   ON CONFLICT (organisation_id) DO UPDATE SET computed_at = excluded.computed_at, \
                   figures = excluded.figures WHERE insights_snapshot.computed_at <= excluded.computed_at";
        let values =
            vec![organisation_id.into(), figures.computed_at.into(), serde_json::to_string(&figures)?.into()];
        db.execute_raw(statement(db.get_database_backend(), sql, values)).await?;
        Ok(figures)
    }

    fn refresh_in_background(&self, organisation_id: i32, regulator: bool) {
        let started = self.refreshing.lock().map(|mut set| set.insert(organisation_id)).unwrap_or(false);
        if !started {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            if let Err(error) = this.refresh_now(organisation_id, regulator).await {
                tracing::warn!(%error, organisation_id, "insights: refreshing the figures");
            }
            if let Ok(mut set) = this.refreshing.lock() {
                set.remove(&organisation_id);
            }
        });
    }

    async fn kept(&self, organisation_id: i32) -> Result<Option<Figures>> {
        let db = self.db.read();
        let sql = "SELECT figures FROM insights_snapshot WHERE organisation_id = $1";
        let row =
            db.query_one_raw(statement(db.get_database_backend(), sql, vec![organisation_id.into()])).await?;
        match row {
            Some(row) => Ok(Some(serde_json::from_str(&row.try_get::<String>("", "figures")?)?)),
            None => Ok(None),
        }
    }

    /// The tables of kept figures, each suppressed for k.
    fn publish(&self, figures: &Figures) -> Published {
        let sections = figures
            .tables
            .iter()
            .filter_map(|table| {
                let shape = SHAPES.iter().find(|s| s.key == table.key)?;
                Some(self.section(shape, &table.rows, table.columns.clone()))
            })
            .collect();
        Published { computed_at: figures.computed_at, sections }
    }

    async fn count_association(&self, organisation_id: i32) -> Result<Figures> {
        let backend = self.db.read().get_database_backend();
        let months = self.months();
        let since = month_start(&months[0]);
        let month = |column: &str| match backend {
            DbBackend::Postgres => format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"),
            _ => format!("substr({column}, 1, 7)"),
        };
        let year = |column: &str| match backend {
            DbBackend::Postgres => format!("to_char({column}, 'YYYY')"),
            _ => format!("substr({column}, 1, 4)"),
        };
        let years: Vec<String> =
            (0..YEARS).rev().map(|back| (self.today().year() - back).to_string()).collect();
        let first_year = NaiveDate::from_ymd_opt(self.today().year() - (YEARS - 1), 1, 1).unwrap_or_default();
        let org = || sea_orm::Value::from(organisation_id);

        let members = self
            .grouped(
                &format!(
                    "SELECT COALESCE(a.region, '') AS r, COALESCE(a.profession, '') AS c, COUNT(*) AS n \
                     FROM account a WHERE a.id IN ({MEMBERS}) GROUP BY 1, 2"
                ),
                vec![org()],
            )
            .await?;
        let by_setting = self
            .grouped(
                &format!(
                    "SELECT COALESCE(a.profession, '') AS r, COALESCE(a.setting, '') AS c, COUNT(*) AS n \
                     FROM account a WHERE a.id IN ({MEMBERS}) GROUP BY 1, 2"
                ),
                vec![org()],
            )
            .await?;
        let activity = |column: &str| {
            format!(
                "SELECT COALESCE(a.profession, '') AS r, {} AS c, COUNT(*) AS n \
                 FROM enrolment e JOIN course k ON k.id = e.course_id JOIN account a ON a.id = e.account_id \
                 WHERE k.organisation_id = $1 AND e.{column} >= $2 GROUP BY 1, 2",
                month(&format!("e.{column}"))
            )
        };
        let enrolments = self.grouped(&activity("enrolled_at"), vec![org(), since.into()]).await?;
        let completions = self.grouped(&activity("completed_at"), vec![org(), since.into()]).await?;
        let credits = self
            .grouped(
                &format!(
                    "SELECT COALESCE(a.profession, '') AS r, {} AS c, COUNT(DISTINCT e.account_id) AS n, \
                     CAST(SUM(e.amount) AS BIGINT) AS v \
                     FROM credit_entry e JOIN account a ON a.id = e.account_id \
                     WHERE e.account_id IN ({MEMBERS}) AND e.earned_on >= $2 GROUP BY 1, 2",
                    year("e.earned_on")
                ),
                vec![org(), first_year.into()],
            )
            .await?;
        let mentoring = self
            .grouped(
                "SELECT COALESCE(a.setting, '') AS r, \
                 CASE WHEN EXISTS (SELECT 1 FROM mentorship s JOIN mentoring_programme p ON p.id = s.programme_id \
                                   WHERE s.mentee_id = a.id AND s.status = 'active' AND p.organisation_id = $1) \
                      THEN 'with' ELSE 'without' END AS c, COUNT(*) AS n \
                 FROM account a WHERE a.id IN (SELECT q.account_id FROM mentee_request q \
                   JOIN mentoring_programme p2 ON p2.id = q.programme_id WHERE p2.organisation_id = $2) \
                 GROUP BY 1, 2",
                vec![org(), org()],
            )
            .await?;

        let fixed = |labels: &[&str]| labels.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Ok(self.figures(vec![
            counted("members", members, None),
            counted("settings", by_setting, None),
            counted("enrolments", enrolments, Some(months.clone())),
            counted("completions", completions, Some(months)),
            counted("credits", credits, Some(years)),
            counted("mentoring", mentoring, Some(fixed(&["with", "without"]))),
        ]))
    }

    fn figures(&self, tables: Vec<Counted>) -> Figures {
        Figures { computed_at: self.clock.now(), tables }
    }

    async fn count_regulator(&self, regulator_id: i32) -> Result<Figures> {
        let months = self.months();
        let today = self.today();
        // The last day of each month shown, and today for the current one.
        let days: Vec<NaiveDate> = months
            .iter()
            .map(|m| {
                let end = month_start(m)
                    .date_naive()
                    .checked_add_months(Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(today);
                end.min(today)
            })
            .collect();
        let now = days.len() - 1;
        let (mut by_profession, mut by_region, mut compliant) = (Tally::new(), Tally::new(), Tally::new());
        self.compliance
            .statuses_on(regulator_id, &days, |row, day, status| {
                let status = status_label(status);
                if day == now {
                    *by_profession.entry((row.profession.clone(), status.to_owned())).or_default() += 1;
                    *by_region.entry((row.region.clone(), status.to_owned())).or_default() += 1;
                }
                // Every licensee makes their profession a row; the compliant ones are counted.
                *compliant.entry((row.profession.clone(), months[day].clone())).or_default() +=
                    i64::from(status == STATUSES[0]);
            })
            .await?;
        let rows =
            |tally: Tally| -> Vec<Row> { tally.into_iter().map(|((r, c), n)| (r, c, n, None)).collect() };
        let (by_profession, by_region, compliant) = (rows(by_profession), rows(by_region), rows(compliant));
        let statuses = || STATUSES.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Ok(self.figures(vec![
            counted("compliance-professions", by_profession, Some(statuses())),
            counted("compliance-regions", by_region, Some(statuses())),
            counted("compliance-trend", compliant, Some(months)),
        ]))
    }

    fn today(&self) -> NaiveDate {
        self.clock.now().date_naive()
    }

    /// The last twelve months, oldest first, as "YYYY-MM".
    fn months(&self) -> Vec<String> {
        let first = self.today().with_day(1).unwrap_or_default();
        (0..MONTHS)
            .rev()
            .map(|back| {
                let month = first.checked_sub_months(Months::new(back)).unwrap_or(first);
                format!("{:04}-{:02}", month.year(), month.month())
            })
            .collect()
    }

    /// Runs a grouped query answering `r`, `c`, `n` (people) and optionally `v` (a value).
    async fn grouped(&self, sql: &str, values: Vec<sea_orm::Value>) -> Result<Vec<Row>> {
        let db = self.db.read();
        let rows = db.query_all_raw(statement(db.get_database_backend(), sql, values)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let value: Option<i64> = row.try_get("", "v").ok().flatten();
            out.push((row.try_get("", "r")?, row.try_get("", "c")?, row.try_get("", "n")?, value));
        }
        Ok(out)
    }

    /// A section from grouped rows: the rows found, in their axis' order, and the columns found
    /// unless `columns` fixes them (months, years, statuses); then suppression.
    fn section(&self, shape: &Shape, found: &[Row], columns: Option<Vec<String>>) -> Section {
        let rows = labels(shape.rows, found.iter().map(|x| x.0.as_str()));
        let columns = columns.unwrap_or_else(|| labels(shape.columns, found.iter().map(|x| x.1.as_str())));
        let mut counts = Counts::new(rows, columns);
        for (r, c, n, v) in found {
            counts.add(r, c, *n, if shape.credits { Some(v.unwrap_or(0)) } else { None });
        }
        Section {
            key: shape.key,
            rows: shape.rows,
            columns: shape.columns,
            chart: shape.chart,
            credits: shape.credits,
            table: counts.publish(self.k),
        }
    }
}

/// What a section is about, before its figures.
struct Shape {
    key: &'static str,
    rows: Axis,
    columns: Axis,
    chart: Chart,
    /// The table's values are credits earned, beside the people who earned them.
    credits: bool,
}

const fn shape(key: &'static str, rows: Axis, columns: Axis, chart: Chart, credits: bool) -> Shape {
    Shape { key, rows, columns, chart, credits }
}

/// Every table there is, an association's then a regulator's.
const SHAPES: [Shape; 9] = {
    use {Axis::*, Chart::*};
    [
        shape("members", Region, Profession, Stacked, false),
        shape("settings", Profession, Setting, Stacked, false),
        shape("enrolments", Profession, Month, Trend, false),
        shape("completions", Profession, Month, Trend, false),
        shape("credits", Profession, Year, Trend, true),
        shape("mentoring", Setting, Mentor, Stacked, false),
        shape("compliance-professions", Profession, Axis::Status, Stacked, false),
        shape("compliance-regions", Region, Axis::Status, Stacked, false),
        shape("compliance-trend", Profession, Month, Trend, false),
    ]
};

/// (row label, column label, people, value)
type Row = (String, String, i64, Option<i64>);
/// People counted by (row label, column label).
type Tally = HashMap<(String, String), i64>;

const STATUSES: [&str; 4] = ["compliant", "on-track", "at-risk", "non-compliant"];

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Compliant => STATUSES[0],
        Status::OnTrack => STATUSES[1],
        Status::AtRisk => STATUSES[2],
        Status::NonCompliant => STATUSES[3],
    }
}

fn month_start(month: &str) -> DateTime<Utc> {
    let date = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap_or_default();
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// The distinct labels found, in the axis' natural order; the empty label ("not given") last.
fn labels<'a>(axis: Axis, found: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for label in found {
        if !out.iter().any(|x| x == label) {
            out.push(label.to_owned());
        }
    }
    let known: &[&str] = match axis {
        Axis::Profession => &PROFESSIONS,
        Axis::Setting => &SETTINGS,
        Axis::Status => &STATUSES,
        _ => &[],
    };
    let rank = |label: &str| {
        let place = known.iter().position(|k| *k == label).unwrap_or(known.len());
        (label.is_empty(), place, label.to_owned())
    };
    out.sort_by_key(|label| rank(label));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_keep_the_axis_order_and_put_the_unknown_last() {
        let found = ["urban", "", "rural", "urban"];
        assert_eq!(labels(Axis::Setting, found.into_iter()), ["rural", "urban", ""]);
        let found = ["pharmacist", "nurse", "surgeon", "midwife"];
        assert_eq!(
            labels(Axis::Profession, found.into_iter()),
            ["nurse", "midwife", "pharmacist", "surgeon"]
        );
        assert_eq!(labels(Axis::Region, ["Sud", "", "Nord"].into_iter()), ["Nord", "Sud", ""]);
    }
}
