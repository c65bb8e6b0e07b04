//! # ziping-metrics: the figures computed from the inspectors' statistics
//!
//! Why this crate exists: the numbers in a 自查报告 — 差异系数, 大班额, 超规模学校, "两个只增不减",
//! preschool and special-group rates, satisfaction — are today computed by hand in Excel, and
//! inspectors sign them. This crate computes them exactly, says where every input came from, and
//! turns them into *suggested* deductions or ratings for the leaves that the indicator system binds
//! them to. It is pure: no IO, no clock. Another crate imports the workbooks into the typed
//! [`tables`]; the app stores the results and shows the suggestions for the inspector to adopt or
//! decline.
//!
//! The flow:
//! 1. [`tables::Tables`]: typed rows, every used value a [`cell::Cell`] with its [`cell::CellRef`];
//! 2. [`params::Params::from_system`]: thresholds from the system's `FigureBinding`s (defaults
//!    from `domain.md` only where a binding is silent);
//! 3. [`figures::compute`] → [`figures::Computation`]: [`figures::Figure`]s (value, display,
//!    threshold, pass, statement, inputs), the per-school units behind the 差异系数, the schools
//!    excluded from scope and the problems met;
//! 4. [`suggest::suggest`]: one [`suggest::Suggestion`] per bound leaf (points model: per binding).
//!
//! Figure kinds (the `figure` ids bindings use): `cv`, `resource_indicator`, `school_attainment`,
//! `school_size`, `class_size`, `big_class`, `two_no_decrease`, `teacher_pay`,
//! `preschool_public_share`, `preschool_inclusive_coverage`, `preschool_gross_enrolment`,
//! `migrant_public_share`, `disabled_enrolment`, `satisfaction`.
//!
//! ## How to add a figure
//! 1. If it needs new inputs, add `Cell` fields to a table in [`tables`] (and tell the importer).
//! 2. Add its threshold(s) to [`params::Params`] with the national default, and read them from the
//!    binding in `Params::from_system`.
//! 3. Compute it in [`figures`]: a function called from `compute` that pushes a `Figure` with a
//!    unique `id`, the binding `kind`, `decimals`, `compare`, a statement, and *every* input cell.
//! 4. Evaluate it in `suggest::evaluate` (its reason, facts and the counts the deduction
//!    parameters apply to).
//! 5. Add data-driven cases to `tests/metrics.rs`.
//!
//! Numbers: statistics are `f64`; everything shown or compared is rounded explicitly, half away
//! from zero ([`stats::round_to`]): 差异系数 4 decimals, percentages and amounts 2. Deductions are
//! computed in exact decimal integers ([`ziping_core::Points`]).

pub mod cell;
pub mod figures;
pub mod params;
pub mod phrase;
pub mod resources;
pub mod stats;
pub mod suggest;
pub mod tables;

use serde::{Deserialize, Serialize};

pub use cell::{Cell, CellRef};
pub use figures::{compute, Compare, Computation, Detail, Figure};
pub use params::Params;
pub use resources::{Exclusion, Resource, SchoolUnit};
pub use stats::{weighted_cv, WeightedStats};
pub use suggest::{suggest, Suggestion, SuggestionKind};
pub use tables::{
    ByStage, ClassRow, FinanceYear, Locality, Ownership, Preschool, Satisfaction, School,
    SchoolKind, ScoreScale, SpecialGroups, Stage, Tables, TeacherPay,
};

/// Something in the inputs that prevented or limited a figure, in Chinese, with the cell if known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<CellRef>,
}
