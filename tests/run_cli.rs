//! `wfc run` on the command line: output, exit codes, events, traces and `graph --run`,
//! approvals, a damaged journal, and how backend failures reach the script.

mod common;

use std::path::Path;

use common::{code, show, stderr, stdout};

fn temp_dir(name: &str) -> common::TempDir {
    common::temp_dir("runcli", name)
}

fn wfc(dir: &Path, args: &[&str]) -> std::process::Output {
    common::wfc_in(dir, args)
}

const SMALL: &str = "export const meta = { name: 'small', description: 'two phases' };\nphase('Find');\nconst found = await parallel([1, 2, 3].map(i => () => agent(`find ${i}`, { label: `find-${i}` })));\nphase('Judge');\nconst verdict = await agent(`judge ${found.join(',')}`, { label: 'judge', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } });\nlog(`verdict ${verdict.ok}`);\nreturn { found: found.length, verdict };\n";

#[test]
fn a_run_prints_the_result_writes_a_trace_and_draws_the_executed_dag() {
    let dir = temp_dir("trace");
    std::fs::write(dir.join("w.js"), SMALL).expect("script");
    let out = wfc(&dir, &["run", "w.js", "--no-journal", "--trace", "t.jsonl"]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    let result: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("JSON");
    assert_eq!(result["found"], 3);
    let trace = std::fs::read_to_string(dir.join("t.jsonl")).expect("trace");
    let lines: Vec<serde_json::Value> = trace
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSONL"))
        .collect();
    assert_eq!(lines.len(), 5, "{trace}");
    // The judge waited for the three finders: its dependencies are exactly them.
    assert_eq!(lines[3]["label"], "judge");
    assert_eq!(lines[3]["deps"], serde_json::json!([1, 2, 3]));
    assert_eq!(lines[3]["phase"], "Judge");
    assert_eq!(lines[4]["type"], "summary");
    let dot = wfc(&dir, &["graph", "--run", "t.jsonl"]);
    let text = stdout(&dot);
    assert_eq!(code(&dot), 0, "{}", show(&dot));
    for edge in ["a1 -> a4", "a2 -> a4", "a3 -> a4"] {
        assert!(text.contains(edge), "{text}");
    }
    assert!(text.contains("label=\"Judge\""), "{text}");
    let mermaid = wfc(&dir, &["graph", "--run", "t.jsonl", "--format", "mermaid"]);
    assert!(stdout(&mermaid).contains("a1 --> a4"), "{}", show(&mermaid));
}

#[test]
fn events_are_json_lines_on_stderr() {
    let dir = temp_dir("events");
    std::fs::write(dir.join("w.js"), SMALL).expect("script");
    let out = wfc(&dir, &["run", "w.js", "--no-journal", "--events", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    let events: Vec<serde_json::Value> = stderr(&out)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "queued").count(), 4);
    assert_eq!(kinds.iter().filter(|k| **k == "completed").count(), 4);
    assert!(kinds.contains(&"log"));
    assert_eq!(kinds.last(), Some(&"finished"));
}

#[test]
fn a_script_that_throws_fails_with_its_message() {
    let dir = temp_dir("throws");
    let script = "export const meta = { name: 't', description: 'd' };\nconst r = await agent('x');\nthrow new Error(`boom after ${typeof r}`);\n";
    std::fs::write(dir.join("w.js"), script).expect("script");
    let out = wfc(&dir, &["run", "w.js", "--no-journal"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).ends_with("error: boom after string\n"),
        "{}",
        show(&out)
    );
}

#[test]
fn the_cap_and_the_budget_throw_as_the_runtime_does() {
    let dir = temp_dir("cap");
    let script = "export const meta = { name: 'cap', description: 'd' };\nconst r = await parallel(Array.from({ length: 5 }, (_, i) => () => agent(`t${i}`)));\nlet msg = null;\ntry { await agent('one more'); } catch (e) { msg = e.message; }\nreturn { slots: r.map(x => x === null ? null : 'ok'), msg, total: budget.total };\n";
    std::fs::write(dir.join("w.js"), script).expect("script");
    let out = wfc(&dir, &["run", "w.js", "--no-journal", "--max-agents", "3"]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    assert_eq!(
        stdout(&out).trim(),
        r#"{"slots":["ok","ok","ok",null,null],"msg":"Workflow agent() call cap reached","total":null}"#
    );
    let out = wfc(&dir, &["run", "w.js", "--no-journal", "--budget", "10"]);
    assert!(
        stdout(&out).contains("Workflow token budget exhausted: spent"),
        "{}",
        show(&out)
    );
}

#[test]
fn require_approval_refuses_a_changed_prompt_but_not_a_reformatted_script() {
    let dir = temp_dir("approval");
    std::fs::write(dir.join("w.js"), SMALL).expect("script");
    let approve = wfc(&dir, &["approve", "w.js"]);
    assert_eq!(code(&approve), 0, "{}", show(&approve));
    let ok = wfc(&dir, &["run", "w.js", "--no-journal", "--require-approval"]);
    assert_eq!(code(&ok), 0, "{}", show(&ok));
    // Comments, indentation and quotes do not change the plan.
    let reformatted = format!(
        "// reviewed\n{}",
        SMALL.replace("phase('Find');", "phase(\"Find\");   // first")
    );
    std::fs::write(dir.join("w.js"), reformatted).expect("script");
    let ok = wfc(&dir, &["run", "w.js", "--no-journal", "--require-approval"]);
    assert_eq!(code(&ok), 0, "{}", show(&ok));
    // A changed prompt is refused before any agent runs, and the message says what changed.
    std::fs::write(
        dir.join("w.js"),
        SMALL.replace("judge ${", "judge strictly ${"),
    )
    .expect("script");
    let refused = wfc(&dir, &["run", "w.js", "--no-journal", "--require-approval"]);
    assert_eq!(code(&refused), 1, "{}", show(&refused));
    assert_eq!(stdout(&refused), "");
    assert!(stderr(&refused).contains("judge"), "{}", show(&refused));
}

#[test]
fn a_damaged_journal_is_a_clear_error_and_is_left_untouched() {
    let dir = temp_dir("corrupt");
    std::fs::write(dir.join("w.js"), SMALL).expect("script");
    std::fs::create_dir_all(dir.join(".wfc")).expect("state dir");
    let garbage = b"this is not a database, but someone's notes\n".repeat(100);
    std::fs::write(dir.join(".wfc/runs.db"), &garbage).expect("garbage");
    let out = wfc(&dir, &["run", "w.js"]);
    assert_eq!(code(&out), 2, "{}", show(&out));
    assert!(stderr(&out).contains("runs.db"), "{}", show(&out));
    assert_eq!(stdout(&out), "", "no agent ran");
    assert_eq!(
        std::fs::read(dir.join(".wfc/runs.db")).expect("file"),
        garbage
    );
}

/// A fake agent program: its behaviour is chosen by the prompt.
const FAKE_AGENT: &str = r#"#!/bin/sh
prompt=$(cat)
case "$prompt" in
  crash*) kill -9 $$ ;;
  hang*) sleep 30 ;;
  notjson*) echo "sure, here you go" ;;
  mismatch*) echo '{"ok": "yes"}' ;;
  good*) echo '{"ok": true}' ;;
  *) echo "text for $prompt" ;;
