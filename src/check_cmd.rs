//! `wfc check`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use wfc_compiler::{CheckOutput, Diagnostic, LineIndex, Severity};

use crate::{exit, files, ColorChoice};

#[derive(Args)]
pub struct CheckArgs {
    /// Script files, or directories to search for `*.js` and `*.mjs` files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with status 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// The outcome of checking one file.
enum FileResult {
    Checked(CheckOutput),
    Unreadable(std::io::Error),
    /// The compiler panicked: a bug in wfc, reported as an internal error.
    Internal(String),
}

pub fn run(args: &CheckArgs) -> u8 {
    let (paths, walk_errors) = files::expand(&args.paths);
    let results: Vec<(PathBuf, FileResult)> = paths
        .into_par_iter()
        .map(|path| {
            let result = check_file(&path);
            (path, result)
        })
        .collect();

    let stdout = std::io::stdout();
    let color = args.color.enabled(stdout.is_terminal());
    let mut out = stdout.lock();
    let mut errors = 0usize;
    let mut warnings = 0usize;
    let mut code = exit::OK;
    let mut json = Vec::new();
    for (path, err) in &walk_errors {
        eprintln!("wfc: cannot read {}: {err}", path.display());
        code = code.max(exit::USAGE);
    }
    for (path, result) in &results {
        let name = path.display().to_string();
        match result {
            FileResult::Checked(output) => {
                let index = LineIndex::new(&output.text);
                for d in &output.diagnostics {
                    match d.severity {
                        Severity::Error => errors += 1,
                        Severity::Warning => warnings += 1,
                    }
                    match args.format {
                        Format::Text => {
                            let _ = write!(out, "{}", d.render(&name, &output.text, color));
                        }
                        Format::Json => json.push(to_json(d, &name, &output.text, &index)),
                    }
                }
            }
            FileResult::Unreadable(e) => {
                eprintln!("wfc: cannot read {name}: {e}");
                code = code.max(exit::USAGE);
            }
            FileResult::Internal(msg) => {
                eprintln!("wfc: internal error while checking {name}: {msg}");
                eprintln!("wfc: this is a bug in wfc; please report it with the script");
                code = code.max(exit::INTERNAL);
            }
        }
    }
    match args.format {
        Format::Text => {
            let files = results.len();
            let _ = writeln!(
                out,
                "{} in {files} file{}",
                summary(errors, warnings),
                if files == 1 { "" } else { "s" }
            );
        }
        Format::Json => {
            let _ = serde_json::to_writer_pretty(&mut out, &json);
            let _ = writeln!(out);
        }
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        code = code.max(exit::FINDINGS);
    }
    code
}

fn check_file(path: &PathBuf) -> FileResult {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return FileResult::Unreadable(e),
    };
    match std::panic::catch_unwind(|| wfc_compiler::check_bytes(&bytes)) {
        Ok(output) => FileResult::Checked(output),
        Err(panic) => FileResult::Internal(panic_message(&panic)),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

fn to_json(d: &Diagnostic, file: &str, text: &str, index: &LineIndex) -> serde_json::Value {
    serde_json::to_value(d.to_json(file, text, index)).unwrap_or(serde_json::Value::Null)
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}
