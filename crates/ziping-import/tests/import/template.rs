//! The template: every table present, recognised by the reader, example rows importable.

use ziping_import::template::template_headers;
use ziping_import::{read_workbook, template_bytes, write_template, TableKind};

#[test]
fn template_round_trip_reads_every_table_and_its_example_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("模板.xlsx");
    write_template(&path).unwrap();
    let import = read_workbook(&path).unwrap();
    let p = &import.preview;
    assert!(
        p.problems.iter().all(|p| !p.is_error()),
        "{:#?}",
        p.problems
    );
    assert_eq!(import.present, TableKind::ALL.to_vec());
    for t in &p.tables {
        assert_eq!(t.sheet, t.kind.title());
        assert_eq!(t.rows, 1, "{}", t.title);
        assert_eq!(t.header_rows, vec![1]);
        // Every template column maps to a field.
        assert!(
            t.columns.iter().all(|c| c.field.is_some()),
            "{:#?}",
            t.columns
        );
        assert_eq!(t.columns.len(), template_headers(t.kind).len());
    }
    assert_eq!(p.ignored_sheets.len(), 1);
    assert_eq!(p.ignored_sheets[0].sheet, "说明");
    let s = &import.tables.schools[0];
    assert_eq!(s.name, "县城第一小学");
    assert_eq!(s.code.as_deref(), Some("2133000001"));
    assert_eq!(s.students.total.as_ref().unwrap().value, 2140);
    assert_eq!(s.students.primary.as_ref().unwrap().value, 2140);
    assert_eq!(s.equipment_value.total.as_ref().unwrap().value, 460.0);
    let at = s.students.total.as_ref().unwrap().at.as_ref().unwrap();
    assert_eq!(
        (at.file.as_str(), at.sheet.as_str(), at.row, at.col.as_str()),
        ("模板.xlsx", "学校基本情况表", 2, "G")
    );
    assert_eq!(import.tables.satisfaction[0].score.value, 83.5);
    assert_eq!(
        import.tables.finance[0].education_expenditure.value,
        102000.0
    );
}

#[test]
fn template_bytes_match_the_file() {
    let a = template_bytes().unwrap();
    assert!(a.len() > 5_000);
    assert_eq!(&a[..2], b"PK");
}
