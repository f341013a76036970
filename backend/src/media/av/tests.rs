//! Tests over the committed fixtures (regenerate with `fixtures/make.sh`); ffmpeg is not needed
//! here. Expected durations are what `ffprobe -show_entries format=duration` printed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::{Cursor, Read, Seek, SeekFrom};

use super::mp4::{chunk_offsets, rewrite_moov, top_level_ranges};
use super::*;

const MOOV_END: &[u8] = include_bytes!("../../../../tests/fixtures/media/video_moov_end.mp4");
const FAST_START: &[u8] = include_bytes!("../../../../tests/fixtures/media/video_faststart.mp4");
const M4A: &[u8] = include_bytes!("../../../../tests/fixtures/media/audio.m4a");
const AUDIO_ONLY_MP4: &[u8] = include_bytes!("../../../../tests/fixtures/media/audio_only.mp4");
const MP3_CBR: &[u8] = include_bytes!("../../../../tests/fixtures/media/audio_cbr.mp3");
const MP3_VBR: &[u8] = include_bytes!("../../../../tests/fixtures/media/audio_vbr.mp3");
const OPUS: &[u8] = include_bytes!("../../../../tests/fixtures/media/audio.opus");
const VORBIS: &[u8] = include_bytes!("../../../../tests/fixtures/media/audio.ogg");
const WEBM: &[u8] = include_bytes!("../../../../tests/fixtures/media/video.webm");

struct Fixture {
    name: &'static str,
    data: &'static [u8],
    content_type: &'static str,
    kind: Kind,
    /// ffprobe's format duration, in milliseconds.
    ffprobe_ms: u64,
    /// (width, height) when there is video.
    video: Option<(u32, u32)>,
    fast_start: bool,
}

const FIXTURES: &[Fixture] = &[
    Fixture {
        name: "video_moov_end.mp4",
        data: MOOV_END,
        content_type: "video/mp4",
        kind: Kind::Video,
        ffprobe_ms: 2000,
        video: Some((160, 90)),
        fast_start: false,
    },
    Fixture {
        name: "video_faststart.mp4",
        data: FAST_START,
        content_type: "video/mp4",
        kind: Kind::Video,
        ffprobe_ms: 2000,
        video: Some((160, 90)),
        fast_start: true,
    },
    Fixture {
        name: "audio.m4a",
        data: M4A,
        content_type: "audio/mp4",
        kind: Kind::Audio,
        ffprobe_ms: 3000,
        video: None,
        fast_start: false,
    },
    // An .mp4 with only audio: the brand says video, the tracks say audio.
    Fixture {
        name: "audio_only.mp4",
        data: AUDIO_ONLY_MP4,
        content_type: "video/mp4",
        kind: Kind::Video,
        ffprobe_ms: 1000,
        video: None,
        fast_start: false,
    },
    Fixture {
        name: "audio_cbr.mp3",
        data: MP3_CBR,
        content_type: "audio/mpeg",
        kind: Kind::Audio,
        ffprobe_ms: 3030,
        video: None,
        fast_start: true,
    },
    Fixture {
        name: "audio_vbr.mp3",
        data: MP3_VBR,
        content_type: "audio/mpeg",
        kind: Kind::Audio,
        ffprobe_ms: 4049,
        video: None,
        fast_start: true,
    },
    Fixture {
        name: "audio.opus",
        data: OPUS,
        content_type: "audio/ogg",
        kind: Kind::Audio,
        ffprobe_ms: 3007,
        video: None,
        fast_start: true,
    },
    Fixture {
        name: "audio.ogg",
        data: VORBIS,
        content_type: "audio/ogg",
        kind: Kind::Audio,
        ffprobe_ms: 3000,
        video: None,
        fast_start: true,
    },
    Fixture {
        name: "video.webm",
        data: WEBM,
        content_type: "video/webm",
        kind: Kind::Video,
        ffprobe_ms: 2008,
        video: Some((160, 90)),
        fast_start: true,
    },
];

fn head(data: &[u8]) -> &[u8] {
    &data[..data.len().min(4096)]
}

