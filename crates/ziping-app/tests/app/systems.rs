//! Imported systems through the façade: preview, confirm, the library and its versions,
//! assessments on imported and attached versions, export round trip, corrections, leaf mapping.

use std::path::PathBuf;

use ziping_app::systems::{preview_system_import, systems_at, NodeEdit, SystemEdit, SystemImportRequest, ThresholdEdit};
use ziping_app::{ErrorCode, NewAssessment, PointEdit};
use ziping_import::system::SystemOptions;

use crate::fixture;

fn fixture_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ziping-import/tests/fixtures/system").join(name)
}

fn confirm() -> SystemImportRequest {
    SystemImportRequest::default()
}

#[test]
fn a_scored_table_is_previewed_imported_listed_and_assessed() {
    let mut f = fixture();
    let file = fixture_file("scored.xlsx");
    let preview = preview_system_import(&file).unwrap();
    assert_eq!(preview.model, "points");
    assert_eq!(preview.errors, 0);
    // Nothing is written by a dry run.
    let dry = f.app.import_system(&file, &SystemImportRequest { dry_run: true, ..confirm() }).unwrap();
    assert!(!dry.written && dry.system.is_some());
    assert_eq!(f.app.systems().unwrap().iter().filter(|s| !s.bundled).count(), 0);

    let req = SystemImportRequest {
        options: SystemOptions {
            id: Some("test-province".into()),
            issuer: Some("测试省教育督导委员会办公室".into()),
            grades: Some(ziping_import::system::parse_grades("优秀≥85；良好≥70；合格≥60；不合格≥0").unwrap()),
            ..SystemOptions::default()
        },
        expected_sha256: Some(preview.sha256.clone()),
        ..confirm()
    };
    let out = f.app.import_system(&file, &req).unwrap();
    assert!(out.written);
    let saved = out.saved.unwrap();
    assert_eq!((saved.info.id.as_str(), saved.info.version.as_str(), saved.info.leaves), ("test-province", "2025", 6));
    assert_eq!(saved.source_file.as_deref(), Some("scored.xlsx"));
    assert_eq!(saved.source_sha256.as_deref(), Some(preview.sha256.as_str()));
    assert_eq!(saved.origin.as_deref(), Some("import"));
    // The same file again: nothing new.
    let again = f.app.import_system(&file, &req).unwrap();
    assert!(!again.written && again.already_present);
    // Listed with the bundled ones, also without opening the workspace for writing.
    let list = systems_at(&f.path).unwrap();
    assert!(list.iter().any(|s| s.info.id == "test-province" && !s.bundled));
    assert!(list.iter().filter(|s| s.bundled).count() >= 4);

    let a = f
        .app
        .create_assessment(&NewAssessment {
            system_id: "test-province".into(),
            system_version: None,
            region: "测试县".into(),
            year: 2025,
            organ: None,
        })
        .unwrap();
    assert_eq!(a.system_version, "2025");
    f.app
        .edit_point(&PointEdit {
            assessment: a.id,
            point: "1".into(),
            deductions: Some(vec![ziping_app::DeductionInput { amount: "2.5".into(), reason: "测试扣分".into() }]),
            ..PointEdit::default()
        })
        .unwrap();
    let s = f.app.summary(a.id).unwrap();
    assert!(s.conclusion.contains("测试省2025年度"), "{}", s.conclusion);
    match &s.summary {
        ziping_core::Summary::Points(p) => assert_eq!(p.score, ziping_core::Points::from_tenths(75), "only the scored leaf counts"),
        _ => panic!("points"),
    }
}

#[test]
fn an_import_with_problems_writes_nothing_and_lists_every_problem() {
    let mut f = fixture();
    let err = f.app.import_system(&fixture_file("problems.xlsx"), &confirm()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidSystem);
    assert!(err.message.contains("第4行") && err.message.contains("第8行") && err.message.contains("第6行"), "{}", err.message);
    assert!(f.app.systems().unwrap().iter().all(|s| s.bundled));
    let dry = f.app.import_system(&fixture_file("problems.xlsx"), &SystemImportRequest { dry_run: true, ..confirm() }).unwrap();
    assert!(dry.errors >= 6 && dry.system.is_none());
    // A file changed since the preview is refused.
    let bad = SystemImportRequest { expected_sha256: Some("0".repeat(64)), ..confirm() };
    assert_eq!(f.app.import_system(&fixture_file("scored.xlsx"), &bad).unwrap_err().code, ErrorCode::InvalidInput);
}

