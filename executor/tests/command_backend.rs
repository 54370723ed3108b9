//! The `command` and `claude` backends against small fake agents: executable `#!/bin/sh` scripts
//! written to a temporary directory. The scripts are the *user's* programs (which may be shell
//! scripts); the backends themselves never go through a shell.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wfc_executor::backend::claude::{ClaudeBackend, ClaudeConfig};
use wfc_executor::backend::command::{CommandBackend, CommandSpec};
use wfc_executor::backend::validate::Validated;
use wfc_executor::{AgentOutcome, AgentRequest, Backend, BackendError};

/// A fresh directory under the system's temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "wfc-command-backend-{}-{n}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the temp dir");
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes an executable script named `name` with `body` after the `#!/bin/sh` line.
    fn script(&self, name: &str, body: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write the script");
        let mut permissions = std::fs::metadata(&path).expect("stat").permissions();
        permissions.set_mode(0o755);
        std::fs::set_permissions(&path, permissions).expect("chmod");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn command(program: &Path) -> CommandBackend {
    CommandBackend::new(CommandSpec::new(program))
}

async fn run(
    backend: &impl Backend,
    prompt: &str,
    options: Value,
) -> Result<AgentOutcome, BackendError> {
    backend.run(&AgentRequest::new(prompt, options)).await
}

fn failure(result: Result<AgentOutcome, BackendError>) -> String {
    match result {
        Err(BackendError::Failed(message)) => message,
        other => panic!("expected a failed agent, got {other:?}"),
    }
}

fn count_schema() -> Value {
    json!({
        "type": "object",
        "properties": { "count": { "type": "integer" } },
        "required": ["count"]
    })
}

#[tokio::test]
async fn the_prompt_arrives_intact_on_stdin() {
    let dir = TempDir::new("echo");
    let backend = command(&dir.script("agent", "cat"));
    let prompt = "Review `src/a.js` — «naïve» 世界 🎉\n\ttabs, $HOME and 'quotes' stay as they are";
    let outcome = run(&backend, prompt, json!({})).await.expect("echoed");
    assert_eq!(outcome.answer, json!(prompt));
}

#[tokio::test]
async fn a_one_megabyte_prompt_does_not_deadlock() {
    let dir = TempDir::new("big");
    let backend = command(&dir.script("agent", "cat"));
    // Many lines, multi-byte characters, no trailing newline: the echo must be byte-exact.
    let line = "0123456789 abcdefghij ÄÖÜ λ 漢字 🎉\n";
    let mut prompt = line.repeat(1_000_000 / line.len() + 1);
    prompt.push_str("end");
    assert!(prompt.len() > 1_000_000);
    let outcome = run(&backend, &prompt, json!({})).await.expect("echoed");
    assert_eq!(outcome.answer.as_str().map(str::len), Some(prompt.len()));
    assert!(
        outcome.answer == json!(prompt),
        "the echo differs from the prompt"
    );
}

#[tokio::test]
async fn a_program_that_ignores_stdin_is_fine() {
    let dir = TempDir::new("ignore");
    let backend = command(&dir.script("agent", "echo ignored"));
    let outcome = run(&backend, &"x".repeat(2_000_000), json!({}))
        .await
        .expect("an answer");
    assert_eq!(outcome.answer, json!("ignored"));
}

#[tokio::test]
async fn options_arrive_in_the_environment() {
    let dir = TempDir::new("env");
    let program = dir.script(
        "agent",
        r#"cat > /dev/null
printf 'label=%s\n' "$WFC_AGENT_LABEL"
printf 'model=%s\n' "$WFC_AGENT_MODEL"
printf 'effort=%s\n' "$WFC_AGENT_EFFORT"
printf 'isolation=%s\n' "$WFC_AGENT_ISOLATION"
printf 'type=%s\n' "$WFC_AGENT_TYPE"
printf 'phase=%s\n' "$WFC_AGENT_PHASE"
printf 'schema=%s\n' "${WFC_AGENT_SCHEMA-unset}"
printf 'custom=%s\n' "$CUSTOM"
printf 'options=%s\n' "$WFC_AGENT_OPTIONS""#,
    );
    let backend = CommandBackend::new(
        CommandSpec::new(&program)
            .with_env("CUSTOM", "from the spec")
            // The protocol owns WFC_AGENT_*: a value from elsewhere must not leak into a call that
            // does not set it.
            .with_env("WFC_AGENT_PHASE", "leaked"),
    );
    let options = json!({
        "label": "review:a.js",
        "model": "opus",
        "effort": "low",
        "isolation": "worktree",
        "agentType": "code-reviewer",
        "extra": [1, 2],
    });
    let outcome = run(&backend, "p", options.clone())
        .await
        .expect("an answer");
    let text = outcome.answer.as_str().expect("text").to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..8],
        [
            "label=review:a.js",
            "model=opus",
            "effort=low",
            "isolation=worktree",
            "type=code-reviewer",
            "phase=",
            "schema=unset",
            "custom=from the spec",
        ]
    );
    let json_options: Value =
        serde_json::from_str(lines[8].strip_prefix("options=").expect("options line"))
            .expect("json");
    assert_eq!(json_options, options);
}

