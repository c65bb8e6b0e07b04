//! Integration tests of the façade: real SQLite files in temp dirs, the bundled systems, the
//! worked examples of `../shared/data/checks/`.

mod backup;
mod bad_inputs;
mod decisions;
mod demo;
mod edits;
mod evidence;
mod report;
mod statistics;
mod systems;
mod upgrade;
mod viewer;
mod worked_examples;

use std::path::PathBuf;

use ziping_app::{App, Clock, NewAssessment};

/// A clock that ticks one second per call from a fixed instant, so history order is stable.
pub fn test_clock() -> Clock {
    let n = std::sync::atomic::AtomicU64::new(0);
    Box::new(move || {
        let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        format!("2024-12-01T09:{:02}:{:02}+08:00", (i / 60) % 60, i % 60)
    })
}

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub app: App,
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let app = App::open_with_clock(&path, test_clock()).unwrap();
    Fixture { _dir: dir, path, app }
}

pub fn new_assessment(app: &mut App, system: &str) -> i64 {
    app.create_assessment(&NewAssessment {
        system_id: system.to_string(),
        system_version: None,
        region: "示例县".to_string(),
        year: 2024,
        organ: None,
    })
    .unwrap()
    .id
}

pub fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(path)
}
