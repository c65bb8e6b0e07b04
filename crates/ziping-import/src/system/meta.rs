//! The sheets a table exported by this program carries besides the table itself, so that it
//! reads back equal: 体系信息 (name, version, scoring…), 计算指标 (figure bindings with their
//! thresholds) and 补充信息 (what the table form has no column for: texts of groups, 暂缓评分).
//! Tables from notices have none of them; then the user's confirmed options fill the gaps.

use std::collections::BTreeMap;

use calamine::Data;
use serde::{Deserialize, Serialize};
use ziping_core::system::{FigureBinding, Grade, Level, NotApplicable};
use ziping_core::Points;

use super::numbering::collapse;
use super::Loc;
use crate::problem::Problem;
use crate::grid::{self, Grid};
use crate::norm::{col_letters, half_width};

pub const INFO_SHEET: &str = "体系信息";
pub const FIGURE_SHEET: &str = "计算指标";
pub const EXTRA_SHEET: &str = "补充信息";

/// What the extra sheets say (every field optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Embedded {
    pub id: Option<String>,
    pub version: Option<String>,
    pub years: Option<String>,
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub issuer: Option<String>,
    pub official: Option<bool>,
    pub level_names: Option<Vec<String>>,
    /// "points" / "rated".
    pub model: Option<String>,
    pub total: Option<Points>,
    pub decimals: Option<u8>,
    pub grades: Option<Vec<Grade>>,
    pub bonus_cap: Option<Points>,
    pub levels: Option<Vec<Level>>,
    pub not_applicable: Option<NotApplicable>,
    pub no_not_applicable: bool,
    pub leaf_noun: Option<String>,
    pub sources: Vec<String>,
    pub note: Option<String>,
    pub file: Option<String>,
    pub file_sha256: Option<String>,
    /// Figure bindings by node code.
    pub figures: BTreeMap<String, Vec<FigureBinding>>,
    /// Extra fields by node code.
    pub extras: BTreeMap<String, Extra>,
}

/// Fields of a node the table form has no place for (texts of groups, 暂缓评分).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Extra {
    pub text: Option<String>,
    pub scoring_rule: Option<String>,
    pub evidence: Vec<String>,
    pub note: Option<String>,
    pub pending_label: Option<String>,
}

// Keys of the 体系信息 sheet.
pub const K_NAME: &str = "名称";
pub const K_SHORT: &str = "简称";
pub const K_ID: &str = "编号";
pub const K_VERSION: &str = "版本";
pub const K_YEARS: &str = "适用年度";
pub const K_ISSUER: &str = "发布机关";
pub const K_OFFICIAL: &str = "正式文件";
pub const K_LEVELS_NAMES: &str = "层级名称";
pub const K_MODEL: &str = "评分方式";
pub const K_TOTAL: &str = "总分";
pub const K_DECIMALS: &str = "总分小数位数";
pub const K_GRADES: &str = "等级划分";
pub const K_CAP: &str = "加分上限";
pub const K_LEVELS: &str = "评定等级";
pub const K_NA: &str = "不适用";
pub const K_NOUN: &str = "测评点称谓";
pub const K_SOURCE: &str = "来源";
pub const K_NOTE: &str = "说明";
pub const K_FILE: &str = "原始文件";
pub const K_SHA: &str = "原始文件SHA-256";

pub const MODEL_POINTS: &str = "分值评分";
pub const MODEL_RATED: &str = "等级评定";

