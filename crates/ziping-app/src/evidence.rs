//! Evidence (佐证材料) use cases: add files, edit metadata, link to leaves, list, verify, delete.
//!
//! For the UI: every method returns wire DTOs of this module; links and unlinks return the history
//! lines they wrote (like `edit_point`). The 文号 is normalised on every write
//! ([`ziping_core::docno`]); an unreadable one is kept as typed and shown with
//! [`EvidenceItem::doc_no_flagged`]. Files are only copied and hashed, never executed; to show one,
//! the shell opens [`App::evidence_file_path`] with the system viewer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ziping_core::docno;
use ziping_core::summary::{Missing, MissingKind};
use ziping_core::text::{leaf_noun, point_ref};
use ziping_core::IndicatorSystem;
use ziping_store::{BlobStatus, Change, EvidenceKind, EvidenceMeta, EvidenceRow};

use crate::dto::HistoryItem;
use crate::error::{AppError, ErrorCode};
use crate::service::{history_item, App};

/// A kind (类型) as menus show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceKindOption {
    /// "document", "minutes", "ledger", "statistics", "photo", "certificate", "other".
    pub code: String,
    /// 文件, 会议纪要, 台账, 统计表, 照片, 证书, 其他.
    pub label: String,
}

/// The kinds, in menu order.
pub fn evidence_kinds() -> Vec<EvidenceKindOption> {
    EvidenceKind::ALL
        .iter()
        .map(|k| EvidenceKindOption { code: k.as_str().to_string(), label: k.label().to_string() })
        .collect()
}

/// The metadata the user enters. `kind` is a code or a label ("文件" or "document"); empty → 其他.
/// An empty `title` on add is taken from the file name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub doc_no: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub note: String,
}

/// Where an item is linked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceLinkInfo {
    pub assessment: i64,
    pub region: String,
    pub year: i32,
    pub point: String,
    /// "第3测评点" / "测评点G1".
    pub point_label: String,
    pub point_title: String,
    pub linked_at: String,
}

/// One evidence item as lists and forms show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceItem {
    pub id: i64,
    pub sha256: String,
    pub size: u64,
    pub file_name: String,
    pub title: String,
    pub kind: String,
    pub kind_label: String,
    pub issuer: String,
    pub doc_no: String,
    /// The 文号 could not be read as 机关代字〔年份〕序号号 and is kept as typed.
    pub doc_no_flagged: bool,
    pub date: String,
    pub note: String,
    pub added_at: String,
    pub updated_at: String,
    pub links: Vec<EvidenceLinkInfo>,
}

/// The result of adding a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceAdded {
    pub item: EvidenceItem,
    /// The same content was already stored: this is the existing item, its metadata unchanged.
    pub already_stored: bool,
}

/// How far the copy of one file has come (bytes copied and hashed so far, of its size), sent while
/// a large file is added; the UI shows it as a percentage per file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceProgress {
    /// The file being added, as it was given.
    pub path: String,
    pub done: u64,
    pub total: u64,
}

/// The smallest step between two progress reports (besides the first and the last): every 1 % of
/// the file, but not more often than every 256 KiB.
const PROGRESS_STEP: u64 = 256 * 1024;

/// Filters of the workspace-wide evidence page; all optional, combined with "and".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceFilter {
    /// Substring of title, 发文机关, 文号, file name, note or date.
    #[serde(default)]
    pub query: Option<String>,
    /// Kind code or label.
    #[serde(default)]
    pub kind: Option<String>,
    /// Linked to this assessment (and to `point` when given).
    #[serde(default)]
    pub assessment: Option<i64>,
    #[serde(default)]
    pub point: Option<String>,
    /// Only items linked to no leaf.
    #[serde(default)]
    pub unlinked: bool,
}

/// Link or unlink one item and one leaf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceLinkEdit {
    pub evidence: i64,
    pub assessment: i64,
    pub point: String,
}

