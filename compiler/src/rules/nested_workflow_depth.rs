//! `nested-workflow-depth` (placeholder: being written).
use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule { code: "nested-workflow-depth", severity: Severity::Error, summary: "TODO", explanation: "TODO", example: "TODO", check: None };
