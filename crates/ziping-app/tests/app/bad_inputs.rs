//! The corpus of bad inputs (`tests/fixtures/bad/`, manifest `expected.json`): every entry goes
//! through the real import path (statistics, indicator system or package) of a workspace holding
//! the demo, must be refused with its Chinese message, and must leave the workspace unchanged
//! (its file and WAL byte for byte, and what the app lists).

use std::path::{Path, PathBuf};

use serde_json::Value;
use ziping_app::systems::SystemImportRequest;
use ziping_app::{create_demo, App, PackageImportOptions};

fn bad_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bad")
}

/// Everything a refused import could have touched, as the app shows it.
fn state(app: &App) -> String {
    let mut out = serde_json::to_string(&app.assessments().unwrap()).unwrap();
    for a in app.assessments().unwrap() {
        out += &serde_json::to_string(&app.history(a.id, None).unwrap()).unwrap();
        out += &serde_json::to_string(&app.statistics_sources(a.id).unwrap()).unwrap();
    }
    out += &serde_json::to_string(&app.systems().unwrap()).unwrap();
    out += &app.verify_evidence().unwrap().checked.to_string();
    out
}

fn files(db: &Path) -> Vec<Option<Vec<u8>>> {
    ["", "-wal"].iter().map(|s| std::fs::read(format!("{}{s}", db.display())).ok()).collect()
}

/// Creates the input of an entry that is made at test time; returns its path.
fn make(entry: &Value, dir: &Path) -> PathBuf {
    let from = || bad_dir().join(entry["from"].as_str().unwrap());
    match entry["make"].as_str() {
        None => bad_dir().join(entry["file"].as_str().unwrap()),
        Some("sparse") => {
            let path = dir.join(entry["file"].as_str().unwrap());
            let f = std::fs::File::create(&path).unwrap();
            f.set_len(entry["size"].as_u64().unwrap()).unwrap();
            path
        }
        Some("copy") => {
            let path = dir.join(entry["file"].as_str().unwrap());
            std::fs::copy(from(), &path).unwrap();
            path
        }
        Some("non_utf8_name") => {
            use std::os::unix::ffi::OsStrExt;
            let ext = from().extension().unwrap().to_string_lossy().into_owned();
            // “数据” in GBK: not UTF-8.
            let mut name = b"\xca\xfd\xbe\xdd.".to_vec();
            name.extend_from_slice(ext.as_bytes());
            let path = dir.join(std::ffi::OsStr::from_bytes(&name));
            std::fs::copy(from(), &path).unwrap();
            path
        }
        Some(other) => panic!("unknown make {other}"),
    }
}

#[test]
fn every_bad_input_gets_its_message_and_changes_nothing() {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(bad_dir().join("expected.json")).unwrap()).unwrap();
    let entries = manifest["entries"].as_array().unwrap();
    assert!(entries.len() >= 20);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let mut app = App::open_with_clock(&db, crate::test_clock()).unwrap();
    let ids = create_demo(&mut app).unwrap();
    let target = *ids.last().unwrap();
    let before = state(&app);
    let before_files = files(&db);

    let mut failures = Vec::new();
    for entry in entries {
        let path = make(entry, dir.path());
        let kind = entry["import"].as_str().unwrap();
        let started = std::time::Instant::now();
        let result = match kind {
            "statistics" => app.import_statistics(target, &path).map(|_| ()),
            "system" => app
                .import_system(&path, &SystemImportRequest { options: Default::default(), dry_run: false, expected_sha256: None })
                .map(|_| ()),
            "package" => app.import_package(&path, &PackageImportOptions::default()).map(|_| ()),
            other => panic!("unknown import {other}"),
        };
        let took = started.elapsed();
        let expected = entry["message"].as_str().unwrap();
        let label = format!("{kind} {}", path.display());
        match result {
            Ok(()) => failures.push(format!("{label}: was accepted")),
            Err(e) if !e.message.contains(expected) => {
                failures.push(format!("{label}: message\n  {}\n  does not contain\n  {expected}", e.message))
            }
            Err(_) => {}
        }
        if entry["make"] == "sparse" {
            // Refused from its size or its end, not by reading 1 GB.
            assert!(took.as_millis() < 2000, "{label} took {took:?}");
        }
        if state(&app) != before || files(&db) != before_files {
            failures.push(format!("{label}: the workspace changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
