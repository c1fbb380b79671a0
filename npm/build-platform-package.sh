#!/usr/bin/env bash
# Build ibanforge-mcp and stage it into its npm platform package, ready for `npm pack`:
#   bash npm/build-platform-package.sh [release|debug] [<platform>]
# <platform> is a directory under npm/platforms/ (default: this machine's). The package then
# holds exactly what it ships: bin/<exe> (run bit set), README.md, and the three licence files.
#
# release (the default, what the release workflow runs): on Linux it links against glibc 2.17
# with cargo-zigbuild (zig from the PyPI `ziglang` package, installed into a venv here), so the
# binary runs on every distribution of the last decade, and can cross-build linux-arm64-gnu;
# set IBANFORGE_NATIVE_GLIBC=1 to link against this machine's glibc instead.
# debug: `cargo build --locked --bins` for this machine; from linux-x64 also the other Linux
# packages (cargo-zigbuild) and win32-x64 (the MinGW build standing in for msvc). The test
# command's release rehearsal uses it: same files and layout, minutes less build time.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-release}
case "$profile" in
  release | debug) ;;
  *) echo "build-platform-package: profile must be release or debug, not '$profile'" >&2; exit 2 ;;
esac

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host=linux-x64-gnu ;;
  Linux-aarch64) host=linux-arm64-gnu ;;
  Darwin-x86_64) host=darwin-x64 ;;
  Darwin-arm64) host=darwin-arm64 ;;
  MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) host=win32-x64 ;;
  *) host= ;;
esac
name=${2:-$host}
case "$name" in
  linux-x64-gnu) target=x86_64-unknown-linux-gnu; describe='linux x64 (glibc 2.17+)' ;;
  linux-arm64-gnu) target=aarch64-unknown-linux-gnu; describe='linux arm64 (glibc 2.17+)' ;;
  linux-x64-musl) target=x86_64-unknown-linux-musl; describe='linux x64 with musl (static; Alpine)' ;;
  linux-arm64-musl) target=aarch64-unknown-linux-musl; describe='linux arm64 with musl (static; Alpine)' ;;
  darwin-x64) target=x86_64-apple-darwin; describe='macOS x64' ;;
  darwin-arm64) target=aarch64-apple-darwin; describe='macOS arm64' ;;
  win32-x64) target=x86_64-pc-windows-msvc; describe='Windows x64' ;;
  *) echo "build-platform-package: no npm platform package for '${name:-$(uname -s)-$(uname -m)}' (one of: $(ls npm/platforms | tr '\n' ' '))" >&2; exit 2 ;;
esac
exe=ibanforge-mcp
[ "$name" = win32-x64 ] && exe=ibanforge-mcp.exe

# The zig-built Linux targets: glibc ones get the 2.17 baseline suffix, musl ones are static.
zig_target=
case "$name" in
  linux-*-gnu) [ "${IBANFORGE_NATIVE_GLIBC:-0}" = 1 ] || zig_target="$target.2.17" ;;
  linux-*-musl) zig_target=$target ;;
esac
zigbuild() {
  venv=target/zig-venv
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  # cargo-zigbuild from PyPI (a prebuilt wheel, pinned): no compile, same release as crates.io.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check ziglang==0.17.1 cargo-zigbuild==0.24.1
  # cargo-zigbuild runs `python -m ziglang` when no zig is on PATH.
  PATH="$PWD/$venv/bin:$PATH" cargo zigbuild "$@"
}

if [ "$profile" = debug ] && [ -n "$zig_target" ] && [ "$name" != "$host" ]; then
  # Another Linux platform in the debug profile (the release rehearsal's cross packages).
  zigbuild --locked -p ibanforge-mcp --bin ibanforge-mcp --target "$zig_target"
  bin="target/$target/debug/$exe"
elif [ "$profile" = debug ] && [ "$name" = win32-x64 ] && [ "$host" = linux-x64-gnu ]; then
  # The release rehearsal's stand-in for the Windows package: the MinGW (gnu) build, since
  # the shipped msvc one needs Microsoft's linker and libraries. Same code and file name; it
  # links the MinGW runtime statically instead of the Visual C++ runtime (vcruntime), and
  # unwinds panics with libgcc's unwinder (SEH tables either way).
  cargo build --locked -p ibanforge-mcp --bin ibanforge-mcp --target x86_64-pc-windows-gnu
  bin="target/x86_64-pc-windows-gnu/debug/$exe"
elif [ "$profile" = debug ]; then
  if [ "$name" != "$host" ]; then
    echo "build-platform-package: the debug profile builds for this machine ($host) only, not $name" >&2
    exit 2
  fi
  cargo build --locked --bins
  bin="target/debug/$exe"
elif [ -n "$zig_target" ]; then
  # Only the shipped binary's package: built together with the workspace's stand-in API, its
  # dependencies' features would be unified with the stand-in's (~60 KB more binary).
  zigbuild --release --locked -p ibanforge-mcp --bin ibanforge-mcp --target "$zig_target"
  bin="target/$target/release/$exe"
else
  cargo build --release --locked -p ibanforge-mcp --bin ibanforge-mcp --target "$target"
  bin="target/$target/release/$exe"
fi

pkg="npm/platforms/$name"
rm -rf "$pkg/bin"
mkdir -p "$pkg/bin"
cp "$bin" "$pkg/bin/$exe"
chmod 755 "$pkg/bin/$exe"
cp LICENSE LICENSE-MIT LICENSE-APACHE "$pkg/"
cat > "$pkg/README.md" <<EOF
# @ibanforge/mcp-$name

The [ibanforge-mcp](https://github.com/ibanforge/ibanforge-mcp) binary for $describe.
npm installs it as an optional dependency of the \`ibanforge-mcp\` package on matching machines;
it is not meant to be used directly. Run \`npx -y ibanforge-mcp\` instead.

Licence: MIT OR Apache-2.0 (see LICENSE).
EOF
echo "$pkg/bin/$exe ($(wc -c < "$bin") bytes, $profile)" >&2
if command -v objdump >/dev/null && [ "${name%-gnu}" != "$name" ] && [ "$name" = "$host" ]; then
  echo "highest glibc symbol version required: $(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)" >&2
fi
