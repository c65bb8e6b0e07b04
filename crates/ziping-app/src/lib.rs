//! # ziping-app: the API boundary
//!
//! Every use case of the desktop app and the CLI is a function here; both front ends are thin.
//! Inputs and outputs are wire DTOs (serde), errors are [`AppError`] `{code, message}` with a closed
//! set of codes and a Chinese message.

pub mod error;

pub use error::{AppError, ErrorCode};

/// The product's name and version, shown in the window and in 关于.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

pub fn app_info() -> AppInfo {
    AppInfo { name: "履职自评".to_string(), version: env!("CARGO_PKG_VERSION").to_string() }
}
