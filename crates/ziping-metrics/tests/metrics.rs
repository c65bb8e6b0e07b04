//! Data-driven checks of the figures and suggestions of ziping-metrics.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::Value;
use ziping_core::system::{FigureBinding, Level, Node, PointsModel, RatedModel, ScoringModel};
use ziping_core::{IndicatorSystem, Points};
use ziping_metrics::phrase::{amount_change, growth_words, rate_change};
use ziping_metrics::stats::fixed;
use ziping_metrics::*;

// ---------------------------------------------------------------- helpers

/// Enrolment per stage.
type Enrolment = Vec<(Stage, u32)>;

fn shared(path: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path);
    serde_json::from_str(
        &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
    .unwrap()
}

fn bundled(name: &str) -> IndicatorSystem {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/frameworks")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

fn at(sheet: &str, row: u32, col: &str) -> CellRef {
    CellRef::new("示例县.xlsx", sheet, row, col)
}

/// A cell of 学校基本情况表.
fn sc<T>(v: T, row: u32, col: &str) -> Cell<T> {
    Cell::from_cell(v, at("学校基本情况表", row, col))
}

/// A one-stage school with enrolment in column F; resources can be filled by the caller.
fn school(name: &str, kind: SchoolKind, row: u32, students: u32) -> School {
    School {
        name: name.into(),
        kind: sc(kind, row, "C"),
        students: ByStage::total(sc(students, row, "F")),
        ..School::default()
    }
}

/// A one-stage school with all 7 resources, given as the per-student values wanted with 100
/// students (teacher counts and rooms must then be whole numbers).
fn full_school(name: &str, kind: SchoolKind, row: u32, x: [f64; 7]) -> School {
    let mut s = school(name, kind, row, 100);
    s.qualified_teachers = ByStage::total(sc(x[0] as u32, row, "G"));
    s.key_teachers = ByStage::total(sc(x[1] as u32, row, "H"));
    s.pe_art_teachers = ByStage::total(sc(x[2] as u32, row, "I"));
    s.teaching_area = ByStage::total(sc(x[3] * 100.0, row, "J"));
    s.sports_area = ByStage::total(sc(x[4] * 100.0, row, "K"));
    s.equipment_value = ByStage::total(sc(x[5] * 100.0 / 10000.0, row, "L"));
    s.multimedia_rooms = ByStage::total(sc(x[6] as u32, row, "M"));
    s
}

fn close(name: &str, actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol,
        "{name}: got {actual}, expected {expected}"
    );
}

fn check<T: PartialEq + std::fmt::Debug>(name: &str, actual: T, expected: T) {
    assert_eq!(actual, expected, "{name}");
}

fn leaf(code: &str, title: &str, max: Option<i64>, figures: Vec<FigureBinding>) -> Node {
    Node {
        code: code.into(),
        title: title.into(),
        max_score: max.map(Points::whole),
        figures,
        ..Node::default()
    }
}

fn binding(figure: &str, thresholds: &[(&str, f64)], deduction: &[(&str, f64)]) -> FigureBinding {
    FigureBinding {
        figure: figure.into(),
        thresholds: thresholds
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
        deduction: deduction.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        source: None,
    }
}

fn points_system(leaves: Vec<Node>) -> IndicatorSystem {
    let total: Points = leaves.iter().filter_map(|l| l.max_score).sum();
    IndicatorSystem {
        format: 1,
        id: "test".into(),
        version: "1".into(),
        years: None,
        name: "测试体系".into(),
        short_name: None,
        official: false,
        issuer: None,
        provenance: Default::default(),
        level_names: vec!["一级指标".into(), "测评点".into()],
        scoring: ScoringModel::Points(PointsModel {
            total,
            decimals: 1,
            grades: vec![],
            bonus: None,
        }),
        children: vec![Node {
            code: "一".into(),
            title: "组".into(),
            children: leaves,
            ..Node::default()
        }],
    }
}

fn deduction(s: &Suggestion) -> (Points, String) {
    match &s.kind {
        SuggestionKind::Deduction { amount, reason } => (*amount, reason.clone()),
        other => panic!("expected a deduction, got {other:?}: {}", s.explanation),
    }
}

fn figure<'a>(c: &'a Computation, id: &str) -> &'a Figure {
    c.figure(id).unwrap_or_else(|| {
        panic!(
            "no figure {id}; have {:?}",
            c.figures.iter().map(|f| &f.id).collect::<Vec<_>>()
        )
    })
}

// ---------------------------------------------------------------- 差异系数

