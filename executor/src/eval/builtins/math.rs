//! The `Math` namespace.
//!
//! Arguments go through `ToNumber`. `Math.random` throws, as in the workflow sandbox: a random
//! number would break resume.
//!
//! Known difference: `pow`, `cbrt` and the transcendental functions (`sin`, `exp`, `log`,
//! `atan2`, …) use the platform's libm, while V8 uses its port of fdlibm; the two can differ in
//! the last bit for some inputs (`Math.pow(2.4723718051473144e8, 4)`, `Math.cbrt(2.5)`). The
//! exactly rounded functions (`sqrt`, `floor`, `round`, `fround`, `hypot`'s algorithm, …) agree.

use crate::eval::ops;
use wfc_ir::js_number::round;

use crate::eval::value::{to_int32, to_uint32, Res, Value};
use crate::eval::Rt;

/// The message of the error `Math.random()` throws.
pub const RANDOM_MESSAGE: &str = "Math.random() is unavailable in workflow scripts (breaks resume). For N independent samples, include the index in the agent label or prompt.";

/// `Math` has no prototype methods of its own beyond `Object.prototype`'s.
pub fn property(_rt: &Rt, _receiver: &Value, _key: &str) -> Option<Value> {
    None
}

fn num(rt: &Rt, args: &[Value], i: usize) -> Res<f64> {
    match args.get(i) {
        Some(v) => ops::to_number(rt, v),
        None => Ok(f64::NAN),
    }
}

/// `Math.pow` / `**`: JavaScript answers NaN where C's `pow` answers 1 (a base of ±1 with an
/// infinite exponent, or a NaN exponent).
pub fn pow(base: f64, exp: f64) -> f64 {
    if exp.is_nan() || (base.abs() == 1.0 && exp.is_infinite()) {
        return f64::NAN;
    }
    base.powf(exp)
}

/// `Math.max` of numbers already converted.
fn max_of(xs: &[f64]) -> f64 {
    let mut m = f64::NEG_INFINITY;
    for &x in xs {
        if x.is_nan() {
            return f64::NAN;
        }
        if x > m || (x == 0.0 && m == 0.0 && m.is_sign_negative() && x.is_sign_positive()) {
            m = x;
        }
    }
    m
}

fn min_of(xs: &[f64]) -> f64 {
    let mut m = f64::INFINITY;
    for &x in xs {
        if x.is_nan() {
            return f64::NAN;
        }
        if x < m || (x == 0.0 && m == 0.0 && x.is_sign_negative()) {
            m = x;
        }
    }
    m
}

fn hypot(xs: &[f64]) -> f64 {
    if xs.iter().any(|x| x.is_infinite()) {
        return f64::INFINITY;
    }
    if xs.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    // Scale by the largest magnitude to avoid overflow, as V8 does.
    let max = xs.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if max == 0.0 {
        return 0.0;
    }
    let mut sum = 0.0;
    let mut compensation = 0.0;
    for x in xs {
        let r = x / max;
        let summand = r * r - compensation;
        let preliminary = sum + summand;
        compensation = (preliminary - sum) - summand;
        sum = preliminary;
    }
    sum.sqrt() * max
}

fn sign(x: f64) -> f64 {
    if x.is_nan() || x == 0.0 {
        x
    } else if x > 0.0 {
        1.0
    } else {
        -1.0
    }
}

type Unary = fn(f64) -> f64;

const UNARY: &[(&str, Unary)] = &[
    ("abs", f64::abs),
    ("acos", f64::acos),
    ("acosh", f64::acosh),
    ("asin", f64::asin),
    ("asinh", f64::asinh),
    ("atan", f64::atan),
    ("atanh", f64::atanh),
    ("cbrt", f64::cbrt),
    ("ceil", f64::ceil),
    ("cos", f64::cos),
    ("cosh", f64::cosh),
    ("exp", f64::exp),
    ("expm1", f64::exp_m1),
    ("floor", f64::floor),
    ("fround", |x| f64::from(x as f32)),
    ("log", f64::ln),
    ("log10", f64::log10),
    ("log1p", f64::ln_1p),
    ("log2", f64::log2),
    ("round", round),
    ("sign", sign),
    ("sin", f64::sin),
    ("sinh", f64::sinh),
    ("sqrt", f64::sqrt),
    ("tan", f64::tan),
    ("tanh", f64::tanh),
    ("trunc", f64::trunc),
    ("clz32", |x| f64::from(to_uint32(x).leading_zeros())),
];

/// The `Math` object.
pub fn namespace(rt: &Rt) -> Value {
    let mut props: Vec<(&str, Value)> = vec![
        ("E", Value::Number(std::f64::consts::E)),
        ("LN10", Value::Number(std::f64::consts::LN_10)),
        ("LN2", Value::Number(std::f64::consts::LN_2)),
        ("LOG10E", Value::Number(std::f64::consts::LOG10_E)),
        ("LOG2E", Value::Number(std::f64::consts::LOG2_E)),
        ("PI", Value::Number(std::f64::consts::PI)),
        ("SQRT1_2", Value::Number(std::f64::consts::FRAC_1_SQRT_2)),
        ("SQRT2", Value::Number(std::f64::consts::SQRT_2)),
    ];
    for &(name, f) in UNARY {
        props.push((
            name,
            rt.native_fn(name, move |rt, _, args| {
                Ok(Value::Number(f(num(rt, args, 0)?)))
            }),
        ));
    }
    props.push((
        "atan2",
        rt.native_fn("atan2", |rt, _, args| {
            let y = num(rt, args, 0)?;
            let x = num(rt, args, 1)?;
            Ok(Value::Number(y.atan2(x)))
        }),
    ));
    props.push((
        "pow",
        rt.native_fn("pow", |rt, _, args| {
            let b = num(rt, args, 0)?;
            let e = num(rt, args, 1)?;
            Ok(Value::Number(pow(b, e)))
        }),
    ));
    props.push((
        "imul",
        rt.native_fn("imul", |rt, _, args| {
            let a = to_int32(num(rt, args, 0)?);
            let b = to_int32(num(rt, args, 1)?);
            Ok(Value::Number(f64::from(a.wrapping_mul(b))))
        }),
    ));
    let all = |rt: &Rt, args: &[Value]| -> Res<Vec<f64>> {
        args.iter().map(|a| ops::to_number(rt, a)).collect()
    };
    props.push((
        "max",
        rt.native_fn("max", move |rt, _, args| {
            Ok(Value::Number(max_of(&all(rt, args)?)))
        }),
    ));
    props.push((
        "min",
        rt.native_fn("min", move |rt, _, args| {
            Ok(Value::Number(min_of(&all(rt, args)?)))
        }),
    ));
    props.push((
        "hypot",
        rt.native_fn("hypot", move |rt, _, args| {
            Ok(Value::Number(hypot(&all(rt, args)?)))
        }),
    ));
    props.push((
        "random",
        rt.native_fn("random", |rt, _, _| Err(rt.error("Error", RANDOM_MESSAGE))),
    ));
    rt.object_from(props)
}