#[test]
fn the_92_points_make_a_new_version_and_old_assessments_keep_theirs() {
    let mut f = fixture();
    let old = crate::new_assessment(&mut f.app, "national-provincial-2017");
    let out = f.app.attach_points("national-provincial-2017", None, &fixture_file("points-92.xlsx"), false).unwrap();
    let saved = out.saved.unwrap();
    assert_eq!((saved.info.version.as_str(), saved.info.leaves, saved.origin.as_deref()), ("2017.1", 92, Some("attach")));
    assert_eq!(saved.base_version.as_deref(), Some("2017"));
    // Attaching the same list again adds nothing.
    let again = f.app.attach_points("national-provincial-2017", Some("2017"), &fixture_file("points-92.xlsx"), false).unwrap();
    assert!(again.already_present && !again.written);
    // New assessments take the newest version; the old one keeps its 38 leaves.
    let new = crate::new_assessment(&mut f.app, "national-provincial-2017");
    assert_eq!(f.app.assessment(new).unwrap().system_version, "2017.1");
    assert_eq!(f.app.assessment_system(old).unwrap().leaves().len(), 38);
    assert_eq!(f.app.assessment_system(new).unwrap().leaves().len(), 92);
    f.app.edit_point(&PointEdit { assessment: new, point: "3.2".into(), rating: Some("完全落实".into()), ..PointEdit::default() }).unwrap();
    // A group cannot be rated any more.
    assert!(f.app.edit_point(&PointEdit { assessment: new, point: "3".into(), rating: Some("A".into()), ..PointEdit::default() }).is_err());
    // Mapping the old version to the new one: the 38 leaves became groups, nothing pairs by code.
    let m = f.app.leaf_mapping_for_assessment(old, "national-provincial-2017", Some("2017.1")).unwrap();
    assert_eq!((m.pairs.len(), m.unmatched_from.len(), m.unmatched_to.len()), (0, 38, 92));
    // The bundled 24-point system mapped to itself pairs every leaf by code and title.
    let same = f.app.leaf_mapping(("sample-county-24", None), ("sample-county-24", None)).unwrap();
    assert!(same.pairs.iter().all(|p| p.by == "code_and_title") && same.unmatched_to.is_empty());
}

#[test]
fn export_reimport_and_corrections_are_new_versions() {
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("样例.xlsx");
    let exported = f.app.export_system("sample-county-24", None, &xlsx).unwrap();
    // Re-importing the export of a bundled system finds it identical.
    let out = f.app.import_system(&xlsx, &confirm()).unwrap();
    assert!(out.already_present && out.saved.as_ref().unwrap().bundled);
    assert_eq!(out.system.as_ref(), Some(&exported));

    // Corrections: a title, a threshold and a max score with the total, as version 2024.1.
    let leaf = exported.leaves().iter().find(|l| !l.figures.is_empty() && !l.figures[0].thresholds.is_empty()).map(|l| (*l).clone()).unwrap();
    let threshold = leaf.figures[0].thresholds.keys().next().unwrap().clone();
    let first = exported.leaves()[0].clone();
    let ziping_core::system::ScoringModel::Points(m) = &exported.scoring else { panic!() };
    let edited = f
        .app
        .edit_system(&SystemEdit {
            system_id: "sample-county-24".into(),
            nodes: vec![
                NodeEdit { code: first.code.clone(), title: Some("改正后的测试标题".into()), max_score: Some((first.max_score.unwrap() + ziping_core::Points::whole(1)).to_string()), ..NodeEdit::default() },
                NodeEdit { code: leaf.code.clone(), thresholds: vec![ThresholdEdit { figure: leaf.figures[0].figure.clone(), name: threshold.clone(), value: 0.42 }], ..NodeEdit::default() },
            ],
            total: Some((m.total + ziping_core::Points::whole(1)).to_string()),
            ..SystemEdit::default()
        })
        .unwrap();
    assert_eq!((edited.info.version.as_str(), edited.origin.as_deref()), (format!("{}.1", exported.version).as_str(), Some("edit")));
    let s = f.app.system("sample-county-24", None).unwrap();
    assert_eq!(s.find(&first.code).unwrap().title, "改正后的测试标题");
    assert_eq!(s.find(&leaf.code).unwrap().figures[0].thresholds[&threshold], 0.42);
    // An edit that breaks the sum is refused with the validation's words.
    let err = f
        .app
        .edit_system(&SystemEdit {
            system_id: "sample-county-24".into(),
            nodes: vec![NodeEdit { code: first.code.clone(), max_score: Some("1".into()), ..NodeEdit::default() }],
            ..SystemEdit::default()
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidSystem);
    assert!(err.message.contains("总分"), "{}", err.message);
    // The edited version exported and re-imported as another system id keeps every field.
    let x2 = dir.path().join("改正.xlsx");
    let s2 = f.app.export_system("sample-county-24", Some(&edited.info.version), &x2).unwrap();
    let dry = f.app.import_system(&x2, &SystemImportRequest { dry_run: true, ..confirm() }).unwrap();
    assert_eq!(dry.system.as_ref(), Some(&s2));
    let m = f.app.leaf_mapping(("sample-county-24", Some(&exported.version)), ("sample-county-24", Some(&edited.info.version))).unwrap();
    let by_code: Vec<&str> = m.pairs.iter().filter(|p| p.by == "code").map(|p| p.from.code.as_str()).collect();
    assert_eq!(by_code, vec![first.code.as_str()]);
    assert!(m.unmatched_from.is_empty());
}

fn node_mut<'a>(nodes: &'a mut [ziping_core::Node], code: &str) -> &'a mut ziping_core::Node {
    fn find<'a>(nodes: &'a mut [ziping_core::Node], code: &str) -> Option<&'a mut ziping_core::Node> {
        for n in nodes {
            if n.code == code {
                return Some(n);
            }
            if let Some(f) = find(&mut n.children, code) {
                return Some(f);
            }
        }
        None
    }
    find(nodes, code).unwrap_or_else(|| panic!("no node {code}"))
}

