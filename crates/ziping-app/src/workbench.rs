//! Use cases of the desktop workbench (工作台) that the other modules do not cover: the indicator
//! tree with a status on every node and counts rolled up to the groups, per-group results for the
//! 总览 chart, and copying an assessment from an earlier year.
//!
//! Why here and not in the UI: the status of a leaf depends on the scoring model and on the
//! completeness rules of `ziping-core` (a 不适用 without its fact, a deduction without a reason…);
//! computing it in one place keeps the tree, the completeness list and the report in agreement.
//!
//! To extend: add a field to the DTOs below (they are exported to TypeScript by
//! `src/bindings.rs`; run `UPDATE_BINDINGS=1 cargo test -p ziping-app bindings` to refresh `ui/src/ipc/bindings.ts`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use ziping_core::summary::{LevelCount, MissingKind, Summary};
use ziping_core::system::ScoringModel;
use ziping_core::{completeness, scoring, AssessmentInput, Entry, IndicatorSystem, Node, Points};
use ziping_store::{Change, Status};

use crate::dto::{AssessmentInfo, NewAssessment, SummaryDto};
use crate::error::AppError;
use crate::service::App;

/// The status mark of a node in the tree. A leaf has one of the first five; a group is
/// `missing_explanation` when any leaf below it is, `empty` when none is filled, `partial` when
/// some are, and otherwise the "worst" of its leaves (`deducted` over `filled`/`not_applicable`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NodeStatus {
    /// 未填.
    Empty,
    /// 已填 (rated at the best level, or scored without deductions).
    Filled,
    /// 有扣分 (points: deductions; rated: a level below the best).
    Deducted,
    /// 不适用 with its explanation.
    NotApplicable,
    /// 说明缺失: a 不适用/未落实 without 自评说明, or a deduction without a reason.
    MissingExplanation,
    /// Groups only: some leaves filled, some not.
    Partial,
}

/// How many leaves below a node have each status (a leaf counts itself).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatusCounts {
    pub total: usize,
    pub empty: usize,
    pub filled: usize,
    pub deducted: usize,
    pub not_applicable: usize,
    pub missing_explanation: usize,
}

impl StatusCounts {
    fn add(&mut self, other: &StatusCounts) {
        self.total += other.total;
        self.empty += other.empty;
        self.filled += other.filled;
        self.deducted += other.deducted;
        self.not_applicable += other.not_applicable;
        self.missing_explanation += other.missing_explanation;
    }

    fn of_leaf(status: NodeStatus) -> StatusCounts {
        let mut c = StatusCounts { total: 1, ..StatusCounts::default() };
        match status {
            NodeStatus::Empty | NodeStatus::Partial => c.empty = 1,
            NodeStatus::Filled => c.filled = 1,
            NodeStatus::Deducted => c.deducted = 1,
            NodeStatus::NotApplicable => c.not_applicable = 1,
            NodeStatus::MissingExplanation => c.missing_explanation = 1,
        }
        c
    }

    fn group_status(&self) -> NodeStatus {
        if self.missing_explanation > 0 {
            NodeStatus::MissingExplanation
        } else if self.empty == self.total {
            NodeStatus::Empty
        } else if self.empty > 0 {
            NodeStatus::Partial
        } else if self.deducted > 0 {
            NodeStatus::Deducted
        } else if self.filled == 0 {
            NodeStatus::NotApplicable
        } else {
            NodeStatus::Filled
        }
    }
}

/// One node of the indicator tree as the workbench shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct TreeNode {
    pub code: String,
    pub title: String,
    /// 测评要点.
    pub text: Option<String>,
    /// 评分细则 / 评价标准.
    pub scoring_rule: Option<String>,
    /// 佐证材料要求.
    pub evidence: Vec<String>,
    /// Points model, leaves: the maximum score; groups: the sum of their leaves.
    pub max_score: Option<Points>,
    /// Points model, scored leaves: the current score (max − deductions, not below 0).
    pub score: Option<Points>,
    /// E.g. "公众满意度": may stay unscored while the survey is pending.
    pub pending_label: Option<String>,
    /// Free remark of the system ("测评点待导入").
    pub remark: Option<String>,
    /// The level name of this node ("一级指标", "测评点").
    pub level_name: String,
    pub status: NodeStatus,
    pub counts: StatusCounts,
    pub children: Vec<TreeNode>,
}

/// The status of one node, as returned after every edit (the tree's shape does not change).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct NodeState {
    pub code: String,
    pub status: NodeStatus,
    pub counts: StatusCounts,
    pub score: Option<Points>,
}

