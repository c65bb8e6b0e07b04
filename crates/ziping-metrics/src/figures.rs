//! The computed figures: one [`Figure`] per number a report quotes, with its threshold, verdict,
//! a report-ready statement and the cells it came from.

use serde::{Deserialize, Serialize};

use crate::cell::{Cell, CellRef, Inputs};
use crate::params::Params;
use crate::phrase::{amount_change, direction, growth_pct, growth_words, Direction};
use crate::resources::{school_units, Exclusion, Resource, SchoolUnit};
use crate::stats::{fixed, pct_of, percent, round_to, trimmed, weighted_cv};
use crate::tables::{SchoolKind, Stage, Tables};
use crate::Problem;

/// How a figure is compared with its threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// value ≤ threshold passes (差异系数, 大班额占比).
    AtMost,
    /// value ≥ threshold passes (rates, satisfaction, pay difference).
    AtLeast,
}

/// One computed figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Unique id, e.g. "cv.R6.primary", "two_no_decrease.per_student", "satisfaction".
    pub id: String,
    /// The figure id that indicator-system bindings name ("cv", "two_no_decrease", …).
    pub kind: String,
    /// The item within the kind ("R6", "total", "per_student"), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Chinese title ("小学生均教学仪器设备值差异系数").
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// The number, unrounded.
    pub value: f64,
    /// Decimals used for display and for the comparison with the threshold.
    pub decimals: u32,
    /// Unit of `value` ("", "%", "分", "元", "所", "个").
    pub unit: String,
    /// The value as shown ("0.5153", "92.31%", "增长9.30%").
    pub display: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<Compare>,
    /// Whether the requirement is met; `None` when the figure has no requirement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<bool>,
    /// A report-ready clause with the figure and its verdict (full-width punctuation, no final "。").
    pub statement: String,
    /// Every cell the figure was computed from.
    pub inputs: Vec<CellRef>,
    pub detail: Detail,
}

impl Figure {
    /// The value rounded as displayed.
    pub fn rounded(&self) -> f64 {
        round_to(self.value, self.decimals)
    }

    /// Re-evaluates the figure against another threshold (same comparison), as bindings may
    /// state their own. `None` when the figure has no comparison.
    pub fn passes(&self, threshold: f64) -> Option<bool> {
        let v = self.rounded();
        self.compare.map(|c| match c {
            Compare::AtMost => v <= threshold,
            Compare::AtLeast => v >= threshold,
        })
    }
}

/// One row of a per-school table (差异系数 or resource indicator).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolValue {
    pub school: String,
    pub students: u32,
    pub value: f64,
}

/// A school over the size limit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SizeRow {
    pub school: String,
    pub kind: SchoolKind,
    /// Enrolment compared (the compulsory part for through schools).
    pub students: u32,
    pub limit: f64,
}

/// Figure-specific details for tables and explanations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Detail {
    None,
    /// 差异系数: X̄, S, P and the schools (units) with their Pᵢ and Xᵢ.
    Cv {
        mean: f64,
        sd: f64,
        students: u64,
        rows: Vec<SchoolValue>,
    },
    /// A resource indicator: county mean, every unit's value and the units below standard.
    Resource {
        mean: f64,
        standard: f64,
        rows: Vec<SchoolValue>,
        below: Vec<String>,
    },
    /// Attainment: unit labels by outcome.
    Attainment {
        attained: Vec<String>,
        not_attained: Vec<String>,
        incomplete: Vec<String>,
    },
    /// Schools over the size limits.
    Sizes {
        rows: Vec<SizeRow>,
    },
    /// Class counts.
    Classes {
        total: u32,
        big: u32,
        super_big: u32,
        over_standard: u32,
    },
    /// A year-on-year comparison.
    Growth {
        year: i32,
        last_year: i32,
        this: f64,
        last: f64,
        change: f64,
        pct: Option<f64>,
    },
    /// A share: numerator ÷ denominator.
    Ratio {
        numerator: f64,
        denominator: f64,
    },
    /// Two amounts compared (teacher pay vs civil servants).
    Pair {
        a: f64,
        b: f64,
    },
}

