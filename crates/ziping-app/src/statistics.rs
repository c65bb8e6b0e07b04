//! Statistics: templates, workbook import, computed figures and suggestions (the 数据 page).
//!
//! ## API for the UI (all DTOs are serde-serialisable; errors are `AppError {code, message}`)
//!
//! | call | returns | notes |
//! |---|---|---|
//! | [`write_template`]`(path)` | `()` | the .xlsx template (说明 + 7 tables) |
//! | [`App::preview_import`]`(path)` | [`ImportPreview`] | nothing is written; show `tables` (sheet, kind, `header_rows`, `columns[]` = source header → field, `rows`, `total_rows`), `ignored_sheets`, and every `problems[]` entry (`severity` error/warning, `file`, `sheet`, `row`, `col`, `header`, `value`, `reason`, `message`) |
//! | [`App::import_statistics`]`(assessment, path)` | [`ImportOutcome`] | refused with `invalid_input` (nothing written) when the preview has any error; otherwise all tables of the file are stored in one transaction, replacing those already stored (one history row per table, field `statistics`) |
//! | [`App::statistics_sources`]`(assessment)` | `Vec<`[`StatisticsSource`]`>` | which tables are stored, from which file (name, SHA-256, sheet, rows, time) |
//! | [`App::statistics_tables`]`(assessment)` | `ziping_metrics::Tables` | the stored rows, every value `{value, at: {file, sheet, row, col}}` |
//! | [`App::metrics`]`(assessment)` | [`MetricsDto`] | every computed figure ([`FigureDto`]: id, kind, title, stage, value, display, unit, threshold, compare, pass, statement, `provenance` cells, `detail` e.g. the CV table), the per-school units, exclusions, problems; thresholds from the assessment's system snapshot |
//! | [`App::suggestions`]`(assessment)` | `Vec<`[`SuggestionDto`]`>` | one per bound leaf: `point`, `point_title`, `key`, `status` (open / adopted / declined + reason, see `decisions.rs`), `kind` (deduction {amount, reason} / rating {code} / pass / review), `explanation`, `figures` |
//!
//! Statistics belong to one assessment (see `ziping_store::statistics`); the assessment's year is
//! the year the year-on-year figures compare with the year before.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ziping_core::IndicatorSystem;
use ziping_import::{ImportError, ImportPreview, TableKind};
use ziping_metrics::{
    compute, suggest, CellRef, Detail, Exclusion, Params, SchoolUnit, Stage, Tables,
};
use ziping_store::{NewStatisticsTable, StatisticsImport};

use crate::dto::HistoryItem;
use crate::error::{AppError, ErrorCode};
use crate::service::{history_item, App};

/// A stored table and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct StatisticsSource {
    /// "schools", "classes", …
    pub table: String,
    /// "学校基本情况表".
    pub title: String,
    pub file: String,
    pub sha256: String,
    pub sheet: String,
    pub rows: u32,
    pub imported_at: String,
}

/// The result of a confirmed import.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct ImportOutcome {
    /// Whether the tables were stored (false for a dry run or when the preview has errors).
    pub written: bool,
    #[ts(type = "unknown")]
    pub preview: ImportPreview,
    /// The tables now stored for the assessment (all of them, not only the imported ones).
    pub sources: Vec<StatisticsSource>,
    pub history: Vec<HistoryItem>,
}

/// One computed figure for display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct FigureDto {
    pub id: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    pub title: String,
    /// "小学", "初中", "高中".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    pub value: f64,
    pub decimals: u32,
    pub unit: String,
    pub display: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// "at_most" / "at_least".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<bool>,
    pub statement: String,
    /// Every cell the figure was computed from.
    #[ts(type = "unknown")]
    pub provenance: Vec<CellRef>,
    #[ts(type = "unknown")]
    pub detail: Detail,
}

