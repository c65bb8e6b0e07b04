//! The use cases, on one open workspace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ziping_core::assessment::{AssessmentInput, Deduction};
use ziping_core::summary::Summary;
use ziping_core::system::ScoringModel;
use ziping_core::{completeness, conclusion, scoring, IndicatorSystem, Node, Points};
use ziping_store::{AssessmentRow, Change, HistoryRow, Status, Workspace};

use crate::bundled::bundled_systems;
use crate::dto::*;
use crate::error::{AppError, ErrorCode};

/// Supplies "now" as an RFC 3339 string. The real clock in the front ends, a fixed one in tests.
pub type Clock = Box<dyn Fn() -> String + Send + Sync>;

/// The system clock, local time with offset, to the second.
pub fn system_clock() -> Clock {
    Box::new(|| chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

/// The default workspace file: `<data dir>/cn.ziping.app/workspace.sqlite`, where the data dir is
/// `$XDG_DATA_HOME` or `~/.local/share` on Linux and `%APPDATA%` on Windows — the same folder the
/// desktop app's Tauri path resolver gives for the identifier `cn.ziping.app`.
pub fn default_workspace_path() -> PathBuf {
    let base = if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        PathBuf::from(d)
    } else if let Some(d) = std::env::var_os("APPDATA").filter(|v| !v.is_empty()) {
        PathBuf::from(d)
    } else if let Some(h) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        PathBuf::from(h).join(".local").join("share")
    } else {
        PathBuf::from(".")
    };
    base.join("cn.ziping.app").join("workspace.sqlite")
}

/// Lists the bundled indicator systems.
pub fn systems() -> Result<Vec<SystemInfo>, AppError> {
    Ok(bundled_systems()?.iter().map(system_info).collect())
}

pub(crate) fn system_info(s: &IndicatorSystem) -> SystemInfo {
    SystemInfo {
        id: s.id.clone(),
        version: s.version.clone(),
        name: s.name.clone(),
        display_name: s.display_name(),
        short_name: s.short_name.clone(),
        official: s.official,
        model: model_name(s).to_string(),
        issuer: s.issuer.clone(),
        years: s.years.clone(),
        level_names: s.level_names.clone(),
        groups: s.children.len(),
        leaves: s.leaves().len(),
    }
}

fn model_name(s: &IndicatorSystem) -> &'static str {
    match s.scoring {
        ScoringModel::Rated(_) => "rated",
        ScoringModel::Points(_) => "points",
    }
}

/// One open workspace and the clock used to stamp changes.
pub struct App {
    ws: Workspace,
    clock: Clock,
}

impl App {
    /// Opens (creating if missing) the workspace at `path` with the system clock.
    pub fn open(path: &Path) -> Result<App, AppError> {
        App::open_with_clock(path, system_clock())
    }

