//! The tables of the statistics workbook: their names, columns, units and header synonyms.
//!
//! This is the one place that knows the template. The template writer ([`crate::template`]) and
//! the reader ([`crate::read`]) both work from [`TableKind::fields`]. To accept another spelling of
//! a header, add it to the field's `synonyms` (written as [`crate::norm::header`] normalises
//! headers: no units, no brackets, no punctuation or spaces, half-width digits).

use serde::{Deserialize, Serialize};

/// One table of the workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Schools,
    Classes,
    Finance,
    TeacherPay,
    Preschool,
    SpecialGroups,
    Satisfaction,
}

impl TableKind {
    pub const ALL: [TableKind; 7] = [
        TableKind::Schools,
        TableKind::Classes,
        TableKind::Finance,
        TableKind::TeacherPay,
        TableKind::Preschool,
        TableKind::SpecialGroups,
        TableKind::Satisfaction,
    ];

    /// Stable ASCII key (stored in the workspace): "schools", "classes", …
    pub fn key(self) -> &'static str {
        match self {
            TableKind::Schools => "schools",
            TableKind::Classes => "classes",
            TableKind::Finance => "finance",
            TableKind::TeacherPay => "teacher_pay",
            TableKind::Preschool => "preschool",
            TableKind::SpecialGroups => "special_groups",
            TableKind::Satisfaction => "satisfaction",
        }
    }

    pub fn from_key(key: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The sheet name of the template: "学校基本情况表".
    pub fn title(self) -> &'static str {
        match self {
            TableKind::Schools => "学校基本情况表",
            TableKind::Classes => "班额明细表",
            TableKind::Finance => "教育经费表",
            TableKind::TeacherPay => "教师工资对比表",
            TableKind::Preschool => "学前教育表",
            TableKind::SpecialGroups => "特殊群体与资助表",
            TableKind::Satisfaction => "满意度调查表",
        }
    }

    /// Words that identify the table in a sheet name (after normalisation).
    pub(crate) fn name_keywords(self) -> &'static [&'static str] {
        match self {
            TableKind::Schools => &["学校基本情况", "学校基本信息", "学校情况", "基本情况"],
            TableKind::Classes => &["班额", "班级明细", "班级情况"],
            TableKind::Finance => &["教育经费", "经费"],
            TableKind::TeacherPay => &["工资", "待遇"],
            TableKind::Preschool => &["学前", "幼儿"],
            TableKind::SpecialGroups => &["特殊群体", "随迁", "残疾", "资助"],
            TableKind::Satisfaction => &["满意度"],
        }
    }

    /// One row per year (finance, pay, preschool, special groups, satisfaction).
    pub fn per_year(self) -> bool {
        !matches!(self, TableKind::Schools | TableKind::Classes)
    }

    /// Whether 合计/小计 rows are skipped and checked against the column sums. Satisfaction rows
    /// named 总体/合计 are the overall score, not a sum; per-year tables are not summed.
    pub(crate) fn has_total_rows(self) -> bool {
        matches!(self, TableKind::Schools | TableKind::Classes)
    }

    /// The fields of the table, in template order.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            TableKind::Schools => SCHOOLS,
            TableKind::Classes => CLASSES,
            TableKind::Finance => FINANCE,
            TableKind::TeacherPay => TEACHER_PAY,
            TableKind::Preschool => PRESCHOOL,
            TableKind::SpecialGroups => SPECIAL_GROUPS,
            TableKind::Satisfaction => SATISFACTION,
        }
    }

    /// The field whose cell names the row (学校名称, 年度…): where 合计 rows and footers are seen.
    pub(crate) fn label_field(self) -> &'static str {
        match self {
            TableKind::Schools | TableKind::Classes => "school",
            _ => "year",
        }
    }

    /// Field keys that must all be mapped for a header to count as this table.
    pub(crate) fn anchors(self) -> &'static [&'static str] {
        match self {
            TableKind::Schools => &["school", "kind"],
            TableKind::Classes => &["school", "size"],
            TableKind::Finance => &["year", "education_expenditure"],
            TableKind::TeacherPay => &["year", "teacher_avg"],
            TableKind::Preschool => &["year", "enrolled"],
            TableKind::SpecialGroups => &["year"],
            TableKind::Satisfaction => &["year", "score"],
        }
    }

    /// Explanation shown on the 说明 sheet.
    pub(crate) fn note(self) -> &'static str {
        match self {
            TableKind::Schools => "每所学校一行（含教学点、特殊教育学校）。九年一贯制、十二年一贯制、完全中学请分学段填写在校学生数；办学条件可填全校合计（按学段折算拆分），也可另加“小学教学及辅助用房面积（㎡）”等分学段列。",
            TableKind::Classes => "每个教学班一行，用于计算大班额、超大班额和平均班额。",
            TableKind::Finance => "每个年度一行，至少填写本年度和上一年度，用于“两个只增不减”。",
            TableKind::TeacherPay => "每个年度一行：义务教育教师与当地公务员的年平均工资收入。",
            TableKind::Preschool => "每个年度一行：在园幼儿数、公办园和普惠性民办园在园幼儿数、3—5岁适龄人口。",
            TableKind::SpecialGroups => "每个年度一行：随迁子女就读情况、适龄残疾儿童少年入学安置情况。",
            TableKind::Satisfaction => "每个年度一行或按调查对象分行；调查对象填“总体”的一行为综合满意度。满意度按百分制填写，十分制请在“计分制”列注明。",
        }
    }
}

