//! JavaScript's number conversions where Rust's differ: from strings (`Number(s)`, `parseInt`,
//! `parseFloat`), as ECMA-262 defines them and V8 rounds them, `ToInt32`/`ToUint32` and
//! `Math.round`. Shared by the executor, which runs them, and the analysis, which reads
//! `parseInt('3.7')` as 3 and `Number('inf')` as `NaN` (Rust's `str::parse` says 3.7 and
//! infinity).

/// `ToNumber` of a string.
pub fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_whitespace);
    if t.is_empty() {
        return 0.0;
    }
    let radix = |p: &str, r: u32| -> f64 {
        if p.is_empty() || !p.chars().all(|c| c.is_digit(r)) {
            return f64::NAN;
        }
        p.chars().fold(0.0, |acc, c| {
            acc * f64::from(r) + f64::from(c.to_digit(r).unwrap_or(0))
        })
    };
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return radix(h, 16);
    }
    if let Some(o) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
        return radix(o, 8);
    }
    if let Some(b) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        return radix(b, 2);
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    // Rust accepts "inf", "nan", "infinity"; JavaScript does not.
    let body = t.trim_start_matches(['+', '-']);
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        || body
            .chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

/// JavaScript's `WhiteSpace` and `LineTerminator` code points (what `trim` removes).
pub fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}' | '\u{a}' | '\u{b}' | '\u{c}' | '\u{d}' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// `parseInt(string, radix)` with the radix already through `ToInt32`.
pub fn parse_int(s: &str, radix: i32) -> f64 {
    let s = s.trim_start_matches(is_js_whitespace);
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut r = radix;
    let mut strip_prefix = true;
    if r != 0 {
        if !(2..=36).contains(&r) {
            return f64::NAN;
        }
        if r != 16 {
            strip_prefix = false;
        }
    } else {
        r = 10;
    }
    let s = match s.get(..2) {
        Some("0x" | "0X") if strip_prefix => {
            r = 16;
            &s[2..]
        }
        _ => s,
    };
    let r = r as u32;
    let end = s.find(|c: char| !c.is_digit(r)).unwrap_or(s.len());
    let digits = &s[..end];
    if digits.is_empty() {
        return f64::NAN;
    }
    let value = if r == 10 {
        digits.parse::<f64>().unwrap_or(f64::NAN)
    } else if r.is_power_of_two() {
        power_of_two_radix(digits, r)
    } else {
        other_radix(digits, r)
    };
    if negative {
        -value
    } else {
        value
    }
}

/// Digits in a radix that is neither 10 nor a power of two, accumulated as V8 does (32-bit
/// parts, then a double multiply-add per part: approximate past 2^53, as the spec allows).
fn other_radix(digits: &str, r: u32) -> f64 {
    const MAX_MULTIPLIER: u32 = 0xFFFF_FFFF / 36;
    let ds: Vec<u32> = digits.chars().map(|c| c.to_digit(r).unwrap_or(0)).collect();
    let mut result = 0.0;
    let mut i = 0;
    while i < ds.len() {
        let (mut part, mut multiplier) = (0u32, 1u32);
        while i < ds.len() {
            let m = multiplier * r;
            if m > MAX_MULTIPLIER {
                break;
            }
            part = part * r + ds[i];
            multiplier = m;
            i += 1;
        }
        result = result * f64::from(multiplier) + f64::from(part);
    }
    result
}

/// Digits in a power-of-two radix, rounded to the nearest double (ties to even), as V8 does.
fn power_of_two_radix(digits: &str, r: u32) -> f64 {
    let bits_per_digit = r.trailing_zeros();
    let mut bits: Vec<bool> = Vec::with_capacity(digits.len() * bits_per_digit as usize);
    for c in digits.chars() {
        let d = c.to_digit(r).unwrap_or(0);
        for i in (0..bits_per_digit).rev() {
            bits.push(d >> i & 1 == 1);
        }
    }
    let first = bits.iter().position(|b| *b).unwrap_or(bits.len());
    let bits = &bits[first..];
    if bits.len() <= 64 {
        return bits.iter().fold(0u64, |acc, b| acc << 1 | u64::from(*b)) as f64;
    }
    let mut m = bits[..64]
        .iter()
        .fold(0u64, |acc, b| acc << 1 | u64::from(*b));
    if bits[64..].iter().any(|b| *b) {
        // A sticky bit below the rounding position breaks ties the right way.
        m |= 1;
    }
    let shift = (bits.len() - 64) as i32;
    (m as f64) * 2f64.powi(shift)
}

