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
/// A range of at most this size is served from whole blocks of this size (see [`Storage::stream`]).
const BLOCK_BYTES: u64 = READ_CHUNK_BYTES as u64;

/// The media store.
#[derive(Clone, Debug)]
pub struct Storage {
    operator: Operator,
    /// The folder of an `fs` store: small ranges are read from it directly (see [`Storage::stream`]).
    local: Option<Local>,
    /// Blocks of objects lately read in small ranges, kept in memory; `None` when turned off.
    blocks: Option<Arc<Blocks>>,
}

/// A block of an object: the object's SHA-256 and the block's number in it.
type BlockKey = ([u8; 32], u64);

/// Blocks in memory, weighed by their bytes. An object never changes under its address, so a
/// block kept is never stale.
type Blocks = quick_cache::sync::Cache<BlockKey, Bytes, BlockWeight>;

#[derive(Clone, Debug)]
struct BlockWeight;

impl quick_cache::Weighter<BlockKey, Bytes> for BlockWeight {
    fn weight(&self, _key: &BlockKey, block: &Bytes) -> u64 {
        block.len().max(1) as u64
    }
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
        .map(|storage| storage.with_memory_cache(config.media.memory_cache_mb.saturating_mul(1024 * 1024)))
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
        Ok(Self { operator: Operator::new(builder)?, local: Some(local), blocks: None })
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
        Ok(Self { operator, local: None, blocks: None })
    }

    /// Keeps up to `bytes` of blocks read for small ranges in memory (0: none). A video player or
    /// PDF viewer reads a file in many small ranges, often the same ones again (seeking back, a
    /// class watching the same lesson); a block in memory is served with no read from the store
    /// and no copy out of it, where from a local folder each range costs a `pread` that copies
    /// it, and from S3 a request over the network.
    pub fn with_memory_cache(mut self, bytes: u64) -> Self {
        self.blocks = (bytes >= BLOCK_BYTES).then(|| {
            let blocks = usize::try_from(bytes / BLOCK_BYTES).unwrap_or(usize::MAX);
            Arc::new(Blocks::with_weighter(blocks, bytes, BlockWeight))
        });
        self
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

    /// A byte range of the object stored under a hash (`size` bytes long), as a stream of chunks.
    ///
    /// A range of at most one block (what a video player or PDF viewer asks for) is cut from the
    /// blocks it touches, one or two, kept in memory when [`Storage::with_memory_cache`] allows.
    /// A block not in memory, or every small range when nothing is kept, is one read: from a
    /// local folder a `pread` on an already open file, done on the calling thread (from the page
    /// cache it takes microseconds, less than a hop to the blocking pool and back; nginx without
    /// `aio threads` reads the same way, and a cold disk stalls that worker for one read), from
    /// S3 one ranged GET. Larger ranges stream: from a folder in chunks, from S3 as one GET.
    pub async fn stream(
        &self,
        sha256: &str,
        range: Range<u64>,
        size: u64,
    ) -> Result<BoxStream<'static, std::io::Result<Bytes>>, StorageError> {
        let length = range.end.saturating_sub(range.start);
        if length <= BLOCK_BYTES {
            let parts = match (&self.blocks, object_id(sha256)) {
                (Some(blocks), Some(id)) => self.cut_from_blocks(blocks, sha256, id, range, size).await?,
                _ => vec![self.read_range(sha256, range).await?],
            };
            return Ok(futures_util::stream::iter(parts.into_iter().map(Ok)).boxed());
        }
        // From a folder, in chunks; from S3, one GET streamed as it arrives: a request per chunk
        // would cost a round trip and the store's work for each (64 for a 16 MiB file).
        let reader = match self.local {
            Some(_) => self.operator.reader_with(&Self::key(sha256)).chunk(READ_CHUNK_BYTES).await?,
            None => self.operator.reader(&Self::key(sha256)).await?,
        };
        Ok(reader.into_bytes_stream(range).await?.boxed())
    }

    /// A small range cut from the blocks it touches, each read once and then kept in memory
    /// (concurrent readers of a missing block wait for one read).
    async fn cut_from_blocks(
        &self,
        blocks: &Blocks,
        sha256: &str,
        id: [u8; 32],
        range: Range<u64>,
        size: u64,
    ) -> Result<Vec<Bytes>, StorageError> {
        let mut parts = Vec::with_capacity(2);
        let mut at = range.start;
        while at < range.end {
            let number = at / BLOCK_BYTES;
            let start = number * BLOCK_BYTES;
            let read = self.read_range(sha256, start..start.saturating_add(BLOCK_BYTES).min(size));
            let block = blocks.get_or_insert_async(&(id, number), read).await?;
            let from = usize::try_from(at - start).unwrap_or(usize::MAX);
            let to = usize::try_from(range.end - start).unwrap_or(usize::MAX).min(block.len());
            if from >= to {
                return Err(opendal::Error::new(
                    opendal::ErrorKind::Unexpected,
                    format!("object {sha256} ends at byte {}, before its recorded size", start + to as u64),
                ));
            }
            parts.push(block.slice(from..to));
            at = start + to as u64;
        }
        Ok(parts)
    }

    /// One read of a byte range: a `pread` from a local folder, a ranged GET from S3.
    async fn read_range(&self, sha256: &str, range: Range<u64>) -> Result<Bytes, StorageError> {
        let Some(local) = self.local.as_ref() else {
            return Ok(self.operator.read_with(&Self::key(sha256)).range(range).await?.to_bytes());
        };
        let io = |e: std::io::Error| opendal::Error::new(opendal::ErrorKind::Unexpected, e.to_string());
        let file = match local.open.get(sha256) {
            Some(file) => file,
            None => {
                let file = Arc::new(std::fs::File::open(local.dir.join(Self::key(sha256))).map_err(io)?);
                local.open.insert(sha256.to_owned(), Arc::clone(&file));
                file
            }
        };
        let mut bytes = vec![0; usize::try_from(range.end.saturating_sub(range.start)).unwrap_or(0)];
        std::os::unix::fs::FileExt::read_exact_at(&*file, &mut bytes, range.start).map_err(io)?;
        Ok(Bytes::from(bytes))
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

/// The 32 bytes a SHA-256 in lower-case hexadecimal spells, if it is one.
fn object_id(sha256: &str) -> Option<[u8; 32]> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut id = [0u8; 32];
    if sha256.len() != 64 {
        return None;
    }
    for (byte, pair) in id.iter_mut().zip(sha256.as_bytes().chunks_exact(2)) {
        *byte = (digit(*pair.first()?)? << 4) | digit(*pair.get(1)?)?;
    }
    Some(id)
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::{BLOCK_BYTES, Storage, object_id};
    use futures_util::TryStreamExt;

    async fn read(storage: &Storage, sha256: &str, range: std::ops::Range<u64>, size: u64) -> Vec<u8> {
        let parts: Vec<_> = storage.stream(sha256, range, size).await.unwrap().try_collect().await.unwrap();
        parts.concat()
    }

    #[test]
    fn object_ids_are_read_from_lower_case_hexadecimal_only() {
        let sha = "00ff".repeat(16);
        assert_eq!(object_id(&sha).map(|id| (id[0], id[1], id[31])), Some((0x00, 0xff, 0xff)));
        assert_eq!(object_id(&sha[1..]), None, "63 digits");
        assert_eq!(object_id(&format!("{}g", &sha[1..])), None, "not a digit");
        assert_eq!(object_id(&format!("{}é", &sha[2..])), None, "not ASCII");
        assert_eq!(object_id(&sha.to_uppercase()), None, "upper case: another key in the store");
    }

    /// A block once read is served from memory: the file changed under it (which an address
    /// never does in use) does not show through where a block is kept, and does where none is.
    #[tokio::test]
    async fn kept_blocks_are_served_from_memory_and_a_short_object_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let object: Vec<u8> = (0..600_000u32).map(|i| (i % 253) as u8).collect();
        let size = object.len() as u64;
        let kept = Storage::local(dir.path()).unwrap().with_memory_cache(4 * 1024 * 1024);
        let sha = kept.put(&object).await.unwrap();
        let unkept = Storage::local(dir.path()).unwrap().with_memory_cache(0);
        let across = BLOCK_BYTES - 100..BLOCK_BYTES + 100;
        let want = object[BLOCK_BYTES as usize - 100..BLOCK_BYTES as usize + 100].to_vec();
        assert_eq!(read(&kept, &sha, across.clone(), size).await, want);
        assert_eq!(read(&unkept, &sha, across.clone(), size).await, want);

        let file = dir.path().join(Storage::key(&sha));
        std::fs::write(&file, vec![0u8; object.len()]).unwrap();
        assert_eq!(read(&kept, &sha, across.clone(), size).await, want, "kept in memory");
        assert_eq!(read(&unkept, &sha, across.clone(), size).await, vec![0; 200], "read again");
        assert_eq!(read(&kept, &sha, 599_000..599_010, size).await, vec![0; 10], "a block not read yet");

        // An object shorter than its recorded size is an error, not a short or endless answer.
        std::fs::write(&file, &object[..500_000]).unwrap();
        let fresh = Storage::local(dir.path()).unwrap().with_memory_cache(4 * 1024 * 1024);
        for storage in [&fresh, &unkept] {
            assert!(storage.stream(&sha, 550_000..550_010, size).await.is_err());
        }
    }
}
