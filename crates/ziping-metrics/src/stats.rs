//! Statistics and number formatting.
//!
//! Statistics are computed in `f64`; every number shown or compared with a threshold is first
//! rounded explicitly, half away from zero, with [`round_to`]. Display strings never read "-0.00".

use serde::{Deserialize, Serialize};

/// Student-weighted mean, standard deviation and coefficient of variation (差异系数).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedStats {
    /// P = Σ Pᵢ.
    pub total_weight: f64,
    /// X̄ = Σ PᵢXᵢ / P.
    pub mean: f64,
    /// S = √(Σ Pᵢ(Xᵢ − X̄)² / P).
    pub sd: f64,
    /// CV = S / X̄; `None` when X̄ is 0.
    pub cv: Option<f64>,
}

/// The 差异系数 of教督〔2017〕6号: `pairs` are (Pᵢ, Xᵢ) = (enrolment, per-student value) of each
/// school (or school part). Pairs with a weight ≤ 0 or a non-finite number are ignored. `None` when
/// no weight remains.
pub fn weighted_cv(pairs: &[(f64, f64)]) -> Option<WeightedStats> {
    let usable: Vec<(f64, f64)> = pairs
        .iter()
        .copied()
        .filter(|(p, x)| *p > 0.0 && p.is_finite() && x.is_finite())
        .collect();
    let total: f64 = usable.iter().map(|(p, _)| p).sum();
    if total <= 0.0 {
        return None;
    }
    let mean = usable.iter().map(|(p, x)| p * x).sum::<f64>() / total;
    let var = usable
        .iter()
        .map(|(p, x)| p * (x - mean) * (x - mean))
        .sum::<f64>()
        / total;
    let sd = var.max(0.0).sqrt();
    let cv = if mean.abs() > 0.0 {
        Some(sd / mean.abs())
    } else {
        None
    };
    Some(WeightedStats {
        total_weight: total,
        mean,
        sd,
        cv,
    })
}

/// Rounds half away from zero to `decimals` places. A tiny relative nudge absorbs the binary
/// representation error of decimal ties (1.005 is stored as 1.00499999…, and rounds to 1.01 here,
/// as a person rounding "1.005" expects).
pub fn round_to(v: f64, decimals: u32) -> f64 {
    if !v.is_finite() {
        return v;
    }
    let m = 10f64.powi(decimals as i32);
    let x = v * m;
    let nudged = x + x.signum() * x.abs().max(1.0) * 1e-12;
    let r = nudged.round() / m;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Exactly `decimals` decimals: `fixed(0.51529, 4)` → "0.5153", `fixed(-0.0001, 2)` → "0.00".
pub fn fixed(v: f64, decimals: u32) -> String {
    let r = round_to(v, decimals);
    let s = format!("{:.*}", decimals as usize, r);
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// At most `max_decimals` decimals, trailing zeros dropped: 72415.0 → "72415", 1.260 → "1.26".
pub fn trimmed(v: f64, max_decimals: u32) -> String {
    let s = fixed(v, max_decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A percentage with two decimals and the sign: 92.3077 → "92.31%".
pub fn percent(v: f64) -> String {
    format!("{}%", fixed(v, 2))
}

/// `num ÷ den × 100`, or `None` when `den` is 0.
pub fn pct_of(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        None
    } else {
        Some(num / den * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_and_formatting() {
        assert_eq!(fixed(1.005, 2), "1.01");
        assert_eq!(fixed(-1.005, 2), "-1.01");
        assert_eq!(fixed(-0.00001, 2), "0.00");
        assert_eq!(fixed(0.515_29, 4), "0.5153");
        assert_eq!(trimmed(72415.0, 2), "72415");
        assert_eq!(trimmed(1.2, 2), "1.2");
        assert_eq!(percent(92.307_69), "92.31%");
        assert_eq!(round_to(2.152, 1), 2.2);
        assert_eq!(round_to(0.15, 1), 0.2);
    }

    #[test]
    fn cv_of_equal_values_is_zero() {
        let s = weighted_cv(&[(10.0, 3.0), (20.0, 3.0)]).unwrap();
        assert_eq!(s.cv, Some(0.0));
        assert!(weighted_cv(&[]).is_none());
        assert!(weighted_cv(&[(0.0, 1.0)]).is_none());
    }
}
