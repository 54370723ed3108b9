//! Calls: user functions, the workflow primitives, and dispatch to built-ins.

use wfc_ir::{
    AgentCall, AgentOptions, Argument, Expr, ExprKind, FunctionBody, MemberProp, OptionKey, Span,
};

use super::super::plan::{FanKind, Plan, RepeatKind};
use super::super::sym::{Count, Reason, Sym};
use super::super::value::{Funcs, Val};
use super::expr::top_array;
use super::{FanCall, Interp};

/// Evaluated call arguments: one value per argument (a spread of unknown length stands as one
/// `Top`), and how many arguments are really passed.
pub(super) struct Args {
    pub vals: Vec<Val>,
    pub count: Sym,
}

impl Args {
    pub fn get(&self, i: usize) -> Val {
        self.vals.get(i).cloned().unwrap_or(Val::Undefined)
    }
}

impl<'w> Interp<'w> {
    pub(super) fn eval_args(&mut self, args: &'w [Argument]) -> Args {
        let mut vals = Vec::with_capacity(args.len());
        // Most calls spread nothing: their count is a number, added up once.
        let mut positional = 0u32;
        let mut spread: Option<Sym> = None;
        for a in args {
            let v = self.eval(&a.expr);
            if a.spread {
                let arr = v
                    .as_array(a.expr.span)
                    .unwrap_or_else(|| top_array(a.expr.span));
                spread = Some(match spread {
                    Some(s) => s.add(&arr.len.hi),
                    None => arr.len.hi.clone(),
                });
                match arr.items {
                    Some(items) => vals.extend(items),
                    None => vals.push((*arr.elem).clone()),
                }
            } else {
                positional += 1;
                vals.push(v);
            }
        }
        let count = Sym::num(f64::from(positional));
        let count = match spread {
            Some(s) => count.add(&s),
            None => count,
        };
        Args { vals, count }
    }

    pub(super) fn eval_call(
        &mut self,
        callee: &'w Expr,
        args: &'w [Argument],
        optional: bool,
        span: Span,
    ) -> Val {
        if let ExprKind::Member {
            object,
            property,
            optional: opt_member,
        } = &callee.kind
        {
            if let (ExprKind::Var { binding, .. }, MemberProp::Named { name, .. }, false) =
                (&object.kind, property, *opt_member)
            {
                if let Some(v) = self.lazy_mutation(*binding, name, args, span) {
                    return v;
                }
            }
            let recv = self.eval_raw(object);
            if *opt_member && recv.is_nullish() {
                return Val::Undefined;
            }
            let name = match property {
                MemberProp::Named { name, .. } => Some(name.clone()),
                MemberProp::Computed { expr } => match self.eval(expr) {
                    Val::Str(Some(s)) => Some(s),
                    _ => None,
                },
            };
            // `o?.m()` with `o` possibly missing, or `o.m?.()`, may call nothing and give
            // `undefined` (a function value cannot say whether it may be missing).
            let maybe_skipped = optional || (*opt_member && recv.maybe_nullish());
            let vals = self.eval_args(args);
            let result = match name {
                Some(n) => self.call_method(&recv, &n, vals, span, args),
                None => {
                    // `obj[key](…)`: any function stored in the object may be the one called.
                    let f = match &recv {
                        Val::Obj(o) => o
                            .fields
                            .values()
                            .cloned()
                            .reduce(|a, b| a.join(&b))
                            .unwrap_or(Val::Top),
                        _ => Val::Top,
                    };
                    self.call_value(&f, vals.vals, span)
                }
            };
            return if maybe_skipped {
                result.join(&Val::Undefined)
            } else {
                result
            };
        }
        let f = self.eval(callee);
        if optional && f.is_nullish() {
            return Val::Undefined;
        }
        let vals = self.eval_args(args);
        let result = self.call_value(&f, vals.vals, span);
        if optional {
            result.join(&Val::Undefined)
        } else {
            result
        }
    }

