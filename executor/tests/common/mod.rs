//! Helpers shared by the executor's integration tests (`mod common;` in each test file).
#![allow(dead_code)] // each test file uses a different subset

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `node` as `command` (its arguments and environment set by the caller) with `input` as JSON
/// on stdin, and parses what it prints as JSON; `None` when `node` cannot be started.
pub fn node_json<T: serde::de::DeserializeOwned>(
    mut command: Command,
    input: &impl serde::Serialize,
) -> Option<T> {
    let mut child = match command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("skipping the differential test: cannot run `node` ({e})");
            return None;
        }
    };
    let text = serde_json::to_string(input).expect("serializable");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(text.as_bytes())
        .expect("write to node");
    let out = child.wait_with_output().expect("node runs");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("node prints JSON"))
}

/// A small deterministic generator (splitmix64), independent of the code under test, so a
/// failing generated case is reproducible from its seed.
pub struct Gen(pub u64);

impl Gen {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}