/// What a column holds and how its cells are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Free text (trimmed).
    Text,
    /// An identifier (学校标识码): kept exactly as text, never through a float.
    Id,
    SchoolKind,
    Ownership,
    Locality,
    Stage,
    /// A whole number of people, rooms, classes (≥ 0).
    Count,
    /// An area in ㎡ (converted from the header's unit).
    Area,
    /// Money in 万元 (converted from 元, 亿元…).
    WanYuan,
    /// Money in 元 (converted from 万元…).
    Yuan,
    /// A year: 2024, "2024年", "2024年度", "2024—2025学年" (→ 2024).
    Year,
    /// A satisfaction score (百分制 or 十分制; a trailing % is accepted).
    Score,
    /// 计分制: 百分制 / 十分制.
    Scale,
}

impl FieldType {
    /// The values offered in the template's drop-down list.
    pub fn choices(self) -> &'static [&'static str] {
        match self {
            FieldType::SchoolKind => &[
                "小学",
                "初中",
                "九年一贯制",
                "十二年一贯制",
                "完全中学",
                "高中",
                "教学点",
                "特殊教育",
                "职业学校",
                "幼儿园",
                "其他",
            ],
            FieldType::Ownership => &["公办", "民办"],
            FieldType::Locality => &["城区", "镇区", "乡村"],
            FieldType::Stage => &["小学", "初中", "高中"],
            FieldType::Scale => &["百分制", "十分制"],
            _ => &[],
        }
    }

    pub(crate) fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldType::Count
                | FieldType::Area
                | FieldType::WanYuan
                | FieldType::Yuan
                | FieldType::Score
        )
    }
}

/// One column of a table.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    /// Field key: "school", "students", "education_expenditure"…
    pub key: &'static str,
    /// Header in the template, with its unit: "教学及辅助用房面积（㎡）".
    pub header: &'static str,
    pub ty: FieldType,
    /// Rows without it are refused.
    pub required: bool,
    /// The field exists per stage (合计/小学/初中/高中): headers carry the stage ("小学在校生数",
    /// or a two-row header 在校学生数 › 小学).
    pub by_stage: bool,
    /// Written to the template (by-stage fields: the 合计 column; students also per stage).
    pub in_template: bool,
    /// Normalised header spellings accepted (the first is the template's).
    pub synonyms: &'static [&'static str],
    /// Example value for the template's first row.
    pub example: &'static str,
    /// Column width in the template (characters).
    pub width: f64,
}

