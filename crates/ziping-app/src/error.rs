//! Errors as they cross to the UI and the CLI: `{code, message}`.

use serde::{Deserialize, Serialize};

/// The closed set of error codes the UI may branch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The user's input is not acceptable (unknown point, bad amount, …).
    InvalidInput,
    /// A referenced thing does not exist.
    NotFound,
    /// The assessment is frozen (定稿) and cannot be edited.
    Frozen,
    /// The workspace file is not a workspace, is corrupt, or is of a newer schema.
    Workspace,
    /// An indicator system file is invalid.
    InvalidSystem,
    /// Reading or writing a file failed.
    Io,
    /// A package (`.zpk`) was refused (truncated, altered, unsafe, newer format…); nothing changed.
    BadPackage,
    /// An import found leaves changed on both sides; choose per conflict (or prefer one side).
    Conflict,
    /// A bug: something that should not happen.
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, ts_rs::TS)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    /// Chinese, full-width punctuation, ready to show.
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError { code, message: message.into() }
    }
    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::InvalidInput, message)
    }
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::NotFound, message)
    }
}

impl From<ziping_store::StoreError> for AppError {
    fn from(e: ziping_store::StoreError) -> AppError {
        use ziping_store::StoreError as S;
        let code = match &e {
            S::NotFound { .. } => ErrorCode::NotFound,
            S::Frozen { .. } => ErrorCode::Frozen,
            S::NotAWorkspace { .. } | S::Corrupt { .. } | S::NewerSchema { .. } => ErrorCode::Workspace,
            S::Io { .. } => ErrorCode::Io,
            S::NotFrozen { .. } | S::CannotRevert { .. } | S::Invalid(_) | S::InUse { .. } => ErrorCode::InvalidInput,
            S::BadPackage { .. } => ErrorCode::BadPackage,
            S::Sqlite(_) => ErrorCode::Internal,
        };
        AppError::new(code, e.to_string())
    }
}
