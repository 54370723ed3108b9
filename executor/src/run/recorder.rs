//! Durable runs: what the scheduler tells a [`Recorder`] about every agent call, and the
//! journal-backed recorder of `wfc run` and `wfc resume`.
//!
//! A completed result is written (and synced) before the script sees it, so a run killed at any
//! point loses no finished agent; a resumed run hands each call whose content key has a completed
//! result that result at once, whatever the start order, and runs the others again.

use std::collections::HashMap;

use crate::journal::{CacheView, CallId, ContentKey, Journal, NewCall, RunId, RunStats, RunStatus};

use super::AgentRecord;

/// Receives the life of every agent call of a run.
pub trait Recorder {
    /// A recorded result for the call with this prompt hash (see [`crate::journal::prompt_hash`]),
    /// claimed at most once (resume). `None` runs the agent.
    fn cached(&mut self, prompt_hash: &str) -> Option<serde_json::Value>;
    /// The agent started on the backend.
    fn started(&mut self, record: &AgentRecord) -> Result<(), String>;
    /// The agent completed. When this returns `Ok`, the result is durable.
    fn completed(
        &mut self,
        seq: u32,
        answer: &serde_json::Value,
        duration_ms: u64,
    ) -> Result<(), String>;
    /// The agent failed (it resolves to `null` or rejects).
    fn failed(&mut self, seq: u32, message: &str) -> Result<(), String>;
    /// The run ended with this result (`Ok` holds the result JSON).
    fn finish(&mut self, result: &Result<String, String>, agents: usize) -> Result<(), String>;
    /// `(cache hits, cache misses)` so far.
    fn stats(&self) -> (u64, u64);
}

/// The recorder of `wfc run` and `wfc resume`: one attempt of a journaled run.
pub struct JournalRecorder {
    journal: Journal,
    run: RunId,
    attempt: u32,
    backend: String,
    cache: Option<CacheView>,
    calls: HashMap<u32, CallId>,
    hits: u64,
    misses: u64,
}

impl JournalRecorder {
    /// Records attempt `attempt` of `run`; `cache` holds the results a resume may reuse.
    pub fn new(
        journal: Journal,
        run: RunId,
        attempt: u32,
        backend: &str,
        cache: Option<CacheView>,
    ) -> JournalRecorder {
        JournalRecorder {
            journal,
            run,
            attempt,
            backend: backend.to_string(),
            cache,
            calls: HashMap::new(),
            hits: 0,
            misses: 0,
        }
    }

    pub fn run_id(&self) -> &RunId {
        &self.run
    }
}

impl Recorder for JournalRecorder {
    fn cached(&mut self, prompt_hash: &str) -> Option<serde_json::Value> {
        let key = ContentKey::from_prompt_hash(prompt_hash);
        let hit = self
            .cache
            .as_mut()
            .and_then(|c| c.claim(&key))
            .and_then(|c| serde_json::from_str(&c.result_json).ok());
        if hit.is_some() {
            self.hits += 1;
        } else {
            self.misses += 1;
        }
        hit
    }

    fn started(&mut self, record: &AgentRecord) -> Result<(), String> {
        let key = ContentKey::from_prompt_hash(&record.prompt_hash);
        let id = self
            .journal
            .call_started(&NewCall {
                run: &self.run,
                attempt: self.attempt,
                seq: u64::from(record.seq),
                content_key: &key,
                site: Some(&record.site),
                label: record.label.as_deref(),
                phase: record.phase.as_deref(),
                backend: &self.backend,
            })
            .map_err(|e| e.to_string())?;
        self.calls.insert(record.seq, id);
        Ok(())
    }

    fn completed(
        &mut self,
        seq: u32,
        answer: &serde_json::Value,
        duration_ms: u64,
    ) -> Result<(), String> {
        let Some(&id) = self.calls.get(&seq) else {
            return Ok(());
        };
        let text = serde_json::to_string(answer).map_err(|e| e.to_string())?;
        self.journal
            .call_completed(id, &text, duration_ms)
            .map_err(|e| e.to_string())
    }

    fn failed(&mut self, seq: u32, message: &str) -> Result<(), String> {
        let Some(&id) = self.calls.get(&seq) else {
            return Ok(());
        };
        self.journal
            .call_failed(id, message)
            .map_err(|e| e.to_string())
    }

    fn finish(&mut self, result: &Result<String, String>, agents: usize) -> Result<(), String> {
        let (status, json, error) = match result {
            Ok(j) => (RunStatus::Succeeded, Some(j.as_str()), None),
            Err(e) => (RunStatus::Failed, None, Some(e.as_str())),
        };
        self.journal
            .finish_run(
                &self.run,
                status,
                json,
                error,
                RunStats {
                    agents_used: agents as u64,
                    cache_hits: self.hits,
                    cache_misses: self.misses,
                },
            )
            .map_err(|e| e.to_string())
    }

    fn stats(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }
}
