//! Recognises uploaded media by its bytes and reads what the upload pipeline needs from it:
//! duration, whether there is video and its size, and whether an MP4 can start playing before it
//! has fully downloaded ("fast start"). [`make_fast_start`] fixes MP4s that cannot.
//!
//! Uploads are untrusted. Every length and offset read from a file is checked before use, nothing
//! large is read into memory (an MP4 `moov` is capped at [`MAX_MOOV_BYTES`], other reads are a few
//! KiB to a few MiB), and malformed or truncated input yields an [`AvError`], never a panic.
//!
//! Formats: JPEG, PNG, WebP and PDF are only recognised; MP4/M4A, MP3, Ogg (Opus, Vorbis) and WebM
//! are also inspected.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::{self, Read, Seek, SeekFrom};

mod mp3;
mod mp4;
mod ogg;
#[cfg(test)]
mod tests;
mod webm;

pub use mp4::{MAX_MOOV_BYTES, make_fast_start};

/// Broad family of an upload, used to decide how it is stored and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Image,
    Audio,
    Video,
    Document,
}

impl Kind {
    /// The name stored in `media_object.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Audio => "audio",
            Kind::Video => "video",
            Kind::Document => "document",
        }
    }
}

/// The result of [`sniff`]: the content type to store and serve the file with, and its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub content_type: &'static str,
    pub kind: Kind,
}

/// What an uploaded file is, decided by its first bytes (never its name).
///
/// `head` is the first bytes of the file (up to 4096 are looked at). Returns `None` for anything
/// the platform does not accept, including formats it could recognise but does not serve
/// (GIF, SVG, Matroska other than WebM, Ogg with Theora video or FLAC, HEIF/AVIF images).
///
/// An MP4 is classed from its `ftyp` brands alone: `M4A `/`M4B `/`M4P ` mean audio, anything else
/// video. [`AvInfo::kind`] corrects this once [`inspect`] has seen the tracks.
pub fn sniff(head: &[u8]) -> Option<Sniffed> {
    let head = head.get(..4096).unwrap_or(head);
    let found = |content_type, kind| Some(Sniffed { content_type, kind });
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        found("image/jpeg", Kind::Image)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        found("image/png", Kind::Image)
    } else if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        found("image/webp", Kind::Image)
    } else if head.starts_with(b"%PDF-") {
        found("application/pdf", Kind::Document)
    } else if head.get(4..8) == Some(b"ftyp") {
        match mp4::sniff_brands(head)? {
            Kind::Audio => found("audio/mp4", Kind::Audio),
            _ => found("video/mp4", Kind::Video),
        }
    } else if head.starts_with(b"OggS") {
        ogg::is_audio(head).then_some(Sniffed { content_type: "audio/ogg", kind: Kind::Audio })
    } else if head.starts_with(&webm::EBML_MAGIC) {
        webm::is_webm(head).then_some(Sniffed { content_type: "video/webm", kind: Kind::Video })
    } else if mp3::looks_like_mp3(head) {
        found("audio/mpeg", Kind::Audio)
    } else {
        None
    }
}

/// Facts about an audio or video file that the pipeline stores and shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvInfo {
    /// Playing time; `None` when the file does not say (e.g. a WebM recorded live in a browser).
    pub duration_ms: Option<u64>,
    pub has_video: bool,
    /// Frame size of the first video track, when there is one and it is given.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Whether playback can start before the whole file has arrived. Only MP4 can get this wrong
    /// (its index, `moov`, may follow the media data); it is always true for the other formats.
    pub fast_start: bool,
}

impl AvInfo {
    /// The family the file really belongs to, by its tracks: an `.mp4` holding only audio is audio.
    pub fn kind(&self) -> Kind {
        if self.has_video { Kind::Video } else { Kind::Audio }
    }
}

