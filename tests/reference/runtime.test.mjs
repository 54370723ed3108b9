// Tests of the reference runtime (tests/reference/runtime.mjs): run with `node --test tests/reference/`.
//
// The sim algorithm is checked three ways: known FNV-1a / mulberry32 vectors, values derived by
// hand from docs/sim-backend.md with an independent BigInt implementation of both primitives, and
// the golden vectors in sim-vectors.json (which the Rust executor's tests can reuse).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, { describe } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  CAP_MSG,
  DATE_MSG,
  IMPORT_MSG,
  META_MSG,
  RANDOM_MSG,
  STUCK_MSG,
  canonical,
  findContradiction,
  fnv1a32,
  hex8,
  mulberry32,
  runWorkflow,
  sha256hex,
  simulate,
} from './runtime.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const RUNTIME = path.join(HERE, 'runtime.mjs');
const FIXTURES = path.join(ROOT, 'fixtures/valid');
const FIXTURE_ARGS = JSON.parse(fs.readFileSync(path.join(HERE, 'fixture-args.json'), 'utf8'));
const VECTORS = JSON.parse(fs.readFileSync(path.join(HERE, 'sim-vectors.json'), 'utf8')).vectors;

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'wfc-runtime-test-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));

const META = "export const meta = { name: 't', description: 'a test workflow' }\n";

let fileNo = 0;
function writeScript(body, { name, dir = TMP, meta = true } = {}) {
  const file = path.join(dir, name ?? `s${++fileNo}.js`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, (meta ? META : '') + body);
  return file;
}

/** Runs a script body in-process. */
async function run(body, cfg = {}) {
  const file = writeScript(body, cfg);
  const r = await runWorkflow({ file, ...cfg });
  r.records = r.trace.trim().split('\n').map(l => JSON.parse(l));
  r.summary = r.records.pop();
  r.value = r.ok ? JSON.parse(r.stdout) : undefined;
  return r;
}

/** Runs the CLI. */
function cli(args, opts = {}) {
  const r = spawnSync(process.execPath, [RUNTIME, ...args], { encoding: 'utf8', ...opts });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ---- independent BigInt implementations of the two primitives, written from the spec text -------

const M32 = 1n << 32n;
const u32 = x => ((x % M32) + M32) % M32;
const mul32 = (a, b) => u32(a * b);
function fnvBig(text) {
  let h = 0x811c9dc5n;
  for (const b of Buffer.from(text, 'utf8')) h = mul32(h ^ BigInt(b), 0x01000193n);
  return Number(h);
}
function mulberryBig(seed) {
  let a = BigInt(seed);
  return () => {
    a = u32(a + 0x6d2b79f5n);
    let t = mul32(a ^ (a >> 15n), 1n | a);
    t = u32(t + mul32(t ^ (t >> 7n), 61n | t)) ^ t;
    return Number(t ^ (t >> 14n));
  };
}
const hex4 = n => (n & 0xffff).toString(16).padStart(4, '0');
const minutesToMs = (base, factor, draw) => Math.round(base * factor * (0.5 + draw / 2 ** 32) * 60000);

// ---- the sim algorithm ------------------------------------------------------------------------------

describe('sim: primitives', () => {
  test('FNV-1a 32 known vectors', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
    // UTF-8 bytes, not UTF-16 units
    assert.equal(fnv1a32('é'), fnvBig('é'));
    assert.equal(fnv1a32('😀 ✓'), fnvBig('😀 ✓'));
    for (const s of ['hello', '{"options":{},"prompt":"hello"}', 'x'.repeat(1000)]) assert.equal(fnv1a32(s), fnvBig(s));
  });

  test('mulberry32 known vectors and agreement with a BigInt implementation', () => {
    const d0 = mulberry32(0);
    // mulberry32(0)'s first output is the well-known 0.26642920868471265 once divided by 2^32
    assert.deepEqual([d0(), d0(), d0()], [1144304738, 1416247, 958946056]);
    assert.equal(1144304738 / 2 ** 32, 0.26642920868471265);
    const d1 = mulberry32(1);
    assert.deepEqual([d1(), d1(), d1()], [2693262067, 11749833, 2265367787]);
    for (const seed of [0, 1, 42, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff]) {
      const a = mulberry32(seed);
      const b = mulberryBig(seed);
      for (let i = 0; i < 500; i++) assert.equal(a(), b(), `seed ${seed} draw ${i}`);
    }
  });

  test('canonical: sorted keys (UTF-16 order, integer-like keys as strings), JSON.stringify semantics', () => {
    assert.equal(canonical({ b: 1, a: [2, { d: 1, c: undefined, e: () => 1 }] }), '{"a":[2,{"d":1}],"b":1}');
    assert.equal(canonical({ 10: 'x', 9: 'y', a: 1, B: 2 }), '{"10":"x","9":"y","B":2,"a":1}');
    assert.equal(canonical({ n: [1e21, 0.1, -0, NaN, Infinity, undefined] }), '{"n":[1e+21,0.1,0,null,null,null]}');
    assert.equal(canonical({ d: new Date(0), s: new Set([1]) }), '{"d":"1970-01-01T00:00:00.000Z","s":{}}');
    // UTF-16 code unit order: U+FF5E sorts after U+1F600 (surrogate D83D)? No: 0xD83D < 0xFF5E.
    assert.equal(canonical({ '～': 1, '😀': 2 }), '{"😀":2,"～":1}');
    assert.equal(canonical({ prompt: 'p', options: {} }), '{"options":{},"prompt":"p"}');
  });
});

