//! The report as a document model: what the 自查报告 says, independent of PDF or DOCX.
//!
//! [`build`] turns the assessment data ([`ReportData`], filled by `ziping-app`) and the user's
//! choices ([`ReportOptions`]) into a list of [`Block`]s. The PDF layout and the DOCX writer both
//! render that list, so the two files always say the same thing.
//!
//! Numbering follows GB/T 9704: 一、 → （一） → 1. → （1）. The report's own sections take 一、;
//! in 三、履职情况 the top-level groups of the indicator system take （一）, the next level 1.
//! (run-in, bold, at the start of its paragraph) and a third level （1） (run-in, plain).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ziping_core::scoring::leaf_score;
use ziping_core::summary::Summary;
use ziping_core::text::{leaf_noun, we_region};
use ziping_core::{Entry, IndicatorSystem, Node, Points, ScoringModel};

/// One evidence item for 附件2.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRow {
    pub title: String,
    pub doc_no: String,
    pub date: String,
    pub sha256: String,
    /// Codes of the linked leaves.
    pub points: Vec<String>,
}

/// One computed figure for 附件3.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FigureRow {
    pub title: String,
    pub stage: String,
    pub value: String,
    /// "≤0.50", "≥85%" or "".
    pub standard: String,
    /// "达标", "未达标" or "".
    pub result: String,
}

/// Everything the report says, as loaded by `ziping-app`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportData {
    pub region: String,
    pub year: i32,
    /// 填报单位 (the 落款).
    pub organ: String,
    pub system: IndicatorSystem,
    pub entries: BTreeMap<String, Entry>,
    pub summary: Summary,
    /// The 自评结论 paragraph, as `ziping-core` phrases it.
    pub conclusion: String,
    /// Generated 基本情况 paragraphs (from the imported statistics); empty when there are none.
    pub basic_info: Vec<String>,
    pub evidence: Vec<EvidenceRow>,
    pub figures: Vec<FigureRow>,
    /// The report's date as (year, month, day): the 落款 and the PDF metadata.
    pub date: (i32, u32, u32),
}

/// Which parts to include.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sections {
    pub basic_info: bool,
    pub conclusion: bool,
    pub chart: bool,
    pub performance: bool,
    pub problems: bool,
    pub measures: bool,
    pub signature: bool,
    pub appendix_scores: bool,
    pub appendix_evidence: bool,
    pub appendix_data: bool,
}

impl Default for Sections {
    fn default() -> Self {
        Sections {
            basic_info: true,
            conclusion: true,
            chart: true,
            performance: true,
            problems: true,
            measures: true,
            signature: true,
            appendix_scores: true,
            appendix_evidence: true,
            appendix_data: true,
        }
    }
}

/// The user's choices for the text; every field has a sensible default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// 标题; default "{organ-less region}人民政府关于{year}年度履行教育职责情况的自查自评报告".
    pub title: Option<String>,
    /// 主送机关; default "{上级}人民政府教育督导委员会办公室" is not knowable, so "市人民政府教育督导委员会办公室".
    pub recipient: Option<String>,
    /// The basis paragraph (根据《…》要求…).
    pub basis: Option<String>,
    /// Replaces the generated 基本情况 paragraphs (one per line).
    pub basic_info: Option<String>,
    /// 落款 organ; default the assessment's organ.
    pub signature: Option<String>,
    /// 成文日期 as "2025-01-05" (also "2025年1月5日", "2025/1/5"); default the export's day.
    /// Written in the 落款 as 2025年1月5日 and used as the PDF's dates.
    pub date: Option<String>,
    pub sections: Sections,
}

/// A table cell's alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    Center,
}

/// A table column: header, relative width, alignment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    pub header: String,
    pub width: f32,
    pub align: Align,
}

/// A table row: cells, or one cell spanning all columns (a group heading).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Row {
    Cells(Vec<String>),
    Group(String),
    /// A totals row (bold).
    Total(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// One bar group of the chart: a label and values per series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chart {
    pub caption: String,
    /// Series names (完全落实, 基本落实, …) or (得分, 失分).
    pub series: Vec<String>,
    /// Per category: label, values per series (stacked horizontally).
    pub bars: Vec<(String, Vec<f64>)>,
    /// What a bar's total means ("项" or "分").
    pub unit: String,
}

/// A run of text inside a paragraph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    pub text: String,
    /// Run-in heading ("1.…" in bold 仿宋).
    pub bold: bool,
    /// Run-in heading in 楷体.
    pub kai: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Run {
        Run { text: text.into(), bold: false, kai: false }
    }
    pub fn bold(text: impl Into<String>) -> Run {
        Run { text: text.into(), bold: true, kai: false }
    }
}

