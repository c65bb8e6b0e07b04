//! The conclusion paragraph (自评结论), phrased as such reports phrase it.
//!
//! Why: the paragraph under "二、自评结论" is the one the experts read first, and the sample
//! reports phrase it in fixed ways (see `data/checks/conclusions.json`). The program writes it
//! from the [`Summary`] so that its numbers are exactly those of the 自评表, and it never claims
//! more than was assessed: a partial assessment produces a paragraph that says it is partial.
//!
//! The system's `name` goes into 《》, as its field documentation says: the paragraph cites the
//! document by its title, and an illustrative system is labelled 示例 by the report and the UI
//! around it (its `name` may itself say 示例), not by rewriting the title. The region gives
//! "我县"/"我区"… ([`we_region`]), the leaf noun comes from the level names ([`leaf_noun`]), and
//! leaves are named "第15测评点" or "测评点G1" ([`point_ref`]).
//!
//! # Points model: three variants
//!
//! 1. **Complete** (every leaf scored). Grade (if the system grades and the score reaches a
//!    cut-off), score, bonus, then the deductions itemised in leaf order:
//!    "对照《…》24个测评点，我县进行了认真的自查自评，自评等级为A等，自评得分95.8分。其中，第15测评点因2所学校超规模办学，扣1分；第16测评点因…，扣1分；第24测评点因…，扣2.2分。"
//!    * Inside "因…，扣…分" the reason is one clause: inner commas and trailing punctuation are
//!      removed ([`clean_reason`]). Items are joined by "；", the last ends with "。".
//!    * Several deductions on one leaf name the leaf once: "第15测评点因A，扣1分；因B，扣0.5分；".
//!      A deduction without a reason reads "第15测评点扣1分" (and is reported by completeness).
//!    * No deduction: "…自评得分100分，各测评点均未扣分。"
//!    * The bonus is always stated separately, right after the score (after "各测评点均未扣分"
//!      when there is no deduction) and before "。其中，…":
//!      "…自评得分95.8分，另根据加分指标标准，自评加分2分。其中，…". A claim above the cap reads
//!      "自评加分3分（申报4分，按加分上限计3分）". No bonus counted → no bonus clause.
//! 2. **Pending** (the only unscored leaves have a `pending_label`, e.g. 公众满意度 while the survey
//!    runs). No grade, no itemisation — the paragraph is provisional, as in the 南湖 report:
//!    "对照《…》，除“公众满意度”外，23个测评点自评得分为89.5分，另根据加分指标标准，自评加分2分。"
//!    Several pending labels are quoted one after the other ("除“公众满意度”“社会认可度”外").
//! 3. **Incomplete** (other leaves unscored):
//!    "对照《…》24个测评点，目前已自评20个测评点，自评得分为75分（满分80分）；另有4个测评点尚未评分（含“公众满意度”），自评等级待全部评分后确定。"
//!    (the last clause only when the system has grades). Nothing scored: "对照《…》24个测评点，尚未开始评分。"
//!
//! Deductions are itemised only in the complete variant: a provisional paragraph states the
//! partial score, and the itemised list belongs with the final one (the 自评打分表 always has it).
//!
//! # Rated model
//!
//! * With not-applicable leaves: "经自查，92个测评点中有18个测评点不属于本级履行教育职责范围；实际自查自评测评点为74个，完全落实的有67项，占90.54%；基本落实的有7项，占9.46%。"
//! * Without: "经自查，38个测评内容中，完全落实的有30项，占78.95%；基本落实的有8项，占21.05%。"
//! * Levels with 0 items are left out; the not-applicable phrase comes from the system.
//! * Some leaves unrated: the counts say what was rated ("经自查，38个测评内容中已自评30个，…。"
//!   when nothing is not applicable) and the sentence "另有8个测评内容尚未自评。" follows.
//!   All leaves not applicable: "经自查，5个测评点均不属于本级履行教育职责范围。" Nothing rated:
//!   "92个测评点均尚未自评。"
//!
//! To add a variant: add a branch here, quote it in this list, and add a case to
//! `tests/scoring.rs`.

use crate::assessment::AssessmentInput;
use crate::points::Points;
use crate::summary::{DeductionLine, PointsSummary, RatedSummary, Summary};
use crate::system::{IndicatorSystem, ScoringModel};
use crate::text::{clean_reason, grade_phrase, leaf_noun, point_ref, quoted_list, we_region};

/// The phrase for not-applicable leaves when the system gives none.
const DEFAULT_NA_PHRASE: &str = "不属于本级履行教育职责范围";

/// The conclusion paragraph for `summary` (computed by [`crate::scoring::summarize`] from the
/// same `system` and `input`).
pub fn conclusion(system: &IndicatorSystem, input: &AssessmentInput, summary: &Summary) -> String {
    let noun = leaf_noun(system);
    match summary {
        Summary::Points(s) => points_conclusion(system, input, s, &noun),
        Summary::Rated(s) => rated_conclusion(system, s, &noun),
    }
}

