//! Declaration hoisting: before a scope's statements are lowered, the names it declares are bound,
//! so a closure can refer to a function or constant declared further down (as JavaScript allows).

use swc_ecma_ast as ast;
use wfc_ir::BindingKind;

use super::Lowerer;
use crate::parse::span_of;

impl Lowerer<'_> {
    /// The script body: `var`s anywhere outside functions, and its top-level lexical declarations.
    pub(super) fn hoist_module(&mut self, items: &[ast::ModuleItem]) {
        for item in items {
            match item {
                ast::ModuleItem::Stmt(s) => self.hoist_vars_in(s),
                ast::ModuleItem::ModuleDecl(ast::ModuleDecl::ExportDecl(e)) => {
                    if let ast::Decl::Var(v) = &e.decl {
                        self.hoist_var_decl(v);
                    }
                }
                // Imports are refused (`forbidden-api`), but binding their names keeps each use
                // from cascading into an `unknown-global` error.
                ast::ModuleItem::ModuleDecl(ast::ModuleDecl::Import(import)) => {
                    for spec in &import.specifiers {
                        let local = match spec {
                            ast::ImportSpecifier::Named(n) => &n.local,
                            ast::ImportSpecifier::Default(d) => &d.local,
                            ast::ImportSpecifier::Namespace(n) => &n.local,
                        };
                        self.declare(&local.sym, BindingKind::Const, span_of(local.span));
                    }
                }
                ast::ModuleItem::ModuleDecl(_) => {}
            }
        }
        for item in items {
            if let ast::ModuleItem::Stmt(s) = item {
                self.hoist_lexical(s);
            }
        }
    }

    /// A function body: its `var`s anywhere and its top-level lexical declarations.
    pub(super) fn hoist_function_body(&mut self, stmts: &[ast::Stmt]) {
        for s in stmts {
            self.hoist_vars_in(s);
        }
        self.hoist_block(stmts);
    }

    /// A block: its directly declared `let`, `const` and functions.
    pub(super) fn hoist_block(&mut self, stmts: &[ast::Stmt]) {
        for s in stmts {
            self.hoist_lexical(s);
        }
    }

    fn hoist_lexical(&mut self, s: &ast::Stmt) {
        let ast::Stmt::Decl(decl) = s else { return };
        match decl {
            ast::Decl::Var(v) if v.kind != ast::VarDeclKind::Var => self.hoist_var_decl(v),
            ast::Decl::Fn(f) => {
                self.declare(&f.ident.sym, BindingKind::Function, span_of(f.ident.span));
            }
            // Classes are unsupported, but binding the name keeps its uses from cascading into
            // `unknown-global` errors.
            ast::Decl::Class(c) => {
                self.declare(&c.ident.sym, BindingKind::Let, span_of(c.ident.span));
            }
            _ => {}
        }
    }

    fn hoist_var_decl(&mut self, v: &ast::VarDecl) {
        let kind = match v.kind {
            ast::VarDeclKind::Var => BindingKind::Var,
            ast::VarDeclKind::Let => BindingKind::Let,
            ast::VarDeclKind::Const => BindingKind::Const,
        };
        for d in &v.decls {
            self.declare_pat(&d.name, kind);
        }
    }

    /// Declares every name a binding pattern introduces.
    pub(super) fn declare_pat(&mut self, pat: &ast::Pat, kind: BindingKind) {
        match pat {
            ast::Pat::Ident(id) => {
                self.declare(&id.id.sym, kind, span_of(id.id.span));
            }
            ast::Pat::Array(a) => {
                for p in a.elems.iter().flatten() {
                    self.declare_pat(p, kind);
                }
            }
            ast::Pat::Object(o) => {
                for p in &o.props {
                    match p {
                        ast::ObjectPatProp::KeyValue(kv) => self.declare_pat(&kv.value, kind),
                        ast::ObjectPatProp::Assign(a) => {
                            self.declare(&a.key.id.sym, kind, span_of(a.key.id.span));
                        }
                        ast::ObjectPatProp::Rest(r) => self.declare_pat(&r.arg, kind),
                    }
                }
            }
            ast::Pat::Rest(r) => self.declare_pat(&r.arg, kind),
            ast::Pat::Assign(a) => self.declare_pat(&a.left, kind),
            ast::Pat::Invalid(_) | ast::Pat::Expr(_) => {}
        }
    }

    /// Declares the `var`s of a statement, descending into nested statements but not functions.
    fn hoist_vars_in(&mut self, s: &ast::Stmt) {
        use ast::Stmt as S;
        match s {
            S::Decl(ast::Decl::Var(v)) if v.kind == ast::VarDeclKind::Var => self.hoist_var_decl(v),
            S::Block(b) => b.stmts.iter().for_each(|s| self.hoist_vars_in(s)),
            S::If(i) => {
                self.hoist_vars_in(&i.cons);
                if let Some(alt) = &i.alt {
                    self.hoist_vars_in(alt);
                }
            }
            S::For(f) => {
                if let Some(ast::VarDeclOrExpr::VarDecl(v)) = &f.init {
                    if v.kind == ast::VarDeclKind::Var {
                        self.hoist_var_decl(v);
                    }
                }
                self.hoist_vars_in(&f.body);
            }
            S::ForIn(ast::ForInStmt { left, body, .. })
            | S::ForOf(ast::ForOfStmt { left, body, .. }) => {
                if let ast::ForHead::VarDecl(v) = left {
                    if v.kind == ast::VarDeclKind::Var {
                        self.hoist_var_decl(v);
                    }
                }
                self.hoist_vars_in(body);
            }
            S::While(w) => self.hoist_vars_in(&w.body),
            S::DoWhile(d) => self.hoist_vars_in(&d.body),
            S::Labeled(l) => self.hoist_vars_in(&l.body),
            S::Switch(sw) => {
                for c in &sw.cases {
                    c.cons.iter().for_each(|s| self.hoist_vars_in(s));
                }
            }
            S::Try(t) => {
                t.block.stmts.iter().for_each(|s| self.hoist_vars_in(s));
                if let Some(h) = &t.handler {
                    h.body.stmts.iter().for_each(|s| self.hoist_vars_in(s));
                }
                if let Some(f) = &t.finalizer {
                    f.stmts.iter().for_each(|s| self.hoist_vars_in(s));
                }
            }
            _ => {}
        }
    }
}
