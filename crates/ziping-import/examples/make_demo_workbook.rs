//! Writes `assets/demo/示例县统计数据.xlsx`, the statistics of the fictional 示例县 (2024), consistent
//! with `assets/demo/README.md`: 38 小学 (县城第一小学 2140人), 14 初中 (1 民办, 860人), 3 九年一贯制,
//! 1 完全中学, 2 教学点 (one under 50 pupils), 1 特殊教育学校 (180人), 2 高中, 1 中职; 小学 26180人 /
//! 初中 12460人; 900 compulsory classes (628 + 272) with 9 大班额 (all in the two 县城初中) and no
//! 超大班额; 差异系数 小学 all ≤ 0.50, 初中 6 ≤ 0.45 and 生均教学仪器设备值 0.48; three years of finance
//! (10.20 vs 9.80 亿元), teacher pay, preschool, special groups and satisfaction (83.5).
//!
//! Run: `cargo run -p ziping-import --example make_demo_workbook [OUT.xlsx]`. Deterministic; prints
//! the figures it checks.

use std::path::PathBuf;

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use ziping_import::template::template_headers;
use ziping_import::TableKind;
use ziping_metrics::tables::Stage;
use ziping_metrics::weighted_cv;

/// A school of the demo county.
struct School {
    name: String,
    code: String,
    kind: &'static str,
    ownership: &'static str,
    locality: &'static str,
    /// (小学, 初中, 高中) enrolment.
    students: [u32; 3],
    /// Per stage (小学, 初中), the 7 resources as written (counts, ㎡, 万元).
    resources: [[f64; 7]; 2],
    /// Resources of the 高中 part (or of a school without compulsory stages): written into the total.
    other: [f64; 7],
    classes: u32,
}

impl School {
    fn total(&self) -> u32 {
        self.students.iter().sum()
    }
    fn stages(&self) -> Vec<usize> {
        (0..2).filter(|s| self.students[*s] > 0).collect()
    }
    fn through(&self) -> bool {
        matches!(self.kind, "九年一贯制" | "完全中学")
    }
}

/// Deterministic pseudo-random numbers in [0, 1).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

const TOWNS: [&str; 11] = [
    "青石镇",
    "白沙乡",
    "东湖镇",
    "西岭乡",
    "南溪镇",
    "北山乡",
    "桃源镇",
    "柳河乡",
    "龙泉镇",
    "凤凰乡",
    "石门乡",
];
const VILLAGES: [&str; 22] = [
    "上坪", "下湾", "枫林", "竹溪", "杨柳", "清水", "大坝", "长岭", "红岩", "松山", "花桥", "梅坞",
    "金坑", "马鞍", "双河", "新塘", "茶园", "黄泥", "白石", "观音", "龙潭", "坪山",
];

/// Mean value per student of each resource (per 100 pupils for counts; ㎡; 元), 小学 and 初中.
const RATES: [[f64; 7]; 2] = [
    [6.0, 1.6, 1.3, 6.2, 10.5, 2900.0, 3.1],
    [7.6, 1.7, 1.3, 7.8, 13.5, 3700.0, 3.3],
];
/// Target 差异系数 per stage and resource.
const TARGETS: [[f64; 7]; 2] = [
    [0.18, 0.34, 0.31, 0.22, 0.33, 0.41, 0.27],
    [0.16, 0.31, 0.28, 0.20, 0.30, 0.48, 0.25],
];
/// Multiplier from (resource ÷ students) to the indicator.
const FACTOR: [f64; 7] = [100.0, 100.0, 100.0, 1.0, 1.0, 10000.0, 100.0];

fn round_resource(r: usize, v: f64) -> f64 {
    match r {
        3 | 4 => v.round(),
        5 => (v * 100.0).round() / 100.0,
        _ => v.round().max(0.0),
    }
}

