//! Evidence and packages through the façade: 缺佐证, 文号 normalisation, round trip of the demo
//! workspace with identical summaries and evidence hashes, conflicts.

use ziping_app::{App, ErrorCode, EvidenceFilter, EvidenceInput, EvidenceLinkEdit, PackageImportOptions, PointEdit};
use ziping_core::MissingKind;

use crate::{fixture, new_assessment, test_clock};

fn input(title: &str, doc_no: &str) -> EvidenceInput {
    EvidenceInput {
        title: title.into(),
        kind: "文件".into(),
        issuer: "示例县人民政府".into(),
        doc_no: doc_no.into(),
        ..Default::default()
    }
}

#[test]
fn linking_evidence_clears_the_missing_flag_and_doc_numbers_are_normalised() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    let file = f.path.with_file_name("通知.pdf");
    std::fs::write(&file, b"%PDF-1.4").unwrap();
    let added = f.app.add_evidence(&file, &input("关于加强控辍保学工作的通知", "示政发【２０２４】第012号")).unwrap();
    assert!(!added.already_stored);
    assert_eq!(added.item.doc_no, "示政发〔2024〕12号");
    assert!(!added.item.doc_no_flagged);
    assert_eq!(added.item.kind_label, "文件");
    let again = f.app.add_evidence(&file, &EvidenceInput::default()).unwrap();
    assert!(again.already_stored);
    assert_eq!(again.item.id, added.item.id);

    let evidence_missing = |app: &App| {
        app.summary(id).unwrap().missing.iter().filter(|m| m.kind == MissingKind::EvidenceMissing).count()
    };
    assert_eq!(evidence_missing(&f.app), 24);
    let h = f.app.link_evidence(&EvidenceLinkEdit { evidence: added.item.id, assessment: id, point: "3".into() }).unwrap();
    assert_eq!(h.len(), 1);
    assert!(h[0].change.contains("已关联《关于加强控辍保学工作的通知》"), "{}", h[0].change);
    assert_eq!(evidence_missing(&f.app), 23);
    let s = f.app.summary(id).unwrap();
    assert!(s.missing.iter().any(|m| m.message.starts_with("第4测评点缺佐证材料（应提供：")), "{:?}", s.missing);
    // Leaf order: 第3 has no 缺佐证 any more, 第1 comes first.
    assert_eq!(s.missing[0].point, "1");

    assert_eq!(f.app.point_evidence(id, "3").unwrap().len(), 1);
    let listed = f.app.evidence_list(&EvidenceFilter { query: Some("控辍".into()), ..Default::default() }).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].links[0].point_label, "第3测评点");
    assert!(f.app.evidence_list(&EvidenceFilter { unlinked: true, ..Default::default() }).unwrap().is_empty());

    let bad = f.app.update_evidence(added.item.id, &input("通知", "示政发2024年12号")).unwrap();
    assert!(bad.doc_no_flagged);
    assert_eq!(bad.doc_no, "示政发2024年12号");

    let err = f.app.delete_evidence(added.item.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    f.app.unlink_evidence(&EvidenceLinkEdit { evidence: added.item.id, assessment: id, point: "3".into() }).unwrap();
    f.app.delete_evidence(added.item.id).unwrap();
    assert!(f.app.verify_evidence().unwrap().problems.is_empty());
}

