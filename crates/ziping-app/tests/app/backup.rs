//! 备份与恢复: the daily backup on open, the backup on freeze, rotation, backup to a file, restore,
//! and restore refusing bad files without changing anything.

use std::path::Path;
use std::sync::{Arc, Mutex};

use ziping_app::backup::{backups_dir, KEEP_BACKUPS};
use ziping_app::{App, Clock, ErrorCode, PointEdit};

use crate::new_assessment;

/// A clock the test moves by hand.
fn manual_clock(now: &Arc<Mutex<String>>) -> Clock {
    let now = Arc::clone(now);
    Box::new(move || now.lock().unwrap().clone())
}

fn set(now: &Arc<Mutex<String>>, t: &str) {
    *now.lock().unwrap() = t.to_string();
}

fn note(app: &mut App, id: i64, text: &str) {
    let point = app.assessment_system(id).unwrap().leaves()[0].code.clone();
    app.edit_point(&PointEdit {
        assessment: id,
        point,
        rating: None,
        scored: None,
        deductions: None,
        note: Some(text.to_string()),
        problems: None,
        measures: None,
    })
    .unwrap();
}

fn first_note(app: &App, id: i64) -> String {
    let point = app.assessment_system(id).unwrap().leaves()[0].code.clone();
    app.entries(id).unwrap().get(&point).map(|e| e.note.clone()).unwrap_or_default()
}

fn names(app: &App) -> Vec<String> {
    app.backups().unwrap().into_iter().map(|b| b.file_name).collect()
}

fn sha(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_workspace_is_backed_up_at_most_once_a_day_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let now = Arc::new(Mutex::new("2024-12-01T09:00:00+08:00".to_string()));
    let mut app = App::open_with_clock(&path, manual_clock(&now)).unwrap();
    // An empty workspace is not backed up.
    assert!(names(&app).is_empty());
    new_assessment(&mut app, "sample-county-24");
    drop(app);

    set(&now, "2024-12-01T10:30:00+08:00");
    let app = App::open_with_clock(&path, manual_clock(&now)).unwrap();
    assert_eq!(names(&app), ["20241201-103000-open.sqlite"]);
    drop(app);
    set(&now, "2024-12-01T23:59:59+08:00");
    let app = App::open_with_clock(&path, manual_clock(&now)).unwrap();
    assert_eq!(names(&app).len(), 1, "a second open on the same day makes no backup");
    drop(app);
    set(&now, "2024-12-02T08:00:00+08:00");
    let app = App::open_with_clock(&path, manual_clock(&now)).unwrap();
    assert_eq!(names(&app), ["20241202-080000-open.sqlite", "20241201-103000-open.sqlite"]);
    let b = &app.backups().unwrap()[0];
    assert_eq!(b.reason, "open");
    assert_eq!(b.reason_label, "每日自动备份");
    assert_eq!(b.created_at, "2024-12-02 08:00:00");
    assert!(b.size > 0);
    assert!(Path::new(&b.path).starts_with(backups_dir(&path)));
    // The backup is a complete workspace of its own.
    let copy = App::open_with_clock(Path::new(&b.path), manual_clock(&now)).unwrap();
    assert_eq!(copy.assessments().unwrap().len(), 1);
}

#[test]
fn freezing_makes_a_backup_holding_the_frozen_assessment() {
    let f = crate::fixture();
    let mut app = f.app;
    let id = new_assessment(&mut app, "sample-county-24");
    note(&mut app, id, "定稿前的说明");
    app.freeze(id).unwrap();
    let list = app.backups().unwrap();
    let frozen: Vec<_> = list.iter().filter(|b| b.reason == "freeze").collect();
    assert_eq!(frozen.len(), 1, "{list:?}");
    assert_eq!(frozen[0].reason_label, "定稿时自动备份");
    let copy = App::open(Path::new(&frozen[0].path)).unwrap();
    assert_eq!(copy.assessment(id).unwrap().status, "frozen");
    assert_eq!(first_note(&copy, id), "定稿前的说明");
}

#[test]
fn the_folder_keeps_the_newest_backups() {
    let f = crate::fixture();
    let mut app = f.app;
    new_assessment(&mut app, "sample-county-24");
    let mut made = Vec::new();
    for _ in 0..KEEP_BACKUPS + 3 {
        made.push(app.backup_now().unwrap().file_name);
    }
    let kept = names(&app);
    assert_eq!(kept.len(), KEEP_BACKUPS);
    made.reverse();
    assert_eq!(kept, made[..KEEP_BACKUPS].to_vec(), "the newest are kept, newest first");
    assert!(kept.iter().all(|n| n.ends_with("-manual.sqlite")));
    // Files that are not backups are left alone and not listed.
    std::fs::write(backups_dir(&f.path).join("说明.txt"), "不是备份").unwrap();
    app.backup_now().unwrap();
    assert_eq!(names(&app).len(), KEEP_BACKUPS);
    assert!(backups_dir(&f.path).join("说明.txt").exists());
}

