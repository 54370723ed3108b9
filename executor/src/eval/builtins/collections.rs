//! `Map` and `Set`.
//!
//! Entries keep insertion order (an `IndexMap` keyed by SameValueZero). `forEach` iterates live,
//! as the spec's entry lists do: entries added during the loop are visited, deleted ones are not,
//! and `clear()` followed by additions visits the additions. The one imprecision: a key deleted
//! and re-added *during* the loop, right after being visited, ends the loop early.
//!
//! `keys()`, `values()` and `entries()` return arrays (snapshots), not lazy iterators: `for…of`,
//! spreading and `Array.from` work, `.next()` does not.

use std::rc::Rc;

use crate::eval::ops;
use crate::eval::value::{
    Ctor, Func, JsMap, JsSet, Kind, MapKey, Native, NativeImpl, Obj, Res, Value,
};
use crate::eval::Rt;

use super::object::{entry_pair, receiver_repr};

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// `-0` becomes `+0` as a key.
fn normalize(k: Value) -> Value {
    match k {
        // Adding +0 turns -0 into +0 and leaves every other number as it is.
        Value::Number(n) => Value::Number(n + 0.0),
        other => other,
    }
}

/// The `Map` or `Set` constructor (`new` only).
pub fn constructor(_rt: &Rt, name: &str) -> Value {
    let is_map = name == "Map";
    let call: NativeImpl = Rc::new(move |rt, _, _| {
        Err(rt.type_error(&format!(
            "Constructor {} requires 'new'",
            if is_map { "Map" } else { "Set" }
        )))
    });
    let construct: NativeImpl = Rc::new(move |rt, _, args| {
        let iterable = arg(args, 0);
        if is_map {
            let o = Obj::new(Kind::Map(JsMap::default()));
            if !iterable.is_nullish() {
                for entry in super::array::iterate(rt, &iterable)? {
                    let (k, v) = entry_pair(rt, &entry)?;
                    map_set(&o, k, v);
                }
            }
            Ok(Value::Object(o))
        } else {
            let o = Obj::new(Kind::Set(JsSet::default()));
            if !iterable.is_nullish() {
                for v in super::array::iterate(rt, &iterable)? {
                    set_add(&o, v);
                }
            }
            Ok(Value::Object(o))
        }
    });
    Value::Object(Obj::new(Kind::Function(Func::Native(Native {
        name: if is_map { "Map" } else { "Set" }.into(),
        call,
        construct: Some(construct),
        ctor: Some(if is_map { Ctor::Map } else { Ctor::Set }),
    }))))
}

fn map_set(o: &Obj, k: Value, v: Value) {
    let k = normalize(k);
    if let Kind::Map(m) = &mut o.borrow_mut().kind {
        let mk = MapKey::of(&k);
        match m.entries.get_mut(&mk) {
            Some(entry) => entry.1 = v,
            None => {
                m.entries.insert(mk, (k, v));
            }
        }
    }
}

fn set_add(o: &Obj, v: Value) {
    let v = normalize(v);
    if let Kind::Set(s) = &mut o.borrow_mut().kind {
        let mk = MapKey::of(&v);
        s.entries.entry(mk).or_insert(v);
    }
}

/// `map.size` and the methods of `Map.prototype` / `Set.prototype`.
pub fn property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    let Value::Object(o) = receiver else {
        return None;
    };
    let is_map = match &o.borrow().kind {
        Kind::Map(m) => {
            if key == "size" {
                return Some(Value::Number(m.entries.len() as f64));
            }
            true
        }
        Kind::Set(s) => {
            if key == "size" {
                return Some(Value::Number(s.entries.len() as f64));
            }
            false
        }
        _ => return None,
    };
    if is_map {
        map_method(rt, key)
    } else {
        set_method(rt, key)
    }
}

