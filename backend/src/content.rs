//! Content folders and packages (`content/README.md`), imported at first start and by
//! `lantern import`: a folder holding `organisations.toml` and `courses/<slug>/` packages, one
//! course package folder, a course package `.zip`, or a course pack (zip or unzipped folder;
//! its manifest's checksums verified first). Every package is checked before anything is
//! written, and every problem is listed with its file and line.

use crate::accounts::entity::organisation;
use crate::accounts::model::{OrgKind, is_valid_slug, parse_country};
use crate::accounts::service::AccountsError;
use crate::app::AppState;
use crate::competencies::framework::{self, FrameworkSpec};
use crate::competencies::service::{CompetenciesError, FrameworkImported};
use crate::courses::pack;
use crate::courses::package::{self, Limits, Package, PackageFiles, Problem};
use crate::courses::service::{CoursesError, Imported};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What went wrong with an import.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("{path}: {message}")]
    Unreadable { path: PathBuf, message: String },
    #[error("nothing was imported; {} problem(s):\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Accounts(#[from] AccountsError),
    #[error(transparent)]
    Courses(#[from] CoursesError),
    #[error(transparent)]
    Competencies(CompetenciesError),
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub organisations_created: usize,
    pub organisations_existing: usize,
    pub courses_published: usize,
    pub courses_unchanged: usize,
    pub frameworks_published: usize,
    pub frameworks_unchanged: usize,
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
        courses = report.courses_published,
        "imported the content folder into an empty database"
    );
    Ok(())
}

/// Imports a content folder, a package folder or a package `.zip`.
pub async fn import(state: &AppState, path: &Path) -> Result<ImportReport, ContentError> {
    import_with_progress(state, path, |_, _| {}).await
}

/// Imports like [`import`], telling `progress(done, total)` after each course is written.
pub async fn import_with_progress(
    state: &AppState,
    path: &Path,
    progress: impl Fn(usize, usize),
) -> Result<ImportReport, ContentError> {
    let unreadable =
        |e: std::io::Error| ContentError::Unreadable { path: path.to_path_buf(), message: e.to_string() };
    let mut organisations = Vec::new();
    let mut packages = Vec::new();
    let mut frameworks = Vec::new();
    let mut problems = Vec::new();
    let limits = Limits::default();
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(unreadable)?;
        let label = path.display().to_string();
        match PackageFiles::from_zip(&bytes, limits).and_then(parse_package_or_pack) {
            Ok(package) => packages.push(package),
            Err(found) => problems.extend(prefixed(&label, found)),
        }
    } else if path.join("manifest.json").exists() && path.join("package").is_dir() {
        // An unzipped course pack.
        match PackageFiles::from_dir(path, limits).and_then(parse_package_or_pack) {
            Ok(package) => packages.push(package),
            Err(found) => problems.extend(prefixed(&path.display().to_string(), found)),
        }
    } else if path.join("course.toml").exists() {
        let slug = path.file_name().and_then(|n| n.to_str()).map(str::to_owned);
        check_folder(path, slug.as_deref(), &path.display().to_string(), &mut packages, &mut problems);
    } else {
        let file = path.join("organisations.toml");
        if file.exists() {
            let text = std::fs::read_to_string(&file).map_err(unreadable)?;
            match parse_organisations(&file, &text) {
                Ok(found) => organisations = found,
                Err(found) => problems.extend(found),
            }
        }
        read_frameworks(&path.join("frameworks"), &mut frameworks, &mut problems).map_err(unreadable)?;
        let courses = path.join("courses");
        if courses.is_dir() {
            let mut dirs: Vec<PathBuf> = std::fs::read_dir(&courses)
                .map_err(unreadable)?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            dirs.sort();
            for dir in dirs {
                let slug = dir.file_name().and_then(|n| n.to_str()).map(str::to_owned);
                let label = format!("courses/{}", slug.clone().unwrap_or_default());
                check_folder(&dir, slug.as_deref(), &label, &mut packages, &mut problems);
            }
        }
    }
    if !problems.is_empty() {
        return Err(ContentError::Invalid(problems));
    }

    let mut report = ImportReport::default();
    let txn = state.db.begin().await?;
    for entry in organisations {
        let existing = organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(entry.slug.as_str()))
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
    for (label, spec) in &frameworks {
        match state.competencies.import(spec, None, true).await {
            Ok(FrameworkImported::Unchanged { .. }) => report.frameworks_unchanged += 1,
            Ok(_) => report.frameworks_published += 1,
            Err(CompetenciesError::Framework(found)) => {
                return Err(ContentError::Invalid(prefixed(label, found)));
            }
            Err(error) => return Err(ContentError::Competencies(error)),
        }
    }
    for (done, package) in packages.iter().enumerate() {
        progress(done, packages.len());
        match state.courses.import_package(package, None).await {
            Ok(Imported::Published { .. }) => report.courses_published += 1,
            Ok(Imported::Unchanged { .. }) => report.courses_unchanged += 1,
            Ok(Imported::Draft { .. }) => {}
            Err(CoursesError::Package(found)) => {
                return Err(ContentError::Invalid(prefixed(&package.slug, found)));
            }
            Err(error) => return Err(error.into()),
        }
    }
    progress(packages.len(), packages.len());
    Ok(report)
}

