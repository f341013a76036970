//! WebM (Matroska subset): recognition, duration and video size.
//!
//! WebM is EBML: nested elements, each an ID and a size written as variable-length integers. The
//! file is an EBML header (whose DocType says "webm") and a Segment holding Info (time scale and
//! duration), Tracks, and the media in Clusters. Browsers recording live write the Segment and
//! Clusters with "unknown" size and no duration; then the duration is reported as unknown.

use std::io::{Read, Seek};

use super::{AvError, AvInfo, read_upto, read_vec, stream_len};

pub(super) const EBML_MAGIC: [u8; 4] = [0x1A, 0x45, 0xDF, 0xA3];

const SEGMENT: u32 = 0x1853_8067;
const INFO: u32 = 0x1549_A966;
const TRACKS: u32 = 0x1654_AE6B;
const CLUSTER: u32 = 0x1F43_B675;
const DOC_TYPE: u32 = 0x4282;
const TIMECODE_SCALE: u32 = 0x2A_D7B1;
const DURATION: u32 = 0x4489;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_TYPE: u32 = 0x83;
const VIDEO: u32 = 0xE0;
const PIXEL_WIDTH: u32 = 0xB0;
const PIXEL_HEIGHT: u32 = 0xBA;

const MAX_EBML_HEADER: u64 = 4 << 10;
const MAX_INFO: u64 = 1 << 20;
const MAX_TRACKS: u64 = 16 << 20;
/// Segment children skipped (seek heads, tags, cues...) before giving up on finding Info/Tracks.
const MAX_ELEMENTS: usize = 1_000;

/// An element header: ID (with its length marker, as IDs are usually written), body size
/// (`None` for "unknown") and header length.
struct Header {
    id: u32,
    size: Option<u64>,
    len: usize,
}

/// Reads a variable-length integer at `at`: its raw bytes (marker included), value (marker
/// removed) and length.
fn vint(b: &[u8], at: usize) -> Option<(u64, u64, usize)> {
    let first = *b.get(at)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let bytes = b.get(at..at.checked_add(len)?)?;
    let raw = bytes.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x));
    let value = raw & (u64::MAX >> (64 - 7 * len));
    Some((raw, value, len))
}

fn header_at(b: &[u8], at: usize) -> Option<Header> {
    let (id, _, id_len) = vint(b, at)?;
    if id_len > 4 {
        return None;
    }
    let (_, size, size_len) = vint(b, at + id_len)?;
    let unknown = size == u64::MAX >> (64 - 7 * size_len);
    Some(Header { id: u32::try_from(id).ok()?, size: (!unknown).then_some(size), len: id_len + size_len })
}

/// The child elements of an in-memory element body, as (ID, body) pairs; stops at the first
/// malformed or overrunning element.
fn elements(b: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let h = header_at(b, at)?;
        let start = at.checked_add(h.len)?;
        let end = start.checked_add(usize::try_from(h.size?).ok()?)?;
        let body = b.get(start..end)?;
        at = end;
        Some((h.id, body))
    })
}

