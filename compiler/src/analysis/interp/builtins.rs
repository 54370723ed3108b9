//! The built-ins real scripts use: array, string, promise, set and map methods, and the
//! `JSON`, `Math`, `Object`, `Array`, `Promise` namespaces.

use std::rc::Rc;
use wfc_ir::js_number::{parse_float, parse_int, round, string_to_number, to_int32, to_uint32};
use wfc_ir::{Argument, Span};

use super::super::plan::{FanKind, Plan, RepeatKind};
use super::super::sym::{Count, Sym};
use super::super::value::{Allocs, Arr, Coll, Num, Val};
use super::call::Args;
use super::expr::{len_val, top_array};
use super::Interp;

impl<'w> Interp<'w> {
    pub(super) fn call_method(
        &mut self,
        recv: &Val,
        name: &str,
        args: Args,
        span: Span,
        raw: &'w [Argument],
    ) -> Val {
        match recv {
            Val::Promise(inner) => self.promise_method(inner, name, args, span),
            Val::Global(g) => {
                let g = g.clone();
                self.static_method(&g, name, args, span, raw)
            }
            Val::Set(c) | Val::Map(c) => self.collection_method(recv, c, name, args, span),
            Val::Str(_) => self.string_method(recv, name, args, span),
            Val::Input(_) if STRING_ONLY.contains(&name) => {
                self.string_method(recv, name, args, span)
            }
            Val::Num(_) | Val::Bool(_) => Val::Str(None),
            Val::Budget => Val::any_num(),
            Val::Obj(o) => match o.fields.get(name) {
                Some(f) => {
                    let f = f.clone();
                    self.call_value(&f, args.vals, span)
                }
                // The object may be the raw input (`t = args`, reassigned to an object when it
                // was a string): methods it lacks are the input's.
                None if o.input.is_some() && !o.open => {
                    let input = Val::Input(o.input.clone().unwrap_or_default());
                    self.call_method(&input, name, args, span, raw)
                }
                None => match name {
                    "hasOwnProperty" => Val::Bool(None),
                    "toString" => Val::Str(None),
                    _ => {
                        self.escape(&args.vals, span, "is passed to an unknown method");
                        Val::Top
                    }
                },
            },
            Val::Func(_) => match name {
                "call" => {
                    let rest = args.vals.into_iter().skip(1).collect();
                    self.call_value(recv, rest, span)
                }
                "apply" => self.call_value(recv, vec![Val::Top], span),
                _ => Val::Top,
            },
            // An array is used in place (shared), not copied.
            Val::Arr(a) => {
                let a = a.clone();
                self.array_method(recv, &a, name, args, span)
            }
            Val::Input(_) | Val::Top | Val::Null | Val::Undefined => {
                let arr = recv.as_array(span).unwrap_or_else(|| top_array(span));
                self.array_method(recv, &arr, name, args, span)
            }
            Val::Primitive(_) => Val::Top,
            // Code after a throw runs nothing.
            Val::Never => Val::Never,
        }
    }

    fn promise_method(&mut self, inner: &Val, name: &str, args: Args, span: Span) -> Val {
        let cb = args.get(0);
        match name {
            "then" => {
                let (r, p) = self.capture(|it| it.call_value(&cb, vec![inner.clone()], span));
                self.emit(p.awaited());
                let onrej = args.get(1);
                if !matches!(onrej, Val::Func(_)) {
                    return Val::promise(r.awaited());
                }
                let (r2, p2) = self.optional(|it| it.call_value(&onrej, vec![Val::Top], span));
                self.emit(p2.maybe());
                Val::promise(r.awaited().join(&r2.awaited()))
            }
            "catch" => {
                let (r, p) = self.optional(|it| it.call_value(&cb, vec![Val::Top], span));
                self.emit(p.maybe());
                Val::promise(inner.join(&r.awaited()))
            }
            "finally" => {
                let (_, p) = self.capture(|it| it.call_value(&cb, Vec::new(), span));
                self.emit(p);
                Val::promise(inner.clone())
            }
            _ => Val::Top,
        }
    }

    /// Calls `cb` once per element: concurrently when the callback returns promises (their
    /// agents are all started), in sequence otherwise.
    fn per_element(&mut self, cb: &Val, arr: &Arr, extra: Vec<Val>, span: Span) -> Val {
        let mut call_args = vec![(*arr.elem).clone(), Val::num_at_most(arr.len.hi.clone())];
        call_args.extend(extra);
        let (r, p) = self.call_each(cb, &arr.len, call_args, span);
        let kind = if matches!(r, Val::Promise(_)) {
            Plan::fan(arr.len.clone(), p, span, FanKind::Concurrent)
        } else {
            Plan::repeat(arr.len.clone(), p, span, RepeatKind::Callback)
        };
        self.emit(kind);
        r
    }

