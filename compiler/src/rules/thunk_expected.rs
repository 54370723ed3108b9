//! `thunk-expected`: `parallel()` given something other than one array of functions.
//!
//! This file also holds what the primitive-argument rules (`pipeline-args`, `args-string-fanout`,
//! `schema-invalid`) share: [`Decls`], an index of the script's `const` initialisers and function
//! declarations, and [`Shape`], what an expression evaluates to as far as the source shows.

use crate::dense::Dense;

use wfc_ir::{
    Argument, ArrayElement, BinaryOp, BindingId, DeclKind, Expr, ExprKind, Function, FunctionBody,
    Literal, Pattern, Primitive, Span, Stmt, StmtKind, UnaryOp, Workflow,
};

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "thunk-expected",
    severity: Severity::Error,
    summary: "`parallel()` is given promises or other values instead of one array of functions (thunks).",
    explanation: "`parallel(thunks)` takes **one array of functions** and calls each of them itself, at \
most ~10 at a time across the run. Calling `agent()` starts the agent immediately, so \
`parallel([agent('a'), agent('b')])`, `parallel(agent('a'), agent('b'))` and \
`parallel(files.map(f => agent(f)))` start every agent eagerly, before `parallel()` can bound \
concurrency; what the runtime then does with the non-function entries is undocumented (ports \
differ), so results can silently come back as `null`. An awaited value (`await agent(…)`) has run \
to completion one at a time before `parallel()` even starts.\n\n\
Wrap each task in a function: `parallel([() => agent('a'), () => agent('b')])`, or return a \
thunk from the `map` callback: `parallel(files.map(f => () => agent(f)))`.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst files = ['a.ts', 'b.ts']\nconst reviews = await parallel(files.map(f => agent(`review ${f}`)))\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let decls = ctx.decls();
    let text = ctx.text;
    let mut found = Vec::new();
    ctx.index().primitives.iter().for_each(|&e| {
        if let ExprKind::Parallel { thunks, extra } = &e.kind {
            check_call(decls, text, e.span, thunks, extra, &mut found);
        }
    });
    found.sort_by_key(|d| d.span);
    found.dedup();
    for d in found {
        ctx.report(d);
    }
}

fn check_call(
    decls: &Decls<'_>,
    text: &str,
    call: Span,
    thunks: &Expr,
    extra: &[Argument],
    out: &mut Vec<Diagnostic>,
) {
    if let Some(last) = extra.last() {
        let as_array = matches!(thunks.kind, ExprKind::Array { .. });
        let (span, label) = if as_array {
            (
                extra[0].expr.span.to(last.expr.span),
                "extra arguments are ignored".to_owned(),
            )
        } else {
            (
                thunks.span.to(last.expr.span),
                format!("{} separate arguments", extra.len() + 1),
            )
        };
        out.push(
            Diagnostic::error(RULE.code, span, "`parallel()` takes one array of thunks")
                .label(label)
                .help("pass a single array of functions: `parallel([() => agent('a'), () => agent('b')])`"),
        );
        return;
    }
    if is_missing(thunks) {
        out.push(
            Diagnostic::error(
                RULE.code,
                call,
                "`parallel()` is called without an array of thunks",
            )
            .label("no argument")
            .help("pass an array of functions: `parallel([() => agent('a'), () => agent('b')])`"),
        );
        return;
    }
    check_thunk_list(decls, text, thunks, 0, out);
}

/// Checks an expression that should evaluate to an array of functions.
fn check_thunk_list(
    decls: &Decls<'_>,
    text: &str,
    list: &Expr,
    depth: usize,
    out: &mut Vec<Diagnostic>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let list = decls.resolve(list);
    if let ExprKind::Call { callee, args, .. } = &list.kind {
        if let Some(d) = eager_map(decls, text, callee, args) {
            out.push(d);
            return;
        }
    }
    match &list.kind {
        ExprKind::Array { elements } => {
            for el in elements {
                match el {
                    ArrayElement::Expr { expr } => check_element(decls, text, expr, out),
                    ArrayElement::Spread { expr } => {
                        check_thunk_list(decls, text, expr, depth + 1, out)
                    }
                    ArrayElement::Hole => {}
                }
            }
        }
        _ => {
            let shape = decls.shape(list);
            let what = match shape {
                Shape::Function => "a single function".to_owned(),
                Shape::Promise(what) | Shape::Other(what) => what.to_owned(),
                Shape::Awaited(Some(p)) => format!("the awaited result of `{}()`", p.name()),
                Shape::Array | Shape::Awaited(None) | Shape::Unknown => return,
            };
            let help = if shape == Shape::Function {
                format!(
                    "wrap it in an array: `parallel([{}])`",
                    snippet(text, list.span, "fn")
                )
            } else {
                "pass an array of functions that start the work: `parallel([() => agent('a'), () => agent('b')])`".to_owned()
            };
            out.push(
                Diagnostic::error(
                    RULE.code,
                    list.span,
                    format!("`parallel()` takes an array of thunks, not {what}"),
                )
                .label("not an array of functions")
                .help(help),
            );
        }
    }
}

