//! Evidence and package subcommands: `evidence add|list|edit|link|unlink|delete|verify`, `export`,
//! `import`.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use ziping_app::{
    App, AppError, ErrorCode, EvidenceFilter, EvidenceInput, EvidenceItem, EvidenceLinkEdit, PackageImportOptions,
};

use crate::print_json;

#[derive(Subcommand)]
pub enum PackageCommand {
    /// 佐证材料：添加、列出、修改、关联、取消关联、删除、校验
    Evidence {
        #[command(subcommand)]
        command: EvidenceCommand,
    },
    /// 导出数据包（--out FILE.zpk：一个评估或 --all 整个工作区，含全部佐证材料），
    /// 或导出一个评估的自查报告与自评表（--pdf / --docx / --xlsx）
    Export {
        /// 评估编号
        #[arg(long, conflicts_with = "all")]
        assessment: Option<i64>,
        /// 导出整个工作区（仅数据包）
        #[arg(long)]
        all: bool,
        /// 数据包输出文件，如“示例县2024.zpk”
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        report: crate::report::ReportArgs,
        #[arg(long)]
        json: bool,
    },
    /// 导入数据包（.zpk）：先完整校验；已有的评估按测评点合并
    Import {
        /// 数据包文件
        file: PathBuf,
        /// 双方都修改过的测评点保留哪一方：mine（本机）或 theirs（包中）
        #[arg(long, value_enum)]
        prefer: Option<Prefer>,
        /// 只校验并显示将做的修改，不写入
        #[arg(long = "dry-run")]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Prefer {
    Mine,
    Theirs,
}

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// 添加文件（可多个）；同一内容只存一份
    Add {
        /// 文件
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 标题（默认取文件名）
        #[arg(long)]
        title: Option<String>,
        /// 类型：文件、会议纪要、台账、统计表、照片、证书、其他
        #[arg(long, default_value = "")]
        kind: String,
        /// 发文机关
        #[arg(long, default_value = "")]
        issuer: String,
        /// 文号，如“示政发〔2024〕12号”
        #[arg(long = "doc-no", default_value = "")]
        doc_no: String,
        /// 日期，如 2024-03-15
        #[arg(long, default_value = "")]
        date: String,
        /// 备注
        #[arg(long, default_value = "")]
        note: String,
        /// 同时关联到该评估的测评点（与 --point 一起使用）
        #[arg(long, requires = "point")]
        assessment: Option<i64>,
        #[arg(long, requires = "assessment")]
        point: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 列出佐证材料
    List {
        /// 按标题、发文机关、文号、文件名搜索
        #[arg(long)]
        query: Option<String>,
        /// 按类型筛选
        #[arg(long)]
        kind: Option<String>,
        /// 只看关联到该评估的
        #[arg(long)]
        assessment: Option<i64>,
        /// 只看关联到该测评点的（与 --assessment 一起使用）
        #[arg(long, requires = "assessment")]
        point: Option<String>,
        /// 只看未关联的
        #[arg(long)]
        unlinked: bool,
        #[arg(long)]
        json: bool,
    },
    /// 修改佐证材料的信息（未给出的保持不变）
    Edit {
        /// 佐证材料编号
        id: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long = "doc-no")]
        doc_no: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 把佐证材料关联到测评点
    Link {
        id: i64,
        #[arg(long)]
        assessment: i64,
        #[arg(long)]
        point: String,
        #[arg(long)]
        json: bool,
    },
    /// 取消佐证材料与测评点的关联
    Unlink {
        id: i64,
        #[arg(long)]
        assessment: i64,
        #[arg(long)]
        point: String,
        #[arg(long)]
        json: bool,
    },
    /// 删除未关联的佐证材料（连同其文件）
    Delete {
        id: i64,
        /// 确认删除
        #[arg(long)]
        yes: bool,
    },
    /// 重新计算每份佐证文件的校验值，报告丢失或被改动的文件；有问题时退出码为1
    Verify {
        #[arg(long)]
        json: bool,
    },
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1}MB", bytes as f64 / (1u64 << 20) as f64)
    } else if bytes >= 1 << 10 {
        format!("{:.1}KB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes}字节")
    }
}