#[test]
fn cv_worked_example() {
    let ex = shared("checks/cv-worked-example.json");
    let w = &ex["worked_example"];
    let schools: Vec<(f64, f64)> = w["schools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["students"].as_f64().unwrap(),
                s["books"].as_f64().unwrap(),
            )
        })
        .collect();
    let expected = &w["expected"];

    // the statistic itself
    let pairs: Vec<(f64, f64)> = schools.iter().map(|(p, b)| (*p, b / p)).collect();
    let st = weighted_cv(&pairs).unwrap();
    check(
        "mean",
        fixed(st.mean, 4),
        fixed(expected["mean"].as_f64().unwrap(), 4),
    );
    check(
        "S",
        fixed(st.sd, 4),
        fixed(expected["S"].as_f64().unwrap(), 4),
    );
    check(
        "CV",
        fixed(st.cv.unwrap(), 4),
        fixed(expected["CV"].as_f64().unwrap(), 4),
    );
    check(
        "published",
        fixed(st.cv.unwrap(), 2),
        fixed(w["published_cv_rounded"].as_f64().unwrap(), 2),
    );

    // the same numbers through the whole pipeline (books standing in for a per-student area)
    let tables = Tables {
        schools: schools
            .iter()
            .enumerate()
            .map(|(i, (p, b))| {
                let mut s = school(
                    &format!("学校{}", i + 1),
                    SchoolKind::Primary,
                    i as u32 + 3,
                    *p as u32,
                );
                s.teaching_area = ByStage::total(sc(*b, i as u32 + 3, "J"));
                s
            })
            .collect(),
        ..Tables::default()
    };
    let c = compute(&tables, &Params::default());
    let f = figure(&c, "cv.R4.primary");
    check("display", f.display.as_str(), "0.5153");
    check("pass at 0.50", f.pass, Some(false));
    let Detail::Cv {
        mean,
        sd,
        students,
        rows,
    } = &f.detail
    else {
        panic!("{:?}", f.detail)
    };
    check("detail mean", fixed(*mean, 4), "6.3344".to_string());
    check("detail S", fixed(*sd, 4), "3.2639".to_string());
    check("P", *students, 302);
    check("rows", rows.len(), 5);
    // provenance: every enrolment and every area cell, nothing else
    check("inputs", f.inputs.len(), 10);
    assert!(f.inputs.contains(&at("学校基本情况表", 5, "F")));
    assert!(f.inputs.contains(&at("学校基本情况表", 7, "J")));
}

#[test]
fn nine_year_school_is_split_by_stage() {
    // 小学 600 + 初中 400; weighted 600×1 + 400×1.1 = 1040
    let mut s = School {
        name: "一贯制学校".into(),
        kind: sc(SchoolKind::NineYear, 2, "C"),
        students: ByStage::default()
            .with(Stage::Primary, sc(600, 2, "F"))
            .with(Stage::Junior, sc(400, 2, "G")),
        ..School::default()
    };
    s.qualified_teachers = ByStage::default()
        .with(Stage::Primary, 30)
        .with(Stage::Junior, 28); // per stage: used as given
    s.key_teachers = ByStage::total(10); // split by enrolment: 6 + 4
    s.pe_art_teachers = ByStage::total(sc(5, 2, "I"));
    s.teaching_area = ByStage::total(sc(10000.0, 2, "J"));
    s.sports_area = ByStage::total(10400.0);
    s.equipment_value = ByStage::total(208.0); // 万元
    s.multimedia_rooms = ByStage::total(26);
    let c = compute(
        &Tables {
            schools: vec![s],
            ..Tables::default()
        },
        &Params::default(),
    );
    check("units", c.units.len(), 2);
    let p = &c.units[0];
    let j = &c.units[1];
    check(
        "labels",
        (p.label.as_str(), j.label.as_str()),
        ("一贯制学校（小学部）", "一贯制学校（初中部）"),
    );
    check("P", (p.students, j.students), (600, 400));
    let expected: [(&str, f64, f64); 7] = [
        ("R1 per stage", 5.0, 7.0),
        ("R2 by enrolment", 1.0, 1.0),
        (
            "R3 by enrolment",
            5.0 * 100.0 / 1000.0,
            5.0 * 100.0 / 1000.0,
        ),
        ("R4 10000/1040, ×1.1", 10000.0 / 1040.0, 11000.0 / 1040.0),
        ("R5", 10.0, 11.0),
        ("R6 元", 2000.0, 2200.0),
        ("R7", 2.5, 2.75),
    ];
    for (i, (name, ep, ej)) in expected.iter().enumerate() {
        close(&format!("{name} 小学"), p.values[i].unwrap(), *ep, 1e-9);
        close(&format!("{name} 初中"), j.values[i].unwrap(), *ej, 1e-9);
    }
    // the split facility resource still adds up to the school total
    close(
        "R4 total",
        p.values[3].unwrap() * 600.0 + j.values[3].unwrap() * 400.0,
        10000.0,
        1e-6,
    );
    // provenance of a split value: both enrolments and the resource cell
    check(
        "R4 inputs",
        p.inputs[3].clone(),
        vec![
            at("学校基本情况表", 2, "F"),
            at("学校基本情况表", 2, "G"),
            at("学校基本情况表", 2, "J"),
        ],
    );
}

