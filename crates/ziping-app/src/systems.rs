//! Indicator systems beyond the bundled ones: import from a notice's table, attach 测评点 to an
//! existing system, export, template, small corrections, and the leaf mapping between versions.
//!
//! ## API for the UI (DTOs are serde-serialisable; errors are `AppError {code, message}`)
//!
//! | call | returns | notes |
//! |---|---|---|
//! | [`App::systems`] | `Vec<`[`LibrarySystemInfo`]`>` | bundled and library systems, every version (`bundled`, `origin`, source file and SHA-256, `base_version`, `created_at`) |
//! | [`App::system`]`(id, version?)` | `IndicatorSystem` | the full tree; the newest version when `version` is absent |
//! | [`preview_system_import`]`(path)` | [`SystemPreview`] | nothing written: `columns[]` (col, header, role, level, meaning), `model` + `model_reason` to confirm, `levels` / `not_applicable` / `suggested_grades` / `bonus_cap` / `declared_total` / `leaf_sum` to confirm, `tree` (rows and cells), `bonus`, `notes`, every `problems[]` (severity, file, sheet, row, col, header, value, reason, message) |
//! | [`App::import_system`]`(path, &`[`SystemImportRequest`]`)` | [`SystemImportOutcome`] | the user's [`SystemOptions`] (model, total, grades, bonus cap, levels, name, version, year, issuer…); `dry_run` gives every problem (table + validation, located) and the built system without writing; otherwise all-or-nothing: refused with `invalid_system` when any problem is an error |
//! | [`App::attach_points`]`(base_id, base_version?, path, dry_run)` | [`SystemImportOutcome`] | 测评点 of a table under the base's leaves, matched by number; saved as a new version (`2017.1`) |
//! | [`App::export_system`]`(id, version?, path)` | `()` | the table form (.xlsx) that reads back equal |
//! | [`write_system_template`]`(path)` | `()` | the empty template |
//! | [`App::edit_system`]`(&`[`SystemEdit`]`)` | [`LibrarySystemInfo`] | titles, texts, rules, evidence, max scores, thresholds of figures, grades, total, bonus cap; validated; always a new version |
//! | [`App::leaf_mapping`]`(from, to)` / [`App::leaf_mapping_for_assessment`] | [`LeafMapping`] | leaves of two versions paired by code and title, for next year's assessment |
//!
//! Imported versions live in the workspace (`ziping_store` library); an assessment keeps the
//! snapshot of the exact version it was created with.

use std::cmp::Ordering;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ziping_core::system::{Grade, ScoringModel};
use ziping_core::validate::validate;
use ziping_core::{IndicatorSystem, Node, Points};
use ziping_import::system::write::{write_system, write_template};
use ziping_import::system::{attach_points, read_system, SystemOptions, SystemPreview};
use ziping_import::Problem;
use ziping_import::ImportError;
use ziping_store::{LibraryOrigin, LibraryRow, NewLibrarySystem, Workspace};

use crate::bundled::bundled_systems;
use crate::dto::SystemInfo;
use crate::error::{AppError, ErrorCode};
use crate::service::{system_info, App};

/// A system version as the library lists it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LibrarySystemInfo {
    #[serde(flatten)]
    pub info: SystemInfo,
    /// Shipped with the program (cannot be removed; corrections become library versions).
    pub bundled: bool,
    /// "import", "attach" or "edit" for library versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_sha256: Option<String>,
    /// The version this one was derived from (attach, edit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// Confirming an import.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SystemImportRequest {
    pub options: SystemOptions,
    /// Build and check only; nothing is written.
    pub dry_run: bool,
    /// The SHA-256 the preview showed: refused if the file changed since.
    pub expected_sha256: Option<String>,
}

/// The result of an import or attach (dry run or confirmed).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SystemImportOutcome {
    /// Whether a library version was written.
    pub written: bool,
    pub preview: SystemPreview,
    /// Every problem: the table's, the options', the validation's (each located).
    pub problems: Vec<Problem>,
    pub errors: usize,
    pub warnings: usize,
    /// The system as it would be (or was) saved, when there is no error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<IndicatorSystem>,
    /// The library entry written (or the identical one already there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<LibrarySystemInfo>,
    /// The same content was already in the library (or bundled): nothing new was written.
    pub already_present: bool,
}

