//! Lesson Markdown → HTML, done once when a version is published and stored with it, twice: as
//! everyone sees it and as a data saver sees it. Callouts become `<aside>`s titled in the course
//! language. Images become `<picture>`s of their phone-sized variants (lossy WebP, then JPEG or
//! PNG) with `srcset`, `sizes`, `width`, `height`, lazy loading and the alt text; for a data saver
//! they become a link that says how big the smallest variant is. Audio and video play only when
//! tapped (`preload="none"`), with their length and size shown first and a smaller rendition
//! offered when the author gave one (`name.low.mp4`, `name.audio.m4a` beside `name.mp4`). PDFs
//! become links with their size. The result goes through ammonia's allow-list, so raw HTML from
//! an author never reaches a page (the package check refuses it anyway).

use super::package::markdown_options;
use crate::media::{MediaRef, variant_url};
use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Parser, Tag, TagEnd, html};
use std::collections::{HashMap, HashSet};

/// Bumped whenever rendering changes, so stored HTML can be re-rendered.
pub const RENDERER_VERSION: i32 = 2;

/// The media of a version by package path (as lessons name them once resolved).
pub type MediaMap = HashMap<String, MediaRef>;

/// How the images of a lesson are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Images {
    /// Inline, from the variant that fits the screen.
    Shown,
    /// As links saying their size: nothing downloads until tapped.
    Saver,
}

/// Words the media markup needs, in the course's language.
fn words(language: &str) -> [&'static str; 5] {
    match language {
        "fr" => ["Afficher l’image", "Télécharger", "Version plus légère", "Audio seul", "min"],
        "es" => ["Mostrar la imagen", "Descargar", "Versión más ligera", "Solo audio", "min"],
        "pt" => ["Mostrar a imagem", "Baixar", "Versão mais leve", "Apenas áudio", "min"],
        "sw" => ["Onyesha picha", "Pakua", "Toleo jepesi", "Sauti pekee", "dak"],
        _ => ["Show image", "Download", "Smaller version", "Audio only", "min"],
    }
}

/// A size as people read it: 830 KB, 4.2 MB.
pub fn human_size(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    }
}

