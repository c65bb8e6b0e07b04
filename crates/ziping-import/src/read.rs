//! Reading a statistics workbook into the typed [`Tables`], with every problem at once.
//!
//! Per sheet: find the header (one row, or two rows with merged group cells, below any title
//! rows), decide which table it is (by its header set; the sheet name breaks ties and explains a
//! missing header), map every column to a field (synonyms, units, stages), then read the data rows:
//! blank rows and footers are skipped, 合计/小计 rows are skipped and checked against the column
//! sums, and each cell is read by its field's type.

use std::collections::HashMap;

use calamine::Data;
use serde::{Deserialize, Serialize};
use ziping_metrics::tables::{
    ByStage, ClassRow, FinanceYear, Locality, Ownership, Preschool, Satisfaction, School,
    SchoolKind, ScoreScale, SpecialGroups, Stage, TeacherPay,
};
use ziping_metrics::{Cell, CellRef, Tables};

use crate::grid::{float_text, text, Grid};
use crate::norm::{
    col_letters, half_width, header, is_blank_text, is_footer, parse_number, parse_year,
    split_stage, title_units, total_label, unit_factor, Header, NumError, Unit,
};
use crate::problem::{At, Problem};
use crate::spec::{FieldSpec, FieldType, Part, TableKind, NOTE_KEY};

/// How many rows from the top of a sheet are searched for the header.
const HEADER_SCAN_ROWS: u32 = 30;

/// One column of a detected table: where it is and what it was taken for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Column letters ("F").
    pub col: String,
    /// The header as written (two-row headers joined with " › ").
    pub header: String,
    /// Field key ("students.primary"), `None` for a column that is not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The field as the template names it ("在校学生数（人）·小学").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_title: Option<String>,
    /// The unit found in the header, if any ("元").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Multiplier from the file's unit to the stored unit (1 when none).
    pub factor: f64,
    /// Where the unit came from when it is not in the header: the title row that declares it
    /// ("第2行“单位：万元”").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_from: Option<String>,
}

/// A table found in the workbook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetectedTable {
    pub kind: TableKind,
    /// "学校基本情况表".
    pub title: String,
    pub sheet: String,
    /// The 1-based header rows (one or two).
    pub header_rows: Vec<u32>,
    pub columns: Vec<ColumnMapping>,
    /// Data rows read.
    pub rows: usize,
    /// 合计/小计 rows skipped (and checked).
    pub total_rows: usize,
    /// Blank and footer rows skipped.
    pub skipped_rows: usize,
}

/// A sheet that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IgnoredSheet {
    pub sheet: String,
    pub reason: String,
}

/// What the user sees before confirming an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// File name (without directories).
    pub file: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    pub tables: Vec<DetectedTable>,
    pub ignored_sheets: Vec<IgnoredSheet>,
    /// Every problem, errors first within each sheet in reading order.
    pub problems: Vec<Problem>,
    pub errors: usize,
    pub warnings: usize,
}

impl ImportPreview {
    /// An import is refused when any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// The result of reading a workbook: the preview and the tables found (`year` unset).
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub preview: ImportPreview,
    pub tables: Tables,
    /// The tables present in the file (only these replace stored ones).
    pub present: Vec<TableKind>,
}

// ----- header detection -----------------------------------------------------------------------

#[derive(Clone, Debug)]
struct ColumnPlan {
    col: u32,
    raw: String,
    field: Option<(usize, Part)>,
    unit: Option<Unit>,
    factor: f64,
    /// Unit in the header does not fit the field.
    unit_error: bool,
    duplicate: bool,
    /// The title row the unit was taken from (no unit in the header).
    unit_from: Option<String>,
}

#[derive(Clone, Debug)]
struct HeaderPlan {
    kind: TableKind,
    first_row: u32,
    rows: u32,
    columns: Vec<ColumnPlan>,
    score: usize,
}

fn match_field(kind: TableKind, h: &Header) -> Option<(usize, Part)> {
    if h.name.is_empty() {
        return None;
    }
    for (i, fs) in kind.fields().iter().enumerate() {
        if fs.by_stage {
            if fs.synonyms.contains(&h.name.as_str()) {
                return Some((i, h.stage.unwrap_or(Part::Total)));
            }
        } else if h.stage.is_none() && fs.synonyms.contains(&h.name.as_str()) {
            return Some((i, Part::Whole));
        }
    }
    let (base, part) = split_stage(&h.name);
    if let Some(p) = part {
        for (i, fs) in kind.fields().iter().enumerate() {
            if fs.by_stage && fs.synonyms.contains(&base.as_str()) {
                return Some((i, p));
            }
        }
    }
    None
}

fn combine(top: &Header, bottom: &Header) -> Header {
    Header {
        name: format!("{}{}", top.name, bottom.name),
        unit: bottom.unit.or(top.unit),
        stage: bottom.stage.or(top.stage),
    }
}

/// One column of a candidate header: its text and the readings to try, in order. The same for
/// every table kind, so computed once per row.
struct Candidate {
    col: u32,
    raw: String,
    headers: Vec<Header>,
}

