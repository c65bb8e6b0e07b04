//! Indicator systems from Word (.docx) tables: merged hierarchy cells (w:vMerge), spanned header
//! cells (w:gridSpan), paragraphs and breaks inside cells, the first suitable table of several.
//!
//! `tests/fixtures/system/scored.docx` is LibreOffice's Word table of `scored.xlsx` (converted
//! through HTML: `soffice --headless --convert-to html scored.xlsx`, then
//! `soffice --headless --convert-to 'docx:MS Word 2007 XML' scored.html`); the other documents
//! are written here, as Word writes them, with the zip crate.

use std::io::Write;
use std::path::Path;

use ziping_core::system::ScoringModel;
use ziping_import::system::{read_system, read_system_bytes, PreviewNode, SystemOptions};

use crate::system::gen;

fn codes_titles(nodes: &[PreviewNode]) -> Vec<(String, String)> {
    fn walk(n: &[PreviewNode], out: &mut Vec<(String, String)>) {
        for x in n {
            out.push((x.code.clone(), x.title.clone()));
            walk(&x.children, out);
        }
    }
    let mut out = Vec::new();
    walk(nodes, &mut out);
    out
}

/// One cell of a Word table: text (lines become paragraphs, "|" a `w:br`), span, vertical merge.
pub struct Tc {
    text: &'static str,
    span: u32,
    vmerge: Option<&'static str>,
}