/// A rating level as the form offers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct LevelOption {
    pub code: String,
    pub label: String,
    /// Choosing it requires 自评说明.
    pub needs_explanation: bool,
}

/// The not-applicable option of a rated system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct NotApplicableOption {
    pub code: String,
    pub label: String,
    pub phrase: String,
}

/// A bonus item with the assessment's claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct BonusOption {
    pub code: String,
    pub title: String,
    pub score: Points,
    pub claimed: bool,
    pub note: String,
}

/// Everything the workbench needs to open an assessment, in one round trip.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
pub struct Workbench {
    pub assessment: AssessmentInfo,
    /// "rated" or "points".
    pub model: String,
    /// What a leaf is called ("测评点").
    pub leaf_noun: String,
    pub levels: Vec<LevelOption>,
    pub not_applicable: Option<NotApplicableOption>,
    /// Points model: the cap of the counted bonus, when the system has bonus items.
    pub bonus_cap: Option<Points>,
    pub bonus: Vec<BonusOption>,
    pub tree: Vec<TreeNode>,
    /// Leaf codes in document order (next/previous leaf).
    pub leaves: Vec<String>,
    /// The entries entered so far, by leaf code.
    pub entries: BTreeMap<String, Entry>,
}

/// What changes after an edit: the assessment line (progress, headline) and every node's status.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
pub struct WorkbenchUpdate {
    pub assessment: AssessmentInfo,
    pub nodes: Vec<NodeState>,
    /// The edited leaf's entry as stored (absent for bonus edits).
    pub entry: Option<Entry>,
}

/// The result of one top-level group, for the 总览 chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct GroupResult {
    pub code: String,
    pub title: String,
    /// Points model: score of the scored leaves and the group's maximum.
    pub score: Option<Points>,
    pub max: Option<Points>,
    /// Rated model: count per level (system order), not applicable and unrated.
    pub levels: Vec<LevelCount>,
    pub not_applicable: usize,
    pub unrated: usize,
    pub leaves: usize,
}

/// The 总览 screen: the summary (score/grade or counts and shares, the conclusion, what is
/// missing) and the per-group results.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
pub struct Overview {
    pub summary: SummaryDto,
    pub groups: Vec<GroupResult>,
}

/// Copy an assessment from an earlier year: by default on the same system (its newest bundled
/// version when there is one), or on another version (`system_id` / `system_version`, e.g. an
/// imported newer version); narratives carried over along the leaf mapping, ratings and scores
/// cleared.
#[derive(Clone, Debug, Default, Serialize, Deserialize, TS)]
pub struct CopyAssessment {
    pub from: i64,
    pub year: i32,
    /// Defaults to the source's region and organ.
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub organ: Option<String>,
    /// The system of the new assessment; default the source's system.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub system_id: Option<String>,
    /// Its version; default the newest.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub system_version: Option<String>,
}

/// A copy made: the new assessment and how the leaves of the two system versions were paired
/// (narratives travel along `mapping.pairs`; `mapping.unmatched_from` lost theirs,
/// `mapping.unmatched_to` start empty).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CopyOutcome {
    pub assessment: AssessmentInfo,
    pub mapping: crate::systems::LeafMapping,
    /// Leaves whose narratives (自评说明, 存在问题, 整改措施) were carried over.
    pub carried: usize,
}

/// Leaf statuses of a whole system, from the entries and the completeness rules.
pub fn leaf_statuses(system: &IndicatorSystem, input: &AssessmentInput) -> BTreeMap<String, NodeStatus> {
    let mut explanation_missing = std::collections::BTreeSet::new();
    for m in completeness::missing(system, input) {
        if matches!(
            m.kind,
            MissingKind::LevelWithoutExplanation
                | MissingKind::NotApplicableWithoutExplanation
                | MissingKind::DeductionWithoutReason
        ) {
            explanation_missing.insert(m.point);
        }
    }
    let mut out = BTreeMap::new();
    for leaf in system.leaves() {
        let entry = input.entries.get(&leaf.code);
        let status = if explanation_missing.contains(&leaf.code) {
            NodeStatus::MissingExplanation
        } else {
            match (&system.scoring, entry) {
                (_, None) => NodeStatus::Empty,
                (ScoringModel::Rated(r), Some(e)) => match e.rating.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => NodeStatus::Empty,
                    Some(code) if r.not_applicable.as_ref().is_some_and(|na| na.code == code) => NodeStatus::NotApplicable,
                    Some(code) => match r.levels.iter().position(|l| l.code == code) {
                        Some(0) => NodeStatus::Filled,
                        Some(_) => NodeStatus::Deducted,
                        None => NodeStatus::Empty,
                    },
                },
                (ScoringModel::Points(_), Some(e)) if !e.is_scored() => NodeStatus::Empty,
                (ScoringModel::Points(_), Some(e)) if !e.deductions.is_empty() => NodeStatus::Deducted,
                (ScoringModel::Points(_), Some(_)) => NodeStatus::Filled,
            }
        };
        out.insert(leaf.code.clone(), status);
    }
    out
}

