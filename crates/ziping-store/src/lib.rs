//! # ziping-store: the SQLite workspace of 履职自评
//!
//! Why this crate exists: an inspector's edits are the product. They must never be lost, every
//! change must be traceable and undoable, and what was signed (定稿) must be reproducible to the
//! byte. A workspace is ONE SQLite file that the user can copy, back up and send; this crate is the
//! only code that reads or writes it.
//!
//! * [`Workspace::open`] creates or opens a file. It refuses — without modifying the file — anything
//!   that is not SQLite, is damaged, belongs to another program (`PRAGMA application_id`), or was
//!   written by a newer version (`PRAGMA user_version`). Connections run with `foreign_keys=ON`,
//!   `journal_mode=WAL` and `synchronous=FULL`: once a write method returns, the edit is on disk.
//! * [`Workspace::put_system_snapshot`] stores the exact indicator system an assessment uses,
//!   deduplicated by SHA-256.
//! * [`Workspace::apply`] writes [`Change`]s in one transaction and records one [`HistoryRow`] per
//!   real change; [`Workspace::revert`] restores an old value as a new change.
//! * [`Workspace::freeze`] stores the canonical JSON of all entries with its SHA-256;
//!   [`Workspace::new_revision`] reopens a frozen assessment as revision n + 1.
//!
//! * Evidence (佐证材料, `evidence.rs`): [`Workspace::add_evidence`] copies a file into the
//!   evidence folder beside the workspace (`<workspace>.evidence/ab/cdef…`, named by SHA-256, written
//!   to a temporary file, synced and renamed), one item per distinct content; links to leaves are
//!   [`Change::Evidence`] changes with history; [`Workspace::verify_evidence`] re-hashes every file.
//! * Packages (`.zpk`, [`package`]): export of one assessment or the whole workspace as a zip with a
//!   manifest of every entry's SHA-256 and size; [`package::read_package`] verifies everything
//!   before [`Workspace::import_package`] merges it in one transaction.
//!
//! * Library (`systems.rs`): indicator systems the user imported, attached 测评点 to or corrected,
//!   one immutable row per `(system_id, version)` over a system snapshot ([`Workspace::add_library_system`]).
//!
//! * Suggestion decisions (`suggestions.rs`): 采纳 / 不采纳 (with a reason) per suggestion of a
//!   leaf, written as [`Change::Suggestion`] (history, revert, refused when frozen).
//!
//! * Backups (`backup.rs`): [`Workspace::backup_to`] writes a complete copy with SQLite's online
//!   backup API (temp file, synced, renamed); [`verify_workspace_file`] checks a file read-only
//!   (ours, supported schema, full integrity check); [`Workspace::restore_from`] copies a verified
//!   backup into the open workspace in one step.
//!
//! The crate never reads the clock: every timestamp (`now`, RFC 3339) comes from the caller. It
//! does not check point codes against the indicator system; the app layer does.
//!
//! ## Adding a migration
//!
//! The schema lives in `migrations/NNNN_name.sql`, embedded with `include_str!` and listed in
//! [`migrations::MIGRATIONS`]. To change it, add the next file (e.g. `0002_evidence.sql`) and append
//! it to that list; [`SUPPORTED_SCHEMA`] follows. Never edit a released migration: workspaces that
//! already ran it would not run it again. Pending migrations run in one transaction, and the tests
//! check that every file on disk is registered and executes cleanly.

mod backup;
mod blobs;
mod error;
mod evidence;
pub mod migrations;
mod open;
pub mod package;
mod statistics;
pub mod suggestions;
mod systems;
mod types;
mod workspace;

pub use backup::verify_workspace_file;
pub use error::StoreError;
pub use migrations::{migrate, APPLICATION_ID, SUPPORTED_SCHEMA};
pub use suggestions::{Decision, DecisionRow, DecisionStatus};
pub use statistics::{NewStatisticsTable, StatisticsImport, StatisticsTable, STATISTICS_TABLES};
pub use systems::{LibraryOrigin, LibraryRow, NewLibrarySystem};
pub use types::{
    AssessmentRow, BlobStatus, Change, EvidenceCheck, EvidenceKind, EvidenceLink, EvidenceMeta,
    EvidenceRow, FrozenRevision, HistoryRow, NewAssessment, RevisionInfo, Settings, SnapshotRow,
    Status,
};
pub use workspace::Workspace;
