//! Uploaded course images: checked, cleaned of private metadata, and turned into phone-sized renditions.
//!
//! Clinicians read lessons on cheap phones over slow connections and pay for every megabyte, so the
//! images we serve must be small. Photos taken on phones also carry EXIF metadata, often with the GPS
//! position where they were taken, which we must never store or pass on.
//!
//! * [`inspect`] reads an image's type and size from its header without decoding pixels, and refuses
//!   images too large to decode safely (a "pixel flood": a small file claiming 100 000 × 100 000 pixels).
//! * [`clean_original`] removes the metadata from the original, losslessly where it can.
//! * [`variants`] makes the renditions we send to phones: lossy WebP, plus JPEG (or PNG when the image
//!   has transparency) for browsers without WebP.
//!
//! Only JPEG, PNG and WebP are accepted. Nothing here starts a thread: each call runs on the calling
//! thread (a blocking one, as the work is CPU-bound), so the caller decides how many run at once.

use std::borrow::Cow;
use std::io::Cursor;

use fast_image_resize as fr;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::error::UnsupportedErrorKind;
use image::metadata::Orientation;
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};

/// The widths we render for phones unless the caller asks for others.
pub const DEFAULT_WIDTHS: [u32; 3] = [360, 720, 1080];

/// WebP quality for renditions: small files, and artefacts rarely noticeable on a phone screen.
const WEBP_QUALITY: f32 = 70.0;
/// JPEG quality for the fallback renditions.
const JPEG_QUALITY: u8 = 75;
/// JPEG quality when an original has to be re-encoded to turn it upright: close to the original.
const UPRIGHT_JPEG_QUALITY: u8 = 90;
/// WebP quality when a lossy WebP original has to be re-encoded to turn it upright.
const UPRIGHT_WEBP_QUALITY: f32 = 90.0;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// How large an image we agree to decode.
///
/// Decoding needs about 3–4 bytes per pixel (8 for 16-bit PNGs), whatever the file's size, so the
/// limit is on pixels, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most pixels (width × height) accepted. Default: 40 megapixels, above any phone camera's photo.
    pub max_pixels: u64,
    /// Longest side accepted, in pixels. Default: 12 000. It also keeps very long strips out.
    pub max_side: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_pixels: 40_000_000, max_side: 12_000 }
    }
}

/// What an image is, as a viewer would see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: &'static str,
    /// Width as displayed, that is after the EXIF orientation is applied.
    pub width: u32,
    /// Height as displayed, that is after the EXIF orientation is applied.
    pub height: u32,
    /// Whether the format's colour type has an alpha channel (its pixels may all be opaque all the same).
    pub has_alpha: bool,
}

/// An original with its metadata removed.
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub bytes: Vec<u8>,
    /// Describes `bytes` (which may have been turned upright, so it can differ from the upload's).
    pub info: ImageInfo,
}

/// One rendition made by [`variants`].
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// `image/webp`, `image/jpeg` or `image/png`.
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Why an image was refused. The messages are meant for the person who uploaded it.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("image is {width} × {height} pixels; at most {} megapixels are accepted", megapixels(*.max_pixels))]
    TooManyPixels { width: u32, height: u32, max_pixels: u64 },
    #[error("image is {width} × {height} pixels; no side may be longer than {max_side} pixels")]
    SideTooLong { width: u32, height: u32, max_side: u32 },
    #[error("the image needs more memory to decode than we allow")]
    TooMuchMemory,
    #[error("the image uses a feature we cannot read: {0}")]
    Unsupported(String),
    #[error("the image is damaged: {0}")]
    Damaged(String),
    #[error("could not encode the {format} rendition: {reason}")]
    Encode { format: &'static str, reason: String },
}

/// "40", or "2.5" when the limit is not a whole number of megapixels.
fn megapixels(pixels: u64) -> String {
    if pixels.is_multiple_of(1_000_000) {
        (pixels / 1_000_000).to_string()
    } else {
        format!("{:.1}", pixels as f64 / 1e6)
    }
}

fn damaged(reason: &str) -> ImageError {
    ImageError::Damaged(reason.to_owned())
}

impl From<image::ImageError> for ImageError {
    fn from(error: image::ImageError) -> Self {
        use image::ImageError as E;
        match error {
            E::Limits(_) => ImageError::TooMuchMemory,
            E::Unsupported(e) => match e.kind() {
                UnsupportedErrorKind::Format(_) => ImageError::NotAnImage,
                _ => ImageError::Unsupported(e.to_string()),
            },
            E::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                damaged("the file ends too early (was the upload cut off?)")
            }
            E::IoError(e) => ImageError::Damaged(e.to_string()),
            E::Decoding(e) => ImageError::Damaged(e.to_string()),
            E::Parameter(e) => ImageError::Damaged(e.to_string()),
            E::Encoding(e) => ImageError::Encode { format: "image", reason: e.to_string() },
        }
    }
}

/// The three formats we take, recognised by their first bytes (never by file name or declared type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jpeg,
    Png,
    WebP,
}

impl Kind {
    fn sniff(bytes: &[u8]) -> Result<Kind, ImageError> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Ok(Kind::Jpeg)
        } else if bytes.starts_with(PNG_SIGNATURE) {
            Ok(Kind::Png)
        } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
            Ok(Kind::WebP)
        } else {
            Err(ImageError::NotAnImage)
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::WebP => "image/webp",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::WebP => ImageFormat::WebP,
        }
    }
}

/// Dimensions and type without decoding pixels; refuses over-limit images (pixel flood) with a clear error.
///
/// Width and height are as displayed: a portrait phone photo stored sideways with an EXIF orientation
/// reports its portrait size.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<ImageInfo, ImageError> {
    let opened = Opened::new(bytes, limits)?;
    Ok(opened.info())
}

