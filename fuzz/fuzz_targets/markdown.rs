//! Lesson Markdown rendered to the HTML learners see (`courses::render::render_lesson`:
//! pulldown-cmark, then ammonia's allow-list in `sanitise`), and the plain text search indexes.
//! Besides not panicking, the output must keep the allow-list's promise: only the listed tags
//! and attributes, and no link or source a browser would run as script (only `https:` or
//! relative addresses).
#![no_main]

use lantern::courses::render::{Images, LESSON_TAGS, MediaMap, plain_text, render_lesson};
use lantern::media::{MediaRef, VariantRef};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const LANGUAGES: [&str; 5] = ["en", "fr", "es", "pt", "sw"];

/// One media file of each kind, named as lessons name them (`media/a.png` …), so that image,
/// audio, video and PDF markup is rendered around fuzzed alt text.
fn media() -> &'static MediaMap {
    static MEDIA: OnceLock<MediaMap> = OnceLock::new();
    MEDIA.get_or_init(|| {
        let file =
            |n: u8, kind: &str, content_type: &str, width: Option<u32>, variants: Vec<VariantRef>| MediaRef {
                id: i32::from(n),
                sha256: format!("{n:064}"),
                content_type: content_type.into(),
                kind: kind.into(),
                size: 900_000 * u64::from(n),
                width,
                height: width.map(|w| w / 2),
                duration_ms: (kind != "image").then_some(61_500),
                variants,
            };
        let variant = |width, content_type: &str| VariantRef {
            width,
            height: width / 2,
            content_type: content_type.into(),
            size: u64::from(width) * 40,
        };
        [
            (
                "media/a.png",
                file(
                    1,
                    "image",
                    "image/png",
                    Some(1600),
                    vec![variant(360, "image/webp"), variant(720, "image/jpeg")],
                ),
            ),
            ("media/b.jpg", file(2, "image", "image/jpeg", None, Vec::new())),
            ("media/c.mp3", file(3, "audio", "audio/mpeg", None, Vec::new())),
            ("media/c.low.mp3", file(4, "audio", "audio/mpeg", None, Vec::new())),
            ("media/d.mp4", file(5, "video", "video/mp4", Some(640), Vec::new())),
            ("media/e.pdf", file(6, "document", "application/pdf", None, Vec::new())),
        ]
        .into_iter()
        .map(|(path, reference)| (path.to_owned(), reference))
        .collect()
    })
}

/// Tags and attributes `sanitise` allows: `LESSON_TAGS`, its attribute lists, and what ammonia
/// adds (`rel` on links, `loading` and `decoding` on images, `class` where classes are allowed,
/// `lang` and `title`).
fn allowed(tag: &str, attribute: Option<&str>) -> bool {
    let Some(attribute) = attribute else { return LESSON_TAGS.contains(&tag) };
    let own: &[&str] = match tag {
        "a" => &["href", "rel", "class"],
        "img" => &["src", "alt", "title", "srcset", "sizes", "width", "height", "loading", "decoding"],
        "source" => &["type", "srcset", "sizes"],
        "video" => &["src", "controls", "preload", "width", "height"],
        "audio" => &["src", "controls", "preload"],
        "th" | "td" => &["align"],
        "aside" | "p" | "small" => &["class"],
        _ => &[],
    };
    own.contains(&attribute) || attribute == "lang" || attribute == "title"
}

/// Whether a browser could run `url` as script: its scheme (after the characters browsers strip)
/// is anything but https. Relative addresses have no scheme.
fn runnable(url: &str) -> bool {
    let url = url.replace("&amp;", "&");
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = cleaned.split_once(':') else { return false };
    // A scheme is a letter, then letters, digits, `+`, `-` or `.`; anything else is a path.
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme && !scheme.eq_ignore_ascii_case("https")
}

/// Walks html5ever's serialisation (attribute values always in double quotes, `"` escaped).
fn check(html: &str) {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name_len =
            rest[name_start..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len() - name_start);
        let tag = &rest[name_start..name_start + name_len];
        assert!(allowed(tag, None), "tag <{tag}> is not on the allow-list:\n{html}");
        rest = &rest[name_start + name_len..];
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('>').or_else(|| rest.strip_prefix("/>")) {
                rest = after;
                break;
            }
            let end = rest.find(['=', ' ', '>']).unwrap_or(rest.len());
            assert!(end > 0, "a tag that does not end:\n{html}");
            let attribute = &rest[..end];
            assert!(
                allowed(tag, Some(attribute)),
                "attribute {attribute} on <{tag}> is not allowed:\n{html}"
            );
            rest = &rest[end..];
            if let Some(value) = rest.strip_prefix("=\"") {
                let close = value.find('"').unwrap_or(value.len());
                let value_text = &value[..close];
                if matches!(attribute, "href" | "src") {
                    assert!(!runnable(value_text), "{attribute}=\"{value_text}\" could run:\n{html}");
                }
                if attribute == "srcset" {
                    for candidate in value_text.split(',') {
                        assert!(candidate.trim().starts_with("/media/"), "srcset outside /media/:\n{html}");
                    }
                }
                rest = value.get(close + 1..).unwrap_or("");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    let language = LANGUAGES[data.first().map_or(0, |b| usize::from(*b) % LANGUAGES.len())];
    for images in [Images::Shown, Images::Saver] {
        check(&render_lesson(markdown, language, media(), images));
    }
    let _ = plain_text(markdown);
});
