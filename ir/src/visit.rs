//! A read-only visitor over the IR. Override the `visit_*` methods you care about and call the
//! matching `walk_*` function to keep descending.

use crate::*;

pub trait Visitor<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        walk_stmt(self, stmt);
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        walk_expr(self, expr);
    }
    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        walk_pattern(self, pattern);
    }
    fn visit_function(&mut self, function: &'a Function) {
        walk_function(self, function);
    }
    fn visit_assign_target(&mut self, target: &'a AssignTarget) {
        walk_assign_target(self, target);
    }
}

pub fn walk_workflow<'a, V: Visitor<'a> + ?Sized>(v: &mut V, workflow: &'a Workflow) {
    for stmt in &workflow.body {
        v.visit_stmt(stmt);
    }
}

pub fn walk_block<'a, V: Visitor<'a> + ?Sized>(v: &mut V, block: &'a Block) {
    for stmt in &block.stmts {
        v.visit_stmt(stmt);
    }
}

fn walk_decls<'a, V: Visitor<'a> + ?Sized>(v: &mut V, decls: &'a [VarDeclarator]) {
    for d in decls {
        v.visit_pattern(&d.pattern);
        if let Some(init) = &d.init {
            v.visit_expr(init);
        }
    }
}

fn walk_for_head<'a, V: Visitor<'a> + ?Sized>(v: &mut V, head: &'a ForHead) {
    match head {
        ForHead::Decl { pattern, .. } => v.visit_pattern(pattern),
        ForHead::Target { target } => v.visit_assign_target(target),
    }
}

pub fn walk_stmt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, stmt: &'a Stmt) {
    match &stmt.kind {
        StmtKind::Expr { expr } => v.visit_expr(expr),
        StmtKind::VarDecl { decls, .. } => walk_decls(v, decls),
        StmtKind::FunctionDecl { function, .. } => v.visit_function(function),
        StmtKind::Block { block } => walk_block(v, block),
        StmtKind::If {
            test,
            consequent,
            alternate,
        } => {
            v.visit_expr(test);
            v.visit_stmt(consequent);
            if let Some(alt) = alternate {
                v.visit_stmt(alt);
            }
        }
        StmtKind::For {
            init,
            test,
            update,
            body,
            ..
        } => {
            match init.as_deref() {
                Some(ForInit::VarDecl { decls, .. }) => walk_decls(v, decls),
                Some(ForInit::Expr { expr }) => v.visit_expr(expr),
                None => {}
            }
            if let Some(test) = test {
                v.visit_expr(test);
            }
            if let Some(update) = update {
                v.visit_expr(update);
            }
            v.visit_stmt(body);
        }
        StmtKind::ForOf {
            left, right, body, ..
        }
        | StmtKind::ForIn {
            left, right, body, ..
        } => {
            walk_for_head(v, left);
            v.visit_expr(right);
            v.visit_stmt(body);
        }
        StmtKind::While { test, body } => {
            v.visit_expr(test);
            v.visit_stmt(body);
        }
        StmtKind::DoWhile { body, test } => {
            v.visit_stmt(body);
            v.visit_expr(test);
        }
        StmtKind::Switch {
            discriminant,
            cases,
            ..
        } => {
            v.visit_expr(discriminant);
            for case in cases {
                if let Some(test) = &case.test {
                    v.visit_expr(test);
                }
                for s in &case.body {
                    v.visit_stmt(s);
                }
            }
        }
        StmtKind::Try {
            block,
            handler,
            finalizer,
        } => {
            walk_block(v, block);
            if let Some(h) = handler {
                if let Some(p) = &h.param {
                    v.visit_pattern(p);
                }
                walk_block(v, &h.body);
            }
            if let Some(f) = finalizer {
                walk_block(v, f);
            }
        }
        StmtKind::Throw { arg } => v.visit_expr(arg),
        StmtKind::Return { arg } => {
            if let Some(arg) = arg {
                v.visit_expr(arg);
            }
        }
        StmtKind::Labeled { body, .. } => v.visit_stmt(body),
        StmtKind::Break { .. } | StmtKind::Continue { .. } | StmtKind::Empty => {}
    }
}

