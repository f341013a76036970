//! Signed checkpoints of the credit ledger: every so often the heads of all chains are verified,
//! their root ([`ledger::root`]) is signed with the platform's own Ed25519 key and stored with
//! the heads. Verifying the ledger then also checks every checkpoint: its signature, and that
//! each head it signed is still in its chain with the same hash — so rewriting a chain together
//! with all its hashes, or cutting it back, is caught once a checkpoint has seen it.

use super::entity::{credit_entry, issuer_key, ledger_checkpoint};
use super::issuing::public_key;
use super::ledger;
use super::service::{Credits, CreditsError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};

/// Keeps a checkpoint's signature from ever being mistaken for another signature of ours.
const DOMAIN: &[u8] = b"lantern/ledger-checkpoint/v1\0";

/// What a checkpoint's signature covers.
fn message(root: &str, chains: i32, entries: i64, at: &str) -> Vec<u8> {
    let mut m = DOMAIN.to_vec();
    m.extend_from_slice(format!("{root}\n{chains}\n{entries}\n{at}").as_bytes());
    m
}

/// A checkpoint that does not hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointBreak {
    #[error("checkpoint {id}: its signature does not verify")]
    Signature { id: i32 },
    #[error("checkpoint {id}: learner {account_id}'s entry {seq} is not what it signed")]
    Head { id: i32, account_id: i32, seq: i32 },
}

impl Credits {
    /// The platform's checkpoint key, made and stored the first time.
    async fn platform_key(&self, conn: &impl ConnectionTrait) -> Result<(String, SigningKey), CreditsError> {
        if let Some(row) = issuer_key::Entity::find()
            .filter(issuer_key::Column::OrganisationId.is_null())
            .filter(issuer_key::Column::RetiredAt.is_null())
            .order_by_desc(issuer_key::Column::Id)
            .one(conn)
            .await?
        {
            let bytes = self.secret_bytes(&row).ok_or_else(|| {
                CreditsError::Conflict(
                    "the ledger key's secret does not open with this server's secrets key".into(),
                )
            })?;
            return Ok((row.kid, SigningKey::from_bytes(&bytes)));
        }
        let mut secret = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut secret);
        let key = SigningKey::from_bytes(&secret);
        let public = key.verifying_key();
        let thumbprint: String =
            Sha256::digest(public.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect();
        let kid = format!("{}/ledger/keys#{thumbprint}", self.public_base());
        issuer_key::ActiveModel {
            organisation_id: Set(None),
            kid: Set(kid.clone()),
            public_key: Set(URL_SAFE_NO_PAD.encode(public.as_bytes())),
            secret_key: Set(self.sealer().seal(&kid, &secret)),
            valid_from: Set(self.clock().now()),
            retired_at: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        Ok((kid, key))
    }

    /// Verifies the ledger and, when it holds and has grown since the last checkpoint, signs and
    /// stores a new one. Returns the new checkpoint's id, if one was made.
    pub async fn checkpoint(&self) -> Result<Option<i32>, CreditsError> {
        let heads = match self.verify_ledger().await? {
            Ok(heads) => heads,
            Err(broken) => {
                return Err(CreditsError::Conflict(format!("the ledger does not verify: {broken}")));
            }
        };
        let entries: i64 = heads.iter().map(|(_, seq, _)| i64::from(*seq)).sum();
        let db = self.db().write();
        let last =
            ledger_checkpoint::Entity::find().order_by_desc(ledger_checkpoint::Column::Id).one(db).await?;
        if heads.is_empty() || last.is_some_and(|l| l.entries == entries && l.root == ledger::root(&heads)) {
            return Ok(None);
        }
        let (kid, key) = self.platform_key(db).await?;
        let root = ledger::root(&heads);
        let chains = i32::try_from(heads.len()).unwrap_or(i32::MAX);
        // Whole seconds: what the database keeps is what was signed.
        let at = chrono::SubsecRound::trunc_subsecs(self.clock().now(), 0);
        let signature = key.sign(&message(&root, chains, entries, &at.to_rfc3339()));
        let row = ledger_checkpoint::ActiveModel {
            chains: Set(chains),
            entries: Set(entries),
            root: Set(root),
            heads: Set(serde_json::to_string(&heads).unwrap_or_default()),
            kid: Set(kid),
            signature: Set(URL_SAFE_NO_PAD.encode(signature.to_bytes())),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(Some(row.id))
    }

    /// Checks every stored checkpoint against the ledger as it is now.
    pub async fn verify_checkpoints(&self) -> Result<Result<usize, CheckpointBreak>, CreditsError> {
        let db = self.db().read();
        let checkpoints =
            ledger_checkpoint::Entity::find().order_by_asc(ledger_checkpoint::Column::Id).all(db).await?;
        let keys =
            issuer_key::Entity::find().filter(issuer_key::Column::OrganisationId.is_null()).all(db).await?;
        for c in &checkpoints {
            let key = keys.iter().find(|k| k.kid == c.kid).and_then(|k| public_key(&k.public_key));
            let signature = URL_SAFE_NO_PAD
                .decode(&c.signature)
                .ok()
                .and_then(|b| <[u8; 64]>::try_from(b).ok())
                .map(|b| Signature::from_bytes(&b));
            let heads: Vec<(i32, i32, String)> = serde_json::from_str(&c.heads).unwrap_or_default();
            let signed = message(&ledger::root(&heads), c.chains, c.entries, &c.created_at.to_rfc3339());
            let genuine = match (key, signature) {
                (Some(key), Some(signature)) => {
                    ledger::root(&heads) == c.root && key.verify_strict(&signed, &signature).is_ok()
                }
                _ => false,
            };
            if !genuine {
                return Ok(Err(CheckpointBreak::Signature { id: c.id }));
            }
            for chunk in heads.chunks(1_000) {
                let stored: std::collections::HashMap<(i32, i32), String> = credit_entry::Entity::find()
                    .filter(credit_entry::Column::AccountId.is_in(chunk.iter().map(|(a, ..)| *a)))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|e| ((e.account_id, e.seq), e.hash))
                    .collect();
                for (account_id, seq, hash) in chunk {
                    if stored.get(&(*account_id, *seq)) != Some(hash) {
                        return Ok(Err(CheckpointBreak::Head {
                            id: c.id,
                            account_id: *account_id,
                            seq: *seq,
                        }));
                    }
                }
            }
        }
        Ok(Ok(checkpoints.len()))
    }
}
