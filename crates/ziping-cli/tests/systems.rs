//! `ziping systems …` end to end: real processes, real workspace files, the committed .xlsx
//! fixtures of crates/ziping-import/tests/fixtures/system/.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ziping(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ziping")).arg("--db").arg(db).args(args).output().expect("run ziping")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = ziping(db, args);
    assert!(
        out.status.success(),
        "ziping {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(db, args)).expect("valid JSON")
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../ziping-import/tests/fixtures/system")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn listing_without_a_workspace_shows_the_bundled_systems_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("没有.sqlite");
    let list = json(&db, &["systems", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 4);
    assert!(list.as_array().unwrap().iter().all(|s| s["bundled"] == true));
    assert!(!db.exists());
    let text = ok(&db, &["systems"]);
    assert!(text.contains("national-provincial-2017") && text.contains("内置"), "{text}");
}

#[test]
fn a_province_table_is_imported_assessed_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let scored = fixture("scored.xlsx");
    // Preview: nothing written.
    let dry = json(&db, &["systems", "import", &scored, "--dry-run", "--json"]);
    assert_eq!(dry["written"], false);
    assert_eq!(dry["preview"]["model"], "points");
    assert_eq!(dry["errors"], 0);
    let text = ok(&db, &["systems", "import", &scored, "--dry-run"]);
    assert!(text.contains("识别的评分方式：分值评分") && text.contains("第4行C列"), "{text}");
    // Confirm with the user's cut-offs and cap.
    let out = json(
        &db,
        &[
            "systems", "import", &scored, "--id", "test-province", "--grades", "优秀≥85；良好≥70；合格≥60；不合格≥0",
            "--bonus-cap", "2", "--issuer", "测试省教育督导委员会办公室", "--json",
        ],
    );
    assert_eq!(out["written"], true, "{out}");
    assert_eq!(out["saved"]["version"], "2025");
    assert_eq!(out["system"]["scoring"]["bonus"]["cap"], 2);
    let list = json(&db, &["systems", "--json"]);
    let imported = list.as_array().unwrap().iter().find(|s| s["id"] == "test-province").expect("listed");
    assert_eq!(imported["source_file"], "scored.xlsx");
    assert_eq!(imported["leaves"], 6);

    let id = ok(&db, &["new", "--system", "test-province", "--region", "测试县", "--year", "2025"]).trim().to_string();
    ok(&db, &["set", "--assessment", &id, "--point", "3", "--deduct", "4:测试扣分"]);
    ok(&db, &["set", "--assessment", &id, "--bonus", "B1", "--bonus-note", "测试加分理由"]);
    let s = json(&db, &["summary", "--assessment", &id, "--json"]);
    assert_eq!(s["score"], 16, "{s}");
    assert_eq!(s["bonus"], 2);
    assert!(s["conclusion"].as_str().unwrap().contains("测试省2025年度"), "{s}");

    // Export and import again: identical, nothing new.
    let xlsx = dir.path().join("导出.xlsx");
    ok(&db, &["systems", "export", "test-province", &xlsx.display().to_string()]);
    let again = json(&db, &["systems", "import", &xlsx.display().to_string(), "--json"]);
    assert_eq!(again["already_present"], true, "{again}");
    let template = dir.path().join("模板.xlsx");
    ok(&db, &["systems", "template", &template.display().to_string()]);
    assert!(std::fs::metadata(&template).unwrap().len() > 1000);
}

#[test]
fn a_table_with_problems_is_refused_with_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let out = ziping(&db, &["systems", "import", &fixture("problems.xlsx")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    for needle in ["第3行", "第4行", "第5行", "第6行", "第8行", "第9行", "工作区未做任何修改"] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
    let list = json(&db, &["systems", "--json"]);
    assert!(list.as_array().unwrap().iter().all(|s| s["bundled"] == true));
    // --json still gives the structured problems on stdout.
    let out = ziping(&db, &["systems", "import", &fixture("problems.xlsx"), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["errors"].as_u64().unwrap() >= 6);
    assert!(v["problems"].as_array().unwrap().iter().all(|p| p["file"] == "problems.xlsx"));
}

#[test]
fn the_92_points_attached_to_the_national_system_are_assessed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let old = ok(&db, &["new", "--system", "national-provincial-2017", "--region", "测试省", "--year", "2018"]).trim().to_string();
    let out = json(&db, &["systems", "attach", "--base", "national-provincial-2017", &fixture("points-92.xlsx"), "--json"]);
    assert_eq!(out["written"], true, "{out}");
    assert_eq!(out["saved"]["version"], "2017.1");
    assert_eq!(out["saved"]["leaves"], 92);
    let new = ok(&db, &["new", "--system", "national-provincial-2017", "--region", "测试省", "--year", "2018"]).trim().to_string();
    let info = json(&db, &["list", "--json"]);
    let by_id = |id: &str| info.as_array().unwrap().iter().find(|a| a["id"] == id.parse::<i64>().unwrap()).unwrap().clone();
    assert_eq!(by_id(&old)["system_version"], "2017");
    assert_eq!(by_id(&new)["system_version"], "2017.1");
    assert_eq!(by_id(&new)["progress"]["total"], 92);
    ok(&db, &["set", "--assessment", &new, "--point", "3.2", "--rating", "完全落实"]);
    ok(&db, &["set", "--assessment", &new, "--point", "38.2", "--rating", "不适用"]);
    let s = json(&db, &["summary", "--assessment", &new, "--json"]);
    assert_eq!(s["total"], 92, "{s}");
    assert_eq!(s["not_applicable"], 1);
    // Rating a 测评内容 of the new version is refused: it is a group now.
    let refused = ziping(&db, &["set", "--assessment", &new, "--point", "3", "--rating", "完全落实"]);
    assert!(!refused.status.success());
    // The mapping between the versions, and the listing of the new version.
    let m = json(&db, &["systems", "map", "--from", "national-provincial-2017@2017", "--to", "national-provincial-2017@2017.1", "--json"]);
    assert_eq!(m["unmatched_to"].as_array().unwrap().len(), 92);
    let shown = ok(&db, &["systems", "show", "national-provincial-2017", "--system-version", "2017.1"]);
    assert!(shown.contains("17.2 测试测评点17.2（虚构）"), "{shown}");
}

#[test]
fn a_word_table_is_imported_like_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let docx = fixture("scored.docx");
    let text = ok(&db, &["systems", "import", &docx, "--dry-run"]);
    assert!(text.contains("识别的评分方式：分值评分") && text.contains("第4行第3列"), "{text}");
    let out = json(&db, &["systems", "import", &docx, "--id", "test-word", "--json"]);
    assert_eq!(out["written"], true, "{out}");
    let list = json(&db, &["systems", "--json"]);
    let imported = list.as_array().unwrap().iter().find(|s| s["id"] == "test-word").expect("listed");
    assert_eq!((imported["source_file"].as_str(), imported["leaves"].as_i64()), (Some("scored.docx"), Some(6)));
    // The workbook it was converted from gives the same tree and scoring (a new version: the
    // source file differs).
    let again = json(&db, &["systems", "import", &fixture("scored.xlsx"), "--id", "test-word", "--json"]);
    assert_eq!(again["saved"]["version"], "2025.1", "{again}");
    assert_eq!(again["system"]["children"], out["system"]["children"]);
    assert_eq!(again["system"]["scoring"], out["system"]["scoring"]);
}
