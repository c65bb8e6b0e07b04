//! Build script of the desktop shell: `tauri-build` reads `tauri.conf.json` (beside the root Cargo.toml,
//! which is this package's manifest), checks the capabilities and prepares the context that
//! `tauri::generate_context!()` embeds. The UI must already be built into `ui/dist`.

fn main() {
    tauri_build::build();
}
