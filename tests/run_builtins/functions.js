export const meta = { name: 'functions', description: 'Closures, call/apply/bind, recursion, higher-order helpers' };

function add(a, b) { return a + b; }
const bound = add.bind(null, 10);
const curry = a => b => c => a + b + c;
const compose = (...fns) => x => fns.reduceRight((acc, f) => f(acc), x);
const memo = (() => { const cache = new Map(); let calls = 0; const fib = n => { if (cache.has(n)) return cache.get(n); calls++; const r = n < 2 ? n : fib(n - 1) + fib(n - 2); cache.set(n, r); return r; }; return () => [fib(50), calls]; })();
function makeCounter(start = 0) { let c = start; return { next: () => ++c, reset() { c = start; return c; } }; }
const ctr = makeCounter(5);
ctr.next(); ctr.next();
const afterReset = ctr.reset();
function variadic(...xs) { return xs.reduce((a, b) => a + b, 0); }
const hoistedCall = later(2);
function later(x) { return x * 100; }
const shadow = (() => { const x = 'outer'; const f = () => { const x = 'inner'; return x; }; return [f(), x]; })();
const fnProps = (() => { const f = () => 1; f.custom = 'prop'; return [f.custom, typeof f, Object.keys(f)]; })();
const defaultsRef = ((a, b = () => a) => { a = 'changed'; return b(); })('orig');
const spreadCall = Math.max.apply(null, [1, 9, 3]);
const callCall = add.call(null, 2, 3);
const nestedClosures = (() => { const out = []; for (let i = 0; i < 3; i++) { const mk = x => () => x + i; out.push(mk(i * 10)()); } return out; })();
const recursionDepth = (function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); })(500);
const mutualEven = (() => { const isEven = n => (n === 0 ? true : isOdd(n - 1)); const isOdd = n => (n === 0 ? false : isEven(n - 1)); return [isEven(10), isOdd(7)]; })();
const asyncFnType = typeof (async () => 1);
const returnUndef = (() => {})();
const arrowObj = (() => ({ a: 1 }))();
const sortBy = (arr, key) => [...arr].sort((x, y) => (x[key] < y[key] ? -1 : x[key] > y[key] ? 1 : 0));
const people = [{ n: 'c', age: 30 }, { n: 'a', age: 25 }, { n: 'b', age: 30 }];
const groupBy = (arr, f) => arr.reduce((acc, x) => { const k = f(x); (acc[k] ??= []).push(x.n); return acc; }, {});
const pipeFns = [x => x + 1, x => x * 2, String, s => s.padStart(4, '0')];
const debounceLike = (() => { let calls = []; const once = f => { let done = false, r; return (...a) => { if (!done) { done = true; r = f(...a); } return r; }; }; const g = once(x => { calls.push(x); return x * 2; }); return [g(1), g(2), calls]; })();
const fnToString = typeof add.toString();
const lengthProps = [add.length, variadic.length, ((a, b = 1, c) => 0).length, bound.name];

return {
  bound: bound(5), curry: curry(1)(2)(3), compose: compose(x => x + 1, x => x * 2)(5), memo: memo(),
  ctr: ctr.next(), afterReset, variadic: [variadic(), variadic(1, 2, 3)], hoistedCall, shadow, fnProps, defaultsRef,
  spreadCall, callCall, nestedClosures, recursionDepth, mutualEven, asyncFnType, returnUndef: returnUndef === undefined, arrowObj,
  sortBy: sortBy(people, 'n').map(p => p.n), sortByAge: sortBy(people, 'age').map(p => p.n), groupBy: groupBy(people, p => p.age),
  piped: pipeFns.reduce((v, f) => f(v), 4), debounceLike, fnToString, lengthProps,
  iifeArgs: ((a, b) => [a, b])(1), extraArgs: ((a) => a)(1, 2, 3),
};
