//! The table reader: header detection, the walk over the rows, codes.

use calamine::Data;
use ziping_core::system::{Grade, Level, NotApplicable};
use ziping_core::Points;

use super::meta::{self, INFO_SHEET, EXTRA_SHEET, FIGURE_SHEET};
use super::numbering::{self, collapse, Style};
use super::{ColumnRole, DetectedColumn, Loc, PreviewBonus, PreviewNode, SystemPreview, SystemRead};
use crate::problem::Problem;
use crate::grid::{self, Grid};
use crate::norm::{col_letters, half_width};

/// Rows searched for the header.
const HEADER_SEARCH: u32 = 30;

#[derive(Clone, Debug, Default)]
pub(crate) struct RawNode {
    /// The final code (after qualification and generation).
    pub code: String,
    pub explicit: Option<String>,
    pub style: Option<Style>,
    pub from_column: bool,
    pub title: String,
    pub max_score: Option<Points>,
    pub text: Option<String>,
    pub rule: Option<String>,
    pub evidence: Vec<String>,
    pub note: Option<String>,
    /// 1-based row, 0-based column of the cell that started the node.
    pub row: u32,
    pub col: u32,
    pub header: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct RawBonus {
    pub code: String,
    pub title: String,
    pub score: Option<Points>,
    pub row: u32,
    pub col: u32,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Raw {
    pub file: String,
    pub sha256: String,
    pub sheet: String,
    pub nodes: Vec<RawNode>,
    pub roots: Vec<usize>,
    pub bonus: Vec<RawBonus>,
    /// (1-based row, column letters, header) of the 合计 row's total.
    pub total_at: Option<(u32, String, String)>,
    /// 1-based row of the 加分项 heading.
    pub bonus_row: Option<u32>,
    pub score_col: Option<(String, String)>,
    /// Problems found while reading (table level).
    pub problems: Vec<Problem>,
    pub has_rating_columns: bool,
    /// The 合计 row's total.
    pub declared_total: Option<Points>,
    /// The cap from the 加分项 heading.
    pub bonus_cap: Option<Points>,
    /// The table is a Word table: columns are named "第N列".
    pub word: bool,
}

impl Raw {
    /// A column as problems name it: letters, or "第N" in a Word table.
    pub fn colname(&self, c: u32) -> String {
        if self.word {
            format!("第{}", c + 1)
        } else {
            col_letters(c)
        }
    }

    pub fn loc(&self) -> Loc {
        let l = Loc::file(&self.file);
        if self.sheet.is_empty() {
            l
        } else {
            l.sheet(&self.sheet)
        }
    }
}

fn strip_paren(s: &str) -> &str {
    // "测评点（评价要点）" → "测评点"; "分值（分）" → "分值".
    match s.find(['（', '(']) {
        Some(i) if i > 0 => &s[..i],
        _ => s,
    }
}

/// What a header word means.
pub(crate) fn classify(label: &str) -> Option<ColumnRole> {
    let full: String = half_width(label).chars().filter(|c| !c.is_whitespace()).collect();
    if full.is_empty() {
        return None;
    }
    let base = strip_paren(&full.replace('(', "（")).to_string();
    let base = base.trim_end_matches(['：', ':']).to_string();
    const LEVEL: &[&str] = &[
        "一级指标", "二级指标", "三级指标", "四级指标", "一级", "二级", "三级", "评价内容", "测评内容", "测评点",
        "评价指标", "评估指标", "评估内容", "评估方面", "评价项目", "评估项目", "考核项目", "考核内容", "考核指标",
        "指标名称", "A级指标", "B级指标", "C级指标", "评价要素", "评估要素", "指标", "项目", "重点职责", "评价维度",
        "主要职责", "职责", "评估项",
    ];
    const CODE: &[&str] = &["序号", "编号", "代码", "指标编号", "指标代码", "编码", "测评点编号"];
    const SCORE: &[&str] = &["分值", "分数", "标准分", "满分", "赋分", "权重分", "权重", "标准分值", "指标分值", "分值分"];
    const RULE: &[&str] = &[
        "评分标准", "评分细则", "评分办法", "评分方法", "评分说明", "评价标准", "评估标准", "考核标准", "计分办法",
        "评分要求", "扣分标准", "评分依据", "评定标准", "评价方法", "评估方法", "评分规则",
    ];
    const TEXT: &[&str] = &[
        "测评要点", "评价要点", "评估要点", "考核要点", "指标内涵", "要点", "主要内容", "具体内容", "指标说明",
        "内涵说明", "基本要求", "工作要求", "评价内容要点",
    ];
    const EVIDENCE: &[&str] = &[
        "佐证材料", "佐证材料要求", "证明材料", "备查材料", "佐证资料", "支撑材料", "印证材料", "查阅材料", "材料清单",
        "佐证材料清单", "主要佐证材料", "需提供的佐证材料", "支撑材料要求", "备查资料",
    ];
    const NOTE: &[&str] = &["备注", "说明", "注"];
    const RATING: &[&str] =
        &["完全落实", "基本落实", "未落实", "不适用", "较少落实", "部分落实", "优秀", "良好", "合格", "不合格", "达标", "基本达标", "未达标"];
    const FILL: &[&str] = &[
        "自评得分", "得分", "自评分", "自评等级", "评定等级", "自评情况", "自评说明", "存在问题", "整改措施", "自评结果",
        "评价等级", "落实情况", "实际得分", "扣分", "扣分原因", "核查得分", "评估得分",
    ];
    let role = if LEVEL.contains(&base.as_str()) || base.ends_with("级指标") {
        ColumnRole::Level
    } else if CODE.contains(&base.as_str()) {
        ColumnRole::Code
    } else if SCORE.contains(&base.as_str()) {
        ColumnRole::Score
    } else if RULE.contains(&base.as_str()) {
        ColumnRole::Rule
    } else if TEXT.contains(&base.as_str()) {
        ColumnRole::Text
    } else if EVIDENCE.contains(&base.as_str()) {
        ColumnRole::Evidence
    } else if NOTE.contains(&base.as_str()) {
        ColumnRole::Note
    } else if RATING.contains(&base.as_str()) {
        ColumnRole::Rating
    } else if FILL.contains(&base.as_str()) || base.starts_with("自评") {
        ColumnRole::Fill
    } else {
        return None;
    };
    Some(role)
}

/// The level name from a level header: "测评点（评价要点）" → "测评点".
fn level_name(label: &str) -> String {
    let full = collapse(label);
    strip_paren(&full.replace('(', "（")).trim_end_matches(['：', ':']).to_string()
}

struct Header {
    rows: Vec<u32>,
    /// (0-based column, header text, role)
    cols: Vec<(u32, String, Option<ColumnRole>)>,
}

fn cell(g: &Grid, r: u32, c: u32) -> String {
    grid::text(g.get(r, c)).trim().to_string()
}

fn find_header(g: &Grid) -> Option<Header> {
    let end = g.end_row().min(g.first_row().saturating_add(HEADER_SEARCH));
    for r in g.first_row()..end {
        let mut cols = Vec::new();
        let mut two_rows = false;
        // A second header row only counts below a row that names a column itself (a title row
        // merged across the table is not a group header).
        let own = (0..g.end_col()).any(|c| classify(&collapse(&grid::text(g.filled(r, c)))).is_some());
        for c in 0..g.end_col() {
            let top = collapse(&grid::text(g.filled(r, c)));
            let mut label = top.clone();
            let mut role = classify(&top);
            // Two-row header: a wide group cell ("评价指标" over 一级 | 二级 | 三级) or a cell whose
            // next row names a level.
            if own && r + 1 < g.end_row() {
                let below = collapse(&grid::text(g.get(r + 1, c)));
                let below_role = classify(&below);
                if !below.is_empty() && below_role.is_some() && (g.in_wide_merge(r, c) || role.is_none()) {
                    two_rows = true;
                    label = if top.is_empty() { below.clone() } else { format!("{top}／{below}") };
                    role = below_role;
                }
            }
            if !label.is_empty() {
                cols.push((c, label, role));
            }
        }
        let levels = cols.iter().filter(|c| c.2 == Some(ColumnRole::Level)).count();
        let known = cols.iter().filter(|c| c.2.is_some()).count();
        if levels >= 1 && (known >= 2 || levels >= 2) {
            let rows = if two_rows { vec![r, r + 1] } else { vec![r] };
            return Some(Header { rows, cols });
        }
    }
    None
}

fn is_note_start(s: &str) -> bool {
    let t = collapse(&half_width(s));
    ["注：", "注:", "注1", "注①", "说明：", "说明:", "备注：", "备注:", "附注", "填表说明", "注释", "注 ", "注意："]
        .iter()
        .any(|p| t.starts_with(p))
        || t == "注"
}

fn is_total_label(s: &str) -> bool {
    let t: String = collapse(s).chars().filter(|c| !c.is_whitespace()).collect();
    matches!(t.as_str(), "合计" | "总计" | "总分" | "合计分值" | "分值合计" | "总分值" | "满分" | "合计（分）" | "总分（分）")
}

fn is_bonus_heading(title: &str) -> bool {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(t.as_str(), "加分项" | "加分指标" | "加分" | "附加分" | "奖励加分" | "加分项目" | "特色加分" | "创新加分" | "加分因素")
        || (t.starts_with("加分") && t.chars().count() <= 6)
}

fn is_penalty_heading(title: &str) -> bool {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(t.as_str(), "扣分项" | "否决项" | "一票否决" | "一票否决项" | "扣分指标" | "减分项" | "约束性指标")
}

/// A score cell: number or text ("5", "5分", "５"). `Err` carries the reason.
pub(crate) fn parse_score(d: &Data) -> Result<Option<Points>, String> {
    match d {
        Data::Empty => Ok(None),
        Data::Int(i) => Ok(Some(Points::whole(*i))),
        Data::Float(f) => Points::from_f64_exact(*f).map(Some).ok_or_else(|| "分值最多两位小数".to_string()),
        Data::String(s) => {
            let t: String = half_width(s).chars().filter(|c| !c.is_whitespace()).collect();
            let t = t.trim_end_matches('分');
            if t.is_empty() {
                return Ok(None);
            }
            Points::parse(t).map(Some).ok_or_else(|| "分值不是数字（最多两位小数）".to_string())
        }
        other => Err(format!("分值“{}”不是数字", grid::text(other))),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    /// The level index of the 加分项 heading.
    Bonus(usize),
    Penalty(usize),
    Notes,
}

/// Reads the grids of a workbook.
pub(crate) fn read_grids(file: &str, sha: &str, grids: &[Grid]) -> SystemRead {
    let mut raw = Raw { file: file.to_string(), sha256: sha.to_string(), ..Raw::default() };
    let mut notes = Vec::new();
    let mut title = None;
    let mut columns = Vec::new();
    let mut header_rows = Vec::new();
    let mut level_names = Vec::new();
    let mut levels_detected: Vec<Level> = Vec::new();
    let mut na_detected: Option<NotApplicable> = None;

    let mut embedded_problems = Vec::new();
    let embedded = meta::read_embedded(file, grids, &mut embedded_problems);

    let found = grids
        .iter()
        .filter(|g| ![INFO_SHEET, FIGURE_SHEET, EXTRA_SHEET].contains(&g.name.as_str()))
        .find_map(|g| find_header(g).map(|h| (g, h)));
    match found {
        None => {
            let names: Vec<String> = grids.iter().map(|g| format!("“{}”", g.name)).collect();
            raw.problems.push(Loc::file(file).error(format!(
                "没有找到指标体系表：前{HEADER_SEARCH}行中没有“一级指标”“二级指标”“测评点”“分值”“评分标准”这样的表头（工作表：{}）",
                names.join("、")
            )));
        }
        Some((g, h)) => {
            raw.sheet = g.name.clone();
            raw.word = g.word_table;
            header_rows = h.rows.iter().map(|r| r + 1).collect();
            title = find_title(g, h.rows[0]);
            walk(g, &h, &mut raw, &mut notes);
            let mut level_no = 0;
            for (c, label, role) in &h.cols {
                let letters = raw.colname(*c);
                let (role, level, meaning) = match role {
                    Some(ColumnRole::Level) => {
                        level_no += 1;
                        let name = level_name(label.rsplit('／').next().unwrap_or(label));
                        level_names.push(name.clone());
                        (ColumnRole::Level, Some(level_no), format!("第{level_no}级指标“{name}”"))
                    }
                    Some(ColumnRole::Rating) => {
                        let l = level_name(label.rsplit('／').next().unwrap_or(label));
                        if l == "不适用" {
                            na_detected = Some(NotApplicable {
                                code: "NA".into(),
                                label: l.clone(),
                                phrase: "不属于本级履行教育职责范围".into(),
                            });
                        } else {
                            let code = ((b'A' + levels_detected.len().min(25) as u8) as char).to_string();
                            levels_detected.push(Level { code, label: l.clone(), needs_explanation: false });
                        }
                        (ColumnRole::Rating, None, format!("评定等级“{l}”（勾选列，不导入内容）"))
                    }
                    Some(r) => (*r, None, role_meaning(*r).to_string()),
                    None => {
                        raw.problems.push(
                            raw.loc().row(h.rows[0] + 1).col(&letters, label).warning("未识别的列，不导入其内容"),
                        );
                        (ColumnRole::Ignored, None, "不导入".to_string())
                    }
                };
                columns.push(DetectedColumn { col: letters, header: label.clone(), role, level, meaning });
            }
        }
    }
    raw.problems.extend(embedded_problems);
    let several = levels_detected.len() > 1;
    if let Some(last) = levels_detected.last_mut() {
        last.needs_explanation = several;
    }
    raw.has_rating_columns = !levels_detected.is_empty();
    if levels_detected.is_empty() {
        levels_detected = default_levels();
        na_detected = Some(default_na());
    }
    assign_codes(&mut raw);

    let leaf_sum = raw
        .nodes
        .iter()
        .filter(|n| n.children.is_empty())
        .filter_map(|n| n.max_score)
        .fold(Points::ZERO, |a, b| a + b);
    let scored_leaves = raw.nodes.iter().filter(|n| n.children.is_empty() && n.max_score.is_some()).count();
    let (model, model_reason) = if raw.has_rating_columns {
        ("rated", "表中有评定等级列（如“完全落实”“基本落实”），按等级评定。".to_string())
    } else if let Some((col, header)) = raw.score_col.clone().filter(|_| scored_leaves > 0) {
        ("points", format!("表中有“{header}”列（{col}列），{scored_leaves}个测评点有分值，按分值评分。"))
    } else {
        ("rated", "表中没有分值，按等级评定（完全落实、基本落实、未落实）。".to_string())
    };
    let total = raw.declared_total.unwrap_or(leaf_sum);
    let year = title.as_deref().and_then(find_year);
    let tree: Vec<PreviewNode> = raw.roots.iter().map(|&i| preview_node(&raw, i)).collect();
    let bonus: Vec<PreviewBonus> = raw
        .bonus
        .iter()
        .map(|b| PreviewBonus { code: b.code.clone(), title: b.title.clone(), score: b.score, row: b.row })
        .collect();
    let bonus_cap = raw.bonus_cap;
    let problems = std::mem::take(&mut raw.problems);
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let preview = SystemPreview {
        file: file.to_string(),
        sha256: sha.to_string(),
        sheet: raw.sheet.clone(),
        header_rows,
        columns,
        title,
        year,
        level_names,
        model: model.to_string(),
        model_reason,
        declared_total: raw.declared_total,
        leaf_sum,
        levels: levels_detected,
        not_applicable: na_detected,
        suggested_grades: suggested_grades(total),
        bonus_cap,
        groups: raw.roots.len(),
        leaves: raw.nodes.iter().filter(|n| n.children.is_empty()).count(),
        tree,
        bonus,
        notes,
        embedded,
        warnings: problems.len() - errors,
        errors,
        problems,
    };
    raw.problems = preview.problems.clone();
    SystemRead { preview, raw }
}

pub(crate) fn default_levels() -> Vec<Level> {
    vec![
        Level { code: "A".into(), label: "完全落实".into(), needs_explanation: false },
        Level { code: "B".into(), label: "基本落实".into(), needs_explanation: false },
        Level { code: "C".into(), label: "未落实".into(), needs_explanation: true },
    ]
}

pub(crate) fn default_na() -> NotApplicable {
    NotApplicable { code: "NA".into(), label: "不适用".into(), phrase: "不属于本级履行教育职责范围".into() }
}

/// 90 % / 75 % / 60 % / 0 of the total, as the usual A/B/C/D cut-offs.
pub(crate) fn suggested_grades(total: Points) -> Vec<Grade> {
    let at = |pct: i64| Points((total.0 * pct + 50) / 100 / 10 * 10);
    vec![
        Grade { grade: "A".into(), min: at(90) },
        Grade { grade: "B".into(), min: at(75) },
        Grade { grade: "C".into(), min: at(60) },
        Grade { grade: "D".into(), min: Points::ZERO },
    ]
}

fn role_meaning(r: ColumnRole) -> &'static str {
    match r {
        ColumnRole::Level => "指标层级",
        ColumnRole::Code => "编号",
        ColumnRole::Score => "分值",
        ColumnRole::Text => "测评要点",
        ColumnRole::Rule => "评分标准",
        ColumnRole::Evidence => "佐证材料",
        ColumnRole::Note => "备注",
        ColumnRole::Rating => "评定等级",
        ColumnRole::Fill => "自评时填写（不导入）",
        ColumnRole::Ignored => "不导入",
    }
}

fn find_title(g: &Grid, header_row: u32) -> Option<String> {
    let mut best: Option<String> = None;
    for r in g.first_row()..header_row {
        let t = (0..g.end_col()).map(|c| cell(g, r, c)).find(|t| !t.is_empty());
        let Some(t) = t else { continue };
        let t = collapse(&t);
        let plain: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if plain.starts_with("附件") && plain.chars().count() <= 6 {
            continue;
        }
        let t = t.trim_matches(['《', '》']).to_string();
        if best.as_ref().is_none_or(|b| t.chars().count() > b.chars().count()) {
            best = Some(t);
        }
    }
    best
}

fn find_year(s: &str) -> Option<i32> {
    let chars: Vec<char> = s.chars().collect();
    for w in chars.windows(4) {
        if w.iter().all(|c| c.is_ascii_digit()) {
            let y: String = w.iter().collect();
            if let Ok(y) = y.parse::<i32>() {
                if (2000..=2100).contains(&y) {
                    return Some(y);
                }
            }
        }
    }
    None
}

fn preview_node(raw: &Raw, i: usize) -> PreviewNode {
    let n = &raw.nodes[i];
    PreviewNode {
        code: n.code.clone(),
        title: n.title.clone(),
        max_score: n.max_score,
        text: n.text.clone(),
        scoring_rule: n.rule.clone(),
        evidence: n.evidence.clone(),
        note: n.note.clone(),
        row: n.row,
        col: raw.colname(n.col),
        children: n.children.iter().map(|&c| preview_node(raw, c)).collect(),
    }
}

fn append(field: &mut Option<String>, text: &str) {
    match field {
        Some(f) if !f.is_empty() => {
            f.push('\n');
            f.push_str(text);
        }
        _ => *field = Some(text.to_string()),
    }
}

/// A text cell's content: ends trimmed, Windows line ends folded.
fn text_value(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n").trim().to_string()
}

fn evidence_lines(s: &str) -> Vec<String> {
    text_value(s).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// The walk over the data rows.
fn walk(g: &Grid, h: &Header, raw: &mut Raw, notes: &mut Vec<String>) {
    let level_cols: Vec<(u32, String)> =
        h.cols.iter().filter(|c| c.2 == Some(ColumnRole::Level)).map(|c| (c.0, c.1.clone())).collect();
    let deepest = level_cols.len() - 1;
    // Attribute columns and the level they belong to: a column left of the deepest level column
    // belongs to the nearest level column on its left; otherwise to the row's deepest node.
    let owner = |c: u32| -> Option<usize> {
        if c > level_cols[deepest].0 {
            return None;
        }
        level_cols.iter().rposition(|(lc, _)| *lc < c)
    };
    let attrs: Vec<(u32, String, ColumnRole, Option<usize>)> = h
        .cols
        .iter()
        .filter_map(|(c, label, role)| match role {
            Some(
                r @ (ColumnRole::Code
                | ColumnRole::Score
                | ColumnRole::Text
                | ColumnRole::Rule
                | ColumnRole::Evidence
                | ColumnRole::Note),
            ) => Some((*c, label.clone(), *r, owner(*c))),
            _ => None,
        })
        .collect();
    raw.score_col = attrs.iter().find(|a| a.2 == ColumnRole::Score).map(|a| (raw.colname(a.0), a.1.clone()));
    let mut stack: Vec<Option<usize>> = vec![None; level_cols.len()];
    let mut mode = Mode::Normal;
    let start = h.rows.last().copied().unwrap_or(0) + 1;
    for r in start..g.end_row() {
        let row1 = r + 1;
        let texts: Vec<String> = (0..g.end_col()).map(|c| cell(g, r, c)).collect();
        if texts.iter().all(String::is_empty) {
            continue;
        }
        let first = texts.iter().find(|t| !t.is_empty()).cloned().unwrap_or_default();
        if mode != Mode::Notes && is_note_start(&first) {
            mode = Mode::Notes;
        }
        if mode == Mode::Notes {
            let mut seen: Vec<&String> = Vec::new();
            for t in texts.iter().filter(|t| !t.is_empty()) {
                if !seen.contains(&t) {
                    seen.push(t);
                }
            }
            notes.push(seen.iter().map(|s| text_value(s)).collect::<Vec<_>>().join(" "));
            continue;
        }
        // The 合计 row.
        let label_cells: Vec<&String> = level_cols
            .iter()
            .map(|(c, _)| &texts[*c as usize])
            .chain(attrs.iter().filter(|a| a.2 == ColumnRole::Code).map(|a| &texts[a.0 as usize]))
            .collect();
        if label_cells.iter().any(|t| is_total_label(t)) {
            for a in attrs.iter().filter(|a| a.2 == ColumnRole::Score) {
                match parse_score(g.get(r, a.0)) {
                    Ok(Some(p)) => {
                        raw.declared_total = Some(p);
                        raw.total_at = Some((row1, raw.colname(a.0), a.1.clone()));
                    }
                    Ok(None) => {}
                    Err(e) => raw.problems.push(
                        raw.loc().row(row1).col(&raw.colname(a.0), &a.1).value(&texts[a.0 as usize]).error(format!("合计行的{e}")),
                    ),
                }
            }
            continue;
        }
        // New level cells on this row.
        let new_cells: Vec<(usize, numbering::Split, u32)> = level_cols
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| !texts[*c as usize].is_empty())
            .map(|(li, (c, _))| (li, numbering::split(&texts[*c as usize]), *c))
            .collect();
        // Sections.
        if let Some((li, s, _)) = new_cells.first() {
            let heading_level = match mode {
                Mode::Bonus(hl) | Mode::Penalty(hl) => Some(hl),
                _ => None,
            };
            if let Some(hl) = heading_level {
                let leaves_section = *li < hl || (*li == hl && hl < deepest);
                if leaves_section && !is_bonus_heading(&s.title) && !is_penalty_heading(&s.title) {
                    mode = Mode::Normal;
                }
            }
            if is_bonus_heading(&s.title) {
                mode = Mode::Bonus(*li);
                raw.bonus_row = Some(row1);
                raw.bonus_cap = s.score;
                if new_cells.len() == 1 && raw.bonus_cap.is_none() {
                    // "加分项 | | 5": the heading row's score is the cap.
                    for a in attrs.iter().filter(|a| a.2 == ColumnRole::Score) {
                        if let Ok(Some(p)) = parse_score(g.get(r, a.0)) {
                            raw.bonus_cap = Some(p);
                        }
                    }
                    continue;
                }
            } else if is_penalty_heading(&s.title) {
                mode = Mode::Penalty(*li);
                let (c, label) = &level_cols[*li];
                raw.problems.push(raw.loc().row(row1).col(&raw.colname(*c), label).value(&s.title).warning(
                    "扣分项（否决项）一节暂不导入，请在自评时按扣分处理；其中各行不导入",
                ));
                continue;
            }
        }
        match mode {
            Mode::Penalty(_) => continue,
            Mode::Bonus(hl) => {
                let item = new_cells.iter().rfind(|(li, s, _)| *li > hl || (*li == hl && !is_bonus_heading(&s.title)));
                let Some((_, s, c)) = item else { continue };
                let mut score = s.score;
                for a in attrs.iter().filter(|a| a.2 == ColumnRole::Score) {
                    match parse_score(g.get(r, a.0)) {
                        Ok(Some(p)) => score = Some(p),
                        Ok(None) => {}
                        Err(e) => raw.problems.push(
                            raw.loc().row(row1).col(&raw.colname(a.0), &a.1).value(&texts[a.0 as usize]).error(e),
                        ),
                    }
                }
                let code = s.code.clone().map(|c| bonus_code(&c, raw.bonus.len())).unwrap_or_else(|| format!("B{}", raw.bonus.len() + 1));
                if score.is_none() {
                    let header = level_cols.iter().find(|(lc, _)| lc == c).map(|(_, h)| h.clone()).unwrap_or_default();
                    raw.problems.push(raw.loc().row(row1).col(&raw.colname(*c), &header).value(&s.title).error("加分项没有分值"));
                }
                raw.bonus.push(RawBonus { code, title: s.title.clone(), score, row: row1, col: *c });
                continue;
            }
            _ => {}
        }
        // Normal rows: start the new nodes, shallow to deep.
        let mut started: Option<usize> = None;
        for (li, s, c) in &new_cells {
            let parent = (0..*li).rev().find_map(|k| stack[k]);
            let idx = raw.nodes.len();
            let header = level_cols[*li].1.clone();
            if s.title.is_empty() {
                raw.problems.push(
                    raw.loc()
                        .row(row1)
                        .col(&raw.colname(*c), &header)
                        .value(&texts[*c as usize])
                        .error("指标只有编号，没有名称"),
                );
            }
            raw.nodes.push(RawNode {
                explicit: s.code.clone(),
                style: s.style,
                title: s.title.clone(),
                max_score: s.score,
                row: row1,
                col: *c,
                header,
                parent,
                ..RawNode::default()
            });
            match parent {
                Some(p) => raw.nodes[p].children.push(idx),
                None => raw.roots.push(idx),
            }
            stack[*li] = Some(idx);
            for s in stack.iter_mut().skip(li + 1) {
                *s = None;
            }
            started = Some(idx);
        }
        let current = stack.iter().rev().find_map(|s| *s);
        for (c, label, role, own) in &attrs {
            let d = g.get(r, *c);
            let t = &texts[*c as usize];
            if t.is_empty() {
                continue;
            }
            let letters = raw.colname(*c);
            let target = match own {
                Some(l) => stack[*l],
                None => started.or(current),
            };
            let Some(target) = target else {
                raw.problems.push(
                    raw.loc().row(row1).col(&letters, label).value(t).error("该行没有所属的指标（指标列为空），内容无法归属"),
                );
                continue;
            };
            let continuation = own.is_none() && started.is_none();
            let node = &mut raw.nodes[target];
            match role {
                ColumnRole::Score => match parse_score(d) {
                    Ok(Some(p)) => {
                        if continuation || (node.max_score.is_some() && own.is_some() && node.row != row1) {
                            let what = if node.children.is_empty() && own.is_none() {
                                "该行有分值，但测评点名称为空（指标列为空且未与上一行合并）"
                            } else {
                                "同一指标有两个分值"
                            };
                            let problem = Loc::file(&raw.file).sheet(&raw.sheet).row(row1).col(&letters, label).value(t).error(what);
                            raw.problems.push(problem);
                        } else {
                            node.max_score = Some(p);
                        }
                    }
                    Ok(None) => {}
                    Err(e) => {
                        let problem = Loc::file(&raw.file).sheet(&raw.sheet).row(row1).col(&letters, label).value(t).error(e);
                        raw.problems.push(problem);
                    }
                },
                ColumnRole::Code if !continuation => {
                    let code = collapse(&half_width(&grid::text(d)));
                    let code = code.trim_end_matches(['.', '、']).to_string();
                    node.explicit = Some(code);
                    node.from_column = true;
                    node.style = None;
                }
                ColumnRole::Text => append(&mut node.text, &text_value(t)),
                ColumnRole::Rule => append(&mut node.rule, &text_value(t)),
                ColumnRole::Note => append(&mut node.note, &text_value(t)),
                ColumnRole::Evidence => node.evidence.extend(evidence_lines(t)),
                _ => {}
            }
        }
    }
}

/// Bonus item codes must differ from node codes: "1" → "B1"; "B1" stays.
fn bonus_code(code: &str, index: usize) -> String {
    if code.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        code.to_string()
    } else if code.chars().all(|c| c.is_ascii_digit()) {
        format!("B{code}")
    } else {
        format!("B{}", index + 1)
    }
}

/// Arabic value of a local number ("①" → 1, "（3）" → 3, "二" → 2), for qualified codes.
fn local_number(code: &str) -> String {
    let c: Vec<char> = code.chars().collect();
    if c.len() == 1 && ('\u{2460}'..='\u{2473}').contains(&c[0]) {
        return (c[0] as u32 - 0x2460 + 1).to_string();
    }
    let inner = code.trim_matches(['（', '）']);
    if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
        return inner.to_string();
    }
    if let Some(n) = chinese_number(inner) {
        return n.to_string();
    }
    inner.to_string()
}