/// Everything computed from one set of tables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Computation {
    pub figures: Vec<Figure>,
    /// The school units (per school and stage) behind the 差异系数, with their 7 values.
    pub units: Vec<SchoolUnit>,
    /// Schools left out of the 差异系数 scope, with reasons.
    pub excluded: Vec<Exclusion>,
    /// Inputs that prevented a figure (missing years, columns…), in Chinese.
    pub problems: Vec<Problem>,
}

impl Computation {
    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.id == id)
    }
}

/// Computes every figure the tables allow. Figures whose inputs are absent are left out (an absent
/// table is not a problem); figures whose inputs are incomplete are left out with a problem.
pub fn compute(tables: &Tables, params: &Params) -> Computation {
    let mut out = Computation::default();
    let (units, excluded, problems) = school_units(&tables.schools, params);
    out.problems.extend(problems);
    resource_figures(&units, params, &mut out);
    out.units = units;
    out.excluded = excluded;
    school_size(tables, params, &mut out);
    classes(tables, params, &mut out);
    finance(tables, &mut out);
    teacher_pay(tables, &mut out);
    preschool(tables, params, &mut out);
    special_groups(tables, params, &mut out);
    satisfaction(tables, params, &mut out);
    out
}

fn threshold_text(v: f64, decimals: u32) -> String {
    fixed(v, decimals)
}

