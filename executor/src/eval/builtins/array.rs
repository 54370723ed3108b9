//! `Array`, its statics and `Array.prototype`'s methods.
//!
//! Arrays are dense `Vec<Value>`s: a hole (`new Array(3)`, `delete a[0]`, `a.length = 5`) is an
//! `undefined` element. So `[,1].forEach` visits index 0 (V8 skips holes), `Object.keys(Array(2))`
//! is `["0","1"]` (V8: `[]`), and `JSON.stringify` agrees with V8 anyway (`null`).
//!
//! Methods follow the spec's algorithms where a callback can observe them: the length is read once
//! at the start, each element is read when it is visited (so callbacks may push, pop or splice the
//! array, with the spec's outcome), and no `RefCell` borrow is held across a call into script code.
//!
//! Known differences, documented:
//! - `entries()`, `keys()` and `values()` return arrays (of `[index, value]` pairs, indices,
//!   values), not lazy iterators: `for…of` and spreading work, `.next()` does not;
//! - `sort`/`toSorted` are V8's TimSort, ported step by step: the comparator sees the same calls
//!   in the same order as in V8, so even inconsistent comparators (`(a, b) => a > b`) give V8's
//!   result; the default comparator converts each element with `ToString` once up front rather
//!   than at every comparison (only observable through a side-effecting `toString`);
//! - `new Array(n)` / `Array(n)` / `Array.from({length: n})` and writes beyond the end cannot
//!   create more than 10,000,000 elements (`RangeError: Invalid array length`), where V8 creates
//!   sparse arrays;
//! - reading methods called on a non-array `this` (`[].map.call(arrayLike, f)`) work on a snapshot
//!   of the array-like; mutating methods require a real array (`TypeError` otherwise);
//! - mutating a frozen array throws V8's `TypeError` messages for the common cases (`push`, `pop`,
//!   `shift`, `unshift`, `splice`, `fill`, `sort`, `reverse`, `copyWithin`);
//! - `join`/`toString` return `""` for an array nested in itself (as V8 does), but only when the
//!   cycle goes through arrays that `join` itself visits.

use std::cell::RefCell;
use std::rc::Rc;

use crate::eval::ops;
use crate::eval::value::{
    number_to_string, same_value_zero, strict_equals, to_integer, to_uint32, Ctor, Func, JsStr,
    Kind, Native, NativeImpl, Obj, Res, Value,
};
use crate::eval::Rt;

/// The most elements an array created by `Array(n)` or `Array.from` may have.
pub const MAX_DENSE_LENGTH: usize = 10_000_000;

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// The `Array` constructor (callable with or without `new`).
pub fn constructor(_rt: &Rt) -> Value {
    let f: NativeImpl = Rc::new(|rt, _, args| {
        if let [Value::Number(n)] = args {
            let len = to_uint32(*n);
            if f64::from(len) != *n || len as usize > MAX_DENSE_LENGTH {
                return Err(rt.range_error("Invalid array length"));
            }
            return Ok(rt.new_array(vec![Value::Undefined; len as usize]));
        }
        Ok(rt.new_array(args.to_vec()))
    });
    Value::Object(Obj::new(Kind::Function(Func::Native(Native {
        name: "Array".into(),
        call: f.clone(),
        construct: Some(f),
        ctor: Some(Ctor::Array),
    }))))
}

/// A static method of `Array`.
pub fn static_property(rt: &Rt, key: &str) -> Option<Value> {
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "isArray" => |_, _, args| {
            Ok(Value::Bool(
                matches!(args.first(), Some(Value::Object(o)) if o.is_array()),
            ))
        },
        "of" => |rt, _, args| Ok(rt.new_array(args.to_vec())),
        "from" => array_from,
        "prototype" => {
            return rt.cached_method("Array", key, |rt| {
                Some(super::string::prototype(
                    rt,
                    &Value::Undefined,
                    PROTOTYPE_METHODS,
                    property,
                ))
            })
        }
        _ => return None,
    };
    rt.cached_method("Array", key, |rt| Some(rt.native_fn(key, f)))
}

fn array_from(rt: &Rt, _: &Value, args: &[Value]) -> Res<Value> {
    let items = arg(args, 0);
    let map_fn = arg(args, 1);
    let this_arg = arg(args, 2);
    let mapping = !matches!(map_fn, Value::Undefined);
    if mapping && !map_fn.is_callable() {
        return Err(rt.type_error(&format!("{} is not a function", ops::describe(&map_fn))));
    }
    let map = |v: Value, k: usize| -> Res<Value> {
        if mapping {
            rt.call(&map_fn, &this_arg, &[v, Value::Number(k as f64)])
        } else {
            Ok(v)
        }
    };
    let mut out = Vec::new();
    match &items {
        Value::Undefined | Value::Null => return Err(not_iterable(rt, &items)),
        Value::Object(o) if o.is_array() => {
            // The array iterator reads the length at every step.
            let mut k = 0;
            while k < arr_len(o) {
                let v = arr_get(o, k);
                out.push(map(v, k)?);
                k += 1;
            }
        }
        Value::String(_) => {
            for (k, v) in iterate(rt, &items)?.into_iter().enumerate() {
                out.push(map(v, k)?);
            }
        }
        Value::Object(o) if matches!(o.borrow().kind, Kind::Map(_) | Kind::Set(_)) => {
            for (k, v) in iterate(rt, &items)?.into_iter().enumerate() {
                out.push(map(v, k)?);
            }
        }
        _ => {
            let len = length_of(rt, &items)?;
            if len > MAX_DENSE_LENGTH {
                return Err(rt.range_error("Invalid array length"));
            }
            for k in 0..len {
                let v = rt.get(&items, &k.to_string())?;
                out.push(map(v, k)?);
            }
        }
    }
    Ok(rt.new_array(out))
}

/// V8's `TypeError` for a value that is not iterable.
pub fn not_iterable(rt: &Rt, v: &Value) -> Value {
    let what = match v {
        Value::Undefined => "undefined".to_string(),
        Value::Null => "object null".to_string(),
        Value::Object(_) => v.type_of().to_string(),
        other => format!("{} {}", other.type_of(), ops::primitive_to_string(other)),
    };
    rt.type_error(&format!(
        "{what} is not iterable (cannot read property Symbol(Symbol.iterator))"
    ))
}

