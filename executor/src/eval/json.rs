//! `JSON.stringify` and `JSON.parse` with JavaScript's exact output, and conversions between
//! script values and `serde_json` values (agent options in, answers out).
//!
//! `stringify` follows ECMA-262's `SerializeJSONProperty` step by step (`toJSON`, the replacer
//! function or property list, boxed primitives, `gap`), so the text is V8's byte for byte. It first
//! builds a small tree ([`J`]) and then renders it, which lets [`to_serde`] share the algorithm.
//!
//! Known differences from V8, all on inputs scripts do not meet:
//! - the circular-structure `TypeError` carries only V8's first message line
//!   (`Converting circular structure to JSON`), not the `--> starting at object …` detail lines;
//! - nesting deeper than [`MAX_DEPTH`] levels (in `stringify`, `parse` or `to_serde`) throws
//!   `RangeError: Maximum call stack size exceeded`, where V8 goes deeper before it gives up;
//! - `JSON.parse` messages follow V8's wording and positions (UTF-16 units); a lone surrogate
//!   escape (`"\ud800"`) becomes U+FFFD as every lone surrogate does in this evaluator;
//! - the reviver gets two arguments (Node 20 has no `context.source` argument either).

use indexmap::IndexMap;

use super::builtins::object::own_enumerable_keys;
use super::ops;
use super::value::{number_to_string, to_integer, utf16_len, JsStr, Kind, Obj, Res, Value};
use super::Rt;

/// The deepest nesting `stringify`, `parse` and `to_serde` accept.
pub const MAX_DEPTH: usize = 1500;

pub fn namespace(rt: &Rt) -> Value {
    let stringify = rt.native_fn("stringify", |rt, _, args| {
        let out = stringify_full(rt, &arg(args, 0), &arg(args, 1), &arg(args, 2))?;
        Ok(out.map(Value::string).unwrap_or_default())
    });
    let parse_fn = rt.native_fn("parse", |rt, _, args| {
        let text = ops::to_string(rt, &arg(args, 0))?;
        parse(rt, &text, &arg(args, 1))
    });
    rt.object_from(vec![("parse", parse_fn), ("stringify", stringify)])
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// `JSON.stringify(v)`: `None` when the result is `undefined`.
pub fn stringify(rt: &Rt, v: &Value) -> Res<Option<String>> {
    stringify_full(rt, v, &Value::Undefined, &Value::Undefined)
}

/// `JSON.stringify(v, replacer, space)`.
pub fn stringify_full(rt: &Rt, v: &Value, replacer: &Value, space: &Value) -> Res<Option<String>> {
    let mut ser = Serializer::new(rt, replacer)?;
    let gap = gap_of(rt, space)?;
    let Some(tree) = ser.top(v)? else {
        return Ok(None);
    };
    let mut out = String::new();
    render(&tree, &gap, &mut String::new(), &mut out);
    Ok(Some(out))
}

/// `JSON.parse(JSON.stringify(v))` as a serde value (`None` for `undefined`). Integral numbers
/// below 2^53 in magnitude become serde integers, other numbers floats.
pub fn to_serde(rt: &Rt, v: &Value) -> Res<Option<serde_json::Value>> {
    let mut ser = Serializer::new(rt, &Value::Undefined)?;
    Ok(ser.top(v)?.map(tree_to_serde))
}

/// A fresh script value for a JSON value (keys inserted in the serde order; integer-like keys
/// still enumerate first, as they would after `JSON.parse`).
pub fn from_serde(rt: &Rt, v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(items) => {
            rt.new_array(items.iter().map(|x| from_serde(rt, x)).collect())
        }
        serde_json::Value::Object(map) => {
            let props: IndexMap<JsStr, Value> = map
                .iter()
                .map(|(k, x)| (JsStr::from(k.as_str()), from_serde(rt, x)))
                .collect();
            Value::Object(Obj::with_props(Kind::Object, props))
        }
    }
}

// ---- stringify ------------------------------------------------------------------------------------

/// A serialized value before rendering.
enum J {
    Null,
    Bool(bool),
    Num(f64),
    Str(JsStr),
    Arr(Vec<J>),
    Obj(Vec<(JsStr, J)>),
}

struct Serializer<'a> {
    rt: &'a Rt,
    replacer_fn: Option<Value>,
    property_list: Option<Vec<JsStr>>,
    /// The objects being serialized (by id), for cycle detection.
    stack: Vec<usize>,
}