/// A correction of one node. Absent fields stay; "" clears a text.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeEdit {
    pub code: String,
    pub title: Option<String>,
    pub text: Option<String>,
    pub scoring_rule: Option<String>,
    pub evidence: Option<Vec<String>>,
    /// Points systems: the maximum score as text ("5", "2.5").
    pub max_score: Option<String>,
    pub note: Option<String>,
    pub thresholds: Vec<ThresholdEdit>,
}

/// A threshold of a computed figure bound to a leaf.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ThresholdEdit {
    pub figure: String,
    pub name: String,
    pub value: f64,
}

/// Corrections saved as a new version of a system.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SystemEdit {
    pub system_id: String,
    /// The version corrected; the newest when absent.
    pub version: Option<String>,
    /// The new version's number; default the base version plus ".1" (".2"… when taken).
    pub new_version: Option<String>,
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub years: Option<String>,
    pub issuer: Option<String>,
    pub nodes: Vec<NodeEdit>,
    /// Points systems: total, grade cut-offs and bonus cap as text.
    pub total: Option<String>,
    pub grades: Option<Vec<GradeInput>>,
    pub bonus_cap: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GradeInput {
    pub grade: String,
    pub min: String,
}

/// A leaf of one version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeafRef {
    pub code: String,
    pub title: String,
}

/// Two leaves taken as the same across versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeafPair {
    pub from: LeafRef,
    pub to: LeafRef,
    /// "code_and_title", "title" (renumbered) or "code" (retitled).
    pub by: String,
}

/// The leaves of two versions paired by code and title.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeafMapping {
    pub from_id: String,
    pub from_version: String,
    pub to_id: String,
    pub to_version: String,
    pub pairs: Vec<LeafPair>,
    /// Leaves of the old version with no counterpart (their entries are not carried over).
    pub unmatched_from: Vec<LeafRef>,
    /// Leaves of the new version with no counterpart (to fill in afresh).
    pub unmatched_to: Vec<LeafRef>,
}

fn import_error(e: ImportError) -> AppError {
    let code = match e {
        ImportError::Io { .. } | ImportError::Write { .. } => ErrorCode::Io,
        _ => ErrorCode::InvalidInput,
    };
    AppError::new(code, e.to_string())
}

/// Orders versions numerically part by part ("2017.10" after "2017.9"), text parts as text.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let parts = |s: &str| s.split(['.', '-']).map(str::to_string).collect::<Vec<_>>();
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(m), Ok(n)) => m.cmp(&n),
            _ => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

/// Reads a system table without touching any workspace.
pub fn preview_system_import(path: &Path) -> Result<SystemPreview, AppError> {
    Ok(read_system(path).map_err(import_error)?.preview)
}

/// Writes the empty system template (.xlsx).
pub fn write_system_template(path: &Path) -> Result<(), AppError> {
    write_template(path).map_err(import_error)
}

/// Lists the systems of the workspace at `path` (bundled and library) without creating the file:
/// when it does not exist, only the bundled systems.
pub fn systems_at(path: &Path) -> Result<Vec<LibrarySystemInfo>, AppError> {
    if path.exists() {
        App::open(path)?.systems()
    } else {
        Ok(bundled_systems()?.iter().map(bundled_info).collect())
    }
}

fn bundled_info(s: &IndicatorSystem) -> LibrarySystemInfo {
    LibrarySystemInfo {
        info: system_info(s),
        bundled: true,
        origin: None,
        year: None,
        source_file: None,
        source_sha256: None,
        base_version: None,
        created_at: None,
    }
}

fn library_info(row: &LibraryRow, s: &IndicatorSystem) -> LibrarySystemInfo {
    LibrarySystemInfo {
        info: system_info(s),
        bundled: false,
        origin: Some(
            match row.origin {
                LibraryOrigin::Import => "import",
                LibraryOrigin::Attach => "attach",
                LibraryOrigin::Edit => "edit",
            }
            .to_string(),
        ),
        year: row.year,
        source_file: row.source_file.clone(),
        source_sha256: row.source_sha256.clone(),
        base_version: row.base_version.clone(),
        created_at: Some(row.created_at.clone()),
    }
}

