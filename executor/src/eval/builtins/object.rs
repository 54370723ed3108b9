//! `Object`, its static methods, and `Object.prototype` (the fallback for every object that has
//! one).
//!
//! Property attributes are not modelled: every own property in `ObjData::props` is an enumerable,
//! writable data property. Consequences, all documented here:
//! - `Object.defineProperty(o, k, {value})` stores the value; `enumerable`, `writable` and
//!   `configurable` are ignored (so a property V8 would hide from `Object.keys` shows up), and
//!   accessor descriptors (`get`/`set`) throw a `TypeError`;
//! - `Object.create(proto)` with an object `proto` returns a plain object: prototypes are not
//!   modelled, nothing is inherited or copied (`Object.create(null)` gives a null-prototype
//!   object, as in JavaScript);
//! - on `Error` objects the keys `cause` and `errors` (which the constructors install as
//!   non-enumerable) are treated as non-enumerable wherever they come from;
//! - static methods of the built-in constructors are not own properties (they are found through
//!   `function::property`), so `Object.keys(Array)` is `[]` as in V8.
//!
//! `Object.groupBy` is provided although Node 20 lacks it (Node 21+ behaviour).

use indexmap::IndexMap;

use crate::eval::ops;
use crate::eval::value::{
    array_index, ordered_keys, strict_equals, utf16_len, Ctor, Func, JsStr, Kind, Native, Obj, Res,
    Value,
};
use crate::eval::Rt;

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// Inherited properties of `Object` instances are answered by [`prototype_property`]; an
/// ordinary object has no family of its own.
pub fn property(_rt: &Rt, _receiver: &Value, _key: &str) -> Option<Value> {
    None
}

/// The `Object` constructor.
pub fn constructor(_rt: &Rt) -> Value {
    let f: crate::eval::value::NativeImpl =
        std::rc::Rc::new(|rt, _, args| Ok(to_object_value(rt, &arg(args, 0))));
    Value::Object(Obj::new(Kind::Function(Func::Native(Native {
        name: "Object".into(),
        call: f.clone(),
        construct: Some(f),
        ctor: Some(Ctor::Object),
    }))))
}

/// `Object(x)`: a fresh object for `null`/`undefined`, a wrapper for a primitive, `x` itself for
/// an object.
fn to_object_value(_rt: &Rt, v: &Value) -> Value {
    match v {
        Value::Undefined | Value::Null => Value::Object(Obj::new(Kind::Object)),
        Value::Object(_) => v.clone(),
        p => Value::Object(Obj::new(Kind::Primitive(p.clone()))),
    }
}

/// `RequireObjectCoercible`-style check of the `Object.*` statics.
fn require_coercible(rt: &Rt, v: &Value) -> Res<()> {
    if v.is_nullish() {
        return Err(rt.type_error("Cannot convert undefined or null to object"));
    }
    Ok(())
}

