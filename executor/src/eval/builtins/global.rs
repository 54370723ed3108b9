//! The global functions: `parseInt`, `parseFloat`, `isNaN`, `isFinite`, the URI functions,
//! `console`, `setTimeout` and `clearTimeout`.
//!
//! The sandbox of the reference runtime defines nothing else: `queueMicrotask`,
//! `structuredClone`, `require`, `process`, `fetch`, `Buffer`, … are `None` here, a
//! `ReferenceError` for the script.
//!
//! `console.*` formats its arguments roughly as Node's `util.format` does (strings as they are,
//! other values like `util.inspect` for the common cases, on one line) and sends the text to the
//! host's log; the output is diagnostics only, so exactness is not a goal.

use wfc_ir::js_number::{parse_float, parse_int};

use crate::eval::json;
use crate::eval::ops;
use crate::eval::value::{number_to_string, ordered_keys, to_int32, Func, JsStr, Kind, Res, Value};
use crate::eval::{LogLevel, Rt};

use super::string::arg;

/// `Object.prototype`-level properties of the global functions: none of their own.
pub fn property(_rt: &Rt, _receiver: &Value, _key: &str) -> Option<Value> {
    None
}

/// The value of a global function or object the sandbox defines, `None` otherwise.
pub fn function(rt: &Rt, name: &str) -> Option<Value> {
    Some(match name {
        "parseInt" => rt.native_fn("parseInt", |rt, _, args| {
            let s = ops::to_string(rt, arg(args, 0))?;
            let radix = to_int32(ops::to_number(rt, arg(args, 1))?);
            Ok(Value::Number(parse_int(&s, radix)))
        }),
        "parseFloat" => rt.native_fn("parseFloat", |rt, _, args| {
            let s = ops::to_string(rt, arg(args, 0))?;
            Ok(Value::Number(parse_float(&s)))
        }),
        "isNaN" => rt.native_fn("isNaN", |rt, _, args| {
            Ok(Value::Bool(ops::to_number(rt, arg(args, 0))?.is_nan()))
        }),
        "isFinite" => rt.native_fn("isFinite", |rt, _, args| {
            Ok(Value::Bool(ops::to_number(rt, arg(args, 0))?.is_finite()))
        }),
        "encodeURIComponent" => rt.native_fn("encodeURIComponent", |rt, _, args| {
            let s = ops::to_string(rt, arg(args, 0))?;
            Ok(Value::string(encode(&s, COMPONENT_UNESCAPED)))
        }),
        "encodeURI" => rt.native_fn("encodeURI", |rt, _, args| {
            let s = ops::to_string(rt, arg(args, 0))?;
            Ok(Value::string(encode(&s, URI_UNESCAPED)))
        }),
        "decodeURIComponent" => rt.native_fn("decodeURIComponent", |rt, _, args| {
            let s = ops::to_string(rt, arg(args, 0))?;
            decode(&s, "")
                .map(Value::string)
                .ok_or_else(|| rt.error("URIError", "URI malformed"))
        }),
        "decodeURI" => rt.native_fn("decodeURI", |rt, _, args| {
            let s = ops::to_string(rt, arg(args, 0))?;
            decode(&s, URI_RESERVED)
                .map(Value::string)
                .ok_or_else(|| rt.error("URIError", "URI malformed"))
        }),
        "console" => console(rt),
        "setTimeout" => rt.native_fn("setTimeout", |rt, _, args| {
            let f = arg(args, 0);
            if !f.is_callable() {
                return Err(rt.host_error(
                    "TypeError",
                    "setTimeout() expects a function as its first argument",
                ));
            }
            let delay = timer_delay(ops::to_number(rt, arg(args, 1))?);
            let host = rt.host()?;
            let id = host.set_timeout(rt, f.clone(), delay, args.get(2..).unwrap_or(&[]).to_vec());
            Ok(Value::Number(id as f64))
        }),
        "clearTimeout" => rt.native_fn("clearTimeout", |rt, _, args| {
            // The runtime looks the id up with `===`: only a timer's own number cancels it.
            if let Value::Number(n) = arg(args, 0) {
                if *n >= 0.0 && n.fract() == 0.0 {
                    if let Ok(host) = rt.host() {
                        host.clear_timeout(*n as u64);
                    }
                }
            }
            Ok(Value::Undefined)
        }),
        _ => return None,
    })
}

/// The delay of `setTimeout(fn, ms)`: below 1, above 2³¹−1 or NaN becomes 1, then truncated.
pub fn timer_delay(ms: f64) -> u64 {
    if (1.0..=2_147_483_647.0).contains(&ms) {
        ms.trunc() as u64
    } else {
        1
    }
}

// ---- URI functions ----------------------------------------------------------------------------------

const COMPONENT_UNESCAPED: &str = "-_.!~*'()";
const URI_UNESCAPED: &str = "-_.!~*'();/?:@&=+$,#";
const URI_RESERVED: &str = ";/?:@&=+$,#";

