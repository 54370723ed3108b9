//! `String`: the constructor, its statics and the methods of string values.
//!
//! JavaScript indexes and measures strings in UTF-16 code units while the evaluator stores them
//! as UTF-8, so every position a method takes or returns is converted. ASCII strings (the common
//! case) take fast paths where a byte is a code unit. A slice that would cut a surrogate pair in
//! half produces U+FFFD for the lone half (see `value.rs`: lone surrogates are not representable).
//!
//! Documented differences from V8:
//! - `localeCompare` has no ICU: it approximates the root collation (see [`collate`]).
//! - `normalize` knows the Latin, Greek, Cyrillic and kana compositions, Hangul, and the
//!   compatibility forms of Latin-1, general punctuation, letterlike symbols, enclosed
//!   alphanumerics, the Latin ligatures and the halfwidth and fullwidth forms; other characters
//!   are left as they are, and combining marks are not reordered by their combining class.
//! - `matchAll` returns an array of match arrays rather than a lazy iterator (`for … of`, spread
//!   and `Array.from` behave the same; `.next()` does not exist).

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use super::regexp;
use crate::eval::ops;
use crate::eval::value::{
    array_index, is_js_whitespace, number_to_string, to_integer, to_uint32, utf16_len, Ctor, Func,
    JsStr, Kind, Native, NativeImpl, Obj, Res, Value,
};
use crate::eval::Rt;

/// V8's longest string (`String::kMaxLength` on 64-bit targets), in UTF-16 units.
pub const MAX_STRING_LENGTH: usize = (1 << 29) - 24;

const METHODS: &[&str] = &[
    "at",
    "charAt",
    "charCodeAt",
    "codePointAt",
    "concat",
    "endsWith",
    "startsWith",
    "includes",
    "indexOf",
    "lastIndexOf",
    "localeCompare",
    "match",
    "matchAll",
    "normalize",
    "padEnd",
    "padStart",
    "repeat",
    "replace",
    "replaceAll",
    "search",
    "slice",
    "split",
    "substring",
    "substr",
    "toLowerCase",
    "toUpperCase",
    "toLocaleLowerCase",
    "toLocaleUpperCase",
    "toString",
    "valueOf",
    "trim",
    "trimStart",
    "trimEnd",
    "trimLeft",
    "trimRight",
    "isWellFormed",
    "toWellFormed",
];

/// What `receiver[key]` finds on `String.prototype` (for strings and `String` wrapper objects).
pub fn property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    if let Value::Object(o) = receiver {
        if let Kind::Primitive(Value::String(s)) = &o.borrow().kind {
            if key == "length" {
                return Some(Value::Number(utf16_len(s) as f64));
            }
            if let Some(i) = array_index(key) {
                return ops::string_unit_at(s, i as usize).map(Value::string);
            }
        }
    }
    if key == "constructor" {
        return rt.global("String");
    }
    let name: &'static str = METHODS.iter().find(|m| **m == key)?;
    rt.cached_method("String.prototype", name, |rt| {
        Some(rt.native_fn(name, move |rt, this, args| method(rt, name, this, args)))
    })
}

/// The `String` constructor with `fromCharCode`, `fromCodePoint` and `raw`.
pub fn constructor(rt: &Rt) -> Value {
    let call: NativeImpl = Rc::new(|rt, _, args| {
        Ok(match args.first() {
            None => Value::str(""),
            Some(v) => Value::String(ops::to_string(rt, v)?),
        })
    });
    let construct: NativeImpl = Rc::new(|rt, _, args| {
        let s = match args.first() {
            None => Value::str(""),
            Some(v) => Value::String(ops::to_string(rt, v)?),
        };
        Ok(Value::Object(Obj::new(Kind::Primitive(s))))
    });
    let f = Obj::new(Kind::Function(Func::Native(Native {
        name: "String".into(),
        call,
        construct: Some(construct),
        ctor: Some(Ctor::String),
    })));
    install_statics(rt, &f, STATICS, static_property);
    Value::Object(f)
}

const STATICS: &[&str] = &["fromCharCode", "fromCodePoint", "raw", "prototype"];

/// The statics of `String` (`String.fromCharCode`, …, `String.prototype`), made once per run.
pub fn static_property(rt: &Rt, key: &str) -> Option<Value> {
    let name: &'static str = STATICS.iter().find(|m| **m == key)?;
    rt.cached_method("String", name, |rt| {
        Some(match name {
            "fromCharCode" => rt.native_fn(name, from_char_code),
            "fromCodePoint" => rt.native_fn(name, from_code_point),
            "raw" => rt.native_fn(name, raw),
            _ => prototype(rt, &Value::str(""), METHODS, property),
        })
    })
}

/// Stores the statics of a constructor as its own properties.
///
/// The convention of this crate is that `function::property` finds the statics of a built-in
/// constructor through the module's `static_property` (so that they are not enumerable, as in
/// V8); until it dispatches `String`, `Number`, `Boolean` and `RegExp` there, they are also own
/// properties, so that they exist at all. Once it does, this call can go.
pub fn install_statics(rt: &Rt, f: &Obj, keys: &[&str], lookup: fn(&Rt, &str) -> Option<Value>) {
    for k in keys {
        if let Some(v) = lookup(rt, k) {
            f.set_own((*k).into(), v);
        }
    }
}

fn from_char_code(rt: &Rt, _: &Value, args: &[Value]) -> Res<Value> {
    let mut units = Vec::with_capacity(args.len());
    for a in args {
        units.push(to_uint32(ops::to_number(rt, a)?) as u16);
    }
    Ok(Value::string(String::from_utf16_lossy(&units)))
}

fn from_code_point(rt: &Rt, _: &Value, args: &[Value]) -> Res<Value> {
    let mut out = String::new();
    for a in args {
        let n = ops::to_number(rt, a)?;
        if n.fract() != 0.0 || !(0.0..=1_114_111.0).contains(&n) {
            return Err(rt.range_error(&format!("Invalid code point {}", number_to_string(n))));
        }
        out.push(char::from_u32(n as u32).unwrap_or('\u{FFFD}'));
    }
    Ok(Value::string(out))
}

fn raw(rt: &Rt, _: &Value, args: &[Value]) -> Res<Value> {
    let strings = arg(args, 0);
    let raw = rt.get(strings, "raw")?;
    let len = to_length(ops::to_number(rt, &rt.get(&raw, "length")?)?);
    let mut out = String::new();
    let mut i = 0usize;
    while (i as f64) < len {
        out.push_str(&ops::to_string(rt, &rt.get(&raw, &i.to_string())?)?);
        if (i + 1) as f64 >= len {
            break;
        }
        if let Some(sub) = args.get(i + 1) {
            out.push_str(&ops::to_string(rt, sub)?);
        }
        i += 1;
    }
    Ok(Value::string(out))
}

/// A `prototype` object holding the (cached) methods of a family, so that
/// `String.prototype.trim.call(x)` works and `String.prototype.trim === "".trim`.
pub fn prototype(
    rt: &Rt,
    sample: &Value,
    methods: &[&str],
    lookup: fn(&Rt, &Value, &str) -> Option<Value>,
) -> Value {
    let proto = rt.new_object();
    for m in methods {
        if let Some(f) = lookup(rt, sample, m) {
            proto.set_own((*m).into(), f);
        }
    }
    Value::Object(proto)
}

// ---- helpers shared with the other modules ------------------------------------------------------

/// Argument `i`, `undefined` when absent.
pub fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Undefined)
}

/// `ToLength` of a number.
pub fn to_length(n: f64) -> f64 {
    to_integer(n).clamp(0.0, 9_007_199_254_740_991.0)
}

/// `RequireObjectCoercible(this)` then `ToString`.
pub fn this_string(rt: &Rt, this: &Value, method: &str) -> Res<JsStr> {
    match this {
        Value::String(s) => Ok(s.clone()),
        Value::Undefined | Value::Null => Err(rt.type_error(&format!(
            "String.prototype.{method} called on null or undefined"
        ))),
        other => ops::to_string(rt, other),
    }
}

/// The UTF-16 code unit at `i`.
pub fn unit_at(s: &str, i: usize) -> Option<u16> {
    if s.is_ascii() {
        return s.as_bytes().get(i).map(|b| u16::from(*b));
    }
    s.encode_utf16().nth(i)
}

/// The substring between two UTF-16 positions (`from <= to <= length`); a half of a surrogate
/// pair becomes U+FFFD.
pub fn slice_units(s: &str, from: usize, to: usize) -> String {
    if from >= to {
        return String::new();
    }
    if s.is_ascii() {
        return s.get(from..to.min(s.len())).unwrap_or("").to_string();
    }
    let mut out = String::new();
    let mut pos = 0;
    for c in s.chars() {
        let end = pos + c.len_utf16();
        if end > from {
            if pos >= to {
                break;
            }
            if pos >= from && end <= to {
                out.push(c);
            } else {
                out.push('\u{FFFD}');
            }
        }
        pos = end;
    }
    out
}

/// Converts between byte offsets and UTF-16 positions of one string, walking forward from the
/// last position asked (so a left-to-right scan costs linear time).
pub struct Cursor<'a> {
    s: &'a str,
    ascii: bool,
    len_units: usize,
    byte: usize,
    unit: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(s: &'a str) -> Cursor<'a> {
        let ascii = s.is_ascii();
        Cursor {
            s,
            ascii,
            len_units: if ascii { s.len() } else { utf16_len(s) },
            byte: 0,
            unit: 0,
        }
    }

    /// The string's length in UTF-16 units.
    pub fn len_units(&self) -> usize {
        self.len_units
    }

    /// The UTF-16 position of a byte offset (a char boundary).
    pub fn unit_of(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        if byte < self.byte {
            self.byte = 0;
            self.unit = 0;
        }
        let rest = self.s.get(self.byte..).unwrap_or("");
        for c in rest.chars() {
            if self.byte >= byte {
                break;
            }
            self.byte += c.len_utf8();
            self.unit += c.len_utf16();
        }
        self.unit
    }

    /// The byte offset of a UTF-16 position; a position inside a surrogate pair rounds up to the
    /// end of the pair, one past the end gives the length.
    pub fn byte_of(&mut self, unit: usize) -> usize {
        if self.ascii {
            return unit.min(self.s.len());
        }
        if unit < self.unit {
            self.byte = 0;
            self.unit = 0;
        }
        let rest = self.s.get(self.byte..).unwrap_or("");
        for c in rest.chars() {
            if self.unit >= unit {
                break;
            }
            self.byte += c.len_utf8();
            self.unit += c.len_utf16();
        }
        self.byte
    }

    /// Like [`Cursor::byte_of`], rounding a position inside a surrogate pair down.
    pub fn byte_of_floor(&mut self, unit: usize) -> usize {
        let b = self.byte_of(unit);
        if !self.ascii && self.unit > unit {
            // The pair that straddles `unit` starts 4 bytes back.
            b.saturating_sub(4)
        } else {
            b
        }
    }
}

/// The next position after `i` for `AdvanceStringIndex`, as a byte offset: one code point (the
/// evaluator cannot stop inside a surrogate pair, so both modes step over whole characters).
pub fn next_char_boundary(s: &str, i: usize) -> usize {
    match s.get(i..).and_then(|r| r.chars().next()) {
        Some(c) => i + c.len_utf8(),
        None => i + 1,
    }
}

