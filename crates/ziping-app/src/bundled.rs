//! The indicator systems shipped with the program (`assets/frameworks/`), compiled into the binary
//! so the product never reads `../shared` or any file beside the executable at run time.

use ziping_core::validate::load_system;
use ziping_core::IndicatorSystem;

use crate::error::{AppError, ErrorCode};

/// (file name, JSON text) of every bundled system, in the order lists show them.
const FILES: &[(&str, &str)] = &[
    ("sample-county-24.json", include_str!("../../../assets/frameworks/sample-county-24.json")),
    ("national-provincial-2017.json", include_str!("../../../assets/frameworks/national-provincial-2017.json")),
    ("county-quality-balance-2017.json", include_str!("../../../assets/frameworks/county-quality-balance-2017.json")),
    ("county-preschool-2020.json", include_str!("../../../assets/frameworks/county-preschool-2020.json")),
];

/// Parses and validates every bundled system. A failure here is a packaging bug, reported as
/// [`ErrorCode::Internal`] with every problem listed.
pub fn bundled_systems() -> Result<Vec<IndicatorSystem>, AppError> {
    FILES
        .iter()
        .map(|(name, json)| {
            load_system(name, json).map_err(|problems| {
                let list: Vec<String> = problems.iter().map(|p| format!("{}：{}", p.path, p.message)).collect();
                AppError::new(ErrorCode::Internal, format!("内置指标体系文件 {name} 有误：{}", list.join("；")))
            })
        })
        .collect()
}