#[test]
fn other_through_schools_and_configurable_weights() {
    // (kind, stages with enrolment, area, expected per-student area of the compulsory units)
    let cases: Vec<(SchoolKind, Enrolment, f64, Vec<f64>)> = vec![
        // 十二年一贯制 1:1.1:1.32 → 500 + 330 + 264 = 1094
        (
            SchoolKind::TwelveYear,
            vec![
                (Stage::Primary, 500),
                (Stage::Junior, 300),
                (Stage::Senior, 200),
            ],
            10940.0,
            vec![10.0, 11.0],
        ),
        // 完全中学 初中:高中 = 1:1.2 → 600 + 480 = 1080; only the junior part is a unit
        (
            SchoolKind::CompleteMiddle,
            vec![(Stage::Junior, 600), (Stage::Senior, 400)],
            10800.0,
            vec![10.0],
        ),
    ];
    for (kind, stages, area, expected) in cases {
        let mut students = ByStage::default();
        for (st, n) in &stages {
            students = students.with(*st, *n);
        }
        let s = School {
            name: kind.label().into(),
            kind: kind.into(),
            students,
            teaching_area: ByStage::total(area),
            ..School::default()
        };
        let c = compute(
            &Tables {
                schools: vec![s],
                ..Tables::default()
            },
            &Params::default(),
        );
        let got: Vec<f64> = c.units.iter().map(|u| u.values[3].unwrap()).collect();
        check(kind.label(), got.len(), expected.len());
        for (g, e) in got.iter().zip(&expected) {
            close(kind.label(), *g, *e, 1e-9);
        }
    }
    // a total with one stage given separately: the rest goes to the other stages
    let s = School {
        name: "完全中学".into(),
        kind: SchoolKind::CompleteMiddle.into(),
        students: ByStage::default()
            .with(Stage::Junior, 600)
            .with(Stage::Senior, 400),
        key_teachers: ByStage::total(100).with(Stage::Senior, 40),
        ..School::default()
    };
    let c = compute(
        &Tables {
            schools: vec![s],
            ..Tables::default()
        },
        &Params::default(),
    );
    close(
        "junior key teachers (100 − 40) per 100",
        c.units[0].values[1].unwrap(),
        10.0,
        1e-9,
    );
    // weights come from the binding when stated
    let sys = points_system(vec![leaf(
        "16",
        "优质均衡",
        Some(4),
        vec![binding(
            "cv",
            &[
                ("primary_max", 0.5),
                ("junior_max", 0.45),
                ("weight_nine_junior", 1.0),
            ],
            &[],
        )],
    )]);
    let params = Params::from_system(&sys);
    check("weight", params.weights.nine_year, [1.0, 1.0]);
    // a nine-year school missing one stage's enrolment gets it from the total
    let s = School {
        name: "缺学段".into(),
        kind: SchoolKind::NineYear.into(),
        students: ByStage::total(1000).with(Stage::Primary, 700),
        teaching_area: ByStage::total(10000.0),
        ..School::default()
    };
    let c = compute(
        &Tables {
            schools: vec![s],
            ..Tables::default()
        },
        &params,
    );
    check(
        "derived junior",
        c.units.iter().map(|u| u.students).collect::<Vec<_>>(),
        vec![700, 300],
    );
    close("equal weights", c.units[0].values[3].unwrap(), 10.0, 1e-9);
}

#[test]
fn scope_exclusions() {
    // (name, kind, students, private, in scope by default)
    let cases = [
        ("特教学校", SchoolKind::Special, 120, false, false),
        ("职业学校", SchoolKind::Vocational, 900, false, false),
        ("教学点49人", SchoolKind::TeachingPoint, 49, false, false),
        ("教学点50人", SchoolKind::TeachingPoint, 50, false, true),
        ("普通高中", SchoolKind::Senior, 1500, false, false),
        ("幼儿园", SchoolKind::Kindergarten, 300, false, false),
        ("民办小学", SchoolKind::Primary, 400, true, true),
        ("中心小学", SchoolKind::Primary, 800, false, true),
    ];
    let schools: Vec<School> = cases
        .iter()
        .enumerate()
        .map(|(i, (name, kind, n, private, _))| {
            let mut s = school(name, *kind, i as u32 + 2, *n);
            s.teaching_area = ByStage::total(f64::from(*n) * 5.0);
            if *private {
                s.ownership = Some(Cell::new(Ownership::Private));
            }
            s
        })
        .collect();
    let tables = Tables {
        schools,
        ..Tables::default()
    };
    let c = compute(&tables, &Params::default());
    for (name, _, _, _, in_scope) in &cases {
        let unit = c.units.iter().any(|u| u.school == *name);
        let excluded = c.excluded.iter().any(|e| e.school == *name);
        check(name, (unit, excluded), (*in_scope, !*in_scope));
    }
    let e = c
        .excluded
        .iter()
        .find(|e| e.school == "教学点49人")
        .unwrap();
    check("reason", e.reason.as_str(), "不足50人的教学点（49人）");
    // private schools can be left out; the 教学点 limit is a parameter
    let params = Params {
        include_private: false,
        teaching_point_min_students: 40,
        ..Params::default()
    };
    let c = compute(&tables, &params);
    check(
        "private out",
        c.units.iter().any(|u| u.school == "民办小学"),
        false,
    );
    check(
        "教学点49人 in at 40",
        c.units.iter().any(|u| u.school == "教学点49人"),
        true,
    );
}

// ---------------------------------------------------------------- attainment

#[test]
fn school_attainment_six_of_seven_and_85_percent() {
    let std = [4.2, 1.0, 0.9, 4.5, 7.5, 2000.0, 2.3];
    let ok = [5.0, 2.0, 1.0, 5.0, 8.0, 2100.0, 3.0];
    // (name, values, attained)
    let cases: Vec<(&str, [f64; 7], bool)> = vec![
        ("全部达标", ok, true),
        (
            "一项为标准的90%",
            {
                let mut x = ok;
                x[3] = 4.05;
                x
            },
            true,
        ),
        (
            "一项为标准的85%",
            {
                let mut x = ok;
                x[3] = 4.5 * 0.85;
                x
            },
            true,
        ),
        (
            "一项低于85%",
            {
                let mut x = ok;
                x[3] = 3.8;
                x
            },
            false,
        ),
        (
            "两项未达标",
            {
                let mut x = ok;
                x[3] = 4.4;
                x[4] = 7.4;
                x
            },
            false,
        ),
        (
            "骨干教师恰好达标",
            {
                let mut x = ok;
                x[1] = std[1];
                x
            },
            true,
        ),
    ];
    let schools: Vec<School> = cases
        .iter()
        .enumerate()
        .map(|(i, (n, x, _))| full_school(n, SchoolKind::Primary, i as u32 + 2, *x))
        .collect();
    let c = compute(
        &Tables {
            schools,
            ..Tables::default()
        },
        &Params::default(),
    );
    for (name, _, attained) in &cases {
        let u = c.units.iter().find(|u| u.school == *name).unwrap();
        check(name, u.attained, Some(*attained));
    }
    let f = figure(&c, "school_attainment.primary");
    check("not attained", f.value, 2.0);
    check("display", f.display.as_str(), "达标4所，未达标2所");
}

