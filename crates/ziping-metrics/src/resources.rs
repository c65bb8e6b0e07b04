//! The 7 resource indicators (校际资源配置指标) per school and stage, and per-school attainment.
//!
//! Scope (教督〔2017〕6号 as restated by Hebei): compulsory-education schools, without special
//! education schools, vocational schools and 教学点 with fewer than 50 students.
//!
//! Through schools (九年一贯制, 十二年一贯制, 完全中学) are split into their stages ("units"), each
//! with the stage's enrolment as its weight Pᵢ:
//! * a resource given per stage is used as given;
//! * otherwise the school total is split. The four facility resources (教学及辅助用房面积, 体育运动场馆
//!   面积, 教学仪器设备值, 网络多媒体教室数) are split by weighted enrolment, one student of each stage
//!   counting as the stage's weight ([`crate::params::SplitWeights`]); the three teacher counts are
//!   split in proportion to enrolment.
//!
//! The 高中 part of a 完全中学 or 十二年一贯制 school takes its share of the split but is not a unit.

use serde::{Deserialize, Serialize};

use crate::cell::{Cell, CellRef, Inputs};
use crate::params::Params;
use crate::stats::round_to;
use crate::tables::{ByStage, School, SchoolKind, Stage};
use crate::Problem;

/// One of the 7 resource indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Resource {
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
}

impl Resource {
    pub const ALL: [Resource; 7] = [
        Resource::R1,
        Resource::R2,
        Resource::R3,
        Resource::R4,
        Resource::R5,
        Resource::R6,
        Resource::R7,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// "R1" … "R7" (the codes of the quality-balance system's leaves).
    pub fn code(self) -> &'static str {
        ["R1", "R2", "R3", "R4", "R5", "R6", "R7"][self.index()]
    }

    pub fn title(self) -> &'static str {
        [
            "每百名学生拥有高于规定学历教师数",
            "每百名学生拥有县级及以上骨干教师数",
            "每百名学生拥有体育、艺术专任教师数",
            "生均教学及辅助用房面积",
            "生均体育运动场馆面积",
            "生均教学仪器设备值",
            "每百名学生拥有网络多媒体教室数",
        ][self.index()]
    }

    /// Unit of the per-school value.
    pub fn unit(self) -> &'static str {
        ["人", "人", "人", "平方米", "平方米", "元", "间"][self.index()]
    }

    /// The four facility indicators, split by weighted enrolment.
    pub fn is_facility(self) -> bool {
        self.index() >= 3
    }

    /// Multiplier from (resource ÷ students) to the indicator: ×100 for "每百名学生", ×10000 for
    /// 教学仪器设备值 given in 万元 and shown in 元 per student.
    pub fn factor(self) -> f64 {
        match self {
            Resource::R1 | Resource::R2 | Resource::R3 | Resource::R7 => 100.0,
            Resource::R4 | Resource::R5 => 1.0,
            Resource::R6 => 10000.0,
        }
    }

    /// The indicator a leaf is about: its code "R1"…"R7", or a keyword of its title.
    pub fn for_leaf(code: &str, title: &str) -> Option<Resource> {
        if let Some(r) = Resource::ALL
            .iter()
            .find(|r| r.code().eq_ignore_ascii_case(code.trim()))
        {
            return Some(*r);
        }
        let keys: [&[&str]; 7] = [
            &["高于规定学历"],
            &["骨干教师"],
            &["体育、艺术", "体育艺术", "体艺"],
            &["教学及辅助用房"],
            &["体育运动场馆"],
            &["教学仪器设备"],
            &["网络多媒体教室"],
        ];
        Resource::ALL
            .iter()
            .copied()
            .find(|r| keys[r.index()].iter().any(|k| title.contains(k)))
    }

    fn read(self, school: &School, part: Option<Stage>) -> Option<(f64, Option<CellRef>)> {
        fn get<T: Copy + Into<f64>>(
            b: &ByStage<T>,
            part: Option<Stage>,
        ) -> Option<(f64, Option<CellRef>)> {
            let c: &Cell<T> = match part {
                Some(s) => b.stage(s)?,
                None => b.total.as_ref()?,
            };
            Some((c.value.into(), c.at.clone()))
        }
        match self {
            Resource::R1 => get(&school.qualified_teachers, part),
            Resource::R2 => get(&school.key_teachers, part),
            Resource::R3 => get(&school.pe_art_teachers, part),
            Resource::R4 => get(&school.teaching_area, part),
            Resource::R5 => get(&school.sports_area, part),
            Resource::R6 => get(&school.equipment_value, part),
            Resource::R7 => get(&school.multimedia_rooms, part),
        }
    }
}

