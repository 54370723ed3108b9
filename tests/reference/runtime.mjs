#!/usr/bin/env node
// Reference runtime for Claude Code dynamic-workflow scripts, with the deterministic `sim` backend.
//
//   node tests/reference/runtime.mjs SCRIPT [--args JSON|FILE] [--concurrency N] [--max-agents N]
//                                    [--budget N] [--trace FILE] [--verbose]
//
// It runs a workflow script the way the Workflow tool does (docs: /work/shared/spec/workflow-dialect.md
// §3–§7) and answers every `agent()` call with the `sim` algorithm of docs/sim-backend.md on a
// virtual clock. stdout is the workflow's result, `JSON.stringify(result) ?? "null"` plus a newline;
// a failed run prints `error: <message>` on stderr and exits 1. The choices this file makes where
// the spec is silent are listed in tests/reference/README.md; keep the two in step, and keep the
// sim algorithm in step with docs/sim-backend.md and the Rust executor.
//
// Only Node's standard library is used. The module also exports its building blocks (the sim
// algorithm, the meta check, `runWorkflow`) for tests/reference/runtime.test.mjs.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

// ---- constants ------------------------------------------------------------------------------------

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MAX_AGENTS = 1000;
export const ITEM_LIMIT = 4096; // items per parallel()/pipeline() call (spec §5)
export const SCRIPT_MAX_CHARS = 524288; // Workflow tool input schema, script.maxLength (spec §1)
/** Guard against schemas such as `{minItems: 1e9}`: the sim answer would not fit in memory. */
export const SIM_MAX_SIZE = 1_000_000;

export const SCRIPT_FILENAME = 'workflow.js'; // runtime stack frames name the script this way (spec §3.1)

export const META_MSG =
  'Invalid workflow script: export const meta = { name, description, phases } must be the FIRST statement in the script';
export const DATE_MSG =
  'Date.now() / new Date() are unavailable in workflow scripts (breaks resume). Stamp results after the workflow returns, or pass timestamps via args.';
export const RANDOM_MSG =
  'Math.random() is unavailable in workflow scripts (breaks resume). For N independent samples, include the index in the agent label or prompt.';
export const IMPORT_MSG = 'import() is not available in workflow scripts';
export const CAP_MSG = 'Workflow agent() call cap reached';
export const STUCK_MSG =
  'the workflow never settled: it is waiting for a promise that no agent, timer or child workflow can resolve';

// ---- the sim algorithm (docs/sim-backend.md) -------------------------------------------------------

