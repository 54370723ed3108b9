//! `budget-unguarded`: a loop that runs while `budget.remaining()` allows, without checking that a
//! budget was set at all; and `budget(…)` called as a function.

use wfc_ir::visit::{walk_expr, walk_function, walk_stmt, walk_workflow, Visitor};
use wfc_ir::{BinaryOp, Expr, ExprKind, Function, LogicalOp, Stmt, StmtKind};

use super::thunk_expected::snippet;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "budget-unguarded",
    severity: Severity::Warning,
    summary: "A loop runs while `budget.remaining()` allows without checking `budget.total`, or `budget` is called as a function.",
    explanation: "`budget` is an object: `budget.total` is the token target from the user's `+500k` \
directive, or `null` when none was set; `budget.remaining()` is `max(0, total - spent())`, or \
**`Infinity` when there is no target**. A loop such as `while (budget.remaining() > 50_000)` \
therefore never stops on its own when the user gave no budget: it runs until the runtime's \
1,000-agent cap fails the run. The runtime's own guidance is to guard on `budget.total`.\n\n\
Check the target in the loop test, `while (budget.total && budget.remaining() > 50_000)`, or \
around the loop, `if (budget.total) { … }` (an early `if (!budget.total) return …` works too), \
and keep a fixed round limit as a backstop (a loop whose test also compares a counter, \
`round < 10 && budget.remaining() > 50_000`, is not reported). `budget(500000)` throws `budget is not a function`: \
the script cannot set the budget, only read it.",
    example: "export const meta = { name: 'x', description: 'y' }\nwhile (budget.remaining() > 50_000) {\n  await agent('find one more bug')\n}\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    // Every finding is about `budget`: a script that never mentions it needs no walk.
    if !ctx.index().reads_budget {
        return;
    }
    let mut finder = Finder {
        text: ctx.text,
        guarded_ifs: 0,
        exits: vec![false],
        found: Vec::new(),
    };
    walk_workflow(&mut finder, ctx.workflow);
    let mut found = finder.found;
    ctx.index().calls.iter().for_each(|&e| {
        if let ExprKind::Call { callee, .. } = &e.kind {
            if matches!(callee.kind, ExprKind::Budget) {
                found.push(
                    Diagnostic::warning(RULE.code, e.span, "`budget` is an object, not a function")
                        .label("throws `budget is not a function`")
                        .help("the user sets the budget with a `+500k` directive; read it with `budget.total`, `budget.remaining()` and `budget.spent()`"),
                );
            }
        }
    });
    found.sort_by_key(|d| d.span);
    for d in found {
        ctx.report(d);
    }
}

struct Finder<'t> {
    text: &'t str,
    /// How many enclosing `if`s test `budget.total`.
    guarded_ifs: usize,
    /// Per enclosing block or function body: whether an `if (!budget.total) return/throw/…` came
    /// earlier in it.
    exits: Vec<bool>,
    found: Vec<Diagnostic>,
}

impl Finder<'_> {
    fn guarded(&self) -> bool {
        self.guarded_ifs > 0 || self.exits.iter().any(|e| *e)
    }

    fn check_loop(&mut self, stmt: &Stmt, test: &Expr) {
        if self.guarded()
            || !calls_budget(test, "remaining")
            || mentions_total(stmt)
            || has_counter_bound(test)
        {
            return;
        }
        let help = format!(
            "guard the test: `budget.total && {}`, or skip the loop when `budget.total` is `null`",
            snippet(self.text, test.span, "budget.remaining() > 50_000")
        );
        self.found.push(
            Diagnostic::warning(
                RULE.code,
                test.span,
                "loop on `budget.remaining()` without a `budget.total` guard",
            )
            .label("`budget.remaining()` is `Infinity` when no budget was set")
            .help(help),
        );
    }

    fn in_block(&mut self, f: impl FnOnce(&mut Self)) {
        self.exits.push(false);
        f(self);
        self.exits.pop();
    }
}