/// A static method of `Object` (`Object.keys`, …).
pub fn static_property(rt: &Rt, key: &str) -> Option<Value> {
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        // `Object.prototype.toString.call(x)`, `Object.prototype.hasOwnProperty.call(o, k)`.
        "prototype" => {
            return rt.cached_method("Object", key, |rt| {
                Some(super::string::prototype(
                    rt,
                    &Value::Undefined,
                    &[
                        "hasOwnProperty",
                        "isPrototypeOf",
                        "propertyIsEnumerable",
                        "toString",
                        "toLocaleString",
                        "valueOf",
                    ],
                    prototype_property,
                ))
            })
        }
        "keys" => |rt, _, args| {
            let o = arg(args, 0);
            require_coercible(rt, &o)?;
            let keys = own_enumerable_keys(rt, &o)?;
            Ok(rt.new_array(keys.into_iter().map(Value::String).collect()))
        },
        "values" => |rt, _, args| {
            let o = arg(args, 0);
            require_coercible(rt, &o)?;
            let keys = own_enumerable_keys(rt, &o)?;
            let mut out = Vec::with_capacity(keys.len());
            for k in keys {
                out.push(rt.get(&o, &k)?);
            }
            Ok(rt.new_array(out))
        },
        "entries" => |rt, _, args| {
            let o = arg(args, 0);
            require_coercible(rt, &o)?;
            let keys = own_enumerable_keys(rt, &o)?;
            let mut out = Vec::with_capacity(keys.len());
            for k in keys {
                let v = rt.get(&o, &k)?;
                out.push(rt.new_array(vec![Value::String(k), v]));
            }
            Ok(rt.new_array(out))
        },
        "assign" => |rt, _, args| {
            let target = arg(args, 0);
            require_coercible(rt, &target)?;
            let to = to_object_value(rt, &target);
            for source in args.iter().skip(1) {
                if source.is_nullish() {
                    continue;
                }
                for k in own_enumerable_keys(rt, source)? {
                    let v = rt.get(source, &k)?;
                    strict_set(rt, &to, &k, v)?;
                }
            }
            Ok(to)
        },
        "fromEntries" => |rt, _, args| {
            let iterable = arg(args, 0);
            if iterable.is_nullish() {
                // V8's wording, for `null` too.
                return Err(rt.type_error("undefined is not iterable"));
            }
            let entries = super::array::iterate(rt, &iterable)?;
            let out = Value::Object(Obj::new(Kind::Object));
            for entry in entries {
                let (k, v) = entry_pair(rt, &entry)?;
                let k = ops::to_key(rt, &k)?;
                rt.set(&out, &k, v)?;
            }
            Ok(out)
        },
        "freeze" => |_, _, args| {
            let o = arg(args, 0);
            if let Value::Object(obj) = &o {
                obj.borrow_mut().frozen = true;
            }
            Ok(o)
        },
        "isFrozen" => |_, _, args| {
            Ok(Value::Bool(match arg(args, 0) {
                Value::Object(o) => o.borrow().frozen,
                _ => true,
            }))
        },
        "create" => |rt, _, args| {
            let proto = arg(args, 0);
            let o = Obj::new(Kind::Object);
            match &proto {
                Value::Null => o.borrow_mut().null_proto = true,
                Value::Object(_) => {}
                other => {
                    return Err(rt.type_error(&format!(
                        "Object prototype may only be an Object or null: {}",
                        ops::to_string(rt, other)?
                    )))
                }
            }
            let out = Value::Object(o);
            let props = arg(args, 1);
            if !matches!(props, Value::Undefined) {
                define_properties(rt, &out, &props)?;
            }
            Ok(out)
        },
        "getOwnPropertyNames" => |rt, _, args| {
            let o = arg(args, 0);
            require_coercible(rt, &o)?;
            Ok(rt.new_array(own_keys(&o, true).into_iter().map(Value::String).collect()))
        },
        "hasOwn" => |rt, _, args| {
            let o = arg(args, 0);
            require_coercible(rt, &o)?;
            let k = ops::to_key(rt, &arg(args, 1))?;
            Ok(Value::Bool(has_own(&o, &k)))
        },
        "groupBy" => |rt, _, args| {
            let items = arg(args, 0);
            let cb = arg(args, 1);
            require_coercible(rt, &items)?;
            if !cb.is_callable() {
                return Err(rt.type_error(&format!("{} is not a function", ops::describe(&cb))));
            }
            let mut groups: IndexMap<JsStr, Vec<Value>> = IndexMap::new();
            for (i, v) in super::array::iterate(rt, &items)?.into_iter().enumerate() {
                let k = rt.call(
                    &cb,
                    &Value::Undefined,
                    &[v.clone(), Value::Number(i as f64)],
                )?;
                let k = ops::to_key(rt, &k)?;
                groups.entry(k).or_default().push(v);
            }
            let out = Obj::new(Kind::Object);
            {
                let mut d = out.borrow_mut();
                d.null_proto = true;
                for (k, vs) in groups {
                    d.props.insert(k, rt.new_array(vs));
                }
            }
            Ok(Value::Object(out))
        },
        "defineProperty" => |rt, _, args| {
            let o = arg(args, 0);
            if !matches!(o, Value::Object(_)) {
                return Err(rt.type_error("Object.defineProperty called on non-object"));
            }
            let k = ops::to_key(rt, &arg(args, 1))?;
            define_property(rt, &o, &k, &arg(args, 2))?;
            Ok(o)
        },
        "defineProperties" => |rt, _, args| {
            let o = arg(args, 0);
            if !matches!(o, Value::Object(_)) {
                return Err(rt.type_error("Object.defineProperties called on non-object"));
            }
            define_properties(rt, &o, &arg(args, 1))?;
            Ok(o)
        },
        "is" => |_, _, args| Ok(Value::Bool(same_value(&arg(args, 0), &arg(args, 1)))),
        "getPrototypeOf" => |rt, _, args| {
            let o = arg(args, 0);
            require_coercible(rt, &o)?;
            // Prototypes are not modelled: a null-prototype object answers null, others an
            // empty stand-in object.
            let proto = match &o {
                Value::Object(obj) if obj.borrow().null_proto => return Ok(Value::Null),
                Value::Object(obj) => match &obj.borrow().kind {
                    Kind::Object => static_property(rt, "prototype"),
                    Kind::Array(_) => super::array::static_property(rt, "prototype"),
                    _ => None,
                },
                _ => None,
            };
            Ok(proto.unwrap_or_else(|| Value::Object(Obj::new(Kind::Object))))
        },
        _ => return None,
    };
    rt.cached_method("Object", key, |rt| Some(rt.native_fn(key, f)))
}

