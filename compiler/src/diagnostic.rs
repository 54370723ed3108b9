//! User-facing diagnostics: one builder for every rule and stage, rendered as miette reports
//! (text) or as a stable JSON record.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};
use serde::Serialize;
use wfc_ir::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding: a stable kebab-case code, a message, the span it is about, a label for the span
/// and a line of help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, span, message)
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, span, message)
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Maps byte offsets to 1-based lines and columns. Columns count UTF-16 code units, as JavaScript
/// engines, editors (LSP) and SARIF do; for ASCII text that is the byte column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i as u32 + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i as u32 + 1),
                // U+2028 and U+2029 end lines in JavaScript too.
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
                {
                    line_starts.push(i as u32 + 3);
                    i += 2;
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex { line_starts }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, text: &str, offset: u32) -> (u32, u32) {
        let offset = offset.min(text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column: usize = text[start..end].chars().map(char::len_utf16).sum();
        (line as u32 + 1, column as u32 + 1)
    }
}

/// The JSON form of a diagnostic (`wfc check --format json`). The field set is stable.
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub file: &'a str,
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub help: Option<&'a str>,
}

impl Diagnostic {
    pub fn to_json<'a>(
        &'a self,
        file: &'a str,
        text: &str,
        index: &LineIndex,
    ) -> JsonDiagnostic<'a> {
        let (line, column) = index.line_col(text, self.span.start);
        let (end_line, end_column) = index.line_col(text, self.span.end);
        JsonDiagnostic {
            file,
            code: self.code,
            severity: self.severity,
            message: &self.message,
            line,
            column,
            end_line,
            end_column,
            help: self.help.as_deref(),
        }
    }

    fn to_miette(&self, text_len: usize) -> MietteDiagnostic {
        let start = (self.span.start as usize).min(text_len);
        let end = (self.span.end as usize).clamp(start, text_len);
        let mut d = MietteDiagnostic::new(self.message.clone())
            .with_code(self.code)
            .with_severity(match self.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            })
            .with_label(LabeledSpan::new(self.label.clone(), start, end - start));
        if let Some(help) = &self.help {
            d = d.with_help(help.clone());
        }
        d
    }

    /// miette's graphical report: the message, the source line with the span underlined, the
    /// label and the help line.
    pub fn render(&self, file: &str, text: &str, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false);
        let report = miette::Report::new(self.to_miette(text.len())).with_source_code(
            miette::NamedSource::new(file, ClippedSource(text.to_owned())),
        );
        let mut out = String::new();
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            // Rendering only fails on a formatter error; fall back to the one-line form.
            out = format!(
                "{file}: {}: {} [{}]\n",
                self.severity, self.message, self.code
            );
        }
        out
    }
}

/// Source text for miette that shows at most [`WINDOW`] bytes on each side of a span on a long
/// line: a diagnostic in a minified one-line script shows the code around it, not the whole file.
struct ClippedSource(String);

/// Bytes of context kept on each side of a span on a line longer than [`LONG_LINE`].
const WINDOW: usize = 60;
const LONG_LINE: usize = 240;

impl miette::SourceCode for ClippedSource {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text = self.0.as_str();
        let inner = text.read_span(span, context_lines_before, context_lines_after)?;
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        if line_end - line_start <= LONG_LINE || text[start..end].contains('\n') {
            return Ok(inner);
        }
        // Keep only the span's own line, cut to a window around the span.
        let mut a = start.saturating_sub(WINDOW).max(line_start);
        while !text.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = (end + WINDOW).min(line_end);
        while !text.is_char_boundary(b) {
            b += 1;
        }
        let line = text[..start].matches('\n').count();
        Ok(Box::new(miette::MietteSpanContents::new(
            &text.as_bytes()[a..b],
            miette::SourceSpan::new(a.into(), b - a),
            line,
            inner.column(),
            1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_clipped_around_the_span() {
        let mut text = String::from("const a = 1;\n");
        text.push_str(&"x".repeat(5_000));
        text.push_str(" sleep(5) ");
        text.push_str(&"y".repeat(5_000));
        let start = text.find("sleep").expect("sleep") as u32;
        let d = Diagnostic::error(
            "unknown-global",
            Span::new(start, start + 5),
            "`sleep` is not defined",
        )
        .label("not declared")
        .help("declare it");
        let out = d.render("w.js", &text, false);
        assert!(out.contains("sleep(5)"), "{out}");
        assert!(out.len() < 1_000, "{} bytes:\n{out}", out.len());
        assert!(out.contains("w.js:2:5002"), "{out}");
    }

    #[test]
    fn line_col_counts_utf16_units() {
        let text = "ab\nc😀d\r\ne";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        // 😀 is 4 bytes and 2 UTF-16 units.
        assert_eq!(idx.line_col(text, 8), (2, 4));
        assert_eq!(idx.line_col(text, 11), (3, 1));
    }

    #[test]
    fn lone_cr_and_line_separator_end_lines() {
        let text = "a\rb\u{2028}c";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 2), (2, 1));
        assert_eq!(idx.line_col(text, 6), (3, 1));
    }

    #[test]
    fn render_underlines_span_and_shows_help() {
        let text = "const x = 1;\nsleep(5);\n";
        let d = Diagnostic::error(
            "unknown-global",
            Span::new(13, 18),
            "`sleep` is not defined",
        )
        .label("not declared")
        .help("declare it");
        let out = d.render("w.js", text, false);
        assert!(out.contains("unknown-global"), "{out}");
        assert!(out.contains("sleep(5);"), "{out}");
        assert!(out.contains("not declared"), "{out}");
        assert!(out.contains("help: declare it"), "{out}");
    }
}
