//! TypeScript declarations of every wire DTO, generated with ts-rs into `ui/src/ipc/bindings.ts`.
//!
//! Why: the UI must not drift from the Rust types. The unit test below regenerates the file's
//! content and fails when the committed file differs; run it with `UPDATE_BINDINGS=1` to rewrite
//! the file (`UPDATE_BINDINGS=1 cargo test -p ziping-app bindings`).
//!
//! To add a type: derive `ts_rs::TS` on it and list it in [`typescript`].

use ts_rs::{Config, TS};

macro_rules! decls {
    ($cfg:expr; $($t:ty),* $(,)?) => {
        vec![$(format!("export {}", <$t as TS>::decl($cfg))),*]
    };
}

/// The content of `ui/src/ipc/bindings.ts`.
pub fn typescript() -> String {
    use crate::evidence::*;
    use crate::package::*;
    use crate::statistics::*;
    use crate::workbench::*;
    use crate::*;
    use ziping_core::summary::*;
    use ziping_core::{BonusClaim, Deduction, Entry, Points};
    // Ids are SQLite row ids (far below 2^53): plain numbers, not bigint.
    let cfg = &Config::new().with_large_int("number");
    let decls: Vec<String> = decls![cfg;
        Points, serde_json::Value,
        AppInfo, AppError, ErrorCode,
        SystemInfo, NewAssessment, Progress, AssessmentInfo, DeductionInput, PointEdit, BonusEdit, SummaryDto, HistoryItem,
        Entry, Deduction, BonusClaim,
        Summary, RatedSummary, LevelCount, PointsSummary, PendingPoint, DeductionLine, GroupScore, Missing, MissingKind,
        NodeStatus, StatusCounts, TreeNode, NodeState, LevelOption, NotApplicableOption, BonusOption, Workbench,
        WorkbenchUpdate, GroupResult, Overview, CopyAssessment,
        EvidenceKindOption, EvidenceInput, EvidenceLinkInfo, EvidenceItem, EvidenceAdded, EvidenceFilter,
        EvidenceLinkEdit, EvidenceProblem, EvidenceVerifyReport, EvidenceProgress,
        ExportResult, PointDiff, PackageAssessmentPreview, PackagePreview, ConflictChoice, PackageImportOptions,
        PackageImportResult,
        StatisticsSource, ImportOutcome, FigureDto, MetricsDto, SuggestionDto,
        SuggestionStatus, SuggestionDecisionInput, SuggestionDecided,
        crate::evidence_view::DocNoPreview,
        BackupInfo, RestoreResult,
    ];
    let mut out = String::from(
        "// Generated from the Rust DTOs by ts-rs (crates/ziping-app/src/bindings.rs). Do not edit:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p ziping-app bindings` after changing a DTO.\n\
         /* eslint-disable */\n\n",
    );
    for d in decls {
        out.push_str(d.trim_end());
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn bindings_are_up_to_date() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/ipc/bindings.ts");
        let want = super::typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).expect("write ui/src/ipc/bindings.ts");
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "ui/src/ipc/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p ziping-app bindings` and commit the result"
        );
    }
}
