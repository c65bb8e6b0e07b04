//! Writing a package: gather the rows, stream the evidence files in (re-hashing them), write the
//! manifest last, then rename the finished file into place.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::merge::{
    decisions_of, hash_side, links_with_sha, pkg_contents, ExportReport, ExportScope,
};
use super::{
    Manifest, ManifestAssessment, ManifestEntry, ManifestSystem, PackageData, PkgAssessment,
    PkgEvidence, PkgHistory, PkgLink, PkgRevision, PkgSnapshot, Scope, DATA_NAME, EVIDENCE_PREFIX,
    FORMAT, FORMAT_VERSION, MANIFEST_NAME,
};
use crate::blobs::{blob_path, hex};
use crate::error::StoreError;
use crate::evidence::{evidence_from_row, EVIDENCE_SELECT};
use crate::migrations::SUPPORTED_SCHEMA;
use crate::types::{EvidenceRow, Status};
use crate::workspace::{check_time, load_assessment, load_bonus, load_entries, Workspace};

impl Workspace {
    /// Writes one assessment ([`ExportScope::Assessment`]) or every assessment and every evidence
    /// item ([`ExportScope::Workspace`]) to `dest` as a `.zpk` package, replacing `dest` if it
    /// exists (the file is written beside it and renamed when complete). Every evidence file is
    /// re-hashed while it is copied; a missing or altered one stops the export.
    ///
    /// Afterwards the exported content of each leaf becomes its merge base (see
    /// [`Workspace::import_package`]).
    pub fn export_package(
        &mut self,
        dest: &Path,
        scope: ExportScope,
        app_version: &str,
        now: &str,
    ) -> Result<ExportReport, StoreError> {
        check_time(now)?;
        let (manifest_base, data, items) = gather(&self.conn, scope, app_version, now)?;
        let dir = self.evidence_dir();
        let part = {
            let mut name = dest
                .file_name()
                .map(|n| n.to_os_string())
                .unwrap_or_default();
            name.push(".part");
            dest.with_file_name(name)
        };
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        let result = write_zip(&part, &dir, manifest_base, &data, &items);
        let bytes = match result {
            Ok(b) => b,
            Err(e) => {
                let _ = fs::remove_file(&part);
                return Err(e);
            }
        };
        if let Err(e) = fs::rename(&part, dest) {
            let _ = fs::remove_file(&part);
            return Err(io_err(dest)(e));
        }
        // The exported content is now shared: it becomes the merge base.
        let tx = self.conn.transaction()?;
        for a in &data.assessments {
            let id: i64 =
                tx.query_row("SELECT id FROM assessments WHERE uid = ?1", [&a.uid], |r| {
                    r.get(0)
                })?;
            let sides = pkg_contents(a);
            tx.execute("DELETE FROM sync_base WHERE assessment_id = ?1", [id])?;
            for (key, side) in &sides {
                tx.execute(
                    "INSERT INTO sync_base (assessment_id, point, sha256) VALUES (?1, ?2, ?3)",
                    params![id, key, hash_side(side)],
                )?;
            }
        }
        tx.commit()?;
        Ok(ExportReport {
            path: dest.to_path_buf(),
            assessments: data.assessments.len(),
            evidence: items.len(),
            bytes,
        })
    }
}

type Gathered = (Manifest, PackageData, Vec<EvidenceRow>);

