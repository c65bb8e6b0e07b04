//! Benchmark (not a test) of the façade's hot paths, each beside the bare-SQLite floor measured in
//! the same run on the same data: the latency of saving one field edit (p50/p99), and listing and
//! searching 10,000 evidence items. Run by `scripts/bench.sh` (release build):
//!
//!   cargo run --release -p ziping-app --example bench_app
//!   BENCH_EDITS=1000 BENCH_EVIDENCE=10000 cargo run --release -p ziping-app --example bench_app
//!
//! Baselines:
//! - save: one `UPDATE entries SET note = …` in its own transaction on a copy of the same workspace,
//!   with the same settings (WAL, synchronous=FULL) — the least any durable save can cost. Ours also
//!   validates the edit, writes the history row and recomputes nothing else.
//! - evidence: `SELECT` of the same columns (all rows; `LIKE` on the same fields for the search)
//!   straight from SQLite — ours also builds each item's links, kind label and normalised 文号.

use std::path::Path;
use std::time::Instant;

use rusqlite::{params, Connection};
use ziping_app::{App, EvidenceFilter, EvidenceInput, EvidenceLinkEdit, PointEdit};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The p-th percentile (nearest rank) of samples in milliseconds.
fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn row(what: &str, ours: f64, base: f64, unit: &str) {
    println!("{what:<52} ours {ours:>9.3} {unit}   baseline {base:>9.3} {unit}   ratio {:>6.2}× (ours / baseline)", ours / base);
}

fn raw_connection(path: &Path) -> Connection {
    let c = Connection::open(path).expect("open the copy");
    let _: String = c.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).unwrap();
    c.pragma_update(None, "synchronous", "FULL").unwrap();
    c
}

