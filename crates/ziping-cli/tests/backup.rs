//! `ziping backup` and `ziping restore` end to end: real processes, real workspace files.

use std::path::Path;
use std::process::{Command, Output};

fn ziping(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ziping")).arg("--db").arg(db).args(args).output().expect("run ziping")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = ziping(db, args);
    assert!(out.status.success(), "ziping {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn note(db: &Path) -> String {
    let out = ok(db, &["history", "--assessment", "2", "--point", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array().unwrap().first().map(|h| h["change"].as_str().unwrap().to_string()).unwrap_or_default()
}

#[test]
fn backup_list_restore_and_a_refused_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("示例县.sqlite");
    ok(&db, &["demo"]);
    ok(&db, &["set", "--assessment", "2", "--point", "1", "--note", "备份时的说明"]);

    // Into the backups folder, and to a chosen file.
    let out = ok(&db, &["backup"]);
    assert!(out.starts_with("已备份到“") && out.contains("示例县.sqlite.backups"), "{out}");
    let file = dir.path().join("备份 一.sqlite");
    let out = ok(&db, &["backup", "--to", file.to_str().unwrap(), "--json"]);
    let info: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(info["file_name"], "备份 一.sqlite");
    assert!(info["size"].as_u64().unwrap() > 0);

    let list: serde_json::Value = serde_json::from_str(&ok(&db, &["backup", "--list", "--json"])).unwrap();
    let reasons: Vec<&str> = list.as_array().unwrap().iter().map(|b| b["reason"].as_str().unwrap()).collect();
    // The daily backup was made when the workspace (with assessments) was first opened today.
    assert_eq!(reasons, ["manual", "open"], "{list}");
    let text = ok(&db, &["backup", "--list"]);
    assert!(text.contains("手动备份") && text.contains("每日自动备份"), "{text}");

    ok(&db, &["set", "--assessment", "2", "--point", "1", "--note", "备份后的说明"]);
    assert!(note(&db).contains("备份后的说明"));
    let out = ok(&db, &["restore", file.to_str().unwrap()]);
    assert!(out.contains("已从“备份 一.sqlite”恢复工作区") && out.contains("-restore.sqlite"), "{out}");
    assert!(note(&db).contains("→ 备份时的说明"), "{}", note(&db));

    // A file that is not a workspace: refused, exit 1, nothing changed.
    let bogus = dir.path().join("bogus.sqlite");
    std::fs::write(&bogus, "not a database").unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = ziping(&db, &["restore", bogus.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("错误：未恢复：") && err.contains("当前工作区未做任何修改。"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(note(&db).contains("→ 备份时的说明"));
}
