//! The durable run journal (`.wfc/runs.db`, `docs/journal.md`).
//!
//! One SQLite file records every run (script and plan hashes, arguments, limits, status, times)
//! and every `agent()` call of it (content key, status, result, times, backend). It is what makes
//! `wfc resume` possible: a result is committed — durable on disk — before the script sees it, so
//! after a crash every call that completed is still there, and a resume hands those results back
//! ([`Journal::cache_for`], [`CacheView::claim`]) instead of running the calls again.
//!
//! The API is synchronous: the executor calls it from its single driver thread, and each call
//! is one short transaction. A [`Journal`] owns one SQLite connection; it is `Send` but not
//! `Sync`. Several processes may use the same file at once (WAL mode); a writer that finds the
//! file locked waits for the busy timeout and then fails with [`JournalError::Locked`].

mod cache;
mod error;
mod key;
mod schema;

use std::collections::hash_map::RandomState;
use std::fmt;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

pub use cache::{CacheView, CachedResult};
pub use error::{JournalError, Result};
pub use key::{content_key, prompt_hash, sha256_hex, ContentKey};
pub use schema::SCHEMA_VERSION;

/// The state directory used when `--state-dir` is not given, relative to the working directory.
pub const DEFAULT_STATE_DIR: &str = ".wfc";

/// The journal's file name inside the state directory.
pub const DB_FILE_NAME: &str = "runs.db";

/// How long a write waits for another process's lock before failing with
/// [`JournalError::Locked`].
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How a journal is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalConfig {
    /// How long an operation waits for another connection's lock (SQLite's busy timeout).
    pub busy_timeout: Duration,
    /// Run `PRAGMA quick_check` when opening, so that damage anywhere in the file is reported at
    /// once rather than by the first query that reads the damaged page. It reads the whole file
    /// (0.15–0.25 s for a 150 MB journal here, against 0.5 ms for a plain open; `docs/journal.md`),
    /// and a journal only grows, so it is off by default: damage is still reported as
    /// [`JournalError::Corrupt`] by whichever operation meets it, and `integrity_check` is there
    /// for an explicit check.
    pub quick_check: bool,
}

impl Default for JournalConfig {
    fn default() -> Self {
        JournalConfig {
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
            quick_check: false,
        }
    }
}

// ---- identifiers and records ---------------------------------------------------------------------

/// A run's id, e.g. `r-0mh2k3x1z-3fa9c2d1`: `r-`, the creation time in unix milliseconds in
/// base 36 (nine digits, so ids sort by creation time), `-`, and 32 random bits in hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(String);

impl RunId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A call's row id in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(i64);

impl CallId {
    /// The row id.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for CallId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// The status of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunStatus {
    /// Being executed, or its process died (a resume simply continues it).
    Running,
    /// The script returned.
    Succeeded,
    /// The script threw, or a limit stopped it.
    Failed,
    /// The user stopped it (Ctrl-C).
    Interrupted,
}

impl RunStatus {
    /// The status as stored and shown: `running`, `succeeded`, `failed` or `interrupted`.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
            RunStatus::Interrupted => "interrupted",
        }
    }

    fn parse(s: &str) -> Option<RunStatus> {
        Some(match s {
            "running" => RunStatus::Running,
            "succeeded" => RunStatus::Succeeded,
            "failed" => RunStatus::Failed,
            "interrupted" => RunStatus::Interrupted,
            _ => return None,
        })
    }
}

impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of an agent call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallStatus {
    /// Started and not ended (or its process died).
    Running,
    /// Has a result; a resume may reuse it.
    Completed,
    /// Ended without a result, or was abandoned; a resume runs it again.
    Failed,
}

impl CallStatus {
    /// The status as stored and shown: `running`, `completed` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Running => "running",
            CallStatus::Completed => "completed",
            CallStatus::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<CallStatus> {
        Some(match s {
            "running" => CallStatus::Running,
            "completed" => CallStatus::Completed,
            "failed" => CallStatus::Failed,
            _ => return None,
        })
    }
}

impl fmt::Display for CallStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What [`Journal::create_run`] records about a new run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun {
    /// The script's path, as the user gave it.
    pub script_path: String,
    /// The hash of the script's source.
    pub script_hash: String,
    /// The hash of its static plan.
    pub plan_hash: String,
    /// The script's arguments as JSON, if any.
    pub args_json: Option<String>,
    /// The run's limits (budget, concurrency, …) as JSON.
    pub limits_json: String,
    /// The backend's name (`sim`, …).
    pub backend: String,
}

