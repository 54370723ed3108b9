//! `wfc plan`: the dry run. Nothing is spawned.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;
use wfc_compiler::analysis::{durations::Durations, Analysis, Count, Makespan, Sym};
use wfc_compiler::{CheckOptions, LineIndex, Severity};

use crate::{exit, ColorChoice};

#[derive(Args)]
pub struct PlanArgs {
    /// The script to plan.
    file: PathBuf,
    /// The workflow's `args`: inline JSON, or a path to a JSON file. Bounds become numbers.
    #[arg(long, value_name = "FILE_OR_JSON")]
    args: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    format: PlanFormat,
    /// Agents running at once (default: `[limits] max-concurrency` in wfc.toml, else 16).
    #[arg(long)]
    concurrency: Option<u64>,
    /// Configuration file (default: the nearest wfc.toml).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
}

/// Parses `--args`: inline JSON, else a file holding JSON.
pub fn load_args(spec: &str) -> Result<serde_json::Value, String> {
    if let Ok(v) = serde_json::from_str(spec) {
        return Ok(v);
    }
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("--args is neither JSON nor a readable file ({spec}): {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("--args file {spec} is not valid JSON: {e}"))
}

/// The configuration for `plan` and `graph`, or the exit code of a usage error.
pub fn load_config(explicit: Option<&std::path::Path>) -> Result<crate::config::Config, u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    crate::config::load(explicit, &cwd).map_err(|e| {
        eprintln!("wfc: {e}");
        exit::USAGE
    })
}

/// wfc's duration estimates with the `[durations]` of the configuration applied: model entries
/// are minutes, `effort.<level>` entries multiply them.
pub fn durations(config: &crate::config::Config) -> Durations {
    let mut d = Durations::default();
    if let Some(m) = config.durations.default {
        d.default = m;
    }
    d.models.extend(config.durations.models.clone());
    d.efforts.extend(config.durations.efforts.clone());
    d
}

/// Compiles and analyses a script for `plan` and `graph`; prints errors and returns the exit
/// code on failure.
pub fn analyse(
    file: &PathBuf,
    args: Option<&str>,
    color: ColorChoice,
    config: &crate::config::Config,
) -> Result<(wfc_compiler::CheckOutput, Analysis), u8> {
    let bytes = std::fs::read(file).map_err(|e| {
        eprintln!("wfc: cannot read {}: {e}", file.display());
        exit::USAGE
    })?;
    let args = match args.map(load_args).transpose() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("wfc: {e}");
            return Err(exit::USAGE);
        }
    };
    let options = CheckOptions {
        path: Some(file.clone()),
        args,
        limits: config.limits,
        ignore: config.ignore.clone(),
        severity: config.severity.clone(),
        skip_bounds: false,
    };
    let output = wfc_compiler::check(&bytes, &options);
    let name = file.display().to_string();
    let color = color.enabled(std::io::stderr().is_terminal());
    for d in output
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        eprint!("{}", d.render(&name, &output.text, color));
    }
    // A plan of a script that did not parse cleanly would describe a guess: refuse it.
    let unparsable = output
        .diagnostics
        .iter()
        .any(|d| wfc_compiler::suppress::UNSUPPRESSIBLE.contains(&d.code));
    match output.analysis.clone() {
        Some(a) if !unparsable => Ok((output, a)),
        _ => Err(exit::FINDINGS),
    }
}

#[derive(Serialize)]
struct PlanJson<'a> {
    name: Option<String>,
    description: Option<String>,
    phases: Vec<String>,
    args_known: bool,
    total_agents: CountJson,
    max_items_per_call: CountJson,
    demand: String,
    sites: Vec<SiteJson<'a>>,
    makespan: MakespanJson,
    unbounded: Vec<UnboundedJson>,
    plan: &'a wfc_compiler::analysis::Plan,
}

#[derive(Serialize)]
struct CountJson {
    min: u64,
    max: String,
    /// The maximum as a number, when it is one (`null` when symbolic or unbounded).
    max_value: Option<f64>,
}

impl From<&Count> for CountJson {
    fn from(c: &Count) -> Self {
        CountJson {
            min: c.lo,
            max: c.hi.to_string(),
            max_value: c.hi.as_constant(),
        }
    }
}

