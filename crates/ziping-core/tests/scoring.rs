//! Scoring, conclusion and completeness, checked together and data-driven.
//!
//! Each case is an input plus what is expected of it; [`check`] runs `summarize`, `conclusion`
//! and `missing` and compares only the fields the case states. The two worked examples of
//! `shared/data/checks/conclusions.json` must come out character for character. To add a case,
//! append a [`Case`] to one of the tables below.

use std::collections::BTreeMap;

use proptest::prelude::*;
use ziping_core::assessment::{AssessmentInput, BonusClaim, Deduction, Entry};
use ziping_core::completeness::missing;
use ziping_core::conclusion::conclusion;
use ziping_core::points::Points;
use ziping_core::scoring::summarize;
use ziping_core::summary::{MissingKind, Summary};
use ziping_core::system::{
    Bonus, BonusItem, Grade, IndicatorSystem, Level, Node, NotApplicable, PointsModel, Provenance,
    RatedModel, ScoringModel, SYSTEM_FORMAT,
};

// ---------------------------------------------------------------------------------------------
// Test systems, built in code.
// ---------------------------------------------------------------------------------------------

const POINTS_NAME: &str = "县级人民政府履行教育职责评价指标体系";
const RATED_NAME: &str = "对省级人民政府履行教育职责的评价";

/// Maxes of the 24 leaves, in five groups.
const MAXES: [&[i64]; 5] = [
    &[4, 4, 4, 4, 4],
    &[6, 4, 6, 4, 4, 4],
    &[5, 4, 4, 3, 4, 3, 3, 4],
    &[3, 3, 3, 3],
    &[10],
];

fn p(s: &str) -> Points {
    Points::parse(s).unwrap_or_else(|| panic!("bad points {s}"))
}

fn leaf(code: String, max: Option<Points>) -> Node {
    Node {
        title: format!("测评点{code}"),
        code,
        max_score: max,
        ..Node::default()
    }
}

fn group(code: &str, children: Vec<Node>) -> Node {
    Node {
        code: code.to_string(),
        title: format!("指标{code}"),
        children,
        ..Node::default()
    }
}

fn system(
    name: &str,
    level_names: &[&str],
    scoring: ScoringModel,
    children: Vec<Node>,
) -> IndicatorSystem {
    IndicatorSystem {
        format: SYSTEM_FORMAT,
        id: "test".into(),
        version: "1".into(),
        years: None,
        name: name.into(),
        short_name: None,
        official: true,
        issuer: None,
        provenance: Provenance::default(),
        level_names: level_names.iter().map(|s| s.to_string()).collect(),
        scoring,
        children,
    }
}

/// The 24-point county system: 100 分, A≥90/B≥75/C≥60/D≥0, bonus capped at 3, leaf 24 pending.
fn points_system() -> IndicatorSystem {
    let tops = ["一", "二", "三", "四", "五"];
    let mut n = 0;
    let children = MAXES
        .iter()
        .zip(tops)
        .map(|(maxes, top)| {
            let leaves = maxes
                .iter()
                .map(|&m| {
                    n += 1;
                    let mut l = leaf(n.to_string(), Some(Points::whole(m)));
                    if n == 24 {
                        l.pending_label = Some("公众满意度".into());
                    }
                    l
                })
                .collect();
            group(top, leaves)
        })
        .collect();
    let grades = [("A", 90), ("B", 75), ("C", 60), ("D", 0)]
        .iter()
        .map(|&(g, m)| Grade {
            grade: g.into(),
            min: Points::whole(m),
        })
        .collect();
    let items = [("B1", 2), ("B2", 1), ("B3", 1)]
        .iter()
        .map(|&(c, s)| BonusItem {
            code: c.into(),
            title: format!("加分项{c}"),
            score: Points::whole(s),
        })
        .collect();
    let model = PointsModel {
        total: Points::whole(100),
        decimals: 1,
        grades,
        bonus: Some(Bonus {
            cap: Points::whole(3),
            items,
        }),
    };
    system(
        POINTS_NAME,
        &["一级指标", "测评点"],
        ScoringModel::Points(model),
        children,
    )
}

fn rated_model(with_na: bool, levels: usize) -> RatedModel {
    let all = [
        ("A", "完全落实", false),
        ("B", "基本落实", false),
        ("C", "未落实", true),
        ("D", "第四级", false),
        ("E", "第五级", false),
    ];
    RatedModel {
        levels: all[..levels]
            .iter()
            .map(|&(code, label, needs)| Level {
                code: code.into(),
                label: label.into(),
                needs_explanation: needs,
            })
            .collect(),
        not_applicable: with_na.then(|| NotApplicable {
            code: "NA".into(),
            label: "不适用".into(),
            phrase: "不属于本级履行教育职责范围".into(),
        }),
        leaf_noun: None,
    }
}

