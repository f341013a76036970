//! Authors edit a draft in the browser: course details, modules, lessons and quizzes, and their
//! order. A draft is edited as a whole package: each change loads the draft as a [`Package`],
//! applies the change, writes the package files and reads them back with the checker an upload
//! goes through, then replaces the draft's contents in one transaction. So a draft edited here
//! obeys exactly the rules of an uploaded package, and every problem names its file and line.
//!
//! Editing a published version starts a new draft from it; the published one never changes.
//! Two authors editing one draft at once cannot overwrite each other: each form carries the
//! fingerprint of the draft it was opened on, and a save against a changed draft is refused.

use super::entity::{
    course, course_module, course_version, lesson, lesson_media, question, question_option, quiz,
};
use super::package::{self, CompetencyLevel, LessonSpec, ModuleSpec, Package, Problem, QuizSpec};
use super::service::{Courses, CoursesError, media_map};
use crate::accounts::entity::organisation;
use crate::accounts::model::{Actor, Capability, authorize, is_valid_slug};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

type Result<T, E = CoursesError> = std::result::Result<T, E>;

/// A draft opened for editing: its course, its version row and its contents as a package.
#[derive(Clone, Debug)]
pub struct Draft {
    pub course: course::Model,
    pub version: course_version::Model,
    pub package: Package,
    /// Package path of each media file → the address it is served at.
    pub media: super::render::MediaMap,
}

/// A course's description as the details form sends it. Numbers arrive as typed: a value that
/// is not a number is reported by the package checker under the field's name.
#[derive(Clone, Debug, Default)]
pub struct Details {
    pub title: String,
    pub summary: String,
    pub language: String,
    pub professions: Vec<String>,
    pub topics: String,
    pub minutes: String,
    pub licence: String,
    pub credits: String,
    pub objectives: String,
}

impl Details {
    /// The form's values for a package.
    pub fn of(package: &Package) -> Self {
        Self {
            title: package.title.clone(),
            summary: package.summary.clone(),
            language: package.language.clone(),
            professions: package.professions.clone(),
            topics: package.topics.join(", "),
            minutes: package.minutes.to_string(),
            licence: package.licence.clone(),
            credits: super::views::credits(package.credits_hundredths),
            objectives: package.objectives.join("\n"),
        }
    }

    fn apply(&self, package: &mut Package) {
        package.title = self.title.trim().to_owned();
        package.summary = self.summary.trim().to_owned();
        package.language = self.language.trim().to_owned();
        package.professions = self.professions.clone();
        package.topics = list(&self.topics, ',');
        package.minutes = self.minutes.trim().parse().unwrap_or(0);
        package.licence = self.licence.trim().to_owned();
        package.credits_hundredths =
            self.credits.trim().replace(',', ".").parse::<f64>().map_or(-1, |c| (c * 100.0).round() as i32);
        package.objectives = list(&self.objectives, '\n');
    }
}

/// A lesson as its form sends it.
#[derive(Clone, Debug, Default)]
pub struct LessonFields {
    pub title: String,
    /// The lesson's address in the course (its slug).
    pub slug: String,
    pub minutes: String,
    pub clinical_change: String,
    /// `CODE:LEVEL` pairs separated by commas, e.g. `IPC.1:2, IPC.3:1`.
    pub competencies: String,
    pub markdown: String,
}

impl LessonFields {
    pub fn of(lesson: &LessonSpec) -> Self {
        Self {
            title: lesson.title.clone(),
            slug: lesson.slug.clone(),
            minutes: lesson.minutes.to_string(),
            clinical_change: lesson.clinical_change.clone().unwrap_or_default(),
            competencies: lesson
                .competencies
                .iter()
                .map(|c| format!("{}:{}", c.code, c.level))
                .collect::<Vec<_>>()
                .join(", "),
            markdown: lesson.markdown.clone(),
        }
    }
}

/// One change an author makes to a draft. Modules are addressed by position (from 0), lessons
/// by their slug.
#[derive(Clone, Debug)]
pub enum Edit {
    Details(Details),
    Lesson {
        slug: String,
        fields: LessonFields,
    },
    AddLesson {
        module: usize,
        title: String,
    },
    AddModule {
        title: String,
    },
    RenameModule {
        module: usize,
        title: String,
    },
    MoveModule {
        module: usize,
        up: bool,
    },
    MoveLesson {
        slug: String,
        up: bool,
    },
    RemoveModule {
        module: usize,
    },
    RemoveLesson {
        slug: String,
    },
    /// A module's quiz as the text of its quiz file (the package's `quiz.toml` format).
    Quiz {
        module: usize,
        text: String,
    },
    RemoveQuiz {
        module: usize,
    },
    /// A media file placed at the end of a lesson, with its caption (the alt text).
    AddMedia {
        slug: String,
        file_name: String,
        bytes: Vec<u8>,
        caption: String,
    },
}