/** FNV-1a, 32 bits, over a byte array (or the UTF-8 bytes of a string). */
export function fnv1a32(input) {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32, exactly as docs/sim-backend.md §2 writes it: each draw is an unsigned 32-bit integer. */
export function mulberry32(a) {
  return function () {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function sortedStringify(v) {
  if (Array.isArray(v)) return '[' + v.map(sortedStringify).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    // Default sort = UTF-16 code unit order. Integer-like keys are sorted as strings too ("10" < "9").
    const keys = Object.keys(v).sort();
    return '{' + keys.map(k => JSON.stringify(k) + ':' + sortedStringify(v[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

/**
 * `canonical(v)`: JSON.stringify with every object's keys sorted by UTF-16 code units. The value
 * goes through JSON.stringify first, so toJSON, dropped undefined/function properties, non-finite
 * numbers (→ null) and number formatting are exactly JSON.stringify's.
 */
export function canonical(v) {
  const text = JSON.stringify(v);
  if (text === undefined) return undefined;
  return sortedStringify(JSON.parse(text));
}

/** The "JSON view" of a value: what the Rust executor, which sees JSON, sees. */
export function jsonView(v) {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
}

export function hex8(n) {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function hex4(n) {
  return (n & 0xffff).toString(16).padStart(4, '0');
}

export function sha256hex(text) {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

const isPlainObject = v => v !== null && typeof v === 'object' && !Array.isArray(v);
const nonNegInt = v => (Number.isInteger(v) && v >= 0 ? v : undefined);
const finite = v => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function setProp(obj, key, value) {
  // defineProperty, not assignment: a property named "__proto__" must stay an own data property.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function simError(message) {
  return new Error(`agent(): ${message}`);
}

/**
 * `gen(schema, name)` of docs/sim-backend.md §3. `schema` is a JSON view (plain JSON values);
 * `rng` is `{ draw, int }`.
 */
export function gen(schema, name, rng, depth = 0) {
  if (depth > 256) throw simError('the schema is nested too deeply for the sim backend');
  if (!isPlainObject(schema)) return genString({}, name, rng);
  const s = schema;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[rng.int(s.enum.length)];
  const alts = Array.isArray(s.anyOf) && s.anyOf.length > 0 ? s.anyOf : Array.isArray(s.oneOf) && s.oneOf.length > 0 ? s.oneOf : null;
  if (alts) return gen(alts[rng.int(alts.length)], name, rng, depth + 1);
  let type = s.type;
  if (Array.isArray(type)) {
    const t = type.find(x => x !== 'null');
    type = t === undefined ? 'null' : t;
  }
  if (type === 'object' || (type === undefined && s.properties != null)) {
    const out = {};
    if (isPlainObject(s.properties)) {
      for (const k of Object.keys(s.properties)) setProp(out, k, gen(s.properties[k], k, rng, depth + 1));
    }
    return out;
  }
  if (type === 'array' || (type === undefined && s.items != null)) {
    const min = nonNegInt(s.minItems) ?? 0;
    const max = nonNegInt(s.maxItems) ?? min + 3;
    const len = max < min ? min : min + rng.int(max - min + 1);
    if (len > SIM_MAX_SIZE) throw simError(`the schema asks for ${len} array items; the sim backend stops at ${SIM_MAX_SIZE}`);
    const items = s.items ?? {};
    const out = [];
    for (let i = 0; i < len; i++) out.push(gen(items, name, rng, depth + 1));
    return out;
  }
  if (type === 'string') return genString(s, name, rng);
  if (type === 'integer' || type === 'number') {
    const lo = Math.ceil(finite(s.minimum) ?? 0);
    const hi = Math.floor(finite(s.maximum) ?? lo + 100);
    return hi < lo ? lo : lo + rng.int(hi - lo + 1);
  }
  if (type === 'boolean') return rng.int(2) === 1;
  if (type === 'null') return null;
  return genString({}, name, rng);
}

function genString(s, name, rng) {
  let cps = Array.from(`${name}-${hex4(rng.draw())}`); // lengths count Unicode code points
  const minLength = nonNegInt(s.minLength);
  const maxLength = nonNegInt(s.maxLength);
  if (minLength !== undefined && minLength > cps.length) {
    if (minLength > SIM_MAX_SIZE) throw simError(`the schema asks for a ${minLength}-character string; the sim backend stops at ${SIM_MAX_SIZE}`);
    cps = cps.concat(Array(minLength - cps.length).fill('x'));
  }
  if (maxLength !== undefined && cps.length > maxLength) cps = cps.slice(0, maxLength);
  return cps.join('');
}

const MODEL_BASE = [
  ['opus', 6],
  ['sonnet', 3],
  ['haiku', 1.5],
];
const EFFORT_FACTOR = { low: 0.5, medium: 1, high: 1.5, xhigh: 2, max: 3 };

/** Minutes of the base duration for a model: the first alias (opus, sonnet, haiku) the id contains. */
export function modelBase(model) {
  if (typeof model === 'string') for (const [alias, base] of MODEL_BASE) if (model.includes(alias)) return base;
  return 3;
}

export function effortFactor(effort) {
  return typeof effort === 'string' && Object.hasOwn(EFFORT_FACTOR, effort) ? EFFORT_FACTOR[effort] : 1;
}

/**
 * The sim answer for one call. `options` is the JSON view of the options object (`{}` when
 * absent). Returns `{ key, seed, answer, duration_ms, prompt_hash }`.
 */
export function simulate(prompt, options = {}) {
  const key = canonical({ prompt, options });
  const seed = fnv1a32(key);
  const draw = mulberry32(seed);
  const rng = { draw, int: n => draw() % n };
  let answer;
  if (options.schema === undefined || options.schema === null) {
    const label = typeof options.label === 'string' ? options.label : 'agent';
    answer = `sim:${label}:${hex8(seed)}`;
  } else {
    answer = gen(options.schema, 'item', rng);
  }
  const d = draw();
  const minutes = modelBase(options.model) * effortFactor(options.effort) * (0.5 + d / 4294967296);
  const duration_ms = Math.round(minutes * 60000);
  return { key, seed, answer, duration_ms, prompt_hash: sha256hex(key) };
}

// ---- the schema contradiction check ----------------------------------------------------------------

function pointerEscape(k) {
  return String(k).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The first `required` key that `additionalProperties: false` rules out (a closed object schema:
 * `additionalProperties === false` and no `patternProperties`), anywhere in the schema, walking the
 * same keywords as wfc's `schema-invalid` rule. Returns `null` or `{ pointer, key }`.
 */
export function findContradiction(schema, pointer = '#') {
  if (!isPlainObject(schema)) return null;
  const required = schema.required;
  if (Array.isArray(required) && schema.additionalProperties === false && schema.patternProperties === undefined) {
    const props = isPlainObject(schema.properties) ? schema.properties : null;
    for (let i = 0; i < required.length; i++) {
      const k = required[i];
      if (typeof k !== 'string') continue;
      if (props && Object.hasOwn(props, k)) continue;
      return { pointer: `${pointer}/required/${i}`, key: k };
    }
  }
  for (const [key, value] of Object.entries(schema)) {
    const here = `${pointer}/${pointerEscape(key)}`;
    let found = null;
    switch (key) {
      case 'properties':
      case 'patternProperties':
      case '$defs':
      case 'definitions':
      case 'dependentSchemas':
        if (isPlainObject(value)) {
          for (const [name, child] of Object.entries(value)) {
            found = findContradiction(child, `${here}/${pointerEscape(name)}`);
            if (found) break;
          }
        }
        break;
      case 'items':
      case 'prefixItems':
      case 'anyOf':
      case 'oneOf':
      case 'allOf':
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length && !found; i++) found = findContradiction(value[i], `${here}/${i}`);
        } else {
          found = findContradiction(value, here);
        }
        break;
      case 'additionalProperties':
      case 'additionalItems':
      case 'unevaluatedProperties':
      case 'unevaluatedItems':
      case 'contains':
      case 'propertyNames':
      case 'not':
      case 'if':
      case 'then':
      case 'else':
        found = findContradiction(value, here);
        break;
      default:
        break;
    }
    if (found) return found;
  }
  return null;
}

// ---- a small JavaScript tokenizer (meta check, import() pre-check) ----------------------------------

const REGEX_AFTER_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else',
  'yield', 'await',
]);
const PUNCTUATORS = [
  '>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=',
  '^=', '**', '<<', '>>',
];
const isIdStart = c => /[A-Za-z_$\\]/.test(c) || c > '\x7f';
const isIdPart = c => /[\w$\\]/.test(c) || c > '\x7f';

/**
 * Significant tokens of `src`: `{ type: 'ident'|'punct'|'string'|'template'|'regex'|'number',
 * value, start, end }`. Comments and whitespace are skipped; template literals are `template`
 * tokens, with the tokens of their `${…}` substitutions emitted in between. Regex-vs-division is
 * decided by the previous token, the usual heuristic. Lenient: an unterminated construct ends the
 * token list (the V8 compile reports the syntax error).
 */
export function tokenize(src) {
  const tokens = [];
  const braces = []; // 'brace' | 'template'
  let i = 0;
  const n = src.length;
  const prev = () => tokens[tokens.length - 1];
  const regexAllowed = () => {
    const p = prev();
    if (!p) return true;
    if (p.type === 'punct') return !(p.value === ')' || p.value === ']');
    if (p.type === 'ident') return REGEX_AFTER_KEYWORDS.has(p.value);
    return p.type === 'template' && p.value.endsWith('${');
  };
  const scanTemplate = start => {
    // i points just after "`" or after the "}" closing a substitution.
    while (i < n) {
      const c = src[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '`') {
        i++;
        tokens.push({ type: 'template', value: src.slice(start, i), start, end: i });
        return true;
      }
      if (c === '$' && src[i + 1] === '{') {
        i += 2;
        tokens.push({ type: 'template', value: src.slice(start, i), start, end: i });
        braces.push('template');
        return true;
      }
      i++;
    }
    return false;
  };
  while (i < n) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f' || c === '\ufeff' || /\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n' && src[i] !== '\r' && src[i] !== '\u2028' && src[i] !== '\u2029') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) return tokens;
      i = end + 2;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      i++;
      while (i < n && src[i] !== c) {
        if (src[i] === '\\') i++;
        else if (src[i] === '\n') return tokens;
        i++;
      }
      if (i >= n) return tokens;
      i++;
      tokens.push({ type: 'string', value: src.slice(start, i), start, end: i });
      continue;
    }
    if (c === '`') {
      i++;
      if (!scanTemplate(start)) return tokens;
      continue;
    }
    if (c === '}' && braces[braces.length - 1] === 'template') {
      braces.pop();
      i++;
      if (!scanTemplate(start)) return tokens;
      continue;
    }
    if (c === '/' && regexAllowed()) {
      i++;
      let inClass = false;
      while (i < n) {
        const d = src[i];
        if (d === '\\') i += 2;
        else if (d === '\n') return tokens;
        else {
          if (d === '[') inClass = true;
          else if (d === ']') inClass = false;
          else if (d === '/' && !inClass) break;
          i++;
        }
      }
      if (i >= n) return tokens;
      i++;
      while (i < n && isIdPart(src[i])) i++;
      tokens.push({ type: 'regex', value: src.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      i++;
      while (i < n && (/[\w.]/.test(src[i]) || ((src[i] === '+' || src[i] === '-') && /[eE]/.test(src[i - 1]) && !/^0[xX]/.test(src.slice(start, i))))) i++;
      tokens.push({ type: 'number', value: src.slice(start, i), start, end: i });
      continue;
    }
    if (isIdStart(c) || c === '#') {
      i++;
      while (i < n && isIdPart(src[i])) {
        if (src[i] === '\\') i++;
        i++;
      }
      tokens.push({ type: 'ident', value: src.slice(start, i), start, end: i });
      continue;
    }
    const p = PUNCTUATORS.find(q => src.startsWith(q, i)) ?? c;
    // `?.` followed by a digit is `?` then `.5`.
    const value = p === '?.' && /[0-9]/.test(src[i + 2] ?? '') ? '?' : p;
    i += value.length;
    if (value === '{') braces.push('brace');
    else if (value === '}') braces.pop();
    tokens.push({ type: 'punct', value, start, end: i });
  }
  return tokens;
}

/**
 * Checks that `export const meta = {…}` is the first statement. Returns `{ ok: true, exportStart,
 * exportEnd, metaText }` (`metaText` is the object literal, or null if its end was not found), or
 * `{ ok: false }`.
 */
export function checkMetaFirst(src, tokens = tokenize(src)) {
  const [t0, t1, t2, t3, t4] = tokens;
  const is = (t, type, value) => t && t.type === type && t.value === value;
  if (!(is(t0, 'ident', 'export') && is(t1, 'ident', 'const') && is(t2, 'ident', 'meta') && is(t3, 'punct', '='))) {
    return { ok: false };
  }
  let metaText = null;
  if (is(t4, 'punct', '{')) {
    let depth = 0;
    for (let k = 4; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.type !== 'punct') continue;
      if (t.value === '{') depth++;
      else if (t.value === '}' && --depth === 0) {
        metaText = src.slice(t4.start, t.end);
        break;
      }
    }
  }
  return { ok: true, exportStart: t0.start, exportEnd: t0.end, metaText };
}

/** The first dynamic `import(` outside strings/comments, as `{ start }`, or null. */
export function findDynamicImport(tokens) {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type !== 'ident' || t.value !== 'import') continue;
    const before = tokens[k - 1];
    if (before && before.type === 'punct' && (before.value === '.' || before.value === '?.')) continue;
    const after = tokens[k + 1];
    if (after && after.type === 'punct' && after.value === '(') return { start: t.start };
  }
  return null;
}

function lineColOf(src, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = src[i];
    if (c === '\n' || c === '\u2028' || c === '\u2029' || (c === '\r' && src[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

// ---- loading a script -----------------------------------------------------------------------------

/** An error that ends the run (or, in a child, rejects its workflow() call) with `message`. */
export class WorkflowError extends Error {}

/**
 * Checks and compiles a script. Returns `{ script, meta }` or throws a WorkflowError:
 * the meta-first check, the size limit, the import() pre-check, syntax errors, meta.name/description.
 */
export function prepareScript(source) {
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  if (source.length > SCRIPT_MAX_CHARS) {
    throw new WorkflowError(`script is too large: ${source.length} characters (the limit is ${SCRIPT_MAX_CHARS})`);
  }
  const tokens = tokenize(source);
  const first = checkMetaFirst(source, tokens);
  if (!first.ok) throw new WorkflowError(META_MSG);
  // "export" becomes six spaces, so every position in the body is the file's own.
  const body = source.slice(0, first.exportStart) + ' '.repeat(first.exportEnd - first.exportStart) + source.slice(first.exportEnd);
  const wrapped =
    '(function (agent, parallel, pipeline, phase, log, workflow, args, budget) { return async function () {\n' +
    body +
    '\n} })';
  let script;
  try {
    script = new vm.Script(wrapped, { filename: SCRIPT_FILENAME, lineOffset: -1 });
  } catch (e) {
    const where = /^workflow\.js:(\d+)/.exec(String(e?.stack ?? ''));
    throw new WorkflowError(`${e?.name ?? 'SyntaxError'}: ${e?.message ?? e}${where ? ` (${SCRIPT_FILENAME}:${where[1]})` : ''}`);
  }
  const imp = findDynamicImport(tokens);
  if (imp) {
    const { line, column } = lineColOf(source, imp.start);
    throw new WorkflowError(`${IMPORT_MSG} (${SCRIPT_FILENAME}:${line}:${column})`);
  }
  let meta = null;
  if (first.metaText !== null) {
    try {
      const metaCtx = vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
      meta = jsonView(vm.runInContext(`(${first.metaText}\n)`, metaCtx, { timeout: 1000 }));
    } catch {
      meta = null; // not a pure literal: the body evaluates it; nothing to validate here
    }
  }
  if (isPlainObject(meta)) {
    if (typeof meta.name !== 'string' || meta.name === '') throw new WorkflowError('meta.name must be a non-empty string');
    if (typeof meta.description !== 'string' || meta.description === '') {
      throw new WorkflowError('meta.description must be a non-empty string');
    }
  }
  return { script, meta };
}

// ---- the realm ------------------------------------------------------------------------------------

const PRELUDE = `
(() => {
  const RealDate = globalThis.Date;
  const DATE_MSG = ${JSON.stringify(DATE_MSG)};
  function Date(...a) {
    if (!new.target || a.length === 0) throw new Error(DATE_MSG);
    return Reflect.construct(RealDate, a, new.target);
  }
  Object.defineProperty(Date, 'length', { value: 7 });
  Date.prototype = RealDate.prototype;
  Date.parse = RealDate.parse;
  Date.UTC = RealDate.UTC;
  Date.now = function now() { throw new Error(DATE_MSG); };
  Object.defineProperty(RealDate.prototype, 'constructor', { value: Date, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'Date', { value: Date, writable: true, configurable: true });
  Math.random = function random() {
    throw new Error(${JSON.stringify(RANDOM_MSG)});
  };
})();
`;

/** An error thrown by a host function into the script: a null-prototype object (spec §3.4). */
function scriptError(e) {
  const name = e?.name ?? 'Error';
  const message = e?.message ?? String(e);
  const obj = Object.create(null);
  obj.name = name;
  obj.message = message;
  obj.stack = `${name}: ${message}\n    at <workflow runtime>`;
  obj.toString = function toString() {
    return `${this.name}: ${this.message}`;
  };
  return obj;
}

/** The text of a thrown value, for `error: <message>`. */
export function messageOf(e) {
  try {
    if (e !== null && (typeof e === 'object' || typeof e === 'function') && typeof e.message === 'string') return e.message;
    return String(e);
  } catch {
    return Object.prototype.toString.call(e);
  }
}

// ---- the run: shared state, virtual clock, scheduler -----------------------------------------------

class Run {
  constructor(cfg) {
    this.concurrency = cfg.concurrency ?? DEFAULT_CONCURRENCY;
    this.maxAgents = cfg.maxAgents ?? DEFAULT_MAX_AGENTS;
    this.budgetTotal = cfg.budget ?? null;
    this.verbose = Boolean(cfg.verbose);
    this.stderr = cfg.stderr ?? (s => process.stderr.write(s));
    this.now = 0;
    this.spent = 0;
    this.count = 0; // accepted agent() calls (the cap counter)
    this.records = []; // one per accepted agent() call, by seq
    this.completed = []; // seqs of completed agents
    this.running = [];
    this.queue = [];
    this.timers = [];
    this.eventSeq = 0;
    this.timerId = 0;
    this.logs = [];
    this.done = false;
    this.stepScheduled = false;
    this.onStuck = null;
    this.onFatal = null;
    const budget = Object.create(null);
    const run = this;
    budget.total = this.budgetTotal;
    budget.spent = function spent() {
      return run.spent;
    };
    budget.remaining = function remaining() {
      return run.budgetTotal === null ? Infinity : Math.max(0, run.budgetTotal - run.spent);
    };
    this.budget = Object.freeze(budget);
  }

  start(rec) {
    rec.start_ms = this.now;
    rec.end_ms = this.now + rec.duration_ms;
    rec.eventSeq = ++this.eventSeq;
    this.running.push(rec);
  }

  submit(rec) {
    if (this.running.length < this.concurrency) this.start(rec);
    else this.queue.push(rec);
    this.kick();
  }

  addTimer(fn, delay, args) {
    const id = ++this.timerId;
    this.timers.push({ id, time: this.now + delay, eventSeq: ++this.eventSeq, fn, args });
    this.kick();
    return id;
  }

  clearTimer(id) {
    const k = this.timers.findIndex(t => t.id === id);
    if (k >= 0) this.timers.splice(k, 1);
  }

  kick() {
    if (this.done || this.stepScheduled) return;
    this.stepScheduled = true;
    setImmediate(() => this.step());
  }

  /** Runs when the script is idle (setImmediate: every microtask has drained). */
  step() {
    this.stepScheduled = false;
    if (this.done) return;
    let best = null;
    let bestKind = null;
    const earlier = (time, seq) => best === null || time < best.t || (time === best.t && seq < best.s);
    for (const a of this.running) if (earlier(a.end_ms, a.eventSeq)) (best = { t: a.end_ms, s: a.eventSeq, v: a }), (bestKind = 'agent');
    for (const t of this.timers) if (earlier(t.time, t.eventSeq)) (best = { t: t.time, s: t.eventSeq, v: t }), (bestKind = 'timer');
    if (best === null) {
      this.onStuck?.();
      return;
    }
    this.now = best.t;
    if (bestKind === 'agent') {
      const rec = best.v;
      this.running.splice(this.running.indexOf(rec), 1);
      rec.completed = true;
      this.spent += rec.tokens;
      this.completed.push(rec.seq);
      while (this.running.length < this.concurrency && this.queue.length > 0) this.start(this.queue.shift());
      this.kick();
      rec.resolve();
    } else {
      const timer = best.v;
      this.timers.splice(this.timers.indexOf(timer), 1);
      this.kick();
      try {
        timer.fn(...timer.args);
      } catch (e) {
        this.onFatal?.(e); // an exception in a timer callback is uncaught: it ends the run
      }
    }
  }

  traceLines() {
    const lines = this.records.map(r => {
      const o = {
        seq: r.seq,
        site: r.site,
        prompt_hash: r.prompt_hash,
        label: r.label,
        phase: r.phase,
        start_ms: r.start_ms,
        end_ms: r.completed ? r.end_ms : null,
        deps: r.deps,
      };
      if (r.workflow !== null) o.workflow = r.workflow;
      return JSON.stringify(o);
    });
    lines.push(JSON.stringify({ type: 'summary', agents: this.records.length, makespan_ms: this.makespan ?? this.now }));
    return lines.join('\n') + '\n';
  }
}

// ---- one workflow invocation (the top level, or a child) ------------------------------------------

/** The `line:col` of the innermost frame of `filename` on the current stack, or "?". */
function callSite(filename) {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
  const suffix = new RegExp(`[( ]${filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)\\)?$`);
  for (const line of stack.split('\n').slice(1)) {
    const m = suffix.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return '?';
}

class Invocation {
  /**
   * @param run the shared Run
   * @param opts { dir, name (null for the top level), isChild }
   */
  constructor(run, { dir, name, isChild }) {
    this.run = run;
    this.dir = dir;
    this.name = name;
    this.isChild = isChild;
    this.phase = null;
    this.context = vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
    vm.runInContext(PRELUDE, this.context);
    this.inner = vm.runInContext('({ Promise, Array, JSON })', this.context);
    this.installGlobals();
  }

  /** A JSON value (given as JSON text) as a fresh value of the script's realm. */
  fromJson(text) {
    return text === undefined ? undefined : this.inner.JSON.parse(text);
  }

  toRealmArray(values) {
    return this.inner.Array.from(values);
  }

  installGlobals() {
    const run = this.run;
    const g = this.context;
    const out =
      level =>
      (...a) => {
        if (run.verbose) run.stderr(`console.${level}: ${util.format(...a)}\n`);
      };
    const consoleObj = {};
    for (const level of ['log', 'info', 'debug', 'warn', 'error', 'trace']) consoleObj[level] = out(level);
    g.console = consoleObj;
    g.setTimeout = (fn, ms, ...args) => {
      if (typeof fn !== 'function') throw scriptError(new TypeError('setTimeout() expects a function as its first argument'));
      let delay = Number(ms);
      if (!(delay >= 1 && delay <= 2147483647)) delay = 1;
      return run.addTimer(fn, Math.trunc(delay), args);
    };
    g.clearTimeout = id => run.clearTimer(id);
    g.budget = run.budget;
  }

  primitives() {
    return {
      agent: this.agent.bind(this),
      parallel: this.parallel.bind(this),
      pipeline: this.pipeline.bind(this),
      phase: this.setPhase.bind(this),
      log: this.log.bind(this),
      workflow: this.workflow.bind(this),
    };
  }

  reject(e) {
    return this.inner.Promise.reject(scriptError(e));
  }

  agent(prompt, opts) {
    const site = callSite(SCRIPT_FILENAME);
    const run = this.run;
    let sim;
    let options;
    try {
      if (typeof prompt !== 'string') throw new TypeError('agent() expects a string prompt as its first argument');
      if (opts !== undefined && opts !== null && (typeof opts !== 'object' || Array.isArray(opts))) {
        throw new TypeError('agent() expects an options object as its second argument');
      }
      options = opts == null ? {} : jsonView(opts);
      const bad = findContradiction(options.schema);
      if (bad) {
        throw new Error(
          `agent(): the schema contradicts itself: required key \`${bad.key}\` is ruled out by \`additionalProperties: false\` (at ${bad.pointer})`,
        );
      }
      sim = simulate(prompt, options);
      if (run.count >= run.maxAgents) throw new Error(CAP_MSG);
      if (run.budgetTotal !== null && run.spent >= run.budgetTotal) {
        throw new Error(`Workflow token budget exhausted: spent ${run.spent} of ${run.budgetTotal} tokens`);
      }
    } catch (e) {
      return this.reject(e);
    }
    run.count++;
    const answerText = JSON.stringify(sim.answer) ?? 'null';
    const rec = {
      seq: run.records.length + 1,
      site,
      prompt_hash: sim.prompt_hash,
      label: typeof options.label === 'string' ? options.label : null,
      phase: typeof options.phase === 'string' ? options.phase : this.phase,
      start_ms: null,
      end_ms: null,
      duration_ms: sim.duration_ms,
      deps: [...run.completed].sort((a, b) => a - b),
      workflow: this.isChild ? this.name : null,
      tokens: answerText.length,
      completed: false,
      resolve: null,
    };
    run.records.push(rec);
    const promise = new this.inner.Promise(resolve => {
      rec.resolve = () => resolve(this.fromJson(answerText));
    });
    run.submit(rec);
    return promise;
  }

  parallel(thunks) {
    if (!Array.isArray(thunks)) return this.reject(new TypeError('parallel() expects an array of thunks'));
    if (thunks.length > ITEM_LIMIT) {
      return this.reject(new Error(`parallel() got ${thunks.length} items; the limit is ${ITEM_LIMIT}`));
    }
    const slots = [];
    for (let i = 0; i < thunks.length; i++) {
      const t = thunks[i];
      let p;
      try {
        p = typeof t === 'function' ? t() : t; // a non-function element is awaited as a value
      } catch {
        slots.push(null);
        continue;
      }
      slots.push(Promise.resolve(p).then(
        v => v,
        () => null,
      ));
    }
    return new this.inner.Promise(resolve => {
      Promise.all(slots).then(values => resolve(this.toRealmArray(values)));
    });
  }

  pipeline(items, ...stages) {
    if (!Array.isArray(items)) return this.reject(new TypeError('pipeline() expects an array as the first argument'));
    if (items.length > ITEM_LIMIT) {
      return this.reject(new Error(`pipeline() got ${items.length} items; the limit is ${ITEM_LIMIT}`));
    }
    const bad = stages.findIndex(s => typeof s !== 'function');
    if (bad >= 0) return this.reject(new TypeError(`pipeline() stage ${bad + 1} is not a function`));
    const chain = async (item, index) => {
      let prev = item; // stage 1 gets the item itself
      for (const stage of stages) {
        try {
          prev = await stage(prev, item, index); // a stage returning null passes null on
        } catch {
          return null; // a throwing stage drops the item and skips its remaining stages
        }
      }
      return prev;
    };
    const chains = [];
    for (let i = 0; i < items.length; i++) chains.push(chain(items[i], i));
    return new this.inner.Promise(resolve => {
      Promise.all(chains).then(values => resolve(this.toRealmArray(values)));
    });
  }

  setPhase(title) {
    this.phase = typeof title === 'string' ? title : String(title);
  }

  log(message) {
    const line = typeof message === 'string' ? message : String(message);
    this.run.logs.push(line);
    if (this.run.verbose) this.run.stderr(`log: ${line}\n`);
  }

  workflow(nameOrRef, childArgs) {
    const display =
      typeof nameOrRef === 'string'
        ? `workflow('${nameOrRef}')`
        : `workflow({scriptPath: '${nameOrRef && typeof nameOrRef === 'object' ? String(nameOrRef.scriptPath) : nameOrRef}'})`;
    if (this.isChild) {
      return this.reject(new Error(`${display}: workflow() cannot be called inside a nested workflow (nesting is one level only)`));
    }
    let file;
    let name;
    if (typeof nameOrRef === 'string') {
      const stem = nameOrRef.includes(':') ? nameOrRef.slice(nameOrRef.lastIndexOf(':') + 1) : nameOrRef;
      const candidates = /^[^/\\]+$/.test(stem) && !stem.startsWith('.') ? [`${stem}.js`, `${stem}.mjs`] : [];
      file = candidates.map(c => path.join(this.dir, c)).find(p => {
        try {
          return fs.statSync(p).isFile();
        } catch {
          return false;
        }
      });
      if (!file) return this.reject(new Error(`${display}: no workflow with that name`));
      name = nameOrRef;
    } else if (nameOrRef && typeof nameOrRef === 'object' && typeof nameOrRef.scriptPath === 'string') {
      file = path.resolve(this.dir, nameOrRef.scriptPath);
      name = nameOrRef.scriptPath;
    } else {
      return this.reject(new TypeError('workflow() expects a workflow name or { scriptPath }'));
    }
    let source;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (e) {
      return this.reject(new Error(`${display}: cannot read ${file}: ${e.code ?? e.message}`));
    }
    let argsText;
    try {
      argsText = childArgs === undefined ? undefined : JSON.stringify(childArgs);
    } catch (e) {
      return this.reject(new TypeError(`${display}: args are not JSON-serializable: ${messageOf(e)}`));
    }
    let child;
    let body;
    try {
      const { script } = prepareScript(source);
      child = new Invocation(this.run, { dir: path.dirname(file), name, isChild: true });
      body = script.runInContext(child.context);
    } catch (e) {
      return this.reject(new Error(`${display}: ${messageOf(e)}`));
    }
    return new this.inner.Promise((resolve, reject) => {
      let settled;
      try {
        const p = child.primitives();
        settled = body(p.agent, p.parallel, p.pipeline, p.phase, p.log, p.workflow, child.fromJson(argsText), this.run.budget)();
      } catch (e) {
        reject(scriptError(new Error(`${display}: ${messageOf(e)}`)));
        return;
      }
      Promise.resolve(settled).then(
        value => {
          let text;
          try {
            text = JSON.stringify(value);
          } catch (e) {
            reject(scriptError(new Error(`${display}: the result is not JSON-serializable: ${messageOf(e)}`)));
            return;
          }
          resolve(this.fromJson(text));
        },
        e => reject(scriptError(new Error(`${display}: ${messageOf(e)}`))),
      );
    });
  }
}

// ---- running a workflow ---------------------------------------------------------------------------

/**
 * Runs one workflow file. `cfg`: { file, source?, args? (a JSON value; undefined = no args),
 * concurrency?, maxAgents?, budget?, verbose?, stderr? }. Resolves (never rejects) to
 * `{ ok, stdout, error, makespan_ms, agents, trace, logs }`, where `stdout` is the result line
 * and `trace` the JSONL text.
 */
export function runWorkflow(cfg) {
  return new Promise(resolveRun => {
    const run = new Run(cfg);
    let finished = false;
    const finish = outcome => {
      if (finished) return;
      finished = true;
      run.done = true;
      run.makespan = run.now;
      resolveRun({
        ...outcome,
        makespan_ms: run.now,
        agents: run.records.length,
        trace: run.traceLines(),
        logs: run.logs,
      });
    };
    const fail = e => finish({ ok: false, stdout: null, error: messageOf(e) });
    run.onStuck = () => fail(new Error(STUCK_MSG));
    run.onFatal = e => fail(e);
    try {
      const file = path.resolve(cfg.file);
      let source = cfg.source;
      if (source === undefined) {
        try {
          source = fs.readFileSync(file, 'utf8');
        } catch (e) {
          throw new WorkflowError(`cannot read ${cfg.file}: ${e.code ?? e.message}`);
        }
      }
      const { script } = prepareScript(source);
      const top = new Invocation(run, { dir: path.dirname(file), name: null, isChild: false });
      const argsText = cfg.args === undefined ? undefined : JSON.stringify(cfg.args);
      const p = top.primitives();
      const body = script.runInContext(top.context);
      const settled = body(p.agent, p.parallel, p.pipeline, p.phase, p.log, p.workflow, top.fromJson(argsText), run.budget)();
      run.kick();
      Promise.resolve(settled).then(
        value => {
          let text;
          try {
            text = JSON.stringify(value) ?? 'null';
          } catch (e) {
            fail(e);
            return;
          }
          finish({ ok: true, stdout: text, error: null });
        },
        e => fail(e),
      );
    } catch (e) {
      fail(e);
    }
  });
}

// ---- command line ---------------------------------------------------------------------------------

const USAGE =
  'usage: node tests/reference/runtime.mjs SCRIPT [--args JSON|FILE] [--concurrency N] [--max-agents N] [--budget N] [--trace FILE] [--verbose]\n';

class UsageError extends Error {}

export function parseCli(argv) {
  const cfg = { file: null, args: undefined, concurrency: DEFAULT_CONCURRENCY, maxAgents: DEFAULT_MAX_AGENTS, budget: null, trace: null, verbose: false };
  const takesValue = new Set(['--args', '--concurrency', '--max-agents', '--budget', '--trace']);
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let value;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (takesValue.has(a) && value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      value = argv[++i];
    }
    const int = (min, what) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min) throw new UsageError(`${a} must be ${what}, got ${JSON.stringify(value)}`);
      return n;
    };
    switch (a) {
      case '--args':
        try {
          cfg.args = JSON.parse(value);
        } catch (e) {
          let text;
          try {
            text = fs.readFileSync(value, 'utf8');
          } catch {
            throw new UsageError(`--args is neither JSON nor a readable file: ${e.message}`);
          }
          try {
            cfg.args = JSON.parse(text);
          } catch (e2) {
            throw new UsageError(`--args file ${value} is not JSON: ${e2.message}`);
          }
        }
        break;
      case '--concurrency':
        cfg.concurrency = int(1, 'an integer ≥ 1');
        break;
      case '--max-agents':
        cfg.maxAgents = int(0, 'an integer ≥ 0');
        break;
      case '--budget': {
        const n = Number(value);
        if (!Number.isFinite(n) || n < 0) throw new UsageError(`--budget must be a number ≥ 0, got ${JSON.stringify(value)}`);
        cfg.budget = n;
        break;
      }
      case '--trace':
        cfg.trace = value;
        break;
      case '--verbose':
        cfg.verbose = true;
        break;
      case '--help':
      case '-h':
        cfg.help = true;
        break;
      default:
        if (a.startsWith('--') || (a.startsWith('-') && a.length > 1)) throw new UsageError(`unknown option ${a}`);
        if (cfg.file !== null) throw new UsageError(`unexpected argument ${a}`);
        cfg.file = a;
    }
  }
  if (!cfg.help && cfg.file === null) throw new UsageError('no script given');
  return cfg;
}

async function main() {
  // An un-awaited promise the script lets reject must not end the process: the script's own
  // outcome is what the run reports.
  process.on('unhandledRejection', () => {});
  let cfg;
  try {
    cfg = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`runtime: ${e.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (cfg.help) {
    process.stdout.write(USAGE);
    return;
  }
  const r = await runWorkflow(cfg);
  if (cfg.trace !== null) {
    try {
      fs.writeFileSync(cfg.trace, r.trace);
    } catch (e) {
      process.stderr.write(`runtime: cannot write the trace to ${cfg.trace}: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
  }
  if (r.ok) {
    process.stdout.write(r.stdout + '\n');
    process.exitCode = 0;
  } else {
    process.stderr.write(`error: ${r.error}\n`);
    process.exitCode = 1;
  }
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  main().catch(e => {
    process.stderr.write(`runtime: internal error: ${e?.stack ?? e}\n`);
    process.exitCode = 3;
  });
}
