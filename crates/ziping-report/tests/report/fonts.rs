//! Where the vendored fonts are found once the desktop app is installed: the Tauri bundle layouts.

use std::path::Path;

use ziping_report::fonts::{exe_font_dirs, vendored_dir, FontChoice};

fn lay_out(root: &Path, exe: &str, fonts: &str) -> std::path::PathBuf {
    let exe = root.join(exe);
    std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
    std::fs::write(&exe, b"").unwrap();
    let dir = root.join(fonts);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("FandolFang-Regular.otf"), b"x").unwrap();
    exe
}

#[test]
fn the_bundle_layouts_are_searched() {
    // Linux .deb / AppImage (resources in usr/lib/<productName>/), Windows (beside the exe),
    // macOS (Contents/Resources).
    for (exe, fonts) in [
        ("usr/bin/ziping-desktop", "usr/lib/ziping/fonts"),
        ("ziping-desktop.exe", "fonts"),
        ("ziping.app/Contents/MacOS/ziping-desktop", "ziping.app/Contents/Resources/fonts"),
    ] {
        let root = tempfile::tempdir().unwrap();
        let exe = lay_out(root.path(), exe, fonts);
        let found = exe_font_dirs(&exe)
            .into_iter()
            .find(|d| d.join("FandolFang-Regular.otf").is_file())
            .unwrap_or_else(|| panic!("{fonts} not searched for {}", exe.display()));
        assert_eq!(found.canonicalize().unwrap(), root.path().join(fonts).canonicalize().unwrap());
    }
    // Development and tests: the repository's assets/fonts.
    let dir = vendored_dir(&FontChoice::default()).expect("assets/fonts found");
    assert!(dir.join("FandolSong-Bold.otf").is_file());
}
