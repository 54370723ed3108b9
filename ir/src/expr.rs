use serde::{Deserialize, Serialize};

use crate::{BindingId, Block, Literal, Name, Pattern, Primitive, ScopeId, SiteId, Span};

/// An expression with its source span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expr {
    pub span: Span,
    #[serde(flatten)]
    pub kind: ExprKind,
}

impl Expr {
    pub fn new(span: Span, kind: ExprKind) -> Self {
        Expr { span, kind }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExprKind {
    Literal {
        value: Literal,
    },
    Regex {
        pattern: String,
        flags: String,
    },
    /// A template literal: `quasis.len() == exprs.len() + 1`, quasis are the cooked strings.
    Template {
        quasis: Vec<Name>,
        exprs: Vec<Expr>,
    },
    /// A tagged template: boxed, as it is rare and would otherwise be the largest variant.
    TaggedTemplate(Box<TaggedTemplate>),
    /// A name resolved to a declaration in the script.
    Var {
        name: Name,
        binding: BindingId,
    },
    /// A name not declared in the script: a built-in (`JSON`, `Math`, `console`, …), a forbidden
    /// host API (`process`, `require`, …) or an unknown name. See [`crate::classify_global`].
    Global {
        name: Name,
    },
    /// The injected `args` value.
    Args,
    /// The injected `budget` object.
    Budget,
    /// A workflow primitive used as a value rather than called directly (`pipeline(xs, agent)`).
    PrimitiveRef {
        primitive: Primitive,
    },
    Array {
        elements: Vec<ArrayElement>,
    },
    Object {
        props: Vec<ObjectProp>,
    },
    Function {
        function: Box<Function>,
    },
    Unary {
        op: UnaryOp,
        arg: Box<Expr>,
    },
    Update {
        op: UpdateOp,
        prefix: bool,
        target: Box<AssignTarget>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Logical {
        op: LogicalOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Assign {
        op: AssignOp,
        target: Box<AssignTarget>,
        value: Box<Expr>,
    },
    Conditional {
        test: Box<Expr>,
        consequent: Box<Expr>,
        alternate: Box<Expr>,
    },
    /// A call. When `callee` is a [`ExprKind::Member`] this is a method call and the object is
    /// the receiver. `optional` marks `f?.()`.
    Call {
        callee: Box<Expr>,
        args: Vec<Argument>,
        optional: bool,
    },
    New {
        callee: Box<Expr>,
        args: Vec<Argument>,
    },
    Member {
        object: Box<Expr>,
        property: MemberProp,
        optional: bool,
    },
    /// The extent of an optional chain: an optional link (`a?.b`, `f?.()`) that meets `null` or
    /// `undefined` makes the whole chain evaluate to `undefined`.
    Chain {
        expr: Box<Expr>,
    },
    Await {
        arg: Box<Expr>,
    },
    Sequence {
        exprs: Vec<Expr>,
    },
    /// `agent(prompt, opts?)`.
    Agent(Box<AgentCall>),
    /// `parallel(thunks)`: `thunks` is normally an array of functions.
    Parallel {
        thunks: Box<Expr>,
        /// Arguments beyond the first (the runtime ignores them; a rule flags them).
        extra: Vec<Argument>,
    },
    /// `pipeline(items, ...stages)`.
    Pipeline {
        items: Box<Expr>,
        stages: Vec<Argument>,
    },
    /// `phase(title)`.
    Phase {
        args: Vec<Argument>,
    },
    /// `log(message)`.
    Log {
        args: Vec<Argument>,
    },
    /// `workflow(nameOrRef, args?)`.
    Workflow {
        args: Vec<Argument>,
    },
    /// Dynamic `import(x)`: rejected by the runtime before launch; kept so it can be reported.
    Import {
        arg: Box<Expr>,
    },
    /// Placeholder for a construct that could not be lowered. A diagnostic was emitted at its span.
    Invalid,
}

/// A tagged template ``tag`a${b}c` ``: `tag` is called with the strings array (cooked, with a
/// `raw` property) and the values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggedTemplate {
    pub tag: Expr,
    /// Cooked strings; `None` where an escape is invalid (allowed only in tagged templates).
    pub cooked: Vec<Option<Name>>,
    pub raw: Vec<Name>,
    pub exprs: Vec<Expr>,
}

/// One `agent()` call site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentCall {
    pub site: SiteId,
    pub prompt: Expr,
    pub options: Option<AgentOptions>,
    /// Arguments beyond the second (ignored by the runtime).
    pub extra: Vec<Argument>,
}

/// The second argument of `agent()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum AgentOptions {
    /// An object literal: its entries in source order, the known keys typed.
    Literal {
        span: Span,
        entries: Vec<AgentOption>,
    },
    /// Anything else (a variable, a call, …): only known at run time.
    Dynamic { expr: Expr },
}

impl AgentOptions {
    /// The value written for a known option key, when the options are a literal. A later entry
    /// wins over an earlier one, as in JavaScript.
    pub fn get(&self, key: OptionKey) -> Option<&Expr> {
        match self {
            AgentOptions::Literal { entries, .. } => entries.iter().rev().find_map(|e| match e {
                AgentOption::Known { key: k, value, .. } if *k == key => Some(value),
                _ => None,
            }),
            AgentOptions::Dynamic { .. } => None,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            AgentOptions::Literal { span, .. } => *span,
            AgentOptions::Dynamic { expr } => expr.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entry", rename_all = "snake_case")]
pub enum AgentOption {
    Known {
        key: OptionKey,
        key_span: Span,
        value: Expr,
    },
    Unknown {
        key: Name,
        key_span: Span,
        value: Expr,
    },
    Computed {
        key: Expr,
        value: Expr,
    },
    Spread {
        expr: Expr,
    },
}

/// The `agent()` options the runtime documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OptionKey {
    Label,
    Phase,
    Schema,
    Model,
    Effort,
    Isolation,
    AgentType,
}

impl OptionKey {
    pub const ALL: [OptionKey; 7] = [
        OptionKey::Label,
        OptionKey::Phase,
        OptionKey::Schema,
        OptionKey::Model,
        OptionKey::Effort,
        OptionKey::Isolation,
        OptionKey::AgentType,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OptionKey::Label => "label",
            OptionKey::Phase => "phase",
            OptionKey::Schema => "schema",
            OptionKey::Model => "model",
            OptionKey::Effort => "effort",
            OptionKey::Isolation => "isolation",
            OptionKey::AgentType => "agentType",
        }
    }

    pub fn from_name(name: &str) -> Option<OptionKey> {
        OptionKey::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// The values `opts.effort` accepts.
pub const EFFORT_LEVELS: [&str; 5] = ["low", "medium", "high", "xhigh", "max"];
/// The values `opts.isolation` accepts.
pub const ISOLATION_MODES: [&str; 1] = ["worktree"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Argument {
    pub spread: bool,
    pub expr: Expr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "element", rename_all = "snake_case")]
pub enum ArrayElement {
    Expr { expr: Expr },
    Spread { expr: Expr },
    Hole,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "prop", rename_all = "snake_case")]
pub enum ObjectProp {
    /// `key: value`, shorthand `key`, and methods `key() {}` (value is a function).
    KeyValue {
        key: PropKey,
        value: Expr,
    },
    Spread {
        expr: Expr,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum PropKey {
    /// An identifier, string or number key, as the property name string JavaScript uses.
    Named {
        name: Name,
        span: Span,
    },
    Computed {
        expr: Box<Expr>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "prop", rename_all = "snake_case")]
pub enum MemberProp {
    Named { name: Name, span: Span },
    Computed { expr: Box<Expr> },
}

impl MemberProp {
    pub fn name(&self) -> Option<&str> {
        match self {
            MemberProp::Named { name, .. } => Some(name),
            MemberProp::Computed { .. } => None,
        }
    }
}

/// Where an assignment or update writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "target", rename_all = "snake_case")]
pub enum AssignTarget {
    Var {
        name: Name,
        binding: BindingId,
        span: Span,
    },
    /// An undeclared name (reported as `unknown-global`; a `ReferenceError` in strict mode).
    Global { name: Name, span: Span },
    Member {
        object: Expr,
        property: MemberProp,
        span: Span,
    },
    /// Destructuring assignment `[a, b] = …`.
    Pattern { pattern: Pattern },
}

/// A function or arrow function; closures capture by reference through resolved bindings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub span: Span,
    /// The name written on a function expression or declaration, if any.
    pub name: Option<Name>,
    /// For a named function expression: the binding of its own name, visible inside it.
    pub self_binding: Option<BindingId>,
    pub is_async: bool,
    pub is_arrow: bool,
    pub params: Vec<Param>,
    pub body: FunctionBody,
    /// The scope holding the parameters and the body's `var`s and top-level declarations.
    pub scope: ScopeId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub pattern: Pattern,
    pub rest: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "body", rename_all = "snake_case")]
pub enum FunctionBody {
    Block {
        block: Block,
    },
    /// An arrow function's expression body.
    Expr {
        expr: Box<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnaryOp {
    Not,
    Minus,
    Plus,
    BitNot,
    TypeOf,
    Void,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateOp {
    Increment,
    Decrement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Exp,
    Eq,
    NotEq,
    StrictEq,
    StrictNotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    UShr,
    In,
    InstanceOf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogicalOp {
    And,
    Or,
    Nullish,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignOp {
    Assign,
    /// `op=` for an arithmetic or bitwise operator.
    Compound(BinaryOp),
    /// `&&=`, `||=`, `??=`: assign only when the logical operator would pick the right side.
    Logical(LogicalOp),
}
