//! Helpers shared by the integration tests (`mod common;` in each test file).
#![allow(dead_code)] // each test file uses a different subset

use std::path::{Path, PathBuf};
use std::process::Output;

/// Whether Node.js runs here: the tests that compare with it skip (saying so) without it.
pub fn node_available() -> bool {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `*.js` files of `fixtures/<kind>`, sorted.
pub fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("fixtures").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("wfc exited normally")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A description of a run for assertion messages.
pub fn show(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        stderr(out)
    )
}

/// A fresh, empty directory under the system temp dir, unique to this test process and `name`;
/// removed when dropped, unless `WFC_KEEP_TEMP` is set (to look at what a failing test left).
pub fn temp_dir(prefix: &str, name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("wfc-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    TempDir(dir)
}

pub struct TempDir(PathBuf);

impl TempDir {
    /// Writes `content` to `rel` inside the directory (creating its parents) and returns the path.
    pub fn write(&self, rel: &str, content: &str) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create temp subdir");
        }
        std::fs::write(&path, content).expect("write temp file");
        path
    }

    /// The directory's path as text, for command lines.
    pub fn as_str(&self) -> &str {
        self.0.to_str().expect("temp dir path is UTF-8")
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("WFC_KEEP_TEMP").is_none() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Runs the `wfc` binary in `dir`.
pub fn wfc_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_wfc"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run wfc")
}

/// xorshift64*: a small deterministic generator, so a failure names a reproducible input.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// An index in `0..n` (`0` when `n` is 0).
    pub fn pick(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }
}

/// The `--args` each valid fixture runs with (`tests/reference/fixture-args.json`).
pub fn fixture_args() -> std::collections::HashMap<String, serde_json::Value> {
    let text = std::fs::read_to_string(repo_root().join("tests/reference/fixture-args.json"))
        .expect("fixture-args.json");
    serde_json::from_str(&text).expect("fixture-args.json is JSON")
}
