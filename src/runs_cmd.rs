//! `wfc runs list` and `wfc runs show RUN`: the run journal's history.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use wfc_executor::journal::{Journal, RunSummary};

use crate::exit;

#[derive(Subcommand)]
pub enum RunsCommand {
    /// The most recent runs, newest first.
    List(ListArgs),
    /// One run: status, agents used, cache hits, duration and result.
    Show(ShowArgs),
}

#[derive(Args)]
pub struct ListArgs {
    /// How many runs to show.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Where the run journal lives.
    #[arg(long, value_name = "DIR", default_value = wfc_executor::journal::DEFAULT_STATE_DIR)]
    state_dir: PathBuf,
}

#[derive(Args)]
pub struct ShowArgs {
    /// The run's id, or a unique prefix of it.
    run_id: String,
    /// Where the run journal lives.
    #[arg(long, value_name = "DIR", default_value = wfc_executor::journal::DEFAULT_STATE_DIR)]
    state_dir: PathBuf,
}

pub fn run(cmd: &RunsCommand) -> u8 {
    match cmd {
        RunsCommand::List(a) => list(a),
        RunsCommand::Show(a) => show(a),
    }
}

fn open(dir: &std::path::Path) -> Result<Journal, u8> {
    if !dir.join(wfc_executor::journal::DB_FILE_NAME).exists() {
        eprintln!(
            "wfc: no run journal in {} (runs are journaled there by `wfc run`)",
            dir.display()
        );
        return Err(exit::USAGE);
    }
    Journal::open(dir).map_err(|e| {
        eprintln!("wfc: {e}");
        exit::USAGE
    })
}

fn duration(ms: Option<u64>) -> String {
    match ms {
        None => "-".into(),
        Some(ms) if ms < 1000 => format!("{ms} ms"),
        Some(ms) if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        Some(ms) => format!("{:.1} min", ms as f64 / 60_000.0),
    }
}

fn line(r: &RunSummary) -> String {
    format!(
        "{:<22} {:<11} {:>6} {:>6} {:>9} {:<7} {}",
        r.id.as_str(),
        r.status.as_str(),
        r.stats.agents_used,
        r.stats.cache_hits,
        duration(r.duration_ms),
        r.backend,
        r.script_path
    )
}

fn list(a: &ListArgs) -> u8 {
    let journal = match open(&a.state_dir) {
        Ok(j) => j,
        Err(code) => return code,
    };
    match journal.list_runs(a.limit) {
        Ok(runs) => {
            println!(
                "{:<22} {:<11} {:>6} {:>6} {:>9} {:<7} SCRIPT",
                "RUN", "STATUS", "AGENTS", "CACHED", "DURATION", "BACKEND"
            );
            for r in &runs {
                println!("{}", line(r));
            }
            exit::OK
        }
        Err(e) => {
            eprintln!("wfc: {e}");
            exit::USAGE
        }
    }
}

fn show(a: &ShowArgs) -> u8 {
    let journal = match open(&a.state_dir) {
        Ok(j) => j,
        Err(code) => return code,
    };
    let detail = match journal
        .resolve_run_id(&a.run_id)
        .and_then(|id| journal.show_run(&id))
    {
        Ok(d) => d,
        Err(e) => {
            eprintln!("wfc: {e}");
            return exit::USAGE;
        }
    };
    let s = &detail.summary;
    println!("run:         {}", s.id);
    println!("script:      {}", s.script_path);
    println!("status:      {}", s.status);
    println!("backend:     {}", s.backend);
    println!("attempts:    {}", s.attempts);
    println!(
        "agents used: {} ({} reused from the journal, {} run)",
        s.stats.agents_used, s.stats.cache_hits, s.stats.cache_misses
    );
    println!(
        "calls:       {} completed, {} failed, {} unfinished",
        detail.calls.completed, detail.calls.failed, detail.calls.running
    );
    println!("duration:    {}", duration(s.duration_ms));
    println!("plan:        {}", detail.plan_hash);
    if let Some(args) = &detail.args_json {
        println!("args:        {args}");
    }
    match (&detail.result_json, &detail.error) {
        (Some(r), _) => println!("result:      {r}"),
        (None, Some(e)) => println!("error:       {e}"),
        _ => {}
    }
    exit::OK
}
