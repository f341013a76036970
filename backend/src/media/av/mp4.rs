//! ISO base media files (MP4, M4A): the top-level box walk, `moov` inspection and the fast-start
//! rewrite.
//!
//! An MP4 is a sequence of boxes, each a 32-bit size and a four-letter type; size 1 means a 64-bit
//! size follows, size 0 means "to the end of the file". The `moov` box indexes the media data
//! (`mdat`): among other things it gives each chunk of samples as an absolute file offset, in a
//! `stco` (32-bit) or `co64` (64-bit) table per track. A player needs `moov` before it can play,
//! so a file whose `moov` is at the end must be downloaded completely first; on a 2G link that is
//! minutes of waiting, which is why uploads are rewritten with [`make_fast_start`].

use std::io::{Read, Seek, SeekFrom, Write};

use super::{AvError, AvInfo, Kind, be_u32, be_u64, read_at, read_vec, stream_len, units_to_ms};

/// Largest `moov` read into memory. Real files have a few hundred KiB for an hour of video.
pub const MAX_MOOV_BYTES: u64 = 64 << 20;

/// Bound on the number of top-level boxes, to keep the box list small on hostile input. A
/// fragmented file has two boxes per fragment, so this still allows hours of short fragments.
const MAX_TOP_LEVEL_BOXES: usize = 100_000;

/// Nesting depth accepted inside `moov` (the chunk tables are at depth 5).
const MAX_DEPTH: u8 = 16;

/// Buffer for copying media data in [`make_fast_start`].
const COPY_BUFFER: usize = 256 << 10;

/// Brands of HEIF/AVIF still images and camera raw files, which share the box format but are not
/// something the platform plays.
const IMAGE_BRANDS: [&[u8; 4]; 11] =
    [b"mif1", b"msf1", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"avif", b"avis", b"crx "];

const AUDIO_BRANDS: [&[u8; 4]; 3] = [b"M4A ", b"M4B ", b"M4P "];

/// Classifies an ISO-BMFF file from the brands in its leading `ftyp` box: `Some(Kind::Audio)`
/// for iTunes audio brands, `None` for still-image brands, otherwise `Some(Kind::Video)`.
pub(super) fn sniff_brands(head: &[u8]) -> Option<Kind> {
    let size = usize::try_from(be_u32(head, 0)?).ok()?;
    // ftyp holds the major brand, a minor version and at least zero compatible brands.
    if size < 16 {
        return None;
    }
    let ftyp = head.get(8..size.min(head.len()))?;
    let major = ftyp.get(..4)?;
    let compatible = ftyp.get(8..).unwrap_or_default().chunks_exact(4);
    let brands = || std::iter::once(major).chain(compatible.clone());
    if brands().any(|b| IMAGE_BRANDS.iter().any(|i| b == i.as_slice())) {
        return None;
    }
    if AUDIO_BRANDS.iter().any(|a| major == a.as_slice()) { Some(Kind::Audio) } else { Some(Kind::Video) }
}

/// A top-level box as found in the file.
#[derive(Debug, Clone, Copy)]
struct TopBox {
    kind: [u8; 4],
    start: u64,
    header_len: u64,
    /// Total size including the header, with size 0 ("to the end") resolved.
    size: u64,
}

impl TopBox {
    fn end(&self) -> u64 {
        // Checked when the box was read.
        self.start.saturating_add(self.size)
    }
}

/// Lists the top-level boxes by seeking from header to header, never reading box contents.
fn top_level_boxes<R: Read + Seek>(r: &mut R, file_len: u64) -> Result<Vec<TopBox>, AvError> {
    let mut boxes = Vec::new();
    let mut pos = 0u64;
    while pos < file_len {
        if boxes.len() >= MAX_TOP_LEVEL_BOXES {
            return Err(AvError::Unsupported(format!("more than {MAX_TOP_LEVEL_BOXES} top-level boxes")));
        }
        let mut header = [0u8; 8];
        read_at(r, pos, &mut header, "box header")?;
        let [s0, s1, s2, s3, k0, k1, k2, k3] = header;
        let kind = [k0, k1, k2, k3];
        let (header_len, size) = match u32::from_be_bytes([s0, s1, s2, s3]) {
            0 => (8, file_len - pos),
            1 => {
                let mut large = [0u8; 8];
                read_at(r, pos.saturating_add(8), &mut large, "box header")?;
                (16, u64::from_be_bytes(large))
            }
            n => (8, u64::from(n)),
        };
        if size < header_len {
            return Err(AvError::Malformed("box smaller than its header"));
        }
        let end = pos.checked_add(size).ok_or(AvError::Malformed("box size overflows"))?;
        if end > file_len {
            return Err(AvError::Truncated(box_name(&kind)));
        }
        boxes.push(TopBox { kind, start: pos, header_len, size });
        pos = end;
    }
    Ok(boxes)
}

