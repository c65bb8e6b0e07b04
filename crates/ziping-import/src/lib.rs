//! # ziping-import: statistics workbooks in and out
//!
//! Why this crate exists: inspectors keep their statistics in Excel, in workbooks nobody designed
//! for a program — title rows, merged two-row headers, units in the headers, numbers typed as text,
//! 合计 rows. This crate reads such workbooks (.xlsx, .xls, .ods through calamine) into the typed
//! [`ziping_metrics::Tables`], keeping for every value the cell it came from, and reports **every**
//! problem at once, in Chinese, located to the cell. It also writes the template workbook
//! (rust_xlsxwriter) that the reader recognises best.
//!
//! * [`read_workbook`] / [`read_workbook_bytes`] → [`Import`]: the [`ImportPreview`] (detected
//!   tables, column mapping, row counts, problems) and the tables. A file that cannot be opened at
//!   all is an [`ImportError`]; everything else is a [`Problem`].
//! * [`template::write_template`] / [`template::template_bytes`]: the template.
//! * [`spec`]: the tables, columns, units and header synonyms (the one place to extend).
//! * [`system`]: indicator-system tables (一级指标 | 二级指标 | 测评点 | 分值 | 评分标准 | 佐证材料)
//!   in and out: preview, confirm, attach 测评点, export, template.
//!
//! What the reader accepts, without the user editing the file:
//! * tables recognised by sheet name or by their header set (any sheet order, extra sheets);
//! * title rows above the header (the header is searched in the first 30 rows);
//! * two-row headers with merged group cells ("在校学生数" over 合计/小学/初中/高中);
//! * units in headers — （㎡）, (万元), 【元】, "元/人", a bare suffix "万元" — converted to the
//!   stored unit (元 ↔ 万元 ↔ 亿元, ㎡ ↔ 万㎡); a unit of the wrong kind is an error;
//! * units declared in a title row above the header ("单位：万元", "金额单位：元", "面积单位：…")
//!   for the money and area columns whose header names none, converted the same way and shown in
//!   the preview (`ColumnMapping::unit_from`);
//! * header synonyms, shuffled and extra columns, stages in headers ("其中：小学在校生数");
//! * blank rows, footers ("填表人：…"), 合计/小计 rows (skipped; checked against the column sums);
//! * numbers stored as text, with thousands separators, full-width digits, spaces, a trailing unit
//!   word or %; codes kept as text exactly (a code stored as a number is a warning);
//! * vertically merged text cells (a school name over its classes).
//! * the same in .xlsx, .xls and .ods (merged regions of .ods read from its `content.xml`, which
//!   calamine does not expose); the format is recognised by content, not by the file name.
//!
//! An import is refused by the app when any problem is an error (see [`Severity`]).

mod docx;
mod guard;
pub mod grid;
pub mod norm;
pub mod problem;
pub mod read;
pub mod spec;
pub mod system;
pub mod template;

use std::path::Path;

use sha2::{Digest, Sha256};

pub use problem::{Problem, Severity};
pub use read::{ColumnMapping, DetectedTable, IgnoredSheet, Import, ImportPreview};
pub use spec::{FieldSpec, FieldType, Part, TableKind};
pub use guard::MAX_FILE_BYTES;
pub use template::{template_bytes, write_template};

/// A workbook that could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取文件“{path}”：{source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("文件“{file}”不是可读取的Excel或WPS表格文件（支持.xlsx、.xls、.ods），或文件已损坏。")]
    NotAWorkbook { file: String },
    #[error("文件“{file}”不是可读取的Excel、WPS表格或Word文件（支持.xlsx、.xls、.ods、.docx），或文件已损坏。")]
    NotATableFile { file: String },
    #[error("文件“{file}”的工作表“{sheet}”无法读取，文件内容可能已损坏；请用Excel或WPS表格打开后另存为，再导入（技术信息：{detail}）。")]
    Sheet {
        file: String,
        sheet: String,
        detail: String,
    },
    #[error("无法写入模板“{path}”：{detail}")]
    Write { path: String, detail: String },
    #[error("文件“{file}”是空的（0字节），不是表格文件。")]
    Empty { file: String },
    #[error("文件“{file}”有{}，超过了可导入的上限{}，未读取。请确认选择的是统计数据或指标体系表格文件。", guard::human(*.size), guard::human(*.limit))]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("文件“{file}”设有打开密码（已加密），无法读取。请在Excel或WPS表格中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后保存，再导入。")]
    Encrypted { file: String },
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a workbook file. The file name (not the directories) is used in problems and provenance.
pub fn read_workbook(path: &Path) -> Result<Import, ImportError> {
    let bytes = guard::read_file(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    read_workbook_bytes(&name, &bytes)
}

/// Reads a workbook given as bytes; `file` names it in problems and provenance.
pub fn read_workbook_bytes(file: &str, bytes: &[u8]) -> Result<Import, ImportError> {
    guard::check_bytes(file, bytes)?;
    let timing = std::env::var_os("ZIPING_IMPORT_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let sha = sha256_hex(bytes);
    // calamine parses untrusted bytes: a panic inside it must not take the application down.
    let loaded = std::panic::catch_unwind(|| grid::load(bytes))
        .unwrap_or(Err(grid::OpenFailure::NotAWorkbook));
    let t1 = std::time::Instant::now();
    let grids = loaded.map_err(|e| match e {
        grid::OpenFailure::NotAWorkbook => ImportError::NotAWorkbook {
            file: file.to_string(),
        },
        grid::OpenFailure::Sheet(sheet, detail) => ImportError::Sheet {
            file: file.to_string(),
            sheet,
            detail,
        },
    })?;
    let import = read::read_grids(file, &sha, &grids);
    if timing {
        eprintln!(
            "ZIPING_IMPORT_TIMING 读取工作簿（含合并单元格）{:.0} ms，识别与校验 {:.0} ms",
            (t1 - t0).as_secs_f64() * 1000.0,
            t1.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(import)
}
