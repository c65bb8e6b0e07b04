//! # ziping-core: the domain of 履职自评
//!
//! Why this crate exists: the rules that inspectors sign — how an indicator system is shaped, how a
//! leaf is scored or rated, how totals, shares and grades are computed and how the conclusion is
//! phrased — must be exact, testable without a database or a window, and shared by the desktop app,
//! the CLI and the report. So this crate is pure: no IO, no clock, no randomness.
//!
//! * [`system`]: indicator systems as data (the JSON format of `assets/frameworks/`).
//! * [`validate`]: checks a system and reports every problem with its path.
//! * [`assessment`]: what the inspector enters per leaf.
//! * [`scoring`]: totals, shares (largest remainder), grade, bonus → [`summary::Summary`].
//! * [`conclusion`]: the conclusion paragraph, phrased as such reports phrase it.
//! * [`completeness`]: what is still missing.
//! * [`docno`]: 文号 normalisation (机关代字〔年份〕序号号).
//! * [`points`]: exact decimal arithmetic for scores.
//! * [`text`]: small Chinese text helpers (region → "我县", punctuation).
//!
//! To add a scoring model, add a variant to [`system::ScoringModel`] and [`summary::Summary`] and
//! handle it in `validate`, `scoring`, `conclusion` and `completeness`; the compiler lists the places.

pub mod assessment;
pub mod completeness;
pub mod conclusion;
pub mod docno;
pub mod points;
pub mod scoring;
pub mod summary;
pub mod system;
pub mod text;
pub mod validate;

pub use assessment::{AssessmentInput, BonusClaim, Deduction, Entry};
pub use points::Points;
pub use summary::{Missing, MissingKind, Summary};
pub use system::{IndicatorSystem, Node, ScoringModel};
