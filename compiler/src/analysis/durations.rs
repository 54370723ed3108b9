//! Per-agent duration estimates for the makespan prediction.

use std::collections::BTreeMap;

use serde::Serialize;

/// Minutes an agent is expected to run, by model, scaled by effort. Defaults are deliberately
/// round numbers: override them in `wfc.toml` under `[durations]` with what your runs show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Durations {
    /// Minutes for an agent whose model is not listed.
    pub default: f64,
    /// Minutes by model alias or id.
    pub models: BTreeMap<String, f64>,
    /// Multipliers by effort level.
    pub efforts: BTreeMap<String, f64>,
}

impl Default for Durations {
    fn default() -> Self {
        Durations {
            default: 3.0,
            models: [("opus", 6.0), ("sonnet", 3.0), ("haiku", 1.5)]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            efforts: [
                ("low", 0.5),
                ("medium", 1.0),
                ("high", 1.5),
                ("xhigh", 2.0),
                ("max", 3.0),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        }
    }
}

impl Durations {
    pub fn minutes(&self, model: Option<&str>, effort: Option<&str>) -> f64 {
        let base = model
            .and_then(|m| {
                self.models.get(m).copied().or_else(|| {
                    // Full model ids (`claude-opus-4-…`) match their alias.
                    self.models
                        .iter()
                        .find(|(k, _)| m.contains(k.as_str()))
                        .map(|(_, v)| *v)
                })
            })
            .unwrap_or(self.default);
        base * effort
            .and_then(|e| self.efforts.get(e))
            .copied()
            .unwrap_or(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_and_effort_combine() {
        let d = Durations::default();
        assert_eq!(d.minutes(None, None), 3.0);
        assert_eq!(d.minutes(Some("opus"), Some("low")), 3.0);
        assert_eq!(d.minutes(Some("claude-haiku-4-5"), None), 1.5);
    }
}