/// The values an iterable produces, collected: an array's elements, a string's code points, a
/// `Map`'s `[key, value]` entries, a `Set`'s values. Anything else is not iterable (there are no
/// user-defined iterators in the dialect).
pub fn iterate(rt: &Rt, v: &Value) -> Res<Vec<Value>> {
    match v {
        Value::String(s) => Ok(s.chars().map(|c| Value::string(c.to_string())).collect()),
        Value::Object(o) => {
            let data = o.borrow();
            match &data.kind {
                Kind::Array(items) => Ok(items.clone()),
                Kind::Set(set) => Ok(set.entries.values().cloned().collect()),
                Kind::Map(map) => {
                    let pairs: Vec<(Value, Value)> = map.entries.values().cloned().collect();
                    drop(data);
                    Ok(pairs
                        .into_iter()
                        .map(|(k, v)| rt.new_array(vec![k, v]))
                        .collect())
                }
                Kind::Primitive(Value::String(s)) => {
                    Ok(s.chars().map(|c| Value::string(c.to_string())).collect())
                }
                _ => {
                    drop(data);
                    Err(not_iterable(rt, v))
                }
            }
        }
        _ => Err(not_iterable(rt, v)),
    }
}

/// `LengthOfArrayLike`: `ToLength(Get(v, "length"))`.
pub fn length_of(rt: &Rt, v: &Value) -> Res<usize> {
    if let Value::Object(o) = v {
        if let Kind::Array(items) = &o.borrow().kind {
            return Ok(items.len());
        }
    }
    if v.is_nullish() {
        return Ok(0);
    }
    let n = ops::to_number(rt, &rt.get(v, "length")?)?;
    let n = to_integer(n);
    Ok(if n <= 0.0 {
        0
    } else {
        n.min(9_007_199_254_740_991.0) as usize
    })
}

fn arr_len(o: &Obj) -> usize {
    match &o.borrow().kind {
        Kind::Array(items) => items.len(),
        _ => 0,
    }
}

fn arr_get(o: &Obj, i: usize) -> Value {
    match &o.borrow().kind {
        Kind::Array(items) => items.get(i).cloned().unwrap_or_default(),
        _ => Value::Undefined,
    }
}

fn arr_snapshot(o: &Obj) -> Vec<Value> {
    o.array_elements()
}

/// The object a reading method works on: the array itself, or a snapshot array of an array-like
/// (`this` stays the original value for callbacks).
fn target(rt: &Rt, this: &Value, name: &str) -> Res<Obj> {
    match this {
        Value::Object(o) if o.is_array() => Ok(o.clone()),
        Value::Undefined | Value::Null => Err(rt.type_error(&format!(
            "Array.prototype.{name} called on null or undefined"
        ))),
        Value::String(s) => {
            let units: Vec<Value> = s
                .encode_utf16()
                .map(|u| Value::string(String::from_utf16_lossy(&[u])))
                .collect();
            Ok(Obj::new(Kind::Array(units)))
        }
        Value::Object(_) => {
            let len = length_of(rt, this)?.min(MAX_DENSE_LENGTH);
            let mut items = Vec::with_capacity(len);
            for k in 0..len {
                items.push(rt.get(this, &k.to_string())?);
            }
            Ok(Obj::new(Kind::Array(items)))
        }
        _ => Ok(Obj::new(Kind::Array(Vec::new()))),
    }
}

/// The array a mutating method works on.
fn target_mut(rt: &Rt, this: &Value, name: &str) -> Res<Obj> {
    match this {
        Value::Object(o) if o.is_array() => Ok(o.clone()),
        Value::Undefined | Value::Null => Err(rt.type_error(&format!(
            "Array.prototype.{name} called on null or undefined"
        ))),
        _ => Err(rt.type_error(&format!(
            "Array.prototype.{name} is only supported on arrays in workflow scripts"
        ))),
    }
}

fn is_frozen(o: &Obj) -> bool {
    o.borrow().frozen
}

fn read_only(rt: &Rt, key: &str) -> Value {
    rt.type_error(&format!(
        "Cannot assign to read only property '{key}' of object '[object Array]'"
    ))
}

fn not_extensible(rt: &Rt, key: usize) -> Value {
    rt.type_error(&format!(
        "Cannot add property {key}, object is not extensible"
    ))
}

fn cannot_delete(rt: &Rt, key: usize) -> Value {
    rt.type_error(&format!("Cannot delete property '{key}' of [object Array]"))
}

fn callback(rt: &Rt, args: &[Value]) -> Res<Value> {
    let f = arg(args, 0);
    if !f.is_callable() {
        return Err(rt.type_error(&format!("{} is not a function", ops::describe(&f))));
    }
    Ok(f)
}

/// `ToIntegerOrInfinity` of an argument.
fn int_arg(rt: &Rt, v: &Value) -> Res<f64> {
    Ok(to_integer(ops::to_number(rt, v)?))
}

/// A relative index (`slice`, `splice`, `fill`, …) clamped to `0..=len`; `undefined` gives
/// `default`.
fn rel_index(rt: &Rt, v: &Value, len: usize, default: usize) -> Res<usize> {
    if matches!(v, Value::Undefined) {
        return Ok(default);
    }
    let n = int_arg(rt, v)?;
    let len_f = len as f64;
    Ok(if n < 0.0 {
        (len_f + n).max(0.0) as usize
    } else {
        n.min(len_f) as usize
    })
}

/// The methods `Array.prototype` holds as own properties (`Array.prototype.slice.call(…)`).
const PROTOTYPE_METHODS: &[&str] = &[
    "at",
    "concat",
    "copyWithin",
    "entries",
    "keys",
    "values",
    "every",
    "some",
    "forEach",
    "fill",
    "filter",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "flat",
    "flatMap",
    "includes",
    "indexOf",
    "lastIndexOf",
    "join",
    "toString",
    "toLocaleString",
    "map",
    "pop",
    "push",
    "reduce",
    "reduceRight",
    "reverse",
    "shift",
    "unshift",
    "slice",
    "sort",
    "splice",
    "toReversed",
    "toSorted",
    "toSpliced",
    "with",
];

