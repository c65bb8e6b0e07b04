//! Package (`.zpk`) use cases: export one assessment or the whole workspace; preview and import a
//! package, merging per leaf.
//!
//! For the UI: `export_package` → save dialog path; `preview_package` → show what will be taken,
//! kept and which leaves conflict (both sides changed); let the user choose per conflict, then
//! `import_package` with [`PackageImportOptions`]. An import with an unresolved conflict fails with
//! [`ErrorCode::Conflict`] and changes nothing. A bad package fails with
//! [`ErrorCode::BadPackage`] and a message naming the file and the entry. The merge rule is in
//! `ziping_store::package` (three-way per leaf, using the merge base both sides keep).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ziping_core::system::ScoringModel;
use ziping_core::text::{leaf_noun, point_ref};
use ziping_core::IndicatorSystem;
use ziping_store::package::{
    AssessmentPlan, ExportScope, ImportPlan, LeafSide, Limits, MergeAction, Package, Resolution, Scope, Side,
};

use crate::error::{AppError, ErrorCode};
use crate::service::App;

/// The result of an export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ExportResult {
    #[ts(type = "string")]
    pub path: PathBuf,
    pub assessments: usize,
    pub evidence: usize,
    pub bytes: u64,
}

/// One leaf (or bonus item) whose two sides differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PointDiff {
    /// The key to use in [`ConflictChoice::point`]: the leaf code, or `bonus:CODE`.
    pub key: String,
    /// "第3测评点" / "加分项B1".
    pub label: String,
    pub title: String,
    /// Short Chinese descriptions of each side: "完全落实；说明：…；佐证2份".
    pub mine: String,
    pub theirs: String,
}

/// What importing will do to one assessment of the package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PackageAssessmentPreview {
    pub uid: String,
    pub region: String,
    pub year: i32,
    /// The local assessment it merges into; `None` when it will be created.
    pub local_id: Option<i64>,
    pub local_frozen: bool,
    /// Changed only in the package: will be taken.
    pub take: Vec<PointDiff>,
    /// Changed only here: will be kept.
    pub keep: Vec<PointDiff>,
    /// Changed on both sides: the user chooses.
    pub conflicts: Vec<PointDiff>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PackagePreview {
    #[ts(type = "string")]
    pub path: PathBuf,
    /// "assessment" or "workspace".
    pub scope: String,
    pub created_at: String,
    pub app_version: String,
    pub assessments: Vec<PackageAssessmentPreview>,
    pub evidence_new: usize,
    pub evidence_known: usize,
}

/// One conflict's choice: keep "mine" or take "theirs".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ConflictChoice {
    pub uid: String,
    /// [`PointDiff::key`].
    pub point: String,
    /// "mine" or "theirs".
    pub keep: String,
}

/// How to resolve conflicts: per conflict, else `prefer` ("mine" / "theirs") for all others.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PackageImportOptions {
    #[serde(default)]
    pub prefer: Option<String>,
    #[serde(default)]
    pub choices: Vec<ConflictChoice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PackageImportResult {
    /// Local ids of the assessments created / merged into.
    pub created: Vec<i64>,
    pub merged: Vec<i64>,
    pub taken: usize,
    pub kept: usize,
    pub conflicts_resolved: usize,
    pub evidence_added: usize,
    /// One Chinese sentence for a message box.
    pub message: String,
}

fn side(s: &str) -> Result<Side, AppError> {
    match s.trim() {
        "mine" | "本机" | "我的" => Ok(Side::Mine),
        "theirs" | "包中" | "对方" => Ok(Side::Theirs),
        other => Err(AppError::invalid(format!("“{other}”无效：请选择 mine（保留本机）或 theirs（采用包中）。"))),
    }
}

