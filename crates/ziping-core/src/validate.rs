//! Validation of indicator systems: every problem, each with its path.
//!
//! Deserialising a system (serde, `deny_unknown_fields`) only checks its *shape*. [`validate`]
//! checks its *meaning* — unique codes, scores that add up, ordered grades, consistent levels —
//! and returns **every** problem it finds, never only the first, so that whoever maintains or
//! imports a system can fix a file in one pass. [`load_system`] does both steps for a file's text
//! and turns JSON syntax and shape errors into Chinese messages with line and column.
//!
//! Paths look like `children[2].children[4].max_score（测评点“15”）`: the JSON location, then the
//! tree level's name and the node's code for humans. Messages are Simplified Chinese with
//! full-width punctuation. The rules are listed in `docs/indicator-system-format.md`; to add a
//! rule, add a check here and a case to `tests/validation.rs`.

use std::collections::{BTreeSet, HashMap};

use crate::points::Points;
use crate::system::{
    Bonus, FigureBinding, IndicatorSystem, Node, PointsModel, RatedModel, ScoringModel, SYSTEM_FORMAT,
};

/// One problem found in a system file. `path` is a JSON-pointer-like location such as
/// `children[2].children[4].max_score`, prefixed by the node codes for humans where known.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub path: String,
    /// Chinese message.
    pub message: String,
}

impl Problem {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { path: path.into(), message: message.into() }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}：{}", self.path, self.message)
        }
    }
}

/// Checks the meaning of a system; returns all problems (empty = valid).
pub fn validate(system: &IndicatorSystem) -> Vec<Problem> {
    let mut v = Validator { system, problems: Vec::new(), codes: HashMap::new() };
    v.header();
    v.tree();
    match &system.scoring {
        ScoringModel::Rated(m) => v.rated(m),
        ScoringModel::Points(m) => v.points(m),
    }
    v.problems
}

/// Parses and validates a system file's text. `origin` names the file in messages.
///
/// A syntax or shape error yields a single problem whose message names the file, line and column
/// ("文件 x.json 第12行第5列：缺少字段“title”。"); a file written for a newer format version
/// yields only the version problem (its shape may legitimately differ); otherwise every problem
/// [`validate`] finds is returned.
pub fn load_system(origin: &str, json: &str) -> Result<IndicatorSystem, Vec<Problem>> {
    if json.trim().is_empty() {
        return Err(vec![Problem::new(origin, format!("文件 {origin} 是空的，不是指标体系文件。"))]);
    }
    // First the syntax, and the format version before the shape: a newer file may have fields
    // this program does not know, and "please upgrade" is the useful message then.
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| vec![json_problem(origin, &e)])?;
    if let Some(format) = value.get("format").and_then(serde_json::Value::as_u64) {
        if format > u64::from(SYSTEM_FORMAT) {
            return Err(vec![Problem::new("format", format_message(format))]);
        }
    }
    let system: IndicatorSystem = serde_json::from_str(json).map_err(|e| vec![json_problem(origin, &e)])?;
    let problems = validate(&system);
    if problems.is_empty() {
        Ok(system)
    } else {
        Err(problems)
    }
}

fn format_message(format: u64) -> String {
    if format > u64::from(SYSTEM_FORMAT) {
        format!("该指标体系文件的格式版本为{format}，本程序只支持{SYSTEM_FORMAT}。请升级本程序后再导入。")
    } else {
        format!("该指标体系文件的格式版本为{format}，本程序只支持{SYSTEM_FORMAT}。")
    }
}

/// Turns a serde_json error into a Chinese problem with file, line and column.
fn json_problem(origin: &str, e: &serde_json::Error) -> Problem {
    let raw = e.to_string();
    // serde_json appends " at line L column C"; the position is given separately.
    let text = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw.as_str(),
    };
    let message = if e.line() == 0 {
        format!("文件 {origin}：{}", translate_serde(text))
    } else if e.column() == 0 {
        format!("文件 {origin} 第{}行：{}", e.line(), translate_serde(text))
    } else {
        format!("文件 {origin} 第{}行第{}列：{}", e.line(), e.column(), translate_serde(text))
    };
    Problem::new(format!("{origin}:{}:{}", e.line(), e.column()), message)
}