fn inspect_bytes(content_type: &str, data: &[u8]) -> Result<AvInfo, AvError> {
    inspect(content_type, &mut Cursor::new(data))
}

fn fast_start_bytes(data: &[u8]) -> Result<Vec<u8>, AvError> {
    let mut out = Vec::new();
    let written = make_fast_start(&mut Cursor::new(data), &mut out)?;
    assert_eq!(written, out.len() as u64);
    Ok(out)
}

fn assert_close(name: &str, got: Option<u64>, want: u64) {
    let got = got.unwrap_or_else(|| panic!("{name}: no duration"));
    assert!(got.abs_diff(want) <= 50, "{name}: duration {got} ms, ffprobe says {want} ms");
}

/// Writes `data` to `$AV_DUMP_DIR/name` when that is set, for checking with ffmpeg by hand.
fn dump(name: &str, data: &[u8]) {
    if let Some(dir) = std::env::var_os("AV_DUMP_DIR") {
        std::fs::write(std::path::Path::new(&dir).join(name), data).unwrap();
    }
}

#[test]
fn sniffs_fixtures() {
    for f in FIXTURES {
        let sniffed = sniff(head(f.data)).unwrap_or_else(|| panic!("{}: not recognised", f.name));
        assert_eq!(sniffed, Sniffed { content_type: f.content_type, kind: f.kind }, "{}", f.name);
    }
}

#[test]
fn sniffs_images_and_documents() {
    let cases: [(&[u8], &str, Kind); 4] = [
        (b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", "image/jpeg", Kind::Image),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", Kind::Image),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp", Kind::Image),
        (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "application/pdf", Kind::Document),
    ];
    for (head, content_type, kind) in cases {
        assert_eq!(sniff(head), Some(Sniffed { content_type, kind }), "{content_type}");
    }
}