fn describe(system: Option<&IndicatorSystem>, s: &LeafSide) -> String {
    if s.entry.is_none() {
        return match &s.bonus_note {
            Some(n) if n.trim().is_empty() => "申报".to_string(),
            Some(n) => format!("申报：{}", clip(n)),
            None => "未申报".to_string(),
        };
    }
    let e = s.entry.clone().unwrap_or_default();
    let mut parts = Vec::new();
    if let Some(r) = &e.rating {
        let label = match system.map(|s| &s.scoring) {
            Some(ScoringModel::Rated(m)) => m
                .levels
                .iter()
                .find(|l| &l.code == r)
                .map(|l| l.label.clone())
                .or_else(|| m.not_applicable.as_ref().filter(|na| &na.code == r).map(|na| na.label.clone()))
                .unwrap_or_else(|| r.clone()),
            _ => r.clone(),
        };
        parts.push(label);
    }
    if e.scored {
        if e.deductions.is_empty() {
            parts.push("已评分，无扣分".to_string());
        } else {
            let d: Vec<String> = e.deductions.iter().map(|d| format!("扣{}分", d.amount)).collect();
            parts.push(d.join("、"));
        }
    }
    for (label, text) in [("说明", &e.note), ("问题", &e.problems), ("措施", &e.measures)] {
        if !text.trim().is_empty() {
            parts.push(format!("{label}：{}", clip(text)));
        }
    }
    if !s.evidence.is_empty() {
        parts.push(format!("佐证{}份", s.evidence.len()));
    }
    if !s.decisions.is_empty() {
        let adopted = s.decisions.iter().filter(|d| d.status == ziping_store::DecisionStatus::Adopted).count();
        parts.push(format!("建议采纳{adopted}条、不采纳{}条", s.decisions.len() - adopted));
    }
    if parts.is_empty() {
        "（未填写）".to_string()
    } else {
        parts.join("；")
    }
}

fn clip(s: &str) -> String {
    let s = s.trim();
    let short: String = s.chars().take(20).collect();
    if s.chars().count() > 20 {
        format!("{short}…")
    } else {
        short
    }
}

fn preview_of(pkg: &Package, plan: &ImportPlan, path: &Path) -> PackagePreview {
    let systems: Vec<(String, IndicatorSystem)> = pkg
        .data
        .snapshots
        .iter()
        .filter_map(|s| serde_json::from_str(&s.json).ok().map(|sys| (s.sha256.clone(), sys)))
        .collect();
    let assessments = plan
        .assessments
        .iter()
        .zip(&pkg.data.assessments)
        .map(|(ap, a)| {
            let system = systems.iter().find(|(sha, _)| *sha == a.snapshot_sha256).map(|(_, s)| s);
            assessment_preview(ap, system)
        })
        .collect();
    PackagePreview {
        path: path.to_path_buf(),
        scope: match plan.scope {
            Scope::Assessment => "assessment",
            Scope::Workspace => "workspace",
        }
        .to_string(),
        created_at: plan.created_at.clone(),
        app_version: plan.app_version.clone(),
        assessments,
        evidence_new: plan.evidence_new,
        evidence_known: plan.evidence_known,
    }
}

fn assessment_preview(ap: &AssessmentPlan, system: Option<&IndicatorSystem>) -> PackageAssessmentPreview {
    let mut out = PackageAssessmentPreview {
        uid: ap.uid.clone(),
        region: ap.region.clone(),
        year: ap.year,
        local_id: ap.local_id,
        local_frozen: ap.local_frozen,
        take: Vec::new(),
        keep: Vec::new(),
        conflicts: Vec::new(),
    };
    for p in &ap.points {
        let (label, title) = match p.key.strip_prefix("bonus:") {
            Some(code) => (format!("加分项{code}"), bonus_title(system, code)),
            None => (
                system.map(|s| point_ref(&leaf_noun(s), &p.key)).unwrap_or_else(|| p.key.clone()),
                system.and_then(|s| s.find(&p.key)).map(|n| n.title.clone()).unwrap_or_default(),
            ),
        };
        let diff = PointDiff {
            key: p.key.clone(),
            label,
            title,
            mine: describe(system, &p.mine),
            theirs: describe(system, &p.theirs),
        };
        match p.action {
            MergeAction::TakeTheirs => out.take.push(diff),
            MergeAction::KeepMine => out.keep.push(diff),
            MergeAction::Conflict => out.conflicts.push(diff),
        }
    }
    out
}