fn schools() -> Vec<School> {
    let mut out = Vec::new();
    let mut code = 2133_0001_u32;
    let mut add =
        |name: &str, kind: &'static str, own: &'static str, loc: &'static str, s: [u32; 3]| {
            out.push(School {
                name: name.to_string(),
                code: format!("{code:010}"),
                kind,
                ownership: own,
                locality: loc,
                students: s,
                resources: [[0.0; 7]; 2],
                other: [0.0; 7],
                classes: 0,
            });
            code += 1;
        };
    // 小学: 5 in the county town, 11 township centres, 22 village schools (Σ 24390).
    for (n, s) in [
        ("县城第一小学", 2140),
        ("县城第二小学", 1860),
        ("县城第三小学", 1720),
        ("县城第四小学", 1580),
        ("县城实验小学", 1900),
    ] {
        add(n, "小学", "公办", "城区", [s, 0, 0]);
    }
    let centre = [820, 760, 690, 650, 720, 610, 780, 700, 640, 670, 660];
    for (t, s) in TOWNS.iter().zip(centre) {
        add(&format!("{t}中心小学"), "小学", "公办", "镇区", [s, 0, 0]);
    }
    let village_total = 24390 - 9200 - centre.iter().sum::<u32>();
    let mut left = village_total;
    for (i, v) in VILLAGES.iter().enumerate() {
        let s = if i == VILLAGES.len() - 1 {
            left
        } else {
            [260, 310, 350, 290, 420, 380, 240, 330][i % 8]
        };
        left -= s;
        add(&format!("{v}小学"), "小学", "公办", "乡村", [s, 0, 0]);
    }
    // 教学点.
    add("石门村教学点", "教学点", "公办", "乡村", [62, 0, 0]);
    add("高山村教学点", "教学点", "公办", "乡村", [28, 0, 0]);
    // 九年一贯制.
    add("城东实验学校", "九年一贯制", "公办", "城区", [900, 520, 0]);
    add("东湖学校", "九年一贯制", "公办", "镇区", [480, 300, 0]);
    add("北山学校", "九年一贯制", "公办", "乡村", [320, 210, 0]);
    // 初中: 2 in the county town, 1 private, 11 rural (Σ 10730).
    add("县城第一初级中学", "初中", "公办", "城区", [0, 1900, 0]);
    add("县城第二初级中学", "初中", "公办", "城区", [0, 1750, 0]);
    add("育才初级中学", "初中", "民办", "城区", [0, 860, 0]);
    let rural_junior = [720, 650, 580, 610, 540, 500, 560, 470, 530, 590];
    let last = 10730 - 4510 - rural_junior.iter().sum::<u32>();
    for (i, t) in TOWNS.iter().enumerate() {
        let s = rural_junior.get(i).copied().unwrap_or(last);
        add(&format!("{t}初级中学"), "初中", "公办", "乡村", [0, s, 0]);
    }
    // 完全中学 and high schools (普通高中 7860), 中职, 特教.
    add("示例县第二中学", "完全中学", "公办", "城区", [0, 700, 1300]);
    add("示例县第一中学", "高中", "公办", "城区", [0, 0, 3500]);
    add("示例县第三中学", "高中", "公办", "城区", [0, 0, 3060]);
    add(
        "示例县职业技术学校",
        "职业学校",
        "公办",
        "城区",
        [0, 0, 3120],
    );
    add("示例县特殊教育学校", "特殊教育", "公办", "城区", [0, 0, 0]);
    out
}

/// Class sizes per school and stage: (school index, stage, sizes).
fn classes(schools: &mut [School]) -> Vec<(usize, Stage, Vec<u32>)> {
    let mut out = Vec::new();
    // 初中: the two county-town schools carry the 9 大班额.
    let big: [(&str, u32, u32); 2] = [("县城第一初级中学", 36, 5), ("县城第二初级中学", 34, 4)];
    for (stage, total_classes) in [(0usize, 628u32), (1, 272)] {
        let mut idx: Vec<usize> = (0..schools.len())
            .filter(|i| schools[*i].students[stage] > 0)
            .collect();
        let fixed: Vec<(usize, u32, u32)> = big
            .iter()
            .filter(|_| stage == 1)
            .map(|(n, c, b)| (schools.iter().position(|s| s.name == *n).unwrap(), *c, *b))
            .collect();
        idx.retain(|i| !fixed.iter().any(|(f, _, _)| f == i));
        let rest_classes = total_classes - fixed.iter().map(|f| f.1).sum::<u32>();
        let rest_students: u32 = idx.iter().map(|i| schools[*i].students[stage]).sum();
        // Largest remainder allocation of classes by enrolment, at least 1.
        let quotas: Vec<f64> = idx
            .iter()
            .map(|i| {
                f64::from(schools[*i].students[stage]) * f64::from(rest_classes)
                    / f64::from(rest_students)
            })
            .collect();
        let mut alloc: Vec<u32> = quotas
            .iter()
            .zip(&idx)
            .map(|(q, i)| (q.floor() as u32).max(schools[*i].students[stage].div_ceil(55)))
            .collect();
        let mut order: Vec<usize> = (0..idx.len()).collect();
        order.sort_by(|a, b| {
            (quotas[*b] - quotas[*b].floor())
                .partial_cmp(&(quotas[*a] - quotas[*a].floor()))
                .unwrap()
        });
        let mut k = 0;
        while alloc.iter().sum::<u32>() < rest_classes {
            alloc[order[k % order.len()]] += 1;
            k += 1;
        }
        assert_eq!(alloc.iter().sum::<u32>(), rest_classes);
        let stage_v = if stage == 0 {
            Stage::Primary
        } else {
            Stage::Junior
        };
        for (j, i) in idx.iter().enumerate() {
            let n = alloc[j];
            let s = schools[*i].students[stage];
            let sizes: Vec<u32> = (0..n).map(|c| s / n + u32::from(c < s % n)).collect();
            assert!(
                sizes.iter().all(|x| *x <= 55),
                "{} {:?}",
                schools[*i].name,
                sizes
            );
            out.push((*i, stage_v, sizes));
        }
        for (i, n, b) in fixed {
            let s = schools[i].students[stage];
            let mut sizes = vec![57u32; b as usize];
            let rest = s - 57 * b;
            let m = n - b;
            sizes.extend((0..m).map(|c| rest / m + u32::from(c < rest % m)));
            assert!(sizes[b as usize..].iter().all(|x| *x <= 55));
            out.push((i, stage_v, sizes));
        }
    }
    for (i, _, sizes) in &out {
        schools[*i].classes += sizes.len() as u32;
    }
    for s in schools.iter_mut().filter(|s| s.classes == 0) {
        s.classes = (s.total() as f64 / 48.0).ceil().max(1.0) as u32;
    }
    out
}

