//! Loops and how many times they can run.
//!
//! A loop is bounded when a counter bounds it: `for (let i = 0; i < N; i++)`, `for … of xs`, or a
//! `while` whose test includes `round < MAX` where `round` only ever grows and is incremented on
//! every pass through the body, or a guard on such a counter that leaves the loop from its body
//! (`if (++round > MAX) break`, see `guards.rs`). A `break` on data is not a bound.

use wfc_ir::{
    visit::{self, Visitor},
    AssignOp, AssignTarget, BinaryOp, BindingId, Expr, ExprKind, ForHead, ForInit, Literal,
    LogicalOp, Stmt, StmtKind, UpdateOp,
};

use super::super::plan::{Plan, RepeatKind};
use super::super::sym::{Count, Sym};
use super::super::value::Val;
use super::Interp;

/// How a counter moves each iteration.
struct Step<'a> {
    binding: BindingId,
    /// A literal step, or the expression giving it (`i += size`).
    by: StepBy<'a>,
    up: bool,
}

enum StepBy<'a> {
    Literal(f64),
    Expr(&'a Expr),
}

/// The counter of a bounded `for` loop and the values it takes.
struct Counter {
    binding: BindingId,
    /// Its value inside the body.
    inside: Val,
    /// Every value the update gives it, and its start (the loop may not run at all).
    after: Val,
    /// The update is `i++`, `i += k` or `i = i + k` with a literal `k`: it has no other effect.
    literal_step: bool,
}

impl Counter {
    fn up(step: &Step<'_>, start: f64, hi: Sym, by: f64) -> Counter {
        Counter {
            binding: step.binding,
            after: Val::num(start).join(&Val::num_at_most(hi.add(&Sym::num(by)))),
            inside: Val::num_at_most(hi),
            literal_step: matches!(step.by, StepBy::Literal(_)),
        }
    }
}

impl<'w> Interp<'w> {
    pub(super) fn eval_loop(&mut self, s: &'w Stmt) {
        let outer_exits = self.exits;
        self.exits = false;
        let (trips, plan) = match &s.kind {
            StmtKind::For {
                init,
                test,
                update,
                body,
                ..
            } => {
                match init.as_deref() {
                    Some(ForInit::VarDecl { decls, .. }) => {
                        for d in decls {
                            let v = d.init.as_ref().map_or(Val::Undefined, |e| self.eval(e));
                            self.bind(&d.pattern, v, false);
                        }
                    }
                    Some(ForInit::Expr { expr }) => {
                        self.eval(expr);
                    }
                    None => {}
                }
                let (trips, counter) = self.for_trips(test.as_deref(), update.as_deref(), body, s);
                // The counter's range is known: write it rather than evaluate `i++` over the
                // value read back from the previous pass, which would grow by one step on every
                // pass until the analysis gave up on it. It is written before the body reads it,
                // so the reads already cover it and the pass can be a fixpoint on its own.
                let counted = counter
                    .as_ref()
                    .filter(|c| c.literal_step && update.is_some());
                let (_, plan) = self.repeated(&trips, |it| {
                    if let Some(c) = counted {
                        it.write(c.binding, c.after.clone());
                    }
                    if let Some(c) = &counter {
                        it.set_env(c.binding, c.inside.clone());
                    }
                    if let Some(t) = test {
                        it.eval(t);
                    }
                    it.eval_stmt(body);
                    match (counted, update) {
                        (Some(c), _) => it.set_env(c.binding, c.after.clone()),
                        (None, Some(u)) => {
                            it.eval(u);
                        }
                        (None, None) => {}
                    }
                });
                (trips, plan)
            }
            StmtKind::ForOf {
                left, right, body, ..
            }
            | StmtKind::ForIn {
                left, right, body, ..
            } => {
                let is_of = matches!(s.kind, StmtKind::ForOf { .. });
                let is_await = matches!(s.kind, StmtKind::ForOf { is_await: true, .. });
                let v = self.eval(right);
                let (len, elem) = if is_of {
                    let a = v
                        .as_array(right.span)
                        .unwrap_or_else(|| super::expr::top_array(right.span));
                    // `for await` binds what each element's promise resolves to.
                    let elem = (*a.elem).clone();
                    (a.len, if is_await { elem.awaited() } else { elem })
                } else {
                    (self.key_count(&v, right), Val::Str(None))
                };
                let trips = self.named_width(&len, right);
                let (_, plan) = self.repeated(&trips, |it| {
                    match left {
                        ForHead::Decl { pattern, .. } => it.bind(pattern, elem.clone(), false),
                        ForHead::Target { target } => it.assign_to(target, elem.clone()),
                    }
                    it.eval_stmt(body);
                });
                (trips, plan)
            }
            StmtKind::While { test, body } | StmtKind::DoWhile { body, test } => {
                let (trips, counted) = self.while_trips(test, body);
                let trips = match (&s.kind, counted) {
                    // The body runs once before the first test; a counter incremented on every
                    // pass makes that first pass one of the counted ones.
                    (StmtKind::DoWhile { .. }, true) => Count {
                        lo: 1,
                        hi: trips.hi.max(&Sym::one()),
                    },
                    (StmtKind::DoWhile { .. }, false) => trips.add(&Count::one()),
                    _ => trips,
                };
                let (_, plan) = self.repeated(&trips, |it| {
                    it.eval(test);
                    it.eval_stmt(body);
                });
                (trips, plan)
            }
            _ => return,
        };
        // A loop that may be left early guarantees none of its iterations.
        let trips = if self.exits { trips.maybe() } else { trips };
        self.emit(Plan::repeat(trips, plan, s.span, RepeatKind::Loop));
        // The test runs once more than the body, to end the loop (an agent in it runs too).
        let last_test = match &s.kind {
            StmtKind::For { test, .. } => test.as_deref(),
            StmtKind::While { test, .. } => Some(test),
            _ => None,
        };
        if let Some(t) = last_test {
            let (_, p) = self.capture(|it| it.eval(t));
            let left_early = self.exits;
            self.emit(p.maybe_if(left_early));
        }
        self.exits |= outer_exits;
    }