/// The original with its metadata removed, so what we store and serve never tells where a photo was
/// taken or by which device.
///
/// Lossless where possible, by copying the file and leaving out the metadata:
/// * JPEG: APP1–APP15 segments (EXIF with GPS, XMP, IPTC, maker notes, …), comments, and anything after
///   the end-of-image marker (some phones append extra images there) are dropped. APP0/JFIF is kept
///   without its thumbnail. Two segments that change how the pixels are read are kept: the ICC colour
///   profile (APP2 `ICC_PROFILE`; without it wide-gamut phone photos look washed out) and the Adobe
///   colour-transform marker (APP14 `Adobe`; without it some CMYK and RGB JPEGs decode with wrong
///   colours). Neither holds personal data.
/// * PNG: only the chunks needed to draw the image are kept (critical chunks, transparency, colour
///   space and animation chunks); text (`tEXt`, `zTXt`, `iTXt`, which carry XMP too), `eXIf`, `tIME` and
///   any unknown chunk are dropped.
/// * WebP: `EXIF`, `XMP ` and unknown chunks are dropped, and the RIFF size and the VP8X flags fixed.
///
/// When the EXIF orientation is not the identity, the image is decoded, turned upright and re-encoded
/// instead, because viewers would otherwise show it sideways once the orientation tag is gone: JPEG at
/// quality 90, PNG losslessly, WebP losslessly or at quality 90 as the original was. The ICC profile is
/// kept for JPEG and PNG.
///
/// The pixel data itself is not decoded on the lossless path; [`variants`] does that.
pub fn clean_original(bytes: &[u8], limits: &Limits) -> Result<Cleaned, ImageError> {
    let opened = Opened::new(bytes, limits)?;
    let info = opened.info();
    if opened.orientation != Orientation::NoTransforms {
        let kind = opened.kind;
        let decoded = opened.decode()?;
        let bytes = match kind {
            Kind::Jpeg => encode_upright_jpeg(&decoded)?,
            Kind::Png => encode_upright_png(&decoded)?,
            Kind::WebP => encode_upright_webp(&decoded.image, webp_is_lossless(bytes))?,
        };
        let has_alpha = kind != Kind::Jpeg && decoded.image.color().has_alpha();
        return Ok(Cleaned { bytes, info: ImageInfo { has_alpha, ..info } });
    }
    let bytes = match opened.kind {
        Kind::Jpeg => strip_jpeg(bytes)?,
        Kind::Png => strip_png(bytes)?,
        Kind::WebP => strip_webp(bytes)?,
    };
    Ok(Cleaned { bytes, info })
}

/// Phone-sized renditions of an image.
///
/// For each requested width not wider than the original (if the original is narrower than all of them,
/// one rendition at its own width; nothing is ever enlarged) come two variants, in this order: a lossy
/// WebP (quality 70), then a fallback for browsers without WebP: JPEG (quality 75, baseline: the `image`
/// encoder does not write progressive JPEG) when the image is opaque, PNG when any pixel is transparent.
/// Widths are taken in increasing order, duplicates and zeros ignored; the height keeps the aspect ratio.
///
/// The image is decoded once and turned upright by its EXIF orientation; each width is resized from
/// that decoded image (Lanczos3). No variant carries metadata, not even a colour profile.
pub fn variants(bytes: &[u8], widths: &[u32], limits: &Limits) -> Result<Vec<Variant>, ImageError> {
    // A PNG is most likely drawn (a diagram, a chart): sharp edges and flat colours, where lossless
    // WebP often beats lossy and JPEG smears the text. Its variants are the smaller of lossy and
    // lossless WebP, with a PNG fallback.
    let drawn = matches!(image::guess_format(bytes), Ok(ImageFormat::Png));
    let decoded = Opened::new(bytes, limits)?.decode()?;
    let (width, height) = (decoded.image.width(), decoded.image.height());
    let plan = planned_widths(width, widths);
    if plan.is_empty() {
        return Ok(Vec::new());
    }
    let source = Rendition::from_image(decoded.image);
    let mut resizer = fr::Resizer::new();
    let mut out = Vec::with_capacity(plan.len() * 2);
    for target_width in plan {
        let target_height = scaled_height(width, height, target_width);
        let small = if target_width == width {
            Cow::Borrowed(&source)
        } else {
            Cow::Owned(source.resize(&mut resizer, target_width, target_height)?)
        };
        let mut webp = small.to_webp(Some(WEBP_QUALITY))?;
        if drawn {
            let lossless = small.to_webp(None)?;
            if lossless.len() < webp.len() {
                webp = lossless;
            }
        }
        out.push(Variant {
            width: target_width,
            height: target_height,
            content_type: "image/webp",
            bytes: webp,
        });
        let (content_type, bytes) = if small.has_alpha || drawn {
            ("image/png", small.to_png()?)
        } else {
            ("image/jpeg", small.to_jpeg(JPEG_QUALITY)?)
        };
        out.push(Variant { width: target_width, height: target_height, content_type, bytes });
    }
    Ok(out)
}

/// The widths to render, smallest first: those not wider than the original, or the original's own
/// width if all are wider.
fn planned_widths(original_width: u32, requested: &[u32]) -> Vec<u32> {
    let mut widths: Vec<u32> = requested.iter().copied().filter(|&w| w > 0).collect();
    widths.sort_unstable();
    widths.dedup();
    if widths.is_empty() {
        return widths;
    }
    widths.retain(|&w| w <= original_width);
    if widths.is_empty() {
        widths.push(original_width);
    }
    widths
}

