//! `unknown-global`: a name that is declared nowhere, neither in the script nor by the runtime.
//!
//! This file also holds what the other name-based rules share: how an undeclared name is used
//! (the uses are listed by [`crate::index::ExprIndex`]), and "did you mean …?" suggestions.

use wfc_ir::globals::BUILTINS;
use wfc_ir::{classify_global, GlobalKind, Primitive, Span, Workflow};

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "unknown-global",
    severity: Severity::Error,
    summary: "A name is used that neither the script nor the runtime declares.",
    explanation: "Reading an undeclared name throws a `ReferenceError` when the line runs, which can be \
hours into a run, after agents have already been paid for. The runtime injects only `agent`, \
`parallel`, `pipeline`, `phase`, `log`, `workflow`, `args` and `budget`, plus the standard \
JavaScript built-ins (`JSON`, `Math`, `Array`, `Promise`, `console`, `setTimeout`, …). There is \
no `sleep`, `retry` or `ask` primitive.\n\n\
Fix the spelling (wfc suggests a close name when there is one), declare the name, or pass the \
value in through `args`. `typeof name` is not reported, because it never throws. A name the \
script assigns with `=` somewhere is a global variable from then on (`implicit-global`), not an \
unknown name.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst results = await paralel([() => agent('a'), () => agent('b')])\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let workflow = ctx.workflow;
    let mut found = Vec::new();
    for &(name, span, usage) in ctx.global_uses() {
        if classify_global(name) == GlobalKind::Unknown {
            found.push(diagnostic(workflow, name, span, usage));
        }
    }
    for d in found {
        ctx.report(d);
    }
}

fn diagnostic(workflow: &Workflow, name: &str, span: Span, usage: GlobalUse) -> Diagnostic {
    Diagnostic::error(RULE.code, span, format!("`{name}` is not defined"))
        .label(match usage {
            GlobalUse::Write => "assigned without a declaration",
            GlobalUse::Read | GlobalUse::Call => "not declared anywhere",
        })
        .help(help_for(workflow, name, usage))
}

fn help_for(workflow: &Workflow, name: &str, usage: GlobalUse) -> String {
    match name {
        "sleep" | "wait" | "delay" => {
            return format!(
                "the runtime has no `{name}` primitive; `setTimeout` exists but is not durable across resume, so drop the delay or make progress depend on agent results instead"
            )
        }
        "retry" => {
            return "the runtime has no `retry` helper; write a loop around the `agent()` call and check its result (it is `null` when the agent failed)".to_owned()
        }
        "ask" => {
            return "the runtime has no `ask` primitive: a workflow cannot take user input mid-run; collect the inputs up front and pass them in `args`".to_owned()
        }
        _ => {}
    }
    if is_template_placeholder(name) {
        return format!(
            "`{name}` looks like a placeholder of a script template: check the script after the template is filled in, or pass the value in `args`"
        );
    }
    if workflow.bindings.iter().any(|b| b.name == name) {
        return format!(
            "`{name}` is declared elsewhere in the script but is not in scope here; move the declaration to an enclosing scope or pass the value as a parameter"
        );
    }
    if let Some(s) = closest(name, known_names(workflow)) {
        return format!("did you mean `{s}`?");
    }
    match usage {
        GlobalUse::Write => format!("declare it first: `let {name}`"),
        GlobalUse::Read | GlobalUse::Call => "declare it, or pass the value in `args`".to_owned(),
    }
}

/// `__DIR__`, `__ITEMS_JSON__`: the conventional spelling of a value a generator substitutes.
fn is_template_placeholder(name: &str) -> bool {
    name.len() > 4
        && name.starts_with("__")
        && name.ends_with("__")
        && name[2..name.len() - 2]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Every name a script can legitimately use: the built-ins, the injected names and its own
/// declarations.
fn known_names(workflow: &Workflow) -> Vec<&str> {
    let mut names: Vec<&str> = BUILTINS.to_vec();
    names.extend(Primitive::ALL.map(Primitive::name));
    names.extend(["args", "budget"]);
    names.extend(workflow.bindings.iter().map(|b| b.name.as_str()));
    names
}

/// How an undeclared name is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalUse {
    /// Read as a value (`process.env`, `f(fetch)`).
    Read,
    /// Called or constructed directly (`require('fs')`, `new Function('…')`).
    Call,
    /// Assigned or updated (`x = 1`, `count++`).
    Write,
}

/// Names longer than this get no suggestion (keeps the quadratic distance cheap on hostile input).
const MAX_SUGGEST_LEN: usize = 64;

/// The candidate closest to `name`, if it is close enough to be a likely typo: at most one edit
/// for names of up to three characters, two for longer ones. Case, `_` and `-` are ignored first
/// (`json` → `JSON`, `agent_type` → `agentType`); ties go to the candidate closest as written.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if name.len() > MAX_SUGGEST_LEN {
        return None;
    }
    let norm = normalize(name);
    let len = norm.len();
    if len == 0 {
        return None;
    }
    let limit = if len <= 3 { 1 } else { 2 };
    let name_chars: Vec<char> = name.chars().collect();
    let mut best: Option<((usize, usize), &'a str)> = None;
    for c in candidates {
        if c == name || c.len() > MAX_SUGGEST_LEN {
            continue;
        }
        let d = edit_distance(&norm, &normalize(c));
        if d > limit || d >= len {
            continue;
        }
        let raw: Vec<char> = c.chars().collect();
        let key = (d, edit_distance(&name_chars, &raw));
        if best.is_none_or(|(b, _)| key < b) {
            best = Some((key, c));
        }
    }
    best.map(|(_, c)| c)
}

