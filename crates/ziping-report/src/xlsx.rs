//! The 自评表 workbook: every leaf with its maximum, deductions and score, and the totals as
//! formulas, so the sheet recomputes when an inspector edits it in Excel or WPS.
//!
//! Points model: 自评得分 = MAX(0, 分值 − 扣分) per row, 合计 = SUM(…), grade by the system's
//! cut-offs with nested IF. Rated model: one COUNTIF per level and the shares rounded exactly as
//! the report rounds them (`ziping_core::scoring::largest_remainder_shares`): each level gets the
//! floor of its share in hundredths of a percent, and the hundredths still missing to 100.00 %
//! go to the largest remainders, ties to the earlier level — all as formulas ([`share_formula`]),
//! so the shares add up to exactly 100.00 % and still recompute after an edit.
//! Sheets 佐证材料清单 and 数据指标 list the evidence and the computed figures.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};
use ziping_core::scoring::leaf_score;
use ziping_core::{Points, ScoringModel};

use crate::model::{leaf_result, ReportData};
use crate::ReportError;

fn err(e: XlsxError) -> ReportError {
    ReportError::Render { format: "Excel".into(), message: e.to_string() }
}

struct Formats {
    title: Format,
    head: Format,
    text: Format,
    center: Format,
    num: Format,
    group: Format,
    total: Format,
    total_num: Format,
    pct: Format,
}

fn formats() -> Formats {
    let base = Format::new().set_font_name("仿宋").set_font_size(11).set_border(FormatBorder::Thin).set_text_wrap();
    Formats {
        title: Format::new().set_font_name("黑体").set_font_size(16).set_align(FormatAlign::Center),
        head: base.clone().set_font_name("黑体").set_align(FormatAlign::Center).set_background_color("#D9D9D9"),
        text: base.clone().set_align(FormatAlign::VerticalCenter),
        center: base.clone().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
        num: base.clone().set_align(FormatAlign::Center).set_num_format("0.0#"),
        group: base.clone().set_bold().set_background_color("#EDEDED"),
        total: base.clone().set_bold().set_align(FormatAlign::Center),
        total_num: base.clone().set_bold().set_align(FormatAlign::Center).set_num_format("0.0#"),
        pct: base.set_align(FormatAlign::Center).set_num_format("0.00%"),
    }
}

/// Writes the workbook and returns its bytes.
pub fn write(data: &ReportData) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let f = formats();
    let sheet = wb.add_worksheet();
    sheet.set_name("自评打分表").map_err(err)?;
    match &data.system.scoring {
        ScoringModel::Points(model) => points_sheet(sheet, data, model, &f)?,
        ScoringModel::Rated(_) => rated_sheet(sheet, data, &f)?,
    }
    let ev = wb.add_worksheet();
    ev.set_name("佐证材料清单").map_err(err)?;
    let heads = ["序号", "材料名称", "文号", "日期", "关联指标", "SHA-256"];
    let widths = [6.0, 44.0, 22.0, 12.0, 14.0, 66.0];
    for (c, (h, w)) in heads.iter().zip(widths).enumerate() {
        ev.write_string_with_format(0, c as u16, *h, &f.head).map_err(err)?;
        ev.set_column_width(c as u16, w).map_err(err)?;
    }
    for (i, e) in data.evidence.iter().enumerate() {
        let r = i as u32 + 1;
        ev.write_number_with_format(r, 0, (i + 1) as f64, &f.center).map_err(err)?;
        ev.write_string_with_format(r, 1, &e.title, &f.text).map_err(err)?;
        ev.write_string_with_format(r, 2, &e.doc_no, &f.center).map_err(err)?;
        ev.write_string_with_format(r, 3, &e.date, &f.center).map_err(err)?;
        ev.write_string_with_format(r, 4, e.points.join("、"), &f.center).map_err(err)?;
        ev.write_string_with_format(r, 5, &e.sha256, &f.text).map_err(err)?;
    }
    ev.set_freeze_panes(1, 0).map_err(err)?;
    if !data.figures.is_empty() {
        let fs = wb.add_worksheet();
        fs.set_name("数据指标").map_err(err)?;
        let heads = ["序号", "指标", "学段", "数值", "标准", "结果"];
        let widths = [6.0, 40.0, 8.0, 14.0, 12.0, 10.0];
        for (c, (h, w)) in heads.iter().zip(widths).enumerate() {
            fs.write_string_with_format(0, c as u16, *h, &f.head).map_err(err)?;
            fs.set_column_width(c as u16, w).map_err(err)?;
        }
        for (i, x) in data.figures.iter().enumerate() {
            let r = i as u32 + 1;
            fs.write_number_with_format(r, 0, (i + 1) as f64, &f.center).map_err(err)?;
            for (c, v) in [&x.title, &x.stage, &x.value, &x.standard, &x.result].iter().enumerate() {
                let fmt = if c == 0 { &f.text } else { &f.center };
                fs.write_string_with_format(r, c as u16 + 1, v.as_str(), fmt).map_err(err)?;
            }
        }
        fs.set_freeze_panes(1, 0).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

fn header(sheet: &mut Worksheet, data: &ReportData, heads: &[&str], widths: &[f64], f: &Formats) -> Result<(), ReportError> {
    let title = format!("{}{}年度履行教育职责自评表", data.region, data.year);
    sheet.merge_range(0, 0, 0, heads.len() as u16 - 1, &title, &f.title).map_err(err)?;
    sheet.set_row_height(0, 28).map_err(err)?;
    for (c, (h, w)) in heads.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &f.head).map_err(err)?;
        sheet.set_column_width(c as u16, *w).map_err(err)?;
    }
    sheet.set_freeze_panes(2, 0).map_err(err)?;
    sheet.set_repeat_rows(1, 1).map_err(err)?;
    sheet.set_paper_size(9);
    sheet.set_landscape();
    Ok(())
}