/// A readable name for a box in error messages.
fn box_name(kind: &[u8; 4]) -> &'static str {
    match kind {
        b"moov" => "moov box",
        b"mdat" => "mdat box (media data)",
        b"ftyp" => "ftyp box",
        _ => "a top-level box",
    }
}

/// Finds the single `moov` box and reads its body (the bytes after its header).
fn read_moov<R: Read + Seek>(
    r: &mut R,
    boxes: &[TopBox],
    file_len: u64,
) -> Result<(usize, Vec<u8>), AvError> {
    let mut found = boxes.iter().enumerate().filter(|(_, b)| &b.kind == b"moov");
    let (idx, moov) = found.next().ok_or(AvError::Malformed("no moov box"))?;
    if found.next().is_some() {
        return Err(AvError::Malformed("more than one moov box"));
    }
    let body = read_vec(
        r,
        moov.start + moov.header_len,
        moov.size - moov.header_len,
        MAX_MOOV_BYTES,
        file_len,
        "moov box",
    )?;
    Ok((idx, body))
}

/// A box inside an in-memory container.
struct SubBox<'a> {
    kind: [u8; 4],
    /// The whole box, header included.
    raw: &'a [u8],
    body: &'a [u8],
}

/// Splits a container's body into its child boxes.
fn children(data: &[u8]) -> Result<Vec<SubBox<'_>>, AvError> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let bad = AvError::Malformed("box inside moov overruns its parent");
        let size32 = be_u32(rest, 0).ok_or(AvError::Malformed("short box header inside moov"))?;
        let kind: [u8; 4] =
            super::bytes(rest, 4).ok_or(AvError::Malformed("short box header inside moov"))?;
        let (header_len, size) = match size32 {
            0 => (8, rest.len()),
            1 => {
                let large = be_u64(rest, 8).ok_or(AvError::Malformed("short box header inside moov"))?;
                (16, usize::try_from(large).map_err(|_| AvError::Malformed("box size overflows"))?)
            }
            n => (8, usize::try_from(n).map_err(|_| AvError::Malformed("box size overflows"))?),
        };
        if size < header_len {
            return Err(AvError::Malformed("box smaller than its header"));
        }
        let raw = rest.get(..size).ok_or(bad)?;
        let body = raw.get(header_len..).unwrap_or_default();
        out.push(SubBox { kind, raw, body });
        rest = rest.get(size..).unwrap_or_default();
    }
    Ok(out)
}

fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Result<Option<&'a [u8]>, AvError> {
    Ok(children(data)?.into_iter().find(|b| &b.kind == kind).map(|b| b.body))
}

/// Reads an MP4's duration, tracks and fast-start status.
pub(super) fn inspect<R: Read + Seek>(r: &mut R) -> Result<AvInfo, AvError> {
    let file_len = stream_len(r)?;
    let boxes = top_level_boxes(r, file_len)?;
    let (moov_idx, moov) = read_moov(r, &boxes, file_len)?;
    let first_mdat = boxes.iter().position(|b| &b.kind == b"mdat");
    let fast_start = first_mdat.is_none_or(|m| moov_idx < m);

    let mvhd = child(&moov, b"mvhd")?.ok_or(AvError::Malformed("moov has no mvhd box"))?;
    let (timescale, mut duration) = mvhd_times(mvhd)?;
    if duration.is_none() {
        // Fragmented files may leave mvhd's duration at zero and give the total in mvex/mehd.
        if let Some(mehd) = child(&moov, b"mvex")?.map(|mvex| child(mvex, b"mehd")).transpose()?.flatten() {
            duration = match mehd.first() {
                Some(1) => be_u64(mehd, 4),
                Some(_) => be_u32(mehd, 4).map(u64::from),
                None => None,
            }
            .filter(|&d| d != 0);
        }
    }

    let mut info = AvInfo {
        duration_ms: duration.and_then(|d| units_to_ms(d, u64::from(timescale))),
        has_video: false,
        width: None,
        height: None,
        fast_start,
    };
    for trak in children(&moov)?.iter().filter(|b| &b.kind == b"trak") {
        let handler = child(trak.body, b"mdia")?
            .map(|mdia| child(mdia, b"hdlr"))
            .transpose()?
            .flatten()
            .and_then(|hdlr| super::bytes::<4>(hdlr, 8));
        // A file cut short at a box boundary still parses; its chunk offsets give it away.
        for offset in track_chunk_offsets(trak.body)? {
            if offset? >= file_len {
                return Err(AvError::Truncated("mdat box (media data)"));
            }
        }
        if handler == Some(*b"vide") && !info.has_video {
            info.has_video = true;
            if let Some((w, h)) = child(trak.body, b"tkhd")?.and_then(tkhd_size) {
                info.width = Some(w);
                info.height = Some(h);
            }
        }
    }
    Ok(info)
}