/// One element of a `parallel([…])` array literal.
fn check_element(decls: &Decls<'_>, text: &str, el: &Expr, out: &mut Vec<Diagnostic>) {
    let (what, label, help) = match decls.shape(el) {
        Shape::Function | Shape::Unknown => return,
        Shape::Promise(what) => (
            what.to_owned(),
            "starts now, before `parallel()` can schedule it".to_owned(),
            format!(
                "wrap it in a function: `() => {}`",
                snippet(text, decls.resolve(el).span, "agent(...)")
            ),
        ),
        Shape::Awaited(_) => {
            let inner = match &el.kind {
                ExprKind::Await { arg } => snippet(text, arg.span, "agent(...)"),
                _ => "agent(...)".to_owned(),
            };
            (
                "an awaited value".to_owned(),
                "already awaited: it ran to completion before `parallel()` started".to_owned(),
                format!("drop the `await` and wrap the call in a function: `() => {inner}`"),
            )
        }
        Shape::Array => (
            "an array".to_owned(),
            "not a function".to_owned(),
            "pass the functions themselves: `parallel([() => agent('a'), () => agent('b')])`"
                .to_owned(),
        ),
        Shape::Other(what) => (
            what.to_owned(),
            "not a function".to_owned(),
            "`parallel()` calls every element; pass functions that start the work: `() => agent(...)`"
                .to_owned(),
        ),
    };
    out.push(
        Diagnostic::error(
            RULE.code,
            el.span,
            format!("`parallel()` element is {what}, not a thunk"),
        )
        .label(label)
        .help(help),
    );
}

/// `xs.map(x => agent(…))` (or an `async` callback) passed to `parallel()`: the callback returns
/// promises, so every agent has started by the time `parallel()` sees the array.
fn eager_map(
    decls: &Decls<'_>,
    text: &str,
    callee: &Expr,
    args: &[Argument],
) -> Option<Diagnostic> {
    let ExprKind::Member {
        object, property, ..
    } = &callee.kind
    else {
        return None;
    };
    let method = property
        .name()
        .filter(|m| matches!(*m, "map" | "flatMap"))?;
    let callback = args.first().filter(|a| !a.spread)?;
    let receiver = snippet(text, object.span, "items");
    let (what, help) = match decls.resolve(&callback.expr).kind {
        ExprKind::PrimitiveRef {
            primitive: Primitive::Agent,
        } => (
            "is given `agent` itself".to_owned(),
            format!("return a thunk from the callback: `{receiver}.{method}(x => () => agent(x))`"),
        ),
        _ => {
            let function = decls.function(&callback.expr)?;
            let param = match function.params.first().map(|p| &p.pattern) {
                Some(Pattern::Binding { name, .. }) => name.as_str(),
                _ => "x",
            };
            if function.is_async {
                (
                    "callback is `async`".to_owned(),
                    format!(
                        "return an async thunk instead: `{receiver}.{method}({param} => async () => {{ … }})`"
                    ),
                )
            } else {
                let Shape::Promise(returned) = decls.returns(function, 0) else {
                    return None;
                };
                (
                    format!("callback returns {returned}"),
                    format!(
                        "return a thunk from the callback: `{receiver}.{method}({param} => () => agent(...))`"
                    ),
                )
            }
        }
    };
    Some(
        Diagnostic::error(
            RULE.code,
            callback.expr.span,
            format!("`{method}()` {what}, so `parallel()` gets promises instead of thunks: every agent starts eagerly, before `parallel()` can bound concurrency"),
        )
        .label("returns a promise, not a function")
        .help(help),
    )
}

/// Whether an argument was left out (the lowering puts an empty `undefined` at the call's end).
pub(crate) fn is_missing(expr: &Expr) -> bool {
    expr.span.is_empty()
        && matches!(
            expr.kind,
            ExprKind::Literal {
                value: Literal::Undefined
            }
        )
}

