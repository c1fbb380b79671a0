//! `schemas/` is committed for registries and reviewers; it must say what the code says.

#[test]
fn committed_schemas_match_the_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut drift = Vec::new();
    let files = ibanforge_mcp::cli::schema_files();
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
    // What tools/list sends is schemas/tools.json minified at build time: byte for byte
    // what serde_json writes for the definitions the code generates.
    let generated = serde_json::to_string(ibanforge_mcp::server::tool_definitions()).unwrap();
    assert!(
        ibanforge_mcp::server::tools_list::TOOLS_JSON == generated,
        "the prebuilt tools/list bytes differ from the code's tool definitions"
    );
    assert!(
        drift.is_empty(),
        "schemas/ drifted from the code: {drift:?}\nregenerate with: cargo run -- schemas --out schemas"
    );
}