describe('sim: answers derived by hand from docs/sim-backend.md', () => {
  test('no schema: "sim:" + label + ":" + hex8(seed), no draw for the answer', () => {
    const key = '{"options":{},"prompt":"hello"}';
    const seed = fnvBig(key);
    const draw = mulberryBig(seed);
    const r = simulate('hello', {});
    assert.equal(r.key, key);
    assert.equal(r.seed, seed);
    assert.equal(r.answer, `sim:agent:${seed.toString(16).padStart(8, '0')}`);
    assert.equal(r.duration_ms, minutesToMs(3, 1, draw())); // the first draw is the duration
    assert.equal(r.prompt_hash, sha256hex(key));
    // literal goldens
    assert.equal(r.answer, 'sim:agent:ee3f6e11');
    assert.equal(r.duration_ms, 248231);

    const labelled = simulate('hello', { label: 'greet' });
    assert.equal(labelled.key, '{"options":{"label":"greet"},"prompt":"hello"}');
    assert.equal(labelled.answer, `sim:greet:${hex8(fnvBig(labelled.key))}`);
    assert.equal(simulate('x', { label: 7 }).answer.startsWith('sim:agent:'), true);
  });

  test('boolean schema: int(2) == 1, then the duration draw', () => {
    const options = { schema: { type: 'boolean' } };
    const key = '{"options":{"schema":{"type":"boolean"}},"prompt":"Is the build green?"}';
    const draw = mulberryBig(fnvBig(key));
    const expected = draw() % 2 === 1;
    const r = simulate('Is the build green?', options);
    assert.equal(r.key, key);
    assert.equal(r.answer, expected);
    assert.equal(r.duration_ms, minutesToMs(3, 1, draw()));
  });

  test('object schema: properties in schema order, string = name-hex4, integer in [min, max]', () => {
    const options = { schema: { type: 'object', properties: { a: { type: 'string' }, n: { type: 'integer', minimum: 5, maximum: 9 } } } };
    const key = canonical({ prompt: 'p', options });
    assert.equal(key, '{"options":{"schema":{"properties":{"a":{"type":"string"},"n":{"maximum":9,"minimum":5,"type":"integer"}},"type":"object"}},"prompt":"p"}');
    const draw = mulberryBig(fnvBig(key));
    const a = `a-${hex4(draw())}`;
    const n = 5 + (draw() % 5);
    const r = simulate('p', options);
    assert.deepEqual(r.answer, { a, n });
    assert.deepEqual(Object.keys(r.answer), ['a', 'n']);
    assert.equal(r.duration_ms, minutesToMs(3, 1, draw()));
    assert.deepEqual(r.answer, { a: 'a-8a50', n: 8 });
  });

  test('array: len = min + int(max - min + 1) with max = min + 3 by default; elements inherit the name', () => {
    const options = { model: 'opus', effort: 'high', schema: { type: 'object', properties: { tags: { type: 'array', minItems: 1, items: { type: 'string', maxLength: 6 } } } } };
    const draw = mulberryBig(fnvBig(canonical({ prompt: 'tags', options })));
    const len = 1 + (draw() % 4);
    const tags = Array.from({ length: len }, () => `tags-${hex4(draw())}`.slice(0, 6));
    const r = simulate('tags', options);
    assert.deepEqual(r.answer, { tags });
    assert.equal(r.duration_ms, minutesToMs(6, 1.5, draw()));
  });

  test('enum, anyOf, type arrays, const', () => {
    const options = {
      schema: {
        type: 'object',
        properties: {
          e: { type: 'string', enum: ['low', 'mid', 'high'] },
          u: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 1, maximum: 3 }] },
          t: { type: ['null', 'boolean'] },
          c: { const: 'fixed', type: 'integer' },
        },
      },
    };
    const draw = mulberryBig(fnvBig(canonical({ prompt: 'mix', options })));
    const e = ['low', 'mid', 'high'][draw() % 3];
    const alt = draw() % 2;
    const u = alt === 0 ? null : 1 + (draw() % 3);
    const t = draw() % 2 === 1;
    const r = simulate('mix', options);
    assert.deepEqual(r.answer, { e, u, t, c: 'fixed' });
    assert.equal(r.duration_ms, minutesToMs(3, 1, draw()));
  });

  test('durations: model aliases (also inside ids) and effort factors', () => {
    const cases = [
      [{}, 3, 1],
      [{ model: 'opus' }, 6, 1],
      [{ model: 'claude-opus-4-1' }, 6, 1],
      [{ model: 'sonnet', effort: 'low' }, 3, 0.5],
      [{ model: 'claude-haiku-4-5', effort: 'max' }, 1.5, 3],
      [{ model: 'fable', effort: 'xhigh' }, 3, 2],
      [{ effort: 'medium' }, 3, 1],
      [{ effort: 'extreme' }, 3, 1],
      [{ model: 42 }, 3, 1],
    ];
    for (const [options, base, factor] of cases) {
      const r = simulate('dur', options);
      const draw = mulberryBig(fnvBig(r.key));
      assert.equal(r.duration_ms, minutesToMs(base, factor, draw()), JSON.stringify(options));
    }
  });

  test('golden vectors (sim-vectors.json) reproduce exactly', () => {
    assert.ok(VECTORS.length >= 10);
    for (const v of VECTORS) {
      const r = simulate(v.prompt, JSON.parse(JSON.stringify(v.options)));
      assert.equal(r.key, v.key, v.name);
      assert.equal(hex8(r.seed), v.seed, v.name);
      assert.equal(fnvBig(v.key), r.seed, v.name);
      assert.deepEqual(r.answer, v.answer, v.name);
      assert.equal(JSON.stringify(r.answer), JSON.stringify(v.answer), `${v.name}: key order`);
      assert.equal(r.duration_ms, v.duration_ms, v.name);
      assert.equal(r.prompt_hash, v.prompt_hash, v.name);
      assert.equal(JSON.stringify(r.answer).length, v.answer_json_length, v.name);
    }
  });
});

// ---- schema conformance -----------------------------------------------------------------------------

