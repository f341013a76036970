//! Course-completion certificates: Open Badges 3.0 `OpenBadgeCredential`s secured as VC-JWTs
//! (EdDSA over Ed25519), the issuer key history and its JWKS, verification (one at a time and in
//! batches), and the compact signed form that a certificate's QR code carries for offline checks.
//! Pure rules: no database, no clock (callers pass `now`), no I/O; `status_list` builds on it.
//!
//! # Keys, `kid` and rotation
//!
//! Each issuing association holds Ed25519 keys. The service stores a key's 32-byte secret (see
//! [`IssuerKey::secret`]); public keys are published as a JWKS ([`KeySet::to_jwks`]) that never
//! contains `d`. A key's id is `{key directory URL}#{thumbprint}`, where the thumbprint is the
//! RFC 7638 JWK SHA-256 thumbprint (RFC 8037 §A.3) in base64url, and the directory URL is where the
//! JWKS is served, e.g. `https://{host}/issuers/{org-slug}/jwks.json`. The `kid` is therefore stable
//! and self-checking: a verifier rejects a key whose `kid` fragment is not its own thumbprint.
//!
//! Every published key carries three Lantern members besides the RFC 7517 ones (unknown members
//! MUST be ignored by other JWK consumers, RFC 7517 §4): `iss` (the issuer id it signs for), `nbf`
//! (in service from, Unix seconds) and, once retired, `exp` (retired at). **Rotation rule:** a
//! signature by key K counts only when the credential's `validFrom` T satisfies
//! `K.nbf <= T < K.exp` (no upper bound while K is current), and the credential's issuer id equals
//! `K.iss`. Lantern sets `validFrom` to the signing time (the completion date goes to
//! `awardedDate`), so adding a key and retiring the old one leaves every certificate issued before
//! the retirement valid, while anything "signed" by a retired key afterwards is rejected. A
//! *compromised* key is not retired but removed from the set: a thief could back-date `validFrom`,
//! so every certificate it signed must be reissued under a new key.
//!
//! # VC-JWT (OB 3.0 §8.2, "JSON Web Token Proof Format")
//!
//! Header `{"alg":"EdDSA","kid":…,"typ":"JWT"}` and no other member (OB 3.0: "Additional JOSE
//! Headers are NOT allowed"). Claims `iss` = `issuer.id`, `sub` = `credentialSubject.id`, `jti` =
//! `id`, `nbf` = `validFrom`, `exp` = `validUntil` (only when present), `iat` = `validFrom`, and the
//! credential in `vc` (the VC-JWT form that OB 3.0 verifiers must also accept). The compact JWS is
//! written here directly (about 40 lines): it keeps the strict parsing below in one place and avoids
//! `jsonwebtoken`, whose EdDSA backend would bring a second `ed25519-dalek`.
//!
//! # Verification rules (the offline JavaScript verifier ports these one for one)
//!
//! Any failure in steps 1–8 gives `NotGenuine`; nothing unknown is accepted.
//! 1. The JWT is at most 32 KiB, has exactly three `.`-separated parts of base64url without padding;
//!    a part whose last character carries non-zero spare bits is rejected (canonical encoding only).
//! 2. The header is a JSON object without duplicate member names, with `alg` = `"EdDSA"`, a string
//!    `kid`, optionally `typ` = `"JWT"`, and nothing else.
//! 3. `kid` names a key in the caller's key set (cached JWKS); otherwise `UnknownKey`.
//! 4. The signature is 64 bytes and verifies with Ed25519 in strict mode (RFC 8032 §5.1.7 plus:
//!    reject `S >= L`, a non-canonical or small-order `R`, and small-order keys) over the ASCII bytes
//!    `header "." payload` exactly as received.
//! 5. The payload is a JSON object without duplicate member names (at any depth) holding string
//!    `iss`, `sub`, `jti`, integer `nbf`, optional integer `exp` and `iat`, and object `vc`.
//!    (`JSON.parse` and `serde_json` both keep the last duplicate silently, so a port needs its own
//!    duplicate check, as `parse_object` does here.)
//! 6. `vc."@context"` is exactly `["https://www.w3.org/ns/credentials/v2",
//!    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]`; `vc.type` is an array holding
//!    `VerifiableCredential` and `OpenBadgeCredential` (or `AchievementCredential`).
//! 7. `iss` = `vc.issuer.id` (or `vc.issuer` when it is a string) = the key's `iss`; `sub` =
//!    `vc.credentialSubject.id`; `jti` = `vc.id`; `nbf` = `vc.validFrom` read as RFC 3339 (same
//!    instant, whole seconds); `exp` and `vc.validUntil` are both absent or the same instant and
//!    later than `nbf`. The key's validity window holds `validFrom` (rotation rule above).
//! 8. `vc.credentialStatus` is one object of type `BitstringStatusListEntry` with `statusPurpose`
//!    `"revocation"`, `statusListCredential` a string, and `statusListIndex` a decimal string of at
//!    most ten digits below 2^32. The summary is read as: recipient name = the `identifier` entry
//!    with `identityType` `"name"` and `hashed` false; licence number = the one with `identityType`
//!    `"ext:LicenceNumber"`; achievement name, category (`fieldOfStudy`), version; credits = the
//!    `result` whose `resultDescription` is the id of the achievement's result description with
//!    `resultType` `"ext:CPDCredits"`, its `value` a decimal with at most two places. Missing → reject.
//! 9. Then, with a genuine signature: `Revoked` if the status list says so; else `Expired` if
//!    now >= validUntil; else `NotYetValid` if now < validFrom (RFC 7519 `exp`/`nbf` semantics);
//!    else `StatusUnknown` if no fresh, signed status list answers (fail closed: never `Valid`
//!    without one); else `Valid`.
//!
//! # The compact form in the QR code
//!
//! A full VC-JWT is 1.5–2.5 KB, too big for a printable QR code, so the QR code carries the verify
//! page URL `https://{host}/verify/{id}#{code}`. The fragment never reaches the server; the page's
//! script (or any offline verifier holding the issuer's JWKS and a recent status list) checks `code`.
//! `{id}` is the certificate's public id: 1–64 characters of `A–Z a–z 0–9 - _`.
//!
//! `code` is the payload below followed by a 64-byte Ed25519 signature, written in decimal digits so
//! that the QR code can use numeric mode (3.3 bits a digit instead of 8 bits a base64 character):
//! every 7 bytes become 17 digits (the big-endian 56-bit number, zero-padded); a last group of
//! k = 1…6 bytes becomes 3, 5, 8, 10, 13 or 15 digits. A group whose value does not fit its bytes,
//! or a digit count that fits no group, is rejected.
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 1 | format version, `0x01` |
//! | 1 | 4 | key tag: the first 4 bytes of the issuer key's RFC 7638 SHA-256 thumbprint |
//! | 5 | 4 | status list tag: the first 4 bytes of SHA-256 of the UTF-8 `statusListCredential` URL |
//! | 9 | 4 | status list index, unsigned big-endian |
//! | 13 | 4 | `validFrom`, Unix seconds, unsigned big-endian |
//! | 17 | 4 | `validUntil`, Unix seconds, unsigned big-endian; 0 = no expiry, else > `validFrom` |
//! | 21 | 4 | CPD credits in hundredths, unsigned big-endian (150 = "1.5") |
//! | 25 | 1 + n | recipient name: length n (1–48), then n bytes of UTF-8 |
//! | … | 1 + n | achievement short name: length n (1–48), then UTF-8 |
//! | … | 1 + n | category: length n (1–32), then UTF-8 |
//! | end − 64 | 64 | Ed25519 signature (strict, as in step 4) |
//!
//! The signed message is `"lantern/cpd-certificate/compact/v1"`, one `0x00` byte, one byte holding
//! the length of `{id}`, the ASCII bytes of `{id}`, then every payload byte before the signature.
//! The domain string and the `0x00` byte (never found in a JWS signing input, which is base64url
//! and `.`) keep a compact signature from ever passing as a JWS signature or the reverse; binding
//! `{id}` stops a valid code from being pasted under another certificate's URL. The verifier tries
//! each cached key whose thumbprint starts with the key tag, applies the rotation rule to
//! `validFrom`, then step 9 with the status list whose URL hash starts with the list tag and whose
//! issuer is the key's issuer.
#![deny(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The W3C Verifiable Credentials Data Model 2.0 context.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context (version 3.0.3).
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The OB 3.0 JSON Schema that every certificate names in `credentialSchema`.
pub const OB_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
/// The `credentialSchema` type that OB 3.0 prescribes for [`OB_SCHEMA`].
pub const OB_SCHEMA_TYPE: &str = "1EdTechJsonSchemaValidator2019";
/// `identityType` of the recipient's professional licence number (an OB 3.0 `ext:` extension).
pub const LICENCE_IDENTITY_TYPE: &str = "ext:LicenceNumber";
/// `resultType` of the result description that carries the CPD credits.
pub const CREDITS_RESULT_TYPE: &str = "ext:CPDCredits";
/// Longest JWT the verifier reads; anything longer is rejected before decoding.
pub const MAX_JWT_LEN: usize = 32 * 1024;
/// Longest recipient name in the compact form (bytes of UTF-8).
pub const COMPACT_MAX_NAME: usize = 48;
/// Longest achievement short name in the compact form (bytes of UTF-8).
pub const COMPACT_MAX_ACHIEVEMENT: usize = 48;
/// Longest category in the compact form (bytes of UTF-8).
pub const COMPACT_MAX_CATEGORY: usize = 32;

const JWS_ALG: &str = "EdDSA";
const COMPACT_DOMAIN: &[u8] = b"lantern/cpd-certificate/compact/v1\x00";
const COMPACT_VERSION: u8 = 1;
const COMPACT_FIXED: usize = 25;
/// Longest `code` read: the largest payload (25 + 3 + 128 + 64 = 220 bytes) takes 535 digits.
const COMPACT_MAX_DIGITS: usize = 600;
const SIGNATURE_LEN: usize = 64;
/// Digits written for a last group of k bytes (k = 0…7); 7 bytes is a full group.
const DIGITS_FOR_BYTES: [usize; 8] = [0, 3, 5, 8, 10, 13, 15, 17];
/// Signatures verified together in one `verify_batch` call by [`verify_many`].
const BATCH: usize = 128;

