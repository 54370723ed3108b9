//! The `claude` backend: the [`command`](super::command) backend preset for the Claude Code CLI in
//! headless print mode.
//!
//! Each `agent()` call runs
//!
//! ```text
//! claude -p --output-format json [extra_args…] [--model M] [--effort E] [--agent T]
//!        [--json-schema S] [--worktree]
//! ```
//!
//! with the prompt on stdin (print mode reads it from there when no prompt argument is given) and
//! the `command` protocol's environment and timeout. The flags come from the call's options:
//!
//! | Option | Flag |
//! |---|---|
//! | `model` (string) | `--model <model>` |
//! | `effort` (string) | `--effort <level>` |
//! | `agentType` (string) | `--agent <name>` |
//! | `schema` (not `null`) | `--json-schema <schema as JSON>` |
//! | `isolation: "worktree"` | `--worktree` |
//! | `label`, `phase` | none (display only; they reach the program as `WFC_AGENT_*`) |
//!
//! `extra_args` (the user's, e.g. `--permission-mode acceptEdits`) come before the per-call flags,
//! so that a call's `model` wins over a default `--model` in them (the CLI keeps the last value of a
//! repeated option), and after `-p --output-format json`, which the backend relies on.
//!
//! `--output-format json` prints one result envelope on stdout, e.g.
//! `{"type":"result","subtype":"success","is_error":false,"result":"…","structured_output":…}`.
//! The backend reads it so ([`Envelope::answer`]):
//!
//! - `is_error: true`, or a `subtype` other than `success`: the agent failed
//!   ([`BackendError::Failed`], `null` for the script) with the envelope's message (`result`, or
//!   `errors`), except `error_max_structured_output_retries`, which is a validation failure
//!   ([`BackendError::InvalidOutput`], retried by [`Validated`](super::validate::Validated));
//! - without a schema: the `result` text;
//! - with a schema: `structured_output`, or, when that is absent or `null`, `result` parsed as JSON
//!   (not JSON: [`BackendError::InvalidOutput`]). The schema check itself is `Validated`'s.
//!
//! A non-zero exit status without an error envelope, or stdout that holds no envelope, is a failed
//! agent. `docs/backends.md` lists the sources these flags and fields were taken from.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use super::command::{
    check_options, run_process, structured_answer, CommandSpec, ProcessOutput, DEFAULT_TIMEOUT,
};
use super::validate::{schema_of, truncate};
use super::{AgentOutcome, AgentRequest, Backend, BackendError, BackendFuture};

/// The most characters of an envelope's error message that a failure quotes.
const MAX_MESSAGE_CHARS: usize = 500;

/// How to run Claude Code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaudeConfig {
    /// The CLI: `claude` (looked up on the `PATH`) by default.
    pub program: PathBuf,
    /// Arguments added to every call, after `-p --output-format json` and before the per-call
    /// flags (e.g. `--permission-mode`, `--allowedTools`, `--max-turns`).
    pub extra_args: Vec<String>,
    /// How long one agent may run before it is killed and counts as failed (30 minutes).
    pub timeout: Duration,
    /// Extra environment variables for the CLI.
    pub env: Vec<(String, String)>,
}

impl Default for ClaudeConfig {
    fn default() -> Self {
        ClaudeConfig {
            program: PathBuf::from("claude"),
            extra_args: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            env: Vec::new(),
        }
    }
}

/// The `claude` backend (module docs). Wrap it in [`Validated`](super::validate::Validated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaudeBackend {
    config: ClaudeConfig,
}

impl ClaudeBackend {
    /// A backend that runs Claude Code as `config` says.
    pub fn new(config: ClaudeConfig) -> Self {
        ClaudeBackend { config }
    }

    /// Its configuration.
    pub fn config(&self) -> &ClaudeConfig {
        &self.config
    }

    /// The arguments for a call with these options (module docs).
    pub fn args(&self, options: &Value) -> Vec<String> {
        let mut args: Vec<String> = ["-p", "--output-format", "json"]
            .into_iter()
            .map(String::from)
            .collect();
        args.extend(self.config.extra_args.iter().cloned());
        for (key, flag) in [
            ("model", "--model"),
            ("effort", "--effort"),
            ("agentType", "--agent"),
        ] {
            if let Some(value) = options.get(key).and_then(Value::as_str) {
                args.push(flag.to_string());
                args.push(value.to_string());
            }
        }
        if let Some(schema) = schema_of(options) {
            args.push("--json-schema".to_string());
            args.push(schema.to_string());
        }
        // Last, because its worktree name is optional: nothing may follow that it could take.
        if options.get("isolation").and_then(Value::as_str) == Some("worktree") {
            args.push("--worktree".to_string());
        }
        args
    }

