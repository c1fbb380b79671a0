"""Drive the server over stdio on a platform this machine can only emulate: any command that
starts it (`wine64 ibanforge-mcp.exe`, `qemu-aarch64-static ibanforge-mcp`, a chroot) gets a whole
MCP session, and the answers are checked. Standard library only. scripts/platforms.sh runs it.

  session.py session [--env K=V]... [--crlf] [--clear-env] [--paths posix|windows|root=DIR] --expect MODE[:REASON] -- COMMAND...
      initialize; tools/list, whose names must be those of tests/clients/calls.json (one example
      call per registered tool, checked against the registry by tests/schemas_drift.rs); then
      each listed tool is called once with its example, so a new tool is covered here the day
      it is registered. What each answer must be follows from the tool's annotations:
        - read-only and open-world (the hosted API's fallback chain): provenance.mode MODE (and
          reason REASON), its label line saying so;
        - closed-world (answered by the engine alone): a full local answer, whatever MODE;
        - not read-only (it changes something, e.g. stores a key): a well-formed answer with
          text (an error answer is shown, not failed: what it may do depends on state this
          session does not set up; its own tests cover it). Every answer is a result, never a
          protocol error or a crash.
      Then stdin is closed and the server must exit 0. --crlf ends every line sent with CR LF
      (Windows); --clear-env starts COMMAND with only the --env variables (an empty root has
      no HOME). An example argument naming a file of this repository (a path with a `/` that
      exists) is given as the server sees it: --paths posix (absolute, the default), windows
      (Z:\\... as Wine maps /), root=DIR (copied into the chroot DIR, given from its /).
      --calls FILE reads the examples from another file (another branch's, say).
  session.py watch --launcher CMD [--env K=V]... -- COMMAND...
      CMD starts a stand-in launcher that prints its process id (as the server sees process
      ids) and waits; the server starts with IBANFORGE_MCP_LAUNCHER_PID set to it and answers
      initialize; the launcher is killed (SIGKILL): the server must exit within 1 s.
  session.py record --upstream URL --log FILE
      A loopback HTTP proxy in front of the stand-in API: prints its base URL, forwards every
      request and writes one line per request to FILE (method, path, whether it carried an
      Authorization header, whether the key's text appeared anywhere in it), so the test can
      show the key never reached the free endpoint.

Every wait is bounded (generous bounds: emulators on a shared machine are slow); it exits 1
with what went wrong.
"""

import argparse
import http.client
import http.server
import json
import os
import pathlib
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[2]
CALLS_FILE = ROOT / "tests" / "clients" / "calls.json"
LABELS = {"degraded": "DEGRADED RESULT", "anonymous": "ANONYMOUS RESULT", "offline": "OFFLINE RESULT"}
DEADLINE_S = 120.0  # a whole session, start-up of an emulator included


class Fail(Exception):
    pass


class Server:
    def __init__(self, command, env, crlf=False, clear_env=False):
        full_env = {} if clear_env else dict(os.environ)
        full_env.update(env)
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
        self.started = time.monotonic()
        self.buffer = b""
        self.crlf = crlf
        self.stderr = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode(errors="replace").rstrip())

    def left(self):
        return DEADLINE_S - (time.monotonic() - self.started)

    def send(self, message):
        self.proc.stdin.write(json.dumps(message).encode() + (b"\r\n" if self.crlf else b"\n"))
        self.proc.stdin.flush()

    def receive(self, request_id):
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while True:
                while b"\n" in self.buffer:
                    line, self.buffer = self.buffer.split(b"\n", 1)
                    if not line.strip():
                        continue
                    try:
                        message = json.loads(line)
                    except ValueError:
                        raise Fail(f"stdout carried a non-JSON line: {line[:200]!r}") from None
                    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
                        raise Fail(f"stdout carried a non-JSON-RPC message: {line[:200]!r}")
                    if message.get("id") == request_id:
                        if "result" not in message:
                            raise Fail(f"request {request_id} failed: {message.get('error')}")
                        return message["result"]
                if self.left() <= 0 or not sel.select(timeout=self.left()):
                    raise Fail(f"no answer to request {request_id} within {DEADLINE_S} s")
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise Fail(f"the server closed stdout before answering request {request_id} (exit {self.proc.poll()})")
                self.buffer += chunk

    def initialize(self):
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "platforms", "version": "1"}}})
        info = self.receive(1).get("serverInfo", {})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return info

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def parse_env(pairs):
    env = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--env wants KEY=VALUE, not {pair!r}")
        env[key] = value
    return env