/// Timescale and duration from `mvhd` (version 0 or 1); the duration is `None` when unknown.
fn mvhd_times(mvhd: &[u8]) -> Result<(u32, Option<u64>), AvError> {
    let fields = match mvhd.first() {
        Some(1) => be_u32(mvhd, 20).zip(be_u64(mvhd, 24)),
        Some(_) => be_u32(mvhd, 12).zip(be_u32(mvhd, 16).map(|d| match d {
            u32::MAX => u64::MAX,
            d => u64::from(d),
        })),
        None => None,
    };
    let (timescale, duration) = fields.ok_or(AvError::Malformed("mvhd box too short"))?;
    // All ones means "unknown"; zero is what fragmented files write.
    Ok((timescale, (duration != 0 && duration != u64::MAX).then_some(duration)))
}

/// Presentation width and height from `tkhd` (16.16 fixed point), when non-zero.
fn tkhd_size(tkhd: &[u8]) -> Option<(u32, u32)> {
    let at = if tkhd.first()? == &1 { 88 } else { 76 };
    let w = be_u32(tkhd, at)? >> 16;
    let h = be_u32(tkhd, at + 4)? >> 16;
    (w > 0 && h > 0).then_some((w, h))
}

/// Rewrites an MP4 whose `moov` follows its `mdat` so that `moov` comes first (right after
/// `ftyp`), so that players can start before the download ends.
///
/// Every other top-level box is copied unchanged and in its original order. Chunk offsets in every
/// track's `stco` and `co64` are moved with the data they point at; a `stco` whose offsets would no
/// longer fit in 32 bits becomes a `co64`. Media data is streamed through a fixed-size buffer, so
/// memory use is the `moov` (at most [`MAX_MOOV_BYTES`]) plus that buffer.
///
/// Refused, with the file left as it is:
/// - a file that is already fast-start, or has no `mdat`: [`AvError::AlreadyFastStart`] (the
///   caller keeps the original; copying it would gain nothing);
/// - fragmented MP4 (`moof`) and tracks with sample auxiliary offsets (`saio`, used by encrypted
///   media), whose other absolute offsets this does not move: [`AvError::Unsupported`];
/// - chunk offsets that point outside the file's media boxes: [`AvError::Malformed`].
///
/// Returns the number of bytes written. On error, `w` may hold a partial file.
pub fn make_fast_start<R: Read + Seek, W: Write>(r: &mut R, w: &mut W) -> Result<u64, AvError> {
    let file_len = stream_len(r)?;
    let boxes = top_level_boxes(r, file_len)?;
    if boxes.iter().any(|b| &b.kind == b"moof") {
        return Err(AvError::Unsupported("fragmented MP4 (moof boxes)".into()));
    }
    let (moov_idx, moov_body) = read_moov(r, &boxes, file_len)?;
    let Some(mdat_idx) = boxes.iter().position(|b| &b.kind == b"mdat") else {
        return Err(AvError::AlreadyFastStart);
    };
    if moov_idx < mdat_idx {
        return Err(AvError::AlreadyFastStart);
    }
    // moov goes right after a leading ftyp, or first if there is none before the media.
    let insert_at =
        boxes.iter().position(|b| &b.kind == b"ftyp").filter(|&f| f < mdat_idx).map_or(0, |f| f + 1);
    let mut order: Vec<Option<&TopBox>> =
        boxes.iter().enumerate().filter(|&(i, _)| i != moov_idx).map(|(_, b)| Some(b)).collect();
    order.insert(insert_at.min(order.len()), None);

    // The new moov's size moves the data after it, and moving data can turn stco into co64,
    // which grows moov again. Growth only pushes offsets further, so this settles quickly.
    let mut moov_size = boxes.get(moov_idx).map_or(0, |b| b.size);
    let mut new_moov = Vec::new();
    for _ in 0..8 {
        let new_starts = layout(&order, moov_size)?;
        let relocate = |offset: u64| relocate(offset, &order, &new_starts);
        new_moov = rewrite_moov(&moov_body, &relocate, false)?;
        let size = new_moov.len() as u64;
        if size == moov_size {
            break;
        }
        moov_size = size;
    }
    if new_moov.len() as u64 != moov_size {
        return Err(AvError::Malformed("chunk offsets did not settle"));
    }

    let mut written = 0u64;
    let mut buf = vec![0u8; COPY_BUFFER];
    for entry in &order {
        match entry {
            None => {
                w.write_all(&new_moov)?;
                written += moov_size;
            }
            Some(b) => {
                copy_range(r, w, b.start, b.size, &mut buf)?;
                written += b.size;
            }
        }
    }
    w.flush()?;
    Ok(written)
}

