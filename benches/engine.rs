//! Engine speed against the two open Rust IBAN validators, on one corpus, in one run.
//!
//! `bash scripts/bench-engine.sh` runs this and prints ns/IBAN and the ratios. Each benchmark
//! validates the whole corpus once per iteration: a valid IBAN of every registry country
//! (national check digits included), and the same IBANs with one character changed.

use std::sync::LazyLock;

use ibanforge_mcp::engine::iban::{self, ValidateOptions};
use ibanforge_mcp::engine::{registry, validate_iban};

fn main() {
    // The script divides each median by this.
    println!("corpus: {} IBANs", CORPUS.len());
    divan::main();
}

/// The corpus: deterministic, ~50 % valid.
static CORPUS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut out = Vec::new();
    let mut x: u64 = 0x2026_1125;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as u32
    };
    for round in 0..40 {
        for spec in registry::all().iter().filter(|s| !s.aspirational) {
            // A valid IBAN of this layout (random BBANs until the national rule passes).
            let valid = (0..10_000).find_map(|_| {
                let bban: String = spec
                    .bban_classes
                    .iter()
                    .map(|&c| {
                        let r = next();
                        match c {
                            b'n' => char::from(b'0' + (r % 10) as u8),
                            b'a' => char::from(b'A' + (r % 26) as u8),
                            _ if r % 2 == 0 => char::from(b'0' + (r % 10) as u8),
                            _ => char::from(b'A' + (r % 26) as u8),
                        }
                    })
                    .collect();
                let candidate = format!(
                    "{}{}{bban}",
                    spec.code,
                    iban::compute_check_digits(spec.code, &bban)?
                );
                validate_iban(&candidate, ValidateOptions::default())
                    .valid()
                    .then_some(candidate)
            });
            let Some(valid) = valid else { continue };
            let mut broken = valid.clone().into_bytes();
            let i = 4 + (round + next() as usize) % (broken.len() - 4);
            broken[i] = if broken[i] == b'7' { b'3' } else { b'7' };
            out.push(valid);
            out.push(String::from_utf8(broken).expect("ASCII"));
        }
    }
    out
});

#[divan::bench]
fn ibanforge_structure_and_mod97() -> usize {
    CORPUS
        .iter()
        .filter(|s| iban::quick_check(divan::black_box(s), ValidateOptions::default()).is_ok())
        .count()
}

/// The full local validation a tool answer is built from: every detail as owned strings,
/// national check digits, and for German IBANs the bank directory lookup.
#[divan::bench]
fn ibanforge_full_answer_fields() -> usize {
    CORPUS
        .iter()
        .filter(|s| validate_iban(divan::black_box(s), ValidateOptions::default()).valid())
        .count()
}

#[divan::bench]
fn ibanforge_structure_with_details() -> usize {
    CORPUS
        .iter()
        .filter(|s| {
            iban::validate_structure(divan::black_box(s), ValidateOptions::default()).valid()
        })
        .count()
}

#[divan::bench]
fn iban_validation_rs() -> usize {
    CORPUS
        .iter()
        .filter(|s| iban_validation_rs::validate_iban_str(divan::black_box(s)).is_ok())
        .count()
}

#[divan::bench]
fn iban_validate() -> usize {
    CORPUS
        .iter()
        .filter(|s| divan::black_box(s).parse::<::iban::Iban>().is_ok())
        .count()
}