fn walk_args<'a, V: Visitor<'a> + ?Sized>(v: &mut V, args: &'a [Argument]) {
    for a in args {
        v.visit_expr(&a.expr);
    }
}

fn walk_prop_key<'a, V: Visitor<'a> + ?Sized>(v: &mut V, key: &'a PropKey) {
    if let PropKey::Computed { expr } = key {
        v.visit_expr(expr);
    }
}

fn walk_member_prop<'a, V: Visitor<'a> + ?Sized>(v: &mut V, prop: &'a MemberProp) {
    if let MemberProp::Computed { expr } = prop {
        v.visit_expr(expr);
    }
}

pub fn walk_agent_options<'a, V: Visitor<'a> + ?Sized>(v: &mut V, options: &'a AgentOptions) {
    match options {
        AgentOptions::Literal { entries, .. } => {
            for e in entries {
                match e {
                    AgentOption::Known { value, .. } | AgentOption::Unknown { value, .. } => {
                        v.visit_expr(value)
                    }
                    AgentOption::Computed { key, value } => {
                        v.visit_expr(key);
                        v.visit_expr(value);
                    }
                    AgentOption::Spread { expr } => v.visit_expr(expr),
                }
            }
        }
        AgentOptions::Dynamic { expr } => v.visit_expr(expr),
    }
}

pub fn walk_expr<'a, V: Visitor<'a> + ?Sized>(v: &mut V, expr: &'a Expr) {
    match &expr.kind {
        ExprKind::Literal { .. }
        | ExprKind::Regex { .. }
        | ExprKind::Var { .. }
        | ExprKind::Global { .. }
        | ExprKind::Args
        | ExprKind::Budget
        | ExprKind::PrimitiveRef { .. }
        | ExprKind::Invalid => {}
        ExprKind::Template { exprs, .. } | ExprKind::Sequence { exprs } => {
            for e in exprs {
                v.visit_expr(e);
            }
        }
        ExprKind::TaggedTemplate(t) => {
            v.visit_expr(&t.tag);
            for e in &t.exprs {
                v.visit_expr(e);
            }
        }
        ExprKind::Array { elements } => {
            for el in elements {
                match el {
                    ArrayElement::Expr { expr } | ArrayElement::Spread { expr } => {
                        v.visit_expr(expr)
                    }
                    ArrayElement::Hole => {}
                }
            }
        }
        ExprKind::Object { props } => {
            for p in props {
                match p {
                    ObjectProp::KeyValue { key, value } => {
                        walk_prop_key(v, key);
                        v.visit_expr(value);
                    }
                    ObjectProp::Spread { expr } => v.visit_expr(expr),
                }
            }
        }
        ExprKind::Function { function } => v.visit_function(function),
        ExprKind::Unary { arg, .. } | ExprKind::Await { arg } | ExprKind::Import { arg } => {
            v.visit_expr(arg)
        }
        ExprKind::Update { target, .. } => v.visit_assign_target(target),
        ExprKind::Binary { left, right, .. } | ExprKind::Logical { left, right, .. } => {
            v.visit_expr(left);
            v.visit_expr(right);
        }
        ExprKind::Assign { target, value, .. } => {
            v.visit_assign_target(target);
            v.visit_expr(value);
        }
        ExprKind::Conditional {
            test,
            consequent,
            alternate,
        } => {
            v.visit_expr(test);
            v.visit_expr(consequent);
            v.visit_expr(alternate);
        }
        ExprKind::Call { callee, args, .. } | ExprKind::New { callee, args } => {
            v.visit_expr(callee);
            walk_args(v, args);
        }
        ExprKind::Member {
            object, property, ..
        } => {
            v.visit_expr(object);
            walk_member_prop(v, property);
        }
        ExprKind::Chain { expr } => v.visit_expr(expr),
        ExprKind::Agent(call) => {
            v.visit_expr(&call.prompt);
            if let Some(opts) = &call.options {
                walk_agent_options(v, opts);
            }
            walk_args(v, &call.extra);
        }
        ExprKind::Parallel { thunks, extra } => {
            v.visit_expr(thunks);
            walk_args(v, extra);
        }
        ExprKind::Pipeline { items, stages } => {
            v.visit_expr(items);
            walk_args(v, stages);
        }
        ExprKind::Phase { args } | ExprKind::Log { args } | ExprKind::Workflow { args } => {
            walk_args(v, args)
        }
    }
}

