//! The deterministic `sim` backend (`docs/sim-backend.md`).
//!
//! Every `agent()` call is answered without spawning anything: the call key
//! `canonical({prompt, options})` is hashed with FNV-1a into a seed, the seed drives a mulberry32
//! stream, and the stream picks a value that conforms to the call's JSON Schema and a duration on
//! the virtual clock. The same algorithm lives in the JavaScript reference runtime
//! (`tests/reference/runtime.mjs`), and the differential tests hold the two to identical outputs,
//! so this module follows it to the bit: JavaScript's property order, number printing, `%` on
//! doubles, `Math.round` and the choices listed in `tests/reference/README.md` (§21–§28).

use serde_json::{Map, Number, Value};
use wfc_ir::number_to_js_string;

use super::{AgentOutcome, AgentRequest, Backend, BackendError, BackendFuture};
use crate::eval::json::quote;

/// The largest array or string the sim backend generates (`SIM_MAX_SIZE` in the runtime).
pub const SIM_MAX_SIZE: usize = 1_000_000;
/// The deepest schema nesting the sim backend follows.
pub const SIM_MAX_DEPTH: usize = 256;

/// Why the sim backend refuses a call. The messages are the reference runtime's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// The options are neither an object nor `null`.
    #[error("agent() expects an options object as its second argument")]
    OptionsNotAnObject,
    /// A `required` key that `additionalProperties: false` rules out.
    #[error(
        "agent(): the schema contradicts itself: required key `{}` is ruled out by \
         `additionalProperties: false` (at {})",
        .0.key,
        .0.pointer
    )]
    Contradiction(Contradiction),
    /// The schema nests deeper than [`SIM_MAX_DEPTH`].
    #[error("agent(): the schema is nested too deeply for the sim backend")]
    TooDeep,
    /// The schema asks for more than [`SIM_MAX_SIZE`] array items (the count, as JavaScript prints it).
    #[error("agent(): the schema asks for {0} array items; the sim backend stops at 1000000")]
    TooManyItems(String),
    /// The schema asks for a string longer than [`SIM_MAX_SIZE`] characters.
    #[error(
        "agent(): the schema asks for a {0}-character string; the sim backend stops at 1000000"
    )]
    StringTooLong(String),
}

impl From<SimError> for BackendError {
    fn from(e: SimError) -> Self {
        BackendError::Rejected(e.to_string())
    }
}

/// A `required` key that a closed object schema leaves out of its `properties`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    /// The key.
    pub key: String,
    /// The JSON pointer of the `required` entry, e.g. `#/properties/a/required/0`.
    pub pointer: String,
}

/// What the sim backend computes for one call.
#[derive(Debug, Clone, PartialEq)]
pub struct SimOutcome {
    /// The call key, `canonical({prompt, options})`.
    pub key: String,
    /// `fnv1a32` of the key's UTF-8 bytes.
    pub seed: u32,
    /// The answer.
    pub answer: Value,
    /// The duration on the virtual clock, in milliseconds.
    pub duration_ms: u64,
}

/// The `sim` backend. It has no state: the outcome of a call depends only on its prompt and options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SimBackend;

impl SimBackend {
    /// Answers one call synchronously, as the runtime's `agent()` does: the options must be an
    /// object or `null`, the schema must not contradict itself, then [`simulate`] runs.
    pub fn call(&self, request: &AgentRequest) -> Result<SimOutcome, SimError> {
        check_options(&request.options)?;
        if let Some(schema) = request.options.get("schema") {
            if let Some(c) = find_contradiction(schema) {
                return Err(SimError::Contradiction(c));
            }
        }
        simulate(&request.prompt, &request.options)
    }
}

impl Backend for SimBackend {
    fn name(&self) -> &str {
        "sim"
    }

    fn run<'a>(&'a self, request: &'a AgentRequest) -> BackendFuture<'a> {
        let result = self
            .call(request)
            .map(|o| AgentOutcome {
                answer: o.answer,
                duration_ms: o.duration_ms,
            })
            .map_err(BackendError::from);
        Box::pin(std::future::ready(result))
    }
}

