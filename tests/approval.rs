//! Approved plans end to end: `wfc approve` writes `wfc.lock`, `wfc verify` checks scripts against
//! it. (`wfc run --require-approval` calls the same check, `lockfile::verify_approval`, whose own
//! tests are in `src/lockfile.rs`; the `verify` output below is that function's message.)

use std::process::{Command, Output};

mod common;
use common::{code, repo_root, show, stderr, stdout};

/// A scratch project: a directory with an empty `wfc.toml` (so no configuration above it is
/// picked up) and copies of fixtures. Removed when dropped.
struct Project(common::TempDir);

impl Project {
    fn new(test: &str) -> Self {
        let dir = common::temp_dir("approval", test);
        dir.write("wfc.toml", "");
        Project(dir)
    }

    /// Copies `fixtures/<kind>/<name>` to `rel` in the project.
    fn copy(&self, kind: &str, name: &str, rel: &str) {
        let text = std::fs::read_to_string(repo_root().join("fixtures").join(kind).join(name))
            .expect("read fixture");
        self.write(rel, &text);
    }

    fn write(&self, rel: &str, content: &str) {
        self.0.write(rel, content);
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.0.join(rel)).expect("read temp file")
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Runs `wfc` in the project directory, colour off.
    fn wfc(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_wfc"))
            .current_dir(&self.0)
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("run wfc")
    }

    /// Runs `wfc` and asserts its exit status.
    fn expect(&self, status: i32, args: &[&str]) -> Output {
        let out = self.wfc(args);
        assert_eq!(code(&out), status, "wfc {}\n{}", args.join(" "), show(&out));
        out
    }

    fn lock(&self) -> toml::Table {
        self.lock_at("wfc.lock")
    }

    fn lock_at(&self, rel: &str) -> toml::Table {
        toml::from_str(&self.read(rel)).expect("wfc.lock is valid TOML")
    }
}

fn entries(lock: &toml::Table) -> Vec<&toml::Table> {
    lock.get("workflow")
        .and_then(|w| w.as_array())
        .map(|a| a.iter().filter_map(|e| e.as_table()).collect())
        .unwrap_or_default()
}

fn field<'a>(entry: &'a toml::Table, key: &str) -> &'a str {
    entry
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("no string {key} in {entry:?}"))
}

fn plan_hash_of(p: &Project, path: &str) -> String {
    let lock = p.lock();
    let entry = entries(&lock)
        .into_iter()
        .find(|e| field(e, "path") == path)
        .unwrap_or_else(|| panic!("no entry for {path}"));
    field(entry, "plan_hash").to_owned()
}

