//! Validation of indicator systems: every problem, each with its path. (To be implemented.)

use crate::system::IndicatorSystem;

/// One problem found in a system file. `path` is a JSON-pointer-like location such as
/// `children[2].children[4].max_score`, prefixed by the node codes for humans where known.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub path: String,
    /// Chinese message.
    pub message: String,
}

/// Checks the meaning of a system; returns all problems (empty = valid).
pub fn validate(_system: &IndicatorSystem) -> Vec<Problem> {
    unimplemented!()
}

/// Parses and validates a system file's text. `origin` names the file in messages.
pub fn load_system(_origin: &str, _json: &str) -> Result<IndicatorSystem, Vec<Problem>> {
    unimplemented!()
}
