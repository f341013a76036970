//! `/orgs/{slug}/insights`: the page, and each table as CSV. An association's staff see its
//! members' figures; a regulator's officers see its licensees' compliance.

use super::service::{Insights, InsightsError, Published, Section};
use super::table::{Figure, Grid};
use super::views::{self, axis_key, label};
use crate::accounts::Visit;
use crate::accounts::model::Capability;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::api::Problem;
use crate::platform::ui::respond::html;
use crate::platform::ui::spreadsheet;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/orgs/{slug}/insights", web::get().to(page))
        .route("/orgs/{slug}/insights/{file}", web::get().to(csv_file))
        .route("/api/v1/orgs/{slug}/insights", web::get().to(api_insights));
}

type Page = Result<HttpResponse, AppError>;

fn into_app_error(error: InsightsError) -> AppError {
    match error {
        InsightsError::Db(error) => error.into(),
        InsightsError::Credits(error) => crate::credits::http::into_app_error(error),
        InsightsError::Snapshot(error) => AppError::internal(error),
    }
}

/// The organisation's tables, once the visitor may see them: staff of an association, officers
/// of a regulator.
async fn sections(
    visit: &Visit,
    accounts: &Accounts,
    insights: &Insights,
    slug: &str,
) -> Result<(crate::accounts::entity::organisation::Model, Published), AppError> {
    let organisation = accounts.organisation(slug).await.map_err(crate::accounts::http::into_app_error)?;
    let regulator = organisation.kind == "regulator";
    let capability = if regulator {
        Capability::OfficerOf { organisation_id: organisation.id }
    } else {
        Capability::SeeWorkforce { organisation_id: organisation.id }
    };
    visit.authorize(accounts, capability).await?;
    let published = if regulator {
        insights.regulator(organisation.id).await
    } else {
        insights.association(organisation.id).await
    }
    .map_err(into_app_error)?;
    Ok((organisation, published))
}

async fn page(
    visit: Visit,
    accounts: web::Data<Accounts>,
    insights: web::Data<Insights>,
    slug: web::Path<String>,
) -> Page {
    let (organisation, published) = sections(&visit, &accounts, &insights, &slug).await?;
    let body = views::insights_page(
        &visit.chrome(),
        (&organisation.slug, &organisation.name),
        insights.k(),
        &published,
    );
    Ok(html(StatusCode::OK, body))
}

/// One table in long form, one line per figure: row, column, people (and credits), with the
/// totals as lines whose row or column is `total`. A hidden figure reads `suppressed`.
async fn csv_file(
    visit: Visit,
    accounts: web::Data<Accounts>,
    insights: web::Data<Insights>,
    path: web::Path<(String, String)>,
) -> Page {
    let (slug, file) = path.into_inner();
    let key = file.strip_suffix(".csv").ok_or(AppError::NotFound)?;
    let (_, published) = sections(&visit, &accounts, &insights, &slug).await?;
    let section = published.sections.into_iter().find(|s| s.key == key).ok_or(AppError::NotFound)?;
    let body = csv(&section, visit.lang).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{slug}-{key}.csv\"")))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(body))
}

/// Every figure of a table in long form, cells first (row by row, each row's total after its
/// cells), then the column totals and the grand total. `None` names the total over that axis; the
/// figure in credits is there for tables of credits.
type Line = (Option<usize>, Option<usize>, Figure, Option<Figure>);

fn long_form(section: &Section) -> Vec<Line> {
    let table = &section.table;
    let values = table.values.as_ref().filter(|_| section.credits);
    let line =
        |row, column, pick: &dyn Fn(&Grid) -> Figure| (row, column, pick(&table.people), values.map(pick));
    let mut lines = Vec::new();
    for r in 0..table.rows.len() {
        for c in 0..table.columns.len() {
            lines.push(line(Some(r), Some(c), &|g: &Grid| g.cells[r][c]));
        }
        lines.push(line(Some(r), None, &|g: &Grid| g.row_totals[r]));
    }
    for c in 0..table.columns.len() {
        lines.push(line(None, Some(c), &|g: &Grid| g.column_totals[c]));
    }
    lines.push(line(None, None, &|g: &Grid| g.total));
    lines
}

