//! The media use cases: checking an upload by its content and making it fit for phones (metadata
//! stripped from images, MP4 moved to fast start), storing it, recording what it is, making the
//! phone-sized variants of images off the request path, and finding what to serve.

use super::av::{self, Kind};
use super::entity::{media_job, media_object, media_variant};
use super::images;
use crate::config::MediaConfig;
use crate::platform::clock::SharedClock;
use crate::platform::db::Db;
use crate::platform::storage::{Storage, StorageError};
use chrono::Duration;
use quick_cache::sync::Cache;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{Notify, watch};

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The file is refused; the message names it and says why.
    #[error("{0}")]
    Refused(String),
    #[error("media store: {0}")]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("media processing: {0}")]
    Processing(String),
}

type Result<T, E = MediaError> = std::result::Result<T, E>;

/// A file checked and made ready to store.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// Emptied once stored (see [`Prepared::stored`]); `size` keeps the count.
    pub bytes: Vec<u8>,
    pub size: u64,
    pub content_type: &'static str,
    pub kind: Kind,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
}

/// What is served under a content address: an object, or one of its variants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// The stored bytes' SHA-256 (for a variant, the variant's own).
    pub sha256: String,
    pub content_type: String,
    pub size: u64,
}

/// One image variant: its width and format, how big it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantRef {
    pub width: u32,
    pub height: u32,
    pub content_type: String,
    pub size: u64,
}

/// A stored object as a lesson refers to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaRef {
    pub id: i32,
    pub sha256: String,
    pub content_type: String,
    pub kind: String,
    pub size: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
    /// Made so far (images only), narrowest first.
    pub variants: Vec<VariantRef>,
}

impl MediaRef {
    /// The address it is served at.
    pub fn url(&self) -> String {
        format!("/media/{}", self.sha256)
    }
}

/// A variant's address: `/media/<object sha256>/<width>.<webp|jpg|png>`.
pub fn variant_url(sha256: &str, width: u32, content_type: &str) -> String {
    format!("/media/{sha256}/{width}.{}", extension(content_type))
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/webp" => "webp",
        "image/png" => "png",
        _ => "jpg",
    }
}

fn content_type_of_extension(extension: &str) -> Option<&'static str> {
    match extension {
        "webp" => Some("image/webp"),
        "png" => Some("image/png"),
        "jpg" => Some("image/jpeg"),
        _ => None,
    }
}

/// How long a claimed job stays reserved for the server that claimed it.
const LEASE_MINUTES: i64 = 10;
/// Attempts before a job is left alone (its error kept for the operator).
const MAX_ATTEMPTS: i32 = 5;

/// The media service.
#[derive(Clone)]
pub struct Media {
    db: Db,
    clock: SharedClock,
    storage: Storage,
    config: Arc<MediaConfig>,
    /// What each content address serves. Content never changes under its address, so entries
    /// are never stale; a variant not yet made is not cached.
    served: Arc<Cache<String, Served>>,
    wake: Arc<Notify>,
}

impl Media {
    pub fn new(db: Db, clock: SharedClock, storage: Storage, config: MediaConfig) -> Self {
        Self {
            db,
            clock,
            storage,
            config: Arc::new(config),
            served: Arc::new(Cache::new(100_000)),
            wake: Arc::new(Notify::new()),
        }
    }

    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    fn image_limits(&self) -> images::Limits {
        images::Limits {
            max_pixels: self.config.image_max_megapixels.saturating_mul(1_000_000),
            ..images::Limits::default()
        }
    }

    /// The largest file of a kind, in bytes.
    pub fn limit(&self, kind: Kind) -> u64 {
        let megabytes = match kind {
            Kind::Image => self.config.image_max_mb,
            Kind::Audio => self.config.audio_max_mb,
            Kind::Video => self.config.video_max_mb,
            Kind::Document => self.config.document_max_mb,
        };
        megabytes.saturating_mul(1024 * 1024)
    }

