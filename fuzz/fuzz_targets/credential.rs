//! What a verifier hands Lantern as a credential (`credits::certificate`): a certificate VC-JWT
//! (`verify`), the verify page URL from a certificate's QR code with its compact signed code
//! (`verify_url`), an issuer's status list VC-JWT (`status_list::verify_status_list`) and a
//! cached JWKS (`KeySet::from_jwks`). The same text goes to each. Signatures are checked before
//! payloads are read, so random text stops at the header, the key lookup or the signature; the
//! `credential_signed` target reaches what lies behind them.
#![no_main]

use lantern::credits::certificate::{KeySet, verify, verify_url};
use lantern::credits::status_list::verify_status_list;
use libfuzzer_sys::fuzz_target;

#[path = "../common/issuer.rs"]
mod issuer;
use issuer::{active, keys, now};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (_, set) = keys();
    let _ = verify(text, set, &active, now());
    let _ = verify_url(text, set, &active, now());
    let _ = verify_status_list(text, set);
    let _ = KeySet::from_jwks(text);
});