fn split_list(s: &str) -> Vec<String> {
    s.split(['；', ';', '\n']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// "A≥90；B≥75；C≥60；D≥0" (also "A:90", "A：90分").
pub fn parse_grades(s: &str) -> Result<Vec<Grade>, String> {
    let mut out = Vec::new();
    for part in s.split(['；', ';', '，', ',', '\n']).map(str::trim).filter(|t| !t.is_empty()) {
        let Some((g, m)) = part.split_once(['≥', ':', '：', '=']) else {
            return Err(format!("等级“{part}”的写法应为“A≥90”"));
        };
        let m = half_width(m).trim().trim_end_matches("分以上").trim_end_matches('分').trim().to_string();
        let min = Points::parse(&m).ok_or_else(|| format!("等级“{part}”的分数“{m}”不是数字"))?;
        out.push(Grade { grade: g.trim().trim_end_matches('等').to_string(), min });
    }
    if out.is_empty() {
        return Err("没有写出任何等级".to_string());
    }
    Ok(out)
}

pub fn grades_text(g: &[Grade]) -> String {
    g.iter().map(|g| format!("{}≥{}", g.grade, g.min)).collect::<Vec<_>>().join("；")
}

/// "A=完全落实；B=基本落实；C=未落实（须说明）" (codes optional: "完全落实；基本落实").
pub fn parse_levels(s: &str) -> Result<Vec<Level>, String> {
    let mut out = Vec::new();
    for (i, part) in split_list(&s.replace(['，', ','], "；")).iter().enumerate() {
        let (code, label) = match part.split_once(['=', '＝']) {
            Some((c, l)) => (c.trim().to_string(), l.trim().to_string()),
            None => (((b'A' + (i.min(25)) as u8) as char).to_string(), part.clone()),
        };
        let (label, needs) = match label.strip_suffix("（须说明）").or_else(|| label.strip_suffix('*')) {
            Some(l) => (l.trim().to_string(), true),
            None => (label, false),
        };
        if label.is_empty() || code.is_empty() {
            return Err(format!("评定等级“{part}”缺少代码或名称"));
        }
        out.push(Level { code, label, needs_explanation: needs });
    }
    if out.is_empty() {
        return Err("没有写出任何评定等级".to_string());
    }
    Ok(out)
}

pub fn levels_text(l: &[Level]) -> String {
    l.iter()
        .map(|l| format!("{}={}{}", l.code, l.label, if l.needs_explanation { "（须说明）" } else { "" }))
        .collect::<Vec<_>>()
        .join("；")
}

/// "NA=不适用；不属于本级履行教育职责范围", or "无".
pub fn parse_na(s: &str) -> Result<Option<NotApplicable>, String> {
    let s = s.trim();
    if s == "无" {
        return Ok(None);
    }
    let (head, phrase) = s.split_once(['；', ';']).ok_or_else(|| "“不适用”的写法应为“NA=不适用；结论中的说法”".to_string())?;
    let (code, label) = head.split_once(['=', '＝']).ok_or_else(|| "“不适用”的写法应为“NA=不适用；结论中的说法”".to_string())?;
    Ok(Some(NotApplicable { code: code.trim().into(), label: label.trim().into(), phrase: phrase.trim().into() }))
}

pub fn na_text(na: Option<&NotApplicable>) -> String {
    match na {
        None => "无".to_string(),
        Some(n) => format!("{}={}；{}", n.code, n.label, n.phrase),
    }
}

/// "primary_max=0.5；junior_max=0.45".
pub fn parse_params(s: &str) -> Result<BTreeMap<String, f64>, String> {
    let mut out = BTreeMap::new();
    for part in split_list(s) {
        let (k, v) = part.split_once(['=', '＝']).ok_or_else(|| format!("“{part}”的写法应为“名称=数值”"))?;
        let v: f64 = half_width(v).trim().parse().map_err(|_| format!("“{part}”的数值不是数字"))?;
        out.insert(k.trim().to_string(), v);
    }
    Ok(out)
}

pub fn params_text(m: &BTreeMap<String, f64>) -> String {
    m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("；")
}

fn text_of(d: &Data) -> String {
    grid::text(d).replace("\r\n", "\n").trim().to_string()
}

/// Reads the extra sheets, if the workbook has them.
pub(crate) fn read_embedded(file: &str, grids: &[Grid], problems: &mut Vec<Problem>) -> Option<Embedded> {
    let info = grids.iter().find(|g| g.name == INFO_SHEET)?;
    let mut e = Embedded::default();
    for r in info.first_row().max(1)..info.end_row() {
        let key = collapse(&text_of(info.get(r, 0)));
        let value = text_of(info.get(r, 1));
        if key.is_empty() {
            continue;
        }
        let at = || Loc::file(file).sheet(INFO_SHEET).row(r + 1).col(&col_letters(1), &key).value(&value);
        let opt = |v: &str| (!v.is_empty()).then(|| v.to_string());
        let points = |v: &str, problems: &mut Vec<Problem>| -> Option<Points> {
            if v.is_empty() {
                return None;
            }
            let p = Points::parse(&half_width(v));
            if p.is_none() {
                problems.push(at().error("不是数字（最多两位小数）"));
            }
            p
        };
        match key.as_str() {
            K_NAME => e.name = opt(&value),
            K_SHORT => e.short_name = opt(&value),
            K_ID => e.id = opt(&value),
            K_VERSION => e.version = opt(&value),
            K_YEARS => e.years = opt(&value),
            K_ISSUER => e.issuer = opt(&value),
            K_OFFICIAL => match value.as_str() {
                "是" => e.official = Some(true),
                "否" => e.official = Some(false),
                "" => {}
                _ => problems.push(at().error("应填“是”或“否”")),
            },
            K_LEVELS_NAMES if !value.is_empty() => {
                let sep: &[char] = if value.contains(['；', ';']) { &['；', ';'] } else { &['、'] };
                e.level_names = Some(value.split(sep).map(|s| s.trim().to_string()).collect());
            }
            K_MODEL => match value.as_str() {
                MODEL_POINTS => e.model = Some("points".into()),
                MODEL_RATED => e.model = Some("rated".into()),
                "" => {}
                _ => problems.push(at().error(format!("应填“{MODEL_POINTS}”或“{MODEL_RATED}”"))),
            },
            K_TOTAL => e.total = points(&value, problems),
            K_DECIMALS if !value.is_empty() => match value.parse::<u8>() {
                Ok(d) => e.decimals = Some(d),
                Err(_) => problems.push(at().error("应填0、1或2")),
            },
            K_GRADES if !value.is_empty() => match parse_grades(&value) {
                Ok(g) => e.grades = Some(g),
                Err(m) => problems.push(at().error(m)),
            },
            K_CAP => e.bonus_cap = points(&value, problems),
            K_LEVELS if !value.is_empty() => match parse_levels(&value) {
                Ok(l) => e.levels = Some(l),
                Err(m) => problems.push(at().error(m)),
            },
            K_NA if !value.is_empty() => match parse_na(&value) {
                Ok(Some(na)) => e.not_applicable = Some(na),
                Ok(None) => e.no_not_applicable = true,
                Err(m) => problems.push(at().error(m)),
            },
            K_NOUN => e.leaf_noun = opt(&value),
            K_SOURCE if !value.is_empty() => e.sources.push(value.clone()),
            K_NOTE => e.note = opt(&value),
            K_FILE => e.file = opt(&value),
            K_SHA => e.file_sha256 = opt(&value),
            "项目" => {}
            _ => {}
        }
    }
    if let Some(g) = grids.iter().find(|g| g.name == FIGURE_SHEET) {
        for r in g.first_row().max(1)..g.end_row() {
            let code = text_of(g.get(r, 0));
            let figure = text_of(g.get(r, 1));
            if code.is_empty() && figure.is_empty() {
                continue;
            }
            let mut b = FigureBinding { figure, ..FigureBinding::default() };
            for (c, target) in [(2u32, 0u8), (3, 1)] {
                let v = text_of(g.get(r, c));
                match parse_params(&v) {
                    Ok(m) if target == 0 => b.thresholds = m,
                    Ok(m) => b.deduction = m,
                    Err(m) => problems.push(Loc::file(file).sheet(FIGURE_SHEET).row(r + 1).col(&col_letters(c), "").value(&v).error(m)),
                }
            }
            let source = text_of(g.get(r, 4));
            b.source = (!source.is_empty()).then_some(source);
            e.figures.entry(code).or_default().push(b);
        }
    }
    if let Some(g) = grids.iter().find(|g| g.name == EXTRA_SHEET) {
        for r in g.first_row().max(1)..g.end_row() {
            let code = text_of(g.get(r, 0));
            if code.is_empty() {
                continue;
            }
            let opt = |c: u32| {
                let v = text_of(g.get(r, c));
                (!v.is_empty()).then_some(v)
            };
            let evidence = text_of(g.get(r, 3)).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
            e.extras.insert(
                code,
                Extra { text: opt(1), scoring_rule: opt(2), evidence, note: opt(4), pending_label: opt(5) },
            );
        }
    }
    Some(e)
}
