//! `nondeterministic`: clock and randomness APIs the runtime removes because they break resume.

use wfc_ir::visit::{walk_expr, walk_workflow, Visitor};
use wfc_ir::{Expr, ExprKind, MemberProp, Span, UnaryOp};

use super::meta_required::static_str;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "nondeterministic",
    severity: Severity::Error,
    summary: "The script reads the clock or a random source (`Date.now()`, `new Date()`, `Math.random()`, `performance`, `crypto`).",
    explanation: "Resume re-runs the script from the top and reuses journaled agent results, so the \
script's control flow must be a pure function of `args` and earlier agent results. The runtime \
therefore throws on `Date.now()`, `new Date()` without an argument and `Math.random()` (\"unavailable \
in workflow scripts (breaks resume)\"); `performance` and `crypto` do not exist in the sandbox. \
`Date()` called without `new` returns the current time as well, and passing `Date.now` or \
`Math.random` along as a function only moves the call.\n\n\
Pass timestamps in through `args` and stamp results after the workflow returns. For N independent \
samples, include the index in the agent's label or prompt instead of drawing random numbers. \
`new Date(x)` with an argument is deterministic and allowed. Mentions in strings and comments are \
fine.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst started = Date.now()\n",
    check: Check::Ir(check),
};

#[derive(Clone, Copy)]
enum Source {
    Clock,
    Random,
}

fn check(ctx: &mut RuleContext<'_>) {
    // Every finding is a use of one of these undeclared names: most scripts have none, and then
    // the tree need not be walked.
    let mentioned = ctx
        .global_uses()
        .iter()
        .any(|(name, ..)| matches!(*name, "Date" | "Math" | "performance" | "crypto"));
    if !mentioned {
        return;
    }
    let mut finder = Finder { found: Vec::new() };
    walk_workflow(&mut finder, ctx.workflow);
    for d in finder.found {
        ctx.report(d);
    }
}

struct Finder {
    found: Vec<Diagnostic>,
}

impl Finder {
    fn report(&mut self, span: Span, what: String, source: Source, called: bool) {
        let label = match (source, called) {
            (_, false) => "hands the function on; calling it later is just as nondeterministic",
            (Source::Clock, true) => "reads the clock",
            (Source::Random, true) => "draws a random value",
        };
        let help = match source {
            Source::Clock => {
                "pass timestamps via `args` and stamp results after the workflow returns"
            }
            Source::Random => {
                "for N independent samples, include the index in the agent label or prompt"
            }
        };
        self.found.push(
            Diagnostic::error(
                RULE.code,
                span,
                format!("`{what}` is unavailable in workflow scripts (breaks resume)"),
            )
            .label(label)
            .help(help),
        );
    }
}