/// Translates the common serde / serde_json messages into Chinese; unknown ones are kept,
/// prefixed so that the sentence still reads as Chinese.
fn translate_serde(text: &str) -> String {
    fn ticked(s: &str) -> Vec<&str> {
        s.split('`').skip(1).step_by(2).collect()
    }
    if let Some(rest) = text.strip_prefix("missing field ") {
        let name = ticked(rest).first().copied().unwrap_or(rest);
        return format!("缺少必填字段“{name}”。");
    }
    if let Some(rest) = text.strip_prefix("unknown field ") {
        let names = ticked(rest);
        let name = names.first().copied().unwrap_or(rest);
        return if names.len() > 1 {
            format!("无法识别的字段“{name}”（可用的字段：{}）。", names[1..].join("、"))
        } else {
            format!("无法识别的字段“{name}”（此处不允许任何字段）。")
        };
    }
    if let Some(rest) = text.strip_prefix("unknown variant ") {
        let names = ticked(rest);
        let name = names.first().copied().unwrap_or(rest);
        return format!("无法识别的取值“{name}”（可用的取值：{}）。", names.get(1..).unwrap_or(&[]).join("、"));
    }
    if let Some(rest) = text.strip_prefix("duplicate field ") {
        let name = ticked(rest).first().copied().unwrap_or(rest);
        return format!("字段“{name}”重复出现。");
    }
    if let Some(rest) = text.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!("类型不符：此处应为{}，实际为{}。", type_words(expected), type_words(found));
        }
    }
    if let Some(rest) = text.strip_prefix("invalid value: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!("取值无效：此处应为{}，实际为{}。", type_words(expected), type_words(found));
        }
    }
    if text.starts_with("EOF while parsing") {
        return "文件意外结束（括号或引号可能没有配对）。".to_string();
    }
    let fixed = match text {
        "expected `,` or `}`" => Some("此处应为逗号“,”或右花括号“}”。"),
        "expected `,` or `]`" => Some("此处应为逗号“,”或右方括号“]”。"),
        "expected `:`" => Some("此处应为冒号“:”。"),
        "expected value" => Some("此处应为一个值（可能多了或少了标点）。"),
        "expected ident" => Some("此处应为 true、false 或 null。"),
        "trailing comma" => Some("多余的逗号。"),
        "trailing characters" => Some("JSON 内容结束后还有多余的字符。"),
        "key must be a string" => Some("对象的键必须是带双引号的字符串。"),
        "invalid number" => Some("数字格式不正确。"),
        "number out of range" => Some("数字超出范围。"),
        "invalid escape" => Some("字符串中的转义序列无效。"),
        "invalid unicode code point" => Some("字符串中的 Unicode 码位无效。"),
        "lone leading surrogate in hex escape" => Some("字符串中的 Unicode 代理对不完整。"),
        "recursion limit exceeded" => Some("嵌套层数过多。"),
        _ => None,
    };
    if let Some(m) = fixed {
        return m.to_string();
    }
    if text.starts_with("control character") {
        return "字符串中含有控制字符（例如未转义的换行符）。".to_string();
    }
    if text.chars().any(|c| c > '\u{2e80}') {
        // Custom messages of our own types (e.g. Points) are already Chinese.
        let t = text.trim_end_matches(['。', '.']);
        return format!("{t}。");
    }
    format!("格式错误（{text}）。")
}

