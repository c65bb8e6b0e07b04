//! Imported statistics (the typed tables of `ziping-import`), stored per assessment.
//!
//! Decision: a dataset belongs to one **assessment** (which has one region and one year), not to
//! the workspace. Two assessments of the same county may use different workbooks, and a frozen
//! assessment's data cannot change under it. Each table (`schools`, `classes`, `finance`,
//! `teacher_pay`, `preschool`, `special_groups`, `satisfaction`) is one row: the rows as JSON
//! (every value with its provenance cell), the source file name and SHA-256, the sheet and the
//! time of import. Multi-year tables (finance: this year and the years before) are stored whole.
//!
//! [`Workspace::import_statistics`] writes all tables of one import in ONE transaction: either all
//! are stored or none. A table already stored is replaced; each table written gets a history row
//! (field `statistics`, point = the table key, old and new value = a summary: file, SHA-256,
//! sheet, row count, time). History rows of this field cannot be reverted (re-import instead).
//! Tables not in the import are left as they are. A frozen assessment refuses imports.
//!
//! The store does not parse the JSON: the app converts it to and from `ziping_metrics::Tables`.

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::StoreError;
use crate::types::HistoryRow;
use crate::workspace::Workspace;

/// The table keys a workspace accepts (as `ziping_import::TableKind::key`).
pub const STATISTICS_TABLES: [&str; 7] = [
    "schools",
    "classes",
    "finance",
    "teacher_pay",
    "preschool",
    "special_groups",
    "satisfaction",
];

/// One table to store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewStatisticsTable {
    /// One of [`STATISTICS_TABLES`].
    pub table: String,
    /// The rows as a JSON array.
    pub rows_json: String,
    pub row_count: u32,
    /// The sheet it was read from.
    pub sheet: String,
}

/// One import: the tables read from one file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatisticsImport {
    /// File name (without directories).
    pub source_file: String,
    /// SHA-256 of the file, lower-case hex.
    pub source_sha256: String,
    pub tables: Vec<NewStatisticsTable>,
}

/// A stored table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatisticsTable {
    pub table: String,
    pub rows_json: String,
    pub row_count: u32,
    pub sheet: String,
    pub source_file: String,
    pub source_sha256: String,
    pub imported_at: String,
}

impl StatisticsTable {
    /// The summary recorded in the history.
    fn summary(&self) -> Value {
        json!({
            "file": self.source_file,
            "sha256": self.source_sha256,
            "sheet": self.sheet,
            "rows": self.row_count,
            "imported_at": self.imported_at,
        })
    }
}

const SELECT: &str =
    "SELECT table_key, rows_json, row_count, sheet, source_file, source_sha256, imported_at \
     FROM statistics WHERE assessment_id = ?1";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StatisticsTable> {
    Ok(StatisticsTable {
        table: r.get(0)?,
        rows_json: r.get(1)?,
        row_count: r.get(2)?,
        sheet: r.get(3)?,
        source_file: r.get(4)?,
        source_sha256: r.get(5)?,
        imported_at: r.get(6)?,
    })
}

fn check_import(import: &StatisticsImport) -> Result<(), StoreError> {
    let sha = &import.source_sha256;
    if sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(StoreError::Invalid(format!("文件摘要“{sha}”不是SHA-256")));
    }
    let mut seen = Vec::new();
    for t in &import.tables {
        if !STATISTICS_TABLES.contains(&t.table.as_str()) {
            return Err(StoreError::Invalid(format!("未知的统计表“{}”", t.table)));
        }
        if seen.contains(&t.table.as_str()) {
            return Err(StoreError::Invalid(format!(
                "统计表“{}”在一次导入中出现两次",
                t.table
            )));
        }
        seen.push(t.table.as_str());
        let is_array = t.rows_json.trim_start().starts_with('[')
            && serde_json::from_str::<serde::de::IgnoredAny>(&t.rows_json).is_ok();
        if !is_array {
            return Err(StoreError::Invalid(format!(
                "统计表“{}”的数据不是JSON数组",
                t.table
            )));
        }
    }
    Ok(())
}

