//! Importing a verified package: new assessments are copied whole; an assessment that already
//! exists (same uid) is merged per leaf.
//!
//! ## The merge rule (three-way, per leaf)
//!
//! The content of a leaf is its entry (rating or scoring, deductions, texts) plus the set of linked
//! evidence (by hash) plus the decisions on its suggestions (by key: status, reason, explanation);
//! each bonus item (`bonus:CODE`) is a unit too. A leaf without decisions hashes exactly as before
//! decisions were carried, so merge bases written then stay valid. Each workspace keeps, per
//! leaf, the hash of the content last exchanged (`sync_base`: written on export with what was
//! exported, and on import with what the package held), and a package carries its exporter's base.
//!
//! For each leaf whose content differs between mine (this workspace) and theirs (the package):
//!
//! * mine is *unchanged* when it equals my base (without a base: when it is empty);
//! * theirs is *unchanged* when it equals the package's base (without one: when it is empty);
//! * mine unchanged, theirs changed → take theirs; theirs unchanged, mine changed → keep mine;
//! * both changed (or both "unchanged" yet different) → **conflict**, resolved per leaf by the
//!   user ([`Resolution::choices`]) or wholesale ([`Resolution::prefer`]); an unresolved conflict
//!   refuses the import.
//!
//! Taking theirs writes ordinary changes (one history row per field, links and unlinks as
//! "evidence" rows); then one "import" row records the package and what was taken, kept and
//! chosen. Evidence is merged by hash: items already present keep their metadata, new ones are
//! added. The assessment's status is not merged: a frozen local assessment refuses to take
//! anything (start a new revision first). Everything happens in one transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ziping_core::{BonusClaim, Entry, IndicatorSystem};

use super::read::{read_package, sha_of, BlobSink, DiscardBlobs};
use super::{Limits, Package, PkgAssessment, PkgDecision, Scope};
use crate::blobs::{self, Staged};
use crate::error::StoreError;
use crate::suggestions::{Decision, DecisionStatus};
use crate::types::{AssessmentRow, Change, Status};
use crate::workspace::{
    apply_one, insert_history, load_assessment, load_bonus, load_entries, Workspace,
};

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", content = "assessment", rename_all = "snake_case")]
pub enum ExportScope {
    /// One assessment, with the evidence linked to it.
    Assessment(i64),
    /// Every assessment and every evidence item.
    Workspace,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportReport {
    pub path: PathBuf,
    pub assessments: usize,
    pub evidence: usize,
    /// Size of the package file.
    pub bytes: u64,
}

/// One side of a leaf (or bonus item) in a merge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeafSide {
    /// For a leaf: its entry (the default entry when untouched). `None` for a bonus item.
    pub entry: Option<Entry>,
    /// SHA-256 of the linked evidence, sorted.
    pub evidence: Vec<String>,
    /// For a bonus item: the justification when claimed, `None` when not claimed.
    pub bonus_note: Option<String>,
    /// For a leaf: the decisions on its suggestions, by key (left out of the JSON when none, so
    /// such a leaf hashes as it did before decisions were part of the content).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<LeafDecision>,
}

/// A decision on one suggestion of a leaf, as merged (when it was taken is not content).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeafDecision {
    pub key: String,
    pub status: DecisionStatus,
    pub reason: String,
    pub explanation: String,
}

impl From<&PkgDecision> for LeafDecision {
    fn from(d: &PkgDecision) -> LeafDecision {
        LeafDecision {
            key: d.key.clone(),
            status: d.status,
            reason: d.reason.clone(),
            explanation: d.explanation.clone(),
        }
    }
}

impl LeafSide {
    fn empty(key: &str) -> LeafSide {
        if key.starts_with(BONUS_PREFIX) {
            LeafSide::default()
        } else {
            LeafSide {
                entry: Some(Entry::default()),
                ..LeafSide::default()
            }
        }
    }
}

pub(crate) const BONUS_PREFIX: &str = "bonus:";

/// Which side to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Mine,
    Theirs,
}