/// Builds the tree with statuses, counts and (points model) scores.
pub fn status_tree(system: &IndicatorSystem, input: &AssessmentInput) -> Vec<TreeNode> {
    let statuses = leaf_statuses(system, input);
    let points = matches!(system.scoring, ScoringModel::Points(_));
    fn build(
        n: &Node,
        depth: usize,
        system: &IndicatorSystem,
        input: &AssessmentInput,
        statuses: &BTreeMap<String, NodeStatus>,
        points: bool,
    ) -> TreeNode {
        let level_name = system.level_names.get(depth).cloned().unwrap_or_default();
        let children: Vec<TreeNode> =
            n.children.iter().map(|c| build(c, depth + 1, system, input, statuses, points)).collect();
        let (status, counts, max_score, score) = if n.is_leaf() {
            let status = statuses.get(&n.code).copied().unwrap_or(NodeStatus::Empty);
            let score = if points {
                input.entries.get(&n.code).filter(|e| e.is_scored()).map(|e| scoring::leaf_score(n, e))
            } else {
                None
            };
            (status, StatusCounts::of_leaf(status), n.max_score, score)
        } else {
            let mut counts = StatusCounts::default();
            for c in &children {
                counts.add(&c.counts);
            }
            let (max, score) = if points {
                let max = children.iter().filter_map(|c| c.max_score).sum::<Points>();
                let scored: Vec<Points> = children.iter().filter_map(|c| c.score).collect();
                (Some(max), if scored.is_empty() { None } else { Some(scored.into_iter().sum()) })
            } else {
                (None, None)
            };
            (counts.group_status(), counts, max, score)
        };
        TreeNode {
            code: n.code.clone(),
            title: n.title.clone(),
            text: n.text.clone(),
            scoring_rule: n.scoring_rule.clone(),
            evidence: n.evidence.clone(),
            max_score,
            score,
            pending_label: n.pending_label.clone(),
            remark: n.note.clone(),
            level_name,
            status,
            counts,
            children,
        }
    }
    system.children.iter().map(|n| build(n, 0, system, input, &statuses, points)).collect()
}

/// The nodes of a tree flattened to their states, in document order.
pub fn node_states(tree: &[TreeNode]) -> Vec<NodeState> {
    fn walk(nodes: &[TreeNode], out: &mut Vec<NodeState>) {
        for n in nodes {
            out.push(NodeState { code: n.code.clone(), status: n.status, counts: n.counts, score: n.score });
            walk(&n.children, out);
        }
    }
    let mut out = Vec::new();
    walk(tree, &mut out);
    out
}

/// Per top-level group results.
pub fn group_results(system: &IndicatorSystem, input: &AssessmentInput, summary: &Summary) -> Vec<GroupResult> {
    system
        .leaf_groups()
        .into_iter()
        .map(|(top, leaves)| {
            let mut g = GroupResult {
                code: top.code.clone(),
                title: top.title.clone(),
                score: None,
                max: None,
                levels: Vec::new(),
                not_applicable: 0,
                unrated: 0,
                leaves: leaves.len(),
            };
            match (&system.scoring, summary) {
                (ScoringModel::Points(_), Summary::Points(p)) => {
                    if let Some(gs) = p.groups.iter().find(|gs| gs.code == top.code) {
                        g.score = Some(gs.score);
                        g.max = Some(gs.max);
                    }
                    g.unrated = leaves
                        .iter()
                        .filter(|l| !input.entries.get(&l.code).is_some_and(|e| e.is_scored()))
                        .count();
                }
                (ScoringModel::Rated(r), _) => {
                    let mut counts = vec![0usize; r.levels.len()];
                    for l in &leaves {
                        let rating = input.entries.get(&l.code).and_then(|e| e.rating.as_deref()).map(str::trim);
                        match rating {
                            Some(code) if r.not_applicable.as_ref().is_some_and(|na| na.code == code) => {
                                g.not_applicable += 1
                            }
                            Some(code) => match r.levels.iter().position(|lv| lv.code == code) {
                                Some(i) => counts[i] += 1,
                                None => g.unrated += 1,
                            },
                            None => g.unrated += 1,
                        }
                    }
                    let applicable: usize = counts.iter().sum();
                    let shares = scoring::largest_remainder_shares(&counts);
                    g.levels = r
                        .levels
                        .iter()
                        .zip(counts.iter().zip(shares))
                        .map(|(lv, (count, share))| LevelCount {
                            code: lv.code.clone(),
                            label: lv.label.clone(),
                            count: *count,
                            share: if applicable == 0 {
                                "0.00".to_string()
                            } else {
                                ziping_core::text::share_string(share)
                            },
                        })
                        .collect();
                }
                _ => {}
            }
            g
        })
        .collect()
}