/// The source text of a span for a help line, when it is short and on one line; `fallback`
/// otherwise.
pub(crate) fn snippet(text: &str, span: Span, fallback: &str) -> String {
    match text.get(span.start as usize..span.end as usize) {
        Some(s) if !s.is_empty() && s.len() <= 60 && !s.contains('\n') => s.to_owned(),
        _ => fallback.to_owned(),
    }
}

/// How deep [`Decls`] follows names, calls and spreads.
const MAX_DEPTH: usize = 8;

/// What an expression evaluates to, as far as the source shows without running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A function: an arrow or function expression, a primitive used as a value, a function the
    /// script declares.
    Function,
    /// An array literal (or `new Array(…)`).
    Array,
    /// A promise, already started: an `agent()` / `parallel()` / `pipeline()` / `workflow()`
    /// call, a call of an `async` function, `.then()`. The text says what it is.
    Promise(&'static str),
    /// `await …`: the settled value, with the primitive when it awaits one directly.
    Awaited(Option<Primitive>),
    /// Neither a function, an array nor a promise (a string, a number, an object, …).
    Other(&'static str),
    /// Only known at run time.
    Unknown,
}

/// An index of what the script declares: `const` initialisers and function declarations, found
/// in the script body, nested blocks and the bodies of declared functions.
///
/// Both tables are indexed by binding id, which is dense: no hashing on the rules' lookups.
pub(crate) struct Decls<'a> {
    consts: Dense<BindingId, Option<&'a Expr>>,
    functions: Dense<BindingId, Option<&'a Function>>,
}

impl<'a> Decls<'a> {
    pub(crate) fn new(workflow: &'a Workflow) -> Self {
        let mut decls = Decls {
            consts: Dense::new(workflow.bindings.len()),
            functions: Dense::new(workflow.bindings.len()),
        };
        decls.index(&workflow.body);
        decls
    }

    fn index(&mut self, stmts: &'a [Stmt]) {
        for stmt in stmts {
            self.index_stmt(stmt);
        }
    }

    fn index_stmt(&mut self, stmt: &'a Stmt) {
        match &stmt.kind {
            StmtKind::VarDecl { kind, decls } => {
                for d in decls {
                    let (Pattern::Binding { binding, .. }, Some(init)) = (&d.pattern, &d.init)
                    else {
                        continue;
                    };
                    if *kind == DeclKind::Const {
                        self.consts.set(*binding, Some(init));
                    }
                    if let ExprKind::Function { function } = &init.kind {
                        self.index_function(function);
                    }
                }
            }
            StmtKind::FunctionDecl { binding, function } => {
                self.functions.set(*binding, Some(function));
                self.index_function(function);
            }
            _ => for_each_child_stmt(stmt, &mut |s| self.index_stmt(s)),
        }
    }

    fn index_function(&mut self, function: &'a Function) {
        if let FunctionBody::Block { block } = &function.body {
            self.index(&block.stmts);
        }
    }

