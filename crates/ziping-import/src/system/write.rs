//! Writes a system back in the table form of the notices (levels merged vertically, numbers in
//! the cells, 分值, 评分标准, 佐证材料, a 加分项 section, a notes row), plus the 体系信息 sheet
//! and, when needed, the 计算指标 and 补充信息 sheets, so that reading the file back gives an
//! equal system. Also the empty template.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use ziping_core::system::ScoringModel;
use ziping_core::{IndicatorSystem, Node};

use super::meta::{self, *};
use super::numbering::cell_text;
use super::read::classify;
use super::ColumnRole;
use crate::ImportError;

/// The name of the table sheet.
pub const TABLE_SHEET: &str = "指标体系";

fn depth(nodes: &[Node]) -> usize {
    nodes.iter().map(|n| 1 + depth(&n.children)).max().unwrap_or(0)
}

fn leaf_count(n: &Node) -> u32 {
    if n.is_leaf() {
        1
    } else {
        n.children.iter().map(leaf_count).sum()
    }
}

/// Header of level `i` (0-based): the level name if the reader recognises it as a level.
fn level_header(system_names: &[String], i: usize) -> String {
    match system_names.get(i) {
        Some(n) if classify(n) == Some(ColumnRole::Level) => n.clone(),
        Some(n) => format!("{}级指标（{n}）", i + 1),
        None => format!("{}级指标", i + 1),
    }
}

struct Cols {
    levels: u16,
    score: Option<u16>,
    text: u16,
    rule: u16,
    evidence: u16,
    note: u16,
}

fn formats() -> (Format, Format, Format) {
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::VerticalCenter).set_border(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    (head, body, title)
}

fn write_table(ws: &mut Worksheet, s: &IndicatorSystem) -> Result<(), XlsxError> {
    let (head, body, title_fmt) = formats();
    let points = matches!(s.scoring, ScoringModel::Points(_));
    let levels = depth(&s.children).max(1) as u16;
    let mut c = levels;
    let score = points.then(|| {
        c += 1;
        c - 1
    });
    let cols = Cols { levels, score, text: c, rule: c + 1, evidence: c + 2, note: c + 3 };
    let last = cols.note;
    ws.set_name(TABLE_SHEET)?;
    ws.merge_range(0, 0, 0, last, &s.name, &title_fmt)?;
    let mut headers: Vec<String> = (0..levels as usize).map(|i| level_header(&s.level_names, i)).collect();
    if points {
        headers.push("分值".into());
    }
    headers.extend(["测评要点", "评分标准", "佐证材料", "备注"].map(String::from));
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, i as u16, h, &head)?;
        let width = if (i as u16) < levels { 22.0 } else if Some(i as u16) == cols.score { 8.0 } else { 36.0 };
        ws.set_column_width(i as u16, width)?;
    }
    let mut row = 2u32;
    for n in &s.children {
        write_node(ws, n, 0, &mut row, &cols, &body)?;
    }
    if let ScoringModel::Points(p) = &s.scoring {
        ws.write_string_with_format(row, 0, "合计", &body)?;
        if let Some(sc) = cols.score {
            ws.write_number_with_format(row, sc, p.total.as_f64(), &body)?;
        }
        row += 1;
        if let Some(b) = &p.bonus {
            let heading = format!("加分项（最高加{}分）", b.cap);
            let n = b.items.len() as u32;
            let deepest = levels - 1;
            if deepest == 0 {
                ws.write_string_with_format(row, 0, &heading, &body)?;
                row += 1;
            } else if n > 1 {
                ws.merge_range(row, 0, row + n - 1, 0, &heading, &body)?;
            } else {
                ws.write_string_with_format(row, 0, &heading, &body)?;
            }
            for item in &b.items {
                ws.write_string_with_format(row, deepest, cell_text(&item.code, &item.title), &body)?;
                if let Some(sc) = cols.score {
                    ws.write_number_with_format(row, sc, item.score.as_f64(), &body)?;
                }
                row += 1;
            }
        }
    }
    ws.merge_range(row, 0, row, last, "注：本表由“履职自评”导出；名称、版本、评分方式等见工作表“体系信息”。", &Format::new().set_text_wrap())?;
    ws.set_freeze_panes(2, 0)?;
    Ok(())
}