/// The height that keeps the aspect ratio at `new_width`, rounded, at least one pixel.
fn scaled_height(width: u32, height: u32, new_width: u32) -> u32 {
    let scaled = (u64::from(height) * u64::from(new_width) + u64::from(width) / 2) / u64::from(width.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// An image whose header has been read and found within limits, its pixels not decoded yet.
struct Opened<'a> {
    kind: Kind,
    decoder: Box<dyn ImageDecoder + 'a>,
    orientation: Orientation,
    limits: Limits,
}

impl<'a> Opened<'a> {
    /// Reads the header and checks the size against `limits`, before any pixel buffer is allocated.
    fn new(bytes: &'a [u8], limits: &Limits) -> Result<Self, ImageError> {
        let kind = Kind::sniff(bytes)?;
        // No width/height limit for the header: we check the size ourselves to explain a refusal
        // with the real numbers. The allocation budget already applies to what the header reading does.
        let mut header_limits = image::Limits::default();
        header_limits.max_alloc = Some(allocation_budget(limits));
        let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
        reader.limits(header_limits);
        let mut decoder: Box<dyn ImageDecoder + 'a> = Box::new(reader.into_decoder()?);
        let (width, height) = decoder.dimensions();
        check_size(width, height, limits)?;
        // An unreadable EXIF block is not worth refusing the image for: it is shown as stored.
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        Ok(Opened { kind, decoder, orientation, limits: *limits })
    }

    fn info(&self) -> ImageInfo {
        let (width, height) = self.decoder.dimensions();
        let (width, height) = if swaps_sides(self.orientation) { (height, width) } else { (width, height) };
        ImageInfo {
            content_type: self.kind.content_type(),
            width,
            height,
            has_alpha: self.decoder.color_type().has_alpha(),
        }
    }

    /// Decodes the pixels under strict limits and turns the image upright.
    fn decode(mut self) -> Result<Decoded, ImageError> {
        let mut strict = image::Limits::default();
        strict.max_image_width = Some(self.limits.max_side);
        strict.max_image_height = Some(self.limits.max_side);
        strict.max_alloc = Some(allocation_budget(&self.limits));
        if self.decoder.total_bytes() > allocation_budget(&self.limits) {
            return Err(ImageError::TooMuchMemory);
        }
        self.decoder.set_limits(strict)?;
        // A damaged profile only costs colour accuracy; the image is still worth having.
        let icc_profile = self.decoder.icc_profile().ok().flatten();
        let mut image = DynamicImage::from_decoder(self.decoder)?;
        image.apply_orientation(self.orientation);
        Ok(Decoded { image, icc_profile })
    }
}

/// Bytes the decoder may allocate: the largest accepted image at 8 bytes a pixel (16-bit RGBA) plus room
/// for the decoders' own buffers.
fn allocation_budget(limits: &Limits) -> u64 {
    limits.max_pixels.saturating_mul(8).saturating_add(64 << 20)
}

fn check_size(width: u32, height: u32, limits: &Limits) -> Result<(), ImageError> {
    if width == 0 || height == 0 {
        return Err(damaged("it says it has no pixels"));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(ImageError::TooManyPixels { width, height, max_pixels: limits.max_pixels });
    }
    if width > limits.max_side || height > limits.max_side {
        return Err(ImageError::SideTooLong { width, height, max_side: limits.max_side });
    }
    Ok(())
}

fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

struct Decoded {
    /// Upright.
    image: DynamicImage,
    icc_profile: Option<Vec<u8>>,
}

// ---------------------------------------------------------------------------------------------------
// Renditions

/// 8-bit RGB or RGBA pixels, the two layouts the resizer and every encoder here take.
#[derive(Clone)]
struct Rendition {
    width: u32,
    height: u32,
    /// Whether some pixel is not fully opaque; if none is, the alpha channel is dropped.
    has_alpha: bool,
    pixels: Vec<u8>,
}

impl Rendition {
    fn from_image(image: DynamicImage) -> Self {
        let (width, height) = (image.width(), image.height());
        if image.color().has_alpha() {
            let rgba = image.into_rgba8().into_raw();
            if rgba.chunks_exact(4).any(|p| p.get(3) != Some(&u8::MAX)) {
                return Rendition { width, height, has_alpha: true, pixels: rgba };
            }
            // An alpha channel that is opaque everywhere: treat as opaque, so the fallback is a JPEG.
            let rgb = rgba.chunks_exact(4).flat_map(|p| p.iter().take(3).copied()).collect();
            return Rendition { width, height, has_alpha: false, pixels: rgb };
        }
        Rendition { width, height, has_alpha: false, pixels: image.into_rgb8().into_raw() }
    }

    fn pixel_type(&self) -> fr::PixelType {
        if self.has_alpha { fr::PixelType::U8x4 } else { fr::PixelType::U8x3 }
    }

    fn color_type(&self) -> ExtendedColorType {
        if self.has_alpha { ExtendedColorType::Rgba8 } else { ExtendedColorType::Rgb8 }
    }

    fn resize(&self, resizer: &mut fr::Resizer, width: u32, height: u32) -> Result<Rendition, ImageError> {
        let resize_error =
            |e: &dyn std::fmt::Display| ImageError::Encode { format: "resized", reason: e.to_string() };
        let source = fr::images::ImageRef::new(self.width, self.height, &self.pixels, self.pixel_type())
            .map_err(|e| resize_error(&e))?;
        let mut target = fr::images::Image::new(width, height, self.pixel_type());
        // Lanczos3 keeps small text in diagrams legible; alpha is premultiplied while resizing.
        let options =
            fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
        resizer.resize(&source, &mut target, &options).map_err(|e| resize_error(&e))?;
        Ok(Rendition { width, height, has_alpha: self.has_alpha, pixels: target.into_vec() })
    }

    /// Lossy at `quality`, or lossless for `None`.
    fn to_webp(&self, quality: Option<f32>) -> Result<Vec<u8>, ImageError> {
        webp_encode(&self.pixels, self.has_alpha, self.width, self.height, quality)
    }

    fn to_jpeg(&self, quality: u8) -> Result<Vec<u8>, ImageError> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, quality)
            .write_image(&self.pixels, self.width, self.height, self.color_type())
            .map_err(|e| encode_error("JPEG", e))?;
        Ok(out)
    }

    fn to_png(&self) -> Result<Vec<u8>, ImageError> {
        let mut out = Vec::new();
        PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive)
            .write_image(&self.pixels, self.width, self.height, self.color_type())
            .map_err(|e| encode_error("PNG", e))?;
        Ok(out)
    }
}

fn encode_error(format: &'static str, error: impl std::fmt::Display) -> ImageError {
    ImageError::Encode { format, reason: error.to_string() }
}

/// Encodes 8-bit RGB or RGBA pixels as WebP with libwebp: lossy at `quality`, or lossless for `None`.
/// libwebp's default `thread_level` of 0 keeps it on the calling thread.
fn webp_encode(
    pixels: &[u8],
    has_alpha: bool,
    width: u32,
    height: u32,
    quality: Option<f32>,
) -> Result<Vec<u8>, ImageError> {
    let channels = if has_alpha { 4 } else { 3 };
    // The `webp` crate panics rather than erring on a short buffer; make sure it never sees one.
    let needed = u64::from(width) * u64::from(height) * channels;
    if width == 0 || height == 0 || pixels.len() as u64 != needed {
        return Err(encode_error("WebP", "pixel buffer does not match the image size"));
    }
    // WebP cannot be larger than 16383 pixels a side.
    if width > 16_383 || height > 16_383 {
        return Err(encode_error("WebP", "WebP images are at most 16383 pixels a side"));
    }
    let mut config = webp::WebPConfig::new()
        .map_err(|()| encode_error("WebP", "libwebp rejected its own configuration"))?;
    match quality {
        Some(quality) => config.quality = quality,
        None => {
            config.lossless = 1;
            config.exact = 1;
        }
    }
    let encoder = if has_alpha {
        webp::Encoder::from_rgba(pixels, width, height)
    } else {
        webp::Encoder::from_rgb(pixels, width, height)
    };
    let memory = encoder.encode_advanced(&config).map_err(|e| encode_error("WebP", format!("{e:?}")))?;
    Ok(memory.to_vec())
}

fn encode_upright_jpeg(decoded: &Decoded) -> Result<Vec<u8>, ImageError> {
    // Grey stays grey (smaller); everything else, CMYK included, becomes RGB.
    let image = match &decoded.image {
        DynamicImage::ImageLuma8(_) => Cow::Borrowed(&decoded.image),
        other => Cow::Owned(DynamicImage::ImageRgb8(other.to_rgb8())),
    };
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, UPRIGHT_JPEG_QUALITY);
    if let Some(profile) = &decoded.icc_profile {
        // The JPEG encoder always takes a profile; were that to change, the image is still right.
        let _ = encoder.set_icc_profile(profile.clone());
    }
    let color = image.color().into();
    encoder
        .write_image(image.as_bytes(), image.width(), image.height(), color)
        .map_err(|e| encode_error("JPEG", e))?;
    Ok(out)
}

fn encode_upright_png(decoded: &Decoded) -> Result<Vec<u8>, ImageError> {
    let image = &decoded.image;
    let mut out = Vec::new();
    let mut encoder = PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive);
    if let Some(profile) = &decoded.icc_profile {
        let _ = encoder.set_icc_profile(profile.clone());
    }
    encoder
        .write_image(image.as_bytes(), image.width(), image.height(), image.color().into())
        .map_err(|e| encode_error("PNG", e))?;
    Ok(out)
}

