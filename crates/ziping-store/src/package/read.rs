//! [`read_package`]: verify a package completely, from its bytes alone.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Read, Seek};

use sha2::{Digest, Sha256};
use zip::CompressionMethod;
use ziping_core::IndicatorSystem;

use super::{
    Limits, Manifest, Package, PackageData, PackageError, DATA_NAME, EVIDENCE_PREFIX, FORMAT,
    FORMAT_VERSION, MANIFEST_NAME,
};
use crate::blobs::{hex, is_sha256_hex};
use crate::migrations::SUPPORTED_SCHEMA;

/// Receives each evidence file while it is verified. `data` yields the entry's bytes; the reader
/// hashes and counts them (whatever the sink leaves unread is drained), so a sink must treat what
/// it received as untrusted until [`read_package`] returns `Ok`.
pub trait BlobSink {
    fn blob(&mut self, sha256: &str, size: u64, data: &mut dyn Read) -> io::Result<()>;
}

/// A sink that only lets the files be verified (for a preview, or the fuzz target).
pub struct DiscardBlobs;

impl BlobSink for DiscardBlobs {
    fn blob(&mut self, _sha256: &str, _size: u64, data: &mut dyn Read) -> io::Result<()> {
        io::copy(data, &mut io::sink()).map(|_| ())
    }
}

/// Hashes and counts what passes through; fails once more than `limit` bytes arrive.
struct Verifying<R> {
    inner: R,
    hasher: Sha256,
    count: u64,
    limit: u64,
    exceeded: bool,
}

impl<R: Read> Read for Verifying<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        if self.count > self.limit {
            self.exceeded = true;
            return Err(io::Error::other("entry larger than declared"));
        }
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// A name as shown in messages: control characters escaped.
fn shown(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// What an entry of the package may be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Manifest,
    Data,
    Blob,
}

