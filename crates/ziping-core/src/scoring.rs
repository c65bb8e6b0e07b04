//! Scoring: from the inspector's entries to a [`Summary`].
//!
//! Why this is its own module: the numbers in the conclusion are signed by the inspector and
//! checked by the experts, so they must be exact and reproducible. Scores are added in
//! [`Points`] (integer hundredths, never `f64`), and shares are computed in integer hundredths of
//! a percent with largest-remainder rounding, so that they always add up to exactly 100.00.
//!
//! Rules, per model:
//!
//! * **Rated** ("92" type). Every leaf is one of: rated with a level (counted in `applicable` and
//!   in its level), not applicable (`not_applicable`), or unrated (no entry, no rating, or a
//!   rating code the system does not know). Shares are over the applicable leaves only. Entries
//!   for codes that are not leaves are ignored.
//! * **Points** ("24" type). A leaf is scored when [`crate::assessment::Entry::is_scored`]; its
//!   score is `max − Σ deductions`, clamped to `0..=max`. `score` is the sum over scored leaves,
//!   rounded half away from zero to the system's `decimals`. The grade is taken on that rounded
//!   score — the number the report prints — so that "自评得分90分" never sits beside "B等"; it is
//!   given only when **every** leaf is scored (a partial score, even one missing only a pending
//!   survey, cannot be measured against cut-offs meant for the full total). The bonus is the sum
//!   of the claimed items (each code once, unknown codes ignored), capped; it never enters
//!   `score` or the grade. Group scores are the exact (unrounded) sums of their scored leaves.
//!
//! To extend with a new model: add a variant to [`crate::system::ScoringModel`] and
//! [`Summary`], and a `summarize_*` function here; keep it pure.

use std::collections::BTreeSet;

use crate::assessment::{AssessmentInput, Entry};
use crate::points::Points;
use crate::summary::{
    DeductionLine, GroupScore, LevelCount, PendingPoint, PointsSummary, RatedSummary, Summary,
};
use crate::system::{IndicatorSystem, Node, PointsModel, RatedModel, ScoringModel};
use crate::text::share_string;

/// One hundred percent, in hundredths of a percent.
const FULL_SHARE: u64 = 10_000;

/// Computes the summary of `input` under `system`'s scoring model.
pub fn summarize(system: &IndicatorSystem, input: &AssessmentInput) -> Summary {
    match &system.scoring {
        ScoringModel::Rated(model) => Summary::Rated(summarize_rated(system, model, input)),
        ScoringModel::Points(model) => Summary::Points(summarize_points(system, model, input)),
    }
}

/// Splits 100.00 % among `counts` in hundredths of a percent by the largest-remainder method.
///
/// Each count first gets the floor of its exact share; the units still missing to reach 10000 go,
/// one each, to the counts with the largest remainders, ties broken by position (earlier first).
/// The result adds up to exactly 10000 when the counts add up to more than 0; otherwise every
/// share is 0. A count of 0 always gets 0 (its remainder is 0, and fewer units are missing than
/// there are non-zero remainders).
pub fn largest_remainder_shares(counts: &[usize]) -> Vec<u64> {
    let total: u64 = counts.iter().map(|&c| c as u64).sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let mut shares: Vec<u64> = counts
        .iter()
        .map(|&c| c as u64 * FULL_SHARE / total)
        .collect();
    let missing = FULL_SHARE - shares.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    // A stable sort keeps level order among equal remainders.
    order.sort_by_key(|&i| std::cmp::Reverse(counts[i] as u64 * FULL_SHARE % total));
    for &i in order.iter().take(missing as usize) {
        shares[i] += 1;
    }
    shares
}

fn summarize_rated(
    system: &IndicatorSystem,
    model: &RatedModel,
    input: &AssessmentInput,
) -> RatedSummary {
    let leaves = system.leaves();
    let mut counts = vec![0usize; model.levels.len()];
    let mut not_applicable = 0;
    let mut unrated = 0;
    for leaf in &leaves {
        let rating = input
            .entries
            .get(&leaf.code)
            .and_then(|e| e.rating.as_deref())
            .map(str::trim)
            .filter(|r| !r.is_empty());
        match rating {
            Some(r) if model.not_applicable.as_ref().is_some_and(|na| na.code == r) => {
                not_applicable += 1
            }
            Some(r) => match model.levels.iter().position(|l| l.code == r) {
                Some(i) => counts[i] += 1,
                None => unrated += 1,
            },
            None => unrated += 1,
        }
    }
    let shares = largest_remainder_shares(&counts);
    RatedSummary {
        total: leaves.len(),
        applicable: counts.iter().sum(),
        not_applicable,
        unrated,
        levels: model
            .levels
            .iter()
            .zip(counts.iter().zip(shares))
            .map(|(level, (&count, share))| LevelCount {
                code: level.code.clone(),
                label: level.label.clone(),
                count,
                share: share_string(share),
            })
            .collect(),
    }
}

