//! The raw cells of every sheet, with merged regions, as calamine reads them.
//!
//! calamine gives the merged regions of .xlsx and .xls; for .ods it gives none, so they are read
//! here from `content.xml` (`table:number-columns-spanned` / `table:number-rows-spanned`), counting
//! rows and columns the way calamine does (repeated rows and cells, covered cells).

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
    /// A table of a Word document: columns are named "第N列", not by letters.
    pub word_table: bool,
}

static EMPTY: Data = Data::Empty;

/// A merged region: (first row, first col), (last row, last col), absolute and 0-based.
pub(crate) type Region = ((u32, u32), (u32, u32));

/// Merged regions larger than this are ignored (a whole-sheet merge would only waste memory).
const MAX_MERGE_CELLS: u64 = 20_000;

impl Grid {
    /// A grid of text cells (absolute 0-based row, col) with merged regions, starting at A1.
    pub fn from_text_cells(
        name: String,
        cells: Vec<(u32, u32, String)>,
        regions: &[Region],
        word_table: bool,
    ) -> Grid {
        let range = Range::from_sparse(
            cells
                .into_iter()
                .map(|(r, c, t)| calamine::Cell::new((r, c), Data::String(t)))
                .collect(),
        );
        let mut grid = Grid {
            name,
            origin: range.start().unwrap_or((0, 0)),
            range,
            merged: HashMap::new(),
            wide: HashSet::new(),
            word_table,
        };
        grid.add_merges(regions);
        grid
    }

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
    std::thread::scope(|scope| {
        // The merged regions of an .xlsx are at the end of each sheet's XML: found by a quick scan
        // on the other core while calamine parses the cells (calamine's own reader would parse
        // every sheet a second time).
        let scan = matches!(wb, Sheets::Xlsx(_)).then(|| scope.spawn(|| xlsx::merges(bytes)));
        let mut out = Vec::with_capacity(names.len());
        for name in &names {
            let range = match wb.worksheet_range(name) {
                Ok(r) => r,
                Err(e) => return Err(OpenFailure::Sheet(name.clone(), e.to_string())),
            };
            out.push(Grid {
                name: name.clone(),
                origin: range.start().unwrap_or((0, 0)),
                range,
                merged: HashMap::new(),
                wide: HashSet::new(),
                word_table: false,
            });
        }
        let xlsx_merges = scan.and_then(|h| h.join().ok()).flatten();
        let mut ods_merges: Option<HashMap<String, Vec<Region>>> = None;
        for grid in &mut out {
            let name = grid.name.as_str();
            let regions: Vec<Region> = match &mut wb {
                Sheets::Xlsx(x) => match &xlsx_merges {
                    Some(m) => m.get(name).cloned().unwrap_or_default(),
                    None => x
                        .merge_cells_by_sheet_name(name)
                        .map(|v| v.into_iter().map(|d| (d.start, d.end)).collect())
                        .unwrap_or_default(),
                },
                Sheets::Xls(x) => x
                    .merge_cells_by_sheet_name(name)
                    .map(|v| v.into_iter().map(|d| (d.start, d.end)).collect())
                    .unwrap_or_default(),
                Sheets::Ods(_) => ods_merges
                    .get_or_insert_with(|| ods::merges(bytes))
                    .get(name)
                    .cloned()
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            grid.add_merges(&regions);
        }
        Ok(out)
    })
}

mod xlsx {
    //! Merged regions of an .xlsx by sheet name, without parsing the cells: the `<mergeCells>`
    //! element follows `<sheetData>`, so only the text after the last `sheetData` is searched.
    //! `None` when anything is unusual (the caller then asks calamine).

    use std::collections::HashMap;
    use std::io::{Cursor, Read};

    use quick_xml::events::Event;
    use quick_xml::{Reader, XmlVersion};

    use super::Region;

