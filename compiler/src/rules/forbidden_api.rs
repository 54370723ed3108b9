//! `forbidden-api`: host APIs and module features the workflow sandbox does not provide
//! (`require`, `eval`, `process`, `fetch`, `import`, `with`, …).
//!
//! Besides the IR check, the front end reports two constructs through this rule with the
//! constructors below: [`with_statement`] (the parser rejects `with` in module code) and
//! [`import_declaration`] (the lowering meets a static `import … from`).

use wfc_ir::{classify_global, ExprKind, GlobalKind, Span};

use super::unknown_global::GlobalUse;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "forbidden-api",
    severity: Severity::Error,
    summary: "The script uses a host API or module feature the sandbox does not provide (`require`, `import`, `eval`, `process`, `fs`, `fetch`, …).",
    explanation: "A workflow script runs as one async function body in an isolated `node:vm` context: \
\"No filesystem or Node.js API access\". There is no module loading (`import`, `require`, \
`module`, `__dirname`), no code generation from strings (`eval`, `new Function` throw \
`EvalError`), no `process`, `fs`, `Buffer`, `fetch` or other I/O, and no global object to reach \
them through. Dynamic `import()` is rejected before the run starts. (`performance` and `crypto` \
are absent too; `nondeterministic` reports them.)\n\n\
Work that needs files, commands or the network belongs in an agent: ask one to do it and return \
the result (use `schema` for structured data). Data the script needs up front comes in through \
`args`.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst fs = require('fs')\n",
    check: Check::Ir(check),
};

/// A `with` statement (reported by the parser: module code is strict, where `with` is a syntax
/// error).
pub fn with_statement(span: Span) -> Diagnostic {
    Diagnostic::error(
        RULE.code,
        span,
        "`with` statements are not available in workflow scripts",
    )
    .label("`with` statement")
    .help("name the object explicitly: write `obj.prop` instead of `with (obj) { prop }`")
}

/// A static `import … from …` declaration (reported by the lowering).
pub fn import_declaration(span: Span) -> Diagnostic {
    Diagnostic::error(
        RULE.code,
        span,
        "`import` declarations are not available in workflow scripts",
    )
    .label("module import")
    .help("the script is evaluated as one function body and cannot load modules; inline the code you need, or ask an agent to do the work")
}

fn check(ctx: &mut RuleContext<'_>) {
    let mut found = Vec::new();
    for &(name, span, usage) in ctx.global_uses() {
        if classify_global(name) != GlobalKind::Forbidden {
            continue;
        }
        match name {
            // Reported as `nondeterministic`.
            "performance" | "crypto" => {}
            // The constructor exists in the sandbox (`f instanceof Function` works); only code
            // generation from strings throws.
            "Function" if usage != GlobalUse::Call => {}
            _ => found.push(diagnostic(name, span, usage)),
        }
    }
    ctx.index().imports.iter().for_each(|&e| {
        if let ExprKind::Import { .. } = e.kind {
            found.push(
                Diagnostic::error(
                    RULE.code,
                    e.span,
                    "`import()` is not available in workflow scripts",
                )
                .label("dynamic import")
                .help("the runtime rejects the script before it starts; inline the code you need, or ask an agent to do the work"),
            );
        }
    });
    found.sort_by_key(|d| d.span);
    for d in found {
        ctx.report(d);
    }
}