    pub fn open_with_clock(path: &Path, clock: Clock) -> Result<App, AppError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                AppError::new(ErrorCode::Io, format!("无法创建工作区所在文件夹“{}”：{e}", dir.display()))
            })?;
        }
        let ws = Workspace::open(path)?;
        let mut app = App { ws, clock };
        app.backup_on_open();
        Ok(app)
    }

    pub fn path(&self) -> &Path {
        self.ws.path()
    }

    /// "Now" from the injected clock, for use cases in other modules of this crate.
    pub(crate) fn now(&self) -> String {
        (self.clock)()
    }

    /// Creates an assessment on a bundled or library system (the newest version unless one is
    /// given), snapshotting the system's exact version.
    pub fn create_assessment(&mut self, new: &NewAssessment) -> Result<AssessmentInfo, AppError> {
        let region = new.region.trim();
        if region.is_empty() {
            return Err(AppError::invalid("请填写地区（如“示例县”）。"));
        }
        if !(2000..=2100).contains(&new.year) {
            return Err(AppError::invalid(format!("年度“{}”不在2000至2100之间。", new.year)));
        }
        let system = crate::systems::find_system(&self.ws, &new.system_id, new.system_version.as_deref())?;
        let snapshot_id = self.ws.put_system_snapshot(&system)?;
        let organ = new
            .organ
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("{region}人民政府"));
        let row = self.ws.create_assessment(
            &ziping_store::NewAssessment { region: region.to_string(), year: new.year, organ, snapshot_id },
            &self.now(),
        )?;
        self.info(&row)
    }

    /// All assessments, newest first as the store lists them.
    pub fn assessments(&self) -> Result<Vec<AssessmentInfo>, AppError> {
        self.ws.assessments()?.iter().map(|row| self.info(row)).collect()
    }

    pub fn assessment(&self, id: i64) -> Result<AssessmentInfo, AppError> {
        let row = self.ws.assessment(id)?;
        self.info(&row)
    }

    pub fn delete_assessment(&mut self, id: i64) -> Result<(), AppError> {
        self.ws.assessment(id)?;
        self.ws.delete_assessment(id)?;
        Ok(())
    }

    /// The exact system version an assessment was created with.
    pub fn assessment_system(&self, id: i64) -> Result<IndicatorSystem, AppError> {
        let row = self.ws.assessment(id)?;
        Ok(self.ws.system_snapshot(row.snapshot_id)?)
    }

    fn input(&self, row: &AssessmentRow) -> Result<AssessmentInput, AppError> {
        Ok(AssessmentInput {
            region: row.region.clone(),
            entries: self.ws.entries(row.id)?,
            bonus: self.ws.bonus_claims(row.id)?,
        })
    }

    fn info(&self, row: &AssessmentRow) -> Result<AssessmentInfo, AppError> {
        let system = self.ws.system_snapshot(row.snapshot_id)?;
        let input = self.input(row)?;
        let summary = scoring::summarize(&system, &input);
        Ok(AssessmentInfo {
            id: row.id,
            uid: row.uid.clone(),
            region: row.region.clone(),
            year: row.year,
            organ: row.organ.clone(),
            system_id: row.system_id.clone(),
            system_version: row.system_version.clone(),
            system_name: system.display_name(),
            official: system.official,
            model: model_name(&system).to_string(),
            status: status_name(row.status).to_string(),
            revision: row.revision,
            created_at: row.created_at.clone(),
            updated_at: row.updated_at.clone(),
            frozen_at: row.frozen_at.clone(),
            progress: progress(&summary),
            headline: headline(&summary),
        })
    }

    /// Applies one leaf's edit after checking it against the assessment's system.
    pub fn edit_point(&mut self, edit: &PointEdit) -> Result<Vec<HistoryItem>, AppError> {
        let row = self.ws.assessment(edit.assessment)?;
        let system = self.ws.system_snapshot(row.snapshot_id)?;
        let node = leaf(&system, &edit.point)?;
        let point = node.code.clone();
        let mut changes = Vec::new();
        match &system.scoring {
            ScoringModel::Rated(rated) => {
                if edit.scored.is_some() || edit.deductions.is_some() {
                    return Err(AppError::invalid("该指标体系按等级评定，不能扣分或评分；请使用评定等级。"));
                }
                if let Some(r) = &edit.rating {
                    let r = r.trim();
                    let code = if r.is_empty() {
                        None
                    } else if let Some(l) = rated.levels.iter().find(|l| l.label == r || l.code == r) {
                        Some(l.code.clone())
                    } else if let Some(na) = rated.not_applicable.as_ref().filter(|na| na.label == r || na.code == r) {
                        Some(na.code.clone())
                    } else {
                        let mut options: Vec<&str> = rated.levels.iter().map(|l| l.label.as_str()).collect();
                        if let Some(na) = &rated.not_applicable {
                            options.push(&na.label);
                        }
                        return Err(AppError::invalid(format!(
                            "“{r}”不是有效的评定等级，可选：{}。",
                            options.join("、")
                        )));
                    };
                    changes.push(Change::Rating { point: point.clone(), rating: code });
                }
            }
            ScoringModel::Points(_) => {
                if edit.rating.as_deref().is_some_and(|r| !r.trim().is_empty()) {
                    return Err(AppError::invalid("该指标体系按分值评分，不能评定等级；请使用扣分。"));
                }
                let max = node.max_score.unwrap_or(Points::ZERO);
                if let Some(list) = &edit.deductions {
                    let mut parsed = Vec::with_capacity(list.len());
                    for (i, d) in list.iter().enumerate() {
                        let amount = Points::parse(&d.amount).ok_or_else(|| {
                            AppError::invalid(format!(
                                "{}第{}项扣分“{}”不是有效的分值（最多两位小数）。",
                                point_label(&system, &point),
                                i + 1,
                                d.amount
                            ))
                        })?;
                        if amount <= Points::ZERO || amount > max {
                            return Err(AppError::invalid(format!(
                                "{}第{}项扣分{}分不在0到{}分（该测评点满分）之间。",
                                point_label(&system, &point),
                                i + 1,
                                amount,
                                max
                            )));
                        }
                        parsed.push(Deduction { amount, reason: d.reason.trim().to_string() });
                    }
                    changes.push(Change::Deductions { point: point.clone(), deductions: parsed });
                    if edit.scored != Some(false) {
                        changes.push(Change::Scored { point: point.clone(), scored: true });
                    }
                }
                if let Some(s) = edit.scored {
                    if !(s && edit.deductions.is_some()) {
                        changes.push(Change::Scored { point: point.clone(), scored: s });
                    }
                }
            }
        }
        if let Some(t) = &edit.note {
            changes.push(Change::Note { point: point.clone(), text: t.clone() });
        }
        if let Some(t) = &edit.problems {
            changes.push(Change::Problems { point: point.clone(), text: t.clone() });
        }
        if let Some(t) = &edit.measures {
            changes.push(Change::Measures { point: point.clone(), text: t.clone() });
        }
        let rows = self.ws.apply(row.id, &changes, &self.now())?;
        Ok(rows.iter().map(|h| history_item(&system, h)).collect())
    }

    /// Claims or withdraws a bonus item (points model only).
    pub fn edit_bonus(&mut self, edit: &BonusEdit) -> Result<Vec<HistoryItem>, AppError> {
        let row = self.ws.assessment(edit.assessment)?;
        let system = self.ws.system_snapshot(row.snapshot_id)?;
        let ScoringModel::Points(points) = &system.scoring else {
            return Err(AppError::invalid("该指标体系按等级评定，没有加分项。"));
        };
        let Some(bonus) = &points.bonus else {
            return Err(AppError::invalid("该指标体系没有加分项。"));
        };
        let code = edit.code.trim();
        let Some(item) = bonus.items.iter().find(|i| i.code == code) else {
            let options: Vec<String> = bonus.items.iter().map(|i| format!("{}（{}）", i.code, i.title)).collect();
            return Err(AppError::invalid(format!("没有编码为“{code}”的加分项，可选：{}。", options.join("、"))));
        };
        let change = Change::Bonus { code: item.code.clone(), claimed: edit.claimed, note: edit.note.trim().to_string() };
        let rows = self.ws.apply(row.id, &[change], &self.now())?;
        Ok(rows.iter().map(|h| history_item(&system, h)).collect())
    }

    /// Score or counts, the conclusion paragraph and what is missing.
    pub fn summary(&self, id: i64) -> Result<SummaryDto, AppError> {
        let row = self.ws.assessment(id)?;
        let system = self.ws.system_snapshot(row.snapshot_id)?;
        let input = self.input(&row)?;
        let summary = scoring::summarize(&system, &input);
        let conclusion = conclusion::conclusion(&system, &input, &summary);
        let mut missing = completeness::missing(&system, &input);
        self.add_evidence_missing(row.id, &system, &mut missing)?;
        Ok(SummaryDto {
            assessment: row.id,
            region: row.region.clone(),
            year: row.year,
            system_name: system.display_name(),
            status: status_name(row.status).to_string(),
            summary,
            conclusion,
            missing,
        })
    }

    /// The entries of an assessment, keyed by leaf code.
    pub fn entries(&self, id: i64) -> Result<BTreeMap<String, ziping_core::Entry>, AppError> {
        self.ws.assessment(id)?;
        Ok(self.ws.entries(id)?)
    }

    /// Change history, newest first; of one leaf when `point` is given.
    pub fn history(&self, id: i64, point: Option<&str>) -> Result<Vec<HistoryItem>, AppError> {
        let row = self.ws.assessment(id)?;
        let system = self.ws.system_snapshot(row.snapshot_id)?;
        let point = match point {
            Some(p) => Some(leaf(&system, p)?.code.clone()),
            None => None,
        };
        Ok(self.ws.history(id, point.as_deref())?.iter().map(|h| history_item(&system, h)).collect())
    }

    /// Reverts one recorded change (recorded itself as a new change).
    pub fn revert(&mut self, id: i64, history_id: i64) -> Result<Vec<HistoryItem>, AppError> {
        let row = self.ws.assessment(id)?;
        let system = self.ws.system_snapshot(row.snapshot_id)?;
        let rows = self.ws.revert(id, history_id, &self.now())?;
        Ok(rows.iter().map(|h| history_item(&system, h)).collect())
    }

    /// 定稿: the assessment becomes read-only; its content is kept as a reproducible revision.
    pub fn freeze(&mut self, id: i64) -> Result<AssessmentInfo, AppError> {
        let row = self.ws.assessment(id)?;
        if row.status == Status::Frozen {
            return Err(AppError::new(ErrorCode::Frozen, format!("评估（编号{id}）已经定稿。")));
        }
        let row = self.ws.freeze(id, &self.now())?;
        self.backup_on_freeze();
        self.info(&row)
    }

    /// Opens a new revision of a frozen assessment for further edits.
    pub fn new_revision(&mut self, id: i64) -> Result<AssessmentInfo, AppError> {
        let row = self.ws.assessment(id)?;
        if row.status != Status::Frozen {
            return Err(AppError::invalid(format!("评估（编号{id}）尚未定稿，可以直接修改，无需新建修订版。")));
        }
        let row = self.ws.new_revision(id, &self.now())?;
        self.info(&row)
    }

    pub(crate) fn workspace(&self) -> &Workspace {
        &self.ws
    }

    pub(crate) fn workspace_mut(&mut self) -> &mut Workspace {
        &mut self.ws
    }

    /// After a restore: the freshly reopened workspace replaces the old connection.
    pub(crate) fn replace_workspace(&mut self, ws: Workspace) {
        self.ws = ws;
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Draft => "draft",
        Status::Frozen => "frozen",
    }
}

