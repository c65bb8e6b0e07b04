//! The report's typefaces: five roles (标题 / 黑体 / 楷体 / 仿宋 / 宋体), each the vendored Fandol
//! face unless the user picks an installed font file (仿宋_GB2312, 方正小标宋简体, …) by path.
//!
//! The vendored faces live in `assets/fonts/` of the repository (GPL with the font exception, see
//! `assets/fonts/LICENSE.md`); they are read at run time, never compiled into the binary, from the
//! first directory of [`font_dirs`] that holds them. Fonts are embedded into PDFs as subsets.
//!
//! Faces are opened with the light reader of [`crate::sfnt`] (character map and advances, read on
//! demand), so loading costs reading the files, not parsing them.
//!
//! A character missing from a role's face is drawn with the first other loaded face that has it
//! (Fandol covers GB 2312 plus the common extension characters). Rare characters beyond that
//! (生僻字 in names of people and places, e.g. 𠮷 or 䶮) are drawn with an installed Noto CJK face
//! ([`fallback_files`]: Debian's fonts-noto-cjk, or `$ZIPING_FALLBACK_FONT`), opened only when
//! such a character occurs and embedded as a subset like the others. A character no face has is
//! left blank and reported ([`crate::layout::Layout::missing`] → an export warning naming it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::sfnt::Sfnt;
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

/// The directory of the fonts installed with the desktop app (Tauri's resource directory +
/// `fonts/`), set once by the shell at start-up.
static BUNDLED_DIR: OnceLock<PathBuf> = OnceLock::new();

/// Records where the installed app's resources hold the vendored fonts (the desktop shell calls
/// this once with `resource_dir()/fonts`). Later calls are ignored.
pub fn set_bundled_dir(dir: PathBuf) {
    let _ = BUNDLED_DIR.set(dir);
}

/// Candidate directories of the vendored fonts for an executable at `exe`: the layouts of the
/// Tauri bundles (Windows and portable: `<exe dir>/fonts`; Linux .deb and AppImage:
/// `usr/bin/…` → `usr/lib/<product>/fonts`; macOS: `Contents/MacOS/…` →
/// `Contents/Resources/fonts`) and of a plain install (`../share/ziping/fonts`).
pub fn exe_font_dirs(exe: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(bin) = exe.parent() {
        dirs.push(bin.join("fonts"));
        dirs.push(bin.join("assets").join("fonts"));
        dirs.push(bin.join("resources/assets/fonts"));
        dirs.push(bin.join("../lib/ziping/fonts"));
        dirs.push(bin.join("../lib/履职自评/fonts"));
        dirs.push(bin.join("../Resources/fonts"));
        dirs.push(bin.join("../share/ziping/fonts"));
    }
    dirs
}

/// Where the vendored fonts are looked for, in order: `$ZIPING_FONTS`, the installed app's
/// resource directory ([`set_bundled_dir`]), the directories beside the executable
/// ([`exe_font_dirs`]), then the repository's `assets/fonts/` (development builds and tests).
pub fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("ZIPING_FONTS") {
        dirs.push(PathBuf::from(d));
    }
    if let Some(d) = BUNDLED_DIR.get() {
        dirs.push(d.clone());
    }
    if let Ok(exe) = std::env::current_exe() {
        dirs.extend(exe_font_dirs(&exe));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts"));
    dirs
}

/// Installed font files used for characters the report's faces lack, in order:
/// `$ZIPING_FALLBACK_FONT` (a file, or several separated like `PATH`), then Noto CJK as Debian's
/// fonts-noto-cjk, Fedora, Arch and Homebrew install it (serif first: closer to 仿宋 and 宋体).
pub fn fallback_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(v) = std::env::var_os("ZIPING_FALLBACK_FONT") {
        files.extend(std::env::split_paths(&v));
    }
    for dir in [
        "/usr/share/fonts/opentype/noto",
        "/usr/share/fonts/google-noto-serif-cjk-vf-fonts",
        "/usr/share/fonts/google-noto-cjk",
        "/usr/share/fonts/noto-cjk",
        "/usr/local/share/fonts",
        "/Library/Fonts",
    ] {
        for name in ["NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc"] {
            files.push(Path::new(dir).join(name));
        }
    }
    files.retain(|f| f.is_file());
    files.dedup();
    files
}

/// One loaded face.
pub struct Face {
    pub role: Role,
    /// File name shown in messages and embedded as the PDF font name.
    pub name: String,
    pub sfnt: Sfnt,
    /// The font file (the DOCX names fonts; messages name files).
    pub path: PathBuf,
}

impl Face {
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.sfnt.glyph(c)
    }

    /// Advance of a glyph in em.
    pub fn advance_em(&self, gid: u16) -> f32 {
        self.sfnt.advance(gid) as f32 / self.sfnt.units_per_em as f32
    }
}

/// The five faces of a report plus, when needed, fallback faces for rare characters.
pub struct FontSet {
    pub faces: Vec<Face>,
    /// Index of the face for each role.
    role_face: HashMap<Role, usize>,
    /// Fallback faces (Noto CJK), opened on the first character no role face has; their
    /// indices follow those of `faces`.
    fallback: OnceLock<Vec<Face>>,
    fallback_files: Vec<PathBuf>,
    /// Per char, the face that draws it when the role's face does not.
    cache: std::sync::Mutex<HashMap<char, Option<(usize, u16)>>>,
}