/// The columns of a candidate header (rows `r` or `r`, `r + 1`).
fn candidates(grid: &Grid, r: u32, two: bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    for c in grid.origin.1..grid.end_col() {
        let top_raw = text(grid.filled(r, c)).trim().to_string();
        let (raw, candidates): (String, Vec<Header>) = if two {
            let bottom_raw = text(grid.filled(r + 1, c)).trim().to_string();
            let ht = header(&top_raw);
            if bottom_raw.is_empty() || bottom_raw == top_raw {
                (top_raw.clone(), vec![ht])
            } else {
                let hb = header(&bottom_raw);
                let mut v = vec![combine(&ht, &hb), hb];
                if !grid.in_wide_merge(r, c) {
                    v.push(ht);
                }
                let raw = if top_raw.is_empty() {
                    bottom_raw
                } else {
                    format!("{top_raw} › {bottom_raw}")
                };
                (raw, v)
            }
        } else {
            (top_raw.clone(), vec![header(&top_raw)])
        };
        if raw.is_empty() {
            continue;
        }
        out.push(Candidate {
            col: c,
            raw,
            headers: candidates,
        });
    }
    out
}

/// Maps the columns of a candidate header (rows `r` or `r`, `r + 1`) for a table kind.
fn plan(kind: TableKind, r: u32, two: bool, cands: &[Candidate]) -> HeaderPlan {
    let mut columns = Vec::new();
    let mut seen: HashMap<(usize, Part), ()> = HashMap::new();
    let mut score = 0;
    for cand in cands {
        let c = cand.col;
        let raw = cand.raw.clone();
        let mut field = None;
        let mut unit = None;
        for h in &cand.headers {
            if let Some(m) = match_field(kind, h) {
                field = Some(m);
                unit = h.unit;
                break;
            }
        }
        let mut plan = ColumnPlan {
            col: c,
            raw,
            field,
            unit,
            factor: 1.0,
            unit_error: false,
            duplicate: false,
            unit_from: None,
        };
        if let Some((i, part)) = field {
            let fs = &kind.fields()[i];
            match unit_factor(fs.ty, unit) {
                Some(f) => plan.factor = f,
                None => plan.unit_error = true,
            }
            if seen.insert((i, part), ()).is_some() {
                plan.duplicate = true;
            } else if fs.key != NOTE_KEY {
                score += 1;
            }
        }
        columns.push(plan);
    }
    HeaderPlan {
        kind,
        first_row: r,
        rows: if two { 2 } else { 1 },
        columns,
        score,
    }
}

/// Applies the units a title row above the header declares ("单位：万元") to the money and area
/// columns whose header names no unit, with the same conversion as a unit in the header.
fn apply_title_units(grid: &Grid, plan: &mut HeaderPlan) {
    let mut money: Option<(Unit, String)> = None;
    let mut area: Option<(Unit, String)> = None;
    for r in grid.first_row()..plan.first_row {
        for c in grid.origin.1..grid.end_col() {
            let Data::String(t) = grid.get(r, c) else {
                continue;
            };
            if !t.contains("单位") {
                continue;
            }
            let from = format!("第{}行“{}”", r + 1, t.trim());
            for u in title_units(t) {
                match u {
                    Unit::Money(_) if money.is_none() => money = Some((u, from.clone())),
                    Unit::Area(_) if area.is_none() => area = Some((u, from.clone())),
                    _ => {}
                }
            }
        }
    }
    if money.is_none() && area.is_none() {
        return;
    }
    let fields = plan.kind.fields();
    for c in &mut plan.columns {
        let Some((i, _)) = c.field else { continue };
        if c.unit.is_some() {
            continue;
        }
        let declared = match fields[i].ty {
            FieldType::WanYuan | FieldType::Yuan => &money,
            FieldType::Area => &area,
            _ => continue,
        };
        if let Some((u, from)) = declared {
            if let Some(f) = unit_factor(fields[i].ty, Some(*u)) {
                c.unit = Some(*u);
                c.factor = f;
                c.unit_from = Some(from.clone());
            }
        }
    }
}

fn has_anchors(p: &HeaderPlan) -> bool {
    let fields = p.kind.fields();
    p.kind.anchors().iter().all(|a| {
        p.columns
            .iter()
            .any(|c| !c.duplicate && c.field.map(|(i, _)| fields[i].key) == Some(*a))
    })
}

/// The table kind a sheet name suggests.
fn kind_by_name(name: &str) -> Option<TableKind> {
    let n: String = half_width(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    TableKind::ALL
        .into_iter()
        .find(|k| n == k.title() || k.name_keywords().iter().any(|w| n.contains(w)))
}

fn best_header(grid: &Grid, by_name: Option<TableKind>) -> Option<HeaderPlan> {
    let start = grid.first_row();
    let end = grid.end_row().min(start.saturating_add(HEADER_SCAN_ROWS));
    let valid = |p: &HeaderPlan| p.score >= 2 && has_anchors(p);
    let mut best: Option<(f64, HeaderPlan)> = None;
    let consider = |p: HeaderPlan, best: &mut Option<(f64, HeaderPlan)>| {
        let bonus = if by_name == Some(p.kind) { 0.5 } else { 0.0 };
        let s = p.score as f64 + bonus;
        if best.as_ref().is_none_or(|(b, _)| s > *b) {
            *best = Some((s, p));
        }
    };
    let single_cands: Vec<Vec<Candidate>> =
        (start..end).map(|r| candidates(grid, r, false)).collect();
    let double_cands: Vec<Option<Vec<Candidate>>> = (start..end)
        .map(|r| (r + 1 < grid.end_row()).then(|| candidates(grid, r, true)))
        .collect();
    for kind in TableKind::ALL {
        let singles: Vec<HeaderPlan> = single_cands
            .iter()
            .enumerate()
            .map(|(i, c)| plan(kind, start + i as u32, false, c))
            .collect();
        for (i, p) in singles.iter().enumerate() {
            if valid(p) {
                consider(p.clone(), &mut best);
            }
            // A two-row header must do better than either of its rows alone (otherwise it is a
            // title row over the header, or the header over the first data row).
            let r = start + i as u32;
            let Some(dc) = &double_cands[i] else {
                continue;
            };
            let below = singles.get(i + 1).map_or(0, |q| q.score);
            let two = plan(kind, r, true, dc);
            if valid(&two) && two.score > p.score.max(below) {
                consider(two, &mut best);
            }
        }
    }
    best.map(|(_, p)| p)
}

// ----- cell values ----------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Val {
    Text(String),
    Count(u32),
    Num(f64),
    Year(i32),
    Kind(SchoolKind),
    Own(Ownership),
    Loc(Locality),
    Stage(Stage),
    Scale(ScoreScale),
}

