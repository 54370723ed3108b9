//! `Function.prototype` (`call`, `apply`, `bind`, `toString`), a function's `name` and `length`,
//! and the static methods of the built-in constructors this crate's modules define (`Array.from`,
//! `Object.keys`, `Promise.all`, `Date.UTC`, …), which are found here rather than stored as own
//! properties (so they are not enumerable, as in V8).
//!
//! Known differences:
//! - `length` of a built-in function is 0 (V8 knows each one's arity, e.g. `[].map.length` is
//!   1); for a script function it counts the parameters before the first default value or rest
//!   parameter, as JavaScript does;
//! - `name` of a script function is the name written in its source (V8 also infers names from
//!   `const f = () => …` bindings when the lowering records them as the function's name);
//! - bound functions are constructible only when their target is a built-in constructor.

use std::rc::Rc;

use wfc_ir::Pattern;

use crate::eval::ops;
use crate::eval::value::{Ctor, Func, Kind, Native, NativeImpl, Obj, Res, Value};
use crate::eval::Rt;

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// What `f[key]` finds beyond `f`'s own properties.
pub fn property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    let Value::Object(o) = receiver else {
        return None;
    };
    enum Info {
        Native(String, Option<Ctor>),
        Closure(String, usize),
    }
    let info = match &o.borrow().kind {
        Kind::Function(Func::Native(n)) => Info::Native(n.name.to_string(), n.ctor),
        Kind::Function(Func::Closure(c)) => {
            let f = c.function;
            let length = f
                .params
                .iter()
                .take_while(|p| !p.rest && !matches!(p.pattern, Pattern::Default { .. }))
                .count();
            Info::Closure(f.name.as_deref().unwrap_or_default().to_owned(), length)
        }
        _ => return None,
    };
    match key {
        "name" => {
            return Some(Value::string(match info {
                Info::Native(n, _) | Info::Closure(n, _) => n,
            }))
        }
        "length" => {
            return Some(Value::Number(match info {
                Info::Native(..) => 0.0,
                Info::Closure(_, n) => n as f64,
            }))
        }
        _ => {}
    }
    if let Info::Native(name, Some(ctor)) = &info {
        let found = match ctor {
            Ctor::Array => super::array::static_property(rt, key),
            Ctor::Object => super::object::static_property(rt, key),
            Ctor::Promise => super::promise_api::static_property(rt, key),
            Ctor::Date => super::date::static_property(rt, key),
            Ctor::Error(_) if name == "Error" && key == "captureStackTrace" => {
                rt.cached_method("Error", key, |rt| {
                    Some(rt.native_fn("captureStackTrace", |rt, _, args| {
                        // Sets `stack` to the object's `toString`, without frames.
                        let target = arg(args, 0);
                        if let Value::Object(_) = &target {
                            let s = ops::to_string(rt, &target)?;
                            rt.set(&target, "stack", Value::String(s))?;
                        }
                        Ok(Value::Undefined)
                    }))
                })
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "call" => |rt, this, args| {
            let this_arg = arg(args, 0);
            rt.call(this, &this_arg, args.get(1..).unwrap_or(&[]))
        },
        "apply" => |rt, this, args| {
            let this_arg = arg(args, 0);
            let list = list_from_array_like(rt, &arg(args, 1))?;
            rt.call(this, &this_arg, &list)
        },
        "bind" => bind,
        "toString" => |rt, this, _| {
            if !this.is_callable() {
                return Err(
                    rt.type_error("Function.prototype.toString requires that 'this' be a Function")
                );
            }
            Ok(Value::String(ops::to_string(rt, this)?))
        },
        _ => return None,
    };
    rt.cached_method("Function.prototype", key, |rt| Some(rt.native_fn(key, f)))
}

/// `CreateListFromArrayLike` (the arguments of `apply`).
fn list_from_array_like(rt: &Rt, v: &Value) -> Res<Vec<Value>> {
    match v {
        Value::Undefined | Value::Null => Ok(Vec::new()),
        Value::Object(o) => {
            if o.is_array() {
                return Ok(o.array_elements());
            }
            let len = super::array::length_of(rt, v)?;
            if len > super::array::MAX_DENSE_LENGTH {
                return Err(rt.range_error("Invalid array length"));
            }
            (0..len).map(|i| rt.get(v, &i.to_string())).collect()
        }
        _ => Err(rt.type_error("CreateListFromArrayLike called on non-object")),
    }
}

fn bind(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    if !this.is_callable() {
        return Err(rt.type_error("Bind must be called on a function"));
    }
    let target = this.clone();
    let bound_this = arg(args, 0);
    let bound_args: Rc<[Value]> = Rc::from(args.get(1..).unwrap_or(&[]));
    let name = match rt.get(&target, "name")? {
        Value::String(s) => s.to_string(),
        _ => String::new(),
    };
    let (target_construct, ctor) = match &target {
        Value::Object(o) => match &o.borrow().kind {
            Kind::Function(Func::Native(n)) => (n.construct.clone(), n.ctor),
            _ => (None, None),
        },
        _ => (None, None),
    };
    let (t1, a1) = (target.clone(), bound_args.clone());
    let call: NativeImpl = Rc::new(move |rt, _, args| {
        let mut all: Vec<Value> = a1.to_vec();
        all.extend_from_slice(args);
        rt.call(&t1, &bound_this, &all)
    });
    let construct: Option<NativeImpl> = target_construct.map(|c| {
        let a2 = bound_args.clone();
        let c: NativeImpl = Rc::new(move |rt, this, args| {
            let mut all: Vec<Value> = a2.to_vec();
            all.extend_from_slice(args);
            c(rt, this, &all)
        });
        c
    });
    Ok(Value::Object(Obj::new(Kind::Function(Func::Native(
        Native {
            name: format!("bound {name}").into(),
            call,
            construct,
            ctor,
        },
    )))))
}
