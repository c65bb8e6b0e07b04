// Generated from the Rust DTOs by ts-rs (crates/ziping-app/src/bindings.rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p ziping-app bindings` after changing a DTO.
/* eslint-disable */

export type Points = number;

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type AppInfo = { name: string, version: string, };

export type AppError = { code: ErrorCode, 
/**
 * Chinese, full-width punctuation, ready to show.
 */
message: string, };

export type ErrorCode = "invalid_input" | "not_found" | "frozen" | "workspace" | "invalid_system" | "io" | "bad_package" | "conflict" | "internal";

export type SystemInfo = { id: string, version: string, 
/**
 * Full name.
 */
name: string, 
/**
 * Name as shown: unofficial systems are prefixed "示例：".
 */
display_name: string, short_name: string | null, official: boolean, 
/**
 * "rated" or "points".
 */
model: string, issuer: string | null, years: string | null, level_names: Array<string>, 
/**
 * Number of top-level groups and of leaves.
 */
groups: number, leaves: number, };

export type NewAssessment = { system_id: string, 
/**
 * A specific version; the newest bundled one when absent.
 */
system_version: string | null, region: string, year: number, 
/**
 * 填报单位; defaults to "{region}人民政府".
 */
organ: string | null, };

export type Progress = { done: number, total: number, 
/**
 * 0–100, rounded down.
 */
percent: number, };

export type AssessmentInfo = { id: number, uid: string, region: string, year: number, organ: string, system_id: string, system_version: string, system_name: string, official: boolean, model: string, 
/**
 * "draft" (填报中) or "frozen" (已定稿).
 */
status: string, revision: number, created_at: string, updated_at: string, frozen_at: string | null, progress: Progress, 
/**
 * One-line result in Chinese: "A等，95.8分（另加分2分）" or "完全落实67项，基本落实7项，不适用18项".
 */
headline: string, };

export type DeductionInput = { amount: string, reason: string, };

export type PointEdit = { assessment: number, point: string, 
/**
 * Level label or code ("完全落实", "A", "不适用", "NA"); "" clears the rating.
 */
rating: string | null, 
/**
 * Points model: mark the leaf as scored (full marks unless deductions) or not.
 */
scored: boolean | null, 
/**
 * Points model: the leaf's deductions, replacing the current list (implies scored).
 */
deductions: Array<DeductionInput> | null, note: string | null, problems: string | null, measures: string | null, };

export type BonusEdit = { assessment: number, code: string, claimed: boolean, note: string, };

export type SummaryDto = { assessment: number, region: string, year: number, system_name: string, status: string, conclusion: string, missing: Array<Missing>, } & ({ "model": "rated" } & RatedSummary | { "model": "points" } & PointsSummary);

export type HistoryItem = { id: number, point: string | null, field: string, 
/**
 * Chinese name of the field ("评定等级", "扣分", "自评说明"…).
 */
field_label: string, old_value: JsonValue, new_value: JsonValue, 
/**
 * "完全落实 → 基本落实" in Chinese.
 */
change: string, at: string, revision: number, reverted_id: number | null, };

export type Entry = { 
/**
 * Rated model: the chosen level's code, or the not-applicable code. `None` = not yet rated.
 */
rating: string | null, 
/**
 * Points model: the leaf has been scored (with or without deductions). A leaf with
 * deductions counts as scored even if this flag is false.
 */
scored: boolean, deductions: Array<Deduction>, 
/**
 * 自评说明.
 */
note: string, 
/**
 * 存在问题.
 */
problems: string, 
/**
 * 整改措施.
 */
measures: string, };

export type Deduction = { amount: Points, reason: string, };

export type BonusClaim = { code: string, note: string, };

export type Summary = { "model": "rated" } & RatedSummary | { "model": "points" } & PointsSummary;

export type RatedSummary = { 
/**
 * Number of leaves in the system.
 */
total: number, 
/**
 * Leaves rated with a level (not counting not-applicable and unrated).
 */
applicable: number, not_applicable: number, unrated: number, 
/**
 * Every level in system order, including those with count 0.
 */
levels: Array<LevelCount>, };

export type LevelCount = { code: string, label: string, count: number, 
/**
 * Share of the applicable leaves in percent, 2 decimals, as a string ("90.54"); the shares
 * of all levels add up to exactly "100.00" (largest-remainder rounding) when applicable > 0.
 */
share: string, };

