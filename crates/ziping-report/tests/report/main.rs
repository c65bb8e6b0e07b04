//! Tests of ziping-report that need no workspace: the line breaker (data-driven), the document
//! model's helpers. The PDF, DOCX and XLSX of real assessments are tested in ziping-app
//! (`tests/app/report.rs`), where the demo workspace exists.

mod fonts;
mod linebreak;
