//! Writes the indicator-system table fixtures to `crates/ziping-import/tests/fixtures/system/`.
//!
//!     cargo run -p ziping-import --example make_system_fixtures

#[path = "../tests/fixtures/system/gen.rs"]
mod gen;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/system");
    std::fs::create_dir_all(&dir).expect("fixture folder");
    for (name, bytes) in gen::all() {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        println!("{}", path.display());
    }
}
