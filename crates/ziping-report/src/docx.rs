//! The report as an editable Word file (.docx, WordprocessingML written by hand).
//!
//! Same blocks as the PDF, with real styles so users can restyle in Word or WPS: 标题 (Title),
//! 标题 1 / 标题 2 (Heading1/Heading2, in the navigation pane), 正文 (Normal: 仿宋 16 pt, first
//! line indented 2 characters, exact line spacing of the 22-line grid, justified), 主送机关, 落款,
//! 附件标签, 表格文字 and a bordered table style with the header row repeated on each page.
//! The page is A4 with the GB/T 9704 margins and a line grid of 22 lines; 28 characters a line
//! come from a character spacing of −0.2 pt on 16 pt text (a character grid is rendered
//! differently by Word and LibreOffice, so none is used);
//! page numbers "— N —" are fields in odd/even footers (right on odd pages, left on even).
//! The chart becomes a small table of the same numbers (DrawingML charts are out of scope).
//! Font names are those installed on Chinese Windows (仿宋, 黑体, 楷体, 方正小标宋简体 for the
//! title, which Word substitutes when missing).

use std::io::Write;

use zip::write::SimpleFileOptions;

use crate::model::{Align, Block, Report, Row, Table};
use crate::ReportError;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => o.push(c),
        }
    }
    o
}

