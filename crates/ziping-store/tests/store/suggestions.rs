//! Suggestion decisions: stored per leaf and key, recorded in the history, revertible, refused when
//! frozen or when a decline has no reason, deleted with their assessment, kept across a reopen.

use ziping_store::{Change, Decision, DecisionStatus, StoreError, Workspace};

use crate::{at, deduction, workspace_with_assessment};

fn decide(status: DecisionStatus, reason: &str) -> Option<Decision> {
    Some(Decision {
        status,
        reason: reason.to_string(),
        explanation: "小学生均教学仪器设备值差异系数0.53，高于0.50。".to_string(),
    })
}

fn change(decision: Option<Decision>) -> Change {
    Change::Suggestion {
        point: "3".into(),
        key: "cv_primary_equipment".into(),
        decision,
    }
}

#[test]
fn decline_is_stored_listed_in_history_and_revertible() {
    let (_d, mut ws, a) = workspace_with_assessment();
    assert!(ws.suggestion_decisions(a.id).unwrap().is_empty());

    let h = ws
        .apply(
            a.id,
            &[change(decide(
                DecisionStatus::Declined,
                "已于2024年完成设备补充采购。",
            ))],
            &at(1),
        )
        .unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].field, "suggestion");
    assert_eq!(h[0].point.as_deref(), Some("3"));
    assert_eq!(h[0].old_value["status"], "open");
    assert_eq!(h[0].new_value["status"], "declined");
    assert_eq!(h[0].new_value["reason"], "已于2024年完成设备补充采购。");
    assert_eq!(h[0].new_value["key"], "cv_primary_equipment");

    let rows = ws.suggestion_decisions(a.id).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].point, "3");
    assert_eq!(rows[0].status, DecisionStatus::Declined);
    assert_eq!(rows[0].reason, "已于2024年完成设备补充采购。");
    assert_eq!(rows[0].decided_at, at(1));

    // The same decision again records nothing.
    let again = ws
        .apply(
            a.id,
            &[change(decide(
                DecisionStatus::Declined,
                "已于2024年完成设备补充采购。",
            ))],
            &at(2),
        )
        .unwrap();
    assert!(again.is_empty());

    // Revert: open again, recorded as a revert of the decline.
    let r = ws.revert(a.id, h[0].id, &at(3)).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].reverted_id, Some(h[0].id));
    assert_eq!(r[0].new_value["status"], "open");
    assert!(ws.suggestion_decisions(a.id).unwrap().is_empty());

    // Reverting the revert restores the decline with its reason.
    ws.revert(a.id, r[0].id, &at(4)).unwrap();
    let rows = ws.suggestion_decisions(a.id).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].reason, "已于2024年完成设备补充采购。");
    assert_eq!(ws.history(a.id, Some("3")).unwrap().len(), 3);
}

#[test]
fn adoption_lands_with_its_deduction_in_one_transaction() {
    let (_d, mut ws, a) = workspace_with_assessment();
    // A failing change in the same call (a decline without reason) leaves nothing behind.
    let err = ws
        .apply(
            a.id,
            &[
                Change::Deductions {
                    point: "3".into(),
                    deductions: vec![deduction(100, "1项校际差异系数未达标")],
                },
                change(decide(DecisionStatus::Declined, "  ")),
            ],
            &at(1),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("理由"), "{err}");
    assert!(!ws.entries(a.id).unwrap().contains_key("3"));
    assert!(ws.history(a.id, None).unwrap().is_empty());

    let h = ws
        .apply(
            a.id,
            &[
                Change::Deductions {
                    point: "3".into(),
                    deductions: vec![deduction(100, "1项校际差异系数未达标")],
                },
                change(decide(DecisionStatus::Adopted, "")),
            ],
            &at(2),
        )
        .unwrap();
    let fields: Vec<&str> = h.iter().map(|r| r.field.as_str()).collect();
    assert_eq!(fields, ["deductions", "suggestion"]);
    assert_eq!(ws.entries(a.id).unwrap()["3"].deductions.len(), 1);
    assert_eq!(
        ws.suggestion_decisions(a.id).unwrap()[0].status,
        DecisionStatus::Adopted
    );
}

#[test]
fn frozen_refuses_decisions_and_reopen_keeps_them() {
    let (dir, mut ws, a) = workspace_with_assessment();
    ws.apply(a.id, &[change(decide(DecisionStatus::Adopted, ""))], &at(1))
        .unwrap();
    ws.freeze(a.id, &at(2)).unwrap();
    let err = ws
        .apply(
            a.id,
            &[change(decide(DecisionStatus::Declined, "数据有误。"))],
            &at(3),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Frozen { .. }), "{err:?}");
    let path = ws.path().to_path_buf();
    drop(ws);
    let ws = Workspace::open(&path).unwrap();
    let rows = ws.suggestion_decisions(a.id).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, DecisionStatus::Adopted);
    drop(dir);
}

#[test]
fn decisions_go_with_their_assessment() {
    let (_d, mut ws, a) = workspace_with_assessment();
    ws.apply(
        a.id,
        &[change(decide(DecisionStatus::Declined, "另有说明。"))],
        &at(1),
    )
    .unwrap();
    let conn_count = |ws: &Workspace| ws.suggestion_decisions(a.id).map(|r| r.len());
    assert_eq!(conn_count(&ws).unwrap(), 1);
    ws.delete_assessment(a.id).unwrap();
    assert!(matches!(conn_count(&ws), Err(StoreError::NotFound { .. })));
}

#[test]
fn an_empty_key_is_refused() {
    let (_d, mut ws, a) = workspace_with_assessment();
    let err = ws
        .apply(
            a.id,
            &[Change::Suggestion {
                point: "3".into(),
                key: " ".into(),
                decision: decide(DecisionStatus::Adopted, ""),
            }],
            &at(1),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
}
