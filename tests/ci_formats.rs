//! CI integration of `wfc check`: the SARIF and GitHub output formats, inline suppressions,
//! `--ignore`, and the `wfc.toml` configuration file.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

mod common;
use common::{code, repo_root, show, stderr, stdout};

// The escaping functions are the binary's; compile its module here to test them directly.
#[path = "../src/github.rs"]
mod github;

/// Runs `wfc check --color never ARGS` in `dir`.
fn check_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfc"))
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(["check", "--color", "never"])
        .args(args)
        .output()
        .expect("run wfc")
}

/// Runs `wfc check --color never ARGS` from the repository root.
fn check(args: &[&str]) -> Output {
    check_in(repo_root(), args)
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", show(out)))
}

/// `(code, severity, line)` of each diagnostic of a `--format json` run.
fn findings(out: &Output) -> Vec<(String, String, u64)> {
    json(out)
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["severity"].as_str().expect("severity").to_owned(),
                d["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

fn codes(out: &Output) -> Vec<String> {
    findings(out).into_iter().map(|(c, _, _)| c).collect()
}

/// A fresh directory for one check; a counter keeps names that tests share apart.
fn temp_dir(name: &str) -> common::TempDir {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    common::temp_dir("ci-formats", &format!("{n}-{name}"))
}

const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

/// Checks one script (written to a temp dir) with `--format json` and returns the run.
fn check_script(name: &str, body: &str, extra: &[&str]) -> Output {
    let dir = temp_dir(name);
    dir.write("w.js", &format!("{META}{body}"));
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    args.push("w.js");
    check_in(&dir, &args)
}

// ---------------------------------------------------------------- SARIF

/// The official schema, with one fix: its `language` patterns (of `run` and `toolComponent`) have
/// a stray `]`, a literal character in ECMAScript regular expressions but a syntax error to the
/// validator's stricter regex check of the schema itself. Escaping it keeps the patterns' meaning
/// (and wfc never writes `language`).
fn sarif_schema() -> Value {
    let path = repo_root().join("tests/data/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(
        schema["title"], "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema",
        "unexpected schema file"
    );
    for owner in ["run", "toolComponent"] {
        let pattern = schema
            .pointer_mut(&format!("/definitions/{owner}/properties/language/pattern"))
            .unwrap_or_else(|| panic!("{owner}.language has a pattern"));
        assert_eq!(pattern, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *pattern = Value::from(r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$");
    }
    schema
}

fn assert_valid_sarif(log: &Value) {
    let validator = jsonschema::validator_for(&sarif_schema()).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF output violates the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_of_invalid_fixtures_validates_against_the_schema() {
    let out = check(&["--format", "sarif", "fixtures/invalid"]);
    assert_eq!(code(&out), 1, "{}", show(&out));
    let log = json(&out);
    assert_valid_sarif(&log);

    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "wfc");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    for rule in wfc_compiler::suppress::all_rules() {
        assert!(
            ids.contains(&rule.code),
            "{} missing from tool.driver.rules",
            rule.code
        );
    }
    let meta_first = rules
        .iter()
        .find(|r| r["id"] == "meta-first")
        .expect("meta-first rule");
    assert_eq!(meta_first["defaultConfiguration"]["level"], "error");
    assert!(meta_first["shortDescription"]["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));

    // Every result points at its rule and at the fixture named after the rule (the invalid
    // fixtures may trigger other rules too, but each triggers its own).
    let results = run["results"].as_array().expect("results");
    let json_out = check(&["--format", "json", "fixtures/invalid"]);
    let json_diags = json(&json_out);
    let json_diags = json_diags.as_array().expect("array");
    assert_eq!(results.len(), json_diags.len());
    for (r, d) in results.iter().zip(json_diags) {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert_eq!(r["ruleId"], d["code"]);
        assert_eq!(r["level"], d["severity"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], d["file"]);
        let region = &loc["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endLine"], d["end_line"]);
        assert_eq!(region["endColumn"], d["end_column"]);
        assert!(r["message"]["text"]
            .as_str()
            .is_some_and(|m| m.starts_with(d["message"].as_str().expect("message"))));
    }
    for fixture in ["meta-first", "unknown-global", "phase-not-declared"] {
        let uri = format!("fixtures/invalid/{fixture}.js");
        assert!(
            results.iter().any(|r| r["ruleId"] == fixture
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == uri.as_str()),
            "no {fixture} result in {uri}"
        );
    }
    let warning = results
        .iter()
        .find(|r| r["ruleId"] == "phase-not-declared")
        .expect("warning");
    assert_eq!(warning["level"], "warning");
}

#[test]
fn sarif_of_a_clean_run_validates_and_has_no_results() {
    let out = check(&["--format", "sarif", "fixtures/valid/judge-panel.js"]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    let log = json(&out);
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], Value::Array(Vec::new()));
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );

    // The validator does reject a broken log.
    let validator = jsonschema::validator_for(&sarif_schema()).expect("the schema compiles");
    let mut broken = log.clone();
    broken["runs"][0]["columnKind"] = Value::from("bytes");
    assert!(!validator.is_valid(&broken));
    let mut broken = log;
    broken.as_object_mut().expect("object").remove("version");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_uris_are_relative_with_forward_slashes() {
    let dir = temp_dir("sarif-uri");
    dir.write("sub dir/w.js", &format!("{META}await sleep(1)\n"));
    let abs = dir.join("sub dir").join("w.js");
    let abs = abs.to_str().expect("UTF-8 temp path");
    let out = check_in(&dir, &["--format", "sarif", "./sub dir/w.js", abs]);
    let log = json(&out);
    assert_valid_sarif(&log);
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    // The absolute path is below the working directory, so it is made relative too.
    assert_eq!(uris, ["sub%20dir/w.js", "sub%20dir/w.js"], "{}", show(&out));
}

// ---------------------------------------------------------------- GitHub

#[test]
fn github_lines_are_exact() {
    let out = check(&["--format", "github", "fixtures/invalid/meta-first.js"]);
    assert_eq!(code(&out), 1, "{}", show(&out));
    assert_eq!(
        stdout(&out),
        "::error file=fixtures/invalid/meta-first.js,line=4,col=1,endLine=4,endColumn=22,title=meta-first::`export const meta` must be the first statement\n"
    );
    let out = check(&[
        "--format",
        "github",
        "fixtures/invalid/phase-not-declared.js",
    ]);
    assert_eq!(code(&out), 0, "{}", show(&out));
    assert!(
        stdout(&out).starts_with("::warning file=fixtures/invalid/phase-not-declared.js,line="),
        "{}",
        show(&out)
    );
}

/// One line per diagnostic, in the same order and at the same places as the JSON output.
#[test]
fn github_agrees_with_json_on_every_invalid_fixture() {
    let github = check(&["--format", "github", "fixtures/invalid"]);
    let json_out = check(&["--format", "json", "fixtures/invalid"]);
    assert_eq!(code(&github), code(&json_out));
    let want: Vec<String> = json(&json_out)
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            format!(
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                d["severity"].as_str().expect("severity"),
                github::escape_property(d["file"].as_str().expect("file")),
                d["line"],
                d["column"],
                d["end_line"],
                d["end_column"],
                d["code"].as_str().expect("code"),
                github::escape_data(d["message"].as_str().expect("message")),
            )
        })
        .collect();
    let have: Vec<String> = stdout(&github).lines().map(str::to_owned).collect();
    assert_eq!(have, want);
}

#[test]
fn github_escaping() {
    assert_eq!(
        github::escape_data("50% done\r\nnext: a, b"),
        "50%25 done%0D%0Anext: a, b"
    );
    assert_eq!(
        github::escape_property("dir:a,b%\r\n.js"),
        "dir%3Aa%2Cb%25%0D%0A.js"
    );
    let text = "x\n";
    let d =
        wfc_compiler::Diagnostic::error("unknown-global", wfc_ir::Span::new(0, 1), "100%\nsure");
    assert_eq!(
        github::command(&d, "a,b.js", text, &wfc_compiler::LineIndex::new(text)),
        "::error file=a%2Cb.js,line=1,col=1,endLine=1,endColumn=2,title=unknown-global::100%25%0Asure"
    );

    // End to end: a file name that needs escaping.
    let dir = temp_dir("github-escape");
    dir.write("odd,name:100%.js", &format!("{META}await sleep(1)\n"));
    let out = check_in(&dir, &["--format", "github", "."]);
    assert_eq!(
        stdout(&out),
        "::error file=odd%2Cname%3A100%25.js,line=2,col=7,endLine=2,endColumn=12,title=unknown-global::`sleep` is not defined\n",
        "{}",
        show(&out)
    );
}

// ---------------------------------------------------------------- suppressions

#[test]
fn trailing_suppression_covers_its_line() {
    let out = check_script(
        "same-line",
        "await sleep(1) // wfc-ignore: unknown-global a shim provides it\n",
        &[],
    );
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", show(&out));
    assert_eq!(code(&out), 0);
    let out = check_script(
        "same-line-block",
        "await sleep(1) /* wfc-ignore: unknown-global a shim provides it */\n",
        &[],
    );
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", show(&out));
}

#[test]
fn own_line_suppression_covers_the_next_line() {
    let out = check_script(
        "next-line",
        "// wfc-ignore: unknown-global a shim provides it\nawait sleep(1)\n",
        &[],
    );
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", show(&out));
    let out = check_script(
        "next-line-several",
        "/* wfc-ignore: unknown-global, forbidden-api vetted by security */\nawait sleep(eval('1'))\n",
        &[],
    );
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", show(&out));
    // It does not reach further than the next line.
    let out = check_script(
        "two-lines-down",
        "// wfc-ignore: unknown-global a shim provides it\n\nawait sleep(1)\n",
        &[],
    );
    assert_eq!(
        findings(&out),
        [
            ("unused-suppression".to_owned(), "warning".to_owned(), 2),
            ("unknown-global".to_owned(), "error".to_owned(), 4)
        ],
        "{}",
        show(&out)
    );
}

#[test]
fn suppression_without_reason_warns_and_does_not_apply() {
    let out = check_script(
        "no-reason",
        "await sleep(1) // wfc-ignore: unknown-global\n",
        &[],
    );
    assert_eq!(
        findings(&out),
        [
            ("unknown-global".to_owned(), "error".to_owned(), 2),
            ("invalid-suppression".to_owned(), "warning".to_owned(), 2)
        ],
        "{}",
        show(&out)
    );
    assert_eq!(code(&out), 1);
}

#[test]
fn suppression_of_unknown_code_warns() {
    let out = check_script(
        "unknown-code",
        "await sleep(1) // wfc-ignore: unknown-globals the shim\n",
        &[],
    );
    assert_eq!(
        codes(&out),
        ["unknown-global", "invalid-suppression"],
        "{}",
        show(&out)
    );
    let d = &json(&out)[1];
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("`unknown-globals` is not a wfc rule code")),
        "{d}"
    );
    assert_eq!(d["column"], 31, "points at the code: {d}");
}

