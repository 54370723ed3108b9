//! `wfc verify`: for CI, every script passes `wfc check` and is approved in `wfc.lock` with the
//! plan it has now.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use wfc_compiler::{plan_hash, CheckOptions, Severity};

use crate::lockfile::{self, ApprovalError, Lockfile};
use crate::{check_cmd, exit, files, plan_cmd, ColorChoice};

#[derive(Args)]
pub struct VerifyArgs {
    /// Script files, or directories to search for `*.js` and `*.mjs` files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The lock file to verify against.
    #[arg(long, value_name = "FILE", default_value = lockfile::FILE_NAME)]
    lock: PathBuf,
    /// Configuration file (default: the nearest wfc.toml): its rules for the check, its
    /// `[limits]` for the plan hash (as `wfc approve` and `wfc run` use them).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// One script's verdict.
enum Verdict {
    Ok {
        hash: String,
        agents: String,
    },
    CheckFailed {
        errors: usize,
    },
    Refused(ApprovalError),
    /// The script, or the args recorded for it, could not be read: a usage error.
    Unreadable(String),
}

pub fn run(a: &VerifyArgs) -> u8 {
    let config = match plan_cmd::load_config(a.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let lock = match Lockfile::load(&a.lock) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    };
    let cwd = std::env::current_dir().ok();
    let color = a.color.enabled(std::io::stderr().is_terminal());
    let (paths, walk_errors) = files::expand(&a.paths);
    let mut code = exit::OK;
    for (path, err) in &walk_errors {
        eprintln!("wfc: cannot read {}: {err}", path.display());
        code = code.max(exit::USAGE);
    }

    let options = CheckOptions {
        limits: config.limits,
        ignore: config.ignore.clone(),
        severity: config.severity.clone(),
        ..CheckOptions::default()
    };
    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in &paths {
        let name = check_cmd::portable_path(path, cwd.as_deref());
        let verdict = verify_one(path, &name, &a.lock, lock.as_ref(), &options, color);
        let line = match &verdict {
            Verdict::Ok { hash, agents } => format!("{name}: ok ({hash}, agents {agents})"),
            Verdict::CheckFailed { errors } => format!(
                "{name}: check failed ({errors} error{})",
                if *errors == 1 { "" } else { "s" }
            ),
            Verdict::Refused(e) => e.to_string(),
            Verdict::Unreadable(e) => {
                eprintln!("wfc: {e}");
                code = code.max(exit::USAGE);
                continue;
            }
        };
        match verdict {
            Verdict::Ok { .. } => passed += 1,
            _ => {
                failed += 1;
                code = code.max(exit::FINDINGS);
            }
        }
        if writeln!(out, "{line}").is_err() {
            // The reader went away: the exit status still tells.
            break;
        }
    }
    if let Some(lock) = &lock {
        for stale in stale_entries(&a.lock, lock) {
            let _ = writeln!(
                out,
                "note: {} approves {stale}, which does not exist",
                a.lock.display()
            );
        }
    }
    let total = passed + failed;
    let _ = writeln!(
        out,
        "{passed} of {total} script{} approved and passing check",
        if total == 1 { "" } else { "s" }
    );
    code
}

fn verify_one(
    path: &Path,
    name: &str,
    lock_path: &Path,
    lock: Option<&Lockfile>,
    options: &CheckOptions,
    color: bool,
) -> Verdict {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Verdict::Unreadable(format!("cannot read {name}: {e}")),
    };
    // The entry's args, if it was approved with some: the check and the hash use them, as the
    // approved run would.
    let entry = lock.and_then(|l| {
        lockfile::lock_key(lock_path, path)
            .ok()
            .and_then(|k| l.entry(&k))
    });
    let args = match entry.map(|e| e.args_value()).transpose() {
        Ok(a) => a.flatten(),
        Err(e) => return Verdict::Unreadable(format!("{}: {e}", lock_path.display())),
    };
    let options = CheckOptions {
        path: Some(path.to_path_buf()),
        args: args.clone(),
        ..options.clone()
    };
    let output = wfc_compiler::check(&bytes, &options);
    let errors: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() || output.workflow.is_none() {
        for d in &errors {
            eprint!("{}", d.render(name, &output.text, color));
        }
        return Verdict::CheckFailed {
            errors: errors.len(),
        };
    }
    let Some(lock) = lock else {
        return Verdict::Refused(ApprovalError::NotApproved {
            file: name.to_owned(),
            lock: lock_path.display().to_string(),
            lock_exists: false,
        });
    };
    // `name` is `path` relative to the working directory: the same file, as the user sees it.
    match lock.verify(
        lock_path,
        Path::new(name),
        &output,
        args.as_ref(),
        Some(&options.limits),
    ) {
        Ok(entry) => Verdict::Ok {
            hash: plan_hash::short(&entry.plan_hash).to_owned(),
            agents: entry.summary.agents.clone(),
        },
        Err(e) => Verdict::Refused(e),
    }
}

/// Entries whose script is gone (renamed or deleted without re-approving).
fn stale_entries(lock_path: &Path, lock: &Lockfile) -> Vec<String> {
    let dir = lock_path.parent().unwrap_or(Path::new(""));
    lock.workflows
        .iter()
        .filter(|w| !dir.join(&w.path).exists())
        .map(|w| w.path.clone())
        .collect()
}
