//! `wfc run --backend sim` against the JavaScript reference runtime (`tests/reference/runtime.mjs`)
//! on every valid fixture: the same result (byte for byte), the same multiset of agent calls
//! (prompt and options, through the prompt hash), and every happens-before pair of the reference
//! (an agent completed before another was called) holding in wfc's trace. Under `--schedule fifo`
//! the virtual timing must match exactly (same makespan); under the default priority schedule the
//! results and calls must still match.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

use common::{code, fixture_args, fixtures, node_available, repo_root, show, stdout};

#[derive(Debug, Clone)]
struct Rec {
    seq: u32,
    site: String,
    hash: String,
    call_ms: Option<u64>,
    start_ms: Option<u64>,
    end_ms: Option<u64>,
    deps: Vec<u32>,
}

struct Trace {
    records: Vec<Rec>,
    makespan: u64,
}

fn parse_trace(text: &str) -> Trace {
    let mut records = Vec::new();
    let mut makespan = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("trace line is JSON");
        if v["type"] == "summary" {
            makespan = v["makespan_ms"].as_u64().expect("makespan");
            continue;
        }
        records.push(Rec {
            seq: v["seq"].as_u64().expect("seq") as u32,
            site: v["site"].as_str().unwrap_or("?").to_string(),
            hash: v["prompt_hash"].as_str().expect("hash").to_string(),
            call_ms: v["call_ms"].as_u64(),
            start_ms: v["start_ms"].as_u64(),
            end_ms: v["end_ms"].as_u64(),
            deps: v["deps"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|d| d.as_u64())
                        .map(|d| d as u32)
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    Trace { records, makespan }
}

struct Outcome {
    code: i32,
    stdout: String,
    trace: Trace,
    shown: String,
}

fn run_wfc(file: &Path, args: &serde_json::Value, extra: &[&str], tag: &str) -> Outcome {
    let dir = common::temp_dir("diff", &format!("{tag}-wfc"));
    let trace = dir.join("trace.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_wfc"))
        .arg("run")
        .arg(file)
        .arg("--args")
        .arg(args.to_string())
        .arg("--trace")
        .arg(&trace)
        .arg("--no-journal")
        .args(extra)
        .output()
        .expect("run wfc");
    let text = std::fs::read_to_string(&trace).unwrap_or_default();
    Outcome {
        code: code(&out),
        stdout: stdout(&out),
        trace: parse_trace(&text),
        shown: show(&out),
    }
}

fn run_node(file: &Path, args: &serde_json::Value, extra: &[&str], tag: &str) -> Option<Outcome> {
    let dir = common::temp_dir("diff", &format!("{tag}-node"));
    let trace = dir.join("trace.jsonl");
    let out = Command::new("node")
        .arg(repo_root().join("tests/reference/runtime.mjs"))
        .arg(file)
        .arg("--args")
        .arg(args.to_string())
        .arg("--trace")
        .arg(&trace)
        .args(extra)
        .output()
        .ok()?;
    let text = std::fs::read_to_string(&trace).unwrap_or_default();
    Some(Outcome {
        code: code(&out),
        stdout: stdout(&out),
        trace: parse_trace(&text),
        shown: show(&out),
    })
}

/// Maps each reference seq to wfc's seq for the same call: the k-th call with a given prompt hash
/// in one run is the k-th in the other.
fn match_calls(reference: &Trace, wfc: &Trace) -> Result<HashMap<u32, u32>, String> {
    let mut by_hash: HashMap<&str, Vec<u32>> = HashMap::new();
    for r in &wfc.records {
        by_hash.entry(&r.hash).or_default().push(r.seq);
    }
    let mut used: HashMap<&str, usize> = HashMap::new();
    let mut map = HashMap::new();
    for r in &reference.records {
        let k = used.entry(&r.hash).or_default();
        let Some(&seq) = by_hash.get(r.hash.as_str()).and_then(|v| v.get(*k)) else {
            return Err(format!(
                "reference call {} (site {}, hash {}) has no counterpart in wfc's run",
                r.seq,
                r.site,
                &r.hash[..12]
            ));
        };
        *k += 1;
        map.insert(r.seq, seq);
    }
    Ok(map)
}

fn multiset(t: &Trace) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in &t.records {
        *m.entry(r.hash.clone()).or_default() += 1;
    }
    m
}

