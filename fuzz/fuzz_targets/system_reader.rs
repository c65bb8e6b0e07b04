//! Fuzz target: the indicator-system table reader (.xlsx/.xls/.ods bytes) must return an error or
//! a preview with problems for any byte string, never panic; building with default options gives
//! a system exactly when there is no error. The plain test
//! `system::fuzz_smoke_the_system_reader_never_panics` (crates/ziping-import) runs a deterministic
//! smoke version in `cargo test`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ziping_import::system::{read_system_bytes, SystemOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(read) = read_system_bytes("fuzz.xlsx", data) {
        let p = &read.preview;
        assert_eq!(p.errors + p.warnings, p.problems.len());
        let built = read.build(&SystemOptions::default());
        assert_eq!(built.system.is_some(), !built.problems.iter().any(|p| p.is_error()));
    }
});
