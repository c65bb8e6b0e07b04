//! The conclusion paragraph. (To be implemented.)

use crate::assessment::AssessmentInput;
use crate::summary::Summary;
use crate::system::IndicatorSystem;

pub fn conclusion(_system: &IndicatorSystem, _input: &AssessmentInput, _summary: &Summary) -> String {
    unimplemented!()
}