// ---------------------------------------------------------------- classes and sizes

#[test]
fn big_class_boundaries() {
    let sizes = [45, 46, 55, 56, 65, 66];
    let classes: Vec<ClassRow> = sizes
        .iter()
        .enumerate()
        .map(|(i, n)| ClassRow {
            school: "中心小学".into(),
            stage: Cell::new(Stage::Primary),
            grade: None,
            class: Some(format!("{}班", i + 1)),
            size: Cell::from_cell(*n, at("班额明细表", i as u32 + 2, "F")),
        })
        .collect();
    let c = compute(
        &Tables {
            classes,
            ..Tables::default()
        },
        &Params::default(),
    );
    let f = figure(&c, "big_class.primary");
    let Detail::Classes {
        total,
        big,
        super_big,
        over_standard,
    } = f.detail
    else {
        panic!()
    };
    // 56, 65, 66 are 大班额 (≥56); 66 is also 超大班额 (≥66); 55 is neither; 46+ exceed 45
    check(
        "counts",
        (total, big, super_big, over_standard),
        (6, 3, 1, 5),
    );
    check("share", f.display.as_str(), "50.00%");
    check("overall", figure(&c, "big_class").value, 50.0);
    check("inputs", f.inputs.len(), 6);
    check("class_size", figure(&c, "class_size.primary").value, 5.0);
    assert!(
        f.statement.contains("其中66人及以上超大班额1个"),
        "{}",
        f.statement
    );
}

#[test]
fn school_size_limits() {
    // (name, kind, stages, over the limit)
    let cases: Vec<(&str, SchoolKind, Enrolment, bool)> = vec![
        (
            "小学2000",
            SchoolKind::Primary,
            vec![(Stage::Primary, 2000)],
            false,
        ),
        (
            "小学2001",
            SchoolKind::Primary,
            vec![(Stage::Primary, 2001)],
            true,
        ),
        (
            "初中2000",
            SchoolKind::Junior,
            vec![(Stage::Junior, 2000)],
            false,
        ),
        (
            "初中2001",
            SchoolKind::Junior,
            vec![(Stage::Junior, 2001)],
            true,
        ),
        (
            "九年2500",
            SchoolKind::NineYear,
            vec![(Stage::Primary, 1600), (Stage::Junior, 900)],
            false,
        ),
        (
            "九年2501",
            SchoolKind::NineYear,
            vec![(Stage::Primary, 1600), (Stage::Junior, 901)],
            true,
        ),
        // only the compulsory part counts: 1500 + 1000 = 2500 (+ 800 高中)
        (
            "十二年2500",
            SchoolKind::TwelveYear,
            vec![
                (Stage::Primary, 1500),
                (Stage::Junior, 1000),
                (Stage::Senior, 800),
            ],
            false,
        ),
        (
            "十二年2501",
            SchoolKind::TwelveYear,
            vec![
                (Stage::Primary, 1501),
                (Stage::Junior, 1000),
                (Stage::Senior, 800),
            ],
            true,
        ),
    ];
    let schools: Vec<School> = cases
        .iter()
        .map(|(n, k, st, _)| {
            let mut students = ByStage::default();
            for (s, v) in st {
                students = students.with(*s, *v);
            }
            School {
                name: n.to_string(),
                kind: (*k).into(),
                students,
                ..School::default()
            }
        })
        .collect();
    let c = compute(
        &Tables {
            schools,
            ..Tables::default()
        },
        &Params::default(),
    );
    let f = figure(&c, "school_size");
    let Detail::Sizes { rows } = &f.detail else {
        panic!()
    };
    for (name, _, _, over) in &cases {
        check(name, rows.iter().any(|r| r.school == *name), *over);
    }
    check("count", f.value, 4.0);
    assert!(
        f.statement
            .contains("九年2501义务教育阶段2501人（超过2500人）"),
        "{}",
        f.statement
    );
}

// ---------------------------------------------------------------- growth

