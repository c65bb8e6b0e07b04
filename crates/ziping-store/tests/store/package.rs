//! Packages: round trip, merge, and every kind of bad package (refused, nothing changed).

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use ziping_store::package::{
    read_package, DiscardBlobs, ExportScope, Limits, MergeAction, PackageError, Resolution, Side,
};
use ziping_store::{Change, StoreError, Workspace};

use crate::evidence::add;
use crate::{at, workspace_with_assessment};

fn note(point: &str, text: &str) -> Change {
    Change::Note {
        point: point.into(),
        text: text.into(),
    }
}

fn export(ws: &mut Workspace, id: i64, dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    ws.export_package(&p, ExportScope::Assessment(id), "0.1.0", &at(30))
        .unwrap();
    p
}

/// A workspace A with an assessment (entries, a link), and an empty workspace B.
fn two_workspaces() -> (tempfile::TempDir, Workspace, i64, Workspace, PathBuf) {
    let (dir, mut a, row) = workspace_with_assessment();
    let e = add(&mut a, b"%PDF notice", "通知");
    a.apply(
        row.id,
        &[
            Change::Rating {
                point: "1".into(),
                rating: Some("A".into()),
            },
            note("1", "已落实。"),
            Change::Evidence {
                point: "2".into(),
                sha256: e.sha256.clone(),
                linked: true,
            },
        ],
        &at(2),
    )
    .unwrap();
    let b = Workspace::open(&dir.path().join("b.zpws")).unwrap();
    let d = dir.path().to_path_buf();
    (dir, a, row.id, b, d)
}

fn import(
    ws: &mut Workspace,
    path: &Path,
    r: &Resolution,
) -> Result<ziping_store::package::ImportReport, StoreError> {
    ws.import_package(path, &Limits::default(), r, &at(40))
}

#[test]
fn round_trip_into_an_empty_workspace_is_identical() {
    let (_dir, mut a, id, mut b, d) = two_workspaces();
    a.freeze(id, &at(5)).unwrap();
    let p = export(&mut a, id, &d, "a.zpk");
    let r = import(&mut b, &p, &Resolution::default()).unwrap();
    assert_eq!(r.created.len(), 1);
    let nb = r.created[0];
    let (ra, rb) = (a.assessment(id).unwrap(), b.assessment(nb).unwrap());
    assert_eq!(
        (ra.uid, ra.status, ra.revision, ra.frozen_at),
        (rb.uid, rb.status, rb.revision, rb.frozen_at)
    );
    assert_eq!(a.entries(id).unwrap(), b.entries(nb).unwrap());
    assert_eq!(
        a.frozen_revision(id, 1).unwrap().sha256,
        b.frozen_revision(nb, 1).unwrap().sha256
    );
    let hashes = |ws: &Workspace| {
        ws.evidence_items()
            .unwrap()
            .into_iter()
            .map(|e| e.sha256)
            .collect::<Vec<_>>()
    };
    assert_eq!(hashes(&a), hashes(&b));
    assert!(b
        .verify_evidence()
        .unwrap()
        .iter()
        .all(|c| c.status == ziping_store::BlobStatus::Ok));
    // History came along (plus one "import" row).
    assert_eq!(
        b.history(nb, None).unwrap().len(),
        a.history(id, None).unwrap().len() + 1
    );
    assert_eq!(b.history(nb, None).unwrap()[0].field, "import");
    // Importing the same package again changes nothing but records the import.
    let r = import(&mut b, &p, &Resolution::default()).unwrap();
    assert_eq!(
        (r.created.len(), r.merged.len(), r.taken, r.evidence_added),
        (0, 1, 0, 0)
    );
}