/// Every version of every system: bundled first, then the library in the order added.
fn all_systems(ws: &Workspace) -> Result<Vec<(IndicatorSystem, Option<LibraryRow>)>, AppError> {
    let mut out: Vec<(IndicatorSystem, Option<LibraryRow>)> = bundled_systems()?.into_iter().map(|s| (s, None)).collect();
    for row in ws.library_systems()? {
        let s = ws.system_snapshot(row.snapshot_id)?;
        out.push((s, Some(row)));
    }
    Ok(out)
}

/// Finds a system (bundled or library) by id and version, the newest version when absent.
pub(crate) fn find_system(ws: &Workspace, id: &str, version: Option<&str>) -> Result<IndicatorSystem, AppError> {
    let id = id.trim();
    let all = all_systems(ws)?;
    let mut candidates: Vec<&IndicatorSystem> = all.iter().map(|(s, _)| s).filter(|s| s.id == id).collect();
    if candidates.is_empty() {
        let mut ids: Vec<String> = Vec::new();
        for (s, _) in &all {
            let label = format!("{}（{}）", s.id, s.display_name());
            if !ids.contains(&label) {
                ids.push(label);
            }
        }
        return Err(AppError::not_found(format!("没有编号为“{id}”的指标体系，可选：{}。", ids.join("、"))));
    }
    if let Some(v) = version.map(str::trim) {
        let versions: Vec<String> = candidates.iter().map(|s| s.version.clone()).collect();
        candidates.retain(|s| s.version == v);
        if candidates.is_empty() {
            return Err(AppError::not_found(format!("指标体系“{id}”没有版本“{v}”，现有版本：{}。", versions.join("、"))));
        }
    }
    // The newest; a library version wins over a bundled one of the same number (stable sort, library last).
    candidates.sort_by(|a, b| compare_versions(&a.version, &b.version));
    Ok(candidates.pop().expect("non-empty").clone())
}

/// The first free version "base.1", "base.2", … (or `base` itself when free and `keep` is set).
fn free_version(all: &[(IndicatorSystem, Option<LibraryRow>)], id: &str, base: &str, keep: bool) -> String {
    let taken = |v: &str| all.iter().any(|(s, _)| s.id == id && s.version == v);
    if keep && !taken(base) {
        return base.to_string();
    }
    (1..).map(|n| format!("{base}.{n}")).find(|v| !taken(v)).expect("unbounded")
}

fn refusal(file: &str, problems: &[Problem]) -> AppError {
    let errors: Vec<&Problem> = problems.iter().filter(|p| p.is_error()).collect();
    let mut msg = format!("“{file}”有{}个问题，未导入（工作区未做任何修改）：", errors.len());
    for (i, p) in errors.iter().enumerate() {
        msg.push_str(&format!("\n{}. {}", i + 1, p.message));
    }
    AppError::new(ErrorCode::InvalidSystem, msg)
}

fn same_content(a: &IndicatorSystem, b: &IndicatorSystem) -> bool {
    a == b
}

impl App {
    /// Bundled and library systems, every version.
    pub fn systems(&self) -> Result<Vec<LibrarySystemInfo>, AppError> {
        Ok(all_systems(self.workspace())?
            .iter()
            .map(|(s, row)| match row {
                Some(r) => library_info(r, s),
                None => bundled_info(s),
            })
            .collect())
    }

    /// One system version (the newest when `version` is absent), bundled or from the library.
    pub fn system(&self, id: &str, version: Option<&str>) -> Result<IndicatorSystem, AppError> {
        find_system(self.workspace(), id, version)
    }

    fn save(
        &mut self,
        system: &IndicatorSystem,
        year: Option<i32>,
        origin: LibraryOrigin,
        source: Option<(&str, &str)>,
        base_version: Option<String>,
    ) -> Result<LibrarySystemInfo, AppError> {
        let now = self.now();
        let row = self.workspace_mut().add_library_system(
            &NewLibrarySystem {
                system,
                year,
                origin,
                source_file: source.map(|s| s.0.to_string()),
                source_sha256: source.map(|s| s.1.to_string()),
                base_version,
            },
            &now,
        )?;
        Ok(library_info(&row, system))
    }