#[test]
fn backup_to_a_chosen_file_and_restore_it() {
    let f = crate::fixture();
    let mut app = f.app;
    let id = new_assessment(&mut app, "sample-county-24");
    note(&mut app, id, "第一稿");
    let file = f._dir.path().join("我的备份.sqlite");
    let b = app.backup_to(&file).unwrap();
    assert_eq!(b.file_name, "我的备份.sqlite");
    assert_eq!(b.reason, "");
    assert!(!Path::new(&format!("{}-wal", file.display())).exists(), "a backup is one self-contained file");
    assert_eq!(ziping_store::verify_workspace_file(&file).unwrap(), ziping_store::SUPPORTED_SCHEMA);
    assert!(app.backup_to(&f.path).is_err(), "the workspace itself is not a backup target");

    note(&mut app, id, "第二稿");
    let r = app.restore(&file).unwrap();
    assert_eq!(first_note(&app, id), "第一稿");
    assert_eq!(r.safety_backup.reason, "restore");
    assert!(r.message.contains("已从“我的备份.sqlite”恢复工作区"), "{}", r.message);
    // The state replaced is in the safety backup; restoring it undoes the restore.
    let safety = Path::new(&r.safety_backup.path).to_path_buf();
    assert_eq!(first_note(&App::open(&safety).unwrap(), id), "第二稿");
    app.restore(&safety).unwrap();
    assert_eq!(first_note(&app, id), "第二稿");
    // Edits go on after a restore, and a second connection sees the restored content.
    note(&mut app, id, "第三稿");
    assert_eq!(first_note(&App::open(&f.path).unwrap(), id), "第三稿");
}

#[test]
fn restore_refuses_bad_files_and_changes_nothing() {
    let f = crate::fixture();
    let mut app = f.app;
    let id = new_assessment(&mut app, "sample-county-24");
    note(&mut app, id, "不能丢");
    let good = f._dir.path().join("good.sqlite");
    app.backup_to(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let dir = f._dir.path();

    let empty = dir.join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.join("notes.sqlite");
    std::fs::write(&text, "这不是数据库".repeat(100)).unwrap();
    let truncated = dir.join("truncated.sqlite");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let damaged = dir.join("damaged.sqlite");
    let mut d = bytes.clone();
    for b in &mut d[4096 * 2..4096 * 4] {
        *b = 0x5A;
    }
    std::fs::write(&damaged, &d).unwrap();
    // Header fields (big-endian): user_version at byte 60, application_id at byte 68.
    let newer = dir.join("newer.sqlite");
    let mut n = bytes.clone();
    n[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(&newer, &n).unwrap();
    let foreign = dir.join("foreign.sqlite");
    let mut o = bytes.clone();
    o[68..72].copy_from_slice(&0x1234_5678u32.to_be_bytes());
    std::fs::write(&foreign, &o).unwrap();
    let missing = dir.join("missing.sqlite");

    let before_backups = names(&app);
    let before_file = sha(&f.path);
    for (file, expect) in [
        (&empty, "不是可用的工作区备份"),
        (&text, "不是可用的工作区备份"),
        (&truncated, "已损坏"),
        (&damaged, "已损坏"),
        (&newer, "由较新版本的履职自评创建"),
        (&foreign, "不是可用的工作区备份"),
        (&missing, "找不到备份文件"),
    ] {
        let e = app.restore(file).unwrap_err();
        assert!(e.message.starts_with("未恢复："), "{}", e.message);
        assert!(e.message.contains(expect), "{}: {}", file.display(), e.message);
        assert!(e.message.ends_with("当前工作区未做任何修改。"), "{}", e.message);
        assert!(matches!(e.code, ErrorCode::Workspace | ErrorCode::NotFound), "{e:?}");
        assert_eq!(first_note(&app, id), "不能丢");
        assert_eq!(names(&app), before_backups, "no safety backup for a refused file");
        assert_eq!(sha(&f.path), before_file, "the workspace file is unchanged");
    }
    let e = app.restore(&f.path).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    // The refused files themselves were only read.
    assert_eq!(std::fs::read(&good).unwrap(), bytes);
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
}
