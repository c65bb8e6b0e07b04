//! `ziping export --assessment ID --pdf FILE [--docx FILE] [--xlsx FILE]`: the 自查报告 and the
//! 自评表. One call into `ziping_app::App::export_report`; the flags map onto its request.

use std::path::{Path, PathBuf};

use clap::Args;
use ziping_app::report::{ExportRequest, FontChoice, FontFile, ReportOptions};
use ziping_app::{App, AppError};

use crate::print_json;

/// The report flags of `ziping export`.
#[derive(Args, Clone, Debug, Default)]
pub struct ReportArgs {
    /// 导出自查报告 PDF（公文格式）
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// 导出自查报告 Word 文件（.docx，可编辑）
    #[arg(long, value_name = "FILE")]
    pub docx: Option<PathBuf>,
    /// 导出自评表 Excel 文件（.xlsx，合计为公式）
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// 报告标题（默认“××县人民政府关于××年度履行教育职责情况的自查自评报告”）
    #[arg(long)]
    pub title: Option<String>,
    /// 主送机关
    #[arg(long)]
    pub recipient: Option<String>,
    /// 落款单位（默认为评估的填报单位）
    #[arg(long)]
    pub signature: Option<String>,
    /// 成文日期（落款日期），如 2025-01-05；默认今天
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// 不含附件（自评打分表、佐证材料清单、数据指标）
    #[arg(long = "no-appendix")]
    pub no_appendix: bool,
    /// 正文字体文件（如 仿宋_GB2312 的 .ttf）
    #[arg(long = "font-fang", value_name = "FONT")]
    pub font_fang: Option<PathBuf>,
    /// 标题字体文件（如 方正小标宋简体）
    #[arg(long = "font-title", value_name = "FONT")]
    pub font_title: Option<PathBuf>,
    /// 一级标题字体文件（黑体）
    #[arg(long = "font-hei", value_name = "FONT")]
    pub font_hei: Option<PathBuf>,
    /// 二级标题字体文件（楷体）
    #[arg(long = "font-kai", value_name = "FONT")]
    pub font_kai: Option<PathBuf>,
    /// 页码字体文件（宋体）
    #[arg(long = "font-song", value_name = "FONT")]
    pub font_song: Option<PathBuf>,
}

impl ReportArgs {
    /// Whether any report output was asked for.
    pub fn wanted(&self) -> bool {
        self.pdf.is_some() || self.docx.is_some() || self.xlsx.is_some()
    }
}

fn font(p: &Option<PathBuf>) -> Option<FontFile> {
    p.as_ref().map(|p| FontFile { path: p.clone(), index: 0 })
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.2}MB", bytes as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.1}KB", bytes as f64 / 1024.0)
    }
}

pub fn run(args: ReportArgs, assessment: i64, db: &Path, json: bool) -> Result<(), AppError> {
    let app = App::open(db)?;
    let mut options = ReportOptions { title: args.title, recipient: args.recipient, signature: args.signature, date: args.date, ..Default::default() };
    if args.no_appendix {
        options.sections.appendix_scores = false;
        options.sections.appendix_evidence = false;
        options.sections.appendix_data = false;
    }
    let fonts = FontChoice {
        title: font(&args.font_title),
        hei: font(&args.font_hei),
        kai: font(&args.font_kai),
        fang: font(&args.font_fang),
        song: font(&args.font_song),
        dir: None,
    };
    let req = ExportRequest { assessment, pdf: args.pdf, docx: args.docx, xlsx: args.xlsx, options, fonts };
    let r = app.export_report(&req)?;
    if json {
        return print_json(&r);
    }
    for f in &r.files {
        let what = match f.format.as_str() {
            "pdf" => "自查报告（PDF）",
            "docx" => "自查报告（Word）",
            _ => "自评表（Excel）",
        };
        match f.pages {
            Some(p) => out!("已导出{what}到“{}”：共{p}页，{}。", f.path.display(), size_text(f.bytes)),
            None => out!("已导出{what}到“{}”：{}。", f.path.display(), size_text(f.bytes)),
        }
    }
    for w in &r.warnings {
        out!("注意：{w}");
    }
    out!("用时{}毫秒。", r.elapsed_ms);
    Ok(())
}
