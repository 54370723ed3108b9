//! `invalid-effort`: an `agent()` `effort` value that is not one of the runtime's levels.
//!
//! This file also holds the check `invalid-isolation` shares: a fixed-value option written as a
//! literal that is not among the accepted values.

use wfc_ir::{AgentOption, Expr, ExprKind, Literal, OptionKey, Span, EFFORT_LEVELS};

use super::meta_required::{possible_values, static_str};
use super::unknown_agent_option::for_each_literal_option;
use super::unknown_global::closest;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "invalid-effort",
    severity: Severity::Error,
    summary: "An `agent()` call sets `effort` to a value that is not `'low'`, `'medium'`, `'high'`, `'xhigh'` or `'max'`.",
    explanation: "`effort` takes one of `'low'`, `'medium'`, `'high'`, `'xhigh'` and `'max'` (the \
strings are case-sensitive). Omit it to inherit the session's effort; `'low'` suits cheap \
mechanical stages. wfc checks values written as literals, including both branches of a \
conditional (`quick ? 'low' : 'high'`); values computed at run time are not checked.",
    example: "export const meta = { name: 'x', description: 'y' }\nawait agent('summarise the log', { effort: 'minimal' })\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    check_option_values(
        ctx,
        OptionKey::Effort,
        &EFFORT_LEVELS,
        |span, value, suggestion| {
            let help = match suggestion {
            Some(s) => format!("did you mean `'{s}'`? `effort` is one of {}, or omit it to inherit the session effort", quoted(&EFFORT_LEVELS)),
            None => format!("use one of {}, or omit `effort` to inherit the session effort", quoted(&EFFORT_LEVELS)),
        };
            Diagnostic::error(
                RULE.code,
                span,
                format!("`{value}` is not an `effort` level"),
            )
            .label("not an effort level")
            .help(help)
        },
    );
}

/// `'a'`, `'b'`, `'c'`.
pub(crate) fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`'{v}'`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reports every literal value of option `key`, in any literal `agent()` options object, that is
/// not in `allowed`. `diagnostic` gets the value's span, its text (`minimal`, `3`) and the closest
/// allowed value, if one is close.
pub(crate) fn check_option_values(
    ctx: &mut RuleContext<'_>,
    key: OptionKey,
    allowed: &[&str],
    diagnostic: impl Fn(Span, &str, Option<&str>) -> Diagnostic,
) {
    let mut found = Vec::new();
    for_each_literal_option(&ctx.index().primitives, |entry| {
        let AgentOption::Known { key: k, value, .. } = entry else {
            return;
        };
        if *k != key {
            return;
        }
        for v in possible_values(value) {
            if let Some(text) = invalid_literal(v, allowed) {
                let suggestion = closest(&text, allowed.iter().copied());
                found.push(diagnostic(v.span, &text, suggestion));
            }
        }
    });
    for d in found {
        ctx.report(d);
    }
}

/// The text of a literal value that cannot be one of `allowed`: a string not in the list, a
/// number, or `true`. `undefined`, `null` and `false` read as "not set" and pass, as do values
/// only known at run time.
fn invalid_literal(value: &Expr, allowed: &[&str]) -> Option<String> {
    if let Some(s) = static_str(value) {
        return (!allowed.contains(&s)).then(|| s.to_owned());
    }
    match &value.kind {
        ExprKind::Literal {
            value: Literal::Number(n),
        } => Some(n.0.to_string()),
        ExprKind::Literal {
            value: Literal::Bool(true),
        } => Some("true".to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn unknown_level_is_reported_at_the_value() {
        let src = format!("{META}await agent('p', {{ effort: 'minimal' }})\n");
        let d = diagnostics_for("invalid-effort", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "'minimal'");
        assert_eq!(d[0].message, "`minimal` is not an `effort` level");
        assert_eq!(
            d[0].help.as_deref(),
            Some("use one of `'low'`, `'medium'`, `'high'`, `'xhigh'`, `'max'`, or omit `effort` to inherit the session effort")
        );
        assert!(d[0].label.is_some());
    }

    #[test]
    fn valid_and_dynamic_values_are_quiet() {
        let src = format!(
            "{META}for (const e of ['low', 'medium', 'high', 'xhigh', 'max']) await agent('p', {{ effort: e }})\nawait agent('p', {{ effort: `max` }})\nawait agent('p', {{ effort: args.effort ?? 'low' }})\nawait agent('p', {{ effort: undefined }})\nawait agent('p', {{ effort: `x${{1}}` }})\n"
        );
        assert!(diagnostics_for("invalid-effort", &src).is_empty());
    }

    #[test]
    fn case_matters_and_a_close_level_is_suggested() {
        let src = format!("{META}await agent('p', {{ effort: 'High' }})\n");
        let d = diagnostics_for("invalid-effort", &src);
        assert_eq!(d.len(), 1);
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .starts_with("did you mean `'high'`?"));
    }

    #[test]
    fn conditional_branches_and_numbers() {
        let src = format!(
            "{META}const f = (quick) => agent('p', {{ effort: quick ? 'lo' : args.deep ? 'max' : 'ultra' }})\nawait agent('q', {{ effort: 3 }})\n"
        );
        let d = diagnostics_for("invalid-effort", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["'lo'", "'ultra'", "3"]);
        assert_eq!(d[2].message, "`3` is not an `effort` level");
    }
}
