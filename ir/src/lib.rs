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
pub mod js_number;
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

/// A name, key or source string: inline up to 24 bytes, so that most clone without allocating.
pub type Name = compact_str::CompactString;
pub use compact_str::{format_compact, ToCompactString};

#[cfg(test)]
mod tests {
    /// Every pass walks statement lists and expression nodes; a rare kind that grows the largest
    /// variant grows every node. Box its parts instead (see `TaggedTemplate`, `StmtKind::For`).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn nodes_stay_small() {
        assert!(std::mem::size_of::<crate::Expr>() <= 64);
        assert!(std::mem::size_of::<crate::Stmt>() <= 104);
    }
}