/// A rated system with `n` leaves "1".."n" three levels deep (评价内容 → 测评内容 → 测评点).
fn rated_system_with(n: usize, model: RatedModel) -> IndicatorSystem {
    let mut tops: Vec<Node> = Vec::new();
    for (i, chunk) in (1..=n).collect::<Vec<_>>().chunks(16).enumerate() {
        let mids = chunk
            .chunks(4)
            .enumerate()
            .map(|(j, c)| {
                group(
                    &format!("{}.{}", i + 1, j + 1),
                    c.iter().map(|k| leaf(k.to_string(), None)).collect(),
                )
            })
            .collect();
        tops.push(group(&format!("T{}", i + 1), mids));
    }
    system(
        RATED_NAME,
        &["评价内容", "测评内容", "测评点"],
        ScoringModel::Rated(model),
        tops,
    )
}

fn rated_system(n: usize) -> IndicatorSystem {
    rated_system_with(n, rated_model(true, 3))
}

/// The national system before its 测评点 are imported: 38 leaves at the 测评内容 level.
fn rated_38() -> IndicatorSystem {
    let children = (1..=38)
        .collect::<Vec<_>>()
        .chunks(7)
        .enumerate()
        .map(|(i, c)| {
            group(
                &format!("T{}", i + 1),
                c.iter().map(|k| leaf(k.to_string(), None)).collect(),
            )
        })
        .collect();
    system(
        RATED_NAME,
        &["评价内容", "测评内容", "测评点"],
        ScoringModel::Rated(rated_model(true, 3)),
        children,
    )
}

// ---------------------------------------------------------------------------------------------
// Inputs.
// ---------------------------------------------------------------------------------------------

#[derive(Clone)]
struct In(AssessmentInput);

fn input() -> In {
    In(AssessmentInput {
        region: "示例县".into(),
        entries: BTreeMap::new(),
        bonus: Vec::new(),
    })
}

impl In {
    fn region(mut self, r: &str) -> In {
        self.0.region = r.into();
        self
    }
    fn entry(&mut self, code: &str) -> &mut Entry {
        self.0.entries.entry(code.to_string()).or_default()
    }
    /// Marks leaves `1..=n` as scored.
    fn score_upto(mut self, n: usize) -> In {
        for i in 1..=n {
            self.entry(&i.to_string()).scored = true;
        }
        self
    }
    fn score_all(self) -> In {
        self.score_upto(24)
    }
    fn unscore(mut self, code: &str) -> In {
        self.0.entries.remove(code);
        self
    }
    fn deduct(mut self, code: &str, amount: &str, reason: &str) -> In {
        let e = self.entry(code);
        e.scored = true;
        e.deductions.push(Deduction {
            amount: p(amount),
            reason: reason.into(),
        });
        self
    }
    fn bonus(mut self, code: &str, note: &str) -> In {
        self.0.bonus.push(BonusClaim {
            code: code.into(),
            note: note.into(),
        });
        self
    }
    fn rate(mut self, code: &str, rating: &str, note: &str) -> In {
        let e = self.entry(code);
        e.rating = Some(rating.into());
        e.note = note.into();
        self
    }
    /// Rates leaves from `from` on: `counts[i]` leaves with `ratings[i]`, each with a note.
    fn rate_run(mut self, from: usize, ratings: &[(&str, usize)]) -> In {
        let mut k = from;
        for &(r, n) in ratings {
            for _ in 0..n {
                self = self.rate(&k.to_string(), r, "说明。");
                k += 1;
            }
        }
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Expectations and the check helper.
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Expect {
    // Points model.
    score: Option<&'static str>,
    grade: Option<Option<&'static str>>,
    scored: Option<usize>,
    scored_max: Option<&'static str>,
    bonus: Option<&'static str>,
    bonus_claimed: Option<&'static str>,
    pending: Option<&'static [&'static str]>,
    groups: Option<&'static [&'static str]>,
    deduction_points: Option<&'static [&'static str]>,
    // Rated model: (applicable, not_applicable, unrated) and shares of every level.
    counts: Option<(usize, usize, usize)>,
    shares: Option<&'static [&'static str]>,
    // Both.
    conclusion: Option<String>,
    missing: Option<Vec<(&'static str, MissingKind)>>,
    message_contains: Option<&'static [&'static str]>,
}

struct Case {
    name: &'static str,
    input: In,
    expect: Expect,
}