/// The entry of a leaf if it counts as scored.
fn scored_entry<'a>(input: &'a AssessmentInput, leaf: &Node) -> Option<&'a Entry> {
    input.entries.get(&leaf.code).filter(|e| e.is_scored())
}

/// The score of one scored leaf: max − Σ deductions, clamped to `0..=max`.
pub fn leaf_score(leaf: &Node, entry: &Entry) -> Points {
    let max = leaf.max_score.unwrap_or(Points::ZERO);
    let deducted: Points = entry.deductions.iter().map(|d| d.amount).sum();
    (max - deducted)
        .max(Points::ZERO)
        .min(max.max(Points::ZERO))
}

fn summarize_points(
    system: &IndicatorSystem,
    model: &PointsModel,
    input: &AssessmentInput,
) -> PointsSummary {
    let leaves = system.leaves();
    let max_of = |n: &Node| n.max_score.unwrap_or(Points::ZERO);

    let mut exact_score = Points::ZERO;
    let mut scored_max = Points::ZERO;
    let mut scored = 0;
    let mut pending = Vec::new();
    let mut deductions = Vec::new();
    for leaf in &leaves {
        match scored_entry(input, leaf) {
            Some(entry) => {
                scored += 1;
                exact_score += leaf_score(leaf, entry);
                scored_max += max_of(leaf);
                deductions.extend(entry.deductions.iter().map(|d| DeductionLine {
                    point: leaf.code.clone(),
                    amount: d.amount,
                    reason: d.reason.clone(),
                }));
            }
            None => {
                if let Some(label) = leaf
                    .pending_label
                    .as_deref()
                    .filter(|l| !l.trim().is_empty())
                {
                    pending.push(PendingPoint {
                        point: leaf.code.clone(),
                        label: label.trim().to_string(),
                    });
                }
            }
        }
    }
    let score = exact_score.round_to(model.decimals);

    let complete = scored == leaves.len();
    let grade = if complete {
        model
            .grades
            .iter()
            .find(|g| score >= g.min)
            .map(|g| g.grade.clone())
    } else {
        None
    };

    let (bonus, bonus_claimed) = match &model.bonus {
        Some(b) => {
            let mut seen = BTreeSet::new();
            let claimed: Points = input
                .bonus
                .iter()
                .filter(|c| seen.insert(c.code.as_str()))
                .filter_map(|c| b.items.iter().find(|i| i.code == c.code))
                .map(|i| i.score)
                .sum();
            (claimed.min(b.cap), claimed)
        }
        None => (Points::ZERO, Points::ZERO),
    };

    let groups = system
        .leaf_groups()
        .into_iter()
        .map(|(top, group_leaves)| GroupScore {
            code: top.code.clone(),
            title: top.title.clone(),
            score: group_leaves
                .iter()
                .filter_map(|l| scored_entry(input, l).map(|e| leaf_score(l, e)))
                .sum(),
            max: group_leaves.iter().map(|l| max_of(l)).sum(),
        })
        .collect();

    PointsSummary {
        total: leaves.iter().map(|l| max_of(l)).sum(),
        score,
        scored_max,
        scored,
        leaves: leaves.len(),
        pending,
        bonus,
        bonus_claimed,
        grade,
        deductions,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::largest_remainder_shares;

    #[test]
    fn shares() {
        assert_eq!(largest_remainder_shares(&[1, 1, 1]), vec![3334, 3333, 3333]);
        assert_eq!(largest_remainder_shares(&[67, 7, 0]), vec![9054, 946, 0]);
        assert_eq!(largest_remainder_shares(&[0, 0]), vec![0, 0]);
        assert_eq!(largest_remainder_shares(&[]), Vec::<u64>::new());
        assert_eq!(largest_remainder_shares(&[0, 5]), vec![0, 10000]);
    }
}
