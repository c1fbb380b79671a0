//! Adding a tool is its type and one registry entry: a throwaway tool, written here against
//! the crate's public traits only, is listed (with schemas generated from its types) and
//! answered through a real MCP session, beside a built-in tool — no `match` anywhere had to
//! learn its name. It is what `src/tools/registry.rs` promises, checked from outside.

mod common;

use std::sync::Arc;

use ibanforge_mcp::config::Settings;
use ibanforge_mcp::server::IbanforgeServer;
use ibanforge_mcp::tools::args::{Arguments, InputError, bounded_string, field};
use ibanforge_mcp::tools::policy::Labelled;
use ibanforge_mcp::tools::text::Text;
use ibanforge_mcp::tools::tool::Annotations;
use ibanforge_mcp::tools::{CallContext, Chain, Entry, Registry, Tool, Toolbox, registry};
use rmcp::ServiceExt;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Counts the letters of a word: a tool whose full answer is local.
struct CountLetters;

#[derive(JsonSchema)]
#[allow(dead_code)] // read by schemars only
struct CountArgs {
    /// The word.
    word: String,
}

#[derive(Serialize, Deserialize, JsonSchema)]
struct Counted {
    word: String,
    letters: usize,
}

impl Tool for CountLetters {
    const NAME: &'static str = "count_letters";
    const TITLE: &'static str = "Count letters";
    const DESCRIPTION: &'static str = "Count the letters of a word.";
    const ANNOTATIONS: Annotations = Annotations {
        open_world: false,
        ..Annotations::READ_ONLY
    };
    type Args = CountArgs;
    type Input = String;
    type Body = Counted;

    fn parse(arguments: Option<&Arguments>) -> Result<String, InputError> {
        let word = field(arguments, "word", "\"ledger\"")?;
        Ok(bounded_string(word, "word", "a word")?.to_owned())
    }
    fn log_input(input: &String) -> String {
        input.clone()
    }
    fn summary(body: &Counted) -> String {
        format!("{} has {} letters", body.word, body.letters)
    }
    fn render(body: &Counted, text: &mut Text) {
        text.field("letters", Some(body.letters.to_string()));
    }
}

impl Chain for CountLetters {
    async fn answer(
        _toolbox: &Toolbox,
        input: &String,
        _deadline: tokio::time::Instant,
        _context: &CallContext,
    ) -> Labelled<Counted> {
        let body = Counted {
            word: input.clone(),
            letters: input.chars().filter(|c| c.is_alphabetic()).count(),
        };
        let summary = Self::summary(&body);
        Labelled::engine_full(body, summary, None)
    }
}

#[tokio::test]
async fn a_tool_added_by_one_entry_is_listed_and_answered() {
    let mut entries: Vec<Entry> = registry::TOOLS.to_vec();
    let entry = Entry::described::<CountLetters>();
    // Its input checks are reachable through the entry (the fuzz target runs every tool's).
    let args = json!({"word": "ledger"});
    assert!(entry.check_arguments(args.as_object()).is_ok());
    assert!(entry.check_arguments(None).is_err());
    entries.push(entry);
    let settings = Arc::new(Settings {
        offline: true,
        ..Settings::default()
    });
    let toolbox = Toolbox::with_registry(settings, Registry::new(entries));
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        if let Ok(running) = IbanforgeServer::new(toolbox).serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let client = ().serve(client_io).await.expect("client initialises");

    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names.len(), registry::TOOLS.len() + 1, "{names:?}");
    assert_eq!(names.last(), Some(&"count_letters"));
    let new = tools.last().unwrap();
    assert_eq!(new.title.as_deref(), Some("Count letters"));
    assert_eq!(new.input_schema["properties"]["word"]["type"], "string");
    let out = new
        .output_schema
        .as_ref()
        .expect("outputSchema from the body type");
    assert_eq!(out["properties"]["letters"]["type"], "integer");
    assert!(out["properties"]["provenance"].is_object());
    assert_eq!(
        new.annotations.as_ref().unwrap().open_world_hint,
        Some(false)
    );

    let result = common::call(&client, "count_letters", json!({"word": "ledger"})).await;
    assert_eq!(result.is_error, Some(false));
    let structured = result
        .structured_content
        .clone()
        .expect("structuredContent");
    assert_eq!(structured["letters"], 6);
    assert_eq!(structured["provenance"]["mode"], "full");
    assert_eq!(structured["provenance"]["source"], "local");
    assert!(common::text(&result).starts_with("ledger has 6 letters"));
    common::assert_conforms_to(new, &structured);

    // Its input errors are the shared ones; the built-in tools still answer beside it.
    let refused = common::call(&client, "count_letters", json!({})).await;
    assert_eq!(refused.is_error, Some(true));
    assert!(common::text(&refused).contains("missing required argument `word`"));
    let built_in = common::call(&client, "lookup_bic", json!({"bic": "UBSWCHZH80A"})).await;
    assert_eq!(
        common::answer("lookup_bic", &built_in).1["bic11"],
        "UBSWCHZH80A"
    );
}

/// The `tools` setting narrows the registry: only those tools are listed and answered, in
/// the registry's order; the others are unknown names, as in any server without them.
#[tokio::test]
async fn the_tools_setting_lists_and_answers_only_the_named_tools() {
    let client = common::session(Settings {
        tools: Some(vec!["check_compliance".into(), "lookup_bic".into()]),
        ..common::offline_settings()
    })
    .await;
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, ["lookup_bic", "check_compliance"]);
    let refused = client
        .call_tool(
            rmcp::model::CallToolRequestParams::new("validate_iban").with_arguments(
                json!({"iban": "DE89370400440532013000"})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        )
        .await;
    assert!(refused.is_err(), "an unlisted tool is not answered");
}

/// A name no tool has is a typo: the server does not start, and says which names exist.
#[test]
fn a_tools_setting_naming_no_tool_stops_the_server_with_the_names_there_are() {
    for command in [
        vec![],
        vec!["call", "lookup_bic", r#"{"bic":"UBSWCHZH80A"}"#],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ibanforge-mcp"))
            .args(&command)
            .env("IBANFORGE_TOOLS", "lookup_bic, validate_ibna")
            .env("IBANFORGE_CONFIG", "/nonexistent/config.json")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{command:?}");
        assert!(out.stdout.is_empty(), "nothing on stdout: {command:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("unknown tool name in the tools setting")
                && err.contains("validate_ibna")
                && err.contains("validate_iban, batch_validate_iban"),
            "{err}"
        );
    }
    // A correct selection serves.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ibanforge-mcp"))
        .args(["call", "lookup_bic", r#"{"bic":"UBSWCHZH80A"}"#])
        .env("IBANFORGE_TOOLS", "lookup_bic")
        .env("IBANFORGE_OFFLINE", "1")
        .env("IBANFORGE_CONFIG", "/nonexistent/config.json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