    /// Imports a system table with the user's confirmed options (see the module docs).
    pub fn import_system(&mut self, path: &Path, req: &SystemImportRequest) -> Result<SystemImportOutcome, AppError> {
        let read = read_system(path).map_err(import_error)?;
        let preview = read.preview.clone();
        if let Some(expected) = req.expected_sha256.as_deref().filter(|e| !e.is_empty()) {
            if expected != preview.sha256 {
                return Err(AppError::invalid(format!(
                    "文件“{}”在预览之后被修改过（SHA-256不符），请重新预览后再导入。",
                    preview.file
                )));
            }
        }
        let built = read.build(&req.options);
        let mut system = built.system.clone();
        let all = all_systems(self.workspace())?;
        let mut already = None;
        if let Some(s) = system.as_mut() {
            let existing = all.iter().find(|(e, _)| e.id == s.id && e.version == s.version);
            match existing {
                Some((e, row)) if same_content(e, s) => {
                    already = Some(match row {
                        Some(r) => library_info(r, e),
                        None => bundled_info(e),
                    })
                }
                Some(_) if req.options.version.is_some() => {
                    return Err(AppError::invalid(format!(
                        "指标体系“{}”已有版本“{}”，内容不同；请换一个版本号。",
                        s.id, s.version
                    )));
                }
                Some(_) => s.version = free_version(&all, &s.id, &s.version, false),
                None => {}
            }
        }
        let errors = built.errors();
        let outcome = |written, saved, already_present| SystemImportOutcome {
            written,
            preview: preview.clone(),
            errors,
            warnings: built.problems.len() - errors,
            problems: built.problems.clone(),
            system: system.clone(),
            saved,
            already_present,
        };
        if req.dry_run {
            let present = already.is_some();
            return Ok(outcome(false, already, present));
        }
        if errors > 0 {
            return Err(refusal(&preview.file, &built.problems));
        }
        if let Some(a) = already {
            return Ok(outcome(false, Some(a), true));
        }
        let s = system.clone().expect("no errors");
        let year = req.options.year.or(preview.year);
        let saved = self.save(&s, year, LibraryOrigin::Import, Some((&preview.file, &preview.sha256)), None)?;
        Ok(outcome(true, Some(saved), false))
    }

    /// Attaches the 测评点 of a table below the leaves of a system (bundled or library), matched
    /// by number, as a new version of that system ("2017" → "2017.1").
    pub fn attach_points(
        &mut self,
        base_id: &str,
        base_version: Option<&str>,
        path: &Path,
        dry_run: bool,
    ) -> Result<SystemImportOutcome, AppError> {
        let base = find_system(self.workspace(), base_id, base_version)?;
        let read = read_system(path).map_err(import_error)?;
        let preview = read.preview.clone();
        let built = attach_points(&base, &read);
        let all = all_systems(self.workspace())?;
        let mut system = built.system.clone();
        let mut already = None;
        if let Some(s) = system.as_mut() {
            // The same points attached before: nothing new.
            if let Some((e, Some(row))) = all.iter().find(|(e, _)| {
                let mut probe = s.clone();
                probe.version = e.version.clone();
                e.id == s.id && same_content(e, &probe)
            }) {
                already = Some(library_info(row, e));
                *s = e.clone();
            } else {
                s.version = free_version(&all, &s.id, &base.version, false);
            }
        }
        let errors = built.errors();
        let outcome = |written, saved, already_present| SystemImportOutcome {
            written,
            preview: preview.clone(),
            errors,
            warnings: built.problems.len() - errors,
            problems: built.problems.clone(),
            system: system.clone(),
            saved,
            already_present,
        };
        if dry_run {
            let present = already.is_some();
            return Ok(outcome(false, already, present));
        }
        if errors > 0 {
            return Err(refusal(&preview.file, &built.problems));
        }
        if let Some(a) = already {
            return Ok(outcome(false, Some(a), true));
        }
        let s = system.clone().expect("no errors");
        let saved = self.save(
            &s,
            None,
            LibraryOrigin::Attach,
            Some((&preview.file, &preview.sha256)),
            Some(base.version.clone()),
        )?;
        Ok(outcome(true, Some(saved), false))
    }

