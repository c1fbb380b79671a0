#!/usr/bin/env bash
# Engine speed, in one run on this machine: this engine against iban_validation_rs and
# iban_validate on the same corpus (benches/engine.rs). Prints ns/IBAN (median) and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo bench --quiet --bench engine 2>/dev/null)
echo "$out" >&2
python3 - "$out" <<'PY'
import re, sys
text = sys.argv[1]
n = int(re.search(r"corpus: (\d+) IBANs", text).group(1))
unit = {"ns": 1, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
med = {}
for line in text.splitlines():
    m = re.match(r"[│├╰─ ]*(\w+)\s+([\d.]+) (\w+)\s+│\s+([\d.]+) (\w+)\s+│\s+([\d.]+) (\w+)", line)
    if m:
        med[m.group(1)] = float(m.group(6)) * unit[m.group(7)] / n
base = med["iban_validation_rs"]
print(f"\ncorpus: {n} IBANs (every registry country, valid and one-character-changed)")
print(f"{'validator':36} {'ns/IBAN':>9} {'vs iban_validation_rs':>22}")
for name in ["ibanforge_structure_and_mod97", "iban_validation_rs", "iban_validate", "ibanforge_structure_with_details", "ibanforge_full_answer_fields"]:
    print(f"{name:36} {med[name]:9.1f} {med[name] / base:21.2f}x")
PY
