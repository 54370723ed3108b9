//! Expressions, functions and object literals.

use swc_common::Spanned;
use swc_ecma_ast as ast;
use wfc_ir::{
    Argument, ArrayElement, AssignOp, BinaryOp, BindingKind, Expr, ExprKind, Function,
    FunctionBody, JsNumber, Literal, LogicalOp, MemberProp, ObjectProp, Param, Primitive, PropKey,
    ScopeKind, Span, TaggedTemplate, UnaryOp, UpdateOp,
};

use super::pattern::Write;
use super::Lowerer;

/// A string literal's value (swc keeps it as WTF-8) as UTF-8: lone surrogates (`'\uD800'`),
/// which UTF-8 cannot hold, become U+FFFD. Validating the bytes as UTF-8 first is much faster than
/// scanning for surrogates, and WTF-8 with a surrogate is never valid UTF-8.
macro_rules! utf8 {
    ($w:expr) => {
        match std::str::from_utf8($w.as_bytes()) {
            Ok(s) => wfc_ir::Name::from(s),
            Err(_) => wfc_ir::Name::from($w.to_string_lossy()),
        }
    };
}
use crate::parse::span_of;

impl Lowerer<'_> {
    pub(super) fn expr(&mut self, e: &ast::Expr) -> Expr {
        let span = span_of(e.span());
        if !self.enter(span) {
            self.leave();
            return Expr::new(span, ExprKind::Invalid);
        }
        let kind = self.expr_kind(e, span);
        self.leave();
        Expr::new(span, kind)
    }

    pub(super) fn boxed(&mut self, e: &ast::Expr) -> Box<Expr> {
        Box::new(self.expr(e))
    }

    fn expr_kind(&mut self, e: &ast::Expr, span: Span) -> ExprKind {
        use ast::Expr as E;
        match e {
            E::Lit(lit) => self.lit(lit, span),
            E::Ident(id) => self.ident(id, span),
            E::Tpl(t) => ExprKind::Template {
                quasis: t
                    .quasis
                    .iter()
                    .map(|q| {
                        q.cooked
                            .as_ref()
                            .map_or_else(wfc_ir::Name::default, |c| utf8!(c))
                    })
                    .collect(),
                exprs: t.exprs.iter().map(|e| self.expr(e)).collect(),
            },
            E::TaggedTpl(t) => ExprKind::TaggedTemplate(Box::new(TaggedTemplate {
                tag: self.expr(&t.tag),
                cooked: t
                    .tpl
                    .quasis
                    .iter()
                    .map(|q| q.cooked.as_ref().map(|c| utf8!(c)))
                    .collect(),
                raw: t.tpl.quasis.iter().map(|q| q.raw.as_str().into()).collect(),
                exprs: t.tpl.exprs.iter().map(|e| self.expr(e)).collect(),
            })),
            E::Array(a) => ExprKind::Array {
                elements: a
                    .elems
                    .iter()
                    .map(|el| match el {
                        None => ArrayElement::Hole,
                        Some(ast::ExprOrSpread { spread: None, expr }) => ArrayElement::Expr {
                            expr: self.expr(expr),
                        },
                        Some(ast::ExprOrSpread {
                            spread: Some(_),
                            expr,
                        }) => ArrayElement::Spread {
                            expr: self.expr(expr),
                        },
                    })
                    .collect(),
            },
            E::Object(o) => ExprKind::Object {
                props: self.object_props(&o.props),
            },
            E::Fn(f) => ExprKind::Function {
                function: Box::new(self.function(&f.function, f.ident.as_ref(), true)),
            },
            E::Arrow(a) => ExprKind::Function {
                function: Box::new(self.arrow(a)),
            },
            E::Unary(u) => ExprKind::Unary {
                op: unary_op(u.op),
                arg: self.boxed(&u.arg),
            },
            E::Update(u) => ExprKind::Update {
                op: match u.op {
                    ast::UpdateOp::PlusPlus => UpdateOp::Increment,
                    ast::UpdateOp::MinusMinus => UpdateOp::Decrement,
                },
                prefix: u.prefix,
                target: Box::new(self.expr_target(&u.arg, Write::ReadsFirst)),
            },
            E::Bin(b) => {
                let left = self.boxed(&b.left);
                let right = self.boxed(&b.right);
                match binary_op(b.op) {
                    Ok(op) => ExprKind::Binary { op, left, right },
                    Err(op) => ExprKind::Logical { op, left, right },
                }
            }
            E::Assign(a) => ExprKind::Assign {
                op: assign_op(a.op),
                target: Box::new(self.assign_target(&a.left, a.op)),
                value: self.boxed(&a.right),
            },
            E::Member(m) => self.member(m),
            E::Cond(c) => ExprKind::Conditional {
                test: self.boxed(&c.test),
                consequent: self.boxed(&c.cons),
                alternate: self.boxed(&c.alt),
            },
            E::Call(c) => self.call(c, span),
            E::New(n) => ExprKind::New {
                callee: self.boxed(&n.callee),
                args: n.args.as_deref().map_or_else(Vec::new, |a| self.args(a)),
            },
            E::Seq(s) => ExprKind::Sequence {
                exprs: s.exprs.iter().map(|e| self.expr(e)).collect(),
            },
            E::Await(a) => ExprKind::Await {
                arg: self.boxed(&a.arg),
            },
            // Parentheses only group; they matter for optional chains, handled in `chain`.
            E::Paren(p) => self.expr_kind(&p.expr, span),
            E::OptChain(c) => ExprKind::Chain {
                expr: Box::new(self.chain_link(c)),
            },
            E::Invalid(_) => ExprKind::Invalid,
            E::This(_) => self.unsupported_kind(span, "`this`"),
            E::SuperProp(_) => self.unsupported_kind(span, "`super`"),
            E::Class(_) => self.unsupported_kind(span, "a `class` expression"),
            E::Yield(_) => self.unsupported_kind(span, "`yield`"),
            E::MetaProp(m) => match m.kind {
                ast::MetaPropKind::ImportMeta => self.unsupported_kind(span, "`import.meta`"),
                ast::MetaPropKind::NewTarget => self.unsupported_kind(span, "`new.target`"),
            },
            E::PrivateName(_) => self.unsupported_kind(span, "a private name"),
            _ => self.unsupported_kind(span, "JSX or TypeScript syntax"),
        }
    }

    fn unsupported_kind(&mut self, span: Span, construct: &str) -> ExprKind {
        self.unsupported(span, construct);
        ExprKind::Invalid
    }

    fn lit(&mut self, lit: &ast::Lit, span: Span) -> ExprKind {
        let value = match lit {
            ast::Lit::Str(s) => Literal::String(utf8!(s.value)),
            ast::Lit::Bool(b) => Literal::Bool(b.value),
            ast::Lit::Null(_) => Literal::Null,
            ast::Lit::Num(n) => Literal::Number(JsNumber(n.value)),
            ast::Lit::Regex(r) => {
                return ExprKind::Regex {
                    pattern: r.exp.as_str().to_owned(),
                    flags: r.flags.as_str().to_owned(),
                }
            }
            ast::Lit::BigInt(_) => return self.unsupported_kind(span, "a BigInt literal"),
            ast::Lit::JSXText(_) => return self.unsupported_kind(span, "JSX"),
        };
        ExprKind::Literal { value }
    }

    fn ident(&mut self, id: &ast::Ident, span: Span) -> ExprKind {
        let name: &str = &id.sym;
        if let Some(binding) = self.resolve(name) {
            return ExprKind::Var {
                name: name.into(),
                binding,
            };
        }
        match name {
            "args" => ExprKind::Args,
            "budget" => ExprKind::Budget,
            "undefined" => ExprKind::Literal {
                value: Literal::Undefined,
            },
            "arguments" => self.unsupported_kind(span, "`arguments`"),
            _ => match Primitive::from_name(name) {
                Some(primitive) => ExprKind::PrimitiveRef { primitive },
                None => ExprKind::Global { name: name.into() },
            },
        }
    }

    pub(super) fn args(&mut self, args: &[ast::ExprOrSpread]) -> Vec<Argument> {
        args.iter()
            .map(|a| Argument {
                spread: a.spread.is_some(),
                expr: self.expr(&a.expr),
            })
            .collect()
    }

    fn member(&mut self, m: &ast::MemberExpr) -> ExprKind {
        ExprKind::Member {
            object: self.boxed(&m.obj),
            property: self.member_prop(&m.prop),
            optional: false,
        }
    }

    pub(super) fn member_prop(&mut self, p: &ast::MemberProp) -> MemberProp {
        match p {
            ast::MemberProp::Ident(id) => MemberProp::Named {
                name: id.sym.as_str().into(),
                span: span_of(id.span),
            },
            ast::MemberProp::Computed(c) => MemberProp::Computed {
                expr: self.boxed(&c.expr),
            },
            ast::MemberProp::PrivateName(p) => {
                let span = span_of(p.span);
                self.unsupported(span, "a private name");
                MemberProp::Named {
                    name: wfc_ir::Name::default(),
                    span,
                }
            }
        }
    }

    /// One link of an optional chain. swc nests an `OptChainExpr` for every link of `a?.b.c()`;
    /// the IR marks optional links with `optional: true` and wraps the whole chain in one `Chain`.
    fn chain_link(&mut self, c: &ast::OptChainExpr) -> Expr {
        let span = span_of(c.span);
        if !self.enter(span) {
            self.leave();
            return Expr::new(span, ExprKind::Invalid);
        }
        let kind = match &*c.base {
            ast::OptChainBase::Member(m) => ExprKind::Member {
                object: Box::new(self.chain_part(&m.obj)),
                property: self.member_prop(&m.prop),
                optional: c.optional,
            },
            ast::OptChainBase::Call(call) => ExprKind::Call {
                callee: Box::new(self.chain_part(&call.callee)),
                args: self.args(&call.args),
                optional: c.optional,
            },
        };
        self.leave();
        Expr::new(span, kind)
    }

    /// The object or callee inside a chain: a nested link continues the same chain.
    fn chain_part(&mut self, e: &ast::Expr) -> Expr {
        match e {
            ast::Expr::OptChain(inner) => self.chain_link(inner),
            ast::Expr::Member(m) => {
                let span = span_of(m.span);
                let object = Box::new(self.chain_part(&m.obj));
                Expr::new(
                    span,
                    ExprKind::Member {
                        object,
                        property: self.member_prop(&m.prop),
                        optional: false,
                    },
                )
            }
            ast::Expr::Call(c) => {
                let span = span_of(c.span);
                if let ast::Callee::Expr(callee) = &c.callee {
                    if matches!(&**callee, ast::Expr::OptChain(_) | ast::Expr::Member(_)) {
                        let callee = Box::new(self.chain_part(callee));
                        let args = self.args(&c.args);
                        return Expr::new(
                            span,
                            ExprKind::Call {
                                callee,
                                args,
                                optional: false,
                            },
                        );
                    }
                }
                self.expr(e)
            }
            other => self.expr(other),
        }
    }

    fn call(&mut self, c: &ast::CallExpr, span: Span) -> ExprKind {
        match &c.callee {
            ast::Callee::Super(_) => self.unsupported_kind(span, "`super()`"),
            ast::Callee::Import(_) => {
                let arg = match c.args.first() {
                    Some(a) => self.boxed(&a.expr),
                    None => Box::new(Expr::new(span, ExprKind::Invalid)),
                };
                ExprKind::Import { arg }
            }
            ast::Callee::Expr(callee) => {
                if let ast::Expr::Ident(id) = &**callee {
                    if self.resolve(&id.sym).is_none() {
                        if let Some(p) = Primitive::from_name(&id.sym) {
                            return self.primitive_call(p, c, span);
                        }
                    }
                }
                ExprKind::Call {
                    callee: self.boxed(callee),
                    args: self.args(&c.args),
                    optional: false,
                }
            }
        }
    }

    pub(super) fn object_props(&mut self, props: &[ast::PropOrSpread]) -> Vec<ObjectProp> {
        let mut out = Vec::with_capacity(props.len());
        for p in props {
            match p {
                ast::PropOrSpread::Spread(s) => out.push(ObjectProp::Spread {
                    expr: self.expr(&s.expr),
                }),
                ast::PropOrSpread::Prop(prop) => {
                    if let Some(p) = self.prop(prop) {
                        out.push(p);
                    }
                }
            }
        }
        out
    }

    fn prop(&mut self, prop: &ast::Prop) -> Option<ObjectProp> {
        match prop {
            ast::Prop::Shorthand(id) => {
                let span = span_of(id.span);
                Some(ObjectProp::KeyValue {
                    key: PropKey::Named {
                        name: id.sym.as_str().into(),
                        span,
                    },
                    value: Expr::new(span, self.ident(id, span)),
                })
            }
            ast::Prop::KeyValue(kv) => Some(ObjectProp::KeyValue {
                key: self.prop_key(&kv.key),
                value: self.expr(&kv.value),
            }),
            ast::Prop::Method(m) => {
                let key = self.prop_key(&m.key);
                let function = self.function(&m.function, None, true);
                Some(ObjectProp::KeyValue {
                    key,
                    value: Expr::new(
                        function.span,
                        ExprKind::Function {
                            function: Box::new(function),
                        },
                    ),
                })
            }
            ast::Prop::Getter(g) => {
                self.unsupported(span_of(g.span), "a getter");
                None
            }
            ast::Prop::Setter(s) => {
                self.unsupported(span_of(s.span), "a setter");
                None
            }
            ast::Prop::Assign(a) => {
                // `{ a = 1 }` outside a pattern: the parser has reported it already.
                let _ = a;
                None
            }
        }
    }

    pub(super) fn prop_key(&mut self, key: &ast::PropName) -> PropKey {
        let span = span_of(key.span());
        let name = match key {
            ast::PropName::Ident(id) => id.sym.as_str().into(),
            ast::PropName::Str(s) => utf8!(s.value),
            ast::PropName::Num(n) => wfc_ir::number_to_js_string(n.value).into(),
            ast::PropName::Computed(c) => {
                return PropKey::Computed {
                    expr: self.boxed(&c.expr),
                }
            }
            ast::PropName::BigInt(_) => {
                self.unsupported(span, "a BigInt property key");
                wfc_ir::Name::default()
            }
        };
        PropKey::Named { name, span }
    }

    /// A function expression, declaration or method. `expression` is true for function
    /// expressions, whose own name is visible only inside them.
    pub(super) fn function(
        &mut self,
        f: &ast::Function,
        name: Option<&ast::Ident>,
        expression: bool,
    ) -> Function {
        let span = span_of(f.span);
        if f.is_generator {
            self.unsupported(span, "a generator function");
        }
        let scope = self.push_scope(ScopeKind::Function, span);
        self.functions.push(scope);
        let self_binding = match name {
            Some(id) if expression => {
                Some(self.declare(&id.sym, BindingKind::FunctionName, span_of(id.span)))
            }
            _ => None,
        };
        for p in &f.params {
            self.declare_pat(&p.pat, BindingKind::Param);
        }
        let body_stmts = f.body.as_ref().map_or(&[][..], |b| &b.stmts[..]);
        self.hoist_function_body(body_stmts);
        let params = f.params.iter().map(|p| self.param(&p.pat)).collect();
        let body = match &f.body {
            Some(b) => FunctionBody::Block {
                block: wfc_ir::Block {
                    span: span_of(b.span),
                    scope,
                    stmts: b.stmts.iter().map(|s| self.stmt(s)).collect(),
                },
            },
            None => FunctionBody::Block {
                block: wfc_ir::Block {
                    span,
                    scope,
                    stmts: Vec::new(),
                },
            },
        };
        self.functions.pop();
        self.pop_scope(scope);
        Function {
            span,
            name: name.map(|n| n.sym.as_str().into()),
            self_binding,
            is_async: f.is_async,
            is_arrow: false,
            params,
            body,
            scope,
        }
    }

    fn arrow(&mut self, a: &ast::ArrowExpr) -> Function {
        let span = span_of(a.span);
        if a.is_generator {
            self.unsupported(span, "a generator function");
        }
        let scope = self.push_scope(ScopeKind::Function, span);
        self.functions.push(scope);
        for p in &a.params {
            self.declare_pat(p, BindingKind::Param);
        }
        if let ast::ArrowFunctionBody::FunctionBody(b) = &*a.body {
            self.hoist_function_body(&b.stmts);
        }
        let params = a.params.iter().map(|p| self.param(p)).collect();
        let body = match &*a.body {
            ast::ArrowFunctionBody::FunctionBody(b) => FunctionBody::Block {
                block: wfc_ir::Block {
                    span: span_of(b.span),
                    scope,
                    stmts: b.stmts.iter().map(|s| self.stmt(s)).collect(),
                },
            },
            ast::ArrowFunctionBody::Expr(e) => FunctionBody::Expr {
                expr: self.boxed(e),
            },
        };
        self.functions.pop();
        self.pop_scope(scope);
        Function {
            span,
            name: None,
            self_binding: None,
            is_async: a.is_async,
            is_arrow: true,
            params,
            body,
            scope,
        }
    }

    fn param(&mut self, p: &ast::Pat) -> Param {
        match p {
            ast::Pat::Rest(r) => Param {
                pattern: self.binding_pat(&r.arg),
                rest: true,
            },
            other => Param {
                pattern: self.binding_pat(other),
                rest: false,
            },
        }
    }
}

