//! Provenance: where every input value came from.
//!
//! Inspectors sign the figures, and the on-site check asks "where does 0.5312 come from?". So
//! every value a figure uses is a [`Cell`]: the value plus the workbook cell it was read from
//! ([`CellRef`]). A figure lists the cells of all its inputs (see `Figure::inputs`).

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One cell of an imported workbook: file name, sheet name, 1-based row and column letters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellRef {
    pub file: String,
    pub sheet: String,
    /// 1-based row number, as Excel shows it.
    pub row: u32,
    /// Column letters, as Excel shows them ("F", "AB").
    pub col: String,
}

impl CellRef {
    pub fn new(
        file: impl Into<String>,
        sheet: impl Into<String>,
        row: u32,
        col: impl Into<String>,
    ) -> CellRef {
        CellRef {
            file: file.into(),
            sheet: sheet.into(),
            row,
            col: col.into(),
        }
    }

    /// The A1-style address within the sheet: "F12".
    pub fn a1(&self) -> String {
        format!("{}{}", self.col, self.row)
    }
}

/// "学校基本情况.xlsx／学校基本情况表!F12"
impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}／{}!{}{}", self.file, self.sheet, self.col, self.row)
    }
}

/// A value with the cell it was read from (`None` for values typed in or derived by hand).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell<T> {
    pub value: T,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<CellRef>,
}

impl<T> Cell<T> {
    /// A value without provenance.
    pub fn new(value: T) -> Cell<T> {
        Cell { value, at: None }
    }

    /// A value read from `at`.
    pub fn from_cell(value: T, at: CellRef) -> Cell<T> {
        Cell {
            value,
            at: Some(at),
        }
    }
}

impl<T> From<T> for Cell<T> {
    fn from(value: T) -> Cell<T> {
        Cell::new(value)
    }
}

/// Collects the provenance of the cells a figure uses, without duplicates, in first-use order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Inputs {
    list: Vec<CellRef>,
    seen: HashSet<CellRef>,
}

impl Inputs {
    fn push(&mut self, at: &CellRef) {
        if self.seen.insert(at.clone()) {
            self.list.push(at.clone());
        }
    }

    pub(crate) fn add<T>(&mut self, cell: &Cell<T>) {
        if let Some(at) = &cell.at {
            self.push(at);
        }
    }

    pub(crate) fn add_opt<T>(&mut self, cell: Option<&Cell<T>>) {
        if let Some(c) = cell {
            self.add(c);
        }
    }

    pub(crate) fn extend(&mut self, other: &[CellRef]) {
        for at in other {
            self.push(at);
        }
    }

    pub(crate) fn into_vec(self) -> Vec<CellRef> {
        self.list
    }
}