/// `parseFloat(string)`: the longest prefix that is a decimal literal (or `Infinity`).
pub fn parse_float(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_whitespace);
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    if t[i..].starts_with("Infinity") {
        return if b.first() == Some(&b'-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let digits_from = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let int_end = digits_from(i);
    let mut end = int_end;
    let mut any_digit = int_end > i;
    if b.get(end) == Some(&b'.') {
        let frac_end = digits_from(end + 1);
        if frac_end > end + 1 || any_digit {
            any_digit |= frac_end > end + 1;
            end = frac_end;
        }
    }
    if !any_digit {
        return f64::NAN;
    }
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let mut j = end + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_end = digits_from(j);
        if exp_end > j {
            end = exp_end;
        }
    }
    let literal = &t[..end];
    // Rust's parser wants a digit after the point; "1." is "1".
    let literal = literal.strip_suffix('.').unwrap_or(literal);
    literal.parse::<f64>().unwrap_or(f64::NAN)
}

/// `ToInt32`.
pub fn to_int32(n: f64) -> i32 {
    to_uint32(n) as i32
}

/// `ToUint32`.
pub fn to_uint32(n: f64) -> u32 {
    if !n.is_finite() {
        return 0;
    }
    let t = n.trunc();
    (t.rem_euclid(4_294_967_296.0)) as u32
}

/// `Math.round`: halves round toward +∞, and -0.5 ≤ x < 0 gives -0. (`(x + 0.5).floor()` would
/// be wrong for 0.49999999999999994, whose sum rounds up to 1.)
pub fn round(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    if (-0.5..0.0).contains(&x) {
        return -0.0;
    }
    let f = x.floor();
    if x - f >= 0.5 {
        f + 1.0
    } else {
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn number_reads_only_whole_numeric_literals() {
        for (s, v) in [
            ("", 0.0),
            ("  \n", 0.0),
            ("3.7", 3.7),
            (" 12 ", 12.0),
            ("1e2", 100.0),
            ("5.", 5.0),
            (".5", 0.5),
            ("+5", 5.0),
            ("0x1F", 31.0),
            ("0b101", 5.0),
            ("0o17", 15.0),
            ("-Infinity", f64::NEG_INFINITY),
            ("\u{FEFF}7", 7.0),
        ] {
            assert!(same(string_to_number(s), v), "Number({s:?}) should be {v}");
        }
        for s in [
            "inf", "nan", "NaN", "infinity", "12abc", "1_000", "-0x10", "0x", ".", "1e", "e5", "+",
            "\u{85}1",
        ] {
            assert!(string_to_number(s).is_nan(), "Number({s:?}) should be NaN");
        }
    }

    #[test]
    fn parse_int_reads_the_leading_digits() {
        for (s, r, v) in [
            ("3.7", 0, 3.0),
            ("1e2", 0, 1.0),
            (" 12abc", 0, 12.0),
            ("-0x1f", 0, -31.0),
            ("0x1f", 16, 31.0),
            ("0x1f", 10, 0.0),
            ("z", 36, 35.0),
            ("101", 2, 5.0),
            ("-0", 0, -0.0),
        ] {
            assert!(
                same(parse_int(s, r), v),
                "parseInt({s:?}, {r}) should be {v}"
            );
        }
        for (s, r) in [
            ("", 0),
            ("x", 0),
            ("0x", 0),
            ("12", 1),
            ("12", 37),
            ("9", 8),
        ] {
            assert!(parse_int(s, r).is_nan(), "parseInt({s:?}, {r}) is NaN");
        }
    }

    #[test]
    fn parse_float_reads_the_leading_decimal() {
        for (s, v) in [
            ("3.7abc", 3.7),
            ("  -.5", -0.5),
            ("1e", 1.0),
            ("1e+", 1.0),
            ("1e3x", 1000.0),
            ("0x10", 0.0),
            ("Infinityx", f64::INFINITY),
            ("5.", 5.0),
        ] {
            assert!(same(parse_float(s), v), "parseFloat({s:?}) should be {v}");
        }
        for s in ["", ".", "-", "e1", "inf", ".e1", "+-1"] {
            assert!(parse_float(s).is_nan(), "parseFloat({s:?}) is NaN");
        }
    }

    #[test]
    fn math_round_ties_up() {
        assert_eq!(round(0.499_999_999_999_999_94), 0.0);
        assert_eq!(round(2.5), 3.0);
        assert_eq!(round(2.4999), 2.0);
        assert_eq!(round(-2.5), -2.0);
        assert!(round(-0.4).is_sign_negative());
    }

    #[test]
    fn int32_conversions_wrap() {
        assert_eq!(to_uint32(-1.0), u32::MAX);
        assert_eq!(to_uint32(f64::NAN), 0);
        assert_eq!(to_int32(2_147_483_648.0), i32::MIN);
        assert_eq!(to_int32(10.9), 10);
    }
}
