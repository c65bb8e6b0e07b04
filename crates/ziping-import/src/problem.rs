//! Problems found in a workbook or a Word table, located to the cell and worded in Chinese: the
//! one type for the statistics import and the indicator-system import (`system::Loc` builds the
//! latter, with a system path for validation problems).

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a problem is: an error blocks the import, a warning is shown in the preview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with where it is and what is wrong.
///
/// `message` is the full sentence shown to the user:
/// "示例县统计.xlsx › 学校基本情况表 › 第12行 › F列（在校学生数）：“二百”不是数字。"
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 1-based row, as Excel shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// Column letters ("F").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub col: Option<String>,
    /// The column's header as written in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// The cell's value as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For a problem the validation of an imported indicator system found: the path in the
    /// system (`children[2].children[4].max_score（测评点“15”）`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What is wrong (one clause, ending with "。").
    pub reason: String,
    /// The full sentence: location, then `reason`.
    pub message: String,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Builds a [`Problem`] step by step.
#[derive(Clone, Debug)]
pub(crate) struct At {
    pub file: String,
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub col: Option<String>,
    pub header: Option<String>,
    pub value: Option<String>,
}

impl At {
    pub fn file(file: &str) -> At {
        At {
            file: file.to_string(),
            sheet: None,
            row: None,
            col: None,
            header: None,
            value: None,
        }
    }

    pub fn sheet(mut self, sheet: &str) -> At {
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn row(mut self, row: u32) -> At {
        self.row = Some(row);
        self
    }

    pub fn col(mut self, col: &str, header: &str) -> At {
        self.col = Some(col.to_string());
        if !header.trim().is_empty() {
            self.header = Some(header.trim().to_string());
        }
        self
    }

    pub fn value(mut self, value: &str) -> At {
        self.value = Some(value.to_string());
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
        let message = format!("{}：{reason}", parts.join(" › "));
        Problem {
            severity,
            file: self.file,
            sheet: self.sheet,
            row: self.row,
            col: self.col,
            header: self.header,
            value: self.value,
            path: None,
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
