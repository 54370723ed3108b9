//! `Number` and `Boolean`: the constructors, `Number`'s statics and the methods of numbers and
//! booleans.
//!
//! `toFixed`, `toPrecision` and `toExponential` round the exact binary value (as V8 does, so
//! `(1.005).toFixed(2)` is `"1.00"`); `toString(radix)` is V8's algorithm (shortest digits that
//! round-trip, for fractions too). `toLocaleString` formats as ICU's `en-US` would, whatever the
//! locale asked for: grouping with commas, at most 3 fraction digits by default, halves rounded
//! away from zero on the shortest decimal form; the options `minimumFractionDigits`,
//! `maximumFractionDigits` and `useGrouping` are honoured, the others ignored.

use std::rc::Rc;

use super::string::{arg, install_statics, prototype};
use crate::eval::ops;
use crate::eval::value::{
    number_to_string, to_integer, Ctor, Func, Kind, Native, NativeImpl, Obj, Res, Value,
};
use crate::eval::Rt;

const METHODS: &[&str] = &[
    "toFixed",
    "toPrecision",
    "toExponential",
    "toString",
    "toLocaleString",
    "valueOf",
];

/// What `n[key]` finds on `Number.prototype`.
pub fn property(rt: &Rt, _receiver: &Value, key: &str) -> Option<Value> {
    if key == "constructor" {
        return rt.global("Number");
    }
    let name: &'static str = METHODS.iter().find(|m| **m == key)?;
    rt.cached_method("Number.prototype", name, |rt| {
        Some(rt.native_fn(name, move |rt, this, args| method(rt, name, this, args)))
    })
}

fn native_ctor(name: &str, call: NativeImpl, construct: NativeImpl, ctor: Ctor) -> Obj {
    Obj::new(Kind::Function(Func::Native(Native {
        name: name.into(),
        call,
        construct: Some(construct),
        ctor: Some(ctor),
    })))
}

/// The `Number` constructor and its statics.
pub fn constructor(rt: &Rt) -> Value {
    let to_num = |rt: &Rt, args: &[Value]| -> Res<f64> {
        match args.first() {
            None => Ok(0.0),
            Some(v) => ops::to_number(rt, v),
        }
    };
    let f = native_ctor(
        "Number",
        Rc::new(move |rt, _, args| Ok(Value::Number(to_num(rt, args)?))),
        Rc::new(move |rt, _, args| {
            let n = to_num(rt, args)?;
            Ok(Value::Object(Obj::new(Kind::Primitive(Value::Number(n)))))
        }),
        Ctor::Number,
    );
    install_statics(rt, &f, STATICS, static_property);
    Value::Object(f)
}

const STATICS: &[&str] = &[
    "isInteger",
    "isSafeInteger",
    "isFinite",
    "isNaN",
    "parseFloat",
    "parseInt",
    "MAX_SAFE_INTEGER",
    "MIN_SAFE_INTEGER",
    "EPSILON",
    "MAX_VALUE",
    "MIN_VALUE",
    "POSITIVE_INFINITY",
    "NEGATIVE_INFINITY",
    "NaN",
    "prototype",
];

fn number_arg(args: &[Value]) -> Option<f64> {
    match args.first() {
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    }
}

/// The statics of `Number` (`Number.isInteger`, …, `Number.prototype`), made once per run.
pub fn static_property(rt: &Rt, key: &str) -> Option<Value> {
    let name: &'static str = STATICS.iter().find(|m| **m == key)?;
    let constant = |n: f64| Some(Value::Number(n));
    match name {
        "MAX_SAFE_INTEGER" => return constant(9_007_199_254_740_991.0),
        "MIN_SAFE_INTEGER" => return constant(-9_007_199_254_740_991.0),
        "EPSILON" => return constant(f64::EPSILON),
        "MAX_VALUE" => return constant(f64::MAX),
        "MIN_VALUE" => return constant(5e-324),
        "POSITIVE_INFINITY" => return constant(f64::INFINITY),
        "NEGATIVE_INFINITY" => return constant(f64::NEG_INFINITY),
        "NaN" => return constant(f64::NAN),
        // The same function objects as the globals: `Number.parseInt === parseInt`.
        "parseFloat" | "parseInt" => return rt.global(name),
        _ => {}
    }
    rt.cached_method("Number", name, |rt| {
        let test: fn(f64) -> bool = match name {
            "isInteger" => |n| n.is_finite() && n.trunc() == n,
            "isSafeInteger" => {
                |n| n.is_finite() && n.trunc() == n && n.abs() <= 9_007_199_254_740_991.0
            }
            "isFinite" => f64::is_finite,
            "isNaN" => f64::is_nan,
            _ => return Some(prototype(rt, &Value::Number(0.0), METHODS, property)),
        };
        Some(rt.native_fn(name, move |_, _, args| {
            Ok(Value::Bool(number_arg(args).is_some_and(test)))
        }))
    })
}

