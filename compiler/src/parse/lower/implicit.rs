//! Implicit globals: names a script assigns without declaring them (`note = 'x'`).
//!
//! The runtime compiles the body as an ordinary (sloppy-mode) function, so such an assignment
//! creates a global variable, and real scripts rely on it. Only a plain assignment creates one:
//! `x += 1` or `x++` read the name first and throw while it does not exist yet.

use wfc_ir::visit::{walk_assign_target, walk_expr, walk_stmt, walk_workflow, Visitor};
use wfc_ir::{
    classify_global, AssignOp, AssignTarget, Expr, ExprKind, ForHead, GlobalKind, Name, Span, Stmt,
    StmtKind, Workflow,
};

/// The undeclared names the workflow assigns with `=`, a destructuring assignment or a
/// `for (x of …)` head, each with its first assignment, in source order. Built-ins and host
/// names (`process = …`) are left to the rules that report them.
pub(super) fn assigned_globals(w: &Workflow) -> Vec<(Name, Span)> {
    let mut finder = Finder { found: Vec::new() };
    walk_workflow(&mut finder, w);
    finder.found.sort_by_key(|(_, span)| span.start);
    finder.found
}

struct Finder {
    found: Vec<(Name, Span)>,
}

impl Finder {
    /// Records the undeclared names a plain assignment's target (or destructuring pattern)
    /// writes.
    fn target(&mut self, t: &AssignTarget) {
        Targets {
            found: &mut self.found,
        }
        .visit_assign_target(t);
    }
}

/// The names inside one assignment target; expressions inside it (defaults, member objects) are
/// left to [`Finder`], which walks every expression.
struct Targets<'f> {
    found: &'f mut Vec<(Name, Span)>,
}

impl<'a> Visitor<'a> for Targets<'_> {
    fn visit_expr(&mut self, _: &'a Expr) {}

    fn visit_assign_target(&mut self, t: &'a AssignTarget) {
        if let AssignTarget::Global { name, span } = t {
            if classify_global(name) == GlobalKind::Unknown {
                match self.found.iter_mut().find(|(n, _)| n == name) {
                    Some((_, first)) if span.start < first.start => *first = *span,
                    Some(_) => {}
                    None => self.found.push((name.clone(), *span)),
                }
            }
        }
        walk_assign_target(self, t);
    }
}

impl<'a> Visitor<'a> for Finder {
    fn visit_expr(&mut self, e: &'a Expr) {
        if let ExprKind::Assign {
            op: AssignOp::Assign,
            target,
            ..
        } = &e.kind
        {
            self.target(target);
        }
        walk_expr(self, e);
    }

    fn visit_stmt(&mut self, s: &'a Stmt) {
        if let StmtKind::ForOf {
            left: ForHead::Target { target },
            ..
        }
        | StmtKind::ForIn {
            left: ForHead::Target { target },
            ..
        } = &s.kind
        {
            self.target(target);
        }
        walk_stmt(self, s);
    }
}