fn classify(raw: &[u8]) -> Result<(String, Kind), PackageError> {
    let Ok(name) = std::str::from_utf8(raw) else {
        return Err(PackageError::entry(
            &shown(raw),
            "名称不是有效的 UTF-8 编码，不是本程序生成的数据包",
        ));
    };
    if name.contains('\\') {
        return Err(PackageError::entry(
            name,
            "名称含有反斜杠“\\”，可能试图写到数据包之外",
        ));
    }
    let drive =
        name.len() >= 2 && name.as_bytes()[1] == b':' && name.as_bytes()[0].is_ascii_alphabetic();
    if name.starts_with('/') || drive {
        return Err(PackageError::entry(
            name,
            "名称是绝对路径，可能试图写到数据包之外",
        ));
    }
    if name.split('/').any(|part| part == "..") {
        return Err(PackageError::entry(
            name,
            "名称含有“..”，可能试图写到数据包之外",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(PackageError::entry(&shown(raw), "名称含有控制字符"));
    }
    let kind = if name == MANIFEST_NAME {
        Kind::Manifest
    } else if name == DATA_NAME {
        Kind::Data
    } else if name
        .strip_prefix(EVIDENCE_PREFIX)
        .is_some_and(is_sha256_hex)
    {
        Kind::Blob
    } else {
        return Err(PackageError::entry(
            name,
            "不认识的条目（履职自评的数据包只含 manifest.json、data.json 和 evidence/ 下以校验值命名的文件）",
        ));
    };
    Ok((name.to_string(), kind))
}

struct EntryInfo {
    index: usize,
    size: u64,
}

/// Verifies the package read from `reader` (see the module documentation of [`super`]) and
/// returns its manifest and data. Evidence files are handed to `sink` as they are verified.
///
/// Never panics, whatever the bytes; every refusal names the entry concerned.
pub fn read_package<R: Read + Seek>(
    reader: R,
    limits: &Limits,
    sink: &mut dyn BlobSink,
) -> Result<Package, PackageError> {
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| {
        PackageError::whole(format!(
            "文件不完整或不是 zip 格式的数据包（{e}），可能在传输中被截断"
        ))
    })?;
    if archive.has_duplicate_names() {
        return Err(PackageError::whole(
            "包中有重名的条目，无法确定该用哪一个，可能是被篡改或构造的文件",
        ));
    }
    let n = archive.len();
    if n == 0 {
        return Err(PackageError::whole("数据包是空的"));
    }
    if n > limits.max_entries {
        return Err(PackageError::whole(format!(
            "包中有{n}个条目，超过上限{}个",
            limits.max_entries
        )));
    }

    // Names, kinds and declared sizes, before any byte is inflated.
    let mut entries: BTreeMap<String, (Kind, EntryInfo)> = BTreeMap::new();
    let mut declared_total: u64 = 0;
    for index in 0..n {
        let e = archive
            .by_index_data(index)
            .map_err(|e| PackageError::whole(format!("第{}个条目无法读取（{e}）", index + 1)))?;
        let (name, kind) = classify(e.name_raw())?;
        if e.encrypted() {
            return Err(PackageError::entry(&name, "条目已加密，无法校验"));
        }
        if !matches!(
            e.compression(),
            CompressionMethod::Stored | CompressionMethod::Deflated
        ) {
            return Err(PackageError::entry(&name, "条目使用了不支持的压缩方式"));
        }
        let size = e.size();
        let compressed = e.compressed_size();
        let cap = if kind == Kind::Blob {
            limits.max_total_size
        } else {
            limits.max_json_size
        };
        if size > cap {
            return Err(PackageError::entry(
                &name,
                format!("解压后{size}字节，超过上限{cap}字节"),
            ));
        }
        if size > limits.ratio_floor && size / compressed.max(1) > limits.max_ratio {
            return Err(PackageError::entry(
                &name,
                format!("压缩比异常（{compressed}字节解压为{size}字节），疑似“压缩炸弹”"),
            ));
        }
        declared_total = declared_total.saturating_add(size);
        if declared_total > limits.max_total_size {
            return Err(PackageError::whole(format!(
                "解压后总大小超过上限{}字节，疑似“压缩炸弹”",
                limits.max_total_size
            )));
        }
        if entries
            .insert(name.clone(), (kind, EntryInfo { index, size }))
            .is_some()
        {
            return Err(PackageError::entry(&name, "条目重复"));
        }
    }
    archive.validate_header_consistency().map_err(|e| {
        PackageError::whole(format!("zip 结构不一致（{e}），可能是被篡改或构造的文件"))
    })?;

    // The manifest.
    let Some((_, m)) = entries.get(MANIFEST_NAME) else {
        return Err(PackageError::whole(
            "缺少 manifest.json，不是履职自评的数据包",
        ));
    };
    let mut counted: u64 = 0;
    let (bytes, _) = read_entry(&mut archive, MANIFEST_NAME, m, limits, &mut counted)?;
    let manifest: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| PackageError::entry(MANIFEST_NAME, format!("不是有效的 JSON（{e}）")))?;
    if manifest.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(PackageError::entry(
            MANIFEST_NAME,
            "不是履职自评的数据包清单",
        ));
    }
    let version = manifest
        .get("format_version")
        .and_then(|v| v.as_u64())
        .unwrap_or(u64::MAX);
    if version > u64::from(FORMAT_VERSION) {
        return Err(PackageError::entry(
            MANIFEST_NAME,
            format!(
                "数据包格式版本{}较新（本程序支持到{FORMAT_VERSION}），请升级履职自评后再导入",
                if version == u64::MAX {
                    "未知".to_string()
                } else {
                    version.to_string()
                }
            ),
        ));
    }
    let schema = manifest
        .get("schema_version")
        .and_then(|v| v.as_u64())
        .unwrap_or(u64::MAX);
    if schema > u64::from(SUPPORTED_SCHEMA) {
        return Err(PackageError::entry(
            MANIFEST_NAME,
            format!(
                "数据包由较新版本的履职自评创建（数据库版本{}，本程序支持到{SUPPORTED_SCHEMA}），请升级程序后再导入",
                if schema == u64::MAX { "未知".to_string() } else { schema.to_string() }
            ),
        ));
    }
    let manifest: Manifest = serde_json::from_value(manifest)
        .map_err(|e| PackageError::entry(MANIFEST_NAME, format!("内容不完整（{e}）")))?;

    // Every entry is listed once, with the size the zip declares.
    let mut listed: HashMap<&str, (u64, &str)> = HashMap::new();
    for e in &manifest.entries {
        if listed
            .insert(e.name.as_str(), (e.size, e.sha256.as_str()))
            .is_some()
        {
            return Err(PackageError::entry(&e.name, "在清单中重复出现"));
        }
        match entries.get(&e.name) {
            None => {
                return Err(PackageError::entry(
                    &e.name,
                    "清单中列出但包中没有，数据包不完整",
                ))
            }
            Some((Kind::Manifest, _)) => {
                return Err(PackageError::entry(&e.name, "清单不应列出自身"))
            }
            Some((_, info)) if info.size != e.size => {
                return Err(PackageError::entry(
                    &e.name,
                    format!("大小{}字节与清单记载的{}字节不符", info.size, e.size),
                ))
            }
            Some(_) => {}
        }
        if !is_sha256_hex(&e.sha256) {
            return Err(PackageError::entry(&e.name, "清单中的校验值格式不对"));
        }
    }
    for name in entries.keys() {
        if name != MANIFEST_NAME && !listed.contains_key(name.as_str()) {
            return Err(PackageError::entry(
                name,
                "未列在清单中，可能是被加入的文件",
            ));
        }
    }

    // data.json, verified then parsed.
    let Some((_, d)) = entries.get(DATA_NAME) else {
        return Err(PackageError::whole("缺少 data.json，数据包不完整"));
    };
    let (bytes, sha) = read_entry(&mut archive, DATA_NAME, d, limits, &mut counted)?;
    check_hash(DATA_NAME, &sha, listed[DATA_NAME].1)?;
    let data: PackageData = serde_json::from_slice(&bytes)
        .map_err(|e| PackageError::entry(DATA_NAME, format!("内容无法读取（{e}）")))?;
    drop(bytes);
    check_data(&manifest, &data, &entries)?;

    // Evidence files: hashed while streamed to the sink.
    for (name, (kind, info)) in &entries {
        if *kind != Kind::Blob {
            continue;
        }
        let sha_name = &name[EVIDENCE_PREFIX.len()..];
        let listed_sha = listed[name.as_str()].1;
        if listed_sha != sha_name {
            return Err(PackageError::entry(name, "清单中的校验值与条目名不符"));
        }
        let mut file = archive.by_index(info.index).map_err(|e| {
            PackageError::entry(name, format!("无法解压（{e}），文件可能不完整或已损坏"))
        })?;
        let mut v = Verifying {
            inner: &mut file,
            hasher: Sha256::new(),
            count: 0,
            limit: info.size,
            exceeded: false,
        };
        let sunk = sink
            .blob(sha_name, info.size, &mut v)
            .and_then(|_| io::copy(&mut v, &mut io::sink()).map(|_| ()));
        if v.exceeded {
            return Err(bomb(name, info.size));
        }
        if let Err(e) = sunk {
            return Err(PackageError::entry(
                name,
                format!("无法读取或保存（{e}），文件可能不完整或已损坏"),
            ));
        }
        if v.count != info.size {
            return Err(PackageError::entry(
                name,
                format!("实际{}字节，与记载的{}字节不符", v.count, info.size),
            ));
        }
        counted = counted.saturating_add(v.count);
        if counted > limits.max_total_size {
            return Err(PackageError::whole("解压后总大小超过上限，疑似“压缩炸弹”"));
        }
        let got = hex(&v.hasher.finalize());
        check_hash(name, &got, listed_sha)?;
    }

    Ok(Package { manifest, data })
}

