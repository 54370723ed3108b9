export const meta = { name: 'objects', description: 'Object statics, key order, operators' };

const o = { b: 1, 2: 'two', a: 2, 1: 'one', '-1': 'neg', '01': 'lead', 1.5: 'frac', [`k${3}`]: 'computed' };
const assigned = Object.assign({ x: 1 }, { y: 2 }, null, { x: 3 }, undefined);
const fe = Object.fromEntries([['a', 1], ['b', [2]], [3, 'c']]);
const feMap = Object.fromEntries(new Map([['m', 1], ['n', 2]]));
const frozen = Object.freeze({ f: 1, inner: { g: 2 } });
let frozenWrite = 'none';
frozen.f = 99;
frozen.inner.g = 3;
const spread = { ...{ a: 1, b: 2 }, b: 3, ...null, ...undefined, ...'hi', ...[9] };
const del = { p: 1, q: 2, r: 3 };
const delResult = delete del.q;
const delMissing = delete del.zz;
del.q = 'back';
const nested = { a: { b: { c: 42 } } };
let nq = null;
const logical = { a: null, b: 0, c: 1, d: 'x' };
logical.a ??= 'set-a';
logical.b ??= 'set-b';
logical.b ||= 'or-b';
logical.c &&= 'and-c';
logical.d ||= 'or-d';
logical.e ??= 'new-e';
const method = { name: 'm', greet() { return 'hi ' + method.name; } };
const keyOrder = {};
keyOrder.z = 1; keyOrder[10] = 2; keyOrder.a = 3; keyOrder[2] = 4; keyOrder['4294967294'] = 5; keyOrder['4294967295'] = 6; keyOrder[-0] = 7;
const counts = {};
for (const w of ['a', 'b', 'a', 'c', 'a']) counts[w] = (counts[w] || 0) + 1;
const forIn = [];
for (const k in { y: 1, 5: 2, x: 3 }) forIn.push(k);
const protoLess = Object.create(null);
protoLess.k = 1;
const dyn = 'dynamic';
const shorthand = { dyn, [dyn + 'Key']: true, ['a' + 1]: 'a1' };
const entriesSorted = Object.entries({ c: 3, a: 1, b: 2 }).sort(([a], [b]) => a < b ? -1 : 1);

return {
  keys: Object.keys(o), values: Object.values(o), entries: Object.entries(o),
  assigned, fe, feMap, frozenF: frozen.f, frozenInner: frozen.inner.g, isFrozen: Object.isFrozen(frozen), isFrozenPlain: Object.isFrozen({}),
  spread, delResult, delMissing, del, delKeys: Object.keys(del),
  hasOwn: [({ a: 1 }).hasOwnProperty('a'), ({ a: 1 }).hasOwnProperty('b'), Object.hasOwn({ z: undefined }, 'z'), ({}).hasOwnProperty('toString')],
  inOp: ['a' in { a: undefined }, 'toString' in {}, 0 in [1], 1 in [1], 'length' in [], 'b' in { a: 1 }],
  optional: [nested?.a?.b?.c, nested.x?.y, nq?.foo, nq?.[0], nested.a?.['b']?.c, method.greet?.(), method.nope?.()],
  optionalUndef: nested.x?.y === undefined,
  logical,
  greet: method.greet(),
  keyOrder: Object.keys(keyOrder), counts, forIn,
  protoLessKeys: Object.keys(protoLess), protoLessIn: 'toString' in protoLess,
  shorthand, entriesSorted,
  typeofs: [typeof {}, typeof [], typeof null, typeof undefined, typeof (() => 1), typeof 'a', typeof 1, typeof true, typeof NaN],
  eqObj: [{} === {}, nested === nested, nested.a == nested.a],
  strObj: String({}), strObjConcat: 'x' + {}, objToString: Object.prototype.toString.call([]),
  objToStringNull: Object.prototype.toString.call(null),
  entriesNum: Object.entries([7, 8]), keysStr: Object.keys('ab'), valuesStr: Object.values('ab'),
  jsonKeyOrder: JSON.stringify({ b: 1, 1: 2, a: 3, 0: 4 }),
  assignReturn: (() => { const t = {}; return Object.assign(t, { a: 1 }) === t; })(),
  nestedSpreadCopy: (() => { const src = { a: { b: 1 } }; const c = { ...src }; c.a.b = 2; return src.a.b; })(),
  chainedAssign: (() => { let a, b; a = b = { v: 1 }; b.v = 2; return a.v; })(),
  getOwnNames: Object.getOwnPropertyNames({ a: 1, 2: 3 }),
};
