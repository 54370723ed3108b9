//! Suppressions and rule overrides, applied after the rules ran.
//!
//! * Inline suppressions: `// wfc-ignore: <code>[, <code>…] <reason>` (or the same in a `/* */`
//!   comment). A trailing comment covers the diagnostics that start on its own line; a comment
//!   alone on its line covers the next line. The reason is required; a suppression without one,
//!   or naming a code that is not a rule, is reported as `invalid-suppression`, and one that
//!   matches nothing as `unused-suppression`.
//! * Overrides from the command line or `wfc.toml`: [`CheckOptions::ignore`] drops a code
//!   everywhere and [`CheckOptions::severity`] changes its severity or turns it off.
//!
//! Errors that stop the script from being parsed ([`UNSUPPRESSIBLE`]) are never suppressed,
//! ignored or downgraded: a script that does not parse cannot be checked at all.

use std::collections::BTreeMap;

use wfc_ir::Span;

use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::parse::SourceComment;
use crate::rules::{self, Rule};
use crate::CheckOptions;

use crate::rules::{invalid_suppression, unused_suppression};

use invalid_suppression::Problem;

/// The marker that starts a suppression comment.
pub const MARKER: &str = "wfc-ignore";

/// Codes that are never suppressed, ignored or downgraded: errors that stop the script from being
/// parsed.
pub const UNSUPPRESSIBLE: &[&str] = &[
    "syntax-error",
    "typescript-syntax",
    "invalid-utf8",
    "binary-file",
    "script-too-large",
    "nesting-too-deep",
];

/// Codes an inline comment cannot suppress (but `--ignore` and `wfc.toml` can turn off).
const NOT_INLINE: &[&str] = &["invalid-suppression", "unused-suppression"];

/// Every rule: the registry, plus the suppression rules while the registry does not list them.
pub fn all_rules() -> Vec<&'static Rule> {
    let mut all: Vec<&'static Rule> = rules::RULES.iter().collect();
    for r in [&invalid_suppression::RULE, &unused_suppression::RULE] {
        if !all.iter().any(|a| a.code == r.code) {
            all.push(r);
        }
    }
    all
}

/// The rule with this code, if there is one (see [`all_rules`]).
pub fn find_rule(code: &str) -> Option<&'static Rule> {
    rules::find(code).or_else(|| {
        [&invalid_suppression::RULE, &unused_suppression::RULE]
            .into_iter()
            .find(|r| r.code == code)
    })
}

/// Checks one override before it is put in [`CheckOptions`]: the code must name a rule, and a
/// rule in [`UNSUPPRESSIBLE`] can be set to `error` but not ignored (`None`) or made a warning.
/// The error is a sentence to show the user.
pub fn validate_override(code: &str, severity: Option<Severity>) -> Result<(), String> {
    let Some(rule) = find_rule(code) else {
        let codes = all_rules().into_iter().map(|r| r.code);
        return Err(match rules::unknown_global::closest(code, codes) {
            Some(s) => format!("`{code}` is not a wfc rule code (did you mean `{s}`?)"),
            None => format!("`{code}` is not a wfc rule code (see docs/rules.md)"),
        });
    };
    if UNSUPPRESSIBLE.contains(&rule.code) && severity != Some(Severity::Error) {
        return Err(format!(
            "`{code}` cannot be ignored or downgraded: a script with this error cannot be checked at all"
        ));
    }
    Ok(())
}

/// One code of a suppression comment.
#[derive(Debug)]
struct Entry<'a> {
    code: &'a str,
    /// Where the code is written, in the file.
    span: Span,
    used: bool,
}

/// A well-formed suppression comment.
#[derive(Debug)]
struct Suppression<'a> {
    /// The 1-based line whose diagnostics it covers.
    line: u32,
    entries: Vec<Entry<'a>>,
}

/// A comment's directive, parsed: not one, malformed, or the codes (with their offsets in the
/// comment text) and the reason.
#[derive(Debug, PartialEq, Eq)]
enum Directive<'a> {
    Absent,
    Malformed,
    Parsed {
        codes: Vec<(usize, &'a str)>,
        reason: &'a str,
    },
}