#[test]
fn refuses_other_files() {
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF".to_vec();
    exe.resize(4096, 0);
    let heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic";
    let avif = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miafMA1B";
    let matroska = b"\x1A\x45\xDF\xA3\x93\x42\x86\x81\x01\x42\x82\x88matroska\x42\x87\x81\x04";
    let mut theora = b"OggS\x00\x02".to_vec();
    theora.extend([0; 20]);
    theora.extend([1, 42]);
    theora.extend(b"\x80theora");
    theora.resize(28 + 42, 0);
    // A valid MP3 frame header followed by text where the next frame should start.
    let mut lone_sync = b"\xFF\xFB\x90\x00".to_vec();
    lone_sync.resize(1000, b'.');
    let cases: [(&str, &[u8]); 10] = [
        ("exe", &exe),
        ("text", b"Hello, this is a text file named video.mp4\n"),
        ("svg", b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"),
        ("gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00"),
        ("empty", b""),
        ("heic", heic),
        ("avif", avif),
        ("matroska", matroska),
        ("ogg theora", &theora),
        ("lone mp3 sync", &lone_sync),
    ];
    for (name, head) in cases {
        assert_eq!(sniff(head), None, "{name}");
    }
}

#[test]
fn inspects_fixtures() {
    for f in FIXTURES {
        let info = inspect_bytes(f.content_type, f.data).unwrap_or_else(|e| panic!("{}: {e}", f.name));
        assert_close(f.name, info.duration_ms, f.ffprobe_ms);
        assert_eq!(info.has_video, f.video.is_some(), "{}", f.name);
        assert_eq!(info.width.zip(info.height), f.video, "{}", f.name);
        assert_eq!(info.fast_start, f.fast_start, "{}", f.name);
    }
}

#[test]
fn tracks_correct_the_kind() {
    assert_eq!(inspect_bytes("video/mp4", AUDIO_ONLY_MP4).unwrap().kind(), Kind::Audio);
    assert_eq!(inspect_bytes("audio/mp4", M4A).unwrap().kind(), Kind::Audio);
    assert_eq!(inspect_bytes("video/mp4", MOOV_END).unwrap().kind(), Kind::Video);
}

#[test]
fn content_type_parameters_are_ignored_and_others_refused() {
    assert!(inspect_bytes("Audio/MPEG; charset=binary", MP3_CBR).is_ok());
    assert!(matches!(inspect_bytes("image/png", b"\x89PNG"), Err(AvError::Unsupported(_))));
}

/// The bytes at every chunk of every track, which a rewrite must keep pointing at.
fn chunk_bytes(file: &[u8]) -> Vec<Vec<&[u8]>> {
    chunk_offsets(file)
        .unwrap()
        .iter()
        .map(|track| track.iter().map(|&o| &file[o as usize..(o as usize + 32).min(file.len())]).collect())
        .collect()
}

fn check_rewrite(name: &str, input: &[u8]) -> Vec<u8> {
    let before = inspect_bytes("video/mp4", input).unwrap();
    assert!(!before.fast_start, "{name}");
    let out = fast_start_bytes(input).unwrap();
    let after = inspect_bytes("video/mp4", &out).unwrap();
    assert!(after.fast_start, "{name}");
    assert_eq!(after.duration_ms, before.duration_ms, "{name}");
    assert_eq!(after.has_video, before.has_video, "{name}");
    assert_eq!((after.width, after.height), (before.width, before.height), "{name}");
    assert_eq!(chunk_bytes(&out), chunk_bytes(input), "{name}: chunks moved away from their data");
    // Box order: ftyp, moov, then the rest as before.
    let kinds = |file: &[u8]| top_level_ranges(file).unwrap().into_iter().map(|(k, _)| k).collect::<Vec<_>>();
    let mut expected = kinds(input);
    let moov = expected.iter().position(|k| k == b"moov").unwrap();
    let moov = expected.remove(moov);
    expected.insert(1, moov);
    assert_eq!(kinds(&out), expected, "{name}");
    dump(&format!("faststart-{name}"), &out);
    out
}

#[test]
fn rewrites_moov_to_the_front() {
    let out = check_rewrite("video_moov_end.mp4", MOOV_END);
    assert_eq!(out.len(), MOOV_END.len());
    // Same box order as ffmpeg's own +faststart output (ftyp, moov, free, mdat) and, as the two
    // fixtures hold the same encode, the same bytes.
    assert_eq!(out, FAST_START);
    check_rewrite("audio.m4a", M4A);
    check_rewrite("audio_only.mp4", AUDIO_ONLY_MP4);
}

#[test]
fn refuses_to_rewrite_a_fast_start_file() {
    assert!(matches!(fast_start_bytes(FAST_START), Err(AvError::AlreadyFastStart)));
}

/// Rebuilds a moov-at-end file with every `stco` turned into `co64` (offsets unchanged, as moov
/// is last).
fn with_co64(file: &[u8]) -> Vec<u8> {
    let ranges = top_level_ranges(file).unwrap();
    let (_, moov) = ranges.iter().find(|(k, _)| k == b"moov").unwrap().clone();
    assert_eq!(moov.end, file.len());
    let new_moov = rewrite_moov(&file[moov.start + 8..moov.end], &Ok, true).unwrap();
    [&file[..moov.start], &new_moov[..]].concat()
}

#[test]
fn rewrites_co64_tables() {
    let input = with_co64(MOOV_END);
    assert!(input.windows(4).any(|w| w == b"co64") && !input.windows(4).any(|w| w == b"stco"));
    assert_close("co64 input", inspect_bytes("video/mp4", &input).unwrap().duration_ms, 2000);
    let out = check_rewrite("co64.mp4", &input);
    assert!(out.windows(4).any(|w| w == b"co64"));
}

#[test]
fn handles_64_bit_and_to_end_box_sizes() {
    // mdat with a 16-byte header (size 1 + largesize): moov's offsets move 8 bytes on.
    let ranges = top_level_ranges(MOOV_END).unwrap();
    let (_, mdat) = ranges.iter().find(|(k, _)| k == b"mdat").unwrap().clone();
    let (_, moov) = ranges.iter().find(|(k, _)| k == b"moov").unwrap().clone();
    let mut large = MOOV_END[..mdat.start].to_vec();
    large.extend(1u32.to_be_bytes());
    large.extend(b"mdat");
    large.extend((mdat.len() as u64 + 8).to_be_bytes());
    large.extend(&MOOV_END[mdat.start + 8..mdat.end]);
    let shifted = rewrite_moov(&MOOV_END[moov.start + 8..], &|o| Ok(o + 8), false).unwrap();
    large.extend(shifted);
    assert_eq!(chunk_bytes(&large), chunk_bytes(MOOV_END));
    check_rewrite("largesize.mp4", &large);

    // moov last with size 0 ("to the end of the file").
    let mut to_end = MOOV_END.to_vec();
    to_end[moov.start..moov.start + 4].copy_from_slice(&[0; 4]);
    let out = check_rewrite("size0.mp4", &to_end);
    assert_eq!(out, FAST_START);

    // mdat last with size 0 in a fast-start file.
    let ranges = top_level_ranges(FAST_START).unwrap();
    let (_, mdat) = ranges.last().unwrap().clone();
    let mut to_end = FAST_START.to_vec();
    to_end[mdat.start..mdat.start + 4].copy_from_slice(&[0; 4]);
    let info = inspect_bytes("video/mp4", &to_end).unwrap();
    assert!(info.fast_start);
    assert_close("mdat size 0", info.duration_ms, 2000);
}

/// A moov holding one track whose `stco` has the given offsets.
fn moov_with_stco(offsets: &[u32]) -> Vec<u8> {
    fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        [&(body.len() as u32 + 8).to_be_bytes()[..], kind, body].concat()
    }
    let mut stco = vec![0, 0, 0, 0];
    stco.extend((offsets.len() as u32).to_be_bytes());
    offsets.iter().for_each(|o| stco.extend(o.to_be_bytes()));
    let stbl = boxed(b"stbl", &[boxed(b"stsd", &[0; 8]), boxed(b"stco", &stco)].concat());
    let trak = boxed(b"trak", &boxed(b"mdia", &boxed(b"minf", &stbl)));
    [boxed(b"mvhd", &[0; 100]), trak].concat()
}