impl<'a> Serializer<'a> {
    fn new(rt: &'a Rt, replacer: &Value) -> Res<Serializer<'a>> {
        let mut ser = Serializer {
            rt,
            replacer_fn: None,
            property_list: None,
            stack: Vec::new(),
        };
        if replacer.is_callable() {
            ser.replacer_fn = Some(replacer.clone());
        } else if let Value::Object(o) = replacer {
            if o.is_array() {
                let mut list: Vec<JsStr> = Vec::new();
                for item in o.array_elements() {
                    let key = match &item {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(JsStr::from(number_to_string(*n))),
                        Value::Object(w) => {
                            let boxed = matches!(
                                &w.borrow().kind,
                                Kind::Primitive(Value::String(_) | Value::Number(_))
                            );
                            if boxed {
                                Some(ops::to_string(rt, &item)?)
                            } else {
                                None
                            }
                        }
                        _ => None,
                    };
                    if let Some(k) = key {
                        if !list.contains(&k) {
                            list.push(k);
                        }
                    }
                }
                ser.property_list = Some(list);
            }
        }
        Ok(ser)
    }

    fn top(&mut self, v: &Value) -> Res<Option<J>> {
        let holder = if self.replacer_fn.is_some() {
            self.rt.object_from(vec![("", v.clone())])
        } else {
            Value::Undefined
        };
        self.property(&holder, "", v.clone())
    }

    /// `SerializeJSONProperty` for `holder[key]`, whose value the caller already read.
    fn property(&mut self, holder: &Value, key: &str, mut value: Value) -> Res<Option<J>> {
        let rt = self.rt;
        if let Value::Object(_) = &value {
            let to_json = rt.get(&value, "toJSON")?;
            if to_json.is_callable() {
                value = rt.call(&to_json, &value, &[Value::str(key)])?;
            }
        }
        if let Some(f) = &self.replacer_fn {
            value = rt.call(f, holder, &[Value::str(key), value])?;
        }
        if let Value::Object(o) = &value {
            let boxed = match &o.borrow().kind {
                Kind::Primitive(p) => Some(p.clone()),
                _ => None,
            };
            match boxed {
                Some(Value::Number(_)) => value = Value::Number(ops::to_number(rt, &value)?),
                Some(Value::String(_)) => value = Value::String(ops::to_string(rt, &value)?),
                Some(Value::Bool(b)) => value = Value::Bool(b),
                _ => {}
            }
        }
        Ok(match value {
            Value::Null => Some(J::Null),
            Value::Bool(b) => Some(J::Bool(b)),
            Value::String(s) => Some(J::Str(s)),
            Value::Number(n) => Some(if n.is_finite() { J::Num(n) } else { J::Null }),
            Value::Undefined => None,
            Value::Object(ref o) => {
                if o.is_callable() {
                    None
                } else {
                    let id = o.id();
                    if self.stack.contains(&id) {
                        return Err(rt.type_error("Converting circular structure to JSON"));
                    }
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(rt.range_error("Maximum call stack size exceeded"));
                    }
                    self.stack.push(id);
                    let r = if o.is_array() {
                        self.array(&value, o)
                    } else {
                        self.object(&value)
                    };
                    self.stack.pop();
                    Some(r?)
                }
            }
        })
    }

    fn object(&mut self, value: &Value) -> Res<J> {
        let keys = match &self.property_list {
            Some(list) => list.clone(),
            None => own_enumerable_keys(self.rt, value)?,
        };
        let mut members = Vec::new();
        for k in keys {
            let v = self.rt.get(value, &k)?;
            if let Some(j) = self.property(value, &k, v)? {
                members.push((k, j));
            }
        }
        Ok(J::Obj(members))
    }

    fn array(&mut self, value: &Value, o: &Obj) -> Res<J> {
        let len = array_len(o);
        let mut items = Vec::with_capacity(len);
        for i in 0..len {
            let v = element(o, i);
            items.push(self.property(value, &i.to_string(), v)?.unwrap_or(J::Null));
        }
        Ok(J::Arr(items))
    }
}

fn array_len(o: &Obj) -> usize {
    match &o.borrow().kind {
        Kind::Array(items) => items.len(),
        _ => 0,
    }
}

fn element(o: &Obj, i: usize) -> Value {
    match &o.borrow().kind {
        Kind::Array(items) => items.get(i).cloned().unwrap_or_default(),
        _ => Value::Undefined,
    }
}

/// The `gap` of `JSON.stringify`'s `space` argument.
fn gap_of(rt: &Rt, space: &Value) -> Res<String> {
    let mut space = space.clone();
    if let Value::Object(o) = &space {
        let boxed = match &o.borrow().kind {
            Kind::Primitive(p) => Some(p.clone()),
            _ => None,
        };
        match boxed {
            Some(Value::Number(_)) => space = Value::Number(ops::to_number(rt, &space)?),
            Some(Value::String(_)) => space = Value::String(ops::to_string(rt, &space)?),
            _ => {}
        }
    }
    Ok(match &space {
        Value::Number(n) => {
            let k = to_integer(*n).clamp(0.0, 10.0) as usize;
            " ".repeat(k)
        }
        Value::String(s) => {
            // The first ten UTF-16 code units.
            let mut out = String::new();
            let mut units = 0;
            for c in s.chars() {
                units += c.len_utf16();
                if units > 10 {
                    break;
                }
                out.push(c);
            }
            out
        }
        _ => String::new(),
    })
}