fn encode_upright_webp(image: &DynamicImage, lossless: bool) -> Result<Vec<u8>, ImageError> {
    let quality = if lossless { None } else { Some(UPRIGHT_WEBP_QUALITY) };
    let (width, height) = (image.width(), image.height());
    if image.color().has_alpha() {
        webp_encode(image.to_rgba8().as_raw(), true, width, height, quality)
    } else {
        webp_encode(image.to_rgb8().as_raw(), false, width, height, quality)
    }
}

// ---------------------------------------------------------------------------------------------------
// Lossless metadata removal. Each function copies the file piece by piece, leaving out metadata; they
// read only through `get`, so a damaged or hostile file yields an error, never a panic.

/// Big-endian u16 at `at`.
fn be16(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_be_bytes([*b.first()?, *b.get(1)?])))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

const JPEG_TRUNCATED: &str = "the JPEG data ends before its end marker (was the upload cut off?)";

/// Copies a JPEG leaving out APP1–APP15 (except ICC and Adobe), COM, the JFIF thumbnail, and anything
/// after the end-of-image marker.
fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    let truncated = || damaged(JPEG_TRUNCATED);
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut pos = 2;
    loop {
        // A marker: 0xFF, possibly repeated as fill, then the marker code.
        if bytes.get(pos) != Some(&0xFF) {
            return Err(damaged("a JPEG segment is not where it should be"));
        }
        while bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *bytes.get(pos + 1).ok_or_else(truncated)?;
        pos += 2;
        match marker {
            // End of image: whatever follows is not part of the picture and is dropped.
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            // Markers without a length (restart markers, TEM).
            0x01 | 0xD0..=0xD7 => out.extend_from_slice(&[0xFF, marker]),
            0x00 | 0xD8 => return Err(damaged("a JPEG marker is out of place")),
            _ => {
                let length = be16(bytes, pos).ok_or_else(truncated)?;
                let segment = bytes.get(pos..pos + length).ok_or_else(truncated)?;
                let payload = segment.get(2..).ok_or_else(|| damaged("a JPEG segment is too short"))?;
                pos += length;
                match marker {
                    0xE0 => {
                        if let Some(jfif) = jfif_without_thumbnail(payload) {
                            // Length counts its own two bytes.
                            out.extend_from_slice(&[0xFF, 0xE0, 0, 2 + JFIF_HEADER_LEN as u8]);
                            out.extend_from_slice(&jfif);
                        }
                    }
                    0xE2 if payload.starts_with(b"ICC_PROFILE\0") => push_segment(&mut out, marker, segment),
                    0xEE if payload.starts_with(b"Adobe") => push_segment(&mut out, marker, segment),
                    0xE1..=0xEF | 0xFE => {}
                    _ => push_segment(&mut out, marker, segment),
                }
                if marker == 0xDA {
                    pos = copy_entropy_coded(bytes, pos, &mut out)?;
                }
            }
        }
    }
}

fn push_segment(out: &mut Vec<u8>, marker: u8, segment: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(segment);
}

/// The APP0 JFIF payload with its thumbnail removed (a thumbnail can show what was cropped away), or
/// `None` for other APP0 payloads, which are dropped.
fn jfif_without_thumbnail(payload: &[u8]) -> Option<[u8; JFIF_HEADER_LEN]> {
    let mut header: [u8; JFIF_HEADER_LEN] = payload.get(..JFIF_HEADER_LEN)?.try_into().ok()?;
    if !header.starts_with(b"JFIF\0") {
        return None;
    }
    // The last two bytes are the thumbnail's width and height: none.
    if let Some(thumbnail_size) = header.get_mut(12..) {
        thumbnail_size.fill(0);
    }
    Some(header)
}

/// "JFIF\0", version (2), units (1), densities (2 + 2), thumbnail width and height (1 + 1).
const JFIF_HEADER_LEN: usize = 14;

/// Copies the entropy-coded data after a start-of-scan header, up to the next marker that is neither a
/// restart marker nor a stuffed zero, and returns the position of that marker.
fn copy_entropy_coded(bytes: &[u8], start: usize, out: &mut Vec<u8>) -> Result<usize, ImageError> {
    let data = bytes.get(start..).unwrap_or_default();
    let mut offset = 0;
    loop {
        let next_ff = data
            .get(offset..)
            .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
            .ok_or_else(|| damaged(JPEG_TRUNCATED))?;
        offset += next_ff;
        match data.get(offset + 1) {
            None => return Err(damaged(JPEG_TRUNCATED)),
            Some(0x00 | 0xD0..=0xD7) => offset += 2,
            Some(_) => break,
        }
    }
    out.extend_from_slice(data.get(..offset).unwrap_or_default());
    Ok(start + offset)
}

/// PNG chunks other than critical ones that we keep: they change how the pixels look (transparency,
/// colour space, gamma) or make up an animation. Everything else goes, known or not.
const PNG_KEPT_ANCILLARY: [&[u8; 4]; 12] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"cICP", b"mDCV", b"cLLI", b"acTL", b"fcTL",
    b"fdAT",
];

/// Copies a PNG keeping critical chunks and [`PNG_KEPT_ANCILLARY`]; stops at `IEND`.
fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    let truncated = || damaged("the PNG data ends before its IEND chunk (was the upload cut off?)");
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut pos = PNG_SIGNATURE.len();
    loop {
        let length = be32(bytes, pos).ok_or_else(truncated)?;
        if length > i32::MAX as u32 {
            return Err(damaged("a PNG chunk has an impossible length"));
        }
        // Length, type, data, CRC.
        let end = pos + 12 + length as usize;
        let chunk = bytes.get(pos..end).ok_or_else(truncated)?;
        let kind = chunk.get(4..8).ok_or_else(truncated)?;
        // Bit 5 of the first letter clear (upper case): critical, the image cannot be drawn without it.
        let critical = kind.first().is_some_and(|b| b & 0x20 == 0);
        if critical || PNG_KEPT_ANCILLARY.iter().any(|k| k.as_slice() == kind) {
            out.extend_from_slice(chunk);
        }
        if kind == b"IEND" {
            return Ok(out);
        }
        pos = end;
    }
}