/// An `Array.prototype` method.
pub fn property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    let _ = receiver;
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "at" => at,
        "concat" => concat,
        "copyWithin" => copy_within,
        "entries" => |rt, this, _| {
            let o = target(rt, this, "entries")?;
            let items = arr_snapshot(&o);
            Ok(rt.new_array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| rt.new_array(vec![Value::Number(i as f64), v]))
                    .collect(),
            ))
        },
        "keys" => |rt, this, _| {
            let o = target(rt, this, "keys")?;
            let n = arr_len(&o);
            Ok(rt.new_array((0..n).map(|i| Value::Number(i as f64)).collect()))
        },
        "values" => |rt, this, _| {
            let o = target(rt, this, "values")?;
            Ok(rt.new_array(arr_snapshot(&o)))
        },
        "every" => |rt, this, args| {
            let r = scan(rt, this, args, "every", |b| !b)?;
            Ok(Value::Bool(r.is_none()))
        },
        "some" => |rt, this, args| {
            let r = scan(rt, this, args, "some", |b| b)?;
            Ok(Value::Bool(r.is_some()))
        },
        "forEach" => |rt, this, args| {
            scan(rt, this, args, "forEach", |_| false)?;
            Ok(Value::Undefined)
        },
        "fill" => fill,
        "filter" => filter,
        "find" => |rt, this, args| Ok(find(rt, this, args, "find", false)?.1),
        "findIndex" => {
            |rt, this, args| Ok(Value::Number(find(rt, this, args, "findIndex", false)?.0))
        }
        "findLast" => |rt, this, args| Ok(find(rt, this, args, "findLast", true)?.1),
        "findLastIndex" => |rt, this, args| {
            Ok(Value::Number(
                find(rt, this, args, "findLastIndex", true)?.0,
            ))
        },
        "flat" => flat,
        "flatMap" => flat_map,
        "includes" => includes,
        "indexOf" => index_of,
        "lastIndexOf" => last_index_of,
        "join" => |rt, this, args| {
            let o = target(rt, this, "join")?;
            let sep = match arg(args, 0) {
                Value::Undefined => JsStr::from(","),
                s => ops::to_string(rt, &s)?,
            };
            Ok(Value::String(join_array(rt, &o, &sep)?))
        },
        "toString" => |rt, this, _| {
            let o = target(rt, this, "toString")?;
            Ok(Value::String(join_array(rt, &o, ",")?))
        },
        "toLocaleString" => to_locale_string,
        "map" => map,
        "pop" => pop,
        "push" => push,
        "reduce" => |rt, this, args| reduce(rt, this, args, false),
        "reduceRight" => |rt, this, args| reduce(rt, this, args, true),
        "reverse" => reverse,
        "shift" => shift,
        "unshift" => unshift,
        "slice" => slice,
        "sort" => sort,
        "splice" => splice,
        "toReversed" => |rt, this, _| {
            let o = target(rt, this, "toReversed")?;
            let mut items = arr_snapshot(&o);
            items.reverse();
            Ok(rt.new_array(items))
        },
        "toSorted" => to_sorted,
        "toSpliced" => to_spliced,
        "with" => with,
        _ => return None,
    };
    rt.cached_method("Array.prototype", key, |rt| Some(rt.native_fn(key, f)))
}

fn at(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "at")?;
    let len = arr_len(&o) as f64;
    let n = int_arg(rt, &arg(args, 0))?;
    let k = if n >= 0.0 { n } else { len + n };
    if k < 0.0 || k >= len {
        return Ok(Value::Undefined);
    }
    Ok(arr_get(&o, k as usize))
}

fn concat(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let mut out = match this {
        Value::Object(o) if o.is_array() => arr_snapshot(o),
        Value::Undefined | Value::Null => {
            return Err(rt.type_error("Array.prototype.concat called on null or undefined"))
        }
        other => vec![other.clone()],
    };
    for item in args {
        match item {
            Value::Object(o) if o.is_array() => out.extend(arr_snapshot(o)),
            other => out.push(other.clone()),
        }
    }
    Ok(rt.new_array(out))
}

fn copy_within(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target_mut(rt, this, "copyWithin")?;
    let len = arr_len(&o);
    let to = rel_index(rt, &arg(args, 0), len, 0)?;
    let from = rel_index(rt, &arg(args, 1), len, 0)?;
    let fin = rel_index(rt, &arg(args, 2), len, len)?;
    let count = fin.saturating_sub(from).min(len - to);
    if count == 0 {
        return Ok(this.clone());
    }
    if is_frozen(&o) {
        return Err(read_only(rt, &to.to_string()));
    }
    if let Kind::Array(items) = &mut o.borrow_mut().kind {
        let chunk: Vec<Value> = items[from..from + count].to_vec();
        for (i, v) in chunk.into_iter().enumerate() {
            items[to + i] = v;
        }
    }
    Ok(this.clone())
}

/// The shared loop of `every`, `some` and `forEach`: calls the callback on each present element
/// and stops at the first result for which `stop(truthy)` holds, returning its index.
fn scan(
    rt: &Rt,
    this: &Value,
    args: &[Value],
    name: &str,
    stop: impl Fn(bool) -> bool,
) -> Res<Option<usize>> {
    let o = target(rt, this, name)?;
    let f = callback(rt, args)?;
    let this_arg = arg(args, 1);
    let len = arr_len(&o);
    for k in 0..len {
        if k >= arr_len(&o) {
            continue;
        }
        let v = arr_get(&o, k);
        let r = rt.call(&f, &this_arg, &[v, Value::Number(k as f64), this.clone()])?;
        if stop(r.truthy()) {
            return Ok(Some(k));
        }
    }
    Ok(None)
}

fn map(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "map")?;
    let f = callback(rt, args)?;
    let this_arg = arg(args, 1);
    let len = arr_len(&o);
    let mut out = vec![Value::Undefined; len];
    for (k, slot) in out.iter_mut().enumerate() {
        if k >= arr_len(&o) {
            continue;
        }
        let v = arr_get(&o, k);
        *slot = rt.call(&f, &this_arg, &[v, Value::Number(k as f64), this.clone()])?;
    }
    Ok(rt.new_array(out))
}

fn filter(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "filter")?;
    let f = callback(rt, args)?;
    let this_arg = arg(args, 1);
    let len = arr_len(&o);
    let mut out = Vec::new();
    for k in 0..len {
        if k >= arr_len(&o) {
            continue;
        }
        let v = arr_get(&o, k);
        let keep = rt.call(
            &f,
            &this_arg,
            &[v.clone(), Value::Number(k as f64), this.clone()],
        )?;
        if keep.truthy() {
            out.push(v);
        }
    }
    Ok(rt.new_array(out))
}

/// `find`/`findIndex`/`findLast`/`findLastIndex`: `(index or -1, element or undefined)`.
fn find(rt: &Rt, this: &Value, args: &[Value], name: &str, last: bool) -> Res<(f64, Value)> {
    let o = target(rt, this, name)?;
    let f = callback(rt, args)?;
    let this_arg = arg(args, 1);
    let len = arr_len(&o);
    for i in 0..len {
        let k = if last { len - 1 - i } else { i };
        let v = arr_get(&o, k);
        let r = rt.call(
            &f,
            &this_arg,
            &[v.clone(), Value::Number(k as f64), this.clone()],
        )?;
        if r.truthy() {
            return Ok((k as f64, v));
        }
    }
    Ok((-1.0, Value::Undefined))
}

