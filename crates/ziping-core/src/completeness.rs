//! Completeness. (To be implemented.)

use crate::assessment::AssessmentInput;
use crate::summary::Missing;
use crate::system::IndicatorSystem;

pub fn missing(_system: &IndicatorSystem, _input: &AssessmentInput) -> Vec<Missing> {
    unimplemented!()
}