fn t(text: &'static str) -> Tc {
    Tc { text, span: 1, vmerge: None }
}
fn span(text: &'static str, n: u32) -> Tc {
    Tc { text, span: n, vmerge: None }
}
/// The first cell of a vertical merge.
fn top(text: &'static str) -> Tc {
    Tc { text, span: 1, vmerge: Some("restart") }
}
/// A cell covered by the vertical merge above (`<w:vMerge/>`, no value).
fn under() -> Tc {
    Tc { text: "", span: 1, vmerge: Some("") }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn table_xml(rows: &[Vec<Tc>]) -> String {
    let cols = rows.iter().map(|r| r.iter().map(|c| c.span).sum::<u32>()).max().unwrap_or(1);
    let mut x = String::from("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>");
    for _ in 0..cols {
        x.push_str("<w:gridCol w:w=\"1200\"/>");
    }
    x.push_str("</w:tblGrid>");
    for row in rows {
        x.push_str("<w:tr>");
        for c in row {
            x.push_str("<w:tc><w:tcPr><w:tcW w:w=\"1200\" w:type=\"dxa\"/>");
            if c.span > 1 {
                x.push_str(&format!("<w:gridSpan w:val=\"{}\"/>", c.span));
            }
            match c.vmerge {
                Some("") => x.push_str("<w:vMerge/>"),
                Some(v) => x.push_str(&format!("<w:vMerge w:val=\"{v}\"/>")),
                None => {}
            }
            x.push_str("</w:tcPr>");
            for line in c.text.split('\n') {
                x.push_str("<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>");
                for (i, part) in line.split('|').enumerate() {
                    if i > 0 {
                        x.push_str("<w:r><w:br/></w:r>");
                    }
                    if !part.is_empty() {
                        x.push_str(&format!("<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(part)));
                    }
                }
                x.push_str("</w:p>");
            }
            x.push_str("</w:tc>");
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    x
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(text))
}

/// A .docx with the given body parts (paragraphs and tables).
pub fn docx(body: &[String]) -> Vec<u8> {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{}<w:sectPr/></w:body></w:document>",
        body.concat()
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("[Content_Types].xml", o).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    z.start_file("_rels/.rels", o).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(doc.as_bytes()).unwrap();
    z.finish().unwrap();
    buf.into_inner()
}

/// The rated table of `gen::rated` as a Word table: a two-row header with "评价指标" spanning
/// three columns and "评价要点" merged down, hierarchy cells merged down, two-paragraph cells;
/// below a contact table that is not a system table.
pub fn rated_docx() -> Vec<u8> {
    let contacts = table_xml(&[vec![t("联系人"), t("电话")], vec![t("测试员"), t("000-0000000")]]);
    let pt = "测试用评价要点，\n非正式文本。";
    let system = table_xml(&[
        vec![span("评价指标", 3), top("评价要点"), span("自评等级", 4)],
        vec![t("评价内容"), t("测评内容"), t("测评点"), under(), t("完全落实"), t("基本落实"), t("未落实"), t("不适用")],
        vec![top("一、测试方针"), top("1.测试党建"), t("①测试要求甲"), t(pt), t(""), t(""), t(""), t("")],
        vec![under(), under(), t("②测试要求乙"), t(pt), t(""), t(""), t(""), t("")],
        vec![under(), top("2.测试德育"), t("①测试要求丙"), t(pt), t(""), t(""), t(""), t("")],
        vec![under(), under(), t("②测试要求丁"), t(pt), t(""), t(""), t(""), t("")],
        vec![top("二、测试保障"), top("3.测试经费"), t("①测试要求戊"), t(pt), t(""), t(""), t(""), t("")],
        vec![under(), under(), t("②测试要求己"), t(pt), t(""), t(""), t(""), t("")],
    ]);
    docx(&[para("附件2"), contacts, para("测试市对区县履职评价测评表（测试用）"), system, para("")])
}

/// A scored Word table with problems: a point without a title, a score that is not a number,
/// a duplicate number; a line break (`w:br`) inside a rule.
pub fn problems_docx() -> Vec<u8> {
    docx(&[table_xml(&[
        vec![t("一级指标"), t("测评点"), t("分值"), t("评分标准")],
        vec![top("一、测试组"), t("1.1 测试点一"), t("30"), t("未落实扣10分；|扣完为止。")],
        vec![under(), t("1.1 测试点二"), t("30"), t("")],
        vec![under(), t("1.3"), t("20"), t("")],
        vec![under(), t("1.4 测试点四"), t("五分"), t("")],
        vec![span("合计", 2), t("80"), t("")],
    ])])
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/system").join(name)
}

#[test]
fn libreoffice_word_table_reads_like_the_workbook() {
    let xlsx = read_system(&fixture("scored.xlsx")).unwrap();
    let docx = read_system(&fixture("scored.docx")).unwrap();
    let (a, b) = (&xlsx.preview, &docx.preview);
    assert_eq!(b.sheet, "第1个表格");
    assert_eq!(b.errors, 0, "{:#?}", b.problems);
    assert_eq!(codes_titles(&a.tree), codes_titles(&b.tree));
    assert_eq!((&a.title, a.year, &a.model), (&b.title, b.year, &b.model));
    assert_eq!((a.declared_total, a.leaf_sum, a.bonus_cap), (b.declared_total, b.leaf_sum, b.bonus_cap));
    assert_eq!(a.notes, b.notes);
    assert_eq!(a.header_rows, b.header_rows);
    // Paragraphs inside a cell are its lines, as in Excel.
    let (la, lb) = (&a.tree[0].children[0].children[0], &b.tree[0].children[0].children[0]);
    assert_eq!(la.scoring_rule, lb.scoring_rule);
    assert_eq!(la.evidence, lb.evidence);
    assert_eq!((lb.row, lb.col.as_str()), (4, "第3"));
    let (sa, sb) = (xlsx.build(&SystemOptions::default()), docx.build(&SystemOptions::default()));
    let (sa, sb) = (sa.system.unwrap(), sb.system.unwrap());
    assert_eq!(sa.children, sb.children);
    assert_eq!(sa.scoring, sb.scoring);
    assert_eq!(sb.provenance.file.as_deref(), Some("scored.docx"));
}

#[test]
fn word_table_with_spanned_two_row_header_and_merged_hierarchy() {
    let read = read_system_bytes("测评表.docx", &rated_docx()).unwrap();
    let xlsx = read_system_bytes("rated.xlsx", &gen::rated()).unwrap();
    let (p, q) = (&read.preview, &xlsx.preview);
    // The contact table before it is passed over.
    assert_eq!(p.sheet, "第2个表格");
    assert_eq!(p.header_rows, vec![1, 2]);
    assert_eq!(p.model, "rated");
    assert_eq!(p.level_names, q.level_names);
    assert_eq!(codes_titles(&p.tree), codes_titles(&q.tree));
    assert_eq!(p.tree[0].children[0].children[0].text.as_deref(), Some("测试用评价要点，\n非正式文本。"));
    let cols: Vec<&str> = p.columns.iter().map(|c| c.col.as_str()).collect();
    assert_eq!(cols, vec!["第1", "第2", "第3", "第4", "第5", "第6", "第7", "第8"]);
    let s = read.build(&SystemOptions::default()).system.expect("builds");
    assert!(matches!(s.scoring, ScoringModel::Rated(_)));
    assert_eq!(s.leaves().len(), 6);
}

#[test]
fn problems_in_a_word_table_name_the_table_row_and_column() {
    let read = read_system_bytes("有问题.docx", &problems_docx()).unwrap();
    let leaf = &read.preview.tree[0].children[0];
    assert_eq!(leaf.scoring_rule.as_deref(), Some("未落实扣10分；\n扣完为止。"));
    let built = read.build(&SystemOptions::default());
    assert!(built.system.is_none());
    let errors: Vec<&str> = built.problems.iter().filter(|p| p.is_error()).map(|p| p.message.as_str()).collect();
    let has = |needle: &str| assert!(errors.iter().any(|m| m.contains(needle)), "no “{needle}” in {errors:#?}");
    has("有问题.docx › 第1个表格 › 第4行 › 第2列（测评点）");
    has("有问题.docx › 第1个表格 › 第5行 › 第3列（分值）");
    has("有问题.docx › 第1个表格 › 第3行 › 第2列（测评点）");
    assert!(errors.iter().all(|m| m.starts_with("有问题.docx › 第1个表格 › ")), "{errors:#?}");
}

#[test]
fn a_word_document_without_a_system_table_and_a_broken_one() {
    let read = read_system_bytes("通知.docx", &docx(&[para("关于开展测试工作的通知"), table_xml(&[vec![t("联系人"), t("电话")]])])).unwrap();
    assert_eq!(read.preview.errors, 1);
    assert!(read.preview.problems[0].message.contains("“第1个表格”"), "{:#?}", read.preview.problems);
    let err = read_system_bytes("坏.docx", b"PK\x03\x04 broken").err().unwrap().to_string();
    assert_eq!(err, "文件“坏.docx”不是可读取的Excel、WPS表格或Word文件（支持.xlsx、.xls、.ods、.docx），或文件已损坏。");
}

#[test]
fn fuzz_smoke_the_word_reader_never_panics() {
    let base = rated_docx();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for i in 0..200 {
        let mut b = base.clone();
        for _ in 0..(1 + i % 8) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed as usize) % b.len();
            b[at] = (seed >> 32) as u8;
        }
        let _ = read_system_bytes("变异.docx", &b).map(|r| r.build(&SystemOptions::default()));
    }
    // Random tables: random texts, spans and vertical merges (also where Word would not put them).
    const WORDS: &[&str] = &["一级指标", "测评点", "分值", "评分标准", "一、测试", "（一）测试", "1.测试", "①测试", "5", "合计", "加分项", "注：测试", ""];
    for _ in 0..200 {
        let mut rows = Vec::new();
        let n = 1 + (next(&mut seed) % 8) as usize;
        for _ in 0..n {
            let mut row = Vec::new();
            for _ in 0..(1 + next(&mut seed) % 6) {
                let text = WORDS[(next(&mut seed) % WORDS.len() as u64) as usize];
                row.push(match next(&mut seed) % 5 {
                    0 => top(text),
                    1 => under(),
                    2 => span(text, 1 + (next(&mut seed) % 3) as u32),
                    _ => t(text),
                });
            }
            rows.push(row);
        }
        let b = docx(&[table_xml(&rows)]);
        let read = read_system_bytes("随机.docx", &b).unwrap();
        let _ = read.build(&SystemOptions::default());
    }
}

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed >> 11
}
