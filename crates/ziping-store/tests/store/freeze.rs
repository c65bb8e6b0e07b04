//! Freezing (定稿), reproducing a frozen revision, and new revisions.

use serde_json::json;
use sha2::{Digest, Sha256};
use ziping_store::{Change, Status, StoreError, Workspace};

use crate::{at, deduction, workspace_with_assessment};

#[test]
fn frozen_assessment_refuses_every_change() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    let h = ws
        .apply(
            id,
            &[Change::Rating {
                point: "1".into(),
                rating: Some("A".into()),
            }],
            &at(1),
        )
        .unwrap();
    let frozen = ws.freeze(id, &at(2)).unwrap();
    assert_eq!(frozen.status, Status::Frozen);
    assert_eq!(frozen.frozen_at.as_deref(), Some(at(2).as_str()));
    assert_eq!(frozen.revision, 1);

    let history_before = ws.history(id, None).unwrap();
    let all_changes = [
        Change::Rating {
            point: "1".into(),
            rating: Some("B".into()),
        },
        Change::Scored {
            point: "1".into(),
            scored: true,
        },
        Change::Deductions {
            point: "1".into(),
            deductions: vec![deduction(10, "x")],
        },
        Change::Note {
            point: "1".into(),
            text: "x".into(),
        },
        Change::Problems {
            point: "1".into(),
            text: "x".into(),
        },
        Change::Measures {
            point: "1".into(),
            text: "x".into(),
        },
        Change::Bonus {
            code: "B1".into(),
            claimed: true,
            note: "x".into(),
        },
    ];
    for c in &all_changes {
        let err = ws.apply(id, std::slice::from_ref(c), &at(3)).unwrap_err();
        assert!(matches!(err, StoreError::Frozen { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "该自评第1版已定稿，不能修改；如需修改请先新建修订版。"
        );
    }
    // Even a no-op is refused, and so is a revert and a second freeze.
    assert!(matches!(
        ws.apply(id, &[], &at(3)),
        Err(StoreError::Frozen { .. })
    ));
    assert!(matches!(
        ws.revert(id, h[0].id, &at(3)),
        Err(StoreError::Frozen { .. })
    ));
    assert!(matches!(
        ws.freeze(id, &at(3)),
        Err(StoreError::Frozen { .. })
    ));

    assert_eq!(
        ws.history(id, None).unwrap(),
        history_before,
        "nothing written"
    );
    assert_eq!(ws.entries(id).unwrap()["1"].rating.as_deref(), Some("A"));
    assert!(ws.bonus_claims(id).unwrap().is_empty());
    assert_eq!(ws.assessment(id).unwrap(), frozen);
}

#[test]
fn frozen_revision_reproduces_exactly() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    ws.apply(
        id,
        &[
            Change::Rating {
                point: "1".into(),
                rating: Some("A".into()),
            },
            Change::Deductions {
                point: "2".into(),
                deductions: vec![deduction(220, "大班额“56人”")],
            },
            Change::Note {
                point: "2".into(),
                text: "含\"引号\"与\n换行".into(),
            },
            Change::Bonus {
                code: "B2".into(),
                claimed: true,
                note: "理由".into(),
            },
            Change::Bonus {
                code: "B1".into(),
                claimed: true,
                note: String::new(),
            },
        ],
        &at(1),
    )
    .unwrap();
    let entries = ws.entries(id).unwrap();
    let bonus = ws.bonus_claims(id).unwrap();
    assert_eq!(
        bonus.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(),
        vec!["B1", "B2"],
        "ordered by code"
    );
    ws.freeze(id, &at(2)).unwrap();

    let rev = ws.frozen_revision(id, 1).unwrap();
    assert_eq!(rev.revision, 1);
    assert_eq!(rev.frozen_at, at(2));
    assert_eq!(rev.entries, entries);
    assert_eq!(rev.bonus, bonus);
    assert_eq!(
        rev.sha256,
        format!("{:x}", Sha256::digest(rev.content.as_bytes()))
    );
    let content: serde_json::Value = serde_json::from_str(&rev.content).unwrap();
    assert_eq!(content["format"], json!(1));
    assert_eq!(content["assessment_uid"], json!(row.uid));
    assert_eq!(content["revision"], json!(1));
    assert_eq!(content["system"]["id"], json!("test-rated"));
    assert_eq!(
        content["entries"]["2"]["deductions"][0]["amount"],
        json!(2.2)
    );

    // Reading it again, after a reopen and after new edits, gives the same bytes.
    let path = ws.path().to_path_buf();
    ws.new_revision(id, &at(3)).unwrap();
    ws.apply(
        id,
        &[Change::Rating {
            point: "1".into(),
            rating: Some("C".into()),
        }],
        &at(4),
    )
    .unwrap();
    drop(ws);
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.frozen_revision(id, 1).unwrap(), rev);
    assert!(matches!(
        ws.frozen_revision(id, 2),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(ws.revisions(id).unwrap().len(), 1);
}

#[test]
fn tampered_revision_is_detected() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    ws.apply(
        id,
        &[Change::Rating {
            point: "1".into(),
            rating: Some("A".into()),
        }],
        &at(1),
    )
    .unwrap();
    ws.freeze(id, &at(2)).unwrap();
    let path = ws.path().to_path_buf();
    drop(ws);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        // The trigger refuses in-place rewrites of a signed revision…
        assert!(conn
            .execute(
                "UPDATE revisions SET content = replace(content, '\"A\"', '\"B\"')",
                []
            )
            .is_err());
        // …so a tamperer must go around it; the checksum still catches that.
        conn.execute_batch(
            "DROP TRIGGER revisions_are_immutable; UPDATE revisions SET content = replace(content, '\"A\"', '\"B\"');",
        )
        .unwrap();
    }
    let ws = Workspace::open(&path).unwrap();
    let err = ws.frozen_revision(id, 1).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("校验值不符"), "{err}");
}

