//! Report export of both demo assessments, checked with the real tools: `pdffonts` (every font
//! embedded, subset, with a Unicode map), `pdftotext` (conclusion and every leaf title present;
//! no line starts with punctuation that may not begin a line), `pdfinfo` (A4, page count,
//! metadata), a snapshot of the layout tree, the DOCX parts and the XLSX formulas.
//!
//! These tests need poppler-utils; they fail (not skip) with a hint when it is missing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook, Reader, Xlsx};
use ziping_app::report::{ExportRequest, ReportOptions};
use ziping_report::linebreak::no_start;

use crate::fixture;

fn tool(name: &str, args: &[&str], file: &Path) -> String {
    // pdftotext writes to FILE.txt unless told "-" (stdout).
    let stdout: &[&str] = if name == "pdftotext" { &["-"] } else { &[] };
    let out = Command::new(name).args(args).arg(file).args(stdout).output().unwrap_or_else(|e| {
        panic!("cannot run `{name}` ({e}): install poppler-utils with scripts/setup.sh")
    });
    assert!(out.status.success(), "{name} failed on {}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

struct Exported {
    _dir: tempfile::TempDir,
    pdf: PathBuf,
    docx: PathBuf,
    xlsx: PathBuf,
    pages: usize,
}

fn export(app: &ziping_app::App, id: i64) -> Exported {
    let dir = tempfile::tempdir().unwrap();
    let req = ExportRequest {
        assessment: id,
        pdf: Some(dir.path().join("报告.pdf")),
        docx: Some(dir.path().join("报告.docx")),
        xlsx: Some(dir.path().join("自评表.xlsx")),
        ..Default::default()
    };
    let r = app.export_report(&req).unwrap();
    assert_eq!(r.files.len(), 3);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let pdf = &r.files[0];
    assert_eq!(pdf.format, "pdf");
    assert_eq!(pdf.bytes, std::fs::metadata(&pdf.path).unwrap().len());
    assert!(pdf.bytes < 1_500_000, "PDF of {} bytes is over 1.5 MB", pdf.bytes);
    Exported {
        pdf: req.pdf.clone().unwrap(),
        docx: req.docx.clone().unwrap(),
        xlsx: req.xlsx.clone().unwrap(),
        pages: pdf.pages.unwrap(),
        _dir: dir,
    }
}

fn check_pdf(app: &ziping_app::App, id: i64, e: &Exported) {
    // Fonts: every one embedded, subset, with a ToUnicode map.
    let fonts = tool("pdffonts", &[], &e.pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(rows.len() >= 4, "expected the report's faces, got:\n{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        // name type… encoding emb sub uni object-id gen
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "font not embedded+subset+unicode: {row}");
        assert!(cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+', "subset tag missing: {row}");
    }

    // Text: the conclusion paragraph and every leaf title. The text block only (cropped above the
    // page numbers, at 72 dpi one pixel is one pt), so a paragraph that runs over a page break
    // reads as one.
    let text = squeeze(&tool("pdftotext", &["-enc", "UTF-8", "-x", "0", "-y", "0", "-W", "596", "-H", "750"], &e.pdf));
    let summary = app.summary(id).unwrap();
    let at = text.find("经自查").map(|i| text[i..].chars().take(120).collect::<String>()).unwrap_or_default();
    assert!(text.contains(&squeeze(&summary.conclusion)), "conclusion missing: {}\nPDF: {at}", summary.conclusion);
    let system = app.assessment_system(id).unwrap();
    for leaf in system.leaves() {
        assert!(text.contains(&squeeze(&leaf.title)), "leaf title missing: {}", leaf.title);
    }

    // 禁则 as a reader sees it: no line of the layout text starts with forbidden punctuation.
    let layout = tool("pdftotext", &["-layout", "-enc", "UTF-8"], &e.pdf);
    for line in layout.lines() {
        if let Some(c) = line.trim_start().chars().next() {
            assert!(!no_start(c), "line starts with {c:?}: {line:?}");
        }
    }

    // Bookmarks for the headings and appendices.
    let bytes = std::fs::read(&e.pdf).unwrap();
    assert!(bytes.windows(9).any(|w| w == b"/Outlines"), "no document outline");

    // Geometry and metadata.
    let info = tool("pdfinfo", &[], &e.pdf);
    assert!(info.contains("Page size:       595.276 x 841.89 pts (A4)"), "{info}");
    assert!(info.contains(&format!("Pages:           {}", e.pages)), "{info}");
    assert!(info.contains("Title:           示例县人民政府关于2024年度履行教育职责情况的自查自评报告"), "{info}");
    assert!(info.contains("Author:          示例县人民政府教育督导室"), "{info}");
    assert!(info.contains("CreationDate:    Sun Dec  1 00:00:00 2024"), "{info}");
    // Every page has its number "— N —".
    let flat = squeeze(&layout);
    for n in 1..=e.pages {
        assert!(flat.contains(&format!("—{n}—")), "page number {n} missing");
    }
}

fn zip_text(path: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap_or_else(|_| panic!("{name} missing in {}", path.display())).read_to_string(&mut s).unwrap();
    s
}

fn check_docx(app: &ziping_app::App, id: i64, e: &Exported) {
    let styles = zip_text(&e.docx, "word/styles.xml");
    for id in ["Normal", "Title", "Heading1", "Heading2", "TableText", "ReportTable"] {
        assert!(styles.contains(&format!("w:styleId=\"{id}\"")), "style {id} missing");
    }
    assert!(styles.contains("w:firstLineChars=\"200\""), "正文 has no 2-character first-line indent");
    assert!(styles.contains("w:eastAsia=\"仿宋\""));
    let doc = zip_text(&e.docx, "word/document.xml");
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "not A4");
    assert!(doc.contains("w:top=\"2098\"") && doc.contains("w:left=\"1588\""), "GB/T 9704 margins");
    assert!(doc.contains("<w:tblHeader/>"), "table header row not repeated");
    for h in ["一、", "二、自评结论", "三、履职情况"] {
        assert!(doc.contains(h), "{h} missing");
    }
    assert!(doc.matches("<w:pStyle w:val=\"Heading1\"/>").count() >= 4);
    let text: String = {
        // Text of all runs, tags removed.
        let mut t = String::new();
        let mut in_tag = false;
        for c in doc.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => t.push(c),
                _ => {}
            }
        }
        t.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    };
    let summary = app.summary(id).unwrap();
    assert!(text.contains(summary.conclusion.trim()), "conclusion missing in the DOCX");
    for leaf in app.assessment_system(id).unwrap().leaves() {
        assert!(text.contains(leaf.title.trim()), "leaf {} missing in the DOCX", leaf.title);
    }
    let footer = zip_text(&e.docx, "word/footer1.xml");
    assert!(footer.contains(" PAGE ") && footer.contains("— "), "page number field");
    assert!(zip_text(&e.docx, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
}

fn check_xlsx(app: &ziping_app::App, id: i64, e: &Exported, points: bool) {
    let mut wb: Xlsx<_> = open_workbook(&e.xlsx).unwrap();
    assert_eq!(wb.sheet_names()[..2], ["自评打分表".to_string(), "佐证材料清单".to_string()]);
    let formulas = wb.worksheet_formula("自评打分表").unwrap();
    let all: Vec<String> = formulas.rows().flatten().filter(|f| !f.is_empty()).cloned().collect();
    if points {
        assert!(all.iter().any(|f| f.starts_with("SUM(C") || f.starts_with("SUM(E")), "no SUM total: {all:?}");
        assert!(all.iter().any(|f| f.starts_with("MAX(0,C")), "no per-row score formula");
        assert!(all.iter().any(|f| f.starts_with("IF(E")), "no grade formula");
    } else {
        assert!(all.iter().filter(|f| f.starts_with("COUNTIF(")).count() >= 3, "no COUNTIF per level: {all:?}");
        assert!(all.iter().any(|f| f.starts_with("SUM(C")), "no applicable total");
    }
    let range = wb.worksheet_range("自评打分表").unwrap();
    if !points {
        // The shares are rounded like the report's (largest remainder): the cached results equal
        // the summary's shares and add up to exactly 100.00 %.
        let ziping_core::summary::Summary::Rated(sum) = app.summary(id).unwrap().summary else { panic!("rated") };
        let mut total = 0;
        for level in &sum.levels {
            let row = range.rows().find(|r| r.get(1).is_some_and(|c| c.to_string() == level.label) && r.len() > 3).unwrap();
            let v = match &row[3] {
                calamine::Data::Float(f) => *f,
                other => panic!("share of {} is {other:?}", level.label),
            };
            let hundredths = (v * 10000.0).round() as i64;
            assert_eq!(format!("{}.{:02}", hundredths / 100, hundredths % 100), level.share, "share of {}", level.label);
            total += hundredths;
        }
        assert_eq!(total, 10000, "shares do not add up to 100.00 %");
        assert!(all.iter().any(|f| f.contains("SUMPRODUCT(--(MOD(")), "no largest-remainder formula: {all:?}");
    }
    let cells: Vec<String> = range.rows().flatten().map(|c| c.to_string()).collect();
    for leaf in app.assessment_system(id).unwrap().leaves() {
        assert!(cells.iter().any(|c| c == &leaf.title), "leaf {} missing in the XLSX", leaf.title);
    }
}

#[test]
fn both_demo_assessments_export_pdf_docx_xlsx() {
    let mut f = fixture();
    let ids = ziping_app::create_demo(&mut f.app).unwrap();
    for (i, id) in ids.iter().enumerate() {
        let e = export(&f.app, *id);
        check_pdf(&f.app, *id, &e);
        check_docx(&f.app, *id, &e);
        check_xlsx(&f.app, *id, &e, i == 1);
    }
}

/// The layout tree of the national demo report, compared with the committed snapshot
/// (`UPDATE_SNAPSHOTS=1 cargo test -p ziping-app report` rewrites it after a deliberate change).
#[test]
fn layout_snapshot_of_the_national_demo() {
    let mut f = fixture();
    let ids = ziping_app::create_demo(&mut f.app).unwrap();
    let data = f.app.report_data(ids[0]).unwrap();
    let report = ziping_report::build(&data, &ReportOptions::default());
    let fonts = ziping_report::FontSet::load(&Default::default()).unwrap();
    let layout = ziping_report::layout::layout(&report, &fonts);
    let snap = ziping_report::layout::snapshot(&layout);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/app/snapshots/report-national-layout.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || !path.exists() {
        std::fs::write(&path, &snap).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(snap == expected, "layout changed; review and rerun with UPDATE_SNAPSHOTS=1:\n{}", first_diff(&expected, &snap));
    // Invariants independent of the snapshot: every body page has at most 22 body lines; the
    // title is on page 1; headings are never the last line of a page.
    assert!(snap.lines().nth(1).unwrap().contains("标题"));
}

fn first_diff(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!("lengths differ: {} vs {} lines", a.lines().count(), b.lines().count())
}

#[test]
fn sections_options_and_errors() {
    let mut f = fixture();
    let ids = ziping_app::create_demo(&mut f.app).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // No format chosen.
    let err = f.app.export_report(&ExportRequest { assessment: ids[0], ..Default::default() }).unwrap_err();
    assert!(err.message.contains("至少选择一种导出格式"), "{}", err.message);
    // Unknown assessment.
    let err = f
        .app
        .export_report(&ExportRequest { assessment: 999, pdf: Some(dir.path().join("x.pdf")), ..Default::default() })
        .unwrap_err();
    assert_eq!(err.code, ziping_app::ErrorCode::NotFound);
    // A font file that is not a font.
    let bogus = dir.path().join("不是字体.ttf");
    std::fs::write(&bogus, b"not a font").unwrap();
    let mut req = ExportRequest { assessment: ids[0], pdf: Some(dir.path().join("y.pdf")), ..Default::default() };
    req.fonts.fang = Some(ziping_app::report::FontFile { path: bogus, index: 0 });
    let err = f.app.export_report(&req).unwrap_err();
    assert_eq!(err.code, ziping_app::ErrorCode::InvalidInput);
    assert!(err.message.contains("不是字体.ttf") && err.message.contains("无法解析"), "{}", err.message);
    assert!(!dir.path().join("y.pdf").exists(), "nothing written on error");
    // A custom title and no appendices; a preview of page 1.
    let mut options = ReportOptions { title: Some("示例县2024年度履职自评报告（征求意见稿）".into()), ..Default::default() };
    options.sections.appendix_scores = false;
    options.sections.appendix_evidence = false;
    options.sections.appendix_data = false;
    let preview = f.app.report_preview(ids[0], &options, &Default::default(), 1).unwrap();
    assert_eq!(preview.pages_shown, 1);
    assert!(preview.pages_total > 5);
    let one = dir.path().join("preview.pdf");
    std::fs::write(&one, &preview.pdf).unwrap();
    assert!(tool("pdfinfo", &[], &one).contains("Pages:           1\n"));
    let text = tool("pdftotext", &["-enc", "UTF-8"], &one);
    assert!(squeeze(&text).contains("示例县2024年度履职自评报告（征求意见稿）"), "{text}");
    let full = f
        .app
        .export_report(&ExportRequest { assessment: ids[0], pdf: Some(dir.path().join("z.pdf")), options, ..Default::default() })
        .unwrap();
    let text = tool("pdftotext", &["-enc", "UTF-8"], &dir.path().join("z.pdf"));
    assert!(!text.contains("附件1"), "appendices were switched off");
    assert_eq!(full.files[0].pages, Some(preview.pages_total));
}

/// Rare characters (生僻字) that the Fandol faces lack are drawn with the installed Noto CJK face
/// (fonts-noto-cjk, installed by scripts/setup.sh), embedded as a subset; a character no face has
/// is named in a warning instead of being left out silently.
#[test]
fn rare_characters_fall_back_to_noto_cjk_and_missing_ones_are_named() {
    let mut f = fixture();
    let ids = ziping_app::create_demo(&mut f.app).unwrap();
    // 𠮷 (U+20BB7) and 䶮 (U+4DAE) are in Noto CJK, not in Fandol; U+3134A (CJK Extension G) is in
    // neither.
    let fandol = ziping_report::FontSet::load_with_fallback(&Default::default(), Vec::new()).unwrap();
    for c in ['𠮷', '䶮'] {
        assert!(fandol.resolve(ziping_report::Role::Fang, c).is_none(), "Fandol has {c}: pick another test character");
    }
    let rare = "\u{3134A}";
    let organ = format!("𠮷䶮{rare}镇人民政府");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("生僻字.pdf");
    let mut options = ReportOptions { signature: Some(organ.clone()), ..Default::default() };
    options.sections.appendix_scores = false;
    let r = f.app.export_report(&ExportRequest { assessment: ids[0], pdf: Some(pdf.clone()), options, ..Default::default() }).unwrap();
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].contains(&format!("“{rare}”（U+3134A）")), "{}", r.warnings[0]);
    assert!(!r.warnings[0].contains('𠮷') && !r.warnings[0].contains('䶮'), "{}", r.warnings[0]);
    let fonts = tool("pdffonts", &[], &pdf);
    let noto: Vec<&str> = fonts.lines().filter(|l| l.contains("NotoSerifCJK") || l.contains("NotoSansCJK")).collect();
    assert_eq!(noto.len(), 1, "no Noto CJK subset embedded:\n{fonts}");
    let cols: Vec<&str> = noto[0].split_whitespace().collect();
    assert_eq!(&cols[cols.len() - 5..cols.len() - 2], &["yes", "yes", "yes"], "{}", noto[0]);
    assert_eq!(cols[0].as_bytes()[6], b'+', "subset tag: {}", noto[0]);
    let text = squeeze(&tool("pdftotext", &["-enc", "UTF-8"], &pdf));
    assert!(text.contains("𠮷䶮"), "the rare characters are not in the text layer");
}
