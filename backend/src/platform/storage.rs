//! Object storage through opendal: `fs` under `<data_dir>/media` by default, or any S3-compatible
//! store. Objects are named by the SHA-256 of their bytes, so the same file is stored once and a
//! name never changes meaning. Large objects go in and out as streams: memory stays flat whatever
//! the file's size.

use crate::config::{Config, MediaStore, S3Config};
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use opendal::Operator;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use tokio::io::AsyncReadExt;

/// Objects are written in parts of this size (S3 multipart needs at least 5 MiB per part).
const PART_BYTES: usize = 8 * 1024 * 1024;
/// Objects are read in chunks of this size.
const READ_CHUNK_BYTES: usize = 256 * 1024;

/// The media store.
#[derive(Clone, Debug)]
pub struct Storage {
    operator: Operator,
    /// The folder of an `fs` store: small ranges are read from it directly (see [`Storage::stream`]).
    local: Option<Local>,
}

/// An `fs` store's folder and the objects opened in it for small ranges. An object never changes
/// under its address, so a file once opened serves every later range of it (a video player asks
/// for hundreds); the cache bounds how many stay open.
#[derive(Clone)]
struct Local {
    dir: std::path::PathBuf,
    open: Arc<quick_cache::sync::Cache<String, Arc<std::fs::File>>>,
}

impl std::fmt::Debug for Local {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Local").field("dir", &self.dir).field("open", &self.open.len()).finish()
    }
}

/// Files kept open for small ranges.
const OPEN_FILES: usize = 256;

/// Why the store could not do what was asked.
pub type StorageError = opendal::Error;

impl Storage {
    /// The store the configuration names.
    pub fn from_config(config: &Config) -> Result<Self, StorageError> {
        match config.media.store {
            MediaStore::Fs => Self::local(&config.data_dir.join("media")),
            MediaStore::S3 => Self::s3(&config.media.s3),
        }
    }

    /// A store in a local folder. Objects are written under `.partial/` and renamed into place
    /// when complete, so a reader (or another server sharing the folder, writing the same
    /// object) never sees half a file, and an aborted or killed upload leaves nothing behind.
    pub fn local(dir: &Path) -> Result<Self, StorageError> {
        let partial = dir.join(".partial");
        std::fs::create_dir_all(&partial)
            .map_err(|e| opendal::Error::new(opendal::ErrorKind::Unexpected, e.to_string()))?;
        let builder = opendal::services::Fs::default()
            .root(&dir.to_string_lossy())
            .atomic_write_dir(&partial.to_string_lossy());
        let local =
            Local { dir: dir.to_path_buf(), open: Arc::new(quick_cache::sync::Cache::new(OPEN_FILES)) };
        Ok(Self { operator: Operator::new(builder)?, local: Some(local) })
    }

    /// A bucket of an S3-compatible store. Credentials come from the configuration only: the
    /// machine's AWS files and instance metadata are never consulted.
    pub fn s3(config: &S3Config) -> Result<Self, StorageError> {
        // Installs opendal's HTTP transport (reqwest with rustls); harmless when done twice.
        opendal::install_default();
        let secret =
            config.secret_access_key.as_ref().map(|s| s.expose_secret().to_owned()).unwrap_or_default();
        let builder = opendal::services::S3::default()
            .endpoint(&config.endpoint)
            .bucket(&config.bucket)
            .region(&config.region)
            .root(if config.root.is_empty() { "/" } else { &config.root })
            .access_key_id(&config.access_key_id)
            .secret_access_key(&secret)
            .disable_config_load()
            .disable_ec2_metadata();
        let operator = Operator::new(builder)?
            .layer(opendal::layers::TimeoutLayer::new())
            .layer(opendal::layers::RetryLayer::new().with_max_times(3));
        Ok(Self { operator, local: None })
    }

    fn key(sha256: &str) -> String {
        format!("{}/{sha256}", sha256.get(..2).unwrap_or("00"))
    }

    /// Stores bytes under their hash (once) and returns the hash.
    pub async fn put(&self, bytes: &[u8]) -> Result<String, StorageError> {
        let sha256 = hex(&Sha256::digest(bytes));
        let key = Self::key(&sha256);
        if !self.operator.exists(&key).await? {
            let writer = self.operator.writer(&key).await?;
            written(writer, async |writer| writer.write(bytes.to_vec()).await).await?;
        }
        Ok(sha256)
    }

