//! Parse alone vs the full check, on a small, a typical and a large script.
//!
//! Run with `cargo bench -p wfc-compiler --bench check`; record results in docs/performance.md.

use std::fmt::Write;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

// The `wfc` binary uses mimalloc; measure with the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A realistic workflow of about `target` bytes: meta, args normalisation, then sections that fan
/// out agents through helpers, pipelines, loops and template-literal prompts.
fn generate(target: usize) -> String {
    let mut s = String::from(
        "// generated benchmark workflow\nexport const meta = {\n  name: 'bench',\n  description: 'generated for benchmarks',\n  phases: [{ title: 'Scan' }, { title: 'Verify' }, { title: 'Report' }],\n}\n\nconst ARGS = typeof args === 'string' ? (() => { try { return JSON.parse(args) } catch (e) { return args } })() : args\nconst files = Array.isArray(ARGS?.files) ? ARGS.files.slice(0, 50) : ['a.js', 'b.js']\nconst FINDINGS = { type: 'object', required: ['findings'], properties: { findings: { type: 'array', maxItems: 10, items: { type: 'object', properties: { title: { type: 'string' }, file: { type: 'string' } } } } } }\nconst results = []\n",
    );
    let mut i = 0;
    while s.len() < target {
        let _ = write!(
            s,
            r#"
async function section{i}(items, round = 0) {{
  phase('Scan')
  const found = await pipeline(items, (file, _item, idx) =>
    agent(`Audit ${{file}} (section {i}, item ${{idx}}) for missing checks. Report concrete findings only.`, {{
      label: `scan{i}:${{file}}`, phase: 'Scan', schema: FINDINGS, effort: 'low',
    }}),
    (review) => parallel((review?.findings ?? []).map(f => () =>
      agent(`Try to refute: ${{f.title}} in ${{f.file}}`, {{ label: `verify{i}`, phase: 'Verify', model: 'haiku' }})
        .then(v => ({{ ...f, verdict: v }})))),
  )
  const confirmed = found.flat().filter(Boolean).filter(f => f.verdict && !/refuted/i.test(String(f.verdict)))
  for (let r = round; r < 3 && confirmed.length > {i} % 7; r++) {{
    const seen = new Set(confirmed.map(f => f.title))
    if (seen.size === 0) break
    log(`section {i}: round ${{r}}, ${{seen.size}} distinct findings`)
  }}
  switch (confirmed.length) {{
    case 0: return null
    default: return {{ section: {i}, count: confirmed.length, top: confirmed.slice(0, 3) }}
  }}
}}
results.push(await section{i}(files))
"#
        );
        i += 1;
    }
    s.push_str("\nphase('Report')\nreturn results.filter(Boolean)\n");
    s
}

fn bench(c: &mut Criterion) {
    let sizes = [("small", 5_000), ("typical", 20_000), ("large", 500_000)];
    let mut group = c.benchmark_group("check");
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
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
