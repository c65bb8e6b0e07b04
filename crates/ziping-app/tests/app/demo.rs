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
        // The demo attaches no evidence files, so only 缺佐证 may remain.
        let missing: Vec<_> =
            s.missing.iter().filter(|m| m.kind != ziping_core::MissingKind::EvidenceMissing).collect();
        assert!(missing.is_empty(), "demo assessment {id} incomplete: {missing:?}");
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
    // A second demo into the same workspace is refused.
    let err = ziping_app::create_demo(&mut f.app).unwrap_err();
    assert!(err.message.contains("已有评估"), "{}", err.message);
}
