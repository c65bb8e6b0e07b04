//! # ziping-report: the 自查报告 as PDF, DOCX and XLSX
//!
//! Why this crate exists: the self-assessment report is the deliverable inspectors hand in, and it
//! has to look like an official document (GB/T 9704-2012): A4, the 156 × 225 mm text block, 3号
//! 仿宋 body on a 22 × 28 grid, 黑体/楷体 headings, a 小标宋 title, "— N —" page numbers, and
//! Chinese line breaking with 禁则. Word processors do this with styles; we do it directly.
//!
//! The pipeline:
//!
//! 1. [`model::build`]: assessment data ([`ReportData`], loaded by `ziping-app`) + the user's
//!    choices ([`ReportOptions`]) → a document model ([`Report`]: a list of [`Block`]s).
//! 2. PDF: [`layout::layout`] places the blocks on pages (using [`linebreak`] and the measured
//!    fonts of [`fonts`]) → a layout tree of positioned text, rules and boxes; [`pdf::write`]
//!    draws it with printpdf, embedding font subsets.
//! 3. [`docx::write`] renders the same blocks with real Word styles; [`xlsx::write`] writes the
//!    自评表 workbook with formulas for the totals.
//!
//! To add a section: add a [`Block`] (or reuse one) in `model.rs`, then render it in
//! `layout.rs` and `docx.rs`; the snapshot test shows the layout change.

pub mod docx;
pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod model;
pub mod pdf;
pub mod sfnt;
pub mod xlsx;

pub use fonts::{FontChoice, FontFile, FontSet, Role};
pub use model::{build, Block, EvidenceRow, FigureRow, Report, ReportData, ReportOptions, Sections};

/// Errors of report generation, with Chinese messages.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{message}")]
    Font { message: String },
    #[error("无法写入文件“{path}”：{message}")]
    Write { path: String, message: String },
    #[error("生成{format}文件失败：{message}")]
    Render { format: String, message: String },
}

/// A rendered PDF.
pub struct PdfOutput {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub layout: layout::Layout,
}

/// Builds, lays out and writes the PDF (all pages, or the first `max_pages` for a preview).
pub fn render_pdf(report: &Report, fonts: &FontSet, max_pages: Option<usize>) -> Result<PdfOutput, ReportError> {
    let t = std::time::Instant::now();
    let layout = layout::layout(report, fonts);
    let t_layout = t.elapsed();
    let (bytes, errors) = pdf::write(report, &layout, fonts, max_pages);
    if std::env::var_os("ZIPING_REPORT_TIMING").is_some() {
        eprintln!("layout {:?}, pdf {:?}", t_layout, t.elapsed() - t_layout);
    }
    if let Some(e) = errors.first() {
        return Err(ReportError::Render { format: "PDF".into(), message: e.clone() });
    }
    Ok(PdfOutput { bytes, pages: layout.pages.len(), layout })
}