#[test]
fn growth_phrasing() {
    // (this, last, unit, decimals, expected clause)
    let cases = [
        (
            72415.0,
            66256.0,
            "万元",
            2,
            "一般公共预算教育支出为72415万元，比上年的66256万元增长6159万元（增长9.30%）",
        ),
        (
            1.26,
            1.27,
            "万元",
            2,
            "一般公共预算教育支出为1.26万元，比上年的1.27万元下降0.01万元（下降0.79%）",
        ),
        (
            500.0,
            500.0,
            "万元",
            2,
            "一般公共预算教育支出为500万元，与上年的500万元持平",
        ),
        (
            751025.0,
            751020.0,
            "万元",
            2,
            "一般公共预算教育支出为751025万元，比上年的751020万元增长5万元（增长不足0.01%）",
        ),
    ];
    for (this, last, unit, d, expected) in cases {
        let got = amount_change("一般公共预算教育支出", this, last, unit, d);
        check(expected, got.as_str(), expected);
        assert!(!got.contains("增长-"), "{got}");
    }
    check(
        "rate down",
        rate_change("近视率", 54.71, 55.96).as_str(),
        "近视率54.71%，较上年降低1.25个百分点",
    );
    check(
        "rate up",
        rate_change("教育支出占比", 22.23, 21.95).as_str(),
        "教育支出占比22.23%，较上年提高0.28个百分点",
    );
    check(
        "rate flat",
        rate_change("巩固率", 98.84, 98.84).as_str(),
        "巩固率98.84%，与上年持平",
    );
    check("words", growth_words(100.0, 101.0, 2).as_str(), "下降0.99%");

    // the two figures from 教育经费总表
    let fy = |year: i32, row: u32, exp: f64, per: f64| FinanceYear {
        year,
        education_expenditure: Cell::from_cell(exp, at("教育经费总表", row, "C")),
        students: None,
        per_student: Some(Cell::from_cell(per, at("教育经费总表", row, "H"))),
    };
    let tables = Tables {
        finance: vec![fy(2023, 3, 66256.0, 12700.0), fy(2024, 4, 72415.0, 12600.0)],
        ..Tables::default()
    };
    let c = compute(&tables, &Params::default());
    let total = figure(&c, "two_no_decrease.total");
    check("total pass", total.pass, Some(true));
    check("total display", total.display.as_str(), "增长9.30%");
    check(
        "total inputs",
        total.inputs.clone(),
        vec![at("教育经费总表", 4, "C"), at("教育经费总表", 3, "C")],
    );
    let per = figure(&c, "two_no_decrease.per_student");
    check("per pass", per.pass, Some(false));
    check(
        "per statement",
        per.statement.as_str(),
        "按在校学生人数平均的一般公共预算教育支出为12600元，比上年的12700元下降100元（下降0.79%），未实现只增不减",
    );
    // computed from 在校生数 when the per-student column is absent
    let fy2 = |year: i32, exp: f64, n: u32| FinanceYear {
        year,
        education_expenditure: Cell::new(exp),
        students: Some(Cell::new(n)),
        per_student: None,
    };
    let c = compute(
        &Tables {
            year: Some(2024),
            finance: vec![fy2(2023, 60000.0, 50000), fy2(2024, 61000.0, 50000)],
            ..Tables::default()
        },
        &Params::default(),
    );
    check(
        "per computed",
        figure(&c, "two_no_decrease.per_student").display.as_str(),
        "增长1.67%",
    );
    // a missing previous year is a problem, not a figure
    let c = compute(
        &Tables {
            finance: vec![fy2(2024, 1.0, 1)],
            ..Tables::default()
        },
        &Params::default(),
    );
    assert!(c.figure("two_no_decrease.total").is_none());
    assert!(
        c.problems.iter().any(|p| p.message.contains("2023")),
        "{:?}",
        c.problems
    );
}

// ---------------------------------------------------------------- rates

#[test]
fn rates_and_pay() {
    let tables = Tables {
        preschool: vec![Preschool {
            year: 2024,
            enrolled: Cell::new(10000),
            public_enrolled: Cell::new(4520),
            inclusive_private_enrolled: Some(Cell::new(3600)),
            population_3_5: Some(Cell::new(10800)),
        }],
        special_groups: vec![SpecialGroups {
            year: 2024,
            migrant_total: Some(Cell::new(3500)),
            migrant_public: Some(Cell::new(3200)),
            migrant_purchased: Some(Cell::new(100)),
            disabled_population: Some(Cell::new(438)),
            disabled_special_school: Some(Cell::new(142)),
            disabled_regular_class: Some(Cell::new(234)),
            disabled_home_teaching: Some(Cell::new(24)),
            ..SpecialGroups::default()
        }],
        teacher_pay: vec![TeacherPay {
            year: 2024,
            teacher_avg: Cell::new(77938.0),
            civil_servant_avg: Cell::new(66892.0),
        }],
        satisfaction: vec![Satisfaction::ten_point(2024, 7.962)],
        ..Tables::default()
    };
    let c = compute(&tables, &Params::default());
    // (id, display, pass)
    let cases = [
        ("preschool_public_share", "45.20%", false),
        ("preschool_inclusive_coverage", "81.20%", true),
        ("preschool_gross_enrolment", "92.59%", true),
        ("migrant_public_share", "94.29%", true),
        ("disabled_enrolment", "91.32%", false),
        ("teacher_pay", "高11046元", true),
        ("satisfaction", "79.62分", false),
    ];
    for (id, display, pass) in cases {
        let f = figure(&c, id);
        check(id, (f.display.as_str(), f.pass), (display, Some(pass)));
    }
}

// ---------------------------------------------------------------- suggestions

fn cv_failing_tables() -> Tables {
    // Three primary schools and three junior schools; every indicator uniform except
    // 小学生均教学仪器设备值 and 初中每百名学生拥有网络多媒体教室数, which vary widely.
    let base = [5.0, 2.0, 1.0, 6.0, 11.0, 3000.0, 3.0];
    let mut schools = Vec::new();
    for (i, eq) in [500.0, 1000.0, 5000.0].iter().enumerate() {
        let mut x = base;
        x[5] = *eq;
        schools.push(full_school(
            &format!("小学{}", i + 1),
            SchoolKind::Primary,
            i as u32 + 2,
            x,
        ));
    }
    for (i, rooms) in [1.0, 2.0, 8.0].iter().enumerate() {
        let mut x = base;
        x[6] = *rooms;
        schools.push(full_school(
            &format!("初中{}", i + 1),
            SchoolKind::Junior,
            i as u32 + 5,
            x,
        ));
    }
    Tables {
        schools,
        ..Tables::default()
    }
}

