//! # ziping-desktop: the Tauri shell of 履职自评
//!
//! This crate is deliberately thin. It owns the window, the command-line flags of the desktop
//! binary and the list of Tauri commands; every command is a one- to three-line wrapper that calls
//! the façade crate `ziping-app` and returns its wire DTOs or its `AppError {code, message}`.
//! There is no domain logic, no SQL and no file format here.
//!
//! To add a command: write the use case in `ziping-app`, add a `#[tauri::command]` wrapper below,
//! list it in [`run`]'s `generate_handler!`, and call it from `ui/src/ipc/index.ts` (the only place
//! in the UI that calls `invoke()`).

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Mutex;

use tauri::{Emitter, Manager, State};
use ziping_app::{
    App, AppError, AssessmentInfo, BonusEdit, CopyAssessment, EvidenceItem, HistoryItem, NewAssessment, Overview,
    PointEdit, SystemInfo, Workbench, WorkbenchUpdate,
};

/// The workspace SQLite file this window works on, chosen at start-up (`--db PATH`, or
/// [`ziping_app::default_workspace_path`], the same default as the CLI's). Kept in Tauri's managed state
/// for the commands that need it.
#[derive(Clone, Debug)]
pub struct WorkspaceDb {
    pub path: PathBuf,
}

/// What the command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// `--db PATH`: the workspace file to open; `None` means the default location.
    pub db: Option<PathBuf>,
}

/// The usage text printed for `--help` and for a malformed command line.
pub const USAGE: &str = "用法：ziping-desktop [--db 工作区文件.sqlite]\n\n  --db PATH   打开指定的工作区文件（默认：用户数据目录下的 cn.ziping.app/workspace.sqlite，与命令行工具相同；首次启动时自动创建并写入示例县演示数据）\n  -h, --help  显示本帮助";

/// Parses the desktop binary's arguments (without the program name). Unknown arguments are an error
/// so that a typo does not silently open the default workspace.
pub fn parse_args<I>(args: I) -> Result<Option<Args>, String>
where
    I: IntoIterator<Item = OsString>,
{
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "-h" || text == "--help" {
            return Ok(None);
        } else if text == "--db" {
            let value = args.next().ok_or_else(|| "参数 --db 缺少工作区文件路径".to_string())?;
            parsed.db = Some(PathBuf::from(value));
        } else if let Some(value) = text.strip_prefix("--db=") {
            parsed.db = Some(PathBuf::from(value));
        } else {
            return Err(format!("无法识别的参数：{text}"));
        }
        if parsed.db.as_ref().is_some_and(|p| p.as_os_str().is_empty()) {
            return Err("参数 --db 的工作区文件路径为空".to_string());
        }
    }
    Ok(Some(parsed))
}

/// The open workspace, shared by all commands behind a mutex. Opening may fail (a file that is not a
/// workspace, a newer schema…): then every command answers with that error, which the UI shows.
pub struct Workspace(Mutex<Result<App, AppError>>);

impl Workspace {
    pub fn open(path: &std::path::Path) -> Workspace {
        Workspace(Mutex::new(App::open(path)))
    }

    /// Runs one use case on the open workspace.
    fn with<T>(&self, f: impl FnOnce(&mut App) -> Result<T, AppError>) -> Result<T, AppError> {
        let mut guard = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match guard.as_mut() {
            Ok(app) => f(app),
            Err(e) => Err(e.clone()),
        }
    }
}

type Ws<'a> = State<'a, Workspace>;
type Res<T> = Result<T, AppError>;

/// The product's name and version (the first IPC round trip the UI makes).
#[tauri::command]
fn app_info() -> ziping_app::AppInfo {
    ziping_app::app_info()
}

/// The workspace file this window works on.
#[tauri::command]
fn workspace_path(db: State<'_, WorkspaceDb>) -> String {
    db.path.display().to_string()
}

#[tauri::command]
fn systems() -> Res<Vec<SystemInfo>> {
    ziping_app::systems()
}

#[tauri::command(async)]
fn assessments(ws: Ws<'_>) -> Res<Vec<AssessmentInfo>> {
    ws.with(|app| app.assessments())
}

