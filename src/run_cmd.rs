//! `wfc run`: executes a workflow script on the DAG executor.
//!
//! The script is compiled first. Only what the JavaScript runtime itself would refuse (a script
//! that does not parse, a misplaced or empty `meta`, `import()`), and constructs the IR cannot
//! represent, stop the run; other findings of `wfc check` are reported on stderr and the run goes
//! on, so `wfc run` accepts every script the runtime accepts.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};
use wfc_compiler::diagnostic::Severity;
use wfc_compiler::{CheckOptions, CheckOutput};
use wfc_executor::backend::claude::{ClaudeBackend, ClaudeConfig};
use wfc_executor::backend::command::{CommandBackend, CommandSpec};
use wfc_executor::backend::validate::Validated;
use wfc_executor::journal::{Journal, NewRun};
use wfc_executor::run::{
    self, Clock, JournalRecorder, Loader, RunEvent, RunOptions, Schedule, ScriptSource,
};
use wfc_executor::{Backend, SimBackend};

use crate::exit;
use crate::plan_cmd::{durations, load_args, load_config};
use crate::progress::Progress;

/// Codes that stop a run: the script cannot run as written (the runtime refuses it too), or the
/// IR does not represent part of it.
const BLOCKING: &[&str] = &["unsupported-syntax", "meta-first", "meta-required"];

#[derive(Args)]
pub struct RunArgs {
    /// The workflow script.
    file: PathBuf,
    /// The workflow's `args`: inline JSON or a file holding JSON.
    #[arg(long)]
    args: Option<String>,
    #[command(flatten)]
    exec: ExecArgs,
}

/// `wfc resume`: runs a journaled run again, reusing every completed result.
#[derive(Args)]
pub struct ResumeArgs {
    /// The run's id (or a unique prefix of it), as `wfc runs list` shows it.
    run_id: String,
    /// Run every agent again instead of reusing completed results.
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    exec: ExecArgs,
}