/// Why a file could not be inspected or rewritten.
#[derive(Debug, thiserror::Error)]
pub enum AvError {
    #[error("I/O error while reading media: {0}")]
    Io(#[from] io::Error),
    #[error("media file is truncated (ends inside the {0})")]
    Truncated(&'static str),
    #[error("malformed media file: {0}")]
    Malformed(&'static str),
    #[error("the {what} is {size} bytes, more than the {limit} bytes accepted")]
    TooLarge { what: &'static str, size: u64, limit: u64 },
    #[error("unsupported media: {0}")]
    Unsupported(String),
    #[error("the MP4 is already fast-start (its moov comes before the media data)")]
    AlreadyFastStart,
}

/// Reads duration, tracks and fast-start status from a file whose type [`sniff`] decided.
///
/// `content_type` is one of the audio/video types `sniff` returns (parameters such as
/// `; codecs=...` are ignored); images, PDFs and anything else give [`AvError::Unsupported`].
/// The reader is moved around freely with seeks; only small parts of the file are read.
pub fn inspect<R: Read + Seek>(content_type: &str, r: &mut R) -> Result<AvInfo, AvError> {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "video/mp4" | "audio/mp4" => mp4::inspect(r),
        "audio/mpeg" => mp3::inspect(r),
        "audio/ogg" => ogg::inspect(r),
        "video/webm" | "audio/webm" => webm::inspect(r),
        _ => Err(AvError::Unsupported(format!("cannot inspect content type {content_type:?}"))),
    }
}

/// Total length of the stream, in bytes.
fn stream_len<R: Seek>(r: &mut R) -> Result<u64, AvError> {
    Ok(r.seek(SeekFrom::End(0))?)
}

/// Fills `buf` from absolute offset `pos`; a short file is reported as truncated inside `what`.
fn read_at<R: Read + Seek>(r: &mut R, pos: u64, buf: &mut [u8], what: &'static str) -> Result<(), AvError> {
    r.seek(SeekFrom::Start(pos))?;
    r.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => AvError::Truncated(what),
        _ => AvError::Io(e),
    })
}

/// Reads `len` bytes at `pos` into a new buffer, refusing more than `limit` bytes and refusing
/// (before allocating) a range that the file of length `file_len` cannot hold.
fn read_vec<R: Read + Seek>(
    r: &mut R,
    pos: u64,
    len: u64,
    limit: u64,
    file_len: u64,
    what: &'static str,
) -> Result<Vec<u8>, AvError> {
    if len > limit {
        return Err(AvError::TooLarge { what, size: len, limit });
    }
    if pos.checked_add(len).is_none_or(|end| end > file_len) {
        return Err(AvError::Truncated(what));
    }
    let len = usize::try_from(len).map_err(|_| AvError::TooLarge { what, size: len, limit })?;
    let mut buf = vec![0; len];
    read_at(r, pos, &mut buf, what)?;
    Ok(buf)
}

/// Reads up to `max` bytes at `pos` (fewer at the end of the file).
fn read_upto<R: Read + Seek>(r: &mut R, pos: u64, max: u64) -> Result<Vec<u8>, AvError> {
    r.seek(SeekFrom::Start(pos))?;
    let mut buf = Vec::new();
    r.take(max).read_to_end(&mut buf)?;
    Ok(buf)
}

/// `n` bytes of `b` starting at `at`, if they are all there.
fn bytes<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    bytes(b, at).map(u32::from_be_bytes)
}

fn be_u64(b: &[u8], at: usize) -> Option<u64> {
    bytes(b, at).map(u64::from_be_bytes)
}

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    bytes(b, at).map(u16::from_le_bytes)
}

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    bytes(b, at).map(u32::from_le_bytes)
}

fn le_u64(b: &[u8], at: usize) -> Option<u64> {
    bytes(b, at).map(u64::from_le_bytes)
}

/// `units` of `1/rate` seconds as whole milliseconds; `None` for a zero rate or an absurd result.
fn units_to_ms(units: u64, rate: u64) -> Option<u64> {
    if rate == 0 {
        return None;
    }
    u64::try_from(u128::from(units) * 1000 / u128::from(rate)).ok()
}
