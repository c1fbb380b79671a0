//! The lines of stdin for the bulk commands (`check-ibans`, `check-references`,
//! `check-qr-bills`), each held within a bound: an endless line (a binary file piped in by
//! mistake) is cut at the bound and the rest of it skipped, instead of filling memory.

use std::io::{BufRead, Read};

use anyhow::Context;

/// Each line of `input` without its `\n` or `\r\n`, at most `max_bytes` of it (cut at a
/// character boundary); an error for a line that is not UTF-8 ends the lines.
pub fn bounded_lines(
    mut input: impl BufRead,
    max_bytes: usize,
) -> impl Iterator<Item = anyhow::Result<String>> {
    let mut number = 0usize;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed {
            return None;
        }
        number += 1;
        let line = read_line(&mut input, max_bytes)
            .transpose()?
            .and_then(|bytes| {
                String::from_utf8(bytes).with_context(|| format!("line {number} is not UTF-8 text"))
            });
        failed = line.is_err();
        Some(line)
    })
}

/// One line's first `max_bytes` (the rest skipped), or `None` at the end of the input.
fn read_line(input: &mut impl BufRead, max_bytes: usize) -> anyhow::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    // Room for the line, its `\r\n`, and one byte to see that it is longer.
    let mut line_and_one_more = Read::take(&mut *input, max_bytes as u64 + 3);
    if line_and_one_more.read_until(b'\n', &mut buf)? == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    } else if buf.len() > max_bytes {
        // Skip to the end of this line, a buffer at a time.
        loop {
            let chunk = input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    input.consume(i + 1);
                    break;
                }
                None => {
                    let n = chunk.len();
                    input.consume(n);
                }
            }
        }
    }
    if buf.len() > max_bytes {
        buf.truncate(max_bytes);
        // Never cut a character in two.
        let valid = match std::str::from_utf8(&buf) {
            Ok(_) => buf.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => buf.len(),
        };
        buf.truncate(valid);
    }
    Ok(Some(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str, max: usize) -> Vec<String> {
        bounded_lines(input.as_bytes(), max)
            .map(|l| l.unwrap())
            .collect()
    }

    #[test]
    fn lines_end_with_lf_or_crlf_and_long_ones_are_cut_and_skipped() {
        assert_eq!(lines("a\r\nbc\n\nd", 8), ["a", "bc", "", "d"]);
        assert_eq!(lines("abcdefghij\nk\n", 4), ["abcd", "k"]);
        assert_eq!(lines("abcd\r\nk", 4), ["abcd", "k"]);
        // "é" is two bytes: the cut falls before it, not through it.
        assert_eq!(lines("abcé\nx", 4), ["abc", "x"]);
        assert!(lines("", 4).is_empty());
    }

    #[test]
    fn a_line_that_is_not_utf8_ends_the_lines_with_its_number() {
        let got: Vec<_> = bounded_lines(&b"ok\n\xff\xfe\nlater\n"[..], 8).collect();
        assert_eq!(got.len(), 2);
        assert!(got[1].as_ref().unwrap_err().to_string().contains("line 2"));
    }
}
