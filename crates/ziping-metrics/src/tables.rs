//! The typed input tables, as the workbook importer fills them.
//!
//! One struct per table of the template (column headers after `seeds/NOTES.md` §4.3). Every value
//! a figure uses is a [`Cell`] so that it keeps its provenance. Units are fixed here and the
//! importer converts to them: people are counts, areas ㎡, 教学仪器设备值 and 教育支出 万元, wages
//! and per-student amounts 元, satisfaction 百分制.

use serde::{Deserialize, Serialize};

use crate::cell::Cell;

/// A stage (学段) of schooling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    #[serde(rename = "小学")]
    Primary,
    #[serde(rename = "初中")]
    Junior,
    #[serde(rename = "高中")]
    Senior,
}

impl Stage {
    /// The compulsory stages, in report order.
    pub const COMPULSORY: [Stage; 2] = [Stage::Primary, Stage::Junior];

    /// "小学", "初中", "高中".
    pub fn label(self) -> &'static str {
        match self {
            Stage::Primary => "小学",
            Stage::Junior => "初中",
            Stage::Senior => "高中",
        }
    }

    /// ASCII key used in figure ids: "primary", "junior", "senior".
    pub fn key(self) -> &'static str {
        match self {
            Stage::Primary => "primary",
            Stage::Junior => "junior",
            Stage::Senior => "senior",
        }
    }

    /// Reads the usual spellings: 小学/小学部/初中/初中部/高中/普通高中/高中部.
    pub fn parse(s: &str) -> Option<Stage> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        if t.contains("小学") || t == "小" {
            Some(Stage::Primary)
        } else if t.contains("初中") || t.contains("初级中学") || t == "初" {
            Some(Stage::Junior)
        } else if t.contains("高中") || t.contains("高级中学") || t == "高" {
            Some(Stage::Senior)
        } else {
            None
        }
    }
}

/// 学校类型.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SchoolKind {
    #[serde(rename = "小学")]
    Primary,
    #[serde(rename = "初中")]
    Junior,
    #[serde(rename = "九年一贯制")]
    NineYear,
    #[serde(rename = "十二年一贯制")]
    TwelveYear,
    #[serde(rename = "完全中学")]
    CompleteMiddle,
    #[serde(rename = "高中")]
    Senior,
    #[serde(rename = "教学点")]
    TeachingPoint,
    #[serde(rename = "特殊教育")]
    Special,
    #[serde(rename = "职业学校")]
    Vocational,
    #[serde(rename = "幼儿园")]
    Kindergarten,
    #[default]
    #[serde(rename = "其他")]
    Other,
}

impl SchoolKind {
    pub fn label(self) -> &'static str {
        match self {
            SchoolKind::Primary => "小学",
            SchoolKind::Junior => "初中",
            SchoolKind::NineYear => "九年一贯制",
            SchoolKind::TwelveYear => "十二年一贯制",
            SchoolKind::CompleteMiddle => "完全中学",
            SchoolKind::Senior => "高中",
            SchoolKind::TeachingPoint => "教学点",
            SchoolKind::Special => "特殊教育",
            SchoolKind::Vocational => "职业学校",
            SchoolKind::Kindergarten => "幼儿园",
            SchoolKind::Other => "其他",
        }
    }

    /// Reads the spellings found in statistics ("九年一贯制学校", "特教学校", "中职", "小学教学点",
    /// "普通高中", "独立设置初中"…). Order matters: the more specific names are tried first.
    pub fn parse(s: &str) -> Option<SchoolKind> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if t.is_empty() {
            return None;
        }
        let k = if t.contains("教学点") {
            SchoolKind::TeachingPoint
        } else if t.contains("十二年") {
            SchoolKind::TwelveYear
        } else if t.contains("九年") || t.contains("一贯制") {
            SchoolKind::NineYear
        } else if t.contains("完全中学") || t == "完中" {
            SchoolKind::CompleteMiddle
        } else if t.contains("特殊教育")
            || t.contains("特教")
            || t.contains("培智")
            || t.contains("聋")
            || t.contains("盲校")
        {
            SchoolKind::Special
        } else if t.contains("职业")
            || t.contains("中职")
            || t.contains("职高")
            || t.contains("技工")
            || t.contains("中专")
        {
            SchoolKind::Vocational
        } else if t.contains("幼儿园") || t.contains("幼儿") {
            SchoolKind::Kindergarten
        } else if t.contains("小学") {
            SchoolKind::Primary
        } else if t.contains("初中") || t.contains("初级中学") {
            SchoolKind::Junior
        } else if t.contains("高中") || t.contains("高级中学") {
            SchoolKind::Senior
        } else if t.contains("其他") {
            SchoolKind::Other
        } else {
            return None;
        };
        Some(k)
    }

    /// The stages this kind of school teaches (教学点 count with 小学). Empty for special,
    /// vocational, kindergarten and other schools.
    pub fn stages(self) -> &'static [Stage] {
        match self {
            SchoolKind::Primary | SchoolKind::TeachingPoint => &[Stage::Primary],
            SchoolKind::Junior => &[Stage::Junior],
            SchoolKind::NineYear => &[Stage::Primary, Stage::Junior],
            SchoolKind::TwelveYear => &[Stage::Primary, Stage::Junior, Stage::Senior],
            SchoolKind::CompleteMiddle => &[Stage::Junior, Stage::Senior],
            SchoolKind::Senior => &[Stage::Senior],
            SchoolKind::Special
            | SchoolKind::Vocational
            | SchoolKind::Kindergarten
            | SchoolKind::Other => &[],
        }
    }

    /// A school teaching more than one stage (split before computing 差异系数).
    pub fn is_through(self) -> bool {
        self.stages().len() > 1
    }
}