/// A media file's name inside the package: the sender's name reduced to lower-case letters,
/// digits, hyphens and one extension, never a path.
pub fn media_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, extension) = base.rsplit_once('.').unwrap_or((base, ""));
    let extension: String = extension
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    // slugify names an empty or one-letter title "lesson…": a file without a usable name is "media".
    let stem = if stem.chars().filter(char::is_ascii_alphanumeric).count() < 2 {
        "media".to_owned()
    } else {
        slugify(stem)
    };
    if extension.is_empty() { stem } else { format!("{stem}.{extension}") }
}

fn list(text: &str, separator: char) -> Vec<String> {
    text.split(separator).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Lower-case ASCII letters, digits and hyphens from a title: "Prévention 2" → "prevention-2".
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(50).collect();
    slug = slug.trim_end_matches('-').to_owned();
    match slug.len() {
        0 => "lesson".to_owned(),
        1 => format!("lesson-{slug}"),
        _ => slug,
    }
}

fn problem(file: &str, message: impl Into<String>) -> Vec<Problem> {
    vec![Problem { file: file.to_owned(), line: 0, message: message.into() }]
}

fn lessons(package: &Package) -> impl Iterator<Item = &LessonSpec> {
    package.modules.iter().flat_map(|m| &m.lessons)
}

/// Where a lesson is: (module, index in module).
fn find_lesson(package: &Package, slug: &str) -> Option<(usize, usize)> {
    package
        .modules
        .iter()
        .enumerate()
        .find_map(|(m, module)| module.lessons.iter().position(|l| l.slug == slug).map(|i| (m, i)))
}

/// A lesson file path for a new slug that no other lesson uses.
fn unused_lesson_path(package: &Package, slug: &str) -> (String, String) {
    let taken = |s: &str| lessons(package).any(|l| l.slug == s || l.path == format!("lessons/{s}.md"));
    let mut candidate = slug.to_owned();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{slug}-{n}");
        n += 1;
    }
    (format!("lessons/{candidate}.md"), candidate)
}

fn module_mut(package: &mut Package, module: usize) -> Result<&mut ModuleSpec, Vec<Problem>> {
    package.modules.get_mut(module).ok_or_else(|| problem("course.toml", "modules: no such module"))
}

fn new_lesson(path: String, slug: String, title: &str) -> LessonSpec {
    LessonSpec {
        path,
        slug,
        title: title.trim().to_owned(),
        minutes: 5,
        competencies: Vec::new(),
        clinical_change: None,
        markdown: String::new(),
    }
}

