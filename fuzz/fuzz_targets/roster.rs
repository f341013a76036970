//! A regulator's licence roster, uploaded as CSV (`credits::compliance::parse_roster`): any
//! bytes give rows or the problems of every row, and every row it accepts holds its rules.
#![no_main]

use lantern::credits::compliance::parse_roster;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_roster(data) {
        Ok(rows) => {
            assert!(!rows.is_empty(), "an accepted roster has rows");
            for row in &rows {
                assert!(!row.number.is_empty() && !row.name.is_empty(), "row {}: empty fields", row.line);
            }
        }
        Err(problems) => assert!(!problems.is_empty(), "a refusal names its problems"),
    }
});
