//! `ibanforge-mcp check-references` and `check-qr-bills`: the payment engine over stdin, one
//! verdict per line — for bulk checks and for comparing the engine with other libraries.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::stdin_lines::bounded_lines;
use crate::engine::payment_reference::{self, Scheme};
use crate::engine::qr_bill::MAX_PAYLOAD_BYTES;
use crate::tools::args::MAX_STRING_CHARS;

/// Reads `SCHEME<TAB>REFERENCE` lines (`-` for no scheme) and prints
/// `SCHEME<TAB>valid|invalid|undecided<TAB>error<TAB>variant=0|1,…` for each.
pub fn references() -> anyhow::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // Bounded like the tool input (the scheme name and a tab besides).
    for line in bounded_lines(std::io::stdin().lock(), 4 * MAX_STRING_CHARS + 16) {
        let line = line?;
        let (name, reference) = line.split_once('\t').unwrap_or(("-", &line));
        let scheme = match name {
            "-" => None,
            n => Some(Scheme::from_name(n).with_context(|| {
                format!("unknown scheme `{n}`: use one of rf, ch_qrr, be_ogm, fi_ref, no_kid, se_ocr or -")
            })?),
        };
        // Bounded like the tool input.
        let reference: String = reference.chars().take(MAX_STRING_CHARS).collect();
        let c = payment_reference::check(&reference, scheme);
        let variants: Vec<String> = c
            .variants
            .iter()
            .map(|v| format!("{}={}", v.variant, u8::from(v.passes)))
            .collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            c.scheme.map_or("-", Scheme::name),
            match c.valid {
                Some(true) => "valid",
                Some(false) => "invalid",
                None => "undecided",
            },
            c.error.as_ref().map_or("-", |e| e.0.code()),
            if variants.is_empty() {
                "-".to_string()
            } else {
                variants.join(",")
            }
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads one JSON string (a QR-bill payload) per line and prints
/// `valid|invalid<TAB>FIELD:code,…<TAB>FIELD:code,…` (errors, then warnings; `-` for none).
pub fn qr_bills() -> anyhow::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // Bounded like the tool input (a few times the 997 bytes a QR code can hold); a longer
    // line is cut, so it no longer reads as a JSON string and is refused below.
    for line in bounded_lines(std::io::stdin().lock(), 8 * MAX_PAYLOAD_BYTES) {
        let line = line?;
        let payload: String =
            serde_json::from_str(&line).context("each line must be one JSON string")?;
        let c = crate::engine::check_qr_bill(&payload);
        let list = |issues: &[crate::engine::qr_bill::Issue]| {
            if issues.is_empty() {
                "-".to_string()
            } else {
                issues
                    .iter()
                    .map(|i| format!("{}:{}", i.field, i.rule))
                    .collect::<Vec<_>>()
                    .join(",")
            }
        };
        writeln!(
            out,
            "{}\t{}\t{}",
            if c.valid { "valid" } else { "invalid" },
            list(&c.errors),
            list(&c.warnings)
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