/// Finds a leaf by code; explains when the code is unknown or names a group.
fn leaf<'a>(system: &'a IndicatorSystem, code: &str) -> Result<&'a Node, AppError> {
    let code = code.trim();
    match system.find(code) {
        None => Err(AppError::not_found(format!("指标体系《{}》中没有编码为“{code}”的测评点。", system.name))),
        Some(n) if !n.is_leaf() => Err(AppError::invalid(format!(
            "“{code} {}”是分组，不能直接评定，请选择其下的测评点。",
            n.title
        ))),
        Some(n) => Ok(n),
    }
}

/// "第15测评点" / "测评点G1", with the system's leaf noun.
pub(crate) fn point_label(system: &IndicatorSystem, code: &str) -> String {
    let noun = leaf_noun(system);
    if !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) {
        format!("第{code}{noun}")
    } else {
        format!("{noun}{code}")
    }
}

fn leaf_noun(system: &IndicatorSystem) -> String {
    if let ScoringModel::Rated(r) = &system.scoring {
        if let Some(n) = &r.leaf_noun {
            return n.clone();
        }
    }
    fn depth(nodes: &[Node], d: usize) -> usize {
        nodes.iter().map(|n| if n.is_leaf() { d } else { depth(&n.children, d + 1) }).max().unwrap_or(d)
    }
    let d = depth(&system.children, 1);
    system.level_names.get(d.saturating_sub(1)).cloned().unwrap_or_else(|| "测评点".to_string())
}

