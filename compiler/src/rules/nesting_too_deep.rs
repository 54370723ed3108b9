//! `nesting-too-deep`: brackets or expressions nest deeper than wfc analyses.

use wfc_ir::Span;

use super::{Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "nesting-too-deep",
    severity: Severity::Error,
    summary: "Brackets or expressions are nested deeper than wfc analyses (1,000 brackets or 1,000 nested statements and expressions).",
    explanation: "No real workflow nests anywhere near this deep; such input is generated or hostile. wfc stops at the limit with this error instead of exhausting its stack.",
    example: "const x = ((((((((((…1,001 levels…))))))))))",
    check: Check::FrontEnd,
};

pub fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::error(
        RULE.code,
        span,
        "the script nests too deeply for wfc to analyse",
    )
    .label("nesting passes the limit here")
    .help("flatten the expression: name intermediate results with `const`")
}

#[cfg(test)]
mod tests {
    #[test]
    fn ten_thousand_deep_ends_in_a_diagnostic() {
        let src = format!("const x = {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let out = crate::check_text(&src);
        assert!(out.diagnostics.iter().any(|d| d.code == "nesting-too-deep"));
    }

    #[test]
    fn long_operator_chain_ends_in_a_diagnostic() {
        let src = format!("const x = 1{}\n", " + 1".repeat(100_000));
        let out = crate::check_text(&src);
        assert!(out.diagnostics.iter().any(|d| d.code == "nesting-too-deep"));
    }
}
