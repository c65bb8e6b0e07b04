//! Page layout per GB/T 9704-2012: the document model ([`crate::model::Report`]) placed on A4
//! pages as positioned text, rules and boxes (the layout tree). The PDF writer only draws this
//! tree; tests snapshot it ([`snapshot`]) instead of PDF bytes.
//!
//! Geometry: A4 (210 × 297 mm), text block 156 × 225 mm with the top margin 37 mm and the left
//! margin 28 mm. Body text is 3号 (16 pt) on a grid of 22 lines × 28 characters: a character cell
//! is 156 mm / 28 wide and a line 225 mm / 22 high, so every full line holds exactly 28 CJK
//! characters. Latin words and digits keep their natural widths. Page numbers "— N —" (4号 宋体)
//! sit 7 mm below the text block, one character in from the outside edge (right on odd pages,
//! left on even pages).
//!
//! All coordinates are in pt, measured from the page's top-left corner (y grows downwards);
//! text `y` is the baseline.

use serde::Serialize;

use crate::fonts::{FontSet, Role};
use crate::linebreak::{break_lines, is_wide, Line, Params, Span};
use crate::model::{Align, Block, Chart, Report, Row, Table};

pub const MM: f32 = 72.0 / 25.4;
pub const PAGE_W: f32 = 210.0 * MM;
pub const PAGE_H: f32 = 297.0 * MM;
pub const LEFT: f32 = 28.0 * MM;
pub const TOP: f32 = 37.0 * MM;
pub const BLOCK_W: f32 = 156.0 * MM;
pub const BLOCK_H: f32 = 225.0 * MM;
pub const CHARS_PER_LINE: f32 = 28.0;
pub const LINES_PER_PAGE: f32 = 22.0;
/// Width of one body character cell.
pub const CELL: f32 = BLOCK_W / CHARS_PER_LINE;
/// Height of one body line.
pub const PITCH: f32 = BLOCK_H / LINES_PER_PAGE;

/// A text style: face role, size, the width of a full-width character, and fake bold (the
/// glyphs are filled and stroked, as Word does for fonts without a bold face).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Style {
    pub name: &'static str,
    pub role: Role,
    pub size: f32,
    pub cell: f32,
    pub bold: bool,
}

pub const BODY: usize = 0;
pub const BODY_BOLD: usize = 1;
pub const H1: usize = 2;
pub const H2: usize = 3;
pub const TITLE: usize = 4;
pub const PAGENO: usize = 5;
pub const CELL_TEXT: usize = 6;
pub const CELL_HEAD: usize = 7;
pub const CELL_BOLD: usize = 8;
pub const APPX_TITLE: usize = 9;
pub const SMALL: usize = 10;

pub const STYLES: [Style; 11] = [
    Style { name: "正文", role: Role::Fang, size: 16.0, cell: CELL, bold: false },
    Style { name: "正文加粗", role: Role::Fang, size: 16.0, cell: CELL, bold: true },
    Style { name: "一级标题", role: Role::Hei, size: 16.0, cell: CELL, bold: false },
    Style { name: "二级标题", role: Role::Kai, size: 16.0, cell: CELL, bold: false },
    Style { name: "标题", role: Role::Title, size: 22.0, cell: 22.0, bold: false },
    Style { name: "页码", role: Role::Song, size: 14.0, cell: 14.0, bold: false },
    Style { name: "表格", role: Role::Fang, size: 12.0, cell: 12.0, bold: false },
    Style { name: "表头", role: Role::Hei, size: 12.0, cell: 12.0, bold: false },
    Style { name: "表格加粗", role: Role::Fang, size: 12.0, cell: 12.0, bold: true },
    Style { name: "附件标题", role: Role::Title, size: 18.0, cell: 18.0, bold: false },
    Style { name: "图注", role: Role::Fang, size: 10.5, cell: 10.5, bold: false },
];

