//! Loops bounded by a guard in their body: `while (true) { round++; if (round > MAX) break … }`.
//!
//! Fix-until-green loops are often written without a loop test, leaving on a round counter from
//! inside the body: `if (++round > 3) break`, `if (ok || round >= 5) throw …`. Such a guard bounds
//! the loop when it is reached on every pass (at the top of the body, before any `continue`) and
//! its counter only grows, by at least one on every pass. Each pass then meets the guard with a
//! larger counter, so the passes that get past it are at most the values up to the limit, plus
//! the last pass, which leaves at the guard.

use wfc_ir::visit::{self, Visitor};
use wfc_ir::{
    AssignOp, AssignTarget, BinaryOp, BindingId, Expr, ExprKind, LogicalOp, Pattern, Stmt, StmtKind,
};

use super::super::sym::{Count, Sym};
use super::Interp;

impl<'w> Interp<'w> {
    /// The passes of a loop whose `body` leaves it through a guard on a round counter.
    /// `update_counter` is a `for` loop's counter that its update increments by at least one.
    pub(super) fn guarded_trips(
        &mut self,
        body: &'w Stmt,
        update_counter: Option<(BindingId, f64)>,
    ) -> Option<Count> {
        for test in guard_tests(body) {
            for disjunct in disjuncts(test) {
                let Some((b, limit, or_equal, increments)) = limit_test(disjunct) else {
                    continue;
                };
                let start = match update_counter {
                    Some((c, start)) if c == b => start,
                    _ => {
                        let every_pass =
                            increments || super::loops::incremented_every_pass(body, b);
                        if !every_pass || !self.facts.increment_only.contains(&b) {
                            continue;
                        }
                        match self.decl_values.get(b) {
                            Some(start) => start,
                            None => continue,
                        }
                    }
                };
                if declares(body, b) || !steps_by_at_least_one(body, b) {
                    continue;
                }
                // The limit must be a number at every run: one that may be `undefined` (a
                // missing `args.rounds`) compares false, and the loop never leaves.
                let Some(hi) = self.literal_limit(limit).map(Sym::num) else {
                    continue;
                };
                // Pass `p` (from 0) meets the guard with the counter at `start + p` or more; it
                // gets past `counter > limit` only while that is at most `limit`, past
                // `counter >= limit` while it is below. One more pass leaves.
                let past = if or_equal {
                    hi.minus_const(start)
                } else {
                    hi.minus_const(start - 1.0)
                };
                return Some(Count::at_most(past.add(&Sym::one())));
            }
        }
        None
    }
}

/// The tests of the guards met on every pass: `if (test)` statements at the top of the body
/// whose consequent leaves the loop, up to the first statement that may `continue`.
fn guard_tests(body: &Stmt) -> Vec<&Expr> {
    let stmts: &[Stmt] = match &body.kind {
        StmtKind::Block { block } => &block.stmts,
        _ => std::slice::from_ref(body),
    };
    let mut tests = Vec::new();
    for s in stmts {
        if let StmtKind::If {
            test,
            consequent,
            alternate: None,
        } = &s.kind
        {
            if leaves_loop(consequent) {
                tests.push(test);
            }
        }
        if super::loops::has_continue(s) {
            break;
        }
    }
    tests
}

/// The statement always leaves the loop around it: an unlabelled `break`, a `throw` or a `return`
/// (a labelled `break` may leave only an inner statement; a `continue` stays in the loop).
fn leaves_loop(s: &Stmt) -> bool {
    match &s.kind {
        StmtKind::Break { label: None } | StmtKind::Throw { .. } | StmtKind::Return { .. } => true,
        StmtKind::Block { block } => block.stmts.iter().any(leaves_loop),
        _ => false,
    }
}

fn disjuncts(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Logical {
            op: LogicalOp::Or,
            left,
            right,
        } => {
            let mut v = disjuncts(left);
            v.extend(disjuncts(right));
            v
        }
        _ => vec![e],
    }
}

/// `counter > limit`, `counter >= limit`, `limit < counter` or `limit <= counter`, where the
/// counter may be incremented in place (`++round > 3`): the counter, the limit, whether the
/// comparison includes equality, and whether it increments the counter.
fn limit_test(e: &Expr) -> Option<(BindingId, &Expr, bool, bool)> {
    let (counter, limit, or_equal) = super::refine::above_a_limit(e)?;
    let b = super::loops::counter_read(counter)?;
    let increments = matches!(counter.kind, ExprKind::Update { .. });
    Some((b, limit, or_equal, increments))
}

/// The body declares `b` itself: a counter declared in the loop starts over on every pass.
fn declares(body: &Stmt, b: BindingId) -> bool {
    struct Finder(BindingId, bool);
    impl Visitor<'_> for Finder {
        fn visit_pattern(&mut self, p: &Pattern) {
            if matches!(p, Pattern::Binding { binding, .. } if *binding == self.0) {
                self.1 = true;
            }
            visit::walk_pattern(self, p);
        }
    }
    let mut f = Finder(b, false);
    f.visit_stmt(body);
    f.1
}

/// Every increment of `b` in the body is by one or more (`b += 0.5` would let the counter pass
/// the guard more often than its limit says).
pub(super) fn steps_by_at_least_one(body: &Stmt, b: BindingId) -> bool {
    struct Steps(BindingId, bool);
    impl Visitor<'_> for Steps {
        fn visit_expr(&mut self, e: &Expr) {
            if let ExprKind::Assign {
                op: AssignOp::Compound(BinaryOp::Add),
                target,
                value,
            } = &e.kind
            {
                let small = !matches!(
                    &value.kind,
                    ExprKind::Literal { value: wfc_ir::Literal::Number(n) } if n.0 >= 1.0
                );
                if small
                    && matches!(&**target, AssignTarget::Var { binding, .. } if *binding == self.0)
                {
                    self.1 = false;
                }
            }
            visit::walk_expr(self, e);
        }
    }
    let mut s = Steps(b, true);
    s.visit_stmt(body);
    s.1
}