    fn array_method(&mut self, recv: &Val, arr: &Arr, name: &str, args: Args, span: Span) -> Val {
        let cb = args.get(0);
        let fresh = |it: &mut Self, len: Count, elem: Val| {
            it.new_array(
                span,
                Arr {
                    len,
                    elem: Box::new(elem),
                    items: None,
                    allocs: Allocs::default(),
                },
            )
        };
        match name {
            "map" => {
                let r = self.per_element(&cb, arr, vec![recv.clone()], span);
                fresh(self, arr.len.clone(), r)
            }
            "forEach" => {
                self.per_element(&cb, arr, vec![recv.clone()], span);
                Val::Undefined
            }
            "filter" => {
                self.per_element(&cb, arr, vec![recv.clone()], span);
                fresh(self, arr.len.maybe(), (*arr.elem).clone())
            }
            "flatMap" => {
                let r = self.per_element(&cb, arr, vec![recv.clone()], span);
                let inner = r.as_array(span).unwrap_or_else(|| top_array(span));
                fresh(
                    self,
                    arr.len.maybe().mul(&inner.len.maybe()),
                    (*inner.elem).clone(),
                )
            }
            "some" | "every" | "findIndex" | "findLastIndex" => {
                self.per_element(&cb, arr, vec![recv.clone()], span);
                if name.ends_with("Index") {
                    Val::num_at_most(arr.len.hi.clone())
                } else {
                    Val::Bool(None)
                }
            }
            "find" | "findLast" => {
                self.per_element(&cb, arr, vec![recv.clone()], span);
                // Or `undefined`, when no element matches.
                (*arr.elem).clone().join(&Val::Undefined)
            }
            "reduce" | "reduceRight" => {
                let init = args.vals.get(1).cloned().unwrap_or((*arr.elem).clone());
                let call_args = vec![
                    init.clone(),
                    (*arr.elem).clone(),
                    Val::any_num(),
                    recv.clone(),
                ];
                let (r, p) = self.call_each(&cb, &arr.len, call_args, span);
                self.emit(Plan::repeat(arr.len.clone(), p, span, RepeatKind::Callback));
                // An accumulator that is a container may grow each step: its size is unknown.
                match init.join(&r.clone().awaited()) {
                    v @ (Val::Num(_) | Val::Bool(_) | Val::Str(_)) => v,
                    v @ Val::Promise(_) => v,
                    _ => Val::Top,
                }
            }
            "sort" | "toSorted" => {
                if matches!(cb, Val::Func(_)) {
                    let n = arr.len.mul(&arr.len);
                    let (_, p) = self.call_each(
                        &cb,
                        &n,
                        vec![(*arr.elem).clone(), (*arr.elem).clone()],
                        span,
                    );
                    self.emit(Plan::repeat(n, p, span, RepeatKind::Callback));
                }
                if name == "sort" {
                    recv.clone()
                } else {
                    fresh(self, arr.len.clone(), (*arr.elem).clone())
                }
            }
            "slice" => {
                // Only a non-negative end bounds the result: `slice(0, -1)` keeps all but one.
                let len = match (args.vals.first().and_then(Val::exact_num), args.vals.get(1)) {
                    (Some(a), Some(b)) if a >= 0.0 => match b.exact_num() {
                        Some(b) if b >= a => Count {
                            lo: 0,
                            hi: arr.len.hi.min(&Sym::num(b - a)),
                        },
                        _ => match (b.num_lo(), b.num_hi()) {
                            (Some(l), Some(h)) if l >= 0.0 && a == 0.0 => {
                                Count::at_most(arr.len.hi.min(&h))
                            }
                            _ => arr.len.maybe(),
                        },
                    },
                    _ => arr.len.maybe(),
                };
                let len = if arr.items.is_some()
                    && args.vals.len() == 1
                    && args.vals[0].exact_num() == Some(0.0)
                {
                    arr.len.clone()
                } else {
                    len
                };
                fresh(self, len, (*arr.elem).clone())
            }
            "concat" => {
                let mut len = arr.len.clone();
                let mut elem = (*arr.elem).clone();
                for a in &args.vals {
                    match a {
                        Val::Arr(_) | Val::Input(_) | Val::Top => {
                            let other = a.as_array(span).unwrap_or_else(|| top_array(span));
                            len = len.add(&other.len);
                            elem = elem.join(&other.elem);
                        }
                        v => {
                            len = len.add(&Count::one());
                            elem = elem.join(v);
                        }
                    }
                }
                fresh(self, len, elem)
            }
            "flat"
                if args
                    .vals
                    .first()
                    .is_some_and(|d| d.exact_num() != Some(1.0)) =>
            {
                let depth = args
                    .vals
                    .first()
                    .and_then(Val::exact_num)
                    .unwrap_or(f64::INFINITY);
                let (mut len, mut elem) = (arr.len.clone(), (*arr.elem).clone());
                let mut level = 0.0;
                while level < depth {
                    match &elem {
                        Val::Arr(_) | Val::Input(_) => {
                            let i = elem.as_array(span).unwrap_or_else(|| top_array(span));
                            len = len.maybe().mul(&i.len.maybe());
                            elem = (*i.elem).clone();
                        }
                        Val::Top => {
                            len = Count::at_most(Sym::unbounded(
                                span,
                                "it flattens arrays of unknown length",
                            ));
                            break;
                        }
                        _ => break,
                    }
                    level += 1.0;
                }
                fresh(self, len, elem)
            }
            "flat" => {
                let inner = arr.elem.as_array(span);
                match inner {
                    Some(i) if matches!(*arr.elem, Val::Arr(_) | Val::Input(_)) => fresh(
                        self,
                        arr.len.maybe().mul(&i.len.maybe()).add(&Count::zero()),
                        (*i.elem).clone(),
                    ),
                    _ if matches!(*arr.elem, Val::Top) => fresh(
                        self,
                        Count::at_most(Sym::unbounded(
                            span,
                            "it flattens arrays of unknown length",
                        )),
                        Val::Top,
                    ),
                    // Elements that are not arrays stay one each.
                    _ => fresh(self, arr.len.clone(), (*arr.elem).clone()),
                }
            }
            "push" | "unshift" => {
                self.input_changed(recv, span);
                let elem = join_all(&args.vals);
                self.grow(recv, &args.count, &elem);
                len_val(&arr.len)
            }
            "splice" => {
                if args.count.as_constant().is_none_or(|n| n > 2.0) {
                    self.input_changed(recv, span);
                }
                self.shrink(recv);
                let added = args.count.minus_const(2.0);
                let elem = join_all(args.vals.get(2..).unwrap_or(&[]));
                self.grow(recv, &added, &elem);
                // At most `deleteCount` elements come out: none for a negative one, `undefined`
                // or `null`; all from `start` without one.
                let positional = args.count.as_constant() == Some(args.vals.len() as f64);
                let removed = match args.vals.get(1).filter(|_| positional).map(Val::num_hi) {
                    Some(Some(most)) => Count::at_most(arr.len.hi.min(&most)),
                    _ => arr.len.maybe(),
                };
                fresh(self, removed, (*arr.elem).clone())
            }
            "pop" | "shift" => {
                self.shrink(recv);
                (*arr.elem).clone().join(&Val::Undefined)
            }
            "at" => (*arr.elem).clone().join(&Val::Undefined),
            "includes" => Val::Bool(None),
            "indexOf" | "lastIndexOf" => Val::any_num(),
            "join" | "toString" => Val::Str(None),
            "reverse" => recv.clone(),
            "toReversed" => fresh(self, arr.len.clone(), (*arr.elem).clone()),
            "with" => fresh(self, arr.len.clone(), args.get(1).join(&arr.elem)),
            // In place: the array itself holds the value from now on, and is returned.
            "fill" => {
                let v = args.get(0);
                self.grow(recv, &Sym::zero(), &v);
                Val::Arr(Rc::new(Arr {
                    elem: Box::new(v.join(&arr.elem)),
                    items: None,
                    ..arr.clone()
                }))
            }
            "keys" => fresh(self, arr.len.clone(), Val::num_at_most(arr.len.hi.clone())),
            "values" => fresh(self, arr.len.clone(), (*arr.elem).clone()),
            "entries" => fresh(
                self,
                arr.len.clone(),
                Val::array(vec![Val::any_num(), (*arr.elem).clone()]),
            ),
            _ => {
                self.escape(&args.vals, span, "is passed to an unknown method");
                Val::Top
            }
        }
    }

