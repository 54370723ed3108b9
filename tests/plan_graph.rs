//! End-to-end tests of `wfc plan` and `wfc graph` over the fixtures.

use std::process::Command;

mod common;

fn wfc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wfc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run wfc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn plan_text_shows_sites_bounds_and_makespan() {
    let (code, out, err) = wfc(&[
        "plan",
        "fixtures/valid/fix-until-green.js",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("phases       Run → Fix → Verify"), "{out}");
    assert!(out.contains("agents       ≤ 32"), "{out}");
    assert!(out.contains("critical path  s0 → s1 → s2"), "{out}");
    assert!(out.contains("makespan       30.0 – 33.8 min"), "{out}");
}

#[test]
fn plan_args_turn_symbolic_bounds_into_numbers() {
    let (code, out, _) = wfc(&[
        "plan",
        "fixtures/valid/promise-all-mix.js",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let symbolic: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(symbolic["total_agents"]["max"]
        .as_str()
        .is_some_and(|m| m.contains("|args.packages|")));
    let (code, out, _) = wfc(&[
        "plan",
        "fixtures/valid/promise-all-mix.js",
        "--format",
        "json",
        "--args",
        r#"{"packages": ["a", "b", "c", "d", "e", "f"]}"#,
    ]);
    assert_eq!(code, 0);
    let concrete: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        concrete["total_agents"]["max_value"],
        serde_json::json!(8.0)
    );
    assert!(concrete["makespan"]["interval_minutes"].is_array());
}

#[test]
fn plan_durations_come_from_wfc_toml() {
    let dir = common::temp_dir("plan", "durations");
    let config = dir.write(
        "wfc.toml",
        "[durations]\ndefault = 10.0\n\"effort.low\" = 1.0\n",
    );
    let (code, out, err) = wfc(&[
        "plan",
        "fixtures/valid/fix-until-green.js",
        "--config",
        config.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{err}");
    // Four rounds of three agents in a row, 10 minutes each (`effort.low` no longer halves).
    assert!(
        out.contains("critical path  s0 → s1 → s2 (120 min)"),
        "{out}"
    );
    assert!(out.contains("work           320 agent-min"), "{out}");
}

#[test]
fn graph_dot_and_mermaid() {
    let (code, dot, _) = wfc(&["graph", "fixtures/valid/fix-until-green.js"]);
    assert_eq!(code, 0);
    assert!(dot.starts_with("digraph plan {"), "{dot}");
    assert!(dot.contains("label=\"loop ×≤4\""), "{dot}");
    assert!(dot.contains("style=dashed, label=\"repeat\""), "{dot}");
    let (code, mermaid, _) = wfc(&[
        "graph",
        "fixtures/valid/fix-until-green.js",
        "--format",
        "mermaid",
    ]);
    assert_eq!(code, 0);
    assert!(mermaid.starts_with("flowchart TD"), "{mermaid}");
    assert!(mermaid.contains("subgraph"), "{mermaid}");
}

#[test]
fn plan_of_an_unparsable_script_fails_with_the_diagnostic() {
    let (code, out, err) = wfc(&[
        "plan",
        "fixtures/invalid/syntax-error.js",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("syntax-error"), "{err}");
}