/// `GetSubstitution`: expands `$$`, `$&`, `` $` ``, `$'`, `$n`, `$nn` and `$<name>` in a
/// replacement template. `position` is the byte offset of the match in `s`; `named` is `None`
/// when the pattern has no named groups.
pub fn get_substitution(
    matched: &str,
    s: &str,
    position: usize,
    captures: &[Option<&str>],
    named: Option<&[(String, Option<String>)]>,
    template: &str,
) -> String {
    if !template.contains('$') {
        return template.to_string();
    }
    let m = captures.len();
    let bytes = template.as_bytes();
    let mut out = String::with_capacity(template.len());
    let mut i = 0;
    let mut lit_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' || i + 1 >= bytes.len() {
            i += 1;
            continue;
        }
        let next = bytes[i + 1];
        let (replacement, consumed): (Option<String>, usize) = match next {
            b'$' => (Some("$".into()), 2),
            b'&' => (Some(matched.into()), 2),
            b'`' => (Some(s.get(..position).unwrap_or("").into()), 2),
            b'\'' => {
                let tail = (position + matched.len()).min(s.len());
                (Some(s.get(tail..).unwrap_or("").into()), 2)
            }
            b'0'..=b'9' => {
                let d1 = usize::from(next - b'0');
                let two = bytes
                    .get(i + 2)
                    .filter(|b| b.is_ascii_digit())
                    .map(|b| d1 * 10 + usize::from(b - b'0'));
                match two {
                    Some(nn) if (1..=m).contains(&nn) => {
                        (Some(captures[nn - 1].unwrap_or("").into()), 3)
                    }
                    _ if (1..=m).contains(&d1) => (Some(captures[d1 - 1].unwrap_or("").into()), 2),
                    _ => (None, 1),
                }
            }
            b'<' => match named {
                None => (None, 1),
                Some(groups) => match template[i + 2..].find('>') {
                    None => (None, 1),
                    Some(close) => {
                        let name = &template[i + 2..i + 2 + close];
                        let value = groups
                            .iter()
                            .find(|(n, _)| n == name)
                            .and_then(|(_, v)| v.clone())
                            .unwrap_or_default();
                        (Some(value), close + 3)
                    }
                },
            },
            _ => (None, 1),
        };
        match replacement {
            Some(r) => {
                out.push_str(&template[lit_start..i]);
                out.push_str(&r);
                i += consumed;
                lit_start = i;
            }
            None => i += consumed,
        }
    }
    out.push_str(&template[lit_start..]);
    out
}

fn string_length_error(rt: &Rt) -> Value {
    rt.range_error("Invalid string length")
}

fn int_arg(rt: &Rt, args: &[Value], i: usize) -> Res<f64> {
    Ok(to_integer(ops::to_number(rt, arg(args, i))?))
}

/// A relative index (`slice`, `at`): negative counts from the end, clamped to `0..=len`.
fn relative(n: f64, len: usize) -> usize {
    let len = len as f64;
    (if n < 0.0 {
        (len + n).max(0.0)
    } else {
        n.min(len)
    }) as usize
}

fn not_regexp(rt: &Rt, v: &Value, method: &str) -> Res<()> {
    if regexp::as_regexp(v).is_some() {
        return Err(rt.type_error(&format!(
            "First argument to String.prototype.{method} must not be a regular expression"
        )));
    }
    Ok(())
}

/// The position of `needle` in `s` at or after the UTF-16 position `from`, in UTF-16 units.
pub fn index_of(s: &str, needle: &str, from: usize) -> Option<usize> {
    let mut cur = Cursor::new(s);
    let len = cur.len_units();
    if from > len {
        return None;
    }
    if needle.is_empty() {
        return Some(from);
    }
    let start = cur.byte_of(from);
    let found = s.get(start..)?.find(needle)?;
    Some(cur.unit_of(start + found))
}

// ---- the methods ----------------------------------------------------------------------------------

fn method(rt: &Rt, name: &str, this: &Value, args: &[Value]) -> Res<Value> {
    match name {
        "toString" | "valueOf" => return this_string_value(rt, this, name),
        _ => {}
    }
    let s = this_string(rt, this, name)?;
    let s: &str = &s;
    Ok(match name {
        "at" => {
            let len = utf16_len(s);
            let k = int_arg(rt, args, 0)?;
            let k = if k < 0.0 { len as f64 + k } else { k };
            if k < 0.0 || k >= len as f64 {
                Value::Undefined
            } else {
                Value::string(slice_units(s, k as usize, k as usize + 1))
            }
        }
        "charAt" => {
            let k = int_arg(rt, args, 0)?;
            let len = utf16_len(s);
            if k < 0.0 || k >= len as f64 {
                Value::str("")
            } else {
                Value::string(slice_units(s, k as usize, k as usize + 1))
            }
        }
        "charCodeAt" => {
            let k = int_arg(rt, args, 0)?;
            if k < 0.0 {
                Value::Number(f64::NAN)
            } else {
                unit_at(s, k as usize)
                    .map_or(Value::Number(f64::NAN), |u| Value::Number(f64::from(u)))
            }
        }
        "codePointAt" => {
            let k = int_arg(rt, args, 0)?;
            if k < 0.0 || k >= utf16_len(s) as f64 {
                Value::Undefined
            } else {
                let k = k as usize;
                let first = unit_at(s, k).unwrap_or(0);
                let cp = match (first, unit_at(s, k + 1)) {
                    (0xD800..=0xDBFF, Some(second @ 0xDC00..=0xDFFF)) => {
                        0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
                    }
                    _ => u32::from(first),
                };
                Value::Number(f64::from(cp))
            }
        }
        "concat" => {
            let mut out = s.to_string();
            for a in args {
                out.push_str(&ops::to_string(rt, a)?);
            }
            Value::string(out)
        }
        "startsWith" | "endsWith" => {
            not_regexp(rt, arg(args, 0), name)?;
            let search = ops::to_string(rt, arg(args, 0))?;
            let len = utf16_len(s);
            let search_len = utf16_len(&search);
            let pos = arg(args, 1);
            let result = if name == "startsWith" {
                let start = relative_clamp(int_arg(rt, args, 1)?, len);
                start + search_len <= len && units_equal(s, start, start + search_len, &search)
            } else {
                let end = if matches!(pos, Value::Undefined) {
                    len
                } else {
                    relative_clamp(int_arg(rt, args, 1)?, len)
                };
                end >= search_len && units_equal(s, end - search_len, end, &search)
            };
            Value::Bool(result)
        }
        "includes" => {
            not_regexp(rt, arg(args, 0), name)?;
            let search = ops::to_string(rt, arg(args, 0))?;
            let pos = relative_clamp(int_arg(rt, args, 1)?, utf16_len(s));
            Value::Bool(index_of(s, &search, pos).is_some())
        }
        "indexOf" => {
            let search = ops::to_string(rt, arg(args, 0))?;
            let pos = relative_clamp(int_arg(rt, args, 1)?, utf16_len(s));
            Value::Number(index_of(s, &search, pos).map_or(-1.0, |i| i as f64))
        }
        "lastIndexOf" => {
            let search = ops::to_string(rt, arg(args, 0))?;
            let n = ops::to_number(rt, arg(args, 1))?;
            let mut cur = Cursor::new(s);
            let len = cur.len_units();
            let start = if n.is_nan() {
                len
            } else {
                relative_clamp(to_integer(n), len)
            };
            if search.is_empty() {
                return Ok(Value::Number(start as f64));
            }
            let mut limit = (cur.byte_of_floor(start) + search.len()).min(s.len());
            while !s.is_char_boundary(limit) {
                limit -= 1;
            }
            let found = s.get(..limit).and_then(|h| h.rfind(&*search));
            Value::Number(found.map_or(-1.0, |b| cur.unit_of(b) as f64))
        }
        "localeCompare" => {
            let that = ops::to_string(rt, arg(args, 0))?;
            let options = arg(args, 2);
            let mut strength = 3;
            let mut numeric = false;
            if let Value::Object(_) = options {
                let sensitivity = rt.get(options, "sensitivity")?;
                if !matches!(sensitivity, Value::Undefined) {
                    strength = match &*ops::to_string(rt, &sensitivity)? {
                        "base" => 1,
                        "accent" => 2,
                        "case" => 4,
                        "variant" => 3,
                        other => {
                            return Err(rt.range_error(&format!(
                                "Value {other} out of range for String.prototype.localeCompare options property sensitivity"
                            )))
                        }
                    };
                }
                numeric = rt.get(options, "numeric")?.truthy();
            }
            Value::Number(match collate(s, &that, strength, numeric) {
                std::cmp::Ordering::Less => -1.0,
                std::cmp::Ordering::Equal => 0.0,
                std::cmp::Ordering::Greater => 1.0,
            })
        }
        "match" => {
            let rx = arg(args, 0);
            match regexp::as_regexp(rx) {
                Some(re) => regexp::string_match(rt, &re, s)?,
                None => {
                    let re = regexp_from(rt, rx, "")?;
                    regexp::string_match(rt, &re, s)?
                }
            }
        }
        "matchAll" => {
            let rx = arg(args, 0);
            match regexp::as_regexp(rx) {
                Some(re) => {
                    if !regexp::flags_of(&re).contains('g') {
                        return Err(rt.type_error(
                            "String.prototype.matchAll called with a non-global RegExp argument",
                        ));
                    }
                    regexp::match_all(rt, &re, s)?
                }
                None => {
                    let re = regexp_from(rt, rx, "g")?;
                    regexp::match_all(rt, &re, s)?
                }
            }
        }
        "normalize" => {
            let form = match arg(args, 0) {
                Value::Undefined => "NFC".into(),
                v => ops::to_string(rt, v)?,
            };
            let (compat, compose) = match &*form {
                "NFC" => (false, true),
                "NFD" => (false, false),
                "NFKC" => (true, true),
                "NFKD" => (true, false),
                _ => {
                    return Err(rt.range_error(
                        "The normalization form should be one of NFC, NFD, NFKC, NFKD.",
                    ))
                }
            };
            Value::string(normalize(s, compat, compose))
        }
        "padStart" | "padEnd" => {
            let max = to_length(ops::to_number(rt, arg(args, 0))?);
            let len = utf16_len(s);
            if max <= len as f64 {
                return Ok(Value::str(s));
            }
            let fill: JsStr = match arg(args, 1) {
                Value::Undefined => " ".into(),
                v => ops::to_string(rt, v)?,
            };
            if fill.is_empty() {
                return Ok(Value::str(s));
            }
            if max > MAX_STRING_LENGTH as f64 {
                return Err(string_length_error(rt));
            }
            let fill_len = max as usize - len;
            let unit_len = utf16_len(&fill);
            let repeated = fill.repeat(fill_len / unit_len + 1);
            let pad = slice_units(&repeated, 0, fill_len);
            Value::string(if name == "padStart" {
                pad + s
            } else {
                let mut out = s.to_string();
                out.push_str(&pad);
                out
            })
        }
        "repeat" => {
            let count_v = arg(args, 0);
            let n = to_integer(ops::to_number(rt, count_v)?);
            if n < 0.0 || n == f64::INFINITY {
                return Err(rt.range_error(&format!(
                    "Invalid count value: {}",
                    number_to_string(ops::to_number(rt, count_v)?)
                )));
            }
            if n == 0.0 || s.is_empty() {
                return Ok(Value::str(""));
            }
            if n * utf16_len(s) as f64 > MAX_STRING_LENGTH as f64 {
                return Err(string_length_error(rt));
            }
            Value::string(s.repeat(n as usize))
        }
        "replace" | "replaceAll" => {
            let pattern = arg(args, 0);
            let replacement = arg(args, 1);
            if let Some(re) = regexp::as_regexp(pattern) {
                if name == "replaceAll" && !regexp::flags_of(&re).contains('g') {
                    return Err(rt.type_error(
                        "String.prototype.replaceAll called with a non-global RegExp argument",
                    ));
                }
                return regexp::replace(rt, &re, s, replacement);
            }
            let search = ops::to_string(rt, pattern)?;
            let template = if replacement.is_callable() {
                None
            } else {
                Some(ops::to_string(rt, replacement)?)
            };
            replace_string(
                rt,
                s,
                &search,
                replacement,
                template.as_deref(),
                name == "replaceAll",
            )?
        }
        "search" => {
            let rx = arg(args, 0);
            match regexp::as_regexp(rx) {
                Some(re) => regexp::search(rt, &re, s)?,
                None => {
                    let re = regexp_from(rt, rx, "")?;
                    regexp::search(rt, &re, s)?
                }
            }
        }
        "slice" => {
            let len = utf16_len(s);
            let from = relative(int_arg(rt, args, 0)?, len);
            let to = match arg(args, 1) {
                Value::Undefined => len,
                _ => relative(int_arg(rt, args, 1)?, len),
            };
            Value::string(slice_units(s, from, to))
        }
        "split" => {
            let sep = arg(args, 0);
            if let Some(re) = regexp::as_regexp(sep) {
                return regexp::split(rt, &re, s, arg(args, 1));
            }
            let lim = match arg(args, 1) {
                Value::Undefined => u32::MAX,
                v => to_uint32(ops::to_number(rt, v)?),
            } as usize;
            let r = ops::to_string(rt, sep)?;
            if lim == 0 {
                return Ok(rt.new_array(Vec::new()));
            }
            if matches!(sep, Value::Undefined) {
                return Ok(rt.new_array(vec![Value::str(s)]));
            }
            if r.is_empty() {
                let items: Vec<Value> = if s.is_ascii() {
                    s.bytes()
                        .take(lim)
                        .map(|b| Value::string(char::from(b).to_string()))
                        .collect()
                } else {
                    s.encode_utf16()
                        .take(lim)
                        .map(|u| Value::string(String::from_utf16_lossy(&[u])))
                        .collect()
                };
                return Ok(rt.new_array(items));
            }
            let items: Vec<Value> = s.split(&*r).take(lim).map(Value::str).collect();
            rt.new_array(items)
        }
        "substring" => {
            let len = utf16_len(s);
            let a = relative_clamp(int_arg(rt, args, 0)?, len);
            let b = match arg(args, 1) {
                Value::Undefined => len,
                _ => relative_clamp(int_arg(rt, args, 1)?, len),
            };
            Value::string(slice_units(s, a.min(b), a.max(b)))
        }
        "substr" => {
            let len = utf16_len(s);
            let start = relative(int_arg(rt, args, 0)?, len);
            let count = match arg(args, 1) {
                Value::Undefined => len as f64,
                _ => int_arg(rt, args, 1)?.clamp(0.0, len as f64),
            };
            let end = (start as f64 + count).min(len as f64) as usize;
            Value::string(slice_units(s, start, end))
        }
        "toLowerCase" | "toLocaleLowerCase" => Value::string(s.to_lowercase()),
        "toUpperCase" | "toLocaleUpperCase" => Value::string(s.to_uppercase()),
        "trim" => Value::str(s.trim_matches(is_js_whitespace)),
        "trimStart" | "trimLeft" => Value::str(s.trim_start_matches(is_js_whitespace)),
        "trimEnd" | "trimRight" => Value::str(s.trim_end_matches(is_js_whitespace)),
        "isWellFormed" => Value::Bool(true),
        "toWellFormed" => Value::str(s),
        _ => Value::Undefined,
    })
}

