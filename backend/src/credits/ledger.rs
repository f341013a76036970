//! The credit ledger's tamper evidence. Entries are never updated or deleted: a correction is a
//! new entry pointing at the one it corrects. Each learner's entries form a chain: entry `seq`
//! carries the hash of entry `seq − 1` (the first carries [`GENESIS`]) and its own hash,
//!
//! ```text
//! hash = hex(SHA-256(prev_hash ‖ "\n" ‖ JSON [account_id, seq, kind, amount, category,
//!                                          accreditor_id, title, earned_on, source_key,
//!                                          corrects_id]))
//! ```
//!
//! so changing, removing or reordering a row breaks the chain at that row. A periodic
//! checkpoint signs the heads of all chains (their root, [`root`]); a later verification checks
//! each checkpoint's signature and that every head it signed is still in its chain with the same
//! hash, which also catches a chain cut back below a checkpoint or a row rewritten together with
//! every hash after it. Pure functions; the service reads the rows and holds the keys.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// The previous hash of a chain's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry's hash covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields<'a> {
    pub account_id: i32,
    pub seq: i32,
    pub kind: &'a str,
    pub amount: i64,
    pub category: &'a str,
    pub accreditor_id: Option<i32>,
    pub title: &'a str,
    pub earned_on: NaiveDate,
    pub source_key: &'a str,
    pub corrects_id: Option<i32>,
}

/// The hash of an entry after `prev_hash`.
pub fn hash(prev_hash: &str, fields: &Fields<'_>) -> String {
    let body = serde_json::json!([
        fields.account_id,
        fields.seq,
        fields.kind,
        fields.amount,
        fields.category,
        fields.accreditor_id,
        fields.title,
        fields.earned_on.to_string(),
        fields.source_key,
        fields.corrects_id,
    ]);
    let mut digest = Sha256::new();
    digest.update(prev_hash.as_bytes());
    digest.update(b"\n");
    digest.update(body.to_string().as_bytes());
    hex(&digest.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored entry as verification reads it.
#[derive(Clone, Debug)]
pub struct Stored<'a> {
    pub id: i32,
    pub fields: Fields<'a>,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// The first entry that does not fit, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("learner {account_id}, entry {seq} (row {entry_id}): {problem}")]
pub struct Break {
    pub account_id: i32,
    pub seq: i32,
    pub entry_id: i32,
    pub problem: &'static str,
}

/// Walks stored entries in (account, seq) order and returns the heads (account, seq, hash) of
/// every chain, or the first entry that does not fit.
pub fn verify<'a>(entries: impl IntoIterator<Item = Stored<'a>>) -> Result<Vec<(i32, i32, String)>, Break> {
    verify_from(Vec::new(), entries)
}

/// [`verify`] continuing from heads already verified (a page at a time): the entries go on
/// from the last of `heads`.
pub fn verify_from<'a>(
    mut heads: Vec<(i32, i32, String)>,
    entries: impl IntoIterator<Item = Stored<'a>>,
) -> Result<Vec<(i32, i32, String)>, Break> {
    for entry in entries {
        let f = &entry.fields;
        let fail = |problem| Err(Break { account_id: f.account_id, seq: f.seq, entry_id: entry.id, problem });
        let (expected_seq, expected_prev) = match heads.last() {
            Some((account, seq, hash)) if *account == f.account_id => (seq + 1, hash.as_str()),
            Some((account, ..)) if *account > f.account_id => return fail("out of order"),
            _ => (1, GENESIS),
        };
        if f.seq != expected_seq {
            return fail(if f.seq > expected_seq { "an entry before it is missing" } else { "out of order" });
        }
        if entry.prev_hash != expected_prev {
            return fail("does not follow the entry before it");
        }
        if hash(entry.prev_hash, f) != entry.hash {
            return fail("its content does not match its hash");
        }
        match heads.last_mut() {
            Some(head) if head.0 == f.account_id => *head = (f.account_id, f.seq, entry.hash.to_owned()),
            _ => heads.push((f.account_id, f.seq, entry.hash.to_owned())),
        }
    }
    Ok(heads)
}

