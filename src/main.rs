//! `wfc`: the workflow compiler's command line.

mod approve_cmd;
mod check_cmd;
mod config;
mod files;
mod github;
mod graph_cmd;
mod ir_cmd;
mod lockfile;
mod plan_cmd;
mod progress;
mod run_cmd;
mod run_graph;
mod runs_cmd;
mod sarif;
mod verify_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[global_allocator]
static ALLOCATOR: wfc_compiler::alloc::Allocator = wfc_compiler::alloc::Allocator;

/// Exit codes, as actionlint: 0 clean, 1 problems found, 2 usage or input error, 3 internal error.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INTERNAL: u8 = 3;
}

#[derive(Parser)]
#[command(
    name = "wfc",
    version,
    about = "Compile and check AI-agent workflow scripts without running them"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check workflow scripts: syntax, meta, determinism, forbidden APIs, agent options.
    Check(check_cmd::CheckArgs),
    /// Print a script's intermediate representation as JSON.
    Ir(ir_cmd::IrArgs),
    /// Dry run: agent bounds per site, total, critical path and predicted makespan.
    Plan(plan_cmd::PlanArgs),
    /// The plan graph (agent sites, fan-outs, loops) as DOT or Mermaid.
    Graph(graph_cmd::GraphArgs),
    /// Approve scripts' plans: record their plan hashes in wfc.lock.
    Approve(approve_cmd::ApproveArgs),
    /// For CI: every script passes check and is approved in wfc.lock with its current plan.
    Verify(verify_cmd::VerifyArgs),
    /// Run a workflow on the DAG executor (simulated agents by default).
    Run(run_cmd::RunArgs),
    /// Run a journaled run again: completed agents are reused, the rest run.
    Resume(run_cmd::ResumeArgs),
    /// The run journal: `wfc runs list`, `wfc runs show RUN`.
    #[command(subcommand)]
    Runs(runs_cmd::RunsCommand),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn enabled(self, stream_is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stream_is_terminal && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Checks run on rayon's workers; with stacks this size they never switch stacks. Should the
    // pool not start (address space too small for the reservation), it starts with the default
    // stacks and each check grows its own.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(wfc_compiler::CHECK_STACK_BYTES)
        .build_global();
    let code = match cli.command {
        Command::Check(args) => check_cmd::run(&args),
        Command::Ir(args) => ir_cmd::run(&args),
        Command::Plan(args) => plan_cmd::run(&args),
        Command::Graph(args) => graph_cmd::run(&args),
        Command::Approve(args) => approve_cmd::run(&args),
        Command::Verify(args) => verify_cmd::run(&args),
        Command::Run(args) => run_cmd::run(&args),
        Command::Resume(args) => run_cmd::resume(&args),
        Command::Runs(cmd) => runs_cmd::run(&cmd),
    };
    ExitCode::from(code)
}
