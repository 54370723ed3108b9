//! Durable runs end to end: journaled `wfc run`, `wfc resume`, `wfc runs`, and the crash test —
//! a sim run killed with SIGKILL at random points (20 trials), then resumed. After each resume:
//! the result equals an uninterrupted run's, no call whose result the journal held ran again,
//! and the database passes `PRAGMA integrity_check`.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{code, repo_root, show, stdout};
use wfc_executor::journal::{CallStatus, Journal};

/// A run long enough to kill in the middle: 60 agents, sequential and fanned out, so completions
/// (each one a synced journal write) arrive one by one.
const SCRIPT: &str = r#"export const meta = { name: 'crash-test', description: 'sequential and fanned-out agents' };
const seen = [];
for (let i = 0; i < 20; i++) {
  seen.push(await agent(`step ${i}`, { label: `step-${i}` }));
}
const fan = await parallel(Array.from({ length: 30 }, (_, i) => () => agent(`fan ${i % 10}`, { label: `fan-${i}` })));
const tail = await pipeline(seen.slice(0, 10), s => agent(`check ${s}`));
return { seen: seen.length, fan, tail };
"#;

fn temp_dir(name: &str) -> common::TempDir {
    common::temp_dir("resume", name)
}

fn wfc(dir: &Path, args: &[&str]) -> std::process::Output {
    common::wfc_in(dir, args)
}

fn only_run_id(dir: &Path) -> Option<String> {
    let out = wfc(dir, &["runs", "list"]);
    stdout(&out)
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().next())
        .map(str::to_string)
}

/// Content key → how many calls the script makes with it.
fn occurrences(dir: &Path, run: &str) -> HashMap<String, usize> {
    let journal = Journal::open(&dir.join(".wfc")).expect("journal");
    let id = journal.resolve_run_id(run).expect("run id");
    let mut m = HashMap::new();
    for c in journal.list_calls(&id).expect("calls") {
        if c.status == CallStatus::Completed {
            *m.entry(c.content_key.as_str().to_string()).or_default() += 1;
        }
    }
    m
}

#[test]
fn a_journaled_run_resumes_from_its_cache() {
    let dir = temp_dir("basic");
    std::fs::write(dir.join("w.js"), SCRIPT).expect("script");
    let first = wfc(&dir, &["run", "w.js"]);
    assert_eq!(code(&first), 0, "{}", show(&first));
    let id = only_run_id(&dir).expect("the run is listed");
    let again = wfc(&dir, &["resume", &id]);
    assert_eq!(code(&again), 0, "{}", show(&again));
    assert_eq!(stdout(&first), stdout(&again));
    assert!(
        show(&again).contains("60 reused from the journal, 0 run"),
        "{}",
        show(&again)
    );
    let shown = wfc(&dir, &["runs", "show", &id[..8]]);
    let text = stdout(&shown);
    assert!(text.contains("status:      succeeded"), "{text}");
    assert!(text.contains("attempts:    2"), "{text}");
    assert!(text.contains("60 reused from the journal"), "{text}");
    // --no-cache runs everything again.
    let forced = wfc(&dir, &["resume", &id, "--no-cache"]);
    assert!(
        show(&forced).contains("0 reused from the journal, 60 run"),
        "{}",
        show(&forced)
    );
}

#[test]
fn an_edited_prompt_runs_again_and_the_rest_is_reused() {
    let dir = temp_dir("edited");
    std::fs::write(dir.join("w.js"), SCRIPT).expect("script");
    let first = wfc(&dir, &["run", "w.js"]);
    assert_eq!(code(&first), 0, "{}", show(&first));
    let id = only_run_id(&dir).expect("run");
    // Change one fan-out prompt: content addressing reuses everything else, whatever the order.
    let edited = SCRIPT.replace("`fan ${i % 10}`", "`fan ${i % 10} (edited)`");
    std::fs::write(dir.join("w.js"), edited).expect("script");
    let again = wfc(&dir, &["resume", &id]);
    assert_eq!(code(&again), 0, "{}", show(&again));
    assert!(
        show(&again).contains("30 reused from the journal, 30 run"),
        "{}",
        show(&again)
    );
}

#[test]
fn killed_runs_resume_without_rerunning_finished_agents() {
    let base = temp_dir("crash");
    std::fs::write(base.join("w.js"), SCRIPT).expect("script");
    let reference = wfc(&base, &["run", "w.js"]);
    assert_eq!(code(&reference), 0, "{}", show(&reference));
    let reference_id = only_run_id(&base).expect("run");
    let expected = occurrences(&base, &reference_id);
    let total: usize = expected.values().sum();
    assert_eq!(total, 60);

    let mut interrupted = 0;
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for trial in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Kill after the k-th completion event (0: as soon as the process has started).
        let k = (seed % total as u64) as usize;
        let dir = temp_dir(&format!("crash-{trial}"));
        std::fs::write(dir.join("w.js"), SCRIPT).expect("script");
        let mut child = Command::new(env!("CARGO_BIN_EXE_wfc"))
            .current_dir(&dir)
            .args(["run", "w.js", "--events", "jsonl"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn wfc");
        let stderr = child.stderr.take().expect("stderr");
        let mut completed = 0;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if completed >= k {
                break;
            }
            if line.contains("\"event\":\"completed\"") {
                completed += 1;
            }
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();

        let Some(id) = only_run_id(&dir) else {
            // Killed before the run was recorded: nothing to resume, nothing to check.
            continue;
        };
        let before = occurrences(&dir, &id);
        let done_before: usize = before.values().sum();
        if done_before < total {
            interrupted += 1;
        }
        let resumed = wfc(&dir, &["resume", &id]);
        assert_eq!(code(&resumed), 0, "trial {trial}: {}", show(&resumed));
        assert_eq!(
            stdout(&resumed),
            stdout(&reference),
            "trial {trial}: the resumed result differs"
        );
        // Every call completed exactly once over both attempts: nothing finished ran again.
        let after = occurrences(&dir, &id);
        assert_eq!(
            after, expected,
            "trial {trial} (killed after {k} completions)"
        );
        let journal = Journal::open(&dir.join(".wfc")).expect("journal");
        assert_eq!(
            journal.integrity_check().expect("check"),
            "ok",
            "trial {trial}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    eprintln!("{interrupted} of 20 trials were killed mid-run");
    assert!(interrupted > 0, "no trial interrupted the run");
    let _ = repo_root();
}
