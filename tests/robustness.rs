//! Hostile and unusual input: `check_bytes` must return (a diagnostic or a workflow) for anything,
//! never panic or overflow the stack.
//!
//! The truncation sweep is tuned for debug builds on a two-core machine: fixtures up to 8 KB are
//! cut at every byte of their first 1 KB and last 256 bytes and at every 3rd byte in between;
//! larger files at every byte of their first 2 KB and every 7th byte after. Set
//! `WFC_TRUNCATE_EVERY_BYTE=1` to cut files up to 8 KB at every byte offset (a slower, full sweep),
//! and `WFC_FUZZ_SCALE=n` for `n` times as many random inputs.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use wfc_compiler::{CheckOutput, LineIndex, Severity};

mod common;
use common::{fixtures, repo_root, Rng};

const WORKERS: usize = 2;
/// Files up to this size are swept densely; larger ones sparsely.
const SMALL_FILE: usize = 8 * 1024;
/// Small files: every byte of the head and the tail, every `SMALL_STRIDE`th byte in between.
const SMALL_DENSE_HEAD: usize = 1024;
const SMALL_DENSE_TAIL: usize = 256;
const SMALL_STRIDE: usize = 3;
/// Large files: every byte of the head, every `LARGE_STRIDE`th byte after.
const LARGE_DENSE_HEAD: usize = 2 * 1024;
const LARGE_STRIDE: usize = 7;
/// Stop reporting a file after this many failures: one is enough to debug, and a bug that fires at
/// every offset would otherwise flood the output.
const MAX_FAILURES_PER_INPUT: usize = 3;
/// The runtime's `script.maxLength`.
const MAX_SCRIPT_CHARS: usize = 524_288;

const META: &str = "export const meta = { name: 'x', description: 'y' };\n";

fn all_fixtures() -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for kind in ["valid", "invalid"] {
        for path in fixtures(kind) {
            let bytes = std::fs::read(&path).expect("read fixture");
            let name = format!(
                "fixtures/{kind}/{}",
                path.file_name().expect("name").to_string_lossy()
            );
            all.push((name, bytes));
        }
    }
    all
}

fn read_fixture(rel: &str) -> String {
    let path = repo_root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// What must hold of any output: spans lie inside the text, on character boundaries.
fn output_problem(output: &CheckOutput) -> Option<String> {
    let len = output.text.len();
    for d in &output.diagnostics {
        let (start, end) = (d.span.start as usize, d.span.end as usize);
        if start > end || end > len {
            return Some(format!(
                "{} span {start}..{end} is outside the text (length {len})",
                d.code
            ));
        }
        if !output.text.is_char_boundary(start) || !output.text.is_char_boundary(end) {
            return Some(format!("{} span {start}..{end} splits a character", d.code));
        }
    }
    None
}

/// Checks `bytes`, catching panics; with `render`, also renders every diagnostic (text and JSON),
/// as the CLI would. Returns a description of what went wrong, if anything did.
fn try_check(bytes: &[u8], render: bool) -> Result<CheckOutput, String> {
    let output = catch_unwind(AssertUnwindSafe(|| {
        let output = wfc_compiler::check_bytes(bytes);
        if render {
            let index = LineIndex::new(&output.text);
            for d in &output.diagnostics {
                let _ = d.render("input.js", &output.text, false);
                let _ = d.to_json("input.js", &output.text, &index);
            }
        }
        output
    }))
    .map_err(|p| format!("panicked: {}", panic_message(p.as_ref())))?;
    match output_problem(&output) {
        Some(problem) => Err(problem),
        None => Ok(output),
    }
}

/// A short, printable excerpt of an input for failure messages.
fn excerpt(bytes: &[u8]) -> String {
    const KEEP: usize = 160;
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 2 * KEEP {
        format!("{text:?}")
    } else {
        let head: String = chars[..KEEP].iter().collect();
        let tail: String = chars[chars.len() - KEEP..].iter().collect();
        format!("{head:?} … {tail:?} ({} bytes)", bytes.len())
    }
}

/// Runs `work` over `items` on [`WORKERS`] threads, collecting the failure messages it returns.
fn run_parallel<T: Sync>(items: &[T], work: impl Fn(&T) -> Vec<String> + Sync) -> Vec<String> {
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let found = work(item);
                failures.lock().expect("failure list").extend(found);
            });
        }
    });
    let mut failures = failures.into_inner().expect("failure list");
    failures.sort();
    failures
}

