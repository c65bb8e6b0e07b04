//! `ziping`: the command-line tool of 履职自评.
//!
//! Every subcommand parses its arguments, calls one function of `ziping-app` and prints the result
//! (Chinese text, or JSON with `--json`). No logic lives here. Errors print `错误：…` on stderr and
//! exit with status 1 (2 for usage errors).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand};
use serde::Serialize;
use ziping_app::{
    create_demo, default_workspace_path, App, AppError, BonusEdit, DeductionInput, NewAssessment, PointEdit,
};
use ziping_core::summary::Summary;

/// `println!` that ends the program quietly when stdout is closed (e.g. `ziping … | head`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            return Err(AppError::new(ziping_app::ErrorCode::Io, format!("无法输出结果：{e}")));
        }
    }};
}

mod backup;
mod package;
mod report;
mod statistics;
mod systems;

#[derive(Parser)]
#[command(name = "ziping", version, about = "履职自评：履行教育职责自评的命令行工具", disable_help_subcommand = true)]
struct Cli {
    /// 工作区文件（SQLite）；默认在系统的应用数据目录中
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 列出指标体系（内置的和工作区中导入的）；子命令：导入、挂接测评点、导出、模板、查看、版本对应
    Systems {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<systems::SystemsCommand>,
    },
    /// 新建示例县的示范工作区（一个国家2017版评估、一个示例24项评估）
    Demo {
        #[arg(long)]
        json: bool,
    },
    /// 新建评估，输出其编号
    New {
        /// 指标体系编号（见 ziping systems）
        #[arg(long)]
        system: String,
        /// 指标体系版本（默认最新）
        #[arg(long = "system-version")]
        system_version: Option<String>,
        /// 地区，如“示例县”
        #[arg(long)]
        region: String,
        /// 年度，如 2024
        #[arg(long)]
        year: i32,
        /// 填报单位（默认“地区人民政府”）
        #[arg(long)]
        organ: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 复制评估到新年度：沿用各测评点的自评说明、存在问题和整改措施（按编码和名称对应到新版本的测评点），评定结果和扣分清空
    Copy {
        /// 原评估编号
        #[arg(long)]
        from: i64,
        /// 新年度，如 2025
        #[arg(long)]
        year: i32,
        /// 新评估的指标体系编号（默认与原评估相同）
        #[arg(long)]
        system: Option<String>,
        /// 新评估的指标体系版本（默认最新），如导入的新版本
        #[arg(long = "system-version")]
        system_version: Option<String>,
        /// 地区（默认同原评估）
        #[arg(long)]
        region: Option<String>,
        /// 填报单位（默认同原评估）
        #[arg(long)]
        organ: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 列出工作区中的评估
    List {
        #[arg(long)]
        json: bool,
    },
    /// 填写一个测评点（评定等级、扣分、说明），或申请加分
    Set {
        /// 评估编号
        #[arg(long)]
        assessment: i64,
        /// 测评点编码
        #[arg(long)]
        point: Option<String>,
        /// 评定等级（如“完全落实”“基本落实”“未落实”“不适用”，或其代码）；空字符串清除
        #[arg(long)]
        rating: Option<String>,
        /// 标记为已评分（无扣分即得满分）
        #[arg(long)]
        scored: bool,
        /// 扣分，格式“分值:原因”，可重复；给出后替换该测评点的全部扣分
        #[arg(long = "deduct", value_name = "AMOUNT:REASON")]
        deduct: Vec<String>,
        /// 清除该测评点的全部扣分
        #[arg(long = "no-deductions", conflicts_with = "deduct")]
        no_deductions: bool,
        /// 自评说明
        #[arg(long)]
        note: Option<String>,
        /// 存在问题
        #[arg(long)]
        problems: Option<String>,
        /// 整改措施
        #[arg(long)]
        measures: Option<String>,
        /// 申请加分项（编码），可重复
        #[arg(long = "bonus", value_name = "CODE")]
        bonus: Vec<String>,
        /// 加分理由（与 --bonus 一起使用）
        #[arg(long = "bonus-note", default_value = "")]
        bonus_note: String,
        /// 撤回加分项（编码），可重复
        #[arg(long = "withdraw-bonus", value_name = "CODE")]
        withdraw_bonus: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// 评估结果：得分/等级或落实情况统计、自评结论、缺项
    Summary {
        #[arg(long)]
        assessment: i64,
        #[arg(long)]
        json: bool,
    },
    /// 修改记录（最新在前）
    History {
        #[arg(long)]
        assessment: i64,
        /// 只看一个测评点
        #[arg(long)]
        point: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 撤销一条修改（以新修改的形式记录）
    Revert {
        #[arg(long)]
        assessment: i64,
        /// 修改记录编号（见 ziping history）
        #[arg(long)]
        change: i64,
    },
    /// 定稿：评估变为只读
    Freeze {
        #[arg(long)]
        assessment: i64,
    },
    /// 为已定稿的评估新建修订版，以便继续修改
    Revise {
        #[arg(long)]
        assessment: i64,
    },
    /// 删除评估（不可恢复）
    Delete {
        #[arg(long)]
        assessment: i64,
        /// 确认删除
        #[arg(long)]
        yes: bool,
    },
    #[command(flatten)]
    Statistics(statistics::StatsCommand),
    #[command(flatten)]
    Package(package::PackageCommand),
    #[command(flatten)]
    Backup(backup::BackupCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{}", e.message);
            ExitCode::from(1)
        }
    }
}

/// Clap's own messages are English; the user sees Chinese for the common mistakes.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        _ => String::new(),
    };
    let msg = match e.kind() {
        ErrorKind::UnknownArgument => format!("不认识的参数“{}”。", ctx(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => format!("不认识的命令“{}”。", ctx(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{}。", ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingSubcommand => "缺少命令。".to_string(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "参数 {} 的值“{}”无效。",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::InvalidValue)
        ),
        ErrorKind::ArgumentConflict => format!("参数 {} 不能同时使用。", ctx(ContextKind::InvalidArg)),
        _ => "命令行参数有误。".to_string(),
    };
    eprintln!("错误：{msg}\n用法见 ziping --help。");
    ExitCode::from(2)
}

fn print_json<T: Serialize>(v: &T) -> Result<(), AppError> {
    let s = serde_json::to_string_pretty(v)
        .map_err(|e| AppError::new(ziping_app::ErrorCode::Internal, format!("无法生成 JSON：{e}")))?;
    out!("{s}");
    Ok(())
}

fn parse_deduction(s: &str) -> Result<DeductionInput, AppError> {
    let (amount, reason) = s
        .split_once([':', '：'])
        .ok_or_else(|| AppError::invalid(format!("扣分“{s}”的格式应为“分值:原因”，如“1:2所学校超规模办学”。")))?;
    Ok(DeductionInput { amount: amount.trim().to_string(), reason: reason.trim().to_string() })
}

fn run(cli: Cli) -> Result<(), AppError> {
    let db = cli.db.clone().unwrap_or_else(default_workspace_path);
    match cli.command {
        Command::Systems { json, action } => systems::run(action, json, &db),
        Command::Demo { json } => {
            let mut app = App::open(&db)?;
            let ids = create_demo(&mut app)?;
            let list: Vec<_> = ids.iter().map(|id| app.assessment(*id)).collect::<Result<_, _>>()?;
            if json {
                return print_json(&list);
            }
            out!("已在“{}”中创建示范工作区：", db.display());
            for a in list {
                out!("  编号{}：{}{}年度，{}，{}", a.id, a.region, a.year, a.system_name, a.headline);
            }
            Ok(())
        }
        Command::New { system, system_version, region, year, organ, json } => {
            let mut app = App::open(&db)?;
            let info = app.create_assessment(&NewAssessment { system_id: system, system_version, region, year, organ })?;
            if json {
                return print_json(&info);
            }
            out!("{}", info.id);
            Ok(())
        }
        Command::Copy { from, year, system, system_version, region, organ, json } => {
            let mut app = App::open(&db)?;
            let copy = ziping_app::CopyAssessment { from, year, region, organ, system_id: system, system_version };
            let o = app.copy_assessment_mapped(&copy)?;
            if json {
                return print_json(&o);
            }
            let (a, m) = (&o.assessment, &o.mapping);
            out!("已新建评估{}：{}{}年度，{}（版本{}）。", a.id, a.region, a.year, a.system_name, m.to_version);
            out!("测评点对应：{}项对应，沿用了{}项的自评说明等文字。", m.pairs.len(), o.carried);
            let renamed: Vec<String> = m
                .pairs
                .iter()
                .filter(|p| p.by != "code_and_title")
                .map(|p| format!("  {} {} → {} {}", p.from.code, p.from.title, p.to.code, p.to.title))
                .collect();
            if !renamed.is_empty() {
                out!("编号或名称有变化的对应（{}项）：", renamed.len());
                for r in renamed {
                    out!("{r}");
                }
            }
            if !m.unmatched_from.is_empty() {
                out!("原版本中没有对应、未沿用的测评点（{}项）：", m.unmatched_from.len());
                for l in &m.unmatched_from {
                    out!("  {} {}", l.code, l.title);
                }
            }
            if !m.unmatched_to.is_empty() {
                out!("新版本中新增、需重新填写的测评点（{}项）：", m.unmatched_to.len());
                for l in &m.unmatched_to {
                    out!("  {} {}", l.code, l.title);
                }
            }
            Ok(())
        }
        Command::List { json } => {
            let app = App::open(&db)?;
            let list = app.assessments()?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                out!("工作区中还没有评估。");
            }
            for a in list {
                let status = if a.status == "frozen" { format!("已定稿（第{}版）", a.revision) } else { "填报中".to_string() };
                out!(
                    "{}  {}{}年度  {}  进度{}%  {}  {}",
                    a.id, a.region, a.year, a.system_name, a.progress.percent, a.headline, status
                );
            }
            Ok(())
        }
        Command::Set {
            assessment,
            point,
            rating,
            scored,
            deduct,
            no_deductions,
            note,
            problems,
            measures,
            bonus,
            bonus_note,
            withdraw_bonus,
            json,
        } => {
            let mut app = App::open(&db)?;
            let mut changes = Vec::new();
            let edits_point = rating.is_some()
                || scored
                || !deduct.is_empty()
                || no_deductions
                || note.is_some()
                || problems.is_some()
                || measures.is_some();
            if edits_point {
                let point = point.ok_or_else(|| AppError::invalid("请用 --point 指定测评点编码。"))?;
                let deductions = if no_deductions {
                    Some(Vec::new())
                } else if deduct.is_empty() {
                    None
                } else {
                    Some(deduct.iter().map(|d| parse_deduction(d)).collect::<Result<Vec<_>, _>>()?)
                };
                changes.extend(app.edit_point(&PointEdit {
                    assessment,
                    point,
                    rating,
                    scored: if scored { Some(true) } else { None },
                    deductions,
                    note,
                    problems,
                    measures,
                })?);
            } else if bonus.is_empty() && withdraw_bonus.is_empty() {
                return Err(AppError::invalid("没有要修改的内容：请给出 --rating、--deduct、--scored、--note、--bonus 等参数。"));
            }
            for code in bonus {
                changes.extend(app.edit_bonus(&BonusEdit { assessment, code, claimed: true, note: bonus_note.clone() })?);
            }
            for code in withdraw_bonus {
                changes.extend(app.edit_bonus(&BonusEdit { assessment, code, claimed: false, note: String::new() })?);
            }
            if json {
                return print_json(&changes);
            }
            if changes.is_empty() {
                out!("内容未变化。");
            }
            for c in changes {
                out!("已保存：{}", c.change);
            }
            Ok(())
        }
        Command::Summary { assessment, json } => {
            let app = App::open(&db)?;
            let s = app.summary(assessment)?;
            if json {
                return print_json(&s);
            }
            out!("{}{}年度 · {}", s.region, s.year, s.system_name);
            match &s.summary {
                Summary::Rated(r) => {
                    out!("共{}项，不适用{}项，实际自评{}项，未评{}项。", r.total, r.not_applicable, r.applicable, r.unrated);
                    for l in &r.levels {
                        out!("  {}：{}项，占{}%", l.label, l.count, l.share);
                    }
                }
                Summary::Points(p) => {
                    let grade = p.grade.as_deref().map(|g| format!("{g}等")).unwrap_or_else(|| "暂无等级".to_string());
                    out!("自评得分{}分（满分{}分），{}，加分{}分。", p.score, p.total, grade, p.bonus);
                }
            }
            out!("\n自评结论：\n{}", s.conclusion);
            if !s.missing.is_empty() {
                out!("\n尚缺（{}项）：", s.missing.len());
                for m in &s.missing {
                    out!("  {}", m.message);
                }
            }
            Ok(())
        }
        Command::History { assessment, point, json } => {
            let app = App::open(&db)?;
            let list = app.history(assessment, point.as_deref())?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                out!("没有修改记录。");
            }
            for h in list {
                let reverted = h.reverted_id.map(|r| format!("（撤销第{r}条）")).unwrap_or_default();
                out!("{}  {}  {}{}", h.id, h.at, h.change, reverted);
            }
            Ok(())
        }
        Command::Revert { assessment, change } => {
            let mut app = App::open(&db)?;
            for c in app.revert(assessment, change)? {
                out!("已撤销：{}", c.change);
            }
            Ok(())
        }
        Command::Freeze { assessment } => {
            let mut app = App::open(&db)?;
            let a = app.freeze(assessment)?;
            out!("评估{}已定稿（第{}版），现为只读。", a.id, a.revision);
            Ok(())
        }
        Command::Revise { assessment } => {
            let mut app = App::open(&db)?;
            let a = app.new_revision(assessment)?;
            out!("已为评估{}新建第{}版，可以继续修改。", a.id, a.revision);
            Ok(())
        }
        Command::Delete { assessment, yes } => {
            if !yes {
                return Err(AppError::invalid("删除不可恢复；确认删除请加 --yes。"));
            }
            let mut app = App::open(&db)?;
            app.delete_assessment(assessment)?;
            out!("已删除评估{assessment}。");
            Ok(())
        }
        Command::Statistics(cmd) => statistics::run(cmd, &db),
        Command::Package(cmd) => package::run(cmd, &db),
        Command::Backup(cmd) => backup::run(cmd, &db),
    }
}