/// What [`Journal::call_started`] records about a call that is about to be sent to a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewCall<'a> {
    /// The run.
    pub run: &'a RunId,
    /// The attempt that makes the call ([`Journal::create_run`] starts attempt 1,
    /// [`Journal::begin_attempt`] returns the next).
    pub attempt: u32,
    /// The call's position in the attempt's start order.
    pub seq: u64,
    /// [`content_key`] of the call's prompt and options.
    pub content_key: &'a ContentKey,
    /// Where in the script the call is (e.g. `review.ts:12:5`), if known.
    pub site: Option<&'a str>,
    /// The call's `label` option, if any.
    pub label: Option<&'a str>,
    /// The phase the call belongs to, if any.
    pub phase: Option<&'a str>,
    /// The backend that answers it.
    pub backend: &'a str,
}

/// The counters [`Journal::finish_run`] records for the attempt that ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    /// How many agents the attempt used (calls answered by a backend or the cache).
    pub agents_used: u64,
    /// How many calls were answered from the journal.
    pub cache_hits: u64,
    /// How many calls were run (no completed result to reuse, or `--no-cache`).
    pub cache_misses: u64,
}

/// A run as `wfc runs list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSummary {
    /// The run's id.
    pub id: RunId,
    /// The script's path.
    pub script_path: String,
    /// The backend.
    pub backend: String,
    /// The status.
    pub status: RunStatus,
    /// How many times it has been executed (1 + the number of resumes).
    pub attempts: u32,
    /// When it was created (unix ms).
    pub created_at_ms: i64,
    /// When its row last changed (unix ms).
    pub updated_at_ms: i64,
    /// When the latest attempt started (unix ms).
    pub attempt_started_at_ms: i64,
    /// When the latest attempt finished (unix ms), unless it is running or died.
    pub finished_at_ms: Option<i64>,
    /// The latest finished attempt's counters (zero while an attempt is running).
    pub stats: RunStats,
    /// How long the latest attempt took, if it finished.
    pub duration_ms: Option<u64>,
}

/// How many calls are in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallCounts {
    /// Started, not ended.
    pub running: u64,
    /// With a result.
    pub completed: u64,
    /// Ended without a result, or abandoned.
    pub failed: u64,
}

impl CallCounts {
    /// All calls.
    pub fn total(&self) -> u64 {
        self.running + self.completed + self.failed
    }

    fn add(&mut self, status: CallStatus, n: u64) {
        match status {
            CallStatus::Running => self.running += n,
            CallStatus::Completed => self.completed += n,
            CallStatus::Failed => self.failed += n,
        }
    }
}

/// A run as `wfc runs show` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunDetail {
    /// What `wfc runs list` shows.
    pub summary: RunSummary,
    /// The hash of the script's source.
    pub script_hash: String,
    /// The hash of its plan.
    pub plan_hash: String,
    /// The script's arguments (JSON).
    pub args_json: Option<String>,
    /// The run's limits (JSON).
    pub limits_json: String,
    /// The script's result (JSON), if it succeeded.
    pub result_json: Option<String>,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// The calls of all attempts, by status.
    pub calls: CallCounts,
    /// The calls of each attempt, by status, in attempt order (attempts without calls omitted).
    pub calls_by_attempt: Vec<(u32, CallCounts)>,
}

/// One agent call as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// Its row id.
    pub id: CallId,
    /// The attempt that made it.
    pub attempt: u32,
    /// Its position in the attempt's start order.
    pub seq: u64,
    /// Its content key.
    pub content_key: ContentKey,
    /// Where in the script it is.
    pub site: Option<String>,
    /// Its label.
    pub label: Option<String>,
    /// Its phase.
    pub phase: Option<String>,
    /// The backend that answered it.
    pub backend: String,
    /// Its status.
    pub status: CallStatus,
    /// Its result (JSON), if completed.
    pub result_json: Option<String>,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// When it started (unix ms).
    pub started_at_ms: i64,
    /// When it ended (unix ms).
    pub ended_at_ms: Option<i64>,
    /// How long it took, as the backend reported it (completed) or by the wall clock (failed).
    pub duration_ms: Option<u64>,
}

// ---- the journal -----------------------------------------------------------------------------------

/// An open run journal. See the [module documentation](self).
#[derive(Debug)]
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    busy_timeout: Duration,
}

impl Journal {
    /// Opens (creating if needed) `runs.db` in `state_dir`, creating the directory (mode 0700)
    /// if it is missing.
    pub fn open(state_dir: &Path) -> Result<Journal> {
        Journal::open_with(state_dir, &JournalConfig::default())
    }

