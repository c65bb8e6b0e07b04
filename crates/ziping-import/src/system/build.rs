//! From the raw tree and the user's options to a validated [`IndicatorSystem`], with every
//! problem located in the table.

use serde::{Deserialize, Serialize};
use ziping_core::system::{Bonus, BonusItem, PointsModel, Provenance, RatedModel, ScoringModel, SYSTEM_FORMAT};
use ziping_core::validate::validate;
use ziping_core::{IndicatorSystem, Node, Points};

use super::meta::{Embedded, EXTRA_SHEET, FIGURE_SHEET};
use super::read::Raw;
use super::{Loc, SystemOptions, SystemRead};
use crate::problem::Problem;

/// The outcome of building: the system when there is no error, and every problem (errors and
/// warnings: the table's, the options', and the validation's, each located).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Built {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<IndicatorSystem>,
    pub problems: Vec<Problem>,
}

impl Built {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }
}

/// Where each node of the built system came from: JSON path → (row, column letters, header).
#[derive(Default)]
struct Paths(Vec<(String, u32, String, String)>);

impl Paths {
    fn locate(&self, raw: &Raw, path: &str) -> Loc {
        let best = self
            .0
            .iter()
            .filter(|(p, ..)| path == p || path.starts_with(&format!("{p}.")) || path.starts_with(&format!("{p}（")))
            .max_by_key(|(p, ..)| p.len());
        let l = raw.loc();
        match best {
            Some((_, row, col, header)) => l.row(*row).col(col, header),
            None => l,
        }
    }
}

fn sha8(s: &str) -> String {
    crate::sha256_hex(s.as_bytes())[..8].to_string()
}