fn assert_no_failures(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failure(s) in {what}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The byte offsets a fixture is cut at (the whole file included), sorted and distinct.
fn cut_points(len: usize, every_byte: bool) -> Vec<usize> {
    let mut cuts: Vec<usize> = if len <= SMALL_FILE {
        if every_byte {
            (0..=len).collect()
        } else {
            let tail = len.saturating_sub(SMALL_DENSE_TAIL);
            (0..=len)
                .filter(|&c| c < SMALL_DENSE_HEAD || c >= tail || c % SMALL_STRIDE == 0)
                .collect()
        }
    } else {
        let mut cuts: Vec<usize> = (0..LARGE_DENSE_HEAD).collect();
        cuts.extend((LARGE_DENSE_HEAD..len).step_by(LARGE_STRIDE));
        cuts
    };
    if cuts.last() != Some(&len) {
        cuts.push(len);
    }
    cuts
}

// --- (a) fixtures and their truncated prefixes -------------------------------------------------

#[test]
fn truncated_fixtures_never_panic() {
    let mut inputs = all_fixtures();
    // Largest first, so the two workers finish together.
    inputs.sort_by_key(|(name, bytes)| (std::cmp::Reverse(bytes.len()), name.clone()));
    let every_byte = std::env::var_os("WFC_TRUNCATE_EVERY_BYTE").is_some_and(|v| v == "1");
    let failures = run_parallel(&inputs, |(name, bytes)| {
        let mut found = Vec::new();
        for cut in cut_points(bytes.len(), every_byte) {
            // Rendering (miette) is costly: do it at a sample of offsets and for the whole file.
            let render = cut % 53 == 0 || cut == bytes.len();
            if let Err(e) = try_check(&bytes[..cut], render) {
                found.push(format!("{name} cut at byte {cut}: {e}"));
                if found.len() == MAX_FAILURES_PER_INPUT {
                    break;
                }
            }
        }
        found
    });
    assert_no_failures("truncated fixtures", &failures);
}

// --- (b) deep nesting ---------------------------------------------------------------------------

const DEPTH: usize = 10_000;

/// A script whose one expression is `open`×DEPTH `core` `close`×DEPTH.
fn nested(open: &str, core: &str, close: &str) -> String {
    nested_to(DEPTH, open, core, close)
}

fn nested_to(depth: usize, open: &str, core: &str, close: &str) -> String {
    let mut s = String::with_capacity(META.len() + depth * (open.len() + close.len()) + 64);
    s.push_str(META);
    s.push_str("const v = ");
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(core);
    for _ in 0..depth {
        s.push_str(close);
    }
    s.push_str(";\nreturn v;\n");
    s
}

/// Nesting just under the limit is analysed, also on threads with small stacks: on a rayon worker
/// the analysis and the rules run side by side, and either may land on any worker.
#[test]
fn nesting_under_the_limit_checks_on_small_stacked_workers() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .stack_size(256 * 1024)
        .build()
        .expect("a thread pool");
    let scripts = [
        nested_to(900, "[", "agent('x')", "]"),
        nested_to(900, "f(", "1", ")"),
        nested_to(450, "(() => ", "agent('y')", ")()"),
        nested_to(900, "args ? 1 : ", "2", ""),
    ];
    for src in &scripts {
        let output = pool.install(|| wfc_compiler::check_text(src));
        let codes: Vec<&str> = output.diagnostics.iter().map(|d| d.code).collect();
        assert!(!codes.contains(&"nesting-too-deep"), "{codes:?}");
        assert!(output.analysis.is_some(), "{codes:?}");
    }
}

/// Checks a deeply nested script on the test's own thread (no extra stack given: the library must
/// cope by itself; the output, IR included, is dropped here too) and expects `nesting-too-deep`.
fn assert_refused_as_too_deep(src: &str) {
    let output = wfc_compiler::check_text(src);
    assert!(
        output_problem(&output).is_none(),
        "{:?}",
        output_problem(&output)
    );
    let codes: Vec<&str> = output.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"nesting-too-deep"), "{codes:?}");
}