pub fn walk_pattern<'a, V: Visitor<'a> + ?Sized>(v: &mut V, pattern: &'a Pattern) {
    match pattern {
        Pattern::Binding { .. } => {}
        Pattern::Target { target } => v.visit_assign_target(target),
        Pattern::Array { elements, rest, .. } => {
            for p in elements.iter().flatten() {
                v.visit_pattern(p);
            }
            if let Some(r) = rest {
                v.visit_pattern(r);
            }
        }
        Pattern::Object { props, rest, .. } => {
            for p in props {
                walk_prop_key(v, &p.key);
                v.visit_pattern(&p.value);
            }
            if let Some(r) = rest {
                v.visit_pattern(r);
            }
        }
        Pattern::Default { pattern, default } => {
            v.visit_pattern(pattern);
            v.visit_expr(default);
        }
    }
}

pub fn walk_function<'a, V: Visitor<'a> + ?Sized>(v: &mut V, function: &'a Function) {
    for p in &function.params {
        v.visit_pattern(&p.pattern);
    }
    match &function.body {
        FunctionBody::Block { block } => walk_block(v, block),
        FunctionBody::Expr { expr } => v.visit_expr(expr),
    }
}

pub fn walk_assign_target<'a, V: Visitor<'a> + ?Sized>(v: &mut V, target: &'a AssignTarget) {
    match target {
        AssignTarget::Var { .. } | AssignTarget::Global { .. } => {}
        AssignTarget::Member {
            object, property, ..
        } => {
            v.visit_expr(object);
            walk_member_prop(v, property);
        }
        AssignTarget::Pattern { pattern } => v.visit_pattern(pattern),
    }
}

/// Calls `f` on every expression in `stmt`, outermost first, including inside functions.
pub fn for_each_expr_in_stmt<'a>(stmt: &'a Stmt, f: &mut dyn FnMut(&'a Expr)) {
    struct Each<'f, 'a>(&'f mut dyn FnMut(&'a Expr));
    impl<'a> Visitor<'a> for Each<'_, 'a> {
        fn visit_expr(&mut self, e: &'a Expr) {
            (self.0)(e);
            walk_expr(self, e);
        }
    }
    Each(f).visit_stmt(stmt);
}

/// Calls `f` with every expression of the workflow, outermost first, including those inside
/// functions, patterns (default values) and agent options.
pub fn for_each_expr<'a>(workflow: &'a Workflow, f: impl FnMut(&'a Expr)) {
    struct Each<F>(F);
    impl<'a, F: FnMut(&'a Expr)> Visitor<'a> for Each<F> {
        fn visit_expr(&mut self, e: &'a Expr) {
            (self.0)(e);
            walk_expr(self, e);
        }
    }
    walk_workflow(&mut Each(f), workflow);
}

/// Every expression of the workflow, in [`for_each_expr`]'s order: collected once, for the rules
/// to share.
pub fn all_exprs(workflow: &Workflow) -> Vec<&Expr> {
    let mut all = Vec::new();
    for_each_expr(workflow, |e| all.push(e));
    all
}
