//! `typescript-syntax`: the script uses TypeScript syntax.

use wfc_ir::Span;

use super::{Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "typescript-syntax",
    severity: Severity::Error,
    summary: "The script uses TypeScript syntax (type annotations, interfaces, generics).",
    explanation: "Workflow scripts are plain JavaScript, NOT TypeScript: the runtime fails to parse type annotations, interfaces and generics. wfc reports this when the script does not parse as JavaScript but does parse as TypeScript.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst files: string[] = []\n",
    check: Check::FrontEnd,
};

pub fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::error(
        RULE.code,
        span,
        "TypeScript syntax is not allowed: workflow scripts are plain JavaScript",
    )
    .label("TypeScript starts here")
    .help("remove type annotations, interfaces, generics and `as` casts")
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::diagnostics_for;

    #[test]
    fn annotation_and_interface() {
        assert_eq!(
            diagnostics_for("typescript-syntax", "let n: number = 1\n").len(),
            1
        );
        assert_eq!(
            diagnostics_for("typescript-syntax", "interface A { x: string }\nreturn 1\n").len(),
            1
        );
    }

    #[test]
    fn plain_js_and_plain_errors_are_not_typescript() {
        assert!(diagnostics_for("typescript-syntax", "const n = 1\nreturn n\n").is_empty());
        // Invalid in both languages: a syntax error, not TypeScript.
        assert!(diagnostics_for("typescript-syntax", "const = ;\n").is_empty());
    }
}
