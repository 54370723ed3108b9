//! `Error` and its subclasses (`TypeError`, …, `AggregateError`), and `Error.prototype.toString`.
//!
//! Instances are `Kind::Error` objects (`name`, `message` and `stack` are not enumerable). The
//! `stack` is `Name: message` without frames. `cause` (from the options argument) and `errors`
//! (of an `AggregateError`) are own properties that enumeration treats as non-enumerable, as V8
//! installs them (see `object::own_keys`).

use std::rc::Rc;

use crate::eval::ops;
use crate::eval::value::{Ctor, Func, Kind, Native, NativeImpl, Obj, Res, Value};
use crate::eval::Rt;

use super::object::has_own;

/// The constructor names this module knows, as `'static` strings for `Ctor::Error`.
const NAMES: [&str; 8] = [
    "Error",
    "TypeError",
    "RangeError",
    "SyntaxError",
    "ReferenceError",
    "EvalError",
    "URIError",
    "AggregateError",
];

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// An `AggregateError` with its `errors` list.
pub fn aggregate_error(rt: &Rt, errors: Value, message: &str) -> Value {
    let e = rt.error("AggregateError", message);
    if let Value::Object(o) = &e {
        o.borrow_mut().props.insert("errors".into(), errors);
    }
    e
}

/// The constructor for `name` (callable with or without `new`).
pub fn constructor(_rt: &Rt, name: &str) -> Value {
    let name: &'static str = NAMES
        .iter()
        .copied()
        .find(|n| *n == name)
        .unwrap_or("Error");
    let f: NativeImpl = Rc::new(move |rt, _, args| {
        let aggregate = name == "AggregateError";
        let (message, options) = if aggregate {
            (arg(args, 1), arg(args, 2))
        } else {
            (arg(args, 0), arg(args, 1))
        };
        let message = match message {
            Value::Undefined => "".into(),
            m => ops::to_string(rt, &m)?,
        };
        let e = rt.error(name, &message);
        let Value::Object(o) = &e else {
            return Ok(e);
        };
        if matches!(options, Value::Object(_)) && has_own(&options, "cause") {
            let cause = rt.get(&options, "cause")?;
            o.borrow_mut().props.insert("cause".into(), cause);
        }
        if aggregate {
            let errors = super::array::iterate(rt, &arg(args, 0))?;
            o.borrow_mut()
                .props
                .insert("errors".into(), rt.new_array(errors));
        }
        Ok(e)
    });
    Value::Object(Obj::new(Kind::Function(Func::Native(Native {
        name: name.into(),
        call: f.clone(),
        construct: Some(f),
        ctor: Some(Ctor::Error(name)),
    }))))
}

/// `Error.prototype.toString` (the other properties are own or come from `Rt::get`).
pub fn property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    match key {
        // The prototype's `name` and `message` (`''`), so `'message' in new Error()` holds.
        // Reads of an error's own `name`/`message` never get here (`Rt::get` answers them).
        "name" => match receiver {
            Value::Object(o) => match &o.borrow().kind {
                Kind::Error(e) => Some(Value::String(e.name.clone())),
                _ => None,
            },
            _ => None,
        },
        "message" => Some(Value::str("")),
        "toString" => rt.cached_method("Error.prototype", key, |rt| {
            Some(rt.native_fn("toString", |rt, this, _| error_to_string(rt, this)))
        }),
        _ => None,
    }
}

/// `Error.prototype.toString` on any object.
pub fn error_to_string(rt: &Rt, this: &Value) -> Res<Value> {
    if !matches!(this, Value::Object(_)) {
        return Err(rt.type_error(&format!(
            "Method Error.prototype.toString called on incompatible receiver {}",
            super::object::receiver_repr(this)
        )));
    }
    let name = match rt.get(this, "name")? {
        Value::Undefined => "Error".into(),
        n => ops::to_string(rt, &n)?,
    };
    let message = match rt.get(this, "message")? {
        Value::Undefined => "".into(),
        m => ops::to_string(rt, &m)?,
    };
    Ok(Value::string(if name.is_empty() {
        message.to_string()
    } else if message.is_empty() {
        name.to_string()
    } else {
        format!("{name}: {message}")
    }))
}
