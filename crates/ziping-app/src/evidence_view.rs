//! Showing an evidence file with the system viewer.
//!
//! The stored file is named by its SHA-256 and has no extension, so no viewer would know what it
//! is; and the viewer must never be able to change the stored file. [`App::evidence_view_copy`]
//! therefore copies it, under the name it was added with, into a folder of the system's temporary
//! directory and marks the copy read-only; the shell opens that copy. The copies of one run of the
//! program go into a folder of their own ([`own_view_dir`]), which the desktop app removes when it
//! exits ([`remove_own_view_copies`]); copies older than a day, left by runs that ended abnormally,
//! are removed at the next start ([`clean_view_copies`]). Also: [`doc_no_preview`], the
//! 文号 as it will be stored, shown in the metadata form while typing.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorCode};
use crate::service::App;

/// A 文号 as it will be stored, for the metadata form to show while the user types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DocNoPreview {
    /// The normalised form (机关代字〔年份〕序号号), or the input as typed when unreadable.
    pub text: String,
    /// Not readable as a 文号: kept as typed and flagged.
    pub flagged: bool,
}

/// The normalised form of a 文号 (see `ziping_core::docno`).
pub fn doc_no_preview(input: &str) -> DocNoPreview {
    let d = ziping_core::docno::normalize(input);
    DocNoPreview {
        text: d.text().to_string(),
        flagged: !input.trim().is_empty() && d.is_flagged(),
    }
}

/// A file name safe on every system: no folders, no reserved characters, not empty.
fn safe_name(name: &str, sha256: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').to_string();
    if cleaned.is_empty() {
        format!("{}.bin", &sha256[..sha256.len().min(16)])
    } else {
        cleaned
    }
}

/// File types the system viewer may open: documents, spreadsheets, slides, images, text and
/// archives. Anything else (programs, scripts, installers, shortcuts, unknown types) is never handed
/// to the system, because "opening" such a file runs it.
const VIEWABLE: &[&str] = &[
    "pdf", "ofd", "doc", "docx", "wps", "rtf", "odt", "xls", "xlsx", "et", "ods", "csv", "ppt", "pptx", "dps",
    "odp", "txt", "md", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "heic", "zip", "rar", "7z",
];

/// Whether a file with this name may be opened with the system viewer (see [`VIEWABLE`]).
pub fn viewable(file_name: &str) -> bool {
    std::path::Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| VIEWABLE.contains(&e.to_ascii_lowercase().as_str()))
}

impl App {
    /// A read-only copy of an item's file, named as it was added, for the system viewer.
    pub fn evidence_view_copy(&self, id: i64) -> Result<PathBuf, AppError> {
        let item = self.workspace().evidence_item(id)?;
        let src = self.workspace().evidence_file(id)?;
        let title = &item.meta.title;
        if !viewable(&item.file_name) {
            return Err(AppError::invalid(format!(
                "出于安全考虑，本工具不直接打开“{}”这类文件（可能是程序或脚本）。佐证材料《{title}》已完整保存，如需查看请另存后用合适的程序打开。",
                item.file_name
            )));
        }
        if !src.is_file() {
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!("佐证材料《{title}》的文件已丢失，请在“佐证材料”页点击“校验”查看详情。"),
            ));
        }
        let io = |what: &str, e: std::io::Error| {
            AppError::new(
                ErrorCode::Io,
                format!("无法打开佐证材料《{title}》：{what}失败（{e}）。"),
            )
        };
        let dir = own_view_dir().join(&item.sha256[..item.sha256.len().min(16)]);
        std::fs::create_dir_all(&dir).map_err(|e| io("创建临时文件夹", e))?;
        let dest = dir.join(safe_name(&item.file_name, &item.sha256));
        let current = std::fs::metadata(&dest).ok().map(|m| m.len());
        if current != Some(item.size) {
            if current.is_some() {
                let mut perms = std::fs::metadata(&dest)
                    .map_err(|e| io("读取临时副本", e))?
                    .permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                perms.set_readonly(false);
                std::fs::set_permissions(&dest, perms).map_err(|e| io("替换临时副本", e))?;
            }
            std::fs::copy(&src, &dest).map_err(|e| io("复制文件", e))?;
            let mut perms = std::fs::metadata(&dest)
                .map_err(|e| io("读取临时副本", e))?
                .permissions();
            perms.set_readonly(true);
            std::fs::set_permissions(&dest, perms).map_err(|e| io("设置只读", e))?;
        }
        Ok(dest)
    }
}

