//! wfc's compiler: decode and parse a workflow script, lower it to the IR, and check it.
//!
//! ```
//! let out = wfc_compiler::check_text("export const meta = { name: 'x', description: 'y' }\nreturn 1\n");
//! assert!(out.diagnostics.is_empty());
//! assert!(out.workflow.is_some());
//! ```

pub mod alloc;
pub mod analysis;
pub mod dense;
pub mod diagnostic;
pub mod fxhash;
pub mod graph;
pub mod index;
pub mod parse;
pub mod plan_hash;
pub mod rules;
pub mod schema_keywords;
mod stack;
pub mod suppress;

pub use diagnostic::{Diagnostic, LineIndex, Severity};
use std::collections::BTreeMap;
use std::path::PathBuf;
use wfc_ir::Workflow;

/// The runtime limits a script is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Agents one run may spawn (the runtime's "runaway-loop backstop").
    pub max_agents: u64,
    /// Agents running at once.
    pub max_concurrency: u64,
    /// Items one `parallel()` or `pipeline()` call accepts.
    pub max_items: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_agents: 1_000,
            max_concurrency: 16,
            max_items: 4_096,
        }
    }
}

/// What a check knows beyond the script's bytes.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Where the script lives: lets rules resolve `workflow()` children next to it.
    pub path: Option<PathBuf>,
    /// The workflow's `args`, when known: bounds become numbers.
    pub args: Option<serde_json::Value>,
    pub limits: Limits,
    /// Skip the bounds analysis and the rules that need it (a faster, lint-only check).
    pub skip_bounds: bool,
    /// Rule codes whose diagnostics are dropped (`--ignore`, `[rules] ignore` in `wfc.toml`).
    pub ignore: Vec<String>,
    /// Severity overrides by rule code (`[rules.severity]` in `wfc.toml`); `None` turns the rule
    /// off. Check entries with [`suppress::validate_override`].
    pub severity: BTreeMap<String, Option<Severity>>,
}

use stack::on_big_stack;
pub use stack::CHECK_STACK_BYTES;

/// The result of checking one script.
#[derive(Debug, Clone)]
pub struct CheckOutput {
    /// The script's text (lossily decoded when it was not valid UTF-8), for rendering diagnostics.
    pub text: String,
    /// The lowered workflow, when the script could be parsed.
    pub workflow: Option<Workflow>,
    /// Its static analysis (agent bounds, plan), when it could be lowered.
    pub analysis: Option<analysis::Analysis>,
    /// Every finding, ordered by position and then code.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckOutput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Checks a script given as raw bytes (a file's content), with default options.
pub fn check_bytes(bytes: &[u8]) -> CheckOutput {
    check(bytes, &CheckOptions::default())
}

/// Checks a script given as raw bytes.
///
/// On a rayon worker thread the bounds analysis runs beside the rules that do not need it.
pub fn check(bytes: &[u8], options: &CheckOptions) -> CheckOutput {
    on_big_stack(|| {
        let mut diagnostics = Vec::new();
        let decoded = parse::decode(bytes, &mut diagnostics);
        let (workflow, comments) = if decoded.usable {
            compile_into(&decoded.text, &mut diagnostics)
        } else {
            (None, Vec::new())
        };
        let analysis = match &workflow {
            Some(w) => {
                let text = decoded.text.as_str();
                let index = index::ExprIndex::of(w);
                let analyse = || {
                    (!options.skip_bounds)
                        .then(|| analysis::analyze_indexed(w, &index, text, options.args.as_ref()))
                };
                let lint = || {
                    let mut found = Vec::new();
                    rules::run_ir(text, w, &index, options, &mut found);
                    found
                };
                // The bounds analysis and the rules that do not read it are independent. On a
                // worker of a rayon pool (the CLI checks every file on one) they run side by
                // side; elsewhere handing work to a pool costs more than it saves. Not from a
                // spare stack: waiting there, the worker could run other jobs on it.
                let (analysis, mut found) = if options.skip_bounds
                    || rayon::current_thread_index().is_none()
                    || stack::on_spare()
                {
                    (analyse(), lint())
                } else {
                    rayon::join(|| on_big_stack(analyse), || on_big_stack(lint))
                };
                diagnostics.append(&mut found);
                if let Some(a) = &analysis {
                    rules::run_bounds(text, w, &index, a, options, &mut diagnostics);
                }
                suppress::apply(text, &comments, &mut diagnostics);
                analysis
            }
            None => None,
        };
        suppress::apply_overrides(options, &mut diagnostics);
        sort(&mut diagnostics);
        CheckOutput {
            text: decoded.text,
            workflow,
            analysis,
            diagnostics,
        }
    })
}

/// Checks a script given as text.
pub fn check_text(text: &str) -> CheckOutput {
    check_bytes(text.as_bytes())
}

/// Parses and lowers a script without running the rules. Diagnostics are those of parsing and
/// lowering (syntax errors, unsupported syntax).
pub fn compile(text: &str) -> (Option<Workflow>, Vec<Diagnostic>) {
    on_big_stack(|| {
        let mut diagnostics = Vec::new();
        let (workflow, _) = compile_into(text, &mut diagnostics);
        sort(&mut diagnostics);
        (workflow, diagnostics)
    })
}

/// The workflow, if the script parsed, and the script's comments (for suppressions).
fn compile_into(
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<Workflow>, Vec<parse::SourceComment>) {
    let (module, comments) = parse::parse_with_comments(text, diagnostics);
    let workflow = module.map(|m| parse::lower::lower(&m, text, diagnostics));
    (workflow, comments)
}

fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNBOUNDED: &str = "export const meta = { name: 'x', description: 'y' }\nconst r = await agent('list', { schema: { type: 'object', properties: { files: { type: 'array' } } } })\nawait parallel(r.files.map(f => () => agent(`audit ${f}`)))\n";

    #[test]
    fn skip_bounds_drops_the_analysis_and_its_rules_only() {
        let full = check_text(UNBOUNDED);
        assert!(full.analysis.is_some());
        assert!(full.diagnostics.iter().any(|d| d.code == "spawn-unbounded"));
        let lint = check(
            UNBOUNDED.as_bytes(),
            &CheckOptions {
                skip_bounds: true,
                ..Default::default()
            },
        );
        assert!(lint.analysis.is_none());
        let codes: Vec<_> = lint.diagnostics.iter().map(|d| d.code).collect();
        let others: Vec<_> = full
            .diagnostics
            .iter()
            .map(|d| d.code)
            .filter(|c| *c != "spawn-unbounded")
            .collect();
        assert_eq!(codes, others);
    }
}