#[test]
fn stco_that_would_overflow_becomes_co64() {
    let body = moov_with_stco(&[0xFFFF_FF00, 0x40]);
    let moov = rewrite_moov(&body, &|o| Ok(o + 0x200), false).unwrap();
    assert_eq!(u32::from_be_bytes(moov[..4].try_into().unwrap()) as usize, moov.len());
    assert_eq!(moov.len(), body.len() + 8 + 8, "two offsets grow by 4 bytes each");
    assert!(moov.windows(4).any(|w| w == b"co64"));
    assert_eq!(chunk_offsets(&moov).unwrap(), vec![vec![0x1_0000_0100, 0x240]]);

    // Offsets that still fit stay in a stco of the same size.
    let moov = rewrite_moov(&body, &|o| Ok(o + 0x10), false).unwrap();
    assert_eq!(moov.len(), body.len() + 8);
    assert_eq!(chunk_offsets(&moov).unwrap(), vec![vec![0xFFFF_FF10, 0x50]]);
}

#[test]
fn refuses_offsets_outside_the_media() {
    // A chunk offset pointing into moov itself (past the end of mdat).
    let ranges = top_level_ranges(MOOV_END).unwrap();
    let (_, moov) = ranges.iter().find(|(k, _)| k == b"moov").unwrap().clone();
    let body = rewrite_moov(&MOOV_END[moov.start + 8..], &|_| Ok(moov.start as u64 + 4), false).unwrap();
    let bad = [&MOOV_END[..moov.start], &body[..]].concat();
    assert!(matches!(fast_start_bytes(&bad), Err(AvError::Malformed(_))));
}

/// A stream of `len` bytes: `prefix`, then zeros, then `suffix`; reads of the zeros cost nothing.
struct Sparse {
    prefix: Vec<u8>,
    suffix: Vec<u8>,
    len: u64,
    pos: u64,
}

