//! Edits through the façade: validation against the system, history, revert, freeze.

use ziping_app::{App, DeductionInput, ErrorCode, PointEdit};
use ziping_core::summary::Summary;

use crate::{fixture, new_assessment, test_clock};

fn rate(app: &mut App, id: i64, point: &str, rating: &str) -> Result<usize, ziping_app::AppError> {
    app.edit_point(&PointEdit { assessment: id, point: point.into(), rating: Some(rating.into()), ..Default::default() })
        .map(|h| h.len())
}

#[test]
fn invalid_edits_are_refused_in_chinese_and_change_nothing() {
    let mut f = fixture();
    let rated = new_assessment(&mut f.app, "national-provincial-2017");
    let points = new_assessment(&mut f.app, "sample-county-24");
    let cases: Vec<(Result<usize, ziping_app::AppError>, ErrorCode, &str)> = vec![
        (rate(&mut f.app, rated, "99", "完全落实"), ErrorCode::NotFound, "没有编码为“99”"),
        (rate(&mut f.app, rated, "一", "完全落实"), ErrorCode::InvalidInput, "是分组"),
        (rate(&mut f.app, rated, "3", "优秀"), ErrorCode::InvalidInput, "可选：完全落实、基本落实、未落实、不适用"),
        (rate(&mut f.app, points, "3", "完全落实"), ErrorCode::InvalidInput, "按分值评分"),
        (
            f.app
                .edit_point(&PointEdit {
                    assessment: points,
                    point: "15".into(),
                    deductions: Some(vec![DeductionInput { amount: "3.5".into(), reason: "超出满分".into() }]),
                    ..Default::default()
                })
                .map(|h| h.len()),
            ErrorCode::InvalidInput,
            "该测评点满分",
        ),
        (
            f.app
                .edit_point(&PointEdit {
                    assessment: points,
                    point: "15".into(),
                    deductions: Some(vec![DeductionInput { amount: "0.125".into(), reason: "三位小数".into() }]),
                    ..Default::default()
                })
                .map(|h| h.len()),
            ErrorCode::InvalidInput,
            "不是有效的分值",
        ),
        (
            f.app
                .edit_point(&PointEdit { assessment: 999, point: "1".into(), note: Some("x".into()), ..Default::default() })
                .map(|h| h.len()),
            ErrorCode::NotFound,
            "",
        ),
    ];
    for (i, (res, code, needle)) in cases.into_iter().enumerate() {
        let err = res.expect_err(&format!("case {i} should fail"));
        assert_eq!(err.code, code, "case {i}: {}", err.message);
        assert!(err.message.contains(needle), "case {i}: {}", err.message);
        assert!(!err.message.is_ascii(), "case {i}: message must be Chinese: {}", err.message);
    }
    assert!(f.app.history(rated, None).unwrap().is_empty());
    assert!(f.app.history(points, None).unwrap().is_empty());
}

#[test]
fn history_records_every_change_and_revert_restores() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "national-provincial-2017");
    assert_eq!(rate(&mut f.app, id, "17", "完全落实").unwrap(), 1);
    assert_eq!(rate(&mut f.app, id, "17", "不适用").unwrap(), 1);
    // Same value again: nothing recorded.
    assert_eq!(rate(&mut f.app, id, "17", "NA").unwrap(), 0);
    f.app
        .edit_point(&PointEdit { assessment: id, point: "17".into(), note: Some("本县没有高等教育院校。".into()), ..Default::default() })
        .unwrap();
    rate(&mut f.app, id, "3", "基本落实").unwrap();

    let all = f.app.history(id, None).unwrap();
    assert_eq!(all.len(), 4);
    let of17 = f.app.history(id, Some("17")).unwrap();
    assert_eq!(of17.len(), 3);
    assert_eq!(of17[0].field, "note");
    assert!(of17[1].change.contains("完全落实 → 不适用"), "{}", of17[1].change);

    // Revert 完全落实 → 不适用: back to 完全落实, recorded as a new change.
    let reverted = f.app.revert(id, of17[1].id).unwrap();
    assert_eq!(reverted.len(), 1);
    assert_eq!(reverted[0].reverted_id, Some(of17[1].id));
    assert_eq!(f.app.entries(id).unwrap()["17"].rating.as_deref(), Some("A"));
    assert_eq!(f.app.history(id, None).unwrap().len(), 5);
}

