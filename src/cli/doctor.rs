//! `ibanforge-mcp doctor`: a plain-language report of the setup. What is checked and the
//! verdict come from `Toolbox::diagnose`; this file only prints them. Prints to stdout
//! (doctor never runs beside the server); the key is shown only as its first 8 characters.

use std::process::ExitCode;
use std::sync::Arc;

use crate::api::UsageCheck;
use crate::config::{Origin, Settings};
use crate::tools::Toolbox;
use crate::tools::doctor::{Diagnosis, Verdict};

/// Exit 0 when tool calls can get full answers (or offline mode is chosen), 1 when they
/// would be degraded, with the reason.
pub async fn run(settings: Settings) -> ExitCode {
    let s = Arc::new(settings);
    let d = Toolbox::new(s.clone()).diagnose().await;
    let mut out = String::new();
    let mut line = |l: String| {
        out.push_str(&l);
        out.push('\n');
    };
    line(format!(
        "ibanforge-mcp {} — doctor",
        env!("CARGO_PKG_VERSION")
    ));
    line(String::new());
    line("Settings:".into());
    line(match &s.api_key {
        Some(k) => format!(
            "  API key        {} (from {})",
            k.preview(),
            s.origin.api_key.describe()
        ),
        None if s.origin.api_key == Origin::Default => "  API key        none".into(),
        None => format!(
            "  API key        none ({} is set but empty)",
            s.origin.api_key.describe()
        ),
    });
    line(format!(
        "  API base       {} (from {})",
        s.api_base,
        s.origin.api_base.describe()
    ));
    line(format!(
        "  deadline       {} ms (from {})",
        s.timeout.as_millis(),
        s.origin.timeout.describe()
    ));
    line(format!(
        "  offline mode   {} (from {})",
        if s.offline { "on" } else { "off" },
        s.origin.offline.describe()
    ));
    line(format!(
        "  config file    {}",
        s.config_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "none".into())
    ));
    line(format!(
        "  compliance     FATF {}, EU high-risk {}, SEPA scope {} (from {})",
        d.lists.fatf.as_of,
        d.lists.eu_high_risk.as_of,
        d.lists.sepa_scope.as_of,
        d.lists_origin.describe()
    ));
    if let Some(w) = &d.lists_warning {
        line(format!("                 {w}"));
    }
    for l in lists_out_of_date_lines(&d) {
        line(l);
    }
    line(String::new());
    let base = s.api_base.trim_end_matches('/');
    if let Some(health) = &d.health {
        line(match health {
            Ok(200) => format!("API health     {base}/health answered 200"),
            Ok(status) => format!("API health     {base}/health answered HTTP {status}"),
            Err(f) => format!("API health     unreachable: {}", f.detail),
        });
    }
    if let Some(usage) = &d.usage {
        line(match usage {
            Ok(UsageCheck::Quota(u)) => format!(
                "API key        valid — {} of {} requests used in {} ({} left)",
                u.used,
                u.limit,
                u.month.as_deref().unwrap_or("this month"),
                u.remaining
            ),
            Ok(UsageCheck::Credits { remaining }) => {
                format!("API key        valid — {remaining} prepaid credits left")
            }
            Ok(UsageCheck::Accepted) => "API key        valid".into(),
            Ok(UsageCheck::Rejected { .. }) => "API key        rejected by the API".into(),
            Ok(UsageCheck::Unexpected { status }) => {
                format!("API key        usage check answered HTTP {status}")
            }
            Err(f) => format!("API key        not checked: {}", f.detail),
        });
    }
    for w in &d.usage_warnings {
        line(format!("               {w}"));
    }
    if d.health.is_some() {
        line(String::new());
    }
    let (verdict, code) = match &d.verdict {
        Verdict::Offline => (
            "Verdict: offline mode is on — every answer comes from the embedded engine, labelled OFFLINE RESULT. Nothing to check online.".to_string(),
            ExitCode::SUCCESS,
        ),
        Verdict::KeyWithheld => (
            format!(
                "Verdict: NOT HEALTHY — {} is plain http to a non-loopback host, so the key is never sent; every answer would be degraded (insecure_api_base). Use https.",
                s.api_base
            ),
            ExitCode::from(1),
        ),
        Verdict::Healthy => (
            "Verdict: healthy — tool calls get full answers.".to_string(),
            ExitCode::SUCCESS,
        ),
        Verdict::HealthyWithoutKey => (
            format!(
                "Verdict: healthy, without a key — tool calls are answered in ANONYMOUS MODE unless the API grants a keyless trial. Set IBANFORGE_API_KEY for full answers (free key: POST {base}/v1/keys/generate)."
            ),
            ExitCode::SUCCESS,
        ),
        Verdict::NotHealthy(problems) => (
            format!("Verdict: NOT HEALTHY — {}.", problems.join("; ")),
            ExitCode::from(1),
        ),
    };
    line(verdict);
    super::print_stdout(out.trim_end());
    code
}

/// Which compliance lists may be out of date, and where a newer copy goes. Not a verdict
/// problem (the API's answers are current); local compliance answers say it too.
fn lists_out_of_date_lines(d: &Diagnosis) -> Vec<String> {
    if d.lists_out_of_date.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<String> = d
        .lists_out_of_date
        .iter()
        .map(|o| format!("                 {}", o.sentence))
        .collect();
    lines.push(match &d.lists_file {
        Some(p) => format!(
            "                 To refresh: write a newer compliance_lists.json (same shape as the embedded one) to {}",
            p.display()
        ),
        None => "                 To refresh: set a config directory (--config or IBANFORGE_CONFIG) and put a newer compliance_lists.json beside the config file".into(),
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::engine::date::CivilDate;

    fn diagnosis_on(day: &str, file: Option<&str>) -> Diagnosis {
        let settings = Settings {
            offline: true,
            compliance_lists_file: file.map(std::path::PathBuf::from),
            ..Settings::default()
        };
        let toolbox = Toolbox::new(Arc::new(settings))
            .with_lists_judged_on(CivilDate::parse_as_of(day).unwrap());
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(toolbox.diagnose())
    }

    #[test]
    fn doctor_says_which_lists_may_be_out_of_date_and_how_to_refresh() {
        let d = diagnosis_on(
            "2026-11-30",
            Some("/nonexistent/ibanforge/compliance_lists.json"),
        );
        let lines = lists_out_of_date_lines(&d).join("\n");
        assert!(
            lines.contains("The FATF list of June 2026 may be out of date: the October 2026 plenary is due or past."),
            "{lines}"
        );
        assert!(
            lines.contains("EPC SEPA scope list of 1 May 2025"),
            "{lines}"
        );
        assert!(!lines.contains("EU high-risk"), "{lines}");
        assert!(
            lines.contains("compliance_lists.json (same shape as the embedded one) to /nonexistent/ibanforge/compliance_lists.json"),
            "{lines}"
        );

        let d = diagnosis_on("2026-04-30", None);
        assert!(d.lists_out_of_date.is_empty());
        assert!(lists_out_of_date_lines(&d).is_empty());
    }
}
