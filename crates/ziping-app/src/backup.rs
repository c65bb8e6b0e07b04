//! 备份与恢复: automatic and manual backups of the workspace, and restoring one.
//!
//! Backups are complete copies of the workspace database made with SQLite's online backup API
//! (`ziping_store::Workspace::backup_to`), kept in a folder beside the workspace,
//! `<workspace file>.backups/`, named by time and reason: `20241130-101500-freeze.sqlite`.
//!
//! * automatically when an assessment is frozen (定稿), and at most once a calendar day when a
//!   workspace with at least one assessment is opened;
//! * on request (立即备份, `ziping backup`), or to a file the user chose (`ziping backup --to`);
//! * before every restore, of the state being replaced.
//!
//! The folder keeps the newest [`KEEP_BACKUPS`]; older ones are deleted after each new backup.
//! Restoring verifies the file completely first (a workspace of a supported schema, integrity
//! check ok) and changes nothing when it refuses. Evidence files are not part of a backup: they
//! live in `<workspace>.evidence/`, named by their content, and are never rewritten.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ziping_store::{StoreError, Workspace};

use crate::error::{AppError, ErrorCode};
use crate::service::App;

/// How many backups the backups folder keeps.
pub const KEEP_BACKUPS: usize = 10;

/// Why a backup was made (the last part of its file name).
const REASONS: &[(&str, &str)] = &[
    ("open", "每日自动备份"),
    ("freeze", "定稿时自动备份"),
    ("manual", "手动备份"),
    ("restore", "恢复前自动备份"),
];

/// One backup file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct BackupInfo {
    pub file_name: String,
    /// Full path, for restoring or showing in the file manager.
    pub path: String,
    /// When it was made, local time “2024-11-30 10:15:00”.
    pub created_at: String,
    /// "open", "freeze", "manual", "restore" or "" for a file outside the backups folder.
    pub reason: String,
    /// The reason in Chinese (每日自动备份, 定稿时自动备份, 手动备份, 恢复前自动备份).
    pub reason_label: String,
    /// Size in bytes.
    pub size: u64,
}

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RestoreResult {
    /// The file restored from.
    pub restored_from: String,
    /// The backup of the state that was replaced (to undo the restore).
    pub safety_backup: BackupInfo,
    /// The schema version of the restored file before it was brought up to date.
    pub schema_version: u32,
    /// Chinese sentence for the user.
    pub message: String,
}

/// The backups folder of a workspace: `<workspace file>.backups` beside it.
pub fn backups_dir(workspace: &Path) -> PathBuf {
    let mut name = workspace.file_name().unwrap_or_default().to_os_string();
    name.push(".backups");
    workspace.with_file_name(name)
}

/// The parts of a backup file name `YYYYMMDD-HHMMSS[-n]-reason.sqlite`: (stamp, n, reason).
fn parse_name(name: &str) -> Option<(String, u32, &'static str)> {
    let stem = name.strip_suffix(".sqlite")?;
    let (rest, reason) = stem.rsplit_once('-')?;
    let reason = REASONS.iter().find(|(r, _)| *r == reason)?.0;
    let stamp = rest.get(..15)?;
    let (date, time) = stamp.split_once('-')?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(date, 8) || !digits(time, 6) {
        return None;
    }
    let suffix = &rest[15..];
    let n = if suffix.is_empty() { 1 } else { suffix.strip_prefix('-')?.parse().ok()? };
    Some((stamp.to_string(), n, reason))
}

fn label(reason: &str) -> String {
    REASONS.iter().find(|(r, _)| *r == reason).map(|(_, l)| l.to_string()).unwrap_or_else(|| "备份".to_string())
}

fn info_of(path: &Path) -> Result<BackupInfo, AppError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| AppError::new(ErrorCode::Io, format!("无法读取备份“{}”：{e}", path.display())))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (created_at, reason) = match parse_name(&file_name) {
        Some((stamp, _, reason)) => (
            format!(
                "{}-{}-{} {}:{}:{}",
                &stamp[0..4],
                &stamp[4..6],
                &stamp[6..8],
                &stamp[9..11],
                &stamp[11..13],
                &stamp[13..15]
            ),
            reason.to_string(),
        ),
        None => {
            let at = meta
                .modified()
                .ok()
                .map(|t| chrono::DateTime::<chrono::Local>::from(t).format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default();
            (at, String::new())
        }
    };
    Ok(BackupInfo {
        file_name,
        path: path.display().to_string(),
        created_at,
        reason_label: label(&reason),
        reason,
        size: meta.len(),
    })
}

/// The backups in the folder of `workspace`, newest first (an absent folder: none).
pub fn list_backups(workspace: &Path) -> Result<Vec<BackupInfo>, AppError> {
    let dir = backups_dir(workspace);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(AppError::new(ErrorCode::Io, format!("无法读取备份文件夹“{}”：{e}", dir.display())));
        }
    };
    let mut found: Vec<((String, u32, std::time::SystemTime), PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((stamp, n, _)) = parse_name(&name) {
            let modified = entry.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
            found.push(((stamp, n, modified), entry.path()));
        }
    }
    // Newest first: by time stamp, then by the "-n" of a further backup within the same second,
    // then by the file's time (two backups of different reasons in the same second).
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found.iter().map(|(_, p)| info_of(p)).collect()
}