#[tauri::command(async)]
fn create_assessment(ws: Ws<'_>, new: NewAssessment) -> Res<AssessmentInfo> {
    ws.with(|app| app.create_assessment(&new))
}

#[tauri::command(async)]
fn copy_assessment(ws: Ws<'_>, copy: CopyAssessment) -> Res<AssessmentInfo> {
    ws.with(|app| app.copy_assessment(&copy))
}

#[tauri::command(async)]
fn delete_assessment(ws: Ws<'_>, id: i64) -> Res<()> {
    ws.with(|app| app.delete_assessment(id))
}

#[tauri::command(async)]
fn create_demo(ws: Ws<'_>) -> Res<Vec<i64>> {
    ws.with(ziping_app::create_demo)
}

#[tauri::command(async)]
fn workbench(ws: Ws<'_>, id: i64) -> Res<Workbench> {
    ws.with(|app| app.workbench(id))
}

#[tauri::command(async)]
fn save_point(ws: Ws<'_>, edit: PointEdit) -> Res<WorkbenchUpdate> {
    ws.with(|app| app.save_point(&edit))
}

#[tauri::command(async)]
fn save_bonus(ws: Ws<'_>, edit: BonusEdit) -> Res<WorkbenchUpdate> {
    ws.with(|app| app.save_bonus(&edit))
}

#[tauri::command(async)]
fn overview(ws: Ws<'_>, id: i64) -> Res<Overview> {
    ws.with(|app| app.overview(id))
}

#[tauri::command(async)]
fn history(ws: Ws<'_>, id: i64, point: Option<String>) -> Res<Vec<HistoryItem>> {
    ws.with(|app| app.history(id, point.as_deref()))
}

#[tauri::command(async)]
fn revert(ws: Ws<'_>, id: i64, change: i64) -> Res<Vec<HistoryItem>> {
    ws.with(|app| app.revert(id, change))
}

#[tauri::command(async)]
fn freeze(ws: Ws<'_>, id: i64) -> Res<AssessmentInfo> {
    ws.with(|app| app.freeze(id))
}

#[tauri::command(async)]
fn new_revision(ws: Ws<'_>, id: i64) -> Res<AssessmentInfo> {
    ws.with(|app| app.new_revision(id))
}

#[tauri::command(async)]
fn point_evidence(ws: Ws<'_>, id: i64, point: String) -> Res<Vec<EvidenceItem>> {
    ws.with(|app| app.point_evidence(id, &point))
}

#[tauri::command(async)]
fn suggestions(ws: Ws<'_>, id: i64) -> Res<Vec<ziping_app::statistics::SuggestionDto>> {
    ws.with(|app| app.suggestions(id))
}

// ----- 佐证材料 (evidence), packages, statistics and suggestion decisions -----

type Evidence = ziping_app::EvidenceItem;

#[tauri::command]
fn evidence_kinds() -> Vec<ziping_app::EvidenceKindOption> {
    ziping_app::evidence_kinds()
}

#[tauri::command]
fn doc_no_preview(text: String) -> ziping_app::evidence_view::DocNoPreview {
    ziping_app::evidence_view::doc_no_preview(&text)
}

#[tauri::command(async)]
fn evidence_list(ws: Ws<'_>, filter: ziping_app::EvidenceFilter) -> Res<Vec<Evidence>> {
    ws.with(|app| app.evidence_list(&filter))
}

/// Adds one file; while it is copied and hashed, `evidence-progress` events carry how far it is
/// ([`ziping_app::EvidenceProgress`]) for the UI's per-file percentage.
#[tauri::command(async)]
fn add_evidence(
    shell: tauri::AppHandle,
    ws: Ws<'_>,
    path: PathBuf,
    input: ziping_app::EvidenceInput,
) -> Res<ziping_app::EvidenceAdded> {
    let mut progress = |p: &ziping_app::EvidenceProgress| drop(shell.emit("evidence-progress", p));
    ws.with(|app| app.add_evidence_with_progress(&path, &input, &mut progress))
}

#[tauri::command(async)]
fn update_evidence(ws: Ws<'_>, id: i64, input: ziping_app::EvidenceInput) -> Res<Evidence> {
    ws.with(|app| app.update_evidence(id, &input))
}

