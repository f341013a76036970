//! Course packs (`content/README.md`, "Course packs"): one zip per published version that opens
//! in any phone browser from local storage, with no server and no script — static pages with
//! relative links, the stylesheet, the image variants the lessons name — plus `manifest.json`
//! (every file's SHA-256 and size) and `package/`, the course package itself, so that another
//! Lantern can import the pack. Pure: [`build`] takes what the service read, [`unpack`] checks a
//! pack and gives back its package; no database, no HTTP.

use super::package::{LessonSpec, Package, PackageFiles, Problem, QuizSpec, write};
use super::render::human_size;
use crate::platform::ui::Lang;
use chrono::{DateTime, Datelike, Timelike, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

/// The pack format this code writes and reads.
pub const PACK_FORMAT: u32 = 1;

/// What names a zip as a pack.
const FORMAT_NAME: &str = "lantern-course-pack";

/// Why a pack could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("zip: {0}")]
    Io(#[from] std::io::Error),
    #[error("package: {0}")]
    Package(#[from] toml::ser::Error),
    #[error("manifest: {0}")]
    Manifest(#[from] serde_json::Error),
}

/// What a pack is made of, as the service read it for one published version.
pub struct PackSource<'a> {
    pub package: &'a Package,
    pub version: i32,
    /// The organisation's name (the package names its slug).
    pub organisation: &'a str,
    /// When the version was published: the manifest's date and every entry's, so the same
    /// version always gives the same bytes.
    pub published_at: DateTime<Utc>,
    /// The stored, sanitised HTML of each lesson by lesson slug.
    pub lesson_html: &'a HashMap<String, String>,
    /// The bytes of the image variants the lessons name, by [`variant_key`]. A variant missing
    /// here is replaced by its original, as the server's redirect would.
    pub variants: &'a BTreeMap<String, Vec<u8>>,
    pub stylesheet: &'a str,
}

/// `<sha256>/<width>.<ext>`: how a variant is named on the server, after `/media/`.
pub fn variant_key(sha256: &str, name: &str) -> String {
    format!("{sha256}/{name}")
}

/// The manifest at the root of a pack.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub course: String,
    pub version: i32,
    pub title: String,
    pub language: String,
    pub organisation: String,
    pub generated_at: String,
    /// Every file of the pack but the manifest, sorted by path.
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// One media address found in lesson HTML: an original, or one of its variants.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MediaUrl {
    pub sha256: String,
    /// `<width>.<webp|jpg|png>` for a variant.
    pub variant: Option<String>,
}

/// Finds `/media/<sha256>` and `/media/<sha256>/<width>.<ext>` in attribute values of `html`
/// (after a quote, a space or a comma, as `src`, `href` and `srcset` hold them), and gives each
/// to `replace`, whose answer takes its place.
fn rewrite_media(html: &str, mut replace: impl FnMut(&MediaUrl) -> Option<String>) -> String {
    const PREFIX: &str = "/media/";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(PREFIX) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let boundary = before.is_empty() || before.ends_with(['"', ' ', ',', '\'']);
        let tail = &after[PREFIX.len()..];
        let sha = tail.get(..64).filter(|s| s.bytes().all(|b| b.is_ascii_hexdigit()));
        let (Some(sha), true) = (sha, boundary) else {
            out.push_str(PREFIX);
            rest = tail;
            continue;
        };
        let after_sha = &tail[64..];
        let variant = after_sha.strip_prefix('/').and_then(|name| {
            let digits = name.bytes().take_while(u8::is_ascii_digit).count();
            let ext = name[digits..].strip_prefix('.')?;
            let ext = ["webp", "jpg", "png"].into_iter().find(|e| ext.starts_with(e))?;
            (digits > 0).then(|| name[..digits + 1 + ext.len()].to_owned())
        });
        let consumed = 64 + variant.as_ref().map_or(0, |v| v.len() + 1);
        let url = MediaUrl { sha256: sha.to_owned(), variant };
        match replace(&url) {
            Some(new) => out.push_str(&new),
            None => {
                out.push_str(PREFIX);
                out.push_str(&tail[..consumed]);
            }
        }
        rest = &tail[consumed..];
    }
    out.push_str(rest);
    out
}

