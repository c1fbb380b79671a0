#!/usr/bin/env bash
# Pack the Claude Desktop extension (MCPB bundle) for one platform:
#   bash mcpb/build.sh <path-to-ibanforge-mcp-binary> <output.mcpb>
# Validates the manifest and packs with the @anthropic-ai/mcpb CLI (installed from the
# lockfile in tests/clients). A bundle carries one binary, so the release workflow packs one
# bundle per platform.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:?usage: mcpb/build.sh <binary> <output.mcpb>}
out=${2:?usage: mcpb/build.sh <binary> <output.mcpb>}
mcpb="tests/clients/node_modules/.bin/mcpb"
[ -x "$mcpb" ] || npm ci --prefix tests/clients --no-audit --no-fund
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/server"
cp mcpb/manifest.json README.md LICENSE LICENSE-MIT LICENSE-APACHE "$stage/"
exe=ibanforge-mcp
case "$binary" in *.exe) exe=ibanforge-mcp.exe ;; esac
cp "$binary" "$stage/server/$exe"
chmod +x "$stage/server/$exe"
"$mcpb" validate "$stage/manifest.json"
"$mcpb" pack "$stage" "$out"