#[test]
fn merge_takes_the_side_that_changed() {
    let (_dir, mut a, id, mut b, d) = two_workspaces();
    let p1 = export(&mut a, id, &d, "p1.zpk");
    let nb = import(&mut b, &p1, &Resolution::default()).unwrap().created[0];
    // A changes leaf 1, B changes leaf 3 and links new evidence there.
    a.apply(id, &[note("1", "甲改过。")], &at(10)).unwrap();
    b.apply(nb, &[note("3", "乙改过。")], &at(11)).unwrap();
    let e = add(&mut b, b"ledger", "台账");
    b.apply(
        nb,
        &[Change::Evidence {
            point: "3".into(),
            sha256: e.sha256.clone(),
            linked: true,
        }],
        &at(12),
    )
    .unwrap();
    // A → B: leaf 1 taken, leaf 3 kept.
    let p2 = export(&mut a, id, &d, "p2.zpk");
    let r = import(&mut b, &p2, &Resolution::default()).unwrap();
    assert_eq!((r.taken, r.kept, r.conflicts_resolved), (1, 1, 0));
    let eb = b.entries(nb).unwrap();
    assert_eq!(eb["1"].note, "甲改过。");
    assert_eq!(eb["3"].note, "乙改过。");
    // B → A: A gets leaf 3 with its evidence (merged by hash), keeps everything else.
    let p3 = export(&mut b, nb, &d, "p3.zpk");
    let r = import(&mut a, &p3, &Resolution::default()).unwrap();
    assert_eq!((r.taken, r.evidence_added), (1, 1));
    assert_eq!(a.entries(id).unwrap(), b.entries(nb).unwrap());
    assert_eq!(a.evidence_links(None, Some(id)).unwrap().len(), 2);
    let h = a.history(id, None).unwrap();
    assert_eq!(h[0].field, "import");
    assert_eq!(h[0].new_value["taken"], serde_json::json!(["3"]));
    assert!(h
        .iter()
        .any(|r| r.field == "evidence" && r.point.as_deref() == Some("3")));
}

#[test]
fn both_sides_changed_is_a_conflict_resolved_by_preference() {
    for (prefer, want) in [(Side::Theirs, "甲的说明。"), (Side::Mine, "乙的说明。")] {
        let (_dir, mut a, id, mut b, d) = two_workspaces();
        let p1 = export(&mut a, id, &d, "p1.zpk");
        let nb = import(&mut b, &p1, &Resolution::default()).unwrap().created[0];
        a.apply(id, &[note("3", "甲的说明。")], &at(10)).unwrap();
        b.apply(nb, &[note("3", "乙的说明。")], &at(11)).unwrap();
        let p2 = export(&mut a, id, &d, "p2.zpk");
        let (_, plan) = b.preview_package(&p2, &Limits::default()).unwrap();
        assert_eq!(plan.assessments[0].points.len(), 1);
        assert_eq!(plan.assessments[0].points[0].action, MergeAction::Conflict);
        // Unresolved: refused, nothing changed.
        let before = b.history(nb, None).unwrap().len();
        let err = import(&mut b, &p2, &Resolution::default()).unwrap_err();
        assert!(err.to_string().contains("冲突"), "{err}");
        assert_eq!(b.history(nb, None).unwrap().len(), before);
        assert_eq!(b.entries(nb).unwrap()["3"].note, "乙的说明。");
        let r = import(
            &mut b,
            &p2,
            &Resolution {
                prefer: Some(prefer),
                ..Resolution::default()
            },
        )
        .unwrap();
        assert_eq!(r.conflicts_resolved, 1);
        assert_eq!(b.entries(nb).unwrap()["3"].note, want);
    }
}

#[test]
fn a_per_leaf_choice_beats_the_preference() {
    let (_dir, mut a, id, mut b, d) = two_workspaces();
    let p1 = export(&mut a, id, &d, "p1.zpk");
    let nb = import(&mut b, &p1, &Resolution::default()).unwrap().created[0];
    a.apply(id, &[note("1", "甲1"), note("3", "甲3")], &at(10))
        .unwrap();
    b.apply(nb, &[note("1", "乙1"), note("3", "乙3")], &at(11))
        .unwrap();
    let p2 = export(&mut a, id, &d, "p2.zpk");
    let uid = a.assessment(id).unwrap().uid;
    let mut r = Resolution {
        prefer: Some(Side::Mine),
        ..Resolution::default()
    };
    r.choices
        .entry(uid)
        .or_default()
        .insert("3".into(), Side::Theirs);
    import(&mut b, &p2, &r).unwrap();
    let e = b.entries(nb).unwrap();
    assert_eq!((e["1"].note.as_str(), e["3"].note.as_str()), ("乙1", "甲3"));
}

#[test]
fn a_frozen_assessment_refuses_to_take_changes() {
    let (_dir, mut a, id, mut b, d) = two_workspaces();
    let p1 = export(&mut a, id, &d, "p1.zpk");
    let nb = import(&mut b, &p1, &Resolution::default()).unwrap().created[0];
    b.freeze(nb, &at(9)).unwrap();
    a.apply(id, &[note("3", "新说明")], &at(10)).unwrap();
    let p2 = export(&mut a, id, &d, "p2.zpk");
    let err = import(&mut b, &p2, &Resolution::default()).unwrap_err();
    assert!(matches!(err, StoreError::Frozen { .. }), "{err:?}");
}