/// A stored file that is missing or altered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceProblem {
    pub id: i64,
    pub title: String,
    pub sha256: String,
    /// "missing" or "altered".
    pub status: String,
    /// For "altered": what the file hashes to now.
    pub actual_sha256: Option<String>,
    /// "佐证材料《…》（校验值 ab12…）的文件已丢失。"
    pub message: String,
}

/// The result of re-hashing every stored file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceVerifyReport {
    pub checked: usize,
    pub ok: usize,
    pub problems: Vec<EvidenceProblem>,
}

fn short(sha: &str) -> String {
    sha.chars().take(12).collect()
}

fn meta_from(input: &EvidenceInput, fallback_title: &str) -> Result<EvidenceMeta, AppError> {
    let kind = if input.kind.trim().is_empty() {
        EvidenceKind::Other
    } else {
        EvidenceKind::parse(&input.kind).ok_or_else(|| {
            let labels: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.label()).collect();
            AppError::invalid(format!("“{}”不是有效的佐证类型，可选：{}。", input.kind.trim(), labels.join("、")))
        })?
    };
    let title = if input.title.trim().is_empty() { fallback_title.trim() } else { input.title.trim() };
    if title.is_empty() {
        return Err(AppError::invalid("请填写佐证材料的标题。"));
    }
    Ok(EvidenceMeta {
        title: title.to_string(),
        kind,
        issuer: input.issuer.trim().to_string(),
        doc_no: docno::normalize(&input.doc_no).text().to_string(),
        date: input.date.trim().to_string(),
        note: input.note.trim().to_string(),
    })
}

/// The file name without its extension, as a default title.
fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

impl App {
    /// Copies the file at `path` into the workspace's evidence folder and records it. Adding a
    /// file whose content is already stored returns the existing item (`already_stored`).
    pub fn add_evidence(&mut self, path: &Path, input: &EvidenceInput) -> Result<EvidenceAdded, AppError> {
        self.add_evidence_with_progress(path, input, &mut |_| {})
    }

    /// Like [`App::add_evidence`], reporting the copy's progress: `progress` is called first with
    /// `done = 0`, then as the file is copied and hashed in chunks (at most about every 1 % of its
    /// size, `done` growing), and last with `done = total` = the bytes stored.
    pub fn add_evidence_with_progress(
        &mut self,
        path: &Path,
        input: &EvidenceInput,
        progress: &mut dyn FnMut(&EvidenceProgress),
    ) -> Result<EvidenceAdded, AppError> {
        let meta = meta_from(input, &stem(path))?;
        let now = self.now();
        let shown = path.display().to_string();
        let mut last: Option<(u64, u64)> = None;
        let mut report = |done: u64, total: u64, end: bool| {
            let step = (total / 100).max(PROGRESS_STEP);
            let due = match last {
                None => true,
                Some(l) if end => l != (done, total),
                Some((d, _)) => done > d && (done >= total || done - d >= step),
            };
            if due {
                last = Some((done, total));
                progress(&EvidenceProgress { path: shown.clone(), done, total });
            }
        };
        let (row, already) = self
            .workspace_mut()
            .add_evidence_with_progress(path, &meta, &now, &mut |done, total| report(done, total, false))?;
        // The end, as stored (a file that changed size while it was copied ends at what was stored).
        report(row.size, row.size, true);
        Ok(EvidenceAdded { item: self.evidence_dto(&row)?, already_stored: already })
    }

    /// Stores `bytes` as the content of a file named `file_name` (e.g. a file dropped on the window
    /// or one shipped with the demo); otherwise like [`App::add_evidence`].
    pub fn add_evidence_bytes(
        &mut self,
        file_name: &str,
        bytes: &[u8],
        input: &EvidenceInput,
    ) -> Result<EvidenceAdded, AppError> {
        let meta = meta_from(input, &stem(Path::new(file_name)))?;
        let now = self.now();
        let mut reader = bytes;
        let (row, already) = self.workspace_mut().add_evidence_from(&mut reader, file_name, &meta, &now)?;
        Ok(EvidenceAdded { item: self.evidence_dto(&row)?, already_stored: already })
    }