fn bomb(name: &str, declared: u64) -> PackageError {
    PackageError::entry(
        name,
        format!("解压后超过记载的{declared}字节，疑似“压缩炸弹”或被篡改"),
    )
}

fn check_hash(name: &str, got: &str, want: &str) -> Result<(), PackageError> {
    if got != want {
        return Err(PackageError::entry(
            name,
            "内容的校验值（SHA-256）与清单不符，文件已损坏或被改动",
        ));
    }
    Ok(())
}

fn read_entry<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    info: &EntryInfo,
    limits: &Limits,
    counted: &mut u64,
) -> Result<(Vec<u8>, String), PackageError> {
    let mut file = archive.by_index(info.index).map_err(|e| {
        PackageError::entry(name, format!("无法解压（{e}），文件可能不完整或已损坏"))
    })?;
    let mut v = Verifying {
        inner: &mut file,
        hasher: Sha256::new(),
        count: 0,
        limit: info.size.min(limits.max_json_size),
        exceeded: false,
    };
    let mut bytes = Vec::new();
    let r = v.read_to_end(&mut bytes);
    if v.exceeded {
        return Err(bomb(name, info.size));
    }
    r.map_err(|e| PackageError::entry(name, format!("无法解压（{e}），文件可能不完整或已损坏")))?;
    if v.count != info.size {
        return Err(PackageError::entry(
            name,
            format!("实际{}字节，与记载的{}字节不符", v.count, info.size),
        ));
    }
    *counted = counted.saturating_add(v.count);
    Ok((bytes, hex(&v.hasher.finalize())))
}