/// What the merge does with a leaf whose two sides differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeAction {
    TakeTheirs,
    KeepMine,
    Conflict,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointPlan {
    /// The leaf code, or `bonus:CODE`.
    pub key: String,
    pub action: MergeAction,
    pub mine: LeafSide,
    pub theirs: LeafSide,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentPlan {
    pub uid: String,
    pub region: String,
    pub year: i32,
    /// The local assessment merged into; `None` when the package's assessment is new here.
    pub local_id: Option<i64>,
    pub local_frozen: bool,
    /// Leaves whose sides differ (empty for a new assessment).
    pub points: Vec<PointPlan>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPlan {
    pub scope: Scope,
    pub created_at: String,
    pub app_version: String,
    pub assessments: Vec<AssessmentPlan>,
    /// Evidence items of the package not yet stored here / already stored (same content).
    pub evidence_new: usize,
    pub evidence_known: usize,
}

impl ImportPlan {
    /// (assessment uid, key) of every conflict.
    pub fn conflicts(&self) -> Vec<(&str, &str)> {
        self.assessments
            .iter()
            .flat_map(|a| {
                a.points
                    .iter()
                    .filter(|p| p.action == MergeAction::Conflict)
                    .map(move |p| (a.uid.as_str(), p.key.as_str()))
            })
            .collect()
    }
}

/// How conflicts are resolved: a choice per (assessment uid, key), else `prefer`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    #[serde(default)]
    pub prefer: Option<Side>,
    #[serde(default)]
    pub choices: BTreeMap<String, BTreeMap<String, Side>>,
}

impl Resolution {
    fn side(&self, uid: &str, key: &str) -> Option<Side> {
        self.choices
            .get(uid)
            .and_then(|m| m.get(key))
            .copied()
            .or(self.prefer)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub plan: ImportPlan,
    /// Local ids of the assessments created / merged into.
    pub created: Vec<i64>,
    pub merged: Vec<i64>,
    /// Leaves taken from the package, kept, and conflicts resolved either way.
    pub taken: usize,
    pub kept: usize,
    pub conflicts_resolved: usize,
    pub evidence_added: usize,
}

/// Content per leaf and bonus item.
pub(crate) fn contents(
    entries: &BTreeMap<String, Entry>,
    bonus: &[BonusClaim],
    links: &[(String, String)],
    decisions: &[PkgDecision],
) -> BTreeMap<String, LeafSide> {
    let mut out: BTreeMap<String, LeafSide> = BTreeMap::new();
    for (point, entry) in entries {
        out.insert(
            point.clone(),
            LeafSide {
                entry: Some(entry.clone()),
                ..LeafSide::default()
            },
        );
    }
    for (point, sha) in links {
        out.entry(point.clone())
            .or_insert_with(|| LeafSide::empty(point))
            .evidence
            .push(sha.clone());
    }
    for d in decisions {
        out.entry(d.point.clone())
            .or_insert_with(|| LeafSide::empty(&d.point))
            .decisions
            .push(LeafDecision::from(d));
    }
    for side in out.values_mut() {
        side.evidence.sort();
        side.evidence.dedup();
        side.decisions.sort_by(|a, b| a.key.cmp(&b.key));
        side.decisions.dedup_by(|a, b| a.key == b.key);
    }
    for b in bonus {
        out.insert(
            format!("{BONUS_PREFIX}{}", b.code),
            LeafSide {
                bonus_note: Some(b.note.clone()),
                ..LeafSide::default()
            },
        );
    }
    out
}

pub(crate) fn hash_side(side: &LeafSide) -> String {
    let json = serde_json::to_string(side).unwrap_or_default();
    sha_of(json.as_bytes())
}

/// (point, evidence sha) of every link of an assessment.
pub(crate) fn links_with_sha(
    conn: &Connection,
    id: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT l.point, e.sha256 FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id \
         WHERE l.assessment_id = ?1 ORDER BY l.point, e.sha256",
    )?;
    let rows = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The decisions of an assessment, ordered by leaf and key.
pub(crate) fn decisions_of(conn: &Connection, id: i64) -> Result<Vec<PkgDecision>, StoreError> {
    crate::suggestions::decision_rows(conn, id)
}

pub(crate) fn pkg_contents(a: &PkgAssessment) -> BTreeMap<String, LeafSide> {
    let links: Vec<(String, String)> = a
        .links
        .iter()
        .map(|l| (l.point.clone(), l.sha256.clone()))
        .collect();
    contents(&a.entries, &a.bonus, &links, &a.decisions)
}

fn plan_on(conn: &Connection, pkg: &Package) -> Result<ImportPlan, StoreError> {
    let mut assessments = Vec::new();
    for a in &pkg.data.assessments {
        let local: Option<i64> = conn
            .query_row("SELECT id FROM assessments WHERE uid = ?1", [&a.uid], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(id) = local else {
            assessments.push(AssessmentPlan {
                uid: a.uid.clone(),
                region: a.region.clone(),
                year: a.year,
                local_id: None,
                local_frozen: false,
                points: Vec::new(),
            });
            continue;
        };
        let row = load_assessment(conn, id)?;
        let local_sha: String = conn.query_row(
            "SELECT sha256 FROM system_snapshots WHERE id = ?1",
            [row.snapshot_id],
            |r| r.get(0),
        )?;
        if local_sha != a.snapshot_sha256 {
            let theirs = pkg
                .manifest
                .systems
                .iter()
                .find(|s| s.sha256 == a.snapshot_sha256)
                .map(|s| format!("{} {}", s.name, s.version))
                .unwrap_or_default();
            return Err(StoreError::Invalid(format!(
                "包中的{}{}年度自评与本机的同一自评使用的指标体系版本不同（包中为{theirs}，本机为{} {}），无法合并",
                a.region, a.year, row.system_name, row.system_version
            )));
        }
        let mine = contents(
            &load_entries(conn, id)?,
            &load_bonus(conn, id)?,
            &links_with_sha(conn, id)?,
            &decisions_of(conn, id)?,
        );
        let theirs = pkg_contents(a);
        let my_base = load_base(conn, id)?;
        let keys: BTreeSet<&String> = mine.keys().chain(theirs.keys()).collect();
        let mut points = Vec::new();
        for key in keys {
            let m = mine
                .get(key)
                .cloned()
                .unwrap_or_else(|| LeafSide::empty(key));
            let t = theirs
                .get(key)
                .cloned()
                .unwrap_or_else(|| LeafSide::empty(key));
            let (hm, ht) = (hash_side(&m), hash_side(&t));
            if hm == ht {
                continue;
            }
            let empty = hash_side(&LeafSide::empty(key));
            let mine_unchanged = my_base.get(key.as_str()).map_or(hm == empty, |b| *b == hm);
            let theirs_unchanged = a.base.get(key.as_str()).map_or(ht == empty, |b| *b == ht);
            let action = match (mine_unchanged, theirs_unchanged) {
                (true, false) => MergeAction::TakeTheirs,
                (false, true) => MergeAction::KeepMine,
                _ => MergeAction::Conflict,
            };
            points.push(PointPlan {
                key: key.clone(),
                action,
                mine: m,
                theirs: t,
            });
        }
        assessments.push(AssessmentPlan {
            uid: a.uid.clone(),
            region: a.region.clone(),
            year: a.year,
            local_id: Some(id),
            local_frozen: row.status == Status::Frozen,
            points,
        });
    }
    let mut evidence_new = 0;
    for e in &pkg.data.evidence {
        let known: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM evidence WHERE sha256 = ?1)",
            [&e.sha256],
            |r| r.get(0),
        )?;
        if !known {
            evidence_new += 1;
        }
    }
    Ok(ImportPlan {
        scope: pkg.manifest.scope,
        created_at: pkg.manifest.created_at.clone(),
        app_version: pkg.manifest.app_version.clone(),
        assessments,
        evidence_new,
        evidence_known: pkg.data.evidence.len() - evidence_new,
    })
}

fn load_base(conn: &Connection, id: i64) -> Result<BTreeMap<String, String>, StoreError> {
    let mut stmt = conn.prepare("SELECT point, sha256 FROM sync_base WHERE assessment_id = ?1")?;
    let rows = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<BTreeMap<String, String>>>()?;
    Ok(rows)
}

fn write_base(
    conn: &Connection,
    id: i64,
    sides: &BTreeMap<String, LeafSide>,
    extra_keys: &BTreeSet<String>,
) -> Result<(), StoreError> {
    conn.execute("DELETE FROM sync_base WHERE assessment_id = ?1", [id])?;
    let keys: BTreeSet<&String> = sides.keys().chain(extra_keys.iter()).collect();
    for key in keys {
        let side = sides
            .get(key)
            .cloned()
            .unwrap_or_else(|| LeafSide::empty(key));
        conn.execute(
            "INSERT INTO sync_base (assessment_id, point, sha256) VALUES (?1, ?2, ?3)",
            params![id, key, hash_side(&side)],
        )?;
    }
    Ok(())
}

/// Stages each evidence file in the evidence folder's tmp/ while it is verified.
struct Staging {
    dir: PathBuf,
    staged: Vec<Staged>,
}

impl BlobSink for Staging {
    fn blob(&mut self, _sha256: &str, _size: u64, data: &mut dyn Read) -> io::Result<()> {
        let s = blobs::stage(&self.dir, data)?;
        self.staged.push(s);
        Ok(())
    }
}

impl Staging {
    fn discard(self) {
        for s in self.staged {
            s.discard();
        }
    }
}

fn open_package(path: &Path) -> Result<File, StoreError> {
    File::open(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })
}