/// The root a checkpoint signs: SHA-256 over every head as "account seq hash\n", by account.
pub fn root(heads: &[(i32, i32, String)]) -> String {
    let mut sorted: Vec<&(i32, i32, String)> = heads.iter().collect();
    sorted.sort_by_key(|(account, ..)| *account);
    let mut digest = Sha256::new();
    for (account, seq, hash) in sorted {
        digest.update(format!("{account} {seq} {hash}\n").as_bytes());
    }
    hex(&digest.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        id: i32,
        account: i32,
        seq: i32,
        amount: i64,
        title: String,
        prev: String,
        hash: String,
    }

    fn chain(accounts: &[(i32, usize)]) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut id = 0;
        for &(account, n) in accounts {
            let mut prev = GENESIS.to_owned();
            for seq in 1..=n as i32 {
                id += 1;
                let title = format!("Course {seq}");
                let fields = fields(account, seq, 100 * i64::from(seq), &title);
                let hash = hash(&prev, &fields);
                rows.push(Row {
                    id,
                    account,
                    seq,
                    amount: 100 * i64::from(seq),
                    title,
                    prev: prev.clone(),
                    hash: hash.clone(),
                });
                prev = hash;
            }
        }
        rows
    }

    fn fields(account: i32, seq: i32, amount: i64, title: &str) -> Fields<'_> {
        Fields {
            account_id: account,
            seq,
            kind: "course",
            amount,
            category: "clinical",
            accreditor_id: Some(1),
            title,
            earned_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            source_key: "accreditation:1",
            corrects_id: None,
        }
    }

    fn stored(rows: &[Row]) -> Vec<Stored<'_>> {
        rows.iter()
            .map(|r| Stored {
                id: r.id,
                fields: fields(r.account, r.seq, r.amount, &r.title),
                prev_hash: &r.prev,
                hash: &r.hash,
            })
            .collect()
    }

    #[test]
    fn an_untouched_ledger_verifies_and_gives_each_chains_head() {
        let rows = chain(&[(1, 3), (2, 1), (5, 2)]);
        let heads = verify(stored(&rows)).unwrap();
        assert_eq!(heads.iter().map(|(a, s, _)| (*a, *s)).collect::<Vec<_>>(), vec![(1, 3), (2, 1), (5, 2)]);
        assert_eq!(root(&heads), root(&heads.iter().rev().cloned().collect::<Vec<_>>()), "order-free");
    }

    #[test]
    fn every_kind_of_tampering_names_the_first_entry_that_does_not_fit() {
        let base = chain(&[(1, 4), (2, 3)]);
        // A changed amount.
        let mut rows = chain(&[(1, 4), (2, 3)]);
        rows[2].amount = 10_000;
        assert_eq!(verify(stored(&rows)).unwrap_err().entry_id, 3);
        // A changed amount with its own hash recomputed: the next entry no longer follows.
        let mut rows = chain(&[(1, 4), (2, 3)]);
        rows[1].amount = 10_000;
        rows[1].hash = hash(&rows[1].prev, &fields(1, 2, 10_000, "Course 2"));
        let broken = verify(stored(&rows)).unwrap_err();
        assert_eq!((broken.entry_id, broken.problem), (3, "does not follow the entry before it"));
        // A deleted entry.
        let mut rows = chain(&[(1, 4), (2, 3)]);
        rows.remove(5);
        assert_eq!(verify(stored(&rows)).unwrap_err().problem, "an entry before it is missing");
        // Two entries swapped.
        let mut rows = chain(&[(1, 4), (2, 3)]);
        rows.swap(1, 2);
        assert_eq!(verify(stored(&rows)).unwrap_err().entry_id, 3);
        // A chain cut back and rewritten from the start verifies on its own, but not against the
        // head a checkpoint signed.
        let rows = chain(&[(1, 2), (2, 3)]);
        let heads = verify(stored(&rows)).unwrap();
        assert_ne!(root(&heads), root(&verify(stored(&base)).unwrap()));
    }
}
