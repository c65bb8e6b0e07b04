//! A light OpenType (sfnt) reader: exactly what the layout needs — the character → glyph map
//! (`cmap` formats 4 and 12), advance widths (`hmtx`) and units per em — read on demand from the
//! file's bytes. Nothing is decoded up front: opening a 7 MB CJK face costs reading the file and
//! its table directory, not parsing its outlines (printpdf's full parse of the five Fandol faces
//! took ~85 ms). Outlines are touched only when the PDF embeds a subset ([`crate::pdf`]).
//!
//! Font collections (`.ttc`, e.g. Noto CJK) select a face by index.

use std::sync::Arc;

fn u16_at(d: &[u8], off: usize) -> Option<u16> {
    d.get(off..off + 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], off: usize) -> Option<u32> {
    d.get(off..off + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

#[derive(Clone, Copy, Debug)]
enum Cmap {
    /// Offset of a format 4 subtable (BMP).
    Format4(usize),
    /// Offset of a format 12 subtable (full Unicode) and its group count.
    Format12(usize, usize),
}

/// One face of a font file, ready for lookups.
#[derive(Clone)]
pub struct Sfnt {
    data: Arc<Vec<u8>>,
    index: usize,
    cmap: Cmap,
    hmtx: usize,
    hmtx_len: usize,
    num_h_metrics: usize,
    pub num_glyphs: u16,
    pub units_per_em: u16,
}

impl std::fmt::Debug for Sfnt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sfnt").field("index", &self.index).field("num_glyphs", &self.num_glyphs).finish()
    }
}

/// Why a file is not a usable font.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SfntError {
    NotAFont,
    NoSuchFace(usize),
    MissingTable(&'static str),
    NoUnicodeCmap,
}

impl std::fmt::Display for SfntError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SfntError::NotAFont => write!(f, "不是 OpenType/TrueType 字体"),
            SfntError::NoSuchFace(i) => write!(f, "字体集合中没有第{}个字体", i + 1),
            SfntError::MissingTable(t) => write!(f, "缺少“{t}”表"),
            SfntError::NoUnicodeCmap => write!(f, "没有 Unicode 字符映射表"),
        }
    }
}

