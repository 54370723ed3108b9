//! Differential tests of the sim backend against the JavaScript reference runtime.
//!
//! 200 generated `agent()` calls (prompt, options text) are answered by `tests/reference/runtime.mjs`
//! under Node, which parses the same options text with `JSON.parse`, and by the Rust backend, which
//! parses it with serde_json; keys, seeds, answers (as `JSON.stringify` text), durations and error
//! messages must be identical. Every answer of a satisfiable schema must also validate against it.
//! The Node half is skipped, with a message, when `node` is not on PATH.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::Gen;

use serde_json::{json, Value};
use wfc_executor::backend::sim::js_stringify;
use wfc_executor::{AgentRequest, SimBackend};

const CASES: usize = 200;

/// One generated call.
struct Case {
    prompt: String,
    /// The options as JSON text, with number literals JavaScript and serde_json must both read
    /// (`-0`, `1e21`, `0.1`, `12345678901234567890`, …).
    options_text: String,
    /// Whether the schema can be satisfied (no inverted bounds, no contradiction, no guard), so
    /// the answer must validate against it.
    satisfiable: bool,
}

fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

const NUMBER_LITERALS: &[&str] = &[
    "0",
    "-0",
    "0.1",
    "1e21",
    "1E+2",
    "-1.5e-7",
    "0.30000000000000004",
    "12345678901234567890",
    "100000000000000000000000",
    "9007199254740993",
    "-42",
    "5e-324",
    "1.7976931348623157e308",
    "123456789.123456789",
    "2.50",
    "1e-7",
    "0.000001",
];

const PROPERTY_NAMES: &[&str] = &[
    "a",
    "b",
    "title",
    "line",
    "10",
    "2",
    "01",
    "__proto__",
    "naïve😀",
    "a/b~c",
    "é",
    "ｶ",
    "",
    "4294967295",
    "4294967294",
];

const STRINGS: &[&str] = &[
    "x",
    "low",
    "",
    "😀",
    "line\nbreak",
    "tab\there",
    "quote\"back\\slash",
    "\u{1}\u{1f}\u{7f}",
    "\u{2028}\u{2029}",
    "ünïcödé",
];