fn unary_op(op: ast::UnaryOp) -> UnaryOp {
    match op {
        ast::UnaryOp::Minus => UnaryOp::Minus,
        ast::UnaryOp::Plus => UnaryOp::Plus,
        ast::UnaryOp::Bang => UnaryOp::Not,
        ast::UnaryOp::Tilde => UnaryOp::BitNot,
        ast::UnaryOp::TypeOf => UnaryOp::TypeOf,
        ast::UnaryOp::Void => UnaryOp::Void,
        ast::UnaryOp::Delete => UnaryOp::Delete,
    }
}

/// A binary operator, or the logical operator it is.
fn binary_op(op: ast::BinaryOp) -> Result<BinaryOp, LogicalOp> {
    use ast::BinaryOp as B;
    Ok(match op {
        B::EqEq => BinaryOp::Eq,
        B::NotEq => BinaryOp::NotEq,
        B::EqEqEq => BinaryOp::StrictEq,
        B::NotEqEq => BinaryOp::StrictNotEq,
        B::Lt => BinaryOp::Lt,
        B::LtEq => BinaryOp::LtEq,
        B::Gt => BinaryOp::Gt,
        B::GtEq => BinaryOp::GtEq,
        B::LShift => BinaryOp::Shl,
        B::RShift => BinaryOp::Shr,
        B::ZeroFillRShift => BinaryOp::UShr,
        B::Add => BinaryOp::Add,
        B::Sub => BinaryOp::Sub,
        B::Mul => BinaryOp::Mul,
        B::Div => BinaryOp::Div,
        B::Mod => BinaryOp::Rem,
        B::BitOr => BinaryOp::BitOr,
        B::BitXor => BinaryOp::BitXor,
        B::BitAnd => BinaryOp::BitAnd,
        B::In => BinaryOp::In,
        B::InstanceOf => BinaryOp::InstanceOf,
        B::Exp => BinaryOp::Exp,
        B::LogicalOr => return Err(LogicalOp::Or),
        B::LogicalAnd => return Err(LogicalOp::And),
        B::NullishCoalescing => return Err(LogicalOp::Nullish),
    })
}