fn fill(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target_mut(rt, this, "fill")?;
    let len = arr_len(&o);
    let value = arg(args, 0);
    let start = rel_index(rt, &arg(args, 1), len, 0)?;
    let end = rel_index(rt, &arg(args, 2), len, len)?;
    if start >= end {
        return Ok(this.clone());
    }
    if is_frozen(&o) {
        return Err(read_only(rt, &start.to_string()));
    }
    if let Kind::Array(items) = &mut o.borrow_mut().kind {
        let end = end.min(items.len());
        for slot in items.iter_mut().take(end).skip(start) {
            *slot = value.clone();
        }
    }
    Ok(this.clone())
}

fn flatten_into(rt: &Rt, out: &mut Vec<Value>, items: Vec<Value>, depth: f64) -> Res<()> {
    for v in items {
        let nested = match &v {
            Value::Object(o) if depth > 0.0 && o.is_array() => Some(arr_snapshot(o)),
            _ => None,
        };
        match nested {
            Some(inner) => {
                if out.len() > MAX_DENSE_LENGTH {
                    return Err(rt.range_error("Invalid array length"));
                }
                flatten_into(rt, out, inner, depth - 1.0)?
            }
            None => out.push(v),
        }
    }
    Ok(())
}

fn flat(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "flat")?;
    let depth = match arg(args, 0) {
        Value::Undefined => 1.0,
        d => {
            let n = to_integer(ops::to_number(rt, &d)?);
            // Deeper than any array that can exist without a cycle.
            n.min(10_000.0)
        }
    };
    let mut out = Vec::new();
    flatten_into(rt, &mut out, arr_snapshot(&o), depth)?;
    Ok(rt.new_array(out))
}

fn flat_map(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "flatMap")?;
    let f = callback(rt, args)?;
    let this_arg = arg(args, 1);
    let len = arr_len(&o);
    let mut out = Vec::new();
    for k in 0..len {
        if k >= arr_len(&o) {
            continue;
        }
        let v = arr_get(&o, k);
        let r = rt.call(&f, &this_arg, &[v, Value::Number(k as f64), this.clone()])?;
        match &r {
            Value::Object(a) if a.is_array() => out.extend(arr_snapshot(a)),
            _ => out.push(r),
        }
    }
    Ok(rt.new_array(out))
}

/// The start index of `includes`/`indexOf`, or `None` when the search is empty.
fn from_index(rt: &Rt, v: &Value, len: usize) -> Res<Option<usize>> {
    let n = int_arg(rt, v)?;
    let len_f = len as f64;
    if n >= len_f {
        return Ok(None);
    }
    Ok(Some(if n >= 0.0 {
        n as usize
    } else {
        (len_f + n).max(0.0) as usize
    }))
}

fn includes(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "includes")?;
    let len = arr_len(&o);
    let Some(start) = from_index(rt, &arg(args, 1), len)? else {
        return Ok(Value::Bool(false));
    };
    let needle = arg(args, 0);
    let data = o.borrow();
    let Kind::Array(items) = &data.kind else {
        return Ok(Value::Bool(false));
    };
    Ok(Value::Bool(
        items
            .iter()
            .skip(start)
            .any(|v| same_value_zero(v, &needle)),
    ))
}

fn index_of(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "indexOf")?;
    let len = arr_len(&o);
    let Some(start) = from_index(rt, &arg(args, 1), len)? else {
        return Ok(Value::Number(-1.0));
    };
    let needle = arg(args, 0);
    let data = o.borrow();
    let Kind::Array(items) = &data.kind else {
        return Ok(Value::Number(-1.0));
    };
    let found = items
        .iter()
        .enumerate()
        .skip(start)
        .find(|(_, v)| strict_equals(v, &needle))
        .map_or(-1.0, |(i, _)| i as f64);
    Ok(Value::Number(found))
}

fn last_index_of(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "lastIndexOf")?;
    let len = arr_len(&o);
    if len == 0 {
        return Ok(Value::Number(-1.0));
    }
    let start = if args.len() > 1 {
        let n = int_arg(rt, &args[1])?;
        if n >= 0.0 {
            n.min(len as f64 - 1.0)
        } else {
            len as f64 + n
        }
    } else {
        len as f64 - 1.0
    };
    if start < 0.0 {
        return Ok(Value::Number(-1.0));
    }
    let needle = arg(args, 0);
    let data = o.borrow();
    let Kind::Array(items) = &data.kind else {
        return Ok(Value::Number(-1.0));
    };
    let start = start as usize;
    let found = (0..=start.min(items.len().saturating_sub(1)))
        .rev()
        .find(|&i| strict_equals(&items[i], &needle))
        .map_or(-1.0, |i| i as f64);
    Ok(Value::Number(found))
}