fn rfc3339(name: &str, what: &str, s: &str) -> Result<(), PackageError> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|_| ())
        .map_err(|_| PackageError::entry(name, format!("{what}的时间“{s}”格式不对")))
}

/// The data must be consistent with itself and with the entries present.
fn check_data(
    manifest: &Manifest,
    data: &PackageData,
    entries: &BTreeMap<String, (Kind, EntryInfo)>,
) -> Result<(), PackageError> {
    let bad = |reason: String| PackageError::entry(DATA_NAME, reason);
    let mut systems: HashMap<&str, IndicatorSystem> = HashMap::new();
    for s in &data.snapshots {
        if sha_of(s.json.as_bytes()) != s.sha256 {
            return Err(bad(format!(
                "指标体系快照的校验值不符（{}）",
                short(&s.sha256)
            )));
        }
        let system: IndicatorSystem = serde_json::from_str(&s.json)
            .map_err(|e| bad(format!("指标体系快照无法读取（{e}）")))?;
        if systems.insert(s.sha256.as_str(), system).is_some() {
            return Err(bad("指标体系快照重复".to_string()));
        }
    }
    let listed: BTreeSet<&str> = manifest.systems.iter().map(|s| s.sha256.as_str()).collect();
    let present: BTreeSet<&str> = systems.keys().copied().collect();
    if listed != present {
        return Err(bad("指标体系快照与清单不一致".to_string()));
    }

    let mut evidence: HashMap<&str, u64> = HashMap::new();
    for e in &data.evidence {
        if !is_sha256_hex(&e.sha256) {
            return Err(bad(format!("佐证材料《{}》的校验值格式不对", e.title)));
        }
        if evidence.insert(e.sha256.as_str(), e.size).is_some() {
            return Err(bad(format!("佐证材料《{}》重复", e.title)));
        }
        let name = format!("{EVIDENCE_PREFIX}{}", e.sha256);
        match entries.get(&name) {
            None => {
                return Err(PackageError::entry(
                    &name,
                    format!("佐证材料《{}》的文件不在包中，数据包不完整", e.title),
                ))
            }
            Some((_, info)) if info.size != e.size => {
                return Err(PackageError::entry(
                    &name,
                    format!("佐证材料《{}》的大小与记载不符", e.title),
                ))
            }
            Some(_) => {}
        }
        if e.title.trim().is_empty() {
            return Err(bad("有佐证材料没有标题".to_string()));
        }
        rfc3339(DATA_NAME, "佐证材料", &e.added_at)?;
        rfc3339(DATA_NAME, "佐证材料", &e.updated_at)?;
    }
    for (name, (kind, _)) in entries {
        if *kind == Kind::Blob && !evidence.contains_key(&name[EVIDENCE_PREFIX.len()..]) {
            return Err(PackageError::entry(
                name,
                "没有对应的佐证材料记录，可能是被加入的文件",
            ));
        }
    }

    let mut uids = BTreeSet::new();
    for a in &data.assessments {
        let label = format!("{}{}年度自评", a.region, a.year);
        if a.uid.len() != 36 || !a.uid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
            return Err(bad(format!("{label}的编号“{}”格式不对", a.uid)));
        }
        if !uids.insert(a.uid.as_str()) {
            return Err(bad(format!("{label}重复出现")));
        }
        let Some(system) = systems.get(a.snapshot_sha256.as_str()) else {
            return Err(bad(format!("{label}的指标体系快照不在包中")));
        };
        let frozen = match a.status.as_str() {
            "draft" => false,
            "frozen" => true,
            other => return Err(bad(format!("{label}的状态“{other}”无效"))),
        };
        if frozen != a.frozen_at.is_some() || a.revision == 0 {
            return Err(bad(format!("{label}的定稿状态不一致")));
        }
        for t in [&a.created_at, &a.updated_at] {
            rfc3339(DATA_NAME, &label, t)?;
        }
        if let Some(t) = &a.frozen_at {
            rfc3339(DATA_NAME, &label, t)?;
        }
        let is_leaf = |code: &str| system.find(code).is_some_and(|n| n.is_leaf());
        for point in a.entries.keys() {
            if !is_leaf(point) {
                return Err(bad(format!("{label}中的测评点“{point}”不在其指标体系中")));
            }
        }
        for l in &a.links {
            if !is_leaf(&l.point) {
                return Err(bad(format!(
                    "{label}中的测评点“{}”不在其指标体系中",
                    l.point
                )));
            }
            if !evidence.contains_key(l.sha256.as_str()) {
                return Err(bad(format!(
                    "{label}关联的佐证材料（{}）不在包中",
                    short(&l.sha256)
                )));
            }
            rfc3339(DATA_NAME, &label, &l.linked_at)?;
        }
        let mut decided = BTreeSet::new();
        for d in &a.decisions {
            if !is_leaf(&d.point) {
                return Err(bad(format!(
                    "{label}中的测评点“{}”不在其指标体系中",
                    d.point
                )));
            }
            if d.key.trim().is_empty() || !decided.insert((d.point.as_str(), d.key.as_str())) {
                return Err(bad(format!(
                    "{label}中测评点“{}”的建议处理记录标识为空或重复",
                    d.point
                )));
            }
            if d.status == crate::suggestions::DecisionStatus::Declined
                && d.reason.trim().is_empty()
            {
                return Err(bad(format!(
                    "{label}中测评点“{}”有不采纳的建议未填写理由",
                    d.point
                )));
            }
            rfc3339(DATA_NAME, &label, &d.decided_at)?;
        }
        let mut bonus = BTreeSet::new();
        for b in &a.bonus {
            if !bonus.insert(b.code.as_str()) {
                return Err(bad(format!("{label}中的加分项“{}”重复", b.code)));
            }
        }
        for h in &a.history {
            // Field names are checked by the history table itself when the rows are inserted.
            let known =
                !h.field.is_empty() && h.field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if !known
                || (h.point.is_none() && !matches!(h.field.as_str(), "revision" | "import"))
                || h.revision == 0
            {
                return Err(bad(format!("{label}的修改记录（编号{}）无效", h.id)));
            }
            rfc3339(DATA_NAME, &label, &h.at)?;
        }
        let mut revs = BTreeSet::new();
        for r in &a.revisions {
            if sha_of(r.content.as_bytes()) != r.sha256
                || !revs.insert(r.revision)
                || r.revision == 0
            {
                return Err(bad(format!(
                    "{label}第{}版定稿的校验值不符或重复",
                    r.revision
                )));
            }
        }
        for h in a.base.values() {
            if !is_sha256_hex(h) {
                return Err(bad(format!("{label}的合并基准格式不对")));
            }
        }
    }
    Ok(())
}

pub(crate) fn sha_of(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn short(sha: &str) -> String {
    let s: String = sha.chars().take(12).collect();
    format!("{s}…")
}
