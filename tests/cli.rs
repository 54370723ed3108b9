//! End-to-end tests of the `wfc` binary: exit codes, text and JSON output, directory walking and
//! output stability.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::{code, repo_root, show, stderr, stdout};

/// Runs `wfc` from the repository root with exactly these arguments.
fn wfc_raw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfc"))
        .current_dir(repo_root())
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("run wfc")
}

/// Runs `wfc` from the repository root with colour off.
fn wfc(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wfc"));
    cmd.current_dir(repo_root()).env_remove("NO_COLOR");
    // `--color` belongs to the subcommand: add it after the subcommand's name.
    let (sub, rest) = args.split_first().expect("a subcommand");
    cmd.arg(sub);
    if matches!(*sub, "check" | "ir") {
        cmd.args(["--color", "never"]);
    }
    cmd.args(rest);
    cmd.output().expect("run wfc")
}

fn json(out: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("output is not JSON ({e}):\n{}", show(out)));
    match v {
        Value::Array(items) => items,
        other => panic!("expected a JSON array, got {other}"),
    }
}

fn count_scripts(dir: &str) -> usize {
    std::fs::read_dir(repo_root().join(dir))
        .expect("read fixture directory")
        .filter(|e| {
            e.as_ref()
                .expect("entry")
                .path()
                .extension()
                .is_some_and(|x| x == "js" || x == "mjs")
        })
        .count()
}

/// A script whose only finding is a warning: `version` is not a meta key.
const WARNING_ONLY: &str =
    "export const meta = { name: 'w', description: 'only a warning', version: 2 };\nlog('hi');\nreturn 1;\n";