    /// `results.push(x)`, `seen.add(x)`, `byKey.set(k, v)` on a binding whose allocation's
    /// growth is applied lazily (see `Interp::lazy`): records the growth without reading the
    /// binding, so the growth read later covers it. `None` when the call is anything else.
    fn lazy_mutation(
        &mut self,
        binding: wfc_ir::BindingId,
        name: &str,
        args: &'w [Argument],
        span: Span,
    ) -> Option<Val> {
        if !self.lazy.contains_key(&binding) {
            return None;
        }
        let discarded = self.discarded_call == Some(span);
        let recv = self.env_get(binding)?.clone();
        let pushes = matches!((&recv, name), (Val::Arr(_), "push" | "unshift"));
        // `add` and `set` return the collection itself: only when that value is discarded.
        let inserts =
            discarded && matches!((&recv, name), (Val::Set(_), "add") | (Val::Map(_), "set"));
        if !pushes && !inserts {
            return None;
        }
        let args = self.eval_args(args);
        if pushes {
            let elem = super::builtins::join_all(&args.vals);
            self.grow(&recv, &args.count, &elem);
            // The new length would need the growth read; any non-negative number stands for it.
            return Some(Val::Num(super::super::value::Num::new(
                None,
                None,
                Some(0.0),
            )));
        }
        let elem = args.get(if name == "set" { 1 } else { 0 });
        self.grow(&recv, &Sym::one(), &elem);
        Some(Val::Undefined)
    }

    pub(super) fn eval_new(&mut self, callee: &'w Expr, args: &'w [Argument], span: Span) -> Val {
        let f = self.eval(callee);
        let vals = self.eval_args(args);
        match &f {
            Val::Global(g) => self.construct(g, vals, span),
            _ => self.call_value(&f, vals.vals, span),
        }
    }

    /// Calls a function value with already evaluated arguments.
    pub(super) fn call_value(&mut self, f: &Val, args: Vec<Val>, span: Span) -> Val {
        match f {
            Val::Func(ids) => {
                // One of these functions is called: each at most once.
                if ids.len() == 1 {
                    return self.call_function(ids[0], &args, span);
                }
                let mut out: Option<Val> = None;
                let mut plans = Vec::new();
                for id in ids.iter().copied() {
                    let (v, p) = self.capture(|it| it.call_function(id, &args, span));
                    plans.push(p);
                    out = Some(match out {
                        Some(o) => o.join(&v),
                        None => v,
                    });
                }
                self.emit(Plan::alt(plans));
                out.unwrap_or(Val::Top)
            }
            Val::Global(g) => {
                let g = g.clone();
                self.call_global(&g, args, span)
            }
            Val::Primitive(p) => {
                self.untracked.push(Reason {
                    span,
                    why: format!(
                        "`{}` is called indirectly, so its calls are not counted",
                        p.name()
                    ),
                });
                Val::Top
            }
            _ => {
                self.escape(
                    &args,
                    span,
                    "is passed to a function the analysis cannot see",
                );
                Val::Top
            }
        }
    }

    /// Functions handed to code the analysis cannot follow may run any number of times.
    pub(super) fn escape(&mut self, args: &[Val], span: Span, why: &str) {
        let mut ids = Vec::new();
        for a in args {
            reachable_functions(a, ESCAPE_DEPTH, &mut ids);
        }
        if ids.is_empty() {
            return;
        }
        let count = Count::at_most(Sym::unbounded(span, format!("a callback {why}")));
        for id in ids {
            let (_, p) = self.repeated(&count, |it| it.call_function(id, &[], span));
            self.emit(Plan::repeat(count.clone(), p, span, RepeatKind::Callback));
        }
    }

    /// Evaluates a user function's body for one call.
    pub(super) fn call_function(&mut self, id: wfc_ir::ScopeId, args: &[Val], span: Span) -> Val {
        let Some(f) = self.facts.funcs.get(id) else {
            return Val::Top;
        };
        if self.stack.contains(&id) {
            // The outermost call of the function will repeat its body without a bound.
            self.recursive.insert(id);
            return Val::Top;
        }
        self.evaluated.set(id, true);
        self.stack.push(id);
        for (i, p) in f.params.iter().enumerate() {
            let v = if p.rest {
                Val::array_of(
                    Count::at_most(Sym::num(args.len().saturating_sub(i) as f64)),
                    Val::Top,
                )
            } else {
                args.get(i).cloned().unwrap_or(Val::Undefined)
            };
            self.bind(&p.pattern, v, false);
        }
        if let Some(b) = f.self_binding {
            self.declare(b, Val::Func(Funcs::One(id)));
        }
        let outer_exits = self.exits;
        let (ret, plan) = self.capture(|it| match &f.body {
            FunctionBody::Expr { expr } => it.eval(expr),
            FunctionBody::Block { block } => {
                it.returns.push(Vec::new());
                it.eval_stmts(&block.stmts);
                let mut rs = it.returns.pop().unwrap_or_default();
                // Falling off the end returns `undefined`.
                if !block.stmts.iter().any(super::refine::never_completes) {
                    rs.push(Val::Undefined);
                }
                rs.into_iter()
                    .reduce(|a, b| a.join(&b))
                    .unwrap_or(Val::Undefined)
            }
        });
        self.exits = outer_exits;
        self.stack.pop();
        if !self.stack.contains(&id) && self.recursive.remove(&id) {
            let why = format!(
                "`{}` calls itself; recursion has no static bound",
                f.name.as_deref().unwrap_or("a function")
            );
            let count = Count::at_most(Sym::unbounded(f.span, why));
            self.emit(Plan::repeat(count, plan, span, RepeatKind::Callback));
            return Val::Top;
        }
        self.emit(plan);
        if f.is_async {
            Val::promise(ret.awaited())
        } else {
            ret
        }
    }

