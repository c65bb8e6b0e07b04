//! Suggested deductions and ratings, driven only by the leaves' `FigureBinding`s.
//!
//! For each leaf with bindings and each bound figure that was computed:
//! * points model: one suggestion per binding — a [`SuggestionKind::Deduction`] when the figure
//!   fails and the binding's `deduction` parameters give an amount, [`SuggestionKind::Pass`] when
//!   it passes, [`SuggestionKind::Review`] when it fails but the binding states no amount. All the
//!   leaf's deductions together never exceed its `max_score` ("扣完为止").
//! * rated model: one [`SuggestionKind::Rating`] per leaf: the best level when every bound figure
//!   passes, the last (worst) level otherwise.
//!
//! Deduction parameters (`deduction` of a binding), all optional and added up:
//! * `per_item`: per failing item (差异系数, 只增不减 item, the one figure itself…);
//! * `per_school`: per school over the limit or not attaining;
//! * `per_point` (aliases `per_unit`, `per_pct`): per point / percentage point of shortfall below the
//!   threshold (or above it, for "at most" figures), with `base` replacing the threshold when given;
//!   rounded to 1 decimal, half away from zero (85 − 79.62 = 5.38 × 0.4 = 2.152 → 2.2);
//! * `super_present`: when a 超大班额 exists;
//! * `fixed`: once when the figure fails;
//! * `max`: a cap for this binding.
//!
//! Thresholds stated in the binding override those the figure was computed with, where the figure
//! allows re-evaluation (差异系数, shares, satisfaction, resource indicators).

use serde::{Deserialize, Serialize};
use ziping_core::system::{FigureBinding, Node};
use ziping_core::text::clean_reason;
use ziping_core::{IndicatorSystem, Points, ScoringModel};

use crate::figures::{Compare, Detail, Figure};
use crate::resources::Resource;
use crate::stats::{fixed, round_to, trimmed};
use crate::tables::Stage;

/// What a suggestion proposes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SuggestionKind {
    /// Deduct `amount`; `reason` fits "第24测评点因{reason}，扣2.2分" (no inner "，", no final
    /// punctuation).
    Deduction { amount: Points, reason: String },
    /// Rate the leaf with this level code.
    Rating { code: String },
    /// The figure meets the requirement: no deduction.
    Pass,
    /// The figure fails but the binding gives no amount: the inspector decides.
    Review,
}

/// A suggestion for one leaf, which the inspector adopts or declines (with a reason).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The leaf's code ("24", "R8").
    pub point: String,
    #[serde(flatten)]
    pub kind: SuggestionKind,
    /// Report-ready Chinese, full-width punctuation, ending with "。".
    pub explanation: String,
    /// Ids of the figures used.
    pub figures: Vec<String>,
}

