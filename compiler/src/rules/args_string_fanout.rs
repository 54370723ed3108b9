//! `args-string-fanout`: a fan-out over `args` (or a property of it) in a script that never
//! normalizes `args`, which often arrives as a JSON-encoded string.

use crate::fxhash::HashSet;

use wfc_ir::visit::{walk_expr, walk_stmt, Visitor};
use wfc_ir::{Argument, Expr, ExprKind, MemberProp, Span, Stmt, StmtKind, UnaryOp};

use super::meta_required::static_str;
use super::thunk_expected::{snippet, Decls};
use super::unchecked_null::is_equality;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::ExprIndex;

pub const RULE: Rule = Rule {
    code: "args-string-fanout",
    severity: Severity::Warning,
    summary: "The script fans out over `args` without normalizing it, and `args` often arrives as a JSON-encoded string.",
    explanation: "`args` is meant to be the JSON value passed to the Workflow tool, but a long-standing \
defect delivers it **as a JSON-encoded string** even when an array or object was passed. A \
fan-out over it (`parallel(args.map(…))`, `pipeline(args, …)`, `for (const x of args) await \
agent(…)`) then iterates the string's characters: real runs have spawned ~300 agents this way. \
A fan-out over a property (`args.files`) gets `undefined` instead and fails the run.\n\n\
Normalize once at the top and use the result everywhere: \
`const ARGS = typeof args === 'string' ? JSON.parse(args) : args` (wrap `JSON.parse` in \
`try`/`catch` if `args` may also be free text). wfc accepts any `typeof args` comparison, \
`JSON.parse(args)` or `Array.isArray(args)` anywhere in the script as normalization.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst reviews = await parallel(args.map(file => () => agent(`review ${file}`)))\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    if normalizes_args(ctx.index()) {
        return;
    }
    let decls = ctx.decls();
    // The span of each fanned-out expression, and whether it is a property of `args`.
    let mut fanouts: Vec<(Span, ArgsPath)> = Vec::new();
    let index = ctx.index();
    index
        .primitives
        .iter()
        .chain(&index.calls)
        .for_each(|&e| match &e.kind {
            ExprKind::Pipeline { items, .. } => {
                if let Some(path) = args_path(decls, items) {
                    fanouts.push((items.span, path));
                }
            }
            ExprKind::Call { callee, args, .. } => {
                if let Some(over) = fanout_call(decls, callee, args) {
                    fanouts.push(over);
                }
            }
            _ => {}
        });
    struct Loops<'d, 'a> {
        decls: &'d Decls<'a>,
        found: Vec<(Span, ArgsPath)>,
    }
    impl Visitor<'_> for Loops<'_, '_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            if let StmtKind::ForOf { right, body, .. } = &stmt.kind {
                if let Some(path) = args_path(self.decls, right) {
                    if spawns_agents(self.decls, |v| v.visit_stmt(body)) {
                        self.found.push((right.span, path));
                    }
                }
            }
            walk_stmt(self, stmt);
        }
    }
    let mut loops = Loops {
        decls,
        found: Vec::new(),
    };
    wfc_ir::visit::walk_workflow(&mut loops, ctx.workflow);
    fanouts.extend(loops.found);
    fanouts.sort();
    fanouts.dedup();
    for (span, path) in fanouts {
        ctx.report(diagnostic(ctx.text, span, path));
    }
}

/// What a fanned-out `args` path reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ArgsPath {
    /// `args` itself (possibly sliced or through a `const`): a string iterates characters.
    Whole,
    /// A property of `args`: `undefined` when `args` is a string.
    Property,
}

fn diagnostic(text: &str, span: Span, path: ArgsPath) -> Diagnostic {
    let over = snippet(text, span, "args");
    let (message, label) = if path == ArgsPath::Whole {
        (
            if over == "args" {
                "fan-out over `args`, which often arrives as a JSON-encoded string".to_owned()
            } else {
                format!("fan-out over `{over}`, and `args` often arrives as a JSON-encoded string")
            },
            "a string here fans out one agent per character".to_owned(),
        )
    } else {
        (
            format!("fan-out over `{over}` without normalizing `args`, which often arrives as a JSON-encoded string"),
            "when `args` arrives as a string, its properties are `undefined` and the run fails"
                .to_owned(),
        )
    };
    Diagnostic::warning(RULE.code, span, message)
        .label(label)
        .help("normalize `args` once at the top and fan out over the result: `const ARGS = typeof args === 'string' ? JSON.parse(args) : args`")
}

