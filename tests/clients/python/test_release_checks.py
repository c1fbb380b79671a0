"""The release rehearsal's checks (scripts/release_checks.py) catch what they are there for: a
tarball with a stray, missing or non-regular file, a binary without its run bit or not the one
built, an MCPB bundle with another version, and a server that talks on stdout, hangs, or lists
the wrong tools. A check that cannot fail would let scripts/release-rehearsal.sh pass anything.
"""

import importlib.util
import io
import json
import os
import sys
import tarfile
import tempfile
import time
import tomllib
import unittest
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("release_checks", ROOT / "scripts/release_checks.py")
checks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checks)

BINARY = os.environ.get("IBANFORGE_MCP_BINARY", str(ROOT / "target/debug/ibanforge-mcp"))
VERSION = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))["package"]["version"]
EXE = "package/bin/ibanforge-mcp"


def good_members(binary: bytes = b"\x7fELF built") -> dict:
    members = {name: (b"text", 0o644) for name in checks.COMMON_FILES}
    members[EXE] = (binary, 0o755)
    return members


class Scratch(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = Path(self._tmp.name)
        self.built = self.tmp / "built-binary"
        self.built.write_bytes(b"\x7fELF built")

    def tearDown(self) -> None:
        self._tmp.cleanup()


class Tarball(Scratch):
    def pack(self, members: dict, symlink: str | None = None) -> str:
        path = self.tmp / "package.tgz"
        with tarfile.open(path, "w:gz") as tar:
            for name, (data, mode) in members.items():
                info = tarfile.TarInfo(name)
                info.size, info.mode = len(data), mode
                tar.addfile(info, io.BytesIO(data))
            if symlink:
                info = tarfile.TarInfo(symlink)
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tar.addfile(info)
        return str(path)

    def test_the_expected_files_pass(self) -> None:
        self.assertEqual([], checks.check_tarball(self.pack(good_members()), EXE, str(self.built)))

    def test_each_defect_is_caught(self) -> None:
        def without(name):
            m = good_members()
            del m[name]
            return m

        cases = {
            "a stray file": ({**good_members(), "package/.npmrc": (b"//registry/:_authToken=x", 0o644)}, None, "unexpected ['package/.npmrc']"),
            "a missing licence": (without("package/LICENSE-MIT"), None, "missing ['package/LICENSE-MIT']"),
            "a binary without its run bit": ({**good_members(), EXE: (b"\x7fELF built", 0o644)}, None, "not executable"),
            "an executable README": ({**good_members(), "package/README.md": (b"x", 0o755)}, None, "README.md is executable"),
            "a symlink": (good_members(), "package/bin/link", "not regular files"),
            "another binary": (good_members(b"\x7fELF stale"), None, "not the binary just built"),
        }
        for defect, (members, symlink, message) in cases.items():
            with self.subTest(defect=defect):
                failures = checks.check_tarball(self.pack(members, symlink), EXE, str(self.built))
                self.assertTrue(any(message in f for f in failures), failures)


class Bundle(Scratch):
    def pack(self, version: str = "1.2.3", entry_mode: int | None = 0o755, data: bytes = b"\x7fELF built") -> str:
        fd, name = tempfile.mkstemp(suffix=".mcpb", dir=self.tmp)  # one file per bundle
        os.close(fd)
        path = Path(name)
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("manifest.json", json.dumps({"version": version, "server": {"entry_point": "server/ibanforge-mcp"}}))
            if entry_mode is not None:
                info = zipfile.ZipInfo("server/ibanforge-mcp")
                info.external_attr = (0o100000 | entry_mode) << 16
                z.writestr(info, data)
        return str(path)

    def test_a_good_bundle_passes(self) -> None:
        self.assertEqual([], checks.check_mcpb(self.pack(), "1.2.3", str(self.built)))

    def test_each_defect_is_caught(self) -> None:
        cases = {
            "another version": (self.pack(version="1.2.2"), "manifest version '1.2.2'"),
            "no binary": (self.pack(entry_mode=None), "is not in the bundle"),
            "no run bit": (self.pack(entry_mode=0o644), "not executable"),
            "another binary": (self.pack(data=b"\x7fELF stale"), "not the binary just built"),
        }
        for defect, (bundle, message) in cases.items():
            with self.subTest(defect=defect):
                failures = checks.check_mcpb(bundle, "1.2.3", str(self.built))
                self.assertTrue(any(message in f for f in failures), failures)


# A stand-in server: answers initialize and tools/list the way the script below is told to.
FAKE_SERVER = r"""
import json, sys, time
behaviour = sys.argv[1]
if behaviour == "banner":
    print("ibanforge-mcp starting", flush=True)
for line in sys.stdin:
    msg = json.loads(line)
    if behaviour == "hang":
        time.sleep(60)
    if "id" not in msg:
        continue
    if msg["method"] == "initialize":
        result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}, "serverInfo": {"name": "fake", "version": "1.2.3"}}
    else:
        result = {"tools": [{"name": n} for n in ["validate_iban", "lookup_bic", "lookup_ch_clearing", "check_compliance"]]}
    print(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}), flush=True)
"""


class RoundTrip(Scratch):
    def test_the_real_server_passes(self) -> None:
        self.assertTrue(Path(BINARY).exists(), f"{BINARY}: build it with `cargo build --locked --bins`")
        self.assertEqual([], checks.round_trip([BINARY], VERSION))

    def test_a_version_other_than_the_packages_is_caught(self) -> None:
        failures = checks.round_trip([BINARY], VERSION + "-other")
        self.assertTrue(any("reports version" in f for f in failures), failures)

    def test_each_misbehaviour_is_caught(self) -> None:
        script = self.tmp / "fake_server.py"
        script.write_text(FAKE_SERVER, encoding="utf-8")
        cases = {
            "a line on stdout that is not JSON-RPC": ("banner", 30, "non-JSON line"),
            "no answer": ("hang", 2, "no answer to request 1 within 2 s"),
            "four tools": ("four-tools", 30, "tools/list gave"),
        }
        for misbehaviour, (behaviour, deadline, message) in cases.items():
            with self.subTest(misbehaviour=misbehaviour):
                started = time.monotonic()
                failures = checks.round_trip([sys.executable, str(script), behaviour], "1.2.3", deadline_s=deadline)
                self.assertTrue(any(message in f for f in failures), failures)
                # Bounded: the deadline holds (generous margin for a busy machine).
                self.assertLess(time.monotonic() - started, deadline + 20)


if __name__ == "__main__":
    unittest.main()
