//! Incremental parsing of bulk verification uploads: a regulator sends up to [`MAX_ROWS`] rows, each
//! asking about one certificate id or one licence number, and the body arrives as byte chunks cut
//! anywhere. The readers here keep only the current element or line in memory (at most
//! [`MAX_ITEM_BYTES`]) and hand back each row as soon as it is complete; they do no I/O.
//!
//! Two formats:
//! - JSON ([`JsonArrayReader`]): one top-level array (a UTF-8 BOM and whitespace around it allowed)
//!   of objects `{"certificate_id": "…"}` or `{"licence_number": "…"}`; row `n` is element `n`
//!   (counting from 1). An element that is not such an object is that row's error; a broken array
//!   (not an array, missing comma, unclosed string or array, data after `]`, text that is not UTF-8)
//!   stops the whole input with a [`BulkError`] naming the byte offset (counting from 0) and row.
//! - CSV ([`CsvReader`]): a header line `certificate_id`, `licence_number`, or both in either order
//!   (case-insensitive, BOM allowed), then one row per line (`\n` or `\r\n`; quoted fields must
//!   close on their line; blank lines are skipped). Row `n` is line `n` of the file, header included.
//!
//! Limits: at most [`MAX_ROWS`] rows and [`MAX_ITEM_BYTES`] bytes per JSON element or CSV line
//! (either is fatal, so memory stays bounded); an id or number is trimmed and must be 1 to
//! [`MAX_VALUE_CHARS`] characters (else that row's error).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The most rows one upload may hold; one more is [`BulkError::TooManyRows`].
pub const MAX_ROWS: usize = 100_000;
/// The longest JSON element or CSV line, in bytes (without the line ending); longer is fatal.
pub const MAX_ITEM_BYTES: usize = 1024;
/// The longest certificate id or licence number, in characters after trimming.
pub const MAX_VALUE_CHARS: usize = 100;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const CERTIFICATE_ID: &str = "certificate_id";
const LICENCE_NUMBER: &str = "licence_number";
const AFTER_ELEMENT: &str = "expected ',' or ']' after an element";

/// What a row asks about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    Certificate(String),
    Licence(String),
}

/// One input row: `row` is the 1-based position (JSON: element index + 1; CSV: the line number in
/// the file, header = line 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub row: usize,
    /// `Err` is this row's problem in plain English.
    pub query: Result<Query, String>,
}

/// A problem that stops the whole input, with where it is. Byte offsets count from 0.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum BulkError {
    /// Nothing but whitespace (and a BOM).
    #[error("the body is empty: expected {expected}")]
    Empty { expected: &'static str },
    /// The JSON body does not start with `[`.
    #[error("byte {offset}: the body is not a JSON array (it must start with '[')")]
    NotAnArray { offset: usize },
    /// A broken JSON array: `problem` says what is wrong at `offset`, in or after `row`.
    #[error("byte {offset} (row {row}): {problem}")]
    Json { offset: usize, row: usize, problem: &'static str },
    /// A JSON element longer than [`MAX_ITEM_BYTES`]; `offset` is where it starts.
    #[error(
        "byte {offset} (row {row}): the element starting here is longer than {max} bytes",
        max = MAX_ITEM_BYTES
    )]
    ElementTooLong { offset: usize, row: usize },
    /// Something other than whitespace after the array's closing `]`.
    #[error("byte {offset}: unexpected data after the closing ']' of the array")]
    TrailingData { offset: usize },
    /// The first non-blank CSV line is not an allowed header (`found` is its start).
    #[error(
        "line {line}: the CSV header must be certificate_id, licence_number, or both \
         (found {found:?})"
    )]
    CsvHeader { line: usize, found: String },
    /// A CSV line longer than [`MAX_ITEM_BYTES`] (not counting its line ending or the BOM).
    #[error("line {line}: the line is longer than {max} bytes", max = MAX_ITEM_BYTES)]
    LineTooLong { line: usize },
    /// More than [`MAX_ROWS`] rows; `row` is the first one too many (for CSV, its line number).
    #[error(
        "row {row}: more than {max} rows; split the upload into parts of at most {max} rows",
        max = MAX_ROWS
    )]
    TooManyRows { row: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Certificate,
    Licence,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Certificate => CERTIFICATE_ID,
            Kind::Licence => LICENCE_NUMBER,
        }
    }

    fn from_header(field: &str) -> Option<Kind> {
        if field.eq_ignore_ascii_case(CERTIFICATE_ID) {
            Some(Kind::Certificate)
        } else if field.eq_ignore_ascii_case(LICENCE_NUMBER) {
            Some(Kind::Licence)
        } else {
            None
        }
    }
}

/// Trims `raw` and checks its length: the query for a filled-in value, or the row's problem.
fn check_value(kind: Kind, raw: &str) -> Result<Query, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(format!("{} is empty", kind.name()));
    }
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(format!("{} is longer than {MAX_VALUE_CHARS} characters", kind.name()));
    }
    Ok(match kind {
        Kind::Certificate => Query::Certificate(value.to_owned()),
        Kind::Licence => Query::Licence(value.to_owned()),
    })
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

// ---------------------------------------------------------------------------------------------
// JSON

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonState {
    /// Before the `[`: whitespace, or a BOM at byte 0.
    Start,
    /// This many bytes of the BOM seen.
    Bom(u8),
    /// Just after `[`: an element or `]`.
    First,
    /// Just after `,`: an element.
    Next,
    /// Inside a number, literal or bare word, which ends at whitespace, `,` or `]`.
    Scalar,
    /// Inside a string, object or array element (see `stack` and `in_string`).
    Nested,
    /// After an element: `,` or `]`.
    After,
    /// After the closing `]`: only whitespace.
    Done,
}

/// Splits a JSON array arriving in chunks into its elements and parses each one into an [`Item`].
#[derive(Debug)]
pub struct JsonArrayReader {
    state: JsonState,
    /// Bytes consumed so far (the offset of the next byte).
    offset: usize,
    /// Elements started so far (the row of the current or last element).
    rows: usize,
    /// Offset of the current element's first byte.
    element_start: usize,
    /// The current element's bytes, at most [`MAX_ITEM_BYTES`].
    buf: Vec<u8>,
    /// Open `{` and `[` inside the current element.
    stack: Vec<u8>,
    in_string: bool,
    escape: bool,
    failed: Option<BulkError>,
}

