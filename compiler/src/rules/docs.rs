//! `docs/rules.md`, generated from the registry so the documentation cannot drift from the code.

use std::fmt::Write;

use super::RULES;
use crate::diagnostic::Severity;

/// The Markdown of `docs/rules.md`.
pub fn markdown() -> String {
    let mut s = String::from(
        "# Rules\n\n<!-- Generated from compiler/src/rules by `UPDATE_DOCS=1 cargo test -p wfc-compiler rules_md`; do not edit by hand. -->\n\n\
         Every diagnostic wfc reports has a stable code. Errors make `wfc check` exit with status 1; \
         warnings do not, unless `--deny-warnings` is given.\n\n| Code | Severity | What it finds |\n|---|---|---|\n",
    );
    for r in RULES {
        let _ = writeln!(
            s,
            "| [`{}`](#{}) | {} | {} |",
            r.code,
            r.code,
            severity(r.severity),
            r.summary
        );
    }
    for r in RULES {
        let _ = write!(
            s,
            "\n## {}\n\n**{}.** {}\n\n{}\n\nExample:\n\n```js\n{}\n```\n",
            r.code,
            severity(r.severity),
            r.summary,
            r.explanation,
            r.example.trim_end()
        );
    }
    s
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
    }
}

#[cfg(test)]
mod tests {
    /// Fails when docs/rules.md is stale; `UPDATE_DOCS=1` rewrites it.
    #[test]
    fn rules_md_is_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md");
        let want = super::markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, &want).expect("write docs/rules.md");
            return;
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p wfc-compiler rules_md`"
        );
    }
}