/// 办学性质.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ownership {
    #[serde(rename = "公办")]
    Public,
    #[serde(rename = "民办")]
    Private,
}

/// 城乡类别.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locality {
    #[serde(rename = "城区")]
    Urban,
    #[serde(rename = "镇区")]
    Town,
    #[serde(rename = "乡村")]
    Rural,
}

/// A quantity a school reports either as a whole (`total`) or per stage. For a one-stage school
/// either may be filled; for a through school the per-stage values are used when present, and
/// otherwise the total is split (see `crate::resources`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct ByStage<T> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Cell<T>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<Cell<T>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub junior: Option<Cell<T>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub senior: Option<Cell<T>>,
}

impl<T> Default for ByStage<T> {
    fn default() -> Self {
        ByStage {
            total: None,
            primary: None,
            junior: None,
            senior: None,
        }
    }
}

impl<T> ByStage<T> {
    /// Only a school-wide total.
    pub fn total(value: impl Into<Cell<T>>) -> ByStage<T> {
        ByStage {
            total: Some(value.into()),
            ..ByStage::default()
        }
    }

    /// The value given for one stage, if any.
    pub fn stage(&self, stage: Stage) -> Option<&Cell<T>> {
        match stage {
            Stage::Primary => self.primary.as_ref(),
            Stage::Junior => self.junior.as_ref(),
            Stage::Senior => self.senior.as_ref(),
        }
    }

    /// Sets the value of one stage (builder style).
    pub fn with(mut self, stage: Stage, value: impl Into<Cell<T>>) -> ByStage<T> {
        let v = Some(value.into());
        match stage {
            Stage::Primary => self.primary = v,
            Stage::Junior => self.junior = v,
            Stage::Senior => self.senior = v,
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.total.is_none()
            && self.primary.is_none()
            && self.junior.is_none()
            && self.senior.is_none()
    }
}

/// 学校基本情况表: one row per school.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct School {
    /// 学校名称.
    pub name: String,
    /// 学校标识码 (kept as text: leading zeros matter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// 学校类型.
    pub kind: Cell<SchoolKind>,
    /// 办学性质.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ownership: Option<Cell<Ownership>>,
    /// 城乡类别.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locality: Option<Cell<Locality>>,
    /// 教学班数.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<Cell<u32>>,
    /// 在校学生数 (per stage for through schools).
    pub students: ByStage<u32>,
    /// 高于规定学历的专任教师数 (小学：大专及以上；初中：本科及以上).
    pub qualified_teachers: ByStage<u32>,
    /// 县级及以上骨干教师数.
    pub key_teachers: ByStage<u32>,
    /// 体育、艺术（美术、音乐）专任教师数.
    pub pe_art_teachers: ByStage<u32>,
    /// 教学及辅助用房面积（㎡）.
    pub teaching_area: ByStage<f64>,
    /// 体育运动场馆面积（㎡）.
    pub sports_area: ByStage<f64>,
    /// 教学仪器设备值（万元）.
    pub equipment_value: ByStage<f64>,
    /// 网络多媒体教室数（间）.
    pub multimedia_rooms: ByStage<u32>,
}

impl School {
    pub fn kind(&self) -> SchoolKind {
        self.kind.value
    }

    pub fn is_private(&self) -> bool {
        matches!(
            self.ownership.as_ref().map(|c| c.value),
            Some(Ownership::Private)
        )
    }

    /// Enrolment of one stage: the stage value, or for a one-stage school the total.
    pub fn students_of(&self, stage: Stage) -> Option<&Cell<u32>> {
        if let Some(c) = self.students.stage(stage) {
            return Some(c);
        }
        let stages = self.kind().stages();
        if stages.len() == 1 && stages[0] == stage {
            return self.students.total.as_ref();
        }
        None
    }

    /// Total enrolment: the total column, or the sum of the stages.
    pub fn students_total(&self) -> Option<u32> {
        if let Some(t) = &self.students.total {
            return Some(t.value);
        }
        let parts: Vec<u32> = [Stage::Primary, Stage::Junior, Stage::Senior]
            .iter()
            .filter_map(|s| self.students.stage(*s))
            .map(|c| c.value)
            .collect();
        if parts.is_empty() {
            None
        } else {
            Some(parts.iter().sum())
        }
    }
}