    /// The initialiser of a `const` declared with a plain name.
    pub(crate) fn const_init(&self, binding: BindingId) -> Option<&'a Expr> {
        self.consts.get(binding)
    }

    /// Follows a name bound by `const` to its initialiser (repeatedly, to a bounded depth).
    pub(crate) fn resolve<'e>(&'e self, mut expr: &'e Expr) -> &'e Expr {
        for _ in 0..MAX_DEPTH {
            match &expr.kind {
                ExprKind::Var { binding, .. } => match self.const_init(*binding) {
                    Some(init) => expr = init,
                    None => break,
                },
                _ => break,
            }
        }
        expr
    }

    /// The function an expression is: a function literal, or a name bound to a declared function
    /// or a `const` function.
    pub(crate) fn function<'e>(&'e self, expr: &'e Expr) -> Option<&'e Function> {
        let expr = self.resolve(expr);
        match &expr.kind {
            ExprKind::Function { function } => Some(function),
            ExprKind::Var { binding, .. } => self.functions.get(*binding),
            _ => None,
        }
    }

    /// What an expression evaluates to.
    pub(crate) fn shape(&self, expr: &Expr) -> Shape {
        self.shape_at(expr, 0)
    }

    fn shape_at(&self, expr: &Expr, depth: usize) -> Shape {
        if depth > MAX_DEPTH {
            return Shape::Unknown;
        }
        let expr = self.resolve(expr);
        match &expr.kind {
            ExprKind::Function { .. } | ExprKind::PrimitiveRef { .. } => Shape::Function,
            ExprKind::Var { binding, .. } if self.functions.get(*binding).is_some() => {
                Shape::Function
            }
            ExprKind::Array { .. } => Shape::Array,
            ExprKind::Agent(_) => Shape::Promise("an `agent()` call"),
            ExprKind::Parallel { .. } => Shape::Promise("a `parallel()` call"),
            ExprKind::Pipeline { .. } => Shape::Promise("a `pipeline()` call"),
            ExprKind::Workflow { .. } => Shape::Promise("a `workflow()` call"),
            ExprKind::Await { arg } => Shape::Awaited(primitive_of(arg)),
            ExprKind::Literal { value } => Shape::Other(match value {
                Literal::String(_) => "a string",
                Literal::Number(_) => "a number",
                Literal::Bool(_) => "a boolean",
                Literal::Null => "`null`",
                Literal::Undefined => "`undefined`",
            }),
            ExprKind::Template { .. } => Shape::Other("a string"),
            ExprKind::Regex { .. } => Shape::Other("a regular expression"),
            ExprKind::Object { .. } => Shape::Other("an object"),
            ExprKind::Unary { op, .. } => Shape::Other(match op {
                UnaryOp::Not | UnaryOp::Delete => "a boolean",
                UnaryOp::TypeOf => "a string",
                UnaryOp::Void => "`undefined`",
                UnaryOp::Minus | UnaryOp::Plus | UnaryOp::BitNot => "a number",
            }),
            ExprKind::Update { .. } => Shape::Other("a number"),
            ExprKind::Binary { op, .. } => Shape::Other(match op {
                BinaryOp::Add => "a string or number",
                BinaryOp::Eq
                | BinaryOp::NotEq
                | BinaryOp::StrictEq
                | BinaryOp::StrictNotEq
                | BinaryOp::Lt
                | BinaryOp::LtEq
                | BinaryOp::Gt
                | BinaryOp::GtEq
                | BinaryOp::In
                | BinaryOp::InstanceOf => "a boolean",
                _ => "a number",
            }),
            ExprKind::New { callee, .. } => match &callee.kind {
                ExprKind::Global { name } if name == "Array" => Shape::Array,
                ExprKind::Global { name } if name == "Promise" => Shape::Promise("a promise"),
                ExprKind::Global { name } if name == "Function" => Shape::Unknown,
                _ => Shape::Other("an object"),
            },
            ExprKind::Conditional {
                consequent,
                alternate,
                ..
            } => {
                let a = self.shape_at(consequent, depth + 1);
                if a == self.shape_at(alternate, depth + 1) {
                    a
                } else {
                    Shape::Unknown
                }
            }
            ExprKind::Sequence { exprs } => exprs
                .last()
                .map_or(Shape::Unknown, |e| self.shape_at(e, depth + 1)),
            ExprKind::Call { callee, .. } => self.call_shape(callee, depth),
            _ => Shape::Unknown,
        }
    }

    fn call_shape(&self, callee: &Expr, depth: usize) -> Shape {
        if let ExprKind::Member {
            object, property, ..
        } = &callee.kind
        {
            return match (&object.kind, property.name()) {
                (_, Some("then" | "catch" | "finally")) => Shape::Promise("a promise"),
                (_, Some("bind")) => Shape::Function,
                (ExprKind::Global { name }, Some(_)) if name == "Promise" => {
                    Shape::Promise("a promise")
                }
                _ => Shape::Unknown,
            };
        }
        match self.function(callee) {
            Some(f) if f.is_async => Shape::Promise("a call of an `async` function"),
            Some(f) => match self.returns(f, depth + 1) {
                Shape::Promise(_) => Shape::Promise("a call that returns a promise"),
                other => other,
            },
            None => Shape::Unknown,
        }
    }

    /// What a function returns, when every `return` agrees (an `async` function: a promise).
    pub(crate) fn returns(&self, function: &Function, depth: usize) -> Shape {
        if function.is_async {
            return Shape::Promise("a promise");
        }
        match &function.body {
            FunctionBody::Expr { expr } => self.shape_at(expr, depth + 1),
            FunctionBody::Block { block } => {
                let mut returns = Vec::new();
                collect_returns(&block.stmts, &mut returns);
                let mut shapes = returns.iter().map(|r| match r {
                    Some(e) => self.shape_at(e, depth + 1),
                    None => Shape::Other("`undefined`"),
                });
                match shapes.next() {
                    Some(first) if shapes.all(|s| same_kind(s, first)) => first,
                    _ => Shape::Unknown,
                }
            }
        }
    }
}

