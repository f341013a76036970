#!/usr/bin/env bash
# Mutation testing of the code that decides who may do what and whether a certificate is genuine
# (RELIABILITY.md B5 #22: at least 90 % of mutants caught): cargo-mutants changes one thing at a
# time in these functions (a `>` into `>=`, a body into `true`, a `!` deleted …), rebuilds and runs
# the crate's unit tests; a mutant the tests still pass is "missed", a gap in the tests.
#
#   tests/mutation/run.sh                 every mutant (about 360; ~40 s each here, 4 hours)
#   SHARD=0/6 tests/mutation/run.sh       every 6th of them (round-robin), as reported in README
#
# Scope: authorisation (`authorize`, roles, API token scopes), certificate verification (JWS and
# compact forms, key sets, strict JSON, Bitstring status lists) and the credit ledger's hash
# chain. Functions that only read or write the database (creating a token, say) are left out:
# their mutants are caught by the integration tests, which take minutes per mutant to build.
# cargo-mutants 27.1 adds struct-field deletions whatever -F says: the nine in
# `Accounts::create_api_token` (a database insert) come along and the unit tests cannot catch
# them; check such a mutant against `cargo test -p lantern-tests --test api` instead.
# Results go to target/mutants (mutants.out/missed.txt lists what the tests did not catch).
set -euo pipefail
cd "$(dirname "$0")/../.."
# A target folder of its own: cargo names a workspace crate's artifacts by its path inside the
# workspace, so the mutants' copy of the tree would share them with this checkout, and a test run
# here while mutants are built could run a mutated binary (seen once).
export CARGO_TARGET_DIR="${MUTANTS_TARGET_DIR:-$HOME/.cache/lantern/mutants-target}"
if ! command -v cargo-mutants >/dev/null; then
  CARGO_TARGET_DIR="$HOME/.cache/lantern/mutants-build" cargo install --locked cargo-mutants --version 27.1.0
fi

functions='authorize|Actor::has_role|Actor::is_staff|Role::parse|required_scope|allows|matches|parse_scopes'
functions+='|verify|finish|judge|certificate_summary|common_claims|parse_jws|ParsedJws.*::verify_signature'
functions+='|batchable|verify_many|verify_compact|parse_compact|Reader.*|from_digits|unb64|parse_instant'
functions+='|KeyEntry::covers|KeySet::by_tag|KeySet::get|KeySet::insert|KeySet::from_jwks|parse_verify_url'
functions+='|verify_url|text|object|integer|<impl Visitor.*|parse_object|is_uri'
functions+='|Bitstring::get|Bitstring::decode|verify_status_list'
functions+='|<impl StatusLookup for StatusListCache>::status|StatusListCache::insert'
functions+='|hash|verify_from|root|hex'

shard=()
[[ -z ${SHARD:-} ]] || shard=(--shard "$SHARD" --sharding round-robin)
cargo mutants \
  -f backend/src/accounts/model.rs -f backend/src/accounts/api_tokens.rs \
  -f backend/src/credits/certificate.rs -f backend/src/credits/status_list.rs -f backend/src/credits/ledger.rs \
  -F "( in | replace )($functions)( |\$)" \
  "${shard[@]}" --timeout 120 -C --lib -o "$CARGO_TARGET_DIR/mutants" "$@"
