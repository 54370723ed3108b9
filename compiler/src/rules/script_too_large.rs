//! `script-too-large`: the script is longer than the runtime accepts.

use wfc_ir::Span;

use super::{Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::MAX_SCRIPT_CHARS;

pub const RULE: Rule = Rule {
    code: "script-too-large",
    severity: Severity::Error,
    summary: "The script is longer than 524,288 characters.",
    explanation: "The Workflow tool's input schema limits `script` to 524,288 characters; a longer script is rejected before it runs. wfc refuses it too, without parsing.",
    example: "<a script of more than 524,288 characters>",
    check: Check::FrontEnd,
};

pub fn diagnostic(chars: usize, text: &str) -> Diagnostic {
    // Point at the first character past the limit.
    let start = text
        .char_indices()
        .nth(MAX_SCRIPT_CHARS)
        .map_or(text.len(), |(i, _)| i) as u32;
    let end = text[start as usize..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8() as u32);
    Diagnostic::error(
        RULE.code,
        Span::new(start, end),
        format!(
            "the script has {chars} characters; the runtime accepts at most {MAX_SCRIPT_CHARS}"
        ),
    )
    .label("the limit is passed here")
    .help("split the work into several workflows, or move data into `args`")
}

#[cfg(test)]
mod tests {
    use crate::parse::MAX_SCRIPT_CHARS;

    #[test]
    fn at_limit_ok_over_limit_refused() {
        let ok = format!("//{}", "é".repeat(MAX_SCRIPT_CHARS - 2));
        let out = crate::check_text(&ok);
        assert!(out.diagnostics.iter().all(|d| d.code != "script-too-large"));
        let over = format!("{ok}x");
        let out = crate::check_text(&over);
        assert_eq!(out.diagnostics[0].code, "script-too-large");
        assert_eq!(out.diagnostics[0].span.start as usize, over.len() - 1);
    }
}