fn gather(
    conn: &Connection,
    scope: ExportScope,
    app_version: &str,
    now: &str,
) -> Result<Gathered, StoreError> {
    let ids: Vec<i64> = match scope {
        ExportScope::Assessment(id) => {
            load_assessment(conn, id)?;
            vec![id]
        }
        ExportScope::Workspace => {
            let mut stmt = conn.prepare("SELECT id FROM assessments ORDER BY id")?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            ids
        }
    };
    let mut data = PackageData::default();
    let mut manifest = Manifest {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        schema_version: SUPPORTED_SCHEMA,
        app_version: app_version.to_string(),
        created_at: now.to_string(),
        scope: match scope {
            ExportScope::Assessment(_) => Scope::Assessment,
            ExportScope::Workspace => Scope::Workspace,
        },
        systems: Vec::new(),
        assessments: Vec::new(),
        entries: Vec::new(),
    };
    let mut linked: BTreeMap<String, ()> = BTreeMap::new();
    for id in ids {
        let row = load_assessment(conn, id)?;
        let (json, sha, official): (String, String, bool) = conn.query_row(
            "SELECT json, sha256, official FROM system_snapshots WHERE id = ?1",
            [row.snapshot_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let _ = official;
        if !data.snapshots.iter().any(|s| s.sha256 == sha) {
            manifest.systems.push(ManifestSystem {
                system_id: row.system_id.clone(),
                version: row.system_version.clone(),
                name: row.system_name.clone(),
                sha256: sha.clone(),
            });
            data.snapshots.push(PkgSnapshot {
                sha256: sha.clone(),
                json,
            });
        }
        manifest.assessments.push(ManifestAssessment {
            uid: row.uid.clone(),
            region: row.region.clone(),
            year: row.year,
            system_id: row.system_id.clone(),
            system_version: row.system_version.clone(),
        });
        let links = links_with_sha(conn, id)?;
        let mut stmt = conn.prepare(
            "SELECT l.point, e.sha256, l.linked_at FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id \
             WHERE l.assessment_id = ?1 ORDER BY l.point, e.sha256",
        )?;
        let pkg_links = stmt
            .query_map([id], |r| {
                Ok(PkgLink {
                    point: r.get(0)?,
                    sha256: r.get(1)?,
                    linked_at: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (_, sha) in &links {
            linked.insert(sha.clone(), ());
        }
        let mut stmt = conn.prepare(
            "SELECT id, point, field, old_value, new_value, at, revision, reverted_id FROM history \
             WHERE assessment_id = ?1 ORDER BY id",
        )?;
        let history = stmt
            .query_map([id], |r| {
                let old: String = r.get(3)?;
                let new: String = r.get(4)?;
                Ok(PkgHistory {
                    id: r.get(0)?,
                    point: r.get(1)?,
                    field: r.get(2)?,
                    old_value: serde_json::from_str(&old).unwrap_or(serde_json::Value::Null),
                    new_value: serde_json::from_str(&new).unwrap_or(serde_json::Value::Null),
                    at: r.get(5)?,
                    revision: r.get(6)?,
                    reverted_id: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare(
            "SELECT revision, frozen_at, content, sha256 FROM revisions WHERE assessment_id = ?1 ORDER BY revision",
        )?;
        let revisions = stmt
            .query_map([id], |r| {
                Ok(PkgRevision {
                    revision: r.get(0)?,
                    frozen_at: r.get(1)?,
                    content: r.get(2)?,
                    sha256: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare(
            "SELECT point, sha256 FROM sync_base WHERE assessment_id = ?1 ORDER BY point",
        )?;
        let base = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<BTreeMap<String, String>>>()?;
        data.assessments.push(PkgAssessment {
            uid: row.uid.clone(),
            region: row.region.clone(),
            year: row.year,
            organ: row.organ.clone(),
            snapshot_sha256: sha,
            status: match row.status {
                Status::Draft => "draft".to_string(),
                Status::Frozen => "frozen".to_string(),
            },
            revision: row.revision,
            created_at: row.created_at.clone(),
            updated_at: row.updated_at.clone(),
            frozen_at: row.frozen_at.clone(),
            entries: load_entries(conn, id)?,
            bonus: load_bonus(conn, id)?,
            links: pkg_links,
            decisions: decisions_of(conn, id)?,
            history,
            revisions,
            base,
        });
    }
    let mut stmt = conn.prepare(&format!("{EVIDENCE_SELECT} ORDER BY id"))?;
    let all = stmt
        .query_map([], evidence_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let items: Vec<EvidenceRow> = all
        .into_iter()
        .filter(|e| matches!(scope, ExportScope::Workspace) || linked.contains_key(&e.sha256))
        .collect();
    data.evidence = items
        .iter()
        .map(|e| PkgEvidence {
            sha256: e.sha256.clone(),
            size: e.size,
            file_name: e.file_name.clone(),
            title: e.meta.title.clone(),
            kind: e.meta.kind,
            issuer: e.meta.issuer.clone(),
            doc_no: e.meta.doc_no.clone(),
            date: e.meta.date.clone(),
            note: e.meta.note.clone(),
            added_at: e.added_at.clone(),
            updated_at: e.updated_at.clone(),
        })
        .collect();
    Ok((manifest, data, items))
}

/// Hashes what is written through it.
struct HashingWriter<'a, W: Write> {
    inner: &'a mut W,
    hasher: Sha256,
    count: u64,
}

impl<W: Write> Write for HashingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn write_zip(
    part: &Path,
    evidence_dir: &Path,
    mut manifest: Manifest,
    data: &PackageData,
    items: &[EvidenceRow],
) -> Result<u64, StoreError> {
    let io_err = |source| StoreError::Io {
        path: part.to_path_buf(),
        source,
    };
    let zip_err = |e: zip::result::ZipError| StoreError::Io {
        path: part.to_path_buf(),
        source: io::Error::other(e.to_string()),
    };
    let file = File::create(part).map_err(io_err)?;
    let mut zip = ZipWriter::new(file);
    let options = |size: u64| {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .large_file(size >= u64::from(u32::MAX))
    };

    let json = serde_json::to_vec_pretty(data)
        .map_err(|e| StoreError::Invalid(format!("数据无法转换为 JSON：{e}")))?;
    zip.start_file(DATA_NAME, options(json.len() as u64))
        .map_err(zip_err)?;
    zip.write_all(&json).map_err(io_err)?;
    manifest.entries.push(ManifestEntry {
        name: DATA_NAME.to_string(),
        size: json.len() as u64,
        sha256: hex(&Sha256::digest(&json)),
    });

    for item in items {
        let path = blob_path(evidence_dir, &item.sha256);
        let damaged = |detail: String| StoreError::Corrupt {
            path: path.clone(),
            detail: format!(
                "佐证材料《{}》的文件{detail}，无法导出；请先运行“校验佐证材料”",
                item.meta.title
            ),
        };
        let mut src = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(damaged("已丢失".to_string()))
            }
            Err(source) => return Err(StoreError::Io { path, source }),
        };
        let name = format!("{EVIDENCE_PREFIX}{}", item.sha256);
        zip.start_file(name.as_str(), options(item.size))
            .map_err(zip_err)?;
        let mut w = HashingWriter {
            inner: &mut zip,
            hasher: Sha256::new(),
            count: 0,
        };
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => return Err(StoreError::Io { path, source }),
            };
            w.write_all(&buf[..n]).map_err(io_err)?;
        }
        let (sha, count) = (hex(&w.hasher.finalize()), w.count);
        if sha != item.sha256 || count != item.size {
            return Err(damaged("已被改动（校验值不符）".to_string()));
        }
        manifest.entries.push(ManifestEntry {
            name,
            size: count,
            sha256: sha,
        });
    }

    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| StoreError::Invalid(format!("清单无法转换为 JSON：{e}")))?;
    zip.start_file(MANIFEST_NAME, options(json.len() as u64))
        .map_err(zip_err)?;
    zip.write_all(&json).map_err(io_err)?;
    let file = zip.finish().map_err(zip_err)?;
    file.sync_all().map_err(io_err)?;
    let bytes = file.metadata().map_err(io_err)?.len();
    Ok(bytes)
}