/// Renders serde's type descriptions ("a string", "u32", "struct Node") in Chinese.
fn type_words(s: &str) -> String {
    let s = s.trim();
    match s {
        "a string" | "string" => "字符串".to_string(),
        "a boolean" | "boolean" => "布尔值（true 或 false）".to_string(),
        "null" | "unit value" => "null".to_string(),
        "a sequence" | "sequence" => "数组".to_string(),
        "a map" | "map" => "对象".to_string(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "非负整数".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "整数".to_string(),
        "f32" | "f64" => "数字".to_string(),
        "a tuple" => "数组".to_string(),
        _ => {
            if let Some(v) = s.strip_prefix("string ") {
                let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
                format!("字符串“{v}”")
            } else if let Some(v) = s.strip_prefix("integer ") {
                format!("整数{}", v.trim_matches('`'))
            } else if let Some(v) = s.strip_prefix("floating point ") {
                format!("数字{}", v.trim_matches('`'))
            } else if let Some(v) = s.strip_prefix("boolean ") {
                format!("布尔值{}", v.trim_matches('`'))
            } else if s.starts_with("struct ") || s.starts_with("internally tagged enum") {
                "对象".to_string()
            } else if s.starts_with("sequence") {
                "数组".to_string()
            } else {
                s.to_string()
            }
        }
    }
}

struct Validator<'a> {
    system: &'a IndicatorSystem,
    problems: Vec<Problem>,
    /// Every code seen so far (nodes, then bonus items) → where it was first seen.
    codes: HashMap<String, String>,
}

/// Where a node is: JSON path and a human label ("测评点“15”").
struct At {
    path: String,
    who: String,
}

impl At {
    fn field(&self, field: &str) -> String {
        if self.who.is_empty() {
            format!("{}.{field}", self.path)
        } else {
            format!("{}.{field}（{}）", self.path, self.who)
        }
    }

    fn node(&self) -> String {
        if self.who.is_empty() {
            self.path.clone()
        } else {
            format!("{}（{}）", self.path, self.who)
        }
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn is_points(system: &IndicatorSystem) -> bool {
    matches!(system.scoring, ScoringModel::Points(_))
}

impl Validator<'_> {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    fn header(&mut self) {
        let s = self.system;
        if s.format != SYSTEM_FORMAT {
            self.push("format", format_message(u64::from(s.format)));
        }
        if blank(&s.id) {
            self.push("id", "指标体系标识（id）不能为空。");
        } else if s.id.chars().any(char::is_whitespace) {
            self.push("id", format!("指标体系标识“{}”不能含有空白字符。", s.id));
        }
        if blank(&s.version) {
            self.push("version", "版本号（version）不能为空。");
        }
        if blank(&s.name) {
            self.push("name", "指标体系名称（name）不能为空。");
        }
        if matches!(&s.short_name, Some(n) if blank(n)) {
            self.push("short_name", "简称（short_name）如果填写，就不能为空。");
        }
        if s.level_names.is_empty() {
            self.push(
                "level_names",
                "层级名称（level_names）不能为空，应从上到下列出各层的名称，例如“评价内容”“测评内容”“测评点”。",
            );
        }
        let mut seen = BTreeSet::new();
        for (i, n) in s.level_names.iter().enumerate() {
            if blank(n) {
                self.push(format!("level_names[{i}]"), "层级名称不能为空。");
            } else if !seen.insert(n.trim()) {
                self.push(format!("level_names[{i}]"), format!("层级名称“{n}”重复。"));
            }
        }
        for (i, src) in s.provenance.sources.iter().enumerate() {
            if blank(src) {
                self.push(format!("provenance.sources[{i}]"), "来源说明不能为空。");
            }
        }
    }

    fn tree(&mut self) {
        let s = self.system;
        if s.children.is_empty() {
            self.push("children", "指标体系没有任何指标：至少需要一个测评点。");
        }
        for (i, n) in s.children.iter().enumerate() {
            self.node(n, format!("children[{i}]"), 0, false);
        }
    }

