//! Statistics subcommands: `template`, `import-data`, `metrics`, `suggest`.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use ziping_app::statistics::{write_template, ImportOutcome};
use ziping_app::{App, AppError, SuggestionDecided, SuggestionDecisionInput};
use ziping_import::{ImportPreview, Severity};
use ziping_metrics::SuggestionKind;

use crate::print_json;

#[derive(Subcommand)]
pub enum StatsCommand {
    /// 生成统计数据模板（.xlsx）
    Template {
        /// 输出文件
        file: PathBuf,
    },
    /// 导入统计数据（.xlsx/.xls/.ods）：先显示识别结果和全部问题，有错误时不导入
    #[command(name = "import-data")]
    ImportData {
        #[arg(long)]
        assessment: i64,
        /// 统计数据文件
        file: PathBuf,
        /// 只预览，不写入
        #[arg(long = "dry-run")]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// 显示由统计数据计算出的各项指标
    Metrics {
        #[arg(long)]
        assessment: i64,
        #[arg(long)]
        json: bool,
    },
    /// 显示各测评点的建议评定或扣分；采纳（adopt）或不采纳（decline）一条建议
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Suggest {
        #[arg(long, required = true)]
        assessment: Option<i64>,
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<SuggestAction>,
    },
}

/// 采纳或不采纳一条建议。
#[derive(Subcommand)]
pub enum SuggestAction {
    /// 采纳建议：按建议写入扣分或评定等级，记入修改记录
    Adopt {
        #[arg(long)]
        assessment: i64,
        /// 测评点编码
        #[arg(long)]
        point: String,
        /// 该测评点有多条建议时，指明哪一条（见 suggest --json 的 key）
        #[arg(long)]
        key: Option<String>,
        /// 用建议的扣分替换该测评点已有的第N项扣分（默认追加一项）
        #[arg(long, value_name = "N")]
        replace: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// 不采纳建议：须用 --reason 写明理由
    Decline {
        #[arg(long)]
        assessment: i64,
        #[arg(long)]
        point: String,
        #[arg(long)]
        key: Option<String>,
        /// 不采纳的理由
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

fn decided(d: &SuggestionDecided, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(d);
    }
    let s = &d.suggestion;
    out!(
        "{} {}：{}。{}",
        s.suggestion.point,
        s.point_title,
        s.status.label(),
        s.suggestion.explanation
    );
    for h in &d.history {
        out!("已记录：{}", h.change);
    }
    Ok(())
}

fn print_preview(p: &ImportPreview) -> Result<(), AppError> {
    out!("文件：{}（SHA-256：{}）", p.file, p.sha256);
    out!("识别出{}张表：", p.tables.len());
    for t in &p.tables {
        let rows: Vec<String> = t.header_rows.iter().map(u32::to_string).collect();
        let mut extra = String::new();
        if t.total_rows > 0 {
            extra.push_str(&format!("，跳过合计行{}行", t.total_rows));
        }
        if t.skipped_rows > 0 {
            extra.push_str(&format!("，跳过空行和表尾{}行", t.skipped_rows));
        }
        out!(
            "  {}：工作表“{}”，表头第{}行，数据{}行{extra}",
            t.title,
            t.sheet,
            rows.join("、"),
            t.rows
        );
        for c in &t.columns {
            match &c.field_title {
                Some(f) => {
                    let conv = match &c.unit {
                        Some(u) if c.factor != 1.0 => format!("（按{u}换算，×{}）", c.factor),
                        _ => String::new(),
                    };
                    out!("    {}列 {} → {f}{conv}", c.col, c.header);
                }
                None => out!("    {}列 {} → （不导入）", c.col, c.header),
            }
        }
    }
    for s in &p.ignored_sheets {
        out!("未导入的工作表：{}（{}）", s.sheet, s.reason);
    }
    out!("问题：错误{}个，警告{}个", p.errors, p.warnings);
    for pr in &p.problems {
        let tag = match pr.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        out!("  [{tag}] {}", pr.message);
    }
    Ok(())
}

/// Fails (non-zero exit, message on stderr) when the file has errors; otherwise says what happened,
/// unless `--json` already printed it (stdout then holds only the JSON).
fn import_result(o: &ImportOutcome, dry_run: bool, json: bool) -> Result<(), AppError> {
    if o.preview.has_errors() {
        return Err(AppError::invalid(format!(
            "“{}”中有{}个错误，未导入任何数据。",
            o.preview.file, o.preview.errors
        )));
    }
    if json {
        return Ok(());
    }
    if dry_run {
        out!("预览完成（--dry-run），未写入。");
    } else if o.written {
        for h in &o.history {
            out!("已导入：{}", h.change);
        }
    }
    Ok(())
}

pub fn run(cmd: StatsCommand, db: &Path) -> Result<(), AppError> {
    match cmd {
        StatsCommand::Template { file } => {
            write_template(&file)?;
            out!("已生成模板：{}", file.display());
            Ok(())
        }
        StatsCommand::ImportData {
            assessment,
            file,
            dry_run,
            json,
        } => {
            let mut app = App::open(db)?;
            let o = app.import_statistics_or_preview(assessment, &file, dry_run)?;
            if json {
                print_json(&o)?;
            } else {
                print_preview(&o.preview)?;
            }
            import_result(&o, dry_run, json)
        }
        StatsCommand::Metrics { assessment, json } => {
            let app = App::open(db)?;
            let m = app.metrics(assessment)?;
            if json {
                return print_json(&m);
            }
            if m.figures.is_empty() {
                out!("评估{assessment}尚无统计数据，请先用 ziping import-data 导入。");
            }
            for f in &m.figures {
                let verdict = match f.pass {
                    Some(true) => "达标",
                    Some(false) => "未达标",
                    None => "",
                };
                out!("{}  {}  {}  {verdict}", f.id, f.title, f.display);
            }
            for p in &m.problems {
                out!("提示：{}", p.message);
            }
            Ok(())
        }
        StatsCommand::Suggest {
            action: Some(SuggestAction::Adopt { assessment, point, key, replace, json }),
            ..
        } => {
            let mut app = App::open(db)?;
            let input = SuggestionDecisionInput { assessment, point, key, adopt: true, reason: String::new(), replace };
            decided(&app.decide_suggestion(&input)?, json)
        }
        StatsCommand::Suggest {
            action: Some(SuggestAction::Decline { assessment, point, key, reason, json }),
            ..
        } => {
            let mut app = App::open(db)?;
            decided(&app.decline_suggestion(assessment, &point, key.as_deref(), &reason)?, json)
        }
        StatsCommand::Suggest { assessment, json, action: None } => {
            let app = App::open(db)?;
            let assessment = assessment.unwrap_or_default();
            let list = app.suggestions(assessment)?;
            if json {
                return print_json(&list);
            }
            for s in &list {
                let what = match &s.suggestion.kind {
                    SuggestionKind::Deduction { amount, .. } => format!("建议扣{amount}分"),
                    SuggestionKind::Rating { code } => format!("建议评定为{code}"),
                    SuggestionKind::Pass => "达标，不扣分".to_string(),
                    SuggestionKind::Review => "未达标，请人工判断".to_string(),
                };
                let status = match s.status.status.as_str() {
                    "declined" => format!("［不采纳：{}］", s.status.reason),
                    "adopted" => "［已采纳］".to_string(),
                    _ => String::new(),
                };
                out!(
                    "{} {}：{what}。{}{status}",
                    s.suggestion.point,
                    s.point_title,
                    s.suggestion.explanation
                );
            }
            Ok(())
        }
    }
}
