//! The test issuer the credential targets share: its key (the seed corpus is signed with the same
//! secret by `fuzz/seeds.py`), a fixed "now" and a status lookup that finds every certificate
//! active.

use chrono::{DateTime, TimeZone, Utc};
use lantern::credits::certificate::{IssuerKey, KeySet, StatusAnswer, StatusRef};
use secrecy::SecretBox;
use std::sync::OnceLock;

/// The test issuer of the seed corpus (`fuzz/seeds.py` signs with the same secret).
pub const SECRET: [u8; 32] = [7; 32];
const KEY_DIRECTORY: &str = "https://cpd.example.org/keys";
const ISSUER: &str = "https://cpd.example.org/issuers/eanma";

pub fn keys() -> &'static (IssuerKey, KeySet) {
    static KEYS: OnceLock<(IssuerKey, KeySet)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let Ok(key) = IssuerKey::from_secret(&SecretBox::new(Box::new(SECRET)), KEY_DIRECTORY, ISSUER) else {
            panic!("the test key is valid")
        };
        let Ok(set) = KeySet::new(vec![key.entry(DateTime::UNIX_EPOCH, None)]) else {
            panic!("the test key set is valid")
        };
        (key, set)
    })
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).single().unwrap_or(DateTime::UNIX_EPOCH)
}

pub fn active(_: &StatusRef, _: DateTime<Utc>) -> StatusAnswer {
    StatusAnswer::Active
}
