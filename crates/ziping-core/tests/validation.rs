//! Validation of indicator systems (`ziping_core::validate`) and the bundled systems in
//! `assets/frameworks/`.
//!
//! Most cases start from a small valid system, break it in one or more places, and compare the
//! problems found (paths and messages) with the expected ones.

use std::path::PathBuf;

use ziping_core::points::Points;
use ziping_core::system::{FigureBinding, ScoringModel};
use ziping_core::validate::{load_system, validate, Problem};
use ziping_core::IndicatorSystem;

/// A small valid points system: 2 groups, 3 leaves, total 10, grades, bonus.
const POINTS: &str = r#"{
  "format": 1,
  "id": "test-points",
  "version": "2024",
  "name": "测试计分体系",
  "official": false,
  "provenance": { "sources": ["单元测试"] },
  "level_names": ["一级指标", "测评点"],
  "scoring": {
    "model": "points",
    "total": 10,
    "decimals": 1,
    "grades": [ { "grade": "A", "min": 9 }, { "grade": "B", "min": 6 }, { "grade": "C", "min": 0 } ],
    "bonus": { "cap": 2, "items": [ { "code": "B1", "title": "加分一", "score": 1 } ] }
  },
  "children": [
    { "code": "一", "title": "第一组", "children": [
      { "code": "1", "title": "甲", "max_score": 4 },
      { "code": "2", "title": "乙", "max_score": 2.5,
        "figures": [ { "figure": "cv", "thresholds": { "primary_max": 0.5 }, "deduction": { "per_item": 0.5 } } ] }
    ] },
    { "code": "二", "title": "第二组", "children": [
      { "code": "3", "title": "丙", "max_score": 3.5, "pending_label": "公众满意度" }
    ] }
  ]
}"#;

/// A small valid rated system.
const RATED: &str = r#"{
  "format": 1,
  "id": "test-rated",
  "version": "2024",
  "name": "测试评级体系",
  "official": true,
  "provenance": {},
  "level_names": ["评价内容", "测评内容", "测评点"],
  "scoring": {
    "model": "rated",
    "levels": [
      { "code": "A", "label": "完全落实" },
      { "code": "B", "label": "基本落实" },
      { "code": "C", "label": "未落实", "needs_explanation": true }
    ],
    "not_applicable": { "code": "NA", "label": "不适用", "phrase": "不属于本级履行教育职责范围" }
  },
  "children": [
    { "code": "一", "title": "第一项", "children": [
      { "code": "1", "title": "测评内容一", "children": [
        { "code": "1.1", "title": "测评点一" },
        { "code": "1.2", "title": "测评点二" }
      ] },
      { "code": "2", "title": "测评内容二" }
    ] }
  ]
}"#;

fn parse(json: &str) -> IndicatorSystem {
    serde_json::from_str(json).expect("test system parses")
}

fn points_model(s: &mut IndicatorSystem) -> &mut ziping_core::system::PointsModel {
    match &mut s.scoring {
        ScoringModel::Points(m) => m,
        ScoringModel::Rated(_) => panic!("not a points system"),
    }
}

fn rated_model(s: &mut IndicatorSystem) -> &mut ziping_core::system::RatedModel {
    match &mut s.scoring {
        ScoringModel::Rated(m) => m,
        ScoringModel::Points(_) => panic!("not a rated system"),
    }
}

/// Asserts the exact list of problem paths, and that each message contains the given fragment.
#[track_caller]
fn check(system: &IndicatorSystem, expected: &[(&str, &str)]) {
    let got = validate(system);
    let show =
        |ps: &[Problem]| ps.iter().map(|p| format!("  {} => {}", p.path, p.message)).collect::<Vec<_>>().join("\n");
    assert_eq!(got.len(), expected.len(), "expected {} problems, got {}:\n{}", expected.len(), got.len(), show(&got));
    for (p, (path, fragment)) in got.iter().zip(expected) {
        assert_eq!(p.path, *path, "path; all problems:\n{}", show(&got));
        assert!(p.message.contains(fragment), "message {:?} lacks {:?}", p.message, fragment);
    }
}

#[test]
fn valid_examples_have_no_problems() {
    check(&parse(POINTS), &[]);
    check(&parse(RATED), &[]);
}