impl SystemRead {
    /// Builds the system with the user's confirmed options; nothing is stored.
    pub fn build(&self, opts: &SystemOptions) -> Built {
        let p = &self.preview;
        let raw = &self.raw;
        let mut problems: Vec<Problem> = raw.problems.clone();
        if raw.sheet.is_empty() {
            return Built { system: None, problems };
        }
        let emb = p.embedded.clone().unwrap_or_default();
        let model = opts.model.clone().or(emb.model.clone()).unwrap_or_else(|| p.model.clone());
        if model != "points" && model != "rated" {
            problems.push(Loc::file(&raw.file).error(format!("评分方式“{model}”无效：应为“points”（分值评分）或“rated”（等级评定）")));
            return Built { system: None, problems };
        }
        let points = model == "points";
        let mut paths = Paths::default();
        let mut dropped_scores = false;
        let children: Vec<Node> = raw
            .roots
            .iter()
            .enumerate()
            .map(|(i, &n)| node(raw, n, &format!("children[{i}]"), points, &emb, &mut paths, &mut dropped_scores))
            .collect();
        if dropped_scores {
            let (c, h) = raw.score_col.clone().unwrap_or_default();
            problems.push(raw.loc().col(&c, &h).warning("按等级评定时不使用分值，分值列不导入"));
        }
        // Embedded bindings and extras must name existing nodes.
        let mut all_codes = Vec::new();
        fn codes(nodes: &[Node], out: &mut Vec<String>) {
            for n in nodes {
                out.push(n.code.clone());
                codes(&n.children, out);
            }
        }
        codes(&children, &mut all_codes);
        for code in emb.figures.keys() {
            if !all_codes.contains(code) {
                problems.push(Loc::file(&raw.file).sheet(FIGURE_SHEET).value(code).error("表中没有这个编码的指标"));
            }
        }
        for code in emb.extras.keys() {
            if !all_codes.contains(code) {
                problems.push(Loc::file(&raw.file).sheet(EXTRA_SHEET).value(code).error("表中没有这个编码的指标"));
            }
        }
        let leaf_sum = p.leaf_sum;
        let scoring = if points {
            let total = opts.total.or(emb.total).or(p.declared_total).unwrap_or(leaf_sum);
            let bonus = if raw.bonus.is_empty() {
                if opts.bonus_cap.is_some() {
                    problems.push(Loc::file(&raw.file).warning("表中没有加分项，填写的加分上限不使用"));
                }
                None
            } else {
                let items: Vec<BonusItem> = raw
                    .bonus
                    .iter()
                    .map(|b| BonusItem { code: b.code.clone(), title: b.title.clone(), score: b.score.unwrap_or(Points::ZERO) })
                    .collect();
                let cap = opts.bonus_cap.or(emb.bonus_cap).or(p.bonus_cap).unwrap_or_else(|| {
                    let sum = items.iter().fold(Points::ZERO, |a, i| a + i.score);
                    problems.push(
                        raw.loc()
                            .row(raw.bonus_row.unwrap_or(0))
                            .warning(format!("加分项没有写明加分上限，按各加分项之和{sum}分计；请确认")),
                    );
                    sum
                });
                Some(Bonus { cap, items })
            };
            ScoringModel::Points(PointsModel {
                total,
                decimals: opts.decimals.or(emb.decimals).unwrap_or(1),
                grades: opts.grades.clone().or(emb.grades.clone()).unwrap_or_else(|| super::read::suggested_grades(total)),
                bonus,
            })
        } else {
            if !raw.bonus.is_empty() {
                problems.push(raw.loc().row(raw.bonus_row.unwrap_or(0)).warning("按等级评定的指标体系没有加分项，加分项一节不导入"));
            }
            let na = if opts.no_not_applicable || (opts.not_applicable.is_none() && emb.no_not_applicable) {
                None
            } else {
                opts.not_applicable.clone().or(emb.not_applicable.clone()).or(p.not_applicable.clone())
            };
            ScoringModel::Rated(RatedModel {
                levels: opts.levels.clone().or(emb.levels.clone()).unwrap_or_else(|| p.levels.clone()),
                not_applicable: na,
                leaf_noun: emb.leaf_noun.clone(),
            })
        };
        let stem = raw.file.rsplit_once('.').map_or(raw.file.as_str(), |(s, _)| s).to_string();
        let name = opts.name.clone().or(emb.name.clone()).or(p.title.clone()).unwrap_or(stem);
        let year = opts.year.or(p.year);
        let provenance = if p.embedded.is_some() {
            Provenance { sources: emb.sources.clone(), note: emb.note.clone(), file: emb.file.clone(), file_sha256: emb.file_sha256.clone() }
        } else {
            let mut note = p.notes.join("\n");
            if note.is_empty() {
                note = "从年度通知附件的指标体系表导入。".to_string();
            }
            Provenance {
                sources: vec![format!("导入自“{}”工作表“{}”。", raw.file, raw.sheet)],
                note: Some(note),
                file: Some(raw.file.clone()),
                file_sha256: Some(raw.sha256.clone()),
            }
        };
        let system = IndicatorSystem {
            format: SYSTEM_FORMAT,
            id: opts.id.clone().or(emb.id.clone()).unwrap_or_else(|| format!("import-{}", sha8(&name))),
            version: opts
                .version
                .clone()
                .or(emb.version.clone())
                .or(year.map(|y| y.to_string()))
                .unwrap_or_else(|| "1".to_string()),
            years: opts.years.clone().or(emb.years.clone()).or(year.map(|y| format!("{y}年度"))),
            name,
            short_name: opts.short_name.clone().or(emb.short_name.clone()),
            official: opts.official.or(emb.official).unwrap_or(true),
            issuer: opts.issuer.clone().or(emb.issuer.clone()),
            provenance,
            level_names: opts.level_names.clone().or(emb.level_names.clone()).unwrap_or_else(|| p.level_names.clone()),
            scoring,
            children,
        };
        for v in validate(&system) {
            let p = locate(raw, &paths, &v.path).path(&v.path).error(v.message.clone());
            // A cell already reported by the reader (a number without a title) is not reported twice.
            let dup = p.row.is_some() && problems.iter().any(|q| q.is_error() && q.path.is_none() && q.row == p.row && q.col == p.col);
            if !dup {
                problems.push(p);
            }
        }
        let system = (!problems.iter().any(Problem::is_error)).then_some(system);
        Built { system, problems }
    }
}

