//! Object storage through opendal: `fs` under `<data_dir>/media` by default (an S3-compatible
//! store arrives with the media feature). Objects are named by the SHA-256 of their bytes, so the
//! same file is stored once and a name never changes meaning.

use opendal::Operator;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The media store.
#[derive(Clone, Debug)]
pub struct Storage {
    operator: Operator,
}

impl Storage {
    /// A store in a local folder.
    pub fn local(dir: &Path) -> Result<Self, opendal::Error> {
        std::fs::create_dir_all(dir)
            .map_err(|e| opendal::Error::new(opendal::ErrorKind::Unexpected, e.to_string()))?;
        let builder = opendal::services::Fs::default().root(&dir.to_string_lossy());
        Ok(Self { operator: Operator::new(builder)? })
    }

    fn key(sha256: &str) -> String {
        format!("{}/{sha256}", sha256.get(..2).unwrap_or("00"))
    }

    /// Stores bytes under their hash (once) and returns the hash.
    pub async fn put(&self, bytes: &[u8]) -> Result<String, opendal::Error> {
        let sha256: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        let key = Self::key(&sha256);
        if !self.operator.exists(&key).await? {
            self.operator.write(&key, bytes.to_vec()).await?;
        }
        Ok(sha256)
    }

    /// The bytes stored under a hash.
    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>, opendal::Error> {
        Ok(self.operator.read(&Self::key(sha256)).await?.to_vec())
    }
}
