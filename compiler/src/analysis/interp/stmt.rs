//! Statements.

use std::rc::Rc;
use wfc_ir::{BindingId, Block, Expr, ExprKind, Pattern, Stmt, StmtKind, SwitchCase};

use super::super::plan::Plan;
use super::super::value::{Alloc, Allocs, Funcs, Val};
use super::refine;
use super::Interp;

impl<'w> Interp<'w> {
    /// A statement list: function declarations are bound first (hoisting); once a statement may
    /// leave the list early, what follows it is only possible, not certain.
    pub(super) fn eval_stmts(&mut self, stmts: &'w [Stmt]) {
        for s in stmts {
            if let StmtKind::FunctionDecl { binding, function } = &s.kind {
                self.declare(*binding, Val::Func(Funcs::One(function.scope)));
            }
        }
        self.eval_list(stmts);
    }

    fn eval_list(&mut self, stmts: &'w [Stmt]) {
        let outer_exits = std::mem::replace(&mut self.exits, false);
        let mut left_early = false;
        let mut dead = false;
        for (i, s) in stmts.iter().enumerate() {
            if left_early {
                let (_, p) = self.optional(|it| it.eval_stmt(s));
                self.emit(p.maybe());
            } else {
                self.eval_stmt(s);
            }
            left_early |= self.exits;
            if std::mem::take(&mut self.dead_after) {
                // The rest never runs. It is evaluated as a whole, as code that may run, but what
                // it returns and binds is dropped.
                dead = true;
                let rest = &stmts[i + 1..];
                if !rest.is_empty() {
                    let ((_, p), _) = self.branch(|it| {
                        it.unreturned(true, |it| it.optional(|it| it.eval_list(rest)))
                    });
                    self.emit(p.maybe());
                }
                break;
            }
        }
        self.exits = outer_exits || left_early;
        // A list with a statement that never completes never completes either.
        self.dead_after = dead;
    }

    /// Evaluates a statement and says whether it never completes normally, as evaluated.
    fn eval_ends(&mut self, s: &'w Stmt) -> bool {
        self.eval_stmt(s);
        std::mem::take(&mut self.dead_after)
    }

    fn eval_block(&mut self, b: &'w Block) {
        self.eval_stmts(&b.stmts);
    }

