#!/usr/bin/env bash
# The one way to change the release version. The version lives in eight places that must agree
# (a registry listing one version while npm serves another is how users end up with a binary
# nobody tested against its metadata):
#   Cargo.toml [package] version (and this crate's entry in Cargo.lock and fuzz/Cargo.lock,
#   so `cargo build --locked` keeps working), npm/ibanforge-mcp/package.json version and its
#   optionalDependencies pins, the five npm/platforms/*/package.json, both version fields of
#   server.json (the server and its npm package), mcpb/manifest.json.
#
#   bash scripts/set-version.sh X.Y.Z           write X.Y.Z everywhere, then check
#   bash scripts/set-version.sh --check X.Y.Z   change nothing; fail unless every place says X.Y.Z
#   bash scripts/set-version.sh --check         change nothing; fail unless every place agrees
#
# Only the version fields change: each file is edited in place, its formatting kept.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "$@" <<'PY'
import json
import re
import sys
from pathlib import Path

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")
CRATE = "ibanforge-mcp"


def usage(message: str) -> None:
    print(f"set-version: {message}", file=sys.stderr)
    print("usage: scripts/set-version.sh X.Y.Z | --check [X.Y.Z]", file=sys.stderr)
    sys.exit(2)


def cargo_package_section(text: str) -> re.Match:
    section = re.search(r"^\[package\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not section:
        sys.exit("set-version: Cargo.toml has no [package] section")
    return section


# This crate's own entry in a Cargo.lock: its name line, then its version line.
LOCK_ENTRY = re.compile(r'(^name = "' + re.escape(CRATE) + r'"\nversion = ")([^"]*)(")', re.M)


def read_versions() -> dict:
    """Every place the version lives, each read the way its own tool reads it."""
    found = {}
    cargo = Path("Cargo.toml").read_text(encoding="utf-8")
    m = re.search(r'^version = "([^"]*)"', cargo_package_section(cargo).group(1), re.M)
    found["Cargo.toml [package] version"] = m.group(1) if m else None
    for lock in ("Cargo.lock", "fuzz/Cargo.lock"):
        if Path(lock).exists():
            m = LOCK_ENTRY.search(Path(lock).read_text(encoding="utf-8"))
            found[f"{lock} {CRATE}"] = m.group(2) if m else None
    launcher = json.loads(Path("npm/ibanforge-mcp/package.json").read_text(encoding="utf-8"))
    found["npm/ibanforge-mcp/package.json version"] = launcher.get("version")
    platforms = sorted(Path("npm/platforms").glob("*/package.json"))
    names = set()
    for path in platforms:
        pkg = json.loads(path.read_text(encoding="utf-8"))
        names.add(pkg["name"])
        found[f"{path.as_posix()} version"] = pkg.get("version")
    pins = launcher.get("optionalDependencies", {})
    for name in sorted(names | set(pins)):
        found[f"npm/ibanforge-mcp/package.json optionalDependencies {name}"] = pins.get(name)
    server = json.loads(Path("server.json").read_text(encoding="utf-8"))
    found["server.json version"] = server.get("version")
    for i, package in enumerate(server.get("packages", [])):
        found[f"server.json packages[{i}] ({package.get('identifier')}) version"] = package.get("version")
    manifest = json.loads(Path("mcpb/manifest.json").read_text(encoding="utf-8"))
    found["mcpb/manifest.json version"] = manifest.get("version")
    return found


def check(expected) -> int:
    found = read_versions()
    if expected is None:
        expected = found["Cargo.toml [package] version"]
    wrong = {place: v for place, v in found.items() if v != expected}
    if wrong:
        print(f"set-version: these places do not say {expected}:", file=sys.stderr)
        for place, v in wrong.items():
            print(f"  {place}: {v!r}", file=sys.stderr)
        print(f"Run `bash scripts/set-version.sh {expected}` to write one version everywhere.", file=sys.stderr)
        return 1
    print(f"set-version: all {len(found)} places say {expected}", file=sys.stderr)
    return 0


def rewrite(path: str, edit) -> None:
    p = Path(path)
    before = p.read_text(encoding="utf-8")
    after = edit(before)
    if after != before:
        p.write_text(after, encoding="utf-8")


def json_field(key: str, version: str, count: int):
    """Replace the value of every "key": "..." in a JSON file, expecting exactly `count`."""
    pattern = re.compile(r'("' + re.escape(key) + r'"\s*:\s*")([^"]*)(")')

    def edit(text: str) -> str:
        new, n = pattern.subn(lambda m: m.group(1) + version + m.group(3), text)
        if n != count:
            sys.exit(f'set-version: expected {count} "{key}" field(s), found {n}; edit by hand and rerun')
        return new

    return edit


def write(version: str) -> None:
    def cargo_toml(text: str) -> str:
        section = cargo_package_section(text)
        body, n = re.subn(r'^(version = ")[^"]*(")', lambda m: m.group(1) + version + m.group(2), section.group(1), count=1, flags=re.M)
        if n != 1:
            sys.exit("set-version: Cargo.toml [package] has no version line")
        return text[: section.start(1)] + body + text[section.end(1) :]

    rewrite("Cargo.toml", cargo_toml)
    for lock in ("Cargo.lock", "fuzz/Cargo.lock"):
        if Path(lock).exists():
            rewrite(lock, lambda t: LOCK_ENTRY.sub(lambda m: m.group(1) + version + m.group(3), t, count=1))

    launcher = json.loads(Path("npm/ibanforge-mcp/package.json").read_text(encoding="utf-8"))

    def launcher_edit(text: str) -> str:
        # The top-level "version" is the first one in the file (package.json puts it after "name").
        text, n = re.subn(r'("version"\s*:\s*")[^"]*(")', lambda m: m.group(1) + version + m.group(2), text, count=1)
        for name in launcher.get("optionalDependencies", {}):
            text, n = re.subn(r'("' + re.escape(name) + r'"\s*:\s*")[^"]*(")', lambda m: m.group(1) + version + m.group(2), text)
            if n != 1:
                sys.exit(f"set-version: {name} appears {n} times in npm/ibanforge-mcp/package.json")
        return text

    rewrite("npm/ibanforge-mcp/package.json", launcher_edit)
    for path in sorted(Path("npm/platforms").glob("*/package.json")):
        rewrite(str(path), json_field("version", version, 1))
    server = json.loads(Path("server.json").read_text(encoding="utf-8"))
    rewrite("server.json", json_field("version", version, 1 + len(server.get("packages", []))))
    rewrite("mcpb/manifest.json", json_field("version", version, 1))


args = sys.argv[1:]
if args[:1] == ["--check"]:
    if len(args) > 2:
        usage("--check takes at most one version")
    expected = args[1] if len(args) == 2 else None
    if expected is not None and not SEMVER.match(expected):
        usage(f"'{expected}' is not a version (X.Y.Z or X.Y.Z-pre)")
    sys.exit(check(expected))
if len(args) != 1 or args[0].startswith("-"):
    usage("give one version")
if not SEMVER.match(args[0]):
    usage(f"'{args[0]}' is not a version (X.Y.Z or X.Y.Z-pre, no leading v, no build metadata)")
write(args[0])
sys.exit(check(args[0]))
PY
