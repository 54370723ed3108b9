//! The scheduler's priority order against FIFO (the JavaScript runtime's order), on the simulated
//! clock (deterministic, so these are exact comparisons, not timing assertions): on every valid
//! fixture and at several concurrencies the priority order is never slower, and on a fixture
//! with a long dependent chain beside a cheap fan-out it is faster.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fixture_args, fixtures, repo_root, show};

fn makespan(file: &Path, args: &serde_json::Value, schedule: &str, concurrency: usize) -> u64 {
    let trace = std::env::temp_dir().join(format!(
        "wfc-sched-{}-{}-{schedule}-{concurrency}.jsonl",
        std::process::id(),
        file.file_stem().and_then(|s| s.to_str()).unwrap_or("x")
    ));
    let out = Command::new(env!("CARGO_BIN_EXE_wfc"))
        .arg("run")
        .arg(file)
        .args(["--no-journal", "--schedule", schedule])
        .args(["--concurrency", &concurrency.to_string()])
        .arg("--args")
        .arg(args.to_string())
        .arg("--trace")
        .arg(&trace)
        .output()
        .expect("run wfc");
    assert!(out.status.success(), "{}", show(&out));
    let text = std::fs::read_to_string(&trace).expect("trace");
    let _ = std::fs::remove_file(&trace);
    let last = text.lines().last().expect("summary line");
    let v: serde_json::Value = serde_json::from_str(last).expect("JSON");
    v["makespan_ms"].as_u64().expect("makespan")
}

#[test]
fn priority_order_is_never_slower_than_fifo() {
    let args = fixture_args();
    for file in fixtures("valid") {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let a = &args[name];
        for concurrency in [2, 4, 16] {
            let fifo = makespan(&file, a, "fifo", concurrency);
            let prio = makespan(&file, a, "priority", concurrency);
            assert!(
                prio <= fifo,
                "{name} at concurrency {concurrency}: priority {prio} ms, FIFO {fifo} ms"
            );
        }
    }
}

#[test]
fn a_long_chain_starts_first_under_priority_order() {
    let file = repo_root().join("fixtures/valid/critical-chain.js");
    let a = serde_json::json!({});
    for concurrency in [2, 4] {
        let fifo = makespan(&file, &a, "fifo", concurrency);
        let prio = makespan(&file, &a, "priority", concurrency);
        assert!(
            prio < fifo,
            "at concurrency {concurrency}: priority {prio} ms, FIFO {fifo} ms"
        );
    }
}
