//! `items-cap-exceeded`: a `parallel()` or `pipeline()` call provably gets more items than allowed.

use super::{Check, Rule, RuleContext};
use crate::analysis::FanKind;
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "items-cap-exceeded",
    severity: Severity::Error,
    summary: "A `parallel()` or `pipeline()` call provably gets more than 4,096 items.",
    explanation: "The runtime refuses a `parallel()` or `pipeline()` call with more than 4,096 items: an explicit error, not a truncation. wfc reports calls whose smallest possible item count is over the limit (`[limits] max-items` in `wfc.toml`). Split the list into batches, or fan out over groups of items.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst ids = Array.from({ length: 5000 }, (_, i) => i)\nawait pipeline(ids, id => `item ${id}`)\n",
    check: Check::Bounds(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let cap = ctx.options.limits.max_items;
    let Some(analysis) = ctx.analysis else { return };
    for fan in &analysis.fans {
        if fan.width.lo <= cap {
            continue;
        }
        let name = match fan.kind {
            FanKind::Pipeline => "pipeline",
            _ => "parallel",
        };
        ctx.report(
            Diagnostic::error(
                RULE.code,
                fan.span,
                format!(
                    "`{name}()` gets at least {} items; the runtime accepts at most {cap}",
                    fan.width.lo
                ),
            )
            .label(format!("at least {} items", fan.width.lo))
            .help("split the items into batches of at most 4,096, or fan out over groups of items"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn too_many_items() {
        let src = format!("{META}const ids = Array.from({{ length: 5000 }}, (_, i) => i)\nawait pipeline(ids, id => agent(`item ${{id}}`))\n");
        let d = diagnostics_for("items-cap-exceeded", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(spanned(&src, &d[0]).starts_with("pipeline(ids"));
    }

    #[test]
    fn at_the_limit_or_uncertain_is_fine() {
        let ok = format!("{META}const ids = Array.from({{ length: 4096 }}, (_, i) => i)\nawait parallel(ids.map(id => () => agent(`item ${{id}}`)))\n");
        assert!(diagnostics_for("items-cap-exceeded", &ok).is_empty());
        let maybe =
            format!("{META}await parallel(args.ids.map(id => () => agent(`item ${{id}}`)))\n");
        assert!(diagnostics_for("items-cap-exceeded", &maybe).is_empty());
    }
}