/// Applies an edit to a package; a quiz edit also returns its file's new text.
fn apply(package: &mut Package, edit: Edit) -> Result<Option<(String, String)>, Vec<Problem>> {
    match edit {
        Edit::Details(details) => details.apply(package),
        Edit::Lesson { slug, fields } => {
            let (m, i) =
                find_lesson(package, &slug).ok_or_else(|| problem("course.toml", "no such lesson"))?;
            let new_slug = fields.slug.trim().to_owned();
            let path = if new_slug == slug {
                None
            } else if !is_valid_slug(&new_slug) {
                let path = &package.modules[m].lessons[i].path;
                return Err(problem(path, "address: use 2 to 60 lower-case letters, digits and hyphens"));
            } else if lessons(package).any(|l| l.slug == new_slug) {
                let path = &package.modules[m].lessons[i].path;
                return Err(problem(path, format!("address: another lesson is at \"{new_slug}\"")));
            } else {
                Some(unused_lesson_path(package, &new_slug).0)
            };
            let mut competencies = Vec::new();
            for entry in list(&fields.competencies, ',') {
                let parsed = entry
                    .split_once(':')
                    .and_then(|(code, level)| Some((code.trim(), level.trim().parse::<i32>().ok()?)));
                match parsed {
                    Some((code, level)) => {
                        competencies.push(CompetencyLevel { code: code.to_owned(), level })
                    }
                    None => {
                        let path = &package.modules[m].lessons[i].path;
                        return Err(problem(
                            path,
                            format!("competencies: \"{entry}\" is not CODE:LEVEL, e.g. IPC.1:2"),
                        ));
                    }
                }
            }
            let lesson = &mut package.modules[m].lessons[i];
            if let Some(path) = path {
                lesson.slug = new_slug;
                lesson.path = path;
            }
            lesson.title = fields.title.trim().to_owned();
            lesson.minutes = fields.minutes.trim().parse().unwrap_or(0);
            let change = fields.clinical_change.trim();
            lesson.clinical_change = (!change.is_empty()).then(|| change.to_owned());
            lesson.competencies = competencies;
            lesson.markdown = fields.markdown.replace("\r\n", "\n");
        }
        Edit::AddLesson { module, title } => {
            let (path, slug) = unused_lesson_path(package, &slugify(&title));
            module_mut(package, module)?.lessons.push(new_lesson(path, slug, &title));
        }
        Edit::AddModule { title } => {
            let (path, slug) = unused_lesson_path(package, &slugify(&title));
            let lesson = new_lesson(path, slug, &title);
            package.modules.push(ModuleSpec {
                title: title.trim().to_owned(),
                lessons: vec![lesson],
                quiz: None,
            });
        }
        Edit::RenameModule { module, title } => module_mut(package, module)?.title = title.trim().to_owned(),
        Edit::MoveModule { module, up } => {
            let count = package.modules.len();
            match (up, module) {
                (true, m) if m > 0 && m < count => package.modules.swap(m, m - 1),
                (false, m) if m + 1 < count => package.modules.swap(m, m + 1),
                _ => {}
            }
        }
        Edit::MoveLesson { slug, up } => {
            let (m, i) =
                find_lesson(package, &slug).ok_or_else(|| problem("course.toml", "no such lesson"))?;
            let len = package.modules[m].lessons.len();
            if up && i > 0 {
                package.modules[m].lessons.swap(i, i - 1);
            } else if !up && i + 1 < len {
                package.modules[m].lessons.swap(i, i + 1);
            } else if up && m > 0 {
                // The first lesson of a module moves to the end of the module before.
                let lesson = package.modules[m].lessons.remove(i);
                package.modules[m - 1].lessons.push(lesson);
            } else if !up && m + 1 < package.modules.len() {
                let lesson = package.modules[m].lessons.remove(i);
                package.modules[m + 1].lessons.insert(0, lesson);
            }
        }
        Edit::RemoveModule { module } => {
            module_mut(package, module)?;
            package.modules.remove(module);
        }
        Edit::RemoveLesson { slug } => {
            let (m, i) =
                find_lesson(package, &slug).ok_or_else(|| problem("course.toml", "no such lesson"))?;
            package.modules[m].lessons.remove(i);
        }
        Edit::Quiz { module, text } => {
            let taken: Vec<String> =
                package.modules.iter().filter_map(|m| m.quiz.as_ref().map(|q| q.path.clone())).collect();
            let target = module_mut(package, module)?;
            let path = match &target.quiz {
                Some(quiz) => quiz.path.clone(),
                None => (module + 1..)
                    .map(|n| format!("quizzes/module-{n}.toml"))
                    .find(|p| !taken.contains(p))
                    .unwrap_or_default(),
            };
            // The file's text replaces whatever `write` puts at this path.
            target.quiz = Some(QuizSpec {
                path: path.clone(),
                title: String::new(),
                pass_mark: 0,
                max_attempts: 0,
                questions: Vec::new(),
            });
            return Ok(Some((path, text.replace("\r\n", "\n"))));
        }
        Edit::RemoveQuiz { module } => module_mut(package, module)?.quiz = None,
        Edit::AddMedia { slug, file_name, bytes, caption } => {
            let (m, i) =
                find_lesson(package, &slug).ok_or_else(|| problem("course.toml", "no such lesson"))?;
            let caption = caption.replace(['[', ']', '\n', '\r'], " ").trim().to_owned();
            // The same bytes under a name already used reuse it; other bytes get a new name.
            let name = media_file_name(&file_name);
            let (stem, extension) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
            let mut path = format!("media/{name}");
            let mut n = 2;
            while package.media.get(&path).is_some_and(|existing| *existing != bytes) {
                path = format!("media/{stem}-{n}.{extension}");
                n += 1;
            }
            package.media.insert(path.clone(), bytes);
            let lesson = &mut package.modules[m].lessons[i];
            let markdown = lesson.markdown.trim_end();
            lesson.markdown = format!("{markdown}\n\n![{caption}]({path})\n");
        }
    }
    Ok(None)
}

