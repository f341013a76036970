//! The competencies feature's use cases over the database: importing and publishing frameworks,
//! recording evidence (from courses, observations and self-assessment), a learner's profile and
//! gaps, consent to share it, aggregated gaps for an association, and lapse reminders. No actix
//! types.

use super::entity::{
    competency, evidence, framework, framework_level, framework_version, observation, profile_share,
    role_profile, role_requirement,
};
use super::framework::FrameworkSpec;
use super::profile::{self, EvidenceKind, Holding};
use crate::accounts::entity::{account, organisation};
use crate::accounts::model::OrgKind;
use crate::courses::events::{LearningEvent, LearningListener};
use crate::courses::package::Problem;
use crate::platform::changes;
use crate::platform::clock::SharedClock;
use crate::platform::db::{Db, statement};
use crate::platform::media::{self, UploadedFile};
use crate::platform::storage::Storage;
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use futures_util::future::BoxFuture;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// Why a competencies operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CompetenciesError {
    #[error("the framework has {} problem(s)", .0.len())]
    Framework(Vec<Problem>),
    #[error("not found")]
    NotFound,
    /// Input that breaks a rule; the message is a translation key or plain words.
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Storage(#[from] opendal::Error),
}

type Result<T, E = CompetenciesError> = std::result::Result<T, E>;

fn invalid(field: &'static str, message: impl Into<String>) -> CompetenciesError {
    CompetenciesError::Invalid { field, message: message.into() }
}

pub use crate::platform::media::EVIDENCE_FILE_LIMIT;

/// Version states.
pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";
pub const RETIRED: &str = "retired";

/// Cells of aggregated figures with fewer members than this are not shown.
pub const MIN_CELL: i64 = 5;
/// Learners are told this long before evidence that sets a level lapses.
pub const REMIND_BEFORE_DAYS: i64 = 60;

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameworkImported {
    Published { version: i32 },
    Draft { version: i32 },
    Unchanged { version: i32 },
}

/// A framework version as pages show it.
#[derive(Clone, Debug)]
pub struct FrameworkView {
    pub id: i32,
    pub version_id: i32,
    pub number: i32,
    pub status: String,
    pub organisation_id: i32,
    pub organisation: String,
    pub spec: FrameworkSpec,
}

impl FrameworkView {
    /// A competency's title by code.
    pub fn title_of(&self, code: &str) -> Option<&str> {
        self.spec.competencies().find(|(_, c)| c.code == code).map(|(_, c)| c.title.as_str())
    }

    pub fn level_name(&self, level: u32) -> &str {
        self.spec.levels.iter().find(|l| l.level == level).map_or("", |l| l.name.as_str())
    }
}

/// A framework in a list.
#[derive(Clone, Debug)]
pub struct FrameworkSummary {
    pub slug: String,
    pub title: String,
    pub organisation: String,
    pub competencies: usize,
    pub published_version: Option<i32>,
    /// Versions, newest first: (number, status).
    pub versions: Vec<(i32, String)>,
}

/// A learner's profile against one framework.
#[derive(Clone, Debug)]
pub struct Profile {
    pub account_id: i32,
    pub name: String,
    pub framework: FrameworkView,
    /// Every competency of the framework, with what the rule concludes (level 0: none).
    pub holdings: BTreeMap<String, Holding>,
    /// The instant the rule was applied at.
    pub now: DateTime<Utc>,
}

/// One gap between a profile and a role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    pub code: String,
    pub title: String,
    pub required: u32,
    pub held: u32,
}

/// Gap analysis: a role's requirements against a learner's profile.
#[derive(Clone, Debug)]
pub struct GapAnalysis {
    pub profile: Profile,
    pub role: super::framework::RoleSpec,
    /// Requirements met.
    pub met: usize,
    pub gaps: Vec<Gap>,
}

/// An observation waiting for, or past, the learner's signature.
#[derive(Clone, Debug)]
pub struct ObservationView {
    pub observation: observation::Model,
    pub learner: String,
    pub observer: String,
    pub competency: String,
}

/// What an observer records.
#[derive(Clone, Debug, Default)]
pub struct NewObservation {
    pub learner_email: String,
    pub framework: String,
    pub code: String,
    pub level: u32,
    /// (item, done)
    pub checklist: Vec<(String, bool)>,
    pub notes: String,
    pub setting: String,
    pub observed_on: Option<NaiveDate>,
    /// A scan or photo of the signed form, say.
    pub file: Option<UploadedFile>,
}

/// A piece of evidence to write.
struct NewEvidence<'a> {
    account_id: i32,
    /// (framework id, validity in months)
    framework: (i32, i32),
    code: &'a str,
    level: u32,
    kind: EvidenceKind,
    source_key: &'a str,
    source: &'a str,
    file_media_id: Option<i32>,
    occurred_at: DateTime<Utc>,
}