/// One drawn thing.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// One unbreakable unit of text (a CJK character, a Latin word…) at its baseline.
    Text { x: f32, y: f32, style: usize, text: String, gray: f32 },
    Rule { x1: f32, y1: f32, x2: f32, y2: f32, width: f32 },
    /// A filled box (`gray` 0 = black, 1 = white), optionally outlined.
    Rect { x: f32, y: f32, w: f32, h: f32, gray: f32, outline: bool },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Page {
    pub number: usize,
    pub items: Vec<Item>,
}

/// An outline (bookmark) entry: title and 1-based page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Layout {
    pub pages: Vec<Page>,
    pub outline: Vec<OutlineEntry>,
    /// Characters no loaded face can draw (left blank), for a warning.
    pub missing: Vec<char>,
}

/// Measures text of a style: wide characters take the style's cell, others their advance.
pub fn measure(fonts: &FontSet, style: usize, text: &str) -> f32 {
    let st = &STYLES[style];
    text.chars()
        .map(|c| if is_wide(c) { st.cell } else { fonts.advance_em(st.role, c) * st.size })
        .sum()
}

struct Flow<'a> {
    fonts: &'a FontSet,
    pages: Vec<Page>,
    cur: Vec<Item>,
    /// Distance from the top of the text block.
    y: f32,
    outline: Vec<OutlineEntry>,
    /// A chart that did not fit where it was called for: it floats to the top of the next page
    /// while the text goes on filling this one.
    pending: Option<Chart>,
}

/// The baseline of a body line whose box starts at `top` (glyphs centred in the line).
fn baseline(top: f32, height: f32, size: f32) -> f32 {
    TOP + top + height / 2.0 + 0.36 * size
}

impl<'a> Flow<'a> {
    fn page_no(&self) -> usize {
        self.pages.len() + 1
    }

    fn new_page(&mut self) {
        let items = std::mem::take(&mut self.cur);
        let number = self.page_no();
        self.pages.push(Page { number, items });
        self.y = 0.0;
        if let Some(chart) = self.pending.take() {
            self.chart(&chart);
        }
    }

    /// Places a floating chart still waiting for room (before the 落款, an appendix or the end).
    fn flush_pending(&mut self) {
        if let Some(chart) = self.pending.take() {
            self.chart(&chart);
        }
    }

    fn room(&self) -> f32 {
        BLOCK_H - self.y
    }

    /// Moves to the next grid line (after tables and charts).
    fn snap(&mut self) {
        let n = (self.y / PITCH - 0.001).ceil();
        self.y = n * PITCH;
        if self.y >= BLOCK_H - 0.5 {
            self.new_page();
        }
    }