impl Sfnt {
    /// Reads the table directory of face `index` (0 for a single-face file).
    pub fn parse(data: Arc<Vec<u8>>, index: usize) -> Result<Sfnt, SfntError> {
        let d = data.as_slice();
        let base = match d.get(0..4) {
            Some(b"ttcf") => {
                let n = u32_at(d, 8).ok_or(SfntError::NotAFont)? as usize;
                if index >= n {
                    return Err(SfntError::NoSuchFace(index));
                }
                u32_at(d, 12 + 4 * index).ok_or(SfntError::NotAFont)? as usize
            }
            Some([0, 1, 0, 0]) | Some(b"OTTO") | Some(b"true") => {
                if index > 0 {
                    return Err(SfntError::NoSuchFace(index));
                }
                0
            }
            _ => return Err(SfntError::NotAFont),
        };
        let num_tables = u16_at(d, base + 4).ok_or(SfntError::NotAFont)? as usize;
        let table = |tag: &'static [u8; 4]| -> Result<(usize, usize), SfntError> {
            for i in 0..num_tables {
                let rec = base + 12 + 16 * i;
                if d.get(rec..rec + 4) == Some(tag.as_slice()) {
                    let off = u32_at(d, rec + 8).ok_or(SfntError::NotAFont)? as usize;
                    let len = u32_at(d, rec + 12).ok_or(SfntError::NotAFont)? as usize;
                    if off.checked_add(len).is_none_or(|e| e > d.len()) {
                        return Err(SfntError::NotAFont);
                    }
                    return Ok((off, len));
                }
            }
            Err(SfntError::MissingTable(std::str::from_utf8(tag).unwrap_or("?")))
        };
        let (head, _) = table(b"head")?;
        let (maxp, _) = table(b"maxp")?;
        let (hhea, _) = table(b"hhea")?;
        let (hmtx, hmtx_len) = table(b"hmtx")?;
        let (cmap_off, _) = table(b"cmap")?;
        let units_per_em = u16_at(d, head + 18).ok_or(SfntError::MissingTable("head"))?.max(1);
        let num_glyphs = u16_at(d, maxp + 4).ok_or(SfntError::MissingTable("maxp"))?;
        let num_h_metrics = u16_at(d, hhea + 34).ok_or(SfntError::MissingTable("hhea"))? as usize;
        if num_h_metrics == 0 || hmtx_len < 4 * num_h_metrics {
            return Err(SfntError::MissingTable("hmtx"));
        }
        // The best Unicode subtable: format 12 (full repertoire) before format 4 (BMP).
        let n = u16_at(d, cmap_off + 2).ok_or(SfntError::NoUnicodeCmap)? as usize;
        let mut best: Option<(u8, Cmap)> = None;
        for i in 0..n {
            let rec = cmap_off + 4 + 8 * i;
            let (Some(platform), Some(encoding), Some(off)) = (u16_at(d, rec), u16_at(d, rec + 2), u32_at(d, rec + 4))
            else {
                break;
            };
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            if !unicode {
                continue;
            }
            let sub = cmap_off + off as usize;
            let candidate = match u16_at(d, sub) {
                Some(12) => match u32_at(d, sub + 12) {
                    Some(groups) if sub + 16 + 12 * groups as usize <= d.len() => {
                        Some((2, Cmap::Format12(sub, groups as usize)))
                    }
                    _ => None,
                },
                Some(4) => u16_at(d, sub + 6).filter(|s| sub + 16 + 4 * *s as usize <= d.len()).map(|_| (1, Cmap::Format4(sub))),
                _ => None,
            };
            if let Some(c) = candidate {
                if best.is_none_or(|b| c.0 > b.0) {
                    best = Some(c);
                }
            }
        }
        let cmap = best.ok_or(SfntError::NoUnicodeCmap)?.1;
        Ok(Sfnt { data, index, cmap, hmtx, hmtx_len, num_h_metrics, num_glyphs, units_per_em })
    }

    /// The file's bytes (a whole collection for a `.ttc`).
    pub fn data(&self) -> &Arc<Vec<u8>> {
        &self.data
    }

    /// Index of the face in its file.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The glyph of a character; `None` for characters the face lacks (glyph 0).
    pub fn glyph(&self, c: char) -> Option<u16> {
        let d = self.data.as_slice();
        let cp = c as u32;
        let gid = match self.cmap {
            Cmap::Format12(sub, groups) => {
                let (mut lo, mut hi) = (0usize, groups);
                let mut found = None;
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    let g = sub + 16 + 12 * mid;
                    let (start, end) = (u32_at(d, g)?, u32_at(d, g + 4)?);
                    if cp < start {
                        hi = mid;
                    } else if cp > end {
                        lo = mid + 1;
                    } else {
                        found = Some(u32_at(d, g + 8)?.checked_add(cp - start)?);
                        break;
                    }
                }
                found?
            }
            Cmap::Format4(sub) => {
                if cp > 0xFFFF {
                    return None;
                }
                let seg_x2 = u16_at(d, sub + 6)? as usize;
                let segs = seg_x2 / 2;
                let ends = sub + 14;
                let starts = ends + seg_x2 + 2;
                let deltas = starts + seg_x2;
                let ranges = deltas + seg_x2;
                // First segment whose end code is ≥ the character.
                let (mut lo, mut hi) = (0usize, segs);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if (u16_at(d, ends + 2 * mid)? as u32) < cp {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                if lo >= segs {
                    return None;
                }
                let start = u16_at(d, starts + 2 * lo)? as u32;
                if cp < start {
                    return None;
                }
                let delta = u16_at(d, deltas + 2 * lo)? as u32;
                let range_at = ranges + 2 * lo;
                let range = u16_at(d, range_at)? as usize;
                if range == 0 {
                    (cp + delta) & 0xFFFF
                } else {
                    let g = u16_at(d, range_at + range + 2 * (cp - start) as usize)? as u32;
                    if g == 0 {
                        return None;
                    }
                    (g + delta) & 0xFFFF
                }
            }
        };
        u16::try_from(gid).ok().filter(|g| *g != 0 && *g < self.num_glyphs)
    }

    /// Advance width of a glyph in font units.
    pub fn advance(&self, gid: u16) -> u16 {
        let i = (gid as usize).min(self.num_h_metrics - 1);
        let off = self.hmtx + 4 * i;
        if off + 2 > self.hmtx + self.hmtx_len {
            return 0;
        }
        u16_at(&self.data, off).unwrap_or(0)
    }
}

/// The English family name (name ID 1, Windows platform) of face `index` of a font file, e.g.
/// "Noto Serif CJK SC" — enough to pick the simplified-Chinese face of a collection.
pub fn face_name(data: &[u8], index: usize) -> Option<String> {
    let base = if data.starts_with(b"ttcf") { u32_at(data, 12 + 4 * index)? as usize } else { 0 };
    let num_tables = u16_at(data, base + 4)? as usize;
    let name = (0..num_tables)
        .map(|i| base + 12 + 16 * i)
        .find(|rec| data.get(*rec..rec + 4) == Some(b"name".as_slice()))
        .and_then(|rec| u32_at(data, rec + 8))? as usize;
    let count = u16_at(data, name + 2)? as usize;
    let strings = name + u16_at(data, name + 4)? as usize;
    for i in 0..count {
        let rec = name + 6 + 12 * i;
        let (platform, language, id) = (u16_at(data, rec)?, u16_at(data, rec + 4)?, u16_at(data, rec + 6)?);
        if platform == 3 && language == 0x409 && id == 1 {
            let (len, off) = (u16_at(data, rec + 8)? as usize, u16_at(data, rec + 10)? as usize);
            let bytes = data.get(strings + off..strings + off + len)?;
            let units: Vec<u16> = bytes.chunks_exact(2).map(|b| u16::from_be_bytes([b[0], b[1]])).collect();
            return String::from_utf16(&units).ok();
        }
    }
    None
}
