//! What an undeclared name means inside a workflow script.

use serde::{Deserialize, Serialize};

/// The functions the runtime injects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Primitive {
    Agent,
    Parallel,
    Pipeline,
    Phase,
    Log,
    Workflow,
}

impl Primitive {
    pub const ALL: [Primitive; 6] = [
        Primitive::Agent,
        Primitive::Parallel,
        Primitive::Pipeline,
        Primitive::Phase,
        Primitive::Log,
        Primitive::Workflow,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Primitive::Agent => "agent",
            Primitive::Parallel => "parallel",
            Primitive::Pipeline => "pipeline",
            Primitive::Phase => "phase",
            Primitive::Log => "log",
            Primitive::Workflow => "workflow",
        }
    }

    pub fn from_name(name: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalKind {
    /// `agent`, `parallel`, …
    Primitive(Primitive),
    /// `args` or `budget`.
    Injected,
    /// A standard built-in the sandbox provides.
    Builtin,
    /// A host API the sandbox does not provide (or refuses): using it fails the run.
    Forbidden,
    /// Not defined anywhere: a `ReferenceError` at run time.
    Unknown,
}

/// Standard built-ins available in the workflow sandbox (a `node:vm` context plus `console`,
/// `setTimeout` and `clearTimeout`).
pub const BUILTINS: &[&str] = &[
    "AggregateError",
    "Array",
    "ArrayBuffer",
    "Atomics",
    "BigInt",
    "BigInt64Array",
    "BigUint64Array",
    "Boolean",
    "DataView",
    "Date",
    "Error",
    "EvalError",
    "FinalizationRegistry",
    "Float16Array",
    "Float32Array",
    "Float64Array",
    "Infinity",
    "Int16Array",
    "Int32Array",
    "Int8Array",
    "Intl",
    "Iterator",
    "JSON",
    "Map",
    "Math",
    "NaN",
    "Number",
    "Object",
    "Promise",
    "Proxy",
    "RangeError",
    "ReferenceError",
    "Reflect",
    "RegExp",
    "Set",
    "SharedArrayBuffer",
    "String",
    "Symbol",
    "SyntaxError",
    "TypeError",
    "URIError",
    "Uint16Array",
    "Uint32Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "WeakMap",
    "WeakRef",
    "WeakSet",
    "clearTimeout",
    "console",
    "decodeURI",
    "decodeURIComponent",
    "encodeURI",
    "encodeURIComponent",
    "escape",
    "isFinite",
    "isNaN",
    "parseFloat",
    "parseInt",
    "queueMicrotask",
    "setTimeout",
    "structuredClone",
    "undefined",
    "unescape",
];

/// Host APIs that are absent or refused in the sandbox. Using one is a `forbidden-api` error, not
/// an `unknown-global`.
pub const FORBIDDEN: &[&str] = &[
    "Buffer",
    "Function",
    "XMLHttpRequest",
    "WebSocket",
    "__dirname",
    "__filename",
    "crypto",
    "eval",
    "exports",
    "fetch",
    "fs",
    "global",
    "globalThis",
    "module",
    "performance",
    "process",
    "require",
    "self",
    "setImmediate",
    "setInterval",
    "clearInterval",
    "window",
];

pub fn classify_global(name: &str) -> GlobalKind {
    if let Some(p) = Primitive::from_name(name) {
        GlobalKind::Primitive(p)
    } else if name == "args" || name == "budget" {
        GlobalKind::Injected
    } else if BUILTINS.contains(&name) {
        GlobalKind::Builtin
    } else if FORBIDDEN.contains(&name) {
        GlobalKind::Forbidden
    } else {
        GlobalKind::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        assert_eq!(
            classify_global("agent"),
            GlobalKind::Primitive(Primitive::Agent)
        );
        assert_eq!(classify_global("args"), GlobalKind::Injected);
        assert_eq!(classify_global("JSON"), GlobalKind::Builtin);
        // Every standard global of the language is there, the newer and rarer ones too.
        for name in [
            "BigInt",
            "WeakRef",
            "FinalizationRegistry",
            "Iterator",
            "Atomics",
            "escape",
        ] {
            assert_eq!(classify_global(name), GlobalKind::Builtin, "{name}");
        }
        assert_eq!(classify_global("process"), GlobalKind::Forbidden);
        assert_eq!(classify_global("sleep"), GlobalKind::Unknown);
    }
}