    fn string_method(&mut self, recv: &Val, name: &str, args: Args, span: Span) -> Val {
        match name {
            // Splitting an input string gives at most one part more than it has characters.
            "split" if matches!(recv, Val::Input(_)) => {
                let Val::Input(p) = recv else { return Val::Top };
                self.new_array(
                    span,
                    Arr {
                        len: Count::at_most(Sym::len_of(p).add(&Sym::one())),
                        elem: Box::new(Val::Str(None)),
                        items: None,
                        allocs: Allocs::default(),
                    },
                )
            }
            "split" | "match" | "matchAll" => {
                let known = (name == "split")
                    .then(|| split_known(recv, &args))
                    .flatten();
                let arr = known.unwrap_or_else(|| Arr {
                    len: Count::at_most(Sym::unbounded(
                        span,
                        "it splits or matches a string, which can give any number of parts",
                    )),
                    elem: Box::new(Val::Str(None)),
                    items: None,
                    allocs: Allocs::default(),
                });
                self.new_array(span, arr)
            }
            "replace" | "replaceAll" => {
                if matches!(args.get(1), Val::Func(_)) {
                    let count =
                        Count::at_most(Sym::unbounded(span, "a replacer runs once per match"));
                    let f = args.get(1);
                    let (_, p) = self.call_each(&f, &count, vec![Val::Str(None)], span);
                    self.emit(Plan::repeat(count, p, span, RepeatKind::Callback));
                }
                Val::Str(None)
            }
            "indexOf" | "lastIndexOf" | "search" | "charCodeAt" | "codePointAt"
            | "localeCompare" => Val::any_num(),
            "includes" | "startsWith" | "endsWith" => Val::Bool(None),
            _ => Val::Str(None),
        }
    }

