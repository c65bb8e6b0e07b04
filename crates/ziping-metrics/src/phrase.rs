//! Report phrasing of year-on-year changes (`conclusions.json` → `growth_phrasing`).
//!
//! Growth is (this year − last year) ÷ last year, with 2 decimals. A fall is phrased "下降…" with its
//! size, never "增长-0.01"; an unchanged value is "与上年持平"; the change of a rate is stated in
//! 个百分点 ("较上年降低1.25个百分点").

use crate::stats::{fixed, round_to, trimmed};

/// Growth in percent, `None` when last year's value is 0.
pub fn growth_pct(this: f64, last: f64) -> Option<f64> {
    if last == 0.0 {
        None
    } else {
        Some((this - last) / last.abs() * 100.0)
    }
}

/// The direction of a change at a given precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Flat,
}

/// Direction of `this − last` after rounding both to `decimals`.
pub fn direction(this: f64, last: f64, decimals: u32) -> Direction {
    let d = round_to(
        round_to(this, decimals) - round_to(last, decimals),
        decimals,
    );
    if d > 0.0 {
        Direction::Up
    } else if d < 0.0 {
        Direction::Down
    } else {
        Direction::Flat
    }
}

/// "增长9.30%" / "下降0.79%" / "持平"; a change too small to show reads "增长不足0.01%".
pub fn growth_words(this: f64, last: f64, decimals: u32) -> String {
    let dir = direction(this, last, decimals);
    let (this, last) = (round_to(this, decimals), round_to(last, decimals));
    let verb = match dir {
        Direction::Up => "增长",
        Direction::Down => "下降",
        Direction::Flat => return "持平".to_string(),
    };
    match growth_pct(this, last) {
        Some(p) if round_to(p.abs(), 2) == 0.0 => format!("{verb}不足0.01%"),
        Some(p) => format!("{verb}{}%", fixed(p.abs(), 2)),
        None => verb.to_string(),
    }
}

/// The change of an amount, as a clause:
/// "按在校学生人数平均的一般公共预算教育支出为1.26万元，比上年的1.27万元下降0.01万元（下降0.79%）".
/// Amounts are shown with at most `decimals` decimals; the direction is decided at that precision.
pub fn amount_change(label: &str, this: f64, last: f64, unit: &str, decimals: u32) -> String {
    let dir = direction(this, last, decimals);
    let (t, l) = (round_to(this, decimals), round_to(last, decimals));
    let ts = trimmed(t, decimals);
    let ls = trimmed(l, decimals);
    match dir {
        Direction::Flat => format!("{label}为{ts}{unit}，与上年的{ls}{unit}持平"),
        Direction::Up | Direction::Down => {
            let verb = if dir == Direction::Up {
                "增长"
            } else {
                "下降"
            };
            let diff = trimmed((t - l).abs(), decimals);
            format!(
                "{label}为{ts}{unit}，比上年的{ls}{unit}{verb}{diff}{unit}（{}）",
                growth_words(t, l, decimals)
            )
        }
    }
}

/// The change of a rate given in percent: "近视率54.71%，较上年降低1.25个百分点" /
/// "…，较上年提高0.28个百分点" / "…，与上年持平".
pub fn rate_change(label: &str, this_pct: f64, last_pct: f64) -> String {
    let ts = fixed(this_pct, 2);
    match direction(this_pct, last_pct, 2) {
        Direction::Flat => format!("{label}{ts}%，与上年持平"),
        dir => {
            let verb = if dir == Direction::Up {
                "提高"
            } else {
                "降低"
            };
            let d = fixed((round_to(this_pct, 2) - round_to(last_pct, 2)).abs(), 2);
            format!("{label}{ts}%，较上年{verb}{d}个百分点")
        }
    }
}
