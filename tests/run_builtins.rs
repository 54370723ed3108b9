//! Script-level differential test of the evaluator's JavaScript semantics: every script in
//! `tests/run_builtins/` (not `known/`) runs under `wfc run` and under the JavaScript reference
//! runtime (`node tests/reference/runtime.mjs`), and the two must agree on the exit status and on
//! stdout byte for byte; for a failed run, also on the `error: …` line of stderr.
//!
//! Each script returns an object of many computed values, so one script holds dozens of checks;
//! on a mismatch the message names the keys that differ. A script `NAME.js` may have a
//! `NAME.flags` file next to it: extra command-line arguments, one per line (`--budget`, `600`,
//! `--args`, `{…}`), passed to both runtimes.
//!
//! `tests/run_builtins/known/` holds scripts for known differences owned by other parts of the
//! evaluator; they are not run here. The test is skipped (with a note) when `node` is missing.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{code, node_available, repo_root, stderr, stdout};

fn scripts() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/run_builtins");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "js"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scripts in {}", dir.display());
    files
}

fn flags(script: &Path) -> Vec<String> {
    match std::fs::read_to_string(script.with_extension("flags")) {
        Ok(text) => text
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn run_wfc(script: &Path, extra: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfc"))
        .arg("run")
        .arg("--no-journal")
        .arg(script)
        .args(extra)
        .output()
        .expect("run wfc")
}

fn run_node(script: &Path, extra: &[String]) -> Output {
    Command::new("node")
        .arg(repo_root().join("tests/reference/runtime.mjs"))
        .arg(script)
        .args(extra)
        .output()
        .expect("run node")
}

/// The `error: …` line of a failed run (wfc may print warnings before it).
fn error_line(out: &Output) -> Option<String> {
    stderr(out)
        .lines()
        .find(|l| l.starts_with("error: "))
        .map(str::to_string)
}

/// The top-level keys whose values differ, when both outputs are JSON objects.
fn differing_keys(reference: &str, wfc: &str) -> Option<String> {
    let r: serde_json::Value = serde_json::from_str(reference).ok()?;
    let w: serde_json::Value = serde_json::from_str(wfc).ok()?;
    let (r, w) = (r.as_object()?, w.as_object()?);
    let mut lines = Vec::new();
    for (k, rv) in r {
        match w.get(k) {
            Some(wv) if wv == rv => {}
            Some(wv) => lines.push(format!("  {k}:\n    node: {rv}\n    wfc:  {wv}")),
            None => lines.push(format!("  {k}: missing in wfc's result (node: {rv})")),
        }
    }
    for k in w.keys().filter(|k| !r.contains_key(*k)) {
        lines.push(format!("  {k}: only in wfc's result"));
    }
    if lines.is_empty() {
        lines.push("  (same values; the key order or the number formatting differs)".into());
    }
    Some(lines.join("\n"))
}

/// The number of leaf values in a result: each is one check.
fn leaves(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => a.iter().map(leaves).sum::<usize>().max(1),
        serde_json::Value::Object(o) => o.values().map(leaves).sum::<usize>().max(1),
        _ => 1,
    }
}

#[test]
fn builtins_match_node() {
    if !node_available() {
        eprintln!("skipping run_builtins: `node` is not available");
        return;
    }
    let mut problems = Vec::new();
    let mut checks = 0;
    let files = scripts();
    for script in &files {
        let name = script.file_name().expect("file name").to_string_lossy();
        let extra = flags(script);
        let reference = run_node(script, &extra);
        let wfc = run_wfc(script, &extra);
        let (r_out, w_out) = (stdout(&reference), stdout(&wfc));
        if code(&reference) != 0 && code(&reference) != 1 {
            problems.push(format!(
                "{name}: the reference runtime failed (exit {}):\n{}",
                code(&reference),
                stderr(&reference)
            ));
            continue;
        }
        if code(&reference) != code(&wfc) {
            problems.push(format!(
                "{name}: exit {} under node, {} under wfc\n--- node stderr ---\n{}--- wfc stderr ---\n{}--- wfc stdout ---\n{}",
                code(&reference),
                code(&wfc),
                stderr(&reference),
                stderr(&wfc),
                w_out
            ));
            continue;
        }
        if r_out != w_out {
            let detail = differing_keys(&r_out, &w_out)
                .unwrap_or_else(|| format!("  node: {r_out}  wfc:  {w_out}"));
            problems.push(format!("{name}: stdout differs\n{detail}"));
            continue;
        }
        if code(&reference) != 0 {
            let (r_err, w_err) = (error_line(&reference), error_line(&wfc));
            if r_err != w_err {
                problems.push(format!(
                    "{name}: the error differs\n  node: {r_err:?}\n  wfc:  {w_err:?}"
                ));
            }
            checks += 1;
        } else if let Ok(v) = serde_json::from_str::<serde_json::Value>(&r_out) {
            checks += leaves(&v);
        }
    }
    eprintln!(
        "run_builtins: {} scripts, {checks} checked values",
        files.len()
    );
    assert!(
        problems.is_empty(),
        "{} of {} scripts differ from node:\n\n{}",
        problems.len(),
        files.len(),
        problems.join("\n\n")
    );
}