impl Default for JsonArrayReader {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonArrayReader {
    #[must_use]
    pub fn new() -> Self {
        JsonArrayReader {
            state: JsonState::Start,
            offset: 0,
            rows: 0,
            element_start: 0,
            buf: Vec::new(),
            stack: Vec::new(),
            in_string: false,
            escape: false,
            failed: None,
        }
    }

    /// Feeds the next chunk (cut anywhere); completed items are appended to `out`.
    ///
    /// # Errors
    /// A broken array, an element over [`MAX_ITEM_BYTES`] or not UTF-8, or more than [`MAX_ROWS`]
    /// elements. Items completed before the error are in `out`; every later call returns the same
    /// error.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<Item>) -> Result<(), BulkError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        for &b in chunk {
            if let Err(error) = self.step(b, out) {
                self.failed = Some(error.clone());
                return Err(error);
            }
            self.offset += 1;
        }
        Ok(())
    }

    /// The body has ended: an error unless the array was closed (and only whitespace follows).
    /// Never adds items (every element is complete before the closing `]`); `out` is there to
    /// match [`CsvReader::finish`].
    ///
    /// # Errors
    /// An empty body, or one that ends before the array is closed; or the error from `push`.
    pub fn finish(&mut self, _out: &mut Vec<Item>) -> Result<(), BulkError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let problem = match self.state {
            JsonState::Done => return Ok(()),
            JsonState::Start => return Err(self.fail(BulkError::Empty { expected: "a JSON array" })),
            JsonState::Bom(_) => return Err(self.fail(BulkError::NotAnArray { offset: self.offset })),
            JsonState::Nested if self.in_string => {
                "the body ended inside a string (a closing '\"' is missing)"
            }
            JsonState::Nested => "the body ended inside an element (a closing '}' or ']' is missing)",
            JsonState::First | JsonState::Next | JsonState::After | JsonState::Scalar => {
                "the body ended before the array was closed with ']'"
            }
        };
        let error = self.structure(problem);
        Err(self.fail(error))
    }

    fn fail(&mut self, error: BulkError) -> BulkError {
        self.failed = Some(error.clone());
        error
    }

    /// A structure error at the current byte.
    fn structure(&self, problem: &'static str) -> BulkError {
        let row = match self.state {
            JsonState::Start | JsonState::Bom(_) | JsonState::First | JsonState::Next => self.rows + 1,
            JsonState::Scalar | JsonState::Nested | JsonState::After | JsonState::Done => self.rows,
        };
        BulkError::Json { offset: self.offset, row, problem }
    }

    fn step(&mut self, b: u8, out: &mut Vec<Item>) -> Result<(), BulkError> {
        match self.state {
            JsonState::Start => match b {
                b'[' => self.state = JsonState::First,
                0xEF if self.offset == 0 => self.state = JsonState::Bom(1),
                _ if is_ws(b) => {}
                _ => return Err(BulkError::NotAnArray { offset: self.offset }),
            },
            JsonState::Bom(seen) => {
                if BOM.get(usize::from(seen)) != Some(&b) {
                    return Err(BulkError::NotAnArray { offset: self.offset });
                }
                self.state = if usize::from(seen) + 1 >= BOM.len() {
                    JsonState::Start
                } else {
                    JsonState::Bom(seen + 1)
                };
            }
            JsonState::First | JsonState::Next => match b {
                _ if is_ws(b) => {}
                b']' if self.state == JsonState::First => self.state = JsonState::Done,
                b']' | b',' | b'}' | b':' => {
                    return Err(self.structure(if self.state == JsonState::First {
                        "expected an element or ']'"
                    } else {
                        "expected an element after ','"
                    }));
                }
                _ => self.start_element(b)?,
            },
            JsonState::Scalar => match b {
                b',' => {
                    self.complete(out)?;
                    self.state = JsonState::Next;
                }
                b']' => {
                    self.complete(out)?;
                    self.state = JsonState::Done;
                }
                _ if is_ws(b) => {
                    self.complete(out)?;
                    self.state = JsonState::After;
                }
                b'{' | b'[' | b'"' | b'}' | b':' => return Err(self.structure(AFTER_ELEMENT)),
                _ => self.take(b)?,
            },
            JsonState::Nested => {
                self.take(b)?;
                if self.in_string {
                    if self.escape {
                        self.escape = false;
                    } else if b == b'\\' {
                        self.escape = true;
                    } else if b == b'"' {
                        self.in_string = false;
                        if self.stack.is_empty() {
                            self.complete(out)?;
                            self.state = JsonState::After;
                        }
                    }
                } else {
                    match b {
                        b'"' => self.in_string = true,
                        b'{' | b'[' => self.stack.push(b),
                        b'}' | b']' => {
                            let open = if b == b'}' { b'{' } else { b'[' };
                            if self.stack.pop() != Some(open) {
                                return Err(self.structure("a closing bracket does not match the open one"));
                            }
                            if self.stack.is_empty() {
                                self.complete(out)?;
                                self.state = JsonState::After;
                            }
                        }
                        _ => {}
                    }
                }
            }
            JsonState::After => match b {
                b',' => self.state = JsonState::Next,
                b']' => self.state = JsonState::Done,
                _ if is_ws(b) => {}
                _ => return Err(self.structure(AFTER_ELEMENT)),
            },
            JsonState::Done => {
                if !is_ws(b) {
                    return Err(BulkError::TrailingData { offset: self.offset });
                }
            }
        }
        Ok(())
    }

    fn start_element(&mut self, b: u8) -> Result<(), BulkError> {
        if self.rows >= MAX_ROWS {
            return Err(BulkError::TooManyRows { row: self.rows + 1 });
        }
        self.rows += 1;
        self.element_start = self.offset;
        self.buf.clear();
        self.buf.push(b);
        self.stack.clear();
        self.in_string = false;
        self.escape = false;
        self.state = match b {
            b'{' | b'[' => {
                self.stack.push(b);
                JsonState::Nested
            }
            b'"' => {
                self.in_string = true;
                JsonState::Nested
            }
            _ => JsonState::Scalar,
        };
        Ok(())
    }

    /// Adds a byte to the current element, keeping it within [`MAX_ITEM_BYTES`].
    fn take(&mut self, b: u8) -> Result<(), BulkError> {
        if self.buf.len() >= MAX_ITEM_BYTES {
            return Err(BulkError::ElementTooLong { offset: self.element_start, row: self.rows });
        }
        self.buf.push(b);
        Ok(())
    }

    /// The current element is complete: parses it into an item.
    fn complete(&mut self, out: &mut Vec<Item>) -> Result<(), BulkError> {
        let row = self.rows;
        let text = std::str::from_utf8(&self.buf).map_err(|e| BulkError::Json {
            offset: self.element_start + e.valid_up_to(),
            row,
            problem: "the element is not valid UTF-8 text",
        })?;
        out.push(Item { row, query: parse_element(text) });
        Ok(())
    }
}