// ----- bad packages ------------------------------------------------------------------------------

fn entries_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().unwrap().to_string(), v)
        })
        .collect()
}

fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(name.as_str(), o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Replaces every occurrence of `from` by `to` (same length) in the raw bytes: names in the local
/// headers and the central directory, which the zip writer would refuse to write.
fn patch(mut bytes: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut i = 0;
    let mut n = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            n += 1;
        }
        i += 1;
    }
    assert!(n >= 2, "name must be patched in both headers");
    bytes
}

fn refused(bytes: &[u8], limits: &Limits) -> PackageError {
    read_package(Cursor::new(bytes), limits, &mut DiscardBlobs).expect_err("must be refused")
}

fn with_manifest(good: &[u8], edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let entries: Vec<(String, Vec<u8>)> = entries_of(good)
        .into_iter()
        .map(|(n, d)| {
            if n == "manifest.json" {
                let mut m: serde_json::Value = serde_json::from_slice(&d).unwrap();
                edit(&mut m);
                (n, serde_json::to_vec(&m).unwrap())
            } else {
                (n, d)
            }
        })
        .collect();
    zip_of(&entries)
}

fn good_package() -> (tempfile::TempDir, Vec<u8>) {
    let (dir, mut a, id, _b, d) = two_workspaces();
    let p = export(&mut a, id, &d, "good.zpk");
    let bytes = std::fs::read(p).unwrap();
    (dir, bytes)
}

#[test]
fn the_good_package_reads() {
    let (_dir, good) = good_package();
    let pkg = read_package(Cursor::new(&good), &Limits::default(), &mut DiscardBlobs).unwrap();
    assert_eq!(pkg.data.assessments.len(), 1);
    assert_eq!(pkg.data.evidence.len(), 1);
    assert_eq!(pkg.manifest.entries.len(), 2);
}

