//! Certificates over the database: each association's signing keys (made on first use, kept with
//! their service window so old certificates keep verifying after a rotation), a certificate
//! signed in the transaction of the accredited completion, verification of a stored or pasted
//! certificate, revocation, and each issuer's signed revocation list.
//!
//! The keys' secrets are stored in the database sealed (`platform::secrets`) under a key kept
//! outside it: a copy of the database alone cannot sign.

use super::certificate::{
    self, AchievementInput, CertificateInput, CompactCertificate, CompetencyInput, CpdCredits, IssuerInput,
    IssuerKey, KeyEntry, KeySet, RecipientInput, StatusAnswer, StatusInput, StatusRef, Verdict,
};
use super::entity::{accreditation, certificate as certificate_row, issuer_key};
use super::service::{Credits, CreditsError};
use super::status_list::{self, Bitstring, StatusListInput};
use crate::accounts::entity::{account, organisation};
use crate::courses::package::CompetencyLevel;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Months, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use secrecy::SecretBox;
use sha2::{Digest, Sha256};

/// How long a signed revocation list may be relied on (offline verifiers refresh before).
pub const STATUS_LIST_DAYS: i64 = 7;

/// A stored Ed25519 public key (base64url).
pub(super) fn public_key(stored: &str) -> Option<ed25519_dalek::VerifyingKey> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(stored).ok()?.try_into().ok()?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok()
}

fn db_error(error: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(error.to_string())
}

/// A certificate, verified, with its issuer.
#[derive(Clone, Debug)]
pub struct CertificateView {
    pub row: certificate_row::Model,
    pub verdict: Verdict,
    pub issuer: organisation::Model,
}

impl Credits {
    /// A stored Ed25519 secret, unsealed, as its 32 bytes.
    pub(super) fn secret_bytes(&self, row: &issuer_key::Model) -> Option<[u8; 32]> {
        self.sealer().open(&row.kid, &row.secret_key).and_then(|b| b.try_into().ok())
    }

    /// Seals the signing keys stored before secrets were sealed (once; later starts find none).
    pub async fn seal_stored_keys(&self) -> Result<usize, CreditsError> {
        let db = self.db().write();
        let mut sealed = 0;
        for row in issuer_key::Entity::find().all(db).await? {
            if crate::platform::secrets::Sealer::is_sealed(&row.secret_key) {
                continue;
            }
            let Some(bytes) = self.secret_bytes(&row) else { continue };
            let mut update: issuer_key::ActiveModel = row.clone().into();
            update.secret_key = Set(self.sealer().seal(&row.kid, &bytes));
            update.update(db).await?;
            sealed += 1;
        }
        Ok(sealed)
    }

    fn issuer_id(&self, slug: &str) -> String {
        format!("{}/issuers/{slug}", self.base_url())
    }

    fn key_directory(&self, slug: &str) -> String {
        format!("{}/issuers/{slug}/jwks.json", self.base_url())
    }

    fn status_list_url(&self, slug: &str) -> String {
        format!("{}/status/{slug}/revocation", self.base_url())
    }

