//! Structured output: validating an answer against the call's `schema`, with retries.
//!
//! The runtime forces a subagent called with a `schema` to produce a value that validates against
//! it; when the output fails validation the call is retried, up to 5 attempts in all
//! (`MAX_STRUCTURED_OUTPUT_RETRIES`), and after the last failure the `agent()` promise rejects
//! with an error that includes the last validation failure (the dialect spec, §4.1 and §5).
//!
//! [`Validated`] adds exactly that to any [`Backend`]:
//!
//! - without a schema (`schema` absent or `null`) the call goes to the inner backend unchanged;
//! - with one, the schema is checked before the first attempt: it must compile (else
//!   [`BackendError::Rejected`]) and must not contradict itself (a `required` key that
//!   `additionalProperties: false` rules out, the same check and message as the `sim` backend),
//!   because retrying an unsatisfiable schema would only spend agents;
//! - each answer is validated; an answer that fails, or an attempt that ends in
//!   [`BackendError::InvalidOutput`] (output that is not JSON at all), is retried with the same
//!   request, until `max_attempts` attempts have been made, then the call fails with
//!   [`BackendError::SchemaMismatch`];
//! - [`BackendError::Failed`] and [`BackendError::Rejected`] from the inner backend end the call at
//!   once: a crashed or stopped agent resolves to `null`, it is not retried;
//! - the outcome's `duration_ms` is the sum of every attempt's duration.

use serde_json::Value;

use super::sim::{find_contradiction, SimError};
use super::{AgentOutcome, AgentRequest, Backend, BackendError, BackendFuture};

/// How many attempts a structured call gets by default (the runtime's
/// `MAX_STRUCTURED_OUTPUT_RETRIES`).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// The longest validation message kept per error: the `jsonschema` messages quote the offending
/// value, which can be a megabyte of agent output.
const MAX_ERROR_CHARS: usize = 300;
/// How many validation errors one failure message lists.
const MAX_ERRORS_LISTED: usize = 3;

/// A backend whose structured answers are validated against the call's schema, with retries.
#[derive(Debug, Clone)]
pub struct Validated<B> {
    inner: B,
    max_attempts: u32,
}