    fn entry(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
        let mut f = zip.by_name(name).ok()?;
        let mut v = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0).min(1 << 28));
        f.read_to_end(&mut v).ok()?;
        Some(v)
    }

    /// (attribute local name, value) of the start or empty elements with this local name.
    fn elements(xml: &[u8], local: &str) -> Option<Vec<Vec<(String, String)>>> {
        let mut r = Reader::from_reader(xml);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            buf.clear();
            match r.read_event_into(&mut buf).ok()? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == local => {
                    let mut attrs = Vec::new();
                    for a in e.attributes().flatten() {
                        let key = a.key.local_name().as_ref().to_string();
                        let v = a.normalized_value(XmlVersion::Implicit1_0).ok()?.into_owned();
                        attrs.push((key, v));
                    }
                    out.push(attrs);
                }
                Event::Eof => return Some(out),
                _ => {}
            }
        }
    }

    fn get<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
        attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
        hay.windows(needle.len()).rposition(|w| w == needle)
    }

    /// "B2" → (row 1, col 1).
    fn cell(s: &str) -> Option<(u32, u32)> {
        let split = s.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = s.split_at(split);
        if letters.is_empty() || letters.len() > 3 {
            return None;
        }
        let mut col = 0u32;
        for c in letters.chars() {
            if !c.is_ascii_uppercase() {
                return None;
            }
            col = col * 26 + (c as u32 - 'A' as u32 + 1);
        }
        let row: u32 = digits.parse().ok()?;
        Some((row.checked_sub(1)?, col - 1))
    }

    /// The `ref` values of the `mergeCell` elements after the cells.
    fn scan(sheet: &[u8]) -> Vec<Region> {
        let from = rfind(sheet, b"sheetData").unwrap_or(0);
        let tail = &sheet[from..];
        let Some(start) = tail.iter().position(|b| *b == b'>') else {
            return Vec::new();
        };
        let mut r = Reader::from_reader(&tail[start + 1..]);
        r.config_mut().check_end_names = false;
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            buf.clear();
            match r.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e))
                    if e.local_name().as_ref() == "mergeCell" =>
                {
                    let Some(a) = e.try_get_attribute("ref").ok().flatten() else {
                        continue;
                    };
                    let Ok(v) = a.normalized_value(XmlVersion::Implicit1_0) else {
                        continue;
                    };
                    let mut parts = v.split(':');
                    if let (Some(a), Some(b)) = (parts.next(), parts.next()) {
                        if let (Some(a), Some(b)) = (cell(a), cell(b)) {
                            out.push((a, b));
                        }
                    }
                }
                Ok(Event::Eof) | Err(_) => return out,
                _ => {}
            }
        }
    }

    pub(super) fn merges(bytes: &[u8]) -> Option<HashMap<String, Vec<Region>>> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let rels = elements(&entry(&mut zip, "xl/_rels/workbook.xml.rels")?, "Relationship")?;
        let targets: HashMap<&str, &str> = rels
            .iter()
            .filter_map(|a| Some((get(a, "Id")?, get(a, "Target")?)))
            .collect();
        let sheets = elements(&entry(&mut zip, "xl/workbook.xml")?, "sheet")?;
        let mut out = HashMap::new();
        for s in &sheets {
            let name = get(s, "name")?;
            let target = targets.get(get(s, "id")?)?;
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            let xml = entry(&mut zip, &path)?;
            out.insert(name.to_string(), scan(&xml));
        }
        Some(out)
    }

    #[cfg(test)]
    mod tests {
        use calamine::{open_workbook_auto_from_rs, Reader, Sheets};

        /// The scan finds what calamine's full parse finds, on real files.
        #[test]
        fn same_regions_as_calamine() {
            for bytes in [
                &include_bytes!("../tests/data/formats/messy.xlsx")[..],
                &include_bytes!("../tests/fixtures/system/scored.xlsx")[..],
                &include_bytes!("../tests/fixtures/system/rated.xlsx")[..],
            ] {
                let ours = super::merges(bytes).expect("scanned");
                let Ok(Sheets::Xlsx(mut x)) = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
                else {
                    panic!("xlsx")
                };
                let mut n = 0;
                for name in x.sheet_names() {
                    let theirs: Vec<_> = x
                        .merge_cells_by_sheet_name(&name)
                        .unwrap()
                        .into_iter()
                        .map(|d| (d.start, d.end))
                        .collect();
                    n += theirs.len();
                    assert_eq!(ours[&name], theirs, "{name}");
                }
                assert!(n > 0);
            }
        }

        #[test]
        fn cell_references() {
            assert_eq!(super::cell("A1"), Some((0, 0)));
            assert_eq!(super::cell("AB12"), Some((11, 27)));
            assert_eq!(super::cell("a1"), None);
            assert_eq!(super::cell("A0"), None);
            assert_eq!(
                super::scan(b"<sheetData><row><c><is><t>mergeCell ref=\"A1:B2\"</t></is></c></row></sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:C2\"/></mergeCells>"),
                vec![((0, 0), (1, 2))]
            );
        }
    }
}