fn chinese_number(s: &str) -> Option<u32> {
    let d = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => d(*a),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}

/// Final codes: explicit ones kept; numbers restarted under each parent ("①" under several
/// 测评内容) qualified with the parent's code ("3.1"); missing ones generated from the position.
fn assign_codes(raw: &mut Raw) {
    use std::collections::HashMap;
    let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, n) in raw.nodes.iter().enumerate() {
        if let Some(c) = &n.explicit {
            by_code.entry(c.clone()).or_default().push(i);
        }
    }
    let mut qualify = vec![false; raw.nodes.len()];
    for list in by_code.values().filter(|l| l.len() > 1) {
        let restartable = list.iter().all(|&i| {
            let n = &raw.nodes[i];
            !n.from_column && n.parent.is_some() && !matches!(n.style, Some(Style::Dotted | Style::Letter))
        });
        let mut parents: Vec<Option<usize>> = list.iter().map(|&i| raw.nodes[i].parent).collect();
        parents.sort();
        parents.dedup();
        if restartable && parents.len() == list.len() {
            for &i in list {
                qualify[i] = true;
            }
        }
    }
    fn visit(raw: &mut Raw, i: usize, parent_code: Option<String>, pos: usize, qualify: &[bool]) {
        let code = {
            let n = &raw.nodes[i];
            match (&n.explicit, &parent_code) {
                (Some(c), Some(p)) if qualify[i] => format!("{p}.{}", local_number(c)),
                (Some(c), _) => c.clone(),
                (None, Some(p)) => format!("{p}.{}", pos + 1),
                (None, None) => (pos + 1).to_string(),
            }
        };
        raw.nodes[i].code = code.clone();
        let children = raw.nodes[i].children.clone();
        for (k, c) in children.into_iter().enumerate() {
            visit(raw, c, Some(code.clone()), k, qualify);
        }
    }
    let roots = raw.roots.clone();
    for (k, r) in roots.into_iter().enumerate() {
        visit(raw, r, None, k, &qualify);
    }
}
