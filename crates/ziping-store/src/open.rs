//! Deciding whether a file may be opened as a workspace, without modifying it.
//!
//! Every check here uses a read-only connection (or plain file reads), so a refused file keeps its
//! exact bytes. Only when [`inspect`] accepts a file does [`crate::Workspace::open`] open it
//! read-write, set the connection's PRAGMAs and migrate it.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::StoreError;
use crate::migrations::{APPLICATION_ID, SUPPORTED_SCHEMA};

/// How long a connection waits for another connection's lock before failing.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Tables whose presence marks a workspace that predates `application_id` stamping.
const CORE_TABLES: &[&str] = &["system_snapshots", "assessments", "entries", "history"];

/// Checks that `path` (an existing file) is empty, or a healthy workspace this binary can open.
pub(crate) fn inspect(path: &Path) -> Result<(), StoreError> {
    let io_err = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let not_ours = |reason: &str| StoreError::NotAWorkspace {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let corrupt = |detail: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };

    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(not_ours("这是一个文件夹，不是工作区文件"));
    }
    if meta.len() == 0 {
        // An empty file is an empty SQLite database: a new workspace.
        return Ok(());
    }
    let mut header = Vec::with_capacity(100);
    File::open(path)
        .map_err(io_err)?
        .take(100)
        .read_to_end(&mut header)
        .map_err(io_err)?;
    let magic_len = header.len().min(SQLITE_MAGIC.len());
    if header[..magic_len] != SQLITE_MAGIC[..magic_len] {
        return Err(not_ours(
            "该文件不是履职自评的工作区（不是 SQLite 数据库文件）",
        ));
    }
    if header.len() < 100 {
        return Err(corrupt(format!("文件只有{}字节，不完整", header.len())));
    }

    let conn = open_read_only(path)?;
    let check = |conn: &Connection| -> rusqlite::Result<Result<(), StoreError>> {
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )?;
        let tables = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        if app_id != APPLICATION_ID {
            if app_id != 0 {
                return Ok(Err(not_ours(
                    "该文件是其他程序的 SQLite 数据库，不是履职自评的工作区",
                )));
            }
            let empty = tables.is_empty() && version == 0;
            let legacy = version >= 1 && CORE_TABLES.iter().all(|t| tables.iter().any(|n| n == t));
            if !empty && !legacy {
                return Ok(Err(not_ours(
                    "该文件是其他程序的 SQLite 数据库，不是履职自评的工作区",
                )));
            }
        }
        if version < 0 {
            return Ok(Err(not_ours(
                "数据库版本号无效，该文件不是履职自评的工作区",
            )));
        }
        if version > i64::from(SUPPORTED_SCHEMA) {
            return Ok(Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: u32::try_from(version).unwrap_or(u32::MAX),
                supported: SUPPORTED_SCHEMA,
            }));
        }

        let mut stmt = conn.prepare("PRAGMA quick_check(5)")?;
        let problems = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if problems.len() != 1 || problems[0] != "ok" {
            return Ok(Err(corrupt(format!(
                "完整性检查未通过：{}",
                problems.join("；")
            ))));
        }
        Ok(Ok(()))
    };
    let verdict = check(&conn).map_err(|e| map_sqlite(path, e))?;
    drop(conn);
    verdict
}

/// Maps an SQLite failure while opening or inspecting a file to the error the user should see.
/// A read-only connection to `path` (never created, never written), with the usual busy timeout.
pub(crate) fn open_read_only(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| map_sqlite(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| map_sqlite(path, e))?;
    Ok(conn)
}

pub(crate) fn map_sqlite(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied)
        | Some(ErrorCode::ReadOnly) => StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        },
        _ => StoreError::Sqlite(e),
    }
}
