//! Text normalisation: headers (units, stages, synonyms) and numbers written by hand.

use crate::spec::{FieldType, Part};

/// Full-width ASCII (！…～) to half-width, ideographic space to space, and the usual dash and dot
/// look-alikes to ASCII. Keeps every other character (including ㎡).
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            _ => c,
        })
        .collect()
}

/// A unit found in a header.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unit {
    /// Area; factor to ㎡.
    Area(f64),
    /// Money; factor to 元.
    Money(f64),
    /// People, rooms, classes, copies (no conversion).
    Count,
    Percent,
    /// 百分制 / 分.
    Hundred,
    /// 十分制.
    Ten,
}

impl Unit {
    /// Reads a unit spelling: "㎡", "平方米", "m2", "万元", "元/人", "人", "%", "十分制"…
    pub fn parse(s: &str) -> Option<Unit> {
        let t: String = half_width(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .trim_start_matches("单位")
            .trim_start_matches([':', '：'])
            .to_string();
        // "元/人", "元/生/年": the unit of the amount is before the slash.
        let t = t.split(['/', '每']).next().unwrap_or("").to_string();
        let u = match t.as_str() {
            "㎡" | "m²" | "m2" | "M2" | "平方米" | "平米" | "平方" => Unit::Area(1.0),
            "万㎡" | "万平方米" | "万m²" | "万m2" => Unit::Area(10_000.0),
            "元" => Unit::Money(1.0),
            "千元" => Unit::Money(1_000.0),
            "万元" => Unit::Money(10_000.0),
            "亿元" => Unit::Money(100_000_000.0),
            "人" | "个" | "间" | "所" | "名" | "班" | "册" | "份" | "人次" | "户" | "套" | "台" => {
                Unit::Count
            }
            "%" | "百分比" => Unit::Percent,
            "百分制" | "分" | "百分" => Unit::Hundred,
            "十分制" | "10分制" => Unit::Ten,
            _ => return None,
        };
        Some(u)
    }

    /// Chinese name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Area(1.0) => "㎡",
            Unit::Area(_) => "万㎡",
            Unit::Money(1.0) => "元",
            Unit::Money(1_000.0) => "千元",
            Unit::Money(10_000.0) => "万元",
            Unit::Money(_) => "亿元",
            Unit::Count => "人（个）",
            Unit::Percent => "%",
            Unit::Hundred => "百分制",
            Unit::Ten => "十分制",
        }
    }
}

/// A header cell after normalisation.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Header {
    /// The name without units, brackets, punctuation or spaces ("教学及辅助用房面积").
    pub name: String,
    /// The first unit found (in brackets or as a suffix).
    pub unit: Option<Unit>,
    /// A stage given in brackets ("在校学生数（小学）").
    pub stage: Option<Part>,
}

const STAGE_TOKENS: &[(&str, Part)] = &[
    ("小学部", Part::Primary),
    ("初中部", Part::Junior),
    ("高中部", Part::Senior),
    ("小学", Part::Primary),
    ("初中", Part::Junior),
    ("普通高中", Part::Senior),
    ("高中", Part::Senior),
    ("合计", Part::Total),
    ("总计", Part::Total),
    ("全校", Part::Total),
    ("小计", Part::Total),
];

fn stage_token(s: &str) -> Option<Part> {
    STAGE_TOKENS.iter().find(|(t, _)| *t == s).map(|(_, p)| *p)
}

/// Characters dropped from header names.
fn is_noise(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(
            c,
            '、' | '，'
                | '。'
                | '：'
                | '；'
                | '—'
                | '–'
                | '－'
                | '～'
                | '·'
                | '•'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '★'
                | '※'
        )
}