    /// Evaluates a statement; [`Interp::dead_after`] then says whether it never completes
    /// normally, as evaluated (jumps, and `if`s and blocks made only of such paths).
    pub(super) fn eval_stmt(&mut self, s: &'w Stmt) {
        if !self.step(s.span) {
            self.dead_after = false;
            return;
        }
        match &s.kind {
            StmtKind::Expr { expr } => {
                let saved = self.discarded_call.replace(expr.span);
                self.eval(expr);
                self.discarded_call = saved;
            }
            StmtKind::VarDecl { decls, .. } => {
                for d in decls {
                    match (&d.init, &d.pattern) {
                        (Some(e), Pattern::Binding { binding, .. })
                            if matches!(e.kind, ExprKind::Array { .. } | ExprKind::New { .. })
                                && !self.facts.reassigned.contains(binding) =>
                        {
                            self.declare_fresh(*binding, e)
                        }
                        (Some(e), _) => {
                            let v = self.eval(e);
                            self.bind(&d.pattern, v, false);
                        }
                        (None, _) => self.bind(&d.pattern, Val::Undefined, false),
                    }
                }
            }
            StmtKind::FunctionDecl { .. } | StmtKind::Empty => {}
            StmtKind::Block { block } => self.eval_block(block),
            StmtKind::If {
                test,
                consequent,
                alternate,
            } => {
                // A test the values decide (`--args`, constants) rules a branch out: its returns
                // and bindings are dropped, though both branches still count as code that may
                // run.
                let taken = self.eval(test).truthy();
                let cap = self.length_cap(test);
                let ((cons_ends, a), ca) = self.branch(|it| {
                    it.unreturned(taken == Some(false), |it| {
                        it.optional(|it| it.eval_ends(consequent))
                    })
                });
                // A top-level guard that returns or throws ends the run: only the path where the
                // test failed goes on. Elsewhere the statement left may be caught or resumed.
                let ends_run = self
                    .top_level
                    .as_ptr_range()
                    .contains(&std::ptr::from_ref(s))
                    && refine::always_leaves(consequent);
                let then = (!ends_run && taken != Some(false)).then_some(ca);
                // The path where the test failed, unless the test is known to pass.
                let failed = |cb| (taken != Some(true)).then_some(cb);
                let otherwise = |it: &mut Self| {
                    if let Some(cap) = &cap {
                        it.cap_length(cap);
                    }
                };
                let mut alt_ends = false;
                match alternate {
                    Some(alt) => {
                        let ((ends, b), cb) = self.branch(|it| {
                            otherwise(it);
                            it.unreturned(taken == Some(true), |it| {
                                it.optional(|it| it.eval_ends(alt))
                            })
                        });
                        alt_ends = ends;
                        self.merge(then.into_iter().chain(failed(cb)).collect(), false);
                        self.emit(Plan::alt(vec![a, b]));
                    }
                    None if cap.is_some() || ends_run || taken == Some(false) => {
                        let (_, cb) = self.branch(otherwise);
                        self.merge(then.into_iter().chain(failed(cb)).collect(), false);
                        self.emit(Plan::alt(vec![a, Plan::empty()]));
                    }
                    None => {
                        self.merge(then.into_iter().collect(), taken != Some(true));
                        self.emit(Plan::alt(vec![a, Plan::empty()]));
                    }
                }
                // A branch ruled out never completes, vacuously.
                self.dead_after =
                    (cons_ends || taken == Some(false)) && (alt_ends || taken == Some(true));
            }
            StmtKind::Switch {
                discriminant,
                cases,
                ..
            } => self.eval_switch(discriminant, cases),
            StmtKind::Try {
                block,
                handler,
                finalizer,
            } => {
                self.eval_block(block);
                if let Some(h) = handler {
                    let ((_, p), changes) = self.branch(|it| {
                        it.optional(|it| {
                            if let Some(param) = &h.param {
                                it.bind(param, Val::Top, false);
                            }
                            it.eval_block(&h.body);
                        })
                    });
                    self.merge(vec![changes], true);
                    self.emit(p.maybe());
                }
                if let Some(f) = finalizer {
                    self.eval_block(f);
                }
            }
            // Lower bounds describe runs that do not fail: a `throw` (argument validation, say)
            // does not make the rest of the block optional.
            StmtKind::Throw { arg } => {
                self.eval(arg);
                self.dead_after = true;
            }
            StmtKind::Return { arg } => {
                let v = match arg {
                    Some(a) => self.eval(a),
                    None => Val::Undefined,
                };
                if let Some(r) = self.returns.last_mut() {
                    r.push(v);
                }
                self.exits = true;
                self.dead_after = true;
            }
            StmtKind::Break { .. } | StmtKind::Continue { .. } => {
                self.exits = true;
                self.dead_after = true;
            }
            StmtKind::Labeled { body, .. } => self.eval_stmt(body),
            StmtKind::For { .. }
            | StmtKind::ForOf { .. }
            | StmtKind::ForIn { .. }
            | StmtKind::While { .. }
            | StmtKind::DoWhile { .. } => self.eval_loop(s),
        }
        // Loops, `switch`, `try` and labels complete after a `break` or a `throw` inside them;
        // other statements complete unless they jump.
        if !matches!(
            s.kind,
            StmtKind::If { .. }
                | StmtKind::Block { .. }
                | StmtKind::Return { .. }
                | StmtKind::Throw { .. }
                | StmtKind::Break { .. }
                | StmtKind::Continue { .. }
        ) {
            self.dead_after = false;
        }
    }

