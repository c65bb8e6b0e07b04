//! Wire DTOs: what crosses to the UI (JSON over Tauri IPC) and to `ziping … --json`.
//!
//! These are deliberately separate from the domain and store types so that internal refactors do
//! not change the wire format.

use serde::{Deserialize, Serialize};
use ziping_core::summary::{Missing, Summary};

/// One indicator system as lists show it.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct SystemInfo {
    pub id: String,
    pub version: String,
    /// Full name.
    pub name: String,
    /// Name as shown: unofficial systems are prefixed "示例：".
    pub display_name: String,
    pub short_name: Option<String>,
    pub official: bool,
    /// "rated" or "points".
    pub model: String,
    pub issuer: Option<String>,
    pub years: Option<String>,
    pub level_names: Vec<String>,
    /// Number of top-level groups and of leaves.
    pub groups: usize,
    pub leaves: usize,
}

/// The fields of a new assessment.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct NewAssessment {
    pub system_id: String,
    /// A specific version; the newest bundled one when absent.
    #[serde(default)]
    pub system_version: Option<String>,
    pub region: String,
    pub year: i32,
    /// 填报单位; defaults to "{region}人民政府".
    #[serde(default)]
    pub organ: Option<String>,
}

/// How far an assessment is filled in.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// 0–100, rounded down.
    pub percent: u32,
}

/// One assessment as the list shows it.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct AssessmentInfo {
    pub id: i64,
    pub uid: String,
    pub region: String,
    pub year: i32,
    pub organ: String,
    pub system_id: String,
    pub system_version: String,
    pub system_name: String,
    pub official: bool,
    pub model: String,
    /// "draft" (填报中) or "frozen" (已定稿).
    pub status: String,
    pub revision: u32,
    pub created_at: String,
    pub updated_at: String,
    pub frozen_at: Option<String>,
    pub progress: Progress,
    /// One-line result in Chinese: "A等，95.8分（另加分2分）" or "完全落实67项，基本落实7项，不适用18项".
    pub headline: String,
}

/// One deduction as entered: amount as text ("2.2") so no float ever touches it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DeductionInput {
    pub amount: String,
    pub reason: String,
}

/// An edit of one leaf. Absent fields are left as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct PointEdit {
    pub assessment: i64,
    pub point: String,
    /// Level label or code ("完全落实", "A", "不适用", "NA"); "" clears the rating.
    #[serde(default)]
    pub rating: Option<String>,
    /// Points model: mark the leaf as scored (full marks unless deductions) or not.
    #[serde(default)]
    pub scored: Option<bool>,
    /// Points model: the leaf's deductions, replacing the current list (implies scored).
    #[serde(default)]
    pub deductions: Option<Vec<DeductionInput>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub problems: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
}

/// Claim or withdraw a bonus item.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct BonusEdit {
    pub assessment: i64,
    pub code: String,
    pub claimed: bool,
    #[serde(default)]
    pub note: String,
}

/// The result of an assessment: the scoring summary (flattened: `model`, then the model's fields),
/// the conclusion paragraph and what is missing.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct SummaryDto {
    pub assessment: i64,
    pub region: String,
    pub year: i32,
    pub system_name: String,
    pub status: String,
    #[serde(flatten)]
    pub summary: Summary,
    pub conclusion: String,
    pub missing: Vec<Missing>,
}

/// One line of the change history.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct HistoryItem {
    pub id: i64,
    pub point: Option<String>,
    pub field: String,
    /// Chinese name of the field ("评定等级", "扣分", "自评说明"…).
    pub field_label: String,
    pub old_value: serde_json::Value,
    pub new_value: serde_json::Value,
    /// "完全落实 → 基本落实" in Chinese.
    pub change: String,
    pub at: String,
    pub revision: u32,
    pub reverted_id: Option<i64>,
}