    fn key_count(&mut self, v: &Val, over: &Expr) -> Count {
        let keys = match v {
            Val::Obj(o) => o.keys(),
            Val::Input(p) => Some(Count::at_most(Sym::len_of(&format!("keys({p})")))),
            Val::Arr(a) => Some(a.len.clone()),
            _ => None,
        };
        keys.unwrap_or_else(|| {
            Count::at_most(Sym::unbounded(
                over.span,
                "the object's keys are not known statically",
            ))
        })
    }

    /// Trip count of a `for (init; test; update)` loop, and its counter when one bounds it.
    fn for_trips(
        &mut self,
        test: Option<&'w Expr>,
        update: Option<&'w Expr>,
        body: &'w Stmt,
        s: &'w Stmt,
    ) -> (Count, Option<Counter>) {
        let (trips, counter) = self.for_trips_by_test(test, update, body, s);
        if trips.hi.is_finite() {
            return (trips, counter);
        }
        // No bound from the test: a guard in the body may give one, on the loop's own counter
        // (`for (let round = 1; ; round++) { … if (ok || round >= 5) break }`) or another.
        let update_counter = update
            .and_then(step_of)
            .filter(|st| st.up && matches!(st.by, StepBy::Literal(k) if k >= 1.0))
            .filter(|st| !writes_binding(body, st.binding))
            .and_then(|st| Some((st.binding, self.env_get(st.binding)?.exact_num()?)));
        match self.guarded_trips(body, update_counter) {
            Some(guarded) => (guarded, None),
            None => (trips, counter),
        }
    }