fn render(j: &J, gap: &str, indent: &mut String, out: &mut String) {
    match j {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) => out.push_str(&number_to_string(*n)),
        J::Str(s) => quote(s, out),
        J::Arr(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            let stepback = indent.len();
            indent.push_str(gap);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !gap.is_empty() {
                    out.push('\n');
                    out.push_str(indent);
                }
                render(item, gap, indent, out);
            }
            indent.truncate(stepback);
            if !gap.is_empty() {
                out.push('\n');
                out.push_str(indent);
            }
            out.push(']');
        }
        J::Obj(members) => {
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            let stepback = indent.len();
            indent.push_str(gap);
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !gap.is_empty() {
                    out.push('\n');
                    out.push_str(indent);
                }
                quote(k, out);
                out.push(':');
                if !gap.is_empty() {
                    out.push(' ');
                }
                render(v, gap, indent, out);
            }
            indent.truncate(stepback);
            if !gap.is_empty() {
                out.push('\n');
                out.push_str(indent);
            }
            out.push('}');
        }
    }
}

/// `QuoteJSONString`.
pub fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn tree_to_serde(j: J) -> serde_json::Value {
    match j {
        J::Null => serde_json::Value::Null,
        J::Bool(b) => serde_json::Value::Bool(b),
        J::Num(n) => {
            if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
                serde_json::Value::from(n as i64)
            } else {
                serde_json::Number::from_f64(n)
                    .map(serde_json::Value::Number)
                    .unwrap_or(serde_json::Value::Null)
            }
        }
        J::Str(s) => serde_json::Value::String(s.to_string()),
        J::Arr(items) => serde_json::Value::Array(items.into_iter().map(tree_to_serde).collect()),
        J::Obj(members) => {
            let mut map = serde_json::Map::new();
            for (k, v) in members {
                map.insert(k.to_string(), tree_to_serde(v));
            }
            serde_json::Value::Object(map)
        }
    }
}

// ---- parse --------------------------------------------------------------------------------------------

/// `JSON.parse(text, reviver)`.
pub fn parse(rt: &Rt, text: &str, reviver: &Value) -> Res<Value> {
    let mut p = Parser {
        rt,
        src: text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    let v = p.value()?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        // V8 words this one without "in JSON".
        let pos = p.utf16_pos(p.pos);
        return Err(rt.error(
            "SyntaxError",
            &format!("Unexpected non-whitespace character after JSON at position {pos}"),
        ));
    }
    if !reviver.is_callable() {
        return Ok(v);
    }
    let root = rt.object_from(vec![("", v)]);
    internalize(rt, &root, "", reviver, 0)
}

fn internalize(rt: &Rt, holder: &Value, name: &str, reviver: &Value, depth: usize) -> Res<Value> {
    if depth > MAX_DEPTH {
        return Err(rt.range_error("Maximum call stack size exceeded"));
    }
    let val = rt.get(holder, name)?;
    if let Value::Object(o) = &val {
        let keys: Vec<JsStr> = if o.is_array() {
            (0..array_len(o))
                .map(|i| JsStr::from(i.to_string()))
                .collect()
        } else {
            own_enumerable_keys(rt, &val)?
        };
        for k in keys {
            let new = internalize(rt, &val, &k, reviver, depth + 1)?;
            if matches!(new, Value::Undefined) {
                rt.delete(&val, &k)?;
            } else {
                rt.set(&val, &k, new)?;
            }
        }
    }
    rt.call(reviver, holder, &[Value::str(name), val])
}

