//! The report's typefaces: five roles (标题 / 黑体 / 楷体 / 仿宋 / 宋体), each the vendored Fandol
//! face unless the user picks an installed font file (仿宋_GB2312, 方正小标宋简体, …) by path.
//!
//! The vendored faces live in `assets/fonts/` of the repository (GPL with the font exception, see
//! `assets/fonts/LICENSE.md`); they are read at run time, never compiled into the binary, from the
//! first directory of [`font_dirs`] that holds them. Fonts are embedded into PDFs as subsets.
//!
//! A character missing from a role's face is drawn with the first other loaded face that has it
//! (Fandol covers GB 2312 plus the common extension characters). A character no loaded face has
//! is left blank and reported ([`crate::layout::Layout::missing`] → an export warning); a Noto
//! CJK fallback face is not bundled (about 20 MB per face), users can pick one as a role's file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use printpdf::ParsedFont;
use serde::{Deserialize, Serialize};

use crate::ReportError;

/// The typographic roles of an official document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 标题: 小标宋 (vendored: FandolSong Bold).
    Title,
    /// 一级标题 "一、": 黑体 (FandolHei).
    Hei,
    /// 二级标题 "（一）": 楷体 (FandolKai).
    Kai,
    /// 正文: 仿宋 (FandolFang).
    Fang,
    /// 页码: 宋体 (FandolSong).
    Song,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Fang, Role::Hei, Role::Kai, Role::Title, Role::Song];

    /// The vendored file of the role.
    pub fn default_file(self) -> &'static str {
        match self {
            Role::Title => "FandolSong-Bold.otf",
            Role::Hei => "FandolHei-Regular.otf",
            Role::Kai => "FandolKai-Regular.otf",
            Role::Fang => "FandolFang-Regular.otf",
            Role::Song => "FandolSong-Regular.otf",
        }
    }

    /// Chinese name for messages and the UI.
    pub fn label(self) -> &'static str {
        match self {
            Role::Title => "标题（小标宋）",
            Role::Hei => "一级标题（黑体）",
            Role::Kai => "二级标题（楷体）",
            Role::Fang => "正文（仿宋）",
            Role::Song => "页码（宋体）",
        }
    }
}

/// A user-chosen font file for one role; `index` selects the face in a .ttc collection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FontFile {
    pub path: PathBuf,
    #[serde(default)]
    pub index: usize,
}

/// The user's font choices; absent roles use the vendored faces.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FontChoice {
    #[serde(default)]
    pub title: Option<FontFile>,
    #[serde(default)]
    pub hei: Option<FontFile>,
    #[serde(default)]
    pub kai: Option<FontFile>,
    #[serde(default)]
    pub fang: Option<FontFile>,
    #[serde(default)]
    pub song: Option<FontFile>,
    /// Directory of the vendored fonts, when not found by [`font_dirs`].
    #[serde(default)]
    pub dir: Option<PathBuf>,
}

impl FontChoice {
    fn get(&self, role: Role) -> Option<&FontFile> {
        match role {
            Role::Title => self.title.as_ref(),
            Role::Hei => self.hei.as_ref(),
            Role::Kai => self.kai.as_ref(),
            Role::Fang => self.fang.as_ref(),
            Role::Song => self.song.as_ref(),
        }
    }
}

/// Where the vendored fonts are looked for, in order: `$ZIPING_FONTS`, beside the executable
/// (`fonts/`, `assets/fonts/`, `../share/ziping/fonts/`, `../lib/ziping/fonts/`), then the
/// repository's `assets/fonts/` (development builds and tests).
pub fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("ZIPING_FONTS") {
        dirs.push(PathBuf::from(d));
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(bin) = exe.parent() {
            dirs.push(bin.join("fonts"));
            dirs.push(bin.join("assets").join("fonts"));
            dirs.push(bin.join("../share/ziping/fonts"));
            dirs.push(bin.join("../lib/ziping/fonts"));
            dirs.push(bin.join("resources/assets/fonts"));
        }
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts"));
    dirs
}

/// One loaded face.
pub struct Face {
    pub role: Role,
    /// File name shown in messages and embedded as the PDF font name.
    pub name: String,
    pub parsed: Arc<ParsedFont>,
    upem: f32,
    /// The raw file, for the DOCX (which names fonts) — not re-read.
    pub path: PathBuf,
}