    fn for_trips_by_test(
        &mut self,
        test: Option<&'w Expr>,
        update: Option<&'w Expr>,
        body: &'w Stmt,
        s: &'w Stmt,
    ) -> (Count, Option<Counter>) {
        let unbounded = |why: &str| {
            (
                Count::at_most(Sym::unbounded(
                    test.map_or(s.span, |t| t.span),
                    why.to_owned(),
                )),
                None,
            )
        };
        let Some(step) = update.and_then(step_of) else {
            return unbounded(
                "the `for` loop has no counter update the analysis recognises (`i++`, `i += k`)",
            );
        };
        let by = match step.by {
            StepBy::Literal(k) => k,
            StepBy::Expr(e) => match self.eval(e).exact_num() {
                Some(k) if k >= 1.0 => k,
                _ => return unbounded("the loop counter's step is not a known positive number"),
            },
        };
        let Some(test) = test else {
            return unbounded("the `for` loop has no test: it runs until a `break`");
        };
        if writes_binding(body, step.binding) {
            return unbounded("the loop counter is also changed inside the loop body");
        }
        let Some(start) = self.env_get(step.binding).and_then(Val::exact_num) else {
            return unbounded("the loop counter's start value is not known");
        };
        let mut unknown_bound = None;
        for (op, other, counter_left) in counter_comparisons(test, step.binding) {
            let bound = self.eval(other);
            if bound.num_hi().is_none() {
                unknown_bound = Some(other.span);
            }
            let inclusive = matches!(
                (op, counter_left),
                (BinaryOp::LtEq, true)
                    | (BinaryOp::GtEq, false)
                    | (BinaryOp::GtEq, true)
                    | (BinaryOp::LtEq, false)
            );
            let below = matches!(
                (op, counter_left),
                (BinaryOp::Lt | BinaryOp::LtEq, true) | (BinaryOp::Gt | BinaryOp::GtEq, false)
            );
            let extra = if inclusive { 1.0 } else { 0.0 };
            if step.up && below {
                let Some(hi) = bound.num_hi() else { continue };
                // With both ends known the count is exact: ceil((end - start) / step), or for
                // `i <= end` floor((end - start) / step) + 1 (`i <= 2.5` passes for 1 and 2).
                if let Some(end) = bound.exact_num() {
                    let n = whole_trips(end - start, by, inclusive);
                    // Another condition in the test may end the loop sooner.
                    let lo = if conjuncts(test).len() == 1 {
                        n as u64
                    } else {
                        0
                    };
                    let count = Count {
                        lo,
                        hi: Sym::num(n),
                    };
                    let counter = Counter::up(&step, start, hi, by);
                    return (count, Some(counter));
                }
                let span = hi.minus_const(start - extra);
                let trips = per_step(&span, by);
                let counter = Counter::up(&step, start, hi, by);
                return (Count::at_most(trips), Some(counter));
            }
            if !step.up && !below {
                let Some(floor) = bound.exact_num() else {
                    continue;
                };
                let n = whole_trips(start - floor, by, inclusive);
                let lo = if conjuncts(test).len() == 1 {
                    n as u64
                } else {
                    0
                };
                let count = Count {
                    lo,
                    hi: Sym::num(n),
                };
                let counter = Counter {
                    binding: step.binding,
                    inside: Val::num_at_most(Sym::num(start)),
                    // It only goes down from its start.
                    after: Val::num_at_most(Sym::num(start)),
                    literal_step: matches!(step.by, StepBy::Literal(_)),
                };
                return (count, Some(counter));
            }
        }
        match unknown_bound {
            Some(span) => unbounded(&format!(
                "the loop bound `{}` is not known statically",
                self.source(span)
            )),
            None => unbounded("the loop test does not compare the counter with a bound"),
        }
    }

    /// Trip count of a `while`/`do … while` loop from a round counter in its test, or from a
    /// queue it drains (`while (q.length > 0) { const x = q.shift(); … }`).
    /// The flag tells whether a round counter gave the bound.
    fn while_trips(&mut self, test: &'w Expr, body: &'w Stmt) -> (Count, bool) {
        if let Some(q) = drained_queue(test, body) {
            let v = self.read(q);
            if let Some(a) = v.as_array(test.span) {
                return (Count::at_most(a.len.hi), false);
            }
        }
        for b in compared_bindings(test) {
            // Counted in steps of one: `i += 0.5` would pass the test more often than that.
            if !self.facts.increment_only.contains(&b)
                || !(incremented_every_pass(body, b) || test_increments(test, b))
                || !super::guards::steps_by_at_least_one(body, b)
            {
                continue;
            }
            let Some(start) = self.decl_values.get(b) else {
                continue;
            };
            for (op, other, counter_left) in counter_comparisons(test, b) {
                let below = matches!(
                    (op, counter_left),
                    (BinaryOp::Lt | BinaryOp::LtEq, true) | (BinaryOp::Gt | BinaryOp::GtEq, false)
                );
                if !below {
                    continue;
                }
                let inclusive = matches!(
                    (op, counter_left),
                    (BinaryOp::LtEq, true) | (BinaryOp::GtEq, false)
                );
                let bound = self.eval(other);
                if let Some(hi) = bound.num_hi() {
                    let span = hi.minus_const(start - if inclusive { 1.0 } else { 0.0 });
                    return (Count::at_most(per_step(&span, 1.0)), true);
                }
            }
        }
        if let Some(guarded) = self.guarded_trips(body, None) {
            return (guarded, false);
        }
        let why = if mentions_budget(test) {
            "the loop is bounded only by the token budget (`budget.remaining()`), not by a count; add a round counter such as `&& round < MAX_ROUNDS`"
        } else {
            "its exit depends on data (a `break` on data is not a bound); add a round counter such as `&& round < MAX_ROUNDS`"
        };
        (Count::at_most(Sym::unbounded(test.span, why)), false)
    }
}

