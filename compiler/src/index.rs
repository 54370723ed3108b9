//! What the rules and the bounds analysis read about the workflow's nodes, gathered in one walk
//! of the tree.
//!
//! IR nodes are scattered over the heap: every walk of the tree takes a cache miss per node and
//! a recursive call per child, and a walk per rule cost more than the rules' own work on a small
//! script. One walk lists every expression, statement and function and, while each expression
//! is at hand, files it: the kinds of expression rules look for, the reads of each binding and
//! the uses of undeclared names.

use wfc_ir::visit::{
    walk_assign_target, walk_expr, walk_function, walk_stmt, walk_workflow, Visitor,
};
use wfc_ir::{
    AssignTarget, BinaryOp, BindingId, Expr, ExprKind, Function, MemberProp, ScopeId, ScopeKind,
    Span, Stmt, UnaryOp, Workflow,
};

use crate::rules::unknown_global::GlobalUse;

pub struct ExprIndex<'a> {
    /// Every expression, outermost first, including those inside functions, patterns (default
    /// values) and agent options ([`wfc_ir::visit::all_exprs`]'s order).
    pub all: Vec<&'a Expr>,
    /// Every statement, outermost first, including those inside functions.
    pub stmts: Vec<&'a Stmt>,
    /// Every function: expressions, arrows and declarations.
    pub functions: Vec<&'a Function>,
    /// `agent()`, `parallel()`, `pipeline()`, `phase()`, `log()` and `workflow()` calls, in the
    /// order of the expression list (outermost first).
    pub primitives: Vec<&'a Expr>,
    /// Calls of anything else (`f(x)`, `JSON.parse(s)`, `budget()`).
    pub calls: Vec<&'a Expr>,
    /// `==`, `===`, `!=` and `!==` comparisons.
    pub equalities: Vec<&'a Expr>,
    /// `import(…)` expressions.
    pub imports: Vec<&'a Expr>,
    /// Whether `budget` is read anywhere.
    pub reads_budget: bool,
    /// How many times each binding is read (the `Var` expressions naming it), by binding index.
    pub reads: Vec<u32>,
    /// Every use of an undeclared name (`ExprKind::Global`, `AssignTarget::Global`), in source
    /// order: its name, the identifier's span and how it is used. The operand of `typeof` is
    /// left out: `typeof process === 'undefined'` is a feature test that never throws.
    pub global_uses: Vec<(&'a str, Span, GlobalUse)>,
    /// Each binding's declaring function (by binding index; `None`: the script body).
    pub declared_in: Vec<Option<ScopeId>>,
    /// Whether each binding is read inside a function other than its declaring one (a
    /// closure's capture).
    pub captured: Vec<bool>,
    /// Every property access on a variable (`r.x`, `r?.[i]`, `r.f()`, and the targets `r.x = v`,
    /// `r.n++`), in the order of the walk.
    pub var_members: Vec<VarMember<'a>>,
}

/// A property read or write on a variable.
pub struct VarMember<'a> {
    pub binding: BindingId,
    pub name: &'a str,
    /// The whole access (`r.x`).
    pub span: Span,
    /// Where the variable is named (the start of `r`).
    pub object_start: u32,
    pub property: &'a MemberProp,
    /// `r?.x`.
    pub optional: bool,
    /// The callee of a call (`r.f()`).
    pub called: bool,
    /// An assignment's target (`r.x = v`, `r.n++`, `[r.x] = v`).
    pub written: bool,
    /// The function the access is in (`None`: the script body).
    pub in_function: Option<ScopeId>,
}

impl<'a> ExprIndex<'a> {
    pub fn of(workflow: &'a Workflow) -> Self {
        // Sized from the bindings, so that the lists rarely grow: the fixtures have 7 to 13
        // expressions, about 1.3 statements, 0.6 calls and one access to a variable's property
        // per binding.
        let bindings = workflow.bindings.len();
        let mut census = Census {
            index: ExprIndex {
                all: Vec::with_capacity(bindings * 12 + 16),
                stmts: Vec::with_capacity(bindings * 2 + 8),
                functions: Vec::with_capacity(workflow.scopes.len()),
                primitives: Vec::with_capacity(workflow.sites.len() * 2 + 4),
                calls: Vec::with_capacity(bindings + 8),
                equalities: Vec::new(),
                imports: Vec::new(),
                reads_budget: false,
                reads: vec![0; workflow.bindings.len()],
                global_uses: Vec::new(),
                declared_in: workflow
                    .bindings
                    .iter()
                    .map(|b| enclosing_function(workflow, b.scope))
                    .collect(),
                captured: vec![false; workflow.bindings.len()],
                var_members: Vec::with_capacity(bindings + 8),
            },
            next_global: None,
            callee: None,
            functions: Vec::new(),
        };
        walk_workflow(&mut census, workflow);
        census.index
    }
}

/// The function whose body (or parameters) `scope` is in; `None` for the script body.
fn enclosing_function(w: &Workflow, mut scope: ScopeId) -> Option<ScopeId> {
    loop {
        let s = w.scopes.get(scope.0 as usize)?;
        match s.kind {
            ScopeKind::Function => return Some(scope),
            ScopeKind::Script => return None,
            _ => scope = s.parent?,
        }
    }
}