fn assign_op(op: ast::AssignOp) -> AssignOp {
    use ast::AssignOp as A;
    match op {
        A::Assign => AssignOp::Assign,
        A::AddAssign => AssignOp::Compound(BinaryOp::Add),
        A::SubAssign => AssignOp::Compound(BinaryOp::Sub),
        A::MulAssign => AssignOp::Compound(BinaryOp::Mul),
        A::DivAssign => AssignOp::Compound(BinaryOp::Div),
        A::ModAssign => AssignOp::Compound(BinaryOp::Rem),
        A::LShiftAssign => AssignOp::Compound(BinaryOp::Shl),
        A::RShiftAssign => AssignOp::Compound(BinaryOp::Shr),
        A::ZeroFillRShiftAssign => AssignOp::Compound(BinaryOp::UShr),
        A::BitOrAssign => AssignOp::Compound(BinaryOp::BitOr),
        A::BitXorAssign => AssignOp::Compound(BinaryOp::BitXor),
        A::BitAndAssign => AssignOp::Compound(BinaryOp::BitAnd),
        A::ExpAssign => AssignOp::Compound(BinaryOp::Exp),
        A::AndAssign => AssignOp::Logical(LogicalOp::And),
        A::OrAssign => AssignOp::Logical(LogicalOp::Or),
        A::NullishAssign => AssignOp::Logical(LogicalOp::Nullish),
    }
}

