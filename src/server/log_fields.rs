//! How a log line's fields are written: exactly as `tracing-subscriber`'s default
//! formatter writes them, without its cost on the one line every call logs.
//!
//! The default writes each field through `{:?}`: a text field is escaped character by
//! character, and the name and `=` go through colour styling even when colours are off.
//! For the `tool call` line (six fields) that was about a twentieth of a call's whole cost.
//! A field whose text needs no escaping (printable text without `"` or `\`, which is what
//! tool names, modes, reasons and masked inputs are) and a number are written directly,
//! with the same bytes `{:?}` would give. Everything else — the message, an error, a
//! `r#` name, text that needs escaping, any field when colours are on — is handed to the
//! default visitor, so the lines read the same as before in every case.

use std::fmt;

use tracing::field::{Field, Visit};
use tracing_subscriber::field::{RecordFields, VisitOutput};
use tracing_subscriber::fmt::FormatFields;
use tracing_subscriber::fmt::format::{DefaultVisitor, Writer};

/// The field formatter the log subscriber uses (see the module doc).
#[derive(Debug, Default, Clone, Copy)]
pub struct LogFields;

impl<'w> FormatFields<'w> for LogFields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut visitor = FieldVisitor {
            writer,
            is_empty: true,
            result: Ok(()),
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

/// Whether `{:?}` of this text is the text between quotes: nothing in it is escaped.
/// Printable ASCII other than `"` and `\` never is; a character beyond ASCII (the `…` of a
/// masked input) is escaped by `str`'s `Debug` exactly when `char::escape_debug` escapes it
/// (the two differ only in `'`).
fn needs_no_escaping(text: &str) -> bool {
    let plain_ascii = |b: u8| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\';
    if text.bytes().all(plain_ascii) {
        return true;
    }
    text.chars().all(|c| match u8::try_from(c) {
        Ok(b) if b.is_ascii() => plain_ascii(b),
        _ => c.escape_debug().len() == 1,
    })
}

struct FieldVisitor<'w> {
    writer: Writer<'w>,
    /// Nothing written yet: the next field has no space before it.
    is_empty: bool,
    result: fmt::Result,
}

impl FieldVisitor<'_> {
    /// The name of a field this visitor may write itself: not the message, not a raw
    /// identifier, and only while colours are off.
    fn plain_name(&self, field: &Field) -> Option<&'static str> {
        let name = field.name();
        (self.result.is_ok()
            && !self.writer.has_ansi_escapes()
            && name != "message"
            && !name.starts_with("r#"))
        .then_some(name)
    }

    /// `name=`, after a space unless it is the first field.
    fn start(&mut self, name: &str) -> fmt::Result {
        if !std::mem::replace(&mut self.is_empty, false) {
            self.writer.write_char(' ')?;
        }
        self.writer.write_str(name)?;
        self.writer.write_char('=')
    }

    /// A number: `{:?}` and `{}` write integers alike, so it is written directly when the
    /// name allows, else by the default visitor (`record`).
    fn number(
        &mut self,
        field: &Field,
        value: impl fmt::Display,
        record: impl FnOnce(&mut DefaultVisitor<'_>),
    ) {
        match self.plain_name(field) {
            Some(name) => {
                self.result = self
                    .start(name)
                    .and_then(|()| write!(self.writer, "{value}"))
            }
            None => self.as_default(record),
        }
    }

    /// What the default visitor writes for this field.
    fn as_default(&mut self, record: impl FnOnce(&mut DefaultVisitor<'_>)) {
        if self.result.is_err() {
            return;
        }
        let mut default = DefaultVisitor::new(self.writer.by_ref(), self.is_empty);
        record(&mut default);
        self.result = default.finish();
        self.is_empty = false;
    }
}

impl Visit for FieldVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        match self.plain_name(field) {
            Some(name) if needs_no_escaping(value) => {
                self.result = self.start(name).and_then(|()| {
                    self.writer.write_char('"')?;
                    self.writer.write_str(value)?;
                    self.writer.write_char('"')
                });
            }
            _ => self.as_default(|v| v.record_str(field, value)),
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.number(field, value, |v| v.record_u64(field, value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.number(field, value, |v| v.record_i64(field, value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.as_default(|v| v.record_bool(field, value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.as_default(|v| v.record_error(field, value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.as_default(|v| v.record_debug(field, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::fmt::format::DefaultFields;

    /// What `event` logs, inside a span with fields, through `fields`: with colours off,
    /// then on.
    fn lines<F>(fields: impl Fn() -> F, event: impl Fn()) -> [String; 2]
    where
        F: for<'w> FormatFields<'w> + Send + Sync + 'static,
    {
        [false, true].map(|ansi| {
            let out = Sink::default();
            let writer = out.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_writer(move || writer.clone())
                .with_ansi(ansi)
                .without_time()
                .with_target(false)
                .with_max_level(tracing::Level::TRACE)
                .fmt_fields(fields())
                .finish();
            tracing::subscriber::with_default(subscriber, || {
                let _span = tracing::info_span!("call", id = 7u64, note = "a \"b\"").entered();
                event();
            });
            String::from_utf8(out.0.lock().unwrap().clone()).unwrap()
        })
    }

    #[derive(Clone, Default)]
    struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn same_as_default(text: &str, number: u64) {
        let event = || {
            let err = std::io::Error::other("broken \"pipe\"");
            tracing::warn!(
                tool = "validate_iban",
                input = text,
                r#type = text,
                duration_ms = number,
                delta = -(number as i64),
                ok = true,
                list = ?["a", "b"],
                shown = %text,
                error = &err as &(dyn std::error::Error + 'static),
                "tool call {}",
                text
            );
        };
        let ours = lines(|| LogFields, event);
        assert!(
            ours[0].contains(" WARN call{id=7 note=\"a \\\"b\\\"\"}: tool call ")
                && ours[0].contains(" tool=\"validate_iban\" input="),
            "{ours:?}"
        );
        assert_eq!(ours, lines(DefaultFields::new, event), "{text:?}");
    }

    #[test]
    fn lines_are_byte_for_byte_those_of_the_default_formatter() {
        for text in [
            "",
            "DE89…3000",
            "a\u{301}",
            "lookup_bic",
            "say \"hi\"",
            "back\\slash",
            "line\nbreak\ttab",
            "\u{1b}[31mred",
            "Zürich — é",
            "~ !#$%&'()*+,-./:;<=>?@[]^_`{|}",
        ] {
            same_as_default(text, 42);
        }
        same_as_default("x", u64::MAX);
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_written_as_the_default_formatter_writes_it(text in "\\PC{0,12}|[ -~]{0,12}|[a…é\u{301}\u{200b}\u{feff}\u{ad}\u{85}\u{a0}\u{2028}\u{e000}\u{10ffff}'\"\\\\\n\u{1b}]{0,8}", number: u64) {
            same_as_default(&text, number);
        }
    }
}
