//! MPEG audio layer III (MP3): recognition and duration.
//!
//! An MP3 is a run of self-delimiting frames, each starting with a 4-byte header, usually after an
//! ID3v2 tag. Encoders put a Xing/Info or VBRI header in the first frame giving the frame count;
//! without one the frames are counted, reading at most [`MAX_WALK_BYTES`] and extrapolating from
//! the average frame size beyond that (exact for constant bit rate, close for the rest).

use std::io::{Read, Seek};

use super::{AvError, AvInfo, be_u32, read_at, read_upto, stream_len, units_to_ms};

/// Bytes of frames counted one by one before the rest of the duration is extrapolated.
const MAX_WALK_BYTES: u64 = 32 << 20;

/// How far past the ID3 tag the first frame is looked for.
const MAX_SYNC_SEARCH: u64 = 64 << 10;

/// How many ID3v2 tags in a row are skipped (some tools stack them).
const MAX_ID3_TAGS: usize = 4;

/// Size of the buffer frames are read through.
const WINDOW: u64 = 64 << 10;

/// The fields of a layer III frame header that matter here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Frame {
    mpeg1: bool,
    mono: bool,
    sample_rate: u32,
    /// Whole frame length in bytes, header included.
    len: u32,
    /// Samples per channel in the frame.
    samples: u32,
}

