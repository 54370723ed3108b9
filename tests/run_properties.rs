//! Property tests of the executor on random workloads: random scripts (fan-outs, pipelines,
//! sequential loops, `Promise.all`, nesting) run with random concurrency, caps and schedules.
//! Whatever the workload: no more than `concurrency` agents ever run at once, the cap is exact
//! (exactly `cap` calls are accepted when the script asks for more, and every further call is
//! refused with the runtime's message), and both schedules give the same result.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use wfc_executor::run::{self, Clock, NoChildren, RunEvent, RunOptions, Schedule, ScriptSource};
use wfc_executor::SimBackend;

use common::Rng;

/// A random workload, as script text, and how many `agent()` calls it makes.
fn workload(rng: &mut Rng) -> (String, u64) {
    let mut body = String::new();
    let mut calls = 0;
    let steps = 1 + rng.below(4);
    for step in 0..steps {
        let n = 1 + rng.below(12);
        let model = ["haiku", "sonnet", "opus"][rng.below(3) as usize];
        match rng.below(4) {
            0 => {
                body.push_str(&format!(
                    "  out.push(await parallel(Array.from({{ length: {n} }}, (_, i) => () => agent(`p{step}-${{i}}`, {{ model: '{model}' }}))));\n"
                ));
                calls += n;
            }
            1 => {
                body.push_str(&format!(
                    "  out.push(await pipeline(Array.from({{ length: {n} }}, (_, i) => i), x => agent(`a{step}-${{x}}`), (prev, x) => agent(`b{step}-${{x}}-${{prev}}`, {{ model: '{model}' }})));\n"
                ));
                calls += 2 * n;
            }
            2 => {
                body.push_str(&format!(
                    "  for (let i = 0; i < {n}; i++) {{ try {{ out.push(await agent(`s{step}-${{i}}`)); }} catch (e) {{ out.push(String(e.message)); }} }}\n"
                ));
                calls += n;
            }
            _ => {
                body.push_str(&format!(
                    "  out.push(await Promise.all(Array.from({{ length: {n} }}, (_, i) => agent(`all{step}-${{i}}`).catch(e => e.message))));\n"
                ));
                calls += n;
            }
        }
    }
    let script = format!(
        "export const meta = {{ name: 'random', description: 'a random workload' }};\nconst out = [];\ntry {{\n{body}}} catch (e) {{ out.push(String(e.message)); }}\nreturn out;\n"
    );
    (script, calls)
}

struct Observed {
    result: Result<String, String>,
    intervals: Vec<(u64, u64)>,
    accepted: usize,
    refused_by_cap: usize,
}

fn execute(script: &str, concurrency: usize, cap: u32, schedule: Schedule) -> Observed {
    let out = wfc_compiler::check_bytes(script.as_bytes());
    let workflow = out.workflow.expect("the generated script compiles");
    let refused = Rc::new(RefCell::new(0usize));
    let r = refused.clone();
    let observer = Box::new(move |e: &RunEvent| {
        if let RunEvent::Refused { message, .. } = e {
            if message == run::CAP_MSG {
                *r.borrow_mut() += 1;
            }
        }
    });
    let report = run::run(
        ScriptSource {
            workflow,
            source: out.text,
            path: "random.js".into(),
        },
        None,
        Arc::new(SimBackend),
        Box::new(NoChildren),
        RunOptions {
            concurrency,
            max_agents: cap,
            schedule,
            clock: Clock::Virtual,
            ..RunOptions::default()
        },
        observer,
    );
    let intervals = report
        .agents
        .iter()
        .filter_map(|a| Some((a.start_ms?, a.end_ms?)))
        .collect();
    let refused_by_cap = *refused.borrow();
    Observed {
        result: report.result,
        intervals,
        accepted: report.agents.len(),
        refused_by_cap,
    }
}

/// The most intervals `[start, end)` that overlap at any instant.
fn max_overlap(intervals: &[(u64, u64)]) -> usize {
    let mut points: Vec<(u64, i32)> = Vec::new();
    for &(s, e) in intervals {
        points.push((s, 1));
        points.push((e, -1));
    }
    // At equal times, ends come before starts: a slot freed at t is reused at t.
    points.sort_by_key(|&(t, d)| (t, d));
    let (mut cur, mut best) = (0i32, 0i32);
    for (_, d) in points {
        cur += d;
        best = best.max(cur);
    }
    best as usize
}

#[test]
fn concurrency_is_never_exceeded_and_the_cap_is_exact() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for case in 0..60 {
        let (script, calls) = workload(&mut rng);
        let concurrency = 1 + rng.below(8) as usize;
        let cap = 1 + rng.below(calls + 5) as u32;
        for schedule in [Schedule::Fifo, Schedule::Priority] {
            let o = execute(&script, concurrency, cap, schedule);
            let ctx = format!(
                "case {case} ({schedule:?}, concurrency {concurrency}, cap {cap}, {calls} calls):\n{script}"
            );
            assert!(o.result.is_ok(), "{ctx}\nthe run failed: {:?}", o.result);
            assert!(
                max_overlap(&o.intervals) <= concurrency,
                "{ctx}\n{} agents overlapped",
                max_overlap(&o.intervals)
            );
            // A refused call inside a pipeline drops its item, so later stages are not called:
            // how many calls are attempted depends on where the cap falls. The cap is exact
            // whatever that number: never more than `cap` accepted, exactly `cap` once a call
            // was refused, and every call accepted when the cap is not reached.
            assert!(o.accepted as u64 <= u64::from(cap), "{ctx}");
            if o.refused_by_cap > 0 {
                assert_eq!(o.accepted as u64, u64::from(cap), "{ctx}");
            }
            if u64::from(cap) >= calls {
                assert_eq!((o.accepted as u64, o.refused_by_cap), (calls, 0), "{ctx}");
            } else {
                assert!(o.refused_by_cap > 0, "{ctx}: the cap was never reached");
            }
            assert_eq!(o.intervals.len(), o.accepted, "{ctx}: every agent ran");
        }
    }
}

#[test]
fn the_schedule_changes_timing_but_never_results() {
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    for case in 0..40 {
        let (script, calls) = workload(&mut rng);
        let concurrency = 1 + rng.below(6) as usize;
        let cap = 1000;
        let fifo = execute(&script, concurrency, cap, Schedule::Fifo);
        let prio = execute(&script, concurrency, cap, Schedule::Priority);
        assert_eq!(
            fifo.result, prio.result,
            "case {case} ({calls} calls)\n{script}"
        );
    }
}

#[test]
fn a_slot_is_never_idle_while_agents_wait() {
    // Work conservation: with one long agent and many short ones at concurrency 2, the short ones
    // run back to back on the other slot.
    let script = "export const meta = { name: 'w', description: 'd' };\nconst long = agent('long', { model: 'opus', effort: 'max' });\nconst short = await parallel(Array.from({ length: 6 }, (_, i) => () => agent(`short-${i}`, { model: 'haiku', effort: 'low' })));\nreturn [await long, short.length];\n";
    let o = execute(script, 2, 1000, Schedule::Fifo);
    assert!(o.result.is_ok(), "{:?}", o.result);
    let mut starts: Vec<(u64, u64)> = o.intervals.clone();
    starts.sort();
    // Every agent but the first two starts exactly when another one ends.
    let ends: Vec<u64> = o.intervals.iter().map(|i| i.1).collect();
    for (s, _) in starts.iter().skip(2) {
        assert!(
            ends.contains(s),
            "an agent started at {s} while a slot was idle"
        );
    }
}
