//! The rule registry. Each rule lives in its own file with its documentation and its tests.
//!
//! Two kinds of rule share the registry: *IR rules* have a `check` function that runs over the
//! lowered workflow; *front-end rules* (syntax errors, input limits, unsupported syntax) are
//! reported by the parser or the lowering through the constructor their file exports, so that every
//! code, message shape and help line lives in exactly one place.

use wfc_ir::{Expr, Workflow};

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::{self, ExprIndex};
use crate::CheckOptions;

pub mod args_string_fanout;
pub mod barrier_not_needed;
pub mod binary_file;
pub mod budget_unguarded;
pub mod docs;
pub mod forbidden_api;
pub mod hidden_characters;
pub mod implicit_global;
pub mod invalid_effort;
pub mod invalid_isolation;
pub mod invalid_suppression;
pub mod invalid_utf8;
pub mod items_cap_exceeded;
pub mod meta_first;
pub mod meta_literal;
pub mod meta_phases;
pub mod meta_required;
pub mod nested_workflow_depth;
pub mod nesting_too_deep;
pub mod nondeterministic;
pub mod phase_not_declared;
pub mod pipeline_args;
pub mod schema_invalid;
pub mod script_too_large;
pub mod spawn_cap_exceeded;
pub mod spawn_unbounded;
pub mod syntax_error;
pub mod thunk_expected;
pub mod typescript_syntax;
pub mod unchecked_null;
pub mod unknown_agent_option;
pub mod unknown_global;
pub mod unknown_meta_key;
pub mod unreachable_agent;
pub mod unsupported_syntax;
pub mod unused_agent_result;
pub mod unused_suppression;

/// What the rule registry knows about a rule; `docs/rules.md` is generated from it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable kebab-case code, used in output, `--ignore` and suppressions.
    pub code: &'static str,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Why it matters and how to fix it (Markdown).
    pub explanation: &'static str,
    /// A short script (or script fragment) that triggers the rule.
    pub example: &'static str,
    /// Where the rule's findings come from.
    pub check: Check,
}

