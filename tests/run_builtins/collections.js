export const meta = { name: 'collections', description: 'Map and Set semantics' };

const m = new Map();
m.set('b', 1).set('a', 2).set(1, 'num').set('1', 'str');
m.set('b', 'updated');
const objKey = {};
m.set(objKey, 'obj');
m.set(NaN, 'nan');
m.set(-0, 'zero');
const fe = [];
m.forEach((v, k, map) => fe.push(String(k) + '=' + String(v) + (map === m)));
const s = new Set([3, 1, 3, 2, NaN, NaN, 0, -0, '3']);
const sFe = [];
s.forEach((v, v2, set) => sFe.push(v === v2 && set === s));
const delRes = [m.delete('a'), m.delete('zz')];
m.set('a', 'readded');
const keysAfter = [...m.keys()].map(String);
const fromPairs = new Map([['x', 1], ['y', 2], ['x', 3]]);
const setOps = (() => {
  const a = new Set([1, 2, 3]), b = new Set([2, 3, 4]);
  return { union: [...new Set([...a, ...b])], inter: [...a].filter(x => b.has(x)), diff: [...a].filter(x => !b.has(x)) };
})();
const grouped = (() => { const g = new Map(); for (const w of ['apple', 'avocado', 'banana', 'cherry', 'blueberry']) { const k = w[0]; if (!g.has(k)) g.set(k, []); g.get(k).push(w); } return Object.fromEntries(g); })();

return {
  size: m.size, get: [m.get('b'), m.get(1), m.get('1'), m.get(objKey), m.get({}) === undefined, m.get(NaN), m.get(0), m.get(-0)],
  has: [m.has('b'), m.has('zzz'), m.has(NaN), m.has(0)],
  fe, delRes, keysAfter,
  mapSpread: [...m].length, arrFrom: Array.from(m.values()).map(String),
  entries: [...fromPairs.entries()], fromPairsSize: fromPairs.size,
  set: [...s].map(String), setSize: s.size, setHas: [s.has(NaN), s.has(-0), s.has('3'), s.has(4)],
  sFe, setOps, grouped,
  clear: (() => { const c = new Map([[1, 1]]); c.clear(); return c.size; })(),
  setAddReturn: (() => { const t = new Set(); return t.add(1) === t; })(),
  setDelete: (() => { const t = new Set([1, 2]); return [t.delete(1), t.delete(1), [...t]]; })(),
  strSet: [...new Set('hello')].join(''),
  json: JSON.stringify({ m: new Map([[1, 2]]), s: new Set([1]) }),
  typeofs: [typeof m, m instanceof Map, s instanceof Set, m instanceof Set, Object.prototype.toString.call(m)],
  mapFromObj: [...new Map(Object.entries({ a: 1, b: 2 }))],
  nestedMap: (() => { const outer = new Map([['k', new Map([['inner', 1]])]]); return outer.get('k').get('inner'); })(),
  mapKeysArr: [...new Map([[[1], 'arr']]).keys()],
  destructure: (() => { const out = []; for (const [k, v] of new Map([['p', 1], ['q', 2]])) out.push(k + v); return out; })(),
  counts: (() => { const c = new Map(); for (const ch of 'mississippi') c.set(ch, (c.get(ch) || 0) + 1); return [...c].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)); })(),
};
