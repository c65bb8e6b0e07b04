//! Scoring. (To be implemented.)

use crate::assessment::AssessmentInput;
use crate::summary::Summary;
use crate::system::IndicatorSystem;

pub fn summarize(_system: &IndicatorSystem, _input: &AssessmentInput) -> Summary {
    unimplemented!()
}