def answer_text(result):
    return next((c.get("text", "") for c in result.get("content", []) if c.get("type") == "text"), "")


def check_answer(tool, result, mode, reason):
    """A fallback-chain tool's answer (or, with mode full and source local, the engine's)."""
    if result.get("isError"):
        raise Fail(f"{tool}: isError: {json.dumps(result)[:400]}")
    provenance = (result.get("structuredContent") or {}).get("provenance") or {}
    if provenance.get("mode") != mode:
        raise Fail(f"{tool}: provenance.mode {provenance.get('mode')!r}, expected {mode!r}: {json.dumps(provenance)[:400]}")
    if reason is not None and provenance.get("reason") != reason:
        raise Fail(f"{tool}: provenance.reason {provenance.get('reason')!r}, expected {reason!r}")
    first = answer_text(result).split("\n", 1)[0]
    if mode in LABELS and not first.startswith(LABELS[mode]):
        raise Fail(f"{tool}: label line {first[:120]!r} does not start with {LABELS[mode]!r}")
    if mode == "full" and any(first.startswith(label) for label in LABELS.values()):
        raise Fail(f"{tool}: a full answer labelled {first[:120]!r}")
    return provenance


def kind_of(definition):
    """What a tool's annotations say about the answer to expect (see the module's comment)."""
    hints = definition.get("annotations") or {}
    # MCP's defaults for a missing hint: not read-only, open-world.
    if not hints.get("readOnlyHint", False):
        return "changes"
    return "chain" if hints.get("openWorldHint", True) else "engine"


def map_paths(value, style):
    """An example's file arguments as the server under test sees them (see --paths)."""
    if isinstance(value, dict):
        return {k: map_paths(v, style) for k, v in value.items()}
    if isinstance(value, list):
        return [map_paths(v, style) for v in value]
    if not (isinstance(value, str) and "/" in value and not value.startswith(("http:", "https:")) and len(value) < 4096):
        return value
    local = (ROOT / value).resolve()
    if not (local.is_file() and ROOT in local.parents):
        return value
    if style == "windows":
        return "Z:" + str(local).replace("/", "\\")
    if style.startswith("root="):
        inside = local.relative_to(ROOT)
        copy = pathlib.Path(style[len("root="):]) / inside
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(local, copy)
        return "/" + inside.as_posix()
    return str(local)


def run_session(args):
    mode, _, reason = args.expect.partition(":")
    calls = json.loads(pathlib.Path(args.calls).read_text(encoding="utf-8"))
    server = Server(args.command, parse_env(args.env), crlf=args.crlf, clear_env=args.clear_env)
    try:
        info = server.initialize()
        server.send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
        tools = server.receive(2).get("tools", [])
        names = [t["name"] for t in tools]
        if sorted(names) != sorted(calls):
            raise Fail(f"tools/list gave {sorted(names)}; tests/clients/calls.json has examples for {sorted(calls)}")
        seen = []
        for n, definition in enumerate(tools, start=3):
            tool = definition["name"]
            arguments = map_paths(calls[tool], args.paths)
            server.send({"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": {"name": tool, "arguments": arguments}})
            result = server.receive(n)
            kind = kind_of(definition)
            if kind == "chain":
                provenance = check_answer(tool, result, mode, reason or None)
            elif kind == "engine":
                provenance = check_answer(tool, result, "full", None)
                if provenance.get("source") != "local":
                    raise Fail(f"{tool}: a closed-world tool's answer from {provenance.get('source')!r}, not the local engine")
            else:
                if not answer_text(result).strip():
                    raise Fail(f"{tool}: an answer with no text: {json.dumps(result)[:400]}")
                provenance = (result.get("structuredContent") or {}).get("provenance") or {}
                if result.get("isError"):
                    seen.append(f"{tool}=error-answer({answer_text(result).splitlines()[0][:80]!r})")
                    continue
            seen.append(f"{tool}={provenance.get('mode')}/{provenance.get('source')}")
        server.proc.stdin.close()
        try:
            code = server.proc.wait(timeout=max(1.0, server.left()))
        except subprocess.TimeoutExpired:
            raise Fail("the server did not exit after stdin closed") from None
        if code != 0:
            raise Fail(f"the server exited with {code} after stdin closed")
        crlf = " (CRLF lines)" if args.crlf else ""
        print(f"session{crlf}: {info.get('name')} {info.get('version')}, {len(tools)} tools: {' '.join(seen)}; EOF -> exit 0 in {time.monotonic() - server.started:.1f} s")
    except (Fail, BrokenPipeError) as e:
        server.kill()
        tail = "\n".join(server.stderr[-15:])
        raise SystemExit(f"session {' '.join(args.command)}: {e}\n--- server stderr (last lines) ---\n{tail}")
    finally:
        server.kill()