/// The bonus clause, starting with "，", or "" when no bonus is counted.
fn bonus_clause(s: &PointsSummary) -> String {
    if s.bonus <= Points::ZERO {
        return String::new();
    }
    let mut clause = format!("，另根据加分指标标准，自评加分{}分", s.bonus);
    if s.bonus_claimed > s.bonus {
        clause.push_str(&format!(
            "（申报{}分，按加分上限计{}分）",
            s.bonus_claimed, s.bonus
        ));
    }
    clause
}

/// "第15测评点因…，扣1分；因…，扣0.5分；第16测评点因…，扣1分" (without the final "。").
fn itemised_deductions(lines: &[DeductionLine], noun: &str) -> String {
    let mut items = Vec::with_capacity(lines.len());
    let mut previous: Option<&str> = None;
    for line in lines {
        let same_leaf = previous == Some(line.point.as_str());
        let reason = clean_reason(&line.reason);
        let item = match (same_leaf, reason.is_empty()) {
            (false, false) => format!(
                "{}因{reason}，扣{}分",
                point_ref(noun, &line.point),
                line.amount
            ),
            (false, true) => format!("{}扣{}分", point_ref(noun, &line.point), line.amount),
            (true, false) => format!("因{reason}，扣{}分", line.amount),
            (true, true) => format!("另扣{}分", line.amount),
        };
        items.push(item);
        previous = Some(line.point.as_str());
    }
    items.join("；")
}

fn points_conclusion(
    system: &IndicatorSystem,
    input: &AssessmentInput,
    s: &PointsSummary,
    noun: &str,
) -> String {
    let name = system.name.trim();
    let bonus = bonus_clause(s);
    let unscored = s.leaves - s.scored;

    // 1. Complete.
    if unscored == 0 {
        let grade = s
            .grade
            .as_deref()
            .map(|g| format!("自评等级为{}，", grade_phrase(g)))
            .unwrap_or_default();
        let head = format!(
            "对照《{name}》{}个{noun}，{}进行了认真的自查自评，{grade}自评得分{}分",
            s.leaves,
            we_region(&input.region),
            s.score
        );
        return if s.deductions.is_empty() {
            format!("{head}，各{noun}均未扣分{bonus}。")
        } else {
            format!(
                "{head}{bonus}。其中，{}。",
                itemised_deductions(&s.deductions, noun)
            )
        };
    }

    let pending_labels: Vec<&str> = s.pending.iter().map(|p| p.label.as_str()).collect();

    // 2. Pending only.
    if !s.pending.is_empty() && s.pending.len() == unscored {
        return format!(
            "对照《{name}》，除{}外，{}个{noun}自评得分为{}分{bonus}。",
            quoted_list(&pending_labels),
            s.scored,
            s.score
        );
    }

    // 3. Incomplete.
    if s.scored == 0 {
        return format!("对照《{name}》{}个{noun}，尚未开始评分。", s.leaves);
    }
    let including = if pending_labels.is_empty() {
        String::new()
    } else {
        format!("（含{}）", quoted_list(&pending_labels))
    };
    let graded = match &system.scoring {
        ScoringModel::Points(m) if !m.grades.is_empty() => "，自评等级待全部评分后确定",
        _ => "",
    };
    format!(
        "对照《{name}》{}个{noun}，目前已自评{}个{noun}，自评得分为{}分（满分{}分）{bonus}；另有{unscored}个{noun}尚未评分{including}{graded}。",
        s.leaves, s.scored, s.score, s.scored_max
    )
}

fn rated_conclusion(system: &IndicatorSystem, s: &RatedSummary, noun: &str) -> String {
    let total = s.total;
    if total == 0 {
        return format!("《{}》中尚无{noun}。", system.name.trim());
    }
    if s.unrated == total {
        return format!("{total}个{noun}均尚未自评。");
    }
    let phrase = match &system.scoring {
        ScoringModel::Rated(m) => m.not_applicable.as_ref().map(|na| na.phrase.trim()),
        ScoringModel::Points(_) => None,
    }
    .filter(|p| !p.is_empty())
    .unwrap_or(DEFAULT_NA_PHRASE);

    let levels: Vec<String> = s
        .levels
        .iter()
        .filter(|l| l.count > 0)
        .map(|l| format!("{}的有{}项，占{}%", l.label, l.count, l.share))
        .collect();
    let levels = levels.join("；");

    let mut text = if s.not_applicable == total {
        format!("经自查，{total}个{noun}均{phrase}。")
    } else if s.not_applicable > 0 {
        let mut t = format!(
            "经自查，{total}个{noun}中有{}个{noun}{phrase}",
            s.not_applicable
        );
        if s.applicable > 0 {
            t.push_str(&format!(
                "；实际自查自评{noun}为{}个，{levels}",
                s.applicable
            ));
        }
        t.push('。');
        t
    } else if s.unrated > 0 {
        format!(
            "经自查，{total}个{noun}中已自评{}个，{levels}。",
            s.applicable
        )
    } else {
        format!("经自查，{total}个{noun}中，{levels}。")
    };
    if s.unrated > 0 {
        text.push_str(&format!("另有{}个{noun}尚未自评。", s.unrated));
    }
    text
}
