#!/usr/bin/env node
// Randomized reference runner for the bounds tests (tests/bounds.rs).
//
//   node tests/reference/bounds-harness.mjs <script.js> [--args <json|file>] [--runs N] [--seed S]
//                                           [--null-rate P] [--budget random|none]
//
// Runs a workflow script N times in `node:vm` with stub primitives that follow the dialect spec
// (docs: /work/shared/spec/workflow-dialect.md §4–§5): `agent()` returns random values that
// conform to `opts.schema` (or a random string), or `null` 10% of the time; `parallel()` is a
// barrier that turns throws into `null` slots; `pipeline()` runs each item through its stages
// independently; `budget` counts 5000 tokens per agent call and throws past `total`;
// `workflow()` always fails with the runtime's "no workflow with that name" error; `Date.now()`,
// argument-less `new Date()` and `Math.random()` throw as they do in the runtime.
//
// Every `agent()` call is attributed to its call site, the 1-based line:column of the `agent(`
// call expression in the script file (from the V8 stack), which is how `wfc plan` names sites.
// `--null-rate` (default 0.1) is how often an agent resolves to `null`; `--budget none` never sets
// `budget.total` (by default half the runs get a random target). Prints one JSON object:
//   { "sites": { "line:col": maxCountInAnyRun, ... }, "total": maxTotalInAnyRun,
//     "runs": [ { "seed", "total", "sites", "threw", "error", "nulls", "failures", "caught",
//                 "budget" } ... ] }
// `failures` counts agent calls that resolved to null or threw (budget, cap); `caught` counts the
// errors `parallel` and `pipeline` caught (a stage that throws on malformed data skips the stages
// after it). A run with no failures and nothing caught that did not throw is what `wfc plan`'s
// `min` speaks about.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const SCRIPT_FILENAME = 'bounds-workflow.js';
const AGENT_CAP = 1000; // the runtime's per-run agent cap (spec §5)
const TOKENS_PER_AGENT = 5000;

// ---- command line -----------------------------------------------------------------------------

function usage(msg) {
  if (msg) process.stderr.write(`bounds-harness: ${msg}\n`);
  process.stderr.write('usage: bounds-harness.mjs <script.js> [--args <json|file>] [--runs N] [--seed S]\n');
  process.exit(2);
}

function parseCli(argv) {
  const opts = { file: null, args: undefined, argsGiven: false, runs: 30, seed: 1, nullRate: 0.1, budget: 'random' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--args') {
      const spec = argv[++i];
      if (spec === undefined) usage('--args needs a value');
      opts.argsGiven = true;
      try {
        opts.args = JSON.parse(spec);
      } catch {
        try {
          opts.args = JSON.parse(fs.readFileSync(spec, 'utf8'));
        } catch (e) {
          usage(`--args is neither JSON nor a readable JSON file: ${e.message}`);
        }
      }
    } else if (a === '--runs') {
      opts.runs = Number(argv[++i]);
      if (!Number.isInteger(opts.runs) || opts.runs < 1) usage('--runs must be a positive integer');
    } else if (a === '--seed') {
      opts.seed = Number(argv[++i]);
      if (!Number.isFinite(opts.seed)) usage('--seed must be a number');
    } else if (a === '--null-rate') {
      opts.nullRate = Number(argv[++i]);
      if (!(opts.nullRate >= 0 && opts.nullRate <= 1)) usage('--null-rate must be between 0 and 1');
    } else if (a === '--budget') {
      opts.budget = argv[++i];
      if (opts.budget !== 'random' && opts.budget !== 'none') usage('--budget must be random or none');
    } else if (a.startsWith('--')) {
      usage(`unknown option ${a}`);
    } else if (opts.file === null) {
      opts.file = a;
    } else {
      usage(`unexpected argument ${a}`);
    }
  }
  if (opts.file === null) usage('no script given');
  return opts;
}

// ---- seeded randomness --------------------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(lo, hi) {
    // inclusive
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(xs) {
    return xs[this.int(0, xs.length - 1)];
  }
}

// A small vocabulary so that values sometimes collide (scripts dedupe by string keys).
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'src/a.js', 'src/b/c.ts', 'fix', 'feat: add x', 'Foo', 'bar'];

function randomString(rng) {
  switch (rng.int(0, 3)) {
    case 0:
      return rng.pick(WORDS);
    case 1:
      return `${rng.pick(WORDS)}-${rng.int(0, 9)}`;
    case 2:
      return '';
    default: {
      const n = rng.int(1, 40);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(32, 126));
      return s;
    }
  }
}