fn progress(summary: &Summary) -> Progress {
    let (done, total) = match summary {
        Summary::Rated(r) => (r.total - r.unrated, r.total),
        Summary::Points(p) => (p.scored, p.leaves),
    };
    let percent = (done * 100).checked_div(total).unwrap_or(0) as u32;
    Progress { done, total, percent }
}

fn headline(summary: &Summary) -> String {
    match summary {
        Summary::Rated(r) => {
            let mut parts: Vec<String> =
                r.levels.iter().filter(|l| l.count > 0).map(|l| format!("{}{}项", l.label, l.count)).collect();
            if r.not_applicable > 0 {
                parts.push(format!("不适用{}项", r.not_applicable));
            }
            if r.unrated > 0 {
                parts.push(format!("未评{}项", r.unrated));
            }
            if parts.is_empty() {
                "尚未评定".to_string()
            } else {
                parts.join("，")
            }
        }
        Summary::Points(p) => {
            let mut s = String::new();
            if let Some(g) = &p.grade {
                s.push_str(&format!("{g}等，"));
            }
            s.push_str(&format!("{}分", p.score));
            if p.scored < p.leaves {
                s.push_str(&format!("（已评{}/{}项）", p.scored, p.leaves));
            }
            if p.bonus > Points::ZERO {
                s.push_str(&format!("，另加分{}分", p.bonus));
            }
            s
        }
    }
}

