//! Small Chinese text helpers shared by [`crate::conclusion`] and [`crate::completeness`].
//!
//! Why a module of its own: the report's phrasing follows fixed habits of official Chinese
//! writing ("我县", "第15测评点", "占90.54%", reasons without inner commas inside "因…，扣…分").
//! Keeping each habit in one small, tested function means the conclusion and the completeness
//! messages phrase things the same way, and a change of habit is made once.
//!
//! To extend: add a pure function here (no IO, no allocation-heavy tricks), give it a unit test
//! below, and call it from the phrasing code. Keep all punctuation full-width.

use crate::system::IndicatorSystem;

/// The noun used when no level name is available.
pub const DEFAULT_LEAF_NOUN: &str = "测评点";

/// How a report refers to its own region: "示例县" → "我县", "某某区" → "我区".
///
/// The last character of the region decides (县, 区, 市, 州, 旗, 盟, 省, 师 — the last for the
/// divisions of the 兵团). A trailing "人民政府" or "政府" is ignored, so "示例县人民政府" also
/// gives "我县". Anything else (an empty region, "某某镇"…) gives the neutral "本地", which reads
/// correctly in every sentence the conclusion builds ("本地进行了认真的自查自评").
pub fn we_region(region: &str) -> String {
    let trimmed = region.trim();
    let base = trimmed
        .strip_suffix("人民政府")
        .or_else(|| trimmed.strip_suffix("政府"))
        .unwrap_or(trimmed)
        .trim_end();
    match base.chars().last() {
        Some(c @ ('县' | '区' | '市' | '州' | '旗' | '盟' | '省' | '师')) => {
            format!("我{c}")
        }
        _ => "本地".to_string(),
    }
}

/// Cleans a deduction reason for use inside the frame "因{reason}，扣{n}分".
///
/// Inside that frame the reason is one clause, so inner commas (full-width "，" and ASCII ",")
/// are removed: "满意度为79.62分，未达标" → "满意度为79.62分未达标". Surrounding white space and
/// trailing punctuation (。；，.;,、) are stripped, and a leading "因" typed by the user is dropped
/// so that the sentence never reads "因因…".
pub fn clean_reason(reason: &str) -> String {
    let without_commas: String = reason
        .chars()
        .filter(|c| !matches!(c, '，' | ','))
        .collect();
    let trimmed = without_commas.trim().trim_end_matches(|c: char| {
        matches!(c, '。' | '；' | '.' | ';' | '、') || c.is_whitespace()
    });
    let trimmed = trimmed.strip_prefix('因').unwrap_or(trimmed);
    trimmed.trim().to_string()
}

/// Formats a share given in hundredths of a percent with exactly two decimals: 9054 → "90.54",
/// 0 → "0.00", 10000 → "100.00".
pub fn share_string(hundredths_of_percent: u64) -> String {
    format!(
        "{}.{:02}",
        hundredths_of_percent / 100,
        hundredths_of_percent % 100
    )
}

/// How a sentence names a leaf: codes made of ASCII digits only read "第15测评点"; any other code
/// reads "测评点G1" (the noun first, then the code, as reports write "测评点3.2").
pub fn point_ref(noun: &str, code: &str) -> String {
    if !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) {
        format!("第{code}{noun}")
    } else {
        format!("{noun}{code}")
    }
}

/// What the conclusion calls a leaf of this system.
///
/// Rated systems may override it with `leaf_noun`. Otherwise it is the name of the level at which
/// the leaves sit (the depth of the first leaf): a system whose 测评点 are not imported yet has its
/// leaves at the 测评内容 level and says "38个测评内容". Falls back to the last level name, then
/// to [`DEFAULT_LEAF_NOUN`].
pub fn leaf_noun(system: &IndicatorSystem) -> String {
    if let crate::system::ScoringModel::Rated(r) = &system.scoring {
        if let Some(noun) = r
            .leaf_noun
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            return noun.to_string();
        }
    }
    let mut depth = 0;
    let mut nodes = &system.children;
    while let Some(first) = nodes.first() {
        if first.is_leaf() {
            break;
        }
        depth += 1;
        nodes = &first.children;
    }
    system
        .level_names
        .get(depth)
        .or(system.level_names.last())
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_LEAF_NOUN)
        .to_string()
}

/// A grade as phrased after "自评等级为": letter grades take "等" ("A" → "A等"); a grade already
/// written in words ("优秀", "A等") is kept as it is.
pub fn grade_phrase(grade: &str) -> String {
    let g = grade.trim();
    if !g.is_empty()
        && g.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
    {
        format!("{g}等")
    } else {
        g.to_string()
    }
}

/// Joins quoted labels the way GB/T 15834 recommends for juxtaposed quoted items (no 顿号 between
/// them): ["公众满意度", "社会认可度"] → "“公众满意度”“社会认可度”".
pub fn quoted_list(labels: &[&str]) -> String {
    labels.iter().map(|l| format!("“{l}”")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for (region, we) in [
            ("示例县", "我县"),
            ("某某区", "我区"),
            ("某某市", "我市"),
            ("某某自治州", "我州"),
            ("某某旗", "我旗"),
            ("某某盟", "我盟"),
            ("示例县人民政府", "我县"),
            (" 示例县 ", "我县"),
            ("第一师", "我师"),
            ("", "本地"),
            ("某某镇", "本地"),
        ] {
            assert_eq!(we_region(region), we, "{region}");
        }
    }

    #[test]
    fn reasons() {
        for (raw, clean) in [
            (
                "社会公众对教育工作满意度为79.62分，未达标",
                "社会公众对教育工作满意度为79.62分未达标",
            ),
            ("2所学校超规模办学。", "2所学校超规模办学"),
            ("  因大班额超标；", "大班额超标"),
            ("a, b,", "a b"),
            ("", ""),
            ("，。", ""),
        ] {
            assert_eq!(clean_reason(raw), clean, "{raw}");
        }
    }

    #[test]
    fn shares_and_refs() {
        assert_eq!(share_string(9054), "90.54");
        assert_eq!(share_string(946), "9.46");
        assert_eq!(share_string(0), "0.00");
        assert_eq!(share_string(10000), "100.00");
        assert_eq!(point_ref("测评点", "15"), "第15测评点");
        assert_eq!(point_ref("测评点", "G1"), "测评点G1");
        assert_eq!(point_ref("测评点", "3.2"), "测评点3.2");
        assert_eq!(grade_phrase("A"), "A等");
        assert_eq!(grade_phrase("优秀"), "优秀");
        assert_eq!(quoted_list(&["甲", "乙"]), "“甲”“乙”");
    }
}