/// One block of the document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Block {
    Title(String),
    /// 主送机关, ending with "：".
    Recipient(String),
    /// Own-line heading: level 1 "一、" (黑体), level 2 "（一）" (楷体).
    Heading { level: u8, text: String },
    Para(Vec<Run>),
    Chart(Chart),
    Signature { organ: String, date: String },
    /// New page, "附件N" and the appendix title, then the table.
    Appendix { label: String, title: String, table: Table },
}

/// The built report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub title: String,
    pub author: String,
    /// The date as written in the 落款.
    pub date: String,
    pub date_ymd: (i32, u32, u32),
    pub blocks: Vec<Block>,
}

const CN_NUM: [&str; 21] = [
    "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六",
    "十七", "十八", "十九", "二十",
];

/// "一", "二", … "二十", then Arabic digits.
pub fn cn_number(n: usize) -> String {
    CN_NUM.get(n).map(|s| s.to_string()).unwrap_or_else(|| n.to_string())
}

/// A calendar date written as "2025-01-05", "2025/1/5", "2025.1.5" or "2025年1月5日";
/// `None` when it is not a real date (2025-02-30) or not a year between 1900 and 2200.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let t = s.trim().trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let digits = |p: &str| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit());
    if !(digits(y) && digits(m) && digits(d)) {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&y) && (1..=days).contains(&d)).then_some((y, m, d))
}

/// "2024年1月5日": no leading zeros.
pub fn chinese_date(y: i32, m: u32, d: u32) -> String {
    format!("{y}年{m}月{d}日")
}

/// The default title.
pub fn default_title(data: &ReportData) -> String {
    format!("{}人民政府关于{}年度履行教育职责情况的自查自评报告", data.region.trim_end_matches("人民政府"), data.year)
}

