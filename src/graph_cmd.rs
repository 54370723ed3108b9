//! `wfc graph`: the plan graph as DOT or Mermaid.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use wfc_compiler::graph::PlanGraph;

use crate::{exit, plan_cmd, ColorChoice};

#[derive(Args)]
pub struct GraphArgs {
    /// The script to draw (its static plan).
    #[arg(required_unless_present = "run")]
    file: Option<PathBuf>,
    /// Draw the DAG a run executed, from its `wfc run --trace` file, instead of a plan.
    #[arg(long, value_name = "TRACE", conflicts_with = "file")]
    run: Option<PathBuf>,
    /// The workflow's `args`: inline JSON, or a path to a JSON file.
    #[arg(long, value_name = "FILE_OR_JSON")]
    args: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Configuration file (default: the nearest wfc.toml).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

pub fn run(a: &GraphArgs) -> u8 {
    if let Some(trace) = &a.run {
        return run_trace(trace, a.format);
    }
    let Some(file) = &a.file else {
        eprintln!("wfc: give a script or --run TRACE");
        return exit::USAGE;
    };
    let config = match plan_cmd::load_config(a.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (_, analysis) = match plan_cmd::analyse(file, a.args.as_deref(), a.color, &config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let g = PlanGraph::build(&analysis);
    let text = match a.format {
        GraphFormat::Dot => g.to_dot(),
        GraphFormat::Mermaid => g.to_mermaid(),
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return exit::INTERNAL;
    }
    exit::OK
}

fn run_trace(path: &std::path::Path, format: GraphFormat) -> u8 {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("wfc: cannot read {}: {e}", path.display());
            return exit::USAGE;
        }
    };
    let (records, summary) = match wfc_executor::run::trace::parse(&text) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("wfc: {} is not a wfc run trace: {e}", path.display());
            return exit::USAGE;
        }
    };
    let g = crate::run_graph::RunGraph::build(records, summary);
    let text = match format {
        GraphFormat::Dot => g.to_dot(),
        GraphFormat::Mermaid => g.to_mermaid(),
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return exit::INTERNAL;
    }
    exit::OK
}
