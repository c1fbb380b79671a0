"""Copy the Dockerfile's build context into a directory: the repository's files (tracked, or
untracked and not ignored by git) that `.dockerignore` lets through, as Docker decides it
(each pattern matches a path or any directory above it; `*` and `?` stop at `/`, `**` does
not; a `!` pattern lets a path back in; the last pattern that matches wins).

Docker cannot run here, so the test command builds the binary from this copy with the
Dockerfile's build command: a file the build needs but the context leaves out fails there, as
it would fail `docker build`. Standard library only.

  docker_context.py DIR      (prints how many files it copied)
"""

import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def rules(text):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        pattern = line[1:].strip() if include else line
        pattern = pattern.strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**", i):
                regex += ".*"
                i += 2
            elif pattern[i] == "*":
                regex += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                regex += "[^/]"
                i += 1
            else:
                regex += re.escape(pattern[i])
                i += 1
        out.append((include, re.compile(regex + r"\Z")))
    return out


def excluded(path, patterns):
    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    verdict = False
    for include, regex in patterns:
        if any(regex.match(p) for p in prefixes):
            verdict = not include
    return verdict


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    dest = pathlib.Path(sys.argv[1])
    patterns = rules((ROOT / ".dockerignore").read_text(encoding="utf-8"))
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    copied = 0
    for path in filter(None, listed):
        source = ROOT / path
        if not source.is_file() or excluded(path, patterns):
            continue
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    print(f"docker context: {copied} files")


if __name__ == "__main__":
    main()