/// Ends a sentence with "。" unless it already ends with sentence punctuation.
fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() || t.ends_with(['。', '！', '？', '；', '”', '）']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

/// The rating or score of a leaf as the report states it: "完全落实", "不适用", "8分（满分10分）".
pub fn leaf_result(system: &IndicatorSystem, leaf: &Node, entry: Option<&Entry>) -> String {
    match &system.scoring {
        ScoringModel::Rated(m) => {
            let Some(code) = entry.and_then(|e| e.rating.as_deref()) else { return "未自评".into() };
            if let Some(na) = m.not_applicable.as_ref().filter(|na| na.code == code) {
                return na.label.clone();
            }
            m.levels.iter().find(|l| l.code == code).map(|l| l.label.clone()).unwrap_or_else(|| code.to_string())
        }
        ScoringModel::Points(_) => match entry.filter(|e| e.is_scored()) {
            Some(e) => format!("{}分", leaf_score(leaf, e)),
            None => "未评分".into(),
        },
    }
}

fn is_points(system: &IndicatorSystem) -> bool {
    matches!(system.scoring, ScoringModel::Points(_))
}

/// Builds the document model.
pub fn build(data: &ReportData, options: &ReportOptions) -> Report {
    let s = &options.sections;
    let we = we_region(&data.region);
    let noun = leaf_noun(&data.system);
    let title = options.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| default_title(data));
    let organ = options.signature.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| data.organ.clone());
    let date_ymd = options.date.as_deref().and_then(parse_date).unwrap_or(data.date);
    let date = chinese_date(date_ymd.0, date_ymd.1, date_ymd.2);
    let mut blocks = vec![Block::Title(title.clone())];
    blocks.push(Block::Recipient(
        options.recipient.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "市人民政府教育督导委员会办公室".into()),
    ));
    let basis = options.basis.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| {
        format!(
            "根据《{}》的要求，{we}对照评价指标，对{}年度履行教育职责情况逐项开展了自查自评。现将有关情况报告如下：",
            data.system.name, data.year
        )
    });
    blocks.push(Block::Para(vec![Run::plain(basis)]));

    let mut section = 0;
    let mut heading = |blocks: &mut Vec<Block>, text: &str| {
        section += 1;
        blocks.push(Block::Heading { level: 1, text: format!("{}、{text}", cn_number(section)) });
    };

    // 一、基本情况
    if s.basic_info {
        let paras: Vec<String> = match &options.basic_info {
            Some(t) if !t.trim().is_empty() => t.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
            _ => data.basic_info.clone(),
        };
        if !paras.is_empty() {
            heading(&mut blocks, "基本情况");
            for p in paras {
                blocks.push(Block::Para(vec![Run::plain(sentence(&p))]));
            }
        }
    }

    // 二、自评结论
    if s.conclusion {
        heading(&mut blocks, "自评结论");
        blocks.push(Block::Para(vec![Run::plain(sentence(&data.conclusion))]));
        if s.chart {
            if let Some(chart) = chart(data) {
                blocks.push(Block::Chart(chart));
            }
        }
    }

    // 三、履职情况
    if s.performance {
        heading(&mut blocks, "履职情况");
        performance(data, &mut blocks);
    }

    // 四、存在问题
    let leaves = data.system.leaves();
    if s.problems {
        heading(&mut blocks, "存在问题");
        let mut items: Vec<String> = Vec::new();
        for leaf in &leaves {
            let Some(e) = data.entries.get(&leaf.code) else { continue };
            if !e.problems.trim().is_empty() {
                items.push(format!("{}（{}）", sentence(&e.problems).trim_end_matches('。'), leaf.title));
            } else {
                for d in &e.deductions {
                    if !d.reason.trim().is_empty() {
                        items.push(format!("{}（{}，扣{}分）", d.reason.trim().trim_end_matches('。'), leaf.title, d.amount));
                    }
                }
            }
        }
        if items.is_empty() {
            blocks.push(Block::Para(vec![Run::plain(format!(
                "经自查，{we}在本次自评涉及的各项{noun}中未发现需要单独列出的突出问题，但对照人民群众对优质教育的期盼，教育发展仍有提升空间。"
            ))]));
        } else {
            blocks.push(Block::Para(vec![Run::plain(format!(
                "对照评价指标，{we}在履行教育职责方面还存在以下问题和不足："
            ))]));
            for (i, it) in items.iter().enumerate() {
                blocks.push(Block::Para(vec![Run::plain(format!("{}.{}。", i + 1, it))]));
            }
        }
    }

    // 五、整改措施
    if s.measures {
        heading(&mut blocks, "整改措施");
        let items: Vec<String> = leaves
            .iter()
            .filter_map(|l| data.entries.get(&l.code))
            .map(|e| e.measures.trim().to_string())
            .filter(|m| !m.is_empty())
            .collect();
        blocks.push(Block::Para(vec![Run::plain(format!(
            "针对自查发现的问题，{we}将逐项建立整改台账，明确责任单位和完成时限，确保按期整改到位。"
        ))]));
        for (i, m) in items.iter().enumerate() {
            blocks.push(Block::Para(vec![Run::plain(format!("{}.{}", i + 1, sentence(m)))]));
        }
        blocks.push(Block::Para(vec![Run::plain(format!(
            "下一步，{we}将把履行教育职责情况纳入年度工作考核，持续加大教育投入，补齐办学条件短板，推动全县教育事业高质量发展。"
        ))]));
    }

    if s.signature {
        blocks.push(Block::Signature { organ: organ.clone(), date: date.clone() });
    }

    // Appendices.
    let mut n = 0;
    if s.appendix_scores {
        n += 1;
        blocks.push(Block::Appendix { label: format!("附件{n}"), title: "自评打分表".into(), table: score_table(data) });
    }
    if s.appendix_evidence {
        n += 1;
        blocks.push(Block::Appendix { label: format!("附件{n}"), title: "佐证材料清单".into(), table: evidence_table(data) });
    }
    if s.appendix_data && !data.figures.is_empty() {
        n += 1;
        blocks.push(Block::Appendix { label: format!("附件{n}"), title: "主要数据指标".into(), table: figure_table(data) });
    }

    Report { title, author: organ, date, date_ymd, blocks }
}

fn performance(data: &ReportData, blocks: &mut Vec<Block>) {
    let system = &data.system;
    let points = is_points(system);
    for (gi, group) in system.children.iter().enumerate() {
        blocks.push(Block::Heading { level: 2, text: format!("（{}）{}", cn_number(gi + 1), group.title.trim()) });
        if group.is_leaf() {
            blocks.push(leaf_para(data, group, None, points));
            continue;
        }
        for (i, child) in group.children.iter().enumerate() {
            if child.is_leaf() {
                blocks.push(leaf_para(data, child, Some(format!("{}.", i + 1)), points));
            } else {
                blocks.push(Block::Para(vec![Run::bold(format!("{}.{}", i + 1, sentence(child.title.trim())))]));
                for (j, leaf) in child.leaves_flat().iter().enumerate() {
                    blocks.push(leaf_para_plain(data, leaf, format!("（{}）", j + 1), points));
                }
            }
        }
    }
}

trait Flat {
    fn leaves_flat(&self) -> Vec<&Node>;
}

