//! Evidence: content-addressed storage, dedup, links with history, verify, delete rules.

use std::io::Cursor;

use ziping_store::{BlobStatus, Change, EvidenceKind, EvidenceMeta, StoreError, Workspace};

use crate::{at, workspace_with_assessment};

pub fn meta(title: &str) -> EvidenceMeta {
    EvidenceMeta {
        title: title.to_string(),
        kind: EvidenceKind::Document,
        issuer: "示例县人民政府".to_string(),
        doc_no: "示政发〔2024〕12号".to_string(),
        date: "2024-03-15".to_string(),
        note: String::new(),
    }
}

pub fn add(ws: &mut Workspace, content: &[u8], title: &str) -> ziping_store::EvidenceRow {
    ws.add_evidence_from(
        &mut Cursor::new(content.to_vec()),
        &format!("{title}.pdf"),
        &meta(title),
        &at(1),
    )
    .unwrap()
    .0
}

fn blob_files(ws: &Workspace) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(ws.evidence_dir()) else {
        return out;
    };
    for d in dirs.flatten() {
        if d.file_name() == "tmp" {
            continue;
        }
        for f in std::fs::read_dir(d.path()).unwrap().flatten() {
            out.push(f.path());
        }
    }
    out
}

#[test]
fn same_content_is_stored_once() {
    let (_dir, mut ws, _row) = workspace_with_assessment();
    let a = add(&mut ws, b"%PDF-1.4 notice", "通知");
    let (b, already) = ws
        .add_evidence_from(
            &mut Cursor::new(b"%PDF-1.4 notice".to_vec()),
            "copy.pdf",
            &meta("另一个标题"),
            &at(2),
        )
        .unwrap();
    assert!(already);
    assert_eq!(a, b, "the existing item is returned unchanged");
    add(&mut ws, b"other", "纪要");
    assert_eq!(ws.evidence_items().unwrap().len(), 2);
    let files = blob_files(&ws);
    assert_eq!(files.len(), 2);
    // Named by SHA-256: ab/cdef…
    let expected = ws.evidence_dir().join(&a.sha256[..2]).join(&a.sha256[2..]);
    assert!(files.contains(&expected), "{files:?}");
    assert_eq!(std::fs::read(expected).unwrap(), b"%PDF-1.4 notice");
    assert_eq!(a.size, 15);
    assert_eq!(a.file_name, "通知.pdf");
    // Nothing left in the staging folder.
    let tmp = ws.evidence_dir().join("tmp");
    assert_eq!(std::fs::read_dir(tmp).map(|d| d.count()).unwrap_or(0), 0);
}

#[test]
fn links_are_changes_with_history_and_revert() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let e = add(&mut ws, b"doc", "通知");
    let link = |linked| Change::Evidence {
        point: "2".into(),
        sha256: e.sha256.clone(),
        linked,
    };
    let h = ws.apply(row.id, &[link(true)], &at(2)).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].field, "evidence");
    assert_eq!(h[0].new_value["linked"], true);
    assert_eq!(h[0].new_value["title"], "通知");
    // Linking again changes nothing.
    assert!(ws.apply(row.id, &[link(true)], &at(3)).unwrap().is_empty());
    assert_eq!(ws.evidence_links(Some(e.id), None).unwrap().len(), 1);
    // Deleting a linked item is refused.
    let err = ws.delete_evidence(e.id).unwrap_err();
    assert!(matches!(err, StoreError::InUse { .. }), "{err:?}");
    assert!(err.to_string().contains("先取消关联"), "{err}");
    // Revert the link: unlinked again, recorded as a new change.
    let r = ws.revert(row.id, h[0].id, &at(4)).unwrap();
    assert_eq!(r[0].new_value["linked"], false);
    assert!(ws.evidence_links(Some(e.id), None).unwrap().is_empty());
    ws.delete_evidence(e.id).unwrap();
    assert!(ws.evidence_items().unwrap().is_empty());
    assert!(blob_files(&ws).is_empty(), "the file goes with the item");
}

