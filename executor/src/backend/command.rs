//! The `command` backend: every `agent()` call runs a user-supplied program.
//!
//! # Protocol
//!
//! For each call the backend starts `program` with `args`, directly, never through a shell: the
//! arguments reach the program verbatim, whatever characters the configuration holds. (The program
//! itself may well be a shell script; that is the user's choice.) Then:
//!
//! - **stdin** receives the prompt as UTF-8, followed by end-of-file. It is written concurrently
//!   with the reading of stdout and stderr, so a prompt larger than the pipe buffer cannot
//!   deadlock against a program that writes before it has read everything. A program that exits
//!   or closes stdin without reading the prompt is not an error.
//! - **environment**: the program inherits wfc's environment, plus the configured `env` pairs,
//!   plus these variables (which take precedence, and are removed when they do not apply, so a
//!   value inherited from wfc's own environment never leaks into an unrelated call):
//!
//!   | Variable | Value |
//!   |---|---|
//!   | `WFC_AGENT_OPTIONS` | the options as JSON (`{}` when there are none) |
//!   | `WFC_AGENT_SCHEMA` | the `schema` option as JSON, when present and not `null` |
//!   | `WFC_AGENT_LABEL` | the `label` option, when it is a string |
//!   | `WFC_AGENT_MODEL` | the `model` option, when it is a string |
//!   | `WFC_AGENT_EFFORT` | the `effort` option, when it is a string |
//!   | `WFC_AGENT_ISOLATION` | the `isolation` option, when it is a string |
//!   | `WFC_AGENT_TYPE` | the `agentType` option, when it is a string |
//!   | `WFC_AGENT_PHASE` | the `phase` option, when it is a string |
//!
//! - **stdout** is the answer. Without a schema it is the text, with one trailing `\n` (or `\r\n`)
//!   removed; bytes that are not UTF-8 become U+FFFD, as a JavaScript runtime would decode them.
//!   With a schema, stdout (trimmed of surrounding whitespace) must be a JSON document; the
//!   backend returns the parsed value and leaves the schema check to
//!   [`Validated`](super::validate::Validated). Output that is not JSON at all is reported as
//!   [`BackendError::InvalidOutput`], which `Validated` retries like an answer that fails the
//!   schema. Stdout is capped at [`MAX_STDOUT_BYTES`]; a program that writes more is killed and the
//!   agent fails.
//! - **stderr** is captured, never mixed into the answer; the last [`STDERR_TAIL_BYTES`] are kept
//!   for error messages.
//! - **exit status**: 0 means the answer stands. Anything else is a failed agent
//!   ([`BackendError::Failed`], the script sees `null`): a non-zero status (the message quotes the
//!   last lines of stderr), death by a signal (the message names it), a program that cannot be
//!   started (not found, not executable), and a run longer than the timeout.
//! - **timeout**: [`DEFAULT_TIMEOUT`] (30 minutes) unless configured. It covers the whole call:
//!   the program's exit *and* the end of its output. When it expires the child is killed
//!   (`SIGKILL`) and reaped, so no zombie is left. Only the child itself is killed: descendants
//!   it started and did not stop are not (see `docs/backends.md`).
//! - **duration**: the wall time from spawn to the end of the call.
//!
//! `docs/backends.md` has the same protocol for users.

use std::io;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, Command};

use super::sim::SimError;
use super::validate::{schema_of, truncate};
use super::{AgentOutcome, AgentRequest, Backend, BackendError, BackendFuture};

/// The default per-agent timeout: 30 minutes. (Upstream has none, and stalled agents hang for
/// hours.)
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// How much of the end of stderr is kept for error messages.
pub const STDERR_TAIL_BYTES: usize = 64 * 1024;
/// The most a program may write to stdout (64 MiB): the answer is held in memory, so a runaway
/// program must not be able to exhaust it.
pub const MAX_STDOUT_BYTES: usize = 64 * 1024 * 1024;