    fn measure(&self) -> impl Fn(usize, &str) -> f32 + '_ {
        |style, text| measure(self.fonts, style, text)
    }

    fn place_line(&mut self, line: &Line, x0: f32, base: f32) {
        for p in &line.pieces {
            self.cur.push(Item::Text { x: x0 + line.indent + p.x, y: base, style: p.style, text: p.text.clone(), gray: 0.0 });
        }
    }

    /// Places grid lines (one per body line), breaking pages as needed.
    fn grid_lines(&mut self, lines: &[Line], x0: f32) {
        for line in lines {
            if self.y + PITCH > BLOCK_H + 0.5 {
                self.new_page();
            }
            let size = line.pieces.first().map(|p| STYLES[p.style].size).unwrap_or(16.0);
            let base = baseline(self.y, PITCH, size);
            self.place_line(line, x0, base);
            self.y += PITCH;
        }
    }

    fn para(&mut self, spans: &[Span], indent: f32, justify: bool) -> Vec<Line> {
        let params = Params { width: BLOCK_W, first_indent: indent, justify, em: CELL };
        break_lines(spans, &params, &self.measure())
    }

    fn title(&mut self, text: &str) {
        let st = &STYLES[TITLE];
        let m = self.measure();
        // Balanced lines: the narrowest width that needs no more lines than the full width.
        let max_w = BLOCK_W - 2.0 * CELL;
        let p = |w: f32| Params { width: w, first_indent: 0.0, justify: false, em: st.cell };
        let span = [Span::new(text, TITLE)];
        let n = break_lines(&span, &p(max_w), &m).len();
        // Among the widths that keep the line count, prefer breaks that split no common word
        // ("履|行" reads badly in a title), then the narrowest (most balanced) one.
        let mut best: Option<(usize, f32)> = None;
        let mut w = max_w;
        while w > st.cell * 6.0 {
            let lines = break_lines(&span, &p(w), &m);
            if lines.len() > n {
                break;
            }
            let bad = lines.windows(2).filter(|pair| splits_word(&pair[0].text(), &pair[1].text())).count();
            if best.is_none_or(|(b, _)| bad <= b) {
                best = Some((bad, w));
            }
            w -= st.cell;
        }
        let lines = break_lines(&span, &p(best.map_or(max_w, |b| b.1)), &m);
        drop(m);
        let lh = 1.5 * st.size;
        for line in &lines {
            let x = LEFT + (BLOCK_W - line.natural) / 2.0;
            let base = baseline(self.y, lh, st.size);
            self.place_line(line, x, base);
            self.y += lh;
        }
        self.y += PITCH * 0.5;
        self.snap();
    }

    fn heading(&mut self, level: u8, text: &str) {
        // No heading at a page foot: it needs its own lines and two lines of what follows.
        let style = if level == 1 { H1 } else { H2 };
        let lines = self.para(&[Span::new(text, style)], 2.0 * CELL, false);
        // Twice at most: a chart floated to the top of the new page may leave too little room.
        for _ in 0..2 {
            if self.room() < PITCH * (lines.len() as f32 + 2.0) - 0.5 {
                self.new_page();
            }
        }
        let page = self.page_no();
        if level == 1 {
            self.outline.push(OutlineEntry { title: text.to_string(), page });
        }
        self.grid_lines(&lines, LEFT);
    }

    fn chart(&mut self, chart: &Chart) {
        self.place_chart(chart, false)
    }

    /// Draws a chart here, or (`float`) defers it to the top of the next page when it does not fit.
    fn place_chart(&mut self, chart: &Chart, float: bool) {
        let label_w = 150.0;
        let value_w = 36.0;
        let bar_area = BLOCK_W - label_w - value_w - 8.0;
        let row_h: f32 = 22.0;
        let legend_h = 22.0;
        let caption_h = 22.0;
        let m = self.measure();
        let label_params = Params { width: label_w - 6.0, first_indent: 0.0, justify: false, em: STYLES[SMALL].cell };
        let labels: Vec<Vec<Line>> =
            chart.bars.iter().map(|(l, _)| break_lines(&[Span::new(l.as_str(), SMALL)], &label_params, &m)).collect();
        drop(m);
        let rows_h: f32 = labels.iter().map(|l| row_h.max(l.len() as f32 * 13.0 + 6.0)).sum();
        let height = 8.0 + legend_h + rows_h + caption_h + 4.0;
        if self.room() < height {
            if float && self.y > 0.0 {
                // The chart and its caption stay together: the chart floats to the next page
                // and the text after it fills this one.
                self.pending = Some(chart.clone());
                return;
            }
            self.new_page();
        }
        let grays = [0.2, 0.5, 0.75, 0.92, 1.0];
        let mut y = TOP + self.y + 8.0;
        // Legend.
        let mut x = LEFT + label_w;
        for (i, s) in chart.series.iter().enumerate() {
            self.cur.push(Item::Rect { x, y: y + 4.0, w: 10.0, h: 10.0, gray: grays[i.min(4)], outline: true });
            self.cur.push(Item::Text { x: x + 14.0, y: y + 13.0, style: SMALL, text: s.clone(), gray: 0.0 });
            x += 14.0 + measure(self.fonts, SMALL, s) + 14.0;
        }
        y += legend_h;
        let max_total = chart.bars.iter().map(|(_, v)| v.iter().sum::<f64>()).fold(0.0_f64, f64::max).max(1.0);
        let top_of_bars = y;
        for ((_, values), lines) in chart.bars.iter().zip(&labels) {
            let h = row_h.max(lines.len() as f32 * 13.0 + 6.0);
            let text_top = y + (h - lines.len() as f32 * 13.0) / 2.0;
            for (k, line) in lines.iter().enumerate() {
                let x0 = LEFT + label_w - 6.0 - line.natural;
                self.place_line(line, x0, text_top + 10.0 + k as f32 * 13.0);
            }
            let bar_y = y + (h - 12.0) / 2.0;
            let mut bx = LEFT + label_w;
            for (i, v) in values.iter().enumerate() {
                if *v <= 0.0 {
                    continue;
                }
                let w = (*v / max_total) as f32 * bar_area;
                self.cur.push(Item::Rect { x: bx, y: bar_y, w, h: 12.0, gray: grays[i.min(4)], outline: true });
                let label = format_value(*v);
                let lw = measure(self.fonts, SMALL, &label);
                if w > lw + 4.0 {
                    let gray = if grays[i.min(4)] < 0.6 { 1.0 } else { 0.0 };
                    self.cur.push(Item::Text { x: bx + (w - lw) / 2.0, y: bar_y + 9.5, style: SMALL, text: label, gray });
                }
                bx += w;
            }
            let total = format!("{}{}", format_value(values.iter().sum()), chart.unit);
            self.cur.push(Item::Text { x: bx + 4.0, y: bar_y + 9.5, style: SMALL, text: total, gray: 0.0 });
            y += h;
        }
        // Axis.
        self.cur.push(Item::Rule { x1: LEFT + label_w, y1: top_of_bars, x2: LEFT + label_w, y2: y, width: 0.6 });
        let cap_w = measure(self.fonts, SMALL, &chart.caption);
        self.cur.push(Item::Text {
            x: LEFT + (BLOCK_W - cap_w) / 2.0,
            y: y + 16.0,
            style: SMALL,
            text: chart.caption.clone(),
            gray: 0.0,
        });
        self.y = y + caption_h + 4.0 - TOP;
        self.snap();
    }

    fn signature(&mut self, organ: &str, date: &str) {
        if self.room() < PITCH * 4.0 {
            self.new_page();
        }
        self.y += PITCH * 2.0; // room for the seal
        let date_w = measure(self.fonts, BODY, date);
        let organ_w = measure(self.fonts, BODY, organ);
        let right = LEFT + BLOCK_W;
        let date_x = right - 4.0 * CELL - date_w;
        let mut organ_x = date_x + date_w / 2.0 - organ_w / 2.0;
        if organ_x + organ_w > right - 2.0 * CELL {
            organ_x = right - 2.0 * CELL - organ_w;
        }
        for (text, x) in [(organ, organ_x), (date, date_x)] {
            if self.y + PITCH > BLOCK_H + 0.5 {
                self.new_page();
            }
            let params = Params { width: BLOCK_W, first_indent: 0.0, justify: false, em: CELL };
            let lines = break_lines(&[Span::new(text, BODY)], &params, &self.measure());
            let base = baseline(self.y, PITCH, 16.0);
            if let Some(l) = lines.first() {
                self.place_line(l, x, base);
            }
            self.y += PITCH;
        }
    }

    fn table(&mut self, table: &Table) {
        let pad = 4.0;
        let lh = 16.0;
        let total: f32 = table.columns.iter().map(|c| c.width).sum();
        let widths: Vec<f32> = table.columns.iter().map(|c| c.width / total * BLOCK_W).collect();
        let xs: Vec<f32> = std::iter::once(LEFT)
            .chain(widths.iter().scan(LEFT, |x, w| {
                *x += w;
                Some(*x)
            }))
            .collect();
        let m = self.measure();
        let cell_lines = |text: &str, style: usize, w: f32, justify: bool| {
            let p = Params { width: w - 2.0 * pad, first_indent: 0.0, justify, em: STYLES[style].cell };
            break_lines(&[Span::new(text, style)], &p, &m)
        };
        // Pre-break every row: per cell its lines and alignment.
        type Cells = Vec<(Vec<Line>, Align, f32, f32)>; // lines, align, x, width
        let header: Cells = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (cell_lines(&c.header, CELL_HEAD, widths[i], false), Align::Center, xs[i], widths[i]))
            .collect();
        let rows: Vec<(Cells, f32)> = table
            .rows
            .iter()
            .map(|r| match r {
                Row::Cells(cells) | Row::Total(cells) => {
                    let style = if matches!(r, Row::Total(_)) { CELL_BOLD } else { CELL_TEXT };
                    let cs: Cells = cells
                        .iter()
                        .enumerate()
                        .map(|(i, t)| {
                            let align = table.columns[i].align;
                            (cell_lines(t, style, widths[i], align == Align::Left), align, xs[i], widths[i])
                        })
                        .collect();
                    (cs, 1.0)
                }
                Row::Group(t) => (vec![(cell_lines(t, CELL_BOLD, BLOCK_W, false), Align::Left, LEFT, BLOCK_W)], 0.93),
            })
            .collect();
        drop(m);
        let head_h = header.iter().map(|c| c.0.len()).max().unwrap_or(1) as f32 * lh + 2.0 * pad;

        let draw_row = |flow: &mut Flow, cells: &Cells, from: usize, n: usize, fill: f32, rule_below: f32| {
            let h = n as f32 * lh + 2.0 * pad;
            let top = TOP + flow.y;
            if fill < 1.0 {
                flow.cur.push(Item::Rect { x: LEFT, y: top, w: BLOCK_W, h, gray: fill, outline: false });
            }
            let row_lines = cells.iter().map(|c| c.0.len()).max().unwrap_or(1);
            for (lines, align, x, w) in cells {
                // A row drawn whole centres each cell's lines vertically.
                let shift = if from == 0 && n == row_lines { (n - lines.len().min(n)) as f32 * lh / 2.0 } else { 0.0 };
                for (k, line) in lines.iter().skip(from).take(n).enumerate() {
                    let off = match align {
                        Align::Left => pad,
                        Align::Center => (w - line.natural) / 2.0,
                    };
                    let base = top + pad + shift + k as f32 * lh + lh / 2.0 + 0.36 * 12.0;
                    flow.place_line(line, x + off, base);
                }
            }
            flow.cur.push(Item::Rule { x1: LEFT, y1: top, x2: LEFT + BLOCK_W, y2: top, width: 0.5 });
            flow.cur.push(Item::Rule { x1: LEFT, y1: top + h, x2: LEFT + BLOCK_W, y2: top + h, width: rule_below });
            let verticals: Vec<f32> = if cells.len() == 1 { vec![LEFT, LEFT + BLOCK_W] } else { xs.clone() };
            for x in verticals {
                flow.cur.push(Item::Rule { x1: x, y1: top, x2: x, y2: top + h, width: 0.5 });
            }
            flow.y += h;
        };

        let head_lines = header.iter().map(|c| c.0.len()).max().unwrap_or(1);
        if self.room() < head_h + lh * 2.0 + 2.0 * pad {
            self.new_page();
        }
        draw_row(self, &header, 0, head_lines, 0.86, 0.8);
        let row_h = |cells: &Cells| cells.iter().map(|c| c.0.len()).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * pad;
        for (i, (cells, fill)) in rows.iter().enumerate() {
            let n = cells.iter().map(|c| c.0.len()).max().unwrap_or(1).max(1);
            // A group heading row keeps with the first row of its group.
            if matches!(table.rows[i], Row::Group(_)) {
                if let Some((next, _)) = rows.get(i + 1) {
                    let need = row_h(cells) + row_h(next).min(BLOCK_H / 3.0);
                    if self.room() < need && self.y > head_h + 1.0 {
                        self.new_page();
                        draw_row(self, &header, 0, head_lines, 0.86, 0.8);
                    }
                }
            }
            let mut from = 0;
            while from < n {
                let fit = ((self.room() - 2.0 * pad) / lh).floor().max(0.0) as usize;
                let rest = n - from;
                if fit >= rest {
                    draw_row(self, cells, from, rest, *fill, 0.5);
                    break;
                }
                // The row does not fit: move it under a repeated header on the next page, unless it
                // is taller than a page, which is then split at a line.
                if fit == 0 || (from == 0 && rest as f32 * lh + 2.0 * pad <= BLOCK_H - head_h) {
                    self.new_page();
                    draw_row(self, &header, 0, head_lines, 0.86, 0.8);
                    continue;
                }
                draw_row(self, cells, from, fit, *fill, 0.5);
                from += fit;
            }
        }
        self.snap();
    }

    fn appendix(&mut self, label: &str, title: &str, table: &Table) {
        if !self.cur.is_empty() || self.y > 0.0 {
            self.new_page();
        }
        let page = self.page_no();
        self.outline.push(OutlineEntry { title: format!("{label} {title}"), page });
        let lines = self.para(&[Span::new(label, H1)], 0.0, false);
        self.grid_lines(&lines, LEFT);
        let st = &STYLES[APPX_TITLE];
        let w = measure(self.fonts, APPX_TITLE, title);
        let base = baseline(self.y, PITCH * 1.5, st.size);
        self.cur.push(Item::Text { x: LEFT + (BLOCK_W - w) / 2.0, y: base, style: APPX_TITLE, text: title.to_string(), gray: 0.0 });
        // Title as one text item per character keeps the PDF writer simple; split it.
        if let Some(Item::Text { x, y, style, .. }) = self.cur.pop() {
            let mut cx = x;
            for c in title.chars() {
                let s = c.to_string();
                let cw = measure(self.fonts, style, &s);
                self.cur.push(Item::Text { x: cx, y, style, text: s, gray: 0.0 });
                cx += cw;
            }
        }
        self.y += PITCH * 2.0;
        self.table(table);
    }
}