export type PointsSummary = { 
/**
 * Sum of max scores of all leaves (the system total).
 */
total: Points, 
/**
 * Base score: Σ over scored leaves of max(0, max − Σ deductions), rounded to the system's
 * decimals. Unscored leaves contribute nothing (see `scored_max`).
 */
score: Points, 
/**
 * Max score attainable from the scored leaves (the denominator of `score` while some
 * points are pending).
 */
scored_max: Points, 
/**
 * Number of leaves scored / in all.
 */
scored: number, leaves: number, 
/**
 * Leaves with a `pending_label` that are not yet scored (e.g. 公众满意度 while the survey runs).
 */
pending: Array<PendingPoint>, 
/**
 * Bonus counted (Σ claimed item scores, capped), reported separately, never in `score`.
 */
bonus: Points, 
/**
 * Σ claimed item scores before the cap.
 */
bonus_claimed: Points, 
/**
 * Grade on the (rounded) base score; `None` while any leaf is unscored — pending ones
 * included, as reports state no grade while the survey is pending — or when the system has
 * no grades.
 */
grade: string | null, 
/**
 * Every deduction, in leaf order.
 */
deductions: Array<DeductionLine>, 
/**
 * Per top-level group: code, title, score, max.
 */
groups: Array<GroupScore>, };

export type PendingPoint = { point: string, label: string, };

export type DeductionLine = { point: string, amount: Points, reason: string, };

export type GroupScore = { code: string, title: string, score: Points, max: Points, };

export type Missing = { 
/**
 * Leaf code (or bonus item code for a bonus claim without justification).
 */
point: string, kind: MissingKind, 
/**
 * Chinese sentence for the user, e.g. "第15测评点尚未评分。".
 */
message: string, };

export type MissingKind = "unrated" | "level_without_explanation" | "not_applicable_without_explanation" | "deduction_without_reason" | "bonus_without_explanation" | "evidence_missing";

export type NodeStatus = "empty" | "filled" | "deducted" | "not_applicable" | "missing_explanation" | "partial";

export type StatusCounts = { total: number, empty: number, filled: number, deducted: number, not_applicable: number, missing_explanation: number, };

export type TreeNode = { code: string, title: string, 
/**
 * 测评要点.
 */
text: string | null, 
/**
 * 评分细则 / 评价标准.
 */
scoring_rule: string | null, 
/**
 * 佐证材料要求.
 */
evidence: Array<string>, 
/**
 * Points model, leaves: the maximum score; groups: the sum of their leaves.
 */
max_score: Points | null, 
/**
 * Points model, scored leaves: the current score (max − deductions, not below 0).
 */
score: Points | null, 
/**
 * E.g. "公众满意度": may stay unscored while the survey is pending.
 */
pending_label: string | null, 
/**
 * Free remark of the system ("测评点待导入").
 */
remark: string | null, 
/**
 * The level name of this node ("一级指标", "测评点").
 */
level_name: string, status: NodeStatus, counts: StatusCounts, children: Array<TreeNode>, };

export type NodeState = { code: string, status: NodeStatus, counts: StatusCounts, score: Points | null, };

export type LevelOption = { code: string, label: string, 
/**
 * Choosing it requires 自评说明.
 */
needs_explanation: boolean, };

export type NotApplicableOption = { code: string, label: string, phrase: string, };

export type BonusOption = { code: string, title: string, score: Points, claimed: boolean, note: string, };

export type Workbench = { assessment: AssessmentInfo, 
/**
 * "rated" or "points".
 */
model: string, 
/**
 * What a leaf is called ("测评点").
 */
leaf_noun: string, levels: Array<LevelOption>, not_applicable: NotApplicableOption | null, 
/**
 * Points model: the cap of the counted bonus, when the system has bonus items.
 */
bonus_cap: Points | null, bonus: Array<BonusOption>, tree: Array<TreeNode>, 
/**
 * Leaf codes in document order (next/previous leaf).
 */
leaves: Array<string>, 
/**
 * The entries entered so far, by leaf code.
 */
entries: { [key in string]: Entry }, };

export type WorkbenchUpdate = { assessment: AssessmentInfo, nodes: Array<NodeState>, 
/**
 * The edited leaf's entry as stored (absent for bonus edits).
 */
entry: Entry | null, };