impl Workspace {
    /// Verifies the package at `path` completely (evidence files included, without keeping them)
    /// and tells what importing it would do. Nothing is written.
    pub fn preview_package(
        &self,
        path: &Path,
        limits: &Limits,
    ) -> Result<(Package, ImportPlan), StoreError> {
        let file = open_package(path)?;
        let pkg = read_package(file, limits, &mut DiscardBlobs).map_err(|e| e.into_store(path))?;
        let plan = plan_on(&self.conn, &pkg)?;
        Ok((pkg, plan))
    }

    /// Imports the package at `path`: verifies every entry first (nothing is written if anything
    /// is wrong), then, in ONE transaction, adds new evidence, copies new assessments whole and
    /// merges existing ones per leaf (see the module documentation), resolving conflicts with
    /// `resolution`. An unresolved conflict, a frozen local assessment that would change, or a
    /// different system version refuses the whole import.
    pub fn import_package(
        &mut self,
        path: &Path,
        limits: &Limits,
        resolution: &Resolution,
        now: &str,
    ) -> Result<ImportReport, StoreError> {
        crate::workspace::check_time(now)?;
        let file = open_package(path)?;
        let mut staging = Staging {
            dir: self.evidence_dir(),
            staged: Vec::new(),
        };
        let pkg = match read_package(file, limits, &mut staging) {
            Ok(p) => p,
            Err(e) => {
                staging.discard();
                return Err(e.into_store(path));
            }
        };
        let label = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = self.evidence_dir();
        let tx = match self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
        {
            Ok(tx) => tx,
            Err(e) => {
                staging.discard();
                return Err(e.into());
            }
        };
        let applied = apply_package(&tx, &pkg, resolution, &label, now);
        let report = match applied {
            Ok(r) => r,
            Err(e) => {
                drop(tx);
                staging.discard();
                return Err(e);
            }
        };
        // Files first, then the commit: on any failure the new files are removed again.
        let mut placed = Vec::new();
        let mut failure = None;
        for s in std::mem::take(&mut staging.staged) {
            let sha = s.sha256.clone();
            match blobs::place(&dir, s) {
                Ok(true) => placed.push(sha),
                Ok(false) => {}
                Err(source) => {
                    failure = Some(StoreError::Io {
                        path: dir.clone(),
                        source,
                    });
                    break;
                }
            }
        }
        let result = match failure {
            Some(e) => Err(e),
            None => tx.commit().map_err(StoreError::from),
        };
        if let Err(e) = result {
            staging.discard();
            for sha in placed {
                let _ = blobs::remove(&dir, &sha);
            }
            return Err(e);
        }
        Ok(report)
    }
}

