#!/usr/bin/env bash
# Run every fuzz target for a bounded time (default 60 s each):
#   bash scripts/fuzz.sh [seconds-per-target]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz needs nightly features; on a stable
# toolchain RUSTC_BOOTSTRAP=1 enables them. Crashes land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
for target in $(cargo fuzz list); do
  echo "==> fuzz $target for ${seconds}s" >&2
  cargo fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048
done
