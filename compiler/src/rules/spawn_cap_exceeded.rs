//! `spawn-cap-exceeded`: the run provably spawns more agents than the per-run cap.

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "spawn-cap-exceeded",
    severity: Severity::Error,
    summary: "The run provably spawns more agents than the per-run cap (1,000 by default).",
    explanation: "The runtime stops a run at 1,000 `agent()` calls: the next call throws (`Workflow agent() call cap reached`) and the run fails mid-way, after the money is spent. wfc reports this only when it is certain: even the smallest run the script can make (every agent succeeding, every data-dependent branch taken the cheap way) goes over the cap. With `--args`, inputs are known and the check is exact for them. Reduce the fan-out (`.slice(0, N)`), batch several items per agent, or split the work across runs. The cap is `--max-agents` or `[limits] max-agents` in `wfc.toml`.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst files = Array.from({ length: 1200 }, (_, i) => `src/f${i}.js`)\nawait parallel(files.map(f => () => agent(`Review ${f}`)))\n",
    check: Check::Bounds(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let cap = ctx.options.limits.max_agents;
    let Some(analysis) = ctx.analysis else { return };
    let total = &analysis.total;
    if total.lo <= cap {
        return;
    }
    // Point at the site that contributes the most guaranteed agents.
    let Some(site) = analysis
        .sites
        .iter()
        .min_by_key(|s| std::cmp::Reverse(s.count.lo))
    else {
        return;
    };
    // Many call sites that each run once (a long script of sequential calls) have no biggest one.
    let (message, label) = if site.count.lo > 1 {
        (
            format!(
                "the run spawns at least {} agents, over the cap of {cap}; agent {} alone runs at least {} times",
                total.lo, site.id, site.count.lo
            ),
            format!("runs at least {} times", site.count.lo),
        )
    } else {
        let sites = analysis.sites.iter().filter(|s| s.count.lo > 0).count();
        (
            format!(
                "the run spawns at least {} agents, over the cap of {cap}, from {sites} call sites",
                total.lo
            ),
            "the first of them".to_owned(),
        )
    };
    ctx.report(
        Diagnostic::error(RULE.code, site.span, message)
        .label(label)
        .help("limit the fan-out (`.slice(0, N)`), batch items per agent, or split the run; the runtime fails the run at the cap"),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn provable_excess_is_reported_at_the_biggest_site() {
        let src = format!("{META}const xs = Array.from({{ length: 600 }}, (_, i) => i)\nawait parallel(xs.map(x => () => agent(`a ${{x}}`)))\nawait parallel(xs.map(x => () => agent(`b ${{x}}`)))\n");
        let d = diagnostics_for("spawn-cap-exceeded", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("at least 1200"), "{}", d[0].message);
        assert!(spanned(&src, &d[0]).starts_with("agent(`a"));
    }

    #[test]
    fn many_sites_that_run_once_are_counted_as_sites() {
        let calls: String = (0..1001)
            .map(|i| format!("await agent('a{i}')\n"))
            .collect();
        let src = format!("{META}{calls}");
        let d = diagnostics_for("spawn-cap-exceeded", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].message,
            "the run spawns at least 1001 agents, over the cap of 1000, from 1001 call sites"
        );
        assert_eq!(spanned(&src, &d[0]), "agent('a0')");
    }

    #[test]
    fn possible_but_not_certain_excess_is_not_an_error() {
        // Filtering can drop every item: the 1,200 is only an upper bound.
        let src = format!("{META}const xs = Array.from({{ length: 1200 }}, (_, i) => i).filter(x => x % 2)\nawait parallel(xs.map(x => () => agent(`a ${{x}}`)))\n");
        assert!(diagnostics_for("spawn-cap-exceeded", &src).is_empty());
        let loop_src = format!("{META}for (let i = 0; i < 999; i++) {{ await agent('a') }}\n");
        assert!(diagnostics_for("spawn-cap-exceeded", &loop_src).is_empty());
    }

    #[test]
    fn exact_loops_count() {
        let src = format!("{META}for (let i = 0; i < 1001; i++) {{ await agent(`a ${{i}}`) }}\n");
        assert_eq!(diagnostics_for("spawn-cap-exceeded", &src).len(), 1);
    }
}