/// New start offsets for `order` (where `None` is the moov of `moov_size` bytes).
fn layout(order: &[Option<&TopBox>], moov_size: u64) -> Result<Vec<u64>, AvError> {
    let mut starts = Vec::with_capacity(order.len());
    let mut pos = 0u64;
    for entry in order {
        starts.push(pos);
        let size = entry.map_or(moov_size, |b| b.size);
        pos = pos.checked_add(size).ok_or(AvError::Malformed("file size overflows"))?;
    }
    Ok(starts)
}

/// Where the byte at `offset` of the original file lands in the rewritten one.
fn relocate(offset: u64, order: &[Option<&TopBox>], new_starts: &[u64]) -> Result<u64, AvError> {
    order
        .iter()
        .zip(new_starts)
        .find_map(|(entry, &new_start)| {
            let b = (*entry)?;
            (b.start..b.end()).contains(&offset).then(|| new_start.checked_add(offset - b.start))?
        })
        .ok_or(AvError::Malformed("chunk offset points outside the media data"))
}

/// Copies `len` bytes at `start` from `r` to `w` through `buf`.
fn copy_range<R: Read + Seek, W: Write>(
    r: &mut R,
    w: &mut W,
    start: u64,
    len: u64,
    buf: &mut [u8],
) -> Result<(), AvError> {
    r.seek(SeekFrom::Start(start))?;
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let chunk = buf.get_mut(..want).ok_or(AvError::Malformed("copy buffer"))?;
        let n = r.read(chunk)?;
        if n == 0 {
            return Err(AvError::Truncated("mdat box (media data)"));
        }
        w.write_all(chunk.get(..n).unwrap_or_default())?;
        left -= n as u64;
    }
    Ok(())
}

/// Builds a new `moov` box (header included) from `body`, passing every chunk offset through
/// `relocate`. With `force_co64`, every `stco` becomes a `co64` even when its offsets fit.
pub(super) fn rewrite_moov(
    body: &[u8],
    relocate: &dyn Fn(u64) -> Result<u64, AvError>,
    force_co64: bool,
) -> Result<Vec<u8>, AvError> {
    // co64 tables are at most twice the size of the stco they replace.
    let mut out = Vec::with_capacity(body.len().saturating_add(body.len() / 2).saturating_add(8));
    write_container(&mut out, *b"moov", |out| rewrite_children(out, body, 1, relocate, force_co64))?;
    Ok(out)
}

/// Appends a box of type `kind` whose body `fill` appends, then fixes up its size.
fn write_container(
    out: &mut Vec<u8>,
    kind: [u8; 4],
    fill: impl FnOnce(&mut Vec<u8>) -> Result<(), AvError>,
) -> Result<(), AvError> {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&kind);
    fill(out)?;
    let size = u32::try_from(out.len() - start).map_err(|_| AvError::Malformed("rewritten box too large"))?;
    if let Some(slot) = out.get_mut(start..start + 4) {
        slot.copy_from_slice(&size.to_be_bytes());
    }
    Ok(())
}

fn rewrite_children(
    out: &mut Vec<u8>,
    body: &[u8],
    depth: u8,
    relocate: &dyn Fn(u64) -> Result<u64, AvError>,
    force_co64: bool,
) -> Result<(), AvError> {
    if depth > MAX_DEPTH {
        return Err(AvError::Malformed("boxes nested too deeply"));
    }
    for b in children(body)? {
        match &b.kind {
            // The path from moov to the chunk offset tables.
            b"trak" | b"mdia" | b"minf" | b"stbl" => write_container(out, b.kind, |out| {
                rewrite_children(out, b.body, depth + 1, relocate, force_co64)
            })?,
            b"stco" => rewrite_offsets(out, b.body, 4, relocate, force_co64)?,
            b"co64" => rewrite_offsets(out, b.body, 8, relocate, true)?,
            b"saio" => {
                return Err(AvError::Unsupported(
                    "sample auxiliary offsets (saio), e.g. encrypted media".into(),
                ));
            }
            _ => out.extend_from_slice(b.raw),
        }
    }
    Ok(())
}