impl Face {
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.parsed.lookup_glyph_index(c as u32).filter(|g| *g != 0)
    }

    /// Advance of a glyph in em.
    pub fn advance_em(&self, gid: u16) -> f32 {
        self.parsed.get_horizontal_advance(gid) as f32 / self.upem
    }
}

/// The five faces of a report plus an optional fallback.
pub struct FontSet {
    pub faces: Vec<Face>,
    /// Index of the face for each role.
    role_face: HashMap<Role, usize>,
    /// Per char, the face that draws it when the role's face does not.
    cache: std::sync::Mutex<HashMap<char, Option<(usize, u16)>>>,
}

fn load_face(role: Role, path: &Path, index: usize) -> Result<Face, ReportError> {
    let bytes = std::fs::read(path).map_err(|e| ReportError::Font {
        message: format!("无法读取{}字体文件“{}”：{e}", role.label(), path.display()),
    })?;
    let mut warnings = Vec::new();
    let parsed = ParsedFont::from_bytes(&bytes, index, &mut warnings).ok_or_else(|| ReportError::Font {
        message: format!("字体文件“{}”无法解析（{}），请选择 .otf、.ttf 或 .ttc 字体", path.display(), role.label()),
    })?;
    let upem = parsed.pdf_font_metrics.units_per_em.max(1) as f32;
    if parsed.lookup_glyph_index('中' as u32).unwrap_or(0) == 0 {
        return Err(ReportError::Font {
            message: format!("字体文件“{}”不含中文字形，不能用作{}", path.display(), role.label()),
        });
    }
    let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "font".into());
    Ok(Face { role, name, parsed: Arc::new(parsed), upem, path: path.to_path_buf() })
}

/// Finds the directory holding the vendored fonts.
pub fn vendored_dir(choice: &FontChoice) -> Option<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = &choice.dir {
        dirs.push(d.clone());
    }
    dirs.extend(font_dirs());
    dirs.into_iter().find(|d| d.join(Role::Fang.default_file()).is_file())
}

impl FontSet {
    /// Loads the faces of every role (in parallel: parsing a CJK font takes tens of milliseconds).
    pub fn load(choice: &FontChoice) -> Result<FontSet, ReportError> {
        let dir = vendored_dir(choice);
        let mut jobs: Vec<(Role, PathBuf, usize)> = Vec::new();
        for role in Role::ALL {
            match choice.get(role) {
                Some(f) => jobs.push((role, f.path.clone(), f.index)),
                None => {
                    let Some(dir) = &dir else {
                        return Err(ReportError::Font {
                            message: format!(
                                "找不到随软件提供的字体（{}）。请确认安装目录下的 fonts 文件夹完整，或设置环境变量 ZIPING_FONTS 指向字体目录",
                                role.default_file()
                            ),
                        });
                    };
                    jobs.push((role, dir.join(role.default_file()), 0));
                }
            }
        }
        let results: Vec<Result<Face, ReportError>> = std::thread::scope(|s| {
            let handles: Vec<_> =
                jobs.iter().map(|(role, path, index)| s.spawn(move || load_face(*role, path, *index))).collect();
            handles.into_iter().map(|h| h.join().expect("font loading thread panicked")).collect()
        });
        let mut faces = Vec::new();
        let mut role_face = HashMap::new();
        for r in results {
            let face = r?;
            role_face.insert(face.role, faces.len());
            faces.push(face);
        }
        Ok(FontSet { faces, role_face, cache: Default::default() })
    }

    pub fn face_index(&self, role: Role) -> usize {
        self.role_face[&role]
    }

    pub fn face(&self, role: Role) -> &Face {
        &self.faces[self.face_index(role)]
    }

    /// The face and glyph that draw `c` in `role`: the role's own face, else the first other face
    /// that has it. `None` when no loaded face has the character.
    pub fn resolve(&self, role: Role, c: char) -> Option<(usize, u16)> {
        let own = self.face_index(role);
        if let Some(g) = self.faces[own].glyph(c) {
            return Some((own, g));
        }
        let mut cache = self.cache.lock().expect("font cache poisoned");
        *cache.entry(c).or_insert_with(|| {
            self.faces.iter().enumerate().find_map(|(i, f)| f.glyph(c).map(|g| (i, g)))
        })
    }

    /// Natural advance of a narrow (non-grid) character in em of `role`'s face.
    pub fn advance_em(&self, role: Role, c: char) -> f32 {
        match self.resolve(role, c) {
            Some((f, g)) => self.faces[f].advance_em(g),
            None => 0.5,
        }
    }
}