thread_local! {
    /// The arrays `join` is converting, for V8's cycle rule (a nested occurrence joins as "").
    static JOINING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// `Array.prototype.join` with V8's cycle detection: an array that is already being joined
/// contributes the empty string.
pub fn join_array(rt: &Rt, o: &Obj, sep: &str) -> Res<JsStr> {
    let id = o.id();
    if JOINING.with(|j| j.borrow().contains(&id)) {
        return Ok(JsStr::from(""));
    }
    JOINING.with(|j| j.borrow_mut().push(id));
    let r = join_inner(rt, o, sep);
    JOINING.with(|j| {
        let mut j = j.borrow_mut();
        if let Some(pos) = j.iter().rposition(|&x| x == id) {
            j.remove(pos);
        }
    });
    r
}

fn join_inner(rt: &Rt, o: &Obj, sep: &str) -> Res<JsStr> {
    let len = arr_len(o);
    let mut out = String::new();
    for k in 0..len {
        if k > 0 {
            out.push_str(sep);
        }
        let v = arr_get(o, k);
        match &v {
            Value::Undefined | Value::Null => {}
            Value::Object(inner)
                if inner.is_array()
                    && inner.get_own("toString").is_none()
                    && inner.get_own("join").is_none() =>
            {
                out.push_str(&join_array(rt, inner, ",")?);
            }
            _ => out.push_str(&ops::to_string(rt, &v)?),
        }
    }
    Ok(JsStr::from(out))
}

fn to_locale_string(rt: &Rt, this: &Value, _: &[Value]) -> Res<Value> {
    let o = target(rt, this, "toLocaleString")?;
    let len = arr_len(&o);
    let mut out = String::new();
    for k in 0..len {
        if k > 0 {
            out.push(',');
        }
        let v = arr_get(&o, k);
        if !v.is_nullish() {
            let f = rt.get(&v, "toLocaleString")?;
            let s = rt.call(&f, &v, &[])?;
            out.push_str(&ops::to_string(rt, &s)?);
        }
    }
    Ok(Value::string(out))
}

fn pop(rt: &Rt, this: &Value, _: &[Value]) -> Res<Value> {
    let o = target_mut(rt, this, "pop")?;
    let len = arr_len(&o);
    if is_frozen(&o) {
        return Err(if len == 0 {
            read_only(rt, "length")
        } else {
            cannot_delete(rt, len - 1)
        });
    }
    let v = match &mut o.borrow_mut().kind {
        Kind::Array(items) => items.pop(),
        _ => None,
    };
    Ok(v.unwrap_or_default())
}

fn push(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target_mut(rt, this, "push")?;
    let len = arr_len(&o);
    if is_frozen(&o) {
        return Err(if args.is_empty() {
            read_only(rt, "length")
        } else {
            not_extensible(rt, len)
        });
    }
    let n = match &mut o.borrow_mut().kind {
        Kind::Array(items) => {
            items.extend_from_slice(args);
            items.len()
        }
        _ => 0,
    };
    Ok(Value::Number(n as f64))
}

fn shift(rt: &Rt, this: &Value, _: &[Value]) -> Res<Value> {
    let o = target_mut(rt, this, "shift")?;
    let len = arr_len(&o);
    if is_frozen(&o) {
        return Err(if len == 0 {
            read_only(rt, "length")
        } else if len == 1 {
            cannot_delete(rt, 0)
        } else {
            read_only(rt, "0")
        });
    }
    let v = match &mut o.borrow_mut().kind {
        Kind::Array(items) if !items.is_empty() => Some(items.remove(0)),
        _ => None,
    };
    Ok(v.unwrap_or_default())
}

fn unshift(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target_mut(rt, this, "unshift")?;
    let len = arr_len(&o);
    if is_frozen(&o) {
        return Err(if args.is_empty() {
            read_only(rt, "length")
        } else {
            not_extensible(rt, len + args.len() - 1)
        });
    }
    let n = match &mut o.borrow_mut().kind {
        Kind::Array(items) => {
            items.splice(0..0, args.iter().cloned());
            items.len()
        }
        _ => 0,
    };
    Ok(Value::Number(n as f64))
}

fn reduce(rt: &Rt, this: &Value, args: &[Value], right: bool) -> Res<Value> {
    let o = target(rt, this, if right { "reduceRight" } else { "reduce" })?;
    let f = callback(rt, args)?;
    let len = arr_len(&o);
    let index = |i: usize| if right { len - 1 - i } else { i };
    let mut i = 0;
    let mut acc = if args.len() >= 2 {
        args[1].clone()
    } else {
        // The first present element.
        loop {
            if i >= len {
                return Err(rt.type_error("Reduce of empty array with no initial value"));
            }
            let k = index(i);
            i += 1;
            if k < arr_len(&o) {
                break arr_get(&o, k);
            }
        }
    };
    while i < len {
        let k = index(i);
        i += 1;
        if k >= arr_len(&o) {
            continue;
        }
        let v = arr_get(&o, k);
        acc = rt.call(
            &f,
            &Value::Undefined,
            &[acc, v, Value::Number(k as f64), this.clone()],
        )?;
    }
    Ok(acc)
}

fn reverse(rt: &Rt, this: &Value, _: &[Value]) -> Res<Value> {
    let o = target_mut(rt, this, "reverse")?;
    if is_frozen(&o) {
        if arr_len(&o) > 1 {
            return Err(read_only(rt, "0"));
        }
        return Ok(this.clone());
    }
    if let Kind::Array(items) = &mut o.borrow_mut().kind {
        items.reverse();
    }
    Ok(this.clone())
}

fn slice(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "slice")?;
    let len = arr_len(&o);
    let start = rel_index(rt, &arg(args, 0), len, 0)?;
    let end = rel_index(rt, &arg(args, 1), len, len)?;
    let data = o.borrow();
    let Kind::Array(items) = &data.kind else {
        return Ok(rt.new_array(Vec::new()));
    };
    let end = end.min(items.len());
    let out = if start < end {
        items[start..end].to_vec()
    } else {
        Vec::new()
    };
    drop(data);
    Ok(rt.new_array(out))
}

/// A comparison: negative when `a` sorts before `b` (never NaN).
type Cmp<'f, T> = dyn FnMut(&T, &T) -> Res<f64> + 'f;

/// V8's `kMinGallopWins`.
const MIN_GALLOP: usize = 7;

/// V8's TimSort (`third_party/v8/builtins/array-sort.tq`), ported step by step so that the
/// sequence of comparator calls, and so the result for inconsistent comparators such as
/// `(a, b) => a > b`, is V8's.
struct TimSort<'c, 'f, T> {
    cmp: &'c mut Cmp<'f, T>,
    work: Vec<T>,
    /// Pending runs: `(base, length)`.
    runs: Vec<(usize, usize)>,
    min_gallop: usize,
}

