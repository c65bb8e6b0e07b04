//! Changes, their history, no-ops and reverts.

use serde_json::json;
use ziping_core::{BonusClaim, Entry};
use ziping_store::{Change, NewAssessment, Status, StoreError, Workspace};

use crate::{at, deduction, sample_system, workspace_with_assessment};

fn rating(point: &str, r: Option<&str>) -> Change {
    Change::Rating {
        point: point.into(),
        rating: r.map(str::to_string),
    }
}

#[test]
fn create_and_list_assessments() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    assert_eq!(row.status, Status::Draft);
    assert_eq!(row.revision, 1);
    assert_eq!(row.region, "示例县");
    assert_eq!(row.organ, "示例县人民政府教育督导室");
    assert_eq!(row.system_id, "test-rated");
    assert_eq!(row.system_version, "2024");
    assert_eq!(row.system_name, "测试用指标体系");
    assert_eq!(
        (row.created_at.as_str(), row.updated_at.as_str()),
        (at(0).as_str(), at(0).as_str())
    );
    assert_eq!(row.frozen_at, None);
    assert_eq!(row.uid.len(), 36);
    assert_eq!(
        &row.uid[14..15],
        "4",
        "uid is a version-4 UUID: {}",
        row.uid
    );

    let second = ws
        .create_assessment(
            &NewAssessment {
                region: "乙县".into(),
                year: 2023,
                organ: "乙县教育局".into(),
                snapshot_id: row.snapshot_id,
            },
            &at(1),
        )
        .unwrap();
    assert_ne!(second.uid, row.uid);
    let all = ws.assessments().unwrap();
    assert_eq!(
        all.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![row.id, second.id]
    );
    assert_eq!(ws.assessment(second.id).unwrap(), second);

    let missing = ws.assessment(9999).unwrap_err();
    assert!(
        matches!(missing, StoreError::NotFound { .. }),
        "{missing:?}"
    );
    assert_eq!(missing.to_string(), "找不到自评（编号9999）。");

    let bad_snapshot = ws
        .create_assessment(
            &NewAssessment {
                region: "丙县".into(),
                year: 2024,
                organ: "丙".into(),
                snapshot_id: 77,
            },
            &at(2),
        )
        .unwrap_err();
    assert!(
        matches!(bad_snapshot, StoreError::NotFound { .. }),
        "{bad_snapshot:?}"
    );
}

#[test]
fn snapshots_are_deduplicated_and_round_trip() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let system = sample_system("2024");
    assert_eq!(ws.put_system_snapshot(&system).unwrap(), row.snapshot_id);
    let other = ws.put_system_snapshot(&sample_system("2025")).unwrap();
    assert_ne!(other, row.snapshot_id);
    assert_eq!(ws.system_snapshot(row.snapshot_id).unwrap(), system);
    assert_eq!(ws.system_snapshots().unwrap().len(), 2);
    assert!(matches!(
        ws.system_snapshot(12345),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn set_values_and_read_them_back() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    let written = ws
        .apply(
            id,
            &[
                rating("1", Some("A")),
                Change::Note {
                    point: "1".into(),
                    text: "已出台文件。".into(),
                },
                Change::Scored {
                    point: "2".into(),
                    scored: true,
                },
                Change::Deductions {
                    point: "2".into(),
                    deductions: vec![
                        deduction(100, "2所学校超规模办学"),
                        deduction(220, "大班额"),
                    ],
                },
                Change::Problems {
                    point: "2".into(),
                    text: "问题".into(),
                },
                Change::Measures {
                    point: "2".into(),
                    text: "措施".into(),
                },
                Change::Bonus {
                    code: "B1".into(),
                    claimed: true,
                    note: "获省级表彰".into(),
                },
            ],
            &at(5),
        )
        .unwrap();
    assert_eq!(written.len(), 7);
    assert!(
        written.windows(2).all(|w| w[0].id < w[1].id),
        "apply returns oldest first"
    );
    assert_eq!(written[3].field, "deductions");
    assert_eq!(written[3].old_value, json!([]));
    assert_eq!(
        written[3].new_value,
        json!([{"amount": 1, "reason": "2所学校超规模办学"}, {"amount": 2.2, "reason": "大班额"}])
    );
    assert_eq!(written[6].point.as_deref(), Some("B1"));
    assert_eq!(written[6].old_value, json!({"claimed": false, "note": ""}));
    assert_eq!(
        written[6].new_value,
        json!({"claimed": true, "note": "获省级表彰"})
    );

    let entries = ws.entries(id).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries["1"],
        Entry {
            rating: Some("A".into()),
            note: "已出台文件。".into(),
            ..Entry::default()
        }
    );
    assert_eq!(
        entries["2"],
        Entry {
            scored: true,
            deductions: vec![
                deduction(100, "2所学校超规模办学"),
                deduction(220, "大班额")
            ],
            problems: "问题".into(),
            measures: "措施".into(),
            ..Entry::default()
        }
    );
    assert_eq!(
        ws.bonus_claims(id).unwrap(),
        vec![BonusClaim {
            code: "B1".into(),
            note: "获省级表彰".into()
        }]
    );
    assert_eq!(ws.assessment(id).unwrap().updated_at, at(5));
}

