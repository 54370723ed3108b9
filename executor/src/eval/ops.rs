//! Abstract operations of ECMAScript that the operators and built-ins share: `ToString`,
//! `ToNumber`, `ToPrimitive`, `+`, relational comparison, `==`, `instanceof`.

use super::value::{
    number_to_string, primitive_to_number, strict_equals, Ctor, Func, JsStr, Kind, Obj, Res, Value,
};
use super::Rt;

/// The longest string V8 builds, in UTF-16 units.
pub const MAX_STRING_LENGTH: usize = (1 << 29) - 24;

/// A short description of a value for error messages (`undefined`, `"abc"`, `[object Object]`).
pub fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Object(o) => match &o.borrow().kind {
            Kind::Function(Func::Native(n)) => format!("function {}", n.name),
            Kind::Function(Func::Closure(c)) => {
                format!(
                    "function {}",
                    c.function.name.as_deref().unwrap_or("(anonymous)")
                )
            }
            Kind::Array(_) => "object".into(),
            _ => "#<Object>".into(),
        },
        other => primitive_to_string(other).to_string(),
    }
}

/// `ToString` of a primitive.
pub fn primitive_to_string(v: &Value) -> JsStr {
    match v {
        Value::Undefined => "undefined".into(),
        Value::Null => "null".into(),
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        Value::Number(n) => number_to_string(*n).into(),
        Value::String(s) => s.clone(),
        Value::Object(_) => "[object Object]".into(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    Default,
    Number,
    String,
}

/// `ToPrimitive`: user `toString`/`valueOf` own methods are honoured; built-in objects convert as
/// their prototypes would.
pub fn to_primitive(rt: &Rt, v: &Value, hint: Hint) -> Res<Value> {
    let Value::Object(o) = v else {
        return Ok(v.clone());
    };
    // Own methods written by the script come first, in the order the hint asks for.
    let order: [&str; 2] = if hint == Hint::String {
        ["toString", "valueOf"]
    } else {
        ["valueOf", "toString"]
    };
    for name in order {
        if let Some(f) = o.get_own(name) {
            if f.is_callable() {
                let r = rt.call(&f, v, &[])?;
                if !matches!(r, Value::Object(_)) {
                    return Ok(r);
                }
            }
        }
    }
    let data = o.borrow();
    Ok(match &data.kind {
        Kind::Primitive(p) => p.clone(),
        Kind::Date(t) => {
            if hint == Hint::Number {
                Value::Number(*t)
            } else {
                drop(data);
                return super::builtins::date_to_string(rt, v);
            }
        }
        Kind::Array(items) => {
            let items = items.clone();
            drop(data);
            Value::String(join(rt, &items, ",")?)
        }
        Kind::Error(e) => {
            let name = data
                .props
                .get("name")
                .cloned()
                .unwrap_or(Value::String(e.name.clone()));
            let message = data
                .props
                .get("message")
                .cloned()
                .unwrap_or(Value::String(e.message.clone()));
            drop(data);
            let name = to_string(rt, &name)?;
            let message = to_string(rt, &message)?;
            Value::string(if message.is_empty() {
                name.to_string()
            } else if name.is_empty() {
                message.to_string()
            } else {
                format!("{name}: {message}")
            })
        }
        Kind::Function(Func::Closure(c)) => {
            let span = c.function.span;
            let src = c
                .script
                .source
                .get(span.start as usize..span.end as usize)
                .unwrap_or("function () { [code] }");
            Value::str(src)
        }
        Kind::Function(Func::Native(n)) => {
            Value::string(format!("function {}() {{ [native code] }}", n.name))
        }
        Kind::RegExp(r) => Value::string(format!("/{}/{}", r.source, r.flags)),
        Kind::Map(_) => Value::str("[object Map]"),
        Kind::Set(_) => Value::str("[object Set]"),
        Kind::Promise(_) => Value::str("[object Promise]"),
        Kind::Object => Value::str("[object Object]"),
    })
}

/// `Array.prototype.join`: `null` and `undefined` become empty strings.
pub fn join(rt: &Rt, items: &[Value], sep: &str) -> Res<JsStr> {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        if !item.is_nullish() {
            out.push_str(&to_string(rt, item)?);
        }
    }
    Ok(out.into())
}

/// `ToString`.
pub fn to_string(rt: &Rt, v: &Value) -> Res<JsStr> {
    match v {
        Value::Object(_) => {
            let p = to_primitive(rt, v, Hint::String)?;
            Ok(primitive_to_string(&p))
        }
        other => Ok(primitive_to_string(other)),
    }
}

/// `ToNumber`.
pub fn to_number(rt: &Rt, v: &Value) -> Res<f64> {
    match v {
        Value::Object(_) => {
            let p = to_primitive(rt, v, Hint::Number)?;
            Ok(primitive_to_number(&p))
        }
        other => Ok(primitive_to_number(other)),
    }
}

/// `ToPropertyKey` (symbols do not exist here).
pub fn to_key(rt: &Rt, v: &Value) -> Res<JsStr> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(number_to_string(*n).into()),
        other => to_string(rt, other),
    }
}

