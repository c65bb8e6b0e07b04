//! Report export (导出): the 自查报告 as PDF and DOCX, and the 自评表 as XLSX.
//!
//! ## API for the UI (导出 page) and the CLI
//!
//! | call | returns | notes |
//! |---|---|---|
//! | [`report_defaults`]`()` | [`ReportDefaults`] | the section switches with their Chinese labels, the font roles with the vendored face of each |
//! | [`App::report_draft`]`(id)` | [`ReportDraft`] | the default title, 主送机关, basis paragraph, 基本情况 text and 落款, to prefill editable fields |
//! | [`App::export_report`]`(&`[`ExportRequest`]`)` | [`ExportResult`] | writes the chosen formats; per file its path, size and (PDF) page count; `warnings` (e.g. characters no font has) |
//! | [`App::report_preview`]`(id, &options, pages)` | [`ReportPreview`] | the first `pages` pages as PDF bytes (for pdf.js) plus the total page count; nothing written |
//!
//! [`ExportRequest`] carries the assessment id, the output paths (`pdf`, `docx`, `xlsx`, each
//! optional, at least one), and [`ReportOptions`] (title, recipient, basis, 基本情况 override,
//! 落款, `sections`) and [`FontChoice`] (a font file path per role: `title`, `hei`, `kai`,
//! `fang`, `song`; absent roles use the vendored Fandol faces). Errors: `invalid_input` (no
//! format, unknown font file, font without Chinese glyphs), `not_found` (assessment), `io`
//! (cannot write; nothing partial is left: each file is written to a temporary name and renamed).
//!
//! The report's date (成文日期, in the 落款 and the PDF metadata) is `options.date` ("2025-01-05";
//! an unreadable date is refused with `invalid_input`), by default today's date from the app's
//! clock (fixed in tests).

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use ziping_metrics::phrase::amount_change;
use ziping_metrics::{SchoolKind, Stage, Tables};
pub use ziping_report::{FontChoice, FontFile, ReportOptions, Sections};
use ziping_report::{EvidenceRow, FigureRow, FontSet, ReportData, ReportError, Role};

use crate::error::{AppError, ErrorCode};
use crate::evidence::EvidenceFilter;
use crate::service::App;

/// What to export.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ExportRequest {
    pub assessment: i64,
    #[serde(default)]
    pub pdf: Option<PathBuf>,
    #[serde(default)]
    pub docx: Option<PathBuf>,
    #[serde(default)]
    pub xlsx: Option<PathBuf>,
    #[serde(default)]
    pub options: ReportOptions,
    #[serde(default)]
    pub fonts: FontChoice,
}

/// One written file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportedFile {
    /// "pdf", "docx" or "xlsx".
    pub format: String,
    pub path: PathBuf,
    pub bytes: u64,
    /// Pages of the PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportResult {
    pub files: Vec<ExportedFile>,
    /// Chinese warnings (characters no font can draw, sections left empty…).
    pub warnings: Vec<String>,
    pub elapsed_ms: u64,
}

/// The first pages of the PDF, for a preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportPreview {
    pub pdf: Vec<u8>,
    pub pages_shown: usize,
    pub pages_total: usize,
}

/// A section switch for the UI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionOption {
    /// Field name in [`Sections`].
    pub key: String,
    pub label: String,
}

/// A font role for the UI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FontRoleOption {
    /// Field name in [`FontChoice`].
    pub key: String,
    pub label: String,
    /// The vendored face used when no file is chosen.
    pub default_face: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportDefaults {
    pub sections: Vec<SectionOption>,
    pub fonts: Vec<FontRoleOption>,
}

/// The editable texts, prefilled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub title: String,
    pub recipient: String,
    pub basis: String,
    pub basic_info: String,
    pub signature: String,
    /// 成文日期 as written in the 落款 ("2024年12月1日").
    pub date: String,
    /// The same date as "2024-12-01" (the date picker's value; `ReportOptions::date`).
    pub date_iso: String,
}

/// The section switches and font roles, with Chinese labels.
pub fn report_defaults() -> ReportDefaults {
    let sections = [
        ("basic_info", "一、基本情况"),
        ("conclusion", "二、自评结论"),
        ("chart", "自评结果图"),
        ("performance", "三、履职情况"),
        ("problems", "四、存在问题"),
        ("measures", "五、整改措施"),
        ("signature", "落款"),
        ("appendix_scores", "附件：自评打分表"),
        ("appendix_evidence", "附件：佐证材料清单"),
        ("appendix_data", "附件：主要数据指标"),
    ]
    .iter()
    .map(|(k, l)| SectionOption { key: k.to_string(), label: l.to_string() })
    .collect();
    let fonts = [("title", Role::Title), ("hei", Role::Hei), ("kai", Role::Kai), ("fang", Role::Fang), ("song", Role::Song)]
        .iter()
        .map(|(k, r)| FontRoleOption {
            key: k.to_string(),
            label: r.label().to_string(),
            default_face: r.default_file().trim_end_matches(".otf").to_string(),
        })
        .collect();
    ReportDefaults { sections, fonts }
}