mod ods {
    //! Merged regions of an OpenDocument spreadsheet, by table name.

    use std::collections::HashMap;
    use std::io::{BufReader, Cursor};

    use quick_xml::events::{BytesStart, Event};
    use quick_xml::{Reader, XmlVersion};

    use super::Region;

    fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
        let a = e.try_get_attribute(key).ok().flatten()?;
        a.normalized_value(XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    }

    fn count(e: &BytesStart<'_>, key: &str) -> u64 {
        attr(e, key)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|n| *n >= 1)
            .unwrap_or(1)
    }

    /// Every merged region of every table; an unreadable file gives none (calamine reports it).
    pub(super) fn merges(bytes: &[u8]) -> HashMap<String, Vec<Region>> {
        let mut out: HashMap<String, Vec<Region>> = HashMap::new();
        let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
            return out;
        };
        let Ok(file) = zip.by_name("content.xml") else {
            return out;
        };
        let mut reader = Reader::from_reader(BufReader::new(file));
        let mut buf = Vec::new();
        // Nesting depth of table:table (sub-tables inside cells are skipped).
        let mut depth = 0u32;
        let mut name = String::new();
        let (mut row, mut col) = (0u64, 0u64);
        let mut row_repeat = 1u64;
        loop {
            buf.clear();
            let (e, empty) = match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => (e, false),
                Ok(Event::Empty(e)) => (e, true),
                Ok(Event::End(e)) => {
                    match e.name().as_ref() {
                        "table:table" => depth = depth.saturating_sub(1),
                        "table:table-row" if depth == 1 => row = row.saturating_add(row_repeat),
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => continue,
            };
            match e.name().as_ref() {
                "table:table" => {
                    if empty {
                        continue;
                    }
                    depth += 1;
                    if depth == 1 {
                        name = attr(&e, "table:name").unwrap_or_default();
                        row = 0;
                    }
                }
                "table:table-row" if depth == 1 => {
                    row_repeat = count(&e, "table:number-rows-repeated");
                    col = 0;
                    if empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if depth == 1 => {
                    let repeat = count(&e, "table:number-columns-repeated");
                    let cols = count(&e, "table:number-columns-spanned");
                    let rows = count(&e, "table:number-rows-spanned");
                    if (cols > 1 || rows > 1) && e.name().as_ref() == "table:table-cell" {
                        let last_row = row.saturating_add(rows - 1);
                        let last_col = col.saturating_add(cols - 1);
                        if let (Ok(r0), Ok(c0), Ok(r1), Ok(c1)) = (
                            u32::try_from(row),
                            u32::try_from(col),
                            u32::try_from(last_row),
                            u32::try_from(last_col),
                        ) {
                            out.entry(name.clone()).or_default().push(((r0, c0), (r1, c1)));
                        }
                    }
                    col = col.saturating_add(repeat);
                }
                _ => {}
            }
        }
        out
    }
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