    fn who(&self, node: &Node, depth: usize) -> String {
        let noun = self.system.level_names.get(depth).map(String::as_str).filter(|n| !blank(n)).unwrap_or("节点");
        if !blank(&node.code) {
            format!("{noun}“{}”", node.code)
        } else if !blank(&node.title) {
            format!("{noun}“{}”", node.title)
        } else {
            String::new()
        }
    }

    /// Checks one node and its subtree. `deep_reported`: an ancestor was already reported as lying
    /// below the named levels, so this branch is not reported again.
    fn node(&mut self, node: &Node, path: String, depth: usize, deep_reported: bool) {
        let at = At { who: self.who(node, depth), path };
        let levels = self.system.level_names.len();
        let points = is_points(self.system);

        // Depth: report once per branch, at the first node below the last named level.
        let too_deep = depth + 1 > levels && !self.system.level_names.is_empty();
        if too_deep && !deep_reported {
            self.push(at.node(), format!("该节点位于第{}层，但层级名称（level_names）只定义了{levels}层。", depth + 1));
        }

        // Code.
        if blank(&node.code) {
            self.push(at.field("code"), "编码（code）不能为空。");
        } else {
            if node.code.trim() != node.code {
                self.push(at.field("code"), format!("编码“{}”首尾不能有空白字符。", node.code));
            }
            self.unique_code(&node.code, at.node());
        }
        if blank(&node.title) {
            self.push(at.field("title"), "标题（title）不能为空。");
        }
        for (i, e) in node.evidence.iter().enumerate() {
            if blank(e) {
                self.push(at.field(&format!("evidence[{i}]")), "佐证材料要求不能为空。");
            }
        }

        // Scores.
        if !points {
            if node.max_score.is_some() {
                self.push(
                    at.field("max_score"),
                    "评级制（rated）指标体系不计分，节点不应设置满分（max_score），请删除。",
                );
            }
        } else if node.is_leaf() {
            match node.max_score {
                None => self.push(at.field("max_score"), "计分制指标体系的每个测评点都必须有满分（max_score）。"),
                Some(m) if m <= Points::ZERO => {
                    self.push(at.field("max_score"), format!("满分必须大于0，现为{m}。"));
                }
                Some(_) => {}
            }
        } else if let Some(m) = node.max_score {
            let sum: Points = leaves_of(node).iter().filter_map(|l| l.max_score).sum();
            if m != sum {
                self.push(
                    at.field("max_score"),
                    format!("满分为{m}，但其下各测评点满分之和为{sum}，二者必须相等（或删去该节点的满分）。"),
                );
            }
        }

        // Pending label.
        if let Some(label) = &node.pending_label {
            if !points {
                self.push(at.field("pending_label"), "“待定测评点”（pending_label）只用于计分制（points）指标体系。");
            } else if !node.is_leaf() {
                self.push(at.field("pending_label"), "“待定测评点”（pending_label）只能设在测评点（叶节点）上。");
            } else if blank(label) {
                self.push(at.field("pending_label"), "“待定测评点”名称（pending_label）如果填写，就不能为空。");
            }
        }

        // Figure bindings.
        if !node.figures.is_empty() && !node.is_leaf() {
            self.push(at.field("figures"), "计算指标（figures）只能绑定在测评点（叶节点）上。");
        }
        let mut figure_ids = BTreeSet::new();
        for (i, f) in node.figures.iter().enumerate() {
            let fpath = format!("figures[{i}]");
            self.figure(f, &at, &fpath);
            if !blank(&f.figure) && !figure_ids.insert(f.figure.as_str()) {
                self.push(
                    at.field(&format!("{fpath}.figure")),
                    format!("计算指标“{}”在同一测评点上重复绑定。", f.figure),
                );
            }
        }

        // Children.
        for (i, c) in node.children.iter().enumerate() {
            self.node(c, format!("{}.children[{i}]", at.path), depth + 1, too_deep);
        }
    }

