//! `invalid-suppression`: a `// wfc-ignore:` comment that cannot be applied.
//!
//! The suppression logic lives in `crate::suppress`; this file owns the rule's documentation and
//! its messages.

use wfc_ir::Span;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Check, Rule};

pub const RULE: Rule = Rule {
    code: "invalid-suppression",
    severity: Severity::Warning,
    summary: "A `wfc-ignore` comment is malformed, names an unknown rule code, or gives no reason.",
    explanation: "A suppression is written `// wfc-ignore: <code> <reason>` (or `/* wfc-ignore: <code> <reason> */`), \
with several codes separated by commas: `// wfc-ignore: unknown-global, forbidden-api <reason>`. \
As a trailing comment it covers diagnostics that start on its own line; on a line of its own it \
covers the next line.\n\n\
The reason is required, so that a reviewer can tell a deliberate exception from a silenced \
mistake: a suppression without one is not applied. A code that is not a wfc rule (often a typo) \
suppresses nothing and is reported too. Errors that stop the script from being parsed at all \
(`syntax-error`, `typescript-syntax`, `invalid-utf8`, `binary-file`, `script-too-large`, \
`nesting-too-deep`) cannot be suppressed, and neither can `invalid-suppression` and \
`unused-suppression` themselves: turn those off with `--ignore` or `wfc.toml` instead.",
    example: "export const meta = { name: 'x', description: 'y' }\n// wfc-ignore: unknown-global\nawait sleep(1000)\n",
    check: Check::FrontEnd,
};

/// What is wrong with a suppression comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem<'a> {
    /// `wfc-ignore` without the colon, or with no code after it.
    Malformed,
    /// The codes are fine but no reason follows them; carries the codes as written.
    MissingReason(&'a str),
    /// The code is not a rule; carries a close known code, if any.
    UnknownCode(&'a str, Option<&'a str>),
    /// The code names a rule that inline comments cannot suppress.
    NotSuppressible(&'a str),
}

pub fn diagnostic(span: Span, problem: Problem<'_>) -> Diagnostic {
    match problem {
        Problem::Malformed => Diagnostic::warning(
            RULE.code,
            span,
            "malformed `wfc-ignore` comment",
        )
        .label("expected `wfc-ignore: <code> <reason>`")
        .help("write `// wfc-ignore: <code> <reason>`, e.g. `// wfc-ignore: unknown-global defined by the runtime's preamble`"),
        Problem::MissingReason(codes) => Diagnostic::warning(
            RULE.code,
            span,
            format!("suppression of `{codes}` gives no reason, so it is not applied"),
        )
        .label("no reason")
        .help(format!("say why after the code: `// wfc-ignore: {codes} <reason>`")),
        Problem::UnknownCode(code, suggestion) => {
            let d = Diagnostic::warning(RULE.code, span, format!("`{code}` is not a wfc rule code"))
                .label("unknown code");
            match suggestion {
                Some(s) => d.help(format!("did you mean `{s}`? The codes are listed in docs/rules.md")),
                None => d.help("use a code from docs/rules.md, as printed in brackets or after `code:` in wfc's output"),
            }
        }
        Problem::NotSuppressible(code) => {
            let help = if matches!(code, "invalid-suppression" | "unused-suppression") {
                format!("turn it off with `--ignore {code}` or `[rules] ignore` in wfc.toml instead")
            } else {
                "the script cannot be checked until it parses; fix the error instead".to_owned()
            };
            Diagnostic::warning(
                RULE.code,
                span,
                format!("`{code}` cannot be suppressed with a comment"),
            )
            .label("not suppressible")
            .help(help)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn missing_reason() {
        let src = format!("{META}// wfc-ignore: unknown-global\nawait sleep(1)\n");
        let d = diagnostics_for("invalid-suppression", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("gives no reason"), "{}", d[0].message);
        // Not applied: the original finding stays.
        assert_eq!(diagnostics_for("unknown-global", &src).len(), 1);
    }

    #[test]
    fn unknown_code_points_at_the_code_and_suggests() {
        let src = format!("{META}await sleep(1) // wfc-ignore: unknown-globl the runtime has it\n");
        let d = diagnostics_for("invalid-suppression", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "unknown-globl");
        assert!(
            d[0].help
                .as_deref()
                .is_some_and(|h| h.contains("`unknown-global`")),
            "{:?}",
            d[0].help
        );
    }

    #[test]
    fn malformed_and_unsuppressible() {
        let src = format!("{META}// wfc-ignore unknown-global reason\nlog(1) // wfc-ignore: syntax-error reason\n");
        let d = diagnostics_for("invalid-suppression", &src);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("malformed"), "{}", d[0].message);
        assert!(
            d[1].message.contains("cannot be suppressed"),
            "{}",
            d[1].message
        );
    }

    #[test]
    fn well_formed_suppression_has_none() {
        let src =
            format!("{META}await sleep(1) // wfc-ignore: unknown-global provided by a shim\n");
        assert!(diagnostics_for("invalid-suppression", &src).is_empty());
    }
}
