//! `Promise`, its combinators and `Promise.prototype.then`/`catch`/`finally`.
//!
//! Every combinator follows the spec's algorithm: for each element, `Promise.resolve(element)`
//! and then one reaction on it (`on_settled`, which costs the same single job as the spec's
//! `then` with built-in resolve-element functions), so the microtask ticks, and the order in which
//! settlements are observed, are V8's. `finally` builds the spec's `thenFinally`/`catchFinally`
//! closures out of real promises, so its extra ticks match too.
//!
//! `Promise.withResolvers` is provided although Node 20 lacks it (Node 22 behaviour).
//! Iterables are arrays, strings, `Map`s and `Set`s (see `array::iterate`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::eval::value::{Ctor, Func, Kind, Native, NativeImpl, Obj, Res, Value};
use crate::eval::{CauseJoin, Rt};

use super::object::receiver_repr;

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// The `Promise` constructor (`new` only).
pub fn constructor(_rt: &Rt) -> Value {
    let call: NativeImpl = Rc::new(|rt, _, _| {
        Err(rt.type_error("Promise constructor cannot be invoked without 'new'"))
    });
    let construct: NativeImpl = Rc::new(|rt, _, args| {
        let executor = arg(args, 0);
        if !executor.is_callable() {
            return Err(rt.type_error(&format!(
                "Promise resolver {} is not a function",
                receiver_repr(&executor)
            )));
        }
        let p = rt.new_promise();
        let (resolve, reject) = rt.resolving_functions(&p);
        if let Err(e) = rt.call(&executor, &Value::Undefined, &[resolve, reject.clone()]) {
            rt.call(&reject, &Value::Undefined, &[e])?;
        }
        Ok(Value::Object(p))
    });
    Value::Object(Obj::new(Kind::Function(Func::Native(Native {
        name: "Promise".into(),
        call,
        construct: Some(construct),
        ctor: Some(Ctor::Promise),
    }))))
}

/// A static method of `Promise`.
pub fn static_property(rt: &Rt, key: &str) -> Option<Value> {
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "resolve" => |rt, _, args| Ok(Value::Object(rt.promise_resolve(arg(args, 0)))),
        "reject" => |rt, _, args| Ok(Value::Object(rt.rejected_promise(arg(args, 0)))),
        "all" => |rt, _, args| Ok(Value::Object(all(rt, &arg(args, 0), Combinator::All))),
        "allSettled" => |rt, _, args| {
            Ok(Value::Object(all(
                rt,
                &arg(args, 0),
                Combinator::AllSettled,
            )))
        },
        "any" => |rt, _, args| Ok(Value::Object(all(rt, &arg(args, 0), Combinator::Any))),
        "race" => |rt, _, args| {
            let cap = rt.new_promise();
            match super::array::iterate(rt, &arg(args, 0)) {
                Err(e) => rt.reject_promise(&cap, e),
                Ok(items) => {
                    for item in items {
                        let next = rt.promise_resolve(item);
                        let cap = cap.clone();
                        rt.on_settled(&next, move |rt, outcome| match outcome {
                            Ok(v) => rt.resolve_promise(&cap, v),
                            Err(e) => rt.reject_promise(&cap, e),
                        });
                    }
                }
            }
            Ok(Value::Object(cap))
        },
        "withResolvers" => |rt, _, _| {
            let p = rt.new_promise();
            let (resolve, reject) = rt.resolving_functions(&p);
            Ok(rt.object_from(vec![
                ("promise", Value::Object(p)),
                ("resolve", resolve),
                ("reject", reject),
            ]))
        },
        _ => return None,
    };
    rt.cached_method("Promise", key, |rt| Some(rt.native_fn(key, f)))
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Combinator {
    All,
    AllSettled,
    Any,
}