    /// [`Journal::open`] with a configuration.
    pub fn open_with(state_dir: &Path, config: &JournalConfig) -> Result<Journal> {
        create_state_dir(state_dir)?;
        Journal::open_at_with(&state_dir.join(DB_FILE_NAME), config)
    }

    /// Opens (creating if needed) the journal file `db_path`. Its directory must exist.
    pub fn open_at(db_path: &Path) -> Result<Journal> {
        Journal::open_at_with(db_path, &JournalConfig::default())
    }

    /// [`Journal::open_at`] with a configuration.
    ///
    /// Nothing is written to a file that is not a wfc journal, is damaged, or has a newer schema:
    /// those are refused with an error that names the file.
    pub fn open_at_with(db_path: &Path, config: &JournalConfig) -> Result<Journal> {
        create_file(db_path)?;
        // The file exists now, so SQLite must not create it (with its own default mode).
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(db_path, flags).map_err(|e| {
            JournalError::from_sqlite(db_path, "open the database", config.busy_timeout, e)
        })?;
        let journal = Journal {
            conn,
            path: db_path.to_path_buf(),
            busy_timeout: config.busy_timeout,
        };
        journal
            .conn
            .busy_timeout(config.busy_timeout)
            .map_err(journal.sql("set the busy timeout"))?;
        // Identify the file before changing anything in it: switching a foreign database to WAL
        // would already rewrite its header.
        let needs_schema = schema::check(&journal)?;
        restrict_files(db_path)?;
        journal.configure()?;
        if needs_schema {
            schema::migrate(&journal)?;
        }
        if config.quick_check {
            let report = journal.quick_check()?;
            if report != "ok" {
                return Err(JournalError::Corrupt {
                    path: journal.path.clone(),
                    detail: format!("quick_check: {}", first_line(&report)),
                });
            }
        }
        Ok(journal)
    }

    /// Per-connection settings.
    fn configure(&self) -> Result<()> {
        // WAL: readers (`wfc runs list`) never block the running executor, and a commit is one
        // append to the log. The answer is the mode in effect; a file system without shared
        // memory keeps the rollback journal, which is just as durable, so it is not an error.
        let _mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(self.sql("switch the journal to WAL mode"))?;
        // FULL: a commit returns only after the log is synced, so a result the script has seen
        // survives a crash or power loss (NORMAL in WAL mode may lose the last commits).
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(self.sql("set synchronous=FULL"))?;
        self.conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(self.sql("enable foreign keys"))?;
        Ok(())
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A `map_err` adapter that classifies an SQLite error and names the file and operation.
    fn sql(&self, op: &'static str) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
        move |e| JournalError::from_sqlite(&self.path, op, self.busy_timeout, e)
    }

    fn unknown_run(&self, run: &RunId) -> JournalError {
        JournalError::UnknownRun {
            id: run.0.clone(),
            path: self.path.clone(),
        }
    }

    /// Runs `write` with `synchronous=NORMAL`, then restores `FULL`. In WAL mode a NORMAL commit
    /// is appended to the log without an fsync; it cannot corrupt the file, only be lost in a
    /// power failure — until the next FULL commit, whose fsync of the log covers every frame
    /// before it. Used for the records a resume does not depend on, this halves the syncs per
    /// agent call (`docs/journal.md`, "Durability").
    fn relaxed<T>(&self, write: impl FnOnce() -> Result<T>) -> Result<T> {
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(self.sql("set synchronous=NORMAL"))?;
        let result = write();
        // Restoring FULL must not be skipped on error, or a later result would be committed
        // without a sync; a failure to restore is reported even if `write` succeeded.
        let restored = self
            .conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(self.sql("set synchronous=FULL"));
        let value = result?;
        restored?;
        Ok(value)
    }

    fn immediate(&self, op: &'static str) -> Result<rusqlite::Transaction<'_>> {
        // IMMEDIATE takes the write lock up front, so the busy timeout applies to it; a deferred
        // transaction that upgrades from read to write can fail at once with SQLITE_BUSY.
        rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(self.sql(op))
    }

    // ---- runs ----

    /// Records a new run, status `running`, attempt 1.
    pub fn create_run(&self, run: &NewRun) -> Result<RunId> {
        check_json("args_json", run.args_json.as_deref())?;
        check_json("limits_json", Some(&run.limits_json))?;
        let now = now_ms();
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT INTO runs (id, script_path, script_hash, plan_hash, args_json, \
                 limits_json, backend, status, created_at, updated_at, attempt_started_at, \
                 attempts) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'running', ?8, ?8, ?8, 1)",
            )
            .map_err(self.sql("prepare to create a run"))?;
        // The random part makes a collision (two runs in the same millisecond) very unlikely;
        // should one happen anyway, the primary key refuses it and a fresh id is drawn.
        let mut attempt = 0;
        loop {
            let id = new_run_id(now);
            match stmt.execute(params![
                id,
                run.script_path,
                run.script_hash,
                run.plan_hash,
                run.args_json,
                run.limits_json,
                run.backend,
                now
            ]) {
                Ok(_) => return Ok(RunId(id)),
                Err(e) if is_constraint(&e) && attempt < 3 => attempt += 1,
                Err(e) => return Err(self.sql("create a run")(e)),
            }
        }
    }