/// A random JSON value as text (for `const`, `enum` and unknown option keys).
fn value_text(g: &mut Gen, depth: usize) -> String {
    match g.below(if depth > 2 { 4 } else { 7 }) {
        0 => g.pick(&["null", "true", "false"]).to_owned(),
        1 => g.pick(NUMBER_LITERALS).to_owned(),
        2 => q(g.pick(STRINGS)),
        3 => (g.below(1000) as i64 - 500).to_string(),
        4 => {
            let n = g.below(4);
            let items: Vec<String> = (0..n).map(|_| value_text(g, depth + 1)).collect();
            format!("[{}]", items.join(","))
        }
        _ => {
            let n = g.below(4);
            let mut keys: Vec<&str> = Vec::new();
            for _ in 0..n {
                let k = g.pick(PROPERTY_NAMES);
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            let fields: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", q(k), value_text(g, depth + 1)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
    }
}

/// A non-negative integer as JSON text, sometimes written as a float (`2.0`, `2e0`).
fn count_text(g: &mut Gen, n: usize) -> String {
    match g.below(6) {
        0 => format!("{n}.0"),
        1 => format!("{n}e0"),
        _ => n.to_string(),
    }
}

/// A random schema as JSON text. Clears `sat` when the schema cannot be satisfied.
fn schema_text(g: &mut Gen, depth: usize, sat: &mut bool) -> String {
    let leaf = depth >= 3;
    let kind = if leaf { g.below(9) } else { g.below(16) };
    match kind {
        0 => r#"{"type":"boolean"}"#.to_owned(),
        1 => {
            let mut f = vec![r#""type":"string""#.to_owned()];
            let min = g.chance(50).then(|| g.below(20));
            let max = g.chance(50).then(|| g.below(20));
            if let Some(m) = min {
                f.push(format!(r#""minLength":{}"#, count_text(g, m)));
            }
            if let Some(m) = max {
                f.push(format!(r#""maxLength":{}"#, count_text(g, m)));
            }
            if let (Some(a), Some(b)) = (min, max) {
                if a > b {
                    *sat = false;
                }
            }
            if g.chance(10) {
                f.push(r#""minLength":-1,"maxLength":2.5"#.to_owned()); // ignored: not integers ≥ 0
                *sat = false; // (jsonschema rejects such a schema)
            }
            format!("{{{}}}", f.join(","))
        }
        2 | 3 => {
            let ty = if g.chance(60) { "integer" } else { "number" };
            let mut f = vec![format!(r#""type":"{ty}""#)];
            let bounds = [
                "-3.7", "-3", "0", "0.5", "2.5", "5", "9", "100", "-0", "1e3",
            ];
            let min = g.chance(60).then(|| g.pick(&bounds));
            let max = g.chance(60).then(|| g.pick(&bounds));
            if let Some(m) = min {
                f.push(format!(r#""minimum":{m}"#));
            }
            if let Some(m) = max {
                f.push(format!(r#""maximum":{m}"#));
            }
            let parse = |t: &str| t.parse::<f64>().expect("a number");
            let lo = min.map_or(0.0, parse).ceil();
            let hi = max.map_or(lo + 100.0, parse).floor();
            if hi < lo || max.is_some_and(|m| parse(m) < lo) {
                *sat = false;
            }
            format!("{{{}}}", f.join(","))
        }
        4 => r#"{"type":"null"}"#.to_owned(),
        5 => g.pick(&["{}", "true"]).to_owned(),
        6 => {
            let n = 1 + g.below(4);
            let items: Vec<String> = (0..n).map(|_| value_text(g, 1)).collect();
            format!(r#"{{"enum":[{}]}}"#, items.join(","))
        }
        7 => format!(r#"{{"const":{}}}"#, value_text(g, 0)),
        8 => {
            let t = g.pick(&[
                r#"{"type":["null","integer"],"minimum":1,"maximum":3}"#,
                r#"{"type":["string","null"],"maxLength":3}"#,
                r#"{"type":["null"]}"#,
                r#"{"type":[]}"#,
            ]);
            if t == r#"{"type":[]}"# {
                *sat = false; // not a valid schema (`type` needs an entry)
            }
            t.to_owned()
        }
        9..=11 => {
            // An object, explicit or implicit.
            let mut f = Vec::new();
            if g.chance(80) {
                f.push(r#""type":"object""#.to_owned());
            }
            let n = g.below(5);
            let mut names: Vec<&str> = Vec::new();
            for _ in 0..n {
                let k = g.pick(PROPERTY_NAMES);
                if !names.contains(&k) {
                    names.push(k);
                }
            }
            let props: Vec<String> = names
                .iter()
                .map(|k| format!("{}:{}", q(k), schema_text(g, depth + 1, sat)))
                .collect();
            f.push(format!(r#""properties":{{{}}}"#, props.join(",")));
            if g.chance(50) {
                let mut req: Vec<String> = names
                    .iter()
                    .filter(|_| g.chance(60))
                    .map(|k| q(k))
                    .collect();
                if g.chance(8) {
                    req.push(q("missing")); // with additionalProperties: false, a contradiction
                    f.push(r#""additionalProperties":false"#.to_owned());
                    *sat = false;
                } else if g.chance(30) {
                    f.push(r#""additionalProperties":false"#.to_owned());
                }
                f.push(format!(r#""required":[{}]"#, req.join(",")));
            }
            format!("{{{}}}", f.join(","))
        }
        12 | 13 => {
            let mut f = Vec::new();
            let explicit = g.chance(80);
            if explicit {
                f.push(r#""type":"array""#.to_owned());
            }
            if !explicit || g.chance(80) {
                f.push(format!(r#""items":{}"#, schema_text(g, depth + 1, sat)));
            }
            if g.chance(3) {
                f.push(r#""minItems":2000000,"maxItems":2000000"#.to_owned()); // the size guard
                *sat = false;
            } else {
                let min = g.chance(50).then(|| g.below(4));
                let max = g.chance(50).then(|| g.below(5));
                if let Some(m) = min {
                    f.push(format!(r#""minItems":{}"#, count_text(g, m)));
                }
                if let Some(m) = max {
                    f.push(format!(r#""maxItems":{}"#, count_text(g, m)));
                }
                if let (Some(a), Some(b)) = (min, max) {
                    if a > b {
                        *sat = false;
                    }
                }
            }
            format!("{{{}}}", f.join(","))
        }
        14 => {
            let n = 1 + g.below(3);
            let alts: Vec<String> = (0..n).map(|_| schema_text(g, depth + 1, sat)).collect();
            if g.chance(20) {
                // Both: anyOf wins (the answer need not match the oneOf).
                *sat = false;
                format!(
                    r#"{{"oneOf":[{{"type":"null"}}],"anyOf":[{}]}}"#,
                    alts.join(",")
                )
            } else {
                format!(r#"{{"anyOf":[{}]}}"#, alts.join(","))
            }
        }
        _ => {
            // oneOf with alternatives of distinct types, so exactly one matches.
            let mut types = vec![
                r#"{"type":"boolean"}"#.to_owned(),
                r#"{"type":"null"}"#.to_owned(),
                r#"{"type":"integer","minimum":0,"maximum":3}"#.to_owned(),
                r#"{"type":"string","maxLength":6}"#.to_owned(),
                format!(
                    r#"{{"type":"array","maxItems":2,"items":{}}}"#,
                    schema_text(g, depth + 1, sat)
                ),
            ];
            let n = 1 + g.below(types.len());
            let mut alts = Vec::new();
            for _ in 0..n {
                alts.push(types.remove(g.below(types.len())));
            }
            let empty_any = if g.chance(20) {
                *sat = false; // an empty anyOf is skipped by the sim, but is not a valid schema
                r#""anyOf":[],"#
            } else {
                ""
            };
            format!(r#"{{{empty_any}"oneOf":[{}]}}"#, alts.join(","))
        }
    }
}

fn prompt(g: &mut Gen, i: usize) -> String {
    let base = g.pick(&[
        "Audit src/routes/users.ts for missing authentication checks.",
        "héllo wörld ✓ 😀",
        "",
        "line one\nline two\ttabbed \"quoted\" \\ back",
        "\u{0}\u{1}\u{1f}\u{7f}\u{2028}",
        "ｶﾀｶﾅ and 漢字 and 👩‍👩‍👧",
        "x",
    ]);
    format!("{base} #{i}")
}

fn cases() -> Vec<Case> {
    let mut g = Gen(0x5eed_0f51);
    (0..CASES)
        .map(|i| {
            let mut sat = true;
            let mut f = Vec::new();
            if g.chance(60) {
                let label = if g.chance(85) {
                    q(g.pick(&["greet", "audit:src/a.ts", "😀", ""]))
                } else {
                    value_text(&mut g, 2)
                };
                f.push(format!(r#""label":{label}"#));
            }
            if g.chance(50) {
                let model = g.pick(&[
                    r#""opus""#,
                    r#""sonnet""#,
                    r#""haiku""#,
                    r#""claude-haiku-4-5""#,
                    r#""claude-opus-4-1""#,
                    r#""OPUS""#,
                    r#""fable""#,
                    "5",
                    "null",
                ]);
                f.push(format!(r#""model":{model}"#));
            }
            if g.chance(50) {
                let effort = g.pick(&[
                    r#""low""#,
                    r#""medium""#,
                    r#""high""#,
                    r#""xhigh""#,
                    r#""max""#,
                    r#""extreme""#,
                    r#""toString""#,
                    "3",
                ]);
                f.push(format!(r#""effort":{effort}"#));
            }
            if g.chance(30) {
                f.push(format!(r#""phase":{}"#, q("Audit")));
            }
            for _ in 0..g.below(3) {
                let k = g.pick(&["zeta", "10", "9", "__proto__", "isolation", "ä", "😀"]);
                let key = q(k);
                if !f.iter().any(|x| x.starts_with(&format!("{key}:"))) {
                    f.push(format!("{key}:{}", value_text(&mut g, 0)));
                }
            }
            match g.below(10) {
                0 | 1 => {} // no schema
                2 => f.push(r#""schema":null"#.to_owned()),
                _ => {
                    let s = schema_text(&mut g, 0, &mut sat);
                    f.push(format!(r#""schema":{s}"#));
                }
            }
            // Shuffle the fields: key order must not matter to the key.
            for j in (1..f.len()).rev() {
                let k = g.below(j + 1);
                f.swap(j, k);
            }
            Case {
                prompt: prompt(&mut g, i),
                options_text: format!("{{{}}}", f.join(",")),
                satisfiable: sat,
            }
        })
        .collect()
}

/// What one call gives, in the form both sides print.
fn rust_outcome(case: &Case) -> Value {
    let options: Value = serde_json::from_str(&case.options_text)
        .unwrap_or_else(|e| panic!("{}: {e}", case.options_text));
    match SimBackend.call(&AgentRequest::new(case.prompt.clone(), options)) {
        Ok(o) => json!({
            "key": o.key,
            "seed": format!("{:08x}", o.seed),
            "answer": js_stringify(&o.answer),
            "duration_ms": o.duration_ms,
        }),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

const NODE_SCRIPT: &str = r#"
const { simulate, findContradiction, hex8 } = await import(process.env.WFC_RUNTIME_URL);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const c of JSON.parse(input)) {
  let r;
  try {
    const parsed = JSON.parse(c.options_text);
    const options = parsed == null ? {} : parsed; // as agent() does
    const bad = findContradiction(options.schema);
    if (bad) {
      throw new Error(`agent(): the schema contradicts itself: required key \`${bad.key}\` is ruled out by \`additionalProperties: false\` (at ${bad.pointer})`);
    }
    const s = simulate(c.prompt, options);
    r = { key: s.key, seed: hex8(s.seed), answer: JSON.stringify(s.answer), duration_ms: s.duration_ms };
  } catch (e) {
    r = { error: e.message };
  }
  out.push(r);
}
process.stdout.write(JSON.stringify(out));
"#;

fn runtime_url() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/reference/runtime.mjs")
        .canonicalize()
        .expect("tests/reference/runtime.mjs exists");
    format!("file://{}", path.display())
}

/// Runs the cases through the reference runtime, or `None` when `node` is not available.
fn node_outcomes(cases: &[Case]) -> Option<Vec<Value>> {
    let input: Vec<Value> = cases
        .iter()
        .map(|c| json!({ "prompt": c.prompt, "options_text": c.options_text }))
        .collect();
    let mut node = Command::new("node");
    node.args(["--input-type=module", "-e", NODE_SCRIPT])
        .env("WFC_RUNTIME_URL", runtime_url());
    common::node_json(node, &input)
}

#[test]
fn cases_cover_the_interesting_ground() {
    let cases = cases();
    let all: String = cases.iter().map(|c| c.options_text.as_str()).collect();
    for needle in [
        r#""anyOf""#,
        r#""oneOf""#,
        r#""enum""#,
        r#""const""#,
        r#""minItems""#,
        r#""maxLength""#,
        r#""minimum""#,
        "1e21",
        "-0",
        "0.1",
        "\"__proto__\"",
        "\"10\"",
        "\"schema\":null",
        "\"additionalProperties\":false",
    ] {
        assert!(all.contains(needle), "no case has {needle}");
    }
    let rejected = cases
        .iter()
        .filter(|c| rust_outcome(c).get("error").is_some())
        .count();
    assert!(
        rejected > 0 && rejected < CASES / 5,
        "{rejected} rejected cases"
    );
}

#[test]
fn matches_the_reference_runtime() {
    let cases = cases();
    let Some(node) = node_outcomes(&cases) else {
        return;
    };
    assert_eq!(node.len(), cases.len());
    for (i, (case, js)) in cases.iter().zip(&node).enumerate() {
        let rust = rust_outcome(case);
        assert_eq!(
            serde_json::to_string(&rust).expect("serializable"),
            serde_json::to_string(js).expect("serializable"),
            "case {i}: prompt {:?}, options {}",
            case.prompt,
            case.options_text
        );
    }
}

#[test]
fn answers_validate_against_their_schemas() {
    let mut checked = 0;
    for case in cases().iter().filter(|c| c.satisfiable) {
        let options: Value = serde_json::from_str(&case.options_text).expect("JSON");
        let Some(schema) = options.get("schema").filter(|s| !s.is_null()) else {
            continue;
        };
        let out = SimBackend
            .call(&AgentRequest::new(case.prompt.clone(), options.clone()))
            .unwrap_or_else(|e| panic!("{}: {e}", case.options_text));
        let validator = jsonschema::validator_for(schema)
            .unwrap_or_else(|e| panic!("bad schema {schema}: {e}"));
        assert!(
            validator.is_valid(&out.answer),
            "{} does not validate against {schema}",
            js_stringify(&out.answer)
        );
        checked += 1;
    }
    assert!(checked >= 80, "only {checked} answers checked");
}