struct CellIssue {
    reason: String,
    warning_only: bool,
}

fn err(reason: impl Into<String>) -> CellIssue {
    CellIssue {
        reason: reason.into(),
        warning_only: false,
    }
}

fn choices(ty: FieldType) -> String {
    ty.choices()
        .iter()
        .map(|c| format!("“{c}”"))
        .collect::<Vec<_>>()
        .join("、")
}

fn parse_ownership(s: &str) -> Option<Ownership> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains("公办") || t.contains("公立") || t == "公" || t.contains("国有") {
        Some(Ownership::Public)
    } else if t.contains("民办") || t.contains("私立") || t == "民" {
        Some(Ownership::Private)
    } else {
        None
    }
}

fn parse_locality(s: &str) -> Option<Locality> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains("城区") || t == "城市" || t == "城" || t.contains("主城") || t == "县城"
    {
        Some(Locality::Urban)
    } else if t.contains("镇") {
        Some(Locality::Town)
    } else if t.contains("乡") || t.contains("村") {
        Some(Locality::Rural)
    } else {
        None
    }
}

/// A numeric cell: (value, had %). `Ok(None)` for an empty cell.
fn number(d: &Data) -> Result<Option<(f64, bool)>, CellIssue> {
    match d {
        Data::Empty => Ok(None),
        Data::Int(i) => Ok(Some((*i as f64, false))),
        Data::Float(f) => Ok(Some((*f, false))),
        Data::String(s) => {
            if is_blank_text(s) {
                return Ok(None);
            }
            match parse_number(s) {
                Ok(v) => Ok(Some(v)),
                Err(NumError::BadSeparators) => {
                    Err(err(format!("“{}”不是数字（千位分隔符位置不对）", s.trim())))
                }
                Err(NumError::NotANumber) => Err(err(format!("“{}”不是数字", s.trim()))),
            }
        }
        Data::Bool(_) => Err(err(format!("“{}”不是数字", text(d)))),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Err(err("单元格是日期，不是数字"))
        }
        Data::Error(e) => Err(err(format!("单元格为错误值“{e}”"))),
    }
}

fn read_cell(fs: &FieldSpec, d: &Data, factor: f64) -> Result<Option<Val>, CellIssue> {
    match fs.ty {
        FieldType::Text => {
            let t = match d {
                Data::String(s) => s.trim().to_string(),
                other => text(other).trim().to_string(),
            };
            Ok((!t.is_empty()).then_some(Val::Text(t)))
        }
        FieldType::Id => match d {
            Data::Empty => Ok(None),
            Data::String(s) => {
                let t = s.trim();
                Ok((!t.is_empty()).then(|| Val::Text(t.to_string())))
            }
            Data::Int(i) => Ok(Some(Val::Text(i.to_string()))),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                Ok(Some(Val::Text(format!("{f:.0}"))))
            }
            Data::Float(f) => Err(CellIssue {
                reason: format!(
                    "“{}”以数字形式存储，超过15位的代码已被Excel改变，请将该列设为文本格式后重新输入",
                    float_text(*f)
                ),
                warning_only: true,
            }),
            other => Ok(Some(Val::Text(text(other)))),
        },
        FieldType::SchoolKind
        | FieldType::Ownership
        | FieldType::Locality
        | FieldType::Stage
        | FieldType::Scale => {
            let t = text(d).trim().to_string();
            if is_blank_text(&t) {
                return Ok(None);
            }
            let v = match fs.ty {
                FieldType::SchoolKind => SchoolKind::parse(&t).map(Val::Kind),
                FieldType::Ownership => parse_ownership(&t).map(Val::Own),
                FieldType::Locality => parse_locality(&t).map(Val::Loc),
                FieldType::Stage => Stage::parse(&t).map(Val::Stage),
                _ => match t.as_str() {
                    s if s.contains("十") || s == "10" => Some(Val::Scale(ScoreScale::Ten)),
                    s if s.contains("百") || s == "100" => Some(Val::Scale(ScoreScale::Hundred)),
                    _ => None,
                },
            };
            v.map(Some).ok_or_else(|| {
                err(format!(
                    "“{t}”不是可识别的取值（应为{}）",
                    choices(fs.ty)
                ))
            })
        }
        FieldType::Year => {
            let y = match d {
                Data::Empty => return Ok(None),
                Data::Int(i) => i32::try_from(*i).ok(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e6 => Some(*f as i32),
                Data::String(s) if is_blank_text(s) => return Ok(None),
                Data::String(s) => parse_year(s),
                _ => None,
            };
            match y {
                Some(y) if (1900..=2200).contains(&y) => Ok(Some(Val::Year(y))),
                _ => Err(err(format!("“{}”不是年份（应为如“2024”）", text(d).trim()))),
            }
        }
        FieldType::Count => {
            let Some((v, pct)) = number(d)? else {
                return Ok(None);
            };
            if pct {
                return Err(err(format!("“{}”带百分号，这一列应填人数或个数", text(d).trim())));
            }
            let v = v * factor;
            if v < 0.0 {
                return Err(err(format!("“{}”是负数", text(d).trim())));
            }
            if (v - v.round()).abs() > 1e-9 {
                return Err(err(format!("“{}”不是整数", text(d).trim())));
            }
            if v > f64::from(u32::MAX) {
                return Err(err(format!("“{}”太大", text(d).trim())));
            }
            Ok(Some(Val::Count(v.round() as u32)))
        }
        FieldType::Area | FieldType::WanYuan | FieldType::Yuan => {
            let Some((v, pct)) = number(d)? else {
                return Ok(None);
            };
            if pct {
                return Err(err(format!("“{}”带百分号，这一列应填数值", text(d).trim())));
            }
            if v < 0.0 {
                return Err(err(format!("“{}”是负数", text(d).trim())));
            }
            Ok(Some(Val::Num(v * factor)))
        }
        FieldType::Score => {
            let Some((v, _pct)) = number(d)? else {
                return Ok(None);
            };
            if !(0.0..=100.0).contains(&v) {
                return Err(err(format!("“{}”超出0—100的范围", text(d).trim())));
            }
            Ok(Some(Val::Num(v)))
        }
    }
}

