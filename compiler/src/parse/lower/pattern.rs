//! Binding patterns (declarations, parameters) and assignment targets.

use swc_common::Spanned;
use swc_ecma_ast as ast;
use wfc_ir::{AssignTarget, BindingKind, ExprKind, ObjectPatternProp, Pattern, PropKey, Span};

use super::Lowerer;
use crate::parse::span_of;

/// Whether a pattern's leaves are declared names or assignment targets.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Bind,
    Assign(Write),
}

/// Whether writing an undeclared name creates it as a global. A plain `=`, a destructuring
/// assignment and a `for (x of …)` head do: the body runs in sloppy mode. `x += 1` and `x++`
/// read the name first and throw while it does not exist.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Write {
    Creates,
    ReadsFirst,
}

impl Lowerer<'_> {
    /// A pattern in a declaration or parameter list. Its names must already be declared.
    pub(super) fn binding_pat(&mut self, pat: &ast::Pat) -> Pattern {
        self.pat(pat, Mode::Bind)
    }

    /// The target of `for (x of …)` or of a destructuring assignment.
    pub(super) fn pat_target(&mut self, pat: &ast::Pat) -> AssignTarget {
        match pat {
            ast::Pat::Ident(id) => self.ident_target(&id.id, Write::Creates),
            ast::Pat::Expr(e) => self.expr_target(e, Write::Creates),
            other => AssignTarget::Pattern {
                pattern: self.pat(other, Mode::Assign(Write::Creates)),
            },
        }
    }

    pub(super) fn invalid_pattern(&mut self, span: Span) -> Pattern {
        Pattern::Target {
            target: Box::new(invalid_target(span)),
        }
    }

    fn pat(&mut self, pat: &ast::Pat, mode: Mode) -> Pattern {
        match pat {
            ast::Pat::Ident(id) => match mode {
                Mode::Bind => self.bound_name(&id.id),
                Mode::Assign(write) => Pattern::Target {
                    target: Box::new(self.ident_target(&id.id, write)),
                },
            },
            ast::Pat::Array(a) => {
                let mut elements = Vec::with_capacity(a.elems.len());
                let mut rest = None;
                for el in &a.elems {
                    match el {
                        Some(ast::Pat::Rest(r)) => rest = Some(Box::new(self.pat(&r.arg, mode))),
                        Some(p) => elements.push(Some(self.pat(p, mode))),
                        None => elements.push(None),
                    }
                }
                Pattern::Array {
                    span: span_of(a.span),
                    elements,
                    rest,
                }
            }
            ast::Pat::Object(o) => {
                let mut props = Vec::with_capacity(o.props.len());
                let mut rest = None;
                for p in &o.props {
                    match p {
                        ast::ObjectPatProp::KeyValue(kv) => props.push(ObjectPatternProp {
                            key: self.prop_key(&kv.key),
                            value: self.pat(&kv.value, mode),
                        }),
                        ast::ObjectPatProp::Assign(a) => {
                            let span = span_of(a.key.id.span);
                            let leaf = match mode {
                                Mode::Bind => self.bound_name(&a.key.id),
                                Mode::Assign(write) => Pattern::Target {
                                    target: Box::new(self.ident_target(&a.key.id, write)),
                                },
                            };
                            let value = match &a.value {
                                Some(default) => Pattern::Default {
                                    pattern: Box::new(leaf),
                                    default: Box::new(self.expr(default)),
                                },
                                None => leaf,
                            };
                            props.push(ObjectPatternProp {
                                key: PropKey::Named {
                                    name: a.key.id.sym.as_str().into(),
                                    span,
                                },
                                value,
                            });
                        }
                        ast::ObjectPatProp::Rest(r) => {
                            rest = Some(Box::new(self.pat(&r.arg, mode)))
                        }
                    }
                }
                Pattern::Object {
                    span: span_of(o.span),
                    props,
                    rest,
                }
            }
            ast::Pat::Assign(a) => Pattern::Default {
                pattern: Box::new(self.pat(&a.left, mode)),
                default: Box::new(self.expr(&a.right)),
            },
            // A rest element outside an array/object pattern: the parser reports misuse.
            ast::Pat::Rest(r) => self.pat(&r.arg, mode),
            ast::Pat::Expr(e) => Pattern::Target {
                target: Box::new(self.expr_target(
                    e,
                    match mode {
                        Mode::Assign(write) => write,
                        Mode::Bind => Write::ReadsFirst,
                    },
                )),
            },
            ast::Pat::Invalid(i) => self.invalid_pattern(span_of(i.span)),
        }
    }

    fn bound_name(&mut self, id: &ast::Ident) -> Pattern {
        let span = span_of(id.span);
        let binding = match self.resolve(&id.sym) {
            Some(b) => b,
            // Every declaration is hoisted before it is lowered; this is a safety net.
            None => self.declare(&id.sym, BindingKind::Let, span),
        };
        Pattern::Binding {
            name: id.sym.as_str().into(),
            binding,
            span,
        }
    }

    pub(super) fn ident_target(&mut self, id: &ast::Ident, write: Write) -> AssignTarget {
        let span = span_of(id.span);
        match self.resolve(&id.sym) {
            Some(binding) => AssignTarget::Var {
                name: id.sym.as_str().into(),
                binding,
                span,
            },
            None => {
                if write == Write::Creates {
                    self.assigned_globals.note(&id.sym, span);
                }
                AssignTarget::Global {
                    name: id.sym.as_str().into(),
                    span,
                }
            }
        }
    }

    /// An expression in assignment-target position (`obj.x = …`, `(a) = …`).
    pub(super) fn expr_target(&mut self, e: &ast::Expr, write: Write) -> AssignTarget {
        match e {
            ast::Expr::Ident(id) => self.ident_target(id, write),
            ast::Expr::Paren(p) => self.expr_target(&p.expr, write),
            ast::Expr::Member(m) => self.member_target(m),
            other => {
                let span = span_of(other.span());
                self.unsupported(span, "this assignment target");
                invalid_target(span)
            }
        }
    }

    fn member_target(&mut self, m: &ast::MemberExpr) -> AssignTarget {
        AssignTarget::Member {
            object: self.expr(&m.obj),
            property: self.member_prop(&m.prop),
            span: span_of(m.span),
        }
    }

    fn simple_target(&mut self, t: &ast::SimpleAssignTarget, write: Write) -> AssignTarget {
        use ast::SimpleAssignTarget as T;
        match t {
            T::Ident(id) => self.ident_target(&id.id, write),
            T::Member(m) => self.member_target(m),
            T::Paren(p) => self.expr_target(&p.expr, write),
            other => {
                let span = span_of(other.span());
                self.unsupported(span, "this assignment target");
                invalid_target(span)
            }
        }
    }

    /// The target of an assignment: `=` creates an undeclared name, `+=` and the others read
    /// it first.
    pub(super) fn assign_target(
        &mut self,
        t: &ast::AssignTarget,
        op: ast::AssignOp,
    ) -> AssignTarget {
        let write = if op == ast::AssignOp::Assign {
            Write::Creates
        } else {
            Write::ReadsFirst
        };
        match t {
            ast::AssignTarget::Simple(s) => self.simple_target(s, write),
            ast::AssignTarget::Pat(p) => {
                let pattern = match p {
                    ast::AssignTargetPat::Array(a) => {
                        self.pat(&ast::Pat::Array(a.clone()), Mode::Assign(write))
                    }
                    ast::AssignTargetPat::Object(o) => {
                        self.pat(&ast::Pat::Object(o.clone()), Mode::Assign(write))
                    }
                    ast::AssignTargetPat::Invalid(i) => self.invalid_pattern(span_of(i.span)),
                };
                AssignTarget::Pattern { pattern }
            }
        }
    }
}

/// Where a target could not be lowered (a diagnostic was reported): writes go nowhere.
fn invalid_target(span: Span) -> AssignTarget {
    AssignTarget::Member {
        object: wfc_ir::Expr::new(span, ExprKind::Invalid),
        property: wfc_ir::MemberProp::Named {
            name: wfc_ir::Name::default(),
            span,
        },
        span,
    }
}
