//! Showing an evidence file with the system viewer.
//!
//! The stored file is named by its SHA-256 and has no extension, so no viewer would know what it
//! is; and the viewer must never be able to change the stored file. [`App::evidence_view_copy`]
//! therefore copies it, under the name it was added with, into a folder of the system's temporary
//! directory and marks the copy read-only; the shell opens that copy. Also: [`doc_no_preview`], the
//! 文号 as it will be stored, shown in the metadata form while typing.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorCode};
use crate::service::App;

/// A 文号 as it will be stored, for the metadata form to show while the user types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DocNoPreview {
    /// The normalised form (机关代字〔年份〕序号号), or the input as typed when unreadable.
    pub text: String,
    /// Not readable as a 文号: kept as typed and flagged.
    pub flagged: bool,
}

/// The normalised form of a 文号 (see `ziping_core::docno`).
pub fn doc_no_preview(input: &str) -> DocNoPreview {
    let d = ziping_core::docno::normalize(input);
    DocNoPreview {
        text: d.text().to_string(),
        flagged: !input.trim().is_empty() && d.is_flagged(),
    }
}

/// A file name safe on every system: no folders, no reserved characters, not empty.
fn safe_name(name: &str, sha256: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').to_string();
    if cleaned.is_empty() {
        format!("{}.bin", &sha256[..sha256.len().min(16)])
    } else {
        cleaned
    }
}

impl App {
    /// A read-only copy of an item's file, named as it was added, for the system viewer.
    pub fn evidence_view_copy(&self, id: i64) -> Result<PathBuf, AppError> {
        let item = self.workspace().evidence_item(id)?;
        let src = self.workspace().evidence_file(id)?;
        let title = &item.meta.title;
        if !src.is_file() {
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!("佐证材料《{title}》的文件已丢失，请在“佐证材料”页点击“校验”查看详情。"),
            ));
        }
        let io = |what: &str, e: std::io::Error| {
            AppError::new(
                ErrorCode::Io,
                format!("无法打开佐证材料《{title}》：{what}失败（{e}）。"),
            )
        };
        let dir = std::env::temp_dir()
            .join("ziping-view")
            .join(&item.sha256[..item.sha256.len().min(16)]);
        std::fs::create_dir_all(&dir).map_err(|e| io("创建临时文件夹", e))?;
        let dest = dir.join(safe_name(&item.file_name, &item.sha256));
        let current = std::fs::metadata(&dest).ok().map(|m| m.len());
        if current != Some(item.size) {
            if current.is_some() {
                let mut perms = std::fs::metadata(&dest)
                    .map_err(|e| io("读取临时副本", e))?
                    .permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                perms.set_readonly(false);
                std::fs::set_permissions(&dest, perms).map_err(|e| io("替换临时副本", e))?;
            }
            std::fs::copy(&src, &dest).map_err(|e| io("复制文件", e))?;
            let mut perms = std::fs::metadata(&dest)
                .map_err(|e| io("读取临时副本", e))?
                .permissions();
            perms.set_readonly(true);
            std::fs::set_permissions(&dest, perms).map_err(|e| io("设置只读", e))?;
        }
        Ok(dest)
    }
}

#[cfg(test)]
mod tests {
    use super::{doc_no_preview, safe_name};

    #[test]
    fn doc_no_is_previewed_normalised_or_flagged() {
        let p = doc_no_preview("示教发[2024]3号");
        assert_eq!((p.text.as_str(), p.flagged), ("示教发〔2024〕3号", false));
        let p = doc_no_preview("见附件");
        assert_eq!((p.text.as_str(), p.flagged), ("见附件", true));
        assert!(!doc_no_preview("  ").flagged);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(
            safe_name("关于印发《方案》的通知.pdf", "ab"),
            "关于印发《方案》的通知.pdf"
        );
        assert_eq!(safe_name("a/b\\c:d.pdf", "ab"), "a_b_c_d.pdf");
        assert_eq!(
            safe_name(" .. ", "0123456789abcdef0123"),
            "0123456789abcdef.bin"
        );
    }
}