/// Every bad case: (what, bytes, limits, expected words in the message).
#[test]
fn bad_packages_are_refused_with_the_entry_named() {
    let (_dir, good) = good_package();
    let entries = entries_of(&good);
    let blob = entries
        .iter()
        .find(|(n, _)| n.starts_with("evidence/"))
        .unwrap()
        .0
        .clone();
    let d = Limits::default();
    let mut cases: Vec<(&str, Vec<u8>, Limits, Vec<&str>)> = Vec::new();
    cases.push((
        "truncated half",
        good[..good.len() / 2].to_vec(),
        d.clone(),
        vec!["不完整"],
    ));
    cases.push((
        "truncated tail",
        good[..good.len() - 7].to_vec(),
        d.clone(),
        vec!["不完整"],
    ));
    cases.push(("empty file", Vec::new(), d.clone(), vec!["不完整"]));
    // An altered evidence file (same size) and an altered data.json.
    let altered: Vec<_> = entries
        .iter()
        .map(|(n, v)| {
            let mut v = v.clone();
            if n.starts_with("evidence/") {
                v[0] ^= 1;
            }
            (n.clone(), v)
        })
        .collect();
    cases.push((
        "wrong hash of a file",
        zip_of(&altered),
        d.clone(),
        vec![blob.as_str(), "校验值"],
    ));
    let altered: Vec<_> = entries
        .iter()
        .map(|(n, v)| {
            let mut v = v.clone();
            if n == "data.json" {
                let i = v.iter().position(|&b| b == b'2').unwrap();
                v[i] = b'3';
            }
            (n.clone(), v)
        })
        .collect();
    cases.push((
        "wrong hash of data.json",
        zip_of(&altered),
        d.clone(),
        vec!["data.json", "校验值"],
    ));
    // Unsafe names, written with a placeholder then patched.
    for (bad, words) in [
        (&b"../evil.txt"[..], vec!["..", "包之外"]),
        (&b"/etc/passwd"[..], vec!["/etc/passwd", "绝对路径"]),
        (&b"C:/evil.exe"[..], vec!["C:/evil.exe", "绝对路径"]),
        (&b"..\\evil.bat"[..], vec!["反斜杠"]),
        (&b"evidence/\xff\xfe"[..], vec!["UTF-8"]),
        (&b"readme.txt\0"[..], vec!["控制字符"]),
    ] {
        let placeholder: Vec<u8> = (0..bad.len())
            .map(|i| b"QWERTYUIOPASDFGH"[i % 16])
            .collect();
        let mut e = entries.clone();
        e.push((
            String::from_utf8(placeholder.clone()).unwrap(),
            b"x".to_vec(),
        ));
        cases.push((
            "unsafe name",
            patch(zip_of(&e), &placeholder, bad),
            d.clone(),
            words,
        ));
    }
    // An extra file not in the manifest, a manifest entry whose file is absent.
    let mut e = entries.clone();
    e.push(("evidence/".to_string() + &"0".repeat(64), b"x".to_vec()));
    cases.push((
        "unlisted entry",
        zip_of(&e),
        d.clone(),
        vec!["未列在清单中"],
    ));
    let e: Vec<_> = entries
        .iter()
        .filter(|(n, _)| n != &blob)
        .cloned()
        .collect();
    cases.push((
        "missing entry",
        zip_of(&e),
        d.clone(),
        vec![blob.as_str(), "不完整"],
    ));
    cases.push((
        "unknown entry",
        zip_of(&[entries.clone(), vec![("notes.txt".into(), b"hi".to_vec())]].concat()),
        d.clone(),
        vec!["notes.txt", "不认识"],
    ));
    // Duplicate names: "datb.json" patched to "data.json".
    let mut e = entries.clone();
    e.push(("datb.json".into(), b"{}".to_vec()));
    cases.push((
        "duplicate entry",
        patch(zip_of(&e), b"datb.json", b"data.json"),
        d.clone(),
        vec!["重名"],
    ));
    // Newer format and schema.
    cases.push((
        "newer schema",
        with_manifest(&good, |m| m["schema_version"] = 99.into()),
        d.clone(),
        vec!["较新", "99"],
    ));
    cases.push((
        "newer format",
        with_manifest(&good, |m| m["format_version"] = 7.into()),
        d.clone(),
        vec!["格式版本7较新"],
    ));
    cases.push((
        "not ours",
        with_manifest(&good, |m| m["format"] = "other".into()),
        d.clone(),
        vec!["manifest.json"],
    ));
    cases.push((
        "wrong size",
        with_manifest(&good, |m| m["entries"][0]["size"] = 1.into()),
        d.clone(),
        vec!["不符"],
    ));
    // A bomb: 16 MiB of zeros squeezed into a few KiB.
    let zeros = vec![0u8; 16 << 20];
    let name = format!("evidence/{}", "ab".repeat(32));
    cases.push((
        "ratio bomb",
        zip_of(&[entries.clone(), vec![(name, zeros)]].concat()),
        d.clone(),
        vec!["压缩炸弹"],
    ));
    cases.push((
        "total size",
        good.clone(),
        Limits {
            max_total_size: 1000,
            ..d.clone()
        },
        vec!["压缩炸弹"],
    ));
    cases.push((
        "too many entries",
        good.clone(),
        Limits {
            max_entries: 2,
            ..d.clone()
        },
        vec!["超过上限2个"],
    ));

    for (what, bytes, limits, words) in cases {
        let err = refused(&bytes, &limits);
        let shown = err.to_string();
        for w in words {
            assert!(shown.contains(w), "{what}: {shown:?} should contain {w:?}");
        }
        println!("{what}: {shown}");
    }
}

#[test]
fn a_bad_package_changes_nothing_and_names_the_file() {
    let (dir, good) = good_package();
    let (_d2, mut a, id, mut b, _) = two_workspaces();
    let p_good = dir.path().join("good.zpk");
    let nb = import(&mut b, &p_good, &Resolution::default())
        .unwrap()
        .created[0];
    let _ = (&mut a, id);
    let before = (
        b.history(nb, None).unwrap(),
        b.entries(nb).unwrap(),
        b.evidence_items().unwrap(),
    );
    let files_before = count_files(&b.evidence_dir());
    let mut entries = entries_of(&good);
    for (n, v) in entries.iter_mut() {
        if n.starts_with("evidence/") {
            v.push(b'!');
        }
    }
    // A package whose evidence file grew: refused before the database is touched.
    let bad = dir.path().join("同事的包.zpk");
    std::fs::write(&bad, zip_of(&entries)).unwrap();
    let err = import(&mut b, &bad, &Resolution::default()).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::BadPackage { .. }), "{err:?}");
    assert!(
        msg.contains("同事的包.zpk") && msg.contains("evidence/") && msg.contains("未做任何修改"),
        "{msg}"
    );
    let after = (
        b.history(nb, None).unwrap(),
        b.entries(nb).unwrap(),
        b.evidence_items().unwrap(),
    );
    assert_eq!(before, after);
    assert_eq!(
        count_files(&b.evidence_dir()),
        files_before,
        "no file left behind"
    );
}

