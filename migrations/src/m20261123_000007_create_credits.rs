//! CPD credits: accreditations of course versions, the append-only credit ledger (each entry
//! chained to the learner's previous one by hash) with signed checkpoints, outside activities
//! reviewed by an association, issuers' signing keys and the certificates they signed.

use crate::{cascade, index, set_null};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("accreditation")
                    .col(pk_auto("id"))
                    // The accrediting association.
                    .col(integer("organisation_id"))
                    .col(integer("version_id"))
                    // Credits in hundredths (2.5 credits = 250): sums stay exact.
                    .col(big_integer("credits"))
                    .col(string("category"))
                    .col(date("valid_from"))
                    .col(date_null("valid_until"))
                    // Months a certificate stays valid; none: it does not expire.
                    .col(integer_null("certificate_months"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("withdrawn_at"))
                    .foreign_key(&mut cascade("accreditation", "organisation_id", "organisation"))
                    .foreign_key(&mut cascade("accreditation", "version_id", "course_version"))
                    .foreign_key(&mut set_null("accreditation", "created_by", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("accreditation", &["version_id", "organisation_id"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("credit_entry")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    // 1, 2, 3 … per learner: the chain's order.
                    .col(integer("seq"))
                    // 'course' | 'conference' | 'workshop' | 'journal_club' | 'mentoring' |
                    // 'supervised_practice' | 'self_directed' | 'correction'
                    .col(string("kind"))
                    // Hundredths; a correction may be negative.
                    .col(big_integer("amount"))
                    .col(string("category"))
                    .col(integer_null("accreditor_id"))
                    .col(string("title"))
                    .col(date("earned_on"))
                    // What produced it, once per learner: 'accreditation:3', 'activity:9'.
                    .col(string("source_key"))
                    // A correction points at the entry it corrects.
                    .col(integer_null("corrects_id"))
                    .col(string_len("prev_hash", 64))
                    .col(string_len("hash", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("credit_entry", "account_id", "account"))
                    .foreign_key(&mut set_null("credit_entry", "accreditor_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("credit_entry", &["account_id", "seq"], true)).await?;
        manager.create_index(index("credit_entry", &["account_id", "source_key"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("ledger_checkpoint")
                    .col(pk_auto("id"))
                    // Chains covered, and the SHA-256 over every chain's head (account, seq, hash).
                    .col(integer("chains"))
                    .col(big_integer("entries"))
                    .col(string_len("root", 64))
                    // The heads as JSON, so a later verification names what changed.
                    .col(text("heads"))
                    .col(string("kid"))
                    .col(string("signature"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("issuer_key")
                    .col(pk_auto("id"))
                    // None: the platform's own key (ledger checkpoints).
                    .col(integer_null("organisation_id"))
                    .col(string_uniq("kid"))
                    .col(string("public_key"))
                    .col(string("secret_key"))
                    .col(timestamp_with_time_zone("valid_from"))
                    .col(timestamp_with_time_zone_null("retired_at"))
                    .foreign_key(&mut cascade("issuer_key", "organisation_id", "organisation"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("certificate")
                    .col(pk_auto("id"))
                    // The public identifier in URLs (/verify/{public_id}).
                    .col(string_uniq("public_id"))
                    .col(integer("account_id"))
                    .col(integer("accreditation_id"))
                    .col(integer("organisation_id"))
                    .col(integer_null("credit_entry_id"))
                    // Position in the issuer's revocation status list.
                    .col(integer("status_index"))
                    .col(text("jwt"))
                    .col(timestamp_with_time_zone("issued_at"))
                    .col(timestamp_with_time_zone_null("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(string("revocation_reason"))
                    .foreign_key(&mut cascade("certificate", "account_id", "account"))
                    .foreign_key(&mut cascade("certificate", "accreditation_id", "accreditation"))
                    .foreign_key(&mut cascade("certificate", "organisation_id", "organisation"))
                    .foreign_key(&mut set_null("certificate", "credit_entry_id", "credit_entry"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("certificate", &["organisation_id", "status_index"], true)).await?;
        manager.create_index(index("certificate", &["account_id", "accreditation_id"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("outside_activity")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    // The association asked to review it.
                    .col(integer("organisation_id"))
                    .col(string("kind"))
                    .col(string("title"))
                    .col(date("held_on"))
                    .col(big_integer("credits"))
                    .col(string("category"))
                    .col(text("description"))
                    .col(integer_null("file_media_id"))
                    // 'pending' | 'approved' | 'rejected'
                    .col(string("status"))
                    .col(integer_null("reviewer_id"))
                    .col(string("reason"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("outside_activity", "account_id", "account"))
                    .foreign_key(&mut cascade("outside_activity", "organisation_id", "organisation"))
                    .foreign_key(&mut set_null("outside_activity", "file_media_id", "media_object"))
                    .foreign_key(&mut set_null("outside_activity", "reviewer_id", "account"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("outside_activity", &["organisation_id", "status"], false)).await?;
        manager.create_index(index("outside_activity", &["account_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "outside_activity",
            "certificate",
            "issuer_key",
            "ledger_checkpoint",
            "credit_entry",
            "accreditation",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