#[test]
fn cv_suggestion_two_of_seven_failing() {
    let sys = points_system(vec![leaf(
        "16",
        "义务教育优质均衡",
        Some(4),
        vec![binding(
            "cv",
            &[("primary_max", 0.5), ("junior_max", 0.45)],
            &[("per_item", 0.5)],
        )],
    )]);
    let c = compute(&cv_failing_tables(), &Params::from_system(&sys));
    let failing: Vec<&str> = c
        .figures
        .iter()
        .filter(|f| f.kind == "cv" && f.pass == Some(false))
        .map(|f| f.id.as_str())
        .collect();
    check("failing", failing, vec!["cv.R6.primary", "cv.R7.junior"]);
    let s = suggest(&sys, &c.figures);
    check("one suggestion", s.len(), 1);
    let (amount, reason) = deduction(&s[0]);
    check("amount", amount, Points::whole(1));
    let r6 = figure(&c, "cv.R6.primary").display.clone();
    let r7 = figure(&c, "cv.R7.junior").display.clone();
    check(
        "reason",
        reason.as_str(),
        format!("小学、初中各7项校际差异系数中2项未达标（小学生均教学仪器设备值{r6}高于0.50、初中每百名学生拥有网络多媒体教室数{r7}高于0.45）").as_str(),
    );
    assert!(!reason.contains('，'));
    check(
        "explanation",
        s[0].explanation.as_str(),
        format!("小学、初中各7项校际差异系数中2项未达标（小学生均教学仪器设备值{r6}，高于0.50；初中每百名学生拥有网络多媒体教室数{r7}，高于0.45），按每项扣0.5分计算，2项扣1分，建议扣1分。").as_str(),
    );
    check("figures", s[0].figures.len(), 14);
}

#[test]
fn satisfaction_deduction_rounds_to_one_decimal() {
    // (score, expected deduction, or None for a pass); per_point 0.4 below 85, max 10
    let cases = [
        (79.62, Some(Points(220))),
        (85.0, None),
        (84.99, Some(Points::ZERO)),
        (84.5, Some(Points(20))),
        (50.0, Some(Points::whole(10))),
    ];
    let sys = points_system(vec![leaf(
        "24",
        "社会公众满意度",
        Some(10),
        vec![binding(
            "satisfaction",
            &[("min", 85.0)],
            &[("per_point", 0.4)],
        )],
    )]);
    for (score, expected) in cases {
        let t = Tables {
            satisfaction: vec![Satisfaction::hundred(2024, score)],
            ..Tables::default()
        };
        let s = suggest(&sys, &compute(&t, &Params::from_system(&sys)).figures);
        check("one", s.len(), 1);
        match expected {
            None => check(&format!("{score}"), s[0].kind.clone(), SuggestionKind::Pass),
            Some(a) => check(&format!("{score}"), deduction(&s[0]).0, a),
        }
    }
    let t = Tables {
        satisfaction: vec![Satisfaction::hundred(2024, 79.62)],
        ..Tables::default()
    };
    let s = suggest(&sys, &compute(&t, &Params::default()).figures);
    let (_, reason) = deduction(&s[0]);
    check(
        "reason",
        reason.as_str(),
        "社会公众对教育工作满意度为79.62分未达标",
    );
    check(
        "explanation",
        s[0].explanation.as_str(),
        "社会公众对教育工作满意度为79.62分，低于85分，按每低1分扣0.4分计算，（85−79.62）×0.4＝2.152，保留1位小数为2.2分，建议扣2.2分。",
    );
    // 50 → 14 is capped at the leaf's 10
    let t = Tables {
        satisfaction: vec![Satisfaction::hundred(2024, 50.0)],
        ..Tables::default()
    };
    let s = suggest(&sys, &compute(&t, &Params::default()).figures);
    assert!(
        s[0].explanation
            .contains("合计14分，超过本测评点分值10分，扣完为止，建议扣10分。"),
        "{}",
        s[0].explanation
    );
}

#[test]
fn deductions_are_capped_at_the_leaf_maximum() {
    // every one of 14 CVs fails → 14 × 0.5 = 7 > 4
    let mut schools = Vec::new();
    for (i, k) in [1.0, 10.0, 30.0].iter().enumerate() {
        let x = [
            k * 1.0,
            k * 1.0,
            k * 1.0,
            k * 1.0,
            k * 1.0,
            k * 1000.0,
            k * 1.0,
        ];
        schools.push(full_school(
            &format!("小学{i}"),
            SchoolKind::Primary,
            i as u32 + 2,
            x,
        ));
        schools.push(full_school(
            &format!("初中{i}"),
            SchoolKind::Junior,
            i as u32 + 10,
            x,
        ));
    }
    let sys = points_system(vec![leaf(
        "16",
        "优质均衡",
        Some(4),
        vec![binding("cv", &[], &[("per_item", 0.5)])],
    )]);
    let c = compute(
        &Tables {
            schools,
            ..Tables::default()
        },
        &Params::from_system(&sys),
    );
    let s = suggest(&sys, &c.figures);
    check("capped", deduction(&s[0]).0, Points::whole(4));
    assert!(
        s[0].explanation.contains("14项未达标"),
        "{}",
        s[0].explanation
    );
    assert!(
        s[0].explanation.contains("扣完为止"),
        "{}",
        s[0].explanation
    );

    // two bindings on one leaf share its maximum
    let sys = points_system(vec![leaf(
        "12",
        "学前教育",
        Some(5),
        vec![
            binding(
                "preschool_public_share",
                &[("min_pct", 50.0)],
                &[("per_point", 0.2)],
            ),
            binding(
                "preschool_inclusive_coverage",
                &[("min_pct", 80.0)],
                &[("per_point", 0.2)],
            ),
        ],
    )]);
    let t = Tables {
        preschool: vec![Preschool {
            year: 2024,
            enrolled: Cell::new(1000),
            public_enrolled: Cell::new(200), // 20% → 30 points × 0.2 = 6 → capped 5
            inclusive_private_enrolled: Some(Cell::new(300)), // 50% → 30 × 0.2 = 6 → nothing left
            population_3_5: None,
        }],
        ..Tables::default()
    };
    let s = suggest(&sys, &compute(&t, &Params::from_system(&sys)).figures);
    check(
        "amounts",
        s.iter().map(|x| deduction(x).0).collect::<Vec<_>>(),
        vec![Points::whole(5), Points::ZERO],
    );
    assert!(
        s[1].explanation.contains("本测评点已扣5分，最多再扣0分"),
        "{}",
        s[1].explanation
    );
}

