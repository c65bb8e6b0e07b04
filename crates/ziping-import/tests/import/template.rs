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

/// Template → fill (the template's headers, the user's rows) → import → figures.
#[test]
fn filled_template_imports_and_computes() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("填好的模板.xlsx");
    let mut wb = Workbook::new();
    let rows: Vec<(TableKind, Vec<Vec<&str>>)> = vec![
        (
            TableKind::Schools,
            vec![
                vec![
                    "甲小学",
                    "2133000001",
                    "小学",
                    "公办",
                    "城区",
                    "20",
                    "900",
                    "900",
                    "",
                    "",
                    "54",
                    "15",
                    "12",
                    "5400",
                    "9000",
                    "270",
                    "27",
                ],
                vec![
                    "乙小学",
                    "2133000002",
                    "小学",
                    "公办",
                    "乡村",
                    "8",
                    "300",
                    "300",
                    "",
                    "",
                    "15",
                    "3",
                    "3",
                    "1500",
                    "2400",
                    "60",
                    "8",
                ],
                vec![
                    "丙中学",
                    "2133000003",
                    "初中",
                    "公办",
                    "镇区",
                    "16",
                    "800",
                    "",
                    "800",
                    "",
                    "60",
                    "12",
                    "10",
                    "6000",
                    "10400",
                    "300",
                    "26",
                ],
            ],
        ),
        (
            TableKind::Finance,
            vec![
                vec!["2023", "98000", "61200"],
                vec!["2024", "102000", "60250"],
            ],
        ),
        (
            TableKind::Satisfaction,
            vec![vec!["2024", "总体", "3200", "83.5", "百分制"]],
        ),
    ];
    for (kind, data) in &rows {
        let ws = wb.add_worksheet();
        ws.set_name(kind.title()).unwrap();
        for (c, h) in template_headers(*kind).iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        for (r, row) in data.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                match (c, v.parse::<f64>()) {
                    (1, _) if *kind == TableKind::Schools => {
                        ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
                    }
                    (_, Ok(n)) => {
                        ws.write_number(r as u32 + 1, c as u16, n).unwrap();
                    }
                    _ if v.is_empty() => {}
                    _ => {
                        ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
                    }
                }
            }
        }
    }
    wb.save(&path).unwrap();
    let import = read_workbook(&path).unwrap();
    assert!(
        import.preview.problems.is_empty(),
        "{:#?}",
        import.preview.problems
    );
    assert_eq!(
        import.present,
        vec![
            TableKind::Schools,
            TableKind::Finance,
            TableKind::Satisfaction
        ]
    );
    let mut tables = import.tables;
    tables.year = Some(2024);
    let c = ziping_metrics::compute(&tables, &ziping_metrics::Params::default());
    let fig = |id: &str| {
        c.figure(id).unwrap_or_else(|| {
            panic!(
                "{id}: {:#?}",
                c.figures.iter().map(|f| &f.id).collect::<Vec<_>>()
            )
        })
    };
    assert_eq!(fig("two_no_decrease.total").display, "增长4.08%");
    assert_eq!(fig("two_no_decrease.per_student").display, "增长5.72%");
    assert_eq!(fig("satisfaction").pass, Some(false));
    // 甲 6.0 and 乙 5.0 per 100 pupils → X̄ = (900×6 + 300×5)/1200 = 5.75.
    let r1 = fig("cv.R1.primary");
    assert_eq!(r1.inputs[0].sheet, "学校基本情况表");
    match &r1.detail {
        ziping_metrics::Detail::Cv { mean, students, .. } => {
            assert!((mean - 5.75).abs() < 1e-9);
            assert_eq!(*students, 1200);
        }
        other => panic!("{other:?}"),
    }
}