    /// The items, newest last, filtered.
    pub fn evidence_list(&self, filter: &EvidenceFilter) -> Result<Vec<EvidenceItem>, AppError> {
        let kind = match filter.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => Some(EvidenceKind::parse(k).ok_or_else(|| AppError::invalid(format!("“{k}”不是有效的佐证类型。")))?),
            None => None,
        };
        let query = filter.query.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_lowercase);
        let mut out = Vec::new();
        let mut links_of: BTreeMap<i64, Vec<ziping_store::EvidenceLink>> = BTreeMap::new();
        for l in self.workspace().evidence_links(None, None)? {
            links_of.entry(l.evidence_id).or_default().push(l);
        }
        let mut ctx = LinkContext::default();
        for row in self.workspace().evidence_items()? {
            if kind.is_some_and(|k| k != row.meta.kind) {
                continue;
            }
            if let Some(q) = &query {
                let hay = [&row.meta.title, &row.meta.issuer, &row.meta.doc_no, &row.file_name, &row.meta.note, &row.meta.date];
                if !hay.iter().any(|h| h.to_lowercase().contains(q)) {
                    continue;
                }
            }
            let item = self.evidence_dto_with(&row, links_of.remove(&row.id).unwrap_or_default(), &mut ctx)?;
            if filter.unlinked && !item.links.is_empty() {
                continue;
            }
            if let Some(a) = filter.assessment {
                let p = filter.point.as_deref().map(str::trim);
                if !item.links.iter().any(|l| l.assessment == a && p.is_none_or(|p| l.point == p)) {
                    continue;
                }
            }
            out.push(item);
        }
        Ok(out)
    }

    /// One item with its links.
    pub fn evidence_item(&self, id: i64) -> Result<EvidenceItem, AppError> {
        let row = self.workspace().evidence_item(id)?;
        self.evidence_dto(&row)
    }

    /// The items linked to one leaf, in the order they were linked.
    pub fn point_evidence(&self, assessment: i64, point: &str) -> Result<Vec<EvidenceItem>, AppError> {
        let system = self.assessment_system(assessment)?;
        let code = leaf_code(&system, point)?;
        let mut links = self.workspace().evidence_links(None, Some(assessment))?;
        links.retain(|l| l.point == code);
        links.sort_by(|a, b| a.linked_at.cmp(&b.linked_at).then(a.evidence_id.cmp(&b.evidence_id)));
        links.iter().map(|l| self.evidence_item(l.evidence_id)).collect()
    }

    /// Replaces an item's metadata (文号 normalised). Recorded in the history of every leaf it is
    /// linked to; refused while it is linked to a frozen assessment.
    pub fn update_evidence(&mut self, id: i64, input: &EvidenceInput) -> Result<EvidenceItem, AppError> {
        let current = self.workspace().evidence_item(id)?;
        let meta = meta_from(input, &current.meta.title)?;
        let now = self.now();
        let (row, _) = self.workspace_mut().update_evidence(id, &meta, &now)?;
        self.evidence_dto(&row)
    }

    /// Deletes an item and its stored file; refused while it is linked to any leaf.
    pub fn delete_evidence(&mut self, id: i64) -> Result<(), AppError> {
        Ok(self.workspace_mut().delete_evidence(id)?)
    }

    /// Links an item to a leaf (recorded in the assessment's history; refused when frozen).
    /// Returns the history line, or nothing when it was already linked.
    pub fn link_evidence(&mut self, edit: &EvidenceLinkEdit) -> Result<Vec<HistoryItem>, AppError> {
        self.set_link(edit, true)
    }

    /// Removes a link (recorded in the history). The item itself stays in the workspace.
    pub fn unlink_evidence(&mut self, edit: &EvidenceLinkEdit) -> Result<Vec<HistoryItem>, AppError> {
        self.set_link(edit, false)
    }

    fn set_link(&mut self, edit: &EvidenceLinkEdit, linked: bool) -> Result<Vec<HistoryItem>, AppError> {
        let system = self.assessment_system(edit.assessment)?;
        let point = leaf_code(&system, &edit.point)?;
        let item = self.workspace().evidence_item(edit.evidence)?;
        let now = self.now();
        let change = Change::Evidence { point, sha256: item.sha256, linked };
        let rows = self.workspace_mut().apply(edit.assessment, &[change], &now)?;
        Ok(rows.iter().map(|h| history_item(&system, h)).collect())
    }

    /// Where the stored file of an item is, to open it with the system viewer (read-only).
    pub fn evidence_file_path(&self, id: i64) -> Result<PathBuf, AppError> {
        Ok(self.workspace().evidence_file(id)?)
    }

    /// Re-hashes every stored file; reports the missing and altered ones by title and hash.
    pub fn verify_evidence(&self) -> Result<EvidenceVerifyReport, AppError> {
        let checks = self.workspace().verify_evidence()?;
        let mut problems = Vec::new();
        for c in &checks {
            let e = &c.evidence;
            let (status, actual, what) = match &c.status {
                BlobStatus::Ok => continue,
                BlobStatus::Missing => ("missing", None, "的文件已丢失".to_string()),
                BlobStatus::Altered { actual_sha256, .. } => (
                    "altered",
                    Some(actual_sha256.clone()),
                    format!("的文件已被改动（现校验值{}…）", short(actual_sha256)),
                ),
            };
            problems.push(EvidenceProblem {
                id: e.id,
                title: e.meta.title.clone(),
                sha256: e.sha256.clone(),
                status: status.to_string(),
                actual_sha256: actual,
                message: format!("佐证材料《{}》（校验值{}…）{what}。", e.meta.title, short(&e.sha256)),
            });
        }
        Ok(EvidenceVerifyReport { checked: checks.len(), ok: checks.len() - problems.len(), problems })
    }

    fn evidence_dto(&self, row: &EvidenceRow) -> Result<EvidenceItem, AppError> {
        let links = self.workspace().evidence_links(Some(row.id), None)?;
        self.evidence_dto_with(row, links, &mut LinkContext::default())
    }

    /// [`Self::evidence_dto`] with the item's links given and the linked assessments' systems cached
    /// across items, so that listing thousands of items parses each system snapshot once.
    fn evidence_dto_with(
        &self,
        row: &EvidenceRow,
        item_links: Vec<ziping_store::EvidenceLink>,
        ctx: &mut LinkContext,
    ) -> Result<EvidenceItem, AppError> {
        let mut links = Vec::new();
        let LinkContext { systems, order } = ctx;
        for l in item_links {
            if let std::collections::btree_map::Entry::Vacant(slot) = systems.entry(l.assessment_id) {
                let a = self.workspace().assessment(l.assessment_id)?;
                let s = self.workspace().system_snapshot(a.snapshot_id)?;
                for (i, leaf) in s.leaves().iter().enumerate() {
                    order.insert((l.assessment_id, leaf.code.clone()), i);
                }
                slot.insert((s, a.region, a.year));
            }
            let (system, region, year) = &systems[&l.assessment_id];
            links.push(EvidenceLinkInfo {
                assessment: l.assessment_id,
                region: region.clone(),
                year: *year,
                point_label: point_ref(&leaf_noun(system), &l.point),
                point_title: system.find(&l.point).map(|n| n.title.clone()).unwrap_or_default(),
                point: l.point,
                linked_at: l.linked_at,
            });
        }
        links.sort_by_key(|l| (l.assessment, order.get(&(l.assessment, l.point.clone())).copied().unwrap_or(usize::MAX)));
        Ok(EvidenceItem {
            id: row.id,
            sha256: row.sha256.clone(),
            size: row.size,
            file_name: row.file_name.clone(),
            title: row.meta.title.clone(),
            kind: row.meta.kind.as_str().to_string(),
            kind_label: row.meta.kind.label().to_string(),
            issuer: row.meta.issuer.clone(),
            doc_no: row.meta.doc_no.clone(),
            doc_no_flagged: docno::normalize(&row.meta.doc_no).is_flagged(),
            date: row.meta.date.clone(),
            note: row.meta.note.clone(),
            added_at: row.added_at.clone(),
            updated_at: row.updated_at.clone(),
            links,
        })
    }

    /// Adds 缺佐证 to `missing` for every leaf whose system asks for evidence (`Node.evidence`) and
    /// that has none linked, keeping leaf order (bonus items stay last).
    pub(crate) fn add_evidence_missing(
        &self,
        id: i64,
        system: &IndicatorSystem,
        missing: &mut Vec<Missing>,
    ) -> Result<(), AppError> {
        let linked: BTreeSet<String> =
            self.workspace().evidence_links(None, Some(id))?.into_iter().map(|l| l.point).collect();
        let noun = leaf_noun(system);
        let leaves = system.leaves();
        let order: BTreeMap<&str, usize> = leaves.iter().enumerate().map(|(i, n)| (n.code.as_str(), i)).collect();
        for leaf in &leaves {
            if leaf.evidence.is_empty() || linked.contains(&leaf.code) {
                continue;
            }
            missing.push(Missing {
                point: leaf.code.clone(),
                kind: MissingKind::EvidenceMissing,
                message: format!("{}缺佐证材料（应提供：{}）。", point_ref(&noun, &leaf.code), leaf.evidence.join("；")),
            });
        }
        // Stable: within a leaf the existing order stays, and 缺佐证 comes after it.
        missing.sort_by_key(|m| match m.kind {
            MissingKind::BonusWithoutExplanation => usize::MAX,
            _ => order.get(m.point.as_str()).copied().unwrap_or(usize::MAX - 1),
        });
        Ok(())
    }
}

