//! Settings and where each one came from.
//!
//! Highest first: command-line flags, environment variables (the names the official
//! IBANforge SDKs use), a `config.json` in the platform config directory, built-in
//! defaults. Nothing here may stop the server from starting: a missing HOME, an unreadable
//! or malformed file, or a bad value is reported as a warning and the default is used.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

pub const DEFAULT_API_BASE: &str = "https://api.ibanforge.com";
pub const DEFAULT_TIMEOUT_MS: u64 = 8_000;
/// Bounds for `IBANFORGE_TIMEOUT_MS`: below 100 ms nothing can answer; above two
/// minutes an agent would think the tool hung.
pub const TIMEOUT_RANGE_MS: std::ops::RangeInclusive<u64> = 100..=120_000;
/// How long a full answer is served from the session cache, by default (24 h).
pub const DEFAULT_CACHE_TTL_S: u64 = 24 * 60 * 60;
/// How many full answers the session cache holds, by default (a few MB at most).
pub const DEFAULT_CACHE_ENTRIES: usize = 10_000;
/// Config files are small; refuse to read more than this.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The API key. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// An empty or whitespace-only key is no key.
    pub fn new(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        (!trimmed.is_empty()).then(|| Self(trimmed.to_string()))
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The first 8 characters (the `ifk_` prefix and 4 more), for `doctor`.
    pub fn preview(&self) -> String {
        let head: String = self.0.chars().take(8).collect();
        format!("{head}…")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origin {
    #[default]
    Default,
    Flag(&'static str),
    Env(&'static str),
    ConfigFile(PathBuf),
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Self::Default => "built-in default".into(),
            Self::Flag(f) => format!("command-line flag {f}"),
            Self::Env(v) => format!("environment variable {v}"),
            Self::ConfigFile(p) => format!("config file {}", p.display()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    pub api_key: Origin,
    pub api_base: Origin,
    pub timeout: Origin,
    pub offline: Origin,
}

/// Everything the server runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub api_key: Option<ApiKey>,
    pub api_base: String,
    pub timeout: Duration,
    pub offline: bool,
    /// Accept the SWIFT "aspirational" IBAN countries (off by default: no bank takes them).
    pub aspirational: bool,
    /// How long a full answer is served again without a new (paid) request.
    pub cache_ttl: Duration,
    /// How many full answers are kept; 0 turns the session cache off.
    pub cache_entries: usize,
    /// After a batch is refused as too large for what is left (`monthly_quota_insufficient`,
    /// `credits_insufficient`), send the rows that are still affordable.
    pub spend_remaining: bool,
    /// Where a newer copy of the compliance lists would be (`compliance_lists.json` beside
    /// the config file, or in the config directory). Only a path: the file is read when a
    /// compliance answer first needs it, never at start-up.
    pub compliance_lists_file: Option<PathBuf>,
    /// Only these tools are listed and answered (`IBANFORGE_TOOLS`, `"tools"`): every tool
    /// definition costs the model context. `None`: every tool. Names are checked against
    /// the tool registry when the server starts.
    pub tools: Option<Vec<String>>,
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
    pub origin: Origins,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            api_key: None,
            api_base: DEFAULT_API_BASE.into(),
            timeout: Duration::from_millis(DEFAULT_TIMEOUT_MS),
            offline: false,
            aspirational: false,
            cache_ttl: Duration::from_secs(DEFAULT_CACHE_TTL_S),
            cache_entries: DEFAULT_CACHE_ENTRIES,
            spend_remaining: true,
            compliance_lists_file: None,
            tools: None,
            config_file: None,
            origin: Origins::default(),
        }
    }
}

/// Values given on the command line (highest precedence).
#[derive(Debug, Clone, Default)]
pub struct FlagValues {
    pub api_base: Option<String>,
    pub timeout_ms: Option<u64>,
    pub offline: bool,
    pub aspirational: bool,
    pub config: Option<PathBuf>,
}

/// `config.json`: every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    api_key: Option<String>,
    api_base: Option<String>,
    timeout_ms: Option<u64>,
    offline: Option<bool>,
    aspirational: Option<bool>,
    cache_ttl_s: Option<u64>,
    cache_entries: Option<usize>,
    spend_remaining: Option<bool>,
    tools: Option<Vec<String>>,
}

/// The platform config directory (`~/.config/ibanforge-mcp` on Linux), if there is a home.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "IBANforge", "ibanforge-mcp")
        .map(|d| d.config_dir().to_path_buf())
}

/// Read a small settings file; refuse anything over 1 MiB.
pub fn read_bounded(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_CONFIG_BYTES)
        .read_to_string(&mut text)?;
    Ok(text)
}