/// Normalises a header cell: units and stages in brackets are taken out, other bracketed notes
/// ("公办/民办") dropped, "其中" removed, punctuation and spaces removed.
pub fn header(raw: &str) -> Header {
    let s = half_width(raw);
    let mut name = String::new();
    let mut unit = None;
    let mut stage = None;
    let mut depth = 0usize;
    let mut inner = String::new();
    for c in s.chars() {
        match c {
            '(' | '（' | '[' | '【' | '〔' | '<' | '《' => {
                if depth > 0 {
                    inner.push(c);
                }
                depth += 1;
            }
            ')' | '）' | ']' | '】' | '〕' | '>' | '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let t: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
                    if let Some(u) = Unit::parse(&t) {
                        unit.get_or_insert(u);
                    } else if let Some(p) = stage_token(&t) {
                        stage.get_or_insert(p);
                    }
                    inner.clear();
                } else {
                    inner.push(c);
                }
            }
            _ if depth > 0 => inner.push(c),
            _ => name.push(c),
        }
    }
    // An unclosed bracket: keep its text as part of the name.
    name.push_str(&inner);
    let mut name: String = name.chars().filter(|c| !is_noise(*c)).collect();
    for p in ["其中", "单位"] {
        if let Some(rest) = name.strip_prefix(p) {
            name = rest.to_string();
        }
    }
    if unit.is_none() {
        for (suffix, u) in [
            ("万元", Unit::Money(10_000.0)),
            ("亿元", Unit::Money(100_000_000.0)),
            ("平方米", Unit::Area(1.0)),
            ("㎡", Unit::Area(1.0)),
            ("m²", Unit::Area(1.0)),
        ] {
            if let Some(rest) = name.strip_suffix(suffix) {
                if !rest.is_empty() {
                    name = rest.to_string();
                    unit = Some(u);
                    break;
                }
            }
        }
    }
    Header { name, unit, stage }
}

/// Splits a stage word off the start or end of a normalised name: "小学在校生数" → (在校生数,
/// Primary), "在校学生数合计" → (在校学生数, Total).
pub fn split_stage(name: &str) -> (String, Option<Part>) {
    for (t, p) in STAGE_TOKENS {
        if let Some(rest) = name.strip_prefix(t) {
            if !rest.is_empty() {
                return (rest.to_string(), Some(*p));
            }
        }
        if let Some(rest) = name.strip_suffix(t) {
            if !rest.is_empty() {
                return (rest.to_string(), Some(*p));
            }
        }
    }
    (name.to_string(), None)
}

/// Why a cell could not be read as a number.
#[derive(Clone, Debug, PartialEq)]
pub enum NumError {
    NotANumber,
    /// "1,23": commas that are not thousands separators.
    BadSeparators,
}

/// A number written as text: thousands separators (, ，  ' and spaces), full-width digits, a
/// trailing % (reported), a trailing unit word. Returns (value, had_percent).
pub fn parse_number(raw: &str) -> Result<(f64, bool), NumError> {
    let s = half_width(raw);
    let mut t: String = s.trim().to_string();
    for suffix in [
        "万元",
        "亿元",
        "平方米",
        "人次",
        "元",
        "人",
        "个",
        "间",
        "所",
        "名",
        "班",
        "份",
        "㎡",
        "分",
    ] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.trim_end().to_string();
            break;
        }
    }
    let mut percent = false;
    if let Some(rest) = t.strip_suffix('%') {
        percent = true;
        t = rest.trim_end().to_string();
    }
    let t = t.replace('。', ".");
    // Spaces and apostrophes as group separators: "12 345", "12'345".
    let t: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'')
        .collect();
    let t = if t.contains(',') {
        let (int, frac) = match t.split_once('.') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (t.clone(), None),
        };
        let sign = if int.starts_with(['-', '+']) {
            &int[..1]
        } else {
            ""
        };
        let body = &int[sign.len()..];
        let groups: Vec<&str> = body.split(',').collect();
        let ok = !groups.is_empty()
            && !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return Err(NumError::BadSeparators);
        }
        let mut out = format!("{sign}{}", groups.concat());
        if let Some(f) = frac {
            out.push('.');
            out.push_str(&f);
        }
        out
    } else {
        t
    };
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        || !t.chars().any(|c| c.is_ascii_digit())
    {
        return Err(NumError::NotANumber);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok((v, percent)),
        _ => Err(NumError::NotANumber),
    }
}

