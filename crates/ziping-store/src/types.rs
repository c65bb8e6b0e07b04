//! The rows and commands the store reads and writes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ziping_core::{BonusClaim, Deduction, Entry};

/// What the caller supplies to create an assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAssessment {
    /// 地区, e.g. "示例县".
    pub region: String,
    /// The assessment year (评价年度).
    pub year: i32,
    /// 填报单位, e.g. "示例县人民政府教育督导室".
    pub organ: String,
    /// The system snapshot (from [`crate::Workspace::put_system_snapshot`]) the assessment uses;
    /// it never changes afterwards.
    pub snapshot_id: i64,
}

/// Whether the current revision of an assessment may be edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 草稿: editable.
    Draft,
    /// 已定稿: read-only until a new revision is started.
    Frozen,
}

impl Status {
    /// The value stored in `assessments.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Frozen => "frozen",
        }
    }

    pub(crate) fn from_db(s: &str) -> Option<Status> {
        match s {
            "draft" => Some(Status::Draft),
            "frozen" => Some(Status::Frozen),
            _ => None,
        }
    }
}

/// One assessment with the identity of its indicator system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub id: i64,
    /// A random UUID (version 4 format), stable across copies of the workspace.
    pub uid: String,
    pub region: String,
    pub year: i32,
    pub organ: String,
    pub snapshot_id: i64,
    pub system_id: String,
    pub system_version: String,
    pub system_name: String,
    pub status: Status,
    /// 1 for the first version; +1 for each [`crate::Workspace::new_revision`].
    pub revision: u32,
    pub created_at: String,
    pub updated_at: String,
    /// When the current revision was frozen; `None` while it is a draft.
    pub frozen_at: Option<String>,
}

/// A stored indicator-system snapshot, without its (possibly large) JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotRow {
    pub id: i64,
    pub system_id: String,
    pub version: String,
    pub name: String,
    pub official: bool,
    /// SHA-256 (lower-case hex) of the snapshot's JSON.
    pub sha256: String,
}

/// One edit of one field. The serialised form is tagged by `field`, which is also the `field` of
/// the [`HistoryRow`] it produces: `{"field":"rating","point":"1.1","rating":"A"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Change {
    /// Rated model: the level code, the not-applicable code, or `None` (not yet rated).
    Rating {
        point: String,
        rating: Option<String>,
    },
    /// Points model: the leaf has been scored.
    Scored { point: String, scored: bool },
    /// Points model: the whole list of deductions, in order (replaces the previous list).
    Deductions {
        point: String,
        deductions: Vec<Deduction>,
    },
    /// 自评说明.
    Note { point: String, text: String },
    /// 存在问题.
    Problems { point: String, text: String },
    /// 整改措施.
    Measures { point: String, text: String },
    /// Claim (with its justification) or withdraw a bonus item. The note of a withdrawn claim is
    /// dropped.
    Bonus {
        code: String,
        claimed: bool,
        note: String,
    },
    /// Link (or unlink) the evidence item with this content hash to the leaf. History values are
    /// `{"linked": bool, "sha256": "…", "title": "…"}`.
    Evidence {
        point: String,
        sha256: String,
        linked: bool,
    },
    /// Decide (采纳 / 不采纳) the leaf's suggestion identified by `key`, or make it open again
    /// (`None`). History values: see [`crate::suggestions`].
    Suggestion {
        point: String,
        key: String,
        decision: Option<crate::suggestions::Decision>,
    },
}

impl Change {
    /// The history field this change writes: "rating", "scored", "deductions", "note", "problems",
    /// "measures", "bonus" or "evidence".
    pub fn field(&self) -> &'static str {
        match self {
            Change::Rating { .. } => "rating",
            Change::Scored { .. } => "scored",
            Change::Deductions { .. } => "deductions",
            Change::Note { .. } => "note",
            Change::Problems { .. } => "problems",
            Change::Measures { .. } => "measures",
            Change::Bonus { .. } => "bonus",
            Change::Evidence { .. } => "evidence",
            Change::Suggestion { .. } => "suggestion",
        }
    }

    /// The leaf code, or the bonus item code for [`Change::Bonus`].
    pub fn point(&self) -> &str {
        match self {
            Change::Rating { point, .. }
            | Change::Scored { point, .. }
            | Change::Deductions { point, .. }
            | Change::Note { point, .. }
            | Change::Problems { point, .. }
            | Change::Measures { point, .. }
            | Change::Evidence { point, .. }
            | Change::Suggestion { point, .. } => point,
            Change::Bonus { code, .. } => code,
        }
    }
}

