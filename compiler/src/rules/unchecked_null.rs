//! `unchecked-null`: a property read on the result of `await agent(…)` that was never checked for
//! `null`.
//!
//! Flow-insensitive on purpose: a variable counts as checked from the first place, in source
//! order, where it is tested (`if (!r)`, `r ? … : …`, `r && …`, `r == null`, `r?.x`, …). A read
//! inside a function the variable is not declared in counts as checked when the variable is
//! tested anywhere: a helper declared near the top usually runs after the script's guard
//! (`spec = await agent(…); if (!spec) return …`). Results of `parallel()` and `pipeline()` are
//! out of scope.

use crate::fxhash::{HashMap, HashSet};

use wfc_ir::{
    AssignOp, AssignTarget, BinaryOp, BindingId, Expr, ExprKind, LogicalOp, MemberProp, Pattern,
    StmtKind, UnaryOp,
};

use super::thunk_expected::snippet;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::VarMember;

pub const RULE: Rule = Rule {
    code: "unchecked-null",
    severity: Severity::Warning,
    summary: "A property of an `agent()` result is read without checking for `null` first.",
    explanation: "`agent()` does not throw when its agent fails: it **resolves to `null`** when the user \
stops or skips the agent from `/workflows`, or when the agent dies on a terminal API error after \
retries. `const r = await agent(…); r.findings` then throws a `TypeError` and fails the whole \
run, hours in, after every earlier agent was paid for.\n\n\
Check the result before reading it: `if (!r) { log('review failed'); return … }`, `r ? r.x : \
fallback`, or read it with optional chaining and a default: `r?.findings ?? []`. wfc treats a \
variable as checked from the first place it is tested, in source order; destructuring the result \
directly (`const { findings } = await agent(…)`) throws the same way.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst r = await agent('list the bugs', { schema: { type: 'object', properties: { bugs: { type: 'array' } } } })\nreturn r.bugs.length\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let index = ctx.index();
    let mut finder = Finder::default();
    for stmt in &index.stmts {
        match &stmt.kind {
            StmtKind::VarDecl { decls, .. } => {
                for d in decls {
                    if let Some(init) = &d.init {
                        finder.note_result(&d.pattern, init);
                    }
                }
            }
            StmtKind::If { test, .. }
            | StmtKind::While { test, .. }
            | StmtKind::DoWhile { test, .. } => finder.tested(test),
            StmtKind::For {
                test: Some(test), ..
            } => finder.tested(test),
            _ => {}
        }
    }
    for &expr in &index.all {
        match &expr.kind {
            ExprKind::Conditional { test, .. } => finder.tested(test),
            ExprKind::Logical { left, .. } => finder.tested(left),
            ExprKind::Binary { op, .. } if is_equality(*op) => finder.tested(expr),
            ExprKind::Assign {
                op: AssignOp::Assign,
                target,
                value,
            } => {
                if let AssignTarget::Var { binding, .. } = &**target {
                    if is_awaited_agent(value) {
                        finder.results.insert(*binding);
                    }
                }
            }
            ExprKind::Assign {
                op: AssignOp::Logical(LogicalOp::And | LogicalOp::Or | LogicalOp::Nullish),
                target,
                ..
            } => {
                if let AssignTarget::Var { binding, span, .. } = &**target {
                    finder.guard(*binding, span.start);
                }
            }
            _ => {}
        }
    }
    for access in &index.var_members {
        if access.optional {
            finder.guard(access.binding, access.object_start);
        }
    }
    let mut found = finder.destructured;
    let mut first: HashMap<BindingId, &VarMember> = HashMap::default();
    for access in &index.var_members {
        if access.optional || !finder.results.contains(&access.binding) {
            continue;
        }
        let declared_in = index
            .declared_in
            .get(access.binding.0 as usize)
            .copied()
            .flatten();
        let checked = finder
            .guards
            .get(&access.binding)
            .is_some_and(|g| *g < access.span.start || access.in_function != declared_in);
        if checked {
            continue;
        }
        let slot = first.entry(access.binding).or_insert(access);
        if access.span.start < slot.span.start {
            *slot = access;
        }
    }
    for access in first.into_values() {
        found.push(diagnostic(ctx.text, access));
    }
    found.sort_by_key(|d| d.span);
    for d in found {
        ctx.report(d);
    }
}