/// Parses the text of a comment (delimiters excluded).
fn parse_directive(text: &str) -> Directive<'_> {
    let start = text.len()
        - text
            .trim_start_matches(|c: char| c.is_whitespace() || c == '*')
            .len();
    let Some(after) = text[start..].strip_prefix(MARKER) else {
        return Directive::Absent;
    };
    let Some(body) = after.strip_prefix(':') else {
        // `wfc-ignore-foo` or `wfc-ignored` are other words; `wfc-ignore code` lacks the colon.
        return if after.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_') {
            Directive::Absent
        } else {
            Directive::Malformed
        };
    };
    let mut pos = start + MARKER.len() + 1;
    debug_assert_eq!(&text[pos..], body);
    let skip_ws = |pos: usize| pos + (text[pos..].len() - text[pos..].trim_start().len());
    let mut codes = Vec::new();
    loop {
        pos = skip_ws(pos);
        let len = text[pos..]
            .find(|c: char| c.is_whitespace() || c == ',')
            .unwrap_or(text.len() - pos);
        if len == 0 {
            break;
        }
        codes.push((pos, &text[pos..pos + len]));
        pos = skip_ws(pos + len);
        match text[pos..].strip_prefix(',') {
            Some(_) => pos += 1,
            None => break,
        }
    }
    if codes.is_empty() {
        return Directive::Malformed;
    }
    Directive::Parsed {
        codes,
        reason: text[pos..].trim(),
    }
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// The line a comment covers: its own line when code shares it, else the next line.
fn covered_line(text: &str, index: &LineIndex, span: Span) -> u32 {
    let (start, end) = (span.start as usize, (span.end as usize).min(text.len()));
    let line_start = text[..start].rfind(is_line_break).map_or(0, |i| i + 1);
    let line_end = text[end..]
        .find(is_line_break)
        .map_or(text.len(), |i| end + i);
    let (first, _) = index.line_col(text, span.start);
    let (last, _) = index.line_col(text, span.end);
    if !text[line_start..start].trim().is_empty() {
        first
    } else if !text[end..line_end].trim().is_empty() {
        last
    } else {
        last + 1
    }
}

