//! `ziping copy`: next year's assessment from last year's, on the same or on another version of
//! the system (here the national system with the 92 测评点 attached, whose leaves are all new).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ziping(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ziping")).arg("--db").arg(db).args(args).output().expect("run ziping")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = ziping(db, args);
    assert!(out.status.success(), "ziping {args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn copy_to_next_year_on_the_same_and_on_another_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    ok(&db, &["demo"]);
    let points = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ziping-import/tests/fixtures/system/points-92.xlsx");
    ok(&db, &["systems", "attach", "--base", "national-provincial-2017", points.to_str().unwrap()]);

    // The same version: every leaf pairs with itself and the narratives come along.
    let same: serde_json::Value =
        serde_json::from_str(&ok(&db, &["copy", "--from", "1", "--year", "2025", "--system-version", "2017", "--json"])).unwrap();
    assert_eq!(same["assessment"]["year"], 2025);
    assert_eq!(same["assessment"]["system_version"], "2017");
    assert_eq!(same["mapping"]["pairs"].as_array().unwrap().len(), 38);
    assert!(same["mapping"]["unmatched_from"].as_array().unwrap().is_empty());
    assert!(same["carried"].as_u64().unwrap() > 10, "{}", same["carried"]);

    // The version with the 92 测评点: the 38 测评内容 are groups now, so nothing maps, and the
    // output says which leaves were dropped and which are new.
    let text = ok(&db, &["copy", "--from", "1", "--year", "2026", "--system-version", "2017.1"]);
    assert!(text.contains("年度") && text.contains("版本2017.1"), "{text}");
    assert!(text.contains("原版本中没有对应、未沿用的测评点（38项）"), "{text}");
    assert!(text.contains("新版本中新增、需重新填写的测评点（92项）"), "{text}");

    // An unknown version: a Chinese error, nothing created.
    let before = ok(&db, &["list", "--json"]);
    let out = ziping(&db, &["copy", "--from", "1", "--year", "2027", "--system-version", "1999"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("1999"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(ok(&db, &["list", "--json"]), before);
}