/// The media addresses lesson HTML names, each once.
pub fn media_urls<'a>(html: impl IntoIterator<Item = &'a String>) -> BTreeSet<MediaUrl> {
    let mut found = BTreeSet::new();
    for page in html {
        rewrite_media(page, |url| {
            found.insert(url.clone());
            None
        });
    }
    found
}

/// A package path as it may stand in an attribute of a page: characters other than letters,
/// digits and `._-/` percent-encoded.
fn url_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b'-' | b'/' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a variant is kept in a pack: `media/<sha256>-<width>.<ext>`.
fn variant_path(sha256: &str, name: &str) -> String {
    format!("media/{sha256}-{name}")
}

/// One page of the pack in reading order: a lesson or a module's self-check.
struct Stop<'a> {
    path: String,
    page: StopPage<'a>,
}

enum StopPage<'a> {
    /// A lesson and its number in the course.
    Lesson(&'a LessonSpec, usize),
    Quiz(&'a QuizSpec),
}

fn quiz_path(module_index: usize) -> String {
    format!("quizzes/module-{}.html", module_index + 1)
}

/// A pack page: the stylesheet, a link home, the content. `root` leads back to the pack's root
/// (`""` or `"../"`).
fn pack_page(lang: &str, title: &str, course_title: &str, root: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang) dir="ltr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href={(root) "style.css"};
                link rel="icon" href="data:,";
                meta name="color-scheme" content="light";
            }
            body {
                header.top {
                    a.brand href={(root) "index.html"} { span.mark aria-hidden="true" { "◆" } " " (course_title) }
                }
                main #main { (body) }
            }
        }
    }
}

fn pager(t: Lang, root: &str, previous: Option<&Stop>, next: Option<&Stop>) -> Markup {
    html! {
        nav.pager aria-label=(t.t("lesson-pager")) {
            @if let Some(previous) = previous { a.button.secondary href={(root) (previous.path)} rel="prev" { "← " (t.t("lesson-previous")) } }
            @if let Some(next) = next { a.button href={(root) (next.path)} rel="next" { (t.t("lesson-next")) " →" } }
            @else { a.button href={(root) "index.html"} { (t.t("pack-back")) } }
        }
    }
}

