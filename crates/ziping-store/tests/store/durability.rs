//! Acknowledged edits are on disk: visible to a second connection, surviving an abrupt end of the
//! process, and equal to an in-memory model after any sequence of edits and a reload.

use std::collections::BTreeMap;
use std::process::Command;

use proptest::prelude::*;
use ziping_core::{BonusClaim, Entry};
use ziping_store::{Change, NewAssessment, StoreError, Workspace};

use crate::{at, deduction, sample_system, temp_path, workspace_with_assessment};

#[test]
fn a_second_connection_sees_each_acknowledged_edit() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let path = ws.path().to_path_buf();
    for i in 0..5 {
        let text = format!("第{i}次修改");
        ws.apply(
            row.id,
            &[Change::Note {
                point: "1".into(),
                text: text.clone(),
            }],
            &at(i + 1),
        )
        .unwrap();
        // `ws` stays open: the second workspace reads through the WAL, not a checkpointed file.
        let reader = Workspace::open(&path).unwrap();
        assert_eq!(reader.entries(row.id).unwrap()["1"].note, text);
        assert_eq!(
            reader.history(row.id, Some("1")).unwrap().len(),
            i as usize + 1
        );
    }
    ws.freeze(row.id, &at(10)).unwrap();
    let reader = Workspace::open(&path).unwrap();
    assert!(reader.frozen_revision(row.id, 1).is_ok());
}

#[test]
fn two_open_workspaces_can_both_write() {
    let (_dir, mut a, row) = workspace_with_assessment();
    let mut b = Workspace::open(a.path()).unwrap();
    a.apply(
        row.id,
        &[Change::Note {
            point: "1".into(),
            text: "甲".into(),
        }],
        &at(1),
    )
    .unwrap();
    b.apply(
        row.id,
        &[Change::Problems {
            point: "1".into(),
            text: "乙".into(),
        }],
        &at(2),
    )
    .unwrap();
    let e = &a.entries(row.id).unwrap()["1"];
    assert_eq!((e.note.as_str(), e.problems.as_str()), ("甲", "乙"));
}

const CHILD_ENV: &str = "ZIPING_STORE_TEST_CHILD_WORKSPACE";

/// Not a test on its own: when run as a child process by `edits_survive_an_abrupt_exit`, it writes
/// to the workspace named in the environment and aborts without any cleanup.
#[test]
fn child_writer_entry() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut ws = Workspace::open(std::path::Path::new(&path)).unwrap();
    let snapshot_id = ws.put_system_snapshot(&sample_system("2024")).unwrap();
    let row = ws
        .create_assessment(
            &NewAssessment {
                region: "示例县".into(),
                year: 2024,
                organ: "督导室".into(),
                snapshot_id,
            },
            &at(0),
        )
        .unwrap();
    ws.apply(
        row.id,
        &[
            Change::Rating {
                point: "1".into(),
                rating: Some("A".into()),
            },
            Change::Deductions {
                point: "2".into(),
                deductions: vec![deduction(220, "大班额")],
            },
        ],
        &at(1),
    )
    .unwrap();
    // No destructor runs, the WAL is not checkpointed: only what the commit wrote exists.
    std::process::abort();
}

#[test]
fn edits_survive_an_abrupt_exit() {
    let (dir, path) = temp_path("killed.zpws");
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "durability::child_writer_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .output()
        .unwrap();
    assert!(
        !status.status.success(),
        "the child must abort: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(
        dir.path().join("killed.zpws-wal").exists(),
        "the edits are still in the WAL"
    );

    let ws = Workspace::open(&path).unwrap();
    let rows = ws.assessments().unwrap();
    assert_eq!(rows.len(), 1);
    let entries = ws.entries(rows[0].id).unwrap();
    assert_eq!(entries["1"].rating.as_deref(), Some("A"));
    assert_eq!(entries["2"].deductions, vec![deduction(220, "大班额")]);
    assert_eq!(ws.history(rows[0].id, None).unwrap().len(), 2);
}

