// Evaluates JavaScript expressions the way the workflow sandbox would see them and prints one
// formatted result per expression, as a JSON array of strings.
//
// Input (stdin): a JSON array of expression texts. Each runs in one fresh `node:vm` context (the
// sandbox's realm: no `process`, `require`, `queueMicrotask`, …) with the sandbox's `console`,
// `setTimeout`, `clearTimeout` and throwing `Math.random`, plus the test helpers `upper`, `show`,
// `boom`, `seven` and `format` (Node's `util.format`, which `console.*` uses). A result is formatted by `fmt` below (the Rust test has the same
// formatter); a throw becomes `throws <name>: <message>`.
//
// Strings are made well-formed before printing: the Rust evaluator cannot represent a lone
// surrogate and stores U+FFFD instead (a documented difference), so both sides print U+FFFD.
'use strict';
const vm = require('node:vm');

const RANDOM_MSG =
  'Math.random() is unavailable in workflow scripts (breaks resume). For N independent samples, include the index in the agent label or prompt.';

const PRELUDE = `
Math.random = function random() { throw new Error(${JSON.stringify(RANDOM_MSG)}); };
globalThis.console = {};
for (const level of ['log', 'info', 'debug', 'warn', 'error', 'trace']) console[level] = (...a) => undefined;
globalThis.setTimeout = (fn, ms, ...args) => {
  if (typeof fn !== 'function') {
    const obj = Object.create(null);
    obj.name = 'TypeError';
    obj.message = 'setTimeout() expects a function as its first argument';
    throw obj;
  }
  return 1;
};
globalThis.clearTimeout = id => undefined;
globalThis.upper = m => m.toUpperCase();
globalThis.boom = () => { throw new TypeError('boom'); };
globalThis.seven = { valueOf() { return 7; }, toString() { return 'seven'; } };
function fmt(v) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.toWellFormed());
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'function') return 'function';
  if (v instanceof RegExp) return String(v) + '@' + v.lastIndex;
  if (v instanceof String) return 'String(' + fmt(v.valueOf()) + ')';
  if (v instanceof Number) return 'Number(' + fmt(v.valueOf()) + ')';
  if (v instanceof Boolean) return 'Boolean(' + fmt(v.valueOf()) + ')';
  if (v instanceof Error) return 'Error(' + v.name + ': ' + v.message + ')';
  if (Array.isArray(v)) {
    const items = [];
    for (let i = 0; i < v.length; i++) items.push(fmt(v[i]));
    for (const k of Object.keys(v)) if (!/^(0|[1-9][0-9]*)$/.test(k)) items.push(k + ':' + fmt(v[k]));
    return '[' + items.join(',') + ']';
  }
  return '{' + Object.keys(v).map(k => k + ':' + fmt(v[k])).join(',') + '}';
}
globalThis.fmt = fmt;
globalThis.show = (...a) => '<' + a.map(fmt).join('|') + '>';
`;

const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const out = cases.map(src => {
  const ctx = vm.createContext({ format: require('node:util').format });
  vm.runInContext(PRELUDE, ctx);
  try {
    const v = vm.runInContext('(' + src + '\n)', ctx);
    return ctx.fmt(v);
  } catch (e) {
    return 'throws ' + String(e.name) + ': ' + String(e.message);
  }
});
process.stdout.write(JSON.stringify(out));
