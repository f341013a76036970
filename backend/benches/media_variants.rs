//! How long making the phone-sized variants of a 12-megapixel photo takes on one core (goal: under
//! 1 s), and how many bytes each variant is. Nothing here starts a thread (image is built without
//! rayon, libwebp runs on the calling thread), so pinning the process to a core measures one core:
//!
//!     taskset -c 1 cargo bench -p lantern --bench media_variants
#![allow(clippy::expect_used, clippy::unwrap_used)]

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};
use lantern::media::images::{DEFAULT_WIDTHS, Limits, variants};
use std::hint::black_box;
use std::time::Instant;

/// A deterministic stand-in for a phone photo: a sky-to-ground gradient, a sun, buildings with hard
/// edges, a leafy texture and sensor-like noise. Codecs find it about as hard as a real photo: neither
/// flat colour (trivially small) nor pure noise (incompressible).
fn photo_like(width: u32, height: u32) -> RgbImage {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let (w, h) = (width as f32, height as f32);
    RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = (state >> 59) as f32 - 16.0; // −16..15, like ISO noise
        let (fx, fy) = (x as f32 / w, y as f32 / h);
        let mut rgb = [70.0 + 110.0 * fy, 120.0 + 60.0 * fy, 210.0 - 120.0 * fy];
        let sun = ((fx - 0.75).powi(2) + (fy - 0.2).powi(2)).sqrt();
        if sun < 0.06 {
            rgb = [250.0, 230.0, 170.0];
        }
        let block = x / 260;
        let roof = 0.45 + 0.07 * (block % 5) as f32;
        if block % 3 != 1 && fy > roof {
            let window = (x % 40 < 18) && (y % 55 < 25);
            let shade = if window { 60.0 } else { 140.0 + 12.0 * (block % 4) as f32 };
            rgb = [shade, shade * 0.9, shade * 0.8];
        }
        if fy > 0.82 {
            let leaves = (x as f32 * 0.09).sin() * (y as f32 * 0.13).cos() * 35.0;
            rgb = [60.0 + leaves, 110.0 + leaves, 40.0 + leaves * 0.5];
        }
        Rgb(rgb.map(|c| (c + noise * 0.5).clamp(0.0, 255.0) as u8))
    })
}

fn twelve_megapixel_jpeg() -> Vec<u8> {
    let photo = photo_like(4000, 3000);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 85)
        .write_image(photo.as_raw(), 4000, 3000, ExtendedColorType::Rgb8)
        .expect("encoding the benchmark photo");
    jpeg
}

fn main() {
    let original = twelve_megapixel_jpeg();
    let limits = Limits::default();
    let made = variants(&original, &DEFAULT_WIDTHS, &limits).expect("making the variants");
    println!("original: 4000 × 3000 JPEG (quality 85), {} bytes", original.len());
    for variant in &made {
        println!(
            "  {} × {} {}: {} bytes",
            variant.width,
            variant.height,
            variant.content_type,
            variant.bytes.len()
        );
    }
    let rounds = 9;
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            black_box(variants(black_box(&original), &DEFAULT_WIDTHS, &limits).expect("variants"));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "12-megapixel JPEG → 360/720/1080 px WebP + JPEG, {rounds} rounds: median {:.0} ms (min {:.0}, max {:.0}); goal < 1,000 ms",
        times[rounds / 2],
        times[0],
        times[rounds - 1]
    );
}
