//! Statistics: stored per assessment, all or nothing, re-import replaces with history.

use ziping_store::{NewStatisticsTable, StatisticsImport, StoreError};

use crate::{at, workspace_with_assessment};

fn import(file: &str, sha: char, tables: &[(&str, &str, u32)]) -> StatisticsImport {
    StatisticsImport {
        source_file: file.to_string(),
        source_sha256: sha.to_string().repeat(64),
        tables: tables
            .iter()
            .map(|(t, json, n)| NewStatisticsTable {
                table: t.to_string(),
                rows_json: json.to_string(),
                row_count: *n,
                sheet: format!("{t}表"),
            })
            .collect(),
    }
}

#[test]
fn import_stores_tables_and_reimport_replaces_with_history() {
    let (_d, mut ws, a) = workspace_with_assessment();
    let h = ws
        .import_statistics(
            a.id,
            &import(
                "一.xlsx",
                'a',
                &[("schools", r#"[{"name":"甲"}]"#, 1), ("finance", "[]", 0)],
            ),
            &at(1),
        )
        .unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].field, "statistics");
    assert_eq!(h[0].point.as_deref(), Some("schools"));
    assert!(h[0].old_value.is_null());
    assert_eq!(h[0].new_value["file"], "一.xlsx");

    let h = ws
        .import_statistics(
            a.id,
            &import(
                "二.xlsx",
                'b',
                &[("schools", r#"[{"name":"甲"},{"name":"乙"}]"#, 2)],
            ),
            &at(2),
        )
        .unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].old_value["file"], "一.xlsx");
    assert_eq!(h[0].old_value["rows"], 1);
    assert_eq!(h[0].new_value["rows"], 2);

    let stored = ws.statistics(a.id).unwrap();
    let keys: Vec<(&str, &str, u32)> = stored
        .iter()
        .map(|t| (t.table.as_str(), t.source_file.as_str(), t.row_count))
        .collect();
    assert_eq!(
        keys,
        vec![("schools", "二.xlsx", 2), ("finance", "一.xlsx", 0)]
    );
    assert_eq!(stored[0].rows_json, r#"[{"name":"甲"},{"name":"乙"}]"#);
    assert_eq!(stored[0].imported_at, at(2));
    let history = ws.history(a.id, Some("schools")).unwrap();
    assert_eq!(history.len(), 2);
}

#[test]
fn an_invalid_import_writes_nothing() {
    let (_d, mut ws, a) = workspace_with_assessment();
    let bad = import(
        "坏.xlsx",
        'c',
        &[("schools", "[]", 0), ("classes", "{not json", 0)],
    );
    assert!(matches!(
        ws.import_statistics(a.id, &bad, &at(1)),
        Err(StoreError::Invalid(_))
    ));
    let unknown = import(
        "坏.xlsx",
        'c',
        &[("schools", "[]", 0), ("teachers", "[]", 0)],
    );
    assert!(matches!(
        ws.import_statistics(a.id, &unknown, &at(1)),
        Err(StoreError::Invalid(_))
    ));
    let mut bad_sha = import("坏.xlsx", 'c', &[("schools", "[]", 0)]);
    bad_sha.source_sha256 = "xyz".into();
    assert!(matches!(
        ws.import_statistics(a.id, &bad_sha, &at(1)),
        Err(StoreError::Invalid(_))
    ));
    assert!(ws.statistics(a.id).unwrap().is_empty());
    assert!(ws.history(a.id, None).unwrap().is_empty());
    assert!(matches!(
        ws.import_statistics(9999, &import("x.xlsx", 'd', &[]), &at(1)),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn frozen_assessments_refuse_imports_and_deleting_the_assessment_drops_its_data() {
    let (_d, mut ws, a) = workspace_with_assessment();
    ws.import_statistics(
        a.id,
        &import("一.xlsx", 'a', &[("schools", "[]", 0)]),
        &at(1),
    )
    .unwrap();
    ws.freeze(a.id, &at(2)).unwrap();
    let err = ws
        .import_statistics(
            a.id,
            &import("二.xlsx", 'b', &[("schools", "[]", 0)]),
            &at(3),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Frozen { .. }));
    assert_eq!(ws.statistics(a.id).unwrap()[0].source_file, "一.xlsx");
    ws.new_revision(a.id, &at(4)).unwrap();
    ws.delete_assessment(a.id).unwrap();
    assert!(matches!(
        ws.statistics(a.id),
        Err(StoreError::NotFound { .. })
    ));
}
