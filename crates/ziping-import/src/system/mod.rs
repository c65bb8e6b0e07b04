//! Indicator systems (指标体系) from and to the tables of the annual notices.
//!
//! Every province publishes its indicator system as a table, in Excel or in a Word document (the
//! first table of a .docx with such a header is read by `docx.rs` into the same grid):
//! `一级指标 | 二级指标 | 测评点（评价要点） | 分值 | 评分标准 | 佐证材料`, the hierarchy cells merged
//! vertically (the value only in the top-left cell), numbers written into the cells (`一、`
//! `（一）` `1.` `1.1` `①`), line breaks inside cells, a 加分项 section, notes rows at the end. This module reads
//! such a table into a preview ([`SystemPreview`]: the detected columns, the detected model, the
//! tree and every problem located to sheet, row and column), builds the
//! [`ziping_core::IndicatorSystem`] with the user's confirmed choices ([`SystemOptions`]: model,
//! grade cut-offs, bonus cap, rating levels, name, version…), validates it with
//! [`ziping_core::validate::validate`] and locates each of those problems in the table too.
//!
//! * [`read_system_bytes`] / [`read_system`] → [`SystemRead`] (the preview plus the raw tree).
//! * [`SystemRead::build`] → the system, or **every** problem (table-level and validation).
//! * [`attach_points`]: level-3 points of a table attached below the leaves of an existing system
//!   (e.g. the 92 测评点 under the 38 测评内容), matched by number.
//! * [`write::system_bytes`] / [`write::template_bytes`]: the same table form back out, with an
//!   information sheet (体系信息) and, when needed, 计算指标 and 补充信息 sheets, so that an
//!   exported system reads back equal.
//!
//! To recognise another header word, add it to the lists in `read.rs` (`classify`).

mod build;
mod meta;
pub mod numbering;
mod read;
pub mod write;

use std::path::Path;

use serde::{Deserialize, Serialize};
use ziping_core::system::{Grade, Level, NotApplicable};
use ziping_core::Points;

pub use build::{attach_points, Built};
pub use meta::{parse_grades, parse_levels, parse_na, Embedded, Extra};

use crate::problem::{Problem, Severity};
use crate::ImportError;

/// A location being built up for a [`Problem`] of a system table: file, sheet, row, column,
/// header, value, and for problems found by the validation the system path
/// (`children[2].children[4].max_score（测评点“15”）`). The message quotes the value.
#[derive(Clone, Debug, Default)]
pub(crate) struct Loc {
    pub file: String,
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub col: Option<String>,
    pub header: Option<String>,
    pub value: Option<String>,
    pub path: Option<String>,
}

impl Loc {
    pub fn file(file: &str) -> Loc {
        Loc { file: file.to_string(), ..Loc::default() }
    }
    pub fn sheet(mut self, s: &str) -> Loc {
        self.sheet = Some(s.to_string());
        self
    }
    pub fn row(mut self, r: u32) -> Loc {
        self.row = Some(r);
        self
    }
    pub fn col(mut self, col: &str, header: &str) -> Loc {
        self.col = Some(col.to_string());
        if !header.trim().is_empty() {
            self.header = Some(header.trim().to_string());
        }
        self
    }
    pub fn value(mut self, v: &str) -> Loc {
        if !v.is_empty() {
            self.value = Some(v.to_string());
        }
        self
    }
    pub fn path(mut self, p: &str) -> Loc {
        self.path = Some(p.to_string());
        self
    }
    fn build(self, severity: Severity, reason: String) -> Problem {
        let mut reason = reason;
        if !reason.ends_with(['。', '？', '！']) {
            reason.push('。');
        }
        let mut parts = vec![self.file.clone()];
        if let Some(s) = &self.sheet {
            parts.push(s.clone());
        }
        if let Some(r) = self.row {
            parts.push(format!("第{r}行"));
        }
        if let Some(c) = &self.col {
            match &self.header {
                Some(h) => parts.push(format!("{c}列（{h}）")),
                None => parts.push(format!("{c}列")),
            }
        }
        let mut message = format!("{}：", parts.join(" › "));
        if let Some(v) = &self.value {
            message.push_str(&format!("“{}”：", short(v)));
        }
        message.push_str(&reason);
        Problem {
            severity,
            file: self.file,
            sheet: self.sheet,
            row: self.row,
            col: self.col,
            header: self.header,
            value: self.value,
            path: self.path,
            reason,
            message,
        }
    }
    pub fn error(self, reason: impl Into<String>) -> Problem {
        self.build(Severity::Error, reason.into())
    }
    pub fn warning(self, reason: impl Into<String>) -> Problem {
        self.build(Severity::Warning, reason.into())
    }
}

/// At most 30 characters of a value, for messages.
pub(crate) fn short(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    if s.chars().count() > 30 {
        format!("{}…", s.chars().take(30).collect::<String>())
    } else {
        s
    }
}

/// What a column of the table was taken to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRole {
    /// A level of the hierarchy (一级指标, 测评内容, 测评点…); `level` says which.
    Level,
    /// 序号 / 编号: the code of the row's node.
    Code,
    /// 分值: the maximum score.
    Score,
    /// 测评要点 / 评价要点 as a separate column: the node's text.
    Text,
    /// 评分标准 / 评分细则 / 评价标准.
    Rule,
    /// 佐证材料.
    Evidence,
    /// 备注.
    Note,
    /// A rating level offered as a column to tick (完全落实 | 基本落实 | 未落实 | 不适用).
    Rating,
    /// A column to fill in during the assessment (自评得分, 自评等级, 存在问题…): not imported.
    Fill,
    /// Not recognised: not imported (a warning says so).
    Ignored,
}

