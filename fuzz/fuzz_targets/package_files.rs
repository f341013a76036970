//! A course package's text files, past the zip layer: `course.toml`, lessons (TOML front matter
//! between `+++` lines, then Markdown checked for raw HTML, links and images), quizzes, and a
//! pack's `manifest.json`. Random bytes rarely make a valid zip, so this target feeds the checks
//! directly: the input is a list of files, each introduced by a line `@@@ <path>` and ending
//! with the byte before the next such line; text before the first one, if any, is `course.toml`.
//! A package that passes must come back with the same fingerprint through `package::write` (what
//! `lantern export` writes), as `write` promises.
#![no_main]

use lantern::content::parse_package_or_pack;
use lantern::courses::package::{PackageFiles, parse, write};
use libfuzzer_sys::fuzz_target;

const MARK: &[u8] = b"@@@ ";

fn files(data: &[u8]) -> PackageFiles {
    let mut package = PackageFiles::default();
    let mut path = b"course.toml".to_vec();
    let mut content = Vec::new();
    let mut preamble = true;
    for line in data.split_inclusive(|&b| b == b'\n') {
        if let Some(name) = line.strip_prefix(MARK) {
            let content = std::mem::take(&mut content);
            if !(preamble && content.is_empty()) {
                package.files.insert(String::from_utf8_lossy(&path).into_owned(), content);
            }
            preamble = false;
            path = name.strip_suffix(b"\n").unwrap_or(name).to_vec();
        } else {
            content.extend_from_slice(line);
        }
    }
    package.files.insert(String::from_utf8_lossy(&path).into_owned(), content);
    package
}

fuzz_target!(|data: &[u8]| {
    let Ok(package) = parse_package_or_pack(files(data)) else { return };
    let written = match write(&package) {
        Ok(written) => written,
        Err(error) => panic!("a checked package cannot be written back: {error}"),
    };
    match parse(&written, None) {
        Ok(again) => assert_eq!(
            again.fingerprint(),
            package.fingerprint(),
            "the package written back reads as another:\n{again:#?}\n{package:#?}"
        ),
        Err(problems) => panic!("the package written back is refused: {problems:?}"),
    }
});
