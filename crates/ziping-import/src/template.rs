//! The template workbook: a 说明 sheet, then one sheet per table with the Chinese headers (units
//! included), drop-down lists for categorical columns, one example row, a frozen header row and
//! column widths.

use std::path::Path;

use rust_xlsxwriter::{
    Color, DataValidation, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::spec::{FieldSpec, FieldType, TableKind};
use crate::ImportError;

/// Rows (below the header) that the drop-down lists cover.
const VALIDATION_ROWS: u32 = 5_000;

/// One template column: the header written and the field it fills.
struct TemplateColumn {
    header: String,
    field: &'static FieldSpec,
    example: String,
    width: f64,
}

fn columns(kind: TableKind) -> Vec<TemplateColumn> {
    let mut out = Vec::new();
    for fs in kind.fields() {
        if !fs.in_template {
            continue;
        }
        out.push(TemplateColumn {
            header: fs.header.to_string(),
            field: fs,
            example: fs.example.to_string(),
            width: fs.width,
        });
        if fs.key == "students" && fs.by_stage {
            for (stage, example) in [("小学", fs.example), ("初中", ""), ("高中", "")] {
                out.push(TemplateColumn {
                    header: format!("其中：{stage}在校生数（人）"),
                    field: fs,
                    example: example.to_string(),
                    width: 12.0,
                });
            }
        }
    }
    out
}

/// The template's headers of one table, in order (for tests and documentation).
pub fn template_headers(kind: TableKind) -> Vec<String> {
    columns(kind).into_iter().map(|c| c.header).collect()
}

fn build(wb: &mut Workbook) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let required_head = head.clone().set_font_color(Color::RGB(0xC00000));
    let as_text = Format::new().set_num_format("@");
    let example_fmt = Format::new().set_font_color(Color::RGB(0x7F7F7F));
    let example_text = example_fmt.clone().set_num_format("@");

    // 说明.
    let notes = wb.add_worksheet();
    notes.set_name("说明")?;
    notes.set_column_width(0, 110)?;
    let mut row = 0;
    notes.write_string_with_format(row, 0, "履职自评统计数据模板（填写说明）", &title)?;
    row += 2;
    for line in [
        "1. 每张工作表对应一张统计表，请勿修改工作表名称和表头文字；可以增加列（例如“序号”），导入时不使用。",
        "2. 第2行为示例，请改写或删除。红色表头为必填列；带“（㎡）”“（万元）”“（元）”等的列按括号内单位填写。",
        "3. 学校类型、办学性质、城乡类别、学段等列请从下拉列表中选择。学校标识码请按文本填写，保留前导0。",
        "4. 数字可带千位分隔符；不要在数字单元格中填写文字说明，说明请写在“备注”列。",
        "5. 合计行可以保留：导入时会跳过合计行，并核对合计与各行之和是否一致。",
        "6. 导入前会先预览识别出的表、列和全部问题，确认无误后才写入工作区。",
    ] {
        notes.write_string_with_format(row, 0, line, &wrap)?;
        row += 1;
    }
    row += 1;
    for kind in TableKind::ALL {
        notes.write_string_with_format(row, 0, kind.title(), &bold)?;
        row += 1;
        notes.write_string_with_format(row, 0, kind.note(), &wrap)?;
        row += 1;
        notes.write_string_with_format(
            row,
            0,
            format!("列：{}", template_headers(kind).join("｜")),
            &wrap,
        )?;
        row += 2;
    }

    for kind in TableKind::ALL {
        let ws: &mut Worksheet = wb.add_worksheet();
        ws.set_name(kind.title())?;
        let cols = columns(kind);
        ws.set_row_height(0, 36)?;
        for (i, c) in cols.iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(u16::MAX);
            let fmt = if c.field.required {
                &required_head
            } else {
                &head
            };
            ws.write_string_with_format(0, col, &c.header, fmt)?;
            ws.set_column_width(col, c.width)?;
            if c.field.ty == FieldType::Id {
                ws.set_column_format(col, &as_text)?;
            }
            let list = c.field.ty.choices();
            if !list.is_empty() {
                let dv = DataValidation::new()
                    .allow_list_strings(list)?
                    .set_input_title("请选择")?
                    .set_input_message(format!("可选：{}", list.join("、")))?;
                ws.add_data_validation(1, col, VALIDATION_ROWS, col, &dv)?;
            }
            if c.example.is_empty() {
                continue;
            }
            let numeric = c.field.ty.is_numeric() || c.field.ty == FieldType::Year;
            match c.example.parse::<f64>() {
                Ok(v) if numeric => {
                    ws.write_number_with_format(1, col, v, &example_fmt)?;
                }
                _ => {
                    let f = if c.field.ty == FieldType::Id {
                        &example_text
                    } else {
                        &example_fmt
                    };
                    ws.write_string_with_format(1, col, &c.example, f)?;
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    Ok(())
}

/// The template workbook as .xlsx bytes.
pub fn template_bytes() -> Result<Vec<u8>, ImportError> {
    let mut wb = Workbook::new();
    build(&mut wb)
        .and_then(|()| wb.save_to_buffer())
        .map_err(|e| ImportError::Write {
            path: String::new(),
            detail: e.to_string(),
        })
}

/// Writes the template workbook to `path` (.xlsx).
pub fn write_template(path: &Path) -> Result<(), ImportError> {
    let bytes = template_bytes()?;
    std::fs::write(path, bytes).map_err(|e| ImportError::Write {
        path: path.display().to_string(),
        detail: e.to_string(),
    })
}