/// One column as detected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetectedColumn {
    /// Column letters ("C").
    pub col: String,
    /// The header as written (two-row headers joined with "／").
    pub header: String,
    pub role: ColumnRole,
    /// For [`ColumnRole::Level`]: 1 for the top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// What the column is taken as, in Chinese ("第2级指标“二级指标”", "分值", "不导入").
    pub meaning: String,
}

/// A node of the preview tree, with the row it was read from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreviewNode {
    pub code: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<Points>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring_rule: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// 1-based row and column letters of the cell that started the node.
    pub row: u32,
    pub col: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<PreviewNode>,
}

/// A bonus item (加分项) as read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreviewBonus {
    pub code: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Points>,
    pub row: u32,
}

/// Everything shown before saving: detected columns and model, the tree, every problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemPreview {
    pub file: String,
    pub sha256: String,
    /// The sheet the table was read from (empty when none was found).
    pub sheet: String,
    /// 1-based header rows (two for a two-row header).
    pub header_rows: Vec<u32>,
    pub columns: Vec<DetectedColumn>,
    /// The title above the table (the system's name), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A year found in the title ("2024年度…").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Level names from the level columns' headers.
    pub level_names: Vec<String>,
    /// "points" when the table has a 分值 column with scores, otherwise "rated".
    pub model: String,
    /// Why, in Chinese, for the user to confirm.
    pub model_reason: String,
    /// The 合计 row's total, if the table has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_total: Option<Points>,
    /// Σ of the leaves' scores.
    pub leaf_sum: Points,
    /// Rating levels: the table's tick columns, or the usual three (完全落实, 基本落实, 未落实).
    pub levels: Vec<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NotApplicable>,
    /// Suggested grade cut-offs (90 % / 75 % / 60 % / 0 of the total) for the user to confirm.
    pub suggested_grades: Vec<Grade>,
    /// The bonus cap found in the 加分项 heading ("加分项（最高加5分）").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus_cap: Option<Points>,
    pub tree: Vec<PreviewNode>,
    pub bonus: Vec<PreviewBonus>,
    /// Notes rows at the end of the table (注：…), kept in the system's provenance note.
    pub notes: Vec<String>,
    pub groups: usize,
    pub leaves: usize,
    /// The information sheet of a table this program exported, if present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedded: Option<Embedded>,
    pub problems: Vec<Problem>,
    pub errors: usize,
    pub warnings: usize,
}

/// The user's confirmed choices. Absent fields take the embedded information (a table this
/// program exported), then what was detected, then the defaults named on each field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SystemOptions {
    /// Stable identifier across versions; default "import-" + 8 hex digits of the name's SHA-256.
    pub id: Option<String>,
    /// Default: the year, else "1".
    pub version: Option<String>,
    /// Default: the title above the table, else the file name.
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub year: Option<i32>,
    /// Default: "{year}年度".
    pub years: Option<String>,
    pub issuer: Option<String>,
    /// Default true (a notice's attachment is an official text).
    pub official: Option<bool>,
    /// "points" or "rated"; default the detected model.
    pub model: Option<String>,
    /// Points: the declared total; default the 合计 row, else the sum of the leaves.
    pub total: Option<Points>,
    pub decimals: Option<u8>,
    /// Points: grade cut-offs, best first; default the suggestion.
    pub grades: Option<Vec<Grade>>,
    /// Points: the bonus cap; default the one in the heading, else the sum of the items.
    pub bonus_cap: Option<Points>,
    /// Rated: levels best first; default the detected ones.
    pub levels: Option<Vec<Level>>,
    /// Rated: the not-applicable option; default the detected one (or 不适用).
    pub not_applicable: Option<NotApplicable>,
    /// Rated: no not-applicable option at all.
    pub no_not_applicable: bool,
    /// Level names; default the level columns' headers.
    pub level_names: Option<Vec<String>>,
}

/// The result of reading a table: the preview and the raw tree [`SystemRead::build`] uses.
#[derive(Clone, Debug)]
pub struct SystemRead {
    pub preview: SystemPreview,
    pub(crate) raw: read::Raw,
}

/// Reads a system table file (.xlsx, .xls, .ods, or the first suitable table of a .docx). The file
/// name is used in problems.
pub fn read_system(path: &Path) -> Result<SystemRead, ImportError> {
    let bytes = crate::guard::read_file(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    read_system_bytes(&name, &bytes)
}

/// Reads a system table given as bytes; `file` names it in problems.
pub fn read_system_bytes(file: &str, bytes: &[u8]) -> Result<SystemRead, ImportError> {
    crate::guard::check_bytes(file, bytes)?;
    let sha = crate::sha256_hex(bytes);
    let loaded = std::panic::catch_unwind(|| {
        if crate::docx::is_docx(bytes) {
            crate::docx::load(bytes)
        } else {
            crate::grid::load(bytes)
        }
    })
    .unwrap_or(Err(crate::grid::OpenFailure::NotAWorkbook));
    let grids = loaded.map_err(|e| match e {
        crate::grid::OpenFailure::NotAWorkbook => ImportError::NotATableFile { file: file.to_string() },
        crate::grid::OpenFailure::Sheet(sheet, detail) => ImportError::Sheet { file: file.to_string(), sheet, detail },
    })?;
    Ok(read::read_grids(file, &sha, &grids))
}
