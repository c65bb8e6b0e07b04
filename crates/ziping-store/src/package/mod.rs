//! Packages (`.zpk`): one assessment, or the whole workspace, as a single zip file that colleagues
//! exchange to work as one team.
//!
//! ## Layout
//!
//! * `manifest.json` — [`Manifest`]: format name and version, the workspace schema version, the
//!   app version, when it was made, the systems and assessments inside, and the size and SHA-256 of
//!   **every** other entry.
//! * `data.json` — [`PackageData`]: the system snapshots (exact JSON), the assessments with their
//!   entries, bonus claims, evidence links, suggestion decisions (采纳 / 不采纳 with the reason;
//!   absent in packages written before they were carried, which import as "no decisions"),
//!   history, frozen revisions and merge base, and the metadata of every evidence item.
//! * `evidence/<sha256>` — the evidence files, named by the SHA-256 of their content.
//!
//! ## Reading
//!
//! [`read_package`] checks everything before anything is written: the zip structure (no duplicate,
//! overlapping, encrypted or unknown entries; names must be UTF-8 and may not contain `..`, a
//! backslash or an absolute path), the limits of [`Limits`] (entries, declared sizes, compression
//! ratio — and the bytes actually inflated are counted), the format and schema versions, the hash
//! and size of every entry against the manifest, and the consistency of the data (every snapshot
//! hashes to its name and parses, every leaf code exists, every link has its file…). It is a pure
//! function of the bytes, fuzzed in `fuzz/`.
//!
//! ## Merging
//!
//! [`crate::Workspace::import_package`] applies a verified package in ONE transaction; see
//! `merge.rs` for the per-leaf three-way rule.

mod merge;
mod read;
mod write;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use ziping_core::{BonusClaim, Entry};

use crate::types::EvidenceKind;

pub use merge::{
    AssessmentPlan, ExportReport, ExportScope, ImportPlan, ImportReport, LeafDecision, LeafSide,
    MergeAction, PointPlan, Resolution, Side,
};
pub use read::{read_package, BlobSink, DiscardBlobs};

/// `manifest.json`'s `format`.
pub const FORMAT: &str = "ziping-package";
/// The package format version this binary writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
/// Entry names.
pub const MANIFEST_NAME: &str = "manifest.json";
pub const DATA_NAME: &str = "data.json";
pub const EVIDENCE_PREFIX: &str = "evidence/";

/// Whether a package holds one assessment or a whole workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Assessment,
    Workspace,
}

/// `manifest.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    pub format_version: u32,
    /// `PRAGMA user_version` of the workspace that wrote it.
    pub schema_version: u32,
    /// The 履职自评 version that wrote it.
    pub app_version: String,
    /// RFC 3339.
    pub created_at: String,
    pub scope: Scope,
    pub systems: Vec<ManifestSystem>,
    pub assessments: Vec<ManifestAssessment>,
    /// Every entry except `manifest.json` itself.
    pub entries: Vec<ManifestEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSystem {
    pub system_id: String,
    pub version: String,
    pub name: String,
    /// SHA-256 of the snapshot's JSON.
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestAssessment {
    pub uid: String,
    pub region: String,
    pub year: i32,
    pub system_id: String,
    pub system_version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// `data.json`: all rows of the exported assessments, and the evidence metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PackageData {
    pub snapshots: Vec<PkgSnapshot>,
    pub evidence: Vec<PkgEvidence>,
    pub assessments: Vec<PkgAssessment>,
}

/// An indicator-system snapshot, exactly as stored (its JSON hashes to `sha256`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PkgSnapshot {
    pub sha256: String,
    pub json: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PkgEvidence {
    pub sha256: String,
    pub size: u64,
    pub file_name: String,
    pub title: String,
    pub kind: EvidenceKind,
    pub issuer: String,
    pub doc_no: String,
    pub date: String,
    pub note: String,
    pub added_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PkgAssessment {
    pub uid: String,
    pub region: String,
    pub year: i32,
    pub organ: String,
    /// SHA-256 of the system snapshot (one of [`PackageData::snapshots`]).
    pub snapshot_sha256: String,
    /// "draft" or "frozen".
    pub status: String,
    pub revision: u32,
    pub created_at: String,
    pub updated_at: String,
    pub frozen_at: Option<String>,
    pub entries: BTreeMap<String, Entry>,
    pub bonus: Vec<BonusClaim>,
    pub links: Vec<PkgLink>,
    /// The decisions on suggestions (table `suggestion_decisions`), ordered by leaf and key.
    /// Missing in older packages: then there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<PkgDecision>,
    pub history: Vec<PkgHistory>,
    pub revisions: Vec<PkgRevision>,
    /// The exporter's merge base before this export: per leaf (or `bonus:CODE`), the SHA-256 of
    /// its content when last exchanged. Empty for an assessment never exchanged.
    pub base: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PkgLink {
    pub point: String,
    pub sha256: String,
    pub linked_at: String,
}

/// A decision on a suggestion: 采纳 or 不采纳 (with its reason), exactly the row of
/// `suggestion_decisions`.
pub type PkgDecision = crate::suggestions::DecisionRow;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PkgHistory {
    pub id: i64,
    pub point: Option<String>,
    pub field: String,
    pub old_value: serde_json::Value,
    pub new_value: serde_json::Value,
    pub at: String,
    pub revision: u32,
    pub reverted_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PkgRevision {
    pub revision: u32,
    pub frozen_at: String,
    pub content: String,
    pub sha256: String,
}

/// A verified package: what [`read_package`] returns.
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    pub manifest: Manifest,
    pub data: PackageData,
}

/// Caps that keep a hostile or broken package from exhausting memory or disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Entries in the zip, all kinds.
    pub max_entries: usize,
    /// Σ of the uncompressed sizes (declared, and counted while reading).
    pub max_total_size: u64,
    /// Uncompressed size of `manifest.json` and of `data.json` each.
    pub max_json_size: u64,
    /// Uncompressed / compressed size, checked for entries larger than [`Limits::ratio_floor`].
    pub max_ratio: u64,
    pub ratio_floor: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_entries: 20_000,
            max_total_size: 8 << 30,
            max_json_size: 256 << 20,
            max_ratio: 200,
            ratio_floor: 1 << 20,
        }
    }
}

/// Why a package was refused: the entry concerned (if any) and a Chinese reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageError {
    pub entry: Option<String>,
    pub reason: String,
}

impl PackageError {
    pub(crate) fn whole(reason: impl Into<String>) -> PackageError {
        PackageError {
            entry: None,
            reason: reason.into(),
        }
    }

    pub(crate) fn entry(entry: &str, reason: impl Into<String>) -> PackageError {
        PackageError {
            entry: Some(entry.to_string()),
            reason: reason.into(),
        }
    }

    /// "（条目“data.json”）：reason" or "：reason", to follow the package's name.
    pub fn detail(&self) -> String {
        match &self.entry {
            Some(e) => format!("（条目“{e}”）：{}", self.reason),
            None => format!("：{}", self.reason),
        }
    }

    pub(crate) fn into_store(self, path: &std::path::Path) -> crate::StoreError {
        crate::StoreError::BadPackage {
            path: path.to_path_buf(),
            detail: self.detail(),
        }
    }
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            Some(e) => write!(f, "条目“{e}”：{}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

impl std::error::Error for PackageError {}
