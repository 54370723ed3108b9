//! The kinds of expression rules look for, picked out of the workflow's expression list in one
//! pass.
//!
//! Expression nodes are scattered over the heap: a rule that scans the whole list to find its
//! few `agent()` calls touches every node, a cache miss each. A dozen rules doing so cost more
//! than their own work on a small script, so they share these lists instead.

use wfc_ir::{BinaryOp, Expr, ExprKind};

pub struct ExprIndex<'a> {
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
}

impl<'a> ExprIndex<'a> {
    pub fn new(exprs: &[&'a Expr]) -> Self {
        let mut index = ExprIndex {
            primitives: Vec::new(),
            calls: Vec::new(),
            equalities: Vec::new(),
            imports: Vec::new(),
            reads_budget: false,
        };
        for &e in exprs {
            match &e.kind {
                ExprKind::Agent(_)
                | ExprKind::Parallel { .. }
                | ExprKind::Pipeline { .. }
                | ExprKind::Phase { .. }
                | ExprKind::Log { .. }
                | ExprKind::Workflow { .. } => index.primitives.push(e),
                ExprKind::Call { .. } => index.calls.push(e),
                ExprKind::Binary {
                    op: BinaryOp::Eq | BinaryOp::StrictEq | BinaryOp::NotEq | BinaryOp::StrictNotEq,
                    ..
                } => index.equalities.push(e),
                ExprKind::Import { .. } => index.imports.push(e),
                ExprKind::Budget => index.reads_budget = true,
                _ => {}
            }
        }
        index
    }
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
        let index = ExprIndex::new(&exprs);
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
    }
}