impl Frame {
    /// Parses a 4-byte header; `None` unless it is a valid MPEG-1/2/2.5 layer III header.
    fn parse(h: [u8; 4]) -> Option<Frame> {
        let [b0, b1, b2, b3] = h;
        if b0 != 0xFF || b1 & 0xE0 != 0xE0 || (b1 >> 1) & 3 != 1 || b3 & 3 == 2 {
            return None; // no sync, not layer III, or reserved emphasis
        }
        let (mpeg1, rates): (bool, [u32; 3]) = match (b1 >> 3) & 3 {
            0 => (false, [11025, 12000, 8000]),
            2 => (false, [22050, 24000, 16000]),
            3 => (true, [44100, 48000, 32000]),
            _ => return None,
        };
        let kbps: [u32; 14] = if mpeg1 {
            [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
        } else {
            [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
        };
        // Index 0 ("free format") and 15 are not accepted.
        let bitrate = kbps.get(usize::from(b2 >> 4).checked_sub(1)?)? * 1000;
        let sample_rate = *rates.get(usize::from((b2 >> 2) & 3))?;
        let samples = if mpeg1 { 1152 } else { 576 };
        let padding = u32::from((b2 >> 1) & 1);
        let len = samples / 8 * bitrate / sample_rate + padding;
        Some(Frame { mpeg1, mono: b3 >> 6 == 3, sample_rate, len, samples })
    }

    fn at(b: &[u8], pos: usize) -> Option<Frame> {
        super::bytes(b, pos).and_then(Frame::parse)
    }

    /// Where a Xing/Info header would start in this frame: after the header and side information.
    fn side_info_end(&self) -> usize {
        4 + match (self.mpeg1, self.mono) {
            (true, false) => 32,
            (true, true) | (false, false) => 17,
            (false, true) => 9,
        }
    }
}

/// Whether `head` starts with an ID3v2 tag or with an MP3 frame (followed by a second one when
/// the first ends inside `head`, which rules out chance matches).
pub(super) fn looks_like_mp3(head: &[u8]) -> bool {
    if id3v2_len(head).is_some() {
        return true;
    }
    match Frame::at(head, 0) {
        Some(f) => match usize::try_from(f.len).ok().filter(|&l| l.saturating_add(4) <= head.len()) {
            Some(next) => Frame::at(head, next).is_some(),
            None => true,
        },
        None => false,
    }
}

/// Total length of the ID3v2 tag at the start of `b`, if there is a well-formed one.
fn id3v2_len(b: &[u8]) -> Option<u64> {
    let [i, d, three, major, _minor, flags, s0, s1, s2, s3] = super::bytes::<10>(b, 0)?;
    let syncsafe = [s0, s1, s2, s3];
    if [i, d, three] != *b"ID3" || !(2..=4).contains(&major) || syncsafe.iter().any(|&s| s >= 0x80) {
        return None;
    }
    let size = syncsafe.iter().fold(0u64, |acc, &s| (acc << 7) | u64::from(s));
    let footer = if flags & 0x10 != 0 { 10 } else { 0 };
    Some(10 + size + footer)
}

/// Reads an MP3's duration.
pub(super) fn inspect<R: Read + Seek>(r: &mut R) -> Result<AvInfo, AvError> {
    let file_len = stream_len(r)?;
    let mut pos = 0u64;
    for _ in 0..MAX_ID3_TAGS {
        let head = read_upto(r, pos, 10)?;
        match id3v2_len(&head) {
            Some(len) => pos = pos.saturating_add(len),
            None => break,
        }
    }
    let mut end = file_len;
    if file_len >= 128 {
        let mut tag = [0u8; 3];
        read_at(r, file_len - 128, &mut tag, "ID3v1 tag")?;
        if &tag == b"TAG" {
            end = file_len - 128; // ID3v1 tag at the end
        }
    }
    if pos >= end {
        return Err(AvError::Truncated("ID3 tag (no audio follows it)"));
    }

    let (first_pos, first) = find_first_frame(r, pos, end)?;
    let frame_bytes = read_upto(r, first_pos, u64::from(first.len))?;
    let duration_ms = match header_frame_count(&frame_bytes, &first) {
        Some(frames) => {
            units_to_ms(frames.saturating_mul(u64::from(first.samples)), first.sample_rate.into())
        }
        None => walk_frames(r, first_pos, end, first.sample_rate)?,
    };
    Ok(AvInfo { duration_ms, has_video: false, width: None, height: None, fast_start: true })
}

/// Finds the first frame at or after `from`: a valid header followed by another valid header (or
/// by the end of the audio).
fn find_first_frame<R: Read + Seek>(r: &mut R, from: u64, end: u64) -> Result<(u64, Frame), AvError> {
    let window = read_upto(r, from, MAX_SYNC_SEARCH.min(end - from))?;
    for i in 0..window.len() {
        let Some(frame) = Frame::at(&window, i) else {
            continue;
        };
        let next = i.saturating_add(frame.len as usize);
        let at_end = from.saturating_add(next as u64) >= end;
        if at_end || Frame::at(&window, next).is_some_and(|n| n.sample_rate == frame.sample_rate) {
            return Ok((from + i as u64, frame));
        }
    }
    Err(AvError::Malformed("no MP3 frame found"))
}

/// The frame count from a Xing/Info or VBRI header in the first frame, if it has one.
fn header_frame_count(frame: &[u8], header: &Frame) -> Option<u64> {
    let at = header.side_info_end();
    let tag = super::bytes::<4>(frame, at)?;
    if &tag == b"Xing" || &tag == b"Info" {
        let flags = be_u32(frame, at + 4)?;
        // Bit 0: the frame count is present.
        return if flags & 1 != 0 { be_u32(frame, at + 8).map(u64::from).filter(|&n| n > 0) } else { None };
    }
    // VBRI always sits 32 bytes after the header: id, version, delay, quality, bytes, frames.
    if super::bytes::<4>(frame, 36)? == *b"VBRI" {
        return be_u32(frame, 36 + 14).map(u64::from).filter(|&n| n > 0);
    }
    None
}

/// Counts samples frame by frame from `start` until `end`, the first invalid header, or
/// [`MAX_WALK_BYTES`]; past the cap the remainder is estimated from the average frame size.
fn walk_frames<R: Read + Seek>(r: &mut R, start: u64, end: u64, rate: u32) -> Result<Option<u64>, AvError> {
    let mut samples = 0u64;
    let mut pos = start;
    let mut window = Vec::new();
    let mut window_start = start;
    while pos < end && pos - start < MAX_WALK_BYTES {
        let in_window = usize::try_from(pos - window_start).unwrap_or(usize::MAX);
        let frame = match Frame::at(&window, in_window) {
            Some(frame) => frame,
            None if in_window.saturating_add(4) <= window.len() => break, // not a frame: stop here
            None => {
                window_start = pos;
                window = read_upto(r, pos, WINDOW.min(end - pos))?;
                match Frame::at(&window, 0) {
                    Some(frame) => frame,
                    None => break,
                }
            }
        };
        if frame.sample_rate != rate {
            break;
        }
        samples += u64::from(frame.samples);
        pos += u64::from(frame.len);
    }
    let walked = pos.min(end) - start;
    if pos < end && walked >= MAX_WALK_BYTES {
        let total = u128::from(samples) * u128::from(end - start) / u128::from(walked.max(1));
        samples = u64::try_from(total).unwrap_or(u64::MAX);
    }
    Ok(units_to_ms(samples, rate.into()))
}
