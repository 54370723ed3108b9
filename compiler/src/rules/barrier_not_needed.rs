//! `barrier-not-needed`: a `parallel()` whose results are then fanned out again item by item.

use wfc_ir::{BindingId, Block, Expr, ExprKind, FunctionBody, Pattern, Span, Stmt, StmtKind};

use super::{Check, Rule, RuleContext};
use crate::analysis::durations::Durations;
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "barrier-not-needed",
    severity: Severity::Warning,
    summary: "A `parallel()` waits for all its items, and its results are then fanned out again one by one: `pipeline()` would not wait.",
    explanation: "`parallel()` is a barrier: the next stage starts only when the slowest item of this one is done. When the next stage handles each result on its own (no dedup, merge or early exit across all results), that wait buys nothing: `pipeline(items, stageA, stageB)` lets every item move on as soon as its own stage is done. With 100 items, 16 at a time, a 5-minute stage and a 3-minute stage take about 56 minutes as a pipeline against 56 + 6 = 62 with the barrier. Keep the barrier when the next stage needs all results (dedup, \"the other findings\", stopping on an empty round).",
    example: "export const meta = { name: 'x', description: 'y' }\nconst files = ['a.js', 'b.js', 'c.js']\nconst found = await parallel(files.map(f => () => agent(`Find bugs in ${f}`)))\nconst verified = await parallel(found.map(r => () => agent(`Verify: ${r}`)))\nreturn verified\n",
    check: Check::Bounds(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let mut lists: Vec<&[Stmt]> = vec![&ctx.workflow.body];
    collect_lists(&ctx.workflow.body, &mut lists);
    // Only a barrier whose result is read once can go; the reads are counted once per check, for
    // the rules that need them.
    let barriers: crate::fxhash::HashSet<BindingId> = lists
        .iter()
        .flat_map(|list| list.iter().filter_map(barrier_decl))
        .map(|(binding, _)| binding)
        .collect();
    if barriers.is_empty() {
        return;
    }
    for list in lists {
        for (i, s1) in list.iter().enumerate() {
            let Some((binding, first)) = barrier_decl(s1) else {
                continue;
            };
            if ctx.reads(binding) != 1 {
                continue;
            }
            let Some(second) = list[i + 1..]
                .iter()
                .find_map(|s2| fan_out_over(s2, binding))
            else {
                continue;
            };
            let saving = saving_text(ctx, first.span, second);
            ctx.report(
                Diagnostic::warning(
                    RULE.code,
                    first.span,
                    format!("this `parallel()` waits for every item, but its results are then fanned out again one by one{saving}"),
                )
                .label("barrier: the next stage waits for the slowest item")
                .help("fold both stages into one `pipeline(items, stageA, stageB)` so each item moves on as soon as it is done"),
            );
        }
    }
}

/// `const b = await parallel(…)`, optionally followed by `.filter(…)`/`.flat()`.
fn barrier_decl(s: &Stmt) -> Option<(BindingId, &Expr)> {
    let StmtKind::VarDecl { decls, .. } = &s.kind else {
        return None;
    };
    let [d] = decls.as_slice() else { return None };
    let Pattern::Binding { binding, .. } = &d.pattern else {
        return None;
    };
    let mut e = d.init.as_ref()?;
    loop {
        match &e.kind {
            ExprKind::Call { callee, .. } => match &callee.kind {
                ExprKind::Member {
                    object, property, ..
                } if matches!(property.name(), Some("filter" | "flat")) => e = object,
                _ => return None,
            },
            ExprKind::Await { arg } if matches!(arg.kind, ExprKind::Parallel { .. }) => {
                return Some((*binding, arg))
            }
            _ => return None,
        }
    }
}

/// A `parallel(b.map(…))` or `pipeline(b, …)` in `s`, returning the fan-out call.
fn fan_out_over(s: &Stmt, b: BindingId) -> Option<Span> {
    let mut found = None;
    let is_b = |e: &Expr| {
        let mut e = e;
        loop {
            match &e.kind {
                ExprKind::Var { binding, .. } => return *binding == b,
                ExprKind::Call { callee, .. } => match &callee.kind {
                    ExprKind::Member {
                        object, property, ..
                    } if matches!(property.name(), Some("filter" | "flat" | "slice")) => e = object,
                    _ => return false,
                },
                _ => return false,
            }
        }
    };
    wfc_ir::visit::for_each_expr_in_stmt(s, &mut |e| {
        let hit = match &e.kind {
            ExprKind::Parallel { thunks, .. } => match &thunks.kind {
                ExprKind::Call { callee, .. } => match &callee.kind {
                    ExprKind::Member {
                        object, property, ..
                    } => property.name() == Some("map") && is_b(object),
                    _ => false,
                },
                _ => false,
            },
            ExprKind::Pipeline { items, .. } => is_b(items),
            _ => false,
        };
        if hit && found.is_none() {
            found = Some(e.span);
        }
    });
    found
}