impl Read for Sparse {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min((self.len.saturating_sub(self.pos)) as usize).min(1 << 16);
        let suffix_start = self.len - self.suffix.len() as u64;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let p = self.pos + i as u64;
            *b = if (p as usize) < self.prefix.len() {
                self.prefix[p as usize]
            } else if p >= suffix_start {
                self.suffix[(p - suffix_start) as usize]
            } else {
                0
            };
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Sparse {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => self.len.checked_add_signed(d).unwrap(),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d).unwrap(),
        };
        Ok(self.pos)
    }
}

#[test]
fn large_files_are_walked_not_read() {
    // A 5 GiB file: ftyp, a 5 GiB mdat (64-bit size), then the fixture's moov.
    let ranges = top_level_ranges(MOOV_END).unwrap();
    let (_, moov) = ranges.iter().find(|(k, _)| k == b"moov").unwrap().clone();
    let moov = &MOOV_END[moov];
    let len = 5u64 << 30;
    let mut prefix = MOOV_END[..32].to_vec();
    prefix.extend(1u32.to_be_bytes());
    prefix.extend(b"mdat");
    prefix.extend((len - 32 - moov.len() as u64).to_be_bytes());
    let mut file = Sparse { prefix, suffix: moov.to_vec(), len, pos: 0 };
    let info = inspect("video/mp4", &mut file).unwrap();
    assert!(!info.fast_start);
    assert_close("sparse", info.duration_ms, 2000);

    // A moov claiming 1 GiB is refused before anything is allocated.
    let mut header = MOOV_END[..32].to_vec();
    header.extend(1u32.to_be_bytes());
    header.extend(b"moov");
    header.extend((1u64 << 30).to_be_bytes());
    let mut file = Sparse { prefix: header.clone(), suffix: Vec::new(), len: 32 + (1 << 30), pos: 0 };
    assert!(matches!(inspect("video/mp4", &mut file), Err(AvError::TooLarge { .. })));
    // ...and, in a short file, reported as truncated.
    assert!(matches!(inspect_bytes("video/mp4", &header), Err(AvError::Truncated(_))));
}

/// A small deterministic generator, so failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Runs everything on `data`; only panics (or hangs) count as failures.
fn exercise(content_type: &str, data: &[u8]) -> Result<AvInfo, AvError> {
    let _ = sniff(head(data));
    if content_type.ends_with("mp4") {
        let _ = fast_start_bytes(data);
    }
    inspect_bytes(content_type, data)
}

#[test]
fn truncated_inputs_give_errors_not_panics() {
    for f in FIXTURES {
        let lengths = (0..f.data.len().min(4096)).chain((4096..f.data.len()).step_by(37));
        for len in lengths {
            let result = exercise(f.content_type, &f.data[..len]);
            // Every strict prefix of an MP4 cuts its last box short.
            if f.content_type.ends_with("mp4") {
                assert!(result.is_err(), "{} cut at {len} was accepted", f.name);
            }
        }
    }
}

#[test]
fn mutated_inputs_give_errors_not_panics() {
    let mut rng = XorShift(0x5EED_1A57);
    for f in FIXTURES {
        for _ in 0..400 {
            let mut data = f.data.to_vec();
            for _ in 0..1 + rng.below(8) {
                // Mostly near the start and in the last 4 KiB, where the headers and moov are.
                let at = match rng.below(3) {
                    0 => rng.below(data.len().min(4096)),
                    1 => data.len() - 1 - rng.below(data.len().min(4096)),
                    _ => rng.below(data.len()),
                };
                data[at] = match rng.below(4) {
                    0 => 0,
                    1 => 0xFF,
                    _ => rng.next() as u8,
                };
            }
            let _ = exercise(f.content_type, &data);
        }
    }
    for len in [0, 1, 7, 8, 16, 100, 4096, 20_000] {
        for _ in 0..20 {
            let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            for content_type in ["video/mp4", "audio/mpeg", "audio/ogg", "video/webm"] {
                let _ = exercise(content_type, &data);
            }
        }
    }
}