/** A validator for the keywords the sim table handles (oneOf: at least one alternative). */
function validate(schema, v, at = '$') {
  const errs = [];
  const fail = m => errs.push(`${at}: ${m}`);
  if (schema === true || schema === undefined) return errs;
  if (typeof schema !== 'object' || schema === null) return errs;
  if (schema.const !== undefined) {
    if (JSON.stringify(v) !== JSON.stringify(schema.const)) fail('const');
    return errs;
  }
  if (Array.isArray(schema.enum) && schema.enum.length) {
    if (!schema.enum.some(e => JSON.stringify(e) === JSON.stringify(v))) fail(`enum: ${JSON.stringify(v)}`);
    return errs;
  }
  for (const kw of ['anyOf', 'oneOf']) {
    if (Array.isArray(schema[kw]) && schema[kw].length) {
      if (!schema[kw].some(alt => validate(alt, v, at).length === 0)) fail(kw);
      return errs;
    }
  }
  const typeOk = (t, x) =>
    t === 'object' ? x !== null && typeof x === 'object' && !Array.isArray(x)
    : t === 'array' ? Array.isArray(x)
    : t === 'string' ? typeof x === 'string'
    : t === 'integer' ? Number.isInteger(x)
    : t === 'number' ? typeof x === 'number'
    : t === 'boolean' ? typeof x === 'boolean'
    : t === 'null' ? x === null
    : true;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some(t => typeOk(t, v))) fail(`type ${JSON.stringify(schema.type)} vs ${JSON.stringify(v)}`);
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const k of schema.required ?? []) if (!Object.hasOwn(v, k)) fail(`required ${k}`);
    for (const [k, sub] of Object.entries(schema.properties ?? {})) if (Object.hasOwn(v, k)) errs.push(...validate(sub, v[k], `${at}.${k}`));
    if (schema.additionalProperties === false) for (const k of Object.keys(v)) if (!Object.hasOwn(schema.properties ?? {}, k)) fail(`additional ${k}`);
  }
  if (Array.isArray(v)) {
    if (schema.minItems !== undefined && v.length < schema.minItems) fail('minItems');
    if (schema.maxItems !== undefined && v.length > schema.maxItems) fail('maxItems');
    v.forEach((x, i) => errs.push(...validate(schema.items ?? {}, x, `${at}[${i}]`)));
  }
  if (typeof v === 'string') {
    const n = Array.from(v).length;
    if (schema.minLength !== undefined && n < schema.minLength) fail('minLength');
    if (schema.maxLength !== undefined && n > schema.maxLength) fail('maxLength');
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) fail('minimum');
    if (schema.maximum !== undefined && v > schema.maximum) fail('maximum');
  }
  return errs;
}

const SCHEMAS = {
  boolean: { type: 'boolean' },
  nullType: { type: 'null' },
  integerRange: { type: 'integer', minimum: -5, maximum: 5 },
  numberFraction: { type: 'number', minimum: 0.25, maximum: 3.75 },
  integerMinOnly: { type: 'integer', minimum: 1000 },
  integerMaxOnly: { type: 'integer', maximum: 50 },
  stringLengths: { type: 'string', minLength: 10, maxLength: 12 },
  stringShort: { type: 'string', maxLength: 2 },
  enumMixed: { enum: ['a', 1, null, { x: true }] },
  constObj: { const: { k: [1, 'two'] } },
  nullable: { type: ['string', 'null'] },
  anyOf: { anyOf: [{ type: 'integer', minimum: 0, maximum: 3 }, { type: 'string', minLength: 30 }, { type: 'array', items: { type: 'boolean' } }] },
  oneOf: { oneOf: [{ type: 'boolean' }, { type: 'null' }] },
  fixedArray: { type: 'array', minItems: 3, maxItems: 3, items: { type: 'integer', minimum: 7, maximum: 7 } },
  nestedArrays: { type: 'array', maxItems: 2, items: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } } },
  implicit: { properties: { list: { items: { enum: ['x', 'y'] } } } },
  closedObject: {
    type: 'object',
    required: ['id', 'tags', 'meta'],
    additionalProperties: false,
    properties: {
      id: { type: 'integer', minimum: 1 },
      tags: { type: 'array', items: { type: 'string', enum: ['bug', 'feature'] } },
      meta: { type: 'object', properties: { ok: { type: 'boolean' }, score: { type: ['null', 'number'], maximum: 1 } } },
      optional: { type: 'string' },
    },
  },
  fixtureFindings: {
    type: 'object',
    required: ['findings'],
    properties: {
      findings: {
        type: 'array',
        items: {
          type: 'object',
          required: ['title', 'line', 'severity', 'explanation'],
          properties: {
            title: { type: 'string' },
            line: { type: 'integer' },
            severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
            explanation: { type: 'string' },
          },
        },
      },
    },
  },
  emptySchema: {},
  trueSchema: true,
};

test('generated answers conform to their schemas (many prompts per schema)', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    for (let i = 0; i < 150; i++) {
      const { answer } = simulate(`prompt ${i} for ${name}`, { schema, label: `l${i}` });
      const errs = validate(schema, answer);
      assert.deepEqual(errs, [], `${name} #${i}: ${JSON.stringify(answer)}`);
      if (schema === true || name === 'emptySchema') assert.match(answer, /^item-[0-9a-f]{4}$/);
    }
  }
});

test('array lengths cover [minItems, maxItems] and default to minItems + 3', () => {
  const seen = new Set();
  for (let i = 0; i < 300; i++) seen.add(simulate(`len ${i}`, { schema: { type: 'array', minItems: 2 } }).answer.length);
  assert.deepEqual([...seen].sort(), [2, 3, 4, 5]);
});

// ---- the schema contradiction check ------------------------------------------------------------------

describe('schema contradiction', () => {
  test('findContradiction walks nested schemas, exempts patternProperties', () => {
    assert.equal(findContradiction({ type: 'object', required: ['a'], properties: { a: {} }, additionalProperties: false }), null);
    assert.deepEqual(findContradiction({ type: 'object', required: ['a', 'b'], properties: { a: {} }, additionalProperties: false }), {
      pointer: '#/required/1',
      key: 'b',
    });
    assert.deepEqual(
      findContradiction({ type: 'object', properties: { list: { type: 'array', items: { type: 'object', required: ['x'], additionalProperties: false } } } }),
      { pointer: '#/properties/list/items/required/0', key: 'x' },
    );
    assert.equal(findContradiction({ required: ['x-1'], patternProperties: { '^x-': {} }, additionalProperties: false }), null);
    assert.equal(findContradiction({ required: ['a'] }), null);
  });

  test('agent() throws before starting: no trace record, no cap slot', async () => {
    const r = await run(`
const bad = { type: 'object', required: ['bugs', 'severity'], properties: { bugs: { type: 'array' } }, additionalProperties: false }
let message = null
try { await agent('p', { schema: bad }) } catch (e) { message = e.message }
const ok = await agent('q', { schema: { type: 'object', required: ['bugs'], properties: { bugs: { type: 'array' } }, additionalProperties: false } })
return { message, ok: Array.isArray(ok.bugs) }
`, { maxAgents: 1 });
    assert.equal(r.ok, true, r.error);
    assert.match(r.value.message, /required key `severity` is ruled out by `additionalProperties: false`/);
    assert.equal(r.value.ok, true);
    assert.equal(r.summary.agents, 1);
  });
});

