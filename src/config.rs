//! `wfc.toml`: project configuration, found by walking up from the current directory.
//!
//! ```toml
//! [limits]
//! max-agents = 1000
//! max-concurrency = 16
//! max-items = 4096
//!
//! [rules]
//! ignore = ["unknown-meta-key"]
//!
//! [rules.severity]
//! phase-not-declared = "error"   # or "warning" / "off"
//!
//! [durations]                    # for `wfc plan`
//! default = 3.0
//! opus = 6.0
//! "effort.low" = 0.5
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use wfc_compiler::{suppress, Limits, Severity};

/// The configuration file's name.
pub const FILE_NAME: &str = "wfc.toml";

/// A loaded, validated configuration. Every section is optional; an absent value keeps wfc's
/// default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Where it was read from, if anywhere.
    #[allow(dead_code)] // for messages of the commands that read it
    pub path: Option<PathBuf>,
    pub limits: Limits,
    /// Rule codes to drop everywhere.
    pub ignore: Vec<String>,
    /// Severity per rule code; `None` is `"off"`.
    pub severity: BTreeMap<String, Option<Severity>>,
    pub durations: Durations,
}

/// The `[durations]` entries, for `wfc plan`'s duration estimates, which give them their meaning
/// (an entry that is absent keeps the plan's default).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Durations {
    /// `default`: minutes for an agent whose model has no entry.
    pub default: Option<f64>,
    /// By model name as written in `agent()` options (`opus`, `haiku`, …): minutes.
    pub models: BTreeMap<String, f64>,
    /// By effort level (`"effort.low"` in the file is `low` here).
    pub efforts: BTreeMap<String, f64>,
}

/// Why a configuration could not be used: the file and what is wrong with it.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid configuration {}: {}",
            self.path.display(),
            self.message.trim_end()
        )
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    durations: BTreeMap<String, f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLimits {
    max_agents: Option<u64>,
    max_concurrency: Option<u64>,
    max_items: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, RawSeverity>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawSeverity {
    Error,
    Warning,
    Off,
}

/// The configuration to use: `explicit` (`--config FILE`) if given, else the first `wfc.toml` in
/// `start` or one of its ancestors, else the defaults.
pub fn load(explicit: Option<&Path>, start: &Path) -> Result<Config, ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match discover(start) {
            Some(p) => p,
            None => return Ok(Config::default()),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
        path: path.clone(),
        message: format!("cannot read it: {e}"),
    })?;
    let mut config = parse(&text).map_err(|message| ConfigError {
        path: path.clone(),
        message,
    })?;
    config.path = Some(path);
    Ok(config)
}

/// The nearest `wfc.toml` in `start` or above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Parses and validates a configuration file's text. The error names the offending key.
pub fn parse(text: &str) -> Result<Config, String> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| e.to_string())?;
    let defaults = Limits::default();
    let limits = Limits {
        max_agents: raw.limits.max_agents.unwrap_or(defaults.max_agents),
        max_concurrency: raw
            .limits
            .max_concurrency
            .unwrap_or(defaults.max_concurrency),
        max_items: raw.limits.max_items.unwrap_or(defaults.max_items),
    };
    for (key, value) in [
        ("max-agents", limits.max_agents),
        ("max-concurrency", limits.max_concurrency),
        ("max-items", limits.max_items),
    ] {
        if value == 0 {
            return Err(format!("[limits] {key} must be at least 1"));
        }
    }
    for code in &raw.rules.ignore {
        suppress::validate_override(code, None).map_err(|e| format!("[rules] ignore: {e}"))?;
    }
    let mut severity = BTreeMap::new();
    for (code, value) in raw.rules.severity {
        let value = match value {
            RawSeverity::Error => Some(Severity::Error),
            RawSeverity::Warning => Some(Severity::Warning),
            RawSeverity::Off => None,
        };
        suppress::validate_override(&code, value)
            .map_err(|e| format!("[rules.severity] {code}: {e}"))?;
        severity.insert(code, value);
    }
    let mut durations = Durations::default();
    for (key, minutes) in raw.durations {
        if !minutes.is_finite() || minutes < 0.0 {
            return Err(format!(
                "[durations] {key}: expected a number of minutes (0 or more), found {minutes}"
            ));
        }
        if key == "default" {
            durations.default = Some(minutes);
        } else if let Some(level) = key.strip_prefix("effort.") {
            if !wfc_ir::EFFORT_LEVELS.contains(&level) {
                return Err(format!(
                    "[durations] {key}: `{level}` is not an effort level (expected one of {})",
                    wfc_ir::EFFORT_LEVELS.join(", ")
                ));
            }
            durations.efforts.insert(level.to_owned(), minutes);
        } else if key.is_empty() || key.contains('.') {
            return Err(format!(
                "[durations] {key:?}: expected `default`, a model name, or `effort.<level>`"
            ));
        } else {
            durations.models.insert(key, minutes);
        }
    }
    Ok(Config {
        path: None,
        limits,
        ignore: raw.rules.ignore,
        severity,
        durations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_example_parses() {
        let config = parse(
            r#"
[limits]
max-agents = 200
max-concurrency = 4
max-items = 100
[rules]
ignore = ["unknown-meta-key"]
[rules.severity]
phase-not-declared = "error"
unknown-meta-key = "off"
invalid-effort = "warning"
[durations]
default = 3
opus = 6.0
"haiku" = 1.5
"effort.low" = 0.5
"#,
        )
        .expect("valid");
        assert_eq!(
            config.limits,
            Limits {
                max_agents: 200,
                max_concurrency: 4,
                max_items: 100
            }
        );
        assert_eq!(config.ignore, ["unknown-meta-key"]);
        assert_eq!(config.severity["phase-not-declared"], Some(Severity::Error));
        assert_eq!(config.severity["unknown-meta-key"], None);
        assert_eq!(config.severity["invalid-effort"], Some(Severity::Warning));
        let d = &config.durations;
        assert_eq!(d.default, Some(3.0));
        assert_eq!(
            d.models,
            BTreeMap::from([("opus".to_owned(), 6.0), ("haiku".to_owned(), 1.5)])
        );
        assert_eq!(d.efforts, BTreeMap::from([("low".to_owned(), 0.5)]));
    }

    #[test]
    fn empty_file_is_the_defaults() {
        assert_eq!(parse("").expect("valid"), Config::default());
    }

    #[test]
    fn errors_name_the_key() {
        for (text, needle) in [
            ("[limits]\nmax-agent = 3\n", "max-agent"),
            ("[lints]\n", "lints"),
            ("[rules]\nignore = [\"no-such-rule\"]\n", "no-such-rule"),
            (
                "[rules.severity]\nno-such-rule = \"error\"\n",
                "no-such-rule",
            ),
            (
                "[rules.severity]\nphase-not-declared = \"fatal\"\n",
                "fatal",
            ),
            ("[rules.severity]\nsyntax-error = \"off\"\n", "syntax-error"),
            ("[limits]\nmax-agents = 0\n", "max-agents"),
            ("[limits]\nmax-agents = -1\n", "max-agents"),
            ("[durations]\n\"effort.tiny\" = 1.0\n", "effort.tiny"),
            ("[durations]\nopus = -1.0\n", "opus"),
            ("[durations]\nopus = \"slow\"\n", "opus"),
        ] {
            let err = parse(text).expect_err(text);
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }
}