/// How many lines of stderr an error message quotes.
const STDERR_LINES_QUOTED: usize = 5;
/// How many characters of stderr an error message quotes at most.
const STDERR_CHARS_QUOTED: usize = 500;

/// The protocol's per-option environment variables and the option each one carries.
const OPTION_VARIABLES: [(&str, &str); 6] = [
    ("WFC_AGENT_LABEL", "label"),
    ("WFC_AGENT_MODEL", "model"),
    ("WFC_AGENT_EFFORT", "effort"),
    ("WFC_AGENT_ISOLATION", "isolation"),
    ("WFC_AGENT_TYPE", "agentType"),
    ("WFC_AGENT_PHASE", "phase"),
];

/// How to run the agent program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSpec {
    /// The program: a path, or a name looked up on the `PATH`.
    pub program: PathBuf,
    /// Its arguments, passed verbatim (no shell).
    pub args: Vec<String>,
    /// How long one agent may run before it is killed and counts as failed.
    pub timeout: Duration,
    /// Extra environment variables for the program (the protocol's `WFC_AGENT_*` variables take
    /// precedence over these).
    pub env: Vec<(String, String)>,
}

impl CommandSpec {
    /// Runs `program` without arguments, with the default timeout.
    pub fn new(program: impl Into<PathBuf>) -> Self {
        CommandSpec {
            program: program.into(),
            args: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            env: Vec::new(),
        }
    }

    /// Replaces the arguments.
    pub fn with_args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the per-agent timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Adds an environment variable.
    pub fn with_env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The program as error messages name it.
    fn display_name(&self) -> String {
        self.program.display().to_string()
    }
}

/// The `command` backend: runs [`CommandSpec`]'s program once per `agent()` call (module docs).
///
/// Wrap it in [`Validated`](super::validate::Validated) so that structured answers are checked
/// against their schema and retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandBackend {
    spec: CommandSpec,
}

impl CommandBackend {
    /// A backend that runs `spec`.
    pub fn new(spec: CommandSpec) -> Self {
        CommandBackend { spec }
    }

    /// What it runs.
    pub fn spec(&self) -> &CommandSpec {
        &self.spec
    }

    async fn call(&self, request: &AgentRequest) -> Result<AgentOutcome, BackendError> {
        check_options(&request.options)?;
        let output = run_process(&self.spec, request).await?;
        if let Some(message) = output.status_failure(&self.spec.display_name()) {
            return Err(BackendError::Failed(message));
        }
        let duration_ms = output.duration_ms();
        let answer = if schema_of(&request.options).is_some() {
            structured_answer(&output.stdout).map_err(|reason| BackendError::InvalidOutput {
                reason,
                duration_ms,
            })?
        } else {
            Value::String(text_answer(&output.stdout))
        };
        Ok(AgentOutcome {
            answer,
            duration_ms,
        })
    }
}

impl Backend for CommandBackend {
    fn name(&self) -> &str {
        "command"
    }

    fn run<'a>(&'a self, request: &'a AgentRequest) -> BackendFuture<'a> {
        Box::pin(self.call(request))
    }
}

/// What a program that ran to completion produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessOutput {
    /// How it ended.
    pub status: ExitStatus,
    /// Everything it wrote to stdout.
    pub stdout: Vec<u8>,
    /// The last [`STDERR_TAIL_BYTES`] it wrote to stderr.
    pub stderr_tail: Vec<u8>,
    /// The wall time from spawn to the end of its output.
    pub duration: Duration,
}

impl ProcessOutput {
    /// [`duration`](Self::duration) in whole milliseconds.
    pub fn duration_ms(&self) -> u64 {
        u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX)
    }

    /// The last few lines of stderr, at most about 500 characters, for error messages (empty when
    /// the program wrote nothing there).
    pub fn stderr_summary(&self) -> String {
        summarize_stderr(&self.stderr_tail)
    }

    /// Why the exit status makes the agent a failure, or `None` when it exited with 0. `program`
    /// is the name the message uses.
    pub fn status_failure(&self, program: &str) -> Option<String> {
        if self.status.success() {
            return None;
        }
        let what = describe_status(self.status);
        let stderr = self.stderr_summary();
        Some(if stderr.is_empty() {
            format!("`{program}` {what} (nothing on stderr)")
        } else {
            format!("`{program}` {what}: {stderr}")
        })
    }
}

