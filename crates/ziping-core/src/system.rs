//! Indicator systems (指标体系) as data.
//!
//! A system is a tree of [`Node`]s; its leaves are what gets rated or scored. The file format is
//! JSON, described field by field in `docs/indicator-system-format.md`; the bundled systems live in
//! `assets/frameworks/`. Deserialising a file only checks its shape: call
//! [`crate::validate::validate`] (or [`crate::validate::load_system`]) to check its meaning and get
//! *every* problem with its path.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::points::Points;

/// The version of the file format this crate reads and writes (`"format"` in the JSON).
pub const SYSTEM_FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSystem {
    /// File-format version; must equal [`SYSTEM_FORMAT`].
    pub format: u32,
    /// Stable identifier of the system across versions, e.g. `"national-provincial-2017"`.
    pub id: String,
    /// Version of this system (usually the year of the notice plus a revision: `"2017"`, `"2024.2"`).
    pub version: String,
    /// The assessment year(s) it applies to, for display ("2017–2018年度").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<String>,
    /// Full Chinese name, as used in 《…》 in the conclusion.
    pub name: String,
    /// Short name for lists and titles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// `true` for an official text; `false` for illustrative systems, which the UI labels 示例.
    pub official: bool,
    /// Issuing body and document number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    pub provenance: Provenance,
    /// Names of the tree levels from the top, e.g. `["评价内容", "测评内容", "测评点"]`.
    pub level_names: Vec<String>,
    pub scoring: ScoringModel,
    pub children: Vec<Node>,
}

/// Where a system's content comes from and how much to trust it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Human-readable sources (documents, 文号, pages).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Confidence and caveats, in the maintainers' words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For imported systems: the source file name and its SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_sha256: Option<String>,
}

/// One node of the tree. A node without children is a leaf (测评点) and is rated or scored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Unique within the whole system ("一", "15", "3.2").
    pub code: String,
    pub title: String,
    /// 测评要点: what is assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// 评分细则 / 评价标准.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring_rule: Option<String>,
    /// 佐证材料要求: descriptions of the evidence expected. Non-empty means evidence is required.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Maximum score (points model, leaves only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<Points>,
    /// A point that may remain unscored while a survey is pending; the conclusion then says
    /// "除“{pending_label}”外，N个测评点自评得分为X分". E.g. `"公众满意度"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_label: Option<String>,
    /// Computed figures that inform this leaf, with their thresholds (used by the statistics import).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<FigureBinding>,
    /// Free remark (e.g. "测评点待导入").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

impl Node {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }
}

/// A computed figure bound to a leaf: which figure, with which thresholds, and (optionally) how a
/// shortfall turns into a suggested deduction or rating. Thresholds live here, never in code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureBinding {
    /// Figure identifier, e.g. `"cv"`, `"big_class"`, `"school_size"`, `"two_no_decrease"`,
    /// `"teacher_pay"`, `"preschool_public_share"`, `"satisfaction"`.
    pub figure: String,
    /// Named thresholds, e.g. `{"primary_max": 0.5, "junior_max": 0.45}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub thresholds: BTreeMap<String, f64>,
    /// Named deduction parameters, e.g. `{"per_item": 0.5}` or `{"per_unit": 0.4, "base": 85}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub deduction: BTreeMap<String, f64>,
    /// Where the figure's inputs come from, in words ("学校基本情况表").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// How leaves are judged and totals phrased.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScoringModel {
    /// "92" type: each leaf gets one of the ordered levels, or not-applicable.
    Rated(RatedModel),
    /// "24" type: each leaf scores max − Σ deductions; total, capped bonus, grade.
    Points(PointsModel),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatedModel {
    /// Ordered best first: 完全落实, 基本落实, 未落实.
    pub levels: Vec<Level>,
    /// The not-applicable option, if the system allows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NotApplicable>,
    /// What the conclusion calls a leaf ("测评点"); defaults to the last level name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_noun: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Short code stored in assessments ("A").
    pub code: String,
    /// Label shown and phrased ("完全落实").
    pub label: String,
    /// A leaf rated at this level needs an explanation (e.g. 未落实).
    #[serde(default)]
    pub needs_explanation: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotApplicable {
    /// Code stored in assessments ("NA").
    pub code: String,
    /// Label shown ("不适用").
    pub label: String,
    /// Phrase used in the conclusion ("不属于本级履行教育职责范围").
    pub phrase: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointsModel {
    /// Declared total; the leaves' `max_score` must add up to it.
    pub total: Points,
    /// Decimals of the reported total (1 for "95.8分").
    #[serde(default = "one")]
    pub decimals: u8,
    /// Grade cut-offs on the base score (bonus excluded), best first, `min` strictly decreasing,
    /// the last one usually 0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grades: Vec<Grade>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus: Option<Bonus>,
}

fn one() -> u8 {
    1
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// "A"; phrased as "A等".
    pub grade: String,
    pub min: Points,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    /// The bonus counted never exceeds this.
    pub cap: Points,
    pub items: Vec<BonusItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BonusItem {
    /// Unique among bonus items and distinct from all node codes ("B1").
    pub code: String,
    pub title: String,
    pub score: Points,
}

impl IndicatorSystem {
    /// The display name: prefixed with "示例：" for unofficial systems unless it already says 示例.
    pub fn display_name(&self) -> String {
        if !self.official && !self.name.starts_with("示例") {
            format!("示例：{}", self.name)
        } else {
            self.name.clone()
        }
    }

    /// All leaves in document order.
    pub fn leaves(&self) -> Vec<&Node> {
        fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
            for n in nodes {
                if n.is_leaf() {
                    out.push(n);
                } else {
                    walk(&n.children, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.children, &mut out);
        out
    }

    /// Finds a node anywhere in the tree by code.
    pub fn find(&self, code: &str) -> Option<&Node> {
        fn walk<'a>(nodes: &'a [Node], code: &str) -> Option<&'a Node> {
            for n in nodes {
                if n.code == code {
                    return Some(n);
                }
                if let Some(f) = walk(&n.children, code) {
                    return Some(f);
                }
            }
            None
        }
        walk(&self.children, code)
    }

    /// The top-level ancestor (group) code of every leaf, for per-group results.
    pub fn leaf_groups(&self) -> Vec<(&Node, Vec<&Node>)> {
        self.children
            .iter()
            .map(|top| {
                let mut leaves = Vec::new();
                fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
                    if n.is_leaf() {
                        out.push(n);
                    } else {
                        for c in &n.children {
                            walk(c, out);
                        }
                    }
                }
                walk(top, &mut leaves);
                (top, leaves)
            })
            .collect()
    }
}