fn bonus_title(system: Option<&IndicatorSystem>, code: &str) -> String {
    match system.map(|s| &s.scoring) {
        Some(ScoringModel::Points(p)) => p
            .bonus
            .as_ref()
            .and_then(|b| b.items.iter().find(|i| i.code == code))
            .map(|i| i.title.clone())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

impl App {
    /// Writes one assessment (`Some(id)`, with the evidence linked to it) or the whole workspace
    /// (`None`: every assessment and every evidence item) to `dest` (`.zpk`).
    pub fn export_package(&mut self, assessment: Option<i64>, dest: &Path) -> Result<ExportResult, AppError> {
        let scope = match assessment {
            Some(id) => {
                self.workspace().assessment(id)?;
                ExportScope::Assessment(id)
            }
            None => ExportScope::Workspace,
        };
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(AppError::new(ErrorCode::Io, format!("文件夹“{}”不存在。", dir.display())));
            }
        }
        let now = self.now();
        let r = self.workspace_mut().export_package(dest, scope, env!("CARGO_PKG_VERSION"), &now)?;
        Ok(ExportResult { path: r.path, assessments: r.assessments, evidence: r.evidence, bytes: r.bytes })
    }

    /// Verifies the package completely and tells what importing it would do. Writes nothing.
    pub fn preview_package(&self, path: &Path) -> Result<PackagePreview, AppError> {
        let (pkg, plan) = self.workspace().preview_package(path, &Limits::default())?;
        Ok(preview_of(&pkg, &plan, path))
    }

    /// Imports a package: verified entirely first, then applied in one transaction (all or
    /// nothing). Conflicts must be resolved by `options`, otherwise [`ErrorCode::Conflict`].
    pub fn import_package(&mut self, path: &Path, options: &PackageImportOptions) -> Result<PackageImportResult, AppError> {
        let mut resolution = Resolution {
            prefer: options.prefer.as_deref().filter(|p| !p.trim().is_empty()).map(side).transpose()?,
            ..Resolution::default()
        };
        for c in &options.choices {
            resolution.choices.entry(c.uid.clone()).or_default().insert(c.point.trim().to_string(), side(&c.keep)?);
        }
        let preview = self.preview_package(path)?;
        let unresolved: Vec<String> = preview
            .assessments
            .iter()
            .flat_map(|a| {
                let r = &resolution;
                a.conflicts.iter().filter(move |c| {
                    r.prefer.is_none() && r.choices.get(&a.uid).is_none_or(|m| !m.contains_key(&c.key))
                })
                .map(move |c| format!("{}{}年度{}（本机：{}；包中：{}）", a.region, a.year, c.label, c.mine, c.theirs))
            })
            .collect();
        if !unresolved.is_empty() {
            return Err(AppError::new(
                ErrorCode::Conflict,
                format!(
                    "有{}处冲突（双方都修改过）需要选择保留哪一方：{}。",
                    unresolved.len(),
                    unresolved.join("；")
                ),
            ));
        }
        let now = self.now();
        let r = self.workspace_mut().import_package(path, &Limits::default(), &resolution, &now)?;
        let message = format!(
            "已导入：新增自评{}个，合并自评{}个（采用包中{}处，保留本机{}处，解决冲突{}处），新增佐证材料{}份。",
            r.created.len(),
            r.merged.len(),
            r.taken,
            r.kept,
            r.conflicts_resolved,
            r.evidence_added
        );
        Ok(PackageImportResult {
            created: r.created,
            merged: r.merged,
            taken: r.taken,
            kept: r.kept,
            conflicts_resolved: r.conflicts_resolved,
            evidence_added: r.evidence_added,
            message,
        })
    }
}
