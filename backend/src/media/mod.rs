//! Media: files on pluggable object storage (opendal: a local folder or any S3-compatible store),
//! checked by their content, made light for phones (image variants, fast-start MP4, no metadata),
//! and delivered for slow links (ranges, immutable caching, data saver).
//!
//! - `av`: what a file is by its first bytes; durations; MP4 fast start.
//! - `images`: metadata stripping and the phone-sized variants (lossy WebP + JPEG/PNG fallback).
//! - `service`: [`Media`]: prepare, store, record, the variant job queue, what to serve.
//! - `http`: `/media/…` with Range, ETag and immutable caching.

pub mod av;
pub mod entity;
pub mod http;
pub mod images;
mod service;

pub use service::{Media, MediaError, MediaRef, Prepared, Served, VariantRef, variant_url};