    /// Exports a system version to an .xlsx in the table form.
    pub fn export_system(&self, id: &str, version: Option<&str>, path: &Path) -> Result<IndicatorSystem, AppError> {
        let s = find_system(self.workspace(), id, version)?;
        write_system(&s, path).map_err(import_error)?;
        Ok(s)
    }

    /// Applies corrections and saves them as a new version (the base is never changed).
    pub fn edit_system(&mut self, edit: &SystemEdit) -> Result<LibrarySystemInfo, AppError> {
        let base = find_system(self.workspace(), &edit.system_id, edit.version.as_deref())?;
        let mut s = base.clone();
        let set = |v: &Option<String>| v.as_ref().map(|t| t.trim().to_string());
        let opt_text = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_string());
        if let Some(n) = set(&edit.name) {
            s.name = n;
        }
        if let Some(n) = &edit.short_name {
            s.short_name = opt_text(n);
        }
        if let Some(n) = &edit.years {
            s.years = opt_text(n);
        }
        if let Some(n) = &edit.issuer {
            s.issuer = opt_text(n);
        }
        let points = |label: &str, v: &str| {
            Points::parse(v.trim()).ok_or_else(|| AppError::invalid(format!("{label}“{v}”不是有效的分值（最多两位小数）。")))
        };
        for ne in &edit.nodes {
            let Some(node) = find_mut(&mut s.children, ne.code.trim()) else {
                return Err(AppError::not_found(format!("指标体系《{}》中没有编码为“{}”的指标。", s.name, ne.code)));
            };
            if let Some(t) = set(&ne.title) {
                node.title = t;
            }
            if let Some(t) = &ne.text {
                node.text = opt_text(t);
            }
            if let Some(t) = &ne.scoring_rule {
                node.scoring_rule = opt_text(t);
            }
            if let Some(t) = &ne.note {
                node.note = opt_text(t);
            }
            if let Some(ev) = &ne.evidence {
                node.evidence = ev.iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
            }
            if let Some(m) = &ne.max_score {
                node.max_score = if m.trim().is_empty() { None } else { Some(points(&format!("“{}”的满分", ne.code), m)?) };
            }
            for t in &ne.thresholds {
                if !t.value.is_finite() {
                    return Err(AppError::invalid(format!("阈值“{}”必须是有限的数。", t.name)));
                }
                let Some(f) = node.figures.iter_mut().find(|f| f.figure == t.figure) else {
                    let list: Vec<&str> = node.figures.iter().map(|f| f.figure.as_str()).collect();
                    return Err(AppError::not_found(format!(
                        "“{}”没有绑定计算指标“{}”（已绑定：{}）。",
                        ne.code,
                        t.figure,
                        if list.is_empty() { "无".to_string() } else { list.join("、") }
                    )));
                };
                f.thresholds.insert(t.name.trim().to_string(), t.value);
            }
        }
        if edit.total.is_some() || edit.grades.is_some() || edit.bonus_cap.is_some() {
            let ScoringModel::Points(m) = &mut s.scoring else {
                return Err(AppError::invalid("按等级评定的指标体系没有总分、等级分数线和加分上限。"));
            };
            if let Some(t) = &edit.total {
                m.total = points("总分", t)?;
            }
            if let Some(gs) = &edit.grades {
                m.grades = gs
                    .iter()
                    .map(|g| Ok(Grade { grade: g.grade.trim().to_string(), min: points(&format!("等级“{}”的分数线", g.grade), &g.min)? }))
                    .collect::<Result<_, AppError>>()?;
            }
            if let Some(c) = &edit.bonus_cap {
                let Some(b) = m.bonus.as_mut() else {
                    return Err(AppError::invalid("该指标体系没有加分项，不能设置加分上限。"));
                };
                b.cap = points("加分上限", c)?;
            }
        }
        let all = all_systems(self.workspace())?;
        s.version = match edit.new_version.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => {
                if all.iter().any(|(e, _)| e.id == s.id && e.version == v) {
                    return Err(AppError::invalid(format!("指标体系“{}”已有版本“{v}”，请换一个版本号。", s.id)));
                }
                v.to_string()
            }
            None => free_version(&all, &s.id, &base.version, false),
        };
        let problems = validate(&s);
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().enumerate().map(|(i, p)| format!("{}. {p}", i + 1)).collect();
            return Err(AppError::new(
                ErrorCode::InvalidSystem,
                format!("修改后的指标体系有{}个问题，未保存：\n{}", problems.len(), list.join("\n")),
            ));
        }
        if same_content(&{
            let mut b = base.clone();
            b.version = s.version.clone();
            b
        }, &s)
        {
            return Err(AppError::invalid("没有任何修改。"));
        }
        let year = all.iter().find(|(e, _)| e.id == base.id && e.version == base.version).and_then(|(_, r)| r.as_ref()?.year);
        self.save(&s, year, LibraryOrigin::Edit, None, Some(base.version.clone()))
    }

    /// Pairs the leaves of two system versions by code and title.
    pub fn leaf_mapping(
        &self,
        from: (&str, Option<&str>),
        to: (&str, Option<&str>),
    ) -> Result<LeafMapping, AppError> {
        let a = find_system(self.workspace(), from.0, from.1)?;
        let b = find_system(self.workspace(), to.0, to.1)?;
        Ok(map_leaves(&a, &b))
    }

    /// Pairs the leaves of an assessment's system with those of another version, for creating next
    /// year's assessment from this one.
    pub fn leaf_mapping_for_assessment(
        &self,
        assessment: i64,
        to_id: &str,
        to_version: Option<&str>,
    ) -> Result<LeafMapping, AppError> {
        let a = self.assessment_system(assessment)?;
        let b = find_system(self.workspace(), to_id, to_version)?;
        Ok(map_leaves(&a, &b))
    }
}