fn check(system: &IndicatorSystem, case: &Case) {
    let name = case.name;
    let input = &case.input.0;
    let e = &case.expect;
    let summary = summarize(system, input);
    match &summary {
        Summary::Points(s) => {
            if let Some(v) = e.score {
                assert_eq!(s.score.to_string(), v, "{name}: score");
            }
            if let Some(v) = e.grade {
                assert_eq!(s.grade.as_deref(), v, "{name}: grade");
            }
            if let Some(v) = e.scored {
                assert_eq!(s.scored, v, "{name}: scored");
            }
            if let Some(v) = e.scored_max {
                assert_eq!(s.scored_max.to_string(), v, "{name}: scored_max");
            }
            if let Some(v) = e.bonus {
                assert_eq!(s.bonus.to_string(), v, "{name}: bonus");
            }
            if let Some(v) = e.bonus_claimed {
                assert_eq!(s.bonus_claimed.to_string(), v, "{name}: bonus_claimed");
            }
            if let Some(v) = e.pending {
                let got: Vec<&str> = s.pending.iter().map(|p| p.point.as_str()).collect();
                assert_eq!(got, v, "{name}: pending");
            }
            if let Some(v) = e.groups {
                let got: Vec<String> = s
                    .groups
                    .iter()
                    .map(|g| format!("{}/{}", g.score, g.max))
                    .collect();
                assert_eq!(got, v, "{name}: groups");
            }
            if let Some(v) = e.deduction_points {
                let got: Vec<&str> = s.deductions.iter().map(|d| d.point.as_str()).collect();
                assert_eq!(got, v, "{name}: deductions");
            }
            assert_eq!(s.total, Points::whole(100), "{name}: total");
            assert_eq!(s.leaves, 24, "{name}: leaves");
            assert!(s.score <= s.scored_max, "{name}: score ≤ scored_max");
        }
        Summary::Rated(s) => {
            if let Some(v) = e.counts {
                assert_eq!(
                    (s.applicable, s.not_applicable, s.unrated),
                    v,
                    "{name}: counts"
                );
            }
            if let Some(v) = e.shares {
                let got: Vec<&str> = s.levels.iter().map(|l| l.share.as_str()).collect();
                assert_eq!(got, v, "{name}: shares");
            }
            assert_eq!(
                s.applicable + s.not_applicable + s.unrated,
                s.total,
                "{name}: partition"
            );
        }
    }
    if let Some(v) = &e.conclusion {
        assert_eq!(
            &conclusion(system, input, &summary),
            v,
            "{name}: conclusion"
        );
    }
    let got = missing(system, input);
    if let Some(v) = &e.missing {
        let kinds: Vec<(&str, MissingKind)> =
            got.iter().map(|m| (m.point.as_str(), m.kind)).collect();
        assert_eq!(&kinds, v, "{name}: missing");
    }
    if let Some(v) = e.message_contains {
        let all: String = got
            .iter()
            .map(|m| m.message.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        for needle in v {
            assert!(
                all.contains(needle),
                "{name}: missing messages lack {needle:?}:\n{all}"
            );
        }
    }
    for m in &got {
        assert!(
            m.message.ends_with('。') || m.message.ends_with('”'),
            "{name}: message {:?}",
            m.message
        );
        assert!(
            !m.message.contains(',') && !m.message.contains(';'),
            "{name}: ASCII punctuation in {:?}",
            m.message
        );
    }
}

fn run(system: &IndicatorSystem, cases: &[Case]) {
    for case in cases {
        check(system, case);
    }
}

// ---------------------------------------------------------------------------------------------
// The worked examples of conclusions.json.
// ---------------------------------------------------------------------------------------------

fn examples() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/checks/conclusions.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("conclusions.json parses")
}

/// The expected phrasing of an example with the system's name in 《》 (where it names one).
fn phrasing(key: &str, name: &str) -> String {
    let v = examples();
    let raw = v[key]["phrasing"]
        .as_str()
        .unwrap_or_else(|| panic!("{key}.phrasing"));
    raw.replace("《…》", &format!("《{name}》"))
}

/// The 缙云 input, taken from the file: every leaf scored, the three deductions as given.
fn jinyun_input() -> In {
    let v = examples();
    let mut inp = input().score_all();
    for d in v["points_model_example"]["input"]["deductions"]
        .as_array()
        .unwrap()
    {
        let amount = Points::from_f64_exact(d["amount"].as_f64().unwrap()).unwrap();
        inp = inp.deduct(
            d["point"].as_str().unwrap(),
            &amount.to_string(),
            d["reason"].as_str().unwrap(),
        );
    }
    inp
}