fn run(text: &str, bold: bool) -> String {
    let rpr = if bold { "<w:rPr><w:b/><w:bCs/></w:rPr>" } else { "" };
    format!("<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text))
}

fn para(style: &str, runs: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{runs}</w:p>")
}

const TEXT_W: u32 = 8845; // 156 mm in twips

fn table_xml(table: &Table) -> String {
    let total: f32 = table.columns.iter().map(|c| c.width).sum();
    let widths: Vec<u32> = table.columns.iter().map(|c| (c.width / total * TEXT_W as f32) as u32).collect();
    let mut x = String::from("<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
    for w in &widths {
        x.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    x.push_str("</w:tblGrid>");
    let cell = |text: &str, w: u32, span: usize, style: &str, align: Align, bold: bool, shade: bool| {
        let jc = if align == Align::Center { "<w:jc w:val=\"center\"/>" } else { "" };
        let span = if span > 1 { format!("<w:gridSpan w:val=\"{span}\"/>") } else { String::new() };
        let shd = if shade { "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E6E6\"/>" } else { "" };
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>{span}{shd}<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{jc}</w:pPr>{}</w:p></w:tc>",
            run(text, bold)
        )
    };
    x.push_str("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
    for (c, w) in table.columns.iter().zip(&widths) {
        x.push_str(&cell(&c.header, *w, 1, "TableHead", Align::Center, false, true));
    }
    x.push_str("</w:tr>");
    for row in &table.rows {
        x.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        match row {
            Row::Cells(cs) | Row::Total(cs) => {
                let bold = matches!(row, Row::Total(_));
                for (i, t) in cs.iter().enumerate() {
                    x.push_str(&cell(t, widths[i], 1, "TableText", table.columns[i].align, bold, false));
                }
            }
            Row::Group(t) => x.push_str(&cell(t, TEXT_W, widths.len(), "TableText", Align::Left, true, true)),
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    x
}

fn body(report: &Report) -> String {
    let mut b = String::new();
    for block in &report.blocks {
        match block {
            Block::Title(t) => b.push_str(&para("Title", &run(t, false))),
            Block::Recipient(r) => {
                let t = if r.ends_with('：') { r.clone() } else { format!("{r}：") };
                b.push_str(&para("Recipient", &run(&t, false)));
            }
            Block::Heading { level, text } => {
                b.push_str(&para(if *level == 1 { "Heading1" } else { "Heading2" }, &run(text, false)))
            }
            Block::Para(runs) => {
                let rs: String = runs.iter().map(|r| run(&r.text, r.bold)).collect();
                b.push_str(&para("Normal", &rs));
            }
            Block::Chart(c) => {
                let mut cols = vec![crate::model::Column { header: "类别".into(), width: 4.0, align: Align::Left }];
                for s in &c.series {
                    cols.push(crate::model::Column { header: s.clone(), width: 1.4, align: Align::Center });
                }
                let rows = c
                    .bars
                    .iter()
                    .map(|(l, v)| {
                        let mut cells = vec![l.clone()];
                        cells.extend(v.iter().map(|x| format!("{}", (x * 100.0).round() / 100.0)));
                        Row::Cells(cells)
                    })
                    .collect();
                b.push_str(&para("Caption", &run(&c.caption, false)));
                b.push_str(&table_xml(&Table { columns: cols, rows }));
                b.push_str(&para("Normal", ""));
            }
            Block::Signature { organ, date } => {
                b.push_str(&para("Normal", ""));
                b.push_str(&para("Normal", ""));
                b.push_str(&para("Signature", &run(organ, false)));
                b.push_str(&para("Signature", &run(date, false)));
            }
            Block::Appendix { label, title, table } => {
                b.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
                b.push_str(&para("AppendixLabel", &run(label, false)));
                b.push_str(&para("AppendixTitle", &run(title, false)));
                b.push_str(&table_xml(table));
            }
        }
    }
    b
}

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

fn fonts(east: &str) -> String {
    format!("<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"{east}\" w:cs=\"Times New Roman\"/>")
}

fn styles() -> String {
    // Line pitch 225 mm / 22 = 579 twips; a character 156 mm / 28.
    let style = |id: &str, name: &str, ppr: &str, rpr: &str, extra: &str| {
        format!("<w:style w:type=\"paragraph\" w:styleId=\"{id}\"{extra}><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>")
    };
    let mut s = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles {NS}>");
    s.push_str(&format!(
        "<w:docDefaults><w:rPrDefault><w:rPr>{}<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"579\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>",
        fonts("仿宋")
    ));
    s.push_str(&format!(
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:widowControl/><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:spacing w:after=\"0\" w:line=\"579\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/></w:pPr><w:rPr>{}<w:spacing w:val=\"-4\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>",
        fonts("仿宋")
    ));
    s.push_str(&style(
        "Title",
        "Title",
        "<w:spacing w:before=\"0\" w:after=\"579\" w:line=\"700\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>",
        &format!("{}<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>", fonts("方正小标宋简体")),
        "",
    ));
    s.push_str(&style(
        "Heading1",
        "heading 1",
        "<w:keepNext/><w:keepLines/><w:outlineLvl w:val=\"0\"/>",
        &format!("{}<w:sz w:val=\"32\"/>", fonts("黑体")),
        "",
    ));
    s.push_str(&style(
        "Heading2",
        "heading 2",
        "<w:keepNext/><w:keepLines/><w:outlineLvl w:val=\"1\"/>",
        &format!("{}<w:sz w:val=\"32\"/>", fonts("楷体")),
        "",
    ));
    s.push_str(&style("Recipient", "主送机关", "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>", "", ""));
    s.push_str(&style(
        "Signature",
        "落款",
        "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\" w:rightChars=\"400\" w:right=\"1280\"/><w:jc w:val=\"right\"/>",
        "",
        "",
    ));
    s.push_str(&style(
        "AppendixLabel",
        "附件标签",
        "<w:keepNext/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:outlineLvl w:val=\"0\"/>",
        &fonts("黑体"),
        "",
    ));
    s.push_str(&style(
        "AppendixTitle",
        "附件标题",
        "<w:keepNext/><w:spacing w:after=\"240\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
        &format!("{}<w:sz w:val=\"36\"/>", fonts("方正小标宋简体")),
        "",
    ));
    s.push_str(&style(
        "Caption",
        "题注",
        "<w:keepNext/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
        "<w:sz w:val=\"24\"/>",
        "",
    ));
    s.push_str(&style(
        "TableText",
        "表格文字",
        "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"300\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/>",
        "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>",
        "",
    ));
    s.push_str(&style(
        "TableHead",
        "表头",
        "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"300\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
        &format!("{}<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>", fonts("黑体")),
        "",
    ));
    s.push_str(&style(
        "Footer",
        "footer",
        "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>",
        &format!("{}<w:sz w:val=\"28\"/>", fonts("宋体")),
        "",
    ));
    let b = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"";
    s.push_str(&format!(
        "<w:style w:type=\"table\" w:styleId=\"ReportTable\"><w:name w:val=\"报告表格\"/><w:tblPr><w:tblBorders><w:top {b}/><w:left {b}/><w:bottom {b}/><w:right {b}/><w:insideH {b}/><w:insideV {b}/></w:tblBorders><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
    ));
    s.push_str("</w:styles>");
    s
}

fn footer(odd: bool) -> String {
    let (jc, ind) = if odd { ("right", "w:rightChars=\"100\" w:right=\"280\"") } else { ("left", "w:leftChars=\"100\" w:left=\"280\"") };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:ind {ind}/><w:jc w:val=\"{jc}\"/></w:pPr>{}<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>{}</w:p></w:ftr>",
        run("— ", false),
        run(" —", false)
    )
}

/// Writes the .docx and returns its bytes.
pub fn write(report: &Report) -> Result<Vec<u8>, ReportError> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS}><w:body>{}<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/><w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"1247\" w:gutter=\"0\"/><w:docGrid w:type=\"lines\" w:linePitch=\"579\"/></w:sectPr></w:body></w:document>",
        body(report)
    );
    let (y, m, d) = report.date_ymd;
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">{y:04}-{m:02}-{d:02}T00:00:00Z</dcterms:created></cp:coreProperties>",
        esc(&report.title),
        esc(&report.author)
    );
    let files: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>".into(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>".into(),
        ),
        (
            "word/_rels/document.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/><Relationship Id=\"rIdFooterOdd\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/><Relationship Id=\"rIdFooterEven\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/></Relationships>".into(),
        ),
        ("word/document.xml", document),
        ("word/styles.xml", styles()),
        (
            "word/settings.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings {NS}><w:evenAndOddHeaders/><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/></w:compat></w:settings>"),
        ),
        ("word/footer1.xml", footer(true)),
        ("word/footer2.xml", footer(false)),
        ("docProps/core.xml", core),
    ];
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in files {
            zip.start_file(name, opts).map_err(|e| ReportError::Render { format: "Word".into(), message: e.to_string() })?;
            zip.write_all(content.as_bytes())
                .map_err(|e| ReportError::Render { format: "Word".into(), message: e.to_string() })?;
        }
        zip.finish().map_err(|e| ReportError::Render { format: "Word".into(), message: e.to_string() })?;
    }
    Ok(buf.into_inner())
}