/// `thisStringValue` for `toString` and `valueOf`.
fn this_string_value(rt: &Rt, this: &Value, name: &str) -> Res<Value> {
    match this {
        Value::String(_) => Ok(this.clone()),
        Value::Object(o) => match &o.borrow().kind {
            Kind::Primitive(v @ Value::String(_)) => Ok(v.clone()),
            _ => Err(rt.type_error(&format!(
                "String.prototype.{name} requires that 'this' be a String"
            ))),
        },
        _ => Err(rt.type_error(&format!(
            "String.prototype.{name} requires that 'this' be a String"
        ))),
    }
}

/// A position clamped to `0..=len`.
fn relative_clamp(n: f64, len: usize) -> usize {
    n.clamp(0.0, len as f64) as usize
}

/// Whether the UTF-16 units `from..to` of `s` equal `search`.
fn units_equal(s: &str, from: usize, to: usize, search: &str) -> bool {
    if s.is_ascii() {
        return s.get(from..to) == Some(search);
    }
    let units: Vec<u16> = s.encode_utf16().skip(from).take(to - from).collect();
    units.iter().copied().eq(search.encode_utf16())
}

/// A regex made from a non-RegExp argument of `match`, `matchAll` and `search`.
fn regexp_from(rt: &Rt, v: &Value, flags: &str) -> Res<Obj> {
    let pattern: JsStr = match v {
        Value::Undefined => "".into(),
        other => ops::to_string(rt, other)?,
    };
    let re = regexp::new_regexp_ctor(rt, &pattern, flags)?;
    regexp::as_regexp(&re).ok_or_else(|| rt.type_error("not a regular expression"))
}

/// `replace`/`replaceAll` with a string pattern.
fn replace_string(
    rt: &Rt,
    s: &str,
    search: &str,
    replacer: &Value,
    template: Option<&str>,
    all: bool,
) -> Res<Value> {
    // The byte positions of the matches.
    let positions: Vec<usize> = if search.is_empty() {
        if !all {
            vec![0]
        } else if s.is_ascii() {
            (0..=s.len()).collect()
        } else {
            // Every UTF-16 position, including inside surrogate pairs: build from code units.
            let units: Vec<u16> = s.encode_utf16().collect();
            let mut out: Vec<u16> = Vec::with_capacity(units.len() * 2 + 1);
            let whole = Value::str(s);
            let len = units.len();
            for i in 0..=len {
                let r = match template {
                    // `$`` and `$'` are the halves around position i (split inside a pair if
                    // need be): expand against them joined, at the byte offset between them.
                    Some(t) if t.contains('$') => {
                        let before = String::from_utf16_lossy(&units[..i]);
                        let joined = before.clone() + &String::from_utf16_lossy(&units[i..]);
                        get_substitution("", &joined, before.len(), &[], None, t)
                    }
                    _ => substitution(rt, "", s, 0, i, replacer, template, &whole)?,
                };
                out.extend(r.encode_utf16());
                if let Some(u) = units.get(i) {
                    out.push(*u);
                }
            }
            return Ok(Value::string(String::from_utf16_lossy(&out)));
        }
    } else if all {
        s.match_indices(search).map(|(i, _)| i).collect()
    } else {
        s.find(search).into_iter().collect()
    };
    if positions.is_empty() {
        return Ok(Value::str(s));
    }
    let whole = Value::str(s);
    let mut cur = Cursor::new(s);
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for p in positions {
        let unit = cur.unit_of(p);
        let r = substitution(rt, search, s, p, unit, replacer, template, &whole)?;
        out.push_str(&s[last..p]);
        out.push_str(&r);
        last = p + search.len();
    }
    out.push_str(&s[last.min(s.len())..]);
    Ok(Value::string(out))
}

/// The replacement text of one string-pattern match.
#[allow(clippy::too_many_arguments)]
fn substitution(
    rt: &Rt,
    matched: &str,
    s: &str,
    byte_pos: usize,
    unit_pos: usize,
    replacer: &Value,
    template: Option<&str>,
    whole: &Value,
) -> Res<String> {
    match template {
        Some(t) => Ok(get_substitution(matched, s, byte_pos, &[], None, t)),
        None => {
            let r = rt.call(
                replacer,
                &Value::Undefined,
                &[
                    Value::str(matched),
                    Value::Number(unit_pos as f64),
                    whole.clone(),
                ],
            )?;
            Ok(ops::to_string(rt, &r)?.to_string())
        }
    }
}

// ---- localeCompare --------------------------------------------------------------------------------

/// The order of the ASCII characters that are not letters or digits in ICU's root collation
/// (measured with Node's `localeCompare`).
const ASCII_ORDER: &str = "\t\n\u{b}\u{c}\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

/// Combining marks in the order of their secondary weights (measured with Node).
const MARK_ORDER: &[u32] = &[
    0x301, 0x300, 0x306, 0x302, 0x30c, 0x30a, 0x308, 0x30b, 0x303, 0x307, 0x327, 0x328, 0x304,
    0x309, 0x30f, 0x311, 0x31b, 0x323, 0x324, 0x325, 0x326, 0x32d, 0x32e, 0x330, 0x331, 0x345,
];

/// The secondary weight of a stroke (`ø`, `ł`, `đ`): after every accent.
const STROKE: u32 = 200;

#[derive(Clone, Copy)]
struct Element {
    primary: u32,
    secondary: u32,
    tertiary: u8,
}

const WHITESPACE_BASE: u32 = 1;
const SYMBOL_BASE: u32 = 100;
const DIGIT_BASE: u32 = 2_000_000;
const LATIN_BASE: u32 = 3_000_000;
const LETTER_BASE: u32 = 4_000_000;

fn latin(letter: u8, extra: u32) -> u32 {
    LATIN_BASE + u32::from(letter.to_ascii_lowercase() - b'a') * 10 + extra
}

fn push_char(out: &mut Vec<Element>, c: char) {
    let cp = u32::from(c);
    let base = |primary: u32, tertiary: u8| Element {
        primary,
        secondary: 1,
        tertiary,
    };
    if c.is_ascii() {
        let b = cp as u8;
        if b.is_ascii_alphabetic() {
            out.push(base(latin(b, 0), u8::from(b.is_ascii_uppercase())));
        } else if b.is_ascii_digit() {
            out.push(base(DIGIT_BASE + 100 + u32::from(b - b'0'), 0));
        } else if let Some(i) = ASCII_ORDER.find(c) {
            out.push(base(WHITESPACE_BASE + i as u32, 0));
        }
        // Other ASCII controls are ignorable.
        return;
    }
    if let Some(w) = MARK_ORDER.iter().position(|m| *m == cp) {
        out.push(Element {
            primary: 0,
            secondary: 2 + w as u32,
            tertiary: 0,
        });
        return;
    }
    match c {
        '\u{80}'..='\u{9f}' | '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{feff}' => {}
        'ß' | 'ẞ' => {
            out.push(base(latin(b's', 0), 2));
            out.push(base(latin(b's', 0), 2));
        }
        'æ' | 'Æ' => {
            out.push(base(latin(b'a', 0), 2 + u8::from(c == 'Æ')));
            out.push(base(latin(b'e', 0), 2 + u8::from(c == 'Æ')));
        }
        'œ' | 'Œ' => {
            out.push(base(latin(b'o', 0), 2 + u8::from(c == 'Œ')));
            out.push(base(latin(b'e', 0), 2 + u8::from(c == 'Œ')));
        }
        'ø' | 'Ø' | 'ł' | 'Ł' | 'đ' | 'Đ' => {
            let letter = match c {
                'ø' | 'Ø' => b'o',
                'ł' | 'Ł' => b'l',
                _ => b'd',
            };
            out.push(base(latin(letter, 0), u8::from(c.is_uppercase())));
            out.push(Element {
                primary: 0,
                secondary: STROKE,
                tertiary: 0,
            });
        }
        'ı' => out.push(base(latin(b'i', 5), 0)),
        'þ' | 'Þ' => out.push(base(latin(b'z', 5), u8::from(c == 'Þ'))),
        _ if is_js_whitespace(c) => out.push(base(WHITESPACE_BASE + 5, 0)),
        _ if c.is_alphabetic() => {
            let lower = c.to_lowercase().next().unwrap_or(c);
            out.push(base(
                LETTER_BASE + u32::from(lower),
                u8::from(c.is_uppercase()),
            ));
        }
        _ if c.is_numeric() => out.push(base(DIGIT_BASE + 200, 0)),
        _ => out.push(base(SYMBOL_BASE + cp, 0)),
    }
}