#[test]
fn example_points_model_is_reproduced() {
    let sys = points_system();
    let v = examples();
    let expected = &v["points_model_example"]["expected"];
    let inp = jinyun_input();
    let Summary::Points(s) = summarize(&sys, &inp.0) else {
        panic!("points summary")
    };
    assert_eq!(s.score.as_f64(), expected["score"].as_f64().unwrap());
    assert_eq!(s.grade.as_deref(), expected["grade"].as_str());
    check(
        &sys,
        &Case {
            name: "缙云",
            input: inp,
            expect: Expect {
                score: Some("95.8"),
                grade: Some(Some("A")),
                conclusion: Some(phrasing("points_model_example", POINTS_NAME)),
                deduction_points: Some(&["15", "16", "24"]),
                missing: Some(vec![]),
                ..Expect::default()
            },
        },
    );
}

#[test]
fn example_points_model_with_pending_and_bonus_is_reproduced() {
    let sys = points_system();
    check(
        &sys,
        &Case {
            name: "南湖",
            input: input()
                .region("南湖区")
                .score_upto(23)
                .deduct("7", "0.5", "1所学校大班额")
                .bonus("B1", "2019年通过认定。"),
            expect: Expect {
                score: Some("89.5"),
                scored: Some(23),
                scored_max: Some("90"),
                grade: Some(None),
                bonus: Some("2"),
                pending: Some(&["24"]),
                conclusion: Some(phrasing("points_model_with_bonus_example", POINTS_NAME)),
                missing: Some(vec![("24", MissingKind::Unrated)]),
                message_contains: Some(&["第24测评点（公众满意度）尚待调查结果，暂未评分。"]),
                ..Expect::default()
            },
        },
    );
}

#[test]
fn example_rated_model_is_reproduced() {
    let v = examples();
    let ex = &v["rated_model_example"];
    let n = ex["input"]["points"].as_u64().unwrap() as usize;
    let na = ex["input"]["not_applicable"].as_u64().unwrap() as usize;
    let levels = &ex["input"]["levels"];
    let a = levels["完全落实"].as_u64().unwrap() as usize;
    let b = levels["基本落实"].as_u64().unwrap() as usize;
    let c = levels["未落实"].as_u64().unwrap() as usize;
    let sys = rated_system(n);
    check(
        &sys,
        &Case {
            name: "兵团",
            input: input()
                .region("第一师")
                .rate_run(1, &[("NA", na), ("A", a), ("B", b), ("C", c)]),
            expect: Expect {
                counts: Some((74, 18, 0)),
                shares: Some(&["90.54", "9.46", "0.00"]),
                conclusion: Some(phrasing("rated_model_example", RATED_NAME)),
                missing: Some(vec![]),
                ..Expect::default()
            },
        },
    );
    let shares = &ex["expected"]["shares"];
    assert_eq!(shares["完全落实"], "90.54%");
    assert_eq!(shares["基本落实"], "9.46%");
}

// ---------------------------------------------------------------------------------------------
// Points model.
// ---------------------------------------------------------------------------------------------

fn full(tail: &str) -> String {
    format!("对照《{POINTS_NAME}》24个测评点，我县进行了认真的自查自评，{tail}")
}

