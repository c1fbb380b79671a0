"""The release version lives in eight places; this test fails when any two disagree, and checks
that scripts/set-version.sh writes all of them (and nothing else).

The eight: Cargo.toml, the launcher's package.json, its optionalDependencies pins, the five
platform packages, both version fields of server.json, mcpb/manifest.json. Cargo.lock and
fuzz/Cargo.lock carry the crate's version too (`cargo build --locked` needs them current).
IBANforge's own package once shipped 1.4.1 on npm while the MCP registry listed 1.4.0 with every
check green; the reader here is written apart from the script's so that a bug in one shows up
in the other.
"""

import json
import re
import shutil
import subprocess
import tempfile
import tomllib
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CRATE = "ibanforge-mcp"
# Every file set-version.sh reads or writes, relative to the repository root.
VERSIONED_FILES = [
    "Cargo.toml",
    "Cargo.lock",
    "fuzz/Cargo.lock",
    "npm/ibanforge-mcp/package.json",
    *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "npm/platforms").glob("*/package.json")),
    "server.json",
    "mcpb/manifest.json",
]


def load_json(root: Path, path: str) -> dict:
    return json.loads((root / path).read_text(encoding="utf-8"))


def versions_at(root: Path) -> dict:
    """Place → version, read with the parsers each tool uses (TOML, JSON)."""
    found = {"Cargo.toml": tomllib.loads((root / "Cargo.toml").read_text(encoding="utf-8"))["package"]["version"]}
    for lock in ("Cargo.lock", "fuzz/Cargo.lock"):
        packages = tomllib.loads((root / lock).read_text(encoding="utf-8"))["package"]
        (own,) = [p for p in packages if p["name"] == CRATE and "source" not in p]
        found[lock] = own["version"]
    launcher = load_json(root, "npm/ibanforge-mcp/package.json")
    found["launcher"] = launcher["version"]
    for name, spec in launcher["optionalDependencies"].items():
        found[f"launcher pin {name}"] = spec
    for path in sorted((root / "npm/platforms").glob("*/package.json")):
        pkg = json.loads(path.read_text(encoding="utf-8"))
        found[pkg["name"]] = pkg["version"]
    server = load_json(root, "server.json")
    found["server.json"] = server["version"]
    for package in server["packages"]:
        found[f"server.json package {package['identifier']}"] = package["version"]
    found["mcpb/manifest.json"] = load_json(root, "mcpb/manifest.json")["version"]
    return found


def disagreements(root: Path) -> dict:
    """The places whose version differs from Cargo.toml's."""
    found = versions_at(root)
    return {place: v for place, v in found.items() if v != found["Cargo.toml"]}


def copy_versioned_tree(into: Path) -> None:
    for rel in [*VERSIONED_FILES, "scripts/set-version.sh"]:
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, into / rel)


def set_version(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(root / "scripts/set-version.sh"), *args], capture_output=True, text=True, timeout=60)