const fn f(
    key: &'static str,
    header: &'static str,
    ty: FieldType,
    required: bool,
    synonyms: &'static [&'static str],
    example: &'static str,
    width: f64,
) -> FieldSpec {
    FieldSpec {
        key,
        header,
        ty,
        required,
        by_stage: false,
        in_template: true,
        synonyms,
        example,
        width,
    }
}

const fn staged(
    key: &'static str,
    header: &'static str,
    ty: FieldType,
    synonyms: &'static [&'static str],
    example: &'static str,
    width: f64,
) -> FieldSpec {
    FieldSpec {
        key,
        header,
        ty,
        required: false,
        by_stage: true,
        in_template: true,
        synonyms,
        example,
        width,
    }
}

const fn ignored(
    key: &'static str,
    header: &'static str,
    synonyms: &'static [&'static str],
) -> FieldSpec {
    FieldSpec {
        key,
        header,
        ty: FieldType::Text,
        required: false,
        by_stage: false,
        in_template: true,
        synonyms,
        example: "",
        width: 20.0,
    }
}

/// Field keys that are read for the preview but not stored (备注).
pub(crate) const NOTE_KEY: &str = "note";

const YEAR_SYN: &[&str] = &[
    "年度",
    "年份",
    "年",
    "预算年度",
    "统计年度",
    "学年",
    "年度年",
];

static SCHOOLS: &[FieldSpec] = &[
    f(
        "school",
        "学校名称",
        FieldType::Text,
        true,
        &[
            "学校名称",
            "学校",
            "校名",
            "单位名称",
            "学校全称",
            "学校机构名称",
            "学校名",
        ],
        "县城第一小学",
        24.0,
    ),
    f(
        "code",
        "学校标识码",
        FieldType::Id,
        false,
        &[
            "学校标识码",
            "学校代码",
            "标识码",
            "学校识别码",
            "机构代码",
            "学校编码",
        ],
        "2133000001",
        16.0,
    ),
    f(
        "kind",
        "学校类型",
        FieldType::SchoolKind,
        true,
        &[
            "学校类型",
            "办学类型",
            "学校类别",
            "类型",
            "学校类型办学类型",
        ],
        "小学",
        14.0,
    ),
    f(
        "ownership",
        "办学性质",
        FieldType::Ownership,
        false,
        &["办学性质", "举办者性质", "性质", "公办民办", "办学体制"],
        "公办",
        10.0,
    ),
    f(
        "locality",
        "城乡类别",
        FieldType::Locality,
        false,
        &[
            "城乡类别",
            "城乡分类",
            "城乡",
            "城乡属性",
            "所在地类别",
            "城乡类型",
        ],
        "城区",
        10.0,
    ),
    f(
        "classes",
        "教学班数（个）",
        FieldType::Count,
        false,
        &["教学班数", "班级数", "班数", "教学班", "教学班个数"],
        "48",
        10.0,
    ),
    staged(
        "students",
        "在校学生数（人）",
        FieldType::Count,
        &[
            "在校学生数",
            "在校生数",
            "学生数",
            "在校生",
            "学生人数",
            "在校学生人数",
            "在校学生总数",
            "在校生总数",
            "在校生人数",
        ],
        "2140",
        12.0,
    ),
    staged(
        "qualified_teachers",
        "高于规定学历专任教师数（人）",
        FieldType::Count,
        &[
            "高于规定学历专任教师数",
            "高于规定学历教师数",
            "高于规定学历的专任教师数",
            "高学历教师数",
            "高于规定学历专任教师",
        ],
        "118",
        16.0,
    ),
    staged(
        "key_teachers",
        "县级及以上骨干教师数（人）",
        FieldType::Count,
        &[
            "县级及以上骨干教师数",
            "县级以上骨干教师数",
            "骨干教师数",
            "县级及以上骨干教师",
            "骨干教师",
        ],
        "26",
        14.0,
    ),
    staged(
        "pe_art_teachers",
        "体育艺术专任教师数（人）",
        FieldType::Count,
        &[
            "体育艺术专任教师数",
            "体育艺术教师数",
            "体艺教师数",
            "体育艺术专任教师",
            "体育艺术美术音乐专任教师数",
        ],
        "22",
        14.0,
    ),
    staged(
        "teaching_area",
        "教学及辅助用房面积（㎡）",
        FieldType::Area,
        &[
            "教学及辅助用房面积",
            "教学及辅助用房",
            "教辅用房面积",
            "教学辅助用房面积",
            "教学及教辅用房面积",
        ],
        "10200",
        16.0,
    ),
    staged(
        "sports_area",
        "体育运动场馆面积（㎡）",
        FieldType::Area,
        &[
            "体育运动场馆面积",
            "体育运动场馆",
            "运动场馆面积",
            "体育场馆面积",
            "体育运动场地面积",
        ],
        "16800",
        16.0,
    ),
    staged(
        "equipment_value",
        "教学仪器设备值（万元）",
        FieldType::WanYuan,
        &[
            "教学仪器设备值",
            "教学仪器设备资产值",
            "仪器设备值",
            "教学仪器设备总值",
            "教学仪器设备",
        ],
        "460",
        14.0,
    ),
    staged(
        "multimedia_rooms",
        "网络多媒体教室数（间）",
        FieldType::Count,
        &[
            "网络多媒体教室数",
            "网络多媒体教室",
            "多媒体教室数",
            "网络多媒体教室间数",
        ],
        "52",
        14.0,
    ),
    ignored(NOTE_KEY, "备注", &["备注", "说明"]),
];