/// Runs `spec`'s program for one request: spawns it (no shell) with the protocol's environment,
/// writes the prompt to its stdin, collects stdout and the tail of stderr, and waits for it to
/// exit, all within `spec.timeout`.
///
/// Returns the output whatever the exit status (callers decide what a status means); fails with
/// [`BackendError::Failed`] when the program cannot be started, times out (it is then killed and
/// reaped), writes more than [`MAX_STDOUT_BYTES`], or its pipes fail.
pub async fn run_process(
    spec: &CommandSpec,
    request: &AgentRequest,
) -> Result<ProcessOutput, BackendError> {
    let program = spec.display_name();
    let mut command = Command::new(&spec.program);
    command
        .args(&spec.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // If the future is dropped (the run is cancelled), the child must not outlive it.
        .kill_on_drop(true);
    // The agent leads a process group of its own, so a timeout or a cancelled run can kill what
    // it started too (an agent CLI runs tools as child processes).
    #[cfg(unix)]
    command.process_group(0);
    for (key, value) in &spec.env {
        command.env(key, value);
    }
    for (key, value) in protocol_env(&request.options) {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }

    let start = Instant::now();
    let mut child = spawn(&mut command, &program).await?;
    let mut group = GroupGuard(child.id());
    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let mut stdout_buf = Vec::new();
    let mut stderr_buf = Vec::new();

    let finished = {
        // All four run concurrently in this one future: feeding stdin while draining stdout and
        // stderr is what keeps a big prompt (or a chatty program) from filling a pipe buffer and
        // deadlocking. `try_join!` stops at the first error, so an oversized stdout ends the wait.
        let work = async {
            tokio::try_join!(
                feed(stdin, request.prompt.as_bytes()),
                read_capped(stdout, &mut stdout_buf),
                read_tail(stderr, &mut stderr_buf),
                async { child.wait().await.map_err(StepError::Wait) },
            )
        };
        tokio::time::timeout(spec.timeout, work).await
    };

    match finished {
        Ok(Ok(((), (), (), status))) => {
            group.disarm();
            Ok(ProcessOutput {
                status,
                stdout: stdout_buf,
                stderr_tail: stderr_buf,
                duration: start.elapsed(),
            })
        }
        Ok(Err(step)) => {
            kill_and_reap(&mut child).await;
            // Reaped: its pid (and group id) may be reused, so the guard must not kill again.
            group.disarm();
            Err(BackendError::Failed(step.message(&program)))
        }
        Err(_elapsed) => {
            kill_and_reap(&mut child).await;
            // Reaped: its pid (and group id) may be reused, so the guard must not kill again.
            group.disarm();
            let stderr = summarize_stderr(&stderr_buf);
            let mut message = format!(
                "`{program}` timed out after {} and was killed",
                human_duration(spec.timeout)
            );
            if !stderr.is_empty() {
                message.push_str(&format!(" (stderr: {stderr})"));
            }
            Err(BackendError::Failed(message))
        }
    }
}

/// The protocol's environment for a call's options: each variable with its value, or `None` when
/// it does not apply (it is then removed from the child's environment).
pub fn protocol_env(options: &Value) -> Vec<(&'static str, Option<String>)> {
    let options_json = match options {
        Value::Null => "{}".to_string(),
        other => other.to_string(),
    };
    let mut env = vec![
        ("WFC_AGENT_OPTIONS", Some(options_json)),
        ("WFC_AGENT_SCHEMA", schema_of(options).map(Value::to_string)),
    ];
    for (variable, key) in OPTION_VARIABLES {
        let value = options.get(key).and_then(Value::as_str).map(str::to_string);
        env.push((variable, value));
    }
    env
}

/// The answer of a call without a schema: stdout as text, with one trailing `\n` or `\r\n`
/// removed (the newline `echo` and `print` add). Invalid UTF-8 becomes U+FFFD.
pub fn text_answer(stdout: &[u8]) -> String {
    let mut text = String::from_utf8_lossy(stdout).into_owned();
    if text.ends_with("\r\n") {
        text.truncate(text.len() - 2);
    } else if text.ends_with('\n') {
        text.truncate(text.len() - 1);
    }
    text
}

/// The answer of a call with a schema: stdout, trimmed, parsed as JSON. The error is the reason
/// for [`BackendError::InvalidOutput`], e.g. `output is not JSON: expected value at line 1
/// column 1; it begins "Sure! Here is"`.
pub fn structured_answer(stdout: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(stdout)
        .map_err(|e| format!("output is not JSON: it is not valid UTF-8 ({e})"))?;
    let text = text.trim();
    if text.is_empty() {
        return Err("output is not JSON: the output is empty".to_string());
    }
    serde_json::from_str(text).map_err(|e| {
        format!(
            "output is not JSON: {e}; it begins {:?}",
            truncate(text, 80)
        )
    })
}

/// A duration as people read it: `300ms`, `1.5s`, `45s`, `30m 0s`, `2h 5m 0s`.
pub fn human_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        return format!("{}ms", d.as_millis());
    }
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}h {m}m {s}s")
    } else if m > 0 {
        format!("{m}m {s}s")
    } else {
        let millis = format!("{:03}", d.subsec_millis());
        let fraction = millis.trim_end_matches('0');
        if fraction.is_empty() {
            format!("{s}s")
        } else {
            format!("{s}.{fraction}s")
        }
    }
}

