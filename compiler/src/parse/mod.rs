//! Source decoding and parsing. This module and its `lower` child are the only code that touches
//! swc; everything after them works on the IR.

pub mod lower;

use swc_common::comments::{Comments, SingleThreadedComments};
use swc_common::{input::StringInput, BytePos, Spanned};
use swc_ecma_ast::Module;
use swc_ecma_parser::{error::SyntaxError, EsSyntax, Parser, Syntax, TsSyntax};
use wfc_ir::Span;

use crate::diagnostic::Diagnostic;
use crate::rules::{
    binary_file, forbidden_api, invalid_utf8, nesting_too_deep, script_too_large, syntax_error,
    typescript_syntax,
};

/// The runtime's `script.maxLength` (Workflow tool input schema, v2.1.168).
pub const MAX_SCRIPT_CHARS: usize = 524_288;

/// Brackets nested deeper than this are refused before parsing. Real scripts stay far below a
/// hundred; the limit exists so hostile input cannot exhaust the stack.
pub const MAX_BRACKET_DEPTH: usize = 1_000;

/// swc positions start at 1 (0 is its "dummy" position), so source offsets are shifted by one.
const BASE: u32 = 1;

pub(crate) fn span_of(s: swc_common::Span) -> Span {
    Span::new(s.lo.0.saturating_sub(BASE), s.hi.0.saturating_sub(BASE))
}

/// A script's text, decoded. `text` is always valid UTF-8; when the input was not, it is the lossy
/// version (for display) and `usable` is false.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub usable: bool,
}

/// Decodes raw bytes, reporting invalid UTF-8, binary content and oversized scripts.
pub fn decode(bytes: &[u8], diagnostics: &mut Vec<Diagnostic>) -> Decoded {
    // `contains` is word-at-a-time; finding the position is only needed on the error path.
    let nul = bytes
        .contains(&0)
        .then(|| bytes.iter().position(|&b| b == 0))
        .flatten();
    if let Some(nul) = nul {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let start = String::from_utf8_lossy(&bytes[..nul]).len() as u32;
        diagnostics.push(binary_file::diagnostic(Span::new(start, start + 1)));
        return Decoded {
            text,
            usable: false,
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let usable = check_size(text, diagnostics);
            Decoded {
                text: text.to_owned(),
                usable,
            }
        }
        Err(e) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let start = e.valid_up_to() as u32;
            // The lossy text has U+FFFD (3 bytes) where the bad sequence was.
            diagnostics.push(invalid_utf8::diagnostic(Span::new(start, start + 3)));
            Decoded {
                text,
                usable: false,
            }
        }
    }
}

fn check_size(text: &str, diagnostics: &mut Vec<Diagnostic>) -> bool {
    // Counting chars is O(n); skip it when even one byte per char fits.
    if text.len() <= MAX_SCRIPT_CHARS {
        return true;
    }
    let chars = text.chars().count();
    if chars <= MAX_SCRIPT_CHARS {
        return true;
    }
    diagnostics.push(script_too_large::diagnostic(chars, text));
    false
}

/// Parses a decoded script as an ES module whose body may `return` (the runtime wraps it in an
/// async function). Every error swc reports, recovered or not, becomes a diagnostic.
pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Module> {
    parse_inner(text, diagnostics, None)
}

/// A source comment: its span (delimiters included) and its text (delimiters excluded).
pub type SourceComment = (Span, String);