/// WebP chunks we keep: image data, alpha, animation, the extended header and the colour profile.
const WEBP_KEPT: [&[u8; 4]; 7] = [b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"];
/// VP8X flag bits announcing EXIF and XMP chunks.
const VP8X_EXIF_AND_XMP: u8 = 0x08 | 0x04;

/// Copies a WebP keeping only [`WEBP_KEPT`] chunks, with the RIFF size and VP8X flags made to match.
fn strip_webp(bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    let truncated = || damaged("the WebP data is shorter than its header says (was the upload cut off?)");
    let riff_size = le32(bytes, 4).ok_or_else(truncated)? as usize;
    // The RIFF size counts from byte 8; anything after it is not part of the image and is dropped.
    let body = bytes.get(12..riff_size.checked_add(8).ok_or_else(truncated)?).ok_or_else(truncated)?;
    let mut chunks = Vec::with_capacity(body.len());
    let mut pos = 0;
    while pos < body.len() {
        let size = le32(body, pos + 4).ok_or_else(truncated)? as usize;
        let padded = size + (size & 1);
        let chunk = body.get(pos..pos + 8 + size).ok_or_else(truncated)?;
        let fourcc = chunk.get(..4).ok_or_else(truncated)?;
        if WEBP_KEPT.iter().any(|k| k.as_slice() == fourcc) {
            let start = chunks.len();
            chunks.extend_from_slice(chunk);
            if size & 1 == 1 {
                chunks.push(0);
            }
            if fourcc == b"VP8X"
                && let Some(flags) = chunks.get_mut(start + 8)
            {
                *flags &= !VP8X_EXIF_AND_XMP;
            }
        }
        pos += 8 + padded;
    }
    let riff_size = u32::try_from(chunks.len() + 4).map_err(|_| damaged("the WebP file is too large"))?;
    let mut out = Vec::with_capacity(chunks.len() + 12);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&riff_size.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&chunks);
    Ok(out)
}