fn compute_min_run(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

fn gallop_left<T>(
    cmp: &mut Cmp<'_, T>,
    arr: &[T],
    key: &T,
    base: usize,
    len: usize,
    hint: usize,
) -> Res<usize> {
    let (len, hint) = (len as isize, hint as isize);
    let at = |i: isize| &arr[base + i as usize];
    let mut last_ofs: isize = 0;
    let mut offset: isize = 1;
    if cmp(at(hint), key)? < 0.0 {
        let max_ofs = len - hint;
        while offset < max_ofs {
            if cmp(at(hint + offset), key)? >= 0.0 {
                break;
            }
            last_ofs = offset;
            offset = (offset << 1) + 1;
        }
        offset = offset.min(max_ofs);
        last_ofs += hint;
        offset += hint;
    } else {
        let max_ofs = hint + 1;
        while offset < max_ofs {
            if cmp(at(hint - offset), key)? < 0.0 {
                break;
            }
            last_ofs = offset;
            offset = (offset << 1) + 1;
        }
        offset = offset.min(max_ofs);
        let tmp = last_ofs;
        last_ofs = hint - offset;
        offset = hint - tmp;
    }
    last_ofs += 1;
    while last_ofs < offset {
        let m = last_ofs + ((offset - last_ofs) >> 1);
        if cmp(at(m), key)? < 0.0 {
            last_ofs = m + 1;
        } else {
            offset = m;
        }
    }
    Ok(offset as usize)
}

fn gallop_right<T>(
    cmp: &mut Cmp<'_, T>,
    arr: &[T],
    key: &T,
    base: usize,
    len: usize,
    hint: usize,
) -> Res<usize> {
    let (len, hint) = (len as isize, hint as isize);
    let at = |i: isize| &arr[base + i as usize];
    let mut last_ofs: isize = 0;
    let mut offset: isize = 1;
    if cmp(key, at(hint))? < 0.0 {
        let max_ofs = hint + 1;
        while offset < max_ofs {
            if cmp(key, at(hint - offset))? >= 0.0 {
                break;
            }
            last_ofs = offset;
            offset = (offset << 1) + 1;
        }
        offset = offset.min(max_ofs);
        let tmp = last_ofs;
        last_ofs = hint - offset;
        offset = hint - tmp;
    } else {
        let max_ofs = len - hint;
        while offset < max_ofs {
            if cmp(key, at(hint + offset))? < 0.0 {
                break;
            }
            last_ofs = offset;
            offset = (offset << 1) + 1;
        }
        offset = offset.min(max_ofs);
        last_ofs += hint;
        offset += hint;
    }
    last_ofs += 1;
    while last_ofs < offset {
        let m = last_ofs + ((offset - last_ofs) >> 1);
        if cmp(key, at(m))? < 0.0 {
            offset = m;
        } else {
            last_ofs = m + 1;
        }
    }
    Ok(offset as usize)
}

enum MergeEnd {
    Succeed,
    /// `CopyB` of `MergeLow`, `CopyA` of `MergeHigh`.
    CopyRest,
}

impl<T: Clone> TimSort<'_, '_, T> {
    fn count_and_make_run(&mut self, low_arg: usize, high: usize) -> Res<usize> {
        let low = low_arg + 1;
        if low == high {
            return Ok(1);
        }
        let mut run = 2;
        let el_low = self.work[low].clone();
        let descending = (self.cmp)(&el_low, &self.work[low - 1])? < 0.0;
        let mut prev = el_low;
        for idx in low + 1..high {
            let cur = self.work[idx].clone();
            let order = (self.cmp)(&cur, &prev)?;
            if descending {
                if order >= 0.0 {
                    break;
                }
            } else if order < 0.0 {
                break;
            }
            prev = cur;
            run += 1;
        }
        if descending {
            self.work[low_arg..low_arg + run].reverse();
        }
        Ok(run)
    }

    fn binary_insertion_sort(&mut self, low: usize, start_arg: usize, high: usize) -> Res<()> {
        let mut start = if low == start_arg {
            start_arg + 1
        } else {
            start_arg
        };
        while start < high {
            let (mut left, mut right) = (low, start);
            let pivot = self.work[start].clone();
            while left < right {
                let mid = left + ((right - left) >> 1);
                if (self.cmp)(&pivot, &self.work[mid])? < 0.0 {
                    right = mid;
                } else {
                    left = mid + 1;
                }
            }
            self.work[left..=start].rotate_right(1);
            start += 1;
        }
        Ok(())
    }

    fn invariant(&self, n: usize) -> bool {
        if n < 2 {
            return true;
        }
        self.runs[n - 2].1 > self.runs[n - 1].1 + self.runs[n].1
    }

    fn merge_collapse(&mut self) -> Res<()> {
        while self.runs.len() > 1 {
            let mut n = self.runs.len() - 2;
            if !self.invariant(n + 1) || !self.invariant(n) {
                if self.runs[n - 1].1 < self.runs[n + 1].1 {
                    n -= 1;
                }
                self.merge_at(n)?;
            } else if self.runs[n].1 <= self.runs[n + 1].1 {
                self.merge_at(n)?;
            } else {
                break;
            }
        }
        Ok(())
    }

    fn merge_force_collapse(&mut self) -> Res<()> {
        while self.runs.len() > 1 {
            let mut n = self.runs.len() - 2;
            if n > 0 && self.runs[n - 1].1 < self.runs[n + 1].1 {
                n -= 1;
            }
            self.merge_at(n)?;
        }
        Ok(())
    }

    fn merge_at(&mut self, i: usize) -> Res<()> {
        let size = self.runs.len();
        let (mut base_a, mut len_a) = self.runs[i];
        let (base_b, mut len_b) = self.runs[i + 1];
        self.runs[i].1 = len_a + len_b;
        if i + 3 == size {
            self.runs[i + 1] = self.runs[i + 2];
        }
        self.runs.truncate(size - 1);
        let key_right = self.work[base_b].clone();
        let k = gallop_right(self.cmp, &self.work, &key_right, base_a, len_a, 0)?;
        base_a += k;
        len_a -= k;
        if len_a == 0 {
            return Ok(());
        }
        let key_left = self.work[base_a + len_a - 1].clone();
        len_b = gallop_left(self.cmp, &self.work, &key_left, base_b, len_b, len_b - 1)?;
        if len_b == 0 {
            return Ok(());
        }
        if len_a <= len_b {
            self.merge_low(base_a, len_a, base_b, len_b)
        } else {
            self.merge_high(base_a, len_a, base_b, len_b)
        }
    }

    fn merge_low(&mut self, base_a: usize, len_a: usize, base_b: usize, len_b: usize) -> Res<()> {
        let (mut len_a, mut len_b) = (len_a, len_b);
        let tmp: Vec<T> = self.work[base_a..base_a + len_a].to_vec();
        let mut dest = base_a;
        let mut ct = 0;
        let mut cb = base_b;
        self.work[dest] = self.work[cb].clone();
        dest += 1;
        cb += 1;
        let end = 'outer: {
            len_b -= 1;
            if len_b == 0 {
                break 'outer MergeEnd::Succeed;
            }
            if len_a == 1 {
                break 'outer MergeEnd::CopyRest;
            }
            let mut min_gallop = self.min_gallop;
            loop {
                let mut wins_a = 0;
                let mut wins_b = 0;
                loop {
                    if (self.cmp)(&self.work[cb], &tmp[ct])? < 0.0 {
                        self.work[dest] = self.work[cb].clone();
                        dest += 1;
                        cb += 1;
                        wins_b += 1;
                        len_b -= 1;
                        wins_a = 0;
                        if len_b == 0 {
                            break 'outer MergeEnd::Succeed;
                        }
                        if wins_b >= min_gallop {
                            break;
                        }
                    } else {
                        self.work[dest] = tmp[ct].clone();
                        dest += 1;
                        ct += 1;
                        wins_a += 1;
                        len_a -= 1;
                        wins_b = 0;
                        if len_a == 1 {
                            break 'outer MergeEnd::CopyRest;
                        }
                        if wins_a >= min_gallop {
                            break;
                        }
                    }
                }
                min_gallop += 1;
                let mut first = true;
                while wins_a >= MIN_GALLOP || wins_b >= MIN_GALLOP || first {
                    first = false;
                    min_gallop = min_gallop.saturating_sub(1).max(1);
                    self.min_gallop = min_gallop;
                    let key = self.work[cb].clone();
                    wins_a = gallop_right(self.cmp, &tmp, &key, ct, len_a, 0)?;
                    if wins_a > 0 {
                        self.work[dest..dest + wins_a].clone_from_slice(&tmp[ct..ct + wins_a]);
                        dest += wins_a;
                        ct += wins_a;
                        len_a -= wins_a;
                        if len_a == 1 {
                            break 'outer MergeEnd::CopyRest;
                        }
                        if len_a == 0 {
                            break 'outer MergeEnd::Succeed;
                        }
                    }
                    self.work[dest] = self.work[cb].clone();
                    dest += 1;
                    cb += 1;
                    len_b -= 1;
                    if len_b == 0 {
                        break 'outer MergeEnd::Succeed;
                    }
                    let key = tmp[ct].clone();
                    wins_b = gallop_left(self.cmp, &self.work, &key, cb, len_b, 0)?;
                    if wins_b > 0 {
                        for i in 0..wins_b {
                            self.work[dest + i] = self.work[cb + i].clone();
                        }
                        dest += wins_b;
                        cb += wins_b;
                        len_b -= wins_b;
                        if len_b == 0 {
                            break 'outer MergeEnd::Succeed;
                        }
                    }
                    self.work[dest] = tmp[ct].clone();
                    dest += 1;
                    ct += 1;
                    len_a -= 1;
                    if len_a == 1 {
                        break 'outer MergeEnd::CopyRest;
                    }
                }
                min_gallop += 1;
                self.min_gallop = min_gallop;
            }
        };
        match end {
            MergeEnd::Succeed => {
                if len_a > 0 {
                    self.work[dest..dest + len_a].clone_from_slice(&tmp[ct..ct + len_a]);
                }
            }
            MergeEnd::CopyRest => {
                for i in 0..len_b {
                    self.work[dest + i] = self.work[cb + i].clone();
                }
                self.work[dest + len_b] = tmp[ct].clone();
            }
        }
        Ok(())
    }

    fn merge_high(&mut self, base_a: usize, len_a: usize, base_b: usize, len_b: usize) -> Res<()> {
        let (mut len_a, mut len_b) = (len_a, len_b);
        let tmp: Vec<T> = self.work[base_b..base_b + len_b].to_vec();
        // Cursors may step one below their run (to -1), hence signed.
        let mut dest = (base_b + len_b - 1) as isize;
        let mut ct = len_b as isize - 1;
        let mut ca = (base_a + len_a - 1) as isize;
        let u = |i: isize| i as usize;
        self.work[u(dest)] = self.work[u(ca)].clone();
        dest -= 1;
        ca -= 1;
        let end = 'outer: {
            len_a -= 1;
            if len_a == 0 {
                break 'outer MergeEnd::Succeed;
            }
            if len_b == 1 {
                break 'outer MergeEnd::CopyRest;
            }
            let mut min_gallop = self.min_gallop;
            loop {
                let mut wins_a = 0;
                let mut wins_b = 0;
                loop {
                    if (self.cmp)(&tmp[u(ct)], &self.work[u(ca)])? < 0.0 {
                        self.work[u(dest)] = self.work[u(ca)].clone();
                        dest -= 1;
                        ca -= 1;
                        wins_a += 1;
                        len_a -= 1;
                        wins_b = 0;
                        if len_a == 0 {
                            break 'outer MergeEnd::Succeed;
                        }
                        if wins_a >= min_gallop {
                            break;
                        }
                    } else {
                        self.work[u(dest)] = tmp[u(ct)].clone();
                        dest -= 1;
                        ct -= 1;
                        wins_b += 1;
                        len_b -= 1;
                        wins_a = 0;
                        if len_b == 1 {
                            break 'outer MergeEnd::CopyRest;
                        }
                        if wins_b >= min_gallop {
                            break;
                        }
                    }
                }
                min_gallop += 1;
                let mut first = true;
                while wins_a >= MIN_GALLOP || wins_b >= MIN_GALLOP || first {
                    first = false;
                    min_gallop = min_gallop.saturating_sub(1).max(1);
                    self.min_gallop = min_gallop;
                    let key = tmp[u(ct)].clone();
                    let k = gallop_right(self.cmp, &self.work, &key, base_a, len_a, len_a - 1)?;
                    wins_a = len_a - k;
                    if wins_a > 0 {
                        dest -= wins_a as isize;
                        ca -= wins_a as isize;
                        for i in (0..wins_a).rev() {
                            self.work[u(dest) + 1 + i] = self.work[u(ca) + 1 + i].clone();
                        }
                        len_a -= wins_a;
                        if len_a == 0 {
                            break 'outer MergeEnd::Succeed;
                        }
                    }
                    self.work[u(dest)] = tmp[u(ct)].clone();
                    dest -= 1;
                    ct -= 1;
                    len_b -= 1;
                    if len_b == 1 {
                        break 'outer MergeEnd::CopyRest;
                    }
                    let key = self.work[u(ca)].clone();
                    let k = gallop_left(self.cmp, &tmp, &key, 0, len_b, len_b - 1)?;
                    wins_b = len_b - k;
                    if wins_b > 0 {
                        dest -= wins_b as isize;
                        ct -= wins_b as isize;
                        let (d, c) = (u(dest + 1), u(ct + 1));
                        self.work[d..d + wins_b].clone_from_slice(&tmp[c..c + wins_b]);
                        len_b -= wins_b;
                        if len_b == 1 {
                            break 'outer MergeEnd::CopyRest;
                        }
                        if len_b == 0 {
                            break 'outer MergeEnd::Succeed;
                        }
                    }
                    self.work[u(dest)] = self.work[u(ca)].clone();
                    dest -= 1;
                    ca -= 1;
                    len_a -= 1;
                    if len_a == 0 {
                        break 'outer MergeEnd::Succeed;
                    }
                }
                min_gallop += 1;
                self.min_gallop = min_gallop;
            }
        };
        match end {
            MergeEnd::Succeed => {
                if len_b > 0 {
                    let d = u(dest) + 1 - len_b;
                    self.work[d..d + len_b].clone_from_slice(&tmp[..len_b]);
                }
            }
            MergeEnd::CopyRest => {
                dest -= len_a as isize;
                ca -= len_a as isize;
                for i in (0..len_a).rev() {
                    self.work[u(dest) + 1 + i] = self.work[u(ca) + 1 + i].clone();
                }
                self.work[u(dest)] = tmp[u(ct)].clone();
            }
        }
        Ok(())
    }
}