/// Tells the report where the installed desktop app keeps its resources (Tauri's
/// `resource_dir()`): the vendored fonts are bundled under `fonts/` there (see
/// `bundle.resources` in tauri.conf.json). The CLI and tests find them without this.
pub fn set_resource_dir(dir: &Path) {
    ziping_report::fonts::set_bundled_dir(dir.join("fonts"));
}

fn report_error(e: ReportError) -> AppError {
    match e {
        ReportError::Font { message } => AppError::invalid(message),
        ReportError::Write { .. } => AppError::new(ErrorCode::Io, e.to_string()),
        ReportError::Render { .. } => AppError::new(ErrorCode::Internal, e.to_string()),
    }
}

/// (year, month, day) of an RFC 3339 time stamp.
fn ymd(now: &str) -> (i32, u32, u32) {
    let p = |a: usize, b: usize| now.get(a..b).and_then(|s| s.parse::<u32>().ok());
    match (p(0, 4), p(5, 7), p(8, 10)) {
        (Some(y), Some(m), Some(d)) => (y as i32, m, d),
        _ => (1970, 1, 1),
    }
}

fn sum_stage(tables: &Tables, stage: Stage) -> u64 {
    tables
        .schools
        .iter()
        .filter_map(|s| match stage {
            Stage::Primary => s.students.primary.as_ref(),
            Stage::Junior => s.students.junior.as_ref(),
            Stage::Senior => s.students.senior.as_ref(),
        })
        .map(|c| c.value as u64)
        .sum()
}

/// The 基本情况 paragraphs from the imported statistics (empty when none are imported).
pub fn basic_info(region: &str, tables: &Tables) -> Vec<String> {
    let mut out = Vec::new();
    let we = ziping_core::text::we_region(region);
    if !tables.schools.is_empty() {
        let mut kinds: Vec<(SchoolKind, usize)> = Vec::new();
        for s in &tables.schools {
            match kinds.iter_mut().find(|(k, _)| *k == s.kind.value) {
                Some(e) => e.1 += 1,
                None => kinds.push((s.kind.value, 1)),
            }
        }
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{}{n}所", k.label())).collect();
        let mut p = format!("{we}纳入本次统计的中小学校共{}所，其中{}。", tables.schools.len(), list.join("、"));
        let (pri, jun) = (sum_stage(tables, Stage::Primary), sum_stage(tables, Stage::Junior));
        if pri + jun > 0 {
            p.push_str(&format!("义务教育阶段在校生{}人，其中小学{pri}人、初中{jun}人。", pri + jun));
        }
        out.push(p);
    }
    if let Some(year) = tables.year {
        let this = tables.finance.iter().find(|f| f.year == year);
        let last = tables.finance.iter().find(|f| f.year == year - 1);
        if let (Some(t), Some(l)) = (this, last) {
            out.push(format!(
                "{year}年，全{}{}。",
                region.chars().last().map(String::from).unwrap_or_default(),
                amount_change("一般公共预算教育支出", t.education_expenditure.value, l.education_expenditure.value, "万元", 2)
            ));
        }
        if let Some(p) = tables.preschool.iter().find(|p| p.year == year) {
            let total = p.enrolled.value;
            if total > 0 {
                let share = p.public_enrolled.value as f64 * 100.0 / total as f64;
                out.push(format!(
                    "学前教育方面，全年在园幼儿{total}人，其中公办园在园幼儿{}人，占{share:.2}%。",
                    p.public_enrolled.value
                ));
            }
        }
    }
    out
}

/// Refuses a 成文日期 that is given but is not a date.
fn check_options(options: &ReportOptions) -> Result<(), AppError> {
    if let Some(d) = options.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        if ziping_report::model::parse_date(d).is_none() {
            return Err(AppError::invalid(format!("成文日期“{d}”不是有效日期，请写成2025-01-05的形式。")));
        }
    }
    Ok(())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<u64, AppError> {
    let io = |e: std::io::Error| AppError::new(ErrorCode::Io, format!("无法写入文件“{}”：{e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "report".into());
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })?;
    Ok(bytes.len() as u64)
}