fn check_options(options: &Value) -> Result<(), SimError> {
    match options {
        Value::Null | Value::Object(_) => Ok(()),
        _ => Err(SimError::OptionsNotAnObject),
    }
}

/// The sim algorithm for one call (`simulate` in the runtime): key, seed, answer and duration.
/// `options` is the JSON view of the options; `null` counts as `{}`. This does not run the
/// contradiction check; [`SimBackend::call`] does.
pub fn simulate(prompt: &str, options: &Value) -> Result<SimOutcome, SimError> {
    check_options(options)?;
    let key = call_key(prompt, options);
    let seed = fnv1a32(key.as_bytes());
    let mut rng = Mulberry32::new(seed);
    let answer = match options.get("schema") {
        None | Some(Value::Null) => {
            let label = options
                .get("label")
                .and_then(Value::as_str)
                .unwrap_or("agent");
            Value::String(format!("sim:{label}:{seed:08x}"))
        }
        Some(schema) => answer(schema, &mut rng)?,
    };
    let duration_ms = duration_ms(options.get("model"), options.get("effort"), rng.next_u32());
    Ok(SimOutcome {
        key,
        seed,
        answer,
        duration_ms,
    })
}

// ---- key, hash, stream ----------------------------------------------------------------------------

/// The call key: `canonical({ prompt, options })`, with `options` `{}` when it is `null`.
pub fn call_key(prompt: &str, options: &Value) -> String {
    let mut out = String::from("{\"options\":");
    match options {
        Value::Null => out.push_str("{}"),
        v => write_json(&mut out, v, KeyOrder::Sorted),
    }
    out.push_str(",\"prompt\":");
    quote(prompt, &mut out);
    out.push('}');
    out
}

/// `JSON.stringify` with the keys of every object sorted by UTF-16 code units, recursively.
pub fn canonical(v: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, v, KeyOrder::Sorted);
    out
}

/// `JSON.stringify(v)` of the value JavaScript's `JSON.parse` would build from `v`: object keys in
/// JavaScript's enumeration order (integer-like keys first, ascending, then the others in order),
/// numbers printed as JavaScript prints them. Its length in UTF-16 units is an answer's token cost.
pub fn js_stringify(v: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, v, KeyOrder::JavaScript);
    out
}

/// FNV-1a, 32 bits.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The mulberry32 stream of `docs/sim-backend.md` §2. JavaScript's `| 0`, `Math.imul` and `>>>`
/// are all arithmetic modulo 2³², so wrapping `u32` operations give the same bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mulberry32 {
    state: u32,
}

impl Mulberry32 {
    /// A stream seeded with `seed`.
    pub fn new(seed: u32) -> Self {
        Mulberry32 { state: seed }
    }

    /// The next draw, an unsigned 32-bit integer.
    pub fn next_u32(&mut self) -> u32 {
        self.state = self.state.wrapping_add(0x6d2b_79f5);
        let a = self.state;
        let mut t = (a ^ (a >> 15)).wrapping_mul(1 | a);
        t = t.wrapping_add((t ^ (t >> 7)).wrapping_mul(61 | t)) ^ t;
        t ^ (t >> 14)
    }

    /// `int(n)`: `draw() % n`, with JavaScript's `%` on doubles (`n ≥ 1`).
    pub fn int(&mut self, n: f64) -> f64 {
        f64::from(self.next_u32()) % n
    }
}

// ---- the answer -----------------------------------------------------------------------------------

/// The answer for a schema: `gen(schema, "item")` of `docs/sim-backend.md` §3.
pub fn answer(schema: &Value, rng: &mut Mulberry32) -> Result<Value, SimError> {
    gen(schema, "item", rng, 0)
}

/// How `type` reads: absent, present but not a string (`null`, `5`, …), or a string.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Type<'a> {
    Absent,
    Other,
    Named(&'a str),
}