fn line(e: &EvidenceItem) -> String {
    let mut s = format!("{}  【{}】《{}》", e.id, e.kind_label, e.title);
    if !e.issuer.is_empty() {
        s.push_str(&format!("  {}", e.issuer));
    }
    if !e.doc_no.is_empty() {
        s.push_str(&format!("  {}", e.doc_no));
        if e.doc_no_flagged {
            s.push_str("（文号格式无法识别）");
        }
    }
    if !e.date.is_empty() {
        s.push_str(&format!("  {}", e.date));
    }
    s.push_str(&format!("  {}，{}…", size_text(e.size), &e.sha256[..12.min(e.sha256.len())]));
    if e.links.is_empty() {
        s.push_str("  未关联");
    } else {
        let l: Vec<String> = e.links.iter().map(|l| format!("评估{}{}", l.assessment, l.point_label)).collect();
        s.push_str(&format!("  关联：{}", l.join("、")));
    }
    s
}

pub fn run(cmd: PackageCommand, db: &Path) -> Result<(), AppError> {
    match cmd {
        PackageCommand::Evidence { command } => evidence(command, db),
        PackageCommand::Export { assessment, all, out, report, json } => {
            if report.wanted() {
                if out.is_some() || all {
                    return Err(AppError::invalid(
                        "--out/--all（导出数据包）不能与 --pdf/--docx/--xlsx（导出报告）同时使用，请分两次导出。",
                    ));
                }
                let Some(id) = assessment else {
                    return Err(AppError::invalid("导出报告需要用 --assessment 指定评估编号（见 ziping list）。"));
                };
                return crate::report::run(report, id, db, json);
            }
            let Some(out) = out else {
                return Err(AppError::invalid(
                    "请指定导出内容：--out FILE.zpk 导出数据包，或 --pdf/--docx/--xlsx FILE 导出自查报告和自评表。",
                ));
            };
            if assessment.is_none() && !all {
                return Err(AppError::invalid("请用 --assessment 指定评估，或用 --all 导出整个工作区。"));
            }
            let mut app = App::open(db)?;
            let r = app.export_package(assessment, &out)?;
            if json {
                return print_json(&r);
            }
            out!(
                "已导出到“{}”：评估{}个，佐证材料{}份，共{}。",
                r.path.display(),
                r.assessments,
                r.evidence,
                size_text(r.bytes)
            );
            Ok(())
        }
        PackageCommand::Import { file, prefer, dry_run, json } => {
            let mut app = App::open(db)?;
            if dry_run {
                let p = app.preview_package(&file)?;
                if json {
                    return print_json(&p);
                }
                out!("数据包“{}”校验通过（{}创建）。", file.display(), p.created_at);
                for a in &p.assessments {
                    match a.local_id {
                        None => out!("  {}{}年度：将新建。", a.region, a.year),
                        Some(id) => out!(
                            "  {}{}年度（本机评估{id}）：采用包中{}处，保留本机{}处，冲突{}处。",
                            a.region,
                            a.year,
                            a.take.len(),
                            a.keep.len(),
                            a.conflicts.len()
                        ),
                    }
                    for c in &a.conflicts {
                        out!("    冲突 {}：本机“{}”；包中“{}”", c.label, c.mine, c.theirs);
                    }
                }
                out!("佐证材料：新增{}份，已有{}份。", p.evidence_new, p.evidence_known);
                return Ok(());
            }
            let options = PackageImportOptions {
                prefer: prefer.map(|p| match p {
                    Prefer::Mine => "mine".to_string(),
                    Prefer::Theirs => "theirs".to_string(),
                }),
                choices: Vec::new(),
            };
            let r = app.import_package(&file, &options).map_err(|e| {
                if e.code == ErrorCode::Conflict {
                    AppError::new(e.code, format!("{}请用 --prefer mine 或 --prefer theirs 选择。", e.message))
                } else {
                    e
                }
            })?;
            if json {
                return print_json(&r);
            }
            out!("{}", r.message);
            Ok(())
        }
    }
}