#[test]
fn deep_parentheses() {
    assert_refused_as_too_deep(&nested("(", "1", ")"));
}

#[test]
fn deep_arrays() {
    assert_refused_as_too_deep(&nested("[", "", "]"));
}

#[test]
fn deep_objects() {
    assert_refused_as_too_deep(&nested("{a:", "1", "}"));
}

#[test]
fn deep_calls() {
    assert_refused_as_too_deep(&nested("f(", "1", ")"));
}

#[test]
fn deep_negations_in_parentheses() {
    assert_refused_as_too_deep(&nested("-(", "1", ")"));
}

#[test]
fn deep_template_literals() {
    assert_refused_as_too_deep(&nested("`${", "1", "}`"));
}

// The shapes below have no nested brackets, so the bracket pre-check before parsing does not see
// them: the parser and the lowering must cope.

#[test]
fn deep_logical_not() {
    assert_refused_as_too_deep(&nested("!", "args", ""));
}

#[test]
fn deep_unary_minus() {
    assert_refused_as_too_deep(&nested("- ", "1", ""));
}

#[test]
fn deep_typeof_and_await() {
    assert_refused_as_too_deep(&nested("typeof ", "args", ""));
    assert_refused_as_too_deep(&nested("await ", "args", ""));
}

#[test]
fn deep_conditional_chain() {
    assert_refused_as_too_deep(&nested("args ? 1 : ", "2", ""));
}

#[test]
fn deep_assignment_chain() {
    let mut s = String::from(META);
    s.push_str("let v;\n");
    for _ in 0..DEPTH {
        s.push_str("v = ");
    }
    s.push_str("1;\nreturn v;\n");
    assert_refused_as_too_deep(&s);
}

#[test]
fn deep_arrow_functions() {
    assert_refused_as_too_deep(&nested("() => ", "1", ""));
}

#[test]
fn deep_binary_chain() {
    // Left-nested: `1 + 1 + 1 …` is `((1 + 1) + 1) …` in the tree.
    let mut s = String::from(META);
    s.push_str("const v = 1");
    for _ in 0..DEPTH {
        s.push_str(" + 1");
    }
    s.push_str(";\nreturn v;\n");
    assert_refused_as_too_deep(&s);
}

#[test]
fn deep_member_chain() {
    let mut s = String::from(META);
    s.push_str("const v = args");
    for _ in 0..DEPTH {
        s.push_str("?.a");
    }
    s.push_str(";\nreturn v;\n");
    assert_refused_as_too_deep(&s);
}

#[test]
fn deep_if_statements() {
    let mut s = String::from(META);
    for _ in 0..DEPTH {
        s.push_str("if (args) ");
    }
    s.push_str("log('deep');\n");
    assert_refused_as_too_deep(&s);
}

/// The bracket pre-check skips quoted strings, but a quote inside a template literal (an apostrophe
/// in a prompt) is not a string: each such line must not leave a bracket counted as open.
#[test]
fn apostrophes_in_template_literals_do_not_add_up_to_too_deep() {
    let mut s = String::from(META);
    for i in 0..1_200 {
        s.push_str(&format!(
            "const r{i} = await agent(`Don't edit files; check step {i}.`, {{ label: 's{i}' }});\n"
        ));
    }
    let output = wfc_compiler::check_text(&s);
    let codes: Vec<&str> = output.diagnostics.iter().map(|d| d.code).collect();
    // 1,200 sequential agents do pass the cap; what must not appear is a nesting error.
    assert_eq!(
        codes,
        ["spawn-cap-exceeded"],
        "a flat script is reported as {codes:?}"
    );
}

/// Wide is not deep: long flat lists and many statements are fine.
#[test]
fn wide_scripts_are_not_too_deep() {
    let mut s = String::from(META);
    s.push_str("const xs = [");
    for i in 0..DEPTH {
        s.push_str(&format!("{i}, "));
    }
    s.push_str("];\n");
    for i in 0..DEPTH {
        s.push_str(&format!("log(xs[{i}]);\n"));
    }
    s.push_str("return xs.length;\n");
    let output = wfc_compiler::check_text(&s);
    let codes: Vec<&str> = output.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.is_empty(), "{codes:?}");
}