/// "YYYYMMDD-HHMMSS" of an RFC 3339 time, in the time's own offset (the clock's local time).
fn stamp_of(now: &str) -> Result<String, AppError> {
    chrono::DateTime::parse_from_rfc3339(now)
        .map(|t| t.format("%Y%m%d-%H%M%S").to_string())
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("时钟给出的时间“{now}”无法识别：{e}")))
}

fn refused(file: &Path, e: StoreError) -> AppError {
    let name = file.display();
    let message = match e {
        StoreError::NotAWorkspace { reason, .. } => format!("未恢复：“{name}”不是可用的工作区备份（{reason}）。"),
        StoreError::Corrupt { detail, .. } => format!("未恢复：备份文件“{name}”已损坏（{detail}）。"),
        StoreError::NewerSchema { found, supported, .. } => format!(
            "未恢复：备份文件“{name}”由较新版本的履职自评创建（数据库版本{found}，本程序支持到{supported}），请升级程序后再恢复。"
        ),
        StoreError::Io { source, .. } => format!("未恢复：无法读取“{name}”（{source}）。"),
        other => format!("未恢复：{other}"),
    };
    AppError::new(ErrorCode::Workspace, format!("{message}当前工作区未做任何修改。"))
}

impl App {
    /// The backups of this workspace, newest first.
    pub fn backups(&self) -> Result<Vec<BackupInfo>, AppError> {
        list_backups(self.path())
    }

    /// 立即备份: a backup into the backups folder (then the folder keeps the newest
    /// [`KEEP_BACKUPS`]).
    pub fn backup_now(&mut self) -> Result<BackupInfo, AppError> {
        self.backup_into_folder("manual")
    }

    /// A backup to a file the user chose (not counted in the folder's rotation).
    pub fn backup_to(&self, dest: &Path) -> Result<BackupInfo, AppError> {
        if dest.exists() && same_file(dest, self.path()) {
            return Err(AppError::invalid("备份文件不能是工作区文件本身。"));
        }
        self.workspace().backup_to(dest).map_err(|e| {
            AppError::new(ErrorCode::Io, format!("备份到“{}”失败：{e}", dest.display()))
        })?;
        info_of(dest)
    }

    /// Replaces the workspace's content with the backup `file`, after checking it completely and
    /// backing up the current state (恢复前自动备份). A refused file changes nothing.
    pub fn restore(&mut self, file: &Path) -> Result<RestoreResult, AppError> {
        if !file.exists() {
            return Err(AppError::not_found(format!("未恢复：找不到备份文件“{}”。当前工作区未做任何修改。", file.display())));
        }
        if same_file(file, self.path()) {
            return Err(AppError::invalid("未恢复：选择的是当前工作区文件本身，不是备份。"));
        }
        ziping_store::verify_workspace_file(file).map_err(|e| refused(file, e))?;
        let safety_backup = self.backup_into_folder("restore")?;
        let schema_version = self.workspace_mut().restore_from(file).map_err(|e| refused(file, e))?;
        // Reopen: brings a backup of an older schema up to date (and checks it once more).
        let ws = Workspace::open(self.path())?;
        self.replace_workspace(ws);
        let message = format!(
            "已从“{}”恢复工作区。恢复前的内容已备份为“{}”。",
            file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            safety_backup.file_name
        );
        Ok(RestoreResult { restored_from: file.display().to_string(), safety_backup, schema_version, message })
    }

    /// The daily backup on open: only for a workspace that holds an assessment, and only when the
    /// folder has no backup of today yet. Failures are ignored: opening must not depend on it.
    pub(crate) fn backup_on_open(&mut self) {
        let has_content = self.workspace().assessments().map(|a| !a.is_empty()).unwrap_or(false);
        if !has_content {
            return;
        }
        let Ok(today) = stamp_of(&self.now()) else { return };
        let today = &today[..8];
        let done_today = list_backups(self.path())
            .map(|list| list.iter().any(|b| b.file_name.starts_with(today)))
            .unwrap_or(true);
        if !done_today {
            let _ = self.backup_into_folder("open");
        }
    }

    /// The backup after a freeze (定稿). Failures are ignored: the freeze itself succeeded.
    pub(crate) fn backup_on_freeze(&mut self) {
        let _ = self.backup_into_folder("freeze");
    }

    fn backup_into_folder(&mut self, reason: &str) -> Result<BackupInfo, AppError> {
        let dir = backups_dir(self.path());
        std::fs::create_dir_all(&dir)
            .map_err(|e| AppError::new(ErrorCode::Io, format!("无法创建备份文件夹“{}”：{e}", dir.display())))?;
        let stamp = stamp_of(&self.now())?;
        let mut dest = dir.join(format!("{stamp}-{reason}.sqlite"));
        let mut n = 1;
        while dest.exists() {
            n += 1;
            dest = dir.join(format!("{stamp}-{n}-{reason}.sqlite"));
        }
        self.workspace()
            .backup_to(&dest)
            .map_err(|e| AppError::new(ErrorCode::Io, format!("备份工作区失败：{e}")))?;
        let info = info_of(&dest)?;
        // Rotation: keep the newest KEEP_BACKUPS.
        for old in list_backups(self.path())?.iter().skip(KEEP_BACKUPS) {
            let _ = std::fs::remove_file(&old.path);
        }
        Ok(info)
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