/// Aggregated gaps of an association's members for a role, by region and profession.
#[derive(Clone, Debug, Default)]
pub struct WorkforceGaps {
    pub role: super::framework::RoleSpec,
    /// Competency codes of the role, in its order, with titles.
    pub requirements: Vec<(String, String, u32)>,
    pub cells: Vec<WorkforceCell>,
    /// Members in cells too small to show.
    pub suppressed_members: i64,
    pub suppressed_cells: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkforceCell {
    pub region: String,
    pub profession: String,
    pub members: i64,
    /// Members below the required level, per requirement (same order as `requirements`).
    pub with_gap: Vec<i64>,
}

/// The competencies service.
#[derive(Clone)]
pub struct Competencies {
    db: Db,
    clock: SharedClock,
    storage: Storage,
}

fn fingerprint(spec: &FrameworkSpec) -> String {
    let json = serde_json::to_string(spec).unwrap_or_default();
    Sha256::digest(json.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn csv(values: &[String]) -> String {
    values.join(",")
}

impl Competencies {
    pub fn new(db: Db, clock: SharedClock, storage: Storage) -> Self {
        Self { db, clock, storage }
    }

    /// Checks a file attached to evidence (by its content, and its size) and puts it in the
    /// store; the caller records it in its transaction with [`media::record`]. Returns
    /// (sha256, type, size).
    async fn store_file(&self, file: &UploadedFile) -> Result<(String, &'static str, usize)> {
        let kind =
            media::check_document(file, EVIDENCE_FILE_LIMIT).map_err(|message| invalid("file", message))?;
        Ok((self.storage.put(&file.bytes).await?, kind, file.size))
    }

    /// Records a file [`Self::store_file`] stored, in the transaction that refers to it.
    async fn record_file(
        txn: &DatabaseTransaction,
        stored: Option<(String, &'static str, usize)>,
        now: DateTime<Utc>,
    ) -> Result<Option<i32>, DbErr> {
        Ok(match stored {
            Some((sha256, kind, size)) => Some(media::record(txn, &sha256, kind, size, now).await?.id),
            None => None,
        })
    }

    // ----- Frameworks -------------------------------------------------------------------------

    /// Imports a framework as a new version of its framework: published at once (`publish`, the
    /// content folder) or as the framework's one open draft (authors). The same framework as the
    /// newest version changes nothing. All or nothing.
    pub async fn import(
        &self,
        spec: &FrameworkSpec,
        actor: Option<i32>,
        publish: bool,
    ) -> Result<FrameworkImported> {
        let txn = self.db.begin().await?;
        let org = organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(spec.association.as_str()))
            .one(&txn)
            .await?
            .filter(|o| OrgKind::parse(&o.kind) == Some(OrgKind::Association))
            .ok_or_else(|| {
                CompetenciesError::Framework(vec![Problem {
                    file: "framework".into(),
                    line: 0,
                    message: format!("association: no association \"{}\"", spec.association),
                }])
            })?;
        let now = self.clock.now();
        let existing = framework::Entity::find()
            .filter(framework::Column::Slug.eq(spec.slug.as_str()))
            .one(&txn)
            .await?;
        let framework = match existing {
            Some(f) if f.organisation_id != org.id => {
                return Err(CompetenciesError::Framework(vec![Problem {
                    file: "framework".into(),
                    line: 0,
                    message: format!("slug: \"{}\" belongs to another association", spec.slug),
                }]));
            }
            Some(f) => f,
            None => {
                framework::ActiveModel {
                    slug: Set(spec.slug.clone()),
                    organisation_id: Set(org.id),
                    published_version_id: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        let hash = fingerprint(spec);
        let newest = framework_version::Entity::find()
            .filter(framework_version::Column::FrameworkId.eq(framework.id))
            .order_by_desc(framework_version::Column::Number)
            .one(&txn)
            .await?;
        if let Some(newest) = &newest
            && newest.content_hash == hash
            && (newest.status != DRAFT || !publish)
        {
            return Ok(FrameworkImported::Unchanged { version: newest.number });
        }
        let fields = |row: &mut framework_version::ActiveModel| {
            row.title = Set(spec.title.clone());
            row.language = Set(spec.language.clone());
            row.validity_months = Set(i32::try_from(spec.validity_months).unwrap_or(36));
            row.source = Set(serde_json::to_string_pretty(spec).unwrap_or_default());
            row.content_hash = Set(hash.clone());
        };
        let next_number = newest.as_ref().map_or(1, |v| v.number + 1);
        let version = match newest.filter(|v| v.status == DRAFT) {
            // The open draft is replaced with its contents (a role's requirements go with it).
            Some(draft) => {
                framework_level::Entity::delete_many()
                    .filter(framework_level::Column::VersionId.eq(draft.id))
                    .exec(&txn)
                    .await?;
                competency::Entity::delete_many()
                    .filter(competency::Column::VersionId.eq(draft.id))
                    .exec(&txn)
                    .await?;
                role_profile::Entity::delete_many()
                    .filter(role_profile::Column::VersionId.eq(draft.id))
                    .exec(&txn)
                    .await?;
                let mut row: framework_version::ActiveModel = draft.into();
                fields(&mut row);
                row.update(&txn).await?
            }
            None => {
                let mut row = framework_version::ActiveModel {
                    framework_id: Set(framework.id),
                    number: Set(next_number),
                    status: Set(DRAFT.into()),
                    created_by: Set(actor),
                    created_at: Set(now),
                    published_at: Set(None),
                    ..Default::default()
                };
                fields(&mut row);
                row.insert(&txn).await?
            }
        };
        self.insert_contents(&txn, version.id, spec).await?;
        let number = version.number;
        if publish {
            self.publish_in(&txn, framework, version).await?;
            txn.commit().await?;
            return Ok(FrameworkImported::Published { version: number });
        }
        txn.commit().await?;
        Ok(FrameworkImported::Draft { version: number })
    }

    async fn insert_contents(
        &self,
        txn: &DatabaseTransaction,
        version_id: i32,
        spec: &FrameworkSpec,
    ) -> Result<()> {
        let levels = spec.levels.iter().map(|l| framework_level::ActiveModel {
            version_id: Set(version_id),
            level: Set(l.level as i32),
            name: Set(l.name.clone()),
            descriptor: Set(l.descriptor.clone()),
            ..Default::default()
        });
        framework_level::Entity::insert_many(levels).exec_without_returning(txn).await?;
        let mut nodes = Vec::new();
        for domain in &spec.domains {
            nodes.push((
                "domain",
                domain.code.clone(),
                domain.parent.clone(),
                domain.title.clone(),
                String::new(),
                String::new(),
            ));
            for c in &domain.competencies {
                nodes.push((
                    "competency",
                    c.code.clone(),
                    Some(domain.code.clone()),
                    c.title.clone(),
                    c.description.clone(),
                    csv(&c.professions),
                ));
            }
        }
        let rows = nodes.into_iter().enumerate().map(
            |(position, (kind, code, parent, title, description, professions))| competency::ActiveModel {
                version_id: Set(version_id),
                position: Set(position as i32),
                kind: Set(kind.into()),
                code: Set(code),
                parent_code: Set(parent),
                title: Set(title),
                description: Set(description),
                professions: Set(professions),
                ..Default::default()
            },
        );
        competency::Entity::insert_many(rows).exec_without_returning(txn).await?;
        for role in &spec.roles {
            let row = role_profile::ActiveModel {
                version_id: Set(version_id),
                slug: Set(role.slug.clone()),
                title: Set(role.title.clone()),
                description: Set(role.description.clone()),
                professions: Set(csv(&role.professions)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let requirements = role.requirements.iter().map(|r| role_requirement::ActiveModel {
                role_id: Set(row.id),
                code: Set(r.code.clone()),
                level: Set(r.level as i32),
                ..Default::default()
            });
            if !role.requirements.is_empty() {
                role_requirement::Entity::insert_many(requirements).exec_without_returning(txn).await?;
            }
        }
        Ok(())
    }

    async fn publish_in(
        &self,
        txn: &DatabaseTransaction,
        framework: framework::Model,
        version: framework_version::Model,
    ) -> Result<()> {
        let now = self.clock.now();
        if let Some(old) = framework.published_version_id {
            framework_version::Entity::update_many()
                .col_expr(framework_version::Column::Status, sea_orm::sea_query::Expr::value(RETIRED))
                .filter(framework_version::Column::Id.eq(old))
                .exec(txn)
                .await?;
        }
        let slug = framework.slug.clone();
        let mut row: framework_version::ActiveModel = version.into();
        let version_id = *row.id.as_ref();
        row.status = Set(PUBLISHED.into());
        row.published_at = Set(Some(now));
        row.update(txn).await?;
        let mut framework: framework::ActiveModel = framework.into();
        framework.published_version_id = Set(Some(version_id));
        framework.update(txn).await?;
        changes::record(txn, format!("framework:{slug}"), now).await?;
        Ok(())
    }

    /// Publishes a framework's open draft; the version published before is retired.
    pub async fn publish_draft(&self, slug: &str) -> Result<i32> {
        let txn = self.db.begin().await?;
        let framework = self.framework_row(&txn, slug).await?;
        let draft = framework_version::Entity::find()
            .filter(framework_version::Column::FrameworkId.eq(framework.id))
            .filter(framework_version::Column::Status.eq(DRAFT))
            .one(&txn)
            .await?
            .ok_or_else(|| invalid("version", "there is no draft to publish"))?;
        let number = draft.number;
        self.publish_in(&txn, framework, draft).await?;
        txn.commit().await?;
        Ok(number)
    }

    async fn framework_row(&self, conn: &impl ConnectionTrait, slug: &str) -> Result<framework::Model> {
        framework::Entity::find()
            .filter(framework::Column::Slug.eq(slug))
            .one(conn)
            .await?
            .ok_or(CompetenciesError::NotFound)
    }

    /// The organisation a framework belongs to (for authorisation).
    pub async fn organisation_of(&self, slug: &str) -> Result<i32> {
        Ok(self.framework_row(self.db.read(), slug).await?.organisation_id)
    }

    /// Frameworks, with their versions; only published ones unless `organisation_id` is given
    /// (its own, drafts included).
    pub async fn frameworks(&self, organisation_id: Option<i32>) -> Result<Vec<FrameworkSummary>> {
        let db = self.db.read();
        let mut query = framework::Entity::find().order_by_asc(framework::Column::Slug);
        query = match organisation_id {
            Some(id) => query.filter(framework::Column::OrganisationId.eq(id)),
            None => query.filter(framework::Column::PublishedVersionId.is_not_null()),
        };
        let frameworks = query.all(db).await?;
        let organisations: HashMap<i32, String> =
            organisation::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.name)).collect();
        let mut versions_of: HashMap<i32, Vec<framework_version::Model>> = HashMap::new();
        for version in framework_version::Entity::find()
            .filter(framework_version::Column::FrameworkId.is_in(frameworks.iter().map(|f| f.id)))
            .order_by_desc(framework_version::Column::Number)
            .all(db)
            .await?
        {
            versions_of.entry(version.framework_id).or_default().push(version);
        }
        let mut out = Vec::new();
        for f in frameworks {
            let versions = versions_of.remove(&f.id).unwrap_or_default();
            let shown = versions.iter().find(|v| Some(v.id) == f.published_version_id).or(versions.first());
            let Some(shown) = shown else { continue };
            let spec: FrameworkSpec = serde_json::from_str(&shown.source).unwrap_or_default();
            out.push(FrameworkSummary {
                slug: f.slug.clone(),
                title: shown.title.clone(),
                organisation: organisations.get(&f.organisation_id).cloned().unwrap_or_default(),
                competencies: spec.competencies().count(),
                published_version: versions.iter().find(|v| v.status == PUBLISHED).map(|v| v.number),
                versions: versions.iter().map(|v| (v.number, v.status.clone())).collect(),
            });
        }
        Ok(out)
    }

    /// A framework's published version; with `draft`, its open draft instead.
    pub async fn framework(&self, slug: &str, draft: bool) -> Result<FrameworkView> {
        let f = self.framework_row(self.db.read(), slug).await?;
        self.view_of(f, draft).await
    }

    async fn view_of(&self, f: framework::Model, draft: bool) -> Result<FrameworkView> {
        let db = self.db.read();
        let mut query =
            framework_version::Entity::find().filter(framework_version::Column::FrameworkId.eq(f.id));
        query = if draft {
            query.filter(framework_version::Column::Status.eq(DRAFT))
        } else {
            query.filter(framework_version::Column::Id.eq(f.published_version_id.unwrap_or(-1)))
        };
        let version = query.one(db).await?.ok_or(CompetenciesError::NotFound)?;
        let organisation = organisation::Entity::find_by_id(f.organisation_id)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        Ok(FrameworkView {
            id: f.id,
            version_id: version.id,
            number: version.number,
            status: version.status,
            organisation_id: f.organisation_id,
            organisation,
            spec: serde_json::from_str(&version.source).unwrap_or_default(),
        })
    }

    /// Published frameworks (all, or the one named) for search, in slug order.
    pub async fn published_for_search(&self, slug: Option<&str>) -> Result<Vec<FrameworkView>> {
        let mut query = framework::Entity::find().filter(framework::Column::PublishedVersionId.is_not_null());
        if let Some(slug) = slug {
            query = query.filter(framework::Column::Slug.eq(slug));
        }
        let mut out = Vec::new();
        for f in query.order_by_asc(framework::Column::Slug).all(self.db.read()).await? {
            out.push(self.view_of(f, false).await?);
        }
        Ok(out)
    }

    /// The framework a learner's pages use when none is named: the first published one.
    pub async fn default_framework(&self) -> Result<String> {
        Ok(framework::Entity::find()
            .filter(framework::Column::PublishedVersionId.is_not_null())
            .order_by_asc(framework::Column::Id)
            .one(self.db.read())
            .await?
            .ok_or(CompetenciesError::NotFound)?
            .slug)
    }

    // ----- Evidence ---------------------------------------------------------------------------

    /// For each code, the published framework it belongs to, preferring the organisation's own
    /// frameworks, then the oldest: (framework id, validity in months).
    async fn resolve(
        conn: &impl ConnectionTrait,
        organisation_id: Option<i32>,
        codes: &[String],
    ) -> Result<HashMap<String, (i32, i32)>, DbErr> {
        if codes.is_empty() {
            return Ok(HashMap::new());
        }
        let mut frameworks = framework::Entity::find()
            .filter(framework::Column::PublishedVersionId.is_not_null())
            .all(conn)
            .await?;
        frameworks.sort_by_key(|f| (Some(f.organisation_id) != organisation_id, f.id));
        let versions: HashMap<i32, i32> = framework_version::Entity::find()
            .filter(
                framework_version::Column::Id.is_in(frameworks.iter().filter_map(|f| f.published_version_id)),
            )
            .all(conn)
            .await?
            .into_iter()
            .map(|v| (v.id, v.validity_months))
            .collect();
        let defined = competency::Entity::find()
            .filter(competency::Column::VersionId.is_in(versions.keys().copied()))
            .filter(competency::Column::Kind.eq("competency"))
            .filter(competency::Column::Code.is_in(codes.iter().cloned()))
            .all(conn)
            .await?;
        let mut out = HashMap::new();
        for f in &frameworks {
            let Some(version) = f.published_version_id else { continue };
            for c in defined.iter().filter(|c| c.version_id == version) {
                out.entry(c.code.clone()).or_insert((f.id, versions.get(&version).copied().unwrap_or(36)));
            }
        }
        Ok(out)
    }

    /// Writes evidence unless the same source already evidenced the same competency.
    async fn add_evidence(
        conn: &impl ConnectionTrait,
        new: NewEvidence<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let (framework_id, validity_months) = new.framework;
        let months = Months::new(u32::try_from(validity_months).unwrap_or(36));
        let occurred_at = new.occurred_at;
        let row = evidence::ActiveModel {
            account_id: Set(new.account_id),
            framework_id: Set(framework_id),
            code: Set(new.code.to_owned()),
            level: Set(new.level as i32),
            kind: Set(new.kind.as_str().into()),
            source_key: Set(new.source_key.to_owned()),
            source: Set(new.source.to_owned()),
            file_media_id: Set(new.file_media_id),
            occurred_at: Set(occurred_at),
            expires_at: Set(occurred_at.checked_add_months(months).unwrap_or(occurred_at)),
            reminded_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        };
        let on_conflict = OnConflict::columns([
            evidence::Column::AccountId,
            evidence::Column::FrameworkId,
            evidence::Column::Code,
            evidence::Column::SourceKey,
        ])
        .do_nothing()
        .to_owned();
        evidence::Entity::insert(row).on_conflict(on_conflict).exec_without_returning(conn).await?;
        Ok(())
    }

    /// Records what a learning event proves (the [`LearningListener`] below).
    async fn record_learning(&self, txn: &DatabaseTransaction, event: &LearningEvent) -> Result<(), DbErr> {
        let now = self.clock.now();
        match event {
            // Enrolling proves nothing.
            LearningEvent::Enrolled { .. } => {}
            LearningEvent::CourseCompleted {
                account_id,
                course_version_id,
                organisation_id,
                course_title,
                competencies,
                at,
            } => {
                let codes: Vec<String> = competencies.iter().map(|c| c.code.clone()).collect();
                let frameworks = Self::resolve(txn, Some(*organisation_id), &codes).await?;
                for c in competencies {
                    let Some(framework) = frameworks.get(&c.code) else { continue };
                    let key = format!("course-version:{course_version_id}");
                    let level = u32::try_from(c.level).unwrap_or(0);
                    Self::add_evidence(
                        txn,
                        NewEvidence {
                            account_id: *account_id,
                            framework: *framework,
                            code: &c.code,
                            level,
                            kind: EvidenceKind::Course,
                            source_key: &key,
                            source: course_title,
                            file_media_id: None,
                            occurred_at: *at,
                        },
                        now,
                    )
                    .await?;
                }
            }
            LearningEvent::QuizSubmitted {
                account_id,
                attempt_id,
                organisation_id,
                title,
                pass_mark,
                questions,
                at,
            } => {
                let tagged: Vec<(Vec<(String, u32)>, bool)> = questions
                    .iter()
                    .map(|(tags, right)| {
                        (
                            tags.iter()
                                .map(|t| (t.code.clone(), u32::try_from(t.level).unwrap_or(0)))
                                .collect(),
                            *right,
                        )
                    })
                    .collect();
                let shown = profile::quiz_evidence(&tagged, u32::try_from(*pass_mark).unwrap_or(100));
                let codes: Vec<String> = shown.iter().map(|(c, _)| c.clone()).collect();
                let frameworks = Self::resolve(txn, Some(*organisation_id), &codes).await?;
                for (code, level) in shown {
                    let Some(framework) = frameworks.get(&code) else { continue };
                    let key = format!("quiz-attempt:{attempt_id}");
                    Self::add_evidence(
                        txn,
                        NewEvidence {
                            account_id: *account_id,
                            framework: *framework,
                            code: &code,
                            level,
                            kind: EvidenceKind::Quiz,
                            source_key: &key,
                            source: title,
                            file_media_id: None,
                            occurred_at: *at,
                        },
                        now,
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }

    /// A learner's own rating of a competency: shown beside the level held, never setting it.
    pub async fn assess_self(
        &self,
        account_id: i32,
        framework_slug: &str,
        code: &str,
        level: u32,
        file: Option<&UploadedFile>,
    ) -> Result<()> {
        let view = self.framework(framework_slug, false).await?;
        if view.title_of(code).is_none() {
            return Err(invalid("code", format!("{code} is not a competency of {}", view.spec.title)));
        }
        if !(1..=view.spec.top_level()).contains(&level) {
            return Err(invalid("level", format!("choose a level from 1 to {}", view.spec.top_level())));
        }
        let now = self.clock.now();
        let validity = (view.id, i32::try_from(view.spec.validity_months).unwrap_or(36));
        let key = format!("self:{}", now.timestamp_micros());
        let stored = match file {
            Some(file) => Some(self.store_file(file).await?),
            None => None,
        };
        let txn = self.db.begin().await?;
        let file_media_id = Self::record_file(&txn, stored, now).await?;
        Self::add_evidence(
            &txn,
            NewEvidence {
                account_id,
                framework: validity,
                code,
                level,
                kind: EvidenceKind::SelfAssessment,
                source_key: &key,
                source: "Self-assessment",
                file_media_id,
                occurred_at: now,
            },
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    // ----- Observations of practice -------------------------------------------------------------

    /// An observer records an observation; it counts once the learner co-signs it.
    pub async fn observe(&self, observer_id: i32, new: NewObservation) -> Result<i32> {
        let db = self.db.read();
        let learner = account::Entity::find()
            .filter(account::Column::Email.eq(new.learner_email.trim().to_lowercase()))
            .one(db)
            .await?
            .ok_or_else(|| invalid("learner", "no one with this email address uses Lantern"))?;
        if learner.id == observer_id {
            return Err(invalid("learner", "an observation needs someone else to observe you"));
        }
        let view = self
            .framework(&new.framework, false)
            .await
            .map_err(|_| invalid("framework", "unknown framework"))?;
        if view.title_of(&new.code).is_none() {
            return Err(invalid("code", format!("{} is not a competency of {}", new.code, view.spec.title)));
        }
        if !(1..=view.spec.top_level()).contains(&new.level) {
            return Err(invalid("level", format!("choose a level from 1 to {}", view.spec.top_level())));
        }
        let today = self.clock.now().date_naive();
        let observed_on =
            new.observed_on.ok_or_else(|| invalid("observed_on", "give the date as YYYY-MM-DD"))?;
        if observed_on > today || observed_on < today - Duration::days(365) {
            return Err(invalid(
                "observed_on",
                "the date must be within the last year and not in the future",
            ));
        }
        let checklist: Vec<serde_json::Value> = new
            .checklist
            .iter()
            .map(|(item, done)| serde_json::json!({"item": item, "done": done}))
            .collect();
        let stored = match &new.file {
            Some(file) => Some(self.store_file(file).await?),
            None => None,
        };
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let file_media_id = Self::record_file(&txn, stored, now).await?;
        let row = observation::ActiveModel {
            framework_id: Set(view.id),
            code: Set(new.code),
            learner_id: Set(learner.id),
            observer_id: Set(observer_id),
            level: Set(new.level as i32),
            checklist: Set(serde_json::Value::Array(checklist).to_string()),
            notes: Set(new.notes.chars().take(4_000).collect()),
            setting: Set(new.setting.chars().take(200).collect()),
            observed_on: Set(observed_on),
            file_media_id: Set(file_media_id),
            observer_signed_at: Set(now),
            learner_signed_at: Set(None),
            declined_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(row.id)
    }

    /// The learner co-signs (`agree`) or declines an observation of them. Co-signing writes the
    /// evidence in the same transaction; a second answer changes nothing.
    pub async fn answer_observation(&self, learner_id: i32, id: i32, agree: bool) -> Result<()> {
        let txn = self.db.begin().await?;
        let row = observation::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .filter(|o| o.learner_id == learner_id)
            .ok_or(CompetenciesError::NotFound)?;
        if row.learner_signed_at.is_some() || row.declined_at.is_some() {
            return Ok(());
        }
        let now = self.clock.now();
        let observer =
            account::Entity::find_by_id(row.observer_id).one(&txn).await?.map(|a| a.name).unwrap_or_default();
        let (framework_id, code, level, file_media_id) =
            (row.framework_id, row.code.clone(), row.level, row.file_media_id);
        let occurred = row.observed_on.and_hms_opt(12, 0, 0).map_or(now, |t| t.and_utc());
        let mut update: observation::ActiveModel = row.into();
        if agree {
            update.learner_signed_at = Set(Some(now));
        } else {
            update.declined_at = Set(Some(now));
        }
        update.update(&txn).await?;
        if agree {
            let validity = framework_version::Entity::find()
                .filter(framework_version::Column::FrameworkId.eq(framework_id))
                .filter(framework_version::Column::Status.eq(PUBLISHED))
                .one(&txn)
                .await?
                .map_or(36, |v| v.validity_months);
            let level = u32::try_from(level).unwrap_or(0);
            let source = format!("Observed by {observer}");
            let key = format!("observation:{id}");
            Self::add_evidence(
                &txn,
                NewEvidence {
                    account_id: learner_id,
                    framework: (framework_id, validity),
                    code: &code,
                    level,
                    kind: EvidenceKind::Observation,
                    source_key: &key,
                    source: &source,
                    file_media_id,
                    occurred_at: occurred,
                },
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Observations of a learner (`as_learner`) or by an observer, newest first.
    pub async fn observations(&self, account_id: i32, as_learner: bool) -> Result<Vec<ObservationView>> {
        let db = self.db.read();
        let column =
            if as_learner { observation::Column::LearnerId } else { observation::Column::ObserverId };
        let rows = observation::Entity::find()
            .filter(column.eq(account_id))
            .order_by_desc(observation::Column::Id)
            .all(db)
            .await?;
        let people: HashMap<i32, String> = account::Entity::find()
            .filter(account::Column::Id.is_in(rows.iter().flat_map(|r| [r.learner_id, r.observer_id])))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        // Titles as each observation's framework now publishes them.
        let published: HashMap<i32, i32> = framework::Entity::find()
            .filter(framework::Column::Id.is_in(rows.iter().map(|r| r.framework_id)))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|f| Some((f.published_version_id?, f.id)))
            .collect();
        let titles: HashMap<(i32, String), String> = competency::Entity::find()
            .filter(competency::Column::VersionId.is_in(published.keys().copied()))
            .filter(competency::Column::Code.is_in(rows.iter().map(|r| r.code.clone())))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|c| Some(((*published.get(&c.version_id)?, c.code), c.title)))
            .collect();
        Ok(rows
            .into_iter()
            .map(|o| ObservationView {
                learner: people.get(&o.learner_id).cloned().unwrap_or_default(),
                observer: people.get(&o.observer_id).cloned().unwrap_or_default(),
                competency: titles.get(&(o.framework_id, o.code.clone())).cloned().unwrap_or_default(),
                observation: o,
            })
            .collect())
    }

    // ----- Profiles, gaps and consent -----------------------------------------------------------

    /// A learner's profile against a framework: every competency, the level held by the rule of
    /// [`profile`], and the evidence behind it.
    pub async fn profile(&self, account_id: i32, framework_slug: &str) -> Result<Profile> {
        let framework = self.framework(framework_slug, false).await?;
        let db = self.db.read();
        let learner =
            account::Entity::find_by_id(account_id).one(db).await?.ok_or(CompetenciesError::NotFound)?;
        let rows = evidence::Entity::find()
            .filter(evidence::Column::AccountId.eq(account_id))
            .filter(evidence::Column::FrameworkId.eq(framework.id))
            .all(db)
            .await?;
        let items = rows.into_iter().filter_map(|e| {
            Some(profile::Evidence {
                id: e.id,
                level: u32::try_from(e.level).ok()?,
                kind: EvidenceKind::parse(&e.kind)?,
                code: e.code,
                source: e.source,
                occurred_at: e.occurred_at,
                expires_at: e.expires_at,
                has_file: e.file_media_id.is_some(),
            })
        });
        let now = self.clock.now();
        let mut holdings = profile::holdings(items, now);
        for (_, c) in framework.spec.competencies() {
            holdings.entry(c.code.clone()).or_default();
        }
        Ok(Profile { account_id, name: learner.name, framework, holdings, now })
    }

    /// A profile against a role of the same framework: what is met and what is missing.
    pub async fn gaps(&self, account_id: i32, framework_slug: &str, role_slug: &str) -> Result<GapAnalysis> {
        let profile = self.profile(account_id, framework_slug).await?;
        let role = profile
            .framework
            .spec
            .roles
            .iter()
            .find(|r| r.slug == role_slug)
            .cloned()
            .ok_or(CompetenciesError::NotFound)?;
        let mut gaps = Vec::new();
        let mut met = 0;
        for requirement in &role.requirements {
            let held = profile.holdings.get(&requirement.code).map_or(0, |h| h.level);
            if held >= requirement.level {
                met += 1;
            } else {
                gaps.push(Gap {
                    title: profile.framework.title_of(&requirement.code).unwrap_or_default().to_owned(),
                    code: requirement.code.clone(),
                    required: requirement.level,
                    held,
                });
            }
        }
        Ok(GapAnalysis { profile, role, met, gaps })
    }

    /// Whether `viewer` may see `learner`'s profile: their own, or shared with them.
    pub async fn may_view(&self, viewer: i32, learner: i32) -> Result<bool> {
        if viewer == learner {
            return Ok(true);
        }
        Ok(profile_share::Entity::find()
            .filter(profile_share::Column::LearnerId.eq(learner))
            .filter(profile_share::Column::ViewerId.eq(viewer))
            .one(self.db.read())
            .await?
            .is_some())
    }

    /// The type and bytes of the file a piece of evidence carries, for whoever may view the
    /// learner's profile (not found for anyone else, to say nothing).
    pub async fn evidence_file(&self, viewer: i32, evidence_id: i32) -> Result<(String, Vec<u8>)> {
        let row = evidence::Entity::find_by_id(evidence_id)
            .one(self.db.read())
            .await?
            .ok_or(CompetenciesError::NotFound)?;
        if !self.may_view(viewer, row.account_id).await? {
            return Err(CompetenciesError::NotFound);
        }
        self.file(row.file_media_id).await
    }

    /// The file an observation carries, for its learner and its observer.
    pub async fn observation_file(&self, viewer: i32, observation_id: i32) -> Result<(String, Vec<u8>)> {
        let row = observation::Entity::find_by_id(observation_id)
            .one(self.db.read())
            .await?
            .filter(|o| o.learner_id == viewer || o.observer_id == viewer)
            .ok_or(CompetenciesError::NotFound)?;
        self.file(row.file_media_id).await
    }

    async fn file(&self, media_id: Option<i32>) -> Result<(String, Vec<u8>)> {
        let media = media::media_object::Entity::find_by_id(media_id.ok_or(CompetenciesError::NotFound)?)
            .one(self.db.read())
            .await?
            .ok_or(CompetenciesError::NotFound)?;
        Ok((media.content_type, self.storage.get(&media.sha256).await?))
    }

    /// The learner lets someone (a mentor, a supervisor) see their profile, until revoked.
    pub async fn share(&self, learner_id: i32, viewer_email: &str) -> Result<()> {
        let db = self.db.write();
        let viewer = account::Entity::find()
            .filter(account::Column::Email.eq(viewer_email.trim().to_lowercase()))
            .one(db)
            .await?
            .ok_or_else(|| invalid("email", "no one with this email address uses Lantern"))?;
        if viewer.id == learner_id {
            return Err(invalid("email", "this is your own address"));
        }
        self.grant(db, learner_id, viewer.id).await?;
        Ok(())
    }

    /// Records consent, once (the mentorship feature calls this when a mentee accepts).
    pub async fn grant(
        &self,
        conn: &impl ConnectionTrait,
        learner_id: i32,
        viewer_id: i32,
    ) -> Result<(), DbErr> {
        let row = profile_share::ActiveModel {
            learner_id: Set(learner_id),
            viewer_id: Set(viewer_id),
            created_at: Set(self.clock.now()),
            ..Default::default()
        };
        let on_conflict =
            OnConflict::columns([profile_share::Column::LearnerId, profile_share::Column::ViewerId])
                .do_nothing()
                .to_owned();
        profile_share::Entity::insert(row).on_conflict(on_conflict).exec_without_returning(conn).await?;
        Ok(())
    }

    pub async fn revoke(&self, learner_id: i32, share_id: i32) -> Result<()> {
        profile_share::Entity::delete_many()
            .filter(profile_share::Column::Id.eq(share_id))
            .filter(profile_share::Column::LearnerId.eq(learner_id))
            .exec(self.db.write())
            .await?;
        Ok(())
    }

    /// Who may see the learner's profile: (share id, name, email).
    pub async fn shares(&self, learner_id: i32) -> Result<Vec<(i32, String, String)>> {
        let db = self.db.read();
        let shares = profile_share::Entity::find()
            .filter(profile_share::Column::LearnerId.eq(learner_id))
            .all(db)
            .await?;
        let people: HashMap<i32, account::Model> = account::Entity::find()
            .filter(account::Column::Id.is_in(shares.iter().map(|s| s.viewer_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        Ok(shares
            .into_iter()
            .filter_map(|s| people.get(&s.viewer_id).map(|a| (s.id, a.name.clone(), a.email.clone())))
            .collect())
    }

    // ----- Aggregates ---------------------------------------------------------------------------

    /// An association's members against a role, by region and profession: how many are below the
    /// required level in each competency. Computed by the database (grouped counts); cells of
    /// fewer than [`MIN_CELL`] members are left out and only counted.
    pub async fn workforce_gaps(
        &self,
        organisation_id: i32,
        framework_slug: &str,
        role_slug: &str,
    ) -> Result<WorkforceGaps> {
        let view = self.framework(framework_slug, false).await?;
        let role = view
            .spec
            .roles
            .iter()
            .find(|r| r.slug == role_slug)
            .cloned()
            .ok_or(CompetenciesError::NotFound)?;
        let db = self.db.read();
        let backend = db.get_database_backend();
        let members = db
            .query_all_raw(statement(
                backend,
                "SELECT COALESCE(a.region, '') AS region, COALESCE(a.profession, '') AS profession, COUNT(*) AS members \
                 FROM membership m JOIN account a ON a.id = m.account_id \
                 WHERE m.organisation_id = $1 AND m.role = 'member' \
                 GROUP BY COALESCE(a.region, ''), COALESCE(a.profession, '')",
                vec![organisation_id.into()],
            ))
            .await?;
        // Members who hold each required level (evidence that counts, at or above the level),
        // per region and profession. Each member's holdings fold into one bit mask of the
        // requirements, so the database groups once per member rather than once per piece of
        // evidence; the masks come back per cell and unfold here. 62 requirements per query.
        let mut held: HashMap<(String, String, String), i64> = HashMap::new();
        for chunk in role.requirements.chunks(62) {
            let mut values = Vec::with_capacity(chunk.len() * 3 + 3);
            let mut rows = Vec::with_capacity(chunk.len());
            for (bit, requirement) in chunk.iter().enumerate() {
                let n = values.len();
                rows.push(format!("(${}, CAST(${} AS INTEGER), CAST(${} AS BIGINT))", n + 1, n + 2, n + 3));
                values.push(requirement.code.clone().into());
                values.push(i64::from(requirement.level).into());
                values.push((1_i64 << bit).into());
            }
            let n = values.len();
            values.extend([view.id.into(), self.clock.now().into(), organisation_id.into()]);
            let sql = format!(
                "WITH r(code, level, bit) AS (VALUES {rows}), \
                 held AS ( \
                   SELECT e.account_id AS account_id, CAST(SUM(DISTINCT r.bit) AS BIGINT) AS mask \
                   FROM r JOIN evidence e ON e.framework_id = ${f} AND e.code = r.code AND e.kind <> 'self' \
                        AND e.expires_at > ${now} AND e.level >= r.level \
                   GROUP BY e.account_id) \
                 SELECT COALESCE(a.region, '') AS region, COALESCE(a.profession, '') AS profession, \
                        h.mask AS mask, COUNT(*) AS holders \
                 FROM held h \
                 JOIN membership m ON m.account_id = h.account_id AND m.organisation_id = ${org} AND m.role = 'member' \
                 JOIN account a ON a.id = h.account_id \
                 GROUP BY COALESCE(a.region, ''), COALESCE(a.profession, ''), h.mask",
                rows = rows.join(", "),
                f = n + 1,
                now = n + 2,
                org = n + 3,
            );
            for row in db.query_all_raw(statement(backend, &sql, values)).await? {
                let (region, profession): (String, String) =
                    (row.try_get("", "region")?, row.try_get("", "profession")?);
                let (mask, holders): (i64, i64) = (row.try_get("", "mask")?, row.try_get("", "holders")?);
                for (bit, requirement) in chunk.iter().enumerate() {
                    if mask & (1 << bit) != 0 {
                        *held
                            .entry((region.clone(), profession.clone(), requirement.code.clone()))
                            .or_default() += holders;
                    }
                }
            }
        }
        let requirements: Vec<(String, String, u32)> = role
            .requirements
            .iter()
            .map(|r| (r.code.clone(), view.title_of(&r.code).unwrap_or_default().to_owned(), r.level))
            .collect();
        let mut out = WorkforceGaps { role, requirements, ..WorkforceGaps::default() };
        for row in members {
            let (region, profession): (String, String) =
                (row.try_get("", "region")?, row.try_get("", "profession")?);
            let count: i64 = row.try_get("", "members")?;
            if count < MIN_CELL {
                out.suppressed_members += count;
                out.suppressed_cells += 1;
                continue;
            }
            let with_gap = out
                .requirements
                .iter()
                .map(|(code, _, _)| {
                    count
                        - held.get(&(region.clone(), profession.clone(), code.clone())).copied().unwrap_or(0)
                })
                .collect();
            out.cells.push(WorkforceCell { region, profession, members: count, with_gap });
        }
        out.cells.sort_by(|a, b| a.region.cmp(&b.region).then(a.profession.cmp(&b.profession)));
        Ok(out)
    }

    // ----- Reminders ----------------------------------------------------------------------------

    /// Tells each learner whose evidence lapses within [`REMIND_BEFORE_DAYS`], once per piece of
    /// evidence, by one email listing the competencies. Safe with several servers: a piece of
    /// evidence is claimed by the update that marks it, in the transaction that queues the email.
    pub async fn send_lapse_reminders(&self, base_url: &str) -> Result<usize> {
        let now = self.clock.now();
        let due = evidence::Entity::find()
            .filter(evidence::Column::RemindedAt.is_null())
            .filter(evidence::Column::Kind.ne(EvidenceKind::SelfAssessment.as_str()))
            .filter(evidence::Column::ExpiresAt.gt(now))
            .filter(evidence::Column::ExpiresAt.lte(now + Duration::days(REMIND_BEFORE_DAYS)))
            .order_by_asc(evidence::Column::AccountId)
            .all(self.db.read())
            .await?;
        let mut by_learner: BTreeMap<i32, Vec<evidence::Model>> = BTreeMap::new();
        for e in due {
            by_learner.entry(e.account_id).or_default().push(e);
        }
        let mut sent = 0;
        for (account_id, items) in by_learner {
            let txn = self.db.begin().await?;
            let claimed = evidence::Entity::update_many()
                .col_expr(evidence::Column::RemindedAt, sea_orm::sea_query::Expr::value(now))
                .filter(evidence::Column::Id.is_in(items.iter().map(|e| e.id)))
                .filter(evidence::Column::RemindedAt.is_null())
                .exec(&txn)
                .await?;
            let Some(learner) = account::Entity::find_by_id(account_id).one(&txn).await? else { continue };
            if claimed.rows_affected == 0 {
                continue;
            }
            let email = super::emails::lapsing(&learner, &items, &format!("{base_url}/me/competencies"));
            crate::platform::mail::enqueue(&txn, &self.clock, email).await?;
            txn.commit().await?;
            sent += 1;
        }
        Ok(sent)
    }
}

/// Competency evidence from course work, in the transaction that records the work.
impl LearningListener for Competencies {
    fn record<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        event: &'a LearningEvent,
    ) -> BoxFuture<'a, Result<(), DbErr>> {
        Box::pin(self.record_learning(txn, event))
    }
}