impl Flat for Node {
    fn leaves_flat(&self) -> Vec<&Node> {
        fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
            if n.is_leaf() {
                out.push(n);
            } else {
                for c in &n.children {
                    walk(c, out);
                }
            }
        }
        let mut out = Vec::new();
        for c in &self.children {
            walk(c, &mut out);
        }
        out
    }
}

fn leaf_text(data: &ReportData, leaf: &Node, points: bool) -> String {
    let entry = data.entries.get(&leaf.code);
    let result = leaf_result(&data.system, leaf, entry);
    let note = entry.map(|e| e.note.trim()).unwrap_or("");
    let mut text = if points {
        let max = leaf.max_score.unwrap_or(Points::ZERO);
        format!("自评得分：{result}（分值{max}分）。")
    } else {
        format!("自评结果：{result}。")
    };
    if let Some(e) = entry {
        if points && !e.deductions.is_empty() {
            let ds: Vec<String> = e
                .deductions
                .iter()
                .map(|d| format!("因{}扣{}分", d.reason.trim().trim_end_matches('。'), d.amount))
                .collect();
            text.push_str(&format!("其中，{}。", ds.join("；")));
        }
    }
    if !note.is_empty() {
        text.push_str(&sentence(note));
    }
    text
}

fn leaf_para(data: &ReportData, leaf: &Node, number: Option<String>, points: bool) -> Block {
    let mut runs = Vec::new();
    if let Some(n) = number {
        runs.push(Run::bold(format!("{n}{}", sentence(leaf.title.trim()))));
    }
    runs.push(Run::plain(leaf_text(data, leaf, points)));
    Block::Para(runs)
}

fn leaf_para_plain(data: &ReportData, leaf: &Node, number: String, points: bool) -> Block {
    Block::Para(vec![Run::plain(format!("{number}{}", sentence(leaf.title.trim()))), Run::plain(leaf_text(data, leaf, points))])
}

fn chart(data: &ReportData) -> Option<Chart> {
    let system = &data.system;
    if system.children.is_empty() {
        return None;
    }
    let groups = system.leaf_groups();
    match &system.scoring {
        ScoringModel::Rated(m) => {
            let mut series: Vec<String> = m.levels.iter().map(|l| l.label.clone()).collect();
            let na = m.not_applicable.as_ref();
            if let Some(na) = na {
                series.push(na.label.clone());
            }
            series.push("未自评".into());
            let bars = groups
                .iter()
                .map(|(top, leaves)| {
                    let mut v = vec![0.0; series.len()];
                    for leaf in leaves {
                        let code = data.entries.get(&leaf.code).and_then(|e| e.rating.as_deref());
                        let idx = match code {
                            None => series.len() - 1,
                            Some(c) => m
                                .levels
                                .iter()
                                .position(|l| l.code == c)
                                .or_else(|| na.filter(|na| na.code == c).map(|_| m.levels.len()))
                                .unwrap_or(series.len() - 1),
                        };
                        v[idx] += 1.0;
                    }
                    (top.title.clone(), v)
                })
                .collect();
            Some(Chart { caption: "图1 各评价内容自评结果（项）".into(), series, bars, unit: "项".into() })
        }
        ScoringModel::Points(_) => {
            let Summary::Points(ps) = &data.summary else { return None };
            let bars = ps
                .groups
                .iter()
                .map(|g| {
                    let score = g.score.as_f64();
                    let lost = (g.max.as_f64() - score).max(0.0);
                    (g.title.clone(), vec![score, lost])
                })
                .collect();
            Some(Chart {
                caption: "图1 各一级指标自评得分（分）".into(),
                series: vec!["得分".into(), "失分".into()],
                bars,
                unit: "分".into(),
            })
        }
    }
}