#[tauri::command(async)]
fn delete_evidence(ws: Ws<'_>, id: i64) -> Res<()> {
    ws.with(|app| app.delete_evidence(id))
}

#[tauri::command(async)]
fn link_evidence(ws: Ws<'_>, edit: ziping_app::EvidenceLinkEdit) -> Res<Vec<HistoryItem>> {
    ws.with(|app| app.link_evidence(&edit))
}

#[tauri::command(async)]
fn unlink_evidence(ws: Ws<'_>, edit: ziping_app::EvidenceLinkEdit) -> Res<Vec<HistoryItem>> {
    ws.with(|app| app.unlink_evidence(&edit))
}

#[tauri::command(async)]
fn verify_evidence(ws: Ws<'_>) -> Res<ziping_app::EvidenceVerifyReport> {
    ws.with(|app| app.verify_evidence())
}

/// Opens a read-only copy of the item's file with the system viewer.
#[tauri::command(async)]
fn open_evidence(ws: Ws<'_>, id: i64) -> Res<()> {
    let path = ws.with(|app| app.evidence_view_copy(id))?;
    tauri_plugin_opener::open_path(&path, None::<&str>)
        .map_err(|e| AppError::new(ziping_app::ErrorCode::Io, format!("无法用系统程序打开“{}”：{e}", path.display())))
}

#[tauri::command(async)]
fn export_package(ws: Ws<'_>, assessment: Option<i64>, path: PathBuf) -> Res<ziping_app::ExportResult> {
    ws.with(|app| app.export_package(assessment, &path))
}

#[tauri::command(async)]
fn preview_package(ws: Ws<'_>, path: PathBuf) -> Res<ziping_app::PackagePreview> {
    ws.with(|app| app.preview_package(&path))
}

#[tauri::command(async)]
fn import_package(
    ws: Ws<'_>,
    path: PathBuf,
    options: ziping_app::PackageImportOptions,
) -> Res<ziping_app::PackageImportResult> {
    ws.with(|app| app.import_package(&path, &options))
}

/// 备份与恢复: the backups beside the workspace, newest first.
#[tauri::command(async)]
fn backups(ws: Ws<'_>) -> Res<Vec<ziping_app::BackupInfo>> {
    ws.with(|app| app.backups())
}

#[tauri::command(async)]
fn backup_now(ws: Ws<'_>) -> Res<ziping_app::BackupInfo> {
    ws.with(|app| app.backup_now())
}

/// A backup to a file the user chose in the native save dialog.
#[tauri::command(async)]
fn backup_to(ws: Ws<'_>, path: PathBuf) -> Res<ziping_app::BackupInfo> {
    ws.with(|app| app.backup_to(&path))
}

#[tauri::command(async)]
fn restore_backup(ws: Ws<'_>, path: PathBuf) -> Res<ziping_app::RestoreResult> {
    ws.with(|app| app.restore(&path))
}

#[tauri::command(async)]
fn preview_import(ws: Ws<'_>, path: PathBuf) -> Res<ziping_app::ImportPreview> {
    ws.with(|app| app.preview_import(&path))
}

#[tauri::command(async)]
fn import_statistics(ws: Ws<'_>, assessment: i64, path: PathBuf) -> Res<ziping_app::statistics::ImportOutcome> {
    ws.with(|app| app.import_statistics(assessment, &path))
}

#[tauri::command(async)]
fn statistics_sources(ws: Ws<'_>, assessment: i64) -> Res<Vec<ziping_app::statistics::StatisticsSource>> {
    ws.with(|app| app.statistics_sources(assessment))
}

#[tauri::command(async)]
fn statistics_tables(ws: Ws<'_>, assessment: i64) -> Res<ziping_app::Tables> {
    ws.with(|app| app.statistics_tables(assessment))
}

#[tauri::command(async)]
fn metrics(ws: Ws<'_>, assessment: i64) -> Res<ziping_app::statistics::MetricsDto> {
    ws.with(|app| app.metrics(assessment))
}

#[tauri::command(async)]
fn write_template(path: PathBuf) -> Res<()> {
    ziping_app::statistics::write_template(&path)
}