#[test]
fn unused_suppression_warns() {
    let out = check_script(
        "unused",
        "// wfc-ignore: forbidden-api vetted\nawait sleep(1)\n",
        &[],
    );
    assert_eq!(
        findings(&out),
        [
            ("unused-suppression".to_owned(), "warning".to_owned(), 2),
            ("unknown-global".to_owned(), "error".to_owned(), 3)
        ],
        "{}",
        show(&out)
    );
    // A clean script with a stale suppression passes, with a warning.
    let out = check_script(
        "unused-clean",
        "// wfc-ignore: unknown-global old\nreturn 1\n",
        &[],
    );
    assert_eq!(codes(&out), ["unused-suppression"], "{}", show(&out));
    assert_eq!(code(&out), 0);
}

#[test]
fn marker_inside_a_string_does_nothing() {
    let out = check_script(
        "in-string",
        "await sleep('// wfc-ignore: unknown-global x'); log(`/* wfc-ignore: unknown-global y */`)\n",
        &[],
    );
    assert_eq!(codes(&out), ["unknown-global"], "{}", show(&out));
}

#[test]
fn pending_suppression_fixtures_trigger_their_rules() {
    for name in ["invalid-suppression", "unused-suppression"] {
        // In tests/data until rules/mod.rs registers the rules, then in fixtures/invalid.
        let fixture = format!("fixtures/invalid/{name}.js");
        let path = if repo_root().join(&fixture).is_file() {
            fixture
        } else {
            format!("tests/data/{name}.js")
        };
        let out = check(&["--format", "json", &path]);
        assert!(
            codes(&out).iter().any(|c| c == name),
            "{path}: {}",
            show(&out)
        );
    }
}