/// [`parse`], also returning every comment of the script in source order. Comments come from the
/// parser, so `//` inside a string or template never counts.
pub fn parse_with_comments(
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<Module>, Vec<SourceComment>) {
    let comments = SingleThreadedComments::default();
    let module = parse_inner(text, diagnostics, Some(&comments));
    let (leading, trailing) = comments.take_all();
    let mut all: Vec<SourceComment> = [leading, trailing]
        .iter()
        .flat_map(|map| {
            map.borrow()
                .values()
                .flatten()
                .map(|c| (span_of(c.span), c.text.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    all.sort_by_key(|(span, _)| (span.start, span.end));
    all.dedup();
    (module, all)
}

fn parse_inner(
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
    comments: Option<&dyn Comments>,
) -> Option<Module> {
    if let Some(span) = too_deep(text) {
        diagnostics.push(nesting_too_deep::diagnostic(span));
        return None;
    }
    let syntax = Syntax::Es(EsSyntax {
        allow_return_outside_function: true,
        ..Default::default()
    });
    let (module, errors) = parse_with(text, syntax, comments);
    if errors.is_empty() {
        return module;
    }
    if looks_like_typescript(text) {
        let first = &errors[0];
        diagnostics.push(typescript_syntax::diagnostic(span_of(first.span())));
        return None;
    }
    for e in &errors {
        diagnostics.push(error_to_diagnostic(e));
    }
    module
}

fn parse_with(
    text: &str,
    syntax: Syntax,
    comments: Option<&dyn Comments>,
) -> (Option<Module>, Vec<swc_ecma_parser::error::Error>) {
    let end = BytePos(BASE + text.len() as u32);
    let input = StringInput::new(text, BytePos(BASE), end);
    let mut parser = Parser::new(syntax, input, comments);
    let result = parser.parse_module();
    let mut errors = parser.take_errors();
    let module = match result {
        Ok(m) => Some(m),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    errors.sort_by_key(|e| e.span().lo);
    errors.dedup_by(|a, b| a.span() == b.span() && a.kind().msg() == b.kind().msg());
    (module, errors)
}

/// The script fails to parse as JavaScript; does it parse as TypeScript? (swc's TypeScript mode
/// cannot allow a top-level `return`, so that error does not count against it.)
fn looks_like_typescript(text: &str) -> bool {
    let syntax = Syntax::Typescript(TsSyntax::default());
    let (module, errors) = parse_with(text, syntax, None);
    module.is_some()
        && errors
            .iter()
            .all(|e| matches!(e.kind(), SyntaxError::ReturnNotAllowed))
}

fn error_to_diagnostic(e: &swc_ecma_parser::error::Error) -> Diagnostic {
    let span = span_of(e.span());
    match e.kind() {
        SyntaxError::WithInStrict => forbidden_api::with_statement(span),
        kind => syntax_error::diagnostic(span, &kind.msg()),
    }
}

/// Finds where bracket nesting first exceeds [`MAX_BRACKET_DEPTH`], skipping strings, template
/// text and comments. Deliberately approximate (regex literals are not recognised): it only
/// guards the parser.
fn too_deep(text: &str) -> Option<Span> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    // For each open template literal: the bracket depth its current `${` started at.
    let mut templates: Vec<usize> = Vec::new();
    let mut in_template_text = false;
    let mut i = 0;
    while i < bytes.len() {
        if in_template_text {
            match bytes[i] {
                b'\\' => i += 1,
                b'`' => {
                    in_template_text = false;
                    templates.pop();
                }
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    in_template_text = false;
                    i += 1;
                    depth += 1;
                    if let Some(t) = templates.last_mut() {
                        *t = depth;
                    }
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match bytes[i] {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    return Some(Span::new(i as u32, i as u32 + 1));
                }
            }
            b'}' if templates.last() == Some(&depth) => {
                // The end of a `${…}`: back to the template's text.
                depth = depth.saturating_sub(1);
                in_template_text = true;
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'`' => {
                templates.push(usize::MAX);
                in_template_text = true;
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_diags(src: &str) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        parse(src, &mut d);
        d
    }

    #[test]
    fn top_level_await_and_return_parse() {
        let d = parse_diags("export const meta = {name:'a',description:'b'};\nconst x = await agent('p');\nreturn x;\n");
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn syntax_error_has_position() {
        let d = parse_diags("const x = {;\n");
        assert_eq!(d[0].code, "syntax-error");
        assert_eq!(d[0].span.start, 11);
    }

    #[test]
    fn typescript_is_recognised() {
        let d = parse_diags("const files: string[] = [];\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "typescript-syntax");
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let src = format!("const x = {}1{};", "(".repeat(5_000), ")".repeat(5_000));
        let d = parse_diags(&src);
        assert_eq!(d[0].code, "nesting-too-deep");
    }

    #[test]
    fn template_text_does_not_count_but_substitutions_do() {
        let flat = "const a = `Don't ( edit ${x} [ files`;\n".repeat(3_000);
        assert!(too_deep(&flat).is_none());
        let nested = format!(
            "const a = `${{{}1{}}}`",
            "(".repeat(2_000),
            ")".repeat(2_000)
        );
        assert!(too_deep(&nested).is_some());
        let inner = "const b = `a ${ `b ${ {c: 1}.c } d` } e`;";
        assert!(too_deep(inner).is_none());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let src = format!(
            "// {}\nconst s = '{}';",
            "(".repeat(5_000),
            "[".repeat(5_000)
        );
        assert!(parse_diags(&src).is_empty());
    }

    #[test]
    fn comments_are_collected_but_not_from_strings() {
        let src = "const s = '// not a comment'; // one\n/* two */ const t = `/* nor this */`;\n";
        let mut d = Vec::new();
        let (module, comments) = parse_with_comments(src, &mut d);
        assert!(module.is_some() && d.is_empty(), "{d:?}");
        let texts: Vec<(&str, &str)> = comments
            .iter()
            .map(|(span, text)| (&src[span.start as usize..span.end as usize], text.as_str()))
            .collect();
        assert_eq!(texts, [("// one", " one"), ("/* two */", " two ")]);
    }

    #[test]
    fn invalid_utf8_and_binary_are_reported() {
        let mut d = Vec::new();
        let dec = decode(b"const a = '\xff';", &mut d);
        assert!(!dec.usable);
        assert_eq!(d[0].code, "invalid-utf8");
        assert_eq!(d[0].span.start, 11);
        let mut d = Vec::new();
        decode(b"\x7fELF\x00\x01", &mut d);
        assert_eq!(d[0].code, "binary-file");
    }

    #[test]
    fn oversized_script_is_refused() {
        let mut d = Vec::new();
        let text = format!("// {}", "x".repeat(MAX_SCRIPT_CHARS));
        let dec = decode(text.as_bytes(), &mut d);
        assert!(!dec.usable);
        assert_eq!(d[0].code, "script-too-large");
    }
}
