//! `wfc graph`: the plan graph as DOT or Mermaid.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use wfc_compiler::graph::PlanGraph;

use crate::{exit, plan_cmd, ColorChoice};

#[derive(Args)]
pub struct GraphArgs {
    /// The script to draw.
    file: PathBuf,
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
    let config = match plan_cmd::load_config(a.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (_, analysis) = match plan_cmd::analyse(&a.file, a.args.as_deref(), a.color, &config) {
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
