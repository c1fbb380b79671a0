#!/usr/bin/env bash
# Release rehearsal for linux-x64: everything the release workflow does for that platform short
# of publishing, so a release that would ship broken packages fails here first.
#   bash scripts/release-rehearsal.sh [release|debug] [--out DIR] [--other-platforms]
# release (default) builds what the workflow ships (glibc 2.17 via cargo-zigbuild); the test
# command passes debug (the same packages around the debug binary). --out keeps the tarballs
# and the MCPB bundle in DIR (the workflow publishes those); otherwise they go with the temp dir.
#
# 1. every version place agrees (scripts/set-version.sh --check);
# 2. builds the linux-x64-gnu platform package (npm/build-platform-package.sh <profile>);
# 3. `npm pack`s it and the launcher package, and checks each tarball holds exactly
#    package.json, README.md, LICENSE, LICENSE-MIT, LICENSE-APACHE and its one executable
#    (the binary or the launcher script) with its run bit — nothing else;
# 4. installs both tarballs with `npm --offline` and an empty cache into an empty prefix: only
#    the linux-x64 platform package may land;
# 5. starts the server through the installed `ibanforge-mcp` bin with an empty environment and
#    does an MCP initialize + tools/list round trip under a deadline;
# 6. packs the MCPB bundle and checks its manifest version and that its binary is the one built;
# 7. with --other-platforms (the test command): builds the other platform packages this machine
#    can (linux-arm64-gnu, linux-x64-musl, linux-arm64-musl with cargo-zigbuild; win32-x64 as
#    the MinGW build standing in for the msvc one), packs and checks each tarball, and runs the
#    initialize + tools/list round trip through each Linux binary (arm64 under qemu). The
#    Windows binary's sessions run under Wine in scripts/platforms.sh.
# The checks themselves are in scripts/release_checks.py (tested against bad packages too).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/release-rehearsal.sh [release|debug] [--out DIR] [--other-platforms]" >&2; exit 2; }
profile=release
out=
others=0
while [ $# -gt 0 ]; do
  case "$1" in
    release | debug) profile=$1; shift ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    --other-platforms) others=1; shift ;;
    *) usage ;;
  esac
done
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "release-rehearsal: rehearses the linux-x64 packages, so it runs on Linux x86_64 only" >&2
  exit 2
fi
platform=linux-x64-gnu
step() { printf 'release-rehearsal: %s\n' "$*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ibanforge-rehearsal.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -z "$out" ]; then out="$work/dist"; fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

step "1/6 every version place agrees"
bash scripts/set-version.sh --check
version=$(node -p 'require("./npm/ibanforge-mcp/package.json").version')

step "2/6 build the $platform platform package ($profile)"
bash npm/build-platform-package.sh "$profile" "$platform"

step "3/6 npm pack the platform and launcher packages, check what they hold"
# A private cache: the install below must find nothing it did not get from these tarballs.
export npm_config_cache="$work/npm-cache" npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
platform_tgz="$out/$(cd "npm/platforms/$platform" && npm pack --silent --pack-destination "$out" | tail -n 1)"
launcher_tgz="$out/$(cd npm/ibanforge-mcp && npm pack --silent --pack-destination "$out" | tail -n 1)"
python3 scripts/release_checks.py tarball "$platform_tgz" package/bin/ibanforge-mcp "npm/platforms/$platform/bin/ibanforge-mcp"
python3 scripts/release_checks.py tarball "$launcher_tgz" package/bin/ibanforge-mcp.js

step "4/6 npm install --offline both tarballs into an empty prefix"
prefix="$work/prefix"
mkdir -p "$prefix"
echo '{"name": "rehearsal", "private": true}' > "$prefix/package.json"
(cd "$prefix" && npm install --offline --no-package-lock --silent "$platform_tgz" "$launcher_tgz")
installed=$(ls "$prefix/node_modules/@ibanforge")
if [ "$installed" != "mcp-$platform" ]; then
  echo "release-rehearsal: expected only @ibanforge/mcp-$platform installed, found: $installed" >&2
  exit 1
fi

step "5/6 start the server through the installed bin: initialize + tools/list"
# An empty environment but PATH (the launcher needs node), offline mode, and a 30 s deadline
# for start, both answers and exit: generous on a busy machine, where it takes well under one.
python3 scripts/release_checks.py round-trip "$prefix/node_modules/.bin/ibanforge-mcp" "$version"

step "6/6 pack the MCPB bundle, check its manifest version and binary"
mcpb="$out/ibanforge-mcp-$platform.mcpb"
bash mcpb/build.sh "npm/platforms/$platform/bin/ibanforge-mcp" "$mcpb" >&2
python3 scripts/release_checks.py mcpb "$mcpb" "$version" "npm/platforms/$platform/bin/ibanforge-mcp"
if [ "$others" = 1 ]; then
  step "7 (--other-platforms) the other platform packages this machine can build ($profile), packed, checked, run where an emulator is at hand"
  rustup target add aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-pc-windows-gnu >/dev/null
  # The Windows linker and the arm64 emulator come from apt; scripts/platforms.sh installs them.
  for tool in x86_64-w64-mingw32-gcc qemu-aarch64-static; do
    command -v "$tool" >/dev/null || { echo "release-rehearsal: --other-platforms needs $tool: run scripts/platforms.sh first (it installs it)" >&2; exit 2; }
  done
  for name in linux-arm64-gnu linux-x64-musl linux-arm64-musl win32-x64; do
    exe=ibanforge-mcp
    [ "$name" = win32-x64 ] && exe=ibanforge-mcp.exe
    bash npm/build-platform-package.sh "$profile" "$name"
    binary="$PWD/npm/platforms/$name/bin/$exe"
    tgz="$out/$(cd "npm/platforms/$name" && npm pack --silent --pack-destination "$out" | tail -n 1)"
    python3 scripts/release_checks.py tarball "$tgz" "package/bin/$exe" "$binary"
    case "$name" in
      linux-x64-musl) python3 scripts/release_checks.py round-trip "$binary" "$version" ;;
      linux-arm64-*)
        # round-trip starts one command with an empty environment: the emulator goes in a script.
        printf '#!/bin/sh\nQEMU_LD_PREFIX=/usr/aarch64-linux-gnu exec qemu-aarch64-static %s "$@"\n' "$binary" > "$work/$name"
        chmod 755 "$work/$name"
        python3 scripts/release_checks.py round-trip "$work/$name" "$version" ;;
    esac
  done
fi
step "passed ($profile): $(cd "$out" && ls | tr '\n' ' ')"
