#!/usr/bin/env bash
# The cross-platform check: the binaries users get on other platforms, built here and run
# under emulation (debug profile, one target dir per target, `nice`). The test command calls
# it; run alone it needs target/debug/examples/stand-in-api (`cargo build --examples`).
# Each session (tests/platforms/session.py) calls every registered tool: the names from
# tools/list, the arguments from tests/clients/calls.json.
#   - Windows x64 (x86_64-pc-windows-gnu, MinGW) under Wine: an offline session with CRLF
#     lines; keyed sessions against the stand-in API over loopback (full; a 402 cause ->
#     degraded with that reason; the key never on the free endpoint); the launcher watch
#     (IBANFORGE_MCP_LAUNCHER_PID of a killed process -> exit within 1 s); `doctor` and
#     `config print` with Windows paths (%APPDATA%).
#   - linux-arm64 on glibc 2.17 (cargo zigbuild) under qemu-aarch64-static: the session, EOF exit.
#   - static musl x86_64, built by the Dockerfile's command from its build context: alone in an
#     empty root (chroot: no /etc, no HOME, no certificates): offline session; keyed sessions
#     to a loopback stand-in; a keyed call to https says why it cannot verify the API; with
#     only what the Dockerfile's image holds (the binary and a CA bundle) that complaint is
#     gone; the npm launcher, on a root whose ldd names musl, starts the linux-x64-musl
#     package's binary.
#   - static musl aarch64 under qemu, alone in an empty root (the binary and the static
#     emulator): offline and keyed sessions.
#   - macOS arm64 and x64: `cargo-zigbuild check` (linking needs Apple's SDK: not here).
# Installs what it needs: apt packages, rustup targets, ziglang + cargo-zigbuild (PyPI,
# pinned) in target/zig-venv. Must run as root (apt, chroot).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n--> platforms: %s\n' "$*" >&2; }
took() { printf -- '--> platforms: %s took %d s\n' "$1" "$(( $(date +%s) - $2 ))" >&2; }
driver="python3 tests/platforms/session.py"
stand_in=target/debug/examples/stand-in-api
[ -x "$stand_in" ] || cargo build --locked --example stand-in-api
demo_iban='{"iban": "DE89 3704 0044 0532 0130 00"}'
work=$(mktemp -d "${TMPDIR:-/tmp}/ibanforge-platforms.XXXXXX")
pids=()
cleanup() {
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  [ -n "${WINEPREFIX:-}" ] && wineserver -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

t=$(date +%s)
step "install: apt (mingw, Wine, qemu, arm64 glibc), rustup targets, ziglang + cargo-zigbuild"
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
[ -d /usr/aarch64-linux-gnu/lib ] || need+=(libc6-arm64-cross)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
rustup target add x86_64-pc-windows-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl \
  aarch64-unknown-linux-musl aarch64-apple-darwin x86_64-apple-darwin >/dev/null
venv=target/zig-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check ziglang==0.17.1 cargo-zigbuild==0.24.1
export PATH="$PWD/$venv/bin:$PATH"
took install "$t"

# The stand-in API on loopback, behind a recording proxy: the log says which routes got the key.
exec 3< <(exec "$stand_in" 0 2>/dev/null)
pids+=($!)
read -r api <&3
requests="$work/requests.log"
exec 4< <(RECORD_SECRET=ifk_demo_exhausted exec $driver record --upstream "$api" --log "$requests")
pids+=($!)
read -r base <&4
check_requests() {
  grep -q '^POST /v1/iban/validate authorization=yes' "$requests" \
    || { echo "platforms: the keyed session sent no keyed request: $(cat "$requests")" >&2; exit 1; }
  if grep '/v1/iban/format' "$requests" | grep -q -e 'authorization=yes' -e 'key_text=yes'; then
    echo "platforms: the key reached the free endpoint: $(cat "$requests")" >&2
    exit 1
  fi
  : > "$requests"
}
keyed_sessions() { # [session options: --clear-env, --paths STYLE] -- the command that starts the server...
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  $driver session "${opts[@]}" --env IBANFORGE_API_BASE="$base" --env IBANFORGE_API_KEY=ifk_demo_good --expect full -- "$@"
  $driver session "${opts[@]}" --env IBANFORGE_API_BASE="$base" --env IBANFORGE_API_KEY=ifk_demo_exhausted \
    --expect degraded:monthly_quota_exhausted -- "$@"
  check_requests
}

t=$(date +%s)
step "Windows x64: cargo build --target x86_64-pc-windows-gnu (debug), run under Wine"
nice -n 10 cargo build --locked -p ibanforge-mcp --bin ibanforge-mcp --target x86_64-pc-windows-gnu
took "Windows build" "$t"
t=$(date +%s)
win="$work/win"
mkdir -p "$win"
cp target/x86_64-pc-windows-gnu/debug/ibanforge-mcp.exe "$win/"
# Test harness only (see the comment in the file): lets the Windows build load under Wine 8.
x86_64-w64-mingw32-gcc -shared -O2 -Wl,--kill-at -o "$win/bcryptprimitives.dll" tests/platforms/wine/bcryptprimitives.c -ladvapi32
x86_64-w64-mingw32-gcc -O2 -o "$win/launcher.exe" tests/platforms/wine/launcher.c
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
PATH="/usr/lib/wine:$PATH"
wine64 wineboot -i >/dev/null 2>&1
exe=(wine64 "$win/ibanforge-mcp.exe")
$driver session --crlf --paths windows --env IBANFORGE_OFFLINE=1 --expect offline:offline_mode -- "${exe[@]}"
keyed_sessions --paths windows -- "${exe[@]}"
$driver watch --launcher "exec wine64 '$win/launcher.exe'" --env IBANFORGE_OFFLINE=1 -- "${exe[@]}"
doctor=$("${exe[@]}" doctor 2>&1 || true)
grep -qF 'AppData\Roaming\IBANforge' <<<"$doctor" \
  || { printf 'platforms: doctor under Wine names no %%APPDATA%% path:\n%s\n' "$doctor" >&2; exit 1; }
snippet=$("${exe[@]}" config print claude-desktop 2>&1)
# The snippet names the .exe by its Windows path (Wine maps / to Z:\) and the Windows way to start npx.
grep -qF '"command": "Z:\\' <<<"$snippet" && grep -qF 'ibanforge-mcp.exe"' <<<"$snippet" \
  && grep -qF 'cmd /c npx' <<<"$snippet" \
  || { printf 'platforms: config print under Wine shows no Windows paths:\n%s\n' "$snippet" >&2; exit 1; }
echo "doctor: %APPDATA% paths; config print: the .exe by its Windows path"
wineserver -k 2>/dev/null || true
took "Windows runs under Wine" "$t"

t=$(date +%s)
step "linux-arm64 (glibc 2.17): cargo zigbuild --target aarch64-unknown-linux-gnu.2.17 (debug), run under qemu"
nice -n 10 cargo zigbuild --locked -p ibanforge-mcp --bin ibanforge-mcp --target aarch64-unknown-linux-gnu.2.17
took "linux-arm64 build" "$t"
t=$(date +%s)
arm=(env QEMU_LD_PREFIX=/usr/aarch64-linux-gnu qemu-aarch64-static target/aarch64-unknown-linux-gnu/debug/ibanforge-mcp)
$driver session --env IBANFORGE_OFFLINE=1 --expect offline:offline_mode -- "${arm[@]}"
took "linux-arm64 run under qemu" "$t"

t=$(date +%s)
step "static musl x86_64, built as the Dockerfile builds it (from its build context), run alone in an empty root"
# Docker cannot run here: the Dockerfile's build command runs on a copy of its build context
# (.dockerignore applied), so a file the build needs but the context leaves out fails here.
# The debug profile (the image builds --release: same sources, minutes more); a fixed directory
# with the files' times kept, so a second run rebuilds nothing.
# The image must be what this tests: zig and cargo-zigbuild pinned as the release builds pin
# them, the build command run below, and a final stage copying only the binary and the CA bundle.
pins="ziglang==0.17.1 cargo-zigbuild==0.24.1"
grep -qF "pip install --no-cache-dir $pins" Dockerfile && grep -qF "install --quiet --disable-pip-version-check $pins" npm/build-platform-package.sh \
  || { echo "platforms: the Dockerfile and npm/build-platform-package.sh must pin $pins" >&2; exit 1; }
grep -qF 'cargo zigbuild --release --locked -p ibanforge-mcp --bin ibanforge-mcp --target "$target"' Dockerfile \
  || { echo "platforms: the Dockerfile no longer builds with the command this check runs" >&2; exit 1; }
final_copies=$(sed -n '/^FROM scratch/,$p' Dockerfile | grep '^COPY' | sort)
expected_copies=$(printf '%s\n' 'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt' 'COPY --from=build /ibanforge-mcp /ibanforge-mcp' | sort)
[ "$final_copies" = "$expected_copies" ] \
  || { printf 'platforms: the image copies what the empty-root test does not hold:\n%s\n' "$final_copies" >&2; exit 1; }
context=target/docker-context
rm -rf "$context"
python3 tests/platforms/docker_context.py "$context"
(cd "$context" && CARGO_TARGET_DIR="$PWD/../../target" nice -n 10 \
  cargo zigbuild --locked -p ibanforge-mcp --bin ibanforge-mcp --target x86_64-unknown-linux-musl)
musl_bin=target/x86_64-unknown-linux-musl/debug/ibanforge-mcp
took "musl build" "$t"
t=$(date +%s)
root="$work/empty-root"
mkdir -p "$root"
cp "$musl_bin" "$root/"
# The driver starts it with no environment but what it is given (--clear-env): no HOME, no PATH.
in_root=(/usr/sbin/chroot "$root" /ibanforge-mcp)
[ "$(ls -A "$root")" = ibanforge-mcp ] || { echo "platforms: the empty root holds more than the binary" >&2; exit 1; }
$driver session --clear-env --paths "root=$root" --env IBANFORGE_OFFLINE=1 --expect offline:offline_mode -- "${in_root[@]}"
keyed_sessions --clear-env --paths "root=$root" -- "${in_root[@]}"
answer=$(env -i IBANFORGE_API_KEY=ifk_demo_good /usr/sbin/chroot "$root" /ibanforge-mcp call validate_iban "$demo_iban" 2>/dev/null)
grep -q 'api_unreachable — cannot verify https://api.ibanforge.com: this system has no CA certificates' <<<"$answer" \
  && grep -q 'SSL_CERT_FILE' <<<"$answer" \
  || { printf 'platforms: a keyed https call with no certificate store does not say why:\n%s\n' "$answer" >&2; exit 1; }
echo "empty root, keyed https call: $(head -n 1 <<<"$answer" | grep -o 'Reason: .*certificates to check')"
# What the Dockerfile's final image holds: the binary and the CA bundle, nothing else.
mkdir -p "$root/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
answer=$(env -i IBANFORGE_API_KEY=ifk_demo_good /usr/sbin/chroot "$root" /ibanforge-mcp call validate_iban "$demo_iban" 2>/dev/null || true)
if grep -q 'no CA certificates' <<<"$answer"; then
  printf 'platforms: with the CA bundle the Dockerfile copies, the binary still finds no certificates:\n%s\n' "$answer" >&2
  exit 1
fi
$driver session --clear-env --paths "root=$root" --env IBANFORGE_OFFLINE=1 --expect offline:offline_mode -- "${in_root[@]}"
echo "the Dockerfile's image contents (binary + /etc/ssl/certs/ca-certificates.crt): certificates found"
# The npm launcher on a musl system: a root whose /usr/bin/ldd names musl, as Alpine's does,
# holding node (this machine's, with the libraries it loads: no musl build of node is to be
# had here), the launcher package and the linux-x64-musl package around the static binary.
# The launcher must pick that package; told glibc by ldd, it must look for the gnu one.
npm_root="$work/npm-root"
node_bin=$(readlink -f "$(command -v node)")
musl_pkg="$npm_root/app/node_modules/@ibanforge/mcp-linux-x64-musl"
mkdir -p "$npm_root/usr/bin" "$musl_pkg/bin"
cp "$node_bin" "$npm_root/usr/bin/node"
for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
  mkdir -p "$npm_root$(dirname "$lib")"
  cp -L "$lib" "$npm_root$lib"
done
cp -r npm/ibanforge-mcp "$npm_root/app/node_modules/ibanforge-mcp"
cp npm/platforms/linux-x64-musl/package.json "$musl_pkg/"
cp "$musl_bin" "$musl_pkg/bin/"
via_launcher=(/usr/sbin/chroot "$npm_root" /usr/bin/node /app/node_modules/ibanforge-mcp/bin/ibanforge-mcp.js)
printf '#!/bin/sh\nexec /lib/ld-musl-x86_64.so.1 --list -- "$@"\n' > "$npm_root/usr/bin/ldd"
$driver session --clear-env --env IBANFORGE_OFFLINE=1 --expect offline:offline_mode -- "${via_launcher[@]}"
printf '#!/bin/sh\n# ldd of the GNU C Library\n' > "$npm_root/usr/bin/ldd"
refusal=$(env -i "${via_launcher[@]}" --version 2>&1 || true)
grep -qF 'no prebuilt binary for linux-x64 (@ibanforge/mcp-linux-x64-gnu is not installed' <<<"$refusal" \
  || { printf 'platforms: on glibc the launcher should look for the gnu package:\n%s\n' "$refusal" >&2; exit 1; }
echo "npm launcher: ldd naming musl -> @ibanforge/mcp-linux-x64-musl started; naming glibc -> looks for the gnu package"
took "musl runs in an empty root" "$t"

t=$(date +%s)
step "static musl aarch64: cargo zigbuild --target aarch64-unknown-linux-musl (debug), run under qemu alone in an empty root"
nice -n 10 cargo zigbuild --locked -p ibanforge-mcp --bin ibanforge-mcp --target aarch64-unknown-linux-musl
took "musl aarch64 build" "$t"
t=$(date +%s)
# The root holds the binary and the (static) emulator that runs it, nothing else.
arm_root="$work/empty-root-arm64"
mkdir -p "$arm_root"
cp target/aarch64-unknown-linux-musl/debug/ibanforge-mcp "$(command -v qemu-aarch64-static)" "$arm_root/"
in_arm_root=(/usr/sbin/chroot "$arm_root" /qemu-aarch64-static /ibanforge-mcp)
$driver session --clear-env --paths "root=$arm_root" --env IBANFORGE_OFFLINE=1 --expect offline:offline_mode -- "${in_arm_root[@]}"
keyed_sessions --clear-env --paths "root=$arm_root" -- "${in_arm_root[@]}"
took "musl aarch64 runs in an empty root" "$t"

t=$(date +%s)
step "macOS arm64 and x64: cargo-zigbuild check (linking needs Apple's SDK, not available here)"
for target in aarch64-apple-darwin x86_64-apple-darwin; do
  nice -n 10 cargo-zigbuild check --locked -p ibanforge-mcp --bin ibanforge-mcp --target "$target"
done
took "macOS check" "$t"
step "passed"