#[test]
fn new_revision_only_from_frozen() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let id = row.id;
    let err = ws.new_revision(id, &at(1)).unwrap_err();
    assert!(matches!(err, StoreError::NotFrozen { .. }), "{err:?}");
    assert!(ws.history(id, None).unwrap().is_empty());

    ws.apply(
        id,
        &[Change::Scored {
            point: "1".into(),
            scored: true,
        }],
        &at(1),
    )
    .unwrap();
    ws.freeze(id, &at(2)).unwrap();
    let r2 = ws.new_revision(id, &at(3)).unwrap();
    assert_eq!(r2.status, Status::Draft);
    assert_eq!(r2.revision, 2);
    assert_eq!(r2.frozen_at, None);
    assert_eq!(r2.updated_at, at(3));

    let h = ws.history(id, None).unwrap();
    assert_eq!(h[0].field, "revision");
    assert_eq!(h[0].point, None);
    assert_eq!(
        (h[0].old_value.clone(), h[0].new_value.clone()),
        (json!(1), json!(2))
    );
    assert_eq!(h[0].revision, 2);
    let err = ws.revert(id, h[0].id, &at(4)).unwrap_err();
    assert!(matches!(err, StoreError::CannotRevert { .. }), "{err:?}");

    // Entries carry over, edits are allowed again and are recorded under revision 2.
    assert!(ws.entries(id).unwrap()["1"].scored);
    let w = ws
        .apply(
            id,
            &[Change::Scored {
                point: "1".into(),
                scored: false,
            }],
            &at(5),
        )
        .unwrap();
    assert_eq!(w[0].revision, 2);
    ws.freeze(id, &at(6)).unwrap();
    let infos = ws.revisions(id).unwrap();
    assert_eq!(
        infos.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_ne!(infos[0].sha256, infos[1].sha256);
    assert!(ws.frozen_revision(id, 1).unwrap().entries["1"].scored);
    assert!(!ws.frozen_revision(id, 2).unwrap().entries["1"].scored);
}
