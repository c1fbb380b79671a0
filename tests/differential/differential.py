"""Differential test of the offline engine against schwifty and python-stdnum.

A deterministic corpus of >= 100,000 IBANs — the packaged registry examples, random valid IBANs
for every registry country (schwifty's own generator: real bank codes, national check digits),
single-character substitutions, adjacent transpositions and wrong lengths — is validated by
this engine (`ibanforge-mcp check-ibans`), by schwifty 2026.10.1 and by python-stdnum.

Agreement is reported per country. Where both sides say invalid, the error KINDS are compared
too wherever the other library's exception maps onto one (length, structure, checksum,
national, country; see KINDS): relabelling a wrong length as a checksum failure is a
disagreement. Every disagreement falls into a class (country, other validator, our verdict or
error, theirs); every class must be listed, with its reason, in `disagreements.tsv` beside this
file, and every listed class must still occur with the listed count. A new or changed
disagreement therefore fails the test until someone looks at it and writes down who is right.

Registry countries schwifty's generator cannot make random IBANs for are pinned in
UNGENERATABLE: a country silently dropping out of the corpus fails the test.

    python tests/differential/differential.py --binary target/debug/ibanforge-mcp [--write]

`--write` rewrites disagreements.tsv with the current counts; a class that is new or whose
count changed is written as UNREVIEWED (with the old reason quoted), so the test keeps failing
until someone reviews it.
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

# Registry countries schwifty 2026.10.1's generator raises on, and why. Pinned: a change
# either way fails the test.
UNGENERATABLE: dict[str, str] = {}

# What each error means, as one of: length, structure, checksum, national, country. Our codes
# map to exactly one; another library's exception to every kind it can mean given the order
# it checks in (schwifty: characters, length, layout, mod-97, national — the engine's order). An exception not
# listed (e.g. schwifty's InvalidBankCode: a bank code missing from its registry, which this
# engine reports in bank_code_check instead of rejecting) is not compared.
OUR_KIND = {
    "invalid_format": "structure",
    "invalid_bban_structure": "structure",
    "wrong_length": "length",
    "invalid_check_digits": "checksum",
    "checksum_failed": "checksum",
    "national_check_failed": "national",
    "unsupported_country": "country",
}
KINDS = {
    "schwifty": {
        "InvalidLength": {"length"},
        "InvalidStructure": {"structure"},
        "InvalidChecksumDigits": {"checksum"},
        "InvalidBBANChecksum": {"national"},
        "InvalidCountryCode": {"country"},
        "aspirational": {"country"},
    },
    # python-stdnum checks mod-97 first and only then the country (InvalidComponent: an unknown
    # code, or a Belgian bank code missing from its own list, so not compared) and the layout
    # regex (which covers the length): its exception is whatever failed first in that order.
    "stdnum": {
        "InvalidLength": {"length"},
        "InvalidFormat": {"structure", "length"},
        # Also raised by its per-country modules for national check digits (BE, ES, NO, ...).
        "InvalidChecksum": {"length", "structure", "checksum", "national"},
    },
}


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
    failed: dict[str, str] = {}
    for code in registry_codes():
        for _ in range(RANDOM_PER_COUNTRY):
            try:
                valid.append(str(IBAN.random(country_code=code, random=rng).compact))
            except Exception as e:  # pinned in UNGENERATABLE, checked below
                failed[code] = f"{type(e).__name__}: {e}"
                break
    if set(failed) != set(UNGENERATABLE):
        raise SystemExit(
            "schwifty's generator cannot make IBANs for "
            f"{sorted(failed.items())}; pinned in UNGENERATABLE: {sorted(UNGENERATABLE)}. "
            "A country must not drop out of the corpus silently: update UNGENERATABLE with the reason"
        )
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
    parser.add_argument("--write", action="store_true",
                        help="rewrite disagreements.tsv; new or changed classes are marked UNREVIEWED")
    args = parser.parse_args()

    ibans = corpus()
    mine = ours(args.binary, ibans)
    per_country = collections.defaultdict(lambda: [0, 0, 0])  # total, agree schwifty, agree stdnum
    kinds_compared = collections.Counter()
    kinds_agreed = collections.Counter()
    classes: dict[tuple[str, str, str, str], list] = {}
    for iban, (ok, err) in zip(ibans, mine):
        country = iban[:2] if len(iban) >= 2 and iban[:2].isalpha() else "??"
        stats = per_country[country]
        stats[0] += 1
        for index, (name, verdict) in enumerate((("schwifty", schwifty_verdict), ("stdnum", stdnum_verdict)), start=1):
            their_ok, their_err = verdict(iban)
            if their_ok == ok:
                stats[index] += 1
                if ok or their_err not in KINDS[name]:
                    continue
                kinds_compared[name] += 1
                if OUR_KIND[err] in KINDS[name][their_err]:
                    kinds_agreed[name] += 1
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
    for name in KINDS:
        print(f"error kinds, both invalid and comparable: {name} {kinds_agreed[name]} of {kinds_compared[name]} agree")

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
                old = listed.get(key)
                if old is None:
                    reason = "UNREVIEWED (new class)"
                elif int(old[4]) != count or old[6].startswith("UNREVIEWED"):
                    # A changed count may hide a new cause: the old reason is quoted, not kept.
                    previous = old[6].split("previous reason: ", 1)[-1].rstrip(")") if old[6].startswith("UNREVIEWED") else old[6]
                    reason = f"UNREVIEWED (count was {old[4]}; previous reason: {previous})"
                else:
                    reason = old[6]
                f.write("\t".join([*key, str(count), example, reason]) + "\n")
        print(f"wrote {listed_file}")
        return 0
    problems = []
    for key, (count, example) in sorted(classes.items()):
        if key not in listed:
            problems.append(f"new disagreement {key}: {count}, e.g. {example}")
        elif listed[key][6].strip() == "" or listed[key][6].startswith("UNREVIEWED"):
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
