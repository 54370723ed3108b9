//! Reading the scripts of a directory, for the bench and the profiling example.

use std::path::Path;

/// Every `*.js` directly in `dir`, in name order.
pub fn scripts_in(dir: &Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("a readable directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a readable script"))
        .collect()
}