// ---------------------------------------------------------------- --ignore

#[test]
fn ignore_flag_drops_a_code() {
    let out = check(&[
        "--format",
        "json",
        "--ignore",
        "meta-first",
        "fixtures/invalid/meta-first.js",
    ]);
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", show(&out));
    assert_eq!(code(&out), 0);
    let out = check_script(
        "ignore-two",
        "await sleep(eval('1'))\n",
        &["--ignore", "unknown-global,forbidden-api"],
    );
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", show(&out));
    let out = check_script(
        "ignore-repeat",
        "await sleep(eval('1'))\n",
        &["--ignore", "unknown-global", "--ignore", "forbidden-api"],
    );
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", show(&out));
}

#[test]
fn ignore_flag_rejects_unknown_and_parse_codes() {
    let out = check(&["--ignore", "meta-frist", "fixtures/invalid/meta-first.js"]);
    assert_eq!(code(&out), 2, "{}", show(&out));
    assert!(
        stderr(&out).contains("`meta-frist` is not a wfc rule code"),
        "{}",
        show(&out)
    );
    assert!(
        stderr(&out).contains("did you mean `meta-first`"),
        "{}",
        show(&out)
    );
    let out = check(&[
        "--ignore",
        "syntax-error",
        "fixtures/invalid/syntax-error.js",
    ]);
    assert_eq!(code(&out), 2, "{}", show(&out));
    let out = check(&["--max-agents", "0", "fixtures/valid"]);
    assert_eq!(code(&out), 2, "{}", show(&out));
}

