//! `meta-phases`: `meta.phases` must be an array of `{ title, detail?, model? }` objects with
//! distinct, non-empty titles.
//!
//! This file also exposes the declared phase entries and titles to the other rules.

use crate::fxhash::HashSet;

use wfc_ir::{ArrayElement, Expr, ExprKind, ObjectProp, Workflow};

use super::meta_literal::is_literal_node;
use super::meta_required::{meta_props, not_a_nonempty_string, prop, static_str};
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "meta-phases",
    severity: Severity::Error,
    summary: "`meta.phases` is not an array of `{ title }` objects, or a title is empty, not a string or repeated.",
    explanation: "`meta.phases` lists the progress groups shown when the workflow is approved and while \
it runs: `phases: [{ title: 'Scan', detail: 'one agent per file' }, { title: 'Verify' }]`. Each \
entry needs a non-empty string `title`, which `phase('Scan')` and `agent(…, { phase: 'Scan' })` \
must match exactly; `detail` (a subtitle) and `model` (a display label) are optional strings. Two \
entries with the same title would be two headings for one group.\n\n\
Fix the entry the diagnostic points at; give every phase a distinct title.",
    example: "export const meta = {\n  name: 'x',\n  description: 'y',\n  phases: [{ title: 'Scan' }, { detail: 'check each finding' }],\n}\n",
    check: Check::Ir(check),
};

fn check(ctx: &mut RuleContext<'_>) {
    let Some(value) = phases_value(ctx.workflow) else {
        return;
    };
    let mut found = Vec::new();
    match &value.kind {
        ExprKind::Array { elements } => check_entries(elements, &mut found),
        _ if is_literal_node(value) => found.push(
            Diagnostic::error(
                RULE.code,
                value.span,
                "`meta.phases` must be an array of `{ title }` objects",
            )
            .label("not an array")
            .help("write `phases: [{ title: 'First phase' }, { title: 'Second phase' }]`"),
        ),
        _ => {} // a variable, a call, …: meta-literal reports it
    }
    for d in found {
        ctx.report(d);
    }
}

fn check_entries(elements: &[ArrayElement], out: &mut Vec<Diagnostic>) {
    let mut titles: HashSet<&str> = HashSet::default();
    for (i, el) in elements.iter().enumerate() {
        let ArrayElement::Expr { expr } = el else {
            continue; // a spread is meta-literal's; a hole has nothing to point at
        };
        let ExprKind::Object { props } = &expr.kind else {
            if is_literal_node(expr) {
                out.push(
                    Diagnostic::error(
                        RULE.code,
                        expr.span,
                        format!("`meta.phases[{i}]` must be an object with a `title`"),
                    )
                    .label("not an object")
                    .help(match static_str(expr) {
                        Some(s) => format!("write `{{ title: '{s}' }}`"),
                        None => "write `{ title: 'Phase name' }`".to_owned(),
                    }),
                );
            }
            continue;
        };
        match prop(props, "title") {
            None => out.push(
                Diagnostic::error(
                    RULE.code,
                    expr.span,
                    format!("`meta.phases[{i}]` has no `title`"),
                )
                .label("no `title` key")
                .help("add `title: 'Phase name'`: the string `phase()` and `opts.phase` use"),
            ),
            Some((_, title)) => {
                if let Some(problem) = not_a_nonempty_string(title) {
                    out.push(
                        Diagnostic::error(
                            RULE.code,
                            title.span,
                            format!("`meta.phases[{i}].title` must be a non-empty string"),
                        )
                        .label(problem)
                        .help("write the title as a plain string, e.g. `title: 'Verify'`"),
                    );
                } else if let Some(text) = static_str(title) {
                    if !titles.insert(text) {
                        out.push(
                            Diagnostic::error(
                                RULE.code,
                                title.span,
                                format!("duplicate phase title `{text}`"),
                            )
                            .label("declared again here")
                            .help("give each phase a distinct title, or remove the repeated entry"),
                        );
                    }
                }
            }
        }
        for key in ["detail", "model"] {
            if let Some((_, v)) = prop(props, key) {
                if is_literal_node(v) && static_str(v).is_none() {
                    out.push(
                        Diagnostic::error(
                            RULE.code,
                            v.span,
                            format!("`meta.phases[{i}].{key}` must be a string"),
                        )
                        .label("not a string")
                        .help(format!("write it as a string, or remove `{key}`")),
                    );
                }
            }
        }
    }
}