// ----- model-based property test ----------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Apply(Vec<Change>),
    /// Revert the history row at this index (modulo the number of revertible rows).
    Revert(usize),
    Freeze,
    NewRevision,
    Reopen,
}

#[derive(Default)]
struct Model {
    entries: BTreeMap<String, Entry>,
    bonus: BTreeMap<String, String>,
    frozen: bool,
    /// Revertible history rows: store id and the change that restores the old value.
    history: Vec<(i64, Change)>,
    /// Number of history rows of all kinds.
    rows: usize,
}

impl Model {
    /// Applies a change; returns the change restoring the previous value, or `None` for a no-op.
    fn apply(&mut self, c: &Change) -> Option<Change> {
        if let Change::Bonus {
            code,
            claimed,
            note,
        } = c
        {
            let current = self.bonus.get(code).cloned();
            let wanted = claimed.then(|| note.clone());
            if current == wanted {
                return None;
            }
            match wanted {
                Some(n) => self.bonus.insert(code.clone(), n),
                None => self.bonus.remove(code),
            };
            return Some(Change::Bonus {
                code: code.clone(),
                claimed: current.is_some(),
                note: current.unwrap_or_default(),
            });
        }
        let point = c.point().to_string();
        let old = self.entries.get(&point).cloned().unwrap_or_default();
        let mut new = old.clone();
        let restore = match c {
            Change::Rating { rating, .. } => {
                new.rating = rating.clone();
                Change::Rating {
                    point: point.clone(),
                    rating: old.rating.clone(),
                }
            }
            Change::Scored { scored, .. } => {
                new.scored = *scored;
                Change::Scored {
                    point: point.clone(),
                    scored: old.scored,
                }
            }
            Change::Deductions { deductions, .. } => {
                new.deductions = deductions.clone();
                Change::Deductions {
                    point: point.clone(),
                    deductions: old.deductions.clone(),
                }
            }
            Change::Note { text, .. } => {
                new.note = text.clone();
                Change::Note {
                    point: point.clone(),
                    text: old.note.clone(),
                }
            }
            Change::Problems { text, .. } => {
                new.problems = text.clone();
                Change::Problems {
                    point: point.clone(),
                    text: old.problems.clone(),
                }
            }
            Change::Measures { text, .. } => {
                new.measures = text.clone();
                Change::Measures {
                    point: point.clone(),
                    text: old.measures.clone(),
                }
            }
            // The model generates no evidence links or suggestion decisions.
            Change::Bonus { .. } | Change::Evidence { .. } | Change::Suggestion { .. } => {
                unreachable!()
            }
        };
        if new == old {
            return None;
        }
        self.entries.insert(point, new);
        Some(restore)
    }

    fn bonus_claims(&self) -> Vec<BonusClaim> {
        self.bonus
            .iter()
            .map(|(code, note)| BonusClaim {
                code: code.clone(),
                note: note.clone(),
            })
            .collect()
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("甲".to_string()),
        Just("乙\"丙\n丁".to_string()),
        "[a-z说明]{0,6}"
    ]
}

