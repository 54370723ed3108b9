//! `spawn-unbounded`: an agent call site has no finite bound on how often it runs.

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "spawn-unbounded",
    severity: Severity::Warning,
    summary: "An `agent()` call can run an unbounded number of times: nothing in the script caps the input it fans out over or the loop it is in.",
    explanation: "Runaway fan-out is the most common way workflows burn their budget: a list from an agent's answer or from `args` gets one agent per item, and nobody knows how long the list is until the run. wfc names the unbounded input. Bound it: give the schema's array a `maxItems`, cut the list with `.slice(0, N)` (and `log()` what was dropped), or give loops a round counter (`while (… && round < MAX_ROUNDS)`). Inputs from `args` are symbolic, not unbounded: `wfc plan --args` turns them into numbers.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst found = await agent('List every file', { schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string' } } } } })\nawait parallel(found.files.map(f => () => agent(`Audit ${f}`)))\n",
    check: Check::Bounds(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let mut seen = Vec::new();
    let Some(analysis) = ctx.analysis else { return };
    // Unsupported syntax makes every count unbounded; `unsupported-syntax` already says why.
    if !ctx.workflow.unsupported.is_empty() {
        return;
    }
    for site in &analysis.sites {
        let Some(reason) = site.count.hi.reason() else {
            continue;
        };
        if !site.reachable {
            continue;
        }
        // One warning per cause: sites nested in the same unbounded fan-out share it.
        if seen.contains(&(reason.span, reason.why.clone())) {
            continue;
        }
        seen.push((reason.span, reason.why.clone()));
        let input = ctx
            .text
            .get(reason.span.start as usize..reason.span.end as usize)
            .unwrap_or("");
        let mut d = Diagnostic::warning(
            RULE.code,
            site.span,
            format!(
                "agent {} can run an unbounded number of times: {}",
                site.id, reason.why
            ),
        )
        .label("no bound on how often this runs")
        .help(help_for(&reason.why));
        if reason.span != site.span && !input.is_empty() && !input.contains('\n') {
            d.message.push_str(&format!(" (at `{}`)", shorten(input)));
        }
        ctx.report(d);
    }
}

fn help_for(why: &str) -> &'static str {
    if why == crate::analysis::interp::STOPPED {
        crate::analysis::interp::STOPPED_HELP
    } else if why.contains("maxItems") {
        "add `maxItems` to the array in the schema, or cut the list with `.slice(0, N)` and `log()` what was dropped"
    } else if why.contains("round counter") || why.contains("loop") || why.contains("budget") {
        "bound the loop with a round counter: `while (… && round < MAX_ROUNDS) { round++; … }`"
    } else if why.contains("recursion") || why.contains("calls itself") {
        "replace the recursion with a loop that has a round counter"
    } else {
        "cut the list with `.slice(0, N)` before fanning out over it, and `log()` what was dropped"
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(39).collect::<String>())
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn fan_out_over_unbounded_agent_result() {
        let src = format!("{META}const r = await agent('list', {{ schema: {{ type: 'object', properties: {{ files: {{ type: 'array', items: {{ type: 'string' }} }} }} }} }})\nawait parallel(r.files.map(f => () => agent(`audit ${{f}}`)))\n");
        let d = diagnostics_for("spawn-unbounded", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("no `maxItems` for `files`"),
            "{}",
            d[0].message
        );
        assert!(spanned(&src, &d[0]).starts_with("agent(`audit"));
    }

    #[test]
    fn max_items_or_slice_bounds_it() {
        let bounded = format!("{META}const r = await agent('list', {{ schema: {{ type: 'object', properties: {{ files: {{ type: 'array', maxItems: 20, items: {{ type: 'string' }} }} }} }} }})\nawait parallel(r.files.map(f => () => agent(`audit ${{f}}`)))\n");
        assert!(diagnostics_for("spawn-unbounded", &bounded).is_empty());
        let sliced = format!("{META}const r = await agent('list', {{ schema: {{ type: 'object', properties: {{ files: {{ type: 'array' }} }} }} }})\nawait parallel(r.files.slice(0, 10).map(f => () => agent(`audit ${{f}}`)))\n");
        assert!(diagnostics_for("spawn-unbounded", &sliced).is_empty());
    }

    #[test]
    fn loop_without_counter_is_unbounded_and_counter_bounds_it() {
        let src = format!("{META}let done = false\nwhile (!done) {{ const r = await agent('fix', {{ schema: {{ type: 'object', properties: {{ ok: {{ type: 'boolean' }} }} }} }}); done = r.ok }}\n");
        let d = diagnostics_for("spawn-unbounded", &src);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("round counter"), "{}", d[0].message);
        let bounded = format!("{META}let done = false\nlet round = 0\nwhile (!done && round < 4) {{ round++; const r = await agent('fix', {{ schema: {{ type: 'object', properties: {{ ok: {{ type: 'boolean' }} }} }} }}); done = r.ok }}\n");
        assert!(diagnostics_for("spawn-unbounded", &bounded).is_empty());
    }

    #[test]
    fn args_are_symbolic_not_unbounded() {
        let src =
            format!("{META}await parallel(args.files.map(f => () => agent(`audit ${{f}}`)))\n");
        assert!(diagnostics_for("spawn-unbounded", &src).is_empty());
    }

    #[test]
    fn a_stopped_analysis_warns_once_with_its_own_help() {
        let mut src = String::from(META);
        for i in 0..22 {
            src.push_str(&format!(
                "function f{i}(x) {{ return f{n}(x) + f{n}(x) }}\n",
                n = i + 1
            ));
        }
        src.push_str("function f22(x) { return x }\nconst k = f0(1)\nfor (let i = 0; i < k; i++) await agent('a')\nawait agent('b')\n");
        let d = diagnostics_for("spawn-unbounded", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("the analysis stopped here"),
            "{}",
            d[0].message
        );
        assert!(d[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("2,000,000 steps")));
    }
}