#[test]
fn bundled_sample_system_reproduces_the_published_deductions() {
    // 第15测评点 2 schools over size → 1分; 第16 2 of 7 CVs → 1分; 第24 79.62 → 2.2分 (95.8 in all)
    let sys = bundled("sample-county-24.json");
    let mut tables = cv_failing_tables();
    tables
        .schools
        .push(school("实验中学", SchoolKind::Junior, 20, 2300));
    tables
        .schools
        .push(school("紫薇小学", SchoolKind::Primary, 21, 2150));
    tables
        .satisfaction
        .push(Satisfaction::ten_point(2024, 7.962));
    let c = compute(&tables, &Params::from_system(&sys));
    let s = suggest(&sys, &c.figures);
    let got: Vec<(String, Points)> = s
        .iter()
        .filter_map(|x| match &x.kind {
            SuggestionKind::Deduction { amount, .. } => Some((x.point.clone(), *amount)),
            _ => None,
        })
        .collect();
    // the two big schools also make their CVs differ; only the deductions on 15 and 24 and the
    // amount on 16 are checked against the published result
    let find = |p: &str| got.iter().find(|(q, _)| q == p).map(|(_, a)| *a);
    check("15", find("15"), Some(Points::whole(1)));
    check("24", find("24"), Some(Points(220)));
    let r15 = s.iter().find(|x| x.point == "15").map(deduction).unwrap().1;
    check("15 reason", r15.as_str(), "2所学校超规模办学");
    let total = Points::whole(100) - find("15").unwrap() - find("24").unwrap() - Points::whole(1);
    check("95.8", total.to_string(), "95.8".to_string());
}

#[test]
fn rated_system_gets_ratings() {
    let sys = bundled("county-quality-balance-2017.json");
    let c = compute(&cv_failing_tables(), &Params::from_system(&sys));
    let s = suggest(&sys, &c.figures);
    let rating = |p: &str| {
        s.iter().find(|x| x.point == p).map(|x| match &x.kind {
            SuggestionKind::Rating { code } => code.clone(),
            other => panic!("{other:?}"),
        })
    };
    // R8 binds school_attainment and cv: the CVs fail
    check("R8", rating("R8"), Some("N".to_string()));
    // R6: every school reaches 2000 / 2500 元 except 小学1 (500元) and 小学2 (1000元)
    check("R6", rating("R6"), Some("N".to_string()));
    // R2: all schools have 2 per 100 ≥ 1
    check("R2", rating("R2"), Some("Y".to_string()));
    let r8 = s.iter().find(|x| x.point == "R8").unwrap();
    assert!(
        r8.explanation.ends_with("建议评为“未达标”。"),
        "{}",
        r8.explanation
    );
}

#[test]
fn binding_thresholds_override_the_figures() {
    // the figure was computed with 0.50, the binding says 0.80: the CV passes
    let c = compute(&cv_failing_tables(), &Params::default());
    let sys = points_system(vec![leaf(
        "16",
        "优质均衡",
        Some(4),
        vec![binding(
            "cv",
            &[("primary_max", 5.0), ("junior_max", 5.0)],
            &[("per_item", 0.5)],
        )],
    )]);
    let s = suggest(&sys, &c.figures);
    check("pass", s[0].kind.clone(), SuggestionKind::Pass);
    check("params", Params::from_system(&sys).cv_max.primary, 5.0);
    // a failing figure without a deduction rule asks for review
    let sys = points_system(vec![leaf(
        "16",
        "优质均衡",
        Some(4),
        vec![binding("cv", &[], &[])],
    )]);
    check(
        "review",
        suggest(&sys, &c.figures)[0].kind.clone(),
        SuggestionKind::Review,
    );
}

#[test]
fn provenance_is_carried_through() {
    let cell = at("满意度调查表", 3, "E");
    let t = Tables {
        satisfaction: vec![Satisfaction::hundred(
            2024,
            Cell::from_cell(79.62, cell.clone()),
        )],
        ..Tables::default()
    };
    let c = compute(&t, &Params::default());
    check(
        "satisfaction inputs",
        figure(&c, "satisfaction").inputs.clone(),
        vec![cell],
    );
    // every figure from school data lists only cells of the schools in scope
    let mut tables = cv_failing_tables();
    tables
        .schools
        .push(full_school("特教学校", SchoolKind::Special, 40, [9.0; 7]));
    let c = compute(&tables, &Params::default());
    let f = figure(&c, "cv.R6.primary");
    // 3 schools × (enrolment F + equipment L)
    let mut expected = Vec::new();
    for row in 2..=4 {
        expected.push(at("学校基本情况表", row, "F"));
        expected.push(at("学校基本情况表", row, "L"));
    }
    check("cv inputs", f.inputs.clone(), expected);
    let json = serde_json::to_value(f).unwrap();
    check(
        "json col",
        json["inputs"][1]["col"].clone(),
        Value::from("L"),
    );
}

