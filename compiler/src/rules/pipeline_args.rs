//! `pipeline-args`: `pipeline()` without stages, with a first argument that cannot be an array,
//! or with a stage that is not a function.

use wfc_ir::{Argument, Expr, ExprKind, Span};

use super::thunk_expected::{is_missing, snippet, Decls, Shape};
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "pipeline-args",
    severity: Severity::Error,
    summary: "`pipeline(items, ...stages)` is called without stages, with items that cannot be an array, or with a stage that is not a function.",
    explanation: "`pipeline(items, stage1, stage2, …)` runs every item through the stages \
independently: each stage is a function called as `stage(prev, item, index)`. The first argument \
must be an array; anything else fails the run with `TypeError: pipeline() expects an array as the \
first argument`. Typical causes are passing the un-awaited promise of an `agent()` call, a string \
or an object, or a `Set`. A stage that is not a function (an `agent(…)` call, a literal) cannot be \
called, and a pipeline without stages does no work.\n\n\
Await the agent that produces the list and pass the array itself \
(`const { files } = await agent(…, { schema }); await pipeline(files, f => agent(…))`), spread a \
`Set` into an array (`[...set]`), and write every stage as a function of the previous result: \
`prev => agent(…)`.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst out = await pipeline(agent('list the changed files'), f => agent(`review ${f}`))\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let decls = ctx.decls();
    let text = ctx.text;
    let mut found = Vec::new();
    ctx.index().primitives.iter().for_each(|&e| {
        if let ExprKind::Pipeline { items, stages } = &e.kind {
            check_call(decls, text, e.span, items, stages, &mut found);
        }
    });
    found.sort_by_key(|d| d.span);
    for d in found {
        ctx.report(d);
    }
}

fn check_call(
    decls: &Decls<'_>,
    text: &str,
    call: Span,
    items: &Expr,
    stages: &[Argument],
    out: &mut Vec<Diagnostic>,
) {
    if is_missing(items) {
        out.push(
            Diagnostic::error(
                RULE.code,
                call,
                "`pipeline()` expects an array as the first argument",
            )
            .label("called without arguments")
            .help("pass the items and at least one stage: `pipeline(items, item => agent(...))`"),
        );
        return;
    }
    if let Some(d) = check_items(decls, text, items) {
        out.push(d);
    }
    if stages.is_empty() {
        out.push(
            Diagnostic::error(RULE.code, call, "`pipeline()` has no stages")
                .label("the items go through no stage")
                .help(format!(
                    "add a stage that does the work: `pipeline({}, item => agent(...))`",
                    snippet(text, items.span, "items")
                )),
        );
    }
    for stage in stages.iter().filter(|s| !s.spread) {
        if let Some(d) = check_stage(decls, text, &stage.expr) {
            out.push(d);
        }
    }
}

fn check_items(decls: &Decls<'_>, text: &str, items: &Expr) -> Option<Diagnostic> {
    let (label, help) = match decls.shape(items) {
        Shape::Promise(what) => (
            format!("{what}: a promise, not an array"),
            match decls.resolve(items).kind {
                ExprKind::Agent(_) => "await the agent first and pass the array it returns: `const { files } = await agent(..., { schema }); pipeline(files, ...)`".to_owned(),
                _ => format!("await it first: `pipeline(await {}, ...)`", snippet(text, items.span, "…")),
            },
        ),
        Shape::Function => (
            "a function, not an array".to_owned(),
            "pass the items first and the stages after them: `pipeline(items, stage1, stage2)`"
                .to_owned(),
        ),
        Shape::Other(what) => (format!("{what}, not an array"), items_help(decls, items)),
        Shape::Array | Shape::Awaited(_) | Shape::Unknown => return None,
    };
    Some(
        Diagnostic::error(
            RULE.code,
            items.span,
            "`pipeline()` expects an array as the first argument",
        )
        .label(label)
        .help(help),
    )
}

fn items_help(decls: &Decls<'_>, items: &Expr) -> String {
    match decls.resolve(items).kind {
        ExprKind::New { .. } => "spread it into an array: `pipeline([...set], ...)`".to_owned(),
        ExprKind::Object { .. } => {
            "pass an array: `pipeline(Object.values(obj), ...)` or `pipeline(Object.entries(obj), ...)`"
                .to_owned()
        }
        _ => "pass an array of items: `pipeline(['a', 'b'], item => agent(...))`".to_owned(),
    }
}

