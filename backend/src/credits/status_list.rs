//! Certificate revocation with the W3C Bitstring Status List v1.0: the bitset and its `encodedList`
//! text, the signed `BitstringStatusListCredential` (a VC-JWT made with the issuer's certificate
//! key), and a cache of verified lists that answers [`StatusLookup`] questions offline.
//! Pure rules like `certificate`, on which it builds (keys, JWS, claim checks).
//!
//! Rules (W3C Bitstring Status List v1.0 §2.1, §3.2):
//! - the list holds at least 131,072 bits (16 KiB), so one revocation hides among many entries;
//! - bit 0 is the most significant bit of the first byte; a set bit means revoked;
//! - `encodedList` is `u` (the multibase prefix for base64url without padding) followed by the
//!   base64url of the GZIP-compressed bytes;
//! - the list credential is `{"@context":["https://www.w3.org/ns/credentials/v2"], "id": URL,
//!   "type":["VerifiableCredential","BitstringStatusListCredential"], "issuer", "validFrom",
//!   "validUntil", "credentialSubject":{"id": URL#list, "type":"BitstringStatusList",
//!   "statusPurpose":"revocation", "encodedList"}}`, sent as a VC-JWT with the same claims rules as
//!   a certificate (`iss`, `sub`, `jti`, `nbf`, `exp`) and the same key rotation rule.
//!
//! An offline verifier keeps the newest verified list per URL and trusts it only between its
//! `validFrom` and `validUntil` (the issuer re-signs the list before `validUntil`, e.g. daily with a
//! week's validity); outside that window, or for an index past the end, the answer is `Unknown`
//! and a certificate cannot be shown as valid.

use std::io::{Read as _, Write as _};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::Serialize;
use serde_json::Value;

use super::certificate::{
    CertificateError, IssuerKey, KeySet, Rejection, StatusAnswer, StatusLookup, StatusRef, VC_CONTEXT,
    common_claims, from_unix, parse_jws, rfc3339, sign_jws, status_list_tag,
};

/// The smallest list we write or accept: 16 KiB of bits (W3C Bitstring Status List v1.0 §6.1).
pub const MIN_ENTRIES: usize = 131_072;
/// The largest decompressed list we accept (a gzip bomb guard): 2^27 entries.
pub const MAX_ENTRIES: usize = 1 << 27;

/// Why a status list could not be built, encoded, decoded or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusListError {
    /// The index lies past the end of the list.
    #[error("status list index {0} is out of range")]
    OutOfRange(u64),
    /// `encodedList` is not `u` + base64url of a GZIP stream of 16 KiB to 16 MiB.
    #[error("encodedList is not a valid multibase base64url GZIP bitstring of at least 16 KiB")]
    BadEncoding,
    /// The list credential is not genuine or not a revocation list we understand.
    #[error("status list credential rejected: {0:?}")]
    Rejected(Rejection),
    /// A field of the list credential could not be built.
    #[error(transparent)]
    Certificate(#[from] CertificateError),
}

/// A revocation bitset of at least [`MIN_ENTRIES`] bits, all clear when new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

impl Default for Bitstring {
    fn default() -> Self {
        Self::new()
    }
}

impl Bitstring {
    /// A list of exactly [`MIN_ENTRIES`] clear bits.
    pub fn new() -> Self {
        Self::with_entries(MIN_ENTRIES)
    }

