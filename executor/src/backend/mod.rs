//! The interface between the executor and whatever answers `agent()` calls.
//!
//! A [`Backend`] receives one [`AgentRequest`] per accepted `agent()` call and produces an
//! [`AgentOutcome`]: the answer the script sees and how long the agent took. The method returns a
//! boxed future so that backends which spawn real agents can be asynchronous, while the trait stays
//! object-safe (`Box<dyn Backend>`) and free of any particular async runtime. A backend that
//! computes its answer at once, like [`sim`], returns an already-completed future.
//!
//! The backends:
//!
//! - [`sim`]: deterministic answers on a virtual clock (`docs/sim-backend.md`);
//! - [`command`]: runs a user-supplied program per agent (prompt on stdin, answer on stdout);
//! - [`claude`]: the `command` backend preset for the Claude Code CLI in print mode;
//! - [`validate`]: a wrapper that checks structured answers against the call's schema and retries,
//!   as the runtime does (up to 5 attempts). Real backends are wrapped in it; `sim` is not, since
//!   its answers are held to the reference runtime's instead.
//!
//! `docs/backends.md` describes the protocols and which failures the script sees as `null` and
//! which as a thrown error.

pub mod claude;
pub mod command;
pub mod sim;
pub mod validate;

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

/// One `agent(prompt, options)` call, as the backend sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentRequest {
    /// The prompt, the call's first argument.
    pub prompt: String,
    /// The JSON view of the options object (`JSON.parse(JSON.stringify(opts))`): `schema`,
    /// `label`, `model`, `effort`, `phase` and any other key. `null` counts as `{}`.
    pub options: serde_json::Value,
}

impl AgentRequest {
    /// A request with the given prompt and options.
    pub fn new(prompt: impl Into<String>, options: serde_json::Value) -> Self {
        AgentRequest {
            prompt: prompt.into(),
            options,
        }
    }
}

/// What an agent produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentOutcome {
    /// The value the `agent()` promise resolves to: a string without a schema, otherwise a value
    /// that conforms to the schema.
    pub answer: serde_json::Value,
    /// How long the agent ran, in milliseconds (virtual time for the `sim` backend).
    pub duration_ms: u64,
}

/// Why a backend could not produce an outcome.
///
/// What the script sees depends on the variant (the dialect spec, §4.1):
///
/// | Variant | The `agent()` promise |
/// |---|---|
/// | [`Rejected`](Self::Rejected) | rejects (the script sees a throw) |
/// | [`SchemaMismatch`](Self::SchemaMismatch) | rejects |
/// | [`InvalidOutput`](Self::InvalidOutput) | rejects, if it ever reaches the executor (see below) |
/// | [`Failed`](Self::Failed) | resolves to `null` |
///
/// [`BackendError::rejects`] encodes this table, so the executor does not have to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// The call was refused before the agent started (bad options, a schema that contradicts
    /// itself, a schema the backend cannot satisfy). The script sees the `agent()` promise reject
    /// with this message.
    #[error("{0}")]
    Rejected(String),
    /// The agent started but did not finish (an API error, a stopped agent, a crash, a non-zero
    /// exit, a timeout, a program that cannot be started). The script sees `null`; the message
    /// goes to the run's event stream.
    #[error("the agent failed: {0}")]
    Failed(String),
    /// One attempt finished, but its output cannot be the answer: structured output (a call with
    /// a `schema`) that is not JSON at all. [`validate::Validated`] treats it like an answer that
    /// fails the schema, i.e. it retries and, after the last attempt, reports
    /// [`SchemaMismatch`](Self::SchemaMismatch). Backends that return it are meant to be wrapped
    /// in [`validate::Validated`]; should it reach the executor anyway, it counts as a validation
    /// failure (a throw), never as `null`.
    #[error("agent(): {reason}")]
    InvalidOutput {
        /// What is wrong with the output, e.g. `output is not JSON: expected value at line 1 column 1`.
        reason: String,
        /// How long the attempt ran, so that retries can add their durations up.
        duration_ms: u64,
    },
    /// Structured output still failed validation after the last attempt (5 by default). The
    /// script sees the `agent()` promise reject with this message, which includes the last
    /// validation failure.
    #[error("agent(): structured output failed validation after {attempts} attempts: {last}")]
    SchemaMismatch {
        /// How many attempts were made.
        attempts: u32,
        /// The last validation failure.
        last: String,
    },
}

impl BackendError {
    /// Whether the script sees the `agent()` promise reject (`true`) or resolve to `null`
    /// (`false`, for [`Failed`](Self::Failed) only).
    pub fn rejects(&self) -> bool {
        !matches!(self, BackendError::Failed(_))
    }
}

/// The future a [`Backend`] returns for one call.
pub type BackendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AgentOutcome, BackendError>> + Send + 'a>>;

/// Something that answers `agent()` calls.
pub trait Backend: Send + Sync {
    /// The backend's name, as `wfc run --backend` spells it (`"sim"`).
    fn name(&self) -> &str;

    /// Runs one agent. The scheduler decides when to call this (at most `concurrency` calls are
    /// in flight); the backend only answers.
    fn run<'a>(&'a self, request: &'a AgentRequest) -> BackendFuture<'a>;
}

// The CLI picks a backend at run time (`--backend`), so it holds a `Box<dyn Backend>`; these impls
// let such a box (or a shared one) be wrapped in `validate::Validated` like a concrete backend.
impl<B: Backend + ?Sized> Backend for Box<B> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn run<'a>(&'a self, request: &'a AgentRequest) -> BackendFuture<'a> {
        (**self).run(request)
    }
}

impl<B: Backend + ?Sized> Backend for std::sync::Arc<B> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn run<'a>(&'a self, request: &'a AgentRequest) -> BackendFuture<'a> {
        (**self).run(request)
    }
}