/// The package an edit makes of a draft, checked as an uploaded package would be.
pub fn check(mut package: Package, edit: Edit) -> Result<Package, Vec<Problem>> {
    let quiz = apply(&mut package, edit)?;
    let mut files = package::write(&package).map_err(|e| problem("course.toml", e.to_string()))?;
    if let Some((path, text)) = quiz {
        files.files.insert(path, text.into_bytes());
    }
    package::parse(&files, None)
}

/// The text of a module's quiz file, as an author edits it.
pub fn quiz_text(package: &Package, module: usize) -> Option<String> {
    let quiz = package.modules.get(module)?.quiz.as_ref()?;
    let files = package::write(package).ok()?;
    String::from_utf8(files.files.get(&quiz.path)?.clone()).ok()
}

/// The line of a lesson's file where its Markdown starts once a lesson edit is applied:
/// problems in the text are told to the author by their line in the text box.
pub fn lesson_body_line(package: &Package, edit: &Edit) -> Option<usize> {
    let Edit::Lesson { slug, fields } = edit else { return None };
    let mut edited = package.clone();
    // An edit refused before it changed anything leaves the lesson as it was.
    let _ = apply(&mut edited, edit.clone());
    let lesson = lessons(&edited)
        .find(|l| l.slug == fields.slug.trim())
        .or_else(|| lessons(&edited).find(|l| l.slug == *slug))?;
    let files = package::write(&edited).ok()?;
    let text = String::from_utf8(files.files.get(&lesson.path)?.clone()).ok()?;
    // `+++`, the front matter, `+++`, a blank line, then the Markdown.
    let front = text.split("\n+++\n").next()?;
    Some(front.lines().count() + 3)
}

impl Courses {
    /// Opens a draft for an author of its association.
    pub async fn draft(
        &self,
        actor: &Actor,
        organisation_id: i32,
        course_slug: &str,
        number: i32,
    ) -> Result<Draft> {
        if !authorize(actor, Capability::AuthorFor { organisation_id }) {
            return Err(CoursesError::Forbidden);
        }
        let (course, version) = self.version_of(organisation_id, course_slug, number).await?;
        if version.status != "draft" {
            return Err(CoursesError::Conflict("version-not-draft".into()));
        }
        let media = media_map(self.db().read(), self.media(), version.id).await?;
        let package = self.package_of_version(course.clone(), version.clone()).await?;
        Ok(Draft { course, version, package, media })
    }

    /// Checks an edit of a draft and saves it; a package problem comes back as
    /// [`CoursesError::Package`] and nothing is written.
    pub async fn edit_draft(&self, draft: &Draft, base: &str, edit: Edit) -> Result<()> {
        let package = check(draft.package.clone(), edit).map_err(CoursesError::Package)?;
        self.save_draft(draft, base, &package).await
    }