/// Everything computed for an assessment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct MetricsDto {
    pub assessment_id: i64,
    pub year: i32,
    pub figures: Vec<FigureDto>,
    /// The school units (school × stage) behind the 差异系数, with their 7 values.
    #[ts(type = "unknown")]
    pub units: Vec<SchoolUnit>,
    #[ts(type = "unknown")]
    pub excluded: Vec<Exclusion>,
    /// Inputs that prevented a figure, in Chinese.
    #[ts(type = "unknown")]
    pub problems: Vec<ziping_metrics::Problem>,
    pub sources: Vec<StatisticsSource>,
}

/// A suggestion with its leaf's title.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
// The suggestion's own fields (ziping-metrics, no TS declarations) are flattened in.
#[ts(
    type = "{ point_title: string; key: string; status: SuggestionStatus; point: string; kind: 'deduction' | 'rating' | 'pass' | 'review'; amount?: number; reason?: string; code?: string; explanation: string; figures: string[] }"
)]
pub struct SuggestionDto {
    pub point_title: String,
    /// Identifies the suggestion within its leaf (see [`crate::decisions::suggestion_keys`]).
    pub key: String,
    /// Open, adopted or declined (with the reason).
    pub status: crate::decisions::SuggestionStatus,
    #[serde(flatten)]
    pub suggestion: ziping_metrics::Suggestion,
}

fn import_error(e: ImportError) -> AppError {
    let code = match e {
        ImportError::Io { .. } | ImportError::Write { .. } => ErrorCode::Io,
        _ => ErrorCode::InvalidInput,
    };
    AppError::new(code, e.to_string())
}

/// Writes the statistics template workbook (.xlsx) to `path`.
pub fn write_template(path: &Path) -> Result<(), AppError> {
    ziping_import::write_template(path).map_err(import_error)
}

/// Reads a workbook without touching any workspace.
pub fn preview_workbook(path: &Path) -> Result<ImportPreview, AppError> {
    Ok(ziping_import::read_workbook(path)
        .map_err(import_error)?
        .preview)
}

/// "学校基本情况表" for "schools".
pub(crate) fn table_title(key: &str) -> String {
    TableKind::from_key(key).map_or_else(|| key.to_string(), |k| k.title().to_string())
}

/// A history value of field `statistics`: "“示例县统计数据.xlsx”（62行）".
pub(crate) fn describe_history(v: &serde_json::Value) -> String {
    let file = v["file"].as_str().unwrap_or("");
    let rows = v["rows"].as_u64().unwrap_or(0);
    format!("“{file}”（{rows}行）")
}

fn rows_json<T: Serialize>(rows: &[T]) -> Result<String, AppError> {
    serde_json::to_string(rows)
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("统计数据无法保存：{e}")))
}

fn table_rows(tables: &Tables, kind: TableKind) -> Result<(String, u32), AppError> {
    let (json, n) = match kind {
        TableKind::Schools => (rows_json(&tables.schools)?, tables.schools.len()),
        TableKind::Classes => (rows_json(&tables.classes)?, tables.classes.len()),
        TableKind::Finance => (rows_json(&tables.finance)?, tables.finance.len()),
        TableKind::TeacherPay => (rows_json(&tables.teacher_pay)?, tables.teacher_pay.len()),
        TableKind::Preschool => (rows_json(&tables.preschool)?, tables.preschool.len()),
        TableKind::SpecialGroups => (
            rows_json(&tables.special_groups)?,
            tables.special_groups.len(),
        ),
        TableKind::Satisfaction => (rows_json(&tables.satisfaction)?, tables.satisfaction.len()),
    };
    Ok((json, u32::try_from(n).unwrap_or(u32::MAX)))
}

fn parse_rows<T: for<'de> Deserialize<'de>>(key: &str, json: &str) -> Result<Vec<T>, AppError> {
    serde_json::from_str(json).map_err(|e| {
        AppError::new(
            ErrorCode::Workspace,
            format!("工作区中保存的{}无法读取：{e}", table_title(key)),
        )
    })
}

/// The message of a refused import: how many errors, then every error on its own line.
fn refusal(preview: &ImportPreview) -> AppError {
    let mut msg = format!(
        "“{}”中有{}个错误，未导入任何数据。请修改后重新导入：",
        preview.file, preview.errors
    );
    for p in preview.problems.iter().filter(|p| p.is_error()) {
        msg.push('\n');
        msg.push_str(&p.message);
    }
    AppError::invalid(msg)
}

