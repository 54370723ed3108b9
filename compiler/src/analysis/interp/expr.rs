//! Expressions.

use std::rc::Rc;

use wfc_ir::{
    ArrayElement, AssignOp, AssignTarget, BinaryOp, Expr, ExprKind, Literal, LogicalOp, MemberProp,
    ObjectProp, PropKey, UnaryOp, UpdateOp,
};

use super::super::fields::Fields;
use super::super::plan::Plan;
use super::super::sym::{Count, Sym};
use super::super::value::{Alloc, Allocs, Arr, Funcs, Obj, Val};
use super::Interp;

impl<'w> Interp<'w> {
    /// Evaluates an expression. Work it starts but does not await (an agent promise stored in a
    /// variable, an element of a `Promise.all` array) runs concurrently with what follows.
    pub(super) fn eval(&mut self, e: &'w Expr) -> Val {
        match &e.kind {
            ExprKind::Agent(_)
            | ExprKind::Call { .. }
            | ExprKind::New { .. }
            | ExprKind::Parallel { .. }
            | ExprKind::Pipeline { .. }
            | ExprKind::Workflow { .. }
            | ExprKind::Chain { .. } => {
                let (v, p) = self.capture(|it| it.eval_raw(e));
                if matches!(v, Val::Promise(_)) {
                    self.emit(p.spawn());
                } else {
                    self.emit(p);
                }
                v
            }
            _ => self.eval_raw(e),
        }
    }

