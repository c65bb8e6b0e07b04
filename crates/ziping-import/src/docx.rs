//! The tables of a Word document (.docx) as grids, so that the system reader reads an indicator
//! system from the notice's Word attachment exactly as from Excel.
//!
//! `word/document.xml` is read with quick-xml: every top-level `w:tbl` becomes one [`Grid`] named
//! "第N个表格". `w:gridSpan` (horizontal) and `w:vMerge` restart/continue (vertical) become merged
//! regions with the text only in the top-left cell, like a merged Excel range; `w:gridBefore`
//! shifts a row; paragraphs and `w:br` inside a cell become line breaks; deleted text
//! (`w:delText`) and field codes are left out; the text of a table nested in a cell is part of
//! that cell's text. Columns are named "第N列" in problems (a Word table has no column letters).

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::grid::{Grid, OpenFailure, Region};

/// Largest table read (rows × grid columns); a bigger one is cut (the rest is not a system table).
const MAX_CELLS: u64 = 200_000;
/// Largest `w:gridSpan` / `w:gridBefore` taken as such.
const MAX_SPAN: u32 = 64;

/// Whether the bytes are a Word document (a zip with `word/document.xml`).
pub(crate) fn is_docx(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"PK") {
        return false;
    }
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|z| z.index_for_name("word/document.xml").is_some())
        .unwrap_or(false)
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    let a = e.try_get_attribute("w:val").ok().flatten()?;
    a.normalized_value(XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

fn num(e: &BytesStart<'_>) -> u32 {
    val(e)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_SPAN)
}

#[derive(Clone, Copy, PartialEq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

struct TcCell {
    row: u32,
    col: u32,
    span: u32,
    vmerge: VMerge,
    text: String,
}

#[derive(Default)]
struct Table {
    cells: Vec<TcCell>,
}

impl Table {
    fn into_grid(self, name: String) -> Grid {
        // Vertical merges: a continue cell extends the region open in its column.
        let mut regions: Vec<Region> = Vec::new();
        let mut open: HashMap<u32, usize> = HashMap::new();
        let mut values: Vec<(u32, u32, String)> = Vec::new();
        for c in self.cells {
            let last_col = c.col + c.span - 1;
            if c.vmerge == VMerge::Continue {
                if let Some(&i) = open.get(&c.col) {
                    regions[i].1 .0 = c.row;
                    continue;
                }
            }
            for col in c.col..=last_col {
                open.remove(&col);
            }
            if c.vmerge != VMerge::None || c.span > 1 {
                regions.push(((c.row, c.col), (c.row, last_col)));
                if c.vmerge != VMerge::None {
                    open.insert(c.col, regions.len() - 1);
                }
            }
            if !c.text.is_empty() {
                values.push((c.row, c.col, c.text));
            }
        }
        regions.retain(|(a, b)| a != b);
        Grid::from_text_cells(name, values, &regions, true)
    }
}

/// Appends the text of a `w:t` / entity to the cell being read.
fn push_text(s: &mut Option<String>, t: &str) {
    if let Some(s) = s {
        s.push_str(t);
    }
}

fn tables<R: Read + Seek>(file: zip::read::ZipFile<'_, R>) -> Result<Vec<Grid>, OpenFailure> {
    let mut reader = Reader::from_reader(BufReader::new(file));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut depth = 0u32;
    let mut table = Table::default();
    let (mut row, mut col) = (0u32, 0u32);
    let mut in_row = false;
    // The cell being read (top-level table only).
    let mut cell: Option<TcCell> = None;
    let mut text: Option<String> = None;
    let mut in_t = false;
    let mut paragraphs = 0u32;
    loop {
        buf.clear();
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|_| OpenFailure::NotAWorkbook)?;
        match ev {
            Event::Start(e) | Event::Empty(e) if depth == 0 && e.name().as_ref() != "w:tbl" => {
                let _ = e;
            }
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => {
                    depth += 1;
                    if depth == 1 {
                        table = Table::default();
                        row = 0;
                    } else if let Some(t) = text.as_mut() {
                        if !t.is_empty() && !t.ends_with('\n') {
                            t.push('\n');
                        }
                    }
                }
                "w:tr" if depth == 1 => {
                    in_row = true;
                    col = 0;
                }
                "w:tc" if depth == 1 => {
                    cell = Some(TcCell {
                        row,
                        col,
                        span: 1,
                        vmerge: VMerge::None,
                        text: String::new(),
                    });
                    text = Some(String::new());
                    paragraphs = 0;
                }
                "w:p" if text.is_some() => {
                    if paragraphs > 0 {
                        push_text(&mut text, "\n");
                    }
                    paragraphs += 1;
                }
                "w:t" => in_t = true,
                "w:vMerge" | "w:gridSpan" | "w:gridBefore" => {
                    apply_prop(&e, depth, in_row, &mut cell, &mut col)
                }
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:br" | "w:cr" => push_text(&mut text, "\n"),
                "w:tab" => push_text(&mut text, " "),
                "w:vMerge" | "w:gridSpan" | "w:gridBefore" => {
                    apply_prop(&e, depth, in_row, &mut cell, &mut col)
                }
                "w:tc" if depth == 1 => col += 1,
                _ => {}
            },
            Event::Text(t) if in_t => push_text(&mut text, &t.xml10_content()),
            Event::GeneralRef(r) if in_t => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => None,
                    },
                };
                if let Some(c) = ch {
                    push_text(&mut text, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_t = false,
                "w:tc" if depth == 1 => {
                    if let Some(mut c) = cell.take() {
                        c.text = text.take().unwrap_or_default().trim().to_string();
                        col = c.col.saturating_add(c.span);
                        if u64::from(c.row + 1) * u64::from(col) <= MAX_CELLS {
                            table.cells.push(c);
                        }
                    }
                }
                "w:tr" if depth == 1 => {
                    in_row = false;
                    row = row.saturating_add(1);
                }
                "w:tbl" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        let name = format!("第{}个表格", out.len() + 1);
                        out.push(std::mem::take(&mut table).into_grid(name));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// `w:gridSpan` / `w:vMerge` of the current cell, `w:gridBefore` of the current row (top level).
fn apply_prop(
    e: &BytesStart<'_>,
    depth: u32,
    in_row: bool,
    cell: &mut Option<TcCell>,
    col: &mut u32,
) {
    if depth != 1 || !in_row {
        return;
    }
    match e.name().as_ref() {
        "w:gridBefore" if cell.is_none() => *col = col.saturating_add(num(e)),
        "w:gridSpan" => {
            if let Some(c) = cell {
                c.span = num(e);
            }
        }
        "w:vMerge" => {
            if let Some(c) = cell {
                c.vmerge = match val(e).as_deref() {
                    Some("restart") => VMerge::Restart,
                    _ => VMerge::Continue,
                };
            }
        }
        _ => {}
    }
}

/// Every top-level table of a .docx, as grids.
pub(crate) fn load(bytes: &[u8]) -> Result<Vec<Grid>, OpenFailure> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| OpenFailure::NotAWorkbook)?;
    let file = zip
        .by_name("word/document.xml")
        .map_err(|_| OpenFailure::NotAWorkbook)?;
    tables(file)
}