    /// Replaces a draft's contents with an edited package, unless the draft changed since the
    /// author opened it (`base` is the fingerprint it had then) or left the draft state.
    pub async fn save_draft(&self, draft: &Draft, base: &str, package: &Package) -> Result<()> {
        let media = self.store_media(package).await?;
        let txn = self.db().begin().await?;
        let mut row = super::service::version_fields(package);
        row.id = sea_orm::ActiveValue::Unchanged(draft.version.id);
        let updated = course_version::Entity::update_many()
            .set(row)
            .filter(course_version::Column::Id.eq(draft.version.id))
            .filter(course_version::Column::Status.eq("draft"))
            .filter(course_version::Column::ContentHash.eq(base))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(CoursesError::Conflict("draft-changed".into()));
        }
        delete_contents(&txn, draft.version.id).await?;
        self.insert_contents(&txn, draft.version.id, package, media).await?;
        txn.commit().await?;
        Ok(())
    }

    /// An author starts a new draft from a version. A course has at most one version being
    /// worked on: if a draft or a version in review exists, its number is returned instead.
    pub async fn start_draft(
        &self,
        actor: &Actor,
        organisation_id: i32,
        course_slug: &str,
        number: i32,
    ) -> Result<i32> {
        if !authorize(actor, Capability::AuthorFor { organisation_id }) {
            return Err(CoursesError::Forbidden);
        }
        let (course, version) = self.version_of(organisation_id, course_slug, number).await?;
        let open = course_version::Entity::find()
            .filter(course_version::Column::CourseId.eq(course.id))
            .filter(course_version::Column::Status.is_in(["draft", "in_review"]))
            .one(self.db().read())
            .await?;
        if let Some(open) = open {
            return Ok(open.number);
        }
        let package = self.package_of_version(course.clone(), version).await?;
        let stored = self
            .insert_version(&package, organisation_id, Some(course), Some(actor.account_id), "drafted", false)
            .await?;
        Ok(stored.version())
    }

    /// An author creates a course: its first version is a draft with one module and one lesson
    /// to write.
    pub async fn create_course(
        &self,
        actor: &Actor,
        organisation: &organisation::Model,
        slug: &str,
        details: &Details,
    ) -> Result<i32> {
        if !authorize(actor, Capability::AuthorFor { organisation_id: organisation.id }) {
            return Err(CoursesError::Forbidden);
        }
        let slug = slug.trim();
        let taken = course::Entity::find()
            .filter(course::Column::Slug.eq(slug))
            .select_only()
            .column(course::Column::Id)
            .into_tuple::<i32>()
            .one(self.db().read())
            .await?;
        if taken.is_some() {
            return Err(CoursesError::Package(problem(
                "course.toml",
                format!("slug: \"{slug}\" is already used by another course"),
            )));
        }
        let first = details.title.trim();
        let (path, lesson_slug) = (format!("lessons/{}.md", slugify(first)), slugify(first));
        let package = Package {
            slug: slug.to_owned(),
            association: organisation.slug.clone(),
            modules: vec![ModuleSpec {
                title: first.to_owned(),
                lessons: vec![new_lesson(path, lesson_slug, first)],
                quiz: None,
            }],
            ..Package::default()
        };
        let package = check(package, Edit::Details(details.clone())).map_err(CoursesError::Package)?;
        let (organisation, existing) = self.target_of(&package).await?;
        let stored = self
            .insert_version(&package, organisation.id, existing, Some(actor.account_id), "created", false)
            .await?;
        Ok(stored.version())
    }
}

