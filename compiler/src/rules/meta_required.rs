//! `meta-required`: `meta` must be an object literal with a non-empty `name` and `description`.
//!
//! This file also holds the helpers the other meta and option rules share: reading the meta
//! object's keys and reading the string a literal-ish expression stands for.

use wfc_ir::{Expr, ExprKind, Literal, ObjectProp, PropKey, Span, Workflow};

use super::meta_literal::is_literal_node;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "meta-required",
    severity: Severity::Error,
    summary: "`meta` is not an object literal, or lacks a non-empty `name` or `description`.",
    explanation:
        "The runtime validates `meta` before it runs anything and refuses the script with \
`meta.name must be a non-empty string` or `meta.description must be a non-empty string`. `name` \
becomes the `/<name>` command and the run's `workflowName`; `description` is the line shown in \
the permission dialog.\n\n\
Write both as plain strings: `export const meta = { name: 'audit-routes', description: 'Audit \
every route handler' }`.",
    example: "export const meta = { name: 'audit', description: '' }\nreturn 1\n",
    check: Check::Ir(check),
};

const REQUIRED: [(&str, &str); 2] = [
    ("name", "name: 'my-workflow'"),
    (
        "description",
        "description: 'what the workflow does, in one line'",
    ),
];

fn check(ctx: &mut RuleContext<'_>) {
    let Some(meta) = &ctx.workflow.meta else {
        return; // meta-first reports a missing declaration
    };
    let Some(value) = ctx.workflow.meta_value() else {
        ctx.report(
            Diagnostic::error(RULE.code, meta.span, "`meta` must be an object literal")
                .label("no value")
                .help("write `export const meta = { name: '…', description: '…' }`"),
        );
        return;
    };
    let ExprKind::Object { props } = &value.kind else {
        ctx.report(
            Diagnostic::error(RULE.code, value.span, "`meta` must be an object literal")
                .label("not an object literal")
                .help("write `export const meta = { name: '…', description: '…' }`"),
        );
        return;
    };
    for (key, example) in REQUIRED {
        let message = format!("`meta.{key}` must be a non-empty string");
        match prop(props, key) {
            None => ctx.report(
                Diagnostic::error(RULE.code, value.span, message)
                    .label(format!("no `{key}` key"))
                    .help(format!("add `{example}` to `meta`")),
            ),
            Some((_, v)) => {
                if let Some(problem) = not_a_nonempty_string(v) {
                    ctx.report(
                        Diagnostic::error(RULE.code, v.span, message)
                            .label(problem)
                            .help(format!("write a plain string, e.g. `{example}`")),
                    );
                }
            }
        }
    }
}

/// Why a literal value is not a non-empty string, or `None` when it is one. Values that are not
/// literals at all (variables, calls, interpolations) are left to `meta-literal`.
pub(crate) fn not_a_nonempty_string(value: &Expr) -> Option<&'static str> {
    match static_str(value) {
        Some(s) if s.trim().is_empty() => Some("empty string"),
        Some(_) => None,
        None if is_literal_node(value) => Some("not a string"),
        None => None,
    }
}

/// The string a string literal or a template without substitutions stands for.
pub(crate) fn static_str(expr: &Expr) -> Option<&str> {
    match &expr.kind {
        ExprKind::Literal {
            value: Literal::String(s),
        } => Some(s),
        ExprKind::Template { quasis, exprs } if exprs.is_empty() => {
            quasis.first().map(wfc_ir::Name::as_str)
        }
        _ => None,
    }
}

/// The expressions a value can come from: the branches of (nested) conditionals, or the value
/// itself. `cheap ? 'low' : 'high'` gives `'low'` and `'high'`.
pub(crate) fn possible_values(expr: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Conditional {
                consequent,
                alternate,
                ..
            } => {
                stack.push(alternate);
                stack.push(consequent);
            }
            _ => out.push(e),
        }
    }
    out
}

/// The meta value's properties, when it is an object literal.
pub(crate) fn meta_props(workflow: &Workflow) -> Option<&[ObjectProp]> {
    match &workflow.meta_value()?.kind {
        ExprKind::Object { props } => Some(props),
        _ => None,
    }
}

/// The value written for a named key (the last one wins, as in JavaScript) and its key's span.
pub(crate) fn prop<'a>(props: &'a [ObjectProp], key: &str) -> Option<(Span, &'a Expr)> {
    named_props(props)
        .filter(|(name, _, _)| *name == key)
        .last()
        .map(|(_, span, value)| (span, value))
}

/// The `key: value` entries with a plain (non-computed) key, in source order.
pub(crate) fn named_props(props: &[ObjectProp]) -> impl Iterator<Item = (&str, Span, &Expr)> {
    props.iter().filter_map(|p| match p {
        ObjectProp::KeyValue {
            key: PropKey::Named { name, span },
            value,
        } => Some((name.as_str(), *span, value)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    #[test]
    fn empty_description_is_reported_at_the_value() {
        let src = "export const meta = { name: 'audit', description: '' }\nreturn 1\n";
        let d = diagnostics_for("meta-required", src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(src, &d[0]), "''");
        assert_eq!(
            d[0].message,
            "`meta.description` must be a non-empty string"
        );
        assert!(d[0].label.is_some() && d[0].help.is_some());
    }

    #[test]
    fn complete_meta_is_quiet() {
        let src = "// header\nexport const meta = {\n  name: \"audit\",\n  description: `Audit routes`,\n  whenToUse: 'x',\n  phases: [{ title: 'Scan' }],\n}\nreturn 1\n";
        assert!(diagnostics_for("meta-required", src).is_empty());
    }

    #[test]
    fn missing_keys_are_reported_at_the_object() {
        let src = "export const meta = { whenToUse: 'x' }\n";
        let d = diagnostics_for("meta-required", src);
        assert_eq!(d.len(), 2);
        assert_eq!(spanned(src, &d[0]), "{ whenToUse: 'x' }");
        assert_eq!(spanned(src, &d[1]), "{ whenToUse: 'x' }");
        // Same span: the output is ordered by message.
        assert_eq!(
            d[0].message,
            "`meta.description` must be a non-empty string"
        );
        assert_eq!(d[1].message, "`meta.name` must be a non-empty string");
        let help = d[1].help.as_deref().unwrap_or_default();
        assert!(help.contains("add `name:"), "{help}");
    }

    #[test]
    fn non_string_and_blank_values() {
        let src = "export const meta = { name: 42, description: '   ' }\n";
        let d = diagnostics_for("meta-required", src);
        let spans: Vec<_> = d.iter().map(|d| spanned(src, d)).collect();
        assert_eq!(spans, ["42", "'   '"]);
    }

    #[test]
    fn meta_that_is_not_an_object() {
        let src = "export const meta = 'audit'\n";
        let d = diagnostics_for("meta-required", src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(src, &d[0]), "'audit'");
        assert_eq!(d[0].message, "`meta` must be an object literal");
    }

    #[test]
    fn dynamic_values_are_left_to_meta_literal() {
        let src = "const N = 'a'\nexport const meta = { name: N, description: `d ${N}` }\n";
        assert!(diagnostics_for("meta-required", src).is_empty());
    }

    #[test]
    fn no_meta_at_all_is_left_to_meta_first() {
        assert!(diagnostics_for("meta-required", "return 1\n").is_empty());
    }
}
