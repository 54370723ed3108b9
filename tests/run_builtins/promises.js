export const meta = { name: 'promises', description: 'Promise combinators and microtask ordering' };

const order = [];
const p1 = Promise.resolve(1);
p1.then(v => { order.push('a1:' + v); return v + 1; }).then(v => order.push('a2:' + v)).then(() => order.push('a3'));
p1.then(v => order.push('b1:' + v)).then(() => order.push('b2'));
Promise.reject(new Error('r')).catch(e => order.push('c1:' + e.message)).finally(() => order.push('c2'));
(async () => { order.push('async-sync'); await null; order.push('async-1'); await null; order.push('async-2'); })();
new Promise(res => { order.push('executor'); res('x'); }).then(v => order.push('exec-then:' + v));
order.push('sync-end');
await null;
order.push('after-await-1');
await new Promise(r => setTimeout(r, 0));
order.push('after-timeout');

const all = await Promise.all([1, Promise.resolve(2), new Promise(r => setTimeout(() => r(3), 10))]);
const allEmpty = await Promise.all([]);
const allReject = await Promise.all([Promise.resolve(1), Promise.reject(new Error('fail-all')), 3]).catch(e => 'caught:' + e.message);
const settled = await Promise.allSettled([Promise.resolve('ok'), Promise.reject(new Error('no')), 5]);
const race = await Promise.race([new Promise(r => setTimeout(() => r('slow'), 50)), new Promise(r => setTimeout(() => r('fast'), 5))]);
const raceSync = await Promise.race([1, 2]);
const any = await Promise.any([Promise.reject(new Error('e1')), new Promise(r => setTimeout(() => r('any-ok'), 5))]);
const anyFail = await Promise.any([Promise.reject(new Error('e1')), Promise.reject(new Error('e2'))]).catch(e => [e.name, e.errors.map(x => x.message), e instanceof AggregateError]);
const anyEmpty = await Promise.any([]).catch(e => [e.name, e.errors.length]);

const finallyOrder = [];
const fin = await Promise.resolve('val').finally(() => { finallyOrder.push('fin'); return 'ignored'; }).then(v => { finallyOrder.push('then:' + v); return v; });
const finThrow = await Promise.resolve(1).finally(() => { throw new Error('fin-err'); }).catch(e => e.message);
const finRejectPass = await Promise.reject(new Error('orig')).finally(() => 'x').catch(e => e.message);

async function returnsPromise() { return Promise.resolve('inner'); }
async function throwsAsync() { throw new TypeError('async-type'); }
const rp = await returnsPromise();
const ta = await throwsAsync().catch(e => [e.name, e.message]);
let taTry;
try { await throwsAsync(); } catch (e) { taTry = e.message; }

const loopLog = [];
for (const ms of [30, 10, 20]) {
  const v = await new Promise(r => setTimeout(() => r(ms), ms));
  loopLog.push(v);
}
const timerOrder = [];
await Promise.all([30, 10, 20, 10].map((ms, i) => new Promise(r => setTimeout(() => { timerOrder.push(i + ':' + ms); r(); }, ms))));

const thenChainValues = await Promise.resolve(1).then(v => v * 2).then(v => { throw new Error('mid' + v); }).then(() => 'skipped').catch(e => e.message).then(v => v + '!');
const thenNonFn = await Promise.resolve('pass').then(null).then(undefined, null);
const nestedResolve = await new Promise(r => r(Promise.resolve(Promise.resolve('deep'))));
const thenable = await { then(res) { res('thenable-val'); } };
const resolveOnce = await new Promise((res, rej) => { res('first'); res('second'); rej(new Error('no')); });
const executorThrow = await new Promise(() => { throw new Error('exec-throw'); }).catch(e => e.message);

const interleave = [];
const pa = (async () => { for (let i = 0; i < 3; i++) { interleave.push('A' + i); await null; } })();
const pb = (async () => { for (let i = 0; i < 3; i++) { interleave.push('B' + i); await null; } })();
await Promise.all([pa, pb]);

const mixed = [];
Promise.resolve().then(() => mixed.push('t1')).then(() => mixed.push('t2')).then(() => mixed.push('t3'));
(async () => { mixed.push('as0'); await undefined; mixed.push('as1'); await Promise.resolve(); mixed.push('as2'); })();
Promise.resolve().then(() => mixed.push('u1')).then(() => mixed.push('u2'));
await new Promise(r => setTimeout(r, 1));

const awaitNonPromise = await 42;
const typeofP = [typeof Promise.resolve(), Promise.resolve() instanceof Promise, Object.prototype.toString.call(Promise.resolve())];
const sameResolve = (() => { const p = Promise.resolve(1); return Promise.resolve(p) === p; })();

return {
  order, all, allEmpty, allReject, settled: settled.map(s => s.status + ':' + (s.value ?? s.reason.message)),
  race, raceSync, any, anyFail, anyEmpty, fin, finallyOrder, finThrow, finRejectPass,
  rp, ta, taTry, loopLog, timerOrder, thenChainValues, thenNonFn, nestedResolve, thenable, resolveOnce, executorThrow,
  interleave, mixed, awaitNonPromise, typeofP, sameResolve,
};