fn normalize(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and transpositions of
/// adjacent characters each cost one.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d: Vec<usize> = (0..(a.len() + 1) * width)
        .map(|k| if k < width { k } else { 0 })
        .collect();
    for i in 1..=a.len() {
        d[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::{closest, edit_distance};
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn reports_undeclared_name_at_its_span() {
        let src = format!("{META}await sleep(1000)\n");
        let d = diagnostics_for("unknown-global", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "sleep");
        assert_eq!(d[0].message, "`sleep` is not defined");
        assert!(d[0].label.is_some());
        let help = d[0].help.as_deref().unwrap_or_default();
        assert!(
            help.contains("no `sleep` primitive") && help.contains("setTimeout"),
            "{help}"
        );
    }

    #[test]
    fn a_template_placeholder_is_named_as_one() {
        let src = format!("{META}const dir = __TARGET_DIR__\nconst x = __x__\n");
        let d = diagnostics_for("unknown-global", &src);
        assert_eq!(d.len(), 2, "{d:?}");
        let help = d[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("placeholder of a script template"), "{help}");
        // Lower case is not the convention.
        let help = d[1].help.as_deref().unwrap_or_default();
        assert!(!help.contains("placeholder"), "{help}");
    }

    #[test]
    fn declared_injected_and_builtin_names_are_quiet() {
        let src = format!(
            "{META}const files = args.files ?? []\nfunction go(f) {{ return agent(`review ${{f}}`) }}\nconst r = await parallel(files.map(f => () => go(f)))\nphase('Report')\nlog(JSON.stringify(r))\nconsole.log(Math.max(1, budget.remaining()))\nsetTimeout(() => {{}}, 0)\nreturn r.filter(Boolean)\n"
        );
        assert!(diagnostics_for("unknown-global", &src).is_empty());
    }

    #[test]
    fn suggests_a_close_name() {
        let src = format!("{META}const results = await paralel([() => agent('a')])\n");
        let d = diagnostics_for("unknown-global", &src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(&src, &d[0]), "paralel");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `parallel`?"));

        let src = format!("{META}const findings = []\nreturn findngs\n");
        let d = diagnostics_for("unknown-global", &src);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `findings`?"));
    }

    #[test]
    fn missing_primitives_get_specific_advice() {
        for (name, needle) in [("retry", "loop"), ("ask", "args"), ("wait", "setTimeout")] {
            let src = format!("{META}await {name}(1)\n");
            let d = diagnostics_for("unknown-global", &src);
            assert_eq!(d.len(), 1, "{name}");
            let help = d[0].help.as_deref().unwrap_or_default();
            assert!(help.contains(needle), "{name}: {help}");
        }
    }

    #[test]
    fn update_of_undeclared_name() {
        // A plain `total = 3` creates a global (`implicit-global`); `+=` and `++` read first.
        let src = format!("{META}total += 3\ncount++\n");
        let d = diagnostics_for("unknown-global", &src);
        assert_eq!(d.len(), 2);
        assert_eq!(spanned(&src, &d[0]), "total");
        assert_eq!(spanned(&src, &d[1]), "count");
        assert_eq!(d[0].help.as_deref(), Some("declare it first: `let total`"));
    }

    #[test]
    fn out_of_scope_declaration_is_explained() {
        let src = format!("{META}function f() {{ const items = [] }}\nreturn items\n");
        let d = diagnostics_for("unknown-global", &src);
        assert_eq!(d.len(), 1);
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("not in scope"));
    }

    #[test]
    fn typeof_feature_test_and_forbidden_names_are_not_unknown() {
        let src = format!("{META}if (typeof sleep === 'function') {{}}\nconst p = process.env\n");
        assert!(diagnostics_for("unknown-global", &src).is_empty());
    }

    #[test]
    fn inside_nested_functions_and_defaults() {
        let src =
            format!("{META}const f = async ({{ n = limit }}) => {{ if (n) return fetchAll(n) }}\n");
        let d = diagnostics_for("unknown-global", &src);
        let names: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(names, ["limit", "fetchAll"]);
    }

    #[test]
    fn no_suggestion_for_unrelated_short_names() {
        let src = format!("{META}return q\n");
        let d = diagnostics_for("unknown-global", &src);
        assert_eq!(
            d[0].help.as_deref(),
            Some("declare it, or pass the value in `args`")
        );
    }

    #[test]
    fn closest_ignores_case_and_separators() {
        let known = ["JSON", "agentType", "label", "parallel"];
        assert_eq!(closest("json", known), Some("JSON"));
        assert_eq!(closest("agent_type", known), Some("agentType"));
        assert_eq!(closest("labels", known), Some("label"));
        assert_eq!(closest("paralell", known), Some("parallel"));
        assert_eq!(closest("zzz", known), None);
        assert_eq!(closest("", known), None);
    }

    #[test]
    fn distance_counts_transpositions_once() {
        let d = |a: &str, b: &str| {
            edit_distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("hgih", "high"), 1);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
    }
}