/// Whether a text cell means "nothing here": "", "—", "-", "/", "无".
pub fn is_blank_text(s: &str) -> bool {
    let t = half_width(s);
    let t = t.trim();
    t.is_empty() || matches!(t, "-" | "—" | "——" | "--" | "/" | "\\" | "无" | "空")
}

/// A year in "2024", "2024年", "2024年度", "2024-2025学年" (the first year).
pub fn parse_year(raw: &str) -> Option<i32> {
    let s = half_width(raw);
    let digits: String = s
        .trim()
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.len() != 4 {
        return None;
    }
    let rest: String = s.trim().chars().filter(|c| !c.is_ascii_digit()).collect();
    let allowed = rest
        .chars()
        .all(|c| "年度学-—–~～至/ .".contains(c) || c.is_whitespace());
    if !allowed {
        return None;
    }
    let y: i32 = digits.parse().ok()?;
    (1900..=2200).contains(&y).then_some(y)
}

/// Whether a label marks a total or subtotal row; `Some(true)` for 小计.
pub fn total_label(s: &str) -> Option<bool> {
    let t: String = half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.chars().count() > 10 {
        return None;
    }
    if t.contains("小计") {
        Some(true)
    } else if t.contains("合计") || t.contains("总计") || t == "全县" || t == "总数" {
        Some(false)
    } else {
        None
    }
}

