//! `binary-file`: the file holds binary data (NUL bytes), not a script.

use wfc_ir::Span;

use super::{Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "binary-file",
    severity: Severity::Error,
    summary: "The file contains NUL bytes: it is binary, not a script.",
    explanation: "A file with NUL bytes is not a workflow script (often a build artefact or an image picked up by a directory walk). wfc reports the first NUL byte and does not parse the file.",
    example: "<a file containing the byte 0x00>",
    check: Check::FrontEnd,
};

pub fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::error(
        RULE.code,
        span,
        "the file contains NUL bytes: it looks binary, not like a script",
    )
    .label("first NUL byte")
    .help("check only JavaScript workflow scripts")
}

#[cfg(test)]
mod tests {
    #[test]
    fn nul_byte_is_binary() {
        let out = crate::check_bytes(b"\x89PNG\r\n\x1a\n\x00\x00");
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "binary-file");
        assert!(out.workflow.is_none());
    }
}
