//! The run journal (`executor/src/journal`, `docs/journal.md`): records, resume claims,
//! durability, permissions, and the errors for damaged, locked, foreign and newer files.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use wfc_executor::journal::{
    content_key, CallId, CallStatus, ContentKey, Journal, JournalConfig, JournalError, NewCall,
    NewRun, RunId, RunStats, RunStatus, DB_FILE_NAME, SCHEMA_VERSION,
};

// ---- helpers -------------------------------------------------------------------------------------

/// A fresh directory under the system temp dir, removed when dropped (best effort: a failing
/// test leaves it behind for inspection only if removal fails).
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "wfc-journal-{name}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn db(&self) -> PathBuf {
        self.0.join(DB_FILE_NAME)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn new_run(script: &str) -> NewRun {
    NewRun {
        script_path: script.to_owned(),
        script_hash: "sha256:script".to_owned(),
        plan_hash: "sha256:plan".to_owned(),
        args_json: Some(r#"{"topic":"x"}"#.to_owned()),
        limits_json: r#"{"concurrency":4}"#.to_owned(),
        backend: "sim".to_owned(),
    }
}

fn call<'a>(run: &'a RunId, attempt: u32, seq: u64, key: &'a ContentKey) -> NewCall<'a> {
    NewCall {
        run,
        attempt,
        seq,
        content_key: key,
        site: Some("review.ts:3:1"),
        label: Some("juror"),
        phase: Some("review"),
        backend: "sim",
    }
}

/// Starts and completes a call; returns its id.
fn complete(
    j: &Journal,
    run: &RunId,
    attempt: u32,
    seq: u64,
    key: &ContentKey,
    result: &str,
) -> CallId {
    let id = j
        .call_started(&call(run, attempt, seq, key))
        .expect("call_started");
    j.call_completed(id, result, 10 + seq)
        .expect("call_completed");
    id
}

fn short_timeout() -> JournalConfig {
    JournalConfig {
        busy_timeout: Duration::from_millis(200),
        ..JournalConfig::default()
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// A journal with enough rows to span many pages, closed (so the WAL is checkpointed into the
/// main file and removed).
fn populated_journal(dir: &TempDir) {
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("big.ts")).expect("create_run");
    let big = format!("\"{}\"", "x".repeat(1000));
    for seq in 0..100 {
        let key = content_key(&format!("prompt {seq}"), &json!({}));
        complete(&j, &run, 1, seq, &key, &big);
    }
    drop(j);
    assert!(
        !sidecar(&dir.db(), "-wal").exists(),
        "closing checkpoints and removes the WAL"
    );
}

// ---- records -------------------------------------------------------------------------------------

#[test]
fn create_finish_list_show() {
    let dir = TempDir::new("basic");
    let j = Journal::open(dir.path()).expect("open");
    assert_eq!(j.path(), dir.db());

    let run = j.create_run(&new_run("review.ts")).expect("create_run");
    assert!(run.as_str().starts_with("r-"), "{run}");
    assert_eq!(run.as_str().len(), 20, "{run}");

    let k1 = content_key("a", &json!({"model": "m"}));
    let k2 = content_key("b", &json!({}));
    let c1 = complete(&j, &run, 1, 0, &k1, r#"{"verdict":"ok"}"#);
    let c2 = j
        .call_started(&call(&run, 1, 1, &k2))
        .expect("call_started");
    j.call_failed(c2, "backend exploded").expect("call_failed");
    assert_ne!(c1, c2);

    let running = j.show_run(&run).expect("show_run");
    assert_eq!(running.summary.status, RunStatus::Running);
    assert_eq!(running.summary.attempts, 1);
    assert_eq!(running.summary.finished_at_ms, None);
    assert_eq!(running.summary.duration_ms, None);

    let stats = RunStats {
        agents_used: 2,
        cache_hits: 0,
        cache_misses: 2,
    };
    j.finish_run(&run, RunStatus::Succeeded, Some(r#"{"n":1}"#), None, stats)
        .expect("finish_run");

    let detail = j.show_run(&run).expect("show_run");
    let s = &detail.summary;
    assert_eq!(s.id, run);
    assert_eq!(s.script_path, "review.ts");
    assert_eq!(s.backend, "sim");
    assert_eq!(s.status, RunStatus::Succeeded);
    assert_eq!(s.stats, stats);
    assert!(s.finished_at_ms.is_some());
    assert!(s.duration_ms.is_some());
    assert!(s.created_at_ms <= s.updated_at_ms);
    assert_eq!(detail.script_hash, "sha256:script");
    assert_eq!(detail.plan_hash, "sha256:plan");
    assert_eq!(detail.args_json.as_deref(), Some(r#"{"topic":"x"}"#));
    assert_eq!(detail.limits_json, r#"{"concurrency":4}"#);
    assert_eq!(detail.result_json.as_deref(), Some(r#"{"n":1}"#));
    assert_eq!(detail.error, None);
    assert_eq!(
        (
            detail.calls.completed,
            detail.calls.failed,
            detail.calls.running
        ),
        (1, 1, 0)
    );
    assert_eq!(detail.calls.total(), 2);
    assert_eq!(detail.calls_by_attempt.len(), 1);
    assert_eq!(detail.calls_by_attempt[0].0, 1);

    let calls = j.list_calls(&run).expect("list_calls");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].id, c1);
    assert_eq!(calls[0].status, CallStatus::Completed);
    assert_eq!(calls[0].content_key, k1);
    assert_eq!(calls[0].result_json.as_deref(), Some(r#"{"verdict":"ok"}"#));
    assert_eq!(calls[0].duration_ms, Some(10));
    assert_eq!(calls[0].site.as_deref(), Some("review.ts:3:1"));
    assert_eq!(calls[0].label.as_deref(), Some("juror"));
    assert_eq!(calls[0].phase.as_deref(), Some("review"));
    assert_eq!(calls[0].backend, "sim");
    assert_eq!(calls[1].status, CallStatus::Failed);
    assert_eq!(calls[1].error.as_deref(), Some("backend exploded"));
    assert_eq!(calls[1].result_json, None);
    assert!(calls[1].ended_at_ms.is_some());
}

#[test]
fn list_runs_newest_first_with_limit() {
    let dir = TempDir::new("list");
    let j = Journal::open(dir.path()).expect("open");
    let ids: Vec<RunId> = (0..3)
        .map(|i| {
            j.create_run(&new_run(&format!("s{i}.ts")))
                .expect("create_run")
        })
        .collect();
    let listed: Vec<RunId> = j
        .list_runs(10)
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, vec![ids[2].clone(), ids[1].clone(), ids[0].clone()]);
    assert_eq!(j.list_runs(2).expect("list").len(), 2);
    assert!(j.list_runs(0).expect("list").is_empty());
}

#[test]
fn failed_run_keeps_its_error_and_abandons_running_calls() {
    let dir = TempDir::new("failed");
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("f.ts")).expect("create_run");
    let key = content_key("p", &json!({}));
    let late = j
        .call_started(&call(&run, 1, 0, &key))
        .expect("call_started");
    j.finish_run(
        &run,
        RunStatus::Failed,
        None,
        Some("TypeError: x is undefined"),
        RunStats::default(),
    )
    .expect("finish_run");
    let detail = j.show_run(&run).expect("show");
    assert_eq!(detail.summary.status, RunStatus::Failed);
    assert_eq!(detail.error.as_deref(), Some("TypeError: x is undefined"));
    let calls = j.list_calls(&run).expect("calls");
    assert_eq!(calls[0].status, CallStatus::Failed);
    let why = calls[0].error.as_deref().unwrap_or_default();
    assert!(why.contains("abandoned") && why.contains("failed"), "{why}");

    // A result that arrives after the run ended is still recorded (and reusable).
    j.call_completed(late, "42", 5).expect("late completion");
    let mut cache = j.cache_for(&run).expect("cache");
    assert_eq!(
        cache.claim(&key).map(|c| c.result_json),
        Some("42".to_owned())
    );

    let e = j
        .finish_run(&run, RunStatus::Running, None, None, RunStats::default())
        .expect_err("running is not a final status");
    assert!(matches!(e, JournalError::InvalidInput(_)), "{e}");
}

#[test]
fn invalid_json_is_refused_and_nothing_changes() {
    let dir = TempDir::new("json");
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("j.ts")).expect("create_run");
    let key = content_key("p", &json!({}));
    let id = j
        .call_started(&call(&run, 1, 0, &key))
        .expect("call_started");
    let e = j
        .call_completed(id, "{not json", 1)
        .expect_err("invalid JSON");
    assert!(e.to_string().contains("not valid JSON"), "{e}");
    assert_eq!(
        j.list_calls(&run).expect("calls")[0].status,
        CallStatus::Running
    );

    let mut bad = new_run("j.ts");
    bad.limits_json = "{".to_owned();
    assert!(matches!(
        j.create_run(&bad),
        Err(JournalError::InvalidInput(_))
    ));
}

#[test]
fn unknown_runs_and_calls_are_clear_errors() {
    let dir = TempDir::new("unknown");
    let other = TempDir::new("unknown-other");
    let j = Journal::open(dir.path()).expect("open");
    let elsewhere = Journal::open(other.path()).expect("open other");
    // An id that exists only in the other journal.
    let ghost = elsewhere.create_run(&new_run("x.ts")).expect("create_run");
    let key = content_key("p", &json!({}));

    for e in [
        j.show_run(&ghost).expect_err("show"),
        j.begin_attempt(&ghost).expect_err("begin"),
        j.cache_for(&ghost).expect_err("cache"),
        j.list_calls(&ghost).expect_err("calls"),
        j.call_started(&call(&ghost, 1, 0, &key))
            .expect_err("call_started"),
        j.finish_run(
            &ghost,
            RunStatus::Succeeded,
            None,
            None,
            RunStats::default(),
        )
        .expect_err("finish"),
    ] {
        assert!(matches!(e, JournalError::UnknownRun { .. }), "{e}");
        assert!(e.to_string().contains(ghost.as_str()), "{e}");
        assert!(
            e.to_string().contains(&dir.db().display().to_string()),
            "{e}"
        );
    }

    let stranger = elsewhere
        .call_started(&call(&ghost, 1, 0, &key))
        .expect("call_started");
    // Call ids are row ids; the other journal's first call is #1, which this one lacks.
    let fake = stranger;
    assert!(matches!(
        j.call_completed(fake, "1", 1),
        Err(JournalError::UnknownCall { .. })
    ));
    assert!(matches!(
        j.call_failed(fake, "x"),
        Err(JournalError::UnknownCall { .. })
    ));
}

#[test]
fn resolve_run_id_by_prefix() {
    let dir = TempDir::new("resolve");
    let j = Journal::open(dir.path()).expect("open");
    let a = j.create_run(&new_run("a.ts")).expect("create_run");
    let b = j.create_run(&new_run("b.ts")).expect("create_run");

    assert_eq!(j.resolve_run_id(a.as_str()).expect("exact"), a);
    // The random suffix makes a long enough prefix unique.
    assert_eq!(j.resolve_run_id(&a.as_str()[..19]).expect("prefix"), a);
    assert_eq!(j.resolve_run_id(&b.as_str()[..19]).expect("prefix"), b);

    match j.resolve_run_id("r-") {
        Err(JournalError::AmbiguousRun { prefix, matches }) => {
            assert_eq!(prefix, "r-");
            assert_eq!(matches.len(), 2);
        }
        other => panic!("expected ambiguous, got {other:?}"),
    }
    for bad in ["r-zzzz", "", "%", "_"] {
        let e = j.resolve_run_id(bad).expect_err(bad);
        assert!(matches!(e, JournalError::UnknownRun { .. }), "{e}");
    }
}

// ---- content keys --------------------------------------------------------------------------------

#[test]
fn content_key_is_stable() {
    // sha256 of `{"options":{"model":"m"},"prompt":"hi"}`, computed with `sha256sum`: the key
    // must never change for the same call, or every old result would miss.
    assert_eq!(
        content_key("hi", &json!({"model": "m"})).as_str(),
        "v1:33abe38531c5dc9c5153cda1baa0577cdf23da82412b7459f7a8da6c4af265da"
    );
    // `null` options are `{}`.
    let empty = "v1:444c9f9476ae9330b38ca678099cfe4c35d165b318aded1d376cb3be3a0329eb";
    assert_eq!(content_key("hi", &json!(null)).as_str(), empty);
    assert_eq!(content_key("hi", &json!({})).as_str(), empty);
    let k = content_key("anything", &json!({"a": [1, 2.5, "x"]}));
    assert_eq!(k.as_str().len(), 67);
    assert!(k.as_str()[3..]
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(k.to_string(), k.as_str());
}

#[test]
fn content_key_ignores_key_order() {
    let a = json!({
        "model": "opus",
        "schema": {"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "number"}}},
        "effort": "high",
    });
    let b = json!({
        "effort": "high",
        "schema": {"properties": {"a": {"type": "number"}, "b": {"type": "string"}}, "type": "object"},
        "model": "opus",
    });
    assert_eq!(content_key("p", &a), content_key("p", &b));
    // JavaScript numbers: 1 and 1.0 are the same value.
    assert_eq!(
        content_key("p", &json!({"n": 1})),
        content_key("p", &json!({"n": 1.0}))
    );
}

#[test]
fn content_key_depends_on_prompt_and_every_option() {
    let base = json!({
        "schema": {"type": "object", "properties": {"verdict": {"enum": ["yes", "no"]}}},
        "model": "opus",
        "effort": "high",
        "agentType": "reviewer",
        "isolation": "worktree",
        "label": "juror 1",
        "phase": "review",
        "someFutureOption": {"x": 1},
    });
    let k = content_key("Review the patch.", &base);
    assert_ne!(
        k,
        content_key("Review the patch. ", &base),
        "prompt whitespace"
    );
    assert_ne!(k, content_key("review the patch.", &base), "prompt case");

    let keys: Vec<String> = base.as_object().expect("object").keys().cloned().collect();
    for name in &keys {
        let mut changed = base.clone();
        changed[name] = json!("something else");
        assert_ne!(
            k,
            content_key("Review the patch.", &changed),
            "changing {name}"
        );
        let mut removed = base.clone();
        removed.as_object_mut().expect("object").remove(name);
        assert_ne!(
            k,
            content_key("Review the patch.", &removed),
            "removing {name}"
        );
    }
    let mut added = base.clone();
    added["maxTurns"] = json!(3);
    assert_ne!(
        k,
        content_key("Review the patch.", &added),
        "an unknown key"
    );

    // A change deep inside the schema.
    let mut schema = base.clone();
    schema["schema"]["properties"]["verdict"]["enum"] = json!(["yes", "no", "maybe"]);
    assert_ne!(k, content_key("Review the patch.", &schema), "schema enum");
    let mut schema = base.clone();
    schema["schema"]["required"] = json!(["verdict"]);
    assert_ne!(
        k,
        content_key("Review the patch.", &schema),
        "schema required"
    );
    // A value's type matters: 1 vs "1".
    let mut typed = base.clone();
    typed["someFutureOption"]["x"] = json!("1");
    assert_ne!(
        k,
        content_key("Review the patch.", &typed),
        "number vs string"
    );
}

// ---- resume claims -------------------------------------------------------------------------------

#[test]
fn claim_hands_out_duplicate_keys_once_each_in_completion_order() {
    let dir = TempDir::new("claim");
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("jury.ts")).expect("create_run");
    let juror = content_key("Is this correct?", &json!({"label": "juror"}));
    let other = content_key("Summarise.", &json!({}));

    // Three identical juror calls start in order 0, 1, 2 but complete in order 2, 0, 1.
    let ids: Vec<CallId> = (0..3)
        .map(|seq| j.call_started(&call(&run, 1, seq, &juror)).expect("start"))
        .collect();
    j.call_completed(ids[2], r#""third""#, 3).expect("complete");
    j.call_completed(ids[0], r#""first""#, 1).expect("complete");
    j.call_completed(ids[1], r#""second""#, 2)
        .expect("complete");
    complete(&j, &run, 1, 3, &other, r#""summary""#);

    let mut cache = j.cache_for(&run).expect("cache_for");
    assert_eq!(cache.len(), 4);
    assert_eq!(cache.available(&juror), 3);
    let claimed: Vec<(String, CallId, u64)> = (0..4)
        .filter_map(|_| cache.claim(&juror))
        .map(|c| (c.result_json, c.call_id, c.duration_ms))
        .collect();
    assert_eq!(
        claimed,
        vec![
            (r#""third""#.to_owned(), ids[2], 3),
            (r#""first""#.to_owned(), ids[0], 1),
            (r#""second""#.to_owned(), ids[1], 2),
        ]
    );
    assert_eq!(cache.claim(&juror), None, "each result is handed out once");
    assert_eq!(cache.available(&juror), 0);
    assert_eq!(cache.len(), 1);
    assert_eq!(
        cache.claim(&other).map(|c| c.result_json),
        Some(r#""summary""#.to_owned())
    );
    assert!(cache.is_empty());
    assert_eq!(cache.claim(&content_key("never seen", &json!({}))), None);
}

#[test]
fn failed_and_running_calls_are_not_claimable() {
    let dir = TempDir::new("unclaimable");
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("r.ts")).expect("create_run");
    let key = content_key("p", &json!({"model": "m"}));
    let failed = j.call_started(&call(&run, 1, 0, &key)).expect("start");
    j.call_failed(failed, "timeout").expect("fail");
    let _running = j.call_started(&call(&run, 1, 1, &key)).expect("start");
    let done = complete(&j, &run, 1, 2, &key, r#"{"ok":true}"#);

    let mut cache = j.cache_for(&run).expect("cache_for");
    assert_eq!(cache.available(&key), 1);
    assert_eq!(cache.claim(&key).map(|c| c.call_id), Some(done));
    assert_eq!(cache.claim(&key), None);
}

#[test]
fn a_completed_result_is_never_downgraded() {
    let dir = TempDir::new("nodowngrade");
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("r.ts")).expect("create_run");
    let key = content_key("p", &json!({}));
    let id = complete(&j, &run, 1, 0, &key, "1");
    j.call_failed(id, "late failure report")
        .expect("call_failed is a no-op");
    let calls = j.list_calls(&run).expect("calls");
    assert_eq!(calls[0].status, CallStatus::Completed);
    assert_eq!(calls[0].result_json.as_deref(), Some("1"));
    assert_eq!(j.cache_for(&run).expect("cache").available(&key), 1);
}

#[test]
fn claims_are_per_run() {
    let dir = TempDir::new("perrun");
    let j = Journal::open(dir.path()).expect("open");
    let a = j.create_run(&new_run("a.ts")).expect("create_run");
    let b = j.create_run(&new_run("a.ts")).expect("create_run");
    let key = content_key("same prompt", &json!({}));
    complete(&j, &a, 1, 0, &key, r#""from a""#);
    assert_eq!(j.cache_for(&b).expect("cache").claim(&key), None);
    assert!(j.cache_for(&a).expect("cache").claim(&key).is_some());
}

#[test]
fn attempts_resume_and_no_cache() {
    let dir = TempDir::new("attempts");
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("r.ts")).expect("create_run");
    let key = content_key("p", &json!({}));

    // Attempt 1 completes one call and dies with another in flight (no finish_run).
    complete(&j, &run, 1, 0, &key, r#""a1""#);
    let orphan = j.call_started(&call(&run, 1, 1, &key)).expect("start");

    assert_eq!(j.begin_attempt(&run).expect("resume"), 2);
    let calls = j.list_calls(&run).expect("calls");
    let orphaned = calls.iter().find(|c| c.id == orphan).expect("orphan row");
    assert_eq!(orphaned.status, CallStatus::Failed);
    assert!(orphaned
        .error
        .as_deref()
        .unwrap_or_default()
        .contains("abandoned"));
    let detail = j.show_run(&run).expect("show");
    assert_eq!(detail.summary.status, RunStatus::Running);
    assert_eq!(detail.summary.attempts, 2);

    // Attempt 2 reuses a1 and runs the other call again.
    let mut cache = j.cache_for(&run).expect("cache");
    assert_eq!(
        cache.claim(&key).map(|c| c.result_json),
        Some(r#""a1""#.to_owned())
    );
    assert_eq!(cache.claim(&key), None);
    complete(&j, &run, 2, 1, &key, r#""a2""#);
    let stats = RunStats {
        agents_used: 2,
        cache_hits: 1,
        cache_misses: 1,
    };
    j.finish_run(&run, RunStatus::Succeeded, Some("[]"), None, stats)
        .expect("finish");
    let detail = j.show_run(&run).expect("show");
    assert_eq!(detail.summary.stats, stats);
    let attempts: Vec<u32> = detail.calls_by_attempt.iter().map(|(a, _)| *a).collect();
    assert_eq!(attempts, vec![1, 2]);
    assert_eq!(detail.calls_by_attempt[0].1.completed, 1);
    assert_eq!(detail.calls_by_attempt[0].1.failed, 1);
    assert_eq!(detail.calls_by_attempt[1].1.completed, 1);

    // Attempt 3: both results, attempt 1's first. A resume clears the previous result.
    assert_eq!(j.begin_attempt(&run).expect("resume"), 3);
    let detail = j.show_run(&run).expect("show");
    assert_eq!(detail.result_json, None);
    assert_eq!(detail.summary.stats, RunStats::default());
    let mut cache = j.cache_for(&run).expect("cache");
    let order: Vec<String> = std::iter::from_fn(|| cache.claim(&key))
        .map(|c| c.result_json)
        .collect();
    assert_eq!(order, vec![r#""a1""#, r#""a2""#]);

    // Attempt 4 is --no-cache: it reruns everything, and later resumes see only its results.
    assert_eq!(j.begin_attempt_no_cache(&run).expect("resume"), 4);
    assert!(j.cache_for(&run).expect("cache").is_empty());
    complete(&j, &run, 4, 0, &key, r#""a4""#);
    assert_eq!(j.begin_attempt(&run).expect("resume"), 5);
    let mut cache = j.cache_for(&run).expect("cache");
    assert_eq!(
        cache.claim(&key).map(|c| c.result_json),
        Some(r#""a4""#.to_owned())
    );
    assert_eq!(cache.claim(&key), None);
}

// ---- durability ----------------------------------------------------------------------------------

#[test]
fn completions_survive_without_finish_run() {
    let dir = TempDir::new("durable");
    let key = content_key("p", &json!({}));
    let run = {
        let j = Journal::open(dir.path()).expect("open");
        let run = j.create_run(&new_run("d.ts")).expect("create_run");
        for seq in 0..3 {
            complete(&j, &run, 1, seq, &key, &format!("{seq}"));
        }
        run
        // Dropped here without finish_run.
    };
    let j = Journal::open(dir.path()).expect("reopen");
    assert_eq!(
        j.show_run(&run).expect("show").summary.status,
        RunStatus::Running
    );
    let mut cache = j.cache_for(&run).expect("cache");
    let got: Vec<String> = std::iter::from_fn(|| cache.claim(&key))
        .map(|c| c.result_json)
        .collect();
    assert_eq!(got, vec!["0", "1", "2"]);
}

#[test]
fn completions_survive_a_connection_that_is_never_closed() {
    // `forget` skips the connection's close, and so the final checkpoint: the results must be
    // readable from the WAL by the next connection, as after a crash.
    let dir = TempDir::new("noclose");
    let key = content_key("p", &json!({}));
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("d.ts")).expect("create_run");
    complete(&j, &run, 1, 0, &key, r#""kept""#);
    std::mem::forget(j);
    assert!(sidecar(&dir.db(), "-wal").exists());

    let j = Journal::open(dir.path()).expect("reopen");
    let mut cache = j.cache_for(&run).expect("cache");
    assert_eq!(
        cache.claim(&key).map(|c| c.result_json),
        Some(r#""kept""#.to_owned())
    );
}

#[test]
fn a_second_connection_sees_committed_rows_at_once() {
    let dir = TempDir::new("twoconn");
    let writer = Journal::open(dir.path()).expect("open writer");
    let reader = Journal::open(dir.path()).expect("open reader");
    let run = writer.create_run(&new_run("w.ts")).expect("create_run");
    assert_eq!(reader.resolve_run_id(run.as_str()).expect("visible"), run);
    let key = content_key("p", &json!({}));
    let id = writer.call_started(&call(&run, 1, 0, &key)).expect("start");
    assert_eq!(
        reader.list_calls(&run).expect("calls")[0].status,
        CallStatus::Running
    );
    writer.call_completed(id, "7", 1).expect("complete");
    assert_eq!(reader.cache_for(&run).expect("cache").available(&key), 1);
    // And the other way round: the reader may write too.
    let other = reader.create_run(&new_run("r.ts")).expect("create_run");
    assert_eq!(writer.list_runs(10).expect("list")[0].id, other);
}

// ---- files and permissions -----------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn files_are_private() {
    let root = TempDir::new("modes");
    let state = root.path().join("nested").join(".wfc");
    let j = Journal::open(&state).expect("open");
    assert_eq!(mode(&state), 0o700, "state dir");
    assert_eq!(mode(&root.path().join("nested")), 0o700, "created parent");
    let db = state.join(DB_FILE_NAME);
    assert_eq!(mode(&db), 0o600, "runs.db");
    // Write something so that SQLite has created both the WAL and the shared-memory file.
    let run = j.create_run(&new_run("m.ts")).expect("create_run");
    complete(&j, &run, 1, 0, &content_key("p", &json!({})), "1");
    for suffix in ["-wal", "-shm"] {
        let f = sidecar(&db, suffix);
        assert!(f.exists(), "{}", f.display());
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
}

#[cfg(unix)]
#[test]
fn loose_permissions_are_tightened_on_open() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("tighten");
    let first = Journal::open(dir.path()).expect("open");
    first.create_run(&new_run("m.ts")).expect("create_run");
    // With the first connection still open, the WAL and shm files exist.
    for suffix in ["", "-wal", "-shm"] {
        fs::set_permissions(
            sidecar(&dir.db(), suffix),
            fs::Permissions::from_mode(0o644),
        )
        .expect("chmod");
    }
    let _second = Journal::open(dir.path()).expect("open again");
    for suffix in ["", "-wal", "-shm"] {
        assert_eq!(mode(&sidecar(&dir.db(), suffix)), 0o600, "runs.db{suffix}");
    }
}

#[cfg(unix)]
#[test]
fn an_unwritable_journal_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("perm");
    drop(Journal::open(dir.path()).expect("open"));
    fs::set_permissions(dir.db(), fs::Permissions::from_mode(0o400)).expect("chmod");
    if fs::OpenOptions::new().write(true).open(dir.db()).is_ok() {
        // Running as root: permissions do not apply, so there is nothing to test.
        eprintln!("skipped: permissions are not enforced for this user");
        return;
    }
    let e = Journal::open(dir.path()).expect_err("read-only file");
    assert!(matches!(e, JournalError::PermissionDenied { .. }), "{e}");
    assert!(
        e.to_string().contains(&dir.db().display().to_string()),
        "{e}"
    );
}

#[test]
fn open_at_uses_the_given_file() {
    let dir = TempDir::new("openat");
    let path = dir.path().join("elsewhere.sqlite");
    let j = Journal::open_at(&path).expect("open_at");
    j.create_run(&new_run("x.ts")).expect("create_run");
    assert!(path.exists());
    assert!(!dir.db().exists());
    // open_at does not create directories.
    let missing = dir.path().join("no").join("such").join("runs.db");
    let e = Journal::open_at(&missing).expect_err("missing directory");
    assert!(
        e.to_string().contains(&missing.display().to_string()),
        "{e}"
    );
}

// ---- damaged, foreign, newer and locked files ----------------------------------------------------

/// Asserts that opening the journal in `dir` fails, that the message names the file and says it
/// was left untouched, and that the file's bytes did not change.
fn assert_refused_untouched(dir: &TempDir, config: &JournalConfig) -> JournalError {
    let before = fs::read(dir.db()).expect("read");
    let before_meta = fs::metadata(dir.db()).expect("metadata");
    let e = Journal::open_with(dir.path(), config).expect_err("must refuse");
    let msg = e.to_string();
    assert!(msg.contains(&dir.db().display().to_string()), "{msg}");
    assert!(msg.contains("left untouched"), "{msg}");
    assert!(msg.contains("--state-dir"), "{msg}");
    assert_eq!(
        fs::read(dir.db()).expect("read"),
        before,
        "the file must not change"
    );
    // Not even its permissions (the files written by these tests are 0644).
    assert_eq!(
        fs::metadata(dir.db()).expect("metadata").permissions(),
        before_meta.permissions()
    );
    e
}

#[test]
fn a_text_file_is_not_a_journal() {
    let dir = TempDir::new("text");
    fs::write(dir.db(), "these are my notes, not a database\n".repeat(200)).expect("write");
    let e = assert_refused_untouched(&dir, &JournalConfig::default());
    assert!(matches!(e, JournalError::NotADatabase { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("is not a wfc journal (file is not a database)"),
        "{e}"
    );
    // Refusing twice changes nothing either.
    assert_refused_untouched(&dir, &JournalConfig::default());
}

#[test]
fn random_bytes_are_not_a_journal() {
    let dir = TempDir::new("random");
    // A fixed xorshift stream: reproducible "random" bytes.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..16384)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    fs::write(dir.db(), &bytes).expect("write");
    let e = assert_refused_untouched(&dir, &JournalConfig::default());
    assert!(matches!(e, JournalError::NotADatabase { .. }), "{e}");
}

#[test]
fn a_damaged_schema_page_is_a_clear_error() {
    let dir = TempDir::new("damaged1");
    populated_journal(&dir);
    // Keep the 100-byte file header, garble the rest of page 1 (the schema table).
    let mut bytes = fs::read(dir.db()).expect("read");
    for b in &mut bytes[100..4096] {
        *b = 0xa5;
    }
    fs::write(dir.db(), &bytes).expect("write");
    let e = assert_refused_untouched(&dir, &JournalConfig::default());
    assert!(matches!(e, JournalError::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("malformed"), "{e}");
}

#[test]
fn damaged_data_pages_are_a_clear_error() {
    let dir = TempDir::new("damaged2");
    populated_journal(&dir);
    let mut bytes = fs::read(dir.db()).expect("read");
    let len = bytes.len();
    assert!(
        len > 16 * 4096,
        "the journal spans many pages ({len} bytes)"
    );
    for b in &mut bytes[4096..len - 4096] {
        *b = 0x5a;
    }
    fs::write(dir.db(), &bytes).expect("write");
    let before = bytes;

    // With quick_check, opening finds the damage.
    let checked = JournalConfig {
        quick_check: true,
        ..JournalConfig::default()
    };
    let e = assert_refused_untouched(&dir, &checked);
    assert!(matches!(e, JournalError::Corrupt { .. }), "{e}");

    // Without it, the first query that reads a damaged page reports it, in the same words.
    match Journal::open(dir.path()) {
        Err(e) => assert!(matches!(e, JournalError::Corrupt { .. }), "{e}"),
        Ok(j) => {
            let e = j.list_runs(10).expect_err("damaged table");
            assert!(matches!(e, JournalError::Corrupt { .. }), "{e}");
            assert!(e.to_string().contains("left untouched"), "{e}");
            assert_ne!(j.integrity_check().unwrap_or_default(), "ok");
        }
    }
    assert_eq!(
        fs::read(dir.db()).expect("read"),
        before,
        "the file must not change"
    );
}

#[test]
fn a_foreign_sqlite_database_is_not_a_journal() {
    let dir = TempDir::new("foreign");
    {
        let c = rusqlite::Connection::open(dir.db()).expect("sqlite");
        c.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
            .expect("create");
    }
    let e = assert_refused_untouched(&dir, &JournalConfig::default());
    assert!(matches!(e, JournalError::NotAJournal { .. }), "{e}");

    let dir = TempDir::new("foreign-app");
    {
        let c = rusqlite::Connection::open(dir.db()).expect("sqlite");
        c.execute_batch("PRAGMA application_id = 1234; CREATE TABLE t (x);")
            .expect("create");
    }
    let e = assert_refused_untouched(&dir, &JournalConfig::default());
    assert!(e.to_string().contains("application_id 0x4d2"), "{e}");
}

#[test]
fn a_newer_schema_is_a_clear_error() {
    let dir = TempDir::new("newer");
    drop(Journal::open(dir.path()).expect("open"));
    {
        let c = rusqlite::Connection::open(dir.db()).expect("sqlite");
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("bump");
    }
    let e = assert_refused_untouched(&dir, &JournalConfig::default());
    match &e {
        JournalError::NewerSchema {
            found, supported, ..
        } => {
            assert_eq!(*found, SCHEMA_VERSION + 1);
            assert_eq!(*supported, SCHEMA_VERSION);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert!(e.to_string().contains("upgrade wfc"), "{e}");
}

#[test]
fn a_locked_journal_is_a_clear_error_and_nothing_is_lost() {
    let dir = TempDir::new("locked");
    let key = content_key("p", &json!({}));
    let j = Journal::open_with(dir.path(), &short_timeout()).expect("open");
    let run = j.create_run(&new_run("l.ts")).expect("create_run");
    complete(&j, &run, 1, 0, &key, r#""before""#);
    let pending = j.call_started(&call(&run, 1, 1, &key)).expect("start");

    let holder = rusqlite::Connection::open(dir.db()).expect("sqlite");
    holder.execute_batch("BEGIN EXCLUSIVE").expect("lock");

    // Opening still works (WAL readers are not blocked); writing waits, then fails clearly.
    let blocked = Journal::open_with(dir.path(), &short_timeout()).expect("open while locked");
    let t = Instant::now();
    let e = blocked
        .call_completed(pending, r#""during""#, 1)
        .expect_err("locked");
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "waited {:?}",
        t.elapsed()
    );
    assert!(matches!(e, JournalError::Locked { .. }), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("is locked by another wfc process"), "{msg}");
    assert!(msg.contains(&dir.db().display().to_string()), "{msg}");
    assert!(msg.contains("200 ms"), "{msg}");
    assert!(matches!(
        j.create_run(&new_run("x.ts")),
        Err(JournalError::Locked { .. })
    ));
    // Reads go on.
    assert_eq!(blocked.cache_for(&run).expect("read while locked").len(), 1);

    holder.execute_batch("COMMIT").expect("unlock");
    blocked
        .call_completed(pending, r#""after""#, 1)
        .expect("write after release");
    let mut cache = j.cache_for(&run).expect("cache");
    let got: Vec<String> = std::iter::from_fn(|| cache.claim(&key))
        .map(|c| c.result_json)
        .collect();
    assert_eq!(got, vec![r#""before""#, r#""after""#]);
    assert_eq!(j.integrity_check().expect("check"), "ok");
}

#[test]
fn opening_a_journal_locked_during_creation_is_a_clear_error() {
    // A rollback-mode lock on a new file blocks even reading its header.
    let dir = TempDir::new("locked-new");
    let holder = rusqlite::Connection::open(dir.db()).expect("sqlite");
    holder.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let e = Journal::open_with(dir.path(), &short_timeout()).expect_err("locked");
    assert!(matches!(e, JournalError::Locked { .. }), "{e}");
    holder.execute_batch("COMMIT").expect("unlock");
    drop(holder);
    let j = Journal::open_with(dir.path(), &short_timeout()).expect("open after release");
    j.create_run(&new_run("x.ts")).expect("create_run");
}

#[test]
fn integrity_check_is_ok() {
    let dir = TempDir::new("integrity");
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("i.ts")).expect("create_run");
    complete(&j, &run, 1, 0, &content_key("p", &json!({})), "null");
    assert_eq!(j.integrity_check().expect("integrity_check"), "ok");
    assert_eq!(j.quick_check().expect("quick_check"), "ok");
}

#[test]
fn reopening_keeps_the_schema() {
    let dir = TempDir::new("reopen");
    let run = {
        let j = Journal::open(dir.path()).expect("open");
        j.create_run(&new_run("x.ts")).expect("create_run")
    };
    let j = Journal::open(dir.path()).expect("reopen");
    assert_eq!(j.list_runs(10).expect("list")[0].id, run);
    let c = rusqlite::Connection::open(dir.db()).expect("sqlite");
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(v, SCHEMA_VERSION);
    let mode: String = c
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
}

// ---- cost ----------------------------------------------------------------------------------------

/// The cost of durability: N call_started + call_completed pairs, each its own synced
/// transaction, and the cost of `quick_check` on a large journal. Numbers go in
/// docs/journal.md. Run with
/// `cargo test --release -p wfc-executor --test journal -- --ignored --nocapture`.
#[test]
#[ignore = "timing measurement, run by hand"]
fn measure_durability_cost() {
    let dir = TempDir::new("bench");
    let j = Journal::open(dir.path()).expect("open");
    let run = j.create_run(&new_run("bench.ts")).expect("create_run");
    let n: u64 = 1000;
    let result = format!("{{\"answer\":\"{}\"}}", "x".repeat(200));
    let t = Instant::now();
    for seq in 0..n {
        let key = content_key(&format!("prompt {seq}"), &json!({"model": "m"}));
        complete(&j, &run, 1, seq, &key, &result);
    }
    let pairs = t.elapsed();
    println!(
        "{n} call_started + call_completed pairs: {pairs:?} ({:?} per pair)",
        pairs / n as u32
    );
    let t = Instant::now();
    let cache = j.cache_for(&run).expect("cache");
    println!(
        "cache_for over {} completed calls: {:?}",
        cache.len(),
        t.elapsed()
    );

    // quick_check on a ~100 MB journal, bulk-filled through a side connection in one transaction.
    {
        let mut c = rusqlite::Connection::open(dir.db()).expect("sqlite");
        let tx = c.transaction().expect("tx");
        let big = format!("\"{}\"", "y".repeat(1000));
        for i in 0..100_000 {
            tx.execute(
                "INSERT INTO calls (run_id, attempt, seq, content_key, backend, status, \
                 result_json, started_at) VALUES (?1, 1, ?2, ?3, 'sim', 'completed', ?4, 0)",
                rusqlite::params![run.as_str(), i + n, format!("v1:{i:064}"), big],
            )
            .expect("insert");
        }
        tx.commit().expect("commit");
    }
    drop(j);
    let size = fs::metadata(dir.db()).expect("metadata").len();
    let t = Instant::now();
    let _plain = Journal::open(dir.path()).expect("open");
    let plain = t.elapsed();
    drop(_plain);
    let t = Instant::now();
    let _checked = Journal::open_with(
        dir.path(),
        &JournalConfig {
            quick_check: true,
            ..JournalConfig::default()
        },
    )
    .expect("open with quick_check");
    println!(
        "open of a {} MB journal: {plain:?}; with quick_check: {:?}",
        size / 1_000_000,
        t.elapsed()
    );
}