impl App {
    /// Everything the report says, loaded from the workspace.
    pub fn report_data(&self, id: i64) -> Result<ReportData, AppError> {
        let info = self.assessment(id)?;
        let system = self.assessment_system(id)?;
        let entries = self.entries(id)?;
        let summary = self.summary(id)?;
        let tables = self.statistics_tables(id)?;
        let evidence = self
            .evidence_list(&EvidenceFilter { assessment: Some(id), ..Default::default() })?
            .into_iter()
            .map(|e| EvidenceRow {
                title: e.title,
                doc_no: e.doc_no,
                date: e.date,
                sha256: e.sha256,
                points: e.links.iter().filter(|l| l.assessment == id).map(|l| l.point.clone()).collect(),
            })
            .collect();
        let metrics = self.metrics(id)?;
        let figures = metrics
            .figures
            .iter()
            .map(|f| {
                let standard = match (f.threshold, f.compare.as_deref()) {
                    (Some(t), Some("at_most")) => format!("≤{t}{}", f.unit),
                    (Some(t), Some("at_least")) => format!("≥{t}{}", f.unit),
                    _ => String::new(),
                };
                FigureRow {
                    title: f.title.clone(),
                    stage: f.stage.clone().unwrap_or_default(),
                    value: f.display.clone(),
                    standard,
                    result: match f.pass {
                        Some(true) => "达标".into(),
                        Some(false) => "未达标".into(),
                        None => String::new(),
                    },
                }
            })
            .collect();
        Ok(ReportData {
            basic_info: basic_info(&info.region, &tables),
            region: info.region,
            year: info.year,
            organ: info.organ,
            system,
            entries,
            summary: summary.summary,
            conclusion: summary.conclusion,
            evidence,
            figures,
            date: ymd(&self.now()),
        })
    }

    /// The default texts of the editable fields.
    pub fn report_draft(&self, id: i64) -> Result<ReportDraft, AppError> {
        let data = self.report_data(id)?;
        let report = ziping_report::build(&data, &ReportOptions::default());
        let mut draft = ReportDraft {
            title: report.title.clone(),
            recipient: String::new(),
            basis: String::new(),
            basic_info: data.basic_info.join("\n"),
            signature: report.author.clone(),
            date: report.date.clone(),
            date_iso: format!("{:04}-{:02}-{:02}", report.date_ymd.0, report.date_ymd.1, report.date_ymd.2),
        };
        for b in &report.blocks {
            match b {
                ziping_report::Block::Recipient(r) => draft.recipient = r.clone(),
                ziping_report::Block::Para(runs) if draft.basis.is_empty() => {
                    draft.basis = runs.iter().map(|r| r.text.as_str()).collect()
                }
                _ => {}
            }
        }
        Ok(draft)
    }

    /// Writes the requested formats (see the module docs).
    pub fn export_report(&self, req: &ExportRequest) -> Result<ExportResult, AppError> {
        let start = Instant::now();
        if req.pdf.is_none() && req.docx.is_none() && req.xlsx.is_none() {
            return Err(AppError::invalid("请至少选择一种导出格式（PDF、Word 或 Excel）"));
        }
        check_options(&req.options)?;
        let data = self.report_data(req.assessment)?;
        let report = ziping_report::build(&data, &req.options);
        let mut files = Vec::new();
        let mut warnings = Vec::new();
        if let Some(path) = &req.pdf {
            let t = Instant::now();
            let fonts = FontSet::load(&req.fonts).map_err(report_error)?;
            if std::env::var_os("ZIPING_REPORT_TIMING").is_some() {
                eprintln!("data {:?}, fonts {:?}", t - start, t.elapsed());
            }
            let out = ziping_report::render_pdf(&report, &fonts, None).map_err(report_error)?;
            if !out.layout.missing.is_empty() {
                let chars: Vec<String> =
                    out.layout.missing.iter().map(|c| format!("“{c}”（U+{:04X}）", *c as u32)).collect();
                warnings.push(format!(
                    "以下{}个字符在所选字体和备用字体（Noto CJK）中都没有，PDF 中留空：{}。请改用含这些字的字体，或安装 Noto CJK 字体（fonts-noto-cjk）。",
                    chars.len(),
                    chars.join("、")
                ));
            }
            let bytes = write_atomic(path, &out.bytes)?;
            files.push(ExportedFile { format: "pdf".into(), path: path.clone(), bytes, pages: Some(out.pages) });
        }
        if let Some(path) = &req.docx {
            let bytes = ziping_report::docx::write(&report).map_err(report_error)?;
            let n = write_atomic(path, &bytes)?;
            files.push(ExportedFile { format: "docx".into(), path: path.clone(), bytes: n, pages: None });
        }
        if let Some(path) = &req.xlsx {
            let bytes = ziping_report::xlsx::write(&data).map_err(report_error)?;
            let n = write_atomic(path, &bytes)?;
            files.push(ExportedFile { format: "xlsx".into(), path: path.clone(), bytes: n, pages: None });
        }
        Ok(ExportResult { files, warnings, elapsed_ms: start.elapsed().as_millis() as u64 })
    }

    /// The first `pages` pages of the PDF (nothing written).
    pub fn report_preview(
        &self,
        id: i64,
        options: &ReportOptions,
        fonts: &FontChoice,
        pages: usize,
    ) -> Result<ReportPreview, AppError> {
        check_options(options)?;
        let data = self.report_data(id)?;
        let report = ziping_report::build(&data, options);
        let set = FontSet::load(fonts).map_err(report_error)?;
        let out = ziping_report::render_pdf(&report, &set, Some(pages.max(1))).map_err(report_error)?;
        Ok(ReportPreview { pdf: out.bytes, pages_shown: pages.max(1).min(out.pages), pages_total: out.pages })
    }
}