#[test]
fn one_system_with_six_faults_reports_all_six() {
    let mut s = parse(POINTS);
    // 1. Empty name.
    s.name = "  ".into();
    // 2. Duplicate code: leaf 2 gets the code of leaf 1.
    s.children[0].children[1].code = "1".into();
    // 3. A leaf without max_score (also makes the sum differ from the total: fault 4).
    s.children[1].children[0].max_score = None;
    // 5. Grades out of order.
    points_model(&mut s).grades[2].min = Points::whole(7);
    // 6. A bonus item scoring 0.
    points_model(&mut s).bonus.as_mut().unwrap().items[0].score = Points::ZERO;
    // 7. A threshold that is not finite (only possible for systems built in code).
    s.children[0].children[1].figures[0].thresholds.insert("junior_max".into(), f64::NAN);
    check(
        &s,
        &[
            ("name", "名称"),
            ("children[0].children[1]（测评点“1”）", "编码“1”重复：与 children[0].children[0]（测评点“1”） 相同"),
            ("children[0].children[1].figures[0].thresholds.junior_max（测评点“1”）", "必须是有限的数"),
            ("children[1].children[0].max_score（测评点“3”）", "必须有满分"),
            ("scoring.total", "总分为10，但3个测评点的满分之和为6.5"),
            ("scoring.grades[2].min", "等次须按最低分从高到低排列"),
            ("scoring.bonus.items[0].score（加分项“B1”）", "必须大于0"),
        ],
    );
}

#[test]
fn format_version() {
    let mut s = parse(POINTS);
    s.format = 2;
    check(&s, &[("format", "格式版本为2，本程序只支持1")]);
    s.format = 0;
    check(&s, &[("format", "格式版本为0，本程序只支持1")]);

    // A newer file may have fields this program does not know: the version message wins.
    let newer = POINTS.replacen("\"format\": 1,", "\"format\": 2, \"future_field\": true,", 1);
    let problems = load_system("new.json", &newer).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "format");
    assert_eq!(problems[0].message, "该指标体系文件的格式版本为2，本程序只支持1。请升级本程序后再导入。");
}

#[test]
fn header_fields_must_not_be_empty() {
    let mut s = parse(RATED);
    s.id = String::new();
    s.version = " ".into();
    s.short_name = Some(String::new());
    s.level_names = vec!["评价内容".into(), "".into(), "评价内容".into()];
    check(
        &s,
        &[
            ("id", "不能为空"),
            ("version", "不能为空"),
            ("short_name", "不能为空"),
            ("level_names[1]", "层级名称不能为空"),
            ("level_names[2]", "层级名称“评价内容”重复"),
        ],
    );
}

#[test]
fn node_code_and_title() {
    let mut s = parse(RATED);
    s.children[0].children[0].children[0].code = String::new();
    s.children[0].children[0].children[1].title = String::new();
    s.children[0].children[1].code = " 2".into();
    check(
        &s,
        &[
            ("children[0].children[0].children[0].code（测评点“测评点一”）", "编码（code）不能为空"),
            ("children[0].children[0].children[1].title（测评点“1.2”）", "标题（title）不能为空"),
            ("children[0].children[1].code（测评内容“ 2”）", "首尾不能有空白"),
        ],
    );
}

#[test]
fn tree_needs_a_leaf_and_levels() {
    let mut s = parse(RATED);
    s.children.clear();
    check(&s, &[("children", "至少需要一个测评点")]);

    let mut s = parse(RATED);
    s.level_names.clear();
    check(&s, &[("level_names", "不能为空")]);

    // Three levels named, four used: reported once, at the first node too deep.
    let mut s = parse(RATED);
    let deep = s.children[0].children[0].children[0].clone();
    let mut deeper = deep.clone();
    deeper.code = "1.1.1".into();
    let mut deepest = deep;
    deepest.code = "1.1.1.1".into();
    deeper.children.push(deepest);
    s.children[0].children[0].children[0].children.push(deeper);
    check(
        &s,
        &[(
            "children[0].children[0].children[0].children[0]（节点“1.1.1”）",
            "位于第4层，但层级名称（level_names）只定义了3层",
        )],
    );
}

