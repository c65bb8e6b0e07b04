//! [`Workspace`]: one SQLite file holding snapshots, assessments, entries, history and revisions.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use ziping_core::{BonusClaim, Deduction, Entry, IndicatorSystem, Points};

use crate::error::StoreError;
use crate::migrations::{migrate, SUPPORTED_SCHEMA};
use crate::open::{inspect, map_sqlite, BUSY_TIMEOUT};
use crate::types::{
    AssessmentRow, Change, FrozenRevision, HistoryRow, NewAssessment, RevisionInfo, Settings,
    SnapshotRow, Status,
};

/// An open workspace file. Every write method runs in one immediate transaction that is committed
/// (and, with `synchronous=FULL`, on disk) before it returns.
#[derive(Debug)]
pub struct Workspace {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    schema_version: u32,
}

/// Version of the canonical JSON written at each freeze.
const REVISION_CONTENT_FORMAT: u32 = 1;

/// The canonical content of a frozen revision: this struct, serialised with `serde_json::to_string`
/// (fixed field order, maps ordered by key), is what is hashed.
#[derive(Serialize, Deserialize)]
struct RevisionContent {
    format: u32,
    assessment_uid: String,
    region: String,
    year: i32,
    organ: String,
    revision: u32,
    frozen_at: String,
    system: SystemRef,
    entries: BTreeMap<String, Entry>,
    bonus: Vec<BonusClaim>,
}

#[derive(Serialize, Deserialize)]
struct SystemRef {
    id: String,
    version: String,
    sha256: String,
}

const ASSESSMENT_SELECT: &str =
    "SELECT a.id, a.uid, a.region, a.year, a.organ, a.snapshot_id, s.system_id, s.version, \
     s.name, a.status, a.revision, a.created_at, a.updated_at, a.frozen_at \
     FROM assessments a JOIN system_snapshots s ON s.id = a.snapshot_id";

const HISTORY_SELECT: &str =
    "SELECT id, assessment_id, point, field, old_value, new_value, at, revision, reverted_id FROM history";

impl Workspace {
    /// The schema version this binary creates and understands.
    pub const SUPPORTED_SCHEMA: u32 = SUPPORTED_SCHEMA;