static CLASSES: &[FieldSpec] = &[
    f(
        "school",
        "学校名称",
        FieldType::Text,
        true,
        &["学校名称", "学校", "校名", "单位名称", "学校全称"],
        "县城第一小学",
        24.0,
    ),
    f(
        "stage",
        "学段",
        FieldType::Stage,
        true,
        &["学段", "学部", "阶段", "学段学部"],
        "小学",
        8.0,
    ),
    f(
        "grade",
        "年级",
        FieldType::Text,
        false,
        &["年级"],
        "一年级",
        10.0,
    ),
    f(
        "class",
        "班级",
        FieldType::Text,
        false,
        &["班级", "班级名称", "班号", "班别", "班"],
        "1班",
        10.0,
    ),
    f(
        "size",
        "班级人数（人）",
        FieldType::Count,
        true,
        &[
            "班级人数",
            "班额",
            "班级学生数",
            "人数",
            "学生数",
            "在班人数",
            "班级人数人",
        ],
        "45",
        10.0,
    ),
    ignored(NOTE_KEY, "备注", &["备注", "说明"]),
];

static FINANCE: &[FieldSpec] = &[
    f("year", "年度", FieldType::Year, true, YEAR_SYN, "2024", 8.0),
    f(
        "education_expenditure",
        "一般公共预算教育支出（万元）",
        FieldType::WanYuan,
        true,
        &[
            "一般公共预算教育支出",
            "一般公共预算教育经费支出",
            "公共财政预算教育支出",
            "公共财政教育支出",
            "教育支出",
            "一般公共预算教育经费",
        ],
        "102000",
        20.0,
    ),
    f(
        "students",
        "学前及义务教育及职业教育在校生数（人）",
        FieldType::Count,
        false,
        &[
            "学前及义务教育及职业教育在校生数",
            "在校学生数",
            "在校生数",
            "在校学生总数",
            "在校生总数",
            "学生数",
            "各级各类在校生数",
            "在校学生人数",
        ],
        "60250",
        22.0,
    ),
    f(
        "per_student",
        "按在校学生人数平均的一般公共预算教育支出（元）",
        FieldType::Yuan,
        false,
        &[
            "按在校学生人数平均的一般公共预算教育支出",
            "按在校生人数平均的一般公共预算教育支出",
            "生均一般公共预算教育支出",
            "生均教育支出",
            "按在校学生人数平均的教育支出",
        ],
        "",
        26.0,
    ),
    ignored(NOTE_KEY, "备注", &["备注", "说明"]),
];