    fn collection_method(
        &mut self,
        recv: &Val,
        c: &Coll,
        name: &str,
        args: Args,
        span: Span,
    ) -> Val {
        let as_arr = Arr {
            len: c.size.clone(),
            elem: c.elem.clone(),
            items: None,
            allocs: Allocs::default(),
        };
        match name {
            "add" => {
                self.grow(recv, &Sym::one(), &args.get(0));
                recv.clone()
            }
            "set" => {
                self.grow(recv, &Sym::one(), &args.get(1));
                recv.clone()
            }
            "has" | "delete" => Val::Bool(None),
            "get" => (*c.elem).clone().join(&Val::Undefined),
            "clear" => Val::Undefined,
            "forEach" => {
                self.per_element(&args.get(0), &as_arr, Vec::new(), span);
                Val::Undefined
            }
            "values" | "keys" | "entries" => {
                let elem = match (recv, name) {
                    (Val::Map(_), "keys") => Val::Top,
                    (Val::Map(_), "entries") => Val::map_entry(&c.elem),
                    _ => (*c.elem).clone(),
                };
                self.new_array(
                    span,
                    Arr {
                        items: None,
                        elem: Box::new(elem),
                        ..as_arr
                    },
                )
            }
            _ => Val::Top,
        }
    }
}