fn evidence(cmd: EvidenceCommand, db: &Path) -> Result<(), AppError> {
    match cmd {
        EvidenceCommand::Add { files, title, kind, issuer, doc_no, date, note, assessment, point, json } => {
            let mut app = App::open(db)?;
            let mut added = Vec::new();
            for f in &files {
                let input = EvidenceInput {
                    title: title.clone().unwrap_or_default(),
                    kind: kind.clone(),
                    issuer: issuer.clone(),
                    doc_no: doc_no.clone(),
                    date: date.clone(),
                    note: note.clone(),
                };
                let mut a = app.add_evidence(f, &input)?;
                if let (Some(assessment), Some(point)) = (assessment, point.clone()) {
                    app.link_evidence(&EvidenceLinkEdit { evidence: a.item.id, assessment, point })?;
                    a.item = app.evidence_item(a.item.id)?;
                }
                added.push(a);
            }
            if json {
                return print_json(&added);
            }
            for a in &added {
                let what = if a.already_stored { "已存在（内容相同，未重复保存）" } else { "已添加" };
                out!("{what}：{}", line(&a.item));
            }
            Ok(())
        }
        EvidenceCommand::List { query, kind, assessment, point, unlinked, json } => {
            let app = App::open(db)?;
            let list = app.evidence_list(&EvidenceFilter { query, kind, assessment, point, unlinked })?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                out!("没有佐证材料。");
            }
            for e in &list {
                out!("{}", line(e));
            }
            Ok(())
        }
        EvidenceCommand::Edit { id, title, kind, issuer, doc_no, date, note, json } => {
            let mut app = App::open(db)?;
            let cur = app.evidence_item(id)?;
            let input = EvidenceInput {
                title: title.unwrap_or(cur.title),
                kind: kind.unwrap_or(cur.kind),
                issuer: issuer.unwrap_or(cur.issuer),
                doc_no: doc_no.unwrap_or(cur.doc_no),
                date: date.unwrap_or(cur.date),
                note: note.unwrap_or(cur.note),
            };
            let e = app.update_evidence(id, &input)?;
            if json {
                return print_json(&e);
            }
            out!("已保存：{}", line(&e));
            Ok(())
        }
        EvidenceCommand::Link { id, assessment, point, json } => {
            let mut app = App::open(db)?;
            let rows = app.link_evidence(&EvidenceLinkEdit { evidence: id, assessment, point })?;
            if json {
                return print_json(&rows);
            }
            if rows.is_empty() {
                out!("已经关联，未做修改。");
            }
            for h in rows {
                out!("已保存：{}", h.change);
            }
            Ok(())
        }
        EvidenceCommand::Unlink { id, assessment, point, json } => {
            let mut app = App::open(db)?;
            let rows = app.unlink_evidence(&EvidenceLinkEdit { evidence: id, assessment, point })?;
            if json {
                return print_json(&rows);
            }
            if rows.is_empty() {
                out!("原本就未关联，未做修改。");
            }
            for h in rows {
                out!("已保存：{}", h.change);
            }
            Ok(())
        }
        EvidenceCommand::Delete { id, yes } => {
            if !yes {
                return Err(AppError::invalid("删除不可恢复；确认删除请加 --yes。"));
            }
            let mut app = App::open(db)?;
            let e = app.evidence_item(id)?;
            app.delete_evidence(id)?;
            out!("已删除佐证材料《{}》。", e.title);
            Ok(())
        }
        EvidenceCommand::Verify { json } => {
            let app = App::open(db)?;
            let r = app.verify_evidence()?;
            if json {
                print_json(&r)?;
            } else {
                for p in &r.problems {
                    out!("{}", p.message);
                }
                out!("共校验{}份佐证材料，{}份完好，{}份有问题。", r.checked, r.ok, r.problems.len());
            }
            if r.problems.is_empty() {
                Ok(())
            } else {
                Err(AppError::new(
                    ErrorCode::Io,
                    format!("{}份佐证材料的文件丢失或被改动，请从备份恢复或重新添加。", r.problems.len()),
                ))
            }
        }
    }
}