/// Sorts with V8's TimSort; `cmp(a, b) < 0` puts `a` first.
fn timsort<T: Clone>(items: Vec<T>, cmp: &mut Cmp<'_, T>) -> Res<Vec<T>> {
    let n = items.len();
    if n < 2 {
        return Ok(items);
    }
    let mut s = TimSort {
        cmp,
        work: items,
        runs: Vec::new(),
        min_gallop: MIN_GALLOP,
    };
    let min_run = compute_min_run(n);
    let (mut low, mut remaining) = (0, n);
    while remaining != 0 {
        let mut cur = s.count_and_make_run(low, low + remaining)?;
        if cur < min_run {
            let forced = min_run.min(remaining);
            s.binary_insertion_sort(low, low + cur, low + forced)?;
            cur = forced;
        }
        s.runs.push((low, cur));
        s.merge_collapse()?;
        low += cur;
        remaining -= cur;
    }
    s.merge_force_collapse()?;
    Ok(s.work)
}

/// `SortIndexedProperties` + `CompareArrayElements`: `undefined`s last, then the comparator or
/// the default string order.
pub fn sort_values(rt: &Rt, items: Vec<Value>, cmp: &Value) -> Res<Vec<Value>> {
    let (mut defined, undefs): (Vec<Value>, Vec<Value>) = items
        .into_iter()
        .partition(|v| !matches!(v, Value::Undefined));
    if cmp.is_callable() {
        defined = timsort(defined, &mut |a, b| {
            let r = rt.call(cmp, &Value::Undefined, &[a.clone(), b.clone()])?;
            let n = ops::to_number(rt, &r)?;
            Ok(if n.is_nan() { 0.0 } else { n })
        })?;
    } else {
        let mut keyed = Vec::with_capacity(defined.len());
        for v in defined {
            let k = ops::to_string(rt, &v)?;
            keyed.push((k, v));
        }
        let keyed = timsort(keyed, &mut |a: &(JsStr, Value), b: &(JsStr, Value)| {
            Ok(match ops::compare_utf16(&a.0, &b.0) {
                std::cmp::Ordering::Less => -1.0,
                std::cmp::Ordering::Equal => 0.0,
                std::cmp::Ordering::Greater => 1.0,
            })
        })?;
        defined = keyed.into_iter().map(|(_, v)| v).collect();
    }
    defined.extend(undefs);
    Ok(defined)
}

