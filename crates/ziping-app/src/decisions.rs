//! 采纳 / 不采纳: the inspector's decision on a suggestion computed from the statistics.
//!
//! * [`App::adopt_suggestion`] writes what the suggestion proposes through the normal change path
//!   ([`ziping_store::Workspace::apply`]): a deduction (amount and the suggestion's reason) is added
//!   to the leaf's deductions unless the same one is already there; a rating sets the level; both
//!   a rating and a 达标 suggestion add the explanation as a sentence to 自评说明. The decision is
//!   recorded in the same transaction, so the history lists it beside the rating or deduction it
//!   wrote, and a frozen assessment refuses it like any edit. A suggestion that gives no amount
//!   (请人工判断) cannot be adopted: the inspector scores the leaf, or declines it.
//! * [`App::decline_suggestion`] needs a non-empty reason. Declining a suggestion that was adopted
//!   removes the deduction it wrote (a rating stays: the inspector chooses the level).
//! * Every decision is a history row (field `suggestion`) and can be reverted from the history,
//!   which makes the suggestion open again.
//!
//! A suggestion is identified within its leaf by its `key` (the ids of its figures; see
//! [`suggestion_keys`]), so a decision survives a re-import of the statistics as long as the same
//! figures drive the suggestion; when its wording changed since, its status says `outdated`.

use serde::{Deserialize, Serialize};
use ziping_core::{Deduction, IndicatorSystem, ScoringModel};
use ziping_metrics::{Suggestion, SuggestionKind};
use ziping_store::{Change, Decision, DecisionRow, DecisionStatus};

use crate::dto::HistoryItem;
use crate::error::AppError;
use crate::service::{history_item, App};
use crate::statistics::SuggestionDto;

/// Where a suggestion stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SuggestionStatus {
    /// "open" (未处理), "adopted" (已采纳) or "declined" (不采纳).
    pub status: String,
    /// The reason given when declining (empty otherwise).
    #[serde(default)]
    pub reason: String,
    /// When it was decided (empty while open).
    #[serde(default)]
    pub decided_at: String,
    /// The suggestion's wording changed since it was decided (the statistics were re-imported).
    #[serde(default)]
    pub outdated: bool,
    /// The explanation as it read when decided (empty while open).
    #[serde(default)]
    pub decided_explanation: String,
}

impl SuggestionStatus {
    fn open() -> SuggestionStatus {
        SuggestionStatus {
            status: "open".to_string(),
            ..SuggestionStatus::default()
        }
    }

    /// "未处理", "已采纳", "不采纳".
    pub fn label(&self) -> &'static str {
        match self.status.as_str() {
            "adopted" => "已采纳",
            "declined" => "不采纳",
            _ => "未处理",
        }
    }
}

/// A decision on one suggestion of one leaf.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SuggestionDecisionInput {
    pub assessment: i64,
    pub point: String,
    /// Which of the leaf's suggestions ([`SuggestionDto::key`]); may be left out when the leaf has
    /// only one.
    #[serde(default)]
    pub key: Option<String>,
    /// true: 采纳; false: 不采纳.
    pub adopt: bool,
    /// Required when declining.
    #[serde(default)]
    pub reason: String,
    /// Adopting a deduction: replace the leaf's deduction at this position (1-based) instead of
    /// adding one, e.g. when the same problem was already deducted by hand in other words.
    #[serde(default)]
    pub replace: Option<u32>,
}

/// What a decision did: the history rows written and the suggestion as it now stands.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct SuggestionDecided {
    pub history: Vec<HistoryItem>,
    pub suggestion: SuggestionDto,
}

/// The key of each suggestion: its figure ids joined by ","; "#2", "#3"… for repeats within a
/// leaf, so every suggestion of a leaf has its own key.
pub fn suggestion_keys(list: &[Suggestion]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for (i, s) in list.iter().enumerate() {
        let base = if s.figures.is_empty() {
            kind_name(&s.kind).to_string()
        } else {
            s.figures.join(",")
        };
        let n = list[..i]
            .iter()
            .zip(&out)
            .filter(|(o, k)| {
                o.point == s.point && (**k == base || k.starts_with(&format!("{base}#")))
            })
            .count();
        out.push(if n == 0 {
            base
        } else {
            format!("{base}#{}", n + 1)
        });
    }
    out
}