class VersionLockstep(unittest.TestCase):
    def test_every_place_says_the_same_version(self) -> None:
        self.assertEqual({}, disagreements(ROOT), versions_at(ROOT))

    def test_the_launcher_pins_exactly_the_five_platform_packages(self) -> None:
        launcher = load_json(ROOT, "npm/ibanforge-mcp/package.json")
        platforms = {json.loads(p.read_text(encoding="utf-8"))["name"] for p in (ROOT / "npm/platforms").glob("*/package.json")}
        self.assertEqual(7, len(platforms))
        self.assertEqual(platforms, set(launcher["optionalDependencies"]))
        for name, spec in launcher["optionalDependencies"].items():
            # An exact version: a range would let npm pair this launcher with another build.
            self.assertRegex(spec, r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", name)

    def test_the_eight_places_are_all_counted(self) -> None:
        # Cargo.toml, launcher, 7 pins, 7 platforms, 2 server.json fields, the MCPB manifest (+2 locks).
        self.assertEqual(1 + 1 + 7 + 7 + 2 + 1 + 2, len(versions_at(ROOT)))

    def test_the_script_agrees_with_this_test(self) -> None:
        r = set_version(ROOT, "--check")
        self.assertEqual(0, r.returncode, r.stderr)

    def test_one_place_out_of_step_fails_both_this_test_and_the_script(self) -> None:
        def json_edit(path, change):
            def apply(root: Path) -> None:
                data = load_json(root, path)
                change(data)
                (root / path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

            return apply

        def text_edit(path, pattern, replacement):
            def apply(root: Path) -> None:
                text = (root / path).read_text(encoding="utf-8")
                new, n = re.subn(pattern, replacement, text, count=1, flags=re.M)
                assert n == 1, (path, pattern)
                (root / path).write_text(new, encoding="utf-8")

            return apply

        launcher = "npm/ibanforge-mcp/package.json"
        mutations = {
            "Cargo.toml": text_edit("Cargo.toml", r'^version = "[^"]*"', 'version = "9.9.9"'),
            "Cargo.lock": text_edit("Cargo.lock", r'^(name = "ibanforge-mcp"\nversion = )"[^"]*"', r'\1"9.9.9"'),
            "launcher": json_edit(launcher, lambda d: d.update(version="9.9.9")),
            "launcher pin @ibanforge/mcp-win32-x64": json_edit(launcher, lambda d: d["optionalDependencies"].update({"@ibanforge/mcp-win32-x64": "9.9.9"})),
            "@ibanforge/mcp-darwin-arm64": json_edit("npm/platforms/darwin-arm64/package.json", lambda d: d.update(version="9.9.9")),
            "server.json": json_edit("server.json", lambda d: d.update(version="9.9.9")),
            "server.json package ibanforge-mcp": json_edit("server.json", lambda d: d["packages"][0].update(version="9.9.9")),
            "mcpb/manifest.json": json_edit("mcpb/manifest.json", lambda d: d.update(version="9.9.9")),
        }
        for place, mutate in mutations.items():
            with self.subTest(place=place), tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                copy_versioned_tree(root)
                mutate(root)
                self.assertIn("9.9.9", versions_at(root).values(), place)
                self.assertNotEqual({}, disagreements(root), place)
                r = set_version(root, "--check")
                self.assertEqual(1, r.returncode, r.stderr)
                self.assertIn("do not say", r.stderr)

    def test_set_version_writes_every_place_and_only_the_version(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            copy_versioned_tree(root)
            old = versions_at(root)["Cargo.toml"]
            before = {rel: (root / rel).read_text(encoding="utf-8").splitlines() for rel in VERSIONED_FILES}
            r = set_version(root, "2.3.4-rc.1")
            self.assertEqual(0, r.returncode, r.stderr)
            self.assertEqual({"2.3.4-rc.1"}, set(versions_at(root).values()))
            for rel in VERSIONED_FILES:
                after = (root / rel).read_text(encoding="utf-8").splitlines()
                self.assertEqual(len(before[rel]), len(after), f"{rel}: formatting kept, no line added or lost")
                changed = [(a, b) for a, b in zip(before[rel], after) if a != b]
                self.assertTrue(changed, f"{rel} was not written")
                for a, b in changed:
                    self.assertEqual(a.replace(old, "2.3.4-rc.1"), b, f"{rel}: only the version changes")
            self.assertEqual(0, set_version(root, "--check", "2.3.4-rc.1").returncode)
            self.assertEqual(1, set_version(root, "--check", old).returncode)
            # Written twice, nothing moves.
            snapshot = {rel: (root / rel).read_bytes() for rel in VERSIONED_FILES}
            self.assertEqual(0, set_version(root, "2.3.4-rc.1").returncode)
            self.assertEqual(snapshot, {rel: (root / rel).read_bytes() for rel in VERSIONED_FILES})

    def test_set_version_refuses_what_is_not_a_version(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            copy_versioned_tree(root)
            snapshot = {rel: (root / rel).read_bytes() for rel in VERSIONED_FILES}
            for bad in ["v1.2.3", "1.2", "1.2.3+build.5", "01.2.3", "1.2.3 ", ""]:
                with self.subTest(bad=bad):
                    r = set_version(root, bad)
                    self.assertEqual(2, r.returncode, r.stderr)
                    self.assertIn("usage:", r.stderr)
            self.assertEqual(snapshot, {rel: (root / rel).read_bytes() for rel in VERSIONED_FILES})


class LicenceCopies(unittest.TestCase):
    def test_the_launcher_package_ships_the_repository_licences(self) -> None:
        # npm packs the launcher from its own directory, so it carries copies; they must not drift.
        for name in ("LICENSE", "LICENSE-MIT", "LICENSE-APACHE"):
            self.assertEqual((ROOT / name).read_bytes(), (ROOT / "npm/ibanforge-mcp" / name).read_bytes(), name)


if __name__ == "__main__":
    unittest.main()