fn elements(s: &str, numeric: bool) -> Vec<Element> {
    let d = normalize(s, false, false);
    let mut out = Vec::with_capacity(d.len());
    let mut chars = d.chars().peekable();
    while let Some(c) = chars.next() {
        if numeric && c.is_ascii_digit() {
            // A run of digits is one number: shorter (without leading zeros) sorts first.
            let mut digits = String::from(c);
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            let trimmed = digits.trim_start_matches('0');
            out.push(Element {
                primary: DIGIT_BASE + trimmed.len() as u32,
                secondary: 1,
                tertiary: 0,
            });
            for d in trimmed.bytes() {
                out.push(Element {
                    primary: DIGIT_BASE + 100 + u32::from(d - b'0'),
                    secondary: 1,
                    tertiary: 0,
                });
            }
            continue;
        }
        push_char(&mut out, c);
    }
    out
}

/// `localeCompare` without ICU: an approximation of the root collation. Strings compare first by
/// their base characters (whitespace < punctuation < symbols < digits < letters, case and accents
/// ignored), then by accents, then by case (lowercase first). `strength` 1 is "base", 2
/// "accent", 3 "variant" (the default) and 4 "case"; `numeric` compares runs of digits by value.
pub fn collate(a: &str, b: &str, strength: u8, numeric: bool) -> std::cmp::Ordering {
    let ea = elements(a, numeric);
    let eb = elements(b, numeric);
    let primaries = |e: &[Element]| -> Vec<u32> {
        e.iter()
            .filter(|x| x.primary != 0)
            .map(|x| x.primary)
            .collect()
    };
    let ord = primaries(&ea).cmp(&primaries(&eb));
    if ord.is_ne() || strength == 1 {
        return ord;
    }
    if strength != 4 {
        let secondaries = |e: &[Element]| -> Vec<u32> {
            e.iter()
                .filter(|x| x.secondary != 0)
                .map(|x| x.secondary)
                .collect()
        };
        let ord = secondaries(&ea).cmp(&secondaries(&eb));
        if ord.is_ne() || strength == 2 {
            return ord;
        }
    }
    let tertiaries = |e: &[Element]| -> Vec<u8> {
        e.iter()
            .filter(|x| x.primary != 0)
            .map(|x| x.tertiary)
            .collect()
    };
    tertiaries(&ea).cmp(&tertiaries(&eb))
}

// ---- normalize ---------------------------------------------------------------------------------------

struct Tables {
    canonical: HashMap<char, &'static str>,
    compose: HashMap<(char, char), char>,
    compatibility: HashMap<char, &'static str>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut canonical = HashMap::new();
        let mut compose = HashMap::new();
        for entry in CANONICAL.split('|') {
            let (excluded, entry) = match entry.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, entry),
            };
            let mut chars = entry.chars();
            let (Some(c), Some('=')) = (chars.next(), chars.next()) else {
                continue;
            };
            let d = chars.as_str();
            canonical.insert(c, d);
            let mut parts = d.chars();
            if let (Some(x), Some(y), None) = (parts.next(), parts.next(), parts.next()) {
                if !excluded {
                    compose.insert((x, y), c);
                }
            }
        }
        let mut compatibility = HashMap::new();
        for entry in COMPATIBILITY.split('|') {
            let mut chars = entry.chars();
            if let (Some(c), Some('=')) = (chars.next(), chars.next()) {
                compatibility.insert(c, chars.as_str());
            }
        }
        Tables {
            canonical,
            compose,
            compatibility,
        }
    })
}

const HANGUL_S: u32 = 0xAC00;
const HANGUL_L: u32 = 0x1100;
const HANGUL_V: u32 = 0x1161;
const HANGUL_T: u32 = 0x11A7;
const HANGUL_COUNT: u32 = 11172;

fn decompose_into(t: &Tables, c: char, compat: bool, out: &mut String) {
    let cp = u32::from(c);
    if (HANGUL_S..HANGUL_S + HANGUL_COUNT).contains(&cp) {
        let i = cp - HANGUL_S;
        let l = HANGUL_L + i / (21 * 28);
        let v = HANGUL_V + (i % (21 * 28)) / 28;
        let tail = HANGUL_T + i % 28;
        for x in [l, v] {
            out.push(char::from_u32(x).unwrap_or(c));
        }
        if tail != HANGUL_T {
            out.push(char::from_u32(tail).unwrap_or(c));
        }
        return;
    }
    if compat {
        if let Some(d) = t.compatibility.get(&c) {
            out.push_str(d);
            return;
        }
        if ('\u{ff01}'..='\u{ff5e}').contains(&c) {
            out.push(char::from_u32(cp - 0xff01 + 0x21).unwrap_or(c));
            return;
        }
    }
    match t.canonical.get(&c) {
        Some(d) => {
            for x in d.chars() {
                decompose_into(t, x, compat, out);
            }
        }
        None => out.push(c),
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}'
            | '\u{483}'..='\u{489}'
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{fe20}'..='\u{fe2f}')
}

/// `String.prototype.normalize` for the characters the tables know (see the module docs).
pub fn normalize(s: &str, compat: bool, compose: bool) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let t = tables();
    let mut d = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        decompose_into(t, c, compat, &mut d);
    }
    if !compose {
        return d;
    }
    let mut out: Vec<char> = Vec::with_capacity(d.len());
    let mut starter: Option<usize> = None;
    for c in d.chars() {
        if let Some(si) = starter {
            let s0 = out[si];
            let (scp, ccp) = (u32::from(s0), u32::from(c));
            // Hangul L+V and LV+T.
            if (HANGUL_L..HANGUL_L + 19).contains(&scp)
                && (HANGUL_V..HANGUL_V + 21).contains(&ccp)
                && si + 1 == out.len()
            {
                let lv = HANGUL_S + ((scp - HANGUL_L) * 21 + (ccp - HANGUL_V)) * 28;
                out[si] = char::from_u32(lv).unwrap_or(s0);
                continue;
            }
            if (HANGUL_S..HANGUL_S + HANGUL_COUNT).contains(&scp)
                && (scp - HANGUL_S).is_multiple_of(28)
                && (HANGUL_T + 1..HANGUL_T + 28).contains(&ccp)
                && si + 1 == out.len()
            {
                out[si] = char::from_u32(scp + ccp - HANGUL_T).unwrap_or(s0);
                continue;
            }
            if let Some(composed) = t.compose.get(&(s0, c)) {
                if si + 1 == out.len() || is_combining_mark(c) {
                    out[si] = *composed;
                    continue;
                }
            }
        }
        if !is_combining_mark(c) {
            starter = Some(out.len());
        }
        out.push(c);
    }
    out.into_iter().collect()
}

