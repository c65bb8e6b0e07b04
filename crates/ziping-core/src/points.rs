//! Fixed-point score arithmetic.
//!
//! Scores and deductions are decimal numbers with at most two decimals ("2.2分", "0.5分").
//! Binary floating point cannot add them exactly (100 − 1 − 1 − 2.2 ≠ 95.8 in f64), so every
//! amount is kept as an integer number of hundredths. On the wire and in JSON files a
//! [`Points`] is a plain JSON number (`95.8`).

use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount of points in hundredths: `Points(958)` is 9.58, `Points::from_tenths(958)` is 95.8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Points = Points(0);

    /// Whole points: `Points::whole(100)` is 100 分.
    pub const fn whole(n: i64) -> Points {
        Points(n * 100)
    }

    pub const fn from_tenths(n: i64) -> Points {
        Points(n * 10)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Converts a float, rounding half away from zero to hundredths. Returns `None` for NaN,
    /// infinities and values with more than two significant decimals (e.g. 0.125).
    pub fn from_f64_exact(v: f64) -> Option<Points> {
        if !v.is_finite() || v.abs() > 1e12 {
            return None;
        }
        let scaled = v * 100.0;
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 {
            return None;
        }
        Some(Points(rounded as i64))
    }

    /// Converts a float, rounding half away from zero to hundredths (never fails for finite input).
    pub fn from_f64_rounded(v: f64) -> Points {
        Points((v * 100.0).round() as i64)
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Rounds half away from zero to `decimals` (0, 1 or 2) decimal places.
    pub fn round_to(self, decimals: u8) -> Points {
        let step = match decimals {
            0 => 100,
            1 => 10,
            _ => return self,
        };
        let q = self.0.abs();
        let r = (q + step / 2) / step * step;
        Points(if self.0 < 0 { -r } else { r })
    }

    pub fn max(self, other: Points) -> Points {
        if self >= other { self } else { other }
    }

    pub fn min(self, other: Points) -> Points {
        if self <= other { self } else { other }
    }

    /// Parses "2.2", "2", "0.50", "２．２" (full-width digits are accepted). At most two decimals.
    pub fn parse(s: &str) -> Option<Points> {
        let norm: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                '－' => '-',
                _ => c,
            })
            .collect();
        let (neg, body) = match norm.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, norm.as_str()),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if frac_part.len() > 2 || int_part.len() > 12 {
            return None;
        }
        let i: i64 = if int_part.is_empty() { 0 } else { int_part.parse().ok()? };
        let mut f: i64 = if frac_part.is_empty() { 0 } else { frac_part.parse().ok()? };
        if frac_part.len() == 1 {
            f *= 10;
        }
        let v = i * 100 + f;
        Some(Points(if neg { -v } else { v }))
    }
}

/// Formats without trailing zeros: 95.8, 100, 2.25, -0.5 — the way reports write scores.
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (i, frac) = (a / 100, a % 100);
        if frac == 0 {
            write!(f, "{sign}{i}")
        } else if frac % 10 == 0 {
            write!(f, "{sign}{i}.{}", frac / 10)
        } else {
            write!(f, "{sign}{i}.{frac:02}")
        }
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0 + o.0)
    }
}
impl Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        Points(self.0 - o.0)
    }
}
impl AddAssign for Points {
    fn add_assign(&mut self, o: Points) {
        self.0 += o.0;
    }
}
impl SubAssign for Points {
    fn sub_assign(&mut self, o: Points) {
        self.0 -= o.0;
    }
}
impl Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(-self.0)
    }
}
impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            s.serialize_i64(self.0 / 100)
        } else {
            s.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
        let v = f64::deserialize(d)?;
        Points::from_f64_exact(v)
            .ok_or_else(|| serde::de::Error::custom(format!("分值 {v} 不是至多两位小数的有限数")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_is_exact() {
        let s = Points::whole(100) - Points::whole(1) - Points::whole(1) - Points::parse("2.2").unwrap();
        assert_eq!(s.to_string(), "95.8");
    }

    #[test]
    fn parse_and_display() {
        for (inp, out) in [("2.2", "2.2"), ("0.50", "0.5"), ("２．２", "2.2"), ("100", "100"), ("-1.25", "-1.25"), (".5", "0.5")] {
            assert_eq!(Points::parse(inp).unwrap().to_string(), out, "{inp}");
        }
        for bad in ["", "abc", "1.234", "1..2", "1e3", "-"] {
            assert!(Points::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn rounding_half_away_from_zero() {
        assert_eq!(Points(215).round_to(1), Points(220));
        assert_eq!(Points(214).round_to(1), Points(210));
        assert_eq!(Points(-215).round_to(1), Points(-220));
        assert_eq!(Points(9550).round_to(0), Points(9600));
    }

    #[test]
    fn json_round_trip() {
        let p: Points = serde_json::from_str("95.8").unwrap();
        assert_eq!(p, Points(9580));
        assert_eq!(serde_json::to_string(&p).unwrap(), "95.8");
        assert_eq!(serde_json::to_string(&Points::whole(4)).unwrap(), "4");
        assert!(serde_json::from_str::<Points>("0.125").is_err());
    }
}