#[test]
fn tables_round_trip_through_json() {
    let t = cv_failing_tables();
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.contains("\"小学\""), "{json}");
    let back: Tables = serde_json::from_str(&json).unwrap();
    check("round trip", back, t);
    check(
        "parse kind",
        SchoolKind::parse("九年一贯制学校"),
        Some(SchoolKind::NineYear),
    );
    check(
        "parse kind",
        SchoolKind::parse("小学教学点"),
        Some(SchoolKind::TeachingPoint),
    );
    check(
        "parse kind",
        SchoolKind::parse("特殊教育学校"),
        Some(SchoolKind::Special),
    );
    check("parse stage", Stage::parse("初中部"), Some(Stage::Junior));
    let _ = Level {
        code: "Y".into(),
        label: "达标".into(),
        needs_explanation: false,
    };
    let _ = RatedModel {
        levels: vec![],
        not_applicable: None,
        leaf_noun: None,
    };
}

// ---------------------------------------------------------------- properties

proptest! {
    #[test]
    fn cv_is_scale_invariant(
        schools in prop::collection::vec((1u32..3000, 0.01f64..10000.0), 1..30),
        k in 0.001f64..1000.0,
    ) {
        let a: Vec<(f64, f64)> = schools.iter().map(|(p, x)| (f64::from(*p), *x)).collect();
        let b: Vec<(f64, f64)> = a.iter().map(|(p, x)| (*p, x * k)).collect();
        let ca = weighted_cv(&a).unwrap().cv.unwrap();
        let cb = weighted_cv(&b).unwrap().cv.unwrap();
        prop_assert!((ca - cb).abs() <= 1e-9 * ca.max(1.0), "{} vs {}", ca, cb);
    }

    #[test]
    fn cv_is_zero_for_equal_values(
        weights in prop::collection::vec(1u32..5000, 1..30),
        x in 0.01f64..10000.0,
    ) {
        let pairs: Vec<(f64, f64)> = weights.iter().map(|p| (f64::from(*p), x)).collect();
        let cv = weighted_cv(&pairs).unwrap().cv.unwrap();
        prop_assert!(cv.abs() < 1e-9, "{}", cv);
        prop_assert_eq!(fixed(cv, 4), "0.0000");
    }
}

#[test]
fn other_bundled_bindings() {
    let sys = bundled("sample-county-24.json");
    // 100 primary classes: 97 of 45, two of 56 and 65 (大班额), one of 66 (超大班额)
    let mut sizes = vec![45u32; 97];
    sizes.extend([56, 65, 66]);
    let classes = sizes
        .iter()
        .map(|n| ClassRow {
            school: "中心小学".into(),
            stage: Cell::new(Stage::Primary),
            grade: None,
            class: None,
            size: Cell::new(*n),
        })
        .collect();
    let fy = |year: i32, exp: f64, per: f64| FinanceYear {
        year,
        education_expenditure: Cell::new(exp),
        students: None,
        per_student: Some(Cell::new(per)),
    };
    let tables = Tables {
        year: Some(2024),
        classes,
        finance: vec![fy(2023, 66256.0, 12700.0), fy(2024, 72415.0, 12600.0)],
        teacher_pay: vec![TeacherPay {
            year: 2024,
            teacher_avg: Cell::new(66000.0),
            civil_servant_avg: Cell::new(66892.0),
        }],
        special_groups: vec![SpecialGroups {
            year: 2024,
            disabled_population: Some(Cell::new(438)),
            disabled_enrolled: Some(Cell::new(400)),
            ..SpecialGroups::default()
        }],
        ..Tables::default()
    };
    let s = suggest(&sys, &compute(&tables, &Params::from_system(&sys)).figures);
    let by = |p: &str| {
        s.iter()
            .find(|x| x.point == p)
            .map(deduction)
            .unwrap_or_else(|| panic!("no suggestion on {p}"))
    };
    // (point, amount, reason)
    let cases = [
        (
            "6",
            Points::whole(3),
            "按在校学生人数平均的一般公共预算教育支出未实现只增不减",
        ),
        (
            "8",
            Points::whole(6),
            "义务教育教师年平均工资收入低于当地公务员年平均工资收入",
        ),
        // 超大班额 2 + 大班额 3.00% × 0.5 = 1.5
        (
            "14",
            Points(350),
            "存在66人及以上超大班额1个、56人及以上大班额占比3.00%",
        ),
        // 400 ÷ 438 = 91.32%: (95 − 91.32) × 0.5 = 1.84 → 1.8
        ("19", Points(180), "适龄残疾儿童少年入学率为91.32%低于95%"),
    ];
    for (p, amount, reason) in cases {
        check(p, by(p), (amount, reason.to_string()));
    }
    // suggestions serialise flat, with their kind
    let json = serde_json::to_value(&s).unwrap();
    check("kind", json[0]["kind"].clone(), Value::from("deduction"));
    let back: Vec<Suggestion> = serde_json::from_value(json).unwrap();
    check("round trip", back, s);
}