    /// Starts the next attempt of `run` (for `wfc resume`) and returns its number: the run is
    /// `running` again, its result, error and counters are cleared, and calls that an earlier
    /// attempt left `running` (its process died) are marked `failed`, so that they run again.
    /// A run stuck in `running` because its process crashed is resumed like any other.
    pub fn begin_attempt(&self, run: &RunId) -> Result<u32> {
        self.begin(run, false)
    }

    /// [`Journal::begin_attempt`] for `wfc resume --no-cache`: the new attempt runs every call
    /// again, and later resumes reuse only results from this attempt on, not the older ones it
    /// replaced.
    pub fn begin_attempt_no_cache(&self, run: &RunId) -> Result<u32> {
        self.begin(run, true)
    }

    fn begin(&self, run: &RunId, no_cache: bool) -> Result<u32> {
        let now = now_ms();
        let tx = self.immediate("lock the journal to resume a run")?;
        let attempt: Option<u32> = tx
            .query_row(
                "UPDATE runs SET attempts = attempts + 1, status = 'running', result_json = NULL, \
                 error = NULL, finished_at = NULL, cache_hits = 0, cache_misses = 0, \
                 agents_used = 0, updated_at = ?2, attempt_started_at = ?2, \
                 cache_floor = CASE WHEN ?3 THEN attempts + 1 ELSE cache_floor END \
                 WHERE id = ?1 RETURNING attempts",
                params![run.0, now, no_cache],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql("start a new attempt"))?;
        let attempt = attempt.ok_or_else(|| self.unknown_run(run))?;
        tx.execute(
            "UPDATE calls SET status = 'failed', ended_at = ?2, \
             error = 'abandoned: attempt ' || attempt || ' ended without finishing this call' \
             WHERE run_id = ?1 AND status = 'running'",
            params![run.0, now],
        )
        .map_err(self.sql("mark abandoned calls"))?;
        tx.commit().map_err(self.sql("commit the new attempt"))?;
        Ok(attempt)
    }

    /// Records the end of the current attempt: its final status (not `running`), the script's
    /// result or error, and the attempt's counters. Calls still `running` are marked `failed`
    /// (abandoned); a late [`Journal::call_completed`] still records its result.
    pub fn finish_run(
        &self,
        run: &RunId,
        status: RunStatus,
        result_json: Option<&str>,
        error: Option<&str>,
        stats: RunStats,
    ) -> Result<()> {
        if status == RunStatus::Running {
            return Err(JournalError::InvalidInput(
                "finish_run needs a final status, not `running`".to_owned(),
            ));
        }
        check_json("the run's result", result_json)?;
        let now = now_ms();
        let tx = self.immediate("lock the journal to finish a run")?;
        let changed = tx
            .execute(
                "UPDATE runs SET status = ?2, result_json = ?3, error = ?4, finished_at = ?5, \
                 updated_at = ?5, agents_used = ?6, cache_hits = ?7, cache_misses = ?8 \
                 WHERE id = ?1",
                params![
                    run.0,
                    status.as_str(),
                    result_json,
                    error,
                    now,
                    stats.agents_used,
                    stats.cache_hits,
                    stats.cache_misses
                ],
            )
            .map_err(self.sql("finish a run"))?;
        if changed == 0 {
            return Err(self.unknown_run(run));
        }
        tx.execute(
            "UPDATE calls SET status = 'failed', ended_at = ?3, \
             error = 'abandoned: the run ended (' || ?2 || ') before this call did' \
             WHERE run_id = ?1 AND status = 'running'",
            params![run.0, status.as_str(), now],
        )
        .map_err(self.sql("mark abandoned calls"))?;
        tx.commit().map_err(self.sql("commit the end of a run"))?;
        Ok(())
    }

    // ---- calls ----