static TEACHER_PAY: &[FieldSpec] = &[
    f("year", "年度", FieldType::Year, true, YEAR_SYN, "2024", 8.0),
    f(
        "teacher_avg",
        "义务教育教师年平均工资收入（元）",
        FieldType::Yuan,
        true,
        &[
            "义务教育教师年平均工资收入",
            "义务教育教师年平均工资",
            "教师年平均工资收入",
            "教师年平均工资",
            "教师平均工资",
            "教师年均工资",
            "义务教育教师平均工资收入",
        ],
        "118600",
        22.0,
    ),
    f(
        "civil_servant_avg",
        "当地公务员年平均工资收入（元）",
        FieldType::Yuan,
        true,
        &[
            "当地公务员年平均工资收入",
            "公务员年平均工资收入",
            "当地公务员年平均工资",
            "公务员年平均工资",
            "公务员平均工资",
            "公务员年均工资",
            "当地公务员平均工资收入",
        ],
        "115200",
        22.0,
    ),
    ignored(NOTE_KEY, "口径说明", &["口径说明", "备注", "说明"]),
];

static PRESCHOOL: &[FieldSpec] = &[
    f("year", "年度", FieldType::Year, true, YEAR_SYN, "2024", 8.0),
    f(
        "enrolled",
        "在园幼儿数（人）",
        FieldType::Count,
        true,
        &[
            "在园幼儿数",
            "在园幼儿总数",
            "在园人数",
            "在园幼儿",
            "在园幼儿人数",
        ],
        "10450",
        14.0,
    ),
    f(
        "public_enrolled",
        "公办园在园幼儿数（人）",
        FieldType::Count,
        true,
        &[
            "公办园在园幼儿数",
            "公办幼儿园在园幼儿数",
            "公办园在园人数",
            "公办园幼儿数",
            "公办园在园幼儿",
        ],
        "5873",
        16.0,
    ),
    f(
        "inclusive_private_enrolled",
        "普惠性民办园在园幼儿数（人）",
        FieldType::Count,
        false,
        &[
            "普惠性民办园在园幼儿数",
            "普惠性民办幼儿园在园幼儿数",
            "普惠民办园在园幼儿数",
            "普惠性民办园在园人数",
            "普惠性民办园幼儿数",
        ],
        "3365",
        18.0,
    ),
    f(
        "population_3_5",
        "3—5岁适龄人口（人）",
        FieldType::Count,
        false,
        &[
            "35岁适龄人口",
            "3至5岁适龄人口",
            "三至五岁适龄人口",
            "适龄人口",
            "35周岁适龄人口",
            "学前三年适龄人口",
            "35岁适龄儿童数",
        ],
        "11320",
        14.0,
    ),
    ignored(NOTE_KEY, "备注", &["备注", "说明"]),
];