    fn figure(&mut self, f: &FigureBinding, at: &At, fpath: &str) {
        if blank(&f.figure) {
            self.push(at.field(&format!("{fpath}.figure")), "计算指标标识（figure）不能为空。");
        }
        for (kind, map, what) in [("thresholds", &f.thresholds, "阈值"), ("deduction", &f.deduction, "扣分参数")]
        {
            for (k, v) in map {
                let p = at.field(&format!("{fpath}.{kind}.{k}"));
                if blank(k) {
                    self.push(p, format!("{what}名称不能为空。"));
                } else if !v.is_finite() {
                    self.push(p, format!("{what}“{k}”必须是有限的数。"));
                } else if kind == "deduction" && *v < 0.0 {
                    self.push(p, format!("扣分参数“{k}”不能为负数，现为{v}。"));
                }
            }
        }
        if matches!(&f.source, Some(s) if blank(s)) {
            self.push(at.field(&format!("{fpath}.source")), "数据来源（source）如果填写，就不能为空。");
        }
    }

    fn unique_code(&mut self, code: &str, where_: String) {
        match self.codes.get(code) {
            Some(first) => {
                let msg = format!("编码“{code}”重复：与 {first} 相同。编码在整个指标体系（含加分项）中必须唯一。");
                self.push(where_, msg);
            }
            None => {
                self.codes.insert(code.to_string(), where_);
            }
        }
    }

    fn rated(&mut self, m: &RatedModel) {
        if m.levels.is_empty() {
            self.push("scoring.levels", "评级制指标体系至少需要一个等级，例如“完全落实”。");
        }
        let mut codes: HashMap<&str, usize> = HashMap::new();
        let mut labels: HashMap<&str, usize> = HashMap::new();
        for (i, l) in m.levels.iter().enumerate() {
            let p = format!("scoring.levels[{i}]");
            if blank(&l.code) {
                self.push(format!("{p}.code"), "等级代码（code）不能为空。");
            } else if let Some(j) = first_seen(&mut codes, l.code.as_str(), i) {
                self.push(format!("{p}.code"), format!("等级代码“{}”与 scoring.levels[{j}] 重复。", l.code));
            }
            if blank(&l.label) {
                self.push(format!("{p}.label"), "等级名称（label）不能为空。");
            } else if let Some(j) = first_seen(&mut labels, l.label.as_str(), i) {
                self.push(format!("{p}.label"), format!("等级名称“{}”与 scoring.levels[{j}] 重复。", l.label));
            }
        }
        if let Some(na) = &m.not_applicable {
            if blank(&na.code) {
                self.push("scoring.not_applicable.code", "“不适用”的代码（code）不能为空。");
            } else if let Some(j) = codes.get(na.code.as_str()) {
                self.push(
                    "scoring.not_applicable.code",
                    format!("“不适用”的代码“{}”与等级 scoring.levels[{j}] 的代码相同，必须不同。", na.code),
                );
            }
            if blank(&na.label) {
                self.push("scoring.not_applicable.label", "“不适用”的名称（label）不能为空。");
            } else if let Some(j) = labels.get(na.label.as_str()) {
                self.push(
                    "scoring.not_applicable.label",
                    format!("“不适用”的名称“{}”与等级 scoring.levels[{j}] 的名称相同，必须不同。", na.label),
                );
            }
            if blank(&na.phrase) {
                self.push(
                    "scoring.not_applicable.phrase",
                    "“不适用”的结论用语（phrase）不能为空，例如“不属于本级履行教育职责范围”。",
                );
            }
        }
        if matches!(&m.leaf_noun, Some(n) if blank(n)) {
            self.push("scoring.leaf_noun", "测评点的称谓（leaf_noun）如果填写，就不能为空。");
        }
    }