fn same_kind(a: Shape, b: Shape) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

/// The primitive an expression calls directly (`agent(…)`, `parallel(…)`, …).
fn primitive_of(expr: &Expr) -> Option<Primitive> {
    match expr.kind {
        ExprKind::Agent(_) => Some(Primitive::Agent),
        ExprKind::Parallel { .. } => Some(Primitive::Parallel),
        ExprKind::Pipeline { .. } => Some(Primitive::Pipeline),
        ExprKind::Workflow { .. } => Some(Primitive::Workflow),
        _ => None,
    }
}

/// The `return` arguments of a function body, not descending into nested functions.
fn collect_returns<'e>(stmts: &'e [Stmt], out: &mut Vec<Option<&'e Expr>>) {
    for stmt in stmts {
        collect_returns_stmt(stmt, out);
    }
}

fn collect_returns_stmt<'e>(stmt: &'e Stmt, out: &mut Vec<Option<&'e Expr>>) {
    match &stmt.kind {
        StmtKind::Return { arg } => out.push(arg.as_ref()),
        _ => for_each_child_stmt(stmt, &mut |s| collect_returns_stmt(s, out)),
    }
}

/// Calls `f` with the statements nested directly in a compound statement: a block's statements,
/// the branches of an `if`, a loop or label body, the statements of `switch` cases and of a
/// `try`. Functions are not entered.
pub(crate) fn for_each_child_stmt<'s>(stmt: &'s Stmt, f: &mut impl FnMut(&'s Stmt)) {
    fn all<'s>(stmts: &'s [Stmt], f: &mut impl FnMut(&'s Stmt)) {
        stmts.iter().for_each(f);
    }
    match &stmt.kind {
        StmtKind::Block { block } => all(&block.stmts, f),
        StmtKind::If {
            consequent,
            alternate,
            ..
        } => {
            f(consequent);
            if let Some(alt) = alternate {
                f(alt);
            }
        }
        StmtKind::For { body, .. }
        | StmtKind::ForOf { body, .. }
        | StmtKind::ForIn { body, .. }
        | StmtKind::While { body, .. }
        | StmtKind::DoWhile { body, .. }
        | StmtKind::Labeled { body, .. } => f(body),
        StmtKind::Switch { cases, .. } => {
            for case in cases {
                all(&case.body, f);
            }
        }
        StmtKind::Try {
            block,
            handler,
            finalizer,
        } => {
            all(&block.stmts, f);
            if let Some(h) = handler {
                all(&h.body.stmts, f);
            }
            if let Some(fin) = finalizer {
                all(&fin.stmts, f);
            }
        }
        _ => {}
    }
}

