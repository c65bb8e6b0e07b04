//! The same messy workbook as .xlsx, .xls and .ods reads to the same tables.
//!
//! `tests/data/formats/messy.xlsx` is written by [`messy_book`] and `title-units.xlsx` by
//! [`title_units_book`] (run this test binary with `ZIPING_WRITE_FIXTURES=1` to rewrite them); `messy.xls` and `messy.ods` are LibreOffice's
//! conversions of it, committed as they came out:
//!
//! ```text
//! cd crates/ziping-import/tests/data/formats
//! soffice --headless --convert-to xls messy.xlsx
//! soffice --headless --convert-to ods messy.xlsx
//! ```
//!
//! The same for the system table `tests/fixtures/system/scored.xlsx` → `scored.xls`, `scored.ods`.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook};
use ziping_import::system::{read_system, read_system_bytes, SystemOptions};
use ziping_import::{read_workbook, read_workbook_bytes, Import, TableKind};

use crate::fixtures::{write_rows, E, N, S};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats").join(name)
}

/// Title row, a two-row header with merged group cells and vertically merged first columns, units
/// in headers (元, 亿元), numbers as text with thousands separators and full-width digits, a code
/// kept as text, a blank row, a 合计 row, a footer; vertically merged school names over their
/// classes; a 说明 sheet.
pub fn messy_book() -> Vec<u8> {
    let mut wb = Workbook::new();
    let f = Format::new();
    let ws = wb.add_worksheet();
    ws.set_name("学校基本情况").unwrap();
    ws.merge_range(0, 0, 0, 7, "示例县2024年学校基本情况（测试用）", &f)
        .unwrap();
    ws.merge_range(1, 0, 2, 0, "学校名称", &f).unwrap();
    ws.merge_range(1, 1, 2, 1, "学校类型", &f).unwrap();
    ws.merge_range(1, 2, 1, 4, "在校学生数（人）", &f).unwrap();
    ws.merge_range(1, 5, 1, 6, "办学条件", &f).unwrap();
    ws.merge_range(1, 7, 2, 7, "学校代码", &f).unwrap();
    write_rows(
        ws,
        2,
        &[vec![
            E,
            E,
            S("合计"),
            S("小学"),
            S("初中"),
            S("教学及辅助用房面积（㎡）"),
            S("教学仪器设备值（元）"),
        ]],
    );
    write_rows(
        ws,
        3,
        &[
            vec![
                S("实验学校"),
                S("九年一贯制"),
                N(1500.0),
                N(1000.0),
                N(500.0),
                S("9,000"),
                N(4_000_000.0),
                S("0431000001"),
            ],
            vec![],
            vec![
                S("县城第二小学"),
                S("小学"),
                S("９００"),
                N(900.0),
                E,
                N(4500.0),
                S("2,000,000"),
                S("0431000002"),
            ],
            vec![
                S("合计"),
                E,
                N(2400.0),
                N(1900.0),
                N(500.0),
                N(13500.0),
                N(6_000_000.0),
            ],
            vec![S("填表人：测试员")],
        ],
    );

    let ws = wb.add_worksheet();
    ws.set_name("班额").unwrap();
    write_rows(
        ws,
        0,
        &[vec![S("学校名称"), S("学段"), S("班级"), S("班额")]],
    );
    ws.merge_range(1, 0, 3, 0, "城关中学", &f).unwrap();
    ws.merge_range(1, 1, 3, 1, "初中", &f).unwrap();
    write_rows(
        ws,
        1,
        &[
            vec![E, E, S("1班"), N(52.0)],
            vec![E, E, S("2班"), N(57.0)],
            vec![E, E, S("3班"), S("66")],
        ],
    );

    let ws = wb.add_worksheet();
    ws.set_name("教育经费").unwrap();
    write_rows(
        ws,
        0,
        &[
            vec![
                S("年度"),
                S("一般公共预算教育支出（亿元）"),
                S("在校学生数（人）"),
            ],
            vec![N(2024.0), N(10.2), N(60250.0)],
            vec![S("2023年"), S("9.8"), S("59,800")],
        ],
    );

    let ws = wb.add_worksheet();
    ws.set_name("填表说明").unwrap();
    write_rows(ws, 0, &[vec![S("本表为测试用数据。")]]);
    wb.save_to_buffer().unwrap()
}

