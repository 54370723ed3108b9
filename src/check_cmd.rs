//! `wfc check`.

use std::io::{IsTerminal, Write};
use std::path::{Component, Path, PathBuf};

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use wfc_compiler::{suppress, CheckOptions, CheckOutput, Diagnostic, LineIndex, Severity};

use crate::{config, exit, files, github, sarif, ColorChoice};

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
    /// Skip the bounds analysis and its rules (spawn-*, items-cap-exceeded, unreachable-agent):
    /// a faster lint-only check.
    #[arg(long)]
    no_bounds: bool,
    /// The workflows' `args` (inline JSON or a JSON file): agent bounds become exact numbers.
    #[arg(long, value_name = "FILE_OR_JSON")]
    args: Option<String>,
    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Drop every diagnostic with this rule code (repeatable, or comma-separated); added to
    /// `[rules] ignore` of the configuration.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Agents one run may spawn; overrides `[limits] max-agents` of the configuration.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_agents: Option<u64>,
    /// Configuration file to use instead of the nearest `wfc.toml` in the current directory or
    /// above it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other CI tools.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::message`), one per diagnostic.
    Github,
}

/// The outcome of checking one file.
enum FileResult {
    Checked(Box<CheckOutput>),
    Unreadable(std::io::Error),
    /// The compiler panicked: a bug in wfc, reported as an internal error.
    Internal(String),
}

/// The check options from the configuration file and the command line, or the message of a
/// usage error.
fn options(args: &CheckArgs, cwd: Option<&Path>) -> Result<CheckOptions, String> {
    let config = config::load(args.config.as_deref(), cwd.unwrap_or(Path::new(".")))
        .map_err(|e| e.to_string())?;
    for code in &args.ignore {
        suppress::validate_override(code, None).map_err(|e| format!("--ignore: {e}"))?;
    }
    let mut limits = config.limits;
    if let Some(n) = args.max_agents {
        limits.max_agents = n;
    }
    let mut ignore = config.ignore;
    ignore.extend(args.ignore.iter().cloned());
    let workflow_args = args
        .args
        .as_deref()
        .map(crate::plan_cmd::load_args)
        .transpose()?;
    Ok(CheckOptions {
        args: workflow_args,
        limits,
        ignore,
        severity: config.severity,
        skip_bounds: args.no_bounds,
        ..CheckOptions::default()
    })
}

pub fn run(args: &CheckArgs) -> u8 {
    let cwd = std::env::current_dir().ok();
    let options = match options(args, cwd.as_deref()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    };
    let (paths, walk_errors) = files::expand(&args.paths);
    let results: Vec<(PathBuf, FileResult)> = paths
        .into_par_iter()
        .map(|path| {
            let options = CheckOptions {
                path: Some(path.clone()),
                ..options.clone()
            };
            let result = check_file(&path, &options);
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
    let mut sarif_files = Vec::new();
    for (path, err) in &walk_errors {
        eprintln!("wfc: cannot read {}: {err}", path.display());
        code = code.max(exit::USAGE);
    }
    for (path, result) in &results {
        let name = path.display().to_string();
        match result {
            FileResult::Checked(output) => {
                let index = LineIndex::new(&output.text);
                let portable = portable_path(path, cwd.as_deref());
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
                        Format::Github => {
                            let _ = writeln!(
                                out,
                                "{}",
                                github::command(d, &portable, &output.text, &index)
                            );
                        }
                        Format::Sarif => {}
                    }
                }
                if args.format == Format::Sarif {
                    sarif_files.push((portable, output));
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
        Format::Sarif => {
            let files: Vec<sarif::FileReport<'_>> = sarif_files
                .iter()
                .map(|(path, output)| sarif::FileReport {
                    path,
                    text: &output.text,
                    diagnostics: &output.diagnostics,
                })
                .collect();
            let _ = serde_json::to_writer_pretty(&mut out, &sarif::log(&files, code == exit::OK));
            let _ = writeln!(out);
        }
        Format::Github => {}
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        code = code.max(exit::FINDINGS);
    }
    code
}

fn check_file(path: &Path, options: &CheckOptions) -> FileResult {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return FileResult::Unreadable(e),
    };
    match std::panic::catch_unwind(|| wfc_compiler::check(&bytes, options)) {
        Ok(output) => FileResult::Checked(Box::new(output)),
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

/// A path as CI tools want it: relative to the working directory when it is below it, without
/// `./`, with `/` separators.
pub fn portable_path(path: &Path, cwd: Option<&Path>) -> String {
    let path = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let mut root = String::new();
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Prefix(p) => root.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => root.push('/'),
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(s) => parts.push(s.to_string_lossy()),
        }
    }
    let joined = root + &parts.join("/");
    if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: CheckArgs,
    }

    fn args(argv: &[&str]) -> CheckArgs {
        Cli::parse_from(std::iter::once("check").chain(argv.iter().copied())).args
    }

    #[test]
    fn portable_paths() {
        let cwd = Path::new("/w/repo");
        assert_eq!(portable_path(Path::new("./a/b.js"), Some(cwd)), "a/b.js");
        assert_eq!(
            portable_path(Path::new("/w/repo/a/b.js"), Some(cwd)),
            "a/b.js"
        );
        assert_eq!(
            portable_path(Path::new("/elsewhere/b.js"), Some(cwd)),
            "/elsewhere/b.js"
        );
        assert_eq!(
            portable_path(Path::new("../x/b.js"), Some(cwd)),
            "../x/b.js"
        );
        assert_eq!(portable_path(Path::new("b.js"), None), "b.js");
    }

    #[test]
    fn command_line_overrides_and_extends_the_config() {
        let dir = std::env::temp_dir().join(format!("wfc-check-cmd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let config = dir.join("wfc.toml");
        std::fs::write(
            &config,
            "[limits]\nmax-agents = 200\nmax-items = 10\n[rules]\nignore = [\"unknown-meta-key\"]\n[rules.severity]\nphase-not-declared = \"off\"\n",
        )
        .expect("write config");
        let from_config = options(&args(&["x.js"]), Some(&dir));
        let from_flags = options(
            &args(&["--max-agents", "7", "--ignore", "meta-first", "x.js"]),
            Some(&dir),
        );
        let bad_flag = options(&args(&["--ignore", "nope", "x.js"]), Some(&dir));
        let _ = std::fs::remove_dir_all(&dir);

        let o = from_config.expect("valid");
        assert_eq!((o.limits.max_agents, o.limits.max_items), (200, 10));
        assert_eq!(o.ignore, ["unknown-meta-key"]);
        assert_eq!(o.severity.get("phase-not-declared"), Some(&None));
        let o = from_flags.expect("valid");
        assert_eq!((o.limits.max_agents, o.limits.max_items), (7, 10));
        assert_eq!(o.ignore, ["unknown-meta-key", "meta-first"]);
        assert!(bad_flag.expect_err("unknown code").contains("--ignore"));
    }
}