esac
"#;

#[cfg(unix)]
#[test]
fn backend_failures_end_as_the_semantics_say_with_messages_in_the_events() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("failures");
    let agent = dir.join("agent.sh");
    std::fs::write(&agent, FAKE_AGENT).expect("agent");
    std::fs::set_permissions(&agent, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let script = r#"export const meta = { name: 'failures', description: 'every way an agent can fail' };
const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
const outcome = async (p, opts) => {
  try { return { value: await agent(p, opts) }; } catch (e) { return { threw: e.message }; }
};
return {
  text: await outcome('plain'),
  good: await outcome('good', { schema }),
  crash: await outcome('crash'),
  hang: await outcome('hang'),
  notjson: await outcome('notjson', { schema }),
  mismatch: await outcome('mismatch', { schema }),
};
"#;
    std::fs::write(dir.join("w.js"), script).expect("script");
    let out = wfc(
        &dir,
        &[
            "run",
            "w.js",
            "--no-journal",
            "--backend",
            "command",
            "--command",
            agent.to_str().expect("path"),
            "--timeout",
            "1",
            "--events",
            "jsonl",
        ],
    );
    assert_eq!(code(&out), 0, "{}", show(&out));
    let r: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("JSON");
    assert_eq!(r["text"]["value"], "text for plain");
    assert_eq!(r["good"]["value"]["ok"], true);
    // Crash and timeout: terminal failures resolve to null.
    assert_eq!(r["crash"]["value"], serde_json::Value::Null, "{r}");
    assert_eq!(r["hang"]["value"], serde_json::Value::Null, "{r}");
    // Invalid JSON and schema mismatches throw after 5 attempts, with the last failure.
    let notjson = r["notjson"]["threw"].as_str().unwrap_or_default();
    assert!(notjson.contains("after 5 attempts"), "{r}");
    let mismatch = r["mismatch"]["threw"].as_str().unwrap_or_default();
    assert!(mismatch.contains("after 5 attempts"), "{r}");
    let events = stderr(&out);
    let failed: Vec<serde_json::Value> = events
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["event"] == "failed")
        .collect();
    assert_eq!(failed.len(), 4, "{events}");
    let messages: Vec<&str> = failed
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("signal 9")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("timed out")),
        "{messages:?}"
    );
    assert_eq!(
        failed.iter().filter(|e| e["throws"] == true).count(),
        2,
        "{events}"
    );
}

