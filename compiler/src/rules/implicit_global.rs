//! `implicit-global`: a name assigned without a declaration, which becomes a global variable.

use wfc_ir::BindingKind;

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "implicit-global",
    severity: Severity::Warning,
    summary: "A name is assigned without being declared, which creates a global variable.",
    explanation: "The runtime runs the script body as an ordinary function, not in strict mode, so \
`note = 'x'` without `let`, `const` or `var` creates a global variable at its first assignment. \
Reading the name before that throws a `ReferenceError`, and ports that run scripts in strict mode \
(the Qwen port) throw at the assignment itself. It is usually a forgotten declaration.\n\n\
Declare the name with `let` in the scope that uses it. wfc treats it as a variable of the script \
scope, so its other uses are not reported as `unknown-global`.",
    example: "export const meta = { name: 'x', description: 'y' }\nif (args.fast) mode = 'fast'\nelse mode = 'thorough'\nawait agent(`review in ${mode} mode`)\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let found: Vec<Diagnostic> = ctx
        .workflow
        .bindings
        .iter()
        .filter(|b| b.kind == BindingKind::Implicit)
        .map(|b| {
            Diagnostic::warning(
                RULE.code,
                b.span,
                format!("`{}` is assigned without being declared", b.name),
            )
            .label("creates a global variable")
            .help(format!(
                "declare it first, e.g. `let {} = …` where it is set, or `let {}` before the branches that set it; in strict mode this assignment throws",
                b.name, b.name
            ))
        })
        .collect();
    for d in found {
        ctx.report(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn reports_the_first_assignment_once() {
        let src = format!(
            "{META}if (args.fast) mode = 'fast'\nelse mode = 'slow'\nawait agent(`in ${{mode}} mode`)\n"
        );
        let d = diagnostics_for("implicit-global", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "mode");
        assert_eq!(d[0].message, "`mode` is assigned without being declared");
        assert!(src[..d[0].span.start as usize].ends_with("if (args.fast) "));
        // Its uses are those of a variable, not unknown names.
        assert!(diagnostics_for("unknown-global", &src).is_empty());
    }

    #[test]
    fn destructuring_and_loop_heads_assign_too() {
        let src = format!("{META};[a, b] = [1, 2]\nfor (k of args.files) await agent(k)\nawait agent(`${{a}}${{b}}`)\n");
        let codes: Vec<_> = diagnostics_for("implicit-global", &src)
            .iter()
            .map(|d| spanned(&src, d).to_owned())
            .collect();
        assert_eq!(codes, ["a", "b", "k"]);
        assert!(diagnostics_for("unknown-global", &src).is_empty());
    }

    #[test]
    fn only_the_plain_writes_inside_a_target_create_names() {
        // A target's defaults and keys are expressions of their own: what they write is decided
        // by their own operator, not by the assignment around them.
        let src = format!(
            "{META};[a = (b += 1), c] = [1]\no[d = 'k'] = 2\nx[e++] = 3\nfunction f() {{ late = 1 }}\n\
             for ({{ g, h: [i] }} of args.rows) await agent(String(g + i))\nlate = 0\n\
             await agent(`${{a}}${{c}}${{d}}${{late}}${{f()}}`)\n"
        );
        let found: Vec<_> = diagnostics_for("implicit-global", &src)
            .iter()
            .map(|d| spanned(&src, d).to_owned())
            .collect();
        // `late` once, at its first assignment in source order (inside `f`).
        assert_eq!(found, ["a", "c", "d", "late", "g", "i"]);
        let unknown: Vec<_> = diagnostics_for("unknown-global", &src)
            .iter()
            .map(|d| spanned(&src, d).to_owned())
            .collect();
        assert_eq!(unknown, ["b", "o", "x", "e"]);
    }

    #[test]
    fn reads_and_updates_alone_are_unknown_names() {
        // Without a plain assignment the name never exists: `x += 1` reads it first and throws.
        let src = format!("{META}total += 1\nawait agent(String(missing))\n");
        assert!(diagnostics_for("implicit-global", &src).is_empty());
        assert_eq!(diagnostics_for("unknown-global", &src).len(), 2);
    }

    #[test]
    fn declared_names_and_host_names_are_not_implicit() {
        let src = format!("{META}let mode\nmode = 'x'\nfunction f() {{ let local; local = 1; return local }}\nawait agent(mode + f())\n");
        assert!(diagnostics_for("implicit-global", &src).is_empty());
        // `process` is a host name: forbidden-api reports it.
        let src = format!("{META}process = {{}}\n");
        assert!(diagnostics_for("implicit-global", &src).is_empty());
    }
}