/// Words a title line should not be broken inside (the end of `a` and the start of `b`).
fn splits_word(a: &str, b: &str) -> bool {
    const WORDS: [&str; 16] = [
        "履行", "教育", "职责", "情况", "自查", "自评", "报告", "人民", "政府", "年度", "关于", "工作", "督导", "评价",
        "落实", "发展",
    ];
    let (Some(x), Some(y)) = (a.chars().last(), b.chars().next()) else { return false };
    WORDS.iter().any(|w| {
        let mut c = w.chars();
        c.next() == Some(x) && c.next() == Some(y)
    }) || (x.is_ascii_digit() && y == '年')
}

fn format_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Lays out the report.
pub fn layout(report: &Report, fonts: &FontSet) -> Layout {
    let mut flow = Flow { fonts, pages: Vec::new(), cur: Vec::new(), y: 0.0, outline: Vec::new(), pending: None };
    for block in &report.blocks {
        match block {
            Block::Title(t) => flow.title(t),
            Block::Recipient(r) => {
                let text = if r.ends_with('：') { r.clone() } else { format!("{r}：") };
                let lines = flow.para(&[Span::new(text, BODY)], 0.0, true);
                flow.grid_lines(&lines, LEFT);
            }
            Block::Heading { level, text } => flow.heading(*level, text),
            Block::Para(runs) => {
                let spans: Vec<Span> = runs
                    .iter()
                    .map(|r| Span::new(r.text.as_str(), if r.bold { BODY_BOLD } else if r.kai { H2 } else { BODY }))
                    .collect();
                let lines = flow.para(&spans, 2.0 * CELL, true);
                // A run-in heading ("7.…。") is a heading too: it may not end a page without the
                // first line of its text plus one more.
                if runs.first().is_some_and(|r| r.bold) {
                    let heading_lines = lines
                        .iter()
                        .position(|l| l.pieces.iter().any(|p| p.style != BODY_BOLD))
                        .unwrap_or(lines.len().saturating_sub(1));
                    let need = (heading_lines + 2).min(lines.len()) as f32;
                    if flow.room() < PITCH * need - 0.5 {
                        flow.new_page();
                    }
                }
                flow.grid_lines(&lines, LEFT);
            }
            Block::Chart(c) => flow.place_chart(c, true),
            Block::Signature { organ, date } => {
                flow.flush_pending();
                flow.signature(organ, date)
            }
            Block::Appendix { label, title, table } => {
                flow.flush_pending();
                flow.appendix(label, title, table)
            }
        }
    }
    flow.flush_pending();
    if !flow.cur.is_empty() || flow.pages.is_empty() {
        flow.new_page();
    }
    let mut pages = flow.pages;
    // Page numbers.
    for page in &mut pages {
        let text = format!("— {} —", page.number);
        let w = measure(fonts, PAGENO, &text);
        let x = if page.number % 2 == 1 { LEFT + BLOCK_W - 14.0 - w } else { LEFT + 14.0 };
        let y = TOP + BLOCK_H + 7.0 * MM + 14.0 * 0.75;
        let mut cx = x;
        for part in ["—", " ", &page.number.to_string(), " ", "—"] {
            page.items.push(Item::Text { x: cx, y, style: PAGENO, text: part.to_string(), gray: 0.0 });
            cx += measure(fonts, PAGENO, part);
        }
    }
    let mut missing: Vec<char> = Vec::new();
    for page in &pages {
        for item in &page.items {
            if let Item::Text { text, style, .. } = item {
                for c in text.chars() {
                    if c != ' ' && fonts.resolve(STYLES[*style].role, c).is_none() && !missing.contains(&c) {
                        missing.push(c);
                    }
                }
            }
        }
    }
    Layout { pages, outline: flow.outline, missing }
}