/// One school, or one stage of a through school, as it enters the 差异系数 and attainment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolUnit {
    /// 学校名称.
    pub school: String,
    /// Name shown in tables: the school name, with "（小学部）"/"（初中部）" for through schools.
    pub label: String,
    pub kind: SchoolKind,
    pub stage: Stage,
    /// Pᵢ: the stage's enrolment.
    pub students: u32,
    /// The 7 indicator values in [`Resource::ALL`] order (`None` when the input is missing).
    pub values: Vec<Option<f64>>,
    /// The cells each value was computed from.
    pub inputs: Vec<Vec<CellRef>>,
    /// Whether each value (rounded to 2 decimals) reaches the stage's standard.
    pub met: Vec<Option<bool>>,
    /// At least `min_met` met and the rest ≥ `rest_ratio` × standard; `None` when data are missing.
    pub attained: Option<bool>,
}

/// A school left out of the 差异系数 scope, with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exclusion {
    pub school: String,
    pub kind: SchoolKind,
    pub reason: String,
}

fn split_weights(kind: SchoolKind, params: &Params, stage: Stage) -> f64 {
    let w = &params.weights;
    match (kind, stage) {
        (SchoolKind::NineYear, Stage::Primary) => w.nine_year[0],
        (SchoolKind::NineYear, Stage::Junior) => w.nine_year[1],
        (SchoolKind::CompleteMiddle, Stage::Junior) => w.complete_middle[0],
        (SchoolKind::CompleteMiddle, Stage::Senior) => w.complete_middle[1],
        (SchoolKind::TwelveYear, Stage::Primary) => w.twelve_year[0],
        (SchoolKind::TwelveYear, Stage::Junior) => w.twelve_year[1],
        (SchoolKind::TwelveYear, Stage::Senior) => w.twelve_year[2],
        _ => 1.0,
    }
}

/// Per-stage enrolment of a school, with the cells used. A through school missing exactly one
/// stage gets it as total − the other stages.
fn stage_students(
    school: &School,
    problems: &mut Vec<Problem>,
) -> Option<Vec<(Stage, u32, Vec<CellRef>)>> {
    let stages = school.kind().stages();
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for s in stages {
        match school.students_of(*s) {
            Some(c) => out.push((*s, c.value, c.at.iter().cloned().collect::<Vec<_>>())),
            None => missing.push(*s),
        }
    }
    if missing.is_empty() {
        return Some(out);
    }
    if let (1, Some(total)) = (missing.len(), school.students.total.as_ref()) {
        let known: u32 = out.iter().map(|(_, n, _)| n).sum();
        if total.value >= known {
            let mut cells: Vec<CellRef> = total.at.iter().cloned().collect();
            for (_, _, c) in &out {
                cells.extend(c.iter().cloned());
            }
            out.push((missing[0], total.value - known, cells));
            out.sort_by_key(|(s, _, _)| *s);
            return Some(out);
        }
    }
    problems.push(Problem {
        message: format!(
            "{}（{}）缺少{}在校生数，无法按学段拆分，未参与校际差异系数计算",
            school.name,
            school.kind().label(),
            missing
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join("、")
        ),
        at: school.kind.at.clone(),
    });
    None
}