fn kind_name(k: &SuggestionKind) -> &'static str {
    match k {
        SuggestionKind::Deduction { .. } => "deduction",
        SuggestionKind::Rating { .. } => "rating",
        SuggestionKind::Pass => "pass",
        SuggestionKind::Review => "review",
    }
}

/// The status of a suggestion given the stored decisions.
pub(crate) fn status_of(
    point: &str,
    key: &str,
    explanation: &str,
    decisions: &[DecisionRow],
) -> SuggestionStatus {
    match decisions.iter().find(|d| d.point == point && d.key == key) {
        None => SuggestionStatus::open(),
        Some(d) => SuggestionStatus {
            status: d.status.as_str().to_string(),
            reason: d.reason.clone(),
            decided_at: d.decided_at.clone(),
            outdated: d.explanation != explanation,
            decided_explanation: d.explanation.clone(),
        },
    }
}

/// A history value of field `suggestion`: "采纳" / "不采纳（理由：…）" / "未处理".
pub(crate) fn describe_history(v: &serde_json::Value) -> String {
    match v["status"].as_str() {
        Some("adopted") => "采纳".to_string(),
        Some("declined") => format!("不采纳（理由：{}）", v["reason"].as_str().unwrap_or("")),
        _ => "未处理".to_string(),
    }
}

/// Appends `sentence` to a 自评说明 unless it is already there.
fn with_sentence(note: &str, sentence: &str) -> Option<String> {
    let sentence = sentence.trim();
    if sentence.is_empty() || note.contains(sentence) {
        return None;
    }
    let note = note.trim_end();
    Some(if note.is_empty() {
        sentence.to_string()
    } else {
        format!("{note}{sentence}")
    })
}

impl App {
    /// 采纳: writes the suggestion's rating or deduction and records the decision (one transaction).
    pub fn adopt_suggestion(
        &mut self,
        assessment: i64,
        point: &str,
        key: Option<&str>,
    ) -> Result<SuggestionDecided, AppError> {
        self.decide_suggestion(&SuggestionDecisionInput {
            assessment,
            point: point.to_string(),
            key: key.map(str::to_string),
            adopt: true,
            reason: String::new(),
            replace: None,
        })
    }

    /// 不采纳: records the decision with its reason (required).
    pub fn decline_suggestion(
        &mut self,
        assessment: i64,
        point: &str,
        key: Option<&str>,
        reason: &str,
    ) -> Result<SuggestionDecided, AppError> {
        self.decide_suggestion(&SuggestionDecisionInput {
            assessment,
            point: point.to_string(),
            key: key.map(str::to_string),
            adopt: false,
            reason: reason.to_string(),
            replace: None,
        })
    }