/// Rewrites one `stco` (`width` 4) or `co64` (`width` 8) table, writing a `co64` when `wide` is
/// set or an offset no longer fits in 32 bits.
fn rewrite_offsets(
    out: &mut Vec<u8>,
    body: &[u8],
    width: usize,
    relocate: &dyn Fn(u64) -> Result<u64, AvError>,
    wide: bool,
) -> Result<(), AvError> {
    let short = || AvError::Malformed("chunk offset table too short");
    let count = usize::try_from(be_u32(body, 4).ok_or_else(short)?).map_err(|_| short())?;
    let table = body.get(8..).ok_or_else(short)?;
    let table = table.get(..count.checked_mul(width).ok_or_else(short)?).ok_or_else(short)?;
    let offsets = table
        .chunks_exact(width)
        .map(|e| {
            let old = if width == 8 { be_u64(e, 0) } else { be_u32(e, 0).map(u64::from) };
            relocate(old.ok_or_else(short)?)
        })
        .collect::<Result<Vec<u64>, AvError>>()?;
    let wide = wide || offsets.iter().any(|&o| o > u64::from(u32::MAX));
    let kind = if wide { *b"co64" } else { *b"stco" };
    write_container(out, kind, |out| {
        // Version and flags: kept for stco, zero for a new co64 (the only version defined).
        let version_flags =
            if wide && width == 4 { [0; 4] } else { super::bytes(body, 0).ok_or_else(short)? };
        out.extend_from_slice(&version_flags);
        out.extend_from_slice(&u32::try_from(count).map_err(|_| short())?.to_be_bytes());
        for o in offsets {
            match u32::try_from(o) {
                Ok(o32) if !wide => out.extend_from_slice(&o32.to_be_bytes()),
                _ => out.extend_from_slice(&o.to_be_bytes()),
            }
        }
        Ok(())
    })
}

/// The chunk offsets of every track, in track order (for tests that follow chunks across a rewrite).
#[cfg(test)]
pub(super) fn chunk_offsets(file: &[u8]) -> Result<Vec<Vec<u64>>, AvError> {
    let mut cursor = std::io::Cursor::new(file);
    let boxes = top_level_boxes(&mut cursor, file.len() as u64)?;
    let (_, moov) = read_moov(&mut cursor, &boxes, file.len() as u64)?;
    let traks = children(&moov)?;
    traks
        .iter()
        .filter(|b| &b.kind == b"trak")
        .map(|trak| track_chunk_offsets(trak.body)?.collect())
        .collect()
}

/// The chunk offsets in a track's `stco` or `co64` (none when it has neither).
fn track_chunk_offsets(trak: &[u8]) -> Result<impl Iterator<Item = Result<u64, AvError>>, AvError> {
    let mut stbl = Some(trak);
    for kind in [b"mdia", b"minf", b"stbl"] {
        stbl = stbl.map(|body| child(body, kind)).transpose()?.flatten();
    }
    let tables = stbl.map(children).transpose()?.unwrap_or_default();
    let (table, width) = tables
        .into_iter()
        .find_map(|b| match &b.kind {
            b"stco" => Some((b.body, 4)),
            b"co64" => Some((b.body, 8)),
            _ => None,
        })
        .unwrap_or_default();
    let short = || AvError::Malformed("chunk offset table too short");
    let count = if table.is_empty() { 0 } else { be_u32(table, 4).ok_or_else(short)? };
    Ok((0..count as usize).map(move |i| {
        let at = i.checked_mul(width).and_then(|x| x.checked_add(8)).ok_or_else(short)?;
        let offset = if width == 8 { be_u64(table, at) } else { be_u32(table, at).map(u64::from) };
        offset.ok_or_else(short)
    }))
}

#[cfg(test)]
pub(super) type TopLevelRange = ([u8; 4], std::ops::Range<usize>);

/// Splits a file into its top-level boxes' byte ranges (for tests that build inputs).
#[cfg(test)]
pub(super) fn top_level_ranges(file: &[u8]) -> Result<Vec<TopLevelRange>, AvError> {
    let boxes = top_level_boxes(&mut std::io::Cursor::new(file), file.len() as u64)?;
    Ok(boxes.iter().map(|b| (b.kind, b.start as usize..b.end() as usize)).collect())
}
