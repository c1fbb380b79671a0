//! Tool schemas that every client can read.
//!
//! Input and output schemas are generated from the tools' own Rust types (schemars), so
//! parsing and advertising cannot drift apart; this module only rewrites what some clients
//! cannot digest.

use std::sync::Arc;

use rmcp::handler::server::common::{schema_for_input, schema_for_output};
use rmcp::model::JsonObject;
use schemars::JsonSchema;
use serde_json::Value;

/// The input schema of an argument type, made portable.
pub fn input<T: JsonSchema + 'static>() -> Arc<JsonObject> {
    let schema = schema_for_input::<T>().expect("tool input schemas have an object root");
    portable(&schema)
}

/// The output schema of an answer type, made portable.
pub fn output<T: JsonSchema + 'static>() -> Arc<JsonObject> {
    let schema = schema_for_output::<T>();
    portable(&schema)
}

fn portable(schema: &JsonObject) -> Arc<JsonObject> {
    let mut schema = Value::Object(schema.clone());
    make_portable(&mut schema);
    match schema {
        Value::Object(map) => Arc::new(map),
        _ => unreachable!("a schema object stays an object"),
    }
}

/// Make a schemars schema portable to every client that reads tool schemas.
///
/// - schemars marks integer and float widths with `format` values (`uint16`, `double`) no
///   JSON Schema validator knows; Ajv (inside the official TypeScript SDK) warns on each.
/// - A nullable field comes out as `"type": ["string", "null"]`: legal, but clients that map
///   schemas onto a single-`type` dialect (the Inspector's `--strict` check flags it) reject
///   it. It is rewritten as `anyOf: [{"type": "string", …}, {"type": "null"}]`, the
///   annotations (`description`, `default`) staying outside.
pub fn make_portable(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            map.values_mut().for_each(make_portable);
            let numeric = match map.get("type") {
                Some(Value::String(t)) => t == "integer" || t == "number",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer" || t == "number"),
                _ => false,
            };
            if numeric {
                map.remove("format");
            }
            split_nullable_type(map);
        }
        Value::Array(items) => items.iter_mut().for_each(make_portable),
        _ => {}
    }
}

fn split_nullable_type(map: &mut serde_json::Map<String, Value>) {
    let Some(Value::Array(types)) = map.get("type") else {
        return;
    };
    if types.len() != 2 || !types.contains(&Value::from("null")) {
        return;
    }
    let Some(other) = types.iter().find(|t| *t != "null").cloned() else {
        return;
    };
    const ANNOTATIONS: [&str; 5] = ["description", "title", "default", "examples", "$schema"];
    let mut branch = serde_json::Map::new();
    branch.insert("type".into(), other);
    let keys: Vec<String> = map
        .keys()
        .filter(|k| *k != "type" && !ANNOTATIONS.contains(&k.as_str()))
        .cloned()
        .collect();
    for k in keys {
        if let Some(v) = map.remove(&k) {
            branch.insert(k, v);
        }
    }
    map.remove("type");
    map.insert(
        "anyOf".into(),
        Value::Array(vec![
            Value::Object(branch),
            serde_json::json!({"type": "null"}),
        ]),
    );
}