#[test]
fn points_cases() {
    let sys = points_system();
    let cases = [
        Case {
            name: "nothing deducted",
            input: input().score_all(),
            expect: Expect {
                score: Some("100"),
                grade: Some(Some("A")),
                groups: Some(&["20/20", "28/28", "30/30", "12/12", "10/10"]),
                conclusion: Some(full("自评等级为A等，自评得分100分，各测评点均未扣分。")),
                missing: Some(vec![]),
                ..Expect::default()
            },
        },
        Case {
            name: "clamped at 0",
            input: input().score_all().deduct("1", "3", "甲").deduct("1", "3", "乙"),
            expect: Expect {
                score: Some("96"),
                groups: Some(&["16/20", "28/28", "30/30", "12/12", "10/10"]),
                deduction_points: Some(&["1", "1"]),
                conclusion: Some(full("自评等级为A等，自评得分96分。其中，第1测评点因甲，扣3分；因乙，扣3分。")),
                ..Expect::default()
            },
        },
        Case {
            name: "whole leaf 24 lost",
            input: input().score_all().deduct("24", "12", "满意度调查未开展"),
            expect: Expect { score: Some("90"), grade: Some(Some("A")), ..Expect::default() },
        },
        Case {
            name: "exactly 90 is A",
            input: input().score_all().deduct("24", "10", "x"),
            expect: Expect { score: Some("90"), grade: Some(Some("A")), ..Expect::default() },
        },
        Case {
            name: "89.9 is B",
            input: input().score_all().deduct("24", "10", "x").deduct("1", "0.1", "y"),
            expect: Expect { score: Some("89.9"), grade: Some(Some("B")), ..Expect::default() },
        },
        Case {
            name: "exactly 75 is B, 74.9 is C",
            input: input().score_all().deduct("24", "10", "x").deduct("6", "6", "y").deduct("8", "6", "z").deduct("12", "3", "w"),
            expect: Expect { score: Some("75"), grade: Some(Some("B")), ..Expect::default() },
        },
        Case {
            name: "74.9 is C",
            input: input().score_all().deduct("24", "10", "x").deduct("6", "6", "y").deduct("8", "6", "z").deduct("12", "3.1", "w"),
            expect: Expect { score: Some("74.9"), grade: Some(Some("C")), ..Expect::default() },
        },
        Case {
            name: "D below 60",
            input: input()
                .score_all()
                .deduct("24", "10", "a")
                .deduct("6", "6", "b")
                .deduct("8", "6", "c")
                .deduct("12", "5", "d")
                .deduct("13", "4", "e")
                .deduct("14", "4", "f")
                .deduct("15", "3", "g")
                .deduct("16", "3", "h"),
            expect: Expect { score: Some("59"), grade: Some(Some("D")), ..Expect::default() },
        },
        Case {
            name: "rounding half away from zero to one decimal",
            input: input().score_all().deduct("1", "0.25", "a"),
            expect: Expect {
                score: Some("99.8"),
                groups: Some(&["19.75/20", "28/28", "30/30", "12/12", "10/10"]),
                ..Expect::default()
            },
        },
        Case {
            name: "rounding down",
            input: input().score_all().deduct("1", "0.26", "a").deduct("2", "0.3", "b"),
            expect: Expect { score: Some("99.4"), ..Expect::default() },
        },
        Case {
            name: "rounding 89.95 to 90 grades A on the printed score",
            input: input().score_all().deduct("24", "10", "a").deduct("1", "0.05", "b"),
            expect: Expect { score: Some("90"), grade: Some(Some("A")), ..Expect::default() },
        },
        Case {
            name: "bonus within cap",
            input: input().score_all().bonus("B1", "认定文件").bonus("B2", "认定文件"),
            expect: Expect {
                bonus: Some("3"),
                bonus_claimed: Some("3"),
                score: Some("100"),
                conclusion: Some(full("自评等级为A等，自评得分100分，各测评点均未扣分，另根据加分指标标准，自评加分3分。")),
                ..Expect::default()
            },
        },
        Case {
            name: "bonus capped, duplicates and unknown codes ignored",
            input: input()
                .score_all()
                .deduct("15", "1", "2所学校超规模办学。")
                .bonus("B1", "a")
                .bonus("B2", "b")
                .bonus("B3", "c")
                .bonus("B1", "again")
                .bonus("X9", "unknown"),
            expect: Expect {
                bonus: Some("3"),
                bonus_claimed: Some("4"),
                score: Some("99"),
                conclusion: Some(full(
                    "自评等级为A等，自评得分99分，另根据加分指标标准，自评加分3分（申报4分，按加分上限计3分）。其中，第15测评点因2所学校超规模办学，扣1分。",
                )),
                missing: Some(vec![]),
                ..Expect::default()
            },
        },
        Case {
            name: "bonus never in the grade",
            input: input().score_all().deduct("24", "10", "a").deduct("1", "0.1", "b").bonus("B1", "a"),
            expect: Expect { score: Some("89.9"), grade: Some(Some("B")), bonus: Some("2"), ..Expect::default() },
        },
        Case {
            name: "deductions in leaf order, reason without a reason",
            input: input().score_all().deduct("16", "1", "乙，丙；").deduct("3", "0.5", "").deduct("16", "0.5", ""),
            expect: Expect {
                score: Some("98"),
                deduction_points: Some(&["3", "16", "16"]),
                conclusion: Some(full("自评等级为A等，自评得分98分。其中，第3测评点扣0.5分；第16测评点因乙丙，扣1分；另扣0.5分。")),
                missing: Some(vec![("3", MissingKind::DeductionWithoutReason), ("16", MissingKind::DeductionWithoutReason)]),
                message_contains: Some(&["第3测评点的扣分（0.5分）未填写扣分原因。", "第16测评点的第2项扣分（0.5分）未填写扣分原因。"]),
                ..Expect::default()
            },
        },
        Case {
            name: "a leaf with deductions counts as scored without the flag",
            input: input().score_upto(23).deduct("24", "2.2", "满意度79.62分，未达标"),
            expect: Expect { scored: Some(24), score: Some("97.8"), grade: Some(Some("A")), ..Expect::default() },
        },
        Case {
            name: "pending without bonus or deductions",
            input: input().score_upto(23),
            expect: Expect {
                score: Some("90"),
                grade: Some(None),
                conclusion: Some(format!("对照《{POINTS_NAME}》，除“公众满意度”外，23个测评点自评得分为90分。")),
                ..Expect::default()
            },
        },
        Case {
            name: "incomplete with pending",
            input: input().score_upto(20),
            expect: Expect {
                scored: Some(20),
                score: Some("81"),
                scored_max: Some("81"),
                grade: Some(None),
                pending: Some(&["24"]),
                groups: Some(&["20/20", "28/28", "30/30", "3/12", "0/10"]),
                conclusion: Some(format!(
                    "对照《{POINTS_NAME}》24个测评点，目前已自评20个测评点，自评得分为81分（满分81分）；另有4个测评点尚未评分（含“公众满意度”），自评等级待全部评分后确定。"
                )),
                missing: Some(vec![
                    ("21", MissingKind::Unrated),
                    ("22", MissingKind::Unrated),
                    ("23", MissingKind::Unrated),
                    ("24", MissingKind::Unrated),
                ]),
                message_contains: Some(&["第21测评点尚未评分。"]),
                ..Expect::default()
            },
        },
        Case {
            name: "incomplete without pending, with bonus",
            input: input().score_all().unscore("3").deduct("5", "1", "x").bonus("B2", ""),
            expect: Expect {
                scored: Some(23),
                score: Some("95"),
                scored_max: Some("96"),
                grade: Some(None),
                pending: Some(&[]),
                conclusion: Some(format!(
                    "对照《{POINTS_NAME}》24个测评点，目前已自评23个测评点，自评得分为95分（满分96分），另根据加分指标标准，自评加分1分；另有1个测评点尚未评分，自评等级待全部评分后确定。"
                )),
                missing: Some(vec![("3", MissingKind::Unrated), ("B2", MissingKind::BonusWithoutExplanation)]),
                message_contains: Some(&["加分项B2（加分项B2）未填写申报依据。"]),
                ..Expect::default()
            },
        },
        Case {
            name: "nothing scored",
            input: input().bonus("B1", "x"),
            expect: Expect {
                scored: Some(0),
                score: Some("0"),
                grade: Some(None),
                conclusion: Some(format!("对照《{POINTS_NAME}》24个测评点，尚未开始评分。")),
                ..Expect::default()
            },
        },
        Case {
            name: "entries for unknown codes are ignored",
            input: input().score_all().deduct("99", "5", "x").deduct("一", "5", "x"),
            expect: Expect { score: Some("100"), deduction_points: Some(&[]), missing: Some(vec![]), ..Expect::default() },
        },
        Case {
            name: "region 区",
            input: input().region("某某区").score_all(),
            expect: Expect {
                conclusion: Some(format!(
                    "对照《{POINTS_NAME}》24个测评点，我区进行了认真的自查自评，自评等级为A等，自评得分100分，各测评点均未扣分。"
                )),
                ..Expect::default()
            },
        },
    ];
    run(&sys, &cases);
}