fn leaf_code(system: &IndicatorSystem, code: &str) -> Result<String, AppError> {
    let code = code.trim();
    match system.find(code) {
        None => Err(AppError::not_found(format!("指标体系《{}》中没有编码为“{code}”的测评点。", system.name))),
        Some(n) if !n.is_leaf() => Err(AppError::new(
            ErrorCode::InvalidInput,
            format!("“{code} {}”是分组，佐证材料请关联到其下的测评点。", n.title),
        )),
        Some(n) => Ok(n.code.clone()),
    }
}

/// Renders the history values of "evidence", "evidence_meta" and "import" rows.
pub(crate) fn describe_history(field: &str, v: &serde_json::Value) -> String {
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let count = |k: &str| v.get(k).and_then(|x| x.as_array()).map_or(0, |a| a.len());
    match field {
        "evidence" => {
            let linked = v.get("linked").and_then(|l| l.as_bool()).unwrap_or(false);
            format!("{}《{}》", if linked { "已关联" } else { "未关联" }, text("title"))
        }
        "evidence_meta" => {
            let kind = EvidenceKind::parse(&text("kind")).map(|k| k.label()).unwrap_or("");
            let parts: Vec<String> = [kind.to_string(), text("issuer"), text("doc_no"), text("date"), text("note")]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect();
            if parts.is_empty() {
                format!("《{}》", text("title"))
            } else {
                format!("《{}》（{}）", text("title"), parts.join("，"))
            }
        }
        _ if v.get("package").is_none() => "（无）".to_string(),
        _ if v.get("created").is_some() => format!("从“{}”导入（新建）", text("package")),
        _ => format!(
            "从“{}”合并：采用包中{}处，保留本机{}处，冲突{}处",
            text("package"),
            count("taken"),
            count("kept"),
            count("conflicts")
        ),
    }
}

/// The linked assessments' systems (with region and year) and leaf positions, shared while a list of
/// items is built.
#[derive(Default)]
struct LinkContext {
    systems: BTreeMap<i64, (IndicatorSystem, String, i32)>,
    /// Leaf positions in document order, per assessment, so links list as the system does (3 before 25).
    order: BTreeMap<(i64, String), usize>,
}