#[test]
fn metadata_edits_are_recorded_per_linked_leaf_and_refused_when_frozen() {
    let (_dir, mut ws, row) = workspace_with_assessment();
    let e = add(&mut ws, b"doc", "通知");
    ws.apply(
        row.id,
        &[Change::Evidence {
            point: "2".into(),
            sha256: e.sha256.clone(),
            linked: true,
        }],
        &at(2),
    )
    .unwrap();
    let mut m = meta("关于加强控辍保学工作的通知");
    m.kind = EvidenceKind::Minutes;
    let (updated, h) = ws.update_evidence(e.id, &m, &at(3)).unwrap();
    assert_eq!(updated.meta, m);
    assert_eq!(h.len(), 1);
    assert_eq!(
        (h[0].field.as_str(), h[0].point.as_deref()),
        ("evidence_meta", Some("2"))
    );
    ws.freeze(row.id, &at(4)).unwrap();
    let err = ws.update_evidence(e.id, &meta("再改"), &at(5)).unwrap_err();
    assert!(matches!(err, StoreError::Frozen { .. }), "{err:?}");
    let err = ws
        .apply(
            row.id,
            &[Change::Evidence {
                point: "2".into(),
                sha256: e.sha256.clone(),
                linked: false,
            }],
            &at(5),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Frozen { .. }), "{err:?}");
}

#[test]
fn verify_detects_a_deleted_and_an_altered_file() {
    let (_dir, mut ws, _row) = workspace_with_assessment();
    let a = add(&mut ws, b"first", "甲");
    let b = add(&mut ws, b"second", "乙");
    let c = add(&mut ws, b"third", "丙");
    assert!(ws
        .verify_evidence()
        .unwrap()
        .iter()
        .all(|c| c.status == BlobStatus::Ok));
    let path_a = ws.evidence_file(a.id).unwrap();
    let path_b = ws.evidence_file(b.id).unwrap();
    std::fs::remove_file(&path_a).unwrap();
    let mut perms = std::fs::metadata(&path_b).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path_b, perms).unwrap();
    std::fs::write(&path_b, b"second, altered").unwrap();
    let checks = ws.verify_evidence().unwrap();
    let status = |id| {
        checks
            .iter()
            .find(|c| c.evidence.id == id)
            .unwrap()
            .status
            .clone()
    };
    assert_eq!(status(a.id), BlobStatus::Missing);
    assert!(
        matches!(
            status(b.id),
            BlobStatus::Altered {
                actual_size: 15,
                ..
            }
        ),
        "{:?}",
        status(b.id)
    );
    assert_eq!(status(c.id), BlobStatus::Ok);
    // Adding the same content again restores the missing file.
    ws.add_evidence_from(
        &mut Cursor::new(b"first".to_vec()),
        "甲.pdf",
        &meta("甲"),
        &at(9),
    )
    .unwrap();
    assert_eq!(
        ws.verify_evidence()
            .unwrap()
            .iter()
            .filter(|c| c.status == BlobStatus::Ok)
            .count(),
        2
    );
}

#[test]
fn a_version_1_workspace_migrates_keeping_its_history() {
    let (_dir, path) = crate::temp_path("old.zpws");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(ziping_store::migrations::MIGRATIONS[0].sql)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO system_snapshots (system_id, version, name, official, json, sha256) VALUES ('s', '1', 'n', 0, '{}', printf('%064d', 0));
             INSERT INTO assessments (uid, region, year, organ, snapshot_id, created_at, updated_at) VALUES ('u', '示例县', 2024, 'o', 1, 't', 't');
             INSERT INTO history (assessment_id, point, field, old_value, new_value, at, revision) VALUES (1, '1', 'note', '\"\"', '\"a\"', 't', 1);
             INSERT INTO history (assessment_id, point, field, old_value, new_value, at, revision, reverted_id) VALUES (1, '1', 'note', '\"a\"', '\"\"', 't', 1, 1);",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.pragma_update(None, "application_id", ziping_store::APPLICATION_ID)
            .unwrap();
    }
    let ws = Workspace::open(&path).unwrap();
    let h = ws.history(1, None).unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].reverted_id, Some(1));
}
