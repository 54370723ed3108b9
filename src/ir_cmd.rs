//! `wfc ir`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use crate::{exit, ColorChoice};

#[derive(Args)]
pub struct IrArgs {
    /// The script to compile.
    file: PathBuf,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

pub fn run(args: &IrArgs) -> u8 {
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("wfc: cannot read {}: {e}", args.file.display());
            return exit::USAGE;
        }
    };
    let output = wfc_compiler::check_bytes(&bytes);
    let name = args.file.display().to_string();
    let color = args.color.enabled(std::io::stderr().is_terminal());
    for d in output
        .diagnostics
        .iter()
        .filter(|d| d.severity == wfc_compiler::Severity::Error)
    {
        eprint!("{}", d.render(&name, &output.text, color));
    }
    let Some(workflow) = &output.workflow else {
        return exit::FINDINGS;
    };
    let mut out = std::io::stdout().lock();
    if serde_json::to_writer_pretty(&mut out, workflow).is_err() || writeln!(out).is_err() {
        return exit::INTERNAL;
    }
    if output.has_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
