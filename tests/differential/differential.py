"""Differential test of the offline engine against schwifty and python-stdnum.

A deterministic corpus of >= 100,000 IBANs — the packaged registry examples, random valid IBANs
for every registry country (schwifty's own generator: real bank codes, national check digits),
single-character substitutions, adjacent transpositions and wrong lengths — is validated by
this engine (`ibanforge-mcp check-ibans`), by schwifty 2026.10.1 and by python-stdnum.

Agreement is reported per country. Every disagreement falls into a class (country, other
validator, our verdict, theirs); every class must be listed, with its reason, in
`disagreements.tsv` beside this file, and every listed class must still occur. A new
disagreement therefore fails the test until someone looks at it and writes down who is right.

    python tests/differential/differential.py --binary target/debug/ibanforge-mcp [--write]
"""

from __future__ import annotations

import argparse
import collections
import csv
import random
import subprocess
import sys
import warnings
from pathlib import Path

import schwifty
import stdnum
from schwifty import IBAN
from stdnum import iban as stdnum_iban

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SEED = 20261125
RANDOM_PER_COUNTRY = 300


def registry_codes() -> list[str]:
    codes = []
    for line in (ROOT / "data/iban_registry.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[11] == "0":  # not aspirational
            codes.append(cols[0])
    return codes


def corpus() -> list[str]:
    rng = random.Random(SEED)
    ibans: list[str] = []
    for line in (ROOT / "data/iban_examples.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        ibans.append(line.split("\t")[1])
    valid: list[str] = []
    for code in registry_codes():
        for _ in range(RANDOM_PER_COUNTRY):
            try:
                valid.append(str(IBAN.random(country_code=code, random=rng).compact))
            except Exception:  # schwifty cannot generate every territory: skip those
                break
    ibans += valid
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for iban in valid:
        i = rng.randrange(4, len(iban))
        ibans.append(iban[:i] + rng.choice(alphabet.replace(iban[i], "")) + iban[i + 1 :])
        j = rng.randrange(4, len(iban) - 1)
        if iban[j] != iban[j + 1]:
            ibans.append(iban[:j] + iban[j + 1] + iban[j] + iban[j + 2 :])
        if rng.random() < 0.5:
            ibans.append(iban[:-1])
        else:
            ibans.append(iban + rng.choice("0123456789"))
    # Pad with more random valid IBANs and their mutations until the corpus is large enough.
    while len(ibans) < 100_000:
        base = rng.choice(valid)
        i = rng.randrange(4, len(base))
        ibans.append(base[:i] + rng.choice(alphabet) + base[i + 1 :])
    return ibans


def ours(binary: str, ibans: list[str]) -> list[tuple[bool, str]]:
    out = subprocess.run([binary, "check-ibans"], input="\n".join(ibans) + "\n", capture_output=True, text=True, check=True)
    rows = [line.split("\t") for line in out.stdout.splitlines()]
    assert len(rows) == len(ibans), (len(rows), len(ibans))
    return [(r[1] == "valid", r[2]) for r in rows]


def schwifty_verdict(iban: str) -> tuple[bool, str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = IBAN(iban, validate_bban=True)
        if parsed.spec.aspirational:
            return False, "aspirational"
        return True, "-"
    except Exception as e:  # schwifty raises a typed exception per failure
        return False, type(e).__name__


def stdnum_verdict(iban: str) -> tuple[bool, str]:
    try:
        stdnum_iban.validate(iban, check_country=True)
        return True, "-"
    except Exception as e:
        return False, type(e).__name__


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--write", action="store_true", help="rewrite disagreements.tsv counts (reasons are kept)")
    args = parser.parse_args()

    ibans = corpus()
    mine = ours(args.binary, ibans)
    per_country = collections.defaultdict(lambda: [0, 0, 0])  # total, agree schwifty, agree stdnum
    classes: dict[tuple[str, str, str, str], list] = {}
    for iban, (ok, err) in zip(ibans, mine):
        country = iban[:2] if len(iban) >= 2 and iban[:2].isalpha() else "??"
        stats = per_country[country]
        stats[0] += 1
        for index, (name, verdict) in enumerate((("schwifty", schwifty_verdict), ("stdnum", stdnum_verdict)), start=1):
            their_ok, their_err = verdict(iban)
            if their_ok == ok:
                stats[index] += 1
                continue
            key = (country, name, "valid" if ok else f"invalid:{err}", "valid" if their_ok else f"invalid:{their_err}")
            entry = classes.setdefault(key, [0, iban])
            entry[0] += 1

    print(f"corpus: {len(ibans)} IBANs, {len(per_country)} country prefixes; schwifty {schwifty.__version__}, python-stdnum {stdnum.__version__}")
    print("country   total  agree-schwifty  agree-stdnum")
    for country in sorted(per_country):
        total, a1, a2 = per_country[country]
        if a1 != total or a2 != total:
            print(f"{country:>7} {total:7d} {100 * a1 / total:14.2f}% {100 * a2 / total:12.2f}%")
    total = sum(s[0] for s in per_country.values())
    print(f"overall: schwifty {100 * sum(s[1] for s in per_country.values()) / total:.3f}%, "
          f"stdnum {100 * sum(s[2] for s in per_country.values()) / total:.3f}% agreement; "
          f"countries in full agreement with both: {sum(1 for s in per_country.values() if s[1] == s[0] == s[2])}")

    listed_file = HERE / "disagreements.tsv"
    listed: dict[tuple[str, str, str, str], list[str]] = {}
    if listed_file.exists():
        with listed_file.open(encoding="utf-8") as f:
            for row in csv.reader((l for l in f if not l.startswith("#")), delimiter="\t"):
                listed[tuple(row[:4])] = row
    if args.write:
        with listed_file.open("w", encoding="utf-8") as f:
            f.write("# country\tother\tours\ttheirs\tcount\texample\treason (who is right, and why)\n")
            for key in sorted(classes):
                count, example = classes[key]
                reason = listed.get(key, [""] * 7)[6] if key in listed else "UNREVIEWED"
                f.write("\t".join([*key, str(count), example, reason]) + "\n")
        print(f"wrote {listed_file}")
        return 0
    problems = []
    for key, (count, example) in sorted(classes.items()):
        if key not in listed:
            problems.append(f"new disagreement {key}: {count}, e.g. {example}")
        elif listed[key][6].strip() in ("", "UNREVIEWED"):
            problems.append(f"disagreement {key} has no reason written down")
        elif int(listed[key][4]) != count:
            problems.append(f"disagreement {key}: {count} now, {listed[key][4]} listed")
    for key in listed:
        if key not in classes:
            problems.append(f"listed disagreement {key} no longer occurs")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(classes)} disagreement classes, all reviewed" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