fn diagnostic(text: &str, access: &VarMember) -> Diagnostic {
    let name = access.name;
    let safe = match access.property {
        MemberProp::Named { name: p, .. } => format!("{name}?.{p}"),
        MemberProp::Computed { expr } => format!("{name}?.[{}]", snippet(text, expr.span, "…")),
    };
    let safe = if access.called {
        format!("{safe}()")
    } else {
        format!("{safe} ?? []")
    };
    Diagnostic::warning(
        RULE.code,
        access.span,
        format!("`{name}` may be `null` here: `agent()` resolves to `null` when the agent fails or is skipped"),
    )
    .label(format!("throws a `TypeError` when `{name}` is `null`"))
    .help(format!(
        "check for `null` first (`if (!{name}) …`) or use `{safe}`"
    ))
}

/// What the script's tests and assignments say about `agent()` results.
#[derive(Default)]
struct Finder {
    /// Variables assigned `await agent(…)` directly.
    results: HashSet<BindingId>,
    /// Per variable: where it is first tested.
    guards: HashMap<BindingId, u32>,
    destructured: Vec<Diagnostic>,
}

impl Finder {
    fn guard(&mut self, binding: BindingId, at: u32) {
        let g = self.guards.entry(binding).or_insert(at);
        *g = (*g).min(at);
    }

    /// Records every variable an expression in test position checks.
    fn tested(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Var { binding, .. } => self.guard(*binding, expr.span.start),
            ExprKind::Unary {
                op: UnaryOp::Not | UnaryOp::TypeOf,
                arg,
            } => self.tested(arg),
            ExprKind::Logical { left, right, .. } => {
                self.tested(left);
                self.tested(right);
            }
            ExprKind::Binary { op, left, right } if is_equality(*op) => {
                self.tested(left);
                self.tested(right);
            }
            ExprKind::Call { callee, args, .. } if matches!(&callee.kind, ExprKind::Global { name } if name == "Boolean") => {
                if let Some(a) = args.first() {
                    self.tested(&a.expr);
                }
            }
            _ => {}
        }
    }

    fn note_result(&mut self, pattern: &Pattern, init: &Expr) {
        if !is_awaited_agent(init) {
            return;
        }
        match pattern {
            Pattern::Binding { binding, .. } => {
                self.results.insert(*binding);
            }
            Pattern::Object { span, .. } | Pattern::Array { span, .. } => {
                self.destructured.push(
                    Diagnostic::warning(
                        RULE.code,
                        *span,
                        "destructuring an `agent()` result that may be `null`: `agent()` resolves to `null` when the agent fails or is skipped",
                    )
                    .label("throws a `TypeError` when the agent failed")
                    .help("bind the result first and check it (`const r = await agent(…); if (!r) …`), or destructure a fallback: `(await agent(…)) ?? {}`"),
                );
            }
            _ => {}
        }
    }
}

/// `==`, `!=`, `===` or `!==`.
pub(crate) fn is_equality(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq | BinaryOp::NotEq | BinaryOp::StrictEq | BinaryOp::StrictNotEq
    )
}

