//! The content key of an `agent()` call: what a resume matches completed results by.

use sha2::{Digest, Sha256};
use std::fmt;

use crate::backend::sim::call_key;

/// The version tag of the key definition. It is part of every key, so a future change of the
/// definition makes old results miss the cache instead of being handed to the wrong call.
const KEY_VERSION: &str = "v1:";

/// The content key of an `agent()` call: `v1:` followed by the lowercase hex SHA-256 of
/// `canonical({"options": options, "prompt": prompt})` (see [`content_key`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentKey(String);

impl ContentKey {
    /// The key as stored in the journal, e.g. `v1:3a7bd3e2…` (67 characters).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps a key read back from the journal. Not public: a key is only ever computed by
    /// [`content_key`], so two spellings of the same call cannot drift apart.
    pub(crate) fn from_stored(s: String) -> Self {
        ContentKey(s)
    }

    /// The content key of a call whose [`prompt_hash`] is `hash` (the scheduler has it already).
    pub fn from_prompt_hash(hash: &str) -> Self {
        ContentKey(format!("{KEY_VERSION}{hash}"))
    }
}

impl fmt::Display for ContentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The content key of a call with this prompt and these options.
///
/// The hashed text is exactly the `sim` backend's call key (`docs/sim-backend.md` §1):
/// `JSON.stringify({options, prompt})` with the keys of every object sorted by UTF-16 code units,
/// recursively, and `null` options written as `{}`. Every option — `schema`, `model`, `effort`,
/// `agentType`, `isolation`, `label`, `phase` and any key this version does not know — is part of
/// the options object and therefore of the key; the order in which the script wrote the keys is
/// not. Reusing the sim backend's function (rather than a copy) keeps the two definitions from
/// ever disagreeing about what "the same call" is.
pub fn content_key(prompt: &str, options: &serde_json::Value) -> ContentKey {
    ContentKey::from_prompt_hash(&prompt_hash(prompt, options))
}

/// The lowercase hex SHA-256 of the call key: the `prompt_hash` of run traces, and the content
/// key without its version prefix.
pub fn prompt_hash(prompt: &str, options: &serde_json::Value) -> String {
    sha256_hex(call_key(prompt, options).as_bytes())
}

/// The lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
        // `push` of two hex digits avoids the fmt machinery.
        out.push(hex_digit(byte >> 4));
        out.push(hex_digit(byte & 0x0f));
    }
    out
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble & 0x0f)])
}