/// The options must be an object or `null`, as for every backend (the `sim` backend's message).
pub(crate) fn check_options(options: &Value) -> Result<(), BackendError> {
    match options {
        Value::Null | Value::Object(_) => Ok(()),
        _ => Err(SimError::OptionsNotAnObject.into()),
    }
}

/// Spawns the command. A freshly written executable can be briefly "busy" (`ETXTBSY`) while
/// another thread's fork still holds it open for writing; that race is retried a few times
/// instead of failing the agent.
async fn spawn(command: &mut Command, program: &str) -> Result<Child, BackendError> {
    let mut delay = Duration::from_millis(10);
    for _ in 0..5 {
        match command.spawn() {
            Err(e) if e.kind() == io::ErrorKind::ExecutableFileBusy => {
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            other => return other.map_err(|e| spawn_failure(program, &e)),
        }
    }
    command.spawn().map_err(|e| spawn_failure(program, &e))
}

fn spawn_failure(program: &str, e: &io::Error) -> BackendError {
    let hint = match e.kind() {
        io::ErrorKind::NotFound => "; is it installed, and on the PATH?",
        io::ErrorKind::PermissionDenied => "; is it executable?",
        _ => "",
    };
    BackendError::Failed(format!("cannot start `{program}`: {e}{hint}"))
}

/// Kills the child (`SIGKILL`) and waits for it, so that it leaves no zombie. Errors are ignored:
/// the child may have exited on its own in the meantime.
async fn kill_and_reap(child: &mut Child) {
    if let Some(pid) = child.id() {
        kill_group(pid);
    }
    let _ = child.start_kill();
    let _ = child.wait().await;
}

/// `SIGKILL` to the process group the agent leads (its own processes and what they started).
fn kill_group(pid: u32) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// Kills the agent's process group when dropped unless disarmed: a run that settles while agents
/// are still running drops their futures, and their processes must not outlive the run.
struct GroupGuard(Option<u32>);

impl GroupGuard {
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if let Some(pid) = self.0.take() {
            kill_group(pid);
        }
    }
}