fn uint(b: &[u8]) -> Option<u64> {
    (b.len() <= 8).then(|| b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
}

fn float(b: &[u8]) -> Option<f64> {
    match b.len() {
        4 => super::bytes::<4>(b, 0).map(|x| f64::from(f32::from_be_bytes(x))),
        8 => super::bytes::<8>(b, 0).map(f64::from_be_bytes),
        _ => None,
    }
}

/// The DocType from an EBML header body; Matroska's default when absent.
fn doc_type(ebml_body: &[u8]) -> &[u8] {
    elements(ebml_body).find(|&(id, _)| id == DOC_TYPE).map_or(b"matroska", |(_, v)| v)
}

/// Whether `head` starts with an EBML header whose DocType is "webm" (plain Matroska is refused).
pub(super) fn is_webm(head: &[u8]) -> bool {
    let Some(h) = header_at(head, 0) else { return false };
    let body = h.size.and_then(|s| head.get(h.len..h.len.checked_add(usize::try_from(s).ok()?)?));
    body.is_some_and(|body| trim_nul(doc_type(body)) == b"webm")
}

/// Strings in EBML may be padded with NULs.
fn trim_nul(s: &[u8]) -> &[u8] {
    let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
    s.get(..end).unwrap_or(s)
}

/// Reads duration and video size from a WebM file.
pub(super) fn inspect<R: Read + Seek>(r: &mut R) -> Result<AvInfo, AvError> {
    let file_len = stream_len(r)?;
    let malformed = AvError::Malformed;

    // EBML header.
    let (ebml, ebml_body_start) = element_at(r, 0, file_len)?;
    if ebml.id != u32::from_be_bytes(EBML_MAGIC) {
        return Err(malformed("no EBML header"));
    }
    let ebml_size = ebml.size.ok_or(malformed("EBML header of unknown size"))?;
    let ebml_body = read_vec(r, ebml_body_start, ebml_size, MAX_EBML_HEADER, file_len, "EBML header")?;
    let doc = trim_nul(doc_type(&ebml_body));
    if doc != b"webm" && doc != b"matroska" {
        return Err(AvError::Unsupported("EBML file that is not WebM".into()));
    }

    // Segment, whose size may be unknown (then it runs to the end of the file).
    let ebml_end = ebml_body_start.saturating_add(ebml_size);
    let (segment, mut pos) = element_at(r, ebml_end, file_len)?;
    if segment.id != SEGMENT {
        return Err(malformed("no Segment after the EBML header"));
    }
    let segment_end = match segment.size {
        Some(size) => {
            pos.checked_add(size).filter(|&end| end <= file_len).ok_or(AvError::Truncated("Segment"))?
        }
        None => file_len,
    };

    let mut info =
        AvInfo { duration_ms: None, has_video: false, width: None, height: None, fast_start: true };
    let (mut seen_info, mut seen_tracks) = (false, false);
    for _ in 0..MAX_ELEMENTS {
        if pos >= segment_end || (seen_info && seen_tracks) {
            break;
        }
        let (h, body_start) = element_at(r, pos, segment_end)?;
        if h.id == CLUSTER {
            break; // media data: Info and Tracks come before it in any file worth playing
        }
        let Some(size) = h.size else { break };
        match h.id {
            INFO => {
                let body = read_vec(r, body_start, size, MAX_INFO, segment_end, "Info element")?;
                info.duration_ms = duration_ms(&body);
                seen_info = true;
            }
            TRACKS => {
                let body = read_vec(r, body_start, size, MAX_TRACKS, segment_end, "Tracks element")?;
                read_tracks(&body, &mut info);
                seen_tracks = true;
            }
            _ => {}
        }
        pos = body_start.checked_add(size).ok_or(malformed("element size overflows"))?;
    }
    if !seen_tracks {
        return Err(malformed("no Tracks element before the media data"));
    }
    Ok(info)
}

/// Reads the element header at `pos` (bounded by `end`); returns it and where its body starts.
fn element_at<R: Read + Seek>(r: &mut R, pos: u64, end: u64) -> Result<(Header, u64), AvError> {
    let buf = read_upto(r, pos, 12.min(end.saturating_sub(pos)))?;
    let h = header_at(&buf, 0).ok_or(if buf.len() < 12 {
        AvError::Truncated("WebM element header")
    } else {
        AvError::Malformed("invalid WebM element header")
    })?;
    let body_start = pos.checked_add(h.len as u64).ok_or(AvError::Malformed("element offset overflows"))?;
    Ok((h, body_start))
}

/// Duration in milliseconds from an Info body: Duration × TimecodeScale nanoseconds.
fn duration_ms(info: &[u8]) -> Option<u64> {
    let mut scale = 1_000_000u64;
    let mut duration = None;
    for (id, body) in elements(info) {
        match id {
            TIMECODE_SCALE => scale = uint(body).filter(|&s| s > 0)?,
            DURATION => duration = float(body),
            _ => {}
        }
    }
    let ms = duration? * scale as f64 / 1e6;
    // Reject NaN, negative and absurd (over ~31 years) values.
    (ms.is_finite() && (0.0..1e12).contains(&ms)).then(|| ms.round() as u64)
}

/// Marks video and takes the first video track's pixel size from a Tracks body.
fn read_tracks(tracks: &[u8], info: &mut AvInfo) {
    for (_, entry) in elements(tracks).filter(|&(id, _)| id == TRACK_ENTRY) {
        let is_video = elements(entry).any(|(id, b)| id == TRACK_TYPE && uint(b) == Some(1));
        if !is_video || info.has_video {
            continue;
        }
        info.has_video = true;
        if let Some((_, video)) = elements(entry).find(|&(id, _)| id == VIDEO) {
            let dim = |want| {
                elements(video)
                    .find(|&(id, _)| id == want)
                    .and_then(|(_, b)| uint(b))
                    .and_then(|v| u32::try_from(v).ok())
            };
            info.width = dim(PIXEL_WIDTH);
            info.height = dim(PIXEL_HEIGHT);
        }
    }
}
