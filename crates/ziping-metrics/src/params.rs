//! The thresholds and weights the figures are computed with.
//!
//! Thresholds belong to the indicator system, not to code: [`Params::from_system`] reads them from
//! the leaves' `FigureBinding`s. [`Params::default`] holds the national values of `domain.md` §4
//! and is used only for a parameter no binding states.

use serde::{Deserialize, Serialize};
use ziping_core::system::FigureBinding;
use ziping_core::IndicatorSystem;

use crate::resources::Resource;
use crate::tables::Stage;

/// A pair of values for 小学 and 初中.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StagePair {
    pub primary: f64,
    pub junior: f64,
}

impl StagePair {
    pub fn get(&self, stage: Stage) -> Option<f64> {
        match stage {
            Stage::Primary => Some(self.primary),
            Stage::Junior => Some(self.junior),
            Stage::Senior => None,
        }
    }
}

/// Relative resource weights of one student per stage, used to split the four facility
/// resources of a through school: 九年一贯制 1:1.1, 完全中学 (初中:高中) 1:1.2, 十二年一贯制
/// 1:1.1:1.32 (medium confidence: third-party notes of official practice).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SplitWeights {
    /// 九年一贯制: [小学, 初中].
    pub nine_year: [f64; 2],
    /// 完全中学: [初中, 高中].
    pub complete_middle: [f64; 2],
    /// 十二年一贯制: [小学, 初中, 高中].
    pub twelve_year: [f64; 3],
}

impl Default for SplitWeights {
    fn default() -> Self {
        SplitWeights {
            nine_year: [1.0, 1.1],
            complete_middle: [1.0, 1.2],
            twelve_year: [1.0, 1.1, 1.32],
        }
    }
}

/// Every threshold and weight a figure uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Standards of the 7 resource indicators, in [`Resource::ALL`] order.
    pub resource_min: [StagePair; 7],
    /// A school attains when at least `min_met` of the 7 are met …
    pub min_met: u32,
    /// … and every other one reaches `rest_ratio` × its standard.
    pub rest_ratio: f64,
    /// 差异系数 limits (≤).
    pub cv_max: StagePair,
    /// 教学点 with fewer students are out of the 差异系数 scope.
    pub teaching_point_min_students: u32,
    /// Whether private (民办) schools are in the 差异系数 scope.
    pub include_private: bool,
    pub weights: SplitWeights,
    /// A class of at least this size is a 大班额 (the count includes 超大班额).
    pub big_min: u32,
    /// A class of at least this size is a 超大班额.
    pub super_min: u32,
    /// The 大班额 share must not exceed this (percent).
    pub big_share_max_pct: f64,
    /// Standard class sizes (≤).
    pub class_max: StagePair,
    /// School size limits (≤): one-stage 小学/初中, and the compulsory part of a through school.
    pub size_max: StagePair,
    pub through_size_max: f64,
    pub preschool_gross_min_pct: f64,
    pub preschool_inclusive_min_pct: f64,
    pub preschool_public_min_pct: f64,
    pub migrant_min_pct: f64,
    pub disabled_min_pct: f64,
    /// Satisfaction minimum (百分制).
    pub satisfaction_min: f64,
}

impl Default for Params {
    fn default() -> Self {
        let p = |primary, junior| StagePair { primary, junior };
        Params {
            resource_min: [
                p(4.2, 5.3),
                p(1.0, 1.0),
                p(0.9, 0.9),
                p(4.5, 5.8),
                p(7.5, 10.2),
                p(2000.0, 2500.0),
                p(2.3, 2.4),
            ],
            min_met: 6,
            rest_ratio: 0.85,
            cv_max: p(0.5, 0.45),
            teaching_point_min_students: 50,
            include_private: true,
            weights: SplitWeights::default(),
            big_min: 56,
            super_min: 66,
            big_share_max_pct: 0.0,
            class_max: p(45.0, 50.0),
            size_max: p(2000.0, 2000.0),
            through_size_max: 2500.0,
            preschool_gross_min_pct: 85.0,
            preschool_inclusive_min_pct: 80.0,
            preschool_public_min_pct: 50.0,
            migrant_min_pct: 85.0,
            disabled_min_pct: 95.0,
            satisfaction_min: 85.0,
        }
    }
}