fn count_files(dir: &Path) -> usize {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.path().is_dir() {
                n += count_files(&e.path());
            } else {
                n += 1;
            }
        }
    }
    n
}

/// The same reader the fuzz target drives (`fuzz/fuzz_targets/package_reader.rs`), fed a few
/// hundred mutated packages and random byte strings: it must refuse them without panicking.
#[test]
fn fuzz_smoke_the_reader_never_panics() {
    let (_dir, good) = good_package();
    let mut seed: u64 = 0x5A50_5A50_2024;
    let mut next = move || {
        // xorshift64*
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let limits = Limits {
        max_total_size: 1 << 20,
        ..Limits::default()
    };
    for round in 0..400 {
        let mut bytes = if round % 4 == 3 {
            (0..(next() % 600) as usize)
                .map(|_| next() as u8)
                .collect::<Vec<u8>>()
        } else {
            good.clone()
        };
        if !bytes.is_empty() {
            for _ in 0..=(next() % 8) {
                let i = (next() as usize) % bytes.len();
                match next() % 4 {
                    0 => bytes[i] = next() as u8,
                    1 => bytes[i] ^= 1 << (next() % 8),
                    2 => bytes.truncate(i.max(1)),
                    _ => bytes.insert(i, next() as u8),
                }
            }
        }
        let r = std::panic::catch_unwind(|| {
            let _ = read_package(Cursor::new(&bytes), &limits, &mut DiscardBlobs);
        });
        assert!(r.is_ok(), "round {round} panicked");
    }
}

/// The package with data.json edited, and the manifest's size and SHA-256 of data.json updated
/// (a consistent package whose data is bad).
fn with_data(good: &[u8], edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut entries = entries_of(good);
    let i = entries.iter().position(|(n, _)| n == "data.json").unwrap();
    let mut data: serde_json::Value = serde_json::from_slice(&entries[i].1).unwrap();
    edit(&mut data);
    let bytes = serde_json::to_vec(&data).unwrap();
    let (size, sha) = (bytes.len(), format!("{:x}", Sha256::digest(&bytes)));
    entries[i].1 = bytes;
    let patched = zip_of(&entries);
    with_manifest(&patched, |m| {
        for e in m["entries"].as_array_mut().unwrap() {
            if e["name"] == "data.json" {
                e["size"] = size.into();
                e["sha256"] = sha.clone().into();
            }
        }
    })
}

#[test]
fn suggestion_decisions_in_a_package_are_checked() {
    let (_dir, good) = good_package();
    let decision = |point: &str, status: &str, reason: &str| {
        serde_json::json!({
            "point": point, "key": "cv.R6.primary", "status": status, "reason": reason,
            "explanation": "小学校际差异系数0.53，未达到0.50的要求。", "decided_at": "2024-03-01T10:00:00+08:00",
        })
    };
    let set = |decisions: Vec<serde_json::Value>| {
        with_data(&good, move |d| {
            d["assessments"][0]["decisions"] = decisions.clone().into()
        })
    };
    // A good one reads, and the decision is there.
    let ok = set(vec![decision("2", "declined", "数据为预算数。")]);
    let pkg = read_package(Cursor::new(&ok), &Limits::default(), &mut DiscardBlobs).unwrap();
    assert_eq!(pkg.data.assessments[0].decisions.len(), 1);
    assert_eq!(
        pkg.data.assessments[0].decisions[0].reason,
        "数据为预算数。"
    );
    for (what, decisions, words) in [
        (
            "declined without a reason",
            vec![decision("2", "declined", "  ")],
            vec!["data.json", "不采纳", "理由"],
        ),
        (
            "an unknown leaf",
            vec![decision("99", "adopted", "")],
            vec!["data.json", "99", "不在其指标体系中"],
        ),
        (
            "twice the same key",
            vec![
                decision("2", "adopted", ""),
                decision("2", "declined", "否"),
            ],
            vec!["data.json", "重复"],
        ),
    ] {
        let e = refused(&set(decisions), &Limits::default());
        let text = e.to_string();
        for w in words {
            assert!(text.contains(w), "{what}: {text}");
        }
    }
    // An unknown status does not parse at all.
    let e = refused(&set(vec![decision("2", "maybe", "")]), &Limits::default());
    assert!(e.to_string().contains("data.json"), "{e}");
}
