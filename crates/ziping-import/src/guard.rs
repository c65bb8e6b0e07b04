//! Checks before a file is parsed: size (a huge file is refused from its metadata, before any byte
//! is read), emptiness, and password protection (an encrypted Office file is an OLE container
//! holding an `EncryptedPackage` stream; its content cannot be read without the password).

use std::io::Read;
use std::path::Path;

use crate::ImportError;

/// The largest workbook or system table read (100 MB). Real statistics workbooks of a county are a
/// few MB; anything larger is refused before it is read into memory.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// The first bytes of an OLE2 compound file (.xls, and the container of encrypted .xlsx/.docx).
const CFB_MAGIC: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Reads `path` after checking its size from the metadata (a file over [`MAX_FILE_BYTES`] is not
/// read at all), reading at most the limit even if the file grows meanwhile.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    let io = |source| ImportError::Io { path: path.display().to_string(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { file: file_name(path), size, limit: MAX_FILE_BYTES });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { file: file_name(path), size: bytes.len() as u64, limit: MAX_FILE_BYTES });
    }
    Ok(bytes)
}

/// Refuses, with a message saying why, bytes that cannot be a readable workbook: empty, over the
/// size limit, or password-protected.
pub(crate) fn check_bytes(file: &str, bytes: &[u8]) -> Result<(), ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty { file: file.to_string() });
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { file: file.to_string(), size: bytes.len() as u64, limit: MAX_FILE_BYTES });
    }
    if is_encrypted(bytes) {
        return Err(ImportError::Encrypted { file: file.to_string() });
    }
    Ok(())
}

/// An OLE container with an `EncryptedPackage` stream (Office's encryption of .xlsx/.docx), or an
/// `EncryptionInfo` stream. The directory entry names are UTF-16LE.
fn is_encrypted(bytes: &[u8]) -> bool {
    if !bytes.starts_with(CFB_MAGIC) {
        return false;
    }
    let needle: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// "1024.0MB" / "35.2KB".
pub(crate) fn human(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1}MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{:.1}KB", bytes as f64 / 1024.0)
    }
}