/// Why collecting a child's output failed.
#[derive(Debug)]
enum StepError {
    TooMuchOutput,
    Stdout(io::Error),
    Stderr(io::Error),
    Wait(io::Error),
}

impl StepError {
    fn message(&self, program: &str) -> String {
        match self {
            StepError::TooMuchOutput => format!(
                "`{program}` wrote more than {} MiB to stdout and was killed",
                MAX_STDOUT_BYTES / (1024 * 1024)
            ),
            StepError::Stdout(e) => format!("reading the stdout of `{program}` failed: {e}"),
            StepError::Stderr(e) => format!("reading the stderr of `{program}` failed: {e}"),
            StepError::Wait(e) => format!("waiting for `{program}` failed: {e}"),
        }
    }
}

/// Writes the prompt and closes stdin. Write errors are ignored on purpose: a program may exit or
/// close its stdin without reading the prompt (the pipe then breaks), and whether that is a
/// failure is for its exit status to say.
async fn feed(stdin: Option<ChildStdin>, input: &[u8]) -> Result<(), StepError> {
    if let Some(mut stdin) = stdin {
        let _ = stdin.write_all(input).await;
        let _ = stdin.shutdown().await;
        // Dropping the handle closes the pipe: the program sees end-of-file.
    }
    Ok(())
}

/// Reads stdout to the end, failing once it exceeds [`MAX_STDOUT_BYTES`].
async fn read_capped<R: AsyncRead + Unpin>(
    reader: Option<R>,
    buf: &mut Vec<u8>,
) -> Result<(), StepError> {
    let Some(reader) = reader else {
        return Ok(());
    };
    // One byte past the cap tells "exactly at the cap" from "over it".
    let limit = u64::try_from(MAX_STDOUT_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    reader
        .take(limit)
        .read_to_end(buf)
        .await
        .map_err(StepError::Stdout)?;
    if buf.len() > MAX_STDOUT_BYTES {
        return Err(StepError::TooMuchOutput);
    }
    Ok(())
}

/// Reads stderr to the end, keeping only its last [`STDERR_TAIL_BYTES`]. It must be drained, not
/// just sampled: a program blocked on a full stderr pipe would never exit.
async fn read_tail<R: AsyncRead + Unpin>(
    reader: Option<R>,
    buf: &mut Vec<u8>,
) -> Result<(), StepError> {
    let Some(mut reader) = reader else {
        return Ok(());
    };
    let mut chunk = vec![0u8; 8 * 1024];
    loop {
        let n = reader.read(&mut chunk).await.map_err(StepError::Stderr)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        // Trim only when twice the tail has piled up, so that trimming stays amortised O(1).
        if buf.len() > 2 * STDERR_TAIL_BYTES {
            buf.drain(..buf.len() - STDERR_TAIL_BYTES);
        }
    }
    if buf.len() > STDERR_TAIL_BYTES {
        buf.drain(..buf.len() - STDERR_TAIL_BYTES);
    }
    Ok(())
}

/// The last [`STDERR_LINES_QUOTED`] non-blank lines of `tail`, at most [`STDERR_CHARS_QUOTED`]
/// characters (the end is kept: the last words are usually the error).
fn summarize_stderr(tail: &[u8]) -> String {
    let text = String::from_utf8_lossy(tail);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty())
        .collect();
    let quoted = lines[lines.len().saturating_sub(STDERR_LINES_QUOTED)..].join("\n");
    let count = quoted.chars().count();
    if count <= STDERR_CHARS_QUOTED {
        return quoted;
    }
    let skip = count - STDERR_CHARS_QUOTED;
    let start = quoted
        .char_indices()
        .nth(skip)
        .map_or(quoted.len(), |(i, _)| i);
    format!("…{}", &quoted[start..])
}

/// "exited with status 3", "was killed by signal 9 (SIGKILL)", …
fn describe_status(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = signal_name(signal)
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let core = if status.core_dumped() {
                ", core dumped"
            } else {
                ""
            };
            return format!("was killed by signal {signal}{name}{core}");
        }
    }
    format!("ended abnormally ({status})")
}

