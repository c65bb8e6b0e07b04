//! The raw cells of every sheet, with merged regions, as calamine reads them.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Range, Reader, Sheets};

/// One sheet: cells addressed by absolute 0-based (row, col).
#[derive(Debug)]
pub(crate) struct Grid {
    pub name: String,
    /// Absolute position of the range's first cell.
    pub origin: (u32, u32),
    /// The used range as calamine returns it (relative positions).
    pub range: Range<Data>,
    /// Covered cell → the top-left cell of its merged region.
    merged: HashMap<(u32, u32), (u32, u32)>,
    /// Cells (including the top-left) of merged regions wider than one column.
    wide: HashSet<(u32, u32)>,
}

static EMPTY: Data = Data::Empty;

/// A merged region: (first row, first col), (last row, last col), absolute and 0-based.
type Region = ((u32, u32), (u32, u32));

/// Merged regions larger than this are ignored (a whole-sheet merge would only waste memory).
const MAX_MERGE_CELLS: u64 = 20_000;

impl Grid {
    /// First absolute row.
    pub fn first_row(&self) -> u32 {
        self.origin.0
    }

    /// One past the last absolute row.
    pub fn end_row(&self) -> u32 {
        self.origin.0.saturating_add(self.range.height() as u32)
    }

    /// One past the last absolute column.
    pub fn end_col(&self) -> u32 {
        let w = self.range.width();
        self.origin.1.saturating_add(w as u32)
    }

    /// The cell itself (empty when outside the range).
    pub fn get(&self, row: u32, col: u32) -> &Data {
        if row < self.origin.0 || col < self.origin.1 {
            return &EMPTY;
        }
        let r = (row - self.origin.0) as usize;
        let c = (col - self.origin.1) as usize;
        self.range.get((r, c)).unwrap_or(&EMPTY)
    }

    /// The cell, or for an empty cell covered by a merged region the region's top-left value.
    pub fn filled(&self, row: u32, col: u32) -> &Data {
        let d = self.get(row, col);
        if matches!(d, Data::Empty) {
            if let Some((r, c)) = self.merged.get(&(row, col)) {
                return self.get(*r, *c);
            }
        }
        d
    }

    /// Whether the cell belongs to a merged region spanning more than one column.
    pub fn in_wide_merge(&self, row: u32, col: u32) -> bool {
        self.wide.contains(&(row, col))
    }

    pub fn is_empty(&self) -> bool {
        self.range.used_cells().next().is_none()
    }

    fn add_merges(&mut self, regions: &[Region]) {
        for &((r0, c0), (r1, c1)) in regions {
            if r1 < r0 || c1 < c0 {
                continue;
            }
            let n = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
            if n > MAX_MERGE_CELLS {
                continue;
            }
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) {
                        self.merged.insert((r, c), (r0, c0));
                    }
                    if c1 > c0 {
                        self.wide.insert((r, c));
                    }
                }
            }
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OpenFailure {
    NotAWorkbook,
    Sheet(String, String),
}

/// Reads every sheet of an .xlsx, .xls, .xlsb or .ods file given as bytes.
pub(crate) fn load(bytes: &[u8]) -> Result<Vec<Grid>, OpenFailure> {
    let mut wb =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| OpenFailure::NotAWorkbook)?;
    let names = wb.sheet_names();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => return Err(OpenFailure::Sheet(name, e.to_string())),
        };
        let origin = range.start().unwrap_or((0, 0));
        let mut grid = Grid {
            name: name.clone(),
            origin,
            range,
            merged: HashMap::new(),
            wide: HashSet::new(),
        };
        let regions: Vec<Region> = match &mut wb {
            Sheets::Xlsx(x) => x
                .merge_cells_by_sheet_name(&name)
                .map(|v| v.into_iter().map(|d| (d.start, d.end)).collect())
                .unwrap_or_default(),
            Sheets::Xls(x) => x
                .merge_cells_by_sheet_name(&name)
                .map(|v| v.into_iter().map(|d| (d.start, d.end)).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        grid.add_merges(&regions);
        out.push(grid);
    }
    Ok(out)
}

/// A cell as text, for messages and text fields: numbers without a trailing ".0".
pub(crate) fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => dt.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
    }
}

/// A float as Excel would show it in General format, without exponent for integers.
pub(crate) fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e17 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}