// ---- parallel and pipeline ----------------------------------------------------------------------

describe('parallel', () => {
  test('index-aligned, null for throwing/rejecting thunks, non-functions awaited as values, never rejects', async () => {
    const r = await run(`
const out = await parallel([
  () => agent('a'),
  () => { throw new Error('sync') },
  () => Promise.reject(new Error('async')),
  'plain value',
  agent('eager'),
  Promise.reject(new Error('rejected value')),
  async () => { await agent('b'); throw new Error('late') },
  () => undefined,
  () => agent('c', { schema: { type: 'integer', minimum: 3, maximum: 3 } }),
])
return { out, isArray: Array.isArray(out), len: out.length }
`);
    assert.equal(r.ok, true, r.error);
    const { out } = r.value;
    assert.equal(r.value.len, 9);
    assert.equal(r.value.isArray, true);
    assert.match(out[0], /^sim:agent:/);
    assert.equal(out[1], null);
    assert.equal(out[2], null);
    assert.equal(out[3], 'plain value');
    assert.match(out[4], /^sim:agent:/);
    assert.equal(out[5], null);
    assert.equal(out[6], null);
    assert.equal(out[7], null); // undefined serializes as null
    assert.equal(out[8], 3);
  });

  test('more than 4096 items throws; 4096 is fine', async () => {
    const r = await run(`
let err = null
try { await parallel(Array.from({ length: 4097 }, () => () => 1)) } catch (e) { err = e.message }
const ok = await parallel(Array.from({ length: 4096 }, (_, i) => () => i))
return { err, n: ok.length, last: ok[4095] }
`);
    assert.equal(r.ok, true, r.error);
    assert.match(r.value.err, /4097 items; the limit is 4096/);
    assert.deepEqual([r.value.n, r.value.last], [4096, 4095]);
  });

  test('a barrier: resolves only when the slowest thunk is done', async () => {
    const r = await run(`await parallel([0, 1, 2].map(i => () => agent('p' + i))); return 1`);
    const ends = r.records.map(x => x.end_ms);
    assert.equal(r.makespan_ms, Math.max(...ends));
  });
});

describe('pipeline', () => {
  test('stage 1 gets prev = item; stages get (prev, item, index); results in item order', async () => {
    const r = await run(`
return await pipeline(['a', 'b', 'c'],
  (prev, item, i) => ({ first: prev, item, i }),
  async (prev, item, i) => ({ ...prev, second: await agent('x' + item) }),
  (prev) => prev.first + prev.i)
`);
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.value, ['a0', 'b1', 'c2']);
  });

  test('a throwing stage drops the item to null and skips the remaining stages; null passes on', async () => {
    const r = await run(`
const calls = []
const res = await pipeline([1, 2, 3, 4],
  (x) => { if (x === 2) throw new Error('drop'); return x === 3 ? null : x },
  async (prev, item) => { calls.push(item); if (item === 4) return Promise.reject(new Error('async drop')); return prev },
  (prev, item) => { calls.push('s3:' + item); return prev === null ? 'got null' : prev * 10 })
return { res, calls }
`);
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.value.res, [10, null, 'got null', null]);
    assert.deepEqual(r.value.calls, [1, 3, 4, 's3:1', 's3:3']);
  });

  test('no barrier between stages: item A reaches stage 2 before item B leaves stage 1', async () => {
    const r = await run(`
await pipeline(['fast', 'slow'],
  (x) => agent(x === 'fast' ? 'quick one' : 'slow one', { model: x === 'fast' ? 'haiku' : 'opus', effort: x === 'fast' ? 'low' : 'max' }),
  (prev, item) => agent('stage2 ' + item, { model: 'haiku', effort: 'low' }))
return 1
`);
    const [fast1, slow1, fast2] = r.records;
    assert.equal(fast2.label, null);
    assert.ok(fast2.start_ms < slow1.end_ms, JSON.stringify(r.records));
    assert.equal(fast2.start_ms, fast1.end_ms);
  });

  test('first argument must be an array; item cap', async () => {
    const r = await run(`
const errs = []
for (const bad of ['abc', undefined, { length: 1 }]) { try { await pipeline(bad, x => x) } catch (e) { errs.push(String(e)) } }
try { await pipeline(Array(4097).fill(0), x => x) } catch (e) { errs.push(e.message) }
return errs
`);
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.value.slice(0, 3), Array(3).fill('TypeError: pipeline() expects an array as the first argument'));
    assert.match(r.value[3], /4097 items; the limit is 4096/);
  });
});

// ---- cap, budget -------------------------------------------------------------------------------------