struct Census<'a> {
    index: ExprIndex<'a>,
    /// The functions being walked, innermost last.
    functions: Vec<ScopeId>,
    /// How the undeclared name about to be visited is used, when its parent decides it: the
    /// callee of a call, or the operand of `typeof` (not a use).
    next_global: Option<(&'a Expr, Option<GlobalUse>)>,
    /// The callee of the call being visited, the first expression visited under it.
    callee: Option<&'a Expr>,
}

impl<'a> Visitor<'a> for Census<'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        let index = &mut self.index;
        index.all.push(e);
        match &e.kind {
            ExprKind::Agent(_)
            | ExprKind::Parallel { .. }
            | ExprKind::Pipeline { .. }
            | ExprKind::Phase { .. }
            | ExprKind::Log { .. }
            | ExprKind::Workflow { .. } => index.primitives.push(e),
            ExprKind::Call { callee, .. } | ExprKind::New { callee, .. } => {
                if matches!(e.kind, ExprKind::Call { .. }) {
                    index.calls.push(e);
                    self.callee = Some(callee);
                }
                if matches!(callee.kind, ExprKind::Global { .. }) {
                    self.next_global = Some((callee, Some(GlobalUse::Call)));
                }
            }
            ExprKind::Unary {
                op: UnaryOp::TypeOf,
                arg,
            } if matches!(arg.kind, ExprKind::Global { .. }) => {
                self.next_global = Some((arg, None));
            }
            ExprKind::Binary {
                op: BinaryOp::Eq | BinaryOp::StrictEq | BinaryOp::NotEq | BinaryOp::StrictNotEq,
                ..
            } => index.equalities.push(e),
            ExprKind::Import { .. } => index.imports.push(e),
            ExprKind::Budget => index.reads_budget = true,
            ExprKind::Var { binding, .. } => {
                if let Some(n) = index.reads.get_mut(binding.0 as usize) {
                    *n += 1;
                }
                if let Some(&inside) = self.functions.last() {
                    let i = binding.0 as usize;
                    if index.declared_in.get(i).is_some_and(|d| *d != Some(inside)) {
                        index.captured[i] = true;
                    }
                }
            }
            ExprKind::Member {
                object,
                property,
                optional,
            } => {
                if let Some(m) = var_member(object, property, e.span, &self.functions) {
                    index.var_members.push(VarMember {
                        optional: *optional,
                        called: self.callee.is_some_and(|c| std::ptr::eq(c, e)),
                        ..m
                    });
                }
            }
            ExprKind::Global { name } => {
                let usage = match self.next_global.take() {
                    Some((expected, usage)) if std::ptr::eq(expected, e) => usage,
                    _ => Some(GlobalUse::Read),
                };
                if let Some(usage) = usage {
                    index.global_uses.push((name, e.span, usage));
                }
            }
            _ => {}
        }
        walk_expr(self, e);
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.index.stmts.push(stmt);
        walk_stmt(self, stmt);
    }

    fn visit_function(&mut self, function: &'a Function) {
        self.index.functions.push(function);
        self.functions.push(function.scope);
        walk_function(self, function);
        self.functions.pop();
    }

    fn visit_assign_target(&mut self, target: &'a AssignTarget) {
        match target {
            AssignTarget::Global { name, span } => {
                self.index.global_uses.push((name, *span, GlobalUse::Write));
            }
            AssignTarget::Member {
                object,
                property,
                span,
            } => {
                if let Some(m) = var_member(object, property, *span, &self.functions) {
                    self.index
                        .var_members
                        .push(VarMember { written: true, ..m });
                }
            }
            _ => {}
        }
        walk_assign_target(self, target);
    }
}

