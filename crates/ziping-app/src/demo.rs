//! The demo county 示例县: a workspace with one assessment per scoring model, filled in from
//! `assets/demo/demo.json` (compiled in). Used by `ziping demo` and by the run command.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::dto::{BonusEdit, DeductionInput, NewAssessment, PointEdit};
use crate::error::AppError;
use crate::service::App;

const DEMO_JSON: &str = include_str!("../../../assets/demo/demo.json");

#[derive(Deserialize)]
struct Demo {
    region: String,
    organ: String,
    year: i32,
    assessments: Vec<DemoAssessment>,
}

#[derive(Deserialize)]
struct DemoAssessment {
    system: String,
    entries: BTreeMap<String, DemoEntry>,
    #[serde(default)]
    bonus: Vec<DemoBonus>,
}

#[derive(Deserialize)]
struct DemoEntry {
    #[serde(default)]
    rating: Option<String>,
    #[serde(default)]
    scored: Option<bool>,
    #[serde(default)]
    deductions: Vec<DemoDeduction>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    problems: String,
    #[serde(default)]
    measures: String,
}

#[derive(Deserialize)]
struct DemoDeduction {
    amount: f64,
    reason: String,
}

#[derive(Deserialize)]
struct DemoBonus {
    code: String,
    #[serde(default)]
    note: String,
}

/// Fills an empty workspace with the demo county's assessments; returns their ids.
/// Refuses a workspace that already holds assessments, so real work is never mixed with demo data.
pub fn create_demo(app: &mut App) -> Result<Vec<i64>, AppError> {
    if !app.workspace().assessments()?.is_empty() {
        return Err(AppError::invalid(format!(
            "工作区“{}”中已有评估，示范数据只能写入新的工作区，请指定一个新文件。",
            app.path().display()
        )));
    }
    let demo: Demo = serde_json::from_str(DEMO_JSON)
        .map_err(|e| AppError::new(crate::ErrorCode::Internal, format!("内置示范数据有误：{e}")))?;
    let mut ids = Vec::new();
    for a in &demo.assessments {
        let info = app.create_assessment(&NewAssessment {
            system_id: a.system.clone(),
            system_version: None,
            region: demo.region.clone(),
            year: demo.year,
            organ: Some(demo.organ.clone()),
        })?;
        for (code, e) in &a.entries {
            let points_model = info.model == "points";
            app.edit_point(&PointEdit {
                assessment: info.id,
                point: code.clone(),
                rating: if points_model { None } else { e.rating.clone() },
                scored: if points_model { Some(e.scored.unwrap_or(true)) } else { None },
                deductions: if points_model {
                    Some(
                        e.deductions
                            .iter()
                            .map(|d| DeductionInput { amount: format!("{}", d.amount), reason: d.reason.clone() })
                            .collect(),
                    )
                } else {
                    None
                },
                note: Some(e.note.clone()),
                problems: Some(e.problems.clone()),
                measures: Some(e.measures.clone()),
            })?;
        }
        for b in &a.bonus {
            app.edit_bonus(&BonusEdit { assessment: info.id, code: b.code.clone(), claimed: true, note: b.note.clone() })?;
        }
        ids.push(info.id);
    }
    Ok(ids)
}