/// 班额明细表: one row per class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassRow {
    /// 学校名称.
    pub school: String,
    /// 学段.
    pub stage: Cell<Stage>,
    /// 年级 (free text: "三年级").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// 班级 (free text: "2班").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// 班级人数.
    pub size: Cell<u32>,
}

/// 教育经费总表: one row per year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinanceYear {
    /// 年度.
    pub year: i32,
    /// 一般公共预算教育支出（万元）.
    pub education_expenditure: Cell<f64>,
    /// 学前及义务教育及职业教育在校生数 (the denominator of the per-student figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub students: Option<Cell<u32>>,
    /// 按在校生人数平均的一般公共预算教育支出（元）, when the table states it. Used as given;
    /// otherwise computed as 支出 × 10000 ÷ 在校生数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_student: Option<Cell<f64>>,
}

/// 教师工资对比表: one row per year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeacherPay {
    pub year: i32,
    /// 义务教育教师年平均工资收入（元）.
    pub teacher_avg: Cell<f64>,
    /// 当地公务员年平均工资收入（元）.
    pub civil_servant_avg: Cell<f64>,
}

/// 学前教育表: one row per year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preschool {
    pub year: i32,
    /// 在园幼儿数.
    pub enrolled: Cell<u32>,
    /// 公办园在园幼儿数.
    pub public_enrolled: Cell<u32>,
    /// 普惠性民办园在园幼儿数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inclusive_private_enrolled: Option<Cell<u32>>,
    /// 3-5岁适龄人口.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population_3_5: Option<Cell<u32>>,
}

/// 特殊群体与资助表: one row per year (the columns the figures use).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpecialGroups {
    pub year: i32,
    /// 随迁子女总数 (义务教育阶段).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migrant_total: Option<Cell<u32>>,
    /// 公办学校就读数.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migrant_public: Option<Cell<u32>>,
    /// 政府购买学位就读数.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migrant_purchased: Option<Cell<u32>>,
    /// 适龄残疾儿童少年数.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_population: Option<Cell<u32>>,
    /// 入学数, when stated; otherwise the sum of the three ways of schooling below.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_enrolled: Option<Cell<u32>>,
    /// 特教学校就读.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_special_school: Option<Cell<u32>>,
    /// 随班就读.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_regular_class: Option<Cell<u32>>,
    /// 送教上门.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_home_teaching: Option<Cell<u32>>,
}

/// The scale a satisfaction score was given on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScoreScale {
    /// 百分制 (stored as is).
    #[default]
    #[serde(rename = "百分制")]
    Hundred,
    /// 十分制 (7.962): converted once to 百分制 on input.
    #[serde(rename = "十分制")]
    Ten,
}

/// 满意度调查表: one row per year and (optionally) respondent group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Satisfaction {
    pub year: i32,
    /// 调查对象 (学生/家长/教师/…); `None` or "总体"/"综合"/"全体" for the overall score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// 样本量.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<Cell<u32>>,
    /// 满意度, always 百分制 here.
    pub score: Cell<f64>,
    /// The scale the source used (for display only; `score` is already converted).
    #[serde(default)]
    pub source_scale: ScoreScale,
}

impl Satisfaction {
    /// A 百分制 score.
    pub fn hundred(year: i32, score: impl Into<Cell<f64>>) -> Satisfaction {
        Satisfaction {
            year,
            group: None,
            sample: None,
            score: score.into(),
            source_scale: ScoreScale::Hundred,
        }
    }

    /// A 十分制 score (7.962), converted once to 百分制 (79.62) and stored so.
    pub fn ten_point(year: i32, score: impl Into<Cell<f64>>) -> Satisfaction {
        let mut c = score.into();
        c.value = crate::stats::round_to(c.value * 10.0, 6);
        Satisfaction {
            year,
            group: None,
            sample: None,
            score: c,
            source_scale: ScoreScale::Ten,
        }
    }

    fn is_overall(&self) -> bool {
        match &self.group {
            None => true,
            Some(g) => {
                let g = g.trim();
                g.is_empty()
                    || ["总体", "综合", "全体", "合计", "总计", "全部"]
                        .iter()
                        .any(|w| g.contains(w))
            }
        }
    }

    pub(crate) fn overall(&self) -> bool {
        self.is_overall()
    }
}

/// All tables of one assessment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tables {
    /// The assessment year: year-on-year figures compare it with the year before. `None` = the
    /// latest year found in each table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    pub schools: Vec<School>,
    pub classes: Vec<ClassRow>,
    pub finance: Vec<FinanceYear>,
    pub teacher_pay: Vec<TeacherPay>,
    pub preschool: Vec<Preschool>,
    pub special_groups: Vec<SpecialGroups>,
    pub satisfaction: Vec<Satisfaction>,
}