/// A property access on `object` when it names a variable: read, not optional, not called.
fn var_member<'a>(
    object: &'a Expr,
    property: &'a MemberProp,
    span: Span,
    functions: &[ScopeId],
) -> Option<VarMember<'a>> {
    let ExprKind::Var { binding, name } = &object.kind else {
        return None;
    };
    Some(VarMember {
        binding: *binding,
        name,
        span,
        object_start: object.span.start,
        property,
        optional: false,
        called: false,
        written: false,
        in_function: functions.last().copied(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_expression_of_a_listed_kind_is_in_its_list_in_order() {
        let src = "export const meta = { name: 'x', description: 'y' }\n\
            phase('A')\nconst r = await agent('a')\nif (typeof args === 'string' || r != null) log(JSON.parse(r))\n\
            await parallel([() => agent('b')])\nawait pipeline([1], [x => x])\nif (budget.total) f()\nfunction f() { return g(1) }\nfunction g(x) { return x }\n";
        let (w, d) = crate::compile(src);
        assert!(d.is_empty(), "{d:?}");
        let w = w.expect("lowers");
        let exprs = wfc_ir::visit::all_exprs(&w);
        let index = ExprIndex::of(&w);
        assert_eq!(index.all.len(), exprs.len());
        assert!(index
            .all
            .iter()
            .zip(&exprs)
            .all(|(a, b)| std::ptr::eq(*a, *b)));
        let names = |v: &[&Expr]| -> Vec<&str> {
            v.iter()
                .map(|e| &src[e.span.start as usize..e.span.end as usize])
                .collect()
        };
        assert_eq!(
            names(&index.primitives),
            [
                "phase('A')",
                "agent('a')",
                "log(JSON.parse(r))",
                "parallel([() => agent('b')])",
                "agent('b')",
                "pipeline([1], [x => x])",
            ]
        );
        assert_eq!(names(&index.calls), ["JSON.parse(r)", "f()", "g(1)"]);
        assert_eq!(
            names(&index.equalities),
            ["typeof args === 'string'", "r != null"]
        );
        assert!(index.imports.is_empty());
        assert!(index.reads_budget);
        // The lists hold exactly what a scan of the whole list finds.
        let primitives = exprs
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    ExprKind::Agent(_)
                        | ExprKind::Parallel { .. }
                        | ExprKind::Pipeline { .. }
                        | ExprKind::Phase { .. }
                        | ExprKind::Log { .. }
                        | ExprKind::Workflow { .. }
                )
            })
            .count();
        assert_eq!(index.primitives.len(), primitives);
        let reads: u32 = index.reads.iter().sum();
        let vars = exprs
            .iter()
            .filter(|e| matches!(e.kind, ExprKind::Var { .. }))
            .count();
        assert_eq!(reads as usize, vars);
        let r = w.bindings.iter().position(|b| b.name == "r").expect("r");
        assert_eq!(index.reads[r], 2);
        // Statements and functions, in the order a walk meets them.
        #[derive(Default)]
        struct Walk<'a> {
            stmts: Vec<&'a Stmt>,
            functions: Vec<&'a Function>,
        }
        impl<'a> Visitor<'a> for Walk<'a> {
            fn visit_stmt(&mut self, s: &'a Stmt) {
                self.stmts.push(s);
                walk_stmt(self, s);
            }
            fn visit_function(&mut self, f: &'a Function) {
                self.functions.push(f);
                walk_function(self, f);
            }
        }
        let mut walk = Walk::default();
        walk_workflow(&mut walk, &w);
        let same = |a: &[&Stmt], b: &[&Stmt]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| std::ptr::eq(*x, *y))
        };
        assert!(same(&index.stmts, &walk.stmts));
        assert_eq!(index.stmts.len(), 13);
        let names: Vec<Option<&str>> = index.functions.iter().map(|f| f.name.as_deref()).collect();
        assert_eq!(names, [None, None, Some("f"), Some("g")]);
    }

    #[test]
    fn property_accesses_on_variables_are_listed_with_how_they_are_used() {
        let src = "export const meta = { name: 'x', description: 'y' }\n\
            const r = {}\nr.a = r.b\nr?.c\nr.d()\nr.n++\n;[r.e] = [1]\nfunction f() { return r[0] }\nJSON.parse(r.g)\n";
        let (w, d) = crate::compile(src);
        assert!(d.is_empty(), "{d:?}");
        let w = w.expect("lowers");
        let index = ExprIndex::of(&w);
        let f = index.functions[0].scope;
        let seen: Vec<(&str, bool, bool, bool, bool)> = index
            .var_members
            .iter()
            .map(|m| {
                assert_eq!(m.name, "r");
                assert_eq!(&src[m.object_start as usize..][..1], "r");
                (
                    &src[m.span.start as usize..m.span.end as usize],
                    m.optional,
                    m.called,
                    m.written,
                    m.in_function == Some(f),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("r.a", false, false, true, false),
                ("r.b", false, false, false, false),
                ("r?.c", true, false, false, false),
                ("r.d", false, true, false, false),
                ("r.n", false, false, true, false),
                ("r.e", false, false, true, false),
                ("r[0]", false, false, false, true),
                ("r.g", false, false, false, false),
            ]
        );
    }

    #[test]
    fn undeclared_names_are_listed_with_their_use_in_order() {
        let src = "export const meta = { name: 'x', description: 'y' }\n\
            if (typeof feature === 'undefined') total += 1\nsleep(1)\nconst p = new Thing(other.x)\n\
            for (const item of [1]) count++\nlog(typeof helper.y, helper2())\n";
        let (w, d) = crate::compile(src);
        assert!(d.is_empty(), "{d:?}");
        let w = w.expect("lowers");
        let index = ExprIndex::of(&w);
        let uses: Vec<(&str, &str, GlobalUse)> = index
            .global_uses
            .iter()
            .map(|&(name, span, usage)| (name, &src[span.start as usize..span.end as usize], usage))
            .collect();
        use GlobalUse::{Call, Read, Write};
        assert_eq!(
            uses,
            [
                ("total", "total", Write),
                ("sleep", "sleep", Call),
                ("Thing", "Thing", Call),
                ("other", "other", Read),
                ("count", "count", Write),
                ("helper", "helper", Read),
                ("helper2", "helper2", Call),
            ]
        );
    }
}
