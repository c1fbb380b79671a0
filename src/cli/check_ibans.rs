//! `ibanforge-mcp check-ibans`: the embedded engine over stdin, one verdict per line on
//! stdout — for bulk checks and for comparing the engine with other validators.

use std::io::Write;
use std::process::ExitCode;

use super::stdin_lines::bounded_lines;
use crate::config::Settings;
use crate::engine::iban::ValidateOptions;
use crate::tools::args::MAX_STRING_CHARS;

/// Prints `IBAN<TAB>valid|invalid<TAB>error<TAB>national` for each line.
pub fn run(settings: &Settings) -> anyhow::Result<ExitCode> {
    let options = ValidateOptions {
        aspirational: settings.aspirational,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // Bounded like the tool input: nothing longer is an IBAN.
    for line in bounded_lines(std::io::stdin().lock(), 4 * MAX_STRING_CHARS) {
        let line = line?;
        let input: String = line.chars().take(MAX_STRING_CHARS).collect();
        let check = crate::engine::validate_iban(&input, options);
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            check.iban,
            if check.valid() { "valid" } else { "invalid" },
            check.error.as_ref().map_or("-", |e| e.0.code()),
            check.national.as_ref().map_or("-", |n| n.status())
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A reader that stopped reading (`check-ibans | head`) ends the output quietly.
pub fn quiet_on_broken_pipe(result: anyhow::Result<ExitCode>) -> anyhow::Result<ExitCode> {
    match result {
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(ExitCode::SUCCESS)
        }
        other => other,
    }
}