    /// Opens the workspace at `path`, creating it if the file does not exist (an existing empty
    /// file is also taken as a new workspace).
    ///
    /// A file that is not SQLite, is damaged, belongs to another program or was written by a newer
    /// version is refused, and is left byte-for-byte unchanged: it is inspected through a read-only
    /// connection before being opened for writing.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let io_err = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        match std::fs::metadata(path) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {
                match OpenOptions::new().write(true).create_new(true).open(path) {
                    Ok(_) => {}
                    // Someone else created it in between: inspect what they wrote.
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(io_err(e)),
                }
            }
            Err(e) => return Err(io_err(e)),
        }
        inspect(path)?;

        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| map_sqlite(path, e))?;
        configure(&conn).map_err(|e| map_sqlite(path, e))?;
        let schema_version = migrate(&mut conn).map_err(|e| match e {
            StoreError::Sqlite(e) => map_sqlite(path, e),
            StoreError::NotAWorkspace { reason, .. } => StoreError::NotAWorkspace {
                path: path.to_path_buf(),
                reason,
            },
            StoreError::NewerSchema {
                found, supported, ..
            } => StoreError::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported,
            },
            other => other,
        })?;
        Ok(Workspace {
            conn,
            path: path.to_path_buf(),
            schema_version,
        })
    }

    /// The file this workspace lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `PRAGMA user_version` after migration (equals [`Workspace::SUPPORTED_SCHEMA`]).
    pub fn schema_version(&self) -> u32 {
        self.schema_version
    }

    /// The connection settings in effect (journal mode, synchronous level, …).
    pub fn settings(&self) -> Result<Settings, StoreError> {
        let c = &self.conn;
        Ok(Settings {
            journal_mode: c.pragma_query_value(None, "journal_mode", |r| r.get(0))?,
            synchronous: c.pragma_query_value(None, "synchronous", |r| r.get(0))?,
            foreign_keys: c.pragma_query_value(None, "foreign_keys", |r| r.get(0))?,
            busy_timeout: c.pragma_query_value(None, "busy_timeout", |r| r.get(0))?,
            application_id: c.pragma_query_value(None, "application_id", |r| r.get(0))?,
            user_version: c.pragma_query_value(None, "user_version", |r| r.get(0))?,
        })
    }

    // ----- system snapshots -------------------------------------------------------------------

    /// Stores `system` as the JSON `serde_json::to_string(system)`, unless a snapshot with the same
    /// SHA-256 exists; returns the snapshot's id either way.
    pub fn put_system_snapshot(&mut self, system: &IndicatorSystem) -> Result<i64, StoreError> {
        let json = serde_json::to_string(system)
            .map_err(|e| StoreError::Invalid(format!("指标体系无法转换为 JSON：{e}")))?;
        let sha = sha256_hex(json.as_bytes());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO system_snapshots (system_id, version, name, official, json, sha256) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sha256) DO NOTHING",
            params![
                system.id,
                system.version,
                system.name,
                system.official,
                json,
                sha
            ],
        )?;
        let id = tx.query_row(
            "SELECT id FROM system_snapshots WHERE sha256 = ?1",
            [&sha],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The indicator system of a snapshot, exactly as stored.
    pub fn system_snapshot(&self, snapshot_id: i64) -> Result<IndicatorSystem, StoreError> {
        let (json, sha): (String, String) = self
            .conn
            .query_row(
                "SELECT json, sha256 FROM system_snapshots WHERE id = ?1",
                [snapshot_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| not_found(format!("指标体系快照（编号{snapshot_id}）")))?;
        if sha256_hex(json.as_bytes()) != sha {
            return Err(self.corrupt(format!("指标体系快照（编号{snapshot_id}）的校验值不符")));
        }
        serde_json::from_str(&json)
            .map_err(|e| self.corrupt(format!("指标体系快照（编号{snapshot_id}）无法读取：{e}")))
    }

    /// All snapshots, oldest first.
    pub fn system_snapshots(&self) -> Result<Vec<SnapshotRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, system_id, version, name, official, sha256 FROM system_snapshots ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(SnapshotRow {
                id: r.get(0)?,
                system_id: r.get(1)?,
                version: r.get(2)?,
                name: r.get(3)?,
                official: r.get(4)?,
                sha256: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    // ----- assessments ------------------------------------------------------------------------

    /// Creates a draft assessment (revision 1) with a fresh random uid.
    pub fn create_assessment(
        &mut self,
        new: &NewAssessment,
        now: &str,
    ) -> Result<AssessmentRow, StoreError> {
        check_time(now)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM system_snapshots WHERE id = ?1)",
            [new.snapshot_id],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(not_found(format!(
                "指标体系快照（编号{}）",
                new.snapshot_id
            )));
        }
        let random: Vec<u8> = tx.query_row("SELECT randomblob(16)", [], |r| r.get(0))?;
        let uid = uuid_v4(&random);
        tx.execute(
            "INSERT INTO assessments (uid, region, year, organ, snapshot_id, status, revision, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'draft', 1, ?6, ?6)",
            params![uid, new.region, new.year, new.organ, new.snapshot_id, now],
        )?;
        let id = tx.last_insert_rowid();
        let row = load_assessment(&tx, id)?;
        tx.commit()?;
        Ok(row)
    }

    /// All assessments, in creation order.
    pub fn assessments(&self) -> Result<Vec<AssessmentRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{ASSESSMENT_SELECT} ORDER BY a.id"))?;
        let rows = stmt.query_and_then([], assessment_from_row)?;
        rows.collect()
    }

    /// One assessment; [`StoreError::NotFound`] if there is none with this id.
    pub fn assessment(&self, id: i64) -> Result<AssessmentRow, StoreError> {
        load_assessment(&self.conn, id)
    }

    /// Deletes an assessment with its entries, deductions, bonus claims, history and revisions.
    /// The system snapshot stays (other assessments may use it).
    pub fn delete_assessment(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute("DELETE FROM assessments WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(assessment_not_found(id));
        }
        tx.commit()?;
        Ok(())
    }

    // ----- entries ----------------------------------------------------------------------------

    /// The entries of an assessment, keyed by leaf code. A leaf appears once it has been really
    /// changed; untouched leaves are absent.
    pub fn entries(&self, id: i64) -> Result<BTreeMap<String, Entry>, StoreError> {
        load_assessment(&self.conn, id)?;
        load_entries(&self.conn, id)
    }

    /// The claimed bonus items of an assessment, ordered by code.
    pub fn bonus_claims(&self, id: i64) -> Result<Vec<BonusClaim>, StoreError> {
        load_assessment(&self.conn, id)?;
        load_bonus(&self.conn, id)
    }

    /// Applies `changes` in order, in ONE transaction. A change whose new value equals the current
    /// one records nothing; each real change updates the entry (or bonus claim), writes one history
    /// row and sets `updated_at` of the entry and the assessment to `now`. Returns the history rows
    /// written, oldest first.
    ///
    /// A frozen assessment refuses every change ([`StoreError::Frozen`]) and nothing is written.
    /// Point codes are not checked against the indicator system (the app layer does that).
    pub fn apply(
        &mut self,
        id: i64,
        changes: &[Change],
        now: &str,
    ) -> Result<Vec<HistoryRow>, StoreError> {
        check_time(now)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = load_assessment(&tx, id)?;
        ensure_draft(&row)?;
        let mut written = Vec::new();
        for change in changes {
            if let Some(h) = apply_one(&tx, &row, change, now, None)? {
                written.push(h);
            }
        }
        if !written.is_empty() {
            tx.execute(
                "UPDATE assessments SET updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
        tx.commit()?;
        Ok(written)
    }

    /// History of an assessment, newest first; only the rows of one leaf (or bonus item) when
    /// `point` is given.
    pub fn history(&self, id: i64, point: Option<&str>) -> Result<Vec<HistoryRow>, StoreError> {
        load_assessment(&self.conn, id)?;
        let mut stmt;
        let rows = match point {
            Some(p) => {
                stmt = self.conn.prepare(&format!(
                    "{HISTORY_SELECT} WHERE assessment_id = ?1 AND point = ?2 ORDER BY id DESC"
                ))?;
                stmt.query_and_then(params![id, p], |r| history_from_row(r, &self.path))?
                    .collect::<Result<Vec<_>, _>>()?
            }
            None => {
                stmt = self.conn.prepare(&format!(
                    "{HISTORY_SELECT} WHERE assessment_id = ?1 ORDER BY id DESC"
                ))?;
                stmt.query_and_then(params![id], |r| history_from_row(r, &self.path))?
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        Ok(rows)
    }

    /// Restores the old value of history row `history_id` as a new change (recorded with
    /// `reverted_id = history_id`). Returns the rows written: empty if the value is already the old
    /// one. Refused when the assessment is frozen.
    pub fn revert(
        &mut self,
        id: i64,
        history_id: i64,
        now: &str,
    ) -> Result<Vec<HistoryRow>, StoreError> {
        check_time(now)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = load_assessment(&tx, id)?;
        ensure_draft(&row)?;
        let h = tx
            .query_row_and_then(
                &format!("{HISTORY_SELECT} WHERE id = ?1 AND assessment_id = ?2"),
                params![history_id, id],
                |r| history_from_row(r, &self.path),
            )
            .optional_store()?
            .ok_or_else(|| not_found(format!("该自评的历史记录（编号{history_id}）")))?;
        let change = change_from_history(&h, &self.path)?;
        let mut written = Vec::new();
        if let Some(w) = apply_one(&tx, &row, &change, now, Some(history_id))? {
            tx.execute(
                "UPDATE assessments SET updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            written.push(w);
        }
        tx.commit()?;
        Ok(written)
    }

    // ----- freeze and revisions ---------------------------------------------------------------

    /// Freezes (定稿) the current revision: status frozen, `frozen_at = now`, and a `revisions` row
    /// with the canonical JSON of all entries and bonus claims and its SHA-256.
    pub fn freeze(&mut self, id: i64, now: &str) -> Result<AssessmentRow, StoreError> {
        check_time(now)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = load_assessment(&tx, id)?;
        ensure_draft(&row)?;
        let system_sha: String = tx.query_row(
            "SELECT sha256 FROM system_snapshots WHERE id = ?1",
            [row.snapshot_id],
            |r| r.get(0),
        )?;
        let content = RevisionContent {
            format: REVISION_CONTENT_FORMAT,
            assessment_uid: row.uid.clone(),
            region: row.region.clone(),
            year: row.year,
            organ: row.organ.clone(),
            revision: row.revision,
            frozen_at: now.to_string(),
            system: SystemRef {
                id: row.system_id.clone(),
                version: row.system_version.clone(),
                sha256: system_sha,
            },
            entries: load_entries(&tx, id)?,
            bonus: load_bonus(&tx, id)?,
        };
        let json = serde_json::to_string(&content)
            .map_err(|e| StoreError::Invalid(format!("定稿内容无法转换为 JSON：{e}")))?;
        let sha = sha256_hex(json.as_bytes());
        tx.execute(
            "INSERT INTO revisions (assessment_id, revision, frozen_at, content, sha256) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, row.revision, now, json, sha],
        )?;
        tx.execute(
            "UPDATE assessments SET status = 'frozen', frozen_at = ?2, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        let row = load_assessment(&tx, id)?;
        tx.commit()?;
        Ok(row)
    }

    /// Starts a new revision of a frozen assessment: revision + 1, status draft, and a history row
    /// with field "revision" (old and new revision numbers). The entries carry over.
    pub fn new_revision(&mut self, id: i64, now: &str) -> Result<AssessmentRow, StoreError> {
        check_time(now)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = load_assessment(&tx, id)?;
        if row.status != Status::Frozen {
            return Err(StoreError::NotFrozen {
                assessment_id: id,
                revision: row.revision,
            });
        }
        let next = row.revision + 1;
        tx.execute(
            "UPDATE assessments SET status = 'draft', revision = ?2, frozen_at = NULL, updated_at = ?3 WHERE id = ?1",
            params![id, next, now],
        )?;
        insert_history(
            &tx,
            id,
            None,
            "revision",
            &json!(row.revision),
            &json!(next),
            now,
            next,
            None,
        )?;
        let row = load_assessment(&tx, id)?;
        tx.commit()?;
        Ok(row)
    }

    /// A frozen revision exactly as it was signed. Fails with [`StoreError::Corrupt`] if the stored
    /// content no longer matches its SHA-256.
    pub fn frozen_revision(&self, id: i64, revision: u32) -> Result<FrozenRevision, StoreError> {
        load_assessment(&self.conn, id)?;
        let (frozen_at, json, sha): (String, String, String) = self
            .conn
            .query_row(
                "SELECT frozen_at, content, sha256 FROM revisions WHERE assessment_id = ?1 AND revision = ?2",
                params![id, revision],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| not_found(format!("该自评的第{revision}版定稿")))?;
        if sha256_hex(json.as_bytes()) != sha {
            return Err(self.corrupt(format!(
                "第{revision}版定稿内容的校验值不符，内容可能被改动"
            )));
        }
        let content: RevisionContent = serde_json::from_str(&json)
            .map_err(|e| self.corrupt(format!("第{revision}版定稿内容无法读取：{e}")))?;
        Ok(FrozenRevision {
            revision,
            frozen_at,
            entries: content.entries,
            bonus: content.bonus,
            sha256: sha,
            content: json,
        })
    }

    /// The frozen revisions of an assessment, oldest first.
    pub fn revisions(&self, id: i64) -> Result<Vec<RevisionInfo>, StoreError> {
        load_assessment(&self.conn, id)?;
        let mut stmt = self
            .conn
            .prepare("SELECT revision, frozen_at, sha256 FROM revisions WHERE assessment_id = ?1 ORDER BY revision")?;
        let rows = stmt.query_map([id], |r| {
            Ok(RevisionInfo {
                revision: r.get(0)?,
                frozen_at: r.get(1)?,
                sha256: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn corrupt(&self, detail: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            detail,
        }
    }
}

/// Sets the per-connection PRAGMAs every read-write connection needs.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // WAL lets readers (a second window, a backup) work while the app writes; FULL syncs the WAL on
    // every commit so that an acknowledged edit survives a crash or power loss.
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

// ----- helpers over a connection or transaction (a `Transaction` derefs to `Connection`) ----------

pub(crate) fn not_found(what: String) -> StoreError {
    StoreError::NotFound { what }
}

pub(crate) fn assessment_not_found(id: i64) -> StoreError {
    not_found(format!("自评（编号{id}）"))
}

pub(crate) fn check_time(now: &str) -> Result<(), StoreError> {
    chrono::DateTime::parse_from_rfc3339(now)
        .map(|_| ())
        .map_err(|_| {
            StoreError::Invalid(format!(
                "时间“{now}”不是 RFC 3339 格式（如 2024-01-05T09:30:00+08:00）"
            ))
        })
}

pub(crate) fn ensure_draft(row: &AssessmentRow) -> Result<(), StoreError> {
    match row.status {
        Status::Draft => Ok(()),
        Status::Frozen => Err(StoreError::Frozen {
            assessment_id: row.id,
            revision: row.revision,
        }),
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Formats 16 random bytes as a version-4 UUID.
pub(crate) fn uuid_v4(random: &[u8]) -> String {
    let mut b = [0u8; 16];
    for (d, s) in b.iter_mut().zip(random) {
        *d = *s;
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

pub(crate) trait OptionalStore<T> {
    fn optional_store(self) -> Result<Option<T>, StoreError>;
}

impl<T> OptionalStore<T> for Result<T, StoreError> {
    fn optional_store(self) -> Result<Option<T>, StoreError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn assessment_from_row(r: &Row<'_>) -> Result<AssessmentRow, StoreError> {
    let status: String = r.get(9)?;
    let status = Status::from_db(&status).ok_or_else(|| {
        StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
            9,
            rusqlite::types::Type::Text,
            format!("unknown status {status:?}").into(),
        ))
    })?;
    Ok(AssessmentRow {
        id: r.get(0)?,
        uid: r.get(1)?,
        region: r.get(2)?,
        year: r.get(3)?,
        organ: r.get(4)?,
        snapshot_id: r.get(5)?,
        system_id: r.get(6)?,
        system_version: r.get(7)?,
        system_name: r.get(8)?,
        status,
        revision: r.get(10)?,
        created_at: r.get(11)?,
        updated_at: r.get(12)?,
        frozen_at: r.get(13)?,
    })
}

pub(crate) fn load_assessment(conn: &Connection, id: i64) -> Result<AssessmentRow, StoreError> {
    conn.query_row_and_then(
        &format!("{ASSESSMENT_SELECT} WHERE a.id = ?1"),
        [id],
        assessment_from_row,
    )
    .optional_store()?
    .ok_or_else(|| assessment_not_found(id))
}

pub(crate) fn history_from_row(r: &Row<'_>, path: &Path) -> Result<HistoryRow, StoreError> {
    let parse = |i: usize| -> Result<Value, StoreError> {
        let s: String = r.get(i)?;
        serde_json::from_str(&s).map_err(|e| StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("历史记录中的值无法读取：{e}"),
        })
    };
    Ok(HistoryRow {
        id: r.get(0)?,
        assessment_id: r.get(1)?,
        point: r.get(2)?,
        field: r.get(3)?,
        old_value: parse(4)?,
        new_value: parse(5)?,
        at: r.get(6)?,
        revision: r.get(7)?,
        reverted_id: r.get(8)?,
    })
}

pub(crate) fn load_entries(
    conn: &Connection,
    id: i64,
) -> Result<BTreeMap<String, Entry>, StoreError> {
    let mut out = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT point, rating, scored, note, problems, measures FROM entries WHERE assessment_id = ?1 ORDER BY point",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Entry {
                rating: r.get(1)?,
                scored: r.get(2)?,
                deductions: Vec::new(),
                note: r.get(3)?,
                problems: r.get(4)?,
                measures: r.get(5)?,
            },
        ))
    })?;
    for row in rows {
        let (point, entry) = row?;
        out.insert(point, entry);
    }
    let mut stmt = conn.prepare(
        "SELECT point, amount, reason FROM deductions WHERE assessment_id = ?1 ORDER BY point, position",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Deduction {
                amount: Points(r.get(1)?),
                reason: r.get(2)?,
            },
        ))
    })?;
    for row in rows {
        let (point, d) = row?;
        // The foreign key guarantees the entry exists.
        out.entry(point).or_default().deductions.push(d);
    }
    Ok(out)
}

fn load_entry(conn: &Connection, id: i64, point: &str) -> Result<Entry, StoreError> {
    let entry = conn
        .query_row(
            "SELECT rating, scored, note, problems, measures FROM entries WHERE assessment_id = ?1 AND point = ?2",
            params![id, point],
            |r| {
                Ok(Entry {
                    rating: r.get(0)?,
                    scored: r.get(1)?,
                    deductions: Vec::new(),
                    note: r.get(2)?,
                    problems: r.get(3)?,
                    measures: r.get(4)?,
                })
            },
        )
        .optional()?;
    let Some(mut entry) = entry else {
        return Ok(Entry::default());
    };
    let mut stmt =
        conn.prepare("SELECT amount, reason FROM deductions WHERE assessment_id = ?1 AND point = ?2 ORDER BY position")?;
    let rows = stmt.query_map(params![id, point], |r| {
        Ok(Deduction {
            amount: Points(r.get(0)?),
            reason: r.get(1)?,
        })
    })?;
    entry.deductions = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(entry)
}

pub(crate) fn load_bonus(conn: &Connection, id: i64) -> Result<Vec<BonusClaim>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT code, note FROM bonus_claims WHERE assessment_id = ?1 ORDER BY code")?;
    let rows = stmt.query_map([id], |r| {
        Ok(BonusClaim {
            code: r.get(0)?,
            note: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn bonus_value(note: Option<&str>) -> Value {
    match note {
        Some(n) => json!({ "claimed": true, "note": n }),
        None => json!({ "claimed": false, "note": "" }),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_history(
    conn: &Connection,
    id: i64,
    point: Option<&str>,
    field: &str,
    old: &Value,
    new: &Value,
    now: &str,
    revision: u32,
    reverted_id: Option<i64>,
) -> Result<HistoryRow, StoreError> {
    conn.execute(
        "INSERT INTO history (assessment_id, point, field, old_value, new_value, at, revision, reverted_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, point, field, old.to_string(), new.to_string(), now, revision, reverted_id],
    )?;
    Ok(HistoryRow {
        id: conn.last_insert_rowid(),
        assessment_id: id,
        point: point.map(str::to_string),
        field: field.to_string(),
        old_value: old.clone(),
        new_value: new.clone(),
        at: now.to_string(),
        revision,
        reverted_id,
    })
}

/// Applies one change inside the caller's transaction; `None` if it changes nothing.
pub(crate) fn apply_one(
    conn: &Connection,
    row: &AssessmentRow,
    change: &Change,
    now: &str,
    reverted_id: Option<i64>,
) -> Result<Option<HistoryRow>, StoreError> {
    let id = row.id;
    let record = |point: &str, old: Value, new: Value| {
        insert_history(
            conn,
            id,
            Some(point),
            change.field(),
            &old,
            &new,
            now,
            row.revision,
            reverted_id,
        )
    };

    if let Change::Bonus {
        code,
        claimed,
        note,
    } = change
    {
        let current: Option<String> = conn
            .query_row(
                "SELECT note FROM bonus_claims WHERE assessment_id = ?1 AND code = ?2",
                params![id, code],
                |r| r.get(0),
            )
            .optional()?;
        let wanted = claimed.then_some(note.as_str());
        if current.as_deref() == wanted {
            return Ok(None);
        }
        match wanted {
            Some(n) => conn.execute(
                "INSERT INTO bonus_claims (assessment_id, code, note, updated_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (assessment_id, code) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at",
                params![id, code, n, now],
            )?,
            None => conn.execute("DELETE FROM bonus_claims WHERE assessment_id = ?1 AND code = ?2", params![id, code])?,
        };
        return record(code, bonus_value(current.as_deref()), bonus_value(wanted)).map(Some);
    }

    if let Change::Evidence {
        point,
        sha256,
        linked,
    } = change
    {
        let item: Option<(i64, String)> = conn
            .query_row(
                "SELECT id, title FROM evidence WHERE sha256 = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((evidence_id, title)) = item else {
            let short: String = sha256.chars().take(12).collect();
            return Err(not_found(format!("佐证材料（校验值{short}…）")));
        };
        let current: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM evidence_links WHERE assessment_id = ?1 AND point = ?2 AND evidence_id = ?3)",
            params![id, point, evidence_id],
            |r| r.get(0),
        )?;
        if current == *linked {
            return Ok(None);
        }
        if *linked {
            conn.execute(
                "INSERT INTO evidence_links (evidence_id, assessment_id, point, linked_at) VALUES (?1, ?2, ?3, ?4)",
                params![evidence_id, id, point, now],
            )?;
        } else {
            conn.execute(
                "DELETE FROM evidence_links WHERE assessment_id = ?1 AND point = ?2 AND evidence_id = ?3",
                params![id, point, evidence_id],
            )?;
        }
        let value = |l: bool| json!({ "linked": l, "sha256": sha256, "title": title });
        return record(point, value(current), value(*linked)).map(Some);
    }

    if let Change::Suggestion {
        point,
        key,
        decision,
    } = change
    {
        return crate::suggestions::apply_decision(
            conn,
            row,
            point,
            key,
            decision.as_ref(),
            now,
            reverted_id,
        );
    }

    let point = change.point();
    let current = load_entry(conn, id, point)?;
    let (old, new, column, value): (Value, Value, &str, rusqlite::types::Value) = match change {
        Change::Rating { rating, .. } => {
            if &current.rating == rating {
                return Ok(None);
            }
            (
                json!(current.rating),
                json!(rating),
                "rating",
                rating.clone().into(),
            )
        }
        Change::Scored { scored, .. } => {
            if current.scored == *scored {
                return Ok(None);
            }
            (
                json!(current.scored),
                json!(scored),
                "scored",
                i64::from(*scored).into(),
            )
        }
        Change::Note { text, .. } => {
            if &current.note == text {
                return Ok(None);
            }
            (
                json!(current.note),
                json!(text),
                "note",
                text.clone().into(),
            )
        }
        Change::Problems { text, .. } => {
            if &current.problems == text {
                return Ok(None);
            }
            (
                json!(current.problems),
                json!(text),
                "problems",
                text.clone().into(),
            )
        }
        Change::Measures { text, .. } => {
            if &current.measures == text {
                return Ok(None);
            }
            (
                json!(current.measures),
                json!(text),
                "measures",
                text.clone().into(),
            )
        }
        Change::Deductions { deductions, .. } => {
            if &current.deductions == deductions {
                return Ok(None);
            }
            let old = serde_json::to_value(&current.deductions)
                .map_err(|e| StoreError::Invalid(format!("扣分无法转换为 JSON：{e}")))?;
            let new = serde_json::to_value(deductions)
                .map_err(|e| StoreError::Invalid(format!("扣分无法转换为 JSON：{e}")))?;
            (old, new, "", rusqlite::types::Value::Null)
        }
        Change::Bonus { .. } | Change::Evidence { .. } | Change::Suggestion { .. } => {
            unreachable!("handled above")
        }
    };

    conn.execute(
        "INSERT INTO entries (assessment_id, point, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (assessment_id, point) DO UPDATE SET updated_at = excluded.updated_at",
        params![id, point, now],
    )?;
    if let Change::Deductions { deductions, .. } = change {
        conn.execute(
            "DELETE FROM deductions WHERE assessment_id = ?1 AND point = ?2",
            params![id, point],
        )?;
        let mut stmt = conn.prepare(
            "INSERT INTO deductions (assessment_id, point, position, amount, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (i, d) in deductions.iter().enumerate() {
            stmt.execute(params![
                id,
                point,
                i as i64,
                d.amount.hundredths(),
                d.reason
            ])?;
        }
    } else {
        // `column` comes from the fixed list above, never from the caller.
        conn.execute(
            &format!("UPDATE entries SET {column} = ?3 WHERE assessment_id = ?1 AND point = ?2"),
            params![id, point, value],
        )?;
    }
    record(point, old, new).map(Some)
}

/// Turns a history row back into the change that restores its old value.
fn change_from_history(h: &HistoryRow, path: &Path) -> Result<Change, StoreError> {
    let bad = |what: &str| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: format!("历史记录（编号{}）的{what}无法读取", h.id),
    };
    let Some(point) = h.point.clone() else {
        return Err(StoreError::CannotRevert {
            history_id: h.id,
            reason: "新建修订版的记录不能撤销".to_string(),
        });
    };
    let old = h.old_value.clone();
    let text = |v: Value| -> Result<String, StoreError> {
        serde_json::from_value(v).map_err(|_| bad("旧值"))
    };
    Ok(match h.field.as_str() {
        "rating" => Change::Rating {
            point,
            rating: serde_json::from_value(old).map_err(|_| bad("旧值"))?,
        },
        "scored" => Change::Scored {
            point,
            scored: serde_json::from_value(old).map_err(|_| bad("旧值"))?,
        },
        "deductions" => Change::Deductions {
            point,
            deductions: serde_json::from_value(old).map_err(|_| bad("旧值"))?,
        },
        "note" => Change::Note {
            point,
            text: text(old)?,
        },
        "problems" => Change::Problems {
            point,
            text: text(old)?,
        },
        "measures" => Change::Measures {
            point,
            text: text(old)?,
        },
        "bonus" => {
            #[derive(Deserialize)]
            struct B {
                claimed: bool,
                #[serde(default)]
                note: String,
            }
            let b: B = serde_json::from_value(old).map_err(|_| bad("旧值"))?;
            Change::Bonus {
                code: point,
                claimed: b.claimed,
                note: b.note,
            }
        }
        "evidence" => {
            #[derive(Deserialize)]
            struct L {
                linked: bool,
                sha256: String,
            }
            let l: L = serde_json::from_value(old).map_err(|_| bad("旧值"))?;
            Change::Evidence {
                point,
                sha256: l.sha256,
                linked: l.linked,
            }
        }
        "suggestion" => {
            let (key, decision) =
                crate::suggestions::decision_from_value(&old).ok_or_else(|| bad("旧值"))?;
            Change::Suggestion {
                point,
                key,
                decision,
            }
        }
        "evidence_meta" => {
            return Err(StoreError::CannotRevert {
                history_id: h.id,
                reason: "佐证材料信息的修改请在佐证材料中直接改回".to_string(),
            })
        }
        other => {
            return Err(StoreError::CannotRevert {
                history_id: h.id,
                reason: format!("字段“{other}”的记录不能撤销"),
            })
        }
    })
}