fn resource_figures(units: &[SchoolUnit], params: &Params, out: &mut Computation) {
    for stage in Stage::COMPULSORY {
        let stage_units: Vec<&SchoolUnit> = units.iter().filter(|u| u.stage == stage).collect();
        if stage_units.is_empty() {
            continue;
        }
        for r in Resource::ALL {
            let i = r.index();
            let with: Vec<(&SchoolUnit, f64)> = stage_units
                .iter()
                .filter_map(|u| u.values[i].map(|v| (*u, v)))
                .collect();
            let pairs: Vec<(f64, f64)> = with
                .iter()
                .map(|(u, v)| (f64::from(u.students), *v))
                .collect();
            let Some(stats) = weighted_cv(&pairs) else {
                continue;
            };
            let mut inputs = Inputs::default();
            for (u, _) in &with {
                inputs.extend(&u.inputs[i]);
            }
            let inputs = inputs.into_vec();
            let rows: Vec<SchoolValue> = with
                .iter()
                .map(|(u, v)| SchoolValue {
                    school: u.label.clone(),
                    students: u.students,
                    value: *v,
                })
                .collect();
            let name = format!("{}{}", stage.label(), r.title());
            // resource indicator: county mean and the units below standard
            let standard = params.resource_min[i].get(stage).unwrap_or(0.0);
            let below: Vec<String> = with
                .iter()
                .filter(|(_, v)| round_to(*v, 2) < standard)
                .map(|(u, v)| format!("{}为{}{}", u.label, trimmed(*v, 2), r.unit()))
                .collect();
            let mean_text = format!("{}{}", trimmed(stats.mean, 2), r.unit());
            let statement = if below.is_empty() {
                format!(
                    "全县{name}平均为{mean_text}，{}所学校均达到{}{}的标准",
                    with.len(),
                    trimmed(standard, 2),
                    r.unit()
                )
            } else {
                format!(
                    "全县{name}平均为{mean_text}，{}所学校中{}所未达到{}{}的标准（{}）",
                    with.len(),
                    below.len(),
                    trimmed(standard, 2),
                    r.unit(),
                    below.join("、")
                )
            };
            out.figures.push(Figure {
                id: format!("resource_indicator.{}.{}", r.code(), stage.key()),
                kind: "resource_indicator".into(),
                item: Some(r.code().into()),
                title: name.clone(),
                stage: Some(stage),
                value: stats.mean,
                decimals: 2,
                unit: r.unit().into(),
                display: trimmed(stats.mean, 2),
                threshold: Some(standard),
                compare: None,
                pass: Some(below.is_empty()),
                statement,
                inputs: inputs.clone(),
                detail: Detail::Resource {
                    mean: stats.mean,
                    standard,
                    rows: rows.clone(),
                    below,
                },
            });
            // 差异系数
            let Some(cv) = stats.cv else {
                out.problems.push(Problem {
                    message: format!("{name}全县平均值为0，无法计算差异系数"),
                    at: None,
                });
                continue;
            };
            let max = params.cv_max.get(stage).unwrap_or(f64::INFINITY);
            let pass = round_to(cv, 4) <= max;
            let statement = format!(
                "{name}差异系数为{}，{}{}，{}",
                fixed(cv, 4),
                if pass { "不高于" } else { "高于" },
                threshold_text(max, 2),
                if pass { "达标" } else { "未达标" }
            );
            out.figures.push(Figure {
                id: format!("cv.{}.{}", r.code(), stage.key()),
                kind: "cv".into(),
                item: Some(r.code().into()),
                title: format!("{name}差异系数"),
                stage: Some(stage),
                value: cv,
                decimals: 4,
                unit: String::new(),
                display: fixed(cv, 4),
                threshold: Some(max),
                compare: Some(Compare::AtMost),
                pass: Some(pass),
                statement,
                inputs,
                detail: Detail::Cv {
                    mean: stats.mean,
                    sd: stats.sd,
                    students: stats.total_weight as u64,
                    rows,
                },
            });
        }
        // attainment of the stage
        let mut attained = Vec::new();
        let mut not_attained = Vec::new();
        let mut incomplete = Vec::new();
        let mut inputs = Inputs::default();
        for u in &stage_units {
            for cells in &u.inputs {
                inputs.extend(cells);
            }
            match u.attained {
                Some(true) => attained.push(u.label.clone()),
                Some(false) => not_attained.push(u.label.clone()),
                None => incomplete.push(u.label.clone()),
            }
        }
        let known = attained.len() + not_attained.len();
        if known == 0 {
            continue;
        }
        let rule = format!(
            "至少{}项指标达标且余项不低于标准{}%",
            params.min_met,
            trimmed(params.rest_ratio * 100.0, 2)
        );
        let mut statement = if not_attained.is_empty() {
            format!(
                "{}{}所学校均达到资源配置要求（{rule}）",
                stage.label(),
                known
            )
        } else {
            format!(
                "{}{}所学校中{}所未达到资源配置要求（{rule}）：{}",
                stage.label(),
                known,
                not_attained.len(),
                not_attained.join("、")
            )
        };
        if !incomplete.is_empty() {
            statement.push_str(&format!(
                "；{}所学校数据不全未判定：{}",
                incomplete.len(),
                incomplete.join("、")
            ));
        }
        out.figures.push(Figure {
            id: format!("school_attainment.{}", stage.key()),
            kind: "school_attainment".into(),
            item: None,
            title: format!("{}学校资源配置达标", stage.label()),
            stage: Some(stage),
            value: not_attained.len() as f64,
            decimals: 0,
            unit: "所".into(),
            display: format!("达标{}所，未达标{}所", attained.len(), not_attained.len()),
            threshold: None,
            compare: None,
            pass: Some(not_attained.is_empty()),
            statement,
            inputs: inputs.into_vec(),
            detail: Detail::Attainment {
                attained,
                not_attained,
                incomplete,
            },
        });
    }
}