describe('limits', () => {
  test('the call past --max-agents throws the cap error; inside parallel it becomes null', async () => {
    const r = await run(`
const fan = await parallel(Array.from({ length: 8 }, (_, i) => () => agent('p' + i)))
let err = null
try { await agent('one more') } catch (e) { err = e.message }
return { fan, err }
`, { maxAgents: 5 });
    assert.equal(r.ok, true, r.error);
    assert.equal(r.value.fan.filter(x => x !== null).length, 5);
    assert.deepEqual(r.value.fan.slice(5), [null, null, null]);
    assert.equal(r.value.err, CAP_MSG);
    assert.equal(r.summary.agents, 5);
  });

  test('the default cap is 1000, shared with child workflows', async () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'cap-'));
    writeScript(`await parallel(Array.from({ length: 10 }, (_, i) => () => agent('child ' + i))); return 'child done'`, { dir, name: 'kid.js' });
    const r = await run(`
const first = await parallel(Array.from({ length: 995 }, (_, i) => () => agent('p' + i)))
const child = await workflow('kid')
let err = null
try { await agent('late') } catch (e) { err = e.message }
return { first: first.filter(Boolean).length, child, err }
`, { dir });
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.value, { first: 995, child: 'child done', err: CAP_MSG });
    assert.equal(r.summary.agents, 1000);
  });

  test('an uncaught cap error fails the run', () => {
    const file = writeScript(`for (let i = 0; ; i++) await agent('loop ' + i)`);
    const r = cli([file, '--max-agents', '3']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: ${CAP_MSG}\n`);
    assert.equal(r.stdout, '');
  });

  test('budget: each agent spends its answer JSON length; agent() throws once spent() reaches total', async () => {
    const r = await run(`
const got = []
while (budget.total && budget.remaining() > 0) got.push(await agent('p' + got.length))
let err = null
try { await agent('over') } catch (e) { err = e.message }
return { got, err, spent: budget.spent(), total: budget.total, remaining: budget.remaining(), proto: Object.getPrototypeOf(budget) }
`, { budget: 50 });
    assert.equal(r.ok, true, r.error);
    // "sim:agent:xxxxxxxx" is 18 characters, 20 as JSON
    assert.equal(r.value.got.length, 3);
    assert.equal(r.value.spent, 60);
    assert.equal(r.value.total, 50);
    assert.equal(r.value.remaining, 0);
    assert.equal(r.value.proto, null);
    assert.match(r.value.err, /budget exhausted/);
  });

  test('without --budget: total is null and remaining() is Infinity', async () => {
    const r = await run(`return [budget.total, budget.remaining() === Infinity, budget.spent(), typeof budget]`);
    assert.deepEqual(r.value, [null, true, 0, 'object']);
  });

  test('budget-loop fixture loops while budget remains when given --budget', () => {
    const r = cli([path.join(FIXTURES, 'budget-loop.js'), '--budget', '600']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).passes === 0); // remaining() > 50_000 is false for a tiny budget
    const big = cli([path.join(FIXTURES, 'budget-loop.js'), '--budget', '1000000']);
    assert.equal(big.code, 0, big.stderr);
    assert.equal(JSON.parse(big.stdout).passes, 10);
  });
});

// ---- the virtual clock --------------------------------------------------------------------------------

/** FIFO list scheduling on `slots` slots: each agent, in call order, takes the slot that frees first. */
function fifoSchedule(durations, slots) {
  const free = Array(slots).fill(0);
  return durations.map(d => {
    let k = 0;
    for (let j = 1; j < slots; j++) if (free[j] < free[k]) k = j;
    const start = free[k];
    free[k] = start + d;
    return { start, end: start + d };
  });
}

describe('virtual clock', () => {
  test('a fan-out of 20 agents with concurrency 4 follows the FIFO schedule', async () => {
    const prompts = Array.from({ length: 20 }, (_, i) => `task ${i}`);
    const durations = prompts.map(p => simulate(p, { label: `t:${p}` }).duration_ms);
    const expected = fifoSchedule(durations, 4);
    const r = await run(`return await parallel(Array.from({ length: 20 }, (_, i) => () => agent('task ' + i, { label: 't:task ' + i })))`, {
      concurrency: 4,
    });
    assert.equal(r.ok, true, r.error);
    assert.equal(r.records.length, 20);
    r.records.forEach((rec, i) => {
      assert.equal(rec.seq, i + 1);
      assert.equal(rec.start_ms, expected[i].start, `start of ${i}`);
      assert.equal(rec.end_ms, expected[i].end, `end of ${i}`);
    });
    assert.equal(r.makespan_ms, Math.max(...expected.map(e => e.end)));
    assert.equal(r.summary.makespan_ms, r.makespan_ms);
    // at most 4 at once
    for (const rec of r.records) {
      const live = r.records.filter(o => o.start_ms <= rec.start_ms && o.end_ms > rec.start_ms).length;
      assert.ok(live <= 4);
    }
    // with the default concurrency (16) the first 16 start at 0
    const wide = await run(`return await parallel(Array.from({ length: 20 }, (_, i) => () => agent('task ' + i, { label: 't:task ' + i })))`);
    assert.deepEqual(wide.records.map(x => x.start_ms), fifoSchedule(durations, 16).map(e => e.start));
    assert.equal(wide.records.slice(0, 16).every(x => x.start_ms === 0), true);
  });

  test('sequential awaits add up; deps list the agents completed before each call', async () => {
    const r = await run(`
const a = await agent('one')
const b = await agent('two')
const [c, d] = await Promise.all([agent('three'), agent('four')])
await agent('five')
return 1
`);
    const d = ['one', 'two', 'three', 'four', 'five'].map(p => simulate(p, {}).duration_ms);
    const [r1, r2, r3, r4, r5] = r.records;
    assert.deepEqual([r1.start_ms, r1.end_ms], [0, d[0]]);
    assert.deepEqual([r2.start_ms, r2.end_ms], [d[0], d[0] + d[1]]);
    assert.equal(r3.start_ms, r2.end_ms);
    assert.equal(r4.start_ms, r2.end_ms);
    assert.equal(r5.start_ms, Math.max(r3.end_ms, r4.end_ms));
    assert.equal(r.makespan_ms, r5.end_ms);
    assert.deepEqual(r.records.map(x => x.deps), [[], [1], [1, 2], [1, 2], [1, 2, 3, 4]]);
  });

  test('ties complete in start order; queued agents start in call order', async () => {
    // identical prompts and options have identical durations
    const r = await run(`
const order = []
await parallel([0, 1, 2, 3].map(i => () => agent('same').then(() => order.push(i))))
return order
`, { concurrency: 2 });
    assert.deepEqual(r.value, [0, 1, 2, 3]);
    const d = simulate('same', {}).duration_ms;
    assert.deepEqual(r.records.map(x => [x.start_ms, x.end_ms]), [[0, d], [0, d], [d, 2 * d], [d, 2 * d]]);
  });

  test('the makespan is the virtual time when the script settles; unfinished agents have end_ms null', async () => {
    const r = await run(`
const slow = agent('background', { model: 'opus', effort: 'max' })
await agent('quick', { model: 'haiku', effort: 'low' })
return 'done'
`);
    assert.equal(r.ok, true);
    const [bg, quick] = r.records;
    assert.equal(r.makespan_ms, quick.end_ms);
    assert.equal(bg.end_ms, null);
    assert.equal(bg.start_ms, 0);
  });

  test('setTimeout runs on the virtual clock', async () => {
    const r = await run(`
const order = []
setTimeout(() => order.push('t500'), 500)
const id = setTimeout(() => order.push('cleared'), 10)
clearTimeout(id)
await new Promise(res => setTimeout(res, 1000, 'x'))
order.push('after 1000')
return order
`);
    assert.deepEqual(r.value, ['t500', 'after 1000']);
    assert.equal(r.makespan_ms, 1000);
  });

  test('a script waiting on a promise nothing can resolve fails instead of hanging', async () => {
    const r = await run(`await new Promise(() => {})`);
    assert.equal(r.ok, false);
    assert.equal(r.error, STUCK_MSG);
  });
});

// ---- phases, labels, sites, the trace ---------------------------------------------------------------

describe('trace', () => {
  test('site = line:col of the agent( call in the original file; phase = opts.phase ?? phase()', async () => {
    const file = writeScript(
      `/**
 * header comment
 */
export const meta = { name: 't', description: 'd' }
phase('One')
const a = await agent('a', { label: 'first' })
const helper = (p) =>   agent(p, { phase: 'Explicit' })
await helper('b'); phase('Two'); await Promise.all([agent('c'), agent('d', { label: 42 })])
`,
      { meta: false },
    );
    const out = cli([file, '--trace', path.join(TMP, 'site.jsonl')]);
    assert.equal(out.code, 0, out.stderr);
    const recs = fs.readFileSync(path.join(TMP, 'site.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l));
    const summary = recs.pop();
    assert.deepEqual(summary, { type: 'summary', agents: 4, makespan_ms: summary.makespan_ms });
    assert.deepEqual(recs.map(r => r.site), ['6:17', '7:25', '8:53', '8:65']);
    assert.deepEqual(recs.map(r => r.phase), ['One', 'Explicit', 'Two', 'Two']);
    assert.deepEqual(recs.map(r => r.label), ['first', null, null, null]);
    assert.deepEqual(Object.keys(recs[0]), ['seq', 'site', 'prompt_hash', 'label', 'phase', 'start_ms', 'end_ms', 'deps']);
    assert.equal(recs[0].prompt_hash, sha256hex(canonical({ prompt: 'a', options: { label: 'first' } })));
  });

  test('sites in a minified one-line script', async () => {
    const r = await run(`const x=await agent("a");const y=await parallel([1,2].map(i=>()=>agent("b"+i)));return[x,y]`);
    assert.deepEqual(r.records.map(x => x.site), ['2:15', '2:66', '2:66']);
  });
});

// ---- the realm -----------------------------------------------------------------------------------------

describe('forbidden and available globals', () => {
  const cases = [
    ['Date.now()', DATE_MSG],
    ['new Date()', DATE_MSG],
    ['Date()', DATE_MSG],
    ['Math.random()', RANDOM_MSG],
    ["eval('1')", 'Code generation from strings disallowed for this context'],
    ["new Function('return 1')()", 'Code generation from strings disallowed for this context'],
    ["require('fs')", 'require is not defined'],
    ['process.exit(0)', 'process is not defined'],
    ["fetch('https://example.com')", 'fetch is not defined'],
    ["Buffer.from('x')", 'Buffer is not defined'],
  ];
  for (const [expr, message] of cases) {
    test(`${expr} throws`, async () => {
      const r = await run(`return ${expr}`);
      assert.equal(r.ok, false);
      assert.equal(r.error, message);
    });
  }

  test('Date.now() throws from the CLI with exit 1 and the runtime message', () => {
    const file = writeScript(`const t = Date.now()\nreturn t`);
    const r = cli([file]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: ${DATE_MSG}\n`);
  });

  test('catching the Date error is possible; new Date(x) is allowed', async () => {
    const r = await run(`
let msg = null
try { Date.now() } catch (e) { msg = e.message }
const d = new Date('2026-08-01T00:00:00Z')
return { msg, iso: d.toISOString(), isDate: d instanceof Date, utc: Date.UTC(2026, 0, 1), parse: Date.parse('2026-01-01T00:00:00Z') }
`);
    assert.deepEqual(r.value, { msg: DATE_MSG, iso: '2026-08-01T00:00:00.000Z', isDate: true, utc: 1767225600000, parse: 1767225600000 });
  });

  test('dynamic import() is rejected before the run; mentions in strings and comments are fine', async () => {
    const bad = await run(`// import('x') in a comment\nconst s = "import('y')"\nawait agent('a')\nreturn await import('fs')`);
    assert.equal(bad.ok, false);
    assert.match(bad.error, new RegExp(`^${IMPORT_MSG.replace(/[()]/g, '\\$&')} \\(workflow\\.js:5:14\\)$`));
    assert.equal(bad.agents, 0);
    const ok = await run(`// import('x')\nconst s = \`import('\${'y'}')\`\nconst o = { import: 1 }; return [s, o.import, /import\\(/.test('import(')]`);
    assert.equal(ok.ok, true, ok.error);
  });

  test('console, setTimeout, clearTimeout, standard built-ins are available; meta is readable', async () => {
    const r = await run(`
console.log('hidden unless --verbose')
return [typeof console.log, typeof setTimeout, typeof clearTimeout, JSON.stringify([1]), [...new Set([1, 1])].length, meta.name, typeof Math.max]
`);
    assert.deepEqual(r.value, ['function', 'function', 'function', '[1]', 1, 't', 'function']);
  });

  test('host errors are null-prototype objects with name, message, stack, toString', async () => {
    const r = await run(`
try { await workflow('does-not-exist') } catch (e) {
  return { proto: Object.getPrototypeOf(e), isError: e instanceof Error, name: e.name, message: e.message, str: String(e), keys: Object.keys(e) }
}`);
    assert.deepEqual(r.value, {
      proto: null,
      isError: false,
      name: 'Error',
      message: "workflow('does-not-exist'): no workflow with that name",
      str: "Error: workflow('does-not-exist'): no workflow with that name",
      keys: ['name', 'message', 'stack', 'toString'],
    });
  });

  test('the primitives can be shadowed by the script', async () => {
    const r = await run(`const log = x => x * 2\nfunction phase() { return 'mine' }\nreturn [log(2), phase()]`);
    assert.deepEqual(r.value, [4, 'mine']);
  });

  test('values handed to the script belong to its realm', async () => {
    const r = await run(`
const a = await agent('x', { schema: { type: 'object', properties: { l: { type: 'array', minItems: 1 } } } })
const p = await parallel([() => 1])
const q = await pipeline([1], x => x)
return [a instanceof Object, a.l instanceof Array, p instanceof Array, q instanceof Array, agent('y') instanceof Promise]
`);
    assert.deepEqual(r.value, [true, true, true, true, true]);
  });
});

