//! A course package or course pack uploaded as a .zip (`lantern import`, the authoring upload):
//! the raw bytes are the archive. `PackageFiles::from_zip` must refuse a damaged, lying or
//! oversized archive with problems, never panic, and never read past the limits; what it reads
//! goes through the same check as an import (`content::parse_package_or_pack`).
#![no_main]

use lantern::content::parse_package_or_pack;
use lantern::courses::package::{Limits, PackageFiles};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The import's own limits, smaller so that one input cannot hold the fuzzer for long: the
    // ratio and count checks are the same code either way.
    let limits = Limits {
        text_file_bytes: 64 * 1024,
        media_file_bytes: 256 * 1024,
        total_bytes: 1024 * 1024,
        files: 200,
        ..Limits::default()
    };
    if let Ok(files) = PackageFiles::from_zip(data, limits) {
        let read: u64 = files.files.values().map(|bytes| bytes.len() as u64).sum();
        assert!(files.files.len() <= limits.files, "more entries than the limit were read");
        assert!(read <= limits.total_bytes, "more bytes than the limit were read");
        let _ = parse_package_or_pack(files);
    }
});
