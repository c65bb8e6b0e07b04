//! Line breaking for Chinese official documents, written for this crate.
//!
//! The text is cut into *units* that are never split: one CJK character, a Latin word or number
//! ("97.66%", "2024", "pdf"), a run of "——" or "……", or a space. Units are then glued into
//! *groups* by the 禁则 (kinsoku) rules:
//!
//! - a unit that may not start a line (、。，；：？！）》”’ …) is glued to the unit before it;
//! - a unit that may not end a line (（《“‘ …) is glued to the unit after it.
//!
//! Lines are filled greedily with whole groups (推出: a group that does not fit moves to the next
//! line). When the group that overflows ends in full-width punctuation and the overflow is at most
//! half a character, the line keeps it and is squeezed instead (标点挤压), because a full-width
//! punctuation mark is half blank. Justified lines spread (or squeeze) the difference evenly over
//! the gaps between units; the last line of a paragraph is left-aligned. A group wider than a whole
//! line (a very long URL) falls back to unit breaks, and a unit wider than a line to character
//! breaks, so nothing is ever lost.
//!
//! The breaker knows nothing about fonts: the caller passes a measuring function for a unit's text
//! in a given style.

use serde::Serialize;

/// A run of text in one style (the style is an index the caller understands).
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: usize,
}

impl Span {
    pub fn new(text: impl Into<String>, style: usize) -> Span {
        Span { text: text.into(), style }
    }
}

/// One unit placed on a line: `x` is relative to the line's left edge (after any indent).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Piece {
    pub text: String,
    pub style: usize,
    pub x: f32,
    pub width: f32,
}

/// One line of a paragraph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Line {
    pub pieces: Vec<Piece>,
    /// Left offset of the line inside the column (the first-line indent, or 0).
    pub indent: f32,
    /// Natural width of the pieces before justification.
    pub natural: f32,
}

impl Line {
    /// The line's text, as a reader copies it.
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

/// How to break a paragraph.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// Column width in pt.
    pub width: f32,
    /// Indent of the first line in pt (2 characters for body paragraphs).
    pub first_indent: f32,
    /// Spread lines to the full width (all but the last).
    pub justify: bool,
    /// The width of one full-width character (the grid pitch), for 标点挤压.
    pub em: f32,
}

/// Characters that may not begin a line.
pub fn no_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。' | '，' | '；' | '：' | '？' | '！' | '）' | '》' | '〉' | '」' | '』' | '】' | '〕' | '］' | '｝'
            | '”' | '’' | '…' | '·' | '．' | '％' | '‰' | '℃' | '〗' | '～' | ',' | '.' | ';' | ':' | '?' | '!'
            | ')' | ']' | '}' | '%'
    )
}

/// Characters that may not end a line.
pub fn no_end(c: char) -> bool {
    matches!(c, '（' | '《' | '〈' | '「' | '『' | '【' | '〔' | '［' | '｛' | '“' | '‘' | '〖' | '(' | '[' | '{')
}

/// Whether a character takes a full grid cell (CJK ideographs, full-width punctuation, kana…).
pub fn is_wide(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF01..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·' | '　')
}

#[derive(Clone, Debug)]
struct Unit {
    text: String,
    style: usize,
    width: f32,
    space: bool,
}

/// Cuts spans into units (see the module docs).
fn units(spans: &[Span], measure: &dyn Fn(usize, &str) -> f32) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for span in spans {
        let chars: Vec<char> = span.text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let start = i;
            if c == ' ' || c == '\t' {
                while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
                    i += 1;
                }
                out.push(Unit { text: " ".into(), style: span.style, width: measure(span.style, " "), space: true });
                continue;
            }
            if c == '\n' {
                i += 1;
                continue;
            }
            if c == '—' || c == '…' {
                while i < chars.len() && chars[i] == c {
                    i += 1;
                }
            } else if is_wide(c) {
                i += 1;
            } else {
                // A Latin word or number, with the ASCII punctuation inside it ("97.66%", "1,260").
                while i < chars.len() && !is_wide(chars[i]) && chars[i] != ' ' && chars[i] != '\t' && chars[i] != '\n'
                {
                    i += 1;
                }
            }
            let text: String = chars[start..i].iter().collect();
            let width = measure(span.style, &text);
            out.push(Unit { text, style: span.style, width, space: false });
        }
    }
    out
}