    /// The largest file of any kind, in bytes: what an upload form reads at most.
    pub fn largest_limit(&self) -> u64 {
        [Kind::Image, Kind::Audio, Kind::Video, Kind::Document]
            .into_iter()
            .map(|k| self.limit(k))
            .max()
            .unwrap_or(0)
    }

    /// Checks a file by its content and size, and makes it fit to serve: images lose their
    /// metadata (EXIF, GPS) and are turned upright, MP4 files get their index moved to the front.
    /// The refusal names the file (`name`) and says why. The work runs on the blocking pool.
    pub async fn prepare(&self, name: &str, bytes: Vec<u8>) -> Result<Prepared> {
        let name = if name.is_empty() { "The file".to_owned() } else { name.to_owned() };
        let head = bytes.get(..4096).unwrap_or(&bytes);
        let sniffed = av::sniff(head).ok_or_else(|| {
            MediaError::Refused(format!(
                "{name} is not a file Lantern accepts: images must be JPEG, PNG or WebP, audio MP3, Ogg \
                 or M4A, video MP4 or WebM, documents PDF (the type is read from the content, not the name)"
            ))
        })?;
        let limit = self.limit(sniffed.kind);
        if bytes.len() as u64 > limit {
            return Err(MediaError::Refused(format!(
                "{name} is {:.1} MB; {} may be at most {} MB",
                bytes.len() as f64 / 1_048_576.0,
                kind_phrase(sniffed.kind),
                limit / (1024 * 1024)
            )));
        }
        let limits = self.image_limits();
        tokio::task::spawn_blocking(move || prepare_blocking(&name, bytes, sniffed, &limits))
            .await
            .map_err(|e| MediaError::Processing(e.to_string()))?
    }

    /// Stores prepared bytes (once per content) and returns their SHA-256; the bytes are let go.
    pub async fn store(&self, prepared: &mut Prepared) -> Result<String> {
        let sha256 = self.storage.put(&prepared.bytes).await?;
        prepared.bytes = Vec::new();
        Ok(sha256)
    }

