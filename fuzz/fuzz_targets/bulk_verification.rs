//! A regulator's bulk verification upload (`credits::bulk`): a JSON array or a CSV of
//! certificate ids and licence numbers, arriving as chunks cut anywhere. The first byte picks
//! the format and the chunk size; the rest is the body. Besides not panicking, the readers must
//! give the same rows and the same error however the body is cut (whole, one byte at a time,
//! or in chunks of the chosen size), and their errors must stick.
#![no_main]

use lantern::credits::bulk::{BulkError, CsvReader, Item, ItemReader, JsonArrayReader};
use libfuzzer_sys::fuzz_target;

type Outcome = (Vec<Item>, Result<(), BulkError>);

fn feed<R: ItemReader>(body: &[u8], size: usize) -> Outcome {
    let mut reader = R::default();
    let mut out = Vec::new();
    for chunk in body.chunks(size.max(1)) {
        if let Err(error) = reader.push(chunk, &mut out) {
            assert_eq!(reader.push(b"]\n", &mut out), Err(error.clone()), "errors stick");
            assert_eq!(reader.finish(&mut out), Err(error.clone()), "errors stick");
            return (out, Err(error));
        }
    }
    let result = reader.finish(&mut out);
    assert_eq!(reader.finish(&mut out), result, "finish is repeatable");
    (out, result)
}

fn check<R: ItemReader>(body: &[u8], size: usize) {
    let whole = feed::<R>(body, usize::MAX);
    assert_eq!(feed::<R>(body, 1), whole, "one byte at a time");
    assert_eq!(feed::<R>(body, size), whole, "chunks of {size} bytes");
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else { return };
    let size = usize::from(first >> 1) + 1;
    if first & 1 == 0 {
        check::<JsonArrayReader>(body, size);
    } else {
        check::<CsvReader>(body, size);
    }
});