    /// Calls a function value `count` times concurrently or in sequence, with the given arguments,
    /// and returns the joined result and the plan of one call.
    pub(super) fn call_each(
        &mut self,
        f: &Val,
        count: &Count,
        args: Vec<Val>,
        span: Span,
    ) -> (Val, Plan) {
        let f = f.clone();
        self.repeated(count, move |it| it.call_value(&f, args, span))
    }

    pub(super) fn eval_agent(&mut self, call: &'w AgentCall, span: Span) -> Val {
        self.eval(&call.prompt);
        let mut schema = None;
        match &call.options {
            Some(AgentOptions::Literal { entries, .. }) => {
                for en in entries {
                    match en {
                        wfc_ir::AgentOption::Known { key, value, .. } => {
                            let v = self.eval(value);
                            if *key == OptionKey::Schema {
                                schema = Some(v);
                            }
                        }
                        wfc_ir::AgentOption::Unknown { value, .. } => {
                            self.eval(value);
                        }
                        wfc_ir::AgentOption::Computed { key, value } => {
                            self.eval(key);
                            self.eval(value);
                        }
                        wfc_ir::AgentOption::Spread { expr } => {
                            if let Val::Obj(o) = self.eval(expr) {
                                if let Some(s) = o.fields.get("schema") {
                                    schema = Some(s.clone());
                                }
                            }
                        }
                    }
                }
            }
            Some(AgentOptions::Dynamic { expr }) => {
                if let Val::Obj(o) = self.eval(expr) {
                    schema = o.fields.get("schema").cloned();
                }
            }
            None => {}
        }
        for a in &call.extra {
            self.eval(&a.expr);
        }
        self.emit(Plan::Agent { site: call.site });
        let result = match schema {
            None | Some(Val::Undefined) | Some(Val::Null) => Val::Str(None),
            Some(s) => self.schema_value(&s, call.site, span),
        };
        // The call resolves to `null` when the agent fails.
        Val::promise(result.join(&Val::Null))
    }

    pub(super) fn eval_parallel(
        &mut self,
        thunks: &'w Expr,
        extra: &'w [Argument],
        span: Span,
    ) -> Val {
        let v = self.eval(thunks);
        for a in extra {
            self.eval(&a.expr);
        }
        let arr = v
            .as_array(thunks.span)
            .unwrap_or_else(|| top_array(thunks.span));
        let width = self.named_width(&arr.len, thunks);
        self.fans.push(FanCall {
            span,
            pipeline: false,
            width: width.clone(),
        });
        let result_elem = match &arr.items {
            Some(items) => {
                let mut plans = Vec::new();
                let mut out = Val::Null;
                for item in items {
                    let (r, p) = self.call_thunk(item, span);
                    plans.push(p);
                    out = out.join(&r);
                }
                self.emit(Plan::all(plans, span, FanKind::Parallel));
                out
            }
            None => {
                let elem = (*arr.elem).clone();
                let (r, p) = {
                    let m = self.mult.mul(&width);
                    let saved = std::mem::replace(&mut self.mult, m);
                    let out = self.call_thunk(&elem, span);
                    self.mult = saved;
                    out
                };
                self.emit(Plan::fan(width.clone(), p, span, FanKind::Parallel));
                r.join(&Val::Null)
            }
        };
        Val::promise(Val::array_of(width, result_elem))
    }

    /// Runs one `parallel()` item: a thunk is called; anything else (a promise) was started
    /// already when the array was built.
    fn call_thunk(&mut self, item: &Val, span: Span) -> (Val, Plan) {
        match item {
            Val::Func(_) | Val::Top | Val::Global(_) => {
                let f = item.clone();
                let (v, p) = self.capture(move |it| it.call_value(&f, Vec::new(), span).awaited());
                (v, p.awaited())
            }
            other => (other.clone().awaited(), Plan::empty()),
        }
    }

