//! `schemas/` is committed for registries and reviewers; it must say what the code says.
//! `tools/list` and `ibanforge-mcp schemas` send what `build.rs` prepared from it, so this
//! is also what keeps them equal to the code. Regenerate after changing an answer type:
//! `IBANFORGE_WRITE_SCHEMAS=1 cargo test --test schemas_drift`.

use ibanforge_mcp::cli::schema_files;
use ibanforge_mcp::server::{tool_definitions, tools_list};

#[test]
fn committed_schemas_match_the_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let files = schema_files(tool_definitions());
    if std::env::var_os("IBANFORGE_WRITE_SCHEMAS").is_some() {
        for (name, text) in &files {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut drift = Vec::new();
    for (name, text) in &files {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(committed) if committed == *text => {}
            Ok(_) => drift.push(format!("{name} differs")),
            Err(e) => drift.push(format!("{name}: {e}")),
        }
    }
    let on_disk = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        on_disk,
        files.len(),
        "schemas/ holds exactly the generated files"
    );
    assert!(
        drift.is_empty(),
        "schemas/ drifted from the code: {drift:?}\nregenerate with: IBANFORGE_WRITE_SCHEMAS=1 cargo test --test schemas_drift"
    );
    // What tools/list sends is schemas/tools.json minified at build time: byte for byte
    // what serde_json writes for the definitions the code generates.
    let generated = serde_json::to_string(tool_definitions()).unwrap();
    assert!(
        tools_list::TOOLS_JSON == generated,
        "the prebuilt tools/list bytes differ from the code's tool definitions (rebuild after regenerating schemas/)"
    );
    // And what `ibanforge-mcp schemas` writes, from those bytes, is what the code generates.
    assert!(
        schema_files(&tools_list::TOOLS) == files,
        "`schemas --out` would write other files than the code generates"
    );
}

/// The names in `schemas/tools.json`, in `tools/list` order.
fn registered_names() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tools: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("schemas/tools.json")).unwrap())
            .unwrap();
    tools["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Lists of tools kept outside `src/` cannot read the registry; they are checked against
/// the definitions it generates, so a tool added or renamed fails here, naming the file.
#[test]
fn every_list_kept_outside_src_names_the_registered_tools() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let names = registered_names();
    let from_registry: Vec<&str> = ibanforge_mcp::tools::registry::TOOLS
        .iter()
        .map(|e| e.name())
        .collect();
    assert_eq!(
        names, from_registry,
        "schemas/tools.json follows the registry's order"
    );

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("mcpb/manifest.json")).unwrap())
            .unwrap();
    let listed: Vec<&str> = manifest["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed, names,
        "mcpb/manifest.json `tools` must list every registered tool, in order"
    );

    // The Node peer of the benchmark implements the API's tools for comparison; every tool it
    // registers must be one of ours, under the same name.
    let peer = std::fs::read_to_string(root.join("bench/node-peer/server.mjs")).unwrap();
    let peer_tools: Vec<&str> = peer
        .split("registerTool('")
        .skip(1)
        .map(|rest| rest.split('\'').next().unwrap())
        .collect();
    assert!(
        peer_tools.len() >= 5,
        "the peer registers the API's tools: {peer_tools:?}"
    );
    for t in &peer_tools {
        assert!(
            names.iter().any(|n| n == t),
            "bench/node-peer/server.mjs registers `{t}`, which this server does not have"
        );
    }

    // One example call per tool, for the real-client and platform tests.
    let calls: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/clients/calls.json")).unwrap(),
    )
    .unwrap();
    let mut with_calls: Vec<&str> = calls
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = names.iter().map(String::as_str).collect::<Vec<_>>();
    with_calls.sort_unstable();
    sorted.sort_unstable();
    assert_eq!(
        with_calls, sorted,
        "tests/clients/calls.json must hold one example call per registered tool"
    );

    // The release checks and the client tests read schemas/tools.json: no list of their own.
    let checks = std::fs::read_to_string(root.join("scripts/release_checks.py")).unwrap();
    assert!(
        checks.contains("schemas\" / \"tools.json"),
        "release_checks.py reads the definitions"
    );
    let common = std::fs::read_to_string(root.join("tests/clients/common.mjs")).unwrap();
    assert!(
        common.contains("schemas/tools.json"),
        "common.mjs reads the definitions"
    );
}
