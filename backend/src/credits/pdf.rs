//! Printable PDFs: the certificate of completion (with its verification QR code) and the CPD
//! transcript (a paginated table of activities).
//!
//! Rendered with krilla, which subsets the embedded Noto Sans (`content/fonts/`, SIL OFL 1.1) so
//! the files stay small. Text is shaped with rustybuzz (the shaper krilla itself uses), which
//! gives the exact advances needed to wrap, truncate and align text. Output is deterministic: the
//! creation date comes from the input and krilla derives the document id from the content.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::{Datelike, Timelike};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};

const REGULAR_TTF: &[u8] = include_bytes!("../../../content/fonts/NotoSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../content/fonts/NotoSans-Bold.ttf");

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;
/// Cap height of Noto Sans, in em: used to centre a line of text in its line box.
const CAP_HEIGHT: f32 = 0.714;
const ELLIPSIS: &str = "…";

const INK: Rgb = Rgb(0x1c, 0x25, 0x30);
const MUTED: Rgb = Rgb(0x5a, 0x66, 0x73);
const ACCENT: Rgb = Rgb(0x0e, 0x4d, 0x64);
const RULE: Rgb = Rgb(0xc9, 0xd1, 0xd9);
const HEADER_BG: Rgb = Rgb(0xe3, 0xec, 0xf0);
const STRIPE: Rgb = Rgb(0xf4, 0xf6, 0xf8);
const TINT: Rgb = Rgb(0xed, 0xf4, 0xf6);

/// A module matrix of a QR code: `width` × `width` booleans, row-major, true = dark.
pub struct QrModules {
    pub width: usize,
    pub dark: Vec<bool>,
}

/// Everything printed on a certificate of completion; all text already translated.
pub struct CertificatePdf<'a> {
    /// BCP 47 language of the text, e.g. "en" or "fr" (the document language).
    pub lang: &'a str,
    /// "Certificate of completion".
    pub title: &'a str,
    /// The learner's name, printed large.
    pub recipient: &'a str,
    /// Course name and version.
    pub achievement: &'a str,
    /// The issuing association's name.
    pub issuer: &'a str,
    /// E.g. "5 CPD credits · Ethics".
    pub credits_line: &'a str,
    /// Label/value lines: issued, licence number, expires, certificate id, status.
    pub details: Vec<(&'a str, String)>,
    /// Printed under the QR code, wrapped if long.
    pub verify_url: &'a str,
    /// E.g. "Scan to verify, even offline".
    pub verify_hint: &'a str,
    pub qr: QrModules,
    /// The PDF's creation date (the output depends only on the input).
    pub created: chrono::DateTime<chrono::Utc>,
}