impl<'w> Interp<'w> {
    fn static_method(
        &mut self,
        g: &str,
        name: &str,
        args: Args,
        span: Span,
        raw: &'w [Argument],
    ) -> Val {
        let a0 = args.get(0);
        match (g, name) {
            ("JSON", "parse") => match &a0 {
                // Parsing `args` gives the same input back (the string-normalisation idiom).
                Val::Input(_) => a0,
                Val::Obj(o) if o.input.is_some() => Val::Input(o.input.clone().unwrap_or_default()),
                // A known object (`args` given with `--args`) reads as "[object Object]", which
                // is not JSON: the call throws, and gives nothing to the code after it.
                Val::Obj(o) if !o.open => Val::Never,
                Val::Str(Some(s)) => serde_json::from_str::<serde_json::Value>(s)
                    .map(|j| super::super::value::from_json(&j))
                    .unwrap_or(Val::Top),
                _ => Val::Top,
            },
            ("JSON", "stringify") => Val::Str(None),
            ("Math", "max" | "min") => {
                let mut bound: Option<Sym> = None;
                let mut exact: Option<f64> = Some(if name == "max" {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                });
                for v in &args.vals {
                    // Rust's `max` and `min` pass over `NaN`; JavaScript's give `NaN`.
                    exact = match (exact, v.exact_num()) {
                        (Some(a), Some(b)) if a.is_nan() || b.is_nan() => Some(f64::NAN),
                        (Some(a), Some(b)) => Some(if name == "max" { a.max(b) } else { a.min(b) }),
                        _ => None,
                    };
                    let h = v.num_hi();
                    bound = match (bound, h) {
                        (None, h) if name == "min" => h,
                        (Some(b), Some(h)) => {
                            Some(if name == "max" { b.max(&h) } else { b.min(&h) })
                        }
                        (Some(b), None) if name == "min" => Some(b),
                        (None, Some(h)) => Some(h),
                        _ => None,
                    };
                    if name == "max" && v.num_hi().is_none() {
                        bound = None;
                        break;
                    }
                }
                // An argument that may be `NaN` (one with no lower bound) makes the result
                // `NaN`, which bounds nothing from below.
                let lo = args
                    .vals
                    .iter()
                    .map(Val::num_lo)
                    .collect::<Option<Vec<_>>>()
                    .and_then(|v| {
                        v.into_iter()
                            .reduce(if name == "max" { f64::max } else { f64::min })
                    });
                match exact {
                    Some(e) if !args.vals.is_empty() && !e.is_infinite() => Val::num(e),
                    _ => Val::Num(super::super::value::Num::new(None, bound, lo)),
                }
            }
            ("Math", "floor" | "trunc" | "round" | "abs" | "ceil") => match a0.exact_num() {
                Some(n) => Val::num(match name {
                    "floor" => n.floor(),
                    "trunc" => n.trunc(),
                    "round" => round(n),
                    "abs" => n.abs(),
                    _ => n.ceil(),
                }),
                None => match (name, a0.num_hi()) {
                    ("floor" | "trunc" | "round", Some(h)) => Val::num_at_most(h),
                    ("ceil", Some(h)) => Val::num_at_most(h.add(&Sym::one())),
                    _ => Val::any_num(),
                },
            },
            ("Math", _) => Val::any_num(),
            ("Object", "keys" | "values" | "entries") => {
                let keys = match &a0 {
                    Val::Obj(o) => o.keys(),
                    _ => None,
                };
                let (len, elem) = match (&a0, keys) {
                    (Val::Obj(o), Some(len)) => {
                        // The values written under computed keys, for a dictionary.
                        let mut unlisted = None::<Val>;
                        if o.open {
                            for a in o.allocs.iter() {
                                if let Some(v) =
                                    self.written_fields(a).and_then(|f| f.get("*").cloned())
                                {
                                    unlisted = Some(unlisted.map_or(v.clone(), |u| u.join(&v)));
                                }
                            }
                        }
                        let values = o
                            .fields
                            .values()
                            .cloned()
                            .chain(unlisted)
                            .reduce(|a, b| a.join(&b))
                            .unwrap_or(Val::Undefined);
                        let elem = match name {
                            "keys" => Val::Str(None),
                            "values" => values,
                            _ => Val::array(vec![Val::Str(None), values]),
                        };
                        (len, elem)
                    }
                    (Val::Input(p), _) => {
                        let elem = match name {
                            "keys" => Val::Str(None),
                            "values" => Val::Input(wfc_ir::format_compact!("{p}[]")),
                            _ => Val::array(vec![
                                Val::Str(None),
                                Val::Input(wfc_ir::format_compact!("{p}[]")),
                            ]),
                        };
                        (Count::at_most(Sym::len_of(&format!("keys({p})"))), elem)
                    }
                    (Val::Arr(a), _) => (a.len.clone(), Val::Top),
                    _ => (
                        Count::at_most(Sym::unbounded(
                            raw.first().map_or(span, |a| a.expr.span),
                            "the object's keys are not known statically",
                        )),
                        Val::Top,
                    ),
                };
                self.new_array(
                    span,
                    Arr {
                        len,
                        elem: Box::new(elem),
                        items: None,
                        allocs: Allocs::default(),
                    },
                )
            }
            ("Object", "assign") => {
                for src in args.vals.iter().skip(1) {
                    // Keys the analysis does not know are copied too: at most how many.
                    let unknown_keys = match src {
                        Val::Obj(o) => {
                            for k in o.fields.keys() {
                                // From what may be `null`: without its fields' guarantees.
                                self.write_field(&a0, k, &o.field(k));
                            }
                            (o.open || o.input.is_some()).then(|| o.keys_at_most())
                        }
                        Val::Null | Val::Undefined | Val::Bool(_) | Val::Num(_) => None,
                        _ => Some(None),
                    };
                    if let Some(at_most) = unknown_keys {
                        let added = at_most.unwrap_or_else(|| {
                            Sym::unbounded(span, "an object with unknown keys is copied in")
                        });
                        self.write_field(&a0, "*", &Val::Top);
                        self.grow_keys(&a0, &added);
                    }
                }
                a0
            }
            ("Object", "freeze" | "seal" | "preventExtensions") => a0,
            ("Object", "fromEntries") => Val::Obj(Rc::new(super::super::value::Obj {
                fields: Default::default(),
                open: true,
                allocs: Allocs::default(),
                input: None,
                partial: false,
                key_bound: a0.as_array(span).map(|a| a.len.hi),
                nullable: false,
            })),
            ("Object", "defineProperty" | "defineProperties") => {
                let added = match name {
                    "defineProperty" => Sym::one(),
                    _ => Sym::unbounded(span, "properties are defined from an object"),
                };
                self.write_field(&a0, "*", &Val::Top);
                self.grow_keys(&a0, &added);
                a0
            }
            ("Object", _) => Val::Top,
            ("Array", "isArray") => Val::Bool(a0.is_array()),
            ("Array", "from") => {
                let src = match &a0 {
                    Val::Obj(o) if o.fields.contains_key("length") => {
                        let n = o.fields.get("length").cloned().unwrap_or(Val::Undefined);
                        let len = match (n.exact_num(), n.num_hi()) {
                            (Some(e), _) => Count::exact(e.max(0.0) as u64),
                            (None, Some(h)) => Count::at_most(h),
                            _ => Count::at_most(Sym::unbounded(
                                span,
                                "`length` is not known statically",
                            )),
                        };
                        Arr {
                            len,
                            elem: Box::new(Val::Undefined),
                            items: None,
                            allocs: Allocs::default(),
                        }
                    }
                    other => other.as_array(span).unwrap_or_else(|| top_array(span)),
                };
                let cb = args.get(1);
                let elem = if matches!(cb, Val::Func(_)) {
                    self.per_element(&cb, &src, Vec::new(), span)
                } else {
                    (*src.elem).clone()
                };
                self.new_array(
                    span,
                    Arr {
                        len: src.len,
                        elem: Box::new(elem),
                        items: None,
                        allocs: Allocs::default(),
                    },
                )
            }
            ("Array", "of") => Val::array(args.vals),
            ("Promise", "all" | "allSettled" | "race" | "any") => {
                let arr = a0.as_array(span).unwrap_or_else(|| top_array(span));
                let elem = arr.elem.clone().awaited();
                match name {
                    "all" => Val::promise(Val::array_of(arr.len, elem)),
                    "allSettled" => Val::promise(Val::array_of(
                        arr.len,
                        Val::object(
                            [
                                ("status".into(), Val::Str(None)),
                                ("value".into(), elem),
                                ("reason".into(), Val::Top),
                            ]
                            .into_iter()
                            .collect(),
                        ),
                    )),
                    _ => Val::promise(elem),
                }
            }
            ("Promise", "resolve") => Val::promise(a0),
            ("Promise", _) => Val::Promise(Box::new(Val::Top)),
            ("Number", "isInteger" | "isFinite" | "isNaN" | "isSafeInteger") => Val::Bool(None),
            ("Number", f @ ("parseInt" | "parseFloat")) => self.call_global(f, args.vals, span),
            ("String", _) => Val::Str(None),
            ("console", _) => Val::Undefined,
            _ => {
                let why = if wfc_ir::classify_global(g) == wfc_ir::GlobalKind::Unknown {
                    "is passed to an unknown function"
                } else {
                    "is passed to a built-in the analysis does not model"
                };
                self.escape(&args.vals, span, why);
                Val::Top
            }
        }
    }