fn csv(section: &Section, t: crate::platform::ui::Lang) -> Result<Vec<u8>, csv::Error> {
    let table = &section.table;
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![axis_key(section.rows), axis_key(section.columns), "people"];
    if section.credits {
        header.push("credits");
    }
    spreadsheet::write_row(&mut out, header)?;
    let text = |figure: Figure, credits: bool| match figure {
        Figure::Shown(n) if credits => crate::credits::service::format_credits(n),
        Figure::Shown(n) => n.to_string(),
        Figure::Suppressed => "suppressed".to_owned(),
    };
    let name = |axis, codes: &[String], index: Option<usize>| {
        index.map_or_else(|| "total".to_owned(), |i| label(t, axis, &codes[i]))
    };
    for (row, column, people, credits) in long_form(section) {
        let mut fields =
            vec![name(section.rows, &table.rows, row), name(section.columns, &table.columns, column)];
        fields.push(text(people, false));
        fields.extend(credits.map(|c| text(c, true)));
        spreadsheet::write_row(&mut out, fields)?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// One figure of a table; a hidden one is null.
#[derive(Serialize, ToSchema)]
pub struct FigureItem {
    /// The row's code (a region, a profession, a month…); null for the total over rows.
    pub row: Option<String>,
    /// The column's code; null for the total over columns.
    pub column: Option<String>,
    /// People counted; null where hidden so that no one can be singled out.
    pub people: Option<i64>,
    /// Credits, for tables of credits; null where hidden or not a table of credits.
    pub credits: Option<f64>,
}

/// One published table.
#[derive(Serialize, ToSchema)]
pub struct TableItem {
    /// What the table is: `members`, `settings`, `enrolments`, `completions`, `credits`,
    /// `mentoring`, `compliance-professions`, `compliance-regions`, `compliance-trend`.
    pub key: String,
    /// What rows and columns name: `region`, `profession`, `setting`, `month`, `year`,
    /// `mentor`, `status`.
    pub rows: String,
    pub columns: String,
    /// How many figures are hidden.
    pub suppressed: usize,
    pub figures: Vec<FigureItem>,
}

#[derive(Serialize, ToSchema)]
pub struct InsightsItem {
    pub organisation: String,
    /// When the figures were counted; they are counted again every few minutes.
    pub computed_at: chrono::DateTime<chrono::Utc>,
    /// The smallest number of people a shown figure may describe.
    pub min_cell: i64,
    pub tables: Vec<TableItem>,
}

/// An organisation's aggregate figures.
///
/// As on its insights page: for an association, its members'; for a regulator, its consenting
/// licensees' compliance. Figures about fewer than `min_cell` people, and those that would
/// reveal them by subtraction, are null.
#[utoipa::path(
    get, path = "/api/v1/orgs/{slug}/insights", tag = "insights",
    params(("slug" = String, Path, description = "The association's or regulator's slug",
        example = "dnmc")),
    responses(
        (status = 200, description = "The tables", body = InsightsItem),
        (status = 403, description = "Not staff of that association or an officer of that regulator, \
            or a token without `insights:read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No organisation by that slug", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn api_insights(
    visit: Visit,
    accounts: web::Data<Accounts>,
    insights: web::Data<Insights>,
    slug: web::Path<String>,
) -> Page {
    let (organisation, published) = sections(&visit, &accounts, &insights, &slug).await?;
    let shown = |figure: Figure| figure.shown();
    let tables = published
        .sections
        .iter()
        .map(|section| {
            let table = &section.table;
            let figures = long_form(section)
                .into_iter()
                .map(|(row, column, people, credits)| FigureItem {
                    row: row.map(|r| table.rows[r].clone()),
                    column: column.map(|c| table.columns[c].clone()),
                    people: shown(people),
                    credits: credits.and_then(shown).map(|hundredths| hundredths as f64 / 100.0),
                })
                .collect();
            TableItem {
                key: section.key.to_owned(),
                rows: axis_key(section.rows).to_owned(),
                columns: axis_key(section.columns).to_owned(),
                suppressed: table.suppressed,
                figures,
            }
        })
        .collect();
    let body = InsightsItem {
        organisation: organisation.slug,
        computed_at: published.computed_at,
        min_cell: insights.k(),
        tables,
    };
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "private, no-store")).json(body))
}
