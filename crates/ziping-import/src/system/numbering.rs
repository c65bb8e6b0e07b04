//! Numbering in indicator cells: "一、", "（一）", "1.", "1、", "1.1", "1.1.1", "（1）", "①", "B1".
//!
//! [`split`] separates a cell's leading number from its title and turns the number into the code
//! the system stores ("一、教育保障" → `一` + `教育保障`). [`cell_text`] is the inverse used by the
//! writer, so an exported table reads back to the same codes.

use ziping_core::Points;

/// How a number was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// 一、 十二、
    Chinese,
    /// （一）
    ParenChinese,
    /// 1. 1、 1．
    Arabic,
    /// 1.1 1.1.1
    Dotted,
    /// （1）
    ParenArabic,
    /// ① … ⑳
    Circled,
    /// A1、 R2 B1.2
    Letter,
}

/// A cell split into its number (if any) and its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub code: Option<String>,
    pub style: Option<Style>,
    pub title: String,
    /// A trailing "（30分）" / "（满分30分）" / "（最高加5分）" removed from the title.
    pub score: Option<Points>,
}

const CN_DIGITS: &str = "一二三四五六七八九十百零〇两";

fn is_cn(c: char) -> bool {
    CN_DIGITS.contains(c)
}

fn is_circled(c: char) -> bool {
    ('\u{2460}'..='\u{2473}').contains(&c)
}

/// Full-width digits, letters, dots and parentheses to ASCII in the number part only.
fn fold(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '．' | '。' => '.',
        '(' => '（',
        ')' => '）',
        _ => c,
    }
}

fn is_sep(c: char) -> bool {
    matches!(c, '、' | '.' | '．' | ',' | '，' | ':' | '：' | ' ' | '\t' | '\u{3000}')
}

/// Collapses a title cell: line breaks and runs of spaces inside Chinese text are removed (they
/// come from narrow cells), a space between two ASCII words is kept.
pub fn collapse(s: &str) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() || c == '\u{3000}' {
            pending_space = true;
            continue;
        }
        if pending_space {
            if out.chars().last().is_some_and(|p| p.is_ascii_alphanumeric()) && c.is_ascii_alphanumeric() {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Splits a level cell into number and title. Line breaks in the cell are allowed anywhere
/// (number on its own line, title wrapped over lines).
pub fn split(raw: &str) -> Split {
    // The number may sit alone on the first line.
    let raw = raw.trim();
    let (code, style, rest) = match leading(raw) {
        Some((code, style, rest)) => (Some(code), Some(style), rest),
        None => (None, None, raw),
    };
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '、' | '：' | ':'));
    let mut title = collapse(rest);
    let mut score = None;
    if let Some((t, s)) = score_suffix(&title) {
        title = t;
        score = Some(s);
    }
    Split { code, style, title, score }
}

/// The leading number of `s`: (code, style, rest).
fn leading(s: &str) -> Option<(String, Style, &str)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let first = chars.first()?.1;
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let byte = |i: usize| chars.get(i).map_or(s.len(), |&(b, _)| b);
    // 一、 / 十二．
    if is_cn(first) {
        let mut i = 0;
        while at(i).is_some_and(is_cn) {
            i += 1;
        }
        if at(i).is_some_and(|c| matches!(c, '、' | '.' | '．')) {
            let code: String = chars[..i].iter().map(|&(_, c)| c).collect();
            return Some((code, Style::Chinese, &s[byte(i + 1)..]));
        }
        return None;
    }
    // （一） / （1）
    if matches!(fold(first), '（') {
        let mut i = 1;
        let mut inner = String::new();
        while let Some(c) = at(i) {
            let c = fold(c);
            if c == '）' {
                break;
            }
            inner.push(c);
            i += 1;
        }
        if at(i).map(fold) != Some('）') || inner.is_empty() {
            return None;
        }
        if inner.chars().all(is_cn) {
            return Some((format!("（{inner}）"), Style::ParenChinese, &s[byte(i + 1)..]));
        }
        if inner.chars().all(|c| c.is_ascii_digit()) {
            return Some((format!("（{inner}）"), Style::ParenArabic, &s[byte(i + 1)..]));
        }
        return None;
    }
    // 〔any code〕: the writer's form for codes that are not a usual number ("1.①", "x-1").
    if first == '〔' {
        let end = s.find('〕')?;
        let code = s[first.len_utf8()..end].trim();
        if code.is_empty() || code.chars().any(char::is_whitespace) {
            return None;
        }
        return Some((code.to_string(), Style::Letter, &s[end + '〕'.len_utf8()..]));
    }
    // ①
    if is_circled(first) {
        return Some((first.to_string(), Style::Circled, &s[byte(1)..]));
    }
    // 1. 1、 1.1 1.1.1
    if fold(first).is_ascii_digit() {
        let mut i = 0;
        let mut code = String::new();
        let mut dots = 0;
        loop {
            match at(i).map(fold) {
                Some(c) if c.is_ascii_digit() => code.push(c),
                Some('.') if at(i + 1).map(fold).is_some_and(|n| n.is_ascii_digit()) => {
                    code.push('.');
                    dots += 1;
                }
                _ => break,
            }
            i += 1;
        }
        let next = at(i);
        if dots > 0 {
            // "1.1标题", "1.1 标题", "1.1、标题", "1.1."
            let skip = usize::from(next.is_some_and(is_sep));
            return Some((code, Style::Dotted, &s[byte(i + skip)..]));
        }
        // A plain integer needs its separator ("2020年" is a title, not number 2020).
        return match next {
            Some(c) if is_sep(c) => Some((code, Style::Arabic, &s[byte(i + 1)..])),
            Some('\n' | '\r') => Some((code, Style::Arabic, &s[byte(i)..])),
            None => Some((code, Style::Arabic, "")),
            _ => None,
        };
    }
    // R1 / B2 / A1.2 followed by a separator.
    if fold(first).is_ascii_alphabetic() {
        let mut i = 0;
        let mut code = String::new();
        while at(i).map(fold).is_some_and(|c| c.is_ascii_alphabetic()) && i < 3 {
            code.push(fold(chars[i].1));
            i += 1;
        }
        let digits_from = i;
        while let Some(c) = at(i).map(fold) {
            if c.is_ascii_digit() || (c == '.' && at(i + 1).map(fold).is_some_and(|n| n.is_ascii_digit())) {
                code.push(c);
                i += 1;
            } else {
                break;
            }
        }
        if i == digits_from {
            return None;
        }
        return match at(i) {
            Some(c) if is_sep(c) || c == '\n' || c == '\r' => Some((code, Style::Letter, &s[byte(i)..])),
            None => Some((code, Style::Letter, "")),
            _ => None,
        };
    }
    None
}