#[test]
fn rated_model_rules() {
    let mut s = parse(RATED);
    {
        let m = rated_model(&mut s);
        m.levels[1].code = "A".into();
        m.levels[2].label = "完全落实".into();
        m.not_applicable.as_mut().unwrap().code = "C".into();
        m.not_applicable.as_mut().unwrap().phrase = String::new();
        m.leaf_noun = Some(String::new());
    }
    s.children[0].children[1].max_score = Some(Points::whole(3));
    s.children[0].children[1].pending_label = Some("公众满意度".into());
    check(
        &s,
        &[
            ("children[0].children[1].max_score（测评内容“2”）", "不应设置满分"),
            ("children[0].children[1].pending_label（测评内容“2”）", "只用于计分制"),
            ("scoring.levels[1].code", "等级代码“A”与 scoring.levels[0] 重复"),
            ("scoring.levels[2].label", "等级名称“完全落实”与 scoring.levels[0] 重复"),
            ("scoring.not_applicable.code", "“不适用”的代码“C”与等级 scoring.levels[2] 的代码相同"),
            ("scoring.not_applicable.phrase", "不能为空"),
            ("scoring.leaf_noun", "不能为空"),
        ],
    );

    let mut s = parse(RATED);
    rated_model(&mut s).levels.clear();
    check(&s, &[("scoring.levels", "至少需要一个等级")]);
}

#[test]
fn points_model_rules() {
    let mut s = parse(POINTS);
    // A group may state its max only if it equals the sum of its leaves.
    s.children[0].max_score = Some(Points(650));
    s.children[1].max_score = Some(Points::whole(4));
    s.children[0].children[0].max_score = Some(Points::ZERO);
    {
        let m = points_model(&mut s);
        m.total = Points(600);
        m.decimals = 3;
        m.grades[0].min = Points::whole(11);
        m.grades[1].grade = "A".into();
        m.bonus.as_mut().unwrap().cap = Points::ZERO;
        m.bonus.as_mut().unwrap().items[0].code = "3".into();
    }
    check(
        &s,
        &[
            ("children[0].max_score（一级指标“一”）", "满分为6.5，但其下各测评点满分之和为2.5"),
            ("children[0].children[0].max_score（测评点“1”）", "满分必须大于0，现为0"),
            ("children[1].max_score（一级指标“二”）", "满分为4，但其下各测评点满分之和为3.5"),
            ("scoring.decimals", "只能是0、1或2"),
            ("scoring.grades[0].min", "必须在0到总分6之间"),
            ("scoring.grades[1].grade", "等次“A”与 scoring.grades[0] 重复"),
            ("scoring.bonus.cap", "加分上限（cap）必须大于0"),
            ("scoring.bonus.items[0]（加分项“3”）", "编码“3”重复：与 children[1].children[0]（测评点“3”） 相同"),
        ],
    );
}

#[test]
fn total_mismatch_message_uses_exact_decimals() {
    let mut s = parse(POINTS);
    // 4 + 2.5 + 3.5 = 10; make it 10.01 (a classic floating-point trap).
    s.children[0].children[1].max_score = Some(Points(251));
    check(&s, &[("scoring.total", "总分为10，但3个测评点的满分之和为10.01")]);
    // A group max equal to the sum is fine.
    let mut s = parse(POINTS);
    s.children[0].max_score = Some(Points(650));
    check(&s, &[]);
}

#[test]
fn bonus_needs_items_and_pending_label_needs_a_leaf() {
    let mut s = parse(POINTS);
    points_model(&mut s).bonus.as_mut().unwrap().items.clear();
    s.children[0].pending_label = Some("公众满意度".into());
    s.children[1].children[0].pending_label = Some(" ".into());
    check(
        &s,
        &[
            ("children[0].pending_label（一级指标“一”）", "只能设在测评点"),
            ("children[1].children[0].pending_label（测评点“3”）", "不能为空"),
            ("scoring.bonus.items", "至少要有一个加分项"),
        ],
    );
}

#[test]
fn figure_bindings() {
    let mut s = parse(POINTS);
    let leaf = &mut s.children[0].children[1];
    leaf.figures.push(FigureBinding { figure: String::new(), ..Default::default() });
    leaf.figures.push(FigureBinding { figure: "cv".into(), ..Default::default() });
    leaf.figures[0].deduction.insert("per_item".into(), -0.5);
    leaf.figures[0].thresholds.insert("junior_max".into(), f64::INFINITY);
    s.children[1].figures.push(FigureBinding { figure: "satisfaction".into(), ..Default::default() });
    check(
        &s,
        &[
            ("children[0].children[1].figures[0].thresholds.junior_max（测评点“2”）", "阈值“junior_max”必须是有限的数"),
            ("children[0].children[1].figures[0].deduction.per_item（测评点“2”）", "不能为负数"),
            ("children[0].children[1].figures[1].figure（测评点“2”）", "计算指标标识（figure）不能为空"),
            ("children[0].children[1].figures[2].figure（测评点“2”）", "计算指标“cv”在同一测评点上重复绑定"),
            ("children[1].figures（一级指标“二”）", "只能绑定在测评点"),
        ],
    );
}

