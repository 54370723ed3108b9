//! `unused-agent-result` (placeholder: being written).
use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule { code: "unused-agent-result", severity: Severity::Error, summary: "TODO", explanation: "TODO", example: "TODO", check: None };
