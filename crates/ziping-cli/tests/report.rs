//! `ziping export --pdf/--docx/--xlsx` end to end: real processes, the demo workspace, and the
//! Chinese errors of the combined `export` subcommand (package vs report).

use std::path::Path;
use std::process::{Command, Output};

fn ziping(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ziping")).arg("--db").arg(db).args(args).output().expect("run ziping")
}

#[test]
fn export_report_of_both_demo_assessments() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("示例县.sqlite");
    assert!(ziping(&db, &["demo"]).status.success());
    for id in ["1", "2"] {
        let pdf = dir.path().join(format!("报告{id}.pdf"));
        let docx = dir.path().join(format!("报告{id}.docx"));
        let xlsx = dir.path().join(format!("自评表{id}.xlsx"));
        let out = ziping(
            &db,
            &[
                "export",
                "--assessment",
                id,
                "--pdf",
                pdf.to_str().unwrap(),
                "--docx",
                docx.to_str().unwrap(),
                "--xlsx",
                xlsx.to_str().unwrap(),
            ],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("已导出自查报告（PDF）") && stdout.contains("页"), "{stdout}");
        assert!(stdout.contains("已导出自查报告（Word）") && stdout.contains("已导出自评表（Excel）"), "{stdout}");
        for f in [&pdf, &docx, &xlsx] {
            assert!(std::fs::metadata(f).unwrap().len() > 1000, "{} is empty", f.display());
        }
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    }
    // --json gives the paths, sizes and page count.
    let pdf = dir.path().join("j.pdf");
    let out = ziping(&db, &["export", "--assessment", "1", "--pdf", pdf.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"][0]["format"], "pdf");
    assert!(v["files"][0]["pages"].as_u64().unwrap() > 10);
}

#[test]
fn export_errors_are_chinese_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    assert!(ziping(&db, &["demo"]).status.success());
    let pdf = dir.path().join("x.pdf");
    let p = pdf.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["export", "--assessment", "1", "--pdf", p, "--out", "x.zpk"], "不能与 --pdf/--docx/--xlsx"),
        (&["export", "--pdf", p], "导出报告需要用 --assessment"),
        (&["export", "--assessment", "1"], "请指定导出内容"),
        (&["export", "--assessment", "9", "--pdf", p], "编号9"),
    ];
    for (args, want) in cases {
        let out = ziping(&db, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    assert!(!pdf.exists());
    // The package export still works as before.
    let zpk = dir.path().join("a.zpk");
    assert!(ziping(&db, &["export", "--assessment", "1", "--out", zpk.to_str().unwrap()]).status.success());
    assert!(zpk.exists());
}

#[test]
fn export_date_flag_sets_the_signature_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    assert!(ziping(&db, &["demo"]).status.success());
    let pdf = dir.path().join("dated.pdf");
    let out = ziping(&db, &["export", "--assessment", "1", "--pdf", pdf.to_str().unwrap(), "--date", "2025-01-05"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text: String = String::from_utf8_lossy(&text.stdout).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("2025年1月5日"), "落款 date missing");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("Jan  5 00:00:00 2025"));
    // Not a date: refused, nothing written.
    let bad = dir.path().join("bad.pdf");
    let out = ziping(&db, &["export", "--assessment", "1", "--pdf", bad.to_str().unwrap(), "--date", "2025-02-30"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("成文日期“2025-02-30”不是有效日期"), "{err}");
    assert!(!bad.exists());
}