/// The tables and preview of an import, with the file name and hash taken out (they differ by
/// format), as JSON for comparison.
fn normalised(import: &Import, file: &str) -> (String, String) {
    let tables = format!("{:?}", import.tables).replace(file, "FILE");
    let mut preview = import.preview.clone();
    preview.sha256.clear();
    let preview = serde_json::to_string_pretty(&preview)
        .unwrap()
        .replace(file, "FILE");
    (tables, preview)
}

#[test]
fn committed_xlsx_matches_the_generator() {
    let bytes = messy_book();
    if std::env::var_os("ZIPING_WRITE_FIXTURES").is_some() {
        std::fs::write(data("messy.xlsx"), &bytes).unwrap();
    }
    let fresh = read_workbook_bytes("messy.xlsx", &bytes).unwrap();
    let committed = read_workbook(&data("messy.xlsx")).unwrap();
    assert_eq!(
        normalised(&fresh, "messy.xlsx"),
        normalised(&committed, "messy.xlsx")
    );
}

#[test]
fn the_messy_xlsx_reads_as_expected() {
    let import = read_workbook(&data("messy.xlsx")).unwrap();
    let p = &import.preview;
    assert_eq!(p.errors, 0, "{:#?}", p.problems);
    let kinds: Vec<TableKind> = p.tables.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        vec![TableKind::Schools, TableKind::Classes, TableKind::Finance]
    );
    assert_eq!(p.tables[0].header_rows, vec![2, 3]);
    assert_eq!(p.tables[0].rows, 2);
    assert_eq!(p.tables[0].total_rows, 1);
    let s = &import.tables.schools;
    assert_eq!(s[0].code.as_deref(), Some("0431000001"));
    assert_eq!(s[0].students.junior.as_ref().unwrap().value, 500);
    assert_eq!(s[0].teaching_area.total.as_ref().unwrap().value, 9000.0);
    assert_eq!(s[1].students.total.as_ref().unwrap().value, 900);
    assert_eq!(s[1].equipment_value.total.as_ref().unwrap().value, 200.0);
    let c = &import.tables.classes;
    assert_eq!(c.len(), 3);
    assert!(c.iter().all(|r| r.school == "城关中学"));
    assert_eq!(c[2].size.value, 66);
    let f = &import.tables.finance;
    assert_eq!((f[1].year, f[1].education_expenditure.value), (2023, 98000.0));
}

fn same_as_xlsx(name: &str) {
    let xlsx = read_workbook(&data("messy.xlsx")).unwrap();
    let other = read_workbook(&data(name)).unwrap();
    let (t0, p0) = normalised(&xlsx, "messy.xlsx");
    let (t1, p1) = normalised(&other, name);
    assert_eq!(p0, p1, "preview of {name}");
    assert_eq!(t0, t1, "tables of {name}");
}

#[test]
fn the_xls_conversion_reads_the_same_tables() {
    same_as_xlsx("messy.xls");
}

#[test]
fn the_ods_conversion_reads_the_same_tables() {
    same_as_xlsx("messy.ods");
}

fn system_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/system")
        .join(name)
}

fn same_system_as_xlsx(name: &str) {
    let xlsx = read_system(&system_fixture("scored.xlsx")).unwrap();
    let other = read_system(&system_fixture(name)).unwrap();
    let norm = |p: &ziping_import::system::SystemPreview, file: &str| {
        let mut p = p.clone();
        p.sha256.clear();
        serde_json::to_string_pretty(&p).unwrap().replace(file, "FILE")
    };
    assert_eq!(
        norm(&xlsx.preview, "scored.xlsx"),
        norm(&other.preview, name),
        "{name}"
    );
    let a = xlsx.build(&SystemOptions::default());
    let b = other.build(&SystemOptions::default());
    let (a, b) = (a.system.expect("xlsx builds"), b.system.expect("builds"));
    assert_eq!(a.children, b.children);
    assert_eq!(a.scoring, b.scoring);
}

#[test]
fn the_system_table_as_xls_reads_the_same() {
    same_system_as_xlsx("scored.xls");
}