/// Whether a line break between `a` and `b` is forbidden.
fn glued(a: &Unit, b: &Unit) -> bool {
    if a.space || b.space {
        return false;
    }
    let first_b = b.text.chars().next().unwrap_or(' ');
    let last_a = a.text.chars().last().unwrap_or(' ');
    no_start(first_b) || no_end(last_a) || (first_b == '—' && last_a == '—') || (first_b == '…' && last_a == '…')
}

/// Breaks styled text into lines.
pub fn break_lines(spans: &[Span], params: &Params, measure: &dyn Fn(usize, &str) -> f32) -> Vec<Line> {
    let units = units(spans, measure);
    // Groups: [start, end) ranges of units with no allowed break inside.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 0..units.len() {
        let last = i + 1 == units.len();
        if last || !glued(&units[i], &units[i + 1]) {
            groups.push((start, i + 1));
            start = i + 1;
        }
    }

    let mut lines: Vec<Vec<Unit>> = Vec::new();
    let mut cur: Vec<Unit> = Vec::new();
    let avail = |n: usize| if n == 0 { params.width - params.first_indent } else { params.width };
    let width_of = |us: &[Unit]| us.iter().map(|u| u.width).sum::<f32>();
    let trimmed_width = |us: &[Unit]| {
        let end = us.iter().rposition(|u| !u.space).map_or(0, |p| p + 1);
        width_of(&us[..end])
    };

    for &(gs, ge) in &groups {
        let group = &units[gs..ge];
        if cur.is_empty() && group.iter().all(|u| u.space) {
            continue; // no spaces at the start of a line
        }
        let w = width_of(group);
        let have = width_of(&cur);
        let room = avail(lines.len());
        let trailing_space = group.iter().all(|u| u.space);
        let squeezable = group
            .last()
            .and_then(|u| u.text.chars().last())
            .is_some_and(|c| no_start(c) && is_wide(c));
        if trailing_space || have + w <= room + 0.01 || (squeezable && have + w <= room + params.em * 0.5 && !cur.is_empty()) {
            cur.extend_from_slice(group);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        // The group starts a fresh line; when it is wider than a line, cut it by units, then by chars.
        if w <= avail(lines.len()) + 0.01 {
            cur.extend_from_slice(group);
            continue;
        }
        for u in group {
            let room = avail(lines.len());
            if width_of(&cur) + u.width <= room + 0.01 {
                cur.push(u.clone());
                continue;
            }
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            if u.width <= avail(lines.len()) + 0.01 {
                cur.push(u.clone());
                continue;
            }
            for ch in u.text.chars() {
                let s = ch.to_string();
                let cw = measure(u.style, &s);
                if width_of(&cur) + cw > avail(lines.len()) + 0.01 && !cur.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
                cur.push(Unit { text: s, style: u.style, width: cw, space: false });
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }

    let count = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(n, mut us)| {
            while us.last().is_some_and(|u| u.space) {
                us.pop();
            }
            let natural = trimmed_width(&us);
            let room = avail(n);
            let last = n + 1 == count;
            let gaps = us.len().saturating_sub(1) as f32;
            let extra = if gaps > 0.0 && ((params.justify && !last) || natural > room) {
                (room - natural) / gaps
            } else {
                0.0
            };
            let mut x = 0.0;
            let pieces = us
                .into_iter()
                .map(|u| {
                    let p = Piece { text: u.text, style: u.style, x, width: u.width };
                    x += u.width + extra;
                    p
                })
                .collect();
            Line { pieces, indent: if n == 0 { params.first_indent } else { 0.0 }, natural }
        })
        .collect()
}

/// Breaks plain text and returns the lines' texts (handy for tests and for measuring titles).
pub fn break_plain(text: &str, params: &Params, measure: &dyn Fn(usize, &str) -> f32) -> Vec<String> {
    break_lines(&[Span::new(text, 0)], params, measure).iter().map(Line::text).collect()
}

/// The monospace grid measure used by tests and by the DOCX estimate: wide characters take one
/// `em`, everything else half of it.
pub fn grid_measure(em: f32) -> impl Fn(usize, &str) -> f32 {
    move |_, s: &str| s.chars().map(|c| if is_wide(c) { em } else { em * 0.5 }).sum()
}
