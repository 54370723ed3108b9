//! The completed results a resume may reuse, claimed one at a time.

use std::collections::{HashMap, VecDeque};

use super::key::ContentKey;
use super::CallId;

/// A completed result handed to a call on resume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedResult {
    /// The result exactly as it was recorded by [`Journal::call_completed`](super::Journal::call_completed).
    pub result_json: String,
    /// The journal row it came from.
    pub call_id: CallId,
    /// How long the original call took.
    pub duration_ms: u64,
}

/// The completed results of a run, loaded once at the start of a resume
/// ([`Journal::cache_for`](super::Journal::cache_for)).
///
/// Calls with the same content key are distinct calls (three identical juror prompts are three
/// jurors), so each completed result is handed out at most once: [`CacheView::claim`] returns the
/// results recorded for a key in completion order (by attempt, then in the order
/// [`Journal::call_completed`](super::Journal::call_completed) committed them) and `None` once
/// they are used up; the call then runs again. Because the order depends only on
/// what was recorded, not on the order in which the resumed script starts its calls, the n-th
/// claimant of a key gets the n-th completion whatever the scheduling.
#[derive(Debug, Default, Clone)]
pub struct CacheView {
    by_key: HashMap<ContentKey, VecDeque<CachedResult>>,
    remaining: usize,
}

impl CacheView {
    pub(super) fn push(&mut self, key: ContentKey, result: CachedResult) {
        self.by_key.entry(key).or_default().push_back(result);
        self.remaining += 1;
    }

    /// The next unclaimed completed result for `key`, if any. Each result is returned once.
    pub fn claim(&mut self, key: &ContentKey) -> Option<CachedResult> {
        let queue = self.by_key.get_mut(key)?;
        let result = queue.pop_front()?;
        if queue.is_empty() {
            // Drop emptied queues so a long resume does not keep every key around.
            self.by_key.remove(key);
        }
        self.remaining -= 1;
        Some(result)
    }

    /// How many results for `key` are still unclaimed.
    pub fn available(&self, key: &ContentKey) -> usize {
        self.by_key.get(key).map_or(0, VecDeque::len)
    }

    /// How many results are still unclaimed, over all keys.
    pub fn len(&self) -> usize {
        self.remaining
    }

    /// Whether every result has been claimed (or there were none).
    pub fn is_empty(&self) -> bool {
        self.remaining == 0
    }
}
