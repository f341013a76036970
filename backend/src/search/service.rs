//! The search service: this server's own index, kept current by following the change log
//! (`platform::changes`), rebuilt from the database when it is missing, unreadable or of an older
//! schema. The index is never the source of truth.

use crate::competencies::Competencies;
use crate::competencies::service::FrameworkView;
use crate::courses::Courses;
use crate::courses::service::PublishedCourse;
use crate::mentorship::Mentoring;
use crate::mentorship::service::MentorCard;
use crate::platform::changes::entity as change;
use crate::platform::db::Db;
use lantern_search::{Document, Request, Results, SearchError, SearchIndex};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Why search could not answer or catch up.
#[derive(Debug, thiserror::Error)]
pub enum SearchFailure {
    #[error(transparent)]
    Index(#[from] SearchError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Courses(#[from] crate::courses::service::CoursesError),
    #[error(transparent)]
    Competencies(#[from] crate::competencies::service::CompetenciesError),
    #[error(transparent)]
    Mentoring(#[from] crate::mentorship::service::MentorshipError),
    #[error("search task: {0}")]
    Task(#[from] tokio::task::JoinError),
}

type Result<T, E = SearchFailure> = std::result::Result<T, E>;

/// How often the change log is read.
const POLL: Duration = Duration::from_millis(500);
/// Changes applied per commit.
const BATCH: u64 = 500;

/// The features whose published things are documents.
pub type Sources = (Courses, Competencies, Mentoring);

#[derive(Clone)]
pub struct Search {
    index: Arc<SearchIndex>,
    db: Db,
    courses: Courses,
    competencies: Competencies,
    mentoring: Mentoring,
    /// One catch-up at a time (the worker, a test, a rebuild).
    applying: Arc<tokio::sync::Mutex<()>>,
}

/// The documents of a published course: the course and each lesson, in one group.
fn documents(course: PublishedCourse) -> Vec<Document> {
    let card = course.card;
    let group = format!("course:{}", card.slug);
    let base = Document {
        group: group.clone(),
        language: card.language.clone(),
        professions: card.professions.clone(),
        topics: card.topics.clone(),
        organisation: card.organisation.clone(),
        credits_hundredths: i64::from(card.credits_hundredths),
        ..Document::default()
    };
    let mut documents = vec![Document {
        id: group,
        kind: "course".into(),
        title: card.title.clone(),
        body: format!("{} {}", card.summary, course.objectives.join(" ")),
        url: format!("/courses/{}", card.slug),
        competencies: course.competencies,
        ..base.clone()
    }];
    for lesson in course.lessons {
        documents.push(Document {
            id: format!("lesson:{}/{}", card.slug, lesson.slug),
            kind: "lesson".into(),
            title: lesson.title,
            body: lesson.text,
            url: format!("/courses/{}/lessons/{}", card.slug, lesson.slug),
            competencies: lesson.competencies,
            ..base.clone()
        });
    }
    documents
}

/// The documents of a published framework: one per competency, in the framework's group.
fn framework_documents(view: &FrameworkView) -> Vec<Document> {
    let slug = &view.spec.slug;
    let group = format!("framework:{slug}");
    view.spec
        .competencies()
        .map(|(domain, c)| Document {
            id: format!("competency:{slug}/{}", c.code),
            group: group.clone(),
            kind: "competency".into(),
            language: view.spec.language.clone(),
            title: format!("{} {}", c.code, c.title),
            body: format!("{}. {}", domain.title, c.description),
            url: format!("/frameworks/{slug}#{}", c.code),
            professions: c.professions.clone(),
            topics: Vec::new(),
            competencies: vec![c.code.clone()],
            organisation: view.organisation.clone(),
            credits_hundredths: 0,
        })
        .collect()
}

/// The document of an opted-in mentor: who they are, what they offer, in which languages. It
/// leads to a mentor request for what they offer (matching, not a direct contact, pairs people).
fn mentor_document(mentor: MentorCard) -> Document {
    let want: Vec<String> = mentor.codes.iter().map(|c| format!("want={c}:1")).collect();
    Document {
        id: format!("mentor:{}", mentor.account_id),
        group: format!("mentor:{}", mentor.account_id),
        kind: "mentor".into(),
        language: mentor.languages.first().cloned().unwrap_or_default(),
        title: mentor.name,
        body: format!("{} {}", mentor.offers.join(". "), mentor.about),
        url: format!("/me/mentoring/request?{}", want.join("&")),
        professions: mentor.professions,
        topics: Vec::new(),
        competencies: mentor.codes,
        organisation: String::new(),
        credits_hundredths: 0,
    }
}

impl Search {
    /// Opens (or creates) the index in `dir`.
    pub fn open(dir: &Path, db: Db, (courses, competencies, mentoring): Sources) -> Result<Self> {
        let index = SearchIndex::open_or_create(dir)?;
        Ok(Self { index: Arc::new(index), db, courses, competencies, mentoring, applying: Arc::default() })
    }

    /// Rebuilds the whole index from the database, reporting (done, total) courses as it goes.
    /// Changes recorded while it runs are applied by the next catch-up.
    pub async fn rebuild(&self, progress: impl Fn(usize, usize)) -> Result<usize> {
        let _turn = self.applying.lock().await;
        let position = self.last_change().await?;
        let courses = self.courses.published_for_search(None).await?;
        let total = courses.len();
        let index = Arc::clone(&self.index);
        let mut all = Vec::new();
        for (done, course) in courses.into_iter().enumerate() {
            all.extend(documents(course));
            progress(done + 1, total);
        }
        for view in self.competencies.published_for_search(None).await? {
            all.extend(framework_documents(&view));
        }
        all.extend(self.mentoring.mentors_for_search(None).await?.into_iter().map(mentor_document));
        let count = tokio::task::spawn_blocking(move || index.replace_all(all, position)).await??;
        Ok(count)
    }

    /// Applies the changes recorded since the index's position; a new index is rebuilt first.
    /// Returns how many changes were applied.
    pub async fn catch_up(&self) -> Result<usize> {
        if self.index.position().is_none() {
            self.rebuild(|_, _| {}).await?;
        }
        let _turn = self.applying.lock().await;
        let mut applied = 0;
        loop {
            let from = i32::try_from(self.index.position().unwrap_or(0)).unwrap_or(i32::MAX);
            let changes = change::Entity::find()
                .filter(change::Column::Id.gt(from))
                .order_by_asc(change::Column::Id)
                .limit(BATCH)
                .all(self.db.read())
                .await?;
            let Some(last) = changes.last().map(|c| c.id) else { return Ok(applied) };
            let mut groups: Vec<String> = changes.iter().map(|c| c.document_group.clone()).collect();
            groups.sort();
            groups.dedup();
            let mut updates = Vec::new();
            for group in &groups {
                let documents = if let Some(slug) = group.strip_prefix("course:") {
                    self.courses
                        .published_for_search(Some(slug))
                        .await?
                        .into_iter()
                        .flat_map(documents)
                        .collect()
                } else if let Some(slug) = group.strip_prefix("framework:") {
                    self.competencies
                        .published_for_search(Some(slug))
                        .await?
                        .iter()
                        .flat_map(framework_documents)
                        .collect()
                } else if let Some(id) = group.strip_prefix("mentor:").and_then(|id| id.parse().ok()) {
                    self.mentoring
                        .mentors_for_search(Some(id))
                        .await?
                        .into_iter()
                        .map(mentor_document)
                        .collect()
                } else {
                    Vec::new()
                };
                updates.push((group.clone(), documents));
            }
            let index = Arc::clone(&self.index);
            tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
                for (group, documents) in updates {
                    index.delete_group(&group)?;
                    for document in documents {
                        index.add(document)?;
                    }
                }
                index.commit(u64::try_from(last).unwrap_or(0))
            })
            .await??;
            applied += changes.len();
        }
    }

    async fn last_change(&self) -> Result<u64> {
        let last: Option<i32> = change::Entity::find()
            .select_only()
            .column_as(change::Column::Id.max(), "last")
            .into_tuple::<Option<i32>>()
            .one(self.db.read())
            .await?
            .flatten();
        Ok(last.map_or(0, |id| u64::try_from(id).unwrap_or(0)))
    }

    /// Follows the change log until `stopped` turns true.
    pub async fn run(self, mut stopped: watch::Receiver<bool>) {
        loop {
            if let Err(error) = self.catch_up().await {
                tracing::warn!(%error, "search index: catching up failed; retrying");
            }
            tokio::select! {
                _ = tokio::time::sleep(POLL) => {}
                _ = stopped.changed() => return,
            }
        }
    }

    /// Answers a query, off the async threads.
    pub async fn search(&self, request: Request) -> Result<Results> {
        let index = Arc::clone(&self.index);
        Ok(tokio::task::spawn_blocking(move || index.search(&request)).await??)
    }

    /// How many documents are searchable.
    pub fn len(&self) -> u64 {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}
