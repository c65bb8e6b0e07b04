//! Fuzz target: the statistics workbook reader (.xlsx/.xls/.ods bytes) must return an error or a
//! preview with problems for any byte string, never panic. The plain test
//! `fuzz::byte_mutations_never_panic` (crates/ziping-import) runs a deterministic smoke version.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(import) = ziping_import::read_workbook_bytes("fuzz.xlsx", data) {
        assert_eq!(import.preview.errors + import.preview.warnings, import.preview.problems.len());
    }
});
