//! Statistics: import (all or nothing, re-import replaces), figures with provenance, suggestions
//! on the demo county.

use std::path::Path;

use ziping_app::statistics::write_template;
use ziping_app::ErrorCode;
use ziping_metrics::SuggestionKind;

use crate::{fixture, new_assessment};

fn demo_workbook(dir: &Path) -> std::path::PathBuf {
    let p = dir.join(ziping_app::demo::DEMO_WORKBOOK_NAME);
    std::fs::write(&p, ziping_app::demo::DEMO_WORKBOOK).unwrap();
    p
}

#[test]
fn demo_suggestions_match_the_demo_deductions() {
    let mut f = fixture();
    let ids = ziping_app::create_demo(&mut f.app).unwrap();
    let points = ids
        .iter()
        .copied()
        .find(|id| f.app.assessment(*id).unwrap().system_id == "sample-county-24")
        .unwrap();
    let sugg = f.app.suggestions(points).unwrap();
    let mut deductions: Vec<(String, String)> = Vec::new();
    let mut passes: Vec<String> = Vec::new();
    for s in &sugg {
        match &s.suggestion.kind {
            SuggestionKind::Deduction { amount, .. } => {
                deductions.push((s.suggestion.point.clone(), amount.to_string()))
            }
            SuggestionKind::Pass => passes.push(s.suggestion.point.clone()),
            other => panic!("unexpected {other:?} for {}", s.suggestion.point),
        }
    }
    assert_eq!(
        deductions,
        vec![
            ("14".to_string(), "0.5".to_string()),
            ("15".to_string(), "0.5".to_string()),
            ("16".to_string(), "0.5".to_string()),
            ("24".to_string(), "0.6".to_string()),
        ]
    );
    passes.sort();
    assert_eq!(passes, ["12", "12", "13", "19", "6", "8"]);
    let s16 = sugg.iter().find(|s| s.suggestion.point == "16").unwrap();
    assert_eq!(s16.point_title, "义务教育优质均衡");
    assert!(
        s16.suggestion.explanation.contains("0.48"),
        "{}",
        s16.suggestion.explanation
    );

    let m = f.app.metrics(points).unwrap();
    assert_eq!(m.year, 2024);
    let cv = m.figures.iter().find(|f| f.id == "cv.R6.junior").unwrap();
    assert_eq!(
        (cv.display.as_str(), cv.pass, cv.stage.as_deref()),
        ("0.4800", Some(false), Some("初中"))
    );
    let sat = m.figures.iter().find(|f| f.id == "satisfaction").unwrap();
    assert_eq!(sat.display, "83.5分");
    assert!(sat
        .provenance
        .iter()
        .all(|c| c.file == "示例县统计数据.xlsx" && c.sheet == "满意度调查表"));
    let big = m.figures.iter().find(|f| f.id == "big_class").unwrap();
    assert_eq!(big.display, "1.00%");
    assert_eq!(big.provenance.len(), 2 * 900);
    assert_eq!(m.sources.len(), 7);
    // Serialises for the UI.
    let v = serde_json::to_value(&m).unwrap();
    assert_eq!(
        v["figures"][0]["provenance"][0]["file"],
        "示例县统计数据.xlsx"
    );
}

#[test]
fn import_with_errors_is_refused_and_changes_nothing() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    let before = f.app.history(id, None).unwrap().len();
    let path = f.path.parent().unwrap().join("坏数据.xlsx");
    std::fs::write(&path, b"not a workbook").unwrap();
    let err = f.app.import_statistics(id, &path).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("不是可读取的Excel"), "{}", err.message);
    // A workbook with a located error.
    let template = f.path.parent().unwrap().join("模板.xlsx");
    write_template(&template).unwrap();
    let preview = f.app.preview_import(&template).unwrap();
    assert_eq!(preview.errors, 0);
    assert_eq!(preview.tables.len(), 7);
    assert!(f.app.statistics_sources(id).unwrap().is_empty());
    assert_eq!(f.app.history(id, None).unwrap().len(), before);
}