/// Canonical decompositions, one level: `composed=decomposition|`, `!` marking a composition
/// exclusion (a character NFC does not produce). Generated with Node's `normalize` for U+00A0 to
/// U+04FF, U+1E00 to U+21FF, U+2460 to U+24EF, U+3040 to U+30FF, U+FB00 to U+FB06 and U+FF5F to
/// U+FFEF.
const CANONICAL: &str = "\
    À=A\u{300}|Á=A\u{301}|Â=A\u{302}|Ã=A\u{303}|Ä=A\u{308}|Å=A\u{30a}|Ç=C\u{327}|È=E\u{300}|\
    É=E\u{301}|Ê=E\u{302}|Ë=E\u{308}|Ì=I\u{300}|Í=I\u{301}|Î=I\u{302}|Ï=I\u{308}|Ñ=N\u{303}|\
    Ò=O\u{300}|Ó=O\u{301}|Ô=O\u{302}|Õ=O\u{303}|Ö=O\u{308}|Ù=U\u{300}|Ú=U\u{301}|Û=U\u{302}|\
    Ü=U\u{308}|Ý=Y\u{301}|à=a\u{300}|á=a\u{301}|â=a\u{302}|ã=a\u{303}|ä=a\u{308}|å=a\u{30a}|\
    ç=c\u{327}|è=e\u{300}|é=e\u{301}|ê=e\u{302}|ë=e\u{308}|ì=i\u{300}|í=i\u{301}|î=i\u{302}|\
    ï=i\u{308}|ñ=n\u{303}|ò=o\u{300}|ó=o\u{301}|ô=o\u{302}|õ=o\u{303}|ö=o\u{308}|ù=u\u{300}|\
    ú=u\u{301}|û=u\u{302}|ü=u\u{308}|ý=y\u{301}|ÿ=y\u{308}|Ā=A\u{304}|ā=a\u{304}|Ă=A\u{306}|\
    ă=a\u{306}|Ą=A\u{328}|ą=a\u{328}|Ć=C\u{301}|ć=c\u{301}|Ĉ=C\u{302}|ĉ=c\u{302}|Ċ=C\u{307}|\
    ċ=c\u{307}|Č=C\u{30c}|č=c\u{30c}|Ď=D\u{30c}|ď=d\u{30c}|Ē=E\u{304}|ē=e\u{304}|Ĕ=E\u{306}|\
    ĕ=e\u{306}|Ė=E\u{307}|ė=e\u{307}|Ę=E\u{328}|ę=e\u{328}|Ě=E\u{30c}|ě=e\u{30c}|Ĝ=G\u{302}|\
    ĝ=g\u{302}|Ğ=G\u{306}|ğ=g\u{306}|Ġ=G\u{307}|ġ=g\u{307}|Ģ=G\u{327}|ģ=g\u{327}|Ĥ=H\u{302}|\
    ĥ=h\u{302}|Ĩ=I\u{303}|ĩ=i\u{303}|Ī=I\u{304}|ī=i\u{304}|Ĭ=I\u{306}|ĭ=i\u{306}|Į=I\u{328}|\
    į=i\u{328}|İ=I\u{307}|Ĵ=J\u{302}|ĵ=j\u{302}|Ķ=K\u{327}|ķ=k\u{327}|Ĺ=L\u{301}|ĺ=l\u{301}|\
    Ļ=L\u{327}|ļ=l\u{327}|Ľ=L\u{30c}|ľ=l\u{30c}|Ń=N\u{301}|ń=n\u{301}|Ņ=N\u{327}|ņ=n\u{327}|\
    Ň=N\u{30c}|ň=n\u{30c}|Ō=O\u{304}|ō=o\u{304}|Ŏ=O\u{306}|ŏ=o\u{306}|Ő=O\u{30b}|ő=o\u{30b}|\
    Ŕ=R\u{301}|ŕ=r\u{301}|Ŗ=R\u{327}|ŗ=r\u{327}|Ř=R\u{30c}|ř=r\u{30c}|Ś=S\u{301}|ś=s\u{301}|\
    Ŝ=S\u{302}|ŝ=s\u{302}|Ş=S\u{327}|ş=s\u{327}|Š=S\u{30c}|š=s\u{30c}|Ţ=T\u{327}|ţ=t\u{327}|\
    Ť=T\u{30c}|ť=t\u{30c}|Ũ=U\u{303}|ũ=u\u{303}|Ū=U\u{304}|ū=u\u{304}|Ŭ=U\u{306}|ŭ=u\u{306}|\
    Ů=U\u{30a}|ů=u\u{30a}|Ű=U\u{30b}|ű=u\u{30b}|Ų=U\u{328}|ų=u\u{328}|Ŵ=W\u{302}|ŵ=w\u{302}|\
    Ŷ=Y\u{302}|ŷ=y\u{302}|Ÿ=Y\u{308}|Ź=Z\u{301}|ź=z\u{301}|Ż=Z\u{307}|ż=z\u{307}|Ž=Z\u{30c}|\
    ž=z\u{30c}|Ơ=O\u{31b}|ơ=o\u{31b}|Ư=U\u{31b}|ư=u\u{31b}|Ǎ=A\u{30c}|ǎ=a\u{30c}|Ǐ=I\u{30c}|\
    ǐ=i\u{30c}|Ǒ=O\u{30c}|ǒ=o\u{30c}|Ǔ=U\u{30c}|ǔ=u\u{30c}|Ǖ=Ü\u{304}|ǖ=ü\u{304}|Ǘ=Ü\u{301}|\
    ǘ=ü\u{301}|Ǚ=Ü\u{30c}|ǚ=ü\u{30c}|Ǜ=Ü\u{300}|ǜ=ü\u{300}|Ǟ=Ä\u{304}|ǟ=ä\u{304}|Ǡ=Ȧ\u{304}|\
    ǡ=ȧ\u{304}|Ǣ=Æ\u{304}|ǣ=æ\u{304}|Ǧ=G\u{30c}|ǧ=g\u{30c}|Ǩ=K\u{30c}|ǩ=k\u{30c}|Ǫ=O\u{328}|\
    ǫ=o\u{328}|Ǭ=Ǫ\u{304}|ǭ=ǫ\u{304}|Ǯ=Ʒ\u{30c}|ǯ=ʒ\u{30c}|ǰ=j\u{30c}|Ǵ=G\u{301}|ǵ=g\u{301}|\
    Ǹ=N\u{300}|ǹ=n\u{300}|Ǻ=Å\u{301}|ǻ=å\u{301}|Ǽ=Æ\u{301}|ǽ=æ\u{301}|Ǿ=Ø\u{301}|ǿ=ø\u{301}|\
    Ȁ=A\u{30f}|ȁ=a\u{30f}|Ȃ=A\u{311}|ȃ=a\u{311}|Ȅ=E\u{30f}|ȅ=e\u{30f}|Ȇ=E\u{311}|ȇ=e\u{311}|\
    Ȉ=I\u{30f}|ȉ=i\u{30f}|Ȋ=I\u{311}|ȋ=i\u{311}|Ȍ=O\u{30f}|ȍ=o\u{30f}|Ȏ=O\u{311}|ȏ=o\u{311}|\
    Ȑ=R\u{30f}|ȑ=r\u{30f}|Ȓ=R\u{311}|ȓ=r\u{311}|Ȕ=U\u{30f}|ȕ=u\u{30f}|Ȗ=U\u{311}|ȗ=u\u{311}|\
    Ș=S\u{326}|ș=s\u{326}|Ț=T\u{326}|ț=t\u{326}|Ȟ=H\u{30c}|ȟ=h\u{30c}|Ȧ=A\u{307}|ȧ=a\u{307}|\
    Ȩ=E\u{327}|ȩ=e\u{327}|Ȫ=Ö\u{304}|ȫ=ö\u{304}|Ȭ=Õ\u{304}|ȭ=õ\u{304}|Ȯ=O\u{307}|ȯ=o\u{307}|\
    Ȱ=Ȯ\u{304}|ȱ=ȯ\u{304}|Ȳ=Y\u{304}|ȳ=y\u{304}|!\u{374}=\u{2b9}|!\u{37e}=;|\
    \u{385}=\u{a8}\u{301}|Ά=Α\u{301}|!·=\u{b7}|Έ=Ε\u{301}|Ή=Η\u{301}|Ί=Ι\u{301}|Ό=Ο\u{301}|\
    Ύ=Υ\u{301}|Ώ=Ω\u{301}|ΐ=ϊ\u{301}|Ϊ=Ι\u{308}|Ϋ=Υ\u{308}|ά=α\u{301}|έ=ε\u{301}|ή=η\u{301}|\
    ί=ι\u{301}|ΰ=ϋ\u{301}|ϊ=ι\u{308}|ϋ=υ\u{308}|ό=ο\u{301}|ύ=υ\u{301}|ώ=ω\u{301}|ϓ=ϒ\u{301}|\
    ϔ=ϒ\u{308}|Ѐ=Е\u{300}|Ё=Е\u{308}|Ѓ=Г\u{301}|Ї=І\u{308}|Ќ=К\u{301}|Ѝ=И\u{300}|Ў=У\u{306}|\
    Й=И\u{306}|й=и\u{306}|ѐ=е\u{300}|ё=е\u{308}|ѓ=г\u{301}|ї=і\u{308}|ќ=к\u{301}|ѝ=и\u{300}|\
    ў=у\u{306}|Ѷ=Ѵ\u{30f}|ѷ=ѵ\u{30f}|\u{4c1}=Ж\u{306}|\u{4c2}=ж\u{306}|\u{4d0}=А\u{306}|\
    \u{4d1}=а\u{306}|\u{4d2}=А\u{308}|\u{4d3}=а\u{308}|\u{4d6}=Е\u{306}|\u{4d7}=е\u{306}|\
    \u{4da}=\u{4d8}\u{308}|\u{4db}=\u{4d9}\u{308}|\u{4dc}=Ж\u{308}|\u{4dd}=ж\u{308}|\
    \u{4de}=З\u{308}|\u{4df}=з\u{308}|\u{4e2}=И\u{304}|\u{4e3}=и\u{304}|\u{4e4}=И\u{308}|\
    \u{4e5}=и\u{308}|\u{4e6}=О\u{308}|\u{4e7}=о\u{308}|\u{4ea}=\u{4e8}\u{308}|\
    \u{4eb}=\u{4e9}\u{308}|\u{4ec}=Э\u{308}|\u{4ed}=э\u{308}|\u{4ee}=У\u{304}|\u{4ef}=у\u{304}|\
    \u{4f0}=У\u{308}|\u{4f1}=у\u{308}|\u{4f2}=У\u{30b}|\u{4f3}=у\u{30b}|\u{4f4}=Ч\u{308}|\
    \u{4f5}=ч\u{308}|\u{4f8}=Ы\u{308}|\u{4f9}=ы\u{308}|Ḁ=A\u{325}|ḁ=a\u{325}|Ḃ=B\u{307}|\
    ḃ=b\u{307}|Ḅ=B\u{323}|ḅ=b\u{323}|Ḇ=B\u{331}|ḇ=b\u{331}|Ḉ=Ç\u{301}|ḉ=ç\u{301}|Ḋ=D\u{307}|\
    ḋ=d\u{307}|Ḍ=D\u{323}|ḍ=d\u{323}|Ḏ=D\u{331}|ḏ=d\u{331}|Ḑ=D\u{327}|ḑ=d\u{327}|Ḓ=D\u{32d}|\
    ḓ=d\u{32d}|Ḕ=Ē\u{300}|ḕ=ē\u{300}|Ḗ=Ē\u{301}|ḗ=ē\u{301}|Ḙ=E\u{32d}|ḙ=e\u{32d}|Ḛ=E\u{330}|\
    ḛ=e\u{330}|Ḝ=Ȩ\u{306}|ḝ=ȩ\u{306}|Ḟ=F\u{307}|ḟ=f\u{307}|Ḡ=G\u{304}|ḡ=g\u{304}|Ḣ=H\u{307}|\
    ḣ=h\u{307}|Ḥ=H\u{323}|ḥ=h\u{323}|Ḧ=H\u{308}|ḧ=h\u{308}|Ḩ=H\u{327}|ḩ=h\u{327}|Ḫ=H\u{32e}|\
    ḫ=h\u{32e}|Ḭ=I\u{330}|ḭ=i\u{330}|Ḯ=Ï\u{301}|ḯ=ï\u{301}|Ḱ=K\u{301}|ḱ=k\u{301}|Ḳ=K\u{323}|\
    ḳ=k\u{323}|Ḵ=K\u{331}|ḵ=k\u{331}|Ḷ=L\u{323}|ḷ=l\u{323}|Ḹ=Ḷ\u{304}|ḹ=ḷ\u{304}|Ḻ=L\u{331}|\
    ḻ=l\u{331}|Ḽ=L\u{32d}|ḽ=l\u{32d}|Ḿ=M\u{301}|ḿ=m\u{301}|Ṁ=M\u{307}|ṁ=m\u{307}|Ṃ=M\u{323}|\
    ṃ=m\u{323}|Ṅ=N\u{307}|ṅ=n\u{307}|Ṇ=N\u{323}|ṇ=n\u{323}|Ṉ=N\u{331}|ṉ=n\u{331}|Ṋ=N\u{32d}|\
    ṋ=n\u{32d}|Ṍ=Õ\u{301}|ṍ=õ\u{301}|Ṏ=Õ\u{308}|ṏ=õ\u{308}|Ṑ=Ō\u{300}|ṑ=ō\u{300}|Ṓ=Ō\u{301}|\
    ṓ=ō\u{301}|Ṕ=P\u{301}|ṕ=p\u{301}|Ṗ=P\u{307}|ṗ=p\u{307}|Ṙ=R\u{307}|ṙ=r\u{307}|Ṛ=R\u{323}|\
    ṛ=r\u{323}|Ṝ=Ṛ\u{304}|ṝ=ṛ\u{304}|Ṟ=R\u{331}|ṟ=r\u{331}|Ṡ=S\u{307}|ṡ=s\u{307}|Ṣ=S\u{323}|\
    ṣ=s\u{323}|Ṥ=Ś\u{307}|ṥ=ś\u{307}|Ṧ=Š\u{307}|ṧ=š\u{307}|Ṩ=Ṣ\u{307}|ṩ=ṣ\u{307}|Ṫ=T\u{307}|\
    ṫ=t\u{307}|Ṭ=T\u{323}|ṭ=t\u{323}|Ṯ=T\u{331}|ṯ=t\u{331}|Ṱ=T\u{32d}|ṱ=t\u{32d}|Ṳ=U\u{324}|\
    ṳ=u\u{324}|Ṵ=U\u{330}|ṵ=u\u{330}|Ṷ=U\u{32d}|ṷ=u\u{32d}|Ṹ=Ũ\u{301}|ṹ=ũ\u{301}|Ṻ=Ū\u{308}|\
    ṻ=ū\u{308}|Ṽ=V\u{303}|ṽ=v\u{303}|Ṿ=V\u{323}|ṿ=v\u{323}|Ẁ=W\u{300}|ẁ=w\u{300}|Ẃ=W\u{301}|\
    ẃ=w\u{301}|Ẅ=W\u{308}|ẅ=w\u{308}|Ẇ=W\u{307}|ẇ=w\u{307}|Ẉ=W\u{323}|ẉ=w\u{323}|Ẋ=X\u{307}|\
    ẋ=x\u{307}|Ẍ=X\u{308}|ẍ=x\u{308}|Ẏ=Y\u{307}|ẏ=y\u{307}|Ẑ=Z\u{302}|ẑ=z\u{302}|Ẓ=Z\u{323}|\
    ẓ=z\u{323}|Ẕ=Z\u{331}|ẕ=z\u{331}|ẖ=h\u{331}|ẗ=t\u{308}|ẘ=w\u{30a}|ẙ=y\u{30a}|ẛ=ſ\u{307}|\
    Ạ=A\u{323}|ạ=a\u{323}|Ả=A\u{309}|ả=a\u{309}|Ấ=Â\u{301}|ấ=â\u{301}|Ầ=Â\u{300}|ầ=â\u{300}|\
    Ẩ=Â\u{309}|ẩ=â\u{309}|Ẫ=Â\u{303}|ẫ=â\u{303}|Ậ=Ạ\u{302}|ậ=ạ\u{302}|Ắ=Ă\u{301}|ắ=ă\u{301}|\
    Ằ=Ă\u{300}|ằ=ă\u{300}|Ẳ=Ă\u{309}|ẳ=ă\u{309}|Ẵ=Ă\u{303}|ẵ=ă\u{303}|Ặ=Ạ\u{306}|ặ=ạ\u{306}|\
    Ẹ=E\u{323}|ẹ=e\u{323}|Ẻ=E\u{309}|ẻ=e\u{309}|Ẽ=E\u{303}|ẽ=e\u{303}|Ế=Ê\u{301}|ế=ê\u{301}|\
    Ề=Ê\u{300}|ề=ê\u{300}|Ể=Ê\u{309}|ể=ê\u{309}|Ễ=Ê\u{303}|ễ=ê\u{303}|Ệ=Ẹ\u{302}|ệ=ẹ\u{302}|\
    Ỉ=I\u{309}|ỉ=i\u{309}|Ị=I\u{323}|ị=i\u{323}|Ọ=O\u{323}|ọ=o\u{323}|Ỏ=O\u{309}|ỏ=o\u{309}|\
    Ố=Ô\u{301}|ố=ô\u{301}|Ồ=Ô\u{300}|ồ=ô\u{300}|Ổ=Ô\u{309}|ổ=ô\u{309}|Ỗ=Ô\u{303}|ỗ=ô\u{303}|\
    Ộ=Ọ\u{302}|ộ=ọ\u{302}|Ớ=Ơ\u{301}|ớ=ơ\u{301}|Ờ=Ơ\u{300}|ờ=ơ\u{300}|Ở=Ơ\u{309}|ở=ơ\u{309}|\
    Ỡ=Ơ\u{303}|ỡ=ơ\u{303}|Ợ=Ơ\u{323}|ợ=ơ\u{323}|Ụ=U\u{323}|ụ=u\u{323}|Ủ=U\u{309}|ủ=u\u{309}|\
    Ứ=Ư\u{301}|ứ=ư\u{301}|Ừ=Ư\u{300}|ừ=ư\u{300}|Ử=Ư\u{309}|ử=ư\u{309}|Ữ=Ư\u{303}|ữ=ư\u{303}|\
    Ự=Ư\u{323}|ự=ư\u{323}|Ỳ=Y\u{300}|ỳ=y\u{300}|Ỵ=Y\u{323}|ỵ=y\u{323}|Ỷ=Y\u{309}|ỷ=y\u{309}|\
    Ỹ=Y\u{303}|ỹ=y\u{303}|\u{1f00}=α\u{313}|\u{1f01}=α\u{314}|\u{1f02}=\u{1f00}\u{300}|\
    \u{1f03}=\u{1f01}\u{300}|\u{1f04}=\u{1f00}\u{301}|\u{1f05}=\u{1f01}\u{301}|\
    \u{1f06}=\u{1f00}\u{342}|\u{1f07}=\u{1f01}\u{342}|\u{1f08}=Α\u{313}|\u{1f09}=Α\u{314}|\
    \u{1f0a}=\u{1f08}\u{300}|\u{1f0b}=\u{1f09}\u{300}|\u{1f0c}=\u{1f08}\u{301}|\
    \u{1f0d}=\u{1f09}\u{301}|\u{1f0e}=\u{1f08}\u{342}|\u{1f0f}=\u{1f09}\u{342}|\u{1f10}=ε\u{313}|\
    \u{1f11}=ε\u{314}|\u{1f12}=\u{1f10}\u{300}|\u{1f13}=\u{1f11}\u{300}|\u{1f14}=\u{1f10}\u{301}|\
    \u{1f15}=\u{1f11}\u{301}|\u{1f18}=Ε\u{313}|\u{1f19}=Ε\u{314}|\u{1f1a}=\u{1f18}\u{300}|\
    \u{1f1b}=\u{1f19}\u{300}|\u{1f1c}=\u{1f18}\u{301}|\u{1f1d}=\u{1f19}\u{301}|\u{1f20}=η\u{313}|\
    \u{1f21}=η\u{314}|\u{1f22}=\u{1f20}\u{300}|\u{1f23}=\u{1f21}\u{300}|\u{1f24}=\u{1f20}\u{301}|\
    \u{1f25}=\u{1f21}\u{301}|\u{1f26}=\u{1f20}\u{342}|\u{1f27}=\u{1f21}\u{342}|\u{1f28}=Η\u{313}|\
    \u{1f29}=Η\u{314}|\u{1f2a}=\u{1f28}\u{300}|\u{1f2b}=\u{1f29}\u{300}|\u{1f2c}=\u{1f28}\u{301}|\
    \u{1f2d}=\u{1f29}\u{301}|\u{1f2e}=\u{1f28}\u{342}|\u{1f2f}=\u{1f29}\u{342}|\u{1f30}=ι\u{313}|\
    \u{1f31}=ι\u{314}|\u{1f32}=\u{1f30}\u{300}|\u{1f33}=\u{1f31}\u{300}|\u{1f34}=\u{1f30}\u{301}|\
    \u{1f35}=\u{1f31}\u{301}|\u{1f36}=\u{1f30}\u{342}|\u{1f37}=\u{1f31}\u{342}|\u{1f38}=Ι\u{313}|\
    \u{1f39}=Ι\u{314}|\u{1f3a}=\u{1f38}\u{300}|\u{1f3b}=\u{1f39}\u{300}|\u{1f3c}=\u{1f38}\u{301}|\
    \u{1f3d}=\u{1f39}\u{301}|\u{1f3e}=\u{1f38}\u{342}|\u{1f3f}=\u{1f39}\u{342}|\u{1f40}=ο\u{313}|\
    \u{1f41}=ο\u{314}|\u{1f42}=\u{1f40}\u{300}|\u{1f43}=\u{1f41}\u{300}|\u{1f44}=\u{1f40}\u{301}|\
    \u{1f45}=\u{1f41}\u{301}|\u{1f48}=Ο\u{313}|\u{1f49}=Ο\u{314}|\u{1f4a}=\u{1f48}\u{300}|\
    \u{1f4b}=\u{1f49}\u{300}|\u{1f4c}=\u{1f48}\u{301}|\u{1f4d}=\u{1f49}\u{301}|\u{1f50}=υ\u{313}|\
    \u{1f51}=υ\u{314}|\u{1f52}=\u{1f50}\u{300}|\u{1f53}=\u{1f51}\u{300}|\u{1f54}=\u{1f50}\u{301}|\
    \u{1f55}=\u{1f51}\u{301}|\u{1f56}=\u{1f50}\u{342}|\u{1f57}=\u{1f51}\u{342}|\u{1f59}=Υ\u{314}|\
    \u{1f5b}=\u{1f59}\u{300}|\u{1f5d}=\u{1f59}\u{301}|\u{1f5f}=\u{1f59}\u{342}|\u{1f60}=ω\u{313}|\
    \u{1f61}=ω\u{314}|\u{1f62}=\u{1f60}\u{300}|\u{1f63}=\u{1f61}\u{300}|\u{1f64}=\u{1f60}\u{301}|\
    \u{1f65}=\u{1f61}\u{301}|\u{1f66}=\u{1f60}\u{342}|\u{1f67}=\u{1f61}\u{342}|\u{1f68}=Ω\u{313}|\
    \u{1f69}=Ω\u{314}|\u{1f6a}=\u{1f68}\u{300}|\u{1f6b}=\u{1f69}\u{300}|\u{1f6c}=\u{1f68}\u{301}|\
    \u{1f6d}=\u{1f69}\u{301}|\u{1f6e}=\u{1f68}\u{342}|\u{1f6f}=\u{1f69}\u{342}|\u{1f70}=α\u{300}|\
    !\u{1f71}=α\u{301}|\u{1f72}=ε\u{300}|!\u{1f73}=ε\u{301}|\u{1f74}=η\u{300}|!\u{1f75}=η\u{301}|\
    \u{1f76}=ι\u{300}|!\u{1f77}=ι\u{301}|\u{1f78}=ο\u{300}|!\u{1f79}=ο\u{301}|\u{1f7a}=υ\u{300}|\
    !\u{1f7b}=υ\u{301}|\u{1f7c}=ω\u{300}|!\u{1f7d}=ω\u{301}|\u{1f80}=\u{1f00}\u{345}|\
    \u{1f81}=\u{1f01}\u{345}|\u{1f82}=\u{1f02}\u{345}|\u{1f83}=\u{1f03}\u{345}|\
    \u{1f84}=\u{1f04}\u{345}|\u{1f85}=\u{1f05}\u{345}|\u{1f86}=\u{1f06}\u{345}|\
    \u{1f87}=\u{1f07}\u{345}|\u{1f88}=\u{1f08}\u{345}|\u{1f89}=\u{1f09}\u{345}|\
    \u{1f8a}=\u{1f0a}\u{345}|\u{1f8b}=\u{1f0b}\u{345}|\u{1f8c}=\u{1f0c}\u{345}|\
    \u{1f8d}=\u{1f0d}\u{345}|\u{1f8e}=\u{1f0e}\u{345}|\u{1f8f}=\u{1f0f}\u{345}|\
    \u{1f90}=\u{1f20}\u{345}|\u{1f91}=\u{1f21}\u{345}|\u{1f92}=\u{1f22}\u{345}|\
    \u{1f93}=\u{1f23}\u{345}|\u{1f94}=\u{1f24}\u{345}|\u{1f95}=\u{1f25}\u{345}|\
    \u{1f96}=\u{1f26}\u{345}|\u{1f97}=\u{1f27}\u{345}|\u{1f98}=\u{1f28}\u{345}|\
    \u{1f99}=\u{1f29}\u{345}|\u{1f9a}=\u{1f2a}\u{345}|\u{1f9b}=\u{1f2b}\u{345}|\
    \u{1f9c}=\u{1f2c}\u{345}|\u{1f9d}=\u{1f2d}\u{345}|\u{1f9e}=\u{1f2e}\u{345}|\
    \u{1f9f}=\u{1f2f}\u{345}|\u{1fa0}=\u{1f60}\u{345}|\u{1fa1}=\u{1f61}\u{345}|\
    \u{1fa2}=\u{1f62}\u{345}|\u{1fa3}=\u{1f63}\u{345}|\u{1fa4}=\u{1f64}\u{345}|\
    \u{1fa5}=\u{1f65}\u{345}|\u{1fa6}=\u{1f66}\u{345}|\u{1fa7}=\u{1f67}\u{345}|\
    \u{1fa8}=\u{1f68}\u{345}|\u{1fa9}=\u{1f69}\u{345}|\u{1faa}=\u{1f6a}\u{345}|\
    \u{1fab}=\u{1f6b}\u{345}|\u{1fac}=\u{1f6c}\u{345}|\u{1fad}=\u{1f6d}\u{345}|\
    \u{1fae}=\u{1f6e}\u{345}|\u{1faf}=\u{1f6f}\u{345}|\u{1fb0}=α\u{306}|\u{1fb1}=α\u{304}|\
    \u{1fb2}=\u{1f70}\u{345}|\u{1fb3}=α\u{345}|\u{1fb4}=ά\u{345}|\u{1fb6}=α\u{342}|\
    \u{1fb7}=\u{1fb6}\u{345}|\u{1fb8}=Α\u{306}|\u{1fb9}=Α\u{304}|\u{1fba}=Α\u{300}|\
    !\u{1fbb}=Α\u{301}|\u{1fbc}=Α\u{345}|!\u{1fbe}=ι|\u{1fc1}=\u{a8}\u{342}|\
    \u{1fc2}=\u{1f74}\u{345}|\u{1fc3}=η\u{345}|\u{1fc4}=ή\u{345}|\u{1fc6}=η\u{342}|\
    \u{1fc7}=\u{1fc6}\u{345}|\u{1fc8}=Ε\u{300}|!\u{1fc9}=Ε\u{301}|\u{1fca}=Η\u{300}|\
    !\u{1fcb}=Η\u{301}|\u{1fcc}=Η\u{345}|\u{1fcd}=\u{1fbf}\u{300}|\u{1fce}=\u{1fbf}\u{301}|\
    \u{1fcf}=\u{1fbf}\u{342}|\u{1fd0}=ι\u{306}|\u{1fd1}=ι\u{304}|\u{1fd2}=ϊ\u{300}|\
    !\u{1fd3}=ϊ\u{301}|\u{1fd6}=ι\u{342}|\u{1fd7}=ϊ\u{342}|\u{1fd8}=Ι\u{306}|\u{1fd9}=Ι\u{304}|\
    \u{1fda}=Ι\u{300}|!\u{1fdb}=Ι\u{301}|\u{1fdd}=\u{1ffe}\u{300}|\u{1fde}=\u{1ffe}\u{301}|\
    \u{1fdf}=\u{1ffe}\u{342}|\u{1fe0}=υ\u{306}|\u{1fe1}=υ\u{304}|\u{1fe2}=ϋ\u{300}|\
    !\u{1fe3}=ϋ\u{301}|\u{1fe4}=ρ\u{313}|\u{1fe5}=ρ\u{314}|\u{1fe6}=υ\u{342}|\u{1fe7}=ϋ\u{342}|\
    \u{1fe8}=Υ\u{306}|\u{1fe9}=Υ\u{304}|\u{1fea}=Υ\u{300}|!\u{1feb}=Υ\u{301}|\u{1fec}=Ρ\u{314}|\
    \u{1fed}=\u{a8}\u{300}|!\u{1fee}=\u{a8}\u{301}|!\u{1fef}=`|\u{1ff2}=\u{1f7c}\u{345}|\
    \u{1ff3}=ω\u{345}|\u{1ff4}=ώ\u{345}|\u{1ff6}=ω\u{342}|\u{1ff7}=\u{1ff6}\u{345}|\
    \u{1ff8}=Ο\u{300}|!\u{1ff9}=Ο\u{301}|\u{1ffa}=Ω\u{300}|!\u{1ffb}=Ω\u{301}|\u{1ffc}=Ω\u{345}|\
    !\u{1ffd}=\u{b4}|!\u{2000}=\u{2002}|!\u{2001}=\u{2003}|!\u{2126}=Ω|!\u{212a}=K|\
    !\u{212b}=A\u{30a}|\u{219a}=\u{2190}\u{338}|\u{219b}=\u{2192}\u{338}|\
    \u{21ae}=\u{2194}\u{338}|\u{21cd}=\u{21d0}\u{338}|\u{21ce}=\u{21d4}\u{338}|\
    \u{21cf}=\u{21d2}\u{338}|が=か\u{3099}|ぎ=き\u{3099}|ぐ=く\u{3099}|げ=け\u{3099}|ご=こ\u{3099}|\
    ざ=さ\u{3099}|じ=し\u{3099}|ず=す\u{3099}|ぜ=せ\u{3099}|ぞ=そ\u{3099}|だ=た\u{3099}|ぢ=ち\u{3099}|\
    づ=つ\u{3099}|で=て\u{3099}|ど=と\u{3099}|ば=は\u{3099}|ぱ=は\u{309a}|び=ひ\u{3099}|ぴ=ひ\u{309a}|\
    ぶ=ふ\u{3099}|ぷ=ふ\u{309a}|べ=へ\u{3099}|ぺ=へ\u{309a}|ぼ=ほ\u{3099}|ぽ=ほ\u{309a}|ゔ=う\u{3099}|\
    \u{309e}=\u{309d}\u{3099}|ガ=カ\u{3099}|ギ=キ\u{3099}|グ=ク\u{3099}|ゲ=ケ\u{3099}|ゴ=コ\u{3099}|\
    ザ=サ\u{3099}|ジ=シ\u{3099}|ズ=ス\u{3099}|ゼ=セ\u{3099}|ゾ=ソ\u{3099}|ダ=タ\u{3099}|ヂ=チ\u{3099}|\
    ヅ=ツ\u{3099}|デ=テ\u{3099}|ド=ト\u{3099}|バ=ハ\u{3099}|パ=ハ\u{309a}|ビ=ヒ\u{3099}|ピ=ヒ\u{309a}|\
    ブ=フ\u{3099}|プ=フ\u{309a}|ベ=ヘ\u{3099}|ペ=ヘ\u{309a}|ボ=ホ\u{3099}|ポ=ホ\u{309a}|ヴ=ウ\u{3099}|\
    ヷ=ワ\u{3099}|ヸ=ヰ\u{3099}|ヹ=ヱ\u{3099}|ヺ=ヲ\u{3099}|\u{30fe}=\u{30fd}\u{3099}|";