    /// 采纳 or 不采纳 one suggestion (the form the desktop uses).
    pub fn decide_suggestion(
        &mut self,
        input: &SuggestionDecisionInput,
    ) -> Result<SuggestionDecided, AppError> {
        let system = self.assessment_system(input.assessment)?;
        let s = self.find_suggestion(input.assessment, &input.point, input.key.as_deref())?;
        let point = s.suggestion.point.clone();
        let label = leaf_label(&system, &point);
        let entry = self
            .entries(input.assessment)?
            .remove(&point)
            .unwrap_or_default();
        let mut changes = Vec::new();
        let decision = if input.adopt {
            match &s.suggestion.kind {
                SuggestionKind::Deduction { amount, reason } => {
                    let d = Deduction {
                        amount: *amount,
                        reason: reason.clone(),
                    };
                    if let Some(n) = input.replace {
                        let mut list = entry.deductions.clone();
                        let Some(slot) = (n as usize).checked_sub(1).and_then(|i| list.get_mut(i))
                        else {
                            return Err(AppError::invalid(format!(
                                "{label}没有第{n}项扣分（现有{}项），无法替换。",
                                entry.deductions.len()
                            )));
                        };
                        *slot = d;
                        list.dedup();
                        changes.push(Change::Deductions {
                            point: point.clone(),
                            deductions: list,
                        });
                    } else if !entry.deductions.contains(&d) {
                        let mut list = entry.deductions.clone();
                        list.push(d);
                        changes.push(Change::Deductions {
                            point: point.clone(),
                            deductions: list,
                        });
                    }
                    changes.push(Change::Scored {
                        point: point.clone(),
                        scored: true,
                    });
                }
                SuggestionKind::Rating { code } => {
                    changes.push(Change::Rating {
                        point: point.clone(),
                        rating: Some(code.clone()),
                    });
                    if let Some(note) = with_sentence(&entry.note, &s.suggestion.explanation) {
                        changes.push(Change::Note {
                            point: point.clone(),
                            text: note,
                        });
                    }
                }
                SuggestionKind::Pass => {
                    if matches!(system.scoring, ScoringModel::Points(_)) {
                        changes.push(Change::Scored {
                            point: point.clone(),
                            scored: true,
                        });
                    }
                    if let Some(note) = with_sentence(&entry.note, &s.suggestion.explanation) {
                        changes.push(Change::Note {
                            point: point.clone(),
                            text: note,
                        });
                    }
                }
                SuggestionKind::Review => {
                    return Err(AppError::invalid(format!(
                        "{label}的建议没有给出扣分值，不能直接采纳：请根据说明自行评分，或选择不采纳并写明理由。"
                    )));
                }
            }
            Decision {
                status: DecisionStatus::Adopted,
                reason: String::new(),
                explanation: s.suggestion.explanation.clone(),
            }
        } else {
            let reason = input.reason.trim();
            if reason.is_empty() {
                return Err(AppError::invalid(format!(
                    "不采纳{label}的建议，须填写理由。"
                )));
            }
            if s.status.status == "adopted" {
                if let SuggestionKind::Deduction { amount, reason } = &s.suggestion.kind {
                    let d = Deduction {
                        amount: *amount,
                        reason: reason.clone(),
                    };
                    if entry.deductions.contains(&d) {
                        let list: Vec<Deduction> = entry
                            .deductions
                            .iter()
                            .filter(|x| **x != d)
                            .cloned()
                            .collect();
                        changes.push(Change::Deductions {
                            point: point.clone(),
                            deductions: list,
                        });
                    }
                }
            }
            Decision {
                status: DecisionStatus::Declined,
                reason: reason.to_string(),
                explanation: s.suggestion.explanation.clone(),
            }
        };
        changes.push(Change::Suggestion {
            point: point.clone(),
            key: s.key.clone(),
            decision: Some(decision),
        });
        let now = self.now();
        let rows = self
            .workspace_mut()
            .apply(input.assessment, &changes, &now)?;
        let suggestion = self.find_suggestion(input.assessment, &point, Some(&s.key))?;
        Ok(SuggestionDecided {
            history: rows.iter().map(|h| history_item(&system, h)).collect(),
            suggestion,
        })
    }

    /// The suggestions of one leaf, with their status.
    pub fn point_suggestions(
        &self,
        assessment: i64,
        point: &str,
    ) -> Result<Vec<SuggestionDto>, AppError> {
        let point = point.trim();
        Ok(self
            .suggestions(assessment)?
            .into_iter()
            .filter(|s| s.suggestion.point == point)
            .collect())
    }

    fn find_suggestion(
        &self,
        assessment: i64,
        point: &str,
        key: Option<&str>,
    ) -> Result<SuggestionDto, AppError> {
        let system = self.assessment_system(assessment)?;
        let point = point.trim();
        let label = leaf_label(&system, point);
        let mut list = self.point_suggestions(assessment, point)?;
        match key.map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => list.into_iter().find(|s| s.key == k).ok_or_else(|| {
                AppError::not_found(format!("{label}没有标识为“{k}”的建议（统计数据可能已重新导入）。"))
            }),
            None => match list.len() {
                0 => Err(AppError::not_found(format!(
                    "{label}没有由统计数据得出的建议：请先在“数据”页导入统计数据，或检查该测评点是否关联了计算指标。"
                ))),
                1 => Ok(list.remove(0)),
                n => Err(AppError::invalid(format!(
                    "{label}有{n}条建议，请指明是哪一条（标识：{}）。",
                    list.iter().map(|s| s.key.as_str()).collect::<Vec<_>>().join("、")
                ))),
            },
        }
    }
}

/// "第24测评点" / "测评点R8".
fn leaf_label(system: &IndicatorSystem, code: &str) -> String {
    crate::service::point_label(system, code)
}