/// The names of the signals whose numbers POSIX fixes (the others differ between systems).
#[cfg(unix)]
fn signal_name(signal: i32) -> Option<&'static str> {
    Some(match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn text_answers_lose_one_trailing_newline() {
        assert_eq!(text_answer(b"answer\n"), "answer");
        assert_eq!(text_answer(b"answer\r\n"), "answer");
        assert_eq!(text_answer(b"answer\n\n"), "answer\n");
        assert_eq!(text_answer(b"answer"), "answer");
        assert_eq!(text_answer(b""), "");
        assert_eq!(text_answer(b"\xffok\n"), "\u{fffd}ok");
    }

    #[test]
    fn structured_answers_must_be_json() {
        assert_eq!(
            structured_answer(b"  {\"a\": [1, 2]}\n").expect("json"),
            json!({ "a": [1, 2] })
        );
        assert_eq!(structured_answer(b"\"text\"").expect("json"), json!("text"));
        let err = structured_answer(b"Sure! Here is the JSON: {}").expect_err("prose");
        assert!(err.starts_with("output is not JSON: "), "{err}");
        assert!(err.contains("\"Sure! Here is"), "{err}");
        assert_eq!(
            structured_answer(b" \n").expect_err("empty"),
            "output is not JSON: the output is empty"
        );
        assert!(structured_answer(b"\xff")
            .expect_err("bytes")
            .contains("UTF-8"));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(Duration::from_millis(300)), "300ms");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(human_duration(Duration::from_secs(45)), "45s");
        assert_eq!(human_duration(DEFAULT_TIMEOUT), "30m 0s");
        assert_eq!(
            human_duration(Duration::from_secs(2 * 3600 + 300)),
            "2h 5m 0s"
        );
    }

    #[test]
    fn the_protocol_environment_follows_the_options() {
        let env = protocol_env(&json!({
            "label": "review:a.js",
            "model": "opus",
            "effort": 3,
            "schema": { "type": "object" },
            "agentType": "code-reviewer"
        }));
        let get = |k: &str| {
            env.iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.clone())
                .expect("every variable is listed")
        };
        assert_eq!(get("WFC_AGENT_LABEL").as_deref(), Some("review:a.js"));
        assert_eq!(get("WFC_AGENT_MODEL").as_deref(), Some("opus"));
        assert_eq!(get("WFC_AGENT_EFFORT"), None, "not a string");
        assert_eq!(get("WFC_AGENT_TYPE").as_deref(), Some("code-reviewer"));
        assert_eq!(get("WFC_AGENT_PHASE"), None);
        assert_eq!(
            get("WFC_AGENT_SCHEMA").as_deref(),
            Some(r#"{"type":"object"}"#)
        );
        let options: Value =
            serde_json::from_str(&get("WFC_AGENT_OPTIONS").expect("always set")).expect("json");
        assert_eq!(options["label"], "review:a.js");

        let env = protocol_env(&Value::Null);
        assert_eq!(env[0], ("WFC_AGENT_OPTIONS", Some("{}".to_string())));
        assert!(env[1..].iter().all(|(_, v)| v.is_none()));
    }

    #[test]
    fn stderr_summaries_keep_the_last_lines() {
        let tail: String = (1..=20).map(|i| format!("line {i}\n\n")).collect();
        assert_eq!(
            summarize_stderr(tail.as_bytes()),
            "line 16\nline 17\nline 18\nline 19\nline 20"
        );
        let long = format!("{}END", "x".repeat(2000));
        let summary = summarize_stderr(long.as_bytes());
        assert!(summary.starts_with('…') && summary.ends_with("END"));
        assert_eq!(summary.chars().count(), STDERR_CHARS_QUOTED + 1);
        assert_eq!(summarize_stderr(b""), "");
    }
}