fn points_sheet(
    sheet: &mut Worksheet,
    data: &ReportData,
    model: &ziping_core::system::PointsModel,
    f: &Formats,
) -> Result<(), ReportError> {
    let heads = ["编号", "测评内容", "分值", "扣分", "自评得分", "扣分理由", "自评说明"];
    header(sheet, data, &heads, &[8.0, 48.0, 8.0, 8.0, 10.0, 40.0, 50.0], f)?;
    let mut r: u32 = 2;
    let first = r + 1;
    let mut leaf_rows = Vec::new();
    for (top, leaves) in data.system.leaf_groups() {
        if !top.is_leaf() {
            sheet.merge_range(r, 0, r, 6, &format!("{} {}", top.code, top.title), &f.group).map_err(err)?;
            r += 1;
        }
        for leaf in leaves {
            let e = data.entries.get(&leaf.code);
            let max = leaf.max_score.unwrap_or(Points::ZERO);
            let ded: Points = e.map(|e| e.deductions.iter().map(|d| d.amount).sum()).unwrap_or(Points::ZERO);
            let score = e.filter(|e| e.is_scored()).map(|e| leaf_score(leaf, e));
            sheet.write_string_with_format(r, 0, &leaf.code, &f.center).map_err(err)?;
            sheet.write_string_with_format(r, 1, &leaf.title, &f.text).map_err(err)?;
            sheet.write_number_with_format(r, 2, max.as_f64(), &f.num).map_err(err)?;
            sheet.write_number_with_format(r, 3, ded.as_f64(), &f.num).map_err(err)?;
            let row = r + 1;
            let formula = Formula::new(format!("=MAX(0,C{row}-D{row})"));
            let formula = match score {
                Some(s) => formula.set_result(s.to_string()),
                None => formula,
            };
            sheet.write_formula_with_format(r, 4, formula, &f.num).map_err(err)?;
            let reasons: Vec<String> = e
                .map(|e| e.deductions.iter().map(|d| format!("扣{}分：{}", d.amount, d.reason.trim())).collect())
                .unwrap_or_default();
            sheet.write_string_with_format(r, 5, reasons.join("；"), &f.text).map_err(err)?;
            sheet.write_string_with_format(r, 6, e.map(|e| e.note.as_str()).unwrap_or(""), &f.text).map_err(err)?;
            leaf_rows.push(row);
            r += 1;
        }
    }
    let last = r;
    sheet.write_string_with_format(r, 0, "合计", &f.total).map_err(err)?;
    sheet.write_string_with_format(r, 1, "", &f.total).map_err(err)?;
    for (c, col) in [(2u16, 'C'), (3, 'D'), (4, 'E')] {
        sheet
            .write_formula_with_format(r, c, Formula::new(format!("=SUM({col}{first}:{col}{last})")), &f.total_num)
            .map_err(err)?;
    }
    let total_row = r + 1;
    r += 1;
    if !model.grades.is_empty() {
        let mut grades = model.grades.clone();
        // Lowest cut-off innermost, so the highest grade reached wins.
        grades.sort_by_key(|g| g.min);
        let mut expr = String::from("\"\"");
        for g in &grades {
            expr = format!("IF(E{total_row}>={},\"{}\",{expr})", g.min.as_f64(), g.grade);
        }
        sheet.write_string_with_format(r, 0, "等级", &f.total).map_err(err)?;
        sheet.write_formula_with_format(r, 4, Formula::new(format!("={expr}")), &f.total).map_err(err)?;
    }
    let _ = leaf_rows;
    Ok(())
}

