//! `invalid-isolation`: an `agent()` `isolation` value other than `'worktree'`.

use wfc_ir::{OptionKey, ISOLATION_MODES};

use super::invalid_effort::{check_option_values, quoted};
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "invalid-isolation",
    severity: Severity::Error,
    summary: "An `agent()` call sets `isolation` to something other than `'worktree'`.",
    explanation: "The only isolation mode is `'worktree'`: the agent runs in a fresh git worktree \
(branched from the default branch), which is removed again if the agent changed nothing. It is \
expensive, so use it only for agents that edit files in parallel. Without `isolation` the agent \
works in the shared checkout. Other values some ports accept (`'remote'`, `'none'`) do nothing \
in Claude Code. Values computed at run time are not checked.",
    example: "export const meta = { name: 'x', description: 'y' }\nawait agent('fix the failing test', { isolation: 'sandbox' })\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    check_option_values(
        ctx,
        OptionKey::Isolation,
        &ISOLATION_MODES,
        |span, value, suggestion| {
            let help = match suggestion {
                Some(s) => format!("did you mean `'{s}'`?"),
                None => format!(
                    "the only mode is {}; omit `isolation` to run the agent in the shared checkout",
                    quoted(&ISOLATION_MODES)
                ),
            };
            Diagnostic::error(
                RULE.code,
                span,
                format!("`{value}` is not an `isolation` mode"),
            )
            .label("not an isolation mode")
            .help(help)
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn unknown_mode_is_reported_at_the_value() {
        let src = format!("{META}await agent('p', {{ isolation: 'sandbox' }})\n");
        let d = diagnostics_for("invalid-isolation", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "'sandbox'");
        assert_eq!(d[0].message, "`sandbox` is not an `isolation` mode");
        assert_eq!(
            d[0].help.as_deref(),
            Some("the only mode is `'worktree'`; omit `isolation` to run the agent in the shared checkout")
        );
        assert!(d[0].label.is_some());
    }

    #[test]
    fn worktree_and_dynamic_values_are_quiet() {
        let src = format!(
            "{META}await agent('p', {{ isolation: 'worktree' }})\nawait agent('p', {{ isolation: args.edit ? 'worktree' : undefined }})\nawait agent('p', {{ isolation: false }})\nconst mode = args.mode\nawait agent('p', {{ isolation: mode }})\n"
        );
        assert!(diagnostics_for("invalid-isolation", &src).is_empty());
    }

    #[test]
    fn misspelling_and_true() {
        let src = format!(
            "{META}await agent('p', {{ isolation: 'worktre' }})\nawait agent('p', {{ isolation: true }})\nawait agent('p', {{ isolation: 'remote' }})\n"
        );
        let d = diagnostics_for("invalid-isolation", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["'worktre'", "true", "'remote'"]);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `'worktree'`?"));
    }
}