/// The value written for `meta.phases`, when meta is an object literal that has the key.
pub(crate) fn phases_value(workflow: &Workflow) -> Option<&Expr> {
    prop(meta_props(workflow)?, "phases").map(|(_, v)| v)
}

/// The entries of a literal `meta.phases` array that are object literals, with their index.
pub(crate) fn phase_entries(workflow: &Workflow) -> Vec<(usize, &[ObjectProp])> {
    let Some(ExprKind::Array { elements }) = phases_value(workflow).map(|v| &v.kind) else {
        return Vec::new();
    };
    elements
        .iter()
        .enumerate()
        .filter_map(|(i, el)| match el {
            ArrayElement::Expr { expr } => match &expr.kind {
                ExprKind::Object { props } => Some((i, props.as_slice())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The phase titles `meta` declares, or `None` when they cannot be known statically (no meta
/// object, or `phases` built from something other than literal entries). A meta object without
/// `phases` declares none.
pub(crate) fn declared_titles(workflow: &Workflow) -> Option<Vec<&str>> {
    let props = meta_props(workflow)?;
    let Some((_, value)) = prop(props, "phases") else {
        return Some(Vec::new());
    };
    let ExprKind::Array { elements } = &value.kind else {
        return None;
    };
    elements
        .iter()
        .map(|el| match el {
            ArrayElement::Expr { expr } => match &expr.kind {
                ExprKind::Object { props } => prop(props, "title").and_then(|(_, t)| static_str(t)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    fn meta(phases: &str) -> String {
        format!(
            "export const meta = {{ name: 'x', description: 'y', phases: {phases} }}\nreturn 1\n"
        )
    }

    #[test]
    fn entry_without_title_is_reported_at_the_entry() {
        let src = meta("[{ title: 'Scan' }, { detail: 'check' }]");
        let d = diagnostics_for("meta-phases", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "{ detail: 'check' }");
        assert_eq!(d[0].message, "`meta.phases[1]` has no `title`");
        assert!(d[0].label.is_some() && d[0].help.is_some());
    }

    #[test]
    fn valid_phases_are_quiet() {
        for p in [
            "[]",
            "[{ title: 'Scan', detail: 'per file', model: 'haiku' }, { title: `Verify` }]",
        ] {
            let src = meta(p);
            assert!(diagnostics_for("meta-phases", &src).is_empty(), "{p}");
        }
        let src = "export const meta = { name: 'x', description: 'y' }\n";
        assert!(diagnostics_for("meta-phases", src).is_empty());
    }

    #[test]
    fn bad_titles_and_optional_fields() {
        let src = meta("[{ title: '' }, { title: 3 }, { title: 'A', detail: 1, model: null }]");
        let d = diagnostics_for("meta-phases", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["''", "3", "1", "null"]);
        assert_eq!(
            d[0].message,
            "`meta.phases[0].title` must be a non-empty string"
        );
        assert_eq!(d[2].message, "`meta.phases[2].detail` must be a string");
        assert_eq!(d[3].message, "`meta.phases[2].model` must be a string");
    }

    #[test]
    fn duplicate_title_is_reported_at_the_second() {
        let src = meta("[{ title: 'Scan' }, { title: 'Verify' }, { title: `Scan` }]");
        let d = diagnostics_for("meta-phases", &src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(&src, &d[0]), "`Scan`");
        assert_eq!(d[0].message, "duplicate phase title `Scan`");
    }

    #[test]
    fn not_an_array_or_not_objects() {
        let src = meta("'Scan'");
        let d = diagnostics_for("meta-phases", &src);
        assert_eq!(spanned(&src, &d[0]), "'Scan'");
        assert_eq!(
            d[0].message,
            "`meta.phases` must be an array of `{ title }` objects"
        );

        let src = meta("['Scan', { title: 'Verify' }]");
        let d = diagnostics_for("meta-phases", &src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(&src, &d[0]), "'Scan'");
        assert_eq!(d[0].help.as_deref(), Some("write `{ title: 'Scan' }`"));
    }

    #[test]
    fn dynamic_parts_are_left_to_meta_literal() {
        let src = meta("[...P, { title: T }]");
        assert!(diagnostics_for("meta-phases", &src).is_empty());
    }
}