function typeOf(schema) {
  if (!schema || typeof schema !== 'object') return undefined;
  if (Array.isArray(schema.type)) return schema.type.find(t => t !== 'null') ?? schema.type[0];
  if (schema.type) return schema.type;
  if (schema.enum) return 'enum';
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

/** A random value conforming to `schema` (the subset of JSON Schema that workflow scripts use). */
function randomValue(schema, rng, depth = 0) {
  if (schema && Array.isArray(schema.enum) && schema.enum.length) return rng.pick(schema.enum);
  if (schema && 'const' in schema) return schema.const;
  if (schema && Array.isArray(schema.anyOf ?? schema.oneOf)) return randomValue(rng.pick(schema.anyOf ?? schema.oneOf), rng, depth);
  switch (typeOf(schema)) {
    case 'object': {
      const out = {};
      for (const [k, sub] of Object.entries(schema.properties ?? {})) out[k] = randomValue(sub, rng, depth + 1);
      return out;
    }
    case 'array': {
      const minItems = Number.isInteger(schema.minItems) ? schema.minItems : 0;
      const maxItems = Number.isInteger(schema.maxItems) ? schema.maxItems : Infinity;
      const hi = Math.max(minItems, Math.min(maxItems, depth > 3 ? 2 : 6));
      const n = rng.int(minItems, hi);
      const out = [];
      for (let i = 0; i < n; i++) out.push(randomValue(schema.items ?? {}, rng, depth + 1));
      return out;
    }
    case 'string': {
      let s = randomString(rng);
      if (Number.isInteger(schema.maxLength)) s = s.slice(0, schema.maxLength);
      while (Number.isInteger(schema.minLength) && s.length < schema.minLength) s += 'x';
      return s;
    }
    case 'integer': {
      const lo = Number.isFinite(schema.minimum) ? Math.ceil(schema.minimum) : 0;
      const hi = Number.isFinite(schema.maximum) ? Math.floor(schema.maximum) : lo + 100;
      return rng.int(lo, Math.max(lo, hi));
    }
    case 'number': {
      const lo = Number.isFinite(schema.minimum) ? schema.minimum : 0;
      const hi = Number.isFinite(schema.maximum) ? schema.maximum : lo + 100;
      return lo + rng.next() * (hi - lo);
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    default:
      return randomString(rng);
  }
}

// ---- the script ----------------------------------------------------------------------------------

/**
 * The body as one async function whose parameters are the injected primitives. `export ` before
 * `const meta` is blanked out with spaces (not deleted) and the wrapper's first line is taken
 * back with `lineOffset`, so V8 positions are the file's own 1-based line:column.
 */
function compile(source) {
  const body = source.replace(/^([\s\S]*?)\bexport(\s+const\s+meta\b)/, (_, pre, rest) => `${pre}      ${rest}`);
  const wrapped =
    '(async function (args, agent, workflow, parallel, pipeline, phase, log) {\n' + body + '\n})';
  return new vm.Script(wrapped, { filename: SCRIPT_FILENAME, lineOffset: -1 });
}

const SITE_RE = new RegExp(`${SCRIPT_FILENAME.replace('.', '\\.')}:(\\d+):(\\d+)`);

/** The `line:col` of the innermost script frame calling `agent()`. */
function callSite() {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
  for (const line of stack.split('\n').slice(1)) {
    const m = SITE_RE.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return '?';
}

const DATE_MSG =
  'Date.now() / new Date() are unavailable in workflow scripts (breaks resume). Stamp results after the workflow returns, or pass timestamps via args.';
const RANDOM_MSG =
  'Math.random() is unavailable in workflow scripts (breaks resume). For N independent samples, include the index in the agent label or prompt.';

const PRELUDE = `
(() => {
  const RealDate = Date;
  function WorkflowDate(...a) {
    if (!new.target) throw new Error(${JSON.stringify(DATE_MSG)});
    if (a.length === 0) throw new Error(${JSON.stringify(DATE_MSG)});
    return Reflect.construct(RealDate, a, new.target);
  }
  WorkflowDate.prototype = RealDate.prototype;
  WorkflowDate.parse = RealDate.parse;
  WorkflowDate.UTC = RealDate.UTC;
  WorkflowDate.now = () => { throw new Error(${JSON.stringify(DATE_MSG)}); };
  Object.defineProperty(RealDate.prototype, 'constructor', { value: WorkflowDate });
  globalThis.Date = WorkflowDate;
  Math.random = () => { throw new Error(${JSON.stringify(RANDOM_MSG)}); };
})();
`;

/** Yields to the microtask queue a random number of times. */
async function jitter(rng) {
  const n = rng.int(0, 4);
  for (let i = 0; i < n; i++) await Promise.resolve();
}

async function runOnce(script, cfg, seed) {
  const rng = new Rng(seed);
  const counts = new Map();
  let total = 0;
  let nulls = 0;
  let failures = 0;
  let caught = 0;
  const budgetTotal = cfg.budget === 'none' || rng.chance(0.5) ? null : rng.int(0, 60) * TOKENS_PER_AGENT;
  let spent = 0;

  const sandbox = {
    console: { log() {}, info() {}, debug() {}, warn() {}, error() {} },
    setTimeout: (f, _ms, ...a) => {
      Promise.resolve().then(() => f(...a));
      return 0;
    },
    clearTimeout: () => {},
  };
  const context = vm.createContext(sandbox, { codeGeneration: { strings: false, wasm: false } });
  vm.runInContext(PRELUDE, context);
  const inner = vm.runInContext('({ parse: JSON.parse, Promise })', context);
  // Values handed to the script are made in the script's realm, like the runtime's.
  const toScript = v => (v === undefined ? undefined : inner.parse(JSON.stringify(v)));

  const budget = Object.create(null);
  budget.total = budgetTotal;
  budget.spent = () => spent;
  budget.remaining = () => (budgetTotal === null ? Infinity : Math.max(0, budgetTotal - spent));
  sandbox.budget = budget;

  async function agent(prompt, opts) {
    const site = callSite();
    counts.set(site, (counts.get(site) ?? 0) + 1);
    total += 1;
    if (total > AGENT_CAP) {
      failures += 1;
      throw new Error('Workflow agent() call cap reached');
    }
    if (budgetTotal !== null && spent >= budgetTotal) {
      failures += 1;
      throw new Error('token budget exhausted');
    }
    spent += TOKENS_PER_AGENT;
    await jitter(rng);
    if (rng.chance(cfg.nullRate)) {
      nulls += 1;
      failures += 1;
      return null;
    }
    const schema = opts && typeof opts === 'object' ? opts.schema : undefined;
    return toScript(schema ? randomValue(schema, rng) : randomString(rng));
  }

  async function parallel(thunks) {
    if (!Array.isArray(thunks)) throw new TypeError('parallel() expects an array of thunks');
    if (thunks.length > 4096) throw new Error(`parallel() got ${thunks.length} items; the limit is 4096`);
    const slots = thunks.map(async t => {
      await jitter(rng);
      try {
        return await (typeof t === 'function' ? t() : t);
      } catch {
        caught += 1;
        return null;
      }
    });
    return inner.Promise.all(slots);
  }

  async function pipeline(items, ...stages) {
    if (!Array.isArray(items)) throw new TypeError('pipeline() expects an array as the first argument');
    if (items.length > 4096) throw new Error(`pipeline() got ${items.length} items; the limit is 4096`);
    const chains = items.map(async (item, index) => {
      let prev = item;
      for (const stage of stages) {
        await jitter(rng);
        try {
          // A stage that *returns* null still feeds the next stage (thkt's harness); this runs
          // the most stages, which is what an upper-bound check wants.
          prev = await stage(prev, item, index);
        } catch {
          caught += 1;
          return null;
        }
      }
      return prev;
    });
    return inner.Promise.all(chains);
  }

  async function workflow(nameOrRef) {
    await jitter(rng);
    const name = typeof nameOrRef === 'string' ? nameOrRef : nameOrRef?.scriptPath;
    throw new Error(`workflow('${name}'): no workflow with that name`);
  }

  const phase = () => {};
  const log = () => {};

  const fn = script.runInContext(context);
  let threw = false;
  let error = null;
  try {
    await fn(cfg.argsGiven ? toScript(cfg.args) : undefined, agent, workflow, parallel, pipeline, phase, log);
  } catch (e) {
    threw = true;
    error = String(e?.message ?? e).slice(0, 300);
  }
  // Let stragglers (Promise.race losers, un-awaited calls) make their calls too.
  await new Promise(r => setImmediate(r));
  await new Promise(r => setImmediate(r));
  return { seed, total, threw, error, nulls, failures, caught, budget: budgetTotal, counts };
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  // An un-awaited async callback (e.g. `xs.forEach(async x => …)`) that rejects must not end the
  // process: the script's own outcome is what a run reports.
  process.on('unhandledRejection', () => {});
  const source = fs.readFileSync(path.resolve(opts.file), 'utf8');
  let script;
  try {
    script = compile(source);
  } catch (e) {
    process.stderr.write(`bounds-harness: ${opts.file} does not compile: ${e.message}\n`);
    process.exit(1);
  }
  const sites = {};
  let total = 0;
  const runs = [];
  for (let i = 0; i < opts.runs; i++) {
    const r = await runOnce(script, opts, opts.seed * 7919 + i);
    for (const [site, n] of r.counts) sites[site] = Math.max(sites[site] ?? 0, n);
    total = Math.max(total, r.total);
    runs.push({
      seed: r.seed,
      total: r.total,
      sites: Object.fromEntries(r.counts),
      threw: r.threw,
      error: r.error,
      nulls: r.nulls,
      failures: r.failures,
      caught: r.caught,
      budget: r.budget,
    });
  }
  process.stdout.write(JSON.stringify({ sites, total, runs }, null, 1) + '\n');
}

await main();