fn diagnostic(name: &str, span: Span, usage: GlobalUse) -> Diagnostic {
    let (label, help) = match name {
        "require" => (
            "no module system",
            "the script cannot load modules: inline the code you need, and ask an agent for file, shell or network work",
        ),
        "module" | "exports" => (
            "no module system",
            "the script is one function body, not a CommonJS module: produce the workflow's result with `return`",
        ),
        "__dirname" | "__filename" => (
            "the script has no file location",
            "pass paths in `args`, or let an agent work out where files are",
        ),
        "eval" | "Function" => (
            "code generation from strings throws `EvalError`",
            "write the logic as an ordinary function",
        ),
        "globalThis" | "global" | "self" | "window" => (
            "no global object",
            "refer to built-ins by name (`JSON`, `Math`, …); the injected `agent`, `args`, … are not properties of a global object",
        ),
        "setInterval" | "clearInterval" | "setImmediate" => (
            "not provided by the sandbox",
            "loop with `await` instead; only `setTimeout` exists, and no timer survives a resume",
        ),
        _ => (
            "no filesystem, process or network access",
            "workflow scripts have no filesystem, process or network access; ask an agent to do it, or pass data in `args`",
        ),
    };
    let what = if usage == GlobalUse::Write {
        format!("`{name}` cannot be assigned in workflow scripts")
    } else {
        format!("`{name}` is not available in workflow scripts")
    };
    Diagnostic::error(RULE.code, span, what)
        .label(label)
        .help(help)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn require_is_reported_at_the_identifier() {
        let src = format!("{META}const fs = require('fs')\n");
        let d = diagnostics_for("forbidden-api", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "require");
        assert_eq!(
            d[0].message,
            "`require` is not available in workflow scripts"
        );
        assert!(d[0].label.is_some() && d[0].help.is_some());
    }

    #[test]
    fn sandbox_code_is_quiet() {
        let src = format!(
            "{META}const fs = {{ files: args.files }}\nconst process = (x) => agent(x)\nconst out = await process(fs.files.join(' '))\nif (typeof window !== 'undefined') {{}}\nconst isFn = out instanceof Function\nsetTimeout(() => {{}}, 0)\nreturn out\n"
        );
        assert!(diagnostics_for("forbidden-api", &src).is_empty());
    }

    #[test]
    fn host_apis_each_once() {
        let src = format!(
            "{META}const env = process.env.HOME\nconst r = await fetch('https://x')\nconst b = Buffer.from('a')\nconst g = globalThis.agent\nmodule.exports = 1\nconst d = __dirname\nsetInterval(() => {{}}, 10)\n"
        );
        let d = diagnostics_for("forbidden-api", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(
            spans,
            [
                "process",
                "fetch",
                "Buffer",
                "globalThis",
                "module",
                "__dirname",
                "setInterval"
            ]
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("workflow scripts have no filesystem, process or network access; ask an agent to do it, or pass data in `args`")
        );
    }

    #[test]
    fn code_generation() {
        let src = format!("{META}eval('1')\nconst f = new Function('return 1')\n");
        let d = diagnostics_for("forbidden-api", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["eval", "Function"]);
        assert!(d[1]
            .label
            .as_deref()
            .unwrap_or_default()
            .contains("EvalError"));
    }

    #[test]
    fn dynamic_import() {
        let src = format!("{META}const m = await import('./lib.js')\n");
        let d = diagnostics_for("forbidden-api", &src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(&src, &d[0]), "import('./lib.js')");
        assert_eq!(
            d[0].message,
            "`import()` is not available in workflow scripts"
        );
    }

    #[test]
    fn static_import_and_with() {
        let src = "import fs from 'fs'\nexport const meta = { name: 'x', description: 'y' }\n";
        let d = diagnostics_for("forbidden-api", src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(src, &d[0]), "import fs from 'fs'");
        assert_eq!(
            d[0].message,
            "`import` declarations are not available in workflow scripts"
        );

        let src = "with (Math) { max(1, 2) }\n";
        let d = diagnostics_for("forbidden-api", src);
        // Once: the parser reports it at the keyword, and the lowering does not again.
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(src, &d[0]), "with");
        assert!(d[0].message.starts_with("`with`"), "{d:?}");
    }

    #[test]
    fn imported_names_are_reported_once_at_the_import() {
        let src = "import { load } from './lib.js'\nimport * as ns from 'x'\nimport def from 'y'\n\
                   export const meta = { name: 'x', description: 'y' }\n\
                   await agent(load('p') + ns.q + def)\n";
        let codes: Vec<_> = crate::check_text(src)
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .map(|d| d.code)
            .collect();
        assert_eq!(
            codes,
            [
                "forbidden-api",
                "forbidden-api",
                "forbidden-api",
                "meta-first"
            ]
        );
    }

    #[test]
    fn nondeterministic_hosts_are_left_to_that_rule() {
        let src = format!("{META}const id = crypto.randomUUID()\nconst t = performance.now()\n");
        assert!(diagnostics_for("forbidden-api", &src).is_empty());
    }

    #[test]
    fn assignment_to_a_host_name() {
        let src = format!("{META}process = {{}}\n");
        let d = diagnostics_for("forbidden-api", &src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(&src, &d[0]), "process");
        assert_eq!(
            d[0].message,
            "`process` cannot be assigned in workflow scripts"
        );
    }
}
