use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A JavaScript number. Source literals can still be non-finite (`1e400` is `Infinity`), which JSON
/// cannot carry, so those serialize as the strings `"Infinity"`, `"-Infinity"` and `"NaN"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JsNumber(pub f64);

impl Serialize for JsNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.is_finite() {
            if v.fract() == 0.0 && v.abs() < 9.007_199_254_740_992e15 {
                // Integral values print as integers, as JavaScript prints them.
                s.serialize_i64(v as i64)
            } else {
                s.serialize_f64(v)
            }
        } else if v.is_nan() {
            s.serialize_str("NaN")
        } else if v > 0.0 {
            s.serialize_str("Infinity")
        } else {
            s.serialize_str("-Infinity")
        }
    }
}

impl<'de> Deserialize<'de> for JsNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Num(f64),
            Str(String),
        }
        match Repr::deserialize(d)? {
            Repr::Num(n) => Ok(JsNumber(n)),
            Repr::Str(s) => match s.as_str() {
                "NaN" => Ok(JsNumber(f64::NAN)),
                "Infinity" => Ok(JsNumber(f64::INFINITY)),
                "-Infinity" => Ok(JsNumber(f64::NEG_INFINITY)),
                other => Err(serde::de::Error::custom(format!("not a number: {other}"))),
            },
        }
    }
}

/// A primitive literal value written in the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Literal {
    Undefined,
    Null,
    Bool(bool),
    Number(JsNumber),
    String(crate::Name),
}

/// `Number.prototype.toString()` for base 10: the shortest digits that round-trip, laid out with
/// the thresholds ECMAScript's Number::toString uses (21 digits, 1e-7).
pub fn number_to_js_string(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if v < 0.0 {
        return format!("-{}", number_to_js_string(-v));
    }
    // `{:e}` gives the shortest round-trip digits as `d.ddde±x`.
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    layout_js_number(&digits, exp + 1)
}

/// Lays out the decimal digits of a positive number whose value is `0.DIGITS × 10^n` as
/// ECMAScript's Number::toString does (plain up to 21 integer digits, `e` notation beyond, and
/// below 1e-6).
pub fn layout_js_number(digits: &str, n: i32) -> String {
    let k = digits.len() as i32;
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let e = (n - 1).abs();
        if k == 1 {
            format!("{digits}e{sign}{e}")
        } else {
            format!("{}.{}e{sign}{e}", &digits[..1], &digits[1..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::number_to_js_string as s;

    #[test]
    fn matches_javascript() {
        let cases = [
            (1.0, "1"),
            (-0.0, "0"),
            (1.5, "1.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (2.5e25, "2.5e+25"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
            (-42.25, "-42.25"),
        ];
        for (v, want) in cases {
            assert_eq!(s(v), want, "{v}");
        }
    }
}