/// Reads `frameworks/<slug>/framework.json` (or `.csv`) files, each checked alone.
fn read_frameworks(
    dir: &Path,
    frameworks: &mut Vec<(String, FrameworkSpec)>,
    problems: &mut Vec<String>,
) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let mut folders: Vec<PathBuf> =
        std::fs::read_dir(dir)?.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    folders.sort();
    for folder in folders {
        let name = folder.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let Some(file) =
            ["framework.json", "framework.csv"].into_iter().map(|f| folder.join(f)).find(|f| f.exists())
        else {
            problems.push(format!("frameworks/{name}: holds no framework.json or framework.csv"));
            continue;
        };
        let file_name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let label = format!("frameworks/{name}");
        match framework::parse(&file_name, &std::fs::read_to_string(&file)?) {
            Ok(spec) if spec.slug != name => {
                problems.push(format!(
                    "{label}/{file_name}: slug \"{}\" differs from the folder's name",
                    spec.slug
                ));
            }
            Ok(spec) => frameworks.push((label, spec)),
            Err(found) => problems.extend(prefixed(&label, found)),
        }
    }
    Ok(())
}

/// A package read from a zip or folder, or the package inside a course pack once every file of
/// the pack matched its manifest (`courses::pack::unpack`). Public for fuzzing (`fuzz/`).
pub fn parse_package_or_pack(files: PackageFiles) -> Result<Package, Vec<Problem>> {
    if pack::is_pack(&files) {
        let files = pack::unpack(files)?;
        package::parse(&files, None).map_err(|found| {
            found.into_iter().map(|p| Problem { file: format!("package/{}", p.file), ..p }).collect()
        })
    } else {
        package::parse(&files, None)
    }
}

fn check_folder(
    dir: &Path,
    slug: Option<&str>,
    label: &str,
    packages: &mut Vec<Package>,
    problems: &mut Vec<String>,
) {
    match PackageFiles::from_dir(dir, Limits::default()).and_then(|files| package::parse(&files, slug)) {
        Ok(package) => packages.push(package),
        Err(found) => problems.extend(prefixed(label, found)),
    }
}

fn prefixed(label: &str, problems: Vec<Problem>) -> Vec<String> {
    problems.into_iter().map(|p| format!("{label}/{p}")).collect()
}

fn parse_organisations(file: &Path, text: &str) -> Result<Vec<OrganisationEntry>, Vec<String>> {
    let name = file.display();
    let parsed: OrganisationsFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| line_of(text, span.start)).unwrap_or(0);
        vec![format!("{name}:{line}: {}", e.message())]
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
    if problems.is_empty() { Ok(parsed.organisations) } else { Err(problems) }
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
        let problems = parse_organisations(Path::new("organisations.toml"), text).err().unwrap_or_default();
        assert!(problems.first().is_some_and(|p| p.contains("organisations.toml:3")), "{problems:?}");
    }

    #[test]
    fn every_bad_entry_is_listed() {
        let text = "[[organisations]]\nslug = \"Bad Slug\"\nname = \"\"\nkind = \"club\"\ncountry = \"ZZ\"\n";
        let problems = parse_organisations(Path::new("o.toml"), text).err().unwrap_or_default();
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
