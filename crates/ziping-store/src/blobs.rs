//! The evidence folder: files named by the SHA-256 of their content (`ab/cdef…`), written atomically
//! (temporary file, fsync, rename, fsync of the folder) and never modified afterwards.
//!
//! Files are stored read-only and without any execute permission; the program only hashes and copies
//! them (the UI may hand one to the system viewer on request).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

/// The folder of a workspace's evidence: the workspace file name plus `.evidence`, beside it.
pub(crate) fn evidence_dir(workspace: &Path) -> PathBuf {
    let mut name = workspace
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".evidence");
    workspace.with_file_name(name)
}

/// True for 64 lower-case hex digits.
pub(crate) fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Where the blob with this hash lives. `sha` must be 64 lower-case hex digits.
pub(crate) fn blob_path(dir: &Path, sha: &str) -> PathBuf {
    dir.join(&sha[..2]).join(&sha[2..])
}

pub(crate) fn hex(digest: &[u8]) -> String {
    let mut s = String::with_capacity(digest.len() * 2);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A file being written into `<dir>/tmp/`, hashed as it goes.
pub(crate) struct Staged {
    pub(crate) path: PathBuf,
    pub(crate) sha256: String,
    pub(crate) size: u64,
}

impl Staged {
    /// Removes the temporary file (best effort).
    pub(crate) fn discard(self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// The size of the chunks a file is copied and hashed in.
pub(crate) const CHUNK: usize = 64 * 1024;

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn temp_path(dir: &Path) -> io::Result<PathBuf> {
    let tmp = dir.join("tmp");
    fs::create_dir_all(&tmp)?;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    Ok(tmp.join(format!("{}-{nanos}-{n}.part", std::process::id())))
}

/// Copies `src` into a temporary file of the evidence folder while hashing it, and syncs it.
pub(crate) fn stage(dir: &Path, src: &mut dyn Read) -> io::Result<Staged> {
    stage_with_progress(dir, src, &mut |_| {})
}

/// Like [`stage`], calling `progress` with the number of bytes copied and hashed so far after every
/// chunk of [`CHUNK`] bytes (so a large file reports its progress while it is being copied).
pub(crate) fn stage_with_progress(
    dir: &Path,
    src: &mut dyn Read,
    progress: &mut dyn FnMut(u64),
) -> io::Result<Staged> {
    let path = temp_path(dir)?;
    let mut out = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    let result = (|| {
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        let mut size = 0u64;
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])?;
            size += n as u64;
            progress(size);
        }
        out.sync_all()?;
        Ok((hex(&hasher.finalize()), size))
    })();
    drop(out);
    match result {
        Ok((sha256, size)) => Ok(Staged { path, sha256, size }),
        Err(e) => {
            let _ = fs::remove_file(&path);
            Err(e)
        }
    }
}

/// Moves a staged file to its place. Returns `true` if it was placed, `false` if a file with the
/// same content was already there (then the staged file is removed and the existing one kept).
pub(crate) fn place(dir: &Path, staged: Staged) -> io::Result<bool> {
    let target = blob_path(dir, &staged.sha256);
    if target.is_file() && hash_file(&target).is_ok_and(|(sha, _)| sha == staged.sha256) {
        staged.discard();
        return Ok(false);
    }
    let parent = target.parent().unwrap_or(dir);
    fs::create_dir_all(parent)?;
    if target.exists() {
        // An altered or damaged copy: replace it with the good content.
        make_writable(&target);
        fs::remove_file(&target)?;
    }
    let mut perms = fs::metadata(&staged.path)?.permissions();
    perms.set_readonly(true);
    fs::set_permissions(&staged.path, perms)?;
    if let Err(e) = fs::rename(&staged.path, &target) {
        staged.discard();
        return Err(e);
    }
    sync_dir(parent);
    Ok(true)
}

/// Removes a stored blob (used when an item is deleted, or an import is rolled back).
pub(crate) fn remove(dir: &Path, sha: &str) -> io::Result<()> {
    let path = blob_path(dir, sha);
    make_writable(&path);
    match fs::remove_file(&path) {
        Ok(()) => {
            if let Some(parent) = path.parent() {
                sync_dir(parent);
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// SHA-256 and size of a file's content.
pub(crate) fn hash_file(path: &Path) -> io::Result<(String, u64)> {
    let mut f = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex(&hasher.finalize()), size))
}

#[allow(clippy::permissions_set_readonly_false)]
fn make_writable(path: &Path) {
    if let Ok(meta) = fs::metadata(path) {
        let mut perms = meta.permissions();
        if perms.readonly() {
            // Only to delete or replace our own read-only blob (needed on Windows).
            perms.set_readonly(false);
            let _ = fs::set_permissions(path, perms);
        }
    }
}

/// Makes a rename durable (no-op where directories cannot be opened, e.g. Windows).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