#[test]
fn the_name_is_cited_as_written_and_non_numeric_codes_read_naturally() {
    let mut sys = points_system();
    sys.official = false;
    sys.name = "县级评价".into();
    // Renames leaf 15 to "G15".
    sys.children[2].children[3].code = "G15".into();
    let inp = input()
        .score_all()
        .unscore("15")
        .deduct("G15", "1", "超规模");
    let summary = summarize(&sys, &inp.0);
    assert_eq!(
        conclusion(&sys, &inp.0, &summary),
        "对照《县级评价》24个测评点，我县进行了认真的自查自评，自评等级为A等，自评得分99分。其中，测评点G15因超规模，扣1分。"
    );
}

#[test]
fn systems_without_grades_or_bonus() {
    let mut sys = points_system();
    if let ScoringModel::Points(m) = &mut sys.scoring {
        m.grades.clear();
        m.bonus = None;
    }
    let inp = input().score_all().deduct("2", "1", "x").bonus("B1", "");
    let summary = summarize(&sys, &inp.0);
    let Summary::Points(s) = &summary else {
        panic!()
    };
    assert_eq!(
        (s.grade.as_deref(), s.bonus, s.bonus_claimed),
        (None, Points::ZERO, Points::ZERO)
    );
    assert_eq!(
        conclusion(&sys, &inp.0, &summary),
        full("自评得分99分。其中，第2测评点因x，扣1分。")
    );
    assert!(missing(&sys, &inp.0).is_empty());
    let partial = input().score_upto(10);
    let summary = summarize(&sys, &partial.0);
    assert!(conclusion(&sys, &partial.0, &summary)
        .ends_with("另有14个测评点尚未评分（含“公众满意度”）。"));
}

