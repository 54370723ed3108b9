//! Turning command-line paths into the list of scripts to check.

use std::path::{Path, PathBuf};

/// Extensions treated as workflow scripts when walking a directory.
const SCRIPT_EXTENSIONS: [&str; 2] = ["js", "mjs"];

/// Expands directories into the scripts below them (sorted, so output order is stable); files
/// named explicitly are kept whatever their extension. Returns the paths and the errors of paths
/// that could not be read.
pub fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, std::io::Error)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut files, &mut errors),
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push((p.clone(), e)),
        }
    }
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, std::io::Error)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push((dir.to_path_buf(), e));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        // Skip dependency and VCS folders: they are never workflow scripts.
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if !matches!(name, "node_modules" | ".git") {
                walk(&p, files, errors);
            }
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| SCRIPT_EXTENSIONS.contains(&e))
        {
            files.push(p);
        }
    }
}