    pub(super) fn eval_raw(&mut self, e: &'w Expr) -> Val {
        if !self.step(e.span) {
            return Val::Top;
        }
        match &e.kind {
            ExprKind::Literal { value } => match value {
                Literal::Undefined => Val::Undefined,
                Literal::Null => Val::Null,
                Literal::Bool(b) => Val::Bool(Some(*b)),
                Literal::Number(n) => Val::num(n.0),
                Literal::String(s) => Val::str(s.clone()),
            },
            ExprKind::Regex { .. } => Val::Top,
            ExprKind::Template { quasis, exprs } => {
                // Built only while every part is known; the parts are evaluated regardless.
                let mut out = Some(wfc_ir::Name::default());
                for (i, q) in quasis.iter().enumerate() {
                    if let Some(o) = &mut out {
                        o.push_str(q);
                    }
                    if let Some(x) = exprs.get(i) {
                        match (self.eval(x), &mut out) {
                            (Val::Str(Some(s)), Some(o)) => o.push_str(&s),
                            _ => out = None,
                        }
                    }
                }
                Val::Str(out.filter(|o| o.len() <= MAX_KNOWN_STRING))
            }
            ExprKind::TaggedTemplate(tagged) => {
                let t = self.eval(&tagged.tag);
                for x in &tagged.exprs {
                    self.eval(x);
                }
                self.call_value(&t, Vec::new(), e.span)
            }
            ExprKind::Var { binding, .. } => self.read(*binding),
            ExprKind::Global { name } => Val::Global(name.clone()),
            ExprKind::Args => self.args.clone(),
            ExprKind::Budget => Val::Budget,
            ExprKind::PrimitiveRef { primitive } => {
                use wfc_ir::Primitive as P;
                if matches!(
                    primitive,
                    P::Agent | P::Parallel | P::Pipeline | P::Workflow
                ) {
                    self.untracked.push(super::super::sym::Reason {
                        span: e.span,
                        why: format!(
                            "`{}` is used as a value (`.call`, `.bind`, stored or passed on), so the agents it starts are not counted",
                            primitive.name()
                        ),
                    });
                }
                Val::Primitive(*primitive)
            }
            ExprKind::Array { elements } => self.eval_array(elements, e.span),
            ExprKind::Object { props } => self.eval_object(props, e.span),
            ExprKind::Function { function } => Val::Func(Funcs::One(function.scope)),
            ExprKind::Unary {
                op: UnaryOp::Delete,
                arg,
            } => {
                // The property may be gone: it reads as anything from now on (a schema without
                // its `maxItems` has no limit, a value of `undefined` would say it has one).
                if let ExprKind::Member {
                    object, property, ..
                } = &arg.kind
                {
                    let o = self.eval(object);
                    let key = self.member_key(property).ok();
                    if matches!(o, Val::Obj(_)) {
                        self.write_field(&o, key.as_deref().unwrap_or("*"), &Val::Top);
                    }
                } else {
                    self.eval(arg);
                }
                Val::Bool(None)
            }
            ExprKind::Unary { op, arg } => {
                let v = self.eval(arg);
                match op {
                    UnaryOp::TypeOf => Val::Str(v.type_of().map(Into::into)),
                    UnaryOp::Not => Val::Bool(v.truthy().map(|t| !t)),
                    UnaryOp::Delete => Val::Bool(None),
                    UnaryOp::Void => Val::Undefined,
                    UnaryOp::Minus => match v.exact_num() {
                        Some(n) => Val::num(-n),
                        None => Val::any_num(),
                    },
                    UnaryOp::Plus => match v {
                        Val::Num(_) => v,
                        Val::Input(p) => Val::num_at_most(Sym::value_of(&p)),
                        _ => Val::any_num(),
                    },
                    UnaryOp::BitNot => Val::any_num(),
                }
            }
            ExprKind::Update { target, op, .. } => {
                if let (AssignTarget::Var { binding, .. }, UpdateOp::Increment) = (&**target, op) {
                    if let Some(v) = self.count_up(*binding, 1.0, e.span) {
                        return v;
                    }
                }
                let cur = self.read_target(target);
                let next = arith(BinaryOp::Add, &cur, &Val::num(1.0));
                self.assign_to(target, next.clone());
                next
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.eval(left);
                let r = self.eval(right);
                arith(*op, &l, &r)
            }
            ExprKind::Logical { op, left, right } => {
                let l = self.eval(left);
                let ((r, p), changes) = self.branch(|it| it.optional(|it| it.eval(right)));
                self.merge(vec![changes], true);
                self.emit(p.maybe());
                match op {
                    // What is certainly skipped joins nothing (its code still counts, as code
                    // that may run): `undefined || 8` is 8, exactly.
                    LogicalOp::Nullish if !l.maybe_nullish() => l,
                    LogicalOp::Nullish if l.is_nullish() => r,
                    LogicalOp::And if l.truthy() == Some(false) => l,
                    LogicalOp::And if l.truthy() == Some(true) => r,
                    LogicalOp::Or if l.truthy() == Some(true) => l,
                    LogicalOp::Or if l.truthy() == Some(false) => r,
                    // `x && y` is `y` or what `x` is when falsy, which never calls, iterates or
                    // counts anything: `(args && args.rounds) || 5` is `args.rounds` or 5, and
                    // `x && f` calls `f` whatever `x` is.
                    LogicalOp::And => r.join(&l.falsy_part()),
                    LogicalOp::Or => l.truthy_part().join(&r),
                    _ => l.join(&r),
                }
            }
            ExprKind::Assign { op, target, value } => {
                if let (
                    AssignTarget::Var { binding, .. },
                    AssignOp::Compound(BinaryOp::Add),
                    ExprKind::Literal {
                        value: Literal::Number(k),
                    },
                ) = (&**target, op, &value.kind)
                {
                    if let Some(v) = self.count_up(*binding, k.0, e.span) {
                        return v;
                    }
                }
                let v = match op {
                    AssignOp::Assign => self.eval(value),
                    AssignOp::Compound(bop) => {
                        let cur = self.read_target(target);
                        let r = self.eval(value);
                        arith(*bop, &cur, &r)
                    }
                    AssignOp::Logical(_) => {
                        let cur = self.read_target(target);
                        let (r, p) = self.optional(|it| it.eval(value));
                        self.emit(p.maybe());
                        cur.join(&r)
                    }
                };
                self.assign_to(target, v.clone());
                v
            }
            ExprKind::Conditional {
                test,
                consequent,
                alternate,
            } => {
                let truthy = self.eval(test).truthy();
                let cap = self.length_cap(test);
                let ((a, pa), ca) = self.branch(|it| it.optional(|it| it.eval(consequent)));
                // `xs.length > N ? xs.slice(0, N) : xs`: where the test failed, `xs` is short.
                let ((b, pb), cb) = self.branch(|it| {
                    if let Some(cap) = &cap {
                        it.cap_length(cap);
                    }
                    it.optional(|it| it.eval(alternate))
                });
                self.merge(vec![ca, cb], false);
                self.emit(Plan::alt(vec![pa, pb]));
                // A test known from the values (`--args`) picks the value; both branches still
                // count as code that may run.
                match truthy {
                    Some(true) => a,
                    Some(false) => b,
                    None => a.join(&b),
                }
            }
            ExprKind::Call {
                callee,
                args,
                optional,
            } => self.eval_call(callee, args, *optional, e.span),
            ExprKind::New { callee, args } => self.eval_new(callee, args, e.span),
            ExprKind::Member {
                object,
                property,
                optional,
            } => {
                let o = self.eval(object);
                if *optional && matches!(o, Val::Null | Val::Undefined) {
                    return Val::Undefined;
                }
                self.get(&o, property)
            }
            ExprKind::Chain { expr } => self.eval_raw(expr),
            ExprKind::Await { arg } => {
                let (v, p) = self.capture(|it| it.eval_raw(arg));
                self.emit(p.awaited());
                v.awaited()
            }
            ExprKind::Sequence { exprs } => {
                let mut last = Val::Undefined;
                for x in exprs {
                    last = self.eval(x);
                }
                last
            }
            ExprKind::Agent(call) => self.eval_agent(call, e.span),
            ExprKind::Parallel { thunks, extra } => self.eval_parallel(thunks, extra, e.span),
            ExprKind::Pipeline { items, stages } => self.eval_pipeline(items, stages, e.span),
            ExprKind::Phase { args } | ExprKind::Log { args } => {
                for a in args {
                    self.eval(&a.expr);
                }
                Val::Undefined
            }
            ExprKind::Workflow { args } => self.eval_workflow(args, e.span),
            ExprKind::Import { arg } => {
                self.eval(arg);
                Val::Promise(Box::new(Val::Top))
            }
            ExprKind::Invalid => Val::Top,
        }
    }