    /// The association's current signing key, made (and stored) the first time it is needed.
    async fn signing_key(
        &self,
        conn: &impl ConnectionTrait,
        issuer: &organisation::Model,
    ) -> Result<IssuerKey, DbErr> {
        let current = issuer_key::Entity::find()
            .filter(issuer_key::Column::OrganisationId.eq(issuer.id))
            .filter(issuer_key::Column::RetiredAt.is_null())
            .order_by_desc(issuer_key::Column::Id)
            .one(conn)
            .await?;
        let (directory, issuer_id) = (self.key_directory(&issuer.slug), self.issuer_id(&issuer.slug));
        if let Some(row) = current {
            let bytes = self.secret_bytes(&row).ok_or_else(|| {
                db_error("an issuer key's secret does not open with this server's secrets key")
            })?;
            return IssuerKey::from_secret(&SecretBox::new(Box::new(bytes)), &directory, &issuer_id)
                .map_err(db_error);
        }
        let key = IssuerKey::generate(&mut rand::rng(), &directory, &issuer_id).map_err(db_error)?;
        issuer_key::ActiveModel {
            organisation_id: Set(Some(issuer.id)),
            kid: Set(key.kid().to_owned()),
            public_key: Set(URL_SAFE_NO_PAD.encode(key.public_key().as_bytes())),
            secret_key: Set({
                use secrecy::ExposeSecret;
                self.sealer().seal(key.kid(), key.secret().expose_secret())
            }),
            // A second before now, so a certificate signed this second is inside its window.
            valid_from: Set(self.clock().now() - Duration::seconds(1)),
            retired_at: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        Ok(key)
    }

    /// Retires an association's current signing key, a planned rotation: certificates it signed
    /// stay valid (their `validFrom` lies inside its window) and the next certificate is signed
    /// by a new key, made then. Returns the retired key's id, or `None` when the association has
    /// signed nothing yet. A *compromised* key is not rotated but removed, and what it signed
    /// reissued (see `certificate`, "Keys, kid and rotation").
    pub async fn rotate_signing_key(&self, slug: &str) -> Result<Option<String>, CreditsError> {
        let txn = self.db().begin().await?;
        let issuer = organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(slug))
            .one(&txn)
            .await?
            .ok_or(CreditsError::NotFound)?;
        let current = issuer_key::Entity::find()
            .filter(issuer_key::Column::OrganisationId.eq(issuer.id))
            .filter(issuer_key::Column::RetiredAt.is_null())
            .all(&txn)
            .await?;
        let retired = current.iter().map(|row| row.kid.clone()).next_back();
        for row in current {
            let mut update: issuer_key::ActiveModel = row.into();
            update.retired_at = Set(Some(self.clock().now()));
            update.update(&txn).await?;
        }
        txn.commit().await?;
        Ok(retired)
    }

    /// Every issuer's published keys, with their service windows.
    pub async fn key_set(&self) -> Result<KeySet, CreditsError> {
        let db = self.db().read();
        let keys = issuer_key::Entity::find()
            .filter(issuer_key::Column::OrganisationId.is_not_null())
            .all(db)
            .await?;
        let slugs: std::collections::HashMap<i32, String> = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(keys.iter().filter_map(|k| k.organisation_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.slug))
            .collect();
        let mut entries = Vec::new();
        for key in keys {
            let Some(slug) = key.organisation_id.and_then(|id| slugs.get(&id)) else { continue };
            let Some(public) = public_key(&key.public_key) else { continue };
            entries.push(KeyEntry {
                kid: key.kid,
                issuer_id: self.issuer_id(slug),
                public_key: public,
                valid_from: key.valid_from,
                valid_until: key.retired_at,
            });
        }
        KeySet::new(entries).map_err(|e| CreditsError::Conflict(e.to_string()))
    }

    /// The keys of one issuer as JWKS (no secret part, ever).
    pub async fn jwks(&self, slug: Option<&str>) -> Result<String, CreditsError> {
        let all = self.key_set().await?;
        let issuer = slug.map(|s| self.issuer_id(s));
        let entries: Vec<KeyEntry> = all
            .entries()
            .iter()
            .filter(|e| issuer.as_ref().is_none_or(|i| *i == e.issuer_id))
            .cloned()
            .collect();
        Ok(KeySet::new(entries).map_err(|e| CreditsError::Conflict(e.to_string()))?.to_jwks())
    }

