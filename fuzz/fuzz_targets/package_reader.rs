//! Fuzz target: the `.zpk` package reader must refuse any byte string without panicking, hanging
//! or allocating without bound.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use ziping_store::package::{read_package, DiscardBlobs, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_total_size: 16 << 20, max_json_size: 4 << 20, ..Limits::default() };
    let _ = read_package(Cursor::new(data), &limits, &mut DiscardBlobs);
});