// ---------------------------------------------------------------------------------------------
// Rated model.
// ---------------------------------------------------------------------------------------------

#[test]
fn rated_cases() {
    let sys = rated_system(92);
    let head = "经自查，92个测评点中";
    let cases = [
        Case {
            name: "thirds",
            input: input().rate_run(1, &[("A", 1), ("B", 1), ("C", 1), ("NA", 89)]),
            expect: Expect { counts: Some((3, 89, 0)), shares: Some(&["33.34", "33.33", "33.33"]), ..Expect::default() },
        },
        Case {
            name: "two thirds",
            input: input().rate_run(1, &[("A", 2), ("C", 1), ("NA", 89)]),
            expect: Expect {
                shares: Some(&["66.67", "0.00", "33.33"]),
                conclusion: Some(format!(
                    "{head}有89个测评点不属于本级履行教育职责范围；实际自查自评测评点为3个，完全落实的有2项，占66.67%；未落实的有1项，占33.33%。"
                )),
                ..Expect::default()
            },
        },
        Case {
            name: "all one level",
            input: input().rate_run(1, &[("B", 92)]),
            expect: Expect {
                counts: Some((92, 0, 0)),
                shares: Some(&["0.00", "100.00", "0.00"]),
                conclusion: Some(format!("{head}，基本落实的有92项，占100.00%。")),
                ..Expect::default()
            },
        },
        Case {
            name: "ties go to the earlier level",
            input: input().rate_run(1, &[("A", 1), ("B", 2), ("C", 3), ("NA", 86)]),
            expect: Expect { shares: Some(&["16.67", "33.33", "50.00"]), ..Expect::default() },
        },
        Case {
            name: "unrated leaves are counted and said",
            input: input().rate_run(1, &[("NA", 2), ("A", 80)]).rate("83", "X", "unknown level"),
            expect: Expect {
                counts: Some((80, 2, 10)),
                shares: Some(&["100.00", "0.00", "0.00"]),
                conclusion: Some(format!(
                    "{head}有2个测评点不属于本级履行教育职责范围；实际自查自评测评点为80个，完全落实的有80项，占100.00%。另有10个测评点尚未自评。"
                )),
                missing: Some((83..=92).map(|k| (leak(k), MissingKind::Unrated)).collect()),
                message_contains: Some(&["第83测评点的评定结果“X”不在本指标体系的等级中，请重新评定。", "第84测评点尚未自评。"]),
                ..Expect::default()
            },
        },
        Case {
            name: "unrated without NA",
            input: input().rate_run(1, &[("A", 45), ("B", 45)]),
            expect: Expect {
                conclusion: Some(format!(
                    "{head}已自评90个，完全落实的有45项，占50.00%；基本落实的有45项，占50.00%。另有2个测评点尚未自评。"
                )),
                ..Expect::default()
            },
        },
        Case {
            name: "nothing rated",
            input: input(),
            expect: Expect {
                counts: Some((0, 0, 92)),
                shares: Some(&["0.00", "0.00", "0.00"]),
                conclusion: Some("92个测评点均尚未自评。".into()),
                ..Expect::default()
            },
        },
        Case {
            name: "all not applicable",
            input: input().rate_run(1, &[("NA", 92)]),
            expect: Expect {
                counts: Some((0, 92, 0)),
                shares: Some(&["0.00", "0.00", "0.00"]),
                conclusion: Some("经自查，92个测评点均不属于本级履行教育职责范围。".into()),
                ..Expect::default()
            },
        },
        Case {
            name: "NA and unrated only",
            input: input().rate_run(1, &[("NA", 90)]),
            expect: Expect {
                conclusion: Some(format!("{head}有90个测评点不属于本级履行教育职责范围。另有2个测评点尚未自评。")),
                ..Expect::default()
            },
        },
        Case {
            name: "NA and 未落实 without a note",
            input: input().rate_run(1, &[("A", 88)]).rate("89", "NA", "").rate("90", "C", "  ").rate("91", "C", "有问题。").rate("92", "NA", "本县没有高等教育院校。"),
            expect: Expect {
                missing: Some(vec![
                    ("89", MissingKind::NotApplicableWithoutExplanation),
                    ("90", MissingKind::LevelWithoutExplanation),
                ]),
                message_contains: Some(&["第89测评点不适用须说明依据，如“本县没有高等教育院校。”", "第90测评点评为“未落实”，须填写自评说明"]),
                ..Expect::default()
            },
        },
        Case {
            name: "entries for unknown codes are ignored",
            input: input().rate_run(1, &[("A", 92)]).rate("93", "C", "").rate("T1", "A", ""),
            expect: Expect { counts: Some((92, 0, 0)), missing: Some(vec![]), ..Expect::default() },
        },
    ];
    run(&sys, &cases);
}