/// Every statement list inside functions and blocks.
fn collect_lists<'a>(stmts: &'a [Stmt], out: &mut Vec<&'a [Stmt]>) {
    let push_block = |b: &'a Block, out: &mut Vec<&'a [Stmt]>| {
        out.push(&b.stmts);
        collect_lists(&b.stmts, out);
    };
    for s in stmts {
        match &s.kind {
            StmtKind::Block { block } => push_block(block, out),
            StmtKind::FunctionDecl { function, .. } => {
                if let FunctionBody::Block { block } = &function.body {
                    push_block(block, out);
                }
            }
            StmtKind::If {
                consequent,
                alternate,
                ..
            } => {
                collect_lists(std::slice::from_ref(consequent), out);
                if let Some(a) = alternate {
                    collect_lists(std::slice::from_ref(a), out);
                }
            }
            StmtKind::For { body, .. }
            | StmtKind::ForOf { body, .. }
            | StmtKind::ForIn { body, .. }
            | StmtKind::While { body, .. }
            | StmtKind::DoWhile { body, .. }
            | StmtKind::Labeled { body, .. } => collect_lists(std::slice::from_ref(body), out),
            StmtKind::Try {
                block,
                handler,
                finalizer,
            } => {
                push_block(block, out);
                if let Some(h) = handler {
                    push_block(&h.body, out);
                }
                if let Some(f) = finalizer {
                    push_block(f, out);
                }
            }
            _ => {}
        }
    }
}

/// " (about 62 → 56 min with 100 items, 16 at a time)" from the agents in both fan-outs.
fn saving_text(ctx: &RuleContext<'_>, first: Span, second: Span) -> String {
    let Some(analysis) = ctx.analysis else {
        return String::new();
    };
    let durations = Durations::default();
    let stage = |span: Span| {
        analysis
            .sites
            .iter()
            .filter(|s| s.span.start >= span.start && s.span.end <= span.end)
            .map(|s| durations.minutes(s.model.as_deref(), s.effort.as_deref()))
            .fold(0.0f64, f64::max)
    };
    let (a, b) = (stage(first), stage(second));
    if a == 0.0 || b == 0.0 {
        return String::new();
    }
    let width = analysis
        .fans
        .iter()
        .find(|f| f.span == first)
        .and_then(|f| f.width.hi.as_constant());
    let (n, assumed) = match width {
        Some(n) if n >= 1.0 => (n, false),
        _ => (100.0, true),
    };
    let p = ctx.options.limits.max_concurrency.max(1) as f64;
    let waves = (n / p).ceil();
    let barrier = waves * a + waves * b;
    let pipelined = (n * (a + b) / p).max(a + b);
    if barrier - pipelined < 0.5 {
        return String::new();
    }
    format!(
        " (about {barrier:.0} → {pipelined:.0} min {} {n:.0} items, {p:.0} at a time)",
        if assumed { "with, say," } else { "with" }
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn parallel_then_per_item_fan_out() {
        let src = format!("{META}const files = args.files\nconst found = (await parallel(files.map(f => () => agent(`find ${{f}}`)))).filter(Boolean)\nconst verified = await parallel(found.map(r => () => agent(`verify ${{r}}`)))\nreturn verified\n");
        let d = diagnostics_for("barrier-not-needed", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(spanned(&src, &d[0]).starts_with("parallel(files.map"));
        assert!(
            d[0].message.contains("min with, say, 100 items"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn results_used_across_items_keep_the_barrier() {
        let src = format!("{META}const found = await parallel(args.files.map(f => () => agent(`find ${{f}}`)))\nlog(`${{found.length}} found`)\nconst verified = await parallel(found.map(r => () => agent(`verify ${{r}}`)))\nreturn verified\n");
        assert!(diagnostics_for("barrier-not-needed", &src).is_empty());
    }

    #[test]
    fn pipeline_is_quiet() {
        let src = format!("{META}return pipeline(args.files, f => agent(`find ${{f}}`), r => agent(`verify ${{r}}`))\n");
        assert!(diagnostics_for("barrier-not-needed", &src).is_empty());
    }
}
