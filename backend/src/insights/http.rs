//! `/orgs/{slug}/insights`: the page, and each table as CSV. An association's staff see its
//! members' figures; a regulator's officers see its licensees' compliance.

use super::service::{Insights, InsightsError, Section};
use super::views::{self, axis_key, label};
use crate::accounts::Visit;
use crate::accounts::model::Capability;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::ui::respond::html;
use crate::platform::ui::spreadsheet;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/orgs/{slug}/insights", web::get().to(page))
        .route("/orgs/{slug}/insights/{file}", web::get().to(csv_file));
}

type Page = Result<HttpResponse, AppError>;

fn into_app_error(error: InsightsError) -> AppError {
    match error {
        InsightsError::Db(error) => error.into(),
        InsightsError::Credits(error) => crate::credits::http::into_app_error(error),
    }
}

/// The organisation's tables, once the visitor may see them: staff of an association, officers
/// of a regulator.
async fn sections(
    visit: &Visit,
    accounts: &Accounts,
    insights: &Insights,
    slug: &str,
) -> Result<(crate::accounts::entity::organisation::Model, Vec<Section>), AppError> {
    let organisation = accounts.organisation(slug).await.map_err(crate::accounts::http::into_app_error)?;
    let regulator = organisation.kind == "regulator";
    let capability = if regulator {
        Capability::OfficerOf { organisation_id: organisation.id }
    } else {
        Capability::SeeWorkforce { organisation_id: organisation.id }
    };
    visit.authorize(accounts, capability).await?;
    let sections = if regulator {
        insights.regulator(organisation.id).await
    } else {
        insights.association(organisation.id).await
    }
    .map_err(into_app_error)?;
    Ok((organisation, sections))
}

async fn page(
    visit: Visit,
    accounts: web::Data<Accounts>,
    insights: web::Data<Insights>,
    slug: web::Path<String>,
) -> Page {
    let (organisation, sections) = sections(&visit, &accounts, &insights, &slug).await?;
    let body = views::insights_page(
        &visit.chrome(),
        (&organisation.slug, &organisation.name),
        insights.k(),
        &sections,
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
    let (_, sections) = sections(&visit, &accounts, &insights, &slug).await?;
    let section = sections.into_iter().find(|s| s.key == key).ok_or(AppError::NotFound)?;
    let body = csv(&section, visit.lang).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{slug}-{key}.csv\"")))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(body))
}

fn csv(section: &Section, t: crate::platform::ui::Lang) -> Result<Vec<u8>, csv::Error> {
    use super::table::{Figure, Grid};
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
    let mut line = |row: String, column: String, pick: &dyn Fn(&Grid) -> Figure| {
        let mut fields = vec![row, column, text(pick(&table.people), false)];
        if let Some(values) = table.values.as_ref().filter(|_| section.credits) {
            fields.push(text(pick(values), true));
        }
        spreadsheet::write_row(&mut out, fields)
    };
    let row_name = |r: usize| label(t, section.rows, &table.rows[r]);
    let column_name = |c: usize| label(t, section.columns, &table.columns[c]);
    for r in 0..table.rows.len() {
        for c in 0..table.columns.len() {
            line(row_name(r), column_name(c), &|g: &Grid| g.cells[r][c])?;
        }
        line(row_name(r), "total".to_owned(), &|g: &Grid| g.row_totals[r])?;
    }
    for c in 0..table.columns.len() {
        line("total".to_owned(), column_name(c), &|g: &Grid| g.column_totals[c])?;
    }
    line("total".to_owned(), "total".to_owned(), &|g: &Grid| g.total)?;
    out.into_inner().map_err(|e| e.into_error().into())
}