/// `"validate_iban, lookup_bic"` → those names; blank → every tool (`None`).
fn tool_selection(v: &str) -> Option<Vec<String>> {
    let names: Vec<String> = v
        .split([',', ' ', '\t', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    (!names.is_empty()).then_some(names)
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

fn parse_timeout(v: u64, from: &str, warnings: &mut Vec<String>) -> Option<Duration> {
    if TIMEOUT_RANGE_MS.contains(&v) {
        Some(Duration::from_millis(v))
    } else {
        warnings.push(format!(
            "{from}: timeout {v} ms is outside {}–{} ms; using {DEFAULT_TIMEOUT_MS} ms",
            TIMEOUT_RANGE_MS.start(),
            TIMEOUT_RANGE_MS.end()
        ));
        None
    }
}

/// A numeric setting read from the environment (seconds or a count).
trait NumericSetting {
    fn set(&mut self, n: u64);
}

impl NumericSetting for Duration {
    fn set(&mut self, n: u64) {
        *self = Duration::from_secs(n);
    }
}

impl NumericSetting for usize {
    fn set(&mut self, n: u64) {
        *self = usize::try_from(n).unwrap_or(usize::MAX);
    }
}

impl Settings {
    /// Resolve the settings. `env` reads an environment variable (injected for tests).
    /// Returns the settings and the warnings to print on stderr.
    pub fn load(flags: &FlagValues, env: &dyn Fn(&str) -> Option<String>) -> (Self, Vec<String>) {
        let mut s = Settings::default();
        let mut warnings = Vec::new();

        // 1. Config file (lowest of the configured sources).
        let (path, explicit) = match (&flags.config, env("IBANFORGE_CONFIG")) {
            (Some(p), _) => (Some(p.clone()), true),
            (None, Some(p)) if !p.trim().is_empty() => (Some(PathBuf::from(p)), true),
            _ => (config_dir().map(|d| d.join("config.json")), false),
        };
        if let Some(path) = path {
            match read_bounded(&path) {
                Ok(text) => match serde_json::from_str::<ConfigFile>(&text) {
                    Ok(file) => {
                        let origin = Origin::ConfigFile(path.clone());
                        if let Some(k) = file.api_key.as_deref().and_then(ApiKey::new) {
                            s.api_key = Some(k);
                            s.origin.api_key = origin.clone();
                        }
                        if let Some(b) = file.api_base {
                            s.api_base = b;
                            s.origin.api_base = origin.clone();
                        }
                        if let Some(t) = file
                            .timeout_ms
                            .and_then(|t| parse_timeout(t, &origin.describe(), &mut warnings))
                        {
                            s.timeout = t;
                            s.origin.timeout = origin.clone();
                        }
                        if let Some(o) = file.offline {
                            s.offline = o;
                            s.origin.offline = origin;
                        }
                        if let Some(a) = file.aspirational {
                            s.aspirational = a;
                        }
                        if let Some(t) = file.cache_ttl_s {
                            s.cache_ttl = Duration::from_secs(t);
                        }
                        if let Some(n) = file.cache_entries {
                            s.cache_entries = n;
                        }
                        if let Some(b) = file.spend_remaining {
                            s.spend_remaining = b;
                        }
                        if let Some(t) = file.tools {
                            s.tools = tool_selection(&t.join(","));
                        }
                        s.config_file = Some(path);
                    }
                    Err(e) => {
                        warnings.push(format!("ignoring config file {}: {e}", path.display()))
                    }
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {}
                Err(e) => warnings.push(format!("cannot read config file {}: {e}", path.display())),
            }
        }

        // 2. Environment.
        if let Some(raw) = env("IBANFORGE_API_KEY") {
            // Set but blank is a deliberate "no key": it overrides a key in the file.
            s.api_key = ApiKey::new(&raw);
            s.origin.api_key = Origin::Env("IBANFORGE_API_KEY");
        }
        if let Some(b) = env("IBANFORGE_API_BASE").filter(|b| !b.trim().is_empty()) {
            s.api_base = b.trim().to_string();
            s.origin.api_base = Origin::Env("IBANFORGE_API_BASE");
        }
        if let Some(t) = env("IBANFORGE_TIMEOUT_MS").filter(|t| !t.trim().is_empty()) {
            match t.trim().parse::<u64>() {
                Ok(ms) => {
                    if let Some(d) = parse_timeout(ms, "IBANFORGE_TIMEOUT_MS", &mut warnings) {
                        s.timeout = d;
                        s.origin.timeout = Origin::Env("IBANFORGE_TIMEOUT_MS");
                    }
                }
                Err(_) => warnings.push(format!(
                    "IBANFORGE_TIMEOUT_MS={t:?} is not a number of milliseconds; using {} ms",
                    s.timeout.as_millis()
                )),
            }
        }
        if let Some(o) = env("IBANFORGE_OFFLINE") {
            match parse_bool(&o) {
                Some(b) => {
                    s.offline = b;
                    s.origin.offline = Origin::Env("IBANFORGE_OFFLINE");
                }
                None => warnings.push(format!(
                    "IBANFORGE_OFFLINE={o:?} is not 1/0/true/false; ignoring it"
                )),
            }
        }

        if let Some(a) = env("IBANFORGE_ASPIRATIONAL") {
            match parse_bool(&a) {
                Some(b) => s.aspirational = b,
                None => warnings.push(format!(
                    "IBANFORGE_ASPIRATIONAL={a:?} is not 1/0/true/false; ignoring it"
                )),
            }
        }

        for (var, target) in [
            (
                "IBANFORGE_CACHE_TTL_S",
                &mut s.cache_ttl as &mut dyn NumericSetting,
            ),
            ("IBANFORGE_CACHE_ENTRIES", &mut s.cache_entries),
        ] {
            if let Some(v) = env(var).filter(|v| !v.trim().is_empty()) {
                match v.trim().parse::<u64>() {
                    Ok(n) => target.set(n),
                    Err(_) => warnings.push(format!(
                        "{var}={v:?} is not a whole number; using the default"
                    )),
                }
            }
        }
        if let Some(v) = env("IBANFORGE_SPEND_REMAINING") {
            match parse_bool(&v) {
                Some(b) => s.spend_remaining = b,
                None => warnings.push(format!(
                    "IBANFORGE_SPEND_REMAINING={v:?} is not 1/0/true/false; ignoring it"
                )),
            }
        }

        if let Some(v) = env("IBANFORGE_TOOLS") {
            s.tools = tool_selection(&v);
        }

        // 3. Flags.
        if let Some(b) = &flags.api_base {
            s.api_base = b.clone();
            s.origin.api_base = Origin::Flag("--api-base");
        }
        if let Some(t) = flags
            .timeout_ms
            .and_then(|t| parse_timeout(t, "--timeout-ms", &mut warnings))
        {
            s.timeout = t;
            s.origin.timeout = Origin::Flag("--timeout-ms");
        }
        if flags.offline {
            s.offline = true;
            s.origin.offline = Origin::Flag("--offline");
        }
        if flags.aspirational {
            s.aspirational = true;
        }

        // Compliance lists: where a newer copy would be; read on first use.
        s.compliance_lists_file = s
            .config_file
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .or_else(config_dir)
            .map(|d| d.join("compliance_lists.json"));
        (s, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ibanforge-config-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn blank_key_is_no_key_and_debug_hides_it() {
        assert!(ApiKey::new("  \t").is_none());
        let k = ApiKey::new(" ifk_secret123 ").unwrap();
        assert_eq!(k.expose(), "ifk_secret123");
        assert_eq!(format!("{k:?}"), "ApiKey(<redacted>)");
        assert_eq!(k.preview(), "ifk_secr…");
    }

    #[test]
    fn precedence_flag_env_file_default() {
        let dir = temp_dir("precedence");
        let file = dir.join("config.json");
        std::fs::write(&file, r#"{"api_key": "ifk_file", "api_base": "https://file.example", "timeout_ms": 3000, "offline": false}"#).unwrap();
        let flags = FlagValues {
            config: Some(file.clone()),
            api_base: Some("http://127.0.0.1:9".into()),
            ..Default::default()
        };
        let (s, w) = Settings::load(
            &flags,
            &env_of(&[("IBANFORGE_TIMEOUT_MS", "5000"), ("IBANFORGE_OFFLINE", "1")]),
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.api_key.as_ref().map(ApiKey::expose), Some("ifk_file"));
        assert_eq!(s.origin.api_key, Origin::ConfigFile(file));
        assert_eq!(s.api_base, "http://127.0.0.1:9");
        assert_eq!(s.origin.api_base, Origin::Flag("--api-base"));
        assert_eq!(s.timeout, Duration::from_millis(5000));
        assert!(s.offline);
        let (s, _) = Settings::load(&flags, &env_of(&[("IBANFORGE_API_KEY", "   ")]));
        assert!(
            s.api_key.is_none(),
            "a blank env key overrides the file's key with no key"
        );
    }

    #[test]
    fn bad_values_warn_and_fall_back() {
        let dir = temp_dir("bad");
        let file = dir.join("config.json");
        std::fs::write(&file, "{not json").unwrap();
        let flags = FlagValues {
            config: Some(file),
            ..Default::default()
        };
        let (s, w) = Settings::load(
            &flags,
            &env_of(&[
                ("IBANFORGE_TIMEOUT_MS", "abc"),
                ("IBANFORGE_OFFLINE", "maybe"),
            ]),
        );
        assert_eq!(w.len(), 3, "{w:?}");
        assert_eq!(s.timeout, Duration::from_millis(DEFAULT_TIMEOUT_MS));
        assert!(!s.offline);
        let (_, w) = Settings::load(
            &FlagValues::default(),
            &env_of(&[("IBANFORGE_TIMEOUT_MS", "5")]),
        );
        assert!(w[0].contains("outside"), "{w:?}");
    }

    #[test]
    fn compliance_lists_are_looked_for_beside_the_config_file() {
        let dir = temp_dir("lists");
        let file = dir.join("config.json");
        std::fs::write(&file, "{}").unwrap();
        let (s, w) = Settings::load(
            &FlagValues {
                config: Some(file),
                ..Default::default()
            },
            &env_of(&[]),
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(
            s.compliance_lists_file,
            Some(dir.join("compliance_lists.json"))
        );
    }
}