/// The compulsory units in the 差异系数 scope: (school index, stage).
fn units(schools: &[School]) -> [Vec<usize>; 2] {
    let mut u = [Vec::new(), Vec::new()];
    for (i, s) in schools.iter().enumerate() {
        let in_scope = matches!(s.kind, "小学" | "初中" | "九年一贯制" | "完全中学")
            || (s.kind == "教学点" && s.total() >= 50);
        if !in_scope {
            continue;
        }
        for st in s.stages() {
            u[st].push(i);
        }
    }
    u
}

fn resources(schools: &mut [School]) {
    let units = units(schools);
    let mut rng = Rng(0x5EED_2024);
    for stage in 0..2 {
        let idx = &units[stage];
        for r in 0..7 {
            // A zero-mean, unit-sd pattern (enrolment-weighted).
            let raw: Vec<f64> = idx.iter().map(|_| rng.next() * 2.0 - 1.0).collect();
            let w: Vec<f64> = idx
                .iter()
                .map(|i| f64::from(schools[*i].students[stage]))
                .collect();
            let wt: f64 = w.iter().sum();
            let mean = raw.iter().zip(&w).map(|(z, w)| z * w).sum::<f64>() / wt;
            let sd = (raw
                .iter()
                .zip(&w)
                .map(|(z, w)| w * (z - mean).powi(2))
                .sum::<f64>()
                / wt)
                .sqrt();
            let z: Vec<f64> = raw.iter().map(|x| (x - mean) / sd).collect();
            let values = |a: f64| -> Vec<f64> {
                idx.iter()
                    .zip(&z)
                    .map(|(i, z)| {
                        let p = f64::from(schools[*i].students[stage]);
                        let m = (1.0 + a * z).max(0.08);
                        round_resource(r, RATES[stage][r] * m * p / FACTOR[r])
                    })
                    .collect()
            };
            let cv = |a: f64| -> f64 {
                let pairs: Vec<(f64, f64)> = idx
                    .iter()
                    .zip(values(a))
                    .map(|(i, v)| {
                        let p = f64::from(schools[*i].students[stage]);
                        (p, v / p * FACTOR[r])
                    })
                    .collect();
                weighted_cv(&pairs).and_then(|s| s.cv).unwrap_or(0.0)
            };
            let target = TARGETS[stage][r];
            let (mut lo, mut hi) = (0.0, 0.95);
            for _ in 0..60 {
                let mid = (lo + hi) / 2.0;
                if cv(mid) < target {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let best = [lo, hi]
                .into_iter()
                .min_by(|a, b| {
                    (cv(*a) - target)
                        .abs()
                        .partial_cmp(&(cv(*b) - target).abs())
                        .unwrap()
                })
                .unwrap();
            for (i, v) in idx.iter().zip(values(best)) {
                schools[*i].resources[stage][r] = v;
            }
        }
    }
    // 高中 parts and schools without compulsory stages: the mean rates of 初中.
    for s in schools.iter_mut() {
        let p = f64::from(if s.kind == "特殊教育" {
            180
        } else {
            s.students[2]
        });
        for r in 0..7 {
            s.other[r] = round_resource(r, RATES[1][r] * 1.1 * p / FACTOR[r]);
        }
    }
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(0xDDEBF7)
}

fn write_header(ws: &mut Worksheet, headers: &[String]) {
    let f = header_format();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f).unwrap();
        ws.set_column_width(c as u16, 14).unwrap();
    }
    ws.set_freeze_panes(1, 0).unwrap();
}