/// A readable dump of the layout tree for snapshot tests: per page, each text line (items on one
/// baseline joined, with the style of its first item and its x/y to 0.1 pt), then the number of
/// rules and boxes.
pub fn snapshot(layout: &Layout) -> String {
    let mut out = String::new();
    for page in &layout.pages {
        out.push_str(&format!("=== page {} ===\n", page.number));
        let mut texts: Vec<(i64, f32, usize, &str)> = Vec::new();
        let (mut rules, mut rects) = (0, 0);
        for item in &page.items {
            match item {
                Item::Text { x, y, style, text, .. } => texts.push(((y * 10.0).round() as i64, *x, *style, text)),
                Item::Rule { .. } => rules += 1,
                Item::Rect { .. } => rects += 1,
            }
        }
        texts.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut i = 0;
        while i < texts.len() {
            let (y, x, style, _) = texts[i];
            let mut line = String::new();
            let mut end = x;
            while i < texts.len() && texts[i].0 == y {
                let (_, tx, ts, t) = texts[i];
                if !line.is_empty() && tx - end > STYLES[ts].cell * 1.5 {
                    line.push_str(" | ");
                }
                line.push_str(t);
                end = tx + t.chars().map(|c| if is_wide(c) { STYLES[ts].cell } else { STYLES[ts].size * 0.5 }).sum::<f32>();
                i += 1;
            }
            out.push_str(&format!("{:>6.1} {:>6.1} {:<4} {}\n", x, y as f32 / 10.0, STYLES[style].name, line));
        }
        out.push_str(&format!("rules {rules}, boxes {rects}\n"));
    }
    for o in &layout.outline {
        out.push_str(&format!("outline p{} {}\n", o.page, o.title));
    }
    out
}