/// The statics of `Boolean`: only `Boolean.prototype`.
pub fn boolean_static_property(rt: &Rt, key: &str) -> Option<Value> {
    if key != "prototype" {
        return None;
    }
    rt.cached_method("Boolean", key, |rt| {
        Some(prototype(
            rt,
            &Value::Bool(false),
            &["toString", "valueOf"],
            boolean_property,
        ))
    })
}

/// `thisNumberValue`.
fn this_number(rt: &Rt, this: &Value, name: &str) -> Res<f64> {
    match this {
        Value::Number(n) => return Ok(*n),
        Value::Object(o) => {
            if let Kind::Primitive(Value::Number(n)) = &o.borrow().kind {
                return Ok(*n);
            }
        }
        _ => {}
    }
    Err(rt.type_error(&format!(
        "Number.prototype.{name} requires that 'this' be a Number"
    )))
}

fn method(rt: &Rt, name: &str, this: &Value, args: &[Value]) -> Res<Value> {
    let x = this_number(rt, this, name)?;
    Ok(match name {
        "valueOf" => Value::Number(x),
        "toString" => {
            let radix = match arg(args, 0) {
                Value::Undefined => 10.0,
                v => to_integer(ops::to_number(rt, v)?),
            };
            if !(2.0..=36.0).contains(&radix) {
                return Err(rt.range_error("toString() radix argument must be between 2 and 36"));
            }
            Value::string(to_radix_string(x, radix as u32))
        }
        "toFixed" => {
            let f = to_integer(ops::to_number(rt, arg(args, 0))?);
            if !(0.0..=100.0).contains(&f) {
                return Err(rt.range_error("toFixed() digits argument must be between 0 and 100"));
            }
            Value::string(to_fixed(x, f as usize))
        }
        "toPrecision" => {
            let p = arg(args, 0);
            if matches!(p, Value::Undefined) {
                return Ok(Value::string(number_to_string(x)));
            }
            let p = to_integer(ops::to_number(rt, p)?);
            if !x.is_finite() {
                return Ok(Value::string(number_to_string(x)));
            }
            if !(1.0..=100.0).contains(&p) {
                return Err(rt.range_error("toPrecision() argument must be between 1 and 100"));
            }
            Value::string(to_precision(x, p as usize))
        }
        "toExponential" => {
            let fv = arg(args, 0);
            let f = to_integer(ops::to_number(rt, fv)?);
            if !x.is_finite() {
                return Ok(Value::string(number_to_string(x)));
            }
            if !(0.0..=100.0).contains(&f) {
                return Err(rt.range_error("toExponential() argument must be between 0 and 100"));
            }
            let digits = (!matches!(fv, Value::Undefined)).then_some(f as usize);
            Value::string(to_exponential(x, digits))
        }
        "toLocaleString" => Value::string(to_locale_string(rt, x, arg(args, 1))?),
        _ => Value::Undefined,
    })
}

// ---- decimal digits ---------------------------------------------------------------------------------

/// The exact decimal expansion of a finite, positive double: the significant digits (ASCII, no
/// trailing zeros) and the exponent `e` such that the value is `0.DIGITS × 10^e`.
fn exact_digits(x: f64) -> (Vec<u8>, i32) {
    // 767 significant digits is the longest exact expansion of a double.
    split_exp(&format!("{x:.800e}"))
}

