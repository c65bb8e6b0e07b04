//! Times the phases of reading a statistics workbook (for profiling the import benchmark):
//! `cargo run --release -p ziping-import --example import_phases -- FILE.xlsx`.

use std::io::Cursor;
use std::time::Instant;

use calamine::{open_workbook_auto_from_rs, Reader, Sheets};

fn main() {
    let path = std::env::args().nth(1).expect("usage: import_phases FILE");
    let t = Instant::now();
    let bytes = std::fs::read(&path).unwrap();
    let read = t.elapsed();
    let t = Instant::now();
    let _ = ziping_import::sha256_hex(&bytes);
    let sha = t.elapsed();
    let t = Instant::now();
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.as_slice())).unwrap();
    let open = t.elapsed();
    let names = wb.sheet_names();
    let t = Instant::now();
    for n in &names {
        let _ = wb.worksheet_range(n).unwrap();
    }
    let ranges = t.elapsed();
    let t = Instant::now();
    for n in &names {
        if let Sheets::Xlsx(x) = &mut wb {
            let _ = x.merge_cells_by_sheet_name(n);
        }
    }
    let merges = t.elapsed();
    let t = Instant::now();
    let import = ziping_import::read_workbook_bytes("x.xlsx", &bytes).unwrap();
    let all = t.elapsed();
    let t = Instant::now();
    let json = serde_json::to_string(&import.tables.schools).unwrap();
    let ser = t.elapsed();
    eprintln!(
        "read {read:?} sha {sha:?} open {open:?} ranges {ranges:?} merges {merges:?} | read_workbook_bytes {all:?} | json {ser:?} ({} bytes)",
        json.len()
    );
}