fn comparator(rt: &Rt, args: &[Value]) -> Res<Value> {
    let cmp = arg(args, 0);
    if !matches!(cmp, Value::Undefined) && !cmp.is_callable() {
        return Err(rt.type_error("The comparison function must be either a function or undefined"));
    }
    Ok(cmp)
}

fn sort(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let cmp = comparator(rt, args)?;
    let o = target_mut(rt, this, "sort")?;
    if is_frozen(&o) {
        if arr_len(&o) > 1 {
            return Err(read_only(rt, "0"));
        }
        return Ok(this.clone());
    }
    let sorted = sort_values(rt, arr_snapshot(&o), &cmp)?;
    // The comparator may have resized the array: write back over the current length.
    if let Kind::Array(items) = &mut o.borrow_mut().kind {
        for (i, v) in sorted.into_iter().enumerate() {
            if i < items.len() {
                items[i] = v;
            } else {
                items.push(v);
            }
        }
    }
    Ok(this.clone())
}

fn to_sorted(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let cmp = comparator(rt, args)?;
    let o = target(rt, this, "toSorted")?;
    let sorted = sort_values(rt, arr_snapshot(&o), &cmp)?;
    Ok(rt.new_array(sorted))
}

/// `(start, delete_count)` of `splice`/`toSpliced`.
fn splice_range(rt: &Rt, args: &[Value], len: usize) -> Res<(usize, usize)> {
    let start = rel_index(rt, &arg(args, 0), len, 0)?;
    let count = match args.len() {
        0 => 0,
        1 => len - start,
        _ => {
            let dc = int_arg(rt, &args[1])?;
            dc.clamp(0.0, (len - start) as f64) as usize
        }
    };
    Ok((start, count))
}

fn splice(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target_mut(rt, this, "splice")?;
    let len = arr_len(&o);
    let (start, count) = splice_range(rt, args, len)?;
    let items: Vec<Value> = args.iter().skip(2).cloned().collect();
    if is_frozen(&o) && (count > 0 || !items.is_empty()) {
        return Err(if count > items.len() {
            cannot_delete(rt, len - 1)
        } else if count < items.len() {
            not_extensible(rt, len + items.len() - count - 1)
        } else {
            read_only(rt, &start.to_string())
        });
    }
    let removed: Vec<Value> = match &mut o.borrow_mut().kind {
        Kind::Array(v) => {
            let end = (start + count).min(v.len());
            let start = start.min(end);
            v.splice(start..end, items).collect()
        }
        _ => Vec::new(),
    };
    Ok(rt.new_array(removed))
}

fn to_spliced(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "toSpliced")?;
    let len = arr_len(&o);
    let (start, count) = splice_range(rt, args, len)?;
    let mut v = arr_snapshot(&o);
    let end = (start + count).min(v.len());
    v.splice(start.min(end)..end, args.iter().skip(2).cloned());
    Ok(rt.new_array(v))
}

fn with(rt: &Rt, this: &Value, args: &[Value]) -> Res<Value> {
    let o = target(rt, this, "with")?;
    let len = arr_len(&o) as f64;
    let n = int_arg(rt, &arg(args, 0))?;
    let k = if n >= 0.0 { n } else { len + n };
    if k < 0.0 || k >= len {
        return Err(rt.range_error(&format!("Invalid index : {}", number_to_string(n))));
    }
    let mut v = arr_snapshot(&o);
    v[k as usize] = arg(args, 1);
    Ok(rt.new_array(v))
}