fn change() -> impl Strategy<Value = Change> {
    let point = prop_oneof![
        Just("1".to_string()),
        Just("2".to_string()),
        Just("15".to_string())
    ];
    let code = prop_oneof![Just("B1".to_string()), Just("B2".to_string())];
    let rating = prop_oneof![
        Just(None),
        Just(Some("A".to_string())),
        Just(Some("B".to_string())),
        Just(Some("NA".to_string()))
    ];
    let deductions = prop::collection::vec(
        (
            1i64..=1000,
            prop_oneof![Just("超规模"), Just("大班额"), Just("")],
        )
            .prop_map(|(a, r)| deduction(a, r)),
        0..3,
    );
    prop_oneof![
        (point.clone(), rating).prop_map(|(point, rating)| Change::Rating { point, rating }),
        (point.clone(), any::<bool>()).prop_map(|(point, scored)| Change::Scored { point, scored }),
        (point.clone(), deductions)
            .prop_map(|(point, deductions)| Change::Deductions { point, deductions }),
        (point.clone(), text()).prop_map(|(point, text)| Change::Note { point, text }),
        (point.clone(), text()).prop_map(|(point, text)| Change::Problems { point, text }),
        (point, text()).prop_map(|(point, text)| Change::Measures { point, text }),
        (code, any::<bool>(), text()).prop_map(|(code, claimed, note)| Change::Bonus {
            code,
            claimed,
            note
        }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => prop::collection::vec(change(), 0..4).prop_map(Op::Apply),
        3 => any::<usize>().prop_map(Op::Revert),
        1 => Just(Op::Freeze),
        1 => Just(Op::NewRevision),
        1 => Just(Op::Reopen),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_then_reload_equal_the_model(ops in prop::collection::vec(op(), 1..25)) {
        let (dir, mut ws, row) = workspace_with_assessment();
        let path = dir.path().join("ws.zpws");
        let id = row.id;
        let mut m = Model::default();
        for (step, op) in ops.iter().enumerate() {
            let now = at(step as u32 + 1);
            match op {
                Op::Apply(changes) => {
                    let result = ws.apply(id, changes, &now);
                    if m.frozen {
                        prop_assert!(matches!(result, Err(StoreError::Frozen { .. })), "expected Frozen");
                        continue;
                    }
                    let written = result.unwrap();
                    let mut expected = Vec::new();
                    for c in changes {
                        if let Some(restore) = m.apply(c) {
                            expected.push(restore);
                        }
                    }
                    prop_assert_eq!(written.len(), expected.len());
                    for (h, restore) in written.iter().zip(expected) {
                        prop_assert_eq!(h.reverted_id, None);
                        m.history.push((h.id, restore));
                    }
                    m.rows += written.len();
                }
                Op::Revert(k) => {
                    if m.history.is_empty() {
                        continue;
                    }
                    let (hid, restore) = m.history[k % m.history.len()].clone();
                    let result = ws.revert(id, hid, &now);
                    if m.frozen {
                        prop_assert!(matches!(result, Err(StoreError::Frozen { .. })), "expected Frozen");
                        continue;
                    }
                    let written = result.unwrap();
                    match m.apply(&restore) {
                        Some(again) => {
                            prop_assert_eq!(written.len(), 1);
                            prop_assert_eq!(written[0].reverted_id, Some(hid));
                            m.history.push((written[0].id, again));
                            m.rows += 1;
                        }
                        None => prop_assert!(written.is_empty()),
                    }
                }
                Op::Freeze => {
                    let result = ws.freeze(id, &now);
                    if m.frozen {
                        prop_assert!(matches!(result, Err(StoreError::Frozen { .. })), "expected Frozen");
                    } else {
                        let row = result.unwrap();
                        let rev = ws.frozen_revision(id, row.revision).unwrap();
                        prop_assert_eq!(&rev.entries, &m.entries);
                        prop_assert_eq!(rev.bonus, m.bonus_claims());
                        m.frozen = true;
                    }
                }
                Op::NewRevision => {
                    let result = ws.new_revision(id, &now);
                    if m.frozen {
                        result.unwrap();
                        m.frozen = false;
                        m.rows += 1;
                    } else {
                        prop_assert!(matches!(result, Err(StoreError::NotFrozen { .. })), "expected NotFrozen");
                    }
                }
                Op::Reopen => {
                    drop(ws);
                    ws = Workspace::open(&path).unwrap();
                }
            }
        }
        drop(ws);
        let ws = Workspace::open(&path).unwrap();
        prop_assert_eq!(ws.entries(id).unwrap(), m.entries.clone());
        prop_assert_eq!(ws.bonus_claims(id).unwrap(), m.bonus_claims());
        prop_assert_eq!(ws.history(id, None).unwrap().len(), m.rows);
        prop_assert_eq!(ws.assessment(id).unwrap().status == ziping_store::Status::Frozen, m.frozen);
    }
}