// --- hostile arithmetic -------------------------------------------------------------------------

/// Generous: each of these checks takes milliseconds when the analysis keeps its symbolic values
/// small. A check that runs past it is abandoned (its thread is left to the process's exit).
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// Checks `src` on another thread and fails if it takes longer than [`DEADLINE`], so a runaway
/// analysis fails the test instead of hanging the suite.
fn check_within_deadline(what: &str, src: String) {
    let (tx, rx) = std::sync::mpsc::channel();
    let start = std::time::Instant::now();
    std::thread::spawn(move || {
        let output = wfc_compiler::check_text(&src);
        let _ = tx.send(output.diagnostics.len());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(_) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: checking took longer than {DEADLINE:?}")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{what}: the check panicked after {:?}", start.elapsed())
        }
    }
}

/// `n = n * (a + b)` repeated: a naive symbolic product doubles in size at every line.
#[test]
fn chained_products_of_sums_finish() {
    let mut s = String::from(META);
    s.push_str("let n = 1;\n");
    for i in 0..12 {
        s.push_str(&format!("n = n * (args.a{i} + args.b{i});\n"));
    }
    s.push_str("for (let i = 0; i < n; i++) await agent('p', { label: `x${i}` });\nreturn n;\n");
    check_within_deadline("12 chained products", s);
}

/// A long run of additions of distinct values: a symbolic sum must not grow (and be copied) at
/// every line.
#[test]
fn long_running_sums_finish() {
    let mut s = String::from(META);
    s.push_str("const xs = [");
    for i in 0..DEPTH {
        s.push_str(&format!("{i}, "));
    }
    s.push_str("];\nlet total = 0;\n");
    for i in 0..DEPTH {
        s.push_str(&format!("total += xs[{i}];\n"));
    }
    s.push_str("return total;\n");
    check_within_deadline("10,000 additions", s);
}

// --- (c) large scripts --------------------------------------------------------------------------

/// A realistic workflow of about `target` characters: many helper functions that call `agent()`,
/// fanned out with `parallel`, retried in loops, with template-literal prompts.
fn generated_workflow(target: usize) -> String {
    const STAGES: usize = 10;
    let mut s = String::new();
    s.push_str("// Generated stress workflow: many review helpers fanned out over the targets.\n");
    s.push_str("export const meta = {\n  name: 'generated-stress',\n");
    s.push_str("  description: 'Review every target for many classes of issue, with retries',\n");
    s.push_str(
        "  whenToUse: 'Stress test for the checker. args: { targets?: string[] }',\n  phases: [\n",
    );
    for k in 0..STAGES {
        s.push_str(&format!(
            "    {{ title: 'Stage {k}', detail: 'Issue classes ending in {k}' }},\n"
        ));
    }
    s.push_str("  ],\n};\n\n");
    s.push_str(
        "const FINDINGS = {\n  type: 'object',\n  required: ['ok', 'notes'],\n  properties: {\n    \
         ok: { type: 'boolean' },\n    notes: { type: 'array', items: { type: 'string' } },\n  },\n};\n\n\
         const targets = Array.isArray(args?.targets) && args.targets.length ? args.targets : ['src', 'lib', 'tests'];\n\
         const all = [];\n\n",
    );
    let tail = "\nlog(`reviewed ${all.length} results`);\nreturn { total: all.length, failing: all.filter((r) => !r.ok).map((r) => r.target) };\n";
    let mut n = 0;
    while s.len() + tail.len() < target {
        let k = n % STAGES;
        let effort = ["low", "medium", "high"][n % 3];
        s.push_str(&format!(
            r#"async function review{n}(target, attempt) {{
  const prompt = `Review ${{target}} for issue class {n} (attempt ${{attempt}}).
Look at recent changes first, then the code they touch.
Reply with JSON: ok (boolean) and notes (strings).`;
  const result = await agent(prompt, {{ label: `review{n}:${{target}}:${{attempt}}`, schema: FINDINGS, effort: '{effort}' }});
  if (!result) return {{ target, ok: false, notes: [] }};
  const notes = result.notes.filter((note) => note.trim().length > 0).map((note, i) => `${{i + 1}}. ${{note}}`);
  return {{ target, ok: result.ok === true, notes }};
}}

phase('Stage {k}');
const results{n} = await parallel(targets.map((t) => () => review{n}(t, 1)));
for (const r of results{n}) {{
  if (r && !r.ok) log(`class {n}: ${{r.target}} has ${{r.notes.length}} note(s)`);
  all.push(r);
}}
let tries{n} = 1;
while (tries{n} < 3 && results{n}.some((r) => r && !r.ok)) {{
  tries{n} += 1;
  const again = await review{n}(targets[0], tries{n});
  if (again.ok) break;
}}

"#
        ));
        n += 1;
    }
    s.push_str(tail);
    s
}

