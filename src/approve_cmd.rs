//! `wfc approve`: record scripts' plan hashes in `wfc.lock`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use wfc_compiler::plan_hash;

use crate::lockfile::{self, ApprovedEntry, Lockfile, Upsert};
use crate::{exit, plan_cmd, ColorChoice};

#[derive(Args)]
pub struct ApproveArgs {
    /// The scripts to approve.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The workflow's `args` (inline JSON or a JSON file): the approval then holds only for these
    /// args, and bounds become numbers. Without it the approval holds for any args.
    #[arg(long, value_name = "FILE_OR_JSON")]
    args: Option<String>,
    /// The lock file to update.
    #[arg(long, value_name = "FILE", default_value = lockfile::FILE_NAME)]
    lock: PathBuf,
    /// Configuration file (default: the nearest wfc.toml); its `[limits]` are approved too.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// One script's approval, before anything is written.
struct Approval {
    file: PathBuf,
    entry: ApprovedEntry,
}

pub fn run(a: &ApproveArgs) -> u8 {
    let config = match plan_cmd::load_config(a.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let args = match a.args.as_deref().map(plan_cmd::load_args).transpose() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    };
    let mut lock = match Lockfile::load(&a.lock) {
        Ok(l) => l.unwrap_or_default(),
        Err(e) => {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    };

    // Every script is compiled and checked before anything is recorded: approving is all or
    // nothing, so a refused script never leaves the others half approved.
    let mut approvals = Vec::new();
    let mut code = exit::OK;
    for file in &a.files {
        // `analyse` renders the errors as `wfc check` does, and refuses scripts it cannot plan.
        let (output, analysis) = match plan_cmd::analyse(file, a.args.as_deref(), a.color, &config)
        {
            Ok(x) => x,
            Err(c) => {
                if c == exit::FINDINGS {
                    eprintln!("wfc: {} not approved: it does not compile", file.display());
                }
                code = code.max(c);
                continue;
            }
        };
        let errors = output
            .diagnostics
            .iter()
            .filter(|d| d.severity == wfc_compiler::Severity::Error)
            .count();
        let Some(workflow) = output.workflow.as_ref().filter(|_| errors == 0) else {
            eprintln!(
                "wfc: {} not approved: `wfc check` finds {errors} error{}",
                file.display(),
                if errors == 1 { "" } else { "s" }
            );
            code = code.max(exit::FINDINGS);
            continue;
        };
        let key = match lockfile::lock_key(&a.lock, file) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("wfc: {e}");
                code = code.max(exit::USAGE);
                continue;
            }
        };
        let entry = ApprovedEntry::new(
            key,
            workflow,
            &analysis,
            Some(&config.limits),
            args.as_ref(),
        );
        approvals.push(Approval {
            file: file.clone(),
            entry,
        });
    }
    if code != exit::OK {
        eprintln!("wfc: nothing recorded in {}", a.lock.display());
        return code;
    }

    let lock_name = a.lock.display();
    let mut lines = Vec::new();
    let mut changed = false;
    for Approval { file, entry } in approvals {
        let file = file.display();
        let hash = plan_hash::short(&entry.plan_hash).to_owned();
        let agents = entry.summary.agents.clone();
        match lock.upsert(entry.clone()) {
            Upsert::Added => {
                changed = true;
                lines.push(format!(
                    "{file}: approved {hash} (agents {agents}) in {lock_name}"
                ));
            }
            Upsert::Updated(old) => {
                changed = true;
                lines.push(format!(
                    "{file}: approval updated {} → {hash} (agents {agents}) in {lock_name}",
                    plan_hash::short(&old.plan_hash)
                ));
                lines.extend(
                    lockfile::describe_changes(&old, &entry)
                        .into_iter()
                        .map(|c| format!("  - {c}")),
                );
            }
            Upsert::Unchanged => lines.push(format!(
                "{file}: already approved ({hash}, agents {agents}); {lock_name} unchanged"
            )),
        }
    }
    if changed {
        if let Err(e) = lock.save(&a.lock) {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    }
    let mut out = std::io::stdout().lock();
    for l in lines {
        // A closed stdout (`| head`) does not undo the approval: ignore it.
        let _ = writeln!(out, "{l}");
    }
    exit::OK
}