    pub(super) fn call_global(&mut self, g: &str, args: Vec<Val>, span: Span) -> Val {
        let a0 = args.first().cloned().unwrap_or(Val::Undefined);
        match g {
            "Number" if args.is_empty() => Val::num(0.0),
            "Number" | "parseFloat" => match &a0 {
                // `parseFloat(String(x))` is `x` again.
                Val::Num(_) => a0,
                // A numeric input is its value; `parseFloat` reads at most as much (`0x10` is 0).
                Val::Input(p) => Val::num_at_most(Sym::value_of(p)),
                // `Number` converts other primitives directly (`Number(true)` is 1), `parseFloat`
                // through their string (`parseFloat(true)` is `NaN`).
                Val::Str(Some(s)) if g == "Number" => exactly(string_to_number(s)),
                _ if g == "Number" => a0.exact_number().map_or_else(Val::any_num, exactly),
                _ => match a0.as_primitive_string() {
                    Some(s) => exactly(parse_float(s)),
                    None => Val::any_num(),
                },
            },
            "parseInt" => {
                // 0 stands for absent, `undefined` and `NaN`.
                let radix = match args.get(1) {
                    None | Some(Val::Undefined) => 0,
                    Some(r) => match r.exact_num() {
                        Some(r) => to_int32(r),
                        None => return Val::any_num(),
                    },
                };
                let decimal = radix == 0 || radix == 10;
                match &a0 {
                    Val::Num(n) if decimal => match n.exact() {
                        Some(x) => exactly(parse_int(&wfc_ir::number_to_js_string(x), radix)),
                        // Numbers of at least 1 lose their fraction, or print with an exponent
                        // and read as one digit; smaller ones may read as up to 9 (`5e-7`).
                        None if n.lo().is_some_and(|lo| lo >= 1.0) => {
                            Val::Num(Num::new(None, n.hi.clone(), Some(1.0)))
                        }
                        None => Val::any_num(),
                    },
                    Val::Input(p) if decimal => Val::num_at_most(Sym::int_of(p)),
                    _ => match a0.as_primitive_string() {
                        Some(s) => exactly(parse_int(s, radix)),
                        None => Val::any_num(),
                    },
                }
            }
            "String" | "encodeURIComponent" | "decodeURIComponent" | "encodeURI" | "decodeURI" => {
                Val::Str(None)
            }
            "Boolean" | "isNaN" | "isFinite" => Val::Bool(None),
            "Array" if args.len() == 1 && matches!(a0, Val::Num(_) | Val::Input(_)) => {
                match a0.exact_num() {
                    // A valid array length; any other number throws a `RangeError` (no array).
                    // A fresh array, with an allocation of its own: `fill` changes it in place.
                    Some(n) if n.fract() == 0.0 && (0.0..=4_294_967_295.0).contains(&n) => self
                        .new_array(
                            span,
                            Arr {
                                len: Count::exact(n as u64),
                                elem: Box::new(Val::Undefined),
                                items: None,
                                allocs: Allocs::default(),
                            },
                        ),
                    Some(_) => Val::array_of(Count::zero(), Val::Undefined),
                    None => self.new_array(
                        span,
                        Arr {
                            len: Count::at_most(a0.num_hi().unwrap_or_else(|| {
                                Sym::unbounded(span, "the array's length is not known statically")
                            })),
                            elem: Box::new(Val::Undefined),
                            items: None,
                            allocs: Allocs::default(),
                        },
                    ),
                }
            }
            "Array" if args.len() == 1 && matches!(a0, Val::Top) => Val::array_of(
                Count::at_most(Sym::unbounded(
                    span,
                    "the array's length is not known statically",
                )),
                Val::Top,
            ),
            "Array" => Val::array(args),
            "structuredClone" => a0,
            "setTimeout" | "queueMicrotask" => {
                let (_, p) = self.capture(|it| it.call_value(&a0, Vec::new(), span));
                self.emit(p.spawn());
                Val::any_num()
            }
            "clearTimeout" => Val::Undefined,
            "Symbol" => Val::Top,
            "Date" => Val::Str(None),
            "Error" | "TypeError" | "RangeError" | "SyntaxError" => self.construct(
                g,
                super::call::Args {
                    vals: args,
                    count: Sym::zero(),
                },
                span,
            ),
            _ => {
                self.escape(&args, span, "is passed to an unknown function");
                Val::Top
            }
        }
    }

