//! `ibanforge-mcp schemas --out DIR`: every tool's input and output JSON Schema, and the
//! whole `tools/list` answer, as the committed `schemas/` folder holds them.

use anyhow::Context;

use crate::server::tool_definitions;
use crate::tools::ToolName;

/// `schemas/` layout: `<tool>.input.json`, `<tool>.output.json`, and `tools.json` (the
/// whole `tools/list` answer, which registries and the drift test read).
pub fn schema_files() -> Vec<(String, String)> {
    let pretty =
        |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("schemas serialise") + "\n";
    let mut files = Vec::new();
    for tool in ToolName::ALL {
        files.push((
            format!("{}.input.json", tool.name()),
            pretty(&serde_json::Value::Object((*tool.input_schema()).clone())),
        ));
        files.push((
            format!("{}.output.json", tool.name()),
            pretty(&serde_json::Value::Object((*tool.output_schema()).clone())),
        ));
    }
    let tools = serde_json::to_value(tool_definitions()).expect("tool definitions serialise");
    files.push((
        "tools.json".into(),
        pretty(&serde_json::json!({ "tools": tools })),
    ));
    files
}

pub fn write(out: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, text) in schema_files() {
        let path = out.join(&name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        print_stderr!("wrote {}", path.display());
    }
    Ok(())
}
