//! The built-in globals and the inherited properties (prototype methods) of every kind of value.
//!
//! Each module covers one family and exposes the same two entry points:
//! - a constructor or namespace value (`Array`, `Math`, …) for [`global`];
//! - `property(rt, receiver, key)`: what `receiver[key]` finds on its prototype chain (a method as
//!   a native function value, or a getter's value such as `size`).
//!
//! Method values are cached per (family, name) in the runtime, so `xs.map(f)` does not allocate a
//! new function object on every call.

pub mod array;
pub mod collections;
pub mod date;
pub mod error;
pub mod function;
pub mod global;
pub mod math;
pub mod number;
pub mod object;
pub mod promise_api;
pub mod regexp;
pub mod string;

use super::value::{Func, Kind, Res, Value};
use super::Rt;

/// The value of a built-in global name, or `None` when the sandbox does not define it (a
/// `ReferenceError` for the script).
pub fn global(rt: &Rt, name: &str) -> Option<Value> {
    match name {
        "undefined" => Some(Value::Undefined),
        "NaN" => Some(Value::Number(f64::NAN)),
        "Infinity" => Some(Value::Number(f64::INFINITY)),
        "Math" => Some(math::namespace(rt)),
        "JSON" => Some(super::json::namespace(rt)),
        "Array" => Some(array::constructor(rt)),
        "Object" => Some(object::constructor(rt)),
        "String" => Some(string::constructor(rt)),
        "Number" => Some(number::constructor(rt)),
        "Boolean" => Some(number::boolean_constructor(rt)),
        "Map" | "Set" => Some(collections::constructor(rt, name)),
        // Weak collections behave as their strong counterparts here: a run is short and its heap
        // dies with it, so holding keys strongly is not observable (keys must still be objects
        // in V8; that check is not made).
        "WeakMap" => Some(collections::constructor(rt, "Map")),
        "WeakSet" => Some(collections::constructor(rt, "Set")),
        "Promise" => Some(promise_api::constructor(rt)),
        "Date" => Some(date::constructor(rt)),
        "RegExp" => Some(regexp::constructor(rt)),
        "Error" | "TypeError" | "RangeError" | "SyntaxError" | "ReferenceError" | "EvalError"
        | "URIError" | "AggregateError" => Some(error::constructor(rt, name)),
        "Function" => None,
        _ => global::function(rt, name),
    }
}

/// What `receiver[key]` finds beyond the receiver's own properties.
pub fn property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    let found = match receiver {
        Value::String(_) => string::property(rt, receiver, key),
        Value::Number(_) => number::property(rt, receiver, key),
        Value::Bool(_) => number::boolean_property(rt, receiver, key),
        Value::Object(o) => {
            let family = match &o.borrow().kind {
                Kind::Array(_) => Family::Array,
                Kind::Function(Func::Native(_) | Func::Closure(_)) => Family::Function,
                Kind::Map(_) | Kind::Set(_) => Family::Collection,
                Kind::Date(_) => Family::Date,
                Kind::RegExp(_) => Family::RegExp,
                Kind::Promise(_) => Family::Promise,
                Kind::Error(_) => Family::Error,
                Kind::Primitive(Value::String(_)) => Family::StringObject,
                Kind::Primitive(Value::Number(_)) => Family::NumberObject,
                Kind::Primitive(Value::Bool(_)) => Family::BooleanObject,
                Kind::Primitive(_) => Family::Other,
                Kind::Object => Family::Other,
            };
            match family {
                Family::Array => array::property(rt, receiver, key),
                Family::Function => function::property(rt, receiver, key),
                Family::Collection => collections::property(rt, receiver, key),
                Family::Date => date::property(rt, receiver, key),
                Family::RegExp => regexp::property(rt, receiver, key),
                Family::Promise => promise_api::property(rt, receiver, key),
                Family::Error => error::property(rt, receiver, key),
                Family::StringObject => string::property(rt, receiver, key),
                Family::NumberObject => number::property(rt, receiver, key),
                Family::BooleanObject => number::boolean_property(rt, receiver, key),
                Family::Other => None,
            }
        }
        Value::Undefined | Value::Null => None,
    };
    found.or_else(|| object::prototype_property(rt, receiver, key))
}

enum Family {
    Array,
    Function,
    Collection,
    Date,
    RegExp,
    Promise,
    Error,
    StringObject,
    NumberObject,
    BooleanObject,
    Other,
}

/// `String(date)` / `date.toString()`.
pub fn date_to_string(rt: &Rt, v: &Value) -> Res<Value> {
    date::to_string(rt, v)
}
