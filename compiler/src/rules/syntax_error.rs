//! `syntax-error`: the script is not valid JavaScript.

use wfc_ir::Span;

use super::{Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "syntax-error",
    severity: Severity::Error,
    summary: "The script is not valid JavaScript.",
    explanation: "The runtime refuses a script that does not parse (the Workflow tool returns an `error` and the run never starts). wfc parses the script as an ES module whose body may use top-level `await` and `return`, as the runtime does, and reports every error the parser finds, including those it recovered from.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst found = await agent('list files', {\nreturn found\n",
    check: Check::FrontEnd,
};

pub fn diagnostic(span: Span, parser_message: &str) -> Diagnostic {
    Diagnostic::error(RULE.code, span, format!("syntax error: {parser_message}"))
        .label("here")
        .help("the script must be plain JavaScript; fix the syntax before running it")
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    #[test]
    fn unclosed_brace() {
        let src = "export const meta = { name: 'x', description: 'y' }\nif (true) {\n";
        let d = diagnostics_for("syntax-error", src);
        assert!(!d.is_empty());
        assert!(d[0].message.starts_with("syntax error"));
    }

    #[test]
    fn valid_script_has_none() {
        let src = "export const meta = { name: 'x', description: 'y' }\nreturn await agent('p')\n";
        assert!(diagnostics_for("syntax-error", src).is_empty());
    }

    #[test]
    fn points_at_the_offending_token() {
        let src = "const a = 1 +;\n";
        let d = diagnostics_for("syntax-error", src);
        assert_eq!(spanned(src, &d[0]), ";");
    }
}
