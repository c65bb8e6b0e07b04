//! What an inspector enters for an assessment, as the pure functions of this crate see it.
//!
//! The store keeps these values in SQLite; the app crate maps store rows to these types and calls
//! [`crate::scoring::summarize`], [`crate::conclusion::conclusion`] and
//! [`crate::completeness::missing`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::points::Points;

/// One deduction: amount (positive) and reason ("2所学校超规模办学").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Deduction {
    pub amount: Points,
    pub reason: String,
}

/// The inspector's input for one leaf.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Entry {
    /// Rated model: the chosen level's code, or the not-applicable code. `None` = not yet rated.
    #[serde(default)]
    pub rating: Option<String>,
    /// Points model: the leaf has been scored (with or without deductions). A leaf with
    /// deductions counts as scored even if this flag is false.
    #[serde(default)]
    pub scored: bool,
    #[serde(default)]
    pub deductions: Vec<Deduction>,
    /// 自评说明.
    #[serde(default)]
    pub note: String,
    /// 存在问题.
    #[serde(default)]
    pub problems: String,
    /// 整改措施.
    #[serde(default)]
    pub measures: String,
}

impl Entry {
    pub fn is_scored(&self) -> bool {
        self.scored || !self.deductions.is_empty()
    }
}

/// A claimed bonus item (points model), with the inspector's justification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BonusClaim {
    pub code: String,
    #[serde(default)]
    pub note: String,
}

/// Everything the pure functions need about one assessment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentInput {
    /// 地区, e.g. "示例县"; the conclusion says "我县" (last character of the region).
    pub region: String,
    /// Entries keyed by leaf code; leaves without an entry are untouched.
    pub entries: BTreeMap<String, Entry>,
    pub bonus: Vec<BonusClaim>,
}
