//! `args-string-fanout` (placeholder: being written).
use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule { code: "args-string-fanout", severity: Severity::Error, summary: "TODO", explanation: "TODO", example: "TODO", check: None };
