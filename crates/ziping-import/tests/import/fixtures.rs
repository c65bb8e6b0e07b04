//! Helpers to write fixture workbooks.

use std::path::PathBuf;

use rust_xlsxwriter::{Workbook, Worksheet};
use ziping_import::{read_workbook, Import, Problem};

/// A cell to write.
#[derive(Clone, Debug)]
pub enum V {
    S(&'static str),
    N(f64),
    E,
}

pub use V::{E, N, S};

pub fn write_rows(ws: &mut Worksheet, first_row: u32, rows: &[Vec<V>]) {
    for (i, row) in rows.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let r = first_row + i as u32;
            let c = j as u16;
            match v {
                V::S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                V::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                V::E => {}
            }
        }
    }
}

/// Writes a workbook built by `f` to a temp dir under `name` and reads it back.
pub fn roundtrip(
    name: &str,
    f: impl FnOnce(&mut Workbook),
) -> (tempfile::TempDir, PathBuf, Import) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let mut wb = Workbook::new();
    f(&mut wb);
    wb.save(&path).unwrap();
    let import = read_workbook(&path).unwrap();
    (dir, path, import)
}

/// One sheet with the given rows.
pub fn one_sheet(name: &str, sheet: &str, rows: Vec<Vec<V>>) -> Import {
    let (_d, _p, import) = roundtrip(name, |wb| {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        write_rows(ws, 0, &rows);
    });
    import
}

pub fn messages(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(|p| p.message.clone()).collect()
}

/// The standard school header (single row).
pub fn school_header() -> Vec<V> {
    vec![
        S("学校名称"),
        S("学校类型"),
        S("在校学生数（人）"),
        S("高于规定学历专任教师数"),
        S("县级及以上骨干教师数"),
        S("体育艺术专任教师数"),
        S("教学及辅助用房面积（㎡）"),
        S("体育运动场馆面积（㎡）"),
        S("教学仪器设备值（万元）"),
        S("网络多媒体教室数"),
    ]
}

pub fn school_row(name: &'static str, kind: &'static str, students: f64) -> Vec<V> {
    vec![
        S(name),
        S(kind),
        N(students),
        N((students / 20.0).round()),
        N((students / 80.0).round()),
        N((students / 100.0).round()),
        N(students * 5.0),
        N(students * 8.0),
        N(students * 0.25),
        N((students / 40.0).round()),
    ]
}