    /// Records that a call is about to be sent to a backend; returns its id for
    /// [`Journal::call_completed`] or [`Journal::call_failed`].
    ///
    /// The row is committed without its own sync (`synchronous=NORMAL`): losing it in a crash
    /// loses nothing a resume needs (the call has no result yet and runs again either way), and
    /// the next result's synced commit makes it durable too.
    pub fn call_started(&self, call: &NewCall<'_>) -> Result<CallId> {
        self.relaxed(|| self.insert_call(call))
    }

    fn insert_call(&self, call: &NewCall<'_>) -> Result<CallId> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT INTO calls (run_id, attempt, seq, content_key, site, label, phase, \
                 backend, status, started_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'running', ?9)",
            )
            .map_err(self.sql("prepare to record a call"))?;
        let inserted = stmt.execute(params![
            call.run.0,
            call.attempt,
            call.seq,
            call.content_key.as_str(),
            call.site,
            call.label,
            call.phase,
            call.backend,
            now_ms()
        ]);
        match inserted {
            Ok(_) => Ok(CallId(self.conn.last_insert_rowid())),
            // The only constraint on the insert is the foreign key to `runs`.
            Err(e) if is_constraint(&e) => Err(self.unknown_run(call.run)),
            Err(e) => Err(self.sql("record a call")(e)),
        }
    }

    /// Records a call's result. When this returns, the result is committed and synced to disk
    /// (its own transaction, `synchronous=FULL`), so it may be handed to the script: a crash
    /// from now on cannot lose it.
    pub fn call_completed(&self, call: CallId, result_json: &str, duration_ms: u64) -> Result<()> {
        check_json("the call's result", Some(result_json))?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "UPDATE calls SET status = 'completed', result_json = ?2, error = NULL, \
                 ended_at = max(?3, started_at), duration_ms = ?4, \
                 completion_seq = (SELECT coalesce(max(completion_seq), 0) + 1 FROM calls) \
                 WHERE id = ?1",
            )
            .map_err(self.sql("prepare to record a result"))?;
        // No status condition: a result that arrives after the call was marked abandoned is
        // still a good result, and keeping it is what saves a resume from running it again.
        let changed = stmt
            .execute(params![call.0, result_json, now_ms(), duration_ms])
            .map_err(self.sql("record a result"))?;
        if changed == 0 {
            return Err(self.unknown_call(call));
        }
        Ok(())
    }

    /// Records that a call ended without a result. A call that already has a result keeps it
    /// (the journal never throws away a completed result). Committed without its own sync, like
    /// [`Journal::call_started`]: a lost failure record only means the call shows as `running`,
    /// and it runs again on resume either way.
    pub fn call_failed(&self, call: CallId, error: &str) -> Result<()> {
        self.relaxed(|| self.mark_failed(call, error))
    }

    fn mark_failed(&self, call: CallId, error: &str) -> Result<()> {
        let now = now_ms();
        let mut stmt = self
            .conn
            .prepare_cached(
                "UPDATE calls SET status = 'failed', error = ?2, ended_at = max(?3, started_at), \
                 duration_ms = max(?3 - started_at, 0) WHERE id = ?1 AND status != 'completed'",
            )
            .map_err(self.sql("prepare to record a failure"))?;
        let changed = stmt
            .execute(params![call.0, error, now])
            .map_err(self.sql("record a failure"))?;
        if changed == 0 {
            let exists: bool = self
                .conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM calls WHERE id = ?1)",
                    [call.0],
                    |r| r.get(0),
                )
                .map_err(self.sql("look up a call"))?;
            if !exists {
                return Err(self.unknown_call(call));
            }
        }
        Ok(())
    }

    fn unknown_call(&self, call: CallId) -> JournalError {
        JournalError::UnknownCall {
            id: call.0,
            path: self.path.clone(),
        }
    }

    /// The completed results a resume of `run` may reuse (load once per resume, before the
    /// script starts). Results from attempts before the latest `--no-cache` attempt are left out.
    pub fn cache_for(&self, run: &RunId) -> Result<CacheView> {
        let floor: Option<u32> = self
            .conn
            .query_row(
                "SELECT cache_floor FROM runs WHERE id = ?1",
                [&run.0],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql("look up a run"))?;
        let floor = floor.ok_or_else(|| self.unknown_run(run))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, content_key, result_json, duration_ms FROM calls \
                 WHERE run_id = ?1 AND status = 'completed' AND attempt >= ?2 \
                 ORDER BY attempt, completion_seq, id",
            )
            .map_err(self.sql("prepare to load cached results"))?;
        let rows = stmt
            .query_map(params![run.0, floor], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<u64>>(3)?,
                ))
            })
            .map_err(self.sql("load cached results"))?;
        let mut view = CacheView::default();
        for row in rows {
            let (id, key, result_json, duration_ms) =
                row.map_err(self.sql("load cached results"))?;
            // A completed row always has a result (call_completed writes both at once); skip
            // rather than hand out nothing should the file have been edited by hand.
            let Some(result_json) = result_json else {
                continue;
            };
            view.push(
                ContentKey::from_stored(key),
                CachedResult {
                    result_json,
                    call_id: CallId(id),
                    duration_ms: duration_ms.unwrap_or(0),
                },
            );
        }
        Ok(view)
    }

    // ---- history ----

    /// The newest `limit` runs, newest first.
    pub fn list_runs(&self, limit: usize) -> Result<Vec<RunSummary>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?1"
            ))
            .map_err(self.sql("prepare to list runs"))?;
        let rows = stmt
            .query_map([limit], summary_from_row)
            .map_err(self.sql("list runs"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql("list runs"))
    }

    /// Everything recorded about `run`, with its calls counted by status.
    pub fn show_run(&self, run: &RunId) -> Result<RunDetail> {
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT {SUMMARY_COLUMNS}, script_hash, plan_hash, args_json, limits_json, \
                     result_json, error FROM runs WHERE id = ?1"
                ),
                [&run.0],
                |r| {
                    Ok((
                        summary_from_row(r)?,
                        r.get::<_, String>(SUMMARY_COUNT)?,
                        r.get::<_, String>(SUMMARY_COUNT + 1)?,
                        r.get::<_, Option<String>>(SUMMARY_COUNT + 2)?,
                        r.get::<_, String>(SUMMARY_COUNT + 3)?,
                        r.get::<_, Option<String>>(SUMMARY_COUNT + 4)?,
                        r.get::<_, Option<String>>(SUMMARY_COUNT + 5)?,
                    ))
                },
            )
            .optional()
            .map_err(self.sql("read a run"))?;
        let (summary, script_hash, plan_hash, args_json, limits_json, result_json, error) =
            row.ok_or_else(|| self.unknown_run(run))?;

        let mut stmt = self
            .conn
            .prepare(
                "SELECT attempt, status, count(*) FROM calls WHERE run_id = ?1 \
                 GROUP BY attempt, status ORDER BY attempt",
            )
            .map_err(self.sql("prepare to count calls"))?;
        let counts = stmt
            .query_map([&run.0], |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    status_from_sql::<CallStatus>(r, 1, CallStatus::parse)?,
                    r.get::<_, u64>(2)?,
                ))
            })
            .map_err(self.sql("count calls"))?;
        let mut calls = CallCounts::default();
        let mut calls_by_attempt: Vec<(u32, CallCounts)> = Vec::new();
        for row in counts {
            let (attempt, status, n) = row.map_err(self.sql("count calls"))?;
            calls.add(status, n);
            match calls_by_attempt.last_mut() {
                Some((a, c)) if *a == attempt => c.add(status, n),
                _ => {
                    let mut c = CallCounts::default();
                    c.add(status, n);
                    calls_by_attempt.push((attempt, c));
                }
            }
        }
        Ok(RunDetail {
            summary,
            script_hash,
            plan_hash,
            args_json,
            limits_json,
            result_json,
            error,
            calls,
            calls_by_attempt,
        })
    }

    /// Every call of `run`, in the order they were started (attempt, then start order).
    pub fn list_calls(&self, run: &RunId) -> Result<Vec<CallRecord>> {
        // Distinguish "no such run" from "a run without calls".
        self.run_exists(run)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, attempt, seq, content_key, site, label, phase, backend, status, \
                 result_json, error, started_at, ended_at, duration_ms FROM calls \
                 WHERE run_id = ?1 ORDER BY attempt, seq, id",
            )
            .map_err(self.sql("prepare to list calls"))?;
        let rows = stmt
            .query_map([&run.0], |r| {
                Ok(CallRecord {
                    id: CallId(r.get(0)?),
                    attempt: r.get(1)?,
                    seq: r.get(2)?,
                    content_key: ContentKey::from_stored(r.get(3)?),
                    site: r.get(4)?,
                    label: r.get(5)?,
                    phase: r.get(6)?,
                    backend: r.get(7)?,
                    status: status_from_sql(r, 8, CallStatus::parse)?,
                    result_json: r.get(9)?,
                    error: r.get(10)?,
                    started_at_ms: r.get(11)?,
                    ended_at_ms: r.get(12)?,
                    duration_ms: r.get(13)?,
                })
            })
            .map_err(self.sql("list calls"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql("list calls"))
    }

    fn run_exists(&self, run: &RunId) -> Result<()> {
        let exists: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?1)",
                [&run.0],
                |r| r.get(0),
            )
            .map_err(self.sql("look up a run"))?;
        if exists {
            Ok(())
        } else {
            Err(self.unknown_run(run))
        }
    }

    /// The run whose id is `prefix` or starts with it (as `git` resolves abbreviated hashes).
    /// Errors when no run or more than one run matches.
    pub fn resolve_run_id(&self, prefix: &str) -> Result<RunId> {
        let unknown = || JournalError::UnknownRun {
            id: prefix.to_owned(),
            path: self.path.clone(),
        };
        if prefix.is_empty() {
            return Err(unknown());
        }
        // substr() rather than LIKE/GLOB: no wildcard characters to escape. The runs table is
        // small, so the scan does not matter.
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id FROM runs WHERE substr(id, 1, length(?1)) = ?1 \
                 ORDER BY (id = ?1) DESC, id LIMIT 11",
            )
            .map_err(self.sql("prepare to look up a run id"))?;
        let ids = stmt
            .query_map([prefix], |r| r.get::<_, String>(0))
            .map_err(self.sql("look up a run id"))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql("look up a run id"))?;
        match ids.as_slice() {
            [] => Err(unknown()),
            [only] => Ok(RunId(only.clone())),
            [first, ..] if first == prefix => Ok(RunId(first.clone())),
            _ => Err(JournalError::AmbiguousRun {
                prefix: prefix.to_owned(),
                matches: ids.into_iter().take(10).collect(),
            }),
        }
    }

    // ---- maintenance ----

    /// `PRAGMA integrity_check`: `"ok"`, or SQLite's list of problems (one per line).
    pub fn integrity_check(&self) -> Result<String> {
        self.pragma_lines("integrity_check")
    }

    /// `PRAGMA quick_check`: like [`Journal::integrity_check`] without the index cross-checks.
    pub fn quick_check(&self) -> Result<String> {
        self.pragma_lines("quick_check")
    }

    fn pragma_lines(&self, pragma: &'static str) -> Result<String> {
        let mut lines = Vec::new();
        self.conn
            .pragma_query(None, pragma, |r| {
                lines.push(r.get::<_, String>(0)?);
                Ok(())
            })
            .map_err(self.sql(pragma))?;
        Ok(lines.join("\n"))
    }
}

