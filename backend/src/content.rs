//! Content packages shipped in `content/` and imported by `lantern import`. Today a package folder
//! contributes its organisations (`organisations.toml`); course packages join with the courses
//! feature. An import is all or nothing: every problem is listed with its file and line.

use crate::accounts::entity::organisation;
use crate::accounts::model::{OrgKind, is_valid_slug, parse_country};
use crate::accounts::service::AccountsError;
use crate::app::AppState;
use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What went wrong with an import.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("{path}: {message}")]
    Unreadable { path: PathBuf, message: String },
    #[error("the package has {} problem(s):\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Accounts(#[from] AccountsError),
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub organisations_created: usize,
    pub organisations_existing: usize,
    pub courses: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationsFile {
    #[serde(default)]
    organisations: Vec<OrganisationEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationEntry {
    slug: String,
    name: String,
    kind: String,
    country: String,
}

/// Imports `content_dir` when the database holds no organisation yet (a fresh install).
pub async fn import_if_empty(state: &AppState) -> Result<(), ContentError> {
    let dir = &state.config.content_dir;
    if !dir.exists() {
        tracing::info!(path = %dir.display(), "no content folder; nothing to import");
        return Ok(());
    }
    if organisation::Entity::find().count(state.db.read()).await? > 0 {
        return Ok(());
    }
    let report = import(state, dir).await?;
    tracing::info!(
        organisations = report.organisations_created,
        courses = report.courses,
        "imported the content folder into an empty database"
    );
    Ok(())
}

/// Imports a content folder.
pub async fn import(state: &AppState, dir: &Path) -> Result<ImportReport, ContentError> {
    let file = dir.join("organisations.toml");
    let mut report = ImportReport::default();
    if !file.exists() {
        return Ok(report);
    }
    let text = std::fs::read_to_string(&file)
        .map_err(|e| ContentError::Unreadable { path: file.clone(), message: e.to_string() })?;
    let entries = parse_organisations(&file, &text)?;
    let txn = state.db.write().begin().await?;
    for entry in entries {
        let existing = organisation::Entity::find()
            .filter(sea_orm::ColumnTrait::eq(&organisation::Column::Slug, entry.slug.as_str()))
            .one(&txn)
            .await?;
        if existing.is_some() {
            report.organisations_existing += 1;
            continue;
        }
        let kind = OrgKind::parse(&entry.kind).unwrap_or(OrgKind::Association);
        state.accounts.insert_organisation(&txn, &entry.slug, &entry.name, kind, &entry.country).await?;
        report.organisations_created += 1;
    }
    txn.commit().await?;
    Ok(report)
}

fn parse_organisations(file: &Path, text: &str) -> Result<Vec<OrganisationEntry>, ContentError> {
    let name = file.display();
    let parsed: OrganisationsFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| line_of(text, span.start)).unwrap_or(0);
        ContentError::Invalid(vec![format!("{name}:{line}: {}", e.message())])
    })?;
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for entry in &parsed.organisations {
        let line = text.find(&format!("\"{}\"", entry.slug)).map_or(0, |at| line_of(text, at));
        if !is_valid_slug(&entry.slug) {
            problems.push(format!("{name}:{line}: slug `{}` must be 2–60 of a-z, 0-9 and -", entry.slug));
        }
        if !seen.insert(entry.slug.clone()) {
            problems.push(format!("{name}:{line}: slug `{}` appears twice", entry.slug));
        }
        if OrgKind::parse(&entry.kind).is_none() {
            problems.push(format!("{name}:{line}: kind `{}` must be association or regulator", entry.kind));
        }
        if parse_country(&entry.country).is_none() {
            problems.push(format!("{name}:{line}: country `{}` is not an ISO 3166 code", entry.country));
        }
        if entry.name.trim().is_empty() {
            problems.push(format!("{name}:{line}: name is empty"));
        }
    }
    if problems.is_empty() { Ok(parsed.organisations) } else { Err(ContentError::Invalid(problems)) }
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |before| before.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_toml_names_the_file_and_line() {
        let text = "[[organisations]]\nslug = \"a\"\nname = \"A\nkind = \"association\"\n";
        let error = parse_organisations(Path::new("organisations.toml"), text).err().expect("broken");
        assert!(error.to_string().contains("organisations.toml:3"), "{error}");
    }

    #[test]
    fn every_bad_entry_is_listed() {
        let text = "[[organisations]]\nslug = \"Bad Slug\"\nname = \"\"\nkind = \"club\"\ncountry = \"ZZ\"\n";
        let error = parse_organisations(Path::new("o.toml"), text).err().expect("invalid");
        let ContentError::Invalid(problems) = error else { panic!("not a validation error") };
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems.iter().all(|p| p.starts_with("o.toml:2:")), "{problems:?}");
    }

    #[test]
    fn the_shipped_organisations_parse() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/organisations.toml");
        let text = std::fs::read_to_string(&path).expect("content/organisations.toml ships");
        let organisations = parse_organisations(&path, &text).expect("shipped file is valid");
        assert!(organisations.iter().any(|o| o.kind == "regulator"), "a demo regulator ships");
        assert!(organisations.iter().any(|o| o.kind == "association"), "a demo association ships");
    }
}
