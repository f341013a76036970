//! Lesson Markdown → HTML, done once when a version is published and stored with it: callouts
//! become `<aside>`s titled in the course language, images point at their content-addressed
//! media URL and load lazily, and the result goes through ammonia's allow-list, so raw HTML from
//! an author never reaches a page.

use super::package::markdown_options;
use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Parser, Tag, TagEnd, html};
use std::collections::{HashMap, HashSet};

/// Bumped whenever rendering changes, so stored HTML can be re-rendered.
pub const RENDERER_VERSION: i32 = 1;

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

/// Renders a lesson body. `media` maps package paths (as the Markdown names them) to URLs.
pub fn render_lesson(markdown: &str, language: &str, media: &HashMap<String, String>) -> String {
    let events = Parser::new_ext(markdown, markdown_options()).map(|event| match event {
        Event::Start(Tag::BlockQuote(Some(kind))) => Event::Html(CowStr::from(format!(
            "<aside class=\"callout {}\"><p class=\"callout-title\">{}</p>",
            callout_class(kind),
            callout_title(kind, language)
        ))),
        Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::Borrowed("</aside>")),
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let url = media.get(dest_url.as_ref()).cloned().unwrap_or_default();
            Event::Start(Tag::Image { link_type, dest_url: CowStr::from(url), title, id })
        }
        other => other,
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

/// The allow-list every rendered lesson passes through.
pub fn sanitise(html: &str) -> String {
    let tags: HashSet<&str> = [
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
    ]
    .into_iter()
    .collect();
    let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    attributes.insert("a", ["href"].into_iter().collect());
    attributes.insert("img", ["src", "alt", "title"].into_iter().collect());
    attributes.insert("th", ["align"].into_iter().collect());
    attributes.insert("td", ["align"].into_iter().collect());
    let mut classes: HashMap<&str, HashSet<&str>> = HashMap::new();
    classes.insert("aside", ["callout", "note", "tip", "important", "warning"].into_iter().collect());
    classes.insert("p", ["callout-title"].into_iter().collect());
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
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callouts_images_and_tables_render() {
        let media: HashMap<String, String> = [("media/a.png".to_owned(), "/media/abc".to_owned())].into();
        let html = render_lesson(
            "## Steps\n\n> [!IMPORTANT]\n> Clean your hands.\n\n![Five moments around a bed](media/a.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "fr",
            &media,
        );
        assert!(
            html.contains("<aside class=\"callout important\"><p class=\"callout-title\">Point clé</p>"),
            "{html}"
        );
        assert!(html.contains("src=\"/media/abc\"") && html.contains("loading=\"lazy\""), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn nothing_dangerous_survives() {
        let html = render_lesson(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n[y](data:text/html,hi)\n\n<a href=\"https://ok.example\" onclick=\"evil()\">ok</a>\n\n<iframe src=\"https://evil\"></iframe><style>p{}</style>",
            "en",
            &HashMap::new(),
        );
        let lower = html.to_lowercase();
        for bad in ["<script", "onerror", "onclick", "javascript:", "data:", "<iframe", "<style"] {
            assert!(!lower.contains(bad), "{bad} in {html}");
        }
    }
}
