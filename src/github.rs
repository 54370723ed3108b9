//! `wfc check --format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's diff.

use wfc_compiler::{Diagnostic, LineIndex, Severity};

/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::MESSAGE` (`::warning` for
/// warnings). `path` is the path relative to the repository root, with `/` separators.
pub fn command(d: &Diagnostic, path: &str, text: &str, index: &LineIndex) -> String {
    let (line, col) = index.line_col(text, d.span.start);
    let (end_line, end_col) = index.line_col(text, d.span.end.max(d.span.start));
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!(
        "::{kind} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
        escape_property(path),
        escape_property(d.code),
        escape_data(&d.message),
    )
}

/// Escapes a command's message: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a command property's value: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wfc_ir::Span;

    #[test]
    fn escaping() {
        assert_eq!(
            escape_data("100% done\r\nnext: a, b"),
            "100%25 done%0D%0Anext: a, b"
        );
        assert_eq!(escape_property("C:\\a,b%\n.js"), "C%3A\\a%2Cb%25%0A.js");
    }

    #[test]
    fn command_line() {
        let text = "ab\ncd\n";
        let d = Diagnostic::warning("unknown-meta-key", Span::new(3, 5), "50% of: x\ny");
        assert_eq!(
            command(&d, "dir,1/a:b.js", text, &LineIndex::new(text)),
            "::warning file=dir%2C1/a%3Ab.js,line=2,col=1,endLine=2,endColumn=3,title=unknown-meta-key::50%25 of: x%0Ay"
        );
    }
}