// ----- rows -----------------------------------------------------------------------------------

/// The values of one data row, by field index and part: the value and its cell (0-based row,
/// column). The cell becomes a [`CellRef`] only when the value is used.
#[derive(Clone, Debug)]
struct RowValues {
    slots: Vec<Option<(Val, (u32, u32))>>,
}

/// Parts per field in [`RowValues`].
const PARTS: usize = 5;

impl RowValues {
    fn new(fields: usize) -> RowValues {
        RowValues {
            slots: vec![None; fields * PARTS],
        }
    }

    fn insert(&mut self, (i, part): (usize, Part), v: (Val, (u32, u32))) {
        if let Some(slot) = self.slots.get_mut(i * PARTS + part as usize) {
            *slot = Some(v);
        }
    }

    fn get(&self, i: usize, part: Part) -> Option<&(Val, (u32, u32))> {
        self.slots.get(i * PARTS + part as usize)?.as_ref()
    }
}

struct SheetCtx<'a> {
    file: &'a str,
    grid: &'a Grid,
    /// Header text per column (for messages).
    headers: HashMap<u32, String>,
}

impl SheetCtx<'_> {
    fn at(&self, row: u32, col: u32) -> At {
        At::file(self.file).sheet(&self.grid.name).row(row + 1).col(
            &col_letters(col),
            self.headers.get(&col).map_or("", String::as_str),
        )
    }
}

fn is_summable(fs: &FieldSpec) -> bool {
    matches!(
        fs.ty,
        FieldType::Count | FieldType::Area | FieldType::WanYuan | FieldType::Yuan
    )
}