/// Sets `*slot` from `key` of `map` when present.
fn set(slot: &mut f64, b: &FigureBinding, key: &str) {
    if let Some(v) = b.thresholds.get(key) {
        *slot = *v;
    }
}

fn set_u32(slot: &mut u32, b: &FigureBinding, key: &str) {
    if let Some(v) = b.thresholds.get(key) {
        if v.is_finite() && *v >= 0.0 {
            *slot = v.round() as u32;
        }
    }
}

impl Params {
    /// The defaults, overridden by every threshold the system's bindings state. The first binding
    /// of a figure (in document order) wins. `resource_indicator` bindings are matched to their
    /// indicator by the leaf's code (R1…R7) or title (see [`Resource::for_leaf`]).
    ///
    /// Threshold keys read: `cv` primary_max, junior_max, teaching_point_min (教学点 scope),
    /// weight_nine_junior, weight_complete_senior, weight_twelve_junior, weight_twelve_senior;
    /// `resource_indicator` primary_min, junior_min; `school_attainment` min_met, rest_ratio;
    /// `school_size` primary_max, junior_max, through_max; `class_size` primary_max, junior_max;
    /// `big_class` big_min, super_min, max_pct; `preschool_*`, `migrant_public_share`,
    /// `disabled_enrolment` min_pct; `satisfaction` min.
    pub fn from_system(system: &IndicatorSystem) -> Params {
        let mut p = Params::default();
        let mut seen: Vec<String> = Vec::new();
        for leaf in system.leaves() {
            for b in &leaf.figures {
                let key = match b.figure.as_str() {
                    "resource_indicator" => match Resource::for_leaf(&leaf.code, &leaf.title) {
                        Some(r) => format!("resource_indicator.{}", r.code()),
                        None => continue,
                    },
                    other => other.to_string(),
                };
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                match b.figure.as_str() {
                    "cv" => {
                        set(&mut p.cv_max.primary, b, "primary_max");
                        set(&mut p.cv_max.junior, b, "junior_max");
                        set_u32(&mut p.teaching_point_min_students, b, "teaching_point_min");
                        set(&mut p.weights.nine_year[1], b, "weight_nine_junior");
                        set(
                            &mut p.weights.complete_middle[1],
                            b,
                            "weight_complete_senior",
                        );
                        set(&mut p.weights.twelve_year[1], b, "weight_twelve_junior");
                        set(&mut p.weights.twelve_year[2], b, "weight_twelve_senior");
                    }
                    "resource_indicator" => {
                        if let Some(r) = Resource::for_leaf(&leaf.code, &leaf.title) {
                            let slot = &mut p.resource_min[r.index()];
                            set(&mut slot.primary, b, "primary_min");
                            set(&mut slot.junior, b, "junior_min");
                        }
                    }
                    "school_attainment" => {
                        set_u32(&mut p.min_met, b, "min_met");
                        set(&mut p.rest_ratio, b, "rest_ratio");
                    }
                    "school_size" => {
                        set(&mut p.size_max.primary, b, "primary_max");
                        set(&mut p.size_max.junior, b, "junior_max");
                        set(&mut p.through_size_max, b, "through_max");
                    }
                    "class_size" => {
                        set(&mut p.class_max.primary, b, "primary_max");
                        set(&mut p.class_max.junior, b, "junior_max");
                    }
                    "big_class" => {
                        set_u32(&mut p.big_min, b, "big_min");
                        set_u32(&mut p.super_min, b, "super_min");
                        set(&mut p.big_share_max_pct, b, "max_pct");
                    }
                    "preschool_gross_enrolment" => {
                        set(&mut p.preschool_gross_min_pct, b, "min_pct")
                    }
                    "preschool_inclusive_coverage" => {
                        set(&mut p.preschool_inclusive_min_pct, b, "min_pct")
                    }
                    "preschool_public_share" => set(&mut p.preschool_public_min_pct, b, "min_pct"),
                    "migrant_public_share" => set(&mut p.migrant_min_pct, b, "min_pct"),
                    "disabled_enrolment" => set(&mut p.disabled_min_pct, b, "min_pct"),
                    "satisfaction" => set(&mut p.satisfaction_min, b, "min"),
                    _ => {}
                }
            }
        }
        p
    }
}
