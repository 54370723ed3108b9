export const meta = { name: 'control-flow', description: 'Loops, labels, switch, try/finally, closures, hoisting' };

const log = [];
outer: for (let i = 0; i < 4; i++) {
  for (let j = 0; j < 4; j++) {
    if (j === 2) continue outer;
    if (i === 3) break outer;
    log.push(`${i}${j}`);
  }
}
const sw = x => {
  const out = [];
  switch (x) {
    case 1: out.push('one');
    case 2: out.push('two'); break;
    case '3': out.push('str3'); break;
    default: out.push('default');
    case 4: out.push('four');
  }
  return out.join(',');
};
function tf() {
  const order = [];
  try { order.push('try'); throw new Error('boom'); }
  catch (e) { order.push('catch:' + e.message); return order; }
  finally { order.push('finally'); }
}
function finallyOverrides() { try { return 'try'; } finally { return 'finally'; } }
function finallyThrowOverride() { try { throw new Error('a'); } finally { return 'swallowed'; } }
function nestedFinally() {
  const o = [];
  try { try { o.push(1); throw new Error('inner'); } finally { o.push(2); } } catch (e) { o.push('c:' + e.message); } finally { o.push(3); }
  return o;
}
function loopFinally() {
  const o = [];
  for (let i = 0; i < 3; i++) { try { if (i === 1) continue; if (i === 2) break; o.push('body' + i); } finally { o.push('fin' + i); } }
  return o;
}
const letFns = [], varFns = [];
for (let i = 0; i < 3; i++) letFns.push(() => i);
for (var vi = 0; vi < 3; vi++) varFns.push(() => vi);
function hoisted() { return typeof later + ':' + later(); function later() { return 'L'; } }
function varHoist() { const before = v; var v = 5; return [before === undefined, v]; }
function tdz() { try { x; let x = 1; return 'no'; } catch (e) { return [e.name, e instanceof ReferenceError]; } }
function constAssign() { const c = 1; try { c = 2; return 'no'; } catch (e) { return [e.name, e.message]; } }
const forOf = [];
for (const v of [1, 2]) forOf.push(v);
for (const ch of 'hé') forOf.push(ch);
for (const [k, v] of new Map([['a', 1]])) forOf.push(k + v);
for (const v of new Set(['s'])) forOf.push(v);
const forIn = [];
for (const k in [7, 8]) forIn.push(typeof k + k);
for (const k in { b: 1, a: 2, 1: 3 }) forIn.push(k);
let w = 0, dw = 0;
while (w < 5) { w++; if (w === 3) continue; }
do { dw++; } while (dw < 0);
const counter = (() => { let c = 0; return { inc: () => ++c, get: () => c }; })();
counter.inc(); counter.inc();
const ternary = [1, 0, '', 'a', null, [], {}].map(x => (x ? 'T' : 'F')).join('');
const shortCircuit = [null || 'd', 0 || null, 'a' && 'b', 0 && 'x', null ?? 'n', 0 ?? 'n', '' ?? 'e', undefined ?? null];
const comma = (1, 2, 3);
const voidv = void 0;
function defaults(a, b = a + 1, { c = 3, d } = {}, [e = 5] = []) { return [a, b, c, d, e]; }
const recursion = (function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); })(10);
const iife = (() => 'iife')();
function fnName() {}
const arrowName = () => {};
const closureCounter = (() => { const fns = []; for (let i = 0; i < 3; i++) { let j = i * 10; fns.push(() => j + i); } return fns.map(f => f()); })();
const forLetMutate = (() => { const fs = []; for (let i = 0; i < 3; i++) { fs.push(() => i); i++; } return fs.map(f => f()); })();
const blockScope = (() => { let x = 1; { let x = 2; } return x; })();
const switchScope = (k => { switch (k) { case 'a': { const r = 'A'; return r; } default: return 'other'; } })('a');
const throwNonError = (() => { try { throw 'str'; } catch (e) { return [typeof e, e]; } })();
const throwObj = (() => { try { throw { code: 42 }; } catch ({ code }) { return code; } })();
const catchNoBinding = (() => { try { throw 1; } catch { return 'caught'; } })();
const rethrow = (() => { try { try { throw new Error('inner'); } catch (e) { throw new Error('outer:' + e.message); } } catch (e) { return e.message; } })();

return {
  log, sw: [sw(1), sw(2), sw(3), sw('3'), sw(4), sw(5)],
  tf: tf(), finallyOverrides: finallyOverrides(), finallyThrowOverride: finallyThrowOverride(), nestedFinally: nestedFinally(), loopFinally: loopFinally(),
  letFns: letFns.map(f => f()), varFns: varFns.map(f => f()), hoisted: hoisted(), varHoist: varHoist(), tdz: tdz(), constAssign: constAssign(),
  forOf, forIn, w, dw, counter: counter.get(), ternary, shortCircuit, comma, voidv: voidv === undefined,
  defaults: [defaults(1), defaults(1, 5, { d: 4 }, [6]), defaults(1, undefined, { c: null })],
  recursion, iife, names: [fnName.name, (() => {}).name, defaults.length],
  closureCounter, forLetMutate, blockScope, switchScope, throwNonError, throwObj, catchNoBinding, rethrow,
};