    /// Records a stored object inside the caller's transaction (once per content) and, for an
    /// image, queues the making of its variants.
    pub async fn record(
        &self,
        conn: &impl ConnectionTrait,
        sha256: &str,
        prepared: &Prepared,
    ) -> Result<media_object::Model, DbErr> {
        let now = self.clock.now();
        if let Some(found) =
            media_object::Entity::find().filter(media_object::Column::Sha256.eq(sha256)).one(conn).await?
        {
            return Ok(found);
        }
        let object = media_object::ActiveModel {
            sha256: Set(sha256.to_owned()),
            content_type: Set(prepared.content_type.to_owned()),
            size_bytes: Set(i64::try_from(prepared.size).unwrap_or(i64::MAX)),
            width: Set(prepared.width.and_then(|w| i32::try_from(w).ok())),
            height: Set(prepared.height.and_then(|h| i32::try_from(h).ok())),
            created_at: Set(now),
            kind: Set(prepared.kind.as_str().to_owned()),
            duration_ms: Set(prepared.duration_ms.and_then(|d| i64::try_from(d).ok())),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        if prepared.kind == Kind::Image {
            media_job::ActiveModel {
                object_id: Set(object.id),
                attempts: Set(0),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(conn)
            .await?;
        }
        Ok(object)
    }

    /// Wakes the variant worker (after a transaction that queued jobs commits).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// The stored objects with these ids, with the variants made so far: two queries.
    pub async fn refs(
        &self,
        conn: &impl ConnectionTrait,
        ids: &[i32],
    ) -> Result<HashMap<i32, MediaRef>, DbErr> {
        let objects = media_object::Entity::find()
            .filter(media_object::Column::Id.is_in(ids.iter().copied()))
            .all(conn)
            .await?;
        let mut variants: HashMap<i32, Vec<VariantRef>> = HashMap::new();
        for variant in media_variant::Entity::find()
            .filter(media_variant::Column::ObjectId.is_in(ids.iter().copied()))
            .order_by_asc(media_variant::Column::Width)
            .all(conn)
            .await?
        {
            variants.entry(variant.object_id).or_default().push(VariantRef {
                width: u32::try_from(variant.width).unwrap_or(0),
                height: u32::try_from(variant.height).unwrap_or(0),
                content_type: variant.content_type,
                size: u64::try_from(variant.size_bytes).unwrap_or(0),
            });
        }
        Ok(objects
            .into_iter()
            .map(|o| {
                let reference = MediaRef {
                    id: o.id,
                    sha256: o.sha256,
                    content_type: o.content_type,
                    kind: o.kind,
                    size: u64::try_from(o.size_bytes).unwrap_or(0),
                    width: o.width.and_then(|w| u32::try_from(w).ok()),
                    height: o.height.and_then(|h| u32::try_from(h).ok()),
                    duration_ms: o.duration_ms.and_then(|d| u64::try_from(d).ok()),
                    variants: variants.remove(&o.id).unwrap_or_default(),
                };
                (reference.id, reference)
            })
            .collect())
    }

    async fn object_row(&self, sha256: &str) -> Result<Option<media_object::Model>, DbErr> {
        media_object::Entity::find().filter(media_object::Column::Sha256.eq(sha256)).one(self.db.read()).await
    }

    /// What `/media/<sha256>` serves: one query the first time, none after.
    pub async fn object(&self, sha256: &str) -> Result<Option<Served>, DbErr> {
        if let Some(served) = self.served.get(sha256) {
            return Ok(Some(served));
        }
        let Some(object) = self.object_row(sha256).await? else {
            return Ok(None);
        };
        let served = Served {
            sha256: object.sha256,
            content_type: object.content_type,
            size: u64::try_from(object.size_bytes).unwrap_or(0),
        };
        self.served.insert(sha256.to_owned(), served.clone());
        Ok(Some(served))
    }

    /// What `/media/<sha256>/<width>.<extension>` serves, if that variant has been made.
    pub async fn variant(&self, sha256: &str, name: &str) -> Result<Option<Served>, DbErr> {
        let key = format!("{sha256}/{name}");
        if let Some(served) = self.served.get(&key) {
            return Ok(Some(served));
        }
        let Some((width, content_type)) = name
            .split_once('.')
            .and_then(|(width, ext)| Some((width.parse::<i32>().ok()?, content_type_of_extension(ext)?)))
        else {
            return Ok(None);
        };
        let Some(object) = self.object_row(sha256).await? else {
            return Ok(None);
        };
        let Some(variant) = media_variant::Entity::find()
            .filter(media_variant::Column::ObjectId.eq(object.id))
            .filter(media_variant::Column::Width.eq(width))
            .filter(media_variant::Column::ContentType.eq(content_type))
            .one(self.db.read())
            .await?
        else {
            return Ok(None);
        };
        let served = Served {
            sha256: variant.sha256,
            content_type: variant.content_type,
            size: u64::try_from(variant.size_bytes).unwrap_or(0),
        };
        self.served.insert(key, served.clone());
        Ok(Some(served))
    }

    /// Makes the variants of these objects that are still missing, now (publishing calls this so
    /// that a published lesson names only variants that exist). Objects that are not images are
    /// skipped.
    pub async fn ensure_variants(&self, ids: &[i32]) -> Result<()> {
        let pending = media_job::Entity::find()
            .filter(media_job::Column::ObjectId.is_in(ids.iter().copied()))
            .filter(media_job::Column::DoneAt.is_null())
            .all(self.db.read())
            .await?;
        for job in pending {
            self.run_job(job).await?;
        }
        Ok(())
    }

    /// Makes variants until `shutdown` turns true, waking every poll interval or when woken.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let poll = std::time::Duration::from_millis(self.config.job_poll_milliseconds);
        loop {
            loop {
                match self.claim().await {
                    Ok(Some(job)) => {
                        if let Err(error) = self.run_job(job).await {
                            tracing::warn!(%error, "media: a variant job failed");
                        }
                    }
                    Ok(None) => break,
                    Err(error) => {
                        tracing::warn!(%error, "media: could not claim a job");
                        break;
                    }
                }
            }
            if let Ok((waiting, failed)) = self.pending_jobs().await {
                metrics::gauge!("media_jobs_waiting").set(waiting as f64);
                metrics::gauge!("media_jobs_failed").set(failed as f64);
            }
            tokio::select! {
                _ = shutdown.changed() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
            if *shutdown.borrow() {
                break;
            }
        }
    }

    /// Reserves the oldest due job for this server (several servers may share the database).
    async fn claim(&self) -> Result<Option<media_job::Model>, DbErr> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let due = media_job::Column::DoneAt
            .is_null()
            .and(media_job::Column::Attempts.lt(MAX_ATTEMPTS))
            .and(media_job::Column::LockedUntil.is_null().or(media_job::Column::LockedUntil.lt(now)));
        let mut query = media_job::Entity::find().filter(due).order_by_asc(media_job::Column::Id).limit(1);
        if txn.get_database_backend() == DbBackend::Postgres {
            query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let claimed = query.one(&txn).await?;
        if let Some(job) = &claimed {
            media_job::Entity::update_many()
                .col_expr(media_job::Column::LockedUntil, Expr::value(now + Duration::minutes(LEASE_MINUTES)))
                .col_expr(media_job::Column::Attempts, Expr::col(media_job::Column::Attempts).add(1))
                .filter(media_job::Column::Id.eq(job.id))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(claimed)
    }

    /// Makes one object's variants: stored first, then recorded with the job marked done in one
    /// transaction, so a server killed half-way leaves the job to be done again, never half-recorded,
    /// and two servers (or publishing and the worker) doing it at once record it once.
    async fn run_job(&self, job: media_job::Model) -> Result<()> {
        let outcome = self.make_variants(job.object_id).await;
        let now = self.clock.now();
        let mut row: media_job::ActiveModel = job.clone().into();
        row.locked_until = Set(None);
        match outcome {
            Ok(variants) => {
                let txn = self.db.begin().await?;
                // Publishing and the worker may make the same object's variants at once: the
                // first to lock the job records them, the other finds it done and stops there.
                let mut current = media_job::Entity::find_by_id(job.id);
                if txn.get_database_backend() == DbBackend::Postgres {
                    current = current.lock(LockType::Update);
                }
                if current.one(&txn).await?.is_none_or(|current| current.done_at.is_some()) {
                    txn.commit().await?;
                    return Ok(());
                }
                media_variant::Entity::delete_many()
                    .filter(media_variant::Column::ObjectId.eq(job.object_id))
                    .exec(&txn)
                    .await?;
                for variant in variants {
                    variant.insert(&txn).await?;
                }
                row.done_at = Set(Some(now));
                row.last_error = Set(None);
                row.update(&txn).await?;
                txn.commit().await?;
                Ok(())
            }
            Err(error) => {
                row.last_error = Set(Some(error.to_string()));
                row.update(self.db.write()).await?;
                Err(error)
            }
        }
    }

    async fn make_variants(&self, object_id: i32) -> Result<Vec<media_variant::ActiveModel>> {
        let object = media_object::Entity::find_by_id(object_id)
            .one(self.db.read())
            .await?
            .ok_or_else(|| MediaError::Processing(format!("media object {object_id} is gone")))?;
        let bytes = self.storage.get(&object.sha256).await?;
        let original_size = bytes.len();
        let widths = self.config.variant_widths.clone();
        let limits = self.image_limits();
        let made = tokio::task::spawn_blocking(move || images::variants(&bytes, &widths, &limits))
            .await
            .map_err(|e| MediaError::Processing(e.to_string()))?
            .map_err(|e| MediaError::Processing(e.to_string()))?;
        // A variant is kept only when it is smaller than the original and than every wider variant
        // of its format (a downscaled diagram can compress worse than a wider one): otherwise the
        // wider file serves that width too.
        let mut made = made;
        made.sort_by_key(|v| std::cmp::Reverse(v.width));
        let mut smallest: HashMap<&'static str, usize> = HashMap::new();
        let mut kept = Vec::with_capacity(made.len());
        for variant in made {
            let bound = smallest.get(variant.content_type).copied().unwrap_or(original_size);
            if variant.bytes.len() < bound {
                smallest.insert(variant.content_type, variant.bytes.len());
                kept.push(variant);
            }
        }
        let mut rows = Vec::with_capacity(kept.len());
        for variant in kept {
            let sha256 = self.storage.put(&variant.bytes).await?;
            rows.push(media_variant::ActiveModel {
                object_id: Set(object_id),
                width: Set(i32::try_from(variant.width).unwrap_or(i32::MAX)),
                height: Set(i32::try_from(variant.height).unwrap_or(i32::MAX)),
                content_type: Set(variant.content_type.to_owned()),
                sha256: Set(sha256),
                size_bytes: Set(i64::try_from(variant.bytes.len()).unwrap_or(i64::MAX)),
                ..Default::default()
            });
        }
        Ok(rows)
    }

    /// Jobs not done: (waiting, failed for good), exported as metrics.
    pub async fn pending_jobs(&self) -> Result<(u64, u64), DbErr> {
        use sea_orm::PaginatorTrait;
        let open = media_job::Entity::find().filter(media_job::Column::DoneAt.is_null());
        let failed =
            open.clone().filter(media_job::Column::Attempts.gte(MAX_ATTEMPTS)).count(self.db.read()).await?;
        Ok((open.count(self.db.read()).await? - failed, failed))
    }
}

fn kind_phrase(kind: Kind) -> &'static str {
    match kind {
        Kind::Image => "an image",
        Kind::Audio => "an audio file",
        Kind::Video => "a video",
        Kind::Document => "a PDF",
    }
}

/// The CPU-bound half of [`Media::prepare`].
fn prepare_blocking(
    name: &str,
    bytes: Vec<u8>,
    sniffed: av::Sniffed,
    limits: &images::Limits,
) -> Result<Prepared> {
    let refused = |why: String| MediaError::Refused(format!("{name}: {why}"));
    match sniffed.kind {
        Kind::Image => {
            let cleaned = images::clean_original(&bytes, limits).map_err(|e| refused(e.to_string()))?;
            Ok(Prepared {
                size: cleaned.bytes.len() as u64,
                content_type: cleaned.info.content_type,
                width: Some(cleaned.info.width),
                height: Some(cleaned.info.height),
                bytes: cleaned.bytes,
                kind: Kind::Image,
                duration_ms: None,
            })
        }
        Kind::Audio | Kind::Video => {
            let info = av::inspect(sniffed.content_type, &mut std::io::Cursor::new(&bytes))
                .map_err(|e| refused(e.to_string()))?;
            let kind = if info.has_video { Kind::Video } else { Kind::Audio };
            let content_type = match (sniffed.content_type, kind) {
                ("video/mp4", Kind::Audio) => "audio/mp4",
                (content_type, _) => content_type,
            };
            let bytes = if info.fast_start {
                bytes
            } else {
                let mut rewritten = Vec::with_capacity(bytes.len());
                av::make_fast_start(&mut std::io::Cursor::new(&bytes), &mut rewritten)
                    .map_err(|e| refused(e.to_string()))?;
                rewritten
            };
            Ok(Prepared {
                size: bytes.len() as u64,
                bytes,
                content_type,
                kind,
                width: info.width,
                height: info.height,
                duration_ms: info.duration_ms,
            })
        }
        Kind::Document => Ok(Prepared {
            size: bytes.len() as u64,
            bytes,
            content_type: sniffed.content_type,
            kind: Kind::Document,
            width: None,
            height: None,
            duration_ms: None,
        }),
    }
}