fn index_page(t: Lang, source: &PackSource, stops: &[Stop]) -> Markup {
    let package = source.package;
    let date = source.published_at.format("%Y-%m-%d").to_string();
    pack_page(
        &package.language,
        &package.title,
        &package.title,
        "",
        html! {
            article lang=(package.language) {
                h1 { (package.title) }
                p.lead { (package.summary) }
                p.notice role="note" { (t.t("pack-offline-note")) }
                @if let Some(first) = stops.first() { div.actions { a.button href=(first.path) { (t.t("pack-start")) } } }
                dl.facts.card {
                    dt { (t.t("course-time")) } dd { (t.ta("courses-minutes", &[("minutes", i64::from(package.minutes).into())])) }
                    dt { (t.t("course-by")) } dd { (source.organisation) }
                    dt { (t.t("course-version")) } dd { (t.ta("pack-version", &[("number", i64::from(source.version).into()), ("date", date.clone().into())])) }
                    dt { (t.t("course-licence")) } dd { (package.licence) }
                }
                h2 { (t.t("course-objectives")) }
                ul { @for objective in &package.objectives { li { (objective) } } }
                h2 { (t.t("course-contents")) }
                @for (index, module) in package.modules.iter().enumerate() {
                    section.card {
                        h3 { (index + 1) ". " (module.title) }
                        ol {
                            @for lesson in &module.lessons {
                                li {
                                    a href={"lessons/" (lesson.slug) ".html"} { (lesson.title) }
                                    " " span.muted { "(" (t.ta("courses-minutes", &[("minutes", i64::from(lesson.minutes).into())])) ")" }
                                }
                            }
                        }
                        @if let Some(quiz) = &module.quiz {
                            p {
                                a href=(quiz_path(index)) { (quiz.title) }
                                " " span.muted { "· " (t.ta("course-quiz-questions", &[("count", (quiz.questions.len() as i64).into())])) }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn lesson_page(
    t: Lang,
    source: &PackSource,
    stops: &[Stop],
    at: usize,
    (lesson, number): (&LessonSpec, usize),
    body: &str,
) -> Markup {
    let lessons = source.package.modules.iter().map(|m| m.lessons.len()).sum::<usize>();
    let title = &lesson.title;
    pack_page(
        &source.package.language,
        title,
        &source.package.title,
        "../",
        html! {
            article.lesson lang=(source.package.language) {
                p.muted { a href="../index.html" { (source.package.title) } " · "
                    (t.ta("lesson-position", &[("number", (number as i64).into()), ("total", (lessons as i64).into())])) }
                h1 { (title) }
                // Rendered from Markdown and sanitised by ammonia when the version was published;
                // only its media addresses were made relative.
                (PreEscaped(body))
            }
            (pager(t, "../", at.checked_sub(1).and_then(|i| stops.get(i)), stops.get(at + 1)))
        },
    )
}

fn quiz_page(t: Lang, source: &PackSource, stops: &[Stop], at: usize, quiz: &QuizSpec) -> Markup {
    pack_page(
        &source.package.language,
        &quiz.title,
        &source.package.title,
        "../",
        html! {
            article lang=(source.package.language) {
                p.muted { a href="../index.html" { (source.package.title) } }
                h1 { (quiz.title) }
                p { (t.t("pack-quiz-intro")) }
                @for (number, question) in quiz.questions.iter().enumerate() {
                    section.card {
                        p { strong { (number + 1) ". " (question.prompt) } }
                        @if question.kind == "multiple" { p.muted { (t.t("quiz-choose-all")) } }
                        ul { @for option in &question.options { li { (option.text) } } }
                        details {
                            summary { (t.t("pack-show-answer")) }
                            ul {
                                @for option in &question.options {
                                    li {
                                        @if option.correct { strong { "✓ " (option.text) } " (" (t.t("quiz-correct")) ")" }
                                        @else { (option.text) " (" (t.t("quiz-incorrect")) ")" }
                                        @if !option.feedback.is_empty() { br; span.muted { (option.feedback) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (pager(t, "../", at.checked_sub(1).and_then(|i| stops.get(i)), stops.get(at + 1)))
        },
    )
}

/// The zip entry date of `at` (zip dates run from 1980 to 2107).
fn zip_date(at: DateTime<Utc>) -> zip::DateTime {
    let year = u16::try_from(at.year().clamp(1980, 2107)).unwrap_or(1980);
    let part = |value: u32| u8::try_from(value).unwrap_or(0);
    zip::DateTime::from_date_and_time(
        year,
        part(at.month()),
        part(at.day()),
        part(at.hour()),
        part(at.minute()),
        part(at.second()),
    )
    .unwrap_or_default()
}

/// Whether a file is already compressed (media): stored as is, which costs no time and no size.
fn is_compressed(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".webp", ".mp3", ".ogg", ".opus", ".m4a", ".mp4", ".webm", ".pdf"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The pack of a published version as zip bytes: the same source always gives the same bytes
/// (entries sorted, dated at publication, fixed permissions).
pub fn build(source: &PackSource) -> Result<Vec<u8>, PackError> {
    let package = source.package;
    let t = Lang::from_code(&package.language).unwrap_or_default();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();

    // Originals stay where the package keeps them; pages link to them there.
    let originals: HashMap<String, &str> =
        package.media.iter().map(|(path, bytes)| (hex(&Sha256::digest(bytes)), path.as_str())).collect();
    for (path, bytes) in write(package)?.files {
        files.insert(format!("package/{path}"), bytes);
    }

    let mut stops = Vec::new();
    for (index, module) in package.modules.iter().enumerate() {
        for lesson in &module.lessons {
            let number = stops.iter().filter(|s: &&Stop| matches!(s.page, StopPage::Lesson(..))).count() + 1;
            stops.push(Stop {
                path: format!("lessons/{}.html", lesson.slug),
                page: StopPage::Lesson(lesson, number),
            });
        }
        if let Some(quiz) = &module.quiz {
            stops.push(Stop { path: quiz_path(index), page: StopPage::Quiz(quiz) });
        }
    }

    for (at, stop) in stops.iter().enumerate() {
        let page = match stop.page {
            StopPage::Lesson(lesson, number) => {
                let stored = source.lesson_html.get(&lesson.slug).map_or("", String::as_str);
                let body = rewrite_media(stored, |url| {
                    if let Some(name) = &url.variant
                        && let Some(bytes) = source.variants.get(&variant_key(&url.sha256, name))
                    {
                        let path = variant_path(&url.sha256, name);
                        files.insert(path.clone(), bytes.clone());
                        return Some(format!("../{path}"));
                    }
                    originals.get(&url.sha256).map(|path| format!("../package/{}", url_path(path)))
                });
                lesson_page(t, source, &stops, at, (lesson, number), &body)
            }
            StopPage::Quiz(quiz) => quiz_page(t, source, &stops, at, quiz),
        };
        files.insert(stop.path.clone(), page.into_string().into_bytes());
    }
    files.insert("index.html".into(), index_page(t, source, &stops).into_string().into_bytes());
    files.insert("style.css".into(), source.stylesheet.as_bytes().to_vec());

    let manifest = Manifest {
        format: FORMAT_NAME.into(),
        format_version: PACK_FORMAT,
        course: package.slug.clone(),
        version: source.version,
        title: package.title.clone(),
        language: package.language.clone(),
        organisation: source.organisation.to_owned(),
        generated_at: source.published_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        files: files
            .iter()
            .map(|(path, bytes)| ManifestFile {
                path: path.clone(),
                sha256: hex(&Sha256::digest(bytes)),
                size: bytes.len() as u64,
            })
            .collect(),
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest)?;
    manifest_json.push(b'\n');
    files.insert("manifest.json".into(), manifest_json);

    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    let date = zip_date(source.published_at);
    for (path, bytes) in &files {
        let method = if is_compressed(path) {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(date)
            .unix_permissions(0o644);
        zip.start_file(path.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    zip.finish()?;
    Ok(buffer.into_inner())
}

/// Whether read zip files are a pack rather than a package: a manifest and a `package/` folder.
pub fn is_pack(files: &PackageFiles) -> bool {
    files.files.contains_key("manifest.json") && files.files.keys().any(|p| p.starts_with("package/"))
}

/// Checks a pack against its manifest (every file listed, present, of its size and SHA-256, and
/// nothing unlisted: a damaged card is refused naming the file) and gives back the course
/// package it carries, for [`super::package::parse`].
pub fn unpack(mut files: PackageFiles) -> Result<PackageFiles, Vec<Problem>> {
    let problem = |file: &str, message: String| Problem { file: file.to_owned(), line: 0, message };
    let text = files.files.remove("manifest.json").unwrap_or_default();
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
        vec![Problem { file: "manifest.json".into(), line: e.line(), message: e.to_string() }]
    })?;
    if manifest.format != FORMAT_NAME || manifest.format_version != PACK_FORMAT {
        return Err(vec![problem(
            "manifest.json",
            format!(
                "format {} {} is not one this Lantern reads ({FORMAT_NAME} {PACK_FORMAT})",
                manifest.format, manifest.format_version
            ),
        )]);
    }
    let mut problems = Vec::new();
    let mut listed = BTreeSet::new();
    for entry in &manifest.files {
        listed.insert(entry.path.as_str());
        match files.files.get(&entry.path) {
            None => problems.push(problem(&entry.path, "listed in manifest.json but missing".into())),
            Some(bytes) if bytes.len() as u64 != entry.size => problems.push(problem(
                &entry.path,
                format!("{} bytes where manifest.json says {}: the pack is damaged", bytes.len(), entry.size),
            )),
            Some(bytes) if hex(&Sha256::digest(bytes)) != entry.sha256.to_ascii_lowercase() => problems.push(
                problem(&entry.path, "its SHA-256 differs from manifest.json: the pack is damaged".into()),
            ),
            Some(_) => {}
        }
    }
    for path in files.files.keys().filter(|p| !listed.contains(p.as_str())) {
        problems.push(problem(path, "not listed in manifest.json".into()));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let package = files
        .files
        .into_iter()
        .filter_map(|(path, bytes)| Some((path.strip_prefix("package/")?.to_owned(), bytes)))
        .collect();
    Ok(PackageFiles { files: package })
}

/// A rough size of a pack before it is built: its media (originals and variants) and a little
/// for the pages, as the course page shows it.
pub fn estimated_size(media_bytes: u64, lessons: usize) -> String {
    human_size(media_bytes + 16 * 1024 + 8 * 1024 * lessons as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::courses::package::{Limits, parse};
    use crate::courses::render::{Images, MediaMap, render_lesson};
    use crate::media::{MediaRef, VariantRef};
    use std::io::Read;

    /// The hand-hygiene demo course as publishing leaves it: its lessons rendered with two
    /// variants of each image in two formats, and those variants' bytes.
    fn demo() -> (Package, HashMap<String, String>, BTreeMap<String, Vec<u8>>) {
        let dir =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content/courses/hand-hygiene");
        let files = PackageFiles::from_dir(&dir, Limits::default()).expect("readable");
        let package = parse(&files, Some("hand-hygiene")).expect("valid");
        let mut media = MediaMap::new();
        let mut variants = BTreeMap::new();
        for (index, (path, bytes)) in package.media.iter().enumerate() {
            let sha256 = hex(&Sha256::digest(bytes));
            let mut refs = Vec::new();
            for (width, content_type, ext) in [
                (360, "image/webp", "webp"),
                (720, "image/webp", "webp"),
                (360, "image/png", "png"),
                (720, "image/png", "png"),
            ] {
                let bytes = format!("{sha256} {width} {ext}").into_bytes();
                refs.push(VariantRef {
                    width,
                    height: width / 2,
                    content_type: content_type.into(),
                    size: bytes.len() as u64,
                });
                variants.insert(variant_key(&sha256, &format!("{width}.{ext}")), bytes);
            }
            let reference = MediaRef {
                id: i32::try_from(index).unwrap_or(0),
                sha256,
                content_type: "image/png".into(),
                kind: "image".into(),
                size: bytes.len() as u64,
                width: Some(1600),
                height: Some(800),
                duration_ms: None,
                variants: refs,
            };
            media.insert(path.clone(), reference);
        }
        let html = package
            .modules
            .iter()
            .flat_map(|m| &m.lessons)
            .map(|l| (l.slug.clone(), render_lesson(&l.markdown, &package.language, &media, Images::Shown)))
            .collect();
        (package, html, variants)
    }

    fn pack_of(
        package: &Package,
        html: &HashMap<String, String>,
        variants: &BTreeMap<String, Vec<u8>>,
    ) -> Vec<u8> {
        let source = PackSource {
            package,
            version: 3,
            organisation: "East African Nursing and Midwifery Association",
            published_at: DateTime::parse_from_rfc3339("2026-05-04T10:20:30Z").expect("date").to_utc(),
            lesson_html: html,
            variants,
            stylesheet: "body { margin: 0 }",
        };
        build(&source).expect("packed")
    }

    fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut files = BTreeMap::new();
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).expect("entry");
            let mut content = Vec::new();
            entry.read_to_end(&mut content).expect("readable");
            files.insert(entry.name().expect("a name").into_owned(), content);
        }
        files
    }

    #[test]
    fn a_pack_holds_every_page_the_stylesheet_the_media_and_a_manifest_that_matches() {
        let (package, html, variants) = demo();
        let bytes = pack_of(&package, &html, &variants);
        let files = unzip(&bytes);
        for path in ["index.html", "style.css", "manifest.json", "package/course.toml"] {
            assert!(files.contains_key(path), "{path} is in the pack");
        }
        let lessons: Vec<_> = package.modules.iter().flat_map(|m| &m.lessons).collect();
        assert!(lessons.len() >= 3, "the demo has lessons");
        let index = String::from_utf8(files["index.html"].clone()).expect("text");
        for lesson in &lessons {
            let path = format!("lessons/{}.html", lesson.slug);
            assert!(files.contains_key(&path), "{path} is in the pack");
            assert!(index.contains(&format!("href=\"{path}\"")), "the contents link to {path}");
        }
        for (index, module) in package.modules.iter().enumerate() {
            let path = format!("quizzes/module-{}.html", index + 1);
            assert_eq!(
                module.quiz.is_some(),
                files.contains_key(&path),
                "{path} is there if the module has a quiz"
            );
        }
        assert!(files.keys().any(|p| p.starts_with("quizzes/")), "the demo has a self-check");
        for path in package.media.keys() {
            assert!(files.contains_key(&format!("package/{path}")), "{path} is in the pack's package");
        }

        // Every page's links lead to a file of the pack, relative, with nothing absolute left.
        let mut referenced = 0;
        for (path, content) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
            let text = String::from_utf8(content.clone()).expect("text");
            for absolute in ["\"/", " /media/", "/static/", "href=\"http://localhost"] {
                assert!(!text.contains(absolute), "{path} holds an absolute address ({absolute})");
            }
            let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
            let document = scraper::Html::parse_document(&text);
            let selector = scraper::Selector::parse("[href], [src], [srcset]").expect("selector");
            for element in document.select(&selector) {
                let attributes = element.value();
                let mut targets: Vec<&str> =
                    attributes.attr("href").into_iter().chain(attributes.attr("src")).collect();
                if let Some(srcset) = attributes.attr("srcset") {
                    targets.extend(srcset.split(',').filter_map(|c| c.split_whitespace().next()));
                }
                for target in targets.into_iter().filter(|t| !t.contains("://") && !t.starts_with("data:")) {
                    let target = target.split('#').next().unwrap_or_default();
                    let resolved = crate::courses::package::clean_path(&format!("{folder}/{target}"))
                        .unwrap_or_else(|| target.to_owned());
                    assert!(files.contains_key(&resolved), "{path} links to {target}, which is in the pack");
                    referenced += usize::from(resolved.starts_with("media/"));
                }
            }
        }
        assert!(referenced >= 4, "lesson pages show image variants ({referenced})");
        assert!(files.keys().any(|p| p.starts_with("media/") && p.ends_with("-720.webp")), "variants kept");

        let manifest: Manifest = serde_json::from_slice(&files["manifest.json"]).expect("a manifest");
        assert_eq!((manifest.course.as_str(), manifest.version), ("hand-hygiene", 3), "what the pack is");
        assert_eq!(manifest.generated_at, "2026-05-04T10:20:30Z", "dated at publication");
        assert_eq!(manifest.files.len(), files.len() - 1, "every file but the manifest is listed");
        for entry in &manifest.files {
            let content = &files[&entry.path];
            assert_eq!(entry.size, content.len() as u64, "{} size", entry.path);
            assert_eq!(entry.sha256, hex(&Sha256::digest(content)), "{} checksum", entry.path);
        }

        assert_eq!(bytes, pack_of(&package, &html, &variants), "packing twice gives the same bytes");
    }

    #[test]
    fn a_pack_unpacks_to_the_package_it_carries_and_a_damaged_file_is_named() {
        let (package, html, variants) = demo();
        let bytes = pack_of(&package, &html, &variants);
        let files = PackageFiles::from_zip(&bytes, Limits::default()).expect("within the limits");
        assert!(is_pack(&files), "recognised as a pack");
        let inner = unpack(files).expect("intact");
        let again = parse(&inner, None).expect("the package parses");
        assert_eq!(again.fingerprint(), package.fingerprint(), "the same course");

        let mut files = PackageFiles::from_zip(&bytes, Limits::default()).expect("within the limits");
        let page = format!("lessons/{}.html", package.modules[0].lessons[0].slug);
        if let Some(byte) = files.files.get_mut(&page).and_then(|b| b.get_mut(200)) {
            *byte ^= 1;
        }
        files.files.insert("extra.txt".into(), b"hello".to_vec());
        let problems = unpack(files).expect_err("refused");
        let named: Vec<&str> = problems.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(named, [page.as_str(), "extra.txt"], "{problems:?}");
        assert!(problems[0].message.contains("damaged"), "{}", problems[0]);
    }

    #[test]
    fn media_addresses_are_found_in_attributes_only() {
        let sha = "ab".repeat(32);
        let html = format!(
            "<img src=\"/media/{sha}/720.png\" srcset=\"/media/{sha}/360.webp 360w, /media/{sha} 1600w\"> \
             text/media/{sha} <a href=\"/media/{sha}\">x</a> <a href=\"/media/short\">y</a>"
        );
        let out = rewrite_media(&html, |url| {
            Some(format!("[{}|{}]", &url.sha256[..2], url.variant.clone().unwrap_or_default()))
        });
        assert_eq!(
            out,
            format!(
                "<img src=\"[ab|720.png]\" srcset=\"[ab|360.webp] 360w, [ab|] 1600w\"> \
                 text/media/{sha} <a href=\"[ab|]\">x</a> <a href=\"/media/short\">y</a>"
            )
        );
    }
}
