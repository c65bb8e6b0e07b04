//! The library of indicator systems the user imported, attached 测评点 to or corrected.
//!
//! Bundled systems are compiled into the program; everything else lives here, in the workspace,
//! one row per `(system_id, version)`: name, year, issuer, origin, source file name and SHA-256,
//! the version it was derived from, and the system itself as a [`Workspace::put_system_snapshot`]
//! snapshot (immutable, deduplicated by SHA-256 — the same row an assessment created on it
//! references, so an assessment keeps its exact version whatever is added later). Rows are never
//! updated: a correction is a new version (the schema refuses updates).

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ziping_core::IndicatorSystem;

use crate::error::StoreError;
use crate::workspace::Workspace;

/// How a library version came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LibraryOrigin {
    /// Read from a notice's table.
    Import,
    /// Level-3 points attached to another version.
    Attach,
    /// Corrected in the editor.
    Edit,
}

impl LibraryOrigin {
    fn as_str(self) -> &'static str {
        match self {
            LibraryOrigin::Import => "import",
            LibraryOrigin::Attach => "attach",
            LibraryOrigin::Edit => "edit",
        }
    }
    fn parse(s: &str) -> LibraryOrigin {
        match s {
            "attach" => LibraryOrigin::Attach,
            "edit" => LibraryOrigin::Edit,
            _ => LibraryOrigin::Import,
        }
    }
}

/// A version to add to the library.
#[derive(Clone, Debug)]
pub struct NewLibrarySystem<'a> {
    pub system: &'a IndicatorSystem,
    pub year: Option<i32>,
    pub origin: LibraryOrigin,
    pub source_file: Option<String>,
    pub source_sha256: Option<String>,
    pub base_version: Option<String>,
}

/// One library version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LibraryRow {
    pub id: i64,
    pub system_id: String,
    pub version: String,
    pub name: String,
    pub year: Option<i32>,
    pub issuer: Option<String>,
    pub origin: LibraryOrigin,
    pub source_file: Option<String>,
    pub source_sha256: Option<String>,
    pub base_version: Option<String>,
    pub snapshot_id: i64,
    /// SHA-256 of the system's JSON (the snapshot's).
    pub sha256: String,
    pub created_at: String,
}

const SELECT: &str = "SELECT l.id, l.system_id, l.version, l.name, l.year, l.issuer, l.origin, l.source_file, \
     l.source_sha256, l.base_version, l.snapshot_id, s.sha256, l.created_at \
     FROM library_systems l JOIN system_snapshots s ON s.id = l.snapshot_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LibraryRow> {
    Ok(LibraryRow {
        id: r.get(0)?,
        system_id: r.get(1)?,
        version: r.get(2)?,
        name: r.get(3)?,
        year: r.get(4)?,
        issuer: r.get(5)?,
        origin: LibraryOrigin::parse(&r.get::<_, String>(6)?),
        source_file: r.get(7)?,
        source_sha256: r.get(8)?,
        base_version: r.get(9)?,
        snapshot_id: r.get(10)?,
        sha256: r.get(11)?,
        created_at: r.get(12)?,
    })
}

impl Workspace {
    /// Adds a version to the library. Refused (nothing written) when `(id, version)` is taken.
    pub fn add_library_system(&mut self, new: &NewLibrarySystem<'_>, now: &str) -> Result<LibraryRow, StoreError> {
        if let Some(sha) = &new.source_sha256 {
            if sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(StoreError::Invalid(format!("文件摘要“{sha}”不是SHA-256")));
            }
        }
        let s = new.system;
        if self.library_system(&s.id, &s.version)?.is_some() {
            return Err(StoreError::Invalid(format!("指标体系“{}”已有版本“{}”，请换一个版本号", s.id, s.version)));
        }
        let snapshot_id = self.put_system_snapshot(s)?;
        self.conn.execute(
            "INSERT INTO library_systems (system_id, version, name, year, issuer, origin, source_file, source_sha256, \
             base_version, snapshot_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                s.id,
                s.version,
                s.name,
                new.year,
                s.issuer,
                new.origin.as_str(),
                new.source_file,
                new.source_sha256,
                new.base_version,
                snapshot_id,
                now
            ],
        )?;
        self.library_system(&s.id, &s.version)?
            .ok_or_else(|| StoreError::NotFound { what: format!("指标体系“{}”版本“{}”", s.id, s.version) })
    }

    /// Every library version, in the order they were added.
    pub fn library_systems(&self) -> Result<Vec<LibraryRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("{SELECT} ORDER BY l.id"))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One library version.
    pub fn library_system(&self, system_id: &str, version: &str) -> Result<Option<LibraryRow>, StoreError> {
        Ok(self
            .conn
            .query_row(&format!("{SELECT} WHERE l.system_id = ?1 AND l.version = ?2"), params![system_id, version], from_row)
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use ziping_core::system::{Level, Provenance, RatedModel, ScoringModel};
    use ziping_core::{IndicatorSystem, Node};

    use super::*;

    fn system(version: &str, title: &str) -> IndicatorSystem {
        IndicatorSystem {
            format: 1,
            id: "import-test".into(),
            version: version.into(),
            years: None,
            name: "测试体系".into(),
            short_name: None,
            official: true,
            issuer: Some("测试机关".into()),
            provenance: Provenance::default(),
            level_names: vec!["测评点".into()],
            scoring: ScoringModel::Rated(RatedModel {
                levels: vec![Level { code: "A".into(), label: "完全落实".into(), needs_explanation: false }],
                not_applicable: None,
                leaf_noun: None,
            }),
            children: vec![Node { code: "1".into(), title: title.into(), ..Node::default() }],
        }
    }

    #[test]
    fn versions_are_added_listed_and_immutable() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("w.sqlite")).unwrap();
        let v1 = system("2024", "测试点");
        let sha = "a".repeat(64);
        let row = ws
            .add_library_system(
                &NewLibrarySystem {
                    system: &v1,
                    year: Some(2024),
                    origin: LibraryOrigin::Import,
                    source_file: Some("表.xlsx".into()),
                    source_sha256: Some(sha.clone()),
                    base_version: None,
                },
                "2026-11-30T10:00:00+08:00",
            )
            .unwrap();
        assert_eq!((row.version.as_str(), row.year, row.source_sha256.as_deref()), ("2024", Some(2024), Some(sha.as_str())));
        assert_eq!(ws.system_snapshot(row.snapshot_id).unwrap(), v1);
        // The same (id, version) again is refused; a new version is added.
        let again = NewLibrarySystem {
            system: &v1,
            year: None,
            origin: LibraryOrigin::Edit,
            source_file: None,
            source_sha256: None,
            base_version: Some("2024".into()),
        };
        assert!(matches!(ws.add_library_system(&again, "t").unwrap_err(), StoreError::Invalid(_)));
        let v2 = system("2024.1", "改正后的测试点");
        let row2 = ws.add_library_system(&NewLibrarySystem { system: &v2, ..again }, "2026-11-30T11:00:00+08:00").unwrap();
        assert_eq!(row2.origin, LibraryOrigin::Edit);
        assert_eq!(ws.library_systems().unwrap().len(), 2);
        assert!(ws.conn.execute("UPDATE library_systems SET name = 'x'", []).is_err());
        let bad = NewLibrarySystem {
            system: &system("2025", "x"),
            year: None,
            origin: LibraryOrigin::Import,
            source_file: None,
            source_sha256: Some("xyz".into()),
            base_version: None,
        };
        assert!(ws.add_library_system(&bad, "t").is_err());
    }
}
