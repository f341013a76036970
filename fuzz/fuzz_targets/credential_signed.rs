//! The claims behind a good signature: the input is a JWT payload, signed here with the test
//! issuer's key so that `certificate::verify` and `status_list::verify_status_list` read it
//! (claim checks, Open Badges members, dates, status entries, the `encodedList` gzip). A
//! payload is only ever trusted after its signature verifies, but an issuer's bug or a
//! compromised key must still not crash a verifier. A certificate that verifies must also
//! verify in its compact QR form (`CompactCertificate`, `compact_code`, `verify_compact`).
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use lantern::credits::certificate::{
    CompactCertificate, IssuerKey, Verdict, compact_code, verify, verify_compact,
};
use lantern::credits::status_list::verify_status_list;
use libfuzzer_sys::fuzz_target;

#[path = "../common/issuer.rs"]
mod issuer;
use issuer::{SECRET, active, keys, now};

/// `payload` signed as Lantern signs: `{"alg":"EdDSA","kid":…,"typ":"JWT"}`, base64url, Ed25519.
fn sign(key: &IssuerKey, payload: &[u8]) -> String {
    let header = serde_json::json!({ "alg": "EdDSA", "kid": key.kid(), "typ": "JWT" });
    let mut jws = URL_SAFE_NO_PAD.encode(header.to_string());
    jws.push('.');
    URL_SAFE_NO_PAD.encode_string(payload, &mut jws);
    let signature = SigningKey::from_bytes(&SECRET).sign(jws.as_bytes());
    jws.push('.');
    URL_SAFE_NO_PAD.encode_string(signature.to_bytes(), &mut jws);
    jws
}

fuzz_target!(|data: &[u8]| {
    let (key, set) = keys();
    let jwt = sign(key, data);
    let verdict = verify(&jwt, set, &active, now());
    assert!(
        !matches!(verdict, Verdict::NotGenuine(lantern::credits::certificate::Rejection::BadSignature)),
        "the test signature must verify"
    );
    if let Some(summary) = verdict.summary() {
        let compact = CompactCertificate::from_summary(summary);
        if let Ok(code) = compact_code(key, "fuzz-1", &compact) {
            let again = verify_compact("fuzz-1", &code, set, &active, now());
            assert!(
                again.summary().is_some(),
                "a verified certificate's compact form is refused: {again:?}\n{summary:?}"
            );
        }
    }
    let _ = verify_status_list(&jwt, set);
});