fn check_stage(decls: &Decls<'_>, text: &str, stage: &Expr) -> Option<Diagnostic> {
    let (what, label) = match decls.shape(stage) {
        Shape::Promise(what) => (what.to_owned(), "runs once, right now: not a stage"),
        Shape::Awaited(Some(p)) => (
            format!("the awaited result of `{}()`", p.name()),
            "a value, not a function",
        ),
        Shape::Array => ("an array".to_owned(), "not a function"),
        Shape::Other(what) => (what.to_owned(), "not a function"),
        Shape::Function | Shape::Awaited(None) | Shape::Unknown => return None,
    };
    let help = match decls.resolve(stage).kind {
        ExprKind::Agent(_) | ExprKind::Await { .. } => format!(
            "make it a function of the previous result: `prev => {}`",
            snippet(
                text,
                match &stage.kind {
                    ExprKind::Await { arg } => arg.span,
                    _ => decls.resolve(stage).span,
                },
                "agent(...)"
            )
        ),
        _ => "every stage is called as `stage(prev, item, index)`: write it as a function, e.g. `prev => agent(...)`".to_owned(),
    };
    Some(
        Diagnostic::error(
            RULE.code,
            stage.span,
            format!("`pipeline()` stage is {what}, not a function"),
        )
        .label(label)
        .help(help),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};
    use crate::rules::thunk_expected::spans_for;

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    fn spans(src: &str) -> Vec<String> {
        spans_for("pipeline-args", src)
    }

    #[test]
    fn unawaited_agent_as_items() {
        let src = format!("{META}const out = await pipeline(agent('list files'), f => agent(f))\n");
        let d = diagnostics_for("pipeline-args", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "agent('list files')");
        assert_eq!(
            d[0].message,
            "`pipeline()` expects an array as the first argument"
        );
        assert_eq!(
            d[0].label.as_deref(),
            Some("an `agent()` call: a promise, not an array")
        );
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .starts_with("await the agent first"));
    }

    #[test]
    fn literal_items() {
        let src = format!(
            "{META}const LIST = 'a,b'\nawait pipeline('a,b', f => agent(f))\nawait pipeline({{ a: 1 }}, f => agent(f))\nawait pipeline(LIST, f => agent(f))\nawait pipeline(new Set(['a']), f => agent(f))\nawait pipeline(f => agent(f), ['a'])\n"
        );
        let d = diagnostics_for("pipeline-args", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(
            spans,
            [
                "'a,b'",
                "{ a: 1 }",
                "LIST",
                "new Set(['a'])",
                "f => agent(f)",
                "['a']"
            ]
        );
        assert_eq!(d[0].label.as_deref(), Some("a string, not an array"));
        assert_eq!(
            d[3].help.as_deref(),
            Some("spread it into an array: `pipeline([...set], ...)`")
        );
        assert_eq!(
            d[5].message,
            "`pipeline()` stage is an array, not a function"
        );
    }

    #[test]
    fn no_stages_and_no_arguments() {
        let src = format!("{META}const xs = ['a']\nawait pipeline(xs)\nawait pipeline()\n");
        let d = diagnostics_for("pipeline-args", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["pipeline(xs)", "pipeline()"]);
        assert_eq!(d[0].message, "`pipeline()` has no stages");
        assert_eq!(
            d[0].help.as_deref(),
            Some("add a stage that does the work: `pipeline(xs, item => agent(...))`")
        );
        assert_eq!(
            d[1].message,
            "`pipeline()` expects an array as the first argument"
        );
    }

    #[test]
    fn stages_that_are_not_functions() {
        let src = format!(
            "{META}const xs = ['a']\nawait pipeline(xs, agent('review'), 'summarise', await agent('x'))\n"
        );
        let d = diagnostics_for("pipeline-args", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(
            spans,
            ["agent('review')", "'summarise'", "await agent('x')"]
        );
        assert_eq!(
            d[0].message,
            "`pipeline()` stage is an `agent()` call, not a function"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("make it a function of the previous result: `prev => agent('review')`")
        );
        assert_eq!(
            d[2].help.as_deref(),
            Some("make it a function of the previous result: `prev => agent('x')`")
        );
    }

    #[test]
    fn ordinary_pipelines_are_quiet() {
        let src = format!(
            "{META}const found = await agent('list', {{ schema: {{ type: 'object' }} }})\nconst review = (f) => agent(f)\nfunction verify(r) {{ return agent(String(r)) }}\nconst stages = [review]\nawait pipeline(found.files, review, verify, r => r, agent)\nawait pipeline(args.items ?? [], (_, f) => agent(f))\nawait pipeline(await parallel([() => agent('x')]), r => agent(r))\nawait pipeline(Object.keys(found), ...stages)\nawait pipeline([...new Set(found.files)], f => agent(f))\n"
        );
        assert!(spans(&src).is_empty(), "{:?}", spans(&src));
    }
}
