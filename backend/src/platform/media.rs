//! Stored media objects: the bytes live in the [`Storage`](super::storage::Storage) under their
//! SHA-256, and one `media_object` row per distinct content records what they are.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

pub mod media_object {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "media_object")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub sha256: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub width: Option<i32>,
        pub height: Option<i32>,
        pub created_at: DateTimeUtc,
        /// `image`, `audio`, `video` or `document`.
        pub kind: String,
        pub duration_ms: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The row for stored bytes, added the first time that content is seen.
pub async fn record(
    conn: &impl ConnectionTrait,
    sha256: &str,
    content_type: &str,
    size: usize,
    now: DateTime<Utc>,
) -> Result<media_object::Model, DbErr> {
    if let Some(found) =
        media_object::Entity::find().filter(media_object::Column::Sha256.eq(sha256)).one(conn).await?
    {
        return Ok(found);
    }
    media_object::ActiveModel {
        sha256: Set(sha256.to_owned()),
        content_type: Set(content_type.to_owned()),
        size_bytes: Set(i64::try_from(size).unwrap_or(i64::MAX)),
        created_at: Set(now),
        kind: Set(if content_type == "application/pdf" { "document" } else { "image" }.into()),
        ..Default::default()
    }
    .insert(conn)
    .await
}

/// A file that came with a form.
#[derive(Clone, Debug)]
pub struct UploadedFile {
    /// The name on the sender's device, for messages only.
    pub name: String,
    /// Its bytes, or the first `limit` + 1 of them when it was larger.
    pub bytes: Vec<u8>,
    /// Its full size.
    pub size: usize,
}

impl UploadedFile {
    pub fn too_large(&self, limit: usize) -> bool {
        self.size > limit
    }
}

/// The largest file a piece of evidence may carry (a scanned form, a photo of a certificate).
pub const EVIDENCE_FILE_LIMIT: usize = 10 * 1024 * 1024;

/// A document attached as evidence, checked by its content and size: its type, or why it is
/// refused in words that name the file.
pub fn check_document(file: &UploadedFile, limit: usize) -> Result<&'static str, String> {
    let name = if file.name.is_empty() { "The file" } else { file.name.as_str() };
    if file.too_large(limit) {
        return Err(format!(
            "{name} is {:.1} MB; a file may be at most {} MB",
            file.size as f64 / 1_048_576.0,
            limit / 1_048_576
        ));
    }
    sniff_document(&file.bytes).ok_or_else(|| format!("{name} is not a PDF, JPEG, PNG or WebP file"))
}

/// The type of a document a person attaches as evidence (a scanned form, a photo of a
/// certificate), decided by its first bytes, never by its name: PDF, JPEG, PNG or WebP.
pub fn sniff_document(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [b'%', b'P', b'D', b'F', b'-', ..] => Some("application/pdf"),
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::sniff_document;

    #[test]
    fn documents_are_known_by_their_first_bytes() {
        assert_eq!(sniff_document(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff_document(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff_document(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_document(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_document(b"MZ\x90\0 an executable named scan.pdf"), None);
        assert_eq!(sniff_document(b""), None);
    }
}