#[tauri::command(async)]
fn point_suggestions(ws: Ws<'_>, assessment: i64, point: String) -> Res<Vec<ziping_app::statistics::SuggestionDto>> {
    ws.with(|app| app.point_suggestions(assessment, &point))
}

/// 采纳 / 不采纳, with the leaf's new state for the workbench.
#[tauri::command(async)]
fn decide_suggestion(
    ws: Ws<'_>,
    input: ziping_app::SuggestionDecisionInput,
) -> Res<(ziping_app::SuggestionDecided, WorkbenchUpdate)> {
    ws.with(|app| Ok((app.decide_suggestion(&input)?, app.workbench_update(input.assessment, Some(&input.point))?)))
}

// 导出 (the report) and 指标体系 (the library of indicator systems). The report and the system
// files are slow enough to block the window: those commands run on the async runtime.

/// The report's section switches and font roles, with Chinese labels.
#[tauri::command]
fn report_defaults() -> ziping_app::report::ReportDefaults {
    ziping_app::report::report_defaults()
}

/// The report's prefilled texts (title, 主送机关, basis, 基本情况, 落款, date).
#[tauri::command]
fn report_draft(ws: Ws<'_>, id: i64) -> Res<ziping_app::report::ReportDraft> {
    ws.with(|app| app.report_draft(id))
}

/// Writes the report (PDF, DOCX) and the 自评表 (XLSX) to the chosen paths.
#[tauri::command(async)]
fn export_report(ws: Ws<'_>, request: ziping_app::report::ExportRequest) -> Res<ziping_app::report::ExportResult> {
    ws.with(|app| app.export_report(&request))
}

/// The first pages of the report as PDF bytes; nothing written.
#[tauri::command(async)]
fn report_preview(
    ws: Ws<'_>,
    id: i64,
    options: ziping_app::report::ReportOptions,
    fonts: ziping_app::report::FontChoice,
    pages: usize,
) -> Res<ziping_app::report::ReportPreview> {
    ws.with(|app| app.report_preview(id, &options, &fonts, pages))
}

/// Every system version: bundled and the library's.
#[tauri::command]
fn library_systems(ws: Ws<'_>) -> Res<Vec<ziping_app::systems::LibrarySystemInfo>> {
    ws.with(|app| app.systems())
}

/// The full tree of one system version (the newest when `version` is absent).
#[tauri::command]
fn system_detail(ws: Ws<'_>, id: String, version: Option<String>) -> Res<ziping_app::IndicatorSystem> {
    ws.with(|app| app.system(&id, version.as_deref()))
}

/// What a system table would import; nothing written.
#[tauri::command(async)]
fn preview_system_import(path: PathBuf) -> Res<ziping_app::SystemPreview> {
    ziping_app::systems::preview_system_import(&path)
}

/// Imports a system table with the user's confirmed options (or checks it: `dry_run`).
#[tauri::command(async)]
fn import_system(
    ws: Ws<'_>,
    path: PathBuf,
    request: ziping_app::systems::SystemImportRequest,
) -> Res<ziping_app::systems::SystemImportOutcome> {
    ws.with(|app| app.import_system(&path, &request))
}

/// Attaches the 测评点 of a table to a system's leaves, as a new version.
#[tauri::command(async)]
fn attach_points(
    ws: Ws<'_>,
    base_id: String,
    base_version: Option<String>,
    path: PathBuf,
    dry_run: bool,
) -> Res<ziping_app::systems::SystemImportOutcome> {
    ws.with(|app| app.attach_points(&base_id, base_version.as_deref(), &path, dry_run))
}

/// Writes a system version as an Excel table.
#[tauri::command(async)]
fn export_system(ws: Ws<'_>, id: String, version: Option<String>, path: PathBuf) -> Res<ziping_app::IndicatorSystem> {
    ws.with(|app| app.export_system(&id, version.as_deref(), &path))
}

/// Writes the empty system template.
#[tauri::command]
fn write_system_template(path: PathBuf) -> Res<()> {
    ziping_app::systems::write_system_template(&path)
}

/// Corrections of a system, saved as a new version.
#[tauri::command]
fn edit_system(ws: Ws<'_>, edit: ziping_app::systems::SystemEdit) -> Res<ziping_app::systems::LibrarySystemInfo> {
    ws.with(|app| app.edit_system(&edit))
}