/// "教育保障（30分）" → ("教育保障", 30). Also "（满分30分）", "（最高加5分）", "（加分上限5分）".
pub fn score_suffix(title: &str) -> Option<(String, Points)> {
    let t = title.trim_end();
    let t = t.strip_suffix('）').or_else(|| t.strip_suffix(')'))?;
    let open = t.rfind(['（', '('])?;
    let inner = &t[open + t[open..].chars().next()?.len_utf8()..];
    let inner = inner.trim();
    let inner = inner.strip_suffix('分')?;
    let number: String = inner
        .trim_start_matches(|c: char| !(c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)))
        .chars()
        .map(fold)
        .collect();
    let prefix = &inner[..inner.len() - number.len().min(inner.len())];
    if !prefix.is_empty() && !["满分", "最高加", "最高", "最多加", "加分上限", "上限", "共", "计", "总分", "不超过", "最高不超过"].contains(&prefix.trim())
    {
        return None;
    }
    let points = Points::parse(&number)?;
    Some((t[..open].trim_end().to_string(), points))
}

/// The cell text the writer uses for a node: its code written as a number, then the title, so
/// that [`split`] gives back the same code and title.
pub fn cell_text(code: &str, title: &str) -> String {
    let probe = |text: String| -> Option<String> {
        let s = split(&text);
        (s.code.as_deref() == Some(code) && s.title == collapse(title) && s.score.is_none()).then_some(text)
    };
    let candidates = [
        format!("{code}、{title}"),
        format!("{code}. {title}"),
        format!("{code} {title}"),
        format!("{code}{title}"),
    ];
    for c in candidates {
        if let Some(t) = probe(c) {
            return t;
        }
    }
    format!("〔{code}〕{title}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cell: &str, code: Option<&str>, title: &str, score: Option<i64>) {
        let s = split(cell);
        assert_eq!(s.code.as_deref(), code, "{cell}");
        assert_eq!(s.title, title, "{cell}");
        assert_eq!(s.score, score.map(Points::whole), "{cell}");
    }

    #[test]
    fn numbering_styles() {
        check("一、教育保障", Some("一"), "教育保障", None);
        check("十二．规范办学", Some("十二"), "规范办学", None);
        check("（一）经费投入", Some("（一）"), "经费投入", None);
        check("(二) 教师队伍", Some("（二）"), "教师队伍", None);
        check("1.经费", Some("1"), "经费", None);
        check("1、经费", Some("1"), "经费", None);
        check("１．经费", Some("1"), "经费", None);
        check("1.1 测评点", Some("1.1"), "测评点", None);
        check("1.1.2测评点", Some("1.1.2"), "测评点", None);
        check("（3）三级", Some("（3）"), "三级", None);
        check("①第一点", Some("①"), "第一点", None);
        check("R1 生均面积", Some("R1"), "生均面积", None);
        check("B2、加分", Some("B2"), "加分", None);
        check("2020年起实施", None, "2020年起实施", None);
        check("一般公共预算", None, "一般公共预算", None);
        check("1.1\n测评点\n标题", Some("1.1"), "测评点标题", None);
        check("一、\n教育保障（30分）", Some("一"), "教育保障", Some(30));
        check("加分项（最高加5分）", None, "加分项", Some(5));
        check("学校（含教学点）", None, "学校（含教学点）", None);
    }

    #[test]
    fn cell_text_round_trips() {
        for (code, title) in [("一", "保障"), ("1", "经费"), ("1.1", "点"), ("（一）", "组"), ("①", "点"), ("R1", "面积"), ("15", "满意度")] {
            let t = cell_text(code, title);
            let s = split(&t);
            assert_eq!((s.code.as_deref(), s.title.as_str()), (Some(code), title), "{t}");
        }
        assert_eq!(cell_text("x-1", "标题"), "〔x-1〕标题");
        assert_eq!(split("〔1.①〕点").code.as_deref(), Some("1.①"));
    }
}