/// `X.map(cb)` / `X.flatMap(cb)` / `X.forEach(cb)` over an `args` path, with a callback that starts
/// agents: the span of `X`.
fn fanout_call(decls: &Decls<'_>, callee: &Expr, args: &[Argument]) -> Option<(Span, ArgsPath)> {
    let ExprKind::Member {
        object, property, ..
    } = &callee.kind
    else {
        return None;
    };
    if !matches!(property.name(), Some("map" | "flatMap" | "forEach")) {
        return None;
    }
    let path = args_path(decls, object)?;
    let callback = decls.function(&args.first()?.expr)?;
    spawns_agents(decls, |v| wfc_ir::visit::walk_function(v, callback))
        .then_some((object.span, path))
}

/// Whether an expression is `args` or a property path of it (`args.files`, `args?.x[0]`,
/// `args.files.slice(0, 20)`), directly or through a `const`, and which.
fn args_path(decls: &Decls<'_>, expr: &Expr) -> Option<ArgsPath> {
    let mut e = decls.resolve(expr);
    let mut path = ArgsPath::Whole;
    for _ in 0..32 {
        match &e.kind {
            ExprKind::Args => return Some(path),
            ExprKind::Chain { expr } => e = expr,
            // `args.slice(0, 20)`: a capped fan-out is still one agent per character.
            ExprKind::Call { callee, .. } => match &callee.kind {
                ExprKind::Member {
                    object, property, ..
                } if property.name() == Some("slice") => e = decls.resolve(object),
                _ => return None,
            },
            ExprKind::Member {
                object, property, ..
            } => {
                if let MemberProp::Computed { expr } = property {
                    if static_str(expr).is_none() && !matches!(expr.kind, ExprKind::Literal { .. })
                    {
                        return None;
                    }
                }
                path = ArgsPath::Property;
                e = decls.resolve(object);
            }
            _ => return None,
        }
    }
    None
}

/// Whether the code `walk` visits starts agents: an `agent()`, `parallel()`, `pipeline()` or
/// `workflow()` call, or a call of a script function that does (followed a few levels deep).
fn spawns_agents<'a>(decls: &Decls<'_>, walk: impl FnOnce(&mut dyn Visitor<'a>)) -> bool {
    spawns_at(decls, walk, 0)
}

fn spawns_at<'a>(decls: &Decls<'_>, walk: impl FnOnce(&mut dyn Visitor<'a>), depth: usize) -> bool {
    struct Finder<'d, 'a> {
        decls: &'d Decls<'a>,
        depth: usize,
        seen: HashSet<Span>,
        found: bool,
    }
    impl Visitor<'_> for Finder<'_, '_> {
        fn visit_expr(&mut self, expr: &Expr) {
            if self.found {
                return;
            }
            match &expr.kind {
                ExprKind::Agent(_)
                | ExprKind::Parallel { .. }
                | ExprKind::Pipeline { .. }
                | ExprKind::Workflow { .. } => self.found = true,
                ExprKind::Call { callee, .. } if self.depth < 3 => {
                    if let Some(f) = self.decls.function(callee) {
                        if self.seen.insert(f.span) {
                            self.found |= spawns_at(
                                self.decls,
                                |v| wfc_ir::visit::walk_function(v, f),
                                self.depth + 1,
                            );
                        }
                    }
                }
                _ => {}
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        decls,
        depth,
        seen: HashSet::default(),
        found: false,
    };
    walk(&mut finder);
    finder.found
}

/// Whether the script anywhere tests `typeof args`, parses it with `JSON.parse`, or checks it
/// with `Array.isArray`.
fn normalizes_args(index: &ExprIndex<'_>) -> bool {
    let mut found = false;
    index.equalities.iter().chain(&index.calls).for_each(|e| {
        found |= match &e.kind {
            ExprKind::Binary { op, left, right } if is_equality(*op) => {
                is_typeof_args(left) || is_typeof_args(right)
            }
            ExprKind::Call { callee, args, .. } => {
                let target = matches!(
                    callee_path(callee),
                    Some(("JSON", "parse") | ("Array", "isArray"))
                );
                target && args.first().is_some_and(|a| mentions_args(&a.expr))
            }
            _ => false,
        };
    });
    found
}

fn is_typeof_args(expr: &Expr) -> bool {
    matches!(&expr.kind, ExprKind::Unary { op: UnaryOp::TypeOf, arg } if mentions_args(arg))
}

/// `args` or a path starting at it (without following names).
fn mentions_args(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Args => true,
        ExprKind::Chain { expr } => mentions_args(expr),
        ExprKind::Member { object, .. } => mentions_args(object),
        _ => false,
    }
}

