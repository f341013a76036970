//! Secrets Lantern keeps in its database (the associations' and the platform's Ed25519 signing
//! keys) are sealed with ChaCha20-Poly1305 under a 256-bit key that lives outside the database: a
//! file, `<data_dir>/secrets.key` by default (made on first start, readable by its owner only),
//! or the file the configuration names. A copy of the database alone cannot sign anything;
//! keep the key file with the backups, apart from them. Each sealed value is bound to what it
//! is for (its key id), so a sealed secret moved to another row does not open.
//!
//! Stored form: `sealed1:` + base64url(12-byte random nonce ‖ ciphertext ‖ 16-byte tag). Values
//! written before sealing existed (plain base64) are still read, and sealed on start.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;
use std::path::Path;
use std::sync::Arc;

const PREFIX: &str = "sealed1:";

/// Seals and opens the database's secrets.
#[derive(Clone)]
pub struct Sealer {
    cipher: Arc<ChaCha20Poly1305>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    pub fn from_key(key: &[u8; 32]) -> Self {
        Self { cipher: Arc::new(ChaCha20Poly1305::new(&Key::from(*key))) }
    }

    /// The key in `path`, made there (owner-only) when the file does not exist yet. Servers
    /// that start together on one shared key file all end up with the one key: a new key is
    /// written whole to a file of its own, then linked into place, which only the first manages;
    /// the others read what it linked.
    pub fn open_or_create(path: &Path) -> std::io::Result<Self> {
        match read_key(path) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            found => return found.map(|key| Self::from_key(&key)),
        }
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let draft = path.with_extension(format!("new-{:016x}", rand::rng().next_u64()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&draft).and_then(|mut file| {
            std::io::Write::write_all(&mut file, &key)?;
            file.sync_all()
        });
        let linked = written.and_then(|()| std::fs::hard_link(&draft, path));
        let _ = std::fs::remove_file(&draft);
        match linked {
            Ok(()) => Ok(Self::from_key(&key)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                read_key(path).map(|key| Self::from_key(&key))
            }
            Err(error) => Err(error),
        }
    }

    /// Seals `secret` for `purpose` (the key id it belongs to).
    pub fn seal(&self, purpose: &str, secret: &[u8]) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce cannot fail.
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: secret, aad: purpose.as_bytes() })
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// Opens a stored secret sealed for `purpose` (or, from before sealing, plain base64). None
    /// when it was sealed under another key or for another purpose, or is damaged.
    pub fn open(&self, purpose: &str, stored: &str) -> Option<Vec<u8>> {
        let Some(sealed) = stored.strip_prefix(PREFIX) else {
            return STANDARD.decode(stored).ok();
        };
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        let nonce = <[u8; 12]>::try_from(bytes.get(..12)?).ok()?;
        self.cipher
            .decrypt(&Nonce::from(nonce), Payload { msg: bytes.get(12..)?, aad: purpose.as_bytes() })
            .ok()
    }

    /// Whether a stored value is sealed (rather than from before sealing).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

/// The 32 bytes of a key file.
fn read_key(path: &Path) -> std::io::Result<[u8; 32]> {
    std::fs::read(path)?.as_slice().try_into().map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} must hold exactly 32 bytes", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_purpose() {
        let sealer = Sealer::from_key(&[7; 32]);
        let sealed = sealer.seal("kid-1", b"signing key bytes");
        assert!(Sealer::is_sealed(&sealed) && !sealed.contains("signing"));
        assert_eq!(sealer.open("kid-1", &sealed).as_deref(), Some(&b"signing key bytes"[..]));
        assert_eq!(sealer.open("kid-2", &sealed), None, "bound to its purpose");
        assert_eq!(Sealer::from_key(&[8; 32]).open("kid-1", &sealed), None, "another key");
        let mut damaged = sealed.clone();
        damaged.pop();
        assert_eq!(sealer.open("kid-1", &damaged), None);
        assert_ne!(sealer.seal("kid-1", b"x"), sealer.seal("kid-1", b"x"), "a fresh nonce each time");
        assert_eq!(sealer.open("kid-1", &STANDARD.encode(b"legacy")).as_deref(), Some(&b"legacy"[..]));
    }

    #[test]
    fn servers_starting_together_on_one_key_file_get_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared/secrets.key");
        let sealers: Vec<Sealer> = std::thread::scope(|scope| {
            let started: Vec<_> =
                (0..8).map(|_| scope.spawn(|| Sealer::open_or_create(&path).unwrap())).collect();
            started.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let sealed = sealers[0].seal("p", b"v");
        for sealer in &sealers {
            assert_eq!(sealer.open("p", &sealed).as_deref(), Some(&b"v"[..]), "one key for all");
        }
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no draft key file left behind");
    }

    #[test]
    fn the_key_file_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/secrets.key");
        let sealed = Sealer::open_or_create(&path).unwrap().seal("p", b"v");
        let again = Sealer::open_or_create(&path).unwrap();
        assert_eq!(again.open("p", &sealed).as_deref(), Some(&b"v"[..]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, b"short").unwrap();
        assert!(Sealer::open_or_create(&path).is_err());
    }
}
