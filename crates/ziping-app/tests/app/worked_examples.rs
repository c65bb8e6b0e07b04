//! The worked examples of `shared/data/checks/conclusions.json`, through the façade and the store.

use ziping_app::{BonusEdit, DeductionInput, PointEdit};
use ziping_core::summary::Summary;

use crate::{fixture, new_assessment, shared};

fn expected(key: &str) -> String {
    let text = std::fs::read_to_string(shared("data/checks/conclusions.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v[key]["phrasing"].as_str().unwrap().to_string()
}

fn deduct(app: &mut ziping_app::App, id: i64, point: &str, amount: &str, reason: &str) {
    app.edit_point(&PointEdit {
        assessment: id,
        point: point.into(),
        deductions: Some(vec![DeductionInput { amount: amount.into(), reason: reason.into() }]),
        ..Default::default()
    })
    .unwrap();
}

/// 100 − 1 − 1 − 2.2 = 95.8, A等, three itemised deductions, character for character.
#[test]
fn points_model_example_reproduces() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    for p in 1..=24 {
        f.app
            .edit_point(&PointEdit { assessment: id, point: p.to_string(), scored: Some(true), ..Default::default() })
            .unwrap();
    }
    deduct(&mut f.app, id, "15", "1", "2所学校超规模办学");
    deduct(&mut f.app, id, "16", "1", "优质均衡校际7项差异系数中2项未达国家要求");
    deduct(&mut f.app, id, "24", "2.2", "社会公众对教育工作满意度为79.62分，未达标");
    let s = f.app.summary(id).unwrap();
    let Summary::Points(p) = &s.summary else { panic!("points model expected") };
    assert_eq!(p.score.to_string(), "95.8");
    assert_eq!(p.grade.as_deref(), Some("A"));
    let system = f.app.assessment_system(id).unwrap();
    let want = expected("points_model_example").replace("《…》", &format!("《{}》", system.name));
    assert_eq!(s.conclusion, want);
    // No evidence is attached in this example: only 缺佐证 remains.
    assert!(s.missing.iter().all(|m| m.kind == ziping_core::MissingKind::EvidenceMissing), "{:?}", s.missing);

    // The JSON the CLI prints has the fields the issue names.
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["model"], "points");
    assert_eq!(json["score"], serde_json::json!(95.8));
    assert_eq!(json["grade"], "A");
    assert_eq!(json["deductions"].as_array().unwrap().len(), 3);
    assert_eq!(json["deductions"][2]["amount"], serde_json::json!(2.2));
}

/// Satisfaction pending plus a bonus: the bonus is stated separately, never folded into the score.
#[test]
fn pending_satisfaction_with_bonus_reproduces() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    for p in 1..=23 {
        f.app
            .edit_point(&PointEdit { assessment: id, point: p.to_string(), scored: Some(true), ..Default::default() })
            .unwrap();
    }
    // 90 points available without point 24; lose 0.5 to reach 89.5.
    deduct(&mut f.app, id, "15", "0.5", "1所小学超规模办学");
    f.app.edit_bonus(&BonusEdit { assessment: id, code: "B1".into(), claimed: true, note: "通过国家认定".into() }).unwrap();
    let s = f.app.summary(id).unwrap();
    let Summary::Points(p) = &s.summary else { panic!() };
    assert_eq!(p.score.to_string(), "89.5");
    assert_eq!(p.bonus.to_string(), "2");
    assert_eq!(p.grade, None);
    let system = f.app.assessment_system(id).unwrap();
    let want = expected("points_model_with_bonus_example").replace("《…》", &format!("《{}》", system.name));
    assert!(s.conclusion.starts_with(&want), "got {}\nwant prefix {}", s.conclusion, want);
}

/// The bonus is capped (B1 2 + B2 1 + B3 1 = 4 > cap 3) and the grade ignores it.
#[test]
fn bonus_is_capped_and_separate() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    for p in 1..=24 {
        f.app
            .edit_point(&PointEdit { assessment: id, point: p.to_string(), scored: Some(true), ..Default::default() })
            .unwrap();
    }
    deduct(&mut f.app, id, "24", "10", "满意度调查未开展");
    deduct(&mut f.app, id, "6", "0.1", "测试");
    for code in ["B1", "B2", "B3"] {
        f.app.edit_bonus(&BonusEdit { assessment: id, code: code.into(), claimed: true, note: "依据".into() }).unwrap();
    }
    let s = f.app.summary(id).unwrap();
    let Summary::Points(p) = &s.summary else { panic!() };
    assert_eq!(p.score.to_string(), "89.9");
    assert_eq!(p.grade.as_deref(), Some("B"));
    assert_eq!(p.bonus.to_string(), "3");
    assert_eq!(p.bonus_claimed.to_string(), "4");
}