fn compare(name: &str, reference: &Outcome, wfc: &Outcome, exact_timing: bool) -> Vec<String> {
    let mut problems = Vec::new();
    if reference.code != wfc.code || reference.stdout != wfc.stdout {
        problems.push(format!(
            "{name}: results differ\n--- reference ---\n{}\n--- wfc ---\n{}",
            reference.shown, wfc.shown
        ));
        return problems;
    }
    if multiset(&reference.trace) != multiset(&wfc.trace) {
        problems.push(format!(
            "{name}: the agent calls differ: reference {} calls, wfc {}",
            reference.trace.records.len(),
            wfc.trace.records.len()
        ));
        return problems;
    }
    let map = match match_calls(&reference.trace, &wfc.trace) {
        Ok(m) => m,
        Err(e) => {
            problems.push(format!("{name}: {e}"));
            return problems;
        }
    };
    let wfc_by_seq: HashMap<u32, &Rec> = wfc.trace.records.iter().map(|r| (r.seq, r)).collect();
    let ref_by_seq: HashMap<u32, &Rec> =
        reference.trace.records.iter().map(|r| (r.seq, r)).collect();
    for r in &reference.trace.records {
        let w = wfc_by_seq[&map[&r.seq]];
        if r.site != "?" && r.site != w.site {
            problems.push(format!(
                "{name}: call {} is at {} in the reference, {} in wfc",
                r.seq, r.site, w.site
            ));
        }
        // Every agent the reference had completed when this call was made had completed in wfc
        // too: wfc never calls an agent before its inputs exist.
        for d in &r.deps {
            let wd = wfc_by_seq[&map[d]];
            match (wd.end_ms, w.call_ms) {
                (Some(end), Some(call)) if end <= call => {}
                _ if !exact_timing => {}
                _ => problems.push(format!(
                    "{name}: reference call {} follows {}'s completion, wfc's does not",
                    r.seq, d
                )),
            }
        }
        // wfc's observed dependencies are real: each completed before the call in the reference.
        let inverse: HashMap<u32, u32> = map.iter().map(|(a, b)| (*b, *a)).collect();
        for d in &w.deps {
            let rd = inverse[d];
            if !r.deps.contains(&rd) {
                problems.push(format!(
                    "{name}: wfc records call {} depending on {}, which had not completed in the reference",
                    r.seq, rd
                ));
            }
        }
        if exact_timing {
            let _ = ref_by_seq;
            if (r.start_ms, r.end_ms) != (w.start_ms, w.end_ms) {
                problems.push(format!(
                    "{name}: call {} ran {:?}–{:?} in the reference, {:?}–{:?} in wfc",
                    r.seq, r.start_ms, r.end_ms, w.start_ms, w.end_ms
                ));
            }
        }
    }
    if exact_timing && reference.trace.makespan != wfc.trace.makespan {
        problems.push(format!(
            "{name}: makespan {} in the reference, {} in wfc",
            reference.trace.makespan, wfc.trace.makespan
        ));
    }
    problems
}

fn differential(extra: &[&str], exact_timing: bool, tag: &str) {
    if !node_available() {
        eprintln!("node is not installed: skipping the differential test");
        return;
    }
    let args = fixture_args();
    let mut problems = Vec::new();
    let files = fixtures("valid");
    assert!(files.len() >= 20, "expected the valid fixtures");
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let a = args
            .get(&name)
            .unwrap_or_else(|| panic!("{name} has no entry in fixture-args.json"));
        let tag = format!("{tag}-{name}");
        let Some(reference) = run_node(&file, a, &extra_node(extra), &tag) else {
            return;
        };
        let wfc = run_wfc(&file, a, extra, &tag);
        problems.extend(compare(&name, &reference, &wfc, exact_timing));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The reference runtime knows `--concurrency` but not `--schedule`.
fn extra_node<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut it = extra.iter();
    while let Some(a) = it.next() {
        if *a == "--schedule" {
            it.next();
        } else {
            out.push(*a);
        }
    }
    out
}

#[test]
fn fifo_runs_match_the_reference_exactly() {
    differential(&["--schedule", "fifo"], true, "fifo");
}

#[test]
fn fifo_runs_match_the_reference_at_concurrency_2() {
    differential(&["--schedule", "fifo", "--concurrency", "2"], true, "fifo2");
}

#[test]
fn priority_runs_give_the_reference_results() {
    differential(&[], false, "prio");
}

/// `workflow()` children, by name, by `scriptPath` and namespaced; a missing child; nesting
/// refused inside a child; the child's agents in the parent's trace and cap.
#[test]
fn child_workflows_match_the_reference() {
    if !node_available() {
        return;
    }
    let parent = repo_root().join("tests/run_children/parent.js");
    let args = serde_json::json!({});
    let mut problems = Vec::new();
    for (extra, exact) in [(&["--schedule", "fifo"][..], true), (&[][..], false)] {
        let tag = format!("children-{exact}");
        let reference = run_node(&parent, &args, &extra_node(extra), &tag).expect("node runs");
        let wfc = run_wfc(&parent, &args, extra, &tag);
        assert_eq!(wfc.trace.records.len(), 5, "{}", wfc.shown);
        problems.extend(compare("children", &reference, &wfc, exact));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
