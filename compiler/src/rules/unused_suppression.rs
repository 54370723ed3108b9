//! `unused-suppression`: a `// wfc-ignore:` comment that suppresses nothing.
//!
//! The suppression logic lives in `crate::suppress`; this file owns the rule's documentation and
//! its message.

use wfc_ir::Span;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Check, Rule};

pub const RULE: Rule = Rule {
    code: "unused-suppression",
    severity: Severity::Warning,
    summary: "A `wfc-ignore` comment names a code that has no diagnostic on the line it covers.",
    explanation: "A suppression that no longer matches anything is stale: the code it excused was fixed or \
moved, and the comment would silently hide the next, unrelated problem of that kind on its line. \
Remove it, or move it to the line it is meant for: a trailing `// wfc-ignore:` covers its own \
line, one on a line of its own covers the next line, and a diagnostic belongs to the line where \
its span starts. Unused suppressions are not reported when the script has errors that stop it \
from being parsed, since the rules could not run.",
    example: "export const meta = { name: 'x', description: 'y' }\n// wfc-ignore: unknown-global kept from an older version\nreturn await agent('summarise the log')\n",
    check: Check::FrontEnd,
};

/// `line` is the 1-based line the suppression covers.
pub fn diagnostic(span: Span, code: &str, line: u32) -> Diagnostic {
    Diagnostic::warning(
        RULE.code,
        span,
        format!("unused suppression: no `{code}` diagnostic on line {line}"),
    )
    .label("suppresses nothing")
    .help("remove the suppression, or move it next to the line it is meant for")
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn stale_suppression_is_reported_at_its_code() {
        let src =
            format!("{META}// wfc-ignore: unknown-global, forbidden-api old\nawait sleep(1)\n");
        let d = diagnostics_for("unused-suppression", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "forbidden-api");
        assert!(d[0].message.contains("line 3"), "{}", d[0].message);
    }

    #[test]
    fn used_suppression_has_none() {
        let src =
            format!("{META}// wfc-ignore: unknown-global provided by a shim\nawait sleep(1)\n");
        assert!(diagnostics_for("unused-suppression", &src).is_empty());
    }

    #[test]
    fn not_reported_when_the_script_does_not_parse() {
        let src = format!("{META}// wfc-ignore: unknown-global old\nconst a = 1 +;\n");
        assert!(diagnostics_for("unused-suppression", &src).is_empty());
    }
}
