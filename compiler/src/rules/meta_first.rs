//! `meta-first`: the script must start with `export const meta = {...}`.

use wfc_ir::{Pattern, Span, StmtKind, Workflow};

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "meta-first",
    severity: Severity::Error,
    summary: "The script has no `export const meta = {...}`, or it is not the first statement.",
    explanation: "The runtime refuses such a script before running it: `Invalid workflow script: \
export const meta = { name, description, phases } must be the FIRST statement in the script`. \
Comments may come before it; nothing else may (not even a `const` it refers to, which \
`meta-literal` forbids anyway).\n\n\
Move the declaration to the top, or add one: \
`export const meta = { name: 'my-workflow', description: 'What it does' }`.",
    example: "const files = args.files\nexport const meta = { name: 'x', description: 'y' }\n",
    check: Check::Ir(check),
};

const RUNTIME_SAYS: &str =
    "the runtime requires `export const meta = { name, description, phases }` as the FIRST statement";

fn check(ctx: &mut RuleContext<'_>) {
    let w = ctx.workflow;
    match &w.meta {
        Some(meta) if !meta.is_first => ctx.report(
            Diagnostic::error(
                RULE.code,
                first_line(ctx.text, meta.span),
                "`export const meta` must be the first statement",
            )
            .label("declared after other statements")
            .help("move it to the top of the script; only comments may precede it"),
        ),
        Some(_) => {}
        None => ctx.report(missing(ctx.text, w)),
    }
}

fn missing(text: &str, w: &Workflow) -> Diagnostic {
    if let Some(span) = unexported_meta(w) {
        return Diagnostic::error(
            RULE.code,
            first_line(text, span),
            "`meta` is declared without `export`",
        )
        .label("not exported")
        .help(format!(
            "write `export const meta = {{...}}`; {RUNTIME_SAYS}"
        ));
    }
    let span = w
        .body
        .first()
        .map_or(Span::new(0, 0), |s| first_line(text, s.span));
    Diagnostic::error(
        RULE.code,
        span,
        "the script has no `export const meta = {...}` declaration",
    )
    .label("expected `export const meta = {...}` before this")
    .help(format!(
        "add `export const meta = {{ name: 'my-workflow', description: '…' }}` at the top; {RUNTIME_SAYS}"
    ))
}

/// A top-level `const meta = …` / `let meta = …` written without `export`.
fn unexported_meta(w: &Workflow) -> Option<Span> {
    w.body.iter().find_map(|s| match &s.kind {
        StmtKind::VarDecl { decls, .. }
            if decls
                .iter()
                .any(|d| matches!(&d.pattern, Pattern::Binding { name, .. } if name == "meta")) =>
        {
            Some(s.span)
        }
        _ => None,
    })
}

/// The span cut at the end of its first line, so a long statement is not underlined whole.
fn first_line(text: &str, span: Span) -> Span {
    let start = span.start as usize;
    let end = span.end as usize;
    match text.get(start..end).and_then(|s| s.find('\n')) {
        Some(nl) => {
            let line = text[start..start + nl].trim_end();
            Span::new(span.start, span.start + line.len() as u32)
        }
        None => span,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    #[test]
    fn meta_after_a_statement() {
        let src = "const files = args.files\nexport const meta = { name: 'x', description: 'y' }\n";
        let d = diagnostics_for("meta-first", src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            spanned(src, &d[0]),
            "export const meta = { name: 'x', description: 'y' }"
        );
        assert_eq!(
            d[0].message,
            "`export const meta` must be the first statement"
        );
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("comments"));
    }

    #[test]
    fn meta_first_after_comments_is_quiet() {
        let src = "// header\n/** doc */\nexport const meta = { name: 'x', description: 'y' };\nreturn 1\n";
        assert!(diagnostics_for("meta-first", src).is_empty());
    }

    #[test]
    fn missing_meta_points_at_the_first_statement_line() {
        let src = "// c\nconst a = {\n  b: 1,\n}\nreturn a\n";
        let d = diagnostics_for("meta-first", src);
        assert_eq!(d.len(), 1);
        assert_eq!(spanned(src, &d[0]), "const a = {");
        assert_eq!(
            d[0].message,
            "the script has no `export const meta = {...}` declaration"
        );
    }

    #[test]
    fn empty_script_reports_at_the_start() {
        let src = "// nothing here\n";
        let d = diagnostics_for("meta-first", src);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].span.start, d[0].span.end), (0, 0));
    }

    #[test]
    fn meta_without_export() {
        let src = "const meta = { name: 'x', description: 'y' }\nreturn 1\n";
        let d = diagnostics_for("meta-first", src);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "`meta` is declared without `export`");
        assert_eq!(
            spanned(src, &d[0]),
            "const meta = { name: 'x', description: 'y' }"
        );
    }
}