export type GroupResult = { code: string, title: string, 
/**
 * Points model: score of the scored leaves and the group's maximum.
 */
score: Points | null, max: Points | null, 
/**
 * Rated model: count per level (system order), not applicable and unrated.
 */
levels: Array<LevelCount>, not_applicable: number, unrated: number, leaves: number, };

export type Overview = { summary: SummaryDto, groups: Array<GroupResult>, };

export type CopyAssessment = { from: number, year: number, 
/**
 * Defaults to the source's region and organ.
 */
region: string | null, organ: string | null, 
/**
 * The system of the new assessment; default the source's system.
 */
system_id?: string | null, 
/**
 * Its version; default the newest.
 */
system_version?: string | null, };

export type EvidenceKindOption = { 
/**
 * "document", "minutes", "ledger", "statistics", "photo", "certificate", "other".
 */
code: string, 
/**
 * 文件, 会议纪要, 台账, 统计表, 照片, 证书, 其他.
 */
label: string, };

export type EvidenceInput = { title: string, kind: string, issuer: string, doc_no: string, date: string, note: string, };

export type EvidenceLinkInfo = { assessment: number, region: string, year: number, point: string, 
/**
 * "第3测评点" / "测评点G1".
 */
point_label: string, point_title: string, linked_at: string, };

export type EvidenceItem = { id: number, sha256: string, size: number, file_name: string, title: string, kind: string, kind_label: string, issuer: string, doc_no: string, 
/**
 * The 文号 could not be read as 机关代字〔年份〕序号号 and is kept as typed.
 */
doc_no_flagged: boolean, date: string, note: string, added_at: string, updated_at: string, links: Array<EvidenceLinkInfo>, };

export type EvidenceAdded = { item: EvidenceItem, 
/**
 * The same content was already stored: this is the existing item, its metadata unchanged.
 */
already_stored: boolean, };

export type EvidenceFilter = { 
/**
 * Substring of title, 发文机关, 文号, file name, note or date.
 */
query: string | null, 
/**
 * Kind code or label.
 */
kind: string | null, 
/**
 * Linked to this assessment (and to `point` when given).
 */
assessment: number | null, point: string | null, 
/**
 * Only items linked to no leaf.
 */
unlinked: boolean, };

export type EvidenceLinkEdit = { evidence: number, assessment: number, point: string, };

export type EvidenceProblem = { id: number, title: string, sha256: string, 
/**
 * "missing" or "altered".
 */
status: string, 
/**
 * For "altered": what the file hashes to now.
 */
actual_sha256: string | null, 
/**
 * "佐证材料《…》（校验值 ab12…）的文件已丢失。"
 */
message: string, };

export type EvidenceVerifyReport = { checked: number, ok: number, problems: Array<EvidenceProblem>, };

export type EvidenceProgress = { 
/**
 * The file being added, as it was given.
 */
path: string, done: number, total: number, };

export type ExportResult = { path: string, assessments: number, evidence: number, bytes: number, };

export type PointDiff = { 
/**
 * The key to use in [`ConflictChoice::point`]: the leaf code, or `bonus:CODE`.
 */
key: string, 
/**
 * "第3测评点" / "加分项B1".
 */
label: string, title: string, 
/**
 * Short Chinese descriptions of each side: "完全落实；说明：…；佐证2份".
 */
mine: string, theirs: string, };

export type PackageAssessmentPreview = { uid: string, region: string, year: number, 
/**
 * The local assessment it merges into; `None` when it will be created.
 */
local_id: number | null, local_frozen: boolean, 
/**
 * Changed only in the package: will be taken.
 */
take: Array<PointDiff>, 
/**
 * Changed only here: will be kept.
 */
keep: Array<PointDiff>, 
/**
 * Changed on both sides: the user chooses.
 */
conflicts: Array<PointDiff>, };

export type PackagePreview = { path: string, 
/**
 * "assessment" or "workspace".
 */
scope: string, created_at: string, app_version: string, assessments: Array<PackageAssessmentPreview>, evidence_new: number, evidence_known: number, };

export type ConflictChoice = { uid: string, 
/**
 * [`PointDiff::key`].
 */
point: string, 
/**
 * "mine" or "theirs".
 */
keep: string, };

