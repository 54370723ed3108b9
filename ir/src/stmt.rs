use serde::{Deserialize, Serialize};

use crate::{AssignTarget, BindingId, Expr, Function, Name, PropKey, ScopeId, Span};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stmt {
    pub span: Span,
    #[serde(flatten)]
    pub kind: StmtKind,
}

impl Stmt {
    pub fn new(span: Span, kind: StmtKind) -> Self {
        Stmt { span, kind }
    }
}

/// A block with its own lexical scope (`let`, `const`, function declarations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub span: Span,
    pub scope: ScopeId,
    pub stmts: Vec<Stmt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclKind {
    Var,
    Let,
    Const,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarDeclarator {
    pub pattern: Pattern,
    pub init: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stmt", rename_all = "snake_case")]
pub enum StmtKind {
    Expr {
        expr: Expr,
    },
    VarDecl {
        kind: DeclKind,
        decls: Vec<VarDeclarator>,
    },
    /// A function declaration. Its binding is initialised when the enclosing block or function is
    /// entered (hoisting), not when this statement is reached.
    FunctionDecl {
        binding: BindingId,
        function: Box<Function>,
    },
    Block {
        block: Block,
    },
    If {
        test: Expr,
        consequent: Box<Stmt>,
        alternate: Option<Box<Stmt>>,
    },
    /// `for (init; test; update) body`. `scope` holds `let`/`const` declared in `init`; they are
    /// copied into a fresh scope for every iteration, as in JavaScript.
    // The parts of the rarer statements are boxed: every statement is as large as the largest
    // kind, and statement lists are walked by every pass.
    For {
        scope: ScopeId,
        init: Option<Box<ForInit>>,
        test: Option<Box<Expr>>,
        update: Option<Box<Expr>>,
        body: Box<Stmt>,
    },
    ForOf {
        scope: ScopeId,
        left: ForHead,
        right: Box<Expr>,
        body: Box<Stmt>,
        /// `for await (… of …)`: each value is awaited before the body runs. Over an async
        /// iterable this needs an async generator, which is unsupported; over an array (of
        /// promises) it is `for (… of …)` with an `await` per element.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        is_await: bool,
    },
    ForIn {
        scope: ScopeId,
        left: ForHead,
        right: Box<Expr>,
        body: Box<Stmt>,
    },
    While {
        test: Expr,
        body: Box<Stmt>,
    },
    DoWhile {
        body: Box<Stmt>,
        test: Expr,
    },
    Switch {
        discriminant: Expr,
        /// One lexical scope for all the cases' declarations, as in JavaScript.
        scope: ScopeId,
        cases: Vec<SwitchCase>,
    },
    Try {
        block: Block,
        handler: Option<Box<CatchClause>>,
        finalizer: Option<Block>,
    },
    Throw {
        arg: Expr,
    },
    Return {
        arg: Option<Expr>,
    },
    Break {
        label: Option<Name>,
    },
    Continue {
        label: Option<Name>,
    },
    Labeled {
        label: Name,
        body: Box<Stmt>,
    },
    Empty,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "init", rename_all = "snake_case")]
pub enum ForInit {
    VarDecl {
        kind: DeclKind,
        decls: Vec<VarDeclarator>,
    },
    Expr {
        expr: Expr,
    },
}

/// The left side of `for … of` / `for … in`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "head", rename_all = "snake_case")]
pub enum ForHead {
    Decl { kind: DeclKind, pattern: Pattern },
    Target { target: Box<AssignTarget> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwitchCase {
    pub span: Span,
    /// `None` for `default:`.
    pub test: Option<Expr>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatchClause {
    pub span: Span,
    pub scope: ScopeId,
    pub param: Option<Pattern>,
    pub body: Block,
}

/// A binding or assignment pattern (destructuring).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Pattern {
    /// A declared name.
    Binding {
        name: Name,
        binding: BindingId,
        span: Span,
    },
    /// An assignment target (only in assignment patterns: `[obj.a, b] = …`).
    Target { target: Box<AssignTarget> },
    Array {
        span: Span,
        elements: Vec<Option<Pattern>>,
        rest: Option<Box<Pattern>>,
    },
    Object {
        span: Span,
        props: Vec<ObjectPatternProp>,
        rest: Option<Box<Pattern>>,
    },
    /// `pattern = default`: the default is evaluated when the value is `undefined`.
    Default {
        pattern: Box<Pattern>,
        default: Box<Expr>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectPatternProp {
    pub key: PropKey,
    pub value: Pattern,
}