fn apply_package(
    conn: &Connection,
    pkg: &Package,
    resolution: &Resolution,
    label: &str,
    now: &str,
) -> Result<ImportReport, StoreError> {
    let plan = plan_on(conn, pkg)?;
    let unresolved: Vec<(&str, &str)> = plan
        .conflicts()
        .into_iter()
        .filter(|(uid, key)| resolution.side(uid, key).is_none())
        .collect();
    if !unresolved.is_empty() {
        let keys: Vec<&str> = unresolved.iter().map(|(_, k)| *k).collect();
        return Err(StoreError::Invalid(format!(
            "有{}处冲突（双方都修改过的测评点：{}）尚未选择保留哪一方",
            unresolved.len(),
            keys.join("、")
        )));
    }

    // Evidence by hash: new items are added with the package's metadata; known ones keep ours.
    let mut evidence_added = 0;
    for e in &pkg.data.evidence {
        let n = conn.execute(
            "INSERT INTO evidence (sha256, size, file_name, title, kind, issuer, doc_no, date, note, added_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (sha256) DO NOTHING",
            params![
                e.sha256,
                i64::try_from(e.size).unwrap_or(i64::MAX),
                e.file_name,
                e.title,
                e.kind.as_str(),
                e.issuer,
                e.doc_no,
                e.date,
                e.note,
                e.added_at,
                e.updated_at
            ],
        )?;
        evidence_added += n;
    }

    let mut report = ImportReport {
        plan: plan.clone(),
        created: Vec::new(),
        merged: Vec::new(),
        taken: 0,
        kept: 0,
        conflicts_resolved: 0,
        evidence_added,
    };
    for (a, ap) in pkg.data.assessments.iter().zip(&plan.assessments) {
        match ap.local_id {
            None => {
                let id = insert_new(conn, pkg, a, label, now)?;
                report.created.push(id);
            }
            Some(id) => {
                merge_one(conn, id, a, ap, resolution, label, now, &mut report)?;
                report.merged.push(id);
            }
        }
    }
    Ok(report)
}

