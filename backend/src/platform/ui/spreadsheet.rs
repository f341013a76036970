//! CSV meant for spreadsheets. A cell a spreadsheet would run as a formula (text starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading `'`, so a name typed
//! as `=HYPERLINK(…)` stays text when an officer opens the export (CSV injection, OWASP ASVS
//! 1.2.10). Numbers, negative ones included, are left as they are.

use std::borrow::Cow;
use std::io::Write;

/// The cell as a spreadsheet should show it.
pub fn cell(value: &str) -> Cow<'_, str> {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && value.parse::<f64>().is_err() {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// Writes one row, each cell through [`cell`].
pub fn write_row<W: Write, S: AsRef<str>>(
    writer: &mut csv::Writer<W>,
    row: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    for value in row {
        writer.write_field(cell(value.as_ref()).as_bytes())?;
    }
    // An empty record ends the row of fields just written.
    writer.write_record(None::<&[u8]>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for risky in ["=HYPERLINK(\"http://x\")", "+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["Amina Otieno", "RN-12345", "-2.5", "+3", "12", "", "a=b"] {
            assert_eq!(cell(plain), plain, "{plain:?}");
        }
        let mut writer = csv::Writer::from_writer(Vec::new());
        write_row(&mut writer, ["=1+1", "Juma", "-1"]).unwrap();
        assert_eq!(String::from_utf8(writer.into_inner().unwrap()).unwrap(), "'=1+1,Juma,-1\n");
    }
}
