//! Evidence (佐证材料): items stored by content hash, their metadata, links to leaves, and the
//! re-hashing check.
//!
//! The file of an item lives in the evidence folder beside the workspace (see
//! [`Workspace::evidence_dir`]); the database holds its metadata. One item per distinct content:
//! adding a file whose content is already stored returns the existing item. Links are made with
//! [`crate::Change::Evidence`] through [`Workspace::apply`], so they are refused on frozen
//! assessments, recorded in the history and revertible like any other change.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use serde_json::json;

use crate::blobs::{self, blob_path, evidence_dir, hash_file, is_sha256_hex};
use crate::error::StoreError;
use crate::types::{
    BlobStatus, EvidenceCheck, EvidenceKind, EvidenceLink, EvidenceMeta, EvidenceRow, HistoryRow,
    Status,
};
use crate::workspace::{check_time, insert_history, load_assessment, not_found, Workspace};

pub(crate) const EVIDENCE_SELECT: &str =
    "SELECT id, sha256, size, file_name, title, kind, issuer, doc_no, date, note, added_at, updated_at FROM evidence";

pub(crate) fn evidence_from_row(r: &Row<'_>) -> rusqlite::Result<EvidenceRow> {
    let kind: String = r.get(5)?;
    let kind = EvidenceKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            5,
            rusqlite::types::Type::Text,
            format!("unknown evidence kind {kind:?}").into(),
        )
    })?;
    let size: i64 = r.get(2)?;
    Ok(EvidenceRow {
        id: r.get(0)?,
        sha256: r.get(1)?,
        size: u64::try_from(size).unwrap_or(0),
        file_name: r.get(3)?,
        meta: EvidenceMeta {
            title: r.get(4)?,
            kind,
            issuer: r.get(6)?,
            doc_no: r.get(7)?,
            date: r.get(8)?,
            note: r.get(9)?,
        },
        added_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

pub(crate) fn load_evidence(conn: &Connection, id: i64) -> Result<EvidenceRow, StoreError> {
    conn.query_row(
        &format!("{EVIDENCE_SELECT} WHERE id = ?1"),
        [id],
        evidence_from_row,
    )
    .optional()?
    .ok_or_else(|| not_found(format!("佐证材料（编号{id}）")))
}

pub(crate) fn evidence_by_sha(
    conn: &Connection,
    sha: &str,
) -> Result<Option<EvidenceRow>, StoreError> {
    Ok(conn
        .query_row(
            &format!("{EVIDENCE_SELECT} WHERE sha256 = ?1"),
            [sha],
            evidence_from_row,
        )
        .optional()?)
}

fn check_meta(meta: &EvidenceMeta) -> Result<(), StoreError> {
    if meta.title.trim().is_empty() {
        return Err(StoreError::Invalid("佐证材料的标题不能为空".to_string()));
    }
    Ok(())
}

/// The metadata as a history value.
pub(crate) fn meta_value(sha: &str, meta: &EvidenceMeta) -> serde_json::Value {
    json!({
        "sha256": sha,
        "title": meta.title,
        "kind": meta.kind.as_str(),
        "issuer": meta.issuer,
        "doc_no": meta.doc_no,
        "date": meta.date,
        "note": meta.note,
    })
}

impl Workspace {
    /// The evidence folder: the workspace file name plus `.evidence`, beside the workspace
    /// (`示例县.sqlite` → `示例县.sqlite.evidence/`). Created on the first added item.
    pub fn evidence_dir(&self) -> PathBuf {
        evidence_dir(&self.path)
    }

    /// Where the file of an item is stored (for opening it with the system viewer). It may be
    /// missing or altered; [`Workspace::verify_evidence`] tells.
    pub fn evidence_file(&self, id: i64) -> Result<PathBuf, StoreError> {
        let row = load_evidence(&self.conn, id)?;
        Ok(blob_path(&self.evidence_dir(), &row.sha256))
    }

    /// Copies the file at `src` into the evidence folder and records an item with `meta` (the file
    /// name is taken from `src`). Returns the item and whether its content was already stored: then
    /// the existing item is returned unchanged (its metadata is kept; a missing or altered stored
    /// file is restored from `src`).
    pub fn add_evidence(
        &mut self,
        src: &Path,
        meta: &EvidenceMeta,
        now: &str,
    ) -> Result<(EvidenceRow, bool), StoreError> {
        self.add_evidence_with_progress(src, meta, now, &mut |_, _| {})
    }

    /// Like [`Workspace::add_evidence`], calling `progress(done, total)` while the file is copied
    /// and hashed: `total` is the file's size when the copy starts, `done` the bytes copied so far
    /// (first `0`, then after every 64 KiB chunk, growing, and last the size actually copied).
    pub fn add_evidence_with_progress(
        &mut self,
        src: &Path,
        meta: &EvidenceMeta,
        now: &str,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(EvidenceRow, bool), StoreError> {
        let io_err = |source| StoreError::Io {
            path: src.to_path_buf(),
            source,
        };
        let meta_fs = std::fs::metadata(src).map_err(io_err)?;
        if !meta_fs.is_file() {
            return Err(StoreError::Invalid(format!(
                "“{}”不是文件，不能作为佐证材料",
                src.display()
            )));
        }
        let mut file = File::open(src).map_err(io_err)?;
        let name = src
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let total = meta_fs.len();
        progress(0, total);
        self.add_from(&mut file, &name, meta, now, &mut |done| {
            // A file that grows while it is copied: the total follows.
            progress(done, total.max(done))
        })
    }

    /// Like [`Workspace::add_evidence`], reading the content from `reader`; `file_name` is the
    /// original name to remember (directories are stripped).
    pub fn add_evidence_from(
        &mut self,
        reader: &mut dyn Read,
        file_name: &str,
        meta: &EvidenceMeta,
        now: &str,
    ) -> Result<(EvidenceRow, bool), StoreError> {
        self.add_from(reader, file_name, meta, now, &mut |_| {})
    }

    fn add_from(
        &mut self,
        reader: &mut dyn Read,
        file_name: &str,
        meta: &EvidenceMeta,
        now: &str,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(EvidenceRow, bool), StoreError> {
        check_time(now)?;
        check_meta(meta)?;
        let file_name = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(file_name)
            .to_string();
        let dir = self.evidence_dir();
        let dir_err = |source| StoreError::Io {
            path: dir.clone(),
            source,
        };
        let staged = blobs::stage_with_progress(&dir, reader, progress).map_err(dir_err)?;
        let (sha, size) = (staged.sha256.clone(), staged.size);
        let placed = blobs::place(&dir, staged).map_err(dir_err)?;

        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(existing) = evidence_by_sha(&tx, &sha)? {
            tx.commit()?;
            return Ok((existing, true));
        }
        let result = tx.execute(
            "INSERT INTO evidence (sha256, size, file_name, title, kind, issuer, doc_no, date, note, added_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![
                sha,
                i64::try_from(size).unwrap_or(i64::MAX),
                file_name,
                meta.title.trim(),
                meta.kind.as_str(),
                meta.issuer.trim(),
                meta.doc_no.trim(),
                meta.date.trim(),
                meta.note.trim(),
                now
            ],
        );
        let committed = result
            .map_err(StoreError::from)
            .and_then(|_| load_evidence(&tx, tx.last_insert_rowid()))
            .and_then(|row| tx.commit().map(|_| row).map_err(StoreError::from));
        match committed {
            Ok(row) => Ok((row, false)),
            Err(e) => {
                if placed {
                    let _ = blobs::remove(&dir, &sha);
                }
                Err(e)
            }
        }
    }

    /// All evidence items, in the order they were added.
    pub fn evidence_items(&self) -> Result<Vec<EvidenceRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{EVIDENCE_SELECT} ORDER BY id"))?;
        let rows = stmt.query_map([], evidence_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One item; [`StoreError::NotFound`] if there is none with this id.
    pub fn evidence_item(&self, id: i64) -> Result<EvidenceRow, StoreError> {
        load_evidence(&self.conn, id)
    }

    /// The item with this content hash, if stored.
    pub fn evidence_by_sha(&self, sha256: &str) -> Result<Option<EvidenceRow>, StoreError> {
        evidence_by_sha(&self.conn, sha256)
    }

    /// Replaces an item's metadata. A real change is recorded as one history row (field
    /// "evidence_meta") per leaf the item is linked to; refused ([`StoreError::Frozen`]) when it is
    /// linked to a frozen assessment. Returns the item and the history rows written.
    pub fn update_evidence(
        &mut self,
        id: i64,
        meta: &EvidenceMeta,
        now: &str,
    ) -> Result<(EvidenceRow, Vec<HistoryRow>), StoreError> {
        check_time(now)?;
        check_meta(meta)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old = load_evidence(&tx, id)?;
        let new_meta = EvidenceMeta {
            title: meta.title.trim().to_string(),
            kind: meta.kind,
            issuer: meta.issuer.trim().to_string(),
            doc_no: meta.doc_no.trim().to_string(),
            date: meta.date.trim().to_string(),
            note: meta.note.trim().to_string(),
        };
        if old.meta == new_meta {
            tx.commit()?;
            return Ok((old, Vec::new()));
        }
        let links = links_where(&tx, "evidence_id = ?1", id)?;
        let mut written = Vec::new();
        for link in &links {
            let a = load_assessment(&tx, link.assessment_id)?;
            if a.status == Status::Frozen {
                return Err(StoreError::Frozen {
                    assessment_id: a.id,
                    revision: a.revision,
                });
            }
            written.push(insert_history(
                &tx,
                a.id,
                Some(&link.point),
                "evidence_meta",
                &meta_value(&old.sha256, &old.meta),
                &meta_value(&old.sha256, &new_meta),
                now,
                a.revision,
                None,
            )?);
            tx.execute(
                "UPDATE assessments SET updated_at = ?2 WHERE id = ?1",
                params![a.id, now],
            )?;
        }
        tx.execute(
            "UPDATE evidence SET title = ?2, kind = ?3, issuer = ?4, doc_no = ?5, date = ?6, note = ?7, updated_at = ?8 WHERE id = ?1",
            params![
                id,
                new_meta.title,
                new_meta.kind.as_str(),
                new_meta.issuer,
                new_meta.doc_no,
                new_meta.date,
                new_meta.note,
                now
            ],
        )?;
        let row = load_evidence(&tx, id)?;
        tx.commit()?;
        Ok((row, written))
    }

    /// Deletes an item and its stored file. Refused ([`StoreError::InUse`]) while it is linked to
    /// any leaf: unlink it first.
    pub fn delete_evidence(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = load_evidence(&tx, id)?;
        let links = links_where(&tx, "evidence_id = ?1", id)?;
        if !links.is_empty() {
            return Err(StoreError::InUse {
                what: format!("佐证材料《{}》", row.meta.title),
                count: links.len(),
            });
        }
        tx.execute("DELETE FROM evidence WHERE id = ?1", [id])?;
        tx.commit()?;
        // The row is gone; the file is no longer referenced (content is unique per item).
        let dir = self.evidence_dir();
        blobs::remove(&dir, &row.sha256).map_err(|source| StoreError::Io { path: dir, source })?;
        Ok(())
    }

    /// The links of one item (`evidence_id`), or of one assessment (`assessment_id`), or all,
    /// ordered by assessment, leaf and item.
    pub fn evidence_links(
        &self,
        evidence_id: Option<i64>,
        assessment_id: Option<i64>,
    ) -> Result<Vec<EvidenceLink>, StoreError> {
        match (evidence_id, assessment_id) {
            (Some(e), None) => links_where(&self.conn, "evidence_id = ?1", e),
            (None, Some(a)) => {
                load_assessment(&self.conn, a)?;
                links_where(&self.conn, "assessment_id = ?1", a)
            }
            (Some(e), Some(a)) => Ok(links_where(&self.conn, "evidence_id = ?1", e)?
                .into_iter()
                .filter(|l| l.assessment_id == a)
                .collect()),
            (None, None) => links_where(&self.conn, "?1 = ?1", 0),
        }
    }

    /// Re-hashes every stored file: one [`EvidenceCheck`] per item, in the order added.
    pub fn verify_evidence(&self) -> Result<Vec<EvidenceCheck>, StoreError> {
        let dir = self.evidence_dir();
        let mut out = Vec::new();
        for row in self.evidence_items()? {
            let status = if !is_sha256_hex(&row.sha256) {
                BlobStatus::Missing
            } else {
                let path = blob_path(&dir, &row.sha256);
                match hash_file(&path) {
                    Ok((sha, size)) if sha == row.sha256 && size == row.size => BlobStatus::Ok,
                    Ok((sha, size)) => BlobStatus::Altered {
                        actual_sha256: sha,
                        actual_size: size,
                    },
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => BlobStatus::Missing,
                    Err(e) if path.is_dir() => {
                        let _ = e;
                        BlobStatus::Missing
                    }
                    Err(source) => return Err(StoreError::Io { path, source }),
                }
            };
            out.push(EvidenceCheck {
                evidence: row,
                status,
            });
        }
        Ok(out)
    }
}

pub(crate) fn links_where(
    conn: &Connection,
    condition: &str,
    value: i64,
) -> Result<Vec<EvidenceLink>, StoreError> {
    // `condition` is one of the fixed strings above, never user input.
    let mut stmt = conn.prepare(&format!(
        "SELECT evidence_id, assessment_id, point, linked_at FROM evidence_links WHERE {condition} \
         ORDER BY assessment_id, point, evidence_id"
    ))?;
    let rows = stmt.query_map([value], |r| {
        Ok(EvidenceLink {
            evidence_id: r.get(0)?,
            assessment_id: r.get(1)?,
            point: r.get(2)?,
            linked_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