#[cfg(test)]
mod tests {
    use wfc_ir::{ExprKind, Literal};

    /// Every string literal and template part of a script, in source order.
    fn strings(body: &str) -> Vec<String> {
        let text = format!("export const meta = {{ name: 's', description: 'strings' }}\n{body}\n");
        let (w, d) = crate::compile(&text);
        assert!(d.is_empty(), "{d:?}");
        let w = w.expect("lowers");
        let mut out = Vec::new();
        for e in wfc_ir::visit::all_exprs(&w) {
            match &e.kind {
                ExprKind::Literal {
                    value: Literal::String(s),
                } => out.push((e.span.start, s.to_string())),
                ExprKind::Template { quasis, .. } => {
                    out.extend(quasis.iter().map(|q| (e.span.start, q.to_string())))
                }
                _ => {}
            }
        }
        out.sort_by_key(|(at, _)| *at);
        out.into_iter()
            .map(|(_, s)| s)
            .filter(|s| s != "s" && s != "strings")
            .collect()
    }

    #[test]
    fn string_values_are_utf8_with_lone_surrogates_replaced() {
        assert_eq!(
            strings(
                r"log('a\uD800b'); log('\u{1F600}é'); log(`x\uDFFFy${1}`); log('\uD83D\uDE00')"
            ),
            ["a\u{FFFD}b", "\u{1F600}é", "x\u{FFFD}y", "", "\u{1F600}"]
        );
    }
}