struct Parser<'a> {
    rt: &'a Rt,
    src: &'a str,
    bytes: &'a [u8],
    /// A byte offset into `src`.
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// The UTF-16 offset of a byte offset.
    fn utf16_pos(&self, byte: usize) -> usize {
        utf16_len(self.src.get(..byte).unwrap_or(self.src))
    }

    /// `<message> in JSON at position N`.
    fn at_error(&self, message: &str, byte: usize) -> Value {
        let pos = self.utf16_pos(byte);
        self.rt.error(
            "SyntaxError",
            &format!("{message} in JSON at position {pos}"),
        )
    }

    /// V8's message for an unexpected character (or the end of the input) with no more
    /// specific message.
    fn unexpected(&self, byte: usize) -> Value {
        let rt = self.rt;
        if byte >= self.bytes.len() {
            return rt.error("SyntaxError", "Unexpected end of JSON input");
        }
        if matches!(
            self.src,
            "NaN" | "Infinity" | "undefined" | "[object Object]"
        ) {
            return rt.error(
                "SyntaxError",
                &format!("\"{}\" is not valid JSON", self.src),
            );
        }
        let token = self
            .src
            .get(byte..)
            .and_then(|s| s.chars().next())
            .unwrap_or('\u{fffd}');
        let units: Vec<u16> = self.src.encode_utf16().collect();
        let len = units.len();
        let pos = self.utf16_pos(byte);
        const CONTEXT: usize = 10;
        let slice = |a: usize, b: usize| String::from_utf16_lossy(&units[a.min(len)..b.min(len)]);
        let context = if len <= 2 * CONTEXT {
            format!("\"{}\"", self.src)
        } else if pos < CONTEXT {
            format!("\"{}\"...", slice(0, pos + CONTEXT))
        } else if pos + CONTEXT < len {
            format!("...\"{}\"...", slice(pos - CONTEXT, pos + CONTEXT))
        } else {
            format!("...\"{}\"", slice(pos - CONTEXT, len))
        };
        rt.error(
            "SyntaxError",
            &format!("Unexpected token '{token}', {context} is not valid JSON"),
        )
    }

    fn value(&mut self) -> Res<Value> {
        match self.peek() {
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            _ => Err(self.unexpected(self.pos)),
        }
    }

    fn enter(&mut self) -> Res<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.rt.range_error("Maximum call stack size exceeded"));
        }
        Ok(())
    }

    fn literal(&mut self, word: &str, v: Value) -> Res<Value> {
        for (i, &b) in word.as_bytes().iter().enumerate() {
            match self.bytes.get(self.pos + i) {
                Some(&c) if c == b => {}
                _ => return Err(self.unexpected(self.pos + i)),
            }
        }
        self.pos += word.len();
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Res<Value> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.at_error("No number after minus sign", self.pos));
            }
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
            if let Some(b'0'..=b'9') = self.peek() {
                return Err(self.at_error("Unexpected number", self.pos));
            }
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.at_error("Unterminated fractional number", self.pos));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.at_error("Exponent part is missing a number", self.pos));
            }
        }
        let text = self.src.get(start..self.pos).unwrap_or("0");
        Ok(Value::Number(text.parse::<f64>().unwrap_or(f64::NAN)))
    }

    fn hex4(&mut self) -> Res<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let d = self.peek().and_then(|b| (b as char).to_digit(16));
            match d {
                Some(d) => {
                    n = n * 16 + d;
                    self.pos += 1;
                }
                None => return Err(self.at_error("Bad Unicode escape", self.pos)),
            }
        }
        Ok(n)
    }

    fn string(&mut self) -> Res<JsStr> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.src.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                None => return Err(self.at_error("Unterminated string", self.pos)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(JsStr::from(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.peek();
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4()?;
                            let c = if (0xd800..0xdc00).contains(&hi)
                                && self.bytes.get(self.pos) == Some(&b'\\')
                                && self.bytes.get(self.pos + 1) == Some(&b'u')
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xdc00..0xe000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00))
                                } else {
                                    // A lone high surrogate followed by another escape.
                                    self.pos = save;
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.unwrap_or('\u{fffd}'));
                            continue;
                        }
                        None => return Err(self.at_error("Unterminated string", self.pos)),
                        Some(_) => return Err(self.at_error("Bad escaped character", self.pos)),
                    }
                    self.pos += 1;
                }
                Some(_) => {
                    return Err(self.at_error("Bad control character in string literal", self.pos))
                }
            }
        }
    }

    fn array(&mut self) -> Res<Value> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                items.push(self.value()?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return Err(
                            self.at_error("Expected ',' or ']' after array element", self.pos)
                        )
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(self.rt.new_array(items))
    }

    fn object(&mut self) -> Res<Value> {
        self.enter()?;
        self.pos += 1;
        let mut props: IndexMap<JsStr, Value> = IndexMap::new();
        self.skip_ws();
        match self.peek() {
            Some(b'}') => self.pos += 1,
            Some(b'"') => loop {
                let key = self.string()?;
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.at_error("Expected ':' after property name", self.pos));
                }
                self.pos += 1;
                self.skip_ws();
                let v = self.value()?;
                props.insert(key, v);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() != Some(b'"') {
                            return Err(
                                self.at_error("Expected double-quoted property name", self.pos)
                            );
                        }
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return Err(
                            self.at_error("Expected ',' or '}' after property value", self.pos)
                        )
                    }
                }
            },
            _ => return Err(self.at_error("Expected property name or '}'", self.pos)),
        }
        self.depth -= 1;
        Ok(Value::Object(Obj::with_props(Kind::Object, props)))
    }
}