    /// The command that answers a call with these options.
    pub fn command_spec(&self, options: &Value) -> CommandSpec {
        CommandSpec {
            program: self.config.program.clone(),
            args: self.args(options),
            timeout: self.config.timeout,
            env: self.config.env.clone(),
        }
    }

    async fn call(&self, request: &AgentRequest) -> Result<AgentOutcome, BackendError> {
        check_options(&request.options)?;
        let spec = self.command_spec(&request.options);
        let output = run_process(&spec, request).await?;
        let program = spec.program.display().to_string();
        let answer = interpret(&output, &program, schema_of(&request.options).is_some())?;
        Ok(AgentOutcome {
            answer,
            duration_ms: output.duration_ms(),
        })
    }
}

impl Backend for ClaudeBackend {
    fn name(&self) -> &str {
        "claude"
    }

    fn run<'a>(&'a self, request: &'a AgentRequest) -> BackendFuture<'a> {
        Box::pin(self.call(request))
    }
}

/// The answer in a finished CLI's output: the envelope decides, then the exit status.
fn interpret(
    output: &ProcessOutput,
    program: &str,
    structured: bool,
) -> Result<Value, BackendError> {
    match parse_envelope(&output.stdout) {
        Ok(envelope) => {
            // The CLI exits non-zero after an error envelope; the envelope's message is the
            // better one, so it is checked first.
            if envelope.is_failure() {
                return envelope.answer(structured, output.duration_ms());
            }
            if let Some(message) = output.status_failure(program) {
                return Err(BackendError::Failed(message));
            }
            envelope.answer(structured, output.duration_ms())
        }
        Err(reason) => Err(BackendError::Failed(
            output
                .status_failure(program)
                .unwrap_or_else(|| format!("`{program}` printed no result envelope: {reason}")),
        )),
    }
}

/// The result envelope of `claude -p --output-format json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// `success`, or the error kind (`error_max_turns`, `error_during_execution`,
    /// `error_max_structured_output_retries`, …).
    pub subtype: String,
    /// Whether the CLI reports an error (it can with `subtype: "success"`, e.g. for API errors).
    pub is_error: bool,
    /// The final text, or the error message.
    pub result: Option<String>,
    /// The validated structured output (`--json-schema`), when present and not `null`.
    pub structured_output: Option<Value>,
    /// Error messages some error envelopes carry instead of `result`.
    pub errors: Vec<String>,
}

