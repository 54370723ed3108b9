//! The string-to-number conversions the executor runs and the analysis reads
//! (`wfc_ir::js_number`), against Node.js on the same inputs: `Number(s)`, `parseInt(s)`,
//! `parseInt(s, radix)`, `parseFloat(s)` and `parseInt(x)` of numbers.

use std::process::Command;

mod common;
use common::node_available;

use wfc_ir::js_number::{parse_float, parse_int, string_to_number};

const STRINGS: &[&str] = &[
    "",
    " ",
    "\t\n",
    "0",
    "-0",
    "+0",
    "3",
    "3.7",
    "-3.7",
    " 12 ",
    "12abc",
    " 12abc",
    "1e2",
    "1E2",
    "1e",
    "1e+",
    "1e-2",
    "5e-7",
    ".5",
    "5.",
    ".",
    "-.5",
    "+.5",
    "+",
    "-",
    "e5",
    "0x1F",
    "0X1f",
    "-0x1f",
    "0x",
    "0xg",
    "0b101",
    "0o17",
    "0b2",
    "Infinity",
    "-Infinity",
    "+Infinity",
    "Infinityx",
    "inf",
    "infinity",
    "NaN",
    "nan",
    "1_000",
    "1,000",
    "١٢",
    "\u{FEFF}7",
    "\u{A0}8",
    "\u{85}9",
    "\u{2028}4",
    "ff",
    "z",
    "101",
    "9007199254740993",
    "00012",
    "0.0000001",
    "12.5e1x",
    "--1",
    "+-1",
    "true",
    "null",
];

const RADIXES: &[f64] = &[0.0, 2.0, 8.0, 10.0, 16.0, 36.0, 1.0, 37.0, 10.9, -1.0];

const NUMBERS: &[f64] = &[
    0.0, 3.7, -3.7, 123.0, 5e-7, -5e-7, 1.5e-7, 0.000001, 0.0000012, 1e21, 1.5e21, 9.99e20,
    -2.5e22, 1e-300, 4.0,
];

/// Runs `expr` (JavaScript over `S`, `R` and `X`, the inputs as JSON) in node; one line per result,
/// `NaN`, `-0` and infinities spelled out.
fn node(expr: &str) -> Vec<String> {
    let script = format!(
        "const S = {}; const R = {}; const X = {};\n\
         const show = v => Object.is(v, -0) ? '-0' : String(v);\n\
         for (const v of ({expr})) console.log(show(v));",
        serde_json::to_string(STRINGS).expect("strings"),
        serde_json::to_string(RADIXES).expect("radixes"),
        serde_json::to_string(NUMBERS).expect("numbers"),
    );
    let out = Command::new("node")
        .args(["-e", &script])
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect()
}

/// How node prints a number, for comparing; `None` (not known exactly) is compared as "?".
fn show(v: Option<f64>) -> String {
    match v {
        None => "?".into(),
        Some(v) if v.is_nan() => "NaN".into(),
        Some(v) if v == 0.0 && v.is_sign_negative() => "-0".into(),
        Some(v) if v.is_infinite() => if v > 0.0 { "Infinity" } else { "-Infinity" }.into(),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e21 => format!("{v:.0}"),
        Some(v) => format!("{v}"),
    }
}

/// Every conversion the analysis knows exactly agrees with node; unknown ones are few.
fn agree(what: &str, inputs: Vec<String>, ours: Vec<Option<f64>>, theirs: Vec<String>) {
    assert_eq!(ours.len(), theirs.len(), "{what}: one result per input");
    let mut unknown = 0;
    for ((input, ours), theirs) in inputs.iter().zip(ours).zip(theirs) {
        if ours.is_none() {
            unknown += 1;
            continue;
        }
        // Node prints non-integers with JavaScript's shortest digits; compare as numbers.
        let same = show(ours) == theirs
            || theirs
                .parse::<f64>()
                .is_ok_and(|t| ours.is_some_and(|o| o == t));
        assert!(
            same,
            "{what}({input}): wfc reads {}, node {theirs}",
            show(ours)
        );
    }
    assert!(unknown <= 2, "{what}: {unknown} results not known exactly");
}

#[test]
fn conversions_agree_with_node() {
    if !node_available() {
        eprintln!("SKIPPED: `node` is not on PATH; this test compares with Node.js");
        return;
    }
    let quoted = |s: &&str| format!("{s:?}");
    agree(
        "Number",
        STRINGS.iter().map(quoted).collect(),
        STRINGS.iter().map(|s| Some(string_to_number(s))).collect(),
        node("S.map(s => Number(s))"),
    );
    agree(
        "parseFloat",
        STRINGS.iter().map(quoted).collect(),
        STRINGS.iter().map(|s| Some(parse_float(s))).collect(),
        node("S.map(s => parseFloat(s))"),
    );
    agree(
        "parseInt",
        STRINGS.iter().map(quoted).collect(),
        STRINGS.iter().map(|s| Some(parse_int(s, 0))).collect(),
        node("S.map(s => parseInt(s))"),
    );
    let pairs: Vec<(&str, f64)> = STRINGS
        .iter()
        .flat_map(|s| RADIXES.iter().map(move |r| (*s, *r)))
        .collect();
    agree(
        "parseInt with a radix",
        pairs.iter().map(|(s, r)| format!("{s:?}, {r}")).collect(),
        pairs
            .iter()
            .map(|(s, r)| Some(parse_int(s, *r as i32)))
            .collect(),
        node("S.flatMap(s => R.map(r => parseInt(s, r)))"),
    );
    agree(
        "parseInt of a number",
        NUMBERS.iter().map(|x| x.to_string()).collect(),
        NUMBERS
            .iter()
            .map(|x| Some(parse_int(&wfc_ir::number_to_js_string(*x), 0)))
            .collect(),
        node("X.map(x => parseInt(x))"),
    );
}