impl Visitor<'_> for Finder {
    fn visit_expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Call { callee, args, .. } => {
                let target = if is_global(callee, "Date") {
                    Some(("Date".to_owned(), Source::Clock))
                } else {
                    member_source(callee)
                };
                if let Some((what, source)) = target {
                    self.report(expr.span, format!("{what}()"), source, true);
                    for a in args {
                        self.visit_expr(&a.expr);
                    }
                    return;
                }
            }
            ExprKind::New { callee, args } if args.is_empty() && is_global(callee, "Date") => {
                self.report(expr.span, "new Date()".to_owned(), Source::Clock, true);
                return;
            }
            ExprKind::Member { .. } => {
                if let Some((what, source)) = member_source(expr) {
                    self.report(expr.span, what, source, false);
                    return;
                }
            }
            ExprKind::Global { name } => {
                if let Some(source) = host_source(name) {
                    self.report(expr.span, name.to_string(), source, false);
                }
            }
            // `typeof crypto === 'undefined'` and `typeof Date.now` are feature tests: they
            // neither throw nor read the clock.
            ExprKind::Unary {
                op: UnaryOp::TypeOf,
                arg,
            } if matches!(arg.kind, ExprKind::Global { .. }) || member_source(arg).is_some() => {
                return
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

fn is_global(expr: &Expr, global: &str) -> bool {
    matches!(&expr.kind, ExprKind::Global { name } if name == global)
}

/// `Date.now`, `Math.random`, `performance.<any>` and `crypto.<any>` on the undeclared globals,
/// as the text to quote and the kind of nondeterminism.
fn member_source(expr: &Expr) -> Option<(String, Source)> {
    let ExprKind::Member {
        object, property, ..
    } = &expr.kind
    else {
        return None;
    };
    let ExprKind::Global { name: object } = &object.kind else {
        return None;
    };
    let property = match property {
        MemberProp::Named { name, .. } => name.as_str(),
        MemberProp::Computed { expr } => static_str(expr)?,
    };
    let source = match (object.as_str(), property) {
        ("Date", "now") => Source::Clock,
        ("Math", "random") => Source::Random,
        (name, _) => host_source(name)?,
    };
    Some((format!("{object}.{property}"), source))
}

/// The host objects the sandbox lacks whose every use is about time or randomness.
fn host_source(name: &str) -> Option<Source> {
    match name {
        "performance" => Some(Source::Clock),
        "crypto" => Some(Source::Random),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn date_now_is_reported_at_the_call() {
        let src = format!("{META}const started = Date.now()\n");
        let d = diagnostics_for("nondeterministic", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "Date.now()");
        assert_eq!(
            d[0].message,
            "`Date.now()` is unavailable in workflow scripts (breaks resume)"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("pass timestamps via `args` and stamp results after the workflow returns")
        );
        assert!(d[0].label.is_some());
    }

    #[test]
    fn deterministic_code_is_quiet() {
        let src = format!(
            "{META}// Date.now() and Math.random() in a comment\nconst d = new Date(args.started)\nconst s = 'Math.random()'\nconst m = Math.max(1, Math.floor(2.5))\nconst t = Date.parse('2024-01-01') + Date.UTC(2024, 0)\nif (typeof crypto !== 'undefined' && typeof performance.now === 'function') {{}}\nreturn [d, s, m, t]\n"
        );
        assert!(diagnostics_for("nondeterministic", &src).is_empty());
    }

    #[test]
    fn every_form() {
        let src = format!(
            "{META}const a = Math.random()\nconst b = new Date()\nconst c = new Date\nconst e = Date()\nconst f = performance.now()\nconst g = crypto.randomUUID()\nconst h = [1, 2].map(Math.random)\nconst i = Math['random']()\nconst j = new Date().toISOString()\n"
        );
        let d = diagnostics_for("nondeterministic", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(
            spans,
            [
                "Math.random()",
                "new Date()",
                "new Date",
                "Date()",
                "performance.now()",
                "crypto.randomUUID()",
                "Math.random",
                "Math['random']()",
                "new Date()",
            ]
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("for N independent samples, include the index in the agent label or prompt")
        );
        assert_eq!(
            d[6].message,
            "`Math.random` is unavailable in workflow scripts (breaks resume)"
        );
        assert_eq!(
            d[7].message,
            "`Math.random()` is unavailable in workflow scripts (breaks resume)"
        );
    }

    #[test]
    fn inside_functions_and_arguments() {
        let src = format!(
            "{META}const stamp = async (r) => ({{ ...r, at: new Date(Date.now()) }})\nawait parallel([() => agent(`seed ${{Math.random()}}`)])\n"
        );
        let d = diagnostics_for("nondeterministic", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["Date.now()", "Math.random()"]);
    }

    #[test]
    fn bare_host_objects() {
        let src = format!("{META}const p = performance\nconst c = crypto.subtle\n");
        let d = diagnostics_for("nondeterministic", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["performance", "crypto.subtle"]);
    }

    #[test]
    fn user_declared_names_are_not_the_globals() {
        let src = format!(
            "{META}const Date = {{ now: () => 0 }}\nconst Math = {{ random: () => 4 }}\nreturn Date.now() + Math.random()\n"
        );
        assert!(diagnostics_for("nondeterministic", &src).is_empty());
    }
}