/// The columns [`summary_from_row`] reads, in order.
const SUMMARY_COLUMNS: &str = "id, script_path, backend, status, attempts, created_at, \
    updated_at, attempt_started_at, finished_at, agents_used, cache_hits, cache_misses";
/// How many columns [`SUMMARY_COLUMNS`] lists.
const SUMMARY_COUNT: usize = 12;

fn summary_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunSummary> {
    let attempt_started_at_ms: i64 = r.get(7)?;
    let finished_at_ms: Option<i64> = r.get(8)?;
    Ok(RunSummary {
        id: RunId(r.get(0)?),
        script_path: r.get(1)?,
        backend: r.get(2)?,
        status: status_from_sql(r, 3, RunStatus::parse)?,
        attempts: r.get(4)?,
        created_at_ms: r.get(5)?,
        updated_at_ms: r.get(6)?,
        attempt_started_at_ms,
        finished_at_ms,
        stats: RunStats {
            agents_used: r.get(9)?,
            cache_hits: r.get(10)?,
            cache_misses: r.get(11)?,
        },
        duration_ms: finished_at_ms
            .map(|end| u64::try_from(end - attempt_started_at_ms).unwrap_or(0)),
    })
}

/// Reads a status column; the table's CHECK constraint makes an unknown value impossible short
/// of editing the file by hand, which is then reported as a conversion error.
fn status_from_sql<T>(
    r: &rusqlite::Row<'_>,
    idx: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let s: String = r.get(idx)?;
    parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            format!("unknown status `{s}`").into(),
        )
    })
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::ConstraintViolation))
}