/// A `&'static str` for a leaf code in an expectation table.
fn leak(k: usize) -> &'static str {
    Box::leak(k.to_string().into_boxed_str())
}

#[test]
fn rated_38_without_na_uses_the_level_name_of_the_leaves() {
    let sys = rated_38();
    let inp = input().rate_run(1, &[("A", 30), ("B", 8)]);
    check(
        &sys,
        &Case {
            name: "38",
            input: inp,
            expect: Expect {
                shares: Some(&["78.95", "21.05", "0.00"]),
                conclusion: Some("经自查，38个测评内容中，完全落实的有30项，占78.95%；基本落实的有8项，占21.05%。".into()),
                ..Expect::default()
            },
        },
    );
    let partial = input().rate_run(1, &[("A", 37)]);
    let summary = summarize(&sys, &partial.0);
    assert_eq!(
        conclusion(&sys, &partial.0, &summary),
        "经自查，38个测评内容中已自评37个，完全落实的有37项，占100.00%。另有1个测评内容尚未自评。"
    );
    assert_eq!(
        missing(&sys, &partial.0)[0].message,
        "第38测评内容尚未自评。"
    );
}

#[test]
fn leaf_noun_override() {
    let mut model = rated_model(true, 3);
    model.leaf_noun = Some("评价要点".into());
    let sys = rated_system_with(4, model);
    let inp = input().rate_run(1, &[("A", 3), ("NA", 1)]);
    let summary = summarize(&sys, &inp.0);
    assert_eq!(
        conclusion(&sys, &inp.0, &summary),
        "经自查，4个评价要点中有1个评价要点不属于本级履行教育职责范围；实际自查自评评价要点为3个，完全落实的有3项，占100.00%。"
    );
}

// ---------------------------------------------------------------------------------------------
// Property: shares always add up to exactly 100.00.
// ---------------------------------------------------------------------------------------------

fn hundredths(share: &str) -> u64 {
    let (i, f) = share
        .split_once('.')
        .unwrap_or_else(|| panic!("share {share} has no point"));
    assert_eq!(f.len(), 2, "share {share} has two decimals");
    i.parse::<u64>().unwrap() * 100 + f.parse::<u64>().unwrap()
}

proptest! {
    #[test]
    fn shares_sum_to_exactly_100(
        counts in prop::collection::vec(0usize..=100, 1..=5),
        na in 0usize..=50,
        unrated in 0usize..=50,
        bump in 0usize..5,
    ) {
        let mut counts = counts;
        // Applicable must be at least 1: give one leaf to some level if all are 0.
        if counts.iter().sum::<usize>() == 0 {
            let i = bump % counts.len();
            counts[i] = 1;
        }
        let applicable: usize = counts.iter().sum();
        let n = applicable + na + unrated;
        prop_assume!(n <= 500);
        let sys = rated_system_with(n, rated_model(true, counts.len()));
        let codes = ["A", "B", "C", "D", "E"];
        let mut run: Vec<(&str, usize)> = counts.iter().enumerate().map(|(i, &c)| (codes[i], c)).collect();
        run.push(("NA", na));
        let inp = input().rate_run(1, &run);
        let Summary::Rated(s) = summarize(&sys, &inp.0) else { panic!("rated") };
        prop_assert_eq!((s.applicable, s.not_applicable, s.unrated), (applicable, na, unrated));
        let total: u64 = s.levels.iter().map(|l| hundredths(&l.share)).sum();
        prop_assert_eq!(total, 10_000);
        for l in &s.levels {
            let h = hundredths(&l.share);
            // Every share is within one hundredth of its exact value, and 0 stays 0.
            let exact = l.count as f64 * 10_000.0 / applicable as f64;
            prop_assert!((h as f64 - exact).abs() < 1.0, "{} vs {}", h, exact);
            if l.count == 0 { prop_assert_eq!(h, 0); }
        }
        // The conclusion never mentions a level with 0 items.
        let text = conclusion(&sys, &inp.0, &Summary::Rated(s.clone()));
        for l in &s.levels {
            prop_assert_eq!(text.contains(&format!("{}的有", l.label)), l.count > 0);
        }
    }
}