impl App {
    fn input_of(&self, id: i64) -> Result<(IndicatorSystem, AssessmentInput), AppError> {
        let row = self.workspace().assessment(id)?;
        let system = self.workspace().system_snapshot(row.snapshot_id)?;
        let input = AssessmentInput {
            region: row.region.clone(),
            entries: self.workspace().entries(id)?,
            bonus: self.workspace().bonus_claims(id)?,
        };
        Ok((system, input))
    }

    /// Everything the workbench shows for one assessment.
    pub fn workbench(&self, id: i64) -> Result<Workbench, AppError> {
        let assessment = self.assessment(id)?;
        let (system, input) = self.input_of(id)?;
        let tree = status_tree(&system, &input);
        let (levels, not_applicable, bonus_cap, bonus) = match &system.scoring {
            ScoringModel::Rated(r) => (
                r.levels
                    .iter()
                    .map(|l| LevelOption {
                        code: l.code.clone(),
                        label: l.label.clone(),
                        needs_explanation: l.needs_explanation,
                    })
                    .collect(),
                r.not_applicable.as_ref().map(|na| NotApplicableOption {
                    code: na.code.clone(),
                    label: na.label.clone(),
                    phrase: na.phrase.clone(),
                }),
                None,
                Vec::new(),
            ),
            ScoringModel::Points(p) => {
                let items = p
                    .bonus
                    .as_ref()
                    .map(|b| {
                        b.items
                            .iter()
                            .map(|i| {
                                let claim = input.bonus.iter().find(|c| c.code == i.code);
                                BonusOption {
                                    code: i.code.clone(),
                                    title: i.title.clone(),
                                    score: i.score,
                                    claimed: claim.is_some(),
                                    note: claim.map(|c| c.note.clone()).unwrap_or_default(),
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                (Vec::new(), None, p.bonus.as_ref().map(|b| b.cap), items)
            }
        };
        Ok(Workbench {
            model: assessment.model.clone(),
            leaf_noun: ziping_core::text::leaf_noun(&system),
            assessment,
            levels,
            not_applicable,
            bonus_cap,
            bonus,
            leaves: system.leaves().iter().map(|l| l.code.clone()).collect(),
            tree,
            entries: input.entries,
        })
    }

    /// The assessment line and every node's status, after an edit of `point` (if any).
    pub fn workbench_update(&self, id: i64, point: Option<&str>) -> Result<WorkbenchUpdate, AppError> {
        let assessment = self.assessment(id)?;
        let (system, input) = self.input_of(id)?;
        let nodes = node_states(&status_tree(&system, &input));
        let entry = point.map(|p| input.entries.get(p.trim()).cloned().unwrap_or_default());
        Ok(WorkbenchUpdate { assessment, nodes, entry })
    }

    /// Applies one leaf's edit and returns what the workbench must refresh.
    pub fn save_point(&mut self, edit: &crate::dto::PointEdit) -> Result<WorkbenchUpdate, AppError> {
        self.edit_point(edit)?;
        self.workbench_update(edit.assessment, Some(&edit.point))
    }

    /// Claims or withdraws a bonus item and returns what the workbench must refresh.
    pub fn save_bonus(&mut self, edit: &crate::dto::BonusEdit) -> Result<WorkbenchUpdate, AppError> {
        self.edit_bonus(edit)?;
        self.workbench_update(edit.assessment, None)
    }

    /// The 总览 screen's data.
    pub fn overview(&self, id: i64) -> Result<Overview, AppError> {
        let summary = self.summary(id)?;
        let (system, input) = self.input_of(id)?;
        let groups = group_results(&system, &input, &summary.summary);
        Ok(Overview { summary, groups })
    }

    /// A new assessment for another year, carrying the narratives (自评说明, 存在问题, 整改措施) of
    /// every leaf that still exists over; ratings, scores, deductions and bonus claims start empty.
    pub fn copy_assessment(&mut self, copy: &CopyAssessment) -> Result<AssessmentInfo, AppError> {
        Ok(self.copy_assessment_mapped(copy)?.assessment)
    }

    /// [`App::copy_assessment`], also telling which leaves were paired across the two system
    /// versions ([`crate::systems::map_leaves`]: same code and title, then same title —
    /// renumbered —, then same code — retitled) and which were not.
    pub fn copy_assessment_mapped(&mut self, copy: &CopyAssessment) -> Result<CopyOutcome, AppError> {
        let source = self.workspace().assessment(copy.from)?;
        let source_system = self.assessment_system(copy.from)?;
        let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let target_id = nonempty(&copy.system_id);
        let target_version = nonempty(&copy.system_version);
        if source.year == copy.year
            && copy.region.as_deref().map(str::trim).is_none_or(|r| r.is_empty() || r == source.region)
        {
            return Err(AppError::invalid(format!(
                "{}已有{}年度的评估，请选择另一个年度。",
                source.region, copy.year
            )));
        }
        let region = copy.region.as_deref().map(str::trim).filter(|r| !r.is_empty()).unwrap_or(&source.region).to_string();
        let organ = copy.organ.as_deref().map(str::trim).filter(|o| !o.is_empty()).unwrap_or(&source.organ).to_string();
        let bundled = crate::bundled::bundled_systems()?.iter().any(|s| s.id == source.system_id);
        let created = if target_id.is_some() || target_version.is_some() {
            self.create_assessment(&NewAssessment {
                system_id: target_id.unwrap_or_else(|| source.system_id.clone()),
                system_version: target_version,
                region,
                year: copy.year,
                organ: Some(organ),
            })?
        } else if bundled {
            self.create_assessment(&NewAssessment {
                system_id: source.system_id.clone(),
                system_version: None,
                region,
                year: copy.year,
                organ: Some(organ),
            })?
        } else {
            if !(2000..=2100).contains(&copy.year) {
                return Err(AppError::invalid(format!("年度“{}”不在2000至2100之间。", copy.year)));
            }
            let now = self.now();
            let row = self.workspace_mut().create_assessment(
                &ziping_store::NewAssessment { region, year: copy.year, organ, snapshot_id: source.snapshot_id },
                &now,
            )?;
            self.assessment(row.id)?
        };
        let system = self.assessment_system(created.id)?;
        let mapping = crate::systems::map_leaves(&source_system, &system);
        let target_of: BTreeMap<&str, &str> =
            mapping.pairs.iter().map(|p| (p.from.code.as_str(), p.to.code.as_str())).collect();
        let mut changes = Vec::new();
        let mut carried = 0;
        for (code, e) in self.workspace().entries(copy.from)? {
            let Some(code) = target_of.get(code.as_str()).map(|c| c.to_string()) else { continue };
            if !system.find(&code).is_some_and(Node::is_leaf) {
                continue;
            }
            let before = changes.len();
            for (text, make) in [
                (&e.note, (|p, t| Change::Note { point: p, text: t }) as fn(String, String) -> Change),
                (&e.problems, |p, t| Change::Problems { point: p, text: t }),
                (&e.measures, |p, t| Change::Measures { point: p, text: t }),
            ] {
                if !text.trim().is_empty() {
                    changes.push(make(code.clone(), text.clone()));
                }
            }
            carried += usize::from(changes.len() > before);
        }
        if !changes.is_empty() {
            let now = self.now();
            self.workspace_mut().apply(created.id, &changes, &now)?;
        }
        Ok(CopyOutcome { assessment: self.assessment(created.id)?, mapping, carried })
    }

    /// True when the assessment is frozen (定稿) and opens read-only.
    pub fn is_frozen(&self, id: i64) -> Result<bool, AppError> {
        Ok(self.workspace().assessment(id)?.status == Status::Frozen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_status_rolls_up() {
        let c = |empty, filled, deducted, na, missing| StatusCounts {
            total: empty + filled + deducted + na + missing,
            empty,
            filled,
            deducted,
            not_applicable: na,
            missing_explanation: missing,
        };
        assert_eq!(c(3, 0, 0, 0, 0).group_status(), NodeStatus::Empty);
        assert_eq!(c(1, 2, 0, 0, 0).group_status(), NodeStatus::Partial);
        assert_eq!(c(1, 2, 0, 0, 1).group_status(), NodeStatus::MissingExplanation);
        assert_eq!(c(0, 2, 1, 0, 0).group_status(), NodeStatus::Deducted);
        assert_eq!(c(0, 0, 0, 2, 0).group_status(), NodeStatus::NotApplicable);
        assert_eq!(c(0, 2, 0, 2, 0).group_status(), NodeStatus::Filled);
    }
}