/// The envelope in the CLI's stdout. Besides the single envelope object of
/// `--output-format json`, an array of messages (what `--verbose` prints) is accepted: its last
/// `result` message is the envelope. The error says why there is none.
pub fn parse_envelope(stdout: &[u8]) -> Result<Envelope, String> {
    let text = String::from_utf8_lossy(stdout);
    let text = text.trim();
    if text.is_empty() {
        return Err("stdout is empty".to_string());
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "stdout is not JSON ({e}); it begins {:?}",
            truncate(text, 80)
        )
    })?;
    let message = match &value {
        Value::Array(messages) => messages
            .iter()
            .rev()
            .find(|m| m.get("type").and_then(Value::as_str) == Some("result"))
            .ok_or_else(|| "the messages hold no `result` message".to_string())?,
        object => object,
    };
    if message.get("type").and_then(Value::as_str) != Some("result") {
        return Err(format!(
            "expected an object with `\"type\": \"result\"`, got {:?}",
            truncate(&message.to_string(), 80)
        ));
    }
    Ok(Envelope {
        subtype: message
            .get("subtype")
            .and_then(Value::as_str)
            .unwrap_or("success")
            .to_string(),
        is_error: message.get("is_error").and_then(Value::as_bool) == Some(true),
        result: message
            .get("result")
            .and_then(Value::as_str)
            .map(str::to_string),
        structured_output: message
            .get("structured_output")
            .filter(|v| !v.is_null())
            .cloned(),
        errors: message
            .get("errors")
            .and_then(Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| match e {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

impl Envelope {
    /// Whether the envelope reports an error rather than an answer.
    pub fn is_failure(&self) -> bool {
        self.is_error || self.subtype != "success"
    }

    /// The answer the envelope carries (module docs). `duration_ms` is the attempt's duration,
    /// for [`BackendError::InvalidOutput`].
    pub fn answer(&self, structured: bool, duration_ms: u64) -> Result<Value, BackendError> {
        if self.is_failure() {
            let message = self.error_message();
            if self.subtype == "error_max_structured_output_retries" {
                return Err(BackendError::InvalidOutput {
                    reason: format!(
                        "Claude Code could not produce valid structured output: {message}"
                    ),
                    duration_ms,
                });
            }
            return Err(BackendError::Failed(format!(
                "Claude Code reported an error ({}): {message}",
                self.subtype
            )));
        }
        if structured {
            if let Some(value) = &self.structured_output {
                return Ok(value.clone());
            }
            let result = self.result.as_deref().unwrap_or_default();
            return structured_answer(result.as_bytes()).map_err(|reason| {
                BackendError::InvalidOutput {
                    reason,
                    duration_ms,
                }
            });
        }
        match &self.result {
            Some(text) => Ok(Value::String(text.clone())),
            None => Err(BackendError::Failed(
                "Claude Code's result envelope has no `result` text".to_string(),
            )),
        }
    }

    fn error_message(&self) -> String {
        let message = match self.result.as_deref().map(str::trim) {
            Some(result) if !result.is_empty() => result.to_string(),
            _ if !self.errors.is_empty() => self.errors.join("; "),
            _ => "no details given".to_string(),
        };
        truncate(&message, MAX_MESSAGE_CHARS)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn backend() -> ClaudeBackend {
        ClaudeBackend::new(ClaudeConfig::default())
    }

    #[test]
    fn the_default_configuration() {
        let config = ClaudeConfig::default();
        assert_eq!(config.program, PathBuf::from("claude"));
        assert_eq!(config.timeout, Duration::from_secs(1800));
        assert_eq!(backend().name(), "claude");
    }

    #[test]
    fn argv_without_options() {
        assert_eq!(
            backend().args(&json!({})),
            ["-p", "--output-format", "json"]
        );
        assert_eq!(
            backend().args(&Value::Null),
            ["-p", "--output-format", "json"]
        );
    }

    #[test]
    fn argv_maps_the_options() {
        let schema = json!({ "type": "object", "properties": { "ok": { "type": "boolean" } } });
        let args = backend().args(&json!({
            "label": "verify:a.js",
            "phase": "Verify",
            "model": "opus",
            "effort": "low",
            "agentType": "code-modernization:legacy-analyst",
            "isolation": "worktree",
            "schema": schema,
        }));
        assert_eq!(
            args,
            [
                "-p",
                "--output-format",
                "json",
                "--model",
                "opus",
                "--effort",
                "low",
                "--agent",
                "code-modernization:legacy-analyst",
                "--json-schema",
                r#"{"type":"object","properties":{"ok":{"type":"boolean"}}}"#,
                "--worktree",
            ]
        );
    }

    #[test]
    fn argv_skips_non_string_and_null_options() {
        let args = backend().args(&json!({
            "model": 4,
            "effort": null,
            "schema": null,
            "isolation": "none",
            "agentType": ["x"],
        }));
        assert_eq!(args, ["-p", "--output-format", "json"]);
    }

    #[test]
    fn extra_args_come_before_the_per_call_flags() {
        let backend = ClaudeBackend::new(ClaudeConfig {
            extra_args: vec![
                "--model".into(),
                "sonnet".into(),
                "--max-turns".into(),
                "40".into(),
            ],
            ..ClaudeConfig::default()
        });
        assert_eq!(
            backend.args(&json!({ "model": "opus" })),
            [
                "-p",
                "--output-format",
                "json",
                "--model",
                "sonnet",
                "--max-turns",
                "40",
                "--model",
                "opus"
            ]
        );
        let spec = backend.command_spec(&json!({}));
        assert_eq!(spec.program, PathBuf::from("claude"));
        assert_eq!(spec.timeout, DEFAULT_TIMEOUT);
    }

    #[test]
    fn a_success_envelope_gives_the_text() {
        let stdout = br#"{"type":"result","subtype":"success","is_error":false,"duration_ms":1234,
            "result":"All good.\n","session_id":"abc","total_cost_usd":0.01,"structured_output":null}"#;
        let envelope = parse_envelope(stdout).expect("an envelope");
        assert_eq!(envelope.structured_output, None);
        assert_eq!(envelope.answer(false, 5), Ok(json!("All good.\n")));
    }

    #[test]
    fn a_structured_envelope_gives_the_object() {
        let stdout = br#"{"type":"result","subtype":"success","is_error":false,
            "result":"Here you go","structured_output":{"count":3}}"#;
        let envelope = parse_envelope(stdout).expect("an envelope");
        assert_eq!(envelope.answer(true, 5), Ok(json!({ "count": 3 })));
    }

    #[test]
    fn without_structured_output_the_result_is_parsed() {
        let stdout =
            br#"{"type":"result","subtype":"success","is_error":false,"result":"{\"count\": 4}"}"#;
        let envelope = parse_envelope(stdout).expect("an envelope");
        assert_eq!(envelope.answer(true, 5), Ok(json!({ "count": 4 })));

        let stdout =
            br#"{"type":"result","subtype":"success","is_error":false,"result":"I counted four."}"#;
        let err = parse_envelope(stdout)
            .expect("an envelope")
            .answer(true, 5)
            .expect_err("not JSON");
        let BackendError::InvalidOutput {
            reason,
            duration_ms,
        } = err
        else {
            panic!("expected InvalidOutput, got {err:?}");
        };
        assert!(reason.starts_with("output is not JSON"), "{reason}");
        assert_eq!(duration_ms, 5);
    }

    #[test]
    fn error_envelopes_fail_the_agent() {
        let stdout = br#"{"type":"result","subtype":"success","is_error":true,
            "result":"Credit balance is too low"}"#;
        let err = parse_envelope(stdout)
            .expect("an envelope")
            .answer(false, 5)
            .expect_err("an error");
        assert_eq!(
            err,
            BackendError::Failed(
                "Claude Code reported an error (success): Credit balance is too low".into()
            )
        );
        assert!(!err.rejects());

        let stdout =
            br#"{"type":"result","subtype":"error_max_turns","is_error":true,"errors":["a","b"]}"#;
        let err = parse_envelope(stdout)
            .expect("an envelope")
            .answer(true, 5)
            .expect_err("an error");
        assert_eq!(
            err,
            BackendError::Failed("Claude Code reported an error (error_max_turns): a; b".into())
        );

        let stdout = br#"{"type":"result","subtype":"error_during_execution","is_error":true}"#;
        let err = parse_envelope(stdout)
            .expect("an envelope")
            .answer(false, 5)
            .expect_err("an error");
        assert!(err.to_string().contains("no details given"), "{err}");
    }

    #[test]
    fn exhausted_structured_output_retries_are_a_validation_failure() {
        let stdout =
            br#"{"type":"result","subtype":"error_max_structured_output_retries","is_error":true}"#;
        let err = parse_envelope(stdout)
            .expect("an envelope")
            .answer(true, 9)
            .expect_err("an error");
        assert!(
            matches!(&err, BackendError::InvalidOutput { duration_ms: 9, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn verbose_message_arrays_use_the_last_result() {
        let stdout = br#"[{"type":"system","subtype":"init"},{"type":"assistant","message":{}},
            {"type":"result","subtype":"success","is_error":false,"result":"done"}]"#;
        let envelope = parse_envelope(stdout).expect("an envelope");
        assert_eq!(envelope.answer(false, 1), Ok(json!("done")));
    }

    #[test]
    fn garbage_is_not_an_envelope() {
        for stdout in [
            &b""[..],
            b"Error: something went wrong",
            b"{\"type\":\"assistant\"}",
            b"[1, 2]",
            b"42",
        ] {
            assert!(
                parse_envelope(stdout).is_err(),
                "{:?}",
                String::from_utf8_lossy(stdout)
            );
        }
        let err = parse_envelope(b"Error: boom").expect_err("garbage");
        assert!(
            err.contains("not JSON") && err.contains("Error: boom"),
            "{err}"
        );
    }

    #[test]
    fn a_success_envelope_without_result_text_fails() {
        let envelope = parse_envelope(br#"{"type":"result","subtype":"success","is_error":false}"#)
            .expect("an envelope");
        assert!(matches!(
            envelope.answer(false, 1),
            Err(BackendError::Failed(_))
        ));
    }
}