fn gen(schema: &Value, name: &str, rng: &mut Mulberry32, depth: usize) -> Result<Value, SimError> {
    if depth > SIM_MAX_DEPTH {
        return Err(SimError::TooDeep);
    }
    let Value::Object(s) = schema else {
        return gen_string(None, name, rng);
    };
    if let Some(c) = s.get("const") {
        return Ok(js_ordered(c));
    }
    if let Some(Value::Array(e)) = s.get("enum") {
        if !e.is_empty() {
            let i = rng.int(e.len() as f64) as usize;
            return Ok(js_ordered(&e[i]));
        }
    }
    let alts = [s.get("anyOf"), s.get("oneOf")]
        .into_iter()
        .flatten()
        .find_map(|v| v.as_array().filter(|a| !a.is_empty()));
    if let Some(alts) = alts {
        let i = rng.int(alts.len() as f64) as usize;
        return gen(&alts[i], name, rng, depth + 1);
    }
    let ty = match s.get("type") {
        None => Type::Absent,
        Some(Value::Array(types)) => match types.iter().find(|t| t.as_str() != Some("null")) {
            None => Type::Named("null"),
            Some(t) => t.as_str().map_or(Type::Other, Type::Named),
        },
        Some(t) => t.as_str().map_or(Type::Other, Type::Named),
    };
    let present = |k: &str| s.get(k).filter(|v| !v.is_null());
    if ty == Type::Named("object") || (ty == Type::Absent && present("properties").is_some()) {
        let mut out = Map::new();
        if let Some(Value::Object(props)) = s.get("properties") {
            for (k, sub) in js_entries(props) {
                let v = gen(sub, k, rng, depth + 1)?;
                out.insert(k.clone(), v);
            }
        }
        return Ok(Value::Object(out));
    }
    if ty == Type::Named("array") || (ty == Type::Absent && present("items").is_some()) {
        let min = non_neg_int(s.get("minItems")).unwrap_or(0.0);
        let max = non_neg_int(s.get("maxItems")).unwrap_or(min + 3.0);
        let len = if max < min {
            min
        } else {
            min + rng.int(max - min + 1.0)
        };
        if len > SIM_MAX_SIZE as f64 {
            return Err(SimError::TooManyItems(number_to_js_string(len)));
        }
        let empty = Value::Object(Map::new());
        let items = present("items").unwrap_or(&empty);
        let mut out = Vec::with_capacity(len as usize);
        for _ in 0..len as usize {
            out.push(gen(items, name, rng, depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    match ty {
        Type::Named("string") => gen_string(Some(s), name, rng),
        Type::Named("integer" | "number") => {
            let lo = finite(s.get("minimum")).unwrap_or(0.0).ceil();
            let hi = finite(s.get("maximum")).unwrap_or(lo + 100.0).floor();
            let n = if hi < lo {
                lo
            } else {
                lo + rng.int(hi - lo + 1.0)
            };
            Ok(number_value(n))
        }
        Type::Named("boolean") => Ok(Value::Bool(rng.int(2.0) == 1.0)),
        Type::Named("null") => Ok(Value::Null),
        _ => gen_string(None, name, rng),
    }
}

fn gen_string(
    s: Option<&Map<String, Value>>,
    name: &str,
    rng: &mut Mulberry32,
) -> Result<Value, SimError> {
    let mut text = format!("{name}-{:04x}", rng.next_u32() & 0xffff);
    // Lengths count Unicode code points (JSON Schema's rule), so `chars()`, not UTF-16 units.
    let mut count = text.chars().count();
    let min_length = s.and_then(|s| non_neg_int(s.get("minLength")));
    let max_length = s.and_then(|s| non_neg_int(s.get("maxLength")));
    if let Some(min) = min_length {
        if min > count as f64 {
            if min > SIM_MAX_SIZE as f64 {
                return Err(SimError::StringTooLong(number_to_js_string(min)));
            }
            let pad = min as usize - count;
            text.extend(std::iter::repeat_n('x', pad));
            count += pad;
        }
    }
    if let Some(max) = max_length {
        if count as f64 > max {
            // `max < count ≤ SIM_MAX_SIZE + name length`, so the cast is exact.
            let end = text
                .char_indices()
                .nth(max as usize)
                .map_or(text.len(), |(i, _)| i);
            text.truncate(end);
        }
    }
    Ok(Value::String(text))
}

/// `minItems`, `maxItems`, `minLength`, `maxLength`: used only when an integer ≥ 0
/// (`Number.isInteger(v) && v >= 0`, so `2.0` and `1e300` count).
fn non_neg_int(v: Option<&Value>) -> Option<f64> {
    let f = v?.as_f64()?;
    (f.is_finite() && f.fract() == 0.0 && f >= 0.0).then_some(f)
}

/// `minimum`, `maximum`: used only when a finite number.
fn finite(v: Option<&Value>) -> Option<f64> {
    v?.as_f64().filter(|f| f.is_finite())
}

/// A generated number as a JSON value: an integer when it is one that doubles represent exactly
/// and `i64` prints the way JavaScript does (|n| ≤ 2⁵³), otherwise the double itself.
fn number_value(n: f64) -> Value {
    const SAFE: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() <= SAFE {
        return Value::from(n as i64); // -0 becomes 0, which JSON.stringify prints the same way
    }
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

// ---- the duration ---------------------------------------------------------------------------------

/// `base(model)` in minutes: the first alias (`opus`, `sonnet`, `haiku`) the model id contains,
/// case-sensitively; 3 otherwise.
pub fn model_base(model: Option<&Value>) -> f64 {
    let Some(model) = model.and_then(Value::as_str) else {
        return 3.0;
    };
    [("opus", 6.0), ("sonnet", 3.0), ("haiku", 1.5)]
        .into_iter()
        .find(|(alias, _)| model.contains(alias))
        .map_or(3.0, |(_, base)| base)
}

/// `effort_factor(effort)`; unknown or non-string efforts give 1.
pub fn effort_factor(effort: Option<&Value>) -> f64 {
    match effort.and_then(Value::as_str) {
        Some("low") => 0.5,
        Some("high") => 1.5,
        Some("xhigh") => 2.0,
        Some("max") => 3.0,
        _ => 1.0,
    }
}

/// The duration of `docs/sim-backend.md` §4 from the draw that follows the answer:
/// `Math.round(base * factor * (0.5 + draw / 2^32) * 60000)`, in that order.
pub fn duration_ms(model: Option<&Value>, effort: Option<&Value>, draw: u32) -> u64 {
    let minutes =
        model_base(model) * effort_factor(effort) * (0.5 + f64::from(draw) / 4_294_967_296.0);
    // At most 6 × 3 × 1.5 × 60000 ms: far inside u64, and never negative.
    wfc_ir::js_number::round(minutes * 60000.0) as u64
}

// ---- the contradiction check ----------------------------------------------------------------------

/// The first `required` key that a closed object schema (`additionalProperties: false` and no
/// `patternProperties`) leaves out of `properties`, walking the keywords of wfc's `schema-invalid`
/// rule in the schema's (JavaScript) key order, as the runtime's `findContradiction` does.
pub fn find_contradiction(schema: &Value) -> Option<Contradiction> {
    contradiction_at(schema, "#")
}

fn contradiction_at(schema: &Value, pointer: &str) -> Option<Contradiction> {
    let Value::Object(s) = schema else {
        return None;
    };
    if let Some(Value::Array(required)) = s.get("required") {
        if s.get("additionalProperties") == Some(&Value::Bool(false))
            && !s.contains_key("patternProperties")
        {
            let props = s.get("properties").and_then(Value::as_object);
            for (i, k) in required.iter().enumerate() {
                let Some(k) = k.as_str() else { continue };
                if props.is_some_and(|p| p.contains_key(k)) {
                    continue;
                }
                return Some(Contradiction {
                    key: k.to_owned(),
                    pointer: format!("{pointer}/required/{i}"),
                });
            }
        }
    }
    for (key, value) in js_entries(s) {
        let here = format!("{pointer}/{}", pointer_escape(key));
        let found = match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                value.as_object().and_then(|children| {
                    js_entries(children).into_iter().find_map(|(name, child)| {
                        contradiction_at(child, &format!("{here}/{}", pointer_escape(name)))
                    })
                })
            }
            "items" | "prefixItems" | "anyOf" | "oneOf" | "allOf" => match value {
                Value::Array(list) => list
                    .iter()
                    .enumerate()
                    .find_map(|(i, child)| contradiction_at(child, &format!("{here}/{i}"))),
                other => contradiction_at(other, &here),
            },
            "additionalProperties"
            | "additionalItems"
            | "unevaluatedProperties"
            | "unevaluatedItems"
            | "contains"
            | "propertyNames"
            | "not"
            | "if"
            | "then"
            | "else" => contradiction_at(value, &here),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn pointer_escape(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

// ---- JavaScript's property order and JSON printing -------------------------------------------------

/// The array index a key denotes, if any: the canonical decimal form of an integer below 2³² − 1.
/// JavaScript enumerates such keys first, in ascending order.
fn array_index(k: &str) -> Option<u32> {
    let b = k.as_bytes();
    if b.is_empty()
        || b.len() > 10
        || !b.iter().all(u8::is_ascii_digit)
        || (b.len() > 1 && b[0] == b'0')
    {
        return None;
    }
    let n: u64 = k.parse().ok()?;
    u32::try_from(n).ok().filter(|&n| n != u32::MAX)
}

/// The entries of an object in JavaScript's enumeration order (`Object.keys` of what `JSON.parse`
/// would build): integer-like keys ascending, then the other keys in insertion order.
fn js_entries(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut indexed: Vec<(u32, (&String, &Value))> = Vec::new();
    let mut named = Vec::with_capacity(map.len());
    for entry in map {
        match array_index(entry.0) {
            Some(i) => indexed.push((i, entry)),
            None => named.push(entry),
        }
    }
    if indexed.is_empty() {
        return named;
    }
    indexed.sort_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, e)| e).chain(named).collect()
}

/// A copy of `v` with every object's keys in JavaScript's enumeration order, as the runtime's
/// answer would hold them.
fn js_ordered(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.iter().map(js_ordered).collect()),
        Value::Object(m) => Value::Object(
            js_entries(m)
                .into_iter()
                .map(|(k, v)| (k.clone(), js_ordered(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[derive(Clone, Copy)]
enum KeyOrder {
    /// By UTF-16 code units (`Array.prototype.sort`'s default order): [`canonical`].
    Sorted,
    /// JavaScript's enumeration order: [`js_stringify`].
    JavaScript,
}

fn write_json(out: &mut String, v: &Value, order: KeyOrder) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&js_number(n)),
        Value::String(s) => quote(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, x, order);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let entries = match order {
                KeyOrder::JavaScript => js_entries(m),
                KeyOrder::Sorted => {
                    let mut e: Vec<_> = m.iter().collect();
                    e.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
                    e
                }
            };
            out.push('{');
            for (i, (k, x)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                quote(k, out);
                out.push(':');
                write_json(out, x, order);
            }
            out.push('}');
        }
    }
}

/// A number as `JSON.stringify` prints it. JavaScript holds every number as a double, so a
/// 64-bit integer beyond 2⁵³ prints as the double it rounds to (`12345678901234567890` →
/// `12345678901234567000`), and integers never get a `.0`.
fn js_number(n: &Number) -> String {
    let f = if let Some(u) = n.as_u64() {
        u as f64
    } else if let Some(i) = n.as_i64() {
        i as f64
    } else {
        n.as_f64().unwrap_or(f64::NAN)
    };
    if f.is_finite() {
        number_to_js_string(f)
    } else {
        "null".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fnv1a32_known_vectors() {
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn mulberry32_first_draw() {
        assert_eq!(Mulberry32::new(0).next_u32(), 1_144_304_738);
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        let v: Value = serde_json::from_str(
            r#"[1, 1.0, -0, -0.0, 0.1, 1e21, 1E+2, 2.5e-7, 12345678901234567890, -9007199254740993,
                100000000000000000000000, 1.5]"#,
        )
        .expect("valid JSON");
        assert_eq!(
            canonical(&v),
            "[1,1,0,0,0.1,1e+21,100,2.5e-7,12345678901234567000,-9007199254740992,1e+23,1.5]"
        );
    }

    #[test]
    fn canonical_sorts_by_utf16_and_stringify_keeps_js_order() {
        let v: Value = serde_json::from_str(
            r#"{"b":1,"10":2,"9":3,"a":{"\ud83d\ude00":1,"\uff61":2},"01":4}"#,
        )
        .expect("valid JSON");
        // U+1F600 is D83D DE00 in UTF-16, before U+FF61; by code point it would come after.
        assert_eq!(
            canonical(&v),
            r#"{"01":4,"10":2,"9":3,"a":{"😀":1,"｡":2},"b":1}"#
        );
        assert_eq!(
            js_stringify(&v),
            r#"{"9":3,"10":2,"b":1,"a":{"😀":1,"｡":2},"01":4}"#
        );
    }

    #[test]
    fn strings_escape_as_json_stringify() {
        let v = json!("a\"\\\u{8}\t\n\u{c}\r\u{1}\u{1f}\u{7f}é/");
        assert_eq!(
            canonical(&v),
            r#""a\"\\\b\t\n\f\r\u0001\u001f"#.to_owned() + "\u{7f}é/\""
        );
    }

    #[test]
    fn contradiction_names_the_key() {
        let schema = json!({
            "type": "object",
            "properties": {
                "a": { "type": "object", "additionalProperties": false,
                       "properties": { "x": {} }, "required": ["x", "y/z"] }
            }
        });
        let c = find_contradiction(&schema).expect("a contradiction");
        assert_eq!(c.key, "y/z");
        assert_eq!(c.pointer, "#/properties/a/required/1");
        let err = SimBackend
            .call(&AgentRequest::new("p", json!({ "schema": schema })))
            .expect_err("rejected");
        assert_eq!(
            err.to_string(),
            "agent(): the schema contradicts itself: required key `y/z` is ruled out by \
             `additionalProperties: false` (at #/properties/a/required/1)"
        );
        // patternProperties opens the schema; `additionalProperties: {}` is not `false`.
        let open =
            json!({ "additionalProperties": false, "patternProperties": {}, "required": ["q"] });
        assert_eq!(find_contradiction(&open), None);
        let open = json!({ "additionalProperties": {}, "required": ["q"] });
        assert_eq!(find_contradiction(&open), None);
    }

    #[test]
    fn guards() {
        let mut rng = Mulberry32::new(1);
        assert_eq!(
            answer(
                &json!({ "type": "array", "minItems": 2_000_000, "maxItems": 1 }),
                &mut rng
            ),
            Err(SimError::TooManyItems("2000000".into()))
        );
        assert_eq!(
            answer(&json!({ "type": "string", "minLength": 1e300 }), &mut rng),
            Err(SimError::StringTooLong("1e+300".into()))
        );
        let mut deep = json!({ "type": "boolean" });
        for _ in 0..300 {
            deep = json!({ "type": "array", "minItems": 1, "maxItems": 1, "items": deep });
        }
        assert_eq!(answer(&deep, &mut rng), Err(SimError::TooDeep));
    }

    #[test]
    fn the_backend_future_is_ready_at_once() {
        use std::task::{Context, Poll, Waker};

        let backend: &dyn Backend = &SimBackend;
        assert_eq!(backend.name(), "sim");
        let mut cx = Context::from_waker(Waker::noop());
        let request = AgentRequest::new("hello", json!({}));
        let mut running = backend.run(&request);
        match running.as_mut().poll(&mut cx) {
            Poll::Ready(Ok(o)) => {
                assert_eq!(o.answer, json!("sim:agent:ee3f6e11"));
                assert_eq!(o.duration_ms, 248_231);
            }
            other => panic!("{other:?}"),
        }
        let bad = AgentRequest::new(
            "p",
            json!({ "schema": { "additionalProperties": false, "required": ["k"] } }),
        );
        let mut rejected = backend.run(&bad);
        let polled = rejected.as_mut().poll(&mut cx);
        match polled {
            Poll::Ready(Err(BackendError::Rejected(m))) => {
                assert!(m.contains("required key `k`"), "{m}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn options_must_be_an_object_or_null() {
        assert_eq!(
            simulate("x", &json!([1])),
            Err(SimError::OptionsNotAnObject)
        );
        let with_null = simulate("x", &Value::Null).expect("null options");
        let with_empty = simulate("x", &json!({})).expect("empty options");
        assert_eq!(with_null, with_empty);
        assert_eq!(with_null.key, r#"{"options":{},"prompt":"x"}"#);
    }
}