/// The shortest digits that round-trip (what `ToString` uses), in the same form.
///
/// When two shortest digit strings are equally close to the value (it lies exactly halfway
/// between them), JavaScript takes the even one; Rust's formatter does not always, so that case
/// is checked against the exact expansion.
pub fn shortest_digits(x: f64) -> (Vec<u8>, i32) {
    let (d, point) = split_exp(&format!("{x:e}"));
    if d.len() < 15 {
        return (d, point);
    }
    let (exact, exact_point) = exact_digits(x);
    let n = d.len();
    if exact_point != point || exact.len() != n + 1 || exact[n] != b'5' {
        return (d, point);
    }
    // x is halfway between `exact[..n]` and the next n-digit string up.
    let lower = exact[..n].to_vec();
    let mut upper = lower.clone();
    let mut carried = true;
    for digit in upper.iter_mut().rev() {
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            carried = false;
            break;
        }
    }
    if carried {
        return (d, point);
    }
    let round_trips = |digits: &[u8]| {
        let text = format!("0.{}e{point}", text(digits));
        text.parse::<f64>().ok() == Some(x)
    };
    let even = |digits: &[u8]| digits.last().is_some_and(|c| (c - b'0').is_multiple_of(2));
    for candidate in [&lower, &upper] {
        if even(candidate) && round_trips(candidate) {
            let mut c = candidate.clone();
            while c.len() > 1 && c.last() == Some(&b'0') {
                c.pop();
            }
            return (c, point);
        }
    }
    (d, point)
}

fn split_exp(s: &str) -> (Vec<u8>, i32) {
    let (mantissa, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exp + 1)
}

/// Rounds digits to `n` significant digits, halves up: the `n` digits, and whether rounding
/// carried into a new leading digit (then the digits are `1` followed by zeros and the exponent
/// grows by one).
fn round_digits(digits: &[u8], n: usize) -> (Vec<u8>, bool) {
    if digits.len() <= n {
        let mut out = digits.to_vec();
        out.resize(n, b'0');
        return (out, false);
    }
    let mut out = digits[..n].to_vec();
    if digits[n] < b'5' {
        return (out, false);
    }
    for d in out.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return (out, false);
        }
    }
    let mut carried = vec![b'1'];
    carried.resize(n.max(1), b'0');
    (carried, true)
}

fn text(digits: &[u8]) -> String {
    String::from_utf8_lossy(digits).into_owned()
}