#[test]
fn approve_then_verify_passes() {
    let p = Project::new("pass");
    p.copy("valid", "judge-panel.js", "scripts/judge-panel.js");
    p.copy("valid", "fix-until-green.js", "scripts/fix-until-green.js");
    let out = p.expect(
        0,
        &[
            "approve",
            "scripts/judge-panel.js",
            "scripts/fix-until-green.js",
        ],
    );
    let text = stdout(&out);
    assert!(
        text.contains("scripts/judge-panel.js: approved sha256:") && text.contains("agents 3 … 12"),
        "{text}"
    );
    let out = p.expect(0, &["verify", "scripts"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("scripts/fix-until-green.js: ok (sha256:"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("scripts/judge-panel.js: ok (sha256:"),
        "{text}"
    );
    assert_eq!(
        lines.last(),
        Some(&"2 of 2 scripts approved and passing check")
    );
}

#[test]
fn modified_prompt_is_refused_and_names_the_site() {
    let p = Project::new("prompt");
    p.copy("valid", "judge-panel.js", "judge-panel.js");
    p.expect(0, &["approve", "judge-panel.js"]);
    p.edit(
        "judge-panel.js",
        "Design an implementation plan",
        "Design a minimal plan",
    );
    let out = p.expect(1, &["verify", "judge-panel.js"]);
    let text = stdout(&out);
    assert!(
        text.contains("judge-panel.js: the plan changed since it was approved in wfc.lock"),
        "{text}"
    );
    assert!(
        text.contains(
            r#"site s0 "design:…" changed: prompt "Design an implementation plan for this feature: … … Read th…" → "Design a minimal plan for this feature"#
        ),
        "{text}"
    );
    assert!(!text.contains("s1"), "only s0 changed:\n{text}");
    assert!(
        text.contains("hint: review the plan with `wfc plan judge-panel.js`"),
        "{text}"
    );
    assert!(
        text.ends_with("0 of 1 script approved and passing check\n"),
        "{text}"
    );
}

#[test]
fn reformatted_script_stays_approved() {
    let p = Project::new("reformat");
    p.copy("valid", "judge-panel.js", "judge-panel.js");
    p.expect(0, &["approve", "judge-panel.js"]);
    let before = p.read("wfc.lock");
    // Reindented, single quotes turned double, statement semicolons dropped, comments added and
    // removed, blank lines doubled.
    let original = p.read("judge-panel.js");
    let reformatted: String = original
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| {
            let indent = l.len() - l.trim_start().len();
            let body = l.trim_start().replace('\'', "\"");
            let body = body.strip_suffix(';').unwrap_or(&body).to_owned();
            format!(
                "{}{body}{}\n",
                " ".repeat(indent * 2),
                if l.is_empty() { "\n" } else { "" }
            )
        })
        .collect();
    assert_ne!(reformatted, original);
    p.write(
        "judge-panel.js",
        &format!("/* Reviewed in #42. */\n{reformatted}// the end\n"),
    );
    p.expect(0, &["check", "--color", "never", "judge-panel.js"]);
    let out = p.expect(0, &["verify", "judge-panel.js"]);
    assert!(
        stdout(&out).starts_with("judge-panel.js: ok"),
        "{}",
        show(&out)
    );
    // Re-approving it records nothing new.
    let out = p.expect(0, &["approve", "judge-panel.js"]);
    assert!(stdout(&out).contains("already approved"), "{}", show(&out));
    assert_eq!(p.read("wfc.lock"), before);
}

#[test]
fn changed_agent_bound_is_reported() {
    let p = Project::new("bound");
    p.copy("valid", "judge-panel.js", "judge-panel.js");
    p.expect(0, &["approve", "judge-panel.js"]);
    p.edit(
        "judge-panel.js",
        "  'Favour runtime performance and low memory use.',\n",
        "  'Favour runtime performance and low memory use.',\n  'Favour the fewest dependencies.',\n",
    );
    let out = p.expect(1, &["verify", "judge-panel.js"]);
    let text = stdout(&out);
    assert!(text.contains("agents: 3 … 12 → 4 … 16"), "{text}");
    assert!(
        text.contains(r#"site s1 "judge:…:p…" agents: ≤ 9 → ≤ 12"#),
        "{text}"
    );
    // Approving the change says what it approves.
    let out = p.expect(0, &["approve", "judge-panel.js"]);
    let text = stdout(&out);
    assert!(text.contains("approval updated sha256:"), "{text}");
    assert!(text.contains("  - agents: 3 … 12 → 4 … 16"), "{text}");
    p.expect(0, &["verify", "judge-panel.js"]);
}

#[test]
fn args_given_at_approve_time_are_part_of_the_hash() {
    let p = Project::new("args");
    p.copy("valid", "param-defaults.js", "param-defaults.js");
    p.expect(0, &["approve", "param-defaults.js"]);
    let without = plan_hash_of(&p, "param-defaults.js");
    let lock = p.read("wfc.lock");
    assert!(
        !lock.lines().any(|l| l.starts_with("args")),
        "no args recorded:\n{lock}"
    );

    let out = p.expect(
        0,
        &[
            "approve",
            "param-defaults.js",
            "--args",
            r#"{ "apis": ["a", "b", "c", "d"] }"#,
        ],
    );
    let text = stdout(&out);
    assert!(
        text.contains("(agents 4 … 8)"),
        "bounds use the args: {text}"
    );
    assert!(
        text.contains(r#"args: approved with no args, now {"apis":["a","b","c","d"]}"#),
        "{text}"
    );
    let four = plan_hash_of(&p, "param-defaults.js");
    let lock = p.lock();
    let entry = entries(&lock)[0];
    assert_eq!(field(entry, "args"), r#"{"apis":["a","b","c","d"]}"#);
    assert!(field(entry, "args_hash").starts_with("sha256:"));
    // `verify` uses the recorded args.
    let out = p.expect(0, &["verify", "."]);
    assert!(
        stdout(&out).contains("param-defaults.js: ok"),
        "{}",
        show(&out)
    );

    // Args from a file, other values: another hash.
    p.write("args.json", r#"{"apis": ["a"]}"#);
    p.expect(0, &["approve", "param-defaults.js", "--args", "args.json"]);
    let one = plan_hash_of(&p, "param-defaults.js");
    assert_ne!(without, four);
    assert_ne!(four, one);
    assert_ne!(without, one);
}

#[test]
fn reapprove_is_idempotent() {
    let p = Project::new("idempotent");
    p.copy("valid", "judge-panel.js", "a/judge-panel.js");
    p.copy("valid", "mode-switch.js", "mode-switch.js");
    p.expect(0, &["approve", "mode-switch.js", "a/judge-panel.js"]);
    let first = std::fs::read(p.0.join("wfc.lock")).expect("lock");
    let out = p.expect(0, &["approve", "a/judge-panel.js", "./mode-switch.js"]);
    let text = stdout(&out);
    assert_eq!(text.matches("already approved").count(), 2, "{text}");
    assert!(text.contains("wfc.lock unchanged"), "{text}");
    assert_eq!(std::fs::read(p.0.join("wfc.lock")).expect("lock"), first);
}

#[test]
fn lock_file_is_valid_toml_and_sorted() {
    let p = Project::new("toml");
    p.copy("valid", "mode-switch.js", "z/mode-switch.js");
    p.copy("valid", "judge-panel.js", "judge-panel.js");
    p.copy("valid", "budget-loop.js", "b/budget-loop.js");
    p.expect(0, &["approve", "z/mode-switch.js", "judge-panel.js"]);
    p.expect(0, &["approve", "b/budget-loop.js"]);
    let text = p.read("wfc.lock");
    assert!(
        text.starts_with("# wfc.lock: workflow plans approved with `wfc approve`."),
        "{text}"
    );
    let lock = p.lock();
    assert_eq!(lock.get("version").and_then(|v| v.as_integer()), Some(1));
    let paths: Vec<&str> = entries(&lock).iter().map(|e| field(e, "path")).collect();
    assert_eq!(
        paths,
        ["b/budget-loop.js", "judge-panel.js", "z/mode-switch.js"]
    );
    for e in entries(&lock) {
        assert!(field(e, "plan_hash").starts_with("sha256:"), "{e:?}");
        let limits = e.get("limits").and_then(|l| l.as_table()).expect("limits");
        assert_eq!(
            limits.get("max-agents").and_then(|v| v.as_integer()),
            Some(1000)
        );
        let summary = e
            .get("summary")
            .and_then(|s| s.as_table())
            .expect("summary");
        assert!(summary.get("agents").is_some_and(|a| a.is_str()), "{e:?}");
        assert!(summary.get("phases").is_some_and(|a| a.is_array()), "{e:?}");
        assert!(summary.get("models").is_some_and(|a| a.is_array()), "{e:?}");
        let sites = summary
            .get("sites")
            .and_then(|s| s.as_array())
            .expect("sites");
        for s in sites {
            let s = s.as_table().expect("site table");
            assert!(field(s, "id").starts_with('s'));
            assert_eq!(field(s, "hash").len(), 16, "{s:?}");
        }
    }
    let judge = entries(&lock)[1];
    let summary = judge
        .get("summary")
        .and_then(|s| s.as_table())
        .expect("summary");
    assert_eq!(
        summary.get("phases").map(ToString::to_string).as_deref(),
        Some(r#"["Propose", "Judge", "Decide"]"#)
    );
}

#[test]
fn approve_refuses_a_script_with_errors() {
    let p = Project::new("refuse");
    p.copy("invalid", "invalid-effort.js", "bad.js");
    p.copy("valid", "judge-panel.js", "good.js");
    let out = p.expect(1, &["approve", "good.js", "bad.js", "--color", "never"]);
    let err = stderr(&out);
    assert!(
        err.contains("invalid-effort"),
        "rendered as check does: {err}"
    );
    assert!(err.contains("bad.js not approved"), "{err}");
    assert!(err.contains("nothing recorded in wfc.lock"), "{err}");
    assert!(!p.0.join("wfc.lock").exists(), "all or nothing");
    // A script that does not parse at all.
    p.copy("invalid", "syntax-error.js", "broken.js");
    let out = p.expect(1, &["approve", "broken.js", "--color", "never"]);
    assert!(stderr(&out).contains("syntax-error"), "{}", show(&out));
    // Not a file: a usage error.
    p.expect(2, &["approve", "missing.js"]);
    p.expect(2, &["approve", "good.js", "--args", "{not json"]);
}

#[test]
fn verify_reports_each_script() {
    let p = Project::new("report");
    p.copy("valid", "judge-panel.js", "w/a-approved.js");
    p.copy("valid", "mode-switch.js", "w/b-unapproved.js");
    p.copy("invalid", "invalid-effort.js", "w/c-invalid.js");
    p.expect(0, &["approve", "w/a-approved.js"]);
    let out = p.expect(1, &["verify", "w", "--color", "never"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("w/a-approved.js: ok"), "{text}");
    assert_eq!(
        lines[1],
        "w/b-unapproved.js is not approved: wfc.lock has no entry for it"
    );
    assert!(
        lines[2].contains("run `wfc approve w/b-unapproved.js`"),
        "{text}"
    );
    assert_eq!(lines[3], "w/c-invalid.js: check failed (1 error)");
    assert_eq!(lines[4], "1 of 3 scripts approved and passing check");
    assert!(stderr(&out).contains("invalid-effort"), "{}", show(&out));
}

#[test]
fn verify_exit_codes() {
    let p = Project::new("codes");
    p.copy("valid", "judge-panel.js", "judge-panel.js");
    // No lock at all: nothing is approved.
    let out = p.expect(1, &["verify", "judge-panel.js"]);
    assert!(
        stdout(&out).contains("judge-panel.js is not approved: there is no wfc.lock"),
        "{}",
        show(&out)
    );
    p.expect(0, &["approve", "judge-panel.js"]);
    p.expect(0, &["verify", "judge-panel.js"]);
    // An unreadable path is a usage error, and wins over findings.
    let out = p.expect(2, &["verify", "judge-panel.js", "nope"]);
    assert!(stderr(&out).contains("cannot read nope"), "{}", show(&out));
    // So is a lock file that is not one.
    p.write("broken.lock", "version = 7\n");
    let out = p.expect(2, &["verify", ".", "--lock", "broken.lock"]);
    assert!(
        stderr(&out).contains("broken.lock is not a valid lock file: version 7"),
        "{}",
        show(&out)
    );
    p.expect(2, &["approve", "judge-panel.js", "--lock", "broken.lock"]);
}

#[test]
fn lock_option_keys_paths_from_the_lock_directory() {
    let p = Project::new("lockdir");
    p.copy("valid", "judge-panel.js", "scripts/judge-panel.js");
    std::fs::create_dir_all(p.0.join("ci")).expect("mkdir");
    p.expect(
        0,
        &["approve", "scripts/judge-panel.js", "--lock", "ci/wfc.lock"],
    );
    let lock = p.lock_at("ci/wfc.lock");
    assert_eq!(
        field(entries(&lock)[0], "path"),
        "../scripts/judge-panel.js"
    );
    p.expect(0, &["verify", "scripts", "--lock", "ci/wfc.lock"]);
    // From another directory, the same lock finds the same entry.
    let out = Command::new(env!("CARGO_BIN_EXE_wfc"))
        .current_dir(p.0.join("scripts"))
        .args(["verify", "judge-panel.js", "--lock", "../ci/wfc.lock"])
        .output()
        .expect("run wfc");
    assert_eq!(code(&out), 0, "{}", show(&out));
    // The default lock (in the working directory) has no entry.
    p.expect(1, &["verify", "scripts"]);
}

#[test]
fn limits_are_part_of_the_approval() {
    let p = Project::new("limits");
    p.copy("valid", "judge-panel.js", "judge-panel.js");
    p.expect(0, &["approve", "judge-panel.js"]);
    p.write("wfc.toml", "[limits]\nmax-agents = 5000\n");
    let out = p.expect(1, &["verify", "judge-panel.js"]);
    assert!(
        stdout(&out).contains("limits: max-agents 1000 → 5000"),
        "{}",
        show(&out)
    );
}

#[test]
fn verify_notes_entries_whose_script_is_gone() {
    let p = Project::new("stale");
    p.copy("valid", "judge-panel.js", "old.js");
    p.copy("valid", "mode-switch.js", "kept.js");
    p.expect(0, &["approve", "old.js", "kept.js"]);
    std::fs::remove_file(p.0.join("old.js")).expect("remove");
    let out = p.expect(0, &["verify", "."]);
    assert!(
        stdout(&out).contains("note: wfc.lock approves old.js, which does not exist"),
        "{}",
        show(&out)
    );
}

#[test]
fn every_valid_fixture_can_be_approved_and_verified() {
    let p = Project::new("fixtures");
    let names: Vec<String> = common::fixtures("valid")
        .iter()
        .filter_map(|f| f.file_name()?.to_str().map(str::to_owned))
        .collect();
    for n in &names {
        p.copy("valid", n, &format!("all/{n}"));
    }
    let files: Vec<String> = names.iter().map(|n| format!("all/{n}")).collect();
    let mut args = vec!["approve"];
    args.extend(files.iter().map(String::as_str));
    p.expect(0, &args);
    let out = p.expect(0, &["verify", "all"]);
    let want = format!(
        "{} of {} scripts approved and passing check",
        names.len(),
        names.len()
    );
    assert!(stdout(&out).contains(&want), "{}", show(&out));
    assert_eq!(entries(&p.lock()).len(), names.len());
}