/// `await agent(…)`, possibly parenthesised.
fn is_awaited_agent(expr: &Expr) -> bool {
    matches!(&expr.kind, ExprKind::Await { arg } if matches!(arg.kind, ExprKind::Agent(_)))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};
    use crate::rules::thunk_expected::spans_for;

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    fn spans(src: &str) -> Vec<String> {
        spans_for("unchecked-null", src)
    }

    #[test]
    fn unchecked_read_is_reported_once_at_the_first_access() {
        let src = format!(
            "{META}const r = await agent('p', {{ schema: {{ type: 'object' }} }})\nlog(`${{r.findings.length}} findings`)\nreturn r.findings\n"
        );
        let d = diagnostics_for("unchecked-null", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "r.findings");
        assert_eq!(
            d[0].message,
            "`r` may be `null` here: `agent()` resolves to `null` when the agent fails or is skipped"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("check for `null` first (`if (!r) …`) or use `r?.findings ?? []`")
        );
        assert!(d[0].label.is_some());
        assert_eq!(d[0].severity, crate::Severity::Warning);
    }

    #[test]
    fn a_helper_declared_above_the_guard_reads_after_it() {
        // `confirm` is declared first but runs after the top-level guard.
        let src = format!(
            "{META}let spec
async function confirm() {{ return agent(`check ${{spec.path}}`) }}
             spec = await agent('write the spec', {{ schema: {{ type: 'object' }} }})
             if (!spec) return 'no spec'
await confirm()
"
        );
        assert!(spans(&src).is_empty(), "{:?}", spans(&src));
        // Never tested anywhere: still reported, inside the helper too.
        let src = format!(
            "{META}let spec
async function confirm() {{ return agent(`check ${{spec.path}}`) }}
             spec = await agent('write the spec', {{ schema: {{ type: 'object' }} }})
await confirm()
"
        );
        assert_eq!(spans(&src), ["spec.path"]);
        // In the function that declares it, source order still decides.
        let src = format!(
            "{META}async function f() {{ const r = await agent('a'); log(r.x); if (!r) return; return r.y }}
await f()
"
        );
        assert_eq!(spans(&src), ["r.x"]);
    }

    #[test]
    fn guards_are_recognised() {
        let src = format!(
            "{META}const a = await agent('a')\nif (!a) throw new Error('no a')\nlog(a.trim())\n\
             const b = await agent('b')\nconst n = b ? b.length : 0\n\
             const c = await agent('c')\nconst m = c && c.items\n\
             const d = await agent('d')\nif (d == null) return null\nreturn d.x\n\
             const e = await agent('e')\nconst x = e?.a ?? e.b\n\
             let f = await agent('f')\nwhile (!f) f = await agent('f2')\nf.done = true\n\
             const g = await agent('g')\nif (g) {{ log(g.summary) }}\n"
        );
        assert!(spans(&src).is_empty(), "{:?}", spans(&src));
    }

    #[test]
    fn access_before_the_check_and_other_forms() {
        let src = format!(
            "{META}const a = await agent('a')\nconst first = a[0]\nif (!a) return\n\
             const b = await agent('b')\nconst t = b.trim()\n\
             let c\nc = await agent('c')\nc.x = 1\n\
             const d = await agent('d')\nconst use = () => d.list.map(x => x)\n"
        );
        let d = diagnostics_for("unchecked-null", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["a[0]", "b.trim", "c.x", "d.list"]);
        assert_eq!(
            d[0].help.as_deref(),
            Some("check for `null` first (`if (!a) …`) or use `a?.[0] ?? []`")
        );
        assert_eq!(
            d[1].help.as_deref(),
            Some("check for `null` first (`if (!b) …`) or use `b?.trim()`")
        );
    }

    #[test]
    fn destructuring_the_result() {
        let src = format!(
            "{META}const {{ findings }} = await agent('p')\nconst [x] = await agent('q')\n"
        );
        assert_eq!(spans(&src), ["{ findings }", "[x]"]);
    }

    #[test]
    fn other_values_are_out_of_scope() {
        let src = format!(
            "{META}const rs = await parallel([() => agent('a')])\nlog(rs[0].x)\nconst p = agent('p')\nconst q = await agent('q').then(r => r ?? '')\nconst s = (await agent('s')) ?? {{}}\nlog(q.length + s.x + JSON.stringify(await agent('t')))\nconst o = {{ a: 1 }}\nlog(o.a)\n"
        );
        assert!(spans(&src).is_empty(), "{:?}", spans(&src));
    }
}