/// Next year's assessment on an imported newer version of the system: the narratives follow the
/// leaf mapping (renumbered leaves by title, a retitled leaf by code); a dropped leaf is listed,
/// a new leaf starts empty.
#[test]
fn copy_to_next_year_on_another_version_follows_the_leaf_mapping() {
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let old = crate::new_assessment(&mut f.app, "sample-county-24");
    // Version 2025: leaves 1 and 2 swap places (renumbered), 3 is retitled, 24 is replaced by 25.
    let mut s = f.app.export_system("sample-county-24", None, &dir.path().join("旧.xlsx")).unwrap();
    let (t1, t2) = (s.find("1").unwrap().title.clone(), s.find("2").unwrap().title.clone());
    node_mut(&mut s.children, "1").title = t2.clone();
    node_mut(&mut s.children, "2").title = t1.clone();
    node_mut(&mut s.children, "3").title = "教育督导体制机制建设（修订）".into();
    let n24 = node_mut(&mut s.children, "24");
    n24.code = "25".into();
    n24.title = "人民群众教育满意度".into();
    s.version = "2025".into();
    let file = dir.path().join("新版本.xlsx");
    ziping_import::system::write::write_system(&s, &file).unwrap();
    let out = f.app.import_system(&file, &SystemImportRequest::default()).unwrap();
    assert!(out.written, "{:?}", out.problems);
    assert_eq!(out.saved.as_ref().unwrap().info.version, "2025");

    for (code, note) in [("1", "说明一"), ("2", "说明二"), ("3", "说明三"), ("24", "说明二十四"), ("5", "说明五")] {
        f.app
            .edit_point(&PointEdit {
                assessment: old,
                point: code.into(),
                note: Some(note.into()),
                problems: (code == "1").then(|| "问题一".to_string()),
                scored: Some(true),
                ..Default::default()
            })
            .unwrap();
    }
    let copy = ziping_app::CopyAssessment {
        from: old,
        year: 2025,
        system_version: Some("2025".into()),
        ..Default::default()
    };
    // The preview the dialog shows is the mapping the copy uses.
    let preview = f.app.leaf_mapping_for_assessment(old, "sample-county-24", Some("2025")).unwrap();
    let o = f.app.copy_assessment_mapped(&copy).unwrap();
    assert_eq!(o.mapping, preview);
    assert_eq!((o.assessment.year, o.assessment.system_version.as_str()), (2025, "2025"));
    assert_eq!(o.carried, 4);
    let by = |code: &str| o.mapping.pairs.iter().find(|p| p.from.code == code).map(|p| (p.to.code.as_str(), p.by.as_str()));
    assert_eq!(by("1"), Some(("2", "title")));
    assert_eq!(by("2"), Some(("1", "title")));
    assert_eq!(by("3"), Some(("3", "code")));
    assert_eq!(by("5"), Some(("5", "code_and_title")));
    assert_eq!(o.mapping.unmatched_from.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["24"]);
    assert_eq!(o.mapping.unmatched_to.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["25"]);
    let entries = f.app.entries(o.assessment.id).unwrap();
    let note = |c: &str| entries.get(c).map(|e| e.note.as_str()).unwrap_or("");
    assert_eq!((note("2"), note("1"), note("3"), note("5"), note("25")), ("说明一", "说明二", "说明三", "说明五", ""));
    assert_eq!(entries["2"].problems, "问题一");
    // Ratings and scores start empty.
    assert!(entries.values().all(|e| !e.is_scored() && e.rating.is_none()));
    // The old assessment keeps its version.
    assert_ne!(f.app.assessment(old).unwrap().system_version, "2025");
    // An unknown version is refused in Chinese, and nothing is created.
    let before = f.app.assessments().unwrap().len();
    let err = f
        .app
        .copy_assessment(&ziping_app::CopyAssessment { from: old, year: 2026, system_version: Some("1999".into()), ..Default::default() })
        .unwrap_err();
    assert!(err.message.contains("1999"), "{}", err.message);
    assert_eq!(f.app.assessments().unwrap().len(), before);
}
