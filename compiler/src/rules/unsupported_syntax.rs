//! `unsupported-syntax`: a construct outside the JavaScript subset wfc compiles.

use wfc_ir::Span;

use super::{Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "unsupported-syntax",
    severity: Severity::Error,
    summary: "The script uses a JavaScript construct wfc cannot compile (classes, generators, `this`, getters, tagged templates, …).",
    explanation: "wfc compiles the subset of JavaScript real workflow scripts use. Anything outside it is reported at its span rather than silently dropped, because an analysis that skips code could under-count agents. Rewrite the construct with plain functions and objects.",
    example: "export const meta = { name: 'x', description: 'y' }\nclass Finder {}\n",
    check: Check::FrontEnd,
};

/// `construct` names what was found, e.g. "a `class` declaration".
pub fn diagnostic(span: Span, construct: &str) -> Diagnostic {
    Diagnostic::error(
        RULE.code,
        span,
        format!("{construct} is not supported by wfc"),
    )
    .label("not supported")
    .help(help_for(construct))
}

fn help_for(construct: &str) -> &'static str {
    if construct.contains("class") {
        "use plain objects and functions instead of classes"
    } else if construct.contains("generator") || construct.contains("yield") {
        "use an async function that returns an array instead of a generator"
    } else if construct.contains("this") || construct.contains("arguments") {
        "pass values as parameters instead of using `this` or `arguments`"
    } else {
        "rewrite it with the supported subset (see docs/rules.md#unsupported-syntax)"
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};

    #[test]
    fn reports_each_unsupported_construct_at_its_span() {
        let cases = [
            ("class A {}\n", "class A {}"),
            ("function* g() {}\n", "function* g() {}"),
            ("const f = function () { return this }\n", "this"),
            (
                "const o = { get x() { return 1 } }\n",
                "get x() { return 1 }",
            ),
            ("const m = import.meta\n", "import.meta"),
            ("const b = 10n\n", "10n"),
            ("await pipeline(...xs)\n", "..."),
            ("await agent(...xs)\n", "..."),
            ("await parallel(...xs)\n", "..."),
        ];
        for (src, covered) in cases {
            let d = diagnostics_for("unsupported-syntax", src);
            assert_eq!(d.len(), 1, "{src}: {d:?}");
            assert_eq!(spanned(src, &d[0]), covered, "{src}");
        }
    }

    #[test]
    fn supported_subset_is_quiet() {
        let src = "const {a = 1, ...r} = {b: 2}\nlet [x, , y = 3] = [1]\nx ??= a\nouter: for (const k in r) { for (const v of [1]) { if (v) continue outer } }\nconst f = async ({p} = {}) => p?.q ?? `t${x}`\nswitch (x) { case 1: break; default: }\ndo { x++ } while (x < 3)\ntry { throw new Error('e') } catch { } finally { }\nreturn typeof f === 'function' && 'a' in r || /re/g.test('s')\n";
        assert!(diagnostics_for("unsupported-syntax", src).is_empty());
        // Stages may come from a spread; `for await` over values and promises is plain iteration.
        let src = "const S = [x => agent(x)]\nawait pipeline(['a'], ...S, y => y)\nfor await (const v of [1]) log(v)\n";
        assert!(diagnostics_for("unsupported-syntax", src).is_empty());
    }
}