/// A binding evaluated against the figures.
struct Outcome {
    figures: Vec<String>,
    fails: bool,
    /// For the deduction frame: one clause, no "，".
    reason: String,
    /// For the explanation (commas allowed, no final punctuation).
    facts: String,
    items: u32,
    schools: u32,
    /// (value, base, compare, unit word) of a continuous shortfall.
    shortfall: Option<(f64, f64, Compare, &'static str)>,
    super_present: bool,
}

impl Outcome {
    fn new(figures: Vec<String>, fails: bool, reason: String, facts: String) -> Outcome {
        Outcome {
            figures,
            fails,
            reason,
            facts,
            items: u32::from(fails),
            schools: 0,
            shortfall: None,
            super_present: false,
        }
    }
}

fn stage_key(stage: Option<Stage>, suffix: &str) -> Option<String> {
    stage
        .filter(|s| *s != Stage::Senior)
        .map(|s| format!("{}_{suffix}", s.key()))
}

fn threshold_for(b: &FigureBinding, f: &Figure, key: Option<&str>) -> Option<f64> {
    key.and_then(|k| b.thresholds.get(k).copied())
        .or(f.threshold)
}

fn evaluate(leaf: &Node, b: &FigureBinding, figures: &[Figure]) -> Option<Outcome> {
    fn of_kind<'a>(figures: &'a [Figure], k: &'a str) -> impl Iterator<Item = &'a Figure> + 'a {
        figures.iter().filter(move |f| f.kind == k)
    }
    match b.figure.as_str() {
        "cv" => {
            let figs: Vec<&Figure> = of_kind(figures, "cv").collect();
            if figs.is_empty() {
                return None;
            }
            let mut failing = Vec::new();
            let mut limits: Vec<(Stage, f64)> = Vec::new();
            for f in &figs {
                let key = stage_key(f.stage, "max");
                let t = threshold_for(b, f, key.as_deref())?;
                if let Some(s) = f.stage {
                    if !limits.iter().any(|(x, _)| *x == s) {
                        limits.push((s, t));
                    }
                }
                if f.passes(t) == Some(false) {
                    failing.push((
                        f.title.trim_end_matches("差异系数").to_string(),
                        f.display.clone(),
                        t,
                    ));
                }
            }
            let counts: Vec<(Stage, usize)> = limits
                .iter()
                .map(|(s, _)| (*s, figs.iter().filter(|f| f.stage == Some(*s)).count()))
                .collect();
            let uniform = counts.windows(2).all(|w| w[0].1 == w[1].1);
            let prefix = match counts.as_slice() {
                [(s, n)] => format!("{}{n}项校际差异系数", s.label()),
                _ if uniform => format!(
                    "{}各{}项校际差异系数",
                    counts
                        .iter()
                        .map(|(s, _)| s.label())
                        .collect::<Vec<_>>()
                        .join("、"),
                    counts[0].1
                ),
                _ => format!(
                    "{}校际差异系数",
                    counts
                        .iter()
                        .map(|(s, n)| format!("{}{n}项", s.label()))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            };
            let ids = figs.iter().map(|f| f.id.clone()).collect();
            if failing.is_empty() {
                let lim: Vec<String> = limits
                    .iter()
                    .map(|(s, t)| format!("{}不高于{}", s.label(), fixed(*t, 2)))
                    .collect();
                return Some(Outcome::new(
                    ids,
                    false,
                    String::new(),
                    format!("{prefix}均达标（{}）", lim.join("，")),
                ));
            }
            let k = failing.len();
            let short: Vec<String> = failing
                .iter()
                .map(|(n, v, t)| format!("{n}{v}高于{}", fixed(*t, 2)))
                .collect();
            let long: Vec<String> = failing
                .iter()
                .map(|(n, v, t)| format!("{n}{v}，高于{}", fixed(*t, 2)))
                .collect();
            let mut o = Outcome::new(
                ids,
                true,
                format!("{prefix}中{k}项未达标（{}）", short.join("、")),
                format!("{prefix}中{k}项未达标（{}）", long.join("；")),
            );
            o.items = k as u32;
            Some(o)
        }
        "resource_indicator" => {
            let r = Resource::for_leaf(&leaf.code, &leaf.title)?;
            let figs: Vec<&Figure> = of_kind(figures, "resource_indicator")
                .filter(|f| f.item.as_deref() == Some(r.code()))
                .collect();
            if figs.is_empty() {
                return None;
            }
            let mut parts = Vec::new();
            let mut short = Vec::new();
            let mut schools = 0u32;
            let mut failing_stages = 0u32;
            for f in &figs {
                let key = stage_key(f.stage, "min");
                let t = threshold_for(b, f, key.as_deref())?;
                let Detail::Resource { mean, rows, .. } = &f.detail else {
                    continue;
                };
                let below: Vec<String> = rows
                    .iter()
                    .filter(|row| round_to(row.value, 2) < t)
                    .map(|row| format!("{}为{}{}", row.school, trimmed(row.value, 2), r.unit()))
                    .collect();
                let head = format!("全县{}平均为{}{}", f.title, trimmed(*mean, 2), r.unit());
                if below.is_empty() {
                    parts.push(format!(
                        "{head}，{}所学校均达到{}{}",
                        rows.len(),
                        trimmed(t, 2),
                        r.unit()
                    ));
                } else {
                    failing_stages += 1;
                    schools += below.len() as u32;
                    short.push(format!(
                        "{}有{}所学校低于{}{}",
                        f.title,
                        below.len(),
                        trimmed(t, 2),
                        r.unit()
                    ));
                    parts.push(format!(
                        "{head}，{}所学校低于{}{}（{}）",
                        below.len(),
                        trimmed(t, 2),
                        r.unit(),
                        below.join("、")
                    ));
                }
            }
            let fails = failing_stages > 0;
            let mut o = Outcome::new(
                figs.iter().map(|f| f.id.clone()).collect(),
                fails,
                short.join("、"),
                parts.join("；"),
            );
            o.items = failing_stages;
            o.schools = schools;
            Some(o)
        }
        "school_attainment" => {
            let figs: Vec<&Figure> = of_kind(figures, "school_attainment").collect();
            if figs.is_empty() {
                return None;
            }
            let n: u32 = figs.iter().map(|f| f.value.max(0.0) as u32).sum();
            let fails = figs.iter().any(|f| f.pass == Some(false));
            let facts = figs
                .iter()
                .map(|f| f.statement.clone())
                .collect::<Vec<_>>()
                .join("；");
            let mut o = Outcome::new(
                figs.iter().map(|f| f.id.clone()).collect(),
                fails,
                format!("{n}所学校资源配置未达标"),
                facts,
            );
            o.schools = n;
            Some(o)
        }
        "school_size" => {
            let f = figures.iter().find(|f| f.kind == "school_size")?;
            let n = f.value.max(0.0) as u32;
            let mut o = Outcome::new(
                vec![f.id.clone()],
                f.pass == Some(false),
                format!("{n}所学校超规模办学"),
                f.statement.clone(),
            );
            o.schools = n;
            Some(o)
        }
        "class_size" => {
            let figs: Vec<&Figure> = of_kind(figures, "class_size").collect();
            if figs.is_empty() {
                return None;
            }
            let n: u32 = figs.iter().map(|f| f.value.max(0.0) as u32).sum();
            let fails = figs.iter().any(|f| f.pass == Some(false));
            let facts = figs
                .iter()
                .map(|f| f.statement.clone())
                .collect::<Vec<_>>()
                .join("；");
            let mut o = Outcome::new(
                figs.iter().map(|f| f.id.clone()).collect(),
                fails,
                format!("{n}个班级超过标准班额"),
                facts,
            );
            o.items = n;
            Some(o)
        }
        "big_class" => {
            let f = of_kind(figures, "big_class")
                .find(|f| f.stage.is_none())
                .or_else(|| of_kind(figures, "big_class").next())?;
            let Detail::Classes { super_big, .. } = f.detail else {
                return None;
            };
            let max = threshold_for(b, f, Some("max_pct")).unwrap_or(0.0);
            let big_min = b.thresholds.get("big_min").copied().unwrap_or(56.0);
            let super_min = b.thresholds.get("super_min").copied().unwrap_or(66.0);
            let over = f.passes(max) == Some(false);
            let mut reasons = Vec::new();
            if super_big > 0 {
                reasons.push(format!(
                    "存在{}人及以上超大班额{super_big}个",
                    trimmed(super_min, 0)
                ));
            }
            if over {
                reasons.push(format!(
                    "{}人及以上大班额占比{}",
                    trimmed(big_min, 0),
                    f.display
                ));
            }
            let fails = over || super_big > 0;
            let mut o = Outcome::new(
                vec![f.id.clone()],
                fails,
                reasons.join("、"),
                f.statement.clone(),
            );
            o.items = u32::from(over);
            o.super_present = super_big > 0;
            if over {
                o.shortfall = Some((f.rounded(), max, Compare::AtMost, "个百分点"));
            }
            Some(o)
        }
        "two_no_decrease" => {
            let figs: Vec<&Figure> = of_kind(figures, "two_no_decrease").collect();
            if figs.is_empty() {
                return None;
            }
            let failing: Vec<&&Figure> = figs.iter().filter(|f| f.pass == Some(false)).collect();
            let labels: Vec<&str> = failing
                .iter()
                .map(|f| f.title.trim_end_matches("只增不减"))
                .collect();
            let reason = match labels.len() {
                0 => String::new(),
                1 => format!("{}未实现只增不减", labels[0]),
                _ => format!("{}均未实现只增不减", labels.join("和")),
            };
            let facts = figs
                .iter()
                .map(|f| f.statement.clone())
                .collect::<Vec<_>>()
                .join("；");
            let mut o = Outcome::new(
                figs.iter().map(|f| f.id.clone()).collect(),
                !failing.is_empty(),
                reason,
                facts,
            );
            o.items = failing.len() as u32;
            Some(o)
        }
        "teacher_pay" => {
            let f = figures.iter().find(|f| f.kind == "teacher_pay")?;
            let t = threshold_for(b, f, Some("min")).unwrap_or(0.0);
            let fails = f.passes(t) == Some(false);
            Some(Outcome::new(
                vec![f.id.clone()],
                fails,
                "义务教育教师年平均工资收入低于当地公务员年平均工资收入".to_string(),
                f.statement.clone(),
            ))
        }
        "satisfaction"
        | "preschool_public_share"
        | "preschool_inclusive_coverage"
        | "preschool_gross_enrolment"
        | "migrant_public_share"
        | "disabled_enrolment" => {
            let f = figures.iter().find(|f| f.kind == b.figure)?;
            let is_score = b.figure == "satisfaction";
            let t = threshold_for(b, f, Some(if is_score { "min" } else { "min_pct" }))?;
            let fails = f.passes(t) == Some(false);
            let (limit, unit_word) = if is_score {
                (format!("{}分", trimmed(t, 2)), "分")
            } else {
                (format!("{}%", trimmed(t, 2)), "个百分点")
            };
            let (reason, facts) = if is_score {
                (
                    format!("{}为{}未达标", f.title, f.display),
                    format!(
                        "{}为{}，{}{limit}",
                        f.title,
                        f.display,
                        if fails { "低于" } else { "达到" }
                    ),
                )
            } else {
                (
                    format!("{}为{}低于{limit}", f.title, f.display),
                    format!(
                        "{}为{}，{}{limit}",
                        f.title,
                        f.display,
                        if fails { "低于" } else { "达到" }
                    ),
                )
            };
            let mut o = Outcome::new(vec![f.id.clone()], fails, reason, facts);
            if fails {
                o.shortfall = Some((f.rounded(), t, Compare::AtLeast, unit_word));
            }
            Some(o)
        }
        _ => None,
    }
}

/// `v` in units of 1e-4, rounded half away from zero.
fn e4(v: f64) -> i64 {
    round_to(v * 10000.0, 0) as i64
}

/// An integer in units of 10^-`digits`, as a decimal without trailing zeros.
fn scaled(n: i64, digits: u32) -> String {
    let m = 10i64.pow(digits);
    let sign = if n < 0 { "-" } else { "" };
    let a = n.abs();
    let frac = format!("{:0width$}", a % m, width = digits as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{}", a / m)
    } else {
        format!("{sign}{}.{frac}", a / m)
    }
}

/// Divides `n` (units of 10^-`from`) down to units of 10^-`to`, rounding half away from zero.
fn rescale(n: i64, from: u32, to: u32) -> i64 {
    let d = 10i64.pow(from - to);
    let q = (n.abs() + d / 2) / d;
    if n < 0 {
        -q
    } else {
        q
    }
}

fn param(b: &FigureBinding, keys: &[&str]) -> Option<f64> {
    keys.iter()
        .find_map(|k| b.deduction.get(*k).copied())
        .filter(|v| v.is_finite() && *v > 0.0)
}

/// The amount (hundredths) a failing outcome costs under the binding, and the explanation of the
/// computation. `None` when the binding states no deduction rule.
fn deduction_amount(b: &FigureBinding, o: &Outcome) -> Option<(Points, String)> {
    let mut total_e4: i64 = 0;
    let mut steps: Vec<String> = Vec::new();
    let mut any_rule = false;
    if let Some(p) = param(b, &["per_item"]) {
        any_rule = true;
        if o.items > 0 {
            let x = e4(p) * i64::from(o.items);
            total_e4 += x;
            steps.push(format!(
                "按每项扣{}分计算，{}项扣{}分",
                trimmed(p, 4),
                o.items,
                scaled(x, 4)
            ));
        }
    }
    if let Some(p) = param(b, &["per_school"]) {
        any_rule = true;
        if o.schools > 0 {
            let x = e4(p) * i64::from(o.schools);
            total_e4 += x;
            steps.push(format!(
                "按每所学校扣{}分计算，{}所扣{}分",
                trimmed(p, 4),
                o.schools,
                scaled(x, 4)
            ));
        }
    }
    if let Some(p) = param(b, &["per_point", "per_unit", "per_pct"]) {
        any_rule = true;
        if let Some((value, threshold, compare, unit)) = o.shortfall {
            let base = b.deduction.get("base").copied().unwrap_or(threshold);
            let (gap, expr, verb) = match compare {
                Compare::AtLeast => (
                    e4(base) - e4(value),
                    format!("（{}−{}）", trimmed(base, 4), trimmed(value, 4)),
                    "低",
                ),
                Compare::AtMost => (
                    e4(value) - e4(base),
                    format!("（{}−{}）", trimmed(value, 4), trimmed(base, 4)),
                    "高",
                ),
            };
            if gap > 0 {
                let exact_e8 = gap * e4(p);
                let tenths = rescale(exact_e8, 8, 1);
                total_e4 += tenths * 1000;
                steps.push(format!(
                    "按每{verb}1{unit}扣{}分计算，{expr}×{}＝{}，保留1位小数为{}分",
                    trimmed(p, 4),
                    trimmed(p, 4),
                    scaled(exact_e8, 8),
                    scaled(tenths, 1)
                ));
            }
        }
    }
    if let Some(p) = param(b, &["super_present"]) {
        any_rule = true;
        if o.super_present {
            total_e4 += e4(p);
            steps.push(format!("存在超大班额扣{}分", trimmed(p, 4)));
        }
    }
    if let Some(p) = param(b, &["fixed"]) {
        any_rule = true;
        total_e4 += e4(p);
        steps.push(format!("扣{}分", trimmed(p, 4)));
    }
    if !any_rule {
        return None;
    }
    let mut amount = Points(rescale(total_e4, 4, 2));
    if let Some(cap) = param(b, &["max"]) {
        let cap = Points::from_f64_rounded(cap);
        if amount > cap {
            steps.push(format!("合计{}分，本项最多扣{}分", amount, cap));
            amount = cap;
        }
    }
    Some((amount, steps.join("；")))
}

fn level_codes(system: &IndicatorSystem) -> Option<(String, String, String, String)> {
    match &system.scoring {
        ScoringModel::Rated(r) => {
            let first = r.levels.first()?;
            let last = r.levels.last()?;
            Some((
                first.code.clone(),
                first.label.clone(),
                last.code.clone(),
                last.label.clone(),
            ))
        }
        ScoringModel::Points(_) => None,
    }
}

/// The suggestions for every leaf of `system` informed by `figures`, in document order.
pub fn suggest(system: &IndicatorSystem, figures: &[Figure]) -> Vec<Suggestion> {
    let rated = level_codes(system);
    let mut out = Vec::new();
    for leaf in system.leaves() {
        if leaf.figures.is_empty() {
            continue;
        }
        let outcomes: Vec<(&FigureBinding, Outcome)> = leaf
            .figures
            .iter()
            .filter_map(|b| evaluate(leaf, b, figures).map(|o| (b, o)))
            .collect();
        if outcomes.is_empty() {
            continue;
        }
        if let Some((best, best_label, worst, worst_label)) = &rated {
            let fails = outcomes.iter().any(|(_, o)| o.fails);
            let facts: Vec<String> = outcomes.iter().map(|(_, o)| o.facts.clone()).collect();
            let (code, label) = if fails {
                (worst, worst_label)
            } else {
                (best, best_label)
            };
            out.push(Suggestion {
                point: leaf.code.clone(),
                kind: SuggestionKind::Rating { code: code.clone() },
                explanation: format!("{}，建议评为“{label}”。", facts.join("；")),
                figures: outcomes
                    .iter()
                    .flat_map(|(_, o)| o.figures.iter().cloned())
                    .collect(),
            });
            continue;
        }
        let max = leaf.max_score;
        let mut used = Points::ZERO;
        for (b, o) in outcomes {
            let (kind, explanation) = if !o.fails {
                (SuggestionKind::Pass, format!("{}，不扣分。", o.facts))
            } else {
                match deduction_amount(b, &o) {
                    None => (
                        SuggestionKind::Review,
                        format!(
                            "{}，指标体系未给出该项的扣分办法，请按评分细则确定扣分。",
                            o.facts
                        ),
                    ),
                    Some((mut amount, steps)) => {
                        let mut text = o.facts.clone();
                        if !steps.is_empty() {
                            text.push('，');
                            text.push_str(&steps);
                        }
                        if let Some(max) = max {
                            let remaining = (max - used).max(Points::ZERO);
                            if amount > remaining {
                                if used == Points::ZERO {
                                    text.push_str(&format!(
                                        "，合计{amount}分，超过本测评点分值{max}分，扣完为止"
                                    ));
                                } else {
                                    text.push_str(&format!(
                                        "，合计{amount}分，本测评点已扣{used}分，最多再扣{remaining}分，扣完为止"
                                    ));
                                }
                                amount = remaining;
                            }
                        }
                        used += amount;
                        text.push_str(&format!("，建议扣{amount}分。"));
                        (
                            SuggestionKind::Deduction {
                                amount,
                                reason: clean_reason(&o.reason),
                            },
                            text,
                        )
                    }
                }
            };
            out.push(Suggestion {
                point: leaf.code.clone(),
                kind,
                explanation,
                figures: o.figures,
            });
        }
    }
    out
}