#[test]
fn demo_round_trip_gives_identical_summaries_and_hashes() {
    let mut f = fixture();
    let ids = ziping_app::create_demo(&mut f.app).unwrap();
    for (i, name) in ["甲.pdf", "乙.jpg"].iter().enumerate() {
        let p = f.path.with_file_name(name);
        std::fs::write(&p, format!("content {i}")).unwrap();
        let e = f.app.add_evidence(&p, &input(name, "")).unwrap();
        f.app.link_evidence(&EvidenceLinkEdit { evidence: e.item.id, assessment: ids[1], point: "1".into() }).unwrap();
    }
    // 采纳 one suggestion and 不采纳 another (with its reason) on the 24-point assessment.
    let open: Vec<(String, String)> = (1..=24)
        .map(|c| c.to_string())
        .flat_map(|c| f.app.point_suggestions(ids[1], &c).unwrap().into_iter().map(move |s| (c.clone(), s)))
        .filter(|(_, s)| s.status.status == "open")
        .map(|(c, s)| (c, s.key.clone()))
        .collect();
    assert!(open.len() >= 2, "the demo statistics give suggestions: {open:?}");
    f.app.adopt_suggestion(ids[1], &open[0].0, Some(&open[0].1)).unwrap();
    f.app.decline_suggestion(ids[1], &open[1].0, Some(&open[1].1), "数据为预算数，待决算后复核。").unwrap();
    let pkg = f.path.with_file_name("工作区.zpk");
    let r = f.app.export_package(None, &pkg).unwrap();
    // The demo's own 17 items and the two added here.
    assert_eq!((r.assessments, r.evidence), (2, 19));

    let other = f.path.with_file_name("同事.sqlite");
    let mut b = App::open_with_clock(&other, test_clock()).unwrap();
    let preview = b.preview_package(&pkg).unwrap();
    assert!(preview.assessments.iter().all(|a| a.local_id.is_none()));
    let res = b.import_package(&pkg, &PackageImportOptions::default()).unwrap();
    assert_eq!(res.created.len(), 2);
    for (a_id, b_id) in ids.iter().zip(&res.created) {
        let (sa, sb) = (f.app.summary(*a_id).unwrap(), b.summary(*b_id).unwrap());
        assert_eq!(sa.summary, sb.summary);
        assert_eq!(sa.conclusion, sb.conclusion);
        assert_eq!(sa.missing, sb.missing);
    }
    let hashes = |app: &App| {
        let mut v: Vec<String> =
            app.evidence_list(&EvidenceFilter::default()).unwrap().into_iter().map(|e| e.sha256).collect();
        v.sort();
        v
    };
    assert_eq!(hashes(&f.app), hashes(&b));
    assert_eq!(b.verify_evidence().unwrap().ok, 19);

    // The decisions arrive identical (rows, reasons, times), and with the same statistics they
    // show as decided in the other workspace too.
    let rows = |path: &std::path::Path, id: i64| ziping_store::Workspace::open(path).unwrap().suggestion_decisions(id).unwrap();
    let mine = rows(&f.path, ids[1]);
    assert_eq!(mine.len(), 2);
    assert_eq!(mine, rows(&other, res.created[1]));
    assert!(mine.iter().any(|d| d.reason == "数据为预算数，待决算后复核。"));
    b.import_statistics_bytes(res.created[1], ziping_app::demo::DEMO_WORKBOOK_NAME, ziping_app::demo::DEMO_WORKBOOK)
        .unwrap();
    for (point, key) in &open[..2] {
        let status = |app: &App, id: i64| {
            app.point_suggestions(id, point).unwrap().into_iter().find(|s| &s.key == key).unwrap().status
        };
        assert_eq!(status(&f.app, ids[1]), status(&b, res.created[1]), "{point} {key}");
    }
}