/// How to execute: shared by `run` and `resume`.
#[derive(Args)]
pub struct ExecArgs {
    /// Who answers `agent()` calls.
    #[arg(long, value_enum, default_value_t = BackendChoice::Sim)]
    backend: BackendChoice,
    /// `--backend command`: the program to run once per agent (never through a shell).
    #[arg(long, value_name = "PROGRAM")]
    command: Option<PathBuf>,
    /// An argument for `--command` (repeat it for several).
    #[arg(long = "command-arg", value_name = "ARG", allow_hyphen_values = true)]
    command_args: Vec<String>,
    /// `--backend claude`: the Claude Code executable.
    #[arg(long, default_value = "claude")]
    claude: PathBuf,
    /// Kill an agent after this many seconds (it resolves to `null`).
    #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
    timeout: u64,
    /// The most agents that run at once.
    #[arg(long, default_value_t = run::DEFAULT_CONCURRENCY)]
    concurrency: usize,
    /// The per-run `agent()` cap (child workflows count toward it).
    #[arg(long)]
    max_agents: Option<u32>,
    /// `budget.total`, in output tokens (`null` when absent).
    #[arg(long)]
    budget: Option<f64>,
    /// The order in which ready agents start.
    #[arg(long, value_enum, default_value_t = ScheduleChoice::Priority)]
    schedule: ScheduleChoice,
    /// Machine-readable events on stderr instead of the progress display.
    #[arg(long, value_enum)]
    events: Option<EventsFormat>,
    /// Write the executed DAG as JSONL (one line per agent, then a summary).
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
    /// Print `log()` lines on stderr.
    #[arg(long, short)]
    verbose: bool,
    /// Refuse to run unless the script is approved in the lock file (`wfc approve`).
    #[arg(long)]
    require_approval: bool,
    /// The lock file for `--require-approval`.
    #[arg(long, default_value = "wfc.lock")]
    lock: PathBuf,
    /// The configuration file (default: `wfc.toml` in the current directory or above).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Where the run journal lives (`runs.db`).
    #[arg(long, value_name = "DIR", default_value = wfc_executor::journal::DEFAULT_STATE_DIR)]
    pub state_dir: PathBuf,
    /// Do not journal the run (it cannot be resumed or listed).
    #[arg(long)]
    no_journal: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BackendChoice {
    /// Deterministic simulated agents on a virtual clock (docs/sim-backend.md).
    Sim,
    /// A program per agent: prompt on stdin, answer on stdout (docs/backends.md).
    Command,
    /// Claude Code in headless print mode.
    Claude,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScheduleChoice {
    /// Longest estimated remaining path first.
    Priority,
    /// Call order, as the JavaScript runtime does.
    Fifo,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EventsFormat {
    Jsonl,
}

/// Compiles a script for running: the check output, or the message that stops the run.
pub fn compile_for_run(
    path: &Path,
    bytes: &[u8],
    options: &CheckOptions,
) -> Result<CheckOutput, Box<(CheckOutput, String)>> {
    let output = wfc_compiler::check(bytes, options);
    let blocking = output.diagnostics.iter().find(|d| {
        d.severity == Severity::Error
            && (BLOCKING.contains(&d.code)
                || wfc_compiler::suppress::UNSUPPRESSIBLE.contains(&d.code))
    });
    if let Some(d) = blocking {
        let line = wfc_compiler::diagnostic::LineIndex::new(&output.text)
            .line_col(&output.text, d.span.start)
            .0;
        let message = format!("{}: {} ({}:{line})", d.code, d.message, path.display());
        return Err(Box::new((output, message)));
    }
    if output.workflow.is_none() {
        return Err(Box::new((
            output,
            "the script could not be compiled".into(),
        )));
    }
    if let Some(w) = &output.workflow {
        if let Some(pos) = find_import(w) {
            let line = wfc_compiler::diagnostic::LineIndex::new(&output.text)
                .line_col(&output.text, pos)
                .0;
            let message = format!(
                "import() is not available in workflow scripts ({}:{line})",
                path.display()
            );
            return Err(Box::new((output, message)));
        }
    }
    Ok(output)
}

/// The offset of a dynamic `import()`, which the runtime refuses before running anything.
fn find_import(w: &wfc_ir::Workflow) -> Option<u32> {
    struct Finder(Option<u32>);
    impl wfc_ir::visit::Visitor<'_> for Finder {
        fn visit_expr(&mut self, e: &wfc_ir::Expr) {
            if let wfc_ir::ExprKind::Import { .. } = e.kind {
                self.0.get_or_insert(e.span.start);
            }
            wfc_ir::visit::walk_expr(self, e);
        }
    }
    let mut f = Finder(None);
    for s in &w.body {
        wfc_ir::visit::Visitor::visit_stmt(&mut f, s);
    }
    f.0
}

/// Loads child workflows with the compiler.
struct CompilerLoader;

impl Loader for CompilerLoader {
    fn load(&self, path: &Path) -> Result<ScriptSource, String> {
        let bytes = std::fs::read(path).map_err(|e| {
            format!(
                "cannot read {}: {}",
                path.display(),
                e.kind().to_string().replace(' ', "_").to_uppercase()
            )
        })?;
        let options = CheckOptions {
            path: Some(path.to_path_buf()),
            skip_bounds: true,
            ..CheckOptions::default()
        };
        match compile_for_run(path, &bytes, &options) {
            Ok(out) => match out.workflow {
                Some(workflow) => Ok(ScriptSource {
                    workflow,
                    source: out.text,
                    path: path.to_path_buf(),
                }),
                None => Err("the script could not be compiled".into()),
            },
            Err(failed) => Err(failed.1),
        }
    }
}

pub fn run(a: &RunArgs) -> u8 {
    let args = match a.args.as_deref().map(load_args).transpose() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    };
    let journal = if a.exec.no_journal {
        Journaling::Off
    } else {
        Journaling::New
    };
    execute(&a.file, args, &a.exec, journal)
}

/// `wfc resume RUN`.
pub fn resume(a: &ResumeArgs) -> u8 {
    let journal = match Journal::open(&a.exec.state_dir) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    };
    let run = match journal.resolve_run_id(&a.run_id) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    };
    let detail = match journal.show_run(&run) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    };
    let args = match detail
        .args_json
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
    {
        Ok(v) => v,
        Err(e) => {
            eprintln!("wfc: the journal holds unreadable args for {run}: {e}");
            return exit::INTERNAL;
        }
    };
    drop(journal);
    let file = PathBuf::from(&detail.summary.script_path);
    execute(
        &file,
        args,
        &a.exec,
        Journaling::Resume {
            run,
            no_cache: a.no_cache,
        },
    )
}