/// Parses one complete JSON element into its query or the row's problem.
fn parse_element(text: &str) -> Result<Query, String> {
    match serde_json::from_str::<Element>(text) {
        Ok(Element(query)) => query,
        Err(error) => {
            let message = error.to_string();
            let position = format!(" at line {} column {}", error.line(), error.column());
            Err(format!("not valid JSON: {}", message.strip_suffix(&position).unwrap_or(&message)))
        }
    }
}

fn not_an_object(found: &str) -> String {
    format!("expected {{\"{CERTIFICATE_ID}\": …}} or {{\"{LICENCE_NUMBER}\": …}}, found {found}")
}

/// One array element as the row it describes (a wrong shape is the `Err`, not a parse error).
struct Element(Result<Query, String>);

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ElementVisitor).map(Element)
    }
}

struct ElementVisitor;

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = Result<Query, String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err(not_an_object("true or false")))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err(not_an_object("a number")))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err(not_an_object("a number")))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err(not_an_object("a number")))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err(not_an_object("a string")))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err(not_an_object("null")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(not_an_object("an array")))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Reads every member even after a problem, so that the element is checked to the end.
        let mut found: Option<(Kind, serde_json::Value)> = None;
        let mut problem: Option<String> = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Other(name) => {
                    map.next_value::<IgnoredAny>()?;
                    let only = format!("give only \"{CERTIFICATE_ID}\" or \"{LICENCE_NUMBER}\"");
                    problem.get_or_insert_with(|| format!("unexpected member {name:?}: {only}"));
                }
                Key::Known(kind) => {
                    let value = map.next_value::<serde_json::Value>()?;
                    match &found {
                        None => found = Some((kind, value)),
                        Some((first, _)) if *first == kind => {
                            problem.get_or_insert_with(|| format!("\"{}\" appears twice", kind.name()));
                        }
                        Some(_) => {
                            problem.get_or_insert_with(|| {
                                format!(
                                    "has both \"{CERTIFICATE_ID}\" and \"{LICENCE_NUMBER}\": give only one"
                                )
                            });
                        }
                    }
                }
            }
        }
        if let Some(problem) = problem {
            return Ok(Err(problem));
        }
        Ok(match found {
            None => Err(not_an_object("an empty object")),
            Some((kind, serde_json::Value::String(value))) => check_value(kind, &value),
            Some((kind, _)) => Err(format!("\"{}\" must be a string", kind.name())),
        })
    }
}