    fn eval_array(&mut self, elements: &'w [ArrayElement], span: wfc_ir::Span) -> Val {
        let mut items = Some(Vec::new());
        let mut len = Count::zero();
        let mut elem = None::<Val>;
        for el in elements {
            let (v, n) = match el {
                ArrayElement::Expr { expr } => (self.eval(expr), Count::one()),
                ArrayElement::Hole => (Val::Undefined, Count::one()),
                ArrayElement::Spread { expr } => {
                    let v = self.eval(expr);
                    let a = v
                        .as_array(expr.span)
                        .unwrap_or_else(|| top_array(expr.span));
                    match (&mut items, &a.items) {
                        (Some(list), Some(inner)) => list.extend(inner.iter().cloned()),
                        _ => items = None,
                    }
                    len = len.add(&a.len);
                    elem = Some(match elem {
                        Some(x) => x.join(&a.elem),
                        None => (*a.elem).clone(),
                    });
                    continue;
                }
            };
            if let Some(list) = &mut items {
                list.push(v.clone());
            }
            len = len.add(&n);
            elem = Some(match elem {
                Some(x) => x.join(&v),
                None => v,
            });
        }
        self.new_array(
            span,
            Arr {
                len,
                elem: Box::new(elem.unwrap_or(Val::Undefined)),
                items,
                allocs: Allocs::default(),
            },
        )
    }