/// Whether and how a run is journaled.
enum Journaling {
    Off,
    New,
    Resume {
        run: wfc_executor::journal::RunId,
        no_cache: bool,
    },
}

/// Opens the journal and starts (or resumes) the run's record.
fn start_journal(
    exec: &ExecArgs,
    journaling: Journaling,
    file: &Path,
    bytes: &[u8],
    plan_hash: String,
    args: Option<&serde_json::Value>,
    limits: &wfc_compiler::Limits,
) -> Result<Option<JournalRecorder>, String> {
    let backend = match exec.backend {
        BackendChoice::Sim => "sim",
        BackendChoice::Command => "command",
        BackendChoice::Claude => "claude",
    };
    let run = match journaling {
        Journaling::Off => return Ok(None),
        Journaling::New => None,
        Journaling::Resume { run, no_cache } => Some((run, no_cache)),
    };
    let journal = Journal::open(&exec.state_dir).map_err(|e| e.to_string())?;
    let (run, attempt, cache) = match run {
        None => {
            let limits_json = serde_json::json!({
                "max_agents": limits.max_agents,
                "max_concurrency": limits.max_concurrency,
                "max_items": limits.max_items,
            })
            .to_string();
            let path = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
            let id = journal
                .create_run(&NewRun {
                    script_path: path.display().to_string(),
                    script_hash: format!("sha256:{}", wfc_executor::journal::sha256_hex(bytes)),
                    plan_hash,
                    args_json: args.map(|a| a.to_string()),
                    limits_json,
                    backend: backend.to_string(),
                })
                .map_err(|e| e.to_string())?;
            (id, 1, None)
        }
        Some((run, no_cache)) => {
            let attempt = if no_cache {
                journal.begin_attempt_no_cache(&run)
            } else {
                journal.begin_attempt(&run)
            }
            .map_err(|e| e.to_string())?;
            let cache = journal.cache_for(&run).map_err(|e| e.to_string())?;
            (run, attempt, Some(cache))
        }
    };
    Ok(Some(JournalRecorder::new(
        journal, run, attempt, backend, cache,
    )))
}