/// How many values `start, start + by, …` lie below `start + span` (or at it, `inclusive`).
fn whole_trips(span: f64, by: f64, inclusive: bool) -> f64 {
    if span < 0.0 || (span == 0.0 && !inclusive) {
        return 0.0;
    }
    if inclusive {
        (span / by).floor() + 1.0
    } else {
        (span / by).ceil()
    }
}

fn per_step(span: &Sym, by: f64) -> Sym {
    // A loop runs a whole number of times: `i < 2.5` passes for 0, 1 and 2.
    if let Some(n) = span.as_constant() {
        return Sym::num((n / by).ceil());
    }
    if by == 1.0 {
        // An input's value counts rounded up (`Atom::Val`).
        span.clone()
    } else {
        // ceil(n / k) ≤ n / k + 1
        span.scale(1.0 / by).add(&Sym::one())
    }
}

fn step_of(update: &Expr) -> Option<Step<'_>> {
    match &update.kind {
        ExprKind::Update { op, target, .. } => match &**target {
            AssignTarget::Var { binding, .. } => Some(Step {
                binding: *binding,
                by: StepBy::Literal(1.0),
                up: *op == UpdateOp::Increment,
            }),
            _ => None,
        },
        ExprKind::Assign { op, target, value } => {
            let AssignTarget::Var { binding, .. } = &**target else {
                return None;
            };
            match op {
                AssignOp::Compound(b @ (BinaryOp::Add | BinaryOp::Sub)) => {
                    let by = positive_literal(value).map_or(StepBy::Expr(value), StepBy::Literal);
                    Some(Step {
                        binding: *binding,
                        by,
                        up: *b == BinaryOp::Add,
                    })
                }
                AssignOp::Assign => match &value.kind {
                    ExprKind::Binary {
                        op: b @ (BinaryOp::Add | BinaryOp::Sub),
                        left,
                        right,
                    } => {
                        matches!(&left.kind, ExprKind::Var { binding: x, .. } if x == binding)
                            .then_some(())?;
                        let by =
                            positive_literal(right).map_or(StepBy::Expr(right), StepBy::Literal);
                        Some(Step {
                            binding: *binding,
                            by,
                            up: *b == BinaryOp::Add,
                        })
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

fn positive_literal(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Literal {
            value: Literal::Number(n),
        } if n.0 > 0.0 => Some(n.0),
        _ => None,
    }
}

/// The `&&`-conjuncts of a loop test.
fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Logical {
            op: LogicalOp::And,
            left,
            right,
        } => {
            let mut v = conjuncts(left);
            v.extend(conjuncts(right));
            v
        }
        _ => vec![e],
    }
}

/// The binding `e` reads, also through an increment in place (`i++ < n`, `++i < n`).
pub(super) fn counter_read(e: &Expr) -> Option<BindingId> {
    match &e.kind {
        ExprKind::Var { binding, .. } => Some(*binding),
        ExprKind::Update {
            op: UpdateOp::Increment,
            target,
            ..
        } => match &**target {
            AssignTarget::Var { binding, .. } => Some(*binding),
            _ => None,
        },
        _ => None,
    }
}

/// The test itself increments `b` (`while (i++ < n)`): every pass runs it.
fn test_increments(test: &Expr, b: BindingId) -> bool {
    conjuncts(test).into_iter().any(|c| match &c.kind {
        ExprKind::Binary { left, right, .. } => [left, right].into_iter().any(|side| {
            matches!(
                &side.kind,
                ExprKind::Update {
                    op: UpdateOp::Increment,
                    ..
                }
            ) && counter_read(side) == Some(b)
        }),
        _ => false,
    })
}

/// Comparisons `b OP other` / `other OP b` among the conjuncts: (op, other, b is on the left).
fn counter_comparisons(test: &Expr, b: BindingId) -> Vec<(BinaryOp, &Expr, bool)> {
    let is_b = |e: &Expr| counter_read(e) == Some(b);
    conjuncts(test)
        .into_iter()
        .filter_map(|c| match &c.kind {
            ExprKind::Binary {
                op: op @ (BinaryOp::Lt | BinaryOp::LtEq | BinaryOp::Gt | BinaryOp::GtEq),
                left,
                right,
            } => {
                if is_b(left) {
                    Some((*op, &**right, true))
                } else if is_b(right) {
                    Some((*op, &**left, false))
                } else {
                    None
                }
            }
            _ => None,
        })
        .collect()
}

fn compared_bindings(test: &Expr) -> Vec<BindingId> {
    let mut out = Vec::new();
    for c in conjuncts(test) {
        if let ExprKind::Binary { left, right, .. } = &c.kind {
            out.extend(
                [left, right]
                    .into_iter()
                    .filter_map(|side| counter_read(side)),
            );
        }
    }
    out
}

fn mentions_budget(e: &Expr) -> bool {
    struct V(bool);
    impl Visitor<'_> for V {
        fn visit_expr(&mut self, e: &Expr) {
            if matches!(e.kind, ExprKind::Budget) {
                self.0 = true;
            }
            visit::walk_expr(self, e);
        }
    }
    let mut v = V(false);
    v.visit_expr(e);
    v.0
}

/// Whether `s` assigns or updates binding `b` anywhere.
fn writes_binding(s: &Stmt, b: BindingId) -> bool {
    struct V(BindingId, bool);
    impl Visitor<'_> for V {
        fn visit_assign_target(&mut self, t: &AssignTarget) {
            if matches!(t, AssignTarget::Var { binding, .. } if *binding == self.0) {
                self.1 = true;
            }
            visit::walk_assign_target(self, t);
        }
    }
    let mut v = V(b, false);
    v.visit_stmt(s);
    v.1
}

