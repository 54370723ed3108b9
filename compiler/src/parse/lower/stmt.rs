//! Statements.

use swc_common::Spanned;
use swc_ecma_ast as ast;
use wfc_ir::{
    BindingKind, Block, CatchClause, DeclKind, ForHead, ForInit, ScopeKind, Stmt, StmtKind,
    SwitchCase, VarDeclarator,
};

use super::Lowerer;
use crate::parse::span_of;
use crate::rules::forbidden_api;

impl Lowerer<'_> {
    pub(super) fn stmt(&mut self, s: &ast::Stmt) -> Stmt {
        let span = span_of(s.span());
        if !self.enter(span) {
            self.leave();
            return Stmt::new(span, StmtKind::Empty);
        }
        let kind = self.stmt_kind(s);
        self.leave();
        Stmt::new(span, kind)
    }

    fn boxed_stmt(&mut self, s: &ast::Stmt) -> Box<Stmt> {
        Box::new(self.stmt(s))
    }

    fn stmt_kind(&mut self, s: &ast::Stmt) -> StmtKind {
        use ast::Stmt as S;
        match s {
            S::Expr(e) => StmtKind::Expr {
                expr: self.expr(&e.expr),
            },
            S::Block(b) => StmtKind::Block {
                block: self.block(b, ScopeKind::Block),
            },
            S::Empty(_) => StmtKind::Empty,
            // `debugger` does nothing outside a debugger.
            S::Debugger(_) => StmtKind::Empty,
            S::With(w) => {
                // Module code is strict, so the parser has reported it already, at the keyword.
                let span = span_of(w.span);
                let reported = self
                    .diagnostics
                    .iter()
                    .any(|d| d.code == forbidden_api::RULE.code && d.span.start == span.start);
                if !reported {
                    self.report(forbidden_api::with_statement(span));
                }
                StmtKind::Empty
            }
            S::Return(r) => StmtKind::Return {
                arg: r.arg.as_ref().map(|a| self.expr(a)),
            },
            S::Labeled(l) => StmtKind::Labeled {
                label: l.label.sym.as_str().into(),
                body: self.boxed_stmt(&l.body),
            },
            S::Break(b) => StmtKind::Break {
                label: b.label.as_ref().map(|l| l.sym.as_str().into()),
            },
            S::Continue(c) => StmtKind::Continue {
                label: c.label.as_ref().map(|l| l.sym.as_str().into()),
            },
            S::If(i) => StmtKind::If {
                test: self.expr(&i.test),
                consequent: self.boxed_stmt(&i.cons),
                alternate: i.alt.as_ref().map(|a| self.boxed_stmt(a)),
            },
            S::Switch(sw) => self.switch(sw),
            S::Throw(t) => StmtKind::Throw {
                arg: self.expr(&t.arg),
            },
            S::Try(t) => self.try_stmt(t),
            S::While(w) => StmtKind::While {
                test: self.expr(&w.test),
                body: self.boxed_stmt(&w.body),
            },
            S::DoWhile(d) => StmtKind::DoWhile {
                body: self.boxed_stmt(&d.body),
                test: self.expr(&d.test),
            },
            S::For(f) => self.for_stmt(f),
            S::ForIn(f) => {
                let scope = self.push_scope(ScopeKind::Loop, span_of(f.span));
                let left = self.for_head(&f.left);
                let right = self.boxed(&f.right);
                let body = self.boxed_stmt(&f.body);
                self.pop_scope(scope);
                StmtKind::ForIn {
                    scope,
                    left,
                    right,
                    body,
                }
            }
            S::ForOf(f) => {
                let scope = self.push_scope(ScopeKind::Loop, span_of(f.span));
                let left = self.for_head(&f.left);
                let right = self.boxed(&f.right);
                let body = self.boxed_stmt(&f.body);
                self.pop_scope(scope);
                StmtKind::ForOf {
                    scope,
                    left,
                    right,
                    body,
                    is_await: f.is_await,
                }
            }
            S::Decl(d) => self.decl(d),
        }
    }

    fn decl(&mut self, d: &ast::Decl) -> StmtKind {
        match d {
            ast::Decl::Var(v) => self.var_decl(v),
            ast::Decl::Fn(f) => {
                let binding =
                    self.declare(&f.ident.sym, BindingKind::Function, span_of(f.ident.span));
                let function = self.function(&f.function, Some(&f.ident), false);
                StmtKind::FunctionDecl {
                    binding,
                    function: Box::new(function),
                }
            }
            ast::Decl::Class(c) => {
                self.unsupported(span_of(c.class.span), "a `class` declaration");
                StmtKind::Empty
            }
            ast::Decl::Using(u) => {
                self.unsupported(span_of(u.span), "a `using` declaration");
                StmtKind::Empty
            }
            other => {
                self.unsupported(span_of(other.span()), "a TypeScript declaration");
                StmtKind::Empty
            }
        }
    }

    pub(super) fn var_decl(&mut self, v: &ast::VarDecl) -> StmtKind {
        let (kind, decls) = self.declarators(v);
        StmtKind::VarDecl { kind, decls }
    }

    fn declarators(&mut self, v: &ast::VarDecl) -> (DeclKind, Vec<VarDeclarator>) {
        let kind = decl_kind(v.kind);
        let decls = v
            .decls
            .iter()
            .map(|d| VarDeclarator {
                pattern: self.binding_pat(&d.name),
                init: d.init.as_ref().map(|e| self.expr(e)),
            })
            .collect();
        (kind, decls)
    }

    pub(super) fn block(&mut self, b: &ast::BlockStmt, kind: ScopeKind) -> Block {
        let span = span_of(b.span);
        let scope = self.push_scope(kind, span);
        self.hoist_block(&b.stmts);
        let stmts = b.stmts.iter().map(|s| self.stmt(s)).collect();
        self.pop_scope(scope);
        Block { span, scope, stmts }
    }

    fn for_stmt(&mut self, f: &ast::ForStmt) -> StmtKind {
        let scope = self.push_scope(ScopeKind::Loop, span_of(f.span));
        let init = f.init.as_ref().map(|init| match init {
            ast::VarDeclOrExpr::VarDecl(v) => {
                if v.kind != ast::VarDeclKind::Var {
                    for d in &v.decls {
                        self.declare_pat(&d.name, binding_kind(v.kind));
                    }
                }
                let (kind, decls) = self.declarators(v);
                Box::new(ForInit::VarDecl { kind, decls })
            }
            ast::VarDeclOrExpr::Expr(e) => Box::new(ForInit::Expr { expr: self.expr(e) }),
        });
        let test = f.test.as_ref().map(|e| self.boxed(e));
        let update = f.update.as_ref().map(|e| self.boxed(e));
        let body = self.boxed_stmt(&f.body);
        self.pop_scope(scope);
        StmtKind::For {
            scope,
            init,
            test,
            update,
            body,
        }
    }

    fn for_head(&mut self, head: &ast::ForHead) -> ForHead {
        match head {
            ast::ForHead::VarDecl(v) => {
                if v.kind != ast::VarDeclKind::Var {
                    for d in &v.decls {
                        self.declare_pat(&d.name, binding_kind(v.kind));
                    }
                }
                let pattern = match v.decls.first() {
                    Some(d) => self.binding_pat(&d.name),
                    None => self.invalid_pattern(span_of(v.span)),
                };
                ForHead::Decl {
                    kind: decl_kind(v.kind),
                    pattern,
                }
            }
            ast::ForHead::UsingDecl(u) => {
                self.unsupported(span_of(u.span), "a `using` declaration");
                ForHead::Decl {
                    kind: DeclKind::Const,
                    pattern: self.invalid_pattern(span_of(u.span)),
                }
            }
            ast::ForHead::Pat(p) => ForHead::Target {
                target: Box::new(self.pat_target(p)),
            },
        }
    }

    fn switch(&mut self, sw: &ast::SwitchStmt) -> StmtKind {
        let discriminant = self.expr(&sw.discriminant);
        let scope = self.push_scope(ScopeKind::Switch, span_of(sw.span));
        for c in &sw.cases {
            self.hoist_block(&c.cons);
        }
        let cases = sw
            .cases
            .iter()
            .map(|c| SwitchCase {
                span: span_of(c.span),
                test: c.test.as_ref().map(|t| self.expr(t)),
                body: c.cons.iter().map(|s| self.stmt(s)).collect(),
            })
            .collect();
        self.pop_scope(scope);
        StmtKind::Switch {
            discriminant,
            scope,
            cases,
        }
    }

    fn try_stmt(&mut self, t: &ast::TryStmt) -> StmtKind {
        let block = self.block(&t.block, ScopeKind::Block);
        let handler = t.handler.as_ref().map(|h| {
            let span = span_of(h.span);
            let scope = self.push_scope(ScopeKind::Catch, span);
            let param = h.param.as_ref().map(|p| {
                self.declare_pat(p, BindingKind::CatchParam);
                self.binding_pat(p)
            });
            let body = self.block(&h.body, ScopeKind::Block);
            self.pop_scope(scope);
            Box::new(CatchClause {
                span,
                scope,
                param,
                body,
            })
        });
        let finalizer = t
            .finalizer
            .as_ref()
            .map(|f| self.block(f, ScopeKind::Block));
        StmtKind::Try {
            block,
            handler,
            finalizer,
        }
    }
}

fn decl_kind(k: ast::VarDeclKind) -> DeclKind {
    match k {
        ast::VarDeclKind::Var => DeclKind::Var,
        ast::VarDeclKind::Let => DeclKind::Let,
        ast::VarDeclKind::Const => DeclKind::Const,
    }
}

fn binding_kind(k: ast::VarDeclKind) -> BindingKind {
    match k {
        ast::VarDeclKind::Var => BindingKind::Var,
        ast::VarDeclKind::Let => BindingKind::Let,
        ast::VarDeclKind::Const => BindingKind::Const,
    }
}
