//! `unchecked-null` (placeholder: being written).
use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule { code: "unchecked-null", severity: Severity::Error, summary: "TODO", explanation: "TODO", example: "TODO", check: None };
