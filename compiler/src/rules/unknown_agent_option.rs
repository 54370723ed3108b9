//! `unknown-agent-option`: a key in `agent()`'s options object that the runtime does not know.

use wfc_ir::{AgentOption, AgentOptions, Expr, ExprKind, OptionKey, Span};

use super::unknown_global::closest;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "unknown-agent-option",
    severity: Severity::Error,
    summary: "An `agent()` options object has a key the runtime does not support.",
    explanation: "`agent(prompt, opts)` takes exactly `label`, `phase`, `schema`, `model`, `effort`, \
`isolation` and `agentType`. Other keys are never honoured: there is no per-agent `timeout`, no \
`retries`, no `tools` allowlist, no `cwd`, `maxTurns` or `temperature` (some ports of the runtime \
add them; Claude Code does not). A misspelt key (`agent_type`, `labels`) silently loses the \
setting.\n\n\
Fix the spelling, or drop the key and get the behaviour another way: a loop for retries, \
`agentType` with a subagent definition for a tool allowlist, `isolation: 'worktree'` for a \
separate checkout.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst r = await agent('review the diff', { timeout: 60000 })\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let mut found = Vec::new();
    for_each_literal_option(&ctx.index().primitives, |entry| {
        if let AgentOption::Unknown { key, key_span, .. } = entry {
            found.push(diagnostic(key, *key_span));
        }
    });
    for d in found {
        ctx.report(d);
    }
}

/// Calls `f` with every entry of every `agent()` options object written as a literal among
/// `exprs` (the workflow's primitive calls, [`crate::index::ExprIndex::primitives`]).
pub(crate) fn for_each_literal_option(exprs: &[&Expr], mut f: impl FnMut(&AgentOption)) {
    exprs.iter().for_each(|e| {
        if let ExprKind::Agent(call) = &e.kind {
            if let Some(AgentOptions::Literal { entries, .. }) = &call.options {
                entries.iter().for_each(&mut f);
            }
        }
    });
}

fn diagnostic(key: &str, span: Span) -> Diagnostic {
    let known = OptionKey::ALL
        .iter()
        .map(|k| format!("`{}`", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let advice = match key {
        "timeout" => Some("the runtime has no per-agent timeout; keep the task small enough to finish"),
        "retries" | "retry" | "maxRetries" => {
            Some("the runtime does not retry for you; write a loop that calls `agent()` again while the result is `null`")
        }
        "tools" | "allowedTools" | "disallowedTools" => Some(
            "the runtime does not support per-call tool lists; use `agentType` with a subagent definition that restricts its tools",
        ),
        "cwd" | "workingDir" => Some(
            "the runtime does not support a working directory per call; name the directory in the prompt, or use `isolation: 'worktree'` for a separate checkout",
        ),
        "maxTurns" | "temperature" => Some("the runtime does not support it; remove it"),
        // The Agent tool's parameter name, which scripts borrow.
        "subagent_type" | "subagentType" => Some("did you mean `agentType`?"),
        "sandbox" | "readOnly" | "permissionMode" | "mode" => Some(
            "the runtime does not set permissions per call; use `agentType` with a subagent definition that restricts its tools",
        ),
        _ => None,
    };
    let help = match (advice, closest(key, OptionKey::ALL.map(OptionKey::as_str))) {
        (Some(advice), _) => format!("{advice} (options are {known})"),
        (None, Some(s)) => format!("did you mean `{s}`? (options are {known})"),
        (None, None) => format!("remove it; `agent()` options are {known}"),
    };
    Diagnostic::error(
        RULE.code,
        span,
        format!("`{key}` is not an `agent()` option"),
    )
    .label("unknown option")
    .help(help)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn timeout_is_reported_at_the_key() {
        let src = format!("{META}const r = await agent('p', {{ label: 'a', timeout: 60000 }})\n");
        let d = diagnostics_for("unknown-agent-option", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "timeout");
        assert_eq!(d[0].message, "`timeout` is not an `agent()` option");
        let help = d[0].help.as_deref().unwrap_or_default();
        assert!(
            help.contains("no per-agent timeout") && help.contains("`agentType`"),
            "{help}"
        );
        assert!(d[0].label.is_some());
    }

    #[test]
    fn known_options_are_quiet() {
        let src = format!(
            "{META}const opts = {{ whatever: 1 }}\nawait agent('p', {{ label: 'l', phase: 'P', schema: {{ type: 'object' }}, model: 'haiku', effort: 'low', isolation: 'worktree', agentType: 'general-purpose' }})\nawait agent('q', opts)\nawait agent('r')\n"
        );
        assert!(diagnostics_for("unknown-agent-option", &src).is_empty());
    }

    #[test]
    fn suggests_the_intended_key() {
        let src = format!(
            "{META}await parallel([() => agent('p', {{ agent_type: 'x', labels: 'y', 'Model': 'opus' }})])\n"
        );
        let d = diagnostics_for("unknown-agent-option", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["agent_type", "labels", "'Model'"]);
        let helps: Vec<_> = d
            .iter()
            .map(|d| d.help.as_deref().unwrap_or_default())
            .collect();
        assert!(
            helps[0].starts_with("did you mean `agentType`?"),
            "{}",
            helps[0]
        );
        assert!(
            helps[1].starts_with("did you mean `label`?"),
            "{}",
            helps[1]
        );
        assert!(
            helps[2].starts_with("did you mean `model`?"),
            "{}",
            helps[2]
        );
    }

    #[test]
    fn names_what_ports_and_the_agent_tool_call_options() {
        let src = format!(
            "{META}await agent('p', {{ subagent_type: 'x', sandbox: 'read-only', mode: 'plan' }})\n"
        );
        let d = diagnostics_for("unknown-agent-option", &src);
        let helps: Vec<_> = d
            .iter()
            .map(|d| d.help.as_deref().unwrap_or_default())
            .collect();
        assert_eq!(helps.len(), 3);
        assert!(
            helps[0].starts_with("did you mean `agentType`?"),
            "{}",
            helps[0]
        );
        assert!(helps[1].contains("permissions per call"), "{}", helps[1]);
        assert!(helps[2].contains("permissions per call"), "{}", helps[2]);
    }

    #[test]
    fn unsupported_port_options_say_so() {
        let src =
            format!("{META}await agent('p', {{ tools: ['Read'], cwd: 'x', temperature: 0 }})\n");
        let d = diagnostics_for("unknown-agent-option", &src);
        assert_eq!(d.len(), 3);
        for x in &d {
            assert!(
                x.help
                    .as_deref()
                    .unwrap_or_default()
                    .contains("does not support"),
                "{x:?}"
            );
        }
    }

    #[test]
    fn unrelated_key_lists_the_options() {
        let src = format!("{META}await agent('p', {{ priority: 1 }})\n");
        let d = diagnostics_for("unknown-agent-option", &src);
        assert_eq!(
            d[0].help.as_deref(),
            Some("remove it; `agent()` options are `label`, `phase`, `schema`, `model`, `effort`, `isolation`, `agentType`")
        );
    }
}
