//! `ibanforge-mcp schemas --out DIR`: every tool's input and output JSON Schema, and the
//! whole `tools/list` answer, as the committed `schemas/` folder holds them.
//!
//! Written from the definitions `tools/list` sends (prepared at build time from
//! `schemas/tools.json`), not generated again: the binary carries no schema generator.
//! `tests/schemas_drift.rs` generates them from the code and fails when they differ; it
//! rewrites `schemas/` when run with `IBANFORGE_WRITE_SCHEMAS=1`.

use anyhow::Context;
use rmcp::model::Tool;

use crate::server::tools_list;

/// `schemas/` layout for `tools`: `<tool>.input.json`, `<tool>.output.json`, and
/// `tools.json` (the whole `tools/list` answer, which registries and the drift test read).
pub fn schema_files(tools: &[Tool]) -> Vec<(String, String)> {
    let pretty =
        |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("schemas serialise") + "\n";
    let mut files = Vec::new();
    for tool in tools {
        files.push((
            format!("{}.input.json", tool.name),
            pretty(&serde_json::Value::Object((*tool.input_schema).clone())),
        ));
        let output = tool.output_schema.as_deref().cloned().unwrap_or_default();
        files.push((
            format!("{}.output.json", tool.name),
            pretty(&serde_json::Value::Object(output)),
        ));
    }
    let tools = serde_json::to_value(tools).expect("tool definitions serialise");
    files.push((
        "tools.json".into(),
        pretty(&serde_json::json!({ "tools": tools })),
    ));
    files
}

pub fn write(out: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, text) in schema_files(&tools_list::TOOLS) {
        let path = out.join(&name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        print_stderr!("wrote {}", path.display());
    }
    Ok(())
}