/// One recorded change.
///
/// Values are JSON: a string or `null` for "rating"; a boolean for "scored"; an array of
/// `{"amount": 2.2, "reason": "…"}` for "deductions"; a string for "note", "problems" and
/// "measures"; `{"claimed": bool, "note": "…"}` for "bonus"; the revision number for "revision";
/// `{"linked": bool, "sha256": "…", "title": "…"}` for "evidence" (link/unlink of an item);
/// the item's metadata (see [`EvidenceMeta`]) plus `sha256` for "evidence_meta" (a metadata edit of
/// an item linked to the leaf); `{}` → the merge report for "import" (point `None`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub id: i64,
    pub assessment_id: i64,
    /// The leaf code; the bonus item code for "bonus"; `None` for "revision".
    pub point: Option<String>,
    /// "rating", "scored", "deductions", "note", "problems", "measures", "bonus" or "revision".
    pub field: String,
    pub old_value: serde_json::Value,
    pub new_value: serde_json::Value,
    /// The caller's timestamp of the change.
    pub at: String,
    /// The assessment's revision the change belongs to.
    pub revision: u32,
    /// For a revert: the history row whose old value was restored.
    pub reverted_id: Option<i64>,
}

/// A frozen revision as it was signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenRevision {
    pub revision: u32,
    pub frozen_at: String,
    pub entries: BTreeMap<String, Entry>,
    /// Claimed bonus items, ordered by code.
    pub bonus: Vec<BonusClaim>,
    /// SHA-256 (lower-case hex) of the revision's canonical JSON (see [`FrozenRevision::content`]).
    pub sha256: String,
    /// The canonical JSON that was hashed: format, assessment identity, revision, system identity,
    /// entries and bonus claims.
    pub content: String,
}

/// A row of the `revisions` table without its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub revision: u32,
    pub frozen_at: String,
    pub sha256: String,
}

/// The connection settings in effect, for diagnostics and tests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// "wal" normally.
    pub journal_mode: String,
    /// 2 = FULL.
    pub synchronous: i64,
    pub foreign_keys: bool,
    /// Milliseconds.
    pub busy_timeout: i64,
    pub application_id: i32,
    pub user_version: u32,
}

/// 类型 of an evidence item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// 文件 (a formal document: 通知, 意见, 方案…).
    Document,
    /// 会议纪要.
    Minutes,
    /// 台账.
    Ledger,
    /// 统计表.
    Statistics,
    /// 照片.
    Photo,
    /// 证书.
    Certificate,
    /// 其他.
    Other,
}

impl EvidenceKind {
    /// Every kind, in the order menus show them.
    pub const ALL: [EvidenceKind; 7] = [
        EvidenceKind::Document,
        EvidenceKind::Minutes,
        EvidenceKind::Ledger,
        EvidenceKind::Statistics,
        EvidenceKind::Photo,
        EvidenceKind::Certificate,
        EvidenceKind::Other,
    ];

    /// The code stored in the database and used on the wire ("document", "minutes", …).
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Document => "document",
            EvidenceKind::Minutes => "minutes",
            EvidenceKind::Ledger => "ledger",
            EvidenceKind::Statistics => "statistics",
            EvidenceKind::Photo => "photo",
            EvidenceKind::Certificate => "certificate",
            EvidenceKind::Other => "other",
        }
    }

    /// The Chinese label: 文件, 会议纪要, 台账, 统计表, 照片, 证书, 其他.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::Document => "文件",
            EvidenceKind::Minutes => "会议纪要",
            EvidenceKind::Ledger => "台账",
            EvidenceKind::Statistics => "统计表",
            EvidenceKind::Photo => "照片",
            EvidenceKind::Certificate => "证书",
            EvidenceKind::Other => "其他",
        }
    }

    /// Accepts the code or the Chinese label.
    pub fn parse(s: &str) -> Option<EvidenceKind> {
        let s = s.trim();
        EvidenceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label() == s)
    }
}

/// The metadata of an evidence item, as the user edits it. The store keeps the text as given (the
/// app layer normalises the 文号).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceMeta {
    /// 标题, e.g. "关于加强义务教育控辍保学工作的通知".
    pub title: String,
    pub kind: EvidenceKind,
    /// 发文机关.
    pub issuer: String,
    /// 文号, e.g. "示政发〔2024〕12号".
    pub doc_no: String,
    /// 日期 (成文日期, 会议日期…), as entered ("2024-03-15" preferred).
    pub date: String,
    /// 备注.
    pub note: String,
}

/// One stored evidence item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRow {
    pub id: i64,
    /// SHA-256 (lower-case hex) of the file; also its name in the evidence folder.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
    /// The file name it was added from (no directory).
    pub file_name: String,
    #[serde(flatten)]
    pub meta: EvidenceMeta,
    pub added_at: String,
    pub updated_at: String,
}

/// A link of an evidence item to a leaf of an assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLink {
    pub evidence_id: i64,
    pub assessment_id: i64,
    pub point: String,
    pub linked_at: String,
}

/// What re-hashing a stored evidence file found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum BlobStatus {
    /// Present, and its content hashes to the recorded SHA-256.
    Ok,
    /// The file is not in the evidence folder.
    Missing,
    /// The file's content changed: what it hashes to now.
    Altered {
        actual_sha256: String,
        actual_size: u64,
    },
}

/// One item of [`crate::Workspace::verify_evidence`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceCheck {
    pub evidence: EvidenceRow,
    pub status: BlobStatus,
}