/// A member name of an element object.
enum Key {
    Known(Kind),
    Other(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E>(self, name: &str) -> Result<Key, E> {
        Ok(match name {
            CERTIFICATE_ID => Key::Known(Kind::Certificate),
            LICENCE_NUMBER => Key::Known(Kind::Licence),
            other => Key::Other(other.to_owned()),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

/// Splits a CSV file arriving in chunks into lines, reads the header, and turns each later line
/// into an [`Item`].
#[derive(Debug)]
pub struct CsvReader {
    /// Number of the line being read (from 1).
    line: usize,
    /// The current line's bytes so far, at most [`MAX_ITEM_BYTES`] plus room for a BOM and `\r`.
    buf: Vec<u8>,
    /// The header's columns, once read.
    columns: Option<Vec<Kind>>,
    /// Data rows so far.
    rows: usize,
    failed: Option<BulkError>,
}

impl Default for CsvReader {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvReader {
    #[must_use]
    pub fn new() -> Self {
        CsvReader { line: 1, buf: Vec::new(), columns: None, rows: 0, failed: None }
    }

    /// Feeds the next chunk (cut anywhere); completed lines become items appended to `out`.
    ///
    /// # Errors
    /// A bad header, a line over [`MAX_ITEM_BYTES`], or more than [`MAX_ROWS`] rows. Items
    /// completed before the error are in `out`; every later call returns the same error.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<Item>) -> Result<(), BulkError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        for piece in chunk.split_inclusive(|&b| b == b'\n') {
            let result = match piece.strip_suffix(b"\n") {
                Some(rest) => self.append(rest).and_then(|()| self.end_line(out)),
                None => self.append(piece),
            };
            if let Err(error) = result {
                self.failed = Some(error.clone());
                return Err(error);
            }
        }
        Ok(())
    }

    /// The body has ended: processes a last line that has no newline.
    ///
    /// # Errors
    /// A body without a header line, or what `push` would return for the last line; or the error
    /// from `push`.
    pub fn finish(&mut self, out: &mut Vec<Item>) -> Result<(), BulkError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let mut result = if self.buf.is_empty() { Ok(()) } else { self.end_line(out) };
        if result.is_ok() && self.columns.is_none() {
            result = Err(BulkError::Empty {
                expected: "a CSV file whose first line is the header certificate_id, licence_number, or both",
            });
        }
        if let Err(error) = &result {
            self.failed = Some(error.clone());
        }
        result
    }

    fn append(&mut self, bytes: &[u8]) -> Result<(), BulkError> {
        // Room for a BOM (line 1) and the `\r` of `\r\n`; the exact limit is checked in `end_line`.
        if self.buf.len() + bytes.len() > MAX_ITEM_BYTES + BOM.len() + 1 {
            return Err(BulkError::LineTooLong { line: self.line });
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    fn end_line(&mut self, out: &mut Vec<Item>) -> Result<(), BulkError> {
        let buf = std::mem::take(&mut self.buf);
        let result = self.process_line(&buf, out);
        self.buf = buf;
        self.buf.clear();
        self.line += 1;
        result
    }

    fn process_line(&mut self, line: &[u8], out: &mut Vec<Item>) -> Result<(), BulkError> {
        let mut content = line;
        if self.line == 1 {
            content = content.strip_prefix(BOM).unwrap_or(content);
        }
        content = content.strip_suffix(b"\r").unwrap_or(content);
        if content.len() > MAX_ITEM_BYTES {
            return Err(BulkError::LineTooLong { line: self.line });
        }
        if content.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        match &self.columns {
            None => {
                let columns = parse_header(content).ok_or_else(|| BulkError::CsvHeader {
                    line: self.line,
                    found: String::from_utf8_lossy(content).chars().take(80).collect(),
                })?;
                self.columns = Some(columns);
            }
            Some(columns) => {
                if self.rows >= MAX_ROWS {
                    return Err(BulkError::TooManyRows { row: self.line });
                }
                self.rows += 1;
                out.push(Item { row: self.line, query: parse_row(content, columns) });
            }
        }
        Ok(())
    }
}

/// The columns of a header line, if it is one of the allowed forms.
fn parse_header(content: &[u8]) -> Option<Vec<Kind>> {
    let text = std::str::from_utf8(content).ok()?;
    let fields = split_line(text).ok()?;
    let columns = fields.iter().map(|field| Kind::from_header(field.trim())).collect::<Option<Vec<_>>>()?;
    match columns.as_slice() {
        [_] => Some(columns),
        [first, second] if first != second => Some(columns),
        _ => None,
    }
}

/// One data line as a query, or the row's problem.
fn parse_row(content: &[u8], columns: &[Kind]) -> Result<Query, String> {
    let text =
        std::str::from_utf8(content).map_err(|_| "not UTF-8 text: save the file as CSV UTF-8".to_owned())?;
    let fields = split_line(text)?;
    if fields.len() != columns.len() {
        let noun = if fields.len() == 1 { "column" } else { "columns" };
        return Err(format!("{} {noun}, expected {}", fields.len(), columns.len()));
    }
    let mut filled = columns.iter().zip(&fields).filter(|(_, value)| !value.trim().is_empty());
    match (filled.next(), filled.next()) {
        (Some((kind, value)), None) => check_value(*kind, value),
        (Some(_), Some(_)) => {
            Err(format!("both {CERTIFICATE_ID} and {LICENCE_NUMBER} are filled in: give only one"))
        }
        (None, _) => match columns {
            [kind] => Err(format!("{} is empty", kind.name())),
            _ => Err(format!("neither {CERTIFICATE_ID} nor {LICENCE_NUMBER} is filled in")),
        },
    }
}

/// The fields of one CSV line (without its line ending).
fn split_line(text: &str) -> Result<Vec<Cow<'_, str>>, String> {
    if !text.contains('"') {
        return Ok(text.split(',').map(Cow::Borrowed).collect());
    }
    if quote_left_open(text.as_bytes()) {
        return Err("a quoted field is not closed on this line (a field cannot span lines)".to_owned());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => Ok(record.iter().map(|field| Cow::Owned(field.to_owned())).collect()),
        Ok(false) => Ok(vec![Cow::Borrowed("")]),
        Err(error) => Err(format!("not valid CSV: {error}")),
    }
}

/// Whether a field opened with `"` is still open at the end of the line (as the `csv` crate reads
/// quotes: only at the start of a field, `""` inside is one quote).
fn quote_left_open(line: &[u8]) -> bool {
    #[derive(Clone, Copy)]
    enum Field {
        Start,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = Field::Start;
    for &b in line {
        state = match (state, b) {
            (Field::Start | Field::QuoteInQuoted, b'"') => Field::Quoted,
            (Field::Start | Field::Unquoted | Field::QuoteInQuoted, b',') => Field::Start,
            (Field::Start | Field::Unquoted | Field::QuoteInQuoted, _) => Field::Unquoted,
            (Field::Quoted, b'"') => Field::QuoteInQuoted,
            (Field::Quoted, _) => Field::Quoted,
        };
    }
    matches!(state, Field::Quoted)
}

/// What both readers do, for code written once for either (the tests and the fuzz target feed
/// each the same bodies cut in different places).
pub trait ItemReader: Default {
    /// [`JsonArrayReader::push`], [`CsvReader::push`].
    fn push(&mut self, chunk: &[u8], out: &mut Vec<Item>) -> Result<(), BulkError>;
    /// [`JsonArrayReader::finish`], [`CsvReader::finish`].
    fn finish(&mut self, out: &mut Vec<Item>) -> Result<(), BulkError>;
}

impl ItemReader for JsonArrayReader {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<Item>) -> Result<(), BulkError> {
        JsonArrayReader::push(self, chunk, out)
    }
    fn finish(&mut self, out: &mut Vec<Item>) -> Result<(), BulkError> {
        JsonArrayReader::finish(self, out)
    }
}

impl ItemReader for CsvReader {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<Item>) -> Result<(), BulkError> {
        CsvReader::push(self, chunk, out)
    }
    fn finish(&mut self, out: &mut Vec<Item>) -> Result<(), BulkError> {
        CsvReader::finish(self, out)
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    type Outcome = (Vec<Item>, Result<(), BulkError>);

    /// Feeds `input` in chunks of the sizes `next_size` gives (an empty chunk first, which must do
    /// nothing); stops at the first error, which must then stick.
    fn feed<R: ItemReader>(input: &[u8], next_size: &mut dyn FnMut() -> usize) -> Outcome {
        let mut reader = R::default();
        let mut out = Vec::new();
        reader.push(b"", &mut out).unwrap();
        let mut rest = input;
        while !rest.is_empty() {
            let (chunk, tail) = rest.split_at(next_size().clamp(1, rest.len()));
            if let Err(error) = reader.push(chunk, &mut out) {
                assert_eq!(reader.push(b"]", &mut out), Err(error.clone()), "errors stick");
                assert_eq!(reader.finish(&mut out), Err(error.clone()), "errors stick");
                return (out, Err(error));
            }
            rest = tail;
        }
        let result = reader.finish(&mut out);
        assert_eq!(reader.finish(&mut out), result, "finish is repeatable");
        (out, result)
    }

    /// Feeds `input` whole, one byte at a time, and in pseudo-random chunks (small and large), and
    /// checks that all give the same items and error.
    fn run<R: ItemReader>(input: &[u8]) -> Outcome {
        let whole = feed::<R>(input, &mut || usize::MAX);
        assert_eq!(feed::<R>(input, &mut || 1), whole, "one byte at a time");
        for (seed, max) in [(1_u64, 7_u64), (42, 64), (2024, 700), (7, 70_000)] {
            let mut state = seed;
            let mut next = || {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                usize::try_from((state >> 33) % max + 1).unwrap()
            };
            assert_eq!(feed::<R>(input, &mut next), whole, "chunks of 1..={max}, seed {seed}");
        }
        whole
    }

    fn json(input: impl AsRef<[u8]>) -> Outcome {
        run::<JsonArrayReader>(input.as_ref())
    }

    fn csv(input: impl AsRef<[u8]>) -> Outcome {
        run::<CsvReader>(input.as_ref())
    }

    fn json_ok(input: impl AsRef<[u8]>) -> Vec<Item> {
        let (items, result) = json(input);
        assert_eq!(result, Ok(()));
        items
    }

    fn csv_ok(input: impl AsRef<[u8]>) -> Vec<Item> {
        let (items, result) = csv(input);
        assert_eq!(result, Ok(()));
        items
    }

    fn json_err(input: impl AsRef<[u8]>) -> (Vec<Item>, BulkError) {
        let (items, result) = json(input);
        (items, result.unwrap_err())
    }

    fn csv_err(input: impl AsRef<[u8]>) -> (Vec<Item>, BulkError) {
        let (items, result) = csv(input);
        (items, result.unwrap_err())
    }

    fn cert(row: usize, id: &str) -> Item {
        Item { row, query: Ok(Query::Certificate(id.to_owned())) }
    }

    fn lic(row: usize, number: &str) -> Item {
        Item { row, query: Ok(Query::Licence(number.to_owned())) }
    }

    fn bad(row: usize, problem: &str) -> Item {
        Item { row, query: Err(problem.to_owned()) }
    }

    fn offset_of(input: &str, needle: &str) -> usize {
        input.find(needle).unwrap()
    }

    const SHAPE: &str = r#"expected {"certificate_id": …} or {"licence_number": …}"#;

    // ----- JSON: rows

    #[test]
    fn json_reads_both_kinds_with_whitespace_and_trimming() {
        assert_eq!(
            json_ok(r#"[{"certificate_id":"C-1"},{"licence_number":"L-2"}]"#),
            [cert(1, "C-1"), lic(2, "L-2")]
        );
        let pretty = "\r\n[\n  { \"certificate_id\" : \"  C-1 \" } ,\n\t{\"licence_number\":\"L-2\"}\n]\n  ";
        assert_eq!(json_ok(pretty), [cert(1, "C-1"), lic(2, "L-2")]);
    }

    #[test]
    fn json_empty_array_and_bom() {
        assert_eq!(json_ok("[]"), []);
        assert_eq!(json_ok(" \n[ \r\n ]\n "), []);
        assert_eq!(json_ok("\u{FEFF}[]"), []);
        assert_eq!(json_ok("\u{FEFF}\n[{\"licence_number\":\"L\"}]"), [lic(1, "L")]);
    }

    #[test]
    fn json_strings_with_escaped_quotes_brackets_and_commas() {
        let input = r#"[{"certificate_id":"a\"],b"},{"licence_number":"x\\"},{"certificate_id":"{[,]}"},
            {"certificate_id":"\\\"]"}]"#;
        assert_eq!(json_ok(input), [cert(1, "a\"],b"), lic(2, "x\\"), cert(3, "{[,]}"), cert(4, "\\\"]")]);
    }

    #[test]
    fn json_unicode_escapes_and_raw_utf8() {
        let input = r#"[{"licence_number":"\u00e9\ud83d\ude00"},{"certificate_id":"Ünïcödé-😀"},
            {"licence\u005fnumber":"L"}]"#;
        assert_eq!(json_ok(input), [lic(1, "é😀"), cert(2, "Ünïcödé-😀"), lic(3, "L")]);
    }

    #[test]
    fn json_other_values_are_row_errors() {
        let input = r#"[[1,[2,{"x":"]"}]],{"a":{"b":[]}},"str",12,-1.5e3,null,true,
            {"certificate_id":"ok"}]"#;
        assert_eq!(
            json_ok(input),
            [
                bad(1, &format!("{SHAPE}, found an array")),
                bad(2, r#"unexpected member "a": give only "certificate_id" or "licence_number""#),
                bad(3, &format!("{SHAPE}, found a string")),
                bad(4, &format!("{SHAPE}, found a number")),
                bad(5, &format!("{SHAPE}, found a number")),
                bad(6, &format!("{SHAPE}, found null")),
                bad(7, &format!("{SHAPE}, found true or false")),
                cert(8, "ok"),
            ]
        );
    }

    #[test]
    fn json_member_rules() {
        let long = "x".repeat(MAX_VALUE_CHARS + 1);
        let longest = "é".repeat(MAX_VALUE_CHARS);
        let input = format!(
            r#"[{{}}, {{"certificate_id":"a","licence_number":"b"}},
            {{"certificate_id":"a","certificate_id":"b"}}, {{"certificate_id":""}}, {{"licence_number":"  "}},
            {{"certificate_id":123}}, {{"licence_number":null}}, {{"certificate_id":"x","note":"y"}},
            {{"Certificate_ID":"x"}}, {{"licence_number":"{long}"}}, {{"licence_number":" {longest} "}}]"#
        );
        assert_eq!(
            json_ok(input),
            [
                bad(1, &format!("{SHAPE}, found an empty object")),
                bad(2, r#"has both "certificate_id" and "licence_number": give only one"#),
                bad(3, r#""certificate_id" appears twice"#),
                bad(4, "certificate_id is empty"),
                bad(5, "licence_number is empty"),
                bad(6, r#""certificate_id" must be a string"#),
                bad(7, r#""licence_number" must be a string"#),
                bad(8, r#"unexpected member "note": give only "certificate_id" or "licence_number""#),
                bad(
                    9,
                    r#"unexpected member "Certificate_ID": give only "certificate_id" or "licence_number""#
                ),
                bad(10, "licence_number is longer than 100 characters"),
                lic(11, &longest),
            ]
        );
    }

    #[test]
    fn json_invalid_elements_are_row_errors() {
        let input = r#"[{"certificate_id" "x"}, tru, {"licence_number":"a",}, 01, {"certificate_id":"\q"},
            {"licence_number":"ok"}]"#;
        let items = json_ok(input);
        assert_eq!(items.len(), 6);
        assert_eq!(items.first(), Some(&bad(1, "not valid JSON: expected `:`")));
        for (index, item) in items.iter().take(5).enumerate() {
            assert_eq!(item.row, index + 1);
            let problem = item.query.as_ref().unwrap_err();
            assert!(problem.starts_with("not valid JSON: "), "{problem}");
            assert!(!problem.contains(" at line "), "{problem}");
        }
        assert_eq!(items.get(5), Some(&lic(6, "ok")));
    }

    // ----- JSON: fatal errors

    #[test]
    fn json_not_an_array() {
        let (items, error) = json_err(r#"{"certificate_id":"x"}"#);
        assert_eq!((items, &error), (vec![], &BulkError::NotAnArray { offset: 0 }));
        assert_eq!(error.to_string(), "byte 0: the body is not a JSON array (it must start with '[')");
        assert_eq!(json_err("  \n x").1, BulkError::NotAnArray { offset: 4 });
        assert_eq!(json_err("certificate_id\nC-1\n").1, BulkError::NotAnArray { offset: 0 });
        assert_eq!(json_err(b"\xEF\xBB[]").1, BulkError::NotAnArray { offset: 2 });
        assert_eq!(json_err(b"\xEF").1, BulkError::NotAnArray { offset: 1 });
        assert_eq!(json_err(b" \xEF\xBB\xBF[]").1, BulkError::NotAnArray { offset: 1 });
        assert_eq!(json_err(b"\xEF\xBB\xBF\xEF\xBB\xBF[]").1, BulkError::NotAnArray { offset: 3 });
    }

    #[test]
    fn json_empty_body() {
        let empty = BulkError::Empty { expected: "a JSON array" };
        assert_eq!(json_err(""), (vec![], empty.clone()));
        assert_eq!(json_err(" \r\n\t").1, empty);
        assert_eq!(json_err("\u{FEFF}").1, empty);
        assert_eq!(empty.to_string(), "the body is empty: expected a JSON array");
    }

    #[test]
    fn json_missing_comma() {
        let input = r#"[{"certificate_id":"a"} {"certificate_id":"b"}]"#;
        let (items, error) = json_err(input);
        assert_eq!(items, [cert(1, "a")]);
        assert_eq!(error, BulkError::Json { offset: 24, row: 1, problem: AFTER_ELEMENT });
        assert_eq!(error.to_string(), "byte 24 (row 1): expected ',' or ']' after an element");

        assert_eq!(
            json_err("[1 2]"),
            (
                vec![bad(1, &format!("{SHAPE}, found a number"))],
                BulkError::Json { offset: 3, row: 1, problem: AFTER_ELEMENT }
            )
        );
        assert_eq!(json_err(r#"["a""b"]"#).1, BulkError::Json { offset: 4, row: 1, problem: AFTER_ELEMENT });
        assert_eq!(
            json_err(r#"[1"a"]"#),
            (vec![], BulkError::Json { offset: 2, row: 1, problem: AFTER_ELEMENT })
        );
        assert_eq!(json_err("[1}").1, BulkError::Json { offset: 2, row: 1, problem: AFTER_ELEMENT });
        assert_eq!(
            json_err(r#"[{"licence_number":"L"}:]"#).1,
            BulkError::Json { offset: 23, row: 1, problem: AFTER_ELEMENT }
        );
    }

    #[test]
    fn json_misplaced_commas_and_brackets() {
        let first = "expected an element or ']'";
        let next = "expected an element after ','";
        assert_eq!(json_err("[,1]").1, BulkError::Json { offset: 1, row: 1, problem: first });
        assert_eq!(json_err("[}").1, BulkError::Json { offset: 1, row: 1, problem: first });
        let (items, error) = json_err("[1,]");
        assert_eq!(items.len(), 1);
        assert_eq!(error, BulkError::Json { offset: 3, row: 2, problem: next });
        assert_eq!(error.to_string(), "byte 3 (row 2): expected an element after ','");
        assert_eq!(json_err("[1, ,2]").1, BulkError::Json { offset: 4, row: 2, problem: next });

        let input = r#"[{"certificate_id":"a"},{"a":[1}]"#;
        assert_eq!(
            json_err(input),
            (
                vec![cert(1, "a")],
                BulkError::Json {
                    offset: offset_of(input, "1}") + 1,
                    row: 2,
                    problem: "a closing bracket does not match the open one"
                }
            )
        );
    }

    #[test]
    fn json_body_ends_too_soon() {
        let in_string = "the body ended inside a string (a closing '\"' is missing)";
        let in_element = "the body ended inside an element (a closing '}' or ']' is missing)";
        let unclosed = "the body ended before the array was closed with ']'";
        let cases: [(&str, usize, usize, &str); 10] = [
            (r#"[{"certificate_id":"abc"#, 0, 1, in_string),
            (r#"["abc\""#, 0, 1, in_string),
            (r#"[{"certificate_id":"a"},{"certificate_id":"b\"#, 1, 2, in_string),
            (r#"[{"certificate_id":"a""#, 0, 1, in_element),
            (r"[[[]", 0, 1, in_element),
            (r"[[[]]", 1, 1, unclosed),
            ("[", 0, 1, unclosed),
            ("[12", 0, 1, unclosed),
            (r#"[{"certificate_id":"a"} "#, 1, 1, unclosed),
            (r#"[{"certificate_id":"a"},"#, 1, 2, unclosed),
        ];
        for (input, items, row, problem) in cases {
            let (got, error) = json_err(input);
            assert_eq!(got.len(), items, "{input}");
            assert_eq!(error, BulkError::Json { offset: input.len(), row, problem }, "{input}");
        }
        assert_eq!(
            BulkError::Json { offset: 21, row: 1, problem: in_string }.to_string(),
            "byte 21 (row 1): the body ended inside a string (a closing '\"' is missing)"
        );
    }

    #[test]
    fn json_trailing_data() {
        let (items, error) = json_err(r#"[{"licence_number":"L"}] x"#);
        assert_eq!(items, [lic(1, "L")]);
        assert_eq!(error, BulkError::TrailingData { offset: 25 });
        assert_eq!(error.to_string(), "byte 25: unexpected data after the closing ']' of the array");
        assert_eq!(json_err("[]]").1, BulkError::TrailingData { offset: 2 });
        assert_eq!(json_err("[][]").1, BulkError::TrailingData { offset: 2 });
        assert_eq!(json_ok("[{\"licence_number\":\"L\"}]\r\n\n"), [lic(1, "L")]);
    }

    #[test]
    fn json_invalid_utf8_is_fatal() {
        let input = b"[{\"certificate_id\":\"a\"},{\"certificate_id\":\"b\xFFc\"}]";
        let offset = input.iter().position(|&b| b == 0xFF).unwrap();
        let (items, error) = json_err(input);
        assert_eq!(items, [cert(1, "a")]);
        assert_eq!(error, BulkError::Json { offset, row: 2, problem: "the element is not valid UTF-8 text" });
        assert_eq!(error.to_string(), format!("byte {offset} (row 2): the element is not valid UTF-8 text"));
        assert_eq!(
            json_err(b"[\xFF]").1,
            BulkError::Json { offset: 1, row: 1, problem: "the element is not valid UTF-8 text" }
        );
        assert_eq!(
            json_err(b"[\"ab\xC3\"]").1,
            BulkError::Json { offset: 4, row: 1, problem: "the element is not valid UTF-8 text" }
        );
    }

    #[test]
    fn json_element_length_limit() {
        let head = r#"{"certificate_id":"C""#;
        let exact = format!("{head}{}}}", " ".repeat(MAX_ITEM_BYTES - head.len() - 1));
        assert_eq!(exact.len(), MAX_ITEM_BYTES);
        assert_eq!(json_ok(format!("[{exact}, {exact}]")), [cert(1, "C"), cert(2, "C")]);

        let over = format!("{head}{}}}", " ".repeat(MAX_ITEM_BYTES - head.len()));
        let (items, error) = json_err(format!("[{exact}, {over}]"));
        assert_eq!(items, [cert(1, "C")]);
        assert_eq!(error, BulkError::ElementTooLong { offset: MAX_ITEM_BYTES + 3, row: 2 });
        assert_eq!(
            error.to_string(),
            format!(
                "byte {} (row 2): the element starting here is longer than 1024 bytes",
                MAX_ITEM_BYTES + 3
            )
        );
        let number = "1".repeat(MAX_ITEM_BYTES + 1);
        assert_eq!(json_err(format!("[{number}]")).1, BulkError::ElementTooLong { offset: 1, row: 1 });
        let string = format!("\"{}", "s".repeat(MAX_ITEM_BYTES * 4));
        assert_eq!(json_err(format!("[{string}")).1, BulkError::ElementTooLong { offset: 1, row: 1 });
    }

    #[test]
    fn json_row_limit() {
        let body = |rows: usize| format!("[{}\"x\"]", "\"x\",".repeat(rows - 1));
        let items = json_ok(body(MAX_ROWS));
        assert_eq!(items.len(), MAX_ROWS);
        assert_eq!(items.last().unwrap().row, MAX_ROWS);

        let (items, error) = json_err(body(MAX_ROWS + 1));
        assert_eq!(items.len(), MAX_ROWS);
        assert_eq!(error, BulkError::TooManyRows { row: MAX_ROWS + 1 });
        assert_eq!(
            error.to_string(),
            "row 100001: more than 100000 rows; split the upload into parts of at most 100000 rows"
        );
    }

    // ----- CSV: rows

    #[test]
    fn csv_single_column() {
        assert_eq!(csv_ok("certificate_id\nC-1\n C-2 \n"), [cert(2, "C-1"), cert(3, "C-2")]);
        assert_eq!(csv_ok("licence_number\nL-1\n"), [lic(2, "L-1")]);
    }

    #[test]
    fn csv_crlf_bom_and_header_case() {
        let input = "\u{FEFF} Licence_Number \r\nL-1\r\n\r\n  L-2  \r\n";
        assert_eq!(csv_ok(input), [lic(2, "L-1"), lic(4, "L-2")]);
        assert_eq!(csv_ok("\u{FEFF}CERTIFICATE_ID\r\nC-1"), [cert(2, "C-1")]);
    }

    #[test]
    fn csv_both_columns_in_either_order() {
        let input = "licence_number,certificate_id\nL-1,\n,C-2\nL-3,C-3\n,\n  , \n";
        assert_eq!(
            csv_ok(input),
            [
                lic(2, "L-1"),
                cert(3, "C-2"),
                bad(4, "both certificate_id and licence_number are filled in: give only one"),
                bad(5, "neither certificate_id nor licence_number is filled in"),
                bad(6, "neither certificate_id nor licence_number is filled in"),
            ]
        );
        assert_eq!(
            csv_ok("Certificate_ID , licence_number\r\nC-1 ,\r\n, L-2\r\n"),
            [cert(2, "C-1"), lic(3, "L-2")]
        );
    }

    #[test]
    fn csv_quoted_fields() {
        let input = "\"certificate_id\"\n\"C, 1\"\n\"a \"\"quoted\"\" id\"\n\" C-3 \"\n\"\"\n";
        assert_eq!(
            csv_ok(input),
            [cert(2, "C, 1"), cert(3, "a \"quoted\" id"), cert(4, "C-3"), bad(5, "certificate_id is empty")]
        );
        assert_eq!(
            csv_ok("licence_number,\"certificate_id\"\r\n\"L,1\",\"\"\r\n\"\",C\"2\r\n"),
            [lic(2, "L,1"), cert(3, "C\"2")]
        );
        assert_eq!(
            csv_ok("certificate_id\n\"C-1\nC-2\n\"\"\"\n"),
            [
                bad(2, "a quoted field is not closed on this line (a field cannot span lines)"),
                cert(3, "C-2"),
                bad(4, "a quoted field is not closed on this line (a field cannot span lines)"),
            ]
        );
    }

    #[test]
    fn csv_wrong_number_of_columns() {
        assert_eq!(csv_ok("certificate_id\nA,B\nC\n"), [bad(2, "2 columns, expected 1"), cert(3, "C")]);
        assert_eq!(
            csv_ok("certificate_id,licence_number\nX\na,,\n\"a,b\",\"\"\n"),
            [bad(2, "1 column, expected 2"), bad(3, "3 columns, expected 2"), cert(4, "a,b")]
        );
    }

    #[test]
    fn csv_blank_lines_are_skipped_but_counted() {
        let input = "\n\r\ncertificate_id\n\nC-1\n   \n\t\r\nC-2\n\n\n";
        assert_eq!(csv_ok(input), [cert(5, "C-1"), cert(8, "C-2")]);
    }

    #[test]
    fn csv_last_line_without_newline() {
        assert_eq!(csv_ok("certificate_id\nC-1"), [cert(2, "C-1")]);
        assert_eq!(csv_ok("certificate_id\r\nC-1\r"), [cert(2, "C-1")]);
        assert_eq!(csv_ok("certificate_id"), []);
        assert_eq!(csv_ok("certificate_id\n"), []);
    }

    #[test]
    fn csv_values_not_utf8_or_too_long() {
        let long = "x".repeat(MAX_VALUE_CHARS + 1);
        let longest = "é".repeat(MAX_VALUE_CHARS);
        let mut input = b"certificate_id\nC-\xFF\n".to_vec();
        input.extend_from_slice(format!("{long}\n{longest}\nC-4\n").as_bytes());
        assert_eq!(
            csv_ok(input),
            [
                bad(2, "not UTF-8 text: save the file as CSV UTF-8"),
                bad(3, "certificate_id is longer than 100 characters"),
                cert(4, &longest),
                cert(5, "C-4"),
            ]
        );
    }

    // ----- CSV: fatal errors

    #[test]
    fn csv_bad_header() {
        let (items, error) = csv_err("cert\nC-1\n");
        assert_eq!((items, &error), (vec![], &BulkError::CsvHeader { line: 1, found: "cert".to_owned() }));
        assert_eq!(
            error.to_string(),
            "line 1: the CSV header must be certificate_id, licence_number, or both (found \"cert\")"
        );
        for header in [
            "certificate_id,certificate_id",
            "certificate_id,licence_number,name",
            "certificate_id;licence_number",
            "license_number",
            "certificate_id,",
            "C-1",
        ] {
            let error = csv_err(format!("{header}\r\nC-1\r\n")).1;
            assert_eq!(error, BulkError::CsvHeader { line: 1, found: header.to_owned() });
        }
        assert_eq!(
            csv_err(b"certificate_\xFFid\n").1,
            BulkError::CsvHeader { line: 1, found: "certificate_\u{FFFD}id".to_owned() }
        );
        assert_eq!(csv_err("\n\nnumber\n").1, BulkError::CsvHeader { line: 3, found: "number".to_owned() });
    }

    #[test]
    fn csv_empty_body() {
        let (items, error) = csv_err("");
        assert_eq!(items, []);
        assert!(matches!(error, BulkError::Empty { .. }));
        assert_eq!(
            error.to_string(),
            "the body is empty: expected a CSV file whose first line is the header certificate_id, \
             licence_number, or both"
        );
        assert_eq!(csv_err("\u{FEFF}").1, error);
        assert_eq!(csv_err("\n\r\n  \n").1, error);
    }

    #[test]
    fn csv_line_length_limit() {
        let header = format!("\u{FEFF}{:1$}\r\n", "certificate_id", MAX_ITEM_BYTES);
        let exact = format!("{:1$}", "C", MAX_ITEM_BYTES);
        assert_eq!(
            csv_ok(format!("{header}{exact}\r\n{exact}\n{exact}")),
            [cert(2, "C"), cert(3, "C"), cert(4, "C")]
        );

        let over = format!("{exact} ");
        for input in [format!("{header}{exact}\n{over}\r\n"), format!("{header}{exact}\n{over}")] {
            let (items, error) = csv_err(input);
            assert_eq!(items, [cert(2, "C")]);
            assert_eq!(error, BulkError::LineTooLong { line: 3 });
            assert_eq!(error.to_string(), "line 3: the line is longer than 1024 bytes");
        }
        let huge = format!("certificate_id\n{}", "C".repeat(MAX_ITEM_BYTES * 8));
        assert_eq!(csv_err(huge).1, BulkError::LineTooLong { line: 2 });
        assert_eq!(csv_err(format!("\u{FEFF}{over}\n")).1, BulkError::LineTooLong { line: 1 });
    }

    #[test]
    fn csv_row_limit() {
        let body = |rows: usize| format!("licence_number\r\n\r\n{}", "L\r\n".repeat(rows));
        let items = csv_ok(body(MAX_ROWS));
        assert_eq!(items.len(), MAX_ROWS);
        assert_eq!(items.last().unwrap().row, MAX_ROWS + 2);

        let (items, error) = csv_err(body(MAX_ROWS + 1));
        assert_eq!(items.len(), MAX_ROWS);
        assert_eq!(error, BulkError::TooManyRows { row: MAX_ROWS + 3 });
    }

    // ----- both

    #[test]
    fn mutated_inputs_give_the_same_outcome_in_any_chunks() {
        let json_base = r#"\u{FEFF}[{"certificate_id":"a\"],b"}, {"licence_number":" L-1 "}, [1,{"x":"}"}], 12,
            "s", {"certificate_id":"C","note":null}]"#;
        let csv_base =
            "\u{FEFF}certificate_id,licence_number\r\n\"C,1\",\r\n,L-2\n\n\"a \"\"b\"\"\",\r\nx,y\n";
        let alphabet = b"[]{}\",:\\ \n\r\xFF\xC3a1";
        let mut state = 99_u64;
        let mut next = |below: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(state >> 33).unwrap() % below
        };
        let mut fatal = 0;
        for round in 0..300 {
            let base = if round % 2 == 0 { json_base.as_bytes() } else { csv_base.as_bytes() };
            let mut input = base.to_vec();
            for _ in 0..=next(3) {
                let at = next(input.len());
                input[at] = alphabet[next(alphabet.len())];
            }
            let keep = next(input.len() + 1).max(input.len() / 2);
            input.truncate(keep);
            // `run` checks that every way of cutting the input agrees.
            fatal += usize::from(json(&input).1.is_err()) + usize::from(csv(&input).1.is_err());
        }
        assert!(fatal > 0 && fatal < 600, "{fatal}");
    }

    // ----- the largest body a request may carry, read in network-sized chunks

    #[test]
    fn the_largest_body_is_read_whole_in_chunks() {
        let mut body = String::from("[");
        for row in 0..MAX_ROWS {
            if row > 0 {
                body.push_str(",\n");
            }
            if row % 2 == 0 {
                write!(body, r#"{{"certificate_id": "CERT-{row:08}"}}"#).unwrap();
            } else {
                write!(body, r#"{{"licence_number": "RN/{row:07}/KE"}}"#).unwrap();
            }
        }
        body.push(']');
        let mut reader = JsonArrayReader::new();
        let mut out = Vec::with_capacity(1000);
        let mut rows = 0;
        for chunk in body.as_bytes().chunks(64 * 1024) {
            reader.push(chunk, &mut out).unwrap();
            rows += out.len();
            out.clear();
        }
        reader.finish(&mut out).unwrap();
        assert_eq!(rows + out.len(), MAX_ROWS);

        let mut body = String::from("certificate_id,licence_number\r\n");
        for row in 0..MAX_ROWS {
            write!(body, "CERT-{row:08},\r\n").unwrap();
        }
        let mut reader = CsvReader::new();
        let mut out = Vec::new();
        for chunk in body.as_bytes().chunks(64 * 1024) {
            reader.push(chunk, &mut out).unwrap();
        }
        reader.finish(&mut out).unwrap();
        assert_eq!(out.len(), MAX_ROWS);
    }
}