fn num_text(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    let s = format!("{r:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

struct SheetResult {
    rows: Vec<(u32, RowValues)>,
    detected: DetectedTable,
}

fn read_sheet(
    file: &str,
    grid: &Grid,
    plan: &HeaderPlan,
    problems: &mut Vec<Problem>,
) -> SheetResult {
    let kind = plan.kind;
    let fields = kind.fields();
    let headers: HashMap<u32, String> = plan
        .columns
        .iter()
        .map(|c| (c.col, c.raw.clone()))
        .collect();
    let ctx = SheetCtx {
        file,
        grid,
        headers,
    };
    // Header problems.
    let header_row = plan.first_row + plan.rows - 1;
    let mut mapped: Vec<&ColumnPlan> = Vec::new();
    for c in &plan.columns {
        let Some((i, part)) = c.field else { continue };
        let fs = &fields[i];
        if c.unit_error {
            let unit = c.unit.map_or("", Unit::label);
            problems.push(
                ctx.at(header_row, c.col)
                    .value(&c.raw)
                    .error(format!("表头中的单位“{unit}”与“{}”不相符", fs.header)),
            );
            continue;
        }
        if c.duplicate {
            problems.push(ctx.at(header_row, c.col).value(&c.raw).warning(format!(
                "与前面的列重复，都对应“{}{}”，本列未导入",
                fs.header,
                part.label()
            )));
            continue;
        }
        mapped.push(c);
    }
    let sheet_at = At::file(file).sheet(&grid.name);
    for fs in fields.iter().filter(|f| f.required && !f.by_stage) {
        if !mapped
            .iter()
            .any(|c| c.field.map(|(i, _)| fields[i].key) == Some(fs.key))
        {
            problems.push(
                sheet_at
                    .clone()
                    .error(format!("缺少必需的列“{}”", fs.header)),
            );
        }
    }
    if kind == TableKind::Schools {
        for key in [
            "students",
            "qualified_teachers",
            "key_teachers",
            "pe_art_teachers",
            "teaching_area",
            "sports_area",
            "equipment_value",
            "multimedia_rooms",
        ] {
            if !mapped
                .iter()
                .any(|c| c.field.map(|(i, _)| fields[i].key) == Some(key))
            {
                let title = fields
                    .iter()
                    .find(|f| f.key == key)
                    .map_or(key, |f| f.header);
                let sev = key == "students";
                let msg = format!("没有找到“{title}”列，相关指标将无法计算");
                problems.push(if sev {
                    sheet_at.clone().error(msg)
                } else {
                    sheet_at.clone().warning(msg)
                });
            }
        }
    }

    let label_col = mapped
        .iter()
        .find(|c| c.field.map(|(i, _)| fields[i].key) == Some(kind.label_field()))
        .map(|c| c.col);
    let mapped_cols: Vec<u32> = mapped.iter().map(|c| c.col).collect();
    let unmapped_cols: Vec<u32> = plan
        .columns
        .iter()
        .filter(|c| !mapped_cols.contains(&c.col))
        .map(|c| c.col)
        .collect();

    // Column sums in the file's units: (all rows, since the last 小计).
    let mut sums: Vec<(f64, f64)> = vec![(0.0, 0.0); grid.end_col() as usize];
    let mut rows = Vec::new();
    let mut total_rows = 0;
    let mut skipped = 0;
    let data_start = plan.first_row + plan.rows;
    for r in data_start..grid.end_row() {
        let blank = mapped.iter().all(|c| {
            let d = grid.get(r, c.col);
            match d {
                Data::Empty => true,
                Data::String(s) => {
                    is_blank_text(s) || c.field.map(|(i, _)| fields[i].key) == Some(NOTE_KEY)
                }
                _ => c.field.map(|(i, _)| fields[i].key) == Some(NOTE_KEY),
            }
        });
        if blank {
            skipped += 1;
            continue;
        }
        // Footer lines ("填表人：…", "注：…").
        let first = (grid.origin.1..grid.end_col())
            .map(|c| grid.get(r, c))
            .find(|d| match d {
                Data::Empty => false,
                Data::String(s) => !s.trim().is_empty(),
                _ => true,
            });
        if matches!(first, Some(Data::String(s)) if is_footer(s)) {
            skipped += 1;
            continue;
        }
        // 合计 / 小计 rows.
        let mut total = match label_col.map(|c| grid.get(r, c)) {
            Some(Data::String(s)) => total_label(s),
            _ => None,
        };
        if total.is_none() {
            total = unmapped_cols
                .iter()
                .filter_map(|c| match grid.get(r, *c) {
                    Data::String(s) => total_label(s),
                    _ => None,
                })
                .next();
        }
        if let Some(subtotal) = total {
            total_rows += 1;
            if kind.has_total_rows() {
                for c in &mapped {
                    let (i, _) = c.field.unwrap_or((0, Part::Whole));
                    if !is_summable(&fields[i]) {
                        continue;
                    }
                    let d = grid.get(r, c.col);
                    let Ok(Some((v, _))) = number(d) else {
                        continue;
                    };
                    let (all, since) = sums[c.col as usize];
                    let expected = if subtotal { since } else { all };
                    let tol = 0.005 + 1e-9 * expected.abs();
                    if (v - expected).abs() > tol {
                        let what = if subtotal { "小计" } else { "合计" };
                        problems.push(ctx.at(r, c.col).value(&text(d)).error(format!(
                            "{what}行为“{}”，但上面各行之和为{}，两者不一致",
                            text(d).trim(),
                            num_text(expected)
                        )));
                    }
                }
                if subtotal {
                    for v in &mut sums {
                        v.1 = 0.0;
                    }
                }
            }
            continue;
        }
        // A data row.
        let mut values = RowValues::new(fields.len());
        for c in &mapped {
            let Some((i, part)) = c.field else { continue };
            let fs = &fields[i];
            if fs.key == NOTE_KEY {
                continue;
            }
            let d = grid.get(r, c.col);
            // Text cells of a vertically merged region (学校名称 over several classes) repeat.
            let d = if matches!(
                fs.ty,
                FieldType::Text | FieldType::Stage | FieldType::SchoolKind
            ) {
                grid.filled(r, c.col)
            } else {
                d
            };
            match read_cell(fs, d, c.factor) {
                Ok(Some(v)) => {
                    if is_summable(fs) {
                        if let Ok(Some((raw, _))) = number(d) {
                            let e = &mut sums[c.col as usize];
                            e.0 += raw;
                            e.1 += raw;
                        }
                    }
                    values.insert((i, part), (v, (r, c.col)));
                }
                Ok(None) => {
                    if fs.required && !fs.by_stage {
                        problems.push(ctx.at(r, c.col).error("必填项，不能为空"));
                    }
                }
                Err(issue) => {
                    let p = ctx.at(r, c.col).value(text(d).trim());
                    if issue.warning_only {
                        problems.push(p.warning(issue.reason));
                        if let Some(s) = number(d).ok().flatten() {
                            values.insert((i, part), (Val::Text(float_text(s.0)), (r, c.col)));
                        }
                    } else {
                        problems.push(p.error(issue.reason));
                    }
                }
            }
        }
        rows.push((r, values));
    }
    let columns = plan
        .columns
        .iter()
        .map(|c| {
            let used = mapped.iter().any(|m| m.col == c.col);
            let field = c.field.filter(|_| used);
            ColumnMapping {
                col: col_letters(c.col),
                header: c.raw.clone(),
                field: field.map(|(i, p)| format!("{}{}", fields[i].key, p.suffix())),
                field_title: field.map(|(i, p)| {
                    if p.label().is_empty() {
                        fields[i].header.to_string()
                    } else {
                        format!("{}·{}", fields[i].header, p.label())
                    }
                }),
                unit: c.unit.map(|u| u.label().to_string()),
                factor: c.factor,
                unit_from: c.unit_from.clone(),
            }
        })
        .collect();
    let header_rows = (0..plan.rows).map(|i| plan.first_row + i + 1).collect();
    SheetResult {
        detected: DetectedTable {
            kind,
            title: kind.title().to_string(),
            sheet: grid.name.clone(),
            header_rows,
            columns,
            rows: rows.len(),
            total_rows,
            skipped_rows: skipped,
        },
        rows,
    }
}

// ----- assembling the typed tables --------------------------------------------------------------

struct RowView<'a> {
    /// Field key → index, once per sheet.
    index: &'a HashMap<&'static str, usize>,
    values: &'a RowValues,
    file: &'a str,
    sheet: &'a str,
    /// Column letters by 0-based column.
    letters: &'a [String],
}

impl RowView<'_> {
    fn find(&self, key: &str, part: Part) -> Option<(&Val, (u32, u32))> {
        let i = *self.index.get(key)?;
        self.values.get(i, part).map(|(v, at)| (v, *at))
    }

    /// The cell a value came from.
    fn at(&self, (row, col): (u32, u32)) -> CellRef {
        let letters = self
            .letters
            .get(col as usize)
            .cloned()
            .unwrap_or_else(|| col_letters(col));
        CellRef::new(self.file, self.sheet, row + 1, letters)
    }

    fn text(&self, key: &str) -> Option<String> {
        match self.find(key, Part::Whole) {
            Some((Val::Text(t), _)) => Some(t.clone()),
            _ => None,
        }
    }

    fn count(&self, key: &str, part: Part) -> Option<Cell<u32>> {
        match self.find(key, part) {
            Some((Val::Count(v), at)) => Some(Cell::from_cell(*v, self.at(at))),
            _ => None,
        }
    }

    fn num(&self, key: &str, part: Part) -> Option<Cell<f64>> {
        match self.find(key, part) {
            Some((Val::Num(v), at)) => Some(Cell::from_cell(*v, self.at(at))),
            _ => None,
        }
    }

    fn year(&self) -> Option<(i32, CellRef)> {
        match self.find("year", Part::Whole) {
            Some((Val::Year(y), at)) => Some((*y, self.at(at))),
            _ => None,
        }
    }

    fn counts(&self, key: &str) -> ByStage<u32> {
        ByStage {
            total: self.count(key, Part::Total),
            primary: self.count(key, Part::Primary),
            junior: self.count(key, Part::Junior),
            senior: self.count(key, Part::Senior),
        }
    }

    fn nums(&self, key: &str) -> ByStage<f64> {
        ByStage {
            total: self.num(key, Part::Total),
            primary: self.num(key, Part::Primary),
            junior: self.num(key, Part::Junior),
            senior: self.num(key, Part::Senior),
        }
    }
}