/// `Number.prototype.toFixed` (digits already checked to be in 0..=100).
pub fn to_fixed(x: f64, f: usize) -> String {
    if !x.is_finite() || x.abs() >= 1e21 {
        return number_to_string(x);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let x = x.abs();
    let mut m: Vec<u8> = if x == 0.0 {
        vec![b'0']
    } else {
        let (d, point) = exact_digits(x);
        let keep = point + f as i32;
        if keep < 0 {
            vec![b'0']
        } else {
            let (mut r, carry) = round_digits(&d, keep as usize);
            if carry && keep > 0 {
                r.push(b'0');
            }
            if r.is_empty() {
                vec![b'0']
            } else {
                r
            }
        }
    };
    if f == 0 {
        return format!("{sign}{}", text(&m));
    }
    if m.len() <= f {
        let mut padded = vec![b'0'; f + 1 - m.len()];
        padded.extend_from_slice(&m);
        m = padded;
    }
    let (a, b) = m.split_at(m.len() - f);
    format!("{sign}{}.{}", text(a), text(b))
}

/// `Number.prototype.toPrecision` (a finite number, precision in 1..=100).
pub fn to_precision(x: f64, p: usize) -> String {
    let sign = if x < 0.0 { "-" } else { "" };
    let x = x.abs();
    let (m, e) = if x == 0.0 {
        (vec![b'0'; p], 0)
    } else {
        let (d, point) = exact_digits(x);
        let (r, carry) = round_digits(&d, p);
        (r, point - 1 + i32::from(carry))
    };
    if e < -6 || e >= p as i32 {
        let mut out = format!("{sign}{}", char::from(m[0]));
        if p > 1 {
            out.push('.');
            out.push_str(&text(&m[1..]));
        }
        out.push_str(&format!("e{}{}", if e >= 0 { "+" } else { "-" }, e.abs()));
        return out;
    }
    if e == p as i32 - 1 {
        return format!("{sign}{}", text(&m));
    }
    if e >= 0 {
        let (a, b) = m.split_at(e as usize + 1);
        return format!("{sign}{}.{}", text(a), text(b));
    }
    format!("{sign}0.{}{}", "0".repeat((-(e + 1)) as usize), text(&m))
}

/// `Number.prototype.toExponential` (a finite number; `None` for as many digits as needed).
pub fn to_exponential(x: f64, fraction_digits: Option<usize>) -> String {
    let sign = if x < 0.0 { "-" } else { "" };
    let x = x.abs();
    let (m, e) = match fraction_digits {
        _ if x == 0.0 => (vec![b'0'; fraction_digits.unwrap_or(0) + 1], 0),
        None => {
            let (d, point) = shortest_digits(x);
            (d, point - 1)
        }
        Some(f) => {
            let (d, point) = exact_digits(x);
            let (r, carry) = round_digits(&d, f + 1);
            (r, point - 1 + i32::from(carry))
        }
    };
    let mut out = format!("{sign}{}", char::from(m[0]));
    if m.len() > 1 {
        out.push('.');
        out.push_str(&text(&m[1..]));
    }
    out.push_str(&format!("e{}{}", if e >= 0 { "+" } else { "-" }, e.abs()));
    out
}

/// The binary exponent of a double as V8's `Double::Exponent` (value = significand × 2^exp).
fn binary_exponent(x: f64) -> i32 {
    let biased = ((x.to_bits() >> 52) & 0x7ff) as i32;
    if biased == 0 {
        -1074
    } else {
        biased - 1075
    }
}

/// `Number.prototype.toString(radix)`: V8's `DoubleToRadixCString`.
pub fn to_radix_string(value: f64, radix: u32) -> String {
    if radix == 10 || !value.is_finite() {
        return number_to_string(value);
    }
    const CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let r = f64::from(radix);
    let negative = value < 0.0;
    let value = value.abs();
    let mut integer = value.floor();
    let mut fraction = value - integer;
    let next = f64::from_bits(value.to_bits() + 1);
    let mut delta = (0.5 * (next - value)).max(f64::from_bits(1));
    let mut frac: Vec<u8> = Vec::new();
    if fraction >= delta {
        loop {
            fraction *= r;
            delta *= r;
            let digit = fraction as u32;
            frac.push(CHARS[digit as usize]);
            fraction -= f64::from(digit);
            if (fraction > 0.5 || (fraction == 0.5 && digit & 1 == 1)) && fraction + delta > 1.0 {
                // Round up, carrying through the digits already written.
                loop {
                    match frac.pop() {
                        None => {
                            integer += 1.0;
                            break;
                        }
                        Some(c) => {
                            let d = if c > b'9' {
                                u32::from(c - b'a') + 10
                            } else {
                                u32::from(c - b'0')
                            };
                            if d + 1 < radix {
                                frac.push(CHARS[(d + 1) as usize]);
                                break;
                            }
                        }
                    }
                }
                break;
            }
            if fraction < delta {
                break;
            }
        }
    }
    let mut int_digits: Vec<u8> = Vec::new();
    while binary_exponent(integer / r) > 0 {
        integer /= r;
        int_digits.push(b'0');
    }
    loop {
        let remainder = integer % r;
        int_digits.push(CHARS[remainder as usize]);
        integer = (integer - remainder) / r;
        if integer <= 0.0 {
            break;
        }
    }
    int_digits.reverse();
    let mut out = String::with_capacity(int_digits.len() + frac.len() + 2);
    if negative {
        out.push('-');
    }
    out.push_str(&text(&int_digits));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(&text(&frac));
    }
    out
}

/// Reads a fraction-digits option: `None` when absent, a RangeError outside 0..=100.
fn digits_option(rt: &Rt, options: &Value, key: &str) -> Res<Option<usize>> {
    if !matches!(options, Value::Object(_)) {
        return Ok(None);
    }
    let v = rt.get(options, key)?;
    if matches!(v, Value::Undefined) {
        return Ok(None);
    }
    let n = ops::to_number(rt, &v)?;
    if n.is_nan() || !(0.0..=100.0).contains(&n) {
        return Err(rt.range_error(&format!("{key} value is out of range.")));
    }
    Ok(Some(n.floor() as usize))
}