/// `{0: k, 1: v}` of an entry object (`Object.fromEntries`, `new Map(entries)`).
pub fn entry_pair(rt: &Rt, entry: &Value) -> Res<(Value, Value)> {
    if !matches!(entry, Value::Object(_)) {
        return Err(rt.type_error(&format!(
            "Iterator value {} is not an entry object",
            ops::to_string(rt, entry)?
        )));
    }
    Ok((rt.get(entry, "0")?, rt.get(entry, "1")?))
}

/// `Set(O, P, V, true)`: like `rt.set` but a frozen target throws, as built-ins do.
pub fn strict_set(rt: &Rt, target: &Value, key: &str, value: Value) -> Res<()> {
    if let Value::Object(o) = target {
        if o.borrow().frozen {
            return Err(if has_own(target, key) {
                rt.type_error(&format!(
                    "Cannot assign to read only property '{key}' of object '{}'",
                    receiver_repr(target)
                ))
            } else {
                rt.type_error(&format!(
                    "Cannot add property {key}, object is not extensible"
                ))
            });
        }
    }
    rt.set(target, key, value)
}

fn define_property(rt: &Rt, o: &Value, key: &str, desc: &Value) -> Res<()> {
    if !matches!(desc, Value::Object(_)) {
        return Err(rt.type_error(&format!(
            "Property description must be an object: {}",
            ops::to_string(rt, desc)?
        )));
    }
    if has_own(desc, "get") || has_own(desc, "set") {
        return Err(rt.type_error(
            "Object.defineProperty: getters and setters are not supported in workflow scripts",
        ));
    }
    if let Value::Object(obj) = o {
        if obj.borrow().frozen {
            return Err(rt.type_error(&format!("Cannot redefine property: {key}")));
        }
    }
    if has_own(desc, "value") {
        let v = rt.get(desc, "value")?;
        rt.set(o, key, v)?;
    } else if !has_own(o, key) {
        rt.set(o, key, Value::Undefined)?;
    }
    Ok(())
}

fn define_properties(rt: &Rt, o: &Value, props: &Value) -> Res<()> {
    require_coercible(rt, props)?;
    for k in own_enumerable_keys(rt, props)? {
        let desc = rt.get(props, &k)?;
        define_property(rt, o, &k, &desc)?;
    }
    Ok(())
}

/// SameValue (`Object.is`): `NaN` is `NaN`, `+0` is not `-0`.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if x.is_nan() && y.is_nan() {
                true
            } else {
                x == y && x.is_sign_negative() == y.is_sign_negative()
            }
        }
        _ => strict_equals(a, b),
    }
}

/// How V8 names an object in messages (`#<Object>`, `[object Array]`); primitives as `String`.
pub fn receiver_repr(v: &Value) -> String {
    match v {
        Value::Object(o) => {
            let name = ops::class_name(o);
            if name == "Array" {
                "[object Array]".into()
            } else if o.borrow().null_proto {
                "[object Object]".into()
            } else {
                format!("#<{name}>")
            }
        }
        other => ops::primitive_to_string(other).to_string(),
    }
}

/// Keys the constructors install as non-enumerable on errors.
fn hidden_error_key(data: &crate::eval::value::ObjData, key: &str) -> bool {
    matches!(data.kind, Kind::Error(_)) && (key == "cause" || key == "errors")
}

/// The own enumerable string keys of a value (`Object.keys` order): array and string indices
/// first, then the properties in JavaScript's order. Primitives other than strings have none.
pub fn own_enumerable_keys(_rt: &Rt, v: &Value) -> Res<Vec<JsStr>> {
    Ok(own_keys(v, false))
}

/// The own keys of a value; with `all`, also the non-enumerable ones V8 reports from
/// `Object.getOwnPropertyNames` (`length`, an error's `stack` and `message`, …).
pub fn own_keys(v: &Value, all: bool) -> Vec<JsStr> {
    let indices = |n: usize| (0..n).map(|i| JsStr::from(i.to_string()));
    match v {
        Value::String(s) => {
            let mut keys: Vec<JsStr> = indices(utf16_len(s)).collect();
            if all {
                keys.push("length".into());
            }
            keys
        }
        Value::Object(o) => {
            let data = o.borrow();
            let mut keys: Vec<JsStr> = Vec::new();
            match &data.kind {
                Kind::Array(items) => {
                    keys.extend(indices(items.len()));
                    if all {
                        keys.push("length".into());
                    }
                }
                Kind::Primitive(Value::String(s)) => {
                    keys.extend(indices(utf16_len(s)));
                    if all {
                        keys.push("length".into());
                    }
                }
                Kind::Error(e) if all => {
                    if !data.props.contains_key("stack") {
                        keys.push("stack".into());
                    }
                    if !e.message.is_empty() && !data.props.contains_key("message") {
                        keys.push("message".into());
                    }
                }
                Kind::Function(_) if all => {
                    keys.push("length".into());
                    keys.push("name".into());
                }
                _ => {}
            }
            for k in ordered_keys(&data.props) {
                if all || !hidden_error_key(&data, &k) {
                    keys.push(k);
                }
            }
            keys
        }
        _ => Vec::new(),
    }
}

