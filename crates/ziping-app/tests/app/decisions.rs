//! 采纳 / 不采纳 of the suggestions computed from the demo county's statistics, on a fresh
//! assessment of the 24-point system: adopting writes the deduction through the normal change
//! path (history, summary), declining needs a reason, both are revertible and refused when frozen.

use ziping_app::{App, ErrorCode, SuggestionDecisionInput};
use ziping_core::summary::Summary;
use ziping_core::Points;
use ziping_metrics::SuggestionKind;

use crate::{fixture, new_assessment, Fixture};

/// A fresh 24-point assessment with the demo workbook imported (no entries yet).
fn with_statistics() -> (Fixture, i64) {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    f.app
        .import_statistics_bytes(
            id,
            ziping_app::demo::DEMO_WORKBOOK_NAME,
            ziping_app::demo::DEMO_WORKBOOK,
        )
        .unwrap();
    (f, id)
}

fn score(app: &App, id: i64) -> Points {
    let Summary::Points(p) = app.summary(id).unwrap().summary else {
        panic!("points system")
    };
    p.score
}

fn status(app: &App, id: i64, point: &str) -> (String, String) {
    let s = app.point_suggestions(id, point).unwrap();
    assert_eq!(s.len(), 1, "one suggestion on {point}");
    (s[0].status.status.clone(), s[0].status.reason.clone())
}

#[test]
fn adopting_a_deduction_writes_it_with_the_reason_and_records_it() {
    let (mut f, id) = with_statistics();
    assert_eq!(status(&f.app, id, "24").0, "open");
    let s = &f.app.point_suggestions(id, "24").unwrap()[0];
    let SuggestionKind::Deduction { amount, reason } = s.suggestion.kind.clone() else {
        panic!("24 is a deduction: {:?}", s.suggestion.kind)
    };
    assert_eq!(amount.to_string(), "0.6");

    let d = f.app.adopt_suggestion(id, "24", None).unwrap();
    assert_eq!(d.suggestion.status.status, "adopted");
    let fields: Vec<&str> = d.history.iter().map(|h| h.field.as_str()).collect();
    assert_eq!(fields, ["deductions", "scored", "suggestion"]);
    assert!(
        d.history[2].change.contains("未处理 → 采纳"),
        "{}",
        d.history[2].change
    );

    let entry = &f.app.entries(id).unwrap()["24"];
    assert_eq!(entry.deductions.len(), 1);
    assert_eq!(entry.deductions[0].amount, amount);
    assert_eq!(entry.deductions[0].reason, reason);
    // Only leaf 24 is scored: its 10 分 less 0.6.
    assert_eq!(score(&f.app, id).to_string(), "9.4");
    let Summary::Points(p) = f.app.summary(id).unwrap().summary else {
        panic!("points system")
    };
    assert!(p.deductions.iter().any(|d| d.point == "24" && d.reason == reason));

    // Adopting again adds nothing.
    let again = f.app.adopt_suggestion(id, "24", None).unwrap();
    assert!(again.history.is_empty());
    assert_eq!(f.app.entries(id).unwrap()["24"].deductions.len(), 1);

    // The history of the leaf lists the decision.
    let h = f.app.history(id, Some("24")).unwrap();
    assert!(h
        .iter()
        .any(|h| h.field == "suggestion" && h.field_label == "建议处理"));
}

#[test]
fn adopting_can_replace_a_hand_written_deduction() {
    let (mut f, id) = with_statistics();
    f.app
        .edit_point(&ziping_app::PointEdit {
            assessment: id,
            point: "16".into(),
            deductions: Some(vec![ziping_app::DeductionInput {
                amount: "0.5".into(),
                reason: "初中1项差异系数未达标".into(),
            }]),
            ..Default::default()
        })
        .unwrap();
    let input = |replace| SuggestionDecisionInput {
        assessment: id,
        point: "16".into(),
        key: None,
        adopt: true,
        reason: String::new(),
        replace,
    };
    let err = f.app.decide_suggestion(&input(Some(3))).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("没有第3项扣分"), "{}", err.message);
    f.app.decide_suggestion(&input(Some(1))).unwrap();
    let entry = &f.app.entries(id).unwrap()["16"];
    assert_eq!(entry.deductions.len(), 1);
    assert!(entry.deductions[0].reason.contains("差异系数"));
    assert_ne!(entry.deductions[0].reason, "初中1项差异系数未达标");
}

