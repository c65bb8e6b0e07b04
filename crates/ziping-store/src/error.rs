//! The one error type of the store, with Chinese messages an inspector can act on.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong in the store.
///
/// The `Display` text is meant for the user: it says what happened, to which file, and what to do.
/// [`StoreError::code`] gives a stable machine-readable code for the app layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not a 履职自评 workspace (not SQLite at all, or another program's
    /// database). The file was not modified.
    #[error("无法打开工作区“{}”：{reason}", .path.display())]
    NotAWorkspace { path: PathBuf, reason: String },

    /// The file is (or contains) a damaged database, or stored content fails its checksum.
    #[error("无法打开工作区“{}”：文件已损坏（{detail}），请从备份恢复。", .path.display())]
    Corrupt { path: PathBuf, detail: String },

    /// The workspace was written by a newer version of the program. The file was not modified.
    #[error(
        "无法打开工作区“{}”：该文件由较新版本的履职自评创建（数据库版本{found}，本程序支持到{supported}），请升级程序后再打开。",
        .path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    /// An assessment, snapshot, history row or revision that does not exist.
    #[error("找不到{what}。")]
    NotFound { what: String },

    /// The assessment's current revision is frozen (定稿); nothing was written.
    #[error("该自评第{revision}版已定稿，不能修改；如需修改请先新建修订版。")]
    Frozen { assessment_id: i64, revision: u32 },

    /// A new revision can only be started from a frozen one.
    #[error("该自评第{revision}版尚未定稿，不能新建修订版；请先定稿。")]
    NotFrozen { assessment_id: i64, revision: u32 },

    /// The history row cannot be undone (e.g. the start of a new revision).
    #[error("无法撤销历史记录（编号{history_id}）：{reason}")]
    CannotRevert { history_id: i64, reason: String },

    /// The thing is still used (e.g. an evidence item linked to leaves); nothing was changed.
    #[error("{what}仍关联着{count}个测评点，不能删除；请先取消关联。")]
    InUse { what: String, count: usize },

    /// A package (`.zpk`) was refused before anything was written. `detail` names the entry.
    #[error("无法导入“{}”{detail}。工作区未做任何修改。", .path.display())]
    BadPackage { path: PathBuf, detail: String },

    /// An argument the caller passed is unusable (e.g. a timestamp that is not RFC 3339).
    #[error("数据不合法：{0}")]
    Invalid(String),

    /// Any other database failure (disk full, file locked by another program…).
    #[error("数据库操作失败：{0}")]
    Sqlite(#[from] rusqlite::Error),

    /// The file could not be read, created or opened.
    #[error("无法访问文件“{}”：{source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl StoreError {
    /// A stable code for the app layer's `{code, message}` errors.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotAWorkspace { .. } => "not_a_workspace",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::NewerSchema { .. } => "newer_schema",
            StoreError::NotFound { .. } => "not_found",
            StoreError::Frozen { .. } => "frozen",
            StoreError::NotFrozen { .. } => "not_frozen",
            StoreError::CannotRevert { .. } => "cannot_revert",
            StoreError::InUse { .. } => "in_use",
            StoreError::BadPackage { .. } => "bad_package",
            StoreError::Invalid(_) => "invalid",
            StoreError::Sqlite(_) => "sqlite",
            StoreError::Io { .. } => "io",
        }
    }
}
