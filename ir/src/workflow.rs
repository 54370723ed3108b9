use serde::{Deserialize, Serialize};

use crate::{Expr, Name, Span, Stmt};

/// Index into [`Workflow::bindings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BindingId(pub u32);

/// Index into [`Workflow::scopes`]. Scope 0 is the script body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ScopeId(pub u32);

/// Index into [`Workflow::sites`]: `agent()` call sites numbered in source order, so the id of a
/// site does not change when the script is reformatted or comments change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SiteId(pub u32);

impl std::fmt::Display for SiteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s{}", self.0)
    }
}

/// A lowered workflow script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    /// The `export const meta = …` declaration, wherever it stands.
    pub meta: Option<MetaDecl>,
    /// The script body, in order. The meta declaration is part of it (as a `const meta`).
    pub body: Vec<Stmt>,
    pub scopes: Vec<Scope>,
    pub bindings: Vec<Binding>,
    pub sites: Vec<AgentSite>,
    /// Where the script uses syntax the IR cannot represent (reported as `unsupported-syntax`):
    /// what runs there is missing from the IR, so counts derived from it are not bounds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<Span>,
}

impl Workflow {
    pub fn binding(&self, id: crate::BindingId) -> &Binding {
        &self.bindings[id.0 as usize]
    }

    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id.0 as usize]
    }

    /// The meta object expression, if the script declares one.
    pub fn meta_value(&self) -> Option<&Expr> {
        let meta = self.meta.as_ref()?;
        match &self.body.get(meta.stmt)?.kind {
            crate::StmtKind::VarDecl { decls, .. } => decls.first()?.init.as_ref(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetaDecl {
    /// The whole `export const meta = …` statement.
    pub span: Span,
    /// Index of the declaration in [`Workflow::body`].
    pub stmt: usize,
    /// Whether it is the first statement of the script, as the runtime requires.
    pub is_first: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// The script body: it runs as the body of one async function.
    Script,
    Function,
    Block,
    /// The head of a `for` loop (its `let`/`const` are per iteration).
    Loop,
    Catch,
    Switch,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    pub span: Span,
    /// The names declared directly in this scope (for a function scope: parameters, `var`s and
    /// top-level declarations of its body).
    pub bindings: Vec<crate::BindingId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BindingKind {
    Var,
    Let,
    Const,
    Function,
    Param,
    CatchParam,
    /// The name of a named function expression, visible only inside it.
    FunctionName,
    /// A name assigned without any declaration (`note = '…'`). The script body runs in sloppy
    /// mode, where the first assignment creates a global variable; reading it before that throws
    /// a `ReferenceError`. Bound in the script's scope, at the first assignment.
    Implicit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Binding {
    pub name: Name,
    pub kind: BindingKind,
    pub scope: ScopeId,
    /// Where the name is declared.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentSite {
    pub id: SiteId,
    /// The whole `agent(…)` call.
    pub span: Span,
    /// The innermost function the call is written in; `None` for the script body.
    pub function: Option<ScopeId>,
    /// Options written as string literals, for plans and graphs (a template `label` shows its
    /// literal parts with `…` where values go).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phase: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub effort: Option<String>,
    /// The start of the prompt when it is a literal or a template (`…` where values go).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub prompt: Option<String>,
}
