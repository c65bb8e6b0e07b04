//! The `ziping` binary end to end: real processes, real workspace files.

use std::path::Path;
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

/// Runs a failing command; returns (exit code, stderr).
fn fails(db: &Path, args: &[&str]) -> (i32, String) {
    let out = ziping(db, args);
    assert!(!out.status.success(), "ziping {args:?} should fail");
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn demo_then_summary_json_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("示例县.sqlite");
    ok(&db, &["demo"]);
    let list = json(&db, &["list", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    for a in list {
        let id = a["id"].as_i64().unwrap().to_string();
        let s = json(&db, &["summary", "--assessment", &id, "--json"]);
        // The demo is complete, evidence included.
        assert_eq!(s["missing"].as_array().unwrap().len(), 0, "{s}");
        let conclusion = s["conclusion"].as_str().unwrap();
        match s["model"].as_str().unwrap() {
            "rated" => {
                let levels = s["levels"].as_array().unwrap();
                let counted: u64 = levels.iter().map(|l| l["count"].as_u64().unwrap()).sum();
                assert_eq!(counted, s["applicable"].as_u64().unwrap());
                let shares: i64 = levels.iter().map(|l| l["share"].as_str().unwrap().replace('.', "").parse::<i64>().unwrap()).sum();
                assert_eq!(shares, 10000);
                let na = s["not_applicable"].as_u64().unwrap();
                assert!(conclusion.contains(&format!("有{na}个")), "{conclusion}");
            }
            "points" => {
                let total: f64 = 100.0;
                let deducted: f64 = s["deductions"].as_array().unwrap().iter().map(|d| d["amount"].as_f64().unwrap()).sum();
                let score = s["score"].as_f64().unwrap();
                assert!((total - deducted - score).abs() < 1e-9, "{total} - {deducted} != {score}");
                assert_eq!(s["grade"], "A");
                assert!(s["bonus"].as_f64().unwrap() > 0.0);
                assert!(conclusion.contains(&format!("自评得分{score}分")), "{conclusion}");
                for d in s["deductions"].as_array().unwrap() {
                    assert!(conclusion.contains(&format!("扣{}分", d["amount"])), "{conclusion}");
                }
            }
            other => panic!("unknown model {other}"),
        }
    }
    // The human-readable summary is Chinese and shows the conclusion.
    let text = ok(&db, &["summary", "--assessment", "1"]);
    assert!(text.contains("自评结论"), "{text}");
}

#[test]
fn new_set_history_revert_freeze() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let id = ok(&db, &["new", "--system", "sample-county-24", "--region", "示例县", "--year", "2024"]).trim().to_string();
    assert_eq!(id, "1");
    ok(&db, &["set", "--assessment", &id, "--point", "15", "--deduct", "1:2所学校超规模办学"]);
    ok(&db, &["set", "--assessment", &id, "--point", "24", "--deduct", "2.2：社会公众对教育工作满意度为79.62分，未达标"]);
    ok(&db, &["set", "--assessment", &id, "--bonus", "B2", "--bonus-note", "通过国家认定"]);
    let s = json(&db, &["summary", "--assessment", &id, "--json"]);
    assert_eq!(s["deductions"].as_array().unwrap().len(), 2);
    assert_eq!(s["bonus"], serde_json::json!(1));
    assert_eq!(s["grade"], serde_json::Value::Null, "22 points still unscored");

    let hist = json(&db, &["history", "--assessment", &id, "--point", "15", "--json"]);
    let first = hist.as_array().unwrap().iter().find(|h| h["field"] == "deductions").unwrap()["id"].as_i64().unwrap();
    ok(&db, &["revert", "--assessment", &id, "--change", &first.to_string()]);
    let s = json(&db, &["summary", "--assessment", &id, "--json"]);
    assert_eq!(s["deductions"].as_array().unwrap().len(), 1);

    ok(&db, &["freeze", "--assessment", &id]);
    let (code, err) = fails(&db, &["set", "--assessment", &id, "--point", "1", "--scored"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("错误：") && err.contains("定稿"), "{err}");
    ok(&db, &["revise", "--assessment", &id]);
    ok(&db, &["set", "--assessment", &id, "--point", "1", "--scored"]);
}

#[test]
fn errors_are_chinese_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    ok(&db, &["new", "--system", "national-provincial-2017", "--region", "示例县", "--year", "2024"]);
    let before = std::fs::read(&db).unwrap();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["set", "--assessment", "1", "--point", "1", "--rating", "优秀"], 1, "不是有效的评定等级"),
        (&["set", "--assessment", "1", "--point", "1", "--deduct", "1:原因"], 1, "按等级评定"),
        (&["set", "--assessment", "9", "--point", "1", "--rating", "完全落实"], 1, "9"),
        (&["new", "--system", "nope", "--region", "示例县", "--year", "2024"], 1, "没有编号为“nope”的指标体系"),
        (&["summary"], 2, "缺少必需的参数"),
        (&["frobnicate"], 2, "不认识的命令"),
        (&["set", "--assessment", "1", "--point", "1", "--deduct", "abc"], 1, "格式应为“分值:原因”"),
        (&["delete", "--assessment", "1"], 1, "--yes"),
    ];
    for (args, code, needle) in cases {
        let (c, err) = fails(&db, args);
        assert_eq!(c, *code, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(err.starts_with("错误："), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "a refused command must not change the workspace");
}

#[test]
fn a_foreign_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.sqlite");
    std::fs::write(&db, "这不是数据库".repeat(200)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let (code, err) = fails(&db, &["list"]);
    assert_eq!(code, 1);
    assert!(err.contains("notes.sqlite"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn systems_lists_the_bundled_four_with_the_sample_marked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let v = json(&db, &["systems", "--json"]);
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    for want in ["national-provincial-2017", "sample-county-24", "county-quality-balance-2017", "county-preschool-2020"] {
        assert!(ids.contains(&want), "{ids:?}");
    }
    let sample = v.as_array().unwrap().iter().find(|s| s["id"] == "sample-county-24").unwrap();
    assert!(sample["display_name"].as_str().unwrap().starts_with("示例"));
    assert_eq!(sample["official"], false);
    let text = ok(&db, &["systems"]);
    assert!(text.contains("示例"), "{text}");
}

#[test]
fn evidence_add_link_verify_export_import_prefer() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite");
    let b = dir.path().join("b.sqlite");
    let id = ok(&a, &["new", "--system", "sample-county-24", "--region", "示例县", "--year", "2024"]).trim().to_string();
    let doc = dir.path().join("通知.pdf");
    std::fs::write(&doc, b"%PDF notice").unwrap();
    let added = json(&a, &["evidence", "add", doc.to_str().unwrap(), "--kind", "文件", "--doc-no", "示政发[2024]12号", "--assessment", &id, "--point", "1", "--json"]);
    assert_eq!(added[0]["item"]["doc_no"], "示政发〔2024〕12号");
    assert_eq!(added[0]["item"]["links"][0]["point"], "1");
    let again = json(&a, &["evidence", "add", doc.to_str().unwrap(), "--json"]);
    assert_eq!(again[0]["already_stored"], true);
    let list = ok(&a, &["evidence", "list"]);
    assert!(list.contains("《通知》") && list.contains("第1测评点"), "{list}");
    assert!(ok(&a, &["evidence", "verify"]).contains("1份完好"));

    // Export, import into b, edit both sides, conflict needs --prefer.
    let p1 = dir.path().join("p1.zpk");
    ok(&a, &["export", "--assessment", &id, "--out", p1.to_str().unwrap()]);
    assert!(ok(&b, &["import", p1.to_str().unwrap()]).contains("新增自评1个"));
    ok(&a, &["set", "--assessment", &id, "--point", "2", "--note", "甲"]);
    ok(&b, &["set", "--assessment", "1", "--point", "2", "--note", "乙"]);
    let p2 = dir.path().join("p2.zpk");
    ok(&a, &["export", "--all", "--out", p2.to_str().unwrap()]);
    let (code, err) = fails(&b, &["import", p2.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("冲突") && err.contains("--prefer"), "{err}");
    assert!(ok(&b, &["import", p2.to_str().unwrap(), "--dry-run"]).contains("冲突1处"));
    ok(&b, &["import", p2.to_str().unwrap(), "--prefer", "theirs"]);
    let history = ok(&b, &["history", "--assessment", "1"]);
    assert!(history.contains("从“p2.zpk”合并"), "{history}");

    // A tampered file: verify exits 1 and names it.
    let checks = json(&b, &["evidence", "list", "--json"]);
    let sha = checks[0]["sha256"].as_str().unwrap().to_string();
    let blob = dir.path().join("b.sqlite.evidence").join(&sha[..2]).join(&sha[2..]);
    std::fs::remove_file(&blob).unwrap();
    let out = ziping(&b, &["evidence", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("《通知》"), "{out:?}");

    // A bad package is refused by name.
    let bad = dir.path().join("坏.zpk");
    std::fs::write(&bad, b"PK\x03\x04 not really").unwrap();
    let (_, err) = fails(&b, &["import", bad.to_str().unwrap()]);
    assert!(err.contains("坏.zpk") && err.contains("未做任何修改"), "{err}");
}

#[test]
fn template_import_data_metrics_suggest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let template = dir.path().join("模板.xlsx");
    assert!(ok(&db, &["template", template.to_str().unwrap()]).contains("已生成模板"));
    let id = ok(&db, &["new", "--system", "sample-county-24", "--region", "示例县", "--year", "2024"]);
    let id = id.trim();
    // Dry run: preview, nothing written.
    let out = ok(&db, &["import-data", "--assessment", id, "--dry-run", template.to_str().unwrap()]);
    assert!(out.contains("识别出7张表") && out.contains("G列 在校学生数（人） → 在校学生数（人）"), "{out}");
    assert!(json(&db, &["metrics", "--assessment", id, "--json"])["figures"].as_array().unwrap().is_empty());
    // With --json, stdout is the JSON alone (no closing sentence after it).
    let preview = json(&db, &["import-data", "--assessment", id, "--dry-run", "--json", template.to_str().unwrap()]);
    assert_eq!(preview["written"], false, "{preview}");
    // A broken workbook: every problem printed, exit 1, nothing written.
    let bad = dir.path().join("坏.xlsx");
    std::fs::write(&bad, b"PK not really").unwrap();
    let (code, err) = fails(&db, &["import-data", "--assessment", id, bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("不是可读取的Excel"), "{err}");
    // The demo workbook.
    let demo = dir.path().join("示例县统计数据.xlsx");
    std::fs::write(&demo, ziping_app::demo::DEMO_WORKBOOK).unwrap();
    let out = ok(&db, &["import-data", "--assessment", id, demo.to_str().unwrap()]);
    assert!(out.contains("已导入：学校基本情况表统计数据：（空） → “示例县统计数据.xlsx”（62行）"), "{out}");
    let m = json(&db, &["metrics", "--assessment", id, "--json"]);
    let cv = m["figures"].as_array().unwrap().iter().find(|f| f["id"] == "cv.R6.junior").unwrap();
    assert_eq!(cv["display"], "0.4800");
    assert_eq!(cv["pass"], false);
    assert!(cv["provenance"][0]["sheet"] == "学校基本情况表");
    let s = ok(&db, &["suggest", "--assessment", id]);
    assert!(s.contains("24 社会公众满意度：建议扣0.6分。"), "{s}");
    let s = json(&db, &["suggest", "--assessment", id, "--json"]);
    assert_eq!(s.as_array().unwrap().len(), 10);
}

#[test]
fn suggest_adopt_and_decline() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let id = ok(&db, &["new", "--system", "sample-county-24", "--region", "示例县", "--year", "2024"]);
    let id = id.trim();
    let demo = dir.path().join("示例县统计数据.xlsx");
    std::fs::write(&demo, ziping_app::demo::DEMO_WORKBOOK).unwrap();
    ok(&db, &["import-data", "--assessment", id, demo.to_str().unwrap()]);

    // Adopt: the deduction is written and recorded.
    let out = ok(&db, &["suggest", "adopt", "--assessment", id, "--point", "24"]);
    assert!(out.starts_with("24 社会公众满意度：已采纳。"), "{out}");
    assert!(out.contains("已记录：第24测评点建议处理：未处理 → 采纳"), "{out}");
    let summary = json(&db, &["summary", "--assessment", id, "--json"]);
    assert_eq!(summary["score"], 9.4, "{summary}");

    // Decline needs --reason (usage error), then is stored and listed.
    let (code, err) = fails(&db, &["suggest", "decline", "--assessment", id, "--point", "15"]);
    assert_eq!(code, 2);
    assert!(err.contains("--reason"), "{err}");
    let (code, err) = fails(&db, &["suggest", "decline", "--assessment", id, "--point", "15", "--reason", " "]);
    assert_eq!(code, 1);
    assert!(err.contains("须填写理由"), "{err}");
    let d = json(
        &db,
        &["suggest", "decline", "--assessment", id, "--point", "15", "--reason", "该校已分设校区。", "--json"],
    );
    assert_eq!(d["suggestion"]["status"]["status"], "declined");
    assert_eq!(d["suggestion"]["status"]["reason"], "该校已分设校区。");
    let s = ok(&db, &["suggest", "--assessment", id]);
    assert!(s.contains("［不采纳：该校已分设校区。］"), "{s}");
    assert!(s.contains("建议扣0.6分。［已采纳］"), "{s}");
    let h = ok(&db, &["history", "--assessment", id, "--point", "15"]);
    assert!(h.contains("不采纳（理由：该校已分设校区。）"), "{h}");

    // Several suggestions on one leaf: the key is asked for.
    let (code, err) = fails(&db, &["suggest", "adopt", "--assessment", id, "--point", "12"]);
    assert_eq!(code, 1);
    assert!(err.contains("有2条建议") && err.contains("preschool_public_share"), "{err}");
    ok(&db, &["suggest", "adopt", "--assessment", id, "--point", "12", "--key", "preschool_public_share"]);

    // Frozen: refused.
    ok(&db, &["freeze", "--assessment", id]);
    let (code, err) = fails(&db, &["suggest", "adopt", "--assessment", id, "--point", "16"]);
    assert_eq!(code, 1);
    assert!(err.contains("定稿"), "{err}");
}
