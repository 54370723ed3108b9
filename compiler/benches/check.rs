//! Parse alone vs the full check, on a small, a typical and a large script.
//!
//! Run with `cargo bench -p wfc-compiler --bench check`; record results in docs/performance.md.

#[path = "support/generate.rs"]
mod support;
use support::generate;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

// The `wfc` binary uses mimalloc; measure with the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let sizes = [("small", 5_000), ("typical", 20_000), ("large", 500_000)];
    let mut group = c.benchmark_group("check");
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(wfc_compiler::CHECK_STACK_BYTES)
        .build()
        .expect("a thread pool");
    for (name, size) in sizes {
        let text = generate(size);
        assert!(
            !wfc_compiler::check_text(&text).has_errors(),
            "the generated script must be valid"
        );
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", name), &text, |b, t| {
            b.iter(|| {
                let mut d = Vec::new();
                wfc_compiler::parse::parse(t, &mut d)
            })
        });
        group.bench_with_input(BenchmarkId::new("parse+lower", name), &text, |b, t| {
            b.iter(|| wfc_compiler::compile(t))
        });
        let lint_only = wfc_compiler::CheckOptions {
            skip_bounds: true,
            ..Default::default()
        };
        group.bench_with_input(BenchmarkId::new("check-no-bounds", name), &text, |b, t| {
            b.iter(|| wfc_compiler::check(t.as_bytes(), &lint_only))
        });
        group.bench_with_input(BenchmarkId::new("full-check", name), &text, |b, t| {
            b.iter(|| wfc_compiler::check_text(t))
        });
        // As the CLI checks: on a rayon worker, where the analysis and the rules run side by side.
        group.bench_with_input(
            BenchmarkId::new("full-check-worker", name),
            &text,
            |b, t| pool.install(|| b.iter(|| wfc_compiler::check_text(t))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
