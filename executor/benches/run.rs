//! The executor's overhead: a 1,000-agent zero-latency fan-out (the sim backend on the virtual
//! clock, so all measured time is the evaluator's and the scheduler's), a 500-item two-stage
//! pipeline, and the same fan-out under FIFO order. Divide by the agent count for the per-agent
//! overhead (docs/performance.md).

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use wfc_executor::run::{self, NoChildren, RunOptions, Schedule, ScriptSource};
use wfc_executor::SimBackend;

#[global_allocator]
static ALLOCATOR: wfc_compiler::alloc::Allocator = wfc_compiler::alloc::Allocator;

const FAN: &str = "export const meta = { name: 'fan', description: 'fan-out' };\nconst r = await parallel(Array.from({ length: 1000 }, (_, i) => () => agent(`task ${i}`, { label: `t${i}` })));\nreturn r.filter(Boolean).length;\n";

const PIPELINE: &str = "export const meta = { name: 'pipe', description: 'pipeline' };\nconst r = await pipeline(Array.from({ length: 500 }, (_, i) => `file-${i}.ts`), f => agent(`review ${f}`, { schema: { type: 'object', properties: { ok: { type: 'boolean' }, notes: { type: 'array', items: { type: 'string' } } }, required: ['ok'] } }), (v, f) => v && v.ok ? agent(`fix ${f}`) : null);\nreturn r.length;\n";

fn compile(src: &str) -> wfc_ir::Workflow {
    wfc_compiler::check_bytes(src.as_bytes())
        .workflow
        .expect("the bench script compiles")
}

fn execute(workflow: &wfc_ir::Workflow, src: &str, schedule: Schedule) -> usize {
    let report = run::run(
        ScriptSource {
            workflow: workflow.clone(),
            source: src.to_string(),
            path: "bench.js".into(),
        },
        None,
        Arc::new(SimBackend),
        Box::new(NoChildren),
        RunOptions {
            schedule,
            ..RunOptions::default()
        },
        Box::new(|_: &run::RunEvent| {}),
    );
    assert!(report.result.is_ok());
    report.agents.len()
}

fn bench(c: &mut Criterion) {
    let fan = compile(FAN);
    let pipe = compile(PIPELINE);
    let mut g = c.benchmark_group("run");
    g.sample_size(30);
    g.bench_function("fan_out_1000_priority", |b| {
        b.iter(|| execute(&fan, FAN, Schedule::Priority))
    });
    g.bench_function("fan_out_1000_fifo", |b| {
        b.iter(|| execute(&fan, FAN, Schedule::Fifo))
    });
    g.bench_function("pipeline_500x2", |b| {
        b.iter(|| execute(&pipe, PIPELINE, Schedule::Priority))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