/// Applies the script's suppression comments: removes the diagnostics they cover and adds
/// `invalid-suppression` and `unused-suppression` findings. Call it after every rule ran.
pub fn apply(text: &str, comments: &[SourceComment], diagnostics: &mut Vec<Diagnostic>) {
    // Built only when a suppression comment or a diagnostic needs a line number.
    let index_cell = std::cell::OnceCell::new();
    let index = || index_cell.get_or_init(|| LineIndex::new(text));
    let mut found = Vec::new();
    let mut suppressions: Vec<Suppression<'_>> = Vec::new();
    for (span, comment) in comments {
        // The comment's text starts after its `//` or `/*`.
        let base = span.start + 2;
        let at = |offset: usize, len: usize| {
            Span::new(base + offset as u32, base + (offset + len) as u32)
        };
        let (codes, reason) = match parse_directive(comment) {
            Directive::Absent => continue,
            Directive::Malformed => {
                found.push(invalid_suppression::diagnostic(*span, Problem::Malformed));
                continue;
            }
            Directive::Parsed { codes, reason } => (codes, reason),
        };
        if reason.is_empty() {
            let (first, last) = (codes[0], codes[codes.len() - 1]);
            let written = &comment[first.0..last.0 + last.1.len()];
            found.push(invalid_suppression::diagnostic(
                at(first.0, written.len()),
                Problem::MissingReason(written),
            ));
            continue;
        }
        let mut entries = Vec::new();
        for (offset, code) in codes {
            let code_span = at(offset, code.len());
            match find_rule(code) {
                None => {
                    let known = all_rules().into_iter().map(|r| r.code);
                    let suggestion = rules::unknown_global::closest(code, known);
                    found.push(invalid_suppression::diagnostic(
                        code_span,
                        Problem::UnknownCode(code, suggestion),
                    ));
                }
                Some(rule)
                    if UNSUPPRESSIBLE.contains(&rule.code) || NOT_INLINE.contains(&rule.code) =>
                {
                    found.push(invalid_suppression::diagnostic(
                        code_span,
                        Problem::NotSuppressible(code),
                    ));
                }
                Some(_) => entries.push(Entry {
                    code,
                    span: code_span,
                    used: false,
                }),
            }
        }
        if !entries.is_empty() {
            suppressions.push(Suppression {
                line: covered_line(text, index(), *span),
                entries,
            });
        }
    }

    let mut by_line: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, s) in suppressions.iter().enumerate() {
        by_line.entry(s.line).or_default().push(i);
    }
    let unparsable = diagnostics.iter().any(|d| UNSUPPRESSIBLE.contains(&d.code));
    diagnostics.retain(|d| {
        if UNSUPPRESSIBLE.contains(&d.code) || by_line.is_empty() {
            return true;
        }
        let (line, _) = index().line_col(text, d.span.start);
        let mut suppressed = false;
        for &i in by_line.get(&line).map(Vec::as_slice).unwrap_or_default() {
            for e in &mut suppressions[i].entries {
                if e.code == d.code {
                    e.used = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
    if !unparsable {
        for s in &suppressions {
            for e in s.entries.iter().filter(|e| !e.used) {
                found.push(unused_suppression::diagnostic(e.span, e.code, s.line));
            }
        }
    }
    diagnostics.extend(found);
}

/// Applies [`CheckOptions::ignore`] and [`CheckOptions::severity`]. `ignore` wins over a
/// severity; [`UNSUPPRESSIBLE`] codes are left alone whatever the options say.
pub fn apply_overrides(options: &CheckOptions, diagnostics: &mut Vec<Diagnostic>) {
    if options.ignore.is_empty() && options.severity.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| {
        if UNSUPPRESSIBLE.contains(&d.code) {
            return true;
        }
        if options.ignore.iter().any(|c| c == d.code) {
            return false;
        }
        match options.severity.get(d.code) {
            None => true,
            Some(None) => false,
            Some(Some(severity)) => {
                d.severity = *severity;
                true
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    fn codes(src: &str) -> Vec<&'static str> {
        crate::check_text(src)
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    fn check_with(src: &str, options: &CheckOptions) -> Vec<(&'static str, Severity)> {
        crate::check(src.as_bytes(), options)
            .diagnostics
            .iter()
            .map(|d| (d.code, d.severity))
            .collect()
    }

    #[test]
    fn parses_directives() {
        assert_eq!(parse_directive(" just a comment"), Directive::Absent);
        assert_eq!(parse_directive(" wfc-ignored: x y"), Directive::Absent);
        assert_eq!(parse_directive(" wfc-ignore x y"), Directive::Malformed);
        assert_eq!(parse_directive(" wfc-ignore:"), Directive::Malformed);
        assert_eq!(
            parse_directive(" wfc-ignore: , reason"),
            Directive::Malformed
        );
        assert_eq!(
            parse_directive(" wfc-ignore: a-b reason here "),
            Directive::Parsed {
                codes: vec![(13, "a-b")],
                reason: "reason here"
            }
        );
        assert_eq!(
            parse_directive("* wfc-ignore:a ,b,  c why"),
            Directive::Parsed {
                codes: vec![(13, "a"), (16, "b"), (20, "c")],
                reason: "why"
            }
        );
        assert_eq!(
            parse_directive(" wfc-ignore: a,"),
            Directive::Parsed {
                codes: vec![(13, "a")],
                reason: ""
            }
        );
    }

    #[test]
    fn covered_lines() {
        let text = "a // x\n// y\n  /* z */\nb /* w\n */ c\n/* v */ d\n";
        let index = LineIndex::new(text);
        let line = |needle: &str| {
            let start = text.find(needle).expect("needle") as u32;
            covered_line(text, &index, Span::new(start, start + needle.len() as u32))
        };
        assert_eq!(line("// x"), 1);
        assert_eq!(line("// y"), 3);
        assert_eq!(line("/* z */"), 4);
        assert_eq!(line("/* w\n */"), 4);
        assert_eq!(line("/* v */"), 6);
    }

    #[test]
    fn same_line_and_next_line_suppress() {
        let same =
            format!("{META}await sleep(1) // wfc-ignore: unknown-global a shim defines it\n");
        assert_eq!(codes(&same), Vec::<&str>::new());
        let next =
            format!("{META}// wfc-ignore: unknown-global a shim defines it\nawait sleep(1)\n");
        assert_eq!(codes(&next), Vec::<&str>::new());
        let block =
            format!("{META}/* wfc-ignore: unknown-global a shim defines it */\nawait sleep(1)\n");
        assert_eq!(codes(&block), Vec::<&str>::new());
        // Two lines down is out of reach: the suppression is unused and the finding stays.
        let far =
            format!("{META}// wfc-ignore: unknown-global a shim defines it\n\nawait sleep(1)\n");
        assert_eq!(codes(&far), ["unused-suppression", "unknown-global"]);
    }

    #[test]
    fn several_codes() {
        let src = format!(
            "{META}await sleep(eval('1')) // wfc-ignore: unknown-global, forbidden-api vetted\n"
        );
        assert_eq!(codes(&src), Vec::<&str>::new());
        let src =
            format!("{META}await sleep(1) // wfc-ignore: unknown-global, forbidden-api vetted\n");
        assert_eq!(codes(&src), ["unused-suppression"]);
    }

    #[test]
    fn other_codes_are_not_suppressed() {
        let src = format!("{META}await sleep(1) // wfc-ignore: forbidden-api vetted\n");
        assert_eq!(codes(&src), ["unknown-global", "unused-suppression"]);
    }

    #[test]
    fn marker_in_a_string_is_not_a_comment() {
        let src = format!("{META}await sleep('// wfc-ignore: unknown-global because')\n");
        assert_eq!(codes(&src), ["unknown-global"]);
    }

    #[test]
    fn invalid_suppressions_do_not_suppress() {
        let src = format!("{META}await sleep(1) // wfc-ignore: unknown-global\n");
        assert_eq!(codes(&src), ["unknown-global", "invalid-suppression"]);
        let src =
            format!("{META}await sleep(1) // wfc-ignore: unknown-globals, unknown-global ok\n");
        assert_eq!(codes(&src), ["invalid-suppression"]);
    }

    #[test]
    fn ignore_and_severity_overrides() {
        let src = format!("{META}await sleep(1)\nphase('Nope')\n");
        let base = check_with(&src, &CheckOptions::default());
        assert!(
            base.contains(&("unknown-global", Severity::Error)),
            "{base:?}"
        );
        assert!(
            base.contains(&("phase-not-declared", Severity::Warning)),
            "{base:?}"
        );

        let options = CheckOptions {
            ignore: vec!["unknown-global".into()],
            severity: BTreeMap::from([("phase-not-declared".to_owned(), Some(Severity::Error))]),
            ..CheckOptions::default()
        };
        assert_eq!(
            check_with(&src, &options),
            [("phase-not-declared", Severity::Error)]
        );

        let options = CheckOptions {
            severity: BTreeMap::from([
                ("phase-not-declared".to_owned(), None),
                ("unknown-global".to_owned(), Some(Severity::Warning)),
            ]),
            ..CheckOptions::default()
        };
        assert_eq!(
            check_with(&src, &options),
            [("unknown-global", Severity::Warning)]
        );
    }

    #[test]
    fn parse_errors_are_never_overridden() {
        let options = CheckOptions {
            ignore: vec!["syntax-error".into()],
            ..CheckOptions::default()
        };
        let out = crate::check(b"const a = 1 +;\n", &options);
        assert!(out.diagnostics.iter().any(|d| d.code == "syntax-error"));
        assert!(validate_override("syntax-error", None).is_err());
        assert!(validate_override("syntax-error", Some(Severity::Warning)).is_err());
        assert!(validate_override("syntax-error", Some(Severity::Error)).is_ok());
        assert!(validate_override("unused-suppression", None).is_ok());
        let err = validate_override("unknown-globl", None).expect_err("unknown code");
        assert!(err.contains("did you mean `unknown-global`"), "{err}");
    }

    #[test]
    fn registry_view_includes_suppression_rules_once() {
        let all = all_rules();
        for code in ["invalid-suppression", "unused-suppression", "syntax-error"] {
            assert_eq!(all.iter().filter(|r| r.code == code).count(), 1, "{code}");
            assert!(find_rule(code).is_some());
        }
    }
}