/// The folder of every viewer copy: `ziping-view` in the system's temporary directory.
pub fn view_root() -> PathBuf {
    std::env::temp_dir().join("ziping-view")
}

/// The folder of this run's viewer copies: `<view_root>/p<process id>/`.
pub fn own_view_dir() -> PathBuf {
    view_root().join(format!("p{}", std::process::id()))
}

/// How old a viewer copy must be before [`clean_view_copies`] removes it.
pub const VIEW_COPY_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Removes the viewer copies older than [`VIEW_COPY_MAX_AGE`] (at start-up: copies left by runs
/// that did not exit normally). Best effort; returns how many files were removed.
pub fn clean_view_copies() -> usize {
    clean_view_copies_in(&view_root(), VIEW_COPY_MAX_AGE, &own_view_dir())
}

/// Removes this run's viewer copies (when the desktop app exits). Best effort: a copy a viewer
/// still holds open may stay (Windows); the next start removes it once it is a day old.
pub fn remove_own_view_copies() {
    let dir = own_view_dir();
    make_tree_writable(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Removes the files under `root` last modified more than `max_age` ago, and then the folders left
/// empty; `keep` (this run's folder) is never touched. Read-only copies are made writable first
/// (needed on Windows). Symbolic links are removed, never followed. Returns the files removed.
pub fn clean_view_copies_in(root: &Path, max_age: Duration, keep: &Path) -> usize {
    let now = SystemTime::now();
    let mut removed = 0;
    sweep(root, keep, max_age, now, &mut removed);
    removed
}

/// Sweeps one folder; returns whether it is empty afterwards.
fn sweep(dir: &Path, keep: &Path, max_age: Duration, now: SystemTime, removed: &mut usize) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    let mut empty = true;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.path().symlink_metadata() else {
            empty = false;
            continue;
        };
        if meta.is_dir() {
            if path == keep || !sweep(&path, keep, max_age, now, removed) || std::fs::remove_dir(&path).is_err() {
                empty = false;
            }
            continue;
        }
        let old = meta.modified().ok().and_then(|m| now.duration_since(m).ok()).is_some_and(|age| age > max_age);
        if old {
            make_writable(&path, &meta);
            if std::fs::remove_file(&path).is_ok() {
                *removed += 1;
                continue;
            }
        }
        empty = false;
    }
    empty
}

#[allow(clippy::permissions_set_readonly_false)]
fn make_writable(path: &Path, meta: &std::fs::Metadata) {
    let mut perms = meta.permissions();
    if meta.is_file() && perms.readonly() {
        perms.set_readonly(false);
        let _ = std::fs::set_permissions(path, perms);
    }
}

fn make_tree_writable(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if let Ok(meta) = path.symlink_metadata() {
            if meta.is_dir() {
                make_tree_writable(&path);
            } else {
                make_writable(&path, &meta);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{doc_no_preview, safe_name};

    #[test]
    fn doc_no_is_previewed_normalised_or_flagged() {
        let p = doc_no_preview("示教发[2024]3号");
        assert_eq!((p.text.as_str(), p.flagged), ("示教发〔2024〕3号", false));
        let p = doc_no_preview("见附件");
        assert_eq!((p.text.as_str(), p.flagged), ("见附件", true));
        assert!(!doc_no_preview("  ").flagged);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(
            safe_name("关于印发《方案》的通知.pdf", "ab"),
            "关于印发《方案》的通知.pdf"
        );
        assert_eq!(safe_name("a/b\\c:d.pdf", "ab"), "a_b_c_d.pdf");
        assert_eq!(
            safe_name(" .. ", "0123456789abcdef0123"),
            "0123456789abcdef.bin"
        );
    }
}
