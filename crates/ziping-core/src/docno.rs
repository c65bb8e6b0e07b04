//! 文号 (document numbers): normalising what inspectors type to the form of GB/T 9704-2012,
//! 机关代字〔年份〕序号号, e.g. `示政发〔2024〕12号`.
//!
//! Why: the on-site check compares the evidence list with the documents on the table, so the same
//! document must be written the same way everywhere. People type the year brackets as ［］【】﹝﹞[]
//! （） or (), digits in full width, "第" before the number and leading zeros; all of these are
//! converted. What cannot be read as 机关代字〔年份〕序号号 is kept exactly as typed (trimmed) and
//! flagged ([`DocNo::Unparsed`]), never rejected: the user may have a good reason.
//!
//! Rules of [`normalize`]:
//!
//! * white space anywhere is dropped; full-width digits become ASCII digits;
//! * the year brackets ［］【】﹝﹞[]（）() and 〔〕 all become 〔〕;
//! * the 机关代字 before the bracket must be non-empty and contain no bracket or digit-only text;
//! * the year is four ASCII digits from 1900 to 2099; a trailing "年" inside the bracket is dropped;
//! * after the bracket: an optional "第", the number (leading zeros removed, at least 1), and "号"
//!   (added when missing); nothing may follow.

/// The result of normalising a 文号.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocNo {
    /// Nothing was typed.
    Empty,
    /// Read as 机关代字〔年份〕序号号; the normalised text.
    Valid(String),
    /// Not readable as a 文号; the text as typed (trimmed). Shown with a warning.
    Unparsed(String),
}

impl DocNo {
    /// The text to store and show: normalised when valid, as typed otherwise.
    pub fn text(&self) -> &str {
        match self {
            DocNo::Empty => "",
            DocNo::Valid(s) | DocNo::Unparsed(s) => s,
        }
    }

    /// True when the 文号 could not be read and is kept as typed.
    pub fn is_flagged(&self) -> bool {
        matches!(self, DocNo::Unparsed(_))
    }
}

/// Normalises a 文号; see the module documentation for the rules.
pub fn normalize(input: &str) -> DocNo {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return DocNo::Empty;
    }
    match parse(trimmed) {
        Some(s) => DocNo::Valid(s),
        None => DocNo::Unparsed(trimmed.to_string()),
    }
}

fn map_char(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '［' | '【' | '﹝' | '[' | '（' | '(' | '〔' | '〖' => '〔',
        '］' | '】' | '﹞' | ']' | '）' | ')' | '〕' | '〗' => '〕',
        other => other,
    }
}

fn parse(s: &str) -> Option<String> {
    let mapped: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(map_char)
        .collect();
    let (organ, rest) = mapped.split_once('〔')?;
    let (year, rest) = rest.split_once('〕')?;
    if organ.is_empty() || organ.contains('〕') || organ.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year = year.strip_suffix('年').unwrap_or(year);
    if year.len() != 4
        || !year.bytes().all(|b| b.is_ascii_digit())
        || !(year.starts_with("19") || year.starts_with("20"))
    {
        return None;
    }
    let rest = rest.strip_prefix('第').unwrap_or(rest);
    let number = rest.strip_suffix('号').unwrap_or(rest);
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = number.trim_start_matches('0');
    if number.is_empty() {
        return None;
    }
    Some(format!("{organ}〔{year}〕{number}号"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (typed, expected text, flagged)
    const TABLE: &[(&str, &str, bool)] = &[
        ("示政发〔2024〕12号", "示政发〔2024〕12号", false),
        ("示政发[2024]12号", "示政发〔2024〕12号", false),
        ("示政发［2024］12号", "示政发〔2024〕12号", false),
        ("示政发【2024】12号", "示政发〔2024〕12号", false),
        ("示政发﹝2024﹞12号", "示政发〔2024〕12号", false),
        ("示政发(2024)12号", "示政发〔2024〕12号", false),
        ("示政发（2024）12号", "示政发〔2024〕12号", false),
        ("示政发〔２０２４〕１２号", "示政发〔2024〕12号", false),
        ("示政发〔2024〕第12号", "示政发〔2024〕12号", false),
        ("示政发〔2024〕012号", "示政发〔2024〕12号", false),
        ("示政发〔2024〕第００７号", "示政发〔2024〕7号", false),
        ("示政发〔2024〕12", "示政发〔2024〕12号", false),
        ("  示政发 〔2024〕 12 号 ", "示政发〔2024〕12号", false),
        ("示政发〔2024年〕12号", "示政发〔2024〕12号", false),
        ("示教督字[2023]3号", "示教督字〔2023〕3号", false),
        ("示政办发【2024】第1号", "示政办发〔2024〕1号", false),
        ("", "", false),
        ("   ", "", false),
        // Unparseable: kept as typed (trimmed) and flagged.
        ("示政发2024年12号", "示政发2024年12号", true),
        ("〔2024〕12号", "〔2024〕12号", true),
        ("示政发〔24〕12号", "示政发〔24〕12号", true),
        ("示政发〔2024〕号", "示政发〔2024〕号", true),
        ("示政发〔2024〕0号", "示政发〔2024〕0号", true),
        ("示政发〔2024〕12号附件", "示政发〔2024〕12号附件", true),
        ("示政发〔2024〕十二号", "示政发〔2024〕十二号", true),
        ("示政发〔3024〕1号", "示政发〔3024〕1号", true),
        (" 无文号 ", "无文号", true),
        ("2024〔2024〕1号", "2024〔2024〕1号", true),
    ];

    #[test]
    fn normalisation_table() {
        for (typed, want, flagged) in TABLE {
            let got = normalize(typed);
            assert_eq!(got.text(), *want, "normalize({typed:?})");
            assert_eq!(got.is_flagged(), *flagged, "normalize({typed:?}) flagged");
            if !flagged {
                // Normalising is idempotent.
                assert_eq!(
                    normalize(got.text()),
                    got,
                    "normalize(normalize({typed:?}))"
                );
            }
        }
        assert_eq!(normalize(""), DocNo::Empty);
    }
}