/// `Promise.all`, `Promise.allSettled` and `Promise.any`: `PerformPromiseAll` and its siblings.
pub(crate) fn all(rt: &Rt, iterable: &Value, which: Combinator) -> Obj {
    let cap = rt.new_promise();
    let items = match super::array::iterate(rt, iterable) {
        Ok(items) => items,
        Err(e) => {
            rt.reject_promise(&cap, e);
            return cap;
        }
    };
    let values: Rc<RefCell<Vec<Value>>> = Rc::new(RefCell::new(Vec::with_capacity(items.len())));
    let remaining = Rc::new(Cell::new(1usize));
    // The combined promise depends on every input that settled before it (for the run's DAG).
    let join = CauseJoin::default();
    let finish = move |rt: &Rt, cap: &Obj, values: &Rc<RefCell<Vec<Value>>>| {
        let list = std::mem::take(&mut *values.borrow_mut());
        let arr = rt.new_array(list);
        if which == Combinator::Any {
            let e = super::error::aggregate_error(rt, arr, "All promises were rejected");
            rt.reject_promise(cap, e);
        } else {
            rt.resolve_promise(cap, arr);
        }
    };
    for (i, item) in items.into_iter().enumerate() {
        values.borrow_mut().push(Value::Undefined);
        let next = rt.promise_resolve(item);
        remaining.set(remaining.get() + 1);
        let (cap2, values2, remaining2) = (cap.clone(), values.clone(), remaining.clone());
        let join = join.clone();
        rt.on_settled(&next, move |rt, outcome| {
            join.add(rt);
            let slot = match (which, outcome) {
                (Combinator::All, Ok(v)) => v,
                (Combinator::All, Err(e)) => return rt.reject_promise(&cap2, e),
                (Combinator::Any, Ok(v)) => return rt.resolve_promise(&cap2, v),
                (Combinator::Any, Err(e)) => e,
                (Combinator::AllSettled, Ok(v)) => {
                    rt.object_from(vec![("status", Value::str("fulfilled")), ("value", v)])
                }
                (Combinator::AllSettled, Err(e)) => {
                    rt.object_from(vec![("status", Value::str("rejected")), ("reason", e)])
                }
            };
            if let Some(s) = values2.borrow_mut().get_mut(i) {
                *s = slot;
            }
            remaining2.set(remaining2.get() - 1);
            if remaining2.get() == 0 {
                join.run(rt, || finish(rt, &cap2, &values2));
            }
        });
    }
    remaining.set(remaining.get() - 1);
    if remaining.get() == 0 {
        finish(rt, &cap, &values);
    }
    cap
}

/// `then`, `catch` and `finally`.
pub fn property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    let _ = receiver;
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "then" => |rt, this, args| {
            let p = this_promise(rt, this, "then")?;
            Ok(Value::Object(rt.promise_then(
                &p,
                arg(args, 0),
                arg(args, 1),
            )))
        },
        "catch" => |rt, this, args| {
            let then = rt.get(this, "then")?;
            rt.call(&then, this, &[Value::Undefined, arg(args, 0)])
        },
        "finally" => finally,
        _ => return None,
    };
    rt.cached_method("Promise.prototype", key, |rt| Some(rt.native_fn(key, f)))
}

fn this_promise(rt: &Rt, this: &Value, method: &str) -> Res<Obj> {
    match this {
        Value::Object(o) if o.is_promise() => Ok(o.clone()),
        _ => Err(rt.type_error(&format!(
            "Method Promise.prototype.{method} called on incompatible receiver {}",
            receiver_repr(this)
        ))),
    }
}

fn finally(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    if !matches!(this, Value::Object(_)) {
        return Err(rt.type_error(&format!(
            "Method Promise.prototype.finally called on incompatible receiver {}",
            receiver_repr(this)
        )));
    }
    let on_finally = arg(args, 0);
    let (then_finally, catch_finally) = if on_finally.is_callable() {
        let f1 = on_finally.clone();
        let then_finally = rt.native_fn("", move |rt, _, args| {
            let value = arg(args, 0);
            let result = rt.call(&f1, &Value::Undefined, &[])?;
            let p = rt.promise_resolve(result);
            let value_thunk = rt.native_fn("", move |_, _, _| Ok(value.clone()));
            Ok(Value::Object(rt.promise_then(
                &p,
                value_thunk,
                Value::Undefined,
            )))
        });
        let f2 = on_finally;
        let catch_finally = rt.native_fn("", move |rt, _, args| {
            let reason = arg(args, 0);
            let result = rt.call(&f2, &Value::Undefined, &[])?;
            let p = rt.promise_resolve(result);
            let thrower = rt.native_fn("", move |_, _, _| Err(reason.clone()));
            Ok(Value::Object(rt.promise_then(
                &p,
                thrower,
                Value::Undefined,
            )))
        });
        (then_finally, catch_finally)
    } else {
        (on_finally.clone(), on_finally)
    };
    let then = rt.get(this, "then")?;
    rt.call(&then, this, &[then_finally, catch_finally])
}
