//! `thunk-expected` (placeholder: being written).
use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule { code: "thunk-expected", severity: Severity::Error, summary: "TODO", explanation: "TODO", example: "TODO", check: None };