fn locate(raw: &Raw, paths: &Paths, path: &str) -> Loc {
    if path.starts_with("scoring.total") {
        if let Some((row, col, header)) = &raw.total_at {
            return raw.loc().row(*row).col(col, header);
        }
        return raw.loc();
    }
    if let Some(rest) = path.strip_prefix("scoring.bonus.items[") {
        if let Some(i) = rest.split(']').next().and_then(|n| n.parse::<usize>().ok()) {
            if let Some(b) = raw.bonus.get(i) {
                return raw.loc().row(b.row).col(&raw.colname(b.col), "");
            }
        }
    }
    if path.starts_with("scoring.bonus") {
        return raw.loc().row(raw.bonus_row.unwrap_or(0));
    }
    paths.locate(raw, path)
}

fn node(
    raw: &Raw,
    i: usize,
    path: &str,
    points: bool,
    emb: &Embedded,
    paths: &mut Paths,
    dropped_scores: &mut bool,
) -> Node {
    let n = &raw.nodes[i];
    paths.0.push((path.to_string(), n.row, raw.colname(n.col), n.header.clone()));
    let extra = emb.extras.get(&n.code);
    let pick = |own: &Option<String>, ext: Option<&Option<String>>| own.clone().or_else(|| ext.cloned().flatten());
    let mut evidence = n.evidence.clone();
    if let Some(e) = extra {
        if evidence.is_empty() {
            evidence = e.evidence.clone();
        }
    }
    let max_score = if points {
        n.max_score
    } else {
        if n.max_score.is_some() {
            *dropped_scores = true;
        }
        None
    };
    Node {
        code: n.code.clone(),
        title: n.title.clone(),
        text: pick(&n.text, extra.map(|e| &e.text)),
        scoring_rule: pick(&n.rule, extra.map(|e| &e.scoring_rule)),
        evidence,
        max_score,
        pending_label: extra.and_then(|e| e.pending_label.clone()),
        figures: emb.figures.get(&n.code).cloned().unwrap_or_default(),
        note: pick(&n.note, extra.map(|e| &e.note)),
        children: n
            .children
            .iter()
            .enumerate()
            .map(|(k, &c)| node(raw, c, &format!("{path}.children[{k}]"), points, emb, paths, dropped_scores))
            .collect(),
    }
}