    pub(super) fn construct(&mut self, g: &str, args: Args, span: Span) -> Val {
        let a0 = args.get(0);
        match g {
            "Set" | "Map" => {
                let (size, elem) = match &a0 {
                    Val::Undefined | Val::Null => (Count::zero(), Val::Undefined),
                    other => {
                        let a = other.as_array(span).unwrap_or_else(|| top_array(span));
                        // A set holds at most as many elements as it was built from.
                        (a.len.maybe(), (*a.elem).clone())
                    }
                };
                let alloc = super::super::value::Alloc::at(span);
                // A map's element is its values: the second item of each `[key, value]` entry.
                let elem = match (g, &elem) {
                    ("Set", _) | (_, Val::Undefined) => elem,
                    (_, Val::Arr(entry)) => match &entry.items {
                        Some(items) if items.len() >= 2 => items[1].clone(),
                        _ => (*entry.elem).clone(),
                    },
                    _ => Val::Top,
                };
                let mut c = Coll {
                    size,
                    elem: Box::new(elem),
                    allocs: Allocs::one(alloc.clone()),
                };
                if !self.deferred(span) {
                    self.grow_coll(&alloc, &mut c);
                }
                if g == "Set" {
                    Val::Set(Rc::new(c))
                } else {
                    Val::Map(Rc::new(c))
                }
            }
            "Array" => self.call_global("Array", args.vals, span),
            "Promise" => {
                let (_, p) = self.capture(|it| it.call_value(&a0, vec![Val::Top, Val::Top], span));
                self.emit(p);
                Val::Promise(Box::new(Val::Top))
            }
            "Error" | "TypeError" | "RangeError" | "SyntaxError" | "AggregateError" => {
                Val::Obj(Rc::new(super::super::value::Obj {
                    fields: [
                        ("message".into(), Val::Str(None)),
                        ("name".into(), Val::Str(None)),
                    ]
                    .into_iter()
                    .collect(),
                    open: true,
                    allocs: Allocs::default(),
                    input: None,
                    partial: false,
                    key_bound: None,
                    nullable: false,
                }))
            }
            "Date" | "RegExp" | "Object" | "WeakMap" | "WeakSet" | "URL" => Val::Top,
            _ => {
                self.escape(
                    &args.vals,
                    span,
                    "is passed to a constructor the analysis does not model",
                );
                Val::Top
            }
        }
    }
}