/// Builds the typed rows of one sheet into `tables`, with row-level checks (duplicates, missing
/// enrolment).
fn assemble(
    file: &str,
    sheet: &str,
    kind: TableKind,
    header_scale: ScoreScale,
    rows: &[(u32, RowValues)],
    tables: &mut Tables,
    problems: &mut Vec<Problem>,
) {
    let row_at = |r: u32| At::file(file).sheet(sheet).row(r + 1);
    let mut seen_names: HashMap<String, u32> = HashMap::new();
    let mut seen_years: HashMap<(i32, String), u32> = HashMap::new();
    let mut dup_year = |key: (i32, String), r: u32, problems: &mut Vec<Problem>| -> bool {
        if let Some(first) = seen_years.get(&key) {
            let who = if key.1.is_empty() {
                String::new()
            } else {
                format!("（{}）", key.1)
            };
            problems.push(row_at(r).error(format!(
                "{}年度{who}的数据与第{}行重复",
                key.0,
                first + 1
            )));
            return true;
        }
        seen_years.insert(key, r);
        false
    };
    let index: HashMap<&'static str, usize> = kind
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| (f.key, i))
        .collect();
    let width = rows
        .iter()
        .flat_map(|(_, v)| v.slots.iter().flatten().map(|(_, (_, c))| *c + 1))
        .max()
        .unwrap_or(0);
    let letters: Vec<String> = (0..width).map(col_letters).collect();
    for (r, values) in rows {
        let v = RowView {
            index: &index,
            values,
            file,
            sheet,
            letters: &letters,
        };
        match kind {
            TableKind::Schools => {
                let (Some(name), Some((Val::Kind(k), kat))) =
                    (v.text("school"), v.find("kind", Part::Whole))
                else {
                    continue;
                };
                if let Some(first) = seen_names.get(&name) {
                    problems.push(row_at(*r).error(format!("学校“{name}”与第{}行重复", first + 1)));
                    continue;
                }
                seen_names.insert(name.clone(), *r);
                let school = School {
                    name,
                    code: v.text("code"),
                    kind: Cell::from_cell(*k, v.at(kat)),
                    ownership: match v.find("ownership", Part::Whole) {
                        Some((Val::Own(o), at)) => Some(Cell::from_cell(*o, v.at(at))),
                        _ => None,
                    },
                    locality: match v.find("locality", Part::Whole) {
                        Some((Val::Loc(o), at)) => Some(Cell::from_cell(*o, v.at(at))),
                        _ => None,
                    },
                    classes: v.count("classes", Part::Whole),
                    students: v.counts("students"),
                    qualified_teachers: v.counts("qualified_teachers"),
                    key_teachers: v.counts("key_teachers"),
                    pe_art_teachers: v.counts("pe_art_teachers"),
                    teaching_area: v.nums("teaching_area"),
                    sports_area: v.nums("sports_area"),
                    equipment_value: v.nums("equipment_value"),
                    multimedia_rooms: v.counts("multimedia_rooms"),
                };
                if school.students.is_empty() {
                    problems
                        .push(row_at(*r).error(format!("学校“{}”没有填写在校学生数", school.name)));
                    continue;
                }
                tables.schools.push(school);
            }
            TableKind::Classes => {
                let (Some(school), Some((Val::Stage(s), sat)), Some(size)) = (
                    v.text("school"),
                    v.find("stage", Part::Whole),
                    v.count("size", Part::Whole),
                ) else {
                    continue;
                };
                tables.classes.push(ClassRow {
                    school,
                    stage: Cell::from_cell(*s, v.at(sat)),
                    grade: v.text("grade"),
                    class: v.text("class"),
                    size,
                });
            }
            TableKind::Finance => {
                let (Some((year, _)), Some(exp)) =
                    (v.year(), v.num("education_expenditure", Part::Whole))
                else {
                    continue;
                };
                if dup_year((year, String::new()), *r, problems) {
                    continue;
                }
                tables.finance.push(FinanceYear {
                    year,
                    education_expenditure: exp,
                    students: v.count("students", Part::Whole),
                    per_student: v.num("per_student", Part::Whole),
                });
            }
            TableKind::TeacherPay => {
                let (Some((year, _)), Some(t), Some(c)) = (
                    v.year(),
                    v.num("teacher_avg", Part::Whole),
                    v.num("civil_servant_avg", Part::Whole),
                ) else {
                    continue;
                };
                if dup_year((year, String::new()), *r, problems) {
                    continue;
                }
                tables.teacher_pay.push(TeacherPay {
                    year,
                    teacher_avg: t,
                    civil_servant_avg: c,
                });
            }
            TableKind::Preschool => {
                let (Some((year, _)), Some(e), Some(p)) = (
                    v.year(),
                    v.count("enrolled", Part::Whole),
                    v.count("public_enrolled", Part::Whole),
                ) else {
                    continue;
                };
                if dup_year((year, String::new()), *r, problems) {
                    continue;
                }
                if p.value > e.value {
                    problems.push(row_at(*r).error(format!(
                        "公办园在园幼儿数{}大于在园幼儿数{}",
                        p.value, e.value
                    )));
                    continue;
                }
                tables.preschool.push(Preschool {
                    year,
                    enrolled: e,
                    public_enrolled: p,
                    inclusive_private_enrolled: v.count("inclusive_private_enrolled", Part::Whole),
                    population_3_5: v.count("population_3_5", Part::Whole),
                });
            }
            TableKind::SpecialGroups => {
                let Some((year, _)) = v.year() else { continue };
                if dup_year((year, String::new()), *r, problems) {
                    continue;
                }
                tables.special_groups.push(SpecialGroups {
                    year,
                    migrant_total: v.count("migrant_total", Part::Whole),
                    migrant_public: v.count("migrant_public", Part::Whole),
                    migrant_purchased: v.count("migrant_purchased", Part::Whole),
                    disabled_population: v.count("disabled_population", Part::Whole),
                    disabled_enrolled: v.count("disabled_enrolled", Part::Whole),
                    disabled_special_school: v.count("disabled_special_school", Part::Whole),
                    disabled_regular_class: v.count("disabled_regular_class", Part::Whole),
                    disabled_home_teaching: v.count("disabled_home_teaching", Part::Whole),
                });
            }
            TableKind::Satisfaction => {
                let (Some((year, _)), Some(score)) = (v.year(), v.num("score", Part::Whole)) else {
                    continue;
                };
                let group = v.text("group");
                if dup_year((year, group.clone().unwrap_or_default()), *r, problems) {
                    continue;
                }
                let scale = match v.find("scale", Part::Whole) {
                    Some((Val::Scale(s), _)) => *s,
                    _ => header_scale,
                };
                let mut row = match scale {
                    ScoreScale::Ten => {
                        if score.value > 10.0 {
                            problems.push(row_at(*r).error(format!(
                                "十分制的满意度“{}”超过10分",
                                num_text(score.value)
                            )));
                            continue;
                        }
                        Satisfaction::ten_point(year, score)
                    }
                    ScoreScale::Hundred => {
                        if score.value <= 10.0 {
                            problems.push(row_at(*r).warning(format!(
                                "满意度“{}”按百分制读取；如为十分制，请在“计分制”列填写“十分制”",
                                num_text(score.value)
                            )));
                        }
                        Satisfaction::hundred(year, score)
                    }
                };
                row.group = group;
                row.sample = v.count("sample", Part::Whole);
                tables.satisfaction.push(row);
            }
        }
    }
}