/// How a rule finds what it reports.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// The parser or the lowering reports it (syntax, input limits, unsupported syntax).
    FrontEnd,
    /// A check over the lowered workflow alone; it runs beside the bounds analysis.
    Ir(fn(&mut RuleContext<'_>)),
    /// A check that reads the bounds analysis; it runs after it (and not at all without it).
    Bounds(fn(&mut RuleContext<'_>)),
}

/// What an IR rule sees: the source text (for rules about characters) and the lowered workflow.
pub struct RuleContext<'a> {
    pub text: &'a str,
    pub workflow: &'a Workflow,
    /// The bounds analysis of the workflow (`None` when the check skips it: `--no-bounds`).
    pub analysis: Option<&'a Analysis>,
    /// Where the script is, the known `args` and the limits.
    pub options: &'a CheckOptions,
    index: &'a index::ExprIndex<'a>,
    /// The `const` initialisers and function declarations, indexed on first request.
    decls: std::cell::OnceCell<thunk_expected::Decls<'a>>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> RuleContext<'a> {
    pub fn new(
        text: &'a str,
        workflow: &'a Workflow,
        analysis: Option<&'a Analysis>,
        options: &'a CheckOptions,
        index: &'a index::ExprIndex<'a>,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        RuleContext {
            text,
            workflow,
            analysis,
            options,
            index,
            decls: std::cell::OnceCell::new(),
            diagnostics,
        }
    }

    /// The workflow's `const` initialisers and function declarations ([`thunk_expected::Decls`]),
    /// indexed once for the rules that resolve names to what they were declared as.
    pub(crate) fn decls(&self) -> &thunk_expected::Decls<'a> {
        self.decls
            .get_or_init(|| thunk_expected::Decls::new(self.workflow))
    }

    /// Every use of an undeclared name, in source order ([`index::ExprIndex::global_uses`]).
    pub(crate) fn global_uses(&self) -> &'a [(&'a str, wfc_ir::Span, unknown_global::GlobalUse)] {
        &self.index.global_uses
    }

    /// Every expression of the workflow, outermost first, including those inside functions,
    /// patterns and agent options ([`wfc_ir::visit::all_exprs`]): collected once per check, so
    /// that rules iterate a list instead of each walking the tree.
    pub fn exprs(&self) -> &'a [&'a Expr] {
        &self.index.all
    }

    /// The primitive calls, other calls, comparisons and `import()`s among [`Self::exprs`]: a
    /// rule that looks for one kind should scan its list, not every expression.
    pub fn index(&self) -> &'a index::ExprIndex<'a> {
        self.index
    }

    /// How many times a binding is read (the `Var` expressions naming it).
    pub fn reads(&self, binding: wfc_ir::BindingId) -> u32 {
        self.index
            .reads
            .get(binding.0 as usize)
            .copied()
            .unwrap_or(0)
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

/// Every rule, in the order `docs/rules.md` lists them.
pub const RULES: &[Rule] = &[
    syntax_error::RULE,
    typescript_syntax::RULE,
    invalid_utf8::RULE,
    binary_file::RULE,
    script_too_large::RULE,
    nesting_too_deep::RULE,
    unsupported_syntax::RULE,
    unknown_global::RULE,
    implicit_global::RULE,
    hidden_characters::RULE,
    meta_first::RULE,
    meta_literal::RULE,
    meta_required::RULE,
    meta_phases::RULE,
    unknown_meta_key::RULE,
    nondeterministic::RULE,
    forbidden_api::RULE,
    unknown_agent_option::RULE,
    invalid_effort::RULE,
    invalid_isolation::RULE,
    phase_not_declared::RULE,
    spawn_cap_exceeded::RULE,
    spawn_unbounded::RULE,
    items_cap_exceeded::RULE,
    unreachable_agent::RULE,
    barrier_not_needed::RULE,
    invalid_suppression::RULE,
    unused_suppression::RULE,
    thunk_expected::RULE,
    pipeline_args::RULE,
    args_string_fanout::RULE,
    budget_unguarded::RULE,
    nested_workflow_depth::RULE,
    schema_invalid::RULE,
    unchecked_null::RULE,
    unused_agent_result::RULE,
];

pub fn find(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Runs the rules that need only the lowered workflow. `index` is [`ExprIndex::of`] it.
pub fn run_ir(
    text: &str,
    workflow: &Workflow,
    index: &ExprIndex<'_>,
    options: &CheckOptions,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut ctx = RuleContext::new(text, workflow, None, options, index, diagnostics);
    for rule in RULES {
        if let Check::Ir(check) = rule.check {
            check(&mut ctx);
        }
    }
}

/// Runs the rules that read the bounds analysis.
pub fn run_bounds(
    text: &str,
    workflow: &Workflow,
    index: &ExprIndex<'_>,
    analysis: &Analysis,
    options: &CheckOptions,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut ctx = RuleContext::new(text, workflow, Some(analysis), options, index, diagnostics);
    for rule in RULES {
        if let Check::Bounds(check) = rule.check {
            check(&mut ctx);
        }
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use crate::diagnostic::Diagnostic;

    /// Checks a script end to end and keeps the diagnostics with the given code.
    pub fn diagnostics_for(code: &str, src: &str) -> Vec<Diagnostic> {
        crate::check_text(src)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }

    /// The text a diagnostic's span covers.
    pub fn spanned<'a>(src: &'a str, d: &Diagnostic) -> &'a str {
        &src[d.span.start as usize..d.span.end as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(
                r.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                r.code
            );
            assert!(
                !r.summary.is_empty() && !r.example.is_empty(),
                "{} lacks docs",
                r.code
            );
        }
    }

    /// Every rule's documented example triggers that rule.
    #[test]
    fn examples_trigger_their_rule() {
        for r in RULES {
            if matches!(
                r.code,
                "invalid-utf8" | "binary-file" | "script-too-large" | "nesting-too-deep"
            ) {
                continue; // their examples describe input that cannot be written in Markdown
            }
            let found = test_util::diagnostics_for(r.code, r.example);
            assert!(
                !found.is_empty(),
                "example of {} does not trigger it:\n{}",
                r.code,
                r.example
            );
        }
    }
}