impl<B: Backend> Validated<B> {
    /// Wraps `inner`, with [`DEFAULT_MAX_ATTEMPTS`] attempts per structured call.
    pub fn new(inner: B) -> Self {
        Validated {
            inner,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// Sets how many attempts a structured call gets in all (at least 1; 0 counts as 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// How many attempts a structured call gets in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wrapped backend.
    pub fn inner(&self) -> &B {
        &self.inner
    }

    /// Unwraps the backend.
    pub fn into_inner(self) -> B {
        self.inner
    }

    async fn run_structured(
        &self,
        request: &AgentRequest,
        schema: &Value,
    ) -> Result<AgentOutcome, BackendError> {
        if let Some(c) = find_contradiction(schema) {
            return Err(SimError::Contradiction(c).into());
        }
        let validator = compile(schema)?;
        let mut total_ms: u64 = 0;
        let mut last = String::new();
        for _ in 0..self.max_attempts {
            match self.inner.run(request).await {
                Ok(outcome) => {
                    total_ms = total_ms.saturating_add(outcome.duration_ms);
                    match mismatch(&validator, &outcome.answer) {
                        None => {
                            return Ok(AgentOutcome {
                                answer: outcome.answer,
                                duration_ms: total_ms,
                            })
                        }
                        Some(message) => last = message,
                    }
                }
                Err(BackendError::InvalidOutput {
                    reason,
                    duration_ms,
                }) => {
                    total_ms = total_ms.saturating_add(duration_ms);
                    last = reason;
                }
                // A failed agent resolves to `null` and a refused call throws at once: neither is a
                // validation failure, so neither is retried.
                Err(e) => return Err(e),
            }
        }
        Err(BackendError::SchemaMismatch {
            attempts: self.max_attempts,
            last,
        })
    }
}

impl<B: Backend> Backend for Validated<B> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn run<'a>(&'a self, request: &'a AgentRequest) -> BackendFuture<'a> {
        Box::pin(async move {
            match schema_of(&request.options) {
                None => self.inner.run(request).await,
                Some(schema) => self.run_structured(request, schema).await,
            }
        })
    }
}

/// The call's schema: `options.schema` unless it is absent or `null` (as the `sim` backend reads
/// it). Options that are not an object have no schema.
pub fn schema_of(options: &Value) -> Option<&Value> {
    match options.get("schema") {
        None | Some(Value::Null) => None,
        Some(schema) => Some(schema),
    }
}

/// Compiles a call's schema, or refuses the call with a message that says why.
pub fn compile(schema: &Value) -> Result<jsonschema::Validator, BackendError> {
    if !matches!(schema, Value::Object(_) | Value::Bool(_)) {
        return Err(BackendError::Rejected(format!(
            "agent(): `schema` must be a JSON Schema object, not {}",
            json_type(schema)
        )));
    }
    jsonschema::validator_for(schema).map_err(|e| {
        BackendError::Rejected(format!(
            "agent(): the schema is not a valid JSON Schema: {}",
            truncate(&e.to_string(), MAX_ERROR_CHARS)
        ))
    })
}

/// Why `answer` does not validate, or `None` when it does. The message lists the first few errors
/// with their JSON pointers, e.g. ``at `/count`: "3" is not of type "integer"``.
pub fn mismatch(validator: &jsonschema::Validator, answer: &Value) -> Option<String> {
    let mut errors = validator.iter_errors(answer);
    let mut listed = Vec::new();
    let mut more = 0usize;
    for error in errors.by_ref() {
        if listed.len() == MAX_ERRORS_LISTED {
            more += 1;
            continue;
        }
        let pointer = error.instance_path().to_string();
        let place = if pointer.is_empty() {
            "at the top level".to_string()
        } else {
            format!("at `{pointer}`")
        };
        listed.push(format!(
            "{place}: {}",
            truncate(&error.to_string(), MAX_ERROR_CHARS)
        ));
    }
    if listed.is_empty() {
        return None;
    }
    let mut message = listed.join("; ");
    if more > 0 {
        message.push_str(&format!(" (and {more} more)"));
    }
    Some(message)
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `text` cut to at most `max` characters (on a character boundary), with `…` when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Mutex;

    use serde_json::json;

    use super::*;

    /// A backend that plays back scripted results, one per call, and counts the calls.
    struct Scripted {
        results: Mutex<VecDeque<Result<AgentOutcome, BackendError>>>,
        calls: AtomicU32,
    }

    impl Scripted {
        fn new(results: Vec<Result<AgentOutcome, BackendError>>) -> Self {
            Scripted {
                results: Mutex::new(results.into()),
                calls: AtomicU32::new(0),
            }
        }

        fn calls(&self) -> u32 {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl Backend for Scripted {
        fn name(&self) -> &str {
            "scripted"
        }

        fn run<'a>(&'a self, _request: &'a AgentRequest) -> BackendFuture<'a> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let next = self
                .results
                .lock()
                .expect("not poisoned")
                .pop_front()
                .expect("the test scripted enough answers");
            Box::pin(std::future::ready(next))
        }
    }

    fn ok(answer: Value, duration_ms: u64) -> Result<AgentOutcome, BackendError> {
        Ok(AgentOutcome {
            answer,
            duration_ms,
        })
    }

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": { "count": { "type": "integer" } },
            "required": ["count"]
        })
    }

    fn structured() -> AgentRequest {
        AgentRequest::new("count things", json!({ "schema": schema() }))
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(f)
    }

    #[test]
    fn passes_on_the_first_attempt() {
        let v = Validated::new(Scripted::new(vec![ok(json!({ "count": 3 }), 40)]));
        let outcome = block_on(v.run(&structured())).expect("valid");
        assert_eq!(outcome.answer, json!({ "count": 3 }));
        assert_eq!(outcome.duration_ms, 40);
        assert_eq!(v.inner().calls(), 1);
    }

    #[test]
    fn passes_on_the_third_attempt_and_adds_durations_up() {
        let v = Validated::new(Scripted::new(vec![
            ok(json!({ "count": "three" }), 10),
            Err(BackendError::InvalidOutput {
                reason: "output is not JSON: expected value at line 1 column 1".into(),
                duration_ms: 20,
            }),
            ok(json!({ "count": 3 }), 30),
        ]));
        let outcome = block_on(v.run(&structured())).expect("valid on the third attempt");
        assert_eq!(outcome.answer, json!({ "count": 3 }));
        assert_eq!(outcome.duration_ms, 60);
        assert_eq!(v.inner().calls(), 3);
    }

    #[test]
    fn fails_after_five_attempts_with_the_last_error() {
        let mut results: Vec<_> = (0..4).map(|_| ok(json!({ "count": "x" }), 1)).collect();
        results.push(ok(json!({}), 1));
        let v = Validated::new(Scripted::new(results));
        let err = block_on(v.run(&structured())).expect_err("never valid");
        assert_eq!(v.inner().calls(), 5);
        let BackendError::SchemaMismatch { attempts, last } = &err else {
            panic!("expected SchemaMismatch, got {err:?}");
        };
        assert_eq!(*attempts, 5);
        assert!(
            last.contains("count"),
            "the last failure (missing key): {last}"
        );
        assert!(last.contains("at the top level"), "{last}");
        assert!(err.rejects());
        assert!(
            err.to_string()
                .starts_with("agent(): structured output failed validation after 5 attempts: "),
            "{err}"
        );
    }

    #[test]
    fn invalid_output_on_every_attempt_is_a_schema_mismatch() {
        let results = (0..5)
            .map(|i| {
                Err(BackendError::InvalidOutput {
                    reason: format!("output is not JSON: attempt {i}"),
                    duration_ms: 1,
                })
            })
            .collect();
        let v = Validated::new(Scripted::new(results));
        let err = block_on(v.run(&structured())).expect_err("never JSON");
        assert_eq!(
            err,
            BackendError::SchemaMismatch {
                attempts: 5,
                last: "output is not JSON: attempt 4".into()
            }
        );
    }

    #[test]
    fn max_attempts_is_configurable() {
        let results = (0..2).map(|_| ok(json!([]), 1)).collect();
        let v = Validated::new(Scripted::new(results)).with_max_attempts(2);
        let err = block_on(v.run(&structured())).expect_err("never valid");
        assert!(matches!(
            err,
            BackendError::SchemaMismatch { attempts: 2, .. }
        ));
        assert_eq!(v.inner().calls(), 2);
        assert_eq!(
            Validated::new(Scripted::new(vec![]))
                .with_max_attempts(0)
                .max_attempts(),
            1
        );
    }

    #[test]
    fn without_a_schema_the_answer_passes_through() {
        for options in [
            json!({}),
            json!({ "schema": null, "label": "x" }),
            json!(null),
        ] {
            let v = Validated::new(Scripted::new(vec![ok(json!("plain text"), 7)]));
            let outcome = block_on(v.run(&AgentRequest::new("p", options))).expect("passthrough");
            assert_eq!(outcome.answer, json!("plain text"));
            assert_eq!(outcome.duration_ms, 7);
            assert_eq!(v.inner().calls(), 1);
        }
    }

    #[test]
    fn a_failed_agent_is_not_retried() {
        let v = Validated::new(Scripted::new(vec![
            ok(json!({ "count": "x" }), 1),
            Err(BackendError::Failed("`agent` exited with status 1".into())),
        ]));
        let err = block_on(v.run(&structured())).expect_err("failed");
        assert_eq!(
            err,
            BackendError::Failed("`agent` exited with status 1".into())
        );
        assert!(!err.rejects());
        assert_eq!(v.inner().calls(), 2);
    }

    #[test]
    fn a_schema_that_does_not_compile_is_rejected_before_any_attempt() {
        let v = Validated::new(Scripted::new(vec![]));
        for schema in [json!({ "type": 12 }), json!("object"), json!([1])] {
            let request = AgentRequest::new("p", json!({ "schema": schema }));
            let err = block_on(v.run(&request)).expect_err("bad schema");
            let BackendError::Rejected(message) = &err else {
                panic!("expected Rejected, got {err:?}");
            };
            assert!(message.starts_with("agent(): "), "{message}");
        }
        assert_eq!(v.inner().calls(), 0);
    }

    #[test]
    fn a_contradictory_schema_is_rejected_before_any_attempt() {
        let v = Validated::new(Scripted::new(vec![]));
        let request = AgentRequest::new(
            "p",
            json!({ "schema": { "type": "object", "additionalProperties": false, "required": ["k"] } }),
        );
        let err = block_on(v.run(&request)).expect_err("contradiction");
        assert!(
            err.to_string().contains("the schema contradicts itself"),
            "{err}"
        );
        assert_eq!(v.inner().calls(), 0);
    }

    #[test]
    fn mismatch_messages_are_bounded() {
        let validator = compile(&json!({ "type": "integer" })).expect("compiles");
        let huge = Value::String("x".repeat(1_000_000));
        let message = mismatch(&validator, &huge).expect("a mismatch");
        assert!(message.chars().count() < 1_000, "{} chars", message.len());
        assert!(mismatch(&validator, &json!(3)).is_none());
    }

    #[test]
    fn truncate_cuts_on_character_boundaries() {
        assert_eq!(truncate("héllo", 10), "héllo");
        assert_eq!(truncate("héllo", 2), "hé…");
    }
}