#[test]
fn suggestion_decisions_merge_per_leaf_and_old_packages_without_them_import() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    f.app.import_statistics_bytes(id, ziping_app::demo::DEMO_WORKBOOK_NAME, ziping_app::demo::DEMO_WORKBOOK).unwrap();
    let open: Vec<(String, String)> = (1..=24)
        .map(|c| c.to_string())
        .flat_map(|c| f.app.point_suggestions(id, &c).unwrap().into_iter().map(move |s| (c.clone(), s.key.clone())))
        .collect();
    let p1 = f.path.with_file_name("p1.zpk");
    f.app.export_package(Some(id), &p1).unwrap();
    let other = f.path.with_file_name("b.sqlite");
    let mut b = App::open_with_clock(&other, test_clock()).unwrap();
    let bid = b.import_package(&p1, &PackageImportOptions::default()).unwrap().created[0];
    // Statistics are not in packages: the colleague imports the same workbook.
    b.import_statistics_bytes(bid, ziping_app::demo::DEMO_WORKBOOK_NAME, ziping_app::demo::DEMO_WORKBOOK).unwrap();

    // A colleague declines a suggestion; the package brings it over (theirs changed, mine not).
    let (point, key) = &open[0];
    f.app.decline_suggestion(id, point, Some(key), "该校已撤并，数据待更新。").unwrap();
    let p2 = f.path.with_file_name("p2.zpk");
    f.app.export_package(Some(id), &p2).unwrap();
    let preview = b.preview_package(&p2).unwrap();
    assert!(preview.assessments[0].conflicts.is_empty(), "{:?}", preview.assessments[0].conflicts);
    let res = b.import_package(&p2, &PackageImportOptions::default()).unwrap();
    assert_eq!(res.merged, vec![bid]);
    let rows = |path: &std::path::Path, id: i64| ziping_store::Workspace::open(path).unwrap().suggestion_decisions(id).unwrap();
    let theirs = rows(&other, bid);
    assert_eq!(theirs.len(), 1);
    assert_eq!((theirs[0].point.as_str(), theirs[0].key.as_str(), theirs[0].reason.as_str()), (&point[..], &key[..], "该校已撤并，数据待更新。"));
    let history = b.history(bid, Some(point)).unwrap();
    assert!(history.iter().any(|h| h.field == "suggestion"), "the taken decision is in the history");

    // Both decide the same suggestion differently: a conflict on that leaf, named in the preview.
    f.app.decline_suggestion(id, point, Some(key), "甲：数据口径不一致。").unwrap();
    b.decline_suggestion(bid, point, Some(key), "乙：已与学校核实。").unwrap();
    let p3 = f.path.with_file_name("p3.zpk");
    f.app.export_package(Some(id), &p3).unwrap();
    let preview = b.preview_package(&p3).unwrap();
    assert_eq!(preview.assessments[0].conflicts.len(), 1);
    assert!(preview.assessments[0].conflicts[0].theirs.contains("不采纳1条"), "{:?}", preview.assessments[0].conflicts[0]);
    let theirs_wins = PackageImportOptions { prefer: Some("theirs".into()), ..PackageImportOptions::default() };
    b.import_package(&p3, &theirs_wins).unwrap();
    assert_eq!(rows(&other, bid)[0].reason, "甲：数据口径不一致。");

    // A package written before decisions were carried: data.json without the "decisions" field.
    let old = f.path.with_file_name("旧版.zpk");
    rewrite_without_decisions(&p3, &old);
    let c = f.path.with_file_name("c.sqlite");
    let mut c_app = App::open_with_clock(&c, test_clock()).unwrap();
    let cid = c_app.import_package(&old, &PackageImportOptions::default()).unwrap().created[0];
    assert!(rows(&c, cid).is_empty());
    assert_eq!(c_app.summary(cid).unwrap().summary, f.app.summary(id).unwrap().summary);
}

