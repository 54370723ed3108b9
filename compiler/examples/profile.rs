//! Runs one stage of the check many times on a generated workflow, for profilers:
//!
//! ```text
//! cargo build --release -p wfc-compiler --example profile
//! valgrind --tool=callgrind target/release/examples/profile full 20000 10
//! ```
//!
//! Stages: `parse`, `lower` (parse and lower), `lint` (`--no-bounds`), `full`, `analysis`
//! (the bounds analysis alone, on an already lowered workflow), `full-pool` (the full check on a
//! rayon worker with the CLI's stack size, where the analysis and the rules run side by side),
//! `print` (write the generated script to stdout, to time the `wfc` binary on it), `ratio` (median
//! wall-time ratios of every stage to parsing, interleaved so that drift cancels),
//! `ratio-big-stack` (the same on a thread with the check's stack, so that no stage switches
//! stacks), `passes` (how many passes the analysis takes to its fixpoint), `phases` (the wall time
//! of each phase of a full check, timed inside the check, so that each runs with the caches the
//! phases before it leave).
//!
//! SIZE is the size of the generated script, or the path of a script or of a directory of scripts
//! (every stage then runs over all of them) to use instead.

#[path = "../benches/support/scripts.rs"]
mod scripts;
#[path = "../benches/support/generate.rs"]
mod support;

#[global_allocator]
static ALLOCATOR: wfc_compiler::alloc::Allocator = wfc_compiler::alloc::Allocator;

fn main() {
    let mut argv = std::env::args().skip(1);
    let stage = argv.next().unwrap_or_else(|| "full".into());
    let source = argv.next().unwrap_or_else(|| "20000".into());
    let times: usize = argv.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let texts = load(&source);
    if stage == "ratio" {
        ratios(&texts, times);
        return;
    }
    if stage == "phases" {
        phases(&texts, times);
        return;
    }
    if stage == "ratio-big-stack" {
        let on_thread = std::thread::Builder::new()
            .stack_size(wfc_compiler::CHECK_STACK_BYTES)
            .spawn(move || ratios(&texts, times))
            .expect("a thread");
        on_thread.join().expect("the ratios");
        return;
    }
    if stage == "print" || stage == "passes" {
        for text in &texts {
            if stage == "print" {
                print!("{text}");
                continue;
            }
            let (workflow, _) = wfc_compiler::compile(text);
            let workflow = workflow.expect("the script lowers");
            let out = wfc_compiler::analysis::interp::run(&workflow, text, None);
            println!("{}", out.passes);
        }
        return;
    }
    let lint = wfc_compiler::CheckOptions {
        skip_bounds: true,
        ..Default::default()
    };
    let workflows: Vec<_> = texts
        .iter()
        .map(|t| wfc_compiler::compile(t).0.expect("the script lowers"))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(wfc_compiler::CHECK_STACK_BYTES)
        .build()
        .expect("a thread pool");
    let start = std::time::Instant::now();
    let mut sink = 0usize;
    for _ in 0..times {
        for (text, workflow) in texts.iter().zip(&workflows) {
            sink += match stage.as_str() {
                "parse" => {
                    let mut d = Vec::new();
                    usize::from(wfc_compiler::parse::parse(text, &mut d).is_some())
                }
                "lower" => wfc_compiler::compile(text).1.len(),
                "lint" => wfc_compiler::check(text.as_bytes(), &lint)
                    .diagnostics
                    .len(),
                "full" => wfc_compiler::check_text(text).diagnostics.len(),
                "full-pool" => pool.install(|| wfc_compiler::check_text(text).diagnostics.len()),
                "analysis" => wfc_compiler::analysis::analyze(workflow, text, None)
                    .sites
                    .len(),
                other => {
                    eprintln!("unknown stage {other}: parse, lower, lint, full or analysis");
                    std::process::exit(2);
                }
            };
        }
    }
    let per = start.elapsed() / times as u32;
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!("{stage} on {bytes} bytes: {per:?} per run ({sink})");
}