#[test]
fn memory_bombs_end_in_range_errors_not_crashes() {
    // V8 makes these sparse; wfc's arrays are dense, so it refuses them instead of allocating
    // tens of gigabytes (a documented difference). The run must end normally either way.
    let dir = temp_dir("bombs");
    let script = "export const meta = { name: 'bombs', description: 'd' };\nconst out = [];\nfor (const f of [() => { const x = []; x.length = 4e9; }, () => { const x = []; x[5e8] = 1; }, () => new Array(1e9)]) {\n  try { f(); out.push('ok'); } catch (e) { out.push(e.message); }\n}\nreturn out;\n";
    std::fs::write(dir.join("w.js"), script).expect("script");
    let out = wfc(&dir, &["run", "w.js", "--no-journal"]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    assert_eq!(
        stdout(&out).trim(),
        r#"["Invalid array length","Invalid array length","Invalid array length"]"#
    );
}

#[test]
fn no_script_crashes_the_executor() {
    // Every invalid fixture, and prefixes of every valid one cut at arbitrary points, end in a
    // result or a clean failure (exit 0 or 1), never a crash or an internal error.
    let dir = temp_dir("nocrash");
    let mut scripts: Vec<(String, String)> = Vec::new();
    for f in common::fixtures("invalid") {
        let text = String::from_utf8_lossy(&std::fs::read(&f).expect("fixture")).into_owned();
        scripts.push((f.display().to_string(), text));
    }
    for f in common::fixtures("valid") {
        let text = std::fs::read_to_string(&f).expect("fixture");
        for k in 1..=4 {
            let mut cut = text.len() * k / 5;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            scripts.push((format!("{}[..{cut}]", f.display()), text[..cut].to_string()));
        }
    }
    for (name, text) in scripts {
        std::fs::write(dir.join("w.js"), &text).expect("script");
        let out = wfc(&dir, &["run", "w.js", "--no-journal", "--max-agents", "50"]);
        let c = code(&out);
        assert!(c == 0 || c == 1, "{name}: {}", show(&out));
    }
}

#[cfg(unix)]
#[test]
fn timers_fire_in_order_on_the_real_clock_too() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("timers");
    let agent = dir.join("agent.sh");
    std::fs::write(&agent, "#!/bin/sh\ncat >/dev/null\necho ok\n").expect("agent");
    std::fs::set_permissions(&agent, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let script = "export const meta = { name: 'timers', description: 'd' };\nconst order = [];\nawait Promise.all([new Promise(r => setTimeout(() => { order.push('b'); r(); }, 200)), new Promise(r => setTimeout(() => { order.push('a'); r(); }, 50))]);\nconst t = setTimeout(() => order.push('never'), 10);\nclearTimeout(t);\nreturn [order, await agent('x')];\n";
    std::fs::write(dir.join("w.js"), script).expect("script");
    let agent = agent.to_str().expect("path");
    for backend in [
        &["--backend", "sim"][..],
        &["--backend", "command", "--command", agent][..],
    ] {
        let mut args = vec!["run", "w.js", "--no-journal"];
        args.extend_from_slice(backend);
        let out = wfc(&dir, &args);
        assert_eq!(code(&out), 0, "{}", show(&out));
        assert!(stdout(&out).starts_with(r#"[["a","b"],"#), "{}", show(&out));
    }
}