    fn eval_object(&mut self, props: &'w [ObjectProp], span: wfc_ir::Span) -> Val {
        let mut fields = Fields::new();
        let mut open = false;
        let mut spread_partial = false;
        for p in props {
            match p {
                ObjectProp::KeyValue { key, value } => {
                    let k = self.prop_key(key);
                    let v = self.eval(value);
                    match k {
                        Some(k) => {
                            fields.insert(k, v);
                        }
                        None => open = true,
                    }
                }
                ObjectProp::Spread { expr } => match self.eval(expr) {
                    Val::Obj(o) => {
                        // A spread of what may be `null` adds no key at all, and its fields
                        // keep no guarantee.
                        if o.nullable {
                            fields.extend(o.fields.keys().map(|k| (k.clone(), o.field(k))));
                        } else {
                            fields.extend(o.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
                        }
                        open |= o.open;
                        spread_partial |= o.partial || o.nullable;
                    }
                    Val::Null | Val::Undefined => {}
                    _ => open = true,
                },
            }
        }
        let alloc = Alloc::at(span);
        let literal_open = open;
        let mut computed_writes = false;
        // A field written later is absent until then.
        let mut partial = spread_partial;
        if let Some(written) = self.written_fields(&alloc) {
            for (k, v) in &written {
                if k == "*" {
                    open = true;
                    computed_writes = true;
                    continue;
                }
                let cur = match fields.remove(k.as_str()) {
                    Some(cur) => cur,
                    None => {
                        partial = true;
                        Val::Undefined
                    }
                };
                fields.insert(k.as_str().into(), cur.join(v));
            }
        }
        // A dictionary filled by computed keys (`byFile[f.file] ||= []`): its listed keys and
        // one more per write.
        let key_bound = (computed_writes && !literal_open).then(|| {
            let added = self.growth_of(&alloc.keys());
            Sym::num(fields.len() as f64).add(&added)
        });
        Val::Obj(Rc::new(Obj {
            fields,
            open,
            allocs: Allocs::one(alloc),
            input: None,
            partial,
            key_bound,
            nullable: false,
        }))
    }

    /// The name a member expression writes or deletes, or the value of a computed key that is
    /// not a known string (an index, or unknown).
    fn member_key(&mut self, property: &'w MemberProp) -> Result<wfc_ir::Name, Val> {
        match property {
            MemberProp::Named { name, .. } => Ok(name.clone()),
            MemberProp::Computed { expr } => match self.eval(expr) {
                Val::Str(Some(s)) => Ok(s),
                other => Err(other),
            },
        }
    }

    pub(super) fn prop_key(&mut self, key: &'w PropKey) -> Option<wfc_ir::Name> {
        match key {
            PropKey::Named { name, .. } => Some(name.clone()),
            PropKey::Computed { expr } => match self.eval(expr) {
                Val::Str(Some(s)) => Some(s),
                Val::Num(n) => n.exact().map(|v| wfc_ir::number_to_js_string(v).into()),
                _ => None,
            },
        }
    }

    /// Reads `obj.prop` / `obj[expr]`.
    pub(super) fn get(&mut self, o: &Val, prop: &'w MemberProp) -> Val {
        match prop {
            MemberProp::Named { name, .. } => self.get_named(o, name),
            MemberProp::Computed { expr } => {
                let k = self.eval(expr);
                match (&k, o) {
                    (Val::Str(Some(s)), _) => self.get_named(o, s),
                    (_, Val::Arr(a)) => match (k.exact_num(), &a.items) {
                        (Some(i), Some(items)) if i >= 0.0 => {
                            items.get(i as usize).cloned().unwrap_or(Val::Undefined)
                        }
                        // An index below the guaranteed length reads an element; any other may
                        // be past the end.
                        (Some(i), None) if i >= 0.0 && i.fract() == 0.0 && i < a.len.lo as f64 => {
                            (*a.elem).clone()
                        }
                        _ => a.elem.join(&Val::Undefined),
                    },
                    (_, Val::Input(p)) => Val::Input(wfc_ir::format_compact!("{p}[]")),
                    // Any field, or none: the key may name no field.
                    (_, Val::Obj(obj)) if !obj.open && !obj.fields.is_empty() => {
                        obj.fields.values().fold(Val::Undefined, |a, b| a.join(b))
                    }
                    (_, Val::Obj(_)) => Val::Top,
                    (_, Val::Str(_)) => Val::Str(None),
                    _ => Val::Top,
                }
            }
        }
    }

    pub(super) fn get_named(&mut self, o: &Val, name: &str) -> Val {
        match o {
            Val::Obj(obj) => obj.field(name),
            Val::Arr(a) => match name {
                "length" => len_val(&a.len),
                _ => Val::Top,
            },
            Val::Input(p) => Val::Input(wfc_ir::format_compact!("{p}.{name}")),
            Val::Str(s) => match name {
                "length" => match s {
                    Some(s) => Val::num(s.encode_utf16().count() as f64),
                    None => Val::any_num(),
                },
                _ => Val::Top,
            },
            Val::Set(c) | Val::Map(c) => match name {
                "size" => len_val(&c.size),
                _ => Val::Top,
            },
            Val::Budget => match name {
                "total" => Val::any_num(),
                _ => Val::Top,
            },
            Val::Global(g) => match (g.as_str(), name) {
                ("Math", "PI") => Val::num(std::f64::consts::PI),
                ("Math", "E") => Val::num(std::f64::consts::E),
                ("Number", _) => Val::any_num(),
                _ => Val::Top,
            },
            Val::Null | Val::Undefined => Val::Undefined,
            _ => Val::Top,
        }
    }

    pub(super) fn read_target(&mut self, t: &'w AssignTarget) -> Val {
        match t {
            AssignTarget::Var { binding, .. } => self.read(*binding),
            AssignTarget::Member {
                object, property, ..
            } => {
                let o = self.eval(object);
                self.get(&o, property)
            }
            AssignTarget::Global { .. } | AssignTarget::Pattern { .. } => Val::Top,
        }
    }

    pub(super) fn assign_to(&mut self, t: &'w AssignTarget, v: Val) {
        match t {
            AssignTarget::Var { binding, .. } => self.write(*binding, v),
            AssignTarget::Member {
                object, property, ..
            } => {
                let o = self.eval(object);
                let (key, index) = match self.member_key(property) {
                    Ok(key) => (Some(key), None),
                    Err(index) => (None, Some(index)),
                };
                if o.allocs().is_empty() {
                    self.input_changed(&o, t_span(t));
                }
                match (&o, key) {
                    // `arr[i] = x` makes the array up to `i + 1` long.
                    (Val::Arr(_), None) => {
                        let added = match index.as_ref().and_then(Val::num_hi) {
                            Some(h) => h.add(&Sym::one()),
                            None => Sym::unbounded(
                                t_span(t),
                                "an element is written at an index that is not known statically",
                            ),
                        };
                        self.grow(&o, &added, &v)
                    }
                    (Val::Arr(_), Some(k)) if k == "length" => {
                        let n = v.num_hi().unwrap_or_else(|| {
                            Sym::unbounded(
                                t_span(t),
                                "an array's `length` is set to an unknown value",
                            )
                        });
                        self.grow(&o, &n, &Val::Undefined);
                        self.shrink(&o);
                    }
                    (Val::Arr(_), Some(k)) if k.parse::<u32>().is_ok() => {
                        let i: f64 = k.parse().unwrap_or(0.0);
                        self.grow(&o, &Sym::num(i + 1.0), &v);
                    }
                    (Val::Map(_) | Val::Set(_), _) => {}
                    (_, Some(k)) => self.write_field(&o, &k, &v),
                    (_, None) => {
                        self.write_field(&o, "*", &v);
                        self.grow_keys(&o, &Sym::one());
                    }
                }
            }
            AssignTarget::Global { .. } => {}
            AssignTarget::Pattern { pattern } => self.bind(pattern, v, true),
        }
    }
}

fn t_span(t: &AssignTarget) -> wfc_ir::Span {
    match t {
        AssignTarget::Var { span, .. }
        | AssignTarget::Global { span, .. }
        | AssignTarget::Member { span, .. } => *span,
        AssignTarget::Pattern { .. } => wfc_ir::Span::default(),
    }
}

pub(super) fn len_val(c: &Count) -> Val {
    let exact = match c.hi.as_constant() {
        Some(h) if h == c.lo as f64 => Some(h),
        _ => None,
    };
    Val::Num(super::super::value::Num::new(
        exact,
        Some(c.hi.clone()),
        Some(c.lo as f64),
    ))
}

pub(super) fn top_array(span: wfc_ir::Span) -> Arr {
    Arr {
        len: Count::at_most(Sym::unbounded(span, "its length is not known statically")),
        elem: Box::new(Val::Top),
        items: None,
        allocs: Allocs::default(),
    }
}

/// Longer strings built by the script (prompts) are not tracked: the analysis only needs short
/// ones (keys, modes, `typeof` results), and copying long ones around costs time.
const MAX_KNOWN_STRING: usize = 256;

/// Arithmetic and comparisons over abstract values.
pub(super) fn arith(op: BinaryOp, l: &Val, r: &Val) -> Val {
    use BinaryOp::*;
    match op {
        StrictEq => Val::Bool(l.known_equal(r, true)),
        StrictNotEq => Val::Bool(l.known_equal(r, true).map(|e| !e)),
        Eq => Val::Bool(l.known_equal(r, false)),
        NotEq => Val::Bool(l.known_equal(r, false).map(|e| !e)),
        Lt | LtEq | Gt | GtEq | In | InstanceOf => Val::Bool(None),
        Add => match (l, r) {
            (Val::Str(a), Val::Str(b)) => match (a, b) {
                (Some(a), Some(b)) if a.len() + b.len() <= MAX_KNOWN_STRING => {
                    Val::str(format!("{a}{b}"))
                }
                (Some(_), Some(_)) => Val::Str(None),
                _ => Val::Str(None),
            },
            (Val::Str(_), _) | (_, Val::Str(_)) => Val::Str(None),
            _ => num_op(l, r, |a, b| a + b, |a, b| Some(a.add(b))),
        },
        Sub => num_op(
            l,
            r,
            |a, b| a - b,
            |a, b| b.as_constant().map(|c| a.minus_const(c)),
        ),
        Mul => num_op(l, r, |a, b| a * b, |a, b| Some(a.mul(b))),
        Div => num_op(
            l,
            r,
            |a, b| a / b,
            |a, b| {
                b.as_constant()
                    .filter(|c| *c >= 1.0)
                    .map(|c| a.scale(1.0 / c))
            },
        ),
        Rem => num_op(l, r, |a, b| a % b, |a, b| Some(a.min(b))),
        Exp => num_op(l, r, f64::powf, |_, _| None),
        BitAnd | BitOr | BitXor | Shl | Shr | UShr => Val::any_num(),
    }
}

fn num_op(
    l: &Val,
    r: &Val,
    exact: impl Fn(f64, f64) -> f64,
    bound: impl Fn(&Sym, &Sym) -> Option<Sym>,
) -> Val {
    if let (Some(a), Some(b)) = (l.exact_num(), r.exact_num()) {
        return Val::num(exact(a, b));
    }
    match (l.num_hi(), r.num_hi()) {
        (Some(a), Some(b)) => match bound(&a, &b) {
            Some(h) => Val::num_at_most(h),
            None => Val::any_num(),
        },
        _ => Val::any_num(),
    }
}