#[test]
fn no_op_changes_record_nothing() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    // Setting defaults on an untouched leaf is a no-op and creates no entry.
    let none = ws
        .apply(
            id,
            &[
                rating("1", None),
                Change::Scored {
                    point: "1".into(),
                    scored: false,
                },
                Change::Deductions {
                    point: "1".into(),
                    deductions: vec![],
                },
                Change::Note {
                    point: "1".into(),
                    text: String::new(),
                },
                Change::Bonus {
                    code: "B1".into(),
                    claimed: false,
                    note: "ignored".into(),
                },
            ],
            &at(1),
        )
        .unwrap();
    assert!(none.is_empty());
    assert!(ws.entries(id).unwrap().is_empty());
    assert!(ws.history(id, None).unwrap().is_empty());
    assert_eq!(
        ws.assessment(id).unwrap().updated_at,
        at(0),
        "a no-op does not touch updated_at"
    );

    ws.apply(id, &[rating("1", Some("B"))], &at(2)).unwrap();
    let again = ws
        .apply(
            id,
            &[rating("1", Some("B")), rating("1", Some("B"))],
            &at(3),
        )
        .unwrap();
    assert!(again.is_empty());
    assert_eq!(ws.history(id, None).unwrap().len(), 1);
    assert_eq!(ws.assessment(id).unwrap().updated_at, at(2));

    // Two changes of the same field in one call: each compares with the value before it.
    let two = ws
        .apply(
            id,
            &[rating("1", Some("A")), rating("1", Some("B"))],
            &at(4),
        )
        .unwrap();
    assert_eq!(two.len(), 2);
    assert_eq!(
        (two[1].old_value.clone(), two[1].new_value.clone()),
        (json!("A"), json!("B"))
    );
}

#[test]
fn history_is_newest_first_and_filters_by_point() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    ws.apply(id, &[rating("1", Some("A"))], &at(1)).unwrap();
    ws.apply(
        id,
        &[
            rating("2", Some("NA")),
            Change::Note {
                point: "2".into(),
                text: "本县没有高等教育院校。".into(),
            },
        ],
        &at(2),
    )
    .unwrap();
    ws.apply(id, &[rating("1", Some("C"))], &at(3)).unwrap();
    ws.apply(
        id,
        &[Change::Bonus {
            code: "B2".into(),
            claimed: true,
            note: String::new(),
        }],
        &at(4),
    )
    .unwrap();

    let all = ws.history(id, None).unwrap();
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert_eq!(all[0].field, "bonus");

    let p1 = ws.history(id, Some("1")).unwrap();
    assert_eq!(p1.len(), 2);
    assert_eq!(
        (
            p1[0].old_value.clone(),
            p1[0].new_value.clone(),
            p1[0].at.clone()
        ),
        (json!("A"), json!("C"), at(3))
    );
    assert_eq!(
        (p1[1].old_value.clone(), p1[1].new_value.clone()),
        (json!(null), json!("A"))
    );
    assert!(p1
        .iter()
        .all(|h| h.revision == 1 && h.reverted_id.is_none() && h.assessment_id == id));
    assert_eq!(ws.history(id, Some("B2")).unwrap().len(), 1);
    assert!(ws.history(id, Some("nope")).unwrap().is_empty());
    assert!(matches!(
        ws.history(424242, None),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn revert_restores_the_old_value_as_a_new_change() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    let first = ws
        .apply(id, &[rating("1", Some("A"))], &at(1))
        .unwrap()
        .remove(0);
    let second = ws
        .apply(id, &[rating("1", Some("C"))], &at(2))
        .unwrap()
        .remove(0);

    let r = ws.revert(id, second.id, &at(3)).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].reverted_id, Some(second.id));
    assert_eq!(
        (r[0].old_value.clone(), r[0].new_value.clone()),
        (json!("C"), json!("A"))
    );
    assert_eq!(ws.entries(id).unwrap()["1"].rating.as_deref(), Some("A"));

    // Reverting the first change goes back to "not rated".
    ws.revert(id, first.id, &at(4)).unwrap();
    assert_eq!(ws.entries(id).unwrap()["1"].rating, None);
    // Reverting again is a no-op: the value already is the old one.
    assert!(ws.revert(id, first.id, &at(5)).unwrap().is_empty());
    assert_eq!(ws.history(id, Some("1")).unwrap().len(), 4);
}