#[test]
fn the_system_table_as_ods_reads_the_same() {
    same_system_as_xlsx("scored.ods");
}

#[test]
fn a_renamed_file_is_read_by_its_content() {
    // An .xls saved with an .xlsx name (it happens with mail attachments) is still read.
    let bytes = std::fs::read(data("messy.xls")).unwrap();
    let import = read_workbook_bytes("改了扩展名.xlsx", &bytes).unwrap();
    assert_eq!(import.tables.schools.len(), 2);
    assert!(read_system_bytes("x.xls", b"\xD0\xCF\x11\xE0garbage").is_err());
}

/// Units declared in a title row instead of the headers: 教育经费 "单位：元" (stored in 万元),
/// 教师工资 "金额单位：万元" (stored in 元) with one header that names its own unit, and a
/// "填报单位：…" line that declares nothing.
pub fn title_units_book() -> Vec<u8> {
    let mut wb = Workbook::new();
    let f = Format::new();
    let ws = wb.add_worksheet();
    ws.set_name("教育经费").unwrap();
    ws.merge_range(0, 0, 0, 2, "示例县教育经费投入情况（测试用）", &f)
        .unwrap();
    write_rows(
        ws,
        1,
        &[
            vec![S("填报单位：示例县教育局"), E, S("单位：元")],
            vec![S("年度"), S("一般公共预算教育支出"), S("在校学生数")],
            vec![N(2024.0), N(1_020_000_000.0), N(60250.0)],
            vec![N(2023.0), S("980,000,000"), N(59800.0)],
        ],
    );
    let ws = wb.add_worksheet();
    ws.set_name("教师工资").unwrap();
    write_rows(
        ws,
        0,
        &[
            vec![S("义务教育教师与公务员工资收入对比（金额单位：万元）")],
            vec![
                S("年度"),
                S("教师年平均工资收入"),
                S("公务员年平均工资收入（元）"),
            ],
            vec![N(2024.0), N(11.86), N(115_200.0)],
        ],
    );
    wb.save_to_buffer().unwrap()
}

#[test]
fn committed_title_units_xlsx_matches_the_generator() {
    let bytes = title_units_book();
    if std::env::var_os("ZIPING_WRITE_FIXTURES").is_some() {
        std::fs::write(data("title-units.xlsx"), &bytes).unwrap();
    }
    let fresh = read_workbook_bytes("title-units.xlsx", &bytes).unwrap();
    let committed = read_workbook(&data("title-units.xlsx")).unwrap();
    assert_eq!(
        normalised(&fresh, "title-units.xlsx"),
        normalised(&committed, "title-units.xlsx")
    );
}

#[test]
fn units_in_a_title_row_apply_to_the_money_columns() {
    let import = read_workbook(&data("title-units.xlsx")).unwrap();
    let p = &import.preview;
    assert!(p.problems.is_empty(), "{:#?}", p.problems);
    let fin = &import.tables.finance;
    assert_eq!(fin[0].education_expenditure.value, 102_000.0);
    assert_eq!(fin[1].education_expenditure.value, 98_000.0);
    assert_eq!(fin[0].students.as_ref().unwrap().value, 60250);
    let pay = &import.tables.teacher_pay[0];
    assert!((pay.teacher_avg.value - 118_600.0).abs() < 1e-6);
    // The header's own unit wins over the title row's.
    assert_eq!(pay.civil_servant_avg.value, 115_200.0);

    let cols = &p.tables[0].columns;
    assert_eq!(cols[1].unit.as_deref(), Some("元"));
    assert_eq!(cols[1].factor, 0.0001);
    assert_eq!(cols[1].unit_from.as_deref(), Some("第2行“单位：元”"));
    assert_eq!(cols[2].unit_from, None);
    let cols = &p.tables[1].columns;
    assert_eq!(cols[1].unit.as_deref(), Some("万元"));
    assert_eq!(cols[1].factor, 10_000.0);
    assert_eq!(
        cols[1].unit_from.as_deref(),
        Some("第1行“义务教育教师与公务员工资收入对比（金额单位：万元）”")
    );
    assert_eq!((cols[2].unit.as_deref(), cols[2].unit_from.as_deref()), (Some("元"), None));
}
