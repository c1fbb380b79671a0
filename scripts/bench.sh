#!/usr/bin/env bash
# The performance table of the README, reproduced: builds the release binary and the stand-in
# API, installs the Node peer from its lockfile, and runs bench/run.py (Python 3, stdlib only).
#   bash scripts/bench.sh            # BENCH_RUNS=60 cold starts, BENCH_CALLS=20000 pipelined calls
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin ibanforge-mcp --example stand-in-api
npm ci --prefix bench/node-peer --no-audit --no-fund
python3 bench/run.py