/// Leaves of two system versions paired by code and title.
#[tauri::command]
fn leaf_mapping(
    ws: Ws<'_>,
    from_id: String,
    from_version: Option<String>,
    to_id: String,
    to_version: Option<String>,
) -> Res<ziping_app::systems::LeafMapping> {
    ws.with(|app| app.leaf_mapping((&from_id, from_version.as_deref()), (&to_id, to_version.as_deref())))
}

/// Leaves of an assessment's system paired with another version's.
#[tauri::command]
fn leaf_mapping_for_assessment(
    ws: Ws<'_>,
    assessment: i64,
    to_id: String,
    to_version: Option<String>,
) -> Res<ziping_app::systems::LeafMapping> {
    ws.with(|app| app.leaf_mapping_for_assessment(assessment, &to_id, to_version.as_deref()))
}

/// Starts the desktop app: parses the command line, opens the main window and serves the commands.
pub fn run() {
    let args = match parse_args(std::env::args_os().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return;
        }
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            std::process::exit(2);
        }
    };

    let path = match args.db {
        Some(path) => path,
        None => {
            // First start of an installed app: the default workspace is created with the demo county.
            let path = ziping_app::default_workspace_path();
            if let Err(e) = ziping_app::seed_demo_if_new(&path) {
                eprintln!("{}", e.message);
            }
            path
        }
    };
    // Viewer copies left by runs that ended abnormally (older than a day), in the background.
    std::thread::spawn(ziping_app::evidence_view::clean_view_copies);
    tauri::Builder::default()
        .setup(|app| {
            // The vendored report fonts are bundled as resources (tauri.conf.json, bundle.resources).
            if let Ok(dir) = app.path().resource_dir() {
                ziping_app::report::set_resource_dir(&dir);
            }
            Ok(())
        })
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(Workspace::open(&path))
        .manage(WorkspaceDb { path })
        .invoke_handler(tauri::generate_handler![
            app_info,
            workspace_path,
            systems,
            assessments,
            create_assessment,
            copy_assessment,
            delete_assessment,
            create_demo,
            workbench,
            save_point,
            save_bonus,
            overview,
            history,
            revert,
            freeze,
            new_revision,
            point_evidence,
            suggestions,
            evidence_kinds,
            doc_no_preview,
            evidence_list,
            add_evidence,
            update_evidence,
            delete_evidence,
            link_evidence,
            unlink_evidence,
            verify_evidence,
            open_evidence,
            export_package,
            preview_package,
            import_package,
            backups,
            backup_now,
            backup_to,
            restore_backup,
            preview_import,
            import_statistics,
            statistics_sources,
            statistics_tables,
            metrics,
            write_template,
            point_suggestions,
            decide_suggestion,
            report_defaults,
            report_draft,
            export_report,
            report_preview,
            library_systems,
            system_detail,
            preview_system_import,
            import_system,
            attach_points,
            export_system,
            write_system_template,
            edit_system,
            leaf_mapping,
            leaf_mapping_for_assessment,
        ])
        .build(tauri::generate_context!())
        .expect("履职自评无法启动")
        .run(|_, event| {
            // This run's viewer copies go with it.
            if let tauri::RunEvent::Exit = event {
                ziping_app::evidence_view::remove_own_view_copies();
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(args: &[&str], expected: Result<Option<Args>, &str>) {
        let actual = parse_args(args.iter().map(OsString::from));
        assert_eq!(actual, expected.map_err(str::to_string), "arguments: {args:?}");
    }

    #[test]
    fn parses_the_command_line() {
        check(&[], Ok(Some(Args { db: None })));
        check(&["--db", "/tmp/a.sqlite"], Ok(Some(Args { db: Some("/tmp/a.sqlite".into()) })));
        check(&["--db=/tmp/示例县.sqlite"], Ok(Some(Args { db: Some("/tmp/示例县.sqlite".into()) })));
        check(&["--help"], Ok(None));
        check(&["--db"], Err("参数 --db 缺少工作区文件路径"));
        check(&["--db="], Err("参数 --db 的工作区文件路径为空"));
        check(&["--bogus"], Err("无法识别的参数：--bogus"));
    }
}