fn school_size(tables: &Tables, params: &Params, out: &mut Computation) {
    let mut rows = Vec::new();
    let mut inputs = Inputs::default();
    let mut checked = 0usize;
    for s in &tables.schools {
        let kind = s.kind();
        let (stages, limit): (&[Stage], f64) = match kind {
            SchoolKind::Primary | SchoolKind::TeachingPoint => {
                (&[Stage::Primary], params.size_max.primary)
            }
            SchoolKind::Junior | SchoolKind::CompleteMiddle => {
                (&[Stage::Junior], params.size_max.junior)
            }
            SchoolKind::NineYear | SchoolKind::TwelveYear => {
                (&[Stage::Primary, Stage::Junior], params.through_size_max)
            }
            _ => continue,
        };
        let cells: Vec<&Cell<u32>> = stages.iter().filter_map(|st| s.students_of(*st)).collect();
        let n: u32 = if cells.len() == stages.len() {
            cells.iter().map(|c| c.value).sum()
        } else if kind == SchoolKind::NineYear && s.students.total.is_some() {
            let t = s.students.total.as_ref().map(|c| c.value).unwrap_or(0);
            inputs.add_opt(s.students.total.as_ref());
            t
        } else {
            out.problems.push(Problem {
                message: format!(
                    "{}（{}）缺少义务教育阶段在校生数，未判断是否超规模",
                    s.name,
                    kind.label()
                ),
                at: s.kind.at.clone(),
            });
            continue;
        };
        checked += 1;
        inputs.add(&s.kind);
        for c in &cells {
            inputs.add(c);
        }
        if f64::from(n) > limit {
            rows.push(SizeRow {
                school: s.name.clone(),
                kind,
                students: n,
                limit,
            });
        }
    }
    if checked == 0 {
        return;
    }
    let statement = if rows.is_empty() {
        format!("{checked}所学校均未超规模办学")
    } else {
        let list: Vec<String> = rows
            .iter()
            .map(|r| {
                let part = if r.kind.is_through() {
                    "义务教育阶段"
                } else {
                    ""
                };
                format!(
                    "{}{part}{}人（超过{}人）",
                    r.school,
                    r.students,
                    trimmed(r.limit, 0)
                )
            })
            .collect();
        format!("{}所学校超规模办学：{}", rows.len(), list.join("、"))
    };
    out.figures.push(Figure {
        id: "school_size".into(),
        kind: "school_size".into(),
        item: None,
        title: "超规模办学学校数".into(),
        stage: None,
        value: rows.len() as f64,
        decimals: 0,
        unit: "所".into(),
        display: format!("{}所", rows.len()),
        threshold: None,
        compare: None,
        pass: Some(rows.is_empty()),
        statement,
        inputs: inputs.into_vec(),
        detail: Detail::Sizes { rows },
    });
}

