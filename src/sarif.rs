//! `wfc check --format sarif`: a SARIF 2.1.0 log, as GitHub code scanning and other CI tools read.

use std::collections::HashMap;

use serde_json::{json, Value};
use wfc_compiler::rules::Rule;
use wfc_compiler::{suppress, Diagnostic, LineIndex, Severity};

/// The schema the log declares (the OASIS SARIF 2.1.0 schema, as published by SchemaStore).
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where the tool is documented (the workspace's `repository`).
const INFORMATION_URI: &str = "https://example.invalid/wfc";

/// One checked file.
pub struct FileReport<'a> {
    /// The path as CI should see it: relative to the working directory with `/` separators, or
    /// absolute when the file is outside it (see `crate::check_cmd::portable_path`).
    pub path: &'a str,
    pub text: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// The whole log: one run, the rule registry as `tool.driver.rules`, one result per diagnostic.
/// `successful` is false when some file could not be read or checked.
pub fn log(files: &[FileReport<'_>], successful: bool) -> Value {
    let rules = suppress::all_rules();
    let rule_index: HashMap<&str, usize> =
        rules.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    let mut results = Vec::new();
    for file in files {
        let index = LineIndex::new(file.text);
        for d in file.diagnostics {
            results.push(result(d, file, &index, rule_index.get(d.code).copied()));
        }
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "wfc",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules.iter().map(|r| rule(r)).collect::<Vec<_>>(),
                }
            },
            "invocations": [{ "executionSuccessful": successful }],
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule(r: &Rule) -> Value {
    let markdown = format!(
        "{}\n\nExample:\n\n```js\n{}\n```",
        r.explanation,
        r.example.trim_end()
    );
    json!({
        "id": r.code,
        "name": r.code,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": r.explanation },
        "help": { "text": r.explanation, "markdown": markdown },
        "defaultConfiguration": { "level": level(r.severity) },
    })
}

fn result(
    d: &Diagnostic,
    file: &FileReport<'_>,
    index: &LineIndex,
    rule_index: Option<usize>,
) -> Value {
    let (start_line, start_column) = index.line_col(file.text, d.span.start);
    let (end_line, end_column) = index.line_col(file.text, d.span.end.max(d.span.start));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut r = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(file.path) },
                "region": {
                    "startLine": start_line,
                    "startColumn": start_column,
                    "endLine": end_line,
                    "endColumn": end_column,
                }
            }
        }],
    });
    if let (Some(i), Some(obj)) = (rule_index, r.as_object_mut()) {
        obj.insert("ruleIndex".to_owned(), json!(i));
    }
    r
}

/// A path as a URI reference: relative paths stay relative (`fixtures/a%20b.js`), absolute ones
/// become `file:` URIs. Everything but unreserved characters and `/` is percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let absolute = path.starts_with('/') || path.as_bytes().get(1) == Some(&b':');
    if absolute {
        out.push_str(if path.starts_with('/') {
            "file://"
        } else {
            "file:///"
        });
    }
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            // The drive colon of `C:/…`.
            || (absolute && i == 1 && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(
            uri("fixtures/invalid/meta-first.js"),
            "fixtures/invalid/meta-first.js"
        );
        assert_eq!(uri("a b/ü#1.js"), "a%20b/%C3%BC%231.js");
        assert_eq!(uri("/tmp/x y.js"), "file:///tmp/x%20y.js");
        assert_eq!(uri("C:/w/x.js"), "file:///C:/w/x.js");
    }

    #[test]
    fn rule_index_matches_rules() {
        let text = "x\n";
        let diagnostics = [Diagnostic::warning(
            "unused-suppression",
            wfc_ir::Span::new(0, 1),
            "m",
        )];
        let log = log(
            &[FileReport {
                path: "a.js",
                text,
                diagnostics: &diagnostics,
            }],
            true,
        );
        let run = &log["runs"][0];
        let result = &run["results"][0];
        let i = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            run["tool"]["driver"]["rules"][i]["id"],
            "unused-suppression"
        );
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"]["endColumn"],
            2
        );
    }
}