fn execute(
    file: &Path,
    args: Option<serde_json::Value>,
    a: &ExecArgs,
    journaling: Journaling,
) -> u8 {
    let config = match load_config(a.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("wfc: cannot read {}: {e}", file.display());
            return exit::USAGE;
        }
    };
    if a.concurrency == 0 {
        eprintln!("wfc: --concurrency must be at least 1");
        return exit::USAGE;
    }
    let mut limits = config.limits;
    if let Some(m) = a.max_agents {
        limits.max_agents = u64::from(m);
    }
    limits.max_concurrency = a.concurrency as u64;
    let options = CheckOptions {
        path: Some(file.to_path_buf()),
        args: args.clone(),
        limits,
        ignore: config.ignore.clone(),
        severity: config.severity.clone(),
        skip_bounds: false,
    };
    let name = file.display().to_string();
    let color = std::io::stderr().is_terminal();
    let output = match compile_for_run(file, &bytes, &options) {
        Ok(o) => o,
        Err(failed) => {
            let (output, message) = *failed;
            for d in output
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                eprint!("{}", d.render(&name, &output.text, color));
            }
            eprintln!("error: {message}");
            return exit::FINDINGS;
        }
    };
    let errors = output
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        eprintln!(
            "wfc: warning: `wfc check` reports {errors} error(s) in {name}; running it anyway as the runtime would"
        );
    }
    if a.require_approval {
        if let Err(e) =
            crate::lockfile::verify_approval(&a.lock, file, &output, args.as_ref(), Some(&limits))
        {
            eprintln!("wfc: {e}");
            return exit::FINDINGS;
        }
    }
    let priorities: HashMap<_, _> = output
        .analysis
        .as_ref()
        .map(|an| an.priorities(&durations(&config)).into_iter().collect())
        .unwrap_or_default();
    let (backend, clock): (Arc<dyn Backend>, Clock) = match a.backend {
        BackendChoice::Sim => (Arc::new(SimBackend), Clock::Virtual),
        BackendChoice::Command => {
            let Some(program) = &a.command else {
                eprintln!("wfc: --backend command needs --command PROGRAM");
                return exit::USAGE;
            };
            let spec = CommandSpec::new(program.clone())
                .with_args(a.command_args.clone())
                .with_timeout(Duration::from_secs(a.timeout));
            (
                Arc::new(Validated::new(CommandBackend::new(spec))),
                Clock::Real,
            )
        }
        BackendChoice::Claude => {
            let config = ClaudeConfig {
                program: a.claude.clone(),
                timeout: Duration::from_secs(a.timeout),
                ..ClaudeConfig::default()
            };
            (
                Arc::new(Validated::new(ClaudeBackend::new(config))),
                Clock::Real,
            )
        }
    };
    let plan_hash = output
        .workflow
        .as_ref()
        .map(|w| wfc_compiler::plan_hash::plan_hash(w, Some(&limits), args.as_ref()).plan)
        .unwrap_or_default();
    let Some(workflow) = output.workflow else {
        return exit::INTERNAL;
    };
    let opts = RunOptions {
        concurrency: a.concurrency,
        max_agents: u32::try_from(limits.max_agents).unwrap_or(u32::MAX),
        budget: a.budget,
        schedule: match a.schedule {
            ScheduleChoice::Priority => Schedule::Priority,
            ScheduleChoice::Fifo => Schedule::Fifo,
        },
        priorities,
        clock,
    };
    let observer: Box<dyn run::Observer> = match a.events {
        Some(EventsFormat::Jsonl) => Box::new(|e: &RunEvent| {
            if let Ok(line) = serde_json::to_string(e) {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "{line}");
            }
        }),
        None => {
            let cap = opts.max_agents;
            let verbose = a.verbose;
            let mut progress = Progress::new(std::io::stderr().is_terminal(), cap);
            Box::new(move |e: &RunEvent| {
                if verbose {
                    if let RunEvent::Log { message, .. } = e {
                        progress.println(&format!("log: {message}"));
                    }
                }
                progress.event(e);
            })
        }
    };
    let source = ScriptSource {
        workflow,
        source: output.text,
        path: file.to_path_buf(),
    };
    let recorder = match start_journal(
        a,
        journaling,
        file,
        &bytes,
        plan_hash,
        args.as_ref(),
        &limits,
    ) {
        Ok(r) => r,
        Err(err) => {
            eprintln!("wfc: {err}");
            return exit::USAGE;
        }
    };
    let run_id = recorder.as_ref().map(|r| r.run_id().clone());
    let report = run::run_with(
        source,
        args.as_ref(),
        backend,
        Box::new(CompilerLoader),
        opts,
        observer,
        recorder.map(|r| Box::new(r) as Box<dyn run::Recorder>),
    );
    if a.events.is_none() {
        let failed = report
            .agents
            .iter()
            .filter(|r| {
                matches!(
                    r.status,
                    run::AgentStatus::Failed | run::AgentStatus::Rejected
                )
            })
            .count();
        eprintln!(
            "wfc: {} agents ({failed} failed), makespan {:.1} min{}",
            report.agents.len(),
            report.makespan_ms as f64 / 60_000.0,
            if clock == Clock::Virtual {
                " (simulated)"
            } else {
                ""
            }
        );
    }
    if let Some(id) = &run_id {
        eprintln!(
            "wfc: run {id}: {} agents, {} reused from the journal, {} run",
            report.agents.len(),
            report.cache_hits,
            report.cache_misses
        );
    }
    if let Some(err) = &report.journal_error {
        eprintln!("wfc: warning: {err}");
    }
    if let Some(path) = &a.trace {
        if let Err(e) = std::fs::write(path, report.trace_jsonl()) {
            eprintln!("wfc: cannot write the trace {}: {e}", path.display());
            return exit::USAGE;
        }
    }
    match report.result {
        Ok(json) => {
            println!("{json}");
            exit::OK
        }
        Err(message) => {
            eprintln!("error: {message}");
            exit::FINDINGS
        }
    }
}