fn main() {
    let edits = env_usize("BENCH_EDITS", 500);
    let items = env_usize("BENCH_EVIDENCE", 10_000);
    let repeat = env_usize("BENCH_REPEAT", 15);
    let dir = tempfile::tempdir().expect("temp dir");

    // ── 1. Save latency of one field edit ────────────────────────────────────────────────────
    let path = dir.path().join("edits.sqlite");
    let mut app = App::open(&path).expect("workspace");
    let ids = ziping_app::create_demo(&mut app).expect("demo");
    let assessment = ids[0];
    let points: Vec<String> = {
        let c = Connection::open(&path).unwrap();
        let mut st = c.prepare("SELECT point FROM entries WHERE assessment_id = ?1 ORDER BY point").unwrap();
        st.query_map([assessment], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert!(!points.is_empty());
    let text = |i: usize| format!("第{i}次修改：县政府召开专题会议研究部署教育工作，落实教育优先发展战略地位，经费投入逐年增长。");
    let mut ours = Vec::with_capacity(edits);
    for i in 0..edits {
        let edit = PointEdit {
            assessment,
            point: points[i % points.len()].clone(),
            rating: None,
            scored: None,
            deductions: None,
            note: Some(text(i)),
            problems: None,
            measures: None,
        };
        let t = Instant::now();
        app.edit_point(&edit).expect("save");
        ours.push(ms(t));
    }
    drop(app);
    let copy = dir.path().join("edits-raw.sqlite");
    std::fs::copy(&path, &copy).unwrap();
    let mut c = raw_connection(&copy);
    let mut base = Vec::with_capacity(edits);
    for i in 0..edits {
        let t = Instant::now();
        let tx = c.transaction().unwrap();
        tx.execute(
            "UPDATE entries SET note = ?1, updated_at = ?2 WHERE assessment_id = ?3 AND point = ?4",
            params![text(i + edits), "2026-01-01T00:00:00", assessment, points[i % points.len()]],
        )
        .unwrap();
        tx.commit().unwrap();
        base.push(ms(t));
    }
    drop(c);
    println!("save latency of one field edit ({edits} edits of 自评说明, WAL + synchronous=FULL):");
    row("  p50", percentile(&ours, 50.0), percentile(&base, 50.0), "ms");
    row("  p99", percentile(&ours, 99.0), percentile(&base, 99.0), "ms");

    // ── 2. Listing and searching 10,000 evidence items ───────────────────────────────────────
    let path = dir.path().join("evidence.sqlite");
    let mut app = App::open(&path).expect("workspace");
    let ids = ziping_app::create_demo(&mut app).expect("demo");
    let kinds = ["文件", "会议纪要", "台账", "统计表", "照片", "证书", "其他"];
    let t_add = Instant::now();
    for i in 0..items {
        let input = EvidenceInput {
            title: format!("示例县教育局关于第{i}项工作落实情况的报告"),
            kind: kinds[i % kinds.len()].to_string(),
            issuer: if i % 3 == 0 { "示例县人民政府".into() } else { "示例县教育局".into() },
            doc_no: format!("示教〔2024〕{}号", i + 1),
            date: format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
            note: String::new(),
        };
        let body = format!("佐证材料{i}：示例内容（基准测试生成）。\n").repeat(8);
        let added = app.add_evidence_bytes(&format!("材料{i:05}.txt"), body.as_bytes(), &input).expect("add");
        if i % 10 == 0 {
            app.link_evidence(&EvidenceLinkEdit {
                evidence: added.item.id,
                assessment: ids[0],
                point: points[i % points.len()].clone(),
            })
            .expect("link");
        }
    }
    let add_ms = ms(t_add);
    let listed = app.evidence_list(&EvidenceFilter::default()).unwrap().len();
    assert!(listed >= items, "all items listed ({listed})");
    let time = |f: &mut dyn FnMut() -> usize| -> (f64, usize) {
        let mut s = Vec::new();
        let mut n = 0;
        for _ in 0..repeat {
            let t = Instant::now();
            n = f();
            s.push(ms(t));
        }
        (percentile(&s, 50.0), n)
    };
    let needle = "第1234项";
    let (list_ours, n_list) = time(&mut || app.evidence_list(&EvidenceFilter::default()).unwrap().len());
    let (search_ours, n_found) = time(&mut || {
        app.evidence_list(&EvidenceFilter { query: Some(needle.into()), ..EvidenceFilter::default() }).unwrap().len()
    });
    drop(app);
    let c = raw_connection(&path);
    let cols = "id, sha256, size, file_name, title, kind, issuer, doc_no, date, note, added_at, updated_at";
    type Row = (i64, String, i64, String, String, String, String, String, String, String, String, String);
    let read = |r: &rusqlite::Row| -> rusqlite::Result<Row> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?))
    };
    let (list_base, n_base) = time(&mut || {
        let mut st = c.prepare_cached(&format!("SELECT {cols} FROM evidence ORDER BY id")).unwrap();
        let v: Vec<Row> = st.query_map([], read).unwrap().map(Result::unwrap).collect();
        v.len()
    });
    let (search_base, n_base_found) = time(&mut || {
        let mut st = c
            .prepare_cached(&format!(
                "SELECT {cols} FROM evidence WHERE title LIKE ?1 OR issuer LIKE ?1 OR doc_no LIKE ?1 \
                 OR file_name LIKE ?1 OR note LIKE ?1 OR date LIKE ?1 ORDER BY id"
            ))
            .unwrap();
        let v: Vec<Row> = st.query_map([format!("%{needle}%")], read).unwrap().map(Result::unwrap).collect();
        v.len()
    });
    assert_eq!(n_found, n_base_found, "both searches find the same items");
    println!(
        "evidence: {items} items added in {:.1} s ({:.2} ms each, files stored by SHA-256); listed {n_list} (SQL: {n_base}); the search “{needle}” finds {n_found}:",
        add_ms / 1000.0,
        add_ms / items as f64
    );
    row("  list all items (median)", list_ours, list_base, "ms");
    row("  search by text (median)", search_ours, search_base, "ms");
}