fn is_increment_of(s: &Stmt, b: BindingId) -> bool {
    let StmtKind::Expr { expr } = &s.kind else {
        return false;
    };
    step_of(expr).is_some_and(|st| st.binding == b && st.up && matches!(st.by, StepBy::Literal(_)))
}

pub(super) fn has_continue(s: &Stmt) -> bool {
    struct V(bool);
    impl Visitor<'_> for V {
        fn visit_stmt(&mut self, s: &Stmt) {
            if matches!(s.kind, StmtKind::Continue { .. }) {
                self.0 = true;
            }
            visit::walk_stmt(self, s);
        }
        fn visit_function(&mut self, _: &wfc_ir::Function) {}
    }
    let mut v = V(false);
    v.visit_stmt(s);
    v.0
}

/// The body increments `b` at its top level, before any `continue` could skip it.
pub(super) fn incremented_every_pass(body: &Stmt, b: BindingId) -> bool {
    let stmts: &[Stmt] = match &body.kind {
        StmtKind::Block { block } => &block.stmts,
        _ => std::slice::from_ref(body),
    };
    for s in stmts {
        if is_increment_of(s, b) {
            return true;
        }
        if has_continue(s) {
            return false;
        }
    }
    false
}

/// `while (q.length > 0)` (or `q.length`, `q.length !== 0`, `q.length >= 1`) whose body takes one
/// element off `q` on every pass (`q.shift()`/`q.pop()` at its top level, before any `continue`)
/// and never adds to it: the loop runs at most as many times as `q` has elements.
fn drained_queue(test: &Expr, body: &Stmt) -> Option<BindingId> {
    let length_of = |e: &Expr| match &e.kind {
        ExprKind::Member {
            object, property, ..
        } if property.name() == Some("length") => match &object.kind {
            ExprKind::Var { binding, .. } => Some(*binding),
            _ => None,
        },
        _ => None,
    };
    let is_zero =
        |e: &Expr| matches!(&e.kind, ExprKind::Literal { value: Literal::Number(n) } if n.0 == 0.0);
    let is_one =
        |e: &Expr| matches!(&e.kind, ExprKind::Literal { value: Literal::Number(n) } if n.0 == 1.0);
    let q = conjuncts(test).into_iter().find_map(|c| match &c.kind {
        ExprKind::Binary {
            op: BinaryOp::Gt | BinaryOp::StrictNotEq | BinaryOp::NotEq,
            left,
            right,
        } if is_zero(right) => length_of(left),
        ExprKind::Binary {
            op: BinaryOp::GtEq,
            left,
            right,
        } if is_one(right) => length_of(left),
        _ => length_of(c),
    })?;
    let stmts: &[Stmt] = match &body.kind {
        StmtKind::Block { block } => &block.stmts,
        _ => std::slice::from_ref(body),
    };
    let takes = |s: &Stmt| {
        let mut found = false;
        visit::for_each_expr_in_stmt(s, &mut |e| {
            if let ExprKind::Call { callee, .. } = &e.kind {
                if let ExprKind::Member {
                    object, property, ..
                } = &callee.kind
                {
                    if matches!(property.name(), Some("shift" | "pop"))
                        && matches!(&object.kind, ExprKind::Var { binding, .. } if *binding == q)
                    {
                        found = true;
                    }
                }
            }
        });
        found
    };
    let mut taken = false;
    for s in stmts {
        if takes(s) && !matches!(s.kind, StmtKind::If { .. } | StmtKind::Try { .. }) {
            taken = true;
            break;
        }
        if has_continue(s) {
            return None;
        }
    }
    if !taken || adds_to(body, q) || writes_binding(body, q) {
        return None;
    }
    Some(q)
}

