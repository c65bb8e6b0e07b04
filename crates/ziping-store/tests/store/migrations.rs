//! The schema: migrations register, execute, and are idempotent.

use rusqlite::Connection;
use ziping_store::migrations::MIGRATIONS;
use ziping_store::{migrate, Workspace, APPLICATION_ID, SUPPORTED_SCHEMA};

use crate::temp_path;

const TABLES: &[&str] = &[
    "system_snapshots",
    "assessments",
    "entries",
    "deductions",
    "bonus_claims",
    "history",
    "revisions",
];

fn schema_dump(conn: &Connection) -> Vec<(String, String, Option<String>)> {
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn fresh_workspace_has_all_tables_and_current_version() {
    let (_dir, path) = temp_path("fresh.zpws");
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.schema_version(), SUPPORTED_SCHEMA);
    assert_eq!(Workspace::SUPPORTED_SCHEMA, SUPPORTED_SCHEMA);
    assert_eq!(ws.path(), path.as_path());
    drop(ws);

    let conn = Connection::open(&path).unwrap();
    let names: Vec<String> = schema_dump(&conn)
        .into_iter()
        .filter(|(t, _, _)| t == "table")
        .map(|(_, n, _)| n)
        .collect();
    for t in TABLES {
        assert!(
            names.iter().any(|n| n == t),
            "missing table {t}; have {names:?}"
        );
    }
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SUPPORTED_SCHEMA);
    assert_eq!(app_id, APPLICATION_ID);
}

#[test]
fn connection_settings_are_durable() {
    let (_dir, path) = temp_path("settings.zpws");
    let ws = Workspace::open(&path).unwrap();
    let s = ws.settings().unwrap();
    assert_eq!(s.journal_mode, "wal");
    assert_eq!(s.synchronous, 2, "synchronous must be FULL");
    assert!(s.foreign_keys);
    assert!(s.busy_timeout >= 1000);
    assert_eq!(s.application_id, APPLICATION_ID);
    assert_eq!(s.user_version, SUPPORTED_SCHEMA);
}

#[test]
fn opening_twice_changes_nothing() {
    let (_dir, path) = temp_path("twice.zpws");
    drop(Workspace::open(&path).unwrap());
    let before = schema_dump(&Connection::open(&path).unwrap());
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.schema_version(), SUPPORTED_SCHEMA);
    drop(ws);
    let after = schema_dump(&Connection::open(&path).unwrap());
    assert_eq!(before, after);
}

#[test]
fn migrate_is_idempotent_on_a_raw_connection() {
    let mut conn = Connection::open_in_memory().unwrap();
    assert_eq!(migrate(&mut conn).unwrap(), SUPPORTED_SCHEMA);
    let once = schema_dump(&conn);
    assert_eq!(migrate(&mut conn).unwrap(), SUPPORTED_SCHEMA);
    assert_eq!(schema_dump(&conn), once);
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SUPPORTED_SCHEMA);
}

#[test]
fn each_migration_executes_in_a_transaction() {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    for (i, m) in MIGRATIONS.iter().enumerate() {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(m.sql)
            .unwrap_or_else(|e| panic!("{} fails: {e}", m.name));
        tx.pragma_update(None, "user_version", i as i64 + 1)
            .unwrap();
        tx.commit().unwrap();
        // A migration that leaves foreign-key violations behind is wrong.
        let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
        assert!(
            stmt.query([]).unwrap().next().unwrap().is_none(),
            "{} leaves FK violations",
            m.name
        );
    }
    // Rolling back a migration leaves nothing behind: the runner's one transaction is enough.
    let mut fresh = Connection::open_in_memory().unwrap();
    let tx = fresh.transaction().unwrap();
    for m in MIGRATIONS {
        tx.execute_batch(m.sql).unwrap();
    }
    tx.rollback().unwrap();
    assert!(schema_dump(&fresh).is_empty());
}

#[test]
fn migration_files_follow_the_rules() {
    for m in MIGRATIONS {
        let upper = m.sql.to_uppercase();
        for banned in ["BEGIN;", "BEGIN TRANSACTION", "COMMIT", "PRAGMA "] {
            let code: String = upper
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n");
            assert!(
                !code.contains(banned),
                "{} must not contain {banned}: the runner owns transactions and PRAGMAs",
                m.name
            );
        }
    }
}

#[test]
fn files_on_disk_are_all_registered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    files.sort();
    let registered: Vec<&str> = MIGRATIONS.iter().map(|m| m.name).collect();
    assert_eq!(
        files, registered,
        "every migrations/*.sql must be listed in MIGRATIONS, in order"
    );
    for (i, name) in registered.iter().enumerate() {
        assert!(
            name.starts_with(&format!("{:04}_", i + 1)),
            "{name} should be numbered {:04}",
            i + 1
        );
        let on_disk = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(on_disk, MIGRATIONS[i].sql);
    }
    assert_eq!(SUPPORTED_SCHEMA as usize, MIGRATIONS.len());
}