#[derive(Serialize)]
struct SiteJson<'a> {
    id: String,
    line: u32,
    column: u32,
    label: Option<&'a str>,
    phase: Option<&'a str>,
    model: Option<&'a str>,
    effort: Option<&'a str>,
    prompt: Option<&'a str>,
    count: CountJson,
    reachable: bool,
}

#[derive(Serialize)]
struct MakespanJson {
    work_agent_minutes: String,
    critical_path_minutes: String,
    critical_path: Vec<String>,
    concurrency: u64,
    interval_minutes: Option<(f64, f64)>,
}

#[derive(Serialize)]
struct UnboundedJson {
    line: u32,
    column: u32,
    reason: String,
}

pub fn run(a: &PlanArgs) -> u8 {
    let config = match load_config(a.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (output, analysis) = match analyse(&a.file, a.args.as_deref(), a.color, &config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let text = &output.text;
    let index = LineIndex::new(text);
    let concurrency = a.concurrency.unwrap_or(config.limits.max_concurrency);
    let makespan = analysis.makespan(&durations(&config), concurrency);
    let meta = meta_summary(output.workflow.as_ref());
    let mut out = std::io::stdout().lock();
    let result = match a.format {
        PlanFormat::Json => {
            let json = PlanJson {
                name: meta.0.clone(),
                description: meta.1.clone(),
                phases: meta.2.clone(),
                args_known: a.args.is_some(),
                total_agents: (&analysis.total).into(),
                max_items_per_call: (&analysis.max_items).into(),
                demand: analysis.demand.to_string(),
                sites: analysis
                    .sites
                    .iter()
                    .map(|s| {
                        let (line, column) = index.line_col(text, s.span.start);
                        SiteJson {
                            id: s.id.to_string(),
                            line,
                            column,
                            label: s.label.as_deref(),
                            phase: s.phase.as_deref(),
                            model: s.model.as_deref(),
                            effort: s.effort.as_deref(),
                            prompt: s.prompt.as_deref(),
                            count: (&s.count).into(),
                            reachable: s.reachable,
                        }
                    })
                    .collect(),
                makespan: MakespanJson {
                    work_agent_minutes: makespan.work.to_string(),
                    critical_path_minutes: makespan.critical_path.to_string(),
                    critical_path: makespan.path.iter().map(|s| s.to_string()).collect(),
                    concurrency: makespan.concurrency,
                    interval_minutes: makespan.interval,
                },
                unbounded: unbounded_reasons(&analysis)
                    .into_iter()
                    .map(|(span, why)| {
                        let (line, column) = index.line_col(text, span.start);
                        UnboundedJson {
                            line,
                            column,
                            reason: why,
                        }
                    })
                    .collect(),
                plan: &analysis.plan,
            };
            serde_json::to_writer_pretty(&mut out, &json)
                .map_err(std::io::Error::other)
                .and_then(|_| writeln!(out))
        }
        PlanFormat::Text => {
            write_text(&mut out, &a.file, text, &index, &analysis, &makespan, &meta)
        }
    };
    match result {
        // The reader went away (`wfc plan … | head`): not an error of wfc's.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return exit::OK,
        Err(_) => return exit::INTERNAL,
        Ok(()) => {}
    }
    if output.has_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

pub(crate) type Meta = (Option<String>, Option<String>, Vec<String>);

/// `meta.name`, `meta.description` and the phase titles, when written literally.
pub(crate) fn meta_summary(w: Option<&wfc_ir::Workflow>) -> Meta {
    let Some(value) = w.and_then(|w| w.meta_value()) else {
        return (None, None, Vec::new());
    };
    let wfc_ir::ExprKind::Object { props } = &value.kind else {
        return (None, None, Vec::new());
    };
    let field = |name: &str| {
        props.iter().find_map(|p| match p {
            wfc_ir::ObjectProp::KeyValue {
                key: wfc_ir::PropKey::Named { name: k, .. },
                value,
            } if k == name => Some(value),
            _ => None,
        })
    };
    let string = |e: &wfc_ir::Expr| match &e.kind {
        wfc_ir::ExprKind::Literal {
            value: wfc_ir::Literal::String(s),
        } => Some(s.to_string()),
        _ => None,
    };
    let phases = match field("phases").map(|e| &e.kind) {
        Some(wfc_ir::ExprKind::Array { elements }) => elements
            .iter()
            .filter_map(|el| match el {
                wfc_ir::ArrayElement::Expr {
                    expr:
                        wfc_ir::Expr {
                            kind: wfc_ir::ExprKind::Object { props },
                            ..
                        },
                } => props.iter().find_map(|p| match p {
                    wfc_ir::ObjectProp::KeyValue {
                        key: wfc_ir::PropKey::Named { name, .. },
                        value,
                    } if name == "title" => string(value),
                    _ => None,
                }),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    (
        field("name").and_then(string),
        field("description").and_then(string),
        phases,
    )
}

/// Every distinct reason something is unbounded, in source order.
pub fn unbounded_reasons(a: &Analysis) -> Vec<(wfc_ir::Span, String)> {
    let mut out: Vec<(wfc_ir::Span, String)> = Vec::new();
    let mut push = |s: &Sym| {
        if let Some(r) = s.reason() {
            if !out.iter().any(|(sp, w)| *sp == r.span && *w == r.why) {
                out.push((r.span, r.why.clone()));
            }
        }
    };
    for s in &a.sites {
        push(&s.count.hi);
    }
    push(&a.max_items.hi);
    for r in &a.untracked {
        push(&Sym::Unbounded {
            reason: Box::new(r.clone()),
        });
    }
    out.sort_by_key(|(s, _)| *s);
    out
}

pub(crate) fn count_text(c: &Count) -> String {
    match (c.hi.as_constant(), c.lo) {
        (Some(h), lo) if h == lo as f64 => format!("{lo}"),
        (_, 0) => format!("≤ {}", c.hi),
        (_, lo) => format!("{lo} … {}", c.hi),
    }
}

fn write_text(
    out: &mut impl Write,
    file: &std::path::Path,
    text: &str,
    index: &LineIndex,
    a: &Analysis,
    m: &Makespan,
    meta: &Meta,
) -> std::io::Result<()> {
    writeln!(out, "plan for {}", file.display())?;
    if let Some(n) = &meta.0 {
        writeln!(
            out,
            "  workflow     {n}{}",
            meta.1
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        )?;
    }
    if !meta.2.is_empty() {
        writeln!(out, "  phases       {}", meta.2.join(" → "))?;
    }
    writeln!(out, "  agents       {}", count_text(&a.total))?;
    writeln!(out, "  widest call  {} items", count_text(&a.max_items))?;
    writeln!(
        out,
        "  at once      ≤ {} demanded (≤ {} running)",
        a.demand, m.concurrency
    )?;
    writeln!(out)?;
    writeln!(out, "sites")?;
    for s in &a.sites {
        let (line, col) = index.line_col(text, s.span.start);
        let mut opts = Vec::new();
        if let Some(l) = &s.label {
            opts.push(format!("label {l:?}"));
        }
        if let Some(p) = &s.phase {
            opts.push(format!("phase {p:?}"));
        }
        if let Some(mo) = &s.model {
            opts.push(format!("model {mo}"));
        }
        if let Some(e) = &s.effort {
            opts.push(format!("effort {e}"));
        }
        let times = if s.reachable {
            count_text(&s.count)
        } else {
            "0 (never called)".into()
        };
        writeln!(
            out,
            "  {:<4} {:>5}:{:<3} × {:<24} {}",
            s.id.to_string(),
            line,
            col,
            times,
            opts.join(", ")
        )?;
        if let Some(p) = &s.prompt {
            writeln!(out, "                  {p}")?;
        }
    }
    writeln!(out)?;
    let path: Vec<String> = m.path.iter().map(|s| s.to_string()).collect();
    writeln!(
        out,
        "critical path  {} ({} min)",
        if path.is_empty() {
            "-".into()
        } else {
            path.join(" → ")
        },
        m.critical_path
    )?;
    writeln!(out, "work           {} agent-min", m.work)?;
    match m.interval {
        Some((lo, hi)) => writeln!(
            out,
            "makespan       {lo:.1} – {hi:.1} min with {} at once  [max(W/P, L), W/P + (1 − 1/P)·L]",
            m.concurrency
        )?,
        None => writeln!(out, "makespan       unknown until the inputs are (pass --args)")?,
    }
    let reasons = unbounded_reasons(a);
    if !reasons.is_empty() {
        writeln!(out)?;
        writeln!(out, "unbounded")?;
        for (span, why) in reasons {
            let (line, col) = index.line_col(text, span.start);
            writeln!(out, "  {line}:{col}  {why}")?;
        }
    }
    Ok(())
}
