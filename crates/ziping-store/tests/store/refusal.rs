//! Files that must be refused, and must stay byte-for-byte unchanged.

use std::path::Path;

use rusqlite::Connection;
use ziping_store::{Change, StoreError, Workspace, SUPPORTED_SCHEMA};

use crate::{at, file_hash, sample_system, temp_path, workspace_with_assessment};

/// Opens `path`, expects a refusal, and checks that the file's bytes (and its absence of
/// side files' effect on the main file) are unchanged.
fn refuse(path: &Path) -> StoreError {
    let before = file_hash(path);
    let len = std::fs::metadata(path).unwrap().len();
    let err = Workspace::open(path).expect_err("must be refused");
    assert_eq!(file_hash(path), before, "refused file was modified: {err}");
    assert_eq!(std::fs::metadata(path).unwrap().len(), len);
    // A second attempt refuses the same way and still changes nothing.
    let again = Workspace::open(path).expect_err("must be refused again");
    assert_eq!(again.code(), err.code());
    assert_eq!(file_hash(path), before);
    let msg = err.to_string();
    assert!(
        msg.contains(&path.display().to_string()),
        "message names the file: {msg}"
    );
    assert!(msg.starts_with("无法打开工作区“"), "{msg}");
    err
}

/// A healthy workspace file with some data, checkpointed (no WAL) and closed.
fn healthy_workspace() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, mut ws, row) = workspace_with_assessment();
    let long = "整改措施".repeat(400);
    for i in 0..40 {
        ws.apply(
            row.id,
            &[Change::Measures {
                point: format!("p{i}"),
                text: format!("{long}{i}"),
            }],
            &at(1),
        )
        .unwrap();
    }
    let path = dir.path().join("ws.zpws");
    drop(ws);
    assert!(
        !dir.path().join("ws.zpws-wal").exists(),
        "closing checkpoints the WAL"
    );
    (dir, path)
}

#[test]
fn random_bytes_are_not_a_workspace() {
    let (_dir, path) = temp_path("random.zpws");
    // Deterministic pseudo-random bytes (xorshift), 64 KiB.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..65536)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(&path, bytes).unwrap();
    let err = refuse(&path);
    assert!(matches!(err, StoreError::NotAWorkspace { .. }), "{err:?}");
    assert!(err.to_string().contains("不是 SQLite 数据库"), "{err}");
}

#[test]
fn a_text_file_is_not_a_workspace() {
    let (_dir, path) = temp_path("notes.txt");
    std::fs::write(&path, "自评说明：这不是数据库。\n").unwrap();
    let err = refuse(&path);
    assert!(matches!(err, StoreError::NotAWorkspace { .. }), "{err:?}");
}

#[test]
fn truncated_workspace_is_corrupt() {
    let (_dir, path) = healthy_workspace();
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.len() > 8 * 4096,
        "test needs a multi-page file, got {}",
        bytes.len()
    );
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = refuse(&path);
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("已损坏"), "{err}");
}

#[test]
fn header_only_fragment_is_corrupt() {
    let (_dir, path) = healthy_workspace();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..50]).unwrap();
    let err = refuse(&path);
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
}

#[test]
fn damaged_pages_are_corrupt() {
    let (_dir, path) = healthy_workspace();
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    // Overwrite every page after the first three (b-tree pages of our tables) with garbage.
    for (i, b) in bytes.iter_mut().enumerate().skip(3 * page) {
        *b = (i * 7 % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = refuse(&path);
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
}

#[test]
fn foreign_sqlite_file_with_other_application_id() {
    let (_dir, path) = temp_path("other.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 1234; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
        )
        .unwrap();
    }
    let err = refuse(&path);
    assert!(matches!(err, StoreError::NotAWorkspace { .. }), "{err:?}");
    assert!(err.to_string().contains("其他程序"), "{err}");
}

#[test]
fn foreign_sqlite_file_without_application_id() {
    let (_dir, path) = temp_path("other.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE assessments (x); CREATE TABLE notes (y); PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let err = refuse(&path);
    assert!(matches!(err, StoreError::NotAWorkspace { .. }), "{err:?}");
}

#[test]
fn foreign_wal_mode_sqlite_file_is_refused_unchanged() {
    let (_dir, path) = temp_path("other-wal.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
        )
        .unwrap();
    }
    let err = refuse(&path);
    assert!(matches!(err, StoreError::NotAWorkspace { .. }), "{err:?}");
}

#[test]
fn newer_schema_is_refused_with_a_clear_message() {
    let (_dir, path) = healthy_workspace();
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SUPPORTED_SCHEMA + 2)
            .unwrap();
    }
    let err = refuse(&path);
    match &err {
        StoreError::NewerSchema {
            found, supported, ..
        } => {
            assert_eq!(
                (*found, *supported),
                (SUPPORTED_SCHEMA + 2, SUPPORTED_SCHEMA)
            );
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "无法打开工作区“{}”：该文件由较新版本的履职自评创建（数据库版本{}，本程序支持到{}），请升级程序后再打开。",
            path.display(),
            SUPPORTED_SCHEMA + 2,
            SUPPORTED_SCHEMA
        )
    );
}

#[test]
fn a_directory_is_refused() {
    let (dir, _path) = temp_path("unused");
    let err = Workspace::open(dir.path()).expect_err("a directory is not a workspace");
    assert!(matches!(err, StoreError::NotAWorkspace { .. }), "{err:?}");
}

#[test]
fn a_missing_parent_directory_is_an_io_error() {
    let (dir, _path) = temp_path("unused");
    let path = dir.path().join("no-such-dir").join("ws.zpws");
    let err = Workspace::open(&path).expect_err("cannot create");
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("no-such-dir"), "{err}");
}

#[test]
fn an_empty_file_becomes_a_workspace() {
    let (_dir, path) = temp_path("empty.zpws");
    std::fs::write(&path, b"").unwrap();
    let mut ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.schema_version(), SUPPORTED_SCHEMA);
    ws.put_system_snapshot(&sample_system("1")).unwrap();
}

#[test]
fn a_healthy_workspace_reopens() {
    let (_dir, path) = healthy_workspace();
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.assessments().unwrap().len(), 1);
}

/// A workspace written before `application_id` was stamped: our tables, a known version, id 0.
fn unstamped_workspace(version: i64) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp_path("legacy.zpws");
    let conn = Connection::open(&path).unwrap();
    // The tables of `version` (at least the first migration's), as that version wrote them.
    let all = ziping_store::migrations::MIGRATIONS;
    let n = usize::try_from(version.max(1)).unwrap().min(all.len());
    for m in &all[..n] {
        conn.execute_batch(m.sql).unwrap();
    }
    conn.pragma_update(None, "user_version", version).unwrap();
    drop(conn);
    (dir, path)
}

#[test]
fn an_unstamped_workspace_of_ours_opens_and_gets_stamped() {
    let (_dir, path) = unstamped_workspace(1);
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(
        ws.settings().unwrap().application_id,
        ziping_store::APPLICATION_ID
    );
}

#[test]
fn our_tables_without_a_schema_version_are_refused() {
    let (_dir, path) = unstamped_workspace(0);
    let err = refuse(&path);
    assert!(matches!(err, StoreError::NotAWorkspace { .. }), "{err:?}");
}
