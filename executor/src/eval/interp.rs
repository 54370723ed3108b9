//! Evaluation of statements and expressions.
//!
//! Every evaluation step is an `async` function so that `await` can suspend the task that runs
//! it; leaf expressions (literals, variable reads) return an already-completed future without
//! allocating. A synchronous JavaScript function's future never suspends, so [`Rt::call`] polls
//! it once to completion.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use wfc_ir::{
    AgentOption, AgentOptions, ArrayElement, AssignOp, AssignTarget, BinaryOp, BindingId,
    BindingKind, Block, DeclKind, Expr, ExprKind, ForHead, ForInit, Function, FunctionBody,
    Literal, LogicalOp, MemberProp, ObjectProp, Pattern, Primitive, PropKey, Stmt, StmtKind,
    TaggedTemplate, UnaryOp, UpdateOp, VarDeclarator,
};

use super::builtins::collections::LiveCursor;
use super::env::{self, Env};
use super::ops;
use super::value::{
    array_index, ordered_keys, strict_equals, to_int32, to_uint32, Closure, Func, JsStr, Kind, Obj,
    Res, Value,
};
use super::{Rt, Script};

/// The evaluation context of one function invocation: the runtime and the script it belongs to.
pub struct Cx {
    pub rt: Rt,
    pub script: Rc<Script>,
}

/// How a statement completed.
pub enum Flow {
    Normal,
    Return(Value),
    Break(Option<&'static str>),
    Continue(Option<&'static str>),
}

type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A future that is either already complete or boxed.
pub enum EvalFut<'a> {
    Ready(Option<Res<Value>>),
    Boxed(BoxFut<'a, Res<Value>>),
}

impl Future for EvalFut<'_> {
    type Output = Res<Value>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Res<Value>> {
        match self.get_mut() {
            EvalFut::Ready(v) => Poll::Ready(v.take().unwrap_or(Ok(Value::Undefined))),
            // Deep recursion in the script nests polls; grow the stack rather than overflow it.
            EvalFut::Boxed(f) => {
                stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || f.as_mut().poll(cx))
            }
        }
    }
}

/// When less than this much stack is left, evaluation continues on a new segment.
const STACK_RED_ZONE: usize = 256 * 1024;
/// The size of each new stack segment.
const STACK_SEGMENT: usize = 8 * 1024 * 1024;

/// Whether a pattern declares (initialises bindings) or assigns (to existing ones).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bind {
    Declare,
    Assign,
}

/// A method call's receiver and function, or a plain call's function.
struct Callee {
    this: Value,
    func: Value,
}

impl Cx {
    fn clone_cx(&self) -> Cx {
        Cx {
            rt: self.rt.clone(),
            script: self.script.clone(),
        }
    }

    // ---- functions ---------------------------------------------------------------------------------

    pub fn closure(&self, function: &'static Function, env: &Env) -> Value {
        Value::Object(Obj::new(Kind::Function(Func::Closure(Closure {
            function,
            env: env.clone(),
            script: self.script.clone(),
        }))))
    }

    pub async fn call_function(
        &self,
        function: &'static Function,
        env: Env,
        callee: Value,
        args: Vec<Value>,
    ) -> Res<Value> {
        let frame = self.script.layout.frame(function.scope, Some(env));
        if let Some(b) = function.self_binding {
            self.init_binding(&frame, b, callee);
        }
        for (i, p) in function.params.iter().enumerate() {
            let v = if p.rest {
                self.rt
                    .new_array(args.get(i..).map(<[Value]>::to_vec).unwrap_or_default())
            } else {
                args.get(i).cloned().unwrap_or_default()
            };
            self.bind_pattern(&frame, &p.pattern, v, Bind::Declare)
                .await?;
        }
        match &function.body {
            FunctionBody::Block { block } => {
                self.hoist(&frame, &block.stmts);
                match self.exec_stmts(&frame, &block.stmts).await? {
                    Flow::Return(v) => Ok(v),
                    _ => Ok(Value::Undefined),
                }
            }
            FunctionBody::Expr { expr } => self.eval(&frame, expr).await,
        }
    }

