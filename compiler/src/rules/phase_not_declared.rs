//! `phase-not-declared`: a `phase()` title or `opts.phase` that `meta.phases` does not declare.

use wfc_ir::{AgentOptions, Expr, ExprKind, OptionKey};

use super::meta_phases::declared_titles;
use super::meta_required::{possible_values, static_str};
use super::unknown_global::closest;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "phase-not-declared",
    severity: Severity::Warning,
    summary: "`phase('X')` or `agent(…, { phase: 'X' })` uses a title that `meta.phases` does not declare.",
    explanation: "Progress groups are matched to `meta.phases[].title` by exact string. A title with \
no entry still works, but \"just gets its own progress group\": it is missing from the approval \
dialog, has no detail line, and a near-miss (`'Verify'` vs `'verify'`) splits one phase into two \
boxes.\n\n\
Add `{ title: 'X' }` to `meta.phases`, or fix the spelling. Titles computed at run time are not \
checked, nor is anything when `meta.phases` itself is not a literal.",
    example: "export const meta = { name: 'x', description: 'y', phases: [{ title: 'Scan' }] }\nphase('Verify')\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let Some(titles) = declared_titles(ctx.workflow) else {
        return;
    };
    let mut found = Vec::new();
    let mut check_title = |title: &Expr| {
        for v in possible_values(title) {
            let Some(text) = static_str(v) else {
                continue;
            };
            if titles.contains(&text) {
                continue;
            }
            let help = match suggest(text, &titles) {
                Some(s) => format!("did you mean `{s}`? Titles must match `meta.phases` exactly"),
                None => {
                    format!("add `{{ title: '{text}' }}` to `meta.phases`, or fix the spelling")
                }
            };
            found.push(
                Diagnostic::warning(
                    RULE.code,
                    v.span,
                    format!("phase `{text}` is not declared in `meta.phases`"),
                )
                .label("no `meta.phases` entry with this title")
                .help(help),
            );
        }
    };
    ctx.index().primitives.iter().for_each(|&e| match &e.kind {
        ExprKind::Phase { args } => {
            if let Some(first) = args.first().filter(|a| !a.spread) {
                check_title(&first.expr);
            }
        }
        ExprKind::Agent(call) => {
            if let Some(opts @ AgentOptions::Literal { .. }) = &call.options {
                if let Some(value) = opts.get(OptionKey::Phase) {
                    check_title(value);
                }
            }
        }
        _ => {}
    });
    for d in found {
        ctx.report(d);
    }
}

/// A declared title equal ignoring case and surrounding space, or close to it.
fn suggest<'a>(title: &str, declared: &[&'a str]) -> Option<&'a str> {
    let key = title.trim().to_lowercase();
    declared
        .iter()
        .copied()
        .find(|d| d.trim().to_lowercase() == key)
        .or_else(|| closest(title, declared.iter().copied()))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y', phases: [{ title: 'Scan' }, { title: 'Verify findings' }] }\n";

    #[test]
    fn undeclared_phase_call_is_a_warning_at_the_title() {
        let src = format!("{META}phase('Report')\n");
        let d = diagnostics_for("phase-not-declared", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "'Report'");
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(
            d[0].message,
            "phase `Report` is not declared in `meta.phases`"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("add `{ title: 'Report' }` to `meta.phases`, or fix the spelling")
        );
        assert!(d[0].label.is_some());
    }

    #[test]
    fn declared_and_dynamic_titles_are_quiet() {
        let src = format!(
            "{META}phase('Scan')\nphase(`Verify findings`)\nconst t = args.title\nphase(t)\nphase(`Round ${{t}}`)\nawait agent('p', {{ phase: 'Scan' }})\nawait agent('p', {{ phase: t }})\n"
        );
        assert!(diagnostics_for("phase-not-declared", &src).is_empty());
    }

    #[test]
    fn agent_phase_option_and_suggestions() {
        let src = format!(
            "{META}await parallel([() => agent('p', {{ phase: 'scan' }}), () => agent('q', {{ phase: 'Verify finding' }})])\n"
        );
        let d = diagnostics_for("phase-not-declared", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["'scan'", "'Verify finding'"]);
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .starts_with("did you mean `Scan`?"));
        assert!(d[1]
            .help
            .as_deref()
            .unwrap_or_default()
            .starts_with("did you mean `Verify findings`?"));
    }

    #[test]
    fn conditional_titles() {
        let src = format!("{META}phase(args.quick ? 'Scan' : 'Deep scan')\n");
        let d = diagnostics_for("phase-not-declared", &src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(&src, &d[0]), "'Deep scan'");
    }

    #[test]
    fn meta_without_phases_declares_none() {
        let src = "export const meta = { name: 'x', description: 'y' }\nphase('Scan')\n";
        assert_eq!(diagnostics_for("phase-not-declared", src).len(), 1);
    }

    #[test]
    fn non_literal_phases_are_not_checked() {
        let src =
            "export const meta = { name: 'x', description: 'y', phases: [...P] }\nphase('Scan')\n";
        assert!(diagnostics_for("phase-not-declared", src).is_empty());
        let src = "phase('Scan')\n";
        assert!(diagnostics_for("phase-not-declared", src).is_empty());
    }
}
