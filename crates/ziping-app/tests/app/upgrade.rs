//! Upgrades: a workspace written by the first released schema (migration 0001 only, by the program
//! of that time: `scripts/make-upgrade-fixture.sh`, fixture in `tests/fixtures/upgrade/`) opens with
//! the current code, is migrated, and loses nothing: the assessments, every history row and the
//! summaries are what the old program printed. A workspace of a newer schema is refused unchanged.

use std::path::{Path, PathBuf};

use serde_json::Value;
use ziping_app::{App, ErrorCode};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/upgrade").join(name)
}

fn old_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

/// `PRAGMA user_version` straight from the file header (bytes 60..64, big-endian).
fn header_version(path: &Path) -> u32 {
    let bytes = std::fs::read(path).unwrap();
    u32::from_be_bytes(bytes[60..64].try_into().unwrap())
}

/// Every key the old program printed has the same value now (new keys may have been added).
fn assert_contains(old: &Value, new: &Value, at: &str) {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            for (k, v) in o {
                let nv = n.get(k).unwrap_or_else(|| panic!("{at}.{k} is gone"));
                assert_contains(v, nv, &format!("{at}.{k}"));
            }
        }
        (Value::Array(o), Value::Array(n)) => {
            assert_eq!(o.len(), n.len(), "{at}: {} items then, {} now", o.len(), n.len());
            for (i, (a, b)) in o.iter().zip(n).enumerate() {
                assert_contains(a, b, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(old, new, "{at} differs"),
    }
}

#[test]
fn a_first_schema_workspace_is_migrated_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("旧工作区.sqlite");
    std::fs::copy(fixture("schema1-demo.sqlite"), &path).unwrap();
    assert_eq!(header_version(&path), 1, "the fixture is of the first schema");

    let app = App::open_with_clock(&path, crate::test_clock()).unwrap();
    drop(app);
    assert_eq!(header_version(&path), ziping_store::SUPPORTED_SCHEMA);
    // Opened again (already migrated): the same.
    let app = App::open_with_clock(&path, crate::test_clock()).unwrap();

    let list = serde_json::to_value(app.assessments().unwrap()).unwrap();
    let old_list = old_json("list.json");
    let ids: Vec<i64> = old_list.as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    for (old, new) in old_list.as_array().unwrap().iter().zip(list.as_array().unwrap()) {
        for key in ["id", "uid", "region", "year", "organ", "system_id", "system_version", "system_name", "status", "revision", "created_at", "updated_at", "frozen_at", "progress"] {
            assert_eq!(old[key], new[key], "assessment {}: {key}", old["id"]);
        }
    }
    for id in ids {
        let mut summary = serde_json::to_value(app.summary(id).unwrap()).unwrap();
        // 缺佐证 is newer than the fixture: the old program had no evidence, so it listed none.
        // Every other completeness item must be as it was.
        let missing = summary["missing"].as_array_mut().unwrap();
        let before = missing.len();
        missing.retain(|m| m["kind"] != "evidence_missing");
        assert!(before - missing.len() <= app.assessment_system(id).unwrap().leaves().len());
        assert_contains(&old_json(&format!("summary-{id}.json")), &summary, &format!("summary {id}"));
        let history = serde_json::to_value(app.history(id, None).unwrap()).unwrap();
        assert_contains(&old_json(&format!("history-{id}.json")), &history, &format!("history {id}"));
    }
    // What the old program wrote is there, field by field.
    let entries = app.entries(2).unwrap();
    assert_eq!(entries["1"].note, "旧版本写入的说明（第一版数据库）");
    assert_eq!(entries["3"].deductions[0].reason, "旧版本写入的扣分");
    assert_eq!(app.assessment(2).unwrap().revision, 2);
    // And the migrated workspace takes new edits.
    drop(app);
    let mut app = App::open_with_clock(&path, crate::test_clock()).unwrap();
    let changed = app
        .edit_point(&ziping_app::PointEdit {
            assessment: 2,
            point: "4".into(),
            rating: None,
            scored: None,
            deductions: None,
            note: Some("升级后写入".into()),
            problems: None,
            measures: None,
        })
        .unwrap();
    assert_eq!(changed.len(), 1);
}

#[test]
fn a_newer_schema_workspace_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("新版本.sqlite");
    std::fs::copy(fixture("schema1-demo.sqlite"), &path).unwrap();
    drop(App::open_with_clock(&path, crate::test_clock()).unwrap());
    let mut bytes = std::fs::read(&path).unwrap();
    let newer = ziping_store::SUPPORTED_SCHEMA + 1;
    bytes[60..64].copy_from_slice(&newer.to_be_bytes());
    std::fs::write(&path, &bytes).unwrap();

    let e = App::open_with_clock(&path, crate::test_clock()).err().expect("refused");
    assert_eq!(e.code, ErrorCode::Workspace);
    assert!(
        e.message.contains(&format!("数据库版本{newer}，本程序支持到{}", ziping_store::SUPPORTED_SCHEMA)),
        "{}",
        e.message
    );
    assert!(e.message.contains("请升级程序后再打开"), "{}", e.message);
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the refused file is byte-for-byte unchanged");
}