/// `Global.method` as a pair of names.
fn callee_path(callee: &Expr) -> Option<(&str, &str)> {
    let ExprKind::Member {
        object, property, ..
    } = &callee.kind
    else {
        return None;
    };
    match &object.kind {
        ExprKind::Global { name } => Some((name, property.name()?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};
    use crate::rules::thunk_expected::spans_for;

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    fn spans(src: &str) -> Vec<String> {
        spans_for("args-string-fanout", src)
    }

    #[test]
    fn parallel_map_over_args() {
        let src = format!("{META}await parallel(args.map(f => () => agent(f)))\n");
        let d = diagnostics_for("args-string-fanout", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "args");
        assert_eq!(
            d[0].message,
            "fan-out over `args`, which often arrives as a JSON-encoded string"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("normalize `args` once at the top and fan out over the result: `const ARGS = typeof args === 'string' ? JSON.parse(args) : args`")
        );
        assert!(d[0].label.is_some());
    }

    #[test]
    fn every_fanout_form() {
        let src = format!(
            "{META}const FILES = args.files\nawait pipeline(args.items, x => agent(x))\nfor (const f of args?.targets) {{ await agent(f) }}\nconst rs = FILES.map(f => agent(f))\nasync function review(x) {{ return agent(x) }}\nargs.more.forEach(x => review(x))\nawait parallel(args.slice(0, 20).map(x => () => agent(x)))\n"
        );
        let d = diagnostics_for("args-string-fanout", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(
            spans,
            [
                "args.items",
                "args?.targets",
                "FILES",
                "args.more",
                "args.slice(0, 20)"
            ]
        );
        assert_eq!(
            d[0].message,
            "fan-out over `args.items` without normalizing `args`, which often arrives as a JSON-encoded string"
        );
        assert_eq!(
            d[4].message,
            "fan-out over `args.slice(0, 20)`, and `args` often arrives as a JSON-encoded string"
        );
        assert_eq!(
            d[4].label.as_deref(),
            Some("a string here fans out one agent per character")
        );
    }

    #[test]
    fn normalization_anywhere_silences_the_rule() {
        for norm in [
            "const A = typeof args === 'string' ? JSON.parse(args) : args",
            "if (typeof args !== \"string\") log('ok')",
            "const parsed = JSON.parse(args)",
            "if (!Array.isArray(args)) throw new Error('args must be an array')",
        ] {
            let src = format!("{META}{norm}\nawait parallel(args.map(f => () => agent(f)))\n");
            assert!(spans(&src).is_empty(), "{norm}");
        }
    }

    #[test]
    fn loops_without_agents_and_other_values_are_quiet() {
        let src = format!(
            "{META}for (const c of args) log(c)\nconst n = args.map(x => x * 2)\nconst xs = args?.items ?? []\nawait parallel(xs.map(x => () => agent(x)))\nawait pipeline(['a'], x => agent(x + args.suffix))\n"
        );
        assert!(spans(&src).is_empty(), "{:?}", spans(&src));
    }
}