impl Workspace {
    /// Stores the tables of one import for an assessment, replacing tables already stored, in one
    /// transaction, with one history row (field `statistics`) per table. Returns the history rows.
    /// Refused (nothing written) for a frozen or unknown assessment or an invalid import.
    pub fn import_statistics(
        &mut self,
        assessment_id: i64,
        import: &StatisticsImport,
        now: &str,
    ) -> Result<Vec<HistoryRow>, StoreError> {
        chrono::DateTime::parse_from_rfc3339(now).map_err(|_| {
            StoreError::Invalid(format!(
                "时间“{now}”不是 RFC 3339 格式（如 2024-01-05T09:30:00+08:00）"
            ))
        })?;
        check_import(import)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (status, revision): (String, u32) = tx
            .query_row(
                "SELECT status, revision FROM assessments WHERE id = ?1",
                [assessment_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("自评（编号{assessment_id}）"),
            })?;
        if status == "frozen" {
            return Err(StoreError::Frozen {
                assessment_id,
                revision,
            });
        }
        let mut written = Vec::new();
        for t in &import.tables {
            // The history keeps a summary of the replaced table, not its rows: they are not read.
            let old: Option<StatisticsTable> = tx
                .query_row(
                    "SELECT table_key, '', row_count, sheet, source_file, source_sha256, imported_at \
                     FROM statistics WHERE assessment_id = ?1 AND table_key = ?2",
                    params![assessment_id, t.table],
                    from_row,
                )
                .optional()?;
            tx.execute(
                "INSERT INTO statistics (assessment_id, table_key, rows_json, row_count, sheet, source_file, source_sha256, imported_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
                 ON CONFLICT (assessment_id, table_key) DO UPDATE SET rows_json = excluded.rows_json, \
                 row_count = excluded.row_count, sheet = excluded.sheet, source_file = excluded.source_file, \
                 source_sha256 = excluded.source_sha256, imported_at = excluded.imported_at",
                params![
                    assessment_id,
                    t.table,
                    t.rows_json,
                    t.row_count,
                    t.sheet,
                    import.source_file,
                    import.source_sha256,
                    now
                ],
            )?;
            let new = StatisticsTable {
                table: t.table.clone(),
                rows_json: String::new(),
                row_count: t.row_count,
                sheet: t.sheet.clone(),
                source_file: import.source_file.clone(),
                source_sha256: import.source_sha256.clone(),
                imported_at: now.to_string(),
            };
            let old_v = old.as_ref().map_or(Value::Null, StatisticsTable::summary);
            let new_v = new.summary();
            tx.execute(
                "INSERT INTO history (assessment_id, point, field, old_value, new_value, at, revision, reverted_id) \
                 VALUES (?1, ?2, 'statistics', ?3, ?4, ?5, ?6, NULL)",
                params![assessment_id, t.table, old_v.to_string(), new_v.to_string(), now, revision],
            )?;
            written.push(HistoryRow {
                id: tx.last_insert_rowid(),
                assessment_id,
                point: Some(t.table.clone()),
                field: "statistics".to_string(),
                old_value: old_v,
                new_value: new_v,
                at: now.to_string(),
                revision,
                reverted_id: None,
            });
        }
        tx.execute(
            "UPDATE assessments SET updated_at = ?2 WHERE id = ?1",
            params![assessment_id, now],
        )?;
        tx.commit()?;
        Ok(written)
    }

    /// As [`Workspace::statistics`] without the rows (`rows_json` empty): what is stored, from where.
    pub fn statistics_sources(
        &self,
        assessment_id: i64,
    ) -> Result<Vec<StatisticsTable>, StoreError> {
        self.assessment(assessment_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT table_key, '', row_count, sheet, source_file, source_sha256, imported_at \
             FROM statistics WHERE assessment_id = ?1",
        )?;
        let mut rows = stmt
            .query_map([assessment_id], from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.sort_by_key(|t| STATISTICS_TABLES.iter().position(|k| *k == t.table));
        Ok(rows)
    }

    /// The statistics tables stored for an assessment, in [`STATISTICS_TABLES`] order.
    pub fn statistics(&self, assessment_id: i64) -> Result<Vec<StatisticsTable>, StoreError> {
        self.assessment(assessment_id)?;
        let mut stmt = self.conn.prepare(SELECT)?;
        let mut rows = stmt
            .query_map([assessment_id], from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.sort_by_key(|t| STATISTICS_TABLES.iter().position(|k| *k == t.table));
        Ok(rows)
    }
}