/// Wall-time ratios to parsing, robust to this VM's drift: 21 rounds, each timing `times` runs of
/// every stage back to back, and the median of each round's ratio.
fn ratios(texts: &[String], times: usize) {
    let lint = wfc_compiler::CheckOptions {
        skip_bounds: true,
        ..Default::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(wfc_compiler::CHECK_STACK_BYTES)
        .build()
        .expect("a thread pool");
    let time = |f: &dyn Fn() -> usize| {
        let start = std::time::Instant::now();
        let mut sink = 0;
        for _ in 0..times {
            sink += f();
        }
        std::hint::black_box(sink);
        start.elapsed().as_secs_f64() / times as f64
    };
    let stages: [(&str, &dyn Fn() -> usize); 3] = [
        ("parse+lower", &|| {
            all(texts, |t| wfc_compiler::compile(t).1.len())
        }),
        ("lint", &|| {
            all(texts, |t| {
                wfc_compiler::check(t.as_bytes(), &lint).diagnostics.len()
            })
        }),
        ("full", &|| {
            all(texts, |t| wfc_compiler::check_text(t).diagnostics.len())
        }),
    ];
    let mut rounds: Vec<Vec<f64>> = vec![Vec::new(); stages.len()];
    let mut parses = Vec::new();
    let mut worker = Vec::new();
    for _ in 0..21 {
        let parse = time(&|| {
            all(texts, |t| {
                let mut d = Vec::new();
                usize::from(wfc_compiler::parse::parse(t, &mut d).is_some())
            })
        });
        parses.push(parse);
        for (i, (_, f)) in stages.iter().enumerate() {
            rounds[i].push(time(*f) / parse);
        }
        // As `wfc check` runs: every check on a worker of a pool whose threads have the check's
        // stack (so none switches stacks), the analysis and the IR rules side by side.
        let on_worker = pool
            .install(|| time(&|| all(texts, |t| wfc_compiler::check_text(t).diagnostics.len())));
        worker.push(on_worker / parse);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "{} bytes: parse {:.0} µs (median of 21 rounds of {times})",
        texts.iter().map(String::len).sum::<usize>(),
        median(&mut parses) * 1e6
    );
    for ((name, _), r) in stages.iter().zip(rounds.iter_mut()) {
        println!("  {name}: {:.2}× parse", median(r));
    }
    println!("  full on a worker: {:.2}× parse", median(&mut worker));
}

/// Where the wall time of a full check goes: each phase of `check` timed inside the check, so
/// that each runs with the caches the phases before it leave (unlike a stage run on its own).
fn phases(texts: &[String], times: usize) {
    use std::time::Instant;
    let names = [
        "decode",
        "parse",
        "lower",
        "drop ast",
        "index",
        "rules",
        "analysis",
        "bounds rules",
        "drop all",
    ];
    let mut spent = vec![0f64; names.len()];
    let options = wfc_compiler::CheckOptions::default();
    for _ in 0..times {
        for text in texts {
            let mut d = Vec::new();
            let mut t = Instant::now();
            let mut lap = |i: usize, t: &mut Instant| {
                let now = Instant::now();
                spent[i] += (now - *t).as_secs_f64();
                *t = now;
            };
            let decoded = wfc_compiler::parse::decode(text.as_bytes(), &mut d);
            lap(0, &mut t);
            let (module, comments) =
                wfc_compiler::parse::parse_with_comments(&decoded.text, &mut d);
            lap(1, &mut t);
            let module = module.expect("the script parses");
            let w = wfc_compiler::parse::lower::lower(&module, &decoded.text, &mut d);
            lap(2, &mut t);
            drop(module);
            lap(3, &mut t);
            let index = wfc_compiler::index::ExprIndex::of(&w);
            lap(4, &mut t);
            let mut found = Vec::new();
            wfc_compiler::rules::run_ir(&decoded.text, &w, &index, &options, &mut found);
            lap(5, &mut t);
            let a = wfc_compiler::analysis::analyze_indexed(&w, &index, &decoded.text, None);
            lap(6, &mut t);
            wfc_compiler::rules::run_bounds(&decoded.text, &w, &index, &a, &options, &mut found);
            lap(7, &mut t);
            drop((index, a, found, comments, decoded, d));
            drop(w);
            lap(8, &mut t);
        }
    }
    let total: f64 = spent.iter().sum();
    for (name, s) in names.iter().zip(&spent) {
        println!(
            "{name:>13}: {:7.1} µs  {:4.1} %",
            s / times as f64 * 1e6,
            s / total * 100.0
        );
    }
}

/// One run of a stage: every script once.
fn all(texts: &[String], f: impl Fn(&str) -> usize) -> usize {
    texts.iter().map(|t| f(t)).sum()
}

/// The generated script of SIZE bytes, the script at a path, or every `*.js` below a directory.
fn load(source: &str) -> Vec<String> {
    if let Ok(size) = source.parse::<usize>() {
        return vec![support::generate(size)];
    }
    let path = std::path::Path::new(source);
    if !path.is_dir() {
        return vec![std::fs::read_to_string(path).expect("a readable script")];
    }
    scripts::scripts_in(path)
}