    /// Stores a file under its hash (once), reading it twice as a stream: to hash it, then to
    /// upload it in parts. Returns the hash and the size. A failed upload is aborted, so no
    /// partial object is left under the name.
    pub async fn put_file(&self, path: &Path) -> Result<(String, u64), StorageError> {
        let io = |e: std::io::Error| opendal::Error::new(opendal::ErrorKind::Unexpected, e.to_string());
        let mut file = tokio::fs::File::open(path).await.map_err(io)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; READ_CHUNK_BYTES];
        let mut size = 0u64;
        loop {
            let read = file.read(&mut buffer).await.map_err(io)?;
            if read == 0 {
                break;
            }
            hasher.update(buffer.get(..read).unwrap_or_default());
            size += read as u64;
        }
        let sha256 = hex(&hasher.finalize());
        let key = Self::key(&sha256);
        if self.operator.exists(&key).await? {
            return Ok((sha256, size));
        }
        let mut file = tokio::fs::File::open(path).await.map_err(io)?;
        let writer = self.operator.writer_with(&key).chunk(PART_BYTES).await?;
        let mut part = vec![0; PART_BYTES];
        written(writer, async |writer| {
            loop {
                let read = read_full(&mut file, &mut part).await.map_err(io)?;
                if read == 0 {
                    return Ok(());
                }
                writer.write(Bytes::copy_from_slice(part.get(..read).unwrap_or_default())).await?;
            }
        })
        .await?;
        Ok((sha256, size))
    }

    /// The bytes stored under a hash.
    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>, StorageError> {
        Ok(self.operator.read(&Self::key(sha256)).await?.to_vec())
    }

    /// A byte range of the object stored under a hash, as a stream of chunks.
    ///
    /// A range of at most one chunk from a local folder (what a video player or PDF viewer asks
    /// for) is one `pread` on an already open file, done on the calling thread: from the page
    /// cache it takes microseconds, less than a hop to the blocking pool and back, and opendal's
    /// reader would open, look up and read in separate hops. (nginx without `aio threads` reads
    /// the same way; a cold disk stalls that worker for one read.)
    pub async fn stream(
        &self,
        sha256: &str,
        range: Range<u64>,
    ) -> Result<BoxStream<'static, std::io::Result<Bytes>>, StorageError> {
        let length = range.end.saturating_sub(range.start);
        if let Some(local) = self.local.as_ref().filter(|_| length <= READ_CHUNK_BYTES as u64) {
            let io = |e: std::io::Error| opendal::Error::new(opendal::ErrorKind::Unexpected, e.to_string());
            let file = match local.open.get(sha256) {
                Some(file) => file,
                None => {
                    let file = Arc::new(std::fs::File::open(local.dir.join(Self::key(sha256))).map_err(io)?);
                    local.open.insert(sha256.to_owned(), Arc::clone(&file));
                    file
                }
            };
            let mut bytes = vec![0; usize::try_from(length).unwrap_or(0)];
            std::os::unix::fs::FileExt::read_exact_at(&*file, &mut bytes, range.start).map_err(io)?;
            return Ok(futures_util::stream::once(async { Ok(Bytes::from(bytes)) }).boxed());
        }
        let reader = self.operator.reader_with(&Self::key(sha256)).chunk(READ_CHUNK_BYTES).await?;
        Ok(reader.into_bytes_stream(range).await?.boxed())
    }

    /// Whether an object is stored under the hash.
    pub async fn contains(&self, sha256: &str) -> Result<bool, StorageError> {
        self.operator.exists(&Self::key(sha256)).await
    }
}

/// Runs `write` on `writer` and closes it, or aborts it at the first error: a failed upload (a
/// full disk, a store that stopped answering) leaves neither an object nor its partial file,
/// which on a full disk would keep the store full.
async fn written(
    mut writer: opendal::Writer,
    write: impl AsyncFnOnce(&mut opendal::Writer) -> Result<(), StorageError>,
) -> Result<(), StorageError> {
    let result = async {
        write(&mut writer).await?;
        writer.close().await.map(|_| ())
    }
    .await;
    if result.is_err() {
        let _ = writer.abort().await;
    }
    result
}

/// Fills `buffer` from `file` unless the file ends first; returns how much was read.
async fn read_full(file: &mut tokio::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buffer.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        let read = file.read(rest).await?;
        if read == 0 {
            break;
        }
        filled += read;
    }
    Ok(filled)
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