// ---- meta, errors, output ---------------------------------------------------------------------------------

describe('script shape and errors', () => {
  test('meta missing or not first → exit 1 with the runtime message', () => {
    for (const src of [
      `const x = 1\nexport const meta = { name: 'x', description: 'y' }\nreturn x`,
      `return 1`,
      ``,
      `export const metadata = { name: 'x', description: 'y' }`,
      `export let meta = { name: 'x', description: 'y' }`,
    ]) {
      const file = writeScript(src, { meta: false });
      const r = cli([file]);
      assert.equal(r.code, 1, src);
      assert.equal(r.stderr, `error: ${META_MSG}\n`, src);
      assert.equal(r.stdout, '');
    }
  });

  test('comments before meta are fine; meta.name/description are validated', () => {
    // a hashbang line is not trivia: the body is a function body
    const hashbang = cli([writeScript(`#!/usr/bin/env node\nexport const meta = { name: 'n', description: 'd' }`, { meta: false })]);
    assert.equal(hashbang.stderr, `error: ${META_MSG}\n`);
    const c = cli([writeScript(`// a\n/* b */\n/** c */ export /* d */ const meta = { name: "n", description: "d", phases: [{ title: "A" }] };return 7`, { meta: false })]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, '7\n');
    const noName = cli([writeScript(`export const meta = { description: 'd' }\nreturn 1`, { meta: false })]);
    assert.equal(noName.stderr, 'error: meta.name must be a non-empty string\n');
    const noDesc = cli([writeScript(`export const meta = { name: 'n', description: '' }\nreturn 1`, { meta: false })]);
    assert.equal(noDesc.stderr, 'error: meta.description must be a non-empty string\n');
  });

  test('syntax errors, thrown values, unserializable results', async () => {
    const syntax = await run(`const x = {\nreturn x +* 1`);
    assert.equal(syntax.ok, false);
    assert.match(syntax.error, /^SyntaxError: .* \(workflow\.js:\d+\)$/);
    const ts = await run(`const xs: string[] = []`);
    assert.match(ts.error, /^SyntaxError/);
    assert.equal((await run(`throw new Error('boom')`)).error, 'boom');
    assert.equal((await run(`throw 'plain'`)).error, 'plain');
    assert.equal((await run(`throw { message: 'object' }`)).error, 'object');
    assert.equal((await run(`await Promise.reject(new TypeError('rejected'))`)).error, 'rejected');
    assert.equal((await run(`return 1n`)).error, 'Do not know how to serialize a BigInt');
    assert.equal((await run(`return undefined.x`)).ok, false);
  });

  test('stdout is JSON.stringify(result) ?? "null" plus a newline', () => {
    const cases = [
      ['return undefined', 'null'],
      ['', 'null'],
      ['return () => 1', 'null'],
      ["return { a: 1, u: undefined, m: new Map([[1, 2]]), d: new Date(0), s: 'é' }", '{"a":1,"m":{},"d":"1970-01-01T00:00:00.000Z","s":"é"}'],
      ['return [NaN, -0, 1e21]', '[null,0,1e+21]'],
      ["return 'str'", '"str"'],
    ];
    for (const [body, expected] of cases) {
      const r = cli([writeScript(body)]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, expected + '\n', body);
    }
  });

  test('--args reaches the script verbatim; absent --args is undefined', async () => {
    const r = cli([writeScript(`return [typeof args, args]`), '--args', '{"a":[1,"x"],"b":null}']);
    assert.equal(r.stdout, '["object",{"a":[1,"x"],"b":null}]\n');
    const s = cli([writeScript(`return typeof args === 'string' ? JSON.parse(args) : 'no'`), '--args', '"{\\"k\\":1}"']);
    assert.equal(s.stdout, '{"k":1}\n');
    const none = cli([writeScript(`return typeof args`)]);
    assert.equal(none.stdout, '"undefined"\n');
    const argsFile = path.join(TMP, 'args.json');
    fs.writeFileSync(argsFile, '[1,2]');
    assert.equal(cli([writeScript(`return args.length`), '--args', argsFile]).stdout, '2\n');
  });

  test('usage errors exit 2; a missing script exits 1; no stack traces', () => {
    for (const argv of [[], ['--concurrency', '0', 'x.js'], ['--bogus', 'x.js'], ['x.js', '--args', '{bad'], ['a.js', 'b.js']]) {
      const r = cli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    const missing = cli([path.join(TMP, 'nope.js')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: cannot read .*nope\.js: ENOENT\n$/);
  });

  test('--verbose prints log lines to stderr', () => {
    const file = writeScript(`log('hello'); log({ toString() { return 'obj' } }); console.log('c', 1); return 1`);
    const quiet = cli([file]);
    assert.equal(quiet.stderr, '');
    const loud = cli([file, '--verbose']);
    assert.equal(loud.stderr, 'log: hello\nlog: obj\nconsole.log: c 1\n');
    assert.equal(loud.stdout, '1\n');
  });

  test('unhandled rejections of un-awaited promises do not end the run', () => {
    const r = cli([writeScript(`Promise.reject(new Error('ignored')); [1].forEach(async () => { throw new Error('x') }); return 'ok'`)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '"ok"\n');
  });

  test('unknown agent() option keys are ignored (but are part of the call key)', async () => {
    const r = await run(`return [await agent('p', { bogus: true, label: 'l' }), await agent('p', { label: 'l' })]`);
    assert.equal(r.ok, true);
    assert.match(r.value[0], /^sim:l:/);
    assert.notEqual(r.value[0], r.value[1]);
  });

  test('bad agent() arguments throw', async () => {
    const r = await run(`
const errs = []
for (const call of [() => agent(), () => agent(42), () => agent('p', 'opts'), () => agent('p', [1])]) {
  try { await call() } catch (e) { errs.push(e.name) }
}
return [errs, await agent('p', null) === await agent('p')]
`);
    assert.deepEqual(r.value, [['TypeError', 'TypeError', 'TypeError', 'TypeError'], true]);
  });
});

// ---- workflow() --------------------------------------------------------------------------------------------

describe('workflow()', () => {
  test('runs a sibling by name (.js, .mjs, plugin:name) or {scriptPath}; shares clock, cap and trace', async () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'wf-'));
    writeScript(`phase('Child'); const r = await agent('child ' + args.n); return { r, args }`, { dir, name: 'kid.js' });
    writeScript(`return (args ?? 0) + 1`, { dir, name: 'other.mjs' });
    writeScript(`return 'deep'`, { dir, name: 'nested/deep.js' });
    const r = await run(`
const a = await workflow('kid', { n: 1 })
const b = await workflow('tools:kid', { n: 2 })
const c = await workflow('other', 41)
const d = await workflow({ scriptPath: 'nested/deep.js' })
return { a, b, c, d }
`, { dir });
    assert.equal(r.ok, true, r.error);
    assert.match(r.value.a.r, /^sim:agent:/);
    assert.deepEqual(r.value.a.args, { n: 1 });
    assert.deepEqual([r.value.c, r.value.d], [42, 'deep']);
    assert.deepEqual(r.records.map(x => [x.workflow, x.phase, x.site]), [['kid', 'Child', '2:33'], ['tools:kid', 'Child', '2:33']]);
    assert.equal(r.records[1].start_ms, r.records[0].end_ms);
  });

  test('unknown names, nesting, child failures and bad children all throw into the parent', async () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'wf-'));
    writeScript(`return await workflow('leaf')`, { dir, name: 'nester.js' });
    writeScript(`return 'leaf'`, { dir, name: 'leaf.js' });
    writeScript(`throw new Error('child exploded')`, { dir, name: 'thrower.js' });
    writeScript(`const x = 1`, { dir, name: 'nometa.js', meta: false });
    writeScript(`return {`, { dir, name: 'broken.js' });
    const r = await run(`
const out = {}
for (const n of ['missing', 'nester', 'thrower', 'nometa', 'broken', '../x', 'plugin:missing']) {
  try { out[n] = await workflow(n) } catch (e) { out[n] = e.message }
}
try { await workflow({ scriptPath: 'nope.js' }) } catch (e) { out.scriptPath = e.message }
return out
`, { dir });
    assert.equal(r.ok, true, r.error);
    const v = r.value;
    assert.equal(v.missing, "workflow('missing'): no workflow with that name");
    assert.equal(v['plugin:missing'], "workflow('plugin:missing'): no workflow with that name");
    assert.equal(v['../x'], "workflow('../x'): no workflow with that name");
    assert.match(v.nester, /^workflow\('nester'\): workflow\('leaf'\): workflow\(\) cannot be called inside a nested workflow/);
    assert.equal(v.thrower, "workflow('thrower'): child exploded");
    assert.equal(v.nometa, `workflow('nometa'): ${META_MSG}`);
    assert.match(v.broken, /^workflow\('broken'\): SyntaxError/);
    assert.match(v.scriptPath, /^workflow\(\{scriptPath: 'nope\.js'\}\): cannot read .*ENOENT$/);
  });
});