/// Attaches the points of a table below the leaves of `base`, matched by number: a point goes
/// below the base leaf whose code is the point's parent in the table ("1" in a 测评内容 column)
/// or the prefix of the point's own code ("1.2" → "1"). The result keeps `base`'s id and
/// scoring; the caller gives it a new version. Every problem is reported, located in the table.
pub fn attach_points(base: &IndicatorSystem, read: &SystemRead) -> Built {
    let raw = &read.raw;
    let mut problems: Vec<Problem> = raw.problems.clone();
    if raw.sheet.is_empty() {
        return Built { system: None, problems };
    }
    let base_leaves: Vec<String> = base.leaves().iter().map(|n| n.code.clone()).collect();
    // The table's points: its deepest nodes.
    let points_model = matches!(base.scoring, ScoringModel::Points(_));
    let mut attached: std::collections::BTreeMap<String, Vec<(usize, Node)>> = Default::default();
    let mut paths_for: Vec<(String, usize)> = Vec::new();
    for (i, n) in raw.nodes.iter().enumerate() {
        if !n.children.is_empty() {
            continue;
        }
        let mut candidates = Vec::new();
        if let Some(p) = n.parent {
            candidates.push(raw.nodes[p].code.clone());
            if let Some(e) = &raw.nodes[p].explicit {
                candidates.push(e.clone());
            }
        }
        if let Some((prefix, _)) = n.code.rsplit_once('.') {
            candidates.push(prefix.to_string());
        }
        let Some(parent) = candidates.iter().find(|c| base_leaves.contains(c)) else {
            let tried: Vec<String> = candidates.iter().map(|c| format!("“{c}”")).collect();
            let why = if tried.is_empty() {
                format!("测评点“{}”无法按编号挂到《{}》的测评内容下：请在编号中写出所属测评内容的编号（如“3.2”属于“3”）", n.code, base.name)
            } else {
                format!("《{}》中没有编号为{}的末级指标，测评点“{}”无法挂接", base.name, tried.join("或"), n.code)
            };
            problems.push(raw.loc().row(n.row).col(&raw.colname(n.col), &n.header).value(&n.title).error(why));
            continue;
        };
        let node = Node {
            code: n.code.clone(),
            title: n.title.clone(),
            text: n.text.clone(),
            scoring_rule: n.rule.clone(),
            evidence: n.evidence.clone(),
            max_score: if points_model { n.max_score } else { None },
            note: n.note.clone(),
            ..Node::default()
        };
        attached.entry(parent.clone()).or_default().push((i, node));
    }
    let mut system = base.clone();
    fn graft(
        nodes: &mut [Node],
        path: &str,
        attached: &std::collections::BTreeMap<String, Vec<(usize, Node)>>,
        out: &mut Vec<(String, usize)>,
    ) {
        for (k, n) in nodes.iter_mut().enumerate() {
            let p = format!("{path}children[{k}]");
            if n.is_leaf() {
                if let Some(list) = attached.get(&n.code) {
                    for (j, (raw_i, child)) in list.iter().enumerate() {
                        out.push((format!("{p}.children[{j}]"), *raw_i));
                        n.children.push(child.clone());
                    }
                    if n.note.as_deref().is_some_and(|t| t.starts_with("测评点待导入")) {
                        n.note = None;
                    }
                }
            } else {
                graft(&mut n.children, &format!("{p}."), attached, out);
            }
        }
    }
    graft(&mut system.children, "", &attached, &mut paths_for);
    let without: Vec<&String> = base_leaves.iter().filter(|c| !attached.contains_key(*c)).collect();
    if !attached.is_empty() && !without.is_empty() {
        let list: Vec<String> = without.iter().take(10).map(|c| format!("“{c}”")).collect();
        problems.push(raw.loc().warning(format!(
            "{}个末级指标下没有导入测评点（{}{}），它们仍直接评定",
            without.len(),
            list.join("、"),
            if without.len() > 10 { "等" } else { "" }
        )));
    }
    if attached.is_empty() && problems.iter().all(|p| !p.is_error()) {
        problems.push(raw.loc().error("表中没有可挂接的测评点"));
    }
    fn depth(nodes: &[Node]) -> usize {
        nodes.iter().map(|n| 1 + depth(&n.children)).max().unwrap_or(0)
    }
    let d = depth(&system.children);
    while system.level_names.len() < d {
        let name = read.preview.level_names.last().cloned().unwrap_or_else(|| "测评点".to_string());
        let name = if system.level_names.contains(&name) { format!("第{}级指标", system.level_names.len() + 1) } else { name };
        system.level_names.push(name);
    }
    system.provenance.sources.push(format!("测评点导入自“{}”工作表“{}”（SHA-256：{}）。", raw.file, raw.sheet, raw.sha256));
    system.provenance.file = Some(raw.file.clone());
    system.provenance.file_sha256 = Some(raw.sha256.clone());
    let mut paths = Paths::default();
    for (p, i) in paths_for {
        let n = &raw.nodes[i];
        paths.0.push((p, n.row, raw.colname(n.col), n.header.clone()));
    }
    for v in validate(&system) {
        problems.push(locate(raw, &paths, &v.path).path(&v.path).error(v.message.clone()));
    }
    let system = (!problems.iter().any(Problem::is_error)).then_some(system);
    Built { system, problems }
}