/// Refuses text that is not JSON: whatever the journal stores is handed back to a script on
/// resume, so it must parse.
fn check_json(what: &str, json: Option<&str>) -> Result<()> {
    let Some(json) = json else { return Ok(()) };
    serde_json::from_str::<serde::de::IgnoredAny>(json)
        .map(|_| ())
        .map_err(|e| JournalError::InvalidInput(format!("{what} is not valid JSON: {e}")))
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn now_ms() -> i64 {
    // A clock before 1970 is a broken clock; 0 keeps the arithmetic sane.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// `r-<ms in base 36, 9 digits>-<32 random bits in hex>`. Nine base-36 digits last until the
/// year 5188, so the ids sort by creation time.
fn new_run_id(now_ms: i64) -> String {
    let mut ms = u64::try_from(now_ms).unwrap_or(0);
    let mut digits = [b'0'; 9];
    for d in digits.iter_mut().rev() {
        *d = b"0123456789abcdefghijklmnopqrstuvwxyz"[(ms % 36) as usize];
        ms /= 36;
    }
    let time = String::from_utf8_lossy(&digits);
    format!("r-{time}-{:08x}", random_u32())
}

/// 32 bits that differ between processes and calls. Uniqueness is all that is needed (the
/// primary key catches the rare collision), so std's randomly keyed hasher is enough.
fn random_u32() -> u32 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    h.write_u32(nanos);
    let x = h.finish();
    (x ^ (x >> 32)) as u32
}

// ---- files and permissions -----------------------------------------------------------------------

/// Creates the state directory (and missing parents) with mode 0700: it holds prompts and
/// results, which may be private.
fn create_state_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|source| JournalError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })
}

