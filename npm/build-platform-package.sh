#!/usr/bin/env bash
# Build the release binary for this machine and put it into its npm platform package
# (npm/platforms/<name>/bin/). On Linux it links against glibc 2.17 with cargo-zigbuild
# (zig from the PyPI `ziglang` package, installed into a venv here), so the binary runs on
# every distribution of the last decade; set IBANFORGE_NATIVE_GLIBC=1 to skip that and link
# against this machine's glibc instead.
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) name=linux-x64-gnu; target=x86_64-unknown-linux-gnu ;;
  Linux-aarch64) name=linux-arm64-gnu; target=aarch64-unknown-linux-gnu ;;
  Darwin-x86_64) name=darwin-x64; target=x86_64-apple-darwin ;;
  Darwin-arm64) name=darwin-arm64; target=aarch64-apple-darwin ;;
  MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) name=win32-x64; target=x86_64-pc-windows-msvc ;;
  *) echo "build-platform-package: no npm platform package for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

exe=ibanforge-mcp
[ "$name" = win32-x64 ] && exe=ibanforge-mcp.exe

if [ "$(uname -s)" = Linux ] && [ "${IBANFORGE_NATIVE_GLIBC:-0}" != 1 ]; then
  venv=target/zig-venv
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check ziglang==0.17.1
  command -v cargo-zigbuild >/dev/null || cargo install --locked cargo-zigbuild --version 0.24.1
  # cargo-zigbuild runs `python -m ziglang` when no zig is on PATH.
  PATH="$PWD/$venv/bin:$PATH" cargo zigbuild --release --locked --target "$target.2.17"
else
  cargo build --release --locked --target "$target"
fi

bin="target/$target/release/$exe"
mkdir -p "npm/platforms/$name/bin"
cp "$bin" "npm/platforms/$name/bin/$exe"
echo "npm/platforms/$name/bin/$exe ($(wc -c < "$bin") bytes)" >&2
if command -v objdump >/dev/null && [ "$(uname -s)" = Linux ]; then
  echo "highest glibc symbol version required: $(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)" >&2
fi
