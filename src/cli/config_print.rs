//! `ibanforge-mcp config print CLIENT`: the configuration snippet for an MCP client, for
//! this installation. The snippet goes to stdout; where to put it goes to stderr.

/// MCP clients `config print` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum McpClient {
    ClaudeDesktop,
    Cursor,
    Vscode,
    ClaudeCode,
    Windsurf,
}

/// Print the snippet and the note.
pub fn run(client: McpClient) {
    let exe = std::env::current_exe().ok();
    let (snippet, note) = client_config(client, exe.as_deref(), cfg!(windows));
    super::print_stdout(&snippet);
    print_stderr!("{note}");
}

/// The snippet for one MCP client, and a note on where it goes. An installation made by npm
/// (the binary lives under `node_modules`, a path that changes with every update) is
/// configured through `npx`; any other installation by its absolute path. Windows cannot start
/// `npx` (a batch file) directly, so there it goes through `cmd /c`.
pub fn client_config(
    client: McpClient,
    exe: Option<&std::path::Path>,
    windows: bool,
) -> (String, String) {
    let via_npm = exe.is_none_or(|p| p.components().any(|c| c.as_os_str() == "node_modules"));
    let (command, args): (String, Vec<String>) = match (via_npm, exe) {
        (false, Some(path)) => (path.display().to_string(), Vec::new()),
        _ if windows => (
            "cmd".into(),
            ["/c", "npx", "-y", "ibanforge-mcp"]
                .map(String::from)
                .to_vec(),
        ),
        _ => (
            "npx".into(),
            ["-y", "ibanforge-mcp"].map(String::from).to_vec(),
        ),
    };
    let key = "ifk_your_key_here";
    let server = serde_json::json!({ "command": command, "args": args, "env": { "IBANFORGE_API_KEY": key } });
    let pretty =
        |v: serde_json::Value| serde_json::to_string_pretty(&v).expect("JSON values serialise");
    let windows_note = "On Windows, npx must be started as `cmd /c npx -y ibanforge-mcp`.";
    match client {
        McpClient::ClaudeDesktop => (
            pretty(serde_json::json!({ "mcpServers": { "ibanforge": server } })),
            format!(
                "Merge into claude_desktop_config.json (Claude Desktop → Settings → Developer → Edit Config), replace the key, restart Claude Desktop. {windows_note}"
            ),
        ),
        McpClient::Cursor => (
            pretty(serde_json::json!({ "mcpServers": { "ibanforge": server } })),
            format!(
                "Merge into .cursor/mcp.json in your project, or ~/.cursor/mcp.json for all projects; replace the key. {windows_note}"
            ),
        ),
        McpClient::Windsurf => (
            pretty(serde_json::json!({ "mcpServers": { "ibanforge": server } })),
            format!(
                "Merge into ~/.codeium/windsurf/mcp_config.json; replace the key. {windows_note}"
            ),
        ),
        McpClient::Vscode => (
            pretty(serde_json::json!({
                "inputs": [{ "type": "promptString", "id": "ibanforge-api-key",
                             "description": "IBANforge API key (ifk_…); leave empty for local answers", "password": true }],
                "servers": { "ibanforge": { "type": "stdio", "command": command, "args": args,
                                            "env": { "IBANFORGE_API_KEY": "${input:ibanforge-api-key}" } } }
            })),
            format!(
                "Merge into .vscode/mcp.json; VS Code asks for the key once and stores it as a secret. {windows_note}"
            ),
        ),
        McpClient::ClaudeCode => {
            let quoted: Vec<String> = std::iter::once(&command)
                .chain(&args)
                .map(|a| shell_quote(a))
                .collect();
            (
                format!(
                    "claude mcp add --scope user ibanforge -e IBANFORGE_API_KEY={key} -- {}",
                    quoted.join(" ")
                ),
                "Run this once (replace the key); `claude mcp list` shows the server.".to_string(),
            )
        }
    }
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn config_print_uses_the_absolute_path_or_npx() {
        let (s, _) = client_config(
            McpClient::Cursor,
            Some(Path::new("/opt/bin/ibanforge-mcp")),
            false,
        );
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(
            v["mcpServers"]["ibanforge"]["command"],
            "/opt/bin/ibanforge-mcp"
        );
        assert_eq!(
            v["mcpServers"]["ibanforge"]["env"]["IBANFORGE_API_KEY"],
            "ifk_your_key_here"
        );

        let npm = Path::new(
            "/home/u/.npm/_npx/1/node_modules/@ibanforge/mcp-linux-x64-gnu/bin/ibanforge-mcp",
        );
        let (s, note) = client_config(McpClient::ClaudeDesktop, Some(npm), false);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["mcpServers"]["ibanforge"]["command"], "npx");
        assert_eq!(
            v["mcpServers"]["ibanforge"]["args"],
            serde_json::json!(["-y", "ibanforge-mcp"])
        );
        assert!(note.contains("cmd /c"));

        let (s, _) = client_config(McpClient::Vscode, Some(npm), true);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["servers"]["ibanforge"]["command"], "cmd");
        assert_eq!(
            v["servers"]["ibanforge"]["args"],
            serde_json::json!(["/c", "npx", "-y", "ibanforge-mcp"])
        );
        assert_eq!(v["inputs"][0]["password"], true);

        let (s, _) = client_config(
            McpClient::ClaudeCode,
            Some(Path::new("/opt/my bin/ibanforge-mcp")),
            false,
        );
        assert!(s.ends_with("-- '/opt/my bin/ibanforge-mcp'"), "{s}");
    }
}
