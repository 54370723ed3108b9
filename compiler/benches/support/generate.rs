//! The workflow generator shared by the `check` bench and the `profile` example.

use std::fmt::Write;

/// A realistic workflow of about `target` bytes: meta, args normalisation, then sections that fan
/// out agents through helpers, pipelines, loops and template-literal prompts.
pub fn generate(target: usize) -> String {
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