fn encode(s: &str, unescaped: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || unescaped.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

fn hex_byte(b: &[u8], i: usize) -> Option<u8> {
    if b.get(i) != Some(&b'%') {
        return None;
    }
    let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
    if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u8::from_str_radix(h, 16).ok()
}

/// `Decode`: `None` for a malformed escape (a `URIError`). Escapes of characters in `reserved`
/// stay as they are.
fn decode(s: &str, reserved: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let first = hex_byte(b, i)?;
        if first < 0x80 {
            if reserved.contains(char::from(first)) {
                out.extend_from_slice(&b[i..i + 3]);
            } else {
                out.push(first);
            }
            i += 3;
            continue;
        }
        let n = match first {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return None,
        };
        let mut seq = vec![first];
        for k in 1..n {
            let byte = hex_byte(b, i + 3 * k)?;
            if byte & 0xC0 != 0x80 {
                return None;
            }
            seq.push(byte);
        }
        // Rejects overlong forms, surrogates and code points past U+10FFFF, as the spec does.
        std::str::from_utf8(&seq).ok()?;
        out.extend_from_slice(&seq);
        i += 3 * n;
    }
    String::from_utf8(out).ok()
}

// ---- console ---------------------------------------------------------------------------------------------

const CONSOLE_LEVELS: [&str; 6] = ["log", "info", "debug", "warn", "error", "trace"];

fn console(rt: &Rt) -> Value {
    let mut props: Vec<(&str, Value)> = Vec::new();
    for level in CONSOLE_LEVELS {
        props.push((
            level,
            rt.native_fn(level, move |rt, _, args| {
                let text = format_args(rt, args)?;
                if let Ok(host) = rt.host() {
                    host.log(None, LogLevel::Console(level), &text);
                }
                Ok(Value::Undefined)
            }),
        ));
    }
    rt.object_from(props)
}

/// Roughly `util.format(...args)`: `%s %d %i %f %j %o %O %c %%` in a first string argument, the
/// rest joined by spaces.
pub fn format_args(rt: &Rt, args: &[Value]) -> Res<String> {
    let mut out = String::new();
    let mut rest = args;
    if let Some(Value::String(f)) = args.first() {
        rest = &args[1..];
        if f.contains('%') {
            let mut chars = f.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                let Some(&spec) = chars.peek() else {
                    out.push('%');
                    break;
                };
                if spec == '%' {
                    chars.next();
                    out.push('%');
                    continue;
                }
                if !"sdifjoOc".contains(spec) {
                    out.push('%');
                    continue;
                }
                let Some((a, tail)) = rest.split_first() else {
                    out.push('%');
                    continue;
                };
                chars.next();
                rest = tail;
                match spec {
                    's' => match a {
                        Value::String(s) => out.push_str(s),
                        // `util.format` inspects objects with depth 0.
                        Value::Object(_) => out.push_str(&inspect(rt, a, 2)),
                        other => out.push_str(&inspect(rt, other, 0)),
                    },
                    'd' | 'i' | 'f' => {
                        let n = match (spec, a) {
                            (_, Value::Object(_)) => f64::NAN,
                            ('d', other) => ops::to_number(rt, other)?,
                            ('i', other) => parse_int(&ops::to_string(rt, other)?, 0),
                            (_, other) => parse_float(&ops::to_string(rt, other)?),
                        };
                        out.push_str(&inspect(rt, &Value::Number(n), 0));
                    }
                    'j' => {
                        out.push_str(&json::stringify(rt, a)?.unwrap_or_else(|| "undefined".into()))
                    }
                    'o' | 'O' => out.push_str(&inspect(rt, a, 0)),
                    _ => {}
                }
            }
        } else {
            out.push_str(f);
        }
    }
    for (i, a) in rest.iter().enumerate() {
        if i > 0 || args.len() > rest.len() {
            out.push(' ');
        }
        match a {
            Value::String(s) => out.push_str(s),
            other => out.push_str(&inspect(rt, other, 0)),
        }
    }
    Ok(out)
}

