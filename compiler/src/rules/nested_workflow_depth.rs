//! `nested-workflow-depth`: a `workflow()` child that itself calls `workflow()`.
//!
//! The runtime allows one level of nesting. When the script's path is known, children named by a
//! string literal (`workflow('lint-sweep')`, `workflow('plugin:lint-sweep')`) are looked up as
//! `<name>.js` / `<name>.mjs` next to the script, and `workflow({ scriptPath: '…' })` relative to
//! it; a child that exists is compiled (not checked) and searched for `workflow()` calls. Children
//! are not followed further, so cycles cannot loop. Without a path, only a script that starts
//! itself by its own `meta.name` is found.

use crate::fxhash::HashMap;
use std::path::{Path, PathBuf};

use wfc_ir::{Argument, Expr, ExprKind, Span, Workflow};

use super::meta_required::{meta_props, prop, static_str};
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use wfc_ir::visit::for_each_expr;

pub const RULE: Rule = Rule {
    code: "nested-workflow-depth",
    severity: Severity::Error,
    summary: "A `workflow()` child calls `workflow()` itself; nesting is one level only.",
    explanation: "`workflow(nameOrRef, args)` runs another workflow inline, sharing this run's \
concurrency cap, agent counter and budget. Nesting is one level only: `workflow()` called inside \
a child throws, so a parent whose child starts a grandchild fails when the child reaches that \
call, after its earlier agents have run. A script that starts itself by name \
(`workflow(meta.name)`-style recursion) is the same mistake.\n\n\
wfc looks children up next to the checked script (`<name>.js` or `<name>.mjs`, the part after \
`plugin:` for namespaced names, or the `scriptPath`), when it knows where the script is. \
Flatten the tree: inline the grandchild's steps into the child, or have the parent call the \
grandchild directly and pass its result to the child in `args`.",
    example: "export const meta = { name: 'deep-audit', description: 'y' }\nconst sub = await workflow('deep-audit', { depth: 2 })\n",
    check: Check::Ir(check),
};

/// Children larger than this are not read.
const MAX_CHILD_BYTES: u64 = 1 << 20;

/// A child workflow that calls `workflow()`: its file name and the line of the call.
type Nested = Option<(String, u32)>;

fn check(ctx: &mut RuleContext<'_>) {
    let own_name = own_name(ctx.workflow);
    let dir = ctx.options.path.as_deref().and_then(Path::parent);
    let mut cache: HashMap<PathBuf, Nested> = HashMap::default();
    let mut calls = Vec::new();
    ctx.index().primitives.iter().for_each(|&e| {
        if let ExprKind::Workflow { args } = &e.kind {
            if let Some(target) = target(args) {
                calls.push((e.span, target));
            }
        }
    });
    for (span, target) in calls {
        let (name, candidates) = match &target {
            Target::Name(name) => {
                if own_name.as_deref() == Some(unqualified(name)) {
                    ctx.report(self_call(span, name));
                    continue;
                }
                let candidates = match dir {
                    Some(dir) if is_plain_name(unqualified(name)) => ["js", "mjs"]
                        .iter()
                        .map(|ext| dir.join(format!("{}.{ext}", unqualified(name))))
                        .collect(),
                    _ => Vec::new(),
                };
                (name.as_str(), candidates)
            }
            Target::ScriptPath(p) => {
                let candidates = match dir {
                    Some(dir) => vec![dir.join(p)],
                    None => Vec::new(),
                };
                (p.as_str(), candidates)
            }
        };
        let found = candidates.iter().find_map(|path| {
            cache
                .entry(path.clone())
                .or_insert_with(|| nested_call(path))
                .clone()
        });
        if let Some((file, line)) = found {
            ctx.report(
                Diagnostic::error(
                    RULE.code,
                    span,
                    format!("`{name}` calls `workflow()` itself; nesting is one level only"),
                )
                .label(format!("`{file}` calls `workflow()` on line {line}"))
                .help(format!(
                    "`workflow()` inside a child throws at run time: inline the grandchild's steps into `{file}`, or call the grandchild directly from this script and pass its result in `args`"
                )),
            );
        }
    }
}

enum Target {
    Name(String),
    ScriptPath(String),
}

/// What a `workflow()` call starts, when its first argument is a literal.
fn target(args: &[Argument]) -> Option<Target> {
    let first = args.first().filter(|a| !a.spread)?;
    if let Some(name) = static_str(&first.expr) {
        return Some(Target::Name(name.to_owned()));
    }
    let ExprKind::Object { props } = &first.expr.kind else {
        return None;
    };
    let (_, value) = prop(props, "scriptPath")?;
    static_str(value).map(|p| Target::ScriptPath(p.to_owned()))
}

/// The name without a plugin namespace: `build:code` → `code`.
fn unqualified(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, n)| n)
}

/// A registry name that is safe to turn into a file name next to the script.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\'])
}

/// The script's own `meta.name`, when it is a literal.
fn own_name(workflow: &Workflow) -> Option<String> {
    let (_, value) = prop(meta_props(workflow)?, "name")?;
    static_str(value).map(str::to_owned)
}

fn self_call(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error(
        RULE.code,
        span,
        format!("`{name}` calls `workflow()` itself; nesting is one level only"),
    )
    .label("this script starts itself, and the child's own `workflow()` call would throw")
    .help("loop inside this script instead of starting it again, or move the repeated part into a separate child workflow that does not call `workflow()`")
}

