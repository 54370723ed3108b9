//! What an `if` tells the code after it: a list cut to a maximum length, and branches that never
//! complete.
//!
//! The help of `spawn-unbounded` tells users to cut a list before fanning out over it. They write
//! it as a guard (`if (files.length > 40) throw …`) or in place
//! (`if (files.length > 40) files = files.slice(0, 40)`). Both bound `files` after the `if`, but
//! only on the path where the test failed, so the analysis reads that path's bound off the test.

use std::rc::Rc;

use wfc_ir::{BinaryOp, BindingId, Expr, ExprKind, MemberProp, Stmt, StmtKind};

use super::super::sym::{Count, Sym};
use super::super::value::{Arr, Val};
use super::Interp;

/// When the test fails, the list in this binding has at most `most` elements.
pub(super) struct LengthCap {
    binding: BindingId,
    most: f64,
}

impl<'w> Interp<'w> {
    /// `list.length > n`, `list.length >= n`, `n < list.length` or `n <= list.length`, with `list`
    /// a variable and `n` a number at every run ([`Interp::literal_limit`]).
    pub(super) fn length_cap(&mut self, test: &'w Expr) -> Option<LengthCap> {
        let (list, limit, or_equal) = above_a_limit(test)?;
        let binding = length_of(list)?;
        let n = self.literal_limit(limit)?;
        // The length is a whole number: `> n` fails for at most `floor(n)`, `>= n` for at most
        // `ceil(n) - 1` (and never, for a negative `n`: that path does not run).
        let most = if or_equal { n.ceil() - 1.0 } else { n.floor() };
        Some(LengthCap {
            binding,
            most: most.max(0.0),
        })
    }

    /// Caps the list in the binding to the length the failed test allows (on the current branch).
    pub(super) fn cap_length(&mut self, cap: &LengthCap) {
        let span = wfc_ir::Span::default();
        let v = self.read(cap.binding);
        let Some(arr) = (match &v {
            Val::Arr(_) | Val::Input(_) => v.as_array(span),
            _ => None,
        }) else {
            return;
        };
        let lo = arr.len.lo.min(cap.most as u64);
        let capped = Arr {
            len: Count {
                lo,
                hi: arr.len.hi.min(&Sym::num(cap.most)),
            },
            ..arr
        };
        self.set_env(cap.binding, Val::Arr(Rc::new(capped)));
    }
}

impl Interp<'_> {
    /// The number a limit is at every run: a number literal, or a name declared once with one
    /// and never written again. Only such a limit can be trusted by a test that leaves (or cuts)
    /// when it is passed: a limit that may be `undefined` compares false, and nothing is cut.
    pub(super) fn literal_limit(&self, limit: &Expr) -> Option<f64> {
        let n = match &limit.kind {
            ExprKind::Literal {
                value: wfc_ir::Literal::Number(n),
            } => n.0,
            ExprKind::Var { binding, .. } => *self.facts.literal_numbers.get(binding)?,
            _ => return None,
        };
        n.is_finite().then_some(n)
    }
}

/// `x > limit`, `x >= limit`, `limit < x` or `limit <= x`: `x`, the limit, and whether equality
/// counts. Whether the limit can be trusted is [`Interp::literal_limit`]'s to say.
pub(super) fn above_a_limit(e: &Expr) -> Option<(&Expr, &Expr, bool)> {
    let ExprKind::Binary { op, left, right } = &e.kind else {
        return None;
    };
    let (x, limit, or_equal) = match op {
        BinaryOp::Gt => (left, right, false),
        BinaryOp::GtEq => (left, right, true),
        BinaryOp::Lt => (right, left, false),
        BinaryOp::LtEq => (right, left, true),
        _ => return None,
    };
    Some((x, limit, or_equal))
}

/// The binding `e` reads the `length` of.
fn length_of(e: &Expr) -> Option<BindingId> {
    let ExprKind::Member {
        object,
        property: MemberProp::Named { name, .. },
        optional: false,
    } = &e.kind
    else {
        return None;
    };
    match &object.kind {
        ExprKind::Var { binding, .. } if name == "length" => Some(*binding),
        _ => None,
    }
}

/// Whether a function body's statement never completes normally: it returns or throws on every
/// path. A body that may complete returns `undefined` there.
pub(super) fn never_completes(s: &Stmt) -> bool {
    leaves(s, false)
}

/// The statement never completes normally: it always returns, throws, breaks or continues, so
/// the code after it runs only when it did not run.
pub(super) fn always_leaves(s: &Stmt) -> bool {
    leaves(s, true)
}

/// Whether control never reaches the statement's end: it returns or throws on every path, or
/// (with `jumps`) breaks or continues.
fn leaves(s: &Stmt, jumps: bool) -> bool {
    match &s.kind {
        StmtKind::Return { .. } | StmtKind::Throw { .. } => true,
        StmtKind::Break { .. } | StmtKind::Continue { .. } => jumps,
        StmtKind::Block { block } => block.stmts.iter().any(|s| leaves(s, jumps)),
        StmtKind::If {
            consequent,
            alternate: Some(alternate),
            ..
        } => leaves(consequent, jumps) && leaves(alternate, jumps),
        _ => false,
    }
}