/// `HasOwnProperty(v, key)`.
pub fn has_own(v: &Value, key: &str) -> bool {
    match v {
        Value::String(s) => {
            key == "length" || array_index(key).is_some_and(|i| (i as usize) < utf16_len(s))
        }
        Value::Object(o) => {
            let data = o.borrow();
            if data.props.contains_key(key) {
                return true;
            }
            match &data.kind {
                Kind::Array(items) => {
                    key == "length" || array_index(key).is_some_and(|i| (i as usize) < items.len())
                }
                Kind::Primitive(Value::String(s)) => {
                    key == "length" || array_index(key).is_some_and(|i| (i as usize) < utf16_len(s))
                }
                Kind::Error(e) => key == "stack" || (key == "message" && !e.message.is_empty()),
                Kind::Function(_) => key == "length" || key == "name",
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether `key` is an own enumerable property of `v`.
fn is_enumerable_own(v: &Value, key: &str) -> bool {
    match v {
        Value::String(s) => array_index(key).is_some_and(|i| (i as usize) < utf16_len(s)),
        Value::Object(o) => {
            let data = o.borrow();
            if data.props.contains_key(key) {
                return !hidden_error_key(&data, key);
            }
            match &data.kind {
                Kind::Array(items) => array_index(key).is_some_and(|i| (i as usize) < items.len()),
                Kind::Primitive(Value::String(s)) => {
                    array_index(key).is_some_and(|i| (i as usize) < utf16_len(s))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// The name of the global constructor of a value's kind (`constructor`).
fn constructor_name(v: &Value) -> Option<String> {
    Some(match v {
        Value::String(_) => "String".into(),
        Value::Number(_) => "Number".into(),
        Value::Bool(_) => "Boolean".into(),
        Value::Object(o) => match &o.borrow().kind {
            Kind::Error(e) => match &*e.name {
                n @ ("Error" | "TypeError" | "RangeError" | "SyntaxError" | "ReferenceError"
                | "EvalError" | "URIError" | "AggregateError") => n.to_string(),
                _ => "Error".into(),
            },
            Kind::Function(_) => "Function".into(),
            _ => ops::class_name(o).to_string(),
        },
        Value::Undefined | Value::Null => return None,
    })
}

/// `Object.prototype`'s properties, for any receiver that reaches them.
pub fn prototype_property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    if let Value::Object(o) = receiver {
        if o.borrow().null_proto {
            return None;
        }
    }
    if key == "constructor" {
        return rt.global(&constructor_name(receiver)?);
    }
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "hasOwnProperty" => |rt, this, args| {
            let k = ops::to_key(rt, &arg(args, 0))?;
            require_coercible(rt, this)?;
            Ok(Value::Bool(has_own(this, &k)))
        },
        "isPrototypeOf" => |_, _, _| Ok(Value::Bool(false)),
        "propertyIsEnumerable" => |rt, this, args| {
            let k = ops::to_key(rt, &arg(args, 0))?;
            require_coercible(rt, this)?;
            Ok(Value::Bool(is_enumerable_own(this, &k)))
        },
        "toString" => |_, this, _| {
            let tag = match this {
                Value::Undefined => "Undefined",
                Value::Null => "Null",
                Value::String(_) => "String",
                Value::Number(_) => "Number",
                Value::Bool(_) => "Boolean",
                Value::Object(o) => match ops::class_name(o) {
                    // Only these have a distinct builtin tag or `@@toStringTag`.
                    n @ ("Array" | "Function" | "Error" | "Date" | "RegExp" | "Map" | "Set"
                    | "Promise" | "String" | "Number" | "Boolean") => n,
                    _ => "Object",
                },
            };
            Ok(Value::string(format!("[object {tag}]")))
        },
        "toLocaleString" => |rt, this, _| {
            let f = rt.get(this, "toString")?;
            rt.call(&f, this, &[])
        },
        "valueOf" => |rt, this, _| {
            require_coercible(rt, this)?;
            Ok(to_object_value(rt, this))
        },
        _ => return None,
    };
    rt.cached_method("Object.prototype", key, |rt| Some(rt.native_fn(key, f)))
}