    /// Signs the certificate of an accredited completion, in the completion's transaction.
    pub(super) async fn issue_certificate(
        &self,
        conn: &impl ConnectionTrait,
        account_id: i32,
        accreditation: &accreditation::Model,
        credit_entry_id: Option<i32>,
        (course_title, version, taught): (&str, i32, &[CompetencyLevel]),
        completed_at: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let taken = certificate_row::Entity::find()
            .filter(certificate_row::Column::AccountId.eq(account_id))
            .filter(certificate_row::Column::AccreditationId.eq(accreditation.id))
            .count(conn)
            .await?;
        if taken > 0 {
            return Ok(());
        }
        let issuer = organisation::Entity::find_by_id(accreditation.organisation_id)
            .one(conn)
            .await?
            .ok_or_else(|| db_error("the accrediting association is gone"))?;
        let learner = account::Entity::find_by_id(account_id)
            .one(conn)
            .await?
            .ok_or_else(|| db_error("the learner is gone"))?;
        let key = self.signing_key(conn, &issuer).await?;
        // A random free place in the issuer's revocation list (herd privacy: never in order).
        let mut index;
        loop {
            index = rand::rng().random_range(0..status_list::MIN_ENTRIES as u32);
            let used = certificate_row::Entity::find()
                .filter(certificate_row::Column::OrganisationId.eq(issuer.id))
                .filter(certificate_row::Column::StatusIndex.eq(index as i32))
                .count(conn)
                .await?;
            if used == 0 {
                break;
            }
        }
        let public_id: String = {
            let bytes: [u8; 12] = rand::rng().random();
            URL_SAFE_NO_PAD.encode(bytes)
        };
        let now = self.clock().now();
        let valid_until = accreditation
            .certificate_months
            .and_then(|m| u32::try_from(m).ok())
            .and_then(|m| now.checked_add_months(Months::new(m)));
        let input = CertificateInput {
            id: format!("{}/certificates/{public_id}", self.base_url()),
            issuer: IssuerInput {
                id: self.issuer_id(&issuer.slug),
                name: issuer.name.clone(),
                url: format!("{}/orgs/{}", self.base_url(), issuer.slug),
            },
            recipient: RecipientInput {
                id: pseudonym(account_id, self.base_url()),
                name: learner.name.clone(),
                licence_number: None,
                licence_consent: false,
                hashed_email: None,
            },
            achievement: AchievementInput {
                id: format!("{}/accreditations/{}", self.base_url(), accreditation.id),
                name: course_title.to_owned(),
                short_name: None,
                description: format!("{course_title}, accredited by {} for CPD.", issuer.name),
                criteria: format!("Completed every lesson and passed every quiz of version {version}."),
                credits: CpdCredits::from_hundredths(u32::try_from(accreditation.credits).unwrap_or(0))
                    .map_err(db_error)?,
                category: accreditation.category.clone(),
                course_version: version.to_string(),
            },
            competencies: self.aligned(conn, taught).await?,
            valid_from: now,
            valid_until,
            awarded: Some(completed_at),
            status: StatusInput { list_url: self.status_list_url(&issuer.slug), index },
        };
        let jwt = certificate::issue(&key, &input).map_err(db_error)?;
        certificate_row::ActiveModel {
            public_id: Set(public_id),
            account_id: Set(account_id),
            accreditation_id: Set(accreditation.id),
            organisation_id: Set(issuer.id),
            credit_entry_id: Set(credit_entry_id),
            status_index: Set(index as i32),
            jwt: Set(jwt),
            issued_at: Set(now),
            expires_at: Set(valid_until),
            revoked_at: Set(None),
            revocation_reason: Set(String::new()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        Ok(())
    }

    /// The competencies a course teaches, as published frameworks name them (OB 3.0 alignments).
    async fn aligned(
        &self,
        conn: &impl ConnectionTrait,
        taught: &[CompetencyLevel],
    ) -> Result<Vec<CompetencyInput>, DbErr> {
        use crate::competencies::entity::{competency, framework};
        if taught.is_empty() {
            return Ok(Vec::new());
        }
        let frameworks: std::collections::HashMap<i32, String> = framework::Entity::find()
            .filter(framework::Column::PublishedVersionId.is_not_null())
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|f| Some((f.published_version_id?, f.slug)))
            .collect();
        let rows = competency::Entity::find()
            .filter(competency::Column::Code.is_in(taught.iter().map(|c| c.code.clone())))
            .filter(competency::Column::VersionId.is_in(frameworks.keys().copied()))
            .all(conn)
            .await?;
        let mut out: Vec<CompetencyInput> = rows
            .into_iter()
            .filter_map(|c| {
                let slug = frameworks.get(&c.version_id)?;
                Some(CompetencyInput {
                    framework_url: format!("{}/frameworks/{slug}#{}", self.base_url(), c.code),
                    code: c.code,
                    title: c.title,
                })
            })
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out.dedup_by(|a, b| a.code == b.code);
        Ok(out)
    }

    /// Whether the issuer named by a status entry revoked the certificate at that place.
    async fn revoked(&self, entry: &StatusRef) -> Result<StatusAnswer, CreditsError> {
        let Some(slug) = entry.issuer_id.strip_prefix(&format!("{}/issuers/", self.base_url())) else {
            return Ok(StatusAnswer::Unknown);
        };
        let db = self.db().read();
        let Some(issuer) =
            organisation::Entity::find().filter(organisation::Column::Slug.eq(slug)).one(db).await?
        else {
            return Ok(StatusAnswer::Unknown);
        };
        let row = certificate_row::Entity::find()
            .filter(certificate_row::Column::OrganisationId.eq(issuer.id))
            .filter(certificate_row::Column::StatusIndex.eq(entry.index as i32))
            .one(db)
            .await?;
        Ok(match row {
            Some(row) if row.revoked_at.is_some() => StatusAnswer::Revoked,
            Some(_) => StatusAnswer::Active,
            None => StatusAnswer::Unknown,
        })
    }

    /// Verifies a certificate as anyone would: its signature against the issuers' published
    /// keys, its dates, and the issuer's revocation list.
    pub async fn verify_certificate(&self, jwt: &str) -> Result<Verdict, CreditsError> {
        let keys = self.key_set().await?;
        // The signature and dates once, as if not revoked; then the issuer's revocations, which
        // come first (revoked, then expired, then not yet valid, then unknown status).
        let verdict =
            certificate::verify(jwt, &keys, &|_: &StatusRef, _| StatusAnswer::Active, self.clock().now());
        let Some(summary) = verdict.summary().cloned() else { return Ok(verdict) };
        Ok(match self.revoked(&summary.status).await? {
            StatusAnswer::Active => verdict,
            StatusAnswer::Revoked => Verdict::Revoked(Box::new(summary)),
            StatusAnswer::Unknown => match verdict {
                Verdict::Valid(summary) => Verdict::StatusUnknown(summary),
                other => other,
            },
        })
    }

    /// A certificate by its public id, verified.
    pub async fn certificate(&self, public_id: &str) -> Result<CertificateView, CreditsError> {
        let db = self.db().read();
        let row = certificate_row::Entity::find()
            .filter(certificate_row::Column::PublicId.eq(public_id))
            .one(db)
            .await?
            .ok_or(CreditsError::NotFound)?;
        let issuer = organisation::Entity::find_by_id(row.organisation_id)
            .one(db)
            .await?
            .ok_or(CreditsError::NotFound)?;
        let verdict = self.verify_certificate(&row.jwt).await?;
        Ok(CertificateView { row, verdict, issuer })
    }

    /// The URL a certificate's QR code carries: its verify page with the compact signed form in
    /// the fragment (never sent to the server), for a phone to check offline.
    pub async fn qr_url(&self, view: &CertificateView) -> Result<String, CreditsError> {
        let public_id = &view.row.public_id;
        let Some(summary) = view.verdict.summary() else {
            return Ok(format!("{}/verify/{public_id}", self.base_url()));
        };
        let key = self.signing_key_for(&view.issuer, &summary.kid).await?;
        let compact = CompactCertificate::from_summary(summary);
        let code = certificate::compact_code(&key, public_id, &compact)
            .map_err(|e| CreditsError::Conflict(e.to_string()))?;
        certificate::verify_page_url(self.base_url(), public_id, &code)
            .map_err(|e| CreditsError::Conflict(e.to_string()))
    }

    /// The stored key with this kid (the one that signed a certificate).
    async fn signing_key_for(
        &self,
        issuer: &organisation::Model,
        kid: &str,
    ) -> Result<IssuerKey, CreditsError> {
        let row = issuer_key::Entity::find()
            .filter(issuer_key::Column::Kid.eq(kid))
            .one(self.db().read())
            .await?
            .ok_or(CreditsError::NotFound)?;
        let bytes = self.secret_bytes(&row).ok_or_else(|| {
            CreditsError::Conflict(
                "an issuer key's secret does not open with this server's secrets key".into(),
            )
        })?;
        IssuerKey::from_secret(
            &SecretBox::new(Box::new(bytes)),
            &self.key_directory(&issuer.slug),
            &self.issuer_id(&issuer.slug),
        )
        .map_err(|e| CreditsError::Conflict(e.to_string()))
    }

    /// A learner's certificates, newest first.
    pub async fn certificates_of(
        &self,
        account_id: i32,
    ) -> Result<Vec<certificate_row::Model>, CreditsError> {
        Ok(certificate_row::Entity::find()
            .filter(certificate_row::Column::AccountId.eq(account_id))
            .order_by_desc(certificate_row::Column::Id)
            .all(self.db().read())
            .await?)
    }

    /// An association's certificates, newest first, with the learner's name.
    pub async fn issued(
        &self,
        organisation_id: i32,
    ) -> Result<Vec<(certificate_row::Model, String)>, CreditsError> {
        let db = self.db().read();
        let rows = certificate_row::Entity::find()
            .filter(certificate_row::Column::OrganisationId.eq(organisation_id))
            .order_by_desc(certificate_row::Column::Id)
            .all(db)
            .await?;
        Ok(crate::accounts::service::with_names(db, rows, |r| r.account_id).await?)
    }

    /// The issuing association revokes a certificate, with a reason; its bit is set in the next
    /// signed list.
    pub async fn revoke(
        &self,
        organisation_id: i32,
        public_id: &str,
        reason: &str,
    ) -> Result<(), CreditsError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(CreditsError::Invalid { field: "reason", message: "say why it is revoked".into() });
        }
        let db = self.db().write();
        let row = certificate_row::Entity::find()
            .filter(certificate_row::Column::PublicId.eq(public_id))
            .filter(certificate_row::Column::OrganisationId.eq(organisation_id))
            .one(db)
            .await?
            .ok_or(CreditsError::NotFound)?;
        if row.revoked_at.is_some() {
            return Ok(());
        }
        let mut update: certificate_row::ActiveModel = row.into();
        update.revoked_at = Set(Some(self.clock().now()));
        update.revocation_reason = Set(reason.chars().take(500).collect());
        update.update(db).await?;
        Ok(())
    }

    /// The issuer's revocation list, signed now and valid for [`STATUS_LIST_DAYS`].
    pub async fn status_list(&self, slug: &str) -> Result<String, CreditsError> {
        let db = self.db().read();
        let issuer = organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(slug))
            .filter(organisation::Column::Kind.eq("association"))
            .one(db)
            .await?
            .ok_or(CreditsError::NotFound)?;
        let revoked = certificate_row::Entity::find()
            .filter(certificate_row::Column::OrganisationId.eq(issuer.id))
            .filter(certificate_row::Column::RevokedAt.is_not_null())
            .all(db)
            .await?;
        let mut bits = Bitstring::new();
        for row in revoked {
            bits.set(u64::try_from(row.status_index).unwrap_or(0), true)
                .map_err(|e| CreditsError::Conflict(e.to_string()))?;
        }
        // No key yet means no certificate yet: there is no list to publish.
        let has_key = issuer_key::Entity::find()
            .filter(issuer_key::Column::OrganisationId.eq(issuer.id))
            .count(db)
            .await?;
        if has_key == 0 {
            return Err(CreditsError::NotFound);
        }
        let key = self.signing_key(db, &issuer).await?;
        let now = self.clock().now();
        let input = StatusListInput {
            url: self.status_list_url(slug),
            valid_from: now - Duration::seconds(1),
            valid_until: now + Duration::days(STATUS_LIST_DAYS),
        };
        status_list::sign_status_list(&key, &input, &bits).map_err(|e| CreditsError::Conflict(e.to_string()))
    }
}

/// A stable, pseudonymous `urn:uuid:` for a learner on this server (never their email).
fn pseudonym(account_id: i32, base_url: &str) -> String {
    let digest = Sha256::digest(format!("lantern learner {account_id} at {base_url}").as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("urn:uuid:{}-{}-4{}-8{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}