/// Copies a package, removing every assessment's "decisions" from data.json and updating the
/// manifest's size and SHA-256 of data.json (what an older version wrote).
fn rewrite_without_decisions(from: &std::path::Path, to: &std::path::Path) {
    use sha2::{Digest, Sha256};
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        entries.push((e.name().unwrap().to_string(), bytes));
    }
    let data_pos = entries.iter().position(|(n, _)| n == "data.json").unwrap();
    let mut data: serde_json::Value = serde_json::from_slice(&entries[data_pos].1).unwrap();
    let mut had = 0;
    for a in data["assessments"].as_array_mut().unwrap() {
        had += usize::from(a.as_object_mut().unwrap().remove("decisions").is_some());
    }
    assert_eq!(had, 1, "the package carried the decisions");
    let new_data = serde_json::to_vec(&data).unwrap();
    let manifest_pos = entries.iter().position(|(n, _)| n == "manifest.json").unwrap();
    let mut manifest: serde_json::Value = serde_json::from_slice(&entries[manifest_pos].1).unwrap();
    for m in manifest["entries"].as_array_mut().unwrap() {
        if m["name"] == "data.json" {
            m["size"] = new_data.len().into();
            m["sha256"] = format!("{:x}", Sha256::digest(&new_data)).into();
        }
    }
    entries[data_pos].1 = new_data;
    entries[manifest_pos].1 = serde_json::to_vec(&manifest).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for (name, bytes) in entries {
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn conflicts_need_a_choice() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    let pkg = f.path.with_file_name("p1.zpk");
    f.app.export_package(Some(id), &pkg).unwrap();
    let mut b = App::open_with_clock(&f.path.with_file_name("b.sqlite"), test_clock()).unwrap();
    let bid = b.import_package(&pkg, &PackageImportOptions::default()).unwrap().created[0];
    let note = |app: &mut App, a: i64, t: &str| {
        app.edit_point(&PointEdit { assessment: a, point: "2".into(), note: Some(t.into()), ..Default::default() })
            .unwrap();
    };
    note(&mut f.app, id, "甲写的。");
    note(&mut b, bid, "乙写的。");
    let pkg2 = f.path.with_file_name("p2.zpk");
    f.app.export_package(Some(id), &pkg2).unwrap();
    let p = b.preview_package(&pkg2).unwrap();
    assert_eq!(p.assessments[0].conflicts.len(), 1);
    assert_eq!(p.assessments[0].conflicts[0].label, "第2测评点");
    assert!(p.assessments[0].conflicts[0].theirs.contains("甲写的"), "{:?}", p.assessments[0].conflicts[0]);
    let err = b.import_package(&pkg2, &PackageImportOptions::default()).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("第2测评点"), "{}", err.message);
    let options = PackageImportOptions {
        prefer: None,
        choices: vec![ziping_app::ConflictChoice { uid: p.assessments[0].uid.clone(), point: "2".into(), keep: "theirs".into() }],
    };
    let r = b.import_package(&pkg2, &options).unwrap();
    assert_eq!(r.conflicts_resolved, 1);
    assert_eq!(b.entries(bid).unwrap()["2"].note, "甲写的。");
    assert!(b.history(bid, None).unwrap()[0].change.contains("从“p2.zpk”合并"));
}

#[test]
fn a_truncated_package_is_refused_by_name() {
    let mut f = fixture();
    let id = new_assessment(&mut f.app, "sample-county-24");
    let pkg = f.path.with_file_name("半截.zpk");
    f.app.export_package(Some(id), &pkg).unwrap();
    let bytes = std::fs::read(&pkg).unwrap();
    std::fs::write(&pkg, &bytes[..bytes.len() / 3]).unwrap();
    let err = f.app.preview_package(&pkg).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadPackage);
    assert!(err.message.contains("半截.zpk") && err.message.contains("截断"), "{}", err.message);
}

