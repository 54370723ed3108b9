//! The executor of `wfc run`: it runs a compiled workflow script and answers its `agent()` calls.
//!
//! When complete, the executor will have four parts:
//!
//! - an **IR evaluator** that interprets the [`wfc_ir`] program of a script with JavaScript's
//!   semantics (the dialect's subset), including `parallel`, `pipeline`, `phase`, `log`,
//!   `workflow`, `args` and `budget`;
//! - a **DAG scheduler** that starts agents as their inputs become available, at most
//!   `concurrency` at a time, in FIFO order or by the longest remaining path of the static plan;
//! - **backends** that answer `agent()` calls: the deterministic `sim` backend (the default, on a
//!   virtual clock) and, later, backends that spawn real agents;
//! - a **journal** that records every call and its outcome, so a run can be traced and resumed.
//!
//! This first part is the backends' interface ([`backend::Backend`]) and the `sim` backend
//! ([`backend::sim`]), which follows `docs/sim-backend.md` exactly and is held to the JavaScript
//! reference runtime (`tests/reference/runtime.mjs`) by differential tests.

pub mod backend;
pub mod eval;
pub mod journal;
pub mod run;

pub use backend::sim::SimBackend;
pub use backend::{AgentOutcome, AgentRequest, Backend, BackendError, BackendFuture};