fn read_face(role: Role, path: &Path, index: usize) -> Result<Face, ReportError> {
    let bytes = std::fs::read(path).map_err(|e| ReportError::Font {
        message: format!("无法读取{}字体文件“{}”：{e}", role.label(), path.display()),
    })?;
    let sfnt = Sfnt::parse(Arc::new(bytes), index).map_err(|e| ReportError::Font {
        message: format!("字体文件“{}”无法解析（{e}；{}），请选择 .otf、.ttf 或 .ttc 字体", path.display(), role.label()),
    })?;
    let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "font".into());
    Ok(Face { role, name, sfnt, path: path.to_path_buf() })
}

fn load_face(role: Role, path: &Path, index: usize) -> Result<Face, ReportError> {
    let face = read_face(role, path, index)?;
    if face.glyph('中').is_none() {
        return Err(ReportError::Font {
            message: format!("字体文件“{}”不含中文字形，不能用作{}", path.display(), role.label()),
        });
    }
    Ok(face)
}

/// The simplified-Chinese face of a collection such as NotoSerifCJK-Regular.ttc: the one that
/// draws 门 and 说 in their mainland forms is found by name ("SC"), else the first face.
fn fallback_faces(files: &[PathBuf]) -> Vec<Face> {
    let mut out = Vec::new();
    for file in files {
        let Ok(bytes) = std::fs::read(file) else { continue };
        let bytes = Arc::new(bytes);
        let count = if bytes.starts_with(b"ttcf") {
            bytes.get(8..12).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize).unwrap_or(1)
        } else {
            1
        };
        let pick = (0..count).find(|&i| crate::sfnt::face_name(&bytes, i).is_some_and(|n| n.contains(" SC"))).unwrap_or(0);
        if let Ok(sfnt) = Sfnt::parse(bytes, pick) {
            let stem = file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "Fallback".into());
            let name = crate::sfnt::face_name(sfnt.data(), pick).map(|n| n.replace(' ', "")).unwrap_or(stem);
            out.push(Face { role: Role::Fang, name, sfnt, path: file.clone() });
        }
    }
    out
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
    /// Opens the faces of every role, with the installed Noto CJK faces as fallback.
    pub fn load(choice: &FontChoice) -> Result<FontSet, ReportError> {
        FontSet::load_with_fallback(choice, fallback_files())
    }

    /// Opens the faces of every role; `fallback` lists the files tried (in order) for characters
    /// none of them has.
    pub fn load_with_fallback(choice: &FontChoice, fallback: Vec<PathBuf>) -> Result<FontSet, ReportError> {
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
        // The same file for two roles is read once; files are read in parallel (reading the
        // five Fandol faces, 31 MB, is most of the cost of opening them).
        let mut unique: Vec<(Role, PathBuf, usize)> = Vec::new();
        for job in &jobs {
            if !unique.iter().any(|u| u.1 == job.1 && u.2 == job.2) {
                unique.push(job.clone());
            }
        }
        let loaded: Vec<Result<Face, ReportError>> = std::thread::scope(|s| {
            let handles: Vec<_> =
                unique.iter().map(|(role, path, index)| s.spawn(move || load_face(*role, path, *index))).collect();
            handles.into_iter().map(|h| h.join().expect("font loading thread panicked")).collect()
        });
        let faces = loaded.into_iter().collect::<Result<Vec<Face>, ReportError>>()?;
        let mut role_face = HashMap::new();
        for (role, path, index) in &jobs {
            let i = faces.iter().position(|f| &f.path == path && f.sfnt.index() == *index).expect("face loaded");
            role_face.insert(*role, i);
        }
        Ok(FontSet { faces, role_face, fallback: OnceLock::new(), fallback_files: fallback, cache: Default::default() })
    }

    pub fn face_index(&self, role: Role) -> usize {
        self.role_face[&role]
    }

    pub fn face(&self, role: Role) -> &Face {
        &self.faces[self.face_index(role)]
    }

    /// The fallback faces opened so far (none until a character needed them).
    pub fn fallback_faces(&self) -> &[Face] {
        self.fallback.get().map(Vec::as_slice).unwrap_or(&[])
    }

    /// The face at an index returned by [`FontSet::resolve`] (role faces, then fallback faces).
    pub fn face_at(&self, i: usize) -> &Face {
        match self.faces.get(i) {
            Some(f) => f,
            None => &self.fallback_faces()[i - self.faces.len()],
        }
    }

    /// Number of faces that [`FontSet::face_at`] can return.
    pub fn face_count(&self) -> usize {
        self.faces.len() + self.fallback_faces().len()
    }

    /// The face and glyph that draw `c` in `role`: the role's own face, else the first other face
    /// that has it, else a fallback face. `None` when no face has the character.
    pub fn resolve(&self, role: Role, c: char) -> Option<(usize, u16)> {
        let own = self.face_index(role);
        if let Some(g) = self.faces[own].glyph(c) {
            return Some((own, g));
        }
        let mut cache = self.cache.lock().expect("font cache poisoned");
        *cache.entry(c).or_insert_with(|| {
            self.faces.iter().enumerate().find_map(|(i, f)| f.glyph(c).map(|g| (i, g))).or_else(|| {
                let fallback = self.fallback.get_or_init(|| fallback_faces(&self.fallback_files));
                fallback.iter().enumerate().find_map(|(i, f)| f.glyph(c).map(|g| (self.faces.len() + i, g)))
            })
        })
    }

    /// Natural advance of a narrow (non-grid) character in em of `role`'s face.
    pub fn advance_em(&self, role: Role, c: char) -> f32 {
        match self.resolve(role, c) {
            Some((f, g)) => self.face_at(f).advance_em(g),
            None => 0.5,
        }
    }
}
