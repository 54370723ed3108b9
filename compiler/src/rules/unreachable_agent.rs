//! `unreachable-agent`: an `agent()` call in a function that is never called.

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "unreachable-agent",
    severity: Severity::Warning,
    summary: "An `agent()` call sits in a function that is never called, so it never runs.",
    explanation: "A helper that is defined but never used (often left over after an edit) makes the script look like it does more than it does, and its agents never appear in the run. Call the function, or delete it.",
    example: "export const meta = { name: 'x', description: 'y' }\nasync function verify(f) { return agent(`Verify ${f}`) }\nreturn await agent('Summarise the repo')\n",
    check: Check::Bounds(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let Some(analysis) = ctx.analysis else { return };
    for site in &analysis.sites {
        if site.reachable {
            continue;
        }
        ctx.report(
            Diagnostic::warning(
                RULE.code,
                site.span,
                format!(
                    "agent {} never runs: the function it is in is never called",
                    site.id
                ),
            )
            .label("never runs")
            .help("call the function, or delete it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn uncalled_helper() {
        let src = format!(
            "{META}async function verify(f) {{ return agent(`Verify ${{f}}`) }}\nreturn 1\n"
        );
        let d = diagnostics_for("unreachable-agent", &src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(&src, &d[0]), "agent(`Verify ${f}`)");
    }

    #[test]
    fn called_directly_or_as_a_callback_is_reachable() {
        let direct = format!("{META}async function verify(f) {{ return agent(`Verify ${{f}}`) }}\nreturn verify('a')\n");
        assert!(diagnostics_for("unreachable-agent", &direct).is_empty());
        let callback = format!(
            "{META}const verify = f => agent(`Verify ${{f}}`)\nreturn pipeline(['a'], verify)\n"
        );
        assert!(diagnostics_for("unreachable-agent", &callback).is_empty());
        let escaped =
            format!("{META}const verify = f => agent(`Verify ${{f}}`)\nsomeUnknown(verify)\n");
        assert!(diagnostics_for("unreachable-agent", &escaped).is_empty());
    }
}