fn num(ws: &mut Worksheet, r: u32, c: u16, v: f64) {
    ws.write_number(r, c, v).unwrap();
}

fn main() {
    let out: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/示例县统计数据.xlsx")
        });
    let mut schools = schools();
    let class_rows = classes(&mut schools);
    resources(&mut schools);
    let primary: u32 = schools.iter().map(|s| s.students[0]).sum();
    let junior: u32 = schools.iter().map(|s| s.students[1]).sum();
    assert_eq!((primary, junior), (26180, 12460));

    let mut wb = Workbook::new();
    // 说明.
    let ws = wb.add_worksheet();
    ws.set_name("说明").unwrap();
    ws.set_column_width(0, 100).unwrap();
    for (i, line) in [
        "示例县2024年教育统计数据（虚构，仅用于演示）",
        "学校基本情况表含分学段列：九年一贯制学校和完全中学的办学条件按学段分别填写。",
        "教育经费、教师工资、学前教育、特殊群体与资助、满意度各表按年度填写。",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(i as u32, 0, *line).unwrap();
    }

    // 学校基本情况表: the template's columns, then per-stage resource columns.
    let ws = wb.add_worksheet();
    ws.set_name(TableKind::Schools.title()).unwrap();
    let mut headers = template_headers(TableKind::Schools);
    headers.pop(); // 备注 goes last.
    let res_headers: Vec<String> = headers[10..17].to_vec();
    for stage in ["小学", "初中"] {
        for h in &res_headers {
            headers.push(format!("{stage}{h}"));
        }
    }
    headers.push("备注".to_string());
    write_header(ws, &headers);
    for (i, s) in schools.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &s.name).unwrap();
        ws.write_string(r, 1, &s.code).unwrap();
        ws.write_string(r, 2, s.kind).unwrap();
        ws.write_string(r, 3, s.ownership).unwrap();
        ws.write_string(r, 4, s.locality).unwrap();
        num(ws, r, 5, f64::from(s.classes));
        let total = if s.kind == "特殊教育" {
            180
        } else {
            s.total()
        };
        num(ws, r, 6, f64::from(total));
        for st in 0..3 {
            if s.students[st] > 0 && (s.kind != "特殊教育") {
                num(ws, r, 7 + st as u16, f64::from(s.students[st]));
            }
        }
        // 专任教师数 is not a template column; the 7 resources start at column 10.
        for k in 0..7 {
            let mut t: f64 = s.other[k];
            for st in s.stages() {
                t += s.resources[st][k];
            }
            num(ws, r, 10 + k as u16, round_resource(k, t));
            if s.through() {
                for st in s.stages() {
                    num(ws, r, 17 + (st * 7 + k) as u16, s.resources[st][k]);
                }
            }
        }
        if s.kind == "教学点" && s.total() < 50 {
            ws.write_string(r, 31, "不足50人，不参与差异系数计算")
                .unwrap();
        }
    }
    // 合计 row (checked by the importer).
    let r = schools.len() as u32 + 1;
    ws.write_string(r, 0, "合计").unwrap();
    num(
        ws,
        r,
        5,
        f64::from(schools.iter().map(|s| s.classes).sum::<u32>()),
    );
    num(
        ws,
        r,
        6,
        f64::from(
            schools
                .iter()
                .map(|s| {
                    if s.kind == "特殊教育" {
                        180
                    } else {
                        s.total()
                    }
                })
                .sum::<u32>(),
        ),
    );
    for st in 0..3 {
        num(
            ws,
            r,
            7 + st as u16,
            f64::from(schools.iter().map(|s| s.students[st]).sum::<u32>()),
        );
    }
    ws.set_column_width(0, 20).unwrap();

    // 班额明细表.
    let ws = wb.add_worksheet();
    ws.set_name(TableKind::Classes.title()).unwrap();
    write_header(ws, &template_headers(TableKind::Classes));
    let grades = [
        ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"].as_slice(),
        ["七年级", "八年级", "九年级"].as_slice(),
    ];
    let mut r = 1;
    for (i, stage, sizes) in &class_rows {
        let g = if *stage == Stage::Primary {
            grades[0]
        } else {
            grades[1]
        };
        for (c, size) in sizes.iter().enumerate() {
            ws.write_string(r, 0, &schools[*i].name).unwrap();
            ws.write_string(r, 1, stage.label()).unwrap();
            let grade = g[c * g.len() / sizes.len()];
            ws.write_string(r, 2, grade).unwrap();
            ws.write_string(r, 3, format!("{}班", c + 1)).unwrap();
            num(ws, r, 4, f64::from(*size));
            r += 1;
        }
    }
    ws.set_column_width(0, 20).unwrap();

    // 教育经费表 (万元, 在校生 incl. 幼儿).
    let ws = wb.add_worksheet();
    ws.set_name(TableKind::Finance.title()).unwrap();
    write_header(ws, &template_headers(TableKind::Finance));
    for (i, (y, e, n)) in [
        (2022, 95200.0, 61850.0),
        (2023, 98000.0, 61200.0),
        (2024, 102000.0, 60250.0),
    ]
    .iter()
    .enumerate()
    {
        let r = i as u32 + 1;
        num(ws, r, 0, f64::from(*y));
        num(ws, r, 1, *e);
        num(ws, r, 2, *n);
    }
    // 教师工资对比表.
    let ws = wb.add_worksheet();
    ws.set_name(TableKind::TeacherPay.title()).unwrap();
    write_header(ws, &template_headers(TableKind::TeacherPay));
    for (i, (y, t, c)) in [
        (2022, 108900.0, 106300.0),
        (2023, 113500.0, 111000.0),
        (2024, 118600.0, 115200.0),
    ]
    .iter()
    .enumerate()
    {
        let r = i as u32 + 1;
        num(ws, r, 0, f64::from(*y));
        num(ws, r, 1, *t);
        num(ws, r, 2, *c);
        ws.write_string(r, 3, "含绩效工资和各类津贴补贴").unwrap();
    }
    // 学前教育表.
    let ws = wb.add_worksheet();
    ws.set_name(TableKind::Preschool.title()).unwrap();
    write_header(ws, &template_headers(TableKind::Preschool));
    for (i, row) in [
        [2022.0, 11650.0, 6120.0, 3540.0, 12480.0],
        [2023.0, 11320.0, 6010.0, 3480.0, 11950.0],
        [2024.0, 10450.0, 5873.0, 3365.0, 11320.0],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            num(ws, i as u32 + 1, c as u16, *v);
        }
    }
    // 特殊群体与资助表.
    let ws = wb.add_worksheet();
    ws.set_name(TableKind::SpecialGroups.title()).unwrap();
    write_header(ws, &template_headers(TableKind::SpecialGroups));
    for (i, row) in [
        [
            2023.0,
            3790.0,
            3450.0,
            180.0,
            405.0,
            f64::NAN,
            176.0,
            160.0,
            52.0,
        ],
        [
            2024.0,
            3860.0,
            3520.0,
            192.0,
            412.0,
            f64::NAN,
            180.0,
            165.0,
            54.0,
        ],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            if v.is_finite() {
                num(ws, i as u32 + 1, c as u16, *v);
            }
        }
    }
    // 满意度调查表.
    let ws = wb.add_worksheet();
    ws.set_name(TableKind::Satisfaction.title()).unwrap();
    write_header(ws, &template_headers(TableKind::Satisfaction));
    for (i, (y, g, n, s)) in [
        (2023, "总体", 3000.0, 82.1),
        (2024, "总体", 3200.0, 83.5),
        (2024, "家长", 2100.0, 82.6),
        (2024, "学生", 700.0, 86.0),
        (2024, "教师", 400.0, 84.8),
    ]
    .iter()
    .enumerate()
    {
        let r = i as u32 + 1;
        num(ws, r, 0, f64::from(*y));
        ws.write_string(r, 1, *g).unwrap();
        num(ws, r, 2, *n);
        num(ws, r, 3, *s);
        ws.write_string(r, 4, "百分制").unwrap();
        ws.write_string(r, 5, "第三方机构网络问卷").unwrap();
    }

    wb.save(&out).unwrap();
    println!("已写入 {}", out.display());

    // Check what the importer and the figures make of it.
    let import = ziping_import::read_workbook(&out).unwrap();
    for p in &import.preview.problems {
        println!("问题：{}", p.message);
    }
    assert_eq!(import.preview.errors, 0);
    let mut tables = import.tables;
    tables.year = Some(2024);
    let c = ziping_metrics::compute(&tables, &ziping_metrics::Params::default());
    for f in &c.figures {
        println!(
            "{:<40} {:>12} {}",
            f.id,
            f.display,
            f.pass.map_or("", |p| if p { "达标" } else { "未达标" })
        );
    }
}
