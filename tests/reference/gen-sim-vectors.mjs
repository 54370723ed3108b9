// Regenerates sim-vectors.json, the golden vectors of the sim backend (docs/sim-backend.md):
//   node tests/reference/gen-sim-vectors.mjs > tests/reference/sim-vectors.json
// Only do this after a deliberate change to the algorithm (made in docs/sim-backend.md, in
// runtime.mjs and in the Rust executor alike); runtime.test.mjs also derives several of these
// values independently, from the spec text.
import { simulate, hex8 } from './runtime.mjs';
const cases = [
  { name: 'no options', prompt: 'hello', options: {} },
  { name: 'label, no schema', prompt: 'hello', options: { label: 'greet' } },
  { name: 'boolean schema', prompt: 'Is the build green?', options: { schema: { type: 'boolean' } } },
  { name: 'object: string + bounded integer', prompt: 'p', options: { schema: { type: 'object', properties: { a: { type: 'string' }, n: { type: 'integer', minimum: 5, maximum: 9 } } } } },
  { name: 'findings schema, opus/high', prompt: 'Audit src/routes/users.ts for missing authentication checks.', options: { label: 'audit:src/routes/users.ts', phase: 'Audit', model: 'opus', effort: 'high', schema: { type: 'object', required: ['findings'], properties: { findings: { type: 'array', items: { type: 'object', required: ['title', 'line', 'severity'], properties: { title: { type: 'string' }, line: { type: 'integer' }, severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] } } } } } } } },
  { name: 'keywords: const, anyOf, oneOf, type arrays, min/max, lengths', prompt: 'kw', options: { schema: { type: 'object', properties: {
      c: { const: { fixed: [1, 2] } },
      any: { anyOf: [{ type: 'integer', minimum: -3, maximum: -1 }, { type: 'string', maxLength: 3 }, { type: 'null' }] },
      one: { oneOf: [{ type: 'boolean' }, { enum: ['x', 'y'] }] },
      nullable: { type: ['null', 'number'], minimum: 0.5, maximum: 2.5 },
      onlyNull: { type: ['null'] },
      empty: {},
      yes: true,
      padded: { type: 'string', minLength: 12 },
      cut: { type: 'string', maxLength: 4 },
      inverted: { type: 'integer', minimum: 10, maximum: 3 },
      fixedLen: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'integer', minimum: 0, maximum: 1 } },
      openArray: { type: 'array', minItems: 1 },
      implicitObject: { properties: { z: { type: 'boolean' } } },
      implicitArray: { items: { type: 'string' }, maxItems: 1 },
      unknownType: { type: 'strng' },
    } } } },
  { name: 'top-level array of strings', prompt: 'list', options: { schema: { type: 'array', items: { type: 'string' } } } },
  { name: 'unicode prompt and property names (code points)', prompt: 'héllo wörld ✓ 😀', options: { schema: { type: 'object', properties: { 'naïve😀': { type: 'string', minLength: 14 }, 'ü': { type: 'string', maxLength: 2 } } } } },
  { name: 'key sorting (integer-like keys sort as strings) and unknown options', prompt: 'sort', options: { zeta: 1, alpha: [3, { b: 1, a: 2 }], '10': 'ten', '9': 'nine', label: 'sorted', isolation: 'worktree' } },
  { name: 'model id containing an alias, effort max', prompt: 'x', options: { model: 'claude-haiku-4-5', effort: 'max' } },
  { name: 'unknown model and effort', prompt: 'x', options: { model: 'fable', effort: 'extreme' } },
  { name: 'sonnet, effort low', prompt: 'x', options: { model: 'sonnet', effort: 'low' } },
  { name: 'schema null = no schema', prompt: 'x', options: { schema: null, label: 7 } },
];
const out = cases.map(c => {
  const r = simulate(c.prompt, JSON.parse(JSON.stringify(c.options)));
  return { name: c.name, prompt: c.prompt, options: c.options, key: r.key, seed: hex8(r.seed), answer: r.answer, duration_ms: r.duration_ms, prompt_hash: r.prompt_hash };
});
console.log(JSON.stringify({ comment: 'Golden vectors of the sim backend (docs/sim-backend.md), produced by tests/reference/runtime.mjs and checked by tests/reference/runtime.test.mjs. answer_json_length is the token cost of the answer.', vectors: out.map(v => ({ ...v, answer_json_length: JSON.stringify(v.answer).length })) }, null, 1));
