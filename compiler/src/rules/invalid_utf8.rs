//! `invalid-utf8`: the file is not valid UTF-8 text.

use wfc_ir::Span;

use super::{Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "invalid-utf8",
    severity: Severity::Error,
    summary: "The file is not valid UTF-8.",
    explanation: "Scripts reach the runtime as JSON strings, so they must be valid Unicode text. wfc points at the first byte that is not valid UTF-8 and does not parse the file.",
    example: "const s = '<the byte 0xFF>'",
    check: Check::FrontEnd,
};

pub fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::error(RULE.code, span, "the file is not valid UTF-8")
        .label("invalid byte sequence here")
        .help("save the script as UTF-8")
}

#[cfg(test)]
mod tests {
    #[test]
    fn points_at_first_bad_byte() {
        let out = crate::check_bytes(
            b"export const meta = {name:'a',description:'b'}\nlog('\xc3\x28')\n",
        );
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        assert_eq!(out.diagnostics[0].code, "invalid-utf8");
        assert_eq!(out.diagnostics[0].span.start, 52);
        assert!(out.workflow.is_none());
    }
}