def run_watch(args):
    launcher = subprocess.Popen(args.launcher, shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    server = None
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(launcher.stdout, selectors.EVENT_READ)
            if not sel.select(timeout=DEADLINE_S):
                raise Fail("the launcher printed no process id")
        pid = launcher.stdout.readline().decode().strip()
        if not pid.isdigit():
            raise Fail(f"the launcher printed {pid!r}, not a process id")
        env = parse_env(args.env)
        env["IBANFORGE_MCP_LAUNCHER_PID"] = pid
        server = Server(args.command, env)
        server.initialize()
        # Kill the launcher's whole process group: under Wine that ends the Windows process.
        os.killpg(launcher.pid, signal.SIGKILL)
        killed = time.monotonic()
        launcher.wait()
        try:
            code = server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise Fail("the server was still running 10 s after its launcher was killed") from None
        took = time.monotonic() - killed
        if took > 1.0:
            raise Fail(f"the server exited {took:.2f} s after its launcher was killed; the promise is 1 s")
        if code != 0:
            raise Fail(f"the server exited with {code} after its launcher was killed, not 0")
        print(f"watch: launcher (pid {pid}) killed -> the server exited 0 after {took:.2f} s")
    except (Fail, BrokenPipeError) as e:
        tail = "\n".join(server.stderr[-15:]) if server else ""
        raise SystemExit(f"watch {' '.join(args.command)}: {e}\n--- server stderr (last lines) ---\n{tail}")
    finally:
        if server:
            server.kill()
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)


def run_record(args):
    upstream = urllib.parse.urlsplit(args.upstream)
    log = open(args.log, "a", buffering=1)
    secret = os.environ.get("RECORD_SECRET", "")

    class Proxy(http.server.BaseHTTPRequestHandler):
        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            raw = f"{self.requestline}\n{self.headers}".encode() + body
            carried = bool(secret) and secret.encode() in raw
            log.write(f"{self.command} {urllib.parse.urlsplit(self.path).path} authorization={'yes' if 'Authorization' in self.headers else 'no'} key_text={'yes' if carried else 'no'}\n")
            conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            conn.request(self.command, self.path, body=body or None, headers=headers)
            response = conn.getresponse()
            data = response.read()
            self.send_response(response.status)
            for k, v in response.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = forward

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("session")
    s.add_argument("--env", action="append")
    s.add_argument("--crlf", action="store_true")
    s.add_argument("--clear-env", action="store_true")
    s.add_argument("--paths", default="posix")
    s.add_argument("--calls", default=str(CALLS_FILE), help="the example calls (default: tests/clients/calls.json)")
    s.add_argument("--expect", required=True)
    s.add_argument("command", nargs="+")
    w = sub.add_parser("watch")
    w.add_argument("--launcher", required=True)
    w.add_argument("--env", action="append")
    w.add_argument("command", nargs="+")
    r = sub.add_parser("record")
    r.add_argument("--upstream", required=True)
    r.add_argument("--log", required=True)
    args = parser.parse_args()
    {"session": run_session, "watch": run_watch, "record": run_record}[args.what](args)


if __name__ == "__main__":
    main()