#[test]
fn json_errors_name_file_line_and_column() {
    // Syntax: a trailing comma on line 3.
    let bad = "{\n  \"format\": 1,\n  \"id\": \"x\",\n}";
    let p = load_system("x.json", bad).unwrap_err();
    assert_eq!(p.len(), 1);
    assert!(p[0].message.starts_with("文件 x.json 第4行第1列："), "{}", p[0].message);
    assert!(p[0].message.contains("多余的逗号"), "{}", p[0].message);
    assert_eq!(p[0].path, "x.json:4:1");

    // Shape: a missing field.
    let missing = POINTS.replacen("\"title\": \"甲\", ", "", 1);
    let p = load_system("y.json", &missing).unwrap_err();
    assert_eq!(p.len(), 1);
    assert!(p[0].message.starts_with("文件 y.json 第"), "{}", p[0].message);
    assert!(p[0].message.ends_with("缺少必填字段“title”。"), "{}", p[0].message);

    // Shape: an unknown (misspelt) field.
    let unknown = POINTS.replacen("\"max_score\": 4", "\"max_scores\": 4", 1);
    let p = load_system("z.json", &unknown).unwrap_err();
    assert!(p[0].message.contains("无法识别的字段“max_scores”（可用的字段："), "{}", p[0].message);

    // Shape: an unknown scoring model.
    let model = POINTS.replacen("\"model\": \"points\"", "\"model\": \"score\"", 1);
    let p = load_system("m.json", &model).unwrap_err();
    assert!(p[0].message.contains("无法识别的取值“score”（可用的取值：rated、points）"), "{}", p[0].message);

    // Shape: a wrong type.
    let ty = POINTS.replacen("\"official\": false", "\"official\": \"否\"", 1);
    let p = load_system("t.json", &ty).unwrap_err();
    assert!(p[0].message.contains("类型不符：此处应为布尔值"), "{}", p[0].message);

    // Points with three decimals are refused by the Points type, in Chinese.
    let dec = POINTS.replacen("\"max_score\": 4", "\"max_score\": 4.125", 1);
    let p = load_system("d.json", &dec).unwrap_err();
    assert!(p[0].message.contains("不是至多两位小数"), "{}", p[0].message);

    // An empty file.
    let p = load_system("e.json", "").unwrap_err();
    assert!(p[0].message.starts_with("文件 e.json"), "{}", p[0].message);
}

#[test]
fn load_system_returns_every_validation_problem() {
    let broken = POINTS.replacen("\"code\": \"2\"", "\"code\": \"1\"", 1).replacen(
        "\"name\": \"测试计分体系\"",
        "\"name\": \"\"",
        1,
    );
    let p = load_system("b.json", &broken).unwrap_err();
    let paths: Vec<&str> = p.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["name", "children[0].children[1]（测评点“1”）"]);
    assert!(load_system("ok.json", POINTS).is_ok());
}

