//! Writes a workspace with one assessment on a generated 200-leaf indicator system (10 groups of
//! 20 points, 0.5 分 each, with texts and scoring rules of realistic length). The desktop E2E test
//! opens it to measure how fast the workbench switches between leaves of a large system.
//!
//!   cargo run -p ziping-app --example big_workspace -- /tmp/big.sqlite

use ziping_core::system::{Grade, PointsModel, Provenance, ScoringModel};
use ziping_core::{IndicatorSystem, Node, Points};

fn main() {
    let path = std::env::args_os().nth(1).expect("usage: big_workspace WORKSPACE.sqlite");
    let groups = ["办学条件", "经费投入", "教师队伍", "学前教育", "义务教育", "高中教育", "职业教育", "特殊教育", "教育督导", "社会认可"];
    let mut code = 0;
    let children = groups
        .iter()
        .enumerate()
        .map(|(g, title)| Node {
            code: format!("G{}", g + 1),
            title: format!("{title}保障"),
            children: (0..20)
                .map(|i| {
                    code += 1;
                    Node {
                        code: code.to_string(),
                        title: format!("{title}第{}项要求落实情况", i + 1),
                        text: Some(format!("{title}方面第{}项：按照有关文件要求，建立健全工作机制，明确责任分工，确保各项措施落实到位，并开展年度检查。", i + 1)),
                        scoring_rule: Some("未建立工作机制的扣0.3分；措施未落实到位的每项扣0.1分，扣完为止。".to_string()),
                        evidence: vec!["相关制度文件".to_string(), "年度检查记录".to_string()],
                        max_score: Some(Points(50)),
                        ..Node::default()
                    }
                })
                .collect(),
            ..Node::default()
        })
        .collect();
    let system = IndicatorSystem {
        format: 1,
        id: "e2e-200".to_string(),
        version: "1".to_string(),
        years: None,
        name: "测试用指标体系（200个测评点）".to_string(),
        short_name: Some("测试200项".to_string()),
        official: false,
        issuer: None,
        provenance: Provenance { sources: vec!["由测试程序生成，仅用于性能测试。".to_string()], ..Provenance::default() },
        level_names: vec!["一级指标".to_string(), "测评点".to_string()],
        scoring: ScoringModel::Points(PointsModel {
            total: Points::whole(100),
            decimals: 1,
            grades: vec![Grade { grade: "A".to_string(), min: Points::whole(90) }, Grade { grade: "B".to_string(), min: Points::ZERO }],
            bonus: None,
        }),
        children,
    };
    let problems = ziping_core::validate::validate(&system);
    assert!(problems.is_empty(), "generated system is invalid: {problems:?}");
    let mut ws = ziping_store::Workspace::open(std::path::Path::new(&path)).expect("open workspace");
    let snapshot_id = ws.put_system_snapshot(&system).expect("store system");
    let row = ws
        .create_assessment(
            &ziping_store::NewAssessment {
                region: "测试县".to_string(),
                year: 2024,
                organ: "测试县人民政府".to_string(),
                snapshot_id,
            },
            "2024-01-05T09:00:00+08:00",
        )
        .expect("create assessment");
    println!("{}", row.id);
}
