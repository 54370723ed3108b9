//! `unused-agent-result`: an `agent()` call that asks for structured output (`schema`) whose
//! result nothing reads.
//!
//! Agents without a schema often run for their side effects (a fixer editing files), so only
//! calls with a `schema` option are reported.

use wfc_ir::{AgentCall, AgentOptions, Expr, ExprKind, Literal, OptionKey, Pattern, StmtKind};

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "unused-agent-result",
    severity: Severity::Warning,
    summary: "An `agent()` call with a `schema` has its structured result discarded.",
    explanation: "A `schema` forces the agent to answer through a structured-output tool, which is \
validated and retried (up to 5 times) until it matches. That costs tokens and time, and is only \
worth it when the script reads the answer. A call whose result is dropped \
(`await agent(…, { schema })` as a statement) or stored in a variable that is never read usually \
means a forgotten `const x =`, a typo in the variable that was meant to be used, or a leftover \
from an edit.\n\n\
Use the result, or drop `schema` when the agent runs only for its side effects. To keep an \
unused binding on purpose, start its name with `_`. Calls without `schema` are not reported.",
    example: "export const meta = { name: 'x', description: 'y' }\nawait agent('list the flaky tests', { schema: { type: 'object', properties: { tests: { type: 'array' } } } })\nreturn 'done'\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    // Every finding is about an `agent()` call with a `schema`.
    if !ctx
        .index()
        .primitives
        .iter()
        .any(|e| structured_call(e).is_some())
    {
        return;
    }
    let mut found = Vec::new();
    for stmt in &ctx.index().stmts {
        match &stmt.kind {
            StmtKind::Expr { expr } if structured_call(expr).is_some() => {
                found.push(
                    Diagnostic::warning(
                        RULE.code,
                        expr.span,
                        "the structured result of this `agent()` call is discarded",
                    )
                    .label("asks for a `schema` answer that nothing reads")
                    .help("keep the result (`const result = await agent(…)`) and use it, or drop `schema` if the agent runs only for its side effects"),
                );
            }
            StmtKind::VarDecl { decls, .. } => {
                for d in decls {
                    let (
                        Pattern::Binding {
                            name,
                            binding,
                            span,
                        },
                        Some(init),
                    ) = (&d.pattern, &d.init)
                    else {
                        continue;
                    };
                    if name.starts_with('_') || ctx.reads(*binding) > 0 {
                        continue;
                    }
                    if structured_call(init).is_some() {
                        found.push(
                            Diagnostic::warning(
                                RULE.code,
                                *span,
                                format!("`{name}` holds a structured `agent()` result but is never read"),
                            )
                            .label("never read")
                            .help(format!("use `{name}`, or drop `schema` if the agent runs only for its side effects (name it `_{name}` to keep it unused on purpose)")),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    found.sort_by_key(|d| d.span);
    for d in found {
        ctx.report(d);
    }
}

/// The `agent()` call an expression is (awaited or not), when it sets `schema`.
fn structured_call(expr: &Expr) -> Option<&AgentCall> {
    let expr = match &expr.kind {
        ExprKind::Await { arg } => arg,
        _ => expr,
    };
    let ExprKind::Agent(call) = &expr.kind else {
        return None;
    };
    let schema = match call.options.as_ref()? {
        opts @ AgentOptions::Literal { .. } => opts.get(OptionKey::Schema)?,
        AgentOptions::Dynamic { .. } => return None,
    };
    let unset = matches!(
        schema.kind,
        ExprKind::Literal {
            value: Literal::Undefined | Literal::Null
        }
    );
    (!unset).then_some(&**call)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};
    use crate::rules::thunk_expected::spans_for;

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";
    const S: &str = "{ schema: { type: 'object' } }";

    fn spans(src: &str) -> Vec<String> {
        spans_for("unused-agent-result", src)
    }

    #[test]
    fn discarded_statement_is_reported() {
        let src = format!("{META}await agent('list', {S})\nagent('more', {S})\n");
        let d = diagnostics_for("unused-agent-result", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(
            spans,
            [
                "await agent('list', { schema: { type: 'object' } })",
                "agent('more', { schema: { type: 'object' } })"
            ]
        );
        assert_eq!(
            d[0].message,
            "the structured result of this `agent()` call is discarded"
        );
        assert!(d[0].label.is_some());
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("drop `schema`"));
    }

    #[test]
    fn unread_binding_is_reported_at_the_name() {
        let src = format!(
            "{META}const report = await agent('r', {S})\nlet other = agent('o', {S})\nother = 1\n"
        );
        let d = diagnostics_for("unused-agent-result", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["report", "other"]);
        assert_eq!(
            d[0].message,
            "`report` holds a structured `agent()` result but is never read"
        );
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("`_report`"));
    }

    #[test]
    fn side_effect_agents_and_used_results_are_quiet() {
        let src = format!(
            "{META}await agent('fix the bug', {{ label: 'fixer', isolation: 'worktree' }})\nconst _ignored = await agent('x', {S})\nconst used = await agent('y', {S})\nconst opts = {S}\nawait agent('z', opts)\nawait agent('w', {{ schema: undefined }})\nconst later = await agent('v', {S})\nfunction f() {{ return later.x }}\nreturn used\n"
        );
        assert!(spans(&src).is_empty(), "{:?}", spans(&src));
    }

    #[test]
    fn nested_in_functions_and_loops() {
        let src = format!(
            "{META}for (const f of ['a']) {{\n  await agent(f, {S})\n}}\nconst g = async () => {{ const unused = await agent('g', {S}) }}\nawait g()\n"
        );
        assert_eq!(
            spans(&src),
            ["await agent(f, { schema: { type: 'object' } })", "unused"]
        );
    }
}
