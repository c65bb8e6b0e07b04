//! Integration tests of ziping-store, one binary with a module per concern. Every test uses real
//! files in a temporary directory.

mod durability;
mod evidence;
mod freeze;
mod history;
mod migrations;
mod package;
mod refusal;
mod statistics;
mod suggestions;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tempfile::TempDir;
use ziping_core::{Deduction, IndicatorSystem, Points};
use ziping_store::{AssessmentRow, NewAssessment, Workspace};

/// A fixed timestamp, minute `m` of a working day.
pub fn at(m: u32) -> String {
    format!("2024-01-05T{:02}:{:02}:00+08:00", 9 + m / 60, m % 60)
}

/// A small rated system; `version` distinguishes snapshots.
pub fn sample_system(version: &str) -> IndicatorSystem {
    serde_json::from_value(serde_json::json!({
        "format": 1,
        "id": "test-rated",
        "version": version,
        "name": "测试用指标体系",
        "official": false,
        "provenance": { "sources": ["测试"] },
        "level_names": ["评价内容", "测评点"],
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
            { "code": "一", "title": "职责一", "children": [
                { "code": "1", "title": "测评点一" },
                { "code": "2", "title": "测评点二", "evidence": ["文件"] }
            ]},
            { "code": "二", "title": "职责二", "children": [
                { "code": "3", "title": "测评点三", "figures": [{ "figure": "cv", "thresholds": { "primary_max": 0.5 } }] }
            ]}
        ]
    }))
    .expect("sample system parses")
}

/// A temporary directory with a workspace path inside (not created yet).
pub fn temp_path(name: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    (dir, path)
}

/// Opens a new workspace with one snapshot and one draft assessment.
pub fn workspace_with_assessment() -> (TempDir, Workspace, AssessmentRow) {
    let (dir, path) = temp_path("ws.zpws");
    let mut ws = Workspace::open(&path).expect("open");
    let snapshot_id = ws
        .put_system_snapshot(&sample_system("2024"))
        .expect("snapshot");
    let row = ws
        .create_assessment(
            &NewAssessment {
                region: "示例县".into(),
                year: 2024,
                organ: "示例县人民政府教育督导室".into(),
                snapshot_id,
            },
            &at(0),
        )
        .expect("create");
    (dir, ws, row)
}

pub fn deduction(hundredths: i64, reason: &str) -> Deduction {
    Deduction {
        amount: Points(hundredths),
        reason: reason.to_string(),
    }
}

/// SHA-256 of a file's bytes.
pub fn file_hash(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read file");
    format!("{:x}", Sha256::digest(bytes))
}