/// Whether `s` pushes, unshifts or splices into `q`, or assigns to one of its indices.
fn adds_to(s: &Stmt, q: BindingId) -> bool {
    let mut found = false;
    visit::for_each_expr_in_stmt(s, &mut |e| match &e.kind {
        ExprKind::Call { callee, .. } => {
            if let ExprKind::Member {
                object, property, ..
            } = &callee.kind
            {
                if matches!(property.name(), Some("push" | "unshift" | "splice"))
                    && matches!(&object.kind, ExprKind::Var { binding, .. } if *binding == q)
                {
                    found = true;
                }
            }
        }
        ExprKind::Assign { target, .. } => {
            if let AssignTarget::Member { object, .. } = &**target {
                if matches!(&object.kind, ExprKind::Var { binding, .. } if *binding == q) {
                    found = true;
                }
            }
        }
        _ => {}
    });
    found
}

#[cfg(test)]
mod tests {
    use super::super::tests::{analyse, most_agents};

    #[test]
    fn whole_trips_count_the_values_a_counter_takes() {
        use super::whole_trips;
        assert_eq!(whole_trips(2.5, 1.0, false), 3.0); // 0, 1, 2 < 2.5
        assert_eq!(whole_trips(1.5, 1.0, true), 2.0); // 1, 2 <= 2.5
        assert_eq!(whole_trips(3.0, 1.0, false), 3.0);
        assert_eq!(whole_trips(3.0, 1.0, true), 4.0);
        assert_eq!(whole_trips(10.0, 3.0, false), 4.0); // 0, 3, 6, 9
        assert_eq!(whole_trips(0.0, 1.0, true), 1.0);
        assert_eq!(whole_trips(0.0, 1.0, false), 0.0);
        assert_eq!(whole_trips(-1.0, 1.0, true), 0.0);
    }

    #[test]
    fn an_inner_loop_bounded_by_the_outer_counter_is_bounded() {
        let out = analyse(
            "for (let r = 0; r < 3; r++) {\n  for (let j = 0; j < r; j++) await agent(`s ${r} ${j}`)\n}",
        );
        let most = most_agents(&out);
        assert!(most.is_some_and(|n| (3.0..=12.0).contains(&n)), "{most:?}");
    }

    #[test]
    fn counted_loops_converge_in_two_passes() {
        // The counter's writes used to grow by one step on every pass, so this took every pass
        // the analysis allows.
        let out = analyse(
            "const acc = []\nasync function f(round = 0) {\n  for (let r = round; r < 3 && acc.length < 9; r++) acc.push(await agent(`r ${r}`))\n}\nawait f()\nawait f(1)\nreturn acc",
        );
        assert_eq!(out.passes, 2);
        assert!(most_agents(&out).is_some());
    }

    #[test]
    fn the_counter_after_a_loop_that_never_ran_is_its_start() {
        // `i` stays 10: the loop after it runs ten times, and its bound must cover that.
        let out = analyse(
            "for (var i = 10; i < 5; i++) await agent('never')\nfor (let k = 0; k < i; k++) await agent(`k ${k}`)",
        );
        let most = most_agents(&out);
        assert!(most.is_some_and(|n| n >= 10.0), "{most:?}");
    }
}