    pub(super) fn eval_pipeline(
        &mut self,
        items: &'w Expr,
        stages: &'w [Argument],
        span: Span,
    ) -> Val {
        let v = self.eval(items);
        // Each stage, or for a spread of stages not known one by one, how many there are and
        // what each may be.
        let mut stage_vals: Vec<(Option<Count>, Val)> = Vec::new();
        for s in stages {
            let val = self.eval(&s.expr);
            if !s.spread {
                stage_vals.push((None, val));
                continue;
            }
            let spread = val
                .as_array(s.expr.span)
                .unwrap_or_else(|| top_array(s.expr.span));
            match spread.items {
                Some(items) => stage_vals.extend(items.into_iter().map(|v| (None, v))),
                None => stage_vals.push((Some(spread.len), *spread.elem)),
            }
        }
        let arr = v
            .as_array(items.span)
            .unwrap_or_else(|| top_array(items.span));
        let width = self.named_width(&arr.len, items);
        self.fans.push(FanCall {
            span,
            pipeline: true,
            width: width.clone(),
        });
        let item = (*arr.elem).clone();
        let m = self.mult.mul(&width);
        let saved = std::mem::replace(&mut self.mult, m);
        let (last, body) = self.capture(|it| {
            let mut prev = item.clone();
            let index = Val::num_at_most(width.hi.clone());
            for (k, (times, stage)) in stage_vals.iter().enumerate() {
                if let Some(times) = times {
                    // Some number of stages, each any of these: each gets what an unknown stage
                    // before it returned.
                    let args = vec![Val::Top, item.clone(), index.clone()];
                    let (r, p) =
                        it.repeated(times, |it| it.call_value(stage, args, span).awaited());
                    let p = Plan::repeat(times.clone(), p.awaited(), span, RepeatKind::Callback);
                    it.emit(if k == 0 { p } else { p.maybe_if(it.exits) });
                    prev = prev.join(&r);
                    continue;
                }
                let args = vec![prev.clone(), item.clone(), index.clone()];
                let (r, p) = it.capture(|it| it.call_value(stage, args, span).awaited());
                let p = p.awaited();
                // A stage that throws skips the rest of that item's stages.
                it.emit(if k == 0 { p } else { p.maybe_if(it.exits) });
                prev = r;
            }
            prev
        });
        self.mult = saved;
        self.emit(Plan::fan(width.clone(), body, span, FanKind::Pipeline));
        Val::promise(Val::array_of(width, last.join(&Val::Null)))
    }

    pub(super) fn eval_workflow(&mut self, args: &'w [Argument], span: Span) -> Val {
        for a in args {
            self.eval(&a.expr);
        }
        self.untracked.push(Reason {
            span,
            why: "a child workflow's agents count toward this run's cap, and wfc does not analyse the child"
                .into(),
        });
        Val::Promise(Box::new(Val::Top))
    }

    /// A fan-out width whose unbounded reason names the expression fanned out over.
    pub(super) fn named_width(&self, len: &Count, over: &Expr) -> Count {
        match &len.hi {
            Sym::Unbounded { reason } => {
                let why = if reason.why.starts_with("its length") {
                    format!(
                        "the length of `{}` is not known statically",
                        self.source(over.span)
                    )
                } else {
                    reason.why.clone()
                };
                Count {
                    lo: len.lo,
                    hi: Sym::Unbounded {
                        reason: Box::new(Reason {
                            span: if reason.span == Span::default() {
                                over.span
                            } else {
                                reason.span
                            },
                            why,
                        }),
                    },
                }
            }
            Sym::Finite { .. } => len.clone(),
        }
    }
}

impl Plan {
    pub(super) fn maybe_if(self, cond: bool) -> Plan {
        if cond {
            self.maybe()
        } else {
            self
        }
    }
}

/// How deep [`reachable_functions`] looks into arrays and objects: `run({ round: () => … })`
/// and `run([() => …])` are common, deeper nesting is not.
const ESCAPE_DEPTH: usize = 4;

/// The closures a value holds, directly or in its elements, fields or resolved value: all of
/// them may be called by a function that receives it.
fn reachable_functions(v: &Val, depth: usize, out: &mut Vec<wfc_ir::ScopeId>) {
    match v {
        Val::Func(ids) => {
            for id in ids.iter() {
                if !out.contains(id) {
                    out.push(*id);
                }
            }
        }
        _ if depth == 0 => {}
        Val::Arr(a) => {
            for x in a.items.iter().flatten() {
                reachable_functions(x, depth - 1, out);
            }
            reachable_functions(&a.elem, depth - 1, out);
        }
        Val::Obj(o) => {
            for x in o.fields.values() {
                reachable_functions(x, depth - 1, out);
            }
        }
        Val::Set(c) | Val::Map(c) => reachable_functions(&c.elem, depth - 1, out),
        Val::Promise(inner) => reachable_functions(inner, depth - 1, out),
        _ => {}
    }
}
