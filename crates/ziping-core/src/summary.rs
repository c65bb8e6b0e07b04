//! Result types of scoring: what the report, the CLI `summary --json` and the UI show.

use serde::{Deserialize, Serialize};

use crate::points::Points;

/// The result of an assessment under its system's scoring model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Summary {
    Rated(RatedSummary),
    Points(PointsSummary),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RatedSummary {
    /// Number of leaves in the system.
    pub total: usize,
    /// Leaves rated with a level (not counting not-applicable and unrated).
    pub applicable: usize,
    pub not_applicable: usize,
    pub unrated: usize,
    /// Every level in system order, including those with count 0.
    pub levels: Vec<LevelCount>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LevelCount {
    pub code: String,
    pub label: String,
    pub count: usize,
    /// Share of the applicable leaves in percent, 2 decimals, as a string ("90.54"); the shares
    /// of all levels add up to exactly "100.00" (largest-remainder rounding) when applicable > 0.
    pub share: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PointsSummary {
    /// Sum of max scores of all leaves (the system total).
    pub total: Points,
    /// Base score: Σ over scored leaves of max(0, max − Σ deductions), rounded to the system's
    /// decimals. Unscored leaves contribute nothing (see `scored_max`).
    pub score: Points,
    /// Max score attainable from the scored leaves (the denominator of `score` while some
    /// points are pending).
    pub scored_max: Points,
    /// Number of leaves scored / in all.
    pub scored: usize,
    pub leaves: usize,
    /// Leaves with a `pending_label` that are not yet scored (e.g. 公众满意度 while the survey runs).
    pub pending: Vec<PendingPoint>,
    /// Bonus counted (Σ claimed item scores, capped), reported separately, never in `score`.
    pub bonus: Points,
    /// Σ claimed item scores before the cap.
    pub bonus_claimed: Points,
    /// Grade on the (rounded) base score; `None` while any leaf is unscored — pending ones
    /// included, as reports state no grade while the survey is pending — or when the system has
    /// no grades.
    pub grade: Option<String>,
    /// Every deduction, in leaf order.
    pub deductions: Vec<DeductionLine>,
    /// Per top-level group: code, title, score, max.
    pub groups: Vec<GroupScore>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PendingPoint {
    pub point: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeductionLine {
    pub point: String,
    pub amount: Points,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupScore {
    pub code: String,
    pub title: String,
    pub score: Points,
    pub max: Points,
}

/// One thing missing before the assessment is complete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Missing {
    /// Leaf code (or bonus item code for a bonus claim without justification).
    pub point: String,
    pub kind: MissingKind,
    /// Chinese sentence for the user, e.g. "第15测评点尚未评分。".
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MissingKind {
    /// Not rated / not scored.
    Unrated,
    /// 未落实 (or another level that needs an explanation) without 自评说明.
    LevelWithoutExplanation,
    /// 不适用 without a fact that justifies it.
    NotApplicableWithoutExplanation,
    /// A deduction with an empty reason.
    DeductionWithoutReason,
    /// A claimed bonus item without justification.
    BonusWithoutExplanation,
    /// 缺佐证: the system requires evidence for the leaf and none is linked. Computed by the app
    /// layer (evidence links live in the workspace), not by [`crate::completeness::missing`].
    EvidenceMissing,
}