fn this_kind(rt: &Rt, this: &Value, map: bool, method: &str) -> Res<Obj> {
    if let Value::Object(o) = this {
        let ok = match &o.borrow().kind {
            Kind::Map(_) => map,
            Kind::Set(_) => !map,
            _ => false,
        };
        if ok {
            return Ok(o.clone());
        }
    }
    Err(rt.type_error(&format!(
        "Method {}.prototype.{method} called on incompatible receiver {}",
        if map { "Map" } else { "Set" },
        receiver_repr(this)
    )))
}

fn callback(rt: &Rt, args: &[Value]) -> Res<Value> {
    let f = arg(args, 0);
    if !f.is_callable() {
        return Err(rt.type_error(&format!("{} is not a function", ops::describe(&f))));
    }
    Ok(f)
}

/// The `(key, value)` at position `i` of a map or set (a set's key is its value).
fn entry_at(o: &Obj, i: usize) -> Option<(MapKey, Value, Value)> {
    match &o.borrow().kind {
        Kind::Map(m) => m
            .entries
            .get_index(i)
            .map(|(mk, (k, v))| (mk.clone(), k.clone(), v.clone())),
        Kind::Set(s) => s
            .entries
            .get_index(i)
            .map(|(mk, v)| (mk.clone(), v.clone(), v.clone())),
        _ => None,
    }
}

fn position_of(o: &Obj, mk: &MapKey) -> Option<usize> {
    match &o.borrow().kind {
        Kind::Map(m) => m.entries.get_index_of(mk),
        Kind::Set(s) => s.entries.get_index_of(mk),
        _ => None,
    }
}

/// A position in a live `Map` or `Set` (see the module comment): entries added while iterating are
/// visited, deleted ones are not, and deleting the current entry does not skip the next one.
/// `forEach` and `for…of` both iterate with it.
#[derive(Default)]
pub struct LiveCursor {
    visited: Vec<MapKey>,
}

impl LiveCursor {
    /// The next entry as `(key, value)` (a `Set`'s key is its value).
    pub fn next(&mut self, o: &Obj) -> Option<(Value, Value)> {
        // Continue after the most recently visited entry that still exists.
        let i = loop {
            match self.visited.last() {
                None => break 0,
                Some(last) => match position_of(o, last) {
                    Some(p) => break p + 1,
                    None => {
                        self.visited.pop();
                    }
                },
            }
        };
        let (mk, k, v) = entry_at(o, i)?;
        self.visited.push(mk);
        Some((k, v))
    }
}

/// Visits the entries live.
fn for_each_live(o: &Obj, mut visit: impl FnMut(Value, Value) -> Res<()>) -> Res<()> {
    let mut cursor = LiveCursor::default();
    while let Some((k, v)) = cursor.next(o) {
        visit(k, v)?;
    }
    Ok(())
}

fn snapshot(rt: &Rt, o: &Obj, what: fn(&Rt, Value, Value) -> Value) -> Value {
    let pairs: Vec<(Value, Value)> = match &o.borrow().kind {
        Kind::Map(m) => m.entries.values().cloned().collect(),
        Kind::Set(s) => s.entries.values().map(|v| (v.clone(), v.clone())).collect(),
        _ => Vec::new(),
    };
    rt.new_array(pairs.into_iter().map(|(k, v)| what(rt, k, v)).collect())
}