static SPECIAL_GROUPS: &[FieldSpec] = &[
    f("year", "年度", FieldType::Year, true, YEAR_SYN, "2024", 8.0),
    f(
        "migrant_total",
        "随迁子女总数（人）",
        FieldType::Count,
        false,
        &[
            "随迁子女总数",
            "随迁子女数",
            "随迁子女",
            "进城务工人员随迁子女数",
            "随迁子女人数",
            "随迁子女合计",
        ],
        "3860",
        14.0,
    ),
    f(
        "migrant_public",
        "公办学校就读数（人）",
        FieldType::Count,
        false,
        &[
            "公办学校就读数",
            "在公办学校就读数",
            "公办学校就读",
            "随迁子女公办学校就读数",
            "公办学校就读人数",
        ],
        "3520",
        14.0,
    ),
    f(
        "migrant_purchased",
        "政府购买学位就读数（人）",
        FieldType::Count,
        false,
        &[
            "政府购买学位就读数",
            "政府购买学位",
            "购买学位就读数",
            "政府购买民办学位就读数",
            "随迁子女政府购买学位就读数",
            "政府购买学位就读人数",
        ],
        "192",
        16.0,
    ),
    f(
        "disabled_population",
        "适龄残疾儿童少年数（人）",
        FieldType::Count,
        false,
        &[
            "适龄残疾儿童少年数",
            "适龄残疾儿童少年",
            "残疾儿童少年数",
            "残疾儿童少年适龄数",
            "适龄残疾儿童少年人数",
        ],
        "412",
        16.0,
    ),
    f(
        "disabled_enrolled",
        "残疾儿童少年入学数（人）",
        FieldType::Count,
        false,
        &[
            "残疾儿童少年入学数",
            "入学数",
            "已入学数",
            "入学安置数",
            "安置数",
            "残疾儿童少年安置数",
            "残疾儿童少年入学安置数",
        ],
        "",
        16.0,
    ),
    f(
        "disabled_special_school",
        "特教学校就读（人）",
        FieldType::Count,
        false,
        &[
            "特教学校就读",
            "特教学校就读数",
            "特殊教育学校就读",
            "特殊教育学校就读数",
            "残疾儿童少年特教学校就读",
        ],
        "180",
        12.0,
    ),
    f(
        "disabled_regular_class",
        "随班就读（人）",
        FieldType::Count,
        false,
        &[
            "随班就读",
            "随班就读数",
            "随班就读人数",
            "残疾儿童少年随班就读",
        ],
        "165",
        10.0,
    ),
    f(
        "disabled_home_teaching",
        "送教上门（人）",
        FieldType::Count,
        false,
        &[
            "送教上门",
            "送教上门数",
            "送教上门人数",
            "残疾儿童少年送教上门",
        ],
        "54",
        10.0,
    ),
    ignored(NOTE_KEY, "备注", &["备注", "说明", "未入学数及原因"]),
];

static SATISFACTION: &[FieldSpec] = &[
    f("year", "年度", FieldType::Year, true, YEAR_SYN, "2024", 8.0),
    f(
        "group",
        "调查对象",
        FieldType::Text,
        false,
        &["调查对象", "对象", "调查群体", "群体", "类别", "调查类别"],
        "总体",
        12.0,
    ),
    f(
        "sample",
        "样本量（份）",
        FieldType::Count,
        false,
        &[
            "样本量",
            "有效问卷数",
            "样本数",
            "问卷数",
            "有效样本",
            "有效样本量",
            "有效问卷",
        ],
        "3200",
        10.0,
    ),
    f(
        "score",
        "满意度（百分制）",
        FieldType::Score,
        true,
        &[
            "满意度",
            "满意度得分",
            "满意度分值",
            "综合满意度",
            "满意率",
            "得分",
            "社会公众满意度",
            "公众满意度",
        ],
        "83.5",
        12.0,
    ),
    f(
        "scale",
        "计分制",
        FieldType::Scale,
        false,
        &["计分制", "分制", "计分方式"],
        "百分制",
        10.0,
    ),
    ignored(NOTE_KEY, "备注", &["备注", "说明", "调查机构", "省平均值"]),
];

/// A stage part of a by-stage field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Not a by-stage field.
    Whole,
    Total,
    Primary,
    Junior,
    Senior,
}

impl Part {
    pub fn suffix(self) -> &'static str {
        match self {
            Part::Whole => "",
            Part::Total => "",
            Part::Primary => ".primary",
            Part::Junior => ".junior",
            Part::Senior => ".senior",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Part::Whole | Part::Total => "",
            Part::Primary => "小学",
            Part::Junior => "初中",
            Part::Senior => "高中",
        }
    }
}