/// The share of the level counted in `C{row}` among the levels in `C{first}:C{last}`, out of
/// `C{applicable}`, by the largest-remainder method in units of 0.01 %:
/// `(INT(c·10000/n) + [rank of its remainder < units missing]) / 10000`, where the rank counts
/// the levels with a larger remainder plus the earlier levels with an equal one.
pub fn share_formula(row: u32, first: u32, last: u32, applicable: u32) -> String {
    let n = format!("$C${applicable}");
    let all = format!("$C${first}:$C${last}");
    let rem = |cells: &str| format!("MOD({cells}*10000,{n})");
    let mut rank = format!("SUMPRODUCT(--({}>{}))", rem(&all), rem(&format!("C{row}")));
    if row > first {
        let before = format!("$C${first}:$C${}", row - 1);
        rank.push_str(&format!("+SUMPRODUCT(--({}={}))", rem(&before), rem(&format!("C{row}"))));
    }
    let missing = format!("(10000-SUMPRODUCT(INT({all}*10000/{n})))");
    format!("IF({n}=0,0,(INT(C{row}*10000/{n})+IF({rank}<{missing},1,0))/10000)")
}

fn rated_sheet(sheet: &mut Worksheet, data: &ReportData, f: &Formats) -> Result<(), ReportError> {
    let ScoringModel::Rated(model) = &data.system.scoring else { return Ok(()) };
    let heads = ["编号", "测评内容", "自评结果", "自评说明", "存在问题"];
    header(sheet, data, &heads, &[8.0, 48.0, 12.0, 60.0, 40.0], f)?;
    let mut r: u32 = 2;
    let first = r + 1;
    for (top, leaves) in data.system.leaf_groups() {
        if !top.is_leaf() {
            sheet.merge_range(r, 0, r, 4, &format!("{} {}", top.code, top.title), &f.group).map_err(err)?;
            r += 1;
        }
        for leaf in leaves {
            let e = data.entries.get(&leaf.code);
            sheet.write_string_with_format(r, 0, &leaf.code, &f.center).map_err(err)?;
            sheet.write_string_with_format(r, 1, &leaf.title, &f.text).map_err(err)?;
            sheet.write_string_with_format(r, 2, leaf_result(&data.system, leaf, e), &f.center).map_err(err)?;
            sheet.write_string_with_format(r, 3, e.map(|e| e.note.as_str()).unwrap_or(""), &f.text).map_err(err)?;
            sheet.write_string_with_format(r, 4, e.map(|e| e.problems.as_str()).unwrap_or(""), &f.text).map_err(err)?;
            r += 1;
        }
    }
    let last = r;
    r += 1;
    sheet.write_string_with_format(r, 1, "统计", &f.head).map_err(err)?;
    sheet.write_string_with_format(r, 2, "项数", &f.head).map_err(err)?;
    sheet.write_string_with_format(r, 3, "占实际自评项的比例", &f.head).map_err(err)?;
    r += 1;
    let range = format!("C{first}:C{last}");
    let na_label = model.not_applicable.as_ref().map(|n| n.label.clone());
    let applicable_row = r + 1 + model.levels.len() as u32 + u32::from(na_label.is_some());
    let level_first = applicable_row - model.levels.len() as u32 - u32::from(na_label.is_some());
    let level_last = level_first + model.levels.len() as u32 - 1;
    // The report's shares, for the cached results (what a reader shows before recalculating).
    let shares: Vec<(usize, String)> = match &data.summary {
        ziping_core::summary::Summary::Rated(sum) => sum.levels.iter().map(|l| (l.count, l.share.clone())).collect(),
        ziping_core::summary::Summary::Points(_) => Vec::new(),
    };
    for (i, level) in model.levels.iter().enumerate() {
        sheet.write_string_with_format(r, 1, &level.label, &f.text).map_err(err)?;
        let count = Formula::new(format!("=COUNTIF({range},\"{}\")", level.label));
        let count = match shares.get(i) {
            Some((n, _)) => count.set_result(n.to_string()),
            None => count,
        };
        sheet.write_formula_with_format(r, 2, count, &f.center).map_err(err)?;
        let row = r + 1;
        let share = Formula::new(format!("={}", share_formula(row, level_first, level_last, applicable_row)));
        let share = match shares.get(i).and_then(|(_, s)| s.parse::<f64>().ok()) {
            Some(pct) => share.set_result(format!("{}", pct / 100.0)),
            None => share,
        };
        sheet.write_formula_with_format(r, 3, share, &f.pct).map_err(err)?;
        r += 1;
    }
    if let Some(na) = &na_label {
        sheet.write_string_with_format(r, 1, na, &f.text).map_err(err)?;
        sheet.write_formula_with_format(r, 2, Formula::new(format!("=COUNTIF({range},\"{na}\")")), &f.center).map_err(err)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 1, "实际自评项合计", &f.total).map_err(err)?;
    sheet
        .write_formula_with_format(r, 2, Formula::new(format!("=SUM(C{level_first}:C{level_last})")), &f.total)
        .map_err(err)?;
    r += 2;
    sheet
        .write_string(
            r,
            1,
            "注：比例按最大余数法修约到0.01个百分点（与报告一致），各项比例合计恰为100.00%；修改自评结果后随公式重新计算。",
        )
        .map_err(err)?;
    Ok(())
}
