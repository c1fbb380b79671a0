#!/usr/bin/env bash
# The performance table of the README, reproduced: builds the release binary and the stand-in
# API, installs the Node peer from its lockfile, and runs bench/run.py (Python 3, stdlib only).
#   bash scripts/bench.sh            # BENCH_RUNS=60 cold starts, BENCH_CALLS=20000 pipelined calls
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary on its own, as the release builds it: built together with the stand-in example,
# its dependencies' features would be unified with the stand-in's (a larger binary).
cargo build --release --locked -p ibanforge-mcp --bin ibanforge-mcp
cargo build --release --locked --example stand-in-api
npm ci --prefix bench/node-peer --no-audit --no-fund
# Token counts of the text blocks: the tokenizer file PyPI `anthropic` 0.34.2 ships, read with
# `tokenizers` (installed without anthropic's own dependencies: only the file is used).
venv=bench/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check tokenizers==0.23.3
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps anthropic==0.34.2
"$venv/bin/python" bench/run.py
