//! The demo county: both assessments complete and consistent.

use ziping_core::summary::Summary;

use crate::fixture;

#[test]
fn demo_creates_two_complete_consistent_assessments() {
    let mut f = fixture();
    let ids = ziping_app::create_demo(&mut f.app).unwrap();
    assert_eq!(ids.len(), 2);
    let mut models = Vec::new();
    for id in &ids {
        let s = f.app.summary(*id).unwrap();
        // Complete, evidence included: every leaf that asks for evidence has some.
        assert!(s.missing.is_empty(), "demo assessment {id} incomplete: {:?}", s.missing);
        assert!(s.conclusion.contains('。') && !s.conclusion.contains(','), "{}", s.conclusion);
        match &s.summary {
            Summary::Rated(r) => {
                assert_eq!(r.unrated, 0);
                assert_eq!(r.applicable + r.not_applicable, r.total);
                for l in r.levels.iter().filter(|l| l.count > 0) {
                    assert!(s.conclusion.contains(&format!("{}的有{}项，占{}%", l.label, l.count, l.share)), "{}", s.conclusion);
                }
                models.push("rated");
            }
            Summary::Points(p) => {
                let deducted: i64 = p.deductions.iter().map(|d| d.amount.hundredths()).sum();
                assert_eq!(p.score.hundredths(), p.total.hundredths() - deducted);
                assert!(p.grade.is_some());
                assert!(p.bonus > ziping_core::Points::ZERO);
                assert!(s.conclusion.contains(&format!("自评得分{}分", p.score)), "{}", s.conclusion);
                models.push("points");
            }
        }
    }
    models.sort();
    assert_eq!(models, ["points", "rated"]);
    // The demo's evidence files are stored intact, 文号 normalised, and linked in both assessments.
    let items = f.app.evidence_list(&ziping_app::EvidenceFilter::default()).unwrap();
    assert_eq!(items.len(), 17);
    let report = f.app.verify_evidence().unwrap();
    assert_eq!((report.checked, report.ok), (17, 17), "{:?}", report.problems);
    assert!(items.iter().all(|e| !e.doc_no_flagged), "{items:?}");
    let docno: Vec<&str> = items.iter().map(|e| e.doc_no.as_str()).filter(|d| !d.is_empty()).collect();
    assert!(docno.contains(&"示县政办发〔2024〕8号"), "{docno:?}");
    assert!(docno.contains(&"示县编办〔2024〕21号"), "{docno:?}");
    for id in &ids {
        assert!(items.iter().any(|e| e.links.iter().any(|l| l.assessment == *id)));
    }
    // Links list in the system's order (3 before 25), not as text.
    let minutes = items.iter().find(|e| e.title.contains("第一次会议纪要")).unwrap();
    let national: Vec<&str> =
        minutes.links.iter().filter(|l| l.assessment == ids[0]).map(|l| l.point.as_str()).collect();
    assert_eq!(national, ["2", "3", "25"]);
    // A second demo into the same workspace is refused.
    let err = ziping_app::create_demo(&mut f.app).unwrap_err();
    assert!(err.message.contains("已有评估"), "{}", err.message);
}

#[test]
fn first_start_seeds_the_demo_once_and_never_touches_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cn.ziping.app").join("workspace.sqlite");
    assert!(ziping_app::seed_demo_if_new(&path).unwrap(), "a missing workspace gets the demo");
    let app = ziping_app::App::open(&path).unwrap();
    let listed = app.assessments().unwrap();
    assert_eq!(listed.len(), 2, "both demo assessments are there");
    drop(app);
    // The second start leaves the file alone, byte for byte.
    let before = std::fs::read(&path).unwrap();
    assert!(!ziping_app::seed_demo_if_new(&path).unwrap());
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
