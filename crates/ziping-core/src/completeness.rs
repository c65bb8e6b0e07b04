//! Completeness: what is still missing before the self-assessment can be handed in.
//!
//! Why: the online review rejects a 自评表 with unrated points, a 未落实 without an explanation,
//! a 不适用 without the fact that justifies it, or a deduction without a reason. The app shows
//! this list beside the form and before export, so the inspector fixes it before the experts do.
//!
//! [`missing`] returns the problems in leaf order (within a leaf: not rated/scored first, then the
//! explanation of the chosen level, then deductions in entry order), followed by bonus claims in
//! claim order. Each has a Chinese message with full-width punctuation that names the leaf the
//! same way the conclusion does ("第15测评点", "测评点G1").
//!
//! What counts as missing, per model:
//!
//! * Rated: a leaf without a known rating ([`MissingKind::Unrated`]); a level with
//!   `needs_explanation` and an empty 自评说明 ([`MissingKind::LevelWithoutExplanation`]); the
//!   not-applicable option with an empty 自评说明 ([`MissingKind::NotApplicableWithoutExplanation`]).
//! * Points: an unscored leaf ([`MissingKind::Unrated`], with a message saying the survey is
//!   pending for leaves with a `pending_label`); a deduction whose reason is empty
//!   ([`MissingKind::DeductionWithoutReason`]); a claimed bonus item whose claims all have an empty
//!   note ([`MissingKind::BonusWithoutExplanation`]). Claims of unknown items are ignored, as in
//!   scoring.
//!
//! A text made only of white space or punctuation counts as empty. To add a check, add a
//! [`MissingKind`] variant, push it here at the right place in the order, and test it.

use crate::assessment::{AssessmentInput, Entry};
use crate::summary::{Missing, MissingKind};
use crate::system::{IndicatorSystem, Node, PointsModel, RatedModel, ScoringModel};
use crate::text::{leaf_noun, point_ref};

/// Everything missing in `input`, in leaf order, then bonus claims.
pub fn missing(system: &IndicatorSystem, input: &AssessmentInput) -> Vec<Missing> {
    let noun = leaf_noun(system);
    let mut out = Vec::new();
    for leaf in system.leaves() {
        let entry = input.entries.get(&leaf.code);
        let name = point_ref(&noun, &leaf.code);
        match &system.scoring {
            ScoringModel::Rated(model) => rated_leaf(model, leaf, entry, &name, &mut out),
            ScoringModel::Points(_) => points_leaf(leaf, entry, &name, &mut out),
        }
    }
    if let ScoringModel::Points(model) = &system.scoring {
        bonus_claims(model, input, &mut out);
    }
    out
}

/// True when a text says nothing: empty, white space or punctuation only.
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_punctuation(c))
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || "，。、；：？！…—·“”‘’（）《》【】〔〕".contains(c)
}

fn push(out: &mut Vec<Missing>, point: &str, kind: MissingKind, message: String) {
    out.push(Missing {
        point: point.to_string(),
        kind,
        message,
    });
}

fn rated_leaf(
    model: &RatedModel,
    leaf: &Node,
    entry: Option<&Entry>,
    name: &str,
    out: &mut Vec<Missing>,
) {
    let rating = entry
        .and_then(|e| e.rating.as_deref())
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let note_blank = entry.is_none_or(|e| is_blank(&e.note));
    let Some(rating) = rating else {
        push(
            out,
            &leaf.code,
            MissingKind::Unrated,
            format!("{name}尚未自评。"),
        );
        return;
    };
    if let Some(na) = model.not_applicable.as_ref().filter(|na| na.code == rating) {
        if note_blank {
            push(
                out,
                &leaf.code,
                MissingKind::NotApplicableWithoutExplanation,
                format!("{name}{}须说明依据，如“本县没有高等教育院校。”", na.label),
            );
        }
        return;
    }
    match model.levels.iter().find(|l| l.code == rating) {
        Some(level) if level.needs_explanation && note_blank => push(
            out,
            &leaf.code,
            MissingKind::LevelWithoutExplanation,
            format!(
                "{name}评为“{}”，须填写自评说明，写明存在的问题。",
                level.label
            ),
        ),
        Some(_) => {}
        None => push(
            out,
            &leaf.code,
            MissingKind::Unrated,
            format!("{name}的评定结果“{rating}”不在本指标体系的等级中，请重新评定。"),
        ),
    }
}

fn points_leaf(leaf: &Node, entry: Option<&Entry>, name: &str, out: &mut Vec<Missing>) {
    let Some(entry) = entry.filter(|e| e.is_scored()) else {
        let message = match leaf
            .pending_label
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            Some(label) => format!("{name}（{label}）尚待调查结果，暂未评分。"),
            None => format!("{name}尚未评分。"),
        };
        push(out, &leaf.code, MissingKind::Unrated, message);
        return;
    };
    let several = entry.deductions.len() > 1;
    for (i, d) in entry.deductions.iter().enumerate() {
        if is_blank(&d.reason) {
            let which = if several {
                format!("第{}项扣分", i + 1)
            } else {
                "扣分".to_string()
            };
            push(
                out,
                &leaf.code,
                MissingKind::DeductionWithoutReason,
                format!("{name}的{which}（{}分）未填写扣分原因。", d.amount),
            );
        }
    }
}

fn bonus_claims(model: &PointsModel, input: &AssessmentInput, out: &mut Vec<Missing>) {
    let Some(bonus) = &model.bonus else { return };
    let mut seen = std::collections::BTreeSet::new();
    for claim in &input.bonus {
        if !seen.insert(claim.code.as_str()) {
            continue;
        }
        let Some(item) = bonus.items.iter().find(|i| i.code == claim.code) else {
            continue;
        };
        let justified = input
            .bonus
            .iter()
            .any(|c| c.code == claim.code && !is_blank(&c.note));
        if !justified {
            push(
                out,
                &item.code,
                MissingKind::BonusWithoutExplanation,
                format!("加分项{}（{}）未填写申报依据。", item.code, item.title),
            );
        }
    }
}