fn find_mut<'a>(nodes: &'a mut [Node], code: &str) -> Option<&'a mut Node> {
    for n in nodes {
        if n.code == code {
            return Some(n);
        }
        if let Some(f) = find_mut(&mut n.children, code) {
            return Some(f);
        }
    }
    None
}

fn norm_title(t: &str) -> String {
    t.chars().filter(|c| !c.is_whitespace() && !"，。、；：（）()“”\"'".contains(*c)).collect()
}

/// Whether two leaves are the same by one rule.
type LeafRule = fn(&LeafRef, &LeafRef) -> bool;

/// Pairs leaves: same code and title, then same title (renumbered), then same code (retitled).
pub fn map_leaves(a: &IndicatorSystem, b: &IndicatorSystem) -> LeafMapping {
    let la: Vec<LeafRef> = a.leaves().iter().map(|n| LeafRef { code: n.code.clone(), title: n.title.clone() }).collect();
    let lb: Vec<LeafRef> = b.leaves().iter().map(|n| LeafRef { code: n.code.clone(), title: n.title.clone() }).collect();
    let mut used_a = vec![false; la.len()];
    let mut used_b = vec![false; lb.len()];
    let mut pairs: Vec<(usize, LeafPair)> = Vec::new();
    let rules: [(&str, LeafRule); 3] = [
        ("code_and_title", |x, y| x.code == y.code && norm_title(&x.title) == norm_title(&y.title)),
        ("title", |x, y| norm_title(&x.title) == norm_title(&y.title)),
        ("code", |x, y| x.code == y.code),
    ];
    for (by, rule) in rules {
        for (i, x) in la.iter().enumerate() {
            if used_a[i] {
                continue;
            }
            let matches: Vec<usize> = (0..lb.len()).filter(|&j| !used_b[j] && rule(x, &lb[j])).collect();
            // A title shared by several leaves is no evidence: only unique matches count.
            if matches.len() == 1 || (by == "code_and_title" && !matches.is_empty()) {
                let j = matches[0];
                used_a[i] = true;
                used_b[j] = true;
                pairs.push((i, LeafPair { from: x.clone(), to: lb[j].clone(), by: by.to_string() }));
            }
        }
    }
    pairs.sort_by_key(|(i, _)| *i);
    LeafMapping {
        from_id: a.id.clone(),
        from_version: a.version.clone(),
        to_id: b.id.clone(),
        to_version: b.version.clone(),
        pairs: pairs.into_iter().map(|(_, p)| p).collect(),
        unmatched_from: la.iter().enumerate().filter(|(i, _)| !used_a[*i]).map(|(_, l)| l.clone()).collect(),
        unmatched_to: lb.iter().enumerate().filter(|(j, _)| !used_b[*j]).map(|(_, l)| l.clone()).collect(),
    }
}
