//! The rooms of `src/` and the one direction dependencies may point:
//! `cli → server → tools → {api, engine, config}`, `api → config`, `engine` and `config`
//! → nothing. A module that reaches against that direction (say `api` importing a type from
//! `tools`, or the engine reading settings) fails here, naming the file and line.
//!
//! Inside `tools/`, two more rules keep "a tool is one file and one registry line" true:
//! only the registry names a tool file (the policy, the server and the CLI reach tools
//! through it, so none of them grows a list of tools), and the modules of `tools/` import
//! one another without a circle (a circle is how a "written once" part starts knowing one
//! tool). Each rule is shown to catch a planted violation below.

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

/// The modules of `src/tools/` (file stems), each with the sibling modules it imports
/// (`super::x`, `crate::tools::x`), from the text of each file. `*_tests.rs` files are a
/// module's unit tests and are left out.
fn tools_graph(files: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let stems: Vec<&str> = files.iter().map(|(stem, _)| stem.as_str()).collect();
    files
        .iter()
        .filter(|(stem, _)| !stem.ends_with("_tests"))
        .map(|(stem, text)| {
            let mut uses = Vec::new();
            for line in text.lines() {
                let code = line.split("//").next().unwrap_or("");
                for prefix in ["super::", "crate::tools::"] {
                    let mut rest = code;
                    while let Some(i) = rest.find(prefix) {
                        rest = &rest[i + prefix.len()..];
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if stems.contains(&name.as_str()) && name != *stem && !uses.contains(&name)
                        {
                            uses.push(name);
                        }
                    }
                }
            }
            (stem.clone(), uses)
        })
        .collect()
}

/// Tool files are the modules the registry imports a tool from.
fn tool_files(graph: &[(String, Vec<String>)]) -> Vec<String> {
    graph
        .iter()
        .find(|(stem, _)| stem == "registry")
        .map(|(_, uses)| uses.iter().filter(|u| *u != "policy").cloned().collect())
        .unwrap_or_default()
}

/// Every module other than the registry (or another tool file) that imports a tool file.
fn tool_file_importers(graph: &[(String, Vec<String>)]) -> Vec<String> {
    let tools = tool_files(graph);
    let mut wrong = Vec::new();
    for (stem, uses) in graph {
        if stem == "registry" || tools.contains(stem) {
            continue;
        }
        for u in uses.iter().filter(|u| tools.contains(u)) {
            wrong.push(format!("tools/{stem}.rs imports the tool file tools/{u}.rs: reach tools through the registry"));
        }
    }
    wrong
}

/// One import circle among the modules, if there is one (as the path that closes it).
fn circle(graph: &[(String, Vec<String>)]) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &[(String, Vec<String>)],
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut c = path[i..].to_vec();
            c.push(node.to_string());
            return Some(c);
        }
        if done.iter().any(|d| d == node) {
            return None;
        }
        path.push(node.to_string());
        let uses = graph
            .iter()
            .find(|(s, _)| s == node)
            .map(|(_, u)| u.clone())
            .unwrap_or_default();
        for u in uses {
            if let Some(c) = visit(&u, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.push(node.to_string());
        None
    }
    let mut done = Vec::new();
    for (stem, _) in graph {
        if let Some(c) = visit(stem, graph, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

fn tools_sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tools");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    files
        .iter()
        .filter(|f| f.parent() == Some(dir.as_path()))
        .map(|f| {
            (
                f.file_stem().unwrap().to_str().unwrap().to_owned(),
                std::fs::read_to_string(f).unwrap(),
            )
        })
        .collect()
}

#[test]
fn only_the_registry_names_a_tool_file_and_tools_has_no_import_circle() {
    let graph = tools_graph(&tools_sources());
    let tools = tool_files(&graph);
    assert!(
        tools.len() >= 5,
        "the registry imports the tools: {tools:?}"
    );
    let wrong = tool_file_importers(&graph);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(circle(&graph), None, "an import circle inside src/tools/");

    // Outside tools/, nothing names a tool file: the server and the CLI use the registry.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for file in files.iter().filter(|f| !f.starts_with(src.join("tools"))) {
        let text = std::fs::read_to_string(file).unwrap();
        for t in &tools {
            assert!(
                !text.contains(&format!("tools::{t}")),
                "{} names the tool file tools/{t}.rs: reach tools through the registry",
                file.display()
            );
        }
    }
}

/// The two rules above, each against a planted violation, so they are known to bite.
#[test]
fn the_tools_rules_catch_planted_violations() {
    let file = |stem: &str, text: &str| (stem.to_owned(), text.to_owned());
    let clean = vec![
        file(
            "registry",
            "use super::policy::Entry;\nuse super::lookup_bic::LookupBic;",
        ),
        file("policy", "use super::tool::Tool;"),
        file("tool", "use super::answer::Country;"),
        file("answer", ""),
        file(
            "lookup_bic",
            "use super::tool::Tool; use super::answer::Country;",
        ),
        file("policy_tests", "use crate::tools::lookup_bic::LookupBic;"),
    ];
    let graph = tools_graph(&clean);
    assert_eq!(tool_files(&graph), ["lookup_bic"]);
    assert!(tool_file_importers(&graph).is_empty());
    assert_eq!(circle(&graph), None);

    // The policy importing a tool's type (how `policy.rs` once knew the batch).
    let mut planted = clean.clone();
    planted[1] = file(
        "policy",
        "use super::tool::Tool;\nuse crate::tools::lookup_bic::BicLookup;",
    );
    let wrong = tool_file_importers(&tools_graph(&planted));
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(wrong[0].contains("tools/policy.rs imports the tool file tools/lookup_bic.rs"));

    // A circle: the trait file naming the policy that uses it.
    let mut planted = clean.clone();
    planted[2] = file(
        "tool",
        "use super::answer::Country; use super::policy::Toolbox;",
    );
    assert_eq!(
        circle(&tools_graph(&planted)),
        Some(vec!["policy".into(), "tool".into(), "policy".into()])
    );
    // A comment naming a module is not an import.
    let mut commented = clean;
    commented[2] = file("tool", "// see super::policy::Toolbox");
    assert_eq!(circle(&tools_graph(&commented)), None);
}