#[test]
fn reimport_replaces_tables_and_records_history() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    let dir = f.path.parent().unwrap().to_path_buf();
    let template = dir.join("模板.xlsx");
    write_template(&template).unwrap();
    let first = f.app.import_statistics(id, &template).unwrap();
    assert_eq!(first.history.len(), 7);
    assert!(first
        .history
        .iter()
        .all(|h| h.field == "statistics" && h.old_value.is_null()));
    assert_eq!(f.app.statistics_tables(id).unwrap().schools.len(), 1);

    let demo = demo_workbook(&dir);
    let second = f.app.import_statistics(id, &demo).unwrap();
    assert_eq!(second.history.len(), 7);
    let h = second
        .history
        .iter()
        .find(|h| h.point.as_deref() == Some("schools"))
        .unwrap();
    assert_eq!(h.old_value["file"], "模板.xlsx");
    assert_eq!(h.old_value["rows"], 1);
    assert_eq!(h.new_value["file"], "示例县统计数据.xlsx");
    let sources = f.app.statistics_sources(id).unwrap();
    assert_eq!(sources.len(), 7);
    assert!(sources
        .iter()
        .all(|s| s.file == "示例县统计数据.xlsx" && s.sha256.len() == 64));
    let tables = f.app.statistics_tables(id).unwrap();
    assert_eq!(tables.schools.len(), 62);
    assert_eq!(tables.classes.len(), 900);
    let statistics_rows = f
        .app
        .history(id, None)
        .unwrap()
        .into_iter()
        .filter(|h| h.field == "statistics")
        .count();
    assert_eq!(statistics_rows, 14);
}

#[test]
fn frozen_assessment_refuses_imports() {
    let mut f = fixture();
    let ids = ziping_app::create_demo(&mut f.app).unwrap();
    f.app.freeze(ids[0]).unwrap();
    let demo = demo_workbook(f.path.parent().unwrap());
    let before = f.app.statistics_sources(ids[0]).unwrap();
    let err = f.app.import_statistics(ids[0], &demo).unwrap_err();
    assert_eq!(err.code, ErrorCode::Frozen);
    assert_eq!(f.app.statistics_sources(ids[0]).unwrap(), before);
    // Figures still compute from the stored data.
    assert!(!f.app.metrics(ids[0]).unwrap().figures.is_empty());
}

#[test]
fn no_statistics_means_no_figures_and_no_suggestions() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    assert!(f.app.metrics(id).unwrap().figures.is_empty());
    assert!(f.app.suggestions(id).unwrap().is_empty());
    assert_eq!(f.app.metrics(999).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn units_in_a_title_row_are_converted_before_storing() {
    // The committed fixture of ziping-import: 教育经费 "单位：元", 教师工资 "金额单位：万元".
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ziping-import/tests/data/formats/title-units.xlsx");
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    let out = f.app.import_statistics(id, &file).unwrap();
    assert!(out.written);
    let cols = &out.preview.tables[0].columns;
    assert_eq!(cols[1].unit_from.as_deref(), Some("第2行“单位：元”"));
    // Stored (and read back from the workspace) in the stored units: 万元 and 元.
    let t = f.app.statistics_tables(id).unwrap();
    let fin = t.finance.iter().find(|r| r.year == 2024).unwrap();
    assert_eq!(fin.education_expenditure.value, 102_000.0);
    let at = fin.education_expenditure.at.as_ref().unwrap();
    assert_eq!(
        (at.file.as_str(), at.sheet.as_str(), at.row, at.col.as_str()),
        ("title-units.xlsx", "教育经费", 4, "B")
    );
    assert!((t.teacher_pay[0].teacher_avg.value - 118_600.0).abs() < 1e-6);
    assert_eq!(t.teacher_pay[0].civil_servant_avg.value, 115_200.0);
}