fn write_node(ws: &mut Worksheet, n: &Node, level: u16, row: &mut u32, cols: &Cols, body: &Format) -> Result<(), XlsxError> {
    let mut text = cell_text(&n.code, &n.title);
    if n.is_leaf() {
        ws.write_string_with_format(*row, level, &text, body)?;
        if let (Some(sc), Some(m)) = (cols.score, n.max_score) {
            ws.write_number_with_format(*row, sc, m.as_f64(), body)?;
        }
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        for (col, v) in [
            (cols.text, opt(&n.text)),
            (cols.rule, opt(&n.scoring_rule)),
            (cols.evidence, n.evidence.join("\n")),
            (cols.note, opt(&n.note)),
        ] {
            if !v.is_empty() {
                ws.write_string_with_format(*row, col, &v, body)?;
            }
        }
        *row += 1;
        return Ok(());
    }
    if let Some(m) = n.max_score {
        text.push_str(&format!("（{m}分）"));
    }
    let span = leaf_count(n);
    if span > 1 {
        ws.merge_range(*row, level, *row + span - 1, level, &text, body)?;
    } else {
        ws.write_string_with_format(*row, level, &text, body)?;
    }
    for c in &n.children {
        write_node(ws, c, level + 1, row, cols, body)?;
    }
    let _ = cols.levels;
    Ok(())
}

fn write_info(ws: &mut Worksheet, s: &IndicatorSystem) -> Result<(), XlsxError> {
    let (head, body, _) = formats();
    ws.set_name(INFO_SHEET)?;
    ws.write_string_with_format(0, 0, "项目", &head)?;
    ws.write_string_with_format(0, 1, "内容", &head)?;
    ws.set_column_width(0, 18.0)?;
    ws.set_column_width(1, 80.0)?;
    let mut rows: Vec<(&str, String)> = vec![
        (K_NAME, s.name.clone()),
        (K_SHORT, s.short_name.clone().unwrap_or_default()),
        (K_ID, s.id.clone()),
        (K_VERSION, s.version.clone()),
        (K_YEARS, s.years.clone().unwrap_or_default()),
        (K_ISSUER, s.issuer.clone().unwrap_or_default()),
        (K_OFFICIAL, if s.official { "是" } else { "否" }.into()),
        (K_LEVELS_NAMES, s.level_names.join("；")),
    ];
    match &s.scoring {
        ScoringModel::Points(p) => {
            rows.push((K_MODEL, MODEL_POINTS.into()));
            rows.push((K_TOTAL, p.total.to_string()));
            rows.push((K_DECIMALS, p.decimals.to_string()));
            rows.push((K_GRADES, grades_text(&p.grades)));
            if let Some(b) = &p.bonus {
                rows.push((K_CAP, b.cap.to_string()));
            }
        }
        ScoringModel::Rated(r) => {
            rows.push((K_MODEL, MODEL_RATED.into()));
            rows.push((K_LEVELS, levels_text(&r.levels)));
            rows.push((K_NA, na_text(r.not_applicable.as_ref())));
            rows.push((K_NOUN, r.leaf_noun.clone().unwrap_or_default()));
        }
    }
    for src in &s.provenance.sources {
        rows.push((K_SOURCE, src.clone()));
    }
    rows.push((K_NOTE, s.provenance.note.clone().unwrap_or_default()));
    rows.push((K_FILE, s.provenance.file.clone().unwrap_or_default()));
    rows.push((K_SHA, s.provenance.file_sha256.clone().unwrap_or_default()));
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 1, 0, *k, &body)?;
        if !v.is_empty() {
            ws.write_string_with_format(i as u32 + 1, 1, v, &body)?;
        }
    }
    Ok(())
}

fn all_nodes(nodes: &[Node], out: &mut Vec<Node>) {
    for n in nodes {
        out.push(n.clone());
        all_nodes(&n.children, out);
    }
}