/// The binary `+`.
pub fn add(rt: &Rt, a: &Value, b: &Value) -> Res<Value> {
    if let (Value::Number(x), Value::Number(y)) = (a, b) {
        return Ok(Value::Number(x + y));
    }
    let pa = to_primitive(rt, a, Hint::Default)?;
    let pb = to_primitive(rt, b, Hint::Default)?;
    if matches!(pa, Value::String(_)) || matches!(pb, Value::String(_)) {
        let (x, y) = (primitive_to_string(&pa), primitive_to_string(&pb));
        // V8's limit (2^29 - 24 UTF-16 units); bytes bound units from above, so this never
        // refuses a string V8 accepts by more than the UTF-8 expansion of non-ASCII text.
        if x.len() + y.len() > MAX_STRING_LENGTH
            && super::value::utf16_len(&x) + super::value::utf16_len(&y) > MAX_STRING_LENGTH
        {
            return Err(rt.range_error("Invalid string length"));
        }
        let mut s = String::with_capacity(x.len() + y.len());
        s.push_str(&x);
        s.push_str(&y);
        return Ok(Value::string(s));
    }
    Ok(Value::Number(
        primitive_to_number(&pa) + primitive_to_number(&pb),
    ))
}

/// `a < b` (`IsLessThan`): `None` when either side is NaN.
pub fn less_than(rt: &Rt, a: &Value, b: &Value, left_first: bool) -> Res<Option<bool>> {
    let (pa, pb) = if left_first {
        let pa = to_primitive(rt, a, Hint::Number)?;
        (pa, to_primitive(rt, b, Hint::Number)?)
    } else {
        let pb = to_primitive(rt, b, Hint::Number)?;
        (to_primitive(rt, a, Hint::Number)?, pb)
    };
    if let (Value::String(x), Value::String(y)) = (&pa, &pb) {
        return Ok(Some(compare_utf16(x, y) == std::cmp::Ordering::Less));
    }
    let (x, y) = (primitive_to_number(&pa), primitive_to_number(&pb));
    if x.is_nan() || y.is_nan() {
        return Ok(None);
    }
    Ok(Some(x < y))
}

/// Compares strings by UTF-16 code units, as JavaScript's `<` and default sort do.
pub fn compare_utf16(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `==`.
pub fn loose_equals(rt: &Rt, a: &Value, b: &Value) -> Res<bool> {
    Ok(match (a, b) {
        (Value::Undefined | Value::Null, Value::Undefined | Value::Null) => true,
        (Value::Undefined | Value::Null, _) | (_, Value::Undefined | Value::Null) => false,
        (Value::Number(_), Value::String(_)) | (Value::String(_), Value::Number(_)) => {
            primitive_to_number(a) == primitive_to_number(b)
        }
        (Value::Bool(_), _) => {
            return loose_equals(rt, &Value::Number(primitive_to_number(a)), b);
        }
        (_, Value::Bool(_)) => {
            return loose_equals(rt, a, &Value::Number(primitive_to_number(b)));
        }
        (Value::Object(_), Value::Object(_)) => strict_equals(a, b),
        (Value::Object(_), _) => {
            let p = to_primitive(rt, a, Hint::Default)?;
            return loose_equals(rt, &p, b);
        }
        (_, Value::Object(_)) => {
            let p = to_primitive(rt, b, Hint::Default)?;
            return loose_equals(rt, a, &p);
        }
        _ => strict_equals(a, b),
    })
}

/// `v instanceof F`.
pub fn instance_of(rt: &Rt, v: &Value, f: &Value) -> Res<bool> {
    let ctor = match f {
        Value::Object(o) => match &o.borrow().kind {
            Kind::Function(Func::Native(n)) => n.ctor,
            Kind::Function(Func::Closure(_)) => Some(Ctor::Other),
            _ => None,
        },
        _ => None,
    };
    let Some(ctor) = ctor else {
        return Err(rt.type_error("Right-hand side of 'instanceof' is not callable"));
    };
    let Value::Object(o) = v else {
        return Ok(false);
    };
    let data = o.borrow();
    if data.null_proto {
        return Ok(false);
    }
    Ok(match ctor {
        Ctor::Object => true,
        Ctor::Array => matches!(data.kind, Kind::Array(_)),
        Ctor::Function => matches!(data.kind, Kind::Function(_)),
        Ctor::Promise => matches!(data.kind, Kind::Promise(_)),
        Ctor::Map => matches!(data.kind, Kind::Map(_)),
        Ctor::Set => matches!(data.kind, Kind::Set(_)),
        Ctor::Date => matches!(data.kind, Kind::Date(_)),
        Ctor::RegExp => matches!(data.kind, Kind::RegExp(_)),
        Ctor::String => matches!(&data.kind, Kind::Primitive(Value::String(_))),
        Ctor::Number => matches!(&data.kind, Kind::Primitive(Value::Number(_))),
        Ctor::Boolean => matches!(&data.kind, Kind::Primitive(Value::Bool(_))),
        Ctor::Error(name) => match &data.kind {
            Kind::Error(e) => name == "Error" || &*e.name == name,
            _ => false,
        },
        Ctor::Other => false,
    })
}

/// The UTF-16 code unit at `i` as a one-unit string (a surrogate half becomes U+FFFD).
pub fn string_unit_at(s: &str, i: usize) -> Option<String> {
    if s.is_ascii() {
        return s.get(i..i + 1).map(str::to_string);
    }
    let unit = s.encode_utf16().nth(i)?;
    Some(String::from_utf16_lossy(&[unit]))
}

/// `typeof` of an object's kind, used by `Object.prototype.toString`.
pub fn class_name(o: &Obj) -> &'static str {
    match &o.borrow().kind {
        Kind::Array(_) => "Array",
        Kind::Function(_) => "Function",
        Kind::Error(_) => "Error",
        Kind::Date(_) => "Date",
        Kind::RegExp(_) => "RegExp",
        Kind::Map(_) => "Map",
        Kind::Set(_) => "Set",
        Kind::Promise(_) => "Promise",
        Kind::Primitive(Value::String(_)) => "String",
        Kind::Primitive(Value::Number(_)) => "Number",
        Kind::Primitive(Value::Bool(_)) => "Boolean",
        _ => "Object",
    }
}
