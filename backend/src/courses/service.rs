//! The courses feature's use cases over the database: importing a package as a published
//! version, the catalogue, a course's outline and its lessons. No actix types.

use super::entity::{
    course, course_module, course_version, lesson, lesson_media, media_object, question, question_option,
    quiz, version_event,
};
use super::package::{
    CompetencyLevel, LessonSpec, ModuleSpec, OptionSpec, Package, Problem, QuestionSpec, QuizSpec,
};
use super::render::{Images, render_lesson};
use crate::accounts::entity::organisation;
use crate::accounts::model::OrgKind;
use crate::media::Media;
use crate::platform::clock::SharedClock;
use crate::platform::db::Db;
use crate::platform::ui::precompressed::{PageCache, Precompressed};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Why a courses operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CoursesError {
    #[error("the package has {} problem(s)", .0.len())]
    Package(Vec<Problem>),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// A transition that does not apply now; the message is a translation key.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("media store: {0}")]
    Storage(#[from] opendal::Error),
    #[error(transparent)]
    Media(#[from] crate::media::MediaError),
    #[error(transparent)]
    Pack(#[from] super::pack::PackError),
}

type Result<T, E = CoursesError> = std::result::Result<T, E>;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// A new published version with this number.
    Published { course_id: i32, version: i32 },
    /// A new draft version with this number, waiting for review.
    Draft { course_id: i32, version: i32 },
    /// The package equals the published version: nothing written.
    Unchanged { course_id: i32, version: i32 },
}

impl Imported {
    /// The number of the version concerned.
    pub fn version(&self) -> i32 {
        match self {
            Self::Published { version, .. }
            | Self::Draft { version, .. }
            | Self::Unchanged { version, .. } => *version,
        }
    }
}

/// A course version as a catalogue card.
fn card(
    course: &course::Model,
    version: &course_version::Model,
    organisations: &HashMap<i32, String>,
) -> CourseCard {
    CourseCard {
        slug: course.slug.clone(),
        title: version.title.clone(),
        summary: version.summary.clone(),
        language: version.language.clone(),
        professions: split(&version.professions),
        topics: split(&version.topics),
        minutes: version.minutes,
        credits_hundredths: version.credits_hundredths,
        organisation: organisations.get(&course.organisation_id).cloned().unwrap_or_default(),
    }
}

/// A published course as search indexes it: its description and its lessons as plain text.
#[derive(Clone, Debug)]
pub struct PublishedCourse {
    pub card: CourseCard,
    pub objectives: Vec<String>,
    /// Competency codes the version evidences.
    pub competencies: Vec<String>,
    pub lessons: Vec<SearchLesson>,
}

/// A published lesson as search indexes it.
#[derive(Clone, Debug)]
pub struct SearchLesson {
    pub slug: String,
    pub title: String,
    /// The lesson without its Markdown.
    pub text: String,
    pub competencies: Vec<String>,
}

/// The codes of a stored `[{code, level}]` list.
fn competency_codes(json: &str) -> Vec<String> {
    let levels: Vec<CompetencyLevel> = serde_json::from_str(json).unwrap_or_default();
    levels.into_iter().map(|c| c.code).collect()
}

/// A course as the catalogue lists it.
#[derive(Clone, Debug)]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub language: String,
    pub professions: Vec<String>,
    pub topics: Vec<String>,
    pub minutes: i32,
    pub credits_hundredths: i32,
    pub organisation: String,
}

/// Catalogue filters (empty means any).
#[derive(Clone, Debug, Default)]
pub struct CatalogueFilter {
    pub profession: String,
    pub topic: String,
    pub language: String,
}

/// A published course with its outline.
#[derive(Clone, Debug)]
pub struct CourseOutline {
    pub course: course::Model,
    pub version: course_version::Model,
    pub organisation: String,
    pub objectives: Vec<String>,
    pub modules: Vec<ModuleOutline>,
    /// Bytes of the media a course pack of this version carries (originals and variants);
    /// 0 unless the version is published.
    pub pack_media_bytes: u64,
}

#[derive(Clone, Debug)]
pub struct ModuleOutline {
    pub title: String,
    pub lessons: Vec<LessonLink>,
    pub quiz: Option<(i32, String, usize)>,
}

/// A lesson's address and title, for lists and previous/next links.
#[derive(Clone, Debug)]
pub struct LessonLink {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub minutes: i32,
}

/// A media file of a package once checked, stored and recorded.
pub(super) struct StoredMedia {
    path: String,
    object_id: i32,
}

/// The columns of a version that come from its package.
pub(super) fn version_fields(package: &Package) -> course_version::ActiveModel {
    course_version::ActiveModel {
        title: Set(package.title.clone()),
        summary: Set(package.summary.clone()),
        language: Set(package.language.clone()),
        professions: Set(csv(&package.professions)),
        topics: Set(csv(&package.topics)),
        minutes: Set(package.minutes),
        licence: Set(package.licence.clone()),
        credits_hundredths: Set(package.credits_hundredths),
        objectives: Set(serde_json::to_string(&package.objectives).unwrap_or_default()),
        competencies: Set(serde_json::to_string(&package.competencies).unwrap_or_default()),
        content_hash: Set(package.fingerprint()),
        ..Default::default()
    }
}

/// A course pack ready to send.
#[derive(Clone, Debug)]
pub struct CoursePack {
    pub bytes: Vec<u8>,
    /// `<slug>-v<number>.zip`.
    pub file_name: String,
    pub etag: String,
}

/// The courses service.
#[derive(Clone)]
pub struct Courses {
    db: Db,
    clock: SharedClock,
    media: Media,
    /// Outlines of published and retired versions by version id. Such a version never changes,
    /// so an entry never goes stale, and every replica may keep its own.
    outlines: Arc<RwLock<HashMap<i32, CourseOutline>>>,
    /// Courses by slug, each kept for [`COURSE_TTL`]: which version is published changes rarely,
    /// and another server's publication is seen within that time (this server's at once).
    courses: Arc<RwLock<HashMap<String, (Instant, course::Model)>>>,
    /// Lesson pages as anonymous visitors see them, precompressed.
    public_pages: Arc<PageCache>,
    /// Told of completions and quiz results (see [`super::events`]).
    listeners: Arc<Vec<Arc<dyn super::events::LearningListener>>>,
}

/// How long a course looked up by slug is trusted before it is read again.
const COURSE_TTL: Duration = Duration::from_secs(1);

/// Memory for precompressed public lesson pages (about 8 KB each, both encodings).
const PUBLIC_PAGES_BYTES: u64 = 64 * 1024 * 1024;

/// A lesson as its page shows it.
#[derive(Clone, Debug)]
pub struct LessonView {
    pub outline: CourseOutline,
    pub lesson: lesson::Model,
    /// Whether the learner read it; `None` for a visitor who is not enrolled.
    pub read: Option<bool>,
}

/// A lesson row with whether the learner read it, in one query.
#[derive(Debug, sea_orm::FromQueryResult)]
struct LessonRead {
    #[sea_orm(nested)]
    lesson: lesson::Model,
    read: Option<bool>,
}

fn csv(items: &[String]) -> String {
    items.join(",")
}

fn split(text: &str) -> Vec<String> {
    text.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Courses {
    pub fn new(db: Db, clock: SharedClock, media: Media) -> Self {
        Self {
            db,
            clock,
            media,
            outlines: Arc::default(),
            courses: Arc::default(),
            public_pages: Arc::new(PageCache::new(PUBLIC_PAGES_BYTES)),
            listeners: Arc::default(),
        }
    }

    /// Tells `listener` of every completion and quiz result from now on.
    pub fn with_listener(mut self, listener: Arc<dyn super::events::LearningListener>) -> Self {
        let mut listeners: Vec<_> = self.listeners.iter().cloned().collect();
        listeners.push(listener);
        self.listeners = Arc::new(listeners);
        self
    }

    /// Tells every listener of `event`, in `txn`.
    pub(super) async fn tell(
        &self,
        txn: &DatabaseTransaction,
        event: super::events::LearningEvent,
    ) -> Result<()> {
        for listener in self.listeners.iter() {
            listener.record(txn, &event).await?;
        }
        Ok(())
    }

    /// A course by its slug from the short-lived cache (see [`COURSE_TTL`]).
    async fn course_cached(&self, slug: &str) -> Result<course::Model> {
        let now = Instant::now();
        if let Some((at, course)) = self.courses.read().ok().and_then(|map| map.get(slug).cloned())
            && now.duration_since(at) < COURSE_TTL
        {
            return Ok(course);
        }
        let course = self.course_by_slug(slug).await?;
        if let Ok(mut map) = self.courses.write() {
            map.insert(slug.to_owned(), (now, course.clone()));
        }
        Ok(course)
    }

    /// Forgets cached courses: a version was just published here.
    fn forget_courses(&self) {
        if let Ok(mut map) = self.courses.write() {
            map.clear();
        }
    }

    /// A course by its slug.
    pub(super) async fn course_by_slug(&self, slug: &str) -> Result<course::Model> {
        course::Entity::find()
            .filter(course::Column::Slug.eq(slug))
            .one(self.db.read())
            .await?
            .ok_or(CoursesError::NotFound)
    }

    pub(super) fn media(&self) -> &Media {
        &self.media
    }

    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    pub(super) fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// Imports a checked package as the next published version of its course. All of it is
    /// written in one transaction; media go to the store first (content-addressed, so a failed
    /// import leaves at most unreferenced objects, never a half-written course).
    pub async fn import_package(&self, package: &Package, actor: Option<i32>) -> Result<Imported> {
        self.store_package(package, actor, true).await
    }

    /// Stores a checked package as the next version of its course: published at once (operator
    /// imports), or as a draft that goes through review (uploads by authors). A package equal to
    /// the published version writes nothing.
    pub async fn store_package(
        &self,
        package: &Package,
        actor: Option<i32>,
        publish: bool,
    ) -> Result<Imported> {
        let (organisation, existing) = self.target_of(package).await?;
        if let Some(published) = existing.as_ref().and_then(|c| c.published_version_id) {
            let version = course_version::Entity::find_by_id(published).one(self.db.read()).await?;
            if let Some(version) = version.filter(|v| v.content_hash == package.fingerprint()) {
                return Ok(Imported::Unchanged { course_id: version.course_id, version: version.number });
            }
        }
        let action = if publish { "imported" } else { "uploaded" };
        self.insert_version(package, organisation.id, existing, actor, action, publish).await
    }

    /// The association a package names and its course if the slug exists: refused when the
    /// association is unknown or the slug belongs to another organisation's course.
    pub(super) async fn target_of(
        &self,
        package: &Package,
    ) -> Result<(organisation::Model, Option<course::Model>)> {
        let organisation = organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(&package.association))
            .one(self.db.read())
            .await?
            .filter(|o| o.kind == OrgKind::Association.as_str());
        let Some(organisation) = organisation else {
            return Err(CoursesError::Package(vec![Problem {
                file: "course.toml".into(),
                line: 0,
                message: format!(
                    "association: \"{}\" is not an association on this Lantern",
                    package.association
                ),
            }]));
        };
        let existing =
            course::Entity::find().filter(course::Column::Slug.eq(&package.slug)).one(self.db.read()).await?;
        if existing.as_ref().is_some_and(|c| c.organisation_id != organisation.id) {
            return Err(CoursesError::Package(vec![Problem {
                file: "course.toml".into(),
                line: 0,
                message: format!(
                    "slug: \"{}\" is already used by another organisation's course",
                    package.slug
                ),
            }]));
        }
        Ok((organisation, existing))
    }

    /// Writes a package as the next version of its course (creating the course if need be), in
    /// one transaction; media go to the store first (content-addressed, so a failed write leaves
    /// at most unreferenced objects, never a half-written course).
    pub(super) async fn insert_version(
        &self,
        package: &Package,
        organisation_id: i32,
        existing: Option<course::Model>,
        actor: Option<i32>,
        action: &str,
        publish: bool,
    ) -> Result<Imported> {
        let media = self.store_media(package).await?;
        if publish {
            let ids: Vec<i32> = media.iter().map(|m| m.object_id).collect();
            self.media.ensure_variants(&ids).await?;
        }
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let course = match existing {
            Some(course) => course,
            None => {
                course::ActiveModel {
                    slug: Set(package.slug.clone()),
                    organisation_id: Set(organisation_id),
                    created_by: Set(actor),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        let number = course_version::Entity::find()
            .filter(course_version::Column::CourseId.eq(course.id))
            .order_by_desc(course_version::Column::Number)
            .one(&txn)
            .await?
            .map_or(1, |v| v.number + 1);
        let mut row = version_fields(package);
        row.course_id = Set(course.id);
        row.number = Set(number);
        row.status = Set("draft".into());
        row.change_note = Set(String::new());
        row.created_by = Set(actor);
        row.created_at = Set(now);
        row.published_at = Set(None);
        let version = row.insert(&txn).await?;
        self.insert_contents(&txn, version.id, package, media).await?;
        version_event::ActiveModel {
            version_id: Set(version.id),
            actor_id: Set(actor),
            action: Set(action.to_owned()),
            comment: Set(String::new()),
            at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if publish {
            self.publish_in(&txn, version.id, actor).await?;
        }
        txn.commit().await?;
        Ok(if publish {
            Imported::Published { course_id: course.id, version: number }
        } else {
            Imported::Draft { course_id: course.id, version: number }
        })
    }

    /// Checks a package's media by their content and size, makes them fit for phones
    /// (`Media::prepare`) and puts them in the store. Every refused file is named; nothing is
    /// recorded unless all pass.
    pub(super) async fn store_media(&self, package: &Package) -> Result<Vec<StoredMedia>> {
        let mut prepared = Vec::new();
        let mut problems = Vec::new();
        for (path, bytes) in &package.media {
            match self.media.prepare(path, bytes.clone()).await {
                Ok(file) => prepared.push((path.clone(), file)),
                Err(crate::media::MediaError::Refused(message)) => {
                    let message = message.strip_prefix(path.as_str()).unwrap_or(&message);
                    let message = message.trim_start_matches([':', ' ']).trim_start_matches("is ");
                    problems.push(Problem { file: path.clone(), line: 0, message: message.to_owned() });
                }
                Err(error) => return Err(error.into()),
            }
        }
        if !problems.is_empty() {
            return Err(CoursesError::Package(problems));
        }
        // Objects are recorded before the version that uses them, each on its own: like the
        // stored bytes, an object no version refers to is harmless, and publishing can make the
        // variants it needs before its own transaction starts.
        let mut stored = Vec::with_capacity(prepared.len());
        for (path, mut file) in prepared {
            let sha256 = self.media.store(&mut file).await?;
            let object = self.media.record(self.db.write(), &sha256, &file).await?;
            stored.push(StoredMedia { path, object_id: object.id });
        }
        self.media.wake();
        Ok(stored)
    }

    /// Writes a version's modules, lessons, quizzes and media links.
    pub(super) async fn insert_contents(
        &self,
        txn: &DatabaseTransaction,
        version_id: i32,
        package: &Package,
        media: Vec<StoredMedia>,
    ) -> Result<()> {
        for StoredMedia { path, object_id } in media {
            lesson_media::ActiveModel {
                version_id: Set(version_id),
                path: Set(path),
                media_id: Set(object_id),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }

        let mut position = 0;
        for (module_index, module) in package.modules.iter().enumerate() {
            let module_row = course_module::ActiveModel {
                version_id: Set(version_id),
                position: Set(i32::try_from(module_index).unwrap_or(0)),
                title: Set(module.title.clone()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            for lesson in &module.lessons {
                position += 1;
                let mut hasher = Sha256::new();
                hasher.update(lesson.title.as_bytes());
                hasher.update([0]);
                hasher.update(lesson.markdown.as_bytes());
                lesson::ActiveModel {
                    version_id: Set(version_id),
                    module_id: Set(module_row.id),
                    position: Set(position),
                    slug: Set(lesson.slug.clone()),
                    title: Set(lesson.title.clone()),
                    minutes: Set(lesson.minutes),
                    markdown: Set(lesson.markdown.clone()),
                    // Rendered when the version is published.
                    html: Set(None),
                    content_hash: Set(hex(&hasher.finalize())),
                    competencies: Set(serde_json::to_string(&lesson.competencies).unwrap_or_default()),
                    clinical_change: Set(lesson.clinical_change.clone()),
                    source_path: Set(lesson.path.clone()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
            }
            if let Some(spec) = &module.quiz {
                let quiz_row = quiz::ActiveModel {
                    version_id: Set(version_id),
                    module_id: Set(module_row.id),
                    title: Set(spec.title.clone()),
                    pass_mark: Set(spec.pass_mark),
                    max_attempts: Set(spec.max_attempts),
                    source_path: Set(spec.path.clone()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                for (index, q) in spec.questions.iter().enumerate() {
                    let question_row = question::ActiveModel {
                        quiz_id: Set(quiz_row.id),
                        position: Set(i32::try_from(index).unwrap_or(0)),
                        kind: Set(q.kind.clone()),
                        prompt: Set(q.prompt.clone()),
                        competencies: Set(serde_json::to_string(&q.competencies).unwrap_or_default()),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                    for (index, option) in q.options.iter().enumerate() {
                        question_option::ActiveModel {
                            question_id: Set(question_row.id),
                            position: Set(i32::try_from(index).unwrap_or(0)),
                            text: Set(option.text.clone()),
                            correct: Set(option.correct),
                            feedback: Set(option.feedback.clone()),
                            ..Default::default()
                        }
                        .insert(txn)
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Publishes a version inside the caller's transaction: renders and sanitises every lesson
    /// once, retires the version published before, points the course at this one and records it.
    pub(super) async fn publish_in(
        &self,
        txn: &DatabaseTransaction,
        version_id: i32,
        actor: Option<i32>,
    ) -> Result<course_version::Model> {
        let now = self.clock.now();
        let version =
            course_version::Entity::find_by_id(version_id).one(txn).await?.ok_or(CoursesError::NotFound)?;
        let media = media_map(txn, &self.media, version.id).await?;
        let lessons =
            lesson::Entity::find().filter(lesson::Column::VersionId.eq(version.id)).all(txn).await?;
        for lesson in lessons {
            let html = render_lesson(&lesson.markdown, &version.language, &media, Images::Shown);
            let saver = render_lesson(&lesson.markdown, &version.language, &media, Images::Saver);
            let mut row: lesson::ActiveModel = lesson.into();
            row.html = Set(Some(html));
            row.html_saver = Set(Some(saver));
            row.update(txn).await?;
        }
        course_version::Entity::update_many()
            .col_expr(course_version::Column::Status, sea_orm::sea_query::Expr::value("retired"))
            .filter(course_version::Column::CourseId.eq(version.course_id))
            .filter(course_version::Column::Status.eq("published"))
            .exec(txn)
            .await?;
        let mut row: course_version::ActiveModel = version.into();
        row.status = Set("published".into());
        row.published_at = Set(Some(now));
        let version = row.update(txn).await?;
        self.forget_courses();
        if let Some(course) = course::Entity::find_by_id(version.course_id).one(txn).await? {
            crate::platform::changes::record(txn, format!("course:{}", course.slug), now).await?;
        }
        course::Entity::update_many()
            .col_expr(course::Column::PublishedVersionId, sea_orm::sea_query::Expr::value(Some(version.id)))
            .filter(course::Column::Id.eq(version.course_id))
            .exec(txn)
            .await?;
        version_event::ActiveModel {
            version_id: Set(version.id),
            actor_id: Set(actor),
            action: Set("published".into()),
            comment: Set(String::new()),
            at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        Ok(version)
    }

    /// The published version of a course as a package, ready to be written back out.
    pub async fn export(&self, slug: &str) -> Result<Package> {
        let course = self.course_by_slug(slug).await?;
        let version_id = course.published_version_id.ok_or(CoursesError::NotFound)?;
        let version = course_version::Entity::find_by_id(version_id)
            .one(self.db.read())
            .await?
            .ok_or(CoursesError::NotFound)?;
        self.package_of_version(course, version).await
    }

    /// The course pack of the published version (`courses::pack`): its bytes, the file name it
    /// is saved under and its ETag (the bytes' SHA-256, since the same version always gives the
    /// same bytes). Built in memory each time: packs are downloaded to be shared, rarely.
    pub async fn pack(&self, slug: &str) -> Result<CoursePack> {
        use super::pack::{PackSource, build, media_urls, variant_key};
        let course = self.course_cached(slug).await?;
        let version_id = course.published_version_id.ok_or(CoursesError::NotFound)?;
        let (version, organisation) = self.version_and_organisation(&course, version_id).await?;
        let db = self.db.read();
        let lesson_html: HashMap<String, String> = lesson::Entity::find()
            .filter(lesson::Column::VersionId.eq(version.id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.slug, l.html.unwrap_or_default()))
            .collect();
        let mut variants = std::collections::BTreeMap::new();
        for url in media_urls(lesson_html.values()) {
            let Some(name) = url.variant else { continue };
            if let Some(served) = self.media.variant(&url.sha256, &name).await? {
                variants
                    .insert(variant_key(&url.sha256, &name), self.media.storage().get(&served.sha256).await?);
            }
        }
        let number = version.number;
        let published_at = version.published_at.unwrap_or(version.created_at);
        let package = self.package_of_version(course, version).await?;
        // Deflating the pages and hashing every file is CPU work: off the async threads.
        let (package, bytes) = tokio::task::spawn_blocking(move || {
            let source = PackSource {
                package: &package,
                version: number,
                organisation: &organisation,
                published_at,
                lesson_html: &lesson_html,
                variants: &variants,
                stylesheet: crate::platform::ui::assets::stylesheet_text(),
            };
            build(&source).map(|bytes| (package, bytes))
        })
        .await
        .map_err(|e| CoursesError::Pack(super::pack::PackError::Io(std::io::Error::other(e))))??;
        Ok(CoursePack {
            etag: format!("\"{}\"", hex(&Sha256::digest(&bytes))),
            file_name: format!("{}-v{number}.zip", package.slug),
            bytes,
        })
    }

    /// Any version of a course as a package: what export writes and what the editor edits.
    pub(super) async fn package_of_version(
        &self,
        course: course::Model,
        version: course_version::Model,
    ) -> Result<Package> {
        let db = self.db.read();
        let association = organisation::Entity::find_by_id(course.organisation_id)
            .one(db)
            .await?
            .map(|o| o.slug)
            .unwrap_or_default();
        let modules = course_module::Entity::find()
            .filter(course_module::Column::VersionId.eq(version.id))
            .order_by_asc(course_module::Column::Position)
            .all(db)
            .await?;
        let lessons = lesson::Entity::find()
            .filter(lesson::Column::VersionId.eq(version.id))
            .order_by_asc(lesson::Column::Position)
            .all(db)
            .await?;
        let quizzes = quiz::Entity::find().filter(quiz::Column::VersionId.eq(version.id)).all(db).await?;
        let mut module_specs = Vec::new();
        for module in &modules {
            let quiz = match quizzes.iter().find(|q| q.module_id == module.id) {
                Some(quiz) => {
                    let questions = question::Entity::find()
                        .filter(question::Column::QuizId.eq(quiz.id))
                        .order_by_asc(question::Column::Position)
                        .all(db)
                        .await?;
                    let mut specs = Vec::new();
                    for q in questions {
                        let options = question_option::Entity::find()
                            .filter(question_option::Column::QuestionId.eq(q.id))
                            .order_by_asc(question_option::Column::Position)
                            .all(db)
                            .await?;
                        specs.push(QuestionSpec {
                            kind: q.kind,
                            prompt: q.prompt,
                            competencies: serde_json::from_str(&q.competencies).unwrap_or_default(),
                            options: options
                                .into_iter()
                                .map(|o| OptionSpec {
                                    text: o.text,
                                    correct: o.correct,
                                    feedback: o.feedback,
                                })
                                .collect(),
                        });
                    }
                    Some(QuizSpec {
                        path: quiz.source_path.clone(),
                        title: quiz.title.clone(),
                        pass_mark: quiz.pass_mark,
                        max_attempts: quiz.max_attempts,
                        questions: specs,
                    })
                }
                None => None,
            };
            module_specs.push(ModuleSpec {
                title: module.title.clone(),
                lessons: lessons
                    .iter()
                    .filter(|l| l.module_id == module.id)
                    .map(|l| LessonSpec {
                        path: l.source_path.clone(),
                        slug: l.slug.clone(),
                        title: l.title.clone(),
                        minutes: l.minutes,
                        competencies: serde_json::from_str::<Vec<CompetencyLevel>>(&l.competencies)
                            .unwrap_or_default(),
                        clinical_change: l.clinical_change.clone(),
                        markdown: l.markdown.clone(),
                    })
                    .collect(),
                quiz,
            });
        }
        let mut media = std::collections::BTreeMap::new();
        let links = lesson_media::Entity::find()
            .filter(lesson_media::Column::VersionId.eq(version.id))
            .all(db)
            .await?;
        for link in links {
            let object = media_object::Entity::find_by_id(link.media_id)
                .one(db)
                .await?
                .ok_or(CoursesError::NotFound)?;
            media.insert(link.path, self.media.storage().get(&object.sha256).await?);
        }
        Ok(Package {
            slug: course.slug,
            title: version.title,
            summary: version.summary,
            language: version.language,
            association,
            professions: split(&version.professions),
            topics: split(&version.topics),
            minutes: version.minutes,
            licence: version.licence,
            credits_hundredths: version.credits_hundredths,
            objectives: serde_json::from_str(&version.objectives).unwrap_or_default(),
            competencies: serde_json::from_str(&version.competencies).unwrap_or_default(),
            modules: module_specs,
            media,
        })
    }

    /// How many courses exist.
    pub async fn count(&self) -> Result<u64> {
        use sea_orm::PaginatorTrait;
        Ok(course::Entity::find().count(self.db.read()).await?)
    }

    /// Published courses matching the filter, by title.
    pub async fn catalogue(&self, filter: &CatalogueFilter) -> Result<Vec<CourseCard>> {
        let rows = course::Entity::find()
            .filter(course::Column::PublishedVersionId.is_not_null())
            .all(self.db.read())
            .await?;
        let version_ids: Vec<i32> = rows.iter().filter_map(|c| c.published_version_id).collect();
        let versions = course_version::Entity::find()
            .filter(course_version::Column::Id.is_in(version_ids))
            .all(self.db.read())
            .await?;
        let organisations: HashMap<i32, String> = organisation::Entity::find()
            .all(self.db.read())
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mut cards: Vec<CourseCard> = rows
            .iter()
            .filter_map(|course| {
                let version = versions.iter().find(|v| Some(v.id) == course.published_version_id)?;
                Some(card(course, version, &organisations))
            })
            .filter(|card| filter.profession.is_empty() || card.professions.contains(&filter.profession))
            .filter(|card| filter.topic.is_empty() || card.topics.contains(&filter.topic))
            .filter(|card| filter.language.is_empty() || card.language == filter.language)
            .collect();
        cards.sort_by_key(|card| card.title.to_lowercase());
        Ok(cards)
    }

    /// Published courses as search indexes them: one course by slug, or every course. A course
    /// that is not (or no longer) published gives nothing.
    pub async fn published_for_search(&self, slug: Option<&str>) -> Result<Vec<PublishedCourse>> {
        let db = self.db.read();
        let mut query = course::Entity::find().filter(course::Column::PublishedVersionId.is_not_null());
        if let Some(slug) = slug {
            query = query.filter(course::Column::Slug.eq(slug));
        }
        let courses = query.order_by_asc(course::Column::Id).all(db).await?;
        let organisations: HashMap<i32, String> =
            organisation::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.name)).collect();
        let mut out = Vec::new();
        for course in courses {
            let Some(version_id) = course.published_version_id else { continue };
            let Some(version) = course_version::Entity::find_by_id(version_id).one(db).await? else {
                continue;
            };
            let lessons = lesson::Entity::find()
                .filter(lesson::Column::VersionId.eq(version_id))
                .order_by_asc(lesson::Column::Position)
                .all(db)
                .await?
                .into_iter()
                .map(|l| SearchLesson {
                    text: super::render::plain_text(&l.markdown),
                    competencies: competency_codes(&l.competencies),
                    slug: l.slug,
                    title: l.title,
                })
                .collect();
            out.push(PublishedCourse {
                card: card(&course, &version, &organisations),
                objectives: serde_json::from_str(&version.objectives).unwrap_or_default(),
                competencies: competency_codes(&version.competencies),
                lessons,
            });
        }
        Ok(out)
    }

    /// A course and the outline of the version this visitor reads: their enrolment's, else the
    /// published one.
    pub async fn outline(&self, slug: &str, account_id: Option<i32>) -> Result<CourseOutline> {
        let course = self.course_cached(slug).await?;
        let version_id = self.version_for(account_id, &course).await?;
        self.outline_of(course, version_id).await
    }

    /// The outline of a given version (drafts included), for authors and reviewers.
    pub async fn outline_of_version(&self, course: course::Model, version_id: i32) -> Result<CourseOutline> {
        self.load_outline(course, version_id).await
    }

    /// A learner-facing outline: from memory once its version has been published.
    async fn outline_of(&self, course: course::Model, version_id: i32) -> Result<CourseOutline> {
        if let Some(cached) = self.outlines.read().ok().and_then(|map| map.get(&version_id).cloned()) {
            return Ok(CourseOutline { course, ..cached });
        }
        let outline = self.load_outline(course, version_id).await?;
        if matches!(outline.version.status.as_str(), "published" | "retired")
            && let Ok(mut map) = self.outlines.write()
        {
            map.insert(version_id, outline.clone());
        }
        Ok(outline)
    }

    /// A version of a course and the name of the organisation that owns the course.
    async fn version_and_organisation(
        &self,
        course: &course::Model,
        version_id: i32,
    ) -> Result<(course_version::Model, String)> {
        let db = self.db.read();
        let version =
            course_version::Entity::find_by_id(version_id).one(db).await?.ok_or(CoursesError::NotFound)?;
        let organisation = organisation::Entity::find_by_id(course.organisation_id)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        Ok((version, organisation))
    }

    async fn load_outline(&self, course: course::Model, version_id: i32) -> Result<CourseOutline> {
        let (version, organisation) = self.version_and_organisation(&course, version_id).await?;
        let db = self.db.read();
        let modules = course_module::Entity::find()
            .filter(course_module::Column::VersionId.eq(version.id))
            .order_by_asc(course_module::Column::Position)
            .all(db)
            .await?;
        // One read of the lesson table and one of the question counts, whatever the course's size.
        let lessons = lesson_links(db, version.id).await?;
        let quizzes = quiz::Entity::find().filter(quiz::Column::VersionId.eq(version.id)).all(db).await?;
        let question_counts: HashMap<i32, i64> = {
            use sea_orm::QuerySelect;
            question::Entity::find()
                .select_only()
                .column(question::Column::QuizId)
                .column_as(question::Column::Id.count(), "questions")
                .filter(question::Column::QuizId.is_in(quizzes.iter().map(|q| q.id)))
                .group_by(question::Column::QuizId)
                .into_tuple::<(i32, i64)>()
                .all(db)
                .await?
                .into_iter()
                .collect()
        };
        let outline_modules = modules
            .into_iter()
            .map(|module| {
                let quiz = quizzes.iter().find(|q| q.module_id == module.id);
                ModuleOutline {
                    lessons: lessons
                        .iter()
                        .filter(|(module_id, _)| *module_id == module.id)
                        .map(|(_, l)| l.clone())
                        .collect(),
                    quiz: quiz.map(|q| {
                        let questions = question_counts.get(&q.id).copied().unwrap_or(0);
                        (q.id, q.title.clone(), usize::try_from(questions).unwrap_or(0))
                    }),
                    title: module.title,
                }
            })
            .collect();
        let objectives = serde_json::from_str(&version.objectives).unwrap_or_default();
        let pack_media_bytes = if version.status == "published" {
            media_map(db, &self.media, version.id)
                .await?
                .values()
                .map(|m| m.size + m.variants.iter().map(|v| v.size).sum::<u64>())
                .sum()
        } else {
            0
        };
        Ok(CourseOutline {
            course,
            version,
            organisation,
            objectives,
            modules: outline_modules,
            pack_media_bytes,
        })
    }

    /// A lesson of the version this visitor reads, with the version's outline for previous/next
    /// links. A learner's page costs two queries (their enrolment; the lesson with whether they
    /// read it), anyone else's one: the course and the outline come from memory.
    pub async fn lesson_view(
        &self,
        course_slug: &str,
        lesson_slug: &str,
        account_id: Option<i32>,
    ) -> Result<LessonView> {
        use sea_orm::QuerySelect;
        use sea_orm::sea_query::{Expr, ExprTrait, Query};
        let course = self.course_cached(course_slug).await?;
        let enrolment = match account_id {
            Some(account_id) => self.enrolment(account_id, course.id).await?,
            None => None,
        };
        let version_id = match &enrolment {
            Some(enrolment) => enrolment.version_id,
            None => course.published_version_id.ok_or(CoursesError::NotFound)?,
        };
        let mut query = lesson::Entity::find()
            .filter(lesson::Column::VersionId.eq(version_id))
            .filter(lesson::Column::Slug.eq(lesson_slug));
        if let Some(enrolment) = &enrolment {
            use super::entity::lesson_progress;
            let read = Query::select()
                .expr(Expr::val(1))
                .from(lesson_progress::Entity)
                .and_where(lesson_progress::Column::EnrolmentId.eq(enrolment.id))
                .and_where(
                    Expr::col((lesson_progress::Entity, lesson_progress::Column::LessonId))
                        .equals((lesson::Entity, lesson::Column::Id)),
                )
                .to_owned();
            query = query.column_as(Expr::exists(read), "read");
        } else {
            query = query.column_as(Expr::val(Option::<bool>::None), "read");
        }
        let row =
            query.into_model::<LessonRead>().one(self.db.read()).await?.ok_or(CoursesError::NotFound)?;
        let outline = self.outline_of(course, version_id).await?;
        let read = enrolment.map(|_| row.read.unwrap_or(false));
        Ok(LessonView { outline, lesson: row.lesson, read })
    }

    /// A lesson of the published version as a visitor who is not signed in sees it: rendered by
    /// `render` once per `variant` (what the page depends on besides the lesson), then served
    /// precompressed from memory. A cached page costs no query.
    pub async fn public_lesson_page(
        &self,
        course_slug: &str,
        lesson_slug: &str,
        variant: &str,
        render: impl FnOnce(&LessonView) -> String,
    ) -> Result<Arc<Precompressed>> {
        let course = self.course_cached(course_slug).await?;
        let version = course.published_version_id.ok_or(CoursesError::NotFound)?;
        let key = format!("{version}/{lesson_slug}/{variant}");
        if let Some(page) = self.public_pages.get(&key) {
            return Ok(page);
        }
        let view = self.lesson_view(course_slug, lesson_slug, None).await?;
        Ok(self.public_pages.insert(key, &render(&view)))
    }
}

/// The media of a version by package path: three queries.
pub(super) async fn media_map(
    db: &impl ConnectionTrait,
    media: &Media,
    version_id: i32,
) -> Result<super::render::MediaMap> {
    let links =
        lesson_media::Entity::find().filter(lesson_media::Column::VersionId.eq(version_id)).all(db).await?;
    let ids: Vec<i32> = links.iter().map(|l| l.media_id).collect();
    let refs = media.refs(db, &ids).await?;
    Ok(links.into_iter().filter_map(|l| Some((l.path, refs.get(&l.media_id)?.clone()))).collect())
}

/// A version's lessons in reading order, each with its module.
async fn lesson_links(db: &impl ConnectionTrait, version_id: i32) -> Result<Vec<(i32, LessonLink)>> {
    use sea_orm::QuerySelect;
    Ok(lesson::Entity::find()
        .select_only()
        .column(lesson::Column::ModuleId)
        .column(lesson::Column::Id)
        .column(lesson::Column::Slug)
        .column(lesson::Column::Title)
        .column(lesson::Column::Minutes)
        .filter(lesson::Column::VersionId.eq(version_id))
        .order_by_asc(lesson::Column::Position)
        .into_tuple::<(i32, i32, String, String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(module, id, slug, title, minutes)| (module, LessonLink { id, slug, title, minutes }))
        .collect())
}
