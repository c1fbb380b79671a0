//! The rooms of `src/` and the one direction dependencies may point:
//! `cli → server → tools → {api, engine, config}`, `api → config`, `engine` and `config`
//! → nothing. A module that reaches against that direction (say `api` importing a type from
//! `tools`, or the engine reading settings) fails here, naming the file and line.

use std::path::{Path, PathBuf};

/// Each room and the rooms it may use.
const ALLOWED: [(&str, &[&str]); 6] = [
    ("engine", &[]),
    ("config", &[]),
    ("api", &["config"]),
    ("tools", &["api", "engine", "config"]),
    ("server", &["tools", "api", "engine", "config"]),
    ("cli", &["server", "tools", "api", "engine", "config"]),
];

fn room_of(path: &Path, src: &Path) -> Option<&'static str> {
    let rel = path.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let first = first.strip_suffix(".rs").unwrap_or(first);
    // The line guard is part of the server room (the stdio transport it guards).
    let first = if first == "wire" { "server" } else { first };
    ALLOWED.iter().map(|(r, _)| *r).find(|r| *r == first)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::<room>` a line names (in `use` lines and in paths alike).
fn rooms_named(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() && rest.starts_with('{') {
            // `use crate::{a, b}`: every room in the braces.
            let inner: String = rest[1..].chars().take_while(|c| *c != '}').collect();
            for part in inner.split(',') {
                let n: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !n.is_empty() {
                    found.push(n);
                }
            }
        } else if !name.is_empty() {
            found.push(name);
        }
    }
    found
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for file in &files {
        let Some(room) = room_of(file, &src) else {
            continue; // main.rs and lib.rs sit above every room
        };
        let allowed = ALLOWED.iter().find(|(r, _)| *r == room).unwrap().1;
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for named in rooms_named(code) {
                let named = if named == "wire" {
                    "server".to_string()
                } else {
                    named
                };
                checked += 1;
                let known = ALLOWED.iter().any(|(r, _)| *r == named);
                if known && named != room && !allowed.contains(&named.as_str()) {
                    wrong.push(format!(
                        "{}:{}: `{room}` uses `{named}` — {room} may use only {allowed:?}",
                        file.strip_prefix(&src).unwrap().display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        checked > 20,
        "the scan found only {checked} crate paths: is it reading src/?"
    );
    assert!(
        wrong.is_empty(),
        "dependencies against the direction:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scan_sees_braced_and_inline_paths() {
    assert_eq!(
        rooms_named("use crate::{api, engine::iban};"),
        ["api", "engine"]
    );
    assert_eq!(
        rooms_named("let x = crate::tools::args::MAX; crate::config::read(p)"),
        ["tools", "config"]
    );
}