/// A CPD transcript: heading, summary sentences and a table that runs over as many pages as needed.
pub struct TranscriptPdf<'a> {
    pub lang: &'a str,
    /// "CPD transcript".
    pub title: &'a str,
    /// Who, which regulator and licence, which cycle.
    pub subtitle: String,
    /// Plain sentences, one paragraph each.
    pub summary: Vec<String>,
    /// The table header (repeated on every page).
    pub columns: Vec<&'a str>,
    /// The table body.
    pub rows: Vec<Vec<String>>,
    /// Printed at the foot of every page, next to "n / N".
    pub footer: String,
    pub created: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font {0} could not be read")]
    Font(&'static str),
    #[error("the QR code matrix is malformed: width {width} but {len} modules")]
    Qr { width: usize, len: usize },
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// Renders the certificate as a one-page A4 PDF.
pub fn certificate_pdf(c: &CertificatePdf<'_>) -> Result<Vec<u8>, PdfError> {
    let qr = &c.qr;
    if qr.width.checked_mul(qr.width) != Some(qr.dark.len()) {
        return Err(PdfError::Qr { width: qr.width, len: qr.dark.len() });
    }
    let fonts = Fonts::load()?;
    let mut document = new_document(c.lang, c.title, Some(c.issuer), c.created);
    let mut page = document.start_page_with(a4()?);
    let mut s = page.surface();
    draw_certificate(&mut s, &fonts, c);
    s.finish();
    page.finish();
    document.finish().map_err(|e| PdfError::Write(e.to_string()))
}

/// Renders the transcript as an A4 PDF of as many pages as the table needs.
pub fn transcript_pdf(t: &TranscriptPdf<'_>) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let layout = TranscriptLayout::new(&fonts, t);
    let pages = layout.paginate();
    let total = pages.len();
    let mut document = new_document(t.lang, t.title, None, t.created);
    for (index, items) in pages.iter().enumerate() {
        let mut page = document.start_page_with(a4()?);
        let mut s = page.surface();
        layout.draw_page(&mut s, index, total, items);
        s.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError::Write(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Document, fonts and text.

fn a4() -> Result<PageSettings, PdfError> {
    PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Write("invalid page size".into()))
}

fn new_document(
    lang: &str,
    title: &str,
    author: Option<&str>,
    created: chrono::DateTime<chrono::Utc>,
) -> Document {
    let mut document = Document::new();
    let mut metadata = Metadata::new()
        .title(clean(title))
        .creator("Lantern".into())
        .producer("Lantern (krilla)".into())
        .creation_date(pdf_date(created));
    if !lang.trim().is_empty() {
        metadata = metadata.language(lang.trim().to_owned());
    }
    if let Some(author) = author.filter(|a| !a.trim().is_empty()) {
        metadata = metadata.authors(vec![clean(author)]);
    }
    document.set_metadata(metadata);
    document
}

fn pdf_date(created: chrono::DateTime<chrono::Utc>) -> DateTime {
    let year = u16::try_from(created.year().clamp(0, 9999)).unwrap_or(0);
    DateTime::new(year)
        .month(u8::try_from(created.month()).unwrap_or(1))
        .day(u8::try_from(created.day()).unwrap_or(1))
        .hour(u8::try_from(created.hour()).unwrap_or(0))
        .minute(u8::try_from(created.minute()).unwrap_or(0))
        .second(u8::try_from(created.second()).unwrap_or(0))
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// Text fit for one line: no control characters (tabs and newlines become spaces) and no
/// invisible bidi controls, which the font has no glyphs for.
fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|ch| match ch {
            '\t' | '\n' | '\r' => Some(' '),
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

#[derive(Clone, Copy)]
struct Rgb(u8, u8, u8);

impl Rgb {
    fn fill(self) -> Fill {
        Fill {
            paint: rgb::Color::new(self.0, self.1, self.2).into(),
            opacity: NormalizedF32::ONE,
            rule: FillRule::NonZero,
        }
    }

    fn stroke(self, width: f32) -> Stroke {
        Stroke { paint: rgb::Color::new(self.0, self.1, self.2).into(), width, ..Stroke::default() }
    }
}

/// A shaping plan, for a direction and script.
type Plan = (rustybuzz::Direction, Option<rustybuzz::Script>, Rc<rustybuzz::ShapePlan>);

/// One font: krilla's handle for embedding and a rustybuzz face for shaping, with the shaping
/// plans made so far (making one costs more than shaping a short line with it).
struct Face {
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
    plans: RefCell<Vec<Plan>>,
    /// Widths of single words in em, as wrapping measures every word.
    words: RefCell<HashMap<String, f32>>,
}

impl Face {
    fn load(data: &'static [u8], name: &'static str) -> Result<Self, PdfError> {
        let pdf = Font::new(data.into(), 0).ok_or(PdfError::Font(name))?;
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or(PdfError::Font(name))?;
        let units_per_em = pdf.units_per_em();
        if units_per_em <= 0.0 {
            return Err(PdfError::Font(name));
        }
        Ok(Self { pdf, shaper, units_per_em, plans: RefCell::default(), words: RefCell::default() })
    }

    /// Shapes one line of (clean) text; advances are in em.
    fn shape(&self, text: &str) -> Vec<KrillaGlyph> {
        if text.is_empty() {
            return Vec::new();
        }
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape_with_plan(&self.shaper, &self.plan(&buffer), buffer);
        let mut starts: Vec<usize> = output.glyph_infos().iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let em = self.units_per_em;
        output
            .glyph_infos()
            .iter()
            .zip(output.glyph_positions())
            .map(|(info, pos)| {
                let start = (info.cluster as usize).min(text.len());
                let end = starts.get(starts.partition_point(|&s| s <= start)).copied().unwrap_or(text.len());
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    pos.x_advance as f32 / em,
                    pos.x_offset as f32 / em,
                    pos.y_offset as f32 / em,
                    pos.y_advance as f32 / em,
                    start..end.max(start),
                    None,
                )
            })
            .collect()
    }

    /// The plan for the buffer's direction and script, as `rustybuzz::shape` would make it.
    fn plan(&self, buffer: &rustybuzz::UnicodeBuffer) -> Rc<rustybuzz::ShapePlan> {
        let direction = buffer.direction();
        let script = Some(buffer.script()).filter(|&s| s != rustybuzz::script::UNKNOWN);
        let mut plans = self.plans.borrow_mut();
        if let Some((_, _, plan)) = plans.iter().find(|(d, s, _)| *d == direction && *s == script) {
            return Rc::clone(plan);
        }
        let plan = Rc::new(rustybuzz::ShapePlan::new(&self.shaper, direction, script, None, &[]));
        plans.push((direction, script, Rc::clone(&plan)));
        plan
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text).iter().map(|g| g.x_advance).sum::<f32>() * size
    }

    /// The width of a word (or of a space), remembered.
    fn word_width(&self, word: &str, size: f32) -> f32 {
        if let Some(&em) = self.words.borrow().get(word) {
            return em * size;
        }
        let em = self.width(word, 1.0);
        self.words.borrow_mut().insert(word.to_owned(), em);
        em * size
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    fn load() -> Result<Self, PdfError> {
        Ok(Self {
            regular: Face::load(REGULAR_TTF, "NotoSans-Regular")?,
            bold: Face::load(BOLD_TTF, "NotoSans-Bold")?,
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
    Right,
}

/// A font, size and colour, with the helpers that measure, wrap and draw text in it.
#[derive(Clone, Copy)]
struct Style<'f> {
    face: &'f Face,
    size: f32,
    color: Rgb,
}

impl<'f> Style<'f> {
    fn new(face: &'f Face, size: f32, color: Rgb) -> Self {
        Self { face, size, color }
    }

    fn width(&self, text: &str) -> f32 {
        self.face.width(text, self.size)
    }

    /// The baseline of a line whose line box starts at `top` and is `line_height` high.
    fn baseline(&self, top: f32, line_height: f32) -> f32 {
        top + (line_height + CAP_HEIGHT * self.size) / 2.0
    }

    /// Draws one line with its left edge, centre or right edge at `x`.
    fn draw(&self, s: &mut Surface<'_>, x: f32, baseline: f32, align: Align, text: &str) {
        let text = clean(text);
        let glyphs = self.face.shape(&text);
        if glyphs.is_empty() {
            return;
        }
        let width = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * self.size;
        let x = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        s.set_fill(Some(self.color.fill()));
        s.set_stroke(None);
        s.draw_glyphs(Point::from_xy(x, baseline), &glyphs, self.face.pdf.clone(), &text, self.size, false);
    }

    fn word_width(&self, word: &str) -> f32 {
        self.face.word_width(word, self.size)
    }

    fn space(&self) -> f32 {
        self.face.word_width(" ", self.size)
    }

    /// Breaks text into lines no wider than `max`: at spaces, and inside words that are too
    /// long on their own (after '/', '-', '.' and the like where possible, as in URLs). Lines
    /// are measured word by word (kerning across a space is negligible).
    fn wrap(&self, text: &str, max: f32) -> Vec<String> {
        let space = self.space();
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            for word in clean(paragraph).split_whitespace() {
                let width = self.word_width(word);
                if !line.is_empty() && line_width + space + width <= max {
                    line.push(' ');
                    line.push_str(word);
                    line_width += space + width;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if width <= max {
                    line = word.to_owned();
                    line_width = width;
                } else {
                    let mut pieces = self.break_word(word, max);
                    line = pieces.pop().unwrap_or_default();
                    line_width = self.width(&line);
                    lines.extend(pieces);
                }
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        lines
    }

    fn break_word(&self, word: &str, max: f32) -> Vec<String> {
        let mut segments = Vec::new();
        let mut start = 0;
        for (i, ch) in word.char_indices() {
            if matches!(ch, '/' | '-' | '.' | '?' | '&' | '=' | '_' | '#' | ':' | ',' | ';') {
                let end = i + ch.len_utf8();
                segments.push(&word[start..end]);
                start = end;
            }
        }
        if start < word.len() {
            segments.push(&word[start..]);
        }
        let mut lines = Vec::new();
        let mut line = String::new();
        for segment in segments {
            let candidate = format!("{line}{segment}");
            if self.width(&candidate) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for ch in segment.chars() {
                let mut candidate = line.clone();
                candidate.push(ch);
                if !line.is_empty() && self.width(&candidate) > max {
                    lines.push(std::mem::take(&mut line));
                    line.push(ch);
                } else {
                    line = candidate;
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// The text, cut short with "…" if it is wider than `max`.
    fn truncate(&self, text: &str, max: f32) -> String {
        let text = clean(text);
        if self.width(&text) <= max {
            return text;
        }
        let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        // The longest prefix that still fits with the ellipsis (binary search on char count).
        let (mut lo, mut hi) = (0, ends.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let prefix = ends.get(mid).map_or(text.as_str(), |&i| &text[..i]);
            if self.width(&format!("{}{ELLIPSIS}", prefix.trim_end())) <= max {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let prefix = ends.get(lo).map_or(text.as_str(), |&i| &text[..i]);
        format!("{}{ELLIPSIS}", prefix.trim_end())
    }

    /// Like [`Style::wrap_limited`], but with lines of even length (for centred text): the
    /// narrowest width that needs no more lines than `max` does.
    fn wrap_balanced(&self, text: &str, max: f32, max_lines: usize) -> Vec<String> {
        let lines = self.wrap_limited(text, max, max_lines);
        if lines.len() < 2 || lines.len() > max_lines {
            return lines;
        }
        let (mut lo, mut hi) = (max / 2.0, max);
        for _ in 0..12 {
            let mid = (lo + hi) / 2.0;
            if self.wrap(text, mid).len() <= lines.len() {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        self.wrap_limited(text, hi, max_lines)
    }

    /// Wraps, keeping at most `max_lines` lines; the last one ends with "…" if text was cut.
    fn wrap_limited(&self, text: &str, max: f32, max_lines: usize) -> Vec<String> {
        let mut lines = self.wrap(text, max);
        if lines.len() > max_lines && max_lines > 0 {
            let rest = lines.split_off(max_lines - 1).join(" ");
            lines.push(self.truncate(&format!("{rest}{ELLIPSIS}"), max));
        }
        lines
    }
}

fn fill_rect(s: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
    let Some(rect) = Rect::from_xywh(x, y, w, h) else { return };
    let mut pb = PathBuilder::new();
    pb.push_rect(rect);
    if let Some(path) = pb.finish() {
        s.set_stroke(None);
        s.set_fill(Some(color.fill()));
        s.draw_path(&path);
    }
}

fn stroke_rect(s: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, color: Rgb, width: f32) {
    let Some(rect) = Rect::from_xywh(x, y, w, h) else { return };
    let mut pb = PathBuilder::new();
    pb.push_rect(rect);
    if let Some(path) = pb.finish() {
        s.set_fill(None);
        s.set_stroke(Some(color.stroke(width)));
        s.draw_path(&path);
    }
}

fn hline(s: &mut Surface<'_>, x1: f32, x2: f32, y: f32, color: Rgb, width: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(x1, y);
    pb.line_to(x2, y);
    if let Some(path) = pb.finish() {
        s.set_fill(None);
        s.set_stroke(Some(color.stroke(width)));
        s.draw_path(&path);
    }
}

// ---------------------------------------------------------------------------------------------
// Certificate.

/// A piece of the certificate's upper block, positioned relative to the block's top.
enum Piece<'f> {
    /// A centred line of text in a line box starting at `top`.
    Line {
        style: Style<'f>,
        top: f32,
        height: f32,
        text: String,
    },
    Band {
        top: f32,
        width: f32,
        height: f32,
    },
    Rule {
        top: f32,
    },
}

/// Adds centred lines of text below `y`, moving `y` down.
fn lines<'f>(pieces: &mut Vec<Piece<'f>>, y: &mut f32, style: Style<'f>, leading: f32, text: &[String]) {
    for line in text {
        pieces.push(Piece::Line { style, top: *y, height: leading, text: line.clone() });
        *y += leading;
    }
}

fn draw_certificate(s: &mut Surface<'_>, f: &Fonts, c: &CertificatePdf<'_>) {
    // A double frame.
    stroke_rect(s, 10.0 * MM, 10.0 * MM, PAGE_W - 20.0 * MM, PAGE_H - 20.0 * MM, ACCENT, 1.4);
    stroke_rect(s, 12.5 * MM, 12.5 * MM, PAGE_W - 25.0 * MM, PAGE_H - 25.0 * MM, ACCENT, 0.4);

    let center = PAGE_W / 2.0;
    let left = 25.0 * MM;
    let right = PAGE_W - 25.0 * MM;
    let text_width = right - left;

    // The upper block: issuer, title, a short rule, recipient, achievement, credits.
    let mut pieces = Vec::new();
    let mut y = 0.0;
    let issuer = Style::new(&f.bold, 12.0, ACCENT);
    lines(&mut pieces, &mut y, issuer, 16.0, &issuer.wrap_balanced(c.issuer, text_width, 2));
    y += 8.0 * MM;
    let title = Style::new(&f.bold, 26.0, INK);
    lines(&mut pieces, &mut y, title, 34.0, &title.wrap_balanced(c.title, text_width, 2));
    y += 5.0 * MM;
    pieces.push(Piece::Rule { top: y });
    y += 15.0 * MM;
    // The recipient: as large as fits on one line (32 pt down to 20 pt), else wrapped.
    let mut recipient = Style::new(&f.bold, 32.0, ACCENT);
    while recipient.size > 20.0 && recipient.width(&clean(c.recipient)) > text_width {
        recipient.size -= 1.0;
    }
    let recipient_lines = recipient.wrap_balanced(c.recipient, text_width, 3);
    lines(&mut pieces, &mut y, recipient, recipient.size * 1.25, &recipient_lines);
    y += 9.0 * MM;
    let achievement = Style::new(&f.regular, 16.0, INK);
    lines(&mut pieces, &mut y, achievement, 22.0, &achievement.wrap_balanced(c.achievement, 140.0 * MM, 4));
    y += 8.0 * MM;
    let credits = Style::new(&f.bold, 13.0, INK);
    let credit_lines = credits.wrap_balanced(c.credits_line, 130.0 * MM, 2);
    if !credit_lines.is_empty() {
        let widest = credit_lines.iter().map(|l| credits.width(l)).fold(0.0, f32::max);
        let height = credit_lines.len() as f32 * 18.0 + 12.0;
        pieces.push(Piece::Band { top: y, width: widest + 16.0 * MM, height });
        let mut band_y = y + 6.0;
        lines(&mut pieces, &mut band_y, credits, 18.0, &credit_lines);
        y += height;
    }
    let upper_h = y;

    // The lower block: details on the left, the QR code on the right, anchored to the bottom.
    let qr_size = 40.0 * MM;
    let qr_col_w = 62.0 * MM;
    let qr_col_x = right - qr_col_w;
    let url = Style::new(&f.regular, 7.0, MUTED);
    let url_lines = url.wrap_limited(c.verify_url, qr_col_w, 6);
    let hint = Style::new(&f.bold, 8.5, INK);
    let hint_lines = hint.wrap_balanced(c.verify_hint, qr_col_w, 3);
    let qr_block_h =
        qr_size + 2.0 * MM + url_lines.len() as f32 * 9.0 + 1.5 * MM + hint_lines.len() as f32 * 11.0;

    let label = Style::new(&f.bold, 8.0, MUTED);
    let value = Style::new(&f.regular, 10.5, INK);
    let details_w = qr_col_x - 8.0 * MM - left;
    let details: Vec<(String, Vec<String>)> = c
        .details
        .iter()
        .map(|(l, v)| (label.truncate(l, details_w), value.wrap_limited(v, details_w, 3)))
        .collect();
    let details_h: f32 = details.iter().map(|(_, v)| 11.0 + v.len().max(1) as f32 * 14.0 + 7.0).sum();

    // The upper block sits a little above the middle of the space left above the lower block.
    let region_top = 30.0 * MM;
    let block_h = qr_block_h.max(details_h);
    let lower_top = (PAGE_H - 24.0 * MM - block_h).max(region_top + upper_h + 22.0 * MM);
    let region_h = lower_top - 14.0 * MM - region_top;
    let upper_top = region_top + ((region_h - upper_h) * 0.4).max(0.0);
    for piece in &pieces {
        match piece {
            Piece::Line { style, top, height, text } => {
                style.draw(s, center, style.baseline(upper_top + top, *height), Align::Center, text)
            }
            Piece::Band { top, width, height } => {
                fill_rect(s, center - width / 2.0, upper_top + top, *width, *height, TINT)
            }
            Piece::Rule { top } => {
                hline(s, center - 15.0 * MM, center + 15.0 * MM, upper_top + top, ACCENT, 1.2)
            }
        }
    }
    hline(s, left, right, lower_top - 8.0 * MM, RULE, 0.6);

    // Details, each a small label above its value, centred against the QR code when shorter.
    let mut dy = lower_top + ((qr_size - details_h) / 2.0).max(0.0);
    for (l, v) in &details {
        label.draw(s, left, label.baseline(dy, 11.0), Align::Left, l);
        dy += 11.0;
        for line in v {
            value.draw(s, left, value.baseline(dy, 14.0), Align::Left, line);
            dy += 14.0;
        }
        dy += 7.0;
    }

    // The QR code with its quiet zone, then the URL and the hint.
    let qr_center = qr_col_x + qr_col_w / 2.0;
    draw_qr(s, &c.qr, qr_center - qr_size / 2.0, lower_top, qr_size);
    let mut qy = lower_top + qr_size + 2.0 * MM;
    for line in &url_lines {
        url.draw(s, qr_center, url.baseline(qy, 9.0), Align::Center, line);
        qy += 9.0;
    }
    qy += 1.5 * MM;
    for line in &hint_lines {
        hint.draw(s, qr_center, hint.baseline(qy, 11.0), Align::Center, line);
        qy += 11.0;
    }
}

/// Draws the code as filled squares (runs of dark modules merged into one rectangle) inside a
/// `size` square that includes a quiet zone of four modules on every side.
fn draw_qr(s: &mut Surface<'_>, qr: &QrModules, x: f32, y: f32, size: f32) {
    if qr.width == 0 {
        return;
    }
    let module = size / (qr.width + 8) as f32;
    let origin_x = x + 4.0 * module;
    let origin_y = y + 4.0 * module;
    let mut pb = PathBuilder::new();
    for (row, cells) in qr.dark.chunks(qr.width).enumerate() {
        let mut col = 0;
        while col < cells.len() {
            if !cells[col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < cells.len() && cells[col] {
                col += 1;
            }
            let rect = Rect::from_xywh(
                origin_x + start as f32 * module,
                origin_y + row as f32 * module,
                (col - start) as f32 * module,
                module,
            );
            if let Some(rect) = rect {
                pb.push_rect(rect);
            }
        }
    }
    if let Some(path) = pb.finish() {
        s.set_stroke(None);
        s.set_fill(Some(Rgb(0, 0, 0).fill()));
        s.draw_path(&path);
    }
}

// ---------------------------------------------------------------------------------------------
// Transcript.

const T_LEFT: f32 = 18.0 * MM;
const T_RIGHT: f32 = PAGE_W - 18.0 * MM;
const T_TOP: f32 = 18.0 * MM;
/// Content stops here; the footer lives below.
const T_BOTTOM: f32 = PAGE_H - 22.0 * MM;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.5;
const CELL_SIZE: f32 = 8.5;
const CELL_LEADING: f32 = 11.0;
const MAX_CELL_LINES: usize = 5;

/// Something placed in the flow of the transcript.
enum Block {
    /// A line of text; `gap` is the space above it unless it starts a page.
    Line {
        text: String,
        kind: LineKind,
        gap: f32,
    },
    Rule {
        gap: f32,
    },
    /// A table row: its wrapped cells and height.
    Row {
        index: usize,
        cells: Vec<Vec<String>>,
        height: f32,
    },
}

#[derive(Clone, Copy)]
enum LineKind {
    Title,
    Subtitle,
    Summary,
}

/// A block (by index) or the table header, at a vertical position on a page.
enum Placed {
    Block(usize, f32),
    Header(f32),
}

struct TranscriptLayout<'a> {
    fonts: &'a Fonts,
    t: &'a TranscriptPdf<'a>,
    widths: Vec<f32>,
    right_aligned: Vec<bool>,
    header: Vec<Vec<String>>,
    header_height: f32,
    blocks: Vec<Block>,
}

impl<'a> TranscriptLayout<'a> {
    fn new(fonts: &'a Fonts, t: &'a TranscriptPdf<'a>) -> Self {
        let mut layout = Self {
            fonts,
            t,
            widths: Vec::new(),
            right_aligned: Vec::new(),
            header: Vec::new(),
            header_height: 0.0,
            blocks: Vec::new(),
        };
        let width = T_RIGHT - T_LEFT;
        for (i, line) in layout.title_style().wrap_limited(t.title, width, 2).into_iter().enumerate() {
            let gap = if i == 0 { 0.0 } else { 2.0 };
            layout.blocks.push(Block::Line { text: line, kind: LineKind::Title, gap });
        }
        for (i, line) in layout.subtitle_style().wrap(&t.subtitle, width).into_iter().enumerate() {
            let gap = if i == 0 { 4.0 } else { 0.0 };
            layout.blocks.push(Block::Line { text: line, kind: LineKind::Subtitle, gap });
        }
        layout.blocks.push(Block::Rule { gap: 4.0 * MM });
        let mut first_paragraph = true;
        for paragraph in &t.summary {
            for (i, line) in layout.summary_style().wrap(paragraph, width).into_iter().enumerate() {
                let gap = match (i, first_paragraph) {
                    (0, true) => 4.0 * MM,
                    (0, false) => 5.0,
                    _ => 0.0,
                };
                layout.blocks.push(Block::Line { text: line, kind: LineKind::Summary, gap });
            }
            first_paragraph = false;
        }
        layout.lay_out_table();
        layout
    }

    fn title_style(&self) -> Style<'a> {
        Style::new(&self.fonts.bold, 20.0, INK)
    }

    fn subtitle_style(&self) -> Style<'a> {
        Style::new(&self.fonts.regular, 10.5, MUTED)
    }

    fn summary_style(&self) -> Style<'a> {
        Style::new(&self.fonts.regular, 10.0, INK)
    }

    fn cell_style(&self) -> Style<'a> {
        Style::new(&self.fonts.regular, CELL_SIZE, INK)
    }

    fn head_style(&self) -> Style<'a> {
        Style::new(&self.fonts.bold, CELL_SIZE, INK)
    }

    fn line_height(kind: LineKind) -> f32 {
        match kind {
            LineKind::Title => 26.0,
            LineKind::Subtitle => 14.0,
            LineKind::Summary => 14.0,
        }
    }

    fn columns(&self) -> usize {
        self.t.rows.iter().map(Vec::len).fold(self.t.columns.len(), usize::max)
    }

    fn cell(&self, row: usize, col: usize) -> &str {
        self.t.rows.get(row).and_then(|r| r.get(col)).map_or("", String::as_str)
    }

    /// Sizes the columns to their content and wraps every cell (see [`column_widths`]).
    fn lay_out_table(&mut self) {
        let n = self.columns();
        if n == 0 || self.t.rows.is_empty() {
            return;
        }
        let (cell, head) = (self.cell_style(), self.head_style());
        let header: Vec<Measured> =
            (0..n).map(|col| Measured::new(&head, self.t.columns.get(col).copied().unwrap_or(""))).collect();
        let body: Vec<Vec<Measured>> = (0..self.t.rows.len())
            .map(|row| (0..n).map(|col| Measured::new(&cell, self.cell(row, col))).collect())
            .collect();
        let spaces = (head.space(), cell.space());
        self.widths = column_widths(&header, &body, spaces, T_RIGHT - T_LEFT);
        self.right_aligned = (0..n)
            .map(|col| {
                let mut values =
                    (0..self.t.rows.len()).map(|row| self.cell(row, col).trim()).filter(|v| !v.is_empty());
                let first = values.next();
                first.is_some_and(is_number) && values.all(is_number)
            })
            .collect();
        self.header = (0..n)
            .map(|col| {
                let text = self.t.columns.get(col).copied().unwrap_or("");
                head.wrap_limited(text, self.widths[col] - 2.0 * CELL_PAD_X, MAX_CELL_LINES)
            })
            .collect();
        self.header_height = row_height(&self.header);
        for index in 0..self.t.rows.len() {
            let cells: Vec<Vec<String>> = (0..n)
                .map(|col| {
                    cell.wrap_limited(
                        self.cell(index, col),
                        self.widths[col] - 2.0 * CELL_PAD_X,
                        MAX_CELL_LINES,
                    )
                })
                .collect();
            let height = row_height(&cells);
            self.blocks.push(Block::Row { index, cells, height });
        }
    }

    /// Distributes the blocks over pages; every page that shows table rows starts the table
    /// with its header.
    fn paginate(&self) -> Vec<Vec<Placed>> {
        let mut pages = Vec::new();
        let mut items = Vec::new();
        let mut y = T_TOP;
        let mut header_on_page = false;
        for (i, block) in self.blocks.iter().enumerate() {
            let (gap, height) = match block {
                Block::Line { kind, gap, .. } => (*gap, Self::line_height(*kind)),
                Block::Rule { gap } => (*gap, 0.0),
                Block::Row { height, .. } => {
                    let gap = if header_on_page { 0.0 } else { 5.0 * MM };
                    let header = if header_on_page { 0.0 } else { self.header_height };
                    (gap, header + height)
                }
            };
            if !items.is_empty() && y + gap + height > T_BOTTOM {
                pages.push(std::mem::take(&mut items));
                y = self.continuation_top();
                header_on_page = false;
            } else if !items.is_empty() {
                y += gap;
            }
            if let Block::Row { height, .. } = block {
                if !header_on_page {
                    items.push(Placed::Header(y));
                    y += self.header_height;
                    header_on_page = true;
                }
                items.push(Placed::Block(i, y));
                y += height;
            } else {
                items.push(Placed::Block(i, y));
                y += height;
            }
        }
        pages.push(items);
        pages
    }

    /// Where content starts on pages after the first (below the running head).
    fn continuation_top(&self) -> f32 {
        T_TOP + 10.0 * MM
    }

    fn draw_page(&self, s: &mut Surface<'_>, index: usize, total: usize, items: &[Placed]) {
        if index > 0 {
            // Running head: the title and subtitle, on one line.
            let head = Style::new(&self.fonts.regular, 8.0, MUTED);
            let text = format!("{} · {}", clean(self.t.title), clean(&self.t.subtitle));
            head.draw(s, T_LEFT, T_TOP + 8.0, Align::Left, &head.truncate(&text, T_RIGHT - T_LEFT));
            hline(s, T_LEFT, T_RIGHT, T_TOP + 4.5 * MM, RULE, 0.5);
        }
        for item in items {
            match *item {
                Placed::Header(y) => self.draw_row(s, y, &self.header, self.header_height, None),
                Placed::Block(i, y) => match self.blocks.get(i) {
                    Some(Block::Line { text, kind, .. }) => {
                        let style = match kind {
                            LineKind::Title => self.title_style(),
                            LineKind::Subtitle => self.subtitle_style(),
                            LineKind::Summary => self.summary_style(),
                        };
                        let height = Self::line_height(*kind);
                        style.draw(s, T_LEFT, style.baseline(y, height), Align::Left, text);
                    }
                    Some(Block::Rule { .. }) => hline(s, T_LEFT, T_RIGHT, y, RULE, 0.8),
                    Some(Block::Row { index, cells, height }) => {
                        self.draw_row(s, y, cells, *height, Some(*index))
                    }
                    None => {}
                },
            }
        }
        self.draw_footer(s, index, total);
    }

    /// A table row (`index` None for the header) with its background and bottom rule.
    fn draw_row(
        &self,
        s: &mut Surface<'_>,
        y: f32,
        cells: &[Vec<String>],
        height: f32,
        index: Option<usize>,
    ) {
        let width = T_RIGHT - T_LEFT;
        let style = match index {
            None => {
                fill_rect(s, T_LEFT, y, width, height, HEADER_BG);
                self.head_style()
            }
            Some(i) => {
                if i % 2 == 1 {
                    fill_rect(s, T_LEFT, y, width, height, STRIPE);
                }
                self.cell_style()
            }
        };
        let mut x = T_LEFT;
        for (col, lines) in cells.iter().enumerate() {
            let w = self.widths.get(col).copied().unwrap_or(0.0);
            let right = self.right_aligned.get(col).copied().unwrap_or(false);
            let (tx, align) =
                if right { (x + w - CELL_PAD_X, Align::Right) } else { (x + CELL_PAD_X, Align::Left) };
            let mut ly = y + CELL_PAD_Y;
            for line in lines {
                style.draw(s, tx, style.baseline(ly, CELL_LEADING), align, line);
                ly += CELL_LEADING;
            }
            x += w;
        }
        let (rule, rule_width) = if index.is_none() { (ACCENT, 0.8) } else { (RULE, 0.4) };
        hline(s, T_LEFT, T_RIGHT, y + height, rule, rule_width);
    }

    fn draw_footer(&self, s: &mut Surface<'_>, index: usize, total: usize) {
        let style = Style::new(&self.fonts.regular, 7.5, MUTED);
        let top = PAGE_H - 16.0 * MM;
        hline(s, T_LEFT, T_RIGHT, top, RULE, 0.5);
        let number = format!("{} / {}", index + 1, total);
        let number_w = style.width(&number);
        style.draw(s, T_RIGHT, style.baseline(top + 2.0 * MM, 10.0), Align::Right, &number);
        let max = T_RIGHT - T_LEFT - number_w - 8.0 * MM;
        let mut y = top + 2.0 * MM;
        for line in style.wrap_limited(&self.t.footer, max, 2) {
            style.draw(s, T_LEFT, style.baseline(y, 10.0), Align::Left, &line);
            y += 10.0;
        }
    }
}

/// A cell measured once: its width on one line and the widths of its words.
struct Measured {
    natural: f32,
    words: Vec<f32>,
}

impl Measured {
    fn new(style: &Style<'_>, text: &str) -> Self {
        let text = clean(text);
        let words: Vec<f32> = text.split_whitespace().map(|w| style.word_width(w)).collect();
        let spaces = words.len().saturating_sub(1) as f32 * style.space();
        Self { natural: words.iter().sum::<f32>() + spaces, words }
    }

    fn longest_word(&self) -> f32 {
        self.words.iter().copied().fold(0.0, f32::max)
    }

    /// How many lines greedy wrapping at `max` gives (as [`Style::wrap`] does, near enough).
    fn lines(&self, space: f32, max: f32) -> usize {
        let max = max.max(1.0);
        let mut lines = 0;
        let mut current: Option<f32> = None;
        for &w in &self.words {
            match current {
                Some(c) if c + space + w <= max => current = Some(c + space + w),
                _ if w <= max => {
                    lines += 1;
                    current = Some(w);
                }
                _ => {
                    let pieces = (w / max).ceil();
                    lines += pieces as usize;
                    current = Some(w - (pieces - 1.0) * max);
                }
            }
        }
        lines.clamp(1, MAX_CELL_LINES)
    }
}

/// Column widths that fit `available`. If every column fits on one line, each gets that width
/// and the spare room goes to the columns of running text. Otherwise no column gets less than
/// its longest word (within reason), and the room left over goes to the columns that wrap,
/// shared out in whichever of a few ways gives the shortest table.
fn column_widths(
    header: &[Measured],
    body: &[Vec<Measured>],
    spaces: (f32, f32),
    available: f32,
) -> Vec<f32> {
    let n = header.len();
    let pad = 2.0 * CELL_PAD_X + 0.5;
    let column = |col: usize| body.iter().filter_map(move |row| row.get(col));
    let natural: Vec<f32> = (0..n)
        .map(|col| {
            let head = header[col].longest_word();
            column(col).map(|m| m.natural).fold(head, f32::max) + pad
        })
        .collect();
    let minimum: Vec<f32> = (0..n)
        .map(|col| {
            let word = column(col).map(Measured::longest_word).fold(header[col].longest_word(), f32::max);
            (word + pad).min(available * 0.3).min(natural[col])
        })
        .collect();
    let (total, total_min) = (natural.iter().sum::<f32>(), minimum.iter().sum::<f32>());
    if total <= available {
        // Spare room goes to the columns of running text (several words in a cell), if any.
        let text: Vec<bool> = (0..n).map(|col| column(col).any(|m| m.words.len() > 1)).collect();
        let any_text = text.contains(&true);
        let grows = |col: usize| text[col] || !any_text;
        let growing: f32 = (0..n).filter(|&col| grows(col)).map(|col| natural[col]).sum();
        return (0..n)
            .map(|col| {
                let extra =
                    if grows(col) { (available - total) * natural[col] / growing.max(1.0) } else { 0.0 };
                natural[col] + extra
            })
            .collect();
    }
    if total_min >= available {
        return minimum.iter().map(|w| w * available / total_min.max(1.0)).collect();
    }
    // The height of the table in lines, then the number of lines of all cells (fewer wrapped
    // cells read better at the same height).
    let cost = |widths: &[f32]| -> (usize, usize) {
        let lines = |cells: &[Measured], space: f32| {
            let lines = cells.iter().zip(widths).map(|(m, w)| m.lines(space, w - 2.0 * CELL_PAD_X));
            lines.fold((1, 0), |(most, all), l| (most.max(l), all + l))
        };
        std::iter::once(lines(header, spaces.0))
            .chain(body.iter().map(|row| lines(row, spaces.1)))
            .fold((0, 0), |(height, all), (h, a)| (height + h, all + a))
    };
    let mut best: Option<((usize, usize), Vec<f32>)> = None;
    for exponent in [0.0_f32, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0] {
        let widths = share_out(&minimum, &natural, available - total_min, exponent);
        let c = cost(&widths);
        if best.as_ref().is_none_or(|(b, _)| c < *b) {
            best = Some((c, widths));
        }
    }
    best.map_or(minimum, |(_, widths)| widths)
}

/// Adds `extra` to `minimum`, in proportion to (natural − minimum)^exponent, without giving any
/// column more than its natural width.
fn share_out(minimum: &[f32], natural: &[f32], extra: f32, exponent: f32) -> Vec<f32> {
    let mut widths = minimum.to_vec();
    let mut extra = extra;
    let mut open: Vec<usize> = (0..widths.len()).filter(|&i| natural[i] > minimum[i]).collect();
    while !open.is_empty() && extra > 0.01 {
        let weight = |i: usize| (natural[i] - minimum[i]).powf(exponent);
        let total: f32 = open.iter().map(|&i| weight(i)).sum();
        if total <= 0.0 {
            break;
        }
        let full: Vec<usize> =
            open.iter().copied().filter(|&i| widths[i] + extra * weight(i) / total >= natural[i]).collect();
        if full.is_empty() {
            for &i in &open {
                widths[i] += extra * weight(i) / total;
            }
            break;
        }
        for &i in &full {
            extra -= natural[i] - widths[i];
            widths[i] = natural[i];
        }
        open.retain(|i| !full.contains(i));
    }
    widths
}

fn row_height(cells: &[Vec<String>]) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * CELL_LEADING + 2.0 * CELL_PAD_Y
}

/// Whether a cell holds a number ("5", "1.5", "-2", "1 234,5"), so its column is right-aligned.
fn is_number(text: &str) -> bool {
    let mut digits = false;
    for (i, ch) in text.chars().enumerate() {
        match ch {
            '0'..='9' => digits = true,
            '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' => {}
            '-' | '+' | '−' if i == 0 => {}
            _ => return false,
        }
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn created() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc.with_ymd_and_hms(2026, 11, 23, 10, 30, 0).unwrap()
    }

    fn qr(text: &str) -> QrModules {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).unwrap();
        QrModules {
            width: code.width(),
            dark: code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect(),
        }
    }

    const URL: &str = concat!(
        "https://lantern.example.org/verify/c/01JD3QW6Z8K2M4N5P6R7S8T9V0",
        "#eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJrbmMifQ"
    );

    fn certificate() -> CertificatePdf<'static> {
        CertificatePdf {
            lang: "fr",
            title: "Certificat de réussite",
            recipient: "Rénée Ødegård",
            achievement: "Éthique et déontologie des soins infirmiers (v3)",
            issuer: "Conseil national de l’Ordre des infirmiers",
            credits_line: "5 crédits de DPC · Éthique",
            details: vec![
                ("Délivré le", "23 novembre 2026".to_owned()),
                ("Numéro de licence", "KE-123456".to_owned()),
                ("Expire le", "22 novembre 2029".to_owned()),
                ("Identifiant du certificat", "01JD3QW6Z8K2M4N5P6R7S8T9V0".to_owned()),
                ("Statut", "Valide".to_owned()),
            ],
            verify_url: URL,
            verify_hint: "Scannez pour vérifier, même hors ligne",
            qr: qr(URL),
            created: created(),
        }
    }

    fn rows(n: usize) -> Vec<Vec<String>> {
        (0..n)
            .map(|i| {
                let title = match i % 4 {
                    0 => "Infection prevention and control in primary care: hand hygiene, PPE and safe \
                          injection practices"
                        .to_owned(),
                    1 => "Ethics case review".to_owned(),
                    2 => format!(
                        "Workshop {i}: maternal and newborn health — emergency obstetric care refresher"
                    ),
                    _ => "Pharmacovigilance basics".to_owned(),
                };
                vec![
                    format!("2026-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
                    title,
                    if i % 3 == 0 { "Course".to_owned() } else { "Outside activity".to_owned() },
                    ["Ethics", "Clinical practice", "Professional development"][i % 3].to_owned(),
                    format!("{}.5", i % 7),
                    format!("{}", i % 5),
                    if i % 5 == 0 { "Over the category cap".to_owned() } else { String::new() },
                ]
            })
            .collect()
    }

    fn transcript(n: usize) -> TranscriptPdf<'static> {
        TranscriptPdf {
            lang: "en",
            title: "CPD transcript",
            subtitle: "Amina Otieno · Kenya Nursing Council · licence KE-1 · cycle 1 Jan 2026 – 31 Dec 2026"
                .into(),
            summary: vec![
                "Requirement met · 42.5 credits counted".into(),
                "At least 20 credits were needed in the cycle, including 5 in Ethics. Credits above the \
                 category cap of 10 for outside activities do not count towards the requirement."
                    .into(),
            ],
            columns: vec!["Date", "Activity", "Kind", "Category", "Credits", "Counted", "Note"],
            rows: rows(n),
            footer: "Generated 23 Nov 2026 by Lantern — verify at https://lantern.example.org/verify".into(),
            created: created(),
        }
    }

    fn pages(pdf: &[u8]) -> usize {
        lopdf::Document::load_mem(pdf).unwrap().get_pages().len()
    }

    fn text(pdf: &[u8]) -> String {
        let doc = lopdf::Document::load_mem(pdf).unwrap();
        let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
        doc.extract_text(&numbers).unwrap()
    }

    #[test]
    fn certificate_is_a_deterministic_pdf_with_the_name() {
        let a = certificate_pdf(&certificate()).unwrap();
        let b = certificate_pdf(&certificate()).unwrap();
        assert!(a.starts_with(b"%PDF-"));
        assert!(a == b, "two renders differ");
        assert!(a.len() < 100_000, "certificate is {} bytes", a.len());
        assert_eq!(pages(&a), 1);
        let doc = lopdf::Document::load_mem(&a).unwrap();
        assert_eq!(doc.catalog().unwrap().get(b"Lang").unwrap().as_str().unwrap(), b"fr");
        let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
        assert_eq!(info.get(b"Creator").unwrap().as_str().unwrap(), b"Lantern");
        assert!(info.has(b"Title") && info.has(b"CreationDate"));
        let text = text(&a);
        for needle in ["Rénée Ødegård", "Délivré le", "crédits", "Certificat de réussite"] {
            assert!(text.contains(needle), "{needle:?} not in {text:?}");
        }
    }

    #[test]
    fn transcript_is_deterministic_and_runs_over_pages() {
        let a = transcript_pdf(&transcript(200)).unwrap();
        let b = transcript_pdf(&transcript(200)).unwrap();
        assert!(a.starts_with(b"%PDF-"));
        assert!(a == b, "two renders differ");
        let n = pages(&a);
        assert!(n > 1, "{n} pages");
        let text = text(&a);
        assert!(text.contains(&format!("1 / {n}")) && text.contains(&format!("{n} / {n}")), "{text}");
        // The header is repeated on every page.
        assert_eq!(text.matches("Activity").count(), n, "{text}");
        assert_eq!(pages(&transcript_pdf(&transcript(3)).unwrap()), 1);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let mut c = certificate();
        c.recipient = "Αλέξανδρος Παπαδόπουλος-Βασιλείου Щербаков 王小明 محمد";
        c.title = "";
        c.details = vec![("", "x".repeat(400))];
        c.verify_url = "";
        c.qr = QrModules { width: 0, dark: Vec::new() };
        assert!(certificate_pdf(&c).unwrap().starts_with(b"%PDF-"));
        c.qr = QrModules { width: 3, dark: vec![true; 8] };
        assert!(matches!(certificate_pdf(&c), Err(PdfError::Qr { width: 3, len: 8 })));

        let mut t = transcript(0);
        t.columns = Vec::new();
        t.summary = vec!["\u{2068}x\u{2069}\t\n".into(), String::new()];
        assert_eq!(pages(&transcript_pdf(&t).unwrap()), 1);
        t.rows = vec![vec!["w".repeat(5000)], vec![], vec!["a".into(), "b".into(), "c".into()]];
        t.summary = vec!["long ".repeat(3000)];
        assert!(pages(&transcript_pdf(&t).unwrap()) > 1);
    }

    #[test]
    fn wrapping_and_truncation_fit() {
        let fonts = Fonts::load().unwrap();
        let style = Style::new(&fonts.regular, 10.0, INK);
        for line in style.wrap(URL, 100.0) {
            assert!(style.width(&line) <= 100.0, "{line}");
        }
        assert_eq!(style.wrap(URL, 100.0).concat(), URL);
        let cut = style.truncate("A rather long activity title that does not fit", 80.0);
        assert!(cut.ends_with('…') && style.width(&cut) <= 80.0, "{cut}");
        assert_eq!(style.truncate("Short", 80.0), "Short");
        assert!(is_number("12.5") && is_number("1 234,5") && !is_number("v3") && !is_number("-"));
    }

    /// Odd and ordinary documents are all written, and left in the temporary folder's
    /// `lantern-pdf/` for a person to look at (`pdftoppm -png -r 60`).
    #[test]
    fn odd_and_ordinary_samples_are_written() {
        let dir = std::env::temp_dir().join("lantern-pdf");
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, pdf: Vec<u8>| {
            assert!(pdf.starts_with(b"%PDF-") && pages(&pdf) >= 1, "{name}");
            std::fs::write(dir.join(name), pdf).unwrap();
        };
        let c = certificate_pdf(&certificate()).unwrap();
        let t = transcript_pdf(&transcript(200)).unwrap();
        assert!(pages(&t) > 1, "200 rows take more than a page");
        write("certificate.pdf", c);
        write("transcript.pdf", t);
        let mut en = certificate();
        en.lang = "en";
        en.title = "Certificate of completion";
        en.recipient = "Amina Wanjiku Otieno-Kamau";
        en.achievement = "Infection prevention and control in primary care (version 2.1)";
        en.issuer = "Kenya Nursing Council";
        en.credits_line = "5 CPD credits · Ethics";
        write("certificate-en.pdf", certificate_pdf(&en).unwrap());
        en.recipient = "Αλέξανδρος Παπαδόπουλος-Βασιλείου Щербаков Александр Сергеевич";
        en.achievement = "Infection prevention and control in primary care: hand hygiene, personal \
                          protective equipment, safe injection practices and waste management (version 12)";
        en.details.push(("Note", "word ".repeat(60)));
        en.verify_hint = "";
        write("certificate-odd.pdf", certificate_pdf(&en).unwrap());
        let mut few = transcript(2);
        few.columns = vec!["Date", "Activity"];
        few.rows = vec![vec!["2026-01-01".into(), "Ethics case review".into()], vec!["2026-02-01".into()]];
        write("transcript-few.pdf", transcript_pdf(&few).unwrap());
        few.summary = vec!["A long explanation. ".repeat(200)];
        few.rows = vec![vec!["x".repeat(2000), "y ".repeat(500)]; 20];
        write("transcript-odd.pdf", transcript_pdf(&few).unwrap());
    }
}