fn score_table(data: &ReportData) -> Table {
    let system = &data.system;
    let points = is_points(system);
    let noun = leaf_noun(system);
    let columns = if points {
        vec![
            Column { header: "编号".into(), width: 1.0, align: Align::Center },
            Column { header: noun.clone(), width: 5.0, align: Align::Left },
            Column { header: "分值".into(), width: 1.1, align: Align::Center },
            Column { header: "自评得分".into(), width: 1.3, align: Align::Center },
            Column { header: "扣分及理由".into(), width: 3.6, align: Align::Left },
        ]
    } else {
        vec![
            Column { header: "编号".into(), width: 1.0, align: Align::Center },
            Column { header: noun.clone(), width: 5.6, align: Align::Left },
            Column { header: "自评结果".into(), width: 1.6, align: Align::Center },
            Column { header: "说明".into(), width: 4.0, align: Align::Left },
        ]
    };
    let mut rows = Vec::new();
    let mut total_max = Points::ZERO;
    let mut total_score = Points::ZERO;
    let mut total_ded = Points::ZERO;
    for (top, leaves) in system.leaf_groups() {
        if !top.is_leaf() {
            rows.push(Row::Group(format!("{} {}", top.code, top.title)));
        }
        for leaf in leaves {
            let entry = data.entries.get(&leaf.code);
            let result = leaf_result(system, leaf, entry);
            let mut text = leaf.title.trim().to_string();
            if let Some(t) = leaf.text.as_deref().filter(|t| !t.trim().is_empty()) {
                text = format!("{text}：{}", t.trim());
            }
            if points {
                let max = leaf.max_score.unwrap_or(Points::ZERO);
                total_max += max;
                let (score, ded) = match entry.filter(|e| e.is_scored()) {
                    Some(e) => {
                        let s = leaf_score(leaf, e);
                        total_score += s;
                        let d: Points = e.deductions.iter().map(|d| d.amount).sum();
                        total_ded += d;
                        let reasons: Vec<String> = e
                            .deductions
                            .iter()
                            .map(|d| format!("扣{}分：{}", d.amount, d.reason.trim().trim_end_matches('。')))
                            .collect();
                        (s.to_string(), reasons.join("；"))
                    }
                    None => ("—".into(), "未评分".into()),
                };
                rows.push(Row::Cells(vec![leaf.code.clone(), text, max.to_string(), score, ded]));
            } else {
                let e = entry.cloned().unwrap_or_default();
                let full = matches!(&system.scoring, ScoringModel::Rated(m) if m.levels.first().map(|l| Some(&l.code) == e.rating.as_ref()).unwrap_or(false));
                let remark = if !e.problems.trim().is_empty() {
                    e.problems.trim().to_string()
                } else if !full {
                    e.note.trim().to_string()
                } else {
                    String::new()
                };
                rows.push(Row::Cells(vec![leaf.code.clone(), text, result, remark]));
            }
        }
    }
    if points {
        rows.push(Row::Total(vec![
            "合计".into(),
            String::new(),
            total_max.to_string(),
            total_score.to_string(),
            if total_ded == Points::ZERO { String::new() } else { format!("共扣{}分", total_ded) },
        ]));
    } else if let Summary::Rated(rs) = &data.summary {
        let parts: Vec<String> = rs.levels.iter().filter(|l| l.count > 0).map(|l| format!("{}{}项", l.label, l.count)).collect();
        let mut t = parts.join("，");
        if rs.not_applicable > 0 {
            t.push_str(&format!("，不适用{}项", rs.not_applicable));
        }
        rows.push(Row::Total(vec!["合计".into(), format!("共{}个{noun}", rs.total), String::new(), t]));
    }
    Table { columns, rows }
}

fn evidence_table(data: &ReportData) -> Table {
    let columns = vec![
        Column { header: "序号".into(), width: 0.9, align: Align::Center },
        Column { header: "材料名称".into(), width: 4.2, align: Align::Left },
        Column { header: "文号".into(), width: 2.7, align: Align::Center },
        Column { header: "日期".into(), width: 2.2, align: Align::Center },
        Column { header: "关联指标".into(), width: 1.7, align: Align::Center },
        Column { header: "校验码".into(), width: 1.8, align: Align::Center },
    ];
    let mut rows: Vec<Row> = data
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Row::Cells(vec![
                (i + 1).to_string(),
                e.title.clone(),
                e.doc_no.clone(),
                e.date.clone(),
                e.points.join("、"),
                // The first 8 hex digits of the SHA-256 (附件 lists; the full hash is in the 自评表 workbook).
                e.sha256.chars().take(8).collect(),
            ])
        })
        .collect();
    if rows.is_empty() {
        rows.push(Row::Group("（尚未登记佐证材料）".into()));
    }
    Table { columns, rows }
}

fn figure_table(data: &ReportData) -> Table {
    let columns = vec![
        Column { header: "序号".into(), width: 0.9, align: Align::Center },
        Column { header: "指标".into(), width: 5.0, align: Align::Left },
        Column { header: "学段".into(), width: 1.2, align: Align::Center },
        Column { header: "数值".into(), width: 1.9, align: Align::Center },
        Column { header: "标准".into(), width: 1.7, align: Align::Center },
        Column { header: "结果".into(), width: 1.3, align: Align::Center },
    ];
    let rows = data
        .figures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            Row::Cells(vec![
                (i + 1).to_string(),
                f.title.clone(),
                f.stage.clone(),
                f.value.clone(),
                f.standard.clone(),
                f.result.clone(),
            ])
        })
        .collect();
    Table { columns, rows }
}