#[test]
fn a_large_file_reports_its_copy_progress_and_is_stored_under_its_sha256() {
    use sha2::{Digest, Sha256};
    let mut f = fixture();
    // 6 MiB and a bit, not a multiple of the chunk size, with varied content.
    let size = 6 * 1024 * 1024 + 12_345;
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let bytes: Vec<u8> = (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let file = f.path.with_file_name("2024年校园安全巡查视频截图合集.zip");
    std::fs::write(&file, &bytes).unwrap();
    let expected = format!("{:x}", Sha256::digest(&bytes));

    let mut reports = Vec::new();
    let added = f
        .app
        .add_evidence_with_progress(&file, &EvidenceInput::default(), &mut |p| reports.push(p.clone()))
        .unwrap();
    let total = size as u64;
    assert!(reports.iter().all(|p| p.total == total && p.path == file.display().to_string()), "{:?}", reports.first());
    assert_eq!(reports.first().map(|p| p.done), Some(0), "the first report is 0 bytes");
    assert_eq!(reports.last().map(|p| p.done), Some(total), "the last report is the whole file");
    assert!(reports.windows(2).all(|w| w[0].done < w[1].done), "progress only grows");
    // Reported while copying, about every 256 KiB (1 % of 6 MiB is less), not for every 64 KiB chunk.
    assert!((20..=40).contains(&reports.len()), "{} reports", reports.len());

    assert_eq!(added.item.sha256, expected);
    assert_eq!(added.item.size, total);
    let stored = f.app.evidence_file_path(added.item.id).unwrap();
    assert!(stored.ends_with(format!("{}/{}", &expected[..2], &expected[2..])), "{}", stored.display());
    assert_eq!(format!("{:x}", Sha256::digest(std::fs::read(&stored).unwrap())), expected);

    // The same content again: copied (and reported) again, stored once.
    let mut again = Vec::new();
    let second = f.app.add_evidence_with_progress(&file, &EvidenceInput::default(), &mut |p| again.push(p.done)).unwrap();
    assert!(second.already_stored);
    assert_eq!((again.first(), again.last()), (Some(&0), Some(&total)));

    // An empty file: one report, 0 of 0.
    let empty = f.path.with_file_name("空白.txt");
    std::fs::write(&empty, b"").unwrap();
    let mut zero = Vec::new();
    f.app.add_evidence_with_progress(&empty, &EvidenceInput::default(), &mut |p| zero.push((p.done, p.total))).unwrap();
    assert_eq!(zero, vec![(0, 0)]);
}

#[test]
fn viewer_copies_older_than_a_day_are_cleaned_and_this_runs_folder_is_kept() {
    use std::time::{Duration, SystemTime};
    use ziping_app::evidence_view::{clean_view_copies_in, own_view_dir, view_root, VIEW_COPY_MAX_AGE};

    // A copy for the system viewer goes into this run's own folder of the viewer root.
    let mut f = fixture();
    let added = f.app.add_evidence_bytes("督导报告.pdf", b"%PDF-1.4 view copy", &EvidenceInput::default()).unwrap();
    let copy = f.app.evidence_view_copy(added.item.id).unwrap();
    assert!(copy.starts_with(own_view_dir()) && own_view_dir().starts_with(view_root()), "{}", copy.display());
    assert_eq!(VIEW_COPY_MAX_AGE, Duration::from_secs(86_400));

    // Left-overs of earlier runs, read-only like real copies, some older than a day.
    let root = tempfile::tempdir().unwrap();
    let day = Duration::from_secs(86_400);
    let put = |rel: &str, age: Duration| {
        let path = root.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, rel.as_bytes()).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - age).unwrap();
        drop(file);
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        path
    };
    let old_a = put("p111/0123456789abcdef/会议纪要.pdf", day * 2);
    let fresh = put("p111/fedcba9876543210/台账.xlsx", Duration::from_secs(3600));
    let old_b = put("p222/00112233aabbccdd/照片.jpg", day + Duration::from_secs(60));
    let legacy = put("a1b2c3d4e5f60718/旧版副本.txt", day * 30);
    let mine = put("p999/1111222233334444/正在查看.pdf", day * 3);

    let removed = clean_view_copies_in(root.path(), day, &root.path().join("p999"));
    assert_eq!(removed, 3);
    for gone in [&old_a, &old_b, &legacy] {
        assert!(!gone.exists(), "{} removed", gone.display());
    }
    assert!(fresh.exists(), "a copy younger than a day is kept");
    assert!(mine.exists(), "this run's folder is never touched");
    assert!(!root.path().join("p222").exists(), "an emptied folder is removed");
    assert!(!root.path().join("p111/0123456789abcdef").exists());
    assert!(root.path().join("p111").exists());

    // Nothing old left: a second run removes nothing; a missing root is no error.
    assert_eq!(clean_view_copies_in(root.path(), day, &root.path().join("p999")), 0);
    assert_eq!(clean_view_copies_in(&root.path().join("不存在"), day, &root.path().join("p999")), 0);
}
