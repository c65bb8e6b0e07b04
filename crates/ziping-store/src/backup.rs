//! Online backups of a workspace and restoring one (SQLite's backup API).
//!
//! A backup is a complete, self-contained copy of the database file made page by page while the
//! workspace stays open (other connections may keep writing; the copy is of one consistent moment).
//! It is written to a temporary file, switched out of WAL mode, synced and renamed, so a crash
//! during a backup leaves no half-written backup under the final name.
//!
//! Restoring verifies the source completely first (ours, a supported schema, `PRAGMA
//! integrity_check` ok) through a read-only connection, then copies it into the open workspace
//! through the same backup API in one step: readers see the old or the new content, never a mix.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;

use crate::error::StoreError;
use crate::migrations::SUPPORTED_SCHEMA;
use crate::open::{inspect, map_sqlite, open_read_only};
use crate::workspace::Workspace;

/// Checks that `path` is a complete, healthy workspace of a schema this binary supports, without
/// modifying it. Returns its schema version (`PRAGMA user_version`, 1..=[`SUPPORTED_SCHEMA`]).
///
/// Stricter than opening: an empty file or an empty SQLite database is refused (it holds no
/// workspace), and the full `PRAGMA integrity_check` runs, not only the quick check.
pub fn verify_workspace_file(path: &Path) -> Result<u32, StoreError> {
    let not_ours = |reason: &str| StoreError::NotAWorkspace {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_file() && meta.len() == 0 {
        return Err(not_ours("文件是空的，不是工作区备份"));
    }
    inspect(path)?;
    let conn = open_read_only(path)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| map_sqlite(path, e))?;
    if version < 1 {
        return Err(not_ours("这是一个空数据库，不含任何工作区内容"));
    }
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check(10)")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| map_sqlite(path, e))?;
    if problems != ["ok"] {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("完整性检查未通过：{}", problems.join("；")),
        });
    }
    // `inspect` refused newer schemas; the conversion cannot fail for 1..=SUPPORTED_SCHEMA.
    Ok(u32::try_from(version).unwrap_or(SUPPORTED_SCHEMA))
}

impl Workspace {
    /// Writes a complete copy of the workspace database to `dest` (replacing it if it exists).
    /// The copy is a plain rollback-journal SQLite file that opens as a workspace on its own.
    /// Evidence files (`<workspace>.evidence/`) are not part of it.
    pub fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        let io_err = |path: &Path, source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        let tmp = tmp_path(dest);
        let _ = std::fs::remove_file(&tmp);
        let result = (|| -> Result<(), StoreError> {
            let mut dst = Connection::open(&tmp).map_err(|e| map_sqlite(&tmp, e))?;
            {
                let backup = Backup::new(&self.conn, &mut dst)?;
                backup.run_to_completion(256, Duration::ZERO, None)?;
            }
            // The copied header says WAL; a backup is one self-contained file.
            let _mode: String =
                dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
            dst.close().map_err(|(_, e)| StoreError::Sqlite(e))?;
            File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| io_err(&tmp, e))?;
            std::fs::rename(&tmp, dest).map_err(|e| io_err(dest, e))?;
            if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
                // Make the rename durable (best effort: not every platform can sync a directory).
                let _ = File::open(dir).and_then(|d| d.sync_all());
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Replaces the whole content of this workspace with the backup at `src`, after
    /// [`verify_workspace_file`] accepted it. The copy happens in one step through SQLite's backup
    /// API; afterwards the workspace should be reopened (to migrate an older backup).
    /// On any refusal the workspace is unchanged.
    pub fn restore_from(&mut self, src: &Path) -> Result<u32, StoreError> {
        let version = verify_workspace_file(src)?;
        let source = open_read_only(src)?;
        let backup = Backup::new(&source, &mut self.conn)?;
        // All pages in one step: one write transaction on the workspace.
        let mut waits = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::Busy | StepResult::Locked if waits < 100 => {
                    waits += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                StepResult::More => {}
                _ => {
                    return Err(StoreError::Invalid(
                        "工作区正被其他程序使用，无法恢复；请关闭其他窗口后重试".to_string(),
                    ))
                }
            }
        }
        Ok(version)
    }
}

fn tmp_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    dest.with_file_name(name)
}