#[test]
fn messages_use_full_width_punctuation() {
    let mut s = parse(POINTS);
    s.name = String::new();
    s.children[0].children[1].code = "1".into();
    points_model(&mut s).grades[2].min = Points::whole(7);
    for p in validate(&s) {
        assert!(p.message.ends_with('。'), "{}", p.message);
        for bad in [',', ';', '?', '!', '(', ')'] {
            assert!(!p.message.contains(bad), "ASCII {bad:?} in {}", p.message);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The bundled systems.

fn frameworks_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/frameworks")
}

fn load_bundled(name: &str) -> IndicatorSystem {
    let path = frameworks_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    load_system(name, &text)
        .unwrap_or_else(|ps| panic!("{name}:\n{}", ps.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n")))
}

#[test]
fn every_bundled_system_is_valid_and_round_trips() {
    let mut names: Vec<String> = std::fs::read_dir(frameworks_dir())
        .expect("assets/frameworks exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "county-preschool-2020.json",
            "county-quality-balance-2017.json",
            "national-provincial-2017.json",
            "sample-county-24.json"
        ]
    );
    for name in &names {
        let s = load_bundled(name);
        assert_eq!(format!("{}.json", s.id), *name, "file name is the system id");
        // Serialising and loading again gives the same system.
        let again = load_system(name, &serde_json::to_string_pretty(&s).unwrap()).unwrap();
        assert_eq!(again, s, "{name} round trip");
        // No ASCII punctuation in titles (full-width Chinese punctuation only).
        for leaf in s.leaves() {
            for bad in [',', ';', '(', ')', ':'] {
                assert!(!leaf.title.contains(bad), "{name}: {:?}", leaf.title);
            }
        }
    }
}

#[test]
fn national_2017_has_6_groups_and_38_leaves() {
    let s = load_bundled("national-provincial-2017.json");
    assert!(s.official);
    assert_eq!(s.version, "2017");
    assert_eq!(s.level_names, ["评价内容", "测评内容", "测评点"]);
    let groups = s.leaf_groups();
    let codes: Vec<&str> = groups.iter().map(|(g, _)| g.code.as_str()).collect();
    assert_eq!(codes, ["一", "二", "三", "四", "五", "六"]);
    let sizes: Vec<usize> = groups.iter().map(|(_, l)| l.len()).collect();
    assert_eq!(sizes, [9, 3, 12, 6, 5, 3]);
    let leaves = s.leaves();
    assert_eq!(leaves.len(), 38);
    for (i, leaf) in leaves.iter().enumerate() {
        assert_eq!(leaf.code, (i + 1).to_string());
        assert!(leaf.note.as_deref().unwrap_or("").contains("测评点待导入"), "{}", leaf.code);
    }
    let ScoringModel::Rated(m) = &s.scoring else { panic!("rated") };
    let labels: Vec<&str> = m.levels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["完全落实", "基本落实", "未落实"]);
    assert_eq!(m.levels.iter().map(|l| l.needs_explanation).collect::<Vec<_>>(), [false, false, true]);
    let na = m.not_applicable.as_ref().unwrap();
    assert_eq!((na.code.as_str(), na.label.as_str()), ("NA", "不适用"));
    assert_eq!(na.phrase, "不属于本级履行教育职责范围");
    assert_eq!(m.leaf_noun, None);
    assert!(s.provenance.note.as_deref().unwrap().contains("92个测评点"));
}

#[test]
fn sample_24_points_add_up_to_100() {
    let s = load_bundled("sample-county-24.json");
    assert!(!s.official);
    assert!(!s.name.starts_with("示例"), "the UI adds 示例 from official: false");
    assert!(s.display_name().starts_with("示例："));
    assert_eq!(s.short_name.as_deref(), Some("示例24项"));
    assert!(s.provenance.note.as_deref().unwrap().contains("示例"));
    let leaves = s.leaves();
    assert_eq!(leaves.len(), 24);
    for (i, leaf) in leaves.iter().enumerate() {
        assert_eq!(leaf.code, (i + 1).to_string());
        assert!(leaf.scoring_rule.is_some() && !leaf.evidence.is_empty(), "{}", leaf.code);
    }
    let sum: Points = leaves.iter().map(|l| l.max_score.unwrap()).sum();
    assert_eq!(sum, Points::whole(100));
    let ScoringModel::Points(m) = &s.scoring else { panic!("points") };
    assert_eq!((m.total, m.decimals), (Points::whole(100), 1));
    let grades: Vec<(&str, Points)> = m.grades.iter().map(|g| (g.grade.as_str(), g.min)).collect();
    assert_eq!(
        grades,
        [("A", Points::whole(90)), ("B", Points::whole(75)), ("C", Points::whole(60)), ("D", Points::ZERO)]
    );
    let bonus = m.bonus.as_ref().unwrap();
    assert_eq!(bonus.cap, Points::whole(3));
    assert_eq!(bonus.items.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), ["B1", "B2", "B3"]);

    let pending: Vec<&str> = leaves.iter().filter(|l| l.pending_label.is_some()).map(|l| l.code.as_str()).collect();
    assert_eq!(pending, ["24"]);
    assert_eq!(s.find("24").unwrap().pending_label.as_deref(), Some("公众满意度"));

    // The figure bindings and their parameters.
    let fig = |code: &str, figure: &str| -> FigureBinding {
        s.find(code)
            .unwrap()
            .figures
            .iter()
            .find(|f| f.figure == figure)
            .cloned()
            .unwrap_or_else(|| panic!("{code}/{figure}"))
    };
    let f15 = fig("15", "school_size");
    assert_eq!(
        (f15.thresholds["primary_max"], f15.thresholds["junior_max"], f15.thresholds["through_max"]),
        (2000.0, 2000.0, 2500.0)
    );
    assert_eq!(f15.deduction["per_school"], 0.5);
    let f16 = fig("16", "cv");
    assert_eq!(
        (f16.thresholds["primary_max"], f16.thresholds["junior_max"], f16.deduction["per_item"]),
        (0.5, 0.45, 0.5)
    );
    let f24 = fig("24", "satisfaction");
    assert_eq!((f24.thresholds["min"], f24.deduction["per_point"]), (85.0, 0.4));
    let f14 = fig("14", "big_class");
    assert_eq!((f14.thresholds["big_min"], f14.thresholds["super_min"]), (56.0, 66.0));
    assert_eq!(fig("6", "two_no_decrease").deduction["per_item"], 3.0);
    assert_eq!(fig("13", "migrant_public_share").thresholds["min_pct"], 85.0);
    assert_eq!(fig("19", "disabled_enrolment").thresholds["min_pct"], 95.0);
    fig("8", "teacher_pay");
    fig("12", "preschool_public_share");
    fig("12", "preschool_inclusive_coverage");
    let bound: Vec<&str> = leaves.iter().filter(|l| !l.figures.is_empty()).map(|l| l.code.as_str()).collect();
    assert_eq!(bound, ["6", "8", "12", "13", "14", "15", "16", "19", "24"]);
}

#[test]
fn quality_balance_2017_shape_and_thresholds() {
    let s = load_bundled("county-quality-balance-2017.json");
    let sizes: Vec<(&str, usize)> = s.leaf_groups().iter().map(|(g, l)| (g.title.as_str(), l.len())).collect();
    assert_eq!(sizes, [("资源配置", 8), ("政府保障程度", 15), ("教育质量", 9), ("社会认可度", 1)]);
    let ScoringModel::Rated(m) = &s.scoring else { panic!("rated") };
    assert_eq!(
        m.levels.iter().map(|l| (l.code.as_str(), l.label.as_str())).collect::<Vec<_>>(),
        [("Y", "达标"), ("N", "未达标")]
    );
    assert!(m.levels[1].needs_explanation);

    let expected = [
        ("R1", 4.2, 5.3),
        ("R2", 1.0, 1.0),
        ("R3", 0.9, 0.9),
        ("R4", 4.5, 5.8),
        ("R5", 7.5, 10.2),
        ("R6", 2000.0, 2500.0),
        ("R7", 2.3, 2.4),
    ];
    for (code, primary, junior) in expected {
        let n = s.find(code).unwrap();
        let f = n.figures.iter().find(|f| f.figure == "resource_indicator").unwrap();
        assert_eq!((f.thresholds["primary_min"], f.thresholds["junior_min"]), (primary, junior), "{code}");
        assert!(n.text.is_some(), "{code}");
    }
    let r8 = s.find("R8").unwrap();
    let cv = r8.figures.iter().find(|f| f.figure == "cv").unwrap();
    assert_eq!((cv.thresholds["primary_max"], cv.thresholds["junior_max"]), (0.5, 0.45));
    let sa = r8.figures.iter().find(|f| f.figure == "school_attainment").unwrap();
    assert_eq!((sa.thresholds["min_met"], sa.thresholds["rest_ratio"]), (6.0, 0.85));
    assert!(s.find("G7").unwrap().note.as_deref().unwrap().contains("6000"));
    let s1 = s.find("S1").unwrap();
    assert_eq!(s1.figures[0].thresholds["min"], 85.0);
}

#[test]
fn preschool_2020_headline_thresholds() {
    let s = load_bundled("county-preschool-2020.json");
    let titles: Vec<&str> = s.children.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(titles[..3], ["普及普惠水平", "政府保障情况", "幼儿园保教质量保障情况"]);
    let min = |figure: &str| -> f64 {
        s.leaves().iter().flat_map(|l| l.figures.iter()).find(|f| f.figure == figure).unwrap().thresholds["min_pct"]
    };
    assert_eq!(min("preschool_gross_enrolment"), 85.0);
    assert_eq!(min("preschool_inclusive_coverage"), 80.0);
    assert_eq!(min("preschool_public_share"), 50.0);
}

/// The complete example in `docs/indicator-system-format.md` is valid (keeps the doc honest).
#[test]
fn documented_example_is_valid() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/indicator-system-format.md");
    let doc = std::fs::read_to_string(&path).expect("docs/indicator-system-format.md");
    let start = doc.find("```json\n").expect("a ```json block") + "```json\n".len();
    let end = start + doc[start..].find("```").expect("end of the block");
    let s = load_system("indicator-system-format.md", &doc[start..end]).unwrap_or_else(|ps| panic!("{ps:?}"));
    assert_eq!(s.leaves().len(), 3);
}