#[tokio::test]
async fn the_schema_arrives_in_the_environment() {
    let dir = TempDir::new("schema-env");
    let backend = command(&dir.script(
        "agent",
        r#"cat > /dev/null; printf '%s' "$WFC_AGENT_SCHEMA""#,
    ));
    let outcome = run(&backend, "p", json!({ "schema": count_schema() }))
        .await
        .expect("the schema, which is valid JSON");
    assert_eq!(outcome.answer, count_schema());
}

#[tokio::test]
async fn arguments_are_passed_verbatim_without_a_shell() {
    let dir = TempDir::new("args");
    let program = dir.script("agent", r#"for a in "$@"; do printf '[%s]\n' "$a"; done"#);
    let args = ["$HOME", "a b", "*", "; rm -rf /", "`id`", ""];
    let backend = CommandBackend::new(CommandSpec::new(&program).with_args(args));
    let outcome = run(&backend, "", json!({})).await.expect("an answer");
    assert_eq!(
        outcome.answer,
        json!("[$HOME]\n[a b]\n[*]\n[; rm -rf /]\n[`id`]\n[]")
    );
}

#[tokio::test]
async fn one_trailing_newline_is_trimmed() {
    let dir = TempDir::new("newline");
    for (body, expected) in [
        (r"printf 'answer\n'", "answer"),
        (r"printf 'answer\r\n'", "answer"),
        (r"printf 'answer\n\n'", "answer\n"),
        (r"printf '  answer  '", "  answer  "),
        ("true", ""),
    ] {
        let backend = command(&dir.script("agent", body));
        let outcome = run(&backend, "p", json!({})).await.expect("an answer");
        assert_eq!(outcome.answer, json!(expected), "{body}");
    }
}

#[tokio::test]
async fn stderr_never_reaches_the_answer() {
    let dir = TempDir::new("stderr");
    let backend = command(&dir.script(
        "agent",
        "echo 'progress: 50%' >&2\necho answer\necho 'progress: 100%' >&2",
    ));
    let outcome = run(&backend, "p", json!({})).await.expect("an answer");
    assert_eq!(outcome.answer, json!("answer"));
}

#[tokio::test]
async fn a_non_zero_exit_fails_with_the_status_and_stderr() {
    let dir = TempDir::new("exit3");
    let program = dir.script(
        "agent",
        "i=1; while [ $i -le 20 ]; do echo \"noise $i\" >&2; i=$((i+1)); done\n\
         echo 'error: the API said no' >&2\necho 'partial answer'\nexit 3",
    );
    let message = failure(run(&command(&program), "p", json!({})).await);
    assert!(message.contains("exited with status 3"), "{message}");
    assert!(
        message.contains(&program.display().to_string()),
        "{message}"
    );
    assert!(message.contains("error: the API said no"), "{message}");
    assert!(message.contains("noise 20"), "{message}");
    assert!(
        !message.contains("noise 1\n"),
        "only the last lines: {message}"
    );
    assert!(!message.contains("partial answer"), "{message}");
}

#[tokio::test]
async fn a_non_zero_exit_without_stderr_says_so() {
    let dir = TempDir::new("exit1");
    let message = failure(run(&command(&dir.script("agent", "exit 1")), "p", json!({})).await);
    assert!(
        message.ends_with("exited with status 1 (nothing on stderr)"),
        "{message}"
    );
}

#[tokio::test]
async fn a_crash_names_the_signal() {
    let dir = TempDir::new("kill9");
    let program = dir.script("agent", "echo 'about to crash' >&2\nkill -9 $$");
    let message = failure(run(&command(&program), "p", json!({})).await);
    assert!(
        message.contains("killed by signal 9 (SIGKILL)"),
        "{message}"
    );
    assert!(message.contains("about to crash"), "{message}");
}

#[tokio::test]
async fn a_timeout_kills_what_the_agent_started_too() {
    let dir = TempDir::new("group");
    let pid_file = dir.path("grandchild");
    // The agent starts a background tool (a grandchild of wfc) and then stalls.
    let program = dir.script(
        "agent",
        &format!(
            "sleep 30 &
echo $! > '{}'
wait",
            pid_file.display()
        ),
    );
    let backend =
        CommandBackend::new(CommandSpec::new(&program).with_timeout(Duration::from_millis(500)));
    let message = failure(run(&backend, "p", json!({})).await);
    assert!(message.contains("timed out"), "{message}");
    let Ok(pid) = std::fs::read_to_string(&pid_file) else {
        eprintln!("the agent did not write the grandchild's pid in time; not checked");
        return;
    };
    if !Path::new("/proc/self").exists() {
        return;
    }
    // The grandchild was killed with the group; its parent (the agent) is dead, so init reaps it.
    // Wait for that (a killed process can linger as a zombie for a moment) before checking.
    let entry = PathBuf::from(format!("/proc/{}", pid.trim()));
    let mut alive = true;
    for _ in 0..100 {
        let state = std::fs::read_to_string(entry.join("stat")).unwrap_or_default();
        // Gone, or a zombie (state `Z`): either way it no longer runs.
        if state.is_empty() || state.split_whitespace().nth(2) == Some("Z") {
            alive = false;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !alive,
        "the agent's background process {} still runs",
        pid.trim()
    );
}

#[tokio::test]
async fn a_stalled_agent_is_killed_at_the_timeout() {
    let dir = TempDir::new("timeout");
    let pid_file = dir.path("pid");
    // `exec` makes the sleeping process the child itself, so its pid is the one to check.
    let program = dir.script(
        "agent",
        &format!(
            "echo $$ > '{}'\necho 'waiting for the API' >&2\nexec sleep 30",
            pid_file.display()
        ),
    );
    let backend =
        CommandBackend::new(CommandSpec::new(&program).with_timeout(Duration::from_millis(300)));
    let started = Instant::now();
    let message = failure(run(&backend, "p", json!({})).await);
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(20),
        "returned after {elapsed:?}"
    );
    assert!(
        message.contains("timed out after 300ms and was killed"),
        "{message}"
    );

    // Killed and reaped: a zombie would still have a /proc entry.
    match std::fs::read_to_string(&pid_file) {
        Ok(pid) if Path::new("/proc/self").exists() => {
            let proc_entry = PathBuf::from(format!("/proc/{}", pid.trim()));
            assert!(
                !proc_entry.exists(),
                "{} still exists",
                proc_entry.display()
            );
        }
        Ok(_) => {}
        Err(e) => eprintln!("the agent did not write its pid in time ({e}); not checked"),
    }
}

#[tokio::test]
async fn a_timeout_returns_even_when_a_grandchild_holds_the_pipes() {
    let dir = TempDir::new("grandchild");
    // The shell is killed, but its `sleep` inherits stdout and stderr and keeps them open: the
    // backend must not wait for end-of-file after the timeout.
    let program = dir.script("agent", "sleep 20\necho never");
    let backend =
        CommandBackend::new(CommandSpec::new(&program).with_timeout(Duration::from_millis(300)));
    let started = Instant::now();
    let message = failure(run(&backend, "p", json!({})).await);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert!(message.contains("timed out"), "{message}");
}

#[tokio::test]
async fn a_runaway_stdout_is_cut_off() {
    let dir = TempDir::new("runaway");
    // 65 MiB, one more than the cap; `exec` so that the writer itself is the child that is killed.
    let program = dir.script(
        "agent",
        "exec dd if=/dev/zero bs=1048576 count=65 2>/dev/null",
    );
    let message = failure(run(&command(&program), "p", json!({})).await);
    assert!(
        message.contains("wrote more than 64 MiB to stdout and was killed"),
        "{message}"
    );
}

#[tokio::test]
async fn a_missing_program_fails_the_agent() {
    let message = failure(
        run(
            &command(Path::new("/nonexistent/wfc-test-agent")),
            "p",
            json!({}),
        )
        .await,
    );
    assert!(
        message.starts_with("cannot start `/nonexistent/wfc-test-agent`"),
        "{message}"
    );
    assert!(message.contains("PATH"), "{message}");

    let message = failure(
        run(
            &command(Path::new("wfc-no-such-program-on-the-path")),
            "p",
            json!({}),
        )
        .await,
    );
    assert!(message.contains("cannot start"), "{message}");
}

#[tokio::test]
async fn a_program_that_is_not_executable_fails_the_agent() {
    let dir = TempDir::new("noexec");
    let path = dir.path("agent");
    std::fs::write(&path, "#!/bin/sh\necho hi\n").expect("write");
    let message = failure(run(&command(&path), "p", json!({})).await);
    assert!(message.contains("cannot start"), "{message}");
    assert!(message.contains("executable"), "{message}");
}

#[tokio::test]
async fn options_that_are_not_an_object_are_rejected() {
    let dir = TempDir::new("badopts");
    let backend = command(&dir.script("agent", "echo hi"));
    let err = run(&backend, "p", json!("fast"))
        .await
        .expect_err("rejected");
    assert!(matches!(err, BackendError::Rejected(_)), "{err:?}");
    assert!(err.rejects());
}

#[tokio::test]
async fn conforming_json_is_the_answer() {
    let dir = TempDir::new("json");
    let backend = Validated::new(command(&dir.script(
        "agent",
        "cat > /dev/null\nprintf '  {\"count\": 3, \"note\": \"é\"}\\n\\n'",
    )));
    let outcome = run(&backend, "count", json!({ "schema": count_schema() }))
        .await
        .expect("valid");
    assert_eq!(outcome.answer, json!({ "count": 3, "note": "é" }));
}

#[tokio::test]
async fn output_that_is_not_json_is_retried_five_times_then_throws() {
    let dir = TempDir::new("notjson");
    let counter = dir.path("attempts");
    let program = dir.script(
        "agent",
        "cat > /dev/null\necho attempt >> \"$COUNTER\"\necho 'Sure! The count is 3.'",
    );
    let backend = Validated::new(CommandBackend::new(
        CommandSpec::new(&program).with_env("COUNTER", counter.display().to_string()),
    ));
    let err = run(&backend, "count", json!({ "schema": count_schema() }))
        .await
        .expect_err("never JSON");
    let attempts = std::fs::read_to_string(&counter).expect("the counter file");
    assert_eq!(attempts.lines().count(), 5);
    let BackendError::SchemaMismatch { attempts, last } = &err else {
        panic!("expected SchemaMismatch, got {err:?}");
    };
    assert_eq!(*attempts, 5);
    assert!(last.starts_with("output is not JSON"), "{last}");
    assert!(last.contains("Sure! The count is 3."), "{last}");
    assert!(err.rejects());
    assert!(
        err.to_string().starts_with(
            "agent(): structured output failed validation after 5 attempts: output is not JSON"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn json_that_fails_the_schema_is_retried_until_it_passes() {
    let dir = TempDir::new("mismatch");
    let counter = dir.path("attempts");
    // Attempts 1 and 2 answer with a string count, attempt 3 with an integer.
    let program = dir.script(
        "agent",
        "cat > /dev/null\necho attempt >> \"$COUNTER\"\n\
         if [ \"$(wc -l < \"$COUNTER\")\" -lt 3 ]; then echo '{\"count\": \"three\"}'; \
         else echo '{\"count\": 3}'; fi",
    );
    let backend = Validated::new(CommandBackend::new(
        CommandSpec::new(&program).with_env("COUNTER", counter.display().to_string()),
    ));
    let outcome = run(&backend, "count", json!({ "schema": count_schema() }))
        .await
        .expect("valid on the third attempt");
    assert_eq!(outcome.answer, json!({ "count": 3 }));
    let attempts = std::fs::read_to_string(&counter).expect("the counter file");
    assert_eq!(attempts.lines().count(), 3);
}

#[tokio::test]
async fn a_failed_attempt_is_not_retried() {
    let dir = TempDir::new("failnoretry");
    let counter = dir.path("attempts");
    let program = dir.script("agent", "echo attempt >> \"$COUNTER\"\nexit 2");
    let backend = Validated::new(CommandBackend::new(
        CommandSpec::new(&program).with_env("COUNTER", counter.display().to_string()),
    ));
    let message = failure(run(&backend, "count", json!({ "schema": count_schema() })).await);
    assert!(message.contains("exited with status 2"), "{message}");
    let attempts = std::fs::read_to_string(&counter).expect("the counter file");
    assert_eq!(attempts.lines().count(), 1);
}

/// A fake `claude` that records its arguments and stdin, then prints `envelope` and exits with
/// `status`.
fn fake_claude(dir: &TempDir, envelope: &str, status: i32) -> PathBuf {
    let args = dir.path("args");
    let stdin = dir.path("stdin");
    let body = format!(
        "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{}'\ncat > '{}'\ncat <<'EOF'\n{envelope}\nEOF\nexit {status}",
        args.display(),
        stdin.display()
    );
    dir.script("claude", &body)
}

fn claude(program: PathBuf) -> Validated<ClaudeBackend> {
    Validated::new(ClaudeBackend::new(ClaudeConfig {
        program,
        extra_args: vec!["--permission-mode".into(), "acceptEdits".into()],
        timeout: Duration::from_secs(60),
        env: Vec::new(),
    }))
}

#[tokio::test]
async fn claude_text_answers() {
    let dir = TempDir::new("claude-text");
    let program = fake_claude(
        &dir,
        r#"{"type":"result","subtype":"success","is_error":false,"duration_ms":1200,"result":"The answer is 42.","session_id":"s","total_cost_usd":0.01}"#,
        0,
    );
    let outcome = run(
        &claude(program),
        "What is the answer?",
        json!({ "model": "haiku", "label": "q" }),
    )
    .await
    .expect("an answer");
    assert_eq!(outcome.answer, json!("The answer is 42."));
    let args = std::fs::read_to_string(dir.path("args")).expect("args");
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "-p",
            "--output-format",
            "json",
            "--permission-mode",
            "acceptEdits",
            "--model",
            "haiku"
        ]
    );
    let stdin = std::fs::read_to_string(dir.path("stdin")).expect("stdin");
    assert_eq!(stdin, "What is the answer?");
}

#[tokio::test]
async fn claude_structured_answers() {
    let dir = TempDir::new("claude-structured");
    let program = fake_claude(
        &dir,
        r#"{"type":"result","subtype":"success","is_error":false,"result":"Done.","structured_output":{"count":7}}"#,
        0,
    );
    let outcome = run(
        &claude(program),
        "count",
        json!({ "schema": count_schema() }),
    )
    .await
    .expect("an object");
    assert_eq!(outcome.answer, json!({ "count": 7 }));
    let args = std::fs::read_to_string(dir.path("args")).expect("args");
    let lines: Vec<&str> = args.lines().collect();
    let at = lines
        .iter()
        .position(|a| *a == "--json-schema")
        .expect("--json-schema");
    let schema: Value = serde_json::from_str(lines[at + 1]).expect("the schema as JSON");
    assert_eq!(schema, count_schema());
}

#[tokio::test]
async fn claude_structured_output_that_fails_the_schema_throws() {
    let dir = TempDir::new("claude-mismatch");
    let program = fake_claude(
        &dir,
        r#"{"type":"result","subtype":"success","is_error":false,"result":"","structured_output":{"count":"many"}}"#,
        0,
    );
    let err = run(
        &claude(program),
        "count",
        json!({ "schema": count_schema() }),
    )
    .await
    .expect_err("never valid");
    assert!(
        matches!(&err, BackendError::SchemaMismatch { attempts: 5, last } if last.contains("/count")),
        "{err:?}"
    );
}

#[tokio::test]
async fn claude_error_envelopes_fail_the_agent() {
    let dir = TempDir::new("claude-error");
    let program = fake_claude(
        &dir,
        r#"{"type":"result","subtype":"error_during_execution","is_error":true,"result":"API Error: 529 overloaded"}"#,
        1,
    );
    let message = failure(run(&claude(program), "p", json!({})).await);
    assert_eq!(
        message,
        "Claude Code reported an error (error_during_execution): API Error: 529 overloaded"
    );
}

#[tokio::test]
async fn claude_without_an_envelope_fails_the_agent() {
    let dir = TempDir::new("claude-garbage");
    let program = dir.script("claude", "echo 'error: unknown option --agent' >&2\nexit 1");
    let message = failure(run(&claude(program), "p", json!({ "agentType": "x" })).await);
    assert!(message.contains("exited with status 1"), "{message}");
    assert!(message.contains("unknown option --agent"), "{message}");

    let dir = TempDir::new("claude-garbage-ok");
    let program = dir.script("claude", "cat > /dev/null\necho 'Hello, I am not JSON'");
    let message = failure(run(&claude(program), "p", json!({})).await);
    assert!(message.contains("printed no result envelope"), "{message}");
}