fn human_duration(ms: u64, minutes: &str) -> String {
    let seconds = ms.div_ceil(1000);
    if seconds < 60 {
        format!("0:{seconds:02}")
    } else {
        format!("{}:{:02} {minutes}", seconds / 60, seconds % 60)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The markup of one media file named by a lesson.
fn media_markup(path: &str, alt: &str, media: &MediaMap, language: &str, images: Images) -> String {
    let Some(file) = media.get(path) else {
        return String::new();
    };
    let [show, download, smaller, audio_only, minutes] = words(language);
    let alt = escape(alt);
    match file.kind.as_str() {
        "image" => {
            let webp: Vec<_> = file.variants.iter().filter(|v| v.content_type == "image/webp").collect();
            let fallback: Vec<_> = file.variants.iter().filter(|v| v.content_type != "image/webp").collect();
            let size = |w: Option<u32>, h: Option<u32>| match (w, h) {
                (Some(w), Some(h)) => format!(" width=\"{w}\" height=\"{h}\""),
                _ => String::new(),
            };
            if images == Images::Saver {
                let smallest = file.variants.iter().min_by_key(|v| v.size);
                let (url, bytes) = match smallest {
                    Some(v) => (variant_url(&file.sha256, v.width, &v.content_type), v.size),
                    None => (file.url(), file.size),
                };
                return format!(
                    "<a class=\"saved-image\" href=\"{url}\">{show}: {alt} ({})</a>",
                    human_size(bytes)
                );
            }
            let (Some(width), Some(height)) = (file.width, file.height) else {
                return format!("<img src=\"{}\" alt=\"{alt}\">", file.url());
            };
            // Candidates: the variants made (each smaller than the original), and the original at
            // its own width wherever no variant is as wide.
            let candidates = |variants: &[&crate::media::VariantRef]| {
                let mut list: Vec<String> = variants
                    .iter()
                    .map(|v| format!("{} {}w", variant_url(&file.sha256, v.width, &v.content_type), v.width))
                    .collect();
                if variants.iter().all(|v| v.width < width) {
                    list.push(format!("{} {width}w", file.url()));
                }
                list.join(", ")
            };
            if webp.is_empty() && fallback.is_empty() {
                return format!(
                    "<img src=\"{}\" alt=\"{alt}\"{}>",
                    file.url(),
                    size(Some(width), Some(height))
                );
            }
            // The default: the widest fallback up to 720 px, what most phones pick anyway.
            let src = fallback
                .iter()
                .rev()
                .find(|v| v.width <= 720)
                .map_or_else(|| file.url(), |v| variant_url(&file.sha256, v.width, &v.content_type));
            let sizes = "(min-width: 46rem) 44rem, 100vw";
            let source = if webp.is_empty() {
                String::new()
            } else {
                format!("<source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">", candidates(&webp))
            };
            format!(
                "<picture>{source}<img src=\"{src}\" srcset=\"{}\" sizes=\"{sizes}\" alt=\"{alt}\"{}></picture>",
                candidates(&fallback),
                size(Some(width), Some(height))
            )
        }
        "audio" | "video" => {
            let mut facts = vec![alt.clone()];
            if let Some(ms) = file.duration_ms {
                facts.push(human_duration(ms, minutes));
            }
            facts.push(human_size(file.size));
            let mut links = vec![format!("<a href=\"{}\">{download}</a>", file.url())];
            let (stem, _) = path.rsplit_once('.').unwrap_or((path, ""));
            for (suffix, label) in [(".low.", smaller), (".audio.", audio_only)] {
                let prefix = format!("{stem}{suffix}");
                if let Some(other) = media.iter().find(|(p, _)| p.starts_with(&prefix)).map(|(_, m)| m) {
                    links.push(format!(
                        "<a href=\"{}\">{label} ({})</a>",
                        other.url(),
                        human_size(other.size)
                    ));
                }
            }
            let player = if file.kind == "video" {
                let size = match (file.width, file.height) {
                    (Some(w), Some(h)) => format!(" width=\"{w}\" height=\"{h}\""),
                    _ => String::new(),
                };
                format!("<video controls preload=\"none\" src=\"{}\"{size}></video>", file.url())
            } else {
                format!("<audio controls preload=\"none\" src=\"{}\"></audio>", file.url())
            };
            format!(
                "{player}<small class=\"media-facts\">{} · {}</small>",
                facts.join(" · "),
                links.join(" · ")
            )
        }
        _ => format!("<a href=\"{}\">{alt} (PDF, {})</a>", file.url(), human_size(file.size)),
    }
}

fn callout_title(kind: BlockQuoteKind, language: &str) -> &'static str {
    use BlockQuoteKind::*;
    match (language, kind) {
        ("fr", Note) => "Remarque",
        ("fr", Tip) => "Conseil",
        ("fr", Important) => "Point clé",
        ("fr", Warning | Caution) => "Attention",
        ("es", Note) => "Nota",
        ("es", Tip) => "Consejo",
        ("es", Important) => "Punto clave",
        ("es", Warning | Caution) => "Advertencia",
        ("pt", Note) => "Nota",
        ("pt", Tip) => "Dica",
        ("pt", Important) => "Ponto-chave",
        ("pt", Warning | Caution) => "Atenção",
        ("sw", Note) => "Kumbuka",
        ("sw", Tip) => "Kidokezo",
        ("sw", Important) => "Jambo muhimu",
        ("sw", Warning | Caution) => "Tahadhari",
        (_, Note) => "Note",
        (_, Tip) => "Tip",
        (_, Important) => "Key point",
        (_, Warning | Caution) => "Warning",
    }
}

fn callout_class(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning | BlockQuoteKind::Caution => "warning",
    }
}

/// Renders a lesson body. `media` holds the version's media by package path, as the stored
/// Markdown names them.
pub fn render_lesson(markdown: &str, language: &str, media: &MediaMap, images: Images) -> String {
    // An image's alt text arrives as the events between its start and end: gathered, then the
    // whole image is replaced by its markup.
    let mut image: Option<(String, String)> = None;
    let events = Parser::new_ext(markdown, markdown_options()).filter_map(|event| match event {
        Event::Start(Tag::BlockQuote(Some(kind))) => Some(Event::Html(CowStr::from(format!(
            "<aside class=\"callout {}\"><p class=\"callout-title\">{}</p>",
            callout_class(kind),
            callout_title(kind, language)
        )))),
        Event::End(TagEnd::BlockQuote(Some(_))) => Some(Event::Html(CowStr::Borrowed("</aside>"))),
        Event::Start(Tag::Image { dest_url, .. }) => {
            image = Some((dest_url.to_string(), String::new()));
            None
        }
        Event::End(TagEnd::Image) => image.take().map(|(path, alt)| {
            Event::InlineHtml(CowStr::from(media_markup(&path, &alt, media, language, images)))
        }),
        Event::Text(words) | Event::Code(words) if image.is_some() => {
            if let Some((_, alt)) = image.as_mut() {
                alt.push_str(&words);
            }
            None
        }
        _ if image.is_some() => None,
        other => Some(other),
    });
    let mut raw = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut raw, events);
    sanitise(&raw)
}