impl App {
    /// Reads a workbook and returns what an import would do. Nothing is written.
    pub fn preview_import(&self, path: &Path) -> Result<ImportPreview, AppError> {
        preview_workbook(path)
    }

    /// Imports a workbook into an assessment: refused (nothing written) when any problem is an
    /// error; otherwise every table found replaces the stored one, in one transaction.
    pub fn import_statistics(
        &mut self,
        assessment: i64,
        path: &Path,
    ) -> Result<ImportOutcome, AppError> {
        let import = ziping_import::read_workbook(path).map_err(import_error)?;
        self.store_import(assessment, import)
    }

    /// The CLI's form: reads once, and stores unless `dry_run` or the preview has errors. Never an
    /// error for problems in the workbook: `written` says whether anything was stored, `preview`
    /// lists every problem.
    pub fn import_statistics_or_preview(
        &mut self,
        assessment: i64,
        path: &Path,
        dry_run: bool,
    ) -> Result<ImportOutcome, AppError> {
        let import = ziping_import::read_workbook(path).map_err(import_error)?;
        if dry_run || import.preview.has_errors() || import.present.is_empty() {
            self.assessment_system(assessment)?;
            return Ok(ImportOutcome {
                written: false,
                preview: import.preview,
                sources: self.statistics_sources(assessment)?,
                history: Vec::new(),
            });
        }
        self.store_import(assessment, import)
    }

    /// As [`App::import_statistics`], for a workbook given as bytes (`file` names it).
    pub fn import_statistics_bytes(
        &mut self,
        assessment: i64,
        file: &str,
        bytes: &[u8],
    ) -> Result<ImportOutcome, AppError> {
        let import = ziping_import::read_workbook_bytes(file, bytes).map_err(import_error)?;
        self.store_import(assessment, import)
    }

    fn store_import(
        &mut self,
        assessment: i64,
        import: ziping_import::Import,
    ) -> Result<ImportOutcome, AppError> {
        let system = self.assessment_system(assessment)?;
        if import.preview.has_errors() {
            return Err(refusal(&import.preview));
        }
        if import.present.is_empty() {
            return Err(AppError::invalid(format!(
                "“{}”中没有可导入的统计表。",
                import.preview.file
            )));
        }
        let timing = std::env::var_os("ZIPING_IMPORT_TIMING").is_some();
        let t0 = std::time::Instant::now();
        let mut tables = Vec::new();
        for kind in &import.present {
            let (rows_json, row_count) = table_rows(&import.tables, *kind)?;
            let sheet = import
                .preview
                .tables
                .iter()
                .find(|t| t.kind == *kind)
                .map(|t| t.sheet.clone())
                .unwrap_or_default();
            tables.push(NewStatisticsTable {
                table: kind.key().to_string(),
                rows_json,
                row_count,
                sheet,
            });
        }
        let request = StatisticsImport {
            source_file: import.preview.file.clone(),
            source_sha256: import.preview.sha256.clone(),
            tables,
        };
        let now = self.now();
        let t1 = std::time::Instant::now();
        let rows = self
            .workspace_mut()
            .import_statistics(assessment, &request, &now)?;
        let t2 = std::time::Instant::now();
        let outcome = ImportOutcome {
            written: true,
            preview: import.preview,
            sources: self.statistics_sources(assessment)?,
            history: rows.iter().map(|h| history_item(&system, h)).collect(),
        };
        if timing {
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            eprintln!(
                "ZIPING_IMPORT_TIMING 序列化 {:.0} ms，写入（一个事务）{:.0} ms，来源与历史 {:.0} ms",
                ms(t1 - t0),
                ms(t2 - t1),
                ms(t2.elapsed())
            );
        }
        Ok(outcome)
    }

