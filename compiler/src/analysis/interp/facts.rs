//! What the analysis learns from the workflow before evaluating it: its functions, and how each
//! binding is written.

use wfc_ir::{
    AssignOp, AssignTarget, BinaryOp, BindingId, BindingKind, Expr, ExprKind, ForHead, ForInit,
    Function, Literal, Pattern, ScopeId, Stmt, StmtKind, UpdateOp, VarDeclarator, Workflow,
};

use super::super::value::Alloc;
use crate::dense::Dense;
use crate::fxhash::{HashMap, HashSet};
use crate::index::ExprIndex;

/// Facts gathered from the workflow before evaluation.
pub(super) struct Facts<'w> {
    /// Every function in the workflow. A closure can be read from the previous pass's heap before
    /// this pass reaches the expression that creates it, and calling it must still run its body.
    /// Indexed by the id of its scope.
    pub funcs: Dense<ScopeId, Option<&'w Function>>,
    /// Bindings written somewhere other than their declaration.
    pub reassigned: HashSet<BindingId>,
    /// Bindings whose only writes besides the declaration are increments (loop counters).
    pub increment_only: HashSet<BindingId>,
    /// Counters: `let`/`var` bindings declared once, with a number literal, and otherwise only
    /// incremented by literal steps or set to number literals (`dry = 0`). Their increments are
    /// recorded as growth, like an array's pushes, and their reads apply it: a counter is at
    /// most its largest literal plus every increment the run can make. An increment that read
    /// the value and wrote it back would grow it by one step per pass until it was widened.
    pub counters: HashMap<BindingId, Counter>,
    /// Bindings declared once with a number literal and never written again (`const MAX = 40`):
    /// their value is that number at every read. A value the analysis merely knows may still
    /// be `undefined` at run time (joins drop `undefined`), which a limit must not be.
    pub literal_numbers: HashMap<BindingId, f64>,
    /// Bindings a closure reads ([`ExprIndex::captured`]). A closure may run after the
    /// function that declares them was called again with other values (`wrap(a)`, `wrap(b)`,
    /// then both wrappers run), so every value declared for such a binding is recorded, and a
    /// read from another function than its declaring one ([`ExprIndex::declared_in`]) sees
    /// them all.
    pub captured: &'w [bool],
    pub declared_in: &'w [Option<ScopeId>],
}

/// A counter's largest literal and the key its increments are recorded under.
#[derive(Clone)]
pub(super) struct Counter {
    pub top: f64,
    pub growth: Alloc,
}

/// How one statement or expression writes a binding.
#[derive(Clone, Copy, PartialEq)]
enum Write {
    /// `n++`, `n += k` with a literal `k ≥ 0`.
    Increment,
    /// `n = 5`.
    Literal(f64),
    Other,
}

/// Everything written to one binding.
struct Writes {
    increments_only: bool,
    /// Increments and number literals only; the largest literal.
    counter_top: Option<f64>,
}

/// Declarations of one binding, and the number literal of the first one.
struct Decls {
    count: u32,
    start: Option<f64>,
}

struct Gather<'w> {
    writes: HashMap<BindingId, Writes>,
    funcs: Dense<ScopeId, Option<&'w Function>>,
    decls: HashMap<BindingId, Decls>,
}

impl<'w> Facts<'w> {
    /// Reads the facts off the workflow's node lists ([`ExprIndex::of`] `w`): no walk of its own.
    pub fn gather(w: &'w Workflow, index: &'w ExprIndex<'w>) -> Self {
        // Sized once: most bindings are declared, and every function is listed.
        let mut g = Gather {
            writes: HashMap::with_capacity_and_hasher(w.bindings.len(), Default::default()),
            funcs: Dense::new(w.scopes.len()),
            decls: HashMap::with_capacity_and_hasher(w.bindings.len(), Default::default()),
        };
        for f in &index.functions {
            g.funcs.set(f.scope, Some(*f));
        }
        for e in &index.all {
            g.expr(e);
        }
        for s in &index.stmts {
            g.stmt(s);
        }
        let increment_only = g
            .writes
            .iter()
            .filter(|(_, w)| w.increments_only)
            .map(|(b, _)| *b)
            .collect();
        let counters = g
            .writes
            .iter()
            .filter_map(|(b, writes)| {
                let top = writes.counter_top?;
                let declared = w.bindings.get(b.0 as usize)?;
                if !matches!(declared.kind, BindingKind::Let | BindingKind::Var) {
                    return None;
                }
                match g.decls.get(b)? {
                    Decls {
                        count: 1,
                        start: Some(start),
                    } => Some((
                        *b,
                        Counter {
                            top: top.max(*start),
                            growth: Alloc::counter(declared.span),
                        },
                    )),
                    _ => None,
                }
            })
            .collect();
        let literal_numbers = g
            .decls
            .iter()
            .filter(|(b, _)| !g.writes.contains_key(b))
            .filter_map(|(b, d)| match d {
                Decls {
                    count: 1,
                    start: Some(n),
                } => Some((*b, *n)),
                _ => None,
            })
            .collect();
        Facts {
            funcs: g.funcs,
            reassigned: g.writes.keys().copied().collect(),
            increment_only,
            counters,
            literal_numbers,
            captured: &index.captured,
            declared_in: &index.declared_in,
        }
    }
}