/// A string as `util.inspect` quotes it.
fn quote(s: &str) -> String {
    let q = if !s.contains('\'') {
        '\''
    } else if !s.contains('"') {
        '"'
    } else if !s.contains('`') {
        '`'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

fn is_identifier(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

fn key_text(k: &str) -> String {
    if is_identifier(k) {
        k.to_string()
    } else {
        quote(k)
    }
}

/// Roughly `util.inspect(v)` on one line, nested objects past depth 2 abbreviated.
pub fn inspect(rt: &Rt, v: &Value, depth: usize) -> String {
    let mut seen = Vec::new();
    inspect_in(rt, v, depth, &mut seen)
}

fn braces(prefix: &str, parts: Vec<String>, open: &str, close: &str) -> String {
    if parts.is_empty() {
        return format!("{prefix}{open}{close}");
    }
    format!("{prefix}{open} {} {close}", parts.join(", "))
}

fn inspect_in(rt: &Rt, v: &Value, depth: usize, seen: &mut Vec<usize>) -> String {
    let o = match v {
        Value::Undefined => return "undefined".into(),
        Value::Null => return "null".into(),
        Value::Bool(b) => return b.to_string(),
        Value::Number(n) => {
            return if *n == 0.0 && n.is_sign_negative() {
                "-0".into()
            } else {
                number_to_string(*n)
            }
        }
        Value::String(s) => return quote(s),
        Value::Object(o) => o.clone(),
    };
    if seen.contains(&o.id()) {
        return "[Circular *1]".into();
    }
    let props: Vec<(JsStr, Value)> = {
        let d = o.borrow();
        ordered_keys(&d.props)
            .into_iter()
            .filter_map(|k| d.props.get(&k).map(|v| (k.clone(), v.clone())))
            .collect()
    };
    let prop_parts = |rt: &Rt, seen: &mut Vec<usize>| -> Vec<String> {
        props
            .iter()
            .map(|(k, v)| format!("{}: {}", key_text(k), inspect_in(rt, v, depth + 1, seen)))
            .collect()
    };
    enum Shape {
        Function(String, bool),
        Array(Vec<Value>),
        Error(String),
        RegExp(String),
        Date,
        Map(Vec<(Value, Value)>),
        Set(Vec<Value>),
        Promise,
        Wrapper(Value),
        Plain(bool),
    }
    let shape = {
        let d = o.borrow();
        match &d.kind {
            Kind::Function(Func::Native(n)) => Shape::Function(n.name.to_string(), true),
            Kind::Function(Func::Closure(c)) => {
                Shape::Function(c.function.name.as_deref().unwrap_or("").to_string(), false)
            }
            Kind::Array(items) => Shape::Array(items.clone()),
            Kind::Error(e) => Shape::Error(match d.props.get("stack") {
                Some(Value::String(s)) => s.to_string(),
                _ => e.stack.to_string(),
            }),
            Kind::RegExp(r) => Shape::RegExp(format!("/{}/{}", r.source, r.flags)),
            Kind::Date(_) => Shape::Date,
            Kind::Map(m) => Shape::Map(m.entries.values().cloned().collect()),
            Kind::Set(s) => Shape::Set(s.entries.values().cloned().collect()),
            Kind::Promise(_) => Shape::Promise,
            Kind::Primitive(p) => Shape::Wrapper(p.clone()),
            Kind::Object => Shape::Plain(d.null_proto),
        }
    };
    seen.push(o.id());
    let text = match shape {
        Shape::Function(name, native) => {
            let base = if name.is_empty() {
                "[Function (anonymous)]".to_string()
            } else {
                format!("[Function: {name}]")
            };
            // A built-in function's own properties are its statics (not enumerable in V8).
            if props.is_empty() || native {
                base
            } else {
                braces(&format!("{base} "), prop_parts(rt, seen), "{", "}")
            }
        }
        Shape::Array(items) => {
            if depth > 2 {
                "[Array]".into()
            } else {
                let mut parts: Vec<String> = items
                    .iter()
                    .map(|x| inspect_in(rt, x, depth + 1, seen))
                    .collect();
                parts.extend(prop_parts(rt, seen));
                if parts.is_empty() {
                    "[]".into()
                } else {
                    format!("[ {} ]", parts.join(", "))
                }
            }
        }
        Shape::Error(stack) => stack,
        Shape::RegExp(s) => s,
        Shape::Date => {
            let iso = super::property(rt, v, "toISOString")
                .and_then(|f| rt.call(&f, v, &[]).ok())
                .and_then(|s| s.as_str().map(str::to_string));
            iso.unwrap_or_else(|| "Invalid Date".into())
        }
        Shape::Map(entries) => {
            let parts = entries
                .iter()
                .map(|(k, x)| {
                    format!(
                        "{} => {}",
                        inspect_in(rt, k, depth + 1, seen),
                        inspect_in(rt, x, depth + 1, seen)
                    )
                })
                .collect();
            braces(&format!("Map({}) ", entries.len()), parts, "{", "}")
        }
        Shape::Set(items) => {
            let parts = items
                .iter()
                .map(|x| inspect_in(rt, x, depth + 1, seen))
                .collect();
            braces(&format!("Set({}) ", items.len()), parts, "{", "}")
        }
        Shape::Promise => {
            let state = match rt.promise_state(&o) {
                crate::eval::promise::PromiseState::Pending => "<pending>".to_string(),
                crate::eval::promise::PromiseState::Fulfilled(x) => {
                    inspect_in(rt, &x, depth + 1, seen)
                }
                crate::eval::promise::PromiseState::Rejected(x) => {
                    format!("<rejected> {}", inspect_in(rt, &x, depth + 1, seen))
                }
            };
            format!("Promise {{ {state} }}")
        }
        Shape::Wrapper(p) => {
            let kind = match p {
                Value::String(_) => "String",
                Value::Number(_) => "Number",
                _ => "Boolean",
            };
            format!("[{kind}: {}]", inspect_in(rt, &p, depth + 1, seen))
        }
        Shape::Plain(null_proto) => {
            let prefix = if null_proto {
                "[Object: null prototype] "
            } else {
                ""
            };
            if depth > 2 {
                format!("{prefix}[Object]")
            } else {
                braces(prefix, prop_parts(rt, seen), "{", "}")
            }
        }
    };
    seen.pop();
    text
}
