"""Differential test of the payment-reference and QR-bill engine against independent libraries.

References: thousands of generated references per scheme — valid ones made by the other
library's own check-digit routine, and broken ones (one digit substituted, two adjacent
characters swapped) — are checked by this engine (`ibanforge-mcp check-references`) and by
python-stdnum (`iso11649`, `ch.esr`, `be.ogm_vcs`, `luhn`), norwegian-numbers (KID MOD10 /
MOD11) and finnish-bank-utils (npm, run by node from tests/differential/finnish). Every verdict must agree; for KID and OCR each variant's verdict must agree.

QR-bills: random valid bills are made by the `qrbill` package (structured addresses, QR-IBAN
with a QR reference, ordinary IBAN with SCOR or none, amounts, debtors, messages, bill
information, alternative schemes). Each must be valid here; then for every rule the checker
knows, an otherwise valid payload is broken in exactly that rule, and the checker must report
exactly that one error (`ibanforge-mcp check-qr-bills`).

    python tests/differential/payments.py --binary target/debug/ibanforge-mcp
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys

import norwegian_numbers
from qrbill import QRBill
from stdnum import iso11649, luhn
from stdnum.be import ogm_vcs
from stdnum.ch import esr
from stdnum.iso7064 import mod_97_10

SEED = 20261205
PER_SCHEME = 3000


def run(binary: str, command: str, lines: list[str]) -> list[str]:
    out = subprocess.run(
        [binary, command], input="\n".join(lines) + "\n", capture_output=True, text=True,
        check=True, timeout=300,
    ).stdout.splitlines()
    assert len(out) == len(lines), (command, len(out), len(lines))
    return out


def broken(rng: random.Random, s: str, alphabet: str) -> str:
    """One substitution or one adjacent transposition (never the RF prefix)."""
    start = 2 if s.startswith("RF") else 0
    while True:
        i = rng.randrange(start, len(s))
        if rng.random() < 0.5 and i + 1 < len(s):
            t = s[:i] + s[i + 1] + s[i] + s[i + 2:]
        else:
            t = s[:i] + rng.choice(alphabet) + s[i + 1:]
        if t != s:
            return t


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def reference_corpus(rng: random.Random) -> list[tuple[str, str, object]]:
    """(scheme, reference, expected) with expected from the other library."""
    corpus: list[tuple[str, str, object]] = []
    alnum = string.ascii_uppercase + string.digits
    for _ in range(PER_SCHEME):
        body = "".join(rng.choice(alnum) for _ in range(rng.randint(1, 21)))
        rf = "RF" + mod_97_10.calc_check_digits(body + "RF") + body
        for r in (rf, broken(rng, rf, alnum)):
            corpus.append(("rf", r, iso11649.is_valid(r)))
        qrr = digits(rng, 26)
        qrr += esr.calc_check_digit(qrr)
        for r in (qrr, broken(rng, qrr, string.digits)):
            corpus.append(("ch_qrr", r, esr.is_valid(r)))
        ogm = digits(rng, 10)
        ogm += ogm_vcs.calc_check_digits(ogm)
        for r in (ogm, broken(rng, ogm, string.digits)):
            corpus.append(("be_ogm", r, ogm_vcs.is_valid(r)))
        # KID: 1-24 digits of body (no leading zero: the library reads it as an integer).
        base = str(rng.randint(1, 9)) + digits(rng, rng.randint(0, 23))
        for mode in ("MOD10", "MOD11"):
            kid = norwegian_numbers.make_kid_number(base, mode)
            for r in (kid, broken(rng, kid.rstrip("-") or kid, string.digits) + ("-" if kid.endswith("-") else "")):
                expected = tuple(norwegian_numbers.verify_kid_number(r, m) for m in ("MOD10", "MOD11"))
                corpus.append(("no_kid", r, expected))
        ocr = str(rng.randint(1, 9)) + digits(rng, rng.randint(0, 23))
        ocr += luhn.calc_check_digit(ocr)
        for r in (ocr, broken(rng, ocr, string.digits)):
            corpus.append(("se_ocr", r, luhn.is_valid(r)))
    return corpus


FINNISH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "finnish")


def finnish_corpus(rng: random.Random) -> list[tuple[str, str, object]]:
    """Finnish references made and judged by finnish-bank-utils (node, tests/differential/finnish)."""
    bases = [str(rng.randint(1, 9)) + digits(rng, rng.randint(2, 18)) for _ in range(PER_SCHEME)]
    made = json.loads(subprocess.run(
        ["node", "check.js"], cwd=FINNISH, input=json.dumps({"generate": bases, "check": []}),
        capture_output=True, text=True, check=True, timeout=120).stdout)["generated"]
    refs = [r for ref in made for r in (ref, broken(rng, ref, string.digits))]
    valid = json.loads(subprocess.run(
        ["node", "check.js"], cwd=FINNISH, input=json.dumps({"generate": [], "check": refs}),
        capture_output=True, text=True, check=True, timeout=120).stdout)["valid"]
    return [("fi_ref", r, v) for r, v in zip(refs, valid)]


def check_references(binary: str, rng: random.Random) -> int:
    corpus = reference_corpus(rng) + finnish_corpus(rng)
    out = run(binary, "check-references", [f"{s}\t{r}" for s, r, _ in corpus])
    counts: dict[str, list[int]] = {}
    bad = []
    lenient_rf: list[str] = []
    for (scheme, ref, expected), line in zip(corpus, out):
        _, verdict, error, variants = line.split("\t")
        if scheme == "no_kid":
            flags = dict(v.split("=") for v in variants.split(",")) if variants != "-" else {}
            ours = (flags.get("mod10") == "1", flags.get("mod11") == "1")
        elif scheme == "se_ocr":
            flags = dict(v.split("=") for v in variants.split(",")) if variants != "-" else {}
            ours = flags.get("luhn") == "1"
        else:
            ours = verdict == "valid"
        if scheme == "rf" and not ref[2:4].isdigit():
            # ISO 11649 check digits are two digits; python-stdnum only runs mod 97 and so
            # accepts letters there. Counted, not compared: this engine is the stricter one.
            lenient_rf.append(ref)
            assert error == "invalid_format", line
            continue
        c = counts.setdefault(scheme, [0, 0])
        c[0] += 1
        if ours == expected:
            c[1] += 1
        else:
            bad.append((scheme, ref, line, expected))
    for scheme, (n, agree) in counts.items():
        print(f"references {scheme}: {agree}/{n} agree")
    print(f"references rf with letters as check digits (python-stdnum accepts, ISO 11649 does not): {len(lenient_rf)}")
    for b in bad[:20]:
        print("DISAGREE", b)
    return len(bad)


def ch_iban(rng: random.Random, qr: bool) -> str:
    iid = str(rng.randint(30000, 31999)) if qr else rng.choice(["00762", "00230", "08390", "00700"])
    bban = iid + digits(rng, 12)
    return "CH" + mod_97_10.calc_check_digits(bban + "CH") + bban


def address(rng: random.Random) -> dict:
    return {
        "name": rng.choice(["Robert Schneider AG", "Pia-Maria Rutschmann-Schnyder", "Zoë Müller", "Ștefan Țurcan"]),
        "street": rng.choice(["Rue du Lac", "Grosse Marktgasse", "Bahnhofstrasse", ""]),
        "house_num": rng.choice(["1268", "28", "12a", ""]),
        "pcode": rng.choice(["2501", "9400", "8001", "FL-9490"]),
        "city": rng.choice(["Biel", "Rorschach", "Zürich", "Vaduz"]),
        "country": rng.choice(["CH", "LI", "DE", "FR"]),
    }


def make_bill(rng: random.Random) -> tuple[list[str], str]:
    qr = rng.random() < 0.5
    kind = "QRR" if qr else rng.choice(["SCOR", "NON"])
    if kind == "QRR":
        ref = digits(rng, 26)
        ref += esr.calc_check_digit(ref)
    elif kind == "SCOR":
        body = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.randint(1, 21)))
        ref = "RF" + mod_97_10.calc_check_digits(body + "RF") + body
    else:
        ref = None
    bill = QRBill(
        account=ch_iban(rng, qr),
        creditor=address(rng),
        amount=rng.choice([None, "0.01", "1949.75", "999999999.99", str(rng.randint(1, 10**6)) + ".05"]),
        currency=rng.choice(["CHF", "EUR"]),
        debtor=rng.choice([None, address(rng)]),
        reference_number=ref,
        additional_information=rng.choice(["", "Order of 15 June 2020", "Rechnung Nr. 3139 für Gartenarbeit"]),
        billing_information=rng.choice(["", "//S1/10/10201409/11/200701/20/140.000-53"]),
        alt_procs=rng.choice([(), ("Name AV1: UV;UltraPay005;12345",), ("eBill/B/x@example.com", "Name AV2: XY;XYService;54321")]),
    )
    data = bill.qr_data()
    return data.split("\r\n"), kind


# Each rule and how to break exactly it in an otherwise valid payload (elements, reference kind).
def breakers():
    def at(i, v):
        def f(el, kind):
            el[i] = v
            return el
        return f
    def too_long_payload(el, kind):
        # Latin-1 letters are two UTF-8 bytes: all fields within their character limits.
        el[5] = "ä" * 70
        el[6] = "ö" * 70
        el[20:27] = ["S", "ü" * 70, "é" * 70, "1", "9400", "t" * 35, "CH"]
        el[29] = "m" * 40
        el[30:] = ["EPD", "", "à" * 100, "è" * 100]
        return el
    def qrr_with_plain(el, kind):
        el[3] = "CH5800791123000889012"
        el[27], el[28] = "QRR", "210000000003139471430009017"
        return el
    def scor_with_qr(el, kind):
        el[3] = "CH4431999123000889012"
        el[27], el[28] = "SCOR", "RF18539007547034"
        return el
    def non_with_ref(el, kind):
        el[3] = "CH5800791123000889012"
        el[27], el[28] = "NON", "RF18539007547034"
        return el
    def bad_qrr(el, kind):
        el[3] = "CH4431999123000889012"
        el[27], el[28] = "QRR", "210000000003139471430009016"
        return el
    def combined(el, kind):
        el[4:11] = ["K", "Robert Schneider AG", "Rue du Lac 1268", "2501 Biel", "", "", "CH"]
        return el
    def third_scheme(el, kind):
        el[31:] = ["", "a", "b", "c"]
        return el
    def too_few(el, kind):
        return el[:30]
    def info_too_long(el, kind):
        el[29] = "m" * 100
        el[30:] = ["EPD", "//" + "b" * 50] + el[32:]
        return el
    def bad_iban_check(el, kind):
        # The last digit changed: mod 97 fails, nothing else does (an IBAN invalid in itself
        # has no kind, so no pairing rule is judged).
        el[3] = el[3][:-1] + str((int(el[3][-1]) + 1) % 10)
        return el
    def lone_cr(el, kind):
        # A carriage return with no line feed after it, at the end of the message.
        el[29] = el[29] + "\r"
        return el
    return [
        ("CdtrInf.IBAN:invalid_iban", bad_iban_check),
        ("payload:invalid_separator", lone_cr),
        ("Header.QRType:invalid_qr_type", at(0, "SPX")),
        ("Header.Version:unsupported_version", at(1, "0100")),
        ("Header.Coding:invalid_coding", at(2, "2")),
        ("CdtrInf.IBAN:iban_not_ch_li", at(3, "DE89370400440532013000"[:21])),
        ("Cdtr.AdrTp:invalid_address_type", at(4, "X")),
        ("Cdtr.AdrTp:combined_address_refused", combined),
        ("Cdtr.Name:missing_field", at(5, "")),
        ("Cdtr.Name:too_long", at(5, "n" * 71)),
        ("Cdtr.StrtNmOrAdrLine1:too_long", at(6, "s" * 71)),
        ("Cdtr.BldgNbOrAdrLine2:too_long", at(7, "1" * 17)),
        ("Cdtr.PstCd:missing_field", at(8, "")),
        ("Cdtr.PstCd:too_long", at(8, "1" * 17)),
        ("Cdtr.TwnNm:missing_field", at(9, "")),
        ("Cdtr.TwnNm:too_long", at(9, "t" * 36)),
        ("Cdtr.Ctry:missing_field", at(10, "")),
        ("Cdtr.Ctry:invalid_country", at(10, "XX")),
        ("Cdtr.Name:invalid_character", at(5, "Robert ✓ AG")),
        ("UltmtCdtr.Name:must_be_empty", at(12, "Someone")),
        ("CcyAmt.Amt:invalid_amount", at(18, "1949.7")),
        ("CcyAmt.Amt:amount_out_of_range", at(18, "0.00")),
        ("CcyAmt.Ccy:missing_field", at(19, "")),
        ("CcyAmt.Ccy:invalid_currency", at(19, "USD")),
        ("RmtInf.Tp:invalid_reference_type", at(27, "XYZ")),
        ("RmtInf.Tp:qrr_requires_qr_iban", qrr_with_plain),
        ("RmtInf.Tp:qr_iban_requires_qrr", scor_with_qr),
        ("RmtInf.Ref:must_be_empty", non_with_ref),
        ("RmtInf.Ref:invalid_reference", bad_qrr),
        ("RmtInf.AddInf.Ustrd:too_long", at(29, "m" * 141)),
        ("RmtInf.AddInf.Ustrd:additional_information_too_long", info_too_long),
        ("RmtInf.AddInf.Trailer:invalid_trailer", at(30, "END")),
        ("payload:too_few_elements", too_few),
        ("payload:too_many_elements", third_scheme),
        ("payload:payload_too_long", too_long_payload),
    ]


# The rules reported as warnings (the bill stays valid), and how to break exactly each.
def warning_breakers():
    def with_bill_information(el, value):
        el = el + [""] * max(0, 32 - len(el))
        el[31] = value
        return el
    def trailing(el, kind):
        return el + [""]
    def bill_information(el, kind):
        return with_bill_information(el, "S1/10/10201409")
    def empty_scheme(el, kind):
        el = with_bill_information(el, el[31] if len(el) > 31 else "")
        return el[:32] + ["", "Name AV2: XY;XYService;54321"]
    return [
        ("payload:trailing_separator", trailing),
        ("RmtInf.AddInf.StrdBkgInf:bill_information_format", bill_information),
        ("AltPmtInf.AltPmt[1]:empty_alternative_scheme", empty_scheme),
    ]


def check_bills(binary: str, rng: random.Random, n: int) -> int:
    bills = [make_bill(rng) for _ in range(n)]
    payloads = ["\r\n".join(el) for el, _ in bills]
    failures = 0
    out = run(binary, "check-qr-bills", [json.dumps(p) for p in payloads])
    valid = sum(line.startswith("valid\t") for line in out)
    print(f"qr-bills made by qrbill: {valid}/{len(out)} valid here")
    for p, line in zip(payloads, out):
        if not line.startswith("valid\t"):
            failures += 1
            print("DISAGREE valid bill", json.dumps(p), line)
    cases, expected = [], []
    for code, breaker in breakers():
        for el, kind in bills:
            cases.append("\r\n".join(breaker(list(el) + [""] * (34 - len(el)) if code.startswith("payload:too_many") or code.startswith("payload:payload_too") else list(el), kind)))
            expected.append(code)
    out = run(binary, "check-qr-bills", [json.dumps(c) for c in cases])
    per_rule: dict[str, list[int]] = {}
    for payload, code, line in zip(cases, expected, out):
        verdict, errors, _ = line.split("\t")
        r = per_rule.setdefault(code, [0, 0])
        r[0] += 1
        if verdict == "invalid" and errors == code:
            r[1] += 1
        else:
            failures += 1
            if failures < 20:
                print("DISAGREE", code, json.dumps(payload), line)
    cases, expected = [], []
    for code, breaker in warning_breakers():
        for el, kind in bills:
            cases.append("\r\n".join(breaker(list(el), kind)))
            expected.append(code)
    out = run(binary, "check-qr-bills", [json.dumps(c) for c in cases])
    for payload, code, line in zip(cases, expected, out):
        verdict, errors, warnings = line.split("\t")
        r = per_rule.setdefault(code + " (warning)", [0, 0])
        r[0] += 1
        if verdict == "valid" and errors == "-" and warnings == code:
            r[1] += 1
        else:
            failures += 1
            if failures < 20:
                print("DISAGREE", code, json.dumps(payload), line)
    for code, (total, ok) in per_rule.items():
        print(f"rule {code}: {ok}/{total} broken payloads report exactly it")
    return failures


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    args = ap.parse_args()
    rng = random.Random(SEED)
    failures = check_references(args.binary, rng)
    failures += check_bills(args.binary, rng, 200)
    print("payments differential:", "OK" if not failures else f"{failures} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
