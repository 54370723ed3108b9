//! The typed intermediate representation of a workflow script.
//!
//! The IR is what every later stage works on: the rules, the bounds analysis, the planner and the
//! executor. It deliberately knows nothing about the parser that produced it (no swc types), so the
//! executor can depend on it without pulling a JavaScript parser in.
//!
//! Shape in one paragraph: a [`Workflow`] holds the script's statements ([`Stmt`]) and a table of
//! resolved names ([`Binding`]) grouped in lexical [`Scope`]s. Expressions ([`Expr`]) are the plain
//! JavaScript subset real scripts use, plus dedicated nodes for the workflow primitives
//! (`agent`, `parallel`, `pipeline`, `phase`, `log`, `workflow`, `args`, `budget`). Every `agent()`
//! call site gets a stable [`SiteId`], numbered in source order.

pub mod expr;
pub mod globals;
pub mod literal;
pub mod span;
pub mod stmt;
pub mod visit;
pub mod workflow;

pub use expr::*;
pub use globals::{classify_global, GlobalKind, Primitive};
pub use literal::{layout_js_number, number_to_js_string, JsNumber, Literal};
pub use span::Span;
pub use stmt::*;
pub use workflow::*;