    /// A list of clear bits: `entries` rounded up to whole bytes, at least [`MIN_ENTRIES`] and at
    /// most [`MAX_ENTRIES`].
    pub fn with_entries(entries: usize) -> Self {
        let entries = entries.clamp(MIN_ENTRIES, MAX_ENTRIES);
        Self { bytes: vec![0; entries.div_ceil(8)] }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Never true (a list has at least [`MIN_ENTRIES`] entries); here for clippy's `len` rule.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Whether entry `index` is set (revoked); `None` past the end.
    pub fn get(&self, index: u64) -> Option<bool> {
        let byte = self.bytes.get(usize::try_from(index / 8).ok()?)?;
        Some(byte & (0x80 >> (index % 8)) != 0)
    }

    /// Sets (revokes) or clears entry `index`.
    pub fn set(&mut self, index: u64, revoked: bool) -> Result<(), StatusListError> {
        let byte = usize::try_from(index / 8)
            .ok()
            .and_then(|i| self.bytes.get_mut(i))
            .ok_or(StatusListError::OutOfRange(index))?;
        let mask = 0x80 >> (index % 8);
        if revoked {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
        Ok(())
    }

    /// Number of set entries.
    pub fn count_set(&self) -> usize {
        self.bytes.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// The `encodedList` text: `u` + base64url(GZIP(bytes)).
    pub fn encode(&self) -> Result<String, StatusListError> {
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        gzip.write_all(&self.bytes).map_err(|_| StatusListError::BadEncoding)?;
        let compressed = gzip.finish().map_err(|_| StatusListError::BadEncoding)?;
        Ok(format!("u{}", URL_SAFE_NO_PAD.encode(compressed)))
    }

    /// Reads an `encodedList`, refusing lists under [`MIN_ENTRIES`] or over [`MAX_ENTRIES`].
    pub fn decode(encoded: &str) -> Result<Self, StatusListError> {
        let compressed = encoded
            .strip_prefix('u')
            .and_then(|b64| URL_SAFE_NO_PAD.decode(b64).ok())
            .ok_or(StatusListError::BadEncoding)?;
        let limit = (MAX_ENTRIES / 8) as u64;
        let mut bytes = Vec::new();
        GzDecoder::new(compressed.as_slice())
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| StatusListError::BadEncoding)?;
        if bytes.len() < MIN_ENTRIES / 8 || bytes.len() as u64 > limit {
            return Err(StatusListError::BadEncoding);
        }
        Ok(Self { bytes })
    }
}

/// What the list credential says besides its bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusListInput {
    /// The list credential's URL: its `id`, the JWT `jti`, and every entry's `statusListCredential`.
    pub url: String,
    /// Signing time.
    pub valid_from: DateTime<Utc>,
    /// Until when verifiers may rely on this copy (required: offline caches need a horizon).
    pub valid_until: DateTime<Utc>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListCredentialDoc<'a> {
    #[serde(rename = "@context")]
    context: [&'static str; 1],
    id: &'a str,
    #[serde(rename = "type")]
    kind: [&'static str; 2],
    issuer: &'a str,
    valid_from: String,
    valid_until: String,
    credential_subject: ListSubjectDoc<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListSubjectDoc<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    status_purpose: &'static str,
    encoded_list: String,
}

#[derive(Serialize)]
struct ListClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    jti: &'a str,
    nbf: i64,
    exp: i64,
    iat: i64,
    vc: &'a ListCredentialDoc<'a>,
}

/// Builds the `BitstringStatusListCredential` for `bits` and signs it as a VC-JWT with `key`.
pub fn sign_status_list(
    key: &IssuerKey,
    input: &StatusListInput,
    bits: &Bitstring,
) -> Result<String, StatusListError> {
    if input.valid_until <= input.valid_from {
        return Err(CertificateError::InvalidDates("validUntil must be after validFrom").into());
    }
    if !(input.url.starts_with("https://") || input.url.starts_with("http://")) || input.url.contains('#') {
        return Err(CertificateError::InvalidUri("status list URL").into());
    }
    let subject_id = format!("{}#list", input.url);
    let vc = ListCredentialDoc {
        context: [VC_CONTEXT],
        id: &input.url,
        kind: ["VerifiableCredential", "BitstringStatusListCredential"],
        issuer: key.issuer_id(),
        valid_from: rfc3339(input.valid_from),
        valid_until: rfc3339(input.valid_until),
        credential_subject: ListSubjectDoc {
            id: &subject_id,
            kind: "BitstringStatusList",
            status_purpose: "revocation",
            encoded_list: bits.encode()?,
        },
    };
    let nbf = input.valid_from.timestamp();
    let claims = ListClaims {
        iss: key.issuer_id(),
        sub: &subject_id,
        jti: &input.url,
        nbf,
        exp: input.valid_until.timestamp(),
        iat: nbf,
        vc: &vc,
    };
    Ok(sign_jws(key, &claims)?)
}

/// A status list whose signature, issuer and key window have been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedStatusList {
    /// The list credential's URL.
    pub url: String,
    /// Its issuer (the signing key's issuer).
    pub issuer_id: String,
    /// Signed at.
    pub valid_from: DateTime<Utc>,
    /// Trust it until.
    pub valid_until: DateTime<Utc>,
    /// The revocation bits.
    pub bits: Bitstring,
}

/// Verifies a status list VC-JWT against `keys`: the same JWS, claim and key-window rules as a
/// certificate, a `validUntil`, and a revocation `BitstringStatusList` of at least 16 KiB.
pub fn verify_status_list(jwt: &str, keys: &KeySet) -> Result<VerifiedStatusList, StatusListError> {
    let parsed = parse_jws(jwt, keys).map_err(StatusListError::Rejected)?;
    let payload = parsed.open().map_err(StatusListError::Rejected)?;
    let claims = common_claims(&payload, parsed.key, &[VC_CONTEXT], &["BitstringStatusListCredential"])
        .map_err(StatusListError::Rejected)?;
    let subject = claims.subject;
    let field = |name| subject.get(name).and_then(Value::as_str);
    let expected_subject = format!("{}#list", claims.id);
    if field("type") != Some("BitstringStatusList")
        || field("statusPurpose") != Some("revocation")
        || field("id") != Some(expected_subject.as_str())
    {
        return Err(StatusListError::Rejected(Rejection::UnsupportedStatus));
    }
    let bits = Bitstring::decode(field("encodedList").ok_or(StatusListError::BadEncoding)?)?;
    let rejected = StatusListError::Rejected(Rejection::MissingField("validUntil"));
    let valid_until = claims.valid_until.and_then(from_unix).ok_or(rejected)?;
    Ok(VerifiedStatusList {
        url: claims.id.to_owned(),
        issuer_id: claims.issuer_id.to_owned(),
        valid_from: from_unix(claims.valid_from).ok_or(StatusListError::Rejected(Rejection::Malformed))?,
        valid_until,
        bits,
    })
}

/// Verified status lists, newest per URL, answering revocation questions for [`verify`] and
/// [`verify_compact`](super::certificate::verify_compact).
///
/// [`verify`]: super::certificate::verify
#[derive(Debug, Clone, Default)]
pub struct StatusListCache {
    lists: Vec<(VerifiedStatusList, [u8; 4])>,
}

impl StatusListCache {
    /// An empty cache: every answer is `Unknown`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps `list` unless a copy of the same URL signed later is already held.
    pub fn insert(&mut self, list: VerifiedStatusList) {
        let tag = status_list_tag(&list.url);
        match self.lists.iter_mut().find(|(held, _)| held.url == list.url) {
            Some((held, _)) if held.valid_from >= list.valid_from => {}
            Some(slot) => *slot = (list, tag),
            None => self.lists.push((list, tag)),
        }
    }
}

impl StatusLookup for StatusListCache {
    fn status(&self, entry: &StatusRef, now: DateTime<Utc>) -> StatusAnswer {
        let mut matches = self.lists.iter().filter(|(list, tag)| {
            *tag == entry.list_tag
                && list.issuer_id == entry.issuer_id
                && entry.list_url.as_ref().is_none_or(|url| *url == list.url)
        });
        // A tag shared by two of one issuer's lists is ambiguous: fail closed.
        let (Some((list, _)), None) = (matches.next(), matches.next()) else {
            return StatusAnswer::Unknown;
        };
        if now < list.valid_from || now > list.valid_until {
            return StatusAnswer::Unknown;
        }
        match list.bits.get(entry.index.into()) {
            Some(true) => StatusAnswer::Revoked,
            Some(false) => StatusAnswer::Active,
            None => StatusAnswer::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::certificate::KeyEntry;
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    const ISSUER: &str = "https://cpd.example.org/issuers/nursing-council";
    const URL: &str = "https://cpd.example.org/issuers/nursing-council/status/1";
    const T0: i64 = 1_772_352_000;
    const DAY: i64 = 86_400;

    fn at(secs: i64) -> DateTime<Utc> {
        from_unix(secs).unwrap()
    }

    fn key(seed: u64, issuer: &str) -> IssuerKey {
        IssuerKey::generate(&mut StdRng::seed_from_u64(seed), &format!("{issuer}/jwks.json"), issuer).unwrap()
    }

    fn keys(entries: &[&IssuerKey]) -> KeySet {
        KeySet::new(entries.iter().map(|k| k.entry(at(T0), None)).collect::<Vec<KeyEntry>>()).unwrap()
    }

    fn entry(index: u32) -> StatusRef {
        StatusRef {
            issuer_id: ISSUER.into(),
            list_url: Some(URL.into()),
            list_tag: status_list_tag(URL),
            index,
        }
    }

    #[test]
    fn a_new_list_has_at_least_131072_entries_and_round_trips() {
        let bits = Bitstring::new();
        assert_eq!(bits.len(), 131_072);
        assert_eq!(Bitstring::with_entries(10).len(), MIN_ENTRIES, "never smaller than 16 KiB");
        assert_eq!(Bitstring::with_entries(MIN_ENTRIES + 1).len(), MIN_ENTRIES + 8);
        let encoded = bits.encode().unwrap();
        assert!(encoded.starts_with('u'), "multibase base64url prefix");
        assert!(encoded.len() < 200, "16 KiB of zeros compresses well: {} chars", encoded.len());
        assert_eq!(Bitstring::decode(&encoded).unwrap(), bits);
    }

    #[test]
    fn bit_zero_is_the_most_significant_bit_of_the_first_byte() {
        let mut bits = Bitstring::new();
        bits.set(0, true).unwrap();
        bits.set(9, true).unwrap();
        bits.set(131_071, true).unwrap();
        assert_eq!(bits.bytes[0], 0x80);
        assert_eq!(bits.bytes[1], 0x40);
        assert_eq!(bits.bytes[16_383], 0x01);
        assert_eq!(bits.get(131_072), None);
        assert_eq!(bits.set(131_072, true), Err(StatusListError::OutOfRange(131_072)));
        bits.set(9, false).unwrap();
        assert_eq!(bits.count_set(), 2);
    }

    #[test]
    fn the_w3c_example_list_decodes() {
        // W3C Bitstring Status List v1.0, Example 2: an empty list of 131,072 entries.
        let example = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";
        let bits = Bitstring::decode(example).unwrap();
        assert_eq!((bits.len(), bits.count_set()), (131_072, 0));
    }

    #[test]
    fn decode_refuses_short_lists_bad_text_and_gzip_bombs() {
        let short = Bitstring { bytes: vec![0; 1_000] };
        assert_eq!(Bitstring::decode(&short.encode().unwrap()), Err(StatusListError::BadEncoding));
        let huge = Bitstring { bytes: vec![0; MAX_ENTRIES / 8 + 1] };
        assert_eq!(Bitstring::decode(&huge.encode().unwrap()), Err(StatusListError::BadEncoding));
        let good = Bitstring::new().encode().unwrap();
        for bad in ["", "u", "zH4sI", &good[1..], &format!("{good}==")] {
            assert_eq!(Bitstring::decode(bad), Err(StatusListError::BadEncoding), "{bad:.12}");
        }
    }

    proptest! {
        #[test]
        fn any_set_of_revocations_survives_encoding(indexes in proptest::collection::btree_set(0u64..131_072, 0..200)) {
            let mut bits = Bitstring::new();
            for &i in &indexes {
                bits.set(i, true).unwrap();
            }
            let decoded = Bitstring::decode(&bits.encode().unwrap()).unwrap();
            prop_assert_eq!(decoded.count_set(), indexes.len());
            for &i in &indexes {
                prop_assert_eq!(decoded.get(i), Some(true));
            }
            prop_assert_eq!(decoded, bits);
        }
    }

    #[test]
    fn a_signed_list_verifies_and_answers_lookups_only_while_fresh() {
        let key = key(1, ISSUER);
        let set = keys(&[&key]);
        let mut bits = Bitstring::new();
        bits.set(42, true).unwrap();
        let input =
            StatusListInput { url: URL.into(), valid_from: at(T0 + DAY), valid_until: at(T0 + 8 * DAY) };
        let jwt = sign_status_list(&key, &input, &bits).unwrap();
        let list = verify_status_list(&jwt, &set).unwrap();
        assert_eq!((list.url.as_str(), list.issuer_id.as_str()), (URL, ISSUER));
        let mut cache = StatusListCache::new();
        cache.insert(list);
        let now = at(T0 + 2 * DAY);
        assert_eq!(cache.status(&entry(42), now), StatusAnswer::Revoked);
        assert_eq!(cache.status(&entry(43), now), StatusAnswer::Active);
        assert_eq!(cache.status(&entry(200_000), now), StatusAnswer::Unknown, "past the end");
        assert_eq!(cache.status(&entry(43), at(T0 + 9 * DAY)), StatusAnswer::Unknown, "stale");
        assert_eq!(cache.status(&entry(43), at(T0)), StatusAnswer::Unknown, "not yet signed");
        let compact = StatusRef { list_url: None, ..entry(42) };
        assert_eq!(cache.status(&compact, now), StatusAnswer::Revoked, "found by tag alone");
        let other_issuer =
            StatusRef { issuer_id: "https://cpd.example.org/issuers/other".into(), ..entry(42) };
        assert_eq!(
            cache.status(&other_issuer, now),
            StatusAnswer::Unknown,
            "another issuer's list never answers"
        );

        // An older copy never replaces a newer one.
        let older = StatusListInput { valid_from: at(T0), ..input };
        cache.insert(
            verify_status_list(&sign_status_list(&key, &older, &Bitstring::new()).unwrap(), &set).unwrap(),
        );
        assert_eq!(cache.status(&entry(42), now), StatusAnswer::Revoked);
    }

    #[test]
    fn tampered_foreign_or_undersized_lists_are_refused() {
        let stranger = key(3, ISSUER);
        let key = key(2, ISSUER);
        let set = keys(&[&key]);
        let input =
            StatusListInput { url: URL.into(), valid_from: at(T0 + DAY), valid_until: at(T0 + 8 * DAY) };
        let jwt = sign_status_list(&key, &input, &Bitstring::new()).unwrap();
        let mut tampered = jwt.clone();
        let i = tampered.len() / 2;
        let c = if &tampered[i..=i] == "A" { "B" } else { "A" };
        tampered.replace_range(i..=i, c);
        assert!(verify_status_list(&tampered, &set).is_err());
        let foreign = sign_status_list(&stranger, &input, &Bitstring::new()).unwrap();
        assert_eq!(verify_status_list(&foreign, &set), Err(StatusListError::Rejected(Rejection::UnknownKey)));
        let small = Bitstring { bytes: vec![0; 1_024] };
        let undersized = sign_status_list(&key, &input, &small).unwrap();
        assert_eq!(verify_status_list(&undersized, &set), Err(StatusListError::BadEncoding));
        assert!(sign_status_list(&key, &StatusListInput { valid_until: at(T0), ..input }, &small).is_err());
    }
}