/// Why a certificate or key could not be built or encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    /// A field that must be an absolute `https:`, `http:` or `urn:` URI is not one.
    #[error("{0} must be an absolute https, http or urn URI without spaces")]
    InvalidUri(&'static str),
    /// A required text field is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// Credits are not a decimal with at most two places.
    #[error("credits must be a decimal number with at most two decimal places, like \"1.5\"")]
    InvalidCredits,
    /// `validUntil` is not after `validFrom`, or a date is out of range.
    #[error("{0}")]
    InvalidDates(&'static str),
    /// The public id used in the verify URL has characters or a length we don't allow.
    #[error("a certificate's public id must be 1 to 64 characters of A-Z, a-z, 0-9, '-' or '_'")]
    InvalidPublicId,
    /// An achievement id already holds a `#` fragment (we add `#cpd-credits`).
    #[error("the achievement id must not contain '#'")]
    FragmentInAchievementId,
    /// A key, key entry or JWKS is unusable.
    #[error("key: {0}")]
    InvalidKey(String),
    /// The text does not fit in a QR code at error-correction level M.
    #[error("the text is too long for a QR code")]
    QrTooLong,
    /// Serialising JSON failed (cannot happen for the types here; kept rather than panicking).
    #[error("JSON serialisation failed")]
    Json,
}

impl From<serde_json::Error> for CertificateError {
    fn from(_: serde_json::Error) -> Self {
        Self::Json
    }
}

// ---------------------------------------------------------------------------------------------
// Small pieces: base64url, time, strict JSON, credits.
// ---------------------------------------------------------------------------------------------

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes canonical base64url without padding (spare bits must be zero: the crate's default).
fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn first4(hash: &[u8; 32]) -> [u8; 4] {
    let [a, b, c, d, ..] = *hash;
    [a, b, c, d]
}

/// RFC 3339 in UTC with whole seconds, the only form we write: `2026-01-31T09:30:00Z`.
pub(super) fn rfc3339(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(super) fn from_unix(secs: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
}

/// Reads an RFC 3339 timestamp as Unix seconds; `None` unless it is a whole second.
fn parse_instant(text: &str) -> Option<i64> {
    let time = DateTime::parse_from_rfc3339(text).ok()?;
    (time.timestamp_subsec_nanos() == 0).then(|| time.timestamp())
}

fn is_uri(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .or_else(|| text.strip_prefix("urn:"));
    matches!(rest, Some(rest) if !rest.is_empty())
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn require_uri(text: &str, field: &'static str) -> Result<(), CertificateError> {
    if is_uri(text) { Ok(()) } else { Err(CertificateError::InvalidUri(field)) }
}

fn require_text(text: &str, field: &'static str) -> Result<(), CertificateError> {
    if text.trim().is_empty() { Err(CertificateError::Empty(field)) } else { Ok(()) }
}

/// A JSON value read with duplicate member names rejected at every depth (`serde_json` alone keeps
/// the last duplicate silently, which would let two parsers see two different credentials).
struct StrictValue(Value);

#[derive(Debug, PartialEq, Eq)]
enum JsonError {
    Duplicate,
    Invalid,
}

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

const DUPLICATE: &str = "duplicate JSON member name";

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = StrictValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<StrictValue, E> {
        Ok(StrictValue(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<StrictValue, E> {
        Ok(StrictValue(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<StrictValue, E> {
        Ok(StrictValue(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<StrictValue, E> {
        serde_json::Number::from_f64(v)
            .map(|n| StrictValue(Value::Number(n)))
            .ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<StrictValue, E> {
        Ok(StrictValue(Value::String(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<StrictValue, E> {
        Ok(StrictValue(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<StrictValue, E> {
        Ok(StrictValue(Value::Null))
    }
    fn visit_none<E>(self) -> Result<StrictValue, E> {
        Ok(StrictValue(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrictValue, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(StrictValue(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<StrictValue, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let StrictValue(value) = access.next_value()?;
            if map.insert(key, value).is_some() {
                return Err(de::Error::custom(DUPLICATE));
            }
        }
        Ok(StrictValue(Value::Object(map)))
    }
}

/// Parses one JSON object with no duplicate member names and nothing after it.
fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonError> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let parsed = StrictValue::deserialize(&mut reader).and_then(|value| reader.end().map(|()| value));
    match parsed {
        Ok(StrictValue(Value::Object(map))) => Ok(map),
        Ok(_) => Err(JsonError::Invalid),
        Err(e) if e.to_string().starts_with(DUPLICATE) => Err(JsonError::Duplicate),
        Err(_) => Err(JsonError::Invalid),
    }
}

/// CPD credits, held exactly in hundredths; written as the shortest decimal ("1.5", "2", "0.25").
/// Signed payloads never carry floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CpdCredits(u32);

impl CpdCredits {
    /// Largest accepted value: 999,999.99 credits.
    const MAX: u32 = 99_999_999;

    /// Parses a decimal with 1–6 integer digits and at most two decimal places.
    pub fn parse(text: &str) -> Result<Self, CertificateError> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let well_formed = digits(whole)
            && whole.len() <= 6
            && (text.len() == whole.len() || (digits(fraction) && fraction.len() <= 2))
            && !(whole.len() > 1 && whole.starts_with('0'));
        if !well_formed {
            return Err(CertificateError::InvalidCredits);
        }
        let whole: u32 = whole.parse().map_err(|_| CertificateError::InvalidCredits)?;
        let cents: u32 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<u32>().map_err(|_| CertificateError::InvalidCredits)? * 10,
            _ => fraction.parse().map_err(|_| CertificateError::InvalidCredits)?,
        };
        Ok(Self(whole * 100 + cents))
    }

    /// Credits from hundredths (150 = 1.5 credits).
    pub fn from_hundredths(hundredths: u32) -> Result<Self, CertificateError> {
        if hundredths <= Self::MAX { Ok(Self(hundredths)) } else { Err(CertificateError::InvalidCredits) }
    }

    /// The value in hundredths.
    pub fn hundredths(self) -> u32 {
        self.0
    }
}

impl fmt::Display for CpdCredits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, cents) = (self.0 / 100, self.0 % 100);
        match cents {
            0 => write!(f, "{whole}"),
            c if c % 10 == 0 => write!(f, "{whole}.{}", c / 10),
            c => write!(f, "{whole}.{c:02}"),
        }
    }
}

impl Serialize for CpdCredits {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

// ---------------------------------------------------------------------------------------------
// Keys.
// ---------------------------------------------------------------------------------------------

/// RFC 7638 thumbprint of an Ed25519 public key (RFC 8037 §A.3): SHA-256 over
/// `{"crv":"Ed25519","kty":"OKP","x":"<base64url key>"}`.
pub fn thumbprint(key: &VerifyingKey) -> [u8; 32] {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, b64(key.as_bytes()));
    sha256(canonical.as_bytes())
}

/// The `kid` of `key` published in the JWKS at `key_directory`: `{key_directory}#{thumbprint}`.
pub fn kid_for(key_directory: &str, key: &VerifyingKey) -> String {
    format!("{key_directory}#{}", b64(&thumbprint(key)))
}

/// The 4-byte tag naming a status list in the compact form: SHA-256 of its URL, first 4 bytes.
pub fn status_list_tag(status_list_url: &str) -> [u8; 4] {
    first4(&sha256(status_list_url.as_bytes()))
}

/// An issuer's private signing key with its `kid` and the issuer id it signs for.
pub struct IssuerKey {
    signing: SigningKey,
    kid: String,
    issuer_id: String,
}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey").field("kid", &self.kid).field("issuer_id", &self.issuer_id).finish()
    }
}

impl IssuerKey {
    /// A new key from the caller's cryptographic RNG (`rand::rng()` in the service, a seeded
    /// `StdRng` in tests). `key_directory` is the URL of the issuer's JWKS.
    pub fn generate<R: rand::CryptoRng + ?Sized>(
        rng: &mut R,
        key_directory: &str,
        issuer_id: &str,
    ) -> Result<Self, CertificateError> {
        let mut secret = SecretBox::new(Box::new([0u8; 32]));
        rng.fill_bytes(secret.expose_secret_mut());
        Self::from_secret(&secret, key_directory, issuer_id)
    }

    /// The key for a stored 32-byte Ed25519 secret (RFC 8032 private key).
    pub fn from_secret(
        secret: &SecretBox<[u8; 32]>,
        key_directory: &str,
        issuer_id: &str,
    ) -> Result<Self, CertificateError> {
        require_uri(key_directory, "key directory URL")?;
        require_uri(issuer_id, "issuer id")?;
        if key_directory.contains('#') {
            return Err(CertificateError::InvalidKey("the key directory URL must not contain '#'".into()));
        }
        let signing = SigningKey::from_bytes(secret.expose_secret());
        let kid = kid_for(key_directory, &signing.verifying_key());
        Ok(Self { signing, kid, issuer_id: issuer_id.to_owned() })
    }

    /// The 32-byte secret to store (encrypted) by the service; zeroised when dropped.
    pub fn secret(&self) -> SecretBox<[u8; 32]> {
        SecretBox::new(Box::new(self.signing.to_bytes()))
    }

    /// The key id written into JWT headers.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The issuer id (`issuer.id`) this key signs for.
    pub fn issuer_id(&self) -> &str {
        &self.issuer_id
    }

    /// The public half.
    pub fn public_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// The key-set entry publishing this key, in service from `valid_from` until `valid_until`.
    pub fn entry(&self, valid_from: DateTime<Utc>, valid_until: Option<DateTime<Utc>>) -> KeyEntry {
        KeyEntry {
            kid: self.kid.clone(),
            issuer_id: self.issuer_id.clone(),
            public_key: self.public_key(),
            valid_from,
            valid_until,
        }
    }

    fn sign(&self, message: &[u8]) -> Signature {
        self.signing.sign(message)
    }
}

/// One published public key: what it signs for and when it was in service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// `{key directory URL}#{RFC 7638 thumbprint}`.
    pub kid: String,
    /// The `issuer.id` that credentials signed with this key must carry.
    pub issuer_id: String,
    /// The Ed25519 public key.
    pub public_key: VerifyingKey,
    /// First instant a credential's `validFrom` may have under this key.
    pub valid_from: DateTime<Utc>,
    /// Retirement: credentials whose `validFrom` is at or after it are rejected. `None` = current.
    pub valid_until: Option<DateTime<Utc>>,
}

impl KeyEntry {
    /// The rotation rule: was this key in service at `issued` (a credential's `validFrom`)?
    pub fn covers(&self, issued: i64) -> bool {
        self.valid_from.timestamp() <= issued
            && self.valid_until.is_none_or(|until| issued < until.timestamp())
    }
}

/// The keys a verifier trusts, by `kid`: every key an issuer ever used, current and retired.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    entries: Vec<KeyEntry>,
    tags: Vec<[u8; 4]>,
    by_kid: HashMap<String, usize>,
}

impl KeySet {
    /// Checks and indexes `entries`: unique `kid`s whose fragment is the key's own thumbprint,
    /// canonical keys of large order, issuer ids that are URIs, and `valid_until > valid_from`.
    pub fn new(entries: Vec<KeyEntry>) -> Result<Self, CertificateError> {
        let mut set = Self::default();
        for entry in entries {
            set.insert(entry)?;
        }
        Ok(set)
    }

    /// Adds one entry after the checks listed on [`KeySet::new`].
    pub fn insert(&mut self, entry: KeyEntry) -> Result<(), CertificateError> {
        let bad = |why: &str| Err(CertificateError::InvalidKey(format!("{}: {why}", entry.kid)));
        let print = thumbprint(&entry.public_key);
        match entry.kid.rsplit_once('#') {
            Some((directory, fragment)) if is_uri(directory) && fragment == b64(&print) => {}
            _ => return bad("the kid must be '{key directory URL}#{RFC 7638 thumbprint of the key}'"),
        }
        if entry.public_key.is_weak()
            || entry.public_key.to_edwards().compress().0 != *entry.public_key.as_bytes()
        {
            return bad("not a canonical Ed25519 public key of large order");
        }
        if !is_uri(&entry.issuer_id) {
            return bad("the issuer id must be a URI");
        }
        if entry.valid_until.is_some_and(|until| until <= entry.valid_from) {
            return bad("retired before it was in service");
        }
        if self.by_kid.contains_key(&entry.kid) {
            return bad("listed twice");
        }
        self.by_kid.insert(entry.kid.clone(), self.entries.len());
        self.tags.push(first4(&print));
        self.entries.push(entry);
        Ok(())
    }

    /// The entry for `kid`.
    pub fn get(&self, kid: &str) -> Option<&KeyEntry> {
        self.by_kid.get(kid).and_then(|&i| self.entries.get(i))
    }

    /// Every entry, in insertion order.
    pub fn entries(&self) -> &[KeyEntry] {
        &self.entries
    }

    fn by_tag(&self, tag: [u8; 4]) -> impl Iterator<Item = &KeyEntry> {
        self.entries.iter().zip(&self.tags).filter(move |(_, t)| **t == tag).map(|(entry, _)| entry)
    }

    /// The JWKS document: `{"keys":[{"kty":"OKP","crv":"Ed25519","x",…,"kid","alg":"EdDSA",
    /// "use":"sig","iss","nbf","exp"?}]}`. Public keys only: there is no `d` to leak.
    pub fn to_jwks(&self) -> String {
        #[derive(Serialize)]
        struct Jwk<'a> {
            kty: &'static str,
            crv: &'static str,
            x: String,
            kid: &'a str,
            alg: &'static str,
            #[serde(rename = "use")]
            usage: &'static str,
            iss: &'a str,
            nbf: i64,
            #[serde(skip_serializing_if = "Option::is_none")]
            exp: Option<i64>,
        }
        #[derive(Serialize)]
        struct Jwks<'a> {
            keys: Vec<Jwk<'a>>,
        }
        let keys = self
            .entries
            .iter()
            .map(|e| Jwk {
                kty: "OKP",
                crv: "Ed25519",
                x: b64(e.public_key.as_bytes()),
                kid: &e.kid,
                alg: JWS_ALG,
                usage: "sig",
                iss: &e.issuer_id,
                nbf: e.valid_from.timestamp(),
                exp: e.valid_until.map(|t| t.timestamp()),
            })
            .collect();
        // Serialising strings and integers cannot fail; an empty set would fail closed anyway.
        serde_json::to_string(&Jwks { keys }).unwrap_or_else(|_| String::from(r#"{"keys":[]}"#))
    }

    /// Reads a JWKS written by [`KeySet::to_jwks`] (for an offline cache). The whole document is
    /// rejected if any key holds a private member (`d`), is not Ed25519, or fails the checks of
    /// [`KeySet::new`]; unknown members are ignored as RFC 7517 §4 requires.
    pub fn from_jwks(json: &str) -> Result<Self, CertificateError> {
        let bad = |why: &str| CertificateError::InvalidKey(format!("JWKS: {why}"));
        let doc =
            parse_object(json.as_bytes()).map_err(|_| bad("not a JSON object without duplicate members"))?;
        let keys = doc.get("keys").and_then(Value::as_array).ok_or_else(|| bad("no keys array"))?;
        let mut set = Self::default();
        for jwk in keys {
            let jwk = jwk.as_object().ok_or_else(|| bad("a key is not an object"))?;
            let text = |name: &str| jwk.get(name).and_then(Value::as_str);
            if jwk.contains_key("d") {
                return Err(bad("a key holds a private member 'd'"));
            }
            if text("kty") != Some("OKP") || text("crv") != Some("Ed25519") {
                return Err(bad("only OKP / Ed25519 keys are accepted"));
            }
            if jwk.get("alg").is_some_and(|a| a.as_str() != Some(JWS_ALG))
                || jwk.get("use").is_some_and(|u| u.as_str() != Some("sig"))
            {
                return Err(bad("alg must be EdDSA and use must be sig"));
            }
            let x: [u8; 32] = text("x")
                .and_then(unb64)
                .and_then(|x| x.try_into().ok())
                .ok_or_else(|| bad("x is not 32 bytes of base64url"))?;
            let public_key = VerifyingKey::from_bytes(&x).map_err(|_| bad("x is not a curve point"))?;
            let time = |name: &str| jwk.get(name).and_then(Value::as_i64).and_then(from_unix);
            let valid_until = match jwk.get("exp") {
                None => None,
                Some(_) => Some(time("exp").ok_or_else(|| bad("exp is not a NumericDate"))?),
            };
            set.insert(KeyEntry {
                kid: text("kid").ok_or_else(|| bad("a key has no kid"))?.to_owned(),
                issuer_id: text("iss").ok_or_else(|| bad("a key has no iss"))?.to_owned(),
                public_key,
                valid_from: time("nbf").ok_or_else(|| bad("a key has no nbf"))?,
                valid_until,
            })?;
        }
        Ok(set)
    }
}

// ---------------------------------------------------------------------------------------------
// Building and signing a certificate.
// ---------------------------------------------------------------------------------------------

/// The issuing association, as named in `issuer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerInput {
    /// `issuer.id`, e.g. `https://{host}/issuers/{org-slug}`; also the JWT `iss`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Home page.
    pub url: String,
}

/// A salted SHA-256 hash of the recipient's e-mail address (OB 3.0 `IdentityObject`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedEmail {
    /// The address as the service normalises it (e.g. trimmed and lower-cased).
    pub email: String,
    /// A random salt, stored by the service so the recipient can prove the address later.
    pub salt: String,
}

/// The person who completed the course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientInput {
    /// `credentialSubject.id` and the JWT `sub`: a stable pseudonymous URI such as
    /// `urn:uuid:{learner uuid}`, never an e-mail address.
    pub id: String,
    /// Full name as it should be checked against an identity document.
    pub name: String,
    /// Professional licence number; written only when `licence_consent` is true.
    pub licence_number: Option<String>,
    /// The learner agreed to show the licence number on the certificate.
    pub licence_consent: bool,
    /// Optional hashed e-mail identifier.
    pub hashed_email: Option<HashedEmail>,
}

/// The accredited course, as the OB 3.0 `Achievement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchievementInput {
    /// Stable URL of the course's accreditation (no `#` fragment).
    pub id: String,
    /// Full course name.
    pub name: String,
    /// Name for the QR form (at most 48 bytes fit; longer is cut at a character boundary).
    pub short_name: Option<String>,
    /// What the course covers.
    pub description: String,
    /// What a learner had to do (OB 3.0 `criteria.narrative`, Markdown allowed).
    pub criteria: String,
    /// CPD credits awarded.
    pub credits: CpdCredits,
    /// CPD category (OB 3.0 `fieldOfStudy`), e.g. "Clinical practice".
    pub category: String,
    /// The course version that was completed (OB 3.0 `version`).
    pub course_version: String,
}

/// A competency the course is aligned to (OB 3.0 `Alignment`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetencyInput {
    /// Code within the framework (`targetCode`).
    pub code: String,
    /// Title (`targetName`).
    pub title: String,
    /// URL of the framework or the competency's page (`targetUrl`).
    pub framework_url: String,
}

/// Where the certificate's revocation bit lives (W3C `BitstringStatusListEntry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusInput {
    /// URL of the `BitstringStatusListCredential`.
    pub list_url: String,
    /// Bit position; assign randomly and never reuse (herd privacy).
    pub index: u32,
}

/// Everything a certificate says, in plain types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInput {
    /// The credential id URL, e.g. `https://{host}/certificates/{uuid}`; also the JWT `jti`.
    pub id: String,
    /// The issuing association.
    pub issuer: IssuerInput,
    /// The learner.
    pub recipient: RecipientInput,
    /// The course.
    pub achievement: AchievementInput,
    /// Competencies the course is aligned to.
    pub competencies: Vec<CompetencyInput>,
    /// The signing time (sub-second part dropped); the key's service window must hold it.
    pub valid_from: DateTime<Utc>,
    /// Expiry, if the certificate lapses.
    pub valid_until: Option<DateTime<Utc>>,
    /// When the course was completed (OB 3.0 `awardedDate`), kept across re-issues.
    pub awarded: Option<DateTime<Utc>>,
    /// Revocation entry.
    pub status: StatusInput,
}

impl CertificateInput {
    fn valid_from_secs(&self) -> i64 {
        self.valid_from.timestamp()
    }

    fn check(&self) -> Result<(), CertificateError> {
        require_uri(&self.id, "credential id")?;
        require_uri(&self.issuer.id, "issuer id")?;
        require_uri(&self.issuer.url, "issuer url")?;
        require_text(&self.issuer.name, "issuer name")?;
        require_uri(&self.recipient.id, "recipient id")?;
        require_text(&self.recipient.name, "recipient name")?;
        require_uri(&self.achievement.id, "achievement id")?;
        if self.achievement.id.contains('#') {
            return Err(CertificateError::FragmentInAchievementId);
        }
        require_text(&self.achievement.name, "achievement name")?;
        require_text(&self.achievement.description, "achievement description")?;
        require_text(&self.achievement.criteria, "achievement criteria")?;
        require_text(&self.achievement.category, "category")?;
        require_text(&self.achievement.course_version, "course version")?;
        for competency in &self.competencies {
            require_text(&competency.code, "competency code")?;
            require_text(&competency.title, "competency title")?;
            require_uri(&competency.framework_url, "competency framework URL")?;
        }
        require_uri(&self.status.list_url, "status list URL")?;
        if self.valid_until.is_some_and(|until| until.timestamp() <= self.valid_from_secs()) {
            return Err(CertificateError::InvalidDates("validUntil must be after validFrom"));
        }
        Ok(())
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CredentialDoc<'a> {
    #[serde(rename = "@context")]
    context: [&'static str; 2],
    id: &'a str,
    #[serde(rename = "type")]
    kind: [&'static str; 2],
    name: &'a str,
    issuer: ProfileDoc<'a>,
    valid_from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    awarded_date: Option<String>,
    credential_subject: SubjectDoc<'a>,
    credential_status: StatusEntryDoc<'a>,
    credential_schema: [SchemaDoc; 1],
}

#[derive(Serialize)]
struct ProfileDoc<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: [&'static str; 1],
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct SubjectDoc<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: [&'static str; 1],
    identifier: Vec<IdentityDoc<'a>>,
    achievement: AchievementDoc<'a>,
    result: [ResultDoc; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdentityDoc<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    identity_type: &'static str,
    hashed: bool,
    identity_hash: std::borrow::Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salt: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AchievementDoc<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: [&'static str; 1],
    achievement_type: &'static str,
    name: &'a str,
    description: &'a str,
    criteria: CriteriaDoc<'a>,
    field_of_study: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alignment: Vec<AlignmentDoc<'a>>,
    result_description: [ResultDescriptionDoc; 1],
}

#[derive(Serialize)]
struct CriteriaDoc<'a> {
    narrative: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AlignmentDoc<'a> {
    #[serde(rename = "type")]
    kind: [&'static str; 1],
    target_name: &'a str,
    target_url: &'a str,
    target_code: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultDescriptionDoc {
    id: String,
    #[serde(rename = "type")]
    kind: [&'static str; 1],
    name: &'static str,
    result_type: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultDoc {
    #[serde(rename = "type")]
    kind: [&'static str; 1],
    result_description: String,
    value: CpdCredits,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusEntryDoc<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    status_purpose: &'static str,
    status_list_index: String,
    status_list_credential: &'a str,
}

#[derive(Serialize)]
struct SchemaDoc {
    id: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct CertificateClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    jti: &'a str,
    nbf: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
    iat: i64,
    vc: &'a CredentialDoc<'a>,
}

fn credential_doc(input: &CertificateInput) -> Result<CredentialDoc<'_>, CertificateError> {
    input.check()?;
    let recipient = &input.recipient;
    let mut identifier = vec![IdentityDoc {
        kind: "IdentityObject",
        identity_type: "name",
        hashed: false,
        identity_hash: recipient.name.as_str().into(),
        salt: None,
    }];
    if let (Some(number), true) = (&recipient.licence_number, recipient.licence_consent) {
        require_text(number, "licence number")?;
        identifier.push(IdentityDoc {
            kind: "IdentityObject",
            identity_type: LICENCE_IDENTITY_TYPE,
            hashed: false,
            identity_hash: number.as_str().into(),
            salt: None,
        });
    }
    if let Some(email) = &recipient.hashed_email {
        require_text(&email.email, "e-mail")?;
        // OB 3.0 IdentityHash: "sha256$" + hex(SHA-256(identifier + salt)).
        let digest = sha256(format!("{}{}", email.email, email.salt).as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        identifier.push(IdentityDoc {
            kind: "IdentityObject",
            identity_type: "emailAddress",
            hashed: true,
            identity_hash: format!("sha256${hex}").into(),
            salt: Some(&email.salt),
        });
    }
    let achievement = &input.achievement;
    let credits_id = format!("{}#cpd-credits", achievement.id);
    Ok(CredentialDoc {
        context: [VC_CONTEXT, OB_CONTEXT],
        id: &input.id,
        kind: ["VerifiableCredential", "OpenBadgeCredential"],
        name: &achievement.name,
        issuer: ProfileDoc {
            id: &input.issuer.id,
            kind: ["Profile"],
            name: &input.issuer.name,
            url: &input.issuer.url,
        },
        valid_from: rfc3339(input.valid_from),
        valid_until: input.valid_until.map(rfc3339),
        awarded_date: input.awarded.map(rfc3339),
        credential_subject: SubjectDoc {
            id: &recipient.id,
            kind: ["AchievementSubject"],
            identifier,
            achievement: AchievementDoc {
                id: &achievement.id,
                kind: ["Achievement"],
                achievement_type: "Course",
                name: &achievement.name,
                description: &achievement.description,
                criteria: CriteriaDoc { narrative: &achievement.criteria },
                field_of_study: &achievement.category,
                version: &achievement.course_version,
                alignment: input
                    .competencies
                    .iter()
                    .map(|c| AlignmentDoc {
                        kind: ["Alignment"],
                        target_name: &c.title,
                        target_url: &c.framework_url,
                        target_code: &c.code,
                    })
                    .collect(),
                result_description: [ResultDescriptionDoc {
                    id: credits_id.clone(),
                    kind: ["ResultDescription"],
                    name: "CPD credits",
                    result_type: CREDITS_RESULT_TYPE,
                }],
            },
            result: [ResultDoc {
                kind: ["Result"],
                result_description: credits_id,
                value: achievement.credits,
            }],
        },
        credential_status: StatusEntryDoc {
            id: format!("{}#{}", input.status.list_url, input.status.index),
            kind: "BitstringStatusListEntry",
            status_purpose: "revocation",
            status_list_index: input.status.index.to_string(),
            status_list_credential: &input.status.list_url,
        },
        credential_schema: [SchemaDoc { id: OB_SCHEMA, kind: OB_SCHEMA_TYPE }],
    })
}

/// The OB 3.0 `OpenBadgeCredential` JSON for `input` (what the JWT's `vc` claim holds).
pub fn credential_json(input: &CertificateInput) -> Result<Value, CertificateError> {
    Ok(serde_json::to_value(credential_doc(input)?)?)
}

/// Signs `claims` as a compact JWS with header `{"alg":"EdDSA","kid":…,"typ":"JWT"}`.
pub(super) fn sign_jws<T: Serialize>(key: &IssuerKey, claims: &T) -> Result<String, CertificateError> {
    #[derive(Serialize)]
    struct Header<'a> {
        alg: &'static str,
        kid: &'a str,
        typ: &'static str,
    }
    let header = serde_json::to_vec(&Header { alg: JWS_ALG, kid: &key.kid, typ: "JWT" })?;
    let payload = serde_json::to_vec(claims)?;
    let mut jws = b64(&header);
    jws.push('.');
    URL_SAFE_NO_PAD.encode_string(&payload, &mut jws);
    let signature = key.sign(jws.as_bytes());
    jws.push('.');
    URL_SAFE_NO_PAD.encode_string(signature.to_bytes(), &mut jws);
    Ok(jws)
}

/// Builds the certificate for `input` and signs it as a VC-JWT with `key`, which must sign for
/// `input.issuer.id`.
pub fn issue(key: &IssuerKey, input: &CertificateInput) -> Result<String, CertificateError> {
    if key.issuer_id != input.issuer.id {
        return Err(CertificateError::InvalidKey("the key signs for another issuer".into()));
    }
    let vc = credential_doc(input)?;
    let nbf = input.valid_from_secs();
    sign_jws(
        key,
        &CertificateClaims {
            iss: &input.issuer.id,
            sub: &input.recipient.id,
            jti: &input.id,
            nbf,
            exp: input.valid_until.map(|t| t.timestamp()),
            iat: nbf,
            vc: &vc,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Verification.
// ---------------------------------------------------------------------------------------------

/// A certificate's revocation entry as a status list lookup needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRef {
    /// The issuer whose status list must answer (the verifying key's issuer).
    pub issuer_id: String,
    /// The `statusListCredential` URL (absent in the compact form, which carries only its tag).
    pub list_url: Option<String>,
    /// [`status_list_tag`] of the list URL.
    pub list_tag: [u8; 4],
    /// Bit position.
    pub index: u32,
}

/// What a status list says about one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusAnswer {
    /// The bit is clear.
    Active,
    /// The bit is set.
    Revoked,
    /// No fresh, signed list answers for this entry.
    Unknown,
}

/// Answers revocation questions, e.g. from cached, verified status lists
/// (`status_list::StatusListCache`). Any `Fn(&StatusRef, DateTime<Utc>) -> StatusAnswer` also works.
pub trait StatusLookup {
    /// The status of `entry` at `now`.
    fn status(&self, entry: &StatusRef, now: DateTime<Utc>) -> StatusAnswer;
}

impl<F: Fn(&StatusRef, DateTime<Utc>) -> StatusAnswer> StatusLookup for F {
    fn status(&self, entry: &StatusRef, now: DateTime<Utc>) -> StatusAnswer {
        self(entry, now)
    }
}

/// Which form a verified certificate came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The full VC-JWT.
    Jwt,
    /// The compact QR form.
    Compact,
}

/// What a genuine certificate says, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The form that was verified.
    pub form: Form,
    /// JWT: the credential id URL; compact: the public id from the verify URL.
    pub credential_id: String,
    /// `issuer.id`.
    pub issuer_id: String,
    /// `issuer.name` (the compact form does not carry it: look it up by `issuer_id`).
    pub issuer_name: Option<String>,
    /// The key that signed.
    pub kid: String,
    /// The recipient's name.
    pub recipient_name: String,
    /// The licence number, when the learner agreed to show it (JWT only).
    pub licence_number: Option<String>,
    /// JWT: the course name; compact: its short name.
    pub achievement_name: String,
    /// The course version (JWT only).
    pub course_version: Option<String>,
    /// CPD credits.
    pub credits: CpdCredits,
    /// CPD category.
    pub category: String,
    /// Issued (`validFrom`).
    pub valid_from: DateTime<Utc>,
    /// Expiry (`validUntil`).
    pub valid_until: Option<DateTime<Utc>>,
    /// Revocation entry.
    pub status: StatusRef,
}

/// Why a certificate is not genuine. For logs and tests; show users only "not genuine".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Not three base64url parts, bad encoding, not JSON, or a value of the wrong type.
    Malformed,
    /// Longer than [`MAX_JWT_LEN`].
    TooLarge,
    /// A JSON object repeats a member name.
    DuplicateJsonMember,
    /// A header other than `alg: EdDSA`, `kid`, `typ: JWT`.
    UnsupportedHeader,
    /// The `kid` (or compact key tag) is not in the key set.
    UnknownKey,
    /// The key was not in service at the credential's `validFrom`, or signs for another issuer.
    KeyNotValidForCredential,
    /// The signature does not verify.
    BadSignature,
    /// A JWT claim disagrees with the credential (named here).
    ClaimMismatch(&'static str),
    /// `@context` or `type` is not what we issue.
    UnsupportedCredential,
    /// `credentialStatus` is missing or not a revocation `BitstringStatusListEntry`.
    UnsupportedStatus,
    /// A field the summary needs is missing or invalid (named here).
    MissingField(&'static str),
}

/// The outcome of verifying a certificate. Everything but `NotGenuine` means the issuer's
/// signature is good, and carries what the certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Genuine, in force, and a fresh status list says it is not revoked.
    Valid(Box<Summary>),
    /// Genuine but revoked by the issuer.
    Revoked(Box<Summary>),
    /// Genuine but at or past `validUntil`.
    Expired(Box<Summary>),
    /// Genuine but before `validFrom`.
    NotYetValid(Box<Summary>),
    /// Genuine and in date, but no fresh status list could say whether it was revoked.
    StatusUnknown(Box<Summary>),
    /// Not issued by a trusted key, altered, or not a certificate we understand.
    NotGenuine(Rejection),
}

impl Verdict {
    /// What the certificate says, when the signature is good.
    pub fn summary(&self) -> Option<&Summary> {
        match self {
            Self::Valid(s)
            | Self::Revoked(s)
            | Self::Expired(s)
            | Self::NotYetValid(s)
            | Self::StatusUnknown(s) => Some(s),
            Self::NotGenuine(_) => None,
        }
    }

    /// True only for [`Verdict::Valid`].
    pub fn is_valid(&self) -> bool {
        matches!(self, Self::Valid(_))
    }
}

/// A JWS whose header has been checked and whose key is known, signature not yet verified.
pub(super) struct ParsedJws<'a, 'k> {
    pub(super) key: &'k KeyEntry,
    signing_input: &'a [u8],
    signature: Signature,
    payload: &'a str,
}

/// Steps 1–3 of the verification rules.
pub(super) fn parse_jws<'a, 'k>(jwt: &'a str, keys: &'k KeySet) -> Result<ParsedJws<'a, 'k>, Rejection> {
    if jwt.len() > MAX_JWT_LEN {
        return Err(Rejection::TooLarge);
    }
    let mut parts = jwt.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Rejection::Malformed);
    };
    let header = unb64(header).ok_or(Rejection::Malformed)?;
    let header = parse_object(&header).map_err(json_rejection)?;
    let kid = match (header.get("alg"), header.get("kid"), header.get("typ")) {
        (Some(Value::String(alg)), Some(Value::String(kid)), typ)
            if alg == JWS_ALG
                && typ.is_none_or(|t| t.as_str() == Some("JWT"))
                && header.len() == 2 + usize::from(typ.is_some()) =>
        {
            kid
        }
        _ => return Err(Rejection::UnsupportedHeader),
    };
    let key = keys.get(kid).ok_or(Rejection::UnknownKey)?;
    let signature: [u8; SIGNATURE_LEN] =
        unb64(signature).and_then(|s| s.try_into().ok()).ok_or(Rejection::Malformed)?;
    let signing_input =
        jwt.rsplit_once('.').map(|(input, _)| input.as_bytes()).ok_or(Rejection::Malformed)?;
    Ok(ParsedJws { key, signing_input, signature: Signature::from_bytes(&signature), payload })
}

impl ParsedJws<'_, '_> {
    /// Step 4: strict Ed25519.
    fn verify_signature(&self) -> Result<(), Rejection> {
        self.key
            .public_key
            .verify_strict(self.signing_input, &self.signature)
            .map_err(|_| Rejection::BadSignature)
    }

    /// Step 5: the payload as a JSON object (call only after the signature verified).
    pub(super) fn payload(&self) -> Result<Map<String, Value>, Rejection> {
        let bytes = unb64(self.payload).ok_or(Rejection::Malformed)?;
        parse_object(&bytes).map_err(json_rejection)
    }

    /// Steps 1–5 for one JWS.
    pub(super) fn open(&self) -> Result<Map<String, Value>, Rejection> {
        self.verify_signature()?;
        self.payload()
    }
}

fn json_rejection(error: JsonError) -> Rejection {
    match error {
        JsonError::Duplicate => Rejection::DuplicateJsonMember,
        JsonError::Invalid => Rejection::Malformed,
    }
}

/// The JWT claims and credential members common to certificates and status lists, checked
/// against each other and against the key (step 7).
pub(super) struct CommonClaims<'p> {
    pub(super) vc: &'p Map<String, Value>,
    pub(super) id: &'p str,
    pub(super) issuer_id: &'p str,
    pub(super) subject: &'p Map<String, Value>,
    pub(super) valid_from: i64,
    pub(super) valid_until: Option<i64>,
}

fn text<'p>(map: &'p Map<String, Value>, name: &'static str) -> Result<&'p str, Rejection> {
    map.get(name).and_then(Value::as_str).ok_or(Rejection::MissingField(name))
}

fn object<'p>(map: &'p Map<String, Value>, name: &'static str) -> Result<&'p Map<String, Value>, Rejection> {
    map.get(name).and_then(Value::as_object).ok_or(Rejection::MissingField(name))
}

fn integer(map: &Map<String, Value>, name: &'static str) -> Result<Option<i64>, Rejection> {
    match map.get(name) {
        None => Ok(None),
        Some(value) => value.as_i64().map(Some).ok_or(Rejection::Malformed),
    }
}

/// Steps 6 and 7: `contexts` is the exact `@context` expected, and `vc.type` must hold
/// `VerifiableCredential` and one of `kinds`.
pub(super) fn common_claims<'p>(
    payload: &'p Map<String, Value>,
    key: &KeyEntry,
    contexts: &[&str],
    kinds: &[&str],
) -> Result<CommonClaims<'p>, Rejection> {
    let vc = object(payload, "vc")?;
    let context_ok = vc.get("@context").and_then(Value::as_array).is_some_and(|found| {
        found.len() == contexts.len() && found.iter().zip(contexts).all(|(f, c)| f.as_str() == Some(c))
    });
    let types: Vec<&str> = vc
        .get("type")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !context_ok || !types.contains(&"VerifiableCredential") || !kinds.iter().any(|k| types.contains(k)) {
        return Err(Rejection::UnsupportedCredential);
    }
    let issuer_id = match vc.get("issuer") {
        Some(Value::String(id)) => id.as_str(),
        Some(Value::Object(issuer)) => text(issuer, "id")?,
        _ => return Err(Rejection::MissingField("issuer")),
    };
    if text(payload, "iss")? != issuer_id {
        return Err(Rejection::ClaimMismatch("iss"));
    }
    let subject = object(vc, "credentialSubject")?;
    if text(payload, "sub")? != text(subject, "id")? {
        return Err(Rejection::ClaimMismatch("sub"));
    }
    let id = text(vc, "id")?;
    if text(payload, "jti")? != id {
        return Err(Rejection::ClaimMismatch("jti"));
    }
    let valid_from = parse_instant(text(vc, "validFrom")?).ok_or(Rejection::MissingField("validFrom"))?;
    if integer(payload, "nbf")? != Some(valid_from) {
        return Err(Rejection::ClaimMismatch("nbf"));
    }
    let valid_until = match vc.get("validUntil") {
        None => None,
        Some(v) => Some(v.as_str().and_then(parse_instant).ok_or(Rejection::MissingField("validUntil"))?),
    };
    if integer(payload, "exp")? != valid_until {
        return Err(Rejection::ClaimMismatch("exp"));
    }
    if valid_until.is_some_and(|until| until <= valid_from) {
        return Err(Rejection::ClaimMismatch("validUntil"));
    }
    integer(payload, "iat")?;
    if key.issuer_id != issuer_id || !key.covers(valid_from) {
        return Err(Rejection::KeyNotValidForCredential);
    }
    Ok(CommonClaims { vc, id, issuer_id, subject, valid_from, valid_until })
}

/// Step 8: the certificate-specific members.
fn certificate_summary(payload: &Map<String, Value>, key: &KeyEntry) -> Result<Summary, Rejection> {
    let claims = common_claims(
        payload,
        key,
        &[VC_CONTEXT, OB_CONTEXT],
        &["OpenBadgeCredential", "AchievementCredential"],
    )?;
    let status =
        claims.vc.get("credentialStatus").and_then(Value::as_object).ok_or(Rejection::UnsupportedStatus)?;
    let status_text = |name| status.get(name).and_then(Value::as_str).ok_or(Rejection::UnsupportedStatus);
    if status_text("type")? != "BitstringStatusListEntry" || status_text("statusPurpose")? != "revocation" {
        return Err(Rejection::UnsupportedStatus);
    }
    let list_url = status_text("statusListCredential")?;
    let index = status_text("statusListIndex")?;
    // Digits only (`parse` alone would take "+5"); an empty or too long index does not parse.
    let index: u32 = index
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| index.parse().ok())
        .flatten()
        .ok_or(Rejection::UnsupportedStatus)?;

    let identities =
        claims.subject.get("identifier").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let identity = |kind: &str| {
        identities.iter().filter_map(Value::as_object).find_map(|id| {
            (id.get("identityType").and_then(Value::as_str) == Some(kind)
                && id.get("hashed").and_then(Value::as_bool) == Some(false))
            .then(|| id.get("identityHash").and_then(Value::as_str))
            .flatten()
        })
    };
    let recipient_name = identity("name").ok_or(Rejection::MissingField("recipient name"))?.to_owned();
    let licence_number = identity(LICENCE_IDENTITY_TYPE).map(str::to_owned);

    let achievement = object(claims.subject, "achievement")?;
    let credits_id = achievement
        .get("resultDescription")
        .and_then(Value::as_array)
        .and_then(|all| {
            all.iter()
                .filter_map(Value::as_object)
                .find(|d| d.get("resultType").and_then(Value::as_str) == Some(CREDITS_RESULT_TYPE))
        })
        .and_then(|d| d.get("id").and_then(Value::as_str))
        .ok_or(Rejection::MissingField("credits"))?;
    let credits = claims
        .subject
        .get("result")
        .and_then(Value::as_array)
        .and_then(|all| {
            all.iter()
                .filter_map(Value::as_object)
                .find(|r| r.get("resultDescription").and_then(Value::as_str) == Some(credits_id))
        })
        .and_then(|r| r.get("value").and_then(Value::as_str))
        .and_then(|v| CpdCredits::parse(v).ok())
        .ok_or(Rejection::MissingField("credits"))?;

    let issuer_name = match claims.vc.get("issuer") {
        Some(Value::Object(issuer)) => issuer.get("name").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    Ok(Summary {
        form: Form::Jwt,
        credential_id: claims.id.to_owned(),
        issuer_id: claims.issuer_id.to_owned(),
        issuer_name,
        kid: key.kid.clone(),
        recipient_name,
        licence_number,
        achievement_name: text(achievement, "name")?.to_owned(),
        course_version: achievement.get("version").and_then(Value::as_str).map(str::to_owned),
        credits,
        category: text(achievement, "fieldOfStudy")?.to_owned(),
        valid_from: from_unix(claims.valid_from).ok_or(Rejection::Malformed)?,
        valid_until: claims.valid_until.and_then(from_unix),
        status: StatusRef {
            issuer_id: claims.issuer_id.to_owned(),
            list_url: Some(list_url.to_owned()),
            list_tag: status_list_tag(list_url),
            index,
        },
    })
}

/// Step 9.
fn judge(summary: Summary, status: &dyn StatusLookup, now: DateTime<Utc>) -> Verdict {
    let answer = status.status(&summary.status, now);
    let summary = Box::new(summary);
    if answer == StatusAnswer::Revoked {
        Verdict::Revoked(summary)
    } else if summary.valid_until.is_some_and(|until| now >= until) {
        Verdict::Expired(summary)
    } else if now < summary.valid_from {
        Verdict::NotYetValid(summary)
    } else if answer == StatusAnswer::Active {
        Verdict::Valid(summary)
    } else {
        Verdict::StatusUnknown(summary)
    }
}

fn finish(parsed: &ParsedJws<'_, '_>, status: &dyn StatusLookup, now: DateTime<Utc>) -> Verdict {
    match parsed.payload().and_then(|payload| certificate_summary(&payload, parsed.key)) {
        Ok(summary) => judge(summary, status, now),
        Err(rejection) => Verdict::NotGenuine(rejection),
    }
}

/// Verifies one certificate VC-JWT against the trusted `keys`, its revocation bit and `now`.
pub fn verify(jwt: &str, keys: &KeySet, status: &dyn StatusLookup, now: DateTime<Utc>) -> Verdict {
    match parse_jws(jwt, keys) {
        Ok(parsed) => match parsed.verify_signature() {
            Ok(()) => finish(&parsed, status, now),
            Err(rejection) => Verdict::NotGenuine(rejection),
        },
        Err(rejection) => Verdict::NotGenuine(rejection),
    }
}

/// Every encoding, with `y < p`, of the eight points of small order: `y = 1` (the identity) and
/// `y = -1` under both sign bits, `y = 0` and the two order-8 `y` values under each sign bit.
#[allow(clippy::indexing_slicing)] // evaluated by the compiler: an index error fails the build
const SMALL_ORDER: [[u8; 32]; 10] = {
    const fn point(low: [u8; 31], high: u8) -> [u8; 32] {
        let mut bytes = [high; 32];
        let mut i = 0;
        while i < 31 {
            bytes[i] = low[i];
            i += 1;
        }
        bytes
    }
    const ZERO: [u8; 31] = [0; 31];
    const ONE: [u8; 31] = {
        let mut one = [0; 31];
        one[0] = 1;
        one
    };
    const MINUS_ONE: [u8; 31] = {
        let mut y = [0xff; 31];
        y[0] = 0xec;
        y
    };
    const ORDER_8_A: [u8; 31] = [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5,
        0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc,
    ];
    const ORDER_8_B: [u8; 31] = [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a,
        0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03,
    ];
    [
        point(ONE, 0x00),
        point(ONE, 0x80),
        point(MINUS_ONE, 0x7f),
        point(MINUS_ONE, 0xff),
        point(ZERO, 0x00),
        point(ZERO, 0x80),
        point(ORDER_8_A, 0x05),
        point(ORDER_8_A, 0x85),
        point(ORDER_8_B, 0x7a),
        point(ORDER_8_B, 0xfa),
    ]
};

/// True when `verify_batch` and `verify_strict` agree on this signature's `R`: its `y` is below
/// p = 2^255 - 19 and it is not a point of small order. `verify_strict` rejects every other `R`;
/// batching alone would not. (Byte checks: decompressing `R` here would cost a third of a batch.)
fn batchable(signature: &Signature) -> bool {
    let r = signature.r_bytes();
    let [low, middle @ .., high] = r;
    let y_not_below_p = *high & 0x7f == 0x7f && middle.iter().all(|&b| b == 0xff) && *low >= 0xed;
    !y_not_below_p && !SMALL_ORDER.contains(r)
}

/// Verifies many certificates, the signatures 128 at a time with `ed25519_dalek::verify_batch`;
/// a batch that fails is re-checked one signature at a time to find the culprits. Verdicts come
/// back in input order and equal [`verify`]'s, except that a signature deliberately made by the key
/// holder to be off by a small-order point may pass a batch (no one else can make one).
pub fn verify_many(
    jwts: &[&str],
    keys: &KeySet,
    status: &dyn StatusLookup,
    now: DateTime<Utc>,
) -> Vec<Verdict> {
    let parsed: Vec<Result<ParsedJws<'_, '_>, Rejection>> = jwts
        .iter()
        .map(|jwt| {
            parse_jws(jwt, keys)
                .and_then(|p| if batchable(&p.signature) { Ok(p) } else { Err(Rejection::BadSignature) })
        })
        .collect();
    let mut signature_ok = vec![false; parsed.len()];
    let ready: Vec<usize> = (0..parsed.len()).filter(|&i| parsed.get(i).is_some_and(Result::is_ok)).collect();
    for chunk in ready.chunks(BATCH) {
        let items: Vec<&ParsedJws<'_, '_>> =
            chunk.iter().filter_map(|&i| parsed.get(i).and_then(|p| p.as_ref().ok())).collect();
        let messages: Vec<&[u8]> = items.iter().map(|p| p.signing_input).collect();
        let signatures: Vec<Signature> = items.iter().map(|p| p.signature).collect();
        let verifying: Vec<VerifyingKey> = items.iter().map(|p| p.key.public_key).collect();
        let all_good = ed25519_dalek::verify_batch(&messages, &signatures, &verifying).is_ok();
        for (&i, item) in chunk.iter().zip(&items) {
            if let Some(ok) = signature_ok.get_mut(i) {
                *ok = all_good || item.verify_signature().is_ok();
            }
        }
    }
    parsed
        .iter()
        .zip(signature_ok)
        .map(|(parsed, signature_ok)| match parsed {
            Err(rejection) => Verdict::NotGenuine(*rejection),
            Ok(_) if !signature_ok => Verdict::NotGenuine(Rejection::BadSignature),
            Ok(parsed) => finish(parsed, status, now),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The compact QR form.
// ---------------------------------------------------------------------------------------------

/// What the compact form carries (see the module documentation for the byte layout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactCertificate {
    /// Recipient name, at most [`COMPACT_MAX_NAME`] bytes.
    pub recipient_name: String,
    /// Achievement short name, at most [`COMPACT_MAX_ACHIEVEMENT`] bytes.
    pub achievement: String,
    /// CPD category, at most [`COMPACT_MAX_CATEGORY`] bytes.
    pub category: String,
    /// CPD credits.
    pub credits: CpdCredits,
    /// `validFrom` (whole seconds, 1970 to 2106).
    pub valid_from: DateTime<Utc>,
    /// `validUntil`, if any.
    pub valid_until: Option<DateTime<Utc>>,
    /// [`status_list_tag`] of the status list URL.
    pub status_list_tag: [u8; 4],
    /// Status list index.
    pub status_index: u32,
}

/// `text` cut to at most `max` bytes at a character boundary.
fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    let end = (0..=max.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    text.get(..end).unwrap_or_default().trim_end().to_owned()
}

impl CompactCertificate {
    /// The compact form of what a verified certificate says (as [`Self::from_input`] of the
    /// input it was issued from).
    pub fn from_summary(summary: &Summary) -> Self {
        Self {
            recipient_name: truncate(&summary.recipient_name, COMPACT_MAX_NAME),
            achievement: truncate(&summary.achievement_name, COMPACT_MAX_ACHIEVEMENT),
            category: truncate(&summary.category, COMPACT_MAX_CATEGORY),
            credits: summary.credits,
            valid_from: summary.valid_from,
            valid_until: summary.valid_until,
            status_list_tag: summary.status.list_tag,
            status_index: summary.status.index,
        }
    }

    /// The compact form of `input`; names longer than the caps are cut at a character boundary.
    pub fn from_input(input: &CertificateInput) -> Self {
        let achievement = input.achievement.short_name.as_deref().unwrap_or(&input.achievement.name);
        Self {
            recipient_name: truncate(&input.recipient.name, COMPACT_MAX_NAME),
            achievement: truncate(achievement, COMPACT_MAX_ACHIEVEMENT),
            category: truncate(&input.achievement.category, COMPACT_MAX_CATEGORY),
            credits: input.achievement.credits,
            valid_from: input.valid_from,
            valid_until: input.valid_until,
            status_list_tag: status_list_tag(&input.status.list_url),
            status_index: input.status.index,
        }
    }
}

fn check_public_id(id: &str) -> Result<(), CertificateError> {
    let ok = (1..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok { Ok(()) } else { Err(CertificateError::InvalidPublicId) }
}

fn compact_message(public_id: &str, payload: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(COMPACT_DOMAIN.len() + 1 + public_id.len() + payload.len());
    message.extend_from_slice(COMPACT_DOMAIN);
    // check_public_id keeps the length at or below 64.
    message.push(u8::try_from(public_id.len()).unwrap_or(u8::MAX));
    message.extend_from_slice(public_id.as_bytes());
    message.extend_from_slice(payload);
    message
}

fn unix_u32(time: DateTime<Utc>, field: &'static str) -> Result<u32, CertificateError> {
    u32::try_from(time.timestamp()).map_err(|_| CertificateError::InvalidDates(field))
}

fn push_text(out: &mut Vec<u8>, text: &str, max: usize, field: &'static str) -> Result<(), CertificateError> {
    let len = u8::try_from(text.len())
        .ok()
        .filter(|&n| n > 0 && usize::from(n) <= max)
        .ok_or(CertificateError::Empty(field))?;
    out.push(len);
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

/// The `code` for the verify URL fragment: `certificate` signed by `key` for `public_id`.
pub fn compact_code(
    key: &IssuerKey,
    public_id: &str,
    certificate: &CompactCertificate,
) -> Result<String, CertificateError> {
    check_public_id(public_id)?;
    let valid_from = unix_u32(certificate.valid_from, "validFrom must lie between 1970 and 2106")?;
    let valid_until = match certificate.valid_until {
        None => 0,
        Some(until) => unix_u32(until, "validUntil must lie between 1970 and 2106")?,
    };
    if certificate.valid_until.is_some() && valid_until <= valid_from {
        return Err(CertificateError::InvalidDates("validUntil must be after validFrom"));
    }
    let mut payload = Vec::with_capacity(COMPACT_FIXED + 3 * 49 + SIGNATURE_LEN);
    payload.push(COMPACT_VERSION);
    payload.extend_from_slice(&first4(&thumbprint(&key.public_key())));
    payload.extend_from_slice(&certificate.status_list_tag);
    payload.extend_from_slice(&certificate.status_index.to_be_bytes());
    payload.extend_from_slice(&valid_from.to_be_bytes());
    payload.extend_from_slice(&valid_until.to_be_bytes());
    payload.extend_from_slice(&certificate.credits.hundredths().to_be_bytes());
    push_text(&mut payload, &certificate.recipient_name, COMPACT_MAX_NAME, "recipient name (1-48 bytes)")?;
    push_text(&mut payload, &certificate.achievement, COMPACT_MAX_ACHIEVEMENT, "achievement (1-48 bytes)")?;
    push_text(&mut payload, &certificate.category, COMPACT_MAX_CATEGORY, "category (1-32 bytes)")?;
    let signature = key.sign(&compact_message(public_id, &payload));
    payload.extend_from_slice(&signature.to_bytes());
    Ok(to_digits(&payload))
}

/// Bytes to decimal digits: 7 bytes → 17 digits, a last group of k bytes → `DIGITS_FOR_BYTES[k]`.
fn to_digits(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 17 / 7 + 17);
    for group in bytes.chunks(7) {
        let value = group.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let width = DIGITS_FOR_BYTES.get(group.len()).copied().unwrap_or(17);
        out.push_str(&format!("{value:0width$}"));
    }
    out
}

/// The inverse of [`to_digits`]; `None` for any non-canonical input.
fn from_digits(digits: &str) -> Option<Vec<u8>> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let full = digits.len() / 17;
    let rest = digits.len() % 17;
    let last = DIGITS_FOR_BYTES.iter().position(|&d| d == rest)?;
    let mut out = Vec::with_capacity(full * 7 + last);
    for (i, group) in digits.as_bytes().chunks(17).enumerate() {
        let bytes = if i < full { 7 } else { last };
        let value: u64 = std::str::from_utf8(group).ok()?.parse().ok()?;
        if bytes < 8 && value >> (8 * bytes) != 0 {
            return None;
        }
        out.extend_from_slice(value.to_be_bytes().get(8 - bytes..)?);
    }
    Some(out)
}

/// A decoded compact payload, signature not yet checked.
struct CompactPayload<'b> {
    key_tag: [u8; 4],
    list_tag: [u8; 4],
    index: u32,
    valid_from: u32,
    valid_until: u32,
    credits: u32,
    name: &'b str,
    achievement: &'b str,
    category: &'b str,
    signed: &'b [u8],
    signature: Signature,
}

struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let (head, tail) = self.0.split_at_checked(n)?;
        self.0 = tail;
        Some(head)
    }
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_be_bytes)
    }
    fn text(&mut self, max: usize) -> Option<&'b str> {
        let [len] = self.array()?;
        let len = usize::from(len);
        if len == 0 || len > max {
            return None;
        }
        std::str::from_utf8(self.take(len)?).ok()
    }
}

fn parse_compact(bytes: &[u8]) -> Option<CompactPayload<'_>> {
    let (signed, signature) = bytes.split_at_checked(bytes.len().checked_sub(SIGNATURE_LEN)?)?;
    let mut r = Reader(signed);
    let [version] = r.array()?;
    let payload = CompactPayload {
        key_tag: r.array()?,
        list_tag: r.array()?,
        index: r.u32()?,
        valid_from: r.u32()?,
        valid_until: r.u32()?,
        credits: r.u32()?,
        name: r.text(COMPACT_MAX_NAME)?,
        achievement: r.text(COMPACT_MAX_ACHIEVEMENT)?,
        category: r.text(COMPACT_MAX_CATEGORY)?,
        signed,
        signature: Signature::from_bytes(&signature.try_into().ok()?),
    };
    let dates_ok = payload.valid_until == 0 || payload.valid_until > payload.valid_from;
    (version == COMPACT_VERSION && r.0.is_empty() && dates_ok).then_some(payload)
}

/// Verifies a compact `code` read from the verify URL of the certificate with `public_id`.
pub fn verify_compact(
    public_id: &str,
    code: &str,
    keys: &KeySet,
    status: &dyn StatusLookup,
    now: DateTime<Utc>,
) -> Verdict {
    let readable = check_public_id(public_id).is_ok() && code.len() <= COMPACT_MAX_DIGITS;
    let Some(bytes) = readable.then(|| from_digits(code)).flatten() else {
        return Verdict::NotGenuine(Rejection::Malformed);
    };
    let Some(payload) = parse_compact(&bytes) else {
        return Verdict::NotGenuine(Rejection::Malformed);
    };
    let message = compact_message(public_id, payload.signed);
    let mut candidates = keys.by_tag(payload.key_tag).peekable();
    if candidates.peek().is_none() {
        return Verdict::NotGenuine(Rejection::UnknownKey);
    }
    let Some(key) = candidates.find(|k| k.public_key.verify_strict(&message, &payload.signature).is_ok())
    else {
        return Verdict::NotGenuine(Rejection::BadSignature);
    };
    if !key.covers(i64::from(payload.valid_from)) {
        return Verdict::NotGenuine(Rejection::KeyNotValidForCredential);
    }
    let (Some(valid_from), Ok(credits)) =
        (from_unix(payload.valid_from.into()), CpdCredits::from_hundredths(payload.credits))
    else {
        return Verdict::NotGenuine(Rejection::Malformed);
    };
    let summary = Summary {
        form: Form::Compact,
        credential_id: public_id.to_owned(),
        issuer_id: key.issuer_id.clone(),
        issuer_name: None,
        kid: key.kid.clone(),
        recipient_name: payload.name.to_owned(),
        licence_number: None,
        achievement_name: payload.achievement.to_owned(),
        course_version: None,
        credits,
        category: payload.category.to_owned(),
        valid_from,
        valid_until: (payload.valid_until != 0).then(|| from_unix(payload.valid_until.into())).flatten(),
        status: StatusRef {
            issuer_id: key.issuer_id.clone(),
            list_url: None,
            list_tag: payload.list_tag,
            index: payload.index,
        },
    };
    judge(summary, status, now)
}

/// The URL printed in the QR code: `{base_url}/verify/{public_id}#{code}`, `base_url` being
/// e.g. `https://cpd.example.org`.
pub fn verify_page_url(base_url: &str, public_id: &str, code: &str) -> Result<String, CertificateError> {
    require_uri(base_url, "base URL")?;
    check_public_id(public_id)?;
    Ok(format!("{}/verify/{public_id}#{code}", base_url.trim_end_matches('/')))
}

/// Splits a verify page URL into its public id and code; `None` if it is not one.
pub fn parse_verify_url(url: &str) -> Option<(&str, &str)> {
    let (page, code) = url.split_once('#')?;
    let (_, public_id) = page.rsplit_once("/verify/")?;
    check_public_id(public_id).ok()?;
    Some((public_id, code))
}

/// Verifies the certificate behind a scanned verify page URL, offline.
pub fn verify_url(url: &str, keys: &KeySet, status: &dyn StatusLookup, now: DateTime<Utc>) -> Verdict {
    match parse_verify_url(url) {
        Some((public_id, code)) => verify_compact(public_id, code, keys, status, now),
        None => Verdict::NotGenuine(Rejection::Malformed),
    }
}

/// A QR code rendered as SVG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSvg {
    /// The SVG document (black modules on white, 4-module quiet zone, 6 px a module).
    pub svg: String,
    /// QR version (1–40): the symbol is `17 + 4 × version` modules wide.
    pub version: i16,
}

/// Renders `text` as a QR code at error-correction level M (recovers ~15 % damage). The encoder
/// picks the mode for each run of characters, so the decimal `code` is stored in numeric mode.
pub fn qr_svg(text: &str) -> Result<QrSvg, CertificateError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| CertificateError::QrTooLong)?;
    let version = match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    };
    let svg =
        code.render::<qrcode::render::svg::Color<'_>>().module_dimensions(6, 6).quiet_zone(true).build();
    Ok(QrSvg { svg, version })
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::super::status_list::{
        Bitstring, StatusListCache, StatusListInput, sign_status_list, verify_status_list,
    };
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    const ISSUER: &str = "https://cpd.example.org/issuers/nursing-council";
    const KEYS_URL: &str = "https://cpd.example.org/issuers/nursing-council/jwks.json";
    const LIST: &str = "https://cpd.example.org/issuers/nursing-council/status/1";
    const NAMES: [&str; 8] = [
        "Grace Wanjiru Otieno",
        "Ngozi Okonkwo-Adébáyọ̀",
        "Nguyễn Thị Minh Khai",
        "أمينة الحسن",
        "王小明",
        "Þórunn Guðmundsdóttir",
        "Mary-Jane Wanjiku Nyambura-Otieno Kariuki Mwangi",
        "Ali",
    ];

    fn at(secs: i64) -> DateTime<Utc> {
        from_unix(secs).unwrap()
    }

    /// 2026-03-01T08:00:00Z.
    const T0: i64 = 1_772_352_000;
    const DAY: i64 = 86_400;

    fn active(_: &StatusRef, _: DateTime<Utc>) -> StatusAnswer {
        StatusAnswer::Active
    }

    fn new_key(rng: &mut StdRng, issuer: &str) -> IssuerKey {
        let directory = format!("{issuer}/jwks.json");
        IssuerKey::generate(rng, &directory, issuer).unwrap()
    }

    fn input(rng: &mut StdRng, n: usize) -> CertificateInput {
        let credits = CpdCredits::from_hundredths(rng.random_range(25..=4_000)).unwrap();
        let valid_from = at(T0 + rng.random_range(0..300) * DAY);
        CertificateInput {
            id: format!("https://cpd.example.org/certificates/{n:08}-{}", rng.random::<u32>()),
            issuer: IssuerInput {
                id: ISSUER.into(),
                name: "Nursing Council of Example".into(),
                url: "https://nursing.example.org".into(),
            },
            recipient: RecipientInput {
                id: format!("urn:uuid:7d6a3a8e-0000-4000-8000-{n:012}"),
                name: NAMES[n % NAMES.len()].into(),
                licence_number: Some(format!("RN-{:06}", rng.random_range(0..1_000_000))),
                licence_consent: rng.random_bool(0.5),
                hashed_email: rng.random_bool(0.3).then(|| HashedEmail {
                    email: format!("learner{n}@example.org"),
                    salt: format!("{:016x}", rng.random::<u64>()),
                }),
            },
            achievement: AchievementInput {
                id: format!("https://cpd.example.org/courses/neonatal-resuscitation-{}", n % 7),
                name: "Helping Babies Breathe: neonatal resuscitation in the first golden minute".into(),
                short_name: rng.random_bool(0.7).then(|| "Neonatal resuscitation (HBB)".into()),
                description: "Recognise a baby who is not breathing and ventilate with bag and mask.".into(),
                criteria: "Completed all six lessons and passed the final skills assessment (≥ 80 %).".into(),
                credits,
                category: ["Clinical practice", "Ethics", "Leadership"][n % 3].into(),
                course_version: format!("2.{}", n % 4),
            },
            competencies: (0..n % 4)
                .map(|c| CompetencyInput {
                    code: format!("NM-{c}.{}", n % 9),
                    title: "Newborn care".into(),
                    framework_url: "https://cpd.example.org/frameworks/primary-care-nursing-midwifery".into(),
                })
                .collect(),
            valid_from,
            valid_until: rng.random_bool(0.6).then(|| valid_from + chrono::Duration::days(3 * 365)),
            awarded: Some(valid_from - chrono::Duration::days(2)),
            status: StatusInput { list_url: LIST.into(), index: rng.random_range(0..131_072) },
        }
    }

    fn key_set(entries: &[(&IssuerKey, i64, Option<i64>)]) -> KeySet {
        KeySet::new(entries.iter().map(|(k, from, until)| k.entry(at(*from), until.map(at))).collect())
            .unwrap()
    }

    fn now_for(input: &CertificateInput) -> DateTime<Utc> {
        input.valid_from + chrono::Duration::days(1)
    }

    #[test]
    fn a_thousand_random_certificates_sign_and_verify() {
        let mut rng = StdRng::seed_from_u64(15);
        let key = new_key(&mut rng, ISSUER);
        let keys = key_set(&[(&key, T0, None)]);
        for n in 0..1_000 {
            let input = input(&mut rng, n);
            let jwt = issue(&key, &input).unwrap();
            let verdict = verify(&jwt, &keys, &active, now_for(&input));
            let Verdict::Valid(summary) = &verdict else { panic!("certificate {n}: {verdict:?}") };
            assert_eq!(summary.credential_id, input.id, "jti/id of {n}");
            assert_eq!(summary.recipient_name, input.recipient.name, "name of {n}");
            assert_eq!(summary.credits, input.achievement.credits, "credits of {n}");
            assert_eq!(summary.category, input.achievement.category, "category of {n}");
            assert_eq!(summary.valid_from, input.valid_from, "validFrom of {n}");
            assert_eq!(summary.valid_until, input.valid_until, "validUntil of {n}");
            assert_eq!(summary.issuer_name.as_deref(), Some("Nursing Council of Example"));
            assert_eq!(summary.status.index, input.status.index);
            assert_eq!(summary.status.list_url.as_deref(), Some(LIST));
            let licence = input.recipient.licence_number.clone().filter(|_| input.recipient.licence_consent);
            assert_eq!(summary.licence_number, licence, "the licence number appears only with consent ({n})");
        }
    }

    #[test]
    fn the_credential_has_the_open_badges_shape() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut input = input(&mut rng, 3);
        input.recipient.licence_consent = false;
        let vc = credential_json(&input).unwrap();
        assert_eq!(vc["@context"], serde_json::json!([VC_CONTEXT, OB_CONTEXT]));
        assert_eq!(vc["type"], serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"]));
        assert_eq!(vc["credentialSchema"][0]["id"], OB_SCHEMA);
        assert_eq!(vc["credentialStatus"]["type"], "BitstringStatusListEntry");
        assert_eq!(vc["credentialStatus"]["statusListIndex"], input.status.index.to_string());
        assert_eq!(vc["credentialSubject"]["result"][0]["value"], input.achievement.credits.to_string());
        assert_eq!(vc["credentialSubject"]["achievement"]["alignment"].as_array().map(Vec::len), Some(3));
        assert!(!vc.to_string().contains("RN-"), "no licence number without consent: {vc}");
        let text = vc.to_string();
        assert!(!text.contains("e+") && !text.contains(".0,"), "no floats in the signed payload: {text}");
    }

    #[test]
    fn a_thousand_single_byte_mutations_are_all_rejected() {
        let mut rng = StdRng::seed_from_u64(16);
        let key = new_key(&mut rng, ISSUER);
        let keys = key_set(&[(&key, T0, None)]);
        let inputs: Vec<CertificateInput> = (0..20).map(|n| input(&mut rng, n)).collect();
        let jwts: Vec<String> = inputs.iter().map(|i| issue(&key, i).unwrap()).collect();
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        let mut mutated = Vec::new();
        for _ in 0..1_000 {
            let which = rng.random_range(0..jwts.len());
            let mut bytes = jwts[which].clone().into_bytes();
            let at = rng.random_range(0..bytes.len());
            let replacement = loop {
                let b = if rng.random_bool(0.8) {
                    ALPHABET[rng.random_range(0..ALPHABET.len())]
                } else {
                    rng.random_range(0x20..0x7f)
                };
                if b != bytes[at] {
                    break b;
                }
            };
            bytes[at] = replacement;
            let jwt = String::from_utf8(bytes).unwrap();
            let now = now_for(&inputs[which]);
            let verdict = verify(&jwt, &keys, &active, now);
            assert!(matches!(verdict, Verdict::NotGenuine(_)), "byte {at} of JWT {which} → {verdict:?}");
            mutated.push((jwt, now));
        }
        let refs: Vec<&str> = mutated.iter().map(|(j, _)| j.as_str()).collect();
        let now = at(T0 + 400 * DAY);
        let all = verify_many(&refs, &keys, &active, now);
        assert!(all.iter().all(|v| matches!(v, Verdict::NotGenuine(_))), "verify_many accepted a mutation");
    }

    #[test]
    fn expired_not_yet_valid_revoked_and_unknown_status_are_told_apart() {
        let mut rng = StdRng::seed_from_u64(3);
        let key = new_key(&mut rng, ISSUER);
        let keys = key_set(&[(&key, T0, None)]);
        let mut input = input(&mut rng, 1);
        input.valid_from = at(T0 + 10 * DAY);
        input.valid_until = Some(at(T0 + 100 * DAY));
        let jwt = issue(&key, &input).unwrap();
        let during = at(T0 + 50 * DAY);
        let expired = verify(&jwt, &keys, &active, at(T0 + 100 * DAY));
        assert!(matches!(expired, Verdict::Expired(_)), "exp is exclusive (RFC 7519)");
        assert!(matches!(verify(&jwt, &keys, &active, at(T0 + 10 * DAY - 1)), Verdict::NotYetValid(_)));
        assert!(verify(&jwt, &keys, &active, at(T0 + 100 * DAY - 1)).is_valid());
        assert!(verify(&jwt, &keys, &active, at(T0 + 10 * DAY)).is_valid(), "nbf is inclusive");

        // The revocation bit, through a signed status list as an offline verifier holds it.
        let mut bits = Bitstring::new();
        let list = StatusListInput {
            url: LIST.into(),
            valid_from: at(T0 + 40 * DAY),
            valid_until: at(T0 + 60 * DAY),
        };
        let mut cache = StatusListCache::new();
        cache.insert(verify_status_list(&sign_status_list(&key, &list, &bits).unwrap(), &keys).unwrap());
        assert!(verify(&jwt, &keys, &cache, during).is_valid());
        bits.set(input.status.index.into(), true).unwrap();
        let revoked_list = StatusListInput { valid_from: at(T0 + 41 * DAY), ..list };
        cache.insert(
            verify_status_list(&sign_status_list(&key, &revoked_list, &bits).unwrap(), &keys).unwrap(),
        );
        assert!(matches!(verify(&jwt, &keys, &cache, during), Verdict::Revoked(_)));
        // A stale list answers nothing: the verdict fails closed (in date) or says what is certain.
        assert!(matches!(verify(&jwt, &keys, &cache, at(T0 + 61 * DAY)), Verdict::StatusUnknown(_)));
        assert!(matches!(verify(&jwt, &keys, &cache, at(T0 + 200 * DAY)), Verdict::Expired(_)));
        assert!(matches!(verify(&jwt, &keys, &StatusListCache::new(), during), Verdict::StatusUnknown(_)));
        // Revocation wins over expiry and over not-yet-valid.
        let revoked = |_: &StatusRef, _: DateTime<Utc>| StatusAnswer::Revoked;
        assert!(matches!(verify(&jwt, &keys, &revoked, at(T0 + 200 * DAY)), Verdict::Revoked(_)));
        assert!(matches!(verify(&jwt, &keys, &revoked, at(T0)), Verdict::Revoked(_)));
    }

    #[test]
    fn an_unknown_kid_or_another_issuers_key_is_not_genuine() {
        let mut rng = StdRng::seed_from_u64(4);
        let key = new_key(&mut rng, ISSUER);
        let stranger = new_key(&mut rng, ISSUER);
        let other_org = new_key(&mut rng, "https://cpd.example.org/issuers/pharmacy-board");
        let keys = key_set(&[(&key, T0, None), (&other_org, T0, None)]);
        let input = input(&mut rng, 2);
        let jwt = issue(&stranger, &input).unwrap();
        assert_eq!(verify(&jwt, &keys, &active, now_for(&input)), Verdict::NotGenuine(Rejection::UnknownKey));
        // A key of the pharmacy board cannot sign for the nursing council.
        let claims = serde_json::json!({
            "iss": ISSUER, "sub": input.recipient.id, "jti": input.id,
            "nbf": input.valid_from.timestamp(), "iat": input.valid_from.timestamp(),
            "exp": input.valid_until.map(|t| t.timestamp()),
            "vc": credential_json(&input).unwrap(),
        });
        let mut claims = claims;
        if input.valid_until.is_none() {
            claims.as_object_mut().unwrap().remove("exp");
        }
        let forged = sign_jws(&other_org, &claims).unwrap();
        assert_eq!(
            verify(&forged, &keys, &active, now_for(&input)),
            Verdict::NotGenuine(Rejection::KeyNotValidForCredential)
        );
        assert!(issue(&other_org, &input).is_err(), "issue refuses a key of another issuer");
    }

    #[test]
    fn key_rotation_keeps_old_certificates_valid_and_a_retired_key_signs_nothing_new() {
        let mut rng = StdRng::seed_from_u64(5);
        let old = new_key(&mut rng, ISSUER);
        let new = new_key(&mut rng, ISSUER);
        let rotation = T0 + 100 * DAY;
        let before = key_set(&[(&old, T0, None)]);
        let after = key_set(&[(&old, T0, Some(rotation)), (&new, rotation, None)]);
        let mut early = input(&mut rng, 1);
        early.valid_from = at(T0 + 10 * DAY);
        early.valid_until = None;
        let early_jwt = issue(&old, &early).unwrap();
        let now = at(T0 + 500 * DAY);
        assert!(verify(&early_jwt, &before, &active, now).is_valid());
        assert!(verify(&early_jwt, &after, &active, now).is_valid(), "old certificates survive rotation");

        let mut late = early.clone();
        late.valid_from = at(rotation + DAY);
        let late_by_new = issue(&new, &late).unwrap();
        assert!(verify(&late_by_new, &after, &active, now).is_valid());
        let late_by_retired = issue(&old, &late).unwrap();
        assert_eq!(
            verify(&late_by_retired, &after, &active, now),
            Verdict::NotGenuine(Rejection::KeyNotValidForCredential),
            "a retired key signs nothing after its retirement"
        );
        let mut too_early = early.clone();
        too_early.valid_from = at(T0 + 10 * DAY);
        assert_eq!(
            verify(&issue(&new, &too_early).unwrap(), &after, &active, now),
            Verdict::NotGenuine(Rejection::KeyNotValidForCredential),
            "a new key cannot sign before it entered service"
        );
        // The JWKS carries the history to offline verifiers.
        let reloaded = KeySet::from_jwks(&after.to_jwks()).unwrap();
        assert!(verify(&early_jwt, &reloaded, &active, now).is_valid());
        assert!(matches!(verify(&late_by_retired, &reloaded, &active, now), Verdict::NotGenuine(_)));
    }

    /// Signs a hand-written payload, for claims our builder never writes.
    fn sign_raw(key: &IssuerKey, header: &str, payload: &str) -> String {
        let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        let signature = key.sign(input.as_bytes());
        format!("{input}.{}", b64(&signature.to_bytes()))
    }

    #[test]
    fn claims_that_disagree_with_the_credential_are_not_genuine() {
        let mut rng = StdRng::seed_from_u64(6);
        let key = new_key(&mut rng, ISSUER);
        let keys = key_set(&[(&key, T0, None)]);
        let mut input = input(&mut rng, 5);
        input.valid_until = Some(input.valid_from + chrono::Duration::days(10));
        let now = now_for(&input);
        let base = serde_json::json!({
            "iss": ISSUER, "sub": input.recipient.id, "jti": input.id,
            "nbf": input.valid_from.timestamp(), "exp": input.valid_until.unwrap().timestamp(),
            "iat": input.valid_from.timestamp(), "vc": credential_json(&input).unwrap(),
        });
        let header = format!(r#"{{"alg":"EdDSA","kid":"{}","typ":"JWT"}}"#, key.kid());
        assert!(verify(&sign_raw(&key, &header, &base.to_string()), &keys, &active, now).is_valid());
        type Change = Box<dyn Fn(&mut Value)>;
        let cases: Vec<(&str, Change, Rejection)> = vec![
            ("iss", Box::new(|c| c["iss"] = "https://evil.example".into()), Rejection::ClaimMismatch("iss")),
            ("sub", Box::new(|c| c["sub"] = "urn:uuid:someone-else".into()), Rejection::ClaimMismatch("sub")),
            (
                "jti",
                Box::new(|c| c["jti"] = "https://cpd.example.org/certificates/x".into()),
                Rejection::ClaimMismatch("jti"),
            ),
            (
                "nbf",
                Box::new(|c| c["nbf"] = (c["nbf"].as_i64().unwrap() - 1).into()),
                Rejection::ClaimMismatch("nbf"),
            ),
            (
                "exp",
                Box::new(|c| c["exp"] = (c["exp"].as_i64().unwrap() + 1).into()),
                Rejection::ClaimMismatch("exp"),
            ),
            (
                "no exp",
                Box::new(|c| {
                    c.as_object_mut().unwrap().remove("exp");
                }),
                Rejection::ClaimMismatch("exp"),
            ),
            (
                "no nbf",
                Box::new(|c| {
                    c.as_object_mut().unwrap().remove("nbf");
                }),
                Rejection::ClaimMismatch("nbf"),
            ),
            ("nbf as text", Box::new(|c| c["nbf"] = "1772352000".into()), Rejection::Malformed),
            (
                "issuer id",
                Box::new(|c| c["vc"]["issuer"]["id"] = "https://evil.example".into()),
                Rejection::ClaimMismatch("iss"),
            ),
            (
                "context",
                Box::new(|c| c["vc"]["@context"][1] = "https://evil.example/ctx.json".into()),
                Rejection::UnsupportedCredential,
            ),
            (
                "type",
                Box::new(|c| c["vc"]["type"] = serde_json::json!(["VerifiableCredential"])),
                Rejection::UnsupportedCredential,
            ),
            (
                "status type",
                Box::new(|c| c["vc"]["credentialStatus"]["type"] = "1EdTechRevocationList".into()),
                Rejection::UnsupportedStatus,
            ),
            (
                "status purpose",
                Box::new(|c| c["vc"]["credentialStatus"]["statusPurpose"] = "suspension".into()),
                Rejection::UnsupportedStatus,
            ),
            (
                "status index",
                Box::new(|c| c["vc"]["credentialStatus"]["statusListIndex"] = "4294967296".into()),
                Rejection::UnsupportedStatus,
            ),
            (
                "status index with a sign",
                Box::new(|c| c["vc"]["credentialStatus"]["statusListIndex"] = "+5".into()),
                Rejection::UnsupportedStatus,
            ),
            (
                "empty status index",
                Box::new(|c| c["vc"]["credentialStatus"]["statusListIndex"] = "".into()),
                Rejection::UnsupportedStatus,
            ),
            (
                "no status",
                Box::new(|c| {
                    c["vc"].as_object_mut().unwrap().remove("credentialStatus");
                }),
                Rejection::UnsupportedStatus,
            ),
            (
                "credits",
                Box::new(|c| c["vc"]["credentialSubject"]["result"][0]["value"] = 1.5.into()),
                Rejection::MissingField("credits"),
            ),
            (
                "fractional validFrom",
                Box::new(|c| c["vc"]["validFrom"] = "2026-03-01T08:00:00.5Z".into()),
                Rejection::MissingField("validFrom"),
            ),
        ];
        for (name, change, expected) in cases {
            let mut claims = base.clone();
            change(&mut claims);
            let jwt = sign_raw(&key, &header, &claims.to_string());
            assert_eq!(verify(&jwt, &keys, &active, now), Verdict::NotGenuine(expected), "case {name}");
        }
        // Duplicate member names: serde_json alone would keep the last one.
        let text = base.to_string();
        let duplicated = text.replacen("\"iss\":", "\"iss\":\"https://evil.example\",\"iss\":", 1);
        let jwt = sign_raw(&key, &header, &duplicated);
        assert_eq!(verify(&jwt, &keys, &active, now), Verdict::NotGenuine(Rejection::DuplicateJsonMember));
        let nested =
            text.replacen("\"validFrom\":", "\"validFrom\":\"2020-01-01T00:00:00Z\",\"validFrom\":", 1);
        let jwt = sign_raw(&key, &header, &nested);
        assert_eq!(verify(&jwt, &keys, &active, now), Verdict::NotGenuine(Rejection::DuplicateJsonMember));
        // Headers: only alg EdDSA, kid and typ JWT.
        let kid = key.kid();
        for header in [
            format!(r#"{{"alg":"none","kid":"{kid}","typ":"JWT"}}"#),
            format!(r#"{{"alg":"RS256","kid":"{kid}"}}"#),
            format!(r#"{{"alg":"EdDSA","kid":"{kid}","typ":"JWT","crit":["b64"]}}"#),
            format!(r#"{{"alg":"EdDSA","kid":"{kid}","typ":"vc+jwt"}}"#),
            format!(r#"{{"alg":"EdDSA","kid":"{kid}","jwk":{{"kty":"OKP"}}}}"#),
            format!(r#"{{"alg":"EdDSA","alg":"EdDSA","kid":"{kid}"}}"#),
        ] {
            let jwt = sign_raw(&key, &header, &text);
            assert!(matches!(verify(&jwt, &keys, &active, now), Verdict::NotGenuine(_)), "header {header}");
        }
        let minimal = format!(r#"{{"alg":"EdDSA","kid":"{kid}"}}"#);
        assert!(verify(&sign_raw(&key, &minimal, &text), &keys, &active, now).is_valid(), "typ is optional");
        for broken in ["", "a.b", "a.b.c.d", &"x".repeat(MAX_JWT_LEN + 1)] {
            assert!(matches!(verify(broken, &keys, &active, now), Verdict::NotGenuine(_)), "{broken:.20}");
        }
    }

    #[test]
    fn verify_many_agrees_with_verify() {
        let mut rng = StdRng::seed_from_u64(7);
        let key = new_key(&mut rng, ISSUER);
        let stranger = new_key(&mut rng, ISSUER);
        let keys = key_set(&[(&key, T0, None)]);
        let now = at(T0 + 200 * DAY);
        let mut jwts = Vec::new();
        for n in 0..300 {
            let input = input(&mut rng, n);
            let mut jwt = issue(if n % 37 == 5 { &stranger } else { &key }, &input).unwrap();
            if n % 23 == 7 {
                // Flip one signature character: that batch must fall back to single checks.
                let i = jwt.len() - 10;
                let c = if &jwt[i..=i] == "A" { "B" } else { "A" };
                jwt.replace_range(i..=i, c);
            }
            jwts.push(jwt);
        }
        let refs: Vec<&str> = jwts.iter().map(String::as_str).collect();
        let many = verify_many(&refs, &keys, &active, now);
        let one_by_one: Vec<Verdict> = refs.iter().map(|j| verify(j, &keys, &active, now)).collect();
        assert_eq!(many, one_by_one);
        assert!(many.iter().filter(|v| matches!(v, Verdict::NotGenuine(_))).count() >= 20);
        assert!(many.iter().filter(|v| v.summary().is_some()).count() >= 250);
    }

    #[test]
    fn the_compact_form_verifies_and_rejects_every_mutation() {
        let mut rng = StdRng::seed_from_u64(8);
        let key = new_key(&mut rng, ISSUER);
        let keys = key_set(&[(&key, T0, None)]);
        let mut checked = 0;
        for n in 0..50 {
            let input = input(&mut rng, n);
            let compact = CompactCertificate::from_input(&input);
            let id = format!("c{n}x{}", rng.random::<u32>());
            let code = compact_code(&key, &id, &compact).unwrap();
            let url = verify_page_url("https://cpd.example.org", &id, &code).unwrap();
            let now = now_for(&input);
            let verdict = verify_url(&url, &keys, &active, now);
            let Verdict::Valid(summary) = &verdict else { panic!("compact {n}: {verdict:?}") };
            assert_eq!(summary.recipient_name, compact.recipient_name);
            assert!(input.recipient.name.starts_with(&summary.recipient_name), "a cut name is a prefix");
            assert_eq!(summary.credits, input.achievement.credits);
            assert_eq!(summary.valid_until, input.valid_until);
            assert_eq!(summary.status.list_tag, status_list_tag(LIST));
            assert_eq!(summary.issuer_id, ISSUER);
            for _ in 0..20 {
                let mut digits = code.clone().into_bytes();
                let i = rng.random_range(0..digits.len());
                let d = loop {
                    let d = b'0' + rng.random_range(0..10u8);
                    if d != digits[i] {
                        break d;
                    }
                };
                digits[i] = d;
                let mutated = String::from_utf8(digits).unwrap();
                let verdict = verify_compact(&id, &mutated, &keys, &active, now);
                assert!(matches!(verdict, Verdict::NotGenuine(_)), "digit {i} of code {n}: {verdict:?}");
                checked += 1;
            }
            let other_id = format!("{id}0");
            assert!(matches!(verify_compact(&other_id, &code, &keys, &active, now), Verdict::NotGenuine(_)));
            assert!(matches!(verify_compact(&id, &code[1..], &keys, &active, now), Verdict::NotGenuine(_)));
            assert!(matches!(
                verify_compact(&id, &format!("{code}0"), &keys, &active, now),
                Verdict::NotGenuine(_)
            ));
        }
        assert_eq!(checked, 1_000);
        // The compact form shares the rotation rule and the unknown-key rule.
        let stranger = new_key(&mut rng, ISSUER);
        let input = input(&mut rng, 1);
        let code = compact_code(&stranger, "abc", &CompactCertificate::from_input(&input)).unwrap();
        assert_eq!(
            verify_compact("abc", &code, &keys, &active, now_for(&input)),
            Verdict::NotGenuine(Rejection::UnknownKey)
        );
        let retired = key_set(&[(&key, T0, Some(T0 + 1))]);
        let code = compact_code(&key, "abc", &CompactCertificate::from_input(&input)).unwrap();
        assert_eq!(
            verify_compact("abc", &code, &retired, &active, now_for(&input)),
            Verdict::NotGenuine(Rejection::KeyNotValidForCredential)
        );
    }

    /// Our signer never writes another version, an empty or over-long text, trailing bytes or an
    /// end before the start, but a key could sign such a payload: the reader still refuses it.
    #[test]
    fn a_signed_but_ill_formed_compact_form_is_malformed() {
        let mut rng = StdRng::seed_from_u64(15);
        let key = new_key(&mut rng, ISSUER);
        let keys = key_set(&[(&key, T0, None)]);
        let input = input(&mut rng, 1);
        let now = now_for(&input);
        let from = u32::try_from(input.valid_from.timestamp()).unwrap();
        let signed = |version: u8, name: &[u8], until: u32, trailing: &[u8]| {
            let mut payload = vec![version];
            payload.extend_from_slice(&first4(&thumbprint(&key.public_key())));
            payload.extend_from_slice(&status_list_tag(LIST));
            for number in [7, from, until, 150] {
                payload.extend_from_slice(&u32::to_be_bytes(number));
            }
            for text in [name, b"Hand hygiene", b"course"] {
                payload.push(u8::try_from(text.len()).unwrap());
                payload.extend_from_slice(text);
            }
            payload.extend_from_slice(trailing);
            let signature = key.sign(&compact_message("abc", &payload));
            payload.extend_from_slice(&signature.to_bytes());
            verify_compact("abc", &to_digits(&payload), &keys, &active, now)
        };
        let name = b"Amina Otieno";
        assert!(signed(COMPACT_VERSION, name, 0, b"").is_valid());
        assert!(signed(COMPACT_VERSION, name, u32::MAX, b"").is_valid());
        let too_long = [b'a'; COMPACT_MAX_NAME + 1];
        for (case, verdict) in [
            ("empty name", signed(COMPACT_VERSION, b"", 0, b"")),
            ("name too long", signed(COMPACT_VERSION, &too_long, 0, b"")),
            ("another version", signed(COMPACT_VERSION + 1, name, 0, b"")),
            ("a byte after the texts", signed(COMPACT_VERSION, name, 0, b"x")),
            ("ends when it starts", signed(COMPACT_VERSION, name, from, b"")),
        ] {
            assert_eq!(verdict, Verdict::NotGenuine(Rejection::Malformed), "{case}");
        }
    }

    #[test]
    fn a_compact_signature_is_never_a_jws_signature() {
        let message = compact_message("abc", b"\x01payload");
        assert!(message.contains(&0), "the compact message holds a NUL byte, which no JWS signing input has");
        let jws_alphabet = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
        assert!(!message.iter().all(jws_alphabet));
    }

    #[test]
    fn batch_pre_checks_accept_exactly_the_r_values_verify_strict_accepts() {
        use curve25519_dalek::edwards::CompressedEdwardsY;
        let strict_ok = |r: &[u8; 32]| {
            let compressed = CompressedEdwardsY(*r);
            compressed.decompress().is_some_and(|p| !p.is_small_order() && p.compress() == compressed)
        };
        let batchable_r = |r: &[u8; 32]| {
            let mut bytes = [0u8; 64];
            bytes[..32].copy_from_slice(r);
            batchable(&Signature::from_bytes(&bytes))
        };
        let torsion: Vec<[u8; 32]> =
            curve25519_dalek::constants::EIGHT_TORSION.iter().map(|p| p.compress().to_bytes()).collect();
        for t in &torsion {
            assert!(SMALL_ORDER.contains(t), "{t:02x?} is listed");
        }
        for r in SMALL_ORDER {
            assert!(CompressedEdwardsY(r).decompress().is_some_and(|p| p.is_small_order()), "{r:02x?}");
            assert!(!batchable_r(&r));
        }
        // Random strings, every y >= p, and the x = 0 points under both signs.
        let mut rng = StdRng::seed_from_u64(18);
        let mut candidates: Vec<[u8; 32]> = (0..20_000).map(|_| rng.random()).collect();
        for low in 0xed..=0xffu8 {
            for high in [0x7f, 0xff] {
                let mut r = [0xff; 32];
                r[0] = low;
                r[31] = high;
                candidates.push(r);
            }
        }
        let key = SigningKey::from_bytes(&[9; 32]);
        for i in 0..2_000u32 {
            candidates.push(*key.sign(&i.to_be_bytes()).r_bytes());
        }
        for r in &candidates {
            if CompressedEdwardsY(*r).decompress().is_some() {
                assert_eq!(batchable_r(r), strict_ok(r), "R = {r:02x?}");
            }
        }
    }

    #[test]
    fn base64url_must_be_canonical() {
        assert_eq!(unb64("AA"), Some(vec![0]));
        assert_eq!(unb64("AB"), None, "spare bits must be zero");
        assert_eq!(unb64("AA=="), None, "no padding");
        assert_eq!(unb64("A+"), None, "base64url, not base64");
    }

    #[test]
    fn decimal_digits_round_trip_and_refuse_non_canonical_input() {
        let mut rng = StdRng::seed_from_u64(10);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
            let digits = to_digits(&bytes);
            assert_eq!(digits.len(), len / 7 * 17 + DIGITS_FOR_BYTES[len % 7]);
            assert_eq!(from_digits(&digits).as_deref(), Some(bytes.as_slice()), "length {len}");
        }
        assert_eq!(to_digits(&[0xff; 7]), "72057594037927935");
        assert_eq!(from_digits("72057594037927936"), None, "2^56 does not fit 7 bytes");
        assert_eq!(from_digits("256"), None, "256 does not fit 1 byte");
        assert_eq!(from_digits("1234"), None, "4 digits fit no group");
        assert_eq!(from_digits("12a"), None);
        assert_eq!(from_digits("+12"), None);
    }

    /// Fills the `M{x} {y}h{w}v{h}H{x}V{y}` rectangles that qrcode's SVG renderer writes.
    fn rasterise(svg: &str) -> (usize, usize, Vec<bool>) {
        let number = |name: &str| -> usize {
            let start = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            svg[start..].split('"').next().unwrap().parse().unwrap()
        };
        let (width, height) = (number("width"), number("height"));
        let mut dark = vec![false; width * height];
        let d_start = svg.find(" d=\"").unwrap() + 4;
        let d = svg[d_start..].split('"').next().unwrap();
        for rect in d.split('M').filter(|r| !r.is_empty()) {
            let n: Vec<usize> = rect.split([' ', 'h', 'v', 'H', 'V']).map(|x| x.parse().unwrap()).collect();
            let (x, y, w, h) = (n[0], n[1], n[2], n[3]);
            for row in y..y + h {
                for col in x..x + w {
                    dark[row * width + col] = true;
                }
            }
        }
        (width, height, dark)
    }

    fn decode_qr(svg: &str) -> String {
        let (width, height, dark) = rasterise(svg);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            if dark[y * width + x] { 0 } else { 255 }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the picture");
        grids[0].decode().unwrap().1
    }

    #[test]
    fn the_qr_code_decodes_to_the_exact_verify_url() {
        let mut rng = StdRng::seed_from_u64(11);
        let key = new_key(&mut rng, ISSUER);
        let mut versions = Vec::new();
        for n in 0..8 {
            let mut input = input(&mut rng, n);
            input.achievement.short_name = Some("Neonatal resuscitation (HBB)".into());
            let id = format!("0f8fad5b-d9cb-469f-a165-{:012x}", rng.random::<u64>() >> 16);
            let code = compact_code(&key, &id, &CompactCertificate::from_input(&input)).unwrap();
            let url = verify_page_url("https://cpd.example.org", &id, &code).unwrap();
            let qr = qr_svg(&url).unwrap();
            assert_eq!(decode_qr(&qr.svg), url, "QR {n} decodes to the URL");
            versions.push((qr.version, url.len(), input.recipient.name.len()));
        }
        println!("QR versions (version, URL length, name bytes): {versions:?}");
        assert!(versions.iter().all(|(v, _, _)| *v <= 12), "QR versions {versions:?}");
    }

    #[test]
    fn jwks_never_holds_a_private_key_and_reads_back() {
        let mut rng = StdRng::seed_from_u64(12);
        let a = new_key(&mut rng, ISSUER);
        let b = new_key(&mut rng, ISSUER);
        let keys = key_set(&[(&a, T0, Some(T0 + DAY)), (&b, T0 + DAY, None)]);
        let jwks: Value = serde_json::from_str(&keys.to_jwks()).unwrap();
        for jwk in jwks["keys"].as_array().unwrap() {
            let jwk = jwk.as_object().unwrap();
            assert!(!jwk.contains_key("d"), "no private member: {jwk:?}");
            assert_eq!(jwk["kty"], "OKP");
            assert_eq!(jwk["crv"], "Ed25519");
            assert_eq!(jwk["alg"], "EdDSA");
            assert_eq!(jwk["use"], "sig");
        }
        let reread = KeySet::from_jwks(&keys.to_jwks()).unwrap();
        assert_eq!(reread.entries(), keys.entries());
        // A JWKS carrying a private key is refused whole.
        let mut leaked = jwks.clone();
        leaked["keys"][0]["d"] = b64(a.secret().expose_secret()).into();
        assert!(KeySet::from_jwks(&leaked.to_string()).is_err());
        let mut wrong_kid = jwks;
        wrong_kid["keys"][0]["kid"] = b.kid().into();
        assert!(KeySet::from_jwks(&wrong_kid.to_string()).is_err(), "a kid must be its key's thumbprint");
        // RFC 8037 A.3: the thumbprint of the RFC 8032 test key 1.
        let x = unb64("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").unwrap();
        let key = VerifyingKey::from_bytes(&x.try_into().unwrap()).unwrap();
        assert_eq!(b64(&thumbprint(&key)), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    #[test]
    fn keys_round_trip_through_their_stored_secret() {
        let mut rng = StdRng::seed_from_u64(13);
        let key = new_key(&mut rng, ISSUER);
        let again = IssuerKey::from_secret(&key.secret(), KEYS_URL, ISSUER).unwrap();
        assert_eq!(again.public_key(), key.public_key());
        assert_eq!(again.kid(), key.kid(), "the kid is stable: it is the key's thumbprint");
        assert!(key.kid().starts_with(&format!("{KEYS_URL}#")));
        assert!(format!("{key:?}").contains("kid"), "Debug shows the kid and never the secret");
        assert!(!format!("{key:?}").contains(&b64(key.secret().expose_secret())));
    }

    #[test]
    fn credits_are_exact_decimals() {
        for (text, hundredths, shown) in [
            ("1.5", 150, "1.5"),
            ("1.50", 150, "1.5"),
            ("2", 200, "2"),
            ("0.25", 25, "0.25"),
            ("12.05", 1205, "12.05"),
        ] {
            let credits = CpdCredits::parse(text).unwrap();
            assert_eq!(credits.hundredths(), hundredths, "{text}");
            assert_eq!(credits.to_string(), shown, "{text}");
        }
        for bad in ["", ".5", "1.", "1.234", "-1", "01", "1e2", "1,5", " 1", "1234567", "NaN"] {
            assert!(CpdCredits::parse(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn inputs_are_checked() {
        let mut rng = StdRng::seed_from_u64(14);
        let key = new_key(&mut rng, ISSUER);
        let good = input(&mut rng, 1);
        let mut bad = good.clone();
        bad.id = "not a url".into();
        assert_eq!(issue(&key, &bad), Err(CertificateError::InvalidUri("credential id")));
        let mut bad = good.clone();
        bad.valid_until = Some(bad.valid_from);
        assert!(issue(&key, &bad).is_err());
        let mut bad = good.clone();
        bad.achievement.id.push_str("#x");
        assert_eq!(issue(&key, &bad), Err(CertificateError::FragmentInAchievementId));
        let mut bad = good;
        bad.recipient.name = "  ".into();
        assert_eq!(issue(&key, &bad), Err(CertificateError::Empty("recipient name")));
        assert!(verify_page_url("https://cpd.example.org", "bad/id", "1").is_err());
    }

    #[test]
    fn a_uri_is_http_https_or_urn_with_something_after_and_no_space_or_control() {
        for good in ["https://cpd.example.org/c/1", "http://x", "urn:uuid:1b4e28ba"] {
            assert!(is_uri(good), "{good}");
        }
        for bad in ["", "https://", "urn:", "ftp://x", "cpd.example.org", "https://cpd.example.org/a b"] {
            assert!(!is_uri(bad), "{bad:?}");
        }
        for control in ["https://x\u{7}", "https://x\n", "https://x\t"] {
            assert!(!is_uri(control), "{control:?}");
        }
    }

    /// Runs the independent PyJWT verifier (`tests/credits/verify_certificate.py`) on a sample
    /// certificate when `LANTERN_PYTHON` names a Python with `pyjwt[crypto]` and `jsonschema`;
    /// otherwise it only says that it skipped. `LANTERN_CERT_VERIFIER` may point at the script.
    #[test]
    fn an_independent_python_verifier_accepts_our_certificates() {
        let Ok(python) = std::env::var("LANTERN_PYTHON") else {
            println!("skipped: set LANTERN_PYTHON to a python with pyjwt[crypto] and jsonschema");
            return;
        };
        let script = std::env::var("LANTERN_CERT_VERIFIER").unwrap_or_else(|_| {
            format!("{}/../tests/credits/verify_certificate.py", env!("CARGO_MANIFEST_DIR"))
        });
        let dir = tempfile::tempdir().unwrap();
        let mut rng = StdRng::seed_from_u64(17);
        let old = new_key(&mut rng, ISSUER);
        let key = new_key(&mut rng, ISSUER);
        let now = Utc::now().timestamp();
        let keys = key_set(&[(&old, now - 400 * DAY, Some(now - 300 * DAY)), (&key, now - 300 * DAY, None)]);
        std::fs::write(dir.path().join("jwks.json"), keys.to_jwks()).unwrap();
        let run = |name: &str, jwt: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, jwt).unwrap();
            let out = std::process::Command::new(&python)
                .arg(&script)
                .arg("--jwks")
                .arg(dir.path().join("jwks.json"))
                .arg("--jwt")
                .arg(&path)
                .output()
                .unwrap();
            let text =
                format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            (out.status.success(), text)
        };
        for n in 0..5 {
            let mut input = input(&mut rng, n);
            input.valid_from = at(now - DAY);
            input.valid_until = (n % 2 == 0).then(|| at(now + 365 * DAY));
            input.recipient.licence_consent = n % 2 == 1;
            let (ok, text) = run(&format!("good{n}.jwt"), &issue(&key, &input).unwrap());
            assert!(ok, "python rejected certificate {n}: {text}");
            println!("{}", text.trim());
            let mut tampered = issue(&key, &input).unwrap();
            let i = tampered.len() / 2;
            let c = if &tampered[i..=i] == "A" { "B" } else { "A" };
            tampered.replace_range(i..=i, c);
            let (ok, text) = run(&format!("bad{n}.jwt"), &tampered);
            assert!(!ok, "python accepted a tampered certificate: {text}");
        }
        let mut input = input(&mut rng, 9);
        input.valid_from = at(now - 10 * DAY);
        input.valid_until = Some(at(now - DAY));
        let (ok, text) = run("expired.jwt", &issue(&key, &input).unwrap());
        assert!(!ok && text.contains("xpired"), "python must call an expired certificate expired: {text}");
    }
}