/// Compatibility decompositions (the full NFKD) of the characters whose NFKD differs from their
/// NFD, for the same ranges. The fullwidth forms U+FF01 to U+FF5E are computed.
const COMPATIBILITY: &str = "\
    \u{a0}=\u{20}|\u{a8}=\u{20}\u{308}|\u{aa}=a|\u{af}=\u{20}\u{304}|\u{b2}=2|\u{b3}=3|\
    \u{b4}=\u{20}\u{301}|\u{b5}=μ|\u{b8}=\u{20}\u{327}|\u{b9}=1|\u{ba}=o|\u{bc}=1\u{2044}4|\
    \u{bd}=1\u{2044}2|\u{be}=3\u{2044}4|Ĳ=IJ|ĳ=ij|Ŀ=L\u{b7}|ŀ=l\u{b7}|ŉ=\u{2bc}n|ſ=s|Ǆ=DZ\u{30c}|\
    ǅ=Dz\u{30c}|ǆ=dz\u{30c}|Ǉ=LJ|ǈ=Lj|ǉ=lj|Ǌ=NJ|ǋ=Nj|ǌ=nj|Ǳ=DZ|ǲ=Dz|ǳ=dz|\u{37a}=\u{20}\u{345}|\
    \u{384}=\u{20}\u{301}|\u{385}=\u{20}\u{308}\u{301}|ϐ=β|ϑ=θ|ϒ=Υ|ϓ=Υ\u{301}|ϔ=Υ\u{308}|ϕ=φ|ϖ=π|\
    ϰ=κ|ϱ=ρ|ϲ=ς|ϴ=Θ|ϵ=ε|Ϲ=Σ|ẚ=a\u{2be}|ẛ=s\u{307}|\u{1fbd}=\u{20}\u{313}|\u{1fbf}=\u{20}\u{313}|\
    \u{1fc0}=\u{20}\u{342}|\u{1fc1}=\u{20}\u{308}\u{342}|\u{1fcd}=\u{20}\u{313}\u{300}|\
    \u{1fce}=\u{20}\u{313}\u{301}|\u{1fcf}=\u{20}\u{313}\u{342}|\u{1fdd}=\u{20}\u{314}\u{300}|\
    \u{1fde}=\u{20}\u{314}\u{301}|\u{1fdf}=\u{20}\u{314}\u{342}|\u{1fed}=\u{20}\u{308}\u{300}|\
    \u{1fee}=\u{20}\u{308}\u{301}|\u{1ffd}=\u{20}\u{301}|\u{1ffe}=\u{20}\u{314}|\u{2000}=\u{20}|\
    \u{2001}=\u{20}|\u{2002}=\u{20}|\u{2003}=\u{20}|\u{2004}=\u{20}|\u{2005}=\u{20}|\
    \u{2006}=\u{20}|\u{2007}=\u{20}|\u{2008}=\u{20}|\u{2009}=\u{20}|\u{200a}=\u{20}|\
    \u{2011}=\u{2010}|\u{2017}=\u{20}\u{333}|\u{2024}=.|\u{2025}=..|\u{2026}=...|\u{202f}=\u{20}|\
    \u{2033}=\u{2032}\u{2032}|\u{2034}=\u{2032}\u{2032}\u{2032}|\u{2036}=\u{2035}\u{2035}|\
    \u{2037}=\u{2035}\u{2035}\u{2035}|\u{203c}=!!|\u{203e}=\u{20}\u{305}|\u{2047}=??|\u{2048}=?!|\
    \u{2049}=!?|\u{2057}=\u{2032}\u{2032}\u{2032}\u{2032}|\u{205f}=\u{20}|\u{2070}=0|\u{2071}=i|\
    \u{2074}=4|\u{2075}=5|\u{2076}=6|\u{2077}=7|\u{2078}=8|\u{2079}=9|\u{207a}=+|\
    \u{207b}=\u{2212}|\u{207c}=\u{3d}|\u{207d}=(|\u{207e}=)|\u{207f}=n|\u{2080}=0|\u{2081}=1|\
    \u{2082}=2|\u{2083}=3|\u{2084}=4|\u{2085}=5|\u{2086}=6|\u{2087}=7|\u{2088}=8|\u{2089}=9|\
    \u{208a}=+|\u{208b}=\u{2212}|\u{208c}=\u{3d}|\u{208d}=(|\u{208e}=)|\u{2090}=a|\u{2091}=e|\
    \u{2092}=o|\u{2093}=x|\u{2094}=ə|\u{2095}=h|\u{2096}=k|\u{2097}=l|\u{2098}=m|\u{2099}=n|\
    \u{209a}=p|\u{209b}=s|\u{209c}=t|\u{20a8}=Rs|\u{2100}=a/c|\u{2101}=a/s|\u{2102}=C|\
    \u{2103}=\u{b0}C|\u{2105}=c/o|\u{2106}=c/u|\u{2107}=Ɛ|\u{2109}=\u{b0}F|\u{210a}=g|\u{210b}=H|\
    \u{210c}=H|\u{210d}=H|\u{210e}=h|\u{210f}=ħ|\u{2110}=I|\u{2111}=I|\u{2112}=L|\u{2113}=l|\
    \u{2115}=N|\u{2116}=No|\u{2119}=P|\u{211a}=Q|\u{211b}=R|\u{211c}=R|\u{211d}=R|\u{2120}=SM|\
    \u{2121}=TEL|\u{2122}=TM|\u{2124}=Z|\u{2128}=Z|\u{212c}=B|\u{212d}=C|\u{212f}=e|\u{2130}=E|\
    \u{2131}=F|\u{2133}=M|\u{2134}=o|\u{2135}=\u{5d0}|\u{2136}=\u{5d1}|\u{2137}=\u{5d2}|\
    \u{2138}=\u{5d3}|\u{2139}=i|\u{213b}=FAX|\u{213c}=π|\u{213d}=γ|\u{213e}=Γ|\u{213f}=Π|\
    \u{2140}=\u{2211}|\u{2145}=D|\u{2146}=d|\u{2147}=e|\u{2148}=i|\u{2149}=j|\u{2150}=1\u{2044}7|\
    \u{2151}=1\u{2044}9|\u{2152}=1\u{2044}10|\u{2153}=1\u{2044}3|\u{2154}=2\u{2044}3|\
    \u{2155}=1\u{2044}5|\u{2156}=2\u{2044}5|\u{2157}=3\u{2044}5|\u{2158}=4\u{2044}5|\
    \u{2159}=1\u{2044}6|\u{215a}=5\u{2044}6|\u{215b}=1\u{2044}8|\u{215c}=3\u{2044}8|\
    \u{215d}=5\u{2044}8|\u{215e}=7\u{2044}8|\u{215f}=1\u{2044}|\u{2160}=I|\u{2161}=II|\
    \u{2162}=III|\u{2163}=IV|\u{2164}=V|\u{2165}=VI|\u{2166}=VII|\u{2167}=VIII|\u{2168}=IX|\
    \u{2169}=X|\u{216a}=XI|\u{216b}=XII|\u{216c}=L|\u{216d}=C|\u{216e}=D|\u{216f}=M|\u{2170}=i|\
    \u{2171}=ii|\u{2172}=iii|\u{2173}=iv|\u{2174}=v|\u{2175}=vi|\u{2176}=vii|\u{2177}=viii|\
    \u{2178}=ix|\u{2179}=x|\u{217a}=xi|\u{217b}=xii|\u{217c}=l|\u{217d}=c|\u{217e}=d|\u{217f}=m|\
    \u{2189}=0\u{2044}3|\u{2460}=1|\u{2461}=2|\u{2462}=3|\u{2463}=4|\u{2464}=5|\u{2465}=6|\
    \u{2466}=7|\u{2467}=8|\u{2468}=9|\u{2469}=10|\u{246a}=11|\u{246b}=12|\u{246c}=13|\u{246d}=14|\
    \u{246e}=15|\u{246f}=16|\u{2470}=17|\u{2471}=18|\u{2472}=19|\u{2473}=20|\u{2474}=(1)|\
    \u{2475}=(2)|\u{2476}=(3)|\u{2477}=(4)|\u{2478}=(5)|\u{2479}=(6)|\u{247a}=(7)|\u{247b}=(8)|\
    \u{247c}=(9)|\u{247d}=(10)|\u{247e}=(11)|\u{247f}=(12)|\u{2480}=(13)|\u{2481}=(14)|\
    \u{2482}=(15)|\u{2483}=(16)|\u{2484}=(17)|\u{2485}=(18)|\u{2486}=(19)|\u{2487}=(20)|\
    \u{2488}=1.|\u{2489}=2.|\u{248a}=3.|\u{248b}=4.|\u{248c}=5.|\u{248d}=6.|\u{248e}=7.|\
    \u{248f}=8.|\u{2490}=9.|\u{2491}=10.|\u{2492}=11.|\u{2493}=12.|\u{2494}=13.|\u{2495}=14.|\
    \u{2496}=15.|\u{2497}=16.|\u{2498}=17.|\u{2499}=18.|\u{249a}=19.|\u{249b}=20.|\u{249c}=(a)|\
    \u{249d}=(b)|\u{249e}=(c)|\u{249f}=(d)|\u{24a0}=(e)|\u{24a1}=(f)|\u{24a2}=(g)|\u{24a3}=(h)|\
    \u{24a4}=(i)|\u{24a5}=(j)|\u{24a6}=(k)|\u{24a7}=(l)|\u{24a8}=(m)|\u{24a9}=(n)|\u{24aa}=(o)|\
    \u{24ab}=(p)|\u{24ac}=(q)|\u{24ad}=(r)|\u{24ae}=(s)|\u{24af}=(t)|\u{24b0}=(u)|\u{24b1}=(v)|\
    \u{24b2}=(w)|\u{24b3}=(x)|\u{24b4}=(y)|\u{24b5}=(z)|\u{24b6}=A|\u{24b7}=B|\u{24b8}=C|\
    \u{24b9}=D|\u{24ba}=E|\u{24bb}=F|\u{24bc}=G|\u{24bd}=H|\u{24be}=I|\u{24bf}=J|\u{24c0}=K|\
    \u{24c1}=L|\u{24c2}=M|\u{24c3}=N|\u{24c4}=O|\u{24c5}=P|\u{24c6}=Q|\u{24c7}=R|\u{24c8}=S|\
    \u{24c9}=T|\u{24ca}=U|\u{24cb}=V|\u{24cc}=W|\u{24cd}=X|\u{24ce}=Y|\u{24cf}=Z|\u{24d0}=a|\
    \u{24d1}=b|\u{24d2}=c|\u{24d3}=d|\u{24d4}=e|\u{24d5}=f|\u{24d6}=g|\u{24d7}=h|\u{24d8}=i|\
    \u{24d9}=j|\u{24da}=k|\u{24db}=l|\u{24dc}=m|\u{24dd}=n|\u{24de}=o|\u{24df}=p|\u{24e0}=q|\
    \u{24e1}=r|\u{24e2}=s|\u{24e3}=t|\u{24e4}=u|\u{24e5}=v|\u{24e6}=w|\u{24e7}=x|\u{24e8}=y|\
    \u{24e9}=z|\u{24ea}=0|\u{309b}=\u{20}\u{3099}|\u{309c}=\u{20}\u{309a}|\u{309f}=より|\
    \u{30ff}=コト|\u{fb00}=ff|\u{fb01}=fi|\u{fb02}=fl|\u{fb03}=ffi|\u{fb04}=ffl|\u{fb05}=st|\
    \u{fb06}=st|\u{ff5f}=\u{2985}|\u{ff60}=\u{2986}|\u{ff61}=\u{3002}|\u{ff62}=\u{300c}|\
    \u{ff63}=\u{300d}|\u{ff64}=\u{3001}|\u{ff65}=\u{30fb}|\u{ff66}=ヲ|\u{ff67}=ァ|\u{ff68}=ィ|\
    \u{ff69}=ゥ|\u{ff6a}=ェ|\u{ff6b}=ォ|\u{ff6c}=ャ|\u{ff6d}=ュ|\u{ff6e}=ョ|\u{ff6f}=ッ|\
    \u{ff70}=\u{30fc}|\u{ff71}=ア|\u{ff72}=イ|\u{ff73}=ウ|\u{ff74}=エ|\u{ff75}=オ|\u{ff76}=カ|\
    \u{ff77}=キ|\u{ff78}=ク|\u{ff79}=ケ|\u{ff7a}=コ|\u{ff7b}=サ|\u{ff7c}=シ|\u{ff7d}=ス|\u{ff7e}=セ|\
    \u{ff7f}=ソ|\u{ff80}=タ|\u{ff81}=チ|\u{ff82}=ツ|\u{ff83}=テ|\u{ff84}=ト|\u{ff85}=ナ|\u{ff86}=ニ|\
    \u{ff87}=ヌ|\u{ff88}=ネ|\u{ff89}=ノ|\u{ff8a}=ハ|\u{ff8b}=ヒ|\u{ff8c}=フ|\u{ff8d}=ヘ|\u{ff8e}=ホ|\
    \u{ff8f}=マ|\u{ff90}=ミ|\u{ff91}=ム|\u{ff92}=メ|\u{ff93}=モ|\u{ff94}=ヤ|\u{ff95}=ユ|\u{ff96}=ヨ|\
    \u{ff97}=ラ|\u{ff98}=リ|\u{ff99}=ル|\u{ff9a}=レ|\u{ff9b}=ロ|\u{ff9c}=ワ|\u{ff9d}=ン|\
    \u{ff9e}=\u{3099}|\u{ff9f}=\u{309a}|\u{ffa0}=\u{1160}|\u{ffa1}=\u{1100}|\u{ffa2}=\u{1101}|\
    \u{ffa3}=\u{11aa}|\u{ffa4}=\u{1102}|\u{ffa5}=\u{11ac}|\u{ffa6}=\u{11ad}|\u{ffa7}=\u{1103}|\
    \u{ffa8}=\u{1104}|\u{ffa9}=\u{1105}|\u{ffaa}=\u{11b0}|\u{ffab}=\u{11b1}|\u{ffac}=\u{11b2}|\
    \u{ffad}=\u{11b3}|\u{ffae}=\u{11b4}|\u{ffaf}=\u{11b5}|\u{ffb0}=\u{111a}|\u{ffb1}=\u{1106}|\
    \u{ffb2}=\u{1107}|\u{ffb3}=\u{1108}|\u{ffb4}=\u{1121}|\u{ffb5}=\u{1109}|\u{ffb6}=\u{110a}|\
    \u{ffb7}=\u{110b}|\u{ffb8}=\u{110c}|\u{ffb9}=\u{110d}|\u{ffba}=\u{110e}|\u{ffbb}=\u{110f}|\
    \u{ffbc}=\u{1110}|\u{ffbd}=\u{1111}|\u{ffbe}=\u{1112}|\u{ffc2}=\u{1161}|\u{ffc3}=\u{1162}|\
    \u{ffc4}=\u{1163}|\u{ffc5}=\u{1164}|\u{ffc6}=\u{1165}|\u{ffc7}=\u{1166}|\u{ffca}=\u{1167}|\
    \u{ffcb}=\u{1168}|\u{ffcc}=\u{1169}|\u{ffcd}=\u{116a}|\u{ffce}=\u{116b}|\u{ffcf}=\u{116c}|\
    \u{ffd2}=\u{116d}|\u{ffd3}=\u{116e}|\u{ffd4}=\u{116f}|\u{ffd5}=\u{1170}|\u{ffd6}=\u{1171}|\
    \u{ffd7}=\u{1172}|\u{ffda}=\u{1173}|\u{ffdb}=\u{1174}|\u{ffdc}=\u{1175}|\u{ffe0}=\u{a2}|\
    \u{ffe1}=\u{a3}|\u{ffe2}=\u{ac}|\u{ffe3}=\u{20}\u{304}|\u{ffe4}=\u{a6}|\u{ffe5}=\u{a5}|\
    \u{ffe6}=\u{20a9}|\u{ffe8}=\u{2502}|\u{ffe9}=\u{2190}|\u{ffea}=\u{2191}|\u{ffeb}=\u{2192}|\
    \u{ffec}=\u{2193}|\u{ffed}=\u{25a0}|\u{ffee}=\u{25cb}|";
