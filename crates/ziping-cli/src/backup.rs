//! Backup subcommands: `backup` (into the backups folder, or `--to FILE`; `--list`) and `restore`.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use ziping_app::backup::backups_dir;
use ziping_app::{App, AppError};

use crate::print_json;

#[derive(Subcommand)]
pub enum BackupCommand {
    /// 备份工作区（SQLite 在线备份）：默认存入工作区旁的备份文件夹（保留最近10份），或 --to 指定文件；--list 列出已有备份
    Backup {
        /// 备份到此文件（不计入备份文件夹）
        #[arg(long, value_name = "FILE", conflicts_with = "list")]
        to: Option<PathBuf>,
        /// 列出备份文件夹中的备份（最新在前）
        #[arg(long)]
        list: bool,
        #[arg(long)]
        json: bool,
    },
    /// 从备份恢复工作区：先完整校验备份文件，并先备份当前内容
    Restore {
        /// 备份文件
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: BackupCommand, db: &Path) -> Result<(), AppError> {
    match cmd {
        BackupCommand::Backup { to, list, json } => {
            let mut app = App::open(db)?;
            if list {
                let backups = app.backups()?;
                if json {
                    return print_json(&backups);
                }
                if backups.is_empty() {
                    out!("还没有备份（备份文件夹：{}）。", backups_dir(app.path()).display());
                }
                for b in backups {
                    out!("{}  {}  {}  {}", b.created_at, b.reason_label, size(b.size), b.path);
                }
                return Ok(());
            }
            let info = match to {
                Some(file) => app.backup_to(&file)?,
                None => app.backup_now()?,
            };
            if json {
                return print_json(&info);
            }
            out!("已备份到“{}”（{}）。", info.path, size(info.size));
            Ok(())
        }
        BackupCommand::Restore { file, json } => {
            let mut app = App::open(db)?;
            let result = app.restore(&file)?;
            if json {
                return print_json(&result);
            }
            out!("{}", result.message);
            Ok(())
        }
    }
}

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1}MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{:.1}KB", bytes as f64 / 1024.0)
    }
}