/// `Number.prototype.toLocaleString` as `en-US` (see the module docs).
pub fn to_locale_string(rt: &Rt, x: f64, options: &Value) -> Res<String> {
    let min = digits_option(rt, options, "minimumFractionDigits")?;
    let max = digits_option(rt, options, "maximumFractionDigits")?;
    let (min, max) = match (min, max) {
        (None, None) => (0, 3),
        (Some(min), None) => (min, min.max(3)),
        (None, Some(max)) => (0, max),
        (Some(min), Some(max)) => {
            if min > max {
                return Err(rt.range_error("maximumFractionDigits value is out of range."));
            }
            (min, max)
        }
    };
    let grouping = match options {
        Value::Object(_) => {
            let g = rt.get(options, "useGrouping")?;
            matches!(g, Value::Undefined) || g.truthy()
        }
        _ => true,
    };
    Ok(format_en_us(x, min, max, grouping))
}

/// A number formatted as ICU's `en-US` decimal format.
pub fn format_en_us(x: f64, min_fraction: usize, max_fraction: usize, grouping: bool) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    let negative = x.is_sign_negative();
    let sign = if negative { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}∞");
    }
    let x = x.abs();
    // The rounded value as integer digits and fraction digits.
    let (int_part, mut frac_part): (Vec<u8>, Vec<u8>) = if x == 0.0 {
        (vec![b'0'], Vec::new())
    } else {
        let (d, point) = shortest_digits(x);
        let keep = point + max_fraction as i32;
        // The value times 10^max_fraction, rounded, as integer digits.
        let mut all = if keep < 0 {
            Vec::new()
        } else {
            let (mut r, carry) = round_digits(&d, keep as usize);
            if carry && keep > 0 {
                r.push(b'0');
            }
            r
        };
        if all.len() < max_fraction + 1 {
            let mut padded = vec![b'0'; max_fraction + 1 - all.len()];
            padded.extend_from_slice(&all);
            all = padded;
        }
        let split = all.len() - max_fraction;
        let int_part = all[..split].to_vec();
        (int_part, all[split..].to_vec())
    };
    while frac_part.len() > min_fraction && frac_part.last() == Some(&b'0') {
        frac_part.pop();
    }
    frac_part.resize(frac_part.len().max(min_fraction), b'0');
    let int_text = text(&int_part);
    let int_text = int_text.trim_start_matches('0');
    let int_text = if int_text.is_empty() { "0" } else { int_text };
    let mut out = String::from(sign);
    if grouping {
        for (i, c) in int_text.chars().enumerate() {
            if i > 0 && (int_text.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
    } else {
        out.push_str(int_text);
    }
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(&text(&frac_part));
    }
    out
}

// ---- Boolean -------------------------------------------------------------------------------------------

/// The `Boolean` constructor.
pub fn boolean_constructor(rt: &Rt) -> Value {
    let f = native_ctor(
        "Boolean",
        Rc::new(|_, _, args| Ok(Value::Bool(args.first().is_some_and(Value::truthy)))),
        Rc::new(|_, _, args| {
            let b = Value::Bool(args.first().is_some_and(Value::truthy));
            Ok(Value::Object(Obj::new(Kind::Primitive(b))))
        }),
        Ctor::Boolean,
    );
    install_statics(rt, &f, &["prototype"], boolean_static_property);
    Value::Object(f)
}

/// What `b[key]` finds on `Boolean.prototype`.
pub fn boolean_property(rt: &Rt, _receiver: &Value, key: &str) -> Option<Value> {
    let name: &'static str = match key {
        "constructor" => return rt.global("Boolean"),
        "toString" => "toString",
        "valueOf" => "valueOf",
        _ => return None,
    };
    rt.cached_method("Boolean.prototype", name, |rt| {
        Some(rt.native_fn(name, move |rt, this, _| {
            let b = match this {
                Value::Bool(b) => Some(*b),
                Value::Object(o) => match &o.borrow().kind {
                    Kind::Primitive(Value::Bool(b)) => Some(*b),
                    _ => None,
                },
                _ => None,
            };
            let Some(b) = b else {
                return Err(rt.type_error(&format!(
                    "Boolean.prototype.{name} requires that 'this' be a Boolean"
                )));
            };
            Ok(if name == "toString" {
                Value::str(if b { "true" } else { "false" })
            } else {
                Value::Bool(b)
            })
        }))
    })
}
