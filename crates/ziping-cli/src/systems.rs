//! `ziping systems …`: list, import, attach, export, template, show, map.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use ziping_app::systems::{
    preview_system_import, systems_at, write_system_template, LibrarySystemInfo, SystemImportOutcome,
    SystemImportRequest,
};
use ziping_app::{App, AppError};
use ziping_core::Points;
use ziping_import::system::{parse_grades, parse_levels, parse_na, PreviewNode, SystemOptions, SystemPreview};
use ziping_import::Severity;

use crate::print_json;

/// Parsed once per run: the size difference between the variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum SystemsCommand {
    /// 从年度通知附件的指标体系表（.xlsx/.xls/.ods）导入：先显示识别结果和全部问题，有错误时不导入
    Import {
        /// 指标体系表文件
        file: PathBuf,
        /// 指标体系编号（同一体系各版本相同；默认由名称生成）
        #[arg(long)]
        id: Option<String>,
        /// 版本（默认年度）
        #[arg(long = "system-version")]
        system_version: Option<String>,
        /// 名称（默认表格上方的标题）
        #[arg(long)]
        name: Option<String>,
        /// 年度
        #[arg(long)]
        year: Option<i32>,
        /// 发布机关和文号
        #[arg(long)]
        issuer: Option<String>,
        /// 不是正式文件（显示为“示例”）
        #[arg(long)]
        unofficial: bool,
        /// 评分方式：points（分值评分）或 rated（等级评定）；默认按识别结果
        #[arg(long)]
        model: Option<String>,
        /// 总分（默认“合计”行或各测评点分值之和）
        #[arg(long)]
        total: Option<String>,
        /// 等级分数线，如“A≥90；B≥75；C≥60；D≥0”（默认按总分的90%、75%、60%）
        #[arg(long)]
        grades: Option<String>,
        /// 加分上限
        #[arg(long = "bonus-cap")]
        bonus_cap: Option<String>,
        /// 评定等级，如“完全落实；基本落实；未落实*”（*表示须说明）
        #[arg(long)]
        levels: Option<String>,
        /// 不适用选项，如“NA=不适用；不属于本级履行教育职责范围”，或“无”
        #[arg(long = "not-applicable")]
        not_applicable: Option<String>,
        /// 只预览，不写入
        #[arg(long = "dry-run")]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// 把表中的测评点按编号挂到已有指标体系的末级指标下（如国家2017版的38项测评内容），另存为新版本
    Attach {
        /// 已有指标体系的编号
        #[arg(long)]
        base: String,
        /// 已有指标体系的版本（默认最新）
        #[arg(long = "base-version")]
        base_version: Option<String>,
        /// 测评点表文件
        file: PathBuf,
        #[arg(long = "dry-run")]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// 把指标体系导出为 Excel 表（可再导入）
    Export {
        /// 指标体系编号
        id: String,
        /// 版本（默认最新）
        #[arg(long = "system-version")]
        system_version: Option<String>,
        /// 输出文件（.xlsx）
        file: PathBuf,
    },
    /// 生成空白的指标体系表模板（.xlsx）
    Template {
        /// 输出文件
        file: PathBuf,
    },
    /// 显示一个指标体系的全部指标
    Show {
        id: String,
        #[arg(long = "system-version")]
        system_version: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 两个版本之间按编码和名称对应末级指标（新年度评估沿用上年度时使用）
    Map {
        /// 原体系，“编号”或“编号@版本”
        #[arg(long)]
        from: String,
        /// 新体系，“编号”或“编号@版本”
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
}

fn points(what: &str, v: &Option<String>) -> Result<Option<Points>, AppError> {
    match v {
        None => Ok(None),
        Some(t) => Points::parse(t.trim())
            .map(Some)
            .ok_or_else(|| AppError::invalid(format!("{what}“{t}”不是有效的分值（最多两位小数）。"))),
    }
}

fn id_version(s: &str) -> (&str, Option<&str>) {
    match s.split_once('@') {
        Some((id, v)) => (id, Some(v)),
        None => (s, None),
    }
}

fn list(items: &[LibrarySystemInfo]) -> Result<(), AppError> {
    for s in items {
        let model = if s.info.model == "rated" { "等级评定" } else { "分值评分" };
        let origin = match s.origin.as_deref() {
            None => "内置".to_string(),
            Some("attach") => format!("挂接测评点，基于版本{}", s.base_version.as_deref().unwrap_or("?")),
            Some("edit") => format!("修订，基于版本{}", s.base_version.as_deref().unwrap_or("?")),
            Some(_) => format!("导入自“{}”", s.source_file.as_deref().unwrap_or("?")),
        };
        out!(
            "{}  {}（版本{}，{}，{}个分组、{}个测评点，{origin}）",
            s.info.id,
            s.info.display_name,
            s.info.version,
            model,
            s.info.groups,
            s.info.leaves
        );
    }
    Ok(())
}

fn tree(nodes: &[PreviewNode], depth: usize) -> Result<(), AppError> {
    for n in nodes {
        let score = n.max_score.map(|m| format!("（{m}分）")).unwrap_or_default();
        out!("{}{} {}{score}  [第{}行{}列]", "  ".repeat(depth + 1), n.code, n.title, n.row, n.col);
        tree(&n.children, depth + 1)?;
    }
    Ok(())
}

fn print_preview(p: &SystemPreview) -> Result<(), AppError> {
    out!("文件：{}（SHA-256：{}）", p.file, p.sha256);
    if p.sheet.is_empty() {
        out!("没有找到指标体系表。");
    } else {
        let rows: Vec<String> = p.header_rows.iter().map(u32::to_string).collect();
        out!("工作表“{}”，表头第{}行", p.sheet, rows.join("、"));
        for c in &p.columns {
            out!("  {}列 {} → {}", c.col, c.header, c.meaning);
        }
        if let Some(t) = &p.title {
            out!("标题：{t}");
        }
        out!("识别的评分方式：{}。{}", if p.model == "points" { "分值评分" } else { "等级评定" }, p.model_reason);
        if p.model == "points" {
            let total = p.declared_total.map(|t| format!("，合计行{t}分")).unwrap_or_default();
            out!("测评点分值之和{}分{total}", p.leaf_sum);
            let g: Vec<String> = p.suggested_grades.iter().map(|g| format!("{}≥{}", g.grade, g.min)).collect();
            out!("建议等级分数线：{}（可用 --grades 修改）", g.join("；"));
        } else {
            let l: Vec<&str> = p.levels.iter().map(|l| l.label.as_str()).collect();
            out!("评定等级：{}{}", l.join("、"), p.not_applicable.as_ref().map(|n| format!("，另有“{}”", n.label)).unwrap_or_default());
        }
        out!("共{}个一级指标、{}个测评点：", p.groups, p.leaves);
        tree(&p.tree, 0)?;
        if !p.bonus.is_empty() {
            let cap = p.bonus_cap.map(|c| format!("（上限{c}分）")).unwrap_or_default();
            out!("加分项{cap}：");
            for b in &p.bonus {
                let s = b.score.map(|s| format!("{s}分")).unwrap_or_else(|| "无分值".to_string());
                out!("  {} {}，{s}  [第{}行]", b.code, b.title, b.row);
            }
        }
        for n in &p.notes {
            out!("说明：{n}");
        }
    }
    Ok(())
}

fn print_outcome(o: &SystemImportOutcome) -> Result<(), AppError> {
    print_preview(&o.preview)?;
    if !o.problems.is_empty() {
        out!("问题（错误{}个，提示{}个）：", o.errors, o.warnings);
        for p in &o.problems {
            let tag = if p.severity == Severity::Error { "错误" } else { "提示" };
            out!("  [{tag}] {}", p.message);
        }
    }
    match (&o.saved, o.written, o.already_present) {
        (Some(s), true, _) => out!("已保存：{}  {}（版本{}，{}个测评点）。", s.info.id, s.info.name, s.info.version, s.info.leaves),
        (Some(s), false, true) => out!("工作区中已有相同内容：{}（版本{}），未重复保存。", s.info.id, s.info.version),
        _ if o.errors > 0 => out!("有错误，未导入。"),
        _ => {
            if let Some(s) = &o.system {
                out!("预览通过：将保存为 {}（版本{}）。去掉 --dry-run 即导入。", s.id, s.version);
            }
        }
    }
    Ok(())
}

pub fn run(cmd: Option<SystemsCommand>, list_json: bool, db: &Path) -> Result<(), AppError> {
    let Some(cmd) = cmd else {
        let items = systems_at(db)?;
        if list_json {
            return print_json(&items);
        }
        return list(&items);
    };
    match cmd {
        SystemsCommand::Import {
            file,
            id,
            system_version,
            name,
            year,
            issuer,
            unofficial,
            model,
            total,
            grades,
            bonus_cap,
            levels,
            not_applicable,
            dry_run,
            json,
        } => {
            let bad = |what: &str, m: String| AppError::invalid(format!("{what}：{m}。"));
            let (na, no_na) = match not_applicable.as_deref().map(parse_na) {
                None => (None, false),
                Some(Ok(Some(n))) => (Some(n), false),
                Some(Ok(None)) => (None, true),
                Some(Err(m)) => return Err(bad("--not-applicable", m)),
            };
            let options = SystemOptions {
                id,
                version: system_version,
                name,
                year,
                issuer,
                official: unofficial.then_some(false),
                model,
                total: points("总分", &total)?,
                grades: grades.as_deref().map(parse_grades).transpose().map_err(|m| bad("--grades", m))?,
                bonus_cap: points("加分上限", &bonus_cap)?,
                levels: levels.as_deref().map(parse_levels).transpose().map_err(|m| bad("--levels", m))?,
                not_applicable: na,
                no_not_applicable: no_na,
                ..SystemOptions::default()
            };
            // The preview first: a file that cannot be read at all is reported as such.
            preview_system_import(&file)?;
            let mut app = App::open(db)?;
            let req = SystemImportRequest { options, dry_run, expected_sha256: None };
            let outcome = match app.import_system(&file, &req) {
                Ok(o) => o,
                Err(e) if !json => return Err(e),
                Err(e) => {
                    // JSON callers get the structured problems too.
                    let o = app.import_system(&file, &SystemImportRequest { dry_run: true, ..req })?;
                    print_json(&o)?;
                    return Err(e);
                }
            };
            if json {
                return print_json(&outcome);
            }
            print_outcome(&outcome)
        }
        SystemsCommand::Attach { base, base_version, file, dry_run, json } => {
            let mut app = App::open(db)?;
            let outcome = match app.attach_points(&base, base_version.as_deref(), &file, dry_run) {
                Ok(o) => o,
                Err(e) if !json => return Err(e),
                Err(e) => {
                    let o = app.attach_points(&base, base_version.as_deref(), &file, true)?;
                    print_json(&o)?;
                    return Err(e);
                }
            };
            if json {
                return print_json(&outcome);
            }
            print_outcome(&outcome)
        }
        SystemsCommand::Export { id, system_version, file } => {
            let app = App::open(db)?;
            let s = app.export_system(&id, system_version.as_deref(), &file)?;
            out!("已导出《{}》（{}，版本{}）到“{}”。", s.name, s.id, s.version, file.display());
            Ok(())
        }
        SystemsCommand::Template { file } => {
            write_system_template(&file)?;
            out!("已生成指标体系表模板“{}”。", file.display());
            Ok(())
        }
        SystemsCommand::Show { id, system_version, json } => {
            let app = App::open(db)?;
            let s = app.system(&id, system_version.as_deref())?;
            if json {
                return print_json(&s);
            }
            out!("{}（{}，版本{}）", s.display_name(), s.id, s.version);
            fn walk(nodes: &[ziping_core::Node], depth: usize) -> Result<(), AppError> {
                for n in nodes {
                    let score = n.max_score.map(|m| format!("（{m}分）")).unwrap_or_default();
                    out!("{}{} {}{score}", "  ".repeat(depth + 1), n.code, n.title);
                    walk(&n.children, depth + 1)?;
                }
                Ok(())
            }
            walk(&s.children, 0)
        }
        SystemsCommand::Map { from, to, json } => {
            let app = App::open(db)?;
            let m = app.leaf_mapping(id_version(&from), id_version(&to))?;
            if json {
                return print_json(&m);
            }
            out!("{}（版本{}） → {}（版本{}）：对应{}项", m.from_id, m.from_version, m.to_id, m.to_version, m.pairs.len());
            for p in &m.pairs {
                let by = match p.by.as_str() {
                    "code_and_title" => "编码和名称相同",
                    "title" => "名称相同",
                    _ => "编码相同",
                };
                out!("  {} {} → {} {}（{by}）", p.from.code, p.from.title, p.to.code, p.to.title);
            }
            for l in &m.unmatched_from {
                out!("  原有 {} {}：新版本中没有对应项", l.code, l.title);
            }
            for l in &m.unmatched_to {
                out!("  新增 {} {}", l.code, l.title);
            }
            Ok(())
        }
    }
}