/// The words of a lesson without its Markdown, for search: text, code and image descriptions,
/// separated by spaces where blocks end.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The tags a rendered lesson may hold (the sanitiser's allow-list; the fuzz target checks
/// rendered HTML against it).
pub const LESSON_TAGS: [&str; 31] = [
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "aside",
    "code",
    "pre",
    "hr",
    "br",
    "sup",
    "sub",
    "picture",
    "source",
    "audio",
    "video",
    "small",
];

/// The allow-list every rendered lesson passes through.
pub fn sanitise(html: &str) -> String {
    let tags: HashSet<&str> = LESSON_TAGS.into_iter().collect();
    let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    attributes.insert("a", ["href"].into_iter().collect());
    attributes
        .insert("img", ["src", "alt", "title", "srcset", "sizes", "width", "height"].into_iter().collect());
    attributes.insert("source", ["type", "srcset", "sizes"].into_iter().collect());
    attributes.insert("video", ["src", "controls", "preload", "width", "height"].into_iter().collect());
    attributes.insert("audio", ["src", "controls", "preload"].into_iter().collect());
    attributes.insert("th", ["align"].into_iter().collect());
    attributes.insert("td", ["align"].into_iter().collect());
    let mut classes: HashMap<&str, HashSet<&str>> = HashMap::new();
    classes.insert("aside", ["callout", "note", "tip", "important", "warning"].into_iter().collect());
    classes.insert("p", ["callout-title"].into_iter().collect());
    classes.insert("a", ["saved-image"].into_iter().collect());
    classes.insert("small", ["media-facts"].into_iter().collect());
    ammonia::Builder::default()
        .tags(tags)
        .tag_attributes(attributes)
        .allowed_classes(classes)
        .url_schemes(["https"].into_iter().collect())
        // Images are our own media (relative URLs); links must be https (checked at import).
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .set_tag_attribute_value("img", "loading", "lazy")
        .set_tag_attribute_value("img", "decoding", "async")
        // Only our own media may fill a srcset: every candidate must be a /media/ address.
        .attribute_filter(|element, attribute, value| {
            if attribute == "srcset"
                && !value.split(',').all(|candidate| candidate.trim().starts_with("/media/"))
            {
                tracing::warn!(element, "a srcset outside /media/ was dropped");
                return None;
            }
            Some(value.into())
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::VariantRef;

    const SHA: &str = "ab00000000000000000000000000000000000000000000000000000000000000";

    fn image(with_variants: bool) -> MediaRef {
        let variant = |width, content_type: &str, size| VariantRef {
            width,
            height: width / 2,
            content_type: content_type.into(),
            size,
        };
        MediaRef {
            id: 1,
            sha256: SHA.into(),
            content_type: "image/png".into(),
            kind: "image".into(),
            size: 900_000,
            width: Some(1600),
            height: Some(800),
            duration_ms: None,
            variants: if with_variants {
                vec![
                    variant(360, "image/webp", 12_000),
                    variant(360, "image/jpeg", 20_000),
                    variant(720, "image/webp", 40_000),
                    variant(720, "image/jpeg", 70_000),
                ]
            } else {
                Vec::new()
            },
        }
    }

    fn video(path: &str, size: u64) -> (String, MediaRef) {
        let sha = format!("{:064}", size);
        let reference = MediaRef {
            id: 2,
            sha256: sha,
            content_type: "video/mp4".into(),
            kind: "video".into(),
            size,
            width: Some(640),
            height: Some(360),
            duration_ms: Some(200_400),
            variants: Vec::new(),
        };
        (path.to_owned(), reference)
    }

    #[test]
    fn images_are_pictures_of_their_variants_or_links_for_data_savers() {
        let media: MediaMap = [("media/a.png".to_owned(), image(true))].into();
        let markdown = "Look: ![Five moments around a bed](media/a.png)";
        let html = render_lesson(markdown, "en", &media, Images::Shown);
        let document = scraper::Html::parse_fragment(&html);
        let img = document.select(&scraper::Selector::parse("picture img").unwrap()).next().unwrap();
        assert_eq!(img.attr("alt"), Some("Five moments around a bed"));
        assert_eq!(img.attr("width"), Some("1600"));
        assert_eq!(img.attr("height"), Some("800"));
        assert_eq!(img.attr("loading"), Some("lazy"));
        assert_eq!(img.attr("src"), Some(format!("/media/{SHA}/720.jpg").as_str()));
        assert!(img.attr("srcset").unwrap().contains(&format!("/media/{SHA}/360.jpg 360w")), "{html}");
        assert!(img.attr("sizes").is_some(), "{html}");
        let source = document.select(&scraper::Selector::parse("picture source").unwrap()).next().unwrap();
        assert_eq!(source.attr("type"), Some("image/webp"));
        assert!(source.attr("srcset").unwrap().contains(&format!("/media/{SHA}/720.webp 720w")), "{html}");

        let saver = render_lesson(markdown, "en", &media, Images::Saver);
        assert!(!saver.contains("<img") && !saver.contains("<picture"), "{saver}");
        assert!(
            saver.contains(&format!("href=\"/media/{SHA}/360.webp\""))
                && saver.contains("Show image: Five moments around a bed (12 KB)"),
            "{saver}"
        );
    }

    #[test]
    fn audio_and_video_say_their_length_and_size_and_wait_to_be_tapped() {
        let media: MediaMap = [video("media/wash.mp4", 4_404_019), video("media/wash.low.mp4", 1_153_434)]
            .into_iter()
            .collect();
        let html =
            render_lesson("![Washing hands, step by step](media/wash.mp4)", "en", &media, Images::Saver);
        assert!(html.contains("<video controls=\"\" preload=\"none\""), "{html}");
        assert!(html.contains("3:21 min") && html.contains("4.2 MB"), "{html}");
        assert!(html.contains("Smaller version (1.1 MB)"), "{html}");
    }

    #[test]
    fn a_srcset_pointing_elsewhere_is_dropped() {
        let html = sanitise("<img src=\"/media/x\" srcset=\"https://tracker.example/a.png 1x\" alt=\"x\">");
        assert!(!html.contains("tracker"), "{html}");
    }

    #[test]
    fn callouts_images_and_tables_render() {
        let media: MediaMap = [("media/a.png".to_owned(), image(false))].into();
        let html = render_lesson(
            "## Steps\n\n> [!IMPORTANT]\n> Clean your hands.\n\n![Five moments around a bed](media/a.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "fr",
            &media,
            Images::Shown,
        );
        assert!(
            html.contains("<aside class=\"callout important\"><p class=\"callout-title\">Point clé</p>"),
            "{html}"
        );
        assert!(
            html.contains(&format!("src=\"/media/{SHA}\"")) && html.contains("loading=\"lazy\""),
            "{html}"
        );
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn nothing_dangerous_survives() {
        let html = render_lesson(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n[y](data:text/html,hi)\n\n<a href=\"https://ok.example\" onclick=\"evil()\">ok</a>\n\n<iframe src=\"https://evil\"></iframe><style>p{}</style>",
            "en",
            &MediaMap::new(),
            Images::Shown,
        );
        let lower = html.to_lowercase();
        for bad in ["<script", "onerror", "onclick", "javascript:", "data:", "<iframe", "<style"] {
            assert!(!lower.contains(bad), "{bad} in {html}");
        }
    }
}
