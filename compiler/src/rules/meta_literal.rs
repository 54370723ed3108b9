//! `meta-literal`: the `meta` value must be a pure literal.

use wfc_ir::{ArrayElement, Expr, ExprKind, Literal, ObjectProp, PropKey, Span, UnaryOp};

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "meta-literal",
    severity: Severity::Error,
    summary: "The `meta` object contains something other than literal values (a variable, a call, a spread, an interpolation, …).",
    explanation: "Claude Code reads `meta` without running the script: \"The `meta` object must be a \
PURE LITERAL — no variables, function calls, spreads, or template interpolation.\" For a saved \
workflow, a non-literal `meta` drops `/<name>` from autocomplete; for an inline script it can be \
refused.\n\n\
Write every value out: strings, numbers, booleans, `null`, and arrays and objects of them. \
Templates are fine when they have no `${…}`.",
    example: "const NAME = 'audit'\nexport const meta = { name: NAME, description: 'Audit the routes' }\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let Some(value) = ctx.workflow.meta_value() else {
        return;
    };
    let mut found = Vec::new();
    collect(ctx.text, value, &mut found);
    for d in found {
        ctx.report(d);
    }
}

/// Reports every non-literal node under `expr` (without descending into it).
fn collect(text: &str, expr: &Expr, out: &mut Vec<Diagnostic>) {
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Array { elements } => {
                for el in elements {
                    match el {
                        ArrayElement::Expr { expr } => stack.push(expr),
                        ArrayElement::Spread { expr } => {
                            out.push(diagnostic(text, expr.span, "a spread"))
                        }
                        ArrayElement::Hole => {}
                    }
                }
            }
            ExprKind::Object { props } => {
                for p in props {
                    match p {
                        ObjectProp::KeyValue { key, value } => {
                            stack.push(value);
                            if let PropKey::Computed { expr } = key {
                                out.push(diagnostic(text, expr.span, "a computed key"));
                            }
                        }
                        ObjectProp::Spread { expr } => {
                            out.push(diagnostic(text, expr.span, "a spread"))
                        }
                    }
                }
            }
            ExprKind::Template { exprs, .. } if !exprs.is_empty() => {
                for x in exprs {
                    out.push(diagnostic(text, x.span, "a template interpolation"));
                }
            }
            _ if is_literal_node(e) => {}
            kind => out.push(diagnostic(text, e.span, describe(kind))),
        }
    }
    // The stack does not visit in source order.
    out.sort_by_key(|d| d.span);
}

/// Whether this node (not its children) is allowed in a pure literal: a primitive literal, a
/// template without `${…}`, a signed number, or an array or object (whose parts are checked
/// separately).
pub(crate) fn is_literal_node(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Literal { .. } | ExprKind::Array { .. } | ExprKind::Object { .. } => true,
        ExprKind::Template { exprs, .. } => exprs.is_empty(),
        ExprKind::Unary {
            op: UnaryOp::Minus | UnaryOp::Plus,
            arg,
        } => matches!(
            arg.kind,
            ExprKind::Literal {
                value: Literal::Number(_)
            }
        ),
        _ => false,
    }
}

fn describe(kind: &ExprKind) -> &'static str {
    match kind {
        ExprKind::Var { .. } | ExprKind::Global { .. } | ExprKind::Args | ExprKind::Budget => {
            "a variable"
        }
        ExprKind::Call { .. }
        | ExprKind::New { .. }
        | ExprKind::Agent(_)
        | ExprKind::Parallel { .. }
        | ExprKind::Pipeline { .. }
        | ExprKind::Phase { .. }
        | ExprKind::Log { .. }
        | ExprKind::Workflow { .. }
        | ExprKind::Import { .. } => "a function call",
        ExprKind::Function { .. } | ExprKind::PrimitiveRef { .. } => "a function",
        ExprKind::Member { .. } | ExprKind::Chain { .. } => "a property access",
        ExprKind::Regex { .. } => "a regular expression",
        ExprKind::Binary { .. } | ExprKind::Logical { .. } | ExprKind::Conditional { .. } => {
            "a computed expression"
        }
        _ => "an expression",
    }
}

/// The longest source excerpt quoted in a message.
const MAX_EXCERPT: usize = 40;

fn diagnostic(text: &str, span: Span, what: &str) -> Diagnostic {
    let excerpt = text
        .get(span.start as usize..span.end as usize)
        .filter(|s| s.len() <= MAX_EXCERPT && !s.contains('\n'))
        .map(|s| format!(" `{s}`"))
        .unwrap_or_default();
    Diagnostic::error(
        RULE.code,
        span,
        format!("`meta` must be a pure literal, but contains {what}{excerpt}"),
    )
    .label("not a literal value")
    .help("write the value out literally; meta is read without running the script")
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    #[test]
    fn variable_is_reported_at_its_span() {
        let src = "const NAME = 'audit'\nexport const meta = { name: NAME, description: 'd' }\n";
        let d = diagnostics_for("meta-literal", src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(src, &d[0]), "NAME");
        assert_eq!(
            d[0].message,
            "`meta` must be a pure literal, but contains a variable `NAME`"
        );
        assert!(d[0].label.is_some() && d[0].help.is_some());
    }

    #[test]
    fn pure_literal_is_quiet() {
        let src = "export const meta = {\n  name: 'a', description: `b`, 'when-to': \"c\", 1: -1, x: +2.5,\n  flags: [true, false, null], phases: [{ title: 'T', detail: 'd' }],\n}\nreturn 1\n";
        assert!(diagnostics_for("meta-literal", src).is_empty());
    }

    #[test]
    fn each_offending_node_once_without_descending() {
        let src = "const base = {}\nexport const meta = { name: pick('a', base), description: `v${1 + 2}`, ...base, [k]: 1, phases: [...P], f: () => 1, n: -x }\n";
        let d = diagnostics_for("meta-literal", src);
        let spans: Vec<_> = d.iter().map(|d| spanned(src, d)).collect();
        assert_eq!(
            spans,
            [
                "pick('a', base)",
                "1 + 2",
                "base",
                "k",
                "P",
                "() => 1",
                "-x"
            ]
        );
        assert!(d[0].message.contains("a function call"), "{}", d[0].message);
        assert!(
            d[1].message.contains("template interpolation"),
            "{}",
            d[1].message
        );
        assert!(d[2].message.contains("a spread"), "{}", d[2].message);
        assert!(d[3].message.contains("a computed key"), "{}", d[3].message);
        assert!(d[5].message.contains("a function"), "{}", d[5].message);
    }

    #[test]
    fn string_concatenation_is_not_literal() {
        let src = "export const meta = { name: 'a' + 'b', description: 'd' }\n";
        let d = diagnostics_for("meta-literal", src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(src, &d[0]), "'a' + 'b'");
    }

    #[test]
    fn long_excerpts_are_not_quoted() {
        let src = "export const meta = { name: someFunction('a very long argument list', 'and more text'), description: 'd' }\n";
        let d = diagnostics_for("meta-literal", src);
        assert_eq!(
            d[0].message,
            "`meta` must be a pure literal, but contains a function call"
        );
    }

    #[test]
    fn non_object_meta_value_is_checked_too() {
        let src = "export const meta = makeMeta()\n";
        let d = diagnostics_for("meta-literal", src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(src, &d[0]), "makeMeta()");
    }
}