/// Deletes a version's modules, lessons, quizzes and media links (not its row or history).
async fn delete_contents(txn: &sea_orm::DatabaseTransaction, version_id: i32) -> Result<()> {
    let quizzes: Vec<i32> = quiz::Entity::find()
        .select_only()
        .column(quiz::Column::Id)
        .filter(quiz::Column::VersionId.eq(version_id))
        .into_tuple()
        .all(txn)
        .await?;
    let questions: Vec<i32> = question::Entity::find()
        .select_only()
        .column(question::Column::Id)
        .filter(question::Column::QuizId.is_in(quizzes.clone()))
        .into_tuple()
        .all(txn)
        .await?;
    question_option::Entity::delete_many()
        .filter(question_option::Column::QuestionId.is_in(questions))
        .exec(txn)
        .await?;
    question::Entity::delete_many().filter(question::Column::QuizId.is_in(quizzes)).exec(txn).await?;
    quiz::Entity::delete_many().filter(quiz::Column::VersionId.eq(version_id)).exec(txn).await?;
    lesson::Entity::delete_many().filter(lesson::Column::VersionId.eq(version_id)).exec(txn).await?;
    course_module::Entity::delete_many()
        .filter(course_module::Column::VersionId.eq(version_id))
        .exec(txn)
        .await?;
    lesson_media::Entity::delete_many()
        .filter(lesson_media::Column::VersionId.eq(version_id))
        .exec(txn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_file_names_are_plain_and_never_paths() {
        assert_eq!(media_file_name("Ward Round (1).JPG"), "ward-round-1.jpg");
        assert_eq!(media_file_name("../../etc/passwd"), "passwd");
        assert_eq!(media_file_name("C:\\Users\\nurse\\clip.mp4"), "clip.mp4");
        assert_eq!(media_file_name(".png"), "media.png");
        assert_eq!(media_file_name("x"), "media");
    }

    fn course() -> Package {
        let lesson = |slug: &str| LessonSpec {
            path: format!("lessons/{slug}.md"),
            slug: slug.into(),
            title: slug.to_uppercase(),
            minutes: 5,
            competencies: Vec::new(),
            clinical_change: None,
            markdown: format!("About {slug}."),
        };
        Package {
            slug: "demo".into(),
            title: "Demo".into(),
            summary: "A demo.".into(),
            language: "en".into(),
            association: "eanma".into(),
            professions: vec!["nurse".into()],
            topics: vec!["demo".into()],
            minutes: 20,
            licence: "CC-BY-SA-4.0".into(),
            credits_hundredths: 100,
            objectives: vec!["Learn".into()],
            competencies: Vec::new(),
            modules: vec![
                ModuleSpec { title: "One".into(), lessons: vec![lesson("a"), lesson("b")], quiz: None },
                ModuleSpec { title: "Two".into(), lessons: vec![lesson("c")], quiz: None },
            ],
            media: Default::default(),
        }
    }

    fn order(package: &Package) -> Vec<Vec<&str>> {
        package.modules.iter().map(|m| m.lessons.iter().map(|l| l.slug.as_str()).collect()).collect()
    }

    #[test]
    fn lessons_move_within_and_across_modules() {
        let moved = check(course(), Edit::MoveLesson { slug: "b".into(), up: true }).unwrap();
        assert_eq!(order(&moved), [vec!["b", "a"], vec!["c"]]);
        let moved = check(course(), Edit::MoveLesson { slug: "b".into(), up: false }).unwrap();
        assert_eq!(order(&moved), [vec!["a"], vec!["b", "c"]]);
        let moved = check(course(), Edit::MoveModule { module: 1, up: true }).unwrap();
        assert_eq!(order(&moved), [vec!["c"], vec!["a", "b"]]);
    }

    #[test]
    fn an_edit_that_breaks_the_package_is_refused_with_the_checker_reasons() {
        let problems = check(course(), Edit::MoveLesson { slug: "c".into(), up: true }).unwrap_err();
        assert!(problems.iter().any(|p| p.message.contains("at least one lesson")), "{problems:?}");
        let fields = LessonFields {
            title: "A".into(),
            slug: "a".into(),
            minutes: "soon".into(),
            markdown: "<script>x</script>\n\n# Big".into(),
            ..LessonFields::default()
        };
        let problems = check(course(), Edit::Lesson { slug: "a".into(), fields }).unwrap_err();
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(messages.iter().any(|m| m.contains("minutes")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("raw HTML")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("## headings")), "{messages:?}");
    }

    #[test]
    fn new_lessons_get_unused_addresses_and_renames_move_the_file() {
        let added = check(course(), Edit::AddLesson { module: 1, title: "A".into() }).unwrap();
        assert_eq!(order(&added)[1], ["c", "lesson-a"]);
        let fields =
            LessonFields { slug: "b-renamed".into(), ..LessonFields::of(&course().modules[0].lessons[1]) };
        let renamed = check(course(), Edit::Lesson { slug: "b".into(), fields }).unwrap();
        assert_eq!(renamed.modules[0].lessons[1].path, "lessons/b-renamed.md");
        let fields = LessonFields { slug: "c".into(), ..LessonFields::of(&course().modules[0].lessons[1]) };
        assert!(
            check(course(), Edit::Lesson { slug: "b".into(), fields }).is_err(),
            "two lessons at one address"
        );
        assert_eq!(slugify("Prévention: les 5 moments!"), "prevention-les-5-moments");
    }

    #[test]
    fn a_quiz_is_edited_as_its_file_and_errors_keep_their_lines() {
        let text = "title = \"Check\"\npass_mark = 80\nmax_attempts = 2\n\n[[questions]]\nkind = \"true_false\"\nprompt = \"Pick\"\noptions = [\n  { text = \"True\", correct = true, feedback = \"Right.\" },\n  { text = \"False\", correct = false, feedback = \"No.\" },\n]\n";
        let with_quiz = check(course(), Edit::Quiz { module: 0, text: text.into() }).unwrap();
        let quiz = with_quiz.modules[0].quiz.as_ref().unwrap();
        assert_eq!((quiz.title.as_str(), quiz.questions.len()), ("Check", 1));
        assert_eq!(quiz_text(&with_quiz, 0).as_deref().map(|t| t.contains("Pick")), Some(true));
        let broken = text.replace("correct = true", "correct = false");
        let problems = check(course(), Edit::Quiz { module: 0, text: broken }).unwrap_err();
        assert!(problems.iter().any(|p| p.file == "quizzes/module-1.toml" && p.line >= 4), "{problems:?}");
    }
}