fn number(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Literal {
            value: Literal::Number(n),
        } if n.0.is_finite() => Some(n.0),
        _ => None,
    }
}

impl Gather<'_> {
    fn declarations(&mut self, decls: &[VarDeclarator]) {
        for d in decls {
            let Pattern::Binding { binding, .. } = &d.pattern else {
                continue;
            };
            let start = d.init.as_ref().and_then(number);
            self.decls
                .entry(*binding)
                .or_insert(Decls { count: 0, start })
                .count += 1;
        }
    }

    fn target(&mut self, t: &AssignTarget, how: Write) {
        match t {
            AssignTarget::Var { binding, .. } => self.write(*binding, how),
            AssignTarget::Pattern { pattern } => {
                let mut ids = Vec::new();
                pattern_targets(pattern, &mut ids);
                for id in ids {
                    self.write(id, Write::Other);
                }
            }
            _ => {}
        }
    }

    fn write(&mut self, b: BindingId, how: Write) {
        let w = self.writes.entry(b).or_insert(Writes {
            increments_only: true,
            counter_top: Some(f64::NEG_INFINITY),
        });
        w.increments_only &= how == Write::Increment;
        w.counter_top = match (w.counter_top, how) {
            (Some(top), Write::Increment) => Some(top),
            (Some(top), Write::Literal(n)) => Some(top.max(n)),
            _ => None,
        };
    }
}

impl Gather<'_> {
    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Assign { target, op, value } => {
                let how = match (op, number(value)) {
                    (AssignOp::Compound(BinaryOp::Add), Some(n)) if n >= 0.0 => Write::Increment,
                    (AssignOp::Assign, Some(n)) => Write::Literal(n),
                    _ => Write::Other,
                };
                self.target(target, how);
            }
            ExprKind::Update { target, op, .. } => self.target(
                target,
                if *op == UpdateOp::Increment {
                    Write::Increment
                } else {
                    Write::Other
                },
            ),
            _ => {}
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::ForOf {
                left: ForHead::Target { target },
                ..
            }
            | StmtKind::ForIn {
                left: ForHead::Target { target },
                ..
            } => self.target(target, Write::Other),
            StmtKind::VarDecl { decls, .. } => self.declarations(decls),
            StmtKind::For {
                init: Some(init), ..
            } => {
                if let ForInit::VarDecl { decls, .. } = &**init {
                    self.declarations(decls);
                }
            }
            _ => {}
        }
    }
}

pub(super) fn pattern_targets(p: &Pattern, out: &mut Vec<BindingId>) {
    match p {
        Pattern::Binding { binding, .. } => out.push(*binding),
        Pattern::Target { target } => {
            if let AssignTarget::Var { binding, .. } = &**target {
                out.push(*binding);
            } else if let AssignTarget::Pattern { pattern } = &**target {
                pattern_targets(pattern, out);
            }
        }
        Pattern::Array { elements, rest, .. } => {
            elements
                .iter()
                .flatten()
                .for_each(|e| pattern_targets(e, out));
            if let Some(r) = rest {
                pattern_targets(r, out);
            }
        }
        Pattern::Object { props, rest, .. } => {
            props.iter().for_each(|pp| pattern_targets(&pp.value, out));
            if let Some(r) = rest {
                pattern_targets(r, out);
            }
        }
        Pattern::Default { pattern, .. } => pattern_targets(pattern, out),
    }
}