#[test]
fn revert_every_kind_of_field() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    let base = [
        Change::Scored {
            point: "3".into(),
            scored: true,
        },
        Change::Deductions {
            point: "3".into(),
            deductions: vec![deduction(50, "甲")],
        },
        Change::Note {
            point: "3".into(),
            text: "说明一".into(),
        },
        Change::Problems {
            point: "3".into(),
            text: "问题一".into(),
        },
        Change::Measures {
            point: "3".into(),
            text: "措施一".into(),
        },
        Change::Bonus {
            code: "B1".into(),
            claimed: true,
            note: "理由一".into(),
        },
    ];
    ws.apply(id, &base, &at(1)).unwrap();
    let snapshot_entries = ws.entries(id).unwrap();
    let snapshot_bonus = ws.bonus_claims(id).unwrap();
    let edits = ws
        .apply(
            id,
            &[
                Change::Scored {
                    point: "3".into(),
                    scored: false,
                },
                Change::Deductions {
                    point: "3".into(),
                    deductions: vec![deduction(50, "甲"), deduction(125, "乙")],
                },
                Change::Note {
                    point: "3".into(),
                    text: "说明二".into(),
                },
                Change::Problems {
                    point: "3".into(),
                    text: "".into(),
                },
                Change::Measures {
                    point: "3".into(),
                    text: "措施二".into(),
                },
                Change::Bonus {
                    code: "B1".into(),
                    claimed: false,
                    note: String::new(),
                },
            ],
            &at(2),
        )
        .unwrap();
    assert_eq!(edits.len(), 6);
    for h in edits.iter().rev() {
        assert_eq!(
            ws.revert(id, h.id, &at(3)).unwrap().len(),
            1,
            "revert {}",
            h.field
        );
    }
    assert_eq!(ws.entries(id).unwrap(), snapshot_entries);
    assert_eq!(ws.bonus_claims(id).unwrap(), snapshot_bonus);
}

#[test]
fn revert_refuses_foreign_and_missing_rows() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let other = ws
        .create_assessment(
            &NewAssessment {
                region: "乙县".into(),
                year: 2024,
                organ: "乙".into(),
                snapshot_id: row.snapshot_id,
            },
            &at(1),
        )
        .unwrap();
    let h = ws
        .apply(other.id, &[rating("1", Some("A"))], &at(2))
        .unwrap()
        .remove(0);
    assert!(matches!(
        ws.revert(row.id, h.id, &at(3)),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        ws.revert(row.id, 99999, &at(3)),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(
        ws.entries(other.id).unwrap()["1"].rating.as_deref(),
        Some("A")
    );
}

#[test]
fn timestamps_must_be_rfc3339() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let err = ws
        .apply(row.id, &[rating("1", Some("A"))], "yesterday")
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert!(ws.entries(row.id).unwrap().is_empty());
}

#[test]
fn delete_cascades_everything() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    ws.apply(
        id,
        &[
            Change::Deductions {
                point: "2".into(),
                deductions: vec![deduction(100, "x")],
            },
            Change::Bonus {
                code: "B1".into(),
                claimed: true,
                note: "n".into(),
            },
        ],
        &at(1),
    )
    .unwrap();
    let h = ws.history(id, None).unwrap();
    ws.revert(id, h[0].id, &at(2)).unwrap();
    ws.freeze(id, &at(3)).unwrap();
    ws.delete_assessment(id).unwrap();
    assert!(matches!(
        ws.assessment(id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        ws.delete_assessment(id),
        Err(StoreError::NotFound { .. })
    ));
    let path = ws.path().to_path_buf();
    drop(ws);
    let conn = rusqlite::Connection::open(&path).unwrap();
    for table in [
        "entries",
        "deductions",
        "bonus_claims",
        "history",
        "revisions",
        "assessments",
    ] {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table} still has rows");
    }
    let snapshots: i64 = conn
        .query_row("SELECT count(*) FROM system_snapshots", [], |r| r.get(0))
        .unwrap();
    assert_eq!(snapshots, 1, "snapshots stay");
    drop(conn);
    assert_eq!(
        Workspace::open(&path).unwrap().assessments().unwrap(),
        vec![]
    );
}

#[test]
fn changes_serialise_tagged_by_field() {
    let c = Change::Deductions {
        point: "15".into(),
        deductions: vec![deduction(100, "超规模")],
    };
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(
        v,
        json!({"field": "deductions", "point": "15", "deductions": [{"amount": 1, "reason": "超规模"}]})
    );
    assert_eq!(serde_json::from_value::<Change>(v).unwrap(), c);
    let b: Change = serde_json::from_value(
        json!({"field": "bonus", "code": "B1", "claimed": true, "note": ""}),
    )
    .unwrap();
    assert_eq!(b.field(), "bonus");
    assert_eq!(b.point(), "B1");
}