/// The spans of the diagnostics a rule reports on a script, as text (for tests).
#[cfg(test)]
pub(crate) fn spans_for(code: &str, src: &str) -> Vec<String> {
    crate::rules::test_util::diagnostics_for(code, src)
        .iter()
        .map(|d| crate::rules::test_util::spanned(src, d).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};
    use crate::rules::thunk_expected::spans_for;

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    fn spans(src: &str) -> Vec<String> {
        spans_for("thunk-expected", src)
    }

    #[test]
    fn agent_calls_in_the_array_are_reported_each() {
        let src = format!("{META}const r = await parallel([agent('a'), () => agent('b'), agent('c', {{ label: 'c' }})])\n");
        let d = diagnostics_for("thunk-expected", &src);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "agent('a')");
        assert_eq!(spanned(&src, &d[1]), "agent('c', { label: 'c' })");
        assert_eq!(
            d[0].message,
            "`parallel()` element is an `agent()` call, not a thunk"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("wrap it in a function: `() => agent('a')`")
        );
        assert!(d[0].label.is_some());
    }

    #[test]
    fn varargs_are_one_diagnostic() {
        let src = format!("{META}await parallel(agent('a'), agent('b'), agent('c'))\n");
        let d = diagnostics_for("thunk-expected", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "agent('a'), agent('b'), agent('c')");
        assert_eq!(d[0].message, "`parallel()` takes one array of thunks");
        assert_eq!(d[0].label.as_deref(), Some("3 separate arguments"));
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("parallel([() => agent('a')"));
    }

    #[test]
    fn extra_arguments_after_an_array() {
        let src = format!("{META}await parallel([() => agent('a')], 4)\n");
        assert_eq!(spans(&src), ["4"]);
    }

    #[test]
    fn map_returning_agent_is_eager() {
        let src = format!(
            "{META}const files = args.files\nawait parallel(files.map(f => agent(`review ${{f}}`, {{ label: f }})))\n"
        );
        let d = diagnostics_for("thunk-expected", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            spanned(&src, &d[0]),
            "f => agent(`review ${f}`, { label: f })"
        );
        assert_eq!(
            d[0].message,
            "`map()` callback returns an `agent()` call, so `parallel()` gets promises instead of thunks: every agent starts eagerly, before `parallel()` can bound concurrency"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("return a thunk from the callback: `files.map(f => () => agent(...))`")
        );
    }

    #[test]
    fn async_callbacks_helpers_and_block_bodies_are_eager() {
        let src = format!(
            "{META}const xs = [1, 2]\nasync function review(x) {{ return agent(String(x)) }}\nawait parallel(xs.map(async x => {{ const r = await agent('a'); return r }}))\nawait parallel(xs.map(x => review(x)))\nawait parallel(xs.map(x => {{ return agent('b') }}))\nawait parallel(xs.map(agent))\n"
        );
        assert_eq!(
            spans(&src),
            [
                "async x => { const r = await agent('a'); return r }",
                "x => review(x)",
                "x => { return agent('b') }",
                "agent"
            ]
        );
    }

    #[test]
    fn thunks_are_quiet() {
        let src = format!(
            "{META}const xs = args.items\nconst thunks = xs.map(x => () => agent(x))\nconst mk = (x) => () => agent(x)\nfunction later(x) {{ return async () => agent(x) }}\nawait parallel(xs.map(x => () => agent(x)))\nawait parallel(thunks)\nawait parallel([...thunks, () => agent('z')])\nawait parallel([mk(1), later(2), args.extra])\nawait parallel(xs.map(x => async () => {{ const r = await agent(x); return r }}))\nawait parallel(xs.map(mk))\nawait parallel(xs.map(x => x.thunk))\nawait parallel(args.thunks)\n"
        );
        assert!(spans(&src).is_empty(), "{:?}", spans(&src));
    }

    #[test]
    fn awaited_and_literal_elements() {
        let src = format!(
            "{META}await parallel([await agent('a'), 'b', {{ run: 1 }}, agent('c').then(r => r)])\n"
        );
        let d = diagnostics_for("thunk-expected", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(
            spans,
            [
                "await agent('a')",
                "'b'",
                "{ run: 1 }",
                "agent('c').then(r => r)"
            ]
        );
        assert_eq!(
            d[0].message,
            "`parallel()` element is an awaited value, not a thunk"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("drop the `await` and wrap the call in a function: `() => agent('a')`")
        );
        assert_eq!(
            d[1].message,
            "`parallel()` element is a string, not a thunk"
        );
        assert_eq!(
            d[3].message,
            "`parallel()` element is a promise, not a thunk"
        );
    }

    #[test]
    fn promises_held_in_consts_are_followed() {
        let src = format!(
            "{META}const a = agent('a')\nconst tasks = ['x', 'y'].map(t => agent(t))\nawait parallel([a])\nawait parallel(tasks)\n"
        );
        let d = diagnostics_for("thunk-expected", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["t => agent(t)", "a"]);
        assert_eq!(
            d[1].help.as_deref(),
            Some("wrap it in a function: `() => agent('a')`")
        );
    }

    #[test]
    fn a_single_thunk_or_promise_or_nothing() {
        let src = format!("{META}await parallel(() => agent('a'))\nawait parallel(agent('b'))\nawait parallel()\nawait parallel(agent('c').then(r => [r]))\n");
        let d = diagnostics_for("thunk-expected", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(
            spans,
            [
                "() => agent('a')",
                "agent('b')",
                "parallel()",
                "agent('c').then(r => [r])"
            ]
        );
        assert_eq!(
            d[0].message,
            "`parallel()` takes an array of thunks, not a single function"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("wrap it in an array: `parallel([() => agent('a')])`")
        );
        assert_eq!(
            d[1].message,
            "`parallel()` takes an array of thunks, not an `agent()` call"
        );
        assert_eq!(
            d[2].message,
            "`parallel()` is called without an array of thunks"
        );
    }
}