fn insert_new(
    conn: &Connection,
    pkg: &Package,
    a: &PkgAssessment,
    label: &str,
    now: &str,
) -> Result<i64, StoreError> {
    let snap = pkg
        .data
        .snapshots
        .iter()
        .find(|s| s.sha256 == a.snapshot_sha256)
        .ok_or_else(|| StoreError::Invalid("包中缺少指标体系快照".to_string()))?;
    let system: IndicatorSystem = serde_json::from_str(&snap.json)
        .map_err(|e| StoreError::Invalid(format!("指标体系快照无法读取：{e}")))?;
    conn.execute(
        "INSERT INTO system_snapshots (system_id, version, name, official, json, sha256) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sha256) DO NOTHING",
        params![
            system.id,
            system.version,
            system.name,
            system.official,
            snap.json,
            snap.sha256
        ],
    )?;
    let snapshot_id: i64 = conn.query_row(
        "SELECT id FROM system_snapshots WHERE sha256 = ?1",
        [&snap.sha256],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO assessments (uid, region, year, organ, snapshot_id, status, revision, created_at, updated_at, frozen_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![a.uid, a.region, a.year, a.organ, snapshot_id, a.status, a.revision, a.created_at, a.updated_at, a.frozen_at],
    )?;
    let id = conn.last_insert_rowid();
    for (point, e) in &a.entries {
        conn.execute(
            "INSERT INTO entries (assessment_id, point, rating, scored, note, problems, measures, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, point, e.rating, e.scored, e.note, e.problems, e.measures, a.updated_at],
        )?;
        for (i, d) in e.deductions.iter().enumerate() {
            conn.execute(
                "INSERT INTO deductions (assessment_id, point, position, amount, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, point, i as i64, d.amount.hundredths(), d.reason],
            )?;
        }
    }
    for b in &a.bonus {
        conn.execute(
            "INSERT INTO bonus_claims (assessment_id, code, note, updated_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, b.code, b.note, a.updated_at],
        )?;
    }
    for l in &a.links {
        conn.execute(
            "INSERT INTO evidence_links (evidence_id, assessment_id, point, linked_at) \
             SELECT id, ?2, ?3, ?4 FROM evidence WHERE sha256 = ?1 ON CONFLICT DO NOTHING",
            params![l.sha256, id, l.point, l.linked_at],
        )?;
    }
    for d in &a.decisions {
        conn.execute(
            "INSERT INTO suggestion_decisions (assessment_id, point, key, status, reason, explanation, decided_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, d.point, d.key, d.status.as_str(), d.reason, d.explanation, d.decided_at],
        )?;
    }
    let mut ids: BTreeMap<i64, i64> = BTreeMap::new();
    for h in &a.history {
        let reverted = h.reverted_id.and_then(|r| ids.get(&r).copied());
        conn.execute(
            "INSERT INTO history (assessment_id, point, field, old_value, new_value, at, revision, reverted_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, h.point, h.field, h.old_value.to_string(), h.new_value.to_string(), h.at, h.revision, reverted],
        )?;
        ids.insert(h.id, conn.last_insert_rowid());
    }
    for r in &a.revisions {
        conn.execute(
            "INSERT INTO revisions (assessment_id, revision, frozen_at, content, sha256) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, r.revision, r.frozen_at, r.content, r.sha256],
        )?;
    }
    write_base(conn, id, &pkg_contents(a), &BTreeSet::new())?;
    insert_history(
        conn,
        id,
        None,
        "import",
        &json!({}),
        &json!({ "package": label, "created": true }),
        now,
        a.revision,
        None,
    )?;
    Ok(id)
}

/// The changes that make `mine` equal to `theirs` for one key.
fn changes_to(key: &str, mine: &LeafSide, theirs: &LeafSide) -> Vec<Change> {
    let mut out = Vec::new();
    if let Some(code) = key.strip_prefix(BONUS_PREFIX) {
        out.push(Change::Bonus {
            code: code.to_string(),
            claimed: theirs.bonus_note.is_some(),
            note: theirs.bonus_note.clone().unwrap_or_default(),
        });
        return out;
    }
    let point = key.to_string();
    let t = theirs.entry.clone().unwrap_or_default();
    out.push(Change::Rating {
        point: point.clone(),
        rating: t.rating,
    });
    out.push(Change::Deductions {
        point: point.clone(),
        deductions: t.deductions,
    });
    out.push(Change::Scored {
        point: point.clone(),
        scored: t.scored,
    });
    out.push(Change::Note {
        point: point.clone(),
        text: t.note,
    });
    out.push(Change::Problems {
        point: point.clone(),
        text: t.problems,
    });
    out.push(Change::Measures {
        point: point.clone(),
        text: t.measures,
    });
    for sha in &theirs.evidence {
        if !mine.evidence.contains(sha) {
            out.push(Change::Evidence {
                point: point.clone(),
                sha256: sha.clone(),
                linked: true,
            });
        }
    }
    for sha in &mine.evidence {
        if !theirs.evidence.contains(sha) {
            out.push(Change::Evidence {
                point: point.clone(),
                sha256: sha.clone(),
                linked: false,
            });
        }
    }
    // Decisions by key: theirs as they are; ours that they do not have become open again.
    for d in &theirs.decisions {
        out.push(Change::Suggestion {
            point: point.clone(),
            key: d.key.clone(),
            decision: Some(Decision {
                status: d.status,
                reason: d.reason.clone(),
                explanation: d.explanation.clone(),
            }),
        });
    }
    for d in &mine.decisions {
        if !theirs.decisions.iter().any(|t| t.key == d.key) {
            out.push(Change::Suggestion {
                point: point.clone(),
                key: d.key.clone(),
                decision: None,
            });
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn merge_one(
    conn: &Connection,
    id: i64,
    a: &PkgAssessment,
    plan: &AssessmentPlan,
    resolution: &Resolution,
    label: &str,
    now: &str,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let row: AssessmentRow = load_assessment(conn, id)?;
    let mut taken = Vec::new();
    let mut kept = Vec::new();
    let mut chosen = Vec::new();
    let mut changes = Vec::new();
    for p in &plan.points {
        let side = match p.action {
            MergeAction::TakeTheirs => Side::Theirs,
            MergeAction::KeepMine => Side::Mine,
            MergeAction::Conflict => {
                let s = resolution.side(&a.uid, &p.key).unwrap_or(Side::Mine);
                chosen.push(json!({ "point": p.key, "chosen": s }));
                report.conflicts_resolved += 1;
                s
            }
        };
        match side {
            Side::Theirs => {
                taken.push(p.key.clone());
                changes.extend(changes_to(&p.key, &p.mine, &p.theirs));
            }
            Side::Mine => kept.push(p.key.clone()),
        }
    }
    report.taken += taken.len();
    report.kept += kept.len();
    if !taken.is_empty() && row.status == Status::Frozen {
        return Err(StoreError::Frozen {
            assessment_id: id,
            revision: row.revision,
        });
    }
    let mut written = 0;
    for c in &changes {
        if apply_one(conn, &row, c, now, None)?.is_some() {
            written += 1;
        }
    }
    if written > 0 {
        conn.execute(
            "UPDATE assessments SET updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
    }
    let old_base: BTreeSet<String> = load_base(conn, id)?.into_keys().collect();
    write_base(conn, id, &pkg_contents(a), &old_base)?;
    insert_history(
        conn,
        id,
        None,
        "import",
        &json!({}),
        &json!({ "package": label, "taken": taken, "kept": kept, "conflicts": chosen }),
        now,
        row.revision,
        None,
    )?;
    Ok(())
}
