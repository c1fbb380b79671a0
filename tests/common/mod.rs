//! Shared test helpers: an in-process MCP session over a duplex pipe, and schema checks.
#![allow(dead_code)]

use std::sync::Arc;

use ibanforge_mcp::config::Settings;
use ibanforge_mcp::server::{IbanforgeServer, tool_definitions};
use ibanforge_mcp::tools::{CallContext, Outcome, Toolbox};
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::{RoleClient, RunningService};
use serde_json::{Map, Value};

pub type Client = RunningService<RoleClient, ()>;

/// Start the server on one end of a duplex pipe and an rmcp client on the other.
pub async fn session(settings: Settings) -> Client {
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    let server = IbanforgeServer::new(Toolbox::new(Arc::new(settings)));
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    ().serve(client_io).await.expect("client initialises")
}

pub async fn call(client: &Client, tool: &str, args: Value) -> CallToolResult {
    let mut params = CallToolRequestParams::new(tool.to_string());
    if let Value::Object(map) = args {
        params = params.with_arguments(map);
    }
    client.call_tool(params).await.expect("tools/call answers")
}

/// The single text block of a result.
pub fn text(result: &CallToolResult) -> String {
    assert_eq!(result.content.len(), 1, "exactly one content block");
    result.content[0]
        .as_text()
        .expect("a text block")
        .text
        .clone()
}

/// Assert `structured` conforms to the tool's advertised `outputSchema`.
pub fn assert_conforms(tool: &str, structured: &Value) {
    let def = tool_definitions()
        .iter()
        .find(|t| t.name == tool)
        .expect("tool exists");
    assert_conforms_to(def, structured);
}

/// Assert `structured` conforms to the `outputSchema` of definition `def`.
pub fn assert_conforms_to(def: &rmcp::model::Tool, structured: &Value) {
    let tool = &def.name;
    let schema = Value::Object(Map::clone(
        def.output_schema.as_ref().expect("outputSchema"),
    ));
    let validator = jsonschema::validator_for(&schema).expect("outputSchema compiles");
    let errors: Vec<String> = validator
        .iter_errors(structured)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{tool}: structuredContent does not match outputSchema: {errors:#?}"
    );
}

/// A successful answer: checks the contract's invariants and returns (label, structured).
pub fn answer(tool: &str, result: &CallToolResult) -> (String, Value) {
    assert_eq!(
        result.is_error,
        Some(false),
        "{tool}: an answer is not an error: {:?}",
        result.content
    );
    let structured = result
        .structured_content
        .clone()
        .expect("structuredContent");
    assert_conforms(tool, &structured);
    let text = text(result);
    let label = text.lines().next().expect("a label line");
    assert!(
        !text.contains("\"provenance\""),
        "{tool}: the text block is a lean rendering, not the JSON: {text}"
    );
    let p = &structured["provenance"];
    let mode = p["mode"].as_str().expect("provenance.mode");
    match mode {
        "full" => {
            assert!(p["reason"].is_null() && p["missing"].as_array().unwrap().is_empty());
        }
        _ => {
            assert!(p["reason"].is_string(), "non-full answers carry a reason");
            assert!(p["detail"].is_string(), "non-full answers carry a detail");
            assert!(
                !p["missing"].as_array().unwrap().is_empty(),
                "non-full answers list what is missing"
            );
            let prefix = match mode {
                "degraded" => "DEGRADED RESULT — ",
                "anonymous" => "ANONYMOUS MODE — ",
                "offline" => "OFFLINE RESULT — ",
                other => panic!("unknown mode {other}"),
            };
            assert!(
                label.starts_with(prefix),
                "{tool}: label {label:?} should start with {prefix:?}"
            );
        }
    }
    if p["source"] == "local" {
        assert!(p["data_as_of"].is_string(), "local answers are dated");
    }
    (label.to_string(), structured)
}

/// An input error: `isError`, no structured content, a message. Returns the message.
pub fn input_error(result: &CallToolResult) -> String {
    assert_eq!(
        result.is_error,
        Some(true),
        "expected an input error: {:?}",
        result.content
    );
    assert!(
        result.structured_content.is_none(),
        "input errors carry no structuredContent"
    );
    text(result)
}

/// Settings with nothing from the environment or disk.
pub fn offline_settings() -> Settings {
    Settings {
        offline: true,
        ..Settings::default()
    }
}

/// A loopback base URL where nothing listens: "no network", deterministically.
pub fn closed_port_base() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}

/// A tool called through the `Toolbox` (no MCP session): its (label, structuredContent, text
/// block), the structuredContent checked against the tool's outputSchema. Panics on an
/// input error.
pub async fn toolbox_answer(
    toolbox: &Toolbox,
    tool: &str,
    args: Value,
    context: &CallContext,
) -> (String, Value, String) {
    let outcome = toolbox.call(tool, args.as_object(), context).await.unwrap();
    let text = outcome.text().to_string();
    let Outcome::Answer {
        structured, label, ..
    } = outcome
    else {
        panic!("{tool}: {outcome:?}")
    };
    assert_conforms(tool, &structured);
    (label, structured.into_value(), text)
}