/// Whether a WebP's first image chunk is lossless (VP8L), so turning it upright can stay lossless.
fn webp_is_lossless(bytes: &[u8]) -> bool {
    let mut pos: usize = 12;
    while let (Some(fourcc), Some(size)) = (bytes.get(pos..pos.saturating_add(4)), le32(bytes, pos + 4)) {
        match fourcc {
            b"VP8L" => return true,
            b"VP8 " | b"ANMF" => return false,
            _ => {}
        }
        let size = size as usize;
        pos = pos.saturating_add(8).saturating_add(size).saturating_add(size & 1);
    }
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use image::codecs::webp::WebPEncoder;
    use image::{GenericImageView, Rgb, RgbImage, Rgba, RgbaImage};

    // ---- helpers ----------------------------------------------------------------------------------

    /// Files made by `fixtures/make.sh` (exiftool, cjpeg, cwebp): metadata as real tools write it.
    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/../tests/fixtures/media/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Strings planted in the fixtures' metadata; none may survive cleaning.
    const SECRETS: [&[u8]; 9] = [
        b"Exif\0\0",
        b"LanternTestCam",
        b"SecretPhone",
        b"secret-clinic-location",
        b"SecretCity",
        b"secret-comment",
        b"2024:05:06",
        b"http://ns.adobe.com",
        b"Photoshop 3.0",
    ];

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn assert_no_secrets(bytes: &[u8]) {
        for secret in SECRETS {
            assert!(!contains(bytes, secret), "found {:?}", String::from_utf8_lossy(secret));
        }
        assert!(!contains(bytes, GPS_SECONDS), "found the GPS latitude");
    }

    /// A deterministic photo-like picture: gradients, a few hard edges and mild noise, so that codecs
    /// behave as on photos (neither flat colour nor pure noise).
    fn photo(width: u32, height: u32) -> RgbImage {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        RgbImage::from_fn(width, height, |x, y| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state % 13) as i32 - 6;
            let edge = if (x / 37 + y / 53) % 5 == 0 { 70 } else { 0 };
            let (x, y, w, h) = (x as i32, y as i32, width as i32, height as i32);
            let channel = |v: i32| (v + noise + edge).clamp(0, 255) as u8;
            Rgb([channel(30 + 180 * x / w), channel(40 + 150 * y / h), channel(60 + 120 * (x + y) / (w + h))])
        })
    }

    /// Bytes of the GPS latitude seconds (56.78″) in [`exif`], to look for in outputs.
    const GPS_SECONDS: &[u8] = &[0x2E, 0x16, 0, 0, 100, 0, 0, 0];

    /// A raw EXIF (TIFF) block: orientation, and a GPS latitude of 12° 34′ 56.78″ N.
    fn exif(orientation: u16) -> Vec<u8> {
        let mut t = Vec::new();
        t.extend_from_slice(b"II*\0");
        t.extend_from_slice(&8u32.to_le_bytes());
        let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
            t.extend_from_slice(&tag.to_le_bytes());
            t.extend_from_slice(&kind.to_le_bytes());
            t.extend_from_slice(&count.to_le_bytes());
            t.extend_from_slice(&value);
        };
        // IFD0 at 8: orientation, pointer to the GPS IFD at 38.
        t.extend_from_slice(&2u16.to_le_bytes());
        let [lo, hi] = orientation.to_le_bytes();
        entry(&mut t, 0x0112, 3, 1, [lo, hi, 0, 0]);
        entry(&mut t, 0x8825, 4, 1, 38u32.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        // GPS IFD at 38: latitude reference and latitude (three rationals at 68).
        t.extend_from_slice(&2u16.to_le_bytes());
        entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
        entry(&mut t, 0x0002, 5, 3, 68u32.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        for (numerator, denominator) in [(12u32, 1u32), (34, 1), (5678, 100)] {
            t.extend_from_slice(&numerator.to_le_bytes());
            t.extend_from_slice(&denominator.to_le_bytes());
        }
        assert_eq!(t.len(), 92);
        t
    }

    const FAKE_ICC: &[u8] = b"lantern test colour profile: the cleaner keeps it byte for byte";

    fn jpeg_with(image: &RgbImage, exif: Option<Vec<u8>>, icc: Option<&[u8]>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = JpegEncoder::new_with_quality(&mut out, 90);
        if let Some(exif) = exif {
            encoder.set_exif_metadata(exif).unwrap();
        }
        if let Some(icc) = icc {
            encoder.set_icc_profile(icc.to_vec()).unwrap();
        }
        encoder.write_image(image.as_raw(), image.width(), image.height(), ExtendedColorType::Rgb8).unwrap();
        out
    }

    fn png_with(image: &DynamicImage, exif: Option<Vec<u8>>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = PngEncoder::new(&mut out);
        if let Some(exif) = exif {
            encoder.set_exif_metadata(exif).unwrap();
        }
        encoder.write_image(image.as_bytes(), image.width(), image.height(), image.color().into()).unwrap();
        out
    }

    fn lossless_webp_with(image: &RgbaImage, exif: Option<Vec<u8>>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = WebPEncoder::new_lossless(&mut out);
        if let Some(exif) = exif {
            encoder.set_exif_metadata(exif).unwrap();
        }
        encoder.write_image(image.as_raw(), image.width(), image.height(), ExtendedColorType::Rgba8).unwrap();
        out
    }

    fn decode(bytes: &[u8]) -> DynamicImage {
        image::load_from_memory(bytes).unwrap()
    }

    /// Marker codes of a JPEG's segments up to the first scan.
    fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
        let mut markers = Vec::new();
        let mut pos = 2;
        while bytes[pos] == 0xFF {
            let marker = bytes[pos + 1];
            markers.push(marker);
            if marker == 0xDA {
                break;
            }
            pos += 2 + usize::from(u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]));
        }
        markers
    }

    fn png_chunks(bytes: &[u8]) -> Vec<String> {
        let mut chunks = Vec::new();
        let mut pos = 8;
        while pos < bytes.len() {
            let length = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
            chunks.push(String::from_utf8_lossy(&bytes[pos + 4..pos + 8]).into_owned());
            pos += 12 + length;
        }
        chunks
    }

    fn riff_chunks(bytes: &[u8]) -> Vec<String> {
        let mut chunks = Vec::new();
        let mut pos = 12;
        while pos + 8 <= bytes.len() {
            let size = u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as usize;
            chunks.push(String::from_utf8_lossy(&bytes[pos..pos + 4]).into_owned());
            pos += 8 + size + (size & 1);
        }
        chunks
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// A PNG whose header claims `width` × `height` but which holds almost no data: a pixel flood.
    fn flood_png(width: u32, height: u32) -> Vec<u8> {
        let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let body = [kind, data].concat();
            out.extend_from_slice(&body);
            out.extend_from_slice(&crc32(&body).to_be_bytes());
        };
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut out = PNG_SIGNATURE.to_vec();
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"IDAT", &[0x78, 0x9C, 0x03, 0x00]);
        chunk(&mut out, b"IEND", &[]);
        out
    }

    fn is_red(pixel: Rgba<u8>) -> bool {
        let [r, g, b, _] = pixel.0;
        r > 180 && g < 80 && b < 80
    }

    // ---- inspect ----------------------------------------------------------------------------------

    #[test]
    fn inspect_reads_type_size_and_alpha() {
        let limits = Limits::default();
        let jpeg = jpeg_with(&photo(40, 30), None, None);
        assert_eq!(
            inspect(&jpeg, &limits).unwrap(),
            ImageInfo { content_type: "image/jpeg", width: 40, height: 30, has_alpha: false }
        );
        let rgba = DynamicImage::ImageRgba8(RgbaImage::from_pixel(20, 10, Rgba([1, 2, 3, 4])));
        let info = inspect(&png_with(&rgba, None), &limits).unwrap();
        assert_eq!((info.content_type, info.width, info.height, info.has_alpha), ("image/png", 20, 10, true));
        let webp = lossless_webp_with(&RgbaImage::from_pixel(7, 5, Rgba([1, 2, 3, 255])), None);
        let info = inspect(&webp, &limits).unwrap();
        assert_eq!((info.content_type, info.width, info.height), ("image/webp", 7, 5));
    }

    #[test]
    fn inspect_reports_the_upright_size() {
        let sideways = jpeg_with(&photo(40, 30), Some(exif(6)), None);
        let info = inspect(&sideways, &Limits::default()).unwrap();
        assert_eq!((info.width, info.height), (30, 40));
        let info = inspect(&fixture("gps_rot6.jpg"), &Limits::default()).unwrap();
        assert_eq!((info.width, info.height), (48, 64));
    }

    #[test]
    fn pixel_flood_is_refused_before_decoding() {
        let flood = flood_png(100_000, 100_000);
        let limits = Limits::default();
        let expected = "image is 100000 × 100000 pixels; at most 40 megapixels are accepted";
        assert_eq!(inspect(&flood, &limits).unwrap_err().to_string(), expected);
        // Decoding would need 30 GB; getting this error back at once shows nothing was allocated.
        assert_eq!(clean_original(&flood, &limits).unwrap_err().to_string(), expected);
        assert_eq!(variants(&flood, &DEFAULT_WIDTHS, &limits).unwrap_err().to_string(), expected);

        let strip = flood_png(13_000, 10);
        assert_eq!(
            inspect(&strip, &limits).unwrap_err().to_string(),
            "image is 13000 × 10 pixels; no side may be longer than 12000 pixels"
        );
        let small_limits = Limits { max_pixels: 2_500_000, max_side: 12_000 };
        assert_eq!(
            inspect(&flood_png(2000, 2000), &small_limits).unwrap_err().to_string(),
            "image is 2000 × 2000 pixels; at most 2.5 megapixels are accepted"
        );
    }

    #[test]
    fn pixel_flood_in_a_jpeg_header_is_refused() {
        let mut jpeg = jpeg_with(&photo(16, 16), None, None);
        // Rewrite the frame header (SOF0: marker, length, precision, height, width) to 60000 × 60000.
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]);
        let error = inspect(&jpeg, &Limits::default()).unwrap_err();
        assert!(matches!(error, ImageError::TooManyPixels { width: 60_000, height: 60_000, .. }), "{error}");
        assert!(variants(&jpeg, &[360], &Limits::default()).is_err());
    }

    #[test]
    fn pixel_flood_in_a_webp_header_is_refused() {
        let mut webp = fixture("meta.webp");
        // VP8X canvas width and height, each stored minus one in 24 bits: 16000 × 16000.
        let side = (16_000u32 - 1).to_le_bytes();
        webp[24..27].copy_from_slice(&side[..3]);
        webp[27..30].copy_from_slice(&side[..3]);
        let error = inspect(&webp, &Limits::default()).unwrap_err();
        assert!(matches!(error, ImageError::TooManyPixels { width: 16_000, height: 16_000, .. }), "{error}");
    }

    #[test]
    fn other_files_are_not_images() {
        for bytes in
            [&b""[..], b"hello", b"GIF89a\x01\x00\x01\x00", b"\x89PN", b"RIFF\0\0\0\0WAVE", b"\xFF\xD8"]
        {
            let error = inspect(bytes, &Limits::default()).unwrap_err();
            assert_eq!(error.to_string(), "not a JPEG, PNG or WebP image");
            assert!(clean_original(bytes, &Limits::default()).is_err());
            assert!(variants(bytes, &DEFAULT_WIDTHS, &Limits::default()).is_err());
        }
    }

    #[test]
    fn error_messages_read_well() {
        let error = ImageError::TooManyPixels { width: 20_000, height: 20_000, max_pixels: 40_000_000 };
        assert_eq!(error.to_string(), "image is 20000 × 20000 pixels; at most 40 megapixels are accepted");
        let truncated = &fixture("meta.png")[..200];
        assert!(
            clean_original(truncated, &Limits::default())
                .unwrap_err()
                .to_string()
                .starts_with("the image is damaged: ")
        );
    }

    // ---- clean_original ---------------------------------------------------------------------------

    #[test]
    fn jpeg_fixture_loses_its_metadata_and_stands_upright() {
        let original = fixture("gps_rot6.jpg");
        assert!(contains(&original, b"Exif\0\0") && contains(&original, b"LanternTestCam"));
        let cleaned = clean_original(&original, &Limits::default()).unwrap();
        assert_eq!(
            cleaned.info,
            ImageInfo { content_type: "image/jpeg", width: 48, height: 64, has_alpha: false }
        );
        assert_no_secrets(&cleaned.bytes);
        // Nothing in it turns it again: no APP1, so orientation is the identity.
        assert!(!jpeg_markers(&cleaned.bytes).contains(&0xE1));
        let upright = decode(&cleaned.bytes);
        assert_eq!(upright.dimensions(), (48, 64));
        // The red block, stored top-left, belongs top-right once turned 90° clockwise.
        assert!(is_red(upright.get_pixel(40, 7)));
        assert!(!is_red(upright.get_pixel(7, 7)));
        assert!(!is_red(upright.get_pixel(40, 56)));
    }

    #[test]
    fn upright_jpeg_is_cleaned_losslessly() {
        let mut original = jpeg_with(&photo(64, 48), Some(exif(1)), Some(FAKE_ICC));
        // A comment after SOI, and a trailer after EOI such as some phones append.
        original.splice(2..2, [&[0xFF, 0xFE, 0, 16][..], b"secret-comment"].concat());
        original.extend_from_slice(b"trailer LanternTestCam");
        assert!(contains(&original, GPS_SECONDS));

        let cleaned = clean_original(&original, &Limits::default()).unwrap();
        assert_no_secrets(&cleaned.bytes);
        assert!(cleaned.bytes.ends_with(&[0xFF, 0xD9]));
        let markers = jpeg_markers(&cleaned.bytes);
        assert!(markers.iter().all(|m| !matches!(m, 0xE1 | 0xE3..=0xEF | 0xFE)), "{markers:x?}");
        assert!(contains(&cleaned.bytes, FAKE_ICC), "the colour profile is kept");
        // Same compressed pixels: decoding gives exactly the same image.
        assert_eq!(decode(&cleaned.bytes), decode(&original));
        assert_eq!((cleaned.info.width, cleaned.info.height), (64, 48));
    }

    #[test]
    fn sideways_jpeg_is_reencoded_upright_with_its_profile() {
        let original = jpeg_with(&photo(64, 48), Some(exif(6)), Some(FAKE_ICC));
        let cleaned = clean_original(&original, &Limits::default()).unwrap();
        assert_no_secrets(&cleaned.bytes);
        assert!(contains(&cleaned.bytes, FAKE_ICC));
        assert_eq!(decode(&cleaned.bytes).dimensions(), (48, 64));
    }

    #[test]
    fn png_fixture_keeps_only_the_chunks_that_draw_it() {
        let original = fixture("meta.png");
        let cleaned = clean_original(&original, &Limits::default()).unwrap();
        assert_eq!(png_chunks(&cleaned.bytes), ["IHDR", "IDAT", "IEND"]);
        assert_no_secrets(&cleaned.bytes);
        assert_eq!(decode(&cleaned.bytes), decode(&original));
        assert_eq!(
            cleaned.info,
            ImageInfo { content_type: "image/png", width: 32, height: 24, has_alpha: true }
        );
    }

    #[test]
    fn png_keeps_transparency_chunk_and_drops_exif() {
        let palette_like =
            DynamicImage::ImageRgb8(RgbImage::from_fn(9, 9, |x, y| Rgb([x as u8 * 20, y as u8, 0])));
        let mut png = png_with(&palette_like, Some(exif(1)));
        // Insert a tRNS chunk (transparent colour) after IHDR, as editors write for RGB images.
        let trns = {
            let body = [&b"tRNS"[..], &[0, 0, 0, 0, 0, 0]].concat();
            [&6u32.to_be_bytes()[..], &body, &crc32(&body).to_be_bytes()].concat()
        };
        png.splice(33..33, trns);
        let cleaned = clean_original(&png, &Limits::default()).unwrap();
        assert_eq!(png_chunks(&cleaned.bytes), ["IHDR", "tRNS", "IDAT", "IEND"]);
        assert_no_secrets(&cleaned.bytes);
        assert_eq!(decode(&cleaned.bytes), decode(&png));
    }

    #[test]
    fn sideways_png_is_turned_upright_losslessly() {
        let image = RgbaImage::from_fn(40, 30, |x, y| Rgba([x as u8 * 6, y as u8 * 8, 99, 128 + x as u8]));
        let png = png_with(&DynamicImage::ImageRgba8(image.clone()), Some(exif(6)));
        let cleaned = clean_original(&png, &Limits::default()).unwrap();
        assert_no_secrets(&cleaned.bytes);
        assert_eq!((cleaned.info.width, cleaned.info.height, cleaned.info.has_alpha), (30, 40, true));
        assert_eq!(decode(&cleaned.bytes).to_rgba8(), image::imageops::rotate90(&image));
    }

    #[test]
    fn webp_fixture_loses_exif_and_xmp_chunks() {
        let original = fixture("meta.webp");
        assert_eq!(riff_chunks(&original), ["VP8X", "VP8 ", "EXIF", "XMP "]);
        let cleaned = clean_original(&original, &Limits::default()).unwrap();
        let bytes = &cleaned.bytes;
        assert_eq!(riff_chunks(bytes), ["VP8X", "VP8 "]);
        assert_eq!(bytes[20] & VP8X_EXIF_AND_XMP, 0, "VP8X flags still announce metadata");
        assert_eq!(u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize, bytes.len() - 8);
        assert_no_secrets(bytes);
        assert_eq!(decode(bytes), decode(&original));
    }

    #[test]
    fn lossless_webp_with_exif_is_cleaned() {
        let image = RgbaImage::from_fn(12, 8, |x, y| Rgba([x as u8 * 20, y as u8 * 30, 7, 200]));
        let original = lossless_webp_with(&image, Some(exif(1)));
        assert!(riff_chunks(&original).contains(&"EXIF".to_owned()));
        let cleaned = clean_original(&original, &Limits::default()).unwrap();
        assert!(!riff_chunks(&cleaned.bytes).contains(&"EXIF".to_owned()));
        assert_no_secrets(&cleaned.bytes);
        assert_eq!(decode(&cleaned.bytes).to_rgba8(), image);

        // Sideways: turned upright and still lossless.
        let sideways = lossless_webp_with(&image, Some(exif(8)));
        let cleaned = clean_original(&sideways, &Limits::default()).unwrap();
        assert_no_secrets(&cleaned.bytes);
        assert_eq!(decode(&cleaned.bytes).to_rgba8(), image::imageops::rotate270(&image));
    }

    // ---- variants ---------------------------------------------------------------------------------

    #[test]
    fn variants_have_the_requested_widths_and_keep_the_aspect() {
        let original = jpeg_with(&photo(1100, 733), None, None);
        let made = variants(&original, &[1080, 360, 720, 360], &Limits::default()).unwrap();
        let summary: Vec<_> = made.iter().map(|v| (v.width, v.height, v.content_type)).collect();
        assert_eq!(
            summary,
            [
                (360, 240, "image/webp"),
                (360, 240, "image/jpeg"),
                (720, 480, "image/webp"),
                (720, 480, "image/jpeg"),
                (1080, 720, "image/webp"),
                (1080, 720, "image/jpeg"),
            ]
        );
        for variant in &made {
            assert_eq!(decode(&variant.bytes).dimensions(), (variant.width, variant.height));
            assert_eq!(Kind::sniff(&variant.bytes).unwrap().content_type(), variant.content_type);
        }
        // Lossy WebP (VP8, not VP8L), smaller than the JPEG fallback of the same size.
        for pair in made.chunks(2) {
            let (webp, jpeg) = (&pair[0], &pair[1]);
            assert_eq!(riff_chunks(&webp.bytes), ["VP8 "], "expected a simple lossy WebP");
            assert!(webp.bytes.len() < jpeg.bytes.len(), "{} ≥ {}", webp.bytes.len(), jpeg.bytes.len());
        }
    }

    #[test]
    fn variants_are_never_enlarged() {
        let limits = Limits::default();
        let medium = jpeg_with(&photo(500, 300), None, None);
        let widths: Vec<_> =
            variants(&medium, &DEFAULT_WIDTHS, &limits).unwrap().iter().map(|v| v.width).collect();
        assert_eq!(widths, [360, 360]);

        let small = jpeg_with(&photo(200, 100), None, None);
        let made = variants(&small, &DEFAULT_WIDTHS, &limits).unwrap();
        let sizes: Vec<_> = made.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(200, 100), (200, 100)]);

        assert!(variants(&small, &[], &limits).unwrap().is_empty());
        assert!(variants(&small, &[0], &limits).unwrap().is_empty());
    }

    #[test]
    fn transparent_and_drawn_images_fall_back_to_png_and_photos_to_jpeg() {
        let limits = Limits::default();
        let with_hole = RgbaImage::from_fn(400, 300, |x, y| {
            let alpha = if (150..250).contains(&x) && (100..200).contains(&y) { 0 } else { 255 };
            Rgba([(x / 2) as u8, (y / 2) as u8, 90, alpha])
        });
        let made = variants(&png_with(&DynamicImage::ImageRgba8(with_hole), None), &[360], &limits).unwrap();
        assert_eq!(made.iter().map(|v| v.content_type).collect::<Vec<_>>(), ["image/webp", "image/png"]);
        for variant in &made {
            let decoded = decode(&variant.bytes).to_rgba8();
            assert_eq!(decoded.dimensions(), (360, 270));
            assert_eq!(decoded.get_pixel(180, 135).0[3], 0, "the hole stays transparent");
            assert_eq!(decoded.get_pixel(10, 10).0[3], 255);
        }
        let chunks = riff_chunks(&made[0].bytes);
        assert!(
            chunks.contains(&"ALPH".to_owned()) || chunks.contains(&"VP8L".to_owned()),
            "a WebP with alpha, lossy (ALPH) or lossless: {chunks:?}"
        );

        // A PNG is taken for a drawing: a PNG fallback, whatever its alpha channel.
        let opaque = RgbaImage::from_fn(400, 300, |x, y| Rgba([(x / 2) as u8, (y / 2) as u8, 90, 255]));
        let drawing = png_with(&DynamicImage::ImageRgba8(opaque.clone()), None);
        let made = variants(&drawing, &[360], &limits).unwrap();
        assert_eq!(made.iter().map(|v| v.content_type).collect::<Vec<_>>(), ["image/webp", "image/png"]);

        // The same pixels as a lossless WebP with an alpha channel that is opaque everywhere: that
        // does not count as transparency, and a JPEG falls back.
        let webp = webp_encode(opaque.as_raw(), true, 400, 300, None).unwrap();
        let made = variants(&webp, &[360], &limits).unwrap();
        assert_eq!(made.iter().map(|v| v.content_type).collect::<Vec<_>>(), ["image/webp", "image/jpeg"]);
    }

    #[test]
    fn a_flat_diagram_gets_the_smaller_of_lossy_and_lossless_webp() {
        // Three flat colours and sharp edges, like a chart: lossless wins.
        let chart = RgbImage::from_fn(720, 480, |x, y| match (x / 120 + y / 160) % 3 {
            0 => Rgb([255, 255, 255]),
            1 => Rgb([20, 60, 140]),
            _ => Rgb([230, 120, 20]),
        });
        let png = png_with(&DynamicImage::ImageRgb8(chart), None);
        let made = variants(&png, &[360], &Limits::default()).unwrap();
        let lossless = riff_chunks(&made[0].bytes);
        assert_eq!(lossless, ["VP8L"], "lossless was smaller for a flat drawing");
    }

    #[test]
    fn variants_stand_upright_and_carry_no_metadata() {
        for name in ["gps_rot6.jpg", "meta.png", "meta.webp"] {
            for variant in variants(&fixture(name), &[360], &Limits::default()).unwrap() {
                assert_no_secrets(&variant.bytes);
                assert!(!contains(&variant.bytes, b"ICC_PROFILE"));
                if name == "gps_rot6.jpg" {
                    assert_eq!((variant.width, variant.height), (48, 64));
                    let upright = decode(&variant.bytes);
                    assert!(is_red(upright.get_pixel(40, 7)), "{}", variant.content_type);
                    assert!(!is_red(upright.get_pixel(7, 7)), "{}", variant.content_type);
                }
            }
        }
        let sideways_png = png_with(&DynamicImage::ImageRgb8(photo(40, 30)), Some(exif(6)));
        let made = variants(&sideways_png, &[360], &Limits::default()).unwrap();
        assert_eq!((made[0].width, made[0].height), (30, 40));
    }

    // ---- hostile input ----------------------------------------------------------------------------

    /// Every prefix-length (in steps) and a few hundred random byte flips of each sample: errors are
    /// fine, panics are not.
    #[test]
    fn truncated_and_corrupted_input_errs_without_panicking() {
        let limits = Limits::default();
        let samples = [
            fixture("gps_rot6.jpg"),
            fixture("meta.png"),
            fixture("meta.webp"),
            lossless_webp_with(&RgbaImage::from_pixel(9, 7, Rgba([9, 8, 7, 6])), Some(exif(6))),
        ];
        let run = |bytes: &[u8]| {
            let _ = inspect(bytes, &limits);
            let _ = clean_original(bytes, &limits);
            let _ = variants(bytes, &[16, 32], &limits);
        };
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for sample in &samples {
            let step = (sample.len() / 120).max(1);
            for end in (0..sample.len()).step_by(step) {
                run(&sample[..end]);
                // Cut-off files never pass as cleaned: the end marker is missing.
                if end > 0 && end < sample.len() - 2 && sample.starts_with(PNG_SIGNATURE) {
                    assert!(clean_original(&sample[..end], &limits).is_err());
                }
            }
            for _ in 0..150 {
                let mut corrupted = sample.clone();
                for _ in 0..1 + random() % 4 {
                    let at = (random() % corrupted.len() as u64) as usize;
                    corrupted[at] = random() as u8;
                }
                run(&corrupted);
            }
        }
        // Hand-made oddities: a JPEG of fill bytes, segments claiming more data than there is.
        for bytes in [
            &[0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xFF][..],
            &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x00],
            &[0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF],
            b"RIFF\xFF\xFF\xFF\xFFWEBPVP8X\x0a\0\0\0",
            b"RIFF\x10\0\0\0WEBPEXIF\xF0\xFF\xFF\xFF",
        ] {
            run(bytes);
            assert!(clean_original(bytes, &limits).is_err());
        }
    }
}