// ---- the fixtures ------------------------------------------------------------------------------------------

describe('fixtures/valid', () => {
  const files = fs.readdirSync(FIXTURES).filter(f => f.endsWith('.js')).sort();

  test('every fixture has args in fixture-args.json', () => {
    assert.deepEqual(files.filter(f => !Object.hasOwn(FIXTURE_ARGS, f)), []);
  });

  for (const f of files) {
    test(`${f} runs to completion, prints JSON, and is deterministic`, () => {
      const args = JSON.stringify(FIXTURE_ARGS[f] ?? {});
      const t1 = path.join(TMP, `${f}.1.jsonl`);
      const t2 = path.join(TMP, `${f}.2.jsonl`);
      const a = cli([path.join(FIXTURES, f), '--args', args, '--trace', t1]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(a.stderr, '');
      assert.ok(a.stdout.endsWith('\n'));
      JSON.parse(a.stdout);
      const b = cli([path.join(FIXTURES, f), '--args', args, '--trace', t2]);
      assert.equal(b.stdout, a.stdout);
      const trace1 = fs.readFileSync(t1, 'utf8');
      assert.equal(fs.readFileSync(t2, 'utf8'), trace1);
      const recs = trace1.trim().split('\n').map(l => JSON.parse(l));
      const summary = recs.pop();
      assert.equal(summary.type, 'summary');
      assert.equal(summary.agents, recs.length);
      for (const rec of recs) {
        assert.match(rec.site, /^\d+:\d+$/);
        assert.match(rec.prompt_hash, /^[0-9a-f]{64}$/);
        assert.ok(rec.start_ms === null || rec.start_ms <= summary.makespan_ms);
        assert.ok(rec.end_ms === null || (rec.end_ms > rec.start_ms && rec.end_ms <= summary.makespan_ms));
        assert.ok(rec.deps.every(d => d < rec.seq));
      }
      // a different concurrency changes the clock, not the result
      const c = cli([path.join(FIXTURES, f), '--args', args, '--concurrency', '2']);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(c.stdout, a.stdout);
    });
  }
});
