//! `ibanforge-mcp call TOOL ARGS`: one tool call, printed as an MCP client would get it
//! (the text block: label line first). The answer is decided by the same `Toolbox::call`
//! the server uses.

use std::process::ExitCode;
use std::sync::Arc;

use crate::config::Settings;
use crate::tools::{CallContext, Outcome, Toolbox};

/// Exit 0 on an answer (a negative answer such as an invalid IBAN is still an answer),
/// 2 when the arguments are refused or the tool does not exist.
/// With `json`, the label line and then `structuredContent` (one line) for scripts.
pub async fn run(settings: Settings, tool: &str, arguments: &str, json: bool) -> ExitCode {
    let args: serde_json::Value = match serde_json::from_str(arguments) {
        Ok(v) => v,
        Err(e) => {
            print_stderr!(
                "error: the arguments are not JSON ({e}); pass an object such as '{{\"iban\": \"CH93 0076 2011 6238 5295 7\"}}'"
            );
            return ExitCode::from(2);
        }
    };
    let Some(map) = args.as_object() else {
        print_stderr!(
            "error: the arguments must be a JSON object, e.g. '{{\"iban\": \"CH93 0076 2011 6238 5295 7\"}}'"
        );
        return ExitCode::from(2);
    };
    let toolbox = Toolbox::new(Arc::new(settings));
    let context = CallContext {
        client: Some(format!("cli/{}", env!("CARGO_PKG_VERSION"))),
    };
    match toolbox.call(tool, Some(map), &context).await {
        Ok(Outcome::Answer {
            structured, label, ..
        }) if json => {
            super::print_stdout(&format!("{label}\n{structured}"));
            ExitCode::SUCCESS
        }
        Ok(outcome @ Outcome::Answer { .. }) => {
            super::print_stdout(outcome.text());
            ExitCode::SUCCESS
        }
        Ok(Outcome::InputError(e)) => {
            print_stderr!("error: {e}");
            ExitCode::from(2)
        }
        Err(unknown) => {
            print_stderr!("error: {unknown}");
            ExitCode::from(2)
        }
    }
}
