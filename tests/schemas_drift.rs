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