/// Whether a label starts a footer line ("填表人：", "注：").
pub fn is_footer(s: &str) -> bool {
    let t: String = half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    [
        "填表人",
        "填报人",
        "审核人",
        "负责人",
        "单位负责人",
        "制表",
        "注:",
        "注：",
        "说明:",
        "说明：",
        "备注:",
        "备注：",
        "数据来源",
        "联系电话",
        "填报日期",
        "填表日期",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// The column letters of a 0-based column: 0 → "A", 27 → "AB".
pub fn col_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push((b'A' + r) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// The units a title row declares: "单位：万元", "金额单位:元", "（单位：人、㎡、万元）",
/// "面积单位：平方米". A qualifier before 单位 (金额、经费、资金 / 面积) restricts the kind; other
/// text ("填报单位：示例县教育局") declares nothing.
pub fn title_units(s: &str) -> Vec<Unit> {
    let t: String = half_width(s).chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    let mut rest = t.as_str();
    while let Some(i) = rest.find("单位") {
        let before = &rest[..i];
        let money_only = ["金额", "经费", "资金", "货币"]
            .iter()
            .any(|q| before.ends_with(q));
        let area_only = before.ends_with("面积");
        let after = &rest[i + "单位".len()..];
        let Some(after) = after.strip_prefix([':', '：']) else {
            rest = after;
            continue;
        };
        let end = after
            .find([')', '）', ';', '；', '。', ']', '】'])
            .unwrap_or(after.len());
        // The next declaration ("…教育局单位：万元") ends this one.
        let end = after[..end].find("单位").map_or(end, |k| {
            // Keep a qualifier ("金额单位") for the next round.
            let q = ["金额", "经费", "资金", "货币", "面积"]
                .iter()
                .find(|q| after[..k].ends_with(*q))
                .map_or(0, |q| q.len());
            k - q
        });
        for tok in after[..end].split(['、', ',', '，']) {
            let Some(u) = Unit::parse(tok) else { continue };
            let fits = match u {
                Unit::Money(_) => !area_only,
                Unit::Area(_) => !money_only,
                _ => !money_only && !area_only,
            };
            if fits {
                out.push(u);
            }
        }
        rest = &after[end..];
    }
    out
}

/// Checks a type: whether `unit` may be given for a field of type `ty`, and the factor from
/// the header unit to the field's unit (`None`: the unit does not fit).
pub fn unit_factor(ty: FieldType, unit: Option<Unit>) -> Option<f64> {
    match (ty, unit) {
        (_, None) => Some(1.0),
        (FieldType::Area, Some(Unit::Area(f))) => Some(f),
        (FieldType::WanYuan, Some(Unit::Money(f))) => Some(f / 10_000.0),
        (FieldType::Yuan, Some(Unit::Money(f))) => Some(f),
        (FieldType::Count, Some(Unit::Count)) => Some(1.0),
        (FieldType::Score, Some(Unit::Hundred | Unit::Ten | Unit::Percent)) => Some(1.0),
        (FieldType::Text | FieldType::Id | FieldType::Year, Some(_)) => Some(1.0),
        (
            FieldType::SchoolKind
            | FieldType::Ownership
            | FieldType::Locality
            | FieldType::Stage
            | FieldType::Scale,
            Some(_),
        ) => Some(1.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_in_title_rows() {
        assert_eq!(title_units("单位：万元"), vec![Unit::Money(10_000.0)]);
        assert_eq!(title_units("单位:元"), vec![Unit::Money(1.0)]);
        assert_eq!(title_units("金额单位：万元"), vec![Unit::Money(10_000.0)]);
        assert_eq!(
            title_units("示例县2024年教育经费（单位：亿元）"),
            vec![Unit::Money(100_000_000.0)]
        );
        assert_eq!(
            title_units("单位：人、㎡、万元"),
            vec![Unit::Count, Unit::Area(1.0), Unit::Money(10_000.0)]
        );
        assert_eq!(
            title_units("面积单位：平方米；金额单位：千元"),
            vec![Unit::Area(1.0), Unit::Money(1_000.0)]
        );
        assert_eq!(title_units("金额单位：平方米"), vec![]);
        assert_eq!(title_units("填报单位：示例县教育局"), vec![]);
        assert_eq!(title_units("填报单位：元宝山区教育局  单位：万元"), vec![Unit::Money(10_000.0)]);
        assert_eq!(title_units("学校基本情况表"), vec![]);
    }

    #[test]
    fn headers() {
        let h = header("教学及辅助用房面积（㎡）");
        assert_eq!(h.name, "教学及辅助用房面积");
        assert_eq!(h.unit, Some(Unit::Area(1.0)));
        let h = header("其中：小学在校生数(人)");
        assert_eq!(h.name, "小学在校生数");
        assert_eq!(h.unit, Some(Unit::Count));
        assert_eq!(
            split_stage(&h.name),
            ("在校生数".to_string(), Some(Part::Primary))
        );
        let h = header("办学性质（公办/民办）");
        assert_eq!(h.name, "办学性质");
        assert_eq!(h.unit, None);
        let h = header("3-5岁适龄人口");
        assert_eq!(h.name, "35岁适龄人口");
        let h = header("一般公共预算教育支出万元");
        assert_eq!(h.name, "一般公共预算教育支出");
        assert_eq!(h.unit, Some(Unit::Money(10_000.0)));
        let h = header("按在校生人数平均的一般公共预算教育支出（元/人）");
        assert_eq!(h.unit, Some(Unit::Money(1.0)));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("4,560"), Ok((4560.0, false)));
        assert_eq!(parse_number("１２，３４５．５"), Ok((12345.5, false)));
        assert_eq!(parse_number(" 83.5% "), Ok((83.5, true)));
        assert_eq!(parse_number("2140人"), Ok((2140.0, false)));
        assert_eq!(parse_number("1,23"), Err(NumError::BadSeparators));
        assert_eq!(parse_number("二百"), Err(NumError::NotANumber));
        assert_eq!(parse_number("-"), Err(NumError::NotANumber));
        assert_eq!(parse_number("12 345"), Ok((12345.0, false)));
    }

    #[test]
    fn years_and_labels() {
        assert_eq!(parse_year("2024年度"), Some(2024));
        assert_eq!(parse_year("２０２３年"), Some(2023));
        assert_eq!(parse_year("2023-2024学年"), Some(2023));
        assert_eq!(parse_year("合计"), None);
        assert_eq!(parse_year("20245"), None);
        assert_eq!(total_label("全县合计"), Some(false));
        assert_eq!(total_label("小 计"), Some(true));
        assert_eq!(total_label("县城第一小学"), None);
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(27), "AB");
    }
}