    /// Runs the script body (scope 0) and returns its completion value.
    pub async fn run_body(&self) -> Res<Value> {
        let wf = self.script.workflow;
        let frame = self.script.layout.frame(wfc_ir::ScopeId(0), None);
        self.hoist(&frame, &wf.body);
        match self.exec_stmts(&frame, &wf.body).await? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::Undefined),
        }
    }

    /// Initialises the function declarations of a statement list (hoisting).
    fn hoist(&self, env: &Env, stmts: &'static [Stmt]) {
        for s in stmts {
            if let StmtKind::FunctionDecl { binding, function } = &s.kind {
                let f = self.closure(function, env);
                self.init_binding(env, *binding, f);
            }
        }
    }

    // ---- bindings ----------------------------------------------------------------------------------

    fn binding_frame<'e>(&self, env: &'e Env, b: BindingId) -> Option<(&'e Env, usize)> {
        let (scope, slot) = self.script.layout.slot(b);
        env::find(env, scope).map(|f| (f, slot as usize))
    }

    fn binding_name(&self, b: BindingId) -> &str {
        self.script
            .workflow
            .bindings
            .get(b.0 as usize)
            .map_or("?", |b| b.name.as_str())
    }

    fn init_binding(&self, env: &Env, b: BindingId, v: Value) {
        if let Some((frame, slot)) = self.binding_frame(env, b) {
            if let Some(s) = frame.vars.borrow_mut().get_mut(slot) {
                *s = Some(v);
            }
        }
    }

    fn binding_kind(&self, b: BindingId) -> Option<BindingKind> {
        self.script
            .workflow
            .bindings
            .get(b.0 as usize)
            .map(|b| b.kind)
    }

    fn read_binding(&self, env: &Env, b: BindingId) -> Res<Value> {
        match self.binding_frame(env, b) {
            Some((frame, slot)) => match frame.vars.borrow().get(slot) {
                Some(Some(v)) => Ok(v.clone()),
                // An implicit global does not exist until its first assignment.
                _ if self.binding_kind(b) == Some(BindingKind::Implicit) => Err(self
                    .rt
                    .reference_error(&format!("{} is not defined", self.binding_name(b)))),
                _ => Err(self.rt.reference_error(&format!(
                    "Cannot access '{}' before initialization",
                    self.binding_name(b)
                ))),
            },
            None => Err(self
                .rt
                .reference_error(&format!("{} is not defined", self.binding_name(b)))),
        }
    }

    fn assign_binding(&self, env: &Env, b: BindingId, v: Value) -> Res<()> {
        let kind = self.binding_kind(b);
        let Some((frame, slot)) = self.binding_frame(env, b) else {
            return Err(self
                .rt
                .reference_error(&format!("{} is not defined", self.binding_name(b))));
        };
        let mut vars = frame.vars.borrow_mut();
        let Some(s) = vars.get_mut(slot) else {
            return Ok(());
        };
        if s.is_none() && kind != Some(BindingKind::Implicit) {
            drop(vars);
            return Err(self.rt.reference_error(&format!(
                "Cannot access '{}' before initialization",
                self.binding_name(b)
            )));
        }
        match kind {
            Some(BindingKind::Const) => {
                drop(vars);
                Err(self.rt.type_error("Assignment to constant variable."))
            }
            // Assigning to a named function expression's own name is silently ignored (sloppy).
            Some(BindingKind::FunctionName) => Ok(()),
            _ => {
                *s = Some(v);
                Ok(())
            }
        }
    }

    // ---- statements ----------------------------------------------------------------------------------

    fn exec_stmts<'a>(&'a self, env: &'a Env, stmts: &'static [Stmt]) -> BoxFut<'a, Res<Flow>> {
        Box::pin(async move {
            for s in stmts {
                match self.exec(env, s).await? {
                    Flow::Normal => {}
                    other => return Ok(other),
                }
            }
            Ok(Flow::Normal)
        })
    }

    fn exec_block<'a>(&'a self, env: &'a Env, block: &'static Block) -> BoxFut<'a, Res<Flow>> {
        Box::pin(async move {
            if self.script.layout.has_bindings(block.scope) && env.scope != block.scope {
                let frame = self.script.layout.frame(block.scope, Some(env.clone()));
                self.hoist(&frame, &block.stmts);
                self.exec_stmts(&frame, &block.stmts).await
            } else {
                self.hoist(env, &block.stmts);
                self.exec_stmts(env, &block.stmts).await
            }
        })
    }

    fn exec<'a>(&'a self, env: &'a Env, s: &'static Stmt) -> BoxFut<'a, Res<Flow>> {
        Box::pin(async move {
            match &s.kind {
                StmtKind::Expr { expr } => {
                    self.eval(env, expr).await?;
                    Ok(Flow::Normal)
                }
                StmtKind::VarDecl { kind, decls } => {
                    self.declare(env, *kind, decls).await?;
                    Ok(Flow::Normal)
                }
                StmtKind::FunctionDecl { .. } | StmtKind::Empty => Ok(Flow::Normal),
                StmtKind::Block { block } => self.exec_block(env, block).await,
                StmtKind::If {
                    test,
                    consequent,
                    alternate,
                } => {
                    if self.eval(env, test).await?.truthy() {
                        self.exec(env, consequent).await
                    } else if let Some(alt) = alternate {
                        self.exec(env, alt).await
                    } else {
                        Ok(Flow::Normal)
                    }
                }
                StmtKind::Throw { arg } => Err(self.eval(env, arg).await?),
                StmtKind::Return { arg } => Ok(Flow::Return(match arg {
                    Some(a) => self.eval(env, a).await?,
                    None => Value::Undefined,
                })),
                StmtKind::Break { label } => Ok(Flow::Break(label.as_deref())),
                StmtKind::Continue { label } => Ok(Flow::Continue(label.as_deref())),
                StmtKind::Labeled { .. }
                | StmtKind::For { .. }
                | StmtKind::ForOf { .. }
                | StmtKind::ForIn { .. }
                | StmtKind::While { .. }
                | StmtKind::DoWhile { .. } => self.exec_labeled(env, s, Vec::new()).await,
                StmtKind::Switch {
                    discriminant,
                    scope,
                    cases,
                } => {
                    let d = self.eval(env, discriminant).await?;
                    let frame = if self.script.layout.has_bindings(*scope) {
                        self.script.layout.frame(*scope, Some(env.clone()))
                    } else {
                        env.clone()
                    };
                    for c in cases {
                        self.hoist(&frame, &c.body);
                    }
                    let mut start = None;
                    for (i, c) in cases.iter().enumerate() {
                        if let Some(t) = &c.test {
                            let v = self.eval(&frame, t).await?;
                            if strict_equals(&d, &v) {
                                start = Some(i);
                                break;
                            }
                        }
                    }
                    let start = start.or_else(|| cases.iter().position(|c| c.test.is_none()));
                    if let Some(start) = start {
                        for c in &cases[start..] {
                            match self.exec_stmts(&frame, &c.body).await? {
                                Flow::Normal => {}
                                Flow::Break(None) => return Ok(Flow::Normal),
                                other => return Ok(other),
                            }
                        }
                    }
                    Ok(Flow::Normal)
                }
                StmtKind::Try {
                    block,
                    handler,
                    finalizer,
                } => {
                    let mut result = self.exec_block(env, block).await;
                    if let (Err(e), Some(h)) = (&result, handler) {
                        let e = e.clone();
                        let frame = self.script.layout.frame(h.scope, Some(env.clone()));
                        result = match &h.param {
                            Some(p) => match self.bind_pattern(&frame, p, e, Bind::Declare).await {
                                Ok(()) => self.exec_block(&frame, &h.body).await,
                                Err(e) => Err(e),
                            },
                            None => self.exec_block(&frame, &h.body).await,
                        };
                    }
                    if let Some(f) = finalizer {
                        match self.exec_block(env, f).await? {
                            Flow::Normal => {}
                            other => return Ok(other),
                        }
                    }
                    result
                }
            }
        })
    }

    fn declare<'a>(
        &'a self,
        env: &'a Env,
        kind: DeclKind,
        decls: &'static [VarDeclarator],
    ) -> BoxFut<'a, Res<()>> {
        Box::pin(async move {
            for d in decls {
                match &d.init {
                    Some(init) => {
                        let v = self.eval(env, init).await?;
                        self.bind_pattern(env, &d.pattern, v, Bind::Declare).await?;
                    }
                    None if kind != DeclKind::Var => {
                        self.bind_pattern(env, &d.pattern, Value::Undefined, Bind::Declare)
                            .await?;
                    }
                    None => {}
                }
            }
            Ok(())
        })
    }

    /// A loop or labelled statement, with the labels that name it.
    fn exec_labeled<'a>(
        &'a self,
        env: &'a Env,
        s: &'static Stmt,
        mut labels: Vec<&'static str>,
    ) -> BoxFut<'a, Res<Flow>> {
        Box::pin(async move {
            match &s.kind {
                StmtKind::Labeled { label, body } => {
                    labels.push(label);
                    let is_loop = matches!(
                        body.kind,
                        StmtKind::For { .. }
                            | StmtKind::ForOf { .. }
                            | StmtKind::ForIn { .. }
                            | StmtKind::While { .. }
                            | StmtKind::DoWhile { .. }
                            | StmtKind::Labeled { .. }
                    );
                    let flow = if is_loop {
                        self.exec_labeled(env, body, labels.clone()).await?
                    } else {
                        self.exec(env, body).await?
                    };
                    Ok(match flow {
                        Flow::Break(Some(l)) if labels.contains(&l) => Flow::Normal,
                        other => other,
                    })
                }
                StmtKind::While { test, body } => {
                    while self.eval(env, test).await?.truthy() {
                        match loop_step(self.exec(env, body).await?, &labels) {
                            Step::Next => {}
                            Step::Exit(f) => return Ok(f),
                        }
                    }
                    Ok(Flow::Normal)
                }
                StmtKind::DoWhile { body, test } => {
                    loop {
                        match loop_step(self.exec(env, body).await?, &labels) {
                            Step::Next => {}
                            Step::Exit(f) => return Ok(f),
                        }
                        if !self.eval(env, test).await?.truthy() {
                            break;
                        }
                    }
                    Ok(Flow::Normal)
                }
                StmtKind::For {
                    scope,
                    init,
                    test,
                    update,
                    body,
                } => {
                    let per_iteration = self.script.layout.has_bindings(*scope);
                    let mut iter_env = if per_iteration {
                        self.script.layout.frame(*scope, Some(env.clone()))
                    } else {
                        env.clone()
                    };
                    match init.as_deref() {
                        Some(ForInit::VarDecl { kind, decls }) => {
                            self.declare(&iter_env, *kind, decls).await?
                        }
                        Some(ForInit::Expr { expr }) => {
                            self.eval(&iter_env, expr).await?;
                        }
                        None => {}
                    }
                    if per_iteration {
                        iter_env = env::copy_frame(&iter_env);
                    }
                    loop {
                        if let Some(t) = test {
                            if !self.eval(&iter_env, t).await?.truthy() {
                                break;
                            }
                        }
                        match loop_step(self.exec(&iter_env, body).await?, &labels) {
                            Step::Next => {}
                            Step::Exit(f) => return Ok(f),
                        }
                        if per_iteration {
                            iter_env = env::copy_frame(&iter_env);
                        }
                        if let Some(u) = update {
                            self.eval(&iter_env, u).await?;
                        }
                    }
                    Ok(Flow::Normal)
                }
                StmtKind::ForOf {
                    scope,
                    left,
                    right,
                    body,
                    is_await,
                } => {
                    let head_env = self.script.layout.frame(*scope, Some(env.clone()));
                    let iterable = self.eval(&head_env, right).await?;
                    let mut iter = Iter::new(&self.rt, &iterable, &self.source_of(right))?;
                    while let Some(item) = iter.next(&self.rt) {
                        // `for await` over a (sync) iterable awaits each value.
                        let item = if *is_await {
                            self.rt.await_value(item).await?
                        } else {
                            item
                        };
                        let frame = self.script.layout.frame(*scope, Some(env.clone()));
                        self.bind_head(&frame, left, item).await?;
                        match loop_step(self.exec(&frame, body).await?, &labels) {
                            Step::Next => {}
                            Step::Exit(f) => return Ok(f),
                        }
                    }
                    Ok(Flow::Normal)
                }
                StmtKind::ForIn {
                    scope,
                    left,
                    right,
                    body,
                } => {
                    let head_env = self.script.layout.frame(*scope, Some(env.clone()));
                    let target = self.eval(&head_env, right).await?;
                    for key in enumerable_keys(&target) {
                        // A key deleted during the loop is skipped, as in JavaScript.
                        if let Value::Object(o) = &target {
                            if !has_own(o, &key) {
                                continue;
                            }
                        }
                        let frame = self.script.layout.frame(*scope, Some(env.clone()));
                        self.bind_head(&frame, left, Value::String(key)).await?;
                        match loop_step(self.exec(&frame, body).await?, &labels) {
                            Step::Next => {}
                            Step::Exit(f) => return Ok(f),
                        }
                    }
                    Ok(Flow::Normal)
                }
                _ => self.exec(env, s).await,
            }
        })
    }

    async fn bind_head(&self, frame: &Env, left: &'static ForHead, v: Value) -> Res<()> {
        match left {
            ForHead::Decl { pattern, .. } => {
                self.bind_pattern(frame, pattern, v, Bind::Declare).await
            }
            ForHead::Target { target } => self.assign_to(frame, target, v).await,
        }
    }

    // ---- patterns ------------------------------------------------------------------------------------

    fn bind_pattern<'a>(
        &'a self,
        env: &'a Env,
        pattern: &'static Pattern,
        value: Value,
        mode: Bind,
    ) -> BoxFut<'a, Res<()>> {
        Box::pin(async move {
            match pattern {
                Pattern::Binding { binding, .. } => match mode {
                    Bind::Declare => {
                        self.init_binding(env, *binding, value);
                        Ok(())
                    }
                    Bind::Assign => self.assign_binding(env, *binding, value),
                },
                Pattern::Target { target } => self.assign_to(env, target, value).await,
                Pattern::Default { pattern, default } => {
                    let v = if matches!(value, Value::Undefined) {
                        self.eval(env, default).await?
                    } else {
                        value
                    };
                    self.bind_pattern(env, pattern, v, mode).await
                }
                Pattern::Array { elements, rest, .. } => {
                    let mut iter = Iter::new(&self.rt, &value, "value")?;
                    for el in elements {
                        let item = iter.next(&self.rt).unwrap_or_default();
                        if let Some(p) = el {
                            self.bind_pattern(env, p, item, mode).await?;
                        }
                    }
                    if let Some(r) = rest {
                        let mut remaining = Vec::new();
                        while let Some(item) = iter.next(&self.rt) {
                            remaining.push(item);
                        }
                        let arr = self.rt.new_array(remaining);
                        self.bind_pattern(env, r, arr, mode).await?;
                    }
                    Ok(())
                }
                Pattern::Object { props, rest, .. } => {
                    if value.is_nullish() {
                        return Err(self.rt.type_error(&format!(
                            "Cannot destructure '{}' as it is {}.",
                            ops::primitive_to_string(&value),
                            if matches!(value, Value::Null) {
                                "null"
                            } else {
                                "undefined"
                            }
                        )));
                    }
                    let mut used: Vec<JsStr> = Vec::new();
                    for p in props {
                        let key = self.prop_key(env, &p.key).await?;
                        let v = self.rt.get(&value, &key)?;
                        used.push(key);
                        self.bind_pattern(env, &p.value, v, mode).await?;
                    }
                    if let Some(r) = rest {
                        let copy = self.rt.new_object();
                        for k in enumerable_keys(&value) {
                            if !used.contains(&k) {
                                let v = self.rt.get(&value, &k)?;
                                copy.set_own(k, v);
                            }
                        }
                        self.bind_pattern(env, r, Value::Object(copy), mode).await?;
                    }
                    Ok(())
                }
            }
        })
    }

    async fn prop_key(&self, env: &Env, key: &'static PropKey) -> Res<JsStr> {
        match key {
            PropKey::Named { name, .. } => Ok(JsStr::from(name.as_str())),
            PropKey::Computed { expr } => {
                let k = self.eval(env, expr).await?;
                ops::to_key(&self.rt, &k)
            }
        }
    }

    async fn member_key(&self, env: &Env, prop: &'static MemberProp) -> Res<JsStr> {
        match prop {
            MemberProp::Named { name, .. } => Ok(JsStr::from(name.as_str())),
            MemberProp::Computed { expr } => {
                let k = self.eval(env, expr).await?;
                ops::to_key(&self.rt, &k)
            }
        }
    }

    fn assign_to<'a>(
        &'a self,
        env: &'a Env,
        target: &'static AssignTarget,
        value: Value,
    ) -> BoxFut<'a, Res<()>> {
        Box::pin(async move {
            match target {
                AssignTarget::Var { binding, .. } => self.assign_binding(env, *binding, value),
                AssignTarget::Global { name, .. } => {
                    Err(self.rt.reference_error(&format!("{name} is not defined")))
                }
                AssignTarget::Member {
                    object, property, ..
                } => {
                    let o = self.eval(env, object).await?;
                    let k = self.member_key(env, property).await?;
                    self.rt.set(&o, &k, value)
                }
                AssignTarget::Pattern { pattern } => {
                    self.bind_pattern(env, pattern, value, Bind::Assign).await
                }
            }
        })
    }

    // ---- expressions ----------------------------------------------------------------------------------

    fn source_of(&self, e: &Expr) -> String {
        let text = self
            .script
            .source
            .get(e.span.start as usize..e.span.end as usize)
            .unwrap_or("expression");
        if text.len() > 80 {
            "expression".to_string()
        } else {
            text.to_string()
        }
    }

    pub fn eval<'a>(&'a self, env: &'a Env, e: &'static Expr) -> EvalFut<'a> {
        match &e.kind {
            ExprKind::Literal { value } => EvalFut::Ready(Some(Ok(literal(value)))),
            ExprKind::Var { binding, .. } => EvalFut::Ready(Some(self.read_binding(env, *binding))),
            ExprKind::Args => EvalFut::Ready(Some(Ok(self.script.args.clone()))),
            _ => EvalFut::Boxed(Box::pin(self.eval_slow(env, e))),
        }
    }

    async fn eval_slow(&self, env: &Env, e: &'static Expr) -> Res<Value> {
        let rt = &self.rt;
        match &e.kind {
            ExprKind::Literal { value } => Ok(literal(value)),
            ExprKind::Var { binding, .. } => self.read_binding(env, *binding),
            ExprKind::Args => Ok(self.script.args.clone()),
            ExprKind::Regex { pattern, flags } => {
                super::builtins::regexp::new_regexp(rt, pattern, flags)
            }
            ExprKind::Template { quasis, exprs } => {
                let mut out = String::new();
                for (i, q) in quasis.iter().enumerate() {
                    out.push_str(q);
                    if let Some(x) = exprs.get(i) {
                        let v = self.eval(env, x).await?;
                        out.push_str(&ops::to_string(rt, &v)?);
                        if out.len() > ops::MAX_STRING_LENGTH
                            && super::value::utf16_len(&out) > ops::MAX_STRING_LENGTH
                        {
                            return Err(rt.range_error("Invalid string length"));
                        }
                    }
                }
                Ok(Value::string(out))
            }
            ExprKind::TaggedTemplate(t) => {
                let TaggedTemplate {
                    tag,
                    cooked,
                    raw,
                    exprs,
                } = &**t;
                let callee = self.callee(env, tag).await?;
                let strings: Vec<Value> = cooked
                    .iter()
                    .map(|c| c.as_deref().map_or(Value::Undefined, Value::str))
                    .collect();
                let strings = rt.new_array(strings);
                let raw = rt.new_array(raw.iter().map(|r| Value::str(r)).collect());
                rt.set(&strings, "raw", raw)?;
                let mut args = vec![strings];
                for x in exprs {
                    args.push(self.eval(env, x).await?);
                }
                self.call_value(&callee, &args, tag)
            }
            ExprKind::Global { name } => self.global(name),
            ExprKind::Budget => Ok(self.budget()),
            ExprKind::PrimitiveRef { primitive } => Ok(self.primitive_value(*primitive)),
            ExprKind::Array { elements } => {
                let mut items = Vec::with_capacity(elements.len());
                for el in elements {
                    match el {
                        ArrayElement::Expr { expr } => items.push(self.eval(env, expr).await?),
                        ArrayElement::Spread { expr } => {
                            let v = self.eval(env, expr).await?;
                            let mut it = Iter::new(rt, &v, &self.source_of(expr))?;
                            while let Some(x) = it.next(rt) {
                                items.push(x);
                            }
                        }
                        ArrayElement::Hole => items.push(Value::Undefined),
                    }
                }
                Ok(rt.new_array(items))
            }
            ExprKind::Object { props } => {
                let obj = rt.new_object();
                for p in props {
                    match p {
                        ObjectProp::KeyValue { key, value } => {
                            let k = self.prop_key(env, key).await?;
                            let v = self.eval(env, value).await?;
                            obj.borrow_mut().props.insert(k, v);
                        }
                        ObjectProp::Spread { expr } => {
                            let v = self.eval(env, expr).await?;
                            for k in enumerable_keys(&v) {
                                let x = rt.get(&v, &k)?;
                                obj.borrow_mut().props.insert(k, x);
                            }
                        }
                    }
                }
                Ok(Value::Object(obj))
            }
            ExprKind::Function { function } => Ok(self.closure(function, env)),
            ExprKind::Unary { op, arg } => {
                match op {
                    UnaryOp::TypeOf => {
                        // `typeof undeclared` is "undefined", not a ReferenceError.
                        if let ExprKind::Global { name } = &arg.kind {
                            return Ok(Value::str(
                                self.global(name).map_or("undefined", |v| v.type_of()),
                            ));
                        }
                        // Nor is an implicit global not assigned yet.
                        if let ExprKind::Var { binding, .. } = &arg.kind {
                            if self.binding_kind(*binding) == Some(BindingKind::Implicit) {
                                return Ok(Value::str(
                                    self.read_binding(env, *binding)
                                        .map_or("undefined", |v| v.type_of()),
                                ));
                            }
                        }
                        let v = self.eval(env, arg).await?;
                        return Ok(Value::str(v.type_of()));
                    }
                    UnaryOp::Delete => {
                        return match &arg.kind {
                            ExprKind::Member {
                                object, property, ..
                            } => {
                                let o = self.eval(env, object).await?;
                                let k = self.member_key(env, property).await?;
                                Ok(Value::Bool(rt.delete(&o, &k)?))
                            }
                            _ => {
                                self.eval(env, arg).await?;
                                Ok(Value::Bool(true))
                            }
                        };
                    }
                    _ => {}
                }
                let v = self.eval(env, arg).await?;
                Ok(match op {
                    UnaryOp::Not => Value::Bool(!v.truthy()),
                    UnaryOp::Minus => Value::Number(-ops::to_number(rt, &v)?),
                    UnaryOp::Plus => Value::Number(ops::to_number(rt, &v)?),
                    UnaryOp::BitNot => Value::Number(f64::from(!to_int32(ops::to_number(rt, &v)?))),
                    UnaryOp::Void => Value::Undefined,
                    UnaryOp::TypeOf | UnaryOp::Delete => Value::Undefined,
                })
            }
            ExprKind::Update { op, prefix, target } => {
                let old = self.read_target(env, target).await?;
                let n = ops::to_number(rt, &old.value)?;
                let new = match op {
                    UpdateOp::Increment => n + 1.0,
                    UpdateOp::Decrement => n - 1.0,
                };
                self.write_target(env, target, &old, Value::Number(new))?;
                Ok(Value::Number(if *prefix { new } else { n }))
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.eval(env, left).await?;
                let r = self.eval(env, right).await?;
                self.binary(*op, &l, &r, right)
            }
            ExprKind::Logical { op, left, right } => {
                let l = self.eval(env, left).await?;
                let take_left = match op {
                    LogicalOp::And => !l.truthy(),
                    LogicalOp::Or => l.truthy(),
                    LogicalOp::Nullish => !l.is_nullish(),
                };
                if take_left {
                    Ok(l)
                } else {
                    self.eval(env, right).await
                }
            }
            ExprKind::Assign { op, target, value } => match op {
                AssignOp::Assign => {
                    if let AssignTarget::Member {
                        object, property, ..
                    } = &**target
                    {
                        let o = self.eval(env, object).await?;
                        let k = self.member_key(env, property).await?;
                        let v = self.eval(env, value).await?;
                        rt.set(&o, &k, v.clone())?;
                        return Ok(v);
                    }
                    let v = self.eval(env, value).await?;
                    self.assign_to(env, target, v.clone()).await?;
                    Ok(v)
                }
                AssignOp::Compound(bop) => {
                    let old = self.read_target(env, target).await?;
                    let r = self.eval(env, value).await?;
                    let v = self.binary(*bop, &old.value, &r, value)?;
                    self.write_target(env, target, &old, v.clone())?;
                    Ok(v)
                }
                AssignOp::Logical(lop) => {
                    let old = self.read_target(env, target).await?;
                    let assign = match lop {
                        LogicalOp::And => old.value.truthy(),
                        LogicalOp::Or => !old.value.truthy(),
                        LogicalOp::Nullish => old.value.is_nullish(),
                    };
                    if !assign {
                        return Ok(old.value);
                    }
                    let v = self.eval(env, value).await?;
                    self.write_target(env, target, &old, v.clone())?;
                    Ok(v)
                }
            },
            ExprKind::Conditional {
                test,
                consequent,
                alternate,
            } => {
                if self.eval(env, test).await?.truthy() {
                    self.eval(env, consequent).await
                } else {
                    self.eval(env, alternate).await
                }
            }
            ExprKind::Call {
                callee,
                args,
                optional,
            } => {
                let c = self.callee(env, callee).await?;
                if *optional && c.func.is_nullish() {
                    return Err(self.short_circuit());
                }
                let args = self.arguments(env, args).await?;
                self.call_value(&c, &args, callee)
            }
            ExprKind::New { callee, args } => {
                let f = self.eval(env, callee).await?;
                let args = self.arguments(env, args).await?;
                if !f.is_callable() {
                    return Err(
                        rt.type_error(&format!("{} is not a constructor", self.source_of(callee)))
                    );
                }
                rt.construct(&f, &args)
            }
            ExprKind::Member {
                object,
                property,
                optional,
            } => Ok(self.member(env, object, property, *optional).await?.1),
            ExprKind::Chain { expr } => match self.eval(env, expr).await {
                Err(e) if self.is_short_circuit(&e) => Ok(Value::Undefined),
                other => other,
            },
            ExprKind::Await { arg } => {
                let v = self.eval(env, arg).await?;
                rt.await_value(v).await
            }
            ExprKind::Sequence { exprs } => {
                let mut last = Value::Undefined;
                for x in exprs {
                    last = self.eval(env, x).await?;
                }
                Ok(last)
            }
            ExprKind::Agent(call) => {
                let prompt = self.eval(env, &call.prompt).await?;
                let opts = match &call.options {
                    None => Value::Undefined,
                    Some(AgentOptions::Dynamic { expr }) => self.eval(env, expr).await?,
                    Some(AgentOptions::Literal { entries, .. }) => {
                        self.option_object(env, entries).await?
                    }
                };
                for a in &call.extra {
                    self.eval(env, &a.expr).await?;
                }
                let pos = self.script.position(e.span.start);
                Ok(self.agent(prompt, opts, Some(call.site), pos))
            }
            ExprKind::Parallel { thunks, extra } => {
                let t = self.eval(env, thunks).await?;
                self.arguments(env, extra).await?;
                Ok(self.parallel(t))
            }
            ExprKind::Pipeline { items, stages } => {
                let items = self.eval(env, items).await?;
                let stages = self.arguments(env, stages).await?;
                Ok(self.pipeline(items, stages))
            }
            ExprKind::Phase { args } => {
                let args = self.arguments(env, args).await?;
                self.phase(args.first().cloned().unwrap_or_default())?;
                Ok(Value::Undefined)
            }
            ExprKind::Log { args } => {
                let args = self.arguments(env, args).await?;
                self.log(args.first().cloned().unwrap_or_default())?;
                Ok(Value::Undefined)
            }
            ExprKind::Workflow { args } => {
                let args = self.arguments(env, args).await?;
                let mut it = args.into_iter();
                let target = it.next().unwrap_or_default();
                let child_args = it.next().unwrap_or_default();
                Ok(self.workflow(target, child_args))
            }
            ExprKind::Import { .. } => {
                Err(rt.host_error("Error", "import() is not available in workflow scripts"))
            }
            ExprKind::Invalid => Err(rt.error(
                "SyntaxError",
                &format!(
                    "unsupported syntax at {} (wfc check reports it)",
                    self.script.position(e.span.start)
                ),
            )),
        }
    }

    async fn option_object(&self, env: &Env, entries: &'static [AgentOption]) -> Res<Value> {
        let obj = self.rt.new_object();
        for entry in entries {
            match entry {
                AgentOption::Known { key, value, .. } => {
                    let v = self.eval(env, value).await?;
                    obj.borrow_mut().props.insert(key.as_str().into(), v);
                }
                AgentOption::Unknown { key, value, .. } => {
                    let v = self.eval(env, value).await?;
                    obj.borrow_mut().props.insert(key.as_str().into(), v);
                }
                AgentOption::Computed { key, value } => {
                    let k = self.eval(env, key).await?;
                    let k = ops::to_key(&self.rt, &k)?;
                    let v = self.eval(env, value).await?;
                    obj.borrow_mut().props.insert(k, v);
                }
                AgentOption::Spread { expr } => {
                    let v = self.eval(env, expr).await?;
                    for k in enumerable_keys(&v) {
                        let x = self.rt.get(&v, &k)?;
                        obj.borrow_mut().props.insert(k, x);
                    }
                }
            }
        }
        Ok(Value::Object(obj))
    }

    async fn arguments(&self, env: &Env, args: &'static [wfc_ir::Argument]) -> Res<Vec<Value>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            let v = self.eval(env, &a.expr).await?;
            if a.spread {
                // A call's spread words its errors differently from an array's (V8).
                match &v {
                    Value::Undefined | Value::Null => {
                        return Err(self.rt.type_error(&format!(
                            "{} is not iterable (cannot read property {})",
                            self.source_of(&a.expr),
                            if matches!(v, Value::Null) {
                                "null"
                            } else {
                                "undefined"
                            }
                        )))
                    }
                    Value::String(_) => {}
                    _ if Iter::new(&self.rt, &v, "").is_err() => {
                        return Err(self.rt.type_error(
                            "Spread syntax requires ...iterable[Symbol.iterator] to be a function",
                        ))
                    }
                    _ => {}
                }
                let mut it = Iter::new(&self.rt, &v, &self.source_of(&a.expr))?;
                while let Some(x) = it.next(&self.rt) {
                    out.push(x);
                }
            } else {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// `object.property` (or `object?.property`): the object and the property's value.
    async fn member(
        &self,
        env: &Env,
        object: &'static Expr,
        property: &'static MemberProp,
        optional: bool,
    ) -> Res<(Value, Value)> {
        let o = self.eval(env, object).await?;
        if optional && o.is_nullish() {
            return Err(self.short_circuit());
        }
        let k = self.member_key(env, property).await?;
        let v = self.rt.get(&o, &k)?;
        Ok((o, v))
    }

    /// Evaluates a callee: for `o.m(...)` the receiver is `o`.
    async fn callee(&self, env: &Env, callee: &'static Expr) -> Res<Callee> {
        match &callee.kind {
            ExprKind::Member {
                object,
                property,
                optional,
            } => {
                let (this, func) = self.member(env, object, property, *optional).await?;
                Ok(Callee { this, func })
            }
            _ => Ok(Callee {
                this: Value::Undefined,
                func: self.eval(env, callee).await?,
            }),
        }
    }

    fn call_value(&self, c: &Callee, args: &[Value], callee: &Expr) -> Res<Value> {
        if !c.func.is_callable() {
            return Err(self
                .rt
                .type_error(&format!("{} is not a function", self.source_of(callee))));
        }
        self.rt.call(&c.func, &c.this, args)
    }

    fn global(&self, name: &str) -> Res<Value> {
        self.rt
            .global(name)
            .ok_or_else(|| self.rt.reference_error(&format!("{name} is not defined")))
    }

    /// The internal marker an optional link throws to end its chain with `undefined`.
    fn short_circuit(&self) -> Value {
        Value::Object(self.rt.chain_token.clone())
    }

    fn is_short_circuit(&self, e: &Value) -> bool {
        matches!(e, Value::Object(o) if o.ptr_eq(&self.rt.chain_token))
    }

    fn binary(&self, op: BinaryOp, l: &Value, r: &Value, right: &Expr) -> Res<Value> {
        let rt = &self.rt;
        let num = |v: &Value| ops::to_number(rt, v);
        Ok(match op {
            BinaryOp::Add => return ops::add(rt, l, r),
            BinaryOp::Sub => Value::Number(num(l)? - num(r)?),
            BinaryOp::Mul => Value::Number(num(l)? * num(r)?),
            BinaryOp::Div => Value::Number(num(l)? / num(r)?),
            BinaryOp::Rem => Value::Number(num(l)? % num(r)?),
            BinaryOp::Exp => Value::Number(js_pow(num(l)?, num(r)?)),
            BinaryOp::Eq => Value::Bool(ops::loose_equals(rt, l, r)?),
            BinaryOp::NotEq => Value::Bool(!ops::loose_equals(rt, l, r)?),
            BinaryOp::StrictEq => Value::Bool(strict_equals(l, r)),
            BinaryOp::StrictNotEq => Value::Bool(!strict_equals(l, r)),
            BinaryOp::Lt => Value::Bool(ops::less_than(rt, l, r, true)? == Some(true)),
            BinaryOp::Gt => Value::Bool(ops::less_than(rt, r, l, false)? == Some(true)),
            BinaryOp::LtEq => Value::Bool(ops::less_than(rt, r, l, false)? == Some(false)),
            BinaryOp::GtEq => Value::Bool(ops::less_than(rt, l, r, true)? == Some(false)),
            BinaryOp::BitAnd => Value::Number(f64::from(to_int32(num(l)?) & to_int32(num(r)?))),
            BinaryOp::BitOr => Value::Number(f64::from(to_int32(num(l)?) | to_int32(num(r)?))),
            BinaryOp::BitXor => Value::Number(f64::from(to_int32(num(l)?) ^ to_int32(num(r)?))),
            BinaryOp::Shl => Value::Number(f64::from(
                to_int32(num(l)?).wrapping_shl(to_uint32(num(r)?) & 31),
            )),
            BinaryOp::Shr => Value::Number(f64::from(
                to_int32(num(l)?).wrapping_shr(to_uint32(num(r)?) & 31),
            )),
            BinaryOp::UShr => Value::Number(f64::from(
                to_uint32(num(l)?).wrapping_shr(to_uint32(num(r)?) & 31),
            )),
            BinaryOp::In => {
                let Value::Object(o) = r else {
                    return Err(rt.type_error(&format!(
                        "Cannot use 'in' operator to search for '{}' in {}",
                        ops::to_string(rt, l)?,
                        self.source_of(right)
                    )));
                };
                let k = ops::to_key(rt, l)?;
                let own = has_own(o, &k);
                Value::Bool(own || super::builtins::property(rt, r, &k).is_some())
            }
            BinaryOp::InstanceOf => Value::Bool(ops::instance_of(rt, l, r)?),
        })
    }

    // ---- compound assignment targets -------------------------------------------------------------------

    async fn read_target(&self, env: &Env, target: &'static AssignTarget) -> Res<TargetRef> {
        match target {
            AssignTarget::Var { binding, .. } => Ok(TargetRef {
                object: None,
                key: None,
                value: self.read_binding(env, *binding)?,
            }),
            AssignTarget::Global { name, .. } => {
                Err(self.rt.reference_error(&format!("{name} is not defined")))
            }
            AssignTarget::Member {
                object, property, ..
            } => {
                let o = self.eval(env, object).await?;
                let k = self.member_key(env, property).await?;
                let value = self.rt.get(&o, &k)?;
                Ok(TargetRef {
                    object: Some(o),
                    key: Some(k),
                    value,
                })
            }
            AssignTarget::Pattern { .. } => Err(self
                .rt
                .error("SyntaxError", "Invalid left-hand side in assignment")),
        }
    }

    fn write_target(
        &self,
        env: &Env,
        target: &'static AssignTarget,
        r: &TargetRef,
        v: Value,
    ) -> Res<()> {
        match (target, &r.object, &r.key) {
            (AssignTarget::Var { binding, .. }, _, _) => self.assign_binding(env, *binding, v),
            (_, Some(o), Some(k)) => self.rt.set(o, k, v),
            _ => Ok(()),
        }
    }

    // ---- the primitives ------------------------------------------------------------------------------

    fn primitive_value(&self, p: Primitive) -> Value {
        let cx = self.clone_cx();
        self.rt.native_fn(p.name(), move |_, _, args| {
            let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
            Ok(match p {
                Primitive::Agent => cx.agent(arg(0), arg(1), None, "?".into()),
                Primitive::Parallel => cx.parallel(arg(0)),
                Primitive::Pipeline => cx.pipeline(arg(0), args.get(1..).unwrap_or(&[]).to_vec()),
                Primitive::Phase => {
                    cx.phase(arg(0))?;
                    Value::Undefined
                }
                Primitive::Log => {
                    cx.log(arg(0))?;
                    Value::Undefined
                }
                Primitive::Workflow => cx.workflow(arg(0), arg(1)),
            })
        })
    }

    fn budget(&self) -> Value {
        self.rt.budget.borrow().clone()
    }
}

struct TargetRef {
    object: Option<Value>,
    key: Option<JsStr>,
    value: Value,
}

enum Step {
    Next,
    Exit(Flow),
}

/// What a loop does with its body's completion.
fn loop_step(flow: Flow, labels: &[&'static str]) -> Step {
    match flow {
        Flow::Normal | Flow::Continue(None) => Step::Next,
        Flow::Continue(Some(l)) if labels.contains(&l) => Step::Next,
        Flow::Break(None) => Step::Exit(Flow::Normal),
        Flow::Break(Some(l)) if labels.contains(&l) => Step::Exit(Flow::Normal),
        other => Step::Exit(other),
    }
}

fn literal(l: &Literal) -> Value {
    match l {
        Literal::Undefined => Value::Undefined,
        Literal::Null => Value::Null,
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Number(n) => Value::Number(n.0),
        Literal::String(s) => Value::str(s),
    }
}

/// `**`: JavaScript differs from `powf` for a base of ±1 with an infinite or NaN exponent.
pub fn js_pow(base: f64, exp: f64) -> f64 {
    if exp.is_nan() || (base.abs() == 1.0 && exp.is_infinite()) {
        return f64::NAN;
    }
    base.powf(exp)
}

/// Whether an object has an own property (array elements included).
fn has_own(o: &Obj, key: &str) -> bool {
    let data = o.borrow();
    if let Kind::Array(items) = &data.kind {
        if key == "length" {
            return true;
        }
        if let Some(i) = array_index(key) {
            return (i as usize) < items.len();
        }
    }
    data.props.contains_key(key)
}

/// The own enumerable string keys, in JavaScript's order (`Object.keys`, `for…in`, spread).
pub fn enumerable_keys(v: &Value) -> Vec<JsStr> {
    match v {
        Value::Object(o) => {
            let data = o.borrow();
            let mut keys: Vec<JsStr> = match &data.kind {
                Kind::Array(items) => (0..items.len())
                    .map(|i| JsStr::from(i.to_string()))
                    .collect(),
                Kind::Primitive(Value::String(s)) => (0..super::value::utf16_len(s))
                    .map(|i| JsStr::from(i.to_string()))
                    .collect(),
                _ => Vec::new(),
            };
            keys.extend(ordered_keys(&data.props));
            keys
        }
        Value::String(s) => (0..super::value::utf16_len(s))
            .map(|i| JsStr::from(i.to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Iteration over the values `for…of`, spread and array destructuring accept.
pub enum Iter {
    /// Arrays are read live: elements pushed during the loop are visited, as in JavaScript.
    Array(Obj, usize),
    /// `Set`s and `Map`s are read live too (`builtins::collections::LiveCursor`); a `Map` gives
    /// `[key, value]` pairs.
    Collection {
        obj: Obj,
        cursor: LiveCursor,
        pairs: bool,
    },
    Values(std::vec::IntoIter<Value>),
}

impl Iter {
    /// A string iterates by code points.
    fn code_points(s: &str) -> Iter {
        let chars: Vec<Value> = s.chars().map(|c| Value::string(c.to_string())).collect();
        Iter::Values(chars.into_iter())
    }

    pub fn new(rt: &Rt, v: &Value, what: &str) -> Res<Iter> {
        match v {
            Value::String(s) => Ok(Iter::code_points(s)),
            Value::Object(o) => {
                let data = o.borrow();
                match &data.kind {
                    Kind::Array(_) => Ok(Iter::Array(o.clone(), 0)),
                    Kind::Set(_) | Kind::Map(_) => Ok(Iter::Collection {
                        obj: o.clone(),
                        cursor: LiveCursor::default(),
                        pairs: matches!(data.kind, Kind::Map(_)),
                    }),
                    Kind::Primitive(Value::String(s)) => Ok(Iter::code_points(s)),
                    _ => Err(rt.type_error(&format!("{what} is not iterable"))),
                }
            }
            // V8 names the expression: `for (const d of cfg.docs)` → "cfg.docs is not iterable".
            _ => Err(rt.type_error(&format!("{what} is not iterable"))),
        }
    }

    pub fn next(&mut self, rt: &Rt) -> Option<Value> {
        match self {
            Iter::Collection { obj, cursor, pairs } => {
                let (k, v) = cursor.next(obj)?;
                Some(if *pairs { rt.new_array(vec![k, v]) } else { v })
            }
            Iter::Array(o, i) => {
                let v = match &o.borrow().kind {
                    Kind::Array(items) => items.get(*i).cloned(),
                    _ => None,
                };
                *i += 1;
                v
            }
            Iter::Values(it) => it.next(),
        }
    }
}
