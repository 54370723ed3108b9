export const meta = { name: 'promises-order', description: 'Microtask ordering corner cases' };

const log = [];
// An async function returning a promise takes extra ticks compared with returning a value.
(async () => Promise.resolve('ret-promise'))().then(v => log.push(v));
(async () => 'ret-value')().then(v => log.push(v));
Promise.resolve().then(() => log.push('t1')).then(() => log.push('t2')).then(() => log.push('t3')).then(() => log.push('t4'));
await new Promise(r => setTimeout(r, 0));

const log2 = [];
// Resolving with a promise (thenable job) costs two ticks.
new Promise(r => r(Promise.resolve('via-resolve'))).then(v => log2.push(v));
Promise.resolve('direct').then(v => log2.push(v));
Promise.resolve().then(() => log2.push('x1')).then(() => log2.push('x2')).then(() => log2.push('x3'));
await new Promise(r => setTimeout(r, 0));

const log3 = [];
// Promise.all resolves after its elements; race settles on the first.
Promise.all([Promise.resolve('a'), 'b']).then(v => log3.push('all:' + v.join('')));
Promise.race([Promise.resolve('r1'), Promise.resolve('r2')]).then(v => log3.push('race:' + v));
Promise.allSettled([Promise.reject(new Error('x'))]).then(v => log3.push('settled:' + v[0].status));
Promise.any([Promise.reject(new Error('y')), Promise.resolve('any')]).then(v => log3.push('any:' + v));
Promise.resolve().then(() => log3.push('p1')).then(() => log3.push('p2')).then(() => log3.push('p3')).then(() => log3.push('p4'));
await new Promise(r => setTimeout(r, 0));

const log4 = [];
// await of a non-promise vs a native promise vs a thenable.
(async () => { await 1; log4.push('await-value'); })();
(async () => { await Promise.resolve(); log4.push('await-promise'); })();
(async () => { await { then(r) { r(); } }; log4.push('await-thenable'); })();
Promise.resolve().then(() => log4.push('q1')).then(() => log4.push('q2')).then(() => log4.push('q3'));
await new Promise(r => setTimeout(r, 0));

const log5 = [];
// finally passes through and takes extra ticks.
Promise.resolve('f').finally(() => log5.push('finally-cb')).then(v => log5.push('after-finally:' + v));
Promise.resolve().then(() => log5.push('s1')).then(() => log5.push('s2')).then(() => log5.push('s3')).then(() => log5.push('s4'));
await new Promise(r => setTimeout(r, 0));

const log6 = [];
// Rejection handlers and catch chains.
Promise.reject(new Error('e')).then(() => log6.push('never')).catch(e => log6.push('catch:' + e.message)).then(() => log6.push('after-catch'));
Promise.resolve().then(() => { throw new Error('thrown'); }).then(null, e => log6.push('onRejected:' + e.message));
Promise.resolve().then(() => log6.push('m1')).then(() => log6.push('m2')).then(() => log6.push('m3'));
await new Promise(r => setTimeout(r, 0));

const log7 = [];
// Timers run in time order, then creation order; microtasks drain between timers.
setTimeout(() => { log7.push('t20'); }, 20);
setTimeout(() => { log7.push('t10a'); Promise.resolve().then(() => log7.push('micro-after-t10a')); }, 10);
setTimeout(() => { log7.push('t10b'); }, 10);
setTimeout(() => { log7.push('t0'); }, 0);
const cancelled = setTimeout(() => log7.push('cancelled'), 5);
clearTimeout(cancelled);
await new Promise(r => setTimeout(r, 30));

const log8 = [];
// Nested awaits inside Promise.all callbacks.
const results = await Promise.all([3, 1, 2].map(async (n, i) => {
  log8.push('start' + i);
  await new Promise(r => setTimeout(r, n * 10));
  log8.push('end' + i);
  return n * n;
}));

const log9 = [];
// Sequential reduce over async steps.
const seq = await [1, 2, 3].reduce(async (accP, x) => { const acc = await accP; log9.push('step' + x); return acc + x; }, Promise.resolve(0));

return { log, log2, log3, log4, log5, log6, log7, log8, results, log9, seq };
