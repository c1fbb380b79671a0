//! The text block a model reads: the label line, then a lean rendering of the same answer.
//!
//! Most MCP clients show the model the text, not `structuredContent`, and a model's context
//! is small: so the text states the facts an agent acts on, leaves nulls out, and says
//! sources and dates once. It is rendered from the typed answer, never assembled separately,
//! so it cannot say something the structured answer does not.

use serde_json::Value;

use super::answer::Extra;
use super::provenance::{Mode, Provenance};

/// A text block under construction.
#[derive(Debug, Default)]
pub struct Text {
    out: String,
    /// Sources and dates, each said once, on the last line.
    sources: Vec<String>,
}

impl Text {
    /// Start with the label line.
    pub fn new(label: &str) -> Self {
        // Room for a whole answer's lines (they run to about a kilobyte), so the text is
        // not copied as it grows.
        let mut out = String::with_capacity(label.len() + 1024);
        out.push_str(label);
        Self {
            out,
            sources: Vec::new(),
        }
    }

    /// A source (with its date) to name once at the end, however many facts came from it.
    pub fn source(&mut self, source: &str, as_of: Option<&str>) {
        let s = match as_of {
            Some(d) if !source.contains(d) => [source, " (as of ", d, ")"].concat(),
            _ => source.to_string(),
        };
        if !self.sources.contains(&s) {
            self.sources.push(s);
        }
    }

    /// One more line.
    pub fn line(&mut self, line: impl AsRef<str>) {
        self.out.push('\n');
        self.out.push_str(line.as_ref());
    }

    /// `Name: value`, only when there is a value.
    pub fn field(&mut self, name: &str, value: Option<impl AsRef<str>>) {
        if let Some(v) = value {
            let v = v.as_ref();
            if !v.is_empty() {
                // Pushed piece by piece: every line of every answer comes through here.
                self.out.push('\n');
                self.out.push_str(name);
                self.out.push_str(": ");
                self.out.push_str(v);
            }
        }
    }

    /// What the answer lacks and how to get the rest, after the tool's own lines.
    pub fn provenance(&mut self, p: &Provenance) {
        if !p.missing.is_empty() {
            self.field("Only in the full answer", Some(p.missing.join(", ")));
        }
        if p.mode != Mode::Full {
            if let Some(u) = p.unlock.first() {
                self.field("To get the full answer", Some(&u.how));
            }
            if self.sources.is_empty() {
                self.field("Local data as of", p.data_as_of.as_deref());
            }
        }
        if let Some(q) = &p.quota {
            self.field("Quota", Some(facts(q)));
        }
        if let Some(c) = &p.credits {
            self.field("Credits", Some(facts(c)));
        }
    }

    pub fn finish(mut self) -> String {
        if !self.sources.is_empty() {
            let sources = std::mem::take(&mut self.sources).join("; ");
            self.field("Sources", Some(sources));
        }
        self.out
    }
}

/// `yes` / `no`; `None` stays unsaid.
pub fn yes_no(b: Option<bool>) -> Option<&'static str> {
    b.map(|b| if b { "yes" } else { "no" })
}

/// A JSON value in few characters: strings bare, lists comma-separated, objects as facts.
pub fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => (if *b { "yes" } else { "no" }).into(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(plain)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(m) => format!("({})", facts(m)),
    }
}

/// `key value; key value` for every non-null entry of an object.
pub fn facts(m: &Extra) -> String {
    m.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| format!("{} {}", k.replace('_', " "), plain(v)))
        .filter(|s| !s.ends_with(' '))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_are_left_out() {
        let m = json!({"a_b": 1, "c": null, "d": [true, null], "e": {"f": "x", "g": null}});
        assert_eq!(facts(m.as_object().unwrap()), "a b 1; d yes; e (f x)");
        let mut t = Text::new("LABEL");
        t.field("Empty", None::<&str>);
        t.field("Blank", Some(""));
        t.field("Kept", Some("v"));
        t.source("registry", Some("2026-10-01"));
        t.source("registry", Some("2026-10-01"));
        t.source("list (as of 2025)", Some("2025"));
        assert_eq!(
            t.finish(),
            "LABEL\nKept: v\nSources: registry (as of 2026-10-01); list (as of 2025)"
        );
    }
}