    fn points(&mut self, m: &PointsModel) {
        let total = m.total;
        if total <= Points::ZERO {
            self.push("scoring.total", format!("总分（total）必须大于0，现为{total}。"));
        }
        let leaves = self.system.leaves();
        let sum: Points = leaves.iter().filter_map(|l| l.max_score).sum();
        if !leaves.is_empty() && sum != total {
            self.push(
                "scoring.total",
                format!("总分为{total}，但{}个测评点的满分之和为{sum}，二者必须相等。", leaves.len()),
            );
        }
        if m.decimals > 2 {
            self.push("scoring.decimals", format!("总分保留的小数位数（decimals）只能是0、1或2，现为{}。", m.decimals));
        }
        let mut names: HashMap<&str, usize> = HashMap::new();
        for (i, g) in m.grades.iter().enumerate() {
            let p = format!("scoring.grades[{i}]");
            if blank(&g.grade) {
                self.push(format!("{p}.grade"), "等次名称（grade）不能为空。");
            } else if let Some(j) = first_seen(&mut names, g.grade.as_str(), i) {
                self.push(format!("{p}.grade"), format!("等次“{}”与 scoring.grades[{j}] 重复。", g.grade));
            }
            if g.min < Points::ZERO || g.min > total {
                self.push(format!("{p}.min"), format!("等次最低分为{}，必须在0到总分{total}之间。", g.min));
            }
            if i > 0 {
                let prev = &m.grades[i - 1];
                if g.min >= prev.min {
                    self.push(
                        format!("{p}.min"),
                        format!(
                            "等次须按最低分从高到低排列：“{}”的最低分{}应低于前一等次“{}”的{}。",
                            g.grade, g.min, prev.grade, prev.min
                        ),
                    );
                }
            }
        }
        if let Some(b) = &m.bonus {
            self.bonus(b);
        }
    }

    fn bonus(&mut self, b: &Bonus) {
        if b.cap <= Points::ZERO {
            self.push("scoring.bonus.cap", format!("加分上限（cap）必须大于0，现为{}。", b.cap));
        }
        if b.items.is_empty() {
            self.push("scoring.bonus.items", "设置了加分（bonus）就至少要有一个加分项。");
        }
        for (i, item) in b.items.iter().enumerate() {
            let p = format!("scoring.bonus.items[{i}]");
            let who = if blank(&item.code) { String::new() } else { format!("（加分项“{}”）", item.code) };
            if blank(&item.code) {
                self.push(format!("{p}.code"), "加分项编码（code）不能为空。");
            } else {
                self.unique_code(&item.code, format!("{p}{who}"));
            }
            if blank(&item.title) {
                self.push(format!("{p}.title{who}"), "加分项标题（title）不能为空。");
            }
            if item.score <= Points::ZERO {
                self.push(format!("{p}.score{who}"), format!("加分项分值必须大于0，现为{}。", item.score));
            }
        }
    }
}

/// Records `key` as first seen at `i`; returns where it was first seen if that was earlier.
fn first_seen<'a>(seen: &mut HashMap<&'a str, usize>, key: &'a str, i: usize) -> Option<usize> {
    let first = *seen.entry(key).or_insert(i);
    (first != i).then_some(first)
}

fn leaves_of(node: &Node) -> Vec<&Node> {
    fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
        if n.is_leaf() {
            out.push(n);
        } else {
            for c in &n.children {
                walk(c, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(node, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_are_translated() {
        let cases = [
            ("missing field `title`", "缺少必填字段“title”。"),
            ("unknown field `titel`, expected `code` or `title`", "无法识别的字段“titel”（可用的字段：code、title）。"),
            (
                "unknown variant `score`, expected `rated` or `points`",
                "无法识别的取值“score”（可用的取值：rated、points）。",
            ),
            ("invalid type: string \"1\", expected u32", "类型不符：此处应为非负整数，实际为字符串“1”。"),
            ("trailing comma", "多余的逗号。"),
            ("分值 0.125 不是至多两位小数的有限数", "分值 0.125 不是至多两位小数的有限数。"),
        ];
        for (inp, out) in cases {
            assert_eq!(translate_serde(inp), out, "{inp}");
        }
    }
}