/// Methods only strings have: on an input they mean the input is a string.
const STRING_ONLY: &[&str] = &[
    "split",
    "trim",
    "trimStart",
    "trimEnd",
    "toLowerCase",
    "toUpperCase",
    "replace",
    "replaceAll",
    "startsWith",
    "endsWith",
    "match",
    "matchAll",
    "padStart",
    "padEnd",
    "charAt",
    "charCodeAt",
    "codePointAt",
    "substring",
    "substr",
    "localeCompare",
    "normalize",
    "repeat",
    "search",
];

pub(super) fn join_all(vals: &[Val]) -> Val {
    vals.iter()
        .cloned()
        .reduce(|a, b| a.join(&b))
        .unwrap_or(Val::Undefined)
}

/// The result of a conversion: exactly that number while every integer up to it is exact (V8
/// approximates beyond 2^53, as the language allows), any number past that.
fn exactly(v: f64) -> Val {
    if v.abs() <= 9_007_199_254_740_992.0 || !v.is_finite() {
        Val::num(v)
    } else {
        Val::any_num()
    }
}

/// Parts listed one by one up to this many; beyond, only their number is kept.
const MAX_LISTED_PARTS: usize = 4096;

/// `s.split(sep, limit)` for a string, separator and limit known exactly (ECMA-262
/// `String.prototype.split`), as a fresh array: `--args` plans read `args.files.split(',')` as
/// its parts. `None` when any of them is not known, or the separator may be a regex.
fn split_known(recv: &Val, args: &Args) -> Option<Arr> {
    let Val::Str(Some(s)) = recv else {
        return None;
    };
    if args.count.as_constant() != Some(args.vals.len() as f64) {
        return None;
    }
    let limit = match args.get(1) {
        Val::Undefined => u32::MAX,
        l => to_uint32(l.exact_num()?),
    } as usize;
    let parts: Vec<Option<&str>> = match args.get(0) {
        _ if limit == 0 => Vec::new(),
        Val::Undefined => vec![Some(s.as_str())],
        Val::Str(Some(sep)) if sep.is_empty() => {
            // One part per UTF-16 code unit; half a surrogate pair is no Rust string.
            let mut parts: Vec<Option<&str>> = Vec::new();
            for (i, c) in s.char_indices() {
                let one = (c.len_utf16() == 1).then(|| &s[i..i + c.len_utf8()]);
                parts.extend(std::iter::repeat_n(one, c.len_utf16()));
            }
            parts.truncate(limit);
            parts
        }
        Val::Str(Some(sep)) => s.split(sep.as_str()).map(Some).take(limit).collect(),
        _ => return None,
    };
    let listed = parts.len() <= MAX_LISTED_PARTS && parts.iter().all(Option::is_some);
    let items: Option<Vec<Val>> =
        listed.then(|| parts.iter().flatten().map(|p| Val::str(*p)).collect());
    let elem = match items.as_deref() {
        Some([first, rest @ ..]) => rest.iter().fold(first.clone(), |acc, v| acc.join(v)),
        Some([]) => Val::Undefined,
        None => Val::Str(None),
    };
    Some(Arr {
        len: Count::exact(parts.len() as u64),
        elem: Box::new(elem),
        items,
        allocs: Allocs::default(),
    })
}