    /// The tables stored for an assessment and where they came from.
    pub fn statistics_sources(&self, assessment: i64) -> Result<Vec<StatisticsSource>, AppError> {
        Ok(self
            .workspace()
            .statistics_sources(assessment)?
            .into_iter()
            .map(|t| StatisticsSource {
                title: table_title(&t.table),
                table: t.table,
                file: t.source_file,
                sha256: t.source_sha256,
                sheet: t.sheet,
                rows: t.row_count,
                imported_at: t.imported_at,
            })
            .collect())
    }

    /// The stored tables of an assessment, `year` set to the assessment's year.
    pub fn statistics_tables(&self, assessment: i64) -> Result<Tables, AppError> {
        let info = self.assessment(assessment)?;
        let mut tables = Tables {
            year: Some(info.year),
            ..Tables::default()
        };
        for t in self.workspace().statistics(assessment)? {
            let k = t.table.as_str();
            let j = t.rows_json.as_str();
            match TableKind::from_key(k) {
                Some(TableKind::Schools) => tables.schools = parse_rows(k, j)?,
                Some(TableKind::Classes) => tables.classes = parse_rows(k, j)?,
                Some(TableKind::Finance) => tables.finance = parse_rows(k, j)?,
                Some(TableKind::TeacherPay) => tables.teacher_pay = parse_rows(k, j)?,
                Some(TableKind::Preschool) => tables.preschool = parse_rows(k, j)?,
                Some(TableKind::SpecialGroups) => tables.special_groups = parse_rows(k, j)?,
                Some(TableKind::Satisfaction) => tables.satisfaction = parse_rows(k, j)?,
                None => {}
            }
        }
        Ok(tables)
    }

    fn computation(
        &self,
        assessment: i64,
    ) -> Result<(IndicatorSystem, Tables, ziping_metrics::Computation), AppError> {
        let system = self.assessment_system(assessment)?;
        let tables = self.statistics_tables(assessment)?;
        let params = Params::from_system(&system);
        let computation = compute(&tables, &params);
        Ok((system, tables, computation))
    }

    /// Every figure computed from the assessment's statistics, with thresholds from its system.
    pub fn metrics(&self, assessment: i64) -> Result<MetricsDto, AppError> {
        let (_, tables, c) = self.computation(assessment)?;
        let figures = c
            .figures
            .into_iter()
            .map(|f| FigureDto {
                id: f.id,
                kind: f.kind,
                item: f.item,
                title: f.title,
                stage: f.stage.map(|s: Stage| s.label().to_string()),
                value: f.value,
                decimals: f.decimals,
                unit: f.unit,
                display: f.display,
                threshold: f.threshold,
                compare: f.compare.map(|c| {
                    match c {
                        ziping_metrics::Compare::AtMost => "at_most",
                        ziping_metrics::Compare::AtLeast => "at_least",
                    }
                    .to_string()
                }),
                pass: f.pass,
                statement: f.statement,
                provenance: f.inputs,
                detail: f.detail,
            })
            .collect();
        Ok(MetricsDto {
            assessment_id: assessment,
            year: tables.year.unwrap_or_default(),
            figures,
            units: c.units,
            excluded: c.excluded,
            problems: c.problems,
            sources: self.statistics_sources(assessment)?,
        })
    }

    /// The suggested ratings/deductions for the leaves the assessment's system binds to figures.
    pub fn suggestions(&self, assessment: i64) -> Result<Vec<SuggestionDto>, AppError> {
        let (system, _, c) = self.computation(assessment)?;
        let leaves = system.leaves();
        let list = suggest(&system, &c.figures);
        let keys = crate::decisions::suggestion_keys(&list);
        let decisions = self.workspace().suggestion_decisions(assessment)?;
        Ok(list
            .into_iter()
            .zip(keys)
            .map(|(s, key)| SuggestionDto {
                point_title: leaves
                    .iter()
                    .find(|l| l.code == s.point)
                    .map(|l| l.title.clone())
                    .unwrap_or_default(),
                status: crate::decisions::status_of(&s.point, &key, &s.explanation, &decisions),
                key,
                suggestion: s,
            })
            .collect())
    }

    /// Writes the template workbook (same as [`write_template`]).
    pub fn write_template(&self, path: &Path) -> Result<(), AppError> {
        write_template(path)
    }
}