fn map_method(rt: &Rt, key: &str) -> Option<Value> {
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "get" => |rt, this, args| {
            let o = this_kind(rt, this, true, "get")?;
            let mk = MapKey::of(&arg(args, 0));
            let v = match &o.borrow().kind {
                Kind::Map(m) => m.entries.get(&mk).map(|e| e.1.clone()),
                _ => None,
            };
            Ok(v.unwrap_or_default())
        },
        "set" => |rt, this, args| {
            let o = this_kind(rt, this, true, "set")?;
            map_set(&o, arg(args, 0), arg(args, 1));
            Ok(this.clone())
        },
        "has" => |rt, this, args| {
            let o = this_kind(rt, this, true, "has")?;
            let mk = MapKey::of(&arg(args, 0));
            let has = matches!(&o.borrow().kind, Kind::Map(m) if m.entries.contains_key(&mk));
            Ok(Value::Bool(has))
        },
        "delete" => |rt, this, args| {
            let o = this_kind(rt, this, true, "delete")?;
            let mk = MapKey::of(&arg(args, 0));
            let removed = match &mut o.borrow_mut().kind {
                Kind::Map(m) => m.entries.shift_remove(&mk).is_some(),
                _ => false,
            };
            Ok(Value::Bool(removed))
        },
        "clear" => |rt, this, _| {
            let o = this_kind(rt, this, true, "clear")?;
            if let Kind::Map(m) = &mut o.borrow_mut().kind {
                m.entries.clear();
            }
            Ok(Value::Undefined)
        },
        "forEach" => |rt, this, args| {
            let o = this_kind(rt, this, true, "forEach")?;
            let f = callback(rt, args)?;
            let this_arg = arg(args, 1);
            for_each_live(&o, |k, v| {
                rt.call(&f, &this_arg, &[v, k, this.clone()]).map(drop)
            })?;
            Ok(Value::Undefined)
        },
        "keys" => |rt, this, _| {
            let o = this_kind(rt, this, true, "keys")?;
            Ok(snapshot(rt, &o, |_, k, _| k))
        },
        "values" => |rt, this, _| {
            let o = this_kind(rt, this, true, "values")?;
            Ok(snapshot(rt, &o, |_, _, v| v))
        },
        "entries" => |rt, this, _| {
            let o = this_kind(rt, this, true, "entries")?;
            Ok(snapshot(rt, &o, |rt, k, v| rt.new_array(vec![k, v])))
        },
        _ => return None,
    };
    rt.cached_method("Map.prototype", key, |rt| Some(rt.native_fn(key, f)))
}

fn set_method(rt: &Rt, key: &str) -> Option<Value> {
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "add" => |rt, this, args| {
            let o = this_kind(rt, this, false, "add")?;
            set_add(&o, arg(args, 0));
            Ok(this.clone())
        },
        "has" => |rt, this, args| {
            let o = this_kind(rt, this, false, "has")?;
            let mk = MapKey::of(&arg(args, 0));
            let has = matches!(&o.borrow().kind, Kind::Set(s) if s.entries.contains_key(&mk));
            Ok(Value::Bool(has))
        },
        "delete" => |rt, this, args| {
            let o = this_kind(rt, this, false, "delete")?;
            let mk = MapKey::of(&arg(args, 0));
            let removed = match &mut o.borrow_mut().kind {
                Kind::Set(s) => s.entries.shift_remove(&mk).is_some(),
                _ => false,
            };
            Ok(Value::Bool(removed))
        },
        "clear" => |rt, this, _| {
            let o = this_kind(rt, this, false, "clear")?;
            if let Kind::Set(s) = &mut o.borrow_mut().kind {
                s.entries.clear();
            }
            Ok(Value::Undefined)
        },
        "forEach" => |rt, this, args| {
            let o = this_kind(rt, this, false, "forEach")?;
            let f = callback(rt, args)?;
            let this_arg = arg(args, 1);
            for_each_live(&o, |k, v| {
                rt.call(&f, &this_arg, &[v, k, this.clone()]).map(drop)
            })?;
            Ok(Value::Undefined)
        },
        "values" | "keys" => |rt, this, _| {
            let o = this_kind(rt, this, false, "values")?;
            Ok(snapshot(rt, &o, |_, _, v| v))
        },
        "entries" => |rt, this, _| {
            let o = this_kind(rt, this, false, "entries")?;
            Ok(snapshot(rt, &o, |rt, k, v| rt.new_array(vec![k, v])))
        },
        _ => return None,
    };
    rt.cached_method("Set.prototype", key, |rt| Some(rt.native_fn(key, f)))
}