#[test]
fn frozen_assessment_is_read_only_until_a_new_revision() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "national-provincial-2017");
    rate(&mut f.app, id, "1", "完全落实").unwrap();
    let info = f.app.freeze(id).unwrap();
    assert_eq!(info.status, "frozen");
    let err = rate(&mut f.app, id, "1", "基本落实").unwrap_err();
    assert_eq!(err.code, ErrorCode::Frozen);
    assert!(err.message.contains("定稿"), "{}", err.message);
    assert_eq!(f.app.entries(id).unwrap()["1"].rating.as_deref(), Some("A"));
    assert_eq!(f.app.freeze(id).unwrap_err().code, ErrorCode::Frozen);

    let info = f.app.new_revision(id).unwrap();
    assert_eq!((info.status.as_str(), info.revision), ("draft", 2));
    rate(&mut f.app, id, "1", "基本落实").unwrap();
    assert_eq!(f.app.entries(id).unwrap()["1"].rating.as_deref(), Some("B"));
}

#[test]
fn rated_shares_add_up_to_100_over_applicable_points() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "national-provincial-2017");
    // 38 leaves: 2 不适用, 29 完全落实, 6 基本落实, 1 未落实 → 36 applicable.
    for p in 1..=38 {
        let r = match p {
            17 | 20 => "不适用",
            3 | 9 | 14 | 24 | 31 | 34 => "基本落实",
            27 => "未落实",
            _ => "完全落实",
        };
        rate(&mut f.app, id, &p.to_string(), r).unwrap();
    }
    let s = f.app.summary(id).unwrap();
    let Summary::Rated(r) = &s.summary else { panic!() };
    assert_eq!((r.applicable, r.not_applicable, r.unrated), (36, 2, 0));
    let total: i64 = r.levels.iter().map(|l| l.share.replace('.', "").parse::<i64>().unwrap()).sum();
    assert_eq!(total, 10000);
    assert!(s.conclusion.starts_with("经自查，38个测评内容中有2个测评内容不属于本级履行教育职责范围"), "{}", s.conclusion);
    // The not-applicable points and the 未落实 one lack explanations.
    let points: Vec<&str> = s.missing.iter().map(|m| m.point.as_str()).collect();
    assert_eq!(points, ["17", "20", "27"], "{:?}", s.missing);
}

#[test]
fn a_workspace_reopened_shows_every_acknowledged_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let id;
    {
        let mut app = App::open_with_clock(&path, test_clock()).unwrap();
        id = new_assessment(&mut app, "sample-county-24");
        app.edit_point(&PointEdit {
            assessment: id,
            point: "16".into(),
            deductions: Some(vec![DeductionInput { amount: "0.5".into(), reason: "1项差异系数未达标".into() }]),
            note: Some("已测算差异系数。".into()),
            ..Default::default()
        })
        .unwrap();
    }
    let app = App::open(&path).unwrap();
    let e = &app.entries(id).unwrap()["16"];
    assert_eq!(e.deductions.len(), 1);
    assert_eq!(e.deductions[0].amount.to_string(), "0.5");
    assert_eq!(e.note, "已测算差异系数。");
}

#[test]
fn corrupt_workspace_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.sqlite");
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &bytes).unwrap();
    let err = App::open(&path).err().expect("must refuse");
    assert_eq!(err.code, ErrorCode::Workspace);
    assert!(err.message.contains("bad.sqlite"), "{}", err.message);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn points_summary_tracks_progress() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    f.app.edit_point(&PointEdit { assessment: id, point: "1".into(), scored: Some(true), ..Default::default() }).unwrap();
    let info = f.app.assessment(id).unwrap();
    assert_eq!((info.progress.done, info.progress.total, info.progress.percent), (1, 24, 4));
    let s = f.app.summary(id).unwrap();
    let Summary::Points(p) = &s.summary else { panic!() };
    assert_eq!(p.grade, None, "no grade while points are unscored");
    let count = |k: ziping_core::MissingKind| s.missing.iter().filter(|m| m.kind == k).count();
    assert_eq!(count(ziping_core::MissingKind::Unrated), 23);
    // Every leaf of this system asks for evidence and none is linked.
    assert_eq!(count(ziping_core::MissingKind::EvidenceMissing), 24);
    assert_eq!(s.missing.len(), 47);
}
