//! `unknown-meta-key`: a `meta` key, or a `meta.phases[]` entry key, the runtime does not read.

use wfc_ir::Span;

use super::meta_phases::phase_entries;
use super::meta_required::{meta_props, named_props};
use super::unknown_global::closest;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "unknown-meta-key",
    severity: Severity::Warning,
    summary: "`meta` or a `meta.phases` entry has a key the runtime does not read.",
    explanation:
        "The runtime reads `name`, `description`, `whenToUse` and `phases` from `meta`, and \
`title`, `detail` and `model` from each phase entry. Any other key is silently ignored, which \
usually means a typo (`when_to_use`, `phase`) or an expectation the runtime does not meet: a \
top-level `meta.model` does not choose a model for the workflow's agents.\n\n\
Fix the spelling, move the setting where it takes effect (`agent(prompt, { model })`), or remove \
the key.",
    example:
        "export const meta = { name: 'x', description: 'y', when_to_use: 'when routes change' }\n",
    check: Check::Ir(check),
};

const META_KEYS: [&str; 4] = ["name", "description", "whenToUse", "phases"];
const PHASE_KEYS: [&str; 3] = ["title", "detail", "model"];

fn check(ctx: &mut RuleContext<'_>) {
    let w = ctx.workflow;
    let Some(props) = meta_props(w) else {
        return;
    };
    let mut found = Vec::new();
    for (key, span, _) in named_props(props) {
        if !META_KEYS.contains(&key) {
            found.push(meta_key(key, span));
        }
    }
    for (i, entry) in phase_entries(w) {
        for (key, span, _) in named_props(entry) {
            if !PHASE_KEYS.contains(&key) {
                found.push(phase_key(i, key, span));
            }
        }
    }
    for d in found {
        ctx.report(d);
    }
}

fn meta_key(key: &str, span: Span) -> Diagnostic {
    let d = Diagnostic::warning(RULE.code, span, format!("`{key}` is not a `meta` key"))
        .label("ignored by the runtime");
    let known = "`meta` keys are `name`, `description`, `whenToUse` and `phases`";
    match key {
        "model" => d.help(
            "the runtime ignores a top-level `meta.model`; set the model per call with `agent(prompt, { model: 'opus' })`, or add `model` to a phase entry as a display label",
        ),
        _ => match closest(key, META_KEYS) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("remove it; {known}")),
        },
    }
}

fn phase_key(index: usize, key: &str, span: Span) -> Diagnostic {
    let d = Diagnostic::warning(
        RULE.code,
        span,
        format!("`{key}` is not a key of a `meta.phases` entry (`meta.phases[{index}]`)"),
    )
    .label("ignored by the runtime");
    let suggestion = match key {
        "name" | "label" => Some("title"),
        "description" | "subtitle" => Some("detail"),
        _ => closest(key, PHASE_KEYS),
    };
    match suggestion {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help("remove it; phase entries have `title`, `detail` and `model`"),
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::test_util::{diagnostics_for, spanned};

    #[test]
    fn misspelled_key_is_a_warning_at_the_key() {
        let src = "export const meta = { name: 'x', description: 'y', when_to_use: 'z' }\n";
        let d = diagnostics_for("unknown-meta-key", src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(src, &d[0]), "when_to_use");
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].message, "`when_to_use` is not a `meta` key");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `whenToUse`?"));
    }

    #[test]
    fn known_keys_are_quiet() {
        let src = "export const meta = { name: 'x', description: 'y', whenToUse: 'z', 'phases': [{ title: 'A', detail: 'd', model: 'haiku' }] }\n";
        assert!(diagnostics_for("unknown-meta-key", src).is_empty());
    }

    #[test]
    fn top_level_model_explains_it_is_ignored() {
        let src = "export const meta = { name: 'x', description: 'y', model: 'opus' }\n";
        let d = diagnostics_for("unknown-meta-key", src);
        assert_eq!(spanned(src, &d[0]), "model");
        let help = d[0].help.as_deref().unwrap_or_default();
        assert!(
            help.contains("ignores") && help.contains("agent(prompt, { model"),
            "{help}"
        );
    }

    #[test]
    fn phase_entry_keys() {
        let src = "export const meta = { name: 'x', description: 'y', phases: [{ title: 'A' }, { name: 'B', titel: 'C', color: 'red' }] }\n";
        let d = diagnostics_for("unknown-meta-key", src);
        let spans: Vec<_> = d.iter().map(|d| spanned(src, d)).collect();
        assert_eq!(spans, ["name", "titel", "color"]);
        assert_eq!(
            d[0].message,
            "`name` is not a key of a `meta.phases` entry (`meta.phases[1]`)"
        );
        assert_eq!(d[0].help.as_deref(), Some("did you mean `title`?"));
        assert_eq!(d[1].help.as_deref(), Some("did you mean `title`?"));
        assert!(d[2]
            .help
            .as_deref()
            .unwrap_or_default()
            .starts_with("remove it"));
    }

    #[test]
    fn singular_phase_suggests_phases() {
        let src = "export const meta = { name: 'x', description: 'y', phase: [] }\n";
        let d = diagnostics_for("unknown-meta-key", src);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `phases`?"));
    }
}
