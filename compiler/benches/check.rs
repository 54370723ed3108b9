//! Parse alone vs the full check, on a small, a typical and a large generated script, and on the
//! scripts of `fixtures/valid` (real patterns; each iteration checks all of them).
//!
//! Run with `cargo bench -p wfc-compiler --bench check`; record results in docs/performance.md.

#[path = "support/scripts.rs"]
mod scripts;
#[path = "support/generate.rs"]
mod support;
use support::generate;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

// The `wfc` binary uses mimalloc; measure with the same allocator.
#[global_allocator]
static ALLOCATOR: wfc_compiler::alloc::Allocator = wfc_compiler::alloc::Allocator;

/// One iteration of a stage: every script of the input once. The outputs are kept and dropped
/// with the iteration, so that dropping them is measured too.
fn each<T>(texts: &[String], stage: impl Fn(&str) -> T) -> Vec<T> {
    texts.iter().map(|t| stage(t)).collect()
}

fn bench(c: &mut Criterion) {
    let inputs = [
        ("small", vec![generate(5_000)]),
        ("typical", vec![generate(20_000)]),
        ("large", vec![generate(500_000)]),
        (
            "fixtures",
            scripts::scripts_in(
                &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/valid"),
            ),
        ),
    ];
    let mut group = c.benchmark_group("check");
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(wfc_compiler::CHECK_STACK_BYTES)
        .build()
        .expect("a thread pool");
    let lint_only = wfc_compiler::CheckOptions {
        skip_bounds: true,
        ..Default::default()
    };
    for (name, texts) in &inputs {
        for t in texts {
            assert!(
                !wfc_compiler::check_text(t).has_errors(),
                "every benchmarked script must be valid"
            );
        }
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(BenchmarkId::new("parse", name), texts, |b, ts| {
            b.iter(|| {
                each(ts, |t| {
                    let mut d = Vec::new();
                    wfc_compiler::parse::parse(t, &mut d)
                })
            })
        });
        group.bench_with_input(BenchmarkId::new("parse+lower", name), texts, |b, ts| {
            b.iter(|| each(ts, wfc_compiler::compile))
        });
        group.bench_with_input(BenchmarkId::new("check-no-bounds", name), texts, |b, ts| {
            b.iter(|| each(ts, |t| wfc_compiler::check(t.as_bytes(), &lint_only)))
        });
        group.bench_with_input(BenchmarkId::new("full-check", name), texts, |b, ts| {
            b.iter(|| each(ts, wfc_compiler::check_text))
        });
        // As the CLI checks: on a rayon worker, where the analysis and the rules run side by side.
        group.bench_with_input(
            BenchmarkId::new("full-check-worker", name),
            texts,
            |b, ts| pool.install(|| b.iter(|| each(ts, wfc_compiler::check_text))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