fn field_label(field: &str) -> &'static str {
    match field {
        "rating" => "评定等级",
        "scored" => "评分状态",
        "deductions" => "扣分",
        "note" => "自评说明",
        "problems" => "存在问题",
        "measures" => "整改措施",
        "bonus" => "加分",
        "revision" => "修订版",
        "evidence" => "佐证材料",
        "evidence_meta" => "佐证材料信息",
        "import" => "导入合并",
        "statistics" => "统计数据",
        "suggestion" => "建议处理",
        "status" => "状态",
        _ => "其他",
    }
}

/// Renders a stored JSON value for the history line.
fn describe(system: &IndicatorSystem, field: &str, v: &serde_json::Value) -> String {
    use serde_json::Value;
    match (field, v) {
        (_, Value::Null) => "（空）".to_string(),
        ("rating", Value::String(code)) => match &system.scoring {
            ScoringModel::Rated(r) => r
                .levels
                .iter()
                .find(|l| &l.code == code)
                .map(|l| l.label.clone())
                .or_else(|| r.not_applicable.as_ref().filter(|na| &na.code == code).map(|na| na.label.clone()))
                .unwrap_or_else(|| code.clone()),
            ScoringModel::Points(_) => code.clone(),
        },
        ("evidence" | "evidence_meta" | "import", Value::Object(_)) => crate::evidence::describe_history(field, v),
        ("statistics", Value::Object(_)) => crate::statistics::describe_history(v),
        ("suggestion", Value::Object(_)) => crate::decisions::describe_history(v),
        ("scored", Value::Bool(b)) => (if *b { "已评分" } else { "未评分" }).to_string(),
        ("deductions", Value::Array(items)) if items.is_empty() => "无扣分".to_string(),
        ("deductions", Value::Array(items)) => items
            .iter()
            .map(|d| {
                let amount = d.get("amount").map(|a| a.to_string()).unwrap_or_default();
                let reason = d.get("reason").and_then(|r| r.as_str()).unwrap_or("");
                format!("扣{amount}分（{reason}）")
            })
            .collect::<Vec<_>>()
            .join("；"),
        (_, Value::String(s)) if s.is_empty() => "（空）".to_string(),
        (_, Value::String(s)) => {
            let short: String = s.chars().take(40).collect();
            if s.chars().count() > 40 {
                format!("{short}…")
            } else {
                short
            }
        }
        (_, Value::Bool(b)) => (if *b { "是" } else { "否" }).to_string(),
        (_, other) => other.to_string(),
    }
}

pub(crate) fn history_item(system: &IndicatorSystem, h: &HistoryRow) -> HistoryItem {
    let label = field_label(&h.field);
    let target = match &h.point {
        Some(p) if h.field == "bonus" => format!("加分项{p}"),
        Some(p) if h.field == "statistics" => crate::statistics::table_title(p),
        Some(p) => point_label(system, p),
        None => "评估".to_string(),
    };
    let change = format!(
        "{target}{label}：{} → {}",
        describe(system, &h.field, &h.old_value),
        describe(system, &h.field, &h.new_value)
    );
    HistoryItem {
        id: h.id,
        point: h.point.clone(),
        field: h.field.clone(),
        field_label: label.to_string(),
        old_value: h.old_value.clone(),
        new_value: h.new_value.clone(),
        change,
        at: h.at.clone(),
        revision: h.revision,
        reverted_id: h.reverted_id,
    }
}