impl Visitor<'_> for Finder<'_> {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::While { test, .. } | StmtKind::DoWhile { test, .. } => {
                self.check_loop(stmt, test)
            }
            StmtKind::For {
                test: Some(test), ..
            } => self.check_loop(stmt, test),
            StmtKind::Block { .. } => return self.in_block(|v| walk_stmt(v, stmt)),
            StmtKind::If {
                test, consequent, ..
            } if mentions_total_expr(test) => {
                self.guarded_ifs += 1;
                walk_stmt(self, stmt);
                self.guarded_ifs -= 1;
                if exits(consequent) {
                    if let Some(top) = self.exits.last_mut() {
                        *top = true;
                    }
                }
                return;
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_function(&mut self, function: &Function) {
        self.in_block(|v| walk_function(v, function));
    }
}

/// Whether a statement always leaves the enclosing block (`return`, `throw`, `break`,
/// `continue`, or a block ending in one).
fn exits(stmt: &Stmt) -> bool {
    match &stmt.kind {
        StmtKind::Return { .. }
        | StmtKind::Throw { .. }
        | StmtKind::Break { .. }
        | StmtKind::Continue { .. } => true,
        StmtKind::Block { block } => block.stmts.last().is_some_and(exits),
        _ => false,
    }
}

/// Whether a loop test is a conjunction with a comparison that does not involve `budget`
/// (`round < 10 && budget.remaining() > 50_000`): the loop stops on that bound even when
/// `remaining()` is `Infinity`.
fn has_counter_bound(test: &Expr) -> bool {
    let ExprKind::Logical {
        op: LogicalOp::And,
        left,
        right,
    } = &test.kind
    else {
        return false;
    };
    [left, right].into_iter().any(|side| {
        let relational = matches!(
            &side.kind,
            ExprKind::Binary {
                op: BinaryOp::Lt | BinaryOp::LtEq | BinaryOp::Gt | BinaryOp::GtEq,
                ..
            }
        );
        (relational && !mentions_budget(side)) || has_counter_bound(side)
    })
}

fn mentions_budget(expr: &Expr) -> bool {
    let mut found = false;
    any_expr(expr, &mut |e| found |= matches!(e.kind, ExprKind::Budget));
    found
}

/// Whether an expression calls `budget.<method>()`.
fn calls_budget(expr: &Expr, method: &str) -> bool {
    let mut found = false;
    any_expr(expr, &mut |e| {
        if let ExprKind::Call { callee, .. } = &e.kind {
            found |= is_budget_member(callee, method);
        }
    });
    found
}

fn is_budget_member(expr: &Expr, name: &str) -> bool {
    matches!(&expr.kind, ExprKind::Member { object, property, .. }
        if matches!(object.kind, ExprKind::Budget) && property.name() == Some(name))
}

/// Whether an expression reads `budget.total`.
fn mentions_total_expr(expr: &Expr) -> bool {
    let mut found = false;
    any_expr(expr, &mut |e| found |= is_budget_member(e, "total"));
    found
}

/// Whether a statement (a loop: its test or its body) reads `budget.total`.
fn mentions_total(stmt: &Stmt) -> bool {
    struct Walker(bool);
    impl Visitor<'_> for Walker {
        fn visit_expr(&mut self, expr: &Expr) {
            self.0 |= mentions_total_expr(expr);
        }
    }
    let mut w = Walker(false);
    walk_stmt(&mut w, stmt);
    w.0
}

/// Calls `f` with an expression and all its subexpressions, including those in nested functions.
fn any_expr(expr: &Expr, f: &mut impl FnMut(&Expr)) {
    struct Walker<'f, F>(&'f mut F);
    impl<F: FnMut(&Expr)> Visitor<'_> for Walker<'_, F> {
        fn visit_expr(&mut self, expr: &Expr) {
            (self.0)(expr);
            walk_expr(self, expr);
        }
    }
    Walker(f).visit_expr(expr);
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};
    use crate::rules::thunk_expected::spans_for;

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    fn spans(src: &str) -> Vec<String> {
        spans_for("budget-unguarded", src)
    }

    #[test]
    fn unguarded_while_is_reported_at_the_test() {
        let src = format!(
            "{META}while (budget.remaining() > 50_000) {{\n  await agent('one more')\n}}\n"
        );
        let d = diagnostics_for("budget-unguarded", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "budget.remaining() > 50_000");
        assert_eq!(
            d[0].message,
            "loop on `budget.remaining()` without a `budget.total` guard"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("guard the test: `budget.total && budget.remaining() > 50_000`, or skip the loop when `budget.total` is `null`")
        );
        assert!(d[0].label.is_some());
        assert_eq!(d[0].severity, crate::Severity::Warning);
    }

    #[test]
    fn for_and_do_while_and_nested_functions() {
        let src = format!(
            "{META}let done = false\nfor (let i = 0; !done && budget.remaining() > 1000; i++) await agent('a')\ndo {{ await agent('b') }} while (budget.remaining() >= 10)\nconst f = async () => {{ while (budget.remaining()) await agent('c') }}\n"
        );
        assert_eq!(
            spans(&src),
            [
                "!done && budget.remaining() > 1000",
                "budget.remaining() >= 10",
                "budget.remaining()"
            ]
        );
    }

    #[test]
    fn guards_are_recognised() {
        let src = format!(
            "{META}let round = 0\nwhile (budget.total && budget.remaining() > 50_000) await agent('a')\nwhile (budget.total != null && budget.remaining() > 1) await agent('b')\nif (budget.total) {{\n  while (budget.remaining() > 1) await agent('c')\n}}\nif (!budget.total) {{ log('one pass') }} else {{\n  while (budget.remaining() > 1) await agent('d')\n}}\nwhile (budget.remaining() > 1) {{\n  if (!budget.total) break\n  await agent('e')\n}}\nwhile (budget.spent() < 100_000) await agent('f')\nfor (let i = 0; i < 10 && budget.remaining() > 1000; i++) await agent('g')\nwhile (budget.remaining() > 1 && round <= 4) round++\nwhile (round < 3) round++\n"
        );
        assert!(spans(&src).is_empty(), "{:?}", spans(&src));
    }

    #[test]
    fn early_exit_guards_the_rest_of_its_block() {
        let src = format!(
            "{META}async function sweep() {{\n  if (budget.total == null) return []\n  while (budget.remaining() > 1) await agent('a')\n}}\nasync function other() {{\n  while (budget.remaining() > 1) await agent('b')\n}}\n{{\n  if (!budget.total) {{ log('no budget'); return null }}\n}}\nwhile (budget.remaining() > 2) await agent('c')\n"
        );
        assert_eq!(
            spans(&src),
            ["budget.remaining() > 1", "budget.remaining() > 2"]
        );
    }

    #[test]
    fn calling_budget() {
        let src = format!("{META}budget(500000)\nconst left = budget.remaining()\n");
        let d = diagnostics_for("budget-unguarded", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "budget(500000)");
        assert_eq!(d[0].message, "`budget` is an object, not a function");
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("`budget.total`"));
    }
}
