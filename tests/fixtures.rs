//! The fixture corpus: every valid script checks without errors (and its IR is snapshotted), every
//! invalid script triggers the rule it is named after (and its rendered diagnostics are
//! snapshotted), and every rule that can be written down has an invalid fixture.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use wfc_compiler::{CheckOutput, Severity};

mod common;
use common::{fixtures, repo_root};

/// Rules whose triggering input cannot sensibly live in a fixture file (it would be huge, deeply
/// nested or binary); they are covered by `tests/robustness.rs` and the rules' unit tests.
const NO_FIXTURE: [&str; 3] = ["script-too-large", "nesting-too-deep", "binary-file"];

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("fixture has a name")
        .to_string_lossy()
        .into_owned()
}

/// The path as shown in diagnostics: relative to the repository root, with `/` separators, so
/// snapshots do not depend on the machine.
fn display_name(path: &Path) -> String {
    let rel = path.strip_prefix(repo_root()).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn check(path: &Path) -> CheckOutput {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    wfc_compiler::check_bytes(&bytes)
}

/// Every diagnostic, rendered without colour, one after the other.
fn render_all(name: &str, output: &CheckOutput) -> String {
    output
        .diagnostics
        .iter()
        .map(|d| d.render(name, &output.text, false))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `f` for each fixture, keeps going past failures (so one run shows every broken fixture and
/// writes every pending snapshot) and fails at the end with the list of fixtures that failed.
fn for_each_fixture(kind: &str, f: impl Fn(&Path, &str)) {
    let mut failed = Vec::new();
    for path in fixtures(kind) {
        let stem = stem(&path);
        if catch_unwind(AssertUnwindSafe(|| f(&path, &stem))).is_err() {
            failed.push(stem);
        }
    }
    assert!(
        failed.is_empty(),
        "{} {kind} fixture(s) failed (see the panics above): {}",
        failed.len(),
        failed.join(", ")
    );
}

#[test]
fn valid_fixtures_have_no_errors() {
    for_each_fixture("valid", |path, _| {
        let name = display_name(path);
        let output = check(path);
        let errors: Vec<String> = output
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.render(&name, &output.text, false))
            .collect();
        assert!(
            errors.is_empty(),
            "{name} should check without errors, but has {}:\n{}",
            errors.len(),
            errors.join("\n")
        );
        assert!(
            output.workflow.is_some(),
            "{name} did not produce a workflow"
        );
    });
}

#[test]
fn valid_fixtures_ir_snapshots() {
    for_each_fixture("valid", |path, stem| {
        let output = check(path);
        let Some(workflow) = output.workflow else {
            panic!("{} did not produce a workflow", display_name(path));
        };
        insta::assert_json_snapshot!(format!("ir__{stem}"), workflow);
    });
}

/// The IR is plain data: it survives a JSON round trip unchanged, and checking twice gives the
/// same result (the snapshots rely on both).
#[test]
fn valid_fixtures_ir_round_trips_and_is_deterministic() {
    for_each_fixture("valid", |path, _| {
        let name = display_name(path);
        let first = check(path).workflow.expect("a workflow");
        let second = check(path).workflow.expect("a workflow");
        assert!(first == second, "{name}: two checks give different IR");
        let json = serde_json::to_string(&first).expect("IR serialises");
        let back: wfc_ir::Workflow = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{name}: IR does not deserialise: {e}"));
        assert!(back == first, "{name}: IR changes in a JSON round trip");
    });
}

#[test]
fn invalid_fixtures_trigger_their_rule() {
    for_each_fixture("invalid", |path, stem| {
        let name = display_name(path);
        let output = check(path);
        let codes: Vec<&str> = output.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&stem),
            "{name} should trigger `{stem}`, but its diagnostics are {codes:?}:\n{}",
            render_all(&name, &output)
        );
    });
}

#[test]
fn invalid_fixtures_diagnostics_snapshots() {
    for_each_fixture("invalid", |path, stem| {
        let name = display_name(path);
        let output = check(path);
        let rendered = render_all(&name, &output);
        insta::assert_snapshot!(format!("diagnostics__{stem}"), rendered);
    });
}

#[test]
fn every_rule_has_an_invalid_fixture() {
    let have: Vec<String> = fixtures("invalid").iter().map(|p| stem(p)).collect();
    let missing: Vec<&str> = wfc_compiler::rules::RULES
        .iter()
        .map(|r| r.code)
        .filter(|code| !NO_FIXTURE.contains(code) && !have.iter().any(|h| h == code))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without fixtures/invalid/<code>.js: {missing:?}"
    );
}

/// The reverse: every invalid fixture is named after a rule that exists (a renamed rule would
/// otherwise leave a fixture that tests nothing).
#[test]
fn every_invalid_fixture_names_a_rule() {
    for path in fixtures("invalid") {
        let stem = stem(&path);
        assert!(
            wfc_compiler::rules::find(&stem).is_some(),
            "{} is not named after a rule code",
            display_name(&path)
        );
    }
}

/// On a rayon worker the analysis and the rules run side by side; what they find must not depend
/// on it.
#[test]
fn checking_on_a_worker_finds_the_same_diagnostics() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a thread pool");
    for kind in ["valid", "invalid"] {
        for_each_fixture(kind, |path, stem| {
            let here = check(path);
            let there = pool.install(|| check(path));
            assert_eq!(here.diagnostics, there.diagnostics, "{stem}");
            let total = |o: &CheckOutput| o.analysis.as_ref().map(|a| format!("{:?}", a.total));
            assert_eq!(total(&here), total(&there), "{stem}");
        });
    }
}