    fn eval_switch(&mut self, discriminant: &'w wfc_ir::Expr, cases: &'w [SwitchCase]) {
        self.eval(discriminant);
        for c in cases {
            if let Some(t) = &c.test {
                self.eval(t);
            }
        }
        // Any case may be entered. When every case ends in `break`, `return`, `continue` or
        // `throw`, exactly one body runs; otherwise a case may fall through to the next ones.
        let mut all_changes = Vec::new();
        let mut plans = Vec::new();
        for c in cases {
            let ((_, p), ch) = self.branch(|it| it.optional(|it| it.eval_stmts(&c.body)));
            plans.push(p);
            all_changes.push(ch);
        }
        self.merge(all_changes, true);
        // Cases with an empty body only share the next case's body (`case 'a': case 'b': …`).
        let falls_through = cases
            .iter()
            .rev()
            .skip(1)
            .any(|c| !c.body.is_empty() && !c.body.last().is_some_and(ends_case));
        if falls_through {
            self.emit(Plan::seq(plans.into_iter().map(Plan::maybe).collect()));
        } else {
            let mut branches = plans;
            if !cases.iter().any(|c| c.test.is_none()) {
                branches.push(Plan::empty());
            }
            self.emit(Plan::alt(branches));
        }
    }

    /// Declares a binding initialised with a fresh array, set or map, deferring the heap's growth
    /// for the allocation to the binding's reads (see `Interp::lazy`).
    fn declare_fresh(&mut self, b: BindingId, init: &'w Expr) {
        let alloc = Alloc::at(init.span);
        // A binding defers one allocation only (a `var` declared twice), so that every value
        // it holds unapplied is the one its reads apply.
        if self.lazy.get(&b).is_some_and(|a| *a != alloc) {
            let v = self.eval(init);
            return self.declare(b, v);
        }
        let saved = self.defer.replace(init.span);
        let v = self.eval(init);
        let deferred = self.defer.is_none();
        self.defer = saved;
        if deferred {
            self.lazy.insert(b, alloc);
        }
        self.declare(b, v);
    }

    /// Binds a pattern to a value. `assign` marks a reassignment rather than a declaration.
    pub(super) fn bind(&mut self, p: &'w Pattern, v: Val, assign: bool) {
        match p {
            Pattern::Binding { binding, .. } => {
                if assign {
                    self.write(*binding, v);
                } else {
                    self.declare(*binding, v);
                }
            }
            Pattern::Target { target } => self.assign_to(target, v),
            Pattern::Default { pattern, default } => {
                let v = match v {
                    Val::Undefined => self.eval(default),
                    v if v.maybe_nullish() => {
                        let d = self.eval(default);
                        v.join(&d)
                    }
                    other => other,
                };
                self.bind(pattern, v, assign);
            }
            Pattern::Array {
                elements,
                rest,
                span,
            } => {
                let arr = v.as_array(*span);
                for (i, el) in elements.iter().enumerate() {
                    if let Some(el) = el {
                        let item = match &arr {
                            Some(a) => match &a.items {
                                Some(items) => items.get(i).cloned().unwrap_or(Val::Undefined),
                                None => (*a.elem).clone(),
                            },
                            None => Val::Top,
                        };
                        self.bind(el, item, assign);
                    }
                }
                if let Some(r) = rest {
                    let rest_val = match &arr {
                        Some(a) => Val::array_of(a.len.maybe(), (*a.elem).clone()),
                        None => Val::Top,
                    };
                    self.bind(r, rest_val, assign);
                }
            }
            Pattern::Object { props, rest, .. } => {
                for prop in props {
                    let key = self.prop_key(&prop.key);
                    let field = match &key {
                        Some(k) => self.get_named(&v, k),
                        None => Val::Top,
                    };
                    self.bind(&prop.value, field, assign);
                }
                if let Some(r) = rest {
                    let rest_val = match &v {
                        Val::Obj(o) => Val::Obj(Rc::new(super::super::value::Obj {
                            fields: o.fields.clone(),
                            open: o.open,
                            allocs: Allocs::default(),
                            input: None,
                            partial: o.partial,
                            key_bound: o.keys_at_most(),
                            nullable: o.nullable,
                        })),
                        other => other.clone(),
                    };
                    self.bind(r, rest_val, assign);
                }
            }
        }
    }
}

/// A statement after which control never reaches the next `case`.
fn ends_case(s: &Stmt) -> bool {
    match &s.kind {
        StmtKind::Break { label: None }
        | StmtKind::Return { .. }
        | StmtKind::Throw { .. }
        | StmtKind::Continue { .. } => true,
        StmtKind::Block { block } => block.stmts.last().is_some_and(ends_case),
        _ => false,
    }
}