/// The last line of text output: "N errors, M warnings in K files".
fn summary(out: &Output) -> String {
    let text = stdout(out);
    assert!(
        text.ends_with('\n'),
        "output does not end with a newline:\n{}",
        show(out)
    );
    text.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn check_valid_fixtures_is_clean() {
    let out = wfc(&["check", "fixtures/valid"]);
    // Valid fixtures may have warnings, never errors; warnings alone exit 0.
    assert_eq!(code(&out), 0, "{}", show(&out));
    let n = count_scripts("fixtures/valid");
    let line = summary(&out);
    let warnings = line
        .strip_prefix("0 errors, ")
        .and_then(|rest| rest.strip_suffix(&format!(" in {n} files")))
        .unwrap_or_else(|| panic!("unexpected summary line {line:?}"));
    assert!(
        warnings == "1 warning"
            || warnings
                .strip_suffix(" warnings")
                .is_some_and(|w| w.parse::<usize>().is_ok_and(|w| w != 1)),
        "unexpected summary line {line:?}"
    );
    assert!(stderr(&out).is_empty(), "{}", show(&out));
}

#[test]
fn check_invalid_fixture_reports_code_source_and_help() {
    let out = wfc(&["check", "fixtures/invalid/meta-first.js"]);
    assert_eq!(code(&out), 1, "{}", show(&out));
    let text = stdout(&out);
    assert!(text.contains("meta-first"), "{text}");
    assert!(
        text.contains("fixtures/invalid/meta-first.js:4:1"),
        "{text}"
    );
    assert!(
        text.contains("export const meta = {"),
        "source line missing:\n{text}"
    );
    assert!(text.contains("help:"), "help missing:\n{text}");
    assert_eq!(summary(&out), "1 error, 0 warnings in 1 file");
    // Colour was turned off.
    assert!(
        !text.contains('\u{1b}'),
        "escape codes in --color never output:\n{text}"
    );
}

#[test]
fn color_always_and_never() {
    let file = "fixtures/invalid/meta-first.js";
    let out = wfc_raw(&["check", "--color", "always", file]);
    assert_eq!(code(&out), 1, "{}", show(&out));
    assert!(
        stdout(&out).contains("\u{1b}["),
        "no escape codes with --color always"
    );
    // Not a terminal: `auto` means no colour.
    let out = wfc_raw(&["check", file]);
    assert!(
        !stdout(&out).contains('\u{1b}'),
        "escape codes when piped:\n{}",
        show(&out)
    );
}

#[test]
fn warnings_alone_pass_unless_denied() {
    let tmp = common::temp_dir("cli", "warnings");
    let file = tmp.write("warn.js", WARNING_ONLY);
    let file = file.to_str().expect("UTF-8 path");

    let out = wfc(&["check", file]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    let text = stdout(&out);
    assert!(text.contains("unknown-meta-key"), "{text}");
    assert_eq!(summary(&out), "0 errors, 1 warning in 1 file");

    let out = wfc(&["check", "--deny-warnings", file]);
    assert_eq!(code(&out), 1, "{}", show(&out));
}

#[test]
fn json_output_has_documented_fields() {
    let out = wfc(&["check", "--format", "json", "fixtures/invalid"]);
    assert_eq!(code(&out), 1, "{}", show(&out));
    let items = json(&out);
    assert!(!items.is_empty());
    let fields = [
        "file",
        "code",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
    ];
    for item in &items {
        let obj = item.as_object().expect("each diagnostic is an object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected = fields.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected, "{item}");
        for key in ["file", "code", "message"] {
            assert!(obj[key].is_string(), "{key} in {item}");
        }
        assert!(
            matches!(obj["severity"].as_str(), Some("error" | "warning")),
            "{item}"
        );
        assert!(obj["help"].is_string() || obj["help"].is_null(), "{item}");
        let num = |k: &str| obj[k].as_u64().unwrap_or_else(|| panic!("{k} in {item}"));
        assert!(
            num("line") >= 1 && num("column") >= 1,
            "positions are 1-based: {item}"
        );
        assert!(
            (num("end_line"), num("end_column")) >= (num("line"), num("column")),
            "end before start: {item}"
        );
    }

    // One known diagnostic, exactly: `process` on line 8, columns 16 to 23.
    let process = items
        .iter()
        .find(|d| d["file"] == "fixtures/invalid/forbidden-api.js" && d["code"] == "forbidden-api")
        .expect("the forbidden-api fixture's diagnostic");
    assert_eq!(process["severity"], "error");
    assert_eq!(
        (
            &process["line"],
            &process["column"],
            &process["end_line"],
            &process["end_column"]
        ),
        (
            &Value::from(8),
            &Value::from(16),
            &Value::from(8),
            &Value::from(23)
        ),
        "{process}"
    );

    // Files come in sorted order, and every invalid fixture has at least one diagnostic.
    let files: Vec<&str> = items
        .iter()
        .map(|d| d["file"].as_str().expect("file"))
        .collect();
    let mut sorted = files.clone();
    sorted.sort_unstable();
    assert_eq!(files, sorted, "files are not in sorted order");
    let mut distinct = files.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), count_scripts("fixtures/invalid"));
}

#[test]
fn json_output_of_clean_scripts_is_an_empty_array() {
    let out = wfc(&["check", "--format", "json", "fixtures/valid/judge-panel.js"]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    assert!(json(&out).is_empty());
}

#[test]
fn missing_file_is_a_usage_error() {
    let out = wfc(&["check", "fixtures/does-not-exist.js"]);
    assert_eq!(code(&out), 2, "{}", show(&out));
    let err = stderr(&out);
    assert!(err.contains("does-not-exist.js"), "{err}");

    // Alongside a readable file, the readable one is still checked.
    let out = wfc(&[
        "check",
        "fixtures/does-not-exist.js",
        "fixtures/valid/judge-panel.js",
    ]);
    assert_eq!(code(&out), 2, "{}", show(&out));
    assert!(stdout(&out).contains("in 1 file"), "{}", show(&out));
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &["check", "--no-such-flag", "fixtures/valid"][..],
        &["check", "--format", "xml", "fixtures/valid"][..],
        &["check"][..],
        &["frobnicate"][..],
    ] {
        let out = wfc(args);
        assert_eq!(code(&out), 2, "wfc {args:?}: {}", show(&out));
        assert!(!stderr(&out).is_empty(), "wfc {args:?}: no message");
    }
}

#[test]
fn directory_walk_takes_js_and_mjs_only() {
    let tmp = common::temp_dir("cli", "walk");
    tmp.write("b.mjs", WARNING_ONLY);
    tmp.write("a/nested.js", WARNING_ONLY);
    // Not scripts: would be errors if they were checked.
    tmp.write("notes.txt", "this is not javascript {");
    tmp.write("c.json", "{ \"not\": \"a script\" }");
    tmp.write("node_modules/dep/index.js", "this is not javascript {");

    let out = wfc(&["check", "--format", "json", tmp.as_str()]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    let files: Vec<String> = json(&out)
        .iter()
        .map(|d| {
            let f = d["file"].as_str().expect("file");
            Path::new(f)
                .strip_prefix(tmp.as_str())
                .unwrap_or_else(|_| panic!("{f} is not under the temp dir"))
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(files, ["a/nested.js", "b.mjs"]);

    let out = wfc(&["check", tmp.as_str()]);
    assert_eq!(summary(&out), "0 errors, 2 warnings in 2 files");
}

#[test]
fn ir_prints_body_and_agent_sites() {
    let file = "fixtures/valid/judge-panel.js";
    let out = wfc(&["ir", file]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    let ir: Value = serde_json::from_slice(&out.stdout).expect("IR is JSON");
    let body = ir["body"].as_array().expect("body array");
    assert!(!body.is_empty());
    let sites = ir["sites"].as_array().expect("sites array");
    let source = std::fs::read_to_string(repo_root().join(file)).expect("read fixture");
    let calls = source.matches("agent(").count();
    assert!(calls > 0);
    assert_eq!(sites.len(), calls, "one site per `agent(` call");
    for (i, site) in sites.iter().enumerate() {
        assert_eq!(
            site["id"],
            Value::from(i),
            "sites are numbered in order: {site}"
        );
    }
}

#[test]
fn ir_of_a_script_with_errors_exits_1() {
    let out = wfc(&["ir", "fixtures/invalid/syntax-error.js"]);
    assert_eq!(code(&out), 1, "{}", show(&out));
    assert!(stderr(&out).contains("syntax-error"), "{}", show(&out));

    let out = wfc(&["ir", "fixtures/does-not-exist.js"]);
    assert_eq!(code(&out), 2, "{}", show(&out));
}

#[test]
fn output_is_identical_across_runs() {
    for args in [
        &["check", "fixtures"][..],
        &["check", "--format", "json", "fixtures"][..],
        &[
            "check",
            "fixtures/invalid/unsupported-syntax.js",
            "fixtures/invalid",
            "fixtures/valid",
        ][..],
    ] {
        let first = wfc(args);
        let second = wfc(args);
        assert_eq!(code(&first), 1, "wfc {args:?}: {}", show(&first));
        assert!(
            first.stdout == second.stdout && first.stderr == second.stderr,
            "wfc {args:?}: output differs between runs"
        );
    }
    let first = wfc(&["ir", "fixtures/valid/research-synthesis.js"]);
    let second = wfc(&["ir", "fixtures/valid/research-synthesis.js"]);
    assert_eq!(first.stdout, second.stdout);
}

/// Files named on the command line are reported in the order given, not re-sorted, and each
/// file's diagnostics stay together.
#[test]
fn explicit_files_keep_their_order() {
    let out = wfc(&[
        "check",
        "--format",
        "json",
        "fixtures/invalid/unknown-global.js",
        "fixtures/invalid/forbidden-api.js",
    ]);
    let files: Vec<String> = json(&out)
        .iter()
        .map(|d| d["file"].as_str().expect("file").to_owned())
        .collect();
    let mut distinct = files.clone();
    distinct.dedup();
    assert_eq!(
        distinct,
        [
            "fixtures/invalid/unknown-global.js",
            "fixtures/invalid/forbidden-api.js"
        ]
    );
}