/// Splits every in-scope school into units and evaluates attainment.
pub fn school_units(
    schools: &[School],
    params: &Params,
) -> (Vec<SchoolUnit>, Vec<Exclusion>, Vec<Problem>) {
    let mut units = Vec::new();
    let mut excluded = Vec::new();
    let mut problems = Vec::new();
    for school in schools {
        let kind = school.kind();
        let exclude = |reason: String| Exclusion {
            school: school.name.clone(),
            kind,
            reason,
        };
        match kind {
            SchoolKind::Special
            | SchoolKind::Vocational
            | SchoolKind::Kindergarten
            | SchoolKind::Other => {
                excluded.push(exclude(format!(
                    "{}不在校际差异系数计算范围内",
                    kind.label()
                )));
                continue;
            }
            SchoolKind::Senior => {
                excluded.push(exclude("不含义务教育学段".to_string()));
                continue;
            }
            _ => {}
        }
        if kind == SchoolKind::TeachingPoint {
            let n = school.students_total().unwrap_or(0);
            if n < params.teaching_point_min_students {
                excluded.push(exclude(format!(
                    "不足{}人的教学点（{}人）",
                    params.teaching_point_min_students, n
                )));
                continue;
            }
        }
        if school.is_private() && !params.include_private {
            excluded.push(exclude("民办学校未纳入计算范围".to_string()));
            continue;
        }
        let Some(parts) = stage_students(school, &mut problems) else {
            continue;
        };
        let all_student_cells: Vec<CellRef> = parts
            .iter()
            .flat_map(|(_, _, c)| c.iter().cloned())
            .collect();
        for (stage, students, student_cells) in &parts {
            if !matches!(stage, Stage::Primary | Stage::Junior) || *students == 0 {
                continue;
            }
            let p = f64::from(*students);
            let mut values = Vec::with_capacity(7);
            let mut inputs = Vec::with_capacity(7);
            let mut missing = Vec::new();
            for r in Resource::ALL {
                let mut cells = Inputs::default();
                let amount = if let Some((v, at)) = r.read(school, Some(*stage)) {
                    cells.extend(student_cells);
                    cells.extend(&at.into_iter().collect::<Vec<_>>());
                    Some(v)
                } else if let Some((v, at)) = r.read(school, None) {
                    cells.extend(if parts.len() == 1 {
                        student_cells
                    } else {
                        &all_student_cells
                    });
                    cells.extend(&at.into_iter().collect::<Vec<_>>());
                    if parts.len() == 1 {
                        Some(v)
                    } else {
                        // the total less the stages given separately, shared among the others
                        let mut rest = v;
                        let mut share_den = 0.0;
                        for (s2, n2, _) in &parts {
                            match r.read(school, Some(*s2)) {
                                Some((given, at2)) => {
                                    rest -= given;
                                    cells.extend(&at2.into_iter().collect::<Vec<_>>());
                                }
                                None => {
                                    let w = if r.is_facility() {
                                        split_weights(kind, params, *s2)
                                    } else {
                                        1.0
                                    };
                                    share_den += w * f64::from(*n2);
                                }
                            }
                        }
                        if rest < 0.0 {
                            problems.push(Problem {
                                message: format!(
                                    "{}的{}合计小于各学段之和",
                                    school.name,
                                    r.title()
                                ),
                                at: school.kind.at.clone(),
                            });
                            rest = 0.0;
                        }
                        let w = if r.is_facility() {
                            split_weights(kind, params, *stage)
                        } else {
                            1.0
                        };
                        Some(if share_den > 0.0 {
                            rest * w * p / share_den
                        } else {
                            0.0
                        })
                    }
                } else {
                    None
                };
                match amount {
                    Some(a) => values.push(Some(a * r.factor() / p)),
                    None => {
                        missing.push(r.title());
                        values.push(None);
                    }
                }
                inputs.push(cells.into_vec());
            }
            if !missing.is_empty() {
                let whose = if parts.len() > 1 {
                    format!("{}（{}部）", school.name, stage.label())
                } else {
                    school.name.clone()
                };
                problems.push(Problem {
                    message: format!(
                        "{whose}缺少计算{}所需的数据，这些指标未计入差异系数",
                        missing.join("、")
                    ),
                    at: student_cells.first().cloned(),
                });
            }
            let label = if parts.len() > 1 {
                format!("{}（{}部）", school.name, stage.label())
            } else {
                school.name.clone()
            };
            let mut unit = SchoolUnit {
                school: school.name.clone(),
                label,
                kind,
                stage: *stage,
                students: *students,
                values,
                inputs,
                met: Vec::new(),
                attained: None,
            };
            evaluate_attainment(&mut unit, params);
            units.push(unit);
        }
    }
    (units, excluded, problems)
}

/// Fills `met` and `attained` of a unit.
pub fn evaluate_attainment(unit: &mut SchoolUnit, params: &Params) {
    let mut met = Vec::with_capacity(7);
    let mut all_known = true;
    let mut met_count = 0u32;
    let mut rest_ok = true;
    for r in Resource::ALL {
        let std = params.resource_min[r.index()].get(unit.stage);
        match (unit.values[r.index()], std) {
            (Some(v), Some(std)) => {
                let v = round_to(v, 2);
                let ok = v >= std;
                if ok {
                    met_count += 1;
                } else if v < round_to(params.rest_ratio * std, 4) {
                    rest_ok = false;
                }
                met.push(Some(ok));
            }
            _ => {
                all_known = false;
                met.push(None);
            }
        }
    }
    unit.met = met;
    unit.attained = if all_known {
        Some(met_count >= params.min_met && rest_ok)
    } else {
        None
    };
}
