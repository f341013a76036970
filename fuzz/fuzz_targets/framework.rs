//! A competency framework posted by an association or read from `content/frameworks/`, in
//! either format (`competencies::framework::parse`, by the file name). A framework either
//! format accepts must come back unchanged through the CSV export (`to_csv` promises it).
#![no_main]

use lantern::competencies::framework::{parse, parse_csv, to_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for name in ["framework.json", "framework.csv"] {
        if let Ok(spec) = parse(name, text) {
            let csv = to_csv(&spec);
            match parse_csv("export.csv", &csv) {
                Ok(again) => assert_eq!(again, spec, "the CSV export of {name} reads back differently"),
                Err(problems) => panic!("the CSV export of {name} is refused: {problems:?}\n{csv}"),
            }
        }
    }
});