/// Whether phase times go to stderr (`ZIPING_IMPORT_TIMING=1`).
pub(crate) fn timing() -> bool {
    std::env::var_os("ZIPING_IMPORT_TIMING").is_some()
}

/// Reads all sheets of a loaded workbook.
pub(crate) fn read_grids(file: &str, sha256: &str, grids: &[Grid]) -> Import {
    let mut problems = Vec::new();
    let mut tables = Tables::default();
    let mut detected = Vec::new();
    let mut ignored = Vec::new();
    let mut present: Vec<TableKind> = Vec::new();
    let mut first_sheet_of: HashMap<TableKind, String> = HashMap::new();
    let all_empty = grids.iter().all(Grid::is_empty);
    for grid in grids {
        if grid.is_empty() {
            ignored.push(IgnoredSheet {
                sheet: grid.name.clone(),
                reason: "空工作表".into(),
            });
            continue;
        }
        let by_name = kind_by_name(&grid.name);
        let th = std::time::Instant::now();
        let best = best_header(grid, by_name);
        if timing() {
            eprintln!("ZIPING_IMPORT_TIMING {} 表头识别 {:.1} ms", grid.name, th.elapsed().as_secs_f64() * 1000.0);
        }
        let Some(mut plan) = best else {
            let n: String = grid.name.chars().filter(|c| !c.is_whitespace()).collect();
            if n.contains("说明") || n.contains("填表") {
                ignored.push(IgnoredSheet {
                    sheet: grid.name.clone(),
                    reason: "说明页".into(),
                });
            } else if let Some(k) = by_name {
                let need: Vec<String> = k
                    .anchors()
                    .iter()
                    .filter_map(|a| k.fields().iter().find(|f| f.key == *a))
                    .map(|f| format!("“{}”", f.header))
                    .collect();
                problems.push(At::file(file).sheet(&grid.name).error(format!(
                    "工作表名称是{}，但找不到它的表头（至少应有{}列）",
                    k.title(),
                    need.join("")
                )));
                ignored.push(IgnoredSheet {
                    sheet: grid.name.clone(),
                    reason: "找不到表头".into(),
                });
            } else {
                ignored.push(IgnoredSheet {
                    sheet: grid.name.clone(),
                    reason: "不是可识别的统计表".into(),
                });
            }
            continue;
        };
        if let Some(first) = first_sheet_of.get(&plan.kind) {
            problems.push(At::file(file).sheet(&grid.name).error(format!(
                "与工作表“{first}”同为{}，一个文件中每张表只能有一个工作表",
                plan.kind.title()
            )));
            ignored.push(IgnoredSheet {
                sheet: grid.name.clone(),
                reason: format!("重复的{}", plan.kind.title()),
            });
            continue;
        }
        first_sheet_of.insert(plan.kind, grid.name.clone());
        apply_title_units(grid, &mut plan);
        let mut sheet_problems = Vec::new();
        let tr = std::time::Instant::now();
        let res = read_sheet(file, grid, &plan, &mut sheet_problems);
        let ta = std::time::Instant::now();
        // 满意度（十分制） in the header applies to the rows without a 计分制 cell.
        let header_scale = plan
            .columns
            .iter()
            .find_map(|c| match c.field {
                Some((i, _)) if plan.kind.fields()[i].key == "score" => c.unit,
                _ => None,
            })
            .map_or(ScoreScale::Hundred, |u| {
                if u == Unit::Ten {
                    ScoreScale::Ten
                } else {
                    ScoreScale::Hundred
                }
            });
        assemble(
            file,
            &grid.name,
            plan.kind,
            header_scale,
            &res.rows,
            &mut tables,
            &mut sheet_problems,
        );
        if timing() {
            eprintln!(
                "ZIPING_IMPORT_TIMING {} 逐行读取 {:.1} ms，组装 {:.1} ms",
                grid.name,
                (ta - tr).as_secs_f64() * 1000.0,
                ta.elapsed().as_secs_f64() * 1000.0
            );
        }
        if res.rows.is_empty() {
            sheet_problems.push(
                At::file(file)
                    .sheet(&grid.name)
                    .warning("表头下面没有数据行"),
            );
        }
        problems.extend(sheet_problems);
        present.push(plan.kind);
        detected.push(res.detected);
    }
    if grids.is_empty() || all_empty {
        problems.push(At::file(file).error("工作簿是空的，没有任何数据"));
    } else if detected.is_empty() && !problems.iter().any(Problem::is_error) {
        let names: Vec<String> = TableKind::ALL
            .iter()
            .map(|k| k.title().to_string())
            .collect();
        problems.push(At::file(file).error(format!(
            "没有识别出任何统计表：各工作表的表头与模板不符。请使用“下载模板”生成的模板（{}），或检查表头文字",
            names.join("、")
        )));
    }
    present.sort();
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    Import {
        preview: ImportPreview {
            file: file.to_string(),
            sha256: sha256.to_string(),
            tables: detected,
            ignored_sheets: ignored,
            problems,
            errors,
            warnings,
        },
        tables,
        present,
    }
}