#[test]
fn declining_needs_a_reason_is_shown_and_revertible() {
    let (mut f, id) = with_statistics();
    let err = f.app.decline_suggestion(id, "24", None, "  ").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(err.message, "不采纳第24测评点的建议，须填写理由。");
    assert_eq!(status(&f.app, id, "24").0, "open");

    let reason = "满意度调查样本不足，待补充调查后再定。";
    let d = f.app.decline_suggestion(id, "24", None, reason).unwrap();
    assert_eq!(d.history.len(), 1);
    assert_eq!(
        d.history[0].change,
        format!("第24测评点建议处理：未处理 → 不采纳（理由：{reason}）")
    );
    assert_eq!(
        status(&f.app, id, "24"),
        ("declined".to_string(), reason.to_string())
    );
    // Nothing was deducted.
    assert!(!f.app.entries(id).unwrap().contains_key("24"));

    f.app.revert(id, d.history[0].id).unwrap();
    assert_eq!(status(&f.app, id, "24").0, "open");
}

#[test]
fn declining_an_adopted_deduction_takes_it_back() {
    let (mut f, id) = with_statistics();
    f.app.adopt_suggestion(id, "15", None).unwrap();
    assert_eq!(f.app.entries(id).unwrap()["15"].deductions.len(), 1);
    let d = f
        .app
        .decline_suggestion(id, "15", None, "县城第一小学已于秋季学期分设校区。")
        .unwrap();
    let fields: Vec<&str> = d.history.iter().map(|h| h.field.as_str()).collect();
    assert_eq!(fields, ["deductions", "suggestion"]);
    assert!(f.app.entries(id).unwrap()["15"].deductions.is_empty());
    assert_eq!(d.suggestion.status.status, "declined");
}

#[test]
fn a_leaf_with_several_suggestions_needs_the_key_and_a_pass_goes_into_the_note() {
    let (mut f, id) = with_statistics();
    let list = f.app.point_suggestions(id, "12").unwrap();
    assert_eq!(list.len(), 2);
    assert_ne!(list[0].key, list[1].key);
    let err = f.app.adopt_suggestion(id, "12", None).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains(&list[0].key), "{}", err.message);
    let err = f.app.adopt_suggestion(id, "12", Some("nope")).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);

    let d = f
        .app
        .adopt_suggestion(id, "12", Some(&list[1].key))
        .unwrap();
    assert_eq!(d.suggestion.key, list[1].key);
    let entry = &f.app.entries(id).unwrap()["12"];
    assert!(entry.scored);
    assert!(entry.deductions.is_empty());
    assert_eq!(entry.note, list[1].suggestion.explanation);
    // Adopting the other one appends its sentence once.
    f.app
        .adopt_suggestion(id, "12", Some(&list[0].key))
        .unwrap();
    f.app
        .adopt_suggestion(id, "12", Some(&list[0].key))
        .unwrap();
    let note = f.app.entries(id).unwrap()["12"].note.clone();
    assert_eq!(
        note,
        format!(
            "{}{}",
            list[1].suggestion.explanation, list[0].suggestion.explanation
        )
    );
    let statuses: Vec<String> = f
        .app
        .point_suggestions(id, "12")
        .unwrap()
        .into_iter()
        .map(|s| s.status.status)
        .collect();
    assert_eq!(statuses, ["adopted", "adopted"]);
}

#[test]
fn decisions_are_refused_when_frozen_and_without_suggestions() {
    let (mut f, id) = with_statistics();
    f.app.freeze(id).unwrap();
    let err = f.app.adopt_suggestion(id, "24", None).unwrap_err();
    assert_eq!(err.code, ErrorCode::Frozen);
    let err = f
        .app
        .decline_suggestion(id, "24", None, "理由")
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Frozen);
    assert_eq!(status(&f.app, id, "24").0, "open");

    let other = new_assessment(&mut f.app, "sample-county-24");
    let err = f.app.adopt_suggestion(other, "24", None).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("导入统计数据"), "{}", err.message);
}

#[test]
fn a_decision_survives_a_reimport_of_the_same_figures() {
    let (mut f, id) = with_statistics();
    f.app
        .decline_suggestion(id, "24", None, "另有说明。")
        .unwrap();
    f.app
        .import_statistics_bytes(
            id,
            ziping_app::demo::DEMO_WORKBOOK_NAME,
            ziping_app::demo::DEMO_WORKBOOK,
        )
        .unwrap();
    let s = &f.app.point_suggestions(id, "24").unwrap()[0];
    assert_eq!(s.status.status, "declined");
    assert!(!s.status.outdated);
}
