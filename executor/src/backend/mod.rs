//! The interface between the executor and whatever answers `agent()` calls.
//!
//! A [`Backend`] receives one [`AgentRequest`] per accepted `agent()` call and produces an
//! [`AgentOutcome`]: the answer the script sees and how long the agent took. The method returns a
//! boxed future so that backends which spawn real agents can be asynchronous, while the trait stays
//! object-safe (`Box<dyn Backend>`) and free of any particular async runtime. A backend that
//! computes its answer at once, like [`sim`], returns an already-completed future.

pub mod sim;

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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// The call was refused before the agent started (bad options, a schema that contradicts
    /// itself, a schema the backend cannot satisfy). The script sees the `agent()` promise reject
    /// with this message.
    #[error("{0}")]
    Rejected(String),
    /// The agent started but did not finish (an API error, a stopped agent). The script sees
    /// `null`.
    #[error("the agent failed: {0}")]
    Failed(String),
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
