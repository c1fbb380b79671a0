#!/usr/bin/env bash
# Release rehearsal for linux-x64: everything the release workflow does for that platform short
# of publishing, so a release that would ship broken packages fails here first.
#   bash scripts/release-rehearsal.sh [release|debug] [--out DIR]
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
# 6. packs the MCPB bundle and checks its manifest version and that its binary is the one built.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/release-rehearsal.sh [release|debug] [--out DIR]" >&2; exit 2; }
profile=release
out=
while [ $# -gt 0 ]; do
  case "$1" in
    release | debug) profile=$1; shift ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
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
python3 - "$platform_tgz" "$launcher_tgz" "npm/platforms/$platform/bin/ibanforge-mcp" <<'PY'
import hashlib
import sys
import tarfile

platform_tgz, launcher_tgz, binary = sys.argv[1:]
COMMON = {"package/package.json", "package/README.md", "package/LICENSE", "package/LICENSE-MIT", "package/LICENSE-APACHE"}
failures = []
for tgz, executable in ((platform_tgz, "package/bin/ibanforge-mcp"), (launcher_tgz, "package/bin/ibanforge-mcp.js")):
    with tarfile.open(tgz) as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        others = [m.name for m in tar.getmembers() if not m.isfile()]
        expected = COMMON | {executable}
        if set(members) != expected or others:
            failures.append(f"{tgz}: holds {sorted(members) + others}, expected exactly {sorted(expected)}")
            continue
        if members[executable].mode & 0o111 != 0o111:
            failures.append(f"{tgz}: {executable} has mode {members[executable].mode:o}, not executable")
        for name in expected - {executable}:
            if members[name].mode & 0o111:
                failures.append(f"{tgz}: {name} is executable ({members[name].mode:o})")
        if executable.endswith("/ibanforge-mcp"):
            packed = hashlib.sha256(tar.extractfile(executable).read()).hexdigest()
            built = hashlib.sha256(open(binary, "rb").read()).hexdigest()
            if packed != built:
                failures.append(f"{tgz}: the packed binary is not the one just built")
if failures:
    sys.exit("release-rehearsal: " + "\nrelease-rehearsal: ".join(failures))
PY
step "  $(basename "$platform_tgz"), $(basename "$launcher_tgz"): exactly the expected files"

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
env -i PATH="$PATH" IBANFORGE_OFFLINE=1 python3 - "$prefix/node_modules/.bin/ibanforge-mcp" "$version" <<'PY'
import json
import os
import selectors
import subprocess
import sys
import time

launcher, version = sys.argv[1:]
DEADLINE_S = 30  # generous: a busy machine starts Node and the server in well under a second
proc = subprocess.Popen([launcher], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd="/")
sel = selectors.DefaultSelector()
sel.register(proc.stdout, selectors.EVENT_READ)
started = time.monotonic()
buffer = b""


def fail(message):
    proc.kill()
    err = proc.stderr.read().decode(errors="replace")
    sys.exit(f"release-rehearsal: {message}\nserver stderr:\n{err}")


def send(message):
    proc.stdin.write((json.dumps(message) + "\n").encode())
    proc.stdin.flush()


def receive(request_id):
    global buffer
    while True:
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            try:
                message = json.loads(line)
            except ValueError:
                fail(f"stdout carried a non-JSON line: {line[:200]!r}")
            if message.get("jsonrpc") != "2.0":
                fail(f"stdout carried a non-JSON-RPC message: {line[:200]!r}")
            if message.get("id") == request_id:
                if "error" in message:
                    fail(f"request {request_id} failed: {message['error']}")
                return message["result"]
        left = DEADLINE_S - (time.monotonic() - started)
        if left <= 0 or not sel.select(timeout=left):
            fail(f"no answer to request {request_id} within {DEADLINE_S} s")
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            fail(f"the server closed stdout before answering request {request_id} (exit {proc.wait()})")
        buffer += chunk


send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "release-rehearsal", "version": version}}})
init = receive(1)
if init["serverInfo"].get("version") != version:
    fail(f"the installed server reports version {init['serverInfo'].get('version')!r}, the packages say {version}")
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
tools = sorted(t["name"] for t in receive(2)["tools"])
expected = sorted(["validate_iban", "batch_validate_iban", "lookup_bic", "lookup_ch_clearing", "check_compliance"])
if tools != expected:
    fail(f"tools/list gave {tools}, expected {expected}")
proc.stdin.close()
try:
    code = proc.wait(timeout=max(1, DEADLINE_S - (time.monotonic() - started)))
except subprocess.TimeoutExpired:
    fail("the server did not exit after stdin closed")
if code != 0:
    fail(f"the server exited with {code} after stdin closed")
print(f"release-rehearsal:   {init['serverInfo']['name']} {version} via the installed bin: 5 tools, clean exit", file=sys.stderr)
PY

step "6/6 pack the MCPB bundle, check its manifest version and binary"
mcpb="$out/ibanforge-mcp-$platform.mcpb"
bash mcpb/build.sh "npm/platforms/$platform/bin/ibanforge-mcp" "$mcpb" >&2
python3 - "$mcpb" "$version" "npm/platforms/$platform/bin/ibanforge-mcp" <<'PY'
import hashlib
import json
import sys
import zipfile

bundle, version, binary = sys.argv[1:]
with zipfile.ZipFile(bundle) as z:
    manifest = json.loads(z.read("manifest.json"))
    entry = manifest["server"]["entry_point"]
    failures = []
    if manifest["version"] != version:
        failures.append(f"manifest version {manifest['version']!r}, the packages say {version}")
    if entry not in z.namelist():
        failures.append(f"entry point {entry} is missing")
    else:
        info = z.getinfo(entry)
        if (info.external_attr >> 16) & 0o111 != 0o111:
            failures.append(f"{entry} has mode {info.external_attr >> 16:o}, not executable")
        if hashlib.sha256(z.read(entry)).hexdigest() != hashlib.sha256(open(binary, "rb").read()).hexdigest():
            failures.append(f"{entry} is not the binary just built")
if failures:
    sys.exit("release-rehearsal: " + bundle + ": " + "; ".join(failures))
print(f"release-rehearsal:   {bundle.rsplit('/', 1)[-1]}: manifest {version}, {entry} executable and the one built", file=sys.stderr)
PY
step "passed ($profile): $(cd "$out" && ls | tr '\n' ' ')"
