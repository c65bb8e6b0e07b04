//! # ziping-app: the API boundary
//!
//! Every use case of the desktop app and the CLI is a function or an [`App`] method here; both
//! front ends are thin and hold no logic. Inputs and outputs are wire DTOs ([`dto`]), separate from
//! the domain types; errors are [`AppError`] `{code, message}` with a closed set of codes and a
//! Chinese message ready to show.
//!
//! To add a use case: add the DTOs to `dto.rs`, the method to [`App`] (validate against the
//! assessment's system snapshot, then call the store), and a one-line command in the shell and/or
//! a subcommand in the CLI.

pub mod backup;
pub mod bindings;
pub mod bundled;
pub mod decisions;
pub mod demo;
pub mod dto;
pub mod error;
pub mod evidence;
pub mod evidence_view;
pub mod package;
pub mod report;
pub mod service;
pub mod statistics;
pub mod systems;
pub mod workbench;

pub use backup::{BackupInfo, RestoreResult};
pub use decisions::{SuggestionDecided, SuggestionDecisionInput, SuggestionStatus};
/// The statistics preview and stored tables, for the shell's command signatures.
pub use ziping_import::ImportPreview;
pub use ziping_metrics::Tables;
pub use demo::{create_demo, seed_demo_if_new};
pub use dto::*;
pub use error::{AppError, ErrorCode};
pub use evidence::*;
pub use package::*;
pub use service::{default_workspace_path, system_clock, systems, App, Clock};
pub use workbench::*;
/// Types the desktop shell names in its 指标体系 commands.
pub use ziping_core::IndicatorSystem;
pub use ziping_import::system::{SystemOptions, SystemPreview};

/// The product's name and version, shown in the window and in 关于.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

pub fn app_info() -> AppInfo {
    AppInfo { name: "履职自评".to_string(), version: env!("CARGO_PKG_VERSION").to_string() }
}