/// Reads and compiles a child script; its file name and the line of its first `workflow()` call,
/// if it makes one. Unreadable, huge or unparsable children give `None`.
fn nested_call(path: &Path) -> Nested {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_CHILD_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let (workflow, _) = crate::compile(&text);
    let mut first: Option<Span> = None;
    for_each_expr(&workflow?, |e: &Expr| {
        if matches!(e.kind, ExprKind::Workflow { .. }) && first.is_none() {
            first = Some(e.span);
        }
    });
    let span = first?;
    let (line, _) = LineIndex::new(&text).line_col(&text, span.start);
    let file = path.file_name()?.to_string_lossy().into_owned();
    Some((file, line))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::rules::test_util::{diagnostics_for, spanned};
    use crate::{CheckOptions, Diagnostic};

    const META: &str = "export const meta = { name: 'parent', description: 'y' }\n";

    /// A fresh directory under the system temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "wfc-nested-{tag}-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&dir).expect("create temp dir");
            TempDir(dir)
        }

        fn write(&self, name: &str, text: &str) -> PathBuf {
            let path = self.0.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("create dir");
            }
            std::fs::write(&path, text).expect("write file");
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn check_at(path: &Path, src: &str) -> Vec<Diagnostic> {
        let options = CheckOptions {
            path: Some(path.to_owned()),
            ..CheckOptions::default()
        };
        crate::check(src.as_bytes(), &options)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "nested-workflow-depth")
            .collect()
    }

    const CHILD_WITH_NESTING: &str = "export const meta = { name: 'child', description: 'c' }\nconst a = await agent('x')\nreturn await workflow('grandchild', a)\n";
    const LEAF: &str =
        "export const meta = { name: 'leaf', description: 'l' }\nreturn await agent('x')\n";

    #[test]
    fn child_that_nests_is_reported_at_the_call() {
        let dir = TempDir::new("named");
        dir.write("child.js", CHILD_WITH_NESTING);
        let src = format!("{META}const r = await workflow('child', {{ x: 1 }})\n");
        let parent = dir.write("parent.js", &src);
        let d = check_at(&parent, &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "workflow('child', { x: 1 })");
        assert_eq!(
            d[0].message,
            "`child` calls `workflow()` itself; nesting is one level only"
        );
        assert_eq!(
            d[0].label.as_deref(),
            Some("`child.js` calls `workflow()` on line 3")
        );
        assert!(d[0].help.as_deref().unwrap_or_default().contains("inline"));
    }

    #[test]
    fn mjs_plugin_names_and_script_paths() {
        let dir = TempDir::new("forms");
        dir.write("lint.mjs", CHILD_WITH_NESTING);
        dir.write("sub/deep.js", CHILD_WITH_NESTING);
        dir.write("leaf.js", LEAF);
        let src = format!(
            "{META}await workflow('tools:lint')\nawait workflow({{ scriptPath: 'sub/deep.js' }})\nawait workflow('leaf')\nawait workflow({{ scriptPath: './leaf.js' }})\nawait workflow('missing')\nawait workflow('../lint')\n"
        );
        let parent = dir.write("parent.js", &src);
        let d = check_at(&parent, &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(
            spans,
            [
                "workflow('tools:lint')",
                "workflow({ scriptPath: 'sub/deep.js' })"
            ]
        );
        assert_eq!(
            d[1].message,
            "`sub/deep.js` calls `workflow()` itself; nesting is one level only"
        );
    }

    #[test]
    fn unreadable_unparsable_and_huge_children_are_skipped() {
        let dir = TempDir::new("skip");
        dir.write("broken.js", "export const meta = {\nworkflow('x'\n");
        dir.write(
            "huge.js",
            &format!("{CHILD_WITH_NESTING}//{}\n", "x".repeat(1 << 20)),
        );
        std::fs::create_dir_all(dir.0.join("adir.js")).expect("mkdir");
        let src = format!(
            "{META}await workflow('broken')\nawait workflow('huge')\nawait workflow('adir')\nawait workflow(args.name)\n"
        );
        let parent = dir.write("parent.js", &src);
        assert!(check_at(&parent, &src).is_empty());
    }

    #[test]
    fn a_cycle_is_reported_once_per_call_and_terminates() {
        let dir = TempDir::new("cycle");
        dir.write(
            "a.js",
            "export const meta = { name: 'a', description: 'a' }\nawait workflow('b')\n",
        );
        let src = "export const meta = { name: 'b', description: 'b' }\nawait workflow('a')\nawait workflow('a')\n";
        let parent = dir.write("b.js", src);
        assert_eq!(check_at(&parent, src).len(), 2);
    }

    #[test]
    fn a_script_that_starts_itself() {
        let src = "export const meta = { name: 'deep-audit', description: 'y' }\nawait workflow('deep-audit')\nawait workflow('tools:deep-audit', args)\nawait workflow('other')\n";
        let d = diagnostics_for("nested-workflow-depth", src);
        let spans: Vec<_> = d.iter().map(|d| spanned(src, d)).collect();
        assert_eq!(
            spans,
            [
                "workflow('deep-audit')",
                "workflow('tools:deep-audit', args)"
            ]
        );
        assert!(d[0].label.is_some() && d[0].help.is_some());
    }

    #[test]
    fn without_a_path_children_are_not_looked_up() {
        let src = format!("{META}await workflow('child')\n");
        assert!(diagnostics_for("nested-workflow-depth", &src).is_empty());
    }
}
