//! The vendored tachys (vendor/README.md) is the one every crate builds with: a Leptos update
//! that needs another tachys version would leave `[patch.crates-io]` unused (cargo only warns)
//! and the wasm bundle would silently grow back by the async hydration of every `AnyView`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf()
}

fn cargo_metadata() -> serde_json::Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(workspace())
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("cargo metadata's JSON")
}

#[test]
fn every_crate_builds_with_the_vendored_tachys_and_its_gate_stays_off() {
    let metadata = cargo_metadata();
    let tachys: Vec<&serde_json::Value> = metadata["packages"].as_array().unwrap().iter().filter(|p| p["name"] == "tachys").collect();
    assert_eq!(tachys.len(), 1, "one tachys in the build, the vendored one: {tachys:#?}");
    let tachys = tachys[0];
    assert!(tachys["source"].is_null(), "tachys comes from {} instead of vendor/tachys: is [patch.crates-io] unused?", tachys["source"]);
    let manifest = workspace().join("vendor/tachys/Cargo.toml");
    assert_eq!(Path::new(tachys["manifest_path"].as_str().unwrap()), manifest);
    assert!(tachys["features"].get("hydrate-async").is_some(), "the patched gate `hydrate-async` exists: {}", tachys["features"]);

    // Resolved features over the whole workspace (the wasm frontend included): hydration is on,
    // the async copy is not.
    let id = tachys["id"].as_str().unwrap();
    let node = metadata["resolve"]["nodes"].as_array().unwrap().iter().find(|n| n["id"] == id).expect("tachys resolved");
    let features: Vec<&str> = node["features"].as_array().unwrap().iter().filter_map(|f| f.as_str()).collect();
    assert!(features.contains(&"hydrate"), "the frontend hydrates with tachys/hydrate: {features:?}");
    assert!(!features.contains(&"hydrate-async"), "something enabled tachys/hydrate-async: {features:?}");
}

#[test]
fn the_patch_file_is_what_vendor_tachys_holds() {
    let root = workspace();
    let out = Command::new("git")
        .args(["apply", "--check", "--reverse", "--directory=vendor/tachys", "vendor/tachys-no-async-hydration.patch"])
        .current_dir(&root)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "vendor/tachys-no-async-hydration.patch no longer undoes to tachys 0.2.19: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let source = std::fs::read_to_string(root.join("vendor/tachys/src/view/any_view.rs")).unwrap();
    assert_eq!(
        source.matches("#[cfg(all(feature = \"hydrate\", feature = \"hydrate-async\"))]").count(),
        4,
        "field, builder, constructor, method"
    );
    // The panic of the compiled-out path says why, not that `hydrate` is off.
    let gated =
        source.split("#[cfg(all(feature = \"hydrate\", not(feature = \"hydrate-async\")))]").nth(1).expect("the compiled-out branch");
    let message = &gated[..gated.find(");").unwrap()];
    assert!(message.contains("compiled out") && message.contains("`hydrate-async` feature, which is off"), "{message}");
}