#[test]
fn large_valid_workflow_checks_clean() {
    let src = generated_workflow(500_000);
    let chars = src.chars().count();
    assert!(
        (450_000..MAX_SCRIPT_CHARS).contains(&chars),
        "generated {chars} chars"
    );
    let output = wfc_compiler::check_text(&src);
    let errors: Vec<String> = output
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .take(5)
        .map(|d| d.render("generated.js", &output.text, false))
        .collect();
    assert!(
        errors.is_empty(),
        "generated workflow has errors:\n{}",
        errors.join("\n")
    );
    let workflow = output.workflow.expect("a workflow");
    assert_eq!(workflow.sites.len(), src.matches("await agent(").count());
}

#[test]
fn oversized_workflow_is_refused() {
    let src = generated_workflow(600_000);
    assert!(src.chars().count() > MAX_SCRIPT_CHARS);
    let output = wfc_compiler::check_text(&src);
    let codes: Vec<&str> = output.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"script-too-large"), "{codes:?}");
    assert!(output.has_errors());
}

// --- (d) minified input -------------------------------------------------------------------------

/// A small minifier: drops comments and collapses whitespace (keeping strings, template literals
/// and their `${}` code intact), so the script ends up on one line. It does not recognise regular
/// expression literals, so it is only used on scripts without them.
fn minify(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    // For each open `${`: the brace depth at which it closes.
    let mut templates: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut in_template = false;
    let mut space = false;
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if in_template {
            out.push(c);
            i += 1;
            match c {
                '\\' => {
                    if let Some(n) = next {
                        out.push(n);
                        i += 1;
                    }
                }
                '`' => in_template = false,
                '$' if next == Some('{') => {
                    out.push('{');
                    i += 1;
                    templates.push(depth);
                    depth += 1;
                    in_template = false;
                }
                _ => {}
            }
            continue;
        }
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            space = true;
            continue;
        }
        if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
            space = true;
            continue;
        }
        if space {
            let prev = out.chars().last();
            let needs =
                prev.is_some_and(|p| (word(p) && word(c)) || (p == c && matches!(c, '+' | '-')));
            if needs {
                out.push(' ');
            }
            space = false;
        }
        match c {
            '\'' | '"' => {
                out.push(c);
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\\' {
                        out.push(chars[i]);
                        i += 1;
                    }
                    out.push(chars[i]);
                    i += 1;
                }
                out.push(c);
                i += 1;
            }
            '`' => {
                out.push(c);
                in_template = true;
                i += 1;
            }
            '{' => {
                depth += 1;
                out.push(c);
                i += 1;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                out.push(c);
                i += 1;
                if templates.last() == Some(&depth) {
                    templates.pop();
                    in_template = true;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn codes(output: &CheckOutput) -> Vec<(&'static str, Severity)> {
    let mut codes: Vec<_> = output
        .diagnostics
        .iter()
        .map(|d| (d.code, d.severity))
        .collect();
    codes.sort();
    codes
}

#[test]
fn minified_fixture_still_checks() {
    for name in ["judge-panel", "audit-fanout-verify", "budget-loop"] {
        let src = read_fixture(&format!("fixtures/valid/{name}.js"));
        let min = minify(&src);
        assert!(
            !min.contains('\n'),
            "{name}: minified script is not on one line"
        );
        assert!(
            min.len() < src.len() * 9 / 10,
            "{name}: minifying saved little"
        );
        let original = wfc_compiler::check_text(&src);
        let minified = wfc_compiler::check_text(&min);
        let rendered: Vec<String> = minified
            .diagnostics
            .iter()
            .map(|d| d.render("min.js", &minified.text, false))
            .collect();
        assert_eq!(
            codes(&minified),
            codes(&original),
            "{name}:\n{}",
            rendered.join("\n")
        );
        let (a, b) = (
            original.workflow.expect("workflow"),
            minified.workflow.expect("workflow"),
        );
        assert_eq!(a.sites.len(), b.sites.len(), "{name}: agent() sites differ");
        assert_eq!(
            a.bindings.len(),
            b.bindings.len(),
            "{name}: bindings differ"
        );
    }
}

// --- (e) random input ---------------------------------------------------------------------------

/// Checks generated inputs in parallel; `make(i)` builds input `i`. `WFC_FUZZ_SCALE=n` runs `n`
/// times as many inputs (the first ones are the same, so failures stay reproducible).
fn fuzz(what: &str, count: usize, make: impl Fn(usize) -> Vec<u8> + Sync) {
    let scale: usize = std::env::var("WFC_FUZZ_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let ids: Vec<usize> = (0..count * scale.max(1)).collect();
    let failures = run_parallel(&ids, |&i| {
        let input = make(i);
        match try_check(&input, true) {
            Ok(_) => Vec::new(),
            Err(e) => vec![format!("{what} #{i}: {e}\n  input: {}", excerpt(&input))],
        }
    });
    assert_no_failures(what, &failures);
}

#[test]
fn random_bytes_never_panic() {
    fuzz("random bytes", 200, |i| {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
        let len = rng.pick(4097);
        (0..len).map(|_| rng.next() as u8).collect()
    });
}

/// Random text from a JavaScript-ish alphabet: most of it is valid UTF-8, so it reaches the
/// parser, where pure random bytes stop at decoding.
#[test]
fn random_text_never_panics() {
    const ALPHABET: &[&str] = &[
        "a", "x", "_", "$", "0", "9", " ", " ", "\n", "\t", "(", ")", "[", "]", "{", "}", ";", ",",
        ".", ":", "?", "!", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "~", "'", "\"",
        "`", "\\", "#", "@", "é", "\u{200B}", "\u{2028}", "\u{FEFF}", "😀", "\r",
    ];
    fuzz("random text", 200, |i| {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03 ^ (i as u64 + 1));
        let len = rng.pick(4097);
        let mut s = String::new();
        while s.len() < len {
            s.push_str(ALPHABET[rng.pick(ALPHABET.len())]);
        }
        s.into_bytes()
    });
}

const TOKENS: &[&str] = &[
    // Keywords and names the checker cares about.
    "export",
    "const",
    "let",
    "var",
    "function",
    "async",
    "await",
    "return",
    "if",
    "else",
    "for",
    "while",
    "do",
    "of",
    "in",
    "new",
    "class",
    "extends",
    "try",
    "catch",
    "finally",
    "throw",
    "switch",
    "case",
    "default",
    "break",
    "continue",
    "yield",
    "import",
    "typeof",
    "delete",
    "void",
    "this",
    "super",
    "with",
    "debugger",
    "get",
    "set",
    "static",
    "meta",
    "agent",
    "parallel",
    "pipeline",
    "phase",
    "log",
    "workflow",
    "args",
    "budget",
    "Date",
    "Math",
    "random",
    "now",
    "process",
    "require",
    "eval",
    "JSON",
    "Promise",
    "label",
    "schema",
    "effort",
    "isolation",
    "model",
    "agentType",
    "name",
    "description",
    "phases",
    "title",
    "x",
    "y",
    "f",
    // Punctuation.
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ";",
    ",",
    ".",
    "...",
    "?",
    "?.",
    "??",
    ":",
    "=",
    "=>",
    "+",
    "-",
    "*",
    "/",
    "%",
    "**",
    "!",
    "~",
    "<",
    ">",
    "<=",
    "===",
    "!==",
    "&&",
    "||",
    "&",
    "|",
    "^",
    "<<",
    ">>>",
    "++",
    "--",
    "+=",
    "??=",
    "#",
    "@",
    // Literals and trivia.
    "1",
    "0x1F",
    "1e3",
    "10n",
    ".5",
    "'str'",
    "\"s\"",
    "'low'",
    "'worktree'",
    "`t`",
    "`a${",
    "}`",
    "/re/g",
    "null",
    "true",
    "undefined",
    "// c\n",
    "/* c */",
    "\n",
    " ",
    "\u{200B}",
    "\u{2028}",
    "'unterminated",
    "`",
    "\\u0061",
];

fn token_soup(rng: &mut Rng, count: usize) -> String {
    let mut s = String::new();
    for _ in 0..count {
        s.push_str(TOKENS[rng.pick(TOKENS.len())]);
        if rng.pick(3) != 0 {
            s.push(' ');
        }
    }
    s
}

#[test]
fn random_tokens_never_panic() {
    fuzz("random tokens", 2_000, |i| {
        let mut rng = Rng(0xA076_1D64_78BD_642F ^ (i as u64 + 1));
        let count = rng.pick(400);
        // Half the inputs start with a valid meta, so more of them get to the rules.
        let mut s = if i % 2 == 0 {
            META.to_owned()
        } else {
            String::new()
        };
        s.push_str(&token_soup(&mut rng, count));
        s.into_bytes()
    });
}

/// Valid fixtures with a few random tokens inserted or a few spans deleted: inputs that are almost
/// right exercise swc's error recovery, and then the lowering and the rules on a recovered tree.
#[test]
fn mutated_fixtures_never_panic() {
    let sources: Vec<String> = fixtures("valid")
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read fixture"))
        .collect();
    fuzz("mutated fixtures", 2_000, |i| {
        let mut rng = Rng(0xE703_7ED1_A0B4_28DB ^ (i as u64 + 1));
        let mut s = sources[i % sources.len()].clone();
        for _ in 0..1 + rng.pick(3) {
            let mut at = rng.pick(s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            if rng.pick(2) == 0 {
                let tokens = 1 + rng.pick(3);
                let soup = token_soup(&mut rng, tokens);
                s.insert_str(at, &soup);
            } else {
                let mut end = (at + 1 + rng.pick(40)).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, "");
            }
        }
        s.into_bytes()
    });
}

// --- (f) encodings and line endings -------------------------------------------------------------

#[test]
fn bom_is_accepted() {
    for name in ["judge-panel", "minified-scan", "args-normalize"] {
        let src = read_fixture(&format!("fixtures/valid/{name}.js"));
        let with_bom = format!("\u{FEFF}{src}");
        let output = wfc_compiler::check_text(&with_bom);
        let rendered: Vec<String> = output
            .diagnostics
            .iter()
            .map(|d| d.render(name, &output.text, false))
            .collect();
        assert!(
            !output.has_errors(),
            "{name} with a BOM:\n{}",
            rendered.join("\n")
        );
        let meta = output
            .workflow
            .as_ref()
            .and_then(|w| w.meta.as_ref())
            .expect("meta");
        assert!(meta.is_first, "{name}: meta is not first after a BOM");
    }
}

#[test]
fn crlf_gives_the_same_diagnostics() {
    for (name, bytes) in all_fixtures() {
        let Ok(lf) = String::from_utf8(bytes.clone()) else {
            // The invalid-UTF-8 fixture: convert its bytes directly.
            let crlf: Vec<u8> = bytes
                .iter()
                .flat_map(|&b| {
                    if b == b'\n' {
                        vec![b'\r', b'\n']
                    } else {
                        vec![b]
                    }
                })
                .collect();
            let a = wfc_compiler::check_bytes(&bytes);
            let b = wfc_compiler::check_bytes(&crlf);
            assert_eq!(codes(&a), codes(&b), "{name}");
            continue;
        };
        assert!(!lf.contains('\r'), "{name} already has CR characters");
        let crlf = lf.replace('\n', "\r\n");
        let a = wfc_compiler::check_text(&lf);
        let b = wfc_compiler::check_text(&crlf);
        assert_eq!(codes(&a), codes(&b), "{name}: LF and CRLF differ");
        // And they point at the same places.
        let positions = |o: &CheckOutput| -> Vec<(&'static str, u32, u32)> {
            let index = LineIndex::new(&o.text);
            o.diagnostics
                .iter()
                .map(|d| {
                    let j = d.to_json(&name, &o.text, &index);
                    (d.code, j.line, j.column)
                })
                .collect()
        };
        assert_eq!(
            positions(&a),
            positions(&b),
            "{name}: LF and CRLF positions differ"
        );
    }
}