// ---------------------------------------------------------------- wfc.toml

const PHASE_SCRIPT: &str = "phase('Deploy')\nawait agent('ship it')\n";

#[test]
fn config_severity_override_makes_a_warning_an_error() {
    let dir = temp_dir("severity-error");
    dir.write(
        "wfc.toml",
        "[rules.severity]\nphase-not-declared = \"error\"\n",
    );
    dir.write("w.js", &format!("{META}{PHASE_SCRIPT}"));
    let out = check_in(&dir, &["--format", "json", "w.js"]);
    assert_eq!(
        findings(&out),
        [("phase-not-declared".to_owned(), "error".to_owned(), 2)],
        "{}",
        show(&out)
    );
    assert_eq!(code(&out), 1);
    // The same script without the configuration: a warning, exit 0.
    let plain = check_script("severity-default", PHASE_SCRIPT, &[]);
    assert_eq!(
        findings(&plain),
        [("phase-not-declared".to_owned(), "warning".to_owned(), 2)],
        "{}",
        show(&plain)
    );
    assert_eq!(code(&plain), 0);
    // Every format sees the override.
    let out = check_in(&dir, &["--format", "github", "w.js"]);
    assert!(stdout(&out).starts_with("::error "), "{}", show(&out));
    let out = check_in(&dir, &["--format", "sarif", "w.js"]);
    assert_eq!(
        json(&out)["runs"][0]["results"][0]["level"],
        "error",
        "{}",
        show(&out)
    );
}

#[test]
fn config_severity_off_removes_a_rule() {
    let dir = temp_dir("severity-off");
    dir.write(
        "wfc.toml",
        "[rules.severity]\nphase-not-declared = \"off\"\n",
    );
    dir.write("w.js", &format!("{META}{PHASE_SCRIPT}"));
    let out = check_in(&dir, &["--format", "json", "--deny-warnings", "w.js"]);
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", show(&out));
    assert_eq!(code(&out), 0);
}

#[test]
fn config_is_discovered_from_a_parent_directory() {
    let dir = temp_dir("discovery");
    dir.write("wfc.toml", "[rules]\nignore = [\"unknown-global\"]\n");
    dir.write("a/b/w.js", &format!("{META}await sleep(1)\n"));
    let out = check_in(&dir.join("a/b"), &["--format", "json", "w.js"]);
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", show(&out));
    assert_eq!(code(&out), 0);
    // `--config` replaces the discovered file.
    let other = dir.write("other.toml", "");
    let other = other.to_str().expect("UTF-8 temp path");
    let out = check_in(
        &dir.join("a/b"),
        &["--format", "json", "--config", other, "w.js"],
    );
    assert_eq!(codes(&out), ["unknown-global"], "{}", show(&out));
}

#[test]
fn unknown_config_key_exits_2_naming_file_and_key() {
    let dir = temp_dir("bad-key");
    let config = dir.write("custom.toml", "[limits]\nmax-agent = 10\n");
    dir.write("w.js", &format!("{META}return 1\n"));
    let out = check_in(&dir, &["--config", "custom.toml", "w.js"]);
    assert_eq!(code(&out), 2, "{}", show(&out));
    let err = stderr(&out);
    assert!(
        err.contains("custom.toml") && err.contains("max-agent"),
        "{err}"
    );
    assert!(stdout(&out).is_empty(), "{}", show(&out));

    // A discovered file is validated too, and so are rule codes.
    std::fs::write(&config, "").expect("write");
    dir.write(
        "wfc.toml",
        "[rules.severity]\nphase-not-declard = \"error\"\n",
    );
    let out = check_in(&dir, &["w.js"]);
    assert_eq!(code(&out), 2, "{}", show(&out));
    let err = stderr(&out);
    assert!(
        err.contains("wfc.toml") && err.contains("phase-not-declard"),
        "{err}"
    );

    let out = check_in(&dir, &["--config", "missing.toml", "w.js"]);
    assert_eq!(code(&out), 2, "{}", show(&out));
    assert!(stderr(&out).contains("missing.toml"), "{}", show(&out));
}
