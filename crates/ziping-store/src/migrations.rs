//! The schema, as plain-SQL migrations embedded in the binary.
//!
//! Migration *n* (1-based) is `MIGRATIONS[n - 1]`; after it ran, `PRAGMA user_version` is *n*.
//! All pending migrations run in ONE transaction, so a workspace is never left half-migrated.
//!
//! To change the schema: add `migrations/000N_what.sql` and append it to [`MIGRATIONS`]. Never edit
//! a migration that has been released: existing workspaces already ran it and would not run it again.
//! The test `migrations::files_on_disk_are_all_registered` fails if a file is not listed here.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::StoreError;

/// A named migration step.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// File name under `migrations/`, e.g. `"0001_init.sql"`.
    pub name: &'static str,
    pub sql: &'static str,
}

/// All migrations, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        name: "0001_init.sql",
        sql: include_str!("../migrations/0001_init.sql"),
    },
    Migration {
        name: "0002_evidence.sql",
        sql: include_str!("../migrations/0002_evidence.sql"),
    },
    Migration {
        name: "0003_statistics.sql",
        sql: include_str!("../migrations/0003_statistics.sql"),
    },
    Migration {
        name: "0004_library.sql",
        sql: include_str!("../migrations/0004_library.sql"),
    },
    Migration {
        name: "0005_suggestion_decisions.sql",
        sql: include_str!("../migrations/0005_suggestion_decisions.sql"),
    },
];

/// The schema version this binary creates and understands (`PRAGMA user_version`).
pub const SUPPORTED_SCHEMA: u32 = MIGRATIONS.len() as u32;

/// `PRAGMA application_id` of every workspace: "ZPZP" in ASCII. Lets the program (and `file(1)`)
/// tell a workspace from any other SQLite file.
pub const APPLICATION_ID: i32 = 0x5A50_5A50;

/// Brings `conn` up to [`SUPPORTED_SCHEMA`] in one immediate transaction and stamps
/// [`APPLICATION_ID`]. Running it on an up-to-date database changes nothing. Returns the schema
/// version afterwards.
///
/// Refuses (and rolls back) a database whose `user_version` is newer than this binary knows.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    let path = conn.path().unwrap_or("").into();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let app_id: i32 = tx.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if current < 0 {
        return Err(StoreError::NotAWorkspace {
            path,
            reason: format!("数据库版本号{current}无效，该文件不是履职自评的工作区"),
        });
    }
    if current > i64::from(SUPPORTED_SCHEMA) {
        return Err(StoreError::NewerSchema {
            path,
            found: u32::try_from(current).unwrap_or(u32::MAX),
            supported: SUPPORTED_SCHEMA,
        });
    }
    // `current` is in 0..=SUPPORTED_SCHEMA here, so the conversion cannot fail.
    let current = usize::try_from(current).unwrap_or(0);
    for m in &MIGRATIONS[current..] {
        tx.execute_batch(m.sql)?;
    }
    if current < MIGRATIONS.len() {
        tx.pragma_update(None, "user_version", SUPPORTED_SCHEMA)?;
    }
    if app_id != APPLICATION_ID {
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    tx.commit()?;
    Ok(SUPPORTED_SCHEMA)
}
