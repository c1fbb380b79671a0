"""The checks scripts/release-rehearsal.sh makes on what a release would publish, kept apart from
the shell so tests/clients/python/test_release_checks.py can show each one fails on a bad
package, not only that it passes on a good one.

  python3 scripts/release_checks.py tarball <package.tgz> <executable member> [<binary>]
  python3 scripts/release_checks.py round-trip <command> <version>
  python3 scripts/release_checks.py mcpb <bundle.mcpb> <version> <binary>

Each prints one line on success and exits 1 with every failure listed otherwise. Standard
library only: it runs on a fresh CI runner before anything is installed.
"""

import hashlib
import json
import os
import selectors
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

# What every npm package of this project holds besides its one executable. npm always adds
# package.json; README.md and the licences are listed in each package's `files`.
COMMON_FILES = ["package/package.json", "package/README.md", "package/LICENSE", "package/LICENSE-MIT", "package/LICENSE-APACHE"]
# The tools the server lists: read from the committed definitions, which the registry in
# src/tools/registry.rs generates (tests/schemas_drift.rs keeps them equal).
TOOLS = sorted(t["name"] for t in json.loads((Path(__file__).resolve().parent.parent / "schemas" / "tools.json").read_text(encoding="utf-8"))["tools"])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_tarball(tgz: str, executable: str, binary: str | None = None) -> list[str]:
    """Exactly COMMON_FILES + the executable, regular files only, only the executable runnable,
    and (given `binary`) the packed executable is byte for byte the one built."""
    failures = []
    expected = set(COMMON_FILES) | {executable}
    with tarfile.open(tgz) as tar:
        members = tar.getmembers()
        files = {m.name: m for m in members if m.isfile()}
        others = sorted(m.name for m in members if not m.isfile())
        if others:
            failures.append(f"holds entries that are not regular files: {others}")
        if set(files) != expected:
            extra, missing = sorted(set(files) - expected), sorted(expected - set(files))
            failures.append(f"holds {sorted(files)}; unexpected {extra}, missing {missing}")
        if executable in files and files[executable].mode & 0o111 != 0o111:
            failures.append(f"{executable} has mode {files[executable].mode:o}: not executable")
        for name in sorted(set(files) - {executable}):
            if files[name].mode & 0o111:
                failures.append(f"{name} is executable ({files[name].mode:o})")
        if binary is not None and executable in files:
            if sha256(tar.extractfile(executable).read()) != sha256(Path(binary).read_bytes()):
                failures.append(f"{executable} is not the binary just built ({binary})")
    return failures


def round_trip(command: list[str], version: str, deadline_s: float = 30.0) -> list[str]:
    """Start `command` as an MCP server with an empty environment (PATH and IBANFORGE_OFFLINE
    only), initialize, tools/list, close stdin: within `deadline_s`, stdout carrying only
    JSON-RPC, serverInfo.version == `version`, the five tools, exit 0."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "IBANFORGE_OFFLINE": "1"}
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd="/", env=env)
    started = time.monotonic()
    buffer = b""

    def left() -> float:
        return deadline_s - (time.monotonic() - started)

    def receive(request_id: int) -> dict:
        nonlocal buffer
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while True:
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    try:
                        message = json.loads(line)
                    except ValueError:
                        raise AssertionError(f"stdout carried a non-JSON line: {line[:200]!r}") from None
                    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
                        raise AssertionError(f"stdout carried a non-JSON-RPC message: {line[:200]!r}")
                    if message.get("id") == request_id:
                        if "result" not in message:
                            raise AssertionError(f"request {request_id} failed: {message.get('error')}")
                        return message["result"]
                if left() <= 0 or not sel.select(timeout=left()):
                    raise AssertionError(f"no answer to request {request_id} within {deadline_s} s")
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    raise AssertionError(f"the server closed stdout before answering request {request_id}")
                buffer += chunk

    def send(message: dict) -> None:
        proc.stdin.write((json.dumps(message) + "\n").encode())
        proc.stdin.flush()

    try:
        send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "release-rehearsal", "version": version}}})
        init = receive(1)
        got = init.get("serverInfo", {}).get("version")
        if got != version:
            raise AssertionError(f"the server reports version {got!r}, the packages say {version}")
        send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
        tools = sorted(t["name"] for t in receive(2).get("tools", []))
        if tools != TOOLS:
            raise AssertionError(f"tools/list gave {tools}, expected {TOOLS}")
        proc.stdin.close()
        try:
            code = proc.wait(timeout=max(0.1, left()))
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the server did not exit within {deadline_s} s of stdin closing") from None
        if code != 0:
            raise AssertionError(f"the server exited with {code} after stdin closed")
    except (AssertionError, BrokenPipeError) as e:
        return [str(e) if isinstance(e, AssertionError) else "the server closed stdin before the round trip ended"]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except BrokenPipeError:
                pass
    return []


def check_mcpb(bundle: str, version: str, binary: str) -> list[str]:
    """The manifest's version is the release's; its entry point is in the bundle, executable,
    and byte for byte the binary just built."""
    failures = []
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        if manifest.get("version") != version:
            failures.append(f"manifest version {manifest.get('version')!r}, the packages say {version}")
        entry = manifest.get("server", {}).get("entry_point")
        if entry not in z.namelist():
            failures.append(f"entry point {entry!r} is not in the bundle")
        else:
            mode = z.getinfo(entry).external_attr >> 16
            if mode & 0o111 != 0o111:
                failures.append(f"{entry} has mode {mode:o}: not executable")
            if sha256(z.read(entry)) != sha256(Path(binary).read_bytes()):
                failures.append(f"{entry} is not the binary just built ({binary})")
    return failures


def main(argv: list[str]) -> int:
    usage = __doc__.split("\n\n")[1]
    if not argv:
        print(usage, file=sys.stderr)
        return 2
    what, args = argv[0], argv[1:]
    if what == "tarball" and len(args) in (2, 3):
        failures, subject = check_tarball(*args), args[0]
        ok = f"{Path(args[0]).name}: exactly {len(COMMON_FILES) + 1} files, {args[1]} executable"
    elif what == "round-trip" and len(args) == 2:
        failures, subject = round_trip([args[0]], args[1]), args[0]
        ok = f"{args[0]}: initialize (version {args[1]}) + tools/list ({len(TOOLS)} tools), clean exit"
    elif what == "mcpb" and len(args) == 3:
        failures, subject = check_mcpb(*args), args[0]
        ok = f"{Path(args[0]).name}: manifest {args[1]}, entry point executable and the one built"
    else:
        print(usage, file=sys.stderr)
        return 2
    if failures:
        for failure in failures:
            print(f"release-rehearsal: {subject}: {failure}", file=sys.stderr)
        return 1
    print(f"release-rehearsal:   {ok}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