/// Creates the journal file with mode 0600 before SQLite opens it (SQLite would create it with
/// 0644 less the umask, readable by everyone). SQLite then creates the `-wal` and `-shm` files
/// with the main file's permissions, so they follow. An existing file is opened, never truncated.
fn create_file(db_path: &Path) -> Result<()> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options
        .open(db_path)
        .map_err(|source| file_error(db_path, source))?;
    let metadata = file
        .metadata()
        .map_err(|source| file_error(db_path, source))?;
    if !metadata.is_file() {
        return Err(JournalError::Io {
            path: db_path.to_path_buf(),
            source: io::Error::other("not a regular file"),
        });
    }
    Ok(())
}

/// Restricts a journal, `-wal`, `-shm` or `-journal` file that other users may read or write to
/// 0600 (say one created by hand, or copied with a permissive umask). Called once the file is
/// known to be a journal, so that a refused file is left exactly as it was.
fn restrict_files(db_path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = db_path.as_os_str().to_owned();
        file.push(suffix);
        let file = PathBuf::from(file);
        match fs::metadata(&file) {
            Ok(m) => restrict(&file, &m)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(file_error(&file, source)),
        }
    }
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path, metadata: &fs::Metadata) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if metadata.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|source| file_error(path, source))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _metadata: &fs::Metadata) -> Result<()> {
    Ok(())
}

fn file_error(path: &Path, source: io::Error) -> JournalError {
    if source.kind() == io::ErrorKind::PermissionDenied {
        JournalError::PermissionDenied {
            path: path.to_path_buf(),
            detail: source.to_string(),
        }
    } else {
        JournalError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synchronous(j: &Journal) -> i64 {
        j.conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .expect("read synchronous")
    }

    /// The relaxed writes must leave the connection at FULL (2), also when they fail, or the
    /// next result would be committed without a sync.
    #[test]
    fn relaxed_writes_restore_full_sync() {
        let dir = std::env::temp_dir().join(format!(
            "wfc-journal-unit-{}-{}",
            std::process::id(),
            random_u32()
        ));
        let j = Journal::open(&dir).expect("open");
        assert_eq!(synchronous(&j), 2);
        let run = j
            .create_run(&NewRun {
                script_path: "s.ts".to_owned(),
                script_hash: "h".to_owned(),
                plan_hash: "p".to_owned(),
                args_json: None,
                limits_json: "{}".to_owned(),
                backend: "sim".to_owned(),
            })
            .expect("create_run");
        let key = content_key("p", &serde_json::Value::Null);
        let mut call = NewCall {
            run: &run,
            attempt: 1,
            seq: 0,
            content_key: &key,
            site: None,
            label: None,
            phase: None,
            backend: "sim",
        };
        let id = j.call_started(&call).expect("call_started");
        assert_eq!(synchronous(&j), 2);
        j.call_failed(id, "x").expect("call_failed");
        assert_eq!(synchronous(&j), 2);
        // A failing relaxed write (unknown run: foreign key) restores FULL too.
        let ghost = RunId("r-ghost".to_owned());
        call.run = &ghost;
        assert!(j.call_started(&call).is_err());
        assert_eq!(synchronous(&j), 2);
        drop(j);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn run_ids_sort_by_time() {
        let a = new_run_id(1_700_000_000_000);
        let b = new_run_id(1_700_000_000_001);
        let c = new_run_id(36_i64.pow(8));
        assert!(a < b && b < c, "{a} {b} {c}");
        assert_eq!(a.len(), 20);
        assert!(new_run_id(0).starts_with("r-000000000-"));
    }
}
