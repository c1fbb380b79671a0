//! The stand-in API (`stand-in/`) must answer from the hosted API's contract alone, never with
//! this crate's engine: a "full" answer is only evidence of the API's work if a local answer
//! could not have produced it. This fails when the stand-in depends on, includes or names
//! ibanforge-mcp — in its manifest (any dependency table, renamed or by path), through
//! `include!`/`include_str!`/`include_bytes!` or `#[path]` reaching outside `stand-in/`, or by
//! naming the crate in its code — naming the file and line.

use std::path::{Path, PathBuf};

const CRATE_NAMES: [&str; 2] = ["ibanforge-mcp", "ibanforge_mcp"];

fn stand_in_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("stand-in")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// What is wrong with the stand-in's manifest: a dependency on this crate (under any key,
/// e.g. `package = "ibanforge-mcp"`, in any dependency table; its description may name the
/// crate), or any `path =` that leaves `stand-in/`.
fn manifest_problems(toml: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut in_dependencies = false;
    for (n, line) in toml.lines().enumerate() {
        let code = line.split('#').next().unwrap_or("").trim();
        if code.is_empty() {
            continue;
        }
        if code.starts_with('[') {
            // [dependencies], [dev-dependencies], [target.'cfg(…)'.dependencies], …
            in_dependencies = code.contains("dependencies");
        }
        if in_dependencies && CRATE_NAMES.iter().any(|c| code.contains(c)) {
            wrong.push(format!("Cargo.toml:{}: names this crate: {code}", n + 1));
        }
        if let Some(i) = code.find("path") {
            let rest = code[i + 4..].trim_start();
            if let Some(value) = rest.strip_prefix('=') {
                let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
                let value = value.split(['"', '\'']).next().unwrap_or("");
                if value.starts_with('/') || value.split('/').any(|p| p == "..") {
                    wrong.push(format!(
                        "Cargo.toml:{}: a path outside stand-in/: {code}",
                        n + 1
                    ));
                }
            }
        }
    }
    wrong
}

/// What is wrong with one source line: this crate named, or a file included from outside
/// `stand-in/` (`include!`, `include_str!`, `include_bytes!`, `#[path]`).
fn source_problems(line: &str) -> Vec<&'static str> {
    let code = line.split("//").next().unwrap_or("");
    let mut wrong = Vec::new();
    if CRATE_NAMES.iter().any(|c| code.contains(c)) {
        wrong.push("names ibanforge-mcp");
    }
    let includes = ["include!", "include_str!", "include_bytes!", "#[path"];
    if includes.iter().any(|m| code.contains(m))
        && (code.contains("..") || code.contains("CARGO_MANIFEST_DIR") || code.contains("\"/"))
    {
        wrong.push("includes a file from outside stand-in/");
    }
    wrong
}

#[test]
fn the_stand_in_neither_depends_on_nor_includes_this_crate() {
    let dir = stand_in_dir();
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"ibanforge-stand-in\""),
        "is this the stand-in's manifest?"
    );
    let mut wrong = manifest_problems(&manifest);
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(
        files.len() >= 4,
        "the scan found only {} Rust files: is it reading stand-in/?",
        files.len()
    );
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for why in source_problems(line) {
                wrong.push(format!(
                    "{}:{}: {why}: {}",
                    file.strip_prefix(&dir).unwrap().display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the stand-in must answer from the API's contract, not this crate:\n{}",
        wrong.join("\n")
    );
}

/// Cargo's own reading of the manifest too (`cargo metadata --no-deps`: no download): the
/// stand-in declares no dependency on this crate, whatever the manifest's spelling (workspace
/// inheritance, a renamed dependency).
#[test]
fn cargo_sees_no_dependency_from_the_stand_in_on_this_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
            "--manifest-path",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stand_in = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "ibanforge-stand-in")
        .expect("the stand-in is a workspace member");
    let deps: Vec<&str> = stand_in["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert!(deps.contains(&"iban_validate"), "{deps:?}");
    assert!(
        !deps.iter().any(|d| CRATE_NAMES.contains(d)),
        "the stand-in depends on this crate: {deps:?}"
    );
}

#[test]
fn the_scans_see_what_they_look_for() {
    assert_eq!(
        manifest_problems(
            "[dependencies]\nengine = { package = \"ibanforge-mcp\", path = \"..\" }\n"
        )
        .len(),
        2
    );
    assert!(manifest_problems("iban_validate = \"5\"\nlocal = { path = \"vendor/x\" }").is_empty());
    assert_eq!(
        source_problems("use ibanforge_mcp::engine::validate_iban;"),
        ["names ibanforge-mcp"]
    );
    assert_eq!(
        source_problems("include!(\"../../src/engine/iban.rs\");"),
        ["includes a file from outside stand-in/"]
    );
    assert_eq!(
        source_problems("#[path = \"../../src/engine/mod.rs\"] mod engine;"),
        ["includes a file from outside stand-in/"]
    );
    assert!(source_problems("// ibanforge_mcp is not used here").is_empty());
}
