//! Ogg with Opus or Vorbis audio: recognition and duration.
//!
//! Ogg carries packets in pages; each page header records the stream it belongs to and a granule
//! position, which for audio is the number of samples decoded by the end of that page. The
//! duration is therefore the last page's granule position over the sample rate: 48 kHz for Opus
//! (less the encoder's pre-skip), the rate in the identification header for Vorbis.

use std::io::{Read, Seek};

use super::{AvError, AvInfo, le_u16, le_u32, le_u64, read_upto, stream_len, units_to_ms};

/// Bytes read from the end to find the last page. A page is at most 65,307 bytes, so a
/// well-formed file always has a whole page in this window.
const TAIL: u64 = 64 << 10;

/// Bytes read from the start to find the codec headers.
const HEAD: u64 = 64 << 10;

const PAGE_HEADER: usize = 27;

/// An Ogg page header found in a buffer.
struct Page<'a> {
    flags: u8,
    granule: u64,
    serial: u32,
    /// The page body, when it is all inside the buffer.
    body: Option<&'a [u8]>,
    /// The page's first packet (or the part of it on this page).
    first_packet: Option<&'a [u8]>,
    len: usize,
}

impl Page<'_> {
    const BEGINNING_OF_STREAM: u8 = 0x02;
}

fn page_at(b: &[u8], at: usize) -> Option<Page<'_>> {
    let header = b.get(at..)?;
    if !header.starts_with(b"OggS") || header.get(4) != Some(&0) {
        return None;
    }
    let flags = *header.get(5)?;
    let granule = le_u64(header, 6)?;
    let serial = le_u32(header, 14)?;
    let segments = usize::from(*header.get(26)?);
    let lacing = header.get(PAGE_HEADER..PAGE_HEADER + segments)?;
    let body_len: usize = lacing.iter().map(|&l| usize::from(l)).sum();
    let body_start = PAGE_HEADER + segments;
    let body = header.get(body_start..body_start + body_len);
    let first_len = lacing
        .iter()
        .position(|&l| l < 255)
        .map_or(body_len, |i| lacing.iter().take(i + 1).map(|&l| usize::from(l)).sum());
    let first_packet = body.and_then(|b| b.get(..first_len));
    Some(Page { flags, granule, serial, body, first_packet, len: body_start + body_len })
}

/// The codec of a logical stream, from its first packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
    Opus { pre_skip: u16 },
    Vorbis { rate: u32 },
}

fn codec(packet: &[u8]) -> Option<Codec> {
    if packet.starts_with(b"OpusHead") {
        Some(Codec::Opus { pre_skip: le_u16(packet, 10)? })
    } else if packet.starts_with(b"\x01vorbis") {
        le_u32(packet, 12).filter(|&rate| rate > 0).map(|rate| Codec::Vorbis { rate })
    } else {
        None
    }
}

/// Whether the beginning-of-stream pages at the start of `head` are all Opus or Vorbis audio
/// (so Ogg with Theora video, FLAC or Speex is refused).
pub(super) fn is_audio(head: &[u8]) -> bool {
    let mut at = 0;
    let mut streams = 0;
    while let Some(page) = page_at(head, at) {
        if page.flags & Page::BEGINNING_OF_STREAM == 0 {
            break;
        }
        match page.first_packet {
            Some(packet) if codec(packet).is_some() => streams += 1,
            // A first page that runs past `head` cannot be checked; judge by what was seen.
            None if streams > 0 => break,
            _ => return false,
        }
        at += page.len;
    }
    streams > 0
}

/// Reads the duration of an Ogg Opus or Vorbis file (its first audio stream).
pub(super) fn inspect<R: Read + Seek>(r: &mut R) -> Result<AvInfo, AvError> {
    let file_len = stream_len(r)?;
    let head = read_upto(r, 0, HEAD)?;
    let first = page_at(&head, 0).ok_or(AvError::Malformed("not an Ogg page at the start"))?;
    let packet = first.first_packet.ok_or(AvError::Truncated("first Ogg page"))?;
    let codec = codec(packet).ok_or(AvError::Unsupported("Ogg stream is neither Opus nor Vorbis".into()))?;

    let tail_start = file_len.saturating_sub(TAIL);
    let tail = read_upto(r, tail_start, TAIL)?;
    let last_granule = (0..tail.len())
        .rev()
        .filter_map(|i| page_at(&tail, i))
        .find(|p| p.serial == first.serial && p.body.is_some() && p.granule != u64::MAX)
        .map(|p| p.granule)
        .ok_or(AvError::Malformed("no complete Ogg page with a position near the end"))?;

    let duration_ms = match codec {
        Codec::Opus { pre_skip } => units_to_ms(last_granule.saturating_sub(pre_skip.into()), 48_000),
        Codec::Vorbis { rate } => units_to_ms(last_granule, rate.into()),
    };
    Ok(AvInfo { duration_ms, has_video: false, width: None, height: None, fast_start: true })
}