fn classes(tables: &Tables, params: &Params, out: &mut Computation) {
    let groups: [(Option<Stage>, &str); 3] = [
        (Some(Stage::Primary), "primary"),
        (Some(Stage::Junior), "junior"),
        (None, ""),
    ];
    for (stage, key) in groups {
        let rows: Vec<_> = tables
            .classes
            .iter()
            .filter(|c| match stage {
                Some(s) => c.stage.value == s,
                None => matches!(c.stage.value, Stage::Primary | Stage::Junior),
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let mut inputs = Inputs::default();
        for c in &rows {
            inputs.add(&c.stage);
            inputs.add(&c.size);
        }
        let inputs = inputs.into_vec();
        let total = rows.len() as u32;
        let big = rows
            .iter()
            .filter(|c| c.size.value >= params.big_min)
            .count() as u32;
        let super_big = rows
            .iter()
            .filter(|c| c.size.value >= params.super_min)
            .count() as u32;
        let over_standard = rows
            .iter()
            .filter(|c| {
                params
                    .class_max
                    .get(c.stage.value)
                    .is_some_and(|m| f64::from(c.size.value) > m)
            })
            .count() as u32;
        let who = stage.map(|s| s.label()).unwrap_or("义务教育学校");
        let suffix = if key.is_empty() {
            String::new()
        } else {
            format!(".{key}")
        };
        let share = f64::from(big) / f64::from(total) * 100.0;
        let pass = round_to(share, 2) <= params.big_share_max_pct;
        let statement = if big == 0 {
            format!(
                "{who}共有教学班{total}个，无{}人及以上大班额",
                params.big_min
            )
        } else {
            let sup = if super_big > 0 {
                format!("（其中{}人及以上超大班额{super_big}个）", params.super_min)
            } else {
                format!("（无{}人及以上超大班额）", params.super_min)
            };
            format!(
                "{who}共有教学班{total}个，其中{}人及以上大班额{big}个{sup}，大班额占比{}",
                params.big_min,
                percent(share)
            )
        };
        out.figures.push(Figure {
            id: format!("big_class{suffix}"),
            kind: "big_class".into(),
            item: None,
            title: format!(
                "{}大班额占比",
                stage.map(|s| s.label()).unwrap_or("义务教育")
            ),
            stage,
            value: share,
            decimals: 2,
            unit: "%".into(),
            display: percent(share),
            threshold: Some(params.big_share_max_pct),
            compare: Some(Compare::AtMost),
            pass: Some(pass),
            statement,
            inputs: inputs.clone(),
            detail: Detail::Classes {
                total,
                big,
                super_big,
                over_standard,
            },
        });
        if let Some(s) = stage {
            let max = params.class_max.get(s).unwrap_or(f64::INFINITY);
            let statement = if over_standard == 0 {
                format!("{who}{total}个教学班均不超过{}人", trimmed(max, 0))
            } else {
                format!(
                    "{who}{total}个教学班中{over_standard}个超过{}人",
                    trimmed(max, 0)
                )
            };
            out.figures.push(Figure {
                id: format!("class_size{suffix}"),
                kind: "class_size".into(),
                item: None,
                title: format!("{}超标准班额班级数", s.label()),
                stage,
                value: f64::from(over_standard),
                decimals: 0,
                unit: "个".into(),
                display: format!("{over_standard}个"),
                threshold: Some(max),
                compare: None,
                pass: Some(over_standard == 0),
                statement,
                inputs,
                detail: Detail::Classes {
                    total,
                    big,
                    super_big,
                    over_standard,
                },
            });
        }
    }
}

/// The assessment year for a table: the wanted year if present in it, else its latest year.
fn pick_year(years: impl Iterator<Item = i32> + Clone, wanted: Option<i32>) -> Option<i32> {
    match wanted {
        Some(y) => years.clone().any(|x| x == y).then_some(y),
        None => years.max(),
    }
}

#[allow(clippy::too_many_arguments)]
fn growth_figure(
    id: &str,
    item: &str,
    title: &str,
    label: &str,
    unit: &str,
    (year, this): (i32, f64),
    (last_year, last): (i32, f64),
    inputs: Vec<CellRef>,
) -> Figure {
    let decimals = 2;
    let (t, l) = (round_to(this, decimals), round_to(last, decimals));
    let dir = direction(t, l, decimals);
    let pass = dir != Direction::Down;
    let pct = growth_pct(t, l);
    let statement = format!(
        "{}，{}",
        amount_change(label, t, l, unit, decimals),
        if pass {
            "实现只增不减"
        } else {
            "未实现只增不减"
        }
    );
    Figure {
        id: id.into(),
        kind: "two_no_decrease".into(),
        item: Some(item.into()),
        title: title.into(),
        stage: None,
        value: pct.unwrap_or(0.0),
        decimals: 2,
        unit: "%".into(),
        display: growth_words(t, l, decimals),
        threshold: Some(0.0),
        compare: None,
        pass: Some(pass),
        statement,
        inputs,
        detail: Detail::Growth {
            year,
            last_year,
            this: t,
            last: l,
            change: round_to(t - l, decimals),
            pct,
        },
    }
}

fn finance(tables: &Tables, out: &mut Computation) {
    let Some(year) = pick_year(tables.finance.iter().map(|f| f.year), tables.year) else {
        if !tables.finance.is_empty() {
            out.problems.push(Problem {
                message: format!("教育经费总表缺少{}年度数据", tables.year.unwrap_or(0)),
                at: None,
            });
        }
        return;
    };
    let this = tables.finance.iter().find(|f| f.year == year);
    let last = tables.finance.iter().find(|f| f.year == year - 1);
    let (Some(this), Some(last)) = (this, last) else {
        out.problems.push(Problem {
            message: format!(
                "教育经费总表缺少{}年度数据，无法计算“两个只增不减”",
                year - 1
            ),
            at: None,
        });
        return;
    };
    let mut inputs = Inputs::default();
    inputs.add(&this.education_expenditure);
    inputs.add(&last.education_expenditure);
    out.figures.push(growth_figure(
        "two_no_decrease.total",
        "total",
        "一般公共预算教育支出只增不减",
        "一般公共预算教育支出",
        "万元",
        (year, this.education_expenditure.value),
        (year - 1, last.education_expenditure.value),
        inputs.into_vec(),
    ));
    let per_student = |f: &crate::tables::FinanceYear, inputs: &mut Inputs| -> Option<f64> {
        if let Some(p) = &f.per_student {
            inputs.add(p);
            return Some(p.value);
        }
        let s = f.students.as_ref()?;
        if s.value == 0 {
            return None;
        }
        inputs.add(&f.education_expenditure);
        inputs.add(s);
        Some(f.education_expenditure.value * 10000.0 / f64::from(s.value))
    };
    let mut inputs = Inputs::default();
    match (per_student(this, &mut inputs), per_student(last, &mut inputs)) {
        (Some(t), Some(l)) => out.figures.push(growth_figure(
            "two_no_decrease.per_student",
            "per_student",
            "按在校学生人数平均的一般公共预算教育支出只增不减",
            "按在校学生人数平均的一般公共预算教育支出",
            "元",
            (year, t),
            (year - 1, l),
            inputs.into_vec(),
        )),
        _ => out.problems.push(Problem {
            message: format!(
                "教育经费总表{}、{}年度缺少在校生数或生均支出，无法计算按在校学生人数平均的一般公共预算教育支出",
                year - 1,
                year
            ),
            at: None,
        }),
    }
}

fn teacher_pay(tables: &Tables, out: &mut Computation) {
    let Some(year) = pick_year(tables.teacher_pay.iter().map(|f| f.year), tables.year) else {
        return;
    };
    let Some(row) = tables.teacher_pay.iter().find(|r| r.year == year) else {
        return;
    };
    let (t, c) = (
        round_to(row.teacher_avg.value, 2),
        round_to(row.civil_servant_avg.value, 2),
    );
    let diff = round_to(t - c, 2);
    let mut inputs = Inputs::default();
    inputs.add(&row.teacher_avg);
    inputs.add(&row.civil_servant_avg);
    let (display, statement) = if diff > 0.0 {
        (
            format!("高{}元", trimmed(diff, 2)),
            format!(
                "{year}年义务教育教师年平均工资收入{}元，高于当地公务员年平均工资收入{}元",
                trimmed(t, 2),
                trimmed(c, 2)
            ),
        )
    } else if diff < 0.0 {
        (
            format!("低{}元", trimmed(-diff, 2)),
            format!(
                "{year}年义务教育教师年平均工资收入{}元，低于当地公务员年平均工资收入{}元",
                trimmed(t, 2),
                trimmed(c, 2)
            ),
        )
    } else {
        (
            "持平".to_string(),
            format!(
                "{year}年义务教育教师年平均工资收入{}元，与当地公务员年平均工资收入持平",
                trimmed(t, 2)
            ),
        )
    };
    out.figures.push(Figure {
        id: "teacher_pay".into(),
        kind: "teacher_pay".into(),
        item: None,
        title: "义务教育教师与当地公务员年平均工资收入差额".into(),
        stage: None,
        value: diff,
        decimals: 2,
        unit: "元".into(),
        display,
        threshold: Some(0.0),
        compare: Some(Compare::AtLeast),
        pass: Some(diff >= 0.0),
        statement,
        inputs: inputs.into_vec(),
        detail: Detail::Pair { a: t, b: c },
    });
}

/// A share figure `num ÷ den × 100` with a minimum.
#[allow(clippy::too_many_arguments)]
fn share_figure(
    id: &str,
    title: &str,
    num: f64,
    den: f64,
    basis: String,
    min: f64,
    inputs: Vec<CellRef>,
    out: &mut Computation,
) {
    let Some(v) = pct_of(num, den) else {
        out.problems.push(Problem {
            message: format!("{title}的分母为0，无法计算"),
            at: inputs.last().cloned(),
        });
        return;
    };
    let pass = round_to(v, 2) >= min;
    let statement = format!(
        "{title}为{}（{basis}），{}{}%",
        percent(v),
        if pass { "达到" } else { "未达到" },
        trimmed(min, 2)
    );
    out.figures.push(Figure {
        id: id.into(),
        kind: id.into(),
        item: None,
        title: title.into(),
        stage: None,
        value: v,
        decimals: 2,
        unit: "%".into(),
        display: percent(v),
        threshold: Some(min),
        compare: Some(Compare::AtLeast),
        pass: Some(pass),
        statement,
        inputs,
        detail: Detail::Ratio {
            numerator: num,
            denominator: den,
        },
    });
}

fn preschool(tables: &Tables, params: &Params, out: &mut Computation) {
    let Some(year) = pick_year(tables.preschool.iter().map(|f| f.year), tables.year) else {
        return;
    };
    let Some(row) = tables.preschool.iter().find(|r| r.year == year) else {
        return;
    };
    let enrolled = f64::from(row.enrolled.value);
    let public = f64::from(row.public_enrolled.value);
    let mut inputs = Inputs::default();
    inputs.add(&row.public_enrolled);
    inputs.add(&row.enrolled);
    share_figure(
        "preschool_public_share",
        "公办园在园幼儿占比",
        public,
        enrolled,
        format!(
            "公办园在园幼儿{}人÷在园幼儿{}人",
            row.public_enrolled.value, row.enrolled.value
        ),
        params.preschool_public_min_pct,
        inputs.into_vec(),
        out,
    );
    match &row.inclusive_private_enrolled {
        Some(ip) => {
            let mut inputs = Inputs::default();
            inputs.add(&row.public_enrolled);
            inputs.add(ip);
            inputs.add(&row.enrolled);
            share_figure(
                "preschool_inclusive_coverage",
                "普惠性幼儿园覆盖率",
                public + f64::from(ip.value),
                enrolled,
                format!(
                    "公办园{}人与普惠性民办园{}人在园幼儿÷在园幼儿{}人",
                    row.public_enrolled.value, ip.value, row.enrolled.value
                ),
                params.preschool_inclusive_min_pct,
                inputs.into_vec(),
                out,
            );
        }
        None => out.problems.push(Problem {
            message: format!(
                "学前教育表{year}年度缺少普惠性民办园在园幼儿数，无法计算普惠性幼儿园覆盖率"
            ),
            at: row.enrolled.at.clone(),
        }),
    }
    match &row.population_3_5 {
        Some(pop) => {
            let mut inputs = Inputs::default();
            inputs.add(&row.enrolled);
            inputs.add(pop);
            share_figure(
                "preschool_gross_enrolment",
                "学前三年毛入园率",
                enrolled,
                f64::from(pop.value),
                format!(
                    "在园幼儿{}人÷3-5岁适龄人口{}人",
                    row.enrolled.value, pop.value
                ),
                params.preschool_gross_min_pct,
                inputs.into_vec(),
                out,
            );
        }
        None => out.problems.push(Problem {
            message: format!("学前教育表{year}年度缺少3-5岁适龄人口，无法计算学前三年毛入园率"),
            at: row.enrolled.at.clone(),
        }),
    }
}

fn special_groups(tables: &Tables, params: &Params, out: &mut Computation) {
    let Some(year) = pick_year(tables.special_groups.iter().map(|f| f.year), tables.year) else {
        return;
    };
    let Some(row) = tables.special_groups.iter().find(|r| r.year == year) else {
        return;
    };
    if let Some(total) = &row.migrant_total {
        if row.migrant_public.is_some() || row.migrant_purchased.is_some() {
            let mut inputs = Inputs::default();
            inputs.add_opt(row.migrant_public.as_ref());
            inputs.add_opt(row.migrant_purchased.as_ref());
            inputs.add(total);
            let public = row.migrant_public.as_ref().map_or(0, |c| c.value);
            let bought = row.migrant_purchased.as_ref().map_or(0, |c| c.value);
            let basis = if bought > 0 {
                format!(
                    "公办学校就读{public}人与政府购买学位就读{bought}人÷随迁子女{}人",
                    total.value
                )
            } else {
                format!("公办学校就读{public}人÷随迁子女{}人", total.value)
            };
            share_figure(
                "migrant_public_share",
                "随迁子女在公办学校（含政府购买学位）就读比例",
                f64::from(public + bought),
                f64::from(total.value),
                basis,
                params.migrant_min_pct,
                inputs.into_vec(),
                out,
            );
        }
    }
    if let Some(pop) = &row.disabled_population {
        let mut inputs = Inputs::default();
        let enrolled = if let Some(e) = &row.disabled_enrolled {
            inputs.add(e);
            Some(e.value)
        } else {
            let parts = [
                &row.disabled_special_school,
                &row.disabled_regular_class,
                &row.disabled_home_teaching,
            ];
            if parts.iter().all(|p| p.is_none()) {
                None
            } else {
                let mut n = 0;
                for c in parts.into_iter().flatten() {
                    inputs.add(c);
                    n += c.value;
                }
                Some(n)
            }
        };
        match enrolled {
            Some(n) => {
                inputs.add(pop);
                share_figure(
                    "disabled_enrolment",
                    "适龄残疾儿童少年入学率",
                    f64::from(n),
                    f64::from(pop.value),
                    format!("入学{n}人÷适龄残疾儿童少年{}人", pop.value),
                    params.disabled_min_pct,
                    inputs.into_vec(),
                    out,
                );
            }
            None => out.problems.push(Problem {
                message: format!(
                    "特殊群体与资助表{year}年度缺少残疾儿童少年入学数，无法计算入学率"
                ),
                at: pop.at.clone(),
            }),
        }
    }
}

fn satisfaction(tables: &Tables, params: &Params, out: &mut Computation) {
    let Some(year) = pick_year(tables.satisfaction.iter().map(|f| f.year), tables.year) else {
        return;
    };
    let rows: Vec<_> = tables
        .satisfaction
        .iter()
        .filter(|r| r.year == year)
        .collect();
    let mut inputs = Inputs::default();
    let (score, how) = if let Some(r) = rows.iter().find(|r| r.overall()) {
        inputs.add(&r.score);
        (r.score.value, String::new())
    } else if rows
        .iter()
        .all(|r| r.sample.as_ref().is_some_and(|s| s.value > 0))
    {
        let mut num = 0.0;
        let mut den = 0.0;
        for r in &rows {
            let n = f64::from(r.sample.as_ref().map_or(0, |s| s.value));
            inputs.add(&r.score);
            inputs.add_opt(r.sample.as_ref());
            num += n * r.score.value;
            den += n;
        }
        (num / den, "（各调查对象按样本量加权）".to_string())
    } else {
        for r in &rows {
            inputs.add(&r.score);
        }
        (
            rows.iter().map(|r| r.score.value).sum::<f64>() / rows.len() as f64,
            "（各调查对象简单平均）".to_string(),
        )
    };
    let min = params.satisfaction_min;
    let pass = round_to(score, 2) >= min;
    let statement = format!(
        "社会公众对教育工作满意度为{}分{how}，{}{}分",
        trimmed(score, 2),
        if pass { "达到" } else { "低于" },
        trimmed(min, 2)
    );
    out.figures.push(Figure {
        id: "satisfaction".into(),
        kind: "satisfaction".into(),
        item: None,
        title: "社会公众对教育工作满意度".into(),
        stage: None,
        value: score,
        decimals: 2,
        unit: "分".into(),
        display: format!("{}分", trimmed(score, 2)),
        threshold: Some(min),
        compare: Some(Compare::AtLeast),
        pass: Some(pass),
        statement,
        inputs: inputs.into_vec(),
        detail: Detail::None,
    });
}