export type PackageImportOptions = { prefer: string | null, choices: Array<ConflictChoice>, };

export type PackageImportResult = { 
/**
 * Local ids of the assessments created / merged into.
 */
created: Array<number>, merged: Array<number>, taken: number, kept: number, conflicts_resolved: number, evidence_added: number, 
/**
 * One Chinese sentence for a message box.
 */
message: string, };

export type StatisticsSource = { 
/**
 * "schools", "classes", …
 */
table: string, 
/**
 * "学校基本情况表".
 */
title: string, file: string, sha256: string, sheet: string, rows: number, imported_at: string, };

export type ImportOutcome = { 
/**
 * Whether the tables were stored (false for a dry run or when the preview has errors).
 */
written: boolean, preview: unknown, 
/**
 * The tables now stored for the assessment (all of them, not only the imported ones).
 */
sources: Array<StatisticsSource>, history: Array<HistoryItem>, };

export type FigureDto = { id: string, kind: string, item?: string | null, title: string, 
/**
 * "小学", "初中", "高中".
 */
stage?: string | null, value: number, decimals: number, unit: string, display: string, threshold?: number | null, 
/**
 * "at_most" / "at_least".
 */
compare?: string | null, pass?: boolean | null, statement: string, 
/**
 * Every cell the figure was computed from.
 */
provenance: unknown, detail: unknown, };

export type MetricsDto = { assessment_id: number, year: number, figures: Array<FigureDto>, 
/**
 * The school units (school × stage) behind the 差异系数, with their 7 values.
 */
units: unknown, excluded: unknown, 
/**
 * Inputs that prevented a figure, in Chinese.
 */
problems: unknown, sources: Array<StatisticsSource>, };

export type SuggestionDto = { point_title: string; key: string; status: SuggestionStatus; point: string; kind: 'deduction' | 'rating' | 'pass' | 'review'; amount?: number; reason?: string; code?: string; explanation: string; figures: string[] };

export type SuggestionStatus = { 
/**
 * "open" (未处理), "adopted" (已采纳) or "declined" (不采纳).
 */
status: string, 
/**
 * The reason given when declining (empty otherwise).
 */
reason: string, 
/**
 * When it was decided (empty while open).
 */
decided_at: string, 
/**
 * The suggestion's wording changed since it was decided (the statistics were re-imported).
 */
outdated: boolean, 
/**
 * The explanation as it read when decided (empty while open).
 */
decided_explanation: string, };

export type SuggestionDecisionInput = { assessment: number, point: string, 
/**
 * Which of the leaf's suggestions ([`SuggestionDto::key`]); may be left out when the leaf has
 * only one.
 */
key: string | null, 
/**
 * true: 采纳; false: 不采纳.
 */
adopt: boolean, 
/**
 * Required when declining.
 */
reason: string, 
/**
 * Adopting a deduction: replace the leaf's deduction at this position (1-based) instead of
 * adding one, e.g. when the same problem was already deducted by hand in other words.
 */
replace: number | null, };

export type SuggestionDecided = { history: Array<HistoryItem>, suggestion: SuggestionDto, };

export type DocNoPreview = { 
/**
 * The normalised form (机关代字〔年份〕序号号), or the input as typed when unreadable.
 */
text: string, 
/**
 * Not readable as a 文号: kept as typed and flagged.
 */
flagged: boolean, };

export type BackupInfo = { file_name: string, 
/**
 * Full path, for restoring or showing in the file manager.
 */
path: string, 
/**
 * When it was made, local time “2024-11-30 10:15:00”.
 */
created_at: string, 
/**
 * "open", "freeze", "manual", "restore" or "" for a file outside the backups folder.
 */
reason: string, 
/**
 * The reason in Chinese (每日自动备份, 定稿时自动备份, 手动备份, 恢复前自动备份).
 */
reason_label: string, 
/**
 * Size in bytes.
 */
size: number, };

export type RestoreResult = { 
/**
 * The file restored from.
 */
restored_from: string, 
/**
 * The backup of the state that was replaced (to undo the restore).
 */
safety_backup: BackupInfo, 
/**
 * The schema version of the restored file before it was brought up to date.
 */
schema_version: number, 
/**
 * Chinese sentence for the user.
 */
message: string, };