fn write_extras(wb: &mut Workbook, s: &IndicatorSystem) -> Result<(), XlsxError> {
    let (head, body, _) = formats();
    let mut nodes = Vec::new();
    all_nodes(&s.children, &mut nodes);
    let figures: Vec<&Node> = nodes.iter().filter(|n| !n.figures.is_empty()).collect();
    if !figures.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(FIGURE_SHEET)?;
        for (i, h) in ["编码", "计算指标", "阈值", "扣分", "数据来源"].iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &head)?;
            ws.set_column_width(i as u16, if i < 2 { 14.0 } else { 36.0 })?;
        }
        let mut r = 1;
        for n in figures {
            for f in &n.figures {
                ws.write_string_with_format(r, 0, &n.code, &body)?;
                ws.write_string_with_format(r, 1, &f.figure, &body)?;
                ws.write_string_with_format(r, 2, meta::params_text(&f.thresholds), &body)?;
                ws.write_string_with_format(r, 3, meta::params_text(&f.deduction), &body)?;
                ws.write_string_with_format(r, 4, f.source.as_deref().unwrap_or(""), &body)?;
                r += 1;
            }
        }
    }
    let extras: Vec<&Node> = nodes
        .iter()
        .filter(|n| {
            n.pending_label.is_some()
                || (!n.is_leaf() && (n.text.is_some() || n.scoring_rule.is_some() || !n.evidence.is_empty() || n.note.is_some()))
        })
        .collect();
    if !extras.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(EXTRA_SHEET)?;
        for (i, h) in ["编码", "测评要点", "评分标准", "佐证材料", "备注", "暂缓评分名称"].iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &head)?;
            ws.set_column_width(i as u16, if i == 0 { 10.0 } else { 30.0 })?;
        }
        for (i, n) in extras.iter().enumerate() {
            let r = i as u32 + 1;
            let leaf = n.is_leaf();
            let inner = |v: &Option<String>| if leaf { String::new() } else { v.clone().unwrap_or_default() };
            ws.write_string_with_format(r, 0, &n.code, &body)?;
            let ev = if leaf { String::new() } else { n.evidence.join("\n") };
            for (c, v) in [(1u16, inner(&n.text)), (2, inner(&n.scoring_rule)), (3, ev), (4, inner(&n.note)), (5, n.pending_label.clone().unwrap_or_default())] {
                if !v.is_empty() {
                    ws.write_string_with_format(r, c, &v, &body)?;
                }
            }
        }
    }
    Ok(())
}

fn xlsx_err(path: &str) -> impl Fn(XlsxError) -> ImportError + '_ {
    move |e| ImportError::Write { path: path.to_string(), detail: e.to_string() }
}

/// The exported workbook as bytes.
pub fn system_bytes(s: &IndicatorSystem) -> Result<Vec<u8>, ImportError> {
    let mut wb = Workbook::new();
    let build = |wb: &mut Workbook| -> Result<Vec<u8>, XlsxError> {
        write_table(wb.add_worksheet(), s)?;
        write_info(wb.add_worksheet(), s)?;
        write_extras(wb, s)?;
        wb.save_to_buffer()
    };
    build(&mut wb).map_err(xlsx_err("（内存）"))
}

/// Writes the exported workbook to `path`.
pub fn write_system(s: &IndicatorSystem, path: &Path) -> Result<(), ImportError> {
    let bytes = system_bytes(s)?;
    std::fs::write(path, bytes).map_err(|e| ImportError::Write { path: path.display().to_string(), detail: e.to_string() })
}

/// The empty template: the title row, the usual header, two example rows showing merged
/// hierarchy cells and numbering, a 加分项 heading and the notes explaining the form.
pub fn template_bytes() -> Result<Vec<u8>, ImportError> {
    let mut wb = Workbook::new();
    let build = |wb: &mut Workbook| -> Result<Vec<u8>, XlsxError> {
        let (head, body, title) = formats();
        let ws = wb.add_worksheet();
        ws.set_name(TABLE_SHEET)?;
        ws.merge_range(0, 0, 0, 6, "（在此填写指标体系名称，如“××省2025年度对县级人民政府履行教育职责评价指标体系”）", &title)?;
        let headers = ["一级指标", "二级指标", "测评点（评价要点）", "分值", "评分标准", "佐证材料", "备注"];
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(1, i as u16, *h, &head)?;
            ws.set_column_width(i as u16, if i == 3 { 8.0 } else { 26.0 })?;
        }
        let notes = [
            "注：1. 每个测评点占一行；一级、二级指标可以上下合并单元格，名称只写在合并区域的第一格。",
            "2. 编号写在单元格开头，可用“一、”“（一）”“1.”“1.1”“①”等形式；同一编号在全表中不能重复。",
            "3. 按分值评分的体系在“分值”列填写每个测评点的满分，并在最后加一行“合计”；按等级评定的体系不填分值。",
            "4. 加分项写在“合计”行之后：第一列写“加分项（最高加N分）”，各加分项写在测评点列，分值列写加分分值。",
            "5. 单元格内可以换行；佐证材料每行一项。表格下方以“注：”开头的各行作为说明导入。",
        ];
        for (i, n) in notes.iter().enumerate() {
            ws.merge_range(2 + i as u32, 0, 2 + i as u32, 6, n, &Format::new().set_text_wrap())?;
        }
        let _ = body;
        ws.set_freeze_panes(2, 0)?;
        wb.save_to_buffer()
    };
    build(&mut wb).map_err(xlsx_err("（内存）"))
}

/// Writes the empty template to `path`.
pub fn write_template(path: &Path) -> Result<(), ImportError> {
    let bytes = template_bytes()?;
    std::fs::write(path, bytes).map_err(|e| ImportError::Write { path: path.display().to_string(), detail: e.to_string() })
}
