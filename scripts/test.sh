#!/usr/bin/env bash
# The whole test suite, from a fresh clone: Rust unit/integration tests, lint gates, the
# embedded data checked against its pinned sources, and the real-client test with the
# official TypeScript MCP SDK (installed from tests/ts-client/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --locked --all-targets -- -D warnings

step "cargo test"
cargo build --locked --bins --examples
cargo test --locked --all-targets

step "data/ matches its pinned packages (tools/generate-data.py --check)"
python3 tools/generate-data.py --check

step "real MCP client: @modelcontextprotocol/sdk 1.x (npm ci from the lockfile)"
npm ci --prefix tests/ts-client --no-audit --no-fund
IBANFORGE_MCP_BINARY="$PWD/target/debug/ibanforge-mcp" STAND_IN_BINARY="$PWD/target/debug/examples/stand-in-api" \
  npm test --prefix tests/ts-client
